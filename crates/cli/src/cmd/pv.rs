//! `lajna pv`: the procès-verbal of a session as PDF, and `lajna pv verify FILE.pdf`, which says
//! whether a file is exactly the endorsed original this node's record gives (exit 0) or names
//! the first difference (exit 1). Every PV written is an audit line (issue 6).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use lajna_report::pv::{self, Edition};

use super::common::{DataArg, read_file, write_file};

/// Arguments of `lajna pv`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    #[command(flatten)]
    data: DataArg,
    /// Session (record id).
    #[arg(long, required = true)]
    session: Option<String>,
    /// Edition: ar, fr or en (each its own original), or ar+fr side by side.
    #[arg(long, value_parser = ["ar", "fr", "en", "ar+fr"], default_value = "fr")]
    lang: String,
    /// Output file (PDF).
    #[arg(long, required = true)]
    out: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Regenerate the PV named in FILE's metadata (session, edition, minutes version) from this
    /// node's record and compare byte for byte. Exits 0 when FILE is the endorsed original;
    /// 1 naming the first difference (unknown or wrong session, a draft, another minutes
    /// version, or the first altered byte).
    Verify(VerifyArgs),
}

/// Arguments of `lajna pv verify`.
#[derive(clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    data: DataArg,
    /// The PV to check (PDF).
    file: PathBuf,
    /// Also require that FILE is the PV of this session (record id).
    #[arg(long)]
    session: Option<String>,
}

/// Writes the PV to `--out`, or verifies a file.
pub async fn run(args: Args) -> Result<ExitCode> {
    if let Some(Sub::Verify(v)) = args.command {
        return verify(v).await;
    }
    let session = args.session.context("--session is required")?;
    let out = args.out.context("--out is required")?;
    let node = args.data.open().await?;
    let edition = Edition::parse(&args.lang)?;
    let catalog = lajna_i18n::Catalog::load();
    let (pdf, stamp) = pv::generate(&node, &catalog, &session, edition).await?;
    write_file(&out, &pdf)?;
    node.audit_operator("pv", &format!("{} session={session} lang={}", out.display(), edition.code()), "").await?;
    // A draft of minutes never written has no version yet.
    let version =
        if stamp.version.is_empty() { "no minutes yet".to_string() } else { format!("version {}", stamp.version) };
    println!("{} ({} bytes, minutes {}, {version})", out.display(), pdf.len(), stamp.state);
    Ok(ExitCode::SUCCESS)
}

async fn verify(args: VerifyArgs) -> Result<ExitCode> {
    let pdf = read_file(&args.file)?;
    let node = args.data.open().await?;
    let catalog = lajna_i18n::Catalog::load();
    let verdict = pv::verify(&node, &catalog, &pdf, args.session.as_deref()).await?;
    println!("{}: {verdict}", args.file.display());
    Ok(if verdict.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
