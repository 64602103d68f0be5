//! The one place where the core's byte offsets and paths become LSP positions and URIs, and
//! back. Everything else in the server speaks bytes.
//!
//! LSP columns count UTF-16 code units unless the client accepts UTF-8; lines end at `\n`
//! (a `\r` before it belongs to the line, as in the core's [`LineIndex`]). Two kinds of text are
//! converted: open documents, held as ropes (every conversion `O(log n)`), and articles on disk,
//! held as strings with a line index (a conversion walks one line). The mentions of articles
//! nobody has open come with their [`Place`]s, worked out at indexing: those convert in `O(1)`.

use std::path::{Path, PathBuf};

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range, Uri};

use crate::text::{LineIndex, Place};

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8, when the client offers it.
    Utf8,
    /// UTF-16 code units: the protocol's default.
    #[default]
    Utf16,
}

impl Encoding {
    /// The encoding to use given what the client offers: UTF-8 if it is offered at all, since
    /// it is what the core speaks, else the mandatory UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The position of a place worked out at indexing, in the client's encoding.
pub fn position_of(place: Place, encoding: Encoding) -> Position {
    let character = match encoding {
        Encoding::Utf8 => place.utf8,
        Encoding::Utf16 => place.utf16,
    };
    Position::new(place.line, character)
}

/// The range between two places (a mention's start and end) in the client's encoding.
pub fn range_of([start, end]: [Place; 2], encoding: Encoding) -> Range {
    Range::new(position_of(start, encoding), position_of(end, encoding))
}

/// A text whose offsets can be converted: an open document's rope or an article's string.
pub trait Lines {
    /// The position of byte `offset` (clamped to the text, and to a character start).
    fn position(&self, offset: usize, encoding: Encoding) -> Position;
    /// The byte offset of `position`; a column past the end of its line means the line's end,
    /// and a line past the end means the end of the text, as the protocol asks.
    fn offset(&self, position: Position, encoding: Encoding) -> usize;

    /// The range of a byte span.
    fn range(&self, span: std::ops::Range<usize>, encoding: Encoding) -> Range {
        Range::new(
            self.position(span.start, encoding),
            self.position(span.end, encoding),
        )
    }

    /// The byte span of a range, start and end in order.
    fn span(&self, range: Range, encoding: Encoding) -> std::ops::Range<usize> {
        let start = self.offset(range.start, encoding);
        let end = self.offset(range.end, encoding);
        start.min(end)..start.max(end)
    }
}

impl Lines for Rope {
    fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = offset.min(self.len_bytes());
        let line = self.byte_to_line(offset);
        let line_start = self.line_to_byte(line);
        let character = match encoding {
            Encoding::Utf8 => {
                // Snap to the start of the character holding `offset`.
                let char_start = self.char_to_byte(self.byte_to_char(offset));
                char_start - line_start
            }
            Encoding::Utf16 => {
                let at = self.char_to_utf16_cu(self.byte_to_char(offset));
                at - self.char_to_utf16_cu(self.byte_to_char(line_start))
            }
        };
        Position::new(line as u32, character as u32)
    }

    fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.len_lines() {
            return self.len_bytes();
        }
        let line_start = self.line_to_byte(line);
        let line_end = line_content_end(self, line);
        let wanted = position.character as usize;
        match encoding {
            Encoding::Utf8 => {
                let target = (line_start + wanted).min(line_end);
                self.char_to_byte(self.byte_to_char(target))
            }
            Encoding::Utf16 => {
                let start_cu = self.char_to_utf16_cu(self.byte_to_char(line_start));
                let end_cu = self.char_to_utf16_cu(self.byte_to_char(line_end));
                let target = (start_cu + wanted).min(end_cu);
                // A column inside a surrogate pair rounds down to the character's start.
                let c = self.utf16_cu_to_char(target);
                self.char_to_byte(c)
            }
        }
    }
}

/// Byte offset of the end of `line`'s content, before `\n` or `\r\n`.
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.line_to_byte(line);
    let slice = rope.line(line);
    let mut end = start + slice.len_bytes();
    if end > start && rope.byte(end - 1) == b'\n' {
        end -= 1;
        if end > start && rope.byte(end - 1) == b'\r' {
            end -= 1;
        }
    }
    end
}

/// An article's text with its line index, as the corpus index keeps it.
pub struct TextLines<'a> {
    /// The text.
    pub text: &'a str,
    /// Its line index.
    pub lines: &'a LineIndex,
}

impl Lines for TextLines<'_> {
    fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line).unwrap_or(0);
        let character: usize = self.text[start..]
            .char_indices()
            .take_while(|&(i, _)| start + i < offset)
            .map(|(_, c)| encoding.width(c))
            .sum();
        Position::new(line as u32, character as u32)
    }

    fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let Some(start) = self.lines.line_start(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .lines
            .line_end(self.text, position.line as usize)
            .unwrap_or(self.text.len());
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += encoding.width(c);
            if units > position.character as usize {
                return start + i; // inside a character: its start
            }
        }
        end
    }
}

/// The file path of a `file:` URI; `None` for any other scheme. ls-types' `to_file_path`
/// ignores the scheme, so `untitled:Untitled-1` would be a file `Untitled-1` in the current
/// folder and `https://x/y.txt` the file `/y.txt`.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

/// The `file:` URI of a path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TEXT: &str = "Malacañang “Jack Ma” 😀 马云 Ma\r\ne\u{301}Ma\n\nlast";

    fn both(text: &str) -> (Rope, LineIndex) {
        (Rope::from_str(text), LineIndex::new(text))
    }

    #[test]
    fn positions_land_on_the_right_characters() {
        let (rope, lines) = both(TEXT);
        let plain = TextLines {
            text: TEXT,
            lines: &lines,
        };
        let ma = TEXT.find("Ma”").unwrap_or(0);
        // Malacañang (10 chars, ñ is 2 bytes) + space + “ (3 bytes, 1 UTF-16 unit) + "Jack "
        assert_eq!(rope.position(ma, Encoding::Utf16), Position::new(0, 17));
        assert_eq!(rope.position(ma, Encoding::Utf8), Position::new(0, 20));
        let last_ma = TEXT.find(" Ma\r").unwrap_or(0) + 1;
        // 😀 is two UTF-16 units, 马云 one each.
        assert_eq!(
            rope.position(last_ma, Encoding::Utf16),
            Position::new(0, 27)
        );
        assert_eq!(
            plain.position(last_ma, Encoding::Utf16),
            Position::new(0, 27)
        );
        let combining = TEXT.find("Ma\n").unwrap_or(0);
        assert_eq!(
            rope.position(combining, Encoding::Utf16),
            Position::new(1, 2)
        );
        assert_eq!(
            rope.offset(Position::new(3, 2), Encoding::Utf16),
            TEXT.len() - 2
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let (rope, lines) = both(TEXT);
        let plain = TextLines {
            text: TEXT,
            lines: &lines,
        };
        let line_end = TEXT.find('\r').unwrap_or(0);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(rope.offset(Position::new(0, 999), encoding), line_end);
            assert_eq!(plain.offset(Position::new(0, 999), encoding), line_end);
            assert_eq!(rope.offset(Position::new(99, 0), encoding), TEXT.len());
            assert_eq!(plain.offset(Position::new(99, 0), encoding), TEXT.len());
        }
        // Inside the surrogate pair of 😀: the emoji's start.
        let emoji = TEXT.find('😀').unwrap_or(0);
        let inside = rope.position(emoji, Encoding::Utf16);
        let inside = Position::new(inside.line, inside.character + 1);
        assert_eq!(rope.offset(inside, Encoding::Utf16), emoji);
        assert_eq!(plain.offset(inside, Encoding::Utf16), emoji);
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
    }

    proptest! {
        /// Rope, string and place conversions agree, and every character start round-trips.
        #[test]
        fn rope_and_text_agree_and_round_trip(text in "([a-zñ“”😀马\u{301} ]|\r\n|\n){0,40}") {
            let (rope, lines) = both(&text);
            let plain = TextLines { text: &text, lines: &lines };
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let mut places = crate::text::PlaceCursor::new(&text, &lines);
                for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    let position = rope.position(offset, encoding);
                    prop_assert_eq!(plain.position(offset, encoding), position);
                    prop_assert_eq!(position_of(places.place(offset), encoding), position);
                    if text.as_bytes().get(offset) != Some(&b'\n') || !text[..offset].ends_with('\r') {
                        prop_assert_eq!(rope.offset(position, encoding), offset);
                        prop_assert_eq!(plain.offset(position, encoding), offset);
                    }
                }
            }
        }
    }
}
