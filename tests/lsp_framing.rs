//! No bytes a client sends end `dossier lsp`: after each kind of bad frame the binary answers
//! a JSON-RPC error where it can and then the next well-formed request (issue 10, item 1).
//! It still ends on `exit` and when its input closes.

mod common;

use serde_json::{json, Value};

use common::lsp::Client;

/// Frames `body` correctly.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// Starts the binary in an empty folder.
fn start() -> (tempfile::TempDir, Client) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let client = Client::spawn_binary(dir.path());
    (dir, client)
}

/// Sends `bad`, then asserts that `initialize` and `shutdown` are answered and the process
/// is alive; returns the error responses the bad bytes got.
async fn survives(bad: &[u8]) -> Vec<Value> {
    let (dir, mut client) = start();
    client.send_raw(bad).await;
    let root = common::lsp::uri(dir.path());
    let init = client
        .request_raw(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}}),
        )
        .await;
    assert!(
        init["result"]["capabilities"].is_object(),
        "initialize after {:?}: {init}",
        String::from_utf8_lossy(&bad[..bad.len().min(200)])
    );
    client.notify("initialized", json!({})).await;
    let shutdown = client.request_raw("shutdown", Value::Null).await;
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    assert!(client.alive(), "the server is still running");
    client.stray_responses.clone()
}

/// The codes of the errors among `responses`, with their ids.
fn errors(responses: &[Value]) -> Vec<(Value, i64)> {
    responses
        .iter()
        .map(|r| (r["id"].clone(), r["error"]["code"].as_i64().unwrap_or(0)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_object() {
    let answered = survives(&frame(b"{}")).await;
    assert_eq!(errors(&answered), [(Value::Null, -32600)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_batch() {
    let answered = survives(&frame(b"[]")).await;
    assert_eq!(errors(&answered), [(Value::Null, -32600)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_json() {
    let answered = survives(&frame(br#"{"jsonrpc":"#)).await;
    assert_eq!(errors(&answered), [(Value::Null, -32700)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_without_jsonrpc_is_answered_with_its_id() {
    let answered = survives(&frame(br#"{"id":41,"method":"initialize"}"#)).await;
    assert_eq!(errors(&answered), [(json!(41), -32600)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_length_that_is_not_a_number() {
    let answered = survives(b"Content-Length: twelve\r\n\r\n{\"jsonrpc\":\"2.0\"}").await;
    assert_eq!(errors(&answered), [(Value::Null, -32700)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_length() {
    let bad = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}";
    let answered = survives(bad).await;
    assert_eq!(errors(&answered), [(Value::Null, -32700)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_line_without_a_colon() {
    let answered = survives(b"Content-Length: 2\r\nnonsense\r\n\r\n{}").await;
    assert_eq!(errors(&answered), [(Value::Null, -32700)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_length_shorter_than_the_body() {
    let answered =
        survives(b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}").await;
    // One error for the cut body; the rest of it is skipped with it.
    assert_eq!(errors(&answered), [(Value::Null, -32700)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_length_longer_than_the_body() {
    // The next message (`initialize`, sent separately) starts inside the announced body.
    let answered = survives(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7}").await;
    assert_eq!(errors(&answered), [(json!(7), -32700)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20_mb_body_that_is_not_json() {
    let answered = survives(&frame(&vec![b'x'; 20 << 20])).await;
    assert_eq!(errors(&answered), [(Value::Null, -32700)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20_mb_notification_is_read() {
    let pad = "x".repeat(20 << 20);
    let body = json!({"jsonrpc": "2.0", "method": "$/dossier/padding", "params": {"pad": pad}});
    let answered = survives(&frame(body.to_string().as_bytes())).await;
    assert_eq!(errors(&answered), []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_limit_is_skipped_and_answered() {
    let size = dossier::lsp::transport::MAX_BODY as usize + 1;
    let answered = survives(&frame(&vec![b' '; size])).await;
    assert_eq!(errors(&answered), [(Value::Null, -32600)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_still_ends_the_server() {
    let (dir, mut client) = start();
    client.send_raw(&frame(b"{}")).await;
    client.initialize(dir.path(), json!({}), Value::Null).await;
    client.shutdown().await;
    assert_eq!(client.exit_code().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_input_ends_the_server() {
    let (dir, mut client) = start();
    client.initialize(dir.path(), json!({}), Value::Null).await;
    client.close_input();
    assert_eq!(client.exit_code().await, Some(0));
}
