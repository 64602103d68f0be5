//! Outlines: the entities of an article grouped by kind, and a fuzzy search over every entity
//! of the corpus.

use std::collections::BTreeMap;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use tower_lsp_server::ls_types::{DocumentSymbol, SymbolInformation, SymbolKind};

use super::convert::Encoding;
use super::navigation::definition;
use super::state::{DocView, State};
use crate::kb::{EntityId, Kind, KnowledgeBase};

/// How many workspace symbols a query returns at most.
const WORKSPACE_LIMIT: usize = 100;

/// The symbol kind that best suggests an entity kind in editors' outline icons.
pub fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Person => SymbolKind::OBJECT,
        Kind::Organization => SymbolKind::CLASS,
        Kind::Place => SymbolKind::NAMESPACE,
        Kind::Initiative => SymbolKind::EVENT,
        Kind::Event => SymbolKind::EVENT,
        Kind::Product => SymbolKind::CONSTANT,
    }
}

/// An entity's first mention, last mention and mention count in a document.
type Seen = (std::ops::Range<usize>, std::ops::Range<usize>, usize);

/// The entities of a document, one group per kind, each entity at its first mention with its
/// mention count.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must be spelled out
pub fn document_symbols(
    view: &DocView<'_>,
    kb: &KnowledgeBase,
    encoding: Encoding,
) -> Vec<DocumentSymbol> {
    let mut by_kind: BTreeMap<Kind, BTreeMap<EntityId, Seen>> = BTreeMap::new();
    for mention in view.mentions {
        let Some(id) = mention.entity() else { continue };
        let Some(entity) = kb.get(id) else { continue };
        let entry = by_kind
            .entry(entity.kind)
            .or_default()
            .entry(id)
            .or_insert((mention.span.clone(), mention.span.clone(), 0));
        entry.1 = mention.span.clone();
        entry.2 += 1;
    }
    by_kind
        .into_iter()
        .filter_map(|(kind, entities)| {
            let children: Vec<DocumentSymbol> = entities
                .into_iter()
                .filter_map(|(id, (first, last, count))| {
                    let entity = kb.get(id)?;
                    let selection = view.lines.range(first.clone(), encoding);
                    Some(DocumentSymbol {
                        name: entity.name.clone(),
                        detail: Some(format!(
                            "{count} mention{}{}",
                            if count == 1 { "" } else { "s" },
                            if entity.role.is_empty() {
                                String::new()
                            } else {
                                format!(" · {}", entity.role)
                            }
                        )),
                        kind: symbol_kind(kind),
                        tags: None,
                        deprecated: None,
                        range: view.lines.range(first.start..last.end, encoding),
                        selection_range: selection,
                        children: None,
                    })
                })
                .collect();
            let first = children.first()?;
            let range = children.iter().fold(first.range, |acc, c| {
                tower_lsp_server::ls_types::Range::new(
                    acc.start.min(c.range.start),
                    acc.end.max(c.range.end),
                )
            });
            Some(DocumentSymbol {
                name: kind.as_str().to_owned(),
                detail: Some(format!("{} entities", children.len())),
                kind: SymbolKind::NAMESPACE,
                tags: None,
                deprecated: None,
                range,
                selection_range: first.selection_range,
                children: Some(children),
            })
        })
        .collect()
}

/// Entities whose name or an alias fuzzily matches `query`, best first, at their definitions.
#[allow(deprecated)] // `SymbolInformation::deprecated` must be spelled out
pub fn workspace_symbols(
    state: &State,
    kb: &KnowledgeBase,
    query: &str,
    encoding: Encoding,
) -> Vec<SymbolInformation> {
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut buffer = Vec::new();
    let mut scored: Vec<(u32, EntityId, &str)> = Vec::new();
    for (id, entity) in kb.iter() {
        let best = entity
            .strong_forms()
            .chain(entity.weak_aliases.iter().map(String::as_str))
            .filter_map(|form| {
                pattern
                    .score(Utf32Str::new(form, &mut buffer), &mut matcher)
                    .map(|score| (score, form))
            })
            .max_by_key(|&(score, _)| score);
        if let Some((score, form)) = best {
            // Show the canonical name whenever it matches at all, not a better-scoring alias.
            let name_matches = pattern
                .score(Utf32Str::new(&entity.name, &mut buffer), &mut matcher)
                .is_some();
            scored.push((
                score,
                id,
                if name_matches {
                    entity.name.as_str()
                } else {
                    form
                },
            ));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(WORKSPACE_LIMIT)
        .filter_map(|(_, id, form)| {
            let entity = kb.get(id)?;
            let name = if form == entity.name {
                entity.name.clone()
            } else {
                format!("{} ({form})", entity.name)
            };
            Some(SymbolInformation {
                name,
                kind: symbol_kind(entity.kind),
                tags: None,
                deprecated: None,
                location: definition(state, kb, id, encoding)?,
                container_name: Some(entity.kind.as_str().to_owned()),
            })
        })
        .collect()
}
