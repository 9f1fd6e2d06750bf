//! References of decisions (DESIGN.md §8): `D-<year of the session's start>/<session number>-<n>`,
//! where `n` is the decision's ordinal among its session's decisions in creation order
//! (Lamport clock, then event id). One rule, used by the decision page, the follow-up matrix
//! (export and import) and the PV.

use std::collections::BTreeMap;

use crate::records::{Decision, RecordKind, Session};
use crate::state::State;

/// The reference of every decision whose session is recorded, by decision id.
#[must_use]
pub fn decision_references(state: &State) -> BTreeMap<String, String> {
    let mut by_session: BTreeMap<String, Vec<(crate::state::Stamp, String)>> = BTreeMap::new();
    for (id, d) in state.all::<Decision>(RecordKind::Decision) {
        let Some(stamp) = state.entry(&id).and_then(|e| e.created.as_ref()).map(|(s, _)| s.clone()) else {
            continue;
        };
        by_session.entry(d.session).or_default().push((stamp, id));
    }
    let mut out = BTreeMap::new();
    for (session, mut decisions) in by_session {
        let Some(s) = state.get::<Session>(RecordKind::Session, &session) else { continue };
        decisions.sort();
        for (n, (_, id)) in decisions.into_iter().enumerate() {
            out.insert(id, format!("D-{}/{}-{}", s.start.year(), s.number, n + 1));
        }
    }
    out
}

/// The reference of decision `id` (e.g. `D-2025/1-3`), `None` when there is no such decision.
#[must_use]
pub fn decision_reference(state: &State, id: &str) -> Option<String> {
    decision_references(state).remove(id)
}

/// The decision a reference names (written as [`decision_reference`] gives it, without regard
/// to case or surrounding spaces), `None` when none does.
#[must_use]
pub fn decision_by_reference(state: &State, reference: &str) -> Option<String> {
    let wanted: String = reference.split_whitespace().collect::<String>().to_uppercase();
    decision_references(state).into_iter().find(|(_, r)| *r == wanted).map(|(id, _)| id)
}
