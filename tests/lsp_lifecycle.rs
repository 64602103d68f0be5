//! The server's life as real editors drive it, over stdio with the `dossier lsp` binary: open
//! documents are part of the corpus before they are saved, requests that need the knowledge
//! base wait for its first load, and an idle server that watches files itself does nothing.

mod common;

use std::time::Duration;

use serde_json::{json, Value};

use common::lsp::{uri, Client};
use common::position_of;

/// What Helix announces: no semantic tokens, no file watching, no refreshes.
fn helix_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-8", "utf-32", "utf-16"]},
        "workspace": {"applyEdit": true, "didChangeWatchedFiles": {"dynamicRegistration": false}},
        "textDocument": {"inlayHint": {"dynamicRegistration": false}, "hover": {"contentFormat": ["markdown"]}}
    })
}

/// The URIs of the mentions `textDocument/references` finds from `at` in `uri`.
async fn references(client: &mut Client, uri: &str, at: (u32, u32)) -> Vec<String> {
    let locations = client
        .request(
            "textDocument/references",
            json!({
                "textDocument": {"uri": uri},
                "position": {"line": at.0, "character": at.1},
                "context": {"includeDeclaration": false}
            }),
        )
        .await;
    locations
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| l["uri"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const ARTICLE: &str = "000_3f504db1f4b0c96a.txt";

#[tokio::test]
async fn an_unsaved_article_is_part_of_the_corpus_until_it_is_closed() {
    let dir = common::seed_copy(&[]);
    let mut client = Client::spawn_binary(dir.path());
    client
        .initialize(dir.path(), helix_capabilities(), json!({}))
        .await;
    client.wait_indexed().await;
    let seed = client.open(&dir.path().join(ARTICLE)).await;
    let (line, character) = position_of(&dir.path().join(ARTICLE), "Jack Ma");
    let before = references(&mut client, &seed, (line, character)).await;

    // A new article the editor has open but that is not on disk yet.
    let draft_path = dir.path().join("draft.txt");
    let draft = uri(&dir.path().join("draft.txt"));
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": draft, "languageId": "text", "version": 1,
                "text": "Unsaved draft\n\nJack Ma spoke in Hangzhou.\n"}}),
        )
        .await;
    let with_draft = references(&mut client, &seed, (line, character)).await;
    assert_eq!(
        with_draft.iter().filter(|u| **u == draft).count(),
        1,
        "references include the unsaved article as soon as it is opened: {with_draft:?}"
    );
    assert_eq!(with_draft.len(), before.len() + 1);
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": seed}, "position": {"line": line, "character": character}}),
        )
        .await;
    let card = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        card.contains("Unsaved draft"),
        "the hover card lists the unsaved article: {card}"
    );

    // An edit of the unsaved article is seen by the other documents.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": draft, "version": 2},
                "contentChanges": [{"text": "Unsaved draft\n\nJack Ma and Jack Ma spoke in Hangzhou.\n"}]}),
        )
        .await;
    let mut seen = 0;
    for _ in 0..100 {
        let found = references(&mut client, &seed, (line, character)).await;
        seen = found.iter().filter(|u| **u == draft).count();
        if seen == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen, 2, "the edited unsaved article is indexed");

    // Closed without saving, it is gone; closed after saving, it stays.
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": draft}}),
        )
        .await;
    let after_close = references(&mut client, &seed, (line, character)).await;
    assert_eq!(
        after_close, before,
        "a closed article that is not on disk leaves the index"
    );
    assert!(!draft_path.exists());
}

/// A corpus whose knowledge base is the seeds' plus 100,000 generated entities, so that its
/// first load takes long enough for an editor's first requests to arrive before it ends.
fn slow_corpus() -> tempfile::TempDir {
    let dir = common::seed_copy(&[]);
    let generated = dir.path().join("generated");
    let run = common::dossier_in(
        dir.path(),
        &[
            "generate",
            generated.to_str().expect("a UTF-8 path"),
            "--entities",
            "100000",
            "--articles",
            "1",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    std::fs::rename(
        generated.join("entities.toml"),
        dir.path().join("generated.toml"),
    )
    .expect("moved");
    std::fs::remove_dir_all(&generated).expect("removed");
    std::fs::write(
        dir.path().join("dossier.toml"),
        "knowledge = [\"entities.toml\", \"generated.toml\"]\n",
    )
    .expect("written");
    dir
}

#[tokio::test]
async fn first_requests_wait_for_the_knowledge_base_and_nothing_is_published_without_it() {
    let dir = slow_corpus();
    let article = dir.path().join(ARTICLE);
    let mut client = Client::spawn_binary(dir.path());
    client
        .initialize(
            dir.path(),
            helix_capabilities(),
            json!({"display": "inlayHints"}),
        )
        .await;
    // Helix opens the file and asks for hints at once, then never again until an edit.
    let uri = client.open(&article).await;
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 200, "character": 0}}}),
        )
        .await;
    let count = hints.as_array().map_or(0, Vec::len);
    assert!(
        count > 10,
        "the first answer has the hints of a loaded knowledge base: {hints}"
    );
    client.wait_indexed().await;
    let published: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri)
        .collect();
    assert!(!published.is_empty(), "the article's diagnostics came");
    for notification in published {
        for diagnostic in notification["params"]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let message = diagnostic["message"].as_str().unwrap_or_default();
            assert!(
                !message.contains("Jack Ma") && !message.contains("Duterte"),
                "nothing is published from a knowledge base not yet loaded: {message}"
            );
        }
    }
}

#[tokio::test]
async fn an_idle_server_watching_files_itself_does_no_work() {
    let dir = common::seed_copy(&[]);
    let mut client = Client::spawn_binary(dir.path());
    let mut capabilities = helix_capabilities();
    capabilities["window"] = json!({"workDoneProgress": true});
    client.initialize(dir.path(), capabilities, json!({})).await;
    // The end of the indexing progress comes after everything the indexing publishes.
    client
        .notification("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let uri = client.open(&dir.path().join(ARTICLE)).await;
    client
        .notification("textDocument/publishDiagnostics", |p| p["uri"] == uri)
        .await;
    // Reading files is no change: the server's own reads, and anyone else's.
    for entry in std::fs::read_dir(dir.path()).expect("the corpus") {
        let _ = std::fs::read(entry.expect("an entry").path());
    }
    let idle = client.collect_for(Duration::from_secs(3)).await;
    let published: Vec<&Value> = idle
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(
        published.is_empty(),
        "an idle server publishes nothing; it published {} times: {:?}",
        published.len(),
        published
            .iter()
            .map(|p| p["params"]["uri"].as_str().unwrap_or_default())
            .collect::<Vec<_>>()
    );

    // A real change on disk is still picked up.
    std::fs::write(dir.path().join("later.txt"), "Later\n\nJack Ma again.\n").expect("written");
    let (line, character) = position_of(&dir.path().join(ARTICLE), "Jack Ma");
    let later = common::lsp::uri(&dir.path().join("later.txt"));
    let mut found = false;
    for _ in 0..100 {
        let references = references(&mut client, &uri, (line, character)).await;
        found = references.contains(&later);
        if found {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(found, "a file created on disk is indexed");
}

#[tokio::test]
async fn every_reindex_reports_the_counts_editors_show() {
    let dir = common::seed_copy(&[]);
    let mut client = Client::spawn_binary(dir.path());
    let mut capabilities = helix_capabilities();
    capabilities["window"] = json!({"workDoneProgress": true});
    client.initialize(dir.path(), capabilities, json!({})).await;
    let first = client
        .notification("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let counts = |end: &Value| {
        end["value"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(counts(&first).ends_with(" entities"), "{first}");

    // A knowledge base edited by hand, outside the editor: the server's watcher reloads it.
    let kb = dir.path().join("entities.toml");
    let mut text = std::fs::read_to_string(&kb).expect("readable");
    text.push_str("\n[[entity]]\nid = \"pony-ma\"\nname = \"Pony Ma\"\nkind = \"person\"\nrole = \"Founder of Tencent\"\ncountry = \"China\"\n");
    std::fs::write(&kb, text).expect("written");
    let before = counts(&first);
    let entities = |message: &str| -> usize {
        message
            .rsplit(", ")
            .next()
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_default()
    };
    let after = client
        .notification("$/progress", |p| {
            p["value"]["kind"] == "end"
                && entities(p["value"]["message"].as_str().unwrap_or_default())
                    == entities(&before) + 1
        })
        .await;
    assert!(counts(&after).starts_with("5 articles"), "{after}");
}
