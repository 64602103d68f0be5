//! `dossier entities`: the knowledge base with how much the corpus mentions each entity.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use super::output::Table;
use super::session::{open_corpus, CliError, Session};
use super::{Format, Outcome};

#[derive(Serialize)]
struct EntityRecord<'a> {
    entity: &'a str,
    name: &'a str,
    kind: &'static str,
    role: &'a str,
    country: &'a str,
    mentions: u32,
    articles: usize,
}

pub fn run(path: Option<&Path>, format: Format) -> Result<Outcome, CliError> {
    let session = Session::new(open_corpus(path)?, &[])?;
    session.report_errors();
    let report = session
        .corpus
        .index_report(&session.kb, &session.recognizer)?;
    report_cache_notes(&report.cache_notes);
    let (index, failures) = (report.index, report.failures);
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    let mut rows: Vec<EntityRecord<'_>> = session
        .kb
        .iter()
        .map(|(id, e)| {
            let stats = index.stats(id);
            EntityRecord {
                entity: &e.id,
                name: &e.name,
                kind: e.kind.as_str(),
                role: &e.role,
                country: &e.country,
                mentions: stats.mention_count(),
                articles: stats.article_count(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then(b.articles.cmp(&a.articles))
            .then(a.name.cmp(b.name))
    });

    let mut out = BufWriter::new(io::stdout().lock());
    match format {
        Format::Jsonl => {
            for row in &rows {
                serde_json::to_writer(&mut out, row)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Table => {
            let mut table =
                Table::with_header(&["MENTIONS", "ARTICLES", "ENTITY", "NAME", "KIND", "COUNTRY"]);
            for row in &rows {
                table.row(vec![
                    row.mentions.to_string(),
                    row.articles.to_string(),
                    row.entity.to_owned(),
                    row.name.to_owned(),
                    row.kind.to_owned(),
                    row.country.to_owned(),
                ]);
            }
            table.print(&mut out, 0)?;
            writeln!(out, "\n{} entities, {} articles", rows.len(), index.len())?;
        }
    }
    out.flush()?;
    let clean = failures.is_empty() && !session.has_errors();
    Ok(if clean {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}

/// Says on stderr what went wrong with the index cache (a file ignored, or not written): the
/// results are right either way, but a cache that never works is worth knowing about.
pub(super) fn report_cache_notes(notes: &[String]) {
    for note in notes {
        eprintln!("note: {}", note.trim_start_matches("dossier: "));
    }
}
