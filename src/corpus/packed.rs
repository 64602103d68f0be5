//! An article's mentions as the index keeps them: packed into 36 bytes each, places included,
//! where a [`Mention`] and its two [`Place`]s take 88. At archive scale (twenty million
//! mentions in a million articles) that is the difference between fitting in memory and not.
//!
//! What packing relies on: the index refuses articles of 4 GiB or more (offsets fit a `u32`);
//! a mention almost always ends on the line it starts on, so its end is its start plus its
//! length (the rare one across a line break keeps both places beside the packed list); and
//! ambiguous mentions, a few per article, keep their candidates beside it too.

use std::ops::Range;

use crate::kb::EntityId;
use crate::recognize::{Form, Mention, Target};
use crate::text::Place;

/// The largest article the index takes, in bytes: offsets are kept as `u32`.
pub const MAX_ARTICLE_BYTES: u64 = u32::MAX as u64;

/// Marks a target that is an index into [`PackedMentions::ambiguous`], not an entity.
const AMBIGUOUS: u32 = 1 << 31;

/// Marks a mention whose end place is kept in [`PackedMentions::spanning`].
const SPANNING: u16 = u16::MAX;

/// One mention: its span, title, target and form, and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    start: u32,
    end: u32,
    /// The title's span; `start == end == u32::MAX` when there is none.
    title: [u32; 2],
    target: u32,
    line: u32,
    utf8: u32,
    utf16: u32,
    /// UTF-16 units from start to end, on the start's line; [`SPANNING`] otherwise.
    width16: u16,
    form: Form,
}

/// The mentions of one article with their places, packed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedMentions {
    items: Vec<Packed>,
    /// The candidates of the ambiguous mentions, in their order.
    ambiguous: Vec<Box<[EntityId]>>,
    /// The places of the mentions that end on another line than they start on (or further
    /// than a `u16` of UTF-16 units), by their index, in order.
    spanning: Vec<(u32, [Place; 2])>,
}

impl PackedMentions {
    /// Packs `mentions` with their `places` (one pair each), or `None` if they do not pack:
    /// an offset of 4 GiB or more, or a place missing.
    pub fn new(mentions: Vec<Mention>, places: &[[Place; 2]]) -> Option<PackedMentions> {
        if mentions.len() != places.len() {
            return None;
        }
        let narrow = |n: usize| u32::try_from(n).ok().filter(|&n| n != u32::MAX);
        let mut packed = PackedMentions {
            items: Vec::with_capacity(mentions.len()),
            ..PackedMentions::default()
        };
        for (i, (mention, &[start, end])) in mentions.into_iter().zip(places).enumerate() {
            let target = match mention.target {
                Target::Entity(id) if id.0 < AMBIGUOUS => id.0,
                Target::Entity(_) => return None,
                Target::Ambiguous(ids) => {
                    let n = u32::try_from(packed.ambiguous.len()).ok()?;
                    packed.ambiguous.push(ids);
                    AMBIGUOUS | n
                }
            };
            let one_line = end.line == start.line
                && u64::from(end.utf8) == u64::from(start.utf8) + mention.span.len() as u64;
            let width16 = end
                .utf16
                .checked_sub(start.utf16)
                .and_then(|w| u16::try_from(w).ok())
                .filter(|&w| one_line && w != SPANNING);
            if width16.is_none() {
                packed.spanning.push((u32::try_from(i).ok()?, [start, end]));
            }
            let title = match mention.title {
                Some(title) => [narrow(title.start)?, narrow(title.end)?],
                None => [u32::MAX; 2],
            };
            packed.items.push(Packed {
                start: narrow(mention.span.start)?,
                end: narrow(mention.span.end)?,
                title,
                target,
                line: start.line,
                utf8: start.utf8,
                utf16: start.utf16,
                width16: width16.unwrap_or(SPANNING),
                form: mention.form,
            });
        }
        packed.items.shrink_to_fit();
        Some(packed)
    }

    /// Number of mentions.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether any mention is ambiguous, without unpacking them.
    pub fn any_ambiguous(&self) -> bool {
        !self.ambiguous.is_empty()
    }

    /// Every mention with where it starts and ends, in text order.
    pub fn iter(&self) -> impl Iterator<Item = (Mention, [Place; 2])> + '_ {
        let mut spanning = self.spanning.iter().peekable();
        self.items.iter().enumerate().map(move |(i, p)| {
            let start = Place {
                line: p.line,
                utf8: p.utf8,
                utf16: p.utf16,
            };
            let end = match spanning.peek() {
                Some(&&(at, places)) if at as usize == i => {
                    spanning.next();
                    places[1]
                }
                _ => Place {
                    line: p.line,
                    utf8: p.utf8 + (p.end - p.start),
                    utf16: p.utf16 + u32::from(p.width16),
                },
            };
            (self.unpack(p), [start, end])
        })
    }

    fn unpack(&self, p: &Packed) -> Mention {
        let span = |[start, end]: [u32; 2]| -> Range<usize> { start as usize..end as usize };
        let target = match p.target {
            t if t & AMBIGUOUS == 0 => Target::Entity(EntityId(t)),
            t => Target::Ambiguous(
                self.ambiguous
                    .get((t & !AMBIGUOUS) as usize)
                    .cloned()
                    .unwrap_or_default(),
            ),
        };
        Mention {
            span: span([p.start, p.end]),
            target,
            form: p.form,
            title: (p.title != [u32::MAX; 2]).then(|| span(p.title)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{LineIndex, PlaceCursor};

    fn placed(text: &str, mentions: &[Mention]) -> Vec<[Place; 2]> {
        let lines = LineIndex::new(text);
        let mut cursor = PlaceCursor::new(text, &lines);
        mentions
            .iter()
            .map(|m| [cursor.place(m.span.start), cursor.place(m.span.end)])
            .collect()
    }

    #[test]
    fn mentions_and_places_come_back_as_they_went_in() {
        let text = "Finance Secretary Paul Chan met 😀 Ma\nand Jack\nMa, then Ma.";
        let at = |needle: &str, n: usize| {
            let start = text.match_indices(needle).nth(n).map_or(0, |(i, _)| i);
            start..start + needle.len()
        };
        let mentions = vec![
            Mention {
                span: at("Paul Chan", 0),
                target: Target::Entity(EntityId(3)),
                form: Form::Name,
                title: Some(at("Finance Secretary", 0)),
            },
            Mention {
                span: at("Ma", 0),
                target: Target::Ambiguous(vec![EntityId(1), EntityId(2)].into()),
                form: Form::WeakAlias,
                title: None,
            },
            Mention {
                span: at("Jack\nMa", 0),
                target: Target::Entity(EntityId(1)),
                form: Form::Name,
                title: None,
            },
            Mention {
                span: at("Ma", 3),
                target: Target::Entity(EntityId(1)),
                form: Form::Alias,
                title: None,
            },
        ];
        let places = placed(text, &mentions);
        let Some(packed) = PackedMentions::new(mentions.clone(), &places) else {
            panic!("the mentions pack");
        };
        assert_eq!(packed.len(), 4);
        assert!(packed.any_ambiguous());
        assert_eq!(
            packed.spanning.len(),
            1,
            "only `Jack\\nMa` spans a line break"
        );
        let back: (Vec<Mention>, Vec<[Place; 2]>) = packed.iter().unzip();
        assert_eq!(back, (mentions, places));
    }

    #[test]
    fn a_packed_mention_takes_well_under_half_the_memory() {
        let unpacked = std::mem::size_of::<Mention>() + 2 * std::mem::size_of::<Place>();
        assert_eq!(std::mem::size_of::<Packed>(), 36);
        assert_eq!(unpacked, 88);
    }

    #[test]
    fn what_does_not_fit_is_refused() {
        let mention = |span: Range<usize>, id: u32| Mention {
            span,
            target: Target::Entity(EntityId(id)),
            form: Form::Name,
            title: None,
        };
        let place = [Place::default(); 2];
        assert!(PackedMentions::new(vec![mention(0..1, 0)], &[]).is_none());
        let far = u32::MAX as usize;
        assert!(PackedMentions::new(vec![mention(far..far + 1, 0)], &[place]).is_none());
        assert!(PackedMentions::new(vec![mention(0..1, AMBIGUOUS)], &[place]).is_none());
        assert!(PackedMentions::new(vec![mention(0..1, 0)], &[place]).is_some());
    }
}
