//! What sync needs from the store: the events a peer lacks given its heads, the peers table,
//! the nonces of accepted sync requests, and the checkpoints peers signed of this node's log
//! (issue 12 item 5: [`Store::check_checkpoints`] names a truncation).

use std::collections::HashSet;

use lajna_ledger::checkpoint::trust_with_certificates;
use lajna_ledger::{Checkpoint, CheckpointStatement, EventId, LedgerError, SignedEvent};
use sqlx::Row;

use crate::{Store, StoreError, StoredEvent};

/// What this node knows of a peer party.
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

impl Store {
    /// The ancestors (inclusive) of `heads` that this store holds.
    async fn closure(&self, heads: &[EventId]) -> HashSet<EventId> {
        let inner = self.current().await;
        let mut seen = HashSet::new();
        let mut stack: Vec<EventId> = heads.iter().filter(|h| inner.dag.contains(h)).copied().collect();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(inner.dag.parents(&id).filter(|p| !seen.contains(p)));
            }
        }
        seen
    }

    /// Up to `limit` events with `seq > after` that are not ancestors of `peer_heads`: what a
    /// peer with those heads lacks, parents before children. Returns them and the cursor to
    /// continue from (`None` when nothing is left).
    ///
    /// # Errors
    /// Database errors.
    pub async fn missing_for(
        &self,
        peer_heads: &[EventId],
        after: i64,
        limit: usize,
    ) -> Result<(Vec<StoredEvent>, Option<i64>), StoreError> {
        let known = self.closure(peer_heads).await;
        let mut out = Vec::new();
        let mut cursor = after;
        loop {
            let page = self.events_after(cursor, 1000).await?;
            let Some(last) = page.last().map(|e| e.seq) else { return Ok((out, None)) };
            for e in page {
                cursor = e.seq;
                if !known.contains(&e.raw.id()) {
                    out.push(e);
                    if out.len() == limit {
                        return Ok((out, Some(cursor)));
                    }
                }
            }
            cursor = last;
        }
    }

    /// This store's current heads.
    pub async fn heads(&self) -> Vec<EventId> {
        self.current().await.heads.iter().copied().collect()
    }

    /// Whether every id is stored.
    pub async fn has_all(&self, ids: &[EventId]) -> bool {
        let inner = self.current().await;
        ids.iter().all(|i| inner.dag.contains(i))
    }

    /// The peer row of `party` (default when never heard of).
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn peer(&self, party: &str) -> Result<PeerRow, StoreError> {
        let row = sqlx::query(
            "SELECT party, heads, last_sync_at, last_direction, received, refused, last_error, clock_skew_seconds FROM peers WHERE party = ?",
        )
        .bind(party)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(PeerRow { party: party.into(), ..PeerRow::default() }) };
        let heads: Vec<EventId> = serde_json::from_str(&r.get::<String, _>(1))
            .map_err(|e| StoreError::Corrupt(format!("peer heads: {e}")))?;
        Ok(PeerRow {
            party: r.get(0),
            heads,
            last_sync_at: r.get(2),
            last_direction: r.get(3),
            received: r.get(4),
            refused: r.get(5),
            last_error: r.get(6),
            clock_skew_seconds: r.get(7),
        })
    }

    /// Records an exchange with `party`: its heads (when learned), counts added to the totals,
    /// the last error (or none), the clock skew (when measured).
    ///
    /// # Errors
    /// Database errors.
    #[allow(clippy::too_many_arguments, reason = "one row's columns; every caller names them in order")]
    pub async fn record_exchange(
        &self,
        party: &str,
        heads: Option<&[EventId]>,
        direction: &str,
        received: i64,
        refused: i64,
        error: Option<&str>,
        skew: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut p = self.peer(party).await?;
        if let Some(h) = heads {
            p.heads = h.to_vec();
        }
        let heads = serde_json::to_string(&p.heads).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO peers (party, heads, last_sync_at, last_direction, received, refused, last_error, clock_skew_seconds)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(party) DO UPDATE SET heads = excluded.heads, last_sync_at = excluded.last_sync_at,
             last_direction = excluded.last_direction, received = excluded.received, refused = excluded.refused,
             last_error = excluded.last_error, clock_skew_seconds = excluded.clock_skew_seconds",
        )
        .bind(party)
        .bind(heads)
        .bind(crate::now())
        .bind(direction)
        .bind(p.received + received)
        .bind(p.refused + refused)
        .bind(error)
        .bind(skew.or(p.clock_skew_seconds))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Accepts a sync-request nonce once: true the first time, false for a replay. Nonces older
    /// than `forget_before` (RFC 3339 UTC) are forgotten (requests that old are refused anyway).
    ///
    /// # Errors
    /// Database errors.
    pub async fn use_nonce(&self, nonce: &str, node: &str, forget_before: &str) -> Result<bool, StoreError> {
        sqlx::query("DELETE FROM sync_nonces WHERE at < ?").bind(forget_before).execute(&self.pool).await?;
        let n = sqlx::query("INSERT OR IGNORE INTO sync_nonces (nonce, node, at) VALUES (?, ?, ?)")
            .bind(nonce)
            .bind(node)
            .bind(crate::now())
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n == 1)
    }
}

/// A checkpoint a peer node signed, as this node keeps it (the newest per signing node).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCheckpoint {
    /// The checkpoint, as received (statement bytes and signature).
    pub checkpoint: Checkpoint,
    /// Party of the signing node.
    pub party: String,
    /// Signing node key, hex.
    pub node: String,
    /// Signer's time, RFC 3339 UTC.
    pub at: String,
    /// Events in its heads and their ancestors.
    pub count: i64,
    /// The heads it signed for.
    pub heads: Vec<EventId>,
    /// How it came: `http`, `bundle-import`.
    pub via: String,
    /// When it came, this node's clock.
    pub received_at: String,
}

/// One kept checkpoint compared with the log ([`Store::check_checkpoints`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckpointCheck {
    /// Party of the signing node.
    pub party: String,
    /// Signing node key, hex.
    pub node: String,
    /// Signer's time.
    pub at: String,
    /// Heads it signed for.
    pub heads: usize,
    /// Events it signed for (heads and ancestors).
    pub count: i64,
    /// What is wrong, for people: `None` when this log holds everything it signed for.
    pub problem: Option<String>,
}

impl Store {
    /// The ancestors (inclusive) of `heads` that this store holds, counted.
    async fn closure_len(&self, heads: &[EventId]) -> usize {
        self.closure(heads).await.len()
    }

    /// What this store can witness of `heads` (another node's heads): those it holds, and the
    /// number of events in them and their ancestors here.
    pub async fn attest(&self, heads: &[EventId]) -> (Vec<EventId>, u64) {
        let held: Vec<EventId> = {
            let inner = self.current().await;
            heads.iter().filter(|h| inner.dag.contains(h) && !inner.private_ids.contains(h)).copied().collect()
        };
        let count = self.closure_len(&held).await as u64;
        (held, count)
    }

    /// Checks a checkpoint against this store's trust, and the node-key certificates among
    /// `carried` (events arriving beside it, not stored yet: a new node's first bundle carries
    /// its certificate): bytes, signature, committee, certified key.
    ///
    /// # Errors
    /// The [`LedgerError`] saying why it is refused.
    pub async fn check_checkpoint(
        &self,
        checkpoint: &Checkpoint,
        carried: &[SignedEvent],
    ) -> Result<CheckpointStatement, LedgerError> {
        let trust = {
            let inner = self.current().await;
            if carried.is_empty() { inner.trust.clone() } else { trust_with_certificates(&inner.trust, carried) }
        };
        checkpoint.verify(&trust)
    }

    /// Keeps a checkpoint (checked by [`Store::check_checkpoint`]) unless the one kept for its
    /// node is newer (by the signer's time). Returns whether it was kept.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`] for a time that is not RFC 3339.
    pub async fn keep_checkpoint(
        &self,
        checkpoint: &Checkpoint,
        statement: &CheckpointStatement,
        via: &str,
    ) -> Result<bool, StoreError> {
        let time = |t: &str| {
            t.parse::<jiff::Timestamp>()
                .map_err(|e| StoreError::Corrupt(format!("checkpoint time {t:?} is not RFC 3339: {e}")))
        };
        let new_at = time(&statement.at)?;
        let old: Option<String> = sqlx::query_scalar("SELECT at FROM checkpoints WHERE node = ?")
            .bind(&statement.node)
            .fetch_optional(&self.pool)
            .await?;
        if let Some(old) = old
            && time(&old).is_ok_and(|old| old > new_at)
        {
            return Ok(false);
        }
        let heads = serde_json::to_string(&statement.heads).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let count = i64::try_from(statement.count).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO checkpoints (node, party, at, count, heads, statement, signature, via, received_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(node) DO UPDATE SET party = excluded.party, at = excluded.at, count = excluded.count,
             heads = excluded.heads, statement = excluded.statement, signature = excluded.signature,
             via = excluded.via, received_at = excluded.received_at",
        )
        .bind(&statement.node)
        .bind(&statement.party)
        .bind(&statement.at)
        .bind(count)
        .bind(heads)
        .bind(&checkpoint.statement)
        .bind(&checkpoint.signature)
        .bind(via)
        .bind(crate::now())
        .execute(&self.pool)
        .await?;
        Ok(true)
    }

    /// The kept checkpoints, by party and node.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn checkpoints(&self) -> Result<Vec<StoredCheckpoint>, StoreError> {
        let rows = sqlx::query(
            "SELECT node, party, at, count, heads, statement, signature, via, received_at FROM checkpoints ORDER BY party, node",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let heads: Vec<EventId> = serde_json::from_str(&r.get::<String, _>(4))
                    .map_err(|e| StoreError::Corrupt(format!("checkpoint heads: {e}")))?;
                Ok(StoredCheckpoint {
                    checkpoint: Checkpoint { statement: r.get(5), signature: r.get(6) },
                    node: r.get(0),
                    party: r.get(1),
                    at: r.get(2),
                    count: r.get(3),
                    heads,
                    via: r.get(7),
                    received_at: r.get(8),
                })
            })
            .collect()
    }

    /// Compares the log with every kept checkpoint, except those signed by a key revoked since,
    /// as `lajna verify` does: the checkpoint still verifies (signature, certified key: against the trust of this log), every head
    /// the peer signed for is in the `events` table, and the heads with their ancestors here
    /// are as many events as the peer counted. A head missing means this log lost events the
    /// peer saw in it: it was truncated or rolled back.
    ///
    /// # Errors
    /// Database errors only; a failed check is a [`CheckpointCheck::problem`].
    pub async fn check_checkpoints(&self) -> Result<Vec<CheckpointCheck>, StoreError> {
        let trust = self.current().await.trust.clone();
        let mut out = Vec::new();
        for kept in self.checkpoints().await? {
            // A checkpoint signed by a key since revoked witnesses nothing (a leaked key could
            // have signed it): it is not checked, and the peer's next one, signed by its new key,
            // takes over.
            if lajna_ledger::PublicKey::parse(&kept.node).is_ok_and(|k| trust.revocation(&kept.party, &k).is_some()) {
                continue;
            }
            let peer = format!("the peer {} node {}", kept.party, kept.node);
            let mut check = CheckpointCheck {
                party: kept.party.clone(),
                node: kept.node.clone(),
                at: kept.at.clone(),
                heads: kept.heads.len(),
                count: kept.count,
                problem: None,
            };
            let statement = match kept.checkpoint.verify(&trust) {
                Ok(s) => s,
                Err(e) => {
                    check.problem = Some(format!(
                        "the checkpoint kept from {peer} (signed at {}) does not verify against this log: {e} \
                         (a certificate missing from the log means it was truncated; otherwise the row was altered)",
                        kept.at
                    ));
                    out.push(check);
                    continue;
                }
            };
            if statement.node != kept.node || statement.heads != kept.heads || statement.at != kept.at {
                check.problem =
                    Some(format!("the checkpoint kept from {peer}: its row differs from its signed statement"));
                out.push(check);
                continue;
            }
            for head in &statement.heads {
                let held: Option<i64> = sqlx::query_scalar("SELECT seq FROM events WHERE id = ?")
                    .bind(head.to_hex())
                    .fetch_optional(&self.pool)
                    .await?;
                if held.is_none() {
                    check.problem = Some(format!(
                        "{peer} signed at {} that it holds event {}, which this node does not have: the log was truncated or rolled back",
                        statement.at,
                        head.to_hex()
                    ));
                    break;
                }
            }
            if check.problem.is_none() {
                let here = self.closure_len(&statement.heads).await as u64;
                if here < statement.count {
                    check.problem = Some(format!(
                        "{peer} signed at {} that it holds {} events up to its heads; this node holds {here} of them: the log was truncated or rolled back",
                        statement.at, statement.count
                    ));
                }
            }
            out.push(check);
        }
        Ok(out)
    }
}
