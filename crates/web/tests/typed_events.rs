//! Issue 10 item 4, over HTTP sync: a peer's validly signed revision or creation whose field is
//! not of its type (progress "abc", a date that is not a date) or whose reference names a record
//! of another kind (an area id that is a roadmap) is refused by `/sync/v1/push`, named (event and
//! field) in the reply, and nothing is stored.

use lajna_domain::RecordKind;
use lajna_domain::records::Action;
use lajna_ledger::{RequestAuth, sign_request};
use serde_json::{Value, json};

use crate::common::{pair, snapshot};

async fn push(url: &str, body: &[u8], auth: &RequestAuth) -> (u16, Value) {
    let (status, text) = crate::common::signed_post(url, "/sync/v1/push", body, auth).await;
    (status, serde_json::from_str(&text).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pushed_event_with_a_mistyped_field_is_refused_over_http_named_and_nothing_is_stored() {
    let (dir, mar, mli) = pair().await;
    let (action, roadmap, record) = mli
        .node
        .with_state(|s| {
            let mut open = s.all::<Action>(RecordKind::Action).into_iter().filter(|(_, a)| !a.status.is_closed());
            open.next().map(|(id, a)| (id, a.roadmap.clone(), serde_json::to_value(&a).unwrap())).unwrap()
        })
        .await;
    let revised = |set: Value| json!({"v": 1, "record": action, "set": set});
    // A new action planned with one field of the wrong type (the rest is an existing action's).
    let planned = |field: &str, value: Value| {
        let mut set = record.clone();
        set[field] = value;
        json!({"v": 1, "set": set})
    };
    let key = lajna_node::read_key(&dir.path().join("mar/keys/node-MAR.key")).unwrap();
    let (committee, heads) = {
        let guard = mar.node.store().lock().await;
        (guard.committee(), guard.heads())
    };
    let before = snapshot(&mli.node).await;
    for (kind, sent, field) in [
        ("action.revised", revised(json!({"progress": "abc"})), "progress"),
        ("action.progress_reported", revised(json!({"progress": "abc"})), "progress"),
        ("action.revised", revised(json!({"due": "31/12/2025"})), "due"),
        ("action.revised", revised(json!({"area": roadmap})), "area"),
        ("action.planned", planned("progress", json!("abc")), "progress"),
        ("action.planned", planned("due", json!("31/12/2025")), "due"),
        ("action.planned", planned("area", json!(roadmap)), "area"),
    ] {
        // Signed by the Moroccan node's certified key, bypassing its own checks.
        let bad = lajna_ledger::Draft {
            committee,
            parents: heads.clone(),
            party: "MAR".into(),
            member: None,
            at: "2025-10-01T00:00:00Z".into(),
            kind: kind.into(),
            body: sent.clone(),
        }
        .sign(&key)
        .unwrap();
        let body = serde_json::to_vec(&json!({"events": [bad]})).unwrap();
        let auth = sign_request(&key, "POST", "/sync/v1/push", &lajna_node::now_rfc3339(), &body).unwrap();
        let (status, reply) = push(&mli.url, &body, &auth).await;
        assert_eq!(status, 200, "{kind} {sent}: {reply}");
        assert_eq!(reply["applied"], 0, "{kind} {sent}: {reply}");
        let refused = reply["refused"].as_array().unwrap();
        assert_eq!(refused.len(), 1, "{kind} {sent}: {reply}");
        let id = bad.id().to_hex();
        assert_eq!(refused[0][0], id.as_str());
        let why = refused[0][1].as_str().unwrap();
        assert!(why.starts_with(&format!("event {id}: {field}:")), "{kind} {sent}: {why}");
        assert_eq!(snapshot(&mli.node).await, before, "{kind} {sent}: nothing stored");
        assert_eq!(mli.node.store().pending_count().await.unwrap(), 0);
    }
    assert!(mli.node.store().verify().await.unwrap().ok());
}
