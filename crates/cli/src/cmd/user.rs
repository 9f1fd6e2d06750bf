//! `lajna user`: the users of this node (node-local: never sent to the other party).
//! Passwords come from standard input, never from the command line, where `ps` would show them.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::common::DataArg;

/// Arguments of `lajna user`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands of `lajna user`.
#[derive(clap::Subcommand)]
enum Command {
    /// Create a user (or replace one). The password is read from standard input (first line).
    Add {
        #[command(flatten)]
        data: DataArg,
        /// Login name: 2–32 of a-z 0-9 . _ -
        username: String,
        /// Party code, e.g. MAR.
        #[arg(long)]
        party: String,
        /// co-chair, secretary, action-owner or viewer.
        #[arg(long)]
        role: String,
        /// Member record id, when the user is a member of the committee (co-chairs endorse as it).
        #[arg(long)]
        member: Option<String>,
        /// UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET (default: the role's: co-chair SECRET,
        /// secretary CONFIDENTIAL, action-owner RESTRICTED, viewer UNCLASSIFIED).
        #[arg(long)]
        clearance: Option<String>,
    },
    /// Change a user's clearance (written to the audit trail).
    SetClearance {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
        /// UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET.
        clearance: String,
    },
    /// Change a user's role (written to the audit trail); the clearance is kept.
    SetRole {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
        /// co-chair, secretary, action-owner or viewer.
        role: String,
    },
    /// Change a user's password (read from standard input, first line).
    Passwd {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
    },
    /// Disable a user and end its sessions.
    Disable {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
    },
    /// Reset a user's second factor (a lost authenticator and recovery codes) and end its
    /// sessions (written to the audit trail); the user enrols again if their role requires it.
    #[command(name = "reset-2fa")]
    ResetTwoFactor {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
    },
    /// List the users.
    List {
        #[command(flatten)]
        data: DataArg,
    },
}

/// Runs one `lajna user` subcommand.
pub async fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Add { data, username, party, role, member, clearance } => {
            let node = data.open().await?;
            let password = read_password()?;
            node.put_user(&username, &party.to_ascii_uppercase(), &role, member.as_deref(), &password).await?;
            if let Some(c) = &clearance {
                node.set_clearance(&username, c).await?;
            }
            let row = node.user_row(&username).await?.context("the user was just saved")?;
            println!("user {username} ({}, {role}, clearance {}) saved", party.to_ascii_uppercase(), row.clearance);
        }
        Command::SetClearance { data, username, clearance } => {
            let node = data.open().await?;
            node.set_clearance(&username, &clearance).await?;
            println!("clearance of {username} is now {}", clearance.to_ascii_uppercase());
        }
        Command::SetRole { data, username, role } => {
            let node = data.open().await?;
            node.set_role(&username, &role).await?;
            println!("role of {username} is now {role}");
        }
        Command::Passwd { data, username } => {
            let node = data.open().await?;
            node.set_password(&username, &read_password()?).await?;
            println!("password of {username} changed");
        }
        Command::Disable { data, username } => {
            let node = data.open().await?;
            node.disable_user(&username).await?;
            println!("user {username} disabled; its sessions are ended");
        }
        Command::ResetTwoFactor { data, username } => {
            let node = data.open().await?;
            if node.reset_second_factor(&username).await? {
                println!(
                    "second factor of {username} reset; its sessions are ended (it enrols again at sign-in if its role requires it)"
                );
            } else {
                println!("{username} has no second factor: nothing changed");
            }
        }
        Command::List { data } => {
            let node = data.open().await?;
            for u in node.user_rows().await? {
                println!(
                    "{:<20} {} {:<13} {:<12} {}",
                    u.username,
                    u.party,
                    u.role,
                    u.clearance,
                    if u.disabled { "disabled" } else { "active" }
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first line of standard input, without its line ending.
fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("no password on standard input: pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | lajna user add ...`");
    }
    Ok(password)
}
