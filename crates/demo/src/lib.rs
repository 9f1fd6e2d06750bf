//! The demo committee: the Morocco–Mali joint military committee of experts as reported by
//! the founding article (`shared/corpus/000_fac40ccd7e41eb5b.txt`, copied beside this crate),
//! plus an illustrative roadmap. The committee is data, `committee.toml`: facts from the
//! article are plain records; everything the article does not state is marked
//! `illustrative = true` there and shown as such on screen. `small.toml` is a committee of a
//! few records for tests that need no more.
//!
//! This crate reads a data file ([`Demo`]) and builds a node from it ([`build`], [`build_from`],
//! the two-node [`build_pair`]), with the demo's users ([`DEMO_USERS`]). It is used by
//! `lajna demo` and by the tests; `lajna-node` knows nothing of it.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::{Date, date};
use lajna_domain::records::{Action, Area, Member, Roadmap};
use lajna_domain::values::{ActionStatus, PartyCode, Progress};
use lajna_domain::{Actor, Charter, Command, LocalizedText as T, RecordKind};
use lajna_ledger::SecretKey;
use lajna_node::documents::Upload;
use lajna_node::{Config, Founding, Node, NodeError};

mod data;

pub use data::{Demo, LoadError};
use data::{Keys, Planned};

/// The founding article, byte for byte as published (Africa4Press, Arabic, UTF-8).
pub const ARTICLE: &str = include_str!("../000_fac40ccd7e41eb5b.txt");

/// The demo committee's data file, `committee.toml` (read by [`committee`]).
pub const COMMITTEE: &str = include_str!("../committee.toml");

/// A committee of a few records, `small.toml` (read by [`small`]): the same charter, two
/// members, two areas, a session, a roadmap with three actions, and nothing else. For tests
/// whose assertions need no more than that.
pub const SMALL: &str = include_str!("../small.toml");

/// The demo's fixed reference date for "overdue" and "due soon", so its figures never drift.
pub const REFERENCE_DATE: Date = date(2025, 10, 1);

/// Why the demo could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The data file cannot be read as a demo (names the file, the step and the field).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The node refused: [`NodeError::AlreadyInitialised`] when the directory holds another
    /// committee, IO, keys, the store, or a command of the data file that the domain refused.
    #[error(transparent)]
    Node(#[from] NodeError),
}

impl From<lajna_store::StoreError> for DemoError {
    fn from(e: lajna_store::StoreError) -> Self {
        Self::Node(e.into())
    }
}

/// The demo committee, read from `committee.toml`.
///
/// # Errors
/// [`LoadError`] if the file was edited into something that is not a demo.
pub fn committee() -> Result<Demo, LoadError> {
    Demo::parse("committee.toml", COMMITTEE)
}

/// The small committee, read from `small.toml`.
///
/// # Errors
/// [`LoadError`] if the file was edited into something that is not a demo.
pub fn small() -> Result<Demo, LoadError> {
    Demo::parse("small.toml", SMALL)
}

/// The charter of the demo committee (facts of the article), from `committee.toml`.
///
/// # Panics
/// If `committee.toml` does not read, which this crate's tests rule out for the committed file.
#[must_use]
pub fn charter() -> Charter {
    match committee() {
        Ok(demo) => demo.charter().clone(),
        Err(e) => panic!("the embedded committee.toml reads: {e}"),
    }
}

fn party(code: &str) -> PartyCode {
    PartyCode::parse(code).unwrap_or_else(|_| unreachable!("static party code"))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> NodeError + '_ {
    move |cause| NodeError::Io { path: path.to_path_buf(), cause }
}

/// Builds the demo committee (`committee.toml`) in `path`, or reopens it when `path` already
/// holds a demo.
///
/// # Errors
/// As [`build_from`].
pub async fn build(path: &Path) -> Result<Node, DemoError> {
    build_from(path, &committee()?).await
}

/// Builds the committee of `demo` in `path` — genesis signed by both party roots, which are
/// kept in `DATA/keys/roots`; one node writing for both parties; every step of the data file
/// in order; the demo's users — or reopens `path` when it already holds a demo (whichever).
///
/// # Errors
/// [`NodeError::AlreadyInitialised`] when `path` holds a committee that is not a demo; any
/// error of [`Node::init`], [`Node::execute`] or [`Node::register_document`] (the partial
/// directory is then removed).
pub async fn build_from(path: &Path, demo: &Demo) -> Result<Node, DemoError> {
    let config_path = path.join("config.toml");
    if config_path.exists() {
        let config = Config::load(&config_path)?;
        if !config.demo {
            return Err(NodeError::AlreadyInitialised { path: path.to_path_buf() }.into());
        }
        let node = Node::open(path).await?;
        // A password given in the environment replaces the demo users' one on every run.
        if demo_password(path)?.1 {
            demo_users(&node).await?;
        }
        return Ok(node);
    }
    let created = !path.exists();
    let result = build_new(path, demo).await;
    if result.is_err() && created {
        let _ = std::fs::remove_dir_all(path);
    }
    result
}

async fn build_new(path: &Path, demo: &Demo) -> Result<Node, DemoError> {
    let mut roots = BTreeMap::new();
    for p in &demo.charter().parties {
        roots.insert(p.code.to_string(), SecretKey::generate().map_err(NodeError::from)?);
    }
    let mut config = Config::new(vec![]);
    config.demo = true;
    config.reference_date = Some(REFERENCE_DATE);
    // Its users sign in with a password only (anyone may still turn two-factor on).
    config.totp_required_roles = vec![];
    let founding = Founding {
        charter: demo.charter().clone(),
        node_parties: roots.keys().cloned().collect(),
        roots,
        keep_roots: true,
    };
    let node = Node::init(path, founding, config).await?;
    seed(&node, demo).await?;
    demo_users(&node).await?;
    Ok(node)
}

/// Runs the steps of `demo` on `node`, in order; each record created under a key is then
/// known by its id to the steps below.
async fn seed(node: &Node, demo: &Demo) -> Result<(), DemoError> {
    let mut keys = Keys::new();
    for step in demo.steps() {
        let id = match step.plan(&keys)? {
            Planned::Command(actor, command) => {
                let ids = node.execute(&actor, &command).await?;
                ids.last().map(|i| i.to_hex()).unwrap_or_default()
            }
            Planned::Document(actor, document, file) => {
                let upload = Upload { bytes: &file.bytes, file_name: file.name, declared_type: file.media_type };
                node.register_document(None, &actor, &upload, *document).await?
            }
        };
        if let Some((key, kind)) = step.defines()? {
            keys.insert(key, (kind, id));
        }
    }
    Ok(())
}

/// The demo's users, one per party and role. Their password is `LAJNA_DEMO_PASSWORD` when set,
/// else one generated at the first run and kept in `DATA/demo-password` (mode 0600).
/// Clearance follows the role (issue 6): co-chairs SECRET, secretaries CONFIDENTIAL, action
/// owners RESTRICTED, viewers UNCLASSIFIED.
pub const DEMO_USERS: [(&str, &str, &str); 8] = [
    ("mar-cochair", "MAR", "co-chair"),
    ("mar-secretary", "MAR", "secretary"),
    ("mar-owner", "MAR", "action-owner"),
    ("mar-viewer", "MAR", "viewer"),
    ("mli-cochair", "MLI", "co-chair"),
    ("mli-secretary", "MLI", "secretary"),
    ("mli-owner", "MLI", "action-owner"),
    ("mli-viewer", "MLI", "viewer"),
];

/// The demo password: `LAJNA_DEMO_PASSWORD`, else the one kept in `DATA/demo-password`, else a
/// new one (written there). Returns the password and whether it came from the environment.
///
/// # Errors
/// IO errors on the password file ([`NodeError::Io`]); no random bytes ([`NodeError::Ledger`]).
pub fn demo_password(path: &Path) -> Result<(String, bool), DemoError> {
    if let Ok(p) = std::env::var("LAJNA_DEMO_PASSWORD")
        && !p.is_empty()
    {
        return Ok((p, true));
    }
    let file = path.join("demo-password");
    if let Ok(p) = std::fs::read_to_string(&file) {
        return Ok((p.trim().to_string(), false));
    }
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| NodeError::Ledger(lajna_ledger::LedgerError::Random(e.to_string())))?;
    // 24 hex digits: easy to type, 96 bits.
    let password = hex::encode(bytes);
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&file).map_err(io(&file))?;
    f.write_all(format!("{password}\n").as_bytes()).map_err(io(&file))?;
    Ok((password, false))
}

/// Creates (or resets the password of) the demo users of the parties this node writes for;
/// co-chairs and secretaries are linked to their member records.
///
/// # Errors
/// As [`Node::put_user`] and [`demo_password`].
pub async fn demo_users(node: &Node) -> Result<(), DemoError> {
    let (password, _) = demo_password(&node.dir.0)?;
    let members = node.read_all().await.all::<Member>(RecordKind::Member);
    for (username, party, role) in DEMO_USERS {
        if !node.config.parties.iter().any(|p| p == party) {
            continue; // a party's users live on that party's node only
        }
        let member =
            members.iter().find(|(_, m)| m.party.as_str() == party && m.role.code() == role).map(|(id, _)| id.as_str());
        node.put_user(username, party, role, member, &password).await?;
    }
    Ok(())
}

/// A minimal valid one-page PDF showing `lines` (ASCII) in Helvetica: the demo's attachments
/// are generated here so that no binary file is committed.
#[must_use]
pub fn tiny_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 56 780 Td 16 TL\n");
    for line in lines {
        let escaped: String = line
            .chars()
            .filter(char::is_ascii)
            .flat_map(|c| if matches!(c, '(' | ')' | '\\') { vec!['\\', c] } else { vec![c] })
            .collect();
        content.push_str(&format!("({escaped}) Tj T*\n"));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    pdf.into_bytes()
}

/// The stated reason of a generated action that is delayed, blocked or cancelled (the same
/// words as the actions of `committee.toml` in those statuses).
fn demo_reason(status: ActionStatus) -> Option<T> {
    match status {
        ActionStatus::Delayed => Some(T::tri(
            "إجراءات الاقتناء أطول من المتوقع (مثال)",
            "Procédure d'acquisition plus longue que prévu (exemple)",
            "Procurement took longer than planned (example)",
        )),
        ActionStatus::Blocked => Some(T::tri(
            "في انتظار تسليم المعدات (مثال)",
            "En attente de la livraison des équipements (exemple)",
            "Awaiting delivery of the equipment (example)",
        )),
        ActionStatus::Cancelled => Some(T::tri(
            "ألغي بقرار من اللجنة (مثال)",
            "Annulée par décision de la commission (exemple)",
            "Cancelled by decision of the committee (example)",
        )),
        _ => None,
    }
}

/// Adds `count` more illustrative actions to the demo's roadmap (spread over the areas, owners
/// and statuses, some overdue), for load tests and page-weight measurements at scale. Does
/// nothing on a committee without a roadmap.
///
/// # Errors
/// As [`Node::execute`].
pub async fn add_actions(node: &Node, count: usize) -> Result<(), DemoError> {
    let s = node.read_all().await;
    let roadmap = s.all::<Roadmap>(RecordKind::Roadmap).into_iter().next().map(|(id, _)| id);
    let mut areas = s.all::<Area>(RecordKind::Area);
    areas.sort_by_key(|(_, a)| a.ordinal);
    let areas = areas.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
    let Some(roadmap) = roadmap else { return Ok(()) };
    for n in 0..count {
        let owner = if n % 2 == 0 { "MAR" } else { "MLI" };
        let status = ActionStatus::ALL[n % ActionStatus::ALL.len()];
        let progress = match status {
            ActionStatus::Done => 100,
            ActionStatus::Planned | ActionStatus::Cancelled => 0,
            _ => (n * 7 % 95) as i64,
        };
        let start = date(2025, 3, 1).checked_add(jiff::Span::new().days((n % 200) as i64)).unwrap_or(date(2025, 3, 1));
        let due = start.checked_add(jiff::Span::new().days(30 + (n % 120) as i64)).unwrap_or(start);
        let action = Action {
            roadmap: roadmap.clone(),
            area: areas[n % areas.len()].clone(),
            title: T::tri(
                &format!("إجراء توضيحي رقم {}", n + 1),
                &format!("Action d'exemple n° {}", n + 1),
                &format!("Example action no. {}", n + 1),
            ),
            owner: party(owner),
            unit: T::tri("وحدة (مثال)", "Unité (exemple)", "Unit (example)"),
            lead: None,
            start,
            due,
            status,
            progress: Progress::new(progress).map_err(NodeError::from)?,
            weight: None,
            indicator: None,
            decision: None,
            reason: demo_reason(status),
            completed: None,
            illustrative: true,
        };
        node.execute(&Actor { party: party(owner), member: None }, &Command::PlanAction(action)).await?;
    }
    Ok(())
}

/// Builds the demo as two nodes of the same committee, already in sync: `DIR/mar` writes for
/// Morocco and `DIR/mli` for Mali, each with its own certified node key and its party's users.
/// The party root keys go to `DIR/roots` (a real deployment keeps them offline). Reopens the two
/// nodes when `DIR` already holds them.
///
/// # Errors
/// As [`build`]; IO errors while splitting the directory.
pub async fn build_pair(dir: &Path) -> Result<(Node, Node), DemoError> {
    let (mar_dir, mli_dir) = (dir.join("mar"), dir.join("mli"));
    if mar_dir.join("config.toml").exists() && mli_dir.join("config.toml").exists() {
        return Ok((Node::open(&mar_dir).await?, Node::open(&mli_dir).await?));
    }
    let created = !dir.exists();
    let result = split_pair(dir, &mar_dir, &mli_dir).await;
    if result.is_err() && created {
        let _ = std::fs::remove_dir_all(dir);
    }
    result
}

/// Builds the one-node demo in `mar_dir`, then gives its Malian key, config and shared events
/// to a new node in `mli_dir`. The stores are opened as files (`lajna_store::Store`) while no
/// node holds them, as `lajna join` would find them.
async fn split_pair(dir: &Path, mar_dir: &Path, mli_dir: &Path) -> Result<(Node, Node), DemoError> {
    let full = build(mar_dir).await?;
    // The Malian node: its own directory, its key, the same events received one by one.
    std::fs::create_dir_all(mli_dir.join("keys")).map_err(io(mli_dir))?;
    std::fs::create_dir_all(mli_dir.join("blobs")).map_err(io(mli_dir))?;
    std::fs::rename(full.dir.node_key("MLI"), mli_dir.join("keys/node-MLI.key")).map_err(io(mli_dir))?;
    // The files of the shared documents are not copied: the Malian node fetches them from the
    // Moroccan one at its first sync (`GET /sync/v1/blobs/{hash}`), like any peer.
    if mar_dir.join("demo-password").exists() {
        std::fs::copy(mar_dir.join("demo-password"), mli_dir.join("demo-password")).map_err(io(mli_dir))?;
    }
    let mut config = full.config.clone();
    config.parties = vec!["MLI".into()];
    config.save(&mli_dir.join("config.toml"))?;
    // The Moroccan node keeps only its own key; the roots leave both nodes.
    let mut config = full.config.clone();
    config.parties = vec!["MAR".into()];
    config.save(&mar_dir.join("config.toml"))?;
    let roots = dir.join("roots");
    std::fs::rename(mar_dir.join("keys/roots"), &roots).map_err(io(&roots))?;
    drop(full);
    let mar_store = lajna_store::Store::open(&mar_dir.join("lajna.sqlite")).await?;
    let mli_store = lajna_store::Store::open(&mli_dir.join("lajna.sqlite")).await?;
    for e in mar_store.events_after(0, i64::MAX).await? {
        mli_store.lock().await.receive(&e.raw).await?;
    }
    // Each knows the other holds what it holds: bundles carry only what is new.
    let heads = mar_store.heads().await;
    mar_store.record_exchange("MLI", Some(&heads), "demo", 0, 0, None, None).await?;
    mli_store.record_exchange("MAR", Some(&heads), "demo", 0, 0, None, None).await?;
    // The Malian users were made on the Moroccan node, which no longer writes for Mali.
    for (username, party, _) in DEMO_USERS {
        if party != "MAR" {
            mar_store.delete_user(username).await?;
        }
    }
    mar_store.close().await;
    mli_store.close().await;
    let mar = Node::open(mar_dir).await?;
    let mli = Node::open(mli_dir).await?;
    for node in [&mar, &mli] {
        demo_users(node).await?;
    }
    Ok((mar, mli))
}
