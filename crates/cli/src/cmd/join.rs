//! `lajna join`: a node of an existing committee, started from a bundle and the party's root
//! key, which certifies this node's new key.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use lajna_node::read_key;

use super::common::{NewDataArg, print_summary, read_file};

/// Arguments of `lajna join`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: NewDataArg,
    /// A bundle holding the committee's events from its genesis.
    #[arg(long)]
    bundle: PathBuf,
    /// The party this node writes for.
    #[arg(long)]
    party: String,
    /// The party's root key file (used once, to certify this node's key; keep it offline).
    #[arg(long)]
    root: PathBuf,
    /// Peer URLs to sync with in the background (repeat).
    #[arg(long = "peer")]
    peers: Vec<String>,
}

/// Creates the node from the bundle and prints its summary.
pub async fn run(args: Args) -> Result<ExitCode> {
    let Args { data, bundle, party, root, peers } = args;
    let bytes = read_file(&bundle)?;
    let root = read_key(&root)?;
    let node = lajna_node::join(&data.data, &bytes, &party.to_ascii_uppercase(), &root, peers).await?;
    print_summary(&node).await?;
    println!("this node writes for {}; its key is certified in the record — sync to share it", node.own_party());
    Ok(ExitCode::SUCCESS)
}
