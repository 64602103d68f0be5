//! Candidate names: stretches of an article that read like the name of an entity the knowledge
//! base does not know, so that an editor can hint at them and offer to tag them in one action.
//!
//! A hint is only useful if it is rare enough to be read: an article is full of capitalised
//! words that are not names (sentence starts, titles, dates, datelines), and a knowledge base
//! that covers an article well should leave next to nothing to hint at. So the rules lean
//! towards silence, and each exists because the seed corpus or ordinary news prose produced junk
//! without it.
//!
//! # Words
//! A word is a run of word characters ([`is_word_char`]) that may hold apostrophes, hyphens,
//! soft hyphens, `&` and periods *between* word characters (`O’Brien`, `Yuet-ngor`, `AT&T`,
//! `U.S`). A following period belongs to the word when the word is an abbreviation — a title
//! (`Mr.`, `Sen.`), a month or weekday (`Feb.`), an initial (`J.`) or a dotted acronym (`U.S.`) —
//! and the name may go on after it; after a company or generational suffix (`Ltd.`, `Co.`,
//! `Jr.`) the period belongs to the word but may end a sentence, so the name stops there. Any
//! other period ends a sentence and so a name. A possessive (`’s`) stays outside the span and
//! ends the name: `Alibaba’s Jack Ma` is two names, not one.
//!
//! Words are *joined* when nothing but one run of whitespace separates them — a no-break space
//! included — and only joined words make one name. A blank line (a paragraph break) or any
//! punctuation never joins. A single line break joins only in hard-wrapped text, where names do
//! wrap: when some line is longer than 120 characters, each paragraph is one line and a line
//! break ends a headline, a caption or a byline (`Photographer: Jean Chung/Bloomberg` then
//! `Powered by...`), so it does not join there.
//!
//! A word is *capitalised* when it starts with an uppercase letter and has lowercase letters
//! (`Ñandú`, `Élise`, `McDonald`, also `al-Assad`); *all caps* when it has no lowercase letter
//! other than a plural `s` (`KUALA`, `PUBLISHED`, `SMEs`); an *initial* is one capital and a
//! period.
//! Words starting with a digit and words of scripts without case are never name words: they
//! say nothing about being a name.
//!
//! # Runs
//! A run is a maximal sequence of joined name words (capitalised, all caps, initials), which may
//! be linked by up to two lowercase particles between two name words (`Bank of America`,
//! `Ludwig van Beethoven`, `Mahathir bin Mohamad`, `Global Engagement & Empowerment`). `and` is
//! not a particle: between capitalised words it lists two names (`Shanghai and Hangzhou`, `Jack
//! Ma and Joe Tsai`) far more often than it is part of one. It joins two runs only when the
//! name is an organisation's or initiative's by its ends (`Belt and Road Initiative`, `Ministry
//! of Trade and Industry`: a suffix of [`guess::SUFFIXES`] last, or first before `of`), and
//! when the run after it holds a title, so that both sides are the title's qualifiers
//! (`Communications and Multimedia Minister`).
//!
//! A hyphenated compound ending in a lowercase word such as `backed` or `based`
//! (`Beijing-backed`) gives its name part; other hyphenated words are one word (`Yuet-ngor`).
//! A word starting lowercase with a capital inside (`eBay`, `eWTP`) is a name word.
//!
//! A word *starts a sentence* (is *initial*) after `.`, `!`, `?`, `:`, `;`, an opening quote,
//! a paragraph break, a closing suffix (`Ltd.`), or a line break of text that is not
//! hard-wrapped: capitals there say nothing.
//!
//! Each run is then cut, in this order:
//! 1. **At mentions.** The knowledge base has spoken there. Words touching a mention are
//!    dropped, and what is left on either side must stand as a name by itself (two or more
//!    words, even after a title): `Alibaba founder Jack Ma` and `Finance Minister Lim Guan Eng`
//!    give nothing, nor does `President Rodrigo` before a known `Duterte`.
//! 2. **At function words** (`The`, `In`, `On`, `But`, `He`, `This`, `According`...): they are
//!    capitalised because they start a sentence, so they are never part of a name and what
//!    follows them is a fresh start (`The Philippines`, `On Tuesday`).
//! 3. **At titles.** A title word (`Minister`, `President`, `Mr`, `Datuk`: the recognizer's
//!    list, plus a few such as `Officer`, `Sultan` and `spokesman` that it does not need) or a
//!    chain of them (`Prime Minister Datuk Seri`) is not part of a name. The capitalised words
//!    before a capitalised title are its qualifiers (`Finance Secretary`, `Multimedia
//!    Minister`, `Bank of America President`): a portfolio far more often than an
//!    organisation, so they are dropped with it. `of` and one word extend a title (`Secretary
//!    of State`). The name after a title is a candidate even when it is one word (`Mr Smith`),
//!    because the title vouches for it; this is [`CandidateReason::AfterTitle`], which keeps
//!    the title phrase as read in the run, qualifiers included (`Finance Secretary`; an `and`
//!    ends it, so `Multimedia Minister`). A lowercase title just before a run (`mayor Ying
//!    Yong`, `opposition leader Anwar`) counts too, except words too common in lowercase to
//!    mean a title (`miss`, `judge`, `general`, `king`...). Some title words also begin
//!    ordinary names (`General Motors`, `Sri Lanka`, `King Charles`, `Premier League`, `Tan
//!    Chee Keong`); alone and capitalised they are read as name words, and only count as a
//!    title in a chain (`Tan Sri`, `Vice President`) or with a period (`Sen.`).
//!
//! What remains of each piece loses, at its edges, particles and dates — weekdays and months
//! (`Wednesday`, `Feb.`; `May`, `Today` only at the start, since `Theresa May` and `USA Today`
//! end with them). At a sentence's start, a first word that the corpus writes in lowercase and
//! never capitalises mid-sentence is dropped too (`Shares of Bloomberg`). What is left is a
//! candidate when it has at least one capitalised word, and two name words, or one after a
//! title; without a title it is a [`CandidateReason::CapitalisedName`]. One word alone, beside
//! no mention, is a candidate by the rules of [`single`] ([`CandidateReason::Word`]): it is
//! capitalised mid-sentence (or elsewhere in the corpus, [`Lexicon`]), or an acronym, and no
//! demonym, title, common acronym, or word the corpus mostly writes in lowercase.
//!
//! All-capital words opening a paragraph before a colon or a dash are a dateline's place
//! (`KUALA LUMPUR:`, [`CandidateReason::Dateline`]). Each candidate comes with the kind it most
//! likely names, when the words say ([`guess`]).
//! All-caps words count as name words beside a capitalised one (`HSBC Holdings`, `BBC World
//! Service`: acronyms begin names often enough), but a run of nothing but all-caps words
//! (`PUBLISHED`, `KUALA LUMPUR`, a shouted headline) or acronyms alone is never hinted: their
//! capitals say nothing about being a name.
//!
//! # Limits
//! Title-case headlines (`Jack Ma Opens First Office`) read as one long name; a capitalised
//! non-function word starting a sentence before a name (`Analyst Jack Smith`) stays in it, and
//! so does an ambiguous title inside a run (`Chinese Premier Li Qiang`). All are cheap for a
//! user to correct, and cheaper than a rule that would also hide real names. Names that are
//! also function words are lost (the surname `He`).
//!
//! # Cost
//! One pass over the text reads its name words and the few words around each ([`skim`]): it
//! jumps over stretches without a capital, which hold no name, to the next capital (ASCII, or
//! a non-ASCII one, decoded only where a non-ASCII byte is). Everything after is proportional
//! to the words read (each is looked up in a few short sorted lists), plus a binary search
//! over the mentions per word; the lowercase uses of a word in the skipped stretches are
//! searched for only when a rule asks about it. Nothing panics on any input, including
//! mention ranges that are empty, reversed or out of the text.

use std::ops::Range;

use super::titles::TITLE_WORDS;
use super::{is_word_char, Mention};

mod around;
mod guess;
mod lexicon;
mod single;

pub use around::{continues_unknown_name, name_at, NameAt};
pub use guess::{Guess, GuessReason};
pub use lexicon::Lexicon;

use lexicon::Evidence;

/// A stretch of text that reads like a name the knowledge base does not know: what an editor
/// hints at and offers to tag as a new entity or an alias.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Candidate {
    /// Byte range of the name in the text, on character boundaries, without any title or
    /// possessive: exactly what tagging would add to the knowledge base.
    pub span: Range<usize>,
    /// Why it reads like a name, so a user (and the hint's message) can judge it.
    pub reason: CandidateReason,
    /// The kind of entity it most likely names, and why, when the text says: what the editor
    /// offers first when tagging it.
    pub guess: Option<Guess>,
}

/// Why a stretch of text reads like a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CandidateReason {
    /// Two or more capitalised words in a row (`Bai Tian`, `Bank of America`).
    CapitalisedName,
    /// A name right after a title word (`Minister Anwar`, `Mr Smith`); holds the title's byte
    /// range, evidence of who the name is (a person, and their role) when tagging it.
    AfterTitle(Range<usize>),
    /// One word that reads as a name by itself ([`single`]): capitalised mid-sentence (or
    /// capitalised mid-sentence elsewhere in the article or corpus), an acronym (`DBKL`,
    /// `G7`) or a mixed-case brand (`eBay`), and not a word the corpus mostly writes in
    /// lowercase.
    Word,
    /// All-capital words opening a paragraph before a colon or a dash: a dateline's place
    /// (`KUALA LUMPUR:`).
    Dateline,
}

/// The candidate names in `text`, in order, never overlapping each other nor any of
/// `mentions` (the names already recognised, in any order). See the module documentation for
/// the rules and why they are what they are.
///
/// ```
/// use dossier::recognize::{find_candidates, CandidateReason};
///
/// let text = "Later, Mr Smith met Bai Tian in Kuala Lumpur.";
/// let found: Vec<(&str, bool)> = find_candidates(text, &[])
///     .into_iter()
///     .map(|c| (&text[c.span], matches!(c.reason, CandidateReason::AfterTitle(_))))
///     .collect();
/// assert_eq!(found, [("Smith", true), ("Bai Tian", false), ("Kuala Lumpur", false)]);
/// ```
pub fn find_candidates(text: &str, mentions: &[Mention]) -> Vec<Candidate> {
    find_with(text, mentions, None)
}

/// [`find_candidates`] with a corpus's evidence about its words, or the article's own.
fn find_with(text: &str, mentions: &[Mention], lexicon: Option<&Lexicon>) -> Vec<Candidate> {
    let Skimmed { words, skipped } = skim(text);
    find_in(text, &words, mentions, Evidence::new(lexicon, &skipped))
}

/// [`find_with`] over every word of the text, the straightforward way: what the skimming one
/// must agree with.
#[cfg(test)]
fn find_with_every_word(
    text: &str,
    mentions: &[Mention],
    lexicon: Option<&Lexicon>,
) -> Vec<Candidate> {
    find_in(text, &tokenize(text), mentions, Evidence::new(lexicon, &[]))
}

/// The candidates among `words` of `text` (all of them, or those [`skim`] keeps).
fn find_in(text: &str, words: &[Word], mentions: &[Mention], evidence: Evidence) -> Vec<Candidate> {
    let mut finder = Finder {
        text,
        mentions: Mentions::new(mentions),
        evidence,
        words,
        out: Vec::new(),
    };
    let mut i = 0;
    while let Some(word) = words.get(i) {
        if !word.shape.is_name() {
            i += 1;
            continue;
        }
        let end = finder.run_end_with_and(i);
        if let Some(candidate) = finder.dateline(i, end) {
            finder.out.push(candidate);
            i = end.max(i + 1);
            continue;
        }
        let title = finder.lowercase_title_before(words, i);
        finder.run(words.get(i..end).unwrap_or_default(), title);
        i = end.max(i + 1);
    }
    finder.out
}

// ---------------------------------------------------------------------------------------------
// Words

/// What a word looks like, which decides what it may be in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Starts uppercase and has lowercase letters: `Jack`, `Ñandú`, `al-Assad`.
    Capitalised,
    /// Starts lowercase with a capital inside, not after a hyphen: `eBay`, `iPhone`, `eWTP`.
    Mixed,
    /// Starts uppercase with no lowercase letter (but a plural `s`): `KUALA`, `SMEs`, `U.S.`.
    Upper,
    /// One capital letter and a period: `J.`.
    Initial,
    /// A lowercase word that may link name words (`of`, `van`, `bin`), or `&`.
    Particle,
    /// Any other lowercase word.
    Lower,
    /// Digits, scripts without case: never part of a name.
    Other,
}

impl Shape {
    fn is_name(self) -> bool {
        matches!(
            self,
            Shape::Capitalised | Shape::Mixed | Shape::Upper | Shape::Initial
        )
    }

    /// Whether the word has the capitals of a name rather than of an acronym or a shout.
    fn is_capitalised(self) -> bool {
        matches!(self, Shape::Capitalised | Shape::Mixed)
    }
}

#[derive(Debug, Clone)]
struct Word {
    /// The word as part of a name: without a possessive, with an abbreviation's period.
    span: Range<usize>,
    /// All the bytes the word takes, possessive included.
    full: Range<usize>,
    shape: Shape,
    /// Separated from the previous word only by one run of whitespace with at most one line
    /// break, and the previous word does not close a name.
    joined: bool,
    /// A name cannot go on past this word: it ends in a possessive or a closing suffix.
    closes: bool,
    /// Ends in an abbreviation's period.
    period: bool,
    /// Starts a sentence, a line that is not a wrapped sentence's, or a quotation: capitals
    /// there say nothing about being a name.
    initial: bool,
    /// Starts the text, a paragraph, or a line of text that is not hard-wrapped.
    line_start: bool,
}

/// What lies between two words, as far as joining them goes.
#[derive(Default)]
struct Gap {
    chars: usize,
    breaks: u8,
    foreign: bool,
    after_cr: bool,
    /// Holds a sentence's end (`.`, `!`, `?`, `:`, `;`) or an opening quote.
    opens: bool,
}

impl Gap {
    fn push(&mut self, c: char) {
        self.chars += 1;
        match c {
            '\n' if self.after_cr => {}
            '\n' | '\r' | '\u{85}' | '\u{2028}' => self.breaks = self.breaks.saturating_add(1),
            '\u{2029}' => self.breaks = self.breaks.saturating_add(2),
            // Invisible characters that folding removes as well.
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {}
            c if c.is_whitespace() => {}
            '.' | '!' | '?' | ':' | ';' | '“' | '‘' | '"' | '«' | '•' => {
                self.foreign = true;
                self.opens = true;
            }
            _ => self.foreign = true,
        }
        self.after_cr = c == '\r';
    }

    fn joins(&self) -> bool {
        self.chars > 0 && !self.foreign && self.breaks <= 1
    }
}

/// The character starting at byte `at`, if one does; ASCII without decoding, since nearly every
/// byte of English news is.
#[inline]
fn char_at(text: &str, at: usize) -> Option<char> {
    let b = *text.as_bytes().get(at)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        text.get(at..)?.chars().next()
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}')
}

/// Characters that belong to a word when they stand between two word characters.
fn is_joiner(c: char) -> bool {
    is_apostrophe(c) || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '.' | '&' | '\u{AD}')
}

/// Lines longer than this (in characters) mean the text is not hard-wrapped: each paragraph is
/// one line, and a line break ends a headline, caption or byline rather than wrapping a name.
const LONGEST_WRAPPED_LINE: usize = 120;

/// Splits `text` into every one of its words, in one pass: what the corpus's [`Lexicon`] counts
/// and what the cursor's name is read from.
fn tokenize(text: &str) -> Vec<Word> {
    split::<false>(text).words
}

/// The words of `text` that finding candidates looks at, in one pass that skips stretches
/// without a capital: the words of a name all have a capital, and the rules look only a few
/// words either side of one, so skimming is what makes candidates cheap beside recognition.
fn skim(text: &str) -> Skimmed {
    split::<true>(text)
}

/// The words [`skim`] keeps, and the stretches it skipped, whose words have no capital.
///
/// Every name word (one with a capital, [`is_upper`]) is kept, with at least the [`WORDS_BEFORE`] words before it and, after it, the
/// words [`run_end`] and `and` may reach (particles, `and`, one more word); their fields are
/// exactly what [`tokenize`] gives them. The first word after a skipped stretch is kept only as
/// context: its `joined`, `initial` and `line_start` say nothing, and no rule reads them, since
/// it stands at least [`WORDS_BEFORE`] words before any name word.
struct Skimmed {
    /// The words kept, in order.
    words: Vec<Word>,
    /// The stretches skipped, in order, each starting between two words and ending right
    /// after whitespace (or at the end of the text), so that it holds whole words only, none
    /// of them with a capital.
    skipped: Vec<Range<usize>>,
}

/// Words kept at most before a name word after a skipped stretch:
/// [`Finder::lowercase_title_before`] reads up to four (`said prime minister Anwar` reads
/// `said` to end the title), but only one when the word before is no title.
const WORDS_BEFORE: usize = 4;

/// Whether byte `b` may start a capital: an ASCII capital, or the first byte of a non-ASCII
/// character, which [`next_capital`] decodes to see.
#[inline]
fn may_name(b: u8) -> bool {
    b.wrapping_sub(b'A') < 26 || b >= 0x80
}

/// The first capital ([`is_upper`]) at or after `from`, a character boundary of `text`, or the
/// text's length. Bytes are tested sixteen at a time, which the compiler turns into vector
/// instructions; a non-ASCII character is decoded and passed over unless it is a capital, since
/// the accents, curly quotes and dashes of news (`café`, `“he said”`, `—`) are far more common
/// than its capitals (`Élysée`) and make no word a name.
fn next_capital(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        let rest = bytes.get(at..).unwrap_or_default();
        let mut offset = 0;
        for chunk in rest.chunks_exact(16) {
            if chunk.iter().fold(false, |any, &b| any | may_name(b)) {
                break;
            }
            offset += 16;
        }
        let Some(found) = rest
            .get(offset..)
            .and_then(|tail| tail.iter().position(|&b| may_name(b)))
            .map(|p| at + offset + p)
        else {
            return bytes.len();
        };
        match bytes.get(found) {
            Some(b) if b.is_ascii() => return found,
            _ => match text.get(found..).and_then(|t| t.chars().next()) {
                Some(c) if !is_upper(c) => at = found + c.len_utf8(),
                // A capital, or (never, `from` being a boundary) not a character's start.
                _ => return found,
            },
        }
    }
}

/// Where [`skim`] may resume before the capital at `capital`, having left the words at `at`
/// (the tokenizer stands between words there), or the end of the text when no capital
/// follows; `None` when there is nothing worth skipping.
///
/// It resumes right after ASCII whitespace, where a word must start whatever came before, at
/// the start of a stretch of non-space bytes holding a word before the stretch that holds
/// `capital`: the nearest one when it is one lowercase word and no title, else further back,
/// up to the [`WORDS_BEFORE`]th.
fn resume_point(bytes: &[u8], at: usize, capital: usize) -> Option<usize> {
    if capital >= bytes.len() {
        return (at < bytes.len()).then_some(bytes.len());
    }
    let space = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_whitespace);
    // The start of the stretch holding the capital.
    let mut i = capital;
    while i > at && !space(i - 1) {
        i -= 1;
    }
    let mut stretches = 0;
    loop {
        while i > at && space(i - 1) {
            i -= 1;
        }
        let end = i;
        let mut word = false;
        while i > at && !space(i - 1) {
            i -= 1;
            word |= bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        }
        if i <= at {
            return None;
        }
        if word {
            stretches += 1;
            let stretch = bytes.get(i..end).unwrap_or_default();
            let plain = stretch.iter().all(u8::is_ascii_lowercase);
            // Only ASCII lowercase bytes here, so the stretch is a `str`.
            let title = plain && std::str::from_utf8(stretch).is_ok_and(is_title);
            if (plain && !title) || stretches == WORDS_BEFORE {
                return Some(i);
            }
        }
    }
}

/// Splits `text` into words, in one pass; with `SKIM`, skips what [`skim`] may skip (a
/// constant, so that [`tokenize`] pays nothing for it).
fn split<const SKIM: bool>(text: &str) -> Skimmed {
    let skim = SKIM;
    let bytes = text.as_bytes();
    // About one word per six bytes of English.
    let mut words: Vec<Word> = Vec::with_capacity(if skim {
        text.len() / 16 + 1
    } else {
        text.len() / 6 + 1
    });
    let mut skipped = Vec::new();
    // Words that follow a single line break, joined only if the text turns out hard-wrapped.
    let mut after_break: Vec<usize> = Vec::new();
    let (mut line, mut longest) = (0usize, 0usize);
    let mut gap = Gap::default();
    let mut closes_previous = true;
    // The previous word ends a sentence: a closing suffix (`Ltd.`) may.
    let mut ends_previous = true;
    let mut seen_word = false;
    // Skimming: words still to keep after a name word, and where to look for a skip next.
    let mut keep = 0u8;
    let mut look_from = 0;
    let mut at = 0;
    while let Some(c) = char_at(text, at) {
        if skim && keep == 0 && at >= look_from {
            let capital = next_capital(text, at);
            look_from = capital + 1;
            if let Some(resume) = resume_point(bytes, at, capital) {
                skipped.push(at..resume);
                at = resume;
                gap = Gap::default();
                closes_previous = true;
                ends_previous = false;
                seen_word = true;
                continue;
            }
        }
        if skim {
            // Line lengths are measured apart, by `has_long_line`.
        } else if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            longest = longest.max(line);
            line = 0;
        } else {
            line += 1;
        }
        if gap.breaks == 1 && (c == '&' || is_word_char(c)) {
            after_break.push(words.len());
        }
        if c == '&' {
            let end = at + c.len_utf8();
            words.push(Word {
                span: at..end,
                full: at..end,
                shape: Shape::Particle,
                joined: gap.joins() && !closes_previous,
                closes: false,
                period: false,
                initial: false,
                line_start: false,
            });
            seen_word = true;
            // `Global Engagement & Empowerment`: a particle, so the run may go on.
            keep = u8::from(keep > 0);
            closes_previous = false;
            ends_previous = false;
            gap = Gap::default();
            at = end;
            continue;
        }
        if !is_word_char(c) {
            gap.push(c);
            at += c.len_utf8();
            continue;
        }
        let mut word = scan_word(text, at, gap.joins() && !closes_previous);
        word.line_start = !seen_word || gap.breaks >= 2;
        word.initial = word.line_start || gap.opens || ends_previous;
        ends_previous = word.closes && word.period;
        closes_previous = word.closes;
        seen_word = true;
        gap = Gap::default();
        let end = word.full.end.max(at + c.len_utf8());
        if skim {
            // After a name word, the next word; after a particle or `and` that follows one, the
            // next again (`Bank of America`, `Belt and Road`).
            let links = keep > 0
                && (word.shape == Shape::Particle || text.get(word.span.clone()) == Some("and"));
            keep = if word.shape.is_name() || links { 1 } else { 0 };
        } else {
            line += text
                .as_bytes()
                .get(at..end)
                .map_or(0, crate::text::count_chars)
                .saturating_sub(1);
        }
        at = end;
        words.push(word);
    }
    let long_lines = if skim {
        !after_break.is_empty() && has_long_line(text)
    } else {
        longest.max(line) > LONGEST_WRAPPED_LINE
    };
    if long_lines {
        for i in after_break {
            if let Some(word) = words.get_mut(i) {
                word.joined = false;
                word.initial = true;
                word.line_start = true;
            }
        }
    }
    Skimmed { words, skipped }
}

/// Whether some line of `text` is longer than [`LONGEST_WRAPPED_LINE`] characters, lines
/// ending at the line breaks [`tokenize`] counts; only lines of more bytes are counted.
fn has_long_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        let end = memchr::memchr2(b'\n', b'\r', bytes.get(start..).unwrap_or_default())
            .map_or(bytes.len(), |i| start + i);
        if end - start > LONGEST_WRAPPED_LINE {
            let mut chars = 0usize;
            for c in text.get(start..end).unwrap_or_default().chars() {
                if matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
                    chars = 0;
                } else {
                    chars += 1;
                    if chars > LONGEST_WRAPPED_LINE {
                        return true;
                    }
                }
            }
        }
        if end >= bytes.len() {
            return false;
        }
        start = end + 1;
    }
}

/// Reads the word starting at `start`, a word character.
fn scan_word(text: &str, start: usize, joined: bool) -> Word {
    let mut end = start + char_at(text, start).map_or(1, char::len_utf8);
    let mut inner_period = false;
    let mut last_apostrophe = None;
    let bytes = text.as_bytes();
    loop {
        // Letters and digits of ASCII, the bulk of every word, without decoding.
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        match char_at(text, end) {
            Some(c) if is_word_char(c) => end += c.len_utf8(),
            Some(j) if is_joiner(j) => match char_at(text, end + j.len_utf8()) {
                Some(c) if is_word_char(c) => {
                    inner_period |= j == '.';
                    if is_apostrophe(j) {
                        last_apostrophe = Some(end);
                    }
                    end += j.len_utf8() + c.len_utf8();
                }
                _ => break,
            },
            _ => break,
        }
    }
    let mut word = Word {
        span: start..end,
        full: start..end,
        shape: Shape::Other,
        joined,
        closes: false,
        period: false,
        initial: false,
        line_start: false,
    };
    // `Alibaba’s`: the possessive is outside the name and ends it.
    if let Some(a) = last_apostrophe {
        let after = a + char_at(text, a).map_or(1, char::len_utf8);
        if matches!(text.get(after..end), Some("s" | "S")) {
            word.span.end = a;
            word.closes = true;
        }
    }
    // `Beijing-backed`: a name with a lowercase suffix; the name is the part before it.
    if !word.closes {
        let hyphen = bytes
            .get(start..end)
            .and_then(|w| w.iter().rposition(|&b| b == b'-'));
        if let Some(hyphen) = hyphen {
            let suffix = text.get(start + hyphen + 1..end).unwrap_or_default();
            if hyphen > 0 && in_list(HYPHEN_SUFFIXES, suffix) {
                word.span.end = start + hyphen;
                word.closes = true;
            }
        }
    }
    let letters = text.get(word.span.clone()).unwrap_or_default();
    if !word.closes && char_at(text, end) == Some('.') {
        let kind = abbreviation(letters, inner_period);
        if kind != Abbreviation::None {
            word.span.end = end + 1;
            word.full.end = end + 1;
            word.period = true;
            word.closes = kind == Abbreviation::Closing;
            // `Co.’s`
            if let Some(a) = char_at(text, end + 1).filter(|&c| is_apostrophe(c)) {
                let s = end + 1 + a.len_utf8();
                if matches!(char_at(text, s), Some('s' | 'S'))
                    && !char_at(text, s + 1).is_some_and(is_word_char)
                {
                    word.full.end = s + 1;
                    word.closes = true;
                }
            }
        }
    }
    word.shape = shape(
        text.get(start..end).unwrap_or_default(),
        letters,
        word.period,
    );
    word
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abbreviation {
    None,
    /// The name may go on after it (`Mr.`, `J.`, `U.S.`).
    Continuing,
    /// The name ends with it (`Ltd.`), which may also end the sentence.
    Closing,
}

fn abbreviation(word: &str, inner_period: bool) -> Abbreviation {
    let mut chars = word.chars();
    let single_capital = chars.next().is_some_and(is_upper) && chars.next().is_none();
    if single_capital || inner_period || in_list(CONTINUING_ABBREVIATIONS, word) {
        Abbreviation::Continuing
    } else if in_list(CLOSING_ABBREVIATIONS, word) {
        Abbreviation::Closing
    } else {
        Abbreviation::None
    }
}

fn is_upper(c: char) -> bool {
    c.is_uppercase()
        || (!c.is_ascii()
            && unicode_properties::UnicodeGeneralCategory::general_category(c)
                == unicode_properties::GeneralCategory::TitlecaseLetter)
}

/// The shape of a word; `whole` is the word as scanned (possessive included), `letters` the
/// name part without a period.
fn shape(whole: &str, letters: &str, period: bool) -> Shape {
    if letters.is_ascii() {
        return ascii_shape(whole, letters, period);
    }
    let mut chars = letters.chars();
    let Some(first) = chars.next() else {
        return Shape::Other;
    };
    if is_upper(first) {
        let (mut upper, mut lower) = (1usize, 0usize);
        for c in chars {
            if c.is_lowercase() {
                lower += 1;
            } else if is_upper(c) {
                upper += 1;
            }
        }
        return if lower == 0 || (lower == 1 && upper >= 2 && letters.ends_with('s')) {
            if upper == 1 && period && letters.chars().count() == 1 {
                Shape::Initial
            } else {
                Shape::Upper
            }
        } else {
            Shape::Capitalised
        };
    }
    if first.is_lowercase() {
        // `al-Assad`, `bin-Laden`: a particle glued to a capitalised name.
        if let Some((prefix, rest)) = letters.split_once('-') {
            if in_list(HYPHEN_PARTICLES, prefix) && rest.chars().next().is_some_and(is_upper) {
                return Shape::Capitalised;
            }
        }
        // `eBay`, `iPhone`: a capital inside the first part, not after a joiner.
        let head = letters.split(is_joiner).next().unwrap_or_default();
        if head.chars().skip(1).any(is_upper) {
            return Shape::Mixed;
        }
        return if whole == letters && in_list(PARTICLES, letters) {
            Shape::Particle
        } else {
            Shape::Lower
        };
    }
    Shape::Other
}

/// [`shape`] of an ASCII word, byte by byte: the same answers, without decoding characters.
fn ascii_shape(whole: &str, letters: &str, period: bool) -> Shape {
    let bytes = letters.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return Shape::Other;
    };
    if first.is_ascii_uppercase() {
        let upper = 1 + rest.iter().filter(|b| b.is_ascii_uppercase()).count();
        let lower = rest.iter().filter(|b| b.is_ascii_lowercase()).count();
        return if lower == 0 || (lower == 1 && upper >= 2 && bytes.last() == Some(&b's')) {
            if upper == 1 && period && rest.is_empty() {
                Shape::Initial
            } else {
                Shape::Upper
            }
        } else {
            Shape::Capitalised
        };
    }
    if first.is_ascii_lowercase() {
        // `al-Assad`, `bin-Laden`: a particle glued to a capitalised name.
        if let Some(hyphen) = bytes.iter().position(|&b| b == b'-') {
            let (prefix, after) = (bytes.get(..hyphen), bytes.get(hyphen + 1));
            if after.is_some_and(u8::is_ascii_uppercase)
                && prefix
                    .and_then(|p| std::str::from_utf8(p).ok())
                    .is_some_and(|p| in_list(HYPHEN_PARTICLES, p))
            {
                return Shape::Capitalised;
            }
        }
        // `eBay`, `iPhone`: a capital inside the first part, not after a joiner.
        let mut head = rest
            .iter()
            .take_while(|&&b| !matches!(b, b'\'' | b'-' | b'.' | b'&'));
        if head.any(u8::is_ascii_uppercase) {
            return Shape::Mixed;
        }
        return if whole == letters && in_list(PARTICLES, letters) {
            Shape::Particle
        } else {
            Shape::Lower
        };
    }
    Shape::Other
}

/// Where the run starting at name word `start` ends (exclusive): after its last name word.
fn run_end(words: &[Word], start: usize) -> usize {
    let mut last = start;
    'run: loop {
        if words.get(last).is_none_or(|w| w.closes) {
            break;
        }
        let mut next = last + 1;
        let mut particles = 0;
        while let Some(word) = words.get(next) {
            if !word.joined {
                break 'run;
            }
            match word.shape {
                s if s.is_name() => {
                    last = next;
                    continue 'run;
                }
                Shape::Particle if particles < 2 && !word.closes => {
                    particles += 1;
                    next += 1;
                }
                _ => break 'run,
            }
        }
        break;
    }
    last + 1
}

// ---------------------------------------------------------------------------------------------
// Mentions

/// The mentions' spans, sorted by start, with the furthest end reached so far, so that "does
/// this range overlap a mention" is one binary search whatever the mentions look like.
struct Mentions {
    starts: Vec<usize>,
    reach: Vec<usize>,
}

impl Mentions {
    fn new(mentions: &[Mention]) -> Mentions {
        let mut spans: Vec<Range<usize>> = mentions
            .iter()
            .map(|m| m.span.clone())
            .filter(|s| s.start < s.end)
            .collect();
        spans.sort_unstable_by_key(|s| s.start);
        let mut furthest = 0;
        let reach = spans
            .iter()
            .map(|s| {
                furthest = furthest.max(s.end);
                furthest
            })
            .collect();
        Mentions {
            starts: spans.iter().map(|s| s.start).collect(),
            reach,
        }
    }

    /// Whether `range` shares at least one byte with a mention.
    fn overlaps(&self, range: &Range<usize>) -> bool {
        if range.start >= range.end {
            return false;
        }
        let before_end = self.starts.partition_point(|&s| s < range.end);
        before_end
            .checked_sub(1)
            .and_then(|i| self.reach.get(i))
            .is_some_and(|&reach| reach > range.start)
    }
}

// ---------------------------------------------------------------------------------------------
// Runs

struct Finder<'t> {
    text: &'t str,
    mentions: Mentions,
    evidence: Evidence<'t>,
    words: &'t [Word],
    out: Vec<Candidate>,
}

/// Where a stretch of a run was cut, on either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// The run or a function word: nothing to say.
    Free,
    /// A mention follows: what is left must be a name by itself.
    Mention,
}

impl Finder<'_> {
    /// Where the run starting at name word `start` ends, `and` joining two runs when the
    /// name is an organisation's or an initiative's by its ends: the last word is a suffix
    /// (`Belt and Road Initiative`), or the first is one followed by `of` (`Ministry of Trade
    /// and Industry`). Elsewhere `and` lists two names.
    fn run_end_with_and(&self, start: usize) -> usize {
        let words = self.words;
        let mut end = run_end(words, start);
        while let (Some(prev), Some(and), Some(next)) = (
            words.get(end.wrapping_sub(1)),
            words.get(end),
            words.get(end + 1),
        ) {
            if prev.closes
                || !and.joined
                || !next.joined
                || self.word(and) != "and"
                || !next.shape.is_name()
            {
                break;
            }
            let next_end = run_end(words, end + 1);
            let last = words.get(next_end.wrapping_sub(1)).map(|w| self.word(w));
            let first = words.get(start).map(|w| self.word(w));
            let of = words.get(start + 1).map(|w| self.word(w));
            let ends_as_name = last.and_then(guess::suffix_kind).is_some()
                || (first.and_then(guess::suffix_kind).is_some() && of == Some("of"));
            // `Communications and Multimedia Minister`: both qualify the title.
            let qualifies_title = words.get(end + 1..next_end).is_some_and(|run| {
                run.iter().any(|w| {
                    let w = self.word(w);
                    is_title(w) && !in_list(AMBIGUOUS_TITLES, w)
                })
            });
            if !ends_as_name && !qualifies_title {
                break;
            }
            end = next_end;
        }
        end
    }

    /// A dateline: all-capital words opening a paragraph, right before a colon, a comma, an
    /// opening parenthesis or a dash (`KUALA LUMPUR:`, `HONG KONG (Reuters) -`), that touch
    /// no mention and are no label (`PUBLISHED :`, `UPDATED:`).
    fn dateline(&self, start: usize, end: usize) -> Option<Candidate> {
        let run = self.words.get(start..end)?;
        let (first, last) = (run.first()?, run.last()?);
        if !first.line_start || run.len() > 4 || run.iter().any(|w| w.shape != Shape::Upper) {
            return None;
        }
        if run.iter().any(|w| self.word(w).chars().count() < 2) {
            return None;
        }
        let after = self.text.get(last.full.end..)?;
        let punctuation = after.trim_start_matches(' ');
        let opens = after.starts_with([':', ',']) || punctuation.starts_with(['(', '—', '–', '-']);
        let span = first.span.start..last.span.end;
        if !opens || self.mentions.overlaps(&span) || in_list(LABELS, self.word(first)) {
            return None;
        }
        let reason = CandidateReason::Dateline;
        Some(Candidate {
            guess: guess::guess(self.text, &span, &reason),
            span,
            reason,
        })
    }

    fn word(&self, word: &Word) -> &str {
        self.text.get(word.span.clone()).unwrap_or_default()
    }

    fn is_title(&self, word: &Word) -> bool {
        word.shape.is_name() && is_title(self.word(word))
    }

    /// A lowercase title standing just before the run starting at `words[start]`
    /// (`mayor Ying Yong`), with the lowercase title words before it (`prime minister`).
    fn lowercase_title_before(&self, words: &[Word], start: usize) -> Option<Range<usize>> {
        let first = words.get(start)?;
        let before = words.get(start.checked_sub(1)?)?;
        if !first.joined || before.shape != Shape::Lower || before.period {
            return None;
        }
        let w = self.word(before);
        if !is_title(w) || in_list(NOT_LOWERCASE_TITLES, w) {
            return None;
        }
        let mut title = before.span.clone();
        let mut at = start - 1;
        for _ in 0..3 {
            let (Some(word), Some(prev)) = (words.get(at), at.checked_sub(1)) else {
                break;
            };
            let Some(prev_word) = words.get(prev) else {
                break;
            };
            if !word.joined || prev_word.shape != Shape::Lower || !is_title(self.word(prev_word)) {
                break;
            }
            title.start = prev_word.span.start;
            at = prev;
        }
        (!self.mentions.overlaps(&title)).then_some(title)
    }

    /// Cuts a run at mentions and function words, and reads each piece.
    fn run(&mut self, run: &[Word], lowercase_title: Option<Range<usize>>) {
        let mut title = lowercase_title;
        let mut piece_start = 0;
        let mut left = Cut::Free;
        for (i, word) in run.iter().enumerate() {
            let gap = run
                .get(i.wrapping_sub(1))
                .map_or(word.full.start..word.full.start, |p| {
                    p.full.end..word.full.start
                });
            if self.mentions.overlaps(&gap) {
                self.piece(
                    run.get(piece_start..i).unwrap_or_default(),
                    title.take(),
                    (left, Cut::Mention),
                );
                piece_start = i;
                left = Cut::Mention;
            }
            if self.mentions.overlaps(&word.full) {
                self.piece(
                    run.get(piece_start..i).unwrap_or_default(),
                    title.take(),
                    (left, Cut::Mention),
                );
                piece_start = i + 1;
                left = Cut::Mention;
            } else if word.shape.is_name() && in_list(FUNCTION_WORDS, self.word(word)) {
                self.piece(
                    run.get(piece_start..i).unwrap_or_default(),
                    title.take(),
                    (left, Cut::Free),
                );
                piece_start = i + 1;
                left = Cut::Free;
            }
        }
        self.piece(
            run.get(piece_start..).unwrap_or_default(),
            title,
            (left, Cut::Free),
        );
    }

    /// Reads a piece of a run free of mentions and function words: titles, their qualifiers and
    /// the names after them, or one capitalised name.
    fn piece(
        &mut self,
        piece: &[Word],
        lowercase_title: Option<Range<usize>>,
        (left_cut, cut): (Cut, Cut),
    ) {
        if piece.is_empty() {
            return;
        }
        let mut title = lowercase_title;
        let mut at = 0;
        let mut first = true;
        loop {
            let chain = self.title_chain(piece, at, at == 0 && title.is_some());
            let name_end = chain.as_ref().map_or(piece.len(), |c| c.start);
            let name = piece.get(at..name_end).unwrap_or_default();
            let right = if name_end == piece.len() {
                cut
            } else {
                Cut::Free
            };
            let left = if first { left_cut } else { Cut::Free };
            match &title {
                Some(t) => self.name(name, Some(t.clone()), (left, right)),
                // Before the first title, capitalised words are its qualifiers.
                None if chain.is_none() => self.name(name, None, (left, right)),
                None => {}
            }
            let Some(chain) = chain else { break };
            let start = match &title {
                Some(t) if name.is_empty() => t.start,
                None if first => piece.first().map_or(0, |w| w.span.start),
                _ => piece.get(chain.start).map_or(0, |w| w.span.start),
            };
            let mut end = chain.end;
            // `Secretary of State`
            if let (Some(of), Some(next)) = (piece.get(end), piece.get(end + 1)) {
                if self.word(of) == "of" && next.shape.is_name() {
                    end += 2;
                }
            }
            let title_end = piece
                .get(end.saturating_sub(1))
                .map_or(start, |w| w.span.end);
            title = Some(start..title_end);
            at = end;
            first = false;
        }
    }

    /// The first chain of title words in `piece` at or after `from` that reads as a title:
    /// two or more title words, or one that is not also a common start of names, or has a
    /// period; `after_title` when a lowercase title comes just before `from`.
    fn title_chain(&self, piece: &[Word], from: usize, after_title: bool) -> Option<Range<usize>> {
        let mut i = from;
        while i < piece.len() {
            if !piece.get(i).is_some_and(|w| self.is_title(w)) {
                i += 1;
                continue;
            }
            let start = i;
            while piece.get(i).is_some_and(|w| self.is_title(w)) {
                i += 1;
            }
            let single = piece.get(start).filter(|_| i - start == 1);
            let reads_as_title = match single {
                None => true,
                Some(w) => {
                    w.period
                        || (start == from && after_title)
                        || !in_list(AMBIGUOUS_TITLES, self.word(w))
                }
            };
            if reads_as_title {
                return Some(start..i);
            }
        }
        None
    }

    /// Trims a stretch of a piece and keeps it if it reads as a name.
    fn name(&mut self, words: &[Word], title: Option<Range<usize>>, (left, cut): (Cut, Cut)) {
        let mut kept = words;
        loop {
            kept = match kept {
                [first, rest @ ..]
                    if first.shape == Shape::Particle
                        || self.is_date(first)
                        || in_list(LEADING_DATES, self.word(first)) =>
                {
                    rest
                }
                [rest @ .., last] if last.shape == Shape::Particle || self.is_date(last) => rest,
                _ => break,
            };
        }
        // `Shares of Bloomberg` at a sentence's start: an ordinary word, by the evidence.
        if let [first, second, ..] = kept {
            if first.initial && first.shape == Shape::Capitalised && second.joined {
                let w = self.word(first);
                if self.evidence.mid(self.text, self.words, w) == 0
                    && self.evidence.lower(self.text, self.words, w) > 0
                {
                    kept = kept.get(1..).unwrap_or_default();
                    while let [p, rest @ ..] = kept {
                        if p.shape != Shape::Particle {
                            break;
                        }
                        kept = rest;
                    }
                }
            }
        }
        let needed = if title.is_some() && cut == Cut::Free {
            1
        } else {
            2
        };
        let names = kept.iter().filter(|w| w.shape.is_name()).count();
        let capitalised = kept.iter().any(|w| w.shape.is_capitalised());
        let reason = match (&title, kept) {
            (Some(t), _) if names >= needed && capitalised => {
                CandidateReason::AfterTitle(t.clone())
            }
            (None, _) if names >= needed && capitalised => CandidateReason::CapitalisedName,
            // One word beside a mention is most likely part of a name with it.
            (None, [word]) if left == Cut::Free && cut == Cut::Free && self.single(word) => {
                CandidateReason::Word
            }
            _ => return,
        };
        let (Some(first), Some(last)) = (kept.first(), kept.last()) else {
            return;
        };
        let span = first.span.start..last.span.end;
        if self.mentions.overlaps(&span) {
            return;
        }
        let guess = guess::guess(self.text, &span, &reason);
        self.out.push(Candidate {
            span,
            reason,
            guess,
        });
    }

    /// A weekday or a month (not `May`, which is also a name), written out or abbreviated.
    fn is_date(&self, word: &Word) -> bool {
        is_date_word(word, self.word(word))
    }
}

/// Whether `word`, whose text is `w`, is a weekday or a month (not `May`), written out or
/// abbreviated.
fn is_date_word(word: &Word, w: &str) -> bool {
    in_list(DATES, w)
        || (word.period && in_list(DATE_ABBREVIATIONS, w.trim_end_matches('.')))
        || in_list(UNAMBIGUOUS_DATE_ABBREVIATIONS, w)
}

// ---------------------------------------------------------------------------------------------
// Word lists, sorted and lowercase; looked up ignoring ASCII case.

/// A title word of the recognizer's list or of [`MORE_TITLE_WORDS`], a trailing period aside.
fn is_title(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    in_list(TITLES, word) || in_list(MORE_TITLE_WORDS, word)
}

/// The recognizer's title words.
const TITLES: &WordList = &WordList::new(TITLE_WORDS);

/// Title words the recognizer does not need (they rarely stand right before a known person's
/// name) but that must not read as part of a new name: `Chief Executive Officer Joe Tsai`,
/// `Sultan Ibrahim`, `spokesman John Smith`.
const MORE_TITLE_WORDS: &WordList = &WordList::new(&[
    "admiral",
    "attorney",
    "captain",
    "cardinal",
    "commander",
    "consul",
    "emir",
    "envoy",
    "inspector",
    "lieutenant",
    "marshal",
    "officer",
    "sergeant",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "sultan",
    "superintendent",
    "tengku",
    "tunku",
]);

/// A sorted list of lowercase ASCII words, with the lengths of its words by first letter: most
/// words looked up are in no list, and the lengths say so before any comparison.
struct WordList {
    words: &'static [&'static str],
    /// Bit `n` of entry `l`: a word of `n` bytes starts with letter `l` (26: not a letter).
    lengths: [u32; 27],
}

impl WordList {
    /// The list of `words`, which must be nonempty and shorter than 32 bytes (checked when
    /// compiling, since every list is a constant).
    const fn new(words: &'static [&'static str]) -> WordList {
        let mut lengths = [0u32; 27];
        let mut i = 0;
        while i < words.len() {
            let word = words[i].as_bytes();
            assert!(!word.is_empty() && word.len() < 32);
            lengths[letter(word[0])] |= 1 << word.len();
            i += 1;
        }
        WordList { words, lengths }
    }
}

/// The index of a first byte in [`WordList::lengths`].
const fn letter(b: u8) -> usize {
    let b = b.to_ascii_lowercase();
    if b.is_ascii_lowercase() {
        (b - b'a') as usize
    } else {
        26
    }
}

/// Whether `word`, ignoring ASCII case, is in `list`: rejected by its length and first letter
/// when no word of the list has both, else lowercased once onto the stack and searched for,
/// each probe one comparison of bytes.
fn in_list(list: &WordList, word: &str) -> bool {
    let bytes = word.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    let possible = list
        .lengths
        .get(letter(first))
        .is_some_and(|&lengths| bytes.len() < 32 && lengths & (1 << bytes.len()) != 0);
    if !possible {
        return false;
    }
    let mut lowered = [0u8; 32];
    let Some(lowered) = lowered.get_mut(..bytes.len()) else {
        return false;
    };
    for (l, b) in lowered.iter_mut().zip(bytes) {
        *l = b.to_ascii_lowercase();
    }
    list.words
        .binary_search_by(|entry| {
            // Inline, byte by byte: these words are short, and most differ at the first byte.
            let entry = entry.as_bytes();
            entry
                .iter()
                .zip(lowered.iter())
                .find(|(e, w)| e != w)
                .map_or(entry.len().cmp(&lowered.len()), |(e, w)| e.cmp(w))
        })
        .is_ok()
}

/// Lowercase words that end a hyphenated compound of a name (`Beijing-backed`,
/// `London-based`): the name is the part before.
const HYPHEN_SUFFIXES: &WordList = &WordList::new(&[
    "backed",
    "based",
    "born",
    "bound",
    "built",
    "controlled",
    "era",
    "friendly",
    "funded",
    "led",
    "like",
    "linked",
    "listed",
    "made",
    "owned",
    "registered",
    "related",
    "run",
    "style",
    "wide",
]);

/// Words that open a line like a dateline's place but label what follows.
const LABELS: &WordList = &WordList::new(&[
    "analysis",
    "breaking",
    "editorial",
    "exclusive",
    "note",
    "opinion",
    "photo",
    "posted",
    "published",
    "update",
    "updated",
    "video",
    "watch",
]);

/// Lowercase words that link the parts of a name.
const PARTICLES: &WordList = &WordList::new(&[
    "al", "bin", "bint", "binte", "binti", "da", "das", "de", "del", "della", "den", "der", "des",
    "di", "dos", "du", "el", "ibn", "la", "las", "le", "los", "of", "ter", "van", "von", "y", "zu",
]);

/// Particles written hyphenated to a capitalised name (`al-Assad`).
const HYPHEN_PARTICLES: &WordList =
    &WordList::new(&["ad", "al", "an", "ar", "as", "at", "bin", "el", "ibn"]);

/// Capitalised only because they start a sentence (or a headline's clause): never in a name.
const FUNCTION_WORDS: &WordList = &WordList::new(&[
    "a",
    "about",
    "according",
    "after",
    "against",
    "all",
    "also",
    "although",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "as",
    "at",
    "because",
    "before",
    "besides",
    "both",
    "but",
    "by",
    "despite",
    "did",
    "does",
    "during",
    "each",
    "earlier",
    "either",
    "even",
    "every",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "last",
    "later",
    "many",
    "meanwhile",
    "more",
    "most",
    "my",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "on",
    "only",
    "or",
    "our",
    "over",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "under",
    "unless",
    "until",
    "upon",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "with",
    "within",
    "without",
    "yet",
    "you",
    "your",
]);

/// Weekdays and months written out; `may` is in [`LEADING_DATES`].
const DATES: &WordList = &WordList::new(&[
    "april",
    "august",
    "december",
    "february",
    "friday",
    "january",
    "july",
    "june",
    "march",
    "monday",
    "november",
    "october",
    "saturday",
    "september",
    "sunday",
    "thursday",
    "tuesday",
    "wednesday",
]);

/// Dates that also end names (`Theresa May`, `USA Today`): dropped only at the start.
const LEADING_DATES: &WordList =
    &WordList::new(&["may", "today", "tomorrow", "tonight", "yesterday"]);

/// Abbreviated weekdays and months, counted as dates only with their period: without it, `Jan`,
/// `Jun`, `Sun` and `Mon` are names.
const DATE_ABBREVIATIONS: &WordList = &WordList::new(&[
    "apr", "aug", "dec", "feb", "fri", "jan", "jul", "jun", "mar", "mon", "nov", "oct", "sat",
    "sep", "sept", "sun", "thu", "thur", "thurs", "tue", "tues", "wed",
]);

/// Abbreviated weekdays and months that are dates even without a period.
const UNAMBIGUOUS_DATE_ABBREVIATIONS: &WordList = &WordList::new(&[
    "apr", "aug", "dec", "feb", "nov", "oct", "sep", "sept", "thur", "thurs", "tues",
]);

/// Abbreviations whose period does not end a name: titles, and the dates above.
const CONTINUING_ABBREVIATIONS: &WordList = &WordList::new(&[
    "apr", "aug", "capt", "col", "dec", "dr", "feb", "fri", "ft", "gen", "gov", "hon", "jan",
    "jul", "jun", "lt", "maj", "mar", "messrs", "mon", "mr", "mrs", "ms", "mt", "nov", "oct",
    "prof", "rep", "rev", "sat", "sen", "sep", "sept", "sgt", "st", "sun", "thu", "thur", "thurs",
    "tue", "tues", "wed",
]);

/// Suffixes that end a name with their period, which may also end the sentence.
const CLOSING_ABBREVIATIONS: &WordList = &WordList::new(&[
    "bhd", "co", "corp", "esq", "inc", "jr", "llc", "llp", "ltd", "plc", "pty", "sr",
]);

/// Title words that also begin ordinary names (`General Motors`, `Sri Lanka`, `King Charles`):
/// alone and capitalised, they are read as part of the name.
const AMBIGUOUS_TITLES: &WordList = &WordList::new(&[
    "captain",
    "chief",
    "executive",
    "general",
    "justice",
    "king",
    "lady",
    "lord",
    "premier",
    "prime",
    "prince",
    "princess",
    "queen",
    "sen",
    "seri",
    "sri",
    "tan",
    "vice",
]);

/// Title words too common in lowercase to make what follows a name (`to judge Alibaba`,
/// `a prime London site`).
const NOT_LOWERCASE_TITLES: &WordList = &WordList::new(&[
    "chair", "dame", "general", "judge", "justice", "king", "lady", "lord", "miss", "prime",
    "prince", "princess", "queen", "rep", "sen", "seri", "sri", "tan",
]);

#[cfg(test)]
mod tests;
