//! The shared log as the fold reads it: one event, and the fold of a list of them (the past
//! as of an instant, the PV's endorsed events). Reading the log is the node's
//! (`lajna_node::history`, which re-exports these at their old paths).

use jiff::Timestamp;
use lajna_domain::State;
use lajna_domain::state::Meta;
use serde_json::Value;

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
    /// The envelope is not JSON (the node reports a corrupt store).
    pub fn parse(id: &str, envelope: &str) -> Result<Self, serde_json::Error> {
        let env: Value = serde_json::from_str(envelope)?;
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
