//! `lajna search`: full-text search in Arabic, French and English, under the same access rule
//! as the web pages (a user's party and clearance).

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use lajna_domain::Lang;

use super::common::{DataArg, first_party};

/// Arguments of `lajna search`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// Search as this user (their party and clearance); without it, as the node's first party
    /// with UNCLASSIFIED clearance.
    #[arg(long)]
    user: Option<String>,
    /// Language of titles and snippets: ar, fr or en.
    #[arg(long, default_value = "fr")]
    lang: String,
    /// Number of hits to print.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// The query: words in any form (with or without hamza, diacritics, accents, article…).
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
}

/// Prints the number of results, then the ranked hits (id, kind, date, title).
pub async fn run(args: Args) -> Result<ExitCode> {
    let Args { data, user, lang, limit, query } = args;
    let node = data.open().await?;
    let lang = Lang::parse(&lang).map_err(|_| anyhow::anyhow!("--lang must be ar, fr or en"))?;
    let access = match user {
        Some(name) => {
            let row = node.user_row(&name).await?.with_context(|| format!("no user {name}"))?;
            if row.disabled {
                bail!("user {name} is disabled");
            }
            let user = lajna_node::auth::user_of_row(&row)?;
            lajna_search::Access { party: user.party, clearance: user.clearance }
        }
        None => {
            lajna_search::Access { party: first_party(&node)?, clearance: lajna_domain::Classification::Unclassified }
        }
    };
    let page = node.search(&query.join(" "), &access, lang, limit.max(1), 0).await?;
    println!("{} results", page.total);
    for (i, hit) in page.hits.iter().enumerate() {
        let date = hit.date.as_deref().unwrap_or("-");
        println!("{:>3}. {:.3}  {}  {}  {date}  {}", i + 1, hit.score, hit.kind, hit.id, hit.title);
    }
    Ok(ExitCode::SUCCESS)
}
