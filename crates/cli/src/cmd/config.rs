//! `lajna config`: the node's settings file. `example` prints an annotated `config.toml`, made
//! by [`lajna_node::Config::example`] from the settings and defaults in the code; `fingerprint`
//! prints a certificate's SHA-256 fingerprint for the other party's `peer_fingerprints`.

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
    /// Print the SHA-256 fingerprint of a PEM certificate (the first of the file), as the other
    /// party pins it in its peer_fingerprints.
    Fingerprint {
        /// The certificate file (PEM), e.g. the tls_certificate of config.toml.
        certificate: std::path::PathBuf,
    },
}

/// Runs the subcommand.
pub async fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Example => print!("{}", lajna_node::Config::example()),
        Command::Fingerprint { certificate } => println!("{}", lajna_node::tls::fingerprint_of_file(&certificate)?),
    }
    Ok(ExitCode::SUCCESS)
}
