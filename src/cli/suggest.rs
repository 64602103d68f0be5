//! `dossier suggest [PATH...]`: the candidate names of the corpus — names its knowledge base
//! lacks — most frequent first, with their count, articles, guessed kind and one line of
//! context each; `--format jsonl` for programs.

use std::io::{self, BufWriter, Write};

use dossier::corpus::suggest::{suggest, SuggestDoc};
use dossier::corpus::Article;
use dossier::recognize::{is_untagged, Lexicon, Mention};

use super::annotate::plan;
use super::output::Table;
use super::session::CliError;
use super::{Format, Outcome};

pub fn run(paths: &[std::path::PathBuf], format: Format) -> Result<Outcome, CliError> {
    let jobs = plan(paths, &[])?;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut outcome = Outcome::Clean;
    for job in &jobs {
        let session = &job.session;
        session.report_errors();
        if session.has_errors() {
            outcome = Outcome::Problems;
        }
        for err in &job.unwalked {
            eprintln!("error: {err}");
            outcome = Outcome::Problems;
        }
        let mut articles: Vec<(String, Article, Vec<Mention>)> = Vec::new();
        for path in &job.articles {
            match Article::read(path.clone()) {
                Ok(article) => {
                    let mentions =
                        session
                            .corpus
                            .annotate(&session.kb, &session.recognizer, &article);
                    articles.push((path.to_string_lossy().into_owned(), article, mentions));
                }
                Err(err) => {
                    eprintln!("error: {err}");
                    outcome = Outcome::Problems;
                }
            }
        }
        // The evidence of the whole corpus, not only of the articles asked about.
        let mut lexicon = Lexicon::default();
        match session.corpus.article_paths() {
            Ok(all) => {
                for path in all {
                    if let Ok(text) = dossier::corpus::read_text(&path) {
                        lexicon.add(&text);
                    }
                }
            }
            Err(_) => {
                for (_, article, _) in &articles {
                    lexicon.add(article.text());
                }
            }
        }
        let docs: Vec<SuggestDoc<'_>> = articles
            .iter()
            .map(|(doc, article, mentions)| SuggestDoc {
                doc,
                text: article.text(),
                mentions,
            })
            .collect();
        let config = session.corpus.config();
        let found = suggest(&docs, &lexicon, |doc, span, name| {
            config.ignores_candidate(name)
                || session
                    .corpus
                    .article_name(std::path::Path::new(doc.doc))
                    .is_some_and(|a| is_untagged(&session.kb, &a, doc.text, span))
        });
        match format {
            Format::Jsonl => {
                for s in &found {
                    serde_json::to_writer(&mut out, s)?;
                    out.write_all(b"\n")?;
                }
            }
            Format::Table => {
                let mut table =
                    Table::with_header(&["COUNT", "ARTICLES", "NAME", "KIND", "FIRST", "CONTEXT"]);
                for s in &found {
                    table.row(vec![
                        s.count.to_string(),
                        s.articles.len().to_string(),
                        s.name.clone(),
                        s.kind.map_or("?".to_owned(), |k| k.to_string()),
                        format!("{}:{}:{}", s.doc, s.line + 1, s.character + 1),
                        s.context.clone(),
                    ]);
                }
                table.print(&mut out, 0)?;
                writeln!(
                    out,
                    "\n{} candidate name(s) in {} article(s); silence one with `[candidates] ignore = [\"…\"]` in {}",
                    found.len(),
                    docs.len(),
                    dossier::corpus::CONFIG_FILE
                )?;
            }
        }
    }
    out.flush()?;
    Ok(outcome)
}
