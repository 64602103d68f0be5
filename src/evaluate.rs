//! How well the candidate rules ([`crate::recognize::find_candidates`]) find the names a
//! knowledge base lacks, measured on a corpus whose knowledge base is complete: entities are
//! left out of a copy of it, and the candidates found with the copy are compared with the
//! mentions the full knowledge base finds.
//!
//! Two protocols, both deterministic:
//! - **leave one out**: each entity in turn is left out, alone;
//! - **halves**: for each seed, the entities are shuffled and split into two halves, and each
//!   half is left out in turn (so every entity is left out once per seed), the way a
//!   knowledge base that knows half of a corpus's names would be.
//!
//! The counts:
//! - **recall**: of the mentions (found with the full knowledge base) of the entities left
//!   out, the share a candidate overlaps; **exact** is the share whose span a candidate
//!   matches exactly (the span tagging would add).
//! - **precision**: of the candidates, those overlapping a mention of the full knowledge base
//!   are *right*. Those overlapping a candidate found with the *full* knowledge base are names
//!   (or junk) the full knowledge base lacks too, so the measure cannot judge them: they are
//!   counted apart as *lacking*, left out of `precision`, listed by [`Evaluation::lacking`] for
//!   a person to judge, and counted in `strict`, which is right / all candidates. The others
//!   are *wrong*.

use std::ops::Range;

use crate::kb::{Entity, KnowledgeBase};
use crate::recognize::{Candidate, Lexicon, Recognizer};

/// An article of the evaluated corpus.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Its name, for listing what was missed.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// The counts of one protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// What was measured (`leave one out`, `halves ×10`).
    pub protocol: String,
    /// Knowledge bases tried.
    pub runs: usize,
    /// Mentions of the entities left out, summed over the runs.
    pub mentions: usize,
    /// Of those, overlapped by a candidate.
    pub flagged: usize,
    /// Of those, matched exactly by a candidate's span.
    pub exact: usize,
    /// Candidates, summed over the runs.
    pub candidates: usize,
    /// Candidates overlapping a mention of the full knowledge base.
    pub right: usize,
    /// Candidates the full knowledge base leaves over too: not judged.
    pub lacking: usize,
    /// The other candidates.
    pub wrong: usize,
}

impl Counts {
    /// Share of the left-out mentions a candidate overlaps.
    pub fn recall(&self) -> f64 {
        ratio(self.flagged, self.mentions)
    }

    /// Share of the left-out mentions a candidate's span matches exactly.
    pub fn exact_recall(&self) -> f64 {
        ratio(self.exact, self.mentions)
    }

    /// Share of the judged candidates (right or wrong) that are right.
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.right + self.wrong)
    }

    /// Share of all candidates that are right, the lacking ones counted as wrong.
    pub fn strict_precision(&self) -> f64 {
        ratio(self.right, self.candidates)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// A mention missed or a candidate judged wrong, for a person improving the rules.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Example {
    /// The article.
    pub doc: String,
    /// The text of the span.
    pub text: String,
    /// What the full knowledge base found there, or the candidate found instead.
    pub note: String,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// One row per protocol.
    pub rows: Vec<Counts>,
    /// The candidates found with the full knowledge base: each name (or junk) it lacks.
    pub lacking: Vec<Example>,
    /// Mentions missed (not overlapped) in the leave-one-out protocol.
    pub missed: Vec<Example>,
    /// Mentions flagged with another span in the leave-one-out protocol.
    pub inexact: Vec<Example>,
    /// Wrong candidates of the leave-one-out protocol, each once.
    pub wrong: Vec<Example>,
}

/// The seeds [`evaluate`] splits the entities with.
pub const HALVES_SEEDS: std::ops::RangeInclusive<u64> = 1..=10;

/// Measures the candidate rules on `docs` with knowledge base `kb` (see the module docs).
/// Costs one recognition and one candidate search per article per run: a corpus of `n`
/// entities takes `n + 2 × 10` runs.
pub fn evaluate(kb: &KnowledgeBase, docs: &[Doc]) -> Evaluation {
    let lexicon = Lexicon::from_texts(docs.iter().map(|d| d.text.as_str()));
    let full = Recognizer::new(kb);
    let truth: Vec<Truth> = docs
        .iter()
        .map(|d| {
            let mentions = full.recognize(&d.text);
            let candidates = lexicon.find(&d.text, &mentions);
            Truth {
                mentions: mentions
                    .iter()
                    .filter_map(|m| Some((m.span.clone(), m.entity()?.index())))
                    .collect(),
                candidates: candidates.into_iter().map(|c| c.span).collect(),
            }
        })
        .collect();
    let mut out = Evaluation::default();
    for (doc, t) in docs.iter().zip(&truth) {
        for span in &t.candidates {
            out.lacking.push(example(doc, span, "lacking".into()));
        }
    }
    let n = kb.len();

    let mut loo = Counts {
        protocol: "leave one out".into(),
        ..Counts::default()
    };
    for left in 0..n {
        let mut out_set = vec![false; n];
        out_set[left] = true;
        run(
            kb,
            docs,
            &truth,
            &lexicon,
            &out_set,
            &mut loo,
            Some(&mut out),
        );
    }
    out.wrong.sort();
    out.wrong.dedup();
    let mut halves = Counts {
        protocol: format!(
            "halves, seeds {}-{}",
            HALVES_SEEDS.start(),
            HALVES_SEEDS.end()
        ),
        ..Counts::default()
    };
    for seed in HALVES_SEEDS {
        let mut order: Vec<usize> = (0..n).collect();
        fastrand::Rng::with_seed(seed).shuffle(&mut order);
        for half in [0, 1] {
            let mut out_set = vec![false; n];
            for (i, &e) in order.iter().enumerate() {
                out_set[e] = (i < n / 2) == (half == 0);
            }
            run(kb, docs, &truth, &lexicon, &out_set, &mut halves, None);
        }
    }
    out.rows = vec![loo, halves];
    out
}

/// What the full knowledge base finds in one article.
struct Truth {
    /// Each mention's span and entity index.
    mentions: Vec<(Range<usize>, usize)>,
    candidates: Vec<Range<usize>>,
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn example(doc: &Doc, span: &Range<usize>, note: String) -> Example {
    Example {
        doc: doc.name.clone(),
        text: doc.text.get(span.clone()).unwrap_or_default().to_owned(),
        note,
    }
}

/// One run: the knowledge base without the entities `left_out` marks.
fn run(
    kb: &KnowledgeBase,
    docs: &[Doc],
    truth: &[Truth],
    lexicon: &Lexicon,
    left_out: &[bool],
    counts: &mut Counts,
    mut examples: Option<&mut Evaluation>,
) {
    let kept: Vec<Entity> = kb
        .entities()
        .iter()
        .zip(left_out)
        .filter(|(_, &out)| !out)
        .map(|(e, _)| e.clone())
        .collect();
    let reduced = KnowledgeBase::from_entities(kept);
    let recognizer = Recognizer::new(&reduced);
    counts.runs += 1;
    for (doc, t) in docs.iter().zip(truth) {
        let mentions = recognizer.recognize(&doc.text);
        let found: Vec<Candidate> = lexicon.find(&doc.text, &mentions);
        for (span, entity) in &t.mentions {
            if !left_out.get(*entity).copied().unwrap_or(false) {
                continue;
            }
            counts.mentions += 1;
            let hit = found.iter().find(|c| overlaps(&c.span, span));
            match hit {
                Some(c) => {
                    counts.flagged += 1;
                    if c.span == *span {
                        counts.exact += 1;
                    } else if let Some(ex) = examples.as_deref_mut() {
                        let got = doc.text.get(c.span.clone()).unwrap_or_default();
                        ex.inexact.push(example(doc, span, format!("as «{got}»")));
                    }
                }
                None => {
                    if let Some(ex) = examples.as_deref_mut() {
                        let name = kb.entities().get(*entity).map_or("", |e| e.name.as_str());
                        ex.missed.push(example(doc, span, name.to_owned()));
                    }
                }
            }
        }
        for c in &found {
            counts.candidates += 1;
            if t.mentions.iter().any(|(m, _)| overlaps(m, &c.span)) {
                counts.right += 1;
            } else if t.candidates.iter().any(|l| overlaps(l, &c.span)) {
                counts.lacking += 1;
            } else {
                counts.wrong += 1;
                if let Some(ex) = examples.as_deref_mut() {
                    ex.wrong.push(example(doc, &c.span, "wrong".into()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
