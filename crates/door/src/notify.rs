//! Notifications as the web and the read models see them (issue 14): what one may say of its
//! record ([`subject`], the one rule), the trigger codes and settings, a user's preferences, the
//! stored notifications, and what awaits endorsements. Which are due, their storage and the
//! outbox are the node's (`lajna_node::notify`, which re-exports these at their old paths).

use std::collections::BTreeSet;

use jiff::civil::{Time, Weekday};
use lajna_domain::records::{Decision, Roadmap, Session};
use lajna_domain::{LocalizedText, RecordKind, State, adoption, minutes::minutes_status};
use serde::{Deserialize, Serialize};

use crate::auth::User;
use crate::record::may_see_entry;

/// The triggers, by code (also the keys of a user's preferences).
pub const TRIGGERS: [&str; 7] =
    ["due-soon", "overdue", "endorse", "minutes-late", "new-action", "peer-silent", "digest"];

/// How long an action counts as new for `new-action`, days (its creation time is the author's
/// clock, informational; a node started on an old log does not announce every action).
pub const NEW_ACTION_DAYS: i64 = 7;

/// The notification settings (`notify` of `config.toml`): the triggers', and the mailer's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Triggers {
    /// "Due in N days" windows, days (default 14 and 3).
    pub due_days: Vec<i64>,
    /// Days between two reminders of an overdue action (default 7).
    pub overdue_every_days: i64,
    /// Days after a session's last day before its minutes not agreed by both parties are
    /// reported to the secretaries (default 14).
    pub minutes_days: i64,
    /// Days without an exchange with the peer node before the secretaries are told (default 3).
    pub peer_silent_days: i64,
    /// Day of the weekly digest, in each user's zone (default Monday).
    pub digest_weekday: DigestDay,
    /// Time of the weekly digest, in each user's zone (default 08:00).
    pub digest_time: Time,
    /// SMTP server, `smtp://host:25` (STARTTLS when offered), `smtp://host:587?tls=required`
    /// (STARTTLS required) or `smtps://host:465` (TLS), with `user:password@` when it needs
    /// sign-in. Unset: no e-mail (in-app notifications only). The environment variable
    /// `LAJNA_SMTP_URL` overrides it; it is never logged or printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smtp_url: Option<String>,
    /// The From address of the e-mails.
    pub mail_from: String,
    /// This node's address as its users reach it, for the links in e-mails
    /// (`https://lajna.example.ma`).
    pub public_url: String,
    /// Seconds between two ticks of the scheduler inside `lajna serve` (default 60).
    pub tick_seconds: u64,
    /// Attempts at sending one e-mail before it is dead-lettered (default 8; retries back off
    /// 1, 2, 4 … minutes, at most 6 hours).
    pub max_attempts: i64,
}

/// A day of the week, lowercase English (`monday`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum DigestDay {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl DigestDay {
    /// The day as jiff names it.
    #[must_use]
    pub fn weekday(self) -> Weekday {
        match self {
            Self::Monday => Weekday::Monday,
            Self::Tuesday => Weekday::Tuesday,
            Self::Wednesday => Weekday::Wednesday,
            Self::Thursday => Weekday::Thursday,
            Self::Friday => Weekday::Friday,
            Self::Saturday => Weekday::Saturday,
            Self::Sunday => Weekday::Sunday,
        }
    }
}

impl Default for Triggers {
    fn default() -> Self {
        Self {
            due_days: vec![14, 3],
            overdue_every_days: 7,
            minutes_days: 14,
            peer_silent_days: 3,
            digest_weekday: DigestDay::Monday,
            digest_time: Time::constant(8, 0, 0, 0),
            smtp_url: None,
            mail_from: "lajna@localhost".into(),
            public_url: "http://127.0.0.1:8080".into(),
            tick_seconds: 60,
            max_attempts: 8,
        }
    }
}

/// A record awaiting endorsements: a decision or roadmap whose current version, or a session
/// whose draft minutes (not yet agreed), some parties have not endorsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Awaiting {
    /// Decision, roadmap or session (its minutes).
    pub kind: RecordKind,
    /// Record id.
    pub id: String,
    /// The version to endorse (the record's, or the draft minutes').
    pub version: String,
    /// The parties whose co-chairs have not endorsed it, by code.
    pub parties: Vec<String>,
}

/// What awaits endorsements in `state`, by kind then id: the one rule read by the `endorse`
/// trigger and by the "my work" page (`lajna_views::my_work`).
#[must_use]
pub fn awaiting_endorsement(state: &State) -> Vec<Awaiting> {
    let parties: Vec<String> =
        state.charter().map(|c| c.parties.iter().map(|p| p.code.as_str().to_string()).collect()).unwrap_or_default();
    let mut out = vec![];
    let records = state
        .all::<Decision>(RecordKind::Decision)
        .into_iter()
        .map(|(id, _)| (RecordKind::Decision, id))
        .chain(state.all::<Roadmap>(RecordKind::Roadmap).into_iter().map(|(id, _)| (RecordKind::Roadmap, id)));
    for (kind, id) in records {
        let Some(entry) = state.entry(&id) else { continue };
        let a = adoption(&entry.doc(&id), &parties);
        if !a.awaiting.is_empty() {
            out.push(Awaiting { kind, id, version: a.version, parties: a.awaiting });
        }
    }
    for (id, _) in state.all::<Session>(RecordKind::Session) {
        let Some(entry) = state.entry(&id) else { continue };
        let status = minutes_status(entry, &parties);
        if let Some(draft) = status.draft.filter(|d| !d.awaiting.is_empty() && status.agreed.is_none()) {
            out.push(Awaiting { kind: RecordKind::Session, id, version: draft.version, parties: draft.awaiting });
        }
    }
    out.sort_by(|a, b| (a.kind.code(), &a.id).cmp(&(b.kind.code(), &b.id)));
    out
}

/// What a notification may say about its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// No record (the digest, the peer).
    None,
    /// A record the recipient may read about: its kind, id and title.
    Record {
        /// Kind.
        kind: RecordKind,
        /// Id.
        id: String,
        /// Title (or text, for a decision), in every language it has.
        title: LocalizedText,
    },
    /// A marked record (RESTRICTED or above, another party's one-party record, or one the
    /// recipient may not see): only that it needs attention, and its link.
    Marked {
        /// Kind.
        kind: RecordKind,
        /// Id.
        id: String,
    },
    /// The record is gone from the state (never expected; shown as marked).
    Missing,
}

/// What `to` may be told of record `id` in `state` (the operator's whole state).
#[must_use]
pub fn subject(state: &State, id: &str, to: &User) -> Subject {
    if id.is_empty() {
        return Subject::None;
    }
    let Some(entry) = state.entry(id) else { return Subject::Missing };
    let marked = entry.marking().classification.is_protected()
        || entry.private_party().is_some_and(|p| p != to.party.as_str())
        || !may_see_entry(to, entry);
    if marked {
        return Subject::Marked { kind: entry.kind, id: id.into() };
    }
    let doc = entry.content();
    let title = ["title", "text", "name"]
        .iter()
        .find_map(|f| doc.get(*f).and_then(|v| serde_json::from_value::<LocalizedText>(v.clone()).ok()));
    match title {
        Some(title) => Subject::Record { kind: entry.kind, id: id.into(), title },
        None => Subject::Marked { kind: entry.kind, id: id.into() },
    }
}

/// Each trigger of [`TRIGGERS`] and whether it is on, given the ones turned `off`
/// (the profile page's checkboxes).
#[must_use]
pub fn triggers_on(off: &BTreeSet<String>) -> Vec<(&'static str, bool)> {
    TRIGGERS.iter().map(|t| (*t, !off.contains(*t))).collect()
}

/// The triggers turned off: those `kept` does not keep (a form sends a checkbox per trigger on).
pub fn triggers_off(kept: impl Fn(&str) -> bool) -> BTreeSet<String> {
    TRIGGERS.iter().filter(|t| !kept(t)).map(|t| (*t).to_string()).collect()
}

/// A user's notification settings, parsed.
#[derive(Clone, Debug)]
pub struct Contact {
    /// The user.
    pub user: User,
    /// Language.
    pub lang: lajna_domain::Lang,
    /// Zone name (tz database).
    pub tz: String,
    /// E-mail address, `""` when none.
    pub email: String,
    /// Triggers the user turned off.
    pub off: BTreeSet<String>,
}

/// The key of a notification: one per (trigger, record, version, recipient)
/// (`lajna_store::NotificationKey`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NotificationKey {
    /// Trigger code ([`TRIGGERS`]).
    pub trigger: String,
    /// Record id, `""` when the notification is about no one record.
    pub record: String,
    /// What makes it new (due date and window, record version, ISO week…).
    pub version: String,
    /// Recipient username.
    pub recipient: String,
}

/// A stored notification (`lajna_store::NotificationRow`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationRow {
    /// Number on this node.
    pub id: i64,
    /// Its key.
    pub key: NotificationKey,
    /// When it was made, RFC 3339 UTC.
    pub created_at: String,
    /// When its recipient marked it read, RFC 3339 UTC.
    pub read_at: Option<String>,
}
