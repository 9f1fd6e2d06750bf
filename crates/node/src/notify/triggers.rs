//! Which notifications are due (issue 14 item 4), as a pure function: the state, this node's
//! users with their zones and preferences, a fixed `now` and the settings in, the keys out. No
//! IO and no clock: the scheduler passes `now`, the tests a fixed instant.
//!
//! Days and hours are counted in each recipient's zone, with the tz database bundled in the
//! binary ([`lajna_domain::tzdb`]), so "due in 3 days" and "Monday 08:00" follow Casablanca's
//! Ramadan shifts. Each trigger's `version` names what makes it new, so the key (trigger,
//! record, version, recipient) is computed again at every tick and stored once:
//!
//! | trigger | to | when (recipient's zone) | version |
//! |---|---|---|---|
//! | `due-soon` | the lead's user, else the owner party's secretaries | the due date is N days away or less, for each N of `due_days` (default 14 and 3), the tightest window reached | `{due}/{N}` |
//! | `overdue` | same | the due date has passed and the action is not done or cancelled; again each `overdue_every_days` (7) | `{due}/{k}`, k = whole periods past due |
//! | `endorse` | own party's co-chairs | a decision, roadmap or the draft minutes of a session await their party's endorsement | the record's (or draft's) version |
//! | `minutes-late` | own party's secretaries | `minutes_days` (14) after a session's last day, its minutes are not agreed by both parties | the session's last day |
//! | `new-action` | the lead's user, else the owner party's secretaries, never the member who created it | an action created within the last 7 days | `new` |
//! | `peer-silent` | own party's secretaries | no exchange with the peer for `peer_silent_days` (3) | the last exchange's time |
//! | `digest` | every user | on `digest_weekday` (Monday) from `digest_time` (08:00) | the ISO week, `2026-W12` |

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use lajna_domain::records::{Action, Session};
use lajna_domain::{PartyCode, RecordKind, State, minutes::minutes_status};
use lajna_store::NotificationKey;

use crate::auth::Role;

// The settings, the trigger codes and the endorsement rule live in `lajna_door` (the profile
// page and "my work" read them), re-exported here.
pub use lajna_door::notify::{Awaiting, DigestDay, NEW_ACTION_DAYS, TRIGGERS, Triggers, awaiting_endorsement};

/// A user of this node as the triggers see it.
#[derive(Clone, Debug)]
pub struct Recipient {
    /// Login name.
    pub username: String,
    /// Party (a node notifies only its own party's users: the caller passes only those).
    pub party: PartyCode,
    /// Role.
    pub role: Role,
    /// Member record id, when the user is a member.
    pub member: Option<String>,
    /// Zone, from the bundled tz database.
    pub tz: TimeZone,
    /// Triggers turned off by the user.
    pub off: BTreeSet<String>,
}

fn key(trigger: &str, record: &str, version: String, to: &Recipient) -> NotificationKey {
    NotificationKey { trigger: trigger.into(), record: record.into(), version, recipient: to.username.clone() }
}

/// The users an action's reminders go to: the user linked to its lead member, else the owner
/// party's secretaries.
fn action_people<'a>(action: &Action, users: &'a [Recipient]) -> Vec<&'a Recipient> {
    let own = || users.iter().filter(|u| u.party == action.owner);
    let leads: Vec<_> = own().filter(|u| u.member.is_some() && u.member == action.lead).collect();
    if leads.is_empty() { own().filter(|u| u.role == Role::Secretary).collect() } else { leads }
}

/// The notifications due at `now`: one key per (trigger, record, version, recipient), sorted,
/// for the given users (each node passes its own party's enabled users). `peer_last` is the
/// last exchange with the peer node (`None`: none yet, nothing said).
#[must_use]
pub fn due(
    state: &State,
    users: &[Recipient],
    now: Timestamp,
    peer_last: Option<Timestamp>,
    settings: &Triggers,
) -> Vec<NotificationKey> {
    let mut out = BTreeSet::new();
    let today = |u: &Recipient| now.to_zoned_datetime(u.tz.clone()).date();
    let parties: Vec<String> =
        state.charter().map(|c| c.parties.iter().map(|p| p.code.as_str().to_string()).collect()).unwrap_or_default();
    let mut windows = settings.due_days.clone();
    windows.sort_unstable();
    let every = settings.overdue_every_days.max(1);

    for (id, action) in state.all::<Action>(RecordKind::Action) {
        if action.status.is_closed() {
            continue;
        }
        let creation = state.entry(&id).and_then(|e| e.created.as_ref()).map(|(_, m)| m);
        let created = creation.and_then(|m| m.at.parse::<Timestamp>().ok());
        // Nobody is told of the action they created themselves.
        let author = creation.and_then(|m| m.member.as_deref());
        for u in action_people(&action, users) {
            let left = days_between(today(u), action.due);
            if left < 0 {
                let k = (-left - 1) / every;
                out.insert(key("overdue", &id, format!("{}/{k}", action.due), u));
            } else if let Some(w) = windows.iter().find(|w| left <= **w) {
                out.insert(key("due-soon", &id, format!("{}/{w}", action.due), u));
            }
            let own = author.is_some() && u.member.as_deref() == author;
            if !own && created.is_some_and(|c| c <= now && now.duration_since(c).as_secs() < NEW_ACTION_DAYS * 86_400) {
                out.insert(key("new-action", &id, "new".into(), u));
            }
        }
    }

    let co_chairs = |party: &str| -> Vec<&Recipient> {
        users.iter().filter(|u| u.role == Role::CoChair && u.party.as_str() == party).collect()
    };
    let secretaries = || users.iter().filter(|u| u.role == Role::Secretary);
    for a in awaiting_endorsement(state) {
        for party in &a.parties {
            for u in co_chairs(party) {
                out.insert(key("endorse", &a.id, a.version.clone(), u));
            }
        }
    }
    for (id, session) in state.all::<Session>(RecordKind::Session) {
        let Some(entry) = state.entry(&id) else { continue };
        let status = minutes_status(entry, &parties);
        if !status.locked() {
            for u in secretaries() {
                if days_between(session.end, today(u)) >= settings.minutes_days {
                    out.insert(key("minutes-late", &id, session.end.to_string(), u));
                }
            }
        }
    }

    if let Some(last) = peer_last
        && now.duration_since(last).as_secs() >= settings.peer_silent_days * 86_400
    {
        for u in secretaries() {
            out.insert(key("peer-silent", "", crate::rfc3339(last), u));
        }
    }

    for u in users {
        let local = now.to_zoned_datetime(u.tz.clone());
        if local.weekday() == settings.digest_weekday.weekday() && local.time() >= settings.digest_time {
            let week = local.date().iso_week_date();
            out.insert(key("digest", "", format!("{}-W{:02}", week.year(), week.week()), u));
        }
    }
    out.retain(|k| users.iter().any(|u| u.username == k.recipient && !u.off.contains(&k.trigger)));
    out.into_iter().collect()
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: Date, to: Date) -> i64 {
    i64::from(to.since(from).map(|s| s.get_days()).unwrap_or(0))
}
