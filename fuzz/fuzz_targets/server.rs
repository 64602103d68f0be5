//! The language server's message handling, in process (`dossier::lsp::serve` over in-memory
//! pipes): arbitrary byte streams, and arbitrary sequences of well-formed JSON-RPC messages
//! with arbitrary params. No panic escapes (libFuzzer's panic hook aborts on any panic, even
//! one a handler's guard would catch), every request is answered, and the server ends when its
//! input does, letting go of its file watcher (no inotify instance outlives a session).
//!
//! Every URI a well-formed message names comes from a small set: files of a copy of the seed
//! corpus, files that are not there, and URIs that are not `file:`. Arbitrary strings may stand
//! anywhere else, so a fuzzer could still spell out another folder of this machine; the server
//! only reads (tagging answers with edits the client applies), so the worst it does is index it.
#![no_main]

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::Arbitrary;
use dossier_fuzz::Piece;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

/// How long the server may take to answer everything and end: beyond the 30 seconds a
/// request may wait for a first knowledge-base load (`LOAD_WAIT` in src/lsp/server.rs).
const PATIENCE: Duration = Duration::from_secs(40);

/// Methods the server handles, and a few it does not.
const METHODS: &[&str] = &[
    "initialize",
    "initialized",
    "shutdown",
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/didSave",
    "textDocument/didClose",
    "workspace/didChangeWatchedFiles",
    "workspace/didChangeConfiguration",
    "textDocument/semanticTokens/full",
    "textDocument/semanticTokens/full/delta",
    "textDocument/semanticTokens/range",
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/documentHighlight",
    "textDocument/documentSymbol",
    "workspace/symbol",
    "textDocument/completion",
    "textDocument/inlayHint",
    "textDocument/codeAction",
    "workspace/executeCommand",
    "$/cancelRequest",
    "$/setTrace",
    "textDocument/formatting",
    "dossier/unknown",
];

/// Keys of the params the server reads, for arbitrary objects to use.
const KEYS: &[&str] = &[
    "textDocument",
    "uri",
    "position",
    "line",
    "character",
    "range",
    "start",
    "end",
    "text",
    "contentChanges",
    "version",
    "languageId",
    "query",
    "context",
    "rootUri",
    "workspaceFolders",
    "capabilities",
    "initializationOptions",
    "changes",
    "type",
    "includeDeclaration",
    "command",
    "arguments",
    "previousResultId",
    "id",
    "general",
    "positionEncodings",
    "display",
    "candidateSeverity",
    "diagnostics",
    "only",
];

/// Command names of the server's code actions.
const COMMANDS: &[&str] = &[
    "dossier.tag",
    "dossier.addAlias",
    "dossier.untag",
    "dossier.assign",
];

/// The seed corpus, copied once per process into a temporary folder.
fn corpus() -> &'static PathBuf {
    static CORPUS: OnceLock<PathBuf> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dossier-fuzz-{}", std::process::id()));
        let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../seeds");
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        for entry in std::fs::read_dir(&seeds).expect("seeds/") {
            let entry = entry.expect("an entry of seeds/");
            std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("a seed copied");
        }
        dir
    })
}

/// The URIs well-formed messages name.
fn uris() -> &'static [String] {
    static URIS: OnceLock<Vec<String>> = OnceLock::new();
    URIS.get_or_init(|| {
        let root = corpus().display().to_string();
        let mut uris: Vec<String> = [
            "000_3f504db1f4b0c96a.txt",
            "001_85a5e73d3e219214.txt",
            "002_0d1f260802f0c6c7.txt",
            "entities.toml",
            "dossier.toml",
            "new.txt",
            "new.toml",
            "sub/new.md",
        ]
        .iter()
        .map(|f| format!("file://{root}/{f}"))
        .collect();
        uris.push(format!("file://{root}"));
        uris.push(format!("file://{root}/"));
        uris.push("file:///nonexistent/dossier-fuzz/a.txt".to_owned());
        uris.push("untitled:Untitled-1".to_owned());
        uris.push("http://example.com/a.txt".to_owned());
        uris.push("file://host/a.txt".to_owned());
        uris.push(format!("file://{root}/%E2%80%99%20x.txt"));
        uris
    })
}

/// The runtime every input is served on: built once, since building one per input would
/// cost more than most inputs.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime")
    })
}

/// A JSON value, with strings and keys the server cares about within easy reach.
#[derive(Arbitrary, Debug)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Small(u8),
    Float(f64),
    Str(String),
    Text(Vec<Piece>),
    Uri(u8),
    Command(u8),
    Position(u32, u32),
    Array(Vec<Json>),
    Object(Vec<(Key, Json)>),
}

/// An object key: one the server reads, or anything.
#[derive(Arbitrary, Debug)]
enum Key {
    Known(u8),
    Raw(String),
}

impl Key {
    fn name(&self) -> String {
        match self {
            Key::Known(i) => KEYS[*i as usize % KEYS.len()].to_owned(),
            Key::Raw(s) => s.clone(),
        }
    }
}

/// Joins pieces into a text.
fn text(pieces: &[Piece]) -> String {
    dossier_fuzz::text_of(
        &pieces
            .iter()
            .cloned()
            .map(dossier_fuzz::TextPiece::Piece)
            .collect::<Vec<_>>(),
        &dossier::kb::KnowledgeBase::default(),
    )
}

fn uri(i: u8) -> Value {
    let uris = uris();
    Value::String(uris[i as usize % uris.len()].clone())
}

fn position(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

impl Json {
    fn to_value(&self, depth: usize) -> Value {
        if depth > 6 {
            return Value::Null;
        }
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => json!(b),
            Json::Int(i) => json!(i),
            Json::Small(i) => json!(i),
            Json::Float(f) => json!(f),
            Json::Str(s) => json!(s),
            Json::Text(pieces) => json!(text(pieces)),
            Json::Uri(i) => uri(*i),
            Json::Command(i) => json!(COMMANDS[*i as usize % COMMANDS.len()]),
            Json::Position(line, character) => position(*line, *character),
            Json::Array(items) => Value::Array(
                items
                    .iter()
                    .take(8)
                    .map(|j| j.to_value(depth + 1))
                    .collect(),
            ),
            Json::Object(fields) => Value::Object(
                fields
                    .iter()
                    .take(8)
                    .map(|(k, v)| (k.name(), v.to_value(depth + 1)))
                    .collect(),
            ),
        }
    }
}

/// Small numbers most of the time, so that positions land inside the seed articles.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Num {
    Small(u8),
    Any(u32),
}

impl Num {
    fn get(self) -> u32 {
        match self {
            Num::Small(n) => n as u32,
            Num::Any(n) => n,
        }
    }
}

/// One `contentChanges` entry: a range (start line and character, end line and character;
/// `None` for the whole text) and the new text.
type Change = (Option<(Num, Num, Num, Num)>, Vec<Piece>);

/// Params that most methods the server handles can read: every field any of them needs, with
/// arbitrary values in them, then arbitrary changes on top.
#[derive(Arbitrary, Debug)]
struct Shaped {
    uri: u8,
    version: i32,
    line: Num,
    character: Num,
    end_line: Num,
    end_character: Num,
    text: Vec<Piece>,
    /// Incremental changes.
    changes: Vec<Change>,
    /// `workspace/didChangeWatchedFiles` events: URI and type.
    watched: Vec<(u8, u8)>,
    command: u8,
    arguments: Vec<Json>,
    /// Whether `initialize` offers UTF-8 columns.
    utf8: bool,
    display: u8,
    /// Which workspace the client opens: the corpus root, or none.
    root: bool,
    include_declaration: bool,
    /// Top-level fields replaced (`Some`) or removed (`None`).
    overrides: Vec<(Key, Option<Json>)>,
}

impl Shaped {
    fn to_value(&self) -> Value {
        let range = json!({
            "start": position(self.line.get(), self.character.get()),
            "end": position(self.end_line.get(), self.end_character.get()),
        });
        let changes: Vec<Value> = self
            .changes
            .iter()
            .take(8)
            .map(|(range, pieces)| match range {
                Some((a, b, c, d)) => json!({
                    "range": { "start": position(a.get(), b.get()), "end": position(c.get(), d.get()) },
                    "text": text(pieces),
                }),
                None => json!({ "text": text(pieces) }),
            })
            .collect();
        let watched: Vec<Value> = self
            .watched
            .iter()
            .take(8)
            .map(|(u, t)| json!({ "uri": uri(*u), "type": 1 + t % 3 }))
            .collect();
        let root = format!("file://{}", corpus().display());
        let display = ["semanticTokens", "inlayHints", "diagnostics", "other"];
        let mut params = json!({
            "textDocument": {
                "uri": uri(self.uri),
                "languageId": "plaintext",
                "version": self.version,
                "text": text(&self.text),
            },
            "position": position(self.line.get(), self.character.get()),
            "range": range,
            "contentChanges": changes,
            "context": {
                "includeDeclaration": self.include_declaration,
                "diagnostics": [],
                "triggerKind": 1,
            },
            "query": text(&self.text),
            "changes": watched,
            "command": COMMANDS[self.command as usize % COMMANDS.len()],
            "arguments": self.arguments.iter().take(4).map(|a| a.to_value(1)).collect::<Vec<_>>(),
            "processId": null,
            "rootUri": if self.root { Value::String(root.clone()) } else { Value::Null },
            "workspaceFolders": if self.root {
                json!([{ "uri": root, "name": "seeds" }])
            } else {
                Value::Null
            },
            "capabilities": {
                "general": { "positionEncodings": if self.utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) } },
                "textDocument": { "semanticTokens": { "requests": { "full": { "delta": true } } } },
                "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
                "window": { "workDoneProgress": true },
            },
            "initializationOptions": { "display": display[self.display as usize % display.len()] },
            "settings": {},
            "id": self.version,
        });
        if let Value::Object(map) = &mut params {
            for (key, value) in self.overrides.iter().take(4) {
                match value {
                    Some(value) => map.insert(key.name(), value.to_value(1)),
                    None => map.remove(&key.name()),
                };
            }
        }
        params
    }
}

/// The params of a message.
#[derive(Arbitrary, Debug)]
enum Params {
    Omitted,
    Shaped(Box<Shaped>),
    Arbitrary(Json),
}

/// A request id: a number or a string, unique in the script.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum IdKind {
    Number,
    String,
}

/// One message of a script.
#[derive(Arbitrary, Debug)]
enum Message {
    /// A request or notification of method `method` (an index into [`METHODS`]).
    Call {
        method: u8,
        id: Option<IdKind>,
        params: Params,
    },
    /// A request or notification of a method of any name.
    RawMethod {
        method: String,
        id: Option<IdKind>,
        params: Params,
    },
    /// A response to a request the server never made.
    Response { id: u32, result: Json },
    /// Raw bytes between messages (completed with a newline, and in their own frame when
    /// `framed`).
    Bytes { framed: bool, bytes: Vec<u8> },
}

/// How the client answers the server's own requests (`workspace/applyEdit`,
/// `window/workDoneProgress/create`, `client/registerCapability`).
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Answers {
    Applied,
    NotApplied,
    Error,
}

#[derive(Arbitrary, Debug)]
enum Input {
    /// Any bytes at all, then the end of input.
    Bytes(Vec<u8>),
    /// A script of messages: every request in it is answered.
    Script {
        /// Whether an `initialize` and `initialized` pair opens the script, as a client sends.
        handshake: Option<Box<Shaped>>,
        messages: Vec<Message>,
        answers: Answers,
        /// Whether the script ends with `shutdown` and `exit`, else with the end of input.
        exit: bool,
    },
}

/// A message, framed.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads the server's output: the frames it writes, whole. Returns `None` at the end.
async fn read_frame(from: &mut DuplexStream, buf: &mut Vec<u8>) -> Option<Value> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let header = std::str::from_utf8(&buf[..end]).expect("headers are ASCII");
            let length: usize = header
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .expect("every frame has a Content-Length")
                .trim()
                .parse()
                .expect("a Content-Length is a number");
            let body = end + 4;
            if buf.len() >= body + length {
                let value = serde_json::from_slice(&buf[body..body + length])
                    .expect("the server writes JSON");
                buf.drain(..body + length);
                return Some(value);
            }
        }
        let mut chunk = [0u8; 1 << 14];
        match from.read(&mut chunk).await {
            Ok(0) | Err(_) => {
                assert!(buf.is_empty(), "the server's output ends inside a frame");
                return None;
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The bytes of a script, and the ids of the requests in it.
fn script(handshake: &Option<Box<Shaped>>, messages: &[Message]) -> (Vec<Vec<u8>>, HashSet<Value>) {
    let mut out = Vec::new();
    let mut ids = HashSet::new();
    let mut next_id = 0u32;
    let mut call = |method: &str, id: Option<IdKind>, params: Option<Value>| {
        let mut message = Map::new();
        message.insert("jsonrpc".into(), json!("2.0"));
        message.insert("method".into(), json!(method));
        if let Some(kind) = id {
            next_id += 1;
            let id = match kind {
                IdKind::Number => json!(next_id),
                IdKind::String => json!(format!("r{next_id}")),
            };
            ids.insert(id.clone());
            message.insert("id".into(), id);
        }
        if let Some(params) = params {
            message.insert("params".into(), params);
        }
        frame(&serde_json::to_vec(&Value::Object(message)).expect("JSON serialises"))
    };
    // The handshake's `initialize` is request 1; the writer waits for its answer before it
    // sends the rest, as a client does.
    if let Some(shaped) = handshake {
        out.push(call(
            "initialize",
            Some(IdKind::Number),
            Some(shaped.to_value()),
        ));
        out.push(call("initialized", None, Some(json!({}))));
    }
    let params = |p: &Params| match p {
        Params::Omitted => None,
        Params::Shaped(shaped) => Some(shaped.to_value()),
        Params::Arbitrary(json) => Some(json.to_value(0)),
    };
    for m in messages.iter().take(64) {
        match m {
            Message::Call {
                method,
                id,
                params: p,
            } => {
                let method = METHODS[*method as usize % METHODS.len()];
                out.push(call(method, *id, params(p)));
            }
            Message::RawMethod {
                method,
                id,
                params: p,
            } => {
                // `exit` ends the session before the requests after it; scripts end with it.
                if method == "exit" {
                    continue;
                }
                out.push(call(method, *id, params(p)));
            }
            Message::Response { id, result } => {
                let body = json!({ "jsonrpc": "2.0", "id": 100_000 + u64::from(*id), "result": result.to_value(0) });
                out.push(frame(&serde_json::to_vec(&body).expect("JSON serialises")));
            }
            Message::Bytes { framed, bytes } => {
                let mut bytes = bytes.clone();
                bytes.truncate(256);
                // A `Content-Length` in the garbage may rightly swallow the messages after it
                // (that is `Input::Bytes`' ground); here the garbage ends with a blank line, so
                // that the next message's header starts afresh.
                if bytes
                    .to_ascii_lowercase()
                    .windows(14)
                    .any(|w| w == b"content-length")
                {
                    continue;
                }
                if *framed {
                    out.push(frame(&bytes));
                } else {
                    bytes.extend_from_slice(b"\r\n\r\n");
                    out.push(bytes);
                }
            }
        }
    }
    (out, ids)
}

/// Serves `chunks` to an in-process server; answers its requests with `answers`; checks that
/// every id of `ids` is answered, then ends the input (after `shutdown` and `exit` when
/// `exit`) and checks that the server ends.
///
/// With a `handshake`, the first chunk is its `initialize` (request 1): the rest waits for its
/// answer, and once it has succeeded no request may be answered "not initialized" (-32002).
async fn run(
    chunks: Vec<Vec<u8>>,
    ids: HashSet<Value>,
    answers: Answers,
    exit: bool,
    handshake: bool,
) {
    let (mut to_server, server_input) = tokio::io::duplex(1 << 16);
    let (server_output, mut from_server) = tokio::io::duplex(1 << 16);
    let server = tokio::spawn(dossier::lsp::serve(server_input, server_output));
    // Everything for the server's input goes through one channel to one writer, so that the
    // client's replies to the server's requests never wait behind the script.
    let (out, mut out_rx) = tokio::sync::mpsc::unbounded_channel::<Option<Vec<u8>>>();
    let replies = out.clone();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let (init_tx, init_rx) = tokio::sync::oneshot::channel::<()>();
    // Reads the server's output: answers its requests, strikes off answered ids.
    let reader = tokio::spawn(async move {
        let mut buf = Vec::new();
        let mut waiting = ids;
        let mut done = Some(done_tx);
        let mut init = handshake.then_some(init_tx);
        let mut initialized = false;
        if waiting.is_empty() {
            done.take().map(|d| d.send(()));
        }
        while let Some(message) = read_frame(&mut from_server, &mut buf).await {
            let id = message.get("id").cloned();
            match (message.get("method"), id) {
                (Some(_), Some(id)) => {
                    let reply = match answers {
                        Answers::Applied => {
                            json!({ "jsonrpc": "2.0", "id": id, "result": { "applied": true } })
                        }
                        Answers::NotApplied => {
                            json!({ "jsonrpc": "2.0", "id": id, "result": null })
                        }
                        Answers::Error => {
                            json!({ "jsonrpc": "2.0", "id": id, "error": { "code": -32601, "message": "no" } })
                        }
                    };
                    let _ = replies.send(Some(frame(
                        &serde_json::to_vec(&reply).expect("JSON serialises"),
                    )));
                }
                (None, Some(id)) => {
                    if init.is_some() && id == json!(1) {
                        initialized = message.get("result").is_some();
                        init.take().map(|i| i.send(()));
                    }
                    let code = message.pointer("/error/code").and_then(Value::as_i64);
                    assert!(
                        !(initialized && code == Some(-32002)),
                        "after a successful initialize, a request was answered not initialized: {message}"
                    );
                    waiting.remove(&id);
                    if waiting.is_empty() {
                        done.take().map(|d| d.send(()));
                    }
                }
                _ => {}
            }
        }
        waiting
    });
    let feeder = async move {
        let mut chunks = chunks.into_iter();
        if handshake {
            if let Some(initialize) = chunks.next() {
                let _ = out.send(Some(initialize));
            }
            let _ = init_rx.await;
        }
        for chunk in chunks {
            let _ = out.send(Some(chunk));
        }
        // Until every request is answered (or the server's output ends).
        let _ = done_rx.await;
        if exit {
            let shutdown = json!({ "jsonrpc": "2.0", "id": "shutdown", "method": "shutdown" });
            let exit = json!({ "jsonrpc": "2.0", "method": "exit" });
            for m in [shutdown, exit] {
                let _ = out.send(Some(frame(&serde_json::to_vec(&m).expect("JSON"))));
            }
        }
        let _ = out.send(None);
    };
    let writer = async move {
        while let Some(Some(bytes)) = out_rx.recv().await {
            // A server that stopped reading (after `exit`) drops what follows.
            let _ = to_server.write_all(&bytes).await;
        }
        drop(to_server);
        // Replies to requests the server makes from now on are dropped: the input has ended.
        while out_rx.recv().await.is_some() {}
    };
    let all = async {
        let (_, _, served, waiting) = tokio::join!(feeder, writer, server, reader);
        (served, waiting)
    };
    match tokio::time::timeout(PATIENCE, all).await {
        Ok((served, waiting)) => {
            served.expect("the server's task does not panic");
            let waiting = waiting.expect("the reader does not panic");
            assert!(waiting.is_empty(), "requests never answered: {waiting:?}");
        }
        Err(_) => panic!("the server did not answer every request and end within {PATIENCE:?}"),
    }
}

/// This process's open inotify instances (`/proc/self/fd`).
fn inotify_instances() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter_map(|entry| std::fs::read_link(entry.path()).ok())
            .filter(|target| target.to_string_lossy().contains("inotify"))
            .count()
    })
}

/// Checks that the session just served let go of its file watcher: one held past its session
/// is one inotify instance fewer for every process of the user (128 by default). The watcher
/// closes its instance from a thread of its own, so this waits for it, boundedly.
fn no_watcher_left(baseline: usize) {
    let mut now = inotify_instances();
    for _ in 0..200 {
        if now <= baseline {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
        now = inotify_instances();
    }
    panic!("a session that ended still holds a file watcher: {now} inotify instances, {baseline} before any session");
}

/// The inotify instances open before the first session.
fn baseline() -> usize {
    static BASELINE: OnceLock<usize> = OnceLock::new();
    *BASELINE.get_or_init(inotify_instances)
}

fuzz_target!(|input: Input| {
    let baseline = baseline();
    match input {
        Input::Bytes(bytes) => runtime().block_on(run(
            vec![bytes],
            HashSet::new(),
            Answers::Applied,
            false,
            false,
        )),
        Input::Script {
            handshake,
            messages,
            answers,
            exit,
        } => {
            let (chunks, ids) = script(&handshake, &messages);
            runtime().block_on(run(chunks, ids, answers, exit, handshake.is_some()));
        }
    }
    no_watcher_left(baseline);
});
