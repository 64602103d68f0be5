//! A whole editor session with the `dossier lsp` binary over stdio, on a copy of the seed
//! corpus: initialize, open an article, highlights, hover, definition, references, a tagging
//! code action applied to the knowledge base, the new entity highlighted in another article,
//! shutdown.

mod common;

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use common::lsp::{decode_tokens, uri, Client};
use common::position_of;

const PERSON: u32 = 0;

/// A copy of `seeds/` plus two articles that name someone the knowledge base does not know.
fn seed_copy() -> tempfile::TempDir {
    common::seed_copy(&[
        (
            "100_anwar.txt",
            "Anwar Ibrahim visits Hangzhou\n\nMalaysian politician Anwar Ibrahim met Jack Ma.\n",
        ),
        (
            "101_anwar.txt",
            "Reform agenda\n\nThe speech by Anwar Ibrahim in Kuala Lumpur drew a crowd.\n",
        ),
    ])
}

fn capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "window": {"workDoneProgress": true},
        "workspace": {"applyEdit": true, "semanticTokens": {"refreshSupport": true}},
        "textDocument": {
            "semanticTokens": {"requests": {"full": {"delta": true}, "range": true}, "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]},
            "hover": {"contentFormat": ["markdown"]},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor"]}}}
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_session_over_stdio() {
    let corpus = seed_copy();
    let root = corpus.path();
    let mut client = Client::spawn_binary(root);
    let applied: Arc<Mutex<Vec<Value>>> = Arc::default();
    let seen = applied.clone();
    client.on_request(Box::new(move |method, params| match method {
        "workspace/applyEdit" => {
            seen.lock().map(|mut v| v.push(params.clone())).ok();
            json!({"applied": common::lsp::apply_to_disk(params)})
        }
        _ => Value::Null,
    }));

    let init = client.initialize(root, capabilities(), json!({})).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"][0],
        "person"
    );
    client
        .notification("$/progress", |p| p["value"]["kind"] == "end")
        .await;
    let progress: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|n| n["method"] == "$/progress")
        .collect();
    assert!(
        progress
            .iter()
            .any(|n| n["params"]["value"]["kind"] == "begin"),
        "indexing reports progress"
    );
    assert!(progress
        .iter()
        .any(|n| n["params"]["value"]["kind"] == "end"));

    // Highlights: the no-break-space "Jack Ma" on line 8 of 000 is a person.
    let article = root.join("000_3f504db1f4b0c96a.txt");
    let article_uri = client.open(&article).await;
    let tokens = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": article_uri}}),
        )
        .await;
    let tokens = decode_tokens(&tokens["data"]);
    let (line, character) = position_of(&article, "Jack Ma\u{a0}and");
    assert!(
        tokens.contains(&(line, character, 7, PERSON, 0)),
        "{tokens:?}"
    );
    assert!(
        tokens.contains(&(0, 10, 2, PERSON, 2)),
        "the headline's Ma, a weak alias: {tokens:?}"
    );

    // Hover: role, country and the other articles.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": article_uri}, "position": {"line": line, "character": character + 2}}),
        )
        .await;
    let card = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(card.starts_with("### Jack Ma"), "{card}");
    assert!(
        card.contains("Founder and executive chairman of Alibaba Group"),
        "{card}"
    );
    assert!(card.contains("China"));
    assert!(card.contains("**Mentioned in 6 articles**"), "{card}");
    assert!(card.contains("002_0d1f260802f0c6c7.txt#L1,1"), "{card}");

    // Definition: his table in entities.toml.
    let kb_path = root.join("entities.toml");
    let definition = client
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": article_uri}, "position": {"line": line, "character": character}}),
        )
        .await;
    assert_eq!(definition["uri"], uri(&kb_path));
    let (kb_line, _) = position_of(&kb_path, "id = \"jack-ma\"");
    assert_eq!(
        definition["range"]["start"]["line"],
        kb_line - 1,
        "the [[entity]] header"
    );

    // References: every mention in every article, open or not, plus the declaration.
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": article_uri}, "position": {"line": line, "character": character}, "context": {"includeDeclaration": true}}),
        )
        .await;
    let references = references.as_array().cloned().unwrap_or_default();
    assert_eq!(
        references.len(),
        36 + 1,
        "35 seed mentions, 1 in 100_anwar.txt, and the definition"
    );
    let files: std::collections::BTreeSet<&str> = references
        .iter()
        .filter_map(|r| r["uri"].as_str())
        .collect();
    assert_eq!(files.len(), 7);

    // Tagging: "Anwar Ibrahim" is unknown; tag it as a person from the code action.
    let anwar = root.join("100_anwar.txt");
    let anwar_uri = client.open(&anwar).await;
    let (line, character) = position_of(&anwar, "Anwar Ibrahim met");
    let range = json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character + 13}});
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": anwar_uri}, "range": range, "context": {"diagnostics": []}}),
        )
        .await;
    let actions = actions.as_array().cloned().unwrap_or_default();
    let tag = actions
        .iter()
        .find(|a| a["title"] == "Tag all 2 «Anwar Ibrahim» candidates in this article as person")
        .unwrap_or_else(|| panic!("a tag action: {actions:#?}"))
        .clone();
    let result = client
        .request("workspace/executeCommand", tag["command"].clone())
        .await;
    assert_eq!(result, json!(true));
    assert_eq!(applied.lock().map(|v| v.len()).unwrap_or(0), 1);
    let kb = std::fs::read_to_string(&kb_path).unwrap_or_default();
    assert!(
        kb.contains("name = \"Anwar Ibrahim\""),
        "the editor's copy of entities.toml has the entity"
    );

    // The other article, not open until now, highlights the new entity.
    let other = root.join("101_anwar.txt");
    let other_uri = client.open(&other).await;
    let tokens = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": other_uri}}),
        )
        .await;
    let (line, character) = position_of(&other, "Anwar Ibrahim in");
    assert!(
        decode_tokens(&tokens["data"]).contains(&(line, character, 13, PERSON, 0)),
        "{tokens}"
    );

    client.shutdown().await;
    assert_eq!(client.exit_code().await, Some(0));
}
