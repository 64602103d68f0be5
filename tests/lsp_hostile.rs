//! Hostile and broken protocol use, over stdio with the `dossier lsp` binary (issue 14,
//! item 2): the lifecycle out of order, positions that are no positions, documents the server
//! was never told about, URIs that are no files. Each case gets a clear answer (an error with a
//! message that says what was wrong, or a log message) and the server keeps serving the seed
//! article correctly afterwards. Files and knowledge bases are in `lsp_hostile_files.rs`.

mod common;

use std::time::Duration;

use serde_json::{json, Value};

use common::lsp::{uri, Client};
use common::position_of;
use common::serving::{assert_serves, at, expect_message, seeded, ARTICLE};

/// The `initialize` params for a workspace at `root`.
fn init_params(root: &std::path::Path) -> Value {
    json!({"processId": null, "rootUri": uri(root), "capabilities": {}})
}

/// The error of `response`, asserting it has `code` and a message containing `words`.
fn assert_error(response: &Value, code: i64, words: &[&str]) {
    let error = &response["error"];
    assert_eq!(error["code"], code, "{response}");
    let message = error["message"].as_str().unwrap_or_default();
    for word in words {
        assert!(message.contains(word), "{word:?} is not in {response}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_before_initialize_is_answered_server_not_initialized() {
    let dir = common::seed_copy(&[]);
    let mut client = Client::spawn_binary(dir.path());
    let seed = uri(&dir.path().join(ARTICLE));
    let early = client
        .request_raw("textDocument/hover", at(&seed, 0, 0))
        .await;
    assert_error(&early, -32002, &["initialize"]);
    client.initialize(dir.path(), json!({}), Value::Null).await;
    client.wait_indexed().await;
    let seed = client.open(&dir.path().join(ARTICLE)).await;
    assert_serves(&mut client, dir.path(), &seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_initialize_is_an_error_and_changes_nothing() {
    let (dir, mut client, seed) = seeded(&[]).await;
    let other = tempfile::tempdir().expect("a temporary folder");
    let again = client
        .request_raw("initialize", init_params(other.path()))
        .await;
    assert_error(&again, -32600, &["initialize", "once"]);
    assert_serves(&mut client, dir.path(), &seed).await;
}

/// Found by the `server` fuzz target (fuzz/): tower-lsp-server drops its "method not found"
/// for every method that begins with `$/`, requests too, so a `$/` request was never answered.
/// The specification wants exactly that error for such a request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dollar_request_is_answered_method_not_found_before_and_after_initialize() {
    let dir = common::seed_copy(&[]);
    let mut client = Client::spawn_binary(dir.path());
    let early = client
        .request_raw("$/setTrace", json!({"value": "off"}))
        .await;
    assert_error(&early, -32601, &["$/setTrace"]);
    client.initialize(dir.path(), json!({}), Value::Null).await;
    client.wait_indexed().await;
    let late = client.request_raw("$/dossier/unknown", Value::Null).await;
    assert_error(&late, -32601, &["$/dossier/unknown"]);
    let seed = client.open(&dir.path().join(ARTICLE)).await;
    assert_serves(&mut client, dir.path(), &seed).await;
}

/// A second `initialize` sent before the first was answered reached the server too (before
/// the fix, this one was answered -32602 from its params, not -32600), and tower-lsp-server
/// sets its state back to "not initialized" when an `initialize` fails or is a notification,
/// even after another succeeded. Only the first `initialize` request goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_twice_in_a_row_or_as_a_notification_leaves_the_first_in_force() {
    let dir = common::seed_copy(&[]);
    let mut client = Client::spawn_binary(dir.path());
    let first = client
        .send_request("initialize", init_params(dir.path()))
        .await;
    let second = client
        .send_request("initialize", json!({"capabilities": 5}))
        .await;
    client.notify("initialize", init_params(dir.path())).await;
    let first = client.response(first).await;
    assert!(first.get("error").is_none(), "{first}");
    let second = client.response(second).await;
    assert_error(&second, -32600, &["initialize", "once"]);
    client.notify("initialized", json!({})).await;
    client.wait_indexed().await;
    let seed = client.open(&dir.path().join(ARTICLE)).await;
    assert_serves(&mut client, dir.path(), &seed).await;
    expect_message(&mut client, &["initialize notification"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_after_shutdown_are_invalid_and_exit_then_ends_with_0() {
    let (dir, mut client, seed) = seeded(&[]).await;
    let (line, character) = position_of(&dir.path().join(ARTICLE), "Jack Ma");
    let shutdown = client.request_raw("shutdown", Value::Null).await;
    assert!(shutdown.get("error").is_none(), "{shutdown}");
    let late = client
        .request_raw("textDocument/hover", at(&seed, line, character))
        .await;
    assert_error(&late, -32600, &["shut down", "exit"]);
    let second = client.request_raw("shutdown", Value::Null).await;
    assert_error(&second, -32600, &["shut down"]);
    assert!(client.alive(), "the server waits for exit");
    client.notify("exit", Value::Null).await;
    assert_eq!(client.exit_code().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_after_shutdown_ends_with_0() {
    let (_dir, mut client, _seed) = seeded(&[]).await;
    client.shutdown().await;
    assert_eq!(client.exit_code().await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_without_shutdown_ends_with_1() {
    let (_dir, mut client, _seed) = seeded(&[]).await;
    client.notify("exit", Value::Null).await;
    assert_eq!(
        client.exit_code().await,
        Some(1),
        "the spec's code for exit without shutdown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_before_initialize_ends_with_1() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut client = Client::spawn_binary(dir.path());
    client.notify("exit", Value::Null).await;
    assert_eq!(client.exit_code().await, Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_past_the_end_answer_nothing_and_u32_max_too() {
    let (dir, mut client, seed) = seeded(&[]).await;
    let lines = std::fs::read_to_string(dir.path().join(ARTICLE))
        .expect("the seed")
        .lines()
        .count() as u32;
    for (line, character) in [
        (lines + 10, 0),
        (0, 100_000),
        (u32::MAX, u32::MAX),
        (0, u32::MAX),
    ] {
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/documentHighlight",
            "textDocument/completion",
        ] {
            let answer = client.request_raw(method, at(&seed, line, character)).await;
            assert!(
                answer.get("error").is_none(),
                "{method} at {line}:{character}: {answer}"
            );
        }
        let range = json!({"start": {"line": line, "character": character},
            "end": {"line": u32::MAX, "character": u32::MAX}});
        for method in [
            "textDocument/inlayHint",
            "textDocument/semanticTokens/range",
        ] {
            let answer = client
                .request_raw(
                    method,
                    json!({"textDocument": {"uri": seed}, "range": range}),
                )
                .await;
            assert!(answer.get("error").is_none(), "{method}: {answer}");
        }
    }
    assert_serves(&mut client, dir.path(), &seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn negative_positions_are_invalid_params() {
    let (dir, mut client, seed) = seeded(&[]).await;
    let answer = client
        .request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": seed}, "position": {"line": -1, "character": 0}}),
        )
        .await;
    assert_error(&answer, -32602, &["-1"]);
    let answer = client
        .request_raw(
            "textDocument/references",
            json!({"textDocument": {"uri": seed}, "position": {"line": 0, "character": -5},
                "context": {"includeDeclaration": true}}),
        )
        .await;
    assert_error(&answer, -32602, &["-5"]);
    assert_serves(&mut client, dir.path(), &seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_with_negative_positions_is_logged_and_not_applied() {
    let (dir, mut client, seed) = seeded(&[]).await;
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": seed, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": -1}},
                 "text": "Nobody"}]}),
        )
        .await;
    expect_message(&mut client, &["textDocument/didChange", "-1"]).await;
    assert_serves(&mut client, dir.path(), &seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_with_huge_positions_appends_at_the_end() {
    let (dir, mut client, seed) = seeded(&[]).await;
    let text = std::fs::read_to_string(dir.path().join(ARTICLE)).expect("the seed");
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": seed, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": u32::MAX, "character": u32::MAX},
                           "end": {"line": u32::MAX, "character": u32::MAX}},
                 "text": "\nJack Ma again."}]}),
        )
        .await;
    // The position past the end is the end (the protocol's rule for a character past a
    // line, taken for lines too): the new last line holds the appended name.
    let last = text.matches('\n').count() as u32 + 1;
    let hover = client
        .request("textDocument/hover", at(&seed, last, 2))
        .await;
    let card = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(card.contains("Jack Ma"), "{hover}");
    assert_serves(&mut client, dir.path(), &seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_to_a_document_never_opened_is_logged() {
    let (dir, mut client, seed) = seeded(&[]).await;
    let never = uri(&dir.path().join("001_85a5e73d3e219214.txt"));
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": never, "version": 2},
                "contentChanges": [{"text": "Jack Ma"}]}),
        )
        .await;
    expect_message(&mut client, &["not open", "001_85a5e73d3e219214.txt"]).await;
    assert_serves(&mut client, dir.path(), &seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_with_an_old_version_is_logged_and_not_applied() {
    let (dir, mut client, seed) = seeded(&[]).await;
    let text = std::fs::read_to_string(dir.path().join(ARTICLE)).expect("the seed");
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": seed, "version": 5},
                "contentChanges": [{"text": format!("{text}\n")}]}),
        )
        .await;
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": seed, "version": 3},
                "contentChanges": [{"text": "Nothing of note."}]}),
        )
        .await;
    expect_message(&mut client, &["version 3", "5"]).await;
    // The stale change was not applied: the seed's Jack Ma is still where it was.
    assert_serves(&mut client, dir.path(), &seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_document_never_opened_is_logged() {
    let (dir, mut client, seed) = seeded(&[]).await;
    let never = uri(&dir.path().join("nowhere.txt"));
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": never}}),
        )
        .await;
    expect_message(&mut client, &["not open", "nowhere.txt"]).await;
    assert_serves(&mut client, dir.path(), &seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_that_are_not_files_are_served_by_the_corpus() {
    let (dir, mut client, seed) = seeded(&[]).await;
    for other in ["untitled:Untitled-1", "https://x/y.txt"] {
        client
            .notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": other, "languageId": "plaintext", "version": 1,
                    "text": "Draft\n\nJack Ma spoke.\n"}}),
            )
            .await;
        let hover = client.request("textDocument/hover", at(other, 2, 2)).await;
        let card = hover["contents"]["value"].as_str().unwrap_or_default();
        assert!(card.contains("Jack Ma"), "{other}: {hover}");
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": other}}),
            )
            .await;
    }
    let seen = client.collect_for(Duration::from_millis(300)).await;
    assert!(
        !seen.iter().any(|m| m["method"] == "window/showMessage"),
        "nothing to warn the user about: {seen:?}"
    );
    assert_serves(&mut client, dir.path(), &seed).await;
}
