//! `lajna feed`: a user's calendar feed URLs (node-local). Only the token's hash is stored, so
//! `new` is the one time its path can be shown.

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::common::DataArg;

/// Arguments of `lajna feed`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands of `lajna feed`.
#[derive(clap::Subcommand)]
enum Command {
    /// Create a calendar feed for a user; prints its path (`/calendar/TOKEN.ics`) once: the token
    /// is not stored, only its hash.
    New {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        #[arg(long)]
        user: String,
    },
    /// List a user's calendar feeds (id, created, revoked).
    List {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        #[arg(long)]
        user: String,
    },
    /// Revoke a user's calendar feed: its URL answers 404 from then on.
    Revoke {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        #[arg(long)]
        user: String,
        /// Feed id (see `lajna feed list`).
        id: i64,
    },
}

/// Runs `feed new`, `feed list` or `feed revoke`.
pub async fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::New { data, user } => {
            let node = data.open().await?;
            let feed = node.create_feed(&user, "local").await?;
            println!("feed {} of {user}: {}", feed.id, lajna_node::feeds::feed_path(&feed.token));
            eprintln!("keep this path secret: anyone who has it reads the calendar; it cannot be shown again");
        }
        Command::List { data, user } => {
            let node = data.open().await?;
            for f in node.feeds(&user).await? {
                let state = f.revoked_at.map_or_else(|| "active".to_string(), |at| format!("revoked {at}"));
                println!("{:<6} created {}  {state}", f.id, f.created_at);
            }
        }
        Command::Revoke { data, user, id } => {
            let node = data.open().await?;
            if !node.revoke_feed(&user, id, "local").await? {
                bail!("{user} has no active calendar feed {id}; see `lajna feed list --user {user}`");
            }
            println!("feed {id} of {user} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}
