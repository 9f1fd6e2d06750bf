//! A data directory with a large log, for timing `lajna verify`, `lajna rebuild` and opening
//! the store at scale (issue 11 item 4; figures in BENCHMARKS.md).
//!
//! `cargo run --release -j2 -p lajna-node --example big_log -- DIR [EVENTS]` builds the demo
//! committee in `DIR` (which must not exist) and appends EVENTS (default 1,000,000) progress
//! reports and revisions on its open actions, signed by the owning party's node key and
//! appended 1,000 per transaction through the store's own checks. Then, for example:
//! `/usr/bin/time -v target/release/lajna verify --data DIR`.

use std::time::Instant;

use lajna_domain::records::Action;
use lajna_domain::{ActionStatus, RecordKind};
use lajna_ledger::Draft;
use lajna_node::{now_rfc3339, read_key};
use serde_json::json;

const BATCH: usize = 1000;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: big_log DIR [EVENTS]"));
    let events: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    assert!(!dir.exists(), "{} exists; give a new directory", dir.display());
    let node = lajna_demo::build(&dir).await.expect("demo");
    let keys: Vec<_> =
        node.parties().into_iter().map(|p| (p.clone(), read_key(&node.dir.node_key(&p)).expect("node key"))).collect();
    let actions: Vec<(String, Action)> = node
        .read_all()
        .await
        .all::<Action>(RecordKind::Action)
        .into_iter()
        .filter(|(_, a)| !matches!(a.status, ActionStatus::Done | ActionStatus::Cancelled))
        .collect();
    assert!(!actions.is_empty(), "the demo has open actions");
    let started = Instant::now();
    let mut written = 0;
    while written < events {
        let mut guard = node.store().lock().await;
        let (committee, mut parents, at) = (guard.committee(), guard.heads(), now_rfc3339());
        let mut batch = Vec::with_capacity(BATCH);
        for n in written..(written + BATCH).min(events) {
            let (id, action) = &actions[n % actions.len()];
            let kind = if n % 4 == 3 { "action.revised" } else { "action.progress_reported" };
            // Progress values cycle so that consecutive reports on one action differ.
            let body = json!({"v": 1, "record": id, "set": {"progress": (n / actions.len()) % 100}});
            let party = action.owner.as_str().to_string();
            let key = &keys.iter().find(|(p, _)| *p == party).expect("a node key for the owner").1;
            let draft = Draft {
                committee,
                parents: parents.clone(),
                party,
                member: None,
                at: at.clone(),
                kind: kind.into(),
                body,
            };
            let event = draft.sign(key).expect("signs");
            parents = vec![(event.id(), 1 + parents.iter().map(|(_, l)| *l).max().unwrap_or(0))];
            batch.push(event);
        }
        guard.append(&batch).await.expect("batch appends");
        written += batch.len();
        if written % 100_000 == 0 {
            eprintln!("{written} events in {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    let db = std::fs::metadata(node.dir.database()).map(|m| m.len()).unwrap_or(0);
    println!(
        "{} events in the log ({events} appended in {:.0} s); database {:.0} MiB",
        node.store().event_count().await.expect("count"),
        started.elapsed().as_secs_f64(),
        db as f64 / (1024.0 * 1024.0)
    );
}
