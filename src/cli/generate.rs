//! `dossier generate`: a synthetic corpus for benchmarks, deterministic by seed.

use std::fs;
use std::path::Path;

use dossier::{atomic_file, synth};

use super::session::CliError;
use super::Outcome;

/// Sizes and seed of a synthetic corpus.
pub struct Plan {
    pub entities: usize,
    pub articles: usize,
    pub seed: u64,
    pub article_bytes: usize,
    pub per_100_words: u32,
}

pub fn run(out: &Path, plan: &Plan) -> Result<Outcome, CliError> {
    if out.join("dossier.toml").exists() {
        return Err(format!(
            "{} already holds a corpus; choose an empty folder",
            out.display()
        )
        .into());
    }
    let articles_dir = out.join("articles");
    fs::create_dir_all(&articles_dir)
        .map_err(|e| format!("cannot create {}: {e}", articles_dir.display()))?;
    let entities = synth::entities(plan.entities, plan.seed);
    write_atomically(
        &out.join("entities.toml"),
        &synth::knowledge_base(&entities),
    )?;
    for i in 0..plan.articles {
        // A thousand articles a folder keeps directories listable.
        let folder = articles_dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&folder)
                .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        }
        let text = synth::article(
            &entities,
            i,
            plan.seed,
            plan.article_bytes,
            plan.per_100_words,
        );
        write(&folder.join(format!("{i:06}.txt")), &text)?;
    }
    // Written last: a corpus is only a corpus once everything is in place, so a run killed
    // midway leaves a folder no command takes for a corpus.
    write_atomically(
        &out.join("dossier.toml"),
        "# Synthetic corpus made by `dossier generate`.\narticles = [\"articles/**/*.txt\"]\nknowledge = [\"entities.toml\"]\n",
    )?;
    eprintln!(
        "generated {} entities and {} articles in {}",
        plan.entities,
        plan.articles,
        out.display()
    );
    Ok(Outcome::Clean)
}

/// An article: a plain write, since a million fsyncs would make generating a corpus of a
/// million articles take hours, and a torn article only matters in a corpus that is complete,
/// which `dossier.toml`, written last, marks.
fn write(path: &Path, text: &str) -> Result<(), CliError> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()).into())
}

fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    atomic_file::write(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()).into())
}
