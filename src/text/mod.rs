//! Text in the core's terms: byte offsets, the line and code-point coordinates people and
//! export formats expect, and the folding of typographic variants that matching relies on.

mod fold;
mod lines;

pub use fold::{fold, Folded};
pub use lines::{count_chars, utf8_error_position, CodePointCursor, LineCol, LineIndex};
