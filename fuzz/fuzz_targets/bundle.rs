//! The bundle decoder (`lajna_ledger::bundle::read_bundle_with_blobs`, issue 12): a zstd frame
//! inflated as a stream under a cap, its header, event lines and blobs checked against each
//! other. An input that is a zstd frame is read as it is; any other input is taken as the
//! content of a bundle and compressed here first, so that the fuzzer also explores the header,
//! event lines and blobs (mutating compressed bytes rarely gives a readable frame).
//!
//! What is read back is written again and read back the same (`write_bundle_with_blobs`).
#![no_main]

use lajna_ledger::bundle::{read_bundle_with_blobs, write_bundle_with_blobs};
use libfuzzer_sys::fuzz_target;

/// The decompression cap given to the reader: the node passes 1 GiB (`MAX_BUNDLE_BYTES`); a
/// smaller one here keeps each run fast while checking the same property, that memory follows
/// the cap and never what a frame declares.
const CAP: usize = 16 << 20;

/// zstd's frame magic number (RFC 8878 §3.1.1), little-endian.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

fuzz_target!(init: lajna_fuzz::init(), |data: &[u8]| {
    let bundle = if data.starts_with(&ZSTD_MAGIC) {
        data.to_vec()
    } else {
        zstd::bulk::compress(data, 1).expect("zstd compresses any bytes")
    };
    let Ok((header, events, blobs)) = read_bundle_with_blobs(&bundle, CAP) else { return };
    let bytes: Vec<&[u8]> = blobs.iter().map(|b| b.bytes.as_slice()).collect();
    let again = write_bundle_with_blobs(header.clone(), &events, &bytes).expect("what was read is written");
    let (header2, events2, blobs2) = read_bundle_with_blobs(&again, usize::MAX).expect("what was written is read");
    assert_eq!(events2, events);
    assert_eq!(header2.heads, header.heads);
    assert_eq!(header2.count, header.count);
    assert_eq!(header2.events_blake3, header.events_blake3);
    assert_eq!((&header2.committee, &header2.from, &header2.to), (&header.committee, &header.from, &header.to));
    assert_eq!(header2.checkpoint, header.checkpoint);
    // The writer keeps one copy of the same bytes given twice.
    let mut unique = blobs.clone();
    let mut seen = std::collections::HashSet::new();
    unique.retain(|b| seen.insert(b.blake3.clone()));
    assert_eq!(blobs2, unique);
});
