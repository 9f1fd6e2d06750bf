//! Node-local tables: users, sessions, sign-in failures and the audit trail. Plain rows, not
//! events: credentials never enter the shared record (DESIGN.md §6).
//!
//! Sessions end when they should (issue 16, case C16): every change of a user's password, role,
//! clearance or disabled flag — [`Store::put_user`] over an existing user,
//! [`Store::set_user_password`], [`Store::set_user_role`], [`Store::set_user_clearance`],
//! [`Store::set_user_disabled`], [`Store::reset_second_factor`] — adds one to the user's `auth_epoch` and deletes its other
//! sessions in the same transaction (migration 0007). A session holds the epoch its sign-in
//! checked and [`Store::session`] finds it only while that epoch is the user's and the user is
//! not disabled, so neither a session row left behind nor a sign-in that raced the change lives on.

use sqlx::Row;

use crate::{Store, StoreError};

/// A user account of this node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    /// Login name.
    pub username: String,
    /// Party code.
    pub party: String,
    /// Role code.
    pub role: String,
    /// Member record id, if any.
    pub member: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Whether sign-in is refused.
    pub disabled: bool,
    /// Clearance code: `UNCLASSIFIED`, `RESTRICTED`, `CONFIDENTIAL` or `SECRET` (migration 0006).
    pub clearance: String,
    /// How many times the user's credentials or authority changed (migration 0007). Kept by the
    /// store: [`Store::put_user`] ignores the value given.
    pub auth_epoch: i64,
}

/// A session: who, its CSRF token, and when it expires (RFC 3339 UTC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    /// User.
    pub username: String,
    /// CSRF token of the session.
    pub csrf: String,
    /// Expiry, RFC 3339 UTC.
    pub expires_at: String,
    /// The user's [`UserRow::auth_epoch`] when the sign-in checked its password: the session is
    /// valid only while it is still the user's.
    pub auth_epoch: i64,
    /// The user's time zone (tz database name, migration 0009), read with the session so that
    /// pages show times in it without another query; ignored when a session is stored.
    pub tz: String,
}

/// An audit-trail line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who.
    pub username: String,
    /// What (`sign-in`, `sign-in-refused`, …).
    pub action: String,
    /// Details.
    pub detail: String,
    /// From where.
    pub address: String,
    /// Party whose co-chair and secretary may read the line ('' when unknown, e.g. a refused
    /// sign-in of an unknown user).
    pub party: String,
    /// The record viewed, downloaded or exported ('' when none).
    pub record: String,
}

fn user(row: &sqlx::sqlite::SqliteRow) -> UserRow {
    UserRow {
        username: row.get(0),
        party: row.get(1),
        role: row.get(2),
        member: row.get(3),
        password_hash: row.get(4),
        disabled: row.get::<i64, _>(5) != 0,
        clearance: row.get(6),
        auth_epoch: row.get(7),
    }
}

/// The columns [`user`] reads, in its order.
macro_rules! user_columns {
    () => {
        "username, party, role, member, password_hash, disabled, clearance, auth_epoch"
    };
}

/// One change of a user's credentials or authority.
#[derive(Clone, Copy)]
enum Change<'a> {
    Password(&'a str),
    Role(&'a str),
    Clearance(&'a str),
    Disabled(bool),
    /// The second factor forgotten: TOTP secret, recovery codes and half-done sign-ins.
    SecondFactor,
}

fn audit_row(r: &sqlx::sqlite::SqliteRow) -> AuditRow {
    AuditRow {
        at: r.get(0),
        username: r.get(1),
        action: r.get(2),
        detail: r.get(3),
        address: r.get(4),
        party: r.get(5),
        record: r.get(6),
    }
}

/// The insertion of user `u` (every column but the session epoch, created now), followed by
/// `conflict` (what to do when the name exists): one statement for `put_user` and `create_user`.
fn user_insert<'q>(
    conflict: &'static str,
    u: &'q UserRow,
) -> sqlx::query::Query<'q, sqlx::Sqlite, <sqlx::Sqlite as sqlx::Database>::Arguments> {
    let sql = format!(
        "INSERT INTO users (username, party, role, member, password_hash, disabled, created_at, clearance)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) {conflict}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&u.username)
        .bind(&u.party)
        .bind(&u.role)
        .bind(&u.member)
        .bind(&u.password_hash)
        .bind(i64::from(u.disabled))
        .bind(crate::now())
        .bind(&u.clearance)
}

impl Store {
    /// Creates a user, or replaces its party, role, member, password, disabled flag and
    /// clearance when it exists — which ends all its sessions, in the same transaction.
    ///
    /// # Errors
    /// Database errors.
    pub async fn put_user(&self, u: &UserRow) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        user_insert(
            "ON CONFLICT(username) DO UPDATE SET party = excluded.party, role = excluded.role, member = excluded.member,
             password_hash = excluded.password_hash, disabled = excluded.disabled, clearance = excluded.clearance,
             auth_epoch = users.auth_epoch + 1",
            u,
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM sessions WHERE username = ?1 AND auth_epoch <> (SELECT auth_epoch FROM users WHERE username = ?1)",
        )
        .bind(&u.username)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.local_changed();
        Ok(())
    }

    /// One user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn user(&self, username: &str) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE username = ?"))
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(user))
    }

    /// Every user, by name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let rows = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users ORDER BY username"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(user).collect())
    }

    /// Deletes a user and its sessions (used when a node is split; the audit trail keeps its lines).
    ///
    /// # Errors
    /// Database errors.
    pub async fn delete_user(&self, username: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE username = ?").bind(username).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM users WHERE username = ?").bind(username).execute(&mut *tx).await?;
        tx.commit().await?;
        self.local_changed();
        Ok(())
    }

    /// Applies `change` to `username` and ends its sessions but the one whose token hash is
    /// `keep` (when it is this user's), all in one transaction: the user's `auth_epoch` goes up
    /// by one, the kept session takes the new epoch, every other session row is deleted. Returns
    /// the user as it was before the change (with its new epoch), or `None` when there is no
    /// such user (nothing changed).
    async fn change_user(
        &self,
        username: &str,
        change: Change<'_>,
        keep: Option<&str>,
    ) -> Result<Option<UserRow>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // A write first, so that the transaction holds the write lock from its first statement
        // (a read first would have to upgrade, which SQLite may refuse under WAL).
        let n = sqlx::query("UPDATE users SET auth_epoch = auth_epoch + 1 WHERE username = ?")
            .bind(username)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            tx.rollback().await?;
            return Ok(None);
        }
        let before = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE username = ?"))
            .bind(username)
            .fetch_one(&mut *tx)
            .await?;
        let before = user(&before);
        let set = match change {
            Change::SecondFactor => {
                sqlx::query("DELETE FROM recovery_codes WHERE username = ?").bind(username).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM sign_in_steps WHERE username = ?").bind(username).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM totp WHERE username = ?")
            }
            Change::Password(hash) => sqlx::query("UPDATE users SET password_hash = ? WHERE username = ?").bind(hash),
            Change::Role(role) => sqlx::query("UPDATE users SET role = ? WHERE username = ?").bind(role),
            Change::Clearance(c) => sqlx::query("UPDATE users SET clearance = ? WHERE username = ?").bind(c),
            Change::Disabled(d) => sqlx::query("UPDATE users SET disabled = ? WHERE username = ?").bind(i64::from(d)),
        };
        set.bind(username).execute(&mut *tx).await?;
        if let Some(keep) = keep.filter(|_| !matches!(change, Change::Disabled(true))) {
            sqlx::query("UPDATE sessions SET auth_epoch = ? WHERE token_hash = ? AND username = ?")
                .bind(before.auth_epoch)
                .bind(keep)
                .bind(username)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM sessions WHERE username = ? AND auth_epoch <> ?")
            .bind(username)
            .bind(before.auth_epoch)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.local_changed();
        Ok(Some(before))
    }

    /// Sets a user's password hash and ends its sessions but the one whose token hash is `keep`
    /// (the session the user changed its own password from), in one transaction. Returns the
    /// user as it was, or `None` when there is no such user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_user_password(
        &self,
        username: &str,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<Option<UserRow>, StoreError> {
        self.change_user(username, Change::Password(password_hash), keep).await
    }

    /// Sets a user's role and ends all its sessions, in one transaction. Returns the user as it
    /// was, or `None` when there is no such user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_user_role(&self, username: &str, role: &str) -> Result<Option<UserRow>, StoreError> {
        self.change_user(username, Change::Role(role), None).await
    }

    /// Sets a user's clearance and ends all its sessions, in one transaction. Returns the user as
    /// it was, or `None` when there is no such user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_user_clearance(&self, username: &str, clearance: &str) -> Result<Option<UserRow>, StoreError> {
        self.change_user(username, Change::Clearance(clearance), None).await
    }

    /// Disables or enables a user and ends all its sessions, in one transaction. Returns false
    /// when there is no such user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_user_disabled(&self, username: &str, disabled: bool) -> Result<bool, StoreError> {
        Ok(self.change_user(username, Change::Disabled(disabled), None).await?.is_some())
    }

    /// Forgets a user's second factor (its TOTP secret, recovery codes and half-done sign-ins)
    /// and ends all its sessions, in one transaction: an administrator's reset of a lost
    /// authenticator (issue 16). Returns the user as it was (with its new epoch), or `None` when
    /// there is no such user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn reset_second_factor(&self, username: &str) -> Result<Option<UserRow>, StoreError> {
        self.change_user(username, Change::SecondFactor, None).await
    }

    /// Stores a session under the hash of its token, if its user still exists, is not disabled
    /// and still has the `auth_epoch` of the session (else the credentials the sign-in checked
    /// have changed meanwhile). Returns whether the session was stored.
    ///
    /// # Errors
    /// Database errors.
    pub async fn put_session(&self, token_hash: &str, s: &SessionRow) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO sessions (token_hash, username, csrf, created_at, expires_at, auth_epoch)
             SELECT ?, username, ?, ?, ?, auth_epoch FROM users WHERE username = ? AND disabled = 0 AND auth_epoch = ?",
        )
        .bind(token_hash)
        .bind(&s.csrf)
        .bind(crate::now())
        .bind(&s.expires_at)
        .bind(&s.username)
        .bind(s.auth_epoch)
        .execute(&self.pool)
        .await?
        .rows_affected();
        self.local_changed();
        Ok(n == 1)
    }

    /// The session with this token hash, if it has not expired at `now` (RFC 3339 UTC), its
    /// user is not disabled and its `auth_epoch` is still the user's.
    ///
    /// # Errors
    /// Database errors.
    pub async fn session(&self, token_hash: &str, now: &str) -> Result<Option<SessionRow>, StoreError> {
        let row = sqlx::query(
            "SELECT s.username, s.csrf, s.expires_at, s.auth_epoch, u.tz FROM sessions s JOIN users u ON u.username = s.username
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0 AND u.auth_epoch = s.auth_epoch",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| SessionRow {
            username: r.get(0),
            csrf: r.get(1),
            expires_at: r.get(2),
            auth_epoch: r.get(3),
            tz: r.get(4),
        }))
    }

    /// A live session with its user row and the user's unread notifications, in one statement
    /// (a page's whole session lookup, issue 11: one round trip to SQLite's worker instead of
    /// three). `None` as [`Store::session`]; a disabled user's session is not returned.
    ///
    /// # Errors
    /// Database errors.
    pub async fn session_user(
        &self,
        token_hash: &str,
        now: &str,
    ) -> Result<Option<(SessionRow, UserRow, i64)>, StoreError> {
        let row = sqlx::query(
            "SELECT u.username, u.party, u.role, u.member, u.password_hash, u.disabled, u.clearance, u.auth_epoch,
                    s.csrf, s.expires_at, s.auth_epoch, u.tz,
                    (SELECT count(*) FROM notifications n WHERE n.recipient = u.username AND n.read_at IS NULL)
             FROM sessions s JOIN users u ON u.username = s.username
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0 AND u.auth_epoch = s.auth_epoch",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| {
            let session = SessionRow {
                username: r.get(0),
                csrf: r.get(8),
                expires_at: r.get(9),
                auth_epoch: r.get(10),
                tz: r.get(11),
            };
            (session, user(&r), r.get(12))
        }))
    }

    /// Ends a session.
    ///
    /// # Errors
    /// Database errors.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash).execute(&self.pool).await?;
        self.local_changed();
        Ok(())
    }

    /// Creates a user that does not exist yet (an administrator's addition, issue 16): false,
    /// and nothing written, when the name is taken.
    ///
    /// # Errors
    /// Database errors.
    pub async fn create_user(&self, u: &UserRow) -> Result<bool, StoreError> {
        let n = user_insert("ON CONFLICT(username) DO NOTHING", u).execute(&self.pool).await?.rows_affected();
        self.local_changed();
        Ok(n == 1)
    }

    /// Stores a one-time link (migration 0010) under the hash of its token: `purpose` is
    /// `activate` or `reset`; the user's earlier unused links of any purpose stop working.
    ///
    /// # Errors
    /// Database errors.
    pub async fn put_user_link(
        &self,
        token_hash: &str,
        username: &str,
        purpose: &str,
        created_by: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE user_links SET used_at = ? WHERE username = ? AND used_at IS NULL")
            .bind(now)
            .bind(username)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO user_links (token_hash, username, purpose, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(username)
        .bind(purpose)
        .bind(created_by)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.local_changed();
        Ok(())
    }

    /// The user and purpose of an unused link that has not expired at `now`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn user_link(&self, token_hash: &str, now: &str) -> Result<Option<(String, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT username, purpose FROM user_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    /// Uses a link: if it is unused and has not expired at `now`, marks it used, sets its
    /// user's password hash and ends all its sessions (`auth_epoch`), in one transaction (a
    /// disabled user stays disabled). Returns the user as it was, or `None` (nothing written) for a used,
    /// expired or unknown link.
    ///
    /// # Errors
    /// Database errors.
    pub async fn use_user_link(
        &self,
        token_hash: &str,
        now: &str,
        password_hash: &str,
    ) -> Result<Option<UserRow>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let used = sqlx::query(
            "UPDATE user_links SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1 RETURNING username",
        )
        .bind(now)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(username) = used.map(|r| r.get::<String, _>(0)) else {
            tx.rollback().await?;
            return Ok(None);
        };
        let before = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE username = ?"))
            .bind(&username)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET password_hash = ?, auth_epoch = auth_epoch + 1 WHERE username = ?")
            .bind(password_hash)
            .bind(&username)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE username = ?").bind(&username).execute(&mut *tx).await?;
        tx.commit().await?;
        self.local_changed();
        Ok(Some(user(&before)))
    }

    /// The live sessions of `username` at `now` (those [`Store::session`] would find): token
    /// hash, created and expiry instants, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn user_sessions(&self, username: &str, now: &str) -> Result<Vec<(String, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.token_hash, s.created_at, s.expires_at FROM sessions s JOIN users u ON u.username = s.username
             WHERE s.username = ? AND s.expires_at > ? AND u.disabled = 0 AND u.auth_epoch = s.auth_epoch
             ORDER BY s.created_at, s.token_hash",
        )
        .bind(username)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    /// Ends sessions of `username`: the one whose token hash is `token_hash`, or all of them
    /// when `None`. Returns how many ended.
    ///
    /// # Errors
    /// Database errors.
    pub async fn end_user_sessions(&self, username: &str, token_hash: Option<&str>) -> Result<u64, StoreError> {
        let q = match token_hash {
            Some(h) => sqlx::query("DELETE FROM sessions WHERE username = ? AND token_hash = ?").bind(username).bind(h),
            None => sqlx::query("DELETE FROM sessions WHERE username = ?").bind(username),
        };
        let n = q.execute(&self.pool).await?.rows_affected();
        self.local_changed();
        Ok(n)
    }

    /// Records a failed sign-in for each key (`user:NAME`, `addr:IP`).
    ///
    /// # Errors
    /// Database errors.
    pub async fn record_login_failure(&self, keys: &[String], at: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for k in keys {
            sqlx::query("INSERT INTO login_failures (key, at) VALUES (?, ?)")
                .bind(k)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.local_changed();
        Ok(())
    }

    /// Failed sign-ins of `key` at or after `since` (RFC 3339 UTC), and the earliest of them.
    ///
    /// # Errors
    /// Database errors.
    pub async fn login_failures(&self, key: &str, since: &str) -> Result<(i64, Option<String>), StoreError> {
        let row = sqlx::query("SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = ? AND at >= ?")
            .bind(key)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok((row.get(0), row.get(1)))
    }

    /// Forgets the failures of `key` (after a successful sign-in).
    ///
    /// # Errors
    /// Database errors.
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key = ?").bind(key).execute(&self.pool).await?;
        Ok(())
    }

    /// Appends a line to the audit trail. The table is append-only: triggers (migration 0006)
    /// refuse UPDATE and DELETE.
    ///
    /// # Errors
    /// Database errors.
    pub async fn audit(&self, line: &AuditRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit (at, username, action, detail, address, party, record) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&line.at)
        .bind(&line.username)
        .bind(&line.action)
        .bind(&line.detail)
        .bind(&line.address)
        .bind(&line.party)
        .bind(&line.record)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest audit lines, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn audit_trail(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, username, action, detail, address, party, record FROM audit ORDER BY seq DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(audit_row).collect())
    }

    /// One page of `party`'s audit lines, newest first (`offset` lines skipped), and how many
    /// lines the party has in all.
    ///
    /// # Errors
    /// Database errors.
    pub async fn audit_page(&self, party: &str, offset: i64, limit: i64) -> Result<(Vec<AuditRow>, i64), StoreError> {
        let total: i64 =
            sqlx::query("SELECT COUNT(*) FROM audit WHERE party = ?").bind(party).fetch_one(&self.pool).await?.get(0);
        let rows = sqlx::query(
            "SELECT at, username, action, detail, address, party, record FROM audit WHERE party = ?
             ORDER BY seq DESC LIMIT ? OFFSET ?",
        )
        .bind(party)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok((rows.iter().map(audit_row).collect(), total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(username: &str) -> UserRow {
        UserRow {
            username: username.into(),
            party: "MLI".into(),
            role: "co-chair".into(),
            member: None,
            password_hash: "old".into(),
            disabled: false,
            clearance: "SECRET".into(),
            auth_epoch: 0,
        }
    }

    fn session(username: &str, auth_epoch: i64) -> SessionRow {
        SessionRow {
            username: username.into(),
            csrf: "c".into(),
            expires_at: "9999-12-31T00:00:00Z".into(),
            auth_epoch,
            tz: "UTC".into(),
        }
    }

    const NOW: &str = "2025-01-01T00:00:00Z";

    #[tokio::test]
    async fn every_change_a_session_lookup_reads_moves_the_local_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        let version = || store.local_version_within(std::time::Duration::ZERO);
        let last = std::cell::Cell::new(version().await);
        let moved = |v: u64, what: &str| {
            assert!(v > last.get(), "{what}: {v} after {}", last.get());
            last.set(v);
        };
        store.put_user(&row("mli-cochair")).await.unwrap();
        moved(version().await, "put_user");
        assert!(store.put_session("h1", &session("mli-cochair", 0)).await.unwrap());
        moved(version().await, "put_session");
        let (session_row, user_row, unread) = store.session_user("h1", NOW).await.unwrap().unwrap();
        assert_eq!((session_row.csrf.as_str(), user_row.role.as_str(), unread), ("c", "co-chair", 0));
        assert_eq!(version().await, last.get(), "a read moves nothing");
        store.set_user_role("mli-cochair", "member").await.unwrap();
        moved(version().await, "set_user_role");
        store.delete_session("h1").await.unwrap();
        moved(version().await, "delete_session");
        // Another connection (another process) writes: seen at the next look.
        let other =
            sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("db.sqlite").display())).await.unwrap();
        sqlx::query("UPDATE users SET disabled = 1").execute(&other).await.unwrap();
        moved(version().await, "another connection's update");
        sqlx::query("DELETE FROM users").execute(&other).await.unwrap();
        moved(version().await, "another connection's delete");
    }

    #[tokio::test]
    async fn a_session_row_left_behind_for_a_disabled_user_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        store.put_user(&row("mli-cochair")).await.unwrap();
        assert!(store.put_session("h1", &session("mli-cochair", 0)).await.unwrap());
        assert!(store.session("h1", NOW).await.unwrap().is_some());
        // As if an older version, or a hand-made SQL change, had disabled the user and left the row.
        sqlx::query("UPDATE users SET disabled = 1").execute(&store.pool).await.unwrap();
        assert!(store.session("h1", NOW).await.unwrap().is_none());
        assert!(!store.put_session("h2", &session("mli-cochair", 0)).await.unwrap(), "no new session either");
    }

    #[tokio::test]
    async fn a_session_of_an_older_epoch_is_not_found_nor_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        store.put_user(&row("mli-cochair")).await.unwrap();
        assert!(store.put_session("h1", &session("mli-cochair", 0)).await.unwrap());
        assert!(store.put_session("keep", &session("mli-cochair", 0)).await.unwrap());
        let before = store.set_user_password("mli-cochair", "new", Some("keep")).await.unwrap().unwrap();
        assert_eq!(before.password_hash, "old");
        assert!(store.session("h1", NOW).await.unwrap().is_none());
        assert_eq!(store.session("keep", NOW).await.unwrap().unwrap().auth_epoch, 1);
        // A sign-in that checked the old password (epoch 0) while the change committed.
        assert!(!store.put_session("late", &session("mli-cochair", 0)).await.unwrap());
        // The session row was deleted, not only refused.
        sqlx::query("UPDATE sessions SET auth_epoch = 0").execute(&store.pool).await.unwrap();
        sqlx::query("UPDATE users SET auth_epoch = 0").execute(&store.pool).await.unwrap();
        assert!(store.session("h1", NOW).await.unwrap().is_none());
        // Replacing the user is a change too; an unknown user changes nothing.
        store.put_user(&row("mli-cochair")).await.unwrap();
        assert!(store.session("keep", NOW).await.unwrap().is_none());
        assert!(store.set_user_role("nobody", "viewer").await.unwrap().is_none());
        assert!(!store.set_user_disabled("nobody", true).await.unwrap());
    }

    #[tokio::test]
    async fn a_link_sets_the_password_once_before_it_expires_and_ends_the_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        store.put_user(&row("mli-cochair")).await.unwrap();
        assert!(store.put_session("h1", &session("mli-cochair", 0)).await.unwrap());
        store.put_user_link("t", "mli-cochair", "reset", "mli-secretary", NOW, "2025-01-04T00:00:00Z").await.unwrap();
        let late = "2025-01-04T00:00:01Z";
        assert!(store.use_user_link("t", late, "new").await.unwrap().is_none(), "expired");
        assert!(store.user_link("t", NOW).await.unwrap().is_some());
        store.set_user_disabled("mli-cochair", true).await.unwrap();
        assert_eq!(store.use_user_link("t", NOW, "new").await.unwrap().unwrap().password_hash, "old");
        let now = store.user("mli-cochair").await.unwrap().unwrap();
        assert_eq!(now.password_hash, "new");
        assert!(now.disabled, "a disabled user stays disabled");
        assert!(store.use_user_link("t", NOW, "newer").await.unwrap().is_none(), "once only");
        assert!(store.user_sessions("mli-cochair", NOW).await.unwrap().is_empty());
        // A newer link replaces an unused older one.
        store.put_user_link("a", "mli-cochair", "reset", "x", NOW, "2025-01-04T00:00:00Z").await.unwrap();
        store.put_user_link("b", "mli-cochair", "reset", "x", NOW, "2025-01-04T00:00:00Z").await.unwrap();
        assert!(store.user_link("a", NOW).await.unwrap().is_none());
        assert!(store.user_link("b", NOW).await.unwrap().is_some());
    }
}
