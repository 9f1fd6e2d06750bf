//! `lajna verify` against the signature floor (issue 11 item 4; figures in BENCHMARKS.md).
//!
//! `cargo run --release -j2 -p lajna-node --example verify_bench -- [ACTIONS]` (default 20,000)
//! builds the demo committee plus ACTIONS actions (one signed event each) in a temporary
//! directory (or, given a directory instead, opens that node's data, e.g. one made by the
//! `big_log` example; `-- ACTIONS DIR` builds into DIR and keeps it), then times, over the same stored events, five rounds of each (medians):
//! raw `VerifyingKey::verify_strict` of every signature (one core), `ed25519_dalek::verify_batch`
//! of all of them (one core; a different check, see BENCHMARKS.md), and the node's full
//! `verify` (bytes, canonical form, signatures, keys, DAG, bodies, refold, state hash).

use std::time::Instant;

/// The allocator the `lajna` binary runs with (crates/cli/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ed25519_dalek::{Signature, VerifyingKey};
use lajna_ledger::PublicKey;

/// Rounds of each measurement; the median is reported.
const ROUNDS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "20000".into());
    let dir = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    let node = if let Ok(actions) = arg.parse::<usize>() {
        let keep = std::env::args().nth(2).map(std::path::PathBuf::from);
        let node = lajna_demo::build(&keep.unwrap_or_else(|| dir.path().join("data"))).await.expect("demo");
        lajna_demo::add_actions(&node, actions).await.expect("actions");
        eprintln!("generated in {:.1} s", t.elapsed().as_secs_f64());
        node
    } else {
        let node = lajna_node::Node::open(std::path::Path::new(&arg)).await.expect("a node's data directory");
        eprintln!("opened in {:.1} s", t.elapsed().as_secs_f64());
        node
    };

    let mut events = Vec::new();
    let mut after = 0;
    loop {
        let page = node.events_after(after, 5_000).await.expect("events");
        let Some(last) = page.last() else { break };
        after = last.seq;
        events.extend(page);
    }
    let mut triples: Vec<(VerifyingKey, Signature, [u8; 32])> = Vec::new();
    for e in &events {
        let id = e.raw.id().0;
        for s in &e.raw.sigs {
            let key = PublicKey::parse(&s.key).expect("key").verifying().expect("point");
            let bytes: [u8; 64] = hex::decode(&s.sig).expect("hex").try_into().expect("64 bytes");
            triples.push((key, Signature::from_bytes(&bytes), id));
        }
    }
    let n = triples.len() as f64;
    println!("events: {}, signatures: {}", events.len(), triples.len());

    let (mut strict, mut batch, mut full) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let t = Instant::now();
        assert!(triples.iter().all(|(k, s, m)| k.verify_strict(m, s).is_ok()));
        strict.push(n / t.elapsed().as_secs_f64());

        let (keys, sigs, msgs): (Vec<_>, Vec<_>, Vec<&[u8]>) = triples
            .iter()
            .map(|(k, s, m)| (*k, *s, m.as_slice()))
            .fold((vec![], vec![], vec![]), |mut a, (k, s, m)| {
                a.0.push(k);
                a.1.push(s);
                a.2.push(m);
                a
            });
        let t = Instant::now();
        ed25519_dalek::verify_batch(&msgs, &sigs, &keys).expect("batch verifies");
        batch.push(n / t.elapsed().as_secs_f64());

        let t = Instant::now();
        let report = node.verify().await.expect("verify");
        assert!(report.ok(), "{report:?}");
        full.push(report.events as f64 / t.elapsed().as_secs_f64());
        // `verify` frees its fold on a thread of its own after answering: let that end before
        // the next round's timings, as it would before a user's next command.
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    let (s, b, f) = (median(strict.clone()), median(batch.clone()), median(full.clone()));
    let rounds = |v: &[f64]| v.iter().map(|x| format!("{x:.0}")).collect::<Vec<_>>().join(", ");
    println!("raw verify_strict, one core: {s:.0} signatures/s (rounds {})", rounds(&strict));
    println!("verify_batch, one core:      {b:.0} signatures/s (rounds {})", rounds(&batch));
    println!(
        "node verify (full audit):    {f:.0} events/s (rounds {}) = {:.2} of raw verify_strict",
        rounds(&full),
        f / s
    );
}
