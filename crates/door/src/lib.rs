//! The node as the web, the read models and the report see it: the [`Door`] trait, the plain
//! types of its signatures and its error, [`DoorError`], with neither the store nor the ledger
//! below (`cargo tree -p lajna-door -e normal` holds neither).
//!
//! `lajna-node` implements [`Door`] for its `Node` by delegating to the node's own methods of
//! the same names (`crates/node/src/door.rs`), converting the store's and the ledger's rows into
//! the door's ([`StoredEvent`], [`AuditRow`], [`PeerRow`], …) and `NodeError` into
//! [`DoorError`]. The web holds an `Arc<dyn Door>`; `lajna serve` wires an `Arc<Node>` in. The
//! types that are the node's own and need no store (users, roles, refusals, snapshots, documents
//! as a reader sees them, the record page's verification, notifications' subject rule…) live
//! here and the node re-exports them at their old paths, so the CLI and the node read the same
//! types.

pub mod admin;
pub mod auth;
pub mod documents;
pub mod feeds;
pub mod history;
pub mod import;
pub mod log;
pub mod metrics;
pub mod notify;
pub mod read;
pub mod record;
pub mod two_factor;

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use lajna_domain::records::Document;
use lajna_domain::{Actor, Charter, Command, DomainError, Lang, Marking, PartyCode, State};
use lajna_outputs::import::MatrixImport;
use lajna_search::{Access, SearchError, SearchPage};
use serde_json::Value;

/// Runs CPU-bound `f` (planning an import, signing and folding a batch, making a kept page)
/// where it does not hold up the other requests of its async worker: on a multi-threaded
/// runtime the worker hands its other tasks to another thread first
/// (`tokio::task::block_in_place`); elsewhere (a single-threaded test runtime, no runtime) it
/// simply runs (issue 11: pages during imports).
pub fn cpu_bound<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// How much [`bulk`] lowers its thread's scheduling priority: the nice value added (Linux
/// `setpriority(2)`, per thread). At +10 a thread weighs about a tenth of a normal one in the
/// kernel's fair scheduler, so pages are served first whenever both want a core.
pub const BULK_NICE: i32 = 10;

/// Runs CPU-bound `f` of a bulk write — planning a matrix import, deciding and signing its
/// events — as [`cpu_bound`] does, but on a thread of its own whose priority is lowered by
/// [`BULK_NICE`] first (issue 11: on two cores an import at full priority took a core from
/// the readers and doubled the dashboard's p99). The thread ends with `f`, so no runtime
/// worker is left at the lower priority (an unprivileged process cannot raise it back). A
/// priority that cannot be lowered is left as it is. The cost: under heavy reading an import
/// takes longer, and so does a write waiting for its lock.
///
/// # Panics
/// Resumes `f`'s panic, if it panics.
pub fn bulk<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    cpu_bound(|| {
        std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                let me = rustix::thread::gettid();
                if let Ok(now) = rustix::process::getpriority_process(Some(me)) {
                    // Best effort: the work runs either way.
                    let _ = rustix::process::setpriority_process(Some(me), now.saturating_add(BULK_NICE));
                }
                f()
            });
            worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

use crate::admin::{SessionInfo, UserChange, UserSummary};
use crate::auth::{AuthError, NewSession, SignedIn, User};
use crate::documents::{DocumentError, DocumentView, Upload};
use crate::feeds::{FeedRow, NewFeed};
use crate::history::LoggedEvent;
use crate::import::{ImportOutcome, Importer};
pub use crate::log::{
    AuditRow, EventId, EventSignature, PeerRow, RequestAuth, SignedEvent, StoredEvent, SyncStatus, VerifyReport,
};
use crate::notify::{Contact, NotificationRow, Triggers};
pub use crate::read::Snapshot;
use crate::record::{LogKind, Verification, VisibleEvents};
use crate::two_factor::{Enrolment, SignInStep, TwoFactorStatus};

/// An instant as RFC 3339 UTC to the second (`2025-11-18T09:00:00Z`): the one text form of
/// times in events, local tables and pages (`lajna_node::rfc3339` is this function).
#[must_use]
pub fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Why an operation of the [`Door`] failed: `lajna_node::NodeError` as the web reads it. Every
/// variant means nothing was written. The message ([`std::fmt::Display`]) and [`DoorError::code`]
/// are the node error's, unchanged.
#[derive(Debug, thiserror::Error)]
pub enum DoorError {
    /// The command broke a domain rule (HTTP 422, or 403/409 per variant).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The store refused or failed (`NodeError::Store`): its stable code and message.
    #[error("{message}")]
    Store {
        /// The store error's code (`StoreError::code`).
        code: &'static str,
        /// Its message.
        message: String,
    },
    /// The ledger refused a signature, key or checkpoint, or signing failed
    /// (`NodeError::Ledger`): its stable code and message. A peer's request refused so is a 401.
    #[error("{message}")]
    Ledger {
        /// The ledger error's code (`LedgerError::code`).
        code: &'static str,
        /// Its message.
        message: String,
    },
    /// Signing in or a role rule refused (401, 403, 404, 429 or 422 per variant).
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// A document file was refused (empty, too large, unsupported or mismatched type).
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// This node holds no certified key to write for the party.
    #[error("this node holds no key for party {party}; certify one with `lajna keys certify`")]
    NoKey {
        /// Party.
        party: String,
    },
    /// A peer's request body could not be read (`/sync/v1/*`: HTTP 400 `bad-request`); the
    /// message says why (`unreadable body: …`).
    #[error("{0}")]
    BadRequest(String),
    /// Anything else the node may fail with (a file, the configuration, a peer): HTTP 500.
    #[error("{message}")]
    Other {
        /// The node error's code (`io`, `config`, `peer`, …).
        code: &'static str,
        /// Its message.
        message: String,
    },
}

impl DoorError {
    /// A stable, machine-readable code (for problem documents), the node error's.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domain(e) => e.key(),
            Self::Store { code, .. } | Self::Ledger { code, .. } | Self::Other { code, .. } => code,
            Self::Auth(e) => e.key(),
            Self::Document(e) => e.key(),
            Self::NoKey { .. } => "no-key",
            Self::BadRequest(_) => "bad-request",
        }
    }
}

/// What a result of the door is: a value or a [`DoorError`].
pub type DoorResult<T> = Result<T, DoorError>;

/// The node as the web, the read models and the report see it (`lajna_node::Node` implements
/// it; see the crate's doc). Each method is the node method of the same name; its doc says
/// only what the door adds. Reads go through [`Door::read`] (the marking rule applied once),
/// writes through [`Door::execute_as`] (the role × party rule, then the domain).
///
/// # Errors
/// A method returning [`DoorResult`] fails as the node method of the same name does (its doc
/// names the refusals), as a [`DoorError`]; nothing is written on any error. Instants are
/// [`Timestamp`]s, dates civil [`Date`]s, times in rows RFC 3339 UTC text ([`rfc3339`]).
#[async_trait::async_trait]
pub trait Door: Send + Sync {
    // ---- settings and clock -------------------------------------------------------------
    /// The date pages count from: the setting `reference_date`, else today in UTC.
    fn today(&self) -> Date;
    /// The language of pages whose URL names none (setting `default_language`).
    fn default_language(&self) -> Lang;
    /// Whether this is a demo node (setting `demo`: pages say so, sign-in shows the users).
    fn demo(&self) -> bool;
    /// The largest document file accepted, bytes (setting `max_document_bytes`).
    fn max_document_bytes(&self) -> u64;
    /// The notification settings (setting `notify`).
    fn notify_settings(&self) -> Triggers;
    /// The currency of resource totals (setting `reporting_currency`; ISO 4217).
    fn reporting_currency(&self) -> lajna_domain::money::Currency;
    /// The reverse proxies whose `X-Forwarded-For` is believed (setting `trusted_proxies`).
    fn trusted_proxies(&self) -> Vec<ipnet::IpNet>;

    // ---- reading the record -------------------------------------------------------------
    /// A number that grows with every change of the record (a write, a sync, a rebuild, or
    /// another process's change once seen): what is computed from one [`Snapshot`] holds
    /// until it moves.
    fn generation(&self) -> u64;
    /// The state as `viewer` may see it (party and clearance applied once).
    async fn read(&self, viewer: &User) -> Snapshot;
    /// The whole state (the operator's, for the report and the metrics).
    async fn read_all(&self) -> Snapshot;
    /// The state as `viewer` may see it, as it was at `until` (author times).
    async fn read_as_of(&self, viewer: &User, until: Timestamp) -> DoorResult<State>;
    /// The whole state as it was at `until`.
    async fn read_all_as_of(&self, until: Timestamp) -> DoorResult<State>;
    /// Every event of the shared log as the fold reads it, in arrival order.
    async fn shared_log(&self) -> DoorResult<Vec<LoggedEvent>>;
    /// The committee's parties, sorted.
    async fn parties_of_committee(&self) -> Vec<PartyCode>;
    /// The charter with its genesis id.
    async fn charter(&self) -> DoorResult<Option<(String, Charter)>>;
    /// The documents `user` may see.
    async fn documents_for(&self, user: &User) -> Vec<DocumentView>;
    /// One document, when `user` may see it.
    async fn document_for(&self, user: &User, id: &str) -> Option<DocumentView>;
    /// The node's JSON export with only the records `user` may see (`GET /api/v1/state`).
    async fn export_for(&self, user: &User) -> DoorResult<Value>;
    /// A page of the full-text search, the access rule a clause of the query.
    async fn search(
        &self,
        query: &str,
        access: &Access,
        lang: Lang,
        limit: usize,
        offset: usize,
    ) -> Result<SearchPage, SearchError>;
    /// Brings the search index up to date with the record; how many records were (re)indexed or
    /// removed.
    async fn refresh_search(&self) -> Result<usize, SearchError>;

    // ---- the log ------------------------------------------------------------------------
    /// Events in the shared log.
    async fn event_count(&self) -> DoorResult<i64>;
    /// The state hash, hex.
    async fn state_hash(&self) -> DoorResult<String>;
    /// Shared events after local sequence `after`, at most `limit`.
    async fn events_after(&self, after: i64, limit: i64) -> DoorResult<Vec<StoredEvent>>;
    /// The newest `limit` shared events, newest first.
    async fn latest_events(&self, limit: i64) -> DoorResult<Vec<StoredEvent>>;
    /// The shared events of record `id`.
    async fn events_for_record(&self, id: &str) -> DoorResult<Vec<StoredEvent>>;
    /// A full verification of the log now.
    async fn verify(&self) -> DoorResult<VerifyReport>;
    /// The last full verification (run now when none is kept).
    async fn verification(&self) -> DoorResult<Arc<Verification>>;
    /// The sequence numbers of the events `user` may see, in each log.
    async fn visible_events(&self, user: &User) -> DoorResult<VisibleEvents>;
    /// The events of `log` at the sequence numbers `seqs` (ascending).
    async fn events_at(&self, log: LogKind, seqs: &[i64]) -> DoorResult<Vec<StoredEvent>>;
    /// Shared events after `after` that `user` may see, at most `limit`.
    async fn visible_events_after(&self, user: &User, after: i64, limit: usize) -> DoorResult<Vec<StoredEvent>>;
    /// The audit trail of `party`, a page: (lines, total).
    async fn audit_page(&self, party: &str, offset: i64, limit: i64) -> DoorResult<(Vec<AuditRow>, i64)>;
    /// Where this node stands with its peers.
    async fn sync_status(&self) -> DoorResult<SyncStatus>;
    /// The node's metrics in the Prometheus text format.
    async fn metrics_text(&self) -> String;

    // ---- writing ------------------------------------------------------------------------
    /// Runs `command` as `user` (role × party rule, then the domain); the ids of the events
    /// written (none when nothing changes).
    async fn execute_as(&self, user: &User, command: &Command) -> DoorResult<Vec<EventId>>;
    /// As [`Door::execute_as`], for an act on the version `version` of record `id` that the user
    /// read (endorsing a decision or a roadmap): [`DomainError::StaleVersion`] when the record's
    /// current version is another, checked under the same lock as the command.
    async fn execute_as_read(
        &self,
        user: &User,
        command: &Command,
        id: &str,
        version: &str,
    ) -> DoorResult<Vec<EventId>>;
    /// A co-chair delegates their signature to member `delegate` from `from` to `to` (dates as
    /// typed, `YYYY-MM-DD`).
    async fn delegate_signature(&self, user: &User, delegate: &str, from: &str, to: &str) -> DoorResult<Vec<EventId>>;
    /// Registers a document file and its record; the record's id.
    async fn register_document(
        &self,
        user: Option<&User>,
        actor: &Actor,
        upload: &Upload<'_>,
        document: Document,
    ) -> DoorResult<String>;
    /// Plans (and with `apply` writes, all or nothing) a matrix import.
    async fn import_matrix(&self, importer: &Importer, matrix: &MatrixImport, apply: bool)
    -> DoorResult<ImportOutcome>;
    /// An audit line of `user` (`action`, `detail`, `record`, from `address`).
    async fn audit_as(&self, user: &User, action: &str, detail: &str, record: &str, address: &str) -> DoorResult<()>;
    /// The audit line of a view or download of a record marked RESTRICTED or above.
    async fn audit_view(
        &self,
        user: &User,
        action: &str,
        record: &str,
        marking: &Marking,
        address: &str,
    ) -> DoorResult<()>;

    // ---- documents' files ---------------------------------------------------------------
    /// The bytes of blob `hash`, checked against it.
    fn read_blob(&self, hash: &str) -> DoorResult<Vec<u8>>;
    /// Whether blob `hash` is stored here.
    fn has_blob(&self, hash: &str) -> bool;
    /// The file of a SHARED document for a peer (`None` for any other hash).
    async fn shared_blob(&self, hash: &str) -> Option<Vec<u8>>;

    // ---- sign-in and sessions -----------------------------------------------------------
    /// A password checked: signed in, or a second step due.
    async fn begin_sign_in(&self, username: &str, password: &str, address: &str) -> DoorResult<SignInStep>;
    /// One-step sign-in (the API), with a code when two-factor is on.
    async fn sign_in_with_code(
        &self,
        username: &str,
        password: &str,
        code: Option<&str>,
        address: &str,
    ) -> DoorResult<NewSession>;
    /// The second step of a sign-in: the session and, after enrolment, the recovery codes.
    async fn finish_step(&self, token: &str, code: &str, address: &str) -> DoorResult<(NewSession, Vec<String>)>;
    /// The enrolment of the half-done sign-in `token`.
    async fn step_enrolment(&self, token: &str) -> DoorResult<Enrolment>;
    /// The live session of cookie `token`.
    async fn signed_in(&self, token: &str) -> DoorResult<Option<SignedIn>>;
    /// Ends the session of cookie `token`.
    async fn sign_out(&self, token: &str) -> DoorResult<()>;
    /// Asks `user`'s password again (endorsing).
    async fn confirm_password(&self, user: &User, password: &str, address: &str) -> DoorResult<()>;
    /// `user`'s two-factor state.
    async fn two_factor(&self, user: &User) -> DoorResult<TwoFactorStatus>;
    /// A new enrolment for `user`.
    async fn enrolment(&self, user: &User) -> DoorResult<Enrolment>;
    /// Confirms the enrolment with a first code; the recovery codes.
    async fn confirm_enrolment(&self, user: &User, code: &str, address: &str) -> DoorResult<Vec<String>>;
    /// Turns two-factor sign-in off (password asked again).
    async fn turn_off_two_factor(&self, user: &User, password: &str, address: &str) -> DoorResult<()>;
    /// Changes `user`'s own password, keeping the session `keep`.
    async fn change_own_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
        keep: &str,
        address: &str,
    ) -> DoorResult<()>;

    // ---- users administered by their party ----------------------------------------------
    /// The users of `admin`'s party.
    async fn party_users(&self, admin: &User) -> DoorResult<Vec<UserSummary>>;
    /// Adds a user with a one-time activation link; the link's token.
    async fn add_user_with_link(
        &self,
        admin: &User,
        username: &str,
        role: &str,
        clearance: Option<&str>,
        address: &str,
    ) -> DoorResult<String>;
    /// A password reset link for `username`; its token.
    async fn reset_link(&self, admin: &User, username: &str, address: &str) -> DoorResult<String>;
    /// Changes a user's role, clearance or disabled flag.
    async fn change_user(&self, admin: &User, username: &str, change: UserChange<'_>, address: &str) -> DoorResult<()>;
    /// The live sessions of `username`.
    async fn user_sessions(&self, admin: &User, username: &str) -> DoorResult<Vec<SessionInfo>>;
    /// Ends one session (`id`) or all of `username`'s; how many.
    async fn end_sessions(&self, admin: &User, username: &str, id: Option<&str>, address: &str) -> DoorResult<u64>;
    /// The user and purpose of a live link at `now`.
    async fn link_at(&self, token: &str, now: Timestamp) -> DoorResult<(String, String)>;
    /// Uses a link at `now` to set a password; the username.
    async fn use_link_at(&self, token: &str, password: &str, now: Timestamp) -> DoorResult<String>;

    // ---- notifications and calendar feeds -----------------------------------------------
    /// A user's notification settings.
    async fn contact(&self, username: &str) -> DoorResult<Option<Contact>>;
    /// Sets a user's language, zone (tz-database name), e-mail address (`""`: none) and the
    /// triggers turned off; `false` for an unknown user.
    async fn set_contact(
        &self,
        username: &str,
        lang: Lang,
        tz: &str,
        email: &str,
        off: &BTreeSet<String>,
    ) -> DoorResult<bool>;
    /// A page of `user`'s notifications, newest first: (rows, total).
    async fn notifications(&self, user: &User, offset: i64, limit: i64) -> DoorResult<(Vec<NotificationRow>, i64)>;
    /// Marks one (`id`) or all of `user`'s notifications read; how many.
    async fn mark_notifications_read(&self, user: &User, id: Option<i64>) -> DoorResult<u64>;
    /// Creates a calendar feed for `username`.
    async fn create_feed(&self, username: &str, address: &str) -> DoorResult<NewFeed>;
    /// `username`'s feeds.
    async fn feeds(&self, username: &str) -> DoorResult<Vec<FeedRow>>;
    /// Revokes feed `id` of `username`; whether it was live.
    async fn revoke_feed(&self, username: &str, id: i64, address: &str) -> DoorResult<bool>;
    /// The user of a live feed token.
    async fn feed_user(&self, token: &str) -> DoorResult<Option<User>>;

    // ---- peers (`/sync/v1`) -------------------------------------------------------------
    /// Checks a peer request's signature; the peer's party and its clock skew, seconds.
    async fn authenticate_peer(
        &self,
        auth: &RequestAuth,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> DoorResult<(String, i64)>;
    /// `POST /sync/v1/heads`: `body` is the request's JSON; the reply's JSON.
    /// [`DoorError::BadRequest`] when the body cannot be read.
    async fn answer_heads(&self, party: &str, skew: i64, body: &[u8]) -> DoorResult<Vec<u8>>;
    /// `POST /sync/v1/pull`, as [`Door::answer_heads`].
    async fn answer_pull(&self, party: &str, skew: i64, body: &[u8]) -> DoorResult<Vec<u8>>;
    /// `POST /sync/v1/push`, as [`Door::answer_heads`].
    async fn answer_push(&self, party: &str, skew: i64, body: &[u8]) -> DoorResult<Vec<u8>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The calling thread's nice value (Linux: per thread).
    fn nice() -> i32 {
        rustix::process::getpriority_process(Some(rustix::thread::gettid())).expect("getpriority")
    }

    #[test]
    fn bulk_work_runs_on_a_thread_of_its_own_at_a_lower_priority_and_the_caller_keeps_its_own() {
        let before = nice();
        let (inside, thread) = bulk(|| (nice(), std::thread::current().id()));
        // 19 is the lowest priority a nice value can give (setpriority(2) clamps to it).
        assert_eq!(inside, (before + BULK_NICE).min(19));
        assert_ne!(thread, std::thread::current().id(), "a thread of its own");
        assert_eq!(nice(), before, "the caller's priority is unchanged");
        assert_eq!(bulk(|| 6 * 7), 42);
    }

    #[test]
    fn a_panic_in_bulk_work_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| bulk(|| panic!("bulk work failed")));
        let message = caught.expect_err("the panic is resumed").downcast::<&str>().map(|m| *m);
        assert_eq!(message.ok(), Some("bulk work failed"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bulk_work_on_the_servers_runtime_leaves_its_workers_at_their_priority() {
        let before = nice();
        assert_eq!(bulk(nice), (before + BULK_NICE).min(19));
        assert_eq!(nice(), before, "the worker that waited");
        // Every worker of the runtime, asked in turn, still runs at the priority it had.
        for _ in 0..8 {
            assert_eq!(tokio::spawn(async { nice() }).await.expect("task"), before);
        }
    }
}
