//! Parsing a large knowledge-base file in parts, one per core, with exactly the result of parsing
//! it whole.
//!
//! Parsing dominates loading a large knowledge base, and `toml` parses on one thread. A file of
//! `[[entity]]` tables can be cut at the lines that are exactly `[[entity]]`: each part after
//! the first then starts with a header, and parts are parsed at once on several threads. The
//! parts are used only when they provably mean what the whole file means, and the file is
//! parsed whole otherwise (so errors are always the whole parse's errors):
//!
//! - Every part parses without error. A cut inside a multi-line string (the only token a line
//!   start can be inside of) or inside a multi-line array or inline table leaves that construct
//!   unterminated at the end of the part before it, which is an error there.
//! - The first part, everything before the first cut, defines no `entity` key, so each later
//!   part's leading `[[entity]]` appends to the array of tables the first such header made, as it
//!   does in the whole file; a sub-table (`[entity.x]`) always follows its entity in its part.
//! - Every other top-level key is defined in one part only, so no part can redefine what another
//!   defined (a duplicate key or table is an error of the whole file that no part would see).
//!
//! Positions inside a part count from the part's start, which [`Part::base`] gives.

use std::num::NonZeroUsize;

use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

/// Files smaller than two parts of this size are parsed whole: a thread costs more than it saves.
pub(super) const MIN_PART: usize = 4 << 20;

/// The line a part after the first starts with.
const HEADER: &str = "[[entity]]";

/// The most threads one file is parsed on.
const MAX_PARTS: usize = 8;

/// One part of a file and its parsed top-level table.
pub(super) struct Part<'i> {
    /// Byte offset in the file where the part starts; its spans count from here.
    pub(super) base: usize,
    table: Spanned<DeTable<'i>>,
}

/// A top-level key or value of one part, with the part's start.
pub(super) struct At<'p, T> {
    /// Byte offset of the part in the file.
    pub(super) base: usize,
    /// The key or value, its span relative to `base`.
    pub(super) item: &'p Spanned<T>,
}

/// Parses `text`, in parts of at least `min_part` bytes when it is large and can be cut safely;
/// returns the parts in file order, or the errors of the whole file.
pub(super) fn parse(text: &str, min_part: usize) -> Result<Vec<Part<'_>>, Vec<toml::de::Error>> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let cuts = cut_points(text, threads.min(MAX_PARTS), min_part);
    if !cuts.is_empty() {
        if let Some(parts) = parse_parts(text, &cuts) {
            return Ok(parts);
        }
    }
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        Ok(vec![Part { base: 0, table }])
    } else {
        Err(errors)
    }
}

/// A top-level key, where it first appears, and its value in every part that has it.
pub(super) type TopLevel<'p, 'i> = (At<'p, DeString<'i>>, Vec<At<'p, DeValue<'i>>>);

/// The top-level keys of all parts in order of first appearance, each with its value in every
/// part that has it, in file order: what the whole file's top-level table holds, the arrays of
/// tables split across parts.
pub(super) fn top_level<'p, 'i>(parts: &'p [Part<'i>]) -> Vec<TopLevel<'p, 'i>> {
    let mut keys: Vec<TopLevel<'p, 'i>> = Vec::new();
    for part in parts {
        for (key, value) in part.table.get_ref() {
            let value = At {
                base: part.base,
                item: value,
            };
            match keys
                .iter_mut()
                .find(|(k, _)| k.item.get_ref() == key.get_ref())
            {
                Some((_, values)) => values.push(value),
                None => keys.push((
                    At {
                        base: part.base,
                        item: key,
                    },
                    vec![value],
                )),
            }
        }
    }
    keys
}

/// Where to cut `text` into about `parts` parts of at least `min_part` bytes: the first cut at
/// the first line that is exactly `[[entity]]`, the others at such lines near equal shares of
/// the rest. Empty when the text is too small or has no such line.
fn cut_points(text: &str, parts: usize, min_part: usize) -> Vec<usize> {
    if parts < 2 || text.len() < min_part.saturating_mul(2) {
        return Vec::new();
    }
    let Some(first) = header_line_at_or_after(text, 0) else {
        return Vec::new();
    };
    let mut cuts = vec![first];
    let share = (text.len() - first) / parts;
    for i in 1..parts {
        let target = first + share * i;
        let last = cuts.last().copied().unwrap_or(first);
        if target < last + min_part {
            continue;
        }
        match header_line_at_or_after(text, target) {
            Some(cut) if text.len() - cut >= min_part => cuts.push(cut),
            _ => break,
        }
    }
    if cuts.len() < 2 {
        return Vec::new(); // one cut gives a small first part and one large one: no gain
    }
    cuts
}

/// The start of the first line at or after byte `from` that is exactly `[[entity]]` (with `\n`,
/// `\r\n` or the end of the text after it).
fn header_line_at_or_after(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let finder = memchr::memmem::Finder::new(HEADER.as_bytes());
    let mut at = from;
    while at <= bytes.len() {
        let found = at + finder.find(bytes.get(at..)?)?;
        let starts_line = found == 0 || bytes[found - 1] == b'\n';
        let rest = &bytes[found + HEADER.len()..];
        let ends_line = rest.is_empty() || rest.starts_with(b"\n") || rest.starts_with(b"\r\n");
        if starts_line && ends_line {
            return Some(found);
        }
        at = found + 1;
    }
    None
}

/// Parses the parts between `cuts` on one thread each; `None` when any fails or the parts might
/// not mean what the whole file means (see the module documentation).
fn parse_parts<'i>(text: &'i str, cuts: &[usize]) -> Option<Vec<Part<'i>>> {
    let mut bounds = Vec::with_capacity(cuts.len() + 2);
    bounds.push(0);
    bounds.extend_from_slice(cuts);
    bounds.push(text.len());
    let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let parse_one = |&(start, end): &(usize, usize)| -> Option<Part<'i>> {
        let (table, errors) = DeTable::parse_recoverable(text.get(start..end)?);
        errors.is_empty().then_some(Part { base: start, table })
    };
    let parsed: Vec<Option<Part<'i>>> = std::thread::scope(|scope| {
        // The first part (before the first `[[entity]]`) is small: it goes with the second.
        let handles: Vec<_> = ranges[2..]
            .iter()
            .map(|range| scope.spawn(move || parse_one(range)))
            .collect();
        let mut parsed: Vec<Option<Part<'i>>> = ranges[..2].iter().map(parse_one).collect();
        parsed.extend(handles.into_iter().map(|h| h.join().ok().flatten()));
        parsed
    });
    let parts: Vec<Part<'i>> = parsed.into_iter().collect::<Option<_>>()?;
    let (first, rest) = parts.split_first()?;
    if first.table.get_ref().contains_key("entity") {
        return None;
    }
    for part in rest {
        if !matches!(
            part.table.get_ref().get("entity").map(Spanned::get_ref),
            Some(DeValue::Array(_))
        ) {
            return None;
        }
    }
    for (i, part) in parts.iter().enumerate() {
        for key in part.table.get_ref().keys() {
            let name: &str = key.get_ref();
            if name != "entity"
                && parts[i + 1..]
                    .iter()
                    .any(|later| later.table.get_ref().contains_key(name))
            {
                return None;
            }
        }
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(i: usize) -> String {
        format!(
            "[[entity]]\nid = \"e{i}\"\nname = \"Entity {i}\"\nkind = \"place\"\nrole = \"r\"\ncountry = \"c\"\n\n"
        )
    }

    fn many(n: usize) -> String {
        (0..n).map(entity).collect()
    }

    #[test]
    fn header_lines_are_found_only_whole() {
        let text = "x = 1\n [[entity]]\n[[entity]] # c\n[[entity]]x\n[[entity]]\r\n";
        assert_eq!(header_line_at_or_after(text, 0), text.rfind("[[entity]]"));
        assert_eq!(header_line_at_or_after("[[entity]]", 0), Some(0));
        assert_eq!(header_line_at_or_after("a[[entity]]", 0), None);
        assert_eq!(header_line_at_or_after("", 0), None);
    }

    #[test]
    fn a_large_clean_file_is_parsed_in_parts() {
        let text = format!("# preamble\n{}", many(200));
        let cuts = cut_points(&text, 3, 100);
        assert_eq!(cuts.len(), 3, "{cuts:?}");
        assert_eq!(cuts[0], "# preamble\n".len());
        assert!(cuts.iter().all(|&c| text[c..].starts_with("[[entity]]\n")));
        let parts = parse_parts(&text, &cuts).map_or(0, |p| p.len());
        assert_eq!(parts, 4);
    }

    #[test]
    fn small_files_and_files_without_headers_are_not_cut() {
        assert!(cut_points(&many(200), 2, 1 << 20).is_empty());
        assert!(cut_points(&"x = 1\n".repeat(1000), 2, 10).is_empty());
        assert!(cut_points(&many(200), 1, 10).is_empty());
    }

    #[test]
    fn a_header_line_inside_a_multi_line_string_is_no_cut() {
        for quote in ["\"\"\"", "'''"] {
            let mut text = many(50);
            text.push_str(&format!(
                "[[entity]]\nid = \"s\"\nname = \"S\"\nkind = \"place\"\ndescription = {quote}\n{}{quote}\n",
                many(50)
            ));
            text.push_str(&many(50));
            let inside = text.find(quote).unwrap_or(0) + 4;
            let cuts = [0, inside + text[inside..].find("[[entity]]").unwrap_or(0)];
            assert!(parse_parts(&text, &cuts).is_none(), "{quote}");
        }
    }

    #[test]
    fn parts_that_could_disagree_with_the_whole_file_are_refused() {
        let body = many(20);
        for (before, after) in [
            ("entity = []\n", ""),          // a static array cannot be appended to
            ("[entity]\nid = \"x\"\n", ""), // nor a plain table
            ("[untag]\na = 1\n", "[untag]\nb = 2\n"), // a table defined twice
            ("", "[x]\na = 1\n[[entity]]\n[x]\nb = 2\n"),
        ] {
            let text = format!("{before}{body}{after}{body}");
            let cuts: Vec<usize> = [
                header_line_at_or_after(&text, 0),
                header_line_at_or_after(&text, text.len() / 2),
            ]
            .into_iter()
            .flatten()
            .collect();
            assert_eq!(cuts.len(), 2, "{text}");
            assert!(parse_parts(&text, &cuts).is_none(), "{before:?} {after:?}");
        }
    }
}
