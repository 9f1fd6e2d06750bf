//! Node-local tables: users, sessions, sign-in failures and the audit trail. Plain rows, not
//! events: credentials never enter the shared record (DESIGN.md §6).

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
    }
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

impl Store {
    /// Creates a user, or replaces its party, role, member and password when it exists.
    ///
    /// # Errors
    /// Database errors.
    pub async fn put_user(&self, u: &UserRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO users (username, party, role, member, password_hash, disabled, created_at, clearance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(username) DO UPDATE SET party = excluded.party, role = excluded.role, member = excluded.member,
             password_hash = excluded.password_hash, disabled = excluded.disabled, clearance = excluded.clearance",
        )
        .bind(&u.username)
        .bind(&u.party)
        .bind(&u.role)
        .bind(&u.member)
        .bind(&u.password_hash)
        .bind(i64::from(u.disabled))
        .bind(crate::now())
        .bind(&u.clearance)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn user(&self, username: &str) -> Result<Option<UserRow>, StoreError> {
        let row = sqlx::query(
            "SELECT username, party, role, member, password_hash, disabled, clearance FROM users WHERE username = ?",
        )
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
        let rows = sqlx::query(
            "SELECT username, party, role, member, password_hash, disabled, clearance FROM users ORDER BY username",
        )
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
        Ok(())
    }

    /// Disables or enables a user; disabling also ends its sessions. Returns false when there
    /// is no such user.
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_user_disabled(&self, username: &str, disabled: bool) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("UPDATE users SET disabled = ? WHERE username = ?")
            .bind(i64::from(disabled))
            .bind(username)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE username = ?").bind(username).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Stores a session under the hash of its token.
    ///
    /// # Errors
    /// Database errors.
    pub async fn put_session(&self, token_hash: &str, s: &SessionRow) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, username, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
            .bind(token_hash)
            .bind(&s.username)
            .bind(&s.csrf)
            .bind(crate::now())
            .bind(&s.expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The session with this token hash, if it has not expired at `now` (RFC 3339 UTC).
    ///
    /// # Errors
    /// Database errors.
    pub async fn session(&self, token_hash: &str, now: &str) -> Result<Option<SessionRow>, StoreError> {
        let row =
            sqlx::query("SELECT username, csrf, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?")
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| SessionRow { username: r.get(0), csrf: r.get(1), expires_at: r.get(2) }))
    }

    /// Ends a session.
    ///
    /// # Errors
    /// Database errors.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash).execute(&self.pool).await?;
        Ok(())
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
