//! `dossier tag`: adds an entity to the knowledge base from the command line, the way the
//! editor's "Tag «X» as …" action does, for scripts and for people who tag from `dossier
//! suggest`'s list.
//!
//! The file is edited in place by the same [`dossier::kb::edit`] functions the language server
//! uses, so comments and layout are kept, and written with [`dossier::atomic_file::write`]. It
//! refuses, before touching the file, what the loader would reject: an id or a name another
//! entity already has; and it checks that the new file loads with no new error.

use std::path::{Path, PathBuf};

use dossier::atomic_file;
use dossier::corpus::{read_text, Corpus, Error as CorpusError};
use dossier::kb::edit::{self, Clash, NewEntity};
use dossier::kb::{slugify, Kind, KnowledgeBase};
use dossier::problem::Problem;

use super::session::{open_corpus, CliError};
use super::Outcome;

/// What `dossier tag` was asked to add.
pub struct Request {
    pub name: String,
    pub kind: Kind,
    pub id: Option<String>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub aliases: Vec<String>,
    pub weak_aliases: Vec<String>,
    /// The knowledge-base file to add it to; the first `dossier.toml` names when `None`.
    pub file: Option<PathBuf>,
}

pub fn run(corpus_path: Option<&Path>, request: Request) -> Result<Outcome, CliError> {
    let corpus = open_corpus(corpus_path)?;
    let target = target_file(&corpus, request.file.as_deref())?;
    let text = match read_text(&target) {
        Ok(text) => text,
        // A file `dossier.toml` names but nobody has written yet: this makes it.
        Err(CorpusError::NotFound { .. }) => String::new(),
        Err(err) => return Err(err.into()),
    };
    let (kb, before) = corpus.load_knowledge();
    if let Err(err) = text.parse::<toml::Table>() {
        let first = before
            .iter()
            .find(|p| p.is_error() && same_file(&p.path, &target))
            .map_or_else(|| err.to_string(), ToString::to_string);
        return Err(format!("{first}\nnothing was written: fix the file first").into());
    }

    let name = request.name.trim().to_owned();
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    let entity = NewEntity {
        id: request.id.unwrap_or_else(|| slugify(&name)),
        name,
        kind: request.kind,
        role: request.role.unwrap_or_default(),
        country: request.country.unwrap_or_default(),
        aliases: request.aliases,
        weak_aliases: request.weak_aliases,
    };
    if let Some(clash) = edit::clashes(&kb, &entity).first() {
        return Err(explain(&kb, &entity, clash).into());
    }

    let append = edit::append_entity(&text, &entity);
    let Some(new_text) = append.apply(&text) else {
        return Err(format!("cannot edit {}", target.display()).into());
    };
    let (_, after) = corpus.load_knowledge_with(|path| {
        if same_file(path, &target) {
            Ok(new_text.clone())
        } else {
            read_text(path)
        }
    });
    let new_problems: Vec<&Problem> = after
        .iter()
        .filter(|p| same_file(&p.path, &target) && p.span.start >= append.range.start)
        .collect();
    let new_errors: Vec<String> = new_problems
        .iter()
        .filter(|p| p.is_error())
        .map(ToString::to_string)
        .collect();
    if !new_errors.is_empty() {
        return Err(format!(
            "the new entity would not load:\n{}\nnothing was written",
            new_errors.join("\n")
        )
        .into());
    }

    atomic_file::write(&target, new_text.as_bytes())
        .map_err(|err| format!("cannot write {}: {err}", target.display()))?;
    let header = append.range.start + append.new_text.find("[[entity]]").unwrap_or(0);
    let line = new_text
        .get(..header)
        .map_or(0, |t| t.matches('\n').count());
    println!(
        "added `{}` ({}) to {}:{}",
        entity.id,
        entity.kind,
        target.display(),
        line + 1
    );
    for warning in new_problems.iter().filter(|p| !p.is_error()) {
        eprintln!("{warning}");
    }
    Ok(Outcome::Clean)
}

/// The file to edit: `file` when given, which must be one of the corpus's knowledge-base files
/// (another would never be loaded), else the first of them.
fn target_file(corpus: &Corpus, file: Option<&Path>) -> Result<PathBuf, CliError> {
    let paths = corpus.knowledge_paths();
    let Some(first) = paths.first() else {
        return Err(format!(
            "{} names no knowledge-base file (`knowledge = [\"entities.toml\"]`)",
            corpus.config_path().display()
        )
        .into());
    };
    let Some(file) = file else {
        return Ok(first.clone());
    };
    paths
        .iter()
        .find(|p| same_file(p, file))
        .cloned()
        .ok_or_else(|| {
            let listed: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            format!(
                "{} is not a knowledge-base file of this corpus; {} names {}",
                file.display(),
                corpus.config_path().display(),
                listed.join(", ")
            )
            .into()
        })
}

/// Whether two paths name the same file: compared as written, then by their canonical forms.
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(a), Ok(b)) if a == b
        )
}

/// The refusal for `clash`, pointing at the entity in the way.
fn explain(kb: &KnowledgeBase, entity: &NewEntity, clash: &Clash) -> String {
    let place = |owner| {
        let e = kb.entity(owner);
        let at = kb.source_of(owner).map_or_else(String::new, |s| {
            let pos = s.lines.line_col(&s.text, e.origin.header.start);
            format!(
                " ({}:{}:{})",
                s.path.display(),
                pos.line + 1,
                pos.column + 1
            )
        });
        format!("{}{at}", e.name)
    };
    match clash {
        Clash::Id { owner } => format!(
            "the id `{}` is taken by {}; give another with --id",
            entity.id,
            place(*owner)
        ),
        Clash::StrongForm { form, owner } => format!(
            "«{form}» already names {}; a name or alias must mean one entity (a short form two entities share is a --weak-alias of both)",
            place(*owner)
        ),
    }
}
