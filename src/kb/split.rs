//! Parsing a large knowledge-base file in many small parts on every core while the parts before
//! are read, with exactly the result of parsing it whole.
//!
//! Parsing dominates loading a large knowledge base, and `toml` parses on one thread. A file of
//! `[[entity]]` tables can be cut at the lines that are exactly `[[entity]]`: each part after
//! the first then starts with a header. The parts are small (about [`MIN_PART`] bytes), and one
//! thread per core parses the next part handed out while the loading thread reads the parsed
//! ones in file order, handing each back to be dropped once read. `toml` lexes a whole input
//! into tokens before parsing it, so a large part needs several times its size in fresh memory,
//! and touching fresh memory costs as much as the parse itself on a virtual machine; a small
//! part reuses the memory of the parts before it, and only the few parts in flight are held at
//! once. The parts
//! are used only when they provably mean what the whole file means (so results and errors are
//! always the whole parse's):
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
//! The rules are checked part by part as the parts are read. A part that breaks one ends the
//! reading, [refused](Unread::Refused): the reader forgets what it read of the file and reads
//! the file again whole.
//!
//! Positions inside a part count from the part's start, which [`Part::base`] gives.

use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Mutex;

use rustc_hash::FxHashSet;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The size parts are cut to: small enough that a part's tokens fit in memory its thread has
/// already touched, large enough that handing parts out costs nothing. Files smaller than two
/// parts are parsed whole.
pub(super) const MIN_PART: usize = 1 << 20;

/// The line a part after the first starts with.
const HEADER: &str = "[[entity]]";

/// The most parts one file is cut into, so that a huge file's parts stay few enough to track.
const MAX_PARTS: usize = 1024;

/// How many parts each thread may parse ahead of the part being read: enough that no thread
/// waits on the reader, few enough that only a few parts' trees are held at once, whose memory
/// later parts reuse instead of touching fresh pages.
const AHEAD_PER_THREAD: usize = 4;

/// One part of a file and its parsed top-level table.
pub(super) struct Part<'i> {
    /// Byte offset in the file where the part starts; its spans count from here.
    pub(super) base: usize,
    /// The part's top-level keys and values, spans relative to `base`; within the whole file
    /// the `entity` arrays of all parts make one.
    pub(super) table: DeTable<'i>,
}

/// Why [`parse_each`] did not give every part of a file.
pub(super) enum Unread {
    /// The file, parsed whole, has these errors.
    Invalid(Vec<toml::de::Error>),
    /// A part might not mean in the file what it means alone (see the module documentation):
    /// what was read of the file must be forgotten and the file read whole. Only a file cut
    /// into parts is refused.
    Refused,
}

/// Parses `text`, in parts of at least `min_part` bytes when it is large and can be cut, and
/// gives the parts to `read` in file order as they are parsed; the parts given before an
/// [`Unread::Refused`] must be forgotten.
pub(super) fn parse_each<'i>(
    text: &'i str,
    min_part: usize,
    mut read: impl FnMut(&Part<'i>),
) -> Result<(), Unread> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let parts = threads.max(text.len() / min_part.max(1)).min(MAX_PARTS);
    let cuts = cut_points(text, parts, min_part);
    if cuts.is_empty() {
        let (table, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            return Err(Unread::Invalid(errors));
        }
        read(&Part {
            base: 0,
            table: table.into_inner(),
        });
        return Ok(());
    }
    if parse_parts(text, &cuts, threads, read) {
        Ok(())
    } else {
        Err(Unread::Refused)
    }
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

/// Parses the parts between `cuts` on `threads` threads, each taking the next part to parse,
/// while this thread gives `read` the parsed ones in file order; `false` as soon as a part fails
/// or might not mean what it means in the whole file (see the module documentation).
fn parse_parts<'i>(
    text: &'i str,
    cuts: &[usize],
    threads: usize,
    read: impl FnMut(&Part<'i>),
) -> bool {
    let mut bounds = Vec::with_capacity(cuts.len() + 2);
    bounds.push(0);
    bounds.extend_from_slice(cuts);
    bounds.push(text.len());
    let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let (jobs, job_queue) = channel::<Job<'i>>();
    let job_queue = Mutex::new(job_queue);
    let (parsed_sender, parsed) = channel::<Parsed<'i>>();
    // One worker: parses the parts it is handed until the reader hands out no more.
    let work = |parsed: Sender<Parsed<'i>>| {
        while let Some(Job { index, used }) = next_job(&job_queue) {
            drop(used);
            // A parse that panics is a failed part, not one the reader would wait for forever.
            let part = ranges.get(index).and_then(|&(start, end)| {
                let parse = || parse_part(text, start, end);
                catch_unwind(AssertUnwindSafe(parse)).ok().flatten()
            });
            if parsed.send((index, part)).is_err() {
                break;
            }
        }
    };
    std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others; with none, no part
        // arrives and the file is refused.
        let workers: Vec<_> = (0..threads.min(ranges.len()))
            .filter_map(|_| {
                let sender = parsed_sender.clone();
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || work(sender))
                    .ok()
            })
            .collect();
        drop(parsed_sender);
        let ahead = threads.saturating_mul(AHEAD_PER_THREAD).max(1);
        let whole = read_in_order(ranges.len(), ahead, &jobs, &parsed, read);
        // Owned by this closure, so dropped even if `read` panics: the workers stop once their
        // part is done, and `scope` does not wait for them forever.
        drop(jobs);
        for worker in workers {
            let _ = worker.join(); // its panics were caught; joined so that none reaches `scope`
        }
        whole
    })
}

/// A part's index and the part, `None` when it does not parse.
type Parsed<'i> = (usize, Option<Part<'i>>);

/// A part for a worker to parse, and one already read for it to drop: the reader is the slower
/// side, and dropping a part's tree would cost it about a tenth of reading it.
struct Job<'i> {
    index: usize,
    used: Option<Part<'i>>,
}

/// The next job for a worker; `None` once the reader hands out no more.
fn next_job<'i>(queue: &Mutex<Receiver<Job<'i>>>) -> Option<Job<'i>> {
    queue.lock().ok()?.recv().ok()
}

/// Parses `text[start..end]`; `None` when it has any error.
fn parse_part(text: &str, start: usize, end: usize) -> Option<Part<'_>> {
    let (table, errors) = DeTable::parse_recoverable(text.get(start..end)?);
    errors.is_empty().then(|| Part {
        base: start,
        table: table.into_inner(),
    })
}

/// Gives `read` the `count` parts in file order as they arrive on `parsed`, handing the workers
/// parts to parse no more than `ahead` past the one being read; `false` at the first part that
/// fails or breaks a rule, or when the workers are gone.
fn read_in_order<'i>(
    count: usize,
    ahead: usize,
    jobs: &Sender<Job<'i>>,
    parsed: &Receiver<Parsed<'i>>,
    mut read: impl FnMut(&Part<'i>),
) -> bool {
    let mut handed = 0;
    let mut hand_out_until = |end: usize, mut used: Option<Part<'i>>| {
        while handed < end.min(count) {
            let job = Job {
                index: handed,
                used: used.take(),
            };
            let _ = jobs.send(job); // fails only when no worker is left: `parsed` ends then
            handed += 1;
        }
    };
    hand_out_until(ahead, None);
    let mut early: Vec<Option<Option<Part<'i>>>> = (0..count).map(|_| None).collect();
    let mut rules = Rules::default();
    for index in 0..count {
        let part = loop {
            if let Some(part) = early.get_mut(index).and_then(Option::take) {
                break part;
            }
            let Ok((arrived, part)) = parsed.recv() else {
                return false;
            };
            if let Some(slot) = early.get_mut(arrived) {
                *slot = Some(part);
            }
        };
        let Some(part) = part.filter(|part| rules.allow(index == 0, part)) else {
            return false;
        };
        read(&part);
        hand_out_until(index + 1 + ahead, Some(part));
    }
    true
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
        let table = &part.table;
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

    /// The bases of the parts between `cuts` as `parse_parts` gives them, if it gives them all.
    fn bases(text: &str, cuts: &[usize], threads: usize) -> Option<Vec<usize>> {
        let mut bases = Vec::new();
        parse_parts(text, cuts, threads, |part| bases.push(part.base)).then_some(bases)
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
            let expected = [&[0][..], &cuts].concat();
            assert_eq!(
                bases(&text, &cuts, threads),
                Some(expected),
                "{threads} threads"
            );
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
        let parts = bases(&text, &cuts, 3).map_or(0, |b| b.len());
        assert_eq!(parts, cuts.len() + 1);
        let every_header = cut_points(&text, usize::MAX, 1);
        assert_eq!(
            every_header.len(),
            2000,
            "the smallest parts hold one entity each"
        );
    }

    #[test]
    fn a_reader_that_panics_leaves_no_worker_waiting() {
        let text = many(200);
        let cuts = cut_points(&text, usize::MAX, 1);
        let outcome = std::panic::catch_unwind(|| {
            parse_parts(&text, &cuts, 2, |part| assert!(part.base < cuts[50]))
        });
        assert!(
            outcome.is_err(),
            "the panic reaches the caller, once the workers stop"
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
            assert!(bases(&text, &cuts, 2).is_none(), "{quote}");
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
            assert!(bases(&text, &cuts, 2).is_none(), "{before:?} {after:?}");
        }
    }
}
