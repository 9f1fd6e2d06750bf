//! `lajna export`: the whole state as JSON, or the follow-up matrix as XLSX or CSV. Every
//! export is an audit line (issue 6).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use lajna_domain::Lang;

use super::common::{DataArg, write_file};

/// Arguments of `lajna export`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// Output format: the whole state as JSON, or the follow-up matrix as XLSX or CSV.
    #[arg(long, value_parser = ["json", "xlsx", "csv"], default_value = "json")]
    format: String,
    /// Language of the matrix headers and texts (xlsx, csv).
    #[arg(long, value_parser = ["ar", "fr", "en"], default_value = "fr")]
    lang: String,
    /// Output file (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Writes the export to `--out` or standard output (XLSX only to a file: it is binary).
pub async fn run(args: Args) -> Result<ExitCode> {
    let Args { data, format, lang, out } = args;
    let node = data.open().await?;
    let bytes = if format == "json" {
        (serde_json::to_string_pretty(&node.export().await?)? + "\n").into_bytes()
    } else {
        let lang = Lang::parse(&lang)?;
        let today = node.today();
        let rows = lajna_outputs::rows(&*node.read_all().await, lang, today);
        if format == "xlsx" { lajna_outputs::to_xlsx(&rows, lang)? } else { lajna_outputs::to_csv(&rows, lang)? }
    };
    // Refused before the audit line, so a refused export is not recorded as one.
    if format == "xlsx" && out.is_none() {
        bail!("an XLSX file is binary: give --out FILE");
    }
    let target = out.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "stdout".into());
    node.audit_operator("export", &format!("{format} {target}"), "").await?;
    match out {
        Some(path) => write_file(&path, &bytes)?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}
