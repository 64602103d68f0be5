//! Going from a mention to its entity and back: definition, references, document highlights.

use std::path::Path;

use tower_lsp_server::ls_types::{DocumentHighlight, DocumentHighlightKind, Location};

use super::convert::{path_to_uri, range_of, Encoding, Lines, TextLines};
use super::state::{DocView, State, Workspace};
use crate::kb::{EntityId, KnowledgeBase};
use crate::recognize::Mention;

/// Where an entity's `[[entity]]` table is written, as a location.
pub fn definition(
    state: &State,
    kb: &KnowledgeBase,
    entity: EntityId,
    encoding: Encoding,
) -> Option<Location> {
    let source = kb.source_of(entity)?;
    let extent = kb.get(entity)?.origin.extent.clone();
    let uri = path_to_uri(&source.path)?;
    // An open knowledge-base buffer is what the user sees; it matches the loaded text unless
    // the buffer is broken and the last good knowledge base is in force.
    let range = match state.docs.get(&uri) {
        Some(doc) if doc.text() == *source.text => doc.rope.range(extent, encoding),
        _ => TextLines {
            text: &source.text,
            lines: &source.lines,
        }
        .range(extent, encoding),
    };
    Some(Location { uri, range })
}

/// Every mention of `entity` across the corpus: open documents as the editor has them, the
/// rest from the index.
pub fn references(
    state: &State,
    workspace: &Workspace,
    entity: EntityId,
    encoding: Encoding,
) -> Vec<Location> {
    let mut locations = Vec::new();
    let mut seen_open = std::collections::HashSet::new();
    for entry in state.docs.iter() {
        let doc = entry.value();
        let Some(path) = &doc.path else { continue };
        if workspace.index.doc_id(path).is_none()
            || doc.generation() != workspace.knowledge.generation
        {
            continue;
        }
        seen_open.insert(path.clone());
        for mention in doc.mentions().iter().filter(|m| m.entity() == Some(entity)) {
            locations.push(Location {
                uri: entry.key().clone(),
                range: doc.rope.range(mention.span.clone(), encoding),
            });
        }
    }
    let mut current: Option<(&Path, tower_lsp_server::ls_types::Uri)> = None;
    for (doc_id, _, places) in workspace.index.mentions_of(entity) {
        let Some(doc) = workspace.index.doc(doc_id) else {
            continue;
        };
        let path = doc.path();
        if seen_open.contains(path) {
            continue;
        }
        let uri = match &current {
            Some((p, uri)) if *p == path => uri.clone(),
            _ => {
                let Some(uri) = path_to_uri(path) else {
                    continue;
                };
                current = Some((path, uri.clone()));
                uri
            }
        };
        locations.push(Location {
            uri,
            range: range_of(places, encoding),
        });
    }
    locations
}

/// The other mentions, in the same document, of what the mention at the cursor names.
pub fn highlights(
    view: &DocView<'_>,
    mention: &Mention,
    encoding: Encoding,
) -> Vec<DocumentHighlight> {
    view.mentions
        .iter()
        .filter(|m| m.candidates() == mention.candidates())
        .map(|m| DocumentHighlight {
            range: view.lines.range(m.span.clone(), encoding),
            kind: Some(DocumentHighlightKind::TEXT),
        })
        .collect()
}

/// The entity whose table in a knowledge-base file contains byte `offset`.
pub fn entity_at_table(kb: &KnowledgeBase, kb_path: &Path, offset: usize) -> Option<EntityId> {
    let source = kb.sources().iter().position(|s| s.path == kb_path)?;
    kb.iter()
        .find(|(_, e)| e.origin.source == source && e.origin.extent.contains(&offset))
        .map(|(id, _)| id)
}
