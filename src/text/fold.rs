//! Folding the typographic variants of a text into one form before matching.
//!
//! Articles write the same name in many ways that a reader does not notice: `Alibaba’s` with a
//! curly apostrophe, `Jack Ma` with a no-break space, a name broken across two lines, two spaces
//! after an edit. Names in the knowledge base are written once, plainly. Rather than multiply the
//! patterns, both sides are folded the same way, and a sparse offset map takes every match back to
//! the exact bytes of the original text.
//!
//! The folding:
//! - a run of whitespace (any Unicode `White_Space`, no-break spaces included) becomes one space,
//!   unless it holds two or more line breaks: a paragraph break becomes `\n`, which no name
//!   contains, so a name never spans two paragraphs;
//! - `’`, `‘`, `ʼ` and `′` become `'`;
//! - soft hyphens, zero-width spaces and byte-order marks vanish.
//!
//! Everything else is kept as it is; case in particular, since names are case-sensitive.

/// A folded copy of a text and the way back to the original's byte offsets.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    text: String,
    /// `(folded, original)` offset pairs, one at every place where the two texts stop advancing
    /// in step. Between anchors both advance byte for byte. Sorted by both components.
    anchors: Vec<(usize, usize)>,
}

impl Folded {
    /// Folds `original` in one pass. Plain ASCII prose with single spaces is copied in bulk.
    pub fn new(original: &str) -> Self {
        let bytes = original.as_bytes();
        let mut text = String::with_capacity(original.len());
        let mut anchors = Vec::new();
        let mut copied = 0; // original bytes already handled
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b' '
                && !bytes
                    .get(i + 1)
                    .is_some_and(|&n| is_ascii_space(n) || n >= 0x80)
                || (b < 0x80 && !is_ascii_space(b))
            {
                i += 1;
                continue;
            }
            // A byte that may need folding: flush the plain run before it.
            text.push_str(&original[copied..i]);
            let (replacement, consumed) = fold_at(original, i);
            if let Some(r) = replacement {
                text.push(r);
            }
            let next = i + consumed;
            if replacement.map_or(0, char::len_utf8) != consumed {
                anchors.push((text.len(), next));
            }
            copied = next;
            i = next;
        }
        text.push_str(&original[copied..]);
        Folded { text, anchors }
    }

    /// The folded text, which matching runs over.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The original byte offset of folded byte `offset`. An offset at the start of a replacement
    /// maps to the start of what it replaced, and one at its end to the end, so a folded span
    /// maps to exactly the original bytes it was folded from.
    pub fn to_original(&self, offset: usize) -> usize {
        let i = self
            .anchors
            .partition_point(|&(folded, _)| folded <= offset);
        match i.checked_sub(1).map(|i| self.anchors[i]) {
            Some((folded, original)) => original + (offset - folded),
            None => offset,
        }
    }
}

impl Folded {
    /// The folded byte offset of original byte `offset`: the inverse of
    /// [`Folded::to_original`] at the edges of folded runs. An offset inside a folded run maps
    /// to the run's folded end.
    pub fn to_folded(&self, offset: usize) -> usize {
        let i = self
            .anchors
            .partition_point(|&(_, original)| original <= offset);
        let folded = match i.checked_sub(1).map(|i| self.anchors[i]) {
            Some((folded, original)) => folded + (offset - original),
            None => offset,
        };
        // Inside a run that folded shorter, stepping byte for byte would overshoot the run.
        let limit = self.anchors.get(i).map_or(self.text.len(), |&(f, _)| f);
        folded.min(limit)
    }
}

/// Folds one string for use as a pattern: the same rules as [`Folded::new`], without the map.
pub fn fold(s: &str) -> String {
    Folded::new(s.trim()).text
}

fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// What the character at byte `i` folds to and how many original bytes that consumes.
fn fold_at(original: &str, i: usize) -> (Option<char>, usize) {
    let rest = &original[i..];
    let mut chars = rest.char_indices();
    let Some((_, c)) = chars.next() else {
        return (None, 0);
    };
    if c.is_whitespace() {
        let mut newlines = 0;
        let mut end = rest.len();
        for (at, c) in rest.char_indices() {
            if !c.is_whitespace() {
                end = at;
                break;
            }
            newlines += usize::from(c == '\n');
        }
        let folded = if newlines >= 2 { '\n' } else { ' ' };
        return (Some(folded), end);
    }
    let folded = match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' => Some('\''),
        '\u{00AD}' | '\u{200B}' | '\u{FEFF}' => None,
        other => Some(other),
    };
    (folded, c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn span_of(folded: &Folded, needle: &str) -> Option<(usize, usize)> {
        let start = folded.as_str().find(needle)?;
        let end = start + needle.len();
        Some((folded.to_original(start), folded.to_original(end)))
    }

    #[test]
    fn no_break_spaces_and_line_breaks_fold_to_one_space() {
        let original = "said\u{a0}Jack\u{a0}Ma\u{a0}today and Jack\nMa and Jack  \tMa.";
        let folded = Folded::new(original);
        assert_eq!(
            folded.as_str(),
            "said Jack Ma today and Jack Ma and Jack Ma."
        );
        let (start, end) = span_of(&folded, "Jack Ma").unwrap_or_default();
        assert_eq!(&original[start..end], "Jack\u{a0}Ma");
        let last = folded.as_str().rfind("Jack Ma").unwrap_or(0);
        let start = folded.to_original(last);
        let end = folded.to_original(last + "Jack Ma".len());
        assert_eq!(&original[start..end], "Jack  \tMa");
    }

    #[test]
    fn a_paragraph_break_is_not_a_space() {
        let folded = Folded::new("Jack\n\nMa and Jack\r\n \r\nMa");
        assert_eq!(folded.as_str(), "Jack\nMa and Jack\nMa");
    }

    #[test]
    fn curly_apostrophes_become_straight() {
        let original = "Alibaba’s and Hong Kong‘s";
        let folded = Folded::new(original);
        assert_eq!(folded.as_str(), "Alibaba's and Hong Kong's");
        let start = folded.as_str().find("Hong Kong").unwrap_or(0);
        let end = start + "Hong Kong".len();
        assert_eq!(
            &original[folded.to_original(start)..folded.to_original(end)],
            "Hong Kong"
        );
    }

    #[test]
    fn soft_hyphens_vanish() {
        let original = "Ali\u{ad}baba opened";
        let folded = Folded::new(original);
        assert_eq!(folded.as_str(), "Alibaba opened");
        assert_eq!(folded.to_original("Alibaba".len()), "Ali\u{ad}baba".len());
    }

    #[test]
    fn original_offsets_map_forward() {
        let original = "a  \n  b’s c";
        let folded = Folded::new(original);
        assert_eq!(folded.as_str(), "a b's c");
        assert_eq!(folded.to_folded(0), 0);
        assert_eq!(folded.to_folded(1), 1, "the start of a run");
        assert_eq!(folded.to_folded(4), 2, "inside a run: its end");
        assert_eq!(folded.to_folded(original.find('b').unwrap_or(0)), 2);
        assert_eq!(folded.to_folded(original.find('s').unwrap_or(0)), 4);
        assert_eq!(folded.to_folded(original.len()), folded.as_str().len());
    }

    #[test]
    fn patterns_fold_like_text() {
        assert_eq!(fold(" Jack\u{a0}Ma "), "Jack Ma");
        assert_eq!(fold("Hong Kong’s"), "Hong Kong's");
    }

    proptest! {
        /// Every folded span that starts and ends on folded character boundaries maps back to
        /// an original span on character boundaries whose own folding is the folded span.
        #[test]
        fn spans_map_back_to_their_originals(
            original in "[a-zA-Z’‘ \u{a0}\n\t\r\u{ad}ñ马😀'.]{0,40}",
            a in 0usize..60,
            b in 0usize..60,
        ) {
            let folded = Folded::new(&original);
            let text = folded.as_str();
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let (a, b) = (bounds[a % bounds.len()], bounds[b % bounds.len()]);
            let (start, end) = (a.min(b), a.max(b));
            let (o_start, o_end) = (folded.to_original(start), folded.to_original(end));
            prop_assert!(original.is_char_boundary(o_start));
            prop_assert!(original.is_char_boundary(o_end));
            prop_assert!(o_start <= o_end);
            let piece = &text[start..end];
            // A span that begins or ends inside a folded whitespace run may gain or lose
            // whitespace at its edges; names never start or end with whitespace.
            if !piece.starts_with([' ', '\n']) && !piece.ends_with([' ', '\n']) && !piece.is_empty() {
                let refolded = Folded::new(&original[o_start..o_end]);
                prop_assert_eq!(refolded.as_str(), piece);
            }
        }
    }
}
