//! The node behind the web's door: [`lajna_door::Door`] for [`Node`], each method the node's
//! own method of the same name, with the store's and the ledger's rows turned into the door's
//! and [`NodeError`] into [`DoorError`] (message and code unchanged). The web, the read models
//! and the report depend on `lajna-door` only; `lajna serve` hands them an `Arc<Node>`.

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use lajna_domain::records::Document;
use lajna_domain::{Actor, Charter, Command, Lang, Marking, PartyCode, State};
use lajna_door::admin::{SessionInfo, UserChange, UserSummary};
use lajna_door::auth::{NewSession, SignedIn, User};
use lajna_door::documents::{DocumentView, Upload};
use lajna_door::feeds::{FeedRow, NewFeed};
use lajna_door::history::LoggedEvent;
use lajna_door::import::{ImportOutcome, Importer};
use lajna_door::notify::{Contact, NotificationKey, NotificationRow, Triggers};
use lajna_door::record::{LogKind, Verification, VisibleEvents};
use lajna_door::two_factor::{Enrolment, SignInStep, TwoFactorStatus};
use lajna_door::{
    AuditRow, Door, DoorError, DoorResult, EventId, EventSignature, PeerRow, RequestAuth, SignedEvent, Snapshot,
    StoredEvent, SyncStatus, VerifyReport,
};
use lajna_outputs::import::MatrixImport;
use lajna_search::{Access, SearchError, SearchPage};
use serde_json::Value;

use crate::{Node, NodeError};

impl From<NodeError> for DoorError {
    fn from(e: NodeError) -> Self {
        let code = e.code();
        match e {
            NodeError::Domain(d) => Self::Domain(d),
            NodeError::Auth(a) => Self::Auth(a),
            NodeError::Document(d) => Self::Document(d),
            NodeError::NoKey { party } => Self::NoKey { party },
            NodeError::Store(s) => Self::Store { code, message: s.to_string() },
            NodeError::Ledger(l) => Self::Ledger { code, message: l.to_string() },
            other => Self::Other { code, message: other.to_string() },
        }
    }
}

fn id(e: lajna_ledger::EventId) -> EventId {
    EventId(e.to_hex())
}

fn ids(list: Vec<lajna_ledger::EventId>) -> Vec<EventId> {
    list.into_iter().map(id).collect()
}

fn signed(e: lajna_ledger::SignedEvent) -> SignedEvent {
    let sigs = e.sigs.into_iter().map(|s| EventSignature { key: s.key, sig: s.sig }).collect();
    SignedEvent { envelope: e.envelope, sigs }
}

/// A stored event as the read models read it (tests build read models from the node's own
/// lists).
#[must_use]
pub fn event(e: lajna_store::StoredEvent) -> StoredEvent {
    StoredEvent {
        seq: e.seq,
        id: e.id,
        lamport: e.lamport,
        party: e.party,
        kind: e.kind,
        at: e.at,
        raw: signed(e.raw),
        received_at: e.received_at,
    }
}

fn events(list: Vec<lajna_store::StoredEvent>) -> Vec<StoredEvent> {
    list.into_iter().map(event).collect()
}

fn audit(r: lajna_store::AuditRow) -> AuditRow {
    AuditRow {
        at: r.at,
        username: r.username,
        action: r.action,
        detail: r.detail,
        address: r.address,
        party: r.party,
        record: r.record,
    }
}

fn peer(r: lajna_store::PeerRow) -> PeerRow {
    PeerRow {
        party: r.party,
        heads: ids(r.heads),
        last_sync_at: r.last_sync_at,
        last_direction: r.last_direction,
        received: r.received,
        refused: r.refused,
        last_error: r.last_error,
        clock_skew_seconds: r.clock_skew_seconds,
    }
}

/// A stored notification as the read models read it (the mailer words the outbox's rows with
/// `lajna_views::notifications`, as the page does).
#[must_use]
pub fn notification(r: lajna_store::NotificationRow) -> NotificationRow {
    let k = r.key;
    let key = NotificationKey { trigger: k.trigger, record: k.record, version: k.version, recipient: k.recipient };
    NotificationRow { id: r.id, key, created_at: r.created_at, read_at: r.read_at }
}

fn feed(r: lajna_store::FeedRow) -> FeedRow {
    FeedRow { id: r.id, username: r.username, created_at: r.created_at, revoked_at: r.revoked_at }
}

/// A peer's request body read as `T`, or [`DoorError::BadRequest`] naming why (the 400 the web
/// answered before the body reached the node).
fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> DoorResult<T> {
    serde_json::from_slice(bytes).map_err(|e| DoorError::BadRequest(format!("unreadable body: {e}")))
}

/// A reply as the JSON the web sends.
fn reply<T: serde::Serialize>(value: &T) -> DoorResult<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| DoorError::Other { code: "json", message: e.to_string() })
}

#[async_trait::async_trait]
impl Door for Node {
    fn today(&self) -> Date {
        Node::today(self)
    }

    fn default_language(&self) -> Lang {
        self.config.default_language
    }

    fn demo(&self) -> bool {
        self.config.demo
    }

    fn max_document_bytes(&self) -> u64 {
        self.config.max_document_bytes
    }

    fn reporting_currency(&self) -> lajna_domain::money::Currency {
        self.config.reporting_currency
    }

    fn trusted_proxies(&self) -> Vec<ipnet::IpNet> {
        // Checked when the settings were loaded; a config built in code is checked here.
        self.config.proxies().unwrap_or_default()
    }

    fn notify_settings(&self) -> Triggers {
        self.config.notify.clone()
    }

    fn generation(&self) -> u64 {
        Node::generation(self)
    }

    async fn read(&self, viewer: &User) -> Snapshot {
        Node::read(self, viewer).await
    }

    async fn read_all(&self) -> Snapshot {
        Node::read_all(self).await
    }

    async fn read_as_of(&self, viewer: &User, until: Timestamp) -> DoorResult<State> {
        Ok(Node::read_as_of(self, viewer, until).await?)
    }

    async fn read_all_as_of(&self, until: Timestamp) -> DoorResult<State> {
        Ok(Node::read_all_as_of(self, until).await?)
    }

    async fn shared_log(&self) -> DoorResult<Vec<LoggedEvent>> {
        Ok(Node::shared_log(self).await?)
    }

    async fn parties_of_committee(&self) -> Vec<PartyCode> {
        Node::parties_of_committee(self).await
    }

    async fn charter(&self) -> DoorResult<Option<(String, Charter)>> {
        Ok(Node::charter(self).await?)
    }

    async fn documents_for(&self, user: &User) -> Vec<DocumentView> {
        Node::documents_for(self, user).await
    }

    async fn document_for(&self, user: &User, id: &str) -> Option<DocumentView> {
        Node::document_for(self, user, id).await
    }

    async fn export_for(&self, user: &User) -> DoorResult<Value> {
        Ok(Node::export_for(self, user).await?)
    }

    async fn search(
        &self,
        query: &str,
        access: &Access,
        lang: Lang,
        limit: usize,
        offset: usize,
    ) -> Result<SearchPage, SearchError> {
        Node::search(self, query, access, lang, limit, offset).await
    }

    async fn refresh_search(&self) -> Result<usize, SearchError> {
        Node::refresh_search(self).await
    }

    async fn event_count(&self) -> DoorResult<i64> {
        Ok(Node::event_count(self).await?)
    }

    async fn state_hash(&self) -> DoorResult<String> {
        Ok(Node::state_hash(self).await?)
    }

    async fn events_after(&self, after: i64, limit: i64) -> DoorResult<Vec<StoredEvent>> {
        Ok(events(Node::events_after(self, after, limit).await?))
    }

    async fn latest_events(&self, limit: i64) -> DoorResult<Vec<StoredEvent>> {
        Ok(events(Node::latest_events(self, limit).await?))
    }

    async fn events_for_record(&self, id: &str) -> DoorResult<Vec<StoredEvent>> {
        Ok(events(Node::events_for_record(self, id).await?))
    }

    async fn verify(&self) -> DoorResult<VerifyReport> {
        let r = Node::verify(self).await?;
        Ok(VerifyReport {
            events: r.events,
            rebuilt_hash: r.rebuilt_hash,
            stored_hash: r.stored_hash,
            problem: r.problem,
        })
    }

    async fn verification(&self) -> DoorResult<Arc<Verification>> {
        Ok(Node::verification(self).await?)
    }

    async fn visible_events(&self, user: &User) -> DoorResult<VisibleEvents> {
        Ok(Node::visible_events(self, user).await?)
    }

    async fn events_at(&self, log: LogKind, seqs: &[i64]) -> DoorResult<Vec<StoredEvent>> {
        Ok(events(Node::events_at(self, log, seqs).await?))
    }

    async fn visible_events_after(&self, user: &User, after: i64, limit: usize) -> DoorResult<Vec<StoredEvent>> {
        Ok(events(Node::visible_events_after(self, user, after, limit).await?))
    }

    async fn audit_page(&self, party: &str, offset: i64, limit: i64) -> DoorResult<(Vec<AuditRow>, i64)> {
        let (rows, total) = Node::audit_page(self, party, offset, limit).await?;
        Ok((rows.into_iter().map(audit).collect(), total))
    }

    async fn sync_status(&self) -> DoorResult<SyncStatus> {
        let s = Node::sync_status(self).await?;
        Ok(SyncStatus {
            peers: s.peers.into_iter().map(|(row, warn)| (peer(row), warn)).collect(),
            heads: ids(s.heads),
            events: s.events,
            pending: s.pending,
        })
    }

    async fn metrics_text(&self) -> String {
        Node::metrics_text(self).await
    }

    async fn execute_as(&self, user: &User, command: &Command) -> DoorResult<Vec<EventId>> {
        Ok(ids(Node::execute_as(self, user, command).await?))
    }

    async fn execute_as_read(
        &self,
        user: &User,
        command: &Command,
        id: &str,
        version: &str,
    ) -> DoorResult<Vec<EventId>> {
        Ok(ids(Node::execute_as_read(self, user, command, id, version).await?))
    }

    async fn delegate_signature(&self, user: &User, delegate: &str, from: &str, to: &str) -> DoorResult<Vec<EventId>> {
        Ok(ids(Node::delegate_signature(self, user, delegate, from, to).await?))
    }

    async fn register_document(
        &self,
        user: Option<&User>,
        actor: &Actor,
        upload: &Upload<'_>,
        document: Document,
    ) -> DoorResult<String> {
        Ok(Node::register_document(self, user, actor, upload, document).await?)
    }

    async fn import_matrix(
        &self,
        importer: &Importer,
        matrix: &MatrixImport,
        apply: bool,
    ) -> DoorResult<ImportOutcome> {
        let outcome = Node::import_matrix(self, importer, matrix, apply).await?;
        Ok(ImportOutcome { plan: outcome.plan, written: ids(outcome.written) })
    }

    async fn audit_as(&self, user: &User, action: &str, detail: &str, record: &str, address: &str) -> DoorResult<()> {
        Ok(Node::audit_as(self, user, action, detail, record, address).await?)
    }

    async fn audit_view(
        &self,
        user: &User,
        action: &str,
        record: &str,
        marking: &Marking,
        address: &str,
    ) -> DoorResult<()> {
        Ok(Node::audit_view(self, user, action, record, marking, address).await?)
    }

    fn read_blob(&self, hash: &str) -> DoorResult<Vec<u8>> {
        Ok(Node::read_blob(self, hash)?)
    }

    fn has_blob(&self, hash: &str) -> bool {
        Node::has_blob(self, hash)
    }

    async fn shared_blob(&self, hash: &str) -> Option<Vec<u8>> {
        Node::shared_blob(self, hash).await
    }

    async fn begin_sign_in(&self, username: &str, password: &str, address: &str) -> DoorResult<SignInStep> {
        Ok(Node::begin_sign_in(self, username, password, address).await?)
    }

    async fn sign_in_with_code(
        &self,
        username: &str,
        password: &str,
        code: Option<&str>,
        address: &str,
    ) -> DoorResult<NewSession> {
        Ok(Node::sign_in_with_code(self, username, password, code, address).await?)
    }

    async fn finish_step(&self, token: &str, code: &str, address: &str) -> DoorResult<(NewSession, Vec<String>)> {
        Ok(Node::finish_step(self, token, code, address).await?)
    }

    async fn step_enrolment(&self, token: &str) -> DoorResult<Enrolment> {
        Ok(Node::step_enrolment(self, token).await?)
    }

    async fn signed_in(&self, token: &str) -> DoorResult<Option<SignedIn>> {
        Ok(Node::signed_in(self, token).await?)
    }

    async fn sign_out(&self, token: &str) -> DoorResult<()> {
        Ok(Node::sign_out(self, token).await?)
    }

    async fn confirm_password(&self, user: &User, password: &str, address: &str) -> DoorResult<()> {
        Ok(Node::confirm_password(self, user, password, address).await?)
    }

    async fn two_factor(&self, user: &User) -> DoorResult<TwoFactorStatus> {
        Ok(Node::two_factor(self, user).await?)
    }

    async fn enrolment(&self, user: &User) -> DoorResult<Enrolment> {
        Ok(Node::enrolment(self, user).await?)
    }

    async fn confirm_enrolment(&self, user: &User, code: &str, address: &str) -> DoorResult<Vec<String>> {
        Ok(Node::confirm_enrolment(self, user, code, address).await?)
    }

    async fn turn_off_two_factor(&self, user: &User, password: &str, address: &str) -> DoorResult<()> {
        Ok(Node::turn_off_two_factor(self, user, password, address).await?)
    }

    async fn change_own_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
        keep: &str,
        address: &str,
    ) -> DoorResult<()> {
        Ok(Node::change_own_password(self, user, current, new, keep, address).await?)
    }

    async fn party_users(&self, admin: &User) -> DoorResult<Vec<UserSummary>> {
        Ok(Node::party_users(self, admin).await?)
    }

    async fn add_user_with_link(
        &self,
        admin: &User,
        username: &str,
        role: &str,
        clearance: Option<&str>,
        address: &str,
    ) -> DoorResult<String> {
        Ok(Node::add_user_with_link(self, admin, username, role, clearance, address).await?)
    }

    async fn reset_link(&self, admin: &User, username: &str, address: &str) -> DoorResult<String> {
        Ok(Node::reset_link(self, admin, username, address).await?)
    }

    async fn change_user(&self, admin: &User, username: &str, change: UserChange<'_>, address: &str) -> DoorResult<()> {
        Ok(Node::change_user(self, admin, username, change, address).await?)
    }

    async fn user_sessions(&self, admin: &User, username: &str) -> DoorResult<Vec<SessionInfo>> {
        Ok(Node::user_sessions(self, admin, username).await?)
    }

    async fn end_sessions(&self, admin: &User, username: &str, id: Option<&str>, address: &str) -> DoorResult<u64> {
        Ok(Node::end_sessions(self, admin, username, id, address).await?)
    }

    async fn link_at(&self, token: &str, now: Timestamp) -> DoorResult<(String, String)> {
        Ok(Node::link_at(self, token, now).await?)
    }

    async fn use_link_at(&self, token: &str, password: &str, now: Timestamp) -> DoorResult<String> {
        Ok(Node::use_link_at(self, token, password, now).await?)
    }

    async fn contact(&self, username: &str) -> DoorResult<Option<Contact>> {
        Ok(Node::contact(self, username).await?)
    }

    async fn set_contact(
        &self,
        username: &str,
        lang: Lang,
        tz: &str,
        email: &str,
        off: &BTreeSet<String>,
    ) -> DoorResult<bool> {
        Ok(Node::set_contact(self, username, lang, tz, email, off).await?)
    }

    async fn notifications(&self, user: &User, offset: i64, limit: i64) -> DoorResult<(Vec<NotificationRow>, i64)> {
        let (rows, total) = Node::notifications(self, user, offset, limit).await?;
        Ok((rows.into_iter().map(notification).collect(), total))
    }

    async fn mark_notifications_read(&self, user: &User, id: Option<i64>) -> DoorResult<u64> {
        Ok(Node::mark_notifications_read(self, user, id).await?)
    }

    async fn create_feed(&self, username: &str, address: &str) -> DoorResult<NewFeed> {
        Ok(Node::create_feed(self, username, address).await?)
    }

    async fn feeds(&self, username: &str) -> DoorResult<Vec<FeedRow>> {
        Ok(Node::feeds(self, username).await?.into_iter().map(feed).collect())
    }

    async fn revoke_feed(&self, username: &str, id: i64, address: &str) -> DoorResult<bool> {
        Ok(Node::revoke_feed(self, username, id, address).await?)
    }

    async fn feed_user(&self, token: &str) -> DoorResult<Option<User>> {
        Ok(Node::feed_user(self, token).await?)
    }

    async fn authenticate_peer(
        &self,
        auth: &RequestAuth,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> DoorResult<(String, i64)> {
        let auth = lajna_ledger::RequestAuth {
            node: auth.node.clone(),
            time: auth.time.clone(),
            nonce: auth.nonce.clone(),
            signature: auth.signature.clone(),
        };
        Ok(Node::authenticate_peer(self, &auth, method, path, body).await?)
    }

    async fn answer_heads(&self, party: &str, skew: i64, request: &[u8]) -> DoorResult<Vec<u8>> {
        let request: crate::sync::HeadsRequest = body(request)?;
        reply(&Node::answer_heads(self, party, skew, &request).await?)
    }

    async fn answer_pull(&self, party: &str, skew: i64, request: &[u8]) -> DoorResult<Vec<u8>> {
        let request: crate::sync::PullRequest = body(request)?;
        reply(&Node::answer_pull(self, party, skew, &request).await?)
    }

    async fn answer_push(&self, party: &str, skew: i64, request: &[u8]) -> DoorResult<Vec<u8>> {
        let request: crate::sync::PushRequest = body(request)?;
        reply(&Node::answer_push(self, party, skew, &request).await?)
    }
}
