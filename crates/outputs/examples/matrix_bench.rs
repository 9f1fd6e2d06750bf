//! Time to export and import the follow-up matrix of 2,000 actions (issue 4, BENCHMARKS.md).
//!
//! `cargo run --release -p lajna-outputs --example matrix_bench [-- ACTIONS]`; peak memory with
//! `/usr/bin/time -v target/release/examples/matrix_bench`. Builds the demo committee in a
//! temporary directory, adds ACTIONS illustrative actions (default 2,000), then times: export
//! (XLSX, CSV), read, plan (preview) and apply — the apply sets the progress of every action,
//! so it writes one signed event per action in one transaction.

use std::time::Instant;

use lajna_demo as demo;
use lajna_domain::Lang;
use lajna_node::import::Importer;
use lajna_outputs::import::read;
use lajna_outputs::matrix::{rows, to_csv, to_xlsx};

fn ms(t: Instant) -> String {
    format!("{:>8.1} ms", t.elapsed().as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let dir = tempfile::tempdir().expect("temp dir");
    let node = demo::build(&dir.path().join("data")).await.expect("demo");
    let t = Instant::now();
    demo::add_actions(&node, count).await.expect("actions");
    println!("setup: {count} actions added in {}", ms(t));
    let today = node.today();
    let lang = Lang::Fr;

    let t = Instant::now();
    let matrix = node.with_state(|s| rows(s, lang, today)).await;
    println!("rows     ({} rows)          {}", matrix.len(), ms(t));
    let t = Instant::now();
    let xlsx = to_xlsx(&matrix, lang).expect("xlsx");
    println!("export xlsx ({:>8} bytes) {}", xlsx.len(), ms(t));
    let t = Instant::now();
    let csv = to_csv(&matrix, lang).expect("csv");
    println!("export csv  ({:>8} bytes) {}", csv.len(), ms(t));

    // Baselines, same run: the libraries alone reading the same bytes into raw cells — the floor
    // under our reader, which adds header recognition, date and number parsing, and C08 undoing.
    let t = Instant::now();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.clone())).expect("xlsx");
    let range = calamine::Reader::worksheet_range_at(&mut book, 0).expect("sheet").expect("range");
    println!("baseline: calamine raw cells ({} rows)  {}", range.height(), ms(t));
    let t = Instant::now();
    let raw = csv::Reader::from_reader(&csv[..]).records().filter_map(Result::ok).count();
    println!("baseline: csv raw records ({raw} rows)    {}", ms(t));

    for (name, bytes) in [("xlsx", &xlsx), ("csv", &csv)] {
        let t = Instant::now();
        let m = read(bytes).expect("read");
        println!("read {name}                        {}", ms(t));
        let t = Instant::now();
        let o = node.import_matrix(&Importer::Operator, &m, false).await.expect("plan");
        let c = o.plan.counts();
        println!("plan {name} ({} unchanged)       {}", c.unchanged, ms(t));
    }

    // Every action's progress changed: one event per action, all in one transaction.
    let mut changed = matrix.clone();
    for r in &mut changed {
        if r.status != "done" {
            r.progress = if r.progress == 42 { 43 } else { 42 };
        }
    }
    let bytes = to_xlsx(&changed, lang).expect("xlsx");
    let m = read(&bytes).expect("read");
    let before = node.store().event_count().await.expect("count");
    let t = Instant::now();
    let o = node.import_matrix(&Importer::Operator, &m, true).await.expect("apply");
    let c = o.plan.counts();
    println!("apply xlsx ({} updated, {} events)  {}", c.updated, o.written.len(), ms(t));
    let after = node.store().event_count().await.expect("count");
    assert_eq!(after - before, o.written.len() as i64);
}
