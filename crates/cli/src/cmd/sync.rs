//! `lajna sync`: one round with a peer over HTTP: pull what this node lacks, push what the peer
//! lacks. Exit code 1 when the peer sent an event this node refused.

use std::process::ExitCode;

use anyhow::Result;

use super::common::{DataArg, print_state_hash};

/// Arguments of `lajna sync`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// The peer's base URL, e.g. http://10.20.0.2:8080
    #[arg(long)]
    peer: String,
}

/// Syncs once and prints what travelled, what was refused, and the state hash.
pub async fn run(args: Args) -> Result<ExitCode> {
    let Args { data, peer } = args;
    let node = data.open().await?;
    let r = node.sync_with(&peer).await?;
    println!(
        "synced with {} ({}): {} events received, {} sent, {} refused",
        peer,
        r.peer_parties.join(","),
        r.received,
        r.sent,
        r.refused.len()
    );
    for (id, why) in &r.refused {
        println!("refused {id}: {why}");
    }
    if r.blobs_received + r.blobs_missing.len() > 0 {
        println!(
            "document files: {} received, {} still missing (fetched again at the next sync)",
            r.blobs_received,
            r.blobs_missing.len()
        );
    }
    for (hash, why) in &r.blobs_missing {
        println!("file {hash} not received: {why}");
    }
    print_state_hash(&node).await?;
    Ok(if r.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
