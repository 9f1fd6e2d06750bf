//! Attendance and delegations (issue 13 item 2): per session and per party, who sat in the
//! party's delegation, with their function, whether they were present, absent or represented
//! by another member of the delegation, and who headed it.
//!
//! Each party records its own delegation with one event, `session.delegation_recorded`, whose
//! body names the session (`record`), the `party` and the complete list of `entries`. It is an
//! element of the session's add-only set [`DELEGATIONS`]; the delegation of a party is the
//! newest element by (lamport, id) that this party signed for itself ([`delegations`]), so a
//! new recording replaces the previous one and every node resolves concurrent recordings alike.
//! Recording a delegation never changes the session's content, so it needs no new endorsement
//! of the minutes.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::DomainError;
use crate::command::{Actor, Emit};
use crate::records::{Member, RecordKind};
use crate::state::{BODY_VERSION, Change, State};
use crate::text::LocalizedText;
use crate::values::PartyCode;

/// Name of the session's add-only set of recorded delegations.
pub const DELEGATIONS: &str = "delegations";

/// Event kind of a recorded delegation.
pub const DELEGATION_RECORDED: &str = "session.delegation_recorded";

/// Whether a member of a delegation attended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Sat in the session.
    Present,
    /// Did not attend, and nobody stood in.
    Absent,
    /// Did not attend; another present member of the delegation stood in (`represented_by`).
    Represented,
}

impl Attendance {
    /// Code: `present`, `absent`, `represented`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Absent => "absent",
            Attendance::Represented => "represented",
        }
    }

    /// Parses a code.
    ///
    /// # Errors
    /// [`DomainError::InvalidValue`] for another word.
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        match code {
            "present" => Ok(Attendance::Present),
            "absent" => Ok(Attendance::Absent),
            "represented" => Ok(Attendance::Represented),
            _ => Err(DomainError::InvalidValue { field: "attendance".into(), value: code.into() }),
        }
    }
}

/// One member of a party's delegation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationEntry {
    /// Member (record id), of the delegation's party.
    pub member: String,
    /// Function in the delegation, e.g. head of the training division.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<LocalizedText>,
    /// Present, absent or represented.
    pub attendance: Attendance,
    /// The present member of the same delegation who stood in, when `represented`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub represented_by: Option<String>,
    /// Head of the delegation (exactly one per delegation).
    #[serde(default)]
    pub head: bool,
}

/// A party's recorded delegation to a session, as it reads after the fold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delegation {
    /// The party.
    pub party: String,
    /// Its members, in the order recorded.
    pub entries: Vec<DelegationEntry>,
    /// The event that recorded it.
    pub event: String,
    /// Author time of that event (informational).
    pub at: String,
    /// The member who recorded it, if a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
}

impl Delegation {
    /// The head's entry.
    #[must_use]
    pub fn head(&self) -> Option<&DelegationEntry> {
        self.entries.iter().find(|e| e.head)
    }

    /// Whether the head of delegation sits in the session, in person or through the present
    /// member who represents them.
    #[must_use]
    pub fn head_seated(&self) -> bool {
        self.head().is_some_and(|h| match h.attendance {
            Attendance::Present => true,
            Attendance::Absent => false,
            Attendance::Represented => h
                .represented_by
                .as_deref()
                .is_some_and(|r| self.entries.iter().any(|e| e.member == r && e.attendance == Attendance::Present)),
        })
    }
}

/// The rules a delegation's list obeys on its own (checked by `decide` and on receipt alike,
/// since they depend on the body only): at least one member, no member twice, exactly one
/// head, a represented member names a present member of the same list other than themself and
/// nobody else names one, functions are short texts.
///
/// # Errors
/// [`DomainError::InvalidValue`] naming the rule; [`DomainError::DelegationHead`].
pub fn check_entries(entries: &[DelegationEntry]) -> Result<(), DomainError> {
    let invalid = |field: &str, value: &str| DomainError::InvalidValue { field: field.into(), value: value.into() };
    let mut seen = BTreeSet::new();
    for e in entries {
        if !seen.insert(e.member.as_str()) {
            return Err(invalid("member", &e.member));
        }
        if let Some(f) = &e.function {
            f.check_short("function")?;
        }
    }
    let heads = entries.iter().filter(|e| e.head).count();
    if heads != 1 {
        return Err(DomainError::DelegationHead { heads: i64::try_from(heads).unwrap_or(i64::MAX) });
    }
    for e in entries {
        match (e.attendance, e.represented_by.as_deref()) {
            (Attendance::Represented, Some(r)) => {
                let present = entries.iter().any(|x| x.member == r && x.attendance == Attendance::Present);
                if r == e.member || !present {
                    return Err(DomainError::RepresentativeNotPresent { member: r.into() });
                }
            }
            (Attendance::Represented, None) => return Err(invalid("represented_by", "")),
            (_, Some(r)) => return Err(invalid("represented_by", r)),
            (_, None) => {}
        }
    }
    Ok(())
}

/// Every member named by `entries` (members and representatives) is a member of `party`.
fn check_members(state: &State, party: &PartyCode, entries: &[DelegationEntry]) -> Result<(), DomainError> {
    let named = entries.iter().flat_map(|e| std::iter::once(&e.member).chain(e.represented_by.as_ref()));
    for id in named {
        match state.get::<Member>(RecordKind::Member, id) {
            Some(m) if &m.party == party => {}
            _ => return Err(DomainError::NotPartyMember { member: id.clone(), party: party.to_string() }),
        }
    }
    Ok(())
}

fn malformed(reason: impl Into<String>) -> DomainError {
    DomainError::MalformedBody { kind: DELEGATION_RECORDED.into(), reason: reason.into() }
}

/// Parses the body of `session.delegation_recorded` (the record id already read) into the
/// element added to the session's [`DELEGATIONS`] set: `{"delegation": party, "entries": […]}`.
/// Pure, so every node accepts or refuses it alike.
pub(crate) fn parse(record: String, obj: &Map<String, Value>) -> Result<Change, DomainError> {
    let party = obj.get("party").and_then(Value::as_str).ok_or_else(|| malformed("no party"))?;
    let party = PartyCode::parse(party).map_err(|e| malformed(e.to_string()))?;
    let entries = obj.get("entries").cloned().ok_or_else(|| malformed("no entries"))?;
    let entries: Vec<DelegationEntry> = serde_json::from_value(entries).map_err(|e| malformed(e.to_string()))?;
    check_entries(&entries).map_err(|e| malformed(e.to_string()))?;
    Ok(Change::Add {
        kind: RecordKind::Session,
        record,
        set: DELEGATIONS,
        value: json!({"delegation": party, "entries": entries}),
    })
}

/// The check of a received delegation against the state: every member and representative it
/// names is a member of the delegation's party (the session was checked by the caller).
pub(crate) fn check_received(state: &State, value: &Value) -> Result<(), DomainError> {
    let party = value.get("delegation").and_then(Value::as_str).and_then(|p| PartyCode::parse(p).ok());
    let entries = value.get("entries").cloned().and_then(|e| serde_json::from_value::<Vec<DelegationEntry>>(e).ok());
    match (party, entries) {
        (Some(party), Some(entries)) => check_members(state, &party, &entries),
        _ => Err(malformed("not a delegation")),
    }
}

/// `decide` for `RecordDelegation`: the actor's own party only, members of that party, the
/// list rules of [`check_entries`]. Recording the delegation as it already reads writes nothing.
pub(crate) fn record(
    state: &State,
    actor: &Actor,
    session: &str,
    party: &PartyCode,
    entries: &[DelegationEntry],
) -> Result<Vec<Emit>, DomainError> {
    if party != &actor.party {
        return Err(DomainError::DelegationOtherParty { party: party.to_string() });
    }
    state.require(RecordKind::Session, session)?;
    let entries: Vec<DelegationEntry> = entries
        .iter()
        .map(|e| DelegationEntry { function: e.function.as_ref().map(LocalizedText::cleaned), ..e.clone() })
        .collect();
    check_entries(&entries)?;
    check_members(state, party, &entries)?;
    if delegation(state, session, party.as_str()).is_some_and(|d| d.entries == entries) {
        return Ok(vec![]);
    }
    Ok(vec![Emit {
        kind: DELEGATION_RECORDED.into(),
        body: json!({"v": BODY_VERSION, "record": session, "party": party, "entries": entries}),
    }])
}

/// The newest element of a session's [`DELEGATIONS`] set (given in (lamport, id) order) that
/// `party` signed for itself: a recording signed by the other party is never read.
fn newest<'a>(set: impl DoubleEndedIterator<Item = &'a Value>, party: &str) -> Option<Delegation> {
    set.rev().find_map(|v| {
        let str_of = |k: &str| v.get(k).and_then(Value::as_str);
        if str_of("delegation") != Some(party) || str_of("party") != Some(party) {
            return None;
        }
        let entries = serde_json::from_value(v.get("entries")?.clone()).ok()?;
        Some(Delegation {
            party: party.into(),
            entries,
            event: str_of("event").unwrap_or_default().into(),
            at: str_of("at").unwrap_or_default().into(),
            recorded_by: str_of("member").map(String::from),
        })
    })
}

/// The delegation `party` recorded for `session`, if any: the newest recording by (lamport,
/// id) that the party signed for itself.
#[must_use]
pub fn delegation(state: &State, session: &str, party: &str) -> Option<Delegation> {
    let entry = state.require(RecordKind::Session, session).ok()?;
    newest(entry.sets.get(DELEGATIONS)?.values(), party)
}

/// Every recorded delegation of `session`, one per party that recorded one, in the order of
/// the charter's parties (sorted by code). This is what the PV's list of participants reads.
#[must_use]
pub fn delegations(state: &State, session: &str) -> Vec<Delegation> {
    let Some(charter) = state.charter() else { return vec![] };
    charter.parties.iter().filter_map(|p| delegation(state, session, p.code.as_str())).collect()
}

/// [`delegations`] read from a session's projection document (its `delegations` array is the
/// set in (lamport, id) order), for `parties`.
#[must_use]
pub fn delegations_in_doc(doc: &Value, parties: &[String]) -> Vec<Delegation> {
    let Some(set) = doc.get(DELEGATIONS).and_then(Value::as_array) else { return vec![] };
    parties.iter().filter_map(|p| newest(set.iter(), p)).collect()
}

/// Where a party's head of delegation stands for a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum HeadStatus {
    /// The party recorded no delegation.
    NotRecorded,
    /// The head attends in person.
    Present {
        /// The head (member id).
        head: String,
    },
    /// The head is represented by a present member.
    Represented {
        /// The head (member id).
        head: String,
        /// The representative (member id).
        by: String,
    },
    /// The head neither attends nor is represented.
    Absent {
        /// The head (member id).
        head: String,
    },
}

impl HeadStatus {
    /// Whether the head sits, in person or represented.
    #[must_use]
    pub fn seated(&self) -> bool {
        matches!(self, HeadStatus::Present { .. } | HeadStatus::Represented { .. })
    }
}

impl HeadStatus {
    /// The status of a party's head of delegation, from its recorded delegation.
    #[must_use]
    pub fn of(delegation: Option<&Delegation>) -> Self {
        match delegation.and_then(Delegation::head).cloned() {
            None => HeadStatus::NotRecorded,
            Some(h) => match (h.attendance, h.represented_by) {
                (Attendance::Present, _) => HeadStatus::Present { head: h.member },
                (Attendance::Represented, Some(by)) => HeadStatus::Represented { head: h.member, by },
                _ => HeadStatus::Absent { head: h.member },
            },
        }
    }
}

/// Each party's head-of-delegation status for `session`, in charter order.
#[must_use]
pub fn heads(state: &State, session: &str) -> Vec<(String, HeadStatus)> {
    let Some(charter) = state.charter() else { return vec![] };
    charter
        .parties
        .iter()
        .map(|p| {
            let code = p.code.to_string();
            let status = HeadStatus::of(delegation(state, session, &code).as_ref());
            (code, status)
        })
        .collect()
}

#[cfg(test)]
mod tests;
