//! A corpus: a folder with a `dossier.toml` at its root, its articles and its knowledge base,
//! and the index of who is mentioned where.
//!
//! Paths are kept the way the caller gave them: open `seeds` and the articles are
//! `seeds/000_….txt`, so the CLI prints paths relative to where the user stands, and the language
//! server, which opens absolute paths, gets absolute paths back.

mod article;
pub mod cache;
mod config;
mod error;
mod index;
mod packed;
mod parallel;
pub mod suggest;
mod title;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

pub use article::{read_text, title_of, Article};
pub use config::{Config, CONFIG_FILE};
pub use error::Error;
pub use index::{CorpusIndex, DocId, EntityStats, InDoc, IndexedDoc};
pub use title::MAX_TITLE;

use crate::kb::{AnchorId, KnowledgeBase};
use crate::problem::{Problem, Severity};
use crate::recognize::{apply_anchors, Mention, Recognizer};
use crate::text::LineIndex;

/// An opened corpus: where it is and what its `dossier.toml` says.
#[derive(Debug, Clone)]
pub struct Corpus {
    root: PathBuf,
    config: Config,
    config_text: Arc<str>,
    articles: GlobSet,
}

impl Corpus {
    /// Opens the corpus whose root is `root` (the folder holding `dossier.toml`).
    pub fn open(root: impl Into<PathBuf>) -> Result<Corpus, Error> {
        let root = root.into();
        if !root.exists() {
            return Err(Error::NotFound { path: root });
        }
        let config_path = join(&root, Path::new(CONFIG_FILE));
        if !config_path.is_file() {
            return Err(Error::NoConfig { folder: root });
        }
        let config_text: Arc<str> = read_text(&config_path)?.into();
        let config = Config::parse(&config_path, &config_text).map_err(Error::Config)?;
        Corpus::with_config(root, config, config_text)
    }

    /// A folder that has no `dossier.toml`, read with the default settings: for annotating
    /// loose files against a knowledge base given by hand.
    pub fn with_defaults(root: impl Into<PathBuf>) -> Result<Corpus, Error> {
        let root = root.into();
        if !root.exists() {
            return Err(Error::NotFound { path: root });
        }
        Corpus::with_config(root, Config::default(), "".into())
    }

    fn with_config(root: PathBuf, config: Config, config_text: Arc<str>) -> Result<Corpus, Error> {
        let config_path = join(&root, Path::new(CONFIG_FILE));
        let mut builder = GlobSetBuilder::new();
        for glob in &config.articles {
            let parsed = Glob::new(glob.get_ref()).map_err(|err| {
                Error::Config(Box::new(Problem::new(
                    &config_path,
                    &config_text,
                    &LineIndex::new(&config_text),
                    glob.span(),
                    Severity::Error,
                    format!("invalid glob `{}`: {}", glob.get_ref(), err.kind()),
                )))
            })?;
            builder.add(parsed);
        }
        let articles = builder.build().map_err(|err| Error::Io {
            path: config_path,
            source: std::io::Error::other(err),
        })?;
        Ok(Corpus {
            root,
            config,
            config_text,
            articles,
        })
    }

    /// Opens the corpus around `start`: the nearest folder at or above it (or above the file)
    /// that holds a `dossier.toml`. A relative `start` gives a root relative to the current
    /// directory (`..` when the corpus root is the parent), so paths stay short and readable.
    pub fn find(start: &Path) -> Result<Corpus, Error> {
        let root = find_root(start)?;
        Corpus::open(root)
    }

    /// The corpus root, as given or found.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The settings read from `dossier.toml`.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The path of `dossier.toml`.
    pub fn config_path(&self) -> PathBuf {
        join(&self.root, Path::new(CONFIG_FILE))
    }

    /// The knowledge-base files `dossier.toml` names, in order.
    pub fn knowledge_paths(&self) -> Vec<PathBuf> {
        self.config
            .knowledge
            .iter()
            .map(|k| join(&self.root, Path::new(k.get_ref())))
            .collect()
    }

    /// Whether `relative` (a path relative to the root) is an article by the globs.
    pub fn is_article(&self, relative: &Path) -> bool {
        self.articles.is_match(relative) && !self.is_knowledge(relative)
    }

    /// Whether `relative` is one of the knowledge-base files.
    pub fn is_knowledge(&self, relative: &Path) -> bool {
        self.config
            .knowledge
            .iter()
            .any(|k| Path::new(k.get_ref()) == relative)
    }

    /// Every article of the corpus, sorted by path. Hidden folders (`.git`) and `target` are
    /// skipped; files are not read. The first place that cannot be walked is an error.
    pub fn article_paths(&self) -> Result<Vec<PathBuf>, Error> {
        let (paths, mut errors) = self.walk_articles();
        match errors.is_empty() {
            true => Ok(paths),
            false => Err(errors.swap_remove(0)),
        }
    }

    /// Like [`Corpus::article_paths`], but a place that cannot be walked (a symlink loop, a
    /// folder that cannot be listed) is left out and returned as an error, so that one bad
    /// link does not hide the rest of the corpus.
    pub fn walk_articles(&self) -> (Vec<PathBuf>, Vec<Error>) {
        let mut paths = Vec::new();
        let mut errors = Vec::new();
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    errors.push(Error::Io {
                        path: err.path().unwrap_or(&self.root).to_path_buf(),
                        source: err.into(),
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            if self.is_article(relative) {
                paths.push(join(&self.root, relative));
            }
        }
        paths.sort();
        (paths, errors)
    }

    /// Reads and loads the knowledge base. A knowledge file that cannot be read becomes a
    /// problem at its entry in `dossier.toml`, so it is reported like any other.
    pub fn load_knowledge(&self) -> (KnowledgeBase, Vec<Problem>) {
        self.load_knowledge_with(read_text)
    }

    /// Like [`Corpus::load_knowledge`], reading each file through `read`: an editor passes
    /// its unsaved buffers this way.
    pub fn load_knowledge_with(
        &self,
        mut read: impl FnMut(&Path) -> Result<String, Error>,
    ) -> (KnowledgeBase, Vec<Problem>) {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let config_path = self.config_path();
        let lines = LineIndex::new(&self.config_text);
        for (entry, path) in self.config.knowledge.iter().zip(self.knowledge_paths()) {
            match read(&path) {
                Ok(text) => files.push((path, text)),
                Err(err) => problems.push(Problem::new(
                    &config_path,
                    &self.config_text,
                    &lines,
                    entry.span(),
                    Severity::Error,
                    err.to_string(),
                )),
            }
        }
        let (kb, mut found) = KnowledgeBase::load(files);
        problems.append(&mut found);
        (kb, problems)
    }

    /// The title `dossier.toml` gives the article at `path` in its `[titles]`, if any.
    pub fn title_for(&self, path: &Path) -> Option<&str> {
        if self.config.titles.is_empty() {
            return None;
        }
        let name = self.article_name(path)?;
        self.config.titles.get(&name).map(String::as_str)
    }

    /// The name anchors give an article: its path relative to the corpus root, with `/`
    /// separators (`news/a.txt`). `None` for a path outside the root.
    ///
    /// Paths are compared as written first (`./` parts ignored), so that unsaved editor buffers
    /// work; then, for files that exist, through their canonical forms (`seeds/../seeds/a.txt`).
    pub fn article_name(&self, path: &Path) -> Option<String> {
        let plain = |p: &Path| -> PathBuf {
            p.components()
                .filter(|c| !matches!(c, Component::CurDir))
                .collect()
        };
        let lexical = plain(path)
            .strip_prefix(plain(&self.root))
            .ok()
            .and_then(relative_name);
        lexical.or_else(|| {
            let root = std::fs::canonicalize(&self.root).ok()?;
            let path = std::fs::canonicalize(path).ok()?;
            relative_name(path.strip_prefix(root).ok()?)
        })
    }

    /// Recognises the mentions of `article` and applies the knowledge base's `[[untag]]` and
    /// `[[assign]]` decisions about it: what every face shows for an article.
    pub fn annotate(
        &self,
        kb: &KnowledgeBase,
        recognizer: &Recognizer,
        article: &Article,
    ) -> Vec<Mention> {
        self.annotate_with_stale(kb, recognizer, article).0
    }

    /// An indexed article's text as it is on disk now, with its mentions: the index's when the
    /// text is the one they were found in, else found afresh (the file changed since, and the
    /// index has not heard yet). The index keeps no text, so features that need the text of an
    /// article nobody has open read it here.
    pub fn reread(
        &self,
        doc: &IndexedDoc,
        kb: &KnowledgeBase,
        recognizer: &Recognizer,
    ) -> Result<(Article, Vec<Mention>), Error> {
        let article = self.read_article(doc.path())?;
        let mentions = self.mentions_of(doc, &article, kb, recognizer);
        Ok((article, mentions))
    }

    /// The article at `path` as it is on disk now, titled as the corpus titles it: the first
    /// half of [`Corpus::reread`], for a caller that must not hold a lock while it reads.
    pub fn read_article(&self, path: &Path) -> Result<Article, Error> {
        Ok(Article::read(path.to_path_buf())?.titled(self.title_for(path)))
    }

    /// The mentions of `article`, read from disk for the indexed `doc`: the index's when the
    /// text is the one they were found in, else found afresh. The second half of
    /// [`Corpus::reread`].
    pub fn mentions_of(
        &self,
        doc: &IndexedDoc,
        article: &Article,
        kb: &KnowledgeBase,
        recognizer: &Recognizer,
    ) -> Vec<Mention> {
        if doc.describes(article.text()) {
            doc.mentions()
        } else {
            self.annotate(kb, recognizer, article)
        }
    }

    /// Like [`Corpus::annotate`], also returning the anchors of this article that matched no
    /// mention (stale: the article changed around them), for diagnostics.
    pub fn annotate_with_stale(
        &self,
        kb: &KnowledgeBase,
        recognizer: &Recognizer,
        article: &Article,
    ) -> (Vec<Mention>, Vec<AnchorId>) {
        let name = if kb.anchors().is_empty() {
            None
        } else {
            self.article_name(article.path())
        };
        annotate_named(kb, recognizer, article, name.as_deref())
    }

    /// Reads and annotates every article, building the index. Articles that cannot be read
    /// are left out and returned as errors, so one bad file does not hide the rest.
    pub fn index(
        &self,
        kb: &KnowledgeBase,
        recognizer: &Recognizer,
    ) -> Result<(CorpusIndex, Vec<Error>), Error> {
        let report = self.index_report(kb, recognizer)?;
        Ok((report.index, report.failures))
    }

    /// Like [`Corpus::index`], also finding the knowledge base's stale anchors: those that
    /// match no mention of their article, and those whose article is not in the corpus.
    pub fn index_report(
        &self,
        kb: &KnowledgeBase,
        recognizer: &Recognizer,
    ) -> Result<IndexReport, Error> {
        self.index_report_with(kb, recognizer, |_| None, |_, _| {})
    }

    /// Like [`Corpus::index_report`], with the texts an editor holds (`open`: its buffers win
    /// over the disk), telling `progress` how many of how many articles are done, now and then.
    pub fn index_report_with(
        &self,
        kb: &KnowledgeBase,
        recognizer: &Recognizer,
        open: impl Fn(&Path) -> Option<Article> + Sync,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<IndexReport, Error> {
        let (paths, failures) = self.walk_articles();
        let total = paths.len();
        let mut report = IndexReport {
            index: CorpusIndex::new(kb.len()),
            failures,
            stale_anchors: Vec::new(),
            cache_notes: Vec::new(),
            reused: 0,
            unread: 0,
        };
        let has_anchors = !kb.anchors().is_empty();
        let mut names = HashSet::new();
        let cache = cache::IndexCache::open(self, kb);
        report.cache_notes.extend(cache.note().map(str::to_owned));
        let annotate_one = |path: PathBuf| -> Annotated {
            let name = self.article_name(&path);
            let title = self.title_for(&path);
            let (article, stamp) = match open(&path) {
                Some(article) => (Ok(article), None),
                None => {
                    // Stamped before it is read: a change after the stamp shows at the next
                    // start as another stamp.
                    let stamp = cache::Stamp::of(&path);
                    let unread = name
                        .as_deref()
                        .zip(stamp)
                        .and_then(|(name, stamp)| cache.lookup_unread(name, &path, stamp, kb));
                    if let Some((entry, doc, stale)) = unread {
                        let found = Found {
                            doc,
                            stale,
                            entry: Some(entry),
                            reused: true,
                            unread: true,
                        };
                        return (name, Ok(found));
                    }
                    (Article::read(path), stamp)
                }
            };
            let result = article.map(|article| {
                let article = article.titled(title);
                let cached = name
                    .as_deref()
                    .and_then(|name| cache.lookup(name, article.path(), article.text(), stamp, kb));
                if let Some((entry, doc, stale)) = cached {
                    return Found {
                        doc,
                        stale,
                        entry: Some(entry),
                        reused: true,
                        unread: false,
                    };
                }
                let anchored = name.as_deref().filter(|_| has_anchors);
                let (mentions, stale) = annotate_named(kb, recognizer, &article, anchored);
                let doc = IndexedDoc::new(&article, mentions);
                let entry = name
                    .clone()
                    .map(|name| cache::Kept::New(cache::Entry::new(name, stamp, &doc, &stale)));
                Found {
                    doc,
                    stale,
                    entry,
                    reused: false,
                    unread: false,
                }
            });
            (name, result)
        };
        let mut done = 0;
        let mut next_cache = cache.writer();
        parallel::map_in_order(paths, annotate_one, |(name, result)| {
            if done % 64 == 0 {
                progress(done, total);
            }
            done += 1;
            match result {
                Ok(found) => {
                    report.reused += usize::from(found.reused);
                    report.unread += usize::from(found.unread);
                    report
                        .stale_anchors
                        .extend(found.stale.into_iter().map(|anchor| StaleAnchor {
                            anchor,
                            why: Staleness::NoMention,
                        }));
                    report.index.insert(found.doc);
                    if let Some(kept) = found.entry {
                        next_cache.push(kept);
                    }
                }
                Err(err) => report.failures.push(err),
            }
            names.extend(name);
        });
        if let Err(why) = next_cache.finish() {
            report.cache_notes.push(why);
        }
        for (i, rule) in kb.anchors().iter().enumerate() {
            if !names.contains(&rule.anchor.article) {
                report.stale_anchors.push(StaleAnchor {
                    anchor: AnchorId(i as u32),
                    why: Staleness::NoArticle,
                });
            }
        }
        report.stale_anchors.sort_by_key(|s| s.anchor);
        progress(total, total);
        Ok(report)
    }
}

/// One article read and annotated by a worker of [`Corpus::index_report_with`]: its anchor
/// name, and the article with its mentions and stale anchors, or why it could not be read.
type Annotated = (Option<String>, Result<Found, Error>);

/// What a worker of [`Corpus::index_report_with`] found in one article.
struct Found {
    /// The article as the index keeps it, with its mentions.
    doc: IndexedDoc,
    /// The anchors of the article that match none of its mentions.
    stale: Vec<AnchorId>,
    /// Its entry in the next index cache (none for an article outside the corpus's root).
    entry: Option<cache::Kept>,
    /// Whether the mentions came from the index cache rather than recognition.
    reused: bool,
    /// Whether the article was taken from the cache on its file's stamp, without reading it.
    unread: bool,
}

/// What [`Corpus::index_report`] found.
#[derive(Debug)]
pub struct IndexReport {
    /// Every readable article with its mentions.
    pub index: CorpusIndex,
    /// The articles that could not be read.
    pub failures: Vec<Error>,
    /// The anchors that apply to nothing, in knowledge-base order.
    pub stale_anchors: Vec<StaleAnchor>,
    /// What went wrong with the index cache ([`cache`]): a file ignored, or not written. For
    /// the log; the index is right either way.
    pub cache_notes: Vec<String>,
    /// How many articles the index cache spared recognising, for the user to see it work.
    pub reused: usize,
    /// How many of those were taken on their file's stamp alone, without being read.
    pub unread: usize,
}

/// An `[[untag]]` or `[[assign]]` that applies to nothing, worth a warning at its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StaleAnchor {
    /// Which one, in [`KnowledgeBase::anchors`].
    pub anchor: AnchorId,
    /// Why it applies to nothing.
    pub why: Staleness,
}

impl StaleAnchor {
    /// The warning for it, at its table's header in the knowledge base.
    pub fn problem(&self, kb: &KnowledgeBase) -> Option<Problem> {
        let rule = kb.anchor(self.anchor)?;
        let source = kb.sources().get(rule.origin.source)?;
        let table = rule.action.table();
        let anchor = &rule.anchor;
        let message = match self.why {
            Staleness::NoArticle => format!(
                "this [[{table}]] is about `{}`, which is no article of this corpus; fix its `article` or remove it",
                anchor.article
            ),
            Staleness::NoMention => format!(
                "this [[{table}]] finds no mention `{}` in `{}` between \"{}\" and \"{}\"; the article changed there: update `before`/`after` or remove it",
                anchor.text, anchor.article, anchor.before, anchor.after
            ),
        };
        Some(Problem::new(
            &source.path,
            &source.text,
            &source.lines,
            rule.origin.header.clone(),
            Severity::Warning,
            message,
        ))
    }
}

/// Why an anchor applies to nothing, which decides what the user is told to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Staleness {
    /// Its `article` is no article of the corpus (renamed, deleted, or mistyped).
    NoArticle,
    /// The article has no mention with its text and words around it (edited there).
    NoMention,
}

/// Recognition plus the anchors of the article called `name`, if it has a name.
fn annotate_named(
    kb: &KnowledgeBase,
    recognizer: &Recognizer,
    article: &Article,
    name: Option<&str>,
) -> (Vec<Mention>, Vec<AnchorId>) {
    let mut mentions = recognizer.recognize(article.text());
    let mut stale = match name {
        Some(name) => apply_anchors(article.text(), name, &mut mentions, kb),
        None => Vec::new(),
    };
    // An untag that matches no mention may silence a candidate name: then it is not stale.
    if let (Some(name), false) = (name, stale.is_empty()) {
        let text = article.text();
        let candidates = crate::recognize::find_candidates(text, &mentions);
        stale.retain(|&id| {
            !kb.anchor(id).is_some_and(|rule| {
                rule.action == crate::kb::AnchorAction::Untag
                    && candidates
                        .iter()
                        .any(|c| is_untagged_by(rule, name, text, c.span.clone()))
            })
        });
    }
    (mentions, stale)
}

/// Whether `rule` anchors the stretch `span` of `text`, the article `name`.
fn is_untagged_by(
    rule: &crate::kb::AnchorRule,
    name: &str,
    text: &str,
    span: std::ops::Range<usize>,
) -> bool {
    let here = crate::kb::Anchor::at(name, text, span);
    rule.anchor.text == here.text
        && rule.anchor.before == here.before
        && rule.anchor.after == here.after
}

/// A relative path as anchors write it, `/`-separated; `None` if it leaves its base or is empty.
fn relative_name(relative: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn is_skipped_dir(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir()
        && entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with('.') || name == "target" || name == "node_modules")
}

/// Joins `relative` to `root`, leaving out a `.` root so paths read `a.txt`, not `./a.txt`.
fn join(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.to_path_buf()
    } else {
        root.join(relative)
    }
}

/// The nearest folder at or above `start` holding a `dossier.toml`, expressed relative to the
/// current directory when `start` is relative.
fn find_root(start: &Path) -> Result<PathBuf, Error> {
    if !start.exists() {
        return Err(Error::NotFound {
            path: start.to_path_buf(),
        });
    }
    let absolute = std::fs::canonicalize(start).map_err(|source| Error::Io {
        path: start.to_path_buf(),
        source,
    })?;
    let first = if absolute.is_dir() {
        absolute.as_path()
    } else {
        absolute.parent().unwrap_or(&absolute)
    };
    let found = first
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .ok_or_else(|| Error::NoCorpus {
            start: start.to_path_buf(),
        })?;
    if start.is_absolute() {
        return Ok(found.to_path_buf());
    }
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|source| Error::Io {
            path: PathBuf::from("."),
            source,
        })?;
    Ok(match pathdiff::diff_paths(found, &cwd) {
        Some(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Some(relative) => relative,
        None => found.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const KB: &str = r#"
[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
weak_aliases = ["Ma"]
role = "Founder of Alibaba Group"
country = "China"

[[untag]]
article = "news/a.txt"
text = "Ma"
before = ""
after = "said."

[[untag]]
article = "news/a.txt"
text = "Ma"
before = "nowhere"
after = ""

[[assign]]
article = "gone.txt"
text = "Ma"
before = ""
after = ""
entity = "jack-ma"
"#;

    fn corpus() -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("a temporary folder: {err}"));
        for (name, text) in [
            ("dossier.toml", ""),
            ("entities.toml", KB),
            ("news/a.txt", "Jack Ma spoke.\n\nMa said.\n\nMa left."),
        ] {
            let path = dir.path().join(name);
            let written = path
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::write(&path, text));
            assert!(written.is_ok(), "{written:?}");
        }
        let corpus = Corpus::open(dir.path());
        let Ok(corpus) = corpus else {
            panic!("the corpus opens: {corpus:?}");
        };
        (dir, corpus)
    }

    #[test]
    fn rereading_an_article_that_changed_finds_its_mentions_afresh() {
        let (_dir, corpus) = corpus();
        let (kb, _) = corpus.load_knowledge();
        let recognizer = Recognizer::new(&kb);
        let report = corpus.index_report(&kb, &recognizer);
        let Some(doc) = report
            .as_ref()
            .ok()
            .and_then(|r| r.index.docs().next().map(|(_, d)| d.clone()))
        else {
            panic!("the article is indexed: {report:?}");
        };
        let reread = corpus.reread(&doc, &kb, &recognizer);
        let Ok((article, mentions)) = reread else {
            panic!("{reread:?}");
        };
        assert!(doc.describes(article.text()));
        assert_eq!(mentions, doc.mentions(), "unchanged: the index's mentions");

        let written = fs::write(doc.path(), format!("{}\n\nJack Ma again.", article.text()));
        assert!(written.is_ok(), "{written:?}");
        let reread = corpus.reread(&doc, &kb, &recognizer);
        let Ok((article, mentions)) = reread else {
            panic!("{reread:?}");
        };
        assert!(!doc.describes(article.text()));
        assert_eq!(mentions.len(), doc.mention_count() + 1, "{mentions:?}");

        let removed = fs::remove_file(doc.path());
        assert!(removed.is_ok(), "{removed:?}");
        assert!(matches!(
            corpus.reread(&doc, &kb, &recognizer),
            Err(Error::NotFound { .. })
        ));
    }

    #[test]
    fn article_names_are_relative_with_slashes() {
        let (dir, corpus) = corpus();
        let a = dir.path().join("news").join("a.txt");
        assert_eq!(corpus.article_name(&a).as_deref(), Some("news/a.txt"));
        let dotted = dir
            .path()
            .join(".")
            .join("news")
            .join("..")
            .join("news")
            .join("a.txt");
        assert_eq!(corpus.article_name(&dotted).as_deref(), Some("news/a.txt"));
        assert_eq!(
            corpus
                .article_name(&dir.path().join("news/unsaved.txt"))
                .as_deref(),
            Some("news/unsaved.txt"),
            "a buffer not yet on disk has a name too"
        );
        assert_eq!(corpus.article_name(Path::new("/elsewhere/a.txt")), None);
        assert_eq!(corpus.article_name(dir.path()), None);

        let here = Corpus {
            root: PathBuf::from("."),
            ..corpus.clone()
        };
        assert_eq!(
            here.article_name(Path::new("news/a.txt")).as_deref(),
            Some("news/a.txt")
        );
        assert_eq!(
            here.article_name(Path::new("./a.txt")).as_deref(),
            Some("a.txt")
        );
    }

    #[test]
    fn titles_given_in_dossier_toml_win_in_the_index() {
        let (dir, _) = corpus();
        let written = fs::write(
            dir.path().join("dossier.toml"),
            "[titles]\n\"news/a.txt\" = \"Ma speaks\"\n",
        );
        assert!(written.is_ok(), "{written:?}");
        let Ok(corpus) = Corpus::open(dir.path()) else {
            panic!("the corpus opens");
        };
        let a = dir.path().join("news/a.txt");
        assert_eq!(corpus.title_for(&a), Some("Ma speaks"));
        let (kb, _) = corpus.load_knowledge();
        let report = corpus.index_report(&kb, &Recognizer::new(&kb));
        let titles: Vec<String> = report
            .map(|r| r.index.docs().map(|(_, d)| d.title().to_owned()).collect())
            .unwrap_or_default();
        assert_eq!(titles, ["Ma speaks"]);
    }

    #[test]
    fn annotating_applies_the_anchors_and_the_index_reports_stale_ones() {
        let (dir, corpus) = corpus();
        let (kb, problems) = corpus.load_knowledge();
        assert!(problems.is_empty(), "{problems:?}");
        let recognizer = Recognizer::new(&kb);
        let article = Article::read(dir.path().join("news/a.txt"));
        let Ok(article) = article else {
            panic!("{article:?}");
        };
        assert_eq!(recognizer.recognize(article.text()).len(), 3);
        let (mentions, stale) = corpus.annotate_with_stale(&kb, &recognizer, &article);
        assert_eq!(mentions.len(), 2, "the `Ma said.` is untagged");
        assert_eq!(stale, [AnchorId(1)]);
        assert_eq!(corpus.annotate(&kb, &recognizer, &article), mentions);

        let report = corpus.index_report(&kb, &recognizer);
        let Ok(report) = report else {
            panic!("{report:?}");
        };
        assert_eq!(
            report.stale_anchors,
            [
                StaleAnchor {
                    anchor: AnchorId(1),
                    why: Staleness::NoMention
                },
                StaleAnchor {
                    anchor: AnchorId(2),
                    why: Staleness::NoArticle
                },
            ]
        );
        let doc = report
            .index
            .docs()
            .next()
            .map(|(_, doc)| doc.mention_count());
        assert_eq!(doc, Some(2));
    }
}
