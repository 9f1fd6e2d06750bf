//! Sync figures for BENCHMARKS.md (issue 5): bytes per event in a bundle beside zstd of the
//! same events' canonical JSON, the time to verify and import a bundle of 10,000 events, and
//! the time to sync 10,000 events between two nodes over loopback HTTP.
//!
//! `cargo run --release -p lajna-web --example sync_bench [EVENTS]`

use std::sync::Arc;
use std::time::Instant;

use lajna_demo as demo;
use lajna_domain::records::Action;
use lajna_domain::{Actor, Command, PartyCode, Progress, RecordKind};
use lajna_node::Node;

async fn generate(node: &Node, n: usize) {
    let actions: Vec<(String, Action)> = node
        .with_state(|s| s.all::<Action>(RecordKind::Action))
        .await
        .into_iter()
        .filter(|(_, a)| a.owner.as_str() == "MAR" && !a.status.is_closed())
        .collect();
    let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    for i in 0..n {
        let (id, _) = &actions[i % actions.len()];
        // Alternate so that every command really changes the value (a no-change writes nothing).
        let p = Progress::new((5 + (i / actions.len()) % 90) as i64).unwrap();
        let ids = node
            .execute(
                &actor,
                &Command::ReportProgress {
                    completed: None,
                    reason: None,
                    action: id.clone(),
                    status: None,
                    progress: Some(p),
                },
            )
            .await
            .unwrap();
        assert_eq!(ids.len(), 1);
    }
}

async fn serve(node: Node) -> (Arc<Node>, String) {
    let node = Arc::new(node);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = node.clone();
    tokio::spawn(async move { lajna_web::serve(served, listener, std::future::pending()).await.unwrap() });
    (node, url)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    // One process, release build, loopback: both nodes share the 2 cores.
    let (mar, mli) = demo::build_pair(&dir.path().join("a")).await.unwrap();
    let t = Instant::now();
    generate(&mar, n).await;
    let generation = t.elapsed();

    let (bundle, count) = mar.bundle_export(Some("MLI"), false).await.unwrap();
    assert_eq!(count, n);
    let events = mar.store().events_after(0, i64::MAX).await.unwrap();
    let fresh = &events[events.len() - n..];
    let mut canonical = String::new();
    for e in fresh {
        canonical.push_str(&e.raw.envelope);
        canonical.push('\n');
    }
    let z19 = zstd::bulk::compress(canonical.as_bytes(), 19).unwrap().len();
    let z3 = zstd::bulk::compress(canonical.as_bytes(), 3).unwrap().len();
    let t = Instant::now();
    let report = mli.bundle_import(&bundle).await.unwrap();
    let import = t.elapsed();
    assert_eq!(report.applied, n);
    assert_eq!(mar.store().state_hash().await.unwrap(), mli.store().state_hash().await.unwrap());

    // HTTP: a second pair, the same number of new events on the MAR node, pushed to MLI.
    let (mar2, mli2) = demo::build_pair(&dir.path().join("b")).await.unwrap();
    generate(&mar2, n).await;
    let (mli2, url) = serve(mli2).await;
    let t = Instant::now();
    let r = mar2.sync_with(&url).await.unwrap();
    let sync = t.elapsed();
    assert_eq!(r.sent, n);
    assert_eq!(mar2.store().state_hash().await.unwrap(), mli2.store().state_hash().await.unwrap());

    println!("| events | {n} |");
    println!("| generating them (sign + append, one command each) | {:.2} s |", generation.as_secs_f64());
    println!(
        "| canonical JSON of the envelopes, raw | {} B ({:.0} B/event) |",
        canonical.len(),
        canonical.len() as f64 / n as f64
    );
    println!("| zstd -3 of the canonical JSON | {z3} B ({:.1} B/event) |", z3 as f64 / n as f64);
    println!("| zstd -19 of the canonical JSON | {z19} B ({:.1} B/event) |", z19 as f64 / n as f64);
    println!(
        "| bundle (zstd -19, with signatures and header) | {} B ({:.1} B/event) |",
        bundle.len(),
        bundle.len() as f64 / n as f64
    );
    println!(
        "| verify and import the bundle (all or nothing) | {:.2} s ({:.0} events/s) |",
        import.as_secs_f64(),
        n as f64 / import.as_secs_f64()
    );
    println!(
        "| HTTP sync over loopback (signed pages of 500, push) | {:.2} s ({:.0} events/s) |",
        sync.as_secs_f64(),
        n as f64 / sync.as_secs_f64()
    );
}
