//! One JSON object per mention, one mention per line: the record the design fixes.
//!
//! ```json
//! {"doc":"seeds/000_3f504db1f4b0c96a.txt","start":0,"end":7,"line":0,"character":0,"text":"Alibaba","entity":"alibaba-group","name":"Alibaba Group","kind":"organization"}
//! ```
//!
//! `start`/`end` are code-point offsets into the file's text, end exclusive; `line` and
//! `character` (code points) are 0-based and locate the start. An ambiguous mention has `null`
//! entity, name and kind, and a `candidates` list of entity ids.

use std::io::{self, Write};

use serde::Serialize;

use crate::corpus::Article;
use crate::kb::KnowledgeBase;
use crate::recognize::{Mention, Target};
use crate::text::CodePointCursor;

/// The JSONL record of one mention, fields in the design's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MentionRecord<'a> {
    /// The article's path as the user named it.
    pub doc: &'a str,
    /// Code-point offset of the first character.
    pub start: usize,
    /// Code-point offset just past the last character.
    pub end: usize,
    /// 0-based line of the start.
    pub line: usize,
    /// 0-based code-point column of the start.
    pub character: usize,
    /// The text as it stands in the article.
    pub text: &'a str,
    /// The entity's id; `null` when ambiguous.
    pub entity: Option<&'a str>,
    /// The entity's canonical name; `null` when ambiguous.
    pub name: Option<&'a str>,
    /// The entity's kind; `null` when ambiguous.
    pub kind: Option<&'static str>,
    /// The candidates of an ambiguous mention; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<&'a str>>,
}

/// The records of an article's mentions, which must be in text order (as recognition gives
/// them): offsets are counted in one forward pass.
pub fn records<'a>(
    doc: &'a str,
    article: &'a Article,
    mentions: &'a [Mention],
    kb: &'a KnowledgeBase,
) -> impl Iterator<Item = MentionRecord<'a>> + 'a {
    let text = article.text();
    let mut cursor = CodePointCursor::new(text);
    mentions.iter().map(move |mention| {
        let start = cursor.code_point(mention.span.start);
        let end = cursor.code_point(mention.span.end);
        let position = article.lines().line_col(text, mention.span.start);
        let (entity, name, kind, candidates) = match &mention.target {
            Target::Entity(id) => {
                let e = kb.entity(*id);
                (
                    Some(e.id.as_str()),
                    Some(e.name.as_str()),
                    Some(e.kind.as_str()),
                    None,
                )
            }
            Target::Ambiguous(ids) => {
                let ids = ids.iter().map(|&id| kb.entity(id).id.as_str()).collect();
                (None, None, None, Some(ids))
            }
        };
        MentionRecord {
            doc,
            start,
            end,
            line: position.line,
            character: position.column,
            text: &text[mention.span.clone()],
            entity,
            name,
            kind,
            candidates,
        }
    })
}

/// Writes the records of an article, one per line.
pub fn write(
    out: &mut impl Write,
    doc: &str,
    article: &Article,
    mentions: &[Mention],
    kb: &KnowledgeBase,
) -> io::Result<()> {
    for record in records(doc, article, mentions, kb) {
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
