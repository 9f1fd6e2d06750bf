//! Text extraction of attachments (`crates/node/src/extract.rs`, issue 12): PDF (lopdf),
//! DOCX and ODT (zip + quick-xml) and plain text, within the module's bounds
//! (`MAX_PART_BYTES`, `MAX_PDF_CONTENT_BYTES`, `MAX_TEXT_BYTES`); never a panic. The media
//! type is told from the content, as an upload's is (`infer`): `%PDF` a PDF, a ZIP package
//! both word-processing formats, anything else plain text.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The node's own source file, compiled here with its own dependencies: depending on
/// lajna-node would build SQLite, tantivy, rustls and hyper into every fuzz target.
#[allow(dead_code, clippy::all)]
#[path = "../../crates/node/src/extract.rs"]
mod extract;

fuzz_target!(init: lajna_fuzz::init(), |data: &[u8]| {
    let types: &[&str] = if data.starts_with(b"%PDF") {
        &["application/pdf"]
    } else if data.starts_with(b"PK\x03\x04") {
        &[extract::DOCX, extract::ODT]
    } else {
        &["text/plain"]
    };
    for media_type in types {
        if let Ok(text) = extract::extract_text(media_type, data) {
            assert!(text.len() <= extract::MAX_TEXT_BYTES, "{} bytes of text", text.len());
        }
    }
});
