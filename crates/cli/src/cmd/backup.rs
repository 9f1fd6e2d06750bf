//! `lajna backup`: an online, consistent, verified backup of a data directory (DESIGN.md §9),
//! safe while `lajna serve` runs and writes: SQLite `VACUUM INTO`, never a file copy.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use lajna_node::backup::{self, BackupError};

use super::common::DataArg;

/// Arguments of `lajna backup`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// The backup file to write (a zip; must not exist). Written under a temporary name beside
    /// it, checked, then renamed.
    #[arg(long, required_unless_present = "out_dir", conflicts_with = "out_dir")]
    out: Option<PathBuf>,
    /// Instead of --out: the directory to write into, the file named by the time (UTC),
    /// lajna-YYYYMMDDTHHMMSSZ.zip (for scheduled backups).
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// With --out-dir: once the backup is written and checked, keep only the newest N
    /// lajna-*.zip files of the directory (the older ones are deleted).
    #[arg(long, requires = "out_dir", value_parser = clap::value_parser!(u32).range(1..))]
    keep: Option<u32>,
}

/// Writes the backup, checks it and prints what it holds; exits 1 when the written file does
/// not check (it is removed then).
pub async fn run(args: Args) -> Result<ExitCode> {
    if args.keep.is_some() && args.out_dir.is_none() {
        anyhow::bail!("--keep needs --out-dir (the directory whose old backups it deletes)");
    }
    let node = args.data.open().await?;
    let out = match (&args.out, &args.out_dir) {
        (Some(out), _) => out.clone(),
        (None, Some(dir)) => dir.join(format!("lajna-{}.zip", jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ"))),
        (None, None) => unreachable!("clap requires --out or --out-dir"),
    };
    match backup::backup(&node, &out).await {
        Ok(report) => {
            println!("backup {} ({} bytes), checked", report.path.display(), report.bytes);
            print_checked(&report.checked);
            println!("not included: node keys (DATA/keys/; keep them apart) and the search index (rebuilt on use)");
            if let (Some(dir), Some(keep)) = (&args.out_dir, args.keep) {
                for old in prune(dir, keep as usize)? {
                    println!("removed old backup {}", old.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ BackupError::Unsound(_)) => {
            println!("FAILED: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes all but the newest `keep` backups `lajna-*.zip` of `dir` (their names sort by time);
/// returns the files deleted. Other files are left alone.
fn prune(dir: &std::path::Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut backups: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("lajna-") && n.ends_with(".zip"))
        })
        .collect();
    backups.sort();
    let old = backups.len().saturating_sub(keep);
    let removed: Vec<PathBuf> = backups.into_iter().take(old).collect();
    for path in &removed {
        std::fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(removed)
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
