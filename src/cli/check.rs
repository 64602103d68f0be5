//! `dossier check`: every problem of the knowledge base and the corpus, as `file:line:col:`.

use std::path::Path;

use dossier::corpus::{Error, CONFIG_FILE};
use dossier::problem::{Problem, Severity};
use dossier::recognize::Target;
use dossier::text::LineIndex;

use super::session::{open_corpus, CliError, Session};
use super::Outcome;

pub fn run(path: Option<&Path>) -> Result<Outcome, CliError> {
    let corpus = match open_corpus(path) {
        Ok(corpus) => corpus,
        Err(Error::Config(problem)) => {
            println!("{problem}");
            println!("\n1 error");
            return Ok(Outcome::Problems);
        }
        Err(other) => return Err(other.into()),
    };
    let session = Session::new(corpus, &[])?;
    let mut problems = session.problems.clone();
    let mut failures = Vec::new();

    let report = session
        .corpus
        .index_report(&session.kb, &session.recognizer)?;
    super::entities::report_cache_notes(&report.cache_notes);
    let index = report.index;
    failures.extend(report.failures);
    problems.extend(
        report
            .stale_anchors
            .iter()
            .filter_map(|stale| stale.problem(&session.kb)),
    );
    if index.is_empty() {
        let config_path = session.corpus.config_path();
        let text = dossier::corpus::read_text(&config_path).unwrap_or_default();
        let span = session
            .corpus
            .config()
            .articles
            .first()
            .map_or(0..0, |glob| glob.span());
        problems.push(Problem::new(
            config_path,
            &text,
            &LineIndex::new(&text),
            span,
            Severity::Warning,
            format!("no article matches the `articles` globs of this {CONFIG_FILE}"),
        ));
    }
    for (_, doc) in index.docs_by_path() {
        if !doc.has_ambiguous() {
            continue;
        }
        // The index keeps no text: the few articles with something to say are read again.
        let (article, mentions) = match session.corpus.reread(doc, &session.kb, &session.recognizer)
        {
            Ok(found) => found,
            Err(err) => {
                failures.push(err);
                continue;
            }
        };
        for mention in &mentions {
            let Target::Ambiguous(ids) = &mention.target else {
                continue;
            };
            let names: Vec<String> = ids
                .iter()
                .map(|&id| format!("`{}`", session.kb.entity(id).id))
                .collect();
            problems.push(Problem::new(
                article.path(),
                article.text(),
                article.lines(),
                mention.span.clone(),
                Severity::Warning,
                format!(
                    "`{}` is ambiguous: it may be {}; name the one meant in full somewhere in this article",
                    &article.text()[mention.span.clone()],
                    names.join(" or ")
                ),
            ));
        }
    }

    problems.sort_by(|a, b| (&a.path, a.start).cmp(&(&b.path, b.start)));
    for problem in &problems {
        println!("{problem}");
    }
    for failure in &failures {
        println!("error: {failure}");
    }
    let errors = problems.iter().filter(|p| p.is_error()).count() + failures.len();
    let warnings = problems.len() + failures.len() - errors;
    if errors + warnings > 0 {
        println!();
    }
    println!(
        "{errors} error(s), {warnings} warning(s): {} entities in {} knowledge-base file(s), {} article(s)",
        session.kb.len(),
        session.kb.sources().len(),
        index.len() + failures.len()
    );
    Ok(if errors > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}
