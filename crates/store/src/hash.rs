//! The state hash: one BLAKE3 over the projections, so two nodes (or a node and its rebuild)
//! can compare their whole state in 64 hex digits (DESIGN.md §4 invariants 4 and 8).

use std::sync::Arc;

use lajna_domain::State;
use lajna_domain::state::Entry;
use lajna_ledger::EventId;

use crate::{StoreError, beside, canonical_text};

/// Feeds projection rows into BLAKE3 in a fixed framing:
/// `committee\0{id}\0{charter}\n` then, for each record by id, `record\0{id}\0{kind}\0{doc}\n`,
/// where documents are RFC 8785 canonical JSON (which never contains a raw NUL or newline).
#[derive(Default)]
pub struct StateHasher(blake3::Hasher);

impl StateHasher {
    /// A new hasher.
    #[must_use]
    pub fn new() -> Self {
        Self(blake3::Hasher::new())
    }

    /// The committee row.
    pub fn committee(&mut self, id: &str, charter: &str) {
        for part in [b"committee\0".as_slice(), id.as_bytes(), b"\0", charter.as_bytes(), b"\n"] {
            self.0.update(part);
        }
    }

    /// One record row; call in ascending id order.
    pub fn record(&mut self, id: &str, kind: &str, doc: &str) {
        for part in [b"record\0".as_slice(), id.as_bytes(), b"\0", kind.as_bytes(), b"\0", doc.as_bytes(), b"\n"] {
            self.0.update(part);
        }
    }

    /// The hash, 64 hex digits.
    #[must_use]
    pub fn finish(&self) -> String {
        self.0.finalize().to_hex().to_string()
    }
}

/// The canonical texts of the shared records hashed last, in id order, each with the record
/// value it was made from: [`hash_state_with`] encodes again only the records that changed
/// since (issue 11: the dashboard shows the state hash after every write; encoding 2,000
/// actions took about 10 ms, hashing the kept texts about 1 ms). At most [`RecordTexts::MAX_BYTES`]
/// of text is kept; past it nothing is (a big store encodes every record each time).
#[derive(Default)]
pub struct RecordTexts {
    texts: Vec<(String, Arc<Entry>, Arc<str>)>,
}

impl RecordTexts {
    /// The most text kept, in bytes (64 MiB).
    pub const MAX_BYTES: usize = 64 << 20;

    /// How many records' texts are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether none is.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

/// The state hash of `state` (committee row, then each shared record by id, as
/// [`StateHasher`] frames them), reusing from `kept` the text of every record that is the same
/// shared value as when it was kept, and keeping the texts of this state for the next call.
///
/// # Errors
/// [`StoreError::Corrupt`] if a document cannot be encoded (`kept` is then left empty).
pub fn hash_state_with(
    committee: Option<EventId>,
    state: &State,
    kept: &mut RecordTexts,
) -> Result<String, StoreError> {
    let mut h = StateHasher::new();
    if let (Some(id), Some(charter)) = (committee, state.charter()) {
        h.committee(&id.to_hex(), &canonical_text(&serde_json::to_value(charter).unwrap_or_default())?);
    }
    // The shared state hash covers the shared record only: each node holds its own party's
    // private log, so private records would make equal shared states hash differently.
    let shared: Vec<_> = state.shared_entries().filter(|(_, e)| !e.is_private()).collect();
    let before = std::mem::take(&mut kept.texts);
    let mut reuse = before.into_iter().peekable();
    // Each record's kept text when unchanged (both lists are in id order), else None.
    let mut found: Vec<Option<Arc<str>>> = shared
        .iter()
        .map(|(id, e)| {
            while reuse.next_if(|(kid, _, _)| kid < *id).is_some() {}
            reuse.next_if(|(kid, src, _)| kid == *id && Arc::ptr_eq(src, e)).map(|(_, _, text)| text)
        })
        .collect();
    drop(reuse);
    let missing: Vec<usize> = found.iter().enumerate().filter(|(_, t)| t.is_none()).map(|(i, _)| i).collect();
    // The changed records' texts on both cores, a block at a time (not all held at once).
    for block in missing.chunks(4096) {
        let ((), texts) = beside(block, |&i| canonical_text(&shared[i].1.doc(shared[i].0)), || ());
        for (&i, text) in block.iter().zip(texts) {
            found[i] = Some(Arc::from(text?));
        }
    }
    let (mut texts, mut bytes) = (Vec::with_capacity(shared.len()), 0usize);
    for ((id, entry), text) in shared.iter().zip(found) {
        let text = text.ok_or_else(|| StoreError::Corrupt(format!("record {id}: no canonical text")))?;
        h.record(id, entry.kind.code(), &text);
        bytes += text.len();
        texts.push(((*id).clone(), Arc::clone(entry), text));
    }
    if bytes <= RecordTexts::MAX_BYTES {
        kept.texts = texts;
    }
    Ok(h.finish())
}
