//! The words around a place in a text, folded, so that a spot can be found again after the
//! text around it has been edited.
//!
//! A mention the user untags (or assigns to an entity) is remembered by the words next to it
//! rather than by its offset, which the next edit anywhere above it would invalidate. The
//! context is:
//!
//! - up to [`CONTEXT_WORDS`] words on each side, never crossing a paragraph break (a blank
//!   line), so that an edit in another paragraph never disturbs it;
//! - a word is a run of non-whitespace characters as it stands, punctuation included
//!   (`Philippines'`, `officials.`); next to the spot, the piece of a word glued to it counts as
//!   a word of its own (`(` before `(Ma)`, `'s` after `Alibaba's`);
//! - each word is folded as matching folds names ([`fold`]: curly apostrophes straight,
//!   invisible characters gone), and the words are joined by single spaces.
//!
//! The same functions compute the context when an anchor is made and when it is looked for, so
//! the two always agree on what "the same words" means.

use super::fold;

/// How many words on each side of a spot make its context.
pub const CONTEXT_WORDS: usize = 3;

/// Up to `n` words just before byte `at` of `text`, within its paragraph, folded and joined by
/// single spaces ("" at the start of a paragraph). `at` is clamped into the text and moved back
/// to a character boundary, so any offset is safe.
pub fn words_before(text: &str, at: usize, n: usize) -> String {
    let mut rest = &text[..floor_char_boundary(text, at)];
    let mut words = Vec::new();
    while words.len() < n {
        let trimmed = rest.trim_end();
        if is_paragraph_break(&rest[trimmed.len()..]) || trimmed.is_empty() {
            break;
        }
        let start = trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = fold(&trimmed[start..]);
        if !word.is_empty() {
            words.push(word);
        }
        rest = &trimmed[..start];
    }
    words.reverse();
    words.join(" ")
}

/// Up to `n` words just after byte `at` of `text`, within its paragraph, folded and joined by
/// single spaces ("" at the end of a paragraph). Any `at` is safe, as in [`words_before`].
pub fn words_after(text: &str, at: usize, n: usize) -> String {
    let mut rest = &text[floor_char_boundary(text, at)..];
    let mut words = Vec::new();
    while words.len() < n {
        let trimmed = rest.trim_start();
        if is_paragraph_break(&rest[..rest.len() - trimmed.len()]) || trimmed.is_empty() {
            break;
        }
        let end = trimmed
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(trimmed.len(), |(i, _)| i);
        let word = fold(&trimmed[..end]);
        if !word.is_empty() {
            words.push(word);
        }
        rest = &trimmed[end..];
    }
    words.join(" ")
}

/// The words of a context written by hand, in the form [`words_before`] and [`words_after`]
/// give: folded, whitespace collapsed, invisible-only words dropped.
pub fn context_words(written: &str) -> Vec<String> {
    written
        .split_whitespace()
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a run of whitespace holds a paragraph break, as [`fold`] decides it.
fn is_paragraph_break(whitespace: &str) -> bool {
    whitespace.matches('\n').nth(1).is_some()
}

/// `at` clamped into `text` and moved back to the start of the character it falls in.
pub(crate) fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around(text: &str, needle: &str) -> (String, String) {
        let start = text.find(needle).unwrap_or(0);
        (
            words_before(text, start, CONTEXT_WORDS),
            words_after(text, start + needle.len(), CONTEXT_WORDS),
        )
    }

    #[test]
    fn three_words_each_side_punctuation_included() {
        let text = "Alibaba's Ma to partner Philippines' Duterte";
        assert_eq!(
            around(text, "Ma "),
            ("Alibaba's".into(), "to partner Philippines'".into())
        );
        assert_eq!(
            around("one two three four Ma five six seven eight", "Ma"),
            ("two three four".into(), "five six seven".into())
        );
    }

    #[test]
    fn a_word_glued_to_the_spot_counts_as_a_word() {
        assert_eq!(
            around("said (Ma) today", "Ma"),
            ("said (".into(), ") today".into())
        );
        assert_eq!(
            around("Alibaba's office", "Alibaba"),
            ("".into(), "'s office".into())
        );
    }

    #[test]
    fn paragraph_breaks_stop_the_context_but_line_breaks_do_not() {
        let text = "end of one.\n\nMa spoke\nto them.\r\n\r\nNext";
        assert_eq!(around(text, "Ma"), ("".into(), "spoke to them.".into()));
        assert_eq!(
            around("a b\nMa c", "Ma"),
            ("a b".into(), "c".into()),
            "a single line break is a space"
        );
    }

    #[test]
    fn typographic_variants_fold() {
        assert_eq!(
            around("Alibaba’s\u{a0}\u{a0}Ma  said", "Ma"),
            ("Alibaba's".into(), "said".into())
        );
        assert_eq!(
            around("\u{feff}Ma said", "Ma"),
            ("".into(), "said".into()),
            "a byte-order mark is no word"
        );
    }

    #[test]
    fn written_contexts_normalise_the_same_way() {
        assert_eq!(
            context_words("  to\u{a0}partner \n Philippines’ "),
            ["to", "partner", "Philippines'"]
        );
        assert!(context_words("").is_empty());
    }

    #[test]
    fn any_offset_is_safe() {
        let text = "马云 said";
        for at in 0..text.len() + 3 {
            let _ = words_before(text, at, 3);
            let _ = words_after(text, at, 3);
        }
        assert_eq!(words_before(text, 1, 3), "");
    }
}
