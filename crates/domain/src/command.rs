//! Commands (imperative) and `decide`: validate a command against the current state and
//! produce the event bodies (past tense) that record it. Pure: no IO, no clock, no ids —
//! a created record's id is the id of the event that creates it.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::DomainError;
use crate::records::*;
use crate::state::{BODY_VERSION, State, adoption};
use crate::text::LocalizedText;
use crate::values::{ActionStatus, MemberRole, PartyCode, Progress};

/// Who issues a command: the party and, when a person acts, the member id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Acting party.
    pub party: PartyCode,
    /// Acting member (record id), if a person.
    pub member: Option<String>,
}

/// An event to sign: kind and body.
#[derive(Clone, Debug, PartialEq)]
pub struct Emit {
    /// Event kind, e.g. `action.planned`.
    pub kind: String,
    /// Body, with `"v": 1`.
    pub body: Value,
}

/// What a user or import asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Register a member.
    RegisterMember(Member),
    /// Define a cooperation area.
    DefineArea(Area),
    /// Schedule a mission.
    ScheduleMission(Mission),
    /// Convene a session.
    ConveneSession(Session),
    /// Record a decision (adopted after both endorsements).
    RecordDecision(Decision),
    /// Issue a communiqué.
    IssueCommunique(Communique),
    /// Archive a press document.
    ArchivePress(PressDocument),
    /// Draft a roadmap.
    DraftRoadmap(Roadmap),
    /// Plan an action.
    PlanAction(Action),
    /// Register a need.
    RegisterNeed(Need),
    /// Make an offer.
    MakeOffer(Offer),
    /// Schedule a training programme.
    ScheduleTraining(Training),
    /// Change some fields of a record; fields equal to the current value are dropped, and a
    /// revision that changes nothing produces no event (case C04).
    Revise {
        /// Kind of the record.
        kind: RecordKind,
        /// Record id.
        id: String,
        /// New field values.
        set: Map<String, Value>,
    },
    /// Report an action's status and/or progress. `done` implies 100 %.
    ReportProgress {
        /// Action id.
        action: String,
        /// New status.
        status: Option<ActionStatus>,
        /// New progress.
        progress: Option<Progress>,
    },
    /// Add a piece of evidence to an action.
    AddEvidence {
        /// Action id.
        action: String,
        /// Note.
        note: LocalizedText,
    },
    /// Endorse the current version of a decision or roadmap (co-chairs only).
    Endorse {
        /// `Decision` or `Roadmap`.
        kind: RecordKind,
        /// Record id.
        id: String,
    },
}

fn create<T: Validate + Serialize>(state: &State, record: &T) -> Result<Vec<Emit>, DomainError> {
    record.validate(state)?;
    let set = serde_json::to_value(record)
        .map_err(|e| DomainError::MalformedBody { kind: T::KIND.created_kind().into(), reason: e.to_string() })?;
    Ok(vec![Emit { kind: T::KIND.created_kind().into(), body: json!({"v": BODY_VERSION, "set": set}) }])
}

fn revise_as<T: Validate + serde::de::DeserializeOwned>(
    state: &State,
    id: &str,
    set: &Map<String, Value>,
) -> Result<Map<String, Value>, DomainError> {
    let entry = state.require(T::KIND, id)?;
    let mut content = entry.content();
    let mut diff = Map::new();
    for (k, v) in set {
        if k.starts_with('_') {
            return Err(DomainError::InvalidValue { field: k.clone(), value: "reserved".into() });
        }
        // Setting a field to its value, or an absent field to null, is no change.
        let unchanged = content.get(k) == Some(v) || (v.is_null() && !content.contains_key(k));
        if !unchanged {
            diff.insert(k.clone(), v.clone());
        }
        content.insert(k.clone(), v.clone());
    }
    let record: T = serde_json::from_value(Value::Object(content)).map_err(|e| DomainError::InvalidValue {
        field: set.keys().cloned().collect::<Vec<_>>().join(","),
        value: e.to_string(),
    })?;
    record.validate(state)?;
    Ok(diff)
}

fn revise(
    state: &State,
    kind: RecordKind,
    id: &str,
    set: &Map<String, Value>,
) -> Result<Map<String, Value>, DomainError> {
    match kind {
        RecordKind::Member => revise_as::<Member>(state, id, set),
        RecordKind::Area => revise_as::<Area>(state, id, set),
        RecordKind::Mission => revise_as::<Mission>(state, id, set),
        RecordKind::Session => revise_as::<Session>(state, id, set),
        RecordKind::Decision => revise_as::<Decision>(state, id, set),
        RecordKind::Communique => revise_as::<Communique>(state, id, set),
        RecordKind::Press => revise_as::<PressDocument>(state, id, set),
        RecordKind::Roadmap => revise_as::<Roadmap>(state, id, set),
        RecordKind::Action => revise_as::<Action>(state, id, set),
        RecordKind::Need => revise_as::<Need>(state, id, set),
        RecordKind::Offer => revise_as::<Offer>(state, id, set),
        RecordKind::Training => revise_as::<Training>(state, id, set),
    }
}

fn update(kind: &str, id: &str, diff: Map<String, Value>) -> Vec<Emit> {
    if diff.is_empty() {
        return vec![];
    }
    vec![Emit { kind: kind.into(), body: json!({"v": BODY_VERSION, "record": id, "set": diff}) }]
}

/// Validates `command` by `actor` against `state` and returns the events to sign, in order.
/// An empty list means the command changes nothing (nothing is written).
///
/// # Errors
/// The first rule broken; nothing is to be written then.
pub fn decide(state: &State, actor: &Actor, command: &Command) -> Result<Vec<Emit>, DomainError> {
    state.require_party(&actor.party)?;
    match command {
        Command::RegisterMember(m) => create(state, m),
        Command::DefineArea(a) => {
            if state.all::<Area>(RecordKind::Area).iter().any(|(_, x)| x.code == a.code) {
                return Err(DomainError::DuplicateCode { code: a.code.clone() });
            }
            create(state, a)
        }
        Command::ScheduleMission(m) => create(state, m),
        Command::ConveneSession(s) => {
            if state.all::<Session>(RecordKind::Session).iter().any(|(_, x)| x.number == s.number) {
                return Err(DomainError::DuplicateNumber { number: s.number });
            }
            create(state, s)
        }
        Command::RecordDecision(d) => create(state, d),
        Command::IssueCommunique(c) => create(state, c),
        Command::ArchivePress(p) => create(state, p),
        Command::DraftRoadmap(r) => create(state, r),
        Command::PlanAction(a) => create(state, a),
        Command::RegisterNeed(n) => create(state, n),
        Command::MakeOffer(o) => create(state, o),
        Command::ScheduleTraining(t) => create(state, t),
        Command::Revise { kind, id, set } => {
            if let Some(num) = set.get("number").and_then(Value::as_i64)
                && *kind == RecordKind::Session
                && state.all::<Session>(RecordKind::Session).iter().any(|(i, x)| x.number == num && i != id)
            {
                return Err(DomainError::DuplicateNumber { number: num });
            }
            let diff = revise(state, *kind, id, set)?;
            Ok(update(&format!("{}.revised", kind.code()), id, diff))
        }
        Command::ReportProgress { action, status, progress } => {
            let mut set = Map::new();
            let progress = match (status, progress) {
                (Some(ActionStatus::Done), None) => Some(Progress::new(100)?),
                _ => *progress,
            };
            if let Some(s) = status {
                set.insert("status".into(), json!(s));
            }
            if let Some(p) = progress {
                set.insert("progress".into(), json!(p));
            }
            if set.is_empty() {
                return Err(DomainError::InvalidValue { field: "progress".into(), value: "nothing to report".into() });
            }
            let diff = revise(state, RecordKind::Action, action, &set)?;
            Ok(update("action.progress_reported", action, diff))
        }
        Command::AddEvidence { action, note } => {
            state.require(RecordKind::Action, action)?;
            note.check("note")?;
            Ok(vec![Emit {
                kind: "action.evidence_added".into(),
                body: json!({"v": BODY_VERSION, "record": action, "note": note}),
            }])
        }
        Command::Endorse { kind, id } => {
            if !matches!(kind, RecordKind::Decision | RecordKind::Roadmap) {
                return Err(DomainError::InvalidValue { field: "kind".into(), value: kind.code().into() });
            }
            let entry = state.require(*kind, id)?;
            let is_co_chair = actor
                .member
                .as_deref()
                .and_then(|m| state.get::<Member>(RecordKind::Member, m))
                .is_some_and(|m| m.role == MemberRole::CoChair && m.party == actor.party);
            if !is_co_chair {
                return Err(DomainError::NotCoChair {
                    member: actor.member.clone().unwrap_or_else(|| "nobody".into()),
                    party: actor.party.to_string(),
                });
            }
            let parties: Vec<String> =
                state.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default();
            let a = adoption(&entry.doc(id), &parties);
            if a.endorsed_by.iter().any(|p| p == actor.party.as_str()) {
                return Err(DomainError::AlreadyEndorsed { party: actor.party.to_string() });
            }
            Ok(vec![Emit {
                kind: format!("{}.endorsed", kind.code()),
                body: json!({"v": BODY_VERSION, "record": id, "version": entry.version()}),
            }])
        }
    }
}
