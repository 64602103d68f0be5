//! What the fuzz targets share: knowledge bases and texts built from fuzzer bytes, and the
//! invariants every target checks.
//!
//! Fully random strings almost never contain a knowledge base's names, so the recogniser would
//! see nothing but misses. Names and texts are instead made of pieces: words that begin one
//! another or are titles (`Ab`, `Ab.`, `Jack Ma`, `President`), the separators that folding and
//! word boundaries care about (no-break spaces, curly apostrophes, soft hyphens, byte-order
//! marks, paragraph breaks, combining marks), and raw strings for everything else. A text can
//! also quote an entity's form directly, as written, in capitals or in lower case.

use arbitrary::Arbitrary;
use dossier::kb::{Entity, KnowledgeBase};
use dossier::problem::Problem;
use dossier::recognize::{Form, Mention};
use dossier::text::fold;

/// Words names and texts are built from: names that share first words or begin one another,
/// titles that the recogniser keeps outside a person's span, letters whose case changes their
/// length (`ß`, `ĸ`, `İ`, `ﬁ`), and CJK.
const WORDS: &[&str] = &[
    "Jack",
    "Ma",
    "Jack Ma",
    "Alibaba",
    "Group",
    "Lam",
    "Carrie",
    "President",
    "Mr",
    "Dr",
    "Minister",
    "Finance",
    "Secretary",
    "Datuk Seri",
    "KL",
    "Macau",
    "Hong Kong",
    "ß",
    "Ab",
    "Ab.",
    "Ab-c",
    "ĸ",
    "İ",
    "ﬁ",
    "马云",
    "Malacañang",
    "I",
    "A",
    "a",
    "MA",
    "JACK",
    "of",
    "the",
    "Pony",
];

/// Separators: every kind of space, line and paragraph break, apostrophe and quote the folding
/// rewrites, the characters it drops, and punctuation and marks around word boundaries.
const SEPARATORS: &[&str] = &[
    " ", "  ", "\u{a0}", "\n", "\n\n", "\r\n", "\t", "’s", "'s", "'", "’", "‘", "ʼ", "′", "\u{ad}",
    "\u{200b}", "\u{feff}", ".", ",", "-", "(", ")", "\"", "😀", "ñ", "\u{301}", "\u{2028}",
    "\u{3000}", "x", "1", "_", ":", "\u{0}", "\u{7f}", "\u{85}",
];

/// The kinds the loader accepts, and one it does not.
const KINDS: &[&str] = &[
    "person",
    "organization",
    "place",
    "initiative",
    "event",
    "product",
    "thing",
];

/// The most entities, forms per entity, pieces per form, and pieces per text taken from one
/// input: enough for every rule to meet every other, small enough to stay fast.
const MAX_ENTITIES: usize = 12;
const MAX_FORMS: usize = 4;
const MAX_PIECES: usize = 8;
const MAX_TEXT_PIECES: usize = 200;

/// One piece of a name or a text.
#[derive(Arbitrary, Debug, Clone)]
pub enum Piece {
    /// One of [`WORDS`].
    Word(u8),
    /// One of [`SEPARATORS`].
    Separator(u8),
    /// Anything at all.
    Raw(String),
}

impl Piece {
    /// Appends the piece to `out`.
    fn write(&self, out: &mut String) {
        match self {
            Piece::Word(i) => out.push_str(WORDS[*i as usize % WORDS.len()]),
            Piece::Separator(i) => out.push_str(SEPARATORS[*i as usize % SEPARATORS.len()]),
            Piece::Raw(s) => out.push_str(s),
        }
    }
}

/// Joins at most [`MAX_PIECES`] pieces.
fn join(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces.iter().take(MAX_PIECES) {
        piece.write(&mut out);
    }
    out
}

/// One `[[entity]]` table, its fields built from pieces.
#[derive(Arbitrary, Debug, Clone)]
pub struct EntitySpec {
    /// Its slug; `e<index>` when absent, so that most entities have distinct slugs.
    pub id: Option<String>,
    /// Its name.
    pub name: Vec<Piece>,
    /// Its aliases.
    pub aliases: Vec<Vec<Piece>>,
    /// Its weak aliases.
    pub weak_aliases: Vec<Vec<Piece>>,
    /// An index into [`KINDS`].
    pub kind: u8,
}

/// One `[[untag]]` or `[[assign]]` table for article `a.txt`.
#[derive(Arbitrary, Debug, Clone)]
pub struct AnchorSpec {
    /// Which entity an `[[assign]]` names; `None` makes an `[[untag]]`.
    pub assign: Option<u8>,
    /// The mention's text.
    pub text: Vec<Piece>,
    /// The words before it.
    pub before: Vec<Piece>,
    /// The words after it.
    pub after: Vec<Piece>,
}

/// A knowledge base: entities and decisions about single mentions.
#[derive(Arbitrary, Debug, Clone)]
pub struct KbSpec {
    /// The entities.
    pub entities: Vec<EntitySpec>,
    /// The decisions, all about article [`ARTICLE`].
    pub anchors: Vec<AnchorSpec>,
}

/// The article name anchors refer to.
pub const ARTICLE: &str = "a.txt";

/// `s` as a TOML basic string, quotes included.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML list of basic strings.
fn toml_list(items: &[Vec<Piece>]) -> String {
    let items: Vec<String> = items
        .iter()
        .take(MAX_FORMS)
        .map(|p| toml_string(&join(p)))
        .collect();
    format!("[{}]", items.join(", "))
}

impl KbSpec {
    /// The knowledge base as a TOML file.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let entities = &self.entities[..self.entities.len().min(MAX_ENTITIES)];
        for (i, e) in entities.iter().enumerate() {
            let id = e.id.clone().unwrap_or_else(|| format!("e{i}"));
            out.push_str("[[entity]]\n");
            out.push_str(&format!("id = {}\n", toml_string(&id)));
            out.push_str(&format!("name = {}\n", toml_string(&join(&e.name))));
            out.push_str(&format!(
                "kind = {}\n",
                toml_string(KINDS[e.kind as usize % KINDS.len()])
            ));
            if !e.aliases.is_empty() {
                out.push_str(&format!("aliases = {}\n", toml_list(&e.aliases)));
            }
            if !e.weak_aliases.is_empty() {
                out.push_str(&format!("weak_aliases = {}\n", toml_list(&e.weak_aliases)));
            }
            out.push_str("role = \"r\"\ncountry = \"c\"\n\n");
        }
        for a in self.anchors.iter().take(MAX_ENTITIES) {
            match a.assign {
                Some(_) => out.push_str("[[assign]]\n"),
                None => out.push_str("[[untag]]\n"),
            }
            out.push_str(&format!("article = {}\n", toml_string(ARTICLE)));
            out.push_str(&format!("text = {}\n", toml_string(&join(&a.text))));
            out.push_str(&format!("before = {}\n", toml_string(&join(&a.before))));
            out.push_str(&format!("after = {}\n", toml_string(&join(&a.after))));
            if let Some(e) = a.assign {
                let n = entities.len().max(1);
                out.push_str(&format!("entity = \"e{}\"\n", e as usize % n));
            }
            out.push('\n');
        }
        out
    }

    /// Loads the knowledge base the way a corpus does, checking what the loader returns.
    pub fn load(&self) -> KnowledgeBase {
        let text = self.to_toml();
        let (kb, problems) = KnowledgeBase::load([("kb.toml", text.as_str())]);
        check_loaded(&kb, &problems, &[("kb.toml", text.as_str())]);
        kb
    }
}

/// How a text quotes an entity's form.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Case {
    /// As written.
    AsWritten,
    /// In capitals, as datelines write names.
    Upper,
    /// In lower case, which must not match.
    Lower,
}

/// One piece of an article.
#[derive(Arbitrary, Debug, Clone)]
pub enum TextPiece {
    /// A piece such as names are made of.
    Piece(Piece),
    /// Form `form` (name, then aliases, then weak aliases) of entity `entity`.
    Form {
        /// Index of the entity, modulo their number.
        entity: u8,
        /// Index of the form, modulo their number.
        form: u8,
        /// How it is written.
        case: Case,
    },
}

/// Writes at most [`MAX_TEXT_PIECES`] pieces of text, quoting the forms of `kb`'s entities.
pub fn text_of(pieces: &[TextPiece], kb: &KnowledgeBase) -> String {
    let mut out = String::new();
    for piece in pieces.iter().take(MAX_TEXT_PIECES) {
        match piece {
            TextPiece::Piece(p) => p.write(&mut out),
            TextPiece::Form { entity, form, case } => {
                let entities = kb.entities();
                if entities.is_empty() {
                    continue;
                }
                let e = &entities[*entity as usize % entities.len()];
                let forms: Vec<&str> = e
                    .strong_forms()
                    .chain(e.weak_aliases.iter().map(String::as_str))
                    .collect();
                let f = forms[*form as usize % forms.len()];
                match case {
                    Case::AsWritten => out.push_str(f),
                    Case::Upper => out.push_str(&f.to_uppercase()),
                    Case::Lower => out.push_str(&f.to_lowercase()),
                }
            }
        }
    }
    out
}

/// Checks what the loader made of `files` (`(path, text)`, in order): every problem and
/// every recorded position lies inside its file on character boundaries, every entity has a
/// name and is found by its slug.
pub fn check_loaded(kb: &KnowledgeBase, problems: &[Problem], files: &[(&str, &str)]) {
    for p in problems {
        let Some(&(_, text)) = files
            .iter()
            .find(|(path, _)| p.path == std::path::Path::new(path))
        else {
            panic!("a problem in a file that was not loaded: {p:?}");
        };
        assert!(
            p.span.start <= p.span.end && p.span.end <= text.len(),
            "problem span {:?} outside a text of {} bytes: {p:?}",
            p.span,
            text.len()
        );
        assert!(
            text.is_char_boundary(p.span.start) && text.is_char_boundary(p.span.end),
            "problem span {:?} not on character boundaries: {p:?}",
            p.span
        );
        assert!(!p.message.is_empty(), "a problem says nothing: {p:?}");
    }
    for (id, e) in kb.iter() {
        let source = kb.source_of(id).expect("every loaded entity has a source");
        let text: &str = &source.text;
        for r in [&e.origin.header, &e.origin.extent, &e.origin.name] {
            assert!(
                r.start <= r.end && r.end <= text.len(),
                "{r:?} outside its file"
            );
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
        for list in [&e.origin.aliases, &e.origin.weak_aliases]
            .into_iter()
            .flatten()
        {
            for r in std::iter::once(&list.value).chain(&list.items) {
                assert!(
                    r.start <= r.end && r.end <= text.len(),
                    "{r:?} outside its file"
                );
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            }
        }
        assert!(!e.name.trim().is_empty(), "an entity without a name: {e:?}");
        let found = kb.by_slug(&e.id).map(|i| &kb.entity(i).id);
        assert_eq!(
            found,
            Some(&e.id),
            "entity {:?} is not found by its slug",
            e.id
        );
    }
    for rule in kb.anchors() {
        let Some(source) = kb.sources().get(rule.origin.source) else {
            panic!("an anchor without a source: {rule:?}");
        };
        let text: &str = &source.text;
        for r in [&rule.origin.header, &rule.origin.extent] {
            assert!(
                r.start <= r.end && r.end <= text.len(),
                "{r:?} outside its file"
            );
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}

/// The folded forms a mention of `e` by `form` may be written as: the form itself, and for a
/// name or strong alias its capitals.
fn folded_forms(e: &Entity, form: Form) -> Vec<String> {
    let written: Vec<&str> = match form {
        Form::WeakAlias => e.weak_aliases.iter().map(String::as_str).collect(),
        _ => e.strong_forms().collect(),
    };
    let mut out = Vec::new();
    for w in written {
        let f = fold(w);
        if form != Form::WeakAlias {
            out.push(f.to_uppercase());
            out.push(fold(&w.to_uppercase()));
        }
        out.push(f);
    }
    out
}

/// Checks recognised `mentions` of `text`: in order, not overlapping, non-empty, on character
/// boundaries, each slicing to text that folds to one of the forms of an entity it may name
/// (when `forms_hold`: not after `[[assign]]` anchors, which may name anyone), and each title
/// before its mention.
pub fn check_mentions(kb: &KnowledgeBase, text: &str, mentions: &[Mention], forms_hold: bool) {
    let mut last_end = 0;
    for m in mentions {
        let span = m.span.clone();
        assert!(
            span.start >= last_end && span.start < span.end && span.end <= text.len(),
            "mention {span:?} out of order, empty or outside a text of {} bytes (last end {last_end}): {m:?}",
            text.len()
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "mention {span:?} not on character boundaries in {text:?}"
        );
        last_end = span.end;
        assert!(!m.candidates().is_empty(), "a mention of nobody: {m:?}");
        for &id in m.candidates() {
            assert!(
                kb.get(id).is_some(),
                "a mention of an unknown entity: {m:?}"
            );
        }
        if let Some(title) = &m.title {
            assert!(
                title.start <= title.end && title.end <= span.start,
                "title {title:?} not before its mention {span:?}"
            );
            assert!(text.is_char_boundary(title.start) && text.is_char_boundary(title.end));
        }
        if forms_hold {
            let surface = fold(&text[span.clone()]);
            let forms: Vec<String> = m
                .candidates()
                .iter()
                .flat_map(|&id| folded_forms(kb.entity(id), m.form))
                .collect();
            assert!(
                forms.contains(&surface),
                "mention {span:?} slices to {:?} (folded {surface:?}), which is not a {:?} of {forms:?}",
                &text[span.clone()],
                m.form
            );
        }
    }
}
