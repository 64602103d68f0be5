//! Where a name may start and end: on word boundaries, so that `Ma` is never found inside
//! `Macau` and `Alibaba’s` still yields `Alibaba`.
//!
//! A word character is a letter, a digit, a combining mark (so `Manila` followed by a combining
//! accent is one word) or a connector such as `_`. A match must not continue a word on either
//! side, unless the name itself begins or ends with punctuation (`Alibaba Group Holding Ltd.`).
//! After a name, an apostrophe ends it only as a possessive — `Philippines'`, `Ma's` — and not
//! inside a word such as `Ma'an`. Checks run on folded text, where every apostrophe is `'`.

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Whether `c` continues a word.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric()
        || c.general_category_group() == GeneralCategoryGroup::Mark
        || c.general_category() == GeneralCategory::ConnectorPunctuation
}

/// Whether a name spanning `start..end` of `text` (byte offsets on character boundaries) stands
/// on its own: not glued to a word before it, and not followed by more of a word.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    starts_word(text, start) && ends_word(text, start, end)
}

/// Whether a name starting at `start` does not continue a word before it.
pub fn starts_word(text: &str, start: usize) -> bool {
    let first = text[start..].chars().next();
    let before = text[..start].chars().next_back();
    match (before, first) {
        (Some(b), Some(f)) => !(is_word_char(b) && is_word_char(f)),
        _ => true,
    }
}

/// Whether a name spanning `start..end` is not followed by more of a word. An apostrophe after
/// it is fine as a possessive (`'s`, or a bare `'` after a plural) and not otherwise.
pub fn ends_word(text: &str, start: usize, end: usize) -> bool {
    let Some(last) = text[start..end].chars().next_back() else {
        return false;
    };
    if !is_word_char(last) {
        return true;
    }
    let mut after = text[end..].chars();
    match after.next() {
        None => true,
        Some('\'') => {
            let mut rest = after.clone();
            match rest.next() {
                None => true,
                Some('s') => rest.next().is_none_or(|c| !is_word_char(c)),
                Some(c) => !is_word_char(c),
            }
        }
        Some(c) => !is_word_char(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str, needle: &str) -> bool {
        let start = text.find(needle).unwrap_or(0);
        is_whole_word(text, start, start + needle.len())
    }

    #[test]
    fn a_short_name_is_not_found_inside_longer_words() {
        for word in [
            "Macau", "Malaysia", "Mahathir", "Manila", "Mama", "ManilaMa", "Ma2",
        ] {
            assert!(!whole(word, "Ma"), "{word}");
        }
        assert!(!whole("AMa", "Ma"));
        assert!(
            !whole("ñMa", "Ma"),
            "letters beyond ASCII are word characters"
        );
        assert!(
            !whole("Ma\u{0301}", "Ma"),
            "a combining accent continues the word"
        );
        assert!(!whole("马Ma", "Ma"));
    }

    #[test]
    fn punctuation_and_space_end_a_name() {
        for text in [
            "Ma said", "(Ma)", "Ma,", "Ma.", "Ma", "“Ma”", "Ma-led", "Mr Ma's", "Ma:",
        ] {
            assert!(whole(text, "Ma"), "{text}");
        }
    }

    #[test]
    fn possessives_end_a_name_but_inner_apostrophes_do_not() {
        assert!(whole("Alibaba's office", "Alibaba"));
        assert!(whole("the Philippines' leader", "Philippines"));
        assert!(whole("Philippines'", "Philippines"));
        assert!(whole("Ma's", "Ma"));
        assert!(!whole("Ma'an", "Ma"));
        assert!(!whole("Ma'sum", "Ma"));
    }

    #[test]
    fn names_ending_in_punctuation_need_no_boundary_after() {
        assert!(whole("Holding Ltd.'s cinema", "Holding Ltd."));
        assert!(whole("Co.x", "Co."));
    }
}
