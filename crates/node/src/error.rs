//! The node's error type.

use std::path::PathBuf;

use lajna_domain::DomainError;
use lajna_ledger::LedgerError;
use lajna_store::StoreError;

/// Why a node operation failed. Every variant means nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The command broke a domain rule (HTTP 422, or 403/409 per variant).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Signing or key handling failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// Signing in or a role rule refused (401, 403, 429 or 422 per variant).
    #[error(transparent)]
    Auth(#[from] crate::auth::AuthError),
    /// A document file was refused (empty, too large, unsupported or mismatched type).
    #[error(transparent)]
    Document(#[from] crate::documents::DocumentError),
    /// A peer node could not be reached, or refused (sync).
    #[error("{0}")]
    Peer(String),
    /// This node holds no certified key to write for the party.
    #[error("this node holds no key for party {party}; certify one with `lajna keys certify`")]
    NoKey {
        /// Party.
        party: String,
    },
    /// `lajna keys revoke` was asked to revoke the key this node signs with for the party: the
    /// node could then write nothing for it.
    #[error(
        "key {key} is the key this node signs with for {party}: rotate it first (`lajna keys rotate`), then revoke the retired key (`lajna keys revoke --retired`)"
    )]
    RevokingOwnKey {
        /// Party.
        party: String,
        /// The key, hex.
        key: String,
    },
    /// The directory is not a Lajna data directory.
    #[error(
        "{path} is not a Lajna data directory (no config.toml); create one with `lajna init --data {path}` or `lajna demo --data {path}`"
    )]
    NotInitialised {
        /// Directory.
        path: PathBuf,
    },
    /// The directory already holds a committee.
    #[error("{path} already holds a committee; use another --data directory")]
    AlreadyInitialised {
        /// Directory.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        /// File or directory.
        path: PathBuf,
        /// Cause (not a `source`: the message already includes it once).
        cause: std::io::Error,
    },
    /// A TLS certificate or key file could not be used.
    #[error("{path}: {message}")]
    Tls {
        /// Certificate or key file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A peer presented a certificate other than the one its fingerprint pins (sync over HTTPS).
    #[error(
        "{peer} presented a certificate with SHA-256 fingerprint {presented}, but peer_fingerprints pins {expected}; nothing was exchanged"
    )]
    PeerCertificate {
        /// Peer base URL.
        peer: String,
        /// The pinned fingerprint (config `peer_fingerprints`).
        expected: String,
        /// The fingerprint of the certificate the peer presented.
        presented: String,
    },
    /// The configuration is invalid.
    #[error("{path}: {message}")]
    Config {
        /// Config file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl NodeError {
    /// A stable, machine-readable code (for problem documents and CLI output).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domain(e) => e.key(),
            Self::Store(e) => e.code(),
            Self::Ledger(e) => e.code(),
            Self::Auth(e) => e.key(),
            Self::Document(e) => e.key(),
            Self::Peer(_) => "peer",
            Self::NoKey { .. } => "no-key",
            Self::RevokingOwnKey { .. } => "revoking-own-key",
            Self::NotInitialised { .. } => "not-initialised",
            Self::AlreadyInitialised { .. } => "already-initialised",
            Self::Io { .. } => "io",
            Self::Config { .. } => "config",
            Self::Tls { .. } => "tls",
            Self::PeerCertificate { .. } => "peer-certificate",
        }
    }
}

pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> NodeError {
    let path = path.into();
    move |cause| NodeError::Io { path, cause }
}
