//! Reminders and notifications (issue 14): which are due ([`triggers`], pure), storing them
//! once per key (trigger, record, version, recipient) with an e-mail in the outbox for users
//! with an address, the in-app list and read flags, and the outbox the mailer works through.
//!
//! Sovereignty: a node notifies only users of the parties it writes for ([`Node::parties`]),
//! so the same reminder is never made by both nodes. Markings: what a notification may say of
//! its record is decided once, by [`subject`]: nothing of a RESTRICTED-or-above record, of
//! another party's one-party record or of a record the recipient may not see — only that a
//! marked record needs attention, and its link.

pub mod triggers;

use std::collections::BTreeSet;

use jiff::Timestamp;
use lajna_store::ContactRow;

use crate::auth::User;
use crate::{Node, NodeError, rfc3339};
pub use lajna_store::{NotificationKey, NotificationRow, OutboxRow, OutboxStatus};
pub use triggers::{Awaiting, Recipient, Triggers, awaiting_endorsement};

/// The Message-ID of the e-mail of notification `key` (RFC 5322 §3.6.4),
/// `<{32 hex digits}@{domain}>`: a BLAKE3 of the key, so one notification always carries the
/// same id. Should a crash fall between the server's acceptance and the outbox's record of it,
/// the e-mail sent again is recognisably the same message (clients and archives drop a
/// duplicate Message-ID), and a test can tell every e-mail's notification.
#[must_use]
pub fn message_id(key: &NotificationKey, domain: &str) -> String {
    let mut h = blake3::Hasher::new();
    for part in [&key.trigger, &key.record, &key.version, &key.recipient] {
        // Length-prefixed, so no two keys hash the same bytes.
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let hex = h.finalize().to_hex();
    format!("<{}@{domain}>", &hex[..32])
}

// What a notification may say and a user's settings live in `lajna_door` (re-exported here).
pub use lajna_door::notify::{Contact, Subject, subject, triggers_off, triggers_on};

fn contact(row: &ContactRow) -> Result<Contact, NodeError> {
    let user = crate::auth::user_of_row(&lajna_store::UserRow {
        username: row.username.clone(),
        party: row.party.clone(),
        role: row.role.clone(),
        member: row.member.clone(),
        password_hash: String::new(),
        disabled: row.disabled,
        clearance: row.clearance.clone(),
        auth_epoch: 0,
    })?;
    let prefs: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&row.prefs).unwrap_or_default();
    let off = prefs.into_iter().filter(|(_, v)| v == &serde_json::Value::Bool(false)).map(|(k, _)| k).collect();
    Ok(Contact { user, lang: lajna_domain::Lang::parse(&row.lang)?, tz: row.tz.clone(), email: row.email.clone(), off })
}

impl Node {
    /// The enabled users of this node's parties with their notification settings, by name.
    ///
    /// # Errors
    /// Store errors; a row with an unknown party, role, clearance or language.
    pub async fn contacts(&self) -> Result<Vec<Contact>, NodeError> {
        let parties = self.parties();
        let mut out = vec![];
        for row in self.store.contacts().await? {
            if !row.disabled && parties.contains(&row.party) {
                out.push(contact(&row)?);
            }
        }
        Ok(out)
    }

    /// The settings of one user (of any party), `None` for an unknown user.
    ///
    /// # Errors
    /// Store errors.
    pub async fn contact(&self, username: &str) -> Result<Option<Contact>, NodeError> {
        let rows = self.store.contacts().await?;
        rows.iter().find(|r| r.username == username).map(contact).transpose()
    }

    /// Sets a user's language, zone (a tz-database name, checked against the bundled
    /// database), e-mail address (`""`: none; must contain one `@` and no spaces or line
    /// breaks) and the triggers turned off. Returns false for an unknown user.
    ///
    /// # Errors
    /// [`NodeError::Domain`] for an unknown zone or language, or a malformed address.
    pub async fn set_contact(
        &self,
        username: &str,
        lang: lajna_domain::Lang,
        tz: &str,
        email: &str,
        off: &BTreeSet<String>,
    ) -> Result<bool, NodeError> {
        lajna_domain::values::check_zone(tz)?;
        let bad = email.chars().any(|c| c.is_whitespace() || c.is_control()) || email.matches('@').count() != 1;
        if !email.is_empty() && bad {
            return Err(lajna_domain::DomainError::InvalidValue { field: "email".into(), value: email.into() }.into());
        }
        let prefs: serde_json::Map<String, serde_json::Value> =
            off.iter().map(|t| (t.clone(), serde_json::Value::Bool(false))).collect();
        Ok(self
            .store
            .set_contact(username, lang.code(), tz, email, &serde_json::Value::Object(prefs).to_string())
            .await?)
    }

    /// The notifications due at `now` for this node's users (not stored): what a tick would
    /// make, already made ones included.
    ///
    /// # Errors
    /// Store errors.
    pub async fn notifications_due(&self, now: Timestamp) -> Result<Vec<NotificationKey>, NodeError> {
        let contacts = self.contacts().await?;
        let users: Vec<Recipient> = contacts
            .iter()
            .map(|c| Recipient {
                username: c.user.username.clone(),
                party: c.user.party.clone(),
                role: c.user.role,
                member: c.user.member.clone(),
                tz: lajna_domain::tzdb().get(&c.tz).unwrap_or(jiff::tz::TimeZone::UTC),
                off: c.off.clone(),
            })
            .collect();
        let peer_last = self.peer_last_exchange().await?;
        let state = self.read_all().await;
        Ok(triggers::due(&state, &users, now, peer_last, &self.config.notify))
    }

    /// The newest exchange with another party's node, when there was one.
    async fn peer_last_exchange(&self) -> Result<Option<Timestamp>, NodeError> {
        let status = self.sync_status().await?;
        Ok(status.peers.iter().filter_map(|(p, _)| p.last_sync_at.as_deref()?.parse::<Timestamp>().ok()).max())
    }

    /// One tick of the scheduler: stores the notifications due at `now` not stored before
    /// (with their e-mails in the outbox). Returns the new ones' ids.
    ///
    /// # Errors
    /// Store errors.
    pub async fn notify_tick(&self, now: Timestamp) -> Result<Vec<i64>, NodeError> {
        let due = self.notifications_due(now).await?;
        Ok(self.store.put_notifications(&due, &rfc3339(now)).await?)
    }

    /// One page of `user`'s notifications, newest first, and how many there are.
    ///
    /// # Errors
    /// Store errors.
    pub async fn notifications(
        &self,
        user: &User,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<NotificationRow>, i64), NodeError> {
        Ok(self.store.notifications(&user.username, offset, limit).await?)
    }

    /// How many of `user`'s notifications are unread (the header's count).
    ///
    /// # Errors
    /// Store errors.
    pub async fn unread_notifications(&self, user: &User) -> Result<i64, NodeError> {
        Ok(self.store.unread_count(&user.username).await?)
    }

    /// Marks `user`'s notification `id` read, or all of them when `id` is `None`. Returns how
    /// many changed.
    ///
    /// # Errors
    /// Store errors.
    pub async fn mark_notifications_read(&self, user: &User, id: Option<i64>) -> Result<u64, NodeError> {
        Ok(self.store.mark_read(&user.username, id, &crate::now_rfc3339()).await?)
    }

    /// The e-mails due at `now`, oldest first, at most `limit`.
    ///
    /// # Errors
    /// Store errors.
    pub async fn outbox_due(&self, now: Timestamp, limit: i64) -> Result<Vec<OutboxRow>, NodeError> {
        Ok(self.store.outbox_due(&rfc3339(now), limit).await?)
    }

    /// Records that notification `id`'s e-mail was accepted at `at`.
    ///
    /// # Errors
    /// Store errors.
    pub async fn outbox_sent(&self, id: i64, at: Timestamp) -> Result<(), NodeError> {
        Ok(self.store.outbox_sent(id, &rfc3339(at)).await?)
    }

    /// Records a failed attempt at `now`: retried at `next`, or dead-lettered at `now` when
    /// `dead` is true.
    /// The error text is kept for `lajna notify status` (never credentials: the mailer's
    /// errors name the server's reply only).
    ///
    /// # Errors
    /// Store errors.
    pub async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        now: Timestamp,
        next: Timestamp,
        dead: bool,
    ) -> Result<(), NodeError> {
        let (now, next) = (rfc3339(now), rfc3339(next));
        Ok(self.store.outbox_failed(id, error, &next, dead.then_some(now.as_str())).await?)
    }

    /// Counts of notifications and e-mails, and the dead letters.
    ///
    /// # Errors
    /// Store errors.
    pub async fn outbox_status(&self) -> Result<OutboxStatus, NodeError> {
        Ok(self.store.outbox_status().await?)
    }
}

#[cfg(test)]
mod tests;
