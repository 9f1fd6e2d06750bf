//! Two-factor sign-in rows (issue 16 item 3, migration 0011): each user's TOTP secret and the
//! step of its last accepted code, the hashes of its recovery codes, and half-done sign-ins.
//! Node-local, never events; the rules (which step is accepted, who must enrol) are
//! `lajna_node::two_factor`'s.

use sqlx::Row;

use crate::{Store, StoreError};

/// A user's TOTP enrolment.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpRow {
    /// The shared secret, base32 (RFC 4648, no padding).
    pub secret: String,
    /// Whether a first code confirmed it (only then is it asked at sign-in).
    pub confirmed: bool,
    /// The time step (Unix seconds / 30) of the last code accepted; -1 before any.
    pub last_step: i64,
}

impl std::fmt::Debug for TotpRow {
    /// Never shows the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpRow").field("confirmed", &self.confirmed).field("last_step", &self.last_step).finish()
    }
}

/// A half-done sign-in: who, which stage (`code` or `enrol`), and the user's `auth_epoch`
/// when the password was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInStepRow {
    /// User.
    pub username: String,
    /// `code` (a TOTP or recovery code is due) or `enrol` (the role requires enrolment first).
    pub stage: String,
    /// The user's epoch when the password was checked.
    pub auth_epoch: i64,
}

impl Store {
    /// The TOTP enrolment of `username`, confirmed or not.
    ///
    /// # Errors
    /// Database errors.
    pub async fn totp(&self, username: &str) -> Result<Option<TotpRow>, StoreError> {
        let row = sqlx::query("SELECT secret, confirmed_at IS NOT NULL, last_step FROM totp WHERE username = ?")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| TotpRow { secret: r.get(0), confirmed: r.get::<i64, _>(1) != 0, last_step: r.get(2) }))
    }

    /// Stores a new, unconfirmed secret for `username`, replacing an unconfirmed one. Returns
    /// false, and changes nothing, when the user has a confirmed secret (turn it off first).
    ///
    /// # Errors
    /// Database errors (an unknown user breaks the foreign key).
    pub async fn put_totp_secret(&self, username: &str, secret: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO totp (username, secret, created_at) VALUES (?, ?, ?)
             ON CONFLICT (username) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
             last_step = -1 WHERE totp.confirmed_at IS NULL",
        )
        .bind(username)
        .bind(secret)
        .bind(crate::now())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Confirms `username`'s unconfirmed secret with the step of its first code, and replaces
    /// the user's recovery codes by `recovery` (hashes), in one transaction. False, nothing
    /// written, when there was no unconfirmed secret.
    ///
    /// # Errors
    /// Database errors.
    pub async fn confirm_totp(&self, username: &str, step: i64, recovery: &[String]) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let n =
            sqlx::query("UPDATE totp SET confirmed_at = ?, last_step = ? WHERE username = ? AND confirmed_at IS NULL")
                .bind(crate::now())
                .bind(step)
                .bind(username)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM recovery_codes WHERE username = ?").bind(username).execute(&mut *tx).await?;
        for hash in recovery {
            sqlx::query("INSERT INTO recovery_codes (username, code_hash) VALUES (?, ?)")
                .bind(username)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Accepts the code of time step `step` for `username` if no code of that step or a later
    /// one was accepted before (RFC 6238 §5.2: a code works once). One statement, so two
    /// sign-ins racing with the same code cannot both win.
    ///
    /// # Errors
    /// Database errors.
    pub async fn accept_totp_step(&self, username: &str, step: i64) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE totp SET last_step = ? WHERE username = ? AND confirmed_at IS NOT NULL AND last_step < ?",
        )
        .bind(step)
        .bind(username)
        .bind(step)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Uses up the recovery code of hash `hash`: true once, then false.
    ///
    /// # Errors
    /// Database errors.
    pub async fn use_recovery_code(&self, username: &str, hash: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE recovery_codes SET used_at = ? WHERE username = ? AND code_hash = ? AND used_at IS NULL",
        )
        .bind(crate::now())
        .bind(username)
        .bind(hash)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// How many of `username`'s recovery codes are unused.
    ///
    /// # Errors
    /// Database errors.
    pub async fn recovery_codes_left(&self, username: &str) -> Result<i64, StoreError> {
        let n = sqlx::query("SELECT COUNT(*) FROM recovery_codes WHERE username = ? AND used_at IS NULL")
            .bind(username)
            .fetch_one(&self.pool)
            .await?;
        Ok(n.get(0))
    }

    /// Removes `username`'s TOTP secret and recovery codes (two-factor turned off). Returns
    /// whether there was a secret.
    ///
    /// # Errors
    /// Database errors.
    pub async fn delete_totp(&self, username: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM recovery_codes WHERE username = ?").bind(username).execute(&mut *tx).await?;
        let n = sqlx::query("DELETE FROM totp WHERE username = ?").bind(username).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(n.rows_affected() == 1)
    }

    /// Stores a half-done sign-in under the hash of its token, until `expires_at`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn put_sign_in_step(
        &self,
        token_hash: &str,
        step: &SignInStepRow,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sign_in_steps (token_hash, username, stage, auth_epoch, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(&step.username)
        .bind(&step.stage)
        .bind(step.auth_epoch)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The half-done sign-in of this token hash if it has not expired at `now`, its user is
    /// not disabled and its epoch is still the user's.
    ///
    /// # Errors
    /// Database errors.
    pub async fn sign_in_step(&self, token_hash: &str, now: &str) -> Result<Option<SignInStepRow>, StoreError> {
        let row = sqlx::query(
            "SELECT s.username, s.stage, s.auth_epoch FROM sign_in_steps s JOIN users u ON u.username = s.username
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0 AND u.auth_epoch = s.auth_epoch",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| SignInStepRow { username: r.get(0), stage: r.get(1), auth_epoch: r.get(2) }))
    }

    /// Ends a half-done sign-in (used or abandoned), and every expired one at `now`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn delete_sign_in_step(&self, token_hash: &str, now: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_steps WHERE token_hash = ? OR expires_at <= ?")
            .bind(token_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store_with_user() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        let user = crate::UserRow {
            username: "u".into(),
            party: "MAR".into(),
            role: "co-chair".into(),
            member: None,
            password_hash: "!".into(),
            disabled: false,
            clearance: "SECRET".into(),
            auth_epoch: 0,
        };
        store.put_user(&user).await.unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn a_step_is_accepted_once_and_never_an_older_one_and_recovery_codes_work_once() {
        let (_dir, store) = store_with_user().await;
        assert!(store.put_totp_secret("u", "AAAA").await.unwrap());
        assert!(!store.accept_totp_step("u", 10).await.unwrap(), "not before confirmation");
        assert!(store.put_totp_secret("u", "BBBB").await.unwrap(), "an unconfirmed secret is replaced");
        assert!(store.confirm_totp("u", 10, &["h1".into(), "h2".into()]).await.unwrap());
        assert!(!store.confirm_totp("u", 11, &[]).await.unwrap(), "confirmed once");
        assert!(!store.put_totp_secret("u", "CCCC").await.unwrap(), "a confirmed secret stays");
        let row = store.totp("u").await.unwrap().unwrap();
        assert_eq!((row.secret.as_str(), row.confirmed, row.last_step), ("BBBB", true, 10));
        assert!(!format!("{row:?}").contains("BBBB"), "the secret is never shown by Debug");
        assert!(!store.accept_totp_step("u", 10).await.unwrap(), "the confirming code's step is used");
        assert!(store.accept_totp_step("u", 12).await.unwrap());
        assert!(!store.accept_totp_step("u", 11).await.unwrap(), "an older step after a newer one");
        assert_eq!(store.recovery_codes_left("u").await.unwrap(), 2);
        assert!(store.use_recovery_code("u", "h1").await.unwrap());
        assert!(!store.use_recovery_code("u", "h1").await.unwrap());
        assert!(!store.use_recovery_code("u", "nope").await.unwrap());
        assert_eq!(store.recovery_codes_left("u").await.unwrap(), 1);
        assert!(store.delete_totp("u").await.unwrap());
        assert_eq!((store.totp("u").await.unwrap(), store.recovery_codes_left("u").await.unwrap()), (None, 0));
    }

    #[tokio::test]
    async fn a_half_done_sign_in_ends_with_its_expiry_or_a_change_of_the_users_epoch() {
        let (_dir, store) = store_with_user().await;
        let step = SignInStepRow { username: "u".into(), stage: "code".into(), auth_epoch: 0 };
        store.put_sign_in_step("t", &step, "2030-01-01T00:00:00Z").await.unwrap();
        assert_eq!(store.sign_in_step("t", "2029-12-31T23:59:59Z").await.unwrap(), Some(step.clone()));
        assert_eq!(store.sign_in_step("t", "2030-01-01T00:00:00Z").await.unwrap(), None, "expired");
        store.set_user_role("u", "secretary").await.unwrap();
        assert_eq!(store.sign_in_step("t", "2029-01-01T00:00:00Z").await.unwrap(), None, "epoch changed");
        store.delete_sign_in_step("t", "2000-01-01T00:00:00Z").await.unwrap();
    }
}
