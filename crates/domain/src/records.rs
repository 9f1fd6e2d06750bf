//! The committee's records (DESIGN.md §2 glossary), as they are created by commands and read
//! back from projections. Each record is a flat JSON object whose top-level fields are
//! last-writer-wins registers; sets (endorsements, evidence) are add-only.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::marking::Marking;
use crate::state::State;
use crate::text::{LONG_TEXT_MAX, Lang, LocalizedText, SHORT_TEXT_MAX, check_length, is_blank};
use crate::values::{
    ActionStatus, Category, MemberRole, NeedStatus, OfferStatus, PartyCode, Priority, Progress, check_zone,
};

/// The kinds of records, with the code used in event kinds and projections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A person acting for a party.
    Member,
    /// A cooperation area.
    Area,
    /// A delegation visit.
    Mission,
    /// A formal meeting of the committee.
    Session,
    /// Something the committee adopted.
    Decision,
    /// A public statement by one party.
    Communique,
    /// A press article archived as published.
    Press,
    /// A set of actions for a period.
    Roadmap,
    /// An owned, dated step.
    Action,
    /// What a party asks for.
    Need,
    /// What a party proposes.
    Offer,
    /// A training programme.
    Training,
    /// An internal note of one party: lives in that party's private log, never shared.
    Note,
    /// An archived document (attachment) with a marking; private when releasable to one party.
    Document,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [RecordKind; 14] = [
        RecordKind::Member,
        RecordKind::Area,
        RecordKind::Mission,
        RecordKind::Session,
        RecordKind::Decision,
        RecordKind::Communique,
        RecordKind::Press,
        RecordKind::Roadmap,
        RecordKind::Action,
        RecordKind::Need,
        RecordKind::Offer,
        RecordKind::Training,
        RecordKind::Note,
        RecordKind::Document,
    ];

    /// Code used as event-kind prefix and projection key.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Member => "member",
            RecordKind::Area => "area",
            RecordKind::Mission => "mission",
            RecordKind::Session => "session",
            RecordKind::Decision => "decision",
            RecordKind::Communique => "communique",
            RecordKind::Press => "press",
            RecordKind::Roadmap => "roadmap",
            RecordKind::Action => "action",
            RecordKind::Need => "need",
            RecordKind::Offer => "offer",
            RecordKind::Training => "training",
            RecordKind::Note => "note",
            RecordKind::Document => "document",
        }
    }

    /// Parses a code.
    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Past-tense event kind that creates a record of this kind.
    #[must_use]
    pub fn created_kind(self) -> &'static str {
        match self {
            RecordKind::Member => "member.registered",
            RecordKind::Area => "area.defined",
            RecordKind::Mission => "mission.scheduled",
            RecordKind::Session => "session.convened",
            RecordKind::Decision => "decision.recorded",
            RecordKind::Communique => "communique.issued",
            RecordKind::Press => "press.archived",
            RecordKind::Roadmap => "roadmap.drafted",
            RecordKind::Action => "action.planned",
            RecordKind::Need => "need.registered",
            RecordKind::Offer => "offer.made",
            RecordKind::Training => "training.scheduled",
            RecordKind::Note => "note.recorded",
            RecordKind::Document => "document.registered",
        }
    }

    /// Whether records of this kind belong to one party's private log (DESIGN.md §4 inv. 9):
    /// never in the shared record, never offered to the peer, not in the shared state hash.
    /// Documents are private or shared per record (by their releasability): see
    /// [`crate::state::Entry::is_private`].
    #[must_use]
    pub fn is_private(self) -> bool {
        self == RecordKind::Note
    }

    /// Whether records of this kind carry a [`Marking`] (documents): pages, API and exports show
    /// them only to users the marking allows.
    #[must_use]
    pub fn is_marked(self) -> bool {
        self == RecordKind::Document
    }
}

/// Runs `$body` with `$T` naming the record type of `$kind` (a [`RecordKind`]): the one place
/// where a kind is mapped to its Rust type. Creation bodies ([`crate::state::parse_event`]),
/// revisions (`decide`), received revisions ([`crate::Change::check_against`]) and the read-back
/// check ([`crate::State::unreadable`]) all dispatch through it.
///
/// ```text
/// with_record_type!(kind, T => serde_json::from_value::<T>(value).map(|_| ()))
/// ```
macro_rules! with_record_type {
    ($kind:expr, $T:ident => $body:expr) => {{
        use $crate::records::RecordKind as K;
        match $kind {
            K::Member => {
                type $T = $crate::records::Member;
                $body
            }
            K::Area => {
                type $T = $crate::records::Area;
                $body
            }
            K::Mission => {
                type $T = $crate::records::Mission;
                $body
            }
            K::Session => {
                type $T = $crate::records::Session;
                $body
            }
            K::Decision => {
                type $T = $crate::records::Decision;
                $body
            }
            K::Communique => {
                type $T = $crate::records::Communique;
                $body
            }
            K::Press => {
                type $T = $crate::records::PressDocument;
                $body
            }
            K::Roadmap => {
                type $T = $crate::records::Roadmap;
                $body
            }
            K::Action => {
                type $T = $crate::records::Action;
                $body
            }
            K::Need => {
                type $T = $crate::records::Need;
                $body
            }
            K::Offer => {
                type $T = $crate::records::Offer;
                $body
            }
            K::Training => {
                type $T = $crate::records::Training;
                $body
            }
            K::Note => {
                type $T = $crate::records::Note;
                $body
            }
            K::Document => {
                type $T = $crate::records::Document;
                $body
            }
        }
    }};
}
pub(crate) use with_record_type;

/// A field of a record that names another record: the field (dotted for nested values, e.g.
/// `working_groups.areas`), the kinds it may name, and the id it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference<'a> {
    /// Field name; its first segment is the record's top-level field.
    pub field: &'static str,
    /// Kinds the id may name.
    pub kinds: &'static [RecordKind],
    /// The id held.
    pub id: &'a str,
}

/// Every kind but the private ones: what a note may be about.
const SHARED_KINDS: &[RecordKind] = &[
    RecordKind::Member,
    RecordKind::Area,
    RecordKind::Mission,
    RecordKind::Session,
    RecordKind::Decision,
    RecordKind::Communique,
    RecordKind::Press,
    RecordKind::Roadmap,
    RecordKind::Action,
    RecordKind::Need,
    RecordKind::Offer,
    RecordKind::Training,
    RecordKind::Document,
];

impl Reference<'_> {
    /// The record's top-level field that holds the reference.
    #[must_use]
    pub fn top_field(&self) -> &'static str {
        self.field.split('.').next().unwrap_or(self.field)
    }

    /// Checks that the id names a created record of one of the kinds. Records are never
    /// deleted and never change kind, so once this holds it holds for ever (on every node).
    ///
    /// # Errors
    /// [`DomainError::UnknownRecord`] naming the kind(s) expected.
    pub fn check(&self, state: &State) -> Result<(), DomainError> {
        if state.entry(self.id).is_some_and(|e| self.kinds.contains(&e.kind)) {
            return Ok(());
        }
        let kind = if self.kinds == SHARED_KINDS {
            "record".to_string()
        } else {
            self.kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join("|")
        };
        Err(DomainError::UnknownRecord { kind, id: self.id.into() })
    }
}

/// Collects references: `one` for a required id, `opt` for an optional one, `many` for a list.
#[derive(Default)]
struct Refs<'a>(Vec<Reference<'a>>);

impl<'a> Refs<'a> {
    fn one(mut self, field: &'static str, kinds: &'static [RecordKind], id: &'a str) -> Self {
        self.0.push(Reference { field, kinds, id });
        self
    }
    fn opt(self, field: &'static str, kinds: &'static [RecordKind], id: Option<&'a String>) -> Self {
        self.many(field, kinds, id)
    }
    fn many(
        mut self,
        field: &'static str,
        kinds: &'static [RecordKind],
        ids: impl IntoIterator<Item = &'a String>,
    ) -> Self {
        self.0.extend(ids.into_iter().map(|id| Reference { field, kinds, id }));
        self
    }
}

/// Media types a document may have (checked from the file's bytes by the node, issue 6).
pub const DOCUMENT_MEDIA_TYPES: [&str; 6] = [
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "image/png",
    "image/jpeg",
    "text/plain",
];

/// An archived document: an attachment stored content-addressed (BLAKE3) in the node's blob
/// directory, described by this record. A document releasable to one party lives in that
/// party's private log (DESIGN.md §6); its releasability cannot change after registration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Title, per language.
    pub title: LocalizedText,
    /// Language of the document's text.
    pub language: Lang,
    /// Date of the document (as written on it), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Classification and releasability.
    pub marking: Marking,
    /// BLAKE3 of the file's bytes, 64 lowercase hex digits: the blob's name.
    pub blake3: String,
    /// Media type checked from the bytes, one of [`DOCUMENT_MEDIA_TYPES`].
    pub media_type: String,
    /// Size of the file, bytes (1 to 2^53).
    pub size: i64,
    /// File name as uploaded (shown and used for downloads).
    pub file_name: String,
    /// Records it belongs to: ids of missions, sessions, decisions or actions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Example data, not a fact of the record.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// An internal note of one party (internal assessments, names of trainees, …). Private: it is
/// kept in that party's private log and shown only to that party's users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The party whose note it is.
    pub party: PartyCode,
    /// Title.
    pub title: LocalizedText,
    /// Text.
    pub text: LocalizedText,
    /// Shared record it is about (any kind), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A tz-database-zoned place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    /// Name of the place (e.g. "Ministry of Defence").
    pub name: LocalizedText,
    /// City.
    pub city: LocalizedText,
    /// tz database zone name, e.g. `Africa/Bamako`.
    pub zone: String,
}

impl Venue {
    fn validate(&self) -> Result<(), DomainError> {
        self.name.check_length("venue.name", SHORT_TEXT_MAX)?;
        self.city.check_short("venue.city")?;
        check_zone(&self.zone)
    }
}

/// A member of the committee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Party the member acts for.
    pub party: PartyCode,
    /// Role.
    pub role: MemberRole,
    /// Full name.
    pub name: LocalizedText,
    /// Rank or title, e.g. Brigadier General.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<LocalizedText>,
    /// Example data, not a fact of the record.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A cooperation area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// Short stable code, lowercase ASCII, e.g. `training`.
    pub code: String,
    /// Title.
    pub title: LocalizedText,
    /// Display order, ascending.
    pub ordinal: i64,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// One item of a mission's programme, in the venue's local time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeItem {
    /// Local date.
    pub date: Date,
    /// Local start time (venue zone), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    /// Local end time, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    /// What happens.
    pub title: LocalizedText,
    /// Where, if not the mission's venue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<LocalizedText>,
    /// Example data (a real mission may carry an illustrative item).
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A delegation visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mission {
    /// Title.
    pub title: LocalizedText,
    /// Visiting party.
    pub visiting: PartyCode,
    /// Host party.
    pub host: PartyCode,
    /// Venue.
    pub venue: Venue,
    /// First day, venue-local.
    pub start: Date,
    /// Last day (inclusive), venue-local.
    pub end: Date,
    /// Head of delegation (member id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// Purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<LocalizedText>,
    /// Programme, in local time.
    #[serde(default)]
    pub programme: Vec<ProgrammeItem>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A working group or sub-commission of a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingGroup {
    /// Title.
    pub title: LocalizedText,
    /// Areas it covers (area ids).
    #[serde(default)]
    pub areas: Vec<String>,
}

/// A formal meeting of the committee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Ordinal number (1 for the first session).
    pub number: i64,
    /// Title.
    pub title: LocalizedText,
    /// Host party.
    pub host: PartyCode,
    /// Venue.
    pub venue: Venue,
    /// First day, venue-local.
    pub start: Date,
    /// Last day (inclusive).
    pub end: Date,
    /// Venue-local time the opening sitting starts, on `start` (case C04: the instant is
    /// derived from it and the venue's tz-database zone, never from the author's zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<Time>,
    /// Agenda items, in order.
    #[serde(default)]
    pub agenda: Vec<LocalizedText>,
    /// Minutes (procès-verbal), per language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<LocalizedText>,
    /// Expected outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_outcome: Option<LocalizedText>,
    /// Working groups when the session splits.
    #[serde(default)]
    pub working_groups: Vec<WorkingGroup>,
    /// Mission during which it met (mission id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<String>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A decision; adopted only when both parties' co-chairs endorsed the same version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Session that took it (session id).
    pub session: String,
    /// Area concerned (area id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Text.
    pub text: LocalizedText,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A statement quoted in a communiqué.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Speaker (member id), when a member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// The words, as quoted.
    pub text: LocalizedText,
}

/// A public statement issued by one party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Communique {
    /// Issuing party.
    pub party: PartyCode,
    /// Issuer, e.g. Malian Armed Forces.
    pub issuer: LocalizedText,
    /// Date issued, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Title.
    pub title: LocalizedText,
    /// Summary or text.
    pub text: LocalizedText,
    /// Quoted statements.
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Mission it reports on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<String>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A press article, archived with its exact text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PressDocument {
    /// Publisher, as named.
    pub publisher: LocalizedText,
    /// Language of the text.
    pub language: Lang,
    /// Headline, as published.
    pub title: String,
    /// The full text, byte for byte as published (UTF-8).
    pub text: String,
    /// BLAKE3 of `text`'s UTF-8 bytes, hex, computed by the archiving node.
    pub text_blake3: String,
    /// Mission it reports on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<String>,
    /// Communiqué it quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communique: Option<String>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A roadmap: adopted only when both co-chairs endorsed the same version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roadmap {
    /// Title.
    pub title: LocalizedText,
    /// Session that drafted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Period start.
    pub start: Date,
    /// Period end.
    pub end: Date,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A measurable target of an action; integers in the indicator's unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Unit, e.g. "officers trained".
    pub unit: LocalizedText,
    /// Value at the start.
    pub baseline: i64,
    /// Value aimed at.
    pub target: i64,
    /// Value now.
    pub current: i64,
}

/// A concrete, owned, dated step of a roadmap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Roadmap (roadmap id).
    pub roadmap: String,
    /// Cooperation area (area id).
    pub area: String,
    /// Title.
    pub title: LocalizedText,
    /// Owner party.
    pub owner: PartyCode,
    /// Owning unit: an institution (school, directorate) that need not have an account.
    pub unit: LocalizedText,
    /// Lead member (member id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Start date.
    pub start: Date,
    /// Due date.
    pub due: Date,
    /// Status.
    pub status: ActionStatus,
    /// Progress, percent.
    pub progress: Progress,
    /// Weight in its area's progress (1 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// Indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<Indicator>,
    /// The decision it carries out (decision id), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// Why it is delayed, blocked or cancelled: stated when the status enters one of those
    /// ([`crate::values::ActionStatus::needs_reason`]), per language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<LocalizedText>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// What a party asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    /// Requesting party.
    pub party: PartyCode,
    /// Category.
    pub category: Category,
    /// Title.
    pub title: LocalizedText,
    /// Quantity (integer, in `unit`).
    pub quantity: i64,
    /// Unit, e.g. "training seats".
    pub unit: LocalizedText,
    /// Priority.
    pub priority: Priority,
    /// Status.
    pub status: NeedStatus,
    /// Area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The action that fulfils it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// What a party proposes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Offering party.
    pub party: PartyCode,
    /// Category.
    pub category: Category,
    /// Title.
    pub title: LocalizedText,
    /// Quantity.
    pub quantity: i64,
    /// Unit.
    pub unit: LocalizedText,
    /// Status.
    pub status: OfferStatus,
    /// The need it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A training programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    /// Host party.
    pub host: PartyCode,
    /// Host institution.
    pub institution: LocalizedText,
    /// Course.
    pub course: LocalizedText,
    /// Area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Seats offered.
    pub seats_offered: i64,
    /// Seats filled.
    pub seats_filled: i64,
    /// Start date.
    pub start: Date,
    /// End date.
    pub end: Date,
    /// Action it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

fn dates(field: &str, start: Date, end: Date) -> Result<(), DomainError> {
    if end < start {
        Err(DomainError::EndBeforeStart { field: field.into(), start: start.to_string(), end: end.to_string() })
    } else {
        Ok(())
    }
}

fn range(field: &str, value: i64, min: i64, max: i64) -> Result<(), DomainError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(DomainError::OutOfRange { field: field.into(), value, min, max })
    }
}

/// Quantities are bounded so they stay exact in JSON (±2^53) with a wide margin.
const MAX_QUANTITY: i64 = 1_000_000_000;

/// Rules every record must satisfy against the current state before it is written.
pub trait Validate {
    /// The record's kind.
    const KIND: RecordKind;
    /// Checks the record against the state.
    ///
    /// # Errors
    /// The first rule broken, as a [`DomainError`] with its message key.
    fn validate(&self, state: &State) -> Result<(), DomainError>;
    /// Every field that names another record, with the kinds it may name: the one declaration
    /// of the record's references, checked by `validate` and, for records and revisions
    /// received from peers, by [`crate::Change::check_against`].
    fn references(&self) -> Vec<Reference<'_>>;
}

/// Checks every reference of `record` ([`Validate::references`]).
///
/// # Errors
/// [`DomainError::UnknownRecord`] for the first that names no record of its kinds.
pub fn check_references<T: Validate + ?Sized>(record: &T, state: &State) -> Result<(), DomainError> {
    record.references().iter().try_for_each(|r| r.check(state))
}

impl Validate for Member {
    const KIND: RecordKind = RecordKind::Member;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        if let Some(rank) = &self.rank {
            rank.check_length("rank", SHORT_TEXT_MAX)?;
        }
        self.name.check_short("name")
    }
    fn references(&self) -> Vec<Reference<'_>> {
        vec![]
    }
}

impl Validate for Area {
    const KIND: RecordKind = RecordKind::Area;
    fn validate(&self, _state: &State) -> Result<(), DomainError> {
        if self.code.is_empty()
            || self.code.len() > 32
            || !self.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(DomainError::InvalidValue { field: "code".into(), value: self.code.clone() });
        }
        range("ordinal", self.ordinal, 0, 999)?;
        self.title.check_short("title")
    }
    fn references(&self) -> Vec<Reference<'_>> {
        vec![]
    }
}

impl Validate for Mission {
    const KIND: RecordKind = RecordKind::Mission;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        self.title.check_short("title")?;
        if let Some(purpose) = &self.purpose {
            purpose.check_length("purpose", LONG_TEXT_MAX)?;
        }
        state.require_party(&self.visiting)?;
        state.require_party(&self.host)?;
        if self.visiting == self.host {
            return Err(DomainError::InvalidValue { field: "host".into(), value: self.host.to_string() });
        }
        self.venue.validate()?;
        dates("end", self.start, self.end)?;
        check_references(self, state)?;
        for item in &self.programme {
            item.title.check_short("programme.title")?;
            if let Some(place) = &item.place {
                place.check_length("programme.place", SHORT_TEXT_MAX)?;
            }
            if item.date < self.start || item.date > self.end {
                return Err(DomainError::OutsideDates {
                    date: item.date.to_string(),
                    start: self.start.to_string(),
                    end: self.end.to_string(),
                });
            }
            if let (Some(start), Some(end)) = (item.start, item.end)
                && end < start
            {
                return Err(DomainError::EndBeforeStart {
                    field: "programme.end".into(),
                    start: start.to_string(),
                    end: end.to_string(),
                });
            }
        }
        Ok(())
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default().opt("head", &[RecordKind::Member], self.head.as_ref()).0
    }
}

impl Validate for Session {
    const KIND: RecordKind = RecordKind::Session;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        range("number", self.number, 1, 10_000)?;
        self.title.check_short("title")?;
        state.require_party(&self.host)?;
        self.venue.validate()?;
        dates("end", self.start, self.end)?;
        for a in &self.agenda {
            a.check_short("agenda")?;
        }
        if let Some(minutes) = &self.minutes {
            minutes.check_length("minutes", LONG_TEXT_MAX)?;
        }
        if let Some(outcome) = &self.expected_outcome {
            outcome.check_length("expected_outcome", LONG_TEXT_MAX)?;
        }
        for g in &self.working_groups {
            g.title.check_short("working_groups.title")?;
        }
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default()
            .many("working_groups.areas", &[RecordKind::Area], self.working_groups.iter().flat_map(|g| &g.areas))
            .opt("mission", &[RecordKind::Mission], self.mission.as_ref())
            .0
    }
}

impl Validate for Decision {
    const KIND: RecordKind = RecordKind::Decision;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        check_references(self, state)?;
        self.text.check_long("text")
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default()
            .one("session", &[RecordKind::Session], &self.session)
            .opt("area", &[RecordKind::Area], self.area.as_ref())
            .0
    }
}

impl Validate for Communique {
    const KIND: RecordKind = RecordKind::Communique;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        self.issuer.check_short("issuer")?;
        self.title.check_short("title")?;
        self.text.check_long("text")?;
        for q in &self.quotes {
            q.text.check_long("quotes.text")?;
        }
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default()
            .many("quotes.speaker", &[RecordKind::Member], self.quotes.iter().filter_map(|q| q.speaker.as_ref()))
            .opt("mission", &[RecordKind::Mission], self.mission.as_ref())
            .0
    }
}

impl Validate for PressDocument {
    const KIND: RecordKind = RecordKind::Press;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        self.publisher.check_short("publisher")?;
        if is_blank(&self.title) {
            return Err(DomainError::EmptyText { field: "title".into() });
        }
        check_length("title", &self.title, SHORT_TEXT_MAX)?;
        // The text is archived byte for byte (its hash is over those bytes): not cleaned, and
        // only refused when white space alone.
        if self.text.trim().is_empty() {
            return Err(DomainError::EmptyText { field: "text".into() });
        }
        if self.text_blake3.len() != 64 || !self.text_blake3.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(DomainError::InvalidValue { field: "text_blake3".into(), value: self.text_blake3.clone() });
        }
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default()
            .opt("mission", &[RecordKind::Mission], self.mission.as_ref())
            .opt("communique", &[RecordKind::Communique], self.communique.as_ref())
            .0
    }
}

impl Validate for Roadmap {
    const KIND: RecordKind = RecordKind::Roadmap;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        self.title.check_short("title")?;
        dates("end", self.start, self.end)?;
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default().opt("session", &[RecordKind::Session], self.session.as_ref()).0
    }
}

impl Validate for Action {
    const KIND: RecordKind = RecordKind::Action;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        self.title.check_short("title")?;
        check_references(self, state)?;
        state.require_party(&self.owner)?;
        self.unit.check_short("unit")?;
        dates("due", self.start, self.due)?;
        if let Some(w) = self.weight {
            range("weight", w, 1, 100)?;
        }
        if let Some(i) = &self.indicator {
            i.unit.check_short("indicator.unit")?;
            range("indicator.baseline", i.baseline, -MAX_QUANTITY, MAX_QUANTITY)?;
            range("indicator.target", i.target, -MAX_QUANTITY, MAX_QUANTITY)?;
            range("indicator.current", i.current, -MAX_QUANTITY, MAX_QUANTITY)?;
        }
        if self.status == ActionStatus::Done && self.progress.percent() != 100 {
            return Err(DomainError::InvalidValue {
                field: "progress".into(),
                value: format!("{} with status done", self.progress.percent()),
            });
        }
        if let Some(reason) = &self.reason {
            reason.check_length("reason", LONG_TEXT_MAX)?;
        }
        // Dates inside the roadmap's period (DESIGN.md §8): checked by `decide` only, never on
        // receipt (a cross-record rule could diverge nodes on concurrent edits).
        if let Some(r) = state.get::<Roadmap>(RecordKind::Roadmap, &self.roadmap)
            && (self.start < r.start || self.due > r.end)
        {
            return Err(DomainError::OutsideRoadmap {
                start: self.start.to_string(),
                end: self.due.to_string(),
                roadmap_start: r.start.to_string(),
                roadmap_end: r.end.to_string(),
            });
        }
        Ok(())
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default()
            .one("roadmap", &[RecordKind::Roadmap], &self.roadmap)
            .one("area", &[RecordKind::Area], &self.area)
            .opt("lead", &[RecordKind::Member], self.lead.as_ref())
            .opt("decision", &[RecordKind::Decision], self.decision.as_ref())
            .0
    }
}

impl Validate for Need {
    const KIND: RecordKind = RecordKind::Need;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        self.title.check_short("title")?;
        self.unit.check_short("unit")?;
        range("quantity", self.quantity, 1, MAX_QUANTITY)?;
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default()
            .opt("area", &[RecordKind::Area], self.area.as_ref())
            .opt("action", &[RecordKind::Action], self.action.as_ref())
            .0
    }
}

impl Validate for Offer {
    const KIND: RecordKind = RecordKind::Offer;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        self.title.check_short("title")?;
        self.unit.check_short("unit")?;
        range("quantity", self.quantity, 1, MAX_QUANTITY)?;
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default().opt("need", &[RecordKind::Need], self.need.as_ref()).0
    }
}

impl Validate for Training {
    const KIND: RecordKind = RecordKind::Training;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.host)?;
        self.institution.check_short("institution")?;
        self.course.check_short("course")?;
        range("seats_offered", self.seats_offered, 1, 100_000)?;
        range("seats_filled", self.seats_filled, 0, self.seats_offered)?;
        dates("end", self.start, self.end)?;
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default()
            .opt("area", &[RecordKind::Area], self.area.as_ref())
            .opt("action", &[RecordKind::Action], self.action.as_ref())
            .0
    }
}

impl Validate for Note {
    const KIND: RecordKind = RecordKind::Note;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        self.title.check_short("title")?;
        self.text.check_long("text")?;
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        Refs::default().opt("about", SHARED_KINDS, self.about.as_ref()).0
    }
}

impl Validate for Document {
    const KIND: RecordKind = RecordKind::Document;
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        self.title.check_short("title")?;
        if let Some(p) = self.marking.releasable_to.only() {
            state.require_party(p)?;
        }
        if self.blake3.len() != 64 || !self.blake3.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(DomainError::InvalidValue { field: "blake3".into(), value: self.blake3.clone() });
        }
        if !DOCUMENT_MEDIA_TYPES.contains(&self.media_type.as_str()) {
            return Err(DomainError::InvalidValue { field: "media_type".into(), value: self.media_type.clone() });
        }
        range("size", self.size, 1, 1 << 53)?;
        let name = self.file_name.trim();
        if name.is_empty() || name.len() > 255 || name.contains(['/', '\\', '\0']) {
            return Err(DomainError::InvalidValue { field: "file_name".into(), value: self.file_name.clone() });
        }
        check_references(self, state)
    }
    fn references(&self) -> Vec<Reference<'_>> {
        const LINKABLE: &[RecordKind] =
            &[RecordKind::Mission, RecordKind::Session, RecordKind::Decision, RecordKind::Action];
        Refs::default().many("links", LINKABLE, &self.links).0
    }
}

impl Session {
    /// The UTC instant the opening sitting starts: `start` at `opens_at` in the venue's zone,
    /// per the bundled tz database (e.g. 2025-11-18 10:00 Africa/Casablanca → 09:00Z).
    #[must_use]
    pub fn opening_instant(&self) -> Option<jiff::Timestamp> {
        let time = self.opens_at?;
        let zone = crate::tzdb().get(&self.venue.zone).ok()?;
        self.start.to_datetime(time).to_zoned_datetime(zone).ok().map(|z| z.timestamp())
    }
}

#[cfg(test)]
mod kinds_tests {
    use super::*;

    /// `SHARED_KINDS` is a second list of the kinds (a const slice cannot be filtered from
    /// `RecordKind::ALL`): a kind added to one and not the other fails here.
    #[test]
    fn the_shared_kinds_are_every_kind_but_the_private_ones() {
        let expected: Vec<RecordKind> = RecordKind::ALL.into_iter().filter(|k| !k.is_private()).collect();
        assert_eq!(SHARED_KINDS, expected.as_slice());
    }
}
