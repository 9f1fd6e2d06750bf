//! The committee's records (DESIGN.md §2 glossary), as they are created by commands and read
//! back from projections. Each record is a flat JSON object whose top-level fields are
//! last-writer-wins registers; sets (endorsements, evidence) are add-only.

use jiff::civil::{Date, Time};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::DomainError;
use crate::command::Command;
use crate::fields::{Field, ILLUSTRATIVE, Preset};
use crate::marking::Marking;
use crate::state::State;
use crate::text::{LONG_TEXT_MAX, Lang, LocalizedText, SHORT_TEXT_MAX, check_length, is_blank};
use crate::values::{
    ActionStatus, Category, MemberRole, NeedStatus, OfferStatus, PartyCode, Priority, Progress, check_zone,
};

/// Declares the record kinds from one table — each kind's variant, Rust type, code (event-kind
/// prefix and projection key) and creating event kind — and derives from it [`RecordKind`],
/// `ALL`, `code`, `created_kind` and `with_record_type!`. (`$d` is a `$`, so that the derived
/// macro can have metavariables of its own.)
macro_rules! record_kinds {
    ($d:tt $( $(#[$doc:meta])* $kind:ident($T:ident) = $code:literal, $created:literal; )+) => {
        /// The kinds of records, with the code used in event kinds and projections.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum RecordKind {
            $( $(#[$doc])* #[serde(rename = $code)] $kind, )+
        }

        impl RecordKind {
            /// Every kind.
            pub const ALL: [RecordKind; [$($code),+].len()] = [$(RecordKind::$kind),+];

            /// Code used as event-kind prefix and projection key.
            #[must_use]
            pub fn code(self) -> &'static str {
                match self {
                    $(RecordKind::$kind => $code,)+
                }
            }

            /// Past-tense event kind that creates a record of this kind.
            #[must_use]
            pub fn created_kind(self) -> &'static str {
                match self {
                    $(RecordKind::$kind => $created,)+
                }
            }
        }

        /// Runs `$body` with `$T` naming the record type of `$kind` (a [`RecordKind`]): the one
        /// place where a kind is mapped to its Rust type. Creation bodies
        /// ([`crate::state::parse_event`]), revisions (`decide`), received revisions
        /// ([`crate::Change::check_against`]), the read-back check ([`crate::State::unreadable`])
        /// and each kind's field table ([`RecordKind::fields`]) all dispatch through it.
        ///
        /// ```text
        /// with_record_type!(kind, T => serde_json::from_value::<T>(value).map(|_| ()))
        /// ```
        macro_rules! with_record_type {
            ($d kind_value:expr, $d Type:ident => $d body:expr) => {{
                use $d crate::records::RecordKind as K;
                match $d kind_value {
                    $( K::$kind => {
                        type $d Type = $d crate::records::$T;
                        $d body
                    } )+
                }
            }};
        }
        pub(crate) use with_record_type;
    };
}

record_kinds!($
    /// A person acting for a party.
    Member(Member) = "member", "member.registered";
    /// A cooperation area.
    Area(Area) = "area", "area.defined";
    /// A delegation visit.
    Mission(Mission) = "mission", "mission.scheduled";
    /// A formal meeting of the committee.
    Session(Session) = "session", "session.convened";
    /// Something the committee adopted.
    Decision(Decision) = "decision", "decision.recorded";
    /// A public statement by one party.
    Communique(Communique) = "communique", "communique.issued";
    /// A press article archived as published.
    Press(PressDocument) = "press", "press.archived";
    /// A set of actions for a period.
    Roadmap(Roadmap) = "roadmap", "roadmap.drafted";
    /// An owned, dated step.
    Action(Action) = "action", "action.planned";
    /// What a party asks for.
    Need(Need) = "need", "need.registered";
    /// What a party proposes.
    Offer(Offer) = "offer", "offer.made";
    /// A training programme.
    Training(Training) = "training", "training.scheduled";
    /// An internal note of one party: lives in that party's private log, never shared.
    Note(Note) = "note", "note.recorded";
    /// An archived document (attachment) with a marking; private when releasable to one party.
    Document(Document) = "document", "document.registered";
    /// What a party commits in money or in kind, with its deliveries (issue 18); marked like a
    /// document, private when releasable to its party only.
    Pledge(Pledge) = "pledge", "pledge.made";
    /// An exchange rate entered by the secretariat (issue 18).
    Rate(ExchangeRate) = "rate", "rate.entered";
);

pub use crate::resources::{ExchangeRate, Pledge};

impl RecordKind {
    /// Parses a code.
    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether records of this kind belong to one party's private log (DESIGN.md §4 inv. 9):
    /// never in the shared record, never offered to the peer, not in the shared state hash.
    /// Documents are private or shared per record (by their releasability): see
    /// [`crate::state::Entry::is_private`].
    #[must_use]
    pub const fn is_private(self) -> bool {
        matches!(self, RecordKind::Note)
    }

    /// Whether records of this kind carry a [`Marking`] (documents, pledges): pages, API and
    /// exports show them only to users the marking allows, and one releasable to one party is
    /// that party's private record ([`crate::state::Entry::is_private`]).
    #[must_use]
    pub fn is_marked(self) -> bool {
        matches!(self, RecordKind::Document | RecordKind::Pledge)
    }

    /// The fields of a record of this kind, in the order a form shows them ([`Record::FIELDS`]).
    #[must_use]
    pub fn fields(self) -> &'static [Field] {
        with_record_type!(self, T => T::FIELDS)
    }

    /// The field naming the party that owns a record of this kind ([`Record::OWNER`]); `None`
    /// for joint records.
    #[must_use]
    pub fn owner(self) -> Option<&'static str> {
        with_record_type!(self, T => T::OWNER)
    }

    /// `record` (a JSON object) read as this kind's record type and written back: the fields a
    /// record of this kind holds, as its struct writes them (absent options left out, defaults
    /// filled in, unknown fields dropped). Two values that read as the same record give the
    /// same JSON.
    ///
    /// # Errors
    /// [`DomainError::MalformedBody`] naming the kind's creating event and what does not read.
    pub fn typed(self, record: Value) -> Result<Value, DomainError> {
        let malformed = |e: serde_json::Error| DomainError::MalformedBody {
            kind: self.created_kind().into(),
            reason: e.to_string(),
        };
        with_record_type!(self, T => serde_json::from_value::<T>(record)
            .and_then(serde_json::to_value)
            .map_err(malformed))
    }
}

/// A field of a record that names another record: the field (dotted for nested values, e.g.
/// `working_groups.areas`), the kinds it may name, and the id it holds. Found by
/// [`crate::fields::references`] from the record's table ([`Record::FIELDS`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Field name; its first segment is the record's top-level field.
    pub field: String,
    /// Kinds the id may name.
    pub kinds: &'static [RecordKind],
    /// The id held.
    pub id: String,
}

/// A record type: its kind and the declaration of its fields ([`crate::fields`]), next to the
/// struct. Besides the struct itself, the table is the one place a field is listed: forms,
/// references and the owner rule read it, and a test compares it with the struct's fields.
pub trait Record: Serialize + DeserializeOwned {
    /// The record's kind.
    const KIND: RecordKind;
    /// Its fields, in the order a form shows them.
    const FIELDS: &'static [Field];
    /// The field naming the party that owns a record of this kind: only that party's users
    /// create or revise it, and handing it to the other party needs that party's user too
    /// (`lajna_node::auth::authorize`). `None` for joint records (missions, sessions, areas,
    /// roadmaps, decisions, press) and documents (their marking decides).
    const OWNER: Option<&'static str> = None;
    /// The command that creates the record.
    fn create(self) -> Command;
}

/// Fields several kinds share, declared once. A record's title.
const TITLE: Field = Field::text("title", "title").required();
/// The party a record is of, the user's own on a new form.
const OWN_PARTY: Field = Field::party("party", "party").required().preset(Preset::OwnParty);
/// The category of a need or an offer.
const CATEGORY: Field = Field::choice("category", "forms-category", Category::CODES, "category-").required();
/// What needs and offers share, first in both forms: whose, what kind, what, how many of what.
const EXCHANGED: [Field; 5] = [
    OWN_PARTY,
    CATEGORY,
    TITLE,
    Field::integer("quantity", "quantity").required(),
    Field::text("unit", "forms-quantity-unit").required(),
];

/// A status (actions, needs, offers): one of `codes`, labelled by the messages `{labels}{code}`,
/// `first` on a new form.
const fn status(codes: &'static [&'static str], labels: &'static str, first: &'static str) -> Field {
    Field::choice("status", "status", codes, labels).required().preset(Preset::Value(first))
}

/// `head` then `tail`: a table that begins with fields another shares. `L` is the total
/// length (a wrong one fails the build).
const fn concat<const L: usize>(head: &[Field], tail: &[Field]) -> [Field; L] {
    assert!(head.len() + tail.len() == L, "L is not the tables' total length");
    let mut out = [ILLUSTRATIVE; L];
    let mut i = 0;
    while i < L {
        out[i] = if i < head.len() { head[i] } else { tail[i - head.len()] };
        i += 1;
    }
    out
}
/// A period's first day: missions, sessions, roadmaps, training.
const START: Field = Field::date("start", "start").required();
/// A period's last day, not before its first.
const END: Field = Field::date("end", "forms-end").required().not_before("start");

/// How many kinds are not private.
const fn shared_count() -> usize {
    let (mut i, mut n) = (0, 0);
    while i < RecordKind::ALL.len() {
        if !RecordKind::ALL[i].is_private() {
            n += 1;
        }
        i += 1;
    }
    n
}

/// Every kind but the private ones, in [`RecordKind::ALL`]'s order: what a note may be about.
const SHARED_KINDS: &[RecordKind] = &{
    let mut shared = [RecordKind::Member; shared_count()];
    let (mut i, mut n) = (0, 0);
    while i < RecordKind::ALL.len() {
        if !RecordKind::ALL[i].is_private() {
            shared[n] = RecordKind::ALL[i];
            n += 1;
        }
        i += 1;
    }
    shared
};

impl Reference {
    /// The record's top-level field that holds the reference.
    #[must_use]
    pub fn top_field(&self) -> &str {
        self.field.split('.').next().unwrap_or(&self.field)
    }

    /// Checks that the id names a created record of one of the kinds. Records are never
    /// deleted and never change kind, so once this holds it holds for ever (on every node).
    ///
    /// # Errors
    /// [`DomainError::UnknownRecord`] naming the kind(s) expected.
    pub fn check(&self, state: &State) -> Result<(), DomainError> {
        if state.entry(&self.id).is_some_and(|e| self.kinds.contains(&e.kind)) {
            return Ok(());
        }
        let kind = if self.kinds == SHARED_KINDS {
            "record".to_string()
        } else {
            self.kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join("|")
        };
        Err(DomainError::UnknownRecord { kind, id: self.id.clone() })
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

impl Record for Document {
    const KIND: RecordKind = RecordKind::Document;
    const FIELDS: &'static [Field] = &[
        TITLE,
        Field::language("language", "documents-language").required(),
        Field::date("date", "documents-date"),
        Field::marking("marking", "documents-marking").required(),
        Field::file("blake3", "documents-file").required(),
        Field::file("media_type", "documents-type").required(),
        Field::file("size", "documents-size").required(),
        Field::file("file_name", "documents-file-name").required(),
        Field::references("links", "documents-links", LINKABLE),
        ILLUSTRATIVE,
    ];
    fn create(self) -> Command {
        Command::RegisterDocument(self)
    }
}

/// What a document may be linked to.
const LINKABLE: &[RecordKind] = &[RecordKind::Mission, RecordKind::Session, RecordKind::Decision, RecordKind::Action];

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

impl Record for Note {
    const KIND: RecordKind = RecordKind::Note;
    const FIELDS: &'static [Field] = &[
        OWN_PARTY,
        TITLE,
        Field::long_text("text", "notes-text").required(),
        Field::reference("about", "record", SHARED_KINDS),
    ];
    const OWNER: Option<&'static str> = Some("party");
    fn create(self) -> Command {
        Command::RecordNote(self)
    }
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
    /// The fields of a venue ([`crate::fields::Input::Group`] of missions and sessions).
    pub const FIELDS: &'static [Field] = &[
        Field::text("name", "forms-venue-name").empty(),
        Field::text("city", "forms-city").required(),
        Field::zone("zone", "time-zone").required(),
    ];

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

impl Record for Member {
    const KIND: RecordKind = RecordKind::Member;
    const FIELDS: &'static [Field] = &[
        OWN_PARTY,
        Field::choice("role", "forms-role", MemberRole::CODES, "role-").required().preset(Preset::Value("expert")),
        Field::text("name", "forms-name").required(),
        Field::text("rank", "forms-rank"),
        ILLUSTRATIVE,
    ];
    const OWNER: Option<&'static str> = Some("party");
    fn create(self) -> Command {
        Command::RegisterMember(self)
    }
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

impl Record for Area {
    const KIND: RecordKind = RecordKind::Area;
    const FIELDS: &'static [Field] = &[
        Field::line("code", "forms-code").required(),
        TITLE,
        Field::integer("ordinal", "forms-ordinal").required().preset(Preset::Next),
        ILLUSTRATIVE,
    ];
    fn create(self) -> Command {
        Command::DefineArea(self)
    }
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

impl ProgrammeItem {
    /// The fields of a programme item ([`crate::fields::Input::Rows`] of a mission).
    pub const FIELDS: &'static [Field] = &[
        Field::date("date", "forms-date").required().within("start", "end"),
        Field::time("start", "forms-start-time"),
        Field::time("end", "forms-end-time").not_before("start"),
        TITLE,
        Field::text("place", "forms-place"),
        ILLUSTRATIVE,
    ];
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

impl Record for Mission {
    const KIND: RecordKind = RecordKind::Mission;
    const FIELDS: &'static [Field] = &[
        TITLE,
        Field::party("visiting", "visiting-party").required().preset(Preset::OwnParty),
        Field::party("host", "host-party").required().preset(Preset::OtherParty),
        Field::group("venue", "venue", Venue::FIELDS).required(),
        START,
        END,
        Field::reference("head", "head-of-delegation", &[RecordKind::Member]),
        Field::long_text("purpose", "purpose"),
        Field::rows("programme", "programme", ProgrammeItem::FIELDS, 3),
        ILLUSTRATIVE,
    ];
    fn create(self) -> Command {
        Command::ScheduleMission(self)
    }
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

impl WorkingGroup {
    /// The fields of a working group ([`crate::fields::Input::Rows`] of a session).
    pub const FIELDS: &'static [Field] = &[TITLE, Field::references("areas", "areas", &[RecordKind::Area])];
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

/// An item of a session's agenda ([`crate::fields::Input::List`]).
const AGENDA_ITEM: Field = Field::text("", "forms-agenda-item").required();

impl Record for Session {
    const KIND: RecordKind = RecordKind::Session;
    const FIELDS: &'static [Field] = &[
        Field::integer("number", "forms-number").required().preset(Preset::Next),
        TITLE,
        Field::party("host", "host-party").required().preset(Preset::Alternate),
        Field::group("venue", "venue", Venue::FIELDS).required(),
        START,
        END,
        Field::time("opens_at", "forms-start-time"),
        Field::list("agenda", "agenda", &AGENDA_ITEM, 3).preset(Preset::ReviewOfLast),
        Field::long_text("minutes", "forms-minutes"),
        Field::long_text("expected_outcome", "expected-outcome"),
        Field::rows("working_groups", "forms-working-groups", WorkingGroup::FIELDS, 2),
        Field::reference("mission", "mission", &[RecordKind::Mission]),
        ILLUSTRATIVE,
    ];
    fn create(self) -> Command {
        Command::ConveneSession(self)
    }
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

impl Record for Decision {
    const KIND: RecordKind = RecordKind::Decision;
    const FIELDS: &'static [Field] = &[
        Field::reference("session", "forms-session", &[RecordKind::Session]).required(),
        Field::reference("area", "area", &[RecordKind::Area]),
        Field::long_text("text", "forms-text").required(),
        ILLUSTRATIVE,
    ];
    fn create(self) -> Command {
        Command::RecordDecision(self)
    }
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

impl Quote {
    /// The fields of a quote ([`crate::fields::Input::Rows`] of a communiqué).
    pub const FIELDS: &'static [Field] = &[
        Field::reference("speaker", "forms-speaker", &[RecordKind::Member]),
        Field::long_text("text", "quoted-statement").required(),
    ];
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

impl Record for Communique {
    const KIND: RecordKind = RecordKind::Communique;
    const FIELDS: &'static [Field] = &[
        OWN_PARTY,
        Field::text("issuer", "forms-issuer").required(),
        Field::date("date", "forms-date"),
        TITLE,
        Field::long_text("text", "forms-text").required(),
        Field::rows("quotes", "forms-quotes", Quote::FIELDS, 2),
        Field::reference("mission", "mission", &[RecordKind::Mission]),
        ILLUSTRATIVE,
    ];
    const OWNER: Option<&'static str> = Some("party");
    fn create(self) -> Command {
        Command::IssueCommunique(self)
    }
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

impl Record for PressDocument {
    const KIND: RecordKind = RecordKind::Press;
    const FIELDS: &'static [Field] = &[
        Field::text("publisher", "publisher").required(),
        Field::language("language", "forms-language").required().preset(Preset::PageLanguage),
        Field::line("title", "forms-headline").required(),
        Field::exact("text", "forms-exact-text").required(),
        Field::blake3_of("text_blake3", "text-hash", "text").required(),
        Field::reference("mission", "mission", &[RecordKind::Mission]),
        Field::reference("communique", "forms-communique", &[RecordKind::Communique]),
        ILLUSTRATIVE,
    ];
    fn create(self) -> Command {
        Command::ArchivePress(self)
    }
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

impl Record for Roadmap {
    const KIND: RecordKind = RecordKind::Roadmap;
    const FIELDS: &'static [Field] =
        &[TITLE, Field::reference("session", "forms-session", &[RecordKind::Session]), START, END, ILLUSTRATIVE];
    fn create(self) -> Command {
        Command::DraftRoadmap(self)
    }
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

impl Indicator {
    /// The fields of an indicator ([`crate::fields::Input::Group`] of an action, optional:
    /// once one is given, all are needed).
    pub const FIELDS: &'static [Field] = &[
        Field::text("unit", "forms-indicator-unit").required(),
        Field::integer("baseline", "forms-baseline").required(),
        Field::integer("target", "forms-target").required(),
        Field::integer("current", "forms-current").required(),
    ];
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
    /// The date the action was completed, as declared in the progress report that closed it
    /// (the committee's date, not the time the event was recorded): set only while the status
    /// is done; the "done over time" chart counts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Date>,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

impl Record for Action {
    const KIND: RecordKind = RecordKind::Action;
    const FIELDS: &'static [Field] = &[
        Field::reference("roadmap", "roadmap", &[RecordKind::Roadmap]).required(),
        Field::reference("area", "area", &[RecordKind::Area]).required().preset(Preset::FromLinked("decision")),
        TITLE,
        Field::party("owner", "owner").required().preset(Preset::OwnParty),
        Field::text("unit", "unit").required(),
        Field::reference("lead", "lead", &[RecordKind::Member]),
        Field::reference("decision", "cycle-decision", &[RecordKind::Decision]).preset(Preset::Linked),
        Field::date("start", "start").required(),
        Field::date("due", "due").required().not_before("start"),
        status(ActionStatus::CODES, "status-", "planned"),
        Field::percent("progress", "forms-progress").required().preset(Preset::Value("0")),
        Field::long_text("reason", "cycle-reason"),
        Field::date("completed", "cycle-completed"),
        Field::integer("weight", "weight"),
        Field::group("indicator", "indicator", Indicator::FIELDS),
        ILLUSTRATIVE,
    ];
    const OWNER: Option<&'static str> = Some("owner");
    fn create(self) -> Command {
        Command::PlanAction(self)
    }
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

impl Record for Need {
    const KIND: RecordKind = RecordKind::Need;
    const FIELDS: &'static [Field] = &concat::<10>(
        &EXCHANGED,
        &[
            Field::choice("priority", "priority", Priority::CODES, "priority-")
                .required()
                .preset(Preset::Value("medium")),
            status(NeedStatus::CODES, "need-status-", "open"),
            Field::reference("area", "area", &[RecordKind::Area]),
            Field::reference("action", "forms-action", &[RecordKind::Action]),
            ILLUSTRATIVE,
        ],
    );
    const OWNER: Option<&'static str> = Some("party");
    fn create(self) -> Command {
        Command::RegisterNeed(self)
    }
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

impl Record for Offer {
    const KIND: RecordKind = RecordKind::Offer;
    const FIELDS: &'static [Field] = &concat::<8>(
        &EXCHANGED,
        &[
            status(OfferStatus::CODES, "offer-status-", "proposed"),
            Field::reference("need", "forms-need", &[RecordKind::Need]),
            ILLUSTRATIVE,
        ],
    );
    const OWNER: Option<&'static str> = Some("party");
    fn create(self) -> Command {
        Command::MakeOffer(self)
    }
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

impl Record for Training {
    const KIND: RecordKind = RecordKind::Training;
    const FIELDS: &'static [Field] = &[
        Field::party("host", "host-party").required().preset(Preset::OwnParty),
        Field::text("institution", "institution").required(),
        Field::text("course", "course").required(),
        Field::reference("area", "area", &[RecordKind::Area]),
        Field::integer("seats_offered", "forms-seats-offered").required(),
        Field::integer("seats_filled", "forms-seats-filled").required().preset(Preset::Value("0")),
        START,
        END,
        Field::reference("action", "forms-action", &[RecordKind::Action]),
        ILLUSTRATIVE,
    ];
    const OWNER: Option<&'static str> = Some("host");
    fn create(self) -> Command {
        Command::ScheduleTraining(self)
    }
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
pub trait Validate: Record {
    /// Checks the record against the state.
    ///
    /// # Errors
    /// The first rule broken, as a [`DomainError`] with its message key.
    fn validate(&self, state: &State) -> Result<(), DomainError>;
    /// Every field that names another record, with the kinds it may name, as the record's
    /// table declares them ([`Record::FIELDS`], [`crate::fields::references`]): checked by
    /// `validate` and, for records and revisions received from peers, by
    /// [`crate::Change::check_against`].
    fn references(&self) -> Vec<Reference> {
        serde_json::to_value(self).map(|v| crate::fields::references(Self::FIELDS, &v)).unwrap_or_default()
    }
}

/// Checks every reference of `record` ([`Validate::references`]).
///
/// # Errors
/// [`DomainError::UnknownRecord`] for the first that names no record of its kinds.
pub fn check_references<T: Validate>(record: &T, state: &State) -> Result<(), DomainError> {
    record.references().iter().try_for_each(|r| r.check(state))
}

impl Validate for Member {
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        if let Some(rank) = &self.rank {
            rank.check_length("rank", SHORT_TEXT_MAX)?;
        }
        self.name.check_short("name")
    }
}

impl Validate for Area {
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
}

impl Validate for Mission {
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
}

impl Validate for Session {
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
}

impl Validate for Decision {
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        check_references(self, state)?;
        self.text.check_long("text")
    }
}

impl Validate for Communique {
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
}

impl Validate for PressDocument {
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
}

impl Validate for Roadmap {
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        self.title.check_short("title")?;
        dates("end", self.start, self.end)?;
        check_references(self, state)
    }
}

impl Validate for Action {
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
}

impl Validate for Need {
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        self.title.check_short("title")?;
        self.unit.check_short("unit")?;
        range("quantity", self.quantity, 1, MAX_QUANTITY)?;
        check_references(self, state)
    }
}

impl Validate for Offer {
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        self.title.check_short("title")?;
        self.unit.check_short("unit")?;
        range("quantity", self.quantity, 1, MAX_QUANTITY)?;
        check_references(self, state)
    }
}

impl Validate for Training {
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.host)?;
        self.institution.check_short("institution")?;
        self.course.check_short("course")?;
        range("seats_offered", self.seats_offered, 1, 100_000)?;
        range("seats_filled", self.seats_filled, 0, self.seats_offered)?;
        dates("end", self.start, self.end)?;
        check_references(self, state)
    }
}

impl Validate for Note {
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        self.title.check_short("title")?;
        self.text.check_long("text")?;
        check_references(self, state)
    }
}

impl Validate for Document {
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

    #[test]
    fn the_shared_kinds_are_every_kind_but_the_private_ones() {
        let expected: Vec<RecordKind> = RecordKind::ALL.into_iter().filter(|k| !k.is_private()).collect();
        assert_eq!(SHARED_KINDS, expected.as_slice());
        assert_eq!(SHARED_KINDS.len(), 15);
    }

    /// The one table of kinds: each kind's type declares that kind, its code reads back, and its
    /// creating event kind starts with the code (the signed event kinds must never change).
    #[test]
    fn each_kind_maps_to_its_type_and_back() {
        for kind in RecordKind::ALL {
            assert_eq!(with_record_type!(kind, T => T::KIND), kind);
            assert_eq!(RecordKind::parse(kind.code()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
            assert!(kind.created_kind().starts_with(&format!("{}.", kind.code())), "{}", kind.created_kind());
        }
        let created: Vec<&str> = RecordKind::ALL.iter().map(|k| k.created_kind()).collect();
        assert_eq!(
            created,
            [
                "member.registered",
                "area.defined",
                "mission.scheduled",
                "session.convened",
                "decision.recorded",
                "communique.issued",
                "press.archived",
                "roadmap.drafted",
                "action.planned",
                "need.registered",
                "offer.made",
                "training.scheduled",
                "note.recorded",
                "document.registered",
                "pledge.made",
                "rate.entered",
            ]
        );
    }
}
