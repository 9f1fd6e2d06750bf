//! Commands (imperative) and `decide`: validate a command against the current state and
//! produce the event bodies (past tense) that record it. Pure: no IO, no clock, no ids —
//! a created record's id is the id of the event that creates it.

use jiff::civil::Date;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::DomainError;
use crate::minutes::{MINUTES, minutes_status};
use crate::parity;
use crate::records::*;
use crate::state::{BODY_VERSION, State, adoption};
use crate::text::{self, Lang, LocalizedText};
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
    /// Record an internal note of the actor's party (private log).
    RecordNote(Note),
    /// Register an archived document (its file is already stored by the node). A document
    /// releasable to one party goes to that party's private log, and only that party may
    /// register it.
    RegisterDocument(Document),
    /// Make a pledge (issue 18): a one-party one (releasable to the actor's party only) goes to
    /// that party's private log, and only that party may make it.
    MakePledge(Pledge),
    /// Enter an exchange rate (issue 18).
    EnterRate(ExchangeRate),
    /// Record a delivery of a pledge (its pledging party only), added to the pledge's
    /// deliveries (`crate::resources`).
    RecordDelivery {
        /// Pledge id.
        pledge: String,
        /// The delivery.
        delivery: crate::resources::Delivery,
    },
    /// Withdraw a delivery recorded by mistake (its pledging party only): it no longer counts.
    WithdrawDelivery {
        /// Pledge id.
        pledge: String,
        /// The id of the event that recorded the delivery.
        delivery: String,
    },
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
        /// Why the action is delayed, blocked or cancelled: required when `status` enters one
        /// of those ([`ActionStatus::needs_reason`]).
        reason: Option<LocalizedText>,
        /// The date the action was completed, with `status` done (the form's default: the
        /// reporter's today). Refused without status done; a report leaving done clears it.
        completed: Option<Date>,
    },
    /// Add a piece of evidence to an action.
    AddEvidence {
        /// Action id.
        action: String,
        /// Note.
        note: LocalizedText,
    },
    /// Endorse the current version of a decision or roadmap: a co-chair, or a member of the
    /// same party holding the co-chair's signature delegation on the day `on`
    /// (`crate::signature`; the endorsement then names the co-chair it is made for).
    Endorse {
        /// `Decision` or `Roadmap`.
        kind: RecordKind,
        /// Record id.
        id: String,
        /// Today's date where the endorsement is made (the node's): only then is a delegation
        /// looked for; `None`, a co-chair only.
        on: Option<Date>,
    },
    /// A co-chair delegates the right to endorse to a member of their party from `from` to
    /// `to`, both included (issue 16 item 4).
    DelegateSignature {
        /// The delegate's member id.
        delegate: String,
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// A co-chair withdraws one of their signature delegations.
    WithdrawSignatureDelegation {
        /// The delegation's event id.
        delegation: String,
    },
    /// Endorse a version of a session's minutes: the draft while they are a draft, or a pending
    /// amendment once they are locked (co-chairs only). Naming the version read guarantees that
    /// the co-chair endorses the text they saw.
    EndorseMinutes {
        /// Session id.
        session: String,
        /// The draft's version, or the amendment's id.
        version: String,
    },
    /// Propose a correction of locked minutes: the complete corrected text, in force once both
    /// parties' co-chairs endorsed it.
    AmendMinutes {
        /// Session id.
        session: String,
        /// The corrected minutes.
        minutes: LocalizedText,
    },
    /// Confirm that one language of a per-language text (session `minutes`, decision `text`)
    /// still says what the changed language says (language parity).
    ConfirmTranslation {
        /// `Session` or `Decision`.
        kind: RecordKind,
        /// Record id.
        id: String,
        /// Field (`minutes` or `text`).
        field: String,
        /// The language confirmed.
        lang: Lang,
    },
    /// Record the actor's party's delegation to a session: every member with function and
    /// attendance, and the head; it replaces the party's previous recording.
    RecordDelegation {
        /// Session id.
        session: String,
        /// The party (must be the actor's).
        party: PartyCode,
        /// The whole delegation.
        entries: Vec<crate::attendance::DelegationEntry>,
    },
}

impl Command {
    /// The kind and the JSON of the record a creating command (`RegisterMember` …
    /// `RegisterDocument`) creates; `None` for every other command.
    #[must_use]
    pub fn created(&self) -> Option<(RecordKind, Value)> {
        fn json<T: Record>(record: &T) -> Option<(RecordKind, Value)> {
            serde_json::to_value(record).ok().map(|v| (T::KIND, v))
        }
        match self {
            Command::RegisterMember(x) => json(x),
            Command::DefineArea(x) => json(x),
            Command::ScheduleMission(x) => json(x),
            Command::ConveneSession(x) => json(x),
            Command::RecordDecision(x) => json(x),
            Command::IssueCommunique(x) => json(x),
            Command::ArchivePress(x) => json(x),
            Command::DraftRoadmap(x) => json(x),
            Command::PlanAction(x) => json(x),
            Command::RegisterNeed(x) => json(x),
            Command::MakeOffer(x) => json(x),
            Command::ScheduleTraining(x) => json(x),
            Command::RecordNote(x) => json(x),
            Command::RegisterDocument(x) => json(x),
            Command::MakePledge(x) => json(x),
            Command::EnterRate(x) => json(x),
            _ => None,
        }
    }

    /// The command that creates `record` (a JSON object) as a record of `kind`
    /// ([`Record::create`]): what a form or an import builds from a record's fields.
    ///
    /// # Errors
    /// [`DomainError::MalformedBody`] naming the kind's creating event when `record` does not
    /// read as the kind's record type.
    pub fn create(kind: RecordKind, record: Value) -> Result<Command, DomainError> {
        let malformed = |e: serde_json::Error| DomainError::MalformedBody {
            kind: kind.created_kind().into(),
            reason: e.to_string(),
        };
        with_record_type!(kind, T => serde_json::from_value::<T>(record).map(Record::create).map_err(malformed))
    }
}

/// Top-level fields of a record of `kind` that are signed as given, not cleaned: those its
/// table declares [`crate::fields::Input::Exact`] (a press document's text, archived byte for
/// byte with its BLAKE3 hash).
fn uncleaned_fields(kind: RecordKind) -> Vec<&'static str> {
    crate::fields::exact_fields(kind.fields())
}

/// The command with every user text cleaned before it is checked and signed (issue 17 item 7:
/// one rule for every entry point, form, API, CLI and import alike).
fn cleaned_command(command: &Command) -> Result<Command, DomainError> {
    if let Some((kind, mut record)) = command.created() {
        // A record with every user text cleaned, read back as its type.
        text::clean_value(&mut record, &uncleaned_fields(kind));
        return Command::create(kind, record);
    }
    Ok(match command {
        Command::Revise { kind, id, set } => {
            let mut value = Value::Object(set.clone());
            text::clean_value(&mut value, &uncleaned_fields(*kind));
            let Value::Object(set) = value else { unreachable!("an object stays an object") };
            Command::Revise { kind: *kind, id: id.clone(), set }
        }
        Command::AddEvidence { action, note } => Command::AddEvidence { action: action.clone(), note: note.cleaned() },
        Command::AmendMinutes { session, minutes } => {
            Command::AmendMinutes { session: session.clone(), minutes: minutes.cleaned() }
        }
        Command::ReportProgress { action, status, progress, reason, completed } => Command::ReportProgress {
            action: action.clone(),
            completed: *completed,
            status: *status,
            progress: *progress,
            reason: reason
                .as_ref()
                .map(LocalizedText::cleaned)
                .filter(|r| Lang::ALL.iter().any(|l| r.get(*l).is_some())),
        },
        // Endorsements, translation confirmations and delegations carry no free text; the
        // creating commands were cleaned above.
        _ => command.clone(),
    })
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
    if kind.is_marked() {
        // The file and the releasability are fixed at registration: another file is another
        // document, and a shared document or pledge can never move into a private log (or out
        // of one).
        crate::state::check_document_revision(&state.require(kind, id)?.marking(), set)?;
    }
    with_record_type!(kind, T => revise_as::<T>(state, id, set))
}

fn update(kind: &str, id: &str, diff: Map<String, Value>) -> Vec<Emit> {
    if diff.is_empty() {
        return vec![];
    }
    vec![Emit { kind: kind.into(), body: json!({"v": BODY_VERSION, "record": id, "set": diff}) }]
}

/// The language-parity declaration of a revision: for each tracked per-language field it
/// writes, the languages it changed (or brought up to date).
fn declaration_of(state: &State, kind: RecordKind, id: &str, diff: &Map<String, Value>) -> parity::Declaration {
    let mut declaration = parity::Declaration::default();
    let Ok(entry) = state.require(kind, id) else { return declaration };
    for field in parity::tracked_fields(kind) {
        let Some(new) = diff.get(*field) else { continue };
        let new: Option<LocalizedText> = serde_json::from_value(new.clone()).ok();
        let old = parity::text_of(entry, field);
        match parity::declare(entry, field, old.as_ref(), new.as_ref()) {
            Some((true, langs)) => declaration.changed.insert((*field).to_string(), langs),
            Some((false, langs)) => declaration.current.insert((*field).to_string(), langs),
            None => None,
        };
    }
    declaration
}

/// An action entering a status that needs a reason (delayed, blocked, cancelled; `old` is its
/// status before, `None` when it is planned now) must carry one.
fn require_reason(old: Option<ActionStatus>, new: &Action) -> Result<(), DomainError> {
    if new.status.needs_reason() && old != Some(new.status) && new.reason.is_none() {
        return Err(DomainError::ReasonRequired { field: "reason".into(), status: new.status.code().into() });
    }
    Ok(())
}

/// [`require_reason`] for a revision `diff` of action `id`.
fn require_reason_in(state: &State, id: &str, diff: &Map<String, Value>) -> Result<(), DomainError> {
    let (Some(entry), true) = (state.entry(id), diff.contains_key("status")) else { return Ok(()) };
    let old: Option<Action> = state.get(RecordKind::Action, id);
    let mut content = entry.content();
    content.extend(diff.clone());
    match serde_json::from_value::<Action>(Value::Object(content)) {
        Ok(new) => require_reason(old.map(|a| a.status), &new),
        Err(_) => Ok(()),
    }
}

/// The committee's party codes, sorted.
fn parties(state: &State) -> Vec<String> {
    let mut parties: Vec<String> =
        state.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default();
    parties.sort();
    parties
}

/// Only a co-chair of the acting party may endorse.
fn require_co_chair(state: &State, actor: &Actor) -> Result<(), DomainError> {
    let is_co_chair = actor
        .member
        .as_deref()
        .and_then(|m| state.get::<Member>(RecordKind::Member, m))
        .is_some_and(|m| m.role == MemberRole::CoChair && m.party == actor.party);
    if is_co_chair {
        Ok(())
    } else {
        Err(DomainError::NotCoChair {
            member: actor.member.clone().unwrap_or_else(|| "nobody".into()),
            party: actor.party.to_string(),
        })
    }
}

/// A text whose languages are not in step cannot be endorsed.
fn require_parity(entry: &crate::state::Entry, field: &str) -> Result<(), DomainError> {
    let langs = parity::to_review(entry, field);
    if langs.is_empty() {
        Ok(())
    } else {
        Err(DomainError::TranslationToReview {
            field: field.into(),
            langs: langs.iter().map(|l| l.code()).collect::<Vec<_>>().join(","),
        })
    }
}

fn endorse_minutes(state: &State, actor: &Actor, session: &str, version: &str) -> Result<Vec<Emit>, DomainError> {
    let entry = state.require(RecordKind::Session, session)?;
    require_co_chair(state, actor)?;
    let status = minutes_status(entry, &parties(state));
    let party = actor.party.as_str();
    let (text, endorsed_by) = if status.locked() {
        match status.amendment(version) {
            Some(a) if a.endorsed_by.iter().any(|p| p == party) => {
                return Err(DomainError::AlreadyEndorsed { party: party.into() });
            }
            Some(a) if a.superseded => return Err(DomainError::StaleVersion { version: version.into() }),
            Some(a) => (a.text.clone(), &a.endorsed_by),
            None if status.agreed.as_ref().is_some_and(|a| a.version == version) => {
                return Err(DomainError::AlreadyEndorsed { party: party.into() });
            }
            None => return Err(DomainError::MinutesLocked),
        }
    } else {
        let draft = status.draft.as_ref().ok_or(DomainError::NoMinutes)?;
        if draft.version != version {
            return Err(DomainError::StaleVersion { version: version.into() });
        }
        require_parity(entry, MINUTES)?;
        (draft.text.clone(), &draft.endorsed_by)
    };
    if endorsed_by.iter().any(|p| p == party) {
        return Err(DomainError::AlreadyEndorsed { party: party.into() });
    }
    Ok(vec![Emit {
        kind: "session.minutes_endorsed".into(),
        body: json!({"v": BODY_VERSION, "record": session, "version": version, "minutes": text}),
    }])
}

fn amend_minutes(state: &State, session: &str, minutes: &LocalizedText) -> Result<Vec<Emit>, DomainError> {
    let entry = state.require(RecordKind::Session, session)?;
    minutes.check_long(MINUTES)?;
    let status = minutes_status(entry, &parties(state));
    if !status.locked() {
        return Err(DomainError::MinutesNotLocked);
    }
    let same_as_pending = status.amendments.iter().any(|a| !a.adopted && !a.superseded && &a.text == minutes);
    if status.effective().is_some_and(|(_, t)| t == minutes) || same_as_pending {
        return Ok(vec![]);
    }
    Ok(vec![Emit {
        kind: "session.minutes_amended".into(),
        body: json!({"v": BODY_VERSION, "record": session, "minutes": minutes}),
    }])
}

fn confirm_translation(
    state: &State,
    kind: RecordKind,
    id: &str,
    field: &str,
    lang: Lang,
) -> Result<Vec<Emit>, DomainError> {
    if !parity::tracked_fields(kind).contains(&field) {
        return Err(DomainError::InvalidValue { field: "field".into(), value: format!("{}.{field}", kind.code()) });
    }
    let entry = state.require(kind, id)?;
    if kind == RecordKind::Session && minutes_status(entry, &parties(state)).locked() {
        return Err(DomainError::MinutesLocked);
    }
    let text = parity::text_of(entry, field);
    if text.is_none() && kind == RecordKind::Session {
        return Err(DomainError::NoMinutes);
    }
    if !parity::present(text.as_ref()).contains(&lang) {
        return Err(DomainError::InvalidValue { field: "lang".into(), value: lang.code().into() });
    }
    if !parity::to_review(entry, field).contains(&lang) {
        return Ok(vec![]);
    }
    Ok(vec![Emit {
        kind: format!("{}.translation_confirmed", kind.code()),
        body: json!({"v": BODY_VERSION, "record": id, "current": {field: [lang]}}),
    }])
}

/// Validates `command` by `actor` against `state` and returns the events to sign, in order.
/// An empty list means the command changes nothing (nothing is written). Every user text of the
/// command is cleaned first ([`crate::text`]: NFC, invisible marks), so what is checked, compared
/// and signed is the cleaned text.
///
/// # Errors
/// The first rule broken; nothing is to be written then.
pub fn decide(state: &State, actor: &Actor, command: &Command) -> Result<Vec<Emit>, DomainError> {
    state.require_party(&actor.party)?;
    if let Command::EnterRate(r) = command {
        // A rate of zero does not even read back as a rate (refused on receipt): say why first.
        r.rate()?;
    }
    let command = &cleaned_command(command)?;
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
        Command::PlanAction(a) => {
            require_reason(None, a)?;
            create(state, a)
        }
        Command::RegisterNeed(n) => create(state, n),
        Command::MakeOffer(o) => create(state, o),
        Command::ScheduleTraining(t) => create(state, t),
        Command::RecordNote(n) => {
            if n.party != actor.party {
                return Err(DomainError::UnknownParty { code: n.party.to_string() });
            }
            create(state, n)
        }
        Command::RegisterDocument(d) => {
            if let Some(p) = d.marking.releasable_to.only()
                && p != &actor.party
            {
                // Only the owning party registers (and so signs) a one-party document.
                return Err(DomainError::InvalidValue { field: "releasable_to".into(), value: p.to_string() });
            }
            create(state, d)
        }
        Command::MakePledge(p) => {
            if let Some(only) = p.marking.releasable_to.only()
                && only != &actor.party
            {
                // Only the owning party makes (and so signs) a one-party pledge.
                return Err(DomainError::InvalidValue { field: "releasable_to".into(), value: only.to_string() });
            }
            create(state, p)
        }
        Command::EnterRate(r) => {
            crate::resources::enter_rate(state, r)?;
            create(state, r)
        }
        Command::RecordDelivery { pledge, delivery } => crate::resources::record(state, actor, pledge, delivery),
        Command::WithdrawDelivery { pledge, delivery } => crate::resources::withdraw(state, actor, pledge, delivery),
        Command::Revise { kind, id, set } => {
            if let Some(num) = set.get("number").and_then(Value::as_i64)
                && *kind == RecordKind::Session
                && state.all::<Session>(RecordKind::Session).iter().any(|(i, x)| x.number == num && i != id)
            {
                return Err(DomainError::DuplicateNumber { number: num });
            }
            let diff = revise(state, *kind, id, set)?;
            if *kind == RecordKind::Action {
                require_reason_in(state, id, &diff)?;
            }
            if *kind == RecordKind::Session
                && diff.contains_key(MINUTES)
                && minutes_status(state.require(*kind, id)?, &parties(state)).locked()
            {
                return Err(DomainError::MinutesLocked);
            }
            let declaration = declaration_of(state, *kind, id, &diff);
            let mut emits = update(&format!("{}.revised", kind.code()), id, diff);
            if let (Some(Value::Object(body)), Ok(Value::Object(decl))) =
                (emits.first_mut().map(|e| &mut e.body), serde_json::to_value(&declaration))
            {
                body.extend(decl);
            }
            Ok(emits)
        }
        Command::ReportProgress { action, status, progress, reason, completed } => {
            let old = state.get::<Action>(RecordKind::Action, action);
            if let (Some(s), Some(old)) = (status, &old)
                && s.needs_reason()
                && old.status != *s
                && reason.is_none()
            {
                return Err(DomainError::ReasonRequired { field: "reason".into(), status: s.code().into() });
            }
            // The completion date belongs to a done action: given with another status it is a
            // mistake to refuse; leaving done withdraws it.
            let done_after = status.or(old.as_ref().map(|a| a.status)) == Some(ActionStatus::Done);
            if let Some(day) = completed
                && !done_after
            {
                return Err(DomainError::InvalidValue { field: "completed".into(), value: day.to_string() });
            }
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
            if let Some(r) = reason {
                set.insert("reason".into(), json!(r));
            }
            match completed {
                Some(day) => {
                    set.insert("completed".into(), json!(day));
                }
                None if !done_after && old.as_ref().is_some_and(|a| a.completed.is_some()) => {
                    set.insert("completed".into(), Value::Null);
                }
                None => {}
            }
            if set.is_empty() {
                return Err(DomainError::InvalidValue { field: "progress".into(), value: "nothing to report".into() });
            }
            let diff = revise(state, RecordKind::Action, action, &set)?;
            Ok(update("action.progress_reported", action, diff))
        }
        Command::AddEvidence { action, note } => {
            state.require(RecordKind::Action, action)?;
            note.check_long("note")?;
            Ok(vec![Emit {
                kind: "action.evidence_added".into(),
                body: json!({"v": BODY_VERSION, "record": action, "note": note}),
            }])
        }
        Command::Endorse { kind, id, on } => {
            if !matches!(kind, RecordKind::Decision | RecordKind::Roadmap) {
                return Err(DomainError::InvalidValue { field: "kind".into(), value: kind.code().into() });
            }
            let entry = state.require(*kind, id)?;
            // A co-chair, or the delegate of one on the day of the endorsement.
            let delegated = match require_co_chair(state, actor) {
                Ok(()) => None,
                Err(e) => Some(on.and_then(|on| crate::signature::delegation_for(state, actor, on)).ok_or(e)?),
            };
            let a = adoption(&entry.doc(id), &parties(state));
            if a.endorsed_by.iter().any(|p| p == actor.party.as_str()) {
                return Err(DomainError::AlreadyEndorsed { party: actor.party.to_string() });
            }
            for field in parity::tracked_fields(*kind) {
                require_parity(entry, field)?;
            }
            let mut body = json!({"v": BODY_VERSION, "record": id, "version": entry.version()});
            if let Some(d) = delegated {
                body["for"] = json!(d.co_chair);
            }
            Ok(vec![Emit { kind: format!("{}.endorsed", kind.code()), body }])
        }
        Command::DelegateSignature { delegate, from, to } => {
            crate::signature::delegate(state, actor, delegate, *from, *to)
        }
        Command::WithdrawSignatureDelegation { delegation } => crate::signature::withdraw(state, actor, delegation),
        Command::EndorseMinutes { session, version } => endorse_minutes(state, actor, session, version),
        Command::AmendMinutes { session, minutes } => amend_minutes(state, session, minutes),
        Command::ConfirmTranslation { kind, id, field, lang } => confirm_translation(state, *kind, id, field, *lang),
        Command::RecordDelegation { session, party, entries } => {
            crate::attendance::record(state, actor, session, party, entries)
        }
    }
}

impl Command {
    /// The command as made on the node's date `today`: an endorsement then looks for a
    /// signature delegation covering that day (`crate::signature`); any other is unchanged.
    #[must_use]
    pub fn on(self, today: Date) -> Self {
        match self {
            Command::Endorse { kind, id, .. } => Command::Endorse { kind, id, on: Some(today) },
            other => other,
        }
    }

    /// Whether the command writes to the actor's private log (its events must never be
    /// offered to the other party).
    #[must_use]
    pub fn is_private(&self, state: &State) -> bool {
        match self {
            Command::RecordNote(_) => true,
            Command::RegisterDocument(d) => d.marking.is_private(),
            Command::MakePledge(p) => p.marking.is_private(),
            Command::Revise { kind, id, .. } => kind.is_private() || state.entry(id).is_some_and(|e| e.is_private()),
            Command::Endorse { id, .. }
            | Command::AddEvidence { action: id, .. }
            | Command::RecordDelivery { pledge: id, .. }
            | Command::WithdrawDelivery { pledge: id, .. } => state.entry(id).is_some_and(|e| e.is_private()),
            _ => false,
        }
    }
}
