//! Two nodes, one record (issue 5): bundles for a link that is down, and HTTP sync for a link
//! that is up. Both feed received events through the store's checks, exactly like local ones;
//! a bad event is refused with its reason and the store keeps everything else as it was.
//!
//! HTTP protocol (every request signed with [`lajna_ledger::sign_request`], headers
//! `X-Lajna-Node`, `X-Lajna-Time`, `X-Lajna-Nonce`, `X-Lajna-Signature`):
//! - `POST /sync/v1/heads` `{}` → [`HeadsReply`]
//! - `POST /sync/v1/pull` [`PullRequest`] → [`PullReply`] (pages of what the caller lacks)
//! - `POST /sync/v1/push` [`PushRequest`] → [`PushReply`]
//! - `GET /sync/v1/blobs/{blake3}` (signed over an empty body) → the file of a SHARED document,
//!   `application/octet-stream`; 404 for an unknown hash and for a file only one-party documents
//!   reference, alike.
//!
//! Checkpoints (issue 12 item 5, truncation is detectable): at the end of a sync the caller
//! tells its heads with `heads` and adds its signed checkpoint of the peer's heads it pulled
//! ([`HeadsRequest::checkpoint`]); the peer keeps it and answers with its own signed checkpoint
//! of the caller's heads it holds ([`HeadsReply::checkpoint`]), which the caller keeps. A bundle
//! carries its maker's checkpoint of the heads it held ([`BundleHeader::checkpoint`]), kept by
//! the importer. Each is checked (signature, certified key of the other party) and the newest
//! per signing node kept; `lajna verify` then fails when the log lacks a head a peer signed
//! for ([`lajna_store::Store::check_checkpoints`]). Older peers ignore the new fields, and
//! bundles and replies without a checkpoint are read as before.
//!
//! Files (issue 6): after pulling events, the caller fetches the files of the shared documents
//! it lacks, checks each against the record (size, BLAKE3) and stores it atomically; a failed
//! fetch leaves nothing behind and is retried at the next sync. Bundles carry the files of the
//! shared documents whose registration they carry ([`lajna_ledger::bundle`], format 2).

use jiff::Timestamp;
use lajna_ledger::bundle::{read_bundle_with_blobs, write_bundle_with_blobs};
use lajna_ledger::{
    BundleHeader, Checkpoint, CheckpointStatement, EventId, LedgerError, PublicKey, RequestAuth, SecretKey,
    SignedEvent, sign_request, verify_request,
};
use lajna_store::{Receipt, StoreError};
use serde::{Deserialize, Serialize};

use crate::peer_http::PeerClient;
use crate::{Node, NodeError, now_rfc3339};

/// Largest bundle accepted once decompressed, bytes (1 GiB).
pub const MAX_BUNDLE_BYTES: usize = 1 << 30;
/// Events per HTTP page.
pub const PAGE: usize = 500;
/// A signed request more than this far from our clock is refused (seconds).
pub const MAX_REQUEST_SKEW_SECONDS: i64 = 15 * 60;
/// A peer whose clock is off by more than this is flagged on the sync page (seconds).
pub const WARN_SKEW_SECONDS: i64 = 5 * 60;

/// Reply to `heads`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HeadsReply {
    /// Genesis id.
    pub committee: EventId,
    /// Parties the answering node writes for.
    pub parties: Vec<String>,
    /// Its heads.
    pub heads: Vec<EventId>,
    /// When the caller told its heads: the answering node's signed checkpoint of those it
    /// holds (absent from older nodes, and when it holds none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Checkpoint>,
}

/// Body of `heads`: the caller may tell its own heads (it does at the end of a sync), so the
/// receiver knows what to leave out of its next bundle for the caller's party.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HeadsRequest {
    /// The caller's heads, if it tells them.
    #[serde(default)]
    pub heads: Option<Vec<EventId>>,
    /// The caller's signed checkpoint of the receiver's heads it holds (issue 12 item 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Checkpoint>,
}

/// Body of `pull`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PullRequest {
    /// The caller's heads.
    pub heads: Vec<EventId>,
    /// Cursor from the previous page (0 to start).
    pub after: i64,
}

/// Reply to `pull`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PullReply {
    /// Events the caller lacks, parents first.
    pub events: Vec<SignedEvent>,
    /// Cursor of the next page, if any.
    pub next: Option<i64>,
}

/// Body of `push`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushRequest {
    /// Events for the receiver, parents first.
    pub events: Vec<SignedEvent>,
}

/// Reply to `push` (and the result of receiving any batch).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct PushReply {
    /// Newly applied (including pending events they unblocked).
    pub applied: usize,
    /// Already stored.
    pub duplicates: usize,
    /// Waiting for a parent.
    pub pending: usize,
    /// Refused: (event id, reason).
    pub refused: Vec<(String, String)>,
}

/// What a bundle import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// Party that made the bundle.
    pub from: String,
    /// Events in the bundle.
    pub events: usize,
    /// Events newly stored.
    pub applied: usize,
    /// Events already stored.
    pub duplicates: usize,
    /// Files of shared documents newly stored from the bundle.
    pub blobs: usize,
}

/// What an HTTP sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Parties of the peer.
    pub peer_parties: Vec<String>,
    /// Events received and applied.
    pub received: usize,
    /// Events sent that the peer applied.
    pub sent: usize,
    /// Events refused on either side: (event id, reason).
    pub refused: Vec<(String, String)>,
    /// Peer clock minus ours, seconds (from its reply's `Date`-like header).
    pub clock_skew_seconds: Option<i64>,
    /// Files of shared documents fetched and stored.
    pub blobs_received: usize,
    /// Files of shared documents still missing after this sync: (BLAKE3, why); retried at the
    /// next sync.
    pub blobs_missing: Vec<(String, String)>,
}

fn corrupt(e: impl std::fmt::Display) -> NodeError {
    NodeError::Ledger(LedgerError::Malformed(e.to_string()))
}

impl Node {
    /// The party this node speaks for in bundles and requests (its first party).
    #[must_use]
    pub fn own_party(&self) -> String {
        self.config.parties.first().cloned().unwrap_or_default()
    }

    /// Makes a bundle for `for_party`: what it lacks by its last known heads, or everything
    /// with `all`.
    ///
    /// # Errors
    /// Store errors; [`StoreError::Empty`] without a committee.
    pub async fn bundle_export(&self, for_party: Option<&str>, all: bool) -> Result<(Vec<u8>, usize), NodeError> {
        let committee = self.store.committee().await.ok_or(NodeError::Store(StoreError::Empty))?;
        // The heads first: every one of them is then carried or known to the receiver, so the
        // checkpoint of them holds once the bundle is imported.
        let heads = self.store.heads().await;
        let checkpoint = self.checkpoint_for(&heads, for_party).await?;
        let known = match (all, for_party) {
            (false, Some(p)) => self.store.peer(p).await?.heads,
            _ => vec![],
        };
        let (events, _) = self.store.missing_for(&known, 0, usize::MAX).await?;
        let events: Vec<SignedEvent> = events.into_iter().map(|e| e.raw).collect();
        // The files of the shared documents registered by these events (never one-party ones:
        // their records are not in the shared log, and `shared_document_files` skips them).
        let carried: std::collections::HashSet<String> = events.iter().map(|e| e.id().to_hex()).collect();
        let mut blobs: Vec<Vec<u8>> = Vec::new();
        for (id, hash, _) in self.shared_document_files().await {
            if (all || carried.contains(&id)) && self.has_blob(&hash) {
                blobs.push(self.read_blob(&hash)?);
            }
        }
        let blobs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
        let header = BundleHeader {
            format: String::new(),
            committee,
            from: self.own_party(),
            to: for_party.map(String::from),
            created_at: now_rfc3339(),
            heads,
            count: 0,
            events_blake3: String::new(),
            events_bytes: None,
            blobs: vec![],
            checkpoint,
        };
        let bytes = write_bundle_with_blobs(header, &events, &blobs)?;
        if let Some(p) = for_party {
            self.store.record_exchange(p, None, "bundle-export", 0, 0, None, None).await?;
        }
        Ok((bytes, events.len()))
    }

    /// Imports a bundle, all or nothing: its header must be intact and of this committee, its
    /// checkpoint (if any) must verify (signature; key certified for its party, by the store or
    /// a certificate in the bundle), every
    /// blob must match its BLAKE3, and every event new to this store must verify (signature,
    /// certificate, parents — in the store or earlier in the bundle — Lamport clock, body).
    /// The checkpoint of another party's node is kept once the events are stored.
    /// Blobs are written before the events are appended and removed again if the events are
    /// refused; a blob that no shared document of the resulting state references with its size
    /// is not kept. Importing it twice changes nothing. A new event signed by a key this log
    /// revoked refuses the bundle whole, first (issue 16 item 5, [`crate::keys`]).
    ///
    /// # Errors
    /// [`LedgerError::BundleCorrupt`], [`LedgerError::WrongCommittee`],
    /// [`LedgerError::Revoked`] naming the event, the key and the revocation, or the first
    /// refused event; nothing is stored then (no event, no blob).
    pub async fn bundle_import(&self, bytes: &[u8]) -> Result<ImportReport, NodeError> {
        let (header, events, blobs) = read_bundle_with_blobs(bytes, MAX_BUNDLE_BYTES)?;
        let committee = self.store.committee().await.ok_or(NodeError::Store(StoreError::Empty))?;
        if header.committee != committee {
            return Err(NodeError::Ledger(LedgerError::WrongCommittee {
                expected: committee.to_hex(),
                found: header.committee.to_hex(),
            }));
        }
        // An event of a revoked key refuses the bundle whole, naming the event and the key,
        // before its checkpoint (which that key may have signed) is looked at.
        if let Some(e) = self.revoked_among(&events).await {
            let why = e.to_string();
            self.store.record_exchange(&header.from, None, "bundle-import", 0, 1, Some(&why), None).await?;
            return Err(NodeError::Ledger(e));
        }
        let checkpoint = match &header.checkpoint {
            None => None,
            Some(cp) => match self.check_bundle_checkpoint(cp, &events, &header.from).await {
                Ok(st) => st.map(|st| (cp, st)),
                Err(e) => {
                    let why = format!("the bundle's checkpoint is refused: {e}");
                    self.store.record_exchange(&header.from, None, "bundle-import", 0, 1, Some(&why), None).await?;
                    return Err(e);
                }
            },
        };
        let mut fresh = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut duplicates = 0;
        for e in &events {
            let id = e.id();
            if !seen.insert(id) || self.store.has_all(&[id]).await {
                duplicates += 1;
            } else {
                fresh.push(e.clone());
            }
        }
        // Blobs first (each atomic), so that the events never name a file this import lost.
        let mut written: Vec<String> = Vec::new();
        for blob in &blobs {
            if !crate::documents::is_blob_name(&blob.blake3) {
                continue;
            }
            match crate::documents::store_blob(&self.dir, &blob.bytes) {
                Ok((_, true)) => written.push(blob.blake3.clone()),
                Ok((_, false)) => {}
                Err(e) => {
                    for hash in &written {
                        let _ = std::fs::remove_file(self.dir.blob(hash));
                    }
                    return Err(e);
                }
            }
        }
        let result = self.store.lock().await.append(&fresh).await;
        if result.is_err() {
            for hash in &written {
                let _ = std::fs::remove_file(self.dir.blob(hash));
            }
        }
        match result {
            Ok(ids) => {
                // Keep only the files shared documents reference, with the size they say.
                let shared = self.shared_document_files().await;
                let mut kept = 0;
                for blob in &blobs {
                    let wanted =
                        shared.iter().any(|(_, h, size)| *h == blob.blake3 && *size == blob.bytes.len() as u64);
                    if !written.contains(&blob.blake3) {
                        continue;
                    }
                    if wanted {
                        kept += 1;
                    } else {
                        self.remove_unused_blob(&blob.blake3).await;
                    }
                }
                self.store
                    .record_exchange(
                        &header.from,
                        Some(&header.heads),
                        "bundle-import",
                        ids.len() as i64,
                        0,
                        None,
                        None,
                    )
                    .await?;
                self.after_write().await;
                if let Some((cp, st)) = checkpoint {
                    self.store.keep_checkpoint(cp, &st, "bundle-import").await?;
                }
                Ok(ImportReport {
                    from: header.from,
                    events: events.len(),
                    applied: ids.len(),
                    duplicates,
                    blobs: kept,
                })
            }
            Err(e) => {
                let why = e.to_string();
                self.store.record_exchange(&header.from, None, "bundle-import", 0, 1, Some(&why), None).await?;
                Err(e.into())
            }
        }
    }

    /// Receives a batch from a peer, event by event (duplicates and pending events are fine).
    ///
    /// # Errors
    /// Database errors only; refused events are listed in the reply.
    pub async fn receive_batch(&self, events: &[SignedEvent]) -> Result<PushReply, NodeError> {
        let mut reply = PushReply::default();
        for e in events {
            let outcome = self.store.lock().await.receive(e).await;
            match outcome {
                Ok(Receipt::Applied(ids)) => reply.applied += ids.len(),
                Ok(Receipt::Duplicate(_)) => reply.duplicates += 1,
                Ok(Receipt::Pending(_)) => reply.pending += 1,
                Err(StoreError::Sql(err)) => return Err(NodeError::Store(StoreError::Sql(err))),
                Err(err) => reply.refused.push((e.id().to_hex(), err.to_string())),
            }
        }
        if reply.applied > 0 {
            self.after_write().await;
        }
        Ok(reply)
    }

    /// Checks a signed request from a peer node: signature, key certified by a party root of
    /// this committee, time within [`MAX_REQUEST_SKEW_SECONDS`], nonce never seen. Returns the
    /// peer's party and its clock skew (seconds, peer minus us).
    ///
    /// # Errors
    /// [`LedgerError::BadRequest`], [`LedgerError::Revoked`] (a key revoked by its root) or
    /// [`LedgerError::Uncertified`] saying why.
    pub async fn authenticate_peer(
        &self,
        auth: &RequestAuth,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> Result<(String, i64), NodeError> {
        let key: PublicKey = verify_request(auth, method, path, body)?;
        let (party, revoked) = {
            let guard = self.store.lock().await;
            let trust = guard.trust();
            let party = trust.parties().into_iter().find(|p| trust.is_certified(p, &key));
            let revoked = trust.parties().into_iter().find_map(|p| trust.revocation(&p, &key).map(|r| (p, r)));
            (party, revoked)
        };
        if let (None, Some((party, revocation))) = (&party, revoked) {
            // A leaked key, revoked: say so (problem `revoked-key`), not "uncertified".
            return Err(NodeError::Ledger(LedgerError::revoked(None, party, key.to_hex(), revocation.to_hex())));
        }
        let Some(party) = party else {
            return Err(NodeError::Ledger(LedgerError::Uncertified { party: "?".into(), key: key.to_hex() }));
        };
        let sent: Timestamp =
            auth.time.parse().map_err(|_| LedgerError::BadRequest(format!("time {:?} is not RFC 3339", auth.time)))?;
        let skew = (sent - Timestamp::now()).as_secs();
        if skew.abs() > MAX_REQUEST_SKEW_SECONDS {
            return Err(NodeError::Ledger(LedgerError::BadRequest(format!(
                "the clocks differ by {} minutes (more than {}): set the clock of one node right",
                skew / 60,
                MAX_REQUEST_SKEW_SECONDS / 60
            ))));
        }
        let forget = crate::rfc3339(Timestamp::now() - jiff::SignedDuration::from_secs(2 * MAX_REQUEST_SKEW_SECONDS));
        if !self.store.use_nonce(&auth.nonce, &auth.node, &forget).await? {
            return Err(NodeError::Ledger(LedgerError::BadRequest(
                "this request was already received (replay)".into(),
            )));
        }
        Ok((party, skew))
    }

    fn own_key(&self) -> Result<&SecretKey, NodeError> {
        let party = self.own_party();
        self.keys.get(&party).ok_or(NodeError::NoKey { party })
    }

    fn sign(&self, method: &str, path: &str, body: &[u8]) -> Result<RequestAuth, NodeError> {
        Ok(sign_request(self.own_key()?, method, path, &now_rfc3339(), body)?)
    }

    /// Checks a bundle's checkpoint ([`Node::check_checkpoint`]) and that every head it signs
    /// for is carried by the bundle or already held here. The maker signs the heads it held
    /// when it made the bundle and carries what the receiver lacks of them, so a head that is
    /// in neither place means the bundle was cut short: an event removed and the unsigned
    /// header recomputed to match (issue 12), which the header's own checks cannot see.
    ///
    /// # Errors
    /// [`LedgerError::BundleCorrupt`] naming the missing head; the errors of
    /// [`Node::check_checkpoint`].
    async fn check_bundle_checkpoint(
        &self,
        checkpoint: &Checkpoint,
        carried: &[SignedEvent],
        from: &str,
    ) -> Result<Option<CheckpointStatement>, NodeError> {
        let kept = self.check_checkpoint(checkpoint, carried, Some(from)).await?;
        // Own-party checkpoints are not kept, but their heads bind the bundle all the same.
        let statement = match &kept {
            Some(st) => st.clone(),
            None => self.store.check_checkpoint(checkpoint, carried).await?,
        };
        let ids: std::collections::HashSet<EventId> = carried.iter().map(SignedEvent::id).collect();
        for head in &statement.heads {
            if !ids.contains(head) && !self.store.has_all(&[*head]).await {
                return Err(NodeError::Ledger(LedgerError::BundleCorrupt(format!(
                    "its maker's signed checkpoint names event {} as held when the bundle was made, \
                     but the bundle does not carry it and this node does not hold it: events were \
                     removed from the bundle; ask {from} for a new bundle (lajna bundle export --all \
                     if this node was restored from an older backup)",
                    head.to_hex()
                ))));
            }
        }
        Ok(kept)
    }

    /// This node's signed checkpoint of `heads` (another node's heads, or its own for a
    /// bundle): those it holds, with the number of events in them and their ancestors. `None`
    /// when it holds none of them.
    ///
    /// # Errors
    /// [`NodeError::NoKey`]; [`StoreError::Empty`] without a committee; encoding errors.
    pub async fn checkpoint_for(&self, heads: &[EventId], of: Option<&str>) -> Result<Option<Checkpoint>, NodeError> {
        let committee = self.store.committee().await.ok_or(NodeError::Store(StoreError::Empty))?;
        let (held, count) = self.store.attest(heads).await;
        if held.is_empty() {
            return Ok(None);
        }
        let statement = CheckpointStatement {
            kind: String::new(),
            committee,
            party: self.own_party(),
            node: String::new(),
            of: of.map(String::from),
            heads: held,
            count,
            at: now_rfc3339(),
        };
        Ok(Some(Checkpoint::sign(self.own_key()?, statement)?))
    }

    /// Checks a checkpoint received from a peer (see [`lajna_store::Store::check_checkpoint`];
    /// `carried`: events arriving with it, whose key certificates count). When `from` is
    /// given, the checkpoint must be signed for that party (the one the request or bundle
    /// comes from). Returns `None` for a checkpoint by a node of this node's own parties: it
    /// witnesses nothing and is not kept.
    ///
    /// # Errors
    /// [`NodeError::Ledger`] saying why it is refused.
    pub async fn check_checkpoint(
        &self,
        checkpoint: &Checkpoint,
        carried: &[SignedEvent],
        from: Option<&str>,
    ) -> Result<Option<CheckpointStatement>, NodeError> {
        let statement = self.store.check_checkpoint(checkpoint, carried).await?;
        if let Some(from) = from
            && statement.party != from
        {
            return Err(NodeError::Ledger(LedgerError::BadSignature(format!(
                "the checkpoint is signed for {}, but comes from {from}",
                statement.party
            ))));
        }
        if self.config.parties.contains(&statement.party) {
            return Ok(None);
        }
        Ok(Some(statement))
    }

    /// Checks a checkpoint from a peer ([`Node::check_checkpoint`]) and keeps it unless a newer
    /// one of its node is kept. Returns whether it was kept.
    ///
    /// # Errors
    /// [`NodeError::Ledger`] when it is refused; database errors.
    pub async fn accept_checkpoint(
        &self,
        checkpoint: &Checkpoint,
        from: Option<&str>,
        via: &str,
    ) -> Result<bool, NodeError> {
        match self.check_checkpoint(checkpoint, &[], from).await? {
            Some(st) => Ok(self.store.keep_checkpoint(checkpoint, &st, via).await?),
            None => Ok(false),
        }
    }

    async fn post<T: for<'de> Deserialize<'de>>(
        &self,
        client: &PeerClient,
        base: &str,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, NodeError> {
        let bytes = serde_json::to_vec(body).map_err(corrupt)?;
        let auth = self.sign("POST", path, &bytes)?;
        let headers = [
            ("content-type", "application/json"),
            ("x-lajna-node", auth.node.as_str()),
            ("x-lajna-time", auth.time.as_str()),
            ("x-lajna-nonce", auth.nonce.as_str()),
            ("x-lajna-signature", auth.signature.as_str()),
        ];
        let (status, text) = client.send("POST", path, &headers, bytes, MAX_BUNDLE_BYTES as u64).await?;
        let text = String::from_utf8_lossy(&text).into_owned();
        if !(200..300).contains(&status) {
            let problem = serde_json::from_str::<serde_json::Value>(&text).ok();
            let member = |name: &str| problem.as_ref().and_then(|v| v.get(name)?.as_str().map(String::from));
            // The problem's stable code too (RFC 9457 extension member `code`), e.g. `revoked-key`.
            let code = member("code").map(|c| format!(" {c}")).unwrap_or_default();
            let detail = member("detail").unwrap_or(text);
            return Err(NodeError::Peer(format!("{base}{path} refused ({status}{code}): {detail}")));
        }
        serde_json::from_str(&text).map_err(|e| NodeError::Peer(format!("{base}{path}: unreadable reply: {e}")))
    }

    /// Fetches the file `hash` of a shared document from the peer at `base` (signed `GET
    /// /sync/v1/blobs/{hash}`), reading at most `size` bytes, and stores it when its size and
    /// BLAKE3 match the record. Nothing is written on any error.
    ///
    /// # Errors
    /// [`NodeError::Peer`] (unreachable, refused, 404, wrong bytes); [`NodeError::Io`].
    pub(crate) async fn fetch_blob(
        &self,
        client: &PeerClient,
        base: &str,
        hash: &str,
        size: u64,
    ) -> Result<bool, NodeError> {
        if !crate::documents::is_blob_name(hash) {
            return Err(NodeError::Peer(format!("{hash:?} is not a BLAKE3 name")));
        }
        let path = format!("/sync/v1/blobs/{hash}");
        let auth = self.sign("GET", &path, b"")?;
        let headers = [
            ("x-lajna-node", auth.node.as_str()),
            ("x-lajna-time", auth.time.as_str()),
            ("x-lajna-nonce", auth.nonce.as_str()),
            ("x-lajna-signature", auth.signature.as_str()),
        ];
        // Room for a refusal's problem document when the file is tiny.
        let (status, bytes) = client.send("GET", &path, &headers, Vec::new(), size.max(64 * 1024)).await?;
        if !(200..300).contains(&status) {
            return Err(NodeError::Peer(format!("{base}{path} refused ({status})")));
        }
        if bytes.len() as u64 > size {
            return Err(NodeError::Peer(format!("{base}{path}: more than the {size} bytes of the record")));
        }
        self.store_received_blob(hash, size, &bytes)
    }

    /// Syncs with the peer node at `base` (e.g. `http://10.0.0.2:8080`, or `https://…` with its
    /// certificate's fingerprint pinned in the config's `peer_fingerprints`): learns its heads,
    /// pulls what this node lacks in pages, fetches the files of shared documents it lacks,
    /// pushes what the peer lacks in pages. Each page and each file is stored as it arrives, so
    /// a cut link loses nothing: run it again to resume (files missing are retried).
    ///
    /// # Errors
    /// [`NodeError::Peer`] when the peer cannot be reached or refuses; the sync status records it.
    /// [`NodeError::PeerCertificate`] when an `https://` peer presents another certificate than
    /// the pinned one (nothing is sent to it).
    pub async fn sync_with(&self, base: &str) -> Result<SyncReport, NodeError> {
        let client = PeerClient::new(base, self.config.peer_fingerprint(base))?;
        let heads: HeadsReply = self.post(&client, base, "/sync/v1/heads", &HeadsRequest::default()).await?;
        let committee = self.store.committee().await.ok_or(NodeError::Store(StoreError::Empty))?;
        if heads.committee != committee {
            return Err(NodeError::Ledger(LedgerError::WrongCommittee {
                expected: committee.to_hex(),
                found: heads.committee.to_hex(),
            }));
        }
        let peer_party = heads.parties.first().cloned().unwrap_or_else(|| "?".into());
        let mut report = SyncReport { peer_parties: heads.parties.clone(), ..SyncReport::default() };
        // Pull.
        let mut after = 0;
        loop {
            let ours = self.store.heads().await;
            let page: PullReply =
                self.post(&client, base, "/sync/v1/pull", &PullRequest { heads: ours, after }).await?;
            let got = self.receive_batch(&page.events).await?;
            report.received += got.applied;
            report.refused.extend(got.refused);
            match page.next {
                Some(n) => after = n,
                None => break,
            }
        }
        // Files of shared documents this node lacks (also those an earlier sync failed to get).
        for (hash, size) in self.missing_shared_blobs().await {
            match self.fetch_blob(&client, base, &hash, size).await {
                Ok(_) => report.blobs_received += 1,
                Err(e) => {
                    tracing::warn!(blob = %hash, error = %e, "a document file was not received");
                    report.blobs_missing.push((hash, e.to_string()));
                }
            }
        }
        if report.blobs_received > 0 {
            // No event came with the files: let the index read their text now.
            self.files_arrived().await;
        }
        // Push what the peer lacks, by the heads it announced.
        let mut cursor = 0;
        loop {
            let (events, next) = self.store.missing_for(&heads.heads, cursor, PAGE).await?;
            if !events.is_empty() {
                let body = PushRequest { events: events.into_iter().map(|e| e.raw).collect() };
                let reply: PushReply = self.post(&client, base, "/sync/v1/push", &body).await?;
                report.sent += reply.applied;
                report.refused.extend(reply.refused);
            }
            match next {
                Some(n) => cursor = n,
                None => break,
            }
        }
        // Tell our heads, with our checkpoint of the peer's heads we pulled; the peer answers
        // with its checkpoint of ours.
        let checkpoint = self.checkpoint_for(&heads.heads, Some(&peer_party)).await?;
        let tell = HeadsRequest { heads: Some(self.store.heads().await), checkpoint };
        let after_heads: HeadsReply = self.post(&client, base, "/sync/v1/heads", &tell).await?;
        let mut error = report.refused.first().map(|(id, why)| format!("{id}: {why}"));
        let mut refused_checkpoint = None;
        if let Some(cp) = &after_heads.checkpoint
            && let Err(e) = self.accept_checkpoint(cp, Some(&peer_party), "http").await
        {
            error = Some(format!("the peer's checkpoint is refused: {e}"));
            refused_checkpoint = Some(e);
        }
        self.store
            .record_exchange(
                &peer_party,
                Some(&after_heads.heads),
                "http",
                report.received as i64,
                report.refused.len() as i64,
                error.as_deref(),
                None,
            )
            .await?;
        match refused_checkpoint {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }
}

/// Starts a node of an existing committee in `path`: imports a bundle holding the committee
/// from its genesis, makes a node key, and certifies it with `root` (the party's root key,
/// which must be the one the genesis names). The certificate is an event of this node: the
/// first sync gives it to the other nodes.
///
/// # Errors
/// [`NodeError::AlreadyInitialised`], a refused bundle, or a root that is not the party's; the
/// directory is removed again if this call created it.
pub async fn join(
    path: &std::path::Path,
    bundle: &[u8],
    party: &str,
    root: &lajna_ledger::SecretKey,
    peers: Vec<String>,
) -> Result<Node, NodeError> {
    let created = !path.exists();
    let result = join_inner(path, bundle, party, root, peers).await;
    if result.is_err() && created {
        let _ = std::fs::remove_dir_all(path);
    }
    result
}

async fn join_inner(
    path: &std::path::Path,
    bundle: &[u8],
    party: &str,
    root: &lajna_ledger::SecretKey,
    peers: Vec<String>,
) -> Result<Node, NodeError> {
    let dir = crate::DataDir(path.to_path_buf());
    if dir.config().exists() || dir.database().exists() {
        return Err(NodeError::AlreadyInitialised { path: path.to_path_buf() });
    }
    let (header, events, blobs) = read_bundle_with_blobs(bundle, MAX_BUNDLE_BYTES)?;
    std::fs::create_dir_all(dir.keys()).map_err(crate::error::io(dir.keys()))?;
    std::fs::create_dir_all(dir.0.join("blobs")).map_err(crate::error::io(dir.0.join("blobs")))?;
    let store = lajna_store::Store::open(&dir.database()).await?;
    store.lock().await.append(&events).await?;
    if store.committee().await != Some(header.committee) {
        return Err(NodeError::Ledger(LedgerError::Malformed(
            "the bundle does not start at the committee's genesis".into(),
        )));
    }
    let root_matches = store.lock().await.trust().root(party) == Some(root.public());
    if !root_matches {
        return Err(NodeError::Ledger(LedgerError::Uncertified { party: party.into(), key: root.public().to_hex() }));
    }
    let node_key = lajna_ledger::SecretKey::generate()?;
    let cert = {
        let guard = store.lock().await;
        lajna_ledger::Draft {
            committee: guard.committee(),
            parents: guard.heads(),
            party: party.into(),
            member: None,
            at: now_rfc3339(),
            kind: lajna_ledger::KEY_CERTIFIED_KIND.into(),
            body: serde_json::json!({"party": party, "node": node_key.public().to_hex(), "label": format!("node of {party}")}),
        }
        .sign(root)?
    };
    store.lock().await.append(std::slice::from_ref(&cert)).await?;
    store
        .record_exchange(&header.from, Some(&header.heads), "bundle-import", events.len() as i64, 0, None, None)
        .await?;
    store.close().await;
    crate::write_key(&dir.node_key(party), &node_key)?;
    let mut config = crate::Config::new(vec![party.into()]);
    config.peers = peers;
    config.save(&dir.config())?;
    let node = Node::open(path).await?;
    // The files of the shared documents the bundle carries (the rest comes by sync).
    let shared = node.shared_document_files().await;
    for blob in &blobs {
        if shared.iter().any(|(_, h, size)| *h == blob.blake3 && *size == blob.bytes.len() as u64) {
            crate::documents::store_blob(&node.dir, &blob.bytes)?;
        }
    }
    Ok(node)
}
