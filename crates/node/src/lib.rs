//! One Lajna node: its data directory, settings and keys, and the command path
//! authorize → domain → ledger → store (DESIGN.md §3) that the CLI and the web share.
//!
//! Layout of a data directory:
//! ```text
//! DATA/config.toml          settings (see Config), unless opened with another file (open_with_config)
//! DATA/lajna.sqlite         events + projections (WAL)
//! DATA/keys/node-MAR.key    this node's signing key for a party (0600)
//! DATA/keys/roots/          party root keys — only for the demo; real roots live offline
//! DATA/blobs/               attachments, content-addressed by BLAKE3
//! DATA/serve.lock           held (shared) by every process that has the node open
//! ```

pub mod admin;
pub mod auth;
pub mod backup;
mod config;
pub mod documents;
pub mod door;
mod error;
pub mod extract;
pub mod feeds;
pub mod history;
pub mod import;
pub mod keys;
mod log;
pub mod metrics;
pub mod notify;
pub mod password;
mod peer_http;
pub mod read;
pub mod record;
pub mod search;
pub mod sync;
pub mod tls;
pub mod two_factor;

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use lajna_domain::{Actor, Charter, Command, State, decide};
use lajna_ledger::{Draft, GENESIS_KIND, KEY_CERTIFIED_KIND, SecretKey, SignedEvent};
use lajna_store::Store;
use serde_json::json;

pub use config::Config;
pub use error::NodeError;
use error::io;
pub use lajna_ledger::{EventId, RequestAuth};
pub use lajna_store::{AuditRow, CheckpointCheck, PeerRow, StoredEvent, UserRow, VerifyReport};
pub use log::SyncStatus;
pub use read::Snapshot;
pub use sync::join;

/// Paths of a data directory.
#[derive(Clone, Debug)]
pub struct DataDir(pub PathBuf);

impl DataDir {
    /// `DATA/config.toml`.
    #[must_use]
    pub fn config(&self) -> PathBuf {
        self.0.join("config.toml")
    }
    /// `DATA/lajna.sqlite`.
    #[must_use]
    pub fn database(&self) -> PathBuf {
        self.0.join("lajna.sqlite")
    }
    /// `DATA/serve.lock`: every process with the node open holds a shared advisory lock on it
    /// (`flock`), so `lajna restore` — which needs it exclusively — refuses while a server (or
    /// any other command) uses the directory.
    #[must_use]
    pub fn serve_lock(&self) -> PathBuf {
        self.0.join("serve.lock")
    }
    /// `DATA/keys`.
    #[must_use]
    pub fn keys(&self) -> PathBuf {
        self.0.join("keys")
    }
    /// `DATA/keys/node-{PARTY}.key`.
    #[must_use]
    pub fn node_key(&self, party: &str) -> PathBuf {
        self.keys().join(format!("node-{party}.key"))
    }
    /// `DATA/keys/roots/root-{PARTY}.key` (demo only).
    #[must_use]
    pub fn root_key(&self, party: &str) -> PathBuf {
        self.keys().join("roots").join(format!("root-{party}.key"))
    }
}

/// Writes a secret key file readable by its owner only (mode 0600), refusing to overwrite.
///
/// # Errors
/// [`NodeError::Io`], including when the file exists.
pub fn write_key(path: &Path, key: &SecretKey) -> Result<(), NodeError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(io(path))?;
    f.write_all(key.to_file_text().as_bytes()).map_err(io(path))
}

/// Reads a secret key file.
///
/// # Errors
/// [`NodeError::Io`] or [`NodeError::Ledger`] for a file that is not a key.
pub fn read_key(path: &Path) -> Result<SecretKey, NodeError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    Ok(SecretKey::parse(&text)?)
}

/// The current UTC time, RFC 3339 to the second: the informational `at` of new events.
#[must_use]
pub fn now_rfc3339() -> String {
    rfc3339(jiff::Timestamp::now())
}

// The one text form of times (RFC 3339 UTC to the second) lives in `lajna_door`.
pub use lajna_door::rfc3339;

/// What `init` needs: the charter and the root keys of both parties.
pub struct Founding {
    /// Founding facts.
    pub charter: Charter,
    /// Root key of each party, by party code (both parties).
    pub roots: BTreeMap<String, SecretKey>,
    /// Parties this node writes for (a certified node key is made for each).
    pub node_parties: Vec<String>,
    /// Keep the root keys in `DATA/keys/roots` (demo only).
    pub keep_roots: bool,
}

/// A running node: settings, keys and store.
pub struct Node {
    /// Data directory.
    pub dir: DataDir,
    /// Settings.
    pub config: Config,
    /// The file `config` was read from: `DATA/config.toml`, or the one given to
    /// [`Node::open_with_config`] (a packaged node: `/etc/lajna/config.toml`). Backups carry it.
    pub config_file: PathBuf,
    /// The store: private, read through [`Node::read`] (users) and the methods of `log.rs`.
    store: Store,
    keys: BTreeMap<String, SecretKey>,
    search: search::SearchState,
    record: record::RecordState,
    snapshots: read::Snapshots,
    /// Live sessions as last read, by token hash ([`Node::signed_in`]).
    sessions: auth::Sessions,
    /// The clock of two-factor codes ([`Node::now`]).
    clock: two_factor::Clock,
    /// The shared lock on `DATA/serve.lock`, held while the node is open.
    _lock: Option<std::fs::File>,
}

/// Takes a shared lock on `DATA/serve.lock` for as long as the node is open. Refused while a
/// restore holds it exclusively; a directory where the file cannot be made (read-only) is
/// opened without it.
fn hold_lock(dir: &DataDir) -> Result<Option<std::fs::File>, NodeError> {
    let path = dir.serve_lock();
    let Ok(file) = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path) else {
        return Ok(None);
    };
    match file.try_lock_shared() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(NodeError::Io {
            path,
            cause: std::io::Error::new(std::io::ErrorKind::WouldBlock, "a restore is replacing this data directory"),
        }),
        Err(std::fs::TryLockError::Error(cause)) => Err(NodeError::Io { path, cause }),
    }
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node").field("dir", &self.dir).field("parties", &self.config.parties).finish()
    }
}

/// Signs the next event of a chain written by `actor`: its parents are `parents` (the heads, or
/// the previous event of the chain), its Lamport clock one above theirs (DESIGN.md §4). Returns
/// the event and its clock; the caller makes it the only parent of the next one.
fn sign_next(
    committee: Option<EventId>,
    parents: &[(EventId, i64)],
    actor: &Actor,
    at: &str,
    emit: &lajna_domain::Emit,
    key: &SecretKey,
) -> Result<(SignedEvent, i64), NodeError> {
    let event = Draft {
        committee,
        parents: parents.to_vec(),
        party: actor.party.to_string(),
        member: actor.member.clone(),
        at: at.to_string(),
        kind: emit.kind.clone(),
        body: emit.body.clone(),
    }
    .sign(key)?;
    let lamport = 1 + parents.iter().map(|(_, l)| *l).max().unwrap_or(0);
    Ok((event, lamport))
}

impl Node {
    /// A node over an open store, with empty caches.
    fn assemble(
        dir: DataDir,
        config: Config,
        store: Store,
        keys: BTreeMap<String, SecretKey>,
        lock: Option<std::fs::File>,
    ) -> Self {
        let (search, record, snapshots, sessions, clock) = Default::default();
        let config_file = dir.config();
        Self { dir, config, config_file, store, keys, search, record, snapshots, sessions, clock, _lock: lock }
    }

    /// Opens an existing data directory.
    ///
    /// # Errors
    /// [`NodeError::NotInitialised`] when there is no `config.toml`; config, key or store errors.
    pub async fn open(path: &Path) -> Result<Self, NodeError> {
        Self::open_with_config(path, None).await
    }

    /// Opens an existing data directory with its settings read from `config_file` instead of
    /// `DATA/config.toml` (`lajna --config FILE` or `LAJNA_CONFIG`; the packaged service reads
    /// `/etc/lajna/config.toml`, a conffile). `None` reads `DATA/config.toml`, as [`Node::open`].
    /// The directory must still be one that `init`, `join` or `restore` made: its own
    /// `config.toml` marks it as a node's, whichever file holds the settings in use.
    ///
    /// # Errors
    /// As [`Node::open`]; [`NodeError::Io`] or [`NodeError::Config`] naming `config_file`.
    pub async fn open_with_config(path: &Path, config_file: Option<&Path>) -> Result<Self, NodeError> {
        let dir = DataDir(path.to_path_buf());
        if !dir.config().exists() {
            return Err(NodeError::NotInitialised { path: path.to_path_buf() });
        }
        let config_file = config_file.map_or_else(|| dir.config(), Path::to_path_buf);
        let config = Config::load(&config_file)?;
        let mut keys = BTreeMap::new();
        for party in &config.parties {
            keys.insert(party.clone(), read_key(&dir.node_key(party))?);
        }
        let lock = hold_lock(&dir)?;
        let store = Store::open(&dir.database()).await?;
        if store.committee().await.is_none() {
            return Err(NodeError::Store(lajna_store::StoreError::Empty));
        }
        let mut node = Self::assemble(dir, config, store, keys, lock);
        node.config_file = config_file;
        Ok(node)
    }

    /// Creates a data directory, its node keys, and the committee: the genesis event signed by
    /// both roots, then one certificate per node key, signed by its party's root.
    ///
    /// # Errors
    /// [`NodeError::AlreadyInitialised`] when the directory holds a committee; charter
    /// validation errors; IO. On error the partial directory is removed if this call created it.
    pub async fn init(path: &Path, founding: Founding, mut config: Config) -> Result<Self, NodeError> {
        let dir = DataDir(path.to_path_buf());
        if dir.config().exists() || dir.database().exists() {
            return Err(NodeError::AlreadyInitialised { path: path.to_path_buf() });
        }
        founding.charter.validate()?;
        let created = !path.exists();
        let result = Self::init_inner(&dir, founding, &mut config).await;
        if result.is_err() && created {
            let _ = std::fs::remove_dir_all(path);
        }
        result
    }

    async fn init_inner(dir: &DataDir, founding: Founding, config: &mut Config) -> Result<Self, NodeError> {
        std::fs::create_dir_all(dir.keys()).map_err(io(dir.keys()))?;
        std::fs::create_dir_all(dir.0.join("blobs")).map_err(io(dir.0.join("blobs")))?;
        let mut parties: Vec<_> = founding.charter.parties.iter().map(|p| p.code.to_string()).collect();
        parties.sort();
        let mut roots = Vec::new();
        for p in &parties {
            let root = founding.roots.get(p).ok_or_else(|| NodeError::NoKey { party: p.clone() })?;
            roots.push((p.clone(), root));
        }
        let at = now_rfc3339();
        let genesis = Draft {
            committee: None,
            parents: vec![],
            party: parties[0].clone(),
            member: None,
            at: at.clone(),
            kind: GENESIS_KIND.into(),
            body: json!({
                "parties": roots.iter().map(|(p, k)| json!({"party": p, "root": k.public().to_hex()})).collect::<Vec<_>>(),
                "charter": founding.charter,
            }),
        }
        .sign_genesis(&roots.iter().map(|(_, k)| *k).collect::<Vec<_>>())?;
        let gid = genesis.id();
        let mut batch: Vec<SignedEvent> = vec![genesis];
        let mut keys = BTreeMap::new();
        let mut parent = (gid, 1);
        for party in &founding.node_parties {
            let root = founding.roots.get(party).ok_or_else(|| NodeError::NoKey { party: party.clone() })?;
            let node_key = SecretKey::generate()?;
            let cert = Draft {
                committee: Some(gid),
                parents: vec![parent],
                party: party.clone(),
                member: None,
                at: at.clone(),
                kind: KEY_CERTIFIED_KIND.into(),
                body: json!({"party": party, "node": node_key.public().to_hex(), "label": format!("node of {party}")}),
            }
            .sign(root)?;
            parent = (cert.id(), parent.1 + 1);
            batch.push(cert);
            write_key(&dir.node_key(party), &node_key)?;
            keys.insert(party.clone(), node_key);
        }
        if founding.keep_roots {
            for (p, k) in &founding.roots {
                write_key(&dir.root_key(p), k)?;
            }
        }
        config.parties = founding.node_parties.clone();
        config.save(&dir.config())?;
        let lock = hold_lock(dir)?;
        let store = Store::open(&dir.database()).await?;
        store.lock().await.append(&batch).await?;
        Ok(Self::assemble(dir.clone(), config.clone(), store, keys, lock))
    }

    /// The date "overdue" is measured against: the configured reference date, else today (UTC).
    #[must_use]
    pub fn today(&self) -> Date {
        self.config
            .reference_date
            .unwrap_or_else(|| jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
    }

    /// Parties this node writes for.
    #[must_use]
    pub fn parties(&self) -> Vec<String> {
        self.keys.keys().cloned().collect()
    }

    /// Runs a command: decides it against the current state under the write lock, signs each
    /// resulting event with this node's key for the actor's party (each event's parents are the
    /// heads, then the previous event of the same command), and appends them in one transaction.
    /// Returns the new events' ids; empty when the command changes nothing.
    ///
    /// # Errors
    /// [`NodeError::Domain`] for a refused command, [`NodeError::NoKey`] when this node cannot
    /// write for the party; nothing is written on any error.
    pub async fn execute(&self, actor: &Actor, command: &Command) -> Result<Vec<EventId>, NodeError> {
        self.execute_checked(actor, command, |_| Ok(())).await
    }

    /// [`Node::execute`] with an extra check against the state, under the same lock.
    pub(crate) async fn execute_checked(
        &self,
        actor: &Actor,
        command: &Command,
        check: impl FnOnce(&State) -> Result<(), NodeError>,
    ) -> Result<Vec<EventId>, NodeError> {
        let key =
            self.keys.get(actor.party.as_str()).ok_or_else(|| NodeError::NoKey { party: actor.party.to_string() })?;
        let mut guard = self.store.lock().await;
        check(guard.state())?;
        let private = command.is_private(guard.state());
        let emits = decide(guard.state(), actor, command)?;
        if emits.is_empty() {
            return Ok(vec![]);
        }
        let committee = guard.committee();
        // A private event follows everything this node holds; a shared one never names a
        // private event (the peer would wait for a parent it can never receive).
        let mut parents = guard.heads();
        if private {
            parents.extend(guard.private_heads());
        }
        let at = now_rfc3339();
        let mut batch = Vec::with_capacity(emits.len());
        for emit in &emits {
            let (event, lamport) = sign_next(committee, &parents, actor, &at, emit, key)?;
            parents = vec![(event.id(), lamport)];
            batch.push(event);
        }
        let ids = if private { guard.append_private(&batch).await? } else { guard.append(&batch).await? };
        drop(guard);
        self.after_write().await;
        Ok(ids)
    }

    /// Reads the in-memory state (a consistent snapshot), for the node's own work; readers go
    /// through [`Node::read`] or [`Node::read_all`].
    #[cfg(not(feature = "test-support"))]
    pub(crate) async fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        self.store.with_state(f).await
    }

    /// Reads the in-memory state (a consistent snapshot): public for tests only
    /// (`test-support`); readers go through [`Node::read`] or [`Node::read_all`].
    #[cfg(feature = "test-support")]
    pub async fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        self.store.with_state(f).await
    }

    /// Rotates this node's key for `party` (`lajna keys rotate`, issue 16 item 5): a new key
    /// certified by the party's `root` (the certificate appended), written to the key file
    /// `DATA/keys/node-PARTY.key` (mode 0600), the previous key file kept beside it as
    /// `node-PARTY.key.retired` (delete it once the rotation is done: no check needs it, since
    /// the log holds every certified public key). Events the old key signed stay valid; events
    /// are signed with the new key from the next opening of the data directory (restart the
    /// service). Returns the certificate's event id.
    ///
    /// # Errors
    /// [`NodeError::NoKey`] when this node does not write for `party`; the store's refusal of
    /// a certificate not signed by the party's root (nothing changes); IO errors.
    pub async fn rotate_key(&self, party: &str, root: &SecretKey, label: &str) -> Result<EventId, NodeError> {
        let current = self.dir.node_key(party);
        if !self.keys.contains_key(party) || !current.exists() {
            return Err(NodeError::NoKey { party: party.into() });
        }
        let fresh = current.with_extension("key.new");
        let _ = std::fs::remove_file(&fresh);
        let id = self.certify(party, root, &fresh, label).await?;
        let retired = current.with_extension("key.retired");
        std::fs::rename(&current, &retired).map_err(io(&retired))?;
        std::fs::rename(&fresh, &current).map_err(io(&current))?;
        Ok(id)
    }

    /// Certifies a new node key for `party` with its root key and appends the certificate.
    /// Used by `lajna keys certify`; the new key file is written to `out`.
    ///
    /// # Errors
    /// Key, IO or store errors; the key file is removed if the certificate is refused.
    pub async fn certify(&self, party: &str, root: &SecretKey, out: &Path, label: &str) -> Result<EventId, NodeError> {
        let node_key = SecretKey::generate()?;
        write_key(out, &node_key)?;
        let mut guard = self.store.lock().await;
        let cert = Draft {
            committee: guard.committee(),
            parents: guard.heads(),
            party: party.into(),
            member: None,
            at: now_rfc3339(),
            kind: KEY_CERTIFIED_KIND.into(),
            body: json!({"party": party, "node": node_key.public().to_hex(), "label": label}),
        }
        .sign(root)?;
        match guard.append(std::slice::from_ref(&cert)).await {
            Ok(ids) => Ok(ids[0]),
            Err(e) => {
                let _ = std::fs::remove_file(out);
                Err(e.into())
            }
        }
    }
}
