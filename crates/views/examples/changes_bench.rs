//! "What changed" over a 100,000-event log (issue 13, `BENCHMARKS.md`): the work of
//! `GET /{lang}/changes` — the log folded to each of two moments (`Node::read_as_of`) and the
//! two states compared (`lajna_views::changes::what_changed`) — beside the baseline of the same
//! run, one fold of the whole log (what an as-of dashboard pays).
//!
//! `changes_bench extend DIR N` adds N progress reports (when refused reports left the log short).
//! `changes_bench prepare DIR` builds the demo committee and adds 50,000 actions, then reports
//! progress on 25,000 of them and moves the due date of 25,000 others 10 days later (slips):
//! about 100,200 events. `changes_bench measure DIR [ROUNDS]` opens it and times, per round,
//! (a) one fold of the whole log and (b) what changed between the moment half the log was
//! written and now; it prints each median (milliseconds) and the peak resident memory
//! (`VmHWM`, MiB).

use std::time::Instant;

use lajna_domain::values::Progress;
use lajna_domain::{Actor, Clearance, Command, Lang, PartyCode, RecordKind};
use lajna_node::Node;
use lajna_node::auth::{Role, User};
use serde_json::{Map, json};

const ACTIONS: usize = 50_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (mode, dir) = (args.get(1).map(String::as_str), args.get(2).map(std::path::Path::new));
    match (mode, dir) {
        (Some("prepare"), Some(dir)) => prepare(dir).await,
        (Some("extend"), Some(dir)) => extend(dir, args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5_000)).await,
        (Some("measure"), Some(dir)) => measure(dir, args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5)).await,
        _ => eprintln!("usage: changes_bench prepare DIR | extend DIR [N] | measure DIR [ROUNDS]"),
    }
}

async fn prepare(dir: &std::path::Path) {
    let node = lajna_demo::build(dir).await.expect("demo");
    lajna_demo::add_actions(&node, ACTIONS).await.expect("actions");
    let actions = node.read_all().await.actions().to_vec();
    for (n, (id, a)) in actions.iter().enumerate().take(ACTIONS) {
        let actor = Actor { party: a.owner.clone(), member: None };
        let command = if n % 2 == 0 {
            let progress = Progress::new(i64::try_from(n % 100).unwrap_or(0)).ok();
            Command::ReportProgress { action: id.clone(), status: None, progress, reason: None, completed: None }
        } else {
            let mut set = Map::new();
            set.insert("due".into(), json!(a.due.checked_add(jiff::Span::new().days(10)).unwrap_or(a.due)));
            Command::Revise { kind: RecordKind::Action, id: id.clone(), set }
        };
        // A report the action refuses (a status needing a reason, a date past the roadmap's
        // end) is skipped: the log only needs its size and its mix.
        let _ = node.execute(&actor, &command).await;
    }
    println!("{} events", node.shared_log().await.expect("log").len());
}

/// Adds `n` progress reports (one event each) on in-progress actions, so that a prepared log
/// whose refused reports left it short of its size reaches it.
async fn extend(dir: &std::path::Path, n: usize) {
    let node = Node::open(dir).await.expect("open");
    let actions = node.read_all().await.actions().to_vec();
    let mut added = 0;
    for (k, (id, a)) in actions.iter().cycle().enumerate() {
        if added == n || k > 4 * n + actions.len() {
            break;
        }
        let actor = Actor { party: a.owner.clone(), member: None };
        let progress = Progress::new(i64::try_from(1 + k % 98).unwrap_or(1)).ok();
        let command =
            Command::ReportProgress { action: id.clone(), status: None, progress, reason: None, completed: None };
        if node.execute(&actor, &command).await.is_ok() {
            added += 1;
        }
    }
    println!("{added} events added, {} in the shared log", node.shared_log().await.expect("log").len());
}

async fn measure(dir: &std::path::Path, rounds: usize) {
    let node = Node::open(dir).await.expect("open");
    let user = User {
        username: "bench".into(),
        party: PartyCode::parse("MAR").expect("party"),
        role: Role::Secretary,
        member: None,
        clearance: Clearance::Secret,
    };
    let log = node.shared_log().await.expect("log");
    let mut times: Vec<jiff::Timestamp> = log.iter().filter_map(|e| e.at()).collect();
    times.sort();
    let (middle, now) = (times[times.len() / 2], jiff::Timestamp::now());
    let today = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    println!("{} events in the shared log; middle instant {middle}", log.len());
    drop(log);

    let (mut fold, mut changed) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        let state = node.read_as_of(&user, now).await.expect("fold");
        fold.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(state.actions().len() >= ACTIONS);
        drop(state);

        let t = Instant::now();
        let before = node.read_as_of(&user, middle).await.expect("before");
        let after = node.read_as_of(&user, now).await.expect("after");
        let c = lajna_views::changes::what_changed(&before, &after, today, today, Lang::Fr);
        changed.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(!c.is_empty());
        println!("round: {} created, {} slipped", c.created.len(), c.slipped.len());
    }
    println!("baseline, one fold of the whole log: median {:.0} ms", median(&mut fold));
    println!("what changed (two folds and the comparison): median {:.0} ms", median(&mut changed));
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .unwrap_or_default();
    println!("peak resident memory: {hwm}");
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
