//! Revoking a node key (`lajna keys revoke`, issue 16 item 5): a `ledger.key_revoked` event
//! signed by the party's root, and what follows from it on this node.
//!
//! The rule (see [`lajna_ledger::Trust`]): an event signed by the revoked key stays valid only
//! when it is in the revocation's past — the revocation's author held it when signing. Anything
//! else the key signs is refused, here at once and on the peer once the revocation has synced:
//! an event received by HTTP is refused naming the event, the key and the revocation
//! (`revoked-key`); a bundle carrying one is refused whole, nothing stored; a sync request or a
//! checkpoint signed by the key is refused (the peer reads an RFC 9457 problem `revoked-key`).
//! A leaked key can thus only add what it signed before the revocation reached a node.

use std::path::Path;

use lajna_ledger::{Draft, EventId, KEY_REVOKED_KIND, LedgerError, PublicKey, SecretKey, SignedEvent, check_event};
use serde_json::json;

use crate::{Node, NodeError, now_rfc3339};

/// A revoked node key, as [`Node::revocations`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revoked {
    /// Party the key was certified for.
    pub party: String,
    /// The revoked key, hex.
    pub key: String,
    /// The (first) revocation event of it.
    pub revocation: EventId,
}

impl Node {
    /// Revokes the node key `key` of `party` with the party's `root` (`lajna keys revoke`): a
    /// `ledger.key_revoked` event on the current heads, so every event of the key this node
    /// holds is in its past and stays valid; anything else the key signs is refused from now on
    /// (see the module). `reason` is for people. Returns the revocation's event id.
    ///
    /// The key this node signs with for `party` is refused: the node could write nothing more
    /// for it. Rotate first (`lajna keys rotate`), then revoke the retired key.
    ///
    /// # Errors
    /// [`NodeError::RevokingOwnKey`]; the store's refusal of a revocation not signed by the
    /// party's root or naming a key no certificate of the party names
    /// ([`LedgerError::Uncertified`]); nothing is written then.
    pub async fn revoke_key(
        &self,
        party: &str,
        root: &SecretKey,
        key: &PublicKey,
        reason: &str,
    ) -> Result<EventId, NodeError> {
        if self.keys.get(party).is_some_and(|own| own.public() == *key) {
            return Err(NodeError::RevokingOwnKey { party: party.into(), key: key.to_hex() });
        }
        let mut guard = self.store.lock().await;
        let revocation = Draft {
            committee: guard.committee(),
            parents: guard.heads(),
            party: party.into(),
            member: None,
            at: now_rfc3339(),
            kind: KEY_REVOKED_KIND.into(),
            body: json!({"party": party, "node": key.to_hex(), "reason": reason}),
        }
        .sign(root)?;
        let ids = guard.append(std::slice::from_ref(&revocation)).await?;
        drop(guard);
        self.after_write().await;
        Ok(ids[0])
    }

    /// Every revoked node key of the log, by party then key.
    pub async fn revocations(&self) -> Vec<Revoked> {
        let guard = self.store.lock().await;
        guard
            .trust()
            .revocations()
            .into_iter()
            .map(|(party, key, revocation)| Revoked { party, key: key.to_hex(), revocation })
            .collect()
    }

    /// The first of `events` not stored here that is signed by a key revoked in this log, as the
    /// ledger's refusal naming the event, the key and the revocation. A bundle is checked with
    /// it before anything else, so that it is refused whole naming that event.
    pub(crate) async fn revoked_among(&self, events: &[SignedEvent]) -> Option<LedgerError> {
        let trust = self.store.lock().await.trust().clone();
        if trust.revocations().is_empty() {
            return None;
        }
        for e in events {
            let Ok(v) = check_event(e) else { continue };
            let Ok(key) = PublicKey::parse(&v.envelope.author.node) else { continue };
            if let Some(revocation) = trust.revocation(&v.envelope.author.party, &key)
                && !self.store.has_all(&[v.id]).await
            {
                return Some(LedgerError::revoked(
                    Some(v.id.to_hex()),
                    v.envelope.author.party.clone(),
                    key.to_hex(),
                    revocation.to_hex(),
                ));
            }
        }
        None
    }
}

/// The public key of a secret key file: `--retired` names `DATA/keys/node-PARTY.key.retired`,
/// the key `lajna keys rotate` set aside.
///
/// # Errors
/// IO errors; a file that is not a key.
pub fn public_key_of(path: &Path) -> Result<PublicKey, NodeError> {
    Ok(crate::read_key(path)?.public())
}
