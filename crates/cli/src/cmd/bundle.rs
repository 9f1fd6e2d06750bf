//! `lajna bundle export|import`: events carried on a file when the link is down.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::common::{DataArg, print_state_hash, read_file, write_file};

/// Arguments of `lajna bundle`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands of `lajna bundle`.
#[derive(clap::Subcommand)]
enum Command {
    /// Write a bundle of what PARTY's node lacks (by its last known heads), or everything.
    Export {
        #[command(flatten)]
        data: DataArg,
        /// The party the bundle is for.
        #[arg(long = "for")]
        for_party: Option<String>,
        /// Every event, whatever the peer already has.
        #[arg(long)]
        all: bool,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Verify and import a bundle, all or nothing. Importing it twice changes nothing.
    Import {
        #[command(flatten)]
        data: DataArg,
        /// The bundle file.
        file: PathBuf,
    },
}

/// Runs `bundle export` or `bundle import`; a refused bundle exits 1 and imports nothing.
pub async fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Export { data, for_party, all, out } => {
            let node = data.open().await?;
            if for_party.is_none() && !all {
                bail!("say who the bundle is for with --for PARTY (only what it lacks), or --all");
            }
            let (bytes, n) =
                node.bundle_export(for_party.as_deref().map(str::to_ascii_uppercase).as_deref(), all).await?;
            write_file(&out, &bytes)?;
            println!("{n} events written to {} ({} bytes)", out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { data, file } => {
            let node = data.open().await?;
            let bytes = read_file(&file)?;
            match node.bundle_import(&bytes).await {
                Ok(r) => {
                    println!(
                        "bundle from {}: {} events, {} new, {} already here, {} document files",
                        r.from, r.events, r.applied, r.duplicates, r.blobs
                    );
                    print_state_hash(&node).await?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("bundle refused, nothing imported: {e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
