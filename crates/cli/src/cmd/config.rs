//! `lajna config`: the node's settings file. `example` prints an annotated `config.toml`, made
//! by [`lajna_node::Config::example`] from the settings and defaults in the code.

use std::process::ExitCode;

use anyhow::Result;

/// Arguments of `lajna config`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands of `lajna config`.
#[derive(clap::Subcommand)]
enum Command {
    /// Print an annotated config.toml: every setting with what it is, its unit, its environment
    /// variable and its default (as comments). As printed it loads as the defaults for party MAR.
    Example,
}

/// Runs the subcommand.
pub async fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Example => print!("{}", lajna_node::Config::example()),
    }
    Ok(ExitCode::SUCCESS)
}
