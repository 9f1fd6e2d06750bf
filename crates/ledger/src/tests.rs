//! Ledger tests: signing, verification, tamper and forgery cases, and the frozen format.

use serde_json::json;

use super::*;

fn key(n: u8) -> SecretKey {
    SecretKey::from_seed([n; 32])
}

fn genesis(mar: &SecretKey, mli: &SecretKey) -> SignedEvent {
    Draft {
        committee: None,
        parents: vec![],
        party: "MAR".into(),
        member: None,
        at: "2025-02-17T09:00:00Z".into(),
        kind: GENESIS_KIND.into(),
        body: json!({
            "parties": [
                {"party": "MAR", "root": mar.public().to_hex()},
                {"party": "MLI", "root": mli.public().to_hex()}
            ],
            "charter": {"name": {"fr": "Commission militaire mixte"}}
        }),
    }
    .sign_genesis(&[mar, mli])
    .unwrap()
}

/// A trust context with genesis and a certified MAR node key `key(3)`.
fn setup() -> (Trust, EventId, SignedEvent) {
    let (mar, mli) = (key(1), key(2));
    let g = genesis(&mar, &mli);
    let mut trust = Trust::default();
    let vg = check_event(&g).unwrap();
    trust.authorize(&vg).unwrap();
    trust.admit(&vg);
    let cert = Draft {
        committee: Some(vg.id),
        parents: vec![(vg.id, 1)],
        party: "MAR".into(),
        member: None,
        at: "2025-02-17T09:01:00Z".into(),
        kind: KEY_CERTIFIED_KIND.into(),
        body: json!({"party": "MAR", "node": key(3).public().to_hex(), "label": "Rabat"}),
    }
    .sign(&mar)
    .unwrap();
    let vc = check_event(&cert).unwrap();
    trust.authorize(&vc).unwrap();
    trust.admit(&vc);
    (trust, vc.id, cert)
}

fn ordinary(trust: &Trust, parent: EventId, signer: &SecretKey) -> SignedEvent {
    Draft {
        committee: trust.committee(),
        parents: vec![(parent, 2)],
        party: "MAR".into(),
        member: Some("m1".into()),
        at: "2025-02-18T10:00:00Z".into(),
        kind: "action.progress_reported".into(),
        body: json!({"v": 1, "record": "a1", "set": {"progress": 75}}),
    }
    .sign(signer)
    .unwrap()
}

#[test]
fn a_certified_node_key_signs_an_event_that_verifies() {
    let (trust, cert, _) = setup();
    let e = ordinary(&trust, cert, &key(3));
    let v = check_event(&e).unwrap();
    trust.authorize(&v).unwrap();
    assert_eq!(v.envelope.lamport, 3);
    Trust::check_dag(&v.envelope, &[Some(2)]).unwrap();
    assert!(Trust::check_dag(&v.envelope, &[None]).is_err());
    assert!(Trust::check_dag(&v.envelope, &[Some(5)]).is_err());
}

#[test]
fn an_uncertified_key_is_refused() {
    let (trust, cert, _) = setup();
    let e = ordinary(&trust, cert, &key(9));
    let v = check_event(&e).unwrap();
    assert_eq!(trust.authorize(&v).unwrap_err().code(), "uncertified-key");
}

#[test]
fn a_key_certified_for_one_party_cannot_write_for_the_other() {
    let (trust, cert, _) = setup();
    let mut d = Draft {
        committee: trust.committee(),
        parents: vec![(cert, 2)],
        party: "MLI".into(),
        member: None,
        at: "2025-02-18T10:00:00Z".into(),
        kind: "action.progress_reported".into(),
        body: json!({"v": 1}),
    };
    let v = check_event(&d.sign(&key(3)).unwrap()).unwrap();
    assert_eq!(trust.authorize(&v).unwrap_err().code(), "uncertified-key");
    d.party = "SEN".into();
    let v = check_event(&d.sign(&key(3)).unwrap()).unwrap();
    assert_eq!(trust.authorize(&v).unwrap_err().code(), "unknown-party");
}

#[test]
fn changing_any_byte_of_the_envelope_is_detected() {
    let (trust, cert, _) = setup();
    let e = ordinary(&trust, cert, &key(3));
    let bytes = e.envelope.as_bytes();
    for i in 0..bytes.len() {
        let mut t = bytes.to_vec();
        t[i] ^= 0x01;
        let Ok(text) = String::from_utf8(t) else { continue };
        let tampered = SignedEvent { envelope: text, sigs: e.sigs.clone() };
        assert!(check_event(&tampered).is_err(), "byte {i} changed and still verified");
    }
}

#[test]
fn a_non_canonical_envelope_is_refused_even_with_a_valid_signature() {
    let (trust, cert, _) = setup();
    let e = ordinary(&trust, cert, &key(3));
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&e.envelope).unwrap()).unwrap();
    let id = EventId::of(pretty.as_bytes());
    let sig = hex::encode(key(3).sign(&id.0));
    let resigned = SignedEvent { envelope: pretty, sigs: vec![EventSignature { key: key(3).public().to_hex(), sig }] };
    assert_eq!(check_event(&resigned).unwrap_err(), LedgerError::NotCanonical);
}

/// Case C13: S replaced by S + L must not verify, so one content never gets a second id or copy.
#[test]
fn c13_signature_malleated_by_adding_the_group_order_is_refused() {
    let (trust, cert, _) = setup();
    let e = ordinary(&trust, cert, &key(3));
    let mut sig = hex::decode(&e.sigs[0].sig).unwrap();
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for i in 0..32 {
        let s = u16::from(sig[32 + i]) + u16::from(L[i]) + carry;
        sig[32 + i] = (s & 0xff) as u8;
        carry = s >> 8;
    }
    let forged = SignedEvent {
        envelope: e.envelope.clone(),
        sigs: vec![EventSignature { key: e.sigs[0].key.clone(), sig: hex::encode(sig) }],
    };
    assert_eq!(check_event(&forged).unwrap_err().code(), "bad-signature");
}

/// Case C13: the identity point as a public key, with the signature (R = identity, S = 0) that
/// a non-strict verifier accepts for every message.
#[test]
fn c13_small_order_public_key_is_refused() {
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut sig = [0u8; 64];
    sig[0] = 1;
    let (trust, cert, _) = setup();
    let e = ordinary(&trust, cert, &key(3));
    let forged = SignedEvent {
        envelope: e.envelope.clone(),
        sigs: vec![EventSignature { key: hex::encode(identity), sig: hex::encode(sig) }],
    };
    assert_eq!(check_event(&forged).unwrap_err().code(), "bad-signature");
}

/// Keys are decompressed once per thread and remembered (`keys::decompressed`): the memory
/// changes no answer — a key that is not a curve point is refused every time, each remembered
/// key verifies only its own signatures, and a key still verifies after the memory was
/// emptied by more keys than it holds.
#[test]
fn remembered_keys_give_the_answers_of_fresh_ones() {
    let not_a_point = (0u8..=255)
        .map(|n| [n; 32])
        .find(|b| ed25519_dalek::VerifyingKey::from_bytes(b).is_err())
        .expect("some 32-byte string is not a curve point");
    for _ in 0..2 {
        assert_eq!(PublicKey::parse(&hex::encode(not_a_point)).unwrap_err().code(), "bad-key");
    }
    let message = b"minutes of session 2";
    let keys: Vec<SecretKey> = (0u16..300)
        .map(|n| {
            let mut seed = [7u8; 32];
            seed[..2].copy_from_slice(&n.to_le_bytes());
            SecretKey::from_seed(seed)
        })
        .collect();
    let verifies = |signer: &SecretKey, key: &SecretKey| {
        let public = PublicKey::parse(&key.public().to_hex()).unwrap().verifying().unwrap();
        public.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&signer.sign(message))).is_ok()
    };
    for (i, k) in keys.iter().enumerate() {
        assert!(verifies(k, k), "key {i} verifies its own signature");
        assert!(!verifies(k, &keys[(i + 1) % keys.len()]), "key {i}'s signature fails under another key");
    }
    // 300 keys > the 256 remembered: the first ones were forgotten and are decompressed again.
    assert!(verifies(&keys[0], &keys[0]));
    assert!(!verifies(&keys[1], &keys[0]));
}

#[test]
fn genesis_needs_both_roots() {
    let (mar, mli) = (key(1), key(2));
    let g = genesis(&mar, &mli);
    let one = SignedEvent { envelope: g.envelope.clone(), sigs: vec![g.sigs[0].clone()] };
    let v = check_event(&one).unwrap();
    assert_eq!(Trust::default().authorize(&v).unwrap_err().code(), "bad-signature");
    let other = SignedEvent { envelope: g.envelope.clone(), sigs: vec![g.sigs[0].clone(), g.sigs[0].clone()] };
    assert_eq!(check_event(&other).unwrap_err().code(), "bad-signature");
}

#[test]
fn a_node_cannot_certify_keys_only_a_root_can() {
    let (trust, cert, _) = setup();
    let d = Draft {
        committee: trust.committee(),
        parents: vec![(cert, 2)],
        party: "MAR".into(),
        member: None,
        at: "2025-02-18T10:00:00Z".into(),
        kind: KEY_CERTIFIED_KIND.into(),
        body: json!({"party": "MAR", "node": key(8).public().to_hex()}),
    };
    let v = check_event(&d.sign(&key(3)).unwrap()).unwrap();
    assert_eq!(trust.authorize(&v).unwrap_err().code(), "uncertified-key");
}

#[test]
fn events_of_another_committee_are_refused() {
    let (trust, cert, _) = setup();
    let mut d = Draft {
        committee: Some(EventId::of(b"another committee")),
        parents: vec![(cert, 2)],
        party: "MAR".into(),
        member: None,
        at: "2025-02-18T10:00:00Z".into(),
        kind: "x.y".into(),
        body: json!({}),
    };
    let v = check_event(&d.sign(&key(3)).unwrap()).unwrap();
    assert_eq!(trust.authorize(&v).unwrap_err().code(), "wrong-committee");
    d.committee = None;
    assert_eq!(check_event(&d.sign(&key(3)).unwrap()).unwrap_err().code(), "bad-parents");
}

#[test]
fn oversized_and_out_of_range_bodies_are_refused_when_signing() {
    let (trust, cert, _) = setup();
    let mut d = Draft {
        committee: trust.committee(),
        parents: vec![(cert, 2)],
        party: "MAR".into(),
        member: None,
        at: "2025-02-18T10:00:00Z".into(),
        kind: "x.y".into(),
        body: json!({"text": "x".repeat(MAX_EVENT_BYTES)}),
    };
    assert_eq!(d.sign(&key(3)).unwrap_err().code(), "oversized-event");
    d.body = json!({"budget": 9_007_199_254_740_993_u64});
    assert_eq!(d.sign(&key(3)).unwrap_err().code(), "number-out-of-range");
}

/// Invariant 10: an envelope field this version does not know survives verification.
#[test]
fn unknown_envelope_fields_survive_because_bytes_are_verified() {
    let (trust, cert, _) = setup();
    let e = ordinary(&trust, cert, &key(3));
    let mut value: serde_json::Value = serde_json::from_str(&e.envelope).unwrap();
    value["zz_future"] = json!({"hint": 1});
    let bytes = to_canonical_vec(&value).unwrap();
    let id = EventId::of(&bytes);
    let sig = hex::encode(key(3).sign(&id.0));
    let future = SignedEvent {
        envelope: String::from_utf8(bytes).unwrap(),
        sigs: vec![EventSignature { key: key(3).public().to_hex(), sig }],
    };
    let v = check_event(&future).unwrap();
    trust.authorize(&v).unwrap();
    assert!(v.raw.envelope.contains("zz_future"));
}

/// Freezes the signed bytes of ledger v1: if this fails, the format changed and needs a version.
#[test]
fn golden_event_bytes_and_id_are_frozen() {
    let (_, _, cert) = setup();
    let golden = include_str!("../tests/golden_cert.json");
    let frozen: SignedEvent = serde_json::from_str(golden).unwrap();
    assert_eq!(cert, frozen, "the encoding of a certificate changed");
    let v = check_event(&frozen).unwrap();
    assert_eq!(v.id.to_hex(), frozen.id().to_hex());
    assert_eq!(serde_json::to_string(&cert).unwrap().trim(), golden.trim());
}

/// A checkpoint by `signer` for MAR of `heads` in the committee of `trust`.
fn checkpoint(trust: &Trust, signer: &SecretKey, heads: Vec<EventId>) -> Checkpoint {
    Checkpoint::sign(
        signer,
        CheckpointStatement {
            kind: String::new(),
            committee: trust.committee().unwrap(),
            party: "MAR".into(),
            node: String::new(),
            of: Some("MLI".into()),
            heads,
            count: 2,
            at: "2025-02-18T10:00:00Z".into(),
        },
    )
    .unwrap()
}

#[test]
fn a_checkpoint_by_a_certified_node_key_verifies_over_its_bytes() {
    let (trust, cert, _) = setup();
    let cp = checkpoint(&trust, &key(3), vec![cert, EventId::of(b"b"), cert]);
    let st = cp.verify(&trust).unwrap();
    assert_eq!((st.party.as_str(), st.node.clone(), st.count), ("MAR", key(3).public().to_hex(), 2));
    assert_eq!(st.heads.len(), 2, "heads are sorted and unique");
    assert!(cp.statement.starts_with(r#"{"at":"2025-02-18T10:00:00Z","committee":"#), "{}", cp.statement);
    // Its wire form reads back and verifies.
    let back: Checkpoint = serde_json::from_str(&serde_json::to_string(&cp).unwrap()).unwrap();
    assert_eq!(back.verify(&trust).unwrap(), st);
    // A field a later version adds survives: the bytes are verified, not a re-serialisation.
    let mut v: serde_json::Value = serde_json::from_str(&cp.statement).unwrap();
    v["later"] = json!("x");
    let text = String::from_utf8(to_canonical_vec(&v).unwrap()).unwrap();
    let later = Checkpoint {
        signature: hex::encode(key(3).sign(&checkpoint::checkpoint_digest(text.as_bytes()))),
        statement: text,
    };
    assert_eq!(later.verify(&trust).unwrap(), st);
}

#[test]
fn a_checkpoint_with_a_bad_signature_or_an_uncertified_key_is_refused() {
    let (trust, cert, _) = setup();
    let cp = checkpoint(&trust, &key(3), vec![cert]);
    // One character of the statement changed (a count raised): the signature fails.
    let mut altered = cp.clone();
    altered.statement = altered.statement.replace("\"count\":2", "\"count\":3");
    assert_ne!(altered, cp);
    assert_eq!(altered.verify(&trust).unwrap_err().code(), "bad-signature");
    // A signature of other bytes, or not a signature.
    let mut other = cp.clone();
    other.signature = hex::encode(key(3).sign(b"something else"));
    assert_eq!(other.verify(&trust).unwrap_err().code(), "bad-signature");
    other.signature = "00".into();
    assert_eq!(other.verify(&trust).unwrap_err().code(), "bad-signature");
    // The same statement signed as an event id would be (no domain tag): refused.
    let mut untagged = cp.clone();
    untagged.signature = hex::encode(key(3).sign(blake3::hash(cp.statement.as_bytes()).as_bytes()));
    assert_eq!(untagged.verify(&trust).unwrap_err().code(), "bad-signature");
    // Signed by a key no root certified: its own signature verifies, the trust refuses it.
    let stranger = checkpoint(&trust, &key(9), vec![cert]);
    stranger.open().unwrap();
    assert_eq!(stranger.verify(&trust).unwrap_err().code(), "uncertified-key");
    // Signed by the MAR key for MLI: the key is not certified for that party.
    let mut st: CheckpointStatement = serde_json::from_str(&cp.statement).unwrap();
    st.party = "MLI".into();
    assert_eq!(Checkpoint::sign(&key(3), st.clone()).unwrap().verify(&trust).unwrap_err().code(), "uncertified-key");
    // Of another committee.
    st.party = "MAR".into();
    st.committee = EventId::of(b"other");
    assert_eq!(Checkpoint::sign(&key(3), st).unwrap().verify(&trust).unwrap_err().code(), "wrong-committee");
    // Not canonical (a space added, signature made over those bytes).
    let spaced = cp.statement.replacen(':', ": ", 1);
    let spaced = Checkpoint {
        signature: hex::encode(key(3).sign(&checkpoint::checkpoint_digest(spaced.as_bytes()))),
        statement: spaced,
    };
    assert_eq!(spaced.verify(&trust).unwrap_err().code(), "not-canonical");
}

#[test]
fn a_checkpoint_key_certified_by_an_event_carried_beside_it_verifies_with_that_certificate() {
    let (mar, mli) = (key(1), key(2));
    let g = genesis(&mar, &mli);
    let mut trust = Trust::default();
    let vg = check_event(&g).unwrap();
    trust.admit(&vg);
    let (_, _, cert) = setup();
    let cp = checkpoint(&trust, &key(3), vec![vg.id]);
    assert_eq!(cp.verify(&trust).unwrap_err().code(), "uncertified-key");
    let with = checkpoint::trust_with_certificates(&trust, std::slice::from_ref(&cert));
    cp.verify(&with).unwrap();
    // A certificate signed by a node key, not the root, adds nothing.
    let forged = Draft {
        committee: Some(vg.id),
        parents: vec![(vg.id, 1)],
        party: "MAR".into(),
        member: None,
        at: "2025-02-17T09:01:00Z".into(),
        kind: KEY_CERTIFIED_KIND.into(),
        body: json!({"party": "MAR", "node": key(9).public().to_hex(), "label": "x"}),
    }
    .sign(&key(3))
    .unwrap();
    let with = checkpoint::trust_with_certificates(&with, &[forged]);
    assert_eq!(checkpoint(&trust, &key(9), vec![vg.id]).verify(&with).unwrap_err().code(), "uncertified-key");
}

/// A revocation of `revoked` for MAR signed by `signer`, after `parent` (Lamport `lamport`).
fn revocation(trust: &Trust, parent: (EventId, i64), signer: &SecretKey, revoked: &SecretKey) -> SignedEvent {
    Draft {
        committee: trust.committee(),
        parents: vec![parent],
        party: "MAR".into(),
        member: None,
        at: "2025-02-19T08:00:00Z".into(),
        kind: KEY_REVOKED_KIND.into(),
        body: json!({"party": "MAR", "node": revoked.public().to_hex(), "reason": "laptop stolen"}),
    }
    .sign(signer)
    .unwrap()
}

/// Issue 16 item 5: a revocation is signed by the party's root and names a certified key; once
/// admitted, the key signs nothing new (events, requests, checkpoints), while an event known to
/// the revocation (in its past) stays valid.
#[test]
fn a_revoked_key_signs_nothing_new_and_what_the_revocation_knows_stays_valid() {
    let (mut trust, cert, _) = setup();
    let old = check_event(&ordinary(&trust, cert, &key(3))).unwrap();
    trust.authorize(&old).unwrap();
    // Signed by the node key itself, by the other party's root, or naming an uncertified key:
    // refused.
    for (signer, revoked) in [(key(3), key(3)), (key(2), key(3)), (key(1), key(9))] {
        let v = check_event(&revocation(&trust, (old.id, 3), &signer, &revoked)).unwrap();
        assert_eq!(trust.authorize(&v).unwrap_err().code(), "uncertified-key");
    }
    let r = check_event(&revocation(&trust, (old.id, 3), &key(1), &key(3))).unwrap();
    trust.authorize(&r).unwrap();
    trust.admit(&r);
    assert_eq!(trust.revocation("MAR", &key(3).public()), Some(r.id));
    assert!(!trust.is_certified("MAR", &key(3).public()));
    assert_eq!(trust.revocations(), vec![("MAR".to_string(), key(3).public(), r.id)]);
    // A new event, whatever parents it names, is refused, naming itself, the key and the
    // revocation.
    let fresh = check_event(&ordinary(&trust, cert, &key(3))).unwrap();
    let err = trust.authorize(&fresh).unwrap_err();
    assert_eq!(err.code(), "revoked-key");
    assert_eq!(
        err.to_string(),
        format!(
            "event {} is signed by key {} of MAR, revoked by event {}: only the events that revocation knows stay valid",
            fresh.id,
            key(3).public().to_hex(),
            r.id
        )
    );
    // Read back from a log where it precedes the revocation, the old one is valid.
    trust.authorize_known(&old, |rev| rev == r.id).unwrap();
    assert_eq!(trust.authorize_known(&old, |_| false).unwrap_err().code(), "revoked-key");
    // A second certificate of the same key does not lift the revocation.
    let again = Draft {
        committee: trust.committee(),
        parents: vec![(r.id, 4)],
        party: "MAR".into(),
        member: None,
        at: "2025-02-19T09:00:00Z".into(),
        kind: KEY_CERTIFIED_KIND.into(),
        body: json!({"party": "MAR", "node": key(3).public().to_hex(), "label": "again"}),
    };
    let again = check_event(&again.sign(&key(1)).unwrap()).unwrap();
    trust.authorize(&again).unwrap();
    trust.admit(&again);
    assert_eq!(trust.authorize(&fresh).unwrap_err().code(), "revoked-key");
}
