//! Append and rebuild throughput of a real node: `Node`/`Store` on SQLite (WAL, synchronous =
//! NORMAL) in a temporary data directory, driven from a tokio runtime.
//!
//! Groups:
//! - `append_one_per_tx`: `Node::execute(ReportProgress)` on one open action of the demo
//!   committee, alternating two progress values so every call writes exactly one event:
//!   decide → sign → verify (`check_event`, `authorize`, DAG, domain parse) → one SQLite
//!   transaction (event row + projection row) → fold. Reported per event.
//! - `append_batch_1000`: K = 1000 events pre-signed with the node's `MAR` key (chained on the
//!   store's heads; signing is outside the timed part), appended with one
//!   `WriteGuard::append` call, i.e. verified and written in one transaction. Reported per event.
//! - `rebuild_100k`: a data directory holding the demo plus 100,000 generated
//!   `action.progress_reported` / `action.revised` events (bodies as the domain emits them,
//!   appended in batches of 1000, generated once, untimed), then `Store::rebuild()` timed:
//!   read every event, parse, refold into memory, rewrite the projections in one transaction.
//!   Reported per rebuild, with throughput in events. A one-shot timing of `Store::verify()`
//!   (full audit incl. signatures) on the same log is printed to stderr for comparison.
//!
//! Run: `cargo bench -j2 -p lajna-node --bench append`.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use lajna_demo as demo;
use lajna_domain::records::Action;
use lajna_domain::{ActionStatus, Actor, Command, Progress, RecordKind};
use lajna_ledger::{Draft, SecretKey, SignedEvent};
use lajna_node::{Node, now_rfc3339, read_key};
use serde_json::json;
use tokio::runtime::Runtime;

const K: usize = 1000;
const REBUILD_EVENTS: usize = 100_000;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime")
}

/// The demo's open actions (not done, not cancelled) as (id, action).
async fn open_actions(node: &Node) -> Vec<(String, Action)> {
    node.read_all()
        .await
        .all::<Action>(RecordKind::Action)
        .into_iter()
        .filter(|(_, a)| !matches!(a.status, ActionStatus::Done | ActionStatus::Cancelled))
        .collect()
}

/// Signs `count` events chained on the store's current heads and returns them with the write
/// lock released. `body(i)` gives (party, kind, body) of the i-th event.
async fn presign(
    node: &Node,
    keys: &[(String, SecretKey)],
    count: usize,
    mut body: impl FnMut(usize) -> (String, &'static str, serde_json::Value),
) -> Vec<SignedEvent> {
    let guard = node.store().lock().await;
    let committee = guard.committee();
    let mut parents = guard.heads();
    drop(guard);
    let at = now_rfc3339();
    let mut batch = Vec::with_capacity(count);
    for i in 0..count {
        let (party, kind, body) = body(i);
        let key = &keys.iter().find(|(p, _)| *p == party).expect("node key for party").1;
        let event =
            Draft { committee, parents: parents.clone(), party, member: None, at: at.clone(), kind: kind.into(), body }
                .sign(key)
                .expect("signs");
        let lamport = 1 + parents.iter().map(|(_, l)| *l).max().unwrap_or(0);
        parents = vec![(event.id(), lamport)];
        batch.push(event);
    }
    batch
}

fn node_keys(node: &Node) -> Vec<(String, SecretKey)> {
    node.parties()
        .into_iter()
        .map(|p| {
            let key = read_key(&node.dir.node_key(&p)).expect("node key file");
            (p, key)
        })
        .collect()
}

async fn build_demo(path: &Path) -> Node {
    demo::build(path).await.expect("demo builds")
}

fn append_one_per_tx(c: &mut Criterion, rt: &Runtime) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let node = rt.block_on(build_demo(&tmp.path().join("data")));
    let (action_id, action) = rt.block_on(open_actions(&node)).into_iter().next().expect("an open action");
    let actor = Actor { party: action.owner.clone(), member: None };
    let current = action.progress.percent();
    // Two values, both different from the current one, used alternately.
    let values: Vec<i64> = (0..=100).filter(|p| *p != i64::from(current)).take(2).collect();
    let mut n: usize = 0;

    let mut group = c.benchmark_group("append_one_per_tx");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(1));
    group.bench_function("execute_report_progress", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    n += 1;
                    let command = Command::ReportProgress {
                        completed: None,
                        reason: None,
                        action: action_id.clone(),
                        status: None,
                        progress: Some(Progress::new(values[n % 2]).expect("progress")),
                    };
                    let ids = node.execute(&actor, &command).await.expect("execute");
                    assert_eq!(ids.len(), 1, "each command writes one event");
                }
                start.elapsed()
            })
        });
    });
    group.finish();
    eprintln!("append_one_per_tx: {n} events appended in total");
    rt.block_on(node.close());
}

fn append_batch(c: &mut Criterion, rt: &Runtime) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let node = rt.block_on(build_demo(&tmp.path().join("data")));
    let keys = node_keys(&node);
    let (action_id, action) = rt.block_on(open_actions(&node)).into_iter().next().expect("an open action");
    let owner = action.owner.as_str().to_string();
    let mut appended: usize = 0;

    let mut group = c.benchmark_group("append_batch_1000");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(K as u64));
    group.bench_function("guard_append", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let batch = presign(&node, &keys, K, |i| {
                        (
                            owner.clone(),
                            "action.progress_reported",
                            json!({"v": 1, "record": action_id, "set": {"progress": 40 + (i % 2)}}),
                        )
                    })
                    .await;
                    let mut guard = node.store().lock().await;
                    let start = Instant::now();
                    let ids = guard.append(&batch).await.expect("batch appends");
                    total += start.elapsed();
                    assert_eq!(ids.len(), K);
                    appended += K;
                }
                total
            })
        });
    });
    group.finish();
    eprintln!("append_batch_1000: {appended} events appended in total");
    rt.block_on(node.close());
}

fn rebuild(c: &mut Criterion, rt: &Runtime) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("data");
    let node = rt.block_on(build_demo(&path));
    let keys = node_keys(&node);
    let actions = rt.block_on(open_actions(&node));
    assert!(!actions.is_empty());

    let started = Instant::now();
    rt.block_on(async {
        let mut written = 0;
        while written < REBUILD_EVENTS {
            let count = K.min(REBUILD_EVENTS - written);
            let base = written;
            let batch = presign(&node, &keys, count, |i| {
                let n = base + i;
                let (id, action) = &actions[n % actions.len()];
                let kind = if n % 4 == 3 { "action.revised" } else { "action.progress_reported" };
                // Progress values cycle so consecutive reports on one action differ.
                let progress = (n / actions.len()) % 100;
                (action.owner.as_str().to_string(), kind, json!({"v": 1, "record": id, "set": {"progress": progress}}))
            })
            .await;
            node.store().lock().await.append(&batch).await.expect("batch appends");
            written += count;
        }
    });
    let generation = started.elapsed();
    let events = rt.block_on(node.store().event_count()).expect("event count");
    let db_bytes = std::fs::metadata(node.dir.database()).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "rebuild_100k: generated {REBUILD_EVENTS} events in {:.1} s ({:.0} events/s incl. signing); \
         log holds {events} events; database file {:.1} MiB",
        generation.as_secs_f64(),
        REBUILD_EVENTS as f64 / generation.as_secs_f64(),
        db_bytes as f64 / (1024.0 * 1024.0),
    );
    let hash = rt.block_on(node.store().state_hash()).expect("state hash");

    let verify_start = Instant::now();
    let report = rt.block_on(node.store().verify()).expect("verify runs");
    let verify_time = verify_start.elapsed();
    assert!(report.ok(), "the generated log verifies");
    eprintln!(
        "rebuild_100k: one-shot Store::verify() over {} events: {:.2} s ({:.0} events/s)",
        report.events,
        verify_time.as_secs_f64(),
        report.events as f64 / verify_time.as_secs_f64(),
    );

    let mut group = c.benchmark_group("rebuild_100k");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(events as u64));
    group.bench_function("store_rebuild", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let rebuilt = node.store().rebuild().await.expect("rebuild");
                    total += start.elapsed();
                    assert_eq!(rebuilt, hash, "rebuild reproduces the state hash");
                }
                total
            })
        });
    });
    group.finish();
    rt.block_on(node.close());
}

fn benches(c: &mut Criterion) {
    let rt = runtime();
    append_one_per_tx(c, &rt);
    append_batch(c, &rt);
    rebuild(c, &rt);
}

criterion_group!(append, benches);
criterion_main!(append);
