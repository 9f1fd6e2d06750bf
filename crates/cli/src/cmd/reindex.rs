//! `lajna reindex`: rebuild the full-text index (DATA/index) from the record.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::common::DataArg;

/// Arguments of `lajna reindex`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
}

/// Reindexes and prints how many records the index holds.
pub async fn run(args: Args) -> Result<ExitCode> {
    let node = args.data.open().await?;
    let n = node.reindex().await.context("rebuilding the search index (is `lajna serve` running on it?)")?;
    println!("{n} records indexed");
    Ok(ExitCode::SUCCESS)
}
