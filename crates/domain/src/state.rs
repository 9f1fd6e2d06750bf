//! The fold of the record: `State` holds every record as last-writer-wins fields and add-only
//! sets, so that applying the same set of events in any causal order gives the same state
//! (DESIGN.md §4 invariant 4). Concurrent writes of one field resolve by (lamport, id).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::DomainError;
use crate::records::{RecordKind, Validate, with_record_type};
use crate::text::{Lang, LocalizedText};
use crate::values::PartyCode;

/// Version of every domain event body (`"v"` in the body).
pub const BODY_VERSION: i64 = 1;

/// Position of an event in the total order used for conflicts: Lamport clock, then id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    /// Lamport clock.
    pub lamport: i64,
    /// Event id, hex.
    pub id: String,
}

/// What the domain needs to know of an event besides its kind and body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Event id (hex). A record created by this event gets this id.
    pub id: String,
    /// Lamport clock.
    pub lamport: i64,
    /// Author party.
    pub party: String,
    /// Member acting, if any.
    pub member: Option<String>,
    /// Author's time, RFC 3339 UTC (informational).
    pub at: String,
}

impl Meta {
    fn stamp(&self) -> Stamp {
        Stamp { lamport: self.lamport, id: self.id.clone() }
    }
}

/// A party as described in the committee's charter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyInfo {
    /// ISO 3166-1 alpha-3 code.
    pub code: PartyCode,
    /// State name.
    pub name: LocalizedText,
    /// Armed forces, e.g. Royal Armed Forces (FAR).
    pub forces: LocalizedText,
}

/// The founding facts of the committee, carried in the genesis event's `charter`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charter {
    /// Name of the committee.
    pub name: LocalizedText,
    /// The two parties, sorted by code.
    pub parties: Vec<PartyInfo>,
    /// Languages of the record.
    pub languages: Vec<Lang>,
    /// Date it was set up, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub founded: Option<Date>,
    /// Purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<LocalizedText>,
}

impl Charter {
    /// Checks names and that exactly two distinct parties are named.
    ///
    /// # Errors
    /// [`DomainError`] naming the first problem.
    pub fn validate(&self) -> Result<(), DomainError> {
        self.name.check("name")?;
        if self.parties.len() != 2 || self.parties[0].code == self.parties[1].code {
            return Err(DomainError::InvalidValue {
                field: "parties".into(),
                value: format!("{} parties", self.parties.len()),
            });
        }
        for p in &self.parties {
            p.name.check("parties.name")?;
        }
        Ok(())
    }
}

/// One record in the fold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Kind.
    pub kind: RecordKind,
    /// Creating event, once seen.
    pub created: Option<(Stamp, Meta)>,
    /// Field → (stamp of the write that holds, value).
    pub fields: BTreeMap<String, (Stamp, Value)>,
    /// Set name → stamp → element (add-only).
    pub sets: BTreeMap<String, BTreeMap<Stamp, Value>>,
    /// Author time of the latest write to a field.
    pub updated_at: String,
}

impl Entry {
    fn new(kind: RecordKind) -> Self {
        Self { kind, created: None, fields: BTreeMap::new(), sets: BTreeMap::new(), updated_at: String::new() }
    }

    /// Whether this record lives in a party's private log: private kinds (notes), and
    /// documents releasable to one party (DESIGN.md §6, invariant 9).
    #[must_use]
    pub fn is_private(&self) -> bool {
        self.private_party().is_some()
    }

    /// The party whose private log holds this record, `None` for shared records. Notes name it
    /// in `party`; documents and pledges in their marking's releasability
    /// (`marking.releasable_to.only`).
    #[must_use]
    pub fn private_party(&self) -> Option<String> {
        let field = |name: &str| self.fields.get(name).map(|(_, v)| v);
        match self.kind {
            RecordKind::Note => Some(field("party").and_then(Value::as_str).unwrap_or_default().to_string()),
            RecordKind::Document | RecordKind::Pledge => field("marking").and_then(marking_party),
            _ => None,
        }
    }

    /// The record's marking: a document's own, the default (UNCLASSIFIED, both parties) for
    /// every other kind.
    #[must_use]
    pub fn marking(&self) -> crate::Marking {
        self.fields
            .get("marking")
            .filter(|_| self.kind.is_marked())
            .and_then(|(_, v)| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    }

    /// The record's content fields as one JSON object.
    #[must_use]
    pub fn content(&self) -> Map<String, Value> {
        self.fields.iter().map(|(k, (_, v))| (k.clone(), v.clone())).collect()
    }

    /// Version of the content: id of the event that wrote the newest field. Endorsements
    /// name it, so an edit after an endorsement needs a new endorsement (invariant 7).
    #[must_use]
    pub fn version(&self) -> String {
        self.fields.values().map(|(s, _)| s).max().map(|s| s.id.clone()).unwrap_or_default()
    }

    /// The projection document: content fields, sets as arrays in (lamport, id) order, and
    /// `_meta` {id, kind, created_at, created_by, updated_at, version}. Deterministic.
    #[must_use]
    pub fn doc(&self, id: &str) -> Value {
        let mut doc = self.content();
        for (name, set) in &self.sets {
            doc.insert(name.clone(), Value::Array(set.values().cloned().collect()));
        }
        let (created_at, created_by) = match &self.created {
            Some((_, m)) => (m.at.clone(), m.party.clone()),
            None => (String::new(), String::new()),
        };
        doc.insert(
            "_meta".into(),
            serde_json::json!({
                "id": id,
                "kind": self.kind.code(),
                "created_at": created_at,
                "created_by": created_by,
                "updated_at": self.updated_at,
                "version": self.version(),
            }),
        );
        Value::Object(doc)
    }
}

/// A parsed event, ready to apply.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Genesis: the committee's charter.
    Genesis(Box<Charter>),
    /// A ledger event the domain does not fold (key certificates and revocations).
    Ledger,
    /// A new record with all its fields.
    Create {
        /// Kind.
        kind: RecordKind,
        /// Fields.
        set: Map<String, Value>,
    },
    /// New values of some fields of a record.
    Update {
        /// Kind.
        kind: RecordKind,
        /// Record id.
        record: String,
        /// Fields.
        set: Map<String, Value>,
        /// What the write declares about the languages of its per-language texts (language
        /// parity, see [`crate::parity`]); empty when the event declares nothing.
        parity: crate::parity::Declaration,
    },
    /// An element added to a set of a record.
    Add {
        /// Kind.
        kind: RecordKind,
        /// Record id.
        record: String,
        /// Set name.
        set: &'static str,
        /// Element.
        value: Value,
    },
}

/// The one party of a marking's releasability (`{"releasable_to": {"only": "MAR"}}`), if any.
fn marking_party(marking: &Value) -> Option<String> {
    marking.pointer("/releasable_to/only").and_then(Value::as_str).map(String::from)
}

/// A document's file (`blake3`, `media_type`, `size`, `file_name`) and releasability are fixed at
/// registration (issue 6): another file is another document, and a shared document can never
/// move into a private log, nor a private one out. `old` is the document's current marking,
/// `set` the fields a revision writes.
///
/// # Errors
/// [`DomainError::InvalidValue`] naming the field.
pub fn check_document_revision(old: &crate::Marking, set: &Map<String, Value>) -> Result<(), DomainError> {
    if let Some(k) = set.keys().find(|k| matches!(k.as_str(), "blake3" | "media_type" | "size" | "file_name")) {
        return Err(DomainError::InvalidValue { field: k.clone(), value: "fixed at registration".into() });
    }
    if let Some(m) = set.get("marking") {
        let new: crate::Marking = serde_json::from_value(m.clone())
            .map_err(|e| DomainError::InvalidValue { field: "marking".into(), value: e.to_string() })?;
        if new.releasable_to != old.releasable_to {
            return Err(DomainError::InvalidValue {
                field: "releasable_to".into(),
                value: "fixed at registration".into(),
            });
        }
    }
    Ok(())
}

impl Change {
    /// Checks the change against the state it would be folded into, for the rules its body
    /// alone cannot show. `decide` applies them (and more) to local commands; the store applies
    /// this to every event it appends or receives, so a peer's validly signed event cannot:
    /// revise a record that does not exist or is of another kind, or add to one; write a field
    /// value that is not of the field's type (the record would no longer read back, and vanish
    /// from every page and report); name as a reference a record that does not exist or is of
    /// another kind; move a shared document into a private log or swap its file
    /// ([`check_document_revision`]). Types and references only, never the cross-field rules
    /// of `decide`: see `check_typed` for why this keeps nodes convergent.
    ///
    /// # Errors
    /// [`DomainError::UnknownRecord`] for the record revised; [`DomainError::InvalidValue`]
    /// naming the field and why (of a revision or a creation); [`DomainError::MalformedBody`]
    /// for a creation that does not read as its type for no one field (a required one missing).
    pub fn check_against(&self, state: &State) -> Result<(), DomainError> {
        match self {
            Change::Genesis(_) | Change::Ledger => Ok(()),
            Change::Add { kind, record, set, value } => {
                state.require(*kind, record)?;
                if *set == crate::attendance::DELEGATIONS {
                    crate::attendance::check_received(state, value)?;
                }
                if *set == crate::resources::DELIVERIES {
                    crate::resources::check_received(state, value)?;
                }
                if *set == crate::resources::WITHDRAWN {
                    crate::resources::check_withdrawal(state, record, value)?;
                }
                Ok(())
            }
            Change::Create { kind, .. } => with_record_type!(*kind, T => check_typed::<T>(state, self)),
            Change::Update { kind, record, set, .. } => {
                if kind.is_marked() {
                    check_document_revision(&state.require(*kind, record)?.marking(), set)?;
                }
                with_record_type!(*kind, T => check_typed::<T>(state, self))
            }
        }
    }

    /// Whether the change belongs to a party's private log: a change of a private kind, a
    /// document created releasable to one party, or any change of a record that `state` holds
    /// as private. The store appends such changes to the private log only and refuses them
    /// from peers.
    #[must_use]
    pub fn is_private(&self, state: &State) -> bool {
        match self {
            Change::Genesis(_) | Change::Ledger => false,
            Change::Create { kind, set } => {
                kind.is_private() || (kind.is_marked() && set.get("marking").and_then(marking_party).is_some())
            }
            Change::Update { kind, record, .. } | Change::Add { kind, record, .. } => {
                kind.is_private() || state.records.get(record).is_some_and(|e| e.is_private())
            }
        }
    }
}

fn malformed(kind: &str, reason: impl Into<String>) -> DomainError {
    DomainError::MalformedBody { kind: kind.into(), reason: reason.into() }
}

fn body_object<'a>(kind: &str, body: &'a Value) -> Result<&'a Map<String, Value>, DomainError> {
    let obj = body.as_object().ok_or_else(|| malformed(kind, "body is not an object"))?;
    match obj.get("v").and_then(Value::as_i64) {
        Some(BODY_VERSION) => Ok(obj),
        Some(v) => Err(malformed(kind, format!("body version {v} is not supported"))),
        None => Err(malformed(kind, "body has no version \"v\"")),
    }
}

fn field_map(kind: &str, obj: &Map<String, Value>) -> Result<Map<String, Value>, DomainError> {
    let set = obj.get("set").and_then(Value::as_object).ok_or_else(|| malformed(kind, "no \"set\" object"))?;
    if set.is_empty() {
        return Err(malformed(kind, "\"set\" is empty"));
    }
    if let Some(k) = set.keys().find(|k| k.starts_with('_') || k.is_empty()) {
        return Err(malformed(kind, format!("field name {k:?} is reserved")));
    }
    Ok(set.clone())
}

fn record_id(kind: &str, obj: &Map<String, Value>) -> Result<String, DomainError> {
    let id = obj.get("record").and_then(Value::as_str).ok_or_else(|| malformed(kind, "no \"record\" id"))?;
    if id.len() != 64 || !id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(malformed(kind, "record id is not 64 lowercase hex digits"));
    }
    Ok(id.to_string())
}

/// A language-parity map of a body (`changed` or `current`): text field → languages.
/// Sorted and deduplicated, so the fold does not depend on how the author wrote it.
fn lang_map(kind: &str, obj: &Map<String, Value>, key: &str) -> Result<BTreeMap<String, Vec<Lang>>, DomainError> {
    let Some(value) = obj.get(key) else { return Ok(BTreeMap::new()) };
    let map = value.as_object().ok_or_else(|| malformed(kind, format!("\"{key}\" is not an object")))?;
    let mut out = BTreeMap::new();
    for (field, langs) in map {
        if field.is_empty() || field.starts_with('_') {
            return Err(malformed(kind, format!("field name {field:?} is reserved")));
        }
        let langs = langs.as_array().ok_or_else(|| malformed(kind, format!("\"{key}\" languages are not an array")))?;
        let mut parsed = langs
            .iter()
            .map(|l| l.as_str().and_then(|l| Lang::parse(l).ok()).ok_or_else(|| malformed(kind, "unknown language")))
            .collect::<Result<Vec<Lang>, _>>()?;
        parsed.sort();
        parsed.dedup();
        if parsed.is_empty() {
            return Err(malformed(kind, format!("\"{key}\" names no language")));
        }
        out.insert(field.clone(), parsed);
    }
    Ok(out)
}

/// The language-parity declaration of a revision (optional) or a confirmation (required, and
/// only `current`).
fn declaration(
    kind: &str,
    obj: &Map<String, Value>,
    confirmation: bool,
) -> Result<crate::parity::Declaration, DomainError> {
    let current = lang_map(kind, obj, "current")?;
    if confirmation {
        if current.is_empty() {
            return Err(malformed(kind, "no \"current\" language"));
        }
        return Ok(crate::parity::Declaration { changed: BTreeMap::new(), current });
    }
    Ok(crate::parity::Declaration { changed: lang_map(kind, obj, "changed")?, current })
}

fn typed<T: DeserializeOwned>(kind: &str, value: Value) -> Result<T, DomainError> {
    serde_json::from_value(value).map_err(|e| malformed(kind, e.to_string()))
}

fn minutes_text(kind: &str, obj: &Map<String, Value>) -> Result<LocalizedText, DomainError> {
    let minutes = obj.get("minutes").cloned().ok_or_else(|| malformed(kind, "no minutes"))?;
    let minutes: LocalizedText = typed(kind, minutes)?;
    minutes.check("minutes").map_err(|e| malformed(kind, e.to_string()))?;
    Ok(minutes)
}

/// Checks that every field of a creation body has the shape of its record type.
fn check_record_shape(kind_code: &str, kind: RecordKind, set: &Map<String, Value>) -> Result<(), DomainError> {
    with_record_type!(kind, T => read_created::<T>(kind_code, set).map(|_| ()))
}

/// A creation's fields read as the record type `T`. A value that is not of its field's type is
/// refused naming the field, as for a revision ([`DomainError::InvalidValue`]: `progress`, or
/// dotted for a nested one, `indicator.target`, the way references name theirs); what belongs
/// to no one field (a required field missing) is a [`DomainError::MalformedBody`].
///
/// The field is the path at which the deserialiser itself failed (`serde_path_to_error`), not
/// a reading of its message. Only a refusal is read a second time with the path tracked, so
/// folding a log of good events costs what it did.
fn read_created<T: DeserializeOwned>(kind: &str, set: &Map<String, Value>) -> Result<T, DomainError> {
    T::deserialize(set).map_err(|e| {
        let Err(located) = serde_path_to_error::deserialize::<_, T>(set) else { return malformed(kind, e.to_string()) };
        let field = located
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Map { key } => Some(key.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(".");
        if field.is_empty() {
            malformed(kind, e.to_string())
        } else {
            DomainError::InvalidValue { field, value: located.into_inner().to_string() }
        }
    })
}

/// Checks a received creation or revision against the state, for types and references only.
///
/// For a revision, the record must exist with the event's kind, and each field written is laid
/// over the record's current content and the result read as the typed record: a value that is
/// not of its field's type (progress `"abc"`, a date that is not a date) is refused, naming the
/// field; a creation's fields are read the same way, naming the field ([`read_created`]). For
/// both, every reference the event writes must name an existing record of the kinds
/// it may name (an area id that is not an area is refused).
///
/// Deliberately NOT the full [`Validate`] of `decide`: cross-field rules (a due date before the
/// start, done with less than 100 %) depend on which concurrent edits a node has already seen,
/// so checking them on receipt could make nodes refuse different events and diverge. What is
/// checked here converges: every record field's type is judged on the value alone (serde reads
/// each field independently, and every stored write was judged the same way, so the content a
/// value is laid over is always readable), and "exists with that kind" is monotone — records
/// are never deleted and never change kind, and an honest event's record and references are
/// among its ancestors, which the store holds before it accepts the event.
fn check_typed<T: Validate + DeserializeOwned>(state: &State, change: &Change) -> Result<(), DomainError> {
    let invalid = |field: &str, e: &dyn std::fmt::Display| DomainError::InvalidValue {
        field: field.into(),
        value: e.to_string(),
    };
    match change {
        Change::Create { set, .. } => {
            let record: T = read_created(T::KIND.created_kind(), set)?;
            for r in record.references() {
                r.check(state).map_err(|e| invalid(&r.field, &e))?;
            }
        }
        Change::Update { record, set, .. } => {
            let mut content = state.require(T::KIND, record)?.content();
            let read = |content: Map<String, Value>| serde_json::from_value::<T>(Value::Object(content));
            for (field, value) in set {
                // One field at a time over the current content, so the refusal names the field.
                let mut one = content.clone();
                one.insert(field.clone(), value.clone());
                read(one).map_err(|e| invalid(field, &e))?;
            }
            content.extend(set.clone());
            let typed = read(content).map_err(|e| invalid(&set.keys().cloned().collect::<Vec<_>>().join(","), &e))?;
            for r in typed.references().iter().filter(|r| set.contains_key(r.top_field())) {
                r.check(state).map_err(|e| invalid(&r.field, &e))?;
            }
        }
        Change::Genesis(_) | Change::Ledger | Change::Add { .. } => {}
    }
    Ok(())
}

/// Parses an event's kind and body into a [`Change`]. Pure: the same input always gives the
/// same answer, whatever the state, so every node accepts or refuses an event alike.
///
/// # Errors
/// [`DomainError::UnknownKind`] or [`DomainError::MalformedBody`]; [`DomainError::InvalidValue`]
/// naming the field of a creation whose value is not of that field's type.
pub fn parse_event(kind: &str, body: &Value) -> Result<Change, DomainError> {
    match kind {
        "ledger.genesis" => {
            let charter = body.get("charter").cloned().ok_or_else(|| malformed(kind, "no charter"))?;
            let charter: Charter = typed(kind, charter)?;
            charter.validate().map_err(|e| malformed(kind, e.to_string()))?;
            return Ok(Change::Genesis(Box::new(charter)));
        }
        "ledger.key_certified" | "ledger.key_revoked" => return Ok(Change::Ledger),
        _ => {}
    }
    let (prefix, verb) = kind.split_once('.').ok_or_else(|| DomainError::UnknownKind { kind: kind.into() })?;
    let rk = RecordKind::parse(prefix).ok_or_else(|| DomainError::UnknownKind { kind: kind.into() })?;
    let obj = body_object(kind, body)?;
    if kind == rk.created_kind() {
        let set = field_map(kind, obj)?;
        check_record_shape(kind, rk, &set)?;
        return Ok(Change::Create { kind: rk, set });
    }
    match (rk, verb) {
        (_, "revised") => Ok(Change::Update {
            kind: rk,
            record: record_id(kind, obj)?,
            set: field_map(kind, obj)?,
            parity: declaration(kind, obj, false)?,
        }),
        (RecordKind::Action, "progress_reported") | (RecordKind::Session, "minutes_recorded") => Ok(Change::Update {
            kind: rk,
            record: record_id(kind, obj)?,
            set: field_map(kind, obj)?,
            parity: crate::parity::Declaration::default(),
        }),
        (RecordKind::Session, "minutes_endorsed") => {
            let version = obj
                .get("version")
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| malformed(kind, "no version"))?;
            let minutes = minutes_text(kind, obj)?;
            Ok(Change::Add {
                kind: rk,
                record: record_id(kind, obj)?,
                set: crate::minutes::ENDORSEMENTS,
                value: serde_json::json!({"version": version, "minutes": minutes}),
            })
        }
        (RecordKind::Session, "minutes_amended") => Ok(Change::Add {
            kind: rk,
            record: record_id(kind, obj)?,
            set: crate::minutes::AMENDMENTS,
            value: serde_json::json!({"minutes": minutes_text(kind, obj)?}),
        }),
        (RecordKind::Session | RecordKind::Decision, "translation_confirmed") => Ok(Change::Add {
            kind: rk,
            record: record_id(kind, obj)?,
            set: crate::parity::TRANSLATIONS,
            value: serde_json::to_value(declaration(kind, obj, true)?).map_err(|e| malformed(kind, e.to_string()))?,
        }),
        (RecordKind::Session, "delegation_recorded") => crate::attendance::parse(record_id(kind, obj)?, obj),
        (RecordKind::Action, "evidence_added") => {
            let note = obj.get("note").cloned().ok_or_else(|| malformed(kind, "no note"))?;
            let note: LocalizedText = typed(kind, note)?;
            note.check("note").map_err(|e| malformed(kind, e.to_string()))?;
            Ok(Change::Add {
                kind: rk,
                record: record_id(kind, obj)?,
                set: "evidence",
                value: serde_json::json!({"note": note}),
            })
        }
        (RecordKind::Decision | RecordKind::Roadmap, "endorsed") => {
            let version = obj.get("version").and_then(Value::as_str).ok_or_else(|| malformed(kind, "no version"))?;
            let mut value = serde_json::json!({"version": version});
            // Made under a signature delegation: the co-chair it was made for (issue 16).
            if let Some(co_chair) = obj.get("for").and_then(Value::as_str) {
                value["for"] = Value::String(co_chair.into());
            }
            Ok(Change::Add { kind: rk, record: record_id(kind, obj)?, set: "endorsements", value })
        }
        (RecordKind::Pledge, "delivery_recorded") => crate::resources::parse(record_id(kind, obj)?, obj),
        (RecordKind::Pledge, "delivery_withdrawn") => crate::resources::parse_withdrawal(record_id(kind, obj)?, obj),
        (RecordKind::Member, "signature_delegated" | "signature_delegation_withdrawn") => {
            crate::signature::parse(verb, record_id(kind, obj)?, obj)
        }
        _ => Err(DomainError::UnknownKind { kind: kind.into() }),
    }
}

/// The whole fold: the charter and every record.
///
/// Records are shared (`Arc<Entry>`), so a copy of the state — the snapshot a reader takes, or
/// [`State::retain`] for one reader class — costs one pointer per record, and a write after a
/// copy clones only the records it touches (copy on write, `Arc::make_mut`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    charter: Option<Charter>,
    records: BTreeMap<String, Arc<Entry>>,
    /// Every action read as its type, computed at most once per state value and dropped by
    /// any change (see [`State::actions`]).
    actions: TypedCache,
}

/// [`State::saved`]'s form: JSON has no maps keyed by stamps, so sets are lists of pairs.
#[derive(Serialize, Deserialize)]
struct SavedState {
    charter: Option<Charter>,
    records: Vec<SavedEntry>,
}

/// One record of [`SavedState`]: [`Entry`] with its id, its sets as lists.
#[derive(Serialize, Deserialize)]
struct SavedEntry {
    id: String,
    kind: RecordKind,
    created: Option<(Stamp, Meta)>,
    fields: BTreeMap<String, (Stamp, Value)>,
    sets: BTreeMap<String, Vec<(Stamp, Value)>>,
    updated_at: String,
}

impl SavedEntry {
    fn of(id: &str, e: &Entry) -> Self {
        Self {
            id: id.to_string(),
            kind: e.kind,
            created: e.created.clone(),
            fields: e.fields.clone(),
            sets: e.sets.iter().map(|(name, set)| (name.clone(), set.clone().into_iter().collect())).collect(),
            updated_at: e.updated_at.clone(),
        }
    }

    fn into_entry(self) -> (String, Arc<Entry>) {
        let sets = self.sets.into_iter().map(|(name, set)| (name, set.into_iter().collect())).collect();
        let entry =
            Entry { kind: self.kind, created: self.created, fields: self.fields, sets, updated_at: self.updated_at };
        (self.id, Arc::new(entry))
    }
}

/// The typed actions of one state value, computed on first use ([`State::actions`]). Equal to
/// every other cache and printed as its length, so it is invisible to `PartialEq` and `Debug`
/// users of [`State`].
///
/// A change keeps the last list computed (`before`): the next computation parses only the
/// actions whose record changed and clones the others (issue 11: a page's cost after a write
/// is what changed, not every action parsed again). "Unchanged" is pointer equality of the
/// shared record: `before` holds each source `Arc<Entry>`, so a write to that record after it
/// was read clones it (`Arc::make_mut`) and the pointer differs.
#[derive(Clone, Default)]
struct TypedCache {
    now: OnceLock<Arc<Typed>>,
    before: Option<Arc<Typed>>,
}

/// One computed list of typed actions, id order, with the record each was read from.
struct Typed {
    list: Arc<[(String, crate::records::Action)]>,
    from: Vec<Arc<Entry>>,
}

impl TypedCache {
    /// The cache of a state changed from (or filtered from) one holding `self`: empty, with the
    /// newest list computed so far to reuse.
    fn carried(&self) -> Self {
        Self { now: OnceLock::new(), before: self.now.get().or(self.before.as_ref()).cloned() }
    }
}

impl PartialEq for TypedCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for TypedCache {}

impl std::fmt::Debug for TypedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TypedCache({:?})", self.now.get().map(|t| t.list.len()))
    }
}

impl State {
    /// Parses and applies one event. Returns the ids of the records it touched.
    /// Applying an event twice changes nothing (invariant 5).
    ///
    /// # Errors
    /// As [`parse_event`]; on error the state is unchanged.
    pub fn apply(&mut self, meta: &Meta, kind: &str, body: &Value) -> Result<Vec<String>, DomainError> {
        let change = parse_event(kind, body)?;
        Ok(self.apply_change(meta, change))
    }

    /// Applies a parsed change. Infallible and order-insensitive for concurrent events.
    pub fn apply_change(&mut self, meta: &Meta, change: Change) -> Vec<String> {
        self.actions = self.actions.carried();
        let stamp = meta.stamp();
        match change {
            Change::Genesis(charter) => {
                self.charter = Some(*charter);
                vec![]
            }
            Change::Ledger => vec![],
            Change::Create { kind, set } => {
                let entry =
                    Arc::make_mut(self.records.entry(meta.id.clone()).or_insert_with(|| Arc::new(Entry::new(kind))));
                entry.created = Some((stamp.clone(), meta.clone()));
                Self::write(entry, &stamp, meta, set);
                vec![meta.id.clone()]
            }
            Change::Update { kind, record, set, parity } => {
                let entry =
                    Arc::make_mut(self.records.entry(record.clone()).or_insert_with(|| Arc::new(Entry::new(kind))));
                Self::write(entry, &stamp, meta, set);
                if !parity.is_empty() {
                    let value = serde_json::to_value(&parity).unwrap_or_default();
                    Self::add(entry, stamp, meta, crate::parity::TRANSLATIONS, value);
                }
                vec![record]
            }
            Change::Add { kind, record, set, value } => {
                let entry =
                    Arc::make_mut(self.records.entry(record.clone()).or_insert_with(|| Arc::new(Entry::new(kind))));
                Self::add(entry, stamp, meta, set, value);
                vec![record]
            }
        }
    }

    /// Adds an element to an add-only set, keyed by the event's stamp (so a duplicate event
    /// adds nothing), with the author's party, time, event id and member.
    fn add(entry: &mut Entry, stamp: Stamp, meta: &Meta, set: &str, mut value: Value) {
        if let Value::Object(m) = &mut value {
            m.insert("party".into(), Value::String(meta.party.clone()));
            m.insert("at".into(), Value::String(meta.at.clone()));
            m.insert("event".into(), Value::String(meta.id.clone()));
            if let Some(member) = &meta.member {
                m.insert("member".into(), Value::String(member.clone()));
            }
        }
        entry.sets.entry(set.to_string()).or_default().insert(stamp, value);
    }

    fn write(entry: &mut Entry, stamp: &Stamp, meta: &Meta, set: Map<String, Value>) {
        // `updated_at` is the author time of the newest write: an argmax, so order-insensitive.
        let newest = entry.fields.values().map(|(s, _)| s).max().cloned();
        for (k, v) in set {
            match entry.fields.get(&k) {
                Some((s, _)) if s >= stamp => {}
                _ => {
                    entry.fields.insert(k, (stamp.clone(), v));
                }
            }
        }
        if newest.as_ref().is_none_or(|n| n < stamp) {
            entry.updated_at = meta.at.clone();
        }
    }

    /// A copy of the state holding only the records `keep` accepts (and the charter). A read
    /// model built on it cannot show, count or link a record left out: this is how a node
    /// applies the marking rule once for a reader (DESIGN.md §6) before any page is built.
    #[must_use]
    pub fn retain(&self, keep: impl Fn(&str, &Entry) -> bool) -> State {
        State {
            charter: self.charter.clone(),
            records: self
                .records
                .iter()
                .filter(|(id, e)| keep(id, e))
                .map(|(id, e)| (id.clone(), Arc::clone(e)))
                .collect(),
            actions: self.actions.carried(),
        }
    }

    /// The fold as bytes, for a store's saved fold (issue 11 item 4: a store opens from
    /// it and folds only the events after it): JSON of the charter and of every record with
    /// its stamps, in id order — records known only by a revision included. Read back by
    /// [`State::from_saved`], equal.
    #[must_use]
    pub fn saved(&self) -> Vec<u8> {
        let records = self.records.iter().map(|(id, e)| SavedEntry::of(id, e)).collect();
        serde_json::to_vec(&SavedState { charter: self.charter.clone(), records }).unwrap_or_default()
    }

    /// The state [`State::saved`] wrote.
    ///
    /// # Errors
    /// The JSON error when `bytes` are not such a state (another format, damaged).
    pub fn from_saved(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let saved: SavedState = serde_json::from_slice(bytes)?;
        let records = saved.records.into_iter().map(SavedEntry::into_entry).collect();
        Ok(Self { charter: saved.charter, records, actions: TypedCache::default() })
    }

    /// The charter, once genesis was applied.
    #[must_use]
    pub fn charter(&self) -> Option<&Charter> {
        self.charter.as_ref()
    }

    /// The record with `id`, if it exists and was created.
    #[must_use]
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.records.get(id).map(Arc::as_ref).filter(|e| e.created.is_some())
    }

    /// Every created record, in id order.
    pub fn entries(&self) -> impl Iterator<Item = (&String, &Entry)> {
        self.records.iter().map(|(id, e)| (id, e.as_ref())).filter(|(_, e)| e.created.is_some())
    }

    /// [`State::entries`] with each record's shared value, for a cache of something derived
    /// from a record: a record unchanged since is the same `Arc` (`Arc::ptr_eq`) for as long as
    /// the cache holds it, because a write to a shared record copies it first.
    pub fn shared_entries(&self) -> impl Iterator<Item = (&String, &Arc<Entry>)> {
        self.records.iter().filter(|(_, e)| e.created.is_some())
    }

    /// Every action read as its type, with its id, in id order — [`State::all`] of
    /// `RecordKind::Action`, computed once per state value and shared: a snapshot is immutable,
    /// so every page and API answer at one store generation reads the same list without parsing
    /// a record again. A change to the state drops it, keeping it for the next computation to
    /// clone the actions whose record did not change ([`State::reuse_parsed`]).
    #[must_use]
    pub fn actions(&self) -> Arc<[(String, crate::records::Action)]> {
        Arc::clone(&self.actions.now.get_or_init(|| Arc::new(self.typed_actions())).list)
    }

    /// Whether [`State::actions`] was computed for this state value.
    #[must_use]
    pub fn actions_parsed(&self) -> bool {
        self.actions.now.get().is_some()
    }

    /// Lets [`State::actions`] reuse the actions `earlier` parsed (any earlier state: the
    /// snapshot a store published before this one, a reader class's previous snapshot) for
    /// every record this state shares with it unchanged. Nothing when this state's actions are
    /// already computed or `earlier` computed none.
    pub fn reuse_parsed(&mut self, earlier: &State) {
        if self.actions.now.get().is_none()
            && let Some(typed) = earlier.actions.now.get().or(earlier.actions.before.as_ref())
        {
            self.actions.before = Some(Arc::clone(typed));
        }
    }

    /// [`State::actions`] computed: each action read from its record, or cloned from the list
    /// computed before a change when its record is the same shared value (see [`TypedCache`]).
    fn typed_actions(&self) -> Typed {
        let before = self.actions.before.as_deref();
        let mut reuse = before.map(|b| b.list.iter().zip(&b.from).peekable());
        let (mut list, mut from) = (Vec::new(), Vec::new());
        for (id, e) in self.records.iter().filter(|(_, e)| e.kind == RecordKind::Action && e.created.is_some()) {
            // Both lists are in id order: walk the earlier one alongside.
            let same = reuse.as_mut().and_then(|r| {
                while r.next_if(|((bid, _), _)| bid < id).is_some() {}
                r.next_if(|((bid, _), src)| bid == id && Arc::ptr_eq(src, e)).map(|((_, a), _)| a.clone())
            });
            let action = match same {
                Some(a) => a,
                None => match serde_json::from_value(Value::Object(e.content())) {
                    Ok(a) => a,
                    Err(_) => continue,
                },
            };
            list.push((id.clone(), action));
            from.push(Arc::clone(e));
        }
        Typed { list: list.into(), from }
    }

    /// The record `id` of `kind`.
    ///
    /// # Errors
    /// [`DomainError::UnknownRecord`] when there is none of that kind.
    pub fn require(&self, kind: RecordKind, id: &str) -> Result<&Entry, DomainError> {
        self.entry(id)
            .filter(|e| e.kind == kind)
            .ok_or_else(|| DomainError::UnknownRecord { kind: kind.code().into(), id: id.into() })
    }

    /// Every created record that cannot be read back as its type, with its kind and why, in id
    /// order. [`State::get`] and [`State::all`] cannot show such a record, so it is an error
    /// of the record, never a silent omission: `Store::verify` fails naming it. The store
    /// refuses every event that would make one ([`Change::check_against`]), so a store written
    /// by this version holds none.
    #[must_use]
    pub fn unreadable(&self) -> Vec<(String, RecordKind, String)> {
        self.entries()
            .filter_map(|(id, e)| {
                let content = Value::Object(e.content());
                let read = with_record_type!(e.kind, T => serde_json::from_value::<T>(content).map(|_| ()));
                read.err().map(|why| (id.clone(), e.kind, why.to_string()))
            })
            .collect()
    }

    /// The record `id` read as `T`; `None` when there is none of that kind, or when it cannot
    /// be read (listed by [`State::unreadable`]).
    #[must_use]
    pub fn get<T: DeserializeOwned>(&self, kind: RecordKind, id: &str) -> Option<T> {
        let e = self.require(kind, id).ok()?;
        serde_json::from_value(Value::Object(e.content())).ok()
    }

    /// Every record of `kind` read as `T`, with its id. A record that cannot be read is left
    /// out here and listed by [`State::unreadable`] (which `Store::verify` reports).
    #[must_use]
    pub fn all<T: DeserializeOwned>(&self, kind: RecordKind) -> Vec<(String, T)> {
        self.entries()
            .filter(|(_, e)| e.kind == kind)
            .filter_map(|(id, e)| serde_json::from_value(Value::Object(e.content())).ok().map(|t| (id.clone(), t)))
            .collect()
    }

    /// Checks that `party` is one of the committee's parties.
    ///
    /// # Errors
    /// [`DomainError::NoCommittee`] before genesis, [`DomainError::UnknownParty`].
    pub fn require_party(&self, party: &PartyCode) -> Result<(), DomainError> {
        let charter = self.charter.as_ref().ok_or(DomainError::NoCommittee)?;
        if charter.parties.iter().any(|p| &p.code == party) {
            Ok(())
        } else {
            Err(DomainError::UnknownParty { code: party.to_string() })
        }
    }
}

/// Who endorsed the current version of a decision or roadmap, and whether it is adopted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Adoption {
    /// Current version (event id of the newest content write).
    pub version: String,
    /// Parties whose co-chair endorsed that version, sorted.
    pub endorsed_by: Vec<String>,
    /// Parties still to endorse it, sorted.
    pub awaiting: Vec<String>,
    /// True when both parties endorsed that version (DESIGN.md §4 invariant 7).
    pub adopted: bool,
}

/// Computes the adoption of a record from its projection document and the committee's parties.
#[must_use]
pub fn adoption(doc: &Value, parties: &[String]) -> Adoption {
    let version = doc.pointer("/_meta/version").and_then(Value::as_str).unwrap_or_default().to_string();
    let mut endorsed_by: Vec<String> = doc
        .get("endorsements")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|e| e.get("version").and_then(Value::as_str) == Some(version.as_str()))
                .filter_map(|e| e.get("party").and_then(Value::as_str).map(String::from))
                .collect()
        })
        .unwrap_or_default();
    endorsed_by.sort();
    endorsed_by.dedup();
    let awaiting: Vec<String> = parties.iter().filter(|p| !endorsed_by.contains(p)).cloned().collect();
    Adoption { adopted: awaiting.is_empty() && !parties.is_empty(), version, endorsed_by, awaiting }
}
