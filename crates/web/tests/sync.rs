//! Two real nodes on loopback, one per party: HTTP sync both ways after concurrent edits, a
//! bundle carried while the link is cut, and every kind of bad input refused with the store
//! unchanged.

use std::sync::Arc;

use lajna_demo as demo;
use lajna_domain::records::Action;
use lajna_domain::{ActionStatus, Actor, Command, LocalizedText, PartyCode, Progress, RecordKind};
use lajna_ledger::{SecretKey, sign_request};
use lajna_node::Node;

use crate::common::{pair, snapshot};

fn actor(p: &str) -> Actor {
    Actor { party: PartyCode::parse(p).unwrap(), member: None }
}

async fn own_action(node: &Node, party: &str, n: usize) -> String {
    node.with_state(|s| {
        let mut v: Vec<(String, Action)> =
            // Open actions only: a progress report below 100 % on a done action is refused.
            s.all::<Action>(RecordKind::Action)
                .into_iter()
                .filter(|(_, a)| a.owner.as_str() == party && !a.status.is_closed())
                .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v[n % v.len()].0.clone()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_converge_over_http_and_by_bundle_when_the_link_is_cut() {
    let (_dir, mut mar, mli) = pair().await;
    assert_eq!(snapshot(&mar.node).await, snapshot(&mli.node).await, "the demo pair starts in sync");
    // Concurrent edits on both nodes, including the same field of the same (MAR) action? No:
    // each party edits its own actions, and both add evidence to a shared one.
    let a_mar = own_action(&mar.node, "MAR", 0).await;
    let a_mli = own_action(&mli.node, "MLI", 0).await;
    mar.node
        .execute(
            &actor("MAR"),
            &Command::ReportProgress {
                completed: None,
                reason: None,
                action: a_mar.clone(),
                status: Some(ActionStatus::InProgress),
                progress: Some(Progress::new(40).unwrap()),
            },
        )
        .await
        .unwrap();
    mli.node
        .execute(
            &actor("MLI"),
            &Command::ReportProgress {
                completed: None,
                reason: Some(lajna_domain::LocalizedText::tri("", "Formateurs indisponibles", "")),
                action: a_mli.clone(),
                status: Some(ActionStatus::Delayed),
                progress: Some(Progress::new(15).unwrap()),
            },
        )
        .await
        .unwrap();
    mli.node
        .execute(
            &actor("MLI"),
            &Command::AddEvidence { action: a_mar.clone(), note: LocalizedText::tri("", "Note malienne", "") },
        )
        .await
        .unwrap();
    assert_ne!(snapshot(&mar.node).await.1, snapshot(&mli.node).await.1);
    let r = mar.node.sync_with(&mli.url).await.unwrap();
    assert_eq!((r.received, r.sent, r.refused.len()), (2, 1, 0), "{r:?}");
    assert_eq!(snapshot(&mar.node).await, snapshot(&mli.node).await);
    // Both sides recorded the exchange.
    assert_eq!(mar.node.store().peer("MLI").await.unwrap().received, 2);
    assert_eq!(mli.node.store().peer("MAR").await.unwrap().received, 1);

    // The link is cut: the MAR server stops; both keep working.
    let _ = mar.stop.take().unwrap().send(());
    mar.node
        .execute(
            &actor("MAR"),
            &Command::ReportProgress {
                completed: None,
                reason: None,
                action: a_mar.clone(),
                status: None,
                progress: Some(Progress::new(55).unwrap()),
            },
        )
        .await
        .unwrap();
    mli.node
        .execute(
            &actor("MLI"),
            &Command::ReportProgress {
                completed: None,
                reason: None,
                action: a_mli.clone(),
                status: None,
                progress: Some(Progress::new(25).unwrap()),
            },
        )
        .await
        .unwrap();
    // A bundle carried each way on a USB key.
    let (to_mli, n1) = mar.node.bundle_export(Some("MLI"), false).await.unwrap();
    let (to_mar, n2) = mli.node.bundle_export(Some("MAR"), false).await.unwrap();
    assert_eq!((n1, n2), (1, 1), "only what the peer lacks");
    let got = mli.node.bundle_import(&to_mli).await.unwrap();
    assert_eq!((got.applied, got.duplicates), (1, 0));
    mar.node.bundle_import(&to_mar).await.unwrap();
    assert_eq!(snapshot(&mar.node).await, snapshot(&mli.node).await);
    // Importing the same bundle twice changes nothing.
    let before = snapshot(&mli.node).await;
    let again = mli.node.bundle_import(&to_mli).await.unwrap();
    assert_eq!((again.applied, again.duplicates), (0, 1));
    assert_eq!(snapshot(&mli.node).await, before);
    for node in [&mar.node, &mli.node] {
        assert!(node.store().verify().await.unwrap().ok());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bundles_are_refused_and_the_store_is_unchanged() {
    let (_dir, mar, mli) = pair().await;
    let a = own_action(&mar.node, "MAR", 1).await;
    mar.node
        .execute(
            &actor("MAR"),
            &Command::ReportProgress {
                completed: None,
                reason: None,
                action: a,
                status: None,
                progress: Some(Progress::new(33).unwrap()),
            },
        )
        .await
        .unwrap();
    let (good, _) = mar.node.bundle_export(Some("MLI"), false).await.unwrap();
    let before = snapshot(&mli.node).await;
    // Truncated.
    let err = mli.node.bundle_import(&good[..good.len() - 7]).await.unwrap_err();
    assert_eq!(err.code(), "bundle-corrupt", "{err}");
    // Tampered: one byte of the compressed stream changed.
    let mut tampered = good.clone();
    let i = tampered.len() / 2;
    tampered[i] ^= 0x40;
    assert!(mli.node.bundle_import(&tampered).await.is_err());
    // An event re-signed by a key no root certified, in a well-formed bundle.
    let (header, mut events) = lajna_ledger::read_bundle(&good, 1 << 20).unwrap();
    assert_eq!(events.len(), 1, "the pair starts in sync: only the new event travels");
    let stranger = SecretKey::from_seed([42; 32]);
    let env: lajna_ledger::Envelope = serde_json::from_str(&events[0].envelope).unwrap();
    events[0] = lajna_ledger::Draft {
        committee: env.committee,
        parents: env.parents.iter().map(|p| (*p, env.lamport - 1)).collect(),
        party: "MAR".into(),
        member: None,
        at: env.at.clone(),
        kind: env.kind.clone(),
        body: env.body.clone(),
    }
    .sign(&stranger)
    .unwrap();
    // With the maker's signed checkpoint kept, the replaced event is missed first (it names the
    // original); without it, the key is refused.
    let forged = lajna_ledger::write_bundle(header.clone(), &events).unwrap();
    let err = mli.node.bundle_import(&forged).await.unwrap_err();
    assert_eq!(err.code(), "bundle-corrupt", "{err}");
    let mut unwitnessed = header.clone();
    unwitnessed.checkpoint = None;
    unwitnessed.heads = vec![events[0].id()];
    let forged = lajna_ledger::write_bundle(unwitnessed, &events).unwrap();
    let err = mli.node.bundle_import(&forged).await.unwrap_err();
    assert_eq!(err.code(), "uncertified-key", "{err}");
    // A forged signature on the genuine envelope.
    let (_, mut events) = lajna_ledger::read_bundle(&good, 1 << 20).unwrap();
    events[0].sigs[0].sig = "11".repeat(64);
    let forged = lajna_ledger::write_bundle(header.clone(), &events).unwrap();
    assert_eq!(mli.node.bundle_import(&forged).await.unwrap_err().code(), "bad-signature");
    // A bundle of another committee (the small one: any other committee will do).
    let other_dir = tempfile::tempdir().unwrap();
    let other = demo::build_from(&other_dir.path().join("x"), &demo::small().unwrap()).await.unwrap();
    let (foreign, _) = other.bundle_export(None, true).await.unwrap();
    assert_eq!(mli.node.bundle_import(&foreign).await.unwrap_err().code(), "wrong-committee");
    assert_eq!(snapshot(&mli.node).await, before, "a refused bundle changed the store");
    // The genuine one still imports.
    mli.node.bundle_import(&good).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_uncertified_forged_and_replayed_requests_are_refused() {
    let (dir, mar, mli) = pair().await;
    let before = snapshot(&mli.node).await;
    let body = br#"{"events":[]}"#;
    let now = lajna_node::now_rfc3339();
    // Unsigned.
    let res =
        reqwest::Client::new().post(format!("{}/sync/v1/push", mli.url)).body(body.to_vec()).send().await.unwrap();
    assert_eq!(res.status(), 401);
    // Signed by a key no root certified.
    let stranger = SecretKey::from_seed([9; 32]);
    let auth = sign_request(&stranger, "POST", "/sync/v1/push", &now, body).unwrap();
    let (status, text) = crate::common::signed_post(&mli.url, "/sync/v1/push", body, &auth).await;
    assert_eq!(status, 401);
    assert!(text.contains("uncertified"), "{text}");
    // Signed by the real MAR node key, but the body changed after signing.
    let key = lajna_node::read_key(&dir.path().join("mar/keys/node-MAR.key")).unwrap();
    let auth = sign_request(&key, "POST", "/sync/v1/push", &now, body).unwrap();
    let (status, _) = crate::common::signed_post(&mli.url, "/sync/v1/push", br#"{"events":[{}]}"#, &auth).await;
    assert_eq!(status, 401);
    // Genuine, then replayed.
    let auth = sign_request(&key, "POST", "/sync/v1/push", &now, body).unwrap();
    assert_eq!(crate::common::signed_post(&mli.url, "/sync/v1/push", body, &auth).await.0, 200);
    let (status, text) = crate::common::signed_post(&mli.url, "/sync/v1/push", body, &auth).await;
    assert_eq!(status, 401);
    assert!(text.contains("replay"), "{text}");
    // A request from a clock an hour away.
    let old = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1)).strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let auth = sign_request(&key, "POST", "/sync/v1/push", &old, body).unwrap();
    let (status, text) = crate::common::signed_post(&mli.url, "/sync/v1/push", body, &auth).await;
    assert_eq!(status, 401);
    assert!(text.contains("clocks differ"), "{text}");
    assert_eq!(snapshot(&mli.node).await, before);
    drop(mar);
}

/// A loopback TCP proxy that keeps every byte that crosses it, both ways.
async fn tap(target: &str) -> (String, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let target = target.trim_start_matches("http://").to_string();
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = tokio::net::TcpStream::connect(&target).await.unwrap();
            let (cr, cw) = client.into_split();
            let (sr, sw) = server.into_split();
            tokio::spawn(pipe(cr, sw, log.clone()));
            tokio::spawn(pipe(sr, cw, log.clone()));
        }
    });
    (url, seen)
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    log: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        log.lock().unwrap().extend_from_slice(&buf[..n]);
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_note_never_crosses_to_the_other_party() {
    let (_dir, mar, mli) = pair().await;
    let secret = "INTERNAL-NOTE-trainee-list-7781";
    let note = lajna_domain::records::Note {
        party: PartyCode::parse("MAR").unwrap(),
        title: LocalizedText::tri("", "Stagiaires retenus", ""),
        text: LocalizedText::tri("", secret, ""),
        about: None,
    };
    let note_id = mar.node.execute(&actor("MAR"), &Command::RecordNote(note)).await.unwrap()[0].to_hex();
    let notes = |rows: Vec<(String, String, serde_json::Value)>| rows.iter().filter(|(_, k, _)| k == "note").count();
    assert_eq!(notes(mar.node.store().private_records("MAR").await.unwrap()), 1);
    assert!(mar.node.store().private_records("MLI").await.unwrap().is_empty(), "notes are read by party");
    // A shared change made after the note, so that sync has something to carry.
    let a = own_action(&mar.node, "MAR", 2).await;
    let shared = mar
        .node
        .execute(
            &actor("MAR"),
            &Command::ReportProgress {
                completed: None,
                reason: None,
                action: a,
                status: Some(ActionStatus::InProgress),
                progress: Some(Progress::new(44).unwrap()),
            },
        )
        .await
        .unwrap()[0]
        .to_hex();
    // HTTP sync through a tap that keeps every byte, both ways.
    let (via, bytes) = tap(&mli.url).await;
    let r = mar.node.sync_with(&via).await.unwrap();
    assert_eq!(r.sent, 1, "{r:?}");
    let seen = bytes.lock().unwrap().clone();
    assert!(contains(&seen, &shared), "the tap saw the shared event (control)");
    assert!(!contains(&seen, &note_id), "the note's id crossed");
    assert!(!contains(&seen, secret), "the note's text crossed");
    // Bundles, the new-events one and the whole record.
    for all in [false, true] {
        let (bundle, _) = mar.node.bundle_export(Some("MLI"), all).await.unwrap();
        let text = zstd::bulk::decompress(&bundle, 1 << 26).unwrap();
        assert!(!contains(&text, &note_id) && !contains(&text, secret), "a bundle (all={all}) holds the note");
    }
    // The shared states agree; the note lives only on the MAR node.
    assert_eq!(snapshot(&mar.node).await.1, snapshot(&mli.node).await.1);
    assert!(mli.node.store().private_records("MAR").await.unwrap().is_empty());
    // A peer that is sent a private event refuses it.
    let private = mar.node.store().private_events().await.unwrap().remove(0).raw;
    let reply = mli.node.receive_batch(&[private]).await.unwrap();
    assert_eq!(reply.refused.len(), 1, "{reply:?}");
    assert!(reply.refused[0].1.contains("private"), "{reply:?}");
    // The private log verifies like the shared one and survives a reopen and a rebuild.
    assert!(mar.node.store().verify().await.unwrap().ok());
    let hash = mar.node.store().state_hash().await.unwrap();
    assert_eq!(mar.node.store().rebuild().await.unwrap(), hash);
    assert_eq!(notes(mar.node.store().private_records("MAR").await.unwrap()), 1);
}

/// Issue 18 (must show, in part): a party's private cost — a pledge releasable to that party
/// only, and its deliveries — never crosses to the other party: not in HTTP sync traffic (every
/// byte tapped), not in either bundle, not in the other node's record; a shared pledge made at
/// the same time does cross (the control).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_private_cost_never_crosses_to_the_other_party() {
    use lajna_domain::marking::{Classification, Marking, Releasability};
    use lajna_domain::money::{Currency, InKind, Money, Quantity};
    use lajna_domain::resources::{Delivered, Delivery, Pledge, Pledged};

    let (_dir, mar, mli) = pair().await;
    let (secret_unit, secret_amount) = ("COUT-INTERNE-carburant-4417", 73_191_357_911_i64);
    let about = own_action(&mar.node, "MAR", 1).await;
    let pledge = |marking, unit: &str, minor| Pledge {
        party: PartyCode::parse("MAR").unwrap(),
        about: about.clone(),
        date: "2026-01-10".parse().unwrap(),
        due: "2026-06-30".parse().unwrap(),
        value: Pledged::InKind(InKind {
            quantity: Quantity::whole(12).unwrap(),
            unit: LocalizedText::tri("", unit, ""),
            valuation: Some(Money::new(minor, Currency::MAD).unwrap()),
        }),
        marking,
        illustrative: false,
    };
    let mar_only = Marking {
        classification: Classification::Unclassified,
        releasable_to: Releasability::Only(PartyCode::parse("MAR").unwrap()),
    };
    let execute = |cmd: Command| {
        let node = mar.node.clone();
        async move { node.execute(&actor("MAR"), &cmd).await.unwrap()[0].to_hex() }
    };
    let private = execute(Command::MakePledge(pledge(mar_only, secret_unit, secret_amount))).await;
    let delivery = Delivery {
        date: "2026-02-01".parse().unwrap(),
        value: Delivered::InKind { quantity: Quantity::whole(5).unwrap() },
        evidence: None,
    };
    let delivered = execute(Command::RecordDelivery { pledge: private.clone(), delivery }).await;
    let shared = execute(Command::MakePledge(pledge(Marking::default(), "places de formation", 1_000_000))).await;
    let pledges =
        |rows: Vec<(String, String, serde_json::Value)>| rows.iter().filter(|(_, k, _)| k == "pledge").count();
    assert_eq!(pledges(mar.node.store().private_records("MAR").await.unwrap()), 1);
    let secrets = [private.as_str(), delivered.as_str(), secret_unit, &secret_amount.to_string()].map(String::from);
    // HTTP sync through a tap that keeps every byte, both ways.
    let (via, bytes) = tap(&mli.url).await;
    let r = mar.node.sync_with(&via).await.unwrap();
    assert_eq!(r.sent, 1, "{r:?}");
    let seen = bytes.lock().unwrap().clone();
    assert!(contains(&seen, &shared), "the tap saw the shared pledge (control)");
    for s in &secrets {
        assert!(!contains(&seen, s), "{s} crossed in sync traffic");
    }
    for all in [false, true] {
        let (bundle, _) = mar.node.bundle_export(Some("MLI"), all).await.unwrap();
        let text = zstd::bulk::decompress(&bundle, 1 << 26).unwrap();
        assert!(contains(&text, &shared), "a bundle (all={all}) lacks the shared pledge");
        for s in &secrets {
            assert!(!contains(&text, s), "{s} is in a bundle (all={all})");
        }
    }
    // The other node holds the shared pledge and nothing of the private one; the shared states
    // agree.
    assert!(mli.node.with_state(move |s| s.entry(&shared).is_some() && s.entry(&private).is_none()).await);
    assert!(mli.node.store().private_records("MAR").await.unwrap().is_empty());
    assert_eq!(snapshot(&mar.node).await.1, snapshot(&mli.node).await.1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_is_adopted_when_each_co_chair_endorsed_it_on_its_own_node() {
    let (_dir, mar, mli) = pair().await;
    // The demo decision awaiting Mali's endorsement.
    let (id, parties) = {
        let list = mli.node.store().records("decision").await.unwrap();
        let parties = vec!["MAR".to_string(), "MLI".to_string()];
        let pending =
            list.into_iter().find(|(_, d)| !lajna_domain::adoption(d, &parties).adopted).expect("a pending decision");
        (pending.0, parties)
    };
    let chair = mli
        .node
        .with_state(|s| {
            s.all::<lajna_domain::records::Member>(RecordKind::Member)
                .into_iter()
                .find(|(_, m)| m.party.as_str() == "MLI" && m.role == lajna_domain::values::MemberRole::CoChair)
                .unwrap()
                .0
        })
        .await;
    let adopted = |node: Arc<Node>, id: String, parties: Vec<String>| async move {
        let (_, doc) = node.store().record(&id).await.unwrap().unwrap();
        lajna_domain::adoption(&doc, &parties)
    };
    assert_eq!(adopted(mar.node.clone(), id.clone(), parties.clone()).await.awaiting, vec!["MLI".to_string()]);
    // The Malian co-chair endorses on the Malian node; the Moroccan node learns it by sync.
    mli.node
        .execute(
            &Actor { party: PartyCode::parse("MLI").unwrap(), member: Some(chair) },
            &Command::Endorse { kind: RecordKind::Decision, id: id.clone(), on: None },
        )
        .await
        .unwrap();
    assert!(adopted(mli.node.clone(), id.clone(), parties.clone()).await.adopted);
    assert!(!adopted(mar.node.clone(), id.clone(), parties.clone()).await.adopted, "not yet known in Rabat");
    mar.node.sync_with(&mli.url).await.unwrap();
    let a = adopted(mar.node.clone(), id.clone(), parties.clone()).await;
    assert!(a.adopted && a.endorsed_by == vec!["MAR".to_string(), "MLI".to_string()], "{a:?}");
    // The Moroccan node's sync page shows the exchange with MLI.
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let pw = lajna_demo::demo_password(&mar.node.dir.0).unwrap().0;
    client
        .post(format!("{}/api/v1/login", mar.url))
        .json(&serde_json::json!({"username": "mar-secretary", "password": pw}))
        .send()
        .await
        .unwrap();
    let page = client.get(format!("{}/fr/sync", mar.url)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Synchronisation avec l’autre partie") && page.contains("MLI"), "{page}");
    assert!(page.contains("Événements reçus</dt><dd>1</dd>"), "{page}");
}

/// The attacker of issue 12 item 5, with the SQLite file: drops the append-only trigger and
/// deletes the `n` newest rows of `events` (as `lajna rebuild` would then see them), and puts
/// the trigger back. Returns the ids deleted.
async fn drop_newest_events(node: &Node, n: i64) -> Vec<String> {
    let url = format!("sqlite://{}", node.dir.database().display());
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM events ORDER BY seq DESC LIMIT ?").bind(n).fetch_all(&pool).await.unwrap();
    assert!(
        sqlx::query("DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)").execute(&pool).await.is_err(),
        "the append-only trigger refuses it first"
    );
    sqlx::query("DROP TRIGGER events_no_delete").execute(&pool).await.unwrap();
    for id in &ids {
        sqlx::query("DELETE FROM events WHERE id = ?").bind(id).execute(&pool).await.unwrap();
    }
    sqlx::query(
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events
         BEGIN SELECT RAISE(ABORT, 'append-only: events cannot be deleted'); END",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_whose_newest_events_were_dropped_is_named_truncated_by_the_peers_checkpoint() {
    let (dir, mar, mli) = pair().await;
    let a = own_action(&mar.node, "MAR", 2).await;
    for p in [20, 30] {
        mar.node
            .execute(
                &actor("MAR"),
                &Command::ReportProgress {
                    completed: None,
                    reason: None,
                    action: a.clone(),
                    status: None,
                    progress: Some(Progress::new(p).unwrap()),
                },
            )
            .await
            .unwrap();
    }
    let newest = mar.node.store().heads().await;
    mar.node.sync_with(&mli.url).await.unwrap();
    assert_eq!(snapshot(&mar.node).await, snapshot(&mli.node).await);
    // Each side keeps the other's checkpoint: MLI's says it holds MAR's newest event.
    let mli_key = lajna_node::read_key(&dir.path().join("mli/keys/node-MLI.key")).unwrap().public().to_hex();
    let kept = mar.node.store().checkpoints().await.unwrap();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        (kept[0].party.as_str(), kept[0].node.as_str(), kept[0].via.as_str()),
        ("MLI", mli_key.as_str(), "http")
    );
    assert_eq!(kept[0].heads, newest);
    assert_eq!(kept[0].count, mar.node.store().event_count().await.unwrap());
    let theirs = mli.node.store().checkpoints().await.unwrap();
    assert_eq!((theirs.len(), theirs[0].party.as_str()), (1, "MAR"));
    // Before any harm, the log holds what the peer signed for.
    let checks = mar.node.store().check_checkpoints().await.unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].problem, None, "{checks:?}");
    assert!(mli.node.store().check_checkpoints().await.unwrap().iter().all(|c| c.problem.is_none()));

    // The attacker drops MAR's two newest events and rebuilds the projections.
    let dropped = drop_newest_events(&mar.node, 2).await;
    assert_eq!(dropped[0], newest[0].to_hex(), "the newest event is the head MLI signed for");
    mar.node.store().rebuild().await.unwrap();
    // The log alone still verifies: a truncated log is a valid, shorter log.
    let report = mar.node.store().verify().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.rebuilt_hash, report.stored_hash);
    // MLI's checkpoint names the truncation.
    let checks = mar.node.store().check_checkpoints().await.unwrap();
    let why = checks[0].problem.as_deref().expect("the truncation is named");
    assert!(
        why.starts_with(&format!(
            "the peer MLI node {mli_key} signed at {} that it holds event {}",
            kept[0].at, dropped[0]
        )),
        "{why}"
    );
    assert!(why.ends_with("which this node does not have: the log was truncated or rolled back"), "{why}");
    // It survives a restart: a fresh open of the data directory sees the same (as `lajna verify`).
    let reopened = lajna_store::Store::open(&mar.node.dir.database()).await.unwrap();
    let again = reopened.check_checkpoints().await.unwrap();
    assert_eq!(again[0].problem.as_deref(), Some(why));
    reopened.close().await;
}

/// A body for `POST /sync/v1/heads` telling `heads` with `checkpoint`, signed by `key`.
fn tell_with(checkpoint: &lajna_ledger::Checkpoint, heads: &[lajna_ledger::EventId]) -> Vec<u8> {
    serde_json::to_vec(&lajna_node::sync::HeadsRequest {
        heads: Some(heads.to_vec()),
        checkpoint: Some(checkpoint.clone()),
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkpoint_with_a_bad_signature_or_an_uncertified_key_is_refused_over_http_and_nothing_kept() {
    let (dir, mar, mli) = pair().await;
    let key = lajna_node::read_key(&dir.path().join("mar/keys/node-MAR.key")).unwrap();
    let heads = mli.node.store().heads().await;
    let committee = mli.node.store().committee().await.unwrap();
    let statement = |count| lajna_ledger::CheckpointStatement {
        kind: String::new(),
        committee,
        party: "MAR".into(),
        node: String::new(),
        of: Some("MLI".into()),
        heads: heads.clone(),
        count,
        at: lajna_node::now_rfc3339(),
    };
    let good = lajna_ledger::Checkpoint::sign(&key, statement(7)).unwrap();
    let post = |body: Vec<u8>| {
        let url = mli.url.clone();
        let key = key.clone();
        async move {
            let auth = sign_request(&key, "POST", "/sync/v1/heads", &lajna_node::now_rfc3339(), &body).unwrap();
            crate::common::signed_post(&url, "/sync/v1/heads", &body, &auth).await
        }
    };
    // Its statement altered after signing (a count raised).
    let mut altered = good.clone();
    altered.statement = altered.statement.replace("\"count\":7", "\"count\":9");
    let (status, text) = post(tell_with(&altered, &heads)).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("bad-signature") && text.contains("checkpoint"), "{text}");
    // Signed by a key no root certified (the request itself is signed by the real MAR key).
    let stranger = lajna_ledger::Checkpoint::sign(&SecretKey::from_seed([9; 32]), statement(7)).unwrap();
    let (status, text) = post(tell_with(&stranger, &heads)).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("uncertified-key"), "{text}");
    // Signed by the MLI node, sent by MAR: not the sender's checkpoint.
    let mli_key = lajna_node::read_key(&dir.path().join("mli/keys/node-MLI.key")).unwrap();
    let mut st = statement(7);
    st.party = "MLI".into();
    let (status, text) = post(tell_with(&lajna_ledger::Checkpoint::sign(&mli_key, st).unwrap(), &heads)).await;
    assert_eq!(status, 400, "{text}");
    assert!(mli.node.store().checkpoints().await.unwrap().is_empty(), "nothing kept");
    assert!(mli.node.store().peer("MAR").await.unwrap().last_error.unwrap().contains("checkpoint is refused"));
    // The genuine one is kept, and the reply carries MLI's checkpoint of the heads told.
    let (status, text) = post(tell_with(&good, &heads)).await;
    assert_eq!(status, 200, "{text}");
    let reply: lajna_node::sync::HeadsReply = serde_json::from_str(&text).unwrap();
    let theirs = reply.checkpoint.expect("a checkpoint of the heads told");
    let st = mar.node.check_checkpoint(&theirs, &[], Some("MLI")).await.unwrap().unwrap();
    assert_eq!((st.party.as_str(), st.of.as_deref(), &st.heads), ("MLI", Some("MAR"), &heads));
    assert_eq!(st.count as i64, mli.node.store().event_count().await.unwrap());
    let kept = mli.node.store().checkpoints().await.unwrap();
    assert_eq!((kept.len(), kept[0].checkpoint.clone()), (1, good));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_link_cut_a_bundle_back_carries_the_peers_checkpoint_that_names_a_later_truncation() {
    let (dir, mut mar, mli) = pair().await;
    let _ = mar.stop.take().unwrap().send(());
    let a = own_action(&mar.node, "MAR", 3).await;
    for p in [35, 45, 50] {
        mar.node
            .execute(
                &actor("MAR"),
                &Command::ReportProgress {
                    completed: None,
                    reason: None,
                    action: a.clone(),
                    status: None,
                    progress: Some(Progress::new(p).unwrap()),
                },
            )
            .await
            .unwrap();
    }
    // MAR → MLI, then MLI → MAR: nothing new to carry back, but MLI's checkpoint of what it holds.
    let (to_mli, n) = mar.node.bundle_export(Some("MLI"), false).await.unwrap();
    assert_eq!(n, 3);
    mli.node.bundle_import(&to_mli).await.unwrap();
    let (to_mar, n) = mli.node.bundle_export(Some("MAR"), false).await.unwrap();
    assert_eq!(n, 0);
    let got = mar.node.bundle_import(&to_mar).await.unwrap();
    assert_eq!(got.applied, 0);
    let kept = mar.node.store().checkpoints().await.unwrap();
    assert_eq!((kept.len(), kept[0].party.as_str(), kept[0].via.as_str()), (1, "MLI", "bundle-import"));
    assert!(mar.node.store().check_checkpoints().await.unwrap()[0].problem.is_none());
    // One event dropped from the tail (the newest), projections rebuilt: the log verifies alone,
    // the checkpoint names the event.
    let dropped = drop_newest_events(&mar.node, 1).await;
    mar.node.store().rebuild().await.unwrap();
    assert!(mar.node.store().verify().await.unwrap().ok());
    let why = mar.node.store().check_checkpoints().await.unwrap()[0].problem.clone().unwrap();
    let mli_key = lajna_node::read_key(&dir.path().join("mli/keys/node-MLI.key")).unwrap().public().to_hex();
    assert!(why.contains(&format!("the peer MLI node {mli_key} signed at")), "{why}");
    assert!(why.contains(&format!("that it holds event {}, which this node does not have", dropped[0])), "{why}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_with_its_last_event_dropped_and_its_header_recomputed_is_refused_by_its_checkpoint() {
    use lajna_ledger::bundle::{bundle_heads, read_bundle_with_blobs, write_bundle_with_blobs};
    let (_dir, mut mar, mli) = pair().await;
    let _ = mar.stop.take().unwrap().send(());
    let a = own_action(&mar.node, "MAR", 3).await;
    for p in [35, 45] {
        let report = Command::ReportProgress {
            completed: None,
            reason: None,
            action: a.clone(),
            status: None,
            progress: Some(Progress::new(p).unwrap()),
        };
        mar.node.execute(&actor("MAR"), &report).await.unwrap();
    }
    let (bundle, n) = mar.node.bundle_export(Some("MLI"), false).await.unwrap();
    assert_eq!(n, 2);
    // Take it apart, drop the newest event, and write the header anew around what is left: count,
    // hash and heads all consistent (the header is not signed); the maker's checkpoint is kept.
    let (header, events, _) = read_bundle_with_blobs(&bundle, 1 << 26).unwrap();
    let dropped = events.last().unwrap().id();
    assert!(header.checkpoint.as_ref().unwrap().statement.contains(&dropped.to_hex()));
    let kept = &events[..events.len() - 1];
    let mut forged = header.clone();
    forged.heads = bundle_heads(kept);
    let forged = write_bundle_with_blobs(forged, kept, &[]).unwrap();
    let before = mli.node.shared_log().await.unwrap().len();
    let err = mli.node.bundle_import(&forged).await.unwrap_err().to_string();
    assert!(err.contains(&format!("names event {} as held when the bundle was made", dropped.to_hex())), "{err}");
    assert!(err.contains("ask MAR for a new bundle"), "{err}");
    assert_eq!(mli.node.shared_log().await.unwrap().len(), before, "nothing stored");
    // The bundle as made imports whole.
    assert_eq!(mli.node.bundle_import(&bundle).await.unwrap().applied, 2);
    assert_eq!(mli.node.shared_log().await.unwrap().len(), before + 2);
}
