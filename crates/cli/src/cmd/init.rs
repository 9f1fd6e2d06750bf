//! `lajna init`: a new data directory, its keys and the committee's genesis, signed by both
//! party roots.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use lajna_domain::{Charter, Lang, LocalizedText, PartyCode, PartyInfo};
use lajna_ledger::SecretKey;
use lajna_node::{Config, Founding, Node, read_key};

use super::common::{NewDataArg, parse_pair, print_summary};

/// Arguments of `lajna init`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: NewDataArg,
    /// The two parties, ISO 3166 alpha-3 codes, e.g. MAR,MLI.
    #[arg(long, value_delimiter = ',', required = true)]
    parties: Vec<String>,
    /// Committee name in French.
    #[arg(long)]
    name_fr: Option<String>,
    /// Committee name in Arabic.
    #[arg(long)]
    name_ar: Option<String>,
    /// Committee name in English.
    #[arg(long)]
    name_en: Option<String>,
    /// Name of a party, as CODE=NAME (repeat for each party); defaults to the code.
    #[arg(long = "party-name", value_parser = parse_pair)]
    party_names: Vec<(String, String)>,
    /// Party root key file, as CODE=FILE (repeat). Missing roots are generated into
    /// DATA/keys/roots — move them offline afterwards.
    #[arg(long = "root", value_parser = parse_pair)]
    roots: Vec<(String, String)>,
    /// Parties this node writes for (a certified node key is made for each).
    #[arg(long, value_delimiter = ',', required = true)]
    node_party: Vec<String>,
}

/// Checks the input, then founds the committee; nothing is written before every check passed.
pub async fn run(args: Args) -> Result<ExitCode> {
    let Args { data, parties, name_fr, name_ar, name_en, party_names, roots, node_party } = args;
    let name = LocalizedText::parse(
        "name",
        &[
            (Lang::Ar, name_ar.as_deref().unwrap_or("")),
            (Lang::Fr, name_fr.as_deref().unwrap_or("")),
            (Lang::En, name_en.as_deref().unwrap_or("")),
        ],
    )
    .context("give the committee a name with --name-fr, --name-ar or --name-en")?;
    if parties.len() != 2 {
        bail!("--parties: name exactly the two parties of the committee, e.g. --parties MAR,MLI");
    }
    let names: BTreeMap<String, String> = party_names.into_iter().map(|(k, v)| (k.to_ascii_uppercase(), v)).collect();
    let mut infos = Vec::new();
    for p in &parties {
        let code = PartyCode::parse(p)
            .with_context(|| format!("--parties: {p:?} is not an ISO 3166 alpha-3 code like MAR"))?;
        let label = names.get(code.as_str()).cloned().unwrap_or_else(|| code.to_string());
        infos.push(PartyInfo {
            name: LocalizedText::tri("", &label, ""),
            forces: LocalizedText::tri("", &label, ""),
            code,
        });
    }
    infos.sort_by(|a, b| a.code.cmp(&b.code));
    let codes: Vec<String> = infos.iter().map(|p| p.code.to_string()).collect();
    let mut root_keys = BTreeMap::new();
    let mut generated = Vec::new();
    for (code, file) in roots {
        root_keys.insert(
            code.to_ascii_uppercase(),
            read_key(Path::new(&file)).with_context(|| format!("reading root key {file}"))?,
        );
    }
    for code in &codes {
        if !root_keys.contains_key(code) {
            root_keys.insert(code.clone(), SecretKey::generate()?);
            generated.push(code.clone());
        }
    }
    let node_party: Vec<String> = node_party.iter().map(|p| p.to_ascii_uppercase()).collect();
    if let Some(bad) = node_party.iter().find(|p| !codes.contains(p)) {
        bail!("--node-party {bad} is not one of --parties {}", codes.join(","));
    }
    let charter = Charter { name, parties: infos, languages: Lang::ALL.to_vec(), founded: None, purpose: None };
    let founding = Founding { charter, roots: root_keys, node_parties: node_party, keep_roots: !generated.is_empty() };
    let node = Node::init(&data.data, founding, Config::new(vec![])).await?;
    if !generated.is_empty() {
        println!(
            "generated root keys for {} in {}: move them offline, they certify node keys",
            generated.join(","),
            node.dir.keys().join("roots").display()
        );
    }
    print_summary(&node).await?;
    Ok(ExitCode::SUCCESS)
}
