//! One feature of the language server at a time, in process over `tokio::io::duplex`, each on
//! a small corpus of its own.

mod common;

use std::path::Path;

use serde_json::{json, Value};

use common::lsp::{decode_tokens, uri, Client};

const KB: &str = r#"[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
aliases = ["马云"]
weak_aliases = ["Ma"]
role = "Founder of Alibaba Group"
country = "China"

[[entity]]
id = "ma-ying-jeou"
name = "Ma Ying-jeou"
kind = "person"
weak_aliases = ["Ma"]
role = "Former president of Taiwan"
country = "Taiwan"

[[entity]]
id = "malacanang"
name = "Malacañang"
kind = "place"
role = "Presidential palace of the Philippines"
country = "Philippines"

[[entity]]
id = "alibaba-group"
name = "Alibaba Group"
kind = "organization"
aliases = ["Alibaba"]
role = "Chinese technology company"
country = "China"
"#;

const PERSON: u32 = 0;
const PLACE: u32 = 2;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("dossier.toml"), "").expect("written");
        std::fs::write(dir.path().join("entities.toml"), KB).expect("written");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("written");
        }
        Fixture { dir }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }
}

fn capabilities(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {"semanticTokens": {"requests": {"full": {"delta": true}}, "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]}}
    })
}

async fn started(fixture: &Fixture, encodings: &[&str], options: Value) -> Client {
    let mut client = Client::in_process();
    client
        .initialize(fixture.root(), capabilities(encodings), options)
        .await;
    client.wait_indexed().await;
    client
}

async fn tokens(client: &mut Client, uri: &str) -> Vec<(u32, u32, u32, u32, u32)> {
    let result = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    decode_tokens(&result["data"])
}

#[tokio::test]
async fn utf16_columns_count_surrogates_and_curly_quotes() {
    let fixture = Fixture::new(&[("a.txt", "“Jack Ma” 😀 met 马云 at Malacañang; Malacañang")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    assert_eq!(
        tokens(&mut client, &uri).await,
        [
            (0, 1, 7, PERSON, 0),
            (0, 17, 2, PERSON, 0),
            (0, 23, 10, PLACE, 0),
            (0, 35, 10, PLACE, 0)
        ]
    );
}

#[tokio::test]
async fn utf8_is_used_when_offered() {
    let fixture = Fixture::new(&[("a.txt", "“Jack Ma” 😀 met 马云 at Malacañang")]);
    let mut client = Client::in_process();
    let init = client
        .initialize(
            fixture.root(),
            capabilities(&["utf-8", "utf-16"]),
            json!({}),
        )
        .await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.wait_indexed().await;
    let uri = client.open(&fixture.path("a.txt")).await;
    assert_eq!(
        tokens(&mut client, &uri).await,
        [
            (0, 3, 7, PERSON, 0),
            (0, 23, 6, PERSON, 0),
            (0, 33, 11, PLACE, 0)
        ]
    );
}

#[tokio::test]
async fn edits_update_highlights_and_deltas() {
    let fixture = Fixture::new(&[("a.txt", "Ma said so.\n\nNothing here.\n")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let first = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(
        decode_tokens(&first["data"]),
        [(0, 0, 2, PERSON, 1 | 2)],
        "Ma alone may be either person"
    );
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 7}}, "text": "Jack Ma"}
            ]}),
        )
        .await;
    let delta = client
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": uri}, "previousResultId": first["resultId"]}),
        )
        .await;
    let edits = delta["edits"].as_array().cloned().unwrap_or_default();
    assert_eq!(edits.len(), 1, "{delta}");
    assert_eq!(edits[0]["start"], 0);
    assert_eq!(
        decode_tokens(&edits[0]["data"]),
        [(0, 0, 2, PERSON, 2), (2, 0, 7, PERSON, 0)],
        "naming Jack Ma below settles the Ma above"
    );
    // A stale version is ignored.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 1}, "contentChanges": [{"text": "nothing"}]}),
        )
        .await;
    assert_eq!(tokens(&mut client, &uri).await.len(), 2);
}

#[tokio::test]
async fn ambiguous_mentions_are_diagnosed_and_carded() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma met Ma Ying-jeou. Ma smiled.")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
        })
        .await;
    let diagnostic = &published["diagnostics"][0];
    assert_eq!(diagnostic["code"], "ambiguous");
    assert_eq!(diagnostic["range"]["start"]["character"], 26);
    assert!(diagnostic["message"]
        .as_str()
        .unwrap_or_default()
        .contains("Jack Ma (person) or Ma Ying-jeou (person)"));
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 27}}),
        )
        .await;
    let card = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(card.starts_with("### Ma — ambiguous"), "{card}");
    let tokens = tokens(&mut client, &uri).await;
    assert!(
        tokens.contains(&(0, 26, 2, PERSON, 1 | 2)),
        "ambiguous and weak: {tokens:?}"
    );
}

#[tokio::test]
async fn a_broken_knowledge_base_is_diagnosed_and_the_last_good_one_stays() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma and Alibaba")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let kb_uri = client.open(&fixture.path("entities.toml")).await;
    let article = client.open(&fixture.path("a.txt")).await;
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": kb_uri, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": 3, "character": 7}, "end": {"line": 3, "character": 15}}, "text": "\"persn"}
            ]}),
        )
        .await;
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == kb_uri && p["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
        })
        .await;
    let diagnostic = &published["diagnostics"][0];
    assert_eq!(diagnostic["severity"], 1);
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap_or_default()
            .contains("invalid TOML"),
        "{diagnostic}"
    );
    assert_eq!(diagnostic["range"]["start"]["line"], 3);
    assert_eq!(
        tokens(&mut client, &article).await.len(),
        2,
        "the last good knowledge base is in force"
    );
}

#[tokio::test]
async fn helix_gets_inlay_hints_instead_of_tokens() {
    let fixture = Fixture::new(&[("a.txt", "Alibaba hired Jack Ma.")]);
    let mut client = Client::in_process();
    // No semantic-token capability at all, as Helix.
    client
        .initialize(fixture.root(), json!({}), json!({}))
        .await;
    client.wait_indexed().await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}}),
        )
        .await;
    let labels: Vec<&str> = hints
        .as_array()
        .map(|h| h.iter().filter_map(|x| x["label"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(labels, ["‹Alibaba Group›", "‹person›"]);
    assert_eq!(hints[1]["position"], json!({"line": 0, "character": 21}));
}

#[tokio::test]
async fn mentions_can_be_shown_as_hint_diagnostics() {
    let fixture = Fixture::new(&[("a.txt", "Alibaba hired Jack Ma.")]);
    let mut client = started(&fixture, &["utf-16"], json!({"display": "diagnostics"})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| d.len() == 2)
        })
        .await;
    assert_eq!(published["diagnostics"][1]["severity"], 4);
    assert_eq!(published["diagnostics"][1]["message"], "Jack Ma (person)");
}

#[tokio::test]
async fn completion_offers_names_for_a_capitalised_prefix() {
    let fixture = Fixture::new(&[("a.txt", "Yesterday Jack M")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let items = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 16}}),
        )
        .await;
    let items = items.as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["label"], "Jack Ma");
    assert_eq!(items[0]["textEdit"]["range"]["start"]["character"], 10);
}

#[tokio::test]
async fn symbols_outline_the_article_and_search_the_corpus() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma and Alibaba. Jack Ma again at Malacañang.")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let outline = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let groups: Vec<&str> = outline
        .as_array()
        .map(|o| o.iter().filter_map(|g| g["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(groups, ["person", "organization", "place"]);
    assert_eq!(outline[0]["children"][0]["name"], "Jack Ma");
    assert_eq!(
        outline[0]["children"][0]["detail"],
        "2 mentions · Founder of Alibaba Group"
    );
    let found = client
        .request("workspace/symbol", json!({"query": "alibab"}))
        .await;
    assert_eq!(found[0]["name"], "Alibaba Group");
    assert_eq!(
        found[0]["location"]["uri"],
        uri_of(&fixture, "entities.toml")
    );
}

fn uri_of(fixture: &Fixture, name: &str) -> String {
    uri(&fixture.path(name))
}

#[tokio::test]
async fn highlights_and_knowledge_base_hover() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma and Alibaba. Then Ma spoke.")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let highlights = client
        .request(
            "textDocument/documentHighlight",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}),
        )
        .await;
    assert_eq!(highlights.as_array().map(Vec::len), Some(2));
    let kb_uri = client.open(&fixture.path("entities.toml")).await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": kb_uri}, "position": {"line": 2, "character": 3}}),
        )
        .await;
    let card = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(card.starts_with("### Jack Ma"), "{card}");
    assert!(
        card.contains("**Mentioned in 1 article** (2 mentions)"),
        "{card}"
    );
}

#[tokio::test]
async fn bad_requests_get_answers_and_the_server_stays_up() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    // Past the end clamps to the end, as the protocol asks for columns.
    let far = client
        .request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 99, "character": 99}}),
        )
        .await;
    assert!(far.get("error").is_none(), "{far}");
    let unknown = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": "file:///nowhere/x.txt"}}),
        )
        .await;
    assert_eq!(unknown, Value::Null);
    let weird = client
        .request("textDocument/hover", json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}}))
        .await;
    assert_eq!(weird, Value::Null);
    assert_eq!(tokens(&mut client, &uri).await.len(), 1, "still serving");
}

#[tokio::test]
async fn files_changed_on_disk_are_picked_up() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    std::fs::write(fixture.path("b.txt"), "Alibaba and Jack Ma").expect("written");
    std::fs::write(fixture.path("c.txt"), b"Jack Ma \xff broken").expect("written");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri_of(&fixture, "b.txt"), "type": 1}, {"uri": uri_of(&fixture, "c.txt"), "type": 1}]}),
        )
        .await;
    let a = client.open(&fixture.path("a.txt")).await;
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": a}, "position": {"line": 0, "character": 0}, "context": {"includeDeclaration": false}}),
        )
        .await;
    assert_eq!(
        references.as_array().map(Vec::len),
        Some(2),
        "a.txt and the new b.txt; c.txt is not UTF-8: {references}"
    );
}

/// Runs the code action titled `title` at `range` of `uri`, applying its edit to the files on
/// disk as the editor would apply it to its buffers.
async fn run_action(client: &mut Client, uri: &str, range: Value, title: &str) -> Value {
    client.on_request(Box::new(|method, params| match method {
        "workspace/applyEdit" => json!({"applied": common::lsp::apply_to_disk(params)}),
        _ => Value::Null,
    }));
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["title"].as_str()).collect())
        .unwrap_or_default();
    let action = actions
        .as_array()
        .and_then(|a| a.iter().find(|x| x["title"] == title))
        .unwrap_or_else(|| panic!("no action {title:?} among {titles:?}"))
        .clone();
    client
        .request("workspace/executeCommand", action["command"].clone())
        .await
}

fn range(line: u32, start: u32, end: u32) -> Value {
    json!({"start": {"line": line, "character": start}, "end": {"line": line, "character": end}})
}

#[tokio::test]
async fn untagging_a_mention_removes_only_it_and_survives_edits() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma met Alibaba staff. Alibaba grew.")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    assert_eq!(
        run_action(&mut client, &uri, range(0, 13, 13), "Untag this «Alibaba»").await,
        json!(true)
    );
    let kb = std::fs::read_to_string(fixture.path("entities.toml")).unwrap_or_default();
    assert!(
        kb.contains("[[untag]]\narticle = \"a.txt\"\ntext = \"Alibaba\""),
        "{kb}"
    );
    let found = tokens(&mut client, &uri).await;
    assert_eq!(
        found.iter().map(|t| t.1).collect::<Vec<_>>(),
        [0, 27],
        "the first Alibaba is untagged: {found:?}"
    );
    // Typing before it does not bring it back.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": range(0, 0, 0), "text": "Today "}]}),
        )
        .await;
    let found = tokens(&mut client, &uri).await;
    assert_eq!(
        found.iter().map(|t| t.1).collect::<Vec<_>>(),
        [6, 33],
        "{found:?}"
    );
}

#[tokio::test]
async fn an_ambiguous_mention_can_be_settled() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma met Ma Ying-jeou. Ma smiled.")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let result = run_action(
        &mut client,
        &uri,
        range(0, 26, 26),
        "This is Ma Ying-jeou (person)",
    )
    .await;
    assert_eq!(result, json!(true));
    let found = tokens(&mut client, &uri).await;
    assert!(
        found.contains(&(0, 26, 2, PERSON, 2)),
        "weak, no longer ambiguous: {found:?}"
    );
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 27}}),
        )
        .await;
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .starts_with("### Ma Ying-jeou"));
}

#[tokio::test]
async fn a_selection_can_become_an_alias_of_the_closest_entity() {
    let fixture = Fixture::new(&[("a.txt", "Alibaba Group Holding said so.")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let result = run_action(
        &mut client,
        &uri,
        range(0, 0, 21),
        "Add «Alibaba Group Holding» as an alias of Alibaba Group",
    )
    .await;
    assert_eq!(result, json!(true));
    let kb = std::fs::read_to_string(fixture.path("entities.toml")).unwrap_or_default();
    assert!(
        kb.contains("aliases = [\"Alibaba\", \"Alibaba Group Holding\"]"),
        "{kb}"
    );
    assert_eq!(tokens(&mut client, &uri).await, [(0, 0, 21, 1, 0)]);
}

#[tokio::test]
async fn a_tag_refreshes_clients_that_can_refresh() {
    let fixture = Fixture::new(&[
        ("a.txt", "Anwar Ibrahim spoke."),
        ("b.txt", "Then Anwar Ibrahim left."),
    ]);
    let mut client = Client::in_process();
    let mut caps = capabilities(&["utf-16"]);
    caps["workspace"] = json!({"semanticTokens": {"refreshSupport": true}, "applyEdit": true});
    client.initialize(fixture.root(), caps, json!({})).await;
    client.wait_indexed().await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let result = run_action(
        &mut client,
        &uri,
        range(0, 0, 13),
        "Tag «Anwar Ibrahim» as person",
    )
    .await;
    assert_eq!(result, json!(true));
    assert!(client
        .server_requests
        .iter()
        .any(|r| r["method"] == "workspace/semanticTokens/refresh"));
    let b = client.open(&fixture.path("b.txt")).await;
    assert_eq!(tokens(&mut client, &b).await, [(0, 5, 13, PERSON, 0)]);
    let kb = std::fs::read_to_string(fixture.path("entities.toml")).unwrap_or_default();
    assert!(
        kb.ends_with(
            "[[entity]]\nid = \"anwar-ibrahim\"\nname = \"Anwar Ibrahim\"\nkind = \"person\"\n"
        ),
        "{kb}"
    );
}

#[tokio::test]
async fn without_a_corpus_the_user_is_told_why() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("loose.txt"), "Jack Ma").expect("written");
    let mut client = Client::in_process();
    client
        .initialize(dir.path(), capabilities(&["utf-16"]), json!({}))
        .await;
    client.open(&dir.path().join("loose.txt")).await;
    let message = client.notification("window/showMessage", |_| true).await;
    assert!(
        message["message"]
            .as_str()
            .unwrap_or_default()
            .contains("found no dossier.toml above"),
        "{message}"
    );
}

/// The number of references to the mention at the start of `uri` once it reaches `expected`,
/// or what it was after five seconds of asking.
async fn references_settle_at(client: &mut Client, uri: &str, expected: usize) -> usize {
    let mut found = 0;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let references = client
            .request(
                "textDocument/references",
                json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}, "context": {"includeDeclaration": false}}),
            )
            .await;
        found = references.as_array().map_or(0, Vec::len);
        if found == expected {
            break;
        }
    }
    found
}

#[tokio::test]
async fn the_server_watches_files_itself_when_the_client_does_not() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let a = client.open(&fixture.path("a.txt")).await;
    let b = fixture.path("b.txt");
    std::fs::write(&b, "Jack Ma again").expect("written");
    assert_eq!(
        references_settle_at(&mut client, &a, 2).await,
        2,
        "b.txt was picked up without any notification from the client"
    );
    // Written in place: only a data modification, no new file.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&b)
        .and_then(|mut file| std::io::Write::write_all(&mut file, b" and Jack Ma"))
        .expect("appended");
    assert_eq!(
        references_settle_at(&mut client, &a, 3).await,
        3,
        "an article written in place is read again"
    );
    // Saved as editors save atomically: a new file renamed over the old one.
    let saved = fixture.path("b.txt.tmp");
    std::fs::write(&saved, "Nobody known.").expect("written");
    std::fs::rename(&saved, &b).expect("renamed");
    assert_eq!(
        references_settle_at(&mut client, &a, 1).await,
        1,
        "an article renamed over is read again"
    );
    std::fs::write(&b, "Jack Ma").expect("written");
    assert_eq!(references_settle_at(&mut client, &a, 2).await, 2);
    std::fs::remove_file(&b).expect("removed");
    assert_eq!(
        references_settle_at(&mut client, &a, 1).await,
        1,
        "a removed article leaves the index"
    );
}

#[tokio::test]
async fn a_50_mb_article_is_served() {
    // News-like density: a few mentions in each paragraph of filler.
    let filler =
        "The committee discussed budgets, schedules and the weather at length. ".repeat(14);
    let paragraph = format!("Jack Ma spoke in Malacañang. {filler}马云 agreed.\n\n");
    let text = paragraph.repeat(50 * 1024 * 1024 / paragraph.len() + 1);
    let fixture = Fixture::new(&[("big.txt", &text)]);
    // Over stdio, as editors send it: an in-memory duplex pipe moves 50 MB far more slowly
    // than a real pipe, which would time the test transport, not the server.
    let mut client = Client::spawn_binary(fixture.root());
    client
        .initialize(fixture.root(), capabilities(&["utf-16"]), json!({}))
        .await;
    client.wait_indexed().await;
    let uri = client.open(&fixture.path("big.txt")).await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 40000, "character": 2}}),
        )
        .await;
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .starts_with("### Jack Ma"));
    let ranged = client
        .request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 100, "character": 0}, "end": {"line": 101, "character": 0}}}),
        )
        .await;
    assert_eq!(
        decode_tokens(&ranged["data"]).len(),
        3,
        "Jack Ma, Malacañang, 马云 on line 100"
    );
}

#[tokio::test]
async fn unknown_names_are_hinted_and_tagged_from_the_cursor() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma met Minister Anwar Ibrahim in Putrajaya.")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
        })
        .await;
    let hint = &published["diagnostics"][0];
    assert_eq!(hint["code"], "candidate");
    assert_eq!(hint["severity"], 4);
    assert_eq!(hint["range"], range(0, 21, 34));
    assert_eq!(hint["message"], "«Anwar Ibrahim» (likely a person: after the title «Minister») is not in the knowledge base; tag it with a code action");
    let result = run_action(
        &mut client,
        &uri,
        range(0, 25, 25),
        "Tag «Anwar Ibrahim» as person (after the title «Minister»)",
    )
    .await;
    assert_eq!(result, json!(true));
    let kb = std::fs::read_to_string(fixture.path("entities.toml")).unwrap_or_default();
    assert!(
        kb.contains("name = \"Anwar Ibrahim\"\nkind = \"person\"\nrole = \"Minister\""),
        "the title becomes the role: {kb}"
    );
    assert_eq!(tokens(&mut client, &uri).await.len(), 2);
}

#[tokio::test]
async fn the_likeliest_kind_comes_first_and_a_repeated_name_is_tagged_all_at_once() {
    let fixture = Fixture::new(&[(
        "a.txt",
        "Mr Bai Tian spoke. Later Bai Tian said no.\n\nThe Acme Holdings rose.",
    )]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let none = json!({"diagnostics": []});
    let (summary, actions) = actions_at(&mut client, &uri, range(0, 4, 4), none.clone()).await;
    assert_eq!(
        summary.first().map(|(t, _)| t.as_str()),
        Some("Tag all 2 «Bai Tian» candidates in this article as person (after the title «Mr»)")
    );
    assert_eq!(actions[0]["isPreferred"], true);
    assert!(actions[1].get("isPreferred").is_none());
    assert_eq!(
        summary.get(1).map(|(t, _)| t.as_str()),
        Some("Tag all 2 «Bai Tian» candidates in this article as organization")
    );
    let (summary, _) = actions_at(&mut client, &uri, range(2, 6, 6), none).await;
    assert_eq!(
        summary.first().map(|(t, _)| t.as_str()),
        Some("Tag «Acme Holdings» as organization (ends in «Holdings»)")
    );
    // One tag: both mentions are recognised, and no hint is left.
    let result = run_action(
        &mut client,
        &uri,
        range(0, 4, 4),
        "Tag all 2 «Bai Tian» candidates in this article as person (after the title «Mr»)",
    )
    .await;
    assert_eq!(result, json!(true));
    assert_eq!(tokens(&mut client, &uri).await.len(), 2);
}

#[tokio::test]
async fn the_corpus_ignore_list_silences_a_candidate() {
    let fixture = Fixture::new(&[(
        "a.txt",
        "Minister Anwar Ibrahim spoke at the Special Conversation.",
    )]);
    std::fs::write(
        fixture.path("dossier.toml"),
        "[candidates]\nignore = [\"Special Conversation\"]\n",
    )
    .expect("written");
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
        })
        .await;
    let hinted: Vec<&str> = published["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["message"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(hinted.len(), 1, "{hinted:?}");
    assert!(hinted[0].starts_with("«Anwar Ibrahim»"), "{hinted:?}");
}

#[tokio::test]
async fn an_untagged_candidate_is_no_longer_hinted() {
    let fixture = Fixture::new(&[(
        "a.txt",
        "Minister Anwar Ibrahim spoke at the Special Conversation.",
    )]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let messages = |p: &Value| -> Vec<String> {
        p["diagnostics"]
            .as_array()
            .map(|d| {
                d.iter()
                    .filter_map(|x| x["message"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| d.len() == 2)
        })
        .await;
    assert!(messages(&published)[1].starts_with("«Special Conversation»"));
    let result = run_action(
        &mut client,
        &uri,
        range(0, 40, 40),
        "Not a name: stop hinting «Special Conversation» here",
    )
    .await;
    assert_eq!(result, json!(true));
    let kb = std::fs::read_to_string(fixture.path("entities.toml")).unwrap_or_default();
    assert!(kb.contains("[[untag]]"), "{kb}");
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| d.len() == 1)
        })
        .await;
    assert!(messages(&published)[0].starts_with("«Anwar Ibrahim»"));
}

#[tokio::test]
async fn candidate_hints_can_be_turned_off() {
    let fixture = Fixture::new(&[("a.txt", "Minister Anwar Ibrahim spoke.")]);
    let mut client = started(&fixture, &["utf-16"], json!({"candidateSeverity": "off"})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let published = client
        .notification("textDocument/publishDiagnostics", |p| p["uri"] == uri)
        .await;
    assert_eq!(published["diagnostics"], json!([]));
}

#[tokio::test]
async fn stale_anchors_are_flagged_in_the_knowledge_base() {
    let fixture = Fixture::new(&[("a.txt", "Jack Ma spoke.")]);
    let kb = format!("{KB}\n[[untag]]\narticle = \"a.txt\"\ntext = \"Jack Ma\"\nbefore = \"Yesterday\"\nafter = \"spoke.\"\n");
    std::fs::write(fixture.path("entities.toml"), &kb).expect("written");
    let mut client = Client::in_process();
    client
        .initialize(fixture.root(), capabilities(&["utf-16"]), json!({}))
        .await;
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("entities.toml"))
                && p["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
        })
        .await;
    let warning = &published["diagnostics"][0];
    assert_eq!(warning["severity"], 2);
    assert_eq!(
        warning["range"]["start"]["line"],
        kb.lines().position(|l| l == "[[untag]]").unwrap_or(0)
    );
    assert!(
        warning["message"]
            .as_str()
            .unwrap_or_default()
            .contains("finds no mention `Jack Ma` in `a.txt`"),
        "{warning}"
    );
}

/// The code actions at `range` of `uri` with `context`, as `(title, kind)`, and the actions.
async fn actions_at(
    client: &mut Client,
    uri: &str,
    range: Value,
    context: Value,
) -> (Vec<(String, String)>, Vec<Value>) {
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
        )
        .await;
    let actions = actions.as_array().cloned().unwrap_or_default();
    let summary = actions
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap_or_default().to_owned(),
                a["kind"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (summary, actions)
}

fn titles(summary: &[(String, String)]) -> Vec<&str> {
    summary.iter().map(|(t, _)| t.as_str()).collect()
}

#[tokio::test]
async fn a_cursor_in_an_unknown_name_tags_the_whole_name() {
    let fixture = Fixture::new(&[(
        "a.txt",
        "Pony Ma met Jack Ma.\n\nHe spoke at the Special Conversation. Ali said.",
    )]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let none = json!({"diagnostics": []});
    // Helix: a one-character selection on the P, or on the Ma of Pony Ma.
    for (start, end) in [(0, 1), (5, 6), (2, 2), (7, 7)] {
        let (summary, _) = actions_at(&mut client, &uri, range(0, start, end), none.clone()).await;
        assert!(
            summary.contains(&("Tag «Pony Ma» as person".into(), "quickfix".into())),
            "{start}..{end}: {summary:?}"
        );
        assert!(
            !titles(&summary)
                .iter()
                .any(|t| t.contains("«P»") || t.contains("«Ma»")),
            "{summary:?}"
        );
    }
    // Helix on the l of Special Conversation.
    let (summary, _) = actions_at(&mut client, &uri, range(2, 22, 23), none.clone()).await;
    assert!(
        titles(&summary).contains(&"Tag «Special Conversation» as event"),
        "{summary:?}"
    );
    // One capitalised word that is no candidate (it starts a sentence, and is capitalised
    // nowhere else): offered, but as a refactor.
    let (summary, _) = actions_at(&mut client, &uri, range(2, 39, 40), none.clone()).await;
    assert!(
        summary.contains(&("Tag «Ali» as person".into(), "refactor".into())),
        "{summary:?}"
    );
    // A lowercase word or a sentence's `He`: nothing to tag.
    for (start, end) in [(2, 3), (0, 1)] {
        let (summary, _) = actions_at(&mut client, &uri, range(2, start, end), none.clone()).await;
        assert_eq!(summary, [], "{start}..{end}");
    }
    // A real selection is taken as it is.
    let (summary, _) = actions_at(&mut client, &uri, range(0, 0, 3), none.clone()).await;
    assert!(
        summary.contains(&("Tag «Pon» as person".into(), "refactor".into())),
        "{summary:?}"
    );
}

#[tokio::test]
async fn code_actions_honour_the_kinds_asked_for() {
    let fixture = Fixture::new(&[("a.txt", "Pony Ma met Jack Ma.")]);
    let mut client = started(&fixture, &["utf-16"], json!({})).await;
    let uri = client.open(&fixture.path("a.txt")).await;
    let hint = json!({
        "range": range(0, 0, 7), "severity": 4, "code": "candidate", "source": "dossier",
        "message": "«Pony Ma» is not in the knowledge base; tag it with a code action"
    });

    // On the mention: untag is a refactor, so a quickfix request gets nothing.
    let only = |kinds: &[&str]| json!({"diagnostics": [], "only": kinds});
    let (summary, _) = actions_at(&mut client, &uri, range(0, 13, 13), only(&["quickfix"])).await;
    assert_eq!(summary, [], "untag is no quickfix");
    let (summary, _) = actions_at(&mut client, &uri, range(0, 13, 13), only(&["refactor"])).await;
    assert_eq!(
        summary,
        [(
            "Untag this «Jack Ma»".to_owned(),
            "refactor.rewrite".to_owned()
        )]
    );

    // On the candidate: tags are quickfixes, with the hint they fix attached.
    let context = json!({"diagnostics": [hint], "only": ["quickfix"]});
    let (summary, actions) = actions_at(&mut client, &uri, range(0, 2, 3), context).await;
    assert!(!summary.is_empty());
    assert!(
        summary.iter().all(|(_, kind)| kind == "quickfix"),
        "{summary:?}"
    );
    assert_eq!(actions[0]["diagnostics"][0]["code"], "candidate");
    assert_eq!(actions[0]["title"], "Tag «Pony Ma» as person");
    let (summary, _) = actions_at(
        &mut client,
        &uri,
        range(0, 2, 3),
        only(&["refactor.extract"]),
    )
    .await;
    assert_eq!(summary, []);
}

#[tokio::test]
async fn completion_replaces_the_typed_words_with_the_whole_name() {
    let fixture = Fixture::new(&[("a.txt", "Then he met Ma Yin")]);
    for (snippets, format) in [(false, 1), (true, 2)] {
        let mut client = Client::in_process();
        let mut caps = capabilities(&["utf-16"]);
        caps["textDocument"]["completion"] =
            json!({"completionItem": {"snippetSupport": snippets}});
        client.initialize(fixture.root(), caps, json!({})).await;
        client.wait_indexed().await;
        let uri = client.open(&fixture.path("a.txt")).await;
        let items = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 18}}),
            )
            .await;
        let items = items.as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 1, "{items:?}");
        let item = &items[0];
        assert_eq!(item["label"], "Ma Ying-jeou");
        assert_eq!(
            item["textEdit"],
            json!({"range": range(0, 12, 18), "newText": "Ma Ying-jeou"}),
            "the edit covers the typed «Ma Yin», not only «Yin»"
        );
        assert_eq!(item["insertTextFormat"], format, "snippets: {snippets}");
        assert_eq!(item["filterText"], "Ma Ying-jeou");
        client.shutdown().await;
    }
}
