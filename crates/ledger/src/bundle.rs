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
//! The header names the committee, the sending party, its heads (which include every carried
//! event with no child in the bundle), the number of events, the BLAKE3 of the event lines and
//! the BLAKE3 and size of every blob, so a truncated or altered bundle is refused before any
//! event is looked at (decompression is streamed and stops at the reader's limit); each event then verifies on its own signatures. This crate
//! knows no domain: a blob is checked only against its BLAKE3 name; which blobs travel (the
//! files of shared documents, never of one-party ones) is the node's choice.
//!
//! A bundle without blobs is written as `lajna-bundle/1`, byte for byte the format before
//! blobs existed, so older nodes read it; both formats are read. Either header may carry the
//! sender's signed checkpoint (`checkpoint`, optional; issue 12 item 5), which older readers
//! ignore; a header without one reads as before.

use std::collections::HashSet;
use std::io::Read;

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
    /// The sender's heads when it was made (what the sender then held). Writers add every
    /// carried event with no child in the bundle and drop any head with a child in it; readers
    /// refuse a bundle where that does not hold (an event removed, the header altered).
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
    /// The sender node's signed checkpoint of the heads it held when it made the bundle
    /// ([`crate::checkpoint`]): after importing, the receiver holds them, and keeps the
    /// checkpoint as the sender's witness of its log. Optional: bundles without one (older
    /// nodes) read as before, and older nodes ignore it. It carries its own signature; the
    /// header is not signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<crate::Checkpoint>,
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
/// bytes given twice are written once. The header's count, hash and blob list are computed
/// here, and its heads made consistent with the events (see [`BundleHeader::heads`]).
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
    // The heads readers check against the events (see `check_heads`): the sender's heads, less
    // any that has a child among the events, plus every event with no child among them.
    let (_, parents) = ids_and_parents(events);
    header.heads.retain(|h| !parents.contains(h));
    for tip in bundle_heads(events) {
        if !header.heads.contains(&tip) {
            header.heads.push(tip);
        }
    }
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

/// The largest zstd window (log2, bytes) a bundle may ask its reader to hold: 16 MiB. The
/// decoder allocates the window a frame declares as soon as it reads the frame header, so
/// without this bound ten bytes declaring zstd's default maximum (2^27) reserve 128 MiB
/// (found by `fuzz/`'s bundle target, issue 12). [`write_bundle_with_blobs`] compresses at
/// level 19, whose window is at most 8 MiB (2^23; smaller bundles get a window of their own
/// size), so every bundle Lajna writes stays readable.
pub const MAX_WINDOW_LOG: u32 = 24;

/// Decompresses a bundle as a stream, into a buffer that grows only as bytes arrive: the size
/// a frame declares is never allocated up front, the window is at most 2^[`MAX_WINDOW_LOG`]
/// bytes, and reading stops one byte past `max_bytes`.
fn decompress(bytes: &[u8], max_bytes: usize) -> Result<Vec<u8>, LedgerError> {
    let damaged = |e: std::io::Error| {
        LedgerError::BundleCorrupt(format!("not a complete zstd bundle (truncated or damaged?): {e}"))
    };
    let mut decoder = zstd::stream::read::Decoder::with_buffer(bytes).map_err(damaged)?;
    decoder.window_log_max(MAX_WINDOW_LOG).map_err(damaged)?;
    let mut data = Vec::new();
    let cap = u64::try_from(max_bytes).unwrap_or(u64::MAX).saturating_add(1);
    decoder.take(cap).read_to_end(&mut data).map_err(damaged)?;
    if data.len() > max_bytes {
        return Err(LedgerError::BundleCorrupt(format!(
            "the bundle decompresses to more than the limit of {max_bytes} bytes"
        )));
    }
    Ok(data)
}

/// The part of an envelope that says where an event sits in the DAG.
#[derive(Deserialize)]
struct Parents {
    parents: Vec<EventId>,
}

/// The ids of `events` and the ids they name as parents (an envelope that does not parse names
/// none; the store refuses it on its own).
fn ids_and_parents(events: &[SignedEvent]) -> (Vec<EventId>, HashSet<EventId>) {
    let ids = events.iter().map(SignedEvent::id).collect();
    let parents = events
        .iter()
        .filter_map(|e| serde_json::from_str::<Parents>(&e.envelope).ok())
        .flat_map(|p| p.parents)
        .collect();
    (ids, parents)
}

/// The heads of the events carried: those no event of the bundle names as a parent, in order.
#[must_use]
pub fn bundle_heads(events: &[SignedEvent]) -> Vec<EventId> {
    let (ids, parents) = ids_and_parents(events);
    let mut heads: Vec<EventId> = Vec::new();
    for id in ids {
        if !parents.contains(&id) && !heads.contains(&id) {
            heads.push(id);
        }
    }
    heads
}

/// The header's heads (what the sender held) against the events carried (issue 12): every
/// event with no child in the bundle must be one of them, and none of them may have a child
/// in the bundle. The header's heads may name events the bundle does not carry (the receiver
/// already holds them: a bundle carries only what its party lacks), so they are not required
/// to be carried. A bundle whose last event was removed, with its count and hash recomputed,
/// is refused here: the removed event's parent has no child left and is no head.
fn check_heads(header: &BundleHeader, events: &[SignedEvent]) -> Result<(), LedgerError> {
    let (_, parents) = ids_and_parents(events);
    if let Some(tip) = bundle_heads(events).into_iter().find(|t| !header.heads.contains(t)) {
        return Err(LedgerError::BundleCorrupt(format!(
            "event {} has no child in the bundle but is not one of the header's heads: an event was removed or the header altered",
            tip.to_hex()
        )));
    }
    if let Some(head) = header.heads.iter().find(|h| parents.contains(h)) {
        return Err(LedgerError::BundleCorrupt(format!(
            "the header's head {} has a child in the bundle: the header was altered",
            head.to_hex()
        )));
    }
    Ok(())
}

/// Decodes and checks a bundle: zstd frame complete, at most `max_bytes` once decompressed
/// (streamed: what a frame declares is never allocated up front), known format, count and
/// BLAKE3 of the event lines as the header says, and the header's heads consistent with the
/// events (every event with no child in the bundle is one of them, none has a child in it). Signatures are not
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
    let data = decompress(bytes, max_bytes)?;
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
    check_heads(&header, &events)?;
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
            checkpoint: None,
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
        // An older node wrote its store's heads, which hold every event it sent with no child.
        let heads = serde_json::to_string(&events().iter().map(SignedEvent::id).collect::<Vec<_>>()).unwrap();
        let old = format!(
            "{{\"format\":\"lajna-bundle/1\",\"committee\":\"{}\",\"from\":\"MAR\",\"created_at\":\"2025-02-17T00:00:00Z\",\"heads\":{heads},\"count\":3,\"events_blake3\":\"{}\"}}\n{body}",
            EventId::of(b"c").to_hex(),
            blake3::hash(body.as_bytes()).to_hex()
        );
        let (h, e, blobs) = read_bundle_with_blobs(&zstd::bulk::compress(old.as_bytes(), 3).unwrap(), 1 << 20).unwrap();
        assert_eq!((h.count, e, blobs.len()), (3, events(), 0));
    }

    #[test]
    fn a_header_may_carry_a_signed_checkpoint_and_one_without_reads_as_before() {
        let k = SecretKey::from_seed([5; 32]);
        let cp = crate::Checkpoint::sign(
            &k,
            crate::CheckpointStatement {
                kind: String::new(),
                committee: EventId::of(b"c"),
                party: "MAR".into(),
                node: String::new(),
                of: None,
                heads: bundle_heads(&events()),
                count: 3,
                at: "2025-02-17T00:00:00Z".into(),
            },
        )
        .unwrap();
        let mut h = header();
        h.checkpoint = Some(cp.clone());
        let (back, e) = read_bundle(&write_bundle(h, &events()).unwrap(), 1 << 20).unwrap();
        assert_eq!((back.checkpoint, e), (Some(cp), events()));
        // Without one, the header line has no such field (byte for byte the older format).
        let bytes = write_bundle(header(), &events()).unwrap();
        let text = String::from_utf8(zstd::bulk::decompress(&bytes, 1 << 20).unwrap()).unwrap();
        assert!(!text.lines().next().unwrap().contains("checkpoint"));
        assert_eq!(read_bundle(&bytes, 1 << 20).unwrap().0.checkpoint, None);
    }

    /// Peak virtual memory of this process, bytes (`VmPeak`), where Linux tells it.
    fn vm_peak() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmPeak:"))?;
        let kib: u64 = line.trim_start_matches("VmPeak:").trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kib * 1024)
    }

    /// A zstd frame (RFC 8878) whose header declares `declared` bytes of content and whose one
    /// raw block holds `content`: `single_segment` makes the window the declared size.
    fn frame_declaring(declared: u64, content: &[u8], single_segment: bool) -> Vec<u8> {
        let mut f = vec![0x28, 0xB5, 0x2F, 0xFD];
        if single_segment {
            f.push(0b1110_0000); // 8-byte content size, single segment
        } else {
            f.push(0b1100_0000); // 8-byte content size
            f.push(0); // window 1 KiB
        }
        f.extend_from_slice(&declared.to_le_bytes());
        let block = ((content.len() as u32) << 3) | 1; // raw, last block
        f.extend_from_slice(&block.to_le_bytes()[..3]);
        f.extend_from_slice(content);
        f
    }

    #[test]
    fn a_bundle_declaring_a_huge_size_is_refused_without_allocating_it() {
        let body = write_bundle(header(), &events()).unwrap();
        let text = zstd::bulk::decompress(&body, 1 << 20).unwrap();
        // As the node reads bundles: a limit of 1 GiB.
        for single_segment in [false, true] {
            let crafted = frame_declaring(1 << 30, &text, single_segment);
            assert!(crafted.len() < 4096);
            let before = vm_peak();
            let err = read_bundle(&crafted, 1 << 30).unwrap_err();
            assert_eq!(err.code(), "bundle-corrupt", "{err}");
            if let (Some(before), Some(after)) = (before, vm_peak()) {
                assert!(after - before < 512 << 20, "read_bundle reserved {} MiB", (after - before) >> 20);
            }
        }
        // Content that really is larger than the limit is refused at the limit, streaming.
        let big = zstd::bulk::compress(&vec![b'x'; 8 << 20], 3).unwrap();
        let err = read_bundle(&big, 1 << 20).unwrap_err();
        assert!(err.to_string().contains("more than the limit of 1048576 bytes"), "{err}");
    }

    /// A zstd frame of unknown content size whose window descriptor asks for 2^`log` bytes
    /// (RFC 8878 §3.1.1.1.2), with one raw block of `content`.
    fn frame_with_window(log: u32, content: &[u8]) -> Vec<u8> {
        let mut f = vec![0x28, 0xB5, 0x2F, 0xFD, 0b0000_0000, ((log - 10) << 3) as u8];
        let block = ((content.len() as u32) << 3) | 1; // raw, last block
        f.extend_from_slice(&block.to_le_bytes()[..3]);
        f.extend_from_slice(content);
        f
    }

    /// Regression (fuzz/ bundle target, issue 12; the input is
    /// fuzz/corpus/bundle/regression-window-128mib.zst): ten bytes whose frame header asks for
    /// zstd's largest default window made the decoder allocate 128 MiB before reading a block.
    #[test]
    fn a_frame_asking_for_a_huge_window_is_refused_without_reserving_it() {
        let crafted = frame_with_window(27, b"x");
        assert_eq!(crafted, include_bytes!("../../../fuzz/corpus/bundle/regression-window-128mib.zst"));
        let before = vm_peak();
        let err = read_bundle(&crafted, 1 << 30).unwrap_err();
        assert_eq!(err.code(), "bundle-corrupt", "{err}");
        if let (Some(before), Some(after)) = (before, vm_peak()) {
            assert!(after - before < 64 << 20, "read_bundle reserved {} MiB", (after - before) >> 20);
        }
        // The window the writer uses (level 19: 2^23) still reads; 2^24 is the reader's bound.
        let text = zstd::bulk::decompress(&write_bundle(header(), &events()).unwrap(), 1 << 20).unwrap();
        for log in [23, MAX_WINDOW_LOG] {
            assert_eq!(read_bundle(&frame_with_window(log, &text), 1 << 20).unwrap().1, events());
        }
        assert!(read_bundle(&frame_with_window(MAX_WINDOW_LOG + 1, &text), 1 << 20).is_err());
        // A bundle larger than the window is written with a window of 2^23 and reads back.
        let big: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i; 3 << 20]).collect();
        let blobs: Vec<&[u8]> = big.iter().map(Vec::as_slice).collect();
        let bytes = write_bundle_with_blobs(header(), &events(), &blobs).unwrap();
        assert_eq!(read_bundle_with_blobs(&bytes, 1 << 30).unwrap().2.len(), 3);
    }

    /// Three events in a chain (each the parent of the next).
    fn chain() -> Vec<SignedEvent> {
        let k = SecretKey::from_seed([5; 32]);
        let mut out: Vec<SignedEvent> = Vec::new();
        for i in 0..3u8 {
            let parents = match out.last() {
                Some(p) => vec![(p.id(), i64::from(i) + 1)],
                None => vec![(EventId::of(b"c"), 1)],
            };
            let e = Draft {
                committee: Some(EventId::of(b"c")),
                parents,
                party: "MAR".into(),
                member: None,
                at: "2025-02-17T00:00:00Z".into(),
                kind: "x.y".into(),
                body: serde_json::json!({"n": i}),
            }
            .sign(&k)
            .unwrap();
            out.push(e);
        }
        out
    }

    /// A bundle whose header and event lines are given as they are, compressed.
    fn bundle_of(header: &BundleHeader, events: &[SignedEvent]) -> Vec<u8> {
        let mut text = serde_json::to_string(header).unwrap() + "\n";
        for e in events {
            text += &(serde_json::to_string(e).unwrap() + "\n");
        }
        zstd::bulk::compress(text.as_bytes(), 3).unwrap()
    }

    #[test]
    fn the_writer_makes_the_header_heads_hold_the_events_without_a_child() {
        let events = chain();
        let mut h = header();
        h.heads = vec![events[1].id(), EventId::of(b"held by the receiver")];
        let (h, _) = read_bundle(&write_bundle(h, &events).unwrap(), 1 << 20).unwrap();
        assert_eq!(h.heads, vec![EventId::of(b"held by the receiver"), events[2].id()]);
        assert_eq!(bundle_heads(&events), vec![events[2].id()]);
        // An empty bundle keeps the sender's heads: the receiver may hold them already.
        let mut h = header();
        h.heads = vec![EventId::of(b"x")];
        assert_eq!(read_bundle(&write_bundle(h, &[]).unwrap(), 1 << 20).unwrap().0.heads, vec![EventId::of(b"x")]);
    }

    #[test]
    fn a_bundle_with_its_last_event_dropped_and_count_and_hash_recomputed_is_refused_by_its_heads() {
        let events = chain();
        let bytes = write_bundle(header(), &events).unwrap();
        let (mut h, read) = read_bundle(&bytes, 1 << 20).unwrap();
        assert_eq!(h.heads, vec![events[2].id()]);
        // Drop the last event, recompute the count and the hash, leave the heads as written.
        let kept = &read[..2];
        let body: String = kept.iter().map(|e| serde_json::to_string(e).unwrap() + "\n").collect();
        h.count = 2;
        h.events_blake3 = blake3::hash(body.as_bytes()).to_hex().to_string();
        let err = read_bundle(&bundle_of(&h, kept), 1 << 20).unwrap_err();
        assert_eq!(err.code(), "bundle-corrupt");
        assert!(
            err.to_string().contains(&format!("event {} has no child in the bundle", events[1].id().to_hex())),
            "{err}"
        );
        // A head that has a child in the bundle is refused too.
        let mut h2 = h.clone();
        h2.heads = vec![events[0].id(), events[1].id()];
        let err = read_bundle(&bundle_of(&h2, kept), 1 << 20).unwrap_err();
        assert!(err.to_string().contains(&format!("head {} has a child", events[0].id().to_hex())), "{err}");
        // With its heads made right as well, the shorter bundle reads (the header is not signed:
        // what this check catches is a header left inconsistent, not a consistent forgery).
        h.heads = vec![events[1].id()];
        assert_eq!(read_bundle(&bundle_of(&h, kept), 1 << 20).unwrap().1, kept.to_vec());
    }
}
