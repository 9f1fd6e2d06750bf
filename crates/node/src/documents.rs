//! The committee's archive (issue 6): document files stored content-addressed by BLAKE3 under
//! `DATA/blobs/ab/cdef…`, their type checked from the bytes, their registration as `Document`
//! records, the access rule of markings (DESIGN.md §6) and the audit trail of every view or
//! download of a record marked RESTRICTED or above.
//!
//! A refused upload stores nothing: the bytes are checked (not empty, within
//! [`crate::Config::max_document_bytes`], a supported type whose content matches the declared
//! type and the file name's extension) and the command is decided against the state before the
//! blob is written; the blob is written to a temporary file in its final directory, flushed to
//! disk and renamed, so a crash never leaves half a file under its hash. The same bytes
//! uploaded twice are stored once.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use lajna_domain::records::{DOCUMENT_MEDIA_TYPES, Document};
use lajna_domain::{Actor, Classification, Command, Marking, RecordKind, State, decide};
use lajna_store::AuditRow;
use serde_json::Value;

use crate::auth::{User, authorize};
use crate::error::io;
use crate::{DataDir, Node, NodeError, now_rfc3339};

/// The media type of `bytes` when it is one a document may have: PDF, DOCX, ODT, PNG and JPEG
/// from their signatures (the `infer` crate), plain text when the bytes are valid UTF-8 without
/// NUL.
#[must_use]
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if let Some(t) = infer::get(bytes) {
        return DOCUMENT_MEDIA_TYPES.iter().copied().find(|m| *m == t.mime_type());
    }
    (std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0)).then_some("text/plain")
}

/// The media type a file name's extension claims, when it is one Lajna knows.
fn type_of_extension(file_name: &str) -> Option<&'static str> {
    let ext = Path::new(file_name).extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" | "text" | "md" | "csv" => "text/plain",
        _ => return None,
    })
}

/// Checks an upload and returns its media type, found in the bytes.
///
/// `declared` is the media type the client sent (parameters such as `; charset=utf-8` are
/// ignored; `application/octet-stream` and an empty value declare nothing).
///
/// # Errors
/// [`DocumentError::Empty`], [`DocumentError::TooLarge`] (over `max` bytes),
/// [`DocumentError::Unsupported`], [`DocumentError::TypeMismatch`].
pub fn check_upload(
    bytes: &[u8],
    file_name: &str,
    declared: Option<&str>,
    max: u64,
) -> Result<&'static str, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > max {
        return Err(DocumentError::TooLarge { size, max });
    }
    let found = sniff(bytes).ok_or(DocumentError::Unsupported)?;
    if let Some(d) = declared {
        let d = d.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let d = if d == "image/jpg" { "image/jpeg".to_string() } else { d };
        if !d.is_empty() && d != "application/octet-stream" && d != found {
            return Err(DocumentError::TypeMismatch { declared: d, found: found.into() });
        }
    }
    if let Some(ext) = type_of_extension(file_name)
        && ext != found
    {
        return Err(DocumentError::TypeMismatch { declared: file_name.into(), found: found.into() });
    }
    Ok(found)
}

/// Whether `name` can be a blob's name: 64 lowercase hex digits (a BLAKE3). Checked before any
/// name from outside (a URL, a bundle) becomes a path.
#[must_use]
pub fn is_blob_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl DataDir {
    /// `DATA/blobs`.
    #[must_use]
    pub fn blobs(&self) -> PathBuf {
        self.0.join("blobs")
    }

    /// `DATA/blobs/ab/cdef…`: where the blob with BLAKE3 `hash` (64 hex digits) lives.
    #[must_use]
    pub fn blob(&self, hash: &str) -> PathBuf {
        let (dir, rest) = hash.split_at(2.min(hash.len()));
        self.blobs().join(dir).join(rest)
    }
}

/// Stores `bytes` under their BLAKE3 hash and returns (hash, whether a new file was written).
/// Written to a temporary file in the same directory, flushed, then renamed: a crash leaves no
/// half file under the hash; bytes already stored are not written again.
///
/// # Errors
/// [`NodeError::Io`].
pub fn store_blob(dir: &DataDir, bytes: &[u8]) -> Result<(String, bool), NodeError> {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let path = dir.blob(&hash);
    if path.exists() {
        return Ok((hash, false));
    }
    let parent = path.parent().map(Path::to_path_buf).unwrap_or_else(|| dir.blobs());
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(|e| NodeError::Ledger(lajna_ledger::LedgerError::Random(e.to_string())))?;
    let tmp = parent.join(format!(".tmp-{}", hex::encode(suffix)));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        // The rename is durable once the directory is.
        std::fs::File::open(&parent)?.sync_all()
    })();
    if let Err(cause) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(NodeError::Io { path, cause });
    }
    Ok((hash, true))
}

// The plain types of documents as the web sees them live in `lajna_door` (re-exported here).
pub use lajna_door::documents::{DocumentError, DocumentView, Upload, may_see};

/// The bytes of the blob at `path`, checked against its BLAKE3 name `hash`.
fn read_blob_at(path: &Path, hash: &str) -> Result<Vec<u8>, NodeError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    if blake3::hash(&bytes).to_hex().as_str() != hash {
        let message = "the blob does not match its BLAKE3 name".into();
        return Err(NodeError::Config { path: path.to_path_buf(), message });
    }
    Ok(bytes)
}

fn view_of(id: &str, state: &State) -> Option<DocumentView> {
    let entry = state.require(RecordKind::Document, id).ok()?;
    let document: Document = serde_json::from_value(Value::Object(entry.content())).ok()?;
    let (registered_at, registered_by) =
        entry.created.as_ref().map(|(_, m)| (m.at.clone(), m.party.clone())).unwrap_or_default();
    Some(DocumentView { id: id.to_string(), document, registered_at, registered_by })
}

impl Node {
    /// The documents `user` may see (marking allows), newest registration first, then by id.
    pub async fn documents_for(&self, user: &User) -> Vec<DocumentView> {
        let mut list: Vec<DocumentView> = self
            .with_state(|s| {
                s.entries()
                    .filter(|(_, e)| e.kind == RecordKind::Document)
                    .filter_map(|(id, _)| view_of(id, s))
                    .filter(|v| may_see(user, &v.document.marking))
                    .collect()
            })
            .await;
        list.sort_by(|a, b| b.registered_at.cmp(&a.registered_at).then_with(|| a.id.cmp(&b.id)));
        list
    }

    /// The document `id` when it exists and `user` may see it; `None` otherwise (callers answer
    /// 404 either way, so existence is not revealed).
    pub async fn document_for(&self, user: &User, id: &str) -> Option<DocumentView> {
        self.with_state(|s| view_of(id, s)).await.filter(|v| may_see(user, &v.document.marking))
    }

    /// The bytes of the blob with BLAKE3 `hash`, checked against the hash.
    ///
    /// # Errors
    /// [`NodeError::Io`]; [`NodeError::Config`] when the file no longer matches its hash.
    pub fn read_blob(&self, hash: &str) -> Result<Vec<u8>, NodeError> {
        read_blob_at(&self.dir.blob(hash), hash)
    }

    /// Registers a document file for `user` (role and party rules of [`authorize`], then the
    /// domain), or for a bare actor when `user` is `None` (the CLI). `document` carries the
    /// title, language, date, marking and links; its file fields are filled from the upload.
    /// Returns the new record's id.
    ///
    /// # Errors
    /// [`DocumentError`] for a refused file, [`NodeError::Auth`] and [`NodeError::Domain`] for a
    /// refused command; nothing is stored on any error (no blob, no event).
    pub async fn register_document(
        &self,
        user: Option<&User>,
        actor: &Actor,
        upload: &Upload<'_>,
        mut document: Document,
    ) -> Result<String, NodeError> {
        let media_type = check_upload(
            upload.bytes,
            &upload.file_name,
            upload.declared_type.as_deref(),
            self.config.max_document_bytes,
        )?;
        document.blake3 = blake3::hash(upload.bytes).to_hex().to_string();
        document.media_type = media_type.to_string();
        document.size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
        document.file_name =
            Path::new(upload.file_name.trim()).file_name().and_then(|n| n.to_str()).unwrap_or("document").to_string();
        let hash = document.blake3.clone();
        let command = Command::RegisterDocument(document);
        // Decide first, so that a refused command leaves no blob behind.
        self.with_state(|s| {
            if let Some(u) = user {
                authorize(u, s, &command)?;
            }
            decide(s, actor, &command).map(|_| ()).map_err(NodeError::from)
        })
        .await?;
        let (_, created) = store_blob(&self.dir, upload.bytes)?;
        let result = match user {
            Some(u) => self.execute_as(u, &command).await,
            None => self.execute(actor, &command).await,
        };
        match result {
            Ok(ids) if !ids.is_empty() => Ok(ids[0].to_hex()),
            Ok(_) => Err(NodeError::Config { path: self.dir.blobs(), message: "nothing was registered".into() }),
            Err(e) => {
                // Refused after all (a concurrent change): the new blob goes unless a document
                // registered meanwhile holds the same bytes.
                if created && !self.blob_in_use(&hash).await {
                    let _ = std::fs::remove_file(self.dir.blob(&hash));
                }
                Err(e)
            }
        }
    }

    /// The files of the SHARED documents (records in the shared log, releasable to both
    /// parties): (record id, BLAKE3, size in bytes), by record id. One-party documents are
    /// never listed: their files never leave the node (sync, bundles).
    pub async fn shared_document_files(&self) -> Vec<(String, String, u64)> {
        self.with_state(|s| {
            s.entries()
                .filter(|(_, e)| e.kind == RecordKind::Document && !e.is_private())
                .filter_map(|(id, _)| view_of(id, s))
                .filter(|v| !v.document.marking.is_private() && is_blob_name(&v.document.blake3))
                .map(|v| (v.id, v.document.blake3, u64::try_from(v.document.size).unwrap_or(0)))
                .collect()
        })
        .await
    }

    /// The size (bytes) a SHARED document's record gives the blob `hash`, `None` when no shared
    /// document references it (unknown hash, or only one-party documents do). Decides which
    /// blobs a peer may fetch (`GET /sync/v1/blobs/{hash}`).
    pub async fn shared_blob_size(&self, hash: &str) -> Option<u64> {
        if !is_blob_name(hash) {
            return None;
        }
        self.shared_document_files().await.into_iter().find(|(_, h, _)| h == hash).map(|(_, _, size)| size)
    }

    /// The file of a SHARED document for a peer: `None` for an unknown or malformed hash, one
    /// that only one-party documents reference, a shared file this node does not hold (yet),
    /// and one whose bytes do not match its hash or its record's size (logged). The file is
    /// read off the async workers.
    pub async fn shared_blob(&self, hash: &str) -> Option<Vec<u8>> {
        let size = self.shared_blob_size(hash).await?;
        if !self.has_blob(hash) {
            return None;
        }
        let (path, name) = (self.dir.blob(hash), hash.to_string());
        match tokio::task::spawn_blocking(move || read_blob_at(&path, &name)).await {
            Ok(Ok(bytes)) if bytes.len() as u64 == size => Some(bytes),
            Ok(Ok(_)) => None,
            Ok(Err(e)) => {
                tracing::error!(error = %e, blob = %hash, "blob unreadable");
                None
            }
            Err(e) => {
                tracing::error!(error = %e, "blob read task failed");
                None
            }
        }
    }

    /// Whether the blob `hash` is stored on this node (the file exists under its name; its
    /// bytes are checked when read, see [`Node::read_blob`]).
    #[must_use]
    pub fn has_blob(&self, hash: &str) -> bool {
        is_blob_name(hash) && self.dir.blob(hash).is_file()
    }

    /// The shared documents' blobs this node lacks: (BLAKE3, size in bytes), each once, sorted.
    pub async fn missing_shared_blobs(&self) -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = self
            .shared_document_files()
            .await
            .into_iter()
            .filter(|(_, h, _)| !self.has_blob(h))
            .map(|(_, h, size)| (h, size))
            .collect();
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    /// Stores bytes received from a peer for the blob `hash` of a shared document: kept only
    /// when they are exactly `size` bytes and their BLAKE3 is `hash`; written atomically by
    /// [`store_blob`]. Returns whether a new file was written.
    ///
    /// # Errors
    /// [`NodeError::Peer`] when the bytes do not match (nothing is written); [`NodeError::Io`].
    pub fn store_received_blob(&self, hash: &str, size: u64, bytes: &[u8]) -> Result<bool, NodeError> {
        if bytes.len() as u64 != size {
            return Err(NodeError::Peer(format!(
                "blob {hash}: {} bytes received, the record says {size}",
                bytes.len()
            )));
        }
        if blake3::hash(bytes).to_hex().as_str() != hash {
            return Err(NodeError::Peer(format!("blob {hash}: the bytes received do not match its BLAKE3")));
        }
        Ok(store_blob(&self.dir, bytes)?.1)
    }

    /// Removes the blob `hash` unless a document (shared or one-party) references it: used to
    /// undo blobs written for an import that failed.
    pub(crate) async fn remove_unused_blob(&self, hash: &str) {
        if is_blob_name(hash) && !self.blob_in_use(hash).await {
            let _ = std::fs::remove_file(self.dir.blob(hash));
        }
    }

    async fn blob_in_use(&self, hash: &str) -> bool {
        self.with_state(|s| s.all::<Document>(RecordKind::Document).iter().any(|(_, x)| x.blake3 == hash)).await
    }

    /// Writes one audit line for `user`: who, what (`action`), which record, from where, when.
    ///
    /// # Errors
    /// Store errors.
    pub async fn audit_as(
        &self,
        user: &User,
        action: &str,
        detail: &str,
        record: &str,
        address: &str,
    ) -> Result<(), NodeError> {
        let line = AuditRow {
            at: now_rfc3339(),
            username: user.username.clone(),
            action: action.into(),
            detail: detail.into(),
            address: address.into(),
            party: user.party.to_string(),
            record: record.into(),
        };
        Ok(self.store.audit(&line).await?)
    }

    /// Audits a view (`document-view`, `document-download`, `api-document-view`, …) of a
    /// record with `marking` when it is RESTRICTED or above; unmarked views are not written.
    ///
    /// # Errors
    /// Store errors.
    pub async fn audit_view(
        &self,
        user: &User,
        action: &str,
        record: &str,
        marking: &Marking,
        address: &str,
    ) -> Result<(), NodeError> {
        if marking.classification < Classification::Restricted {
            return Ok(());
        }
        let detail = Marking::banner([marking], &self.parties_of_committee().await).unwrap_or_default();
        self.audit_as(user, action, &detail, record, address).await
    }

    /// Audits an action of the node's operator (the CLI: `lajna export`, `lajna doc add`):
    /// one line for each party this node writes for, user `cli`, address `local`.
    ///
    /// # Errors
    /// Store errors.
    pub async fn audit_operator(&self, action: &str, detail: &str, record: &str) -> Result<(), NodeError> {
        for party in self.parties() {
            let line = AuditRow {
                at: now_rfc3339(),
                username: "cli".into(),
                action: action.into(),
                detail: detail.into(),
                address: "local".into(),
                party,
                record: record.into(),
            };
            self.store.audit(&line).await?;
        }
        Ok(())
    }

    /// The committee's party codes, sorted.
    pub async fn parties_of_committee(&self) -> Vec<lajna_domain::PartyCode> {
        let mut parties: Vec<_> = self
            .with_state(|s| s.charter().map(|c| c.parties.iter().map(|p| p.code.clone()).collect()).unwrap_or_default())
            .await;
        parties.sort();
        parties
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

    #[test]
    fn content_decides_the_type() {
        assert_eq!(check_upload(PDF, "a.pdf", Some("application/pdf"), 1000), Ok("application/pdf"));
        assert_eq!(check_upload(b"hello", "a.txt", Some("text/plain; charset=utf-8"), 1000), Ok("text/plain"));
        assert_eq!(check_upload(b"", "a.txt", None, 1000), Err(DocumentError::Empty));
        assert_eq!(check_upload(b"hello", "a.txt", None, 3), Err(DocumentError::TooLarge { size: 5, max: 3 }));
        assert!(matches!(check_upload(b"hello", "a.pdf", None, 1000), Err(DocumentError::TypeMismatch { .. })));
        assert!(matches!(
            check_upload(b"hello", "a", Some("application/pdf"), 1000),
            Err(DocumentError::TypeMismatch { .. })
        ));
        assert_eq!(check_upload(b"a\0b", "a.bin", None, 1000), Err(DocumentError::Unsupported));
        assert_eq!(check_upload(&[0xff, 0xfe, 0x00], "x", None, 1000), Err(DocumentError::Unsupported));
        let png = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0];
        assert_eq!(check_upload(&png, "p.png", Some("image/png"), 1000), Ok("image/png"));
    }

    #[test]
    fn blobs_are_stored_once_under_their_hash() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir(tmp.path().to_path_buf());
        let (hash, new) = store_blob(&dir, b"same bytes").unwrap();
        assert!(new);
        let path = dir.blob(&hash);
        assert_eq!(path, tmp.path().join("blobs").join(&hash[..2]).join(&hash[2..]));
        assert_eq!(std::fs::read(&path).unwrap(), b"same bytes");
        assert_eq!(store_blob(&dir, b"same bytes").unwrap(), (hash.clone(), false));
        let files: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(files.len(), 1, "no temporary file is left");
    }
}
