//! `dossier annotate` on the seed corpus, run as a user runs it, asserting concrete mentions.

mod common;

use serde_json::Value;

use common::{dossier, dossier_in, repo};

const D000: &str = "seeds/000_3f504db1f4b0c96a.txt";
const D001: &str = "seeds/001_85a5e73d3e219214.txt";
const D002: &str = "seeds/002_0d1f260802f0c6c7.txt";
const D003: &str = "seeds/003_256a5f10da2000d7.txt";
const D004: &str = "seeds/004_ac904a43fe2c1a0f.txt";

/// Every JSONL record of the seed corpus.
fn records() -> Vec<Value> {
    let run = dossier(&["annotate", "seeds", "--format", "jsonl"]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is a JSON object"))
        .collect()
}

fn in_doc<'a>(records: &'a [Value], doc: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["doc"] == doc).collect()
}

fn chars(doc: &str) -> Vec<char> {
    std::fs::read_to_string(repo().join(doc))
        .expect("seed article")
        .chars()
        .collect()
}

/// Code-point offsets of every occurrence of `needle` in `doc`.
fn occurrences(doc: &str, needle: &str) -> Vec<usize> {
    let text = chars(doc);
    let needle: Vec<char> = needle.chars().collect();
    (0..text.len().saturating_sub(needle.len() - 1))
        .filter(|&i| text[i..i + needle.len()] == needle[..])
        .collect()
}

fn at(records: &[&Value], start: usize) -> Option<Value> {
    records
        .iter()
        .find(|r| r["start"] == start)
        .map(|r| (*r).clone())
}

#[test]
fn every_record_has_the_designed_fields_in_order() {
    let run = dossier(&["annotate", "seeds", "--format", "jsonl"]);
    let first = run.stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        r#"{"doc":"seeds/000_3f504db1f4b0c96a.txt","start":0,"end":7,"line":0,"character":0,"text":"Alibaba","entity":"alibaba-group","name":"Alibaba Group","kind":"organization"}"#
    );
}

#[test]
fn offsets_slice_each_file_to_the_reported_text() {
    let records = records();
    assert!(records.len() > 200, "the seeds have hundreds of mentions");
    for doc in [D000, D001, D002, D003, D004] {
        let text = chars(doc);
        let lines: Vec<Vec<char>> = std::fs::read_to_string(repo().join(doc))
            .unwrap_or_default()
            .split('\n')
            .map(|l| l.chars().collect())
            .collect();
        let mine = in_doc(&records, doc);
        assert!(!mine.is_empty(), "{doc} has mentions");
        for r in mine {
            let (start, end) = (
                r["start"].as_u64().unwrap_or(0) as usize,
                r["end"].as_u64().unwrap_or(0) as usize,
            );
            let slice: String = text[start..end].iter().collect();
            assert_eq!(r["text"], slice.as_str(), "{r}");
            let (line, character) = (
                r["line"].as_u64().unwrap_or(0) as usize,
                r["character"].as_u64().unwrap_or(0) as usize,
            );
            let from_line: String = lines[line]
                [character..character + (end - start).min(lines[line].len() - character)]
                .iter()
                .collect();
            assert!(
                slice.starts_with(&from_line),
                "{r}: line/character point elsewhere"
            );
        }
    }
}

#[test]
fn kl_in_003_is_kuala_lumpur() {
    let records = records();
    let doc = in_doc(&records, D003);
    let kls: Vec<&&Value> = doc.iter().filter(|r| r["text"] == "KL").collect();
    let standalone = occurrences(D003, "KL").len() - occurrences(D003, "DBKL").len();
    assert_eq!(
        kls.len(),
        standalone,
        "every KL but the one inside DBKL is found"
    );
    assert_eq!(kls.len(), 4);
    assert!(kls.iter().all(|r| r["entity"] == "kuala-lumpur"));
}

#[test]
fn the_dateline_in_capitals_is_kuala_lumpur() {
    let records = records();
    for doc in [D003, D004] {
        let start = occurrences(doc, "KUALA LUMPUR:")[0];
        let found = at(&in_doc(&records, doc), start).expect("the dateline is a mention");
        assert_eq!(found["text"], "KUALA LUMPUR");
        assert_eq!(found["entity"], "kuala-lumpur");
    }
}

#[test]
fn ma_in_002_is_jack_ma_but_nothing_inside_macau_is() {
    let records = records();
    let doc = in_doc(&records, D002);
    let mas: Vec<&&Value> = doc.iter().filter(|r| r["text"] == "Ma").collect();
    assert_eq!(mas.len(), 4, "002 says Ma on its own four times");
    assert!(mas.iter().all(|r| r["entity"] == "jack-ma"));
    for macau in occurrences(D002, "Macau") {
        let inside: Vec<&&Value> = doc
            .iter()
            .filter(|r| {
                let start = r["start"].as_u64().unwrap_or(0) as usize;
                start >= macau && start < macau + "Macau".len()
            })
            .collect();
        assert_eq!(inside.len(), 1);
        assert_eq!(inside[0]["text"], "Macau");
        assert_eq!(inside[0]["entity"], "macau");
    }
}

#[test]
fn alibabas_with_a_curly_apostrophe_in_002_yields_alibaba() {
    let records = records();
    let doc = in_doc(&records, D002);
    let possessives = occurrences(D002, "Alibaba’s");
    assert!(!possessives.is_empty());
    for start in possessives {
        let found = at(&doc, start).expect("Alibaba’s is a mention");
        assert_eq!(found["text"], "Alibaba");
        assert_eq!(found["end"], start + "Alibaba".len());
        assert_eq!(found["entity"], "alibaba-group");
    }
}

#[test]
fn possessives_with_straight_apostrophes_in_000_are_left_out() {
    let records = records();
    let doc = in_doc(&records, D000);
    let headline = ["Alibaba", "Philippines"].map(|name| {
        let start = occurrences(D000, &format!("{name}'"))[0];
        at(&doc, start).map(|r| r["text"].clone())
    });
    assert_eq!(
        headline,
        [Some("Alibaba".into()), Some("Philippines".into())]
    );
}

#[test]
fn jack_ma_between_no_break_spaces_in_000_is_found() {
    let records = records();
    let start = occurrences(D000, "\u{a0}Jack Ma\u{a0}")[0] + 1;
    let found =
        at(&in_doc(&records, D000), start).expect("the no-break-space Jack Ma is a mention");
    assert_eq!(found["text"], "Jack Ma");
    assert_eq!(found["entity"], "jack-ma");
}

#[test]
fn the_headline_ma_of_000_counts_before_the_body_names_jack_ma() {
    let records = records();
    let found = at(&in_doc(&records, D000), 10).expect("Ma in the headline");
    assert_eq!(found["text"], "Ma");
    assert_eq!(found["entity"], "jack-ma");
}

#[test]
fn carlos_dominguez_3rd_and_dominguez_are_one_person() {
    let records = records();
    let doc = in_doc(&records, D001);
    let full = doc
        .iter()
        .find(|r| r["text"] == "Carlos Dominguez 3rd")
        .expect("the full name with its suffix is one mention");
    assert_eq!(full["entity"], "carlos-dominguez");
    let short: Vec<&&Value> = doc.iter().filter(|r| r["text"] == "Dominguez").collect();
    assert!(short.len() >= 5);
    assert!(short.iter().all(|r| r["entity"] == "carlos-dominguez"));
}

#[test]
fn longer_names_win_over_the_names_inside_them() {
    let records = records();
    let doc = in_doc(&records, D003);
    for (text, entity) in [
        ("Alibaba Malaysia", "alibaba-malaysia"),
        ("Kuala Lumpur City Hall", "kuala-lumpur-city-hall"),
        ("Free Malaysia Today", "free-malaysia-today"),
    ] {
        assert!(
            doc.iter()
                .any(|r| r["text"] == text && r["entity"] == entity),
            "{text}"
        );
    }
    assert!(!doc
        .iter()
        .any(|r| r["text"] == "Malaysia"
            && r["start"] == occurrences(D003, "Alibaba Malaysia")[0] + 8));
}

#[test]
fn the_table_lists_mentions_per_article_with_one_based_positions() {
    let run = dossier(&["annotate", D003]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("seeds/003_256a5f10da2000d7.txt  Jack Ma opens first Alibaba office in Southeast Asia in KL")
    );
    let header = lines.next().unwrap_or_default();
    assert!(header
        .split_whitespace()
        .eq(["LINE:COL", "TEXT", "ENTITY", "KIND", "NOTE"]));
    let first = lines.next().unwrap_or_default();
    assert!(
        first
            .split_whitespace()
            .eq(["1:1", "Jack", "Ma", "jack-ma", "person"]),
        "{first}"
    );
    assert!(run.stdout.contains("title: Finance Minister"));
    assert!(run.stdout.contains("weak alias"));
}

#[test]
fn without_a_path_the_corpus_around_the_current_directory_is_annotated() {
    let run = dossier_in(&repo().join("seeds"), &["annotate", "--format", "jsonl"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let first: Value =
        serde_json::from_str(run.stdout.lines().next().unwrap_or("{}")).unwrap_or_default();
    assert_eq!(first["doc"], "000_3f504db1f4b0c96a.txt");
    let docs: std::collections::BTreeSet<String> = run
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|r| r["doc"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(docs.len(), 5);
}

#[test]
fn entities_are_listed_most_mentioned_first() {
    let run = dossier(&["entities", "seeds", "--format", "jsonl"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let rows: Vec<Value> = run
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(rows[0]["entity"], "jack-ma");
    assert_eq!(rows[0]["articles"], 5);
    let counts: Vec<u64> = rows.iter().filter_map(|r| r["mentions"].as_u64()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    let total: u64 = counts.iter().sum();
    assert_eq!(
        total as usize,
        records().iter().filter(|r| !r["entity"].is_null()).count()
    );
}

#[test]
fn the_seed_corpus_checks_clean() {
    let run = dossier(&["check", "seeds"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert!(
        run.stdout.starts_with("0 error(s), 0 warning(s)"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_seed_entity_has_a_role_and_a_country_and_is_mentioned() {
    let run = dossier(&["entities", "seeds", "--format", "jsonl"]);
    for line in run.stdout.lines() {
        let row: Value = serde_json::from_str(line).unwrap_or_default();
        assert!(!row["role"].as_str().unwrap_or("").is_empty(), "{row}");
        assert!(!row["country"].as_str().unwrap_or("").is_empty(), "{row}");
        assert!(
            row["mentions"].as_u64().unwrap_or(0) > 0,
            "{row} is in no seed article"
        );
    }
}
