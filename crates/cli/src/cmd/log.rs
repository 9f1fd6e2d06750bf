//! `lajna log`: the events of the record, oldest first, one line each or as full envelopes.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use super::common::DataArg;

/// Arguments of `lajna log`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// Show at most this many events.
    #[arg(long, default_value_t = 1000)]
    limit: i64,
    /// Print each event's full envelope as JSON.
    #[arg(long)]
    full: bool,
}

/// Prints the first `--limit` events.
pub async fn run(args: Args) -> Result<ExitCode> {
    let node = args.data.open().await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for e in node.events_after(0, args.limit).await? {
        let written = if args.full {
            writeln!(out, "{}", e.raw.envelope)
        } else {
            writeln!(out, "{:>5}  L{:<5} {}  {}  {:<28} {}", e.seq, e.lamport, e.at, e.party, e.kind, &e.id[..16])
        };
        // A closed pipe (`lajna log | head`) is the reader's choice, not an error.
        if written.is_err() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let _ = out.flush();
    Ok(ExitCode::SUCCESS)
}
