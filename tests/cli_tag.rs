//! `dossier tag` edits the knowledge base as a person would: one table appended, everything
//! else byte for byte as it was, and nothing written when it refuses.

mod common;

use std::fs;

use common::{dossier_in, seed_copy};

fn kb_of(dir: &tempfile::TempDir) -> String {
    fs::read_to_string(dir.path().join("entities.toml")).expect("entities.toml")
}

#[test]
fn a_new_entity_is_appended_and_then_recognised_in_every_article() {
    let dir = seed_copy(&[("new.txt", "Pony Ma met Jack Ma. Pony Ma left.\n")]);
    let before = kb_of(&dir);
    let run = dossier_in(
        dir.path(),
        &[
            "tag",
            "Pony Ma",
            "--kind",
            "person",
            "--role",
            "Founder of Tencent",
            "--country",
            "China",
            "--alias",
            "Ma Huateng",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("added `pony-ma` (person) to entities.toml:"),
        "{}",
        run.stdout
    );
    let after = kb_of(&dir);
    assert!(
        after.starts_with(before.trim_end()),
        "the file before is kept"
    );
    assert!(
        after.ends_with(
            "[[entity]]\nid = \"pony-ma\"\nname = \"Pony Ma\"\nkind = \"person\"\nrole = \"Founder of Tencent\"\ncountry = \"China\"\naliases = [\"Ma Huateng\"]\n"
        ),
        "{after}"
    );
    let annotated = dossier_in(dir.path(), &["annotate", "new.txt", "--format", "jsonl"]);
    assert_eq!(annotated.code, Some(0), "{}", annotated.stderr);
    let pony = annotated
        .stdout
        .lines()
        .filter(|l| l.contains("\"pony-ma\""))
        .count();
    assert_eq!(pony, 2, "{}", annotated.stdout);
    let check = dossier_in(dir.path(), &["check"]);
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
}

#[test]
fn refusals_point_at_the_entity_in_the_way_and_write_nothing() {
    let dir = seed_copy(&[]);
    let before = kb_of(&dir);
    for (args, expected) in [
        (
            vec!["tag", "Jack Ma", "--kind", "person"],
            "error: the id `jack-ma` is taken by Jack Ma (entities.toml:",
        ),
        (
            vec!["tag", "Jack", "--kind", "person", "--id", "jack-ma"],
            "error: the id `jack-ma` is taken by Jack Ma (entities.toml:",
        ),
        (
            vec!["tag", "Ma Yun II", "--kind", "person", "--alias", "Ma Yun"],
            "error: «Ma Yun» already names Jack Ma (entities.toml:",
        ),
        (
            vec!["tag", "X", "--kind", "robot"],
            "error: invalid value 'robot' for '--kind <KIND>': unknown kind `robot`",
        ),
        (
            vec!["tag", "X", "--kind", "person", "--file", "other.toml"],
            "error: other.toml is not a knowledge-base file of this corpus",
        ),
        (
            vec!["tag", "  ", "--kind", "person"],
            "error: the name is empty",
        ),
    ] {
        let run = dossier_in(dir.path(), &args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with(expected), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert_eq!(kb_of(&dir), before, "{args:?} wrote nothing");
    }
}

#[test]
fn a_knowledge_base_that_does_not_parse_is_left_alone() {
    let dir = seed_copy(&[]);
    let broken = format!("{}\n[[entity]\nid = \"x\"\n", kb_of(&dir));
    fs::write(dir.path().join("entities.toml"), &broken).expect("written");
    let run = dossier_in(dir.path(), &["tag", "Pony Ma", "--kind", "person"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: entities.toml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("nothing was written: fix the file first"),
        "{}",
        run.stderr
    );
    assert_eq!(kb_of(&dir), broken);
}

#[test]
fn a_knowledge_base_file_not_written_yet_is_made() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    fs::write(
        dir.path().join("dossier.toml"),
        "knowledge = [\"kb/people.toml\"]\n",
    )
    .expect("written");
    fs::create_dir(dir.path().join("kb")).expect("a folder");
    let run = dossier_in(
        dir.path(),
        &["tag", "Pony Ma", "--kind", "person", "--weak-alias", "Ma"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join("kb/people.toml")).ok().as_deref(),
        Some("[[entity]]\nid = \"pony-ma\"\nname = \"Pony Ma\"\nkind = \"person\"\nweak_aliases = [\"Ma\"]\n")
    );
    assert!(
        run.stderr.contains("has no `role`"),
        "the warnings of the new table are shown: {}",
        run.stderr
    );
}
