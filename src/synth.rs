//! Synthetic corpora for benchmarks: a knowledge base of any size with realistic multi-word
//! names and aliases, and articles of English-like prose that mention its entities at news-like
//! density. Deterministic: the same seed gives byte-identical output, so numbers can be rerun.
//!
//! Realism that matters for speed is kept: names of two to four words, some non-ASCII
//! (`José`, `Müller`, `Nguyễn`, `王伟`), surnames shared by many people as weak aliases (so one
//! sense per discourse and ambiguity do real work), acronyms as strong aliases, possessives with
//! curly apostrophes, and a few entities per article mentioned several times each.

use std::collections::HashSet;
use std::fmt::Write;

use crate::kb::Kind;
use crate::text::fold;

const FIRST: &[&str] = &[
    "James", "Maria", "Wei", "Aisha", "Carlos", "Yuki", "Olga", "Kwame", "Priya", "Lars", "Fatima",
    "Diego", "Mei", "Ivan", "Amara", "Hugo", "Sofia", "Ahmed", "Elena", "Tomás", "José", "Zoë",
    "Björn", "Chloé", "Rahul", "Ngozi", "Anh", "Leila", "Mateo", "Hana", "Omar", "Ingrid", "Kenji",
    "Lucía", "Farid", "Nadia", "Pedro", "Sun", "Grace", "Emeka", "Anya", "Raúl", "Ji-woo", "Thabo",
    "Marta", "Yusuf", "Clara", "Arjun",
];
const MIDDLE: &[&str] = &[
    "A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "J.", "K.", "L.", "M.", "N.", "P.", "R.", "S.",
    "T.", "W.", "Lee", "Ann", "Marie", "Jean", "Luis", "Kim", "Rose", "Ray", "Mae", "Jun",
];
const LAST: &[&str] = &[
    "Smith",
    "Chen",
    "Okafor",
    "Müller",
    "Nguyễn",
    "García",
    "Tanaka",
    "Ivanova",
    "Haddad",
    "Kowalski",
    "Silva",
    "Patel",
    "Johansson",
    "Mensah",
    "Rossi",
    "Dubois",
    "Kim",
    "Novak",
    "Santos",
    "Ali",
    "Moreau",
    "Yamamoto",
    "Olsen",
    "Adeyemi",
    "Fernández",
    "Wang",
    "Park",
    "Schmidt",
    "Costa",
    "Kaur",
    "Nowak",
    "Takahashi",
    "Bianchi",
    "Petrov",
    "Eze",
    "Lindqvist",
    "Rahman",
    "O’Brien",
    "Da Silva",
    "Van Dijk",
];
const ADJECTIVES: &[&str] = &[
    "Northern",
    "Pacific",
    "United",
    "Golden",
    "Atlas",
    "Summit",
    "Harbor",
    "Crescent",
    "Silver",
    "Eastern",
    "Meridian",
    "Evergreen",
    "Granite",
    "Liberty",
    "Orion",
    "Sterling",
    "Coastal",
    "Apex",
    "Royal",
    "Nova",
];
const NOUNS: &[&str] = &[
    "Copper",
    "Textile",
    "Shipping",
    "Energy",
    "Data",
    "Rail",
    "Media",
    "Water",
    "Grain",
    "Steel",
    "Health",
    "Finance",
    "Mobile",
    "Solar",
    "Cement",
    "Fisheries",
    "Logistics",
    "Pharma",
    "Timber",
    "Aviation",
];
const ORG_SUFFIX: &[&str] = &[
    "Holdings",
    "Group",
    "Corporation",
    "Bank",
    "Authority",
    "Institute",
    "Partners",
    "Ltd.",
];
const PLACE_PREFIX: &[&str] = &[
    "Port", "San", "New", "Lake", "Mount", "Fort", "Saint", "Upper", "West", "Bad",
];
const PLACE_ROOT: &[&str] = &[
    "Kelvar", "Miraflo", "Dunhal", "Ostrav", "Belmor", "Tashken", "Quimar", "Zalend", "Rivadel",
    "Corvin", "Halvik", "Sorren", "Ambril", "Vestra", "Pelago", "Marrak", "Tolvan", "Ishar",
    "Brennic", "Lunaro",
];
const PLACE_SUFFIX: &[&str] = &[
    "a", "o", "ia", "en", "burg", "ville", "port", "stan", "ás", "ö",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tas", "vel", "dor", "zan", "qui", "bel", "sor", "nak",
];
const EVENT_NOUN: &[&str] = &[
    "Forum",
    "Summit",
    "Expo",
    "Conference",
    "Festival",
    "Congress",
];
const INITIATIVE_NOUN: &[&str] = &[
    "Initiative",
    "Programme",
    "Compact",
    "Corridor",
    "Plan",
    "Partnership",
];
const PRODUCT_NOUN: &[&str] = &[
    "Pay", "Cloud", "Go", "Books", "Maps", "Mail", "Drive", "Chat",
];
const TITLES: &[&str] = &[
    "President",
    "Minister",
    "Mr",
    "Ms",
    "Dr",
    "Finance Secretary",
    "Governor",
];

/// Filler prose: common words in news copy.
const WORDS: &[&str] = &[
    "the",
    "government",
    "said",
    "on",
    "Tuesday",
    "that",
    "it",
    "would",
    "review",
    "plans",
    "for",
    "a",
    "new",
    "trade",
    "agreement",
    "with",
    "officials",
    "in",
    "the",
    "region",
    "after",
    "months",
    "of",
    "talks",
    "and",
    "growing",
    "pressure",
    "from",
    "investors",
    "who",
    "have",
    "called",
    "more",
    "transparency",
    "over",
    "how",
    "public",
    "funds",
    "are",
    "spent",
    "analysts",
    "expect",
    "prices",
    "to",
    "rise",
    "this",
    "year",
    "while",
    "exports",
    "remained",
    "steady",
    "despite",
    "weaker",
    "demand",
    "companies",
    "reported",
    "higher",
    "costs",
    "small",
    "businesses",
    "digital",
    "payments",
    "infrastructure",
    "projects",
    "were",
    "delayed",
    "by",
    "weather",
    "but",
    "the",
    "committee",
    "approved",
    "budget",
    "café",
    "naïve",
    "résumé",
    "between",
    "about",
];

/// One generated entity: its canonical name and the forms articles may use for it.
#[derive(Debug, Clone)]
pub struct SynthEntity {
    /// What sort of entity.
    pub kind: Kind,
    /// Canonical name.
    pub name: String,
    /// Strong aliases.
    pub aliases: Vec<String>,
    /// Weak aliases (a person's surname).
    pub weak_aliases: Vec<String>,
}

/// A knowledge base of `count` distinct entities from `seed`.
pub fn entities(count: usize, seed: u64) -> Vec<SynthEntity> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut strong: HashSet<String> = HashSet::with_capacity(count * 2);
    let mut out = Vec::with_capacity(count);
    let mut attempt = 0u64;
    while out.len() < count {
        attempt += 1;
        let kind = match rng.u32(0..100) {
            0..40 => Kind::Person,
            40..65 => Kind::Organization,
            65..85 => Kind::Place,
            85..92 => Kind::Initiative,
            92..97 => Kind::Event,
            _ => Kind::Product,
        };
        let (mut name, aliases, weak) = make_name(&mut rng, kind);
        if !strong.insert(fold(&name)) {
            // Taken: make it unique the way real names are, with a number or a qualifier.
            name = format!("{name} {}", serial(attempt));
            if !strong.insert(fold(&name)) {
                continue;
            }
        }
        let aliases: Vec<String> = aliases
            .into_iter()
            .filter(|a| strong.insert(fold(a)))
            .collect();
        out.push(SynthEntity {
            kind,
            name,
            aliases,
            weak_aliases: weak,
        });
    }
    out
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(0..list.len())]
}

fn make_name(rng: &mut fastrand::Rng, kind: Kind) -> (String, Vec<String>, Vec<String>) {
    match kind {
        Kind::Person => {
            let first = pick(rng, FIRST);
            let last = if rng.u8(0..3) == 0 {
                format!("{}-{}", pick(rng, LAST), pick(rng, LAST))
            } else {
                pick(rng, LAST).to_owned()
            };
            let last = last.as_str();
            if rng.bool() {
                let middle = pick(rng, MIDDLE);
                (
                    format!("{first} {middle} {last}"),
                    vec![format!("{first} {last}")],
                    vec![last.to_owned()],
                )
            } else if rng.u8(0..10) == 0 {
                // Some names in scripts without spaces or case.
                let han = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊"];
                (
                    han[rng.usize(0..han.len())].to_owned() + &format!("{}", rng.u16(1..999)),
                    vec![],
                    vec![],
                )
            } else {
                (format!("{first} {last}"), vec![], vec![last.to_owned()])
            }
        }
        Kind::Organization => {
            let (a, n, s) = (
                pick(rng, ADJECTIVES),
                pick(rng, NOUNS),
                pick(rng, ORG_SUFFIX),
            );
            let name = if rng.bool() {
                format!("{a} {n} {s}")
            } else {
                format!("{a} {n} {s} of {}", place_root(rng))
            };
            let acronym: String = name.split(' ').filter_map(|w| w.chars().next()).collect();
            (name, vec![acronym], vec![])
        }
        Kind::Place => {
            let root = place_root(rng);
            let name = if rng.bool() {
                format!("{} {root}", pick(rng, PLACE_PREFIX))
            } else {
                root
            };
            (name, vec![], vec![])
        }
        Kind::Initiative => {
            let name = format!(
                "{} {} {}",
                pick(rng, ADJECTIVES),
                pick(rng, NOUNS),
                pick(rng, INITIATIVE_NOUN)
            );
            let acronym: String = name.split(' ').filter_map(|w| w.chars().next()).collect();
            (name, vec![acronym], vec![])
        }
        Kind::Event => {
            let place = place_root(rng);
            (
                format!("{place} {} {}", pick(rng, EVENT_NOUN), rng.u16(1990..2030)),
                vec![],
                vec![],
            )
        }
        Kind::Product => (
            format!("{}{}", pick(rng, ADJECTIVES), pick(rng, PRODUCT_NOUN)),
            vec![],
            vec![],
        ),
    }
}

/// A made-up place name: a root, a syllable or two, an ending (`Kelvarrenia`).
fn place_root(rng: &mut fastrand::Rng) -> String {
    let mut root = pick(rng, PLACE_ROOT).to_owned();
    for _ in 0..rng.usize(0..3) {
        root.push_str(pick(rng, SYLLABLES));
    }
    root.push_str(pick(rng, PLACE_SUFFIX));
    root
}

fn serial(n: u64) -> String {
    format!("{}", n % 100_000)
}

/// The knowledge-base TOML for `entities`.
pub fn knowledge_base(entities: &[SynthEntity]) -> String {
    let mut out = String::with_capacity(entities.len() * 160);
    out.push_str("# Synthetic knowledge base made by `dossier generate`.\n");
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let list = |items: &[String]| {
        items
            .iter()
            .map(|s| quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (i, e) in entities.iter().enumerate() {
        let _ = write!(
            out,
            "\n[[entity]]\nid = \"e{i}\"\nname = {}\nkind = \"{}\"\n",
            quote(&e.name),
            e.kind
        );
        if !e.aliases.is_empty() {
            let _ = writeln!(out, "aliases = [{}]", list(&e.aliases));
        }
        if !e.weak_aliases.is_empty() {
            let _ = writeln!(out, "weak_aliases = [{}]", list(&e.weak_aliases));
        }
        let _ = writeln!(
            out,
            "role = \"Synthetic {}\"\ncountry = \"Nowhere\"",
            e.kind
        );
    }
    out
}

/// Article `index` of a corpus over `entities`: about `bytes` bytes of prose mentioning a few
/// entities, roughly `per_100_words` mentions per hundred words.
pub fn article(
    entities: &[SynthEntity],
    index: usize,
    seed: u64,
    bytes: usize,
    per_100_words: u32,
) -> String {
    let mut rng =
        fastrand::Rng::with_seed(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let cast: Vec<&SynthEntity> = (0..rng.usize(4..10))
        .filter_map(|_| entities.get(rng.usize(0..entities.len().max(1))))
        .collect();
    let mut named = vec![false; cast.len()];
    let mut out = String::with_capacity(bytes + 256);
    let mut words_in_paragraph = 0;
    let mut sentence_start = true;
    while out.len() < bytes {
        if !cast.is_empty() && rng.u32(0..100) < per_100_words {
            let who = rng.usize(0..cast.len());
            let e = cast[who];
            let form = if named[who] && !e.weak_aliases.is_empty() && rng.bool() {
                e.weak_aliases[0].as_str()
            } else if named[who] && !e.aliases.is_empty() && rng.bool() {
                e.aliases[0].as_str()
            } else {
                e.name.as_str()
            };
            named[who] = true;
            if e.kind == Kind::Person && rng.u8(0..4) == 0 {
                let _ = write!(out, "{} ", pick(&mut rng, TITLES));
            }
            out.push_str(form);
            if rng.u8(0..8) == 0 {
                out.push_str(if rng.bool() { "’s" } else { "'s" });
            }
        } else {
            let word = pick(&mut rng, WORDS);
            if sentence_start {
                let mut chars = word.chars();
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push_str(word);
            }
        }
        sentence_start = false;
        words_in_paragraph += 1;
        if rng.u8(0..12) == 0 {
            out.push_str(if rng.u8(0..6) == 0 {
                ", “he said”."
            } else {
                "."
            });
            sentence_start = true;
            if words_in_paragraph > 60 {
                out.push_str("\n\n");
                words_in_paragraph = 0;
                continue;
            }
        }
        out.push(' ');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::KnowledgeBase;
    use crate::recognize::Recognizer;

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let a = entities(300, 7);
        let b = entities(300, 7);
        assert_eq!(knowledge_base(&a), knowledge_base(&b));
        assert_eq!(article(&a, 3, 7, 5000, 3), article(&b, 3, 7, 5000, 3));
        assert_ne!(article(&a, 3, 7, 5000, 3), article(&a, 4, 7, 5000, 3));
    }

    #[test]
    fn the_knowledge_base_loads_clean_and_articles_mention_it() {
        let synth = entities(2000, 1);
        let (kb, problems) = KnowledgeBase::load([("kb.toml", knowledge_base(&synth))]);
        let errors: Vec<_> = problems.iter().filter(|p| p.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(kb.len(), 2000);
        let recognizer = Recognizer::new(&kb);
        let text = article(&synth, 0, 1, 5000, 3);
        assert!(text.len() >= 5000 && text.len() < 5400);
        let words = text.split_whitespace().count();
        let mentions = recognizer.recognize(&text).len();
        assert!(
            mentions * 100 >= words,
            "at least one mention per hundred words: {mentions}/{words}"
        );
    }
}
