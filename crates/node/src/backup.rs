//! Backups and restores of a data directory (DESIGN.md §9: "backups are online, consistent and
//! verified before they are called done; restores verify first").
//!
//! A backup is one zip file:
//! ```text
//! lajna-backup.json   manifest: format, when, committee (genesis id), what is left out
//! lajna.sqlite        a consistent snapshot of the live database (SQLite `VACUUM INTO`)
//! config.toml         the node's settings in use (`Node::config_file`: DATA/config.toml or --config)
//! blobs/ab/cdef…      every document file, under its BLAKE3
//! ```
//! The node keys (`DATA/keys/`) are never in it: a backup file travels and is kept in places a
//! signing key must not be. [`backup`] writes the zip under a temporary name beside the target,
//! unpacks it again and checks what it holds ([`check_dir`]: SQLite's integrity check, a full
//! [`Store::verify`] of the snapshot, every blob's BLAKE3 against its name), and only then renames
//! it. [`restore`] runs the same check on the file before touching the data directory, refuses
//! while a process holds the directory (`DATA/serve.lock`), refuses a backup of another committee,
//! and keeps the previous directory aside.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use lajna_store::Store;
use serde_json::json;

use crate::documents::is_blob_name;
use crate::{Config, DataDir, Node, NodeError};

/// The manifest's name inside a backup.
pub const MANIFEST: &str = "lajna-backup.json";
/// The manifest's `format`.
pub const FORMAT: &str = "lajna-backup/1";
const DATABASE: &str = "lajna.sqlite";
const CONFIG: &str = "config.toml";

/// Why a backup or restore did not happen. Nothing was changed in the data directory then.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The backup file is damaged, incomplete or not a backup.
    #[error("the backup is not sound: {0}")]
    Unsound(String),
    /// The backup is of another committee than the one the directory holds.
    #[error("the backup is of committee {backup}, but {dir} holds committee {held}; nothing was changed")]
    OtherCommittee {
        /// The directory.
        dir: PathBuf,
        /// Genesis id it holds.
        held: String,
        /// Genesis id of the backup.
        backup: String,
    },
    /// A process (a running `lajna serve`, or another command) has the directory open.
    #[error("{0} is in use by a running lajna process (serve.lock is held); stop it first")]
    InUse(PathBuf),
    /// The target exists.
    #[error("{0} exists; choose another name")]
    Exists(PathBuf),
    /// A file could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        /// File or directory.
        path: PathBuf,
        /// Cause.
        cause: std::io::Error,
    },
    /// Opening or reading a store or config.
    #[error(transparent)]
    Node(#[from] NodeError),
}

impl BackupError {
    /// A stable, machine-readable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unsound(_) => "backup-unsound",
            Self::OtherCommittee { .. } => "backup-other-committee",
            Self::InUse(_) => "in-use",
            Self::Exists(_) => "exists",
            Self::Io { .. } => "io",
            Self::Node(e) => e.code(),
        }
    }
}

impl From<lajna_store::StoreError> for BackupError {
    fn from(e: lajna_store::StoreError) -> Self {
        Self::Node(NodeError::Store(e))
    }
}

fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = path.into();
    move |cause| BackupError::Io { path, cause }
}

fn unsound(e: impl std::fmt::Display) -> BackupError {
    BackupError::Unsound(e.to_string())
}

/// What a checked backup holds.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The committee (genesis id, hex).
    pub committee: String,
    /// Events of the shared record.
    pub events: i64,
    /// Events of the party-private log.
    pub private_events: i64,
    /// State hash of the shared record (a fresh fold, equal to the stored projections').
    pub state_hash: String,
    /// Document files held, each checked against its BLAKE3.
    pub blobs: usize,
    /// Documents whose file the backup does not hold (not received from the peer yet when the
    /// backup was made), by BLAKE3.
    pub missing_blobs: Vec<String>,
}

/// What [`backup`] wrote.
#[derive(Clone, Debug)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// What it holds, as checked after writing.
    pub checked: Checked,
}

/// What [`restore`] did.
#[derive(Clone, Debug)]
pub struct RestoreReport {
    /// The data directory, now holding the backup.
    pub dir: PathBuf,
    /// Where the previous directory was kept, if there was one.
    pub previous: Option<PathBuf>,
    /// Whether node keys were copied over from the previous directory.
    pub keys_copied: bool,
    /// What the backup held, as checked before anything was changed.
    pub checked: Checked,
}

/// A unique suffix for temporary names: process id and nanoseconds.
fn unique() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{}-{nanos}", std::process::id())
}

/// A UTC timestamp for names (`20251118T090000Z`).
fn stamp() -> String {
    jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Removes a temporary directory or file when dropped (whatever happened).
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        if self.0.is_dir() {
            let _ = std::fs::remove_dir_all(&self.0);
        } else {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// The blobs of a data directory as (name inside the backup, path), sorted.
fn blob_files(dir: &DataDir) -> Result<Vec<(String, PathBuf)>, BackupError> {
    let mut found = Vec::new();
    let root = dir.blobs();
    let Ok(prefixes) = std::fs::read_dir(&root) else { return Ok(found) };
    for prefix in prefixes {
        let prefix = prefix.map_err(io(&root))?;
        if !prefix.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(prefix.path()).map_err(io(prefix.path()))? {
            let file = file.map_err(io(prefix.path()))?;
            let name = format!("{}{}", prefix.file_name().to_string_lossy(), file.file_name().to_string_lossy());
            // Temporary files of a blob being written are not blobs yet.
            if is_blob_name(&name) {
                found.push((format!("blobs/{}/{}", &name[..2], &name[2..]), file.path()));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes a backup of `node` to `out` (which must not exist) while the node may be serving and
/// writing: a consistent snapshot of the database, `config.toml` and the document files, packed
/// into a zip under a temporary name beside `out`, unpacked again and checked
/// ([`check_dir`]), and only then renamed to `out`.
///
/// # Errors
/// [`BackupError::Exists`], IO, store errors, or [`BackupError::Unsound`] when the written file
/// does not check (it is removed then).
pub async fn backup(node: &Node, out: &Path) -> Result<BackupReport, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.to_path_buf()));
    }
    let name = out.file_name().ok_or_else(|| unsound(format!("{}: not a file name", out.display())))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let suffix = unique();
    let staging = Temp(parent.join(format!(".lajna-backup-{suffix}")));
    std::fs::create_dir_all(&staging.0).map_err(io(&staging.0))?;
    let snapshot = staging.0.join(DATABASE);
    // The database first: every blob it names was stored before its event, and blobs are only
    // added, so the files copied after the snapshot include every one it needs.
    node.store.snapshot_into(&snapshot).await?;
    let committee = node.store.committee().await.map(|c| c.to_hex()).unwrap_or_default();
    let manifest = json!({
        "format": FORMAT,
        "created_at": crate::now_rfc3339(),
        "committee": committee,
        "parties": node.parties(),
        "left_out": ["keys/ (node keys are never in a backup)", "index/ (derived; rebuilt on first use)"],
    });
    let partial = Temp(parent.join(format!(".{}.partial-{suffix}", name.to_string_lossy())));
    {
        let file = std::fs::File::create(&partial.0).map_err(io(&partial.0))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let add = |zip: &mut zip::ZipWriter<_>, entry: &str, path: &Path, options| -> Result<(), BackupError> {
            zip.start_file(entry, options).map_err(unsound)?;
            let mut f = std::fs::File::open(path).map_err(io(path))?;
            std::io::copy(&mut f, zip).map_err(io(path))?;
            Ok(())
        };
        zip.start_file(MANIFEST, deflated).map_err(unsound)?;
        zip.write_all(manifest.to_string().as_bytes()).map_err(io(&partial.0))?;
        add(&mut zip, DATABASE, &snapshot, deflated)?;
        add(&mut zip, CONFIG, &node.config_file, deflated)?;
        for (entry, path) in blob_files(&node.dir)? {
            add(&mut zip, &entry, &path, stored.large_file(true))?;
        }
        let writer = zip.finish().map_err(unsound)?;
        let file =
            writer.into_inner().map_err(|e| BackupError::Io { path: partial.0.clone(), cause: e.into_error() })?;
        file.sync_all().map_err(io(&partial.0))?;
    }
    // Checked as written: what is in the file, not what was meant to be.
    let checked = check_file(&partial.0, &parent).await?;
    if checked.committee != committee {
        return Err(unsound(format!("it holds committee {}, not {committee}", checked.committee)));
    }
    std::fs::rename(&partial.0, out).map_err(io(out))?;
    let bytes = std::fs::metadata(out).map_err(io(out))?.len();
    Ok(BackupReport { path: out.to_path_buf(), bytes, checked })
}

/// Unpacks the backup `file` into a temporary directory under `beside` and checks it; the
/// directory is removed afterwards.
///
/// # Errors
/// As [`unpack`] and [`check_dir`].
pub async fn check_file(file: &Path, beside: &Path) -> Result<Checked, BackupError> {
    let dir = Temp(beside.join(format!(".lajna-check-{}", unique())));
    unpack(file, &dir.0)?;
    check_dir(&dir.0).await
}

/// Unpacks a backup into `dir` (created; must not exist). Only the entries a backup may hold
/// are accepted (manifest, database, config, `blobs/xx/yyyy…` named by a BLAKE3); each entry's
/// CRC-32 is checked as it is read.
///
/// # Errors
/// [`BackupError::Unsound`] for a file that is not a sound backup; IO.
pub fn unpack(file: &Path, dir: &Path) -> Result<(), BackupError> {
    let f = std::fs::File::open(file).map_err(io(file))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(unsound)?;
    std::fs::create_dir(dir).map_err(io(dir))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(unsound)?;
        let name = entry.name().map_err(unsound)?.to_string();
        let target = match name.as_str() {
            MANIFEST | DATABASE | CONFIG => dir.join(&name),
            _ => {
                let blob = name.strip_prefix("blobs/").and_then(|rest| rest.split_once('/'));
                match blob {
                    Some((a, b)) if a.len() == 2 && is_blob_name(&format!("{a}{b}")) => {
                        let parent = dir.join("blobs").join(a);
                        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
                        parent.join(b)
                    }
                    _ => return Err(unsound(format!("unexpected entry {name:?}"))),
                }
            }
        };
        let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(&target).map_err(io(&target))?;
        let mut buf = vec![0; 64 * 1024];
        loop {
            let n = entry.read(&mut buf).map_err(|e| unsound(format!("{name}: {e}")))?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n]).map_err(io(&target))?;
        }
    }
    for required in [MANIFEST, DATABASE, CONFIG] {
        if !dir.join(required).is_file() {
            return Err(unsound(format!("{required} is missing")));
        }
    }
    Ok(())
}

/// Checks an unpacked backup: the manifest's format, `config.toml`, SQLite's integrity check of
/// the database, a full [`Store::verify`] (every event's bytes, signatures, certificates,
/// parents and body; the projections against a fresh fold), the committee against the
/// manifest, and every blob's BLAKE3 against its name.
///
/// # Errors
/// [`BackupError::Unsound`] naming the first problem; IO or store errors.
pub async fn check_dir(dir: &Path) -> Result<Checked, BackupError> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).map_err(io(dir.join(MANIFEST)))?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| unsound(format!("manifest: {e}")))?;
    if manifest["format"] != FORMAT {
        return Err(unsound(format!("manifest format {}, expected {FORMAT}", manifest["format"])));
    }
    Config::load(&dir.join(CONFIG)).map_err(|e| unsound(format!("config.toml: {e}")))?;
    let data = DataDir(dir.to_path_buf());
    let store = Store::open(&data.database()).await.map_err(|e| unsound(format!("database: {e}")))?;
    let result = check_store(&store, &data, &manifest).await;
    store.close().await;
    result
}

async fn check_store(store: &Store, data: &DataDir, manifest: &serde_json::Value) -> Result<Checked, BackupError> {
    let problems = store.integrity_problems().await?;
    if !problems.is_empty() {
        return Err(unsound(format!("database integrity check: {}", problems.join("; "))));
    }
    let report = store.verify().await?;
    if let Some((id, why)) = &report.problem {
        return Err(unsound(format!("event {id}: {why}")));
    }
    if !report.ok() {
        return Err(unsound(format!(
            "stored projections (state hash {}) differ from a fold of the log ({})",
            report.stored_hash, report.rebuilt_hash
        )));
    }
    let committee = store.committee().await.map(|c| c.to_hex()).ok_or_else(|| unsound("no committee"))?;
    if manifest["committee"] != committee.as_str() {
        return Err(unsound(format!(
            "manifest names committee {}, the database holds {committee}",
            manifest["committee"]
        )));
    }
    let mut blobs = 0;
    for (entry, path) in blob_files(data)? {
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let name: String = entry.trim_start_matches("blobs/").split('/').collect();
        let hash = blake3::hash(&bytes).to_hex().to_string();
        if hash != name {
            return Err(unsound(format!("document file {name} hashes to {hash}")));
        }
        blobs += 1;
    }
    let mut missing: Vec<String> = store
        .with_state(|s| crate::search::document_files(s).into_iter().map(|f| f.blake3).collect::<Vec<_>>())
        .await
        .into_iter()
        .filter(|h| is_blob_name(h) && !data.blob(h).is_file())
        .collect();
    missing.sort();
    missing.dedup();
    Ok(Checked {
        committee,
        events: store.event_count().await?,
        private_events: store.private_event_count().await?,
        state_hash: report.rebuilt_hash,
        blobs,
        missing_blobs: missing,
    })
}

/// Restores the backup `file` into the data directory `dir`: refuses while a process holds the
/// directory (`DATA/serve.lock`); unpacks and checks the backup beside `dir` before touching
/// anything; refuses a backup of another committee than the one `dir` holds; then keeps the
/// previous directory aside as `DIR.before-restore-<UTC time>` and moves the restored one in
/// place. The node keys of the previous directory (`keys/`, and the demo's `demo-password`)
/// are copied into the restored one — a backup never holds keys.
///
/// # Errors
/// [`BackupError::InUse`], [`BackupError::Unsound`], [`BackupError::OtherCommittee`], IO; the
/// directory is unchanged on any of them.
pub async fn restore(file: &Path, dir: &Path) -> Result<RestoreReport, BackupError> {
    let target = DataDir(dir.to_path_buf());
    // Held exclusively until the new directory is in place: no server starts meanwhile.
    let _lock = exclusive(&target)?;
    let name = dir.file_name().ok_or_else(|| unsound(format!("{}: not a directory name", dir.display())))?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = Temp(parent.join(format!(".{}.restore-{}", name.to_string_lossy(), unique())));
    unpack(file, &staging.0)?;
    let checked = check_dir(&staging.0).await?;
    if target.database().is_file() {
        let held = lajna_store::committee_of(&target.database()).await?;
        if let Some(held) = held
            && held != checked.committee
        {
            return Err(BackupError::OtherCommittee {
                dir: dir.to_path_buf(),
                held,
                backup: checked.committee.clone(),
            });
        }
    }
    std::fs::remove_file(staging.0.join(MANIFEST)).map_err(io(staging.0.join(MANIFEST)))?;
    let mut keys_copied = false;
    if target.keys().is_dir() {
        copy_dir(&target.keys(), &staging.0.join("keys"))?;
        keys_copied = true;
    }
    let password = dir.join("demo-password");
    if password.is_file() {
        std::fs::copy(&password, staging.0.join("demo-password")).map_err(io(&password))?;
    }
    let previous = if dir.exists() {
        let aside = parent.join(format!("{}.before-restore-{}", name.to_string_lossy(), stamp()));
        if aside.exists() {
            return Err(BackupError::Exists(aside));
        }
        std::fs::rename(dir, &aside).map_err(io(dir))?;
        Some(aside)
    } else {
        None
    };
    if let Err(cause) = std::fs::rename(&staging.0, dir) {
        if let Some(aside) = &previous {
            let _ = std::fs::rename(aside, dir);
        }
        return Err(BackupError::Io { path: dir.to_path_buf(), cause });
    }
    Ok(RestoreReport { dir: dir.to_path_buf(), previous, keys_copied, checked })
}

/// Takes `DATA/serve.lock` exclusively when the directory has one; [`BackupError::InUse`] when a
/// process holds it. A directory without the file is not opened by any process of this version.
fn exclusive(dir: &DataDir) -> Result<Option<std::fs::File>, BackupError> {
    let path = dir.serve_lock();
    if !path.is_file() {
        return Ok(None);
    }
    let file = std::fs::OpenOptions::new().write(true).open(&path).map_err(io(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(BackupError::InUse(dir.0.clone())),
        Err(std::fs::TryLockError::Error(cause)) => Err(BackupError::Io { path, cause }),
    }
}

/// Copies a directory tree (files keep their permissions: keys stay 0600).
fn copy_dir(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(io(&src))?;
        }
    }
    Ok(())
}
