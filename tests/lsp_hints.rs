//! Inlay hints as Helix shows them (it has no semantic tokens): short, marked as annotations,
//! after the whole mention, said in full once per entity, and a small share of the text.

mod common;

use serde_json::{json, Value};

use common::lsp::{uri, Client};

/// Every hint of a document, as `(line, character, label)`.
async fn hints(client: &mut Client, uri: &str) -> Vec<(u64, u64, String)> {
    let answer = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100000, "character": 0}}}),
        )
        .await;
    answer
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap_or_default(),
                h["position"]["character"].as_u64().unwrap_or_default(),
                label(h),
            )
        })
        .collect()
}

/// A hint's label as shown: a string, or the parts of a label list joined.
fn label(hint: &Value) -> String {
    match &hint["label"] {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["value"].as_str())
            .collect::<String>(),
        _ => String::new(),
    }
}

async fn helix_on(root: &std::path::Path) -> Client {
    let mut client = Client::in_process();
    client
        .initialize(root, json!({}), json!({"display": "inlayHints"}))
        .await;
    client.wait_indexed().await;
    client
}

#[tokio::test]
async fn hints_add_little_to_the_seed_articles() {
    let seeds = common::repo().join("seeds");
    let mut client = helix_on(&seeds).await;
    let (mut text_chars, mut hint_chars) = (0usize, 0usize);
    let mut articles: Vec<_> = std::fs::read_dir(&seeds)
        .expect("seeds/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    articles.sort();
    for path in &articles {
        let text = std::fs::read_to_string(path).expect("readable");
        let uri = client.open(path).await;
        let found = hints(&mut client, &uri).await;
        assert!(!found.is_empty(), "{} has hints", path.display());
        let added: usize = found.iter().map(|(_, _, l)| l.chars().count() + 1).sum();
        eprintln!(
            "{}: {} hints, {:.1} % of {} characters",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default(),
            found.len(),
            100.0 * added as f64 / text.chars().count() as f64,
            text.chars().count()
        );
        text_chars += text.chars().count();
        hint_chars += added;
    }
    let share = hint_chars as f64 / text_chars as f64;
    eprintln!("all seeds: {:.1} %", 100.0 * share);
    assert!(
        share < 0.12,
        "hints add {:.1} % to the seed articles",
        100.0 * share
    );
}

#[tokio::test]
async fn a_hint_is_short_marked_after_the_possessive_and_said_in_full_once() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("dossier.toml"), "").expect("written");
    std::fs::write(
        dir.path().join("entities.toml"),
        r#"
[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
weak_aliases = ["Ma"]
role = "Founder of Alibaba Group"
country = "China"

[[entity]]
id = "alibaba-group"
name = "Alibaba Group"
kind = "organization"
aliases = ["Alibaba"]
role = "Chinese technology company"
country = "China"
"#,
    )
    .expect("written");
    let text = "Jack Ma met Alibaba’s board. Ma said Alibaba would grow.\n\nLater Ma left.\n";
    std::fs::write(dir.path().join("a.txt"), text).expect("written");
    let mut client = helix_on(dir.path()).await;
    let a = uri(&dir.path().join("a.txt"));
    client.open(&dir.path().join("a.txt")).await;
    let found = hints(&mut client, &a).await;
    let col = |needle: &str| {
        text.find(needle)
            .map(|b| text[..b].encode_utf16().count() as u64)
    };
    let after = |needle: &str, len: u64| col(needle).unwrap_or_default() + len;
    assert_eq!(
        found,
        vec![
            (0, after("Jack Ma", 7), "‹person›".to_owned()),
            (0, after("Alibaba’s", 9), "‹Alibaba Group›".to_owned()),
            (0, after("Ma said", 2), "‹›".to_owned()),
            (0, after("Alibaba would", 7), "‹›".to_owned()),
            (2, 8, "‹›".to_owned()),
        ],
        "the kind after a full name, the name after another form, after the possessive; \
         later mentions only marked"
    );
}
