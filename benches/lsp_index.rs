//! Indexing in the server against the CLI, and requests right after it, from the client side.
//!
//! ```sh
//! cargo build --release
//! cargo bench --bench lsp_index -- CORPUS_DIR... [--runs N] [--window-ms MS]
//! ```
//!
//! A user who opens a corpus in the editor should not wait longer than `dossier annotate` takes
//! to print every mention of it: both read every article and recognise its mentions, and the
//! server has every core too. For each corpus this program times, in the same run and on the
//! same warm page cache (one untimed run of each first):
//!
//! 1. `dossier annotate CORPUS --format jsonl`, the whole process, its output thrown away;
//! 2. `dossier lsp` from the moment `initialized` is written until the server ends its
//!    indexing progress (`$/progress` with `kind: "end"`), which it does once every article is
//!    indexed and the corpus's diagnostics are published — as an editor that shows progress
//!    sees it;
//! 3. then, in `--window-ms` (default 3,000) windows, hover, definition and references
//!    (`includeDeclaration: false`) in turn on a mention of the corpus's first article (opened
//!    before indexing started), and a keystroke in the second article (an incremental
//!    `didChange`, then `semanticTokens/range` of its first 60 lines, timed from the change):
//!    right after indexing ends, while that other article gets a keystroke before every
//!    request too, and while the knowledge base reloads after its file
//!    changed on disk (a comment appended: the corpus is copied first, never written to);
//! 4. a restart: a second server on the corpus as the first one left it, from `initialized`
//!    to the end of its indexing, with the index cache (`.dossier/`) the first one wrote. Cold
//!    runs start with the cache removed.
//!
//! The tables give the median of N runs (default 5) of 1, 2 and 4, the ratio of 2 to 1 (the
//! issue's target is ≤ 1.3×, goal 1.0×), the largest peak memory (`VmHWM`) of the servers of
//! 2 and of 4 by the end of their indexing, and p50/p99 (nearest rank) of the requests of all
//! runs' windows.
//! This is a plain `main` (`harness = false`), not a test; it needs `target/release/dossier`.

mod lsp_client;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lsp_client::{copy_corpus, percentile_ms, release_binary, Res, Server};
use serde_json::{json, Value};

/// Runs per corpus when `--runs` is not given.
const DEFAULT_RUNS: usize = 5;

/// The request window after indexing ends when `--window-ms` is not given.
const DEFAULT_WINDOW: Duration = Duration::from_millis(3_000);

fn main() {
    if let Err(err) = run() {
        eprintln!("lsp_index: {err}");
        std::process::exit(1);
    }
}

struct Options {
    corpora: Vec<PathBuf>,
    runs: usize,
    window: Duration,
}

fn parse_args() -> Res<Options> {
    let mut options = Options {
        corpora: Vec::new(),
        runs: DEFAULT_RUNS,
        window: DEFAULT_WINDOW,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                options.runs = number(args.next(), "--runs")?.max(1);
            }
            "--window-ms" => {
                options.window = Duration::from_millis(number(args.next(), "--window-ms")? as u64);
            }
            // `cargo bench` passes `--bench` to every bench target.
            "--bench" => {}
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            corpus => options.corpora.push(PathBuf::from(corpus)),
        }
    }
    if options.corpora.is_empty() {
        return Err("give one or more corpus folders (make one with `dossier generate`)".into());
    }
    Ok(options)
}

fn number(value: Option<String>, option: &str) -> Res<usize> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{option} needs a number"))
}

fn run() -> Res<()> {
    let options = parse_args()?;
    let binary = release_binary()?;
    let mut rows = Vec::new();
    for corpus in &options.corpora {
        rows.push(measure(&binary, corpus, &options)?);
    }
    println!(
        "Server indexing against `dossier annotate --format jsonl` (median of {} runs, seconds)",
        options.runs
    );
    println!(
        "{:<24} {:>8} {:>6} {:>10} {:>10} {:>6} {:>10} {:>10} {:>9} {:>10}",
        "corpus",
        "articles",
        "MB",
        "annotate",
        "server",
        "ratio",
        "restart",
        "kb reload",
        "server MB",
        "restart MB"
    );
    for row in &rows {
        println!(
            "{:<24} {:>8} {:>6.1} {:>10.3} {:>10.3} {:>5.2}× {:>10.3} {:>10.3} {:>9.0} {:>10.0}",
            row.name,
            row.articles,
            row.bytes as f64 / 1e6,
            row.annotate.as_secs_f64(),
            row.server.as_secs_f64(),
            row.server.as_secs_f64() / row.annotate.as_secs_f64(),
            row.restart.as_secs_f64(),
            row.reload.as_secs_f64(),
            row.server_mb,
            row.restart_mb,
        );
    }
    println!();
    println!(
        "Requests while the server works (ms, p50/p99 over all runs; {} ms windows)",
        options.window.as_millis()
    );
    println!(
        "{:<24} {:<22} {:>7} {:>13} {:>13} {:>13} {:>13}",
        "corpus", "while", "asked", "hover", "definition", "references", "keystroke"
    );
    for row in &rows {
        for (phase, timed) in PHASES.iter().zip(&row.phases) {
            println!(
                "{:<24} {:<22} {:>7} {:>13} {:>13} {:>13} {:>13}",
                row.name,
                phase,
                timed.iter().map(Vec::len).sum::<usize>(),
                percentiles(&timed[0]),
                percentiles(&timed[1]),
                percentiles(&timed[2]),
                percentiles(&timed[3]),
            );
        }
    }
    Ok(())
}

/// What the server is doing while the requests of each window are asked.
const PHASES: [&str; 3] = [
    "indexing just ended",
    "another article edited",
    "knowledge base reload",
];

/// Hover, definition, references and keystroke latencies, in that order.
type Timed = [Vec<Duration>; ASKS];

/// What each window asks in turn: hover, definition, references, and a keystroke.
const ASKS: usize = 4;

/// One of the requests a window asks.
struct Ask {
    method: &'static str,
    params: Value,
    /// For a keystroke: the open document an `x` is typed into (an incremental `didChange`)
    /// just before the request, which is timed from that `didChange`.
    typed_into: Option<String>,
}

impl Ask {
    fn request(method: &'static str, params: Value) -> Ask {
        Ask {
            method,
            params,
            typed_into: None,
        }
    }
}

/// Lines of the screen whose semantic tokens a keystroke asks for (`semanticTokens/range`),
/// as an editor does after each change.
const SCREEN_LINES: u64 = 60;

/// One corpus's lines of the tables.
struct Row {
    name: String,
    articles: usize,
    bytes: u64,
    annotate: Duration,
    server: Duration,
    /// The same, for a server started again on the corpus with the index cache the first one
    /// left.
    restart: Duration,
    /// The largest peak memory of a cold server and of a restarted one, by the end of their
    /// indexing, in MB.
    server_mb: f64,
    restart_mb: f64,
    /// From the knowledge-base file's change notice to the end of the reload's progress.
    reload: Duration,
    phases: [Timed; 3],
}

/// One fresh server's figures.
struct ServerRun {
    indexed: Indexed,
    reload: Duration,
    phases: [Timed; 3],
}

fn measure(binary: &Path, corpus: &Path, options: &Options) -> Res<Row> {
    let given = corpus
        .canonicalize()
        .map_err(|e| format!("{}: {e}", corpus.display()))?;
    // The reload phase writes to the knowledge base: a copy takes it, never the corpus given
    // (hidden folders, an index cache among them, left out).
    let copy = copy_corpus(&given)?;
    let mut row = measure_copy(binary, copy.path(), options)?;
    row.name = given
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(row)
}

fn measure_copy(binary: &Path, corpus: &Path, options: &Options) -> Res<Row> {
    let articles = article_files(corpus)?;
    let bytes = articles
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let (Some(hovered), Some(edited)) = (articles.first(), articles.get(1)) else {
        return Err(format!("{}: fewer than two articles", corpus.display()));
    };

    annotate(binary, corpus)?; // warms the page cache
    let mut cli = Vec::new();
    for _ in 0..options.runs {
        cli.push(annotate(binary, corpus)?);
    }
    let mut server = Vec::new();
    let mut reload = Vec::new();
    let mut phases: [Timed; 3] = Default::default();
    let mut restarts = Vec::new();
    let (mut server_mb, mut restart_mb) = (0f64, 0f64);
    let cache = corpus.join(".dossier");
    for run in 0..=options.runs {
        // Cold: no index cache from an earlier run.
        if cache.exists() {
            std::fs::remove_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
        }
        let measured = in_server(binary, corpus, hovered, edited, options.window)?;
        let restarted = restart(binary, corpus, hovered)?;
        if run == 0 {
            continue; // warm-up
        }
        server.push(measured.indexed.time);
        server_mb = server_mb.max(measured.indexed.peak_mb);
        restarts.push(restarted.time);
        restart_mb = restart_mb.max(restarted.peak_mb);
        reload.push(measured.reload);
        for (all, these) in phases.iter_mut().zip(measured.phases) {
            for (all, these) in all.iter_mut().zip(these) {
                all.extend(these);
            }
        }
    }
    Ok(Row {
        name: String::new(),
        articles: articles.len(),
        bytes,
        annotate: median(&mut cli),
        server: median(&mut server),
        restart: median(&mut restarts),
        server_mb,
        restart_mb,
        reload: median(&mut reload),
        phases,
    })
}
fn article_files(corpus: &Path) -> Res<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "txt") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(corpus, &mut out).map_err(|e| format!("{}: {e}", corpus.display()))?;
    out.sort();
    Ok(out)
}

/// The wall time of one `dossier annotate CORPUS --format jsonl`.
fn annotate(binary: &Path, corpus: &Path) -> Res<Duration> {
    let start = Instant::now();
    let status = Command::new(binary)
        .args(["annotate", "."])
        .args(["--format", "jsonl"])
        .current_dir(corpus)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("running annotate: {e}"))?;
    let took = start.elapsed();
    if status.success() {
        Ok(took)
    } else {
        Err(format!(
            "annotate of {} exited with {status}",
            corpus.display()
        ))
    }
}

/// A fresh server on `corpus`: the time from `initialized` to the end of its indexing
/// progress, then requests on `hovered` in three windows — right after indexing, while
/// `edited` is being typed in, and during a reload of the knowledge base.
fn in_server(
    binary: &Path,
    corpus: &Path,
    hovered: &Path,
    edited: &Path,
    window: Duration,
) -> Res<ServerRun> {
    let (mut client, indexed, uri, (line, character)) = start_and_index(binary, corpus, hovered)?;
    let ended = client.ends[0];

    let position =
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let mut references = position.clone();
    references["context"] = json!({"includeDeclaration": false});
    let edited_uri = client.server.open(edited, &read(edited)?)?;
    let screen = json!({"textDocument": {"uri": edited_uri}, "range": {
        "start": {"line": 0, "character": 0}, "end": {"line": SCREEN_LINES, "character": 0}}});
    let asks = [
        Ask::request("textDocument/hover", position.clone()),
        Ask::request("textDocument/definition", position),
        Ask::request("textDocument/references", references),
        Ask {
            typed_into: Some(edited_uri.clone()),
            ..Ask::request("textDocument/semanticTokens/range", screen)
        },
    ];
    let just_indexed = client.ask_until(&asks, ended + window, |_| Ok(()))?;

    // Typing in another article: a keystroke before every request as well.
    let typing = client.ask_until(&asks, Instant::now() + window, |client| {
        client.type_x(&edited_uri)
    })?;

    // A knowledge-base file changed on disk (a comment added), as a `git pull` would: the
    // server reloads it and re-annotates the corpus, the last good state serving meanwhile.
    let knowledge = corpus.join("entities.toml");
    let mut toml = read(&knowledge)?;
    toml.push_str("\n# touched by lsp_index\n");
    std::fs::write(&knowledge, toml).map_err(|e| format!("{}: {e}", knowledge.display()))?;
    let changed = Instant::now();
    client.server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": lsp_client::file_uri(&knowledge), "type": 2}]}),
    )?;
    let ends_before = client.ends.len();
    let reloading = client.ask_until(&asks, changed + window, |_| Ok(()))?;
    // The window is asked in full; the reload may take longer than it, and is waited for.
    let mut reload = client.wait_ends(ends_before + 1)? - changed;
    if client.ends.len() > ends_before + 1 {
        reload = client.ends[ends_before] - changed;
    }
    // Only the requests asked while the reload ran count as asked during it.
    let reload_end = changed + reload;
    let reloading = reloading.map(|(timed, asked)| {
        timed
            .into_iter()
            .zip(asked)
            .filter(|(_, at)| *at < reload_end)
            .map(|(took, _)| took)
            .collect()
    });
    client.server.shutdown()?;
    Ok(ServerRun {
        indexed,
        reload,
        phases: [
            just_indexed.map(|(timed, _)| timed),
            typing.map(|(timed, _)| timed),
            reloading,
        ],
    })
}

/// A fresh server on `corpus` with `hovered` open, indexed: the client, the time from
/// `initialized` to the end of the indexing progress, the article's URI and the position of
/// its first mention (from its semantic tokens, which wait for the knowledge base only).
fn start_and_index(
    binary: &Path,
    corpus: &Path,
    hovered: &Path,
) -> Res<(Watch, Indexed, String, (u64, u64))> {
    let mut server = Server::start(binary, corpus)?;
    server.initialize(corpus)?;
    let start = Instant::now();
    let uri = server.open(hovered, &read(hovered)?)?;
    let mut client = Watch {
        server,
        next_id: 1_000_000,
        ends: Vec::new(),
    };
    let (tokens, _) = client.call(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    )?;
    let data = tokens["data"].as_array().cloned().unwrap_or_default();
    let position = match (data.first(), data.get(1)) {
        (Some(line), Some(start)) => (line.as_u64().unwrap_or(0), start.as_u64().unwrap_or(0) + 1),
        _ => return Err(format!("{}: no mentions to hover", hovered.display())),
    };
    let time = client.wait_ends(1)? - start;
    let peak_mb = peak_rss_mb(client.server.pid())?;
    Ok((client, Indexed { time, peak_mb }, uri, position))
}

/// How long a server took to index, and its peak memory by then.
#[derive(Debug, Clone, Copy)]
struct Indexed {
    time: Duration,
    /// Peak resident set size (`VmHWM`), in MB.
    peak_mb: f64,
}

/// The peak resident set size of process `pid` so far, in MB (Linux's `/proc`).
fn peak_rss_mb(pid: u32) -> Res<f64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb * 1024.0 / 1e6)
        .ok_or_else(|| format!("{path}: no VmHWM"))
}

/// A server started on `corpus` as it was left by the last one, its index cache in place.
fn restart(binary: &Path, corpus: &Path, hovered: &Path) -> Res<Indexed> {
    let (client, indexed, _, _) = start_and_index(binary, corpus, hovered)?;
    client.server.shutdown()?;
    Ok(indexed)
}

fn read(path: &Path) -> Res<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

struct Watch {
    server: Server,
    next_id: i64,
    /// When each indexing progress ended: the first indexing, then each reload.
    ends: Vec<Instant>,
}

impl Watch {
    /// Notes when an indexing progress ends; every other message is only read.
    fn see(&mut self, at: Instant, message: &Value) {
        if message["method"] == "$/progress"
            && message["params"]["value"]["kind"] == "end"
            && message["params"]["token"]
                .as_str()
                .is_some_and(|t| t.starts_with("dossier-index"))
        {
            self.ends.push(at);
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Res<(Value, Instant)> {
        let id = self.next_id;
        self.next_id += 1;
        self.server
            .send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        loop {
            let (at, message) = self.server.receive()?;
            if message.get("method").is_none() && message["id"] == id {
                if let Some(error) = message.get("error") {
                    return Err(format!("{method} failed: {error}"));
                }
                return Ok((message["result"].clone(), at));
            }
            self.see(at, &message);
        }
    }

    /// Types an `x` at the start of the open document `uri` (an incremental `didChange`).
    fn type_x(&mut self, uri: &str) -> Res<()> {
        let version = self.server.next_version(uri);
        self.server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                    "text": "x"
                }]
            }),
        )
    }

    /// Asks `asks` in turn until `until`, calling `before` ahead of each; returns each one's
    /// latencies and when each was asked.
    fn ask_until(
        &mut self,
        asks: &[Ask; ASKS],
        until: Instant,
        mut before: impl FnMut(&mut Watch) -> Res<()>,
    ) -> Res<[(Vec<Duration>, Vec<Instant>); ASKS]> {
        let mut timed: [(Vec<Duration>, Vec<Instant>); ASKS] = Default::default();
        'window: loop {
            for (i, ask) in asks.iter().enumerate() {
                if Instant::now() >= until {
                    break 'window;
                }
                before(self)?;
                let asked = Instant::now();
                if let Some(uri) = &ask.typed_into {
                    self.type_x(uri)?;
                }
                let method = ask.method;
                let (result, answered) = self.call(method, ask.params.clone())?;
                if result.is_null() {
                    return Err(format!("{method} answered null"));
                }
                timed[i].0.push(answered - asked);
                timed[i].1.push(asked);
            }
        }
        Ok(timed)
    }

    /// Waits until `n` indexing progresses have ended; returns when the last of them did.
    fn wait_ends(&mut self, n: usize) -> Res<Instant> {
        while self.ends.len() < n {
            let (at, message) = self.server.receive()?;
            self.see(at, &message);
        }
        self.ends
            .get(n - 1)
            .copied()
            .ok_or_else(|| "no end of indexing".to_owned())
    }
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// `p50/p99` in milliseconds, nearest rank.
fn percentiles(samples: &[Duration]) -> String {
    if samples.is_empty() {
        return "-".to_owned();
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    format!(
        "{:.2}/{:.2}",
        percentile_ms(&sorted, 50.0),
        percentile_ms(&sorted, 99.0)
    )
}
