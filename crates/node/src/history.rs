//! The record as it was: the shared log folded up to a moment (DESIGN.md §8, "what changed
//! since"; the dashboard "as of" a past date). The fold is the same `State::apply` as the
//! store's, over the events whose author time is at or before the moment, in arrival order
//! (parents first). Author times are the writers' clocks: an event is counted at the time its
//! author wrote it, not when this node received it.

use jiff::Timestamp;
use lajna_domain::State;

use crate::auth::User;
use crate::record::may_see_entry;
use crate::{Node, NodeError};

/// The genesis event's kind (the ledger's).
const GENESIS: &str = lajna_ledger::GENESIS_KIND;

// One logged event and the fold of a list of them live in `lajna_door` (re-exported here).
pub use lajna_door::history::{LoggedEvent, fold};

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
                out.push(LoggedEvent::parse(&e.id, &e.raw.envelope).map_err(|why| {
                    NodeError::Store(lajna_store::StoreError::Corrupt(format!("event {}: {why}", e.id)))
                })?);
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
