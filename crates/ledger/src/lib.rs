//! The Lajna record, ledger v1 (DESIGN.md §4): envelopes encoded as RFC 8785 canonical JSON,
//! identified by BLAKE3, signed with Ed25519 by node keys that party root keys certify.
//!
//! The ledger knows no committee domain: bodies are opaque JSON, except the three `ledger.*`
//! kinds (genesis, key certificates and revocations) that define who may sign. It does no IO.
//!
//! Flow: [`Draft`] → [`Draft::sign`] → [`SignedEvent`] (stored and sent byte for byte) →
//! [`check_event`] (bytes, canonical form, signatures) → [`Trust::authorize`] (keys, committee)
//! → [`Trust::check_dag`] (parents, Lamport clock) → [`Trust::admit`].

pub mod bundle;
pub mod canonical;
pub mod checkpoint;
mod error;
pub mod event;
pub mod keys;
pub mod sync;

pub use bundle::{BUNDLE_FORMAT, BundleHeader, read_bundle, write_bundle};
pub use canonical::{
    MAX_SAFE_INTEGER, canonical_value_vec, canonicalize_text, check_numbers, is_canonical, to_canonical_vec,
};
pub use checkpoint::{Checkpoint, CheckpointStatement};
pub use error::{LedgerError, RevokedKey};
pub use event::{
    Author, Draft, Envelope, EventId, EventSignature, GENESIS_KIND, GenesisBody, GenesisParty, KEY_CERTIFIED_KIND,
    KEY_REVOKED_KIND, KeyCertifiedBody, KeyRevokedBody, LEDGER_VERSION, MAX_EVENT_BYTES, SignedEvent, Trust,
    VerifiedEvent, check_event,
};
pub use keys::{PublicKey, SecretKey};
pub use sync::{RequestAuth, request_digest, sign_request, verify_request};

#[cfg(test)]
mod tests;
