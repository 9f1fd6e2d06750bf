//! Online backups (DESIGN.md §9): a consistent snapshot of the live database with SQLite's
//! `VACUUM INTO` — one read transaction, so it holds every committed transaction up to a point
//! and none after, while other connections and processes keep writing (a file copy of a WAL
//! database is not) — and the checks a snapshot must pass before it is called a backup.

use std::path::Path;

use sqlx::Row;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::{Store, StoreError};

impl Store {
    /// Writes a consistent snapshot of the whole database (events, projections, local tables)
    /// to `path`, which must not exist.
    ///
    /// # Errors
    /// Database errors (including when `path` exists).
    pub async fn snapshot_into(&self, path: &Path) -> Result<(), StoreError> {
        let target = path.to_str().ok_or_else(|| StoreError::Corrupt(format!("{}: not UTF-8", path.display())))?;
        sqlx::query("VACUUM INTO ?").bind(target).execute(&self.pool).await?;
        Ok(())
    }

    /// SQLite's `PRAGMA integrity_check`: empty when the file is sound, else its complaints.
    ///
    /// # Errors
    /// Database errors.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("PRAGMA integrity_check").fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|r| r.get::<String, _>(0)).filter(|line| line != "ok").collect())
    }

    /// Number of events of this node's private log.
    ///
    /// # Errors
    /// Database errors.
    pub async fn private_event_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM private_events").fetch_one(&self.pool).await?.get(0))
    }
}

/// The committee (genesis id, hex) of the database at `path`, read through one read-only
/// connection: no migration, no write. `None` when the file holds no committee.
///
/// # Errors
/// Database errors (e.g. not a Lajna database).
pub async fn committee_of(path: &Path) -> Result<Option<String>, StoreError> {
    let mut conn = SqliteConnectOptions::new().filename(path).read_only(true).connect().await?;
    let row = sqlx::query("SELECT id FROM committee").fetch_optional(&mut conn).await?;
    conn.close().await?;
    Ok(row.map(|r| r.get(0)))
}
