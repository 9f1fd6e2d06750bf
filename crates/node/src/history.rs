//! The record as it was: the shared log folded up to a moment (DESIGN.md §8, "what changed
//! since"; the dashboard "as of" a past date). The fold is the same `State::apply` as the
//! store's, over the events whose author time is at or before the moment, in arrival order
//! (parents first). Author times are the writers' clocks: an event is counted at the time its
//! author wrote it, not when this node received it.

use jiff::Timestamp;
use lajna_domain::State;
use lajna_domain::state::Meta;
use serde_json::Value;

use crate::auth::User;
use crate::record::may_see_entry;
use crate::{Node, NodeError};

/// The genesis event's kind (the ledger's).
const GENESIS: &str = lajna_ledger::GENESIS_KIND;

/// One shared event as the fold reads it.
#[derive(Clone, Debug)]
pub struct LoggedEvent {
    /// Id, author, Lamport clock and author time (RFC 3339 UTC).
    pub meta: Meta,
    /// Event kind (`action.planned`, …).
    pub kind: String,
    /// Body.
    pub body: Value,
    /// Parent event ids.
    pub parents: Vec<String>,
}

impl LoggedEvent {
    /// Reads an event's envelope (the signed JSON text) for the fold.
    ///
    /// # Errors
    /// [`NodeError::Store`] when the envelope is not JSON (a corrupt store).
    pub fn parse(id: &str, envelope: &str) -> Result<Self, NodeError> {
        let env: Value = serde_json::from_str(envelope)
            .map_err(|e| NodeError::Store(lajna_store::StoreError::Corrupt(format!("event {id}: {e}"))))?;
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
        let author = env.get("author");
        let parents = env.get("parents").and_then(Value::as_array).into_iter().flatten();
        Ok(Self {
            meta: Meta {
                id: id.to_string(),
                lamport: env.get("lamport").and_then(Value::as_i64).unwrap_or_default(),
                party: text(author.and_then(|a| a.get("party"))),
                member: author.and_then(|a| a.get("member")).and_then(Value::as_str).map(String::from),
                at: text(env.get("at")),
            },
            kind: text(env.get("kind")),
            body: env.get("body").cloned().unwrap_or(Value::Null),
            parents: parents.filter_map(Value::as_str).map(String::from).collect(),
        })
    }

    /// The author time, when it reads as an RFC 3339 instant.
    #[must_use]
    pub fn at(&self) -> Option<Timestamp> {
        self.meta.at.parse().ok()
    }
}

/// Folds `events` (parents first) into a state; an event the fold refuses (a kind this version
/// does not know) is left out, as the store's fold would refuse it on receipt.
#[must_use]
pub fn fold<'e>(events: impl IntoIterator<Item = &'e LoggedEvent>) -> State {
    let mut state = State::default();
    for e in events {
        let _ = state.apply(&e.meta, &e.kind, &e.body);
    }
    state
}

impl Node {
    /// Every event of the shared log, in arrival order (parents first).
    ///
    /// # Errors
    /// Database errors; a corrupt envelope.
    pub async fn shared_log(&self) -> Result<Vec<LoggedEvent>, NodeError> {
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let page = self.store.events_after(after, 1000).await?;
            let Some(end) = page.last().map(|e| e.seq) else { break };
            after = end;
            for e in page {
                out.push(LoggedEvent::parse(&e.id, &e.raw.envelope)?);
            }
        }
        Ok(out)
    }

    /// The shared record as `viewer` would have seen it at `until`: the fold of the events
    /// written at or before it, with the marking rule of [`Node::read`].
    ///
    /// # Errors
    /// As [`Node::shared_log`].
    pub async fn read_as_of(&self, viewer: &User, until: Timestamp) -> Result<State, NodeError> {
        Ok(self.read_all_as_of(until).await?.retain(|_, e| may_see_entry(viewer, e)))
    }

    /// The whole shared record at `until`, as the operator reads it ([`Node::read_all`]).
    ///
    /// # Errors
    /// As [`Node::shared_log`].
    pub async fn read_all_as_of(&self, until: Timestamp) -> Result<State, NodeError> {
        let log = self.shared_log().await?;
        // The charter is timeless: a date before the committee's founding is an empty record of
        // the same committee.
        Ok(fold(log.iter().filter(|e| e.kind == GENESIS || e.at().is_some_and(|t| t <= until))))
    }
}
