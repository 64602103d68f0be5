//! A synchronous LSP client over `dossier lsp`'s stdio, for the benchmarks that measure the
//! server from the client side (`lsp_latency`, `lsp_soak`): framed JSON-RPC, the server's own
//! requests answered with `null`, every message stamped with the time its last byte was read.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// What a benchmark step gives: its result or a sentence saying what went wrong.
pub type Res<T> = Result<T, String>;

/// How long to wait for any one message from the server.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// A running `dossier lsp` and the messages it sends, each stamped with the time its last byte
/// was read.
pub struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<(Instant, Value)>,
    next_id: i64,
    /// The version of each open document, for the `didChange`s that follow its `didOpen`.
    versions: std::collections::HashMap<String, i64>,
}

impl Server {
    pub fn start(binary: &Path, root: &Path) -> Res<Server> {
        let mut child = Command::new(binary)
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting {} lsp: {e}", binary.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Ok(Server {
            child,
            stdin,
            incoming,
            next_id: 1,
            versions: std::collections::HashMap::new(),
        })
    }

    /// The server's process id, for reading its memory in `/proc`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn send(&mut self, message: &Value) -> Res<()> {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("writing to the server: {e}"))
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Res<()> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// The next message, answering it first if it is a request of the server's.
    pub fn receive(&mut self) -> Res<(Instant, Value)> {
        let (at, message) = match self.incoming.recv_timeout(TIMEOUT) {
            Ok(received) => received,
            Err(RecvTimeoutError::Timeout) => {
                return Err(format!("no message from the server in {TIMEOUT:?}"))
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err("the server closed its output (did it crash?)".to_owned())
            }
        };
        if message.get("method").is_some() && message.get("id").is_some() {
            self.send(&json!({"jsonrpc": "2.0", "id": message["id"], "result": null}))?;
        }
        Ok((at, message))
    }

    /// Sends a request; returns its result and when the response arrived.
    pub fn call(&mut self, method: &str, params: Value) -> Res<(Value, Instant)> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        loop {
            let (at, message) = self.receive()?;
            if message.get("method").is_none() && message["id"] == id {
                if let Some(error) = message.get("error") {
                    return Err(format!("{method} failed: {error}"));
                }
                return Ok((message["result"].clone(), at));
            }
        }
    }

    /// Sends a request; returns its result and how long it took.
    pub fn timed_call(&mut self, method: &str, params: Value) -> Res<(Value, Duration)> {
        let start = Instant::now();
        let (result, at) = self.call(method, params)?;
        Ok((result, at - start))
    }

    /// `initialize` (as an editor supporting progress, semantic tokens and file watching) and
    /// `initialized`; returns the server's capabilities.
    pub fn initialize(&mut self, root: &Path) -> Res<Value> {
        let uri = file_uri(root);
        let (result, _) = self.call(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "corpus"}],
                "capabilities": {
                    "general": {"positionEncodings": ["utf-16"]},
                    "window": {"workDoneProgress": true},
                    "workspace": {
                        "didChangeWatchedFiles": {"dynamicRegistration": true},
                        "semanticTokens": {"refreshSupport": true}
                    },
                    "textDocument": {
                        "synchronization": {"didSave": true},
                        "semanticTokens": {
                            "requests": {"full": {"delta": true}, "range": true},
                            "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]
                        },
                        "hover": {"contentFormat": ["markdown"]}
                    }
                },
                "initializationOptions": {}
            }),
        )?;
        self.notify("initialized", json!({}))?;
        Ok(result)
    }

    /// Waits until the server publishes diagnostics for a knowledge-base file: indexing is done.
    pub fn wait_indexed(&mut self, knowledge: &[String]) -> Res<Instant> {
        loop {
            let (at, message) = self.receive()?;
            let uri = message["params"]["uri"].as_str().unwrap_or_default();
            if message["method"] == "textDocument/publishDiagnostics"
                && knowledge.iter().any(|k| uri.ends_with(k.as_str()))
            {
                return Ok(at);
            }
        }
    }

    pub fn open(&mut self, path: &Path, text: &str) -> Res<String> {
        let uri = file_uri(path);
        self.versions.insert(uri.clone(), 1);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        )?;
        Ok(uri)
    }

    /// The version the next `didChange` of the open document `uri` carries.
    pub fn next_version(&mut self, uri: &str) -> i64 {
        let version = self.versions.entry(uri.to_owned()).or_insert(1);
        *version += 1;
        *version
    }

    /// `shutdown` and `exit`; fails unless the server then exits with status 0.
    pub fn shutdown(mut self) -> Res<()> {
        self.call("shutdown", Value::Null)?;
        self.notify("exit", Value::Null)?;
        let status = wait_for_exit(&mut self.child, TIMEOUT)?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("the server exited with {status} after shutdown"))
        }
    }
}

impl Drop for Server {
    /// A server left behind by an error is stopped (a no-op once it has exited).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One framed message (`Content-Length` header, blank line, JSON body), or `None` at the end.
pub fn read_message(reader: &mut impl BufRead) -> Option<(Instant, Value)> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    let arrived = Instant::now();
    Some((arrived, serde_json::from_slice(&body).ok()?))
}

pub fn wait_for_exit(child: &mut Child, timeout: Duration) -> Res<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!(
                "the server did not exit within {timeout:?} of `exit`"
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The `file:` URI of a path, its bytes percent-encoded where URIs require it.
pub fn file_uri(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file://");
    for &byte in path.to_string_lossy().as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(byte as char);
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

/// `target/release/dossier` of this package (or of `$CARGO_TARGET_DIR`).
pub fn release_binary() -> Res<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let binary = target
        .join("release")
        .join(format!("dossier{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "{} is missing: run `cargo build --release` first (this benchmark times the release binary)",
            binary.display()
        ))
    }
}

/// A copy of the corpus folder in a temporary folder (hidden folders and `target` left out).
///
/// Only the TOML files (knowledge base, `dossier.toml`), which benchmarks edit, are copied;
/// articles, which they never write to, are hard links where the file system allows, so that
/// the page cache holds one copy of a corpus of gigabytes rather than two (with two, the
/// million-article row measured the disk).
pub fn copy_corpus(corpus: &Path) -> Res<tempfile::TempDir> {
    if !corpus.join(dossier::corpus::CONFIG_FILE).is_file() {
        return Err(format!(
            "{} is not a corpus: it has no {}",
            corpus.display(),
            dossier::corpus::CONFIG_FILE
        ));
    }
    let copy = tempfile::tempdir().map_err(|e| format!("a temporary folder: {e}"))?;
    copy_dir(corpus, copy.path()).map_err(|e| format!("copying {}: {e}", corpus.display()))?;
    Ok(copy)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let path = entry.path();
        if path.is_dir() {
            if name.to_string_lossy().starts_with('.') || name == "target" {
                continue;
            }
            std::fs::create_dir(to.join(&name))?;
            copy_dir(&path, &to.join(&name))?;
        } else if path.is_file() {
            let target = to.join(&name);
            let edited = path.extension().is_some_and(|e| e == "toml");
            if edited || std::fs::hard_link(&path, &target).is_err() {
                std::fs::copy(&path, &target)?;
            }
        }
    }
    Ok(())
}

/// The nearest-rank percentile of sorted samples, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], percent: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (percent / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}
