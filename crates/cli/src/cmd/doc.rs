//! `lajna doc`: the committee's archive, documents with a marking (classification,
//! releasability). The marking rule is the node's (`documents::may_see`), as on the web pages.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use lajna_domain::records::Document;
use lajna_domain::{Actor, Classification, Lang, LocalizedText, Marking, PartyCode, Releasability};
use lajna_node::Node;
use lajna_node::auth::{Role, User};
use lajna_node::documents::{DocumentView, Upload};

use super::common::{DataArg, first_party, read_file};

/// Arguments of `lajna doc`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands of `lajna doc`.
#[derive(clap::Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run; boxing the arguments buys nothing")]
enum Command {
    /// Register a document file (PDF, DOCX, ODT, PNG, JPEG or plain text; the type is checked
    /// from the content). Stored once under its BLAKE3 hash in DATA/blobs.
    Add {
        #[command(flatten)]
        data: DataArg,
        /// The file.
        file: PathBuf,
        /// Title in the document's language (--language).
        #[arg(long)]
        title: Option<String>,
        /// Title in Arabic.
        #[arg(long)]
        title_ar: Option<String>,
        /// Title in French.
        #[arg(long)]
        title_fr: Option<String>,
        /// Title in English.
        #[arg(long)]
        title_en: Option<String>,
        /// Language of the document: ar, fr or en.
        #[arg(long, value_parser = ["ar", "fr", "en"], default_value = "fr")]
        language: String,
        /// Date of the document, e.g. 2025-02-14.
        #[arg(long)]
        date: Option<String>,
        /// UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET.
        #[arg(long, default_value = "UNCLASSIFIED")]
        classification: String,
        /// MAR+MLI (both parties) or one party, e.g. MAR (that party's private log only).
        #[arg(long, default_value = "both")]
        releasable_to: String,
        /// Id of a mission, session, decision or action it belongs to (repeat).
        #[arg(long = "link")]
        links: Vec<String>,
        /// Register as this user of the node (its role, party and clearance rules apply).
        #[arg(long)]
        user: Option<String>,
    },
    /// List the documents (with --user: only those that user may see).
    List {
        #[command(flatten)]
        data: DataArg,
        /// Show only what this user may see.
        #[arg(long)]
        user: Option<String>,
    },
}

/// Runs `doc add` or `doc list`.
pub async fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Add {
            data,
            file,
            title,
            title_ar,
            title_fr,
            title_en,
            language,
            date,
            classification,
            releasable_to,
            links,
            user,
        } => {
            let node = data.open().await?;
            let language = Lang::parse(&language)?;
            let mut titles = [(Lang::Ar, title_ar), (Lang::Fr, title_fr), (Lang::En, title_en)];
            // --title fills the document's own language unless that one was given explicitly.
            if let Some(t) = title {
                for (l, slot) in &mut titles {
                    if *l == language && slot.is_none() {
                        *slot = Some(t.clone());
                    }
                }
            }
            let pairs: Vec<(Lang, &str)> = titles.iter().map(|(l, t)| (*l, t.as_deref().unwrap_or(""))).collect();
            let marking = Marking {
                classification: Classification::parse(&classification)?,
                releasable_to: Releasability::parse(&releasable_to)?,
            };
            let document = Document {
                title: LocalizedText::parse("title", &pairs)?,
                language,
                date: date.as_deref().map(str::parse).transpose().context("--date: use a date like 2025-02-14")?,
                marking: marking.clone(),
                blake3: String::new(),
                media_type: String::new(),
                size: 0,
                file_name: String::new(),
                links,
                illustrative: false,
            };
            let bytes = read_file(&file)?;
            let upload = Upload {
                bytes: &bytes,
                file_name: file.file_name().and_then(|n| n.to_str()).unwrap_or("document").to_string(),
                declared_type: None,
            };
            let user = match &user {
                Some(name) => Some(node_user(&node, name).await?),
                None => None,
            };
            // The operator writes a one-party document for that party, any other for the first.
            let actor = match (&user, marking.releasable_to.only()) {
                (Some(u), _) => u.actor(),
                (None, Some(p)) => Actor { party: p.clone(), member: None },
                (None, None) => Actor { party: first_party(&node)?, member: None },
            };
            let id = node.register_document(user.as_ref(), &actor, &upload, document).await?;
            match &user {
                Some(u) => {
                    node.audit_as(u, "document-added", &classification.to_ascii_uppercase(), &id, "local").await?
                }
                None => node.audit_operator("document-added", &classification.to_ascii_uppercase(), &id).await?,
            }
            let private = if marking.is_private() { " (private log)" } else { "" };
            println!("document {id} registered{private}");
        }
        Command::List { data, user } => {
            let node = data.open().await?;
            let parties = node.parties_of_committee().await;
            let list = match &user {
                Some(name) => node.documents_for(&node_user(&node, name).await?).await,
                None => every_document(&node).await?,
            };
            for v in list {
                let label =
                    Marking::banner([&v.document.marking], &parties).unwrap_or_else(|| "UNCLASSIFIED".to_string());
                println!(
                    "{}  {:<28} {:<16} {:>9}  {}",
                    v.id,
                    label,
                    v.document.media_type.rsplit('/').next().unwrap_or_default(),
                    v.document.size,
                    v.document.title.show(Lang::Fr)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A user of this node, by login name.
async fn node_user(node: &Node, name: &str) -> Result<User> {
    let row = node.user_row(name).await?.with_context(|| format!("no user {name:?} on this node"))?;
    Ok(lajna_node::auth::user_of_row(&row)?)
}

/// The operator sees every document this node holds: those a SECRET-cleared viewer of each of
/// its parties may see (a party's private documents are in that party's log only), each once.
async fn every_document(node: &Node) -> Result<Vec<DocumentView>> {
    let all = User {
        username: "cli".into(),
        party: first_party(node)?,
        role: Role::Viewer,
        member: None,
        clearance: Classification::Secret,
    };
    let mut list: Vec<DocumentView> = Vec::new();
    for p in node.parties() {
        let u = User { party: PartyCode::parse(&p)?, ..all.clone() };
        for d in node.documents_for(&u).await {
            if !list.iter().any(|x| x.id == d.id) {
                list.push(d);
            }
        }
    }
    Ok(list)
}
