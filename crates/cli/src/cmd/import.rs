//! `lajna import`: a follow-up matrix (XLSX or CSV), row by row: a preview by default, and with
//! `--apply` the write, all or nothing. Exit code 1 when a row is refused.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use lajna_domain::Lang;
use lajna_i18n::Catalog;
use lajna_node::import::Importer;
use lajna_outputs::import::Outcome;
use lajna_outputs::import_report::{outcome_code, row_details, summary};

use super::common::{DataArg, print_state_hash, read_file};

/// Arguments of `lajna import`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// The matrix file.
    file: PathBuf,
    /// Write the changes (signed events); without it, only the report is printed.
    #[arg(long)]
    apply: bool,
    /// Import as this user (role and party rules apply to every row). Default: the node's
    /// operator, who writes each row for the party owning the action, with that party's
    /// node key, as `lajna demo` does.
    #[arg(long)]
    user: Option<String>,
    /// Language of the report.
    #[arg(long, value_parser = ["ar", "fr", "en"], default_value = "en")]
    lang: String,
}

/// Prints the row-by-row report, then (with `--apply`) writes every row or none.
pub async fn run(args: Args) -> Result<ExitCode> {
    let Args { data, file, apply, user, lang } = args;
    let node = data.open().await?;
    let lang = Lang::parse(&lang)?;
    let bytes = read_file(&file)?;
    let matrix = lajna_outputs::import::read(&bytes).with_context(|| format!("reading {}", file.display()))?;
    let importer = match user {
        None => Importer::Operator,
        Some(name) => Importer::User(node.user_for_import(&name).await?),
    };
    let outcome = node.import_matrix(&importer, &matrix, apply).await?;
    let catalog = Catalog::load();
    // Fluent isolates arguments with U+2068/U+2069; a terminal shows them as noise.
    let plain = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
    for r in &outcome.plan.rows {
        let id = match &r.outcome {
            Outcome::Update { id, .. } | Outcome::Unchanged { id } => format!(" {}", &id[..id.len().min(16)]),
            _ => String::new(),
        };
        let outcome_word = plain(catalog.get(lang, &format!("import-outcome-{}", outcome_code(&r.outcome)), &[]));
        let details = row_details(&catalog, lang, r).into_iter().map(plain).collect::<Vec<_>>().join(" ");
        println!("row {:>5}  {:<10} {}{id}  {details}", r.row, outcome_word, r.label);
    }
    println!("{}", plain(summary(&catalog, lang, &outcome.plan)));
    if !outcome.plan.is_clean() {
        println!("{}", plain(catalog.get(lang, "import-refused-nothing", &[])));
        return Ok(ExitCode::from(1));
    }
    if apply {
        println!("{} events written", outcome.written.len());
        print_state_hash(&node).await?;
    } else {
        println!("preview only: nothing written; run again with --apply to write");
    }
    Ok(ExitCode::SUCCESS)
}
