//! A small LSP client for tests: frames JSON-RPC messages, answers the server's own requests,
//! and keeps notifications for later assertions. It talks to the server in-process (over
//! `tokio::io::duplex`) or to the `dossier lsp` binary (over its stdio).

#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// How long a test waits for any one answer.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Answers a server-to-client request: `(method, params) -> result`.
pub type Handler = Box<dyn FnMut(&str, &Value) -> Value + Send>;

/// One side of a conversation with a server.
pub struct Client {
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    incoming: mpsc::UnboundedReceiver<Value>,
    next_id: i64,
    /// Notifications received so far, in order.
    pub notifications: Vec<Value>,
    /// Requests the server made, in order.
    pub server_requests: Vec<Value>,
    /// Responses to no request of ours (errors answering bad input, `id: null`), in order.
    pub stray_responses: Vec<Value>,
    /// Responses to requests sent with [`Client::send_request`], not yet taken.
    early: Vec<Value>,
    handler: Handler,
    _child: Option<tokio::process::Child>,
}

fn default_handler() -> Handler {
    Box::new(|_, _| Value::Null)
}

impl Client {
    fn over(
        reader: impl AsyncRead + Unpin + Send + 'static,
        writer: impl AsyncWrite + Unpin + Send + 'static,
    ) -> Client {
        let (tx, incoming) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(reader);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).await.is_err() {
                    return;
                }
                let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            writer: Box::new(writer),
            incoming,
            next_id: 1,
            notifications: Vec::new(),
            server_requests: Vec::new(),
            stray_responses: Vec::new(),
            early: Vec::new(),
            handler: default_handler(),
            _child: None,
        }
    }

    /// A server running in this process.
    /// One pipe each way, not the two halves of one: the server's input then ends when the
    /// client closes its side ([`Client::close_input`]), as it does over stdio.
    pub fn in_process() -> Client {
        let (client_write, server_read) = tokio::io::duplex(1 << 22);
        let (server_write, client_read) = tokio::io::duplex(1 << 22);
        tokio::spawn(dossier::lsp::serve(server_read, server_write));
        Client::over(client_read, client_write)
    }

    /// The `dossier lsp` binary, started in `dir`.
    pub fn spawn_binary(dir: &Path) -> Client {
        Client::spawn_command(env!("CARGO_BIN_EXE_dossier"), &["lsp"], dir)
    }

    /// `dossier lsp` started through `program args…` (`setpriv … dossier lsp`, to serve as
    /// another user), in `dir`.
    pub fn spawn_command(program: &str, args: &[&str], dir: &Path) -> Client {
        let mut child = tokio::process::Command::new(program)
            .args(args)
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("dossier lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut client = Client::over(stdout, stdin);
        client._child = Some(child);
        client
    }

    /// Sets how server requests (`workspace/applyEdit`...) are answered.
    pub fn on_request(&mut self, handler: Handler) {
        self.handler = handler;
    }

    async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.writer
            .write_all(framed.as_bytes())
            .await
            .expect("the server reads");
        self.writer.flush().await.expect("the server reads");
    }

    /// Writes `bytes` as they are: frames good or bad.
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer
            .write_all(bytes)
            .await
            .expect("the server reads");
        self.writer.flush().await.expect("the server reads");
    }

    /// Closes the server's input, as an editor that goes away does.
    pub fn close_input(&mut self) {
        self.writer = Box::new(tokio::io::sink());
    }

    /// Whether the spawned binary is still running.
    pub fn alive(&mut self) -> bool {
        self._child
            .as_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// Sends a notification.
    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Receives one message, answering server requests and keeping notifications.
    async fn receive(&mut self) -> Value {
        let message = tokio::time::timeout(TIMEOUT, self.incoming.recv())
            .await
            .expect("the server answers in time")
            .expect("the server is still there");
        self.keep(&message).await;
        message
    }

    /// Answers a server request, or keeps a notification.
    async fn keep(&mut self, message: &Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            let method = message["method"].as_str().unwrap_or_default().to_owned();
            let result = (self.handler)(&method, &message["params"]);
            self.server_requests.push(message.clone());
            let id = message["id"].clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}))
                .await;
        } else if message.get("method").is_some() {
            self.notifications.push(message.clone());
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.receive().await;
            if message.get("method").is_none() {
                if message["id"] == id {
                    return message;
                }
                self.stray_responses.push(message);
            }
        }
    }

    /// Sends a request without waiting for its answer, as an editor does while the user types;
    /// returns its id, for [`Client::response`].
    pub async fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        id
    }

    /// The response to the request `id` sent by [`Client::send_request`], whenever it came.
    pub async fn response(&mut self, id: i64) -> Value {
        if let Some(i) = self.early.iter().position(|m| m["id"] == id) {
            return self.early.swap_remove(i);
        }
        loop {
            let message = self.receive().await;
            if message.get("method").is_none() {
                if message["id"] == id {
                    return message;
                }
                if message["id"].is_i64() {
                    self.early.push(message);
                } else {
                    self.stray_responses.push(message);
                }
            }
        }
    }

    /// Sends a request and returns its result, failing the test on an error.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// Waits for a notification `method` whose params satisfy `matches` (looking at those
    /// already received first), and returns its params.
    pub async fn notification(&mut self, method: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(found) = self
            .notifications
            .iter()
            .find(|n| n["method"] == method && matches(&n["params"]))
        {
            return found["params"].clone();
        }
        loop {
            let message = self.receive().await;
            if message.get("id").is_none()
                && message["method"] == method
                && matches(&message["params"])
            {
                return message["params"].clone();
            }
        }
    }

    /// Every message that arrives within `window` (server requests answered as usual), for
    /// asserting what an idle server does *not* send. The window bounds the wait; it is not a
    /// speed target.
    pub async fn collect_for(&mut self, window: Duration) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + window;
        let mut seen = Vec::new();
        loop {
            let Ok(message) = tokio::time::timeout_at(deadline, self.incoming.recv()).await else {
                return seen;
            };
            let Some(message) = message else { return seen };
            self.keep(&message).await;
            seen.push(message);
        }
    }

    /// `initialize` + `initialized` with `root` as the workspace folder.
    pub async fn initialize(&mut self, root: &Path, capabilities: Value, options: Value) -> Value {
        let uri = uri(root);
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri,
                    "workspaceFolders": [{"uri": uri, "name": "corpus"}],
                    "capabilities": capabilities,
                    "initializationOptions": options,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    /// Waits until the server has indexed (it ends its progress, or publishes diagnostics for
    /// the knowledge base).
    pub async fn wait_indexed(&mut self) {
        self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("entities.toml"))
        })
        .await;
    }

    /// Opens a file of `dir` as the editor would.
    pub async fn open(&mut self, path: &Path) -> String {
        let text = std::fs::read_to_string(path).expect("the file exists");
        let uri = uri(path);
        let language = if path.extension().is_some_and(|e| e == "toml") {
            "toml"
        } else {
            "plaintext"
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        )
        .await;
        uri
    }

    /// `shutdown` then `exit`.
    pub async fn shutdown(&mut self) {
        self.request("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
    }

    /// Waits for the spawned binary to exit and returns its status code.
    pub async fn exit_code(&mut self) -> Option<i32> {
        let child = self._child.as_mut()?;
        let status = tokio::time::timeout(TIMEOUT, child.wait())
            .await
            .ok()?
            .ok()?;
        status.code()
    }
}

/// The `file:` URI of a path.
pub fn uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", path.display()).replace(' ', "%20")
}

/// Decodes semantic tokens into `(line, character, length, type index, modifiers)`.
pub fn decode_tokens(data: &Value) -> Vec<(u32, u32, u32, u32, u32)> {
    let numbers: Vec<u32> = data
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_u64().map(|n| n as u32))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    let (mut line, mut start) = (0, 0);
    for t in numbers.chunks(5) {
        if t.len() < 5 {
            break;
        }
        line += t[0];
        start = if t[0] == 0 { start + t[1] } else { t[1] };
        out.push((line, start, t[2], t[3], t[4]));
    }
    out
}

/// Applies a `workspace/applyEdit` request's `changes` to the files on disk, as an editor
/// applies them to its buffers (positions in UTF-16); returns whether it could.
pub fn apply_to_disk(params: &Value) -> bool {
    let Some(changes) = params["edit"]["changes"].as_object() else {
        return false;
    };
    for (file_uri, edits) in changes {
        let path =
            std::path::PathBuf::from(file_uri.trim_start_matches("file://").replace("%20", " "));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let offset = |position: &Value| -> usize {
            let line = position["line"].as_u64().unwrap_or(0) as usize;
            let character = position["character"].as_u64().unwrap_or(0) as usize;
            let start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
            let content = text
                .get(start..)
                .unwrap_or("")
                .split('\n')
                .next()
                .unwrap_or("");
            let mut units = 0;
            let within = content
                .char_indices()
                .find(|&(_, c)| {
                    let reached = units >= character;
                    units += c.len_utf16();
                    reached
                })
                .map_or(content.len(), |(i, _)| i);
            (start + within).min(text.len())
        };
        let mut edits: Vec<(usize, usize, String)> = edits
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            offset(&e["range"]["start"]),
                            offset(&e["range"]["end"]),
                            e["newText"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut updated = text.clone();
        for (start, end, new_text) in edits {
            updated.replace_range(start..end, &new_text);
        }
        if std::fs::write(&path, updated).is_err() {
            return false;
        }
    }
    true
}
