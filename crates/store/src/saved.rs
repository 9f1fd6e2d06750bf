//! The fold saved in the database (issue 11 item 4, migration `0013_saved_fold.sql`): the
//! in-memory fold as of a position of both logs, so that opening a store reads it and folds
//! only the events after it, instead of refolding the whole log (at 1,000,000 events the
//! refold took 8.9 s; BENCHMARKS.md).
//!
//! Derived data, like the projections: a saved fold is used only when it is of this binary's
//! [`FOLD_FORMAT`] and the log still holds the event it was saved at (the same id at the same
//! `seq` of each log); anything else — another format, a log cut below it, bytes that do not
//! read back — is ignored and the log refolded. `rebuild` rewrites it from the log (or removes
//! it, past [`SAVE_MAX_EVENTS`]); `verify` compares the fold opened from it with its own fold of
//! the whole log. The key rule (`Trust`) is not saved: it is read again from the few key events
//! (`events_trust` index).

use std::collections::BTreeSet;

use lajna_domain::State;
use lajna_ledger::{EventId, Trust};
use sqlx::Row;

use crate::dag::Dag;
use crate::{Inner, Log, StoreError, parse_stored, stored_event};

/// The format of a saved fold. Change it with anything that changes what a fold of the same
/// events holds (`State::apply_change`, `Entry`, the DAG's bytes): a store opened by a binary of
/// another format refolds its log once and saves the fold again.
pub const FOLD_FORMAT: &str = concat!("lajna-fold/1 ", env!("CARGO_PKG_VERSION"));

/// Events folded since the last save before the fold is saved again: at least this many, and at
/// least a tenth of the log, so that saving costs a bounded share of writing (the DAG is about
/// 48 bytes an event) and opening folds at most about a tenth of the log after the saved fold.
pub const SAVE_EVERY: u64 = 10_000;

/// The largest fold saved, in events (of both logs). Saving holds the DAG's bytes (about 48
/// bytes an event) about three times at once — encoded, bound to the statement, written by
/// SQLite — so a fold of 1,000,047 events took `rebuild` from 124 MB to 259 MB (BENCHMARKS.md,
/// session 13) past the 200 MB. Beyond this size the fold is not saved (and `rebuild`
/// removes a saved one): opening refolds what follows the last fold saved, as before. Writing
/// the DAG in parts would lift the limit.
pub const SAVE_MAX_EVENTS: usize = 250_000;

/// Whether a fold at `seen` events, last saved at `saved`, is due to be saved again.
pub(crate) fn due(seen: u64, saved: u64) -> bool {
    seen.saturating_sub(saved) >= SAVE_EVERY.max(seen / 10)
}

/// Whether `inner` is to be saved now: [`due`], and not beyond [`SAVE_MAX_EVENTS`].
pub(crate) fn due_for(inner: &Inner) -> bool {
    inner.dag.len() <= SAVE_MAX_EVENTS && due(inner.seen(), inner.saved)
}

/// Removes the saved fold (`rebuild`, for a fold too large to save: a saved fold it would not
/// replace may be the one being repaired).
pub(crate) async fn forget(conn: &mut sqlx::SqliteConnection) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM saved_fold").execute(&mut *conn).await?;
    Ok(())
}

/// Writes `inner` as the saved fold, replacing the one before (in `conn`'s transaction, if it is
/// one: the write path saves in the transaction that appended, so the row is the fold of the
/// log it commits with).
pub(crate) async fn save(conn: &mut sqlx::SqliteConnection, inner: &Inner) -> Result<(), StoreError> {
    let shared_id = id_at(conn, Log::Shared, inner.shared_seq).await?.unwrap_or_default();
    let private_id = id_at(conn, Log::Private, inner.private_seq).await?.unwrap_or_default();
    let (state, dag, heads) = encode(inner);
    sqlx::query(
        "INSERT OR REPLACE INTO saved_fold (one, format, shared_seq, shared_id, private_seq, private_id, state, dag, heads) \
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(FOLD_FORMAT)
    .bind(inner.shared_seq)
    .bind(shared_id)
    .bind(inner.private_seq)
    .bind(private_id)
    .bind(state)
    .bind(dag)
    .bind(heads)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The id of the event at `seq` of `log` (`Some("")` at 0, before the first event).
async fn id_at(conn: &mut sqlx::SqliteConnection, log: Log, seq: i64) -> Result<Option<String>, StoreError> {
    if seq == 0 {
        return Ok(Some(String::new()));
    }
    let sql = match log {
        Log::Shared => "SELECT id FROM events WHERE seq = ?",
        Log::Private => "SELECT id FROM private_events WHERE seq = ?",
    };
    Ok(sqlx::query_scalar::<_, String>(sql).bind(seq).fetch_optional(&mut *conn).await?)
}

/// The three blobs of a saved fold: state, DAG, heads.
fn encode(inner: &Inner) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut heads = Vec::new();
    for set in [
        inner.heads.iter().collect::<Vec<_>>(),
        inner.private_heads.iter().collect(),
        inner.private_ids.iter().collect(),
    ] {
        heads.extend_from_slice(&u32::try_from(set.len()).unwrap_or(u32::MAX).to_le_bytes());
        for id in set {
            heads.extend_from_slice(&id.0);
        }
    }
    (inner.state.saved(), inner.dag.encode(), heads)
}

/// Reads [`encode`]'s heads blob back: shared heads, private heads, private ids.
fn decode_heads(mut bytes: &[u8]) -> Option<[Vec<EventId>; 3]> {
    let mut sets: [Vec<EventId>; 3] = Default::default();
    for set in &mut sets {
        let (n, rest) = bytes.split_first_chunk::<4>()?;
        let n = u32::from_le_bytes(*n) as usize;
        let (ids, rest) = rest.split_at_checked(n.checked_mul(32)?)?;
        *set = ids.chunks_exact(32).map(|c| EventId(c.try_into().unwrap_or([0; 32]))).collect();
        bytes = rest;
    }
    bytes.is_empty().then_some(sets)
}

/// The saved fold, when there is a usable one (see the module); `None` otherwise, and the caller
/// refolds the log. Why one was not usable is logged at debug level.
pub(crate) async fn load(conn: &mut sqlx::SqliteConnection) -> Result<Option<Inner>, StoreError> {
    let Some(row) = sqlx::query(
        "SELECT format, shared_seq, shared_id, private_seq, private_id, state, dag, heads FROM saved_fold WHERE one = 1",
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let not_used = |why: &str| {
        tracing::debug!(why, "store: the saved fold is not used; folding the log");
        Ok(None)
    };
    if row.get::<String, _>(0) != FOLD_FORMAT {
        return not_used("another format");
    }
    let (shared_seq, private_seq): (i64, i64) = (row.get(1), row.get(3));
    for (log, seq, id) in [(Log::Shared, shared_seq, row.get::<String, _>(2)), (Log::Private, private_seq, row.get(4))]
    {
        if id_at(conn, log, seq).await?.as_deref() != Some(id.as_str()) {
            return not_used("the log no longer holds the event it was saved at");
        }
    }
    let (Ok(state), Some(dag), Some([heads, private_heads, private_ids])) = (
        State::from_saved(&row.get::<Vec<u8>, _>(5)),
        Dag::decode(&row.get::<Vec<u8>, _>(6)),
        decode_heads(&row.get::<Vec<u8>, _>(7)),
    ) else {
        return not_used("its bytes do not read back");
    };
    // The key rule from the key events up to the saved position, in log order (as the fold
    // admitted them).
    let mut trust = Trust::default();
    // The literal kinds, as in the partial index `events_trust` (SQLite uses a partial index
    // only for a query whose terms match its own).
    let keys = sqlx::query(
        "SELECT seq, id, lamport, party, kind, at, envelope, sigs, received_at FROM events \
         WHERE kind IN ('ledger.genesis', 'ledger.key_certified', 'ledger.key_revoked') AND seq <= ? ORDER BY seq",
    )
    .bind(shared_seq)
    .fetch_all(&mut *conn)
    .await?;
    for row in keys {
        trust.admit(&parse_stored(&stored_event(row)?)?);
    }
    let mut inner = Inner::empty();
    inner.state = state;
    inner.trust = trust;
    inner.dag = dag;
    inner.heads = heads.into_iter().collect::<BTreeSet<_>>();
    inner.private_heads = private_heads.into_iter().collect();
    inner.private_ids = private_ids.into_iter().collect();
    inner.shared_seq = shared_seq;
    inner.private_seq = private_seq;
    inner.saved = inner.seen();
    Ok(Some(inner))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_key_events_read_at_opening_are_the_kinds_the_key_rule_admits() {
        // `load`'s query and the partial index `events_trust` name them literally.
        let sql = include_str!("../migrations/0013_saved_fold.sql");
        for kind in [lajna_ledger::GENESIS_KIND, lajna_ledger::KEY_CERTIFIED_KIND, lajna_ledger::KEY_REVOKED_KIND] {
            assert!(sql.contains(&format!("'{kind}'")), "{kind} in the index");
            assert!(include_str!("saved.rs").contains(&format!("'{kind}'")), "{kind} in the query");
        }
    }

    #[test]
    fn the_fold_is_saved_every_ten_thousand_events_or_every_tenth_of_the_log() {
        assert!(!super::due(9_999, 0));
        assert!(super::due(10_000, 0));
        assert!(!super::due(150_000, 140_001));
        assert!(super::due(150_000, 135_000));
        assert!(!super::due(1_000_000, 900_001));
        assert!(super::due(1_000_000, 900_000));
    }
}
