//! `lajna`: the command-line entry point. Thin: parses arguments, sets up tracing, and calls
//! the node, store and web crates.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use lajna_domain::{Charter, Lang, LocalizedText, PartyCode, PartyInfo};
use lajna_ledger::SecretKey;
use lajna_node::{Config, Founding, Node, demo, read_key, write_key};

/// Lajna: the signed system of record of a bilateral joint defence-cooperation committee.
#[derive(Parser)]
#[command(name = "lajna", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Args, Clone)]
struct DataArg {
    /// Data directory (config.toml, lajna.sqlite, keys/).
    #[arg(long, default_value = "./lajna-data", env = "LAJNA_DATA")]
    data: PathBuf,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create a new data directory, its keys and the committee (genesis signed by both party roots).
    Init {
        #[command(flatten)]
        data: DataArg,
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
    },
    /// Build the demo committee of the founding article (Morocco–Mali, February 2025) and serve it.
    Demo {
        #[command(flatten)]
        data: DataArg,
        /// Build (or reuse) the data directory, print its summary, and exit without serving.
        #[arg(long)]
        no_serve: bool,
        /// When building a new demo, add this many more illustrative actions (for load tests).
        #[arg(long, default_value_t = 0)]
        extra_actions: usize,
        /// 1: one node writing for both parties (DIR). 2: two nodes of the same committee,
        /// DIR/mar and DIR/mli, in sync; served on --listen and the next port, syncing each other.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
        nodes: u8,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
    /// Serve a data directory over HTTP.
    Serve {
        #[command(flatten)]
        data: DataArg,
        /// Address to listen on (default: config.toml's `listen`).
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Check every event's signature, certificate and parents, and the projections against a
    /// rebuild. Prints `N events` and the state hash; exits 1 naming the first bad event.
    Verify {
        #[command(flatten)]
        data: DataArg,
    },
    /// List the events of the record, oldest first.
    Log {
        #[command(flatten)]
        data: DataArg,
        /// Show at most this many events.
        #[arg(long, default_value_t = 1000)]
        limit: i64,
        /// Print each event's full envelope as JSON.
        #[arg(long)]
        full: bool,
    },
    /// Rebuild the full-text index (DATA/index) from the record; prints how many records it holds.
    Reindex {
        #[command(flatten)]
        data: DataArg,
    },
    /// Full-text search in Arabic, French and English; prints ranked hits (id, kind, date, title).
    Search {
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
    },
    /// Refold the log into fresh projections (appends nothing) and print the state hash.
    Rebuild {
        #[command(flatten)]
        data: DataArg,
    },
    /// Export the whole state.
    Export {
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
    },
    /// Write the periodic report as PDF: cover, summary, one section per area, Gantt chart and
    /// an appendix on the record (a full verification is run for it).
    Report {
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
    },
    /// Import a follow-up matrix (XLSX or CSV; headers in Arabic, French or English). Without
    /// --apply, print what each row would do; with --apply, write it all or nothing. Exits 1
    /// when a row is refused (nothing is written then).
    Import {
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
    },
    /// Manage keys: party root keys and node-key certificates.
    Keys {
        #[command(subcommand)]
        command: KeysCmd,
    },
    /// Manage the users of this node (node-local: never sent to the other party).
    User {
        #[command(subcommand)]
        command: UserCmd,
    },
    /// Calendar feed URLs of a user (node-local): `new` prints the secret URL once, `list`, `revoke`.
    Feed {
        #[command(subcommand)]
        command: FeedCmd,
    },
    /// The committee's archive: documents with a marking (classification, releasability).
    Doc {
        #[command(subcommand)]
        command: DocCmd,
    },
    /// Sync with a peer node over HTTP: pull what this node lacks, push what the peer lacks.
    Sync {
        #[command(flatten)]
        data: DataArg,
        /// The peer's base URL, e.g. http://10.20.0.2:8080
        #[arg(long)]
        peer: String,
    },
    /// Carry events on a file when the link is down.
    Bundle {
        #[command(subcommand)]
        command: BundleCmd,
    },
    /// Start a node of an existing committee from a bundle (e.g. `bundle export --all`) and the
    /// party's root key, which certifies this node's new key.
    Join {
        #[command(flatten)]
        data: DataArg,
        /// A bundle holding the committee's events from its genesis.
        #[arg(long)]
        bundle: PathBuf,
        /// The party this node writes for.
        #[arg(long)]
        party: String,
        /// The party's root key file (used once, to certify this node's key; keep it offline).
        #[arg(long)]
        root: PathBuf,
        /// Peer URLs to sync with in the background (repeat).
        #[arg(long = "peer")]
        peers: Vec<String>,
    },
}

#[derive(Subcommand)]
enum BundleCmd {
    /// Write a bundle of what PARTY's node lacks (by its last known heads), or everything.
    Export {
        #[command(flatten)]
        data: DataArg,
        /// The party the bundle is for.
        #[arg(long = "for")]
        for_party: Option<String>,
        /// Every event, whatever the peer already has.
        #[arg(long)]
        all: bool,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Verify and import a bundle, all or nothing. Importing it twice changes nothing.
    Import {
        #[command(flatten)]
        data: DataArg,
        /// The bundle file.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create a user (or replace one). The password is read from standard input (first line).
    Add {
        #[command(flatten)]
        data: DataArg,
        /// Login name: 2–32 of a-z 0-9 . _ -
        username: String,
        /// Party code, e.g. MAR.
        #[arg(long)]
        party: String,
        /// co-chair, secretary, action-owner or viewer.
        #[arg(long)]
        role: String,
        /// Member record id, when the user is a member of the committee (co-chairs endorse as it).
        #[arg(long)]
        member: Option<String>,
        /// UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET (default: the role's: co-chair SECRET,
        /// secretary CONFIDENTIAL, action-owner RESTRICTED, viewer UNCLASSIFIED).
        #[arg(long)]
        clearance: Option<String>,
    },
    /// Change a user's clearance (written to the audit trail).
    SetClearance {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
        /// UNCLASSIFIED, RESTRICTED, CONFIDENTIAL or SECRET.
        clearance: String,
    },
    /// Change a user's role (written to the audit trail); the clearance is kept.
    SetRole {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
        /// co-chair, secretary, action-owner or viewer.
        role: String,
    },
    /// Change a user's password (read from standard input, first line).
    Passwd {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
    },
    /// Disable a user and end its sessions.
    Disable {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        username: String,
    },
    /// List the users.
    List {
        #[command(flatten)]
        data: DataArg,
    },
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("no password on standard input: pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | lajna user add ...`");
    }
    Ok(password)
}

async fn user(command: UserCmd) -> Result<ExitCode> {
    match command {
        UserCmd::Add { data, username, party, role, member, clearance } => {
            let node = Node::open(&data.data).await?;
            let password = read_password()?;
            node.put_user(&username, &party.to_ascii_uppercase(), &role, member.as_deref(), &password).await?;
            if let Some(c) = &clearance {
                node.set_clearance(&username, c).await?;
            }
            let row = node.store.user(&username).await?.context("the user was just saved")?;
            println!("user {username} ({}, {role}, clearance {}) saved", party.to_ascii_uppercase(), row.clearance);
        }
        UserCmd::SetClearance { data, username, clearance } => {
            let node = Node::open(&data.data).await?;
            node.set_clearance(&username, &clearance).await?;
            println!("clearance of {username} is now {}", clearance.to_ascii_uppercase());
        }
        UserCmd::SetRole { data, username, role } => {
            let node = Node::open(&data.data).await?;
            node.set_role(&username, &role).await?;
            println!("role of {username} is now {role}");
        }
        UserCmd::Passwd { data, username } => {
            let node = Node::open(&data.data).await?;
            node.set_password(&username, &read_password()?).await?;
            println!("password of {username} changed");
        }
        UserCmd::Disable { data, username } => {
            let node = Node::open(&data.data).await?;
            node.disable_user(&username).await?;
            println!("user {username} disabled; its sessions are ended");
        }
        UserCmd::List { data } => {
            let node = Node::open(&data.data).await?;
            for u in node.store.users().await? {
                println!(
                    "{:<20} {} {:<13} {:<12} {}",
                    u.username,
                    u.party,
                    u.role,
                    u.clearance,
                    if u.disabled { "disabled" } else { "active" }
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
enum FeedCmd {
    /// Create a calendar feed for a user; prints its path (`/calendar/TOKEN.ics`) once: the token
    /// is not stored, only its hash.
    New {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        #[arg(long)]
        user: String,
    },
    /// List a user's calendar feeds (id, created, revoked).
    List {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        #[arg(long)]
        user: String,
    },
    /// Revoke a user's calendar feed: its URL answers 404 from then on.
    Revoke {
        #[command(flatten)]
        data: DataArg,
        /// Login name.
        #[arg(long)]
        user: String,
        /// Feed id (see `lajna feed list`).
        id: i64,
    },
}

async fn feed(command: FeedCmd) -> Result<ExitCode> {
    match command {
        FeedCmd::New { data, user } => {
            let node = Node::open(&data.data).await?;
            let feed = node.create_feed(&user, "local").await?;
            println!("feed {} of {user}: {}", feed.id, lajna_node::feeds::feed_path(&feed.token));
            eprintln!("keep this path secret: anyone who has it reads the calendar; it cannot be shown again");
        }
        FeedCmd::List { data, user } => {
            let node = Node::open(&data.data).await?;
            for f in node.feeds(&user).await? {
                let state = f.revoked_at.map_or_else(|| "active".to_string(), |at| format!("revoked {at}"));
                println!("{:<6} created {}  {state}", f.id, f.created_at);
            }
        }
        FeedCmd::Revoke { data, user, id } => {
            let node = Node::open(&data.data).await?;
            if !node.revoke_feed(&user, id, "local").await? {
                bail!("{user} has no active calendar feed {id}; see `lajna feed list --user {user}`");
            }
            println!("feed {id} of {user} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run; boxing the arguments buys nothing")]
enum DocCmd {
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

async fn doc(command: DocCmd) -> Result<ExitCode> {
    use lajna_domain::records::Document;
    use lajna_domain::{Actor, Classification, Marking, Releasability};
    match command {
        DocCmd::Add {
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
            let node = Node::open(&data.data).await?;
            let language = Lang::parse(&language)?;
            let mut titles = [(Lang::Ar, title_ar), (Lang::Fr, title_fr), (Lang::En, title_en)];
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
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let upload = lajna_node::documents::Upload {
                bytes: &bytes,
                file_name: file.file_name().and_then(|n| n.to_str()).unwrap_or("document").to_string(),
                declared_type: None,
            };
            let user = match &user {
                Some(name) => Some(lajna_node::auth::User::from_row(
                    &node.store.user(name).await?.with_context(|| format!("no user {name:?} on this node"))?,
                )?),
                None => None,
            };
            let actor = match (&user, marking.releasable_to.only()) {
                (Some(u), _) => u.actor(),
                (None, Some(p)) => Actor { party: p.clone(), member: None },
                (None, None) => Actor {
                    party: PartyCode::parse(node.parties().first().context("this node writes for no party")?)?,
                    member: None,
                },
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
        DocCmd::List { data, user } => {
            let node = Node::open(&data.data).await?;
            let parties = node.parties_of_committee().await;
            let list = match &user {
                Some(name) => {
                    let row = node.store.user(name).await?.with_context(|| format!("no user {name:?} on this node"))?;
                    node.documents_for(&lajna_node::auth::User::from_row(&row)?).await
                }
                None => {
                    // The operator sees every document this node holds.
                    let all = lajna_node::auth::User {
                        username: "cli".into(),
                        party: PartyCode::parse(node.parties().first().context("this node writes for no party")?)?,
                        role: lajna_node::auth::Role::Viewer,
                        member: None,
                        clearance: Classification::Secret,
                    };
                    let mut list = Vec::new();
                    for p in node.parties() {
                        let u = lajna_node::auth::User { party: PartyCode::parse(&p)?, ..all.clone() };
                        for d in node.documents_for(&u).await {
                            if !list.iter().any(|x: &lajna_node::documents::DocumentView| x.id == d.id) {
                                list.push(d);
                            }
                        }
                    }
                    list
                }
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

#[derive(Subcommand)]
enum KeysCmd {
    /// Create a new party root key file (keep it offline) and print its public key.
    NewRoot {
        /// Where to write the secret key (created with mode 0600; never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Certify a new node key for a party with that party's root key, and record the certificate.
    Certify {
        #[command(flatten)]
        data: DataArg,
        /// Party code.
        #[arg(long)]
        party: String,
        /// The party's root key file.
        #[arg(long)]
        root: PathBuf,
        /// Where to write the new node key.
        #[arg(long)]
        out: PathBuf,
        /// A name for the node, for people.
        #[arg(long, default_value = "node")]
        label: String,
    },
    /// List root keys and certified node keys.
    List {
        #[command(flatten)]
        data: DataArg,
    },
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.to_string()))
        .ok_or_else(|| format!("expected CODE=VALUE, got {s:?}"))
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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Cmd::Init { data, parties, name_fr, name_ar, name_en, party_names, roots, node_party } => {
            init(&data.data, parties, [name_ar, name_fr, name_en], party_names, roots, node_party).await
        }
        Cmd::Demo { data, no_serve, listen, extra_actions, nodes: 2 } => {
            let _ = extra_actions;
            demo_pair(&data.data, no_serve, listen).await
        }
        Cmd::Demo { data, no_serve, listen, extra_actions, nodes: _ } => {
            let fresh = !data.data.join("config.toml").exists();
            let node = demo::build(&data.data)
                .await
                .with_context(|| format!("building the demo in {}", data.data.display()))?;
            if fresh && extra_actions > 0 {
                demo::add_actions(&node, extra_actions).await?;
            }
            print_summary(&node).await?;
            let (password, from_env) = demo::demo_password(&data.data)?;
            let users: Vec<&str> = demo::DEMO_USERS.iter().map(|(u, _, _)| *u).collect();
            println!("users {}", users.join(", "));
            if from_env {
                println!("password: the value of LAJNA_DEMO_PASSWORD");
            } else {
                println!("password {password} (kept in {})", data.data.join("demo-password").display());
            }
            if no_serve {
                return Ok(ExitCode::SUCCESS);
            }
            serve(node, listen).await
        }
        Cmd::Serve { data, listen } => {
            let node = Node::open(&data.data).await?;
            let listen = listen.unwrap_or(node.config.listen);
            serve(node, listen).await
        }
        Cmd::Verify { data } => {
            let node = Node::open(&data.data).await?;
            let report = node.store.verify().await?;
            if let Some((id, why)) = &report.problem {
                println!("FAILED after {} good events", report.events);
                println!("bad event {id}: {why}");
                return Ok(ExitCode::from(1));
            }
            println!("{} events", report.events);
            println!("state hash {}", report.rebuilt_hash);
            if report.rebuilt_hash != report.stored_hash {
                println!(
                    "FAILED: the stored projections (state hash {}) differ from a rebuild of the log; run `lajna rebuild`",
                    report.stored_hash
                );
                return Ok(ExitCode::from(1));
            }
            println!("ok: every signature, certificate and parent verified; projections match a rebuild");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Log { data, limit, full } => {
            use std::io::Write as _;
            let node = Node::open(&data.data).await?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for e in node.store.events_after(0, limit).await? {
                let written = if full {
                    writeln!(out, "{}", e.raw.envelope)
                } else {
                    writeln!(
                        out,
                        "{:>5}  L{:<5} {}  {}  {:<28} {}",
                        e.seq,
                        e.lamport,
                        e.at,
                        e.party,
                        e.kind,
                        &e.id[..16]
                    )
                };
                // A closed pipe (`lajna log | head`) is the reader's choice, not an error.
                if written.is_err() {
                    return Ok(ExitCode::SUCCESS);
                }
            }
            let _ = out.flush();
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Reindex { data } => {
            let node = Node::open(&data.data).await?;
            let n = node.reindex().await.context("rebuilding the search index (is `lajna serve` running on it?)")?;
            println!("{n} records indexed");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Search { data, user, lang, limit, query } => {
            let node = Node::open(&data.data).await?;
            let lang = Lang::parse(&lang).map_err(|_| anyhow::anyhow!("--lang must be ar, fr or en"))?;
            let access = match user {
                Some(name) => {
                    let row = node.store.user(&name).await?.with_context(|| format!("no user {name}"))?;
                    if row.disabled {
                        bail!("user {name} is disabled");
                    }
                    let user = lajna_node::auth::User::from_row(&row)?;
                    lajna_search::Access { party: user.party, clearance: user.clearance }
                }
                None => {
                    let party = node.parties().into_iter().next().context("this node writes for no party")?;
                    lajna_search::Access {
                        party: PartyCode::parse(&party)?,
                        clearance: lajna_domain::Classification::Unclassified,
                    }
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
        Cmd::Rebuild { data } => {
            let node = Node::open(&data.data).await?;
            let before = node.store.state_hash().await?;
            let after = node.store.rebuild().await?;
            println!("state hash {after}");
            if before != after {
                println!("(projections had state hash {before} before the rebuild)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Export { data, format, lang, out } => {
            let node = Node::open(&data.data).await?;
            let bytes = if format == "json" {
                (serde_json::to_string_pretty(&node.store.export().await?)? + "\n").into_bytes()
            } else {
                let lang = Lang::parse(&lang)?;
                let today = node.today();
                let rows = node.with_state(|s| lajna_outputs::rows(s, lang, today)).await;
                if format == "xlsx" {
                    lajna_outputs::to_xlsx(&rows, lang)?
                } else {
                    lajna_outputs::to_csv(&rows, lang)?
                }
            };
            if format == "xlsx" && out.is_none() {
                bail!("an XLSX file is binary: give --out FILE");
            }
            // Every export is audited (issue 6).
            let target = out.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "stdout".into());
            node.audit_operator("export", &format!("{format} {target}"), "").await?;
            match out {
                Some(path) => std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?,
                None if format == "xlsx" => bail!("an XLSX file is binary: give --out FILE"),
                None => {
                    use std::io::Write as _;
                    std::io::stdout().write_all(&bytes)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Report { data, lang, from, to, out } => {
            let node = Node::open(&data.data).await?;
            let lang = Lang::parse(&lang)?;
            let catalog = lajna_web::i18n::Catalog::load();
            let period = lajna_report::Period::parse(from.as_deref(), to.as_deref())?;
            let input = lajna_web::pages::report::input(&node, &catalog, lang, period).await?;
            let pdf = lajna_report::render(&input, lang)?;
            std::fs::write(&out, &pdf).with_context(|| format!("writing {}", out.display()))?;
            // Every report is audited (issue 6).
            node.audit_operator("report", &out.display().to_string(), "").await?;
            println!("{} ({} bytes)", out.display(), pdf.len());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Import { data, file, apply, user, lang } => import(&data.data, &file, apply, user.as_deref(), &lang).await,
        Cmd::Keys { command } => keys(command).await,
        Cmd::User { command } => user(command).await,
        Cmd::Feed { command } => feed(command).await,
        Cmd::Doc { command } => doc(command).await,
        Cmd::Sync { data, peer } => {
            let node = Node::open(&data.data).await?;
            let r = node.sync_with(&peer).await?;
            println!(
                "synced with {} ({}): {} events received, {} sent, {} refused",
                peer,
                r.peer_parties.join(","),
                r.received,
                r.sent,
                r.refused.len()
            );
            for (id, why) in &r.refused {
                println!("refused {id}: {why}");
            }
            if r.blobs_received + r.blobs_missing.len() > 0 {
                println!(
                    "document files: {} received, {} still missing (fetched again at the next sync)",
                    r.blobs_received,
                    r.blobs_missing.len()
                );
            }
            for (hash, why) in &r.blobs_missing {
                println!("file {hash} not received: {why}");
            }
            println!("state hash {}", node.store.state_hash().await?);
            Ok(if r.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Cmd::Bundle { command: BundleCmd::Export { data, for_party, all, out } } => {
            let node = Node::open(&data.data).await?;
            if for_party.is_none() && !all {
                bail!("say who the bundle is for with --for PARTY (only what it lacks), or --all");
            }
            let (bytes, n) =
                node.bundle_export(for_party.as_deref().map(str::to_ascii_uppercase).as_deref(), all).await?;
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            println!("{n} events written to {} ({} bytes)", out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bundle { command: BundleCmd::Import { data, file } } => {
            let node = Node::open(&data.data).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            match node.bundle_import(&bytes).await {
                Ok(r) => {
                    println!(
                        "bundle from {}: {} events, {} new, {} already here, {} document files",
                        r.from, r.events, r.applied, r.duplicates, r.blobs
                    );
                    println!("state hash {}", node.store.state_hash().await?);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("bundle refused, nothing imported: {e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Cmd::Join { data, bundle, party, root, peers } => {
            let bytes = std::fs::read(&bundle).with_context(|| format!("reading {}", bundle.display()))?;
            let root = read_key(&root)?;
            let node = lajna_node::join(&data.data, &bytes, &party.to_ascii_uppercase(), &root, peers).await?;
            print_summary(&node).await?;
            println!(
                "this node writes for {}; its key is certified in the record — sync to share it",
                node.own_party()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn init(
    data: &Path,
    parties: Vec<String>,
    [ar, fr, en]: [Option<String>; 3],
    party_names: Vec<(String, String)>,
    roots: Vec<(String, String)>,
    node_party: Vec<String>,
) -> Result<ExitCode> {
    let name = LocalizedText::parse(
        "name",
        &[
            (Lang::Ar, ar.as_deref().unwrap_or("")),
            (Lang::Fr, fr.as_deref().unwrap_or("")),
            (Lang::En, en.as_deref().unwrap_or("")),
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
    let node = Node::init(data, founding, Config::new(vec![])).await?;
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

/// `lajna import`: the row-by-row report, then (with `apply`) the write, all or nothing.
async fn import(data: &Path, file: &Path, apply: bool, user: Option<&str>, lang: &str) -> Result<ExitCode> {
    use lajna_outputs::import::Outcome;
    use lajna_web::pages::import::{outcome_code, row_details, summary};
    let node = Node::open(data).await?;
    let lang = Lang::parse(lang)?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let matrix = lajna_outputs::import::read(&bytes).with_context(|| format!("reading {}", file.display()))?;
    let importer = match user {
        None => lajna_node::import::Importer::Operator,
        Some(name) => lajna_node::import::Importer::User(node.user_for_import(name).await?),
    };
    let outcome = node.import_matrix(&importer, &matrix, apply).await?;
    let catalog = lajna_web::i18n::Catalog::load();
    // Fluent isolates arguments with U+2068/U+2069; a terminal shows them as noise.
    let plain = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
    for r in &outcome.plan.rows {
        let id = match &r.outcome {
            Outcome::Update { id, .. } | Outcome::Unchanged { id } => format!(" {}", &id[..id.len().min(16)]),
            _ => String::new(),
        };
        let outcome_word = plain(catalog.get(lang, &format!("import-outcome-{}", outcome_code(&r.outcome)), &[]));
        let details = row_details(&catalog, lang, &r.outcome).into_iter().map(plain).collect::<Vec<_>>().join(" ");
        println!("row {:>5}  {:<10} {}{id}  {details}", r.row, outcome_word, r.label);
    }
    println!("{}", plain(summary(&catalog, lang, &outcome.plan)));
    if !outcome.plan.is_clean() {
        println!("{}", plain(catalog.get(lang, "import-refused-nothing", &[])));
        return Ok(ExitCode::from(1));
    }
    if apply {
        println!("{} events written", outcome.written.len());
        println!("state hash {}", node.store.state_hash().await?);
    } else {
        println!("preview only: nothing written; run again with --apply to write");
    }
    Ok(ExitCode::SUCCESS)
}

async fn keys(command: KeysCmd) -> Result<ExitCode> {
    match command {
        KeysCmd::NewRoot { out } => {
            let key = SecretKey::generate()?;
            write_key(&out, &key)?;
            println!("root key written to {} (mode 0600); public key {}", out.display(), key.public());
        }
        KeysCmd::Certify { data, party, root, out, label } => {
            let node = Node::open(&data.data).await?;
            let root = read_key(&root)?;
            let id = node.certify(&party.to_ascii_uppercase(), &root, &out, &label).await?;
            println!("certified the node key in {} for {party}; certificate event {id}", out.display());
        }
        KeysCmd::List { data } => {
            let node = Node::open(&data.data).await?;
            let guard = node.store.lock().await;
            let trust = guard.trust();
            for p in trust.parties() {
                println!("{p} root {}", trust.root(&p).map(|k| k.to_hex()).unwrap_or_default());
            }
            drop(guard);
            for e in node.store.events_after(0, i64::MAX).await? {
                if e.kind == lajna_ledger::KEY_CERTIFIED_KIND {
                    let env: lajna_ledger::Envelope = serde_json::from_str(&e.raw.envelope)?;
                    println!(
                        "{} node {} ({})",
                        env.author.party,
                        env.body["node"].as_str().unwrap_or(""),
                        env.body["label"].as_str().unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn demo_pair(data: &Path, no_serve: bool, listen: SocketAddr) -> Result<ExitCode> {
    let (mut mar, mut mli) =
        demo::build_pair(data).await.with_context(|| format!("building the demo in {}", data.display()))?;
    for node in [&mar, &mli] {
        print_summary(node).await?;
    }
    let (password, from_env) = demo::demo_password(&data.join("mar"))?;
    let other = SocketAddr::new(listen.ip(), listen.port() + 1);
    println!(
        "users mar-* exist on the MAR node ({}, http://{listen}), mli-* on the MLI node ({}, http://{other}); password {}",
        data.join("mar").display(),
        data.join("mli").display(),
        if from_env { "from LAJNA_DEMO_PASSWORD".to_string() } else { password }
    );
    if no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    // Both addresses are taken before either node serves: a busy port fails the command.
    let (first_listener, second_listener) = (bind(listen).await?, bind(other).await?);
    mar.config.peers = vec![format!("http://{other}")];
    mli.config.peers = vec![format!("http://{listen}")];
    mar.config.sync_interval_seconds = 10;
    mli.config.sync_interval_seconds = 10;
    let second = tokio::spawn(serve_on(mli, second_listener));
    let first = serve_on(mar, first_listener).await;
    second.abort();
    first
}

async fn print_summary(node: &Node) -> Result<()> {
    let count = node.store.event_count().await?;
    let hash = node.store.state_hash().await?;
    let committee = node.store.committee().await.map(|c| c.to_hex()).unwrap_or_default();
    println!("data directory {}", node.dir.0.display());
    println!("committee {committee}");
    println!("{count} events");
    println!("state hash {hash}");
    Ok(())
}

async fn bind(listen: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}; is another server using it? choose another with --listen"))
}

async fn serve(node: Node, listen: SocketAddr) -> Result<ExitCode> {
    let listener = bind(listen).await?;
    serve_on(node, listener).await
}

async fn serve_on(node: Node, listener: tokio::net::TcpListener) -> Result<ExitCode> {
    let addr = listener.local_addr()?;
    println!("serving {} on http://{addr}/ar/ (also /fr/ and /en/); press Ctrl-C to stop", node.parties().join("+"));
    let node = Arc::new(node);
    if !node.config.peers.is_empty() {
        let syncing = node.clone();
        tokio::spawn(async move {
            let every = std::time::Duration::from_secs(syncing.config.sync_interval_seconds.max(1));
            loop {
                tokio::time::sleep(every).await;
                for peer in &syncing.config.peers {
                    match syncing.sync_with(peer).await {
                        Ok(r) if r.received + r.sent > 0 => {
                            tracing::info!(peer, received = r.received, sent = r.sent, "synced")
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(peer, error = %e, "sync failed; will retry"),
                    }
                }
            }
        });
    }
    lajna_web::serve(node, listener, shutdown()).await?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
