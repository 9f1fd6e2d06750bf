//! The log's rows as the web sees them: the door's copies of the store's and the ledger's types
//! (`lajna_store::StoredEvent`, `AuditRow`, `PeerRow`, `VerifyReport`; `lajna_ledger::EventId`,
//! `SignedEvent`, `RequestAuth`), field for field, so that nothing above the node depends on
//! either crate. `lajna_node::door` converts.

use serde::{Deserialize, Serialize};

/// An event's id: its BLAKE3 as 64 lowercase hex digits (`lajna_ledger::EventId`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub String);

impl EventId {
    /// The 64 hex digits.
    #[must_use]
    pub fn to_hex(&self) -> String {
        self.0.clone()
    }

    /// The first 12 hex digits, as pages show an id.
    #[must_use]
    pub fn short(&self) -> String {
        self.0.chars().take(12).collect()
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One signature of an event: the key (hex) and the Ed25519 signature over the 32-byte id
/// (128 hex digits) (`lajna_ledger::EventSignature`, same JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSignature {
    /// Public key, hex.
    pub key: String,
    /// Signature, 128 hex digits.
    pub sig: String,
}

/// An event as stored and sent: the envelope's exact bytes as text, and its signatures
/// (`lajna_ledger::SignedEvent`, same JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedEvent {
    /// Canonical JSON bytes of the envelope (RFC 8785), as text.
    pub envelope: String,
    /// Signatures over the id; one for ordinary events, one per party root for genesis.
    pub sigs: Vec<EventSignature>,
}

/// An event as stored, with its local sequence number (`lajna_store::StoredEvent`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    /// Local arrival order (1, 2, …); never sent to peers.
    pub seq: i64,
    /// Id as stored (hex).
    pub id: String,
    /// Lamport clock.
    pub lamport: i64,
    /// Author party.
    pub party: String,
    /// Kind.
    pub kind: String,
    /// Author time (RFC 3339 UTC).
    pub at: String,
    /// The exact event.
    pub raw: SignedEvent,
    /// When this node stored it (RFC 3339 UTC).
    pub received_at: String,
}

/// An audit-trail line (`lajna_store::AuditRow`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who.
    pub username: String,
    /// What (`sign-in`, `sign-in-refused`, …).
    pub action: String,
    /// Details.
    pub detail: String,
    /// From where.
    pub address: String,
    /// Party whose co-chair and secretary may read the line (`""` when unknown, e.g. a refused
    /// sign-in of an unknown user).
    pub party: String,
    /// The record viewed, downloaded or exported (`""` when none).
    pub record: String,
}

/// What this node knows of a peer party (`lajna_store::PeerRow`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerRow {
    /// Party code.
    pub party: String,
    /// Its heads when we last heard from it.
    pub heads: Vec<EventId>,
    /// Last exchange, RFC 3339 UTC.
    pub last_sync_at: Option<String>,
    /// How: `http-pull`, `http-push`, `bundle-import`, `bundle-export`.
    pub last_direction: Option<String>,
    /// Events received from it (total).
    pub received: i64,
    /// Events refused (total).
    pub refused: i64,
    /// The last refusal or failure, for people.
    pub last_error: Option<String>,
    /// Its clock minus ours at the last signed request, seconds.
    pub clock_skew_seconds: Option<i64>,
}

/// Where this node stands with its peers, for the sync page (`lajna_node::SyncStatus`).
#[derive(Clone, Debug)]
pub struct SyncStatus {
    /// Each other party's last exchange, with whether its clock is off by more than the node's
    /// warning threshold (`lajna_node::sync::WARN_SKEW_SECONDS`).
    pub peers: Vec<(PeerRow, bool)>,
    /// This node's heads.
    pub heads: Vec<EventId>,
    /// Events in the shared log.
    pub events: i64,
    /// Received events waiting for a parent.
    pub pending: i64,
}

/// The result of a full verification of the log (`lajna_store::VerifyReport`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events checked (all of them when `problem` is `None`).
    pub events: usize,
    /// State hash of a fresh fold of the log.
    pub rebuilt_hash: String,
    /// State hash of the stored projections.
    pub stored_hash: String,
    /// The first bad event and why: (event id as stored, reason); or a record that cannot be
    /// read back as its type: (its id, reason).
    pub problem: Option<(String, String)>,
}

impl VerifyReport {
    /// Whether every event verified and the projections match a fresh fold.
    #[must_use]
    pub fn ok(&self) -> bool {
        self.problem.is_none() && self.rebuilt_hash == self.stored_hash
    }
}

/// The signature headers of a peer's request (`X-Lajna-Node`, `-Time`, `-Nonce`,
/// `-Signature`; `lajna_ledger::RequestAuth`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestAuth {
    /// The signing node key, hex.
    pub node: String,
    /// The request's time, RFC 3339 UTC.
    pub time: String,
    /// A random nonce, hex (a request is never accepted twice).
    pub nonce: String,
    /// The Ed25519 signature, hex.
    pub signature: String,
}
