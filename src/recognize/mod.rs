//! Finding the entities of a knowledge base in an article.
//!
//! Recognition is two steps, so that an editor can redo the first on a small region after a
//! keystroke and still get the second right for the whole article:
//!
//! 1. [`Recognizer::scan`] — one leftmost-longest Aho-Corasick pass over the folded text finds
//!    where the first word of a surface form matches; the forms that start with it are then
//!    looked up by hash, longest first, at the lengths they have and where the text ends a
//!    word. This finds every surface form standing as a whole word ([`Hit`]s), at the cost of
//!    one pass over the text plus work proportional to the hits; nothing loops over the
//!    entities, and the automaton stays small. Forms in capitals (`KUALA LUMPUR`) are
//!    patterns like any other, with their own heads (`KUALA`).
//! 2. [`Recognizer::resolve`] — decides, for the article as a whole, whom each hit names: weak
//!    aliases count only for an entity the article also names strongly (one sense per
//!    discourse), and a form shared by several entities is reported ambiguous rather than
//!    guessed.
//!
//! The scan also reads the title an article puts before each name that may be a person's.
//!
//! [`Recognizer::recognize`] does both. Then [`apply_anchors`] carries out the knowledge base's
//! decisions about single mentions (`[[untag]]`, `[[assign]]`); it needs the article's path in
//! the corpus, so [`crate::corpus::Corpus::annotate`] is where the three meet.
//! [`find_candidates`] then reads what is left over: names the knowledge base does not know
//! yet, for an editor to hint at and tag.
//!
//! ```
//! use dossier::kb::KnowledgeBase;
//! use dossier::recognize::Recognizer;
//!
//! let (kb, problems) = KnowledgeBase::load([("entities.toml", r#"
//!     [[entity]]
//!     id = "jack-ma"
//!     name = "Jack Ma"
//!     kind = "person"
//!     weak_aliases = ["Ma"]
//!     role = "Founder of Alibaba Group"
//!     country = "China"
//! "#)]);
//! assert!(problems.is_empty());
//! let recognizer = Recognizer::new(&kb);
//! let text = "Ma in Macau. Later, Jack\u{a0}Ma spoke.";
//! let spans: Vec<&str> = recognizer.recognize(text).iter().map(|m| &text[m.span.clone()]).collect();
//! assert_eq!(spans, ["Ma", "Jack\u{a0}Ma"]);
//! ```

mod anchors;
mod automaton;
mod boundary;
mod candidates;
mod patterns;
mod resolve;
mod sieve;
mod titles;

use std::ops::Range;

pub use anchors::{apply_anchors, is_untagged};
pub use boundary::{is_whole_word, is_word_char, possessive_len};
pub use candidates::{
    continues_unknown_name, find_candidates, name_at, Candidate, CandidateReason, Guess,
    GuessReason, Lexicon, NameAt,
};
pub use patterns::{Form, Owner};
pub use titles::title_before;

use crate::kb::{EntityId, KnowledgeBase};
use crate::text::Folded;
use automaton::Automaton;
use patterns::PatternTable;

/// A surface form found as a whole word, before deciding whom it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte range in the original text.
    pub span: Range<usize>,
    /// The pattern found, an index into the recognizer's pattern table.
    pub pattern: u32,
    /// The title before the form, read when the form may name a person.
    pub title: Option<Range<usize>>,
    /// The one entity the form names by itself (its only strongest owner, by name or strong
    /// alias), copied from the pattern table at scan time: most hits are resolved from this
    /// alone, without touching the table again on every keystroke.
    pub sole_owner: Option<Owner>,
    /// The form carries on a capitalised word before it that is no known name
    /// ([`continues_unknown_name`]): read only for forms that are someone's weak alias, since
    /// such a weak alias is the end of an unknown name (`Pony Ma`), not its entity.
    pub after_name: bool,
}

impl Hit {
    /// The same hit `by` bytes further on (or back): hits after an edit move with the text.
    pub fn shifted(&self, by: isize) -> Hit {
        let shift = |x: usize| x.saturating_add_signed(by);
        Hit {
            span: shift(self.span.start)..shift(self.span.end),
            pattern: self.pattern,
            title: self.title.as_ref().map(|t| shift(t.start)..shift(t.end)),
            sole_owner: self.sole_owner,
            after_name: self.after_name,
        }
    }
}

/// Whom a mention names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// One entity.
    Entity(EntityId),
    /// A form several entities share, none of which the article singles out: the candidates,
    /// for the user to decide.
    Ambiguous(Box<[EntityId]>),
}

/// A recognised mention of an entity in an article.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mention {
    /// Byte range in the article, excluding any possessive and any title.
    pub span: Range<usize>,
    /// Whom it names.
    pub target: Target,
    /// How it names them: by name, strong alias or weak alias.
    pub form: Form,
    /// Byte range of the title the article puts before a person's name (`Finance Secretary`).
    pub title: Option<Range<usize>>,
}

impl Mention {
    /// The entity named, unless the mention is ambiguous.
    pub fn entity(&self) -> Option<EntityId> {
        match self.target {
            Target::Entity(id) => Some(id),
            Target::Ambiguous(_) => None,
        }
    }

    /// Every entity the mention may name: one, or the ambiguous candidates.
    pub fn candidates(&self) -> &[EntityId] {
        match &self.target {
            Target::Entity(id) => std::slice::from_ref(id),
            Target::Ambiguous(ids) => ids,
        }
    }
}

/// Every surface form of a knowledge base, the automaton that leads to them, and the rules
/// around them.
///
/// Building one costs time proportional to the total length of the names; using one is cheap,
/// and it is `Send + Sync`, so one recognizer serves every thread.
#[derive(Debug)]
pub struct Recognizer {
    automaton: Option<Automaton>,
    patterns: PatternTable,
    kinds: Vec<crate::kb::Kind>,
    /// Length of the longest pattern, kept because every keystroke asks for it.
    longest_form: usize,
}

impl Default for Recognizer {
    /// A recognizer that finds nothing, for a server still loading its knowledge base.
    fn default() -> Recognizer {
        Recognizer::new(&KnowledgeBase::default())
    }
}

/// What the scan finds next.
enum Next {
    /// A pattern standing from `start` to `end`.
    Standing(usize, usize, u32),
    /// Patterns start here, but none stands as a whole word.
    Glued(usize),
    /// Nothing more.
    End,
}

impl Recognizer {
    /// Builds the pattern table and the automaton of its heads for `kb`.
    pub fn new(kb: &KnowledgeBase) -> Recognizer {
        // Fails only past the automaton's limits (2^24 - 1 heads, 2^32 states): then the
        // recognizer finds nothing.
        let (patterns, automaton) = PatternTable::new_while(kb, |sorted: &[(&str, u32)]| {
            (!sorted.is_empty())
                .then(|| Automaton::build(sorted.iter().copied()).ok())
                .flatten()
        });
        Recognizer {
            automaton,
            longest_form: patterns.strings.iter().map(String::len).max().unwrap_or(0),
            patterns,
            kinds: kb.entities().iter().map(|e| e.kind).collect(),
        }
    }

    /// The folded pattern strings, in pattern-id order: what a bare automaton over the same
    /// dictionary would be built from (benchmarks compare against it).
    pub fn patterns(&self) -> &[String] {
        &self.patterns.strings
    }

    /// Number of distinct patterns: forms and their capitals variants.
    pub fn pattern_count(&self) -> usize {
        self.patterns.strings.len()
    }

    /// How many heads the automaton holds: the distinct first words of the patterns.
    pub fn head_count(&self) -> usize {
        self.patterns.heads.len()
    }

    /// Finds and resolves every mention in an article.
    pub fn recognize(&self, text: &str) -> Vec<Mention> {
        let hits = self.scan(text);
        self.resolve(&hits)
    }

    /// Finds every surface form standing as a whole word in `text`, left to right, without
    /// overlaps, preferring the longest form at the leftmost position.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        self.scan_from(text, 0, 0)
    }

    /// Like [`Recognizer::scan`], but finds only the forms starting at or after byte `from`;
    /// the text before it is context, read for word boundaries and titles as a whole scan
    /// would read it. `person_end` is where the last name that may be a person's ends before
    /// `from` (0 if none): titles never reach back past it. With these, rescanning a region
    /// after an edit gives exactly what scanning the whole text would.
    pub fn scan_from(&self, text: &str, from: usize, person_end: usize) -> Vec<Hit> {
        let folded = Folded::new(text);
        let hay = folded.as_str();
        let mut hits = Vec::new();
        let mut at = folded.to_folded(from);
        let mut person_end = person_end;
        while at < hay.len() {
            match self.next_at(hay, at) {
                Next::End => break,
                // Nothing stands here: a shorter form may start inside the rejected one.
                Next::Glued(start) => {
                    at = start + hay[start..].chars().next().map_or(1, char::len_utf8);
                }
                Next::Standing(start, end, pattern) => {
                    let span = folded.to_original(start)..folded.to_original(end);
                    let title = if self.may_be_person(pattern) {
                        let title = title_before(text, span.start, person_end);
                        person_end = span.end;
                        title
                    } else {
                        None
                    };
                    let owners = self.owners(pattern);
                    let sole_owner = resolve::sole_owner(owners);
                    let after_name = sole_owner.is_none()
                        && owners.iter().any(|o| o.form == Form::WeakAlias)
                        && continues_unknown_name(
                            text,
                            span.clone(),
                            hits.last().map_or(0, |h: &Hit| h.span.end),
                        );
                    hits.push(Hit {
                        span,
                        pattern,
                        title,
                        sole_owner,
                        after_name,
                    });
                    at = end;
                }
            }
        }
        hits
    }

    /// The leftmost place at or after `at` where patterns start, and the longest of them that
    /// stands there.
    fn next_at(&self, hay: &str, at: usize) -> Next {
        let found = self.automaton.as_ref().and_then(|a| a.find_from(hay, at));
        let Some((start, head_end, head)) = found else {
            return Next::End;
        };
        let standing = boundary::starts_word(hay, start)
            .then(|| self.longest_standing(hay, start..head_end, head))
            .flatten();
        match standing {
            Some((end, pattern)) => Next::Standing(start, end, pattern),
            None => Next::Glued(start),
        }
    }

    /// The longest pattern that starts where `head` matched, at `matched`, and ends a word:
    /// `(end, pattern)`. Only the lengths of the patterns that may stand there are looked up,
    /// and only those that end a word in the text.
    fn longest_standing(
        &self,
        hay: &str,
        matched: Range<usize>,
        head: u32,
    ) -> Option<(usize, u32)> {
        let head = self.patterns.heads.get(head as usize)?;
        let bytes = hay.as_bytes();
        let start = matched.start;
        let rest = bytes.get(matched.end..).unwrap_or_default();
        head.lengths(head.room(matched.len(), rest))
            .map(|len| start + len)
            .filter(|&end| {
                // Two ASCII word characters either side: no word ends there (the common case,
                // decided without decoding).
                let ascii_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
                let inside =
                    bytes.get(end).copied().is_some_and(ascii_word) && ascii_word(bytes[end - 1]);
                !inside && hay.is_char_boundary(end) && boundary::ends_word(hay, start, end)
            })
            .find_map(|end| Some((end, self.patterns.id(&hay[start..end])?)))
    }

    /// Whether some owner of `pattern` is a person, so that the title before it matters.
    pub fn may_be_person(&self, pattern: u32) -> bool {
        self.owners(pattern)
            .iter()
            .any(|o| self.kinds.get(o.entity.index()) == Some(&crate::kb::Kind::Person))
    }

    /// The longest form in bytes: an edit can change hits at most this far from it, which
    /// bounds the region an editor must rescan after a keystroke.
    pub fn longest_form(&self) -> usize {
        self.longest_form
    }

    /// Decides whom each hit of an article names; `hits` must come from [`Recognizer::scan`]
    /// over the whole article (or splice together scans of its parts), in order. Needs no
    /// text, so an editor can re-resolve after a keystroke without flattening its rope.
    pub fn resolve(&self, hits: &[Hit]) -> Vec<Mention> {
        resolve::resolve(hits, &self.patterns.owners, &self.kinds)
    }

    /// The owners of a pattern, strongest first: who a hit may name.
    pub fn owners(&self, pattern: u32) -> &[Owner] {
        self.patterns
            .owners
            .get(pattern as usize)
            .map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests;
