//! Issue 10 item 4, over HTTP sync: a peer's validly signed revision whose field is not of its
//! type (progress "abc", a date that is not a date) or whose reference names a record of another
//! kind (an area id that is a roadmap) is refused by `/sync/v1/push`, named (event and field) in
//! the reply, and nothing is stored.

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
async fn a_pushed_revision_with_a_mistyped_field_is_refused_over_http_named_and_nothing_is_stored() {
    let (dir, mar, mli) = pair().await;
    let (action, roadmap) = mli
        .node
        .with_state(|s| {
            let mut open = s.all::<Action>(RecordKind::Action).into_iter().filter(|(_, a)| !a.status.is_closed());
            open.next().map(|(id, a)| (id, a.roadmap)).unwrap()
        })
        .await;
    let key = lajna_node::read_key(&dir.path().join("mar/keys/node-MAR.key")).unwrap();
    let (committee, heads) = {
        let guard = mar.node.store().lock().await;
        (guard.committee(), guard.heads())
    };
    let before = snapshot(&mli.node).await;
    for (kind, set, field) in [
        ("action.revised", json!({"progress": "abc"}), "progress"),
        ("action.progress_reported", json!({"progress": "abc"}), "progress"),
        ("action.revised", json!({"due": "31/12/2025"}), "due"),
        ("action.revised", json!({"area": roadmap}), "area"),
    ] {
        // Signed by the Moroccan node's certified key, bypassing its own checks.
        let bad = lajna_ledger::Draft {
            committee,
            parents: heads.clone(),
            party: "MAR".into(),
            member: None,
            at: "2025-10-01T00:00:00Z".into(),
            kind: kind.into(),
            body: json!({"v": 1, "record": action, "set": set}),
        }
        .sign(&key)
        .unwrap();
        let body = serde_json::to_vec(&json!({"events": [bad]})).unwrap();
        let auth = sign_request(&key, "POST", "/sync/v1/push", &lajna_node::now_rfc3339(), &body).unwrap();
        let (status, reply) = push(&mli.url, &body, &auth).await;
        assert_eq!(status, 200, "{kind} {set}: {reply}");
        assert_eq!(reply["applied"], 0, "{kind} {set}: {reply}");
        let refused = reply["refused"].as_array().unwrap();
        assert_eq!(refused.len(), 1, "{kind} {set}: {reply}");
        let id = bad.id().to_hex();
        assert_eq!(refused[0][0], id.as_str());
        let why = refused[0][1].as_str().unwrap();
        assert!(why.starts_with(&format!("event {id}: {field}:")), "{kind} {set}: {why}");
        assert_eq!(snapshot(&mli.node).await, before, "{kind} {set}: nothing stored");
        assert_eq!(mli.node.store().pending_count().await.unwrap(), 0);
    }
    assert!(mli.node.store().verify().await.unwrap().ok());
}
