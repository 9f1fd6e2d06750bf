//! Security markings (DESIGN.md §6): a classification and a releasability on a record, and the
//! clearance of a user. One rule decides who may see what: [`Marking::allows`].
//!
//! Classification levels follow the usual four-level NATO/national scheme named in DESIGN.md §6:
//! `UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET`. Releasability is either both parties
//! (`MAR+MLI`) or one party only; a record releasable to one party never enters the shared log.

use serde::{Deserialize, Serialize};

use crate::{DomainError, PartyCode};

/// A classification level, ordered from least to most sensitive (derive order = level order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub enum Classification {
    /// Public or committee-internal without protection.
    #[default]
    #[serde(rename = "UNCLASSIFIED")]
    Unclassified,
    /// Protected; the lowest protective level.
    #[serde(rename = "RESTRICTED")]
    Restricted,
    /// Damage to a party's interests if disclosed.
    #[serde(rename = "CONFIDENTIAL")]
    Confidential,
    /// Serious damage if disclosed.
    #[serde(rename = "SECRET")]
    Secret,
}

impl Classification {
    /// Every level, least sensitive first.
    pub const ALL: [Classification; 4] = [Self::Unclassified, Self::Restricted, Self::Confidential, Self::Secret];

    /// The wire and display code: `UNCLASSIFIED`, `RESTRICTED`, `CONFIDENTIAL`, `SECRET`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Unclassified => "UNCLASSIFIED",
            Self::Restricted => "RESTRICTED",
            Self::Confidential => "CONFIDENTIAL",
            Self::Secret => "SECRET",
        }
    }

    /// The level as a number, 0 (UNCLASSIFIED) to 3 (SECRET): for range filters in an index.
    #[must_use]
    pub fn rank(self) -> u8 {
        match self {
            Self::Unclassified => 0,
            Self::Restricted => 1,
            Self::Confidential => 2,
            Self::Secret => 3,
        }
    }

    /// Parses a code, case-insensitively.
    ///
    /// # Errors
    /// [`DomainError::InvalidValue`] (field `classification`) for anything else.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(t))
            .ok_or_else(|| DomainError::InvalidValue { field: "classification".into(), value: text.into() })
    }

    /// Whether this level is marked at all (RESTRICTED or above): such records are audited on
    /// every view and carry a banner.
    #[must_use]
    pub fn is_protected(self) -> bool {
        self >= Self::Restricted
    }
}

/// A user's clearance: the highest classification they may see.
pub type Clearance = Classification;

/// Who a record may be released to: both parties of the committee, or one party only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Releasability {
    /// Both parties (`MAR+MLI`): the record lives in the shared log.
    #[default]
    Both,
    /// One party only: the record lives in that party's private log and is never synced.
    Only(PartyCode),
}

impl Releasability {
    /// Parses `both`, `MAR+MLI` (any order, any two codes) or a single party code such as `MAR`.
    ///
    /// # Errors
    /// [`DomainError::InvalidValue`] (field `releasable_to`) when it is neither.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("both") || t.contains('+') {
            let ok = t.eq_ignore_ascii_case("both") || t.split('+').all(|p| PartyCode::parse(p).is_ok());
            return if ok {
                Ok(Self::Both)
            } else {
                Err(DomainError::InvalidValue { field: "releasable_to".into(), value: text.into() })
            };
        }
        PartyCode::parse(t)
            .map(Self::Only)
            .map_err(|_| DomainError::InvalidValue { field: "releasable_to".into(), value: text.into() })
    }

    /// Whether a user of `party` is in the releasability.
    #[must_use]
    pub fn includes(&self, party: &PartyCode) -> bool {
        match self {
            Self::Both => true,
            Self::Only(p) => p == party,
        }
    }

    /// The single party for one-party records, `None` for both.
    #[must_use]
    pub fn only(&self) -> Option<&PartyCode> {
        match self {
            Self::Both => None,
            Self::Only(p) => Some(p),
        }
    }
}

/// A record's marking: classification plus releasability. The default marking (records that
/// carry none) is `UNCLASSIFIED`, releasable to both parties.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Marking {
    /// Classification level.
    pub classification: Classification,
    /// Who may receive it.
    pub releasable_to: Releasability,
}

impl Marking {
    /// The one access rule (DESIGN.md §6): a user of `party` with `clearance` may see a record
    /// marked `self` only with enough clearance AND a party in its releasability.
    #[must_use]
    pub fn allows(&self, party: &PartyCode, clearance: Clearance) -> bool {
        clearance >= self.classification && self.releasable_to.includes(party)
    }

    /// Whether records with this marking live in the party-private log (one-party releasability).
    #[must_use]
    pub fn is_private(&self) -> bool {
        self.releasable_to.only().is_some()
    }

    /// The banner text of a page, export or report showing records with these markings: the
    /// highest classification, e.g. `SECRET — MAR ONLY` or `CONFIDENTIAL — MAR+MLI`. `None` when
    /// nothing shown is protected (all UNCLASSIFIED). `parties` names both parties for `Both`.
    #[must_use]
    pub fn banner<'a>(markings: impl IntoIterator<Item = &'a Marking>, parties: &[PartyCode]) -> Option<String> {
        let mut top: Option<&Marking> = None;
        let mut only: Option<&PartyCode> = None;
        for m in markings {
            if let Some(p) = m.releasable_to.only() {
                only = Some(p);
            }
            if top.is_none_or(|t| m.classification > t.classification) {
                top = Some(m);
            }
        }
        let top = top?;
        if !top.classification.is_protected() && only.is_none() {
            return None;
        }
        let rel = match only {
            Some(p) => format!("{p} ONLY"),
            None => parties.iter().map(PartyCode::as_str).collect::<Vec<_>>().join("+"),
        };
        Some(format!("{} — {rel}", top.classification.code()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(code: &str) -> PartyCode {
        PartyCode::parse(code).unwrap()
    }

    #[test]
    fn clearance_and_releasability_both_decide() {
        let secret_mar =
            Marking { classification: Classification::Secret, releasable_to: Releasability::Only(p("MAR")) };
        assert!(secret_mar.allows(&p("MAR"), Classification::Secret));
        assert!(!secret_mar.allows(&p("MAR"), Classification::Confidential), "not enough clearance");
        assert!(!secret_mar.allows(&p("MLI"), Classification::Secret), "other party");
        let open = Marking::default();
        assert!(open.allows(&p("MLI"), Classification::Unclassified));
        assert!(secret_mar.is_private() && !open.is_private());
    }

    #[test]
    fn codes_parse_and_order() {
        assert_eq!(Classification::parse("secret").unwrap(), Classification::Secret);
        assert!(Classification::parse("TOP SECRET").is_err());
        assert!(Classification::Restricted < Classification::Confidential);
        assert_eq!(Releasability::parse("MAR+MLI").unwrap(), Releasability::Both);
        assert_eq!(Releasability::parse("mli").unwrap(), Releasability::Only(p("MLI")));
        assert!(Releasability::parse("MAR+12").is_err());
        let json = serde_json::to_string(&Marking {
            classification: Classification::Confidential,
            releasable_to: Releasability::Only(p("MAR")),
        })
        .unwrap();
        assert_eq!(json, r#"{"classification":"CONFIDENTIAL","releasable_to":{"only":"MAR"}}"#);
    }

    #[test]
    fn the_banner_shows_the_highest_marking() {
        let parties = [p("MAR"), p("MLI")];
        let r = Marking { classification: Classification::Restricted, releasable_to: Releasability::Both };
        let c = Marking { classification: Classification::Confidential, releasable_to: Releasability::Both };
        assert_eq!(Marking::banner([&r, &c, &Marking::default()], &parties).unwrap(), "CONFIDENTIAL — MAR+MLI");
        assert_eq!(Marking::banner([&Marking::default()], &parties), None);
        let s = Marking { classification: Classification::Secret, releasable_to: Releasability::Only(p("MAR")) };
        assert_eq!(Marking::banner([&r, &s], &parties).unwrap(), "SECRET — MAR ONLY");
    }
}
