//! `dossier suggest`: the corpus's candidate names, as a table and as JSONL, and the
//! `[candidates] ignore` list of `dossier.toml` that silences some.

mod common;

use common::{dossier_in, seed_copy};

const EXTRA: &str = "Acme visit\n\nMr Tom Okafor met the Acme Holdings board in Kuala Lumpur.\n\nLater Tom Okafor said the Acme Holdings deal was done.\n";

#[test]
fn suggest_lists_candidates_most_frequent_first() {
    let dir = seed_copy(&[("zz_acme.txt", EXTRA)]);
    let run = dossier_in(dir.path(), &["suggest"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn suggest_writes_jsonl_and_honours_the_ignore_list() {
    let dir = seed_copy(&[("zz_acme.txt", EXTRA)]);
    let config = std::fs::read_to_string(dir.path().join("dossier.toml")).unwrap_or_default();
    std::fs::write(
        dir.path().join("dossier.toml"),
        format!("{config}\n[candidates]\nignore = [\"Special Conversation\", \"Alo Baba Transformation\"]\n"),
    )
    .expect("written");
    let run = dossier_in(dir.path(), &["suggest", "zz_acme.txt", "--format", "jsonl"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    let names: Vec<(&str, u64, &str)> = lines
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap_or_default(),
                v["count"].as_u64().unwrap_or_default(),
                v["kind"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Acme Holdings", 2, "organization"),
            ("Tom Okafor", 2, "person"),
            ("Acme", 1, "")
        ]
    );
    assert_eq!(lines[1]["why"], "after the title «Mr»");
    assert_eq!(lines[1]["doc"], "zz_acme.txt");
    assert_eq!(
        (&lines[1]["line"], &lines[1]["character"]),
        (&2.into(), &3.into())
    );
}
