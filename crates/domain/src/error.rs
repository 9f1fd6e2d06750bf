//! Domain errors. Each carries a message key (for the web layer's catalogues) and its
//! arguments; the English `Display` is for logs and the CLI.

/// Why a command or an event body was refused. Refusal always means nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A per-language text is blank in every language. HTTP 422.
    #[error("{field}: enter a text in at least one language (Arabic, French or English)")]
    EmptyText {
        /// Field name.
        field: String,
    },
    /// A text longer than its field allows, in characters after normalisation (per language;
    /// [`crate::text::SHORT_TEXT_MAX`], [`crate::text::LONG_TEXT_MAX`]). HTTP 422.
    #[error("{field}: {length} characters, at most {max} allowed")]
    TooLong {
        /// Field name.
        field: String,
        /// Most characters allowed.
        max: usize,
        /// Characters given.
        length: usize,
    },
    /// A value is not one of the allowed ones. HTTP 422.
    #[error("{field}: {value:?} is not a valid value")]
    InvalidValue {
        /// Field name.
        field: String,
        /// The value given.
        value: String,
    },
    /// A date that is neither `dd/mm/yyyy` nor ISO `yyyy-mm-dd`, or a day that does not exist
    /// (`31/02/2025`): [`crate::day::parse_day`]. HTTP 422.
    #[error("{field}: {value:?} is not a day (dd/mm/yyyy or yyyy-mm-dd)")]
    NotADay {
        /// Field name.
        field: String,
        /// The value given.
        value: String,
    },
    /// Progress outside 0–100 or not an integer. HTTP 422.
    #[error("progress: {value:?} is not a whole percent between 0 and 100")]
    ProgressOutOfRange {
        /// The value given.
        value: String,
    },
    /// An end or due date is before the start. HTTP 422.
    #[error("{field}: {end} is before the start date {start}")]
    EndBeforeStart {
        /// Field name (`due`, `end`).
        field: String,
        /// Start date, ISO 8601.
        start: String,
        /// End or due date, ISO 8601.
        end: String,
    },
    /// A number is outside its allowed range. HTTP 422.
    #[error("{field}: {value} must be between {min} and {max}")]
    OutOfRange {
        /// Field name.
        field: String,
        /// Value given.
        value: i64,
        /// Lowest allowed.
        min: i64,
        /// Highest allowed.
        max: i64,
    },
    /// A party that is not one of the committee's two parties. HTTP 422.
    #[error("party {code} is not a party of this committee")]
    UnknownParty {
        /// Code given.
        code: String,
    },
    /// A reference to a record that does not exist (or is of another kind). HTTP 422/404.
    #[error("no {kind} with id {id}")]
    UnknownRecord {
        /// Record kind expected.
        kind: String,
        /// Id given.
        id: String,
    },
    /// A time-zone name unknown to the tz database. HTTP 422.
    #[error("time zone {zone:?} is not in the tz database (e.g. Africa/Bamako, Africa/Casablanca)")]
    UnknownZone {
        /// Name given.
        zone: String,
    },
    /// A programme item falls outside its mission's dates. HTTP 422.
    #[error("programme item on {date} is outside the mission's dates {start} to {end}")]
    OutsideDates {
        /// Item date.
        date: String,
        /// Mission start.
        start: String,
        /// Mission end.
        end: String,
    },
    /// Only a co-chair of the acting party may endorse. HTTP 403.
    #[error("only a co-chair may endorse; {member} is not a co-chair of {party}")]
    NotCoChair {
        /// Member acting (id or "nobody").
        member: String,
        /// Party acting.
        party: String,
    },
    /// The party has already endorsed this version. HTTP 409.
    #[error("{party} already endorsed this version")]
    AlreadyEndorsed {
        /// Party.
        party: String,
    },
    /// A session number already used. HTTP 409.
    #[error("session number {number} is already used")]
    DuplicateNumber {
        /// Number.
        number: i64,
    },
    /// An area code already used. HTTP 409.
    #[error("area code {code} is already used")]
    DuplicateCode {
        /// Code.
        code: String,
    },
    /// The committee is not founded yet (no genesis). HTTP 409.
    #[error("the committee has no genesis event yet; run `lajna init` first")]
    NoCommittee,
    /// An event kind this node does not know. Refused, not stored.
    #[error("unknown event kind {kind:?}")]
    UnknownKind {
        /// Kind given.
        kind: String,
    },
    /// An event body that does not have the shape its kind requires. Refused, not stored.
    #[error("body of {kind} is malformed: {reason}")]
    MalformedBody {
        /// Kind.
        kind: String,
        /// What is wrong.
        reason: String,
    },
    /// A press document whose declared hash does not match its text. HTTP 422.
    #[error("press document text does not match its declared BLAKE3 hash")]
    TextHashMismatch,
    /// The minutes were agreed by both parties and are locked: a change is an amendment. HTTP 409.
    #[error("the minutes were agreed by both parties and are locked; propose an amendment instead")]
    MinutesLocked,
    /// An amendment to minutes that are still a draft (edit the draft instead). HTTP 409.
    #[error("the minutes are still a draft; edit them instead of amending them")]
    MinutesNotLocked,
    /// Endorsing or confirming minutes that have no text yet. HTTP 409.
    #[error("the session has no minutes yet")]
    NoMinutes,
    /// The version named is not the current one (the text changed since it was read). HTTP 409.
    #[error("version {version} is not the current version; read the text again")]
    StaleVersion {
        /// The version given.
        version: String,
    },
    /// An action whose start or due date falls outside its roadmap's period. HTTP 422.
    #[error("the action's dates {start} to {end} fall outside its roadmap's period {roadmap_start} to {roadmap_end}")]
    OutsideRoadmap {
        /// Action start, ISO 8601.
        start: String,
        /// Action due date, ISO 8601.
        end: String,
        /// Roadmap period start.
        roadmap_start: String,
        /// Roadmap period end.
        roadmap_end: String,
    },
    /// An action entering a status that needs a stated reason (delayed, blocked, cancelled)
    /// without one. HTTP 422.
    #[error("{field}: state why the action is {status}")]
    ReasonRequired {
        /// Field name (`reason`).
        field: String,
        /// The status entered.
        status: String,
    },
    /// A text whose other languages must be reviewed before it can be endorsed. HTTP 409.
    #[error("{field}: the {langs} text must be reviewed (updated or confirmed) first")]
    TranslationToReview {
        /// Field name (`minutes`, `text`).
        field: String,
        /// Languages to review, comma-separated codes.
        langs: String,
    },
    /// A party's delegation recorded by a member of the other party. HTTP 403.
    #[error("only {party} records the delegation of {party}")]
    DelegationOtherParty {
        /// The party whose delegation was given.
        party: String,
    },
    /// A delegation names someone who is not a member of its party. HTTP 422.
    #[error("{member} is not a member of {party}")]
    NotPartyMember {
        /// Member id given.
        member: String,
        /// The delegation's party.
        party: String,
    },
    /// A delegation without exactly one head. HTTP 422.
    #[error("a delegation has exactly one head ({heads} given)")]
    DelegationHead {
        /// Heads given.
        heads: i64,
    },
    /// A member represented by someone who is not a present member of the same delegation.
    /// HTTP 422.
    #[error("{member} is not a present member of the delegation and cannot represent another")]
    RepresentativeNotPresent {
        /// The representative named.
        member: String,
    },
    /// A currency code not in Lajna's ISO 4217 table (`crate::money`). HTTP 422.
    #[error("currency {code:?} is not known (ISO 4217: EUR, GBP, MAD, USD, XAF, XOF)")]
    UnknownCurrency {
        /// Code given.
        code: String,
    },
    /// An amount, quantity or rate beyond ±(2^53 − 1) minor units (`crate::money::MAX_MINOR`).
    /// HTTP 422.
    #[error("{field}: {value} is beyond the largest amount (2^53 - 1 minor units)")]
    AmountTooLarge {
        /// Field name.
        field: String,
        /// The value given.
        value: String,
    },
    /// A text that is not an amount written as the reader's language writes it. HTTP 422.
    #[error("{field}: {value:?} is not an amount")]
    NotAnAmount {
        /// Field name.
        field: String,
        /// The value given.
        value: String,
    },
    /// An amount written with the other languages' decimal mark (`12.5` in French, `12,5` in
    /// English). HTTP 422.
    #[error("{field}: {value:?} — write the decimals after {mark:?}")]
    WrongDecimalMark {
        /// Field name.
        field: String,
        /// The value given.
        value: String,
        /// The decimal mark of the reader's language.
        mark: String,
    },
    /// More decimals than the currency's minor unit (or a quantity's or rate's limit). HTTP 422.
    #[error("{field}: {value:?} has more than {max} decimals")]
    TooManyDecimals {
        /// Field name.
        field: String,
        /// The value given.
        value: String,
        /// Most decimals allowed.
        max: i64,
    },
    /// An amount, quantity or rate that must be more than zero (a negative amount, a rate of
    /// zero). HTTP 422.
    #[error("{field}: {value} must be more than zero")]
    NotPositive {
        /// Field name.
        field: String,
        /// The value given.
        value: String,
    },
    /// A delivery dated before the pledge it honours. HTTP 422.
    #[error("a delivery dated {date} is before its pledge of {pledged}")]
    DeliveryBeforePledge {
        /// The delivery's date, ISO 8601.
        date: String,
        /// The pledge's date, ISO 8601.
        pledged: String,
    },
}

impl DomainError {
    /// The message key of this error in the UI catalogues (`error-` + kebab-case variant).
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::EmptyText { .. } => "error-empty-text",
            Self::TooLong { .. } => "error-too-long",
            Self::InvalidValue { .. } => "error-invalid-value",
            Self::NotADay { .. } => "error-not-a-day",
            Self::ProgressOutOfRange { .. } => "error-progress-out-of-range",
            Self::EndBeforeStart { .. } => "error-end-before-start",
            Self::OutOfRange { .. } => "error-out-of-range",
            Self::UnknownParty { .. } => "error-unknown-party",
            Self::UnknownRecord { .. } => "error-unknown-record",
            Self::UnknownZone { .. } => "error-unknown-zone",
            Self::OutsideDates { .. } => "error-outside-dates",
            Self::NotCoChair { .. } => "error-not-co-chair",
            Self::AlreadyEndorsed { .. } => "error-already-endorsed",
            Self::DuplicateNumber { .. } => "error-duplicate-number",
            Self::DuplicateCode { .. } => "error-duplicate-code",
            Self::NoCommittee => "error-no-committee",
            Self::UnknownKind { .. } => "error-unknown-kind",
            Self::MalformedBody { .. } => "error-malformed-body",
            Self::TextHashMismatch => "error-text-hash-mismatch",
            Self::MinutesLocked => "error-minutes-locked",
            Self::MinutesNotLocked => "error-minutes-not-locked",
            Self::NoMinutes => "error-no-minutes",
            Self::StaleVersion { .. } => "error-stale-version",
            Self::TranslationToReview { .. } => "error-translation-to-review",
            Self::OutsideRoadmap { .. } => "error-outside-roadmap",
            Self::ReasonRequired { .. } => "error-reason-required",
            Self::DelegationOtherParty { .. } => "error-delegation-other-party",
            Self::NotPartyMember { .. } => "error-not-party-member",
            Self::DelegationHead { .. } => "error-delegation-head",
            Self::RepresentativeNotPresent { .. } => "error-representative-not-present",
            Self::UnknownCurrency { .. } => "error-unknown-currency",
            Self::AmountTooLarge { .. } => "error-amount-too-large",
            Self::NotAnAmount { .. } => "error-not-an-amount",
            Self::WrongDecimalMark { .. } => "error-wrong-decimal-mark",
            Self::TooManyDecimals { .. } => "error-too-many-decimals",
            Self::NotPositive { .. } => "error-not-positive",
            Self::DeliveryBeforePledge { .. } => "error-delivery-before-pledge",
        }
    }

    /// The field the error is about, when there is one (forms show the message beside it).
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::EmptyText { field }
            | Self::TooLong { field, .. }
            | Self::InvalidValue { field, .. }
            | Self::NotADay { field, .. }
            | Self::EndBeforeStart { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::ReasonRequired { field, .. }
            | Self::AmountTooLarge { field, .. }
            | Self::NotAnAmount { field, .. }
            | Self::WrongDecimalMark { field, .. }
            | Self::TooManyDecimals { field, .. }
            | Self::NotPositive { field, .. } => Some(field),
            Self::UnknownCurrency { .. } => Some("currency"),
            Self::DeliveryBeforePledge { .. } => Some("date"),
            Self::OutsideRoadmap { .. } => Some("due"),
            Self::ProgressOutOfRange { .. } => Some("progress"),
            Self::UnknownZone { .. } => Some("zone"),
            Self::UnknownParty { .. } => Some("party"),
            _ => None,
        }
    }
}
