//! Delegated signature (issue 16 item 4): a co-chair delegates the right to endorse decisions
//! and roadmaps to a named member of their party for a period of civil dates, both included
//! ("pour le co-président", P.O.). The delegation is an event signed by that party's node
//! (`member.signature_delegated`, added to the co-chair's member record), and so is its
//! withdrawal (`member.signature_delegation_withdrawn`, naming the delegation's event id): two
//! add-only sets, so a peer folds them in any order to the same state.
//!
//! An endorsement made under a delegation is a party's endorsement like the co-chair's own (it
//! counts for the adoption rule, `crate::adoption`) and names the co-chair it was made for
//! (`"for"` in its body; the delegate is its author member), so pages and documents show both
//! names. `decide` refuses the delegate's endorsement on a date outside the period, or once the
//! delegation is withdrawn; as everywhere, the date is the node's (the command carries it),
//! and received events are folded as signed.

use jiff::civil::Date;
use serde_json::{Map, Value, json};

use crate::command::{Actor, Emit};
use crate::records::Member;
use crate::state::{BODY_VERSION, Change, State};
use crate::values::MemberRole;
use crate::{DomainError, RecordKind};

/// The add-only set of a co-chair's member record holding their delegations.
pub const DELEGATIONS: &str = "signature_delegations";
/// The add-only set holding the withdrawals (each names a delegation's event id).
pub const WITHDRAWALS: &str = "signature_withdrawals";
/// Event kind of a delegation.
pub const DELEGATED: &str = "member.signature_delegated";
/// Event kind of a withdrawal.
pub const WITHDRAWN: &str = "member.signature_delegation_withdrawn";

/// One delegation as the state holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureDelegation {
    /// The delegation's event id (what a withdrawal names).
    pub id: String,
    /// The co-chair's member id.
    pub co_chair: String,
    /// The delegate's member id.
    pub delegate: String,
    /// First day.
    pub from: Date,
    /// Last day (included).
    pub to: Date,
    /// Whether it was withdrawn.
    pub withdrawn: bool,
}

impl SignatureDelegation {
    /// Whether it lets its delegate endorse on `on`.
    #[must_use]
    pub fn covers(&self, on: Date) -> bool {
        !self.withdrawn && self.from <= on && on <= self.to
    }
}

/// Every signature delegation of `party`'s co-chairs, oldest first.
#[must_use]
pub fn delegations(state: &State, party: &str) -> Vec<SignatureDelegation> {
    let mut out = vec![];
    for (id, member) in state.all::<Member>(RecordKind::Member) {
        if member.party.as_str() != party || member.role != MemberRole::CoChair {
            continue;
        }
        let Some(entry) = state.entry(&id) else { continue };
        let withdrawn: Vec<&str> = entry
            .sets
            .get(WITHDRAWALS)
            .map(|s| s.values().filter_map(|v| v.get("delegation").and_then(Value::as_str)).collect())
            .unwrap_or_default();
        for v in entry.sets.get(DELEGATIONS).map(|s| s.values().collect::<Vec<_>>()).unwrap_or_default() {
            let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            let (Ok(from), Ok(to)) = (text("from").parse(), text("to").parse()) else { continue };
            let event = text("event");
            out.push(SignatureDelegation {
                withdrawn: withdrawn.contains(&event.as_str()),
                id: event,
                co_chair: id.clone(),
                delegate: text("delegate"),
                from,
                to,
            });
        }
    }
    out
}

/// The co-chair `actor` may endorse for on `on`: a delegation of its party's co-chair to its
/// member that covers that day and was not withdrawn.
#[must_use]
pub fn delegation_for(state: &State, actor: &Actor, on: Date) -> Option<SignatureDelegation> {
    let member = actor.member.as_deref()?;
    delegations(state, actor.party.as_str()).into_iter().find(|d| d.delegate == member && d.covers(on))
}

/// The co-chair member of `actor`, or why not.
fn own_co_chair(state: &State, actor: &Actor) -> Result<String, DomainError> {
    let refused = || DomainError::NotCoChair {
        member: actor.member.clone().unwrap_or_else(|| "nobody".into()),
        party: actor.party.to_string(),
    };
    let id = actor.member.clone().ok_or_else(refused)?;
    match state.get::<Member>(RecordKind::Member, &id) {
        Some(m) if m.role == MemberRole::CoChair && m.party == actor.party => Ok(id),
        _ => Err(refused()),
    }
}

/// `Command::DelegateSignature`: only the co-chair themselves, to another member of their party,
/// for a period whose first day is not after its last.
pub(crate) fn delegate(
    state: &State,
    actor: &Actor,
    delegate: &str,
    from: Date,
    to: Date,
) -> Result<Vec<Emit>, DomainError> {
    let co_chair = own_co_chair(state, actor)?;
    let member = state.get::<Member>(RecordKind::Member, delegate);
    if member.is_none_or(|m| m.party != actor.party) || delegate == co_chair {
        return Err(DomainError::InvalidValue { field: "delegate".into(), value: delegate.into() });
    }
    if from > to {
        return Err(DomainError::InvalidValue { field: "to".into(), value: to.to_string() });
    }
    Ok(vec![Emit {
        kind: DELEGATED.into(),
        body: json!({"v": BODY_VERSION, "record": co_chair, "delegate": delegate, "from": from, "to": to}),
    }])
}

/// `Command::WithdrawSignatureDelegation`: the co-chair who made it withdraws it, once.
pub(crate) fn withdraw(state: &State, actor: &Actor, delegation: &str) -> Result<Vec<Emit>, DomainError> {
    let co_chair = own_co_chair(state, actor)?;
    let found = delegations(state, actor.party.as_str()).into_iter().find(|d| d.id == delegation);
    match found {
        Some(d) if d.co_chair == co_chair && !d.withdrawn => Ok(vec![Emit {
            kind: WITHDRAWN.into(),
            body: json!({"v": BODY_VERSION, "record": co_chair, "delegation": delegation}),
        }]),
        _ => Err(DomainError::UnknownRecord { kind: "delegation".into(), id: delegation.into() }),
    }
}

/// The change of a delegation (`verb` `signature_delegated`) or withdrawal event.
pub(crate) fn parse(verb: &str, record: String, obj: &Map<String, Value>) -> Result<Change, DomainError> {
    let malformed = |why: &str| DomainError::MalformedBody { kind: format!("member.{verb}"), reason: why.into() };
    let text = |k: &str| obj.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let value = match verb {
        "signature_delegated" => {
            let date = |k: &str| text(k).and_then(|s| s.parse::<Date>().ok());
            match (text("delegate"), date("from"), date("to")) {
                (Some(d), Some(from), Some(to)) => json!({"delegate": d, "from": from, "to": to}),
                _ => return Err(malformed("a delegation needs delegate, from and to (dates)")),
            }
        }
        _ => match text("delegation") {
            Some(d) => json!({"delegation": d}),
            None => return Err(malformed("a withdrawal names its delegation")),
        },
    };
    let set = if verb == "signature_delegated" { DELEGATIONS } else { WITHDRAWALS };
    Ok(Change::Add { kind: RecordKind::Member, record, set, value })
}
