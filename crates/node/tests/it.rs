//! Node integration tests on real data directories: the demo committee, refused commands
//! that write nothing, and convergence of stores fed in any order.

use std::path::Path;

use jiff::civil::date;
use lajna_demo as demo;
use lajna_domain::records::*;
use lajna_domain::values::*;
use lajna_domain::{Actor, Command, LocalizedText as T, RecordKind};
use lajna_ledger::SignedEvent;
use lajna_node::Node;
use lajna_store::Store;
use proptest::prelude::*;
use serde_json::json;

fn actor(p: &str) -> Actor {
    Actor { party: PartyCode::parse(p).unwrap(), member: None }
}

async fn snapshot(node: &Node) -> (i64, String) {
    (node.store().event_count().await.unwrap(), node.store().state_hash().await.unwrap())
}

async fn demo_node(dir: &Path) -> Node {
    demo::build(&dir.join("demo")).await.unwrap()
}

/// A node of the small committee (`small.toml`), for tests that need its users and no more.
async fn small_node(dir: &Path) -> Node {
    demo::build_from(&dir.join("demo"), &demo::small().unwrap()).await.unwrap()
}

#[tokio::test]
async fn the_demo_holds_the_facts_of_the_founding_article() {
    let dir = tempfile::tempdir().unwrap();
    let node = demo_node(dir.path()).await;
    let (missions, members, areas, press, comms, actions) = node
        .with_state(|s| {
            (
                s.all::<Mission>(RecordKind::Mission),
                s.all::<Member>(RecordKind::Member),
                s.all::<Area>(RecordKind::Area),
                s.all::<PressDocument>(RecordKind::Press),
                s.all::<Communique>(RecordKind::Communique),
                s.all::<Action>(RecordKind::Action),
            )
        })
        .await;
    assert_eq!(missions.len(), 1);
    let (_, m) = &missions[0];
    assert_eq!((m.start, m.end), (date(2025, 2, 17), date(2025, 2, 19)));
    assert_eq!((m.visiting.as_str(), m.host.as_str(), m.venue.zone.as_str()), ("MAR", "MLI", "Africa/Bamako"));
    assert!(!m.illustrative);
    let head = members.iter().find(|(id, _)| Some(id) == m.head.as_ref()).unwrap();
    assert_eq!(head.1.name.ar.as_deref(), Some("عبد الغني محب"));
    assert_eq!(head.1.rank.as_ref().unwrap().ar.as_deref(), Some("العميد"));
    assert_eq!(m.programme[0].title.fr.as_deref(), Some("Réception officielle au ministère de la Défense du Mali"));
    assert_eq!(areas.len(), 5);
    assert_eq!(press.len(), 1);
    // The article is archived byte for byte, and linked to the mission.
    assert_eq!(press[0].1.text, demo::ARTICLE);
    assert_eq!(press[0].1.mission.as_ref(), Some(&missions[0].0));
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/000_fac40ccd7e41eb5b.txt");
    if let Ok(bytes) = std::fs::read(&corpus) {
        assert_eq!(bytes, demo::ARTICLE.as_bytes(), "the embedded copy differs from shared/corpus");
    }
    assert_eq!(comms[0].1.party.as_str(), "MLI");
    assert!(comms[0].1.quotes[0].text.ar.as_deref().unwrap().contains("التزامه الثابت بدعم منطقة الساحل"));
    // The illustrative roadmap: at least 12 actions, across the five areas, every status,
    // some overdue on the fixed reference date, and every one marked illustrative.
    assert!(actions.len() >= 12);
    assert!(actions.iter().all(|(_, a)| a.illustrative));
    for status in ActionStatus::ALL {
        assert!(actions.iter().any(|(_, a)| a.status == *status), "no action is {status:?}");
    }
    for (id, _) in &areas {
        assert!(actions.iter().any(|(_, a)| &a.area == id));
    }
    let overdue = lajna_domain::summary::overdue(&actions, node.today());
    assert_eq!(node.today(), demo::REFERENCE_DATE);
    assert!(overdue.len() >= 3, "{overdue:?}");
}

#[tokio::test]
async fn running_the_demo_again_reuses_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let first = demo_node(dir.path()).await;
    let before = snapshot(&first).await;
    let committee = first.store().committee().await;
    drop(first);
    let again = demo_node(dir.path()).await;
    assert_eq!(snapshot(&again).await, before);
    assert_eq!(again.store().committee().await, committee);
}

#[tokio::test]
async fn demo_users_get_the_clearance_of_their_role() {
    // Issue 6: co-chairs SECRET, secretaries CONFIDENTIAL, action owners RESTRICTED, viewers
    // UNCLASSIFIED — one user of each role for each party.
    let dir = tempfile::tempdir().unwrap();
    let node = demo_node(dir.path()).await;
    let mut seen = Vec::new();
    for (username, party, role) in demo::DEMO_USERS {
        let user = node.store().user(username).await.unwrap().expect(username);
        assert_eq!((user.party.as_str(), user.role.as_str()), (party, role));
        let expected = match role {
            "co-chair" => "SECRET",
            "secretary" => "CONFIDENTIAL",
            "action-owner" => "RESTRICTED",
            _ => "UNCLASSIFIED",
        };
        assert_eq!(user.clearance, expected, "{username}");
        seen.push(format!("{party} {role}"));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 8, "every role for both parties: {seen:?}");
}

#[tokio::test]
async fn each_refused_command_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let node = demo_node(dir.path()).await;
    let before = snapshot(&node).await;
    let (action_id, action) = node.with_state(|s| s.all::<Action>(RecordKind::Action).remove(0)).await;
    let mission = node.with_state(|s| s.all::<Mission>(RecordKind::Mission).remove(0).1).await;

    let mut due_before_start = action.clone();
    due_before_start.due = date(2024, 1, 1);
    let mut unknown_area = action.clone();
    unknown_area.area = "0".repeat(64);
    let mut unknown_party = action.clone();
    unknown_party.owner = PartyCode::parse("FRA").unwrap();
    let mut empty_title = action.clone();
    empty_title.title = T::tri(" ", "", "");
    let mut end_before_start = mission.clone();
    end_before_start.end = date(2025, 2, 1);
    let mut bad_zone = mission.clone();
    bad_zone.venue.zone = "Africa/Timbuktu_Nowhere".into();
    let mut progress_140 = serde_json::Map::new();
    progress_140.insert("progress".into(), json!(140));
    let cases: Vec<(&str, Command, &str)> = vec![
        ("due before start", Command::PlanAction(due_before_start), "error-end-before-start"),
        ("unknown area", Command::PlanAction(unknown_area), "error-unknown-record"),
        ("unknown party", Command::PlanAction(unknown_party), "error-unknown-party"),
        ("empty title", Command::PlanAction(empty_title), "error-empty-text"),
        ("mission end before start", Command::ScheduleMission(end_before_start), "error-end-before-start"),
        ("unknown zone", Command::ScheduleMission(bad_zone), "error-unknown-zone"),
        (
            "progress 140",
            Command::Revise { kind: RecordKind::Action, id: action_id.clone(), set: progress_140 },
            "error-invalid-value",
        ),
        (
            "unknown action",
            Command::ReportProgress {
                completed: None,
                reason: None,
                action: "f".repeat(64),
                status: None,
                progress: Some(Progress::new(5).unwrap()),
            },
            "error-unknown-record",
        ),
        (
            "endorse without being co-chair",
            Command::Endorse { kind: RecordKind::Roadmap, id: action.roadmap.clone(), on: None },
            "error-not-co-chair",
        ),
    ];
    for (what, command, code) in cases {
        let err = node.execute(&actor("MAR"), &command).await.unwrap_err();
        assert_eq!(err.code(), code, "{what}: {err}");
        assert_eq!(snapshot(&node).await, before, "{what} wrote something");
    }
    // An actor of a party that is not in the committee: this node holds no key for it.
    let err = node
        .execute(&actor("FRA"), &Command::AddEvidence { action: action_id.clone(), note: T::tri("", "x", "") })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "no-key");
    assert_eq!(snapshot(&node).await, before);
    // Case C04's rule: saving without a change appends nothing.
    let mut same = serde_json::Map::new();
    same.insert("due".into(), json!(action.due.to_string()));
    assert!(
        node.execute(&actor("MAR"), &Command::Revise { kind: RecordKind::Action, id: action_id, set: same })
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(snapshot(&node).await, before);
}

#[tokio::test]
async fn a_progress_report_is_signed_applied_and_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let node = demo_node(dir.path()).await;
    let (id, a) = node
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action).into_iter().find(|(_, a)| a.status == ActionStatus::InProgress).unwrap()
        })
        .await;
    let ids = node
        .execute(
            &actor(a.owner.as_str()),
            &Command::ReportProgress {
                completed: None,
                reason: None,
                action: id.clone(),
                status: None,
                progress: Some(Progress::parse("٧٥").unwrap()),
            },
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 1);
    let doc = node.store().record(&id).await.unwrap().unwrap().1;
    assert_eq!(doc["progress"], json!(75));
    let stored = node.store().events_after(0, i64::MAX).await.unwrap().pop().unwrap();
    assert_eq!(stored.kind, "action.progress_reported");
    assert!(stored.raw.envelope.contains("\"progress\":75"), "{}", stored.raw.envelope);
    assert!(node.store().verify().await.unwrap().ok());
}

/// Copies a node's data directory into a fresh one by replaying its log (keys and config copied).
async fn replica(from: &Node, to: &Path) -> Node {
    std::fs::create_dir_all(to.join("keys")).unwrap();
    std::fs::copy(from.dir.config(), to.join("config.toml")).unwrap();
    for p in ["MAR", "MLI"] {
        std::fs::copy(from.dir.node_key(p), to.join("keys").join(format!("node-{p}.key"))).unwrap();
    }
    let store = Store::open(&to.join("lajna.sqlite")).await.unwrap();
    for e in from.store().events_after(0, i64::MAX).await.unwrap() {
        store.lock().await.receive(&e.raw).await.unwrap();
    }
    store.close().await;
    Node::open(to).await.unwrap()
}

async fn all_events(node: &Node) -> Vec<SignedEvent> {
    node.store().events_after(0, i64::MAX).await.unwrap().into_iter().map(|e| e.raw).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// DESIGN.md §4 invariants 4 and 5 on real stores: both parties write concurrently on two
    /// nodes; every event is then delivered to fresh stores in a random order, with duplicates;
    /// all end with the same state hash as the two nodes after they exchanged everything.
    #[test]
    fn stores_fed_in_any_order_with_duplicates_converge(
        ops in proptest::collection::vec((0usize..2, 0usize..13, 0usize..4, 0u8..=100), 2..14),
        order in proptest::collection::vec(any::<u32>(), 80),
        dups in proptest::collection::vec(0usize..80, 0..8),
    ) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let dir = tempfile::tempdir().unwrap();
            let a = demo_node(dir.path()).await;
            let b = replica(&a, &dir.path().join("b")).await;
            let actions = a.with_state(|s| s.all::<Action>(RecordKind::Action)).await;
            for (side, idx, what, value) in ops {
                let (node, party) = if side == 0 { (&a, "MAR") } else { (&b, "MLI") };
                let (id, _) = &actions[idx % actions.len()];
                let command = match what {
                    0 => Command::ReportProgress { completed: None, reason: None, action: id.clone(), status: None, progress: Some(Progress::new(i64::from(value)).unwrap()) },
                    1 => Command::ReportProgress { completed: None, reason: Some(T::tri("", &format!("motif {value}"), "")), action: id.clone(), status: Some(ActionStatus::ALL[value as usize % 5]), progress: None },
                    2 => Command::AddEvidence { action: id.clone(), note: T::tri("", &format!("note {value}"), "") },
                    _ => {
                        let mut set = serde_json::Map::new();
                        set.insert("title".into(), json!({"fr": format!("Titre {value} par {party}")}));
                        Command::Revise { kind: RecordKind::Action, id: id.clone(), set }
                    }
                };
                // Some random commands are refused by the domain (e.g. done below 100 %): fine.
                let _ = node.execute(&actor(party), &command).await;
            }
            // The two nodes exchange everything.
            let (ea, eb) = (all_events(&a).await, all_events(&b).await);
            for e in &eb { a.store().lock().await.receive(e).await.unwrap(); }
            for e in &ea { b.store().lock().await.receive(e).await.unwrap(); }
            let expected = a.store().state_hash().await.unwrap();
            assert_eq!(b.store().state_hash().await.unwrap(), expected);
            // Fresh stores fed the union in a random order, with duplicates.
            let mut union: Vec<SignedEvent> = ea.clone();
            for e in eb { if !union.contains(&e) { union.push(e); } }
            let mut keyed: Vec<(u32, SignedEvent)> = union.iter().enumerate().map(|(i, e)| (order[i % order.len()].wrapping_add(i as u32), e.clone())).collect();
            keyed.sort_by_key(|(k, _)| *k);
            let mut delivery: Vec<SignedEvent> = keyed.into_iter().map(|(_, e)| e).collect();
            for d in dups { let e = delivery[d % delivery.len()].clone(); delivery.push(e); }
            for n in 0..2 {
                let store = Store::open(&dir.path().join(format!("fresh{n}.sqlite"))).await.unwrap();
                // The genesis must come first: nothing else can be checked without it.
                let genesis = union[0].clone();
                store.lock().await.receive(&genesis).await.unwrap();
                let seq: Vec<&SignedEvent> = if n == 0 { delivery.iter().collect() } else { delivery.iter().rev().collect() };
                for e in seq { store.lock().await.receive(e).await.unwrap(); }
                assert_eq!(store.pending_count().await.unwrap(), 0);
                assert_eq!(store.event_count().await.unwrap() as usize, union.len());
                assert_eq!(store.state_hash().await.unwrap(), expected, "fresh store {n} diverged");
                assert!(store.verify().await.unwrap().ok());
            }
        });
    }
}

/// Case C14: node B's clock is an hour behind, then three days ahead. A sets an action
/// in progress; B, having received that, sets it done. Both nodes end with `done`: order comes
/// from the DAG and Lamport clock, never from the author's wall time.
#[tokio::test]
async fn c14_order_comes_from_the_dag_not_from_wall_clocks() {
    for skew_minutes in [-60_i64, 3 * 24 * 60] {
        let dir = tempfile::tempdir().unwrap();
        let a = demo_node(dir.path()).await;
        let b = replica(&a, &dir.path().join("b")).await;
        let (id, action) = a
            .with_state(|s| {
                s.all::<Action>(RecordKind::Action)
                    .into_iter()
                    .find(|(_, x)| x.owner.as_str() == "MLI" && x.status == ActionStatus::Planned)
                    .unwrap()
            })
            .await;
        a.execute(
            &actor("MLI"),
            &Command::ReportProgress {
                completed: None,
                reason: None,
                action: id.clone(),
                status: Some(ActionStatus::InProgress),
                progress: None,
            },
        )
        .await
        .unwrap();
        let from_a = a.store().latest_events(1).await.unwrap().remove(0).raw;
        b.store().lock().await.receive(&from_a).await.unwrap();
        // B writes with a skewed clock: its `at` is before (or long after) A's.
        let a_at: jiff::Timestamp = serde_json::from_str::<serde_json::Value>(&from_a.envelope).unwrap()["at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let b_at = (a_at + jiff::SignedDuration::from_mins(skew_minutes)).strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        let key = lajna_node::read_key(&b.dir.node_key("MLI")).unwrap();
        let done = {
            let guard = b.store().lock().await;
            lajna_ledger::Draft {
                committee: guard.committee(),
                parents: guard.heads(),
                party: "MLI".into(),
                member: None,
                at: b_at,
                kind: "action.progress_reported".into(),
                body: json!({"v": 1, "record": id, "set": {"status": "done", "progress": 100}}),
            }
            .sign(&key)
            .unwrap()
        };
        b.store().lock().await.append(std::slice::from_ref(&done)).await.unwrap();
        a.store().lock().await.receive(&done).await.unwrap();
        for node in [&a, &b] {
            let now: Action = node.with_state(|s| s.get(RecordKind::Action, &id).unwrap()).await;
            assert_eq!(now.status, ActionStatus::Done, "skew {skew_minutes} min");
            assert_ne!(now.status, action.status);
        }
        assert_eq!(a.store().state_hash().await.unwrap(), b.store().state_hash().await.unwrap());
    }
}

/// Case C15: after ~1,000 mixed events, a rebuild gives byte-identical projections and the same
/// state hash, and appends nothing.
#[tokio::test]
async fn c15_rebuild_after_a_thousand_mixed_events_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let node = demo_node(dir.path()).await;
    let actions = node.with_state(|s| s.all::<Action>(RecordKind::Action)).await;
    let mut n = 0;
    while node.store().event_count().await.unwrap() < 1000 {
        let (id, a) = &actions[n % actions.len()];
        let who = actor(a.owner.as_str());
        let command = match n % 4 {
            0 => Command::ReportProgress {
                completed: None,
                reason: None,
                action: id.clone(),
                status: None,
                progress: Some(Progress::new((n % 99) as i64).unwrap()),
            },
            1 => Command::AddEvidence { action: id.clone(), note: T::tri("", &format!("pièce {n}"), "") },
            2 => {
                let mut set = serde_json::Map::new();
                set.insert("title".into(), json!({"fr": format!("Titre {n}"), "ar": format!("عنوان {n}")}));
                Command::Revise { kind: RecordKind::Action, id: id.clone(), set }
            }
            _ => Command::ReportProgress {
                completed: None,
                reason: Some(T::tri("", "En attente", "")),
                action: id.clone(),
                status: Some(ActionStatus::Blocked),
                progress: None,
            },
        };
        let _ = node.execute(&who, &command).await;
        n += 1;
    }
    let events = node.store().event_count().await.unwrap();
    let before = node.store().export().await.unwrap();
    let mut tables = vec![];
    for kind in RecordKind::ALL {
        tables.push(node.store().records(kind.code()).await.unwrap());
    }
    let hash = node.store().state_hash().await.unwrap();
    assert_eq!(node.store().rebuild().await.unwrap(), hash);
    assert_eq!(node.store().event_count().await.unwrap(), events, "rebuild appended events");
    assert_eq!(node.store().export().await.unwrap(), before);
    for (kind, rows) in RecordKind::ALL.iter().zip(tables) {
        let after = node.store().records(kind.code()).await.unwrap();
        let a: Vec<String> = rows
            .iter()
            .map(|(id, d)| {
                format!("{id}\t{}", lajna_ledger::to_canonical_vec(d).map(String::from_utf8).unwrap().unwrap())
            })
            .collect();
        let b: Vec<String> = after
            .iter()
            .map(|(id, d)| {
                format!("{id}\t{}", lajna_ledger::to_canonical_vec(d).map(String::from_utf8).unwrap().unwrap())
            })
            .collect();
        assert_eq!(a, b, "{kind:?} rows differ after rebuild");
    }
    let report = node.store().verify().await.unwrap();
    // Verify checks the private log too (the demo's MAR-only document).
    let private = node.store().private_events().await.unwrap().len() as i64;
    assert!(report.ok() && report.events as i64 == events + private);
}

/// Role rules on revisions: joint records (a mission hosted by MLI) are edited by either
/// party's secretaries; a party's own records only by that party, and handing one to the other
/// party is refused.
#[tokio::test]
async fn revisions_follow_the_owning_party_rules() {
    use lajna_node::auth::{Role, User, authorize};
    let dir = tempfile::tempdir().unwrap();
    let node = demo_node(dir.path()).await;
    let mar = User {
        username: "s".into(),
        party: PartyCode::parse("MAR").unwrap(),
        role: Role::Secretary,
        member: None,
        clearance: lajna_domain::Classification::Confidential,
    };
    let (mission, m) = node.with_state(|s| s.all::<Mission>(RecordKind::Mission).remove(0)).await;
    let (mar_action, _) = node
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action).into_iter().find(|(_, a)| a.owner.as_str() == "MAR").unwrap()
        })
        .await;
    let (mli_action, _) = node
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action).into_iter().find(|(_, a)| a.owner.as_str() == "MLI").unwrap()
        })
        .await;
    let revise = |kind, id: &str, set: serde_json::Value| Command::Revise {
        kind,
        id: id.to_string(),
        set: set.as_object().unwrap().clone(),
    };
    node.with_state(|s| {
        assert!(
            authorize(
                &mar,
                s,
                &revise(RecordKind::Mission, &mission, json!({"host": m.host.as_str(), "end": "2025-02-20"}))
            )
            .is_ok()
        );
        assert!(
            authorize(&mar, s, &revise(RecordKind::Action, &mar_action, json!({"owner": "MAR", "due": "2025-12-01"})))
                .is_ok()
        );
        assert!(authorize(&mar, s, &revise(RecordKind::Action, &mar_action, json!({"owner": "MLI"}))).is_err());
        assert!(authorize(&mar, s, &revise(RecordKind::Action, &mli_action, json!({"due": "2025-12-01"}))).is_err());
        let viewer = User { role: Role::Viewer, ..mar.clone() };
        assert!(authorize(&viewer, s, &revise(RecordKind::Mission, &mission, json!({"end": "2025-02-20"}))).is_err());
    })
    .await;
}

/// Issue 18: the marking rule applies to pledges as to documents — a user makes no pledge above
/// their clearance, and revises or records a delivery of a pledge only when its marking allows
/// them (enough clearance and their party in its releasability); a MAR-only pledge goes to the
/// MAR private log and is in no reader's snapshot but MAR's.
#[tokio::test]
async fn pledges_follow_the_marking_rule() {
    use lajna_domain::marking::{Classification, Marking, Releasability};
    use lajna_domain::money::{Currency, Money};
    use lajna_domain::resources::{Delivered, Delivery, Pledged};
    use lajna_node::auth::{Role, User, authorize};
    let dir = tempfile::tempdir().unwrap();
    let node = demo_node(dir.path()).await;
    let user = |party: &str, clearance| User {
        username: "s".into(),
        party: lajna_domain::PartyCode::parse(party).unwrap(),
        role: Role::Secretary,
        member: None,
        clearance,
    };
    let (action, _) = node
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action).into_iter().find(|(_, a)| a.owner.as_str() == "MAR").unwrap()
        })
        .await;
    let confidential = Marking {
        classification: Classification::Confidential,
        releasable_to: Releasability::Only(lajna_domain::PartyCode::parse("MAR").unwrap()),
    };
    let pledge = Pledge {
        party: lajna_domain::PartyCode::parse("MAR").unwrap(),
        about: action,
        date: date(2025, 3, 1),
        due: date(2025, 9, 30),
        value: Pledged::Money(Money::new(12_500_000, Currency::MAD).unwrap()),
        marking: confidential,
        illustrative: false,
    };
    let mar = Actor { party: lajna_domain::PartyCode::parse("MAR").unwrap(), member: None };
    let id = node.execute(&mar, &Command::MakePledge(pledge.clone())).await.unwrap()[0].to_hex();
    assert_eq!(node.store().private_records("MAR").await.unwrap().iter().filter(|(_, k, _)| k == "pledge").count(), 1);
    let deliver = Command::RecordDelivery {
        pledge: id.clone(),
        delivery: Delivery {
            date: date(2025, 4, 1),
            value: Delivered::Money(Money::new(2_500_000, Currency::MAD).unwrap()),
            evidence: None,
        },
    };
    let revise = Command::Revise {
        kind: RecordKind::Pledge,
        id: id.clone(),
        set: json!({"due": "2025-10-31"}).as_object().unwrap().clone(),
    };
    let (low, cleared, other) = (
        user("MAR", Classification::Restricted),
        user("MAR", Classification::Confidential),
        user("MLI", Classification::Secret),
    );
    node.with_state(|s| {
        for cmd in [&deliver, &revise, &Command::MakePledge(pledge.clone())] {
            assert!(authorize(&low, s, cmd).is_err(), "{cmd:?}");
            assert!(authorize(&cleared, s, cmd).is_ok(), "{cmd:?}");
        }
        assert!(authorize(&other, s, &deliver).is_err());
        assert!(authorize(&other, s, &revise).is_err());
    })
    .await;
    // Only MAR readers with the clearance see it.
    for (party, clearance, seen) in [
        ("MAR", Classification::Confidential, true),
        ("MAR", Classification::Restricted, false),
        ("MLI", Classification::Secret, false),
    ] {
        let snapshot = node.read(&user(party, clearance)).await;
        assert_eq!(snapshot.entry(&id).is_some(), seen, "{party} {clearance:?}");
    }
    // Delivered, then withdrawn: it no longer counts, and the record (private log included)
    // verifies and rebuilds to the same state hash.
    let delivery = node.execute(&mar, &deliver).await.unwrap()[0].to_hex();
    let withdraw = Command::WithdrawDelivery { pledge: id.clone(), delivery };
    node.with_state(|s| assert!(authorize(&low, s, &withdraw).is_err())).await;
    node.execute(&mar, &withdraw).await.unwrap();
    let left = node.with_state(|s| lajna_domain::resources::deliveries(s.entry(&id).unwrap()).len()).await;
    assert_eq!(left, 0);
    assert!(node.store().verify().await.unwrap().ok());
    let hash = node.store().state_hash().await.unwrap();
    assert_eq!(node.store().rebuild().await.unwrap(), hash);
    assert_eq!(node.with_state(|s| s.entry(&id).map(|e| e.is_private())).await, Some(true));
}

/// Issue 6: a peer cannot move a shared document into a private log (or swap its file) by
/// sending a revision the local command path would refuse — the store refuses it on receipt and
/// stores nothing; an honest revision of the same document (its title) is accepted.
#[tokio::test]
async fn a_peer_cannot_make_a_shared_document_private_or_swap_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli) = demo::build_pair(dir.path()).await.unwrap();
    let shared = mar
        .with_state(|s| {
            s.all::<Document>(RecordKind::Document)
                .into_iter()
                .find(|(_, d)| !d.marking.is_private())
                .map(|(id, _)| id)
                .expect("the demo has a shared document")
        })
        .await;
    assert!(mli.with_state(|s| s.entry(&shared).is_some()).await, "both nodes hold it");
    let key = lajna_node::read_key(&dir.path().join("mli/keys/node-MLI.key")).unwrap();
    // Revisions the MLI node signs by hand, bypassing its own `decide`.
    let forge = |set: serde_json::Value| {
        let mli = &mli;
        let key = &key;
        let shared = shared.clone();
        async move {
            let guard = mli.store().lock().await;
            lajna_ledger::Draft {
                committee: guard.committee(),
                parents: guard.heads(),
                party: "MLI".into(),
                member: None,
                at: "2025-10-01T00:00:00Z".into(),
                kind: "document.revised".into(),
                body: json!({"v": 1, "record": shared, "set": set}),
            }
            .sign(key)
            .unwrap()
        }
    };
    let before = snapshot(&mar).await;
    for set in [
        json!({"marking": {"classification": "UNCLASSIFIED", "releasable_to": {"only": "MLI"}}}),
        json!({"blake3": "00".repeat(32)}),
        json!({"file_name": "other.pdf"}),
    ] {
        let event = forge(set.clone()).await;
        let refused = mar.store().lock().await.receive(&event).await;
        match refused {
            Err(lajna_store::StoreError::Domain { source, .. }) => {
                assert!(source.to_string().contains("fixed at registration"), "{set}: {source}")
            }
            other => panic!("{set}: expected a domain refusal, got {other:?}"),
        }
        assert_eq!(snapshot(&mar).await, before, "{set}: nothing stored");
    }
    let honest = forge(json!({"title": {"fr": "Programme révisé"}})).await;
    assert!(mar.store().lock().await.receive(&honest).await.is_ok());
    assert_ne!(snapshot(&mar).await, before);
    assert!(mar.with_state(|s| !s.entry(&shared).unwrap().is_private()).await);
}

/// Issue 10 item 4: a bundle from a peer carrying a validly signed revision or creation whose
/// field is not of its type (progress "abc", a date that is not a date) or whose reference names
/// a record of another kind (an area id that is a roadmap) is refused, naming the event and the
/// field, and nothing of the bundle is stored — not even the honest event before it. The honest
/// part alone is then accepted.
#[tokio::test]
async fn a_bundle_carrying_a_signed_event_with_a_mistyped_field_is_refused_named_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli) = demo::build_pair(dir.path()).await.unwrap();
    let (action, roadmap, record) = mar
        .with_state(|s| {
            let mut open = s.all::<Action>(RecordKind::Action).into_iter().filter(|(_, a)| !a.status.is_closed());
            open.next().map(|(id, a)| (id, a.roadmap.clone(), serde_json::to_value(a).unwrap())).unwrap()
        })
        .await;
    // A new action planned with one field of the wrong type (the rest is an existing action's).
    let planned = |field: &str, value: serde_json::Value| {
        let mut set = record.clone();
        set[field] = value;
        json!({"v": 1, "set": set})
    };
    // An honest revision on the Malian node, carried in the same bundle.
    mli.execute(
        &actor("MLI"),
        &Command::ReportProgress {
            completed: None,
            reason: None,
            action: action.clone(),
            status: None,
            progress: Some(Progress::new(55).unwrap()),
        },
    )
    .await
    .unwrap();
    let (honest, n) = mli.bundle_export(Some("MAR"), false).await.unwrap();
    assert_eq!(n, 1);
    let (header, events) = lajna_ledger::read_bundle(&honest, 1 << 20).unwrap();
    let key = lajna_node::read_key(&dir.path().join("mli/keys/node-MLI.key")).unwrap();
    let heads = mli.store().lock().await.heads();
    let before = snapshot(&mar).await;
    let revised = |set: serde_json::Value| json!({"v": 1, "record": action, "set": set});
    for (kind, body, field) in [
        ("action.revised", revised(json!({"progress": "abc"})), "progress"),
        ("action.progress_reported", revised(json!({"progress": "abc"})), "progress"),
        ("action.revised", revised(json!({"due": "31/12/2025"})), "due"),
        ("action.revised", revised(json!({"area": roadmap})), "area"),
        ("action.planned", planned("progress", json!("abc")), "progress"),
        ("action.planned", planned("due", json!("31/12/2025")), "due"),
        ("action.planned", planned("area", json!(roadmap)), "area"),
    ] {
        // Signed by the Malian node's certified key, bypassing its own checks.
        let bad = lajna_ledger::Draft {
            committee: Some(header.committee),
            parents: heads.clone(),
            party: "MLI".into(),
            member: None,
            at: "2025-10-01T00:00:00Z".into(),
            kind: kind.into(),
            body: body.clone(),
        }
        .sign(&key)
        .unwrap();
        let bundle = lajna_ledger::write_bundle(header.clone(), &[events.clone(), vec![bad.clone()]].concat()).unwrap();
        let err = mar.bundle_import(&bundle).await.unwrap_err();
        assert_eq!(err.code(), "error-invalid-value", "{kind} {body}: {err}");
        let text = err.to_string();
        assert!(text.contains(&format!("event {}: {field}:", bad.id().to_hex())), "{kind} {body}: {text}");
        assert_eq!(snapshot(&mar).await, before, "{kind} {body}: nothing stored");
        assert_eq!(mar.store().pending_count().await.unwrap(), 0);
    }
    assert!(mar.store().verify().await.unwrap().ok());
    mar.bundle_import(&honest).await.unwrap();
    assert_eq!(snapshot(&mar).await.0, before.0 + 1);
    assert_eq!(snapshot(&mar).await.1, snapshot(&mli).await.1);
}

/// Three sessions of `mli-cochair` (two browsers and the API), signed in with `password`.
async fn three_sessions(node: &Node, password: &str) -> Vec<String> {
    let mut tokens = vec![];
    for address in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        let s = node.sign_in("mli-cochair", password, address).await.unwrap();
        assert!(node.session(&s.token).await.unwrap().is_some());
        tokens.push(s.token);
    }
    tokens
}

#[tokio::test]
async fn c16_each_change_of_a_users_credentials_or_authority_ends_all_its_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    let (password, _) = demo::demo_password(&dir.path().join("demo")).unwrap();
    let other = node.sign_in("mar-secretary", &password, "10.0.0.9").await.unwrap();
    let mut current = password.clone();
    for change in ["password", "role", "clearance", "disable"] {
        let tokens = three_sessions(&node, &current).await;
        match change {
            "password" => {
                current = "a new password for the co-chair".into();
                node.set_password("mli-cochair", &current).await.unwrap();
            }
            "role" => node.set_role("mli-cochair", "secretary").await.unwrap(),
            "clearance" => node.set_clearance("mli-cochair", "RESTRICTED").await.unwrap(),
            _ => node.disable_user("mli-cochair").await.unwrap(),
        }
        for token in &tokens {
            assert!(node.session(token).await.unwrap().is_none(), "{change}: a session lives on");
            // Signing out of an ended session is harmless and ends nothing else.
            node.sign_out(token).await.unwrap();
        }
        assert!(node.session(&other.token).await.unwrap().is_some(), "{change}: another user's session ended");
    }
    // The changes took effect, and the old password no longer signs in.
    let row = node.store().user("mli-cochair").await.unwrap().unwrap();
    assert_eq!((row.role.as_str(), row.clearance.as_str(), row.disabled), ("secretary", "RESTRICTED", true));
    assert!(node.sign_in("mli-cochair", &current, "10.0.0.4").await.is_err(), "disabled");
    let trail = node.store().audit_trail(200).await.unwrap();
    for detail in ["password", "role secretary (was co-chair)", "clearance RESTRICTED (was SECRET)", "disabled"] {
        assert!(
            trail.iter().any(|l| l.username == "mli-cochair" && l.action == "user-changed" && l.detail == detail),
            "no audit line {detail:?}"
        );
    }
}

#[tokio::test]
async fn c16_a_password_changed_from_a_session_keeps_that_session_and_ends_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    let (password, _) = demo::demo_password(&dir.path().join("demo")).unwrap();
    let tokens = three_sessions(&node, &password).await;
    let new = "a new password for the co-chair";
    node.set_password_keeping("mli-cochair", new, Some(&tokens[0])).await.unwrap();
    let (user, _) = node.session(&tokens[0]).await.unwrap().expect("the session the change was made from stays");
    assert_eq!(user.username, "mli-cochair");
    for token in &tokens[1..] {
        assert!(node.session(token).await.unwrap().is_none());
    }
    assert!(node.sign_in("mli-cochair", &password, "10.0.0.5").await.is_err(), "the old password");
    let fresh = node.sign_in("mli-cochair", new, "10.0.0.5").await.unwrap();
    assert!(node.session(&fresh.token).await.unwrap().is_some());
    // Another user's token keeps nothing: every session of mli-cochair ends.
    let other = node.sign_in("mar-secretary", &password, "10.0.0.9").await.unwrap();
    node.set_password_keeping("mli-cochair", "yet another password", Some(&other.token)).await.unwrap();
    assert!(node.session(&tokens[0]).await.unwrap().is_none());
    assert!(node.session(&fresh.token).await.unwrap().is_none());
    assert!(node.session(&other.token).await.unwrap().is_some());
    // A weak password or an unknown user changes nothing.
    let last = node.sign_in("mli-cochair", "yet another password", "10.0.0.5").await.unwrap();
    assert!(node.set_password_keeping("mli-cochair", "short", None).await.is_err());
    assert!(node.set_password("nobody", "long enough password").await.is_err());
    assert!(node.session(&last.token).await.unwrap().is_some());
}

#[tokio::test]
async fn c16_replacing_a_user_ends_its_sessions_and_a_disabled_users_session_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    let (password, _) = demo::demo_password(&dir.path().join("demo")).unwrap();
    let tokens = three_sessions(&node, &password).await;
    node.put_user("mli-cochair", "MLI", "co-chair", None, &password).await.unwrap();
    for token in &tokens {
        assert!(node.session(token).await.unwrap().is_none());
    }
    // Re-enabling a disabled user does not bring its old sessions back.
    let tokens = three_sessions(&node, &password).await;
    node.disable_user("mli-cochair").await.unwrap();
    node.store().set_user_disabled("mli-cochair", false).await.unwrap();
    for token in &tokens {
        assert!(node.session(token).await.unwrap().is_none());
    }
    assert!(node.sign_in("mli-cochair", &password, "10.0.0.6").await.is_ok());
}

/// Issue 16 item 1: the password policy holds wherever a password is set (`lajna user add` is
/// `put_user`, `lajna user passwd` is `set_password`): a short, a common or a padded common
/// password is refused with its own error, and the user, its password and the audit trail stay
/// as they were.
#[tokio::test]
async fn a_short_or_common_password_is_refused_by_user_add_and_passwd_and_changes_nothing() {
    use lajna_node::auth::AuthError;
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    let (password, _) = demo::demo_password(&dir.path().join("demo")).unwrap();
    let users = node.user_rows().await.unwrap();
    let audit = node.store().audit_trail(1000).await.unwrap().len();
    let refused = |r: Result<(), lajna_node::NodeError>| match r {
        Err(lajna_node::NodeError::Auth(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(refused(node.put_user("mli-new", "MLI", "viewer", None, "eleven char").await), AuthError::WeakPassword);
    assert_eq!(
        refused(node.put_user("mli-new", "MLI", "viewer", None, "password1234").await),
        AuthError::CommonPassword
    );
    assert_eq!(refused(node.set_password("mli-cochair", "Football2024!").await), AuthError::CommonPassword);
    assert_eq!(refused(node.set_password("mli-cochair", "mli-cochair-2025").await), AuthError::CommonPassword);
    assert_eq!(node.user_rows().await.unwrap(), users, "no user added or changed");
    assert_eq!(node.store().audit_trail(1000).await.unwrap().len(), audit, "nothing audited");
    assert!(node.sign_in("mli-cochair", &password, "10.0.0.7").await.is_ok(), "the old password still works");
}

/// Issue 16 item 1: a user added by an administrator has no password until its activation
/// link is used; the link works once and only for 72 hours (the clock is injected); an
/// administrator of MLI cannot touch a MAR user; a secretary cannot make a co-chair.
#[tokio::test]
async fn an_activation_link_works_once_and_expires_and_admins_keep_to_their_party() {
    use lajna_node::admin::UserChange;
    use lajna_node::auth::AuthError;
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    let user = |name: &str| {
        let node = &node;
        let name = name.to_string();
        async move { lajna_node::auth::user_of_row(&node.user_row(&name).await.unwrap().unwrap()).unwrap() }
    };
    let (mli_sec, mar_sec) = (user("mli-secretary").await, user("mar-secretary").await);
    let token = node.add_user_with_link(&mli_sec, "mli-officer", "action-owner", None, "test").await.unwrap();
    assert!(node.sign_in("mli-officer", "!", "10.0.0.8").await.is_err(), "no password before activation");
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(73);
    let bad_link =
        |r: Result<String, lajna_node::NodeError>| matches!(r, Err(lajna_node::NodeError::Auth(AuthError::BadLink)));
    assert!(bad_link(node.use_link_at(&token, "an officer's long passphrase", later).await), "expired after 72 h");
    let now = jiff::Timestamp::now();
    assert!(node.use_link_at(&token, "short", now).await.is_err(), "the policy holds");
    assert_eq!(node.use_link_at(&token, "an officer's long passphrase", now).await.unwrap(), "mli-officer");
    assert!(bad_link(node.use_link_at(&token, "another long passphrase", now).await), "once only");
    assert!(node.sign_in("mli-officer", "an officer's long passphrase", "10.0.0.8").await.is_ok());
    // Parties and ranks.
    let forbidden =
        |r: Result<(), lajna_node::NodeError>| matches!(r, Err(lajna_node::NodeError::Auth(AuthError::Forbidden(_))));
    let before = node.user_rows().await.unwrap();
    assert!(forbidden(node.change_user(&mar_sec, "mli-officer", UserChange::Disabled(true), "t").await));
    assert!(forbidden(node.change_user(&mli_sec, "mli-officer", UserChange::Role("co-chair"), "t").await));
    assert!(forbidden(node.change_user(&mli_sec, "mli-cochair", UserChange::Clearance("RESTRICTED"), "t").await));
    assert!(forbidden(node.change_user(&mli_sec, "mli-officer", UserChange::Clearance("SECRET"), "t").await));
    assert!(node.reset_link(&mar_sec, "mli-officer", "t").await.is_err());
    assert!(node.party_users(&mar_sec).await.unwrap().iter().all(|u| u.party.as_str() == "MAR"));
    assert_eq!(node.user_rows().await.unwrap(), before, "nothing written on refusals");
    node.change_user(&mli_sec, "mli-officer", UserChange::Role("secretary"), "t").await.unwrap();
    assert_eq!(node.user_row("mli-officer").await.unwrap().unwrap().role, "secretary");
}

/// The two-node demo where the Malian node has reported progress on an open action (a value
/// the action does not have yet, so an event is written) and exported a bundle for MAR.
async fn pair_with_a_malian_bundle(dir: &std::path::Path) -> (Node, Node, Vec<u8>) {
    let (mar, mli) = demo::build_pair(dir).await.unwrap();
    let (action, percent) = mli
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action)
                .into_iter()
                .find(|(_, a)| !a.status.is_closed())
                .map(|(id, a)| (id, if a.progress.percent() == 45 { 46 } else { 45 }))
        })
        .await
        .unwrap();
    let progress = Some(Progress::new(percent).unwrap());
    mli.execute(
        &actor("MLI"),
        &Command::ReportProgress { completed: None, reason: None, action, status: None, progress },
    )
    .await
    .unwrap();
    let (bundle, n) = mli.bundle_export(Some("MAR"), false).await.unwrap();
    assert_eq!(n, 1, "one new event in the bundle");
    (mar, mli, bundle)
}

/// Issue 12 item 5: a bundle carries its maker's signed checkpoint of the heads it held; the
/// importer (of the other party) keeps it, and its log then holds everything it names.
#[tokio::test]
async fn a_bundle_carries_its_makers_checkpoint_and_the_importer_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli, bundle) = pair_with_a_malian_bundle(dir.path()).await;
    let (header, _) = lajna_ledger::read_bundle(&bundle, 1 << 20).unwrap();
    let cp = header.checkpoint.clone().expect("the bundle carries a checkpoint");
    let st = cp.open().unwrap().0;
    let mli_key = lajna_node::read_key(&dir.path().join("mli/keys/node-MLI.key")).unwrap();
    assert_eq!((st.party.as_str(), st.of.as_deref()), ("MLI", Some("MAR")));
    assert_eq!((st.node.clone(), st.heads.clone()), (mli_key.public().to_hex(), mli.store().heads().await));
    assert_eq!(st.count as i64, mli.store().event_count().await.unwrap());
    mar.bundle_import(&bundle).await.unwrap();
    let kept = mar.store().checkpoints().await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].party.as_str(), kept[0].via.as_str(), &kept[0].checkpoint), ("MLI", "bundle-import", &cp));
    let checks = mar.store().check_checkpoints().await.unwrap();
    assert_eq!(checks[0].problem, None, "{checks:?}");
    // An older checkpoint of the same node does not replace a newer one.
    let mut older = st.clone();
    older.at = "2025-01-01T00:00:00Z".into();
    let older = lajna_ledger::Checkpoint::sign(&mli_key, older).unwrap();
    assert!(!mar.accept_checkpoint(&older, Some("MLI"), "http").await.unwrap());
    assert_eq!(mar.store().checkpoints().await.unwrap()[0].checkpoint, cp);
    // A node's own party's checkpoint witnesses nothing: not kept.
    let (own, _) = mar.bundle_export(Some("MLI"), false).await.unwrap();
    let own_cp = lajna_ledger::read_bundle(&own, 1 << 20).unwrap().0.checkpoint.unwrap();
    assert!(!mar.accept_checkpoint(&own_cp, None, "http").await.unwrap());
    // Importing it again changes nothing.
    mar.bundle_import(&bundle).await.unwrap();
    assert_eq!(mar.store().checkpoints().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_bundle_whose_checkpoint_has_a_bad_signature_or_an_uncertified_key_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, _mli, bundle) = pair_with_a_malian_bundle(dir.path()).await;
    let (header, events) = lajna_ledger::read_bundle(&bundle, 1 << 20).unwrap();
    let cp = header.checkpoint.clone().unwrap();
    let st = cp.open().unwrap().0;
    let before = snapshot(&mar).await;
    let with = |checkpoint: lajna_ledger::Checkpoint| {
        let mut h = header.clone();
        h.checkpoint = Some(checkpoint);
        lajna_ledger::write_bundle(h, &events).unwrap()
    };
    // The statement altered after signing: it claims more events.
    let mut altered = cp.clone();
    altered.statement = altered.statement.replace(&format!("\"count\":{}", st.count), "\"count\":1");
    assert_ne!(altered, cp);
    let err = mar.bundle_import(&with(altered)).await.unwrap_err();
    assert_eq!(err.code(), "bad-signature", "{err}");
    // Signed by a key no root certified.
    let stranger = lajna_ledger::SecretKey::from_seed([77; 32]);
    let err =
        mar.bundle_import(&with(lajna_ledger::Checkpoint::sign(&stranger, st.clone()).unwrap())).await.unwrap_err();
    assert_eq!(err.code(), "uncertified-key", "{err}");
    assert!(err.to_string().contains(&stranger.public().to_hex()), "{err}");
    // Signed by the Moroccan node in a bundle from Mali: not its maker's.
    let mar_key = lajna_node::read_key(&dir.path().join("mar/keys/node-MAR.key")).unwrap();
    let mut theirs = st.clone();
    theirs.party = "MAR".into();
    let err = mar.bundle_import(&with(lajna_ledger::Checkpoint::sign(&mar_key, theirs).unwrap())).await.unwrap_err();
    assert!(err.to_string().contains("comes from MLI"), "{err}");
    // Nothing stored: no event, no checkpoint; the refusal is recorded.
    assert_eq!(snapshot(&mar).await, before);
    assert!(mar.store().checkpoints().await.unwrap().is_empty());
    assert!(mar.store().peer("MLI").await.unwrap().last_error.unwrap().contains("checkpoint is refused"));
    // The genuine bundle imports.
    mar.bundle_import(&bundle).await.unwrap();
    assert_eq!(mar.store().checkpoints().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_old_bundle_without_a_checkpoint_still_imports_and_keeps_none() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli, bundle) = pair_with_a_malian_bundle(dir.path()).await;
    let (header, events) = lajna_ledger::read_bundle(&bundle, 1 << 20).unwrap();
    // As an older node wrote it: no checkpoint (the header line then has no such field, byte
    // for byte the older format: `ledger::bundle` tests).
    let mut header = header;
    header.checkpoint = None;
    let old = lajna_ledger::write_bundle(header, &events).unwrap();
    let report = mar.bundle_import(&old).await.unwrap();
    assert_eq!(report.applied, 1);
    assert!(mar.store().checkpoints().await.unwrap().is_empty());
    assert!(mar.store().check_checkpoints().await.unwrap().is_empty());
    assert_eq!(snapshot(&mar).await, snapshot(&mli).await);
}

/// A new Malian node joins; its first bundle carries its key certificate and a checkpoint
/// signed by that new key: the checkpoint is checked with the certificate it travels with.
#[tokio::test]
async fn a_new_nodes_first_bundle_carries_its_certificate_and_its_checkpoint_which_verifies_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, _mli) = demo::build_pair(dir.path()).await.unwrap();
    let (all, _) = mar.bundle_export(None, true).await.unwrap();
    let root = lajna_node::read_key(&dir.path().join("roots/root-MLI.key")).unwrap();
    let new = lajna_node::sync::join(&dir.path().join("mli2"), &all, "MLI", &root, vec![]).await.unwrap();
    let (back, n) = new.bundle_export(Some("MAR"), false).await.unwrap();
    assert_eq!(n, 1, "its certificate");
    let cp = lajna_ledger::read_bundle(&back, 1 << 20).unwrap().0.checkpoint.unwrap();
    assert_eq!(mar.check_checkpoint(&cp, &[], Some("MLI")).await.unwrap_err().code(), "uncertified-key");
    mar.bundle_import(&back).await.unwrap();
    let kept = mar.store().checkpoints().await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].checkpoint, cp);
    assert_eq!(mar.store().check_checkpoints().await.unwrap()[0].problem, None);
}

/// Issue 16 item 4 on real stores: each party's co-chair delegates their signature on their own
/// node and the delegate endorses the same roadmap version there (MAR's delegation is then
/// withdrawn); fresh stores fed every event forwards and backwards (an endorsement before the
/// delegation it was made under: held pending until its parents arrive) end with the same
/// state hash as the two nodes, the roadmap adopted by both parties under delegation.
#[tokio::test]
async fn signature_delegations_and_endorsements_under_them_converge_whatever_the_delivery_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo_node(dir.path()).await;
    let (members, roadmap) = a
        .with_state(|s| (s.all::<Member>(RecordKind::Member), s.all::<Roadmap>(RecordKind::Roadmap)[0].0.clone()))
        .await;
    // A new version of the roadmap, known to both nodes, that nobody endorsed yet.
    let mut set = serde_json::Map::new();
    set.insert("end".into(), json!("2027-12-31"));
    a.execute(&actor("MAR"), &Command::Revise { kind: RecordKind::Roadmap, id: roadmap.clone(), set }).await.unwrap();
    let b = replica(&a, &dir.path().join("b")).await;
    let person = |party: &str, co_chair: bool| {
        let (id, _) = members
            .iter()
            .find(|(_, m)| m.party.as_str() == party && (m.role == MemberRole::CoChair) == co_chair)
            .unwrap();
        Actor { party: PartyCode::parse(party).unwrap(), member: Some(id.clone()) }
    };
    let on = date(2026, 3, 10);
    let mut delegations = vec![];
    for (node, party) in [(&a, "MAR"), (&b, "MLI")] {
        let (chair, deputy) = (person(party, true), person(party, false));
        let delegate = Command::DelegateSignature {
            delegate: deputy.member.clone().unwrap(),
            from: date(2026, 3, 1),
            to: date(2026, 3, 31),
        };
        delegations.push(node.execute(&chair, &delegate).await.unwrap()[0].to_string());
        let endorse = Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: Some(on) };
        node.execute(&deputy, &endorse).await.unwrap();
    }
    let withdraw = Command::WithdrawSignatureDelegation { delegation: delegations[0].clone() };
    a.execute(&person("MAR", true), &withdraw).await.unwrap();
    let (ea, eb) = (all_events(&a).await, all_events(&b).await);
    for e in &eb {
        a.store().lock().await.receive(e).await.unwrap();
    }
    for e in &ea {
        b.store().lock().await.receive(e).await.unwrap();
    }
    let expected = a.store().state_hash().await.unwrap();
    assert_eq!(b.store().state_hash().await.unwrap(), expected);
    let adopted = a
        .with_state(|s| {
            lajna_domain::adoption(&s.entry(&roadmap).unwrap().doc(&roadmap), &["MAR".into(), "MLI".into()])
        })
        .await;
    assert!(adopted.adopted, "{adopted:?}");
    let ds = a.with_state(|s| lajna_domain::signature::delegations(s, "MAR")).await;
    assert!(ds.len() == 1 && ds[0].withdrawn);
    let mut union = ea.clone();
    for e in eb {
        if !union.contains(&e) {
            union.push(e);
        }
    }
    for (n, backwards) in [(0, false), (1, true)] {
        let store = Store::open(&dir.path().join(format!("fresh{n}.sqlite"))).await.unwrap();
        store.lock().await.receive(&union[0]).await.unwrap();
        let seq: Vec<&SignedEvent> = if backwards { union.iter().rev().collect() } else { union.iter().collect() };
        for e in seq {
            store.lock().await.receive(e).await.unwrap();
        }
        assert_eq!(store.pending_count().await.unwrap(), 0);
        assert_eq!(store.state_hash().await.unwrap(), expected, "fresh store {n} diverged");
        assert!(store.verify().await.unwrap().ok());
    }
}

/// Issue 16 item 5: `lajna keys rotate` gives the node a new key certified by the party's root;
/// the events the old key signed still verify, the node opened again signs with the new key,
/// and a key not certified by the party's root is refused with nothing changed.
#[tokio::test]
async fn a_rotated_node_key_signs_new_events_and_the_old_ones_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let node = demo_node(dir.path()).await;
    let old = std::fs::read(node.dir.node_key("MAR")).unwrap();
    let before = node.store().event_count().await.unwrap();
    let stranger = lajna_ledger::SecretKey::generate().unwrap();
    assert!(node.rotate_key("MAR", &stranger, "x").await.is_err(), "not MAR's root");
    assert_eq!(std::fs::read(node.dir.node_key("MAR")).unwrap(), old, "nothing changed");
    assert_eq!(node.store().event_count().await.unwrap(), before);
    let root = lajna_node::read_key(&node.dir.root_key("MAR")).unwrap();
    node.rotate_key("MAR", &root, "rotated").await.unwrap();
    assert_ne!(std::fs::read(node.dir.node_key("MAR")).unwrap(), old);
    assert_eq!(std::fs::read(node.dir.node_key("MAR").with_extension("key.retired")).unwrap(), old);
    drop(node);
    let node = Node::open(&data).await.unwrap();
    let new_key = lajna_node::read_key(&node.dir.node_key("MAR")).unwrap().public().to_hex();
    let (id, _) = node.with_state(|s| s.all::<Action>(RecordKind::Action)).await.remove(0);
    let report = Command::AddEvidence { action: id, note: T::tri("", "après la rotation", "") };
    let ids = node.execute(&actor("MAR"), &report).await.unwrap();
    let last = all_events(&node).await.into_iter().last().unwrap();
    assert_eq!(last.id(), ids[0]);
    assert_eq!(last.sigs[0].key, new_key, "signed with the new key");
    assert!(node.store().verify().await.unwrap().ok(), "old and new events verify");
}

/// Copies a closed data directory (the leaked copy of a node's disk).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Issue 16 item 5 (must show, node level): the Moroccan node's key leaks with a copy of its
/// disk. The node rotates, then revokes the old key; once the revocation has reached the
/// Malian node by bundle, an event the leaked copy signs with the old key is refused there by
/// bundle (whole, naming the event and the key; nothing stored) and by HTTP push, a sync
/// request signed with it is refused (`revoked-key`), while every older event of the key —
/// shared and in the Moroccan private log — still verifies on both nodes.
#[tokio::test]
async fn a_revoked_node_key_signs_nothing_new_on_either_node_and_its_older_events_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli) = demo::build_pair(dir.path()).await.unwrap();
    let root = lajna_node::read_key(&dir.path().join("roots/root-MAR.key")).unwrap();
    let leaked = lajna_node::read_key(&mar.dir.node_key("MAR")).unwrap();
    // Older events of the key: a shared one that reaches MLI, and a private note.
    let (action, _) = mar.with_state(|s| s.all::<Action>(RecordKind::Action)).await.remove(0);
    let evidence = Command::AddEvidence { action: action.clone(), note: T::tri("", "avant la fuite", "") };
    let older = mar.execute(&actor("MAR"), &evidence).await.unwrap()[0];
    let note = Note {
        party: PartyCode::parse("MAR").unwrap(),
        title: T::tri("", "Note interne", ""),
        text: T::tri("", "Écrite avant la révocation", ""),
        about: None,
    };
    mar.execute(&actor("MAR"), &Command::RecordNote(note)).await.unwrap();
    mli.bundle_import(&mar.bundle_export(Some("MLI"), false).await.unwrap().0).await.unwrap();
    assert!(mli.store().has_all(&[older]).await);

    // Revoking the key the node signs with is refused: rotate first.
    let err = mar.revoke_key("MAR", &root, &leaked.public(), "laptop").await.unwrap_err();
    assert_eq!(err.code(), "revoking-own-key");
    mar.rotate_key("MAR", &root, "rotated").await.unwrap();
    let mar_dir = mar.dir.0.clone();
    drop(mar);
    copy_dir(&mar_dir, &dir.path().join("leak"));
    // The leaked copy signs with the old key.
    std::fs::rename(dir.path().join("leak/keys/node-MAR.key.retired"), dir.path().join("leak/keys/node-MAR.key"))
        .unwrap();
    let mar = Node::open(&mar_dir).await.unwrap();
    let stranger = lajna_ledger::SecretKey::generate().unwrap();
    let before = mar.store().event_count().await.unwrap();
    let err = mar.revoke_key("MAR", &stranger, &leaked.public(), "laptop").await.unwrap_err();
    assert_eq!(err.code(), "uncertified-key", "not MAR's root");
    let err = mar.revoke_key("MAR", &root, &stranger.public(), "laptop").await.unwrap_err();
    assert_eq!(err.code(), "uncertified-key", "not a key of the log");
    assert_eq!(mar.store().event_count().await.unwrap(), before, "nothing written");
    let revocation = mar.revoke_key("MAR", &root, &leaked.public(), "laptop stolen").await.unwrap();
    let revoked = lajna_node::keys::Revoked { party: "MAR".into(), key: leaked.public().to_hex(), revocation };
    assert_eq!(mar.revocations().await, vec![revoked.clone()]);
    // The revocation (and the new key's certificate) reach MLI by bundle.
    mli.bundle_import(&mar.bundle_export(Some("MLI"), false).await.unwrap().0).await.unwrap();
    assert_eq!(mli.revocations().await, vec![revoked]);

    // The leaked copy writes a new event with the old key, and tries to deliver it.
    let leak = Node::open(&dir.path().join("leak")).await.unwrap();
    let evidence = Command::AddEvidence { action, note: T::tri("", "écrit avec la clé volée", "") };
    let forged = leak.execute(&actor("MAR"), &evidence).await.unwrap()[0];
    let forged_event = all_events(&leak).await.into_iter().find(|e| e.id() == forged).unwrap();
    assert_eq!(forged_event.sigs[0].key, leaked.public().to_hex());
    let (bundle, _) = leak.bundle_export(Some("MLI"), false).await.unwrap();
    let expected = format!(
        "event {forged} is signed by key {} of MAR, revoked by event {revocation}: only the events that revocation knows stay valid",
        leaked.public().to_hex()
    );
    for node in [&mli, &mar] {
        let (count, hash) = (node.store().event_count().await.unwrap(), node.store().state_hash().await.unwrap());
        let err = node.bundle_import(&bundle).await.unwrap_err();
        assert_eq!((err.code(), err.to_string()), ("revoked-key", expected.clone()));
        let push = lajna_node::sync::PushRequest { events: vec![forged_event.clone()] };
        let reply = node.answer_push("MAR", 0, &push).await.unwrap();
        assert_eq!(reply.applied, 0);
        assert_eq!(reply.refused, vec![(forged.to_hex(), format!("event {forged}: {expected}"))]);
        assert_eq!(node.store().event_count().await.unwrap(), count, "nothing stored");
        assert_eq!(node.store().state_hash().await.unwrap(), hash);
        assert_eq!(node.store().pending_count().await.unwrap(), 0);
        // A sync request signed with the leaked key: refused as revoked.
        let auth =
            lajna_ledger::sign_request(&leaked, "POST", "/sync/v1/heads", &lajna_node::now_rfc3339(), b"{}").unwrap();
        let err = node.authenticate_peer(&auth, "POST", "/sync/v1/heads", b"{}").await.unwrap_err();
        assert_eq!(err.code(), "revoked-key");
        // Every older event of the key still verifies, shared and private; the checkpoint the
        // old key signed is no longer checked.
        let report = node.store().verify().await.unwrap();
        assert!(report.ok(), "{:?}", report.problem);
        let checks = node.store().check_checkpoints().await.unwrap();
        assert!(checks.iter().all(|c| c.problem.is_none() && c.node != leaked.public().to_hex()), "{checks:?}");
    }
    assert!(mar.store().private_events().await.unwrap().iter().any(|e| e.raw.sigs[0].key == leaked.public().to_hex()));
    assert_eq!(mar.store().state_hash().await.unwrap(), mli.store().state_hash().await.unwrap());
}

/// Issue 16: an administrator resets the second factor of a user of their party who lost their
/// authenticator: secret, recovery codes and half-done sign-ins are forgotten, every session of
/// the user ends, and the audit trail says who did it; another party's administrator and the user
/// themself are refused with nothing changed.
#[tokio::test]
async fn an_administrator_resets_a_lost_second_factor_and_the_users_sessions_end() {
    use lajna_node::auth::AuthError;
    use lajna_node::two_factor::{SignInStep, code_at};
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    let (password, _) = demo::demo_password(&dir.path().join("demo")).unwrap();
    let user = |name: &str| {
        let node = &node;
        let name = name.to_string();
        async move { lajna_node::auth::user_of_row(&node.user_row(&name).await.unwrap().unwrap()).unwrap() }
    };
    let (secretary, chair, mar_sec) =
        (user("mli-secretary").await, user("mli-cochair").await, user("mar-secretary").await);
    node.set_clock(Some("2026-12-03T12:00:00Z".parse().unwrap()));
    let unix = |n: &Node| u64::try_from(n.now().as_second()).unwrap();
    let secret = node.enrolment(&secretary).await.unwrap().secret;
    let recovery =
        node.confirm_enrolment(&secretary, &code_at(&secret, unix(&node)).unwrap(), "10.0.0.1").await.unwrap();
    // Two sessions (a code of the next step, a recovery code) and a sign-in half done.
    node.set_clock(Some("2026-12-03T12:00:30Z".parse().unwrap()));
    let code = code_at(&secret, unix(&node)).unwrap();
    let first = node.sign_in_with_code("mli-secretary", &password, Some(&code), "10.0.0.2").await.unwrap();
    let second = node.sign_in_with_code("mli-secretary", &password, Some(&recovery[0]), "10.0.0.3").await.unwrap();
    let SignInStep::Due { stage: "code", token: half, .. } =
        node.begin_sign_in("mli-secretary", &password, "10.0.0.4").await.unwrap()
    else {
        panic!("a code is due");
    };
    let other = node.sign_in("mar-secretary", &password, "10.0.0.9").await.unwrap();

    let forbidden =
        |r: Result<bool, lajna_node::NodeError>| matches!(r, Err(lajna_node::NodeError::Auth(AuthError::Forbidden(_))));
    assert!(forbidden(node.reset_user_two_factor(&mar_sec, "mli-secretary", "t").await), "another party");
    assert!(forbidden(node.reset_user_two_factor(&secretary, "mli-secretary", "t").await), "one's own");
    assert!(node.two_factor(&secretary).await.unwrap().on, "nothing changed");
    assert!(node.session(&first.token).await.unwrap().is_some());

    assert!(node.reset_user_two_factor(&chair, "mli-secretary", "10.0.0.7").await.unwrap());
    for token in [&first.token, &second.token] {
        assert!(node.session(token).await.unwrap().is_none(), "a session lives on");
    }
    assert!(node.finish_step(&half, &code, "10.0.0.4").await.is_err(), "the half-done sign-in is gone");
    assert!(node.session(&other.token).await.unwrap().is_some(), "another user's session ended");
    let status = node.two_factor(&secretary).await.unwrap();
    assert_eq!((status.on, status.codes_left), (false, 0));
    let line = node.store().audit_trail(10).await.unwrap().into_iter().find(|l| l.detail.starts_with("two-factor"));
    let line = line.expect("an audit line");
    assert_eq!(
        (
            line.username.as_str(),
            line.party.as_str(),
            line.action.as_str(),
            line.detail.as_str(),
            line.address.as_str()
        ),
        ("mli-secretary", "MLI", "user-changed", "two-factor reset, by mli-cochair", "10.0.0.7")
    );
    // The password alone signs in now (a secretary's role does not require two-factor).
    assert!(matches!(node.begin_sign_in("mli-secretary", &password, "10.0.0.5").await.unwrap(), SignInStep::Done(_)));
    // Nothing left to reset: nothing changes, no audit line.
    let before = node.store().audit_trail(100).await.unwrap().len();
    assert!(!node.reset_second_factor("mli-secretary").await.unwrap());
    assert_eq!(node.store().audit_trail(100).await.unwrap().len(), before);
    assert!(node.reset_second_factor("nobody").await.is_err());
}
