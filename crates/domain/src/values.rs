//! Domain values, valid by construction: party codes, roles, statuses, progress, quantities.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A party: ISO 3166-1 alpha-3 code (three ASCII capitals), e.g. `MAR`, `MLI`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartyCode(String);

impl PartyCode {
    /// Parses three ASCII letters; lower case is accepted and upper-cased.
    ///
    /// # Errors
    /// [`DomainError::InvalidValue`] on anything else.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim();
        if t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(t.to_ascii_uppercase()))
        } else {
            Err(DomainError::InvalidValue { field: "party".into(), value: text.into() })
        }
    }

    /// The code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PartyCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        Self::parse(&s)
    }
}

impl From<PartyCode> for String {
    fn from(p: PartyCode) -> String {
        p.0
    }
}

impl std::fmt::Display for PartyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $field:literal { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $v),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// Every stored code, in declaration order (the choices of a form,
            /// [`crate::fields::Input::Choice`]).
            pub const CODES: &'static [&'static str] = &[$($s),+];

            /// The stored code (snake_case or kebab-case as written in bodies).
            #[must_use]
            pub fn code(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            /// Parses the stored code.
            ///
            /// # Errors
            /// [`DomainError::InvalidValue`] naming the field and the value.
            pub fn parse(text: &str) -> Result<Self, DomainError> {
                match text.trim() {
                    $($s => Ok($name::$v),)+
                    other => Err(DomainError::InvalidValue { field: $field.into(), value: other.into() }),
                }
            }
        }
    };
}

string_enum!(
    /// Role of a member in the committee.
    MemberRole, "role" {
    /// Co-chair (head of a party's delegation); endorses decisions and roadmaps.
    CoChair = "co-chair",
    /// Secretary of a party's secretariat.
    Secretary = "secretary",
    /// Expert.
    Expert = "expert",
    /// Observer.
    Observer = "observer",
});

string_enum!(
    /// Status of an action (issue 2 §2).
    ActionStatus, "status" {
    /// Not started.
    Planned = "planned",
    /// Under way.
    InProgress = "in_progress",
    /// Completed.
    Done = "done",
    /// Late against its due date, still pursued.
    Delayed = "delayed",
    /// Cannot proceed until something outside it changes.
    Blocked = "blocked",
    /// Abandoned by decision of the committee.
    Cancelled = "cancelled",
});

impl ActionStatus {
    /// Whether the action is finished (done or cancelled), so it cannot be overdue.
    #[must_use]
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Cancelled)
    }

    /// Whether an action entering this status must state why (delayed, blocked, cancelled).
    #[must_use]
    pub fn needs_reason(self) -> bool {
        matches!(self, ActionStatus::Delayed | ActionStatus::Blocked | ActionStatus::Cancelled)
    }
}

string_enum!(
    /// Category of a need or an offer.
    Category, "category" {
    /// Training seats, courses.
    Training = "training",
    /// Equipment.
    Equipment = "equipment",
    /// Logistic support.
    Logistics = "logistics",
    /// Exchange of expertise.
    Expertise = "expertise",
});

string_enum!(
    /// Priority of a need.
    Priority, "priority" {
    /// High.
    High = "high",
    /// Medium.
    Medium = "medium",
    /// Low.
    Low = "low",
});

string_enum!(
    /// Status of a need.
    NeedStatus, "status" {
    /// Expressed, not yet met.
    Open = "open",
    /// Partly met.
    PartlyMet = "partly_met",
    /// Met.
    Met = "met",
    /// Withdrawn by the requesting party.
    Withdrawn = "withdrawn",
});

string_enum!(
    /// Status of an offer.
    OfferStatus, "status" {
    /// Proposed by the offering party.
    Proposed = "proposed",
    /// Accepted by the other party.
    Accepted = "accepted",
    /// Declined.
    Declined = "declined",
    /// Delivered.
    Delivered = "delivered",
});

/// Progress of an action, integer percent 0–100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Progress(u8);

impl Progress {
    /// Progress from an integer percent.
    ///
    /// # Errors
    /// [`DomainError::ProgressOutOfRange`] outside 0–100.
    pub fn new(percent: i64) -> Result<Self, DomainError> {
        if (0..=100).contains(&percent) {
            Ok(Self(percent as u8))
        } else {
            Err(DomainError::ProgressOutOfRange { value: percent.to_string() })
        }
    }

    /// Parses text typed by a person: Western, Arabic-Indic (٠–٩) or Extended Arabic-Indic
    /// (۰–۹) digits, an optional trailing `%` or `٪` (case C03).
    ///
    /// # Errors
    /// [`DomainError::ProgressOutOfRange`] above 100 or for anything that is not such a number.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let t = text.trim();
        let t = t.strip_suffix('%').or_else(|| t.strip_suffix('٪')).unwrap_or(t).trim();
        let n = parse_integer(t).ok_or_else(|| DomainError::ProgressOutOfRange { value: text.into() })?;
        Self::new(n)
    }

    /// The percent.
    #[must_use]
    pub fn percent(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Progress {
    type Error = DomainError;
    fn try_from(v: i64) -> Result<Self, DomainError> {
        Self::new(v)
    }
}

impl From<Progress> for i64 {
    fn from(p: Progress) -> i64 {
        i64::from(p.0)
    }
}

/// Parses a non-negative or negative integer written with Western (0–9), Arabic-Indic
/// (U+0660–0669) or Extended Arabic-Indic (U+06F0–06F9) digits, optionally signed.
/// Returns `None` for anything else or for magnitudes beyond 2^53 (DESIGN.md §4 inv. 11).
#[must_use]
pub fn parse_integer(text: &str) -> Option<i64> {
    let t = text.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '\u{0660}'..='\u{0669}' => c as u32 - 0x0660,
            '\u{06F0}'..='\u{06F9}' => c as u32 - 0x06F0,
            _ => return None,
        };
        n = n.checked_mul(10)?.checked_add(i64::from(d))?;
        if n > (1 << 53) - 1 {
            return None;
        }
    }
    Some(if neg { -n } else { n })
}

/// Checks that a tz database zone name is known to the bundled database (jiff's copy of the
/// IANA tz database, so the answer does not depend on the host).
///
/// # Errors
/// [`DomainError::UnknownZone`].
pub fn check_zone(name: &str) -> Result<(), DomainError> {
    crate::tzdb().get(name).map(|_| ()).map_err(|_| DomainError::UnknownZone { zone: name.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Case C03: Arabic-Indic and Extended Arabic-Indic digits are integers.
    #[test]
    fn c03_progress_in_eastern_digits_is_an_integer() {
        assert_eq!(Progress::parse("٧٥").unwrap().percent(), 75);
        assert_eq!(Progress::parse("۷۵").unwrap().percent(), 75);
        assert_eq!(Progress::parse("٧٥٪").unwrap().percent(), 75);
        assert_eq!(Progress::parse("75 %").unwrap().percent(), 75);
        assert_eq!(parse_integer("١٢"), Some(12));
        assert_eq!(Progress::parse("١٤٠").unwrap_err(), DomainError::ProgressOutOfRange { value: "140".into() });
        assert!(Progress::parse("7.5").is_err());
        assert!(Progress::parse("").is_err());
        assert!(Progress::new(-1).is_err());
    }

    #[test]
    fn party_codes_are_three_letters() {
        assert_eq!(PartyCode::parse("mar").unwrap().as_str(), "MAR");
        assert!(PartyCode::parse("MA").is_err());
        assert!(PartyCode::parse("M4R").is_err());
    }

    #[test]
    fn zones_come_from_the_tz_database() {
        check_zone("Africa/Bamako").unwrap();
        check_zone("Africa/Casablanca").unwrap();
        assert!(check_zone("Africa/Atlantis").is_err());
    }
}
