//! Store integration tests on a real SQLite file: the database guards the log, refused events
//! write nothing, missing parents wait, duplicates change nothing, rebuild gives the same hash.

use lajna_domain::LocalizedText;
use lajna_domain::records::{Area, RecordKind};
use lajna_domain::{Actor, Command, PartyCode, decide};
use lajna_ledger::{Draft, EventId, GENESIS_KIND, KEY_CERTIFIED_KIND, KEY_REVOKED_KIND, SecretKey, SignedEvent};
use lajna_store::{Receipt, Store};
use serde_json::{Value, json};
use sqlx::Row;

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
    node_key: SecretKey,
    genesis: EventId,
}

fn charter() -> Value {
    json!({
        "name": {"fr": "Commission mixte"},
        "parties": [
            {"code": "MAR", "name": {"fr": "Maroc"}, "forces": {"fr": "FAR"}},
            {"code": "MLI", "name": {"fr": "Mali"}, "forces": {"fr": "FAMa"}}
        ],
        "languages": ["ar", "fr", "en"]
    })
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lajna.sqlite");
    let store = Store::open(&path).await.unwrap();
    let (mar, mli, node_key) =
        (SecretKey::from_seed([1; 32]), SecretKey::from_seed([2; 32]), SecretKey::from_seed([3; 32]));
    let g = Draft {
        committee: None,
        parents: vec![],
        party: "MAR".into(),
        member: None,
        at: "2025-02-17T09:00:00Z".into(),
        kind: GENESIS_KIND.into(),
        body: json!({"parties": [{"party": "MAR", "root": mar.public().to_hex()}, {"party": "MLI", "root": mli.public().to_hex()}], "charter": charter()}),
    }
    .sign_genesis(&[&mar, &mli])
    .unwrap();
    let cert = Draft {
        committee: Some(g.id()),
        parents: vec![(g.id(), 1)],
        party: "MAR".into(),
        member: None,
        at: "2025-02-17T09:00:00Z".into(),
        kind: KEY_CERTIFIED_KIND.into(),
        body: json!({"party": "MAR", "node": node_key.public().to_hex(), "label": "test"}),
    }
    .sign(&mar)
    .unwrap();
    let genesis = g.id();
    store.lock().await.append(&[g, cert]).await.unwrap();
    Fixture { _dir: dir, path, store, node_key, genesis }
}

impl Fixture {
    /// Signs a domain command's events on the current heads, without appending.
    async fn sign(&self, command: Command, key: &SecretKey) -> Vec<SignedEvent> {
        let guard = self.store.lock().await;
        let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
        let emits = decide(guard.state(), &actor, &command).unwrap();
        let mut parents = guard.heads();
        emits
            .into_iter()
            .map(|e| {
                let ev = Draft {
                    committee: Some(self.genesis),
                    parents: parents.clone(),
                    party: "MAR".into(),
                    member: None,
                    at: "2025-02-18T10:00:00Z".into(),
                    kind: e.kind,
                    body: e.body,
                }
                .sign(key)
                .unwrap();
                let l = 1 + parents.iter().map(|(_, l)| *l).max().unwrap();
                parents = vec![(ev.id(), l)];
                ev
            })
            .collect()
    }

    fn raw(&self, parents: Vec<(EventId, i64)>, kind: &str, body: Value, key: &SecretKey) -> SignedEvent {
        Draft {
            committee: Some(self.genesis),
            parents,
            party: "MAR".into(),
            member: None,
            at: "2025-02-18T10:00:00Z".into(),
            kind: kind.into(),
            body,
        }
        .sign(key)
        .unwrap()
    }

    async fn snapshot(&self) -> (i64, String, i64) {
        (
            self.store.event_count().await.unwrap(),
            self.store.state_hash().await.unwrap(),
            self.store.pending_count().await.unwrap(),
        )
    }
}

fn area(code: &str) -> Command {
    Command::DefineArea(Area {
        code: code.into(),
        title: LocalizedText::tri("تدريب", "Formation", ""),
        ordinal: 1,
        illustrative: false,
    })
}

#[tokio::test]
async fn the_database_refuses_to_update_or_delete_events() {
    let f = fixture().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", f.path.display())).await.unwrap();
    let update = sqlx::query("UPDATE events SET kind = 'x' WHERE seq = 1").execute(&pool).await.unwrap_err();
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = sqlx::query("DELETE FROM events").execute(&pool).await.unwrap_err();
    assert!(delete.to_string().contains("append-only"), "{delete}");
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM events").fetch_one(&pool).await.unwrap().get(0);
    assert_eq!(n, 2);
}

#[tokio::test]
async fn a_command_and_its_projection_commit_together() {
    let f = fixture().await;
    let batch = f.sign(area("training"), &f.node_key).await;
    let ids = f.store.lock().await.append(&batch).await.unwrap();
    let (kind, doc) = f.store.record(&ids[0].to_hex()).await.unwrap().unwrap();
    assert_eq!(kind, "area");
    assert_eq!(doc["code"], "training");
    assert_eq!(doc["_meta"]["created_by"], "MAR");
    assert_eq!(f.store.event_count().await.unwrap(), 3);
}

#[tokio::test]
async fn refused_events_leave_the_store_as_it_was() {
    let f = fixture().await;
    let before = f.snapshot().await;
    let heads = f.store.lock().await.heads();
    let stranger = SecretKey::from_seed([9; 32]);
    let cases: Vec<(&str, SignedEvent, &str)> = vec![
        (
            "uncertified key",
            f.raw(
                heads.clone(),
                "area.defined",
                json!({"v": 1, "set": {"code": "x", "title": {"fr": "X"}, "ordinal": 1}}),
                &stranger,
            ),
            "uncertified-key",
        ),
        ("unknown kind", f.raw(heads.clone(), "area.exploded", json!({"v": 1}), &f.node_key), "error-unknown-kind"),
        (
            "malformed body",
            f.raw(heads.clone(), "area.defined", json!({"v": 1, "set": {"ordinal": 1}}), &f.node_key),
            "error-malformed-body",
        ),
        (
            "a created field of the wrong type",
            f.raw(
                heads.clone(),
                "area.defined",
                json!({"v": 1, "set": {"code": 7, "title": {"fr": "X"}, "ordinal": 1}}),
                &f.node_key,
            ),
            "error-invalid-value",
        ),
        (
            "wrong body version",
            f.raw(heads.clone(), "area.defined", json!({"v": 9, "set": {"code": "x"}}), &f.node_key),
            "error-malformed-body",
        ),
        ("not JSON", SignedEvent { envelope: "{not json".into(), sigs: vec![] }, "malformed-event"),
        (
            "oversized",
            SignedEvent { envelope: format!("\"{}\"", "x".repeat(300 * 1024)), sigs: vec![] },
            "oversized-event",
        ),
        (
            "unknown parent",
            f.raw(
                vec![(EventId::of(b"nowhere"), 7)],
                "area.defined",
                json!({"v": 1, "set": {"code": "x", "title": {"fr": "X"}, "ordinal": 1}}),
                &f.node_key,
            ),
            "missing-parent",
        ),
    ];
    for (what, event, code) in cases {
        let err = f.store.lock().await.append(std::slice::from_ref(&event)).await.unwrap_err();
        assert_eq!(err.code(), code, "{what}: {err}");
        assert_eq!(f.snapshot().await, before, "{what} changed the store");
    }
    // A batch whose last event is bad writes none of the good ones before it.
    let mut batch = f.sign(area("training"), &f.node_key).await;
    batch.push(f.raw(vec![(batch[0].id(), 4)], "area.exploded", json!({"v": 1}), &f.node_key));
    assert!(f.store.lock().await.append(&batch).await.is_err());
    assert_eq!(f.snapshot().await, before);
}

#[tokio::test]
async fn an_event_with_a_missing_parent_waits_then_applies_when_the_parent_arrives() {
    let f = fixture().await;
    let first = f.sign(area("training"), &f.node_key).await.remove(0);
    let heads = vec![(first.id(), 3)];
    let second = f.raw(
        heads,
        "area.defined",
        json!({"v": 1, "set": {"code": "logistics", "title": {"fr": "Logistique"}, "ordinal": 2}}),
        &f.node_key,
    );
    let before = f.store.state_hash().await.unwrap();
    assert_eq!(f.store.lock().await.receive(&second).await.unwrap(), Receipt::Pending(second.id()));
    assert_eq!(f.store.state_hash().await.unwrap(), before, "a pending event must not be applied");
    assert_eq!(f.store.pending_count().await.unwrap(), 1);
    let receipt = f.store.lock().await.receive(&first).await.unwrap();
    assert_eq!(receipt, Receipt::Applied(vec![first.id(), second.id()]));
    assert_eq!(f.store.pending_count().await.unwrap(), 0);
    assert_eq!(f.store.event_count().await.unwrap(), 4);
    // Receiving it again changes nothing.
    let after = f.snapshot().await;
    assert_eq!(f.store.lock().await.receive(&first).await.unwrap(), Receipt::Duplicate(first.id()));
    assert_eq!(f.snapshot().await, after);
}

#[tokio::test]
async fn a_forged_event_is_not_even_parked_as_pending() {
    let f = fixture().await;
    let mut e = f.raw(vec![(EventId::of(b"nowhere"), 7)], "area.defined", json!({"v": 1, "set": {}}), &f.node_key);
    e.sigs[0].sig = "00".repeat(64);
    assert_eq!(f.store.lock().await.receive(&e).await.unwrap_err().code(), "bad-signature");
    assert_eq!(f.store.pending_count().await.unwrap(), 0);
}

#[tokio::test]
async fn rebuild_gives_the_same_state_hash_and_appends_nothing() {
    let f = fixture().await;
    for code in ["training", "equipment", "logistics"] {
        let batch = f.sign(area(code), &f.node_key).await;
        f.store.lock().await.append(&batch).await.unwrap();
    }
    let (events, hash, _) = f.snapshot().await;
    assert_eq!(f.store.rebuild().await.unwrap(), hash);
    assert_eq!(f.store.event_count().await.unwrap(), events);
    let report = f.store.verify().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.events as i64, events);
    assert_eq!(report.rebuilt_hash, hash);
    // Reopening folds the log to the same state.
    drop(f.store);
    let reopened = Store::open(&f.path).await.unwrap();
    assert_eq!(reopened.state_hash().await.unwrap(), hash);
    assert_eq!(reopened.with_state(|s| s.all::<Area>(RecordKind::Area).len()).await, 3);
}

/// State hash of `fixtures/demo-log.jsonl`, recorded when the fixture was made (commit 555d955,
/// before received revisions were type-checked): the demo committee (`lajna_demo::build`)
/// plus six commands of that code (progress reported, an action's due date, area and weight
/// revised, an action revised with a field this version does not know, an area's ordinal, a
/// session's minutes). One signed event per line, in the order the node stored them.
const DEMO_LOG_STATE_HASH: &str = "15b573b854080d22320df64136ab20c69939f4c432c932ea7244b9599bae8758";

#[tokio::test]
async fn replays_a_log_fixture_committed_before_the_change_and_gets_the_state_hash_recorded_before_the_change() {
    let text = include_str!("fixtures/demo-log.jsonl");
    let events: Vec<SignedEvent> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 52);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lajna.sqlite");
    let store = Store::open(&path).await.unwrap();
    for event in &events {
        let receipt = store.lock().await.receive(event).await.unwrap();
        assert_eq!(receipt, Receipt::Applied(vec![event.id()]));
    }
    assert_eq!(store.state_hash().await.unwrap(), DEMO_LOG_STATE_HASH);
    assert_eq!(store.rebuild().await.unwrap(), DEMO_LOG_STATE_HASH);
    let report = store.verify().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.rebuilt_hash, DEMO_LOG_STATE_HASH);
    // The field this version does not know survives in the record (invariant 10).
    let kept = store.records("action").await.unwrap().into_iter().filter(|(_, d)| d.get("future_field").is_some());
    assert_eq!(kept.count(), 1);
    // The saved form of this fold (`saved_fold`, issue 11) is pinned: a change to what a fold
    // holds or how it is written changes it, and needs a new `FOLD_FORMAT` (else a store would
    // open from a fold saved by the older code).
    let saved = store.with_state(lajna_domain::State::saved).await;
    assert_eq!(lajna_store::FOLD_FORMAT, "lajna-fold/1 0.1.0", "the pin below is of this format");
    assert_eq!(
        blake3::hash(&saved).to_hex().as_str(),
        "4444b9e569dc2cebf21cee486de5144596182cee3641c7e3a72713d7cf97455c",
        "the saved fold changed: bump FOLD_FORMAT with the new pin"
    );
    drop(store);
    assert_eq!(Store::open(&path).await.unwrap().state_hash().await.unwrap(), DEMO_LOG_STATE_HASH);
}

/// An area, a roadmap and an action in it, appended; returns (area, roadmap, action) ids.
async fn area_roadmap_action(f: &Fixture) -> (String, String, String) {
    use lajna_domain::records::{Action, Roadmap};
    use lajna_domain::{ActionStatus, Progress};
    let mut ids = vec![];
    for command in [
        area("training"),
        Command::DraftRoadmap(Roadmap {
            title: LocalizedText::tri("", "Feuille de route 2025", ""),
            session: None,
            start: jiff::civil::date(2025, 3, 1),
            end: jiff::civil::date(2025, 12, 31),
            illustrative: false,
        }),
    ] {
        let batch = f.sign(command, &f.node_key).await;
        ids.push(f.store.lock().await.append(&batch).await.unwrap()[0].to_hex());
    }
    let action = Command::PlanAction(Action {
        roadmap: ids[1].clone(),
        area: ids[0].clone(),
        title: LocalizedText::tri("", "Former 12 officiers", ""),
        owner: PartyCode::parse("MAR").unwrap(),
        unit: LocalizedText::tri("", "École royale", ""),
        lead: None,
        start: jiff::civil::date(2025, 3, 1),
        due: jiff::civil::date(2025, 6, 30),
        status: ActionStatus::Planned,
        progress: Progress::new(0).unwrap(),
        weight: None,
        indicator: None,
        decision: None,
        reason: None,
        completed: None,
        illustrative: false,
    });
    let batch = f.sign(action, &f.node_key).await;
    let action = f.store.lock().await.append(&batch).await.unwrap()[0].to_hex();
    (ids[0].clone(), ids[1].clone(), action)
}

/// Issue 11: the state hash a page shows is computed from the published fold, encoding again
/// only the records a write changed; after every write it equals the hash of the rows on disk,
/// and a hash reusing the kept texts equals one encoding every record afresh.
#[tokio::test]
async fn the_state_hash_after_each_write_is_the_hash_of_the_stored_rows() {
    use lajna_domain::{ActionStatus, Progress};
    let f = fixture().await;
    let (area_id, _, action) = area_roadmap_action(&f).await;
    let mut kept = lajna_store::RecordTexts::default();
    let mut hashes = std::collections::BTreeSet::new();
    for n in 0..4u8 {
        let commands = [
            area(&format!("area-{n}")),
            Command::ReportProgress {
                action: action.clone(),
                status: Some(ActionStatus::InProgress),
                progress: Some(Progress::new(10 * (i64::from(n) + 1)).unwrap()),
                reason: None,
                completed: None,
            },
            Command::Revise {
                kind: RecordKind::Area,
                id: area_id.clone(),
                set: json!({"ordinal": 10 + n}).as_object().unwrap().clone(),
            },
        ];
        for command in commands {
            let batch = f.sign(command, &f.node_key).await;
            f.store.lock().await.append(&batch).await.unwrap();
            let shown = f.store.state_hash().await.unwrap();
            assert_eq!(shown, f.store.stored_state_hash().await.unwrap(), "write {n}");
            let state = f.store.with_state(|s| s.clone()).await;
            let reused = lajna_store::hash::hash_state_with(Some(f.genesis), &state, &mut kept).unwrap();
            assert_eq!(reused, shown, "write {n}: the kept texts reused");
            assert_eq!(lajna_store::hash_state(Some(f.genesis), &state).unwrap(), shown);
            assert!(hashes.insert(shown), "every write changes the hash");
        }
    }
    assert_eq!(kept.len(), f.store.with_state(|s| s.entries().count()).await, "one text per record kept");
}

#[tokio::test]
async fn a_validly_signed_revision_with_a_mistyped_field_or_a_reference_of_the_wrong_kind_is_refused_named_and_nothing_is_stored()
 {
    let f = fixture().await;
    let (_, roadmap, action) = area_roadmap_action(&f).await;
    let before = f.snapshot().await;
    let heads = f.store.lock().await.heads();
    for (kind, set, field) in [
        ("action.revised", json!({"progress": "abc"}), "progress"),
        ("action.progress_reported", json!({"progress": "abc"}), "progress"),
        ("action.revised", json!({"due": "31/12/2025"}), "due"),
        ("action.revised", json!({"area": roadmap}), "area"),
    ] {
        let event = f.raw(heads.clone(), kind, json!({"v": 1, "record": action, "set": set}), &f.node_key);
        let err = f.store.lock().await.receive(&event).await.unwrap_err();
        assert_eq!(err.code(), "error-invalid-value", "{kind} {set}: {err}");
        let text = err.to_string();
        assert!(text.contains(&event.id().to_hex()), "{kind} {set}: the event is not named: {text}");
        assert!(text.starts_with(&format!("event {}: {field}:", event.id().to_hex())), "{kind} {set}: {text}");
        assert_eq!(f.snapshot().await, before, "{kind} {set} changed the store");
        // The same event appended as if it were local is refused alike.
        assert!(f.store.lock().await.append(std::slice::from_ref(&event)).await.is_err());
        assert_eq!(f.snapshot().await, before);
    }
    // The action is still there, readable, and the store verifies.
    assert_eq!(f.store.with_state(|s| s.all::<lajna_domain::records::Action>(RecordKind::Action).len()).await, 1);
    assert!(f.store.verify().await.unwrap().ok());
}

#[tokio::test]
async fn a_revision_of_a_record_that_does_not_exist_or_is_of_another_kind_is_refused() {
    let f = fixture().await;
    let (area, _, _) = area_roadmap_action(&f).await;
    let before = f.snapshot().await;
    let heads = f.store.lock().await.heads();
    for record in ["a".repeat(64), area] {
        let event = f.raw(
            heads.clone(),
            "action.revised",
            json!({"v": 1, "record": record, "set": {"progress": 5}}),
            &f.node_key,
        );
        let err = f.store.lock().await.receive(&event).await.unwrap_err();
        assert_eq!(err.code(), "error-unknown-record", "{err}");
        assert_eq!(f.snapshot().await, before);
    }
}

#[tokio::test]
async fn a_batch_may_create_a_record_and_revise_it_the_later_event_is_checked_against_the_earlier() {
    let f = fixture().await;
    let (_, roadmap, _) = area_roadmap_action(&f).await;
    let created = f.sign(area("logistics"), &f.node_key).await.remove(0);
    let revised = f.raw(
        vec![(created.id(), 6)],
        "area.revised",
        json!({"v": 1, "record": created.id().to_hex(), "set": {"ordinal": 4}}),
        &f.node_key,
    );
    f.store.lock().await.append(&[created.clone(), revised]).await.unwrap();
    let (_, doc) = f.store.record(&created.id().to_hex()).await.unwrap().unwrap();
    assert_eq!(doc["ordinal"], 4);
    // And a reference to a record created earlier in the same batch is found; one to a record
    // of another kind is not, and the whole batch is refused.
    let before = f.snapshot().await;
    let heads = f.store.lock().await.heads();
    let l = heads.iter().map(|(_, l)| *l).max().unwrap();
    let good = f.raw(
        heads.clone(),
        "area.defined",
        json!({"v": 1, "set": {"code": "health", "title": {"fr": "Santé"}, "ordinal": 5}}),
        &f.node_key,
    );
    let bad = f.raw(
        vec![(good.id(), l + 1)],
        "need.registered",
        json!({"v": 1, "set": {"party": "MAR", "category": "training", "title": {"fr": "Places"}, "quantity": 2,
            "unit": {"fr": "places"}, "priority": "high", "status": "open", "area": roadmap}}),
        &f.node_key,
    );
    let err = f.store.lock().await.append(&[good, bad.clone()]).await.unwrap_err();
    assert!(err.to_string().starts_with(&format!("event {}: area:", bad.id().to_hex())), "{err}");
    assert_eq!(f.snapshot().await, before);
}

#[tokio::test]
async fn verify_names_a_stored_event_whose_revision_is_mistyped_even_when_it_went_around_the_checks() {
    let f = fixture().await;
    let (_, _, action) = area_roadmap_action(&f).await;
    let heads = f.store.lock().await.heads();
    let l = heads.iter().map(|(_, l)| *l).max().unwrap();
    let bad =
        f.raw(heads, "action.revised", json!({"v": 1, "record": action, "set": {"progress": "abc"}}), &f.node_key);
    // Written straight into the table, as an old version (or a hand) could have.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", f.path.display())).await.unwrap();
    sqlx::query("INSERT INTO events (id, lamport, party, kind, at, envelope, sigs, received_at) VALUES (?, ?, 'MAR', 'action.revised', '2025-02-18T10:00:00Z', ?, ?, '2025-02-18T10:00:00Z')")
        .bind(bad.id().to_hex())
        .bind(l + 1)
        .bind(bad.envelope.as_bytes())
        .bind(serde_json::to_string(&bad.sigs).unwrap())
        .execute(&pool)
        .await
        .unwrap();
    let report = f.store.verify().await.unwrap();
    assert!(!report.ok());
    let (id, why) = report.problem.unwrap();
    assert_eq!(id, bad.id().to_hex());
    assert!(why.contains("progress"), "{why}");
}

/// One store, many processes (issue 15 item 5): a second `Store` on the same file plays the CLI
/// writing while a server runs. The first sees each append at its next read — `generation`
/// moves at the next query, `with_state` and `lock` fold only the new events — and a write of
/// its own decided against a stale fold keeps the other's change in the projection it writes.
#[tokio::test]
async fn a_second_store_on_the_same_file_sees_and_builds_on_the_others_appends() {
    let f = fixture().await;
    let other = Store::open(&f.path).await.unwrap();
    let g0 = f.store.generation();
    let a = {
        let batch = f.sign(area("training"), &f.node_key).await;
        other.lock().await.append(&batch).await.unwrap()
    };
    // Not yet read: the fold is as it was; any query moves the generation.
    assert_eq!(f.store.event_count().await.unwrap(), 3);
    assert!(f.store.generation() > g0, "generation moves once a connection saw the append");
    let seen = f.store.with_state(|s| s.entry(&a[0].to_hex()).is_some()).await;
    assert!(seen, "with_state folds the other store's event");
    assert_eq!(f.store.lock().await.heads(), other.lock().await.heads());

    // Both write: each after the other, each deciding against its own fold.
    let b = {
        let batch = f.sign(area("logistics"), &f.node_key).await;
        f.store.lock().await.append(&batch).await.unwrap()
    };
    let c = {
        let batch = f.sign(area("health"), &f.node_key).await;
        other.lock().await.append(&batch).await.unwrap()
    };
    for store in [&f.store, &other] {
        for id in [&a[0], &b[0], &c[0]] {
            assert!(store.with_state(|s| s.entry(&id.to_hex()).is_some()).await, "{id:?}");
        }
    }
    // A stale guard: `other` decides and signs before `f.store` writes; its append catches up
    // under SQLite's write lock, so its fold and rows include `f.store`'s event too.
    let mut stale = other.lock().await;
    let batch = {
        let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
        let emits = decide(stale.state(), &actor, &area("engineering")).unwrap();
        vec![f.raw(stale.heads(), &emits[0].kind, emits[0].body.clone(), &f.node_key)]
    };
    let d = {
        let batch = f.sign(area("signals"), &f.node_key).await;
        f.store.lock().await.append(&batch).await.unwrap()
    };
    stale.append(&batch).await.unwrap();
    drop(stale);
    assert_eq!(other.lock().await.heads().len(), 2, "two concurrent heads, as between two nodes");
    assert!(f.store.with_state(|s| s.entry(&d[0].to_hex()).is_some()).await);
    // Both folds, the projections on disk and a fresh verify agree.
    let report = other.verify().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(f.store.state_hash().await.unwrap(), report.rebuilt_hash);
    assert_eq!(other.state_hash().await.unwrap(), report.rebuilt_hash);
    let (h1, h2) = (f.store.with_state(|s| s.clone()).await, other.with_state(|s| s.clone()).await);
    assert_eq!(
        lajna_store::hash_state(Some(f.genesis), &h1).unwrap(),
        lajna_store::hash_state(Some(f.genesis), &h2).unwrap()
    );
    other.close().await;
}

/// Processes opening a new store at once (the server and a CLI command) each apply the pending
/// migrations; they take turns, so none fails with "trigger … already exists".
#[tokio::test]
async fn stores_opened_at_once_on_a_new_database_all_open() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lajna.sqlite");
        let opens = (0..6).map(|_| {
            let path = path.clone();
            tokio::spawn(async move { Store::open(&path).await.map(|_| ()).map_err(|e| e.to_string()) })
        });
        for open in opens.collect::<Vec<_>>() {
            assert_eq!(open.await.unwrap(), Ok(()));
        }
    }
}

/// Reads never wait for writes (issue 11): while a writer holds the fold's lock (a long import
/// or sync), `snapshot` and `with_state` answer at once with the state as last published; the
/// write is seen by every read that starts after the guard is released, at a new generation.
#[tokio::test]
async fn reads_take_the_last_published_state_while_a_write_holds_the_lock() {
    use std::time::Duration;
    let f = fixture().await;
    let (g0, before) = f.store.snapshot().await;
    let batch = f.sign(area("training"), &f.node_key).await;
    let id = batch[0].id().to_hex();
    let mut guard = f.store.lock().await;
    let read = tokio::time::timeout(Duration::from_secs(2), f.store.snapshot()).await;
    let (g1, during) = read.expect("a read does not wait for the writer");
    assert_eq!((g1, std::sync::Arc::ptr_eq(&before, &during)), (g0, true));
    guard.append(&batch).await.unwrap();
    // Committed but the guard still held: readers keep the published state, never a half-written one.
    let seen = tokio::time::timeout(Duration::from_secs(2), f.store.with_state(|s| s.entry(&id).is_some())).await;
    assert!(!seen.expect("with_state does not wait either"), "not yet published");
    drop(guard);
    let (g2, after) = f.store.snapshot().await;
    assert!(g2 > g0, "a new generation: {g2} after {g0}");
    assert!(after.entry(&id).is_some(), "the write is seen once it returned");
    assert!(before.entry(&id).is_none(), "a snapshot taken before is unchanged");
    // An unchanged store hands out the same copy.
    assert!(std::sync::Arc::ptr_eq(&after, &f.store.snapshot().await.1));
}

/// Issue 16 item 5: a revocation signed by the party's root. Events the revoked key signed
/// before it (in its past) still verify; a new one is refused, by `append` and by `receive`,
/// naming the key and the revocation, and nothing is stored; another certified key still writes.
#[tokio::test]
async fn a_revoked_key_signs_nothing_new_and_verify_passes_over_what_it_signed_before() {
    let f = fixture().await;
    let root = SecretKey::from_seed([1; 32]);
    let other = SecretKey::from_seed([4; 32]);
    let heads = f.store.lock().await.heads();
    let cert =
        f.raw(heads, KEY_CERTIFIED_KIND, json!({"party": "MAR", "node": other.public().to_hex(), "label": "b"}), &root);
    f.store.lock().await.append(&[cert]).await.unwrap();
    let old = f.sign(area("training"), &f.node_key).await;
    f.store.lock().await.append(&old).await.unwrap();
    // Signed by the node key itself instead of the root: refused.
    let body = json!({"party": "MAR", "node": f.node_key.public().to_hex(), "reason": "laptop stolen"});
    let heads = f.store.lock().await.heads();
    let forged = f.raw(heads.clone(), KEY_REVOKED_KIND, body.clone(), &f.node_key);
    let err = f.store.lock().await.append(&[forged]).await.unwrap_err();
    assert_eq!(err.code(), "uncertified-key");
    let revocation = f.raw(heads, KEY_REVOKED_KIND, body, &root);
    f.store.lock().await.append(std::slice::from_ref(&revocation)).await.unwrap();
    let before = f.snapshot().await;
    assert_eq!(before.0, 5);

    let fresh = f.sign(area("logistics"), &f.node_key).await;
    let expected = format!(
        "event {id}: event {id} is signed by key {} of MAR, revoked by event {}: only the events that revocation knows stay valid",
        f.node_key.public().to_hex(),
        revocation.id(),
        id = fresh[0].id()
    );
    let err = f.store.lock().await.append(&fresh).await.unwrap_err();
    assert_eq!((err.code(), err.to_string()), ("revoked-key", expected.clone()));
    let err = f.store.lock().await.receive(&fresh[0]).await.unwrap_err();
    assert_eq!((err.code(), err.to_string()), ("revoked-key", expected));
    // Even naming only parents from before the revocation (the leaked key's view of the log).
    let stale = f.raw(vec![(old[0].id(), 3)], "area.defined", json!({}), &f.node_key);
    assert_eq!(f.store.lock().await.receive(&stale).await.unwrap_err().code(), "revoked-key");
    assert_eq!(f.snapshot().await, before);

    let by_other = f.sign(area("logistics"), &other).await;
    f.store.lock().await.append(&by_other).await.unwrap();
    let report = f.store.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problem);
    assert_eq!(report.events, 6);
}

/// The revocation rule is the DAG's: an event of the revoked key that a node already held when
/// the revocation came, but that is not in the revocation's past (a leaked key used before the
/// revocation reached this node), is kept — a revocation is never refused — and `verify` names it.
#[tokio::test]
async fn verify_names_an_event_of_the_revoked_key_outside_the_revocations_past() {
    let f = fixture().await;
    let root = SecretKey::from_seed([1; 32]);
    let heads = f.store.lock().await.heads();
    let body = json!({"party": "MAR", "node": f.node_key.public().to_hex(), "reason": "laptop stolen"});
    // Both on the same heads: concurrent.
    let revocation = f.raw(heads, KEY_REVOKED_KIND, body, &root);
    let leaked = f.sign(area("training"), &f.node_key).await;
    f.store.lock().await.receive(&leaked[0]).await.unwrap();
    assert!(matches!(f.store.lock().await.receive(&revocation).await.unwrap(), Receipt::Applied(_)));
    let report = f.store.verify().await.unwrap();
    let (id, why) = report.problem.unwrap();
    assert_eq!(id, leaked[0].id().to_hex());
    assert!(
        why.contains(&format!("which event {} revoked, and is not in that revocation's past", revocation.id())),
        "{why}"
    );
}

/// Opening folds the log a page at a time (`CATCH_UP_PAGE`): a log of more than two pages
/// reopens to the same heads, state and records as the store that wrote it. The heads are read
/// first, by the first write lock after the open: a catch-up that stopped after one page would
/// have folded two pages by then, not the whole log.
#[tokio::test]
async fn a_log_of_more_than_two_catch_up_pages_reopens_to_the_same_heads_and_state() {
    let f = fixture().await;
    let areas = 2 * lajna_store::CATCH_UP_PAGE + 10;
    append_areas(&f, areas).await;
    let heads = f.store.lock().await.heads();
    let (events, hash, _) = f.snapshot().await;
    assert_eq!(events, i64::try_from(areas).unwrap() + 2, "genesis, certificate and one event per area");
    drop(f.store);
    let reopened = Store::open(&f.path).await.unwrap();
    assert_eq!(reopened.lock().await.heads(), heads, "the next write builds on the same heads");
    assert_eq!(reopened.state_hash().await.unwrap(), hash);
    assert_eq!(reopened.with_state(|s| s.all::<Area>(RecordKind::Area).len()).await, areas);
    let report = reopened.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problem);
    assert_eq!(report.events, areas + 2);
}

/// Appends one signed `area.created` event for each of `n` areas, in one batch, in a chain:
/// the events, in log order.
async fn append_areas(f: &Fixture, n: usize) -> Vec<SignedEvent> {
    append_areas_named(f, "area", n).await
}

/// [`append_areas`], the areas coded `{prefix}-{i}`.
async fn append_areas_named(f: &Fixture, prefix: &str, n: usize) -> Vec<SignedEvent> {
    let mut guard = f.store.lock().await;
    let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    let mut parents = guard.heads();
    let mut batch = Vec::new();
    for i in 0..n {
        for e in decide(guard.state(), &actor, &area(&format!("{prefix}-{i}"))).unwrap() {
            let event = f.raw(parents.clone(), &e.kind, e.body, &f.node_key);
            parents = vec![(event.id(), 1 + parents.iter().map(|(_, l)| *l).max().unwrap())];
            batch.push(event);
        }
    }
    guard.append(&batch).await.unwrap();
    batch
}

/// `verify` reads, prechecks and replays the log a page at a time (1,000 events), prechecking
/// the next page on both cores while the one before is replayed in order: a good log of
/// several pages verifies whole, and a bad event in a later page is named with the count of
/// the good events before it, whatever was prechecked beyond it.
#[tokio::test]
async fn verify_names_a_bad_event_in_a_later_page_with_the_good_events_before_it() {
    let f = fixture().await;
    let batch = append_areas(&f, 2_500).await;
    let report = f.store.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problem);
    assert_eq!(report.events, 2 + 2_500, "genesis, certificate and the areas");
    // The 1,700th area's event (log position 1,702, in the second page) carries the signature
    // of the event before it, written around the store's checks and the table's trigger.
    let (victim, donor) = (&batch[1_699], &batch[1_698]);
    let one = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", f.path.display()))
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER events_no_update").execute(&one).await.unwrap();
    sqlx::query("UPDATE events SET sigs = ? WHERE id = ?")
        .bind(serde_json::to_string(&donor.sigs).unwrap())
        .bind(victim.id().to_hex())
        .execute(&one)
        .await
        .unwrap();
    let report = f.store.verify().await.unwrap();
    let (id, why) = report.problem.expect("the altered signature is found");
    assert_eq!(id, victim.id().to_hex());
    assert!(why.contains("does not verify"), "{why}");
    assert_eq!(report.events, 2 + 1_699, "the events before it were good");
}

/// Issue 11 item 4: a store opens from its saved fold (written by `rebuild`, and by writes and
/// openings every `SAVE_EVERY` events or tenth of the log) and folds only the events after
/// it, to the same heads and state as a fold of the whole log. A saved fold that differs from
/// the log is what the store opens with — and `verify` names it, `rebuild` replaces it; one of
/// another format, or saved at an event the log no longer holds, is ignored.
#[tokio::test]
async fn a_store_opens_from_its_saved_fold_and_folds_only_the_events_after_it() {
    let f = fixture().await;
    append_areas_named(&f, "before", 30).await;
    f.store.rebuild().await.unwrap();
    append_areas_named(&f, "after", 5).await;
    let heads = f.store.lock().await.heads();
    let (events, hash, _) = f.snapshot().await;
    assert_eq!(events, 37);
    let Fixture { path, store, _dir, .. } = f;
    drop(store);
    let codes = |s: &lajna_domain::State| {
        let mut codes: Vec<String> = s.all::<Area>(RecordKind::Area).into_iter().map(|(_, a)| a.code).collect();
        codes.sort();
        codes
    };
    let reopened = Store::open(&path).await.unwrap();
    assert_eq!(reopened.lock().await.heads(), heads);
    assert_eq!(reopened.state_hash().await.unwrap(), hash);
    let all = reopened.with_state(codes).await;
    assert_eq!(all.len(), 35);
    assert!(all.contains(&"before-7".to_string()) && all.contains(&"after-4".to_string()));
    assert!(reopened.verify().await.unwrap().ok());
    drop(reopened);

    let one = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let saved_at: (String, i64) =
        sqlx::query_as("SELECT format, shared_seq FROM saved_fold").fetch_one(&one).await.unwrap();
    assert_eq!(saved_at, (lajna_store::FOLD_FORMAT.to_string(), 32), "saved by the rebuild at 32 events");
    // The saved fold is what opening reads: an area renamed in it shows, and verify names it.
    sqlx::query(
        "UPDATE saved_fold SET state = CAST(replace(CAST(state AS TEXT), '\"before-7\"', '\"renamed\"') AS BLOB)",
    )
    .execute(&one)
    .await
    .unwrap();
    let opened = Store::open(&path).await.unwrap();
    let shown = opened.with_state(codes).await;
    assert!(shown.contains(&"renamed".to_string()) && !shown.contains(&"before-7".to_string()), "{shown:?}");
    let (what, why) = opened.verify().await.unwrap().problem.expect("the saved fold differs from the log");
    assert_eq!(what, "saved_fold");
    assert!(why.contains("lajna rebuild"), "{why}");
    // Of another format, it is not read.
    sqlx::query("UPDATE saved_fold SET format = 'lajna-fold/0'").execute(&one).await.unwrap();
    drop(opened);
    let opened = Store::open(&path).await.unwrap();
    assert_eq!(opened.with_state(codes).await, all);
    assert!(opened.verify().await.unwrap().ok());
    // `rebuild` saves the fold of the log again (at 37 events); a log cut below it (the last
    // event deleted around the trigger) is folded from the start, to the 36 events it holds.
    opened.rebuild().await.unwrap();
    drop(opened);
    let saved_at: (String, i64) =
        sqlx::query_as("SELECT format, shared_seq FROM saved_fold").fetch_one(&one).await.unwrap();
    assert_eq!(saved_at, (lajna_store::FOLD_FORMAT.to_string(), 37));
    sqlx::query("DROP TRIGGER events_no_delete").execute(&one).await.unwrap();
    sqlx::query("DELETE FROM events WHERE seq = 37").execute(&one).await.unwrap();
    let cut = Store::open(&path).await.unwrap();
    let left = cut.with_state(codes).await;
    assert_eq!(left.len(), 34);
    assert!(!left.contains(&"after-4".to_string()));
}
