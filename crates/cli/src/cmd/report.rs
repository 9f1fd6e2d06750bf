//! `lajna report`: the periodic report as PDF. Every report is an audit line (issue 6).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use lajna_domain::Lang;

use super::common::{DataArg, write_file};

/// Arguments of `lajna report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// Language of the report: Arabic (right to left), French or English.
    #[arg(long, value_parser = ["ar", "fr", "en"], default_value = "fr")]
    lang: String,
    /// First day of the period (YYYY-MM-DD): actions due before it are left out.
    #[arg(long)]
    from: Option<String>,
    /// Last day of the period (YYYY-MM-DD): actions starting after it are left out.
    #[arg(long)]
    to: Option<String>,
    /// Output file (PDF).
    #[arg(long)]
    out: PathBuf,
}

/// Renders the report to `--out` and prints its path and size.
pub async fn run(args: Args) -> Result<ExitCode> {
    let Args { data, lang, from, to, out } = args;
    let node = data.open().await?;
    let lang = Lang::parse(&lang)?;
    let catalog = lajna_i18n::Catalog::load();
    let period = lajna_report::Period::parse(from.as_deref(), to.as_deref())?;
    let input = lajna_report::gather(&node, None, &catalog, lang, period).await?;
    let pdf = lajna_report::render(&input, lang)?;
    write_file(&out, &pdf)?;
    node.audit_operator("report", &out.display().to_string(), "").await?;
    println!("{} ({} bytes)", out.display(), pdf.len());
    Ok(ExitCode::SUCCESS)
}
