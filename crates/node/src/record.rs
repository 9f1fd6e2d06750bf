//! The record as people read it (issue 12 item 4): the result of the last full verification,
//! kept rather than recomputed per request, and which events each user may see.
//!
//! **Verification.** [`Store::verify`](lajna_store::Store::verify) re-checks the whole log from
//! scratch (0.24 s at 2,048 events). The node runs it once at start in the background and then
//! on a schedule ([`Node::keep_verified`], spawned by `lajna serve`), or lazily once when a page
//! asks before any result exists ([`Node::verification`]); pages show the kept
//! [`Verification`]. Events appended or received since were checked on the way in by the store
//! (the same checks), so a page can say "verified on receipt" for them without a full run.
//! [`Node::full_verifications`] counts the full runs.
//!
//! **Visibility.** An event concerns one record: the record its body names in `record`, or, for
//! a creation, the record it creates (whose id is the event's own id). A user sees an event
//! only when they may see that record: its marking allows them
//! ([`crate::documents::may_see`], the one access rule), and a private record only by users of
//! its party. Events of hidden records are left out entirely, ids included. The record of each
//! event is kept in an index beside the store, brought up to date from the store's generation
//! (only new events are read).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use lajna_store::{StoreError, StoredEvent};
use serde_json::Value;

use crate::NodeError;
use crate::auth::User;
use crate::{Node, now_rfc3339};

// The plain types of the record page and the one access rule of a record live in
// `lajna_door` (re-exported here).
pub use lajna_door::record::{EventCheck, LogKind, Verification, VisibleEvents, hidden_records, may_see_entry};

/// What the node keeps about its record (see the module doc). Part of [`Node`].
#[derive(Default)]
pub struct RecordState {
    last: Mutex<Option<Arc<Verification>>>,
    runs: AtomicU64,
    running: tokio::sync::Mutex<()>,
    index: tokio::sync::Mutex<EventIndex>,
}

/// (seq, record id) of every event of each log, up to the store generation it was read at.
#[derive(Default)]
struct EventIndex {
    generation: Option<u64>,
    shared: Vec<(i64, String)>,
    private: Vec<(i64, String)>,
}

/// The record an event concerns: its body's `record`, else the event itself (a creation).
#[must_use]
pub fn record_of(event: &StoredEvent) -> String {
    serde_json::from_str::<Value>(&event.raw.envelope)
        .ok()
        .and_then(|env| env.pointer("/body/record").and_then(Value::as_str).map(String::from))
        .unwrap_or_else(|| event.id.clone())
}

impl Node {
    /// Runs a full verification of the log now, keeps and returns its result. Runs one at a
    /// time: a call while another runs waits for it, then runs its own.
    ///
    /// # Errors
    /// Database errors (a bad event is a result, not an error).
    pub async fn verify_now(&self) -> Result<Arc<Verification>, NodeError> {
        let _running = self.record.running.lock().await;
        Ok(self.verify_locked().await?)
    }

    async fn verify_locked(&self) -> Result<Arc<Verification>, StoreError> {
        let store = &self.store;
        let at = now_rfc3339();
        let shared_seq = store.event_count().await?;
        let private_seq = store.private_events().await?.last().map_or(0, |e| e.seq);
        let report = store.verify().await?;
        self.record.runs.fetch_add(1, Ordering::SeqCst);
        let bad = match &report.problem {
            None => None,
            Some((id, _)) => Some(self.position_of(id, &report, shared_seq).await?),
        };
        let v = Arc::new(Verification {
            at,
            events: report.events,
            shared_seq,
            private_seq,
            problem: report.problem,
            bad,
            stored_hash: report.stored_hash,
            rebuilt_hash: report.rebuilt_hash,
        });
        *self.record.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(v.clone());
        Ok(v)
    }

    /// Where the bad event `id` is; events are verified in order (shared, then private), so
    /// when it cannot be found by id it is the one after the last verified.
    async fn position_of(
        &self,
        id: &str,
        report: &lajna_store::VerifyReport,
        shared_seq: i64,
    ) -> Result<(LogKind, i64), StoreError> {
        if let Some(e) = self.store.events_for_record(id).await?.into_iter().find(|e| e.id == id) {
            return Ok((LogKind::Shared, e.seq));
        }
        if let Some(e) = self.store.private_events().await?.into_iter().find(|e| e.id == id) {
            return Ok((LogKind::Private, e.seq));
        }
        let checked = i64::try_from(report.events).unwrap_or(i64::MAX);
        Ok(if checked < shared_seq {
            (LogKind::Shared, checked.saturating_add(1))
        } else {
            (LogKind::Private, checked - shared_seq + 1)
        })
    }

    /// The last full verification, if one has completed.
    #[must_use]
    pub fn last_verification(&self) -> Option<Arc<Verification>> {
        self.record.last.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The last full verification; when none has completed yet, waits for the one running or
    /// runs one (once, whatever the number of callers).
    ///
    /// # Errors
    /// Database errors of that first run.
    pub async fn verification(&self) -> Result<Arc<Verification>, NodeError> {
        if let Some(v) = self.last_verification() {
            return Ok(v);
        }
        let _running = self.record.running.lock().await;
        if let Some(v) = self.last_verification() {
            return Ok(v);
        }
        Ok(self.verify_locked().await?)
    }

    /// How many full verifications this node has run since it was opened.
    #[must_use]
    pub fn full_verifications(&self) -> u64 {
        self.record.runs.load(Ordering::SeqCst)
    }

    /// Verifies the log now, then every `every`, forever (spawned by `lajna serve`). A failed
    /// run (a database error) is logged and retried at the next round; a bad event is logged.
    pub async fn keep_verified(self: Arc<Self>, every: Duration) {
        loop {
            match self.verify_now().await {
                Ok(v) if v.ok() => tracing::info!(events = v.events, "full verification: ok"),
                Ok(v) => tracing::error!(problem = ?v.problem, "full verification failed; run `lajna verify`"),
                Err(e) => tracing::warn!(error = %e, "full verification could not run; will retry"),
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Brings the event index up to the store's generation, reading only new events.
    async fn event_index(&self) -> Result<tokio::sync::MutexGuard<'_, EventIndex>, StoreError> {
        let mut index = self.record.index.lock().await;
        let generation = self.store.generation();
        if index.generation == Some(generation) {
            return Ok(index);
        }
        loop {
            let after = index.shared.last().map_or(0, |(s, _)| *s);
            let page = self.store.events_after(after, 1000).await?;
            if page.is_empty() {
                break;
            }
            index.shared.extend(page.iter().map(|e| (e.seq, record_of(e))));
        }
        let after = index.private.last().map_or(0, |(s, _)| *s);
        let private: Vec<(i64, String)> = self
            .store
            .private_events()
            .await?
            .iter()
            .filter(|e| e.seq > after)
            .map(|e| (e.seq, record_of(e)))
            .collect();
        index.private.extend(private);
        index.generation = Some(generation);
        Ok(index)
    }

    /// The events of each log `user` may see (see the module doc), by sequence number.
    ///
    /// # Errors
    /// Database errors.
    pub async fn visible_events(&self, user: &User) -> Result<VisibleEvents, NodeError> {
        let index = self.event_index().await?;
        let hidden = self.with_state(|s| hidden_records(user, s)).await;
        let keep = |list: &[(i64, String)]| -> Vec<i64> {
            list.iter().filter(|(_, r)| !hidden.contains(r)).map(|(s, _)| *s).collect()
        };
        Ok(VisibleEvents { shared: keep(&index.shared), private: keep(&index.private) })
    }

    /// The stored events of `log` with the sequence numbers `seqs` (ascending), in that order.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn events_at(&self, log: LogKind, seqs: &[i64]) -> Result<Vec<StoredEvent>, NodeError> {
        let (Some(first), Some(last)) = (seqs.first(), seqs.last()) else { return Ok(vec![]) };
        let wanted: HashSet<i64> = seqs.iter().copied().collect();
        let events = match log {
            LogKind::Shared => self.store.events_after(first - 1, last - first + 1).await?,
            LogKind::Private => self.store.private_events().await?,
        };
        Ok(events.into_iter().filter(|e| wanted.contains(&e.seq)).collect())
    }

    /// The shared events `user` may see with `seq > after`, at most `limit`, in local order.
    ///
    /// # Errors
    /// Database errors.
    pub async fn visible_events_after(
        &self,
        user: &User,
        after: i64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, NodeError> {
        let seqs: Vec<i64> =
            self.visible_events(user).await?.shared.into_iter().filter(|s| *s > after).take(limit).collect();
        self.events_at(LogKind::Shared, &seqs).await
    }

    /// Whether `user` may see the record `id` (true for an id the state does not hold).
    pub async fn may_see_record(&self, user: &User, id: &str) -> bool {
        self.with_state(|s| s.entry(id).is_none_or(|e| may_see_entry(user, e))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verification(bad: Option<(LogKind, i64)>) -> Verification {
        Verification {
            at: "2025-11-18T09:00:00Z".into(),
            events: 10,
            shared_seq: 8,
            private_seq: 2,
            problem: bad.map(|_| ("e".into(), "altered".into())),
            bad,
            stored_hash: "h".into(),
            rebuilt_hash: "h".into(),
        }
    }

    #[test]
    fn events_before_the_bad_one_are_verified_and_those_after_it_not_checked() {
        let v = verification(Some((LogKind::Shared, 5)));
        assert!(!v.ok());
        assert_eq!(v.check_of(LogKind::Shared, 4), EventCheck::Verified);
        assert_eq!(v.check_of(LogKind::Shared, 5), EventCheck::Failed);
        assert_eq!(v.check_of(LogKind::Shared, 6), EventCheck::NotChecked);
        assert_eq!(v.check_of(LogKind::Shared, 9), EventCheck::NotChecked);
        // The private log is checked after the shared one.
        assert_eq!(v.check_of(LogKind::Private, 1), EventCheck::NotChecked);
        let v = verification(Some((LogKind::Private, 2)));
        assert_eq!(v.check_of(LogKind::Shared, 8), EventCheck::Verified);
        assert_eq!(v.check_of(LogKind::Private, 1), EventCheck::Verified);
        assert_eq!(v.check_of(LogKind::Private, 2), EventCheck::Failed);
    }

    #[test]
    fn events_stored_after_a_sound_full_verification_are_verified_on_receipt() {
        let v = verification(None);
        assert!(v.ok());
        assert_eq!(v.check_of(LogKind::Shared, 8), EventCheck::Verified);
        assert_eq!(v.check_of(LogKind::Shared, 9), EventCheck::OnReceipt);
        assert_eq!(v.check_of(LogKind::Private, 2), EventCheck::Verified);
        assert_eq!(v.check_of(LogKind::Private, 3), EventCheck::OnReceipt);
    }
}
