//! `dossier annotate`: every mention of every article, as a table or as JSONL.

use std::collections::HashSet;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use dossier::corpus::Article;
use dossier::export::jsonl;
use dossier::recognize::{Form, Mention, Target};

use super::output::{one_line, Table};
use super::session::{open_corpus, open_corpus_or_folder, CliError, Session};
use super::{Format, Outcome};

/// The articles to annotate, grouped by the corpus (and so the knowledge base) they belong to.
pub(super) struct Job {
    pub session: Session,
    pub articles: Vec<PathBuf>,
    /// Places of the corpus that could not be walked (a symlink loop, a folder that cannot be
    /// listed): reported, and the rest annotated.
    pub unwalked: Vec<dossier::corpus::Error>,
}

pub fn run(paths: &[PathBuf], format: Format, knowledge: &[PathBuf]) -> Result<Outcome, CliError> {
    let jobs = plan(paths, knowledge)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut outcome = Outcome::Clean;
    for job in &jobs {
        job.session.report_errors();
        if job.session.has_errors() {
            outcome = Outcome::Problems;
        }
        for err in &job.unwalked {
            eprintln!("error: {err}");
            outcome = Outcome::Problems;
        }
        for path in &job.articles {
            let article = match Article::read(path.clone()) {
                Ok(article) => article.titled(job.session.corpus.title_for(path)),
                Err(err) => {
                    out.flush()?;
                    eprintln!("error: {err}");
                    outcome = Outcome::Problems;
                    continue;
                }
            };
            let session = &job.session;
            let mentions = session
                .corpus
                .annotate(&session.kb, &session.recognizer, &article);
            match format {
                Format::Jsonl => {
                    let doc = path.to_string_lossy();
                    jsonl::write(&mut out, &doc, &article, &mentions, &job.session.kb)?;
                }
                Format::Table => print_table(&mut out, &article, &mentions, &job.session)?,
            }
        }
    }
    out.flush()?;
    Ok(outcome)
}

/// Decides which corpus each path belongs to and which articles it stands for: a file itself,
/// a folder the corpus articles under it; no path at all, the whole corpus around `.`.
pub(super) fn plan(paths: &[PathBuf], knowledge: &[PathBuf]) -> Result<Vec<Job>, CliError> {
    if paths.is_empty() {
        let corpus = open_corpus(None)?;
        let (articles, unwalked) = corpus.walk_articles();
        let session = Session::new(corpus, knowledge)?;
        return Ok(vec![Job {
            session,
            articles,
            unwalked,
        }]);
    }
    let mut jobs: Vec<Job> = Vec::new();
    for path in paths {
        let corpus = open_corpus_or_folder(path, knowledge)?;
        let (articles, unwalked) = if path.is_dir() {
            let (articles, unwalked) = corpus.walk_articles();
            (under(path, articles), unwalked)
        } else {
            (vec![path.clone()], Vec::new())
        };
        let root = canonical(corpus.root());
        match jobs
            .iter_mut()
            .find(|j| canonical(j.session.corpus.root()) == root)
        {
            Some(job) => {
                job.articles.extend(articles);
                job.unwalked.extend(unwalked);
            }
            None => {
                let session = Session::new(corpus, knowledge)?;
                jobs.push(Job {
                    session,
                    articles,
                    unwalked,
                });
            }
        }
    }
    for job in &mut jobs {
        let mut seen = HashSet::new();
        job.articles.retain(|p| seen.insert(canonical(p)));
    }
    Ok(jobs)
}

/// The articles that lie inside `folder`.
fn under(folder: &Path, articles: Vec<PathBuf>) -> Vec<PathBuf> {
    let folder = canonical(folder);
    articles
        .into_iter()
        .filter(|a| canonical(a).starts_with(&folder))
        .collect()
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn print_table(
    out: &mut impl Write,
    article: &Article,
    mentions: &[Mention],
    session: &Session,
) -> io::Result<()> {
    let text = article.text();
    writeln!(
        out,
        "{}  {}",
        article.path().display(),
        one_line(article.title())
    )?;
    let mut table = Table::with_header(&["LINE:COL", "TEXT", "ENTITY", "KIND", "NOTE"]);
    for mention in mentions {
        let at = article.lines().line_col(text, mention.span.start);
        let (entity, kind) = match &mention.target {
            Target::Entity(id) => {
                let e = session.kb.entity(*id);
                (e.id.clone(), e.kind.to_string())
            }
            Target::Ambiguous(ids) => {
                let ids: Vec<&str> = ids
                    .iter()
                    .map(|&id| session.kb.entity(id).id.as_str())
                    .collect();
                (ids.join(" | "), "ambiguous".to_owned())
            }
        };
        let mut notes = Vec::new();
        if mention.form == Form::WeakAlias && mention.entity().is_some() {
            notes.push("weak alias".to_owned());
        }
        if let Some(title) = &mention.title {
            notes.push(format!("title: {}", one_line(&text[title.clone()])));
        }
        table.row(vec![
            format!("{}:{}", at.line + 1, at.column + 1),
            one_line(&text[mention.span.clone()]),
            entity,
            kind,
            notes.join("; "),
        ]);
    }
    table.print(out, 2)?;
    let distinct: HashSet<_> = mentions.iter().filter_map(Mention::entity).collect();
    writeln!(
        out,
        "  {} mention(s) of {} entit{}\n",
        mentions.len(),
        distinct.len(),
        if distinct.len() == 1 { "y" } else { "ies" }
    )
}
