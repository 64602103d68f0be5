//! Edits to a knowledge-base file's text: what the tagging code actions of the language server
//! send to the editor as a workspace edit, so the user sees them and can undo them.
//!
//! Each function returns one [`TextEdit`] on the text it is given (or on the entity's own file,
//! for [`add_alias`]); the edits of two calls are both relative to the same text and are not
//! meant to be combined: apply one, reload, compute the next. Values are rendered by the `toml`
//! crate, so any name — quotes, backslashes, line breaks, non-ASCII — stays a valid TOML string,
//! and an edit never touches the layout or comments around it. The file's line ending (`\n`
//! or `\r\n`) is kept.

use std::ops::Range;

use super::anchor::Anchor;
use super::{slugify, EntityId, Kind, KnowledgeBase, ListSpan};
use crate::text::fold;

/// A replacement of `range` (bytes) of a file's text by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// The bytes replaced; empty for an insertion.
    pub range: Range<usize>,
    /// What replaces them.
    pub new_text: String,
}

impl TextEdit {
    /// The text with this edit applied, or `None` when the range does not fit `text` (it was
    /// computed on another version of the file).
    pub fn apply(&self, text: &str) -> Option<String> {
        let before = text.get(..self.range.start)?;
        let after = text.get(self.range.end..)?;
        (self.range.start <= self.range.end).then(|| [before, &self.new_text, after].concat())
    }
}

/// What a new `[[entity]]` table says: the fields "tag as a new entity" asks the user for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntity {
    /// Its slug; [`unique_id`] makes one that is free.
    pub id: String,
    /// Its canonical name, usually the selected text.
    pub name: String,
    /// What sort of thing it is.
    pub kind: Kind,
    /// Who or what it is; left out of the table when empty, so `dossier check` keeps asking.
    pub role: String,
    /// The country it belongs to; left out when empty, likewise.
    pub country: String,
    /// Other forms that always mean it; the `aliases` line is left out when there are none.
    pub aliases: Vec<String>,
    /// Short forms that count only beside a strong one; likewise.
    pub weak_aliases: Vec<String>,
}

/// Why a new entity cannot be added as it is: what the loader would reject, said before the
/// file is touched, with the entity that stands in the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// Its id is another entity's.
    Id { owner: EntityId },
    /// `form`, its name or one of its aliases, already always means another entity.
    StrongForm { form: String, owner: EntityId },
}

/// What stands in the way of adding `entity` to `kb`: a taken id, or a name or alias that is a
/// strong form of an entity already there (compared folded, as recognition compares them).
/// Empty when it can be added.
pub fn clashes(kb: &KnowledgeBase, entity: &NewEntity) -> Vec<Clash> {
    let mut found = Vec::new();
    if let Some(owner) = kb.by_slug(entity.id.trim()) {
        found.push(Clash::Id { owner });
    }
    let forms = std::iter::once(&entity.name).chain(&entity.aliases);
    for form in forms {
        let folded = fold(form.trim());
        let owner = kb
            .iter()
            .find(|(_, other)| other.strong_forms().any(|f| fold(f) == folded));
        if let Some((owner, _)) = owner {
            found.push(Clash::StrongForm {
                form: form.trim().to_owned(),
                owner,
            });
        }
    }
    found
}

/// A free id for an entity named `name`: its slug (`Lim Guan Eng` → `lim-guan-eng`), or the slug
/// with `-2`, `-3`… when an entity of `kb` already has it.
pub fn unique_id(kb: &KnowledgeBase, name: &str) -> String {
    let base = slugify(name);
    if kb.by_slug(&base).is_none() {
        return base;
    }
    let mut n = 2usize;
    loop {
        let id = format!("{base}-{n}");
        if kb.by_slug(&id).is_none() {
            return id;
        }
        n += 1;
    }
}

/// Appends a new `[[entity]]` table to a knowledge-base file: at the end, one blank line before
/// it (none in an empty file), the text ending with a line break.
pub fn append_entity(kb_text: &str, entity: &NewEntity) -> TextEdit {
    let mut fields = vec![
        ("id", entity.id.trim()),
        ("name", entity.name.trim()),
        ("kind", entity.kind.as_str()),
    ];
    for (key, value) in [("role", &entity.role), ("country", &entity.country)] {
        if !value.trim().is_empty() {
            fields.push((key, value.trim()));
        }
    }
    let mut edit = append_table(kb_text, "entity", &fields);
    let nl = newline(kb_text);
    for (key, list) in [
        ("aliases", &entity.aliases),
        ("weak_aliases", &entity.weak_aliases),
    ] {
        let items: Vec<String> = list
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(toml_string)
            .collect();
        if !items.is_empty() {
            edit.new_text
                .push_str(&format!("{key} = [{}]{nl}", items.join(", ")));
        }
    }
    edit
}

/// Appends an `[[untag]]` table: the mention `anchor` finds is no entity.
pub fn untag(kb_text: &str, anchor: &Anchor) -> TextEdit {
    append_table(kb_text, "untag", &anchor_fields(anchor))
}

/// Appends an `[[assign]]` table: the mention `anchor` finds is the entity `entity_id` (the
/// choice on an ambiguous mention, "This is Jack Ma").
pub fn assign(kb_text: &str, anchor: &Anchor, entity_id: &str) -> TextEdit {
    let mut fields = anchor_fields(anchor);
    fields.push(("entity", entity_id));
    append_table(kb_text, "assign", &fields)
}

/// Adds `alias` to the `aliases` (or, when `weak`, `weak_aliases`) of an entity, editing the
/// text of the file the entity is written in ([`KnowledgeBase::source_of`]).
///
/// An existing list gets `, "X"` after its last entry (or on a line of its own, in a list
/// written one entry per line with a trailing comma); otherwise a new `aliases = ["X"]` line
/// goes right after the `name` line (a `weak_aliases` line after `aliases` when there is one).
///
/// `None` when there is nothing sound to do: `entity` is not in `kb` or has no file text, the
/// alias is empty, it already means this entity (or, as a strong alias, another one, which the
/// loader would reject; as a weak alias, a strong form of any entity, which would have no
/// effect), or the key holds something other than a list.
pub fn add_alias(
    kb: &KnowledgeBase,
    entity: EntityId,
    alias: &str,
    weak: bool,
) -> Option<TextEdit> {
    let e = kb.get(entity)?;
    let text: &str = &kb.sources().get(e.origin.source)?.text;
    let alias = alias.trim();
    let folded = fold(alias);
    if folded.is_empty() {
        return None;
    }
    let taken = kb.iter().any(|(id, other)| {
        other.strong_forms().any(|f| fold(f) == folded)
            || (id == entity && other.weak_aliases.iter().any(|f| fold(f) == folded) && weak)
    });
    if taken {
        return None;
    }
    let value = toml_string(alias);
    let list = if weak {
        &e.origin.weak_aliases
    } else {
        &e.origin.aliases
    };
    if let Some(list) = list {
        return add_to_list(text, list, &value);
    }
    let key = if weak { "weak_aliases" } else { "aliases" };
    let header = text.get(e.origin.header.clone())?;
    if header.starts_with('{') {
        // An inline table, `{ id = "a", name = "A", … }`: the new key goes after the name.
        let at = e.origin.name.end;
        text.get(at..)?;
        return Some(TextEdit {
            range: at..at,
            new_text: format!(", {key} = [{value}]"),
        });
    }
    let after = match (&e.origin.aliases, weak) {
        (Some(aliases), true) => aliases.value.end,
        _ => e.origin.name.end,
    };
    let nl = newline(text);
    let indent = indentation(text, e.origin.name.start)?;
    let line = format!("{indent}{key} = [{value}]");
    Some(match text.get(after..)?.find('\n') {
        Some(i) => {
            let at = after + i + 1;
            TextEdit {
                range: at..at,
                new_text: format!("{line}{nl}"),
            }
        }
        None => TextEdit {
            range: text.len()..text.len(),
            new_text: format!("{nl}{line}{nl}"),
        },
    })
}

/// The edit that adds `value` (rendered) to the list written at `list`.
fn add_to_list(text: &str, list: &ListSpan, value: &str) -> Option<TextEdit> {
    let written = text.get(list.value.clone())?;
    if !list.is_list || !written.starts_with('[') || !written.ends_with(']') {
        return None;
    }
    let open = list.value.start + 1;
    let close = list.value.end - 1;
    let Some(last) = list.items.last() else {
        // `[]`, `[ ]`: the value fills it; with comments inside, it goes first.
        let inside = text.get(open..close)?;
        let range = if inside.trim().is_empty() {
            open..close
        } else {
            open..open
        };
        return Some(TextEdit {
            range,
            new_text: value.to_owned(),
        });
    };
    let gap = text.get(last.end..close)?;
    let first_line = gap.split('\n').next().unwrap_or("");
    let line_start = text.get(..last.start)?.rfind('\n').map_or(0, |i| i + 1);
    let alone_on_its_line = text.get(line_start..last.start)?.trim().is_empty();
    if alone_on_its_line && gap.contains('\n') && first_line.trim_start().starts_with(',') {
        // One entry per line with a trailing comma: a line of its own, like its neighbours.
        let at = last.end + first_line.len() + 1;
        let indent = text.get(line_start..last.start)?;
        let nl = if first_line.ends_with('\r') {
            "\r\n"
        } else {
            "\n"
        };
        return Some(TextEdit {
            range: at..at,
            new_text: format!("{indent}{value},{nl}"),
        });
    }
    Some(TextEdit {
        range: last.end..last.end,
        new_text: format!(", {value}"),
    })
}

/// The fields of an `[[untag]]` or `[[assign]]` table, in the documented order.
fn anchor_fields(anchor: &Anchor) -> Vec<(&'static str, &str)> {
    vec![
        ("article", anchor.article.as_str()),
        ("text", anchor.text.as_str()),
        ("before", anchor.before.as_str()),
        ("after", anchor.after.as_str()),
    ]
}

/// Appends `[[name]]` with `fields` to the end of `kb_text`, one blank line before it; blank
/// lines already at the end are folded into that one.
fn append_table(kb_text: &str, name: &str, fields: &[(&str, &str)]) -> TextEdit {
    let nl = newline(kb_text);
    let content_end = kb_text.trim_end_matches([' ', '\t', '\r', '\n']).len();
    let mut new_text = String::new();
    if content_end > 0 {
        new_text.push_str(nl);
        new_text.push_str(nl);
    }
    new_text.push_str(&format!("[[{name}]]{nl}"));
    for (key, value) in fields {
        new_text.push_str(&format!("{key} = {}{nl}", toml_string(value)));
    }
    TextEdit {
        range: content_end..kb_text.len(),
        new_text,
    }
}

/// `s` as a TOML string, quoted and escaped by the `toml` crate, whatever it holds.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// The line ending the file uses: that of its first line, `\n` when it has none.
fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// The whitespace that starts the line holding byte `at`.
fn indentation(text: &str, at: usize) -> Option<&str> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..at)?;
    Some(&line[..line.len() - line.trim_start_matches([' ', '\t']).len()])
}

#[cfg(test)]
mod tests;
