//! The title an article gives a person: `Finance Secretary` in `Finance Secretary Carlos
//! Dominguez`, `Mr` in `Mr Ma`.
//!
//! Titles are never part of a mention's span (names in the knowledge base carry none), but the
//! title an article uses is evidence of the person's role, worth showing on a hover card. The
//! title is read backwards from the name: the word just before it must be a title word
//! (`President`, `Minister`, `Mr`, `leader`...), and capitalised qualifiers before that are kept
//! with it (`Communications and Multimedia Minister`, `Hong Kong leader`), up to a punctuation
//! mark, a lowercase word or six words. Only a capitalised, formal title joins qualifiers with
//! `and` or `of`.

use std::ops::Range;

/// Words that make a title when they stand just before a name, in any case.
pub(crate) const TITLE_WORDS: &[&str] = &[
    "ambassador",
    "bishop",
    "ceo",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "colonel",
    "commissioner",
    "dame",
    "datin",
    "dato",
    "datuk",
    "deputy",
    "director",
    "dr",
    "executive",
    "founder",
    "general",
    "gov",
    "governor",
    "judge",
    "justice",
    "king",
    "lady",
    "leader",
    "lord",
    "mayor",
    "minister",
    "miss",
    "mr",
    "mrs",
    "ms",
    "pope",
    "premier",
    "president",
    "prime",
    "prince",
    "princess",
    "prof",
    "professor",
    "queen",
    "rep",
    "rev",
    "secretary",
    "sen",
    "senator",
    "seri",
    "sheikh",
    "sir",
    "speaker",
    "sri",
    "tan",
    "tun",
    "vice",
];

/// Words that may join capitalised qualifiers inside a title.
const CONNECTORS: &[&str] = &["and", "of", "for", "&"];

const MAX_WORDS: usize = 6;

/// The title standing just before byte `start` of `text`, as a byte range, if there is one.
/// The title may not reach back before `floor`: the end of the previous person's name, so that
/// in `Lim Guan Eng and Communications Minister Gobind Singh Deo` the second title stops at `and`.
pub fn title_before(text: &str, start: usize, floor: usize) -> Option<Range<usize>> {
    let mut words = WordsBackwards {
        text,
        at: start,
        floor,
    };
    let first = words.next()?;
    if !is_title_word(&text[first.clone()]) {
        return None;
    }
    // A formal title (`Minister`) may join qualifiers with `and`; an editorial description
    // (`mayor`) may not, or `secretary Han Zheng and mayor` would become one title.
    let formal = starts_uppercase(&text[first.clone()]);
    let mut title = first;
    let mut pending_connector: Option<Range<usize>> = None;
    for _ in 1..MAX_WORDS {
        let Some(word) = words.next() else { break };
        let w = &text[word.clone()];
        if CONNECTORS.contains(&w) {
            if pending_connector.is_some() || !formal {
                break;
            }
            pending_connector = Some(word);
            continue;
        }
        if is_title_word(w) || starts_uppercase(w) {
            title.start = word.start;
            pending_connector = None;
        } else {
            break;
        }
    }
    Some(title)
}

/// Whether `word` (a trailing period aside, in any case) is a title word.
pub(crate) fn is_title_word(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    TITLE_WORDS
        .binary_search_by(|t| cmp_ignore_ascii_case(t, word))
        .is_ok()
}

fn cmp_ignore_ascii_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

fn starts_uppercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The words before a point, nearest first, separated by one run of spaces or a single line
/// break; any other character between words ends the walk.
struct WordsBackwards<'a> {
    text: &'a str,
    at: usize,
    floor: usize,
}

impl Iterator for WordsBackwards<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let before = &self.text[..self.at];
        let trimmed = before.trim_end();
        let gap = &before[trimmed.len()..];
        if gap.is_empty() || gap.matches('\n').count() > 1 {
            return None;
        }
        let start = trimmed
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric() || matches!(c, '.' | '-' | '&'))
            .last()
            .map(|(i, _)| i)?;
        let word = start..trimmed.len();
        if start < self.floor || self.text[word.clone()].trim_matches(['.', '-']).is_empty() {
            return None;
        }
        self.at = start;
        Some(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title(text: &str, name: &str) -> Option<String> {
        let start = text.find(name)?;
        title_before(text, start, 0).map(|r| text[r].to_owned())
    }

    #[test]
    fn a_title_stops_at_the_previous_persons_name() {
        let text =
            "Minister Lim Guan Eng and Communications and Multimedia Minister Gobind Singh Deo";
        let start = text.find("Gobind").unwrap_or(0);
        let floor = text.find(" and").unwrap_or(0);
        let title = title_before(text, start, floor).map(|r| &text[r]);
        assert_eq!(title, Some("Communications and Multimedia Minister"));
    }

    #[test]
    fn the_title_words_are_sorted_for_binary_search() {
        assert!(TITLE_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn titles_are_read_back_from_the_name() {
        let cases = [
            (
                "partner President Rodrigo Duterte in",
                "Rodrigo Duterte",
                Some("President"),
            ),
            (
                "businesses, Finance Secretary Carlos Dominguez said",
                "Carlos Dominguez",
                Some("Finance Secretary"),
            ),
            ("said Mr Dominguez, who", "Dominguez", Some("Mr")),
            ("by Dr Mahathir Mohamad to", "Mahathir Mohamad", Some("Dr")),
            (
                "and Communications and Multimedia Minister Gobind Singh Deo during",
                "Gobind",
                Some("Communications and Multimedia Minister"),
            ),
            (
                "Ma, alongside Prime Minister Datuk Seri Najib Razak, announced",
                "Najib",
                Some("Prime Minister Datuk Seri"),
            ),
            (
                "visiting Hong Kong leader Carrie Lam Cheng",
                "Carrie",
                Some("Hong Kong leader"),
            ),
            (
                "Party secretary Han Zheng and mayor Ying Yong.",
                "Ying",
                Some("mayor"),
            ),
            (
                "Alibaba founder Jack Ma Yun has",
                "Jack",
                Some("Alibaba founder"),
            ),
            ("Chinese billionaire Jack Ma opens", "Jack", None),
            ("Jack Ma opens", "Jack", None),
            ("ambassador to Malaysia Bai Tian,", "Bai", None),
            ("(Mr.\nMa) said", "Ma", Some("Mr.")),
            ("Mr\n\nMa said", "Ma", None),
            ("President, Ma said", "Ma", None),
        ];
        for (text, name, expected) in cases {
            assert_eq!(title(text, name).as_deref(), expected, "{text}");
        }
    }
}
