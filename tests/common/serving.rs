//! A seed corpus served by `dossier lsp`, and the checks that it still serves it: what the
//! hostile-input tests run after each bad message, file or knowledge base.

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};

use super::lsp::{uri, Client};
use super::position_of;

/// The seed article every check asks about.
pub const ARTICLE: &str = "000_3f504db1f4b0c96a.txt";

/// How long a test waits for a message it expects; a bound, not a speed target.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A copy of the seeds, served by a fresh `dossier lsp` that has indexed it, with the seed
/// article open; returns the article's URI too.
pub async fn seeded(extra: &[(&str, &str)]) -> (tempfile::TempDir, Client, String) {
    let dir = super::seed_copy(extra);
    let (client, seed) = serve(dir.path()).await;
    (dir, client, seed)
}

/// Starts `dossier lsp` on the corpus at `root`, waits for its indexing and opens the seed
/// article.
pub async fn serve(root: &Path) -> (Client, String) {
    let mut client = Client::spawn_binary(root);
    client.initialize(root, json!({}), Value::Null).await;
    client.wait_indexed().await;
    let seed = client.open(&root.join(ARTICLE)).await;
    (client, seed)
}

/// A position request at `at` in `uri`.
pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// Asserts that the server still answers a hover and references on `Jack Ma` in the seed
/// article (open as `seed`, its text on disk at `root`) correctly.
pub async fn assert_serves(client: &mut Client, root: &Path, seed: &str) {
    let (line, character) = position_of(&root.join(ARTICLE), "Jack Ma");
    let hover = client
        .request_raw("textDocument/hover", at(seed, line, character))
        .await;
    let card = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        card.contains("Jack Ma") && card.contains("person"),
        "the hover on Jack Ma still answers its card: {hover}"
    );
    let mut params = at(seed, line, character);
    params["context"] = json!({"includeDeclaration": false});
    let references = client.request_raw("textDocument/references", params).await;
    let found = references["result"].as_array().cloned().unwrap_or_default();
    assert!(
        found.iter().any(|l| l["uri"] == seed),
        "references of Jack Ma still include the seed article: {references}"
    );
}

/// The `window/logMessage` or `window/showMessage` texts received so far.
pub fn messages(client: &Client) -> Vec<String> {
    client
        .notifications
        .iter()
        .filter(|n| n["method"] == "window/logMessage" || n["method"] == "window/showMessage")
        .filter_map(|n| n["params"]["message"].as_str().map(str::to_owned))
        .collect()
}

/// Waits (at most [`PATIENCE`]) for a log or shown message that contains every one of
/// `words`, and returns it; fails the test with the messages seen if none comes.
pub async fn expect_message(client: &mut Client, words: &[&str]) -> String {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(found) = messages(client)
            .into_iter()
            .find(|m| words.iter().all(|w| m.contains(w)))
        {
            return found;
        }
        if tokio::time::Instant::now() >= deadline {
            panic!(
                "no message with {words:?} within {PATIENCE:?}; messages: {:?}",
                messages(client)
            );
        }
        client.collect_for(Duration::from_millis(200)).await;
    }
}

/// Waits (at most [`PATIENCE`]) for diagnostics of `file` that satisfy `matches`, and
/// returns them; fails the test with the last ones seen if none come.
pub async fn expect_diagnostics(
    client: &mut Client,
    file: &Path,
    matches: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let wanted = uri(file);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let last = client
            .notifications
            .iter()
            .rev()
            .find(|n| {
                n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == wanted
            })
            .and_then(|n| n["params"]["diagnostics"].as_array().cloned());
        if let Some(diagnostics) = &last {
            if matches(diagnostics) {
                return diagnostics.clone();
            }
        }
        if tokio::time::Instant::now() >= deadline {
            panic!("no fitting diagnostics for {wanted} within {PATIENCE:?}; last: {last:?}");
        }
        client.collect_for(Duration::from_millis(200)).await;
    }
}
