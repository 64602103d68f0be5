//! LSP latency: how long an editor waits for `dossier lsp` (the release binary) on a corpus.
//!
//! ```sh
//! cargo build --release
//! cargo bench --bench lsp_latency -- [CORPUS_DIR] [--iterations N] [--json PATH]
//! ```
//!
//! The numbers that decide whether the server feels instant are the ones a person waits for:
//! opening a corpus, hovering a name, jumping to its table, finding its mentions, and
//! re-highlighting after a keystroke in a long article. This program talks to the server over
//! stdio as an editor does (framed JSON-RPC, UTF-16 positions, answering the server's own
//! requests with `null`) and times each of those with `std::time::Instant`, from the moment the
//! client starts writing its message until the last byte of the answer has been read (the
//! answer is parsed afterwards, off the clock). Each operation runs N times (default 200) after
//! a few untimed warm-up runs; the table gives the 50th and 99th percentiles (nearest rank, on
//! the sorted samples) in milliseconds:
//!
//! 1. cold start: `initialize` until the server publishes diagnostics for the knowledge-base
//!    file, which it does once the corpus is indexed; a fresh server every time, on a copy of
//!    the corpus as given (without the 1 MB article below);
//! 2. hover, 3. definition and 4. references (`includeDeclaration: false`) on the first
//!    unambiguous mention of the first article, found by decoding its semantic tokens once;
//! 5. semantic tokens (full) of that article;
//! 6. semantic tokens (full) of a ~1 MB article made by concatenating the corpus's paragraphs;
//! 7. a keystroke in that article: an incremental `didChange` inserting (then deleting) an `x`
//!    inside a word near its middle, followed at once by semantic tokens (full), timed from
//!    the `didChange` until the tokens arrive;
//! 8. keystrokes as an editor sends them while someone types: the same `didChange`, followed
//!    by semantic tokens of the screen around it (`semanticTokens/range`, 60 lines), in the
//!    typical article and in the 1 MB one;
//! 9. the re-annotation alone of that keystroke, in this process rather than over stdio: the
//!    server's own `OpenDoc::edit` on the same 1 MB article with the corpus's knowledge base
//!    (the rope edit, the rescan of the region around it, re-resolving the whole article) —
//!    what the keystroke costs before any protocol work, which the row above adds.
//!
//! The corpus is never written to: it is copied to a temporary folder, and the 1 MB article
//! (`zz_bench_1mb.txt`) is added to that copy before the measuring server starts, so it is a
//! corpus article like any other (its mentions count in references, too). Keystrokes follow
//! each other without pause, so the server's debounced work (diagnostics, index update) waits
//! until the end of the run, as it does while someone types.
//!
//! This is a plain `main` (`harness = false`), not a test; it needs `target/release/dossier`.

mod lsp_client;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::corpus::Corpus;
use dossier::lsp::completion::FormIndex;
use dossier::lsp::document::OpenDoc;
use dossier::lsp::state::Knowledge;
use dossier::recognize::Recognizer;
use lsp_client::{copy_corpus, percentile_ms, release_binary, Res, Server};
use serde_json::{json, Value};

/// The allocator the `dossier` binary uses, so the in-process re-annotation is timed as the
/// server runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Iterations when `--iterations` is not given.
const DEFAULT_ITERATIONS: usize = 200;
/// Untimed runs of each operation before its timed ones (not for cold start).
const WARM_UP: usize = 3;
/// Cold starts are whole server lifetimes (seconds on a large corpus): a few are enough.
const COLD_STARTS: usize = 10;
/// Size the big article grows to without exceeding.
const BIG_ARTICLE_BYTES: usize = 1_000_000;
/// The big article's file name in the corpus copy.
const BIG_ARTICLE_NAME: &str = "zz_bench_1mb.txt";

fn main() {
    if let Err(message) = run() {
        eprintln!("lsp_latency: {message}");
        std::process::exit(1);
    }
}

fn run() -> Res<()> {
    let args = Args::parse(std::env::args().skip(1))?;
    let binary = release_binary()?;
    let copy = copy_corpus(&args.corpus)?;
    let root = copy.path().canonicalize().map_err(|e| e.to_string())?;
    let corpus = Corpus::open(&root).map_err(|e| format!("{}: {e}", args.corpus.display()))?;
    let articles = corpus.article_paths().map_err(|e| e.to_string())?;
    if articles.is_empty() {
        return Err(format!("{} has no articles", args.corpus.display()));
    }
    let knowledge = knowledge_suffixes(&corpus);

    let mut rows = vec![Row::new(
        "cold start (index)",
        cold_starts(&binary, &root, &knowledge, args.iterations.min(COLD_STARTS))?,
    )];

    let big_text = big_article(&articles)?;
    let big_path = root.join(BIG_ARTICLE_NAME);
    std::fs::write(&big_path, &big_text).map_err(|e| format!("{}: {e}", big_path.display()))?;

    let mut server = Server::start(&binary, &root)?;
    let init = server.initialize(&root)?;
    server.wait_indexed(&knowledge)?;
    let ambiguous = modifier_bit(&init, "ambiguous");
    let (article_uri, article_text, at) = first_mention(&mut server, &articles, ambiguous)?;
    rows.extend(typical_article_rows(
        &mut server,
        &article_uri,
        at,
        args.iterations,
    )?);
    rows.push(Row::new(
        "keystroke + tokens/range (article)",
        keystrokes(
            &mut server,
            &article_uri,
            &article_text,
            Screen,
            args.iterations,
        )?,
    ));
    rows.extend(big_article_rows(
        &mut server,
        &big_path,
        &big_text,
        args.iterations,
    )?);
    server.shutdown()?;
    rows.push(Row::new(
        "keystroke re-annotation (1 MB, in process)",
        re_annotation(&corpus, &big_text, args.iterations)?,
    ));

    let report = Report {
        corpus: args.corpus.display().to_string(),
        articles: articles.len(),
        big_article_bytes: big_text.len(),
        iterations: args.iterations,
        rows,
    };
    print!("{}", report.table());
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report.json()).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Arguments, the binary, the corpus copy

struct Args {
    corpus: PathBuf,
    iterations: usize,
    json: Option<PathBuf>,
}

impl Args {
    fn parse(mut args: impl Iterator<Item = String>) -> Res<Args> {
        let mut parsed = Args {
            corpus: PathBuf::from("seeds"),
            iterations: DEFAULT_ITERATIONS,
            json: None,
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--bench" => {} // what `cargo bench` adds to every bench's arguments
                "--iterations" => {
                    let n = args.next().ok_or("--iterations needs a number")?;
                    parsed.iterations = n
                        .parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or(format!("--iterations: `{n}` is not a positive number"))?;
                }
                "--json" => parsed.json = Some(args.next().ok_or("--json needs a path")?.into()),
                flag if flag.starts_with("--") => {
                    return Err(format!(
                        "unknown option {flag}; usage: lsp_latency [CORPUS_DIR] [--iterations N] [--json PATH]"
                    ))
                }
                corpus => parsed.corpus = PathBuf::from(corpus),
            }
        }
        Ok(parsed)
    }
}

/// How the URIs of the knowledge-base files end (`/entities.toml`).
fn knowledge_suffixes(corpus: &Corpus) -> Vec<String> {
    corpus
        .knowledge_paths()
        .iter()
        .filter_map(|p| p.strip_prefix(corpus.root()).ok())
        .map(|relative| format!("/{}", relative.to_string_lossy().replace('\\', "/")))
        .collect()
}

/// The corpus's paragraphs, one after another (again from the first when they run out),
/// separated by blank lines, as long as the text stays within [`BIG_ARTICLE_BYTES`].
fn big_article(articles: &[PathBuf]) -> Res<String> {
    let mut paragraphs = Vec::new();
    for path in articles {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        paragraphs.extend(paragraphs_of(&text));
    }
    if paragraphs.is_empty() {
        return Err("the corpus's articles are empty".to_owned());
    }
    let mut out = String::with_capacity(BIG_ARTICLE_BYTES);
    for paragraph in paragraphs.iter().cycle() {
        if out.len() + paragraph.len() + 3 > BIG_ARTICLE_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(paragraph);
    }
    out.push('\n');
    Ok(out)
}

/// The paragraphs of a text: runs of non-blank lines, joined by `\n`.
fn paragraphs_of(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().chain([""]) {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim_end());
        }
    }
    paragraphs
}

// ---------------------------------------------------------------------------------------------
// The operations

/// A position in a document, in lines and UTF-16 units.
#[derive(Clone, Copy)]
struct At {
    line: u32,
    character: u32,
}

impl At {
    fn json(self) -> Value {
        json!({"line": self.line, "character": self.character})
    }

    /// Where byte `offset` of `text` is.
    fn of_offset(text: &str, offset: usize) -> At {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        At {
            line: before.matches('\n').count() as u32,
            character: before[line_start..].encode_utf16().count() as u32,
        }
    }
}

/// A fresh server started `iterations` times: the time from `initialize` until indexed.
fn cold_starts(
    binary: &Path,
    root: &Path,
    knowledge: &[String],
    iterations: usize,
) -> Res<Vec<Duration>> {
    (0..iterations)
        .map(|_| {
            let mut server = Server::start(binary, root)?;
            let start = Instant::now();
            server.initialize(root)?;
            let indexed = server.wait_indexed(knowledge)?;
            server.shutdown()?;
            Ok(indexed - start)
        })
        .collect()
}

/// The bit of a semantic-token modifier in the server's legend.
fn modifier_bit(init: &Value, name: &str) -> u32 {
    init["capabilities"]["semanticTokensProvider"]["legend"]["tokenModifiers"]
        .as_array()
        .and_then(|m| m.iter().position(|v| v == name))
        .map_or(0, |i| 1 << i)
}

/// Opens the articles in order until one has a mention that is not ambiguous (normally the
/// first); returns its URI, its text and the middle of that mention.
fn first_mention(
    server: &mut Server,
    articles: &[PathBuf],
    ambiguous: u32,
) -> Res<(String, String, At)> {
    for path in articles {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let uri = server.open(path, &text)?;
        let (tokens, _) = server.call(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )?;
        let data: Vec<u32> = tokens["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_u64())
                    .map(|n| n as u32)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(at) = first_unambiguous_token(&data, ambiguous) {
            return Ok((uri, text, at));
        }
    }
    Err("no article of the corpus has an unambiguous mention".to_owned())
}

/// Decodes relative semantic tokens up to the first without the `ambiguous` modifier; returns
/// the middle of it.
fn first_unambiguous_token(data: &[u32], ambiguous: u32) -> Option<At> {
    let (mut line, mut start) = (0, 0);
    for token in data.chunks_exact(5) {
        line += token[0];
        start = if token[0] == 0 {
            start + token[1]
        } else {
            token[1]
        };
        if token[4] & ambiguous == 0 {
            return Some(At {
                line,
                character: start + token[2] / 2,
            });
        }
    }
    None
}

/// Hover, definition, references and semantic tokens on the typical article.
fn typical_article_rows(
    server: &mut Server,
    uri: &str,
    at: At,
    iterations: usize,
) -> Res<Vec<Row>> {
    let position = json!({"textDocument": {"uri": uri}, "position": at.json()});
    let mut rows = Vec::new();
    for (label, method) in [
        ("hover", "textDocument/hover"),
        ("definition", "textDocument/definition"),
    ] {
        let samples = measure(iterations, || {
            let (result, took) = server.timed_call(method, position.clone())?;
            expect(!result.is_null(), || format!("{method} found nothing"))?;
            Ok(took)
        })?;
        rows.push(Row::new(label, samples));
    }

    let mut params = position.clone();
    params["context"] = json!({"includeDeclaration": false});
    let mut locations = Vec::new();
    let samples = measure(iterations, || {
        let (result, took) = server.timed_call("textDocument/references", params.clone())?;
        locations = result.as_array().cloned().unwrap_or_default();
        expect(!locations.is_empty(), || {
            "references found nothing".to_owned()
        })?;
        Ok(took)
    })?;
    let in_big = locations
        .iter()
        .filter(|l| {
            l["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with(BIG_ARTICLE_NAME))
        })
        .count();
    let mut row = Row::new("references", samples);
    row.locations = Some((locations.len(), in_big));
    rows.push(row);

    let tokens = json!({"textDocument": {"uri": uri}});
    rows.push(Row::new(
        "semantic tokens (article)",
        measure(iterations, || tokens_call(server, &tokens))?,
    ));
    Ok(rows)
}

/// Semantic tokens of the 1 MB article, then keystrokes in it.
fn big_article_rows(
    server: &mut Server,
    path: &Path,
    text: &str,
    iterations: usize,
) -> Res<Vec<Row>> {
    let uri = server.open(path, text)?;
    let tokens = json!({"textDocument": {"uri": uri}});
    let full = measure(iterations, || tokens_call(server, &tokens))?;

    let typed = keystrokes(server, &uri, text, Whole, iterations)?;
    let screen = keystrokes(server, &uri, text, Screen, iterations)?;
    Ok(vec![
        Row::new("semantic tokens (1 MB)", full),
        Row::new("keystroke + tokens (1 MB)", typed),
        Row::new("keystroke + tokens/range (1 MB)", screen),
    ])
}

/// Which semantic tokens a keystroke is followed by.
#[derive(Clone, Copy)]
enum Highlight {
    /// `semanticTokens/full`: the whole document (what Neovim asks after each change).
    Whole,
    /// `semanticTokens/range` over the 60 lines around the keystroke: the screen (what VS
    /// Code asks first).
    Screen,
}
use Highlight::{Screen, Whole};

/// Lines of the screen [`Highlight::Screen`] asks tokens for.
const SCREEN_LINES: u32 = 60;

/// Keystrokes into a word near the middle of the open document `uri` (whose text is `text`):
/// each an incremental `didChange` inserting, then deleting, an `x`, followed at once by
/// semantic tokens; timed from the `didChange` until the tokens arrive. Leaves the text as it
/// was (an even number of keystrokes, warm-ups included).
fn keystrokes(
    server: &mut Server,
    uri: &str,
    text: &str,
    highlight: Highlight,
    iterations: usize,
) -> Res<Vec<Duration>> {
    let at = At::of_offset(text, inside_a_word(text, text.len() / 2)?);
    let (method, params) = match highlight {
        Whole => (
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        ),
        Screen => {
            let first = at.line.saturating_sub(SCREEN_LINES / 2);
            (
                "textDocument/semanticTokens/range",
                json!({"textDocument": {"uri": uri}, "range": {
                    "start": {"line": first, "character": 0},
                    "end": {"line": first + SCREEN_LINES, "character": 0}}}),
            )
        }
    };
    let mut typed = false;
    let samples = measure(iterations + (WARM_UP + iterations) % 2, || {
        let version = server.next_version(uri);
        // Every other keystroke inserts the `x`, the others delete it again.
        let (end, inserted) = if typed {
            (
                At {
                    character: at.character + 1,
                    ..at
                },
                "",
            )
        } else {
            (at, "x")
        };
        typed = !typed;
        let start = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": at.json(), "end": end.json()}, "text": inserted}]
            }),
        )?;
        let (result, arrived) = server.call(method, params.clone())?;
        expect(result["data"].is_array(), || "no tokens".to_owned())?;
        Ok(arrived - start)
    })?;
    Ok(samples)
}

/// Times [`OpenDoc::edit`] for the same keystrokes as [`big_article_rows`], in this process.
fn re_annotation(corpus: &Corpus, text: &str, iterations: usize) -> Res<Vec<Duration>> {
    let (kb, _) = corpus.load_knowledge();
    let knowledge = Knowledge {
        recognizer: Recognizer::new(&kb),
        forms: FormIndex::new(&kb),
        kb,
        problems: Vec::new(),
        generation: 1,
    };
    let mut doc = OpenDoc::new(None, Some(BIG_ARTICLE_NAME.to_owned()), 1, text, &knowledge);
    let at = inside_a_word(text, text.len() / 2)?;
    let mentions = doc.mentions().len();
    let mut typed = false;
    let samples = measure(iterations, || {
        let start = Instant::now();
        if typed {
            doc.edit(at..at + 1, "", &knowledge);
        } else {
            doc.edit(at..at, "x", &knowledge);
        }
        let took = start.elapsed();
        typed = !typed;
        Ok(took)
    })?;
    expect(doc.mentions().len().abs_diff(mentions) <= 1, || {
        "the keystrokes changed the mentions of the 1 MB article".to_owned()
    })?;
    Ok(samples)
}

fn tokens_call(server: &mut Server, params: &Value) -> Res<Duration> {
    let (result, took) = server.timed_call("textDocument/semanticTokens/full", params.clone())?;
    expect(result["data"].is_array(), || "no tokens".to_owned())?;
    Ok(took)
}

/// A byte offset between the second and third letters of the first word of at least four ASCII
/// letters starting at or after `from`.
fn inside_a_word(text: &str, from: usize) -> Res<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let starts_word =
            bytes[i].is_ascii_alphabetic() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        let letters = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        if starts_word && letters >= 4 {
            return Ok(i + 2);
        }
        i += letters.max(1);
    }
    Err("no word to type into in the second half of the 1 MB article".to_owned())
}

fn expect(ok: bool, message: impl FnOnce() -> String) -> Res<()> {
    if ok {
        Ok(())
    } else {
        Err(message())
    }
}

/// Runs `op` [`WARM_UP`] times untimed, then `iterations` times; returns the timed samples.
fn measure(iterations: usize, mut op: impl FnMut() -> Res<Duration>) -> Res<Vec<Duration>> {
    for _ in 0..WARM_UP {
        op()?;
    }
    (0..iterations).map(|_| op()).collect()
}

// ---------------------------------------------------------------------------------------------
// The report

struct Row {
    operation: &'static str,
    p50: f64,
    p99: f64,
    /// For references: locations returned, and how many of them are in the 1 MB article.
    locations: Option<(usize, usize)>,
}

impl Row {
    fn new(operation: &'static str, mut samples: Vec<Duration>) -> Row {
        samples.sort();
        Row {
            operation,
            p50: percentile_ms(&samples, 50.0),
            p99: percentile_ms(&samples, 99.0),
            locations: None,
        }
    }

    fn label(&self) -> String {
        match self.locations {
            Some((all, _)) => format!("{} ({all} locations)", self.operation),
            None => self.operation.to_owned(),
        }
    }
}

/// Milliseconds rounded to the microsecond, for the JSON.
fn to_microseconds(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

struct Report {
    corpus: String,
    articles: usize,
    big_article_bytes: usize,
    iterations: usize,
    rows: Vec<Row>,
}

impl Report {
    fn table(&self) -> String {
        let mut out = format!(
            "LSP latency (corpus: {}, {} articles, 1 MB article: {} bytes, iterations: {})\n",
            self.corpus, self.articles, self.big_article_bytes, self.iterations
        );
        let _ = writeln!(out, "{:<44}{:>8}{:>10}", "operation", "p50 ms", "p99 ms");
        for row in &self.rows {
            let _ = writeln!(out, "{:<44}{:>8.3}{:>10.3}", row.label(), row.p50, row.p99);
        }
        for row in &self.rows {
            if let Some((all, in_big)) = row.locations {
                let _ = writeln!(
                    out,
                    "{}: {all} locations, {in_big} of them in {BIG_ARTICLE_NAME}",
                    row.operation
                );
            }
        }
        out
    }

    fn json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let mut value = json!({
                    "operation": row.operation,
                    "p50_ms": to_microseconds(row.p50),
                    "p99_ms": to_microseconds(row.p99),
                });
                if let Some((all, in_big)) = row.locations {
                    value["locations"] = json!(all);
                    value["locations_in_1mb_article"] = json!(in_big);
                }
                value
            })
            .collect();
        json!({
            "corpus": self.corpus,
            "articles": self.articles,
            "big_article_bytes": self.big_article_bytes,
            "iterations": self.iterations,
            "rows": rows,
        })
    }
}
