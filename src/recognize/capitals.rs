//! Finding names written in capitals (`KUALA LUMPUR:` for `Kuala Lumpur`) without the
//! automaton.
//!
//! Every name and strong alias also matches in capitals, which makes half the patterns of a
//! knowledge base. Led to by the automaton, they would double its heads and the patterns its
//! lookups sift through, yet they can only occur where the text has an uppercase letter followed by no lowercase one (a
//! *trigger*), which news prose has only around datelines, acronyms and a few capitals. So
//! patterns without lowercase letters are looked up in the pattern table's index instead,
//! only in the runs of text around a trigger that hold no lowercase letter: at each place a
//! word may start there, the longest pattern that ends a word.
//!
//! Every occurrence of such a pattern holds a trigger: it has an uppercase letter, and what
//! follows that letter is either more of the pattern (no lowercase there) or, at its end, a
//! character after a word, which a lowercase letter never is.

use super::boundary::{ends_word, starts_word};
use super::patterns::PatternTable;

/// Whether every occurrence of `pattern` is found by [`Capitals::find`], so that the automaton
/// need not hold it: it has an uppercase letter and no lowercase one.
pub(super) fn found_without_automaton(pattern: &str) -> bool {
    pattern.chars().any(char::is_uppercase) && !pattern.chars().any(char::is_lowercase)
}

/// A pattern found in the folded text: `(start, end, pattern id)`.
pub(super) type Found = (usize, usize, u32);

/// Looks up the patterns that [`found_without_automaton`] admits.
#[derive(Debug, Default)]
pub(super) struct Capitals {
    /// Length in bytes of the longest such pattern; 0 when there is none, and nothing is
    /// searched.
    longest: usize,
}

impl Capitals {
    /// Searches for patterns of at most `longest` bytes.
    pub(super) fn new(longest: usize) -> Capitals {
        Capitals { longest }
    }

    /// For each place at or after byte `from` of the folded text `hay` where a pattern without
    /// lowercase letters may stand, the longest pattern of `table` standing there, in order of
    /// their starts. Matches may overlap; the caller keeps the leftmost-longest ones.
    pub(super) fn find(&self, hay: &str, from: usize, table: &PatternTable) -> Vec<Found> {
        let mut found = Vec::new();
        if self.longest == 0 {
            return found;
        }
        let mut at = from;
        while let Some(trigger) = next_trigger(hay, at) {
            // A pattern holding the trigger starts at most `longest` bytes before it.
            let start = run_start(hay, trigger, from.max(trigger.saturating_sub(self.longest)));
            let end = run_end(hay, trigger);
            self.find_in_run(hay, start..end, table, &mut found);
            at = end;
        }
        found
    }

    /// The longest standing pattern at each place a word may start in `run`, a stretch of
    /// `hay` without lowercase letters.
    fn find_in_run(
        &self,
        hay: &str,
        run: std::ops::Range<usize>,
        table: &PatternTable,
        found: &mut Vec<Found>,
    ) {
        let Some(text) = hay.get(run.clone()) else {
            return;
        };
        // Where a pattern may end: after a character that ends a word there.
        let ends: Vec<usize> = text
            .char_indices()
            .map(|(i, c)| (run.start + i, run.start + i + c.len_utf8()))
            .filter(|&(last, end)| ends_word(hay, last, end))
            .map(|(_, end)| end)
            .collect();
        for (i, _) in text.char_indices() {
            let start = run.start + i;
            if !starts_word(hay, start) {
                continue;
            }
            let first = ends.partition_point(|&e| e <= start);
            let last = ends.partition_point(|&e| e <= start + self.longest);
            let longest = ends[first..last]
                .iter()
                .rev()
                .find_map(|&end| Some((start, end, table.id(&hay[start..end])?)));
            found.extend(longest);
        }
    }
}

/// The first trigger at or after byte `from`: an uppercase letter followed by the end of the
/// text or by a character that is not a lowercase letter.
fn next_trigger(hay: &str, from: usize) -> Option<usize> {
    let bytes = hay.as_bytes();
    let mut i = from;
    loop {
        i = next_candidate(bytes, i)?;
        let Some(c) = hay.get(i..).and_then(|rest| rest.chars().next()) else {
            i += 1; // inside a character: its bytes are not letters of their own
            continue;
        };
        let after = i + c.len_utf8();
        if c.is_uppercase() && !hay[after..].chars().next().is_some_and(char::is_lowercase) {
            return Some(i);
        }
        i = after;
    }
}

/// The first byte at or after `from` that may start a trigger: an ASCII uppercase letter not
/// followed by an ASCII lowercase one, or the first byte of a character outside ASCII. Found
/// eight bytes at a time, since this runs over every text scanned, and prose is mostly
/// lowercase ASCII with capitals that start words (`The`), which this passes over.
fn next_candidate(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    const LOWS: u64 = ONES * 0x7f;
    // Added to a lane's low seven bits, these set its high bit when they are at least `A`,
    // past `Z`, at least `a`, past `z`; no carry leaves a lane.
    const A: u64 = ONES * (0x80 - b'A' as u64);
    const PAST_Z: u64 = ONES * (0x80 - b'Z' as u64 - 1);
    const LOWER_A: u64 = ONES * (0x80 - b'a' as u64);
    const PAST_LOWER_Z: u64 = ONES * (0x80 - b'z' as u64 - 1);
    let rest = bytes.get(from..)?;
    let mut at = from;
    // Eight bytes at a time, with the byte after them for the lowercase check.
    for window in rest.windows(9).step_by(8) {
        let [b0, b1, b2, b3, b4, b5, b6, b7, next] = *window else {
            break;
        };
        let w = u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]);
        let low = w & LOWS;
        let ascii = !w & HIGHS;
        let upper = (low + A) & !(low + PAST_Z) & ascii;
        let lower = (low + LOWER_A) & !(low + PAST_LOWER_Z) & ascii;
        // Little-endian: the next byte's lane, shifted into this one.
        let next_lower = (lower >> 8) | (u64::from(next.is_ascii_lowercase()) << 63);
        let lead = w & (w << 1) & HIGHS; // 0b11xx_xxxx: starts a character outside ASCII
        let found = (upper & !next_lower) | lead;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    (at..bytes.len()).find(|&i| {
        let b = bytes[i];
        b >= 0xC0
            || (b.is_ascii_uppercase() && !bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase))
    })
}

/// The start of the stretch without lowercase letters that ends at `trigger`, not before
/// `limit`.
fn run_start(hay: &str, trigger: usize, limit: usize) -> usize {
    let mut start = trigger;
    for (i, c) in hay[..trigger].char_indices().rev() {
        if i < limit || c.is_lowercase() {
            break;
        }
        start = i;
    }
    start
}

/// Where the stretch without lowercase letters from `trigger` ends: at the next lowercase
/// letter, or the end of the text.
fn run_end(hay: &str, trigger: usize) -> usize {
    hay[trigger..]
        .char_indices()
        .find(|&(_, c)| c.is_lowercase())
        .map_or(hay.len(), |(i, _)| trigger + i)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn triggers_are_capitals_not_followed_by_lowercase() {
        assert_eq!(next_trigger("The Philippines", 0), None);
        assert_eq!(next_trigger("in KUALA LUMPUR", 0), Some(3));
        assert_eq!(next_trigger("in KUALA LUMPUR", 4), Some(4));
        assert_eq!(next_trigger("the US economy", 0), Some(4));
        assert_eq!(next_trigger("I said", 0), Some(0));
        assert_eq!(next_trigger("ends in X", 0), Some(8));
        assert_eq!(next_trigger("Élan ÉCOLE", 0), Some(6));
        assert_eq!(next_trigger("Ωmega ΩΜ", 0), Some(7));
    }

    #[test]
    fn what_the_automaton_may_leave_out() {
        assert!(found_without_automaton("KUALA LUMPUR"));
        assert!(found_without_automaton("7-ELEVEN"));
        assert!(!found_without_automaton("Kuala Lumpur"));
        assert!(!found_without_automaton("1999"), "no uppercase letter");
        assert!(!found_without_automaton("ĸA"), "ĸ has no capital");
    }

    proptest! {
        /// The search eight bytes at a time agrees with looking at every character.
        #[test]
        fn triggers_agree_with_a_character_by_character_search(
            hay in "[aAzZ@\\[`{ ÉéΩω马1.]{0,40}",
            from in 0usize..45,
        ) {
            let chars: Vec<(usize, char)> = hay.char_indices().collect();
            let expected = chars.iter().enumerate().find_map(|(k, &(i, c))| {
                let next_lower = chars.get(k + 1).is_some_and(|&(_, n)| n.is_lowercase());
                (i >= from && c.is_uppercase() && !next_lower).then_some(i)
            });
            prop_assert_eq!(next_trigger(&hay, from), expected);
        }
    }
}
