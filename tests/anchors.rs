//! `[[untag]]` and `[[assign]]` in a corpus, as a user meets them: through `dossier annotate`
//! and `dossier check`.

mod common;

use std::fs;
use std::path::Path;

use common::dossier_in;

const ENTITIES: &str = r#"[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
weak_aliases = ["Ma"]
role = "Founder of Alibaba Group"
country = "China"

[[entity]]
id = "carrie-lam"
name = "Carrie Lam"
kind = "person"
weak_aliases = ["Lam"]
role = "Chief Executive of Hong Kong"
country = "China"

[[entity]]
id = "lam-ching"
name = "Lam Ching"
kind = "person"
weak_aliases = ["Lam"]
role = "Bus driver"
country = "China"
"#;

const ARTICLE: &str = "Alibaba's Ma to partner Philippines' Duterte\n\nJack Ma met officials in Manila. Ma said the deal was good.\n\nLater Ma left for Hangzhou.\n";

const UNTAG: &str = r#"
[[untag]]
article = "news/ma.txt"
text = "Ma"
before = "officials in Manila."
after = "said the deal"
"#;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("folders");
    }
    fs::write(path, text).expect("a file");
}

/// The `(text, start, entity)` of every JSONL record of `dossier annotate --format jsonl`.
fn annotate(dir: &Path) -> Vec<(String, u64, Option<String>)> {
    let run = dossier_in(dir, &["annotate", "--format", "jsonl"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run.stdout
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("a JSON record");
            (
                record["text"].as_str().unwrap_or_default().to_owned(),
                record["start"].as_u64().unwrap_or(u64::MAX),
                record["entity"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn corpus(kb: &str, article: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), "dossier.toml", "");
    write(dir.path(), "entities.toml", kb);
    write(dir.path(), "news/ma.txt", article);
    dir
}

#[test]
fn an_untag_removes_exactly_one_mention_and_survives_edits_elsewhere() {
    let plain = annotate(corpus(ENTITIES, ARTICLE).path());
    let dir = corpus(&format!("{ENTITIES}{UNTAG}"), ARTICLE);
    let untagged = annotate(dir.path());
    let said = ARTICLE.find("Ma said").expect("the mention") as u64;
    let removed: Vec<_> = plain.iter().filter(|m| !untagged.contains(m)).collect();
    assert_eq!(
        removed,
        [&("Ma".to_owned(), said, Some("jack-ma".to_owned()))],
        "{untagged:?}"
    );
    assert_eq!(untagged.len(), plain.len() - 1);

    // Text inserted before the mention, in its paragraph and above it, moves every offset but
    // leaves the words next to it alone.
    let edited = ARTICLE
        .replace("Jack Ma met", "On Friday, Jack Ma met")
        .replacen("\n\n", "\n\nUPDATED with a correction.\n\n", 1);
    write(dir.path(), "news/ma.txt", &edited);
    let after_edit = annotate(dir.path());
    assert_eq!(after_edit.len(), plain.len() - 1, "{after_edit:?}");
    let said = edited.find("Ma said").expect("the mention") as u64;
    assert!(
        after_edit.iter().all(|(_, start, _)| *start != said),
        "{after_edit:?}"
    );
    let mas = after_edit
        .iter()
        .filter(|(text, _, _)| text == "Ma")
        .count();
    assert_eq!(
        mas, 2,
        "the headline `Ma` and the last one stay: {after_edit:?}"
    );

    let run = dossier_in(dir.path(), &["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert!(
        run.stdout.starts_with("0 error(s), 0 warning(s)"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_assign_resolves_an_ambiguous_mention() {
    let article = "Lam spoke to reporters on Monday.\n";
    let dir = corpus(ENTITIES, article);
    assert_eq!(annotate(dir.path()), [("Lam".to_owned(), 0, None)]);
    let assign = r#"
[[assign]]
article = "news/ma.txt"
text = "Lam"
before = ""
after = "spoke to reporters"
entity = "carrie-lam"
"#;
    write(dir.path(), "entities.toml", &format!("{ENTITIES}{assign}"));
    assert_eq!(
        annotate(dir.path()),
        [("Lam".to_owned(), 0, Some("carrie-lam".to_owned()))]
    );
    let run = dossier_in(dir.path(), &["check"]);
    assert!(!run.stdout.contains("ambiguous"), "{}", run.stdout);
}

#[test]
fn check_warns_about_stale_anchors_at_their_table() {
    let stale = r#"
[[untag]]
article = "news/ma.txt"
text = "Ma"
before = "officials in Manila."
after = "says the deal"

[[assign]]
article = "news/old.txt"
text = "Lam"
before = ""
after = ""
entity = "carrie-lam"
"#;
    let dir = corpus(&format!("{ENTITIES}{stale}"), ARTICLE);
    let run = dossier_in(dir.path(), &["check"]);
    assert_eq!(
        run.code,
        Some(0),
        "stale anchors are warnings: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "entities.toml:25:1: warning: this [[untag]] finds no mention `Ma` in `news/ma.txt` between \"officials in Manila.\" and \"says the deal\""
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "entities.toml:31:1: warning: this [[assign]] is about `news/old.txt`, which is no article of this corpus"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("0 error(s), 2 warning(s)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_anchor_is_an_error_at_its_value() {
    let broken = r#"
[[assign]]
article = "news/ma.txt"
text = "Lam"
before = ""
after = ""
entity = "carrie-lan"
"#;
    let dir = corpus(&format!("{ENTITIES}{broken}"), ARTICLE);
    let run = dossier_in(dir.path(), &["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "entities.toml:30:10: error: no entity has the id `carrie-lan` (did you mean `carrie-lam`?)"
        ),
        "{}",
        run.stdout
    );
}
