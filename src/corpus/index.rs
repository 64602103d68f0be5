//! Who is mentioned where: the mentions of every article, and for every entity the articles
//! that mention it and the entities it appears with.
//!
//! The index is updated one article at a time: [`CorpusIndex::upsert`] takes back what the old
//! version of an article contributed and adds the new one, touching no other article. That is
//! what lets an editor re-annotate a file on every keystroke in a corpus of thousands.
//!
//! The index keeps no article's text: at archive scale the texts would be most of its memory.
//! What the features need of a text they cannot re-read cheaply is worked out while the text
//! is at hand: the title, where each mention lies as an editor counts it ([`Place`]), the
//! titles given to people, and a hash that tells whether a text read later is the one the
//! mentions were found in ([`IndexedDoc::describes`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use super::packed::PackedMentions;
use super::Article;
use crate::kb::EntityId;
use crate::recognize::Mention;
use crate::text::{CodePointCursor, LineCol, Place, PlaceCursor};

/// An article's slot in the index; stable while the article stays in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub u32);

/// An article's mentions and what the features need to know of its text.
#[derive(Debug, Clone)]
pub struct IndexedDoc {
    /// Shared with the index's map from paths to slots.
    path: Arc<Path>,
    title: String,
    /// The xxh3 hash of the text the mentions were found in.
    hash: u64,
    /// Its mentions in text order, with where each starts and ends.
    mentions: PackedMentions,
    /// What each entity adds up to in it (resolved mentions only), sorted by entity.
    counts: Vec<InDoc>,
}

/// One entity in one article: summed once at indexing, so that cards never rescan mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InDoc {
    /// The entity.
    pub entity: EntityId,
    /// How often the article mentions it.
    pub count: u32,
    /// Line and code-point column of its first mention, for a link to it ([`InDoc::first_at`]).
    pub first: [u32; 2],
    /// The distinct titles the article gives it (`Finance Secretary`), whitespace collapsed.
    pub titles: Box<[String]>,
}

impl InDoc {
    /// Line and code-point column of the entity's first mention in the article.
    pub fn first_at(&self) -> LineCol {
        let [line, column] = self.first;
        LineCol {
            line: line as usize,
            column: column as usize,
        }
    }
}

impl IndexedDoc {
    /// Indexes `article`'s `mentions` (in text order), keeping what the features need of its
    /// text and not the text itself.
    pub fn new(article: &Article, mentions: Vec<Mention>) -> IndexedDoc {
        let text = article.text();
        let mut cursor = PlaceCursor::new(text, article.lines());
        let places: Vec<[Place; 2]> = mentions
            .iter()
            .map(|m| [cursor.place(m.span.start), cursor.place(m.span.end)])
            .collect();
        let counts = summarize(article, &mentions);
        // Only an article of 4 GiB or more does not pack; the reader refuses those, and an
        // editor cannot send one. Should one come, it is indexed without mentions.
        let (mentions, counts) = match PackedMentions::new(mentions, &places) {
            Some(packed) => (packed, counts),
            None => (PackedMentions::default(), Vec::new()),
        };
        IndexedDoc {
            path: article.path().into(),
            title: article.title().to_owned(),
            hash: xxh3_64(text.as_bytes()),
            counts,
            mentions,
        }
    }

    /// An indexed article put back together from what the index cache kept of it, if the
    /// parts fit each other: a place for every mention, counts sorted by entity.
    pub(crate) fn from_parts(
        path: PathBuf,
        title: String,
        hash: u64,
        mentions: Vec<Mention>,
        places: Vec<[Place; 2]>,
        counts: Vec<InDoc>,
    ) -> Option<IndexedDoc> {
        let sorted = counts.windows(2).all(|w| w[0].entity < w[1].entity);
        let mentions = PackedMentions::new(mentions, &places).filter(|_| sorted)?;
        Some(IndexedDoc {
            path: path.into(),
            title,
            hash,
            mentions,
            counts,
        })
    }

    /// The path, as the corpus names it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The xxh3 hash of the text the mentions were found in.
    pub(crate) fn text_hash(&self) -> u64 {
        self.hash
    }

    /// The title the article had when it was indexed.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Whether `text` is the text the mentions were found in (by hash): a text read from disk
    /// later may have changed since.
    pub fn describes(&self, text: &str) -> bool {
        self.hash == xxh3_64(text.as_bytes())
    }

    /// Every mention with where it starts and ends, in text order.
    pub fn placed_mentions(&self) -> impl Iterator<Item = (Mention, [Place; 2])> + '_ {
        self.mentions.iter()
    }

    /// Its mentions, in text order.
    pub fn mentions(&self) -> Vec<Mention> {
        self.mentions.iter().map(|(m, _)| m).collect()
    }

    /// Number of mentions.
    pub fn mention_count(&self) -> usize {
        self.mentions.len()
    }

    /// Whether any mention is ambiguous (may name several entities).
    pub fn has_ambiguous(&self) -> bool {
        self.mentions.any_ambiguous()
    }

    /// What each entity adds up to in the article, sorted by entity.
    pub fn entity_counts(&self) -> &[InDoc] {
        &self.counts
    }

    /// What `entity` adds up to in the article, if it is mentioned.
    pub fn entity_count(&self, entity: EntityId) -> Option<&InDoc> {
        self.counts
            .binary_search_by_key(&entity, |c| c.entity)
            .ok()
            .and_then(|i| self.counts.get(i))
    }
}

/// What the corpus says about one entity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityStats {
    mentions: u32,
    /// Per article: how often it mentions the entity.
    docs: HashMap<DocId, u32>,
    /// Titles given to the entity, with the number of articles giving each.
    titles: HashMap<String, u32>,
}

impl EntityStats {
    /// Number of (resolved) mentions across the corpus.
    pub fn mention_count(&self) -> u32 {
        self.mentions
    }

    /// Number of articles that mention the entity.
    pub fn article_count(&self) -> usize {
        self.docs.len()
    }

    /// The articles that mention the entity, with how often.
    pub fn articles(&self) -> impl Iterator<Item = (DocId, u32)> + '_ {
        self.docs.iter().map(|(&d, &n)| (d, n))
    }
}

/// The mentions of every article of a corpus, and what they add up to per entity.
#[derive(Debug, Clone, Default)]
pub struct CorpusIndex {
    docs: Vec<Option<IndexedDoc>>,
    free: Vec<DocId>,
    by_path: HashMap<Arc<Path>, DocId>,
    entities: Vec<EntityStats>,
}

impl CorpusIndex {
    /// An empty index for a knowledge base of `entity_count` entities.
    pub fn new(entity_count: usize) -> CorpusIndex {
        CorpusIndex {
            entities: vec![EntityStats::default(); entity_count],
            ..CorpusIndex::default()
        }
    }

    /// Adds an article, or replaces the article at the same path, with its mentions.
    pub fn upsert(&mut self, article: &Article, mentions: Vec<Mention>) -> DocId {
        self.insert(IndexedDoc::new(article, mentions))
    }

    /// Like [`CorpusIndex::upsert`], with the article indexed already: what reads the text
    /// (placing mentions, hashing) can then run before a lock on the index is taken.
    pub fn insert(&mut self, doc: IndexedDoc) -> DocId {
        let id = match self.by_path.get(doc.path()) {
            Some(&id) => {
                self.withdraw(id);
                id
            }
            None => {
                let id = self.free.pop().unwrap_or(DocId(self.docs.len() as u32));
                self.by_path.insert(doc.path.clone(), id);
                id
            }
        };
        self.contribute(id, &doc);
        let slot = id.0 as usize;
        if slot >= self.docs.len() {
            self.docs.resize_with(slot + 1, || None);
        }
        self.docs[slot] = Some(doc);
        id
    }

    /// Removes the article at `path`, returning it.
    pub fn remove(&mut self, path: &Path) -> Option<IndexedDoc> {
        let id = self.by_path.remove(path)?;
        self.free.push(id);
        self.withdraw(id)
    }

    /// The article in slot `id`.
    pub fn doc(&self, id: DocId) -> Option<&IndexedDoc> {
        self.docs.get(id.0 as usize).and_then(Option::as_ref)
    }

    /// The slot of the article at `path`.
    pub fn doc_id(&self, path: &Path) -> Option<DocId> {
        self.by_path.get(path).copied()
    }

    /// Every article, in no particular order.
    pub fn docs(&self) -> impl Iterator<Item = (DocId, &IndexedDoc)> {
        self.docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.as_ref().map(|d| (DocId(i as u32), d)))
    }

    /// Every article, sorted by path, for stable output.
    pub fn docs_by_path(&self) -> Vec<(DocId, &IndexedDoc)> {
        let mut docs: Vec<_> = self.docs().collect();
        docs.sort_by(|a, b| a.1.path().cmp(b.1.path()));
        docs
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    /// Whether the index holds no article.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// What the corpus says about `entity` (nothing, for an unknown id).
    pub fn stats(&self, entity: EntityId) -> EntityStatsRef<'_> {
        let stats = self.entities.get(entity.index());
        EntityStatsRef {
            index: self,
            entity: stats.map(|_| entity),
            stats,
        }
    }

    /// Every mention of `entity` with where it starts and ends, article by article (sorted by
    /// path), in text order.
    pub fn mentions_of(&self, entity: EntityId) -> Vec<(DocId, Mention, [Place; 2])> {
        let mut docs: Vec<(DocId, &IndexedDoc)> = self
            .stats(entity)
            .articles()
            .into_iter()
            .filter_map(|(id, _)| self.doc(id).map(|d| (id, d)))
            .collect();
        docs.sort_by(|a, b| a.1.path().cmp(b.1.path()));
        docs.into_iter()
            .flat_map(|(id, doc)| {
                doc.placed_mentions()
                    .filter(move |(m, _)| m.entity() == Some(entity))
                    .map(move |(m, places)| (id, m, places))
            })
            .collect()
    }

    fn contribute(&mut self, id: DocId, doc: &IndexedDoc) {
        self.apply(id, &doc.counts, 1);
    }

    /// Takes an article out of its slot and its counts out of the totals.
    fn withdraw(&mut self, id: DocId) -> Option<IndexedDoc> {
        let old = self.docs.get_mut(id.0 as usize).and_then(Option::take)?;
        self.apply(id, &old.counts, -1);
        Some(old)
    }

    /// Adds (`sign` 1) or takes back (`sign` -1) one article's counts: linear in the distinct
    /// entities of the article. Who appears with whom is not kept but tallied when asked
    /// ([`EntityStatsRef::appears_with`]): kept, it grew with the square of each article's
    /// entities and was most of the index's memory and of its serial indexing time.
    fn apply(&mut self, id: DocId, counts: &[InDoc], sign: i64) {
        let adjust = |value: &mut u32, by: u32| {
            *value = (i64::from(*value) + sign * i64::from(by)).max(0) as u32;
        };
        for in_doc in counts {
            let Some(stats) = self.entities.get_mut(in_doc.entity.index()) else {
                continue;
            };
            adjust(&mut stats.mentions, in_doc.count);
            if sign > 0 {
                stats.docs.insert(id, in_doc.count);
            } else {
                stats.docs.remove(&id);
            }
            for title in &in_doc.titles {
                let n = stats.titles.entry(title.clone()).or_default();
                adjust(n, 1);
                if *n == 0 {
                    stats.titles.remove(title);
                }
            }
        }
    }
}

/// A view of one entity's statistics with the index to resolve them against.
#[derive(Debug, Clone, Copy)]
pub struct EntityStatsRef<'a> {
    index: &'a CorpusIndex,
    entity: Option<EntityId>,
    stats: Option<&'a EntityStats>,
}

impl EntityStatsRef<'_> {
    /// Number of mentions across the corpus.
    pub fn mention_count(&self) -> u32 {
        self.stats.map_or(0, EntityStats::mention_count)
    }

    /// Number of articles mentioning the entity.
    pub fn article_count(&self) -> usize {
        self.stats.map_or(0, EntityStats::article_count)
    }

    /// The articles that mention the entity with their counts: most mentions first, then by
    /// path.
    pub fn articles(&self) -> Vec<(DocId, u32)> {
        let mut articles: Vec<(DocId, u32)> = self
            .stats
            .map(|s| s.articles().collect())
            .unwrap_or_default();
        let path = |id: DocId| self.index.doc(id).map(IndexedDoc::path);
        articles.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| path(a.0).cmp(&path(b.0))));
        articles
    }

    /// Line and code-point column of the entity's first mention in article `doc`.
    pub fn first_mention(&self, doc: DocId) -> Option<LineCol> {
        let entity = self.entity?;
        self.index
            .doc(doc)?
            .entity_count(entity)
            .map(InDoc::first_at)
    }

    /// The titles the corpus gives the entity, most used first (then alphabetically).
    pub fn titles(&self) -> Vec<(String, u32)> {
        let mut titles: Vec<(String, u32)> = self
            .stats
            .map(|s| s.titles.iter().map(|(t, &n)| (t.clone(), n)).collect())
            .unwrap_or_default();
        titles.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        titles
    }

    /// The entities that share the most articles with this one, at most `limit`, most first
    /// (ties by entity order, for stable output). Tallied over the entity's articles, a few
    /// dozen entities each: linear in the number of articles that mention it.
    pub fn appears_with(&self, limit: usize) -> Vec<(EntityId, u32)> {
        let (Some(stats), Some(entity)) = (self.stats, self.entity) else {
            return Vec::new();
        };
        let mut tally: HashMap<EntityId, u32> = HashMap::new();
        for doc in stats.docs.keys().filter_map(|&id| self.index.doc(id)) {
            for other in doc.entity_counts() {
                if other.entity != entity {
                    *tally.entry(other.entity).or_default() += 1;
                }
            }
        }
        let mut together: Vec<(EntityId, u32)> = tally.into_iter().collect();
        together.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        together.truncate(limit);
        together
    }
}

/// One pass over an article's mentions: per entity, the count, first mention and titles.
/// First mentions come in text order, so two forward cursors place them all in one pass over
/// the text, even on an article that is one long line.
fn summarize(article: &Article, mentions: &[Mention]) -> Vec<InDoc> {
    let (text, lines) = (article.text(), article.lines());
    let mut at_mention = CodePointCursor::new(text);
    let mut at_line = CodePointCursor::new(text);
    let mut by_entity: HashMap<EntityId, (InDoc, Vec<String>)> = HashMap::new();
    for mention in mentions {
        let Some(entity) = mention.entity() else {
            continue;
        };
        let (entry, titles) = by_entity.entry(entity).or_insert_with(|| {
            let start = mention.span.start;
            let line = lines.line_of(start);
            let line_start = lines.line_start(line).unwrap_or(0);
            let column = at_mention
                .code_point(start)
                .saturating_sub(at_line.code_point(line_start));
            let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            let first = [narrow(line), narrow(column)];
            let in_doc = InDoc {
                entity,
                count: 0,
                first,
                titles: Box::default(),
            };
            (in_doc, Vec::new())
        });
        entry.count += 1;
        let title = mention
            .title
            .clone()
            .and_then(|t| text.get(t))
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
        if let Some(title) = title {
            if !titles.contains(&title) {
                titles.push(title);
            }
        }
    }
    let mut counts: Vec<InDoc> = by_entity
        .into_values()
        .map(|(in_doc, titles)| InDoc {
            titles: titles.into_boxed_slice(),
            ..in_doc
        })
        .collect();
    counts.sort_unstable_by_key(|c| c.entity);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::{Form, Target};

    fn mention(entity: u32, at: usize) -> Mention {
        Mention {
            span: at..at + 1,
            target: Target::Entity(EntityId(entity)),
            form: Form::Name,
            title: None,
        }
    }

    #[test]
    fn counts_articles_and_companions() {
        let mut index = CorpusIndex::new(3);
        index.upsert(
            &Article::new("a.txt", "x"),
            vec![mention(0, 0), mention(0, 2), mention(1, 4)],
        );
        index.upsert(
            &Article::new("b.txt", "x"),
            vec![mention(0, 0), mention(2, 2)],
        );
        let ma = index.stats(EntityId(0));
        assert_eq!(ma.mention_count(), 3);
        assert_eq!(ma.article_count(), 2);
        let a = index.doc_id(Path::new("a.txt"));
        assert_eq!(
            ma.articles().first().map(|x| (Some(x.0), x.1)),
            Some((a, 2))
        );
        assert_eq!(ma.appears_with(5), [(EntityId(1), 1), (EntityId(2), 1)]);
        assert_eq!(index.mentions_of(EntityId(0)).len(), 3);
    }

    #[test]
    fn replacing_an_article_takes_back_what_it_added() {
        let mut index = CorpusIndex::new(2);
        index.upsert(
            &Article::new("a.txt", "x"),
            vec![mention(0, 0), mention(1, 2)],
        );
        index.upsert(&Article::new("b.txt", "x"), vec![mention(0, 0)]);
        index.upsert(&Article::new("a.txt", "y"), vec![mention(1, 0)]);
        assert_eq!(index.len(), 2);
        assert_eq!(index.stats(EntityId(0)).mention_count(), 1);
        assert_eq!(index.stats(EntityId(0)).appears_with(5), []);
        assert_eq!(index.stats(EntityId(1)).mention_count(), 1);
        let removed = index.remove(Path::new("b.txt"));
        assert!(removed.is_some());
        assert_eq!(index.stats(EntityId(0)).mention_count(), 0);
        assert_eq!(index.stats(EntityId(0)).article_count(), 0);
        let c = index.upsert(&Article::new("c.txt", "z"), vec![]);
        assert_eq!(
            index.doc(c).map(IndexedDoc::path),
            Some(Path::new("c.txt")),
            "slots are reused"
        );
    }

    #[test]
    fn an_indexed_article_keeps_where_its_mentions_lie_and_not_its_text() {
        let text = "Ñandú\n“Ma” met Ma 🎉 and Ma";
        let at = |n: usize| text.match_indices("Ma").nth(n).map_or(0, |(i, _)| i);
        let mut index = CorpusIndex::new(1);
        let id = index.upsert(
            &Article::new("a.txt", text),
            vec![mention(0, at(0)), mention(0, at(2))],
        );
        let Some(doc) = index.doc(id) else {
            panic!("the article is indexed");
        };
        assert_eq!(doc.title(), "Ñandú");
        assert!(doc.describes(text));
        assert!(!doc.describes("another text"));
        let places: Vec<[Place; 2]> = doc.placed_mentions().map(|(_, p)| p).collect();
        let place = |line, utf8, utf16| Place { line, utf8, utf16 };
        assert_eq!(
            places,
            [
                [place(1, 3, 1), place(1, 4, 2)],
                [place(1, 25, 19), place(1, 26, 20)]
            ]
        );
        let first = index.stats(EntityId(0)).first_mention(id);
        assert_eq!(first, Some(LineCol { line: 1, column: 1 }));
        let found = index.mentions_of(EntityId(0));
        assert_eq!(found.iter().map(|m| m.2).collect::<Vec<_>>(), places);
    }

    #[test]
    fn ambiguous_mentions_count_for_no_one() {
        let mut index = CorpusIndex::new(2);
        let ambiguous = Mention {
            span: 0..1,
            target: Target::Ambiguous(vec![EntityId(0), EntityId(1)].into()),
            form: Form::WeakAlias,
            title: None,
        };
        index.upsert(&Article::new("a.txt", "x"), vec![ambiguous]);
        assert_eq!(index.stats(EntityId(0)).mention_count(), 0);
        assert_eq!(
            index.stats(EntityId(9)).mention_count(),
            0,
            "unknown ids are harmless"
        );
    }
}
