//! Parsing a large knowledge-base file in many small parts on every core, with exactly the
//! result of parsing it whole.
//!
//! Parsing dominates loading a large knowledge base, and `toml` parses on one thread. A file of
//! `[[entity]]` tables can be cut at the lines that are exactly `[[entity]]`: each part after
//! the first then starts with a header. The parts are small (about [`MIN_PART`] bytes), and one
//! thread per core takes the next unparsed part until none is left: `toml` lexes a whole input
//! into tokens before parsing it, so a large part needs several times its size in fresh memory,
//! and touching fresh memory costs as much as the parse itself on a virtual machine, while a
//! small part reuses the memory its thread's previous part freed. The parts are used only when
//! they provably mean what the whole file means, and the file is parsed whole otherwise (so
//! errors are always the whole parse's errors):
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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rustc_hash::FxHashSet;
use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

/// The size parts are cut to: small enough that a part's tokens fit in memory its thread has
/// already touched, large enough that handing parts out costs nothing. Files smaller than two
/// parts are parsed whole.
pub(super) const MIN_PART: usize = 1 << 20;

/// The line a part after the first starts with.
const HEADER: &str = "[[entity]]";

/// The most parts one file is cut into, so that a huge file's parts stay few enough to track.
const MAX_PARTS: usize = 1024;

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
    let parts = threads.max(text.len() / min_part.max(1)).min(MAX_PARTS);
    let cuts = cut_points(text, parts, min_part);
    if !cuts.is_empty() {
        if let Some(parts) = parse_parts(text, &cuts, threads) {
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
/// the first line that is exactly `[[entity]]`, each next one at the first such line a share of
/// the rest after the cut before. Empty when the text is too small or has no two such lines.
fn cut_points(text: &str, parts: usize, min_part: usize) -> Vec<usize> {
    if parts < 2 || text.len() < min_part.saturating_mul(2) {
        return Vec::new();
    }
    let Some(first) = header_line_at_or_after(text, 0) else {
        return Vec::new();
    };
    let share = ((text.len() - first) / parts).max(min_part).max(1);
    let mut cuts = vec![first];
    let mut last = first;
    while let Some(cut) = header_line_at_or_after(text, last.saturating_add(share)) {
        if text.len() - cut < min_part {
            break;
        }
        cuts.push(cut);
        last = cut;
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

/// Parses the parts between `cuts` on `threads` threads, each taking the next unparsed part;
/// `None` when any fails or the parts might not mean what the whole file means (see the module
/// documentation).
fn parse_parts<'i>(text: &'i str, cuts: &[usize], threads: usize) -> Option<Vec<Part<'i>>> {
    let mut bounds = Vec::with_capacity(cuts.len() + 2);
    bounds.push(0);
    bounds.extend_from_slice(cuts);
    bounds.push(text.len());
    let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    // One worker: parses parts until none is left or one fails, which makes all the rest moot.
    let work = || {
        let mut done: Vec<(usize, Part<'i>)> = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(start, end)) = ranges.get(index) else {
                break;
            };
            match text.get(start..end).map(DeTable::parse_recoverable) {
                Some((table, errors)) if errors.is_empty() => {
                    done.push((index, Part { base: start, table }));
                }
                _ => failed.store(true, Ordering::Relaxed),
            }
        }
        done
    };
    let mut parsed: Vec<Option<Part<'i>>> = ranges.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others; this one works too.
        let helpers: Vec<_> = (1..threads.min(ranges.len()))
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mine = work();
        let theirs = helpers.into_iter().filter_map(|h| h.join().ok());
        for (index, part) in std::iter::once(mine).chain(theirs).flatten() {
            if let Some(slot) = parsed.get_mut(index) {
                *slot = Some(part);
            }
        }
    });
    let parts: Vec<Part<'i>> = parsed.into_iter().collect::<Option<_>>()?;
    let mut rules = Rules::default();
    parts
        .iter()
        .enumerate()
        .all(|(index, part)| rules.allow(index == 0, part))
        .then_some(parts)
}

/// The rules of the module documentation, checked part by part in file order.
#[derive(Default)]
struct Rules {
    /// The top-level keys other than `entity` that the parts before defined.
    keys: FxHashSet<String>,
}

impl Rules {
    /// Whether `part`, which comes after the parts already allowed, means in the file what it
    /// means alone.
    fn allow(&mut self, first: bool, part: &Part<'_>) -> bool {
        let table = part.table.get_ref();
        let entity = table.get("entity").map(Spanned::get_ref);
        let entity_ok = if first {
            entity.is_none()
        } else {
            matches!(entity, Some(DeValue::Array(_)))
        };
        entity_ok
            && table.keys().all(|key| {
                let name: &str = key.get_ref();
                name == "entity" || self.keys.insert(name.to_owned())
            })
    }
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
        for threads in [1, 2, 5] {
            let parts = parse_parts(&text, &cuts, threads).unwrap_or_default();
            let bases: Vec<usize> = parts.iter().map(|p| p.base).collect();
            assert_eq!(bases, [&[0][..], &cuts].concat(), "{threads} threads");
        }
    }

    #[test]
    fn parts_are_as_small_as_asked_and_as_many_as_fit() {
        let text = many(2000);
        let size = entity(1999).len();
        let min_part = 1000;
        let cuts = cut_points(&text, text.len() / min_part, min_part);
        assert!(
            cuts.len() >= text.len() / (min_part + size),
            "{}",
            cuts.len()
        );
        let sizes: Vec<usize> = cuts
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain([text.len() - cuts[cuts.len() - 1]])
            .collect();
        assert!(
            sizes
                .iter()
                .all(|&s| s >= min_part && s < 2 * min_part + size),
            "{sizes:?}"
        );
        let parts = parse_parts(&text, &cuts, 3).map_or(0, |p| p.len());
        assert_eq!(parts, cuts.len() + 1);
        let every_header = cut_points(&text, usize::MAX, 1);
        assert_eq!(
            every_header.len(),
            2000,
            "the smallest parts hold one entity each"
        );
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
            assert!(parse_parts(&text, &cuts, 2).is_none(), "{quote}");
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
            assert!(
                parse_parts(&text, &cuts, 2).is_none(),
                "{before:?} {after:?}"
            );
        }
    }
}
