//! Which automaton to recognise with: `cargo bench --bench automata` (add `-- --quick` to skip
//! the 1M-entity knowledge base).
//!
//! For the folded patterns of the 10k, 100k and 1M-entity knowledge bases (what
//! [`Recognizer::patterns`] returns), builds every leftmost-longest automaton worth considering
//! and prints its build time, its heap size as the crate reports it, and its scan throughput
//! over the folded articles of `target/bench-data/e100000-a1000` (the same texts for every
//! knowledge base): `aho-corasick`'s noncontiguous NFA, contiguous NFA and DFA, each with its
//! prefilter on and off, and `daachorse`'s bytewise and charwise double arrays, each with its
//! prefilter on and off. Every kind counts the same thing, the non-overlapping leftmost-longest
//! matches its own iterator reports, and every kind must find exactly the same matches (count
//! and a checksum of starts, ends and pattern ids), or the benchmark fails.
//!
//! Uses the corpora `cargo bench --bench table` generates into `target/bench-data`.

mod common;

use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use common::{best, load_kb, repo, texts};
use daachorse::{
    CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, DoubleArrayAhoCorasick,
    DoubleArrayAhoCorasickBuilder,
};
use dossier::recognize::Recognizer;
use dossier::text::Folded;

/// A DFA whose transition table would take more than this is not built.
const DFA_BUDGET: usize = 4 << 30;

fn bench_data(name: &str) -> PathBuf {
    let dir = repo().join("target/bench-data").join(name);
    if !dir.join("dossier.toml").exists() {
        eprintln!(
            "bench: {} is missing; run `cargo bench --bench table` first to generate it",
            dir.display()
        );
        std::process::exit(2);
    }
    dir
}

/// The folded texts of the articles of `dir`: what the recognizer's automaton scans.
fn folded_texts(dir: &Path) -> Vec<String> {
    texts(dir)
        .iter()
        .map(|t| Folded::new(t).as_str().to_owned())
        .collect()
}

/// What every kind reports over the texts: the number of matches and a checksum of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Tally {
    matches: usize,
    checksum: u64,
}

impl Tally {
    fn add(&mut self, start: usize, end: usize, pattern: usize) {
        self.matches += 1;
        self.checksum = self
            .checksum
            .wrapping_mul(31)
            .wrapping_add((start as u64) << 40 ^ (end as u64) << 20 ^ pattern as u64);
    }
}

/// A built automaton, behind one interface so that every kind is timed the same way.
trait Scanner {
    fn heap_bytes(&self) -> usize;
    fn scan(&self, hay: &str, tally: &mut Tally);
}

impl Scanner for AhoCorasick {
    fn heap_bytes(&self) -> usize {
        self.memory_usage()
    }
    fn scan(&self, hay: &str, tally: &mut Tally) {
        for m in self.find_iter(hay) {
            tally.add(m.start(), m.end(), m.pattern().as_usize());
        }
    }
}

impl Scanner for DoubleArrayAhoCorasick<u32> {
    fn heap_bytes(&self) -> usize {
        DoubleArrayAhoCorasick::heap_bytes(self)
    }
    fn scan(&self, hay: &str, tally: &mut Tally) {
        for m in self.leftmost_find_iter(hay) {
            tally.add(m.start(), m.end(), m.value() as usize);
        }
    }
}

impl Scanner for CharwiseDoubleArrayAhoCorasick<u32> {
    fn heap_bytes(&self) -> usize {
        CharwiseDoubleArrayAhoCorasick::heap_bytes(self)
    }
    fn scan(&self, hay: &str, tally: &mut Tally) {
        for m in self.leftmost_find_iter(hay) {
            tally.add(m.start(), m.end(), m.value() as usize);
        }
    }
}

type Build = Box<dyn Fn(&[String]) -> Result<Box<dyn Scanner>, String>>;

fn boxed(scanner: impl Scanner + 'static) -> Result<Box<dyn Scanner>, String> {
    Ok(Box::new(scanner))
}

fn aho_corasick(kind: AhoCorasickKind, prefilter: bool) -> Build {
    Box::new(move |patterns| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(kind))
            .prefilter(prefilter)
            .build(patterns)
            .map_or_else(|e| Err(e.to_string()), boxed)
    })
}

fn bytewise(prefilter: bool) -> Build {
    Box::new(move |patterns| {
        DoubleArrayAhoCorasickBuilder::new()
            .match_kind(daachorse::MatchKind::LeftmostLongest)
            .use_prefilter(prefilter)
            .build::<_, _, u32>(patterns)
            .map_or_else(|e| Err(e.to_string()), boxed)
    })
}

fn charwise(prefilter: bool) -> Build {
    Box::new(move |patterns| {
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(daachorse::MatchKind::LeftmostLongest)
            .use_prefilter(prefilter)
            .build::<_, _, u32>(patterns)
            .map_or_else(|e| Err(e.to_string()), boxed)
    })
}

/// An upper bound on the DFA's transition table: one state per pattern byte (fewer where
/// patterns share prefixes), times the stride `aho-corasick` gives a state (the number of
/// byte classes the patterns split the alphabet into, rounded up to a power of two), times
/// four bytes a transition.
fn dfa_bound(patterns: &[String]) -> usize {
    let mut seen = [false; 256];
    for p in patterns {
        for &b in p.as_bytes() {
            seen[b as usize] = true;
        }
    }
    // Each byte a pattern uses is a class of its own at worst, plus one for all the others.
    let classes = seen.iter().filter(|&&s| s).count() + 1;
    let states: usize = patterns.iter().map(String::len).sum::<usize>() + 1;
    states * classes.next_power_of_two() * 4
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = 3;
    let kbs: &[(&str, &str)] = if quick {
        &[("10k", "e10000-a0"), ("100k", "e100000-a1000")]
    } else {
        &[
            ("10k", "e10000-a0"),
            ("100k", "e100000-a1000"),
            ("1M", "e1000000-a0"),
        ]
    };
    let texts = folded_texts(&bench_data("e100000-a1000"));
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;

    let kinds: Vec<(&str, Build)> = vec![
        (
            "AC noncontiguous NFA",
            aho_corasick(AhoCorasickKind::NoncontiguousNFA, true),
        ),
        (
            "AC noncontiguous NFA, no prefilter",
            aho_corasick(AhoCorasickKind::NoncontiguousNFA, false),
        ),
        (
            "AC contiguous NFA",
            aho_corasick(AhoCorasickKind::ContiguousNFA, true),
        ),
        (
            "AC contiguous NFA, no prefilter",
            aho_corasick(AhoCorasickKind::ContiguousNFA, false),
        ),
        ("AC DFA", aho_corasick(AhoCorasickKind::DFA, true)),
        (
            "AC DFA, no prefilter",
            aho_corasick(AhoCorasickKind::DFA, false),
        ),
        ("daachorse bytewise", bytewise(true)),
        ("daachorse bytewise, no prefilter", bytewise(false)),
        ("daachorse charwise", charwise(true)),
        ("daachorse charwise, no prefilter", charwise(false)),
    ];

    println!(
        "Leftmost-longest automata over the folded patterns of each knowledge base; scan: \
         {mb:.1} MB of folded articles (e100000-a1000); best of {runs}, one thread"
    );
    println!(
        "{:>5} {:>9} {:<36} {:>9} {:>10} {:>8} {:>9}",
        "KB", "patterns", "automaton", "build s", "heap MB", "scan MB/s", "matches"
    );
    let mut notes = Vec::new();
    for &(label, name) in kbs {
        let patterns = {
            let kb = load_kb(&bench_data(name));
            Recognizer::new(&kb).patterns().to_vec()
        };
        let mut expected: Option<Tally> = None;
        for (kind, build) in &kinds {
            if kind.starts_with("AC DFA") && dfa_bound(&patterns) > DFA_BUDGET {
                let note = format!(
                    "{label}: AC DFA skipped, prefilter on and off: its transition table may \
                     take up to {:.1} GB",
                    dfa_bound(&patterns) as f64 / 1e9
                );
                if !notes.contains(&note) {
                    notes.push(note);
                }
                continue;
            }
            let (build_s, automaton) = best(runs, || build(&patterns));
            let automaton = match automaton {
                Ok(a) => a,
                Err(e) => {
                    notes.push(format!("{label}: {kind} failed to build: {e}"));
                    continue;
                }
            };
            let (scan_s, tally) = best(runs, || {
                let mut tally = Tally::default();
                for t in &texts {
                    automaton.scan(t, &mut tally);
                }
                tally
            });
            match expected {
                None => expected = Some(tally),
                Some(e) => assert_eq!(e, tally, "{label}: {kind} finds other matches"),
            }
            println!(
                "{:>5} {:>9} {:<36} {:>9.3} {:>10.1} {:>8.1} {:>9}",
                label,
                patterns.len(),
                kind,
                build_s,
                automaton.heap_bytes() as f64 / 1e6,
                mb / scan_s,
                tally.matches
            );
        }
    }
    for note in notes {
        println!("note: {note}");
    }
}
