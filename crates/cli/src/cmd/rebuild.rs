//! `lajna rebuild`: refold the log into fresh projections (appends nothing).

use std::process::ExitCode;

use anyhow::Result;

use super::common::DataArg;

/// Arguments of `lajna rebuild`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
}

/// Rebuilds and prints the state hash, and the one before when they differ.
pub async fn run(args: Args) -> Result<ExitCode> {
    let node = args.data.open().await?;
    let before = node.stored_state_hash().await?;
    let after = node.rebuild().await?;
    println!("state hash {after}");
    if before != after {
        println!("(projections had state hash {before} before the rebuild)");
    }
    Ok(ExitCode::SUCCESS)
}
