//! One word as a name by itself: the rules that let `Bloomberg`, `Duterte`, `DBKL`, `G7` and
//! `eBay` be candidates without a second word or a title, and keep `Company`, `Malaysian`,
//! `CEO` and `PUBLISHED` from being ones.
//!
//! A word standing alone in its run (no capitalised word joined to it) is a candidate when:
//! 1. it is capitalised (`Bloomberg`, `WhatsApp`), mixed-case (`eBay`, `eWTP`) or all capitals
//!    with at least two characters (`DBKL`, `G7`, `GTF2017`) — not an initial (`J.`);
//! 2. it is no title (`Chief`), weekday or month (those are cut before), no demonym or
//!    adjective of a place or a faith (`Malaysian`, `Filipinos`, `Muslim`: [`DEMONYMS`]), no
//!    common acronym of a thing rather than a name (`CEO`, `GDP`, `IPO`, `USD`:
//!    [`COMMON_ACRONYMS`]), no plural acronym (`SMEs`): names are seldom plural, and no
//!    amount (`RM1 trillion`);
//! 3. it does not stand beside a mention (`Disney` in `Hong Kong Disney` is part of a name
//!    with the known `Hong Kong`; that cut is made by the caller);
//! 4. at a sentence's start (or a line's, or a quotation's), where every word is capitalised,
//!    the corpus must also write it capitalised mid-sentence somewhere: one sense per
//!    discourse, corpus-wide (`Alibaba’s Ma to partner…` in a headline, `…said Alibaba` in a
//!    body);
//! 5. the corpus does not mostly write it in lowercase: `Shares`, `Company`, the words of a
//!    title-case headline are ordinary words (lowercase uses at least as many as the
//!    capitalised ones mid-sentence); acronyms of up to four letters are exempt, since `US`
//!    and `IT` are also `us` and `it`;
//! 6. an all-capitals word is not beside another all-capitals word: a shouted headline
//!    (`ALIBABA’S MA TO PARTNER`) says nothing with its capitals.

use super::{in_list, is_title, Finder, Shape, Word, WordList};

impl Finder<'_> {
    /// Whether `word`, alone in its piece and beside no mention, is a name by itself.
    pub(super) fn single(&self, word: &Word) -> bool {
        let w = self.word(word).trim_end_matches('.');
        let letters = w.chars().count();
        match word.shape {
            Shape::Capitalised | Shape::Mixed if letters >= 2 => {}
            Shape::Upper if letters >= 2 && w.chars().any(char::is_alphabetic) => {}
            _ => return false,
        }
        if is_title(w) || is_demonym(w) || in_list(COMMON_ACRONYMS, w) {
            return false;
        }
        let i = self
            .words
            .partition_point(|x| x.span.start < word.span.start);
        if is_amount(w, self.words.get(i + 1).map(|n| self.word(n))) {
            return false;
        }
        let upper = word.shape == Shape::Upper;
        if upper && w.ends_with('s') {
            return false;
        }
        if upper && self.shouted(word) {
            return false;
        }
        let mid = self.evidence.mid(self.text, self.words, w);
        if word.initial && mid == 0 {
            return false;
        }
        let acronym = upper && letters <= 4;
        acronym || self.evidence.lower(self.text, self.words, w) < mid.max(1)
    }

    /// Whether the words next to `word` on either side are all capitals too.
    fn shouted(&self, word: &Word) -> bool {
        let i = self
            .words
            .partition_point(|w| w.span.start < word.span.start);
        let upper = |w: &Word| {
            w.shape == Shape::Upper
                || (self
                    .text
                    .get(w.span.clone())
                    .is_some_and(|t| t.chars().all(|c| !c.is_lowercase())))
        };
        let before = i
            .checked_sub(1)
            .and_then(|p| self.words.get(p))
            .filter(|p| near(self.text, p.full.end, word.full.start));
        let after = self
            .words
            .get(i + 1)
            .filter(|n| near(self.text, word.full.end, n.full.start));
        before.is_some_and(upper) || after.is_some_and(upper)
    }
}

/// Whether only spaces and punctuation, no line break, lie between `a` and `b`.
fn near(text: &str, a: usize, b: usize) -> bool {
    text.get(a..b)
        .is_some_and(|gap| gap.len() <= 3 && !gap.contains(['\n', '\r']))
}

/// Whether `w` is a demonym or an adjective of a place or faith, singular or plural.
fn is_demonym(w: &str) -> bool {
    in_list(DEMONYMS, w)
        || w.strip_suffix('s')
            .filter(|s| s.ends_with(['n', 'o', 'a', 'i']))
            .is_some_and(|s| in_list(DEMONYMS, s))
}

/// Whether `word` is an amount of money (`RM1 trillion`, `HK$2` is split before): letters and
/// then digits, followed by a magnitude.
fn is_amount(word: &str, next: Option<&str>) -> bool {
    let digits = word.trim_start_matches(|c: char| c.is_alphabetic());
    let letters = word.len() - digits.len();
    letters > 0
        && letters <= 3
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && next.is_some_and(|n| in_list(MAGNITUDES, n))
}

/// Words after a number that make it an amount.
const MAGNITUDES: &WordList =
    &WordList::new(&["billion", "bn", "million", "mln", "mn", "trillion"]);

/// Demonyms and adjectives of places, regions and faiths: capitalised in English, and never a
/// name alone (`Chinese tech giant`, `Filipinos`). Inside a longer name they stay (`Chinese
/// Communist Party`).
pub(super) const DEMONYMS: &WordList = &WordList::new(&[
    "afghan",
    "african",
    "american",
    "arab",
    "arabian",
    "argentine",
    "argentinian",
    "asian",
    "australian",
    "austrian",
    "bangladeshi",
    "belgian",
    "brazilian",
    "british",
    "briton",
    "buddhist",
    "burmese",
    "cambodian",
    "canadian",
    "catholic",
    "chilean",
    "chinese",
    "christian",
    "colombian",
    "cuban",
    "czech",
    "danish",
    "dutch",
    "egyptian",
    "emirati",
    "english",
    "ethiopian",
    "european",
    "filipina",
    "filipino",
    "finnish",
    "french",
    "german",
    "greek",
    "hindu",
    "hungarian",
    "indian",
    "indonesian",
    "iranian",
    "iraqi",
    "irish",
    "islamic",
    "israeli",
    "italian",
    "japanese",
    "jewish",
    "jordanian",
    "kenyan",
    "korean",
    "kuwaiti",
    "laotian",
    "latin",
    "lebanese",
    "malay",
    "malaysian",
    "mexican",
    "mongolian",
    "moroccan",
    "muslim",
    "nepali",
    "nigerian",
    "norwegian",
    "pakistani",
    "palestinian",
    "persian",
    "peruvian",
    "philippine",
    "polish",
    "portuguese",
    "protestant",
    "qatari",
    "romanian",
    "russian",
    "saudi",
    "scottish",
    "serbian",
    "singaporean",
    "spanish",
    "swedish",
    "swiss",
    "syrian",
    "taiwanese",
    "thai",
    "tibetan",
    "turkish",
    "ugandan",
    "ukrainian",
    "venezuelan",
    "vietnamese",
    "welsh",
    "yemeni",
]);

/// Acronyms of things rather than names, common in news: never a candidate alone.
pub(super) const COMMON_ACRONYMS: &WordList = &WordList::new(&[
    "ad", "ai", "am", "api", "ar", "atm", "bc", "ceo", "cfo", "cny", "coo", "cto", "diy", "eur",
    "faq", "gbp", "gdp", "gmt", "gps", "hkd", "hr", "id", "ipo", "it", "jpy", "kpi", "msme", "myr",
    "ok", "pc", "pdf", "php", "pm", "pr", "rmb", "sgd", "sme", "sms", "tv", "url", "usb", "usd",
    "utc", "vip", "vr",
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_sorted_lowercase() {
        for list in [DEMONYMS, COMMON_ACRONYMS] {
            let list = list.words;
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list.iter().all(|w| *w == w.to_lowercase() && w.is_ascii()));
        }
    }
}
