//! `dossier.toml`: which files of a corpus are articles and which hold the knowledge base.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::problem::{Problem, Severity};
use crate::text::LineIndex;

/// The name of the file that marks a corpus root, as `Cargo.toml` marks a package.
pub const CONFIG_FILE: &str = "dossier.toml";

/// The settings of a corpus. Every key is optional; the defaults are the design's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Globs, relative to the corpus root, of the article files.
    pub articles: Vec<Spanned<String>>,
    /// Knowledge-base files, relative to the corpus root.
    pub knowledge: Vec<Spanned<String>>,
    /// Titles given by hand (`[titles]`), by article path relative to the root with `/`
    /// separators (as `[[untag]]` names articles), for headlines the text gets wrong.
    pub titles: BTreeMap<String, String>,
    /// Names never to hint at or suggest as candidates (`[candidates] ignore = [...]`): the
    /// corpus-wide way to silence a candidate, where `[[untag]]` silences one mention.
    pub ignored_candidates: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    articles: Option<Vec<Spanned<String>>>,
    knowledge: Option<Vec<Spanned<String>>>,
    titles: Option<BTreeMap<String, String>>,
    candidates: Option<RawCandidates>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCandidates {
    ignore: Option<Vec<String>>,
}

impl Default for Config {
    fn default() -> Self {
        let spanned = |s: &str| Spanned::new(0..0, s.to_owned());
        Config {
            articles: vec![spanned("**/*.txt"), spanned("**/*.md")],
            knowledge: vec![spanned("entities.toml")],
            titles: BTreeMap::new(),
            ignored_candidates: Vec::new(),
        }
    }
}

impl Config {
    /// Parses the text of a `dossier.toml` at `path`; a problem names the exact place.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Box<Problem>> {
        let raw: RawConfig = toml::from_str(text).map_err(|err| {
            let lines = LineIndex::new(text);
            Box::new(Problem::new(
                path,
                text,
                &lines,
                err.span().unwrap_or(0..0),
                Severity::Error,
                err.message().trim().to_owned(),
            ))
        })?;
        let defaults = Config::default();
        Ok(Config {
            articles: raw.articles.unwrap_or(defaults.articles),
            knowledge: raw.knowledge.unwrap_or(defaults.knowledge),
            titles: raw.titles.unwrap_or_default(),
            ignored_candidates: raw
                .candidates
                .and_then(|c| c.ignore)
                .unwrap_or_default()
                .iter()
                .map(|name| one_line(name))
                .collect(),
        })
    }

    /// Whether the candidate name `name` is on the ignore list; names compare with every run
    /// of whitespace as one space, case and all.
    pub fn ignores_candidate(&self, name: &str) -> bool {
        !self.ignored_candidates.is_empty() && {
            let name = one_line(name);
            self.ignored_candidates.contains(&name)
        }
    }
}

/// Every run of whitespace as one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_optional() {
        let config = Config::parse(Path::new("dossier.toml"), "");
        assert_eq!(config.ok(), Some(Config::default()));
    }

    #[test]
    fn keys_are_read() {
        let config = Config::parse(
            Path::new("dossier.toml"),
            "articles = [\"news/*.txt\"]\nknowledge = [\"a.toml\", \"b.toml\"]\n",
        );
        let config = config.ok().unwrap_or_default();
        assert_eq!(config.articles.len(), 1);
        assert_eq!(config.knowledge[1].get_ref(), "b.toml");
    }

    #[test]
    fn mistakes_are_located() {
        let problem = Config::parse(
            Path::new("dossier.toml"),
            "articles = [\"*.txt\"]\nknowlege = []\n",
        )
        .err();
        let rendered = problem.map(|p| p.to_string()).unwrap_or_default();
        assert!(
            rendered.starts_with("dossier.toml:2:1: error: unknown field `knowlege`"),
            "{rendered}"
        );
    }

    #[test]
    fn ignored_candidates_are_read_and_compared_by_their_words() {
        let text = "[candidates]\nignore = [\"Special  Conversation\"]\n";
        let config = Config::parse(Path::new("dossier.toml"), text).ok();
        let config = config.unwrap_or_default();
        assert!(config.ignores_candidate("Special\nConversation"));
        assert!(!config.ignores_candidate("special conversation"));
        assert!(!Config::default().ignores_candidate("Special Conversation"));
    }

    #[test]
    fn titles_are_read_by_article_path() {
        let text = "[titles]\n\"news/a.txt\" = \"Ma in KL\"\n";
        let config = Config::parse(Path::new("dossier.toml"), text).ok();
        let title = config.as_ref().and_then(|c| c.titles.get("news/a.txt"));
        assert_eq!(title.map(String::as_str), Some("Ma in KL"));
    }
}
