//! What several commands share: the `--data` and `--config` options, opening the node behind it, `CODE=VALUE`
//! pairs, file reading and writing with the path in the error, and the lines printed about a
//! node. One copy each, so a message reads the same whichever command prints it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use lajna_domain::PartyCode;
use lajna_node::Node;

/// The `--data DIR` and `--config FILE` options of every command that opens a node.
#[derive(clap::Args, Clone)]
pub struct DataArg {
    /// Data directory (config.toml, lajna.sqlite, keys/).
    #[arg(long, default_value = "./lajna-data", env = "LAJNA_DATA")]
    pub data: PathBuf,
    /// Settings file to use instead of DATA/config.toml (a packaged node:
    /// /etc/lajna/config.toml, as lajna.service passes it).
    #[arg(long, value_name = "FILE", env = "LAJNA_CONFIG")]
    pub config: Option<PathBuf>,
}

impl DataArg {
    /// Opens the node of this data directory with its settings from `--config` when given
    /// (its error says what to do when there is no node).
    pub async fn open(&self) -> Result<Node> {
        Ok(Node::open_with_config(&self.data, self.config.as_deref()).await?)
    }
}

/// The `--data DIR` option of the commands that make a data directory (`init`, `join`,
/// `demo`): they write its settings to DATA/config.toml, so they take no `--config`.
#[derive(clap::Args, Clone)]
pub struct NewDataArg {
    /// Data directory (config.toml, lajna.sqlite, keys/).
    #[arg(long, default_value = "./lajna-data", env = "LAJNA_DATA")]
    pub data: PathBuf,
}

/// Parses `CODE=VALUE` (`--party-name MAR=Maroc`, `--root MAR=root.key`); the code is trimmed.
pub fn parse_pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.to_string()))
        .ok_or_else(|| format!("expected CODE=VALUE, got {s:?}"))
}

/// Reads a whole file; the error names it.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

/// Writes a whole file; the error names it.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// The first party this node writes for: whom the operator acts as when no user is named.
pub fn first_party(node: &Node) -> Result<PartyCode> {
    Ok(PartyCode::parse(node.parties().first().context("this node writes for no party")?)?)
}

/// Prints `state hash H`, the line scripts compare between nodes.
pub async fn print_state_hash(node: &Node) -> Result<()> {
    println!("state hash {}", node.state_hash().await?);
    Ok(())
}

/// Prints where a node is and what it holds: data directory, committee, event count, state hash.
pub async fn print_summary(node: &Node) -> Result<()> {
    let count = node.event_count().await?;
    let hash = node.state_hash().await?;
    let committee = node.committee().await.map(|c| c.to_hex()).unwrap_or_default();
    println!("data directory {}", node.dir.0.display());
    println!("committee {committee}");
    println!("{count} events");
    println!("state hash {hash}");
    Ok(())
}
