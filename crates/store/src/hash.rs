//! The state hash: one BLAKE3 over the projections, so two nodes (or a node and its rebuild)
//! can compare their whole state in 64 hex digits (DESIGN.md §4 invariants 4 and 8).

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
