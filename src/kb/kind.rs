//! The sorts of entity Dossier knows, each highlighted in its own colour.

use std::fmt;
use std::str::FromStr;

/// What sort of thing an entity is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A human being.
    Person,
    /// A company, government body, party, school, newspaper...
    Organization,
    /// A country, city, region, building...
    Place,
    /// A programme, policy or project with a name.
    Initiative,
    /// Something that happened or takes place: a forum, a storm, a workshop.
    Event,
    /// A named product or service.
    Product,
}

impl Kind {
    /// Every kind, in the order documentation and menus list them.
    pub const ALL: [Kind; 6] = [
        Kind::Person,
        Kind::Organization,
        Kind::Place,
        Kind::Initiative,
        Kind::Event,
        Kind::Product,
    ];

    /// The name used in TOML, JSON and LSP token types.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Place => "place",
            Kind::Initiative => "initiative",
            Kind::Event => "event",
            Kind::Product => "product",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a kind: carries the offending text for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        write!(
            f,
            "unknown kind `{}`; expected one of {}",
            self.0,
            names.join(", ")
        )
    }
}

/// So that command-line parsers can take a kind directly and show this message.
impl std::error::Error for UnknownKind {}

impl FromStr for Kind {
    type Err = UnknownKind;

    /// Accepts the canonical names and the British `organisation`, which newsrooms write.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "organisation" => Ok(Kind::Organization),
            _ => Kind::ALL
                .into_iter()
                .find(|k| k.as_str() == s)
                .ok_or_else(|| UnknownKind(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>(), Ok(kind));
        }
        assert_eq!("organisation".parse::<Kind>(), Ok(Kind::Organization));
    }

    #[test]
    fn unknown_kinds_list_the_valid_ones() {
        let err = "company".parse::<Kind>().err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unknown kind `company`; expected one of person, organization, place, initiative, event, product")
        );
    }
}
