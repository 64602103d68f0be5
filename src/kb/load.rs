//! Reading knowledge-base TOML with every value's position, and checking it.
//!
//! The TOML is parsed into a spanned tree (not straight into structs) so that one pass can
//! report every problem of a file at its exact key or value, instead of stopping at the first.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use toml::de::DeValue;
use toml::Spanned;

use super::anchor::normalize_article;
use super::split;
use super::{
    Anchor, AnchorAction, AnchorId, AnchorOrigin, AnchorRule, Entity, EntityId, Kind,
    KnowledgeBase, ListSpan, Origin, Source,
};
use crate::problem::{Problem, Severity};
use crate::text::{context_words, fold, LineIndex, CONTEXT_WORDS};

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

/// The keys an `[[untag]]` table may have; an `[[assign]]` adds `entity`.
const ANCHOR_FIELDS: [&str; 5] = ["article", "text", "before", "after", "entity"];

/// Where a strong surface form was first claimed, to name the other party in a conflict.
///
/// Holds the byte offset, not the line: lines are looked up only for the few forms that
/// conflict, since a lookup per form costs seconds on a million entities.
struct Claim {
    entity: EntityId,
    offset: usize,
}

/// What validation needs to know about the entities already accepted.
struct Accepted<'k> {
    /// Entities and sources loaded so far (the current file's source is not in it yet).
    kb: &'k KnowledgeBase,
    /// Where each accepted entity's `id` value starts, by [`EntityId`].
    slug_offsets: &'k [usize],
}

impl Accepted<'_> {
    /// The file and 0-based line of byte `offset` of entity `entity`'s file; the current file's
    /// lines come from `report`, since its source is pushed only once the file is read.
    fn place(&self, entity: EntityId, offset: usize, report: &Reporter<'_>) -> (PathBuf, usize) {
        let source = self.kb.entities[entity.index()].origin.source;
        match self.kb.sources.get(source) {
            Some(src) => (src.path.clone(), src.lines.line_of(offset)),
            None => (report.path.clone(), report.line_of(offset)),
        }
    }
}

pub(super) fn load(
    files: impl Iterator<Item = (PathBuf, Arc<str>)>,
) -> (KnowledgeBase, Vec<Problem>) {
    load_in_parts(files, split::MIN_PART)
}

/// [`load`], cutting files into parts of at least `min_part` bytes to parse them on several
/// threads; tests cut small files this way to compare with a whole parse.
fn load_in_parts(
    files: impl Iterator<Item = (PathBuf, Arc<str>)>,
    min_part: usize,
) -> (KnowledgeBase, Vec<Problem>) {
    let files: Vec<(PathBuf, Arc<str>)> = files.collect();
    let mut whole = vec![false; files.len()];
    loop {
        // When a file's parts might not mean what the file means (see `split`), everything is
        // read again, that file whole: what its parts gave is already mixed in with the rest.
        match Loader::read(&files, min_part, &whole) {
            Ok(loader) => return loader.finish(),
            Err(Refused { file }) => match whole.get_mut(file) {
                Some(read_whole) if !*read_whole => *read_whole = true,
                _ => return Loader::default().finish(), // never: a file read whole is not refused
            },
        }
    }
}

/// The file, by index, whose parts [`split::parse_each`] refused.
struct Refused {
    file: usize,
}

/// A problem and the index of its file, so that problems can be put in file order.
type Found = (usize, Problem);

/// What has been read from the files so far, and what is left to check once all are read.
#[derive(Default)]
struct Loader {
    kb: KnowledgeBase,
    problems: Vec<Found>,
    strong_claims: FxHashMap<String, Claim>,
    slug_offsets: Vec<usize>,
    pending_weak: Vec<(EntityId, usize, Vec<Spanned<String>>)>,
    pending_anchors: Vec<RawAnchor>,
}

impl Loader {
    /// Reads every file, those marked `whole` unsplit, the others in parts of at least
    /// `min_part` bytes when they are large.
    fn read(
        files: &[(PathBuf, Arc<str>)],
        min_part: usize,
        whole: &[bool],
    ) -> Result<Loader, Refused> {
        let mut loader = Loader::default();
        for (file, (path, text)) in files.iter().enumerate() {
            let min_part = match whole.get(file) {
                Some(true) => usize::MAX,
                _ => min_part,
            };
            loader.read_file(path, text, min_part)?;
        }
        Ok(loader)
    }

    /// Reads one file, in parts of at least `min_part` bytes when it is large; refused when
    /// its parts might not mean what it means, and then what it added must be thrown away.
    fn read_file(
        &mut self,
        path: &PathBuf,
        text: &Arc<str>,
        min_part: usize,
    ) -> Result<(), Refused> {
        let lines = LineIndex::new(text);
        let source = self.kb.sources.len();
        self.reserve(entities_expected(text));
        let mut problems = std::mem::take(&mut self.problems);
        let mut report = Reporter {
            path,
            text,
            lines: &lines,
            problems: &mut problems,
            source,
            base: 0,
        };
        let parsed = split::parse_each(text, min_part, |part| {
            self.read_part(part, &mut report);
        });
        match parsed {
            Ok(()) => {}
            Err(split::Unread::Invalid(errors)) => {
                for error in errors {
                    let span = error.span().unwrap_or(0..0);
                    report.error(span, format!("invalid TOML: {}", error.message().trim()));
                }
            }
            Err(split::Unread::Refused) => return Err(Refused { file: source }),
        }
        self.problems = problems;
        self.kb.sources.push(Source {
            path: path.clone(),
            text: Arc::clone(text),
            lines,
        });
        Ok(())
    }

    /// Reads the tables of one part of the file `report` reports on, in order.
    fn read_part(&mut self, part: &split::Part<'_>, report: &mut Reporter<'_>) {
        report.base = part.base;
        let source = report.source;
        for (key, value) in part.table.iter() {
            let table_kind = key.get_ref().as_ref();
            if !matches!(table_kind, "entity" | "untag" | "assign") {
                report.warning(
                    report.at(key),
                    format!(
                        "unknown top-level key `{table_kind}`; a knowledge base holds [[entity]], [[untag]] and [[assign]] tables"
                    ),
                );
                continue;
            }
            let DeValue::Array(tables) = value.get_ref() else {
                report.error(
                    report.at(value),
                    format!(
                        "`{table_kind}` must be an array of tables, written as [[{table_kind}]]"
                    ),
                );
                continue;
            };
            if table_kind != "entity" {
                let assign = table_kind == "assign";
                for table in tables.iter() {
                    if let Some(raw) = RawAnchor::read(table, assign, source, report) {
                        self.pending_anchors.push(raw);
                    }
                }
                continue;
            }
            self.reserve(tables.len());
            for table in tables.iter() {
                self.read_entity(table, report);
            }
        }
    }

    /// Makes room for `entities` more entities at once: growing the entity vector and the maps
    /// step by step, as reading part by part would, copies them into fresh memory at each step,
    /// page faults and all, which made loading a million entities a tenth slower and its peak
    /// memory 300 MB larger.
    fn reserve(&mut self, entities: usize) {
        self.kb.entities.reserve(entities);
        self.kb.by_id.reserve(&self.kb.entities, entities);
        self.slug_offsets.reserve(entities);
        self.strong_claims.reserve(entities.saturating_mul(2));
    }

    fn read_entity(&mut self, table: &Spanned<DeValue<'_>>, report: &mut Reporter<'_>) {
        let Some(raw) = RawEntity::read(table, report) else {
            return;
        };
        let id = EntityId(self.kb.entities.len() as u32);
        let accepted = Accepted {
            kb: &self.kb,
            slug_offsets: &self.slug_offsets,
        };
        let source = report.source;
        let Some(entity) = raw.validate(id, source, report, &mut self.strong_claims, &accepted)
        else {
            return;
        };
        if !raw.weak_aliases.is_empty() {
            let weak = raw
                .weak_aliases
                .iter()
                .map(|alias| Spanned::new(alias.span(), (*alias.get_ref()).to_owned()));
            self.pending_weak.push((id, source, weak.collect()));
        }
        self.slug_offsets
            .push(raw.id.as_ref().map_or(0, |slug| slug.span().start));
        self.kb.entities.push(entity);
        self.kb.by_id.insert(&self.kb.entities, id);
    }

    /// Checks what needs every file read, and puts the problems in file order.
    fn finish(self) -> (KnowledgeBase, Vec<Problem>) {
        let Loader {
            mut kb,
            mut problems,
            strong_claims,
            pending_weak,
            mut pending_anchors,
            ..
        } = self;
        // Weak aliases are checked once every strong form is known, wherever it is written.
        for (id, source, weak) in pending_weak {
            let mut report = Reporter::on_loaded(&kb.sources[source], source, &mut problems);
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
                    Some(claim) => {
                        let claimant = &kb.entities[claim.entity.index()];
                        let line = kb
                            .sources
                            .get(claimant.origin.source)
                            .map_or(0, |s| s.lines.line_of(claim.offset));
                        report.warning(
                            alias.span(),
                            format!(
                                "`{}` is a name or alias of `{}` (line {}), so it always means that entity and never this one",
                                alias.get_ref(),
                                claimant.id,
                                line + 1
                            ),
                        )
                    }
                    None => kept.push(alias.into_inner()),
                }
            }
            kb.entities[id.index()].weak_aliases = kept;
        }

        // Anchors name entities by id, which may be defined anywhere: resolved once all are
        // known, and kept in file order, since the last decision about a mention wins.
        pending_anchors.sort_by_key(|raw| (raw.origin.source, raw.origin.header.start));
        for raw in pending_anchors {
            let source = raw.origin.source;
            let mut report = Reporter::on_loaded(&kb.sources[source], source, &mut problems);
            let Some(rule) = raw.resolve(&kb, &mut report) else {
                continue;
            };
            let id = AnchorId(kb.anchors.len() as u32);
            kb.anchors_by_article
                .entry(rule.anchor.article.clone())
                .or_default()
                .push(id);
            kb.anchors.push(rule);
        }

        // A file read in parts reports each part's problems as it is read, not in the order of
        // its top-level keys: in file order, all reads report alike, as people read them.
        problems.sort_by_key(|(source, problem)| (*source, problem.span.start));
        (
            kb,
            problems.into_iter().map(|(_, problem)| problem).collect(),
        )
    }
}

/// How many entities `text` defines, about: its `[[entity]]` headers, counted far faster than
/// the file is parsed. Files that write entities otherwise get room as their parts are read.
fn entities_expected(text: &str) -> usize {
    memchr::memmem::find_iter(text.as_bytes(), "[[entity]]").count()
}

/// Appends problems located in one file.
struct Reporter<'a> {
    path: &'a PathBuf,
    text: &'a str,
    lines: &'a LineIndex,
    problems: &'a mut Vec<Found>,
    /// The file's index among those loaded.
    source: usize,
    /// Where the part of the file being read starts; 0 for a file parsed whole.
    base: usize,
}

impl<'a> Reporter<'a> {
    /// Reports on file `source`, loaded already: for the checks that wait for every file.
    fn on_loaded(src: &'a Source, source: usize, problems: &'a mut Vec<Found>) -> Reporter<'a> {
        Reporter {
            path: &src.path,
            text: &src.text,
            lines: &src.lines,
            problems,
            source,
            base: 0,
        }
    }

    fn push(&mut self, span: Range<usize>, severity: Severity, message: impl Into<String>) {
        let span = span.start.min(self.text.len())..span.end.min(self.text.len());
        let problem = Problem::new(
            self.path.clone(),
            self.text,
            self.lines,
            span,
            severity,
            message,
        );
        self.problems.push((self.source, problem));
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

    /// Where a parsed key or value is written in the file: parts of a file parsed apart
    /// ([`split::parse_each`]) count from their own start.
    fn at<T>(&self, spanned: &Spanned<T>) -> Range<usize> {
        let span = spanned.span();
        span.start + self.base..span.end + self.base
    }
}

/// A string value and where it is written, borrowed from the parsed document so that reading a
/// table allocates nothing; only what an [`Entity`] keeps is copied.
type Str<'a> = Spanned<&'a str>;

/// An `[[entity]]` table with its values' positions, before validation.
#[derive(Default)]
struct RawEntity<'a> {
    header: Range<usize>,
    end: usize,
    id: Option<Str<'a>>,
    name: Option<Str<'a>>,
    kind: Option<Str<'a>>,
    aliases: Vec<Str<'a>>,
    weak_aliases: Vec<Str<'a>>,
    aliases_span: Option<ListSpan>,
    weak_aliases_span: Option<ListSpan>,
    role: Option<Str<'a>>,
    country: Option<Str<'a>>,
    description: Option<Str<'a>>,
    wikidata: Option<Str<'a>>,
}

impl<'a> RawEntity<'a> {
    /// Reads the fields of one table, reporting values of the wrong type and unknown keys.
    fn read(table: &'a Spanned<DeValue<'_>>, report: &mut Reporter<'_>) -> Option<RawEntity<'a>> {
        let DeValue::Table(fields) = table.get_ref() else {
            report.error(
                report.at(table),
                "each `entity` must be a table, written as [[entity]]",
            );
            return None;
        };
        let mut raw = RawEntity {
            header: report.at(table),
            end: report.at(table).end,
            ..RawEntity::default()
        };
        for (key, value) in fields.iter() {
            raw.end = raw.end.max(report.at(value).end);
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
                    raw.aliases_span = Some(list_span(value, report));
                    continue;
                }
                "weak_aliases" => {
                    raw.weak_aliases = string_list(name, value, report);
                    raw.weak_aliases_span = Some(list_span(value, report));
                    continue;
                }
                unknown => {
                    let hint = closest_field(unknown, &FIELDS)
                        .map(|f| format!(" (did you mean `{f}`?)"))
                        .unwrap_or_default();
                    report.warning(
                        report.at(key),
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
        strong_claims: &mut FxHashMap<String, Claim>,
        accepted: &Accepted<'_>,
    ) -> Option<Entity> {
        let mut missing = |field: &str, severity: Severity, why: &str| {
            let header_line = report.line_of(self.header.start) + 1;
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
        if let Some(first) = accepted.kb.by_slug(slug.get_ref()) {
            let offset = accepted
                .slug_offsets
                .get(first.index())
                .copied()
                .unwrap_or(0);
            let (path, line) = accepted.place(first, offset, report);
            let place = if &path == report.path {
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
                let (_, line) = accepted.place(claim.entity, claim.offset, report);
                report.error(
                    form.span(),
                    format!(
                        "`{}` already names another entity (line {}); a name or alias must mean one entity: make it a weak alias of both if it is shared",
                        form.get_ref(),
                        line + 1
                    ),
                );
                continue;
            }
            strong_claims.insert(
                folded,
                Claim {
                    entity: id,
                    offset: form.span().start,
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

        let text = |v: &Option<Str<'_>>| v.as_ref().map(|s| s.get_ref().trim().to_owned());
        Some(Entity {
            id: (*slug.get_ref()).to_owned(),
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
                name: name.span(),
                aliases: self.aliases_span.clone(),
                weak_aliases: self.weak_aliases_span.clone(),
            },
        })
    }
}

/// An `[[untag]]` or `[[assign]]` table, read and checked, whose `entity` is not yet resolved.
struct RawAnchor {
    /// The anchor, normalised; `None` when a value is missing or unusable (already reported).
    anchor: Option<Anchor>,
    /// The `entity` of an `[[assign]]`; `None` for an `[[untag]]`.
    entity: Option<Spanned<String>>,
    origin: AnchorOrigin,
}

impl RawAnchor {
    /// Reads and checks one table, reporting every problem that involves it alone; `None` when
    /// it is not a table at all.
    fn read(
        table: &Spanned<DeValue<'_>>,
        assign: bool,
        source: usize,
        report: &mut Reporter<'_>,
    ) -> Option<RawAnchor> {
        let kind = if assign { "assign" } else { "untag" };
        let DeValue::Table(fields) = table.get_ref() else {
            report.error(
                report.at(table),
                format!("each `{kind}` must be a table, written as [[{kind}]]"),
            );
            return None;
        };
        let allowed = if assign {
            &ANCHOR_FIELDS[..]
        } else {
            &ANCHOR_FIELDS[..4]
        };
        let header = report.at(table);
        let mut end = header.end;
        let mut values: [Option<Str<'_>>; 5] = Default::default();
        let mut present = [false; 5];
        for (key, value) in fields.iter() {
            end = end.max(report.at(value).end);
            let name = key.get_ref().as_ref();
            let Some(slot) = allowed.iter().position(|f| *f == name) else {
                let hint = if name == "entity" {
                    " (an [[untag]] names no entity; to say which entity a mention is, use [[assign]])"
                        .to_owned()
                } else {
                    closest_field(name, allowed)
                        .map(|f| format!(" (did you mean `{f}`?)"))
                        .unwrap_or_default()
                };
                report.warning(
                    report.at(key),
                    format!("unknown field `{name}` of an [[{kind}]] table{hint}; it is ignored"),
                );
                continue;
            };
            present[slot] = true;
            values[slot] = string_value(name, value, report);
        }

        let line = report.line_of(header.start) + 1;
        let mut usable = true;
        for (slot, field) in allowed.iter().enumerate() {
            if present[slot] {
                usable &= values[slot].is_some();
                continue;
            }
            let hint = match *field {
                "before" => " (write `before = \"\"` when the mention starts its paragraph)",
                "after" => " (write `after = \"\"` when the mention ends its paragraph)",
                _ => "",
            };
            report.error(
                header.clone(),
                format!("the {kind} at line {line} has no `{field}`{hint}; it is ignored until it has one"),
            );
            usable = false;
        }
        let [article, text, before, after, entity] = values;
        let entity = entity.map(|e| Spanned::new(e.span(), (*e.get_ref()).to_owned()));
        let origin = AnchorOrigin {
            source,
            header: header.clone(),
            extent: header.start..end,
        };
        let anchor = match (article, text, before, after) {
            (Some(article), Some(text), Some(before), Some(after)) => {
                check_anchor(&article, &text, &before, &after, report).filter(|_| usable)
            }
            _ => None,
        };
        Some(RawAnchor {
            anchor,
            entity,
            origin,
        })
    }

    /// Resolves an `[[assign]]`'s entity id against every entity loaded.
    fn resolve(self, kb: &KnowledgeBase, report: &mut Reporter<'_>) -> Option<AnchorRule> {
        let action = match &self.entity {
            None => AnchorAction::Untag,
            Some(slug) => match kb.by_slug(slug.get_ref()) {
                Some(id) => AnchorAction::Assign(id),
                None => {
                    let hint = kb
                        .entities
                        .iter()
                        .map(|e| (strsim::damerau_levenshtein(slug.get_ref(), &e.id), &e.id))
                        .filter(|&(distance, _)| distance <= 2)
                        .min()
                        .map(|(_, id)| format!(" (did you mean `{id}`?)"))
                        .unwrap_or_default();
                    report.error(
                        slug.span(),
                        format!(
                            "no entity has the id `{}`{hint}; this assign is ignored",
                            slug.get_ref()
                        ),
                    );
                    return None;
                }
            },
        };
        Some(AnchorRule {
            anchor: self.anchor?,
            action,
            origin: self.origin,
        })
    }
}

/// Checks the values of an anchor and returns it normalised, if it can be used.
fn check_anchor(
    article: &Str<'_>,
    text: &Str<'_>,
    before: &Str<'_>,
    after: &Str<'_>,
    report: &mut Reporter<'_>,
) -> Option<Anchor> {
    let mut usable = true;
    let article_path = normalize_article(article.get_ref());
    if article_path.is_empty() {
        report.error(article.span(), "`article` is empty");
        usable = false;
    } else if article_path.starts_with('/') || article_path.contains('\\') {
        report.warning(
            article.span(),
            "`article` should be the path relative to the corpus root, with `/` separators (\"news/a.txt\"); as written it names no article",
        );
    }
    let folded_text = fold(text.get_ref());
    if folded_text.is_empty() {
        report.error(text.span(), "`text` is empty");
        usable = false;
    }
    let mut before_words = context_words(before.get_ref());
    if before_words.len() > CONTEXT_WORDS {
        report.warning(
            before.span(),
            format!(
                "`before` has {} words; only the last {CONTEXT_WORDS} are compared",
                before_words.len()
            ),
        );
        before_words.drain(..before_words.len() - CONTEXT_WORDS);
    }
    let mut after_words = context_words(after.get_ref());
    if after_words.len() > CONTEXT_WORDS {
        report.warning(
            after.span(),
            format!(
                "`after` has {} words; only the first {CONTEXT_WORDS} are compared",
                after_words.len()
            ),
        );
        after_words.truncate(CONTEXT_WORDS);
    }
    usable.then(|| Anchor {
        article: article_path.to_owned(),
        text: folded_text,
        before: before_words.join(" "),
        after: after_words.join(" "),
    })
}

fn string_value<'a>(
    field: &str,
    value: &'a Spanned<DeValue<'_>>,
    report: &mut Reporter<'_>,
) -> Option<Str<'a>> {
    match value.get_ref() {
        DeValue::String(s) => Some(Spanned::new(report.at(value), s.as_ref())),
        _ => {
            report.error(report.at(value), format!("`{field}` must be a string"));
            None
        }
    }
}

fn string_list<'a>(
    field: &str,
    value: &'a Spanned<DeValue<'_>>,
    report: &mut Reporter<'_>,
) -> Vec<Str<'a>> {
    let DeValue::Array(items) = value.get_ref() else {
        report.error(
            report.at(value),
            format!("`{field}` must be a list of strings, such as [\"KL\"]"),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => {
                report.error(report.at(item), format!("an entry of `{field}` is empty"));
                None
            }
            DeValue::String(s) => Some(Spanned::new(report.at(item), s.as_ref())),
            _ => {
                report.error(
                    report.at(item),
                    format!("each entry of `{field}` must be a string"),
                );
                None
            }
        })
        .collect()
}

/// Where a list value and its entries are written.
fn list_span(value: &Spanned<DeValue<'_>>, report: &Reporter<'_>) -> ListSpan {
    match value.get_ref() {
        DeValue::Array(items) => ListSpan {
            value: report.at(value),
            is_list: true,
            items: items.iter().map(|item| report.at(item)).collect(),
        },
        _ => ListSpan {
            value: report.at(value),
            is_list: false,
            items: Vec::new(),
        },
    }
}

fn closest_field(unknown: &str, fields: &[&'static str]) -> Option<&'static str> {
    fields
        .iter()
        .copied()
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
            text in "(\\[\\[entity\\]\\]\n|id = \"[a-z-]{0,6}\"\n|name = \"[A-Za-z ’\u{a0}]{0,8}\"\n|kind = \"(person|place|x)\"\n|aliases = \\[\"[A-Za-z ]{0,5}\"\\]\n|role = 1\n|\\[\\[(untag|assign)\\]\\]\n|(article|text|before|after|entity) = \"[a-z’ -]{0,6}\"\n|[\\[\\]=\"\n ,a-z馬😀])*"
        ) {
            let (_, problems) = KnowledgeBase::load([("kb.toml", text.as_str())]);
            for problem in problems {
                proptest::prop_assert!(problem.span.end <= text.len());
                proptest::prop_assert!(problem.span.start <= problem.span.end);
            }
        }
    }

    /// Loads `texts` (as files `0.toml`, `1.toml`, …) whole and cut into parts as small as
    /// possible: both must give the same entities, anchors and problems, at the same positions.
    fn same_whole_and_in_parts(texts: &[&str]) -> Result<(), proptest::test_runner::TestCaseError> {
        let files = || {
            texts
                .iter()
                .enumerate()
                .map(|(i, text)| (PathBuf::from(format!("{i}.toml")), Arc::<str>::from(*text)))
        };
        let (whole, whole_problems) = load_in_parts(files(), usize::MAX);
        let (parts, parts_problems) = load_in_parts(files(), 1);
        proptest::prop_assert_eq!(whole.entities(), parts.entities());
        proptest::prop_assert_eq!(whole.anchors(), parts.anchors());
        proptest::prop_assert_eq!(whole_problems, parts_problems);
        Ok(())
    }

    #[test]
    fn a_file_loads_the_same_in_parts_with_tricky_strings_and_anchors() {
        let tricky = format!(
            "# preamble\n{ANCHORS}{TWO}\n[[entity]]\nid = \"s\"\nname = \"S\"\nkind = \"place\"\ndescription = \"\"\"\n[[entity]]\nid = \"fake\"\n\"\"\"\nrole = \"r\"\ncountry = \"c\"\n[[entity]]\r\nid = \"lit\"\nname = 'L'\nkind = \"place\"\ndescription = '''\n[[entity]]\n'''\n[[entity]]\nid = \"jack-ma\"\nname = \"Ma Yun\"\nkind = \"person\"\n{ANCHORS}"
        );
        let outcome = same_whole_and_in_parts(&[&tricky]);
        assert!(outcome.is_ok(), "{outcome:?}");
        let (kb, problems) = load_in_parts(
            std::iter::once((PathBuf::from("kb.toml"), Arc::<str>::from(tricky.as_str()))),
            1,
        );
        assert!(
            kb.by_slug("fake").is_none(),
            "a header in a string is no entity"
        );
        assert_eq!(kb.len(), 4, "{problems:?}");
    }

    #[test]
    fn a_clean_file_is_read_in_parts_with_the_same_result() {
        let entities: String = (0..40)
            .map(|i| format!("[[entity]]\nid = \"e{i}\"\nname = \"E {i}\"\nkind = \"place\"\nweak_aliases = [\"E\"]\ndescription = \"\"\"\nline\n\"\"\"\nrole = \"r\"\ncountry = \"c\"\n[entity.extra]\nk = {i}\n"))
            .collect();
        let text = format!("# preamble\n{entities}{TWO}{ANCHORS}");
        let mut parts = 0;
        let parsed = split::parse_each(&text, 1, |_| parts += 1);
        assert!(parsed.is_ok());
        assert_eq!(parts, 43, "the preamble, then one part per entity");
        let outcome = same_whole_and_in_parts(&[&text]);
        assert!(outcome.is_ok(), "{outcome:?}");
    }

    #[test]
    fn files_read_in_parts_and_a_refused_one_load_as_if_all_were_whole() {
        let clean: String = (0..20)
            .map(|i| format!("[[entity]]\nid = \"c{i}\"\nname = \"C {i}\"\nkind = \"place\"\nweak_aliases = [\"Jack Ma\"]\nrole = \"r\"\ncountry = \"c\"\n"))
            .collect();
        let refused = format!(
            "{TWO}[[entity]]\nid = \"s\"\nname = \"C 3\"\nkind = \"place\"\ndescription = \"\"\"\n[[entity]]\n\"\"\"\n{ANCHORS}"
        );
        let later = clean.replace("id = \"c", "id = \"d");
        let outcome = same_whole_and_in_parts(&[&clean, &refused, &later, &refused]);
        assert!(outcome.is_ok(), "{outcome:?}");
    }

    #[test]
    fn problems_come_in_file_order_whatever_finds_them() {
        let a = "[[assign]]\narticle = \"a.txt\"\ntext = \"Ma\"\nbefore = \"\"\nafter = \"\"\nentity = \"nobody\"\n\n[[entity]]\nid = \"x\"\nname = \"X\"\nkind = \"person\"\nweak_aliases = [\"Jack Ma\"]\nrole = \"r\"\ncountry = \"c\"\nbogus = 1\n";
        let b = format!(
            "{TWO}[[entity]]\nid = \"y\"\nname = \"Y\"\nkind = \"place\"\ncountry = \"c\"\n"
        );
        for min_part in [1, usize::MAX] {
            let files = [("a.toml", a), ("b.toml", b.as_str())]
                .map(|(path, text)| (PathBuf::from(path), Arc::<str>::from(text)));
            let (_, problems) = load_in_parts(files.into_iter(), min_part);
            let found: Vec<String> = problems.iter().map(ToString::to_string).collect();
            let expected = [
                "a.toml:6:10: error: no entity has the id `nobody`",
                "a.toml:12:17: warning: `Jack Ma` is a name or alias of `jack-ma`",
                "a.toml:15:1: warning: unknown field `bogus`",
                "b.toml:18:1: warning: the entity at line 18 has no `role`",
            ];
            assert_eq!(found.len(), expected.len(), "{found:#?}");
            for (found, expected) in found.iter().zip(expected) {
                assert!(found.starts_with(expected), "{found} is not {expected}");
            }
        }
    }

    proptest::proptest! {
        /// Whatever the files, loading them in parts gives what loading them whole gives.
        #[test]
        fn loading_in_parts_is_loading_whole(first in KB_TEXT, second in KB_TEXT) {
            same_whole_and_in_parts(&[&first, &second])?;
        }
    }

    proptest::proptest! {
        /// Whatever the files, loading them in parts gives what loading them whole gives, also
        /// when files of whole tables, read in parts, surround one that most likely is refused.
        #[test]
        fn loading_whole_tables_in_parts_is_loading_whole(
            first in KB_TABLES,
            second in KB_TEXT,
            third in KB_TABLES,
        ) {
            same_whole_and_in_parts(&[&first, &second, &third])?;
        }
    }

    /// Any number of `[[entity]]` tables, with mistakes in their values and keys.
    macro_rules! entity_tables {
        () => {
            "(\\[\\[entity\\]\\]\n(id = \"[a-c]{0,2}\"\n)?(name = \"[A-C ]{0,3}\"\n)?(kind = \"(person|place|x)\"\n)?(aliases = \\[\"[A-C ]{0,2}\"\\]\n)?(weak_aliases = \\[\"[A-C]{0,2}\"\\]\n)?(role = (1|\"r\")\n)?(colour = 1\n)?(\\[entity\\.x\\]\nk = 1\n)?)*"
        };
    }

    /// Any number of `[[untag]]` or `[[assign]]` tables (`$kind`), with values missing.
    macro_rules! anchor_tables {
        ($kind:literal) => {
            concat!(
                "(\\[\\[",
                $kind,
                "\\]\\]\n(article = \"[a-c]{0,2}\"\n)?(text = \"[A-C]{0,2}\"\n)?(before = \"[a-c ]{0,3}\"\n)?(after = \"[a-c ]{0,3}\"\n)?(entity = \"[a-c]{0,2}\"\n)?)*"
            )
        };
    }

    /// Knowledge-base files made of whole tables, with mistakes in their values and keys, laid
    /// out so that most can be read in parts: entities, untags (all in one part), entities,
    /// assigns.
    const KB_TABLES: &str = concat!(
        "(x = 1\n)?",
        entity_tables!(),
        anchor_tables!("untag"),
        entity_tables!(),
        anchor_tables!("assign"),
    );

    /// Knowledge-base files made of tricky lines: headers in multi-line strings and arrays,
    /// sub-tables, redefined keys, anchors.
    const KB_TEXT: &str = "(\\[\\[entity\\]\\]\n|\\[\\[entity\\]\\]\r\n|id = \"[a-z-]{0,3}\"\n|name = \"[A-Za-z ]{0,4}\"\n|kind = \"(person|place|x)\"\n|aliases = \\[\"[A-Za-z ]{0,5}\"\\]\n|weak_aliases = \\[\"[A-Z]{0,2}\"\\]\n|role = 1\n|description = (\"\"\"|''')\n|(\"\"\"|''')\n|aliases = \\[\n|\\]\n|\\[\\[(untag|assign)\\]\\]\n|\\[(entity|x)(\\.y)?\\]\n|entity = \\[\\]\n|(article|text|before|after|entity) = \"[a-z ]{0,3}\"\n|[\\[\\]=\"\n ,a-z])*";

    const ANCHORS: &str = r#"
[[untag]]
article = "./news/000.txt"
text = "Ma"
before = "Alibaba’s"
after = "to  partner Philippines'"

[[assign]]
article = "news/002.txt"
text = "Lam"
before = ""
after = "said"
entity = "jack-ma"
"#;

    #[test]
    fn untag_and_assign_tables_load_normalised_in_file_order() {
        let text = format!("{ANCHORS}{TWO}");
        let (kb, problems) = load_one(&text);
        assert_eq!(problems, Vec::<String>::new());
        let rules = kb.anchors();
        assert_eq!(rules.len(), 2);
        assert_eq!(
            rules[0].anchor,
            Anchor {
                article: "news/000.txt".into(),
                text: "Ma".into(),
                before: "Alibaba's".into(),
                after: "to partner Philippines'".into(),
            }
        );
        assert_eq!(rules[0].action, AnchorAction::Untag);
        assert_eq!(&text[rules[0].origin.header.clone()], "[[untag]]");
        assert!(text[rules[0].origin.extent.clone()].ends_with("Philippines'\""));
        assert_eq!(
            rules[1].action,
            AnchorAction::Assign(kb.by_slug("jack-ma").unwrap_or(EntityId(99))),
            "an entity defined after the assign is found"
        );
        let found: Vec<AnchorId> = kb.anchors_for("news/002.txt").map(|(id, _)| id).collect();
        assert_eq!(found, [AnchorId(1)]);
        assert_eq!(kb.anchors_for("./news/000.txt").count(), 1);
        assert_eq!(kb.anchors_for("news/001.txt").count(), 0);
    }

    #[test]
    fn anchors_across_files_resolve_and_keep_load_order() {
        let (kb, problems) = KnowledgeBase::load([("a.toml", ANCHORS), ("b.toml", TWO)]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(kb.anchors().len(), 2);
        assert_eq!(kb.anchors()[1].origin.source, 0);
    }

    #[test]
    fn anchor_problems_are_located() {
        let text = format!(
            "{TWO}
[[untag]]
article = \"a.txt\"
text = \"Ma\"
after = 3
colour = \"red\"

[[assign]]
article = \"a.txt\"
text = \"\"
before = \"\"
after = \"\"
entity = \"jack-mq\"
entty = \"x\"

[[untag]]
article = \"a.txt\"
text = \"Ma\"
before = \"one two three four\"
after = \"\"
entity = \"jack-ma\"

[[assign]]
article = \"a.txt\"
text = \"Ma\"
before = \"\"
after = \"\"
entity = \"nobody\"
"
        );
        let (kb, problems) = load_one(&text);
        let expected = [
            "kb.toml:19:1: error: the untag at line 19 has no `before` (write `before = \"\"` when the mention starts its paragraph); it is ignored until it has one",
            "kb.toml:22:9: error: `after` must be a string",
            "kb.toml:23:1: warning: unknown field `colour` of an [[untag]] table; it is ignored",
            "kb.toml:27:8: error: `text` is empty",
            "kb.toml:30:10: error: no entity has the id `jack-mq` (did you mean `jack-ma`?); this assign is ignored",
            "kb.toml:31:1: warning: unknown field `entty` of an [[assign]] table (did you mean `entity`?); it is ignored",
            "kb.toml:36:10: warning: `before` has 4 words; only the last 3 are compared",
            "kb.toml:38:1: warning: unknown field `entity` of an [[untag]] table (an [[untag]] names no entity; to say which entity a mention is, use [[assign]]); it is ignored",
            "kb.toml:45:10: error: no entity has the id `nobody`; this assign is ignored",
        ];
        for line in expected {
            assert!(
                problems.iter().any(|p| p == line),
                "missing {line}\nin {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        assert_eq!(kb.anchors().len(), 1);
        assert_eq!(kb.anchors()[0].anchor.before, "two three four");
    }

    #[test]
    fn anchor_tables_of_the_wrong_shape_are_errors() {
        let (kb, problems) = load_one("untag = 3\nassign = [1]\n");
        assert!(kb.anchors().is_empty());
        assert_eq!(
            problems,
            [
                "kb.toml:1:9: error: `untag` must be an array of tables, written as [[untag]]",
                "kb.toml:2:11: error: each `assign` must be a table, written as [[assign]]",
            ]
        );
        let (_, problems) = load_one(
            "[[untag]]\narticle = \"/abs/a.txt\"\ntext = \"A\"\nbefore = \"\"\nafter = \"\"\n",
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("kb.toml:2:11: warning: `article` should be the path relative"),
            "{problems:?}"
        );
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
            "[[untag]]",
            "[[assign]]\nentity = 1",
            "untag = [[1]]",
            "[untag]\narticle = \"a\"",
        ] {
            let _ = load_one(text);
        }
    }
}
