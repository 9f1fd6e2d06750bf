//! The instruction-count guard's workload (issue 11 item 5; `scripts/icount`): what one request
//! computes, at 2,000 actions, for the dashboard's read model, the roadmap page (page 1 of 40,
//! due-date order) and one API page of 50 actions, on a warm snapshot (the typed actions
//! already computed, as they are after the first request at a store generation).
//!
//! `icount prepare DIR` builds the demo committee with 1,987 more actions in DIR (run natively:
//! signing under valgrind would take minutes). `icount measure DIR WHAT` opens it and runs WHAT
//! (`dashboard`, `roadmap` or `api`) once inside `measured`, the only function callgrind
//! collects (`--toggle-collect=*measured*`): the count excludes opening the store, which is the
//! same for all three, so it moves only when the work of a request does.

use lajna_domain::Lang;
use lajna_i18n::{Catalog, Tr};
use lajna_node::Node;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, dir) = (args.get(1).map(String::as_str), args.get(2).map(std::path::Path::new));
    match (mode, dir) {
        (Some("prepare"), Some(dir)) => {
            let node = lajna_demo::build(dir).await.expect("demo");
            lajna_demo::add_actions(&node, 2_000 - 13).await.expect("actions");
        }
        (Some("measure"), Some(dir)) => {
            let what = args.get(3).map_or("dashboard", String::as_str);
            let node = Node::open(dir).await.expect("open");
            let snapshot = node.read_all().await;
            let catalog = Catalog::load();
            let tr = Tr { catalog: &catalog, lang: Lang::Ar };
            // A fixed date, so the counts do not depend on the day the guard runs.
            let today = jiff::civil::date(2026, 3, 15);
            let log = || lajna_views::LogFacts {
                latest: Vec::new(),
                events: 2_000,
                state_hash: "0".repeat(64),
                demo: true,
                currency: lajna_domain::money::Currency::MAD,
            };
            assert_eq!(snapshot.actions().len(), 2_000, "warm: the typed actions of the snapshot");
            let out = measured(what, &snapshot, tr, today, &log);
            println!("{what}: {out} bytes of output");
        }
        _ => eprintln!("usage: icount prepare DIR | icount measure DIR dashboard|roadmap|api"),
    }
}

/// One request's work; returns the size of what it produced (so nothing is optimised away).
#[inline(never)]
fn measured(
    what: &str,
    s: &lajna_domain::State,
    tr: Tr<'_>,
    today: jiff::civil::Date,
    log: &dyn Fn() -> lajna_views::LogFacts,
) -> usize {
    match what {
        "dashboard" => format!("{:?}", lajna_views::dashboard(s, log(), tr, today)).len(),
        "roadmap" => format!("{:?}", lajna_views::roadmap::roadmap(s, &[], tr, today, |_| true)).len(),
        "api" => {
            let actions = s.actions();
            serde_json::to_vec(&actions[..50.min(actions.len())].iter().collect::<Vec<_>>()).map_or(0, |v| v.len())
        }
        other => panic!("unknown workload {other}"),
    }
}
