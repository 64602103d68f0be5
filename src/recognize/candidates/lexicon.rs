//! What a corpus says about how its words are written: the evidence that lets one word be read
//! as a name by itself — it is capitalised mid-sentence somewhere, so a capital at a sentence's
//! start means a name there too (one sense per discourse) — or not: the corpus mostly writes it
//! in lowercase (`Shares`, `Company`, the words of a title-case headline).

use std::cell::{OnceCell, RefCell};
use std::hash::Hasher;
use std::ops::Range;

use rustc_hash::{FxBuildHasher, FxHashMap, FxHasher};

use super::{char_at, find_with, scan_word, tokenize, Candidate, Shape, Word};
use crate::recognize::is_word_char;
use crate::recognize::Mention;

/// How often a word (folded to lowercase) is written each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Usage {
    /// With capitals, not at a sentence's start: evidence of a name.
    pub mid: u32,
    /// With capitals at a sentence's start: no evidence either way.
    pub initial: u32,
    /// In lowercase: evidence of an ordinary word.
    pub lower: u32,
}

/// How the words of a set of texts are written, gathered once for a corpus so that every
/// article's candidates use the whole corpus's evidence. [`find_candidates`](super::find_candidates)
/// without one uses the article's own words.
///
/// Words are kept by a 64-bit hash of their lowercase form, not their text: nothing is
/// allocated per word, and two words of a corpus sharing a hash (about one chance in 10^8 for
/// a million distinct words) would only share their counts.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: hashbrown::HashMap<u64, Usage, FxBuildHasher>,
}

impl Lexicon {
    /// The evidence of `texts`.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for text in texts {
            lexicon.add(text);
        }
        lexicon
    }

    /// Adds the evidence of one more text.
    pub fn add(&mut self, text: &str) {
        self.add_words(text, &tokenize(text));
    }

    fn add_words(&mut self, text: &str, words: &[Word]) {
        for word in words {
            let Some(w) = text.get(word.span.clone()) else {
                continue;
            };
            let usage = self.words.entry(key(w.trim_end_matches('.'))).or_default();
            match word.shape {
                Shape::Capitalised | Shape::Mixed | Shape::Upper if word.initial => {
                    usage.initial += 1;
                }
                Shape::Capitalised | Shape::Mixed | Shape::Upper => usage.mid += 1,
                Shape::Lower | Shape::Particle => usage.lower += 1,
                Shape::Initial | Shape::Other => {}
            }
        }
    }

    /// The counts of an article's `words` that a search may ask about: those of its name words
    /// (capitalised, mixed-case, all caps), since a search asks only about its own name words.
    /// Lowercase words are counted only when they are one of those, which spares hashing most
    /// of them (those of a length no name word has).
    fn of_names(text: &str, words: &[Word]) -> Lexicon {
        let mut l = Lexicon {
            words: hashbrown::HashMap::with_capacity_and_hasher(words.len() / 2, FxBuildHasher),
        };
        // Bit `n`: a name word of `n` bytes; all bits when lowercasing may change a length.
        let mut lengths = 0u64;
        for word in words {
            let Some(w) = text.get(word.span.clone()).map(|w| w.trim_end_matches('.')) else {
                continue;
            };
            let usage = match word.shape {
                Shape::Capitalised | Shape::Mixed | Shape::Upper => {
                    l.words.entry(key(w)).or_default()
                }
                _ => continue,
            };
            if word.initial {
                usage.initial += 1;
            } else {
                usage.mid += 1;
            }
            lengths |= if w.is_ascii() {
                1 << w.len().min(63)
            } else {
                u64::MAX
            };
        }
        for word in words {
            if !matches!(word.shape, Shape::Lower | Shape::Particle) {
                continue;
            }
            let Some(w) = text.get(word.span.clone()).map(|w| w.trim_end_matches('.')) else {
                continue;
            };
            if lengths & (1 << w.len().min(63)) != 0 {
                if let Some(usage) = l.words.get_mut(&key(w)) {
                    usage.lower += 1;
                }
            }
        }
        l
    }

    /// How the corpus writes `word`.
    pub(super) fn usage(&self, word: &str) -> Usage {
        self.words
            .get(&key(word.trim_end_matches('.')))
            .copied()
            .unwrap_or_default()
    }

    /// The candidates of `text` (see [`find_candidates`](super::find_candidates)), read with
    /// this evidence rather than the article's alone.
    pub fn find(&self, text: &str, mentions: &[Mention]) -> Vec<Candidate> {
        find_with(text, mentions, Some(self))
    }
}

/// The word as the lexicon keys it: a hash of its lowercase form.
fn key(word: &str) -> u64 {
    let mut h = FxHasher::default();
    let mut lowered = [0u8; 32];
    if let Some(lowered) = lowered.get_mut(..word.len()).filter(|_| word.is_ascii()) {
        // The usual word: lowercased on the stack and hashed eight bytes at a time.
        for (l, b) in lowered.iter_mut().zip(word.bytes()) {
            *l = b.to_ascii_lowercase();
        }
        h.write(lowered);
    } else if word.is_ascii() {
        for b in word.bytes() {
            h.write_u8(b.to_ascii_lowercase());
        }
    } else {
        for c in word.chars().flat_map(char::to_lowercase) {
            h.write_u32(c as u32);
        }
    }
    h.finish()
}

/// The evidence a search reads: a corpus's, or the article's own, gathered on first need.
pub(super) enum Evidence<'l> {
    Corpus(&'l Lexicon),
    Article {
        /// The counts of the words the search was given, gathered on first need.
        words: OnceCell<Lexicon>,
        /// Stretches of the article whose words the search was not given ([`skim`](super::skim)
        /// skipped them: no word there has a capital), where lowercase uses are counted on demand.
        skipped: &'l [Range<usize>],
        /// Lowercase uses in `skipped`, by [`key`], of the words asked about so far.
        lower_skipped: RefCell<FxHashMap<u64, u32>>,
    },
}

impl<'l> Evidence<'l> {
    /// A corpus's evidence, or without one the article's: its words given to the search, and
    /// the `skipped` stretches of lowercase words it was not given.
    pub fn new(lexicon: Option<&'l Lexicon>, skipped: &'l [Range<usize>]) -> Evidence<'l> {
        match lexicon {
            Some(l) => Evidence::Corpus(l),
            None => Evidence::Article {
                words: OnceCell::new(),
                skipped,
                lower_skipped: RefCell::default(),
            },
        }
    }

    /// How often the corpus (or the article `text`, split into `words`) writes `word` with
    /// capitals, not at a sentence's start. For an article, `word` must be one of its name
    /// words: only those are counted.
    pub fn mid(&self, text: &str, words: &[Word], word: &str) -> u32 {
        self.counted(text, words, word).mid
    }

    /// How often the corpus (or the article) writes `word` in lowercase.
    pub fn lower(&self, text: &str, words: &[Word], word: &str) -> u32 {
        let given = self.counted(text, words, word).lower;
        match self {
            Evidence::Corpus(_) => given,
            Evidence::Article {
                skipped,
                lower_skipped,
                ..
            } => {
                let k = key(word.trim_end_matches('.'));
                let mut memo = lower_skipped.borrow_mut();
                let n = *memo
                    .entry(k)
                    .or_insert_with(|| lower_in_skipped(text, skipped, word));
                given.saturating_add(n)
            }
        }
    }

    /// The counts of `word` in the corpus, or among the article's given `words`.
    fn counted(&self, text: &str, words: &[Word], word: &str) -> Usage {
        match self {
            Evidence::Corpus(l) => l.usage(word),
            Evidence::Article { words: cell, .. } => cell
                .get_or_init(|| Lexicon::of_names(text, words))
                .usage(word),
        }
    }
}

/// How many words of the `skipped` stretches of `text` are `word` in lowercase (a period at its
/// end aside), as [`Lexicon`] would count them: those stretches hold no capital, so the word is
/// found as lowercasing writes it, and each find that starts a word is read as one.
fn lower_in_skipped(text: &str, skipped: &[Range<usize>], word: &str) -> u32 {
    let word = word.trim_end_matches('.');
    if skipped.is_empty() || word.is_empty() {
        return 0;
    }
    let needle = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.to_lowercase()
    };
    let mut n = 0u32;
    for at in memchr::memmem::find_iter(text.as_bytes(), needle.as_bytes()) {
        let i = skipped.partition_point(|s| s.end <= at);
        let Some(stretch) = skipped.get(i).filter(|s| s.start <= at) else {
            continue;
        };
        if !starts_word(text, stretch.start, at) {
            continue;
        }
        let found = scan_word(text, at, false);
        let lower = matches!(found.shape, Shape::Lower | Shape::Particle);
        if lower && text.get(found.span).map(|w| w.trim_end_matches('.')) == Some(needle.as_str()) {
            n = n.saturating_add(1);
        }
    }
    n
}

/// Whether a word starts at `at`, in a stretch of text starting at `from` between two words:
/// the words are read from the last ASCII space before `at`, where one must start.
fn starts_word(text: &str, from: usize, at: usize) -> bool {
    let bytes = text.as_bytes();
    let mut i = bytes
        .get(from..at)
        .and_then(|b| b.iter().rposition(u8::is_ascii_whitespace))
        .map_or(from, |p| from + p + 1);
    while i < at {
        i = match char_at(text, i) {
            Some(c) if is_word_char(c) => scan_word(text, i, false).full.end.max(i + 1),
            Some(c) => i + c.len_utf8(),
            None => return false,
        };
    }
    i == at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_by_how_they_are_written() {
        let l = Lexicon::from_texts(["Shares rose. The shares of Acme fell.", "Acme said."]);
        assert_eq!(
            l.usage("Shares"),
            Usage {
                mid: 0,
                initial: 1,
                lower: 1
            }
        );
        assert_eq!(
            l.usage("ACME"),
            Usage {
                mid: 1,
                initial: 1,
                lower: 0
            }
        );
        assert_eq!(l.usage("none"), Usage::default());
    }
}
