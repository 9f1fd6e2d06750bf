//! Time and peak memory to produce the procès-verbal of a session that took 200 decisions,
//! with a roadmap of 2,000 actions (issue 13), beside the demo's own session in the same run.
//!
//! ```sh
//! cargo run -p lajna-report --example pv_bench [DECISIONS] [ACTIONS]
//! ```
//!
//! Prints, for the French and the Arabic PV: the time to gather the input from the node and
//! the time to lay out and write the PDF, the PDF size, and the process's peak resident memory
//! (`VmHWM` of /proc/self/status) after each.

use std::time::Instant;

use lajna_demo as demo;
use lajna_domain::records::{Decision, Session};
use lajna_domain::{Actor, Command, Lang, LocalizedText, PartyCode, RecordKind};
use lajna_i18n::Catalog;
use lajna_report::pv::{self, Edition};

/// Peak resident memory of this process so far, MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1024.0
}

async fn run(label: &str, node: &lajna_node::Node, catalog: &Catalog, session: &str) {
    for lang in [Lang::Fr, Lang::Ar] {
        let t = Instant::now();
        let input = pv::gather(node, catalog, session, Edition::One(lang)).await.expect("input");
        let gathered = t.elapsed();
        let t = Instant::now();
        let pdf = pv::render(&input, catalog).expect("pv");
        println!(
            "{label} {}: gather {:.2} s, render {:.2} s, {} KB, peak RSS {:.0} MB",
            lang.code(),
            gathered.as_secs_f64(),
            t.elapsed().as_secs_f64(),
            pdf.len() / 1024,
            peak_mb()
        );
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let decisions: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let actions: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let catalog = Catalog::load();
    let dir = tempfile::tempdir().expect("temp dir");
    let node = demo::build(&dir.path().join("data")).await.expect("demo");
    let first = |n: i64| {
        let s = node.read_all();
        async move {
            s.await
                .all::<Session>(RecordKind::Session)
                .into_iter()
                .find(|(_, x)| x.number == n)
                .map(|(id, _)| id)
                .expect("session")
        }
    };
    let session = first(1).await;
    // Baseline, same run: the demo's first session as it is.
    run("baseline (demo session 1)", &node, &catalog, &session).await;

    let t = Instant::now();
    let actor = Actor { party: PartyCode::parse("MAR").expect("party"), member: None };
    for k in 1..=decisions {
        let text = LocalizedText::tri(
            &format!("قرار رقم {k} بشأن متابعة التعاون العسكري (مثال)"),
            &format!("Décision n° {k} sur le suivi de la coopération militaire (exemple)"),
            &format!("Decision {k} on the follow-up of military cooperation (example)"),
        );
        let d = Decision { session: session.clone(), area: None, text, illustrative: true };
        node.execute(&actor, &Command::RecordDecision(d)).await.expect("decision");
    }
    demo::add_actions(&node, actions).await.expect("actions");
    println!("{decisions} decisions and {actions} actions added in {:.1} s", t.elapsed().as_secs_f64());
    run(&format!("session 1 with {decisions} more decisions"), &node, &catalog, &session).await;
}
