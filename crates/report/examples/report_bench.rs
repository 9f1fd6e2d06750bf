//! Time to render the periodic report for a roadmap of 2,000 actions (plus the demo's own).
//!
//! ```sh
//! cargo run --release -p lajna-report --example report_bench [ACTIONS]
//! ```
//!
//! Prints the time to gather the input (full verification of the log included), the time to
//! lay out and write the PDF in Arabic and in French, and the PDF size. Peak memory: run the
//! built binary under `/usr/bin/time -v target/release/examples/report_bench`.

use std::time::Instant;

use lajna_demo as demo;
use lajna_domain::Lang;
use lajna_i18n::Catalog;
use lajna_report::{Period, render};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let count: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let catalog = Catalog::load();
    // Baseline, same run: the demo committee alone (its own 13 actions) — the fixed cost of a
    // report (fonts, template, charts) beside the cost that grows with the roadmap.
    let base = tempfile::tempdir().expect("temp dir");
    let node = demo::build(&base.path().join("data")).await.expect("demo");
    for lang in [Lang::Ar, Lang::Fr] {
        let input = lajna_report::gather(&node, None, &catalog, lang, Period::default()).await.expect("input");
        let t = Instant::now();
        let pdf = render(&input, lang).expect("report");
        println!(
            "baseline (demo alone) {}: render {:.2} s, {} KB",
            lang.code(),
            t.elapsed().as_secs_f64(),
            pdf.len() / 1024
        );
    }
    drop(node);

    let dir = tempfile::tempdir().expect("temp dir");
    let node = demo::build(&dir.path().join("data")).await.expect("demo");
    let t = Instant::now();
    demo::add_actions(&node, count).await.expect("actions");
    println!("{count} actions added in {:.1} s", t.elapsed().as_secs_f64());
    for lang in [Lang::Ar, Lang::Fr] {
        let t = Instant::now();
        let input = lajna_report::gather(&node, None, &catalog, lang, Period::default()).await.expect("input");
        let gathered = t.elapsed();
        let t = Instant::now();
        let pdf = render(&input, lang).expect("report");
        let rendered = t.elapsed();
        let out = dir.path().join(format!("report-{}.pdf", lang.code()));
        std::fs::write(&out, &pdf).expect("write");
        println!(
            "{}: input {:.2} s (verification included), render {:.2} s, {} KB",
            lang.code(),
            gathered.as_secs_f64(),
            rendered.as_secs_f64(),
            pdf.len() / 1024,
        );
    }
}
