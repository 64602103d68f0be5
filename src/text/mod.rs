//! Text in the core's terms: byte offsets, the line and code-point coordinates people and
//! export formats expect, the folding of typographic variants that matching relies on, and the
//! words around a spot that anchor it across edits.

mod context;
mod fold;
mod lines;

pub(crate) use context::floor_char_boundary;
pub use context::{context_words, words_after, words_before, CONTEXT_WORDS};
pub use fold::{fold, Folded};
pub use lines::{
    count_chars, count_utf16, utf8_error_position, CodePointCursor, LineCol, LineIndex, Place,
    PlaceCursor,
};
