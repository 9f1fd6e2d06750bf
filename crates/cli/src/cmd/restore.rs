//! `lajna restore`: puts a backup in place of a data directory, verifying it first
//! (DESIGN.md §9). Refuses while a process holds the directory, and a backup of another
//! committee; the previous directory is kept aside.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use lajna_node::backup::{self, BackupError};

/// Arguments of `lajna restore`.
#[derive(clap::Args)]
pub struct Args {
    /// The backup file (made by `lajna backup`).
    file: PathBuf,
    /// The data directory to restore into (required: never the default by accident). The
    /// previous one is kept as DIR.before-restore-<UTC time>; its node keys are copied over.
    #[arg(long)]
    data: PathBuf,
}

/// Checks the backup, then swaps it in; exits 1 on a refusal (nothing changed then).
pub async fn run(args: Args) -> Result<ExitCode> {
    match backup::restore(&args.file, &args.data).await {
        Ok(report) => {
            println!("restored {} into {}", args.file.display(), report.dir.display());
            super::backup::print_checked(&report.checked);
            if let Some(previous) = &report.previous {
                println!("previous directory kept as {}", previous.display());
            }
            if report.keys_copied {
                println!("node keys copied from the previous directory");
            } else {
                println!(
                    "no node keys: a backup holds none; put this node's keys in {}/keys/ before serving",
                    report.dir.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ (BackupError::Unsound(_) | BackupError::OtherCommittee { .. } | BackupError::InUse(_))) => {
            println!("REFUSED: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}
