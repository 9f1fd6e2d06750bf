//! Bundles: events carried on a USB key when the link is down (DESIGN.md §1, issue 5), with the
//! files of the shared documents they register (issue 6).
//!
//! A bundle is one zstd frame. Decompressed, it is:
//! 1. one header line (JSON, [`BundleHeader`]) ending in `\n`;
//! 2. one line per event (the [`SignedEvent`] wire form, each ending in `\n`);
//! 3. format `lajna-bundle/2` only: the blob bytes, one after the other, in the order and with
//!    the sizes listed in the header's `blobs` (`[{"blake3": hex, "size": bytes}, …]`); the
//!    header's `events_bytes` says where the event lines end.
//!
//! The header names the committee, the sending party, the number of events, the BLAKE3 of the
//! event lines and the BLAKE3 and size of every blob, so a truncated or altered bundle is refused
//! before any event is looked at; each event then verifies on its own signatures. This crate
//! knows no domain: a blob is checked only against its BLAKE3 name; which blobs travel (the
//! files of shared documents, never of one-party ones) is the node's choice.
//!
//! A bundle without blobs is written as `lajna-bundle/1`, byte for byte the format before
//! blobs existed, so older nodes read it; both formats are read.

use serde::{Deserialize, Serialize};

use crate::{EventId, LedgerError, SignedEvent};

/// Format tag of a bundle without blobs (events only).
pub const BUNDLE_FORMAT: &str = "lajna-bundle/1";
/// Format tag of a bundle that carries blobs after its events.
pub const BUNDLE_FORMAT_BLOBS: &str = "lajna-bundle/2";

/// One blob listed in a bundle header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobEntry {
    /// BLAKE3 of the bytes, 64 lowercase hex digits.
    pub blake3: String,
    /// Number of bytes.
    pub size: u64,
}

/// The first line of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    /// [`BUNDLE_FORMAT`].
    pub format: String,
    /// Genesis id of the committee.
    pub committee: EventId,
    /// Party of the sending node.
    pub from: String,
    /// Party it is meant for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// When it was made, RFC 3339 UTC (informational).
    pub created_at: String,
    /// The sender's heads when it was made (what the sender then held).
    pub heads: Vec<EventId>,
    /// Number of event lines.
    pub count: usize,
    /// BLAKE3 (hex) of the event lines, each with its trailing newline.
    pub events_blake3: String,
    /// Format 2: length of the event lines in bytes (where the blob bytes start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_bytes: Option<u64>,
    /// Format 2: the blobs after the event lines, in order (empty in format 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blobs: Vec<BlobEntry>,
}

/// A blob read from a bundle: its bytes, checked against its BLAKE3 name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleBlob {
    /// BLAKE3 of `bytes`, 64 lowercase hex digits.
    pub blake3: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Encodes a bundle of events only (format `lajna-bundle/1`), zstd level 19 (bundles are
/// small and links slow).
///
/// # Errors
/// [`LedgerError::Encoding`] if an event cannot be written or compression fails.
pub fn write_bundle(header: BundleHeader, events: &[SignedEvent]) -> Result<Vec<u8>, LedgerError> {
    write_bundle_with_blobs(header, events, &[])
}

/// Encodes a bundle of events and blobs (format `lajna-bundle/2`, or `lajna-bundle/1` when
/// `blobs` is empty). Each blob is named by the BLAKE3 of its bytes, computed here; the same
/// bytes given twice are written once.
///
/// # Errors
/// [`LedgerError::Encoding`] if an event cannot be written or compression fails.
pub fn write_bundle_with_blobs(
    mut header: BundleHeader,
    events: &[SignedEvent],
    blobs: &[&[u8]],
) -> Result<Vec<u8>, LedgerError> {
    let mut body = String::new();
    for e in events {
        body.push_str(&serde_json::to_string(e).map_err(|e| LedgerError::Encoding(e.to_string()))?);
        body.push('\n');
    }
    header.count = events.len();
    header.events_blake3 = blake3::hash(body.as_bytes()).to_hex().to_string();
    header.blobs = vec![];
    let mut tail: Vec<u8> = Vec::new();
    for bytes in blobs {
        let hash = blake3::hash(bytes).to_hex().to_string();
        if header.blobs.iter().any(|b| b.blake3 == hash) {
            continue;
        }
        header.blobs.push(BlobEntry { blake3: hash, size: bytes.len() as u64 });
        tail.extend_from_slice(bytes);
    }
    if header.blobs.is_empty() {
        header.format = BUNDLE_FORMAT.into();
        header.events_bytes = None;
    } else {
        header.format = BUNDLE_FORMAT_BLOBS.into();
        header.events_bytes = Some(body.len() as u64);
    }
    let mut data = serde_json::to_vec(&header).map_err(|e| LedgerError::Encoding(e.to_string()))?;
    data.push(b'\n');
    data.extend_from_slice(body.as_bytes());
    data.extend_from_slice(&tail);
    zstd::bulk::compress(&data, 19).map_err(|e| LedgerError::Encoding(format!("zstd: {e}")))
}

/// Decodes and checks a bundle: zstd frame complete, at most `max_bytes` once decompressed,
/// known format, count and BLAKE3 of the event lines as the header says. Signatures are not
/// checked here (the store checks every event as it imports it). Blobs of a format-2 bundle
/// are checked and dropped; see [`read_bundle_with_blobs`].
///
/// # Errors
/// [`LedgerError::BundleCorrupt`] saying what is wrong.
pub fn read_bundle(bytes: &[u8], max_bytes: usize) -> Result<(BundleHeader, Vec<SignedEvent>), LedgerError> {
    read_bundle_with_blobs(bytes, max_bytes).map(|(h, e, _)| (h, e))
}

/// [`read_bundle`], and the blobs of a format-2 bundle, each checked against the BLAKE3 and
/// size its header lists (empty for format 1).
///
/// # Errors
/// [`LedgerError::BundleCorrupt`] saying what is wrong: also a blob whose bytes do not match
/// its BLAKE3, or blob bytes missing or left over.
pub fn read_bundle_with_blobs(
    bytes: &[u8],
    max_bytes: usize,
) -> Result<(BundleHeader, Vec<SignedEvent>, Vec<BundleBlob>), LedgerError> {
    let corrupt = |why: String| LedgerError::BundleCorrupt(why);
    let data = zstd::bulk::decompress(bytes, max_bytes)
        .map_err(|e| corrupt(format!("not a complete zstd bundle (truncated or damaged?): {e}")))?;
    let nl = data.iter().position(|b| *b == b'\n').ok_or_else(|| corrupt("no header line".into()))?;
    let header: BundleHeader = serde_json::from_slice(&data[..nl]).map_err(|e| corrupt(format!("header: {e}")))?;
    let rest = &data[nl + 1..];
    let (body, mut tail) = match header.format.as_str() {
        BUNDLE_FORMAT => (rest, &rest[rest.len()..]),
        BUNDLE_FORMAT_BLOBS => {
            let n = header
                .events_bytes
                .and_then(|n| usize::try_from(n).ok())
                .filter(|n| *n <= rest.len())
                .ok_or_else(|| corrupt("the header's events_bytes is missing or past the end".into()))?;
            rest.split_at(n)
        }
        other => return Err(corrupt(format!("format {other:?} is not {BUNDLE_FORMAT} or {BUNDLE_FORMAT_BLOBS}"))),
    };
    let body = std::str::from_utf8(body).map_err(|_| corrupt("the event lines are not UTF-8 text".into()))?;
    if blake3::hash(body.as_bytes()).to_hex().as_str() != header.events_blake3 {
        return Err(corrupt("the events do not match the header's BLAKE3: the bundle was altered".into()));
    }
    let events: Vec<SignedEvent> = body
        .lines()
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| corrupt(format!("event line {}: {e}", i + 1))))
        .collect::<Result<_, _>>()?;
    if events.len() != header.count {
        return Err(corrupt(format!(
            "the header announces {} events, the bundle holds {}",
            header.count,
            events.len()
        )));
    }
    let mut blobs = Vec::with_capacity(header.blobs.len());
    for entry in &header.blobs {
        let size = usize::try_from(entry.size)
            .ok()
            .filter(|s| *s <= tail.len())
            .ok_or_else(|| corrupt(format!("blob {}: its bytes are missing (truncated?)", entry.blake3)))?;
        let (bytes, rest) = tail.split_at(size);
        tail = rest;
        if blake3::hash(bytes).to_hex().as_str() != entry.blake3 {
            return Err(corrupt(format!(
                "blob {}: the bytes do not match its BLAKE3: the bundle was altered",
                entry.blake3
            )));
        }
        blobs.push(BundleBlob { blake3: entry.blake3.clone(), bytes: bytes.to_vec() });
    }
    if !tail.is_empty() {
        return Err(corrupt(format!("{} bytes after the last blob", tail.len())));
    }
    Ok((header, events, blobs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Draft, SecretKey};

    fn events() -> Vec<SignedEvent> {
        let k = SecretKey::from_seed([5; 32]);
        (0..3)
            .map(|i| {
                Draft {
                    committee: Some(EventId::of(b"c")),
                    parents: vec![(EventId::of(&[i]), 1)],
                    party: "MAR".into(),
                    member: None,
                    at: "2025-02-17T00:00:00Z".into(),
                    kind: "x.y".into(),
                    body: serde_json::json!({"v": 1, "n": i}),
                }
                .sign(&k)
                .unwrap()
            })
            .collect()
    }

    fn header() -> BundleHeader {
        BundleHeader {
            format: String::new(),
            committee: EventId::of(b"c"),
            from: "MAR".into(),
            to: Some("MLI".into()),
            created_at: "2025-02-17T00:00:00Z".into(),
            heads: vec![],
            count: 0,
            events_blake3: String::new(),
            events_bytes: None,
            blobs: vec![],
        }
    }

    #[test]
    fn a_bundle_reads_back_what_was_written() {
        let bytes = write_bundle(header(), &events()).unwrap();
        let (h, e) = read_bundle(&bytes, 1 << 20).unwrap();
        assert_eq!(e, events());
        assert_eq!((h.count, h.format.as_str(), h.to.as_deref()), (3, BUNDLE_FORMAT, Some("MLI")));
    }

    #[test]
    fn a_truncated_bundle_is_refused() {
        let bytes = write_bundle(header(), &events()).unwrap();
        for cut in [1, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(read_bundle(&bytes[..cut], 1 << 20).unwrap_err().code(), "bundle-corrupt", "cut at {cut}");
        }
    }

    #[test]
    fn an_altered_event_line_is_refused_by_the_header_hash() {
        let bytes = write_bundle(header(), &events()).unwrap();
        let text = String::from_utf8(zstd::bulk::decompress(&bytes, 1 << 20).unwrap()).unwrap();
        let altered = text.replacen("\\\"n\\\":1", "\\\"n\\\":7", 1);
        assert_ne!(altered, text);
        let again = zstd::bulk::compress(altered.as_bytes(), 3).unwrap();
        let err = read_bundle(&again, 1 << 20).unwrap_err();
        assert!(err.to_string().contains("altered"), "{err}");
    }

    #[test]
    fn a_bundle_larger_than_the_limit_is_refused() {
        let bytes = write_bundle(header(), &events()).unwrap();
        assert!(read_bundle(&bytes, 100).is_err());
    }

    #[test]
    fn blobs_travel_after_the_events_and_are_checked_by_their_hash() {
        let (a, b): (&[u8], &[u8]) = (b"file one", b"second file, longer");
        let bytes = write_bundle_with_blobs(header(), &events(), &[a, b, a]).unwrap();
        let (h, e, blobs) = read_bundle_with_blobs(&bytes, 1 << 20).unwrap();
        assert_eq!(h.format, BUNDLE_FORMAT_BLOBS);
        assert_eq!(e, events());
        assert_eq!(blobs.len(), 2, "the same bytes travel once");
        assert_eq!(blobs[0], BundleBlob { blake3: blake3::hash(a).to_hex().to_string(), bytes: a.to_vec() });
        assert_eq!(blobs[1].bytes, b);
        assert_eq!(h.blobs[1].size, b.len() as u64);
        // read_bundle reads it too, without the blobs.
        assert_eq!(read_bundle(&bytes, 1 << 20).unwrap().1, events());
        // One byte of a blob changed: refused by the blob's hash.
        let mut data = zstd::bulk::decompress(&bytes, 1 << 20).unwrap();
        let last = data.len() - 1;
        data[last] ^= 1;
        let err = read_bundle_with_blobs(&zstd::bulk::compress(&data, 3).unwrap(), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("do not match its BLAKE3"), "{err}");
        // A byte cut off the end, or one added: refused.
        let mut data = zstd::bulk::decompress(&bytes, 1 << 20).unwrap();
        data.pop();
        let err = read_bundle_with_blobs(&zstd::bulk::compress(&data, 3).unwrap(), 1 << 20).unwrap_err();
        assert_eq!(err.code(), "bundle-corrupt");
        let mut data = zstd::bulk::decompress(&bytes, 1 << 20).unwrap();
        data.push(b'x');
        let err = read_bundle_with_blobs(&zstd::bulk::compress(&data, 3).unwrap(), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("after the last blob"), "{err}");
    }

    #[test]
    fn a_bundle_without_blobs_keeps_the_first_format() {
        let bytes = write_bundle(header(), &events()).unwrap();
        let text = String::from_utf8(zstd::bulk::decompress(&bytes, 1 << 20).unwrap()).unwrap();
        let head = text.lines().next().unwrap();
        assert!(head.starts_with(r#"{"format":"lajna-bundle/1","#), "{head}");
        assert!(!head.contains("blobs") && !head.contains("events_bytes"), "{head}");
        // A bundle written by hand in the first format, as older nodes did, reads.
        let body: String = events().iter().map(|e| serde_json::to_string(e).unwrap() + "\n").collect();
        let old = format!(
            "{{\"format\":\"lajna-bundle/1\",\"committee\":\"{}\",\"from\":\"MAR\",\"created_at\":\"2025-02-17T00:00:00Z\",\"heads\":[],\"count\":3,\"events_blake3\":\"{}\"}}\n{body}",
            EventId::of(b"c").to_hex(),
            blake3::hash(body.as_bytes()).to_hex()
        );
        let (h, e, blobs) = read_bundle_with_blobs(&zstd::bulk::compress(old.as_bytes(), 3).unwrap(), 1 << 20).unwrap();
        assert_eq!((h.count, e, blobs.len()), (3, events(), 0));
    }
}
