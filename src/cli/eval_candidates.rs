//! `dossier eval-candidates [PATH]` (hidden): how well the candidate rules find the names the
//! knowledge base lacks, measured by leaving entities out of a copy of a complete knowledge
//! base ([`dossier::evaluate`]). Prints the table the README quotes.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use dossier::evaluate::{evaluate, Doc, Example};

use super::output::{one_line, Table};
use super::session::{open_corpus, CliError, Session};
use super::Outcome;

pub fn run(path: Option<&Path>, verbose: bool) -> Result<Outcome, CliError> {
    let session = Session::new(open_corpus(path)?, &[])?;
    session.report_errors();
    let (paths, failures) = session.corpus.walk_articles();
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    let mut docs = Vec::new();
    for path in paths {
        let text = dossier::corpus::read_text(&path)?;
        let name = session
            .corpus
            .article_name(&path)
            .unwrap_or_else(|| path.display().to_string());
        docs.push(Doc { name, text });
    }
    docs.sort_by(|a, b| a.name.cmp(&b.name));
    let result = evaluate(&session.kb, &docs);

    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "Candidate names: {} entities, {} articles\n",
        session.kb.len(),
        docs.len()
    )?;
    let mut table = Table::with_header(&[
        "PROTOCOL",
        "RUNS",
        "MENTIONS",
        "RECALL",
        "EXACT",
        "CANDIDATES",
        "RIGHT",
        "LACKING",
        "WRONG",
        "PRECISION",
        "STRICT",
    ]);
    for row in &result.rows {
        table.row(vec![
            row.protocol.clone(),
            row.runs.to_string(),
            row.mentions.to_string(),
            format!("{:.3}", row.recall()),
            format!("{:.3}", row.exact_recall()),
            row.candidates.to_string(),
            row.right.to_string(),
            row.lacking.to_string(),
            row.wrong.to_string(),
            format!("{:.3}", row.precision()),
            format!("{:.3}", row.strict_precision()),
        ]);
    }
    table.print(&mut out, 0)?;
    writeln!(
        out,
        "\nrecall: share of the left-out entities' mentions a candidate overlaps (exact: same span)\n\
         precision: right / (right + wrong); strict: right / candidates\n\
         lacking: candidates the full knowledge base leaves over too, not judged ({}):",
        result.lacking.len()
    )?;
    list(&mut out, &result.lacking)?;
    if verbose {
        for (title, examples) in [
            ("missed (leave one out)", &result.missed),
            ("inexact spans (leave one out)", &result.inexact),
            ("wrong candidates (leave one out)", &result.wrong),
        ] {
            writeln!(out, "\n{title} ({}):", examples.len())?;
            list(&mut out, examples)?;
        }
    }
    out.flush()?;
    Ok(if failures.is_empty() && !session.has_errors() {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}

fn list(out: &mut impl Write, examples: &[Example]) -> io::Result<()> {
    for e in examples {
        writeln!(out, "  {}: «{}» {}", e.doc, one_line(&e.text), e.note)?;
    }
    Ok(())
}
