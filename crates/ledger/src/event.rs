//! The envelope of ledger v1, signed events, and their verification (DESIGN.md §4).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use ed25519_dalek::Signature;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::LedgerError;
use crate::canonical::{canonical_value_vec, check_numbers, is_canonical};
use crate::keys::{PublicKey, SecretKey};

/// Ledger format version written in every envelope's `v`.
pub const LEDGER_VERSION: i64 = 1;
/// Upper bound of one envelope's size, bytes. Attachments live in blobs, not in events, so
/// 256 KiB leaves room for long minutes in three languages.
pub const MAX_EVENT_BYTES: usize = 256 * 1024;
/// Kind of the genesis event; its body is [`GenesisBody`].
pub const GENESIS_KIND: &str = "ledger.genesis";
/// Kind of a node-key certificate; its body is [`KeyCertifiedBody`], signed by the party root.
pub const KEY_CERTIFIED_KIND: &str = "ledger.key_certified";
/// Kind of a node-key revocation (issue 16 item 5); its body is [`KeyRevokedBody`], signed by
/// the party root. See [`Trust`] for the rule it sets.
pub const KEY_REVOKED_KIND: &str = "ledger.key_revoked";

/// An event id: BLAKE3 (32 bytes) of the envelope's canonical bytes, shown as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(pub [u8; 32]);

impl EventId {
    /// BLAKE3 of `bytes`.
    #[must_use]
    pub fn of(bytes: &[u8]) -> Self {
        Self(*blake3::hash(bytes).as_bytes())
    }

    /// Parses 64 hex digits.
    ///
    /// # Errors
    /// [`LedgerError::Malformed`] for anything else.
    pub fn parse(text: &str) -> Result<Self, LedgerError> {
        let bytes = hex::decode(text).map_err(|_| LedgerError::Malformed(format!("bad event id {text:?}")))?;
        Ok(Self(bytes.try_into().map_err(|_| LedgerError::Malformed(format!("bad event id {text:?}")))?))
    }

    /// 64 lowercase hex digits.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The first 12 hex digits, for people.
    #[must_use]
    pub fn short(&self) -> String {
        self.to_hex()[..12].to_string()
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventId({})", self.short())
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for EventId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Who wrote an event: the party (ISO 3166 alpha-3), the signing key, and optionally the
/// member (record id in the committee's member list) acting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// ISO 3166-1 alpha-3 party code, e.g. `MAR`.
    pub party: String,
    /// Signing key, hex. For `ledger.key_certified` it is the party root key.
    pub node: String,
    /// Member acting, when a person did it (opaque to the ledger).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
}

/// The signed part of an event (ledger v1). Unknown fields are kept by keeping the bytes:
/// this struct is a *view* of them, never re-encoded for verification (invariant 10).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// Ledger version, [`LEDGER_VERSION`].
    pub v: i64,
    /// Genesis id of the committee; absent only in the genesis event itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<EventId>,
    /// Ids of the heads the author knew, sorted ascending, no duplicates; empty only in genesis.
    pub parents: Vec<EventId>,
    /// Lamport clock: 1 + the maximum of the parents' clocks (1 for genesis).
    pub lamport: i64,
    /// Who wrote it.
    pub author: Author,
    /// When, UTC, RFC 3339. Informational only: order comes from the DAG, never wall time.
    pub at: String,
    /// Event kind, e.g. `action.progress_reported`; `ledger.*` kinds belong to the ledger.
    pub kind: String,
    /// The body; opaque JSON to the ledger except for `ledger.*` kinds.
    pub body: Value,
}

/// One signature of an event: the key (hex) and the Ed25519 signature over the 32-byte id (hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSignature {
    /// Public key, hex.
    pub key: String,
    /// Signature, 128 hex digits.
    pub sig: String,
}

/// An event as stored and as sent: the envelope's exact bytes, and its signatures.
///
/// The wire form (JSON) carries the envelope as a *string* so that no JSON tool on the way
/// can re-serialise it: `{"envelope":"{…}","sigs":[{"key":"…","sig":"…"}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedEvent {
    /// Canonical JSON bytes of the envelope, as text.
    pub envelope: String,
    /// Signatures over the id; one for ordinary events, one per party root for genesis.
    pub sigs: Vec<EventSignature>,
}

impl SignedEvent {
    /// BLAKE3 of the envelope bytes.
    #[must_use]
    pub fn id(&self) -> EventId {
        EventId::of(self.envelope.as_bytes())
    }
}

/// Body of the genesis event: the two parties and their root keys, plus the committee's
/// charter, which is opaque to the ledger (the domain reads it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenesisBody {
    /// Both parties with their root keys, sorted by party code.
    pub parties: Vec<GenesisParty>,
    /// The committee's founding facts (names, languages); owned by the domain.
    #[serde(default)]
    pub charter: Value,
}

/// A party named in the genesis event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenesisParty {
    /// ISO 3166-1 alpha-3 code.
    pub party: String,
    /// Root public key, hex.
    pub root: String,
}

/// Body of a `ledger.key_certified` event: the root key of `party` vouches for `node`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCertifiedBody {
    /// Party whose root signed.
    pub party: String,
    /// Certified node key, hex.
    pub node: String,
    /// A name for people, e.g. `Rabat secretariat node`.
    #[serde(default)]
    pub label: String,
}

/// Body of a `ledger.key_revoked` event: the root key of `party` withdraws its certificate of
/// `node` (a leaked or lost key). The events `node` signed that are in the revocation's past
/// stay valid; any other event it signs is refused (see [`Trust`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRevokedBody {
    /// Party whose root signed; the revoked key must be certified for it.
    pub party: String,
    /// Revoked node key, hex.
    pub node: String,
    /// Why, for people (e.g. `laptop stolen 2026-12-02`).
    #[serde(default)]
    pub reason: String,
}

/// What an author fills in before signing; the ledger turns it into a [`SignedEvent`].
#[derive(Clone, Debug)]
pub struct Draft {
    /// Committee (genesis id); `None` only for genesis.
    pub committee: Option<EventId>,
    /// Current heads with their Lamport clocks.
    pub parents: Vec<(EventId, i64)>,
    /// Author party.
    pub party: String,
    /// Member acting, if a person.
    pub member: Option<String>,
    /// RFC 3339 UTC time, informational.
    pub at: String,
    /// Event kind.
    pub kind: String,
    /// Body.
    pub body: Value,
}

impl Draft {
    fn envelope(&self, signer: &PublicKey) -> Result<(Envelope, Vec<u8>), LedgerError> {
        let mut parents: Vec<EventId> = self.parents.iter().map(|(id, _)| *id).collect();
        parents.sort();
        parents.dedup();
        let lamport = 1 + self.parents.iter().map(|(_, l)| *l).max().unwrap_or(0);
        let envelope = Envelope {
            v: LEDGER_VERSION,
            committee: self.committee,
            parents,
            lamport,
            author: Author { party: self.party.clone(), node: signer.to_hex(), member: self.member.clone() },
            at: self.at.clone(),
            kind: self.kind.clone(),
            body: self.body.clone(),
        };
        let value = serde_json::to_value(&envelope).map_err(|e| LedgerError::Encoding(e.to_string()))?;
        check_numbers(&value)?;
        let bytes = canonical_value_vec(&value)?;
        if bytes.len() > MAX_EVENT_BYTES {
            return Err(LedgerError::Oversized { size: bytes.len(), limit: MAX_EVENT_BYTES });
        }
        Ok((envelope, bytes))
    }

    /// Encodes and signs with one key (ordinary events and key certificates).
    ///
    /// # Errors
    /// Encoding errors, numbers out of range, oversized envelopes.
    pub fn sign(&self, key: &SecretKey) -> Result<SignedEvent, LedgerError> {
        let (_, bytes) = self.envelope(&key.public())?;
        Ok(seal(bytes, &[key]))
    }

    /// Encodes and signs the genesis event with both party root keys. The envelope's
    /// `author.node` is the first key's.
    ///
    /// # Errors
    /// As [`Draft::sign`].
    pub fn sign_genesis(&self, roots: &[&SecretKey]) -> Result<SignedEvent, LedgerError> {
        let first = roots.first().ok_or_else(|| LedgerError::BadSignature("no root key".into()))?;
        let (_, bytes) = self.envelope(&first.public())?;
        Ok(seal(bytes, roots))
    }
}

fn seal(bytes: Vec<u8>, keys: &[&SecretKey]) -> SignedEvent {
    let id = EventId::of(&bytes);
    let sigs =
        keys.iter().map(|k| EventSignature { key: k.public().to_hex(), sig: hex::encode(k.sign(&id.0)) }).collect();
    // Canonical JSON is UTF-8 by construction (RFC 8785 §3.2.4).
    SignedEvent { envelope: String::from_utf8(bytes).unwrap_or_default(), sigs }
}

/// An event whose bytes, id and signatures were checked. The DAG checks that need the
/// store (parents present, Lamport clock) are [`Trust::check_dag`]'s.
#[derive(Clone, Debug)]
pub struct VerifiedEvent {
    /// BLAKE3 id.
    pub id: EventId,
    /// The parsed envelope (a view of `raw.envelope`).
    pub envelope: Envelope,
    /// The exact event as received.
    pub raw: SignedEvent,
}

/// Checks bytes, canonical form, numbers, version and every signature, without any trust
/// context. Signatures are verified with `verify_strict` (rejects non-canonical S and
/// small-order keys: case C13).
///
/// # Errors
/// The first problem found, as a [`LedgerError`].
pub fn check_event(raw: &SignedEvent) -> Result<VerifiedEvent, LedgerError> {
    let size = raw.envelope.len();
    if size > MAX_EVENT_BYTES {
        return Err(LedgerError::Oversized { size, limit: MAX_EVENT_BYTES });
    }
    let value: Value = serde_json::from_str(&raw.envelope).map_err(|e| LedgerError::Malformed(e.to_string()))?;
    if !is_canonical(&value, raw.envelope.as_bytes())? {
        return Err(LedgerError::NotCanonical);
    }
    check_numbers(&value)?;
    if let Some(v) = value.get("v").and_then(Value::as_i64)
        && v != LEDGER_VERSION
    {
        return Err(LedgerError::UnsupportedVersion(v));
    }
    let envelope: Envelope = serde_json::from_value(value).map_err(|e| LedgerError::Malformed(e.to_string()))?;
    if envelope.lamport < 1 {
        return Err(LedgerError::BadParents(format!("lamport {} is below 1", envelope.lamport)));
    }
    if envelope.parents.windows(2).any(|w| w[0] >= w[1]) {
        return Err(LedgerError::BadParents("parents are not sorted and unique".into()));
    }
    let is_genesis = envelope.kind == GENESIS_KIND;
    if is_genesis != envelope.parents.is_empty() || is_genesis != envelope.committee.is_none() {
        return Err(LedgerError::BadParents("only the genesis event has no parents and no committee".into()));
    }
    let id = EventId::of(raw.envelope.as_bytes());
    if raw.sigs.is_empty() {
        return Err(LedgerError::BadSignature("the event carries no signature".into()));
    }
    let mut seen = BTreeSet::new();
    for s in &raw.sigs {
        if !seen.insert(s.key.clone()) {
            return Err(LedgerError::BadSignature(format!("key {} signed twice", s.key)));
        }
        let key = PublicKey::parse(&s.key)?.verifying()?;
        let bytes = hex::decode(&s.sig).map_err(|_| LedgerError::BadSignature("signature is not hex".into()))?;
        let bytes: [u8; 64] =
            bytes.try_into().map_err(|_| LedgerError::BadSignature("signature is not 64 bytes".into()))?;
        let sig = Signature::from_bytes(&bytes);
        key.verify_strict(&id.0, &sig)
            .map_err(|_| LedgerError::BadSignature(format!("signature by {} does not verify", s.key)))?;
    }
    Ok(VerifiedEvent { id, envelope, raw: raw.clone() })
}

/// The trust context of one committee: its genesis id, the party root keys, the node keys
/// each root certified, and those it revoked. Built by admitting events in causal order.
///
/// **Revocation rule** (issue 16 item 5). A `ledger.key_revoked` event R, signed by the root of
/// party P, revokes a node key K certified for P. An event signed by K is valid if and only if
/// it is in R's past — an ancestor of R in the DAG, i.e. R's author knew it when signing R.
/// Everything else K signs is refused, whatever its parents or `at` claim. The rule depends on
/// the DAG only, never on arrival order or clocks, so every node that holds R judges alike:
/// R is stored only after all its ancestors, hence once R is admitted every event signed by K
/// that is not stored yet is outside R's past and refused ([`Trust::authorize`] refuses any
/// event of a revoked key). A node that already held an event of K outside R's past when R
/// arrived (written with the leaked key and delivered there before the revocation) keeps it —
/// the log is append-only and a revocation is never refused, else a leaked key could hold it
/// off — and the store's `verify` names that event. Several revocations of one key may exist;
/// each sets the rule (the valid events are those in the past of every one). A revoked key is
/// no longer certified: it signs no sync request or checkpoint, and a later certificate of the
/// same key does not lift the revocation.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    committee: Option<EventId>,
    roots: BTreeMap<String, PublicKey>,
    certified: BTreeMap<String, BTreeSet<PublicKey>>,
    /// Per party, each revoked key with the first revocation of it admitted.
    revoked: BTreeMap<String, BTreeMap<PublicKey, EventId>>,
}

impl Trust {
    /// Genesis id, once the genesis event was admitted.
    #[must_use]
    pub fn committee(&self) -> Option<EventId> {
        self.committee
    }

    /// Root key of `party`.
    #[must_use]
    pub fn root(&self, party: &str) -> Option<PublicKey> {
        self.roots.get(party).copied()
    }

    /// Party codes named in genesis, sorted.
    #[must_use]
    pub fn parties(&self) -> Vec<String> {
        self.roots.keys().cloned().collect()
    }

    /// Whether `key` is certified for `party` and not revoked.
    #[must_use]
    pub fn is_certified(&self, party: &str, key: &PublicKey) -> bool {
        self.certified.get(party).is_some_and(|s| s.contains(key)) && self.revocation(party, key).is_none()
    }

    /// The revocation of `key` for `party` (the first one admitted), if it is revoked.
    #[must_use]
    pub fn revocation(&self, party: &str, key: &PublicKey) -> Option<EventId> {
        self.revoked.get(party).and_then(|r| r.get(key)).copied()
    }

    /// Every revoked key: (party, key, the first revocation admitted), by party then key.
    #[must_use]
    pub fn revocations(&self) -> Vec<(String, PublicKey, EventId)> {
        self.revoked.iter().flat_map(|(p, r)| r.iter().map(|(k, id)| (p.clone(), *k, *id))).collect()
    }

    /// Checks that a signature-verified event is authorised in this context: genesis signed by
    /// both roots it names; certificates and revocations signed by their party's root (a
    /// revocation names a key certified for that party); everything else signed by exactly one
    /// node key certified for the author's party and not revoked, within this committee.
    ///
    /// The event is taken as new, i.e. not in the past of any revocation admitted here: true of
    /// every event not yet stored (a revocation is stored after all its ancestors). For an
    /// event read back from a log, see [`Trust::authorize_known`].
    ///
    /// # Errors
    /// [`LedgerError::WrongCommittee`], [`LedgerError::UnknownParty`],
    /// [`LedgerError::Uncertified`], [`LedgerError::Revoked`], [`LedgerError::BadSignature`],
    /// [`LedgerError::Malformed`].
    pub fn authorize(&self, event: &VerifiedEvent) -> Result<(), LedgerError> {
        self.authorize_known(event, |_| false)
    }

    /// [`Trust::authorize`] for an event whose place in the DAG is known: `before(r)` says
    /// whether the event came before the revocation `r` of its key — in the shared log, it is
    /// in `r`'s past; in a node's private log (which no revocation names as parent), `r` is not
    /// in its past — and then that revocation does not refuse it. The store's `verify` uses it
    /// for the private log, which it replays after the whole shared log.
    ///
    /// # Errors
    /// As [`Trust::authorize`].
    pub fn authorize_known(&self, event: &VerifiedEvent, before: impl Fn(EventId) -> bool) -> Result<(), LedgerError> {
        let env = &event.envelope;
        let signers: BTreeSet<&str> = event.raw.sigs.iter().map(|s| s.key.as_str()).collect();
        if env.kind == GENESIS_KIND {
            if let Some(existing) = self.committee
                && existing != event.id
            {
                return Err(LedgerError::WrongCommittee { expected: existing.to_hex(), found: event.id.to_hex() });
            }
            let body: GenesisBody = serde_json::from_value(env.body.clone())
                .map_err(|e| LedgerError::Malformed(format!("genesis body: {e}")))?;
            if body.parties.len() != 2 || body.parties[0].party >= body.parties[1].party {
                return Err(LedgerError::Malformed("genesis must name two parties, sorted by code".into()));
            }
            let roots: BTreeSet<&str> = body.parties.iter().map(|p| p.root.as_str()).collect();
            for p in &body.parties {
                PublicKey::parse(&p.root)?;
            }
            if roots != signers {
                return Err(LedgerError::BadSignature(
                    "genesis must be signed by exactly the two root keys it names".into(),
                ));
            }
            return Ok(());
        }
        let committee = self.committee.ok_or_else(|| LedgerError::BadParents("no genesis stored yet".into()))?;
        if env.committee != Some(committee) {
            return Err(LedgerError::WrongCommittee {
                expected: committee.to_hex(),
                found: env.committee.map(|c| c.to_hex()).unwrap_or_default(),
            });
        }
        let root = self.root(&env.author.party).ok_or_else(|| LedgerError::UnknownParty(env.author.party.clone()))?;
        if event.raw.sigs.len() != 1 || !signers.contains(env.author.node.as_str()) {
            return Err(LedgerError::BadSignature("an event is signed once, by its author's key".into()));
        }
        let key = PublicKey::parse(&env.author.node)?;
        if env.kind == KEY_CERTIFIED_KIND {
            let body: KeyCertifiedBody = serde_json::from_value(env.body.clone())
                .map_err(|e| LedgerError::Malformed(format!("certificate body: {e}")))?;
            PublicKey::parse(&body.node)?;
            if key != root || body.party != env.author.party {
                return Err(LedgerError::Uncertified { party: env.author.party.clone(), key: key.to_hex() });
            }
            return Ok(());
        }
        if env.kind == KEY_REVOKED_KIND {
            let body: KeyRevokedBody = serde_json::from_value(env.body.clone())
                .map_err(|e| LedgerError::Malformed(format!("revocation body: {e}")))?;
            let revoked = PublicKey::parse(&body.node)?;
            if key != root || body.party != env.author.party {
                return Err(LedgerError::Uncertified { party: env.author.party.clone(), key: key.to_hex() });
            }
            // Only a key of the log can be revoked: its certificate is in the revocation's past
            // wherever the revocation is checked (its author held it), so all nodes agree.
            if !self.certified.get(&body.party).is_some_and(|s| s.contains(&revoked)) {
                return Err(LedgerError::Uncertified { party: body.party, key: revoked.to_hex() });
            }
            return Ok(());
        }
        if let Some(revocation) = self.revocation(&env.author.party, &key)
            && !before(revocation)
        {
            return Err(LedgerError::revoked(
                Some(event.id.to_hex()),
                env.author.party.clone(),
                key.to_hex(),
                revocation.to_hex(),
            ));
        }
        if self.certified.get(&env.author.party).is_some_and(|s| s.contains(&key)) {
            Ok(())
        } else {
            Err(LedgerError::Uncertified { party: env.author.party.clone(), key: key.to_hex() })
        }
    }

    /// Checks the Lamport clock against the parents' clocks (all parents must be known:
    /// the caller looks them up and passes `None` for a missing one).
    ///
    /// # Errors
    /// [`LedgerError::BadParents`] naming the missing parent or the expected clock.
    pub fn check_dag(env: &Envelope, parent_lamports: &[Option<i64>]) -> Result<(), LedgerError> {
        let mut max = 0;
        for (id, l) in env.parents.iter().zip(parent_lamports) {
            match l {
                Some(l) => max = max.max(*l),
                None => return Err(LedgerError::BadParents(format!("parent {} is not stored", id.short()))),
            }
        }
        if env.lamport != max + 1 {
            return Err(LedgerError::BadParents(format!("lamport is {}, expected {}", env.lamport, max + 1)));
        }
        Ok(())
    }

    /// Learns from an authorised event: genesis sets the committee and roots, certificates add
    /// node keys, revocations revoke them. Call only after [`Trust::authorize`] succeeded.
    pub fn admit(&mut self, event: &VerifiedEvent) {
        match event.envelope.kind.as_str() {
            GENESIS_KIND => {
                if let Ok(body) = serde_json::from_value::<GenesisBody>(event.envelope.body.clone()) {
                    self.committee = Some(event.id);
                    for p in body.parties {
                        if let Ok(k) = PublicKey::parse(&p.root) {
                            self.roots.insert(p.party, k);
                        }
                    }
                }
            }
            KEY_CERTIFIED_KIND => {
                if let Ok(body) = serde_json::from_value::<KeyCertifiedBody>(event.envelope.body.clone())
                    && let Ok(k) = PublicKey::parse(&body.node)
                {
                    self.certified.entry(body.party).or_default().insert(k);
                }
            }
            KEY_REVOKED_KIND => {
                if let Ok(body) = serde_json::from_value::<KeyRevokedBody>(event.envelope.body.clone())
                    && let Ok(k) = PublicKey::parse(&body.node)
                {
                    self.revoked.entry(body.party).or_default().entry(k).or_insert(event.id);
                }
            }
            _ => {}
        }
    }
}
