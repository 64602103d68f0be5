//! The index cache over stdio (issue 16, item 3): a restart takes unchanged articles from
//! `.dossier/index.bin` and answers as a fresh indexing would; a changed article is recognised
//! again; a corrupt cache is ignored with a log line, never trusted, and replaced.

mod common;

use std::path::Path;

use serde_json::json;

use common::lsp::Client;
use common::position_of;
use common::serving::{assert_serves, at, expect_message, messages, serve, ARTICLE};

/// How many places `references` finds for Jack Ma in the seed article, declaration left out.
async fn jack_ma_references(client: &mut Client, root: &Path, seed: &str) -> usize {
    let (line, character) = position_of(&root.join(ARTICLE), "Jack Ma");
    let mut params = at(seed, line, character);
    params["context"] = json!({"includeDeclaration": false});
    let found = client.request("textDocument/references", params).await;
    found.as_array().map_or(0, Vec::len)
}

/// A session on `root`: whether it served, and how many references Jack Ma has.
async fn session(root: &Path) -> (Client, usize) {
    let (mut client, seed) = serve(root).await;
    assert_serves(&mut client, root, &seed).await;
    let references = jack_ma_references(&mut client, root, &seed).await;
    (client, references)
}

#[tokio::test]
async fn a_restart_takes_unchanged_articles_from_the_cache_and_answers_the_same() {
    let dir = common::seed_copy(&[]);
    let root = dir.path();
    let (mut first, fresh) = session(root).await;
    assert!(
        !messages(&first).iter().any(|m| m.contains("index cache")),
        "a first start has no cache to take from: {:?}",
        messages(&first)
    );
    first.shutdown().await;
    assert!(root.join(".dossier/index.bin").is_file());
    let ignore = std::fs::read_to_string(root.join(".dossier/.gitignore")).unwrap_or_default();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");

    let (mut second, cached) = session(root).await;
    expect_message(&mut second, &["5 of 5 articles", "index cache"]).await;
    assert_eq!(cached, fresh, "the same references as a fresh indexing");
    second.shutdown().await;
}

#[tokio::test]
async fn an_article_changed_between_sessions_is_recognised_again() {
    let dir = common::seed_copy(&[]);
    let root = dir.path();
    let (mut first, before) = session(root).await;
    first.shutdown().await;

    let other = root.join("001_85a5e73d3e219214.txt");
    let mut text = std::fs::read_to_string(&other).expect("a seed article");
    text.push_str("\nJack Ma, once more.\n");
    std::fs::write(&other, text).expect("written");

    let (mut second, after) = session(root).await;
    expect_message(&mut second, &["4 of 5 articles", "index cache"]).await;
    assert_eq!(after, before + 1, "the new mention is found");
    second.shutdown().await;
}

#[tokio::test]
async fn a_corrupt_cache_is_ignored_with_a_log_line_and_replaced() {
    let dir = common::seed_copy(&[]);
    let root = dir.path();
    let (mut first, fresh) = session(root).await;
    first.shutdown().await;

    let file = root.join(".dossier/index.bin");
    let mut bytes = std::fs::read(&file).expect("the cache");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&file, &bytes).expect("written");

    let (mut second, again) = session(root).await;
    expect_message(&mut second, &["index.bin", "ignored", "checksum"]).await;
    assert_eq!(again, fresh);
    second.shutdown().await;

    let (mut third, _) = session(root).await;
    expect_message(&mut third, &["5 of 5 articles", "index cache"]).await;
    third.shutdown().await;
}
