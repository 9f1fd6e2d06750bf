//! Event parsing and canonical JSON (issue 12): the wire form of a signed event
//! (`SignedEvent`), `check_event` (size, JSON, RFC 8785 form, numbers, version, parents,
//! signatures), the RFC 8785 encoder on any JSON text, and the domain's reading of a body
//! (`lajna_domain::parse_event`). Invariants: the canonical form of a canonical text is itself;
//! a checked event's bytes are the canonical form of its envelope; the wire form reads back
//! equal.
#![no_main]

use lajna_ledger::{Envelope, SignedEvent, canonicalize_text, check_event, check_numbers, to_canonical_vec};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Canonical text must be a fixed point of the encoder (RFC 8785 §3.2).
fn canonical_twice(text: &str) {
    if let Ok(canon) = canonicalize_text(text) {
        let canon = String::from_utf8(canon).expect("canonical JSON is UTF-8");
        let again = canonicalize_text(&canon).expect("canonical JSON parses");
        assert_eq!(again, canon.as_bytes(), "canonicalising twice changed {canon:?}");
    }
}

fuzz_target!(init: lajna_fuzz::init(), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    canonical_twice(text);
    let Ok(event) = serde_json::from_str::<SignedEvent>(text) else { return };
    let wire = serde_json::to_string(&event).expect("an event writes");
    assert_eq!(serde_json::from_str::<SignedEvent>(&wire).expect("the wire form reads"), event);
    canonical_twice(&event.envelope);
    if let Ok(checked) = check_event(&event) {
        let value: Value = serde_json::from_str(&event.envelope).expect("checked envelope parses");
        assert_eq!(to_canonical_vec(&value).expect("encodes"), event.envelope.as_bytes());
        check_numbers(&value).expect("checked numbers");
        assert_eq!(checked.id, event.id());
    }
    // The domain reads the body of any envelope that parses, signed or not.
    if let Ok(envelope) = serde_json::from_str::<Envelope>(&event.envelope) {
        let _ = lajna_domain::parse_event(&envelope.kind, &envelope.body);
    }
});
