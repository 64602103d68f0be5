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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// Counts the UTF-16 code units of a UTF-8 byte slice: one per character, two for the
/// characters outside the Basic Multilingual Plane (those UTF-8 writes in four bytes).
pub fn count_utf16(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| usize::from((b as i8) >= -0x40) + usize::from(b >= 0xF0))
        .sum()
}

/// Where a byte offset falls as an editor counts it: its line, and its column in UTF-8 bytes
/// and in UTF-16 code units, the two encodings a client may ask positions in.
///
/// Computed once, while the text is at hand, so that the index can say where a mention of an
/// article nobody has open lies without keeping the article's text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    /// 0-based line number.
    pub line: u32,
    /// 0-based column, in bytes from the start of the line.
    pub utf8: u32,
    /// 0-based column, in UTF-16 code units from the start of the line.
    pub utf16: u32,
}

/// Converts increasing byte offsets into [`Place`]s in one forward pass, so that placing the
/// `n` mentions of a long one-line article costs `O(len + n log lines)`, not `O(len · n)`.
#[derive(Debug)]
pub struct PlaceCursor<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    line: usize,
    /// Where `line` starts.
    line_start: usize,
    byte: usize,
    utf16: usize,
}

impl<'a> PlaceCursor<'a> {
    /// A cursor at the start of `text`, whose line index is `lines`.
    pub fn new(text: &'a str, lines: &'a LineIndex) -> Self {
        PlaceCursor {
            text,
            lines,
            line: 0,
            line_start: 0,
            byte: 0,
            utf16: 0,
        }
    }

    /// The place of byte `offset`, clamped to the text and snapped to the start of the
    /// character holding it. Offsets may go backwards, at the cost of a rescan of their line.
    pub fn place(&mut self, offset: usize) -> Place {
        let offset = crate::text::floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.lines.line_of(offset);
        if line != self.line || offset < self.byte {
            self.line = line;
            self.line_start = self.lines.line_start(line).unwrap_or(0);
            self.byte = self.line_start;
            self.utf16 = 0;
        }
        self.utf16 += count_utf16(&self.text.as_bytes()[self.byte..offset]);
        self.byte = offset;
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Place {
            line: narrow(line),
            utf8: narrow(offset - self.line_start),
            utf16: narrow(self.utf16),
        }
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
    fn places_count_bytes_and_utf16_units_per_line() {
        let text = "Malacañang\n“Jack Ma” 🎉 Ma\r\n马云 Ma";
        let index = LineIndex::new(text);
        let mut cursor = PlaceCursor::new(text, &index);
        let at = |needle: &str| text.rfind(needle).unwrap_or(0);
        assert_eq!(cursor.place(0), Place::default());
        assert_eq!(
            cursor.place(at("ang")),
            Place {
                line: 0,
                utf8: 8,
                utf16: 7
            },
            "ñ is two bytes, one unit"
        );
        assert_eq!(
            cursor.place(at(" Ma\r")),
            Place {
                line: 1,
                utf8: 18,
                utf16: 12
            },
            "“ and ” are three bytes, one unit; 🎉 four bytes, two units"
        );
        assert_eq!(
            cursor.place(at("Ma")),
            Place {
                line: 2,
                utf8: 7,
                utf16: 3
            }
        );
        assert_eq!(
            cursor.place(at("Jack")),
            Place {
                line: 1,
                utf8: 3,
                utf16: 1
            },
            "going back rescans"
        );
        assert_eq!(
            cursor.place(at("”") + 1),
            cursor.place(at("”")),
            "inside a character means its start"
        );
        assert_eq!(
            cursor.place(999),
            Place {
                line: 2,
                utf8: 9,
                utf16: 5
            }
        );
    }

    #[test]
    fn places_agree_with_counting_from_the_line_start() {
        let text = "ab😀\nñ\r\n\n马x😀y\n";
        let index = LineIndex::new(text);
        let mut cursor = PlaceCursor::new(text, &index);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line = index.line_of(offset);
            let start = index.line_start(line).unwrap_or(0);
            let expected = Place {
                line: line as u32,
                utf8: (offset - start) as u32,
                utf16: text[start..offset].encode_utf16().count() as u32,
            };
            assert_eq!(cursor.place(offset), expected, "at {offset}");
        }
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
