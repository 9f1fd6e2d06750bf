//! The ledger's error type.

/// Why an event or key was refused. Each variant has a stable [`LedgerError::code`] that
/// API problem documents and CLI output use.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum LedgerError {
    /// The bytes are not JSON, or not the shape of an envelope.
    #[error("malformed event: {0}")]
    Malformed(String),
    /// The envelope bytes are valid JSON but not in RFC 8785 canonical form.
    #[error("the envelope is not in RFC 8785 canonical form")]
    NotCanonical,
    /// The event is larger than [`crate::MAX_EVENT_BYTES`].
    #[error("event of {size} bytes is larger than the limit of {limit} bytes")]
    Oversized {
        /// Size of the envelope, bytes.
        size: usize,
        /// The limit, bytes.
        limit: usize,
    },
    /// A number is not an integer within ±2^53 (DESIGN.md §4 invariant 11).
    #[error("number {number} at {pointer} is not an integer within ±2^53")]
    NumberOutOfRange {
        /// RFC 6901 pointer to the number.
        pointer: String,
        /// The number as written.
        number: String,
    },
    /// The envelope's `v` is not a version this node reads.
    #[error("ledger version {0} is not supported (this node reads version 1)")]
    UnsupportedVersion(i64),
    /// A value could not be encoded.
    #[error("cannot encode: {0}")]
    Encoding(String),
    /// The id does not equal BLAKE3 of the envelope bytes.
    #[error("id {claimed} does not match the envelope's hash {actual}")]
    IdMismatch {
        /// The id the event was stored or sent under.
        claimed: String,
        /// BLAKE3 of its envelope bytes.
        actual: String,
    },
    /// A signature is missing, malformed, or does not verify (strict RFC 8032 checks).
    #[error("bad signature: {0}")]
    BadSignature(String),
    /// A key is not valid hex of a curve point.
    #[error("bad key {0}")]
    BadKey(String),
    /// The signing key is not certified for the author's party.
    #[error("key {key} is not certified by the root key of {party}")]
    Uncertified {
        /// Party named as author.
        party: String,
        /// Signing key, hex.
        key: String,
    },
    /// The signing key was revoked by its party's root (issue 16 item 5): an event it signed
    /// outside the revocation's past, or a sync request or checkpoint it signed. Boxed: the
    /// error stays small.
    #[error("{0}")]
    Revoked(Box<RevokedKey>),
    /// The event belongs to another committee.
    #[error("event belongs to committee {found}, not {expected}")]
    WrongCommittee {
        /// Genesis id of this store.
        expected: String,
        /// Committee named by the event.
        found: String,
    },
    /// The DAG fields are inconsistent (unsorted parents, wrong Lamport clock, …).
    #[error("bad parents: {0}")]
    BadParents(String),
    /// The party is not one of the committee's two parties.
    #[error("party {0} is not a party of this committee")]
    UnknownParty(String),
    /// A bundle is truncated, altered, of an unknown format, or too large.
    #[error("bad bundle: {0}")]
    BundleCorrupt(String),
    /// A signed sync request was refused (unknown key, bad signature, stale or replayed).
    #[error("sync request refused: {0}")]
    BadRequest(String),
    /// The random source of the operating system failed.
    #[error("random source failed: {0}")]
    Random(String),
}

impl LedgerError {
    /// A stable, machine-readable code (kebab-case), used in problem documents and logs.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed-event",
            Self::NotCanonical => "not-canonical",
            Self::Oversized { .. } => "oversized-event",
            Self::NumberOutOfRange { .. } => "number-out-of-range",
            Self::UnsupportedVersion(_) => "unsupported-version",
            Self::Encoding(_) => "encoding",
            Self::IdMismatch { .. } => "id-mismatch",
            Self::BadSignature(_) => "bad-signature",
            Self::BadKey(_) => "bad-key",
            Self::Uncertified { .. } => "uncertified-key",
            Self::Revoked(_) => "revoked-key",
            Self::WrongCommittee { .. } => "wrong-committee",
            Self::BadParents(_) => "bad-parents",
            Self::UnknownParty(_) => "unknown-party",
            Self::BundleCorrupt(_) => "bundle-corrupt",
            Self::BadRequest(_) => "bad-sync-request",
            Self::Random(_) => "random-source",
        }
    }
}

/// What [`LedgerError::Revoked`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedKey {
    /// The refused event (hex), when an event was refused; `None` for a request or checkpoint.
    pub event: Option<String>,
    /// Party the key was certified for.
    pub party: String,
    /// Revoked key, hex.
    pub key: String,
    /// The revocation event (hex).
    pub revocation: String,
}

impl LedgerError {
    /// [`LedgerError::Revoked`] of these parts.
    #[must_use]
    pub fn revoked(event: Option<String>, party: String, key: String, revocation: String) -> Self {
        Self::Revoked(Box::new(RevokedKey { event, party, key, revocation }))
    }
}

impl std::fmt::Display for RevokedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.event {
            Some(id) => write!(f, "event {id} is signed by")?,
            None => f.write_str("signed by")?,
        }
        write!(
            f,
            " key {} of {}, revoked by event {}: only the events that revocation knows stay valid",
            self.key, self.party, self.revocation
        )
    }
}
