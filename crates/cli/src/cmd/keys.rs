//! `lajna keys`: party root keys and node-key certificates.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use lajna_ledger::SecretKey;
use lajna_node::{read_key, write_key};

use super::common::DataArg;

/// Arguments of `lajna keys`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands of `lajna keys`.
#[derive(clap::Subcommand)]
enum Command {
    /// Create a new party root key file (keep it offline) and print its public key.
    NewRoot {
        /// Where to write the secret key (created with mode 0600; never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Certify a new node key for a party with that party's root key, and record the certificate.
    Certify {
        #[command(flatten)]
        data: DataArg,
        /// Party code.
        #[arg(long)]
        party: String,
        /// The party's root key file.
        #[arg(long)]
        root: PathBuf,
        /// Where to write the new node key.
        #[arg(long)]
        out: PathBuf,
        /// A name for the node, for people.
        #[arg(long, default_value = "node")]
        label: String,
    },
    /// Give this node a new key for a party, certified by its root key (old events stay valid)
    Rotate {
        #[command(flatten)]
        data: DataArg,
        /// Party code.
        #[arg(long)]
        party: String,
        /// The party's root key file.
        #[arg(long)]
        root: PathBuf,
        /// A name for the new key, for people.
        #[arg(long, default_value = "node (rotated)")]
        label: String,
    },
    /// List root keys and certified node keys.
    List {
        #[command(flatten)]
        data: DataArg,
    },
}

/// Runs `keys new-root`, `keys certify`, `keys rotate` or `keys list`.
pub async fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::NewRoot { out } => {
            let key = SecretKey::generate()?;
            write_key(&out, &key)?;
            println!("root key written to {} (mode 0600); public key {}", out.display(), key.public());
        }
        Command::Certify { data, party, root, out, label } => {
            let node = data.open().await?;
            let root = read_key(&root)?;
            let id = node.certify(&party.to_ascii_uppercase(), &root, &out, &label).await?;
            println!("certified the node key in {} for {party}; certificate event {id}", out.display());
        }
        Command::Rotate { data, party, root, label } => {
            let node = data.open().await?;
            let party = party.to_ascii_uppercase();
            let id = node.rotate_key(&party, &read_key(&root)?, &label).await?;
            let key = node.dir.node_key(&party);
            println!(
                "new node key for {party} in {} (certificate event {id}); the previous key file is",
                key.display()
            );
            println!("{}: delete it once the service is restarted", key.with_extension("key.retired").display());
        }
        Command::List { data } => {
            let node = data.open().await?;
            let (roots, certificates) = node.keys_listing().await?;
            for (party, root) in roots {
                println!("{party} root {root}");
            }
            for (party, key, label) in certificates {
                println!("{party} node {key} ({label})");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
