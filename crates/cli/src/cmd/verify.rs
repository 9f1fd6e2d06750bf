//! `lajna verify`: every event's signature, certificate and parents, and the projections
//! against a rebuild. Exit code 1 when anything fails, naming the first bad event.

use std::process::ExitCode;

use anyhow::Result;

use super::common::DataArg;

/// Arguments of `lajna verify`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
}

/// Verifies the whole record and prints `N events` and the state hash.
pub async fn run(args: Args) -> Result<ExitCode> {
    let node = args.data.open().await?;
    let report = node.store.verify().await?;
    if let Some((id, why)) = &report.problem {
        println!("FAILED after {} good events", report.events);
        println!("bad event {id}: {why}");
        return Ok(ExitCode::from(1));
    }
    println!("{} events", report.events);
    println!("state hash {}", report.rebuilt_hash);
    if report.rebuilt_hash != report.stored_hash {
        println!(
            "FAILED: the stored projections (state hash {}) differ from a rebuild of the log; run `lajna rebuild`",
            report.stored_hash
        );
        return Ok(ExitCode::from(1));
    }
    println!("ok: every signature, certificate and parent verified; projections match a rebuild");
    Ok(ExitCode::SUCCESS)
}
