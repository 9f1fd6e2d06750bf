//! The JSON API and the role rules over HTTP, with the real server and database: every role ×
//! party (allowed and refused), CSRF, sign-in throttling, 422 with field errors, and nothing
//! written on any refusal.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

async fn actions(app: &TestApp) -> Vec<Value> {
    let res = app.client.get(app.url("/api/v1/actions")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json::<Vec<Value>>().await.unwrap()
}

/// An open action owned by `party`.
async fn open_action(app: &TestApp, party: &str) -> Value {
    actions(app)
        .await
        .into_iter()
        .find(|a| a["owner_party"] == party && a["status"] == "in_progress")
        .unwrap_or_else(|| panic!("no open {party} action"))
}

async fn patch(app: &TestApp, user: &str, id: &str, body: Value, with_csrf: bool) -> (u16, Value) {
    let (client, csrf) = app.login(user).await;
    let mut req = client.patch(app.url(&format!("/api/v1/actions/{id}"))).json(&body);
    if with_csrf {
        req = req.header("X-CSRF-Token", csrf);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn actions_list_has_the_documented_fields() {
    let app = TestApp::spawn().await;
    let list = actions(&app).await;
    assert!(list.len() >= 12);
    for a in &list {
        for field in ["id", "owner_party", "status", "progress", "due", "title"] {
            assert!(!a[field].is_null(), "{field} missing in {a}");
        }
    }
    let late = list.iter().find(|a| a["due"] == "2025-08-31").unwrap();
    assert_eq!((late["overdue"].as_bool(), late["days_late"].as_i64()), (Some(true), Some(31)));
}

#[tokio::test]
async fn every_role_and_party_is_allowed_or_refused_as_the_rules_say() {
    let app = TestApp::spawn().await;
    let mar = open_action(&app, "MAR").await;
    let mli = open_action(&app, "MLI").await;
    // (user, action owner, expected status)
    let cases = [
        ("mar-cochair", &mar, 200),
        ("mar-secretary", &mar, 200),
        ("mar-viewer", &mar, 403),
        ("mli-cochair", &mli, 200),
        ("mli-secretary", &mli, 200),
        ("mli-viewer", &mli, 403),
        ("mar-cochair", &mli, 403),
        ("mar-secretary", &mli, 403),
        ("mli-cochair", &mar, 403),
        ("mli-secretary", &mar, 403),
    ];
    for (n, (user, action, expected)) in cases.into_iter().enumerate() {
        let id = action["id"].as_str().unwrap();
        let progress = 10 + n as i64;
        let before = app.snapshot().await;
        let (status, body) = patch(&app, user, id, json!({"progress": progress}), true).await;
        assert_eq!(status, expected, "{user} on a {} action: {body}", action["owner_party"]);
        if expected == 200 {
            assert_eq!(body["progress"], json!(progress));
            assert_eq!(app.snapshot().await.0, before.0 + 1, "exactly one event");
        } else {
            assert_eq!(body["type"], "urn:lajna:problem:forbidden");
            assert_eq!(app.snapshot().await, before, "{user}: a refusal wrote something");
        }
    }
}

#[tokio::test]
async fn an_action_owner_reports_progress_only_on_its_party_actions() {
    let app = TestApp::spawn().await;
    app.node.put_user("mli-owner", "MLI", "action-owner", None, &app.password).await.unwrap();
    let mli = open_action(&app, "MLI").await;
    let mar = open_action(&app, "MAR").await;
    let body = json!({"status": "delayed", "reason": {"fr": "Formateurs indisponibles"}});
    let (status, _) = patch(&app, "mli-owner", mli["id"].as_str().unwrap(), body, true).await;
    assert_eq!(status, 200);
    let (status, _) = patch(&app, "mli-owner", mar["id"].as_str().unwrap(), json!({"status": "delayed"}), true).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_write_without_the_csrf_token_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let mar = open_action(&app, "MAR").await;
    let before = app.snapshot().await;
    let (status, body) =
        patch(&app, "mar-secretary", mar["id"].as_str().unwrap(), json!({"progress": 61}), false).await;
    assert_eq!(status, 403);
    assert_eq!(body["type"], "urn:lajna:problem:csrf");
    assert_eq!(app.snapshot().await, before);
    // A forged form post from another page: no token, refused too.
    let res = app
        .client
        .post(app.url(&format!("/fr/actions/{}/progress", mar["id"].as_str().unwrap())))
        .form(&[("progress", "61"), ("status", "in_progress")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn progress_140_is_a_422_with_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let mar = open_action(&app, "MAR").await;
    let before = app.snapshot().await;
    let (status, body) =
        patch(&app, "mar-secretary", mar["id"].as_str().unwrap(), json!({"progress": 140}), true).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["type"], "urn:lajna:problem:progress-out-of-range");
    assert_eq!(body["errors"][0]["field"], "progress");
    let (status, body) =
        patch(&app, "mar-secretary", mar["id"].as_str().unwrap(), json!({"status": "finished"}), true).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["field"], "status");
    // Done with a progress below 100 breaks a domain rule.
    let (status, body) =
        patch(&app, "mar-secretary", mar["id"].as_str().unwrap(), json!({"status": "done", "progress": 50}), true)
            .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn the_html_form_refuses_140_next_to_the_field_keeping_what_was_typed() {
    let app = TestApp::spawn().await;
    let mar = open_action(&app, "MAR").await;
    let id = mar["id"].as_str().unwrap();
    let (client, csrf) = app.login("mar-secretary").await;
    let before = app.snapshot().await;
    let res = client
        .post(app.url(&format!("/fr/actions/{id}/progress")))
        .form(&[("csrf", csrf.as_str()), ("status", "in_progress"), ("progress", "١٤٠")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="progress-error""#) && html.contains("entre 0 et 100"), "no field error");
    assert!(html.contains(r#"value="١٤٠""#), "the typed value was not kept");
    assert_eq!(app.snapshot().await, before);
    // Arabic-Indic digits are accepted (case C03): ٧٥ is stored as the integer 75.
    let res = client
        .post(app.url(&format!("/ar/actions/{id}/progress")))
        .form(&[("csrf", csrf.as_str()), ("status", "in_progress"), ("progress", "٧٥")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/ar/actions/{id}?saved=1").as_str());
    let after: Value =
        client.get(app.url(&format!("/api/v1/actions/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(after["progress"], json!(75));
    let page = client.get(app.url(&format!("/ar/actions/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("تم التصريح بالإنجاز"), "history shows the report");
}

#[tokio::test]
async fn sign_in_is_throttled_after_five_failures_and_says_so() {
    let app = TestApp::spawn().await;
    let client = common::new_client();
    for _ in 0..5 {
        let res = client
            .post(app.url("/api/v1/login"))
            .json(&json!({"username": "mli-viewer", "password": "wrong password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["type"], "urn:lajna:problem:invalid-credentials");
    }
    // Now even the right password is refused for a while, with how long.
    let res = client
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": "mli-viewer", "password": app.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let body: Value = res.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("minutes"));
    // The HTML form says it in the page's language (posted from its page, with its token).
    let page = client.get(app.url("/fr/login")).send().await.unwrap().text().await.unwrap();
    let at = page.find("name=\"login_token\" value=\"").unwrap() + 26;
    let token = &page[at..at + 64];
    let res = client
        .post(app.url("/fr/login"))
        .form(&[("login_token", token), ("username", "mli-viewer"), ("password", app.password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("Réessayez dans"));
    // The address is throttled too, so another user from it waits as well.
    let res = client
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": "nobody", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    // Every sign-in and refusal is in the audit trail.
    let trail = app.node.store().audit_trail(100).await.unwrap();
    assert!(
        trail.iter().any(|l| l.username == "mli-viewer" && l.action == "sign-in-refused" && l.detail == "throttled")
    );
}

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let client = common::new_client();
    let mut bodies = vec![];
    for user in ["nobody", "mar-viewer"] {
        let res = client
            .post(app.url("/api/v1/login"))
            .json(&json!({"username": user, "password": "not it at all"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        bodies.push(res.text().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn cookies_are_http_only_and_same_site_strict() {
    let app = TestApp::spawn().await;
    let res = common::new_client()
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": "mar-viewer", "password": app.password}))
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let (client, csrf) = app.login("mar-viewer").await;
    let res = client.post(app.url("/fr/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let res = client.get(app.url("/api/v1/actions")).send().await.unwrap();
    assert_eq!(res.status(), 401);
}
