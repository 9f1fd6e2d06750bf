//! Notifications and their e-mail outbox (issue 14, migration 0009): node-local rows, never
//! events. A notification's key (trigger, record, version, recipient) is unique, so computing
//! the same reminder twice — a second tick, a restart — stores it once; the outbox row of a
//! notification is sent until it is accepted or dead-lettered after a limit of attempts.
//! Times are RFC 3339 UTC to the second (`2026-03-23T07:00:00Z`), which sort as text.

use sqlx::Row;

use crate::{Store, StoreError};

/// A user's contact and notification settings (migration 0009).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRow {
    /// Login name.
    pub username: String,
    /// Party code (ISO 3166 alpha-3).
    pub party: String,
    /// Role code.
    pub role: String,
    /// Member record id, when the user is one.
    pub member: Option<String>,
    /// Clearance code.
    pub clearance: String,
    /// Whether the account is disabled (disabled users are not notified).
    pub disabled: bool,
    /// Language code: `ar`, `fr` or `en`.
    pub lang: String,
    /// Time zone, a tz-database name (`Africa/Casablanca`).
    pub tz: String,
    /// E-mail address, `""` when none (in-app notifications only).
    pub email: String,
    /// Preferences, a JSON object: trigger code → `false` turns that trigger off.
    pub prefs: String,
}

/// A notification to store: its key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NotificationKey {
    /// Trigger code (`due-soon`, `overdue`, `digest`, …).
    pub trigger: String,
    /// Record id, `""` when the notification is about no one record.
    pub record: String,
    /// What makes it new (due date and window, record version, ISO week…).
    pub version: String,
    /// Recipient username.
    pub recipient: String,
}

/// A stored notification.
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

/// An e-mail of the outbox, with its notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRow {
    /// The notification.
    pub notification: NotificationRow,
    /// Attempts made so far.
    pub attempts: i64,
    /// Earliest next attempt, RFC 3339 UTC.
    pub next_attempt: String,
    /// Error of the last attempt, `""` when none.
    pub last_error: String,
    /// When the server accepted it.
    pub sent_at: Option<String>,
    /// When it was given up (dead letter).
    pub dead_at: Option<String>,
}

/// Counts of the outbox, and its dead letters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboxStatus {
    /// Notifications stored.
    pub notifications: i64,
    /// E-mails waiting (not sent, not dead).
    pub waiting: i64,
    /// E-mails sent.
    pub sent: i64,
    /// Dead letters, oldest first.
    pub dead: Vec<OutboxRow>,
    /// E-mails waiting after at least one failed attempt (the server down, a temporary
    /// refusal), oldest first: what the operator watches while the mail server is away.
    pub retrying: Vec<OutboxRow>,
}

fn notification(r: &sqlx::sqlite::SqliteRow) -> NotificationRow {
    NotificationRow {
        id: r.get(0),
        key: NotificationKey { trigger: r.get(1), record: r.get(2), version: r.get(3), recipient: r.get(4) },
        created_at: r.get(5),
        read_at: r.get(6),
    }
}

fn outbox(r: &sqlx::sqlite::SqliteRow) -> OutboxRow {
    OutboxRow {
        notification: notification(r),
        attempts: r.get(7),
        next_attempt: r.get(8),
        last_error: r.get(9),
        sent_at: r.get(10),
        dead_at: r.get(11),
    }
}

/// The columns [`outbox`] reads, in its order, and their tables.
macro_rules! outbox_select {
    () => {
        "SELECT n.id, n.trigger, n.record, n.version, n.recipient, n.created_at, n.read_at, \
         o.attempts, o.next_attempt, o.last_error, o.sent_at, o.dead_at \
         FROM outbox o JOIN notifications n ON n.id = o.notification"
    };
}

impl Store {
    /// Every user's contact and notification settings, by name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn contacts(&self) -> Result<Vec<ContactRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT username, party, role, member, clearance, disabled, lang, tz, email, prefs FROM users ORDER BY username",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| ContactRow {
                username: r.get(0),
                party: r.get(1),
                role: r.get(2),
                member: r.get(3),
                clearance: r.get(4),
                disabled: r.get::<i64, _>(5) != 0,
                lang: r.get(6),
                tz: r.get(7),
                email: r.get(8),
                prefs: r.get(9),
            })
            .collect())
    }

    /// Sets a user's language, zone, e-mail and preferences (checked by the caller). Returns
    /// false when there is no such user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_contact(
        &self,
        username: &str,
        lang: &str,
        tz: &str,
        email: &str,
        prefs: &str,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query("UPDATE users SET lang = ?, tz = ?, email = ?, prefs = ? WHERE username = ?")
            .bind(lang)
            .bind(tz)
            .bind(email)
            .bind(prefs)
            .bind(username)
            .execute(&self.pool)
            .await?
            .rows_affected();
        self.local_changed();
        Ok(n == 1)
    }

    /// Stores the notifications of `keys` not stored before, at `now`, in one transaction; each
    /// new one whose recipient has an e-mail address gets an outbox row due at `now`. Returns
    /// the new notifications' ids.
    ///
    /// # Errors
    /// Database errors.
    pub async fn put_notifications(&self, keys: &[NotificationKey], now: &str) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut new = Vec::new();
        for k in keys {
            let id: Option<i64> = sqlx::query(
                "INSERT INTO notifications (trigger, record, version, recipient, created_at) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (trigger, record, version, recipient) DO NOTHING RETURNING id",
            )
            .bind(&k.trigger)
            .bind(&k.record)
            .bind(&k.version)
            .bind(&k.recipient)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.get(0));
            let Some(id) = id else { continue };
            sqlx::query(
                "INSERT INTO outbox (notification, next_attempt)
                 SELECT ?1, ?2 FROM users WHERE username = ?3 AND email <> ''",
            )
            .bind(id)
            .bind(now)
            .bind(&k.recipient)
            .execute(&mut *tx)
            .await?;
            new.push(id);
        }
        tx.commit().await?;
        self.local_changed();
        Ok(new)
    }

    /// One page of `recipient`'s notifications, newest first, and how many there are.
    ///
    /// # Errors
    /// Database errors.
    pub async fn notifications(
        &self,
        recipient: &str,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<NotificationRow>, i64), StoreError> {
        let rows = sqlx::query(
            "SELECT id, trigger, record, version, recipient, created_at, read_at FROM notifications
             WHERE recipient = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        )
        .bind(recipient)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query("SELECT count(*) FROM notifications WHERE recipient = ?")
            .bind(recipient)
            .fetch_one(&self.pool)
            .await?
            .get(0);
        Ok((rows.iter().map(notification).collect(), total))
    }

    /// How many of `recipient`'s notifications are unread.
    ///
    /// # Errors
    /// Database errors.
    pub async fn unread_count(&self, recipient: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT count(*) FROM notifications WHERE recipient = ? AND read_at IS NULL")
            .bind(recipient)
            .fetch_one(&self.pool)
            .await?
            .get(0))
    }

    /// Marks notification `id` of `recipient` read (all of them when `id` is `None`) at `at`.
    /// Returns how many changed.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mark_read(&self, recipient: &str, id: Option<i64>, at: &str) -> Result<u64, StoreError> {
        let n = sqlx::query(
            "UPDATE notifications SET read_at = ? WHERE recipient = ? AND read_at IS NULL AND (?3 IS NULL OR id = ?3)",
        )
        .bind(at)
        .bind(recipient)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        self.local_changed();
        Ok(n)
    }

    /// The outbox e-mails due at `now` (not sent, not dead, next attempt passed), oldest first,
    /// at most `limit`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn outbox_due(&self, now: &str, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(concat!(
            outbox_select!(),
            " WHERE o.sent_at IS NULL AND o.dead_at IS NULL AND o.next_attempt <= ? ORDER BY n.id LIMIT ?"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(outbox).collect())
    }

    /// Records that the e-mail of notification `id` was accepted by the server at `at`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn outbox_sent(&self, id: i64, at: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE notification = ?")
            .bind(at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed attempt of notification `id`'s e-mail: retried at `next_attempt`, or,
    /// when `dead_at` is given, given up (dead letter).
    ///
    /// # Errors
    /// Database errors.
    pub async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: &str,
        dead_at: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?, dead_at = ? WHERE notification = ?",
        )
        .bind(error)
        .bind(next_attempt)
        .bind(dead_at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Counts of notifications and e-mails, and the dead letters.
    ///
    /// # Errors
    /// Database errors.
    pub async fn outbox_status(&self) -> Result<OutboxStatus, StoreError> {
        let counts = sqlx::query(
            "SELECT (SELECT count(*) FROM notifications),
                    (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL),
                    (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL)",
        )
        .fetch_one(&self.pool)
        .await?;
        let dead = sqlx::query(concat!(outbox_select!(), " WHERE o.dead_at IS NOT NULL ORDER BY n.id"))
            .fetch_all(&self.pool)
            .await?;
        let retrying = sqlx::query(concat!(
            outbox_select!(),
            " WHERE o.sent_at IS NULL AND o.dead_at IS NULL AND o.attempts > 0 ORDER BY n.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(OutboxStatus {
            notifications: counts.get(0),
            waiting: counts.get(1),
            sent: counts.get(2),
            dead: dead.iter().map(outbox).collect(),
            retrying: retrying.iter().map(outbox).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UserRow;

    fn key(trigger: &str, record: &str, recipient: &str) -> NotificationKey {
        NotificationKey {
            trigger: trigger.into(),
            record: record.into(),
            version: "v1".into(),
            recipient: recipient.into(),
        }
    }

    #[tokio::test]
    async fn a_key_is_stored_once_mailed_when_an_address_exists_and_dead_lettered_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite")).await.unwrap();
        for name in ["amina", "oumar"] {
            let u = UserRow {
                username: name.into(),
                party: "MAR".into(),
                role: "secretary".into(),
                member: None,
                password_hash: "x".into(),
                disabled: false,
                clearance: "UNCLASSIFIED".into(),
                auth_epoch: 0,
            };
            store.put_user(&u).await.unwrap();
        }
        assert!(store.set_contact("amina", "ar", "Africa/Casablanca", "amina@example.org", "{}").await.unwrap());
        assert!(!store.set_contact("nobody", "ar", "UTC", "", "{}").await.unwrap());
        let t0 = "2026-03-23T07:00:00Z";
        let keys = [key("overdue", "a1", "amina"), key("overdue", "a1", "oumar")];
        assert_eq!(store.put_notifications(&keys, t0).await.unwrap().len(), 2);
        // The same keys again (a second tick, a restart): nothing new.
        assert!(store.put_notifications(&keys, "2026-03-23T07:01:00Z").await.unwrap().is_empty());
        assert_eq!(store.unread_count("amina").await.unwrap(), 1);
        // Only amina has an address: one e-mail.
        let due = store.outbox_due(t0, 10).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].notification.key.recipient, "amina");
        let id = due[0].notification.id;
        store.outbox_failed(id, "refused", "2026-03-23T07:05:00Z", None).await.unwrap();
        assert!(store.outbox_due("2026-03-23T07:04:59Z", 10).await.unwrap().is_empty());
        assert_eq!(store.outbox_due("2026-03-23T07:05:00Z", 10).await.unwrap()[0].attempts, 1);
        let retrying = store.outbox_status().await.unwrap().retrying;
        assert_eq!((retrying.len(), retrying[0].last_error.as_str()), (1, "refused"));
        store
            .outbox_failed(id, "550 no such user", "2026-03-23T07:05:00Z", Some("2026-03-23T07:05:00Z"))
            .await
            .unwrap();
        let status = store.outbox_status().await.unwrap();
        assert_eq!((status.notifications, status.waiting, status.sent, status.dead.len()), (2, 0, 0, 1));
        assert_eq!(status.dead[0].last_error, "550 no such user");
        assert!(status.retrying.is_empty());
        // Read flags: one, then all.
        let (page, total) = store.notifications("amina", 0, 10).await.unwrap();
        assert_eq!((page.len(), total), (1, 1));
        assert_eq!(store.mark_read("amina", Some(page[0].id), t0).await.unwrap(), 1);
        assert_eq!(store.mark_read("oumar", None, t0).await.unwrap(), 1);
        assert_eq!(store.unread_count("amina").await.unwrap() + store.unread_count("oumar").await.unwrap(), 0);
    }
}
