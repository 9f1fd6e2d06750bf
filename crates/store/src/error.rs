//! The store's error type.

use lajna_domain::DomainError;
use lajna_ledger::LedgerError;

/// Why the store refused or failed. Refusal means nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The event failed a ledger check (bytes, signature, key, committee, DAG). HTTP 422.
    #[error("event {id}: {source}")]
    Ledger {
        /// Event id (hex, as claimed or computed).
        id: String,
        /// The ledger check that failed.
        source: LedgerError,
    },
    /// The event's body is not one the domain accepts (unknown kind, malformed). HTTP 422.
    #[error("event {id}: {source}")]
    Domain {
        /// Event id.
        id: String,
        /// The domain check that failed.
        source: DomainError,
    },
    /// A local command's events need a parent that is not stored. HTTP 409.
    #[error("event {id}: parent {parent} is not stored")]
    MissingParent {
        /// Event id.
        id: String,
        /// Missing parent id.
        parent: String,
    },
    /// An event of a private kind offered to the shared log (or from a peer), or a shared one
    /// offered to the private log. HTTP 422.
    #[error("event {id}: {}", if *private { "a private record cannot enter the shared record" } else { "only private records go to the private log" })]
    WrongLog {
        /// Event id.
        id: String,
        /// Whether the event is of a private kind.
        private: bool,
    },
    /// The data directory holds no committee yet.
    #[error("this data directory holds no committee yet; run `lajna init` or `lajna demo` first")]
    Empty,
    /// SQLite failed.
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored row is not what this version wrote.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// A stable, machine-readable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Ledger { source, .. } => source.code(),
            Self::Domain { source, .. } => source.key(),
            Self::MissingParent { .. } => "missing-parent",
            Self::WrongLog { .. } => "wrong-log",
            Self::Empty => "no-committee",
            Self::Sql(_) | Self::Migrate(_) => "database",
            Self::Corrupt(_) => "corrupt",
        }
    }
}
