//! Memory over a long editing session: does `dossier lsp` (the release binary) hold on to
//! what edits leave behind?
//!
//! ```sh
//! cargo build --release
//! cargo bench --bench lsp_soak -- [CORPUS_DIR] [--edits N]
//! ```
//!
//! The corpus (default `seeds/`) is copied to a temporary folder with 20 new articles made of
//! its own texts, which the client opens. It then sends N (default 10,000) incremental edits,
//! each an insertion of a name, word or line break or a deletion at a random place of a random
//! article (seeded: every run sends the same script), with a semantic-tokens request after
//! every tenth, as an editor asks while someone types. The articles' sizes stay within a band,
//! so the work per edit does not grow. After every thousand edits the client asks for the
//! tokens of every article (so the server has caught up), lets a second pass (so its debounced
//! work has run) and reads the server's resident memory (`VmRSS` in `/proc/PID/status`).
//!
//! The table gives the memory at each thousand and its change from the first; the program
//! fails (exit status 1) when the last exceeds the first by more than 10 %: memory that grows
//! with the number of edits is a leak, whatever the speed.
//!
//! This is a plain `main` (`harness = false`), not a test; it needs `target/release/dossier`.

mod lsp_client;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lsp_client::{Res, Server};
use serde_json::json;

/// Edits when `--edits` is not given.
const DEFAULT_EDITS: usize = 10_000;
/// Open articles the edits go to.
const DOCS: usize = 20;
/// Memory is read after this many edits, and every multiple of it.
const CHECKPOINT: usize = 1_000;
/// The pause before each reading, longer than the server's debounce delays (150 ms for
/// diagnostics, 400 ms for the index), so its deferred work for the edits so far has run, as it
/// has whenever the user stops typing.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(1_000);
/// The most the last reading may exceed the first by.
const TOLERANCE: f64 = 0.10;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Res<bool> {
    let mut corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut edits = DEFAULT_EDITS;
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--edits" => {
                edits = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--edits needs a number")?;
            }
            path => corpus = PathBuf::from(path),
        }
    }
    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/dossier");
    if !binary.is_file() {
        return Err(format!(
            "{} is missing: run `cargo build --release`",
            binary.display()
        ));
    }
    let copy = tempfile::tempdir().map_err(|e| e.to_string())?;
    copy_dir(&corpus, copy.path()).map_err(|e| format!("copying {}: {e}", corpus.display()))?;
    let sources = article_texts(copy.path())?;
    let words = words(&sources);

    let mut server = Server::start(&binary, copy.path())?;
    server.initialize(copy.path())?;
    server.wait_indexed(&["entities.toml".to_owned()])?;
    let mut docs = Vec::new();
    for i in 0..DOCS {
        let text = sources[i % sources.len()].clone();
        let path = copy.path().join(format!("soak-{i:02}.txt"));
        std::fs::write(&path, &text).map_err(|e| e.to_string())?;
        let uri = server.open(&path, &text)?;
        docs.push((uri, text, 1i64));
    }

    let mut rng = fastrand::Rng::with_seed(16);
    let mut readings: Vec<(usize, u64, u64)> = Vec::new();
    for n in 1..=edits {
        let (uri, text, version) = &mut docs[rng.usize(0..DOCS)];
        let start = boundary(&mut rng, text);
        let limit = sources.iter().map(String::len).max().unwrap_or(0) * 3 / 2;
        let (end, insert) = if rng.bool() || text.len() > limit {
            let mut end = (start + rng.usize(1..=16)).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            (end, String::new())
        } else {
            (start, words[rng.usize(0..words.len())].clone())
        };
        let (from, to) = (position(text, start), position(text, end));
        text.replace_range(start..end, &insert);
        *version += 1;
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {
                    "start": {"line": from.0, "character": from.1},
                    "end": {"line": to.0, "character": to.1}}, "text": insert}],
            }),
        )?;
        if n % 10 == 0 {
            server.call(
                "textDocument/semanticTokens/full",
                json!({"textDocument": {"uri": uri}}),
            )?;
        }
        if n % CHECKPOINT == 0 {
            for (uri, _, _) in &docs {
                server.call(
                    "textDocument/semanticTokens/full",
                    json!({"textDocument": {"uri": uri}}),
                )?;
            }
            std::thread::sleep(SETTLE);
            let pid = server.pid();
            readings.push((
                n,
                status_field(pid, "VmRSS")?,
                status_field(pid, "Threads")?,
            ));
        }
    }
    server.shutdown()?;

    let Some(&(_, first, _)) = readings.first() else {
        return Err(format!("no reading: give at least {CHECKPOINT} edits"));
    };
    println!(
        "Server memory over {edits} edits in {DOCS} open articles of {}",
        corpus.display()
    );
    println!();
    println!("| edits | resident memory (MiB) | change from {CHECKPOINT} edits | threads |");
    println!("|---:|---:|---:|---:|");
    for (n, kib, threads) in &readings {
        let change = (*kib as f64 / first as f64 - 1.0) * 100.0;
        println!(
            "| {n} | {:.1} | {change:+.1} % | {threads} |",
            *kib as f64 / 1024.0
        );
    }
    let last = readings.last().map_or(first, |&(_, kib, _)| kib);
    let flat = (last as f64) <= first as f64 * (1.0 + TOLERANCE);
    println!();
    if flat {
        println!(
            "flat: within {:.0} % of the first reading",
            TOLERANCE * 100.0
        );
    } else {
        println!(
            "GROWING: more than {:.0} % above the first reading",
            TOLERANCE * 100.0
        );
    }
    Ok(flat)
}

/// A number field of `/proc/PID/status` (`VmRSS` in KiB, `Threads`).
fn status_field(pid: u32, field: &str) -> Res<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("reading /proc/{pid}/status: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/{pid}/status"))
}

/// The texts of the corpus's `.txt` articles, in file-name order.
fn article_texts(root: &Path) -> Res<Vec<String>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if texts.is_empty() {
        return Err(format!("no .txt article at the top of {}", root.display()));
    }
    Ok(texts)
}

/// What edits insert: the capitalised words of the articles (names among them), and the
/// spaces, punctuation and line breaks between them.
fn words(texts: &[String]) -> Vec<String> {
    let mut words: Vec<String> = [" ", ". ", ", ", "\n", "\n\n", " said ", "’s"]
        .iter()
        .map(|w| w.to_string())
        .collect();
    for text in texts {
        words.extend(
            text.split_whitespace()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .take(200)
                .map(|w| format!("{w} ")),
        );
    }
    words
}

fn boundary(rng: &mut fastrand::Rng, text: &str) -> usize {
    let mut at = rng.usize(0..=text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Line and UTF-16 character of byte `at`.
fn position(text: &str, at: usize) -> (u32, u32) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() as u32,
        before[line_start..].encode_utf16().count() as u32,
    )
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
