//! `lajna keys`: party root keys, node-key certificates, rotation and revocation.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use lajna_ledger::{PublicKey, SecretKey};
use lajna_node::keys::public_key_of;
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
    /// Revoke a node key with the party's root key: events it signs from now on are refused
    /// here and, once the revocation has synced, on the peer; those this node holds stay valid
    Revoke {
        #[command(flatten)]
        data: DataArg,
        /// Party code.
        #[arg(long)]
        party: String,
        /// The party's root key file.
        #[arg(long)]
        root: PathBuf,
        /// The node key to revoke, hex (as `lajna keys list` prints it).
        #[arg(long, required_unless_present = "retired", conflicts_with = "retired")]
        key: Option<String>,
        /// Revoke the key `lajna keys rotate` set aside (DATA/keys/node-PARTY.key.retired).
        #[arg(long)]
        retired: bool,
        /// Why, for people (recorded in the revocation).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// List root keys and certified node keys.
    List {
        #[command(flatten)]
        data: DataArg,
    },
}

/// Runs `keys new-root`, `keys certify`, `keys rotate`, `keys revoke` or `keys list`.
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
        // Clap lets exactly one of `--key` and `--retired` through.
        Command::Revoke { data, party, root, key, retired: _, reason } => {
            let node = data.open().await?;
            let party = party.to_ascii_uppercase();
            let key = match key {
                Some(hex) => PublicKey::parse(hex.trim()).context("--key is not a public key (64 hex digits)")?,
                None => {
                    let file = node.dir.node_key(&party).with_extension("key.retired");
                    public_key_of(&file).with_context(|| format!("no retired key to revoke in {}", file.display()))?
                }
            };
            let id = node.revoke_key(&party, &read_key(&root)?, &key, &reason).await?;
            println!("revoked node key {key} of {party} (revocation event {id})");
            println!(
                "the events it signed that this node holds stay valid; anything else it signs is refused here, and on the peer once this event has synced: run `lajna sync` now"
            );
        }
        Command::List { data } => {
            let node = data.open().await?;
            let (roots, certificates) = node.keys_listing().await?;
            let revoked = node.revocations().await;
            for (party, root) in roots {
                println!("{party} root {root}");
            }
            for (party, key, label) in certificates {
                match revoked.iter().find(|r| r.party == party && r.key == key) {
                    Some(r) => println!("{party} node {key} ({label}) revoked by event {}", r.revocation),
                    None => println!("{party} node {key} ({label})"),
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
