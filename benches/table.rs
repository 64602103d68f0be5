//! The benchmark table: `cargo bench --bench table` (add `-- --quick` for the small sizes only).
//!
//! For knowledge bases of 10k, 100k and 1M entities: load + automaton build time. For corpora of
//! 1k, 10k and 100k synthetic articles (~5 KB each) with a 100k-entity knowledge base:
//! recognition throughput against a bare `aho-corasick` scan of the same bytes with the same
//! patterns (the practical ceiling the issue names) and against a bare scan with the
//! double-array automaton recognition itself uses (`daachorse`), cold indexing time, peak
//! resident memory of a whole `dossier entities` run, and the peers a user would otherwise pick (FlashText, spaCy's
//! PhraseMatcher, installed into a throwaway venv by `benches/setup-peers.sh`).
//!
//! Beside recognition, the cost of finding candidate names ([`find_candidates`], with the
//! mentions already found), as a share of recognition's: on the seed corpus (real news, its
//! own knowledge base) and on the synthetic corpora. `-- --candidates` prints only the seed
//! corpus's line and the 1,000-article synthetic one, in seconds (the synthetic corpus is
//! generated with the release binary the first time).
//!
//! Corpora come from `dossier generate` (seeded, so every run measures the same bytes) and are
//! kept in `target/bench-data`. Needs `cargo build --release` first; `benches/run.sh` does that
//! and adds the language-server latencies (`benches/lsp_latency.rs`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use common::{best, load_kb, repo, texts};
use daachorse::{DoubleArrayAhoCorasickBuilder, MatchKind as DaachorseKind};
use dossier::corpus::Corpus;
use dossier::recognize::{find_candidates, Mention, Recognizer};

const SEED: u64 = 1;

fn binary() -> PathBuf {
    let path = repo().join("target/release/dossier");
    if !path.exists() {
        eprintln!(
            "bench: {} is missing; run `cargo build --release` first",
            path.display()
        );
        std::process::exit(2);
    }
    path
}

/// The corpus of `entities` and `articles`, generated once and kept.
fn corpus(entities: usize, articles: usize) -> PathBuf {
    let dir = repo().join(format!("target/bench-data/e{entities}-a{articles}"));
    if !dir.join("dossier.toml").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("bench: generating {}", dir.display());
        let status = Command::new(binary())
            .args([
                "generate",
                "--entities",
                &entities.to_string(),
                "--articles",
                &articles.to_string(),
            ])
            .args(["--seed", &SEED.to_string()])
            .arg(&dir)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("bench: generating {} failed", dir.display());
            std::process::exit(2);
        }
    }
    dir
}

/// Runs `dossier args…` and returns its wall time and peak resident memory (MB), from
/// `wait4`, which reports the rusage of exactly that child.
#[allow(clippy::zombie_processes)] // `wait4` reaps the child, which `Child::wait` cannot see
fn child_peak(args: &[&str]) -> (f64, f64) {
    let start = Instant::now();
    let child = Command::new(binary())
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("dossier runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data, zero is a valid bit pattern, and wait4 writes it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, with valid pointers to locals.
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = start.elapsed().as_secs_f64();
    (seconds, usage.ru_maxrss as f64 / 1024.0)
}

struct Peers {
    flashtext: Option<f64>,
    spacy: Option<f64>,
}

fn peers(dir: &Path) -> Peers {
    let none = Peers {
        flashtext: None,
        spacy: None,
    };
    let setup = Command::new("bash")
        .arg(repo().join("benches/setup-peers.sh"))
        .status();
    if !setup.is_ok_and(|s| s.success()) {
        eprintln!("bench: peers unavailable (setup-peers.sh failed)");
        return none;
    }
    let output = Command::new(repo().join("target/bench-venv/bin/python"))
        .arg(repo().join("benches/peers.py"))
        .arg(dir)
        .args(["--repeat", "1"])
        .output();
    let Ok(output) = output else { return none };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&output.stdout) else {
        return none;
    };
    Peers {
        flashtext: json["flashtext"]["mb_per_s"].as_f64(),
        spacy: json["spacy"]["mb_per_s"].as_f64(),
    }
}

fn fmt(x: Option<f64>, precision: usize) -> String {
    x.map_or("—".to_owned(), |x| format!("{x:.precision$}"))
}

/// Recognition and candidate throughput over `texts` (MB/s), and candidates' time as a share
/// of recognition's, printed as one line of the candidates table.
fn candidates_line(label: &str, texts: &[String], recognizer: &Recognizer, runs: usize) {
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let mentions: Vec<Vec<Mention>> = texts.iter().map(|t| recognizer.recognize(t)).collect();
    let (recognition, _) = best(runs, || {
        texts
            .iter()
            .map(|t| recognizer.recognize(t).len())
            .sum::<usize>()
    });
    let (candidates, found) = best(runs, || {
        texts
            .iter()
            .zip(&mentions)
            .map(|(t, m)| find_candidates(t, m).len())
            .sum::<usize>()
    });
    println!(
        "{:<28} {:>8.2} {:>14.1} {:>14.1} {:>8.0}% {:>11}",
        label,
        mb,
        mb / recognition,
        mb / candidates,
        100.0 * candidates / recognition,
        found
    );
}

fn candidates_header() {
    println!("Candidate names beside recognition (best of 5, one thread; share = candidates time / recognition time)");
    println!(
        "{:<28} {:>8} {:>14} {:>14} {:>9} {:>11}",
        "corpus", "MB", "recognition/s", "candidates/s", "share", "candidates"
    );
}

/// The seed corpus, each article repeated so that the clock sees more than microseconds.
fn seeds_candidates_line() {
    let dir = repo().join("seeds");
    let kb = load_kb(&dir);
    let recognizer = Recognizer::new(&kb);
    let texts: Vec<String> = texts(&dir)
        .iter()
        .flat_map(|t| std::iter::repeat_n(t.clone(), 200))
        .collect();
    candidates_line("seeds (5 articles ×200)", &texts, &recognizer, 5);
}

fn main() {
    if std::env::args().any(|a| a == "--candidates") {
        candidates_header();
        seeds_candidates_line();
        synthetic_candidates_line(1_000);
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let kb_sizes: &[usize] = if quick {
        &[10_000, 100_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    let corpus_sizes: &[usize] = if quick {
        &[1_000]
    } else {
        &[1_000, 10_000, 100_000]
    };
    let with_peers = !std::env::args().any(|a| a == "--no-peers");

    // Peak memory first, while this process is small: Linux counts the parent's peak at fork
    // time into the child's `ru_maxrss`, so a child spawned after loading a large knowledge
    // base here would report this process's memory, not its own.
    let peaks: Vec<(usize, f64, f64)> = corpus_sizes
        .iter()
        .map(|&articles| {
            let dir = corpus(100_000, articles);
            let (seconds, peak) =
                child_peak(&["entities", &dir.to_string_lossy(), "--format", "jsonl"]);
            (articles, seconds, peak)
        })
        .collect();

    println!("Knowledge base: load + automaton build (best of 3)");
    println!(
        "{:>10} {:>9} {:>9} {:>12} {:>10} {:>13}",
        "entities", "TOML MB", "load s", "automaton s", "patterns", "heads"
    );
    for &entities in kb_sizes {
        let dir = corpus(entities, 1);
        let toml_mb =
            std::fs::metadata(dir.join("entities.toml")).map_or(0.0, |m| m.len() as f64 / 1e6);
        let (load, kb) = best(3, || load_kb(&dir));
        let (build, recognizer) = best(3, || Recognizer::new(&kb));
        println!(
            "{:>10} {:>9.1} {:>9.3} {:>12.3} {:>10} {:>13}",
            entities,
            toml_mb,
            load,
            build,
            recognizer.pattern_count(),
            recognizer.head_count()
        );
    }

    println!("\nCorpus with a 100k-entity knowledge base (throughput: best of 3, one thread)");
    println!(
        "{:>9} {:>8} {:>11} {:>11} {:>7} {:>11} {:>7} {:>9} {:>10} {:>9} {:>11} {:>9} {:>8} {:>8}",
        "articles",
        "MB",
        "dossier/s",
        "bare AC/s",
        "ratio",
        "bare DA/s",
        "ratio",
        "index s",
        "peak RSS",
        "RSS/MB",
        "FlashText/s",
        "spaCy/s",
        "×Flash",
        "×spaCy"
    );
    for &articles in corpus_sizes {
        let dir = corpus(100_000, articles);
        let kb = load_kb(&dir);
        let recognizer = Recognizer::new(&kb);
        let texts = texts(&dir);
        let bytes: usize = texts.iter().map(String::len).sum();
        let mb = bytes as f64 / 1e6;
        // Best of 3 over every text, for a function that counts one text's matches.
        let scan_time = |count: &dyn Fn(&str) -> usize| {
            best(3, || texts.iter().map(|t| count(t)).sum::<usize>())
        };
        let (ours, mentions) = scan_time(&|t| recognizer.recognize(t).len());
        let bare = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(recognizer.patterns())
            .expect("the bare automaton builds");
        let (ceiling, _) = scan_time(&|t| bare.find_iter(t).count());
        // The kind of automaton Dossier itself uses, bare, over the same dictionary (whole
        // patterns, where Dossier holds their first words): how close the rules come to it.
        let own = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(DaachorseKind::LeftmostLongest)
            .build::<_, _, u32>(recognizer.patterns())
            .expect("the bare double array builds");
        let (own_ceiling, _) = scan_time(&|t| own.leftmost_find_iter(t).count());
        let corpus = Corpus::open(&dir).expect("the corpus opens");
        // Cold indexing: without the index cache an earlier run (or `dossier check`) left.
        let _ = std::fs::remove_dir_all(dir.join(dossier::corpus::cache::CACHE_DIR));
        let (index, _) = best(1, || corpus.index(&kb, &recognizer).map(|(i, _)| i.len()));
        let peak = peaks.iter().find(|p| p.0 == articles).map_or(0.0, |p| p.2);
        let peers = if with_peers && articles <= 10_000 {
            peers(&dir)
        } else {
            Peers {
                flashtext: None,
                spacy: None,
            }
        };
        let (ours_mb, ceiling_mb, own_mb) = (mb / ours, mb / ceiling, mb / own_ceiling);
        println!(
            "{:>9} {:>8.1} {:>11.1} {:>11.1} {:>6.0}% {:>11.1} {:>6.0}% {:>9.2} {:>7.0} MB {:>9.1} {:>11} {:>9} {:>8} {:>8}",
            articles,
            mb,
            ours_mb,
            ceiling_mb,
            100.0 * ours_mb / ceiling_mb,
            own_mb,
            100.0 * ours_mb / own_mb,
            index,
            peak,
            peak / mb,
            fmt(peers.flashtext, 1),
            fmt(peers.spacy, 2),
            fmt(peers.flashtext.map(|p| ours_mb / p), 0),
            fmt(peers.spacy.map(|p| ours_mb / p), 0),
        );
        eprintln!("bench: {articles} articles, {mentions} mentions");
    }

    println!();
    candidates_header();
    seeds_candidates_line();
    for &articles in corpus_sizes.iter().filter(|&&a| a <= 10_000) {
        synthetic_candidates_line(articles);
    }
}

/// The candidates line of the synthetic corpus of `articles` articles (generated if missing).
fn synthetic_candidates_line(articles: usize) {
    let dir = corpus(100_000, articles);
    let recognizer = Recognizer::new(&load_kb(&dir));
    candidates_line(
        &format!("synthetic, 100k entities, {articles} articles"),
        &texts(&dir),
        &recognizer,
        3,
    );
}
