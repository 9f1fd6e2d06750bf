//! Issue 13 item 2, attendance and delegations: each party's secretary records its own party's
//! delegation from the session page; the page (and the JSON API) shows both delegations and
//! whether both heads of delegation sit; the other party's delegation is refused with nothing
//! written, on the page and at a peer's door.

use lajna_domain::RecordKind;
use lajna_domain::records::{Member, Session};
use lajna_domain::values::MemberRole;
use lajna_ledger::sign_request;
use serde_json::{Value, json};

use crate::common::plain;
use crate::common::{TestApp, pair, snapshot};

/// The first session of the demo and, per party, its co-chair's and secretary's member ids.
async fn fixture(app: &TestApp) -> (String, [String; 2], [String; 2]) {
    app.node
        .with_state(|s| {
            let mut sessions = s.all::<Session>(RecordKind::Session);
            sessions.sort_by_key(|(_, x)| x.number);
            let members = s.all::<Member>(RecordKind::Member);
            let find = |party: &str, role: MemberRole| {
                members.iter().find(|(_, m)| m.party.as_str() == party && m.role == role).unwrap().0.clone()
            };
            let mar = [find("MAR", MemberRole::CoChair), find("MAR", MemberRole::Secretary)];
            let mli = [find("MLI", MemberRole::CoChair), find("MLI", MemberRole::Secretary)];
            (sessions[0].0.clone(), mar, mli)
        })
        .await
}

/// The form fields of a delegation of `party`: the head present with a function, the second
/// member present.
fn form(csrf: &str, party: &str, head: &str, other: &str) -> Vec<(String, String)> {
    [
        ("csrf", csrf.to_string()),
        ("party", party.to_string()),
        (&format!("attendance-{head}"), "present".into()),
        (&format!("function-{head}"), "Chef de la délégation".into()),
        (&format!("represented_by-{head}"), String::new()),
        (&format!("attendance-{other}"), "present".into()),
        (&format!("function-{other}"), String::new()),
        (&format!("represented_by-{other}"), String::new()),
        ("head", head.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

async fn post(client: &reqwest::Client, app: &TestApp, session: &str, fields: &[(String, String)]) -> (u16, String) {
    let res = client.post(app.url(&format!("/fr/sessions/{session}/delegation"))).form(fields).send().await.unwrap();
    (res.status().as_u16(), plain(&res.text().await.unwrap()))
}

/// The page without Fluent's isolation marks around placeables (FSI … PDI).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_secretary_records_its_delegation_and_the_session_page_shows_both_heads_present() {
    let app = TestApp::spawn().await;
    let (session, mar, mli) = fixture(&app).await;
    let page = plain(&app.get(&format!("/fr/sessions/{session}")).await.1);
    assert!(page.contains(r#"id="delegation-form""#), "the MAR secretary sees the form");
    assert!(page.contains(r#"<input type="hidden" name="party" value="MAR">"#));
    assert!(page.contains("MAR n’a pas encore enregistré sa délégation."));

    let (status, _) = post(&app.client, &app, &session, &form(&app.csrf, "MAR", &mar[0], &mar[1])).await;
    assert_eq!(status, 303, "MAR's delegation recorded");
    let (mli_client, mli_csrf) = app.login("mli-secretary").await;
    let (status, _) = post(&mli_client, &app, &session, &form(&mli_csrf, "MLI", &mli[0], &mli[1])).await;
    assert_eq!(status, 303, "MLI's delegation recorded");

    let (status, page) = app.get(&format!("/fr/sessions/{session}")).await;
    assert_eq!(status, 200);
    let page = plain(&page);
    assert!(page.contains(r#"<p id="heads-status" class="ok">Les deux chefs de délégation sont présents.</p>"#));
    assert!(page.contains(r#"id="delegation-MAR""#) && page.contains(r#"id="delegation-MLI""#));
    assert!(page.contains("Abdelghani Mouhib") && page.contains("Général de brigade"), "name and rank");
    assert!(page.contains("Chef de la délégation"), "the function");
    assert!(page.contains(r#"id="head-MAR">Chef de la délégation de MAR : Abdelghani Mouhib, présent."#));
    assert_eq!(page.matches("Chef de délégation</span>").count(), 2, "each head marked");

    let api: Value =
        app.client.get(app.url(&format!("/api/v1/sessions/{session}"))).send().await.unwrap().json().await.unwrap();
    let delegations = api["delegations"].as_array().unwrap();
    assert_eq!(delegations.len(), 2, "{api}");
    assert_eq!(delegations[0]["party"], "MAR");
    assert_eq!(delegations[0]["entries"][0]["member"], mar[0].as_str());
    assert_eq!(delegations[0]["entries"][0]["head"], true);
    assert_eq!(api["heads"]["MLI"], json!({"status": "present", "head": mli[0]}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mli_secretary_posting_the_mar_delegation_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (session, mar, _) = fixture(&app).await;
    let (client, csrf) = app.login("mli-secretary").await;
    let before = app.snapshot().await;
    let (status, page) = post(&client, &app, &session, &form(&csrf, "MAR", &mar[0], &mar[1])).await;
    assert_eq!(status, 403);
    assert!(page.contains("Seule la partie MAR enregistre la délégation de MAR"), "a clear message");
    assert_eq!(app.snapshot().await, before, "nothing written");
    // A viewer records no delegation, even its own party's.
    let (viewer, viewer_csrf) = app.login("mar-viewer").await;
    let (status, _) = post(&viewer, &app, &session, &form(&viewer_csrf, "MAR", &mar[0], &mar[1])).await;
    assert_eq!(status, 403);
    assert_eq!(app.snapshot().await, before, "nothing written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegation_with_two_heads_is_refused_beside_the_form_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (session, mar, _) = fixture(&app).await;
    let before = app.snapshot().await;
    let mut fields = form(&app.csrf, "MAR", &mar[0], &mar[1]);
    fields.retain(|(k, _)| k != "head");
    let (status, page) = post(&app.client, &app, &session, &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("Une délégation a exactement un chef"), "the message beside the form");
    assert_eq!(app.snapshot().await, before, "nothing written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pushed_delegation_naming_a_member_of_the_wrong_party_is_refused_and_nothing_is_stored() {
    let (dir, mar, mli) = pair().await;
    let (session, mli_member, mar_member) = mli
        .node
        .with_state(|s| {
            let members = s.all::<Member>(RecordKind::Member);
            let of = |p: &str| members.iter().find(|(_, m)| m.party.as_str() == p).unwrap().0.clone();
            (s.all::<Session>(RecordKind::Session)[0].0.clone(), of("MLI"), of("MAR"))
        })
        .await;
    let key = lajna_node::read_key(&dir.path().join("mar/keys/node-MAR.key")).unwrap();
    let (committee, heads) = {
        let guard = mar.node.store().lock().await;
        (guard.committee(), guard.heads())
    };
    let before = snapshot(&mli.node).await;
    // Signed by the Moroccan node's certified key, bypassing its own checks: MAR's delegation
    // with a Malian member in it.
    let bad = lajna_ledger::Draft {
        committee,
        parents: heads,
        party: "MAR".into(),
        member: None,
        at: "2025-10-01T00:00:00Z".into(),
        kind: "session.delegation_recorded".into(),
        body: json!({"v": 1, "record": session, "party": "MAR", "entries": [
            {"member": mar_member, "attendance": "present", "head": true},
            {"member": mli_member, "attendance": "present"},
        ]}),
    }
    .sign(&key)
    .unwrap();
    let body = serde_json::to_vec(&json!({"events": [bad]})).unwrap();
    let auth = sign_request(&key, "POST", "/sync/v1/push", &lajna_node::now_rfc3339(), &body).unwrap();
    let res = reqwest::Client::new()
        .post(format!("{}/sync/v1/push", mli.url))
        .header("x-lajna-node", &auth.node)
        .header("x-lajna-time", &auth.time)
        .header("x-lajna-nonce", &auth.nonce)
        .header("x-lajna-signature", &auth.signature)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let reply: Value = res.json().await.unwrap();
    assert_eq!(reply["applied"], 0, "{reply}");
    let refused = reply["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{reply}");
    assert_eq!(refused[0][0], bad.id().to_hex().as_str());
    assert!(refused[0][1].as_str().unwrap().contains("is not a member of MAR"), "{reply}");
    assert_eq!(snapshot(&mli.node).await, before, "nothing stored");
}
