//! The knowledge base: the entities a corpus knows, as people wrote them in TOML.
//!
//! A knowledge base is read from one or more files ([`KnowledgeBase::load`]) and keeps, for every
//! entity, where its table stands in which file, so that tools can jump to it, report problems
//! at the exact key, and edit it ([`edit`]). Loading never fails as a whole: every problem
//! becomes a [`Problem`], and the entities that are sound are kept.
//!
//! Besides entities, a knowledge base records decisions about single mentions — `[[untag]]` and
//! `[[assign]]` tables, anchored by the words around the mention (see [`anchor`]).

pub mod anchor;
pub mod edit;
mod kind;
mod load;
mod split;

use hashbrown::hash_table::{Entry, HashTable};
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::hash::BuildHasher;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

pub use anchor::{Anchor, AnchorAction, AnchorId, AnchorOrigin, AnchorRule};
pub use kind::Kind;
pub use load::slugify;

use crate::problem::Problem;
use crate::text::LineIndex;

/// The position of an entity in its [`KnowledgeBase`]: cheap to copy, and valid only for the
/// knowledge base it came from (a reload renumbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);

impl EntityId {
    /// The index into [`KnowledgeBase::entities`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One entity: who or what it is, and every surface form that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Stable slug, unique in the corpus, used by exports and links.
    pub id: String,
    /// Canonical name, shown on cards.
    pub name: String,
    /// What sort of thing it is; drives highlighting.
    pub kind: Kind,
    /// Other forms that always mean this entity.
    pub aliases: Vec<String>,
    /// Short forms that count only in an article that also names the entity strongly.
    pub weak_aliases: Vec<String>,
    /// Who or what it is, in a phrase ("Finance Secretary of the Philippines").
    pub role: String,
    /// The country it belongs to.
    pub country: String,
    /// Optional paragraph for the hover card.
    pub description: Option<String>,
    /// Optional Wikidata identifier (`Q…`), only ever copied from a source, never invented.
    pub wikidata: Option<String>,
    /// Where the entity's table is written.
    pub origin: Origin,
}

impl Entity {
    /// The strong surface forms: the name first, then the aliases.
    pub fn strong_forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// Where an entity's `[[entity]]` table stands, and the values an edit may need to touch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// Index into [`KnowledgeBase::sources`].
    pub source: usize,
    /// The `[[entity]]` header (for an inline table, the whole `{ … }`).
    pub header: Range<usize>,
    /// From the header to the end of the table's last value.
    pub extent: Range<usize>,
    /// The `name` value, quotes included: a new `aliases` line goes after it.
    pub name: Range<usize>,
    /// The `aliases` value, when the table has one: a new alias goes into it.
    pub aliases: Option<ListSpan>,
    /// The `weak_aliases` value, when the table has one.
    pub weak_aliases: Option<ListSpan>,
}

/// Where a list value (`aliases`, `weak_aliases`) is written, so that an entry can be added
/// without disturbing its layout or comments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListSpan {
    /// The whole value, brackets included (or whatever was written instead of a list).
    pub value: Range<usize>,
    /// Whether the value is a list at all; a key holding something else cannot be added to.
    pub is_list: bool,
    /// Each entry as written, quotes included, in order, whatever its type.
    pub items: Vec<Range<usize>>,
}

/// A knowledge-base file as it was read, kept so that positions can be shown and edits made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Path of the file, as the corpus names it.
    pub path: PathBuf,
    /// Its full text at load time.
    pub text: Arc<str>,
    /// Its lines, for positions.
    pub lines: LineIndex,
}

/// The entities of a knowledge base found by slug. The table holds their positions only, hashed
/// by the slugs they point at, so that a million slugs are not kept twice; Fx hashing, not
/// SipHash, since slugs come from the user's own files, not an adversary, and SipHash was a
/// tenth of loading a million entities.
#[derive(Debug, Clone, Default)]
struct SlugIndex {
    table: HashTable<u32>,
}

impl SlugIndex {
    fn hash(slug: &str) -> u64 {
        FxBuildHasher.hash_one(slug)
    }

    /// The slug of the entity at position `i`; empty past the end.
    fn slug_at(entities: &[Entity], i: u32) -> &str {
        entities.get(i as usize).map_or("", |e| e.id.as_str())
    }

    /// The entity of `entities` whose slug is `slug`.
    fn get(&self, entities: &[Entity], slug: &str) -> Option<EntityId> {
        self.table
            .find(SlugIndex::hash(slug), |&i| {
                SlugIndex::slug_at(entities, i) == slug
            })
            .map(|&i| EntityId(i))
    }

    /// Finds `id`, which must be in `entities`, by its slug from now on, instead of any entity
    /// found by that slug before.
    fn insert(&mut self, entities: &[Entity], id: EntityId) {
        let Some(slug) = entities.get(id.index()).map(|e| e.id.as_str()) else {
            return;
        };
        match self.table.entry(
            SlugIndex::hash(slug),
            |&i| SlugIndex::slug_at(entities, i) == slug,
            |&i| SlugIndex::hash(SlugIndex::slug_at(entities, i)),
        ) {
            Entry::Occupied(mut found) => *found.get_mut() = id.0,
            Entry::Vacant(slot) => {
                slot.insert(id.0);
            }
        }
    }

    fn reserve(&mut self, entities: &[Entity], more: usize) {
        self.table
            .reserve(more, |&i| SlugIndex::hash(SlugIndex::slug_at(entities, i)));
    }
}

/// All the entities of a corpus.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    entities: Vec<Entity>,
    sources: Vec<Source>,
    by_id: SlugIndex,
    anchors: Vec<AnchorRule>,
    anchors_by_article: FxHashMap<String, Vec<AnchorId>>,
}

impl KnowledgeBase {
    /// Loads knowledge-base files from their texts (so unsaved editor buffers work as well as
    /// files on disk), returning every entity that is sound and every problem found.
    pub fn load<P, T>(files: impl IntoIterator<Item = (P, T)>) -> (KnowledgeBase, Vec<Problem>)
    where
        P: Into<PathBuf>,
        T: Into<Arc<str>>,
    {
        load::load(
            files
                .into_iter()
                .map(|(path, text)| (path.into(), text.into())),
        )
    }

    /// Builds a knowledge base from entities already in memory (tests, generators).
    pub fn from_entities(entities: Vec<Entity>) -> KnowledgeBase {
        let mut by_id = SlugIndex::default();
        for i in 0..entities.len() {
            by_id.insert(&entities, EntityId(i as u32));
        }
        KnowledgeBase {
            entities,
            by_id,
            ..KnowledgeBase::default()
        }
    }

    /// Every entity, in file order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Every entity with its id.
    pub fn iter(&self) -> impl Iterator<Item = (EntityId, &Entity)> {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (EntityId(i as u32), e))
    }

    /// The entity at `id`. Panics on an id from another knowledge base.
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.index()]
    }

    /// The entity at `id`, if this knowledge base has one.
    pub fn get(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(id.index())
    }

    /// The entity with slug `id`.
    pub fn by_slug(&self, id: &str) -> Option<EntityId> {
        self.by_id.get(&self.entities, id)
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether there are no entities.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The files the entities were read from.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The file an entity is written in.
    pub fn source_of(&self, id: EntityId) -> Option<&Source> {
        self.sources.get(self.entity(id).origin.source)
    }

    /// Every `[[untag]]` and `[[assign]]` decision, in file order (files in load order): where
    /// several match one mention, the last one wins.
    pub fn anchors(&self) -> &[AnchorRule] {
        &self.anchors
    }

    /// The decision at `id`, if this knowledge base has one.
    pub fn anchor(&self, id: AnchorId) -> Option<&AnchorRule> {
        self.anchors.get(id.index())
    }

    /// The decisions about mentions in `article` (its path relative to the corpus root, `/`
    /// separators), in file order; a lookup, so re-annotating one article stays cheap.
    pub fn anchors_for(&self, article: &str) -> impl Iterator<Item = (AnchorId, &AnchorRule)> {
        self.anchors_by_article
            .get(anchor::normalize_article(article))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&id| self.anchor(id).map(|rule| (id, rule)))
    }
}
