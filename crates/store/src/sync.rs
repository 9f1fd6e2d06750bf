//! What sync needs from the store: the events a peer lacks given its heads, the peers table,
//! and the nonces of accepted sync requests.

use std::collections::HashSet;

use lajna_ledger::EventId;
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
        let inner = self.inner.lock().await;
        let mut seen = HashSet::new();
        let mut stack: Vec<EventId> = heads.iter().filter(|h| inner.lamports.contains_key(h)).copied().collect();
        while let Some(id) = stack.pop() {
            if seen.insert(id)
                && let Some(ps) = inner.parents.get(&id)
            {
                stack.extend(ps.iter().filter(|p| !seen.contains(*p)));
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
        self.inner.lock().await.heads.iter().copied().collect()
    }

    /// Whether every id is stored.
    pub async fn has_all(&self, ids: &[EventId]) -> bool {
        let inner = self.inner.lock().await;
        ids.iter().all(|i| inner.lamports.contains_key(i))
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
