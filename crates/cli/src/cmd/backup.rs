//! `lajna backup`: an online, consistent, verified backup of a data directory (DESIGN.md §9),
//! safe while `lajna serve` runs and writes: SQLite `VACUUM INTO`, never a file copy.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use lajna_node::backup::{self, BackupError};

use super::common::DataArg;

/// Arguments of `lajna backup`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// The backup file to write (a zip; must not exist). Written under a temporary name beside
    /// it, checked, then renamed.
    #[arg(long)]
    out: PathBuf,
}

/// Writes the backup, checks it and prints what it holds; exits 1 when the written file does
/// not check (it is removed then).
pub async fn run(args: Args) -> Result<ExitCode> {
    let node = args.data.open().await?;
    match backup::backup(&node, &args.out).await {
        Ok(report) => {
            println!("backup {} ({} bytes), checked", report.path.display(), report.bytes);
            print_checked(&report.checked);
            println!("not included: node keys (DATA/keys/; keep them apart) and the search index (rebuilt on use)");
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ BackupError::Unsound(_)) => {
            println!("FAILED: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}

/// The lines both `backup` and `restore` print about a checked backup.
pub fn print_checked(c: &backup::Checked) {
    println!("committee {}", c.committee);
    println!("{} events (+ {} party-private)", c.events, c.private_events);
    println!("state hash {}", c.state_hash);
    println!("{} document files, each checked against its BLAKE3", c.blobs);
    if !c.missing_blobs.is_empty() {
        println!("{} document files not held by the node when the backup was made", c.missing_blobs.len());
    }
}
