//! Every edit is applied to a text and the result re-loaded: no problem, and the intended
//! knowledge base.

use proptest::prelude::*;

use super::*;
use crate::kb::{AnchorAction, Entity};
use crate::problem::Problem;

const KB: &str = r#"# People and companies of the seed articles.

[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
aliases = ["Jack Ma Yun", "Ma Yun"]
weak_aliases = ["Ma"]
role = "Founder of Alibaba Group"
country = "China"

[[entity]]
id = "alibaba-group"
name = "Alibaba Group"   # the holding
kind = "organization"
role = "Chinese technology company"
country = "China"
"#;

fn load(text: &str) -> (KnowledgeBase, Vec<Problem>) {
    KnowledgeBase::load([("kb.toml", text)])
}

/// Loads `text`, which must have no problem.
fn sound(text: &str) -> KnowledgeBase {
    let (kb, problems) = load(text);
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems, Vec::<String>::new(), "in:\n{text}");
    kb
}

fn apply(edit: &TextEdit, text: &str) -> String {
    match edit.apply(text) {
        Some(new) => new,
        None => panic!("{edit:?} does not fit the text"),
    }
}

fn entity<'a>(kb: &'a KnowledgeBase, id: &str) -> &'a Entity {
    match kb.by_slug(id) {
        Some(id) => kb.entity(id),
        None => panic!("no entity `{id}`"),
    }
}

fn id(kb: &KnowledgeBase, slug: &str) -> EntityId {
    kb.by_slug(slug).unwrap_or(EntityId(u32::MAX))
}

/// Adds an alias to entity `slug` of `text` and returns the new text, checked sound.
fn with_alias(text: &str, slug: &str, alias: &str, weak: bool) -> String {
    let kb = sound(text);
    let Some(edit) = add_alias(&kb, id(&kb, slug), alias, weak) else {
        panic!("no edit adding {alias:?} to {slug}");
    };
    let new = apply(&edit, text);
    sound(&new);
    new
}

fn new_entity(id: &str, name: &str) -> NewEntity {
    NewEntity {
        id: id.into(),
        name: name.into(),
        kind: Kind::Person,
        role: "Finance Secretary of the Philippines".into(),
        country: "Philippines".into(),
        aliases: Vec::new(),
        weak_aliases: Vec::new(),
    }
}

#[test]
fn unique_ids_count_up_when_taken() {
    let kb = sound(KB);
    assert_eq!(unique_id(&kb, "Carlos Dominguez"), "carlos-dominguez");
    assert_eq!(unique_id(&kb, "Jack Ma"), "jack-ma-2");
    let text = apply(
        &append_entity(KB, &new_entity("jack-ma-2", "Jack Ma II")),
        KB,
    );
    assert_eq!(unique_id(&sound(&text), "Jack  Ma"), "jack-ma-3");
    assert_eq!(unique_id(&kb, "马云"), "entity");
}

#[test]
fn a_new_entity_is_appended_after_one_blank_line() {
    let edit = append_entity(KB, &new_entity("carlos-dominguez", "Carlos Dominguez"));
    let text = apply(&edit, KB);
    assert!(text.starts_with(KB), "nothing before is touched");
    assert_eq!(
        &text[KB.len()..],
        "\n[[entity]]\nid = \"carlos-dominguez\"\nname = \"Carlos Dominguez\"\nkind = \"person\"\nrole = \"Finance Secretary of the Philippines\"\ncountry = \"Philippines\"\n"
    );
    let kb = sound(&text);
    let carlos = entity(&kb, "carlos-dominguez");
    assert_eq!(carlos.name, "Carlos Dominguez");
    assert_eq!(carlos.kind, Kind::Person);
    assert_eq!(carlos.country, "Philippines");
    assert_eq!(kb.len(), 3);
}

#[test]
fn appending_fixes_up_the_end_of_the_file() {
    let table = "[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"person\"\nrole = \"Finance Secretary of the Philippines\"\ncountry = \"Philippines\"\n";
    for (before, expected) in [
        ("", table.to_owned()),
        ("\n\n  \n", table.to_owned()),
        ("# people", format!("# people\n\n{table}")),
        ("# people\n", format!("# people\n\n{table}")),
        ("# people\n\n\n\n", format!("# people\n\n{table}")),
    ] {
        let text = apply(&append_entity(before, &new_entity("a", "A")), before);
        assert_eq!(text, expected, "after {before:?}");
        sound(&text);
    }
}

#[test]
fn aliases_of_a_new_entity_are_written_as_lists_after_its_fields() {
    let mut carlos = new_entity("carlos-dominguez", "Carlos Dominguez");
    carlos.aliases = vec!["Carlos G. Dominguez III".into(), " ".into()];
    carlos.weak_aliases = vec!["Dominguez".into(), "Sonny \"D\"".into()];
    let text = apply(&append_entity(KB, &carlos), KB);
    assert!(text.ends_with(
        "country = \"Philippines\"\naliases = [\"Carlos G. Dominguez III\"]\nweak_aliases = [\"Dominguez\", 'Sonny \"D\"']\n"
    ), "{text}");
    let kb = sound(&text);
    let carlos = entity(&kb, "carlos-dominguez");
    assert_eq!(carlos.aliases, ["Carlos G. Dominguez III"]);
    assert_eq!(carlos.weak_aliases, ["Dominguez", "Sonny \"D\""]);
}

#[test]
fn clashes_name_what_the_loader_would_reject() {
    let kb = sound(KB);
    let jack = id(&kb, "jack-ma");
    let fresh = new_entity("carlos-dominguez", "Carlos Dominguez");
    assert_eq!(clashes(&kb, &fresh), Vec::new());

    let mut taken_id = fresh.clone();
    taken_id.id = "jack-ma".into();
    assert_eq!(clashes(&kb, &taken_id), vec![Clash::Id { owner: jack }]);

    let mut taken_alias = fresh.clone();
    taken_alias.aliases = vec!["Ma  Yun".into()];
    assert_eq!(
        clashes(&kb, &taken_alias),
        vec![Clash::StrongForm {
            form: "Ma  Yun".into(),
            owner: jack
        }],
        "forms are compared folded"
    );

    let mut shares_a_weak_alias = fresh;
    shares_a_weak_alias.weak_aliases = vec!["Ma".into()];
    assert_eq!(
        clashes(&kb, &shares_a_weak_alias),
        Vec::new(),
        "a weak alias is no one's own: two entities may share it"
    );
    sound(&apply(&append_entity(KB, &shares_a_weak_alias), KB));
}

#[test]
fn empty_role_and_country_are_left_for_check_to_ask_for() {
    let mut place = new_entity("manila", "Manila");
    place.kind = Kind::Place;
    place.role = String::new();
    place.country = " ".into();
    let text = apply(&append_entity("", &place), "");
    assert_eq!(
        text,
        "[[entity]]\nid = \"manila\"\nname = \"Manila\"\nkind = \"place\"\n"
    );
    let (kb, problems) = load(&text);
    assert_eq!(kb.len(), 1);
    assert_eq!(
        problems.len(),
        2,
        "role and country are asked for: {problems:?}"
    );
}

#[test]
fn crlf_files_stay_crlf() {
    let crlf = KB.replace('\n', "\r\n");
    let text = apply(&append_entity(&crlf, &new_entity("a", "A")), &crlf);
    assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
    sound(&text);
    let text = with_alias(&crlf, "alibaba-group", "Alibaba", false);
    assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
    assert_eq!(entity(&sound(&text), "alibaba-group").aliases, ["Alibaba"]);
}

#[test]
fn names_with_quotes_backslashes_and_line_breaks_stay_valid_toml() {
    for name in [
        "Dalian Wanda Group Co.'s",
        "The \"Iron Lady\"",
        "C:\\Users",
        "two\nlines",
        "'''",
        "\"\"\"",
        "Malacañang 马云 😀",
        "tab\there\u{7f}\u{1}",
        "carriage\r\nreturn\r",
        "\u{0}",
    ] {
        let text = apply(&append_entity(KB, &new_entity("x", name)), KB);
        assert_eq!(
            entity(&sound(&text), "x").name,
            name.trim(),
            "names are trimmed"
        );
    }
}

#[test]
fn an_alias_joins_an_existing_list() {
    let text = with_alias(KB, "jack-ma", "Ma Yun's", false);
    assert!(text.contains("aliases = [\"Jack Ma Yun\", \"Ma Yun\", \"Ma Yun's\"]\n"));
    assert_eq!(
        entity(&sound(&text), "jack-ma").aliases,
        ["Jack Ma Yun", "Ma Yun", "Ma Yun's"]
    );
    let text = with_alias(KB, "jack-ma", "Jack", true);
    assert!(text.contains("weak_aliases = [\"Ma\", \"Jack\"]\n"));
    assert_eq!(
        entity(&sound(&text), "jack-ma").weak_aliases,
        ["Ma", "Jack"]
    );
}

#[test]
fn an_alias_fills_an_empty_list() {
    for empty in ["[]", "[ ]", "[\n]", "[ # none yet\n]"] {
        let kb_text = KB.replace("[\"Jack Ma Yun\", \"Ma Yun\"]", empty);
        let text = with_alias(&kb_text, "jack-ma", "Ma Yun", false);
        assert_eq!(
            entity(&sound(&text), "jack-ma").aliases,
            ["Ma Yun"],
            "{empty}"
        );
    }
    let text = with_alias(
        &KB.replace("[\"Jack Ma Yun\", \"Ma Yun\"]", "[]"),
        "jack-ma",
        "Ma Yun",
        false,
    );
    assert!(text.contains("aliases = [\"Ma Yun\"]\n"), "{text}");
}

#[test]
fn a_list_written_one_per_line_gets_a_line_of_its_own() {
    let kb_text = KB.replace(
        "aliases = [\"Jack Ma Yun\", \"Ma Yun\"]",
        "aliases = [\n    \"Jack Ma Yun\",\n    \"Ma Yun\", # Chinese order\n]",
    );
    let text = with_alias(&kb_text, "jack-ma", "Mr Ma", false);
    assert!(
        text.contains(
            "aliases = [\n    \"Jack Ma Yun\",\n    \"Ma Yun\", # Chinese order\n    \"Mr Ma\",\n]"
        ),
        "{text}"
    );
    assert_eq!(
        entity(&sound(&text), "jack-ma").aliases,
        ["Jack Ma Yun", "Ma Yun", "Mr Ma"]
    );
}

#[test]
fn other_multi_line_lists_get_the_alias_after_their_last_entry() {
    for list in [
        "[\n  \"Jack Ma Yun\",\n  \"Ma Yun\"\n]",
        "[\n  \"Jack Ma Yun\",\n  \"Ma Yun\" # comment, with a comma\n  ,\n]",
        "[\"Jack Ma Yun\",\n \"Ma Yun\",]",
        "[\"Jack Ma Yun\", \"Ma Yun\",\n]",
    ] {
        let kb_text = KB.replace("[\"Jack Ma Yun\", \"Ma Yun\"]", list);
        let text = with_alias(&kb_text, "jack-ma", "Mr Ma", false);
        assert_eq!(
            entity(&sound(&text), "jack-ma").aliases,
            ["Jack Ma Yun", "Ma Yun", "Mr Ma"],
            "{list}"
        );
    }
}

#[test]
fn without_a_list_a_line_follows_the_name() {
    let text = with_alias(KB, "alibaba-group", "Alibaba", false);
    assert!(
        text.contains("name = \"Alibaba Group\"   # the holding\naliases = [\"Alibaba\"]\nkind"),
        "{text}"
    );
    let text = with_alias(&text, "alibaba-group", "Ali", true);
    assert!(
        text.contains("aliases = [\"Alibaba\"]\nweak_aliases = [\"Ali\"]\nkind"),
        "weak aliases go after the aliases: {text}"
    );
    let kb = sound(&text);
    assert_eq!(entity(&kb, "alibaba-group").aliases, ["Alibaba"]);
    assert_eq!(entity(&kb, "alibaba-group").weak_aliases, ["Ali"]);
}

#[test]
fn the_new_line_keeps_the_indentation_and_works_at_the_end_of_the_file() {
    let text = "[[entity]]\n  id = \"a\"\n  kind = \"place\"\n  role = \"r\"\n  country = \"c\"\n  name = \"\"\"A\nB\"\"\"";
    let new = with_alias(text, "a", "AB", false);
    assert!(new.ends_with("B\"\"\"\n  aliases = [\"AB\"]\n"), "{new}");
    assert_eq!(entity(&sound(&new), "a").aliases, ["AB"]);
}

#[test]
fn inline_tables_get_the_key_inline() {
    let text = "entity = [{ id = \"a\", name = \"A\", kind = \"place\", role = \"r\", country = \"c\" }]\n";
    let new = with_alias(text, "a", "Ay", false);
    let new = with_alias(&new, "a", "Aye", false);
    let new = with_alias(&new, "a", "Eh", true);
    let kb = sound(&new);
    assert_eq!(entity(&kb, "a").aliases, ["Ay", "Aye"]);
    assert_eq!(entity(&kb, "a").weak_aliases, ["Eh"]);
}

#[test]
fn an_alias_goes_to_the_file_its_entity_is_in() {
    let second =
        "[[entity]]\nid = \"b\"\nname = \"B\"\nkind = \"place\"\nrole = \"r\"\ncountry = \"c\"\n";
    let (kb, problems) = KnowledgeBase::load([("a.toml", KB), ("b.toml", second)]);
    assert!(problems.is_empty(), "{problems:?}");
    let b = id(&kb, "b");
    assert_eq!(
        kb.source_of(b).map(|s| s.path.as_path()),
        Some(std::path::Path::new("b.toml"))
    );
    let edit = add_alias(&kb, b, "Bee", false);
    let new = edit.and_then(|e| e.apply(second)).unwrap_or_default();
    assert_eq!(entity(&sound(&new), "b").aliases, ["Bee"]);
}

#[test]
fn nothing_to_do_gives_no_edit() {
    let kb = sound(KB);
    let ma = id(&kb, "jack-ma");
    let ali = id(&kb, "alibaba-group");
    assert_eq!(
        add_alias(&kb, ma, "Ma Yun", false),
        None,
        "already an alias"
    );
    assert_eq!(
        add_alias(&kb, ma, "Ma\u{a0}Yun", false),
        None,
        "folds to an alias"
    );
    assert_eq!(
        add_alias(&kb, ma, "Jack Ma", true),
        None,
        "a strong form already"
    );
    assert_eq!(add_alias(&kb, ma, "Ma", true), None, "already a weak alias");
    assert_eq!(
        add_alias(&kb, ali, "Jack Ma", false),
        None,
        "another entity's name"
    );
    assert_eq!(
        add_alias(&kb, ali, "Jack Ma Yun", true),
        None,
        "no effect as weak"
    );
    assert_eq!(add_alias(&kb, ma, "  ", false), None);
    assert_eq!(add_alias(&kb, EntityId(99), "X", false), None);
    let loose = KnowledgeBase::from_entities(kb.entities().to_vec());
    assert_eq!(add_alias(&loose, ma, "X", false), None, "no file to edit");
    let (kb, _) = load(&KB.replace(
        "aliases = [\"Jack Ma Yun\", \"Ma Yun\"]",
        "aliases = \"Ma Yun\"",
    ));
    assert_eq!(
        add_alias(&kb, id(&kb, "jack-ma"), "X", false),
        None,
        "not a list"
    );
}

#[test]
fn a_shared_weak_alias_and_a_promoted_weak_alias_are_fine() {
    let text = with_alias(KB, "alibaba-group", "Ma", true);
    assert_eq!(entity(&sound(&text), "alibaba-group").weak_aliases, ["Ma"]);
    let kb = sound(KB);
    let edit = add_alias(&kb, id(&kb, "jack-ma"), "Ma", false);
    let text = edit.and_then(|e| e.apply(KB)).unwrap_or_default();
    let (kb, problems) = load(&text);
    assert_eq!(
        entity(&kb, "jack-ma").aliases,
        ["Jack Ma Yun", "Ma Yun", "Ma"]
    );
    assert_eq!(
        problems.len(),
        1,
        "the weak `Ma` is now redundant: {problems:?}"
    );
}

fn anchor() -> Anchor {
    Anchor {
        article: "news/000_3f504db1f4b0c96a.txt".into(),
        text: "Ma".into(),
        before: "Alibaba's".into(),
        after: "to partner Philippines'".into(),
    }
}

#[test]
fn untag_appends_a_table_that_loads_as_the_same_anchor() {
    let edit = untag(KB, &anchor());
    let text = apply(&edit, KB);
    assert_eq!(
        &text[KB.len()..],
        "\n[[untag]]\narticle = \"news/000_3f504db1f4b0c96a.txt\"\ntext = \"Ma\"\nbefore = \"Alibaba's\"\nafter = \"to partner Philippines'\"\n"
    );
    let kb = sound(&text);
    assert_eq!(kb.anchors().len(), 1);
    let rule = &kb.anchors()[0];
    assert_eq!(rule.anchor, anchor());
    assert_eq!(rule.action, AnchorAction::Untag);
    assert_eq!(&text[rule.origin.header.clone()], "[[untag]]");
}

#[test]
fn assign_appends_a_table_naming_the_entity() {
    let mut anchor = anchor();
    anchor.before = String::new();
    anchor.text = "Ma \"the teacher\"\\".into();
    let text = apply(&assign(KB, &anchor, "jack-ma"), KB);
    let kb = sound(&text);
    let rule = &kb.anchors()[0];
    assert_eq!(rule.anchor, anchor);
    assert_eq!(rule.action, AnchorAction::Assign(id(&kb, "jack-ma")));
    // And an entity appended after it is still an entity.
    let more = apply(&append_entity(&text, &new_entity("b", "B")), &text);
    let kb = sound(&more);
    assert_eq!(kb.len(), 3);
    assert_eq!(kb.anchors().len(), 1);
}

#[test]
fn edits_that_do_not_fit_are_refused() {
    let edit = TextEdit {
        range: 3..100,
        new_text: "x".into(),
    };
    assert_eq!(edit.apply("abc"), None);
    let edit = TextEdit {
        range: 1..2,
        new_text: "x".into(),
    };
    assert_eq!(edit.apply("马"), None, "not on a character boundary");
    assert_eq!(edit.apply("abc").as_deref(), Some("axc"));
}

proptest! {
    /// Whatever a name or an alias holds, the table or list it is written into loads back as
    /// it, with no problem.
    #[test]
    fn any_name_and_alias_round_trip(
        name in any::<String>(),
        alias in any::<String>(),
        second in "\\PC{1,12}",
        weak in any::<bool>(),
        list in 0usize..3,
    ) {
        prop_assume!(!fold(&name).is_empty() && !fold(&alias).is_empty());
        prop_assume!(fold(&alias) != fold(&name) && fold(&second) != fold(&name));
        prop_assume!(!fold(&second).is_empty() && fold(&second) != fold(&alias));
        prop_assume!(![&name, &alias].iter().any(|s| fold(s) == "Seed"));
        // The alias joins a list that is absent, empty or holds another entry.
        let existing = match list {
            0 => String::new(),
            1 => format!("{} = []\n", if weak { "weak_aliases" } else { "aliases" }),
            _ => format!(
                "{} = [\n  {},\n]\n",
                if weak { "weak_aliases" } else { "aliases" },
                toml::Value::String(second.clone())
            ),
        };
        let start = format!("# kb\n\n[[entity]]\nid = \"seed\"\nname = \"Seed\"\nkind = \"place\"\n{existing}role = \"r\"\ncountry = \"c\"\n");
        let (kb, problems) = load(&start);
        prop_assume!(problems.is_empty()); // `second` may clash with `Seed`
        let text = apply(&append_entity(&start, &new_entity(&unique_id(&kb, &name), &name)), &start);
        let (kb, problems) = load(&text);
        prop_assert!(problems.is_empty(), "{:?}", problems);
        let (new_id, e) = kb.iter().last().ok_or_else(|| TestCaseError::fail("no entity"))?;
        prop_assert_eq!(e.name.as_str(), name.trim());

        let seed = id(&kb, "seed");
        for (target, expect_prefix) in [(new_id, 0usize), (seed, usize::from(list == 2))] {
            let (kb, _) = load(&text);
            let edit = add_alias(&kb, target, &alias, weak);
            prop_assert!(edit.is_some());
            let edited = edit.and_then(|e| e.apply(&text)).unwrap_or_default();
            let (kb, problems) = load(&edited);
            prop_assert!(problems.is_empty(), "{:?}\n{}", problems, edited);
            let e = kb.entity(target);
            let forms = if weak { &e.weak_aliases } else { &e.aliases };
            prop_assert_eq!(forms.len(), expect_prefix + 1);
            prop_assert_eq!(forms.last().map(String::as_str), Some(alias.trim()));
        }
    }
}
