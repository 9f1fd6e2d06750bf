//! Checkpoints (issue 12 item 5, "truncation is detectable"): a node alone cannot notice that
//! the newest events of its log were dropped, so, as Certificate Transparency's signed tree
//! heads are witnessed by others, each node keeps statements signed by the OTHER party's node:
//! "I, node key K of party P, hold the shared log of committee C up to these heads (N events
//! with their ancestors), at time T". A node whose log lacks a head its peer signed for was
//! truncated or rolled back.
//!
//! Wire form: `{"statement": "<RFC 8785 JSON of a CheckpointStatement>", "signature": hex}`.
//! The statement travels as the text that was signed and is verified over those bytes (as
//! events are), so a field a later version adds survives. The signature is Ed25519 (strict)
//! by the statement's `node` over `BLAKE3("lajna-checkpoint/1\n" ‖ statement)`: a domain tag
//! that no event id (BLAKE3 of an envelope starting with `{`) or sync-request digest shares.
//! Checkpoints are node-local facts, never events: they change nothing of the record.

use std::collections::BTreeSet;

use ed25519_dalek::Signature;
use serde::{Deserialize, Serialize};

use crate::canonical::{canonical_value_vec, check_numbers, is_canonical};
use crate::{EventId, KEY_CERTIFIED_KIND, LedgerError, PublicKey, SecretKey, SignedEvent, Trust, check_event};

/// Domain-separation tag of the signed checkpoint digest, and the statement's `kind`.
pub const CHECKPOINT_TAG: &str = "lajna-checkpoint/1";
/// Largest statement accepted, bytes (a checkpoint names a few heads).
pub const MAX_CHECKPOINT_BYTES: usize = 64 * 1024;

/// What a checkpoint states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointStatement {
    /// [`CHECKPOINT_TAG`].
    pub kind: String,
    /// Genesis id of the committee.
    pub committee: EventId,
    /// Party of the signing node.
    pub party: String,
    /// Signing node key, hex.
    pub node: String,
    /// Party whose copy of the log it witnesses (the receiver), if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    /// Heads the signer holds (sorted, unique): each, and all its ancestors, stored there.
    pub heads: Vec<EventId>,
    /// Number of events in the heads and their ancestors, as the signer counted them.
    pub count: u64,
    /// Signer's time, RFC 3339 UTC.
    pub at: String,
}

/// A signed checkpoint, as carried and stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// RFC 8785 JSON text of a [`CheckpointStatement`], exactly as signed.
    pub statement: String,
    /// Ed25519 signature of [`checkpoint_digest`] by the statement's node key, hex.
    pub signature: String,
}

/// BLAKE3 of `lajna-checkpoint/1 \n statement`.
#[must_use]
pub fn checkpoint_digest(statement: &[u8]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(CHECKPOINT_TAG.as_bytes());
    h.update(b"\n");
    h.update(statement);
    *h.finalize().as_bytes()
}

impl Checkpoint {
    /// Signs a statement with `key`: the statement's `kind` and `node` are set here, its heads
    /// sorted and made unique.
    ///
    /// # Errors
    /// [`LedgerError::Encoding`] or [`LedgerError::NumberOutOfRange`] (a count above 2^53).
    pub fn sign(key: &SecretKey, mut statement: CheckpointStatement) -> Result<Self, LedgerError> {
        statement.kind = CHECKPOINT_TAG.into();
        statement.node = key.public().to_hex();
        statement.heads = statement.heads.into_iter().collect::<BTreeSet<_>>().into_iter().collect();
        let value = serde_json::to_value(&statement).map_err(|e| LedgerError::Encoding(e.to_string()))?;
        check_numbers(&value)?;
        let bytes = canonical_value_vec(&value)?;
        let signature = hex::encode(key.sign(&checkpoint_digest(&bytes)));
        let statement = String::from_utf8(bytes).map_err(|e| LedgerError::Encoding(e.to_string()))?;
        Ok(Self { statement, signature })
    }

    /// Checks the bytes and the signature, without any trust context: size, canonical form,
    /// numbers, kind, sorted heads, and a strict Ed25519 signature by the statement's node key.
    /// Returns the statement and its key.
    ///
    /// # Errors
    /// [`LedgerError::Malformed`], [`LedgerError::NotCanonical`], [`LedgerError::BadKey`],
    /// [`LedgerError::BadSignature`].
    pub fn open(&self) -> Result<(CheckpointStatement, PublicKey), LedgerError> {
        let bad = |why: String| LedgerError::Malformed(format!("checkpoint: {why}"));
        if self.statement.len() > MAX_CHECKPOINT_BYTES {
            return Err(bad(format!("{} bytes, more than {MAX_CHECKPOINT_BYTES}", self.statement.len())));
        }
        let value: serde_json::Value = serde_json::from_str(&self.statement).map_err(|e| bad(e.to_string()))?;
        if !is_canonical(&value, self.statement.as_bytes())? {
            return Err(LedgerError::NotCanonical);
        }
        check_numbers(&value)?;
        let statement: CheckpointStatement = serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
        if statement.kind != CHECKPOINT_TAG {
            return Err(bad(format!("kind {:?} is not {CHECKPOINT_TAG}", statement.kind)));
        }
        if statement.heads.windows(2).any(|w| w[0] >= w[1]) {
            return Err(bad("heads are not sorted and unique".into()));
        }
        let key = PublicKey::parse(&statement.node)?;
        let sig: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| LedgerError::BadSignature("the checkpoint signature is not 64 bytes of hex".into()))?;
        key.verifying()?
            .verify_strict(&checkpoint_digest(self.statement.as_bytes()), &Signature::from_bytes(&sig))
            .map_err(|_| {
                LedgerError::BadSignature(format!("the checkpoint signature by {} does not verify", statement.node))
            })?;
        Ok((statement, key))
    }

    /// [`Checkpoint::open`], then against a committee's trust: the statement names this
    /// committee, and its node key is certified by the root of the party it names and not
    /// revoked.
    ///
    /// # Errors
    /// As [`Checkpoint::open`]; [`LedgerError::WrongCommittee`], [`LedgerError::UnknownParty`],
    /// [`LedgerError::Revoked`], [`LedgerError::Uncertified`].
    pub fn verify(&self, trust: &Trust) -> Result<CheckpointStatement, LedgerError> {
        let (statement, key) = self.open()?;
        let committee = trust.committee().ok_or_else(|| LedgerError::BadParents("no genesis stored yet".into()))?;
        if statement.committee != committee {
            return Err(LedgerError::WrongCommittee {
                expected: committee.to_hex(),
                found: statement.committee.to_hex(),
            });
        }
        if trust.root(&statement.party).is_none() {
            return Err(LedgerError::UnknownParty(statement.party));
        }
        if let Some(revocation) = trust.revocation(&statement.party, &key) {
            return Err(LedgerError::revoked(None, statement.party, key.to_hex(), revocation.to_hex()));
        }
        if !trust.is_certified(&statement.party, &key) {
            return Err(LedgerError::Uncertified { party: statement.party, key: key.to_hex() });
        }
        Ok(statement)
    }
}

/// `trust` and the node-key certificates among `events` that its roots signed (in order): the
/// trust a checkpoint carried beside those events is checked against, before they are stored
/// (a new node's first bundle carries its certificate and its checkpoint). The events are
/// checked again, fully, when the store appends them.
#[must_use]
pub fn trust_with_certificates(trust: &Trust, events: &[SignedEvent]) -> Trust {
    let mut t = trust.clone();
    for e in events {
        if let Ok(v) = check_event(e)
            && v.envelope.kind == KEY_CERTIFIED_KIND
            && t.authorize(&v).is_ok()
        {
            t.admit(&v);
        }
    }
    t
}
