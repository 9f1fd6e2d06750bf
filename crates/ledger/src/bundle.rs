//! Bundles: events carried on a USB key when the link is down (DESIGN.md §1, issue 5).
//!
//! A bundle is zstd-compressed text: one header line (JSON), then one line per event (the
//! [`SignedEvent`] wire form). The header names the committee, the sending party, the number of
//! events and the BLAKE3 of the event lines, so a truncated or altered bundle is refused before
//! any event is looked at; each event then verifies on its own signatures.

use serde::{Deserialize, Serialize};

use crate::{EventId, LedgerError, SignedEvent};

/// Format tag in every bundle header.
pub const BUNDLE_FORMAT: &str = "lajna-bundle/1";

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
}

/// Encodes a bundle: header and events, zstd level 19 (bundles are small and links slow).
///
/// # Errors
/// [`LedgerError::Encoding`] if an event cannot be written or compression fails.
pub fn write_bundle(mut header: BundleHeader, events: &[SignedEvent]) -> Result<Vec<u8>, LedgerError> {
    let mut body = String::new();
    for e in events {
        body.push_str(&serde_json::to_string(e).map_err(|e| LedgerError::Encoding(e.to_string()))?);
        body.push('\n');
    }
    header.format = BUNDLE_FORMAT.into();
    header.count = events.len();
    header.events_blake3 = blake3::hash(body.as_bytes()).to_hex().to_string();
    let mut text = serde_json::to_string(&header).map_err(|e| LedgerError::Encoding(e.to_string()))?;
    text.push('\n');
    text.push_str(&body);
    zstd::bulk::compress(text.as_bytes(), 19).map_err(|e| LedgerError::Encoding(format!("zstd: {e}")))
}

/// Decodes and checks a bundle: zstd frame complete, at most `max_bytes` once decompressed,
/// known format, count and BLAKE3 of the event lines as the header says. Signatures are not
/// checked here (the store checks every event as it imports it).
///
/// # Errors
/// [`LedgerError::BundleCorrupt`] saying what is wrong.
pub fn read_bundle(bytes: &[u8], max_bytes: usize) -> Result<(BundleHeader, Vec<SignedEvent>), LedgerError> {
    let corrupt = |why: String| LedgerError::BundleCorrupt(why);
    let text = zstd::bulk::decompress(bytes, max_bytes)
        .map_err(|e| corrupt(format!("not a complete zstd bundle (truncated or damaged?): {e}")))?;
    let text = String::from_utf8(text).map_err(|_| corrupt("not UTF-8 text".into()))?;
    let (head, body) = text.split_once('\n').ok_or_else(|| corrupt("no header line".into()))?;
    let header: BundleHeader = serde_json::from_str(head).map_err(|e| corrupt(format!("header: {e}")))?;
    if header.format != BUNDLE_FORMAT {
        return Err(corrupt(format!("format {:?} is not {BUNDLE_FORMAT}", header.format)));
    }
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
    Ok((header, events))
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
}
