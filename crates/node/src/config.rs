//! One typed settings tree: defaults in code → `DATA/config.toml` → `LAJNA_*` environment
//! variables, validated at start with errors that name the setting.

use std::net::SocketAddr;
use std::path::Path;

use jiff::civil::Date;
use lajna_domain::Lang;
use serde::{Deserialize, Serialize};

use crate::error::{NodeError, io};

/// The settings of one node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the web server listens on (env `LAJNA_LISTEN`).
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Parties this node writes for; it holds a certified node key for each. A party's own
    /// node lists one; the demo and a joint secretariat list both.
    pub parties: Vec<String>,
    /// Language of `/` (redirects to `/{lang}/`).
    #[serde(default = "default_lang")]
    pub default_language: Lang,
    /// Reference date for "overdue" and "due soon" instead of today's UTC date. Set by the
    /// demo so that its figures do not drift; leave unset in real use (env `LAJNA_TODAY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_date: Option<Date>,
    /// Whether this data directory is the demo committee (shows the illustrative banner).
    #[serde(default)]
    pub demo: bool,
    /// Base URLs of peer nodes that `lajna serve` syncs with in the background
    /// (e.g. `["http://10.20.0.2:8080"]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peers: Vec<String>,
    /// Seconds between background syncs with each peer.
    #[serde(default = "default_sync_interval")]
    pub sync_interval_seconds: u64,
    /// Largest document file accepted, bytes (env `LAJNA_MAX_DOCUMENT_BYTES`; default 25 MiB).
    #[serde(default = "default_max_document_bytes")]
    pub max_document_bytes: u64,
}

/// The default largest document file: 25 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 25 * 1024 * 1024;

fn default_max_document_bytes() -> u64 {
    DEFAULT_MAX_DOCUMENT_BYTES
}

fn default_sync_interval() -> u64 {
    60
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

fn default_lang() -> Lang {
    Lang::Ar
}

impl Config {
    /// Settings for a node writing for `parties`, with defaults elsewhere.
    #[must_use]
    pub fn new(parties: Vec<String>) -> Self {
        Self {
            listen: default_listen(),
            parties,
            default_language: default_lang(),
            reference_date: None,
            demo: false,
            peers: vec![],
            sync_interval_seconds: default_sync_interval(),
            max_document_bytes: default_max_document_bytes(),
        }
    }

    /// Reads `path`, then applies `LAJNA_LISTEN`, `LAJNA_TODAY` and `LAJNA_MAX_DOCUMENT_BYTES`
    /// from the environment.
    ///
    /// # Errors
    /// [`NodeError::Io`] or [`NodeError::Config`] naming the setting at fault.
    pub fn load(path: &Path) -> Result<Self, NodeError> {
        let text = std::fs::read_to_string(path).map_err(io(path))?;
        let mut config: Config =
            toml::from_str(&text).map_err(|e| NodeError::Config { path: path.into(), message: e.to_string() })?;
        if let Ok(listen) = std::env::var("LAJNA_LISTEN") {
            config.listen = listen.parse().map_err(|_| NodeError::Config {
                path: path.into(),
                message: format!("LAJNA_LISTEN={listen:?} is not an address like 127.0.0.1:8080"),
            })?;
        }
        if let Ok(today) = std::env::var("LAJNA_TODAY") {
            config.reference_date = Some(today.parse().map_err(|_| NodeError::Config {
                path: path.into(),
                message: format!("LAJNA_TODAY={today:?} is not a date like 2025-10-01"),
            })?);
        }
        if let Ok(max) = std::env::var("LAJNA_MAX_DOCUMENT_BYTES") {
            config.max_document_bytes =
                max.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| NodeError::Config {
                    path: path.into(),
                    message: format!(
                        "LAJNA_MAX_DOCUMENT_BYTES={max:?} is not a positive number of bytes like 26214400"
                    ),
                })?;
        }
        if config.parties.is_empty() {
            return Err(NodeError::Config {
                path: path.into(),
                message: "parties: list at least one party code, e.g. parties = [\"MAR\"]".into(),
            });
        }
        Ok(config)
    }

    /// Writes the settings as TOML.
    ///
    /// # Errors
    /// [`NodeError::Io`].
    pub fn save(&self, path: &Path) -> Result<(), NodeError> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| NodeError::Config { path: path.into(), message: e.to_string() })?;
        std::fs::write(
            path,
            format!("# Lajna node settings. Environment variables LAJNA_LISTEN and LAJNA_TODAY override.\n{text}"),
        )
        .map_err(io(path))
    }
}
