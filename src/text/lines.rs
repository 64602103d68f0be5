//! Positions in a text: byte offsets are the core's currency, and this module turns them into
//! the line/column and code-point coordinates that people and export formats expect.
//!
//! Every face (CLI, exports, the language server) converts through here or through its own edge
//! module, so an off-by-one in one place cannot drift apart from another.

/// The start of every line of a text, so that a byte offset becomes a line number in `O(log n)`.
///
/// Lines end at `\n`; a `\r` before it belongs to the line it ends, as editors count them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

/// A 0-based line and a 0-based column counted in Unicode code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 0-based line number.
    pub line: usize,
    /// 0-based column, in code points from the start of the line.
    pub column: usize,
}

impl LineIndex {
    /// Indexes `text`: one pass over its bytes.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// Number of lines; a text ending in `\n` has an empty last line, as editors show it.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` starts, or `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// Byte offset where `line` ends, excluding its line break (`\n` or `\r\n`).
    pub fn line_end(&self, text: &str, line: usize) -> Option<usize> {
        let start = self.line_start(line)?;
        let next = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        let mut end = next;
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > start && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        Some(end)
    }

    /// The line holding byte `offset` (an offset past the end belongs to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Line and code-point column of byte `offset` in `text`, which must be the indexed text.
    ///
    /// An offset inside a multi-byte character counts as that character's start.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = count_chars(&text.as_bytes()[start..offset]);
        LineCol { line, column }
    }
}

/// Counts the code points in a UTF-8 byte slice: the bytes that do not continue a character.
/// A slice cut inside a character counts that character once if its first byte is included.
pub fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Converts increasing byte offsets into code-point offsets in one forward pass, so that
/// annotating a file with `n` mentions costs `O(len + n)` instead of `O(len · n)`.
#[derive(Debug)]
pub struct CodePointCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CodePointCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        CodePointCursor {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The code-point offset of byte `offset`. Offsets may go backwards, at the cost of a rescan.
    pub fn code_point(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += count_chars(&self.text.as_bytes()[self.byte..offset]);
        self.byte = offset;
        self.chars
    }
}

/// Describes where invalid UTF-8 starts in `bytes`, as a 1-based line and column for a message.
pub fn utf8_error_position(bytes: &[u8], error: &std::str::Utf8Error) -> (usize, usize) {
    let valid = &bytes[..error.valid_up_to()];
    let line = valid.iter().filter(|&&b| b == b'\n').count();
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    (line + 1, count_chars(&valid[line_start..]) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_code_points_not_bytes() {
        let text = "Malacañang\n“Jack Ma” 🎉 Ma\r\n马云 Ma";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        let ma = text.rfind("Ma").unwrap_or(0);
        assert_eq!(index.line_col(text, ma), LineCol { line: 2, column: 3 });
        let second = text.find("” 🎉 Ma").unwrap_or(0) + "” 🎉 ".len();
        assert_eq!(
            index.line_col(text, second),
            LineCol {
                line: 1,
                column: 12
            }
        );
        assert_eq!(index.line_end(text, 1), text.find('\r'));
    }

    #[test]
    fn offsets_past_the_end_stay_on_the_last_line() {
        let text = "a\nbc\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_col(text, 99), LineCol { line: 2, column: 0 });
    }

    #[test]
    fn cursor_agrees_with_chars_count() {
        let text = "ñ😀a马b";
        let mut cursor = CodePointCursor::new(text);
        for (i, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(cursor.code_point(byte), i);
        }
        assert_eq!(cursor.code_point(0), 0);
        assert_eq!(cursor.code_point(text.len()), text.chars().count());
    }

    #[test]
    fn utf8_error_points_at_the_bad_byte() {
        let bytes = b"ok\nab\xffc".to_vec();
        let error = String::from_utf8(bytes.clone())
            .err()
            .map(|e| e.utf8_error());
        let position = error.map(|e| utf8_error_position(&bytes, &e));
        assert_eq!(position, Some((2, 3)));
    }
}
