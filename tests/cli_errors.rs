//! Bad input gets one clear sentence on stderr and a non-zero exit, never a backtrace.

mod common;

use std::fs;
use std::path::Path;

use common::{dossier, dossier_in};

const KB: &str = r#"
[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
weak_aliases = ["Ma"]
role = "Founder of Alibaba Group"
country = "China"
"#;

/// A corpus in a temporary folder with the given files.
fn corpus(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, content) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("folders");
        }
        fs::write(path, content).expect("a file");
    }
    dir
}

fn assert_one_clear_line(stderr: &str) {
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
}

#[test]
fn a_missing_path_is_named() {
    let run = dossier(&["annotate", "no/such/place"]);
    assert_eq!(run.code, Some(2));
    assert_one_clear_line(&run.stderr);
    assert_eq!(run.stderr.trim(), "error: no/such/place does not exist");
}

#[test]
fn a_folder_without_dossier_toml_is_explained() {
    let dir = corpus(&[("a.txt", b"Jack Ma")]);
    let run = dossier_in(dir.path(), &["annotate"]);
    assert_eq!(run.code, Some(2));
    assert_one_clear_line(&run.stderr);
    assert!(
        run.stderr
            .contains("no dossier.toml found in . or any folder above it"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let dir = corpus(&[
        ("dossier.toml", b""),
        ("entities.toml", KB.as_bytes()),
        ("good.txt", b"Jack Ma spoke."),
        ("bad.txt", b"Jack Ma\nsaid \xff\xfe there"),
    ]);
    let run = dossier_in(dir.path(), &["annotate", "--format", "jsonl"]);
    assert_eq!(
        run.code,
        Some(1),
        "the good article is still annotated, and the run fails"
    );
    assert_one_clear_line(&run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "error: bad.txt:2:6: bad.txt is not UTF-8 text; save it as UTF-8"
    );
    assert!(run.stdout.contains(r#""doc":"good.txt""#));
}

#[test]
fn check_reports_knowledge_base_errors_with_positions_and_fails() {
    let broken = format!("{KB}\n[[entity]]\nid = \"jack-ma\"\nname = \"Ma Yun\"\nkind = \"persn\"\nrole = \"r\"\ncountry = \"c\"\n");
    let dir = corpus(&[
        ("dossier.toml", b""),
        ("entities.toml", broken.as_bytes()),
        ("a.txt", b"Jack Ma spoke."),
    ]);
    let run = dossier_in(dir.path(), &["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.contains("entities.toml:11:6: error: duplicate id `jack-ma`: already used by the entity at line 3"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("entities.toml:13:8: error: unknown kind `persn`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2 error(s)"), "{}", run.stdout);
}

#[test]
fn check_reports_toml_syntax_errors() {
    let dir = corpus(&[
        ("dossier.toml", b""),
        ("entities.toml", b"[[entity]]\nid = \"a\nname = \"A\"\n"),
        ("a.txt", b"A"),
    ]);
    let run = dossier_in(dir.path(), &["check"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.starts_with("entities.toml:2:"), "{}", run.stdout);
    assert!(run.stdout.contains("error: invalid TOML"), "{}", run.stdout);
}

#[test]
fn annotate_still_works_with_a_broken_entity_and_says_so() {
    let broken = format!("{KB}\n[[entity]]\nid = \"x\"\nkind = \"place\"\n");
    let dir = corpus(&[
        ("dossier.toml", b""),
        ("entities.toml", broken.as_bytes()),
        ("a.txt", b"Jack Ma spoke."),
    ]);
    let run = dossier_in(dir.path(), &["annotate", "--format", "jsonl"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("entities.toml:10:1: error: the entity at line 10 has no `name`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains(r#""entity":"jack-ma""#));
}

#[test]
fn a_missing_knowledge_file_is_reported_at_its_entry_in_dossier_toml() {
    let dir = corpus(&[
        ("dossier.toml", b"knowledge = [\"people.toml\"]\n"),
        ("a.txt", b"Jack Ma"),
    ]);
    let run = dossier_in(dir.path(), &["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("dossier.toml:1:14: error: people.toml does not exist"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_bad_dossier_toml_is_located() {
    let dir = corpus(&[("dossier.toml", b"articles = \"*.txt\"\n")]);
    let run = dossier_in(dir.path(), &["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout.starts_with("dossier.toml:1:12: error:"),
        "{}",
        run.stdout
    );
}

#[test]
fn ambiguous_mentions_are_warnings_in_check_and_null_entities_in_jsonl() {
    let kb = format!("{KB}\n[[entity]]\nid = \"ma-ying-jeou\"\nname = \"Ma Ying-jeou\"\nkind = \"person\"\nweak_aliases = [\"Ma\"]\nrole = \"r\"\ncountry = \"Taiwan\"\n");
    let dir = corpus(&[
        ("dossier.toml", b""),
        ("entities.toml", kb.as_bytes()),
        ("a.txt", "Jack Ma met Ma Ying-jeou. Ma said.".as_bytes()),
    ]);
    let run = dossier_in(dir.path(), &["check"]);
    assert_eq!(run.code, Some(0), "warnings do not fail the check");
    assert!(
        run.stdout.contains(
            "a.txt:1:27: warning: `Ma` is ambiguous: it may be `jack-ma` or `ma-ying-jeou`"
        ),
        "{}",
        run.stdout
    );
    let run = dossier_in(dir.path(), &["annotate", "--format", "jsonl"]);
    let last = run.stdout.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        r#"{"doc":"a.txt","start":26,"end":28,"line":0,"character":26,"text":"Ma","entity":null,"name":null,"kind":null,"candidates":["jack-ma","ma-ying-jeou"]}"#
    );
}

#[test]
fn loose_files_can_be_annotated_with_a_knowledge_base_given_by_hand() {
    let dir = corpus(&[
        ("kb.toml", KB.as_bytes()),
        ("notes/a.md", b"# Jack Ma\nMa spoke."),
    ]);
    let run = dossier_in(
        dir.path(),
        &[
            "annotate",
            "notes/a.md",
            "--knowledge",
            "kb.toml",
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 2);
    assert!(
        run.stdout
            .starts_with(r#"{"doc":"notes/a.md","start":2,"end":9"#),
        "{}",
        run.stdout
    );
    let run = dossier_in(dir.path(), &["annotate", "notes/a.md"]);
    assert_eq!(
        run.code,
        Some(2),
        "without --knowledge there is no knowledge base"
    );
    assert!(
        run.stderr.contains("no dossier.toml found in notes/a.md"),
        "{}",
        run.stderr
    );
    assert!(Path::new(&dir.path().join("kb.toml")).exists());
}

#[test]
fn check_reports_a_symlink_loop_and_checks_the_rest() {
    let dir = corpus(&[
        ("dossier.toml", b""),
        ("entities.toml", KB.as_bytes()),
        ("good.txt", b"Jack Ma spoke."),
    ]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("a symlink");
    let run = dossier_in(dir.path(), &["check"]);
    // Before, the loop stopped the whole check (status 2, nothing checked).
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("error: cannot read ./loop: File system loop found"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("1 error(s), 0 warning(s)"),
        "good.txt is still checked: {}",
        run.stdout
    );
}

#[test]
fn annotate_reports_a_symlink_loop_and_annotates_the_rest() {
    let dir = corpus(&[
        ("dossier.toml", b""),
        ("entities.toml", KB.as_bytes()),
        ("good.txt", b"Jack Ma spoke."),
    ]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("a symlink");
    for args in [vec!["annotate"], vec!["annotate", "."]] {
        let run = dossier_in(dir.path(), &args);
        // Before, the loop stopped the whole run (status 2, nothing annotated).
        assert_eq!(run.code, Some(1), "{args:?}: {}{}", run.stdout, run.stderr);
        assert_one_clear_line(&run.stderr);
        assert!(
            run.stderr.contains("loop: File system loop found"),
            "{}",
            run.stderr
        );
        assert!(
            run.stdout.contains("jack-ma"),
            "good.txt is annotated: {}",
            run.stdout
        );
    }
}
