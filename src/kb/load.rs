//! Reading knowledge-base TOML with every value's position, and checking it.
//!
//! The TOML is parsed into a spanned tree (not straight into structs) so that one pass can
//! report every problem of a file at its exact key or value, instead of stopping at the first.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{Entity, EntityId, Kind, KnowledgeBase, Origin, Source};
use crate::problem::{Problem, Severity};
use crate::text::{fold, LineIndex};

/// The keys an `[[entity]]` table may have.
const FIELDS: [&str; 9] = [
    "id",
    "name",
    "kind",
    "aliases",
    "weak_aliases",
    "role",
    "country",
    "description",
    "wikidata",
];

/// Where a strong surface form was first claimed, to name the other party in a conflict.
struct Claim {
    entity: EntityId,
    line: usize,
}

pub(super) fn load(
    files: impl Iterator<Item = (PathBuf, Arc<str>)>,
) -> (KnowledgeBase, Vec<Problem>) {
    let mut kb = KnowledgeBase::default();
    let mut problems = Vec::new();
    let mut strong_claims: HashMap<String, Claim> = HashMap::new();
    let mut id_lines: HashMap<String, (PathBuf, usize)> = HashMap::new();
    let mut pending_weak: Vec<(EntityId, usize, Vec<Spanned<String>>)> = Vec::new();

    for (path, text) in files {
        let lines = LineIndex::new(&text);
        let source = kb.sources.len();
        let mut report = Reporter {
            path: &path,
            text: &text,
            lines: &lines,
            problems: &mut problems,
        };
        let (document, errors) = DeTable::parse_recoverable(&text);
        if !errors.is_empty() {
            for error in errors {
                let span = error.span().unwrap_or(0..0);
                report.error(span, format!("invalid TOML: {}", error.message().trim()));
            }
        } else {
            for (key, value) in document.get_ref() {
                if key.get_ref() != "entity" {
                    report.warning(
                        key.span(),
                        format!(
                            "unknown top-level key `{}`; entities are written as [[entity]] tables",
                            key.get_ref()
                        ),
                    );
                    continue;
                }
                let DeValue::Array(tables) = value.get_ref() else {
                    report.error(
                        value.span(),
                        "`entity` must be an array of tables, written as [[entity]]",
                    );
                    continue;
                };
                for table in tables.iter() {
                    let Some(raw) = RawEntity::read(table, &mut report) else {
                        continue;
                    };
                    let id = EntityId(kb.entities.len() as u32);
                    let Some(entity) =
                        raw.validate(id, source, &mut report, &mut strong_claims, &mut id_lines)
                    else {
                        continue;
                    };
                    pending_weak.push((id, source, raw.weak_aliases));
                    kb.by_id.insert(entity.id.clone(), id);
                    kb.entities.push(entity);
                }
            }
        }
        kb.sources.push(Source { path, text, lines });
    }

    // Weak aliases are checked once every strong form is known, wherever it is written.
    for (id, source, weak) in pending_weak {
        let src = &kb.sources[source];
        let mut report = Reporter {
            path: &src.path,
            text: &src.text,
            lines: &src.lines,
            problems: &mut problems,
        };
        let mut kept = Vec::new();
        for alias in weak {
            let folded = fold(alias.get_ref());
            match strong_claims.get(&folded) {
                Some(claim) if claim.entity == id => report.warning(
                    alias.span(),
                    format!(
                        "`{}` is already a name or alias of this entity; the weak alias has no effect",
                        alias.get_ref()
                    ),
                ),
                Some(claim) => report.warning(
                    alias.span(),
                    format!(
                        "`{}` is a name or alias of `{}` (line {}), so it always means that entity and never this one",
                        alias.get_ref(),
                        kb.entities[claim.entity.index()].id,
                        claim.line + 1
                    ),
                ),
                None => kept.push(alias.into_inner()),
            }
        }
        kb.entities[id.index()].weak_aliases = kept;
    }
    (kb, problems)
}

/// Appends problems located in one file.
struct Reporter<'a> {
    path: &'a PathBuf,
    text: &'a str,
    lines: &'a LineIndex,
    problems: &'a mut Vec<Problem>,
}

impl Reporter<'_> {
    fn push(&mut self, span: Range<usize>, severity: Severity, message: impl Into<String>) {
        let span = span.start.min(self.text.len())..span.end.min(self.text.len());
        self.problems.push(Problem::new(
            self.path.clone(),
            self.text,
            self.lines,
            span,
            severity,
            message,
        ));
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.push(span, Severity::Error, message);
    }

    fn warning(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.push(span, Severity::Warning, message);
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }
}

/// An `[[entity]]` table with its values' positions, before validation.
#[derive(Default)]
struct RawEntity {
    header: Range<usize>,
    end: usize,
    id: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    aliases: Vec<Spanned<String>>,
    weak_aliases: Vec<Spanned<String>>,
    role: Option<Spanned<String>>,
    country: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    wikidata: Option<Spanned<String>>,
}

impl RawEntity {
    /// Reads the fields of one table, reporting values of the wrong type and unknown keys.
    fn read(table: &Spanned<DeValue<'_>>, report: &mut Reporter<'_>) -> Option<RawEntity> {
        let DeValue::Table(fields) = table.get_ref() else {
            report.error(
                table.span(),
                "each `entity` must be a table, written as [[entity]]",
            );
            return None;
        };
        let mut raw = RawEntity {
            header: table.span(),
            end: table.span().end,
            ..RawEntity::default()
        };
        for (key, value) in fields.iter() {
            raw.end = raw.end.max(value.span().end);
            let name = key.get_ref().as_ref();
            let slot = match name {
                "id" => &mut raw.id,
                "name" => &mut raw.name,
                "kind" => &mut raw.kind,
                "role" => &mut raw.role,
                "country" => &mut raw.country,
                "description" => &mut raw.description,
                "wikidata" => &mut raw.wikidata,
                "aliases" => {
                    raw.aliases = string_list(name, value, report);
                    continue;
                }
                "weak_aliases" => {
                    raw.weak_aliases = string_list(name, value, report);
                    continue;
                }
                unknown => {
                    let hint = closest_field(unknown)
                        .map(|f| format!(" (did you mean `{f}`?)"))
                        .unwrap_or_default();
                    report.warning(
                        key.span(),
                        format!("unknown field `{unknown}`{hint}; it is ignored"),
                    );
                    continue;
                }
            };
            *slot = string_value(name, value, report);
        }
        Some(raw)
    }

    /// Checks the rules that involve one entity and the ones before it; returns the entity if it
    /// can be used. Strong forms that conflict with earlier entities are dropped from it.
    fn validate(
        &self,
        id: EntityId,
        source: usize,
        report: &mut Reporter<'_>,
        strong_claims: &mut HashMap<String, Claim>,
        id_lines: &mut HashMap<String, (PathBuf, usize)>,
    ) -> Option<Entity> {
        let header_line = report.line_of(self.header.start) + 1;
        let mut missing = |field: &str, severity: Severity, why: &str| {
            report.push(
                self.header.clone(),
                severity,
                format!("the entity at line {header_line} has no `{field}`{why}"),
            );
        };
        let (Some(slug), Some(name), Some(kind)) = (&self.id, &self.name, &self.kind) else {
            for (field, value) in [("id", &self.id), ("name", &self.name), ("kind", &self.kind)] {
                if value.is_none() {
                    missing(field, Severity::Error, "; it is left out until it has one");
                }
            }
            return None;
        };
        for (field, value) in [("role", &self.role), ("country", &self.country)] {
            if value.is_none() {
                missing(field, Severity::Warning, ", so its hover card will lack it");
            }
        }

        let mut ok = true;
        if slug.get_ref().is_empty() {
            report.error(slug.span(), "`id` is empty");
            ok = false;
        } else if !is_slug(slug.get_ref()) {
            report.warning(
                slug.span(),
                format!(
                    "id `{}` is not a slug: use lowercase letters, digits and hyphens, such as `{}`",
                    slug.get_ref(),
                    slugify(slug.get_ref())
                ),
            );
        }
        if let Some((path, line)) = id_lines.get(slug.get_ref()) {
            let place = if path == report.path {
                format!("line {}", line + 1)
            } else {
                format!("{}:{}", path.display(), line + 1)
            };
            report.error(
                slug.span(),
                format!(
                    "duplicate id `{}`: already used by the entity at {place}",
                    slug.get_ref()
                ),
            );
            ok = false;
        }
        if name.get_ref().trim().is_empty() {
            report.error(name.span(), "`name` is empty");
            ok = false;
        }
        let kind = match kind.get_ref().parse::<Kind>() {
            Ok(kind) => Some(kind),
            Err(err) => {
                report.error(kind.span(), err.to_string());
                None
            }
        };
        let (true, Some(kind)) = (ok, kind) else {
            return None;
        };
        id_lines.insert(
            slug.get_ref().clone(),
            (report.path.clone(), report.line_of(slug.span().start)),
        );

        // Strong forms: each may name one entity only, compared as matching compares them.
        let mut aliases = Vec::new();
        let mut seen_here: Vec<String> = Vec::new();
        for (index, form) in std::iter::once(name).chain(&self.aliases).enumerate() {
            let folded = fold(form.get_ref());
            if folded.is_empty() {
                report.error(form.span(), "an alias is empty");
                continue;
            }
            if seen_here.contains(&folded) {
                report.warning(
                    form.span(),
                    format!("`{}` is listed twice for this entity", form.get_ref()),
                );
                continue;
            }
            seen_here.push(folded.clone());
            if let Some(claim) = strong_claims.get(&folded) {
                report.error(
                    form.span(),
                    format!(
                        "`{}` already names another entity (line {}); a name or alias must mean one entity: make it a weak alias of both if it is shared",
                        form.get_ref(),
                        claim.line + 1
                    ),
                );
                continue;
            }
            strong_claims.insert(
                folded,
                Claim {
                    entity: id,
                    line: report.line_of(form.span().start),
                },
            );
            if index > 0 {
                aliases.push(form.get_ref().trim().to_owned());
            }
        }
        for weak in &self.weak_aliases {
            if fold(weak.get_ref()).is_empty() {
                report.error(weak.span(), "a weak alias is empty");
            }
        }

        let text = |v: &Option<Spanned<String>>| v.as_ref().map(|s| s.get_ref().trim().to_owned());
        Some(Entity {
            id: slug.get_ref().clone(),
            name: name.get_ref().trim().to_owned(),
            kind,
            aliases,
            weak_aliases: Vec::new(), // filled once all strong forms are known
            role: text(&self.role).unwrap_or_default(),
            country: text(&self.country).unwrap_or_default(),
            description: text(&self.description).filter(|d| !d.is_empty()),
            wikidata: text(&self.wikidata),
            origin: Origin {
                source,
                header: self.header.clone(),
                extent: self.header.start..self.end,
            },
        })
    }
}

fn string_value(
    field: &str,
    value: &Spanned<DeValue<'_>>,
    report: &mut Reporter<'_>,
) -> Option<Spanned<String>> {
    match value.get_ref() {
        DeValue::String(s) => Some(Spanned::new(value.span(), s.to_string())),
        _ => {
            report.error(value.span(), format!("`{field}` must be a string"));
            None
        }
    }
}

fn string_list(
    field: &str,
    value: &Spanned<DeValue<'_>>,
    report: &mut Reporter<'_>,
) -> Vec<Spanned<String>> {
    let DeValue::Array(items) = value.get_ref() else {
        report.error(
            value.span(),
            format!("`{field}` must be a list of strings, such as [\"KL\"]"),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => {
                report.error(item.span(), format!("an entry of `{field}` is empty"));
                None
            }
            DeValue::String(s) => Some(Spanned::new(item.span(), s.to_string())),
            _ => {
                report.error(
                    item.span(),
                    format!("each entry of `{field}` must be a string"),
                );
                None
            }
        })
        .collect()
}

fn closest_field(unknown: &str) -> Option<&'static str> {
    FIELDS
        .into_iter()
        .map(|f| (strsim::damerau_levenshtein(unknown, f), f))
        .filter(|&(distance, _)| distance <= 2)
        .min()
        .map(|(_, f)| f)
}

/// Whether `id` is a slug: lowercase ASCII letters, digits and single inner hyphens.
pub(crate) fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turns a name into a slug: `Lim Guan Eng` → `lim-guan-eng`, `Malacañang` → `malaca-ang`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') && c != '\'' && c != '’' {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("entity");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_one(text: &str) -> (KnowledgeBase, Vec<String>) {
        let (kb, problems) = KnowledgeBase::load([("kb.toml", text)]);
        (kb, problems.iter().map(ToString::to_string).collect())
    }

    const TWO: &str = r#"
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
name = "Alibaba Group"
kind = "organization"
aliases = ["Alibaba"]
role = "Chinese technology company"
country = "China"
"#;

    #[test]
    fn a_sound_file_loads_every_field_and_its_position() {
        let (kb, problems) = load_one(TWO);
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(kb.len(), 2);
        let ma = kb.entity(kb.by_slug("jack-ma").unwrap_or(EntityId(99)));
        assert_eq!(ma.name, "Jack Ma");
        assert_eq!(ma.kind, Kind::Person);
        assert_eq!(ma.aliases, ["Jack Ma Yun", "Ma Yun"]);
        assert_eq!(ma.weak_aliases, ["Ma"]);
        assert_eq!(&TWO[ma.origin.header.clone()], "[[entity]]");
        assert!(TWO[ma.origin.extent.clone()].ends_with("country = \"China\""));
        assert!(!TWO[ma.origin.extent.clone()].contains("alibaba-group"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let (kb, problems) = load_one("[[entity]]\nid = \"a\nname = \"A\"\n");
        assert!(kb.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("kb.toml:2:"), "{problems:?}");
        assert!(problems[0].contains("error: invalid TOML"), "{problems:?}");
    }

    #[test]
    fn missing_fields_point_at_the_header() {
        let (kb, problems) = load_one("\n[[entity]]\nid = \"a\"\nkind = \"place\"\n");
        assert!(kb.is_empty());
        assert!(problems.contains(
            &"kb.toml:2:1: error: the entity at line 2 has no `name`; it is left out until it has one".to_owned()
        ), "{problems:?}");
    }

    #[test]
    fn missing_role_and_country_only_warn() {
        let (kb, problems) = load_one("[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"place\"\n");
        assert_eq!(kb.len(), 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().all(|p| p.contains("warning")));
    }

    #[test]
    fn unknown_kind_is_an_error_at_the_value() {
        let (kb, problems) = load_one(
            "[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"company\"\nrole = \"r\"\ncountry = \"c\"\n",
        );
        assert!(kb.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("kb.toml:4:8: error: unknown kind `company`"),
            "{problems:?}"
        );
    }

    #[test]
    fn duplicate_ids_and_shared_strong_aliases_are_errors() {
        let text = format!(
            "{TWO}\n[[entity]]\nid = \"jack-ma\"\nname = \"Other\"\nkind = \"person\"\nrole = \"r\"\ncountry = \"c\"\n\n[[entity]]\nid = \"ali\"\nname = \"Ali\"\nkind = \"person\"\naliases = [\"Alibaba\"]\nrole = \"r\"\ncountry = \"c\"\n"
        );
        let (kb, problems) = load_one(&text);
        assert_eq!(kb.len(), 3);
        assert!(problems.iter().any(|p| p.contains("duplicate id `jack-ma`: already used by the entity at line 3")), "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("`Alibaba` already names another entity (line 15)")),
            "{problems:?}"
        );
        let ali = kb.entity(kb.by_slug("ali").unwrap_or(EntityId(99)));
        assert!(ali.aliases.is_empty(), "the conflicting alias is dropped");
    }

    #[test]
    fn strong_aliases_conflict_across_whitespace_and_apostrophe_variants() {
        let text = "[[entity]]\nid = \"a\"\nname = \"Jack Ma\"\nkind = \"person\"\nrole = \"r\"\ncountry = \"c\"\n[[entity]]\nid = \"b\"\nname = \"Jack\u{a0}Ma\"\nkind = \"person\"\nrole = \"r\"\ncountry = \"c\"\n";
        let (_, problems) = load_one(text);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn empty_names_and_aliases_are_errors() {
        let (kb, problems) = load_one(
            "[[entity]]\nid = \"a\"\nname = \" \"\nkind = \"place\"\nrole = \"r\"\ncountry = \"c\"\n[[entity]]\nid = \"b\"\nname = \"B\"\nkind = \"place\"\naliases = [\"\"]\nrole = \"r\"\ncountry = \"c\"\n",
        );
        assert_eq!(kb.len(), 1);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("kb.toml:3:8: error: `name` is empty")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("kb.toml:11:12: error: an entry of `aliases` is empty")),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_fields_suggest_the_closest() {
        let (kb, problems) = load_one(
            "[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"place\"\nalias = [\"B\"]\nrole = \"r\"\ncountry = \"c\"\n",
        );
        assert_eq!(kb.len(), 1);
        assert_eq!(problems, ["kb.toml:5:1: warning: unknown field `alias` (did you mean `aliases`?); it is ignored"]);
    }

    #[test]
    fn wrong_types_are_errors() {
        let (_, problems) = load_one(
            "[[entity]]\nid = 3\nname = \"A\"\nkind = \"place\"\naliases = \"B\"\nrole = \"r\"\ncountry = \"c\"\n",
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("2:6: error: `id` must be a string")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("5:11: error: `aliases` must be a list of strings")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_weak_alias_that_is_another_entitys_strong_form_warns() {
        let text = format!("{TWO}\n[[entity]]\nid = \"x\"\nname = \"X\"\nkind = \"person\"\nweak_aliases = [\"Alibaba\", \"Xi\"]\nrole = \"r\"\ncountry = \"c\"\n");
        let (kb, problems) = load_one(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("always means that entity"));
        let x = kb.entity(kb.by_slug("x").unwrap_or(EntityId(99)));
        assert_eq!(x.weak_aliases, ["Xi"]);
    }

    #[test]
    fn slugs() {
        assert!(is_slug("lim-guan-eng"));
        assert!(!is_slug("Lim Guan Eng"));
        assert_eq!(slugify("Lim Guan Eng"), "lim-guan-eng");
        assert_eq!(
            slugify("Alibaba Group Holding Ltd."),
            "alibaba-group-holding-ltd"
        );
        assert_eq!(slugify("Carrie Lam’s"), "carrie-lams");
        assert_eq!(slugify("马云"), "entity");
    }

    proptest::proptest! {
        /// Whatever the bytes, loading reports problems and never panics, and every problem
        /// points inside the file.
        #[test]
        fn never_panics_and_locates_every_problem(
            text in "(\\[\\[entity\\]\\]\n|id = \"[a-z-]{0,6}\"\n|name = \"[A-Za-z ’\u{a0}]{0,8}\"\n|kind = \"(person|place|x)\"\n|aliases = \\[\"[A-Za-z ]{0,5}\"\\]\n|role = 1\n|[\\[\\]=\"\n ,a-z馬😀])*"
        ) {
            let (_, problems) = KnowledgeBase::load([("kb.toml", text.as_str())]);
            for problem in problems {
                proptest::prop_assert!(problem.span.end <= text.len());
                proptest::prop_assert!(problem.span.start <= problem.span.end);
            }
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            "[[entity]]",
            "entity = 3",
            "entity = [1, 2]",
            "[entity]\nid=\"a\"",
            "\u{feff}[[entity]]\n",
            "[[entity]]\nid = \"\"\nname=\"a\"\nkind=\"place\"",
        ] {
            let _ = load_one(text);
        }
    }
}
