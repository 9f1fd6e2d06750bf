//! The SQLite store of one node: the append-only event table, the projections, and the only
//! SQL in Lajna.
//!
//! Invariants kept here (DESIGN.md §4): only verified events are appended (every signature,
//! certificate, parent and Lamport clock checked, and the body accepted by the domain);
//! the database refuses UPDATE and DELETE on `events`; a batch of events and the projection
//! rows it changes are written in one SQLite transaction, so a command commits fully or not
//! at all; projections are derived and [`Store::rebuild`] refolds them to the same
//! [`Store::state_hash`]. An event whose parents are missing waits in `pending`.

mod backup;
mod dag;
mod error;
mod feeds;
pub mod hash;
mod local;
mod notify;
mod saved;
mod sync;
mod two_factor;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use lajna_domain::{Change, Charter, DomainError, Meta, State, parse_event};
use lajna_ledger::{
    EventId, GENESIS_KIND, KEY_REVOKED_KIND, KeyRevokedBody, SignedEvent, Trust, VerifiedEvent, canonical_value_vec,
    check_event,
};
use serde_json::Value;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use tokio::sync::{Mutex, MutexGuard};

use crate::dag::Dag;

pub use backup::committee_of;
pub use error::StoreError;
pub use feeds::FeedRow;
pub use hash::{RecordTexts, StateHasher};
pub use local::{AuditRow, SessionRow, UserRow};
pub use notify::{ContactRow, NotificationKey, NotificationRow, OutboxRow, OutboxStatus};
pub use saved::{FOLD_FORMAT, SAVE_EVERY, SAVE_MAX_EVENTS};
pub use sync::{CheckpointCheck, PeerRow, StoredCheckpoint};
pub use two_factor::{SignInStepRow, TotpRow};

/// An event as stored, with its local sequence number.
#[derive(Clone, Debug)]
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

/// The outcome of receiving one event from a peer or a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Verified, appended and applied (with any pending events it unblocked, in order).
    Applied(Vec<EventId>),
    /// Already stored: nothing changed (invariant 5).
    Duplicate(EventId),
    /// Verified as far as possible, but a parent is missing: kept aside, not applied.
    Pending(EventId),
}

/// Result of [`Store::verify`].
#[derive(Clone, Debug)]
pub struct VerifyReport {
    /// Events checked (all of them when `problem` is `None`).
    pub events: usize,
    /// State hash of a fresh fold of the log.
    pub rebuilt_hash: String,
    /// State hash of the stored projections.
    pub stored_hash: String,
    /// The first bad event and why: (event id as stored, reason); or a record that cannot be
    /// read back as its type: (its id, which is the id of the event that created it, reason).
    pub problem: Option<(String, String)>,
}

impl VerifyReport {
    /// Whether every event verified and the projections match a fresh fold.
    #[must_use]
    pub fn ok(&self) -> bool {
        self.problem.is_none() && self.rebuilt_hash == self.stored_hash
    }
}

/// Memory of the fold, kept beside the database and always equal to a fold of its log.
struct Inner {
    state: State,
    trust: Trust,
    /// Every event's clock and parents.
    dag: Dag,
    /// Heads of the shared log (what shared events and sync see).
    heads: BTreeSet<EventId>,
    /// Heads of this node's private log.
    private_heads: BTreeSet<EventId>,
    /// Every private event id (a shared event may never name one as parent).
    private_ids: std::collections::HashSet<EventId>,
    /// The highest `seq` of `events` folded here: a catch-up reads only what follows.
    shared_seq: i64,
    /// The highest `seq` of `private_events` folded here.
    private_seq: i64,
    /// [`Inner::seen`] when the fold was last saved or read from its save (`saved.rs`).
    saved: u64,
}

/// Which log an event belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Log {
    Shared,
    Private,
}

impl Inner {
    fn empty() -> Self {
        Self {
            state: State::default(),
            trust: Trust::default(),
            dag: Dag::default(),
            heads: BTreeSet::new(),
            private_heads: BTreeSet::new(),
            private_ids: std::collections::HashSet::new(),
            shared_seq: 0,
            private_seq: 0,
            saved: 0,
        }
    }

    /// Folds events read back from the database (written by this or another connection or
    /// process), in `seq` order; an event already known is skipped. Advances the seen `seq`.
    fn learn_stored(&mut self, stored: &[StoredEvent], log: Log) -> Result<(), StoreError> {
        for stored in stored {
            let event = parse_stored(stored)?;
            if !self.dag.contains(&event.id) {
                let change = parse_event(&event.envelope.kind, &event.envelope.body)
                    .map_err(|e| StoreError::Corrupt(format!("event {}: {e}", stored.id)))?;
                self.learn(&event, change, log);
            }
            let seen = match log {
                Log::Shared => &mut self.shared_seq,
                Log::Private => &mut self.private_seq,
            };
            *seen = (*seen).max(stored.seq);
        }
        Ok(())
    }

    /// The sum of the seen `seq`s: it grows with every event of either log.
    fn seen(&self) -> u64 {
        u64::try_from(self.shared_seq.saturating_add(self.private_seq)).unwrap_or(0)
    }

    fn learn(&mut self, event: &VerifiedEvent, change: Change, log: Log) -> Vec<String> {
        self.trust.admit(event);
        self.dag.insert(event.id, event.envelope.lamport, &event.envelope.parents);
        let heads = match log {
            Log::Shared => &mut self.heads,
            Log::Private => {
                self.private_ids.insert(event.id);
                &mut self.private_heads
            }
        };
        for p in &event.envelope.parents {
            heads.remove(p);
        }
        heads.insert(event.id);
        self.state.apply_change(&meta_of(event), change)
    }
}

fn meta_of(event: &VerifiedEvent) -> Meta {
    Meta {
        id: event.id.to_hex(),
        lamport: event.envelope.lamport,
        party: event.envelope.author.party.clone(),
        member: event.envelope.author.member.clone(),
        at: event.envelope.at.clone(),
    }
}

/// Runs every check on one event against a trust context and known clocks; on success the
/// caller may append it. Pure apart from the lookups it is given.
fn check_one(
    trust: &Trust,
    lamport_of: impl Fn(&EventId) -> Option<i64>,
    raw: &SignedEvent,
) -> Result<(VerifiedEvent, Change), StoreError> {
    // A new event is in no stored revocation's past: a revocation is stored after all its
    // ancestors (see `Trust`'s revocation rule).
    in_context(trust, lamport_of, |_| false, raw.id().to_hex(), check_event(raw), None)
}

/// The part of [`check_one`] that needs no context — the event's bytes, canonical form and
/// signatures (`check_event`), and its body read as a change — for one stored event, with the
/// id its bytes hash to. Pure, so [`Store::verify`] runs it on both cores.
type Prechecked = (String, Result<VerifiedEvent, lajna_ledger::LedgerError>, Option<Result<Change, DomainError>>);

fn precheck(raw: &SignedEvent) -> Prechecked {
    let event = check_event(raw);
    let change = event.as_ref().ok().map(|e| parse_event(&e.envelope.kind, &e.envelope.body));
    (raw.id().to_hex(), event, change)
}

/// `each` of `items` (answers in order) on this thread and a helper, the machine's second
/// core, while this thread first runs `meanwhile`: [`Store::verify`] prechecks the next page
/// of events while this thread replays the page before in log order (which only one thread
/// can do). The two threads take chunks of `CHUNK` items from a shared counter, so this
/// thread joins in as soon as `meanwhile` returns and neither waits for a fixed half. On one
/// core, `meanwhile` then `each`.
fn beside<I: Sync, R: Send, T>(
    items: &[I],
    each: impl Fn(&I) -> R + Sync,
    meanwhile: impl FnOnce() -> T,
) -> (T, Vec<R>) {
    const CHUNK: usize = 32;
    // Asked once: the answer reads the cgroup's files each time.
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let threads = *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    if threads < 2 || items.len() < 2 * CHUNK {
        let done = meanwhile();
        return (done, items.iter().map(&each).collect());
    }
    let chunks = items.chunks(CHUNK).collect::<Vec<_>>();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(chunk) = chunks.get(i) else { return done };
            done.push((i, chunk.iter().map(&each).collect::<Vec<_>>()));
        }
    };
    std::thread::scope(|scope| {
        let helper = scope.spawn(work);
        let result = meanwhile();
        let mut done = work();
        done.extend(helper.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        done.sort_unstable_by_key(|(i, _)| *i);
        (result, done.into_iter().flat_map(|(_, answers)| answers).collect())
    })
}

/// [`precheck`] of each of `events` on both cores while `meanwhile` runs ([`beside`]).
fn precheck_beside<T>(events: &[StoredEvent], meanwhile: impl FnOnce() -> T) -> (T, Vec<Prechecked>) {
    beside(events, |e| precheck(&e.raw), meanwhile)
}

/// The rest of [`check_one`], in the same order of checks (so the same error for the same
/// event): the `check_event` result, parents known, the key authorized (`before(r)`: whether
/// the event came before the revocation `r`, see [`Trust::authorize_known`]), the DAG's
/// Lamport rule, then the body (`parsed` when already read, else read here).
fn in_context(
    trust: &Trust,
    lamport_of: impl Fn(&EventId) -> Option<i64>,
    before: impl Fn(EventId) -> bool,
    claimed: String,
    checked: Result<VerifiedEvent, lajna_ledger::LedgerError>,
    parsed: Option<Result<Change, DomainError>>,
) -> Result<(VerifiedEvent, Change), StoreError> {
    let event = checked.map_err(|source| StoreError::Ledger { id: claimed.clone(), source })?;
    // Parents first: the certificate of the signing key is an ancestor, so before the
    // parents are stored the key cannot be judged (the event waits, see `receive`).
    let parents: Vec<Option<i64>> = event.envelope.parents.iter().map(&lamport_of).collect();
    if let Some((p, _)) = event.envelope.parents.iter().zip(&parents).find(|(_, l)| l.is_none()) {
        return Err(StoreError::MissingParent { id: claimed, parent: p.to_hex() });
    }
    trust.authorize_known(&event, before).map_err(|source| StoreError::Ledger { id: claimed.clone(), source })?;
    Trust::check_dag(&event.envelope, &parents).map_err(|source| StoreError::Ledger { id: claimed.clone(), source })?;
    let change = parsed
        .unwrap_or_else(|| parse_event(&event.envelope.kind, &event.envelope.body))
        .map_err(|source| StoreError::Domain { id: claimed.clone(), source })?;
    Ok((event, change))
}

/// [`Change::check_against`] the state an event would be folded into (rules a body alone cannot
/// show), as a store error naming the event.
fn against(state: &State, (event, change): (VerifiedEvent, Change)) -> Result<(VerifiedEvent, Change), StoreError> {
    change.check_against(state).map_err(|source| StoreError::Domain { id: event.id.to_hex(), source })?;
    Ok((event, change))
}

/// What [`Store::verify`] keeps while it replays the shared log in order: the keys (`trust`),
/// each event's Lamport clock and parents (the DAG), who signed what (the revocation rule,
/// see `Trust`), the state folded so far, the genesis and the count of good events.
#[derive(Default)]
struct Replay {
    trust: Trust,
    dag: Dag,
    signed: HashMap<String, Vec<EventId>>,
    state: State,
    genesis: Option<EventId>,
    events: usize,
}

impl Replay {
    /// Replays `page` (events in log order, each with its [`precheck`]): the first bad
    /// event, as (id as stored, why), or `None` when all were good and folded.
    fn page(&mut self, page: Vec<StoredEvent>, prechecked: Vec<Prechecked>) -> Option<(String, String)> {
        for (stored, (computed, checked, parsed)) in page.into_iter().zip(prechecked) {
            if computed != stored.id {
                return Some((stored.id, format!("its bytes hash to {computed}: the event was altered")));
            }
            let dag = &self.dag;
            // In log order an event stored after a revocation is never in its past (a
            // revocation is stored after all its ancestors): `before` is false.
            let (event, change) =
                match in_context(&self.trust, |p| dag.lamport(p), |_| false, computed, checked, parsed)
                    .and_then(|c| against(&self.state, c))
                {
                    Ok(good) => good,
                    Err(e) => return Some((stored.id, e.to_string())),
                };
            if let Some(why) = outside_revocation(&event, &self.signed, &self.dag) {
                return Some(why);
            }
            self.trust.admit(&event);
            self.dag.insert(event.id, event.envelope.lamport, &event.envelope.parents);
            // A few keys sign everything: look up before allocating the key.
            match self.signed.get_mut(&event.envelope.author.node) {
                Some(ids) => ids.push(event.id),
                None => {
                    self.signed.insert(event.envelope.author.node.clone(), vec![event.id]);
                }
            }
            if event.envelope.kind == GENESIS_KIND {
                self.genesis = Some(event.id);
            }
            self.state.apply_change(&meta_of(&event), change);
            self.events += 1;
        }
        None
    }
}

/// The store of one node.
///
/// One store, many processes (DESIGN.md §9): the server, the CLI (`doc add`, `import --apply`,
/// `bundle import`, `sync`…) and a second `Store` on the same file all append to the same
/// database. The memory fold follows the log by its local `seq`: every entry point that reads it
/// ([`Store::with_state`], [`Store::lock`], [`Store::committee`], [`Store::state_hash`]) first
/// compares the highest `seq` of `events` and `private_events` with what it has folded and, when
/// another connection appended, folds only the events after it (a catch-up, not a refold). A
/// write takes SQLite's write lock first (`BEGIN IMMEDIATE`) and catches up inside it, so the
/// projection rows it writes are those of the whole log. Every pool connection reports the
/// highest `seq`s when it is handed out, so [`Store::generation`] — synchronous, read by caches
/// before anything else — already moves when another process wrote.
pub struct Store {
    pool: SqlitePool,
    inner: Mutex<Inner>,
    /// The highest sum of the two logs' `seq`s observed in the database by any connection of
    /// this store (see [`Store::generation`]).
    observed: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The counter of changes to users, sessions and notifications (migration 0012) as last
    /// observed in the database (see [`Store::local_version_within`]).
    local: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Bumped by this store's own writes to those tables, so that they count before the next
    /// look at the database.
    local_bumps: std::sync::atomic::AtomicU64,
    /// Bumped when the projections are rewritten without a new event (rebuild, refold).
    bumps: std::sync::atomic::AtomicU64,
    /// (generation, state hash) of the last computation.
    hash_cache: std::sync::Mutex<Option<(u64, String)>>,
    /// The texts of the records last hashed ([`Store::state_hash`]).
    hash_texts: std::sync::Mutex<RecordTexts>,
    /// The last published fold: (generation it is equal to, an immutable copy). Readers take
    /// it without the fold's lock ([`Store::snapshot`]); writers replace it when they release
    /// the lock. The lock around it is held only to copy or swap the `Arc`.
    published: std::sync::RwLock<(u64, Arc<State>)>,
    /// How many writers hold the fold's lock now (0 or 1; see [`Writing`]).
    writing: std::sync::atomic::AtomicUsize,
    /// The committee's genesis id, once folded (it never changes).
    committee: std::sync::OnceLock<EventId>,
    /// When this store was opened: the origin of `looked`.
    epoch: std::time::Instant,
    /// When a connection last observed the logs' `seq`s (µs since `epoch`, see
    /// [`Store::snapshot_within`]).
    looked: Arc<std::sync::atomic::AtomicU64>,
}

/// Microseconds from `epoch` to now, at least 1 (0 means "never").
fn micros_since(epoch: std::time::Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX).max(1)
}

/// `SELECT` of the highest `seq` of each log (0 when empty): both are `INTEGER PRIMARY KEY`
/// AUTOINCREMENT, so each `MAX` is one seek, and a `seq` is never reused or assigned out of
/// commit order (SQLite has one writer at a time).
const MAX_SEQS: &str =
    "SELECT IFNULL((SELECT MAX(seq) FROM events), 0), IFNULL((SELECT MAX(seq) FROM private_events), 0)";

/// The highest `seq` of each log, read on `conn`.
async fn max_seqs(conn: &mut sqlx::SqliteConnection) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(MAX_SEQS).fetch_one(&mut *conn).await?;
    Ok((row.get(0), row.get(1)))
}

/// Events a catch-up reads at a time: the log is folded a page at a time, so opening a store
/// holds one page of stored events, not the whole log (3.4 GB at 1,000,000 events otherwise).
pub const CATCH_UP_PAGE: usize = 4096;

/// Events of `log` with `seq > after`, in `seq` order, at most `limit`, read on `conn`.
async fn stored_after(
    conn: &mut sqlx::SqliteConnection,
    log: Log,
    after: i64,
    limit: usize,
) -> Result<Vec<StoredEvent>, StoreError> {
    let rows = sqlx::query(match log {
        Log::Shared => {
            "SELECT seq, id, lamport, party, kind, at, envelope, sigs, received_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
        }
        Log::Private => {
            "SELECT seq, id, lamport, party, kind, at, envelope, sigs, received_at FROM private_events WHERE seq > ? ORDER BY seq LIMIT ?"
        }
    })
    .bind(after)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(stored_event).collect()
}

/// Brings `inner` up to the log as `conn` sees it: the shared events after its seen `seq`, then
/// the private ones (a private event may name shared parents, never the reverse), a page of
/// [`CATCH_UP_PAGE`] at a time. Returns
/// whether anything was folded.
async fn catch_up_on(conn: &mut sqlx::SqliteConnection, inner: &mut Inner) -> Result<bool, StoreError> {
    let (shared, private) = max_seqs(conn).await?;
    if shared <= inner.shared_seq && private <= inner.private_seq {
        return Ok(false);
    }
    let before = inner.seen();
    for log in [Log::Shared, Log::Private] {
        loop {
            let after = if log == Log::Shared { inner.shared_seq } else { inner.private_seq };
            let events = stored_after(conn, log, after, CATCH_UP_PAGE).await?;
            inner.learn_stored(&events, log)?;
            if events.len() < CATCH_UP_PAGE {
                break;
            }
        }
    }
    Ok(inner.seen() != before)
}

/// Holds the store's write lock: the state and heads seen through it stay current until the
/// guard is used to append (or dropped). Commands decide against it, so two writers never
/// decide against the same state.
pub struct WriteGuard<'a> {
    store: &'a Store,
    inner: MutexGuard<'a, Inner>,
    _writing: Writing<'a>,
}

impl Drop for WriteGuard<'_> {
    /// Publishes what the guard's writes (and the catch-ups under it) folded, before readers
    /// may take the lock again: a reader never sees an older state after a write returned.
    fn drop(&mut self) {
        self.store.publish(&self.inner);
    }
}

/// Marks the fold's lock as held by a writer (a [`WriteGuard`] or a rebuild) while it lives:
/// readers that find the lock taken by a writer read the last published state instead of
/// waiting (see [`Store::snapshot`]).
struct Writing<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> Writing<'a> {
    fn new(count: &'a std::sync::atomic::AtomicUsize) -> Self {
        count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl WriteGuard<'_> {
    /// The current state.
    #[must_use]
    pub fn state(&self) -> &State {
        &self.inner.state
    }

    /// The current heads with their Lamport clocks, sorted by id.
    #[must_use]
    pub fn heads(&self) -> Vec<(EventId, i64)> {
        self.inner.heads.iter().map(|h| (*h, self.inner.dag.lamport(h).expect("every head is folded"))).collect()
    }

    /// The committee (genesis id), if founded.
    #[must_use]
    pub fn committee(&self) -> Option<EventId> {
        self.inner.trust.committee()
    }

    /// The trust context (root and certified keys).
    #[must_use]
    pub fn trust(&self) -> &Trust {
        &self.inner.trust
    }

    /// Verifies and appends a batch, all or nothing: every event is checked (each may have
    /// earlier ones of the batch as parents) before anything is written, then all rows go in
    /// one transaction.
    ///
    /// # Errors
    /// The first refused event ([`StoreError::Ledger`], [`StoreError::Domain`],
    /// [`StoreError::MissingParent`]), or a database error; nothing is written either way.
    pub async fn append(&mut self, batch: &[SignedEvent]) -> Result<Vec<EventId>, StoreError> {
        self.append_to(batch, Log::Shared).await
    }

    /// Appends a batch to this node's private log, all or nothing, with the same checks as
    /// [`WriteGuard::append`]; every event must be of a private kind (internal notes).
    ///
    /// # Errors
    /// As [`WriteGuard::append`]; [`StoreError::WrongLog`] for a shared kind.
    pub async fn append_private(&mut self, batch: &[SignedEvent]) -> Result<Vec<EventId>, StoreError> {
        self.append_to(batch, Log::Private).await
    }

    /// Heads of this node's private log, with their Lamport clocks. A private event's parents
    /// are the shared heads and these; a shared event's parents are never private.
    #[must_use]
    pub fn private_heads(&self) -> Vec<(EventId, i64)> {
        self.inner
            .private_heads
            .iter()
            .map(|h| (*h, self.inner.dag.lamport(h).expect("every head is folded")))
            .collect()
    }

    async fn append_to(&mut self, batch: &[SignedEvent], log: Log) -> Result<Vec<EventId>, StoreError> {
        let mut trust = self.inner.trust.clone();
        let mut fresh: HashMap<EventId, i64> = HashMap::new();
        let mut checked = Vec::with_capacity(batch.len());
        // Each event is checked against the state left by the ones before it in the batch (a
        // bundle may create a record and revise it), folded into a copy until the batch commits.
        let mut scratch: Option<State> = None;
        for raw in batch {
            let dag = &self.inner.dag;
            let state = scratch.as_ref().unwrap_or(&self.inner.state);
            let (event, change) =
                against(state, check_one(&trust, |id| dag.lamport(id).or(fresh.get(id).copied()), raw)?)?;
            if dag.contains(&event.id) || fresh.contains_key(&event.id) {
                return Err(StoreError::Ledger {
                    id: event.id.to_hex(),
                    source: lajna_ledger::LedgerError::Malformed("event is already stored".into()),
                });
            }
            let private = change.is_private(state);
            if private != (log == Log::Private) {
                return Err(StoreError::WrongLog { id: event.id.to_hex(), private });
            }
            if log == Log::Shared
                && let Some(p) = event.envelope.parents.iter().find(|p| self.inner.private_ids.contains(*p))
            {
                return Err(StoreError::Ledger {
                    id: event.id.to_hex(),
                    source: lajna_ledger::LedgerError::BadParents(format!("parent {} is a private event", p.short())),
                });
            }
            trust.admit(&event);
            fresh.insert(event.id, event.envelope.lamport);
            if batch.len() > 1 {
                scratch.get_or_insert_with(|| self.inner.state.clone()).apply_change(&meta_of(&event), change.clone());
            }
            checked.push((event, change));
        }
        self.store.write(&mut self.inner, checked, log).await
    }

    /// Receives one event from a peer or bundle: duplicates change nothing, an event with a
    /// missing parent waits in `pending`, anything else is verified exactly like a local one.
    /// An applied event may unblock pending ones, which are then applied too.
    ///
    /// # Errors
    /// A refused event (nothing written) or a database error.
    pub async fn receive(&mut self, raw: &SignedEvent) -> Result<Receipt, StoreError> {
        let id = raw.id();
        if self.inner.dag.contains(&id) {
            return Ok(Receipt::Duplicate(id));
        }
        let dag = &self.inner.dag;
        let state = &self.inner.state;
        match check_one(&self.inner.trust, |p| dag.lamport(p), raw).and_then(|c| against(state, c)) {
            Ok((event, change)) if change.is_private(&self.inner.state) => {
                // A peer never has a reason to send one; accepting it would mix logs.
                Err(StoreError::WrongLog { id: event.id.to_hex(), private: true })
            }
            Ok(checked) => {
                let mut applied = self.store.write(&mut self.inner, vec![checked], Log::Shared).await?;
                applied.extend(self.drain_pending().await?);
                Ok(Receipt::Applied(applied))
            }
            Err(StoreError::MissingParent { .. }) => {
                // `check_one` verified the signatures before finding the missing parent, so
                // pending never holds forgeries.
                let text = serde_json::to_string(raw).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                sqlx::query("INSERT OR IGNORE INTO pending (id, event, received_at) VALUES (?, ?, ?)")
                    .bind(id.to_hex())
                    .bind(text)
                    .bind(now())
                    .execute(&self.store.pool)
                    .await?;
                Ok(Receipt::Pending(id))
            }
            Err(e) => Err(e),
        }
    }

    async fn drain_pending(&mut self) -> Result<Vec<EventId>, StoreError> {
        let mut applied = Vec::new();
        loop {
            let rows = sqlx::query("SELECT id, event FROM pending ORDER BY id").fetch_all(&self.store.pool).await?;
            let mut progress = false;
            for row in rows {
                let id: String = row.get(0);
                let text: String = row.get(1);
                let raw: SignedEvent = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let dag = &self.inner.dag;
                let outcome = if dag.contains(&raw.id()) {
                    None
                } else {
                    match check_one(&self.inner.trust, |p| dag.lamport(p), &raw)
                        .and_then(|c| against(&self.inner.state, c))
                    {
                        Ok(c) => Some(Ok(c)),
                        Err(StoreError::MissingParent { .. }) => continue,
                        Err(e) => Some(Err(e)),
                    }
                };
                if let Some(Ok(checked)) = outcome
                    && !checked.1.is_private(&self.inner.state)
                {
                    applied.extend(self.store.write(&mut self.inner, vec![checked], Log::Shared).await?);
                    progress = true;
                }
                // Applied, duplicate or refused: it no longer waits.
                sqlx::query("DELETE FROM pending WHERE id = ?").bind(id).execute(&self.store.pool).await?;
            }
            if !progress {
                return Ok(applied);
            }
        }
    }
}

/// Records the logs' highest `seq`s as seen on `conn` (a pool hook: errors — e.g. before the
/// first migration — are ignored).
/// With the counter of changes to users, sessions and notifications (migration 0012), into
/// `local`.
async fn observe_on(
    conn: &mut sqlx::SqliteConnection,
    observed: &std::sync::atomic::AtomicU64,
    local: &std::sync::atomic::AtomicU64,
) {
    use std::sync::atomic::Ordering::SeqCst;
    let seen = match sqlx::query(OBSERVE).fetch_one(&mut *conn).await {
        Ok(row) => {
            local.fetch_max(u64::try_from(row.get::<i64, _>(2)).unwrap_or(0), SeqCst);
            Ok((row.get::<i64, _>(0), row.get::<i64, _>(1)))
        }
        Err(_) => max_seqs(conn).await, // before migration 0012
    };
    if let Ok((shared, private)) = seen {
        observed.fetch_max(u64::try_from(shared + private).unwrap_or(0), SeqCst);
    }
}

/// [`MAX_SEQS`] and the counter of migration 0012, in one statement.
const OBSERVE: &str = "SELECT IFNULL((SELECT MAX(seq) FROM events), 0), IFNULL((SELECT MAX(seq) FROM private_events), 0), \
     (SELECT n FROM local_version)";

/// This node's clock, UTC, RFC 3339 to the second (`received_at`, local tables).
/// The schema migrations embedded in this binary (`migrations/NNNN_*.sql`).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The schema version this binary creates and expects: the highest migration number embedded
/// in it (`lajna --version` prints it).
#[must_use]
pub fn schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

pub(crate) fn now() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    /// Opens (creating if missing) the SQLite database at `path`, in WAL mode, runs
    /// migrations, and folds the log into memory.
    ///
    /// # Errors
    /// Database or migration errors; [`StoreError::Corrupt`] when a stored event cannot be read.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let lock = open_lock(path).await;
        let observed = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let local = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (on_acquire, on_connect) = ((observed.clone(), local.clone()), (observed.clone(), local.clone()));
        let (epoch, looked) = (std::time::Instant::now(), Arc::new(std::sync::atomic::AtomicU64::new(0)));
        let on_look = looked.clone();
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // Each connection handed out reports the logs' highest `seq`s: another process's
            // append moves `generation` at this request's first query (the session lookup).
            .before_acquire(move |conn, _| {
                let ((observed, local), looked) = (on_acquire.clone(), on_look.clone());
                Box::pin(async move {
                    observe_on(conn, &observed, &local).await;
                    looked.store(micros_since(epoch), std::sync::atomic::Ordering::SeqCst);
                    Ok(true)
                })
            })
            .after_connect(move |conn, _| {
                let (observed, local) = on_connect.clone();
                Box::pin(async move {
                    observe_on(conn, &observed, &local).await;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        drop(lock);
        let store = Self {
            pool,
            inner: Mutex::new(Inner::empty()),
            observed,
            local,
            local_bumps: std::sync::atomic::AtomicU64::new(0),
            bumps: std::sync::atomic::AtomicU64::new(0),
            hash_cache: std::sync::Mutex::new(None),
            hash_texts: std::sync::Mutex::new(RecordTexts::default()),
            published: std::sync::RwLock::new((0, Arc::new(State::default()))),
            writing: std::sync::atomic::AtomicUsize::new(0),
            committee: std::sync::OnceLock::new(),
            epoch,
            looked,
        };
        {
            let mut inner = store.inner.lock().await;
            store.reload(&mut inner).await?;
            if saved::due_for(&inner) {
                // Folded (most of) a long log: save the fold, so that the next opening reads it.
                // Derived data: an opening that cannot write it (a read-only or busy database)
                // still opens, and refolds next time.
                match saved::save(&mut *store.pool.acquire().await?, &inner).await {
                    Ok(()) => inner.saved = inner.seen(),
                    Err(err) => tracing::warn!(error = %err, "store: the fold was not saved"),
                }
            }
            store.publish(&inner);
        }
        Ok(store)
    }

    /// Closes the pool, checkpointing the WAL.
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// Takes the write lock (see [`WriteGuard`]), after folding what other connections or
    /// processes appended: commands decide against the log as it is now.
    pub async fn lock(&self) -> WriteGuard<'_> {
        let inner = self.inner.lock().await;
        let _writing = Writing::new(&self.writing);
        let mut guard = WriteGuard { store: self, inner, _writing };
        if let Err(err) = self.catch_up_locked(&mut guard.inner).await {
            tracing::warn!(error = %err, "store: could not read what other processes appended");
        }
        guard
    }

    /// Calls `f` with [`Store::snapshot`]: a consistent state, never waiting for a write in
    /// progress.
    pub async fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.snapshot().await.1)
    }

    /// The fold as last published, with the generation it equals: an immutable copy shared
    /// by every reader (`Arc`), taken without waiting for a writer.
    ///
    /// It first looks at the database (one pooled connection reports the logs' highest
    /// `seq`s, see [`Store::generation`]); when another connection or process appended since
    /// the last publication, it catches up and publishes — unless a writer holds the fold's
    /// lock ([`Store::lock`], a rebuild), in which case the last published state is returned:
    /// that writer catches up under SQLite's write lock and publishes when it releases the
    /// lock, so a reader sees every write that returned before it started and never waits for
    /// one in progress (issue 11). Another reader's catch-up is waited for (it is short).
    pub async fn snapshot(&self) -> (u64, Arc<State>) {
        self.snapshot_within(Duration::ZERO).await
    }

    /// [`Store::snapshot`], without its own look at the database when a connection of this
    /// store observed the logs less than `fresh` ago — as the session lookup of the same web
    /// request just did: a page then costs no SQL of its own. Another process's write is seen
    /// by a read that starts after an observation that followed the write's commit (any query
    /// of the same request), and at the latest `fresh` after it.
    pub async fn snapshot_within(&self, fresh: Duration) -> (u64, Arc<State>) {
        let since = micros_since(self.epoch).saturating_sub(self.looked.load(std::sync::atomic::Ordering::SeqCst));
        if u128::from(since) >= fresh.as_micros() {
            // Handing out a connection runs the pool's hook, which observes the logs' `seq`s.
            drop(self.pool.acquire().await);
        }
        loop {
            let last = self.published();
            if last.0 == self.generation() {
                return last;
            }
            match self.inner.try_lock() {
                Ok(mut inner) => {
                    if let Err(err) = self.catch_up_locked(&mut inner).await {
                        tracing::warn!(error = %err, "store: could not read what other processes appended");
                    }
                    return self.publish(&inner);
                }
                Err(_) if self.writing.load(std::sync::atomic::Ordering::SeqCst) > 0 => return last,
                Err(_) => tokio::time::sleep(Duration::from_millis(1)).await,
            }
        }
    }

    /// A number that grows with every change to users, sessions or notifications — by this
    /// store at once, by another process as of the last look at the database, which is made
    /// now unless a connection of this store looked less than `fresh` ago (as
    /// [`Store::snapshot_within`]). What a session lookup read stays valid while it does not
    /// move: a node keeps live sessions in memory by it (issue 11).
    pub async fn local_version_within(&self, fresh: Duration) -> u64 {
        use std::sync::atomic::Ordering::SeqCst;
        let since = micros_since(self.epoch).saturating_sub(self.looked.load(SeqCst));
        if u128::from(since) >= fresh.as_micros() {
            drop(self.pool.acquire().await);
        }
        self.local.load(SeqCst) + self.local_bumps.load(SeqCst)
    }

    /// Counts a write of this store to users, sessions or notifications (see
    /// [`Store::local_version_within`]); called after each such write commits.
    pub(crate) fn local_changed(&self) {
        self.local_bumps.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn published(&self) -> (u64, Arc<State>) {
        let p = self.published.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        (p.0, Arc::clone(&p.1))
    }

    /// Publishes `inner`'s fold (when it is not already) for [`Store::snapshot`]; returns it.
    /// A copy costs one pointer per record (`State` shares its records).
    fn publish(&self, inner: &Inner) -> (u64, Arc<State>) {
        let generation = inner.seen() + self.bumps.load(std::sync::atomic::Ordering::SeqCst);
        let mut p = self.published.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if p.0 != generation {
            let mut state = inner.state.clone();
            // What readers parsed from the last published copy is reused where unchanged.
            state.reuse_parsed(&p.1);
            *p = (generation, Arc::new(state));
        }
        (p.0, Arc::clone(&p.1))
    }

    /// The committee's genesis id, if founded.
    pub async fn committee(&self) -> Option<EventId> {
        // A committee's genesis never changes: once known, it is read without the fold's lock.
        if let Some(id) = self.committee.get() {
            return Some(*id);
        }
        let id = self.current().await.trust.committee()?;
        Some(*self.committee.get_or_init(|| id))
    }

    /// Folds what other connections or processes appended since this store last looked
    /// (see [`Store`]); returns whether anything was new. [`Store::with_state`], [`Store::lock`]
    /// and the other readers of the fold call it first.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`] for a stored event this version cannot read.
    pub async fn catch_up(&self) -> Result<bool, StoreError> {
        let mut inner = self.inner.lock().await;
        self.catch_up_locked(&mut inner).await
    }

    async fn catch_up_locked(&self, inner: &mut Inner) -> Result<bool, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let moved = catch_up_on(&mut conn, inner).await?;
        self.saw(inner.seen());
        Ok(moved)
    }

    /// The fold's lock, caught up. A failed catch-up is logged and the fold read as it is: a
    /// write catches up again under SQLite's write lock, where an error is returned.
    async fn current(&self) -> MutexGuard<'_, Inner> {
        let mut inner = self.inner.lock().await;
        if let Err(err) = self.catch_up_locked(&mut inner).await {
            tracing::warn!(error = %err, "store: could not read what other processes appended");
        }
        inner
    }

    /// Records that the database holds at least `seen` (sum of the logs' highest `seq`s).
    fn saw(&self, seen: u64) {
        self.observed.fetch_max(seen, std::sync::atomic::Ordering::SeqCst);
    }

    /// Refolds `inner` from what is stored: the saved fold when there is a usable one
    /// (`saved.rs`), then the events after it.
    async fn reload(&self, inner: &mut Inner) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        *inner = saved::load(&mut conn).await?.unwrap_or_else(Inner::empty);
        catch_up_on(&mut conn, inner).await?;
        self.saw(inner.seen());
        Ok(())
    }

    async fn write(
        &self,
        inner: &mut Inner,
        checked: Vec<(VerifiedEvent, Change)>,
        log: Log,
    ) -> Result<Vec<EventId>, StoreError> {
        let result = self.write_tx(inner, &checked, log).await;
        match result {
            Ok(()) => Ok(checked.iter().map(|(e, _)| e.id).collect()),
            Err(e) => {
                // The memory fold ran ahead of a failed transaction: refold from what is stored.
                self.reload(inner).await?;
                self.bumps.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Err(e)
            }
        }
    }

    async fn write_tx(
        &self,
        inner: &mut Inner,
        checked: &[(VerifiedEvent, Change)],
        log: Log,
    ) -> Result<(), StoreError> {
        // SQLite's write lock first, then what other processes appended up to now: no one can
        // append between this catch-up and the commit, so the projection rows written below are
        // those of the whole log, and the new events' `seq`s follow the folded ones. Events
        // checked against the fold before the catch-up stay valid (their parents are stored, the
        // references they make are monotone); they may now fork beside the other process's,
        // exactly as concurrent events of two nodes do.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        catch_up_on(&mut tx, inner).await?;
        let mut touched = BTreeSet::new();
        let received = now();
        for (event, change) in checked {
            if inner.dag.contains(&event.id) {
                // Stored meanwhile by another process (the same event received twice).
                continue;
            }
            let env = &event.envelope;
            let inserted = sqlx::query(match log {
                Log::Shared => {
                    "INSERT INTO events (id, lamport, party, kind, at, envelope, sigs, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                }
                Log::Private => {
                    "INSERT INTO private_events (id, lamport, party, kind, at, envelope, sigs, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                }
            })
            .bind(event.id.to_hex())
            .bind(env.lamport)
            .bind(&env.author.party)
            .bind(&env.kind)
            .bind(&env.at)
            .bind(event.raw.envelope.as_bytes())
            .bind(serde_json::to_string(&event.raw.sigs).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            .bind(&received)
            .execute(&mut *tx)
            .await?;
            let seen = match log {
                Log::Shared => &mut inner.shared_seq,
                Log::Private => &mut inner.private_seq,
            };
            *seen = (*seen).max(inserted.last_insert_rowid());
            if env.kind == GENESIS_KIND
                && let Change::Genesis(charter) = change
            {
                sqlx::query("INSERT INTO committee (id, charter) VALUES (?, ?)")
                    .bind(event.id.to_hex())
                    .bind(canonical_text(&serde_json::to_value(charter.as_ref()).unwrap_or_default())?)
                    .execute(&mut *tx)
                    .await?;
            }
            touched.extend(inner.learn(event, change.clone(), log));
        }
        for id in touched {
            if let Some(entry) = inner.state.entry(&id) {
                upsert_projection(&mut tx, &id, entry).await?;
            }
        }
        // The fold saved with the events that make it, now and then (`saved::due`).
        let save = saved::due_for(inner);
        if save {
            saved::save(&mut tx, inner).await?;
        }
        tx.commit().await?;
        if save {
            inner.saved = inner.seen();
        }
        self.saw(inner.seen());
        Ok(())
    }

    /// Events with `seq > after`, at most `limit`, in local order (parents before children).
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`] for a row this version cannot read.
    pub async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, id, lamport, party, kind, at, envelope, sigs, received_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(stored_event).collect()
    }

    /// Every event of this node's private log, in local order.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn private_events(&self) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, id, lamport, party, kind, at, envelope, sigs, received_at FROM private_events ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(stored_event).collect()
    }

    /// The private records of `party` (and only of it), as (id, kind code, document), by id.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn private_records(&self, party: &str) -> Result<Vec<(String, String, Value)>, StoreError> {
        let rows = sqlx::query("SELECT id, kind, doc FROM private_records WHERE party = ? ORDER BY id")
            .bind(party)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let id: String = r.get(0);
                let doc: String = r.get(2);
                let doc = serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt(format!("record {id}: {e}")))?;
                Ok((id, r.get(1), doc))
            })
            .collect()
    }

    /// The newest `limit` events, newest first.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn latest_events(&self, limit: i64) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, id, lamport, party, kind, at, envelope, sigs, received_at FROM events ORDER BY seq DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(stored_event).collect()
    }

    /// The events that created or changed the record `id` (creation, revisions, progress,
    /// evidence, endorsements), oldest first: the record's history.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn events_for_record(&self, id: &str) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, id, lamport, party, kind, at, envelope, sigs, received_at FROM events
             WHERE id = ? OR json_extract(CAST(envelope AS TEXT), '$.body.record') = ? ORDER BY seq",
        )
        .bind(id)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(stored_event).collect()
    }
}

fn stored_event(row: sqlx::sqlite::SqliteRow) -> Result<StoredEvent, StoreError> {
    let id: String = row.get(1);
    let envelope: Vec<u8> = row.get(6);
    let sigs: String = row.get(7);
    let envelope =
        String::from_utf8(envelope).map_err(|_| StoreError::Corrupt(format!("event {id}: envelope is not UTF-8")))?;
    let sigs =
        serde_json::from_str(&sigs).map_err(|_| StoreError::Corrupt(format!("event {id}: signatures unreadable")))?;
    Ok(StoredEvent {
        seq: row.get(0),
        id,
        lamport: row.get(2),
        party: row.get(3),
        kind: row.get(4),
        at: row.get(5),
        raw: SignedEvent { envelope, sigs },
        received_at: row.get(8),
    })
}

impl Store {
    /// Number of stored events.
    ///
    /// # Errors
    /// Database errors.
    pub async fn event_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM events").fetch_one(&self.pool).await?.get(0))
    }

    /// Number of events waiting for a parent.
    ///
    /// # Errors
    /// Database errors.
    pub async fn pending_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM pending").fetch_one(&self.pool).await?.get(0))
    }

    /// The committee's genesis id and charter, from the projection.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn charter(&self) -> Result<Option<(String, Charter)>, StoreError> {
        let row = sqlx::query("SELECT id, charter FROM committee").fetch_optional(&self.pool).await?;
        row.map(|r| {
            let text: String = r.get(1);
            let charter = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("charter: {e}")))?;
            Ok((r.get(0), charter))
        })
        .transpose()
    }

    /// Every record of `kind` (a [`lajna_domain::RecordKind`] code) as (id, document), by id.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn records(&self, kind: &str) -> Result<Vec<(String, Value)>, StoreError> {
        let rows = sqlx::query("SELECT id, doc FROM records WHERE kind = ? ORDER BY id")
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let id: String = r.get(0);
                let doc: String = r.get(1);
                let doc = serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt(format!("record {id}: {e}")))?;
                Ok((id, doc))
            })
            .collect()
    }

    /// One record as (kind code, document).
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn record(&self, id: &str) -> Result<Option<(String, Value)>, StoreError> {
        let row = sqlx::query("SELECT kind, doc FROM records WHERE id = ?").bind(id).fetch_optional(&self.pool).await?;
        row.map(|r| {
            let doc: String = r.get(1);
            Ok((r.get(0), serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt(format!("record {id}: {e}")))?))
        })
        .transpose()
    }

    /// BLAKE3 (hex) over the projections: the committee row, then every shared record by id
    /// (see [`StateHasher`]), of the fold as last published ([`Store::snapshot`]: never waiting
    /// for a write in progress). Equal to [`Store::stored_state_hash`] over the rows on disk
    /// unless those were altered outside the store, which `verify` names. Kept per generation;
    /// after a write only the records it changed are encoded again ([`RecordTexts`]).
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when a record cannot be encoded.
    pub async fn state_hash(&self) -> Result<String, StoreError> {
        let (generation, state) = self.snapshot().await;
        let committee = self.committee().await;
        self.state_hash_of(generation, &state, committee)
    }

    /// [`Store::state_hash`] of `state`, the fold this store published at `generation`, with
    /// its `committee`: from the cache when that generation's hash is kept, else computed
    /// (about 1 ms at 2,000 actions, plus the encoding of each record changed since the last
    /// call) and kept.
    fn state_hash_of(&self, generation: u64, state: &State, committee: Option<EventId>) -> Result<String, StoreError> {
        if let Ok(cache) = self.hash_cache.lock()
            && let Some((g, h)) = cache.as_ref()
            && *g == generation
        {
            return Ok(h.clone());
        }
        // Another reader hashing at the same time works without the kept texts, never waits.
        let mut alone = RecordTexts::default();
        let hash = match self.hash_texts.try_lock() {
            Ok(mut kept) => hash::hash_state_with(committee, state, &mut kept)?,
            Err(_) => hash::hash_state_with(committee, state, &mut alone)?,
        };
        if let Ok(mut cache) = self.hash_cache.lock()
            && cache.as_ref().is_none_or(|(g, _)| *g < generation)
        {
            *cache = Some((generation, hash.clone()));
        }
        Ok(hash)
    }

    /// A number that grows with every committed change of the log, made by this store or by
    /// any other connection or process (see [`Store`]): read models computed at one generation
    /// stay valid until it moves. It is the sum of the logs' highest `seq`s last observed (plus
    /// the rebuilds), so a read model computed after reading it — through [`Store::with_state`],
    /// which catches up first — is never older than the generation it is cached under.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.observed.load(std::sync::atomic::Ordering::SeqCst) + self.bumps.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// [`Store::state_hash`] read from the database, never from the cache (for `verify`, which
    /// must see what is on disk).
    ///
    /// # Errors
    /// Database errors.
    pub async fn stored_state_hash(&self) -> Result<String, StoreError> {
        stored_state_hash_of(self.pool.clone()).await
    }

    /// Refolds the whole log into fresh projections, in one transaction, and returns the new
    /// state hash. Appends nothing and sends nothing.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`] when a stored event cannot be read.
    pub async fn rebuild(&self) -> Result<String, StoreError> {
        let mut inner = self.inner.lock().await;
        let writing = Writing::new(&self.writing);
        // No one appends while the projections are rewritten.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        *inner = Inner::empty();
        catch_up_on(&mut tx, &mut inner).await?;
        sqlx::query("DELETE FROM records").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM private_records").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM committee").execute(&mut *tx).await?;
        if let (Some(id), Some(charter)) = (inner.trust.committee(), inner.state.charter()) {
            sqlx::query("INSERT INTO committee (id, charter) VALUES (?, ?)")
                .bind(id.to_hex())
                .bind(canonical_text(&serde_json::to_value(charter).unwrap_or_default())?)
                .execute(&mut *tx)
                .await?;
        }
        for (id, entry) in inner.state.entries() {
            upsert_projection(&mut tx, id, entry).await?;
        }
        if inner.dag.len() <= saved::SAVE_MAX_EVENTS {
            saved::save(&mut tx, &inner).await?;
        } else {
            saved::forget(&mut tx).await?;
        }
        tx.commit().await?;
        inner.saved = inner.seen();
        self.saw(inner.seen());
        self.bumps.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.publish(&inner);
        drop(writing);
        drop(inner);
        self.state_hash().await
    }

    /// Checks the whole log from scratch, as an auditor would: every event's id against its
    /// bytes, its canonical form, signatures, key certificate, committee, parents and Lamport
    /// clock, and its body, also against the state before it (types and references,
    /// [`Change::check_against`], as on receipt); then that every record of the fold reads back
    /// as its type ([`State::unreadable`]), and compares a fresh fold's state hash with the
    /// stored projections'. Stops at the first bad event (or unreadable record) and names it.
    ///
    /// # Errors
    /// Database errors only; a bad event is a report, not an error.
    pub async fn verify(&self) -> Result<VerifyReport, StoreError> {
        /// Events read and prechecked at a time.
        const VERIFY_PAGE: usize = 1000;
        // The projections' hash is read meanwhile (the database's own thread does most of it).
        let stored_hash = tokio::spawn(stored_state_hash_of(self.pool.clone()));
        let mut replay = Replay::default();
        // Bytes, canonical form, signatures and bodies on both cores; in log order on one,
        // what needs the events before (parents, keys, Lamport clocks, references). The
        // next page is prechecked while this one is replayed, and the page after it is read
        // meanwhile on another task by the database's thread (read in line, the reads left
        // both cores idle about a fifth of the time).
        let read = |after: i64| {
            let pool = self.pool.clone();
            tokio::spawn(
                async move { stored_after(&mut *pool.acquire().await?, Log::Shared, after, VERIFY_PAGE).await },
            )
        };
        let mut page = joined(read(0)).await?;
        // The last `seq` of each log folded here (to compare with the store's own fold).
        let (mut shared_end, mut private_end) = (page.last().map_or(0, |e| e.seq), 0);
        let mut ahead = page.last().map(|e| read(e.seq));
        let ((), mut prechecked) = precheck_beside(&page, || ());
        let mut problem = loop {
            let next = match ahead.take() {
                Some(reading) => joined(reading).await?,
                None => Vec::new(),
            };
            ahead = next.last().map(|e| read(e.seq));
            shared_end = next.last().map_or(shared_end, |e| e.seq);
            let (found, next_prechecked) = precheck_beside(&next, || replay.page(page, prechecked));
            if found.is_some() || next.is_empty() {
                break found;
            }
            (page, prechecked) = (next, next_prechecked);
        };
        let Replay { trust, mut dag, mut state, genesis, events: mut n, signed } = replay;
        if problem.is_none() {
            // The private log: the same checks; its events may name shared events as parents.
            for stored in self.private_events().await? {
                let computed = stored.raw.id().to_hex();
                if computed != stored.id {
                    problem = Some((stored.id.clone(), format!("its bytes hash to {computed}: the event was altered")));
                    break;
                }
                // The private log is replayed after the whole shared log: one of its events
                // signed by a key revoked since is valid when the revocation is not in its past
                // (it was signed before this node knew the revocation).
                let before = |r: EventId| {
                    let start = serde_json::from_str::<lajna_ledger::Envelope>(&stored.raw.envelope)
                        .map(|e| e.parents)
                        .unwrap_or_default();
                    dag.first_outside_past(&start, &[r]).is_some()
                };
                let checked = check_event(&stored.raw);
                match in_context(&trust, |p| dag.lamport(p), before, computed, checked, None)
                    .and_then(|c| against(&state, c))
                {
                    Ok((event, change)) => {
                        dag.insert(event.id, event.envelope.lamport, &event.envelope.parents);
                        state.apply_change(&meta_of(&event), change);
                        n += 1;
                        private_end = stored.seq;
                    }
                    Err(e) => {
                        problem = Some((stored.id.clone(), e.to_string()));
                        break;
                    }
                }
            }
        }
        // Two passes over every record, one per core: each read as its type, each hashed.
        let (unreadable, rebuilt_hash) = std::thread::scope(|scope| {
            let reading = scope.spawn(|| state.unreadable().into_iter().next());
            let hash = hash_state(genesis, &state);
            (reading.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), hash)
        });
        if problem.is_none()
            && let Some((id, kind, why)) = unreadable
        {
            // A record that no longer reads as its type would vanish from every page, export and
            // report: an error of the record, named, never a silent omission.
            problem = Some((id, format!("its {} record cannot be read back: {why}", kind.code())));
        }
        if problem.is_none() {
            problem = self.private_projection_problem(&state).await?;
        }
        if problem.is_none() {
            problem = self.opened_fold_problem(&state, &dag, shared_end, private_end).await;
        }
        let rebuilt_hash = rebuilt_hash?;
        // Freeing a fold of the whole log takes about a tenth of the verification: not waited for.
        std::thread::spawn(move || drop((state, dag, trust, signed)));
        let stored_hash = joined(stored_hash).await?;
        Ok(VerifyReport { events: n, rebuilt_hash, stored_hash, problem })
    }

    /// This store's own fold — opened from the saved fold (`saved.rs`) and caught up — against
    /// `state` and `dag`, a fold of the whole log up to `seq`s `shared_end` and `private_end`:
    /// the problem to report when they differ. Compared only when the store's fold stands at
    /// the same place (nothing was appended meanwhile).
    async fn opened_fold_problem(
        &self,
        state: &State,
        dag: &Dag,
        shared_end: i64,
        private_end: i64,
    ) -> Option<(String, String)> {
        let inner = self.current().await;
        let same = inner.state == *state && inner.dag.len() == dag.len();
        ((inner.shared_seq, inner.private_seq) == (shared_end, private_end) && !same).then(|| {
            let why = "the fold this node opened from its saved fold (table saved_fold) differs from a fold of \
                       the whole log; run `lajna rebuild`";
            ("saved_fold".to_string(), why.to_string())
        })
    }

    /// The party-private projection rows against the fold `state` of the whole log: the first
    /// row that differs, is missing or is made by no event, named by its record id. They are
    /// outside the state hash (both nodes' hashes must agree, and each holds only its own
    /// party's), so [`Store::verify`] compares them row by row (found by
    /// `scripts/reliability/tamper`: an edited row passed verify).
    async fn private_projection_problem(&self, state: &State) -> Result<Option<(String, String)>, StoreError> {
        let mut expected = std::collections::BTreeMap::new();
        for (id, entry) in state.entries() {
            if let Some(party) = entry.private_party() {
                expected.insert(id.clone(), (entry.kind.code().to_string(), party, canonical_text(&entry.doc(id))?));
            }
        }
        let rows = sqlx::query("SELECT id, kind, party, doc FROM private_records").fetch_all(&self.pool).await?;
        let mut stored = std::collections::BTreeMap::new();
        for r in rows {
            stored.insert(r.get::<String, _>(0), (r.get::<String, _>(1), r.get::<String, _>(2), r.get::<String, _>(3)));
        }
        if let Some(id) = expected.iter().find(|(id, row)| stored.get(*id) != Some(*row)).map(|(id, _)| id) {
            let why = "its party-private projection row differs from a rebuild of the log; run `lajna rebuild`";
            return Ok(Some((id.clone(), why.into())));
        }
        if let Some(id) = stored.keys().find(|id| !expected.contains_key(*id)) {
            let why = "a party-private projection row that no event of the log makes; run `lajna rebuild`";
            return Ok(Some((id.clone(), why.into())));
        }
        Ok(None)
    }

    /// The whole state as one deterministic JSON value: committee, records grouped by kind
    /// (each list by id), event count and state hash. Keys are sorted, so printing it twice
    /// gives the same bytes.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Corrupt`].
    pub async fn export(&self) -> Result<Value, StoreError> {
        let mut kinds = serde_json::Map::new();
        for kind in lajna_domain::RecordKind::ALL {
            let docs: Vec<Value> = self.records(kind.code()).await?.into_iter().map(|(_, d)| d).collect();
            kinds.insert(kind.code().into(), Value::Array(docs));
        }
        let committee = self.charter().await?.map(|(id, c)| serde_json::json!({"id": id, "charter": c}));
        Ok(serde_json::json!({
            "format": "lajna-export/1",
            "committee": committee,
            "records": kinds,
            "events": self.event_count().await?,
            "state_hash": self.state_hash().await?,
        }))
    }
}

/// What a task spawned on the runtime returned; its panic goes on here.
async fn joined<T>(task: tokio::task::JoinHandle<T>) -> T {
    match task.await {
        Ok(t) => t,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// [`Store::stored_state_hash`] on a pool of its own (a clone shares the connections), so that
/// [`Store::verify`] can read it on another task while it replays the log.
async fn stored_state_hash_of(pool: SqlitePool) -> Result<String, StoreError> {
    let mut h = StateHasher::new();
    if let Some(r) = sqlx::query("SELECT id, charter FROM committee").fetch_optional(&pool).await? {
        h.committee(&r.get::<String, _>(0), &r.get::<String, _>(1));
    }
    let rows = sqlx::query("SELECT id, kind, doc FROM records ORDER BY id").fetch_all(&pool).await?;
    for r in rows {
        h.record(&r.get::<String, _>(0), &r.get::<String, _>(1), &r.get::<String, _>(2));
    }
    Ok(h.finish())
}

/// For a revocation being replayed by [`Store::verify`]: the first event of the log so far
/// signed by the revoked key that is not in the revocation's past, named as a problem (see the
/// revocation rule of [`Trust`]). `signed` maps a key (hex) to the events it signed, in log order.
fn outside_revocation(
    event: &VerifiedEvent,
    signed: &HashMap<String, Vec<EventId>>,
    dag: &Dag,
) -> Option<(String, String)> {
    if event.envelope.kind != KEY_REVOKED_KIND {
        return None;
    }
    let body: KeyRevokedBody = serde_json::from_value(event.envelope.body.clone()).ok()?;
    let by_key = signed.get(&body.node)?;
    let outside = dag.first_outside_past(&event.envelope.parents, by_key)?;
    Some((
        outside.to_hex(),
        format!(
            "it is signed by key {} of {}, which event {} revoked, and is not in that revocation's past: \
             it was written with the key outside what the revocation knows (a leaked key used before the \
             revocation reached this node)",
            body.node, body.party, event.id
        ),
    ))
}

/// Writes one record's projection row: private kinds to `private_records` (with their party),
/// everything else to `records`.
async fn upsert_projection(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: &str,
    entry: &lajna_domain::state::Entry,
) -> Result<(), StoreError> {
    let doc = entry.doc(id);
    if let Some(party) = entry.private_party() {
        sqlx::query(
            "INSERT INTO private_records (id, kind, party, doc) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, party = excluded.party, doc = excluded.doc",
        )
        .bind(id)
        .bind(entry.kind.code())
        .bind(party)
        .bind(canonical_text(&doc)?)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query("INSERT INTO records (id, kind, doc) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, doc = excluded.doc")
            .bind(id)
            .bind(entry.kind.code())
            .bind(canonical_text(&doc)?)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn parse_stored(stored: &StoredEvent) -> Result<VerifiedEvent, StoreError> {
    let envelope = serde_json::from_str(&stored.raw.envelope)
        .map_err(|e| StoreError::Corrupt(format!("event {}: {e}", stored.id)))?;
    Ok(VerifiedEvent { id: stored.raw.id(), envelope, raw: stored.raw.clone() })
}

fn canonical_text(value: &Value) -> Result<String, StoreError> {
    let bytes = canonical_value_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Takes an exclusive advisory lock (flock) on `<database>.open.lock`, held while a store is
/// opened: connecting to a new database switches it to WAL and the migrations create tables
/// and triggers, and two processes doing that at once (the server and a CLI command) fail
/// with "database is locked" or "trigger … already exists". Released once the store is open;
/// a directory where the lock file cannot be made opens without it.
async fn open_lock(path: &Path) -> Option<std::fs::File> {
    let mut name = path.as_os_str().to_owned();
    name.push(".open.lock");
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&name).ok()?;
        file.lock().ok()?;
        Some(file)
    })
    .await
    .ok()
    .flatten()
}

/// State hash of an in-memory fold, computed exactly like [`Store::stored_state_hash`] over
/// rows ([`hash::hash_state_with`] with nothing kept).
///
/// # Errors
/// [`StoreError::Corrupt`] if a document cannot be encoded.
pub fn hash_state(committee: Option<EventId>, state: &State) -> Result<String, StoreError> {
    hash::hash_state_with(committee, state, &mut hash::RecordTexts::default())
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Store")
    }
}
