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

/// The length in bytes of a possessive just after a name ending at `end` (`’s`, `'s`, or a
/// bare apostrophe after a plural such as `Philippines’`), or 0. Works on unfolded text, so
/// that what is shown after a mention (an inlay hint) goes after all of it.
pub fn possessive_len(text: &str, end: usize) -> usize {
    let Some(rest) = text.get(end..) else {
        return 0;
    };
    let mut chars = rest.chars();
    let Some(apostrophe @ ('\'' | '’')) = chars.next() else {
        return 0;
    };
    match chars.next() {
        Some('s') if chars.next().is_none_or(|c| !is_word_char(c)) => apostrophe.len_utf8() + 1,
        Some(c) if is_word_char(c) => 0,
        _ if text[..end].ends_with('s') => apostrophe.len_utf8(),
        _ => 0,
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
    fn a_possessive_after_a_name_is_measured_whole() {
        let at = |text: &str, name: &str| possessive_len(text, name.len());
        assert_eq!(at("Alibaba’s office", "Alibaba"), "’s".len());
        assert_eq!(at("Alibaba's", "Alibaba"), 2);
        assert_eq!(at("Philippines’ leader", "Philippines"), "’".len());
        assert_eq!(at("Philippines' leader", "Philippines"), 1);
        assert_eq!(
            at("Ma' said", "Ma"),
            0,
            "a bare apostrophe is a possessive only after a plural"
        );
        assert_eq!(at("Ma'an", "Ma"), 0);
        assert_eq!(at("Ma'sum", "Ma"), 0);
        assert_eq!(at("Ma said", "Ma"), 0);
        assert_eq!(at("Ma", "Ma"), 0);
    }

    #[test]
    fn names_ending_in_punctuation_need_no_boundary_after() {
        assert!(whole("Holding Ltd.'s cinema", "Holding Ltd."));
        assert!(whole("Co.x", "Co."));
    }
}
