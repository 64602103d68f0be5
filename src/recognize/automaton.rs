//! The automaton over the heads of the folded patterns (their first words): one job, finding
//! the leftmost-longest head that starts at or after a byte of the folded text. The patterns
//! themselves, word boundaries and titles are the caller's business, read on the whole text.
//!
//! It is `daachorse`'s bytewise double-array Aho-Corasick automaton, at every size.
//! `cargo bench --bench automata` measured it against `aho-corasick`'s noncontiguous NFA,
//! contiguous NFA (that crate's default for large dictionaries, used here before) and DFA,
//! with and without their prefilters, and against `daachorse`'s charwise automaton: on the
//! patterns of 10k, 100k and 1M-entity knowledge bases it scans news text 1.4 to 2.2 times as
//! fast as the fastest `aho-corasick` kind (the contiguous NFA), with about the same heap and
//! build time (12 to 14 s at 1M entities for both, in the knowledge base's order; sorted input
//! brings the double array's to about 5 s, see [`Automaton::build`]). The DFA scans slower
//! than the contiguous NFA and needs 1.5 GB at 100k entities. So `aho-corasick` has no size
//! where it wins and is not kept for small dictionaries. The bytewise automaton rather than
//! the charwise one: it scans as fast up to 100k entities and faster at 1M, and it searches
//! from any byte offset without slicing a `str` (which would panic off a char boundary),
//! exactly as `aho-corasick` did.
//!
//! Those measurements held every pattern. At 1M entities the build then took 2.3 s and a
//! gigabyte of fresh memory, on the critical path of loading a knowledge base; holding only
//! the 110 thousand first words of the two million patterns, it builds in 0.12–0.15 s, on a
//! second core. The scan, which then looks the patterns up where a first word matches, runs
//! as fast as before (see `BENCHMARKS.md`).

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};

pub use daachorse::errors::DaachorseError as BuildError;

/// A leftmost-longest automaton over a list of patterns, which it identifies by their index.
pub struct Automaton {
    inner: DoubleArrayAhoCorasick<u32>,
}

impl std::fmt::Debug for Automaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Automaton")
            .field("states", &self.inner.num_states())
            .field("heap_bytes", &self.inner.heap_bytes())
            .finish()
    }
}

impl Automaton {
    /// Builds the automaton for `patterns`, each with the id a match reports. The patterns
    /// should be distinct and non-empty. Fails, rather than panicking, past the crate's limits
    /// (2^24 - 1 patterns, 2^32 states).
    ///
    /// Any order works, but patterns given in sorted order (as the pattern table gives them)
    /// build the builder's trie one branch at a time, in memory it has just touched: a
    /// 2M-pattern automaton in about 60 % of the time the knowledge base's order takes.
    pub fn build<'p>(
        patterns: impl IntoIterator<Item = (&'p str, u32)>,
    ) -> Result<Automaton, BuildError> {
        let inner = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(patterns.into_iter().map(|(p, id)| (p.as_bytes(), id)))?;
        Ok(Automaton { inner })
    }

    /// The leftmost pattern that starts at or after byte `at` of `hay`, the longest one there:
    /// `(start, end, pattern index)` in bytes of `hay`. `at` need not be a char boundary; past
    /// the end, nothing is found.
    pub fn find_from(&self, hay: &str, at: usize) -> Option<(usize, usize, u32)> {
        let rest = hay.as_bytes().get(at..)?;
        // The double array's iterator has no start offset: search the rest and shift back.
        self.inner
            .leftmost_find_iter(rest)
            .next()
            .map(|m| (at + m.start(), at + m.end(), m.value()))
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, Input};
    use proptest::prelude::*;

    use super::*;

    fn build(patterns: &[&str]) -> Automaton {
        Automaton::build(patterns.iter().copied().zip(0..)).expect("the automaton builds")
    }

    #[test]
    fn finds_the_longest_at_the_leftmost_start() {
        let automaton = build(&["ab", "a", "abcd", "bcd"]);
        assert_eq!(automaton.find_from("xabcd", 0), Some((1, 5, 2)));
        assert_eq!(automaton.find_from("xabcd", 2), Some((2, 5, 3)));
        assert_eq!(automaton.find_from("xabce", 0), Some((1, 3, 0)));
        assert_eq!(automaton.find_from("xabcd", 5), None);
        assert_eq!(automaton.find_from("xabcd", 99), None);
    }

    #[test]
    fn searches_from_inside_a_character() {
        let automaton = build(&["é", "ém"]);
        assert_eq!(automaton.find_from("aémé", 2), Some((4, 6, 0)));
        assert_eq!(automaton.find_from("aémé", 1), Some((1, 4, 1)));
    }

    proptest! {
        /// The same matches as `aho-corasick`'s leftmost-longest search from the same byte,
        /// which the recognizer used before.
        #[test]
        fn agrees_with_aho_corasick(
            patterns in proptest::collection::btree_set("[abé ]{1,4}", 1..12),
            hay in "[abcé ]{0,40}",
            at in 0usize..45,
        ) {
            let patterns: Vec<String> = patterns.into_iter().collect();
            let ours = Automaton::build(patterns.iter().map(String::as_str).zip(0..))
                .expect("the automaton builds");
            let theirs = AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("the reference builds");
            let expected = (at <= hay.len())
                .then(|| theirs.find(Input::new(&hay).range(at..)))
                .flatten()
                .map(|m| (m.start(), m.end(), m.pattern().as_u32()));
            prop_assert_eq!(ours.find_from(&hay, at), expected);
        }
    }
}
