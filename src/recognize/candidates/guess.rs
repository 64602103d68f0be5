//! The kind a candidate most likely names, guessed from the words of the name and around it,
//! so that the editor offers the likeliest "Tag as" first and says why. The clues, strongest
//! first (the first that speaks decides):
//! 1. **A suffix** ending the name: `Ltd`, `Group`, `Bank`, `University` make an organisation;
//!    `Street`, `City`, `Island` a place; `Forum`, `Summit`, `Week` an event; `Initiative`,
//!    `Programme` an initiative ([`SUFFIXES`]).
//! 2. **A title** before it (`Mr`, `Minister`, `mayor`): a person.
//! 3. **A dateline** (`KUALA LUMPUR:`): a place.
//! 4. **A verb of saying** right after it (`said`, `says`, `told`), or `who`: a person.
//! 5. **A preposition of place** right before it (`in`, `at`, `from`, `near`): a place.
//!
//! Nothing else guesses: a bare capitalised name may be anything.

use std::ops::Range;

use super::{in_list, CandidateReason, WordList};
use crate::kb::Kind;

/// A guessed kind, with the clue it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Guess {
    /// The kind guessed.
    pub kind: Kind,
    /// The clue.
    pub reason: GuessReason,
}

/// The clue a guess rests on, with where it stands in the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GuessReason {
    /// The name's last word is a suffix of names of that kind (`Group`).
    Suffix(Range<usize>),
    /// A title stands before the name.
    Title(Range<usize>),
    /// The name opens a dateline.
    Dateline,
    /// A verb of saying (or `who`) follows the name.
    Said(Range<usize>),
    /// A preposition of place stands before the name.
    Preposition(Range<usize>),
}

impl Guess {
    /// Why, in a few words for a code action's title: `ends in «Group»`.
    pub fn describe(&self, text: &str) -> String {
        let at = |r: &Range<usize>| text.get(r.clone()).unwrap_or_default().to_owned();
        match &self.reason {
            GuessReason::Suffix(r) => format!("ends in «{}»", at(r)),
            GuessReason::Title(r) => format!("after the title «{}»", at(r)),
            GuessReason::Dateline => "opens a dateline".to_owned(),
            GuessReason::Said(r) => format!("before «{}»", at(r)),
            GuessReason::Preposition(r) => format!("after «{}»", at(r)),
        }
    }
}

/// The guess for a candidate spanning `span` of `text`, found for `reason`.
pub(super) fn guess(text: &str, span: &Range<usize>, reason: &CandidateReason) -> Option<Guess> {
    let name = text.get(span.clone())?;
    let last_start = name.rfind(|c: char| c.is_whitespace()).map_or(0, |i| {
        i + name[i..].chars().next().map_or(1, char::len_utf8)
    });
    let last = name.get(last_start..)?;
    let last_word = last.trim_end_matches('.');
    if last_start > 0 {
        if let Some(kind) = suffix_kind(last_word) {
            let start = span.start + last_start;
            return Some(Guess {
                kind,
                reason: GuessReason::Suffix(start..start + last_word.len()),
            });
        }
    }
    match reason {
        CandidateReason::AfterTitle(t) => {
            return Some(Guess {
                kind: Kind::Person,
                reason: GuessReason::Title(t.clone()),
            })
        }
        CandidateReason::Dateline => {
            return Some(Guess {
                kind: Kind::Place,
                reason: GuessReason::Dateline,
            })
        }
        CandidateReason::CapitalisedName | CandidateReason::Word => {}
    }
    if let Some(next) = word_after(text, span.end) {
        if in_list(SAYING, text.get(next.clone()).unwrap_or_default()) {
            return Some(Guess {
                kind: Kind::Person,
                reason: GuessReason::Said(next),
            });
        }
    }
    if let Some(prev) = word_before(text, span.start) {
        if in_list(
            PLACE_PREPOSITIONS,
            text.get(prev.clone()).unwrap_or_default(),
        ) {
            return Some(Guess {
                kind: Kind::Place,
                reason: GuessReason::Preposition(prev),
            });
        }
    }
    None
}

/// The kind of names ending in `word`, if it is one of [`SUFFIXES`].
pub(super) fn suffix_kind(word: &str) -> Option<Kind> {
    SUFFIXES
        .binary_search_by(|(s, _)| s.bytes().cmp(word.bytes().map(|b| b.to_ascii_lowercase())))
        .ok()
        .and_then(|i| SUFFIXES.get(i))
        .map(|&(_, kind)| kind)
}

/// The lowercase word right after `at`, past spaces only (`Smith said`, not `Smith, said`).
fn word_after(text: &str, at: usize) -> Option<Range<usize>> {
    let rest = text.get(at..)?;
    let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
    let start = at + rest.len() - trimmed.len();
    if start == at {
        return None;
    }
    let len = trimmed
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(trimmed.len());
    (len > 0).then_some(start..start + len)
}

/// The lowercase word right before `at`, past spaces only.
fn word_before(text: &str, at: usize) -> Option<Range<usize>> {
    let before = text.get(..at)?;
    let trimmed = before.trim_end_matches([' ', '\u{a0}']);
    if trimmed.len() == before.len() {
        return None;
    }
    let start = trimmed.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| {
        i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
    });
    (start < trimmed.len()).then_some(start..trimmed.len())
}

/// Words ending names of a kind, sorted lowercase.
pub(super) const SUFFIXES: &[(&str, Kind)] = &[
    ("academy", Kind::Organization),
    ("agency", Kind::Organization),
    ("airlines", Kind::Organization),
    ("airport", Kind::Place),
    ("airways", Kind::Organization),
    ("alliance", Kind::Organization),
    ("assembly", Kind::Organization),
    ("association", Kind::Organization),
    ("authority", Kind::Organization),
    ("avenue", Kind::Place),
    ("bank", Kind::Organization),
    ("bay", Kind::Place),
    ("bhd", Kind::Organization),
    ("board", Kind::Organization),
    ("bureau", Kind::Organization),
    ("campaign", Kind::Initiative),
    ("centre", Kind::Organization),
    ("city", Kind::Place),
    ("club", Kind::Organization),
    ("co", Kind::Organization),
    ("college", Kind::Organization),
    ("commission", Kind::Organization),
    ("committee", Kind::Organization),
    ("company", Kind::Organization),
    ("conference", Kind::Event),
    ("congress", Kind::Organization),
    ("corp", Kind::Organization),
    ("corporation", Kind::Organization),
    ("council", Kind::Organization),
    ("county", Kind::Place),
    ("court", Kind::Organization),
    ("cup", Kind::Event),
    ("department", Kind::Organization),
    ("district", Kind::Place),
    ("expo", Kind::Event),
    ("federation", Kind::Organization),
    ("festival", Kind::Event),
    ("forum", Kind::Event),
    ("foundation", Kind::Organization),
    ("fund", Kind::Organization),
    ("games", Kind::Event),
    ("group", Kind::Organization),
    ("hall", Kind::Organization),
    ("holdings", Kind::Organization),
    ("hospital", Kind::Organization),
    ("inc", Kind::Organization),
    ("initiative", Kind::Initiative),
    ("institute", Kind::Organization),
    ("island", Kind::Place),
    ("islands", Kind::Place),
    ("lake", Kind::Place),
    ("league", Kind::Organization),
    ("limited", Kind::Organization),
    ("llc", Kind::Organization),
    ("ltd", Kind::Organization),
    ("ministry", Kind::Organization),
    ("mountains", Kind::Place),
    ("museum", Kind::Organization),
    ("network", Kind::Organization),
    ("news", Kind::Organization),
    ("office", Kind::Organization),
    ("palace", Kind::Place),
    ("park", Kind::Place),
    ("parliament", Kind::Organization),
    ("party", Kind::Organization),
    ("plan", Kind::Initiative),
    ("plc", Kind::Organization),
    ("police", Kind::Organization),
    ("post", Kind::Organization),
    ("program", Kind::Initiative),
    ("programme", Kind::Initiative),
    ("project", Kind::Initiative),
    ("province", Kind::Place),
    ("region", Kind::Place),
    ("river", Kind::Place),
    ("road", Kind::Place),
    ("school", Kind::Organization),
    ("sea", Kind::Place),
    ("society", Kind::Organization),
    ("square", Kind::Place),
    ("state", Kind::Place),
    ("street", Kind::Place),
    ("summit", Kind::Event),
    ("technologies", Kind::Organization),
    ("times", Kind::Organization),
    ("trust", Kind::Organization),
    ("union", Kind::Organization),
    ("university", Kind::Organization),
    ("valley", Kind::Place),
    ("week", Kind::Event),
    ("workshop", Kind::Event),
    ("zone", Kind::Place),
];

/// Words after a person's name: verbs of saying, and `who`.
const SAYING: &WordList = &WordList::new(&[
    "added",
    "admitted",
    "argued",
    "asked",
    "explained",
    "insisted",
    "noted",
    "replied",
    "said",
    "says",
    "stated",
    "told",
    "warned",
    "who",
    "wrote",
]);

/// Prepositions before a place's name.
const PLACE_PREPOSITIONS: &WordList =
    &WordList::new(&["across", "at", "from", "in", "near", "outside"]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_sorted_lowercase() {
        assert!(SUFFIXES.windows(2).all(|w| w[0].0 < w[1].0));
        for list in [SAYING, PLACE_PREPOSITIONS] {
            let list = list.words;
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list.iter().all(|w| *w == w.to_lowercase() && w.is_ascii()));
        }
    }
}
