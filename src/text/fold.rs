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
    /// Folds `original` in one pass. Plain ASCII prose with single spaces is copied in bulk,
    /// found eight bytes at a time (`next_to_fold`): folding runs before every search, so it
    /// must cost little next to the automaton.
    pub fn new(original: &str) -> Self {
        let bytes = original.as_bytes();
        let mut text = String::with_capacity(original.len());
        let mut anchors = Vec::new();
        let mut copied = 0; // original bytes already handled
        let mut i = next_to_fold(bytes, 0);
        while i < bytes.len() {
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
            i = next_to_fold(bytes, next);
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

/// Folds one string for use as a pattern: the same rules as [`Folded::new`], without the map,
/// and without spaces at either end. They are trimmed after folding, not before: a character
/// that folds to nothing (a byte-order mark, a soft hyphen) can stand between the edge and a
/// space, and a pattern that kept that space would make mentions that begin or end with one.
pub fn fold(s: &str) -> String {
    let folded = Folded::new(s).text;
    match folded.trim_matches([' ', '\n']) {
        trimmed if trimmed.len() == folded.len() => folded,
        trimmed => trimmed.to_owned(),
    }
}

/// Whether the byte at `i` may fold to something else: any byte of a non-ASCII character, a
/// control character (line breaks and tabs among them), or a space that another space-like
/// byte follows. Everything else is copied as it is.
fn needs_folding_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b' ' => bytes.get(i + 1).copied().is_some_and(is_space_like),
        b => !(b' '..0x80).contains(&b),
    }
}

/// Whether a byte may be, or begin, whitespace: ASCII up to the space, or any non-ASCII byte.
fn is_space_like(b: u8) -> bool {
    !(b'!'..0x80).contains(&b)
}

/// The first byte at or after `from` that [`needs_folding_at`], or the length: the same answer
/// as testing byte by byte, eight bytes at a time. Each test below sets the high bit of every
/// byte lane it holds for, exactly (no carries cross lanes, since every lane is added to only
/// after masking its own high bit away).
fn next_to_fold(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    const LOWS: u64 = ONES * 0x7f;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut lanes = [0; 8];
        lanes.copy_from_slice(chunk);
        let w = u64::from_le_bytes(lanes);
        // Lanes ≤ 0x20 (ASCII only) or ≥ 0x80.
        let space_like = !(((w & LOWS) + ONES * (0x80 - 0x21)) | w) & HIGHS | (w & HIGHS);
        let x = w ^ (ONES * 0x20);
        let spaces = !(((x & LOWS) + LOWS) | x) & HIGHS;
        // Little-endian: the next byte's lane, shifted into this one.
        let mut next_space_like = space_like >> 8;
        if bytes.get(i + 8).copied().is_some_and(is_space_like) {
            next_space_like |= 0x80 << 56;
        }
        let special = (space_like & !spaces) | (spaces & next_space_like);
        if special != 0 {
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    (i..bytes.len())
        .find(|&i| needs_folding_at(bytes, i))
        .unwrap_or(bytes.len())
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

    /// Folding as the rules say it, one character at a time, to hold the fast path to.
    fn fold_slowly(original: &str) -> String {
        let mut out = String::new();
        let mut chars = original.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_whitespace() {
                let mut newlines = usize::from(c == '\n');
                while let Some(&n) = chars.peek().filter(|n| n.is_whitespace()) {
                    newlines += usize::from(n == '\n');
                    chars.next();
                }
                out.push(if newlines >= 2 { '\n' } else { ' ' });
            } else {
                match c {
                    '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' => out.push('\''),
                    '\u{00AD}' | '\u{200B}' | '\u{FEFF}' => {}
                    other => out.push(other),
                }
            }
        }
        out
    }

    /// Found by the `recognize` fuzz target: trimming before folding left the space next to a
    /// character that folds to nothing, and a pattern that began or ended with a space.
    #[test]
    fn a_folded_pattern_has_no_space_at_either_end() {
        assert_eq!(fold("\u{feff} Jack"), "Jack");
        assert_eq!(fold("Jack \u{ad}"), "Jack");
        assert_eq!(fold("\u{200b}\u{a0}Jack Ma\n\u{feff}"), "Jack Ma");
        assert_eq!(fold("\u{ad}"), "");
    }

    proptest! {
        /// The eight-bytes-at-a-time search stops exactly where a byte-by-byte one would.
        #[test]
        fn the_fast_search_finds_the_first_byte_to_fold(
            original in "[a-z \u{a0}\n\t\r\x01\x1f!é’]{0,40}",
            from in 0usize..41,
        ) {
            let bytes = original.as_bytes();
            let from = from.min(bytes.len());
            let slow = (from..bytes.len()).find(|&i| needs_folding_at(bytes, i)).unwrap_or(bytes.len());
            prop_assert_eq!(next_to_fold(bytes, from), slow);
        }

        /// The fast path folds every text as the rules do, character by character.
        #[test]
        fn folding_follows_the_rules(original in "[a-zA-Z’‘ \u{a0}\n\t\r\u{ad}\u{2003}ñ马😀'.!\x1f]{0,64}") {
            let folded = Folded::new(&original);
            prop_assert_eq!(folded.as_str(), fold_slowly(&original));
        }

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
