//! The record page's facts as the web sees them: which log an event is in, the node's last full
//! verification and how one event stands with it, the events a user may see, and the one rule
//! of whether a user may see a record. Keeping and rerunning the verification is the node's
//! (`lajna_node::record`, which re-exports these at their old paths).

use std::collections::HashSet;

use lajna_domain::State;
use lajna_domain::state::Entry;

use crate::auth::User;
use crate::documents::may_see;

/// Which log an event is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    /// The shared log both parties hold.
    Shared,
    /// This node's party-private log (invariant 9).
    Private,
}

/// The result of one full verification of the log, as kept by the node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// When it ran (RFC 3339 UTC, start of the run).
    pub at: String,
    /// Events checked (both logs).
    pub events: usize,
    /// Shared events stored when it started: those with `seq <= shared_seq` were covered by it
    /// (later ones, if any, were verified on receipt, or by this run too).
    pub shared_seq: i64,
    /// The same for the private log.
    pub private_seq: i64,
    /// The first bad event (or unreadable record) and why: (event id, reason).
    pub problem: Option<(String, String)>,
    /// Where the bad event is: its log and sequence number.
    pub bad: Option<(LogKind, i64)>,
    /// State hash of the stored projections, at the time.
    pub stored_hash: String,
    /// State hash of a fresh fold of the log, at the time.
    pub rebuilt_hash: String,
}

impl Verification {
    /// Every event verified and the projections matched a fresh fold.
    #[must_use]
    pub fn ok(&self) -> bool {
        self.problem.is_none() && self.rebuilt_hash == self.stored_hash
    }

    /// How the event `seq` of `log` stands with respect to this verification.
    #[must_use]
    pub fn check_of(&self, log: LogKind, seq: i64) -> EventCheck {
        match self.bad {
            Some((bad_log, bad)) if bad_log == log => match seq.cmp(&bad) {
                std::cmp::Ordering::Less => EventCheck::Verified,
                std::cmp::Ordering::Equal => EventCheck::Failed,
                std::cmp::Ordering::Greater => EventCheck::NotChecked,
            },
            // The shared log is checked first: a bad shared event stops the run before the
            // private log.
            Some((LogKind::Shared, _)) => EventCheck::NotChecked,
            _ => {
                let covered = match log {
                    LogKind::Shared => self.shared_seq,
                    LogKind::Private => self.private_seq,
                };
                if seq <= covered { EventCheck::Verified } else { EventCheck::OnReceipt }
            }
        }
    }
}

/// The verification state of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventCheck {
    /// Checked by the last full verification.
    Verified,
    /// Stored after the last full verification started: checked on the way in (append or
    /// receipt), not yet by a full run.
    OnReceipt,
    /// The first bad event of the last full verification.
    Failed,
    /// After the bad event: the last full verification stopped before it.
    NotChecked,
}

/// Whether `user` may see the record `entry`: its marking allows them, and a private record
/// belongs to their party.
#[must_use]
pub fn may_see_entry(user: &User, entry: &Entry) -> bool {
    entry.private_party().is_none_or(|p| p == user.party.as_str()) && may_see(user, &entry.marking())
}

/// The ids of the records of `state` that `user` may not see.
#[must_use]
pub fn hidden_records(user: &User, state: &State) -> HashSet<String> {
    state.entries().filter(|(_, e)| !may_see_entry(user, e)).map(|(id, _)| id.clone()).collect()
}

/// The sequence numbers, ascending, of the events of each log a user may see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisibleEvents {
    /// Shared log.
    pub shared: Vec<i64>,
    /// Private log.
    pub private: Vec<i64>,
}
