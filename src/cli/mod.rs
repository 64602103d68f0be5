//! Command-line arguments and the dispatch to one module per subcommand.

mod annotate;
mod check;
mod entities;
mod eval_candidates;
mod generate;
mod output;
mod session;
mod suggest;
mod tag;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use dossier::kb::Kind;

/// Annotates news articles with the people, organisations, places and initiatives they mention.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lists every mention in articles or corpus folders (default: the corpus around the
    /// current directory).
    Annotate {
        /// Article files or corpus folders.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Knowledge-base file to use instead of the corpus's own (repeatable); lets loose
        /// files outside any corpus be annotated.
        #[arg(long = "knowledge", value_name = "FILE")]
        knowledge: Vec<PathBuf>,
    },
    /// Lists the knowledge base with mention and article counts, most mentioned first.
    Entities {
        /// A corpus folder, or any path inside one (default: the current directory).
        path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Lists the candidate names (names the knowledge base lacks), most frequent first, with
    /// count, articles, guessed kind and one line of context each.
    Suggest {
        /// Article files or corpus folders (default: the corpus around the current directory).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Validates the knowledge base and the corpus; exits non-zero when there are errors.
    Check {
        /// A corpus folder, or any path inside one (default: the current directory).
        path: Option<PathBuf>,
    },
    /// Adds an entity to the knowledge base, editing its file in place (comments and layout
    /// kept) and writing it atomically; refuses an id or a name another entity has.
    Tag {
        /// The entity's canonical name, as articles write it in full.
        name: String,
        /// What it is: person, organization, place, initiative, event or product.
        #[arg(long)]
        kind: Kind,
        /// Who or what it is, in a phrase ("Finance Secretary of the Philippines").
        #[arg(long)]
        role: Option<String>,
        /// The country it belongs to.
        #[arg(long)]
        country: Option<String>,
        /// Another form that always means it (repeatable).
        #[arg(long = "alias", value_name = "FORM")]
        aliases: Vec<String>,
        /// A short form that counts only where the article also names it in full (repeatable).
        #[arg(long = "weak-alias", value_name = "FORM")]
        weak_aliases: Vec<String>,
        /// Its slug (default: made from the name, `Lim Guan Eng` → `lim-guan-eng`).
        #[arg(long)]
        id: Option<String>,
        /// The knowledge-base file to add it to (default: the first `dossier.toml` names).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// A corpus folder, or any path inside one (default: the current directory).
        #[arg(long, value_name = "PATH")]
        corpus: Option<PathBuf>,
    },
    /// Measures the candidate rules on a corpus with a complete knowledge base, by leaving
    /// entities out of a copy of it (for developers; see the README).
    #[command(hide = true)]
    EvalCandidates {
        /// A corpus folder, or any path inside one (default: the current directory).
        path: Option<PathBuf>,
        /// Also list the mentions missed and the wrong candidates.
        #[arg(long)]
        verbose: bool,
    },
    /// Serves the Language Server Protocol on stdin/stdout, for editors.
    Lsp,
    /// Writes a synthetic corpus (knowledge base and articles) for benchmarks; the same seed
    /// always gives the same corpus.
    Generate {
        /// Folder to create the corpus in (must not hold one already).
        out: PathBuf,
        /// Number of entities in the knowledge base.
        #[arg(long, default_value_t = 10_000)]
        entities: usize,
        /// Number of articles.
        #[arg(long, default_value_t = 1_000)]
        articles: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Approximate size of each article in bytes.
        #[arg(long, default_value_t = 5_000)]
        article_bytes: usize,
        /// Entity mentions per hundred words, roughly.
        #[arg(long, default_value_t = 3)]
        density: u32,
    },
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON object per line, for programs.
    Jsonl,
}

/// How a run ended, mapped to the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Everything worked.
    Clean,
    /// The job ran, but found errors (a broken knowledge base, an unreadable article).
    Problems,
}

/// Runs the command line; errors are printed as one sentence on stderr, never a backtrace.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Annotate {
            paths,
            format,
            knowledge,
        } => annotate::run(&paths, format, &knowledge),
        Command::Entities { path, format } => entities::run(path.as_deref(), format),
        Command::Check { path } => check::run(path.as_deref()),
        Command::Tag {
            name,
            kind,
            role,
            country,
            aliases,
            weak_aliases,
            id,
            file,
            corpus,
        } => tag::run(
            corpus.as_deref(),
            tag::Request {
                name,
                kind,
                id,
                role,
                country,
                aliases,
                weak_aliases,
                file,
            },
        ),
        Command::Suggest { paths, format } => suggest::run(&paths, format),
        Command::EvalCandidates { path, verbose } => eval_candidates::run(path.as_deref(), verbose),
        Command::Generate {
            out,
            entities,
            articles,
            seed,
            article_bytes,
            density,
        } => generate::run(
            &out,
            &generate::Plan {
                entities,
                articles,
                seed,
                article_bytes,
                per_100_words: density,
            },
        ),
        // An `exit` without `shutdown` ends with status 1, as the protocol says.
        Command::Lsp => dossier::lsp::run_stdio()
            .map(|clean| {
                if clean {
                    Outcome::Clean
                } else {
                    Outcome::Problems
                }
            })
            .map_err(Into::into),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
