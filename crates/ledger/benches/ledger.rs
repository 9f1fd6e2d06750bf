//! Signing and verification throughput of ledger v1 events.
//!
//! Setup (untimed): a genesis event signed by two party roots (`MAR`, `MLI`), one
//! `ledger.key_certified` certificate signed by the `MAR` root, then N = 1000 ordinary
//! `action.progress_reported` events with small domain-like bodies, each parented on the
//! previous one and signed by the certified node key.
//!
//! Groups (all report `Throughput::Elements(N)`, i.e. events or signatures per second):
//! - `sign`: [`Draft::sign`] per event (envelope → canonical JSON → BLAKE3 id → Ed25519).
//! - `verify_event`: what the store does per event before the DAG checks: [`check_event`]
//!   (parse, canonical re-encoding, numbers, signature with `verify_strict`) followed by
//!   [`Trust::authorize`]; plus `check_event` alone for comparison.
//! - `ed25519_verify_strict`: raw `VerifyingKey::verify_strict` over the same 32-byte ids and
//!   signatures (keys and signatures decoded outside the timed loop).
//! - `ed25519_verify_batch`: `ed25519_dalek::verify_batch` over the same N (id, signature, key).
//!
//! Run: `cargo bench -j2 -p lajna-ledger --bench ledger`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use ed25519_dalek::{Signature, VerifyingKey};
use lajna_ledger::{Draft, EventId, GENESIS_KIND, KEY_CERTIFIED_KIND, SecretKey, SignedEvent, Trust, check_event};
use serde_json::json;

const N: usize = 1000;
const AT: &str = "2025-10-01T09:00:00Z";

struct Fixture {
    drafts: Vec<Draft>,
    node_key: SecretKey,
    events: Vec<SignedEvent>,
    trust: Trust,
}

fn fixture() -> Fixture {
    let mar_root = SecretKey::from_seed([1; 32]);
    let mli_root = SecretKey::from_seed([2; 32]);
    let node_key = SecretKey::from_seed([3; 32]);

    let genesis = Draft {
        committee: None,
        parents: vec![],
        party: "MAR".into(),
        member: None,
        at: AT.into(),
        kind: GENESIS_KIND.into(),
        body: json!({
            "parties": [
                {"party": "MAR", "root": mar_root.public().to_hex()},
                {"party": "MLI", "root": mli_root.public().to_hex()},
            ],
            "charter": {"name": {"en": "Benchmark committee"}},
        }),
    }
    .sign_genesis(&[&mar_root, &mli_root])
    .expect("genesis signs");
    let gid = genesis.id();

    let cert = Draft {
        committee: Some(gid),
        parents: vec![(gid, 1)],
        party: "MAR".into(),
        member: None,
        at: AT.into(),
        kind: KEY_CERTIFIED_KIND.into(),
        body: json!({"party": "MAR", "node": node_key.public().to_hex(), "label": "bench node"}),
    }
    .sign(&mar_root)
    .expect("certificate signs");

    let mut trust = Trust::default();
    for e in [&genesis, &cert] {
        let v = check_event(e).expect("setup event verifies");
        trust.authorize(&v).expect("setup event authorised");
        trust.admit(&v);
    }

    // A record id as the domain writes it: the 64-hex id of the event that created it.
    let record = EventId::of(b"bench action").to_hex();
    let mut parent = (cert.id(), 2);
    let mut drafts = Vec::with_capacity(N);
    let mut events = Vec::with_capacity(N);
    for i in 0..N {
        let draft = Draft {
            committee: Some(gid),
            parents: vec![parent],
            party: "MAR".into(),
            member: None,
            at: AT.into(),
            kind: "action.progress_reported".into(),
            body: json!({"v": 1, "record": record, "set": {"progress": i % 101}}),
        };
        let event = draft.sign(&node_key).expect("event signs");
        parent = (event.id(), parent.1 + 1);
        drafts.push(draft);
        events.push(event);
    }
    Fixture { drafts, node_key, events, trust }
}

fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(N as u64));
}

fn benches(c: &mut Criterion) {
    let f = fixture();

    // Sanity: every prepared event passes the full check.
    for e in &f.events {
        let v = check_event(e).expect("event verifies");
        f.trust.authorize(&v).expect("event authorised");
    }

    let mut group = c.benchmark_group("sign");
    configure(&mut group);
    group.bench_function("draft_sign", |b| {
        b.iter(|| {
            for d in &f.drafts {
                black_box(d.sign(&f.node_key).expect("signs"));
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("verify_event");
    configure(&mut group);
    group.bench_function("check_event+authorize", |b| {
        b.iter(|| {
            for e in &f.events {
                let v = check_event(black_box(e)).expect("verifies");
                f.trust.authorize(&v).expect("authorised");
                black_box(v);
            }
        });
    });
    group.bench_function("check_event", |b| {
        b.iter(|| {
            for e in &f.events {
                black_box(check_event(black_box(e)).expect("verifies"));
            }
        });
    });
    group.finish();

    // The same ids, signatures and keys, decoded once.
    let ids: Vec<[u8; 32]> = f.events.iter().map(|e| e.id().0).collect();
    let sigs: Vec<Signature> = f
        .events
        .iter()
        .map(|e| {
            let bytes: [u8; 64] = hex::decode(&e.sigs[0].sig).expect("hex").try_into().expect("64 bytes");
            Signature::from_bytes(&bytes)
        })
        .collect();
    let keys: Vec<VerifyingKey> = f
        .events
        .iter()
        .map(|e| {
            let bytes: [u8; 32] = hex::decode(&e.sigs[0].key).expect("hex").try_into().expect("32 bytes");
            VerifyingKey::from_bytes(&bytes).expect("curve point")
        })
        .collect();
    let messages: Vec<&[u8]> = ids.iter().map(|id| id.as_slice()).collect();

    let mut group = c.benchmark_group("ed25519_verify_strict");
    configure(&mut group);
    group.bench_function("verify_strict", |b| {
        b.iter(|| {
            for ((m, s), k) in messages.iter().zip(&sigs).zip(&keys) {
                k.verify_strict(black_box(m), black_box(s)).expect("verifies");
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("ed25519_verify_batch");
    configure(&mut group);
    group.bench_function("verify_batch_1000", |b| {
        b.iter(|| {
            ed25519_dalek::verify_batch(black_box(&messages), black_box(&sigs), black_box(&keys))
                .expect("batch verifies");
        });
    });
    group.finish();
}

criterion_group!(ledger, benches);
criterion_main!(ledger);
