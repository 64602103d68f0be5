//! Which name a place in the text belongs to, read with the candidate rules' words: the name a
//! cursor stands in ([`name_at`]), and whether a word carries on a name begun before it
//! ([`continues_unknown_name`]).
//!
//! Both answer questions about one spot, so both read little: the first the words around a
//! cursor (after the candidates of the text, which it prefers), the second the word before a
//! hit on its own line.

use std::ops::Range;

use super::{
    find_candidates, in_list, is_date_word, is_title, is_word_char, run_end, tokenize, Candidate,
    Mentions, Shape, Word, FUNCTION_WORDS, LEADING_DATES,
};
use crate::recognize::Mention;

/// What a cursor stands in, for an editor to act on the whole of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameAt {
    /// A candidate name ([`find_candidates`]): what the candidate hint points at.
    Candidate(Candidate),
    /// Capitalised words around the cursor that are no candidate (one word, say): the name a
    /// user tagging there most likely means.
    Words(Range<usize>),
}

impl NameAt {
    /// The byte range of the name.
    pub fn span(&self) -> Range<usize> {
        match self {
            NameAt::Candidate(c) => c.span.clone(),
            NameAt::Words(span) => span.clone(),
        }
    }
}

/// The name a cursor at byte `at` of `text` stands in or just after, so that a code action at
/// a cursor (an empty range, or Helix's one-character selection) acts on the whole name and
/// not on one letter of it.
///
/// A candidate containing the cursor comes first; otherwise the capitalised words of the
/// cursor's run (particles inside it allowed), cut as candidates are cut: at `mentions`,
/// function words (`The`), titles and dates, none of which is part of a name. A cursor on a
/// lowercase word, a function word, a title, a date or a mention stands in no name: `None`.
///
/// ```
/// use dossier::recognize::{name_at, NameAt};
///
/// let text = "Then Pony said. Bai Tian left.";
/// assert_eq!(name_at(text, 6, &[]).map(|n| &text[n.span()]), Some("Pony"));
/// assert!(matches!(name_at(text, 17, &[]), Some(NameAt::Candidate(_))));
/// assert_eq!(name_at(text, 1, &[]), None, "`Then` starts a sentence");
/// ```
pub fn name_at(text: &str, at: usize, mentions: &[Mention]) -> Option<NameAt> {
    if let Some(c) = find_candidates(text, mentions)
        .into_iter()
        .find(|c| c.span.start <= at && at <= c.span.end)
    {
        return Some(NameAt::Candidate(c));
    }
    let words = tokenize(text);
    // The word the cursor is in, or the one it just follows.
    let index = words
        .iter()
        .position(|w| w.full.start <= at && at < w.full.end)
        .or_else(|| words.iter().position(|w| w.full.end == at))?;
    let mentions = Mentions::new(mentions);
    let breaks = |w: &Word| !w.shape.is_name() || ends_name(text, w, &mentions);
    if words.get(index).is_none_or(breaks) {
        return None;
    }
    // The run holding the word: runs start at name words and end where `run_end` says.
    let mut start = 0;
    let run = loop {
        let word = words.get(start)?;
        if !word.shape.is_name() {
            start += 1;
            continue;
        }
        let end = run_end(&words, start).max(start + 1);
        if index < end {
            break start..end;
        }
        start = end;
    };
    let mut first = index;
    while first > run.start
        && words
            .get(first - 1)
            .is_some_and(|w| !breaks_piece(text, w, &mentions))
    {
        first -= 1;
    }
    let mut last = index;
    while last + 1 < run.end
        && words
            .get(last + 1)
            .is_some_and(|w| !breaks_piece(text, w, &mentions))
    {
        last += 1;
    }
    // Particles link name words; at the edges they are no part of the name.
    while first < index && words.get(first).is_some_and(|w| w.shape == Shape::Particle) {
        first += 1;
    }
    while last > index && words.get(last).is_some_and(|w| w.shape == Shape::Particle) {
        last -= 1;
    }
    let span = words.get(first)?.span.start..words.get(last)?.span.end;
    Some(NameAt::Words(span))
}

/// Whether a word of a run, name word or particle, cuts the name there.
fn breaks_piece(text: &str, word: &Word, mentions: &Mentions) -> bool {
    word.shape != Shape::Particle && ends_name(text, word, mentions)
}

/// A name word that is never part of a name: it touches a mention, starts a sentence (`The`),
/// is a title (`Minister`) or a date (`Monday`, `May`).
fn ends_name(text: &str, word: &Word, mentions: &Mentions) -> bool {
    let w = text.get(word.span.clone()).unwrap_or_default();
    mentions.overlaps(&word.full)
        || in_list(FUNCTION_WORDS, w)
        || is_title(w)
        || in_list(LEADING_DATES, w)
        || is_date_word(word, w)
}

/// How far back the word before a hit is looked for, in bytes: longer words are not names.
const LOOK_BACK: usize = 64;

/// How far past a hit the rest of its name is looked for, in bytes: a run going on further is
/// read as no name's end, which keeps the weak alias.
const LOOK_AHEAD: usize = 256;

/// Whether the hit spanning `hit` in `text` carries on a name the text began before it, on the
/// same line: the word just before is a capitalised word (`Pony` in `Pony Ma`) separated by
/// nothing but spaces, that touches no known name (the last hit before ends at `known_end`),
/// and [`find_candidates`] reads that word and the hit as one candidate name.
///
/// The candidate rules are the one source of truth, because the editor offers to tag the whole
/// name where the weak alias no longer shows: whatever they say is never a name keeps the weak
/// alias — a function word starting a sentence (`Then Ma said`), a title before (`Mr Ma`) or
/// after (`Pony Ma Minister`, where `Pony Ma` qualifies the title), a date (`On Monday Ma`), a
/// possessive (`Alibaba’s Ma`), and a hit that is only part of one of their words (`Ma` in
/// `Ma.Jack`, read as one word like `U.S`).
///
/// A weak alias standing there is the end of another person's name, not its entity: `Pony Ma`
/// is not Jack Ma. Only the line is read (at most [`LOOK_BACK`] bytes before the hit and
/// [`LOOK_AHEAD`] after it), so an editor rescanning the lines around an edit gets the same
/// answer as a whole scan. Since a name may wrap onto the next line in hard-wrapped text, a run
/// that reaches the end of the line (or of what is read) is taken as going on, and so as no
/// candidate seen here.
///
/// ```
/// use dossier::recognize::continues_unknown_name;
///
/// let text = "Pony Ma met Mr Ma. Then Ma left Alibaba’s Ma. Pony Ma Minister";
/// let at = |n: usize| text.match_indices("Ma").nth(n).map_or(0..0, |(i, _)| i..i + 2);
/// assert!(continues_unknown_name(text, at(0), 0));
/// assert!(!continues_unknown_name(text, at(1), 0), "a title");
/// assert!(!continues_unknown_name(text, at(2), 0), "a sentence's start");
/// assert!(!continues_unknown_name(text, at(3), 0), "a possessive");
/// assert!(!continues_unknown_name(text, at(4), 0), "qualifies a title");
/// ```
pub fn continues_unknown_name(text: &str, hit: Range<usize>, known_end: usize) -> bool {
    let start = hit.start;
    let (Some(before), Some(after)) = (text.get(..start), text.get(hit.end..)) else {
        return false;
    };
    if hit.end <= start {
        return false;
    }
    let gap_start = before.trim_end_matches(is_space).len();
    if gap_start == start || gap_start <= known_end {
        return false;
    }
    // The line up to the gap, from a space at most LOOK_BACK bytes back (a word cut in two
    // would change its shape).
    let line_start = before[..gap_start]
        .char_indices()
        .rev()
        .find(|(_, c)| LINE_BREAKS.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let mut from = gap_start.saturating_sub(LOOK_BACK).max(line_start);
    while !before.is_char_boundary(from) {
        from -= 1;
    }
    if from > line_start {
        match before
            .get(from..gap_start)
            .and_then(|s| s.find(char::is_whitespace))
        {
            Some(i) => from += i,
            None => return false,
        }
    }
    // The rest of the line, up to a space at most LOOK_AHEAD bytes on.
    let line_end = hit.end + after.find(LINE_BREAKS).unwrap_or(after.len());
    let mut to = line_end;
    if line_end - hit.end > LOOK_AHEAD {
        let mut bound = hit.end + LOOK_AHEAD;
        while !text.is_char_boundary(bound) {
            bound -= 1;
        }
        match text.get(hit.end..bound).and_then(|s| s.rfind(is_space)) {
            Some(i) => to = hit.end + i,
            None => return false,
        }
    }
    let Some(window) = text.get(from..to) else {
        return false;
    };
    let (start, end) = (start - from, hit.end - from);
    let words = tokenize(window);
    let Some(first) = words.iter().position(|w| w.full.start >= start) else {
        return false;
    };
    let (Some(name), Some(hit_word)) = (
        first.checked_sub(1).and_then(|i| words.get(i)),
        words.get(first),
    ) else {
        return false;
    };
    let name_ok = name.full.end == gap_start - from
        && from + name.full.start >= known_end
        && name.shape == Shape::Capitalised
        && !name.closes
        && !ends_name(window, name, &Mentions::new(&[]));
    if !name_ok || hit_word.span.start != start {
        return false;
    }
    // The hit must be whole words of the candidate rules: a word going on past it could touch
    // the next mention, which would cut it out of any candidate.
    let last = words
        .iter()
        .rposition(|w| w.full.start < end)
        .unwrap_or(first);
    let last_end = words.get(last).map_or(end, |w| w.span.end);
    if window
        .get(end.min(last_end)..last_end)
        .is_none_or(|rest| rest.chars().any(is_word_char))
    {
        return false;
    }
    // The whole run must be read: a title further on would make the name its qualifiers.
    let run_last = run_end(&words, first - 1).saturating_sub(1);
    if run_last + 1 == words.len() && to < text.len() {
        let open = words.get(run_last).is_some_and(|w| {
            !w.closes
                && window
                    .get(w.full.end..)
                    .is_some_and(|tail| tail.chars().all(char::is_whitespace))
        });
        if open {
            return false;
        }
    }
    let name_start = name.span.start;
    find_candidates(window, &[])
        .iter()
        .any(|c| c.span.start <= name_start && end <= c.span.end)
}

/// Characters that end a line.
const LINE_BREAKS: [char; 5] = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];

/// Whitespace that does not break a line.
fn is_space(c: char) -> bool {
    c.is_whitespace()
        && !matches!(
            c,
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{b}' | '\u{c}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap_or(usize::MAX)
    }

    fn named(text: &str, at: usize) -> Option<&str> {
        name_at(text, at, &[]).and_then(|n| text.get(n.span()))
    }

    #[test]
    fn a_cursor_in_a_candidate_is_on_the_whole_candidate() {
        let text = "They met Pony Ma Huateng in Seoul.";
        for i in at(text, "Pony")..=at(text, " in") {
            assert_eq!(named(text, i), Some("Pony Ma Huateng"), "at {i}");
        }
        assert!(matches!(
            name_at(text, at(text, "Ma"), &[]),
            Some(NameAt::Candidate(_))
        ));
    }

    #[test]
    fn a_cursor_in_capitalised_words_that_are_no_candidate_takes_them() {
        let text = "So Ali said, and the Bank of Ho grew.";
        assert_eq!(named(text, at(text, "li said")), Some("Ali"));
        assert_eq!(named(text, at(text, "So")), None, "a function word");
        assert!(matches!(
            name_at(text, at(text, "Bank"), &[]),
            Some(NameAt::Candidate(_))
        ));
    }

    #[test]
    fn a_cursor_on_no_name_stands_in_none() {
        let text = "The minister said on Monday that Mr Smith, Jack Ma and May left.";
        for word in ["The", "minister", "said", "Monday", "Mr", "May", " that"] {
            assert_eq!(named(text, at(text, word)), None, "{word}");
        }
        let jack = at(text, "Jack");
        let mentions = [Mention {
            span: jack..jack + "Jack Ma".len(),
            target: crate::recognize::Target::Entity(crate::kb::EntityId(0)),
            form: crate::recognize::Form::Name,
            title: None,
        }];
        assert_eq!(name_at(text, jack + 1, &mentions), None);
    }

    #[test]
    fn a_cursor_just_after_a_name_takes_it() {
        let text = "met Wing";
        assert_eq!(named(text, text.len()), Some("Wing"));
        assert_eq!(named("", 0), None);
        assert_eq!(named("Wing", 99), None);
    }

    #[test]
    fn a_word_after_an_unknown_capitalised_word_continues_its_name() {
        let yes = [
            "Pony Ma",
            "met Pony Ma.",
            "Wing Lam",
            "Pony\u{a0}Ma",
            "Pony  Ma",
            "Minister Pony Ma",
            "x\nÉric Ma",
            "x\u{2028}Éric Ma",
        ];
        for text in yes {
            let (start, len) = text
                .rfind("Ma")
                .map(|i| (i, 2))
                .or_else(|| text.rfind("Lam").map(|i| (i, 3)))
                .unwrap_or((0, 0));
            assert!(
                continues_unknown_name(text, start..start + len, 0),
                "{text:?}"
            );
        }
        let no = [
            "Ma",
            "Mr Ma",
            "Mr. Ma",
            "Then Ma",
            "The Ma",
            "On Monday Ma",
            "In May Ma",
            "Alibaba’s Ma",
            "Alibaba's Ma",
            "Pony\nMa",
            "Pony\r\nMa",
            "pony Ma",
            "PONY Ma",
            "U.S. Ma",
            "Pony, Ma",
            "Pony-Ma",
            "Finance Secretary Ma",
        ];
        for text in no {
            let start = text.rfind("Ma").unwrap_or(0);
            assert!(
                !continues_unknown_name(text, start..start + 2, 0),
                "{text:?}"
            );
        }
        // A known name before: the hit before it ends past the gap's start.
        assert!(!continues_unknown_name("Alibaba Ma", 8..10, 7));
        assert!(!continues_unknown_name("Pony Ma", 99..101, 0));
        assert!(!continues_unknown_name("Pony Ma", 5..5, 0));
        let long = format!("{} Ma", "A".repeat(200));
        assert!(!continues_unknown_name(
            &long,
            long.len() - 2..long.len(),
            0
        ));
    }

    /// The candidate rules decide: where they read no name holding the word before and the
    /// hit, the hit carries on no name (found by the proptest in `recognize::tests`).
    #[test]
    fn a_word_continues_a_name_only_where_a_candidate_holds_it() {
        let no = [
            // `Ma.Jack` is one word to the candidate rules, and the mention `Jack Ma` cuts it.
            ("Jack MaJack Ma.Jack Ma", "Ma.", 0),
            // A title after the name makes it the title's qualifiers.
            ("Pony Ma Mr", "Ma ", 0),
            ("Pony Ma Minister Anwar", "Ma ", 0),
            // A known name inside the word before (`Alibaba` in `Alibaba.Pony`).
            ("Alibaba.Pony Ma", "Ma", 7),
            // The name may go on past the line in hard-wrapped text.
            ("Pony Ma\nMr Smith", "Ma", 0),
            ("Pony Ma   \nMr Smith", "Ma", 0),
        ];
        for (text, hit, known_end) in no {
            let start = at(text, hit);
            assert!(
                !continues_unknown_name(text, start..start + 2, known_end),
                "{text:?}"
            );
        }
        let yes = [
            ("Jack MaJack Ma", "Ma", 0),
            ("Pony Ma met Jack Ma.", "Ma ", 0),
            ("Pony Ma Monday", "Ma ", 0),
            ("Pony Ma of x", "Ma ", 0),
            ("Pony Ma.\nMr Smith", "Ma.", 0),
            ("Pony Ma’s\nMr Smith", "Ma’", 0),
            ("Alibaba Pony Ma", "Ma", 7),
        ];
        for (text, hit, known_end) in yes {
            let start = text.rfind(hit).unwrap_or(0);
            assert!(
                continues_unknown_name(text, start..start + 2, known_end),
                "{text:?}"
            );
        }
    }
}
