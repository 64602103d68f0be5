//! The index cache: reused only for the same text, knowledge base and build; anything else,
//! and anything broken, is recognised afresh.

use std::fs;

use super::*;
use crate::corpus::{Article, IndexReport};
use crate::recognize::Recognizer;

const KB: &str = r#"
[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
weak_aliases = ["Ma"]

[[entity]]
id = "alibaba"
name = "Alibaba Group"
kind = "organization"
aliases = ["Alibaba"]
"#;

const ARTICLES: [(&str, &str); 3] = [
    (
        "news/a.txt",
        "Jack Ma spoke.\n\nMa said Alibaba would grow.",
    ),
    ("news/b.txt", "Alibaba Group reported results."),
    ("news/c.txt", "Nothing here — not a name in sight."),
];

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    let written = path
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&path, text));
    assert!(written.is_ok(), "{}: {written:?}", path.display());
}

fn corpus() -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("a temporary folder: {err}"));
    write(dir.path(), "dossier.toml", "");
    write(dir.path(), "entities.toml", KB);
    for (name, text) in ARTICLES {
        write(dir.path(), name, text);
    }
    let corpus = Corpus::open(dir.path()).unwrap_or_else(|err| panic!("the corpus opens: {err}"));
    (dir, corpus)
}

fn index(corpus: &Corpus) -> (KnowledgeBase, IndexReport) {
    let (kb, problems) = corpus.load_knowledge();
    assert!(
        !problems.iter().any(crate::problem::Problem::is_error),
        "{problems:?}"
    );
    let recognizer = Recognizer::new(&kb);
    let report = corpus
        .index_report(&kb, &recognizer)
        .unwrap_or_else(|err| panic!("indexing: {err}"));
    (kb, report)
}

/// Every article's mentions, by path, to compare indexes.
fn mentions(report: &IndexReport) -> Vec<(PathBuf, Vec<Mention>)> {
    report
        .index
        .docs_by_path()
        .into_iter()
        .map(|(_, doc)| (doc.path().to_path_buf(), doc.mentions()))
        .collect()
}

/// The articles whose cached entries `cache` would reuse as they are on disk now.
fn reusable(corpus: &Corpus, kb: &KnowledgeBase) -> Vec<String> {
    let cache = IndexCache::open(corpus, kb);
    let mut names: Vec<String> = ARTICLES
        .iter()
        .filter(|(name, _)| {
            let path = corpus.root().join(name);
            let text = fs::read_to_string(&path).unwrap_or_default();
            cache.lookup(name, &path, &text, None, kb).is_some()
        })
        .map(|(name, _)| name.to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_second_indexing_reuses_every_article_and_finds_the_same() {
    let (_dir, corpus) = corpus();
    let (kb, first) = index(&corpus);
    assert!(first.cache_notes.is_empty(), "{:?}", first.cache_notes);
    assert_eq!(reusable(&corpus, &kb).len(), ARTICLES.len());
    let (_, second) = index(&corpus);
    assert_eq!(mentions(&first), mentions(&second));
    assert!(mentions(&second).iter().any(|(_, m)| !m.is_empty()));
}

#[test]
fn the_cache_folder_ignores_itself_in_git() {
    let (dir, corpus) = corpus();
    index(&corpus);
    let ignore = fs::read_to_string(dir.path().join(CACHE_DIR).join(".gitignore"));
    assert!(ignore.is_ok_and(|text| text.lines().any(|l| l == "*")));
}

#[test]
fn a_changed_article_is_recognised_again_and_only_it() {
    let (dir, corpus) = corpus();
    index(&corpus);
    write(dir.path(), "news/c.txt", "Now Jack Ma is here.");
    let (kb, _) = corpus.load_knowledge();
    assert_eq!(reusable(&corpus, &kb), ["news/a.txt", "news/b.txt"]);
    let (_, again) = index(&corpus);
    let found = mentions(&again);
    let c = found.iter().find(|(p, _)| p.ends_with("news/c.txt"));
    assert!(c.is_some_and(|(_, m)| m.len() == 1), "{found:?}");
    // The rewritten cache holds the new text's mentions.
    assert_eq!(reusable(&corpus, &kb).len(), ARTICLES.len());
}

#[test]
fn a_changed_knowledge_base_invalidates_every_article() {
    let (dir, corpus) = corpus();
    index(&corpus);
    write(
        dir.path(),
        "entities.toml",
        &KB.replace("Alibaba Group", "Alibaba Holdings"),
    );
    let (kb, _) = corpus.load_knowledge();
    assert!(reusable(&corpus, &kb).is_empty());
    let (_, report) = index(&corpus);
    let fresh = {
        let (kb, _) = corpus.load_knowledge();
        let recognizer = Recognizer::new(&kb);
        ARTICLES
            .iter()
            .map(|(name, text)| {
                let article = crate::corpus::Article::new(corpus.root().join(name), *text);
                corpus.annotate(&kb, &recognizer, &article)
            })
            .collect::<Vec<_>>()
    };
    let indexed: Vec<Vec<Mention>> = mentions(&report).into_iter().map(|(_, m)| m).collect();
    assert_eq!(indexed, fresh);
}

#[test]
fn a_corrupt_or_foreign_file_is_ignored_with_a_note_and_replaced() {
    let (dir, corpus) = corpus();
    let (_, clean) = index(&corpus);
    let file = dir.path().join(CACHE_DIR).join(FILE);
    let good = fs::read(&file).unwrap_or_else(|err| panic!("the cache file: {err}"));
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    for (what, bytes) in [
        ("a flipped byte", flipped),
        ("a truncated file", good[..good.len() - 3].to_vec()),
        (
            "another program's file",
            b"PK\x03\x04 not ours at all".to_vec(),
        ),
        ("an empty file", Vec::new()),
    ] {
        assert!(fs::write(&file, &bytes).is_ok());
        let (kb, report) = index(&corpus);
        assert_eq!(
            report.cache_notes.len(),
            1,
            "{what}: {:?}",
            report.cache_notes
        );
        assert!(
            report.cache_notes[0].contains("ignored"),
            "{what}: {:?}",
            report.cache_notes
        );
        assert_eq!(mentions(&report), mentions(&clean), "{what}");
        // Replaced by a good one.
        assert_eq!(reusable(&corpus, &kb).len(), ARTICLES.len(), "{what}");
    }
}

#[test]
fn an_entry_that_does_not_fit_its_article_is_not_trusted() {
    let (_dir, corpus) = corpus();
    let (kb, _) = corpus.load_knowledge();
    let text = "Jack Ma spoke.";
    let mention = |span: std::ops::Range<usize>, entity: u32| Mention {
        span,
        target: Target::Entity(EntityId(entity)),
        form: Form::Name,
        title: None,
    };
    let entry = |text: &str, mentions: &[Mention], stale: &[AnchorId]| {
        let doc = IndexedDoc::new(&Article::new("a.txt", text), mentions.to_vec());
        Entry::new("a.txt".into(), None, &doc, stale)
    };
    let cache = |mentions: &[Mention], stale: &[AnchorId]| IndexCache {
        dir: corpus.root().join(CACHE_DIR),
        key: None,
        old: OldFile::of(&[entry(text, mentions, stale)]),
        began: 0,
        settled_before: 0,
        note: None,
    };
    let lookup = |cache: &IndexCache, text: &str| {
        cache
            .lookup("a.txt", Path::new("a.txt"), text, None, &kb)
            .is_some()
    };
    assert!(lookup(&cache(&[mention(0..7, 0)], &[]), text));
    for (what, mentions, stale) in [
        ("a span past the end", vec![mention(8..40, 0)], vec![]),
        (
            "an entity the knowledge base lacks",
            vec![mention(0..7, 99)],
            vec![],
        ),
        (
            "an anchor the knowledge base lacks",
            vec![],
            vec![AnchorId(0)],
        ),
    ] {
        assert!(!lookup(&cache(&mentions, &stale), text), "{what}");
    }
    let in_a_char = "Jäck Ma";
    let cut = IndexCache {
        old: OldFile::of(&[entry(in_a_char, &[mention(0..2, 0)], &[])]),
        ..cache(&[], &[])
    };
    assert!(!lookup(&cut, in_a_char), "a span inside a character");
    // Another text under the same name.
    assert!(!lookup(&cache(&[mention(0..7, 0)], &[]), "Jack Ma spoke!"));
}

/// Moves the start of the indexing that wrote the cache file `RACY` and more into the future,
/// as if the articles had been written long before it: their stamps then vouch for them.
fn settle(corpus: &Corpus) {
    let file = corpus.root().join(CACHE_DIR).join(FILE);
    let bytes = fs::read(&file).unwrap_or_default();
    let mut stored = decode(&bytes).unwrap_or_else(|err| panic!("the cache file: {err}"));
    stored.began += u64::try_from(RACY.as_nanos() * 2).unwrap_or(u64::MAX);
    let bytes = writer::encode(stored.key, stored.began, &stored.articles);
    let written = fs::write(&file, bytes);
    assert!(written.is_ok(), "{written:?}");
}

#[test]
fn a_restart_takes_settled_articles_on_their_stamps_without_reading_them() {
    let (dir, corpus) = corpus();
    let (_, first) = index(&corpus);
    let (_, second) = index(&corpus);
    assert_eq!(
        (second.reused, second.unread),
        (ARTICLES.len(), 0),
        "written just now: read, and reused by their hash"
    );
    settle(&corpus);
    let (_, third) = index(&corpus);
    assert_eq!(
        (third.reused, third.unread),
        (ARTICLES.len(), ARTICLES.len())
    );
    assert_eq!(mentions(&third), mentions(&first));
    let titles = |r: &IndexReport| -> Vec<String> {
        r.index
            .docs_by_path()
            .iter()
            .map(|(_, d)| d.title().to_owned())
            .collect()
    };
    assert_eq!(titles(&third), titles(&first));
    let places = |r: &IndexReport| -> Vec<Vec<[crate::text::Place; 2]>> {
        r.index
            .docs_by_path()
            .iter()
            .map(|(_, d)| d.placed_mentions().map(|(_, p)| p).collect())
            .collect()
    };
    assert_eq!(places(&third), places(&first));

    // The same size, the same modification time restored, another text: the change time
    // tells.
    let b = dir.path().join("news/b.txt");
    let modified = fs::metadata(&b).and_then(|m| m.modified());
    let Ok(modified) = modified else {
        panic!("{modified:?}");
    };
    write(dir.path(), "news/b.txt", "Jack Ma Group reported results.");
    let restored = fs::File::options()
        .write(true)
        .open(&b)
        .and_then(|f| f.set_modified(modified));
    assert!(restored.is_ok(), "{restored:?}");
    settle(&corpus);
    let (_, fourth) = index(&corpus);
    assert_eq!(fourth.unread, ARTICLES.len() - 1);
    let found = mentions(&fourth);
    let b_mentions = found.iter().find(|(p, _)| p.ends_with("news/b.txt"));
    assert!(
        b_mentions.is_some_and(|(_, m)| m.len() == 1 && m[0].span == (0..7)),
        "{found:?}"
    );
}

#[test]
fn saving_never_brings_back_a_deleted_corpus_folder() {
    let (dir, corpus) = corpus();
    let (kb, _) = corpus.load_knowledge();
    let cache = IndexCache::open(&corpus, &kb);
    let root = dir.path().to_path_buf();
    assert!(fs::remove_dir_all(&root).is_ok());
    let doc = IndexedDoc::new(&Article::new("news/a.txt", "Jack Ma spoke."), vec![]);
    let entry = Entry::new("news/a.txt".into(), None, &doc, &[]);
    let mut next = cache.writer();
    next.push(Kept::New(entry));
    assert!(next.finish().is_err());
    assert!(!root.exists(), "the corpus folder was recreated");
}

#[test]
fn the_file_is_rewritten_only_when_the_corpus_changed() {
    let (dir, corpus) = corpus();
    index(&corpus);
    let file = dir.path().join(CACHE_DIR).join(FILE);
    let stamp = || Stamp::of(&file);
    let first = stamp();
    assert!(first.is_some());
    index(&corpus);
    assert_eq!(stamp(), first, "nothing changed: nothing written");

    assert!(fs::remove_file(dir.path().join("news/c.txt")).is_ok());
    let (kb, _) = index(&corpus);
    assert_ne!(stamp(), first, "an article fewer: written again");
    assert_eq!(reusable(&corpus, &kb), ["news/a.txt", "news/b.txt"]);
    let written = stamp();
    write(dir.path(), "news/d.txt", "Jack Ma is back.");
    index(&corpus);
    assert_ne!(stamp(), written, "an article more: written again");
}
