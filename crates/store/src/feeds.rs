//! Calendar feed tokens: node-local rows (like sessions), keyed by the BLAKE3 hash of the secret
//! that a feed URL carries. Plain rows, not events.

use sqlx::Row;

use crate::{Store, StoreError};

/// A calendar feed of a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedRow {
    /// Number naming the feed on this node (not a secret).
    pub id: i64,
    /// Owner.
    pub username: String,
    /// Creation time, RFC 3339 UTC.
    pub created_at: String,
    /// Revocation time, RFC 3339 UTC; `None` while the feed works.
    pub revoked_at: Option<String>,
}

fn feed(row: &sqlx::sqlite::SqliteRow) -> FeedRow {
    FeedRow { id: row.get(0), username: row.get(1), created_at: row.get(2), revoked_at: row.get(3) }
}

impl Store {
    /// Stores a new feed of `username` under the hash of its token; returns its id.
    ///
    /// # Errors
    /// Database errors, including an unknown user (foreign key) or a hash already stored.
    pub async fn put_feed(&self, token_hash: &str, username: &str, created_at: &str) -> Result<i64, StoreError> {
        let row =
            sqlx::query("INSERT INTO feed_tokens (token_hash, username, created_at) VALUES (?, ?, ?) RETURNING id")
                .bind(token_hash)
                .bind(username)
                .bind(created_at)
                .fetch_one(&self.pool)
                .await?;
        Ok(row.get(0))
    }

    /// The feeds of `username`, oldest first, revoked ones included.
    ///
    /// # Errors
    /// Database errors.
    pub async fn feeds(&self, username: &str) -> Result<Vec<FeedRow>, StoreError> {
        let rows =
            sqlx::query("SELECT id, username, created_at, revoked_at FROM feed_tokens WHERE username = ? ORDER BY id")
                .bind(username)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().map(feed).collect())
    }

    /// The feed whose token has this hash, revoked or not.
    ///
    /// # Errors
    /// Database errors.
    pub async fn feed_by_hash(&self, token_hash: &str) -> Result<Option<FeedRow>, StoreError> {
        let row = sqlx::query("SELECT id, username, created_at, revoked_at FROM feed_tokens WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(feed))
    }

    /// Revokes feed `id` of `username` at `at` (RFC 3339 UTC). Returns false when that user has no
    /// such feed or it was already revoked (the first revocation time stays).
    ///
    /// # Errors
    /// Database errors.
    pub async fn revoke_feed(&self, id: i64, username: &str, at: &str) -> Result<bool, StoreError> {
        let n =
            sqlx::query("UPDATE feed_tokens SET revoked_at = ? WHERE id = ? AND username = ? AND revoked_at IS NULL")
                .bind(at)
                .bind(id)
                .bind(username)
                .execute(&self.pool)
                .await?
                .rows_affected();
        Ok(n == 1)
    }
}
