//! What the log holds, read by the operator (the CLI on the server), the report, the metrics
//! and the peer's sync requests: counts, hashes, verification, the raw events, the peers'
//! exchanges. These reads do not go through the marking rule because their readers are not
//! users of the committee (a user's reads go through [`Node::read`] and the `visible_*` lists
//! of [`crate::record`]). The store itself stays private to the node.

use lajna_domain::Charter;
use lajna_ledger::EventId;
use lajna_store::{AuditRow, CheckpointCheck, PeerRow, StoredEvent, UserRow, VerifyReport};
use serde_json::Value;

use crate::sync::{HeadsReply, HeadsRequest, PullReply, PullRequest, PushReply, PushRequest};
use crate::{Node, NodeError};

/// Where this node stands with its peers, for the sync page.
#[derive(Clone, Debug)]
pub struct SyncStatus {
    /// Each other party's last exchange, with whether its clock is off by more than
    /// [`crate::sync::WARN_SKEW_SECONDS`].
    pub peers: Vec<(PeerRow, bool)>,
    /// This node's heads.
    pub heads: Vec<EventId>,
    /// Events in the shared log.
    pub events: i64,
    /// Received events waiting for a parent.
    pub pending: i64,
}

impl Node {
    /// Genesis id, once the committee exists.
    pub async fn committee(&self) -> Option<EventId> {
        self.store.committee().await
    }

    /// Events in the shared log.
    ///
    /// # Errors
    /// Database errors.
    pub async fn event_count(&self) -> Result<i64, NodeError> {
        Ok(self.store.event_count().await?)
    }

    /// The state hash (DESIGN.md §4), hex: equal on two nodes holding the same shared events.
    ///
    /// # Errors
    /// Database errors.
    pub async fn state_hash(&self) -> Result<String, NodeError> {
        Ok(self.store.state_hash().await?)
    }

    /// The state hash over the projections as stored on disk (what `lajna rebuild` replaces),
    /// read from the database, never from a cache.
    ///
    /// # Errors
    /// Database errors.
    pub async fn stored_state_hash(&self) -> Result<String, NodeError> {
        Ok(self.store.stored_state_hash().await?)
    }

    /// The committee's charter with its genesis id.
    ///
    /// # Errors
    /// Database errors.
    pub async fn charter(&self) -> Result<Option<(String, Charter)>, NodeError> {
        Ok(self.store.charter().await?)
    }

    /// Shared events after local sequence `after`, at most `limit`, in arrival order.
    ///
    /// # Errors
    /// Database errors.
    pub async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>, NodeError> {
        Ok(self.store.events_after(after, limit).await?)
    }

    /// The newest `limit` shared events, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn latest_events(&self, limit: i64) -> Result<Vec<StoredEvent>, NodeError> {
        Ok(self.store.latest_events(limit).await?)
    }

    /// The shared events that created or changed the record `id`, oldest first. The caller
    /// shows them only for a record its reader's snapshot holds ([`Node::read`]).
    ///
    /// # Errors
    /// Database errors.
    pub async fn events_for_record(&self, id: &str) -> Result<Vec<StoredEvent>, NodeError> {
        Ok(self.store.events_for_record(id).await?)
    }

    /// Every event of this node's party-private log, in arrival order.
    ///
    /// # Errors
    /// Database errors.
    pub async fn private_events(&self) -> Result<Vec<StoredEvent>, NodeError> {
        Ok(self.store.private_events().await?)
    }

    /// Re-checks every signature, chain and the state hash from the raw log (`lajna verify`).
    ///
    /// # Errors
    /// Database errors (a failed check is a report, not an error).
    pub async fn verify(&self) -> Result<VerifyReport, NodeError> {
        Ok(self.store.verify().await?)
    }

    /// Checks every kept peer checkpoint against the log (truncation is detected here).
    ///
    /// # Errors
    /// Database errors.
    pub async fn check_checkpoints(&self) -> Result<Vec<CheckpointCheck>, NodeError> {
        Ok(self.store.check_checkpoints().await?)
    }

    /// Refolds the projections from the log; returns the state hash.
    ///
    /// # Errors
    /// Database errors; nothing changes on error.
    pub async fn rebuild(&self) -> Result<String, NodeError> {
        Ok(self.store.rebuild().await?)
    }

    /// The whole shared record as JSON (`lajna export json`).
    ///
    /// # Errors
    /// Database errors.
    pub async fn export(&self) -> Result<Value, NodeError> {
        Ok(self.store.export().await?)
    }

    /// [`Node::export`] with only the records `user` may see (the marking rule of
    /// [`crate::record::may_see_entry`], for every kind): `GET /api/v1/state`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn export_for(&self, user: &crate::auth::User) -> Result<Value, NodeError> {
        let mut v = self.store.export().await?;
        let visible = self.read(user).await;
        if let Some(Value::Object(kinds)) = v.pointer_mut("/records") {
            for docs in kinds.values_mut() {
                if let Value::Array(docs) = docs {
                    docs.retain(|d| {
                        d.pointer("/_meta/id").and_then(Value::as_str).is_none_or(|id| visible.entry(id).is_some())
                    });
                }
            }
        }
        Ok(v)
    }

    /// A local user account by login name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn user_row(&self, username: &str) -> Result<Option<UserRow>, NodeError> {
        Ok(self.store.user(username).await?)
    }

    /// Every local user account.
    ///
    /// # Errors
    /// Database errors.
    pub async fn user_rows(&self) -> Result<Vec<UserRow>, NodeError> {
        Ok(self.store.users().await?)
    }

    /// One page of `party`'s audit trail, newest first, with the total count.
    ///
    /// # Errors
    /// Database errors.
    pub async fn audit_page(&self, party: &str, offset: i64, limit: i64) -> Result<(Vec<AuditRow>, i64), NodeError> {
        Ok(self.store.audit_page(party, offset, limit).await?)
    }

    /// The root key of each party as this node's trust holds it, and every node-key
    /// certificate of the log: (party, public key hex, label).
    ///
    /// # Errors
    /// Database errors; an unreadable certificate envelope.
    pub async fn keys_listing(&self) -> Result<(Vec<(String, String)>, Vec<(String, String, String)>), NodeError> {
        let roots = {
            let guard = self.store.lock().await;
            let trust = guard.trust();
            trust
                .parties()
                .into_iter()
                .map(|p| (p.clone(), trust.root(&p).map(|k| k.to_hex()).unwrap_or_default()))
                .collect()
        };
        let mut certs = vec![];
        for e in self.store.events_after(0, i64::MAX).await? {
            if e.kind == lajna_ledger::KEY_CERTIFIED_KIND {
                let env: lajna_ledger::Envelope = serde_json::from_str(&e.raw.envelope)
                    .map_err(|err| NodeError::Store(lajna_store::StoreError::Corrupt(err.to_string())))?;
                let text = |k: &str| env.body[k].as_str().unwrap_or("").to_string();
                certs.push((env.author.party.clone(), text("node"), text("label")));
            }
        }
        Ok((roots, certs))
    }

    /// Answers a peer's `heads` request: checks and keeps its checkpoint of our heads (a bad
    /// one refuses the request), notes the exchange, and replies with our heads and, when the
    /// caller told its heads, our checkpoint of those we hold.
    ///
    /// # Errors
    /// [`NodeError::Ledger`] for a refused checkpoint (named); [`NodeError::NotInitialised`]
    /// style store errors when there is no committee; database errors.
    pub async fn answer_heads(&self, party: &str, skew: i64, req: &HeadsRequest) -> Result<HeadsReply, NodeError> {
        if let Some(cp) = &req.checkpoint
            && let Err(e) = self.accept_checkpoint(cp, Some(party), "http").await
        {
            let why = format!("the checkpoint is refused: {e}");
            let _ = self.store.record_exchange(party, None, "http", 0, 1, Some(&why), Some(skew)).await;
            return Err(e);
        }
        let committee = self.store.committee().await.ok_or(NodeError::Store(lajna_store::StoreError::Empty))?;
        let mut checkpoint = None;
        if let Some(theirs) = &req.heads {
            let _ = self.store.record_exchange(party, Some(theirs), "http", 0, 0, None, Some(skew)).await;
            checkpoint = self.checkpoint_for(theirs, Some(party)).await?;
        }
        Ok(HeadsReply { committee, parties: self.parties(), heads: self.store.heads().await, checkpoint })
    }

    /// Answers a peer's `pull`: one page of the events it lacks, parents first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn answer_pull(&self, party: &str, skew: i64, req: &PullRequest) -> Result<PullReply, NodeError> {
        let (events, next) = self.store.missing_for(&req.heads, req.after, crate::sync::PAGE).await?;
        let _ = self.store.record_exchange(party, Some(&req.heads), "http-pull", 0, 0, None, Some(skew)).await;
        Ok(PullReply { events: events.into_iter().map(|e| e.raw).collect(), next })
    }

    /// Receives a peer's `push` and notes the exchange (with the first refusal, if any).
    ///
    /// # Errors
    /// As [`Node::receive_batch`].
    pub async fn answer_push(&self, party: &str, skew: i64, req: &PushRequest) -> Result<PushReply, NodeError> {
        let reply = self.receive_batch(&req.events).await?;
        let error = reply.refused.first().map(|(id, why)| format!("{id}: {why}"));
        let (applied, refused) =
            (i64::try_from(reply.applied).unwrap_or(i64::MAX), i64::try_from(reply.refused.len()).unwrap_or(i64::MAX));
        let _ =
            self.store.record_exchange(party, None, "http-push", applied, refused, error.as_deref(), Some(skew)).await;
        Ok(reply)
    }

    /// Each other party's last exchange, this node's heads and counts (the sync page).
    ///
    /// # Errors
    /// Database errors.
    pub async fn sync_status(&self) -> Result<SyncStatus, NodeError> {
        let committee = self.store.charter().await?.map(|(_, c)| c);
        let mut peers = vec![];
        for p in committee.iter().flat_map(|c| c.parties.iter()) {
            if self.keys.contains_key(p.code.as_str()) {
                continue;
            }
            let row = self.store.peer(p.code.as_str()).await?;
            let warn = row.clock_skew_seconds.is_some_and(|s| s.abs() > crate::sync::WARN_SKEW_SECONDS);
            peers.push((row, warn));
        }
        let events = self.store.event_count().await?;
        let pending = self.store.pending_count().await?;
        Ok(SyncStatus { peers, heads: self.store.heads().await, events, pending })
    }

    /// The store's generation: changes with every write, sync or rebuild (cache key).
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.store.generation()
    }

    /// Closes the store (checkpoints SQLite's write-ahead log) and releases the data directory.
    pub async fn close(self) {
        self.store.close().await;
    }

    /// The store, for tests that play the attacker or check the database itself.
    #[cfg(feature = "test-support")]
    #[must_use]
    pub fn store(&self) -> &lajna_store::Store {
        &self.store
    }
}
