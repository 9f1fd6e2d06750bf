//! Case C16 (issue 16 item 2, "sessions end when they should"), against the real server:
//! `mli-cochair` signed in on two browsers (the HTML form) and through the API; after each
//! change of its password, role, clearance, and finally its disabling, the next request of
//! every one of those sessions is refused — a page sends to the sign-in page, the API answers a
//! 401 problem document — and nothing is written.

use crate::common;
use common::TestApp;
use serde_json::{Value, json};

const USER: &str = "mli-cochair";

/// The value of the first `<input … name="NAME" value="…">` of a page.
fn hidden(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!(r#"name="{name}" value=""#))? + name.len() + 15;
    Some(html[start..start + html[start..].find('"')?].to_string())
}

/// A browser signed in as [`USER`] through the French sign-in form, and its CSRF token.
async fn browser_sign_in(app: &TestApp, password: &str) -> (reqwest::Client, String) {
    let client = common::new_client();
    let page = client.get(app.url("/fr/login?next=/fr/")).send().await.unwrap().text().await.unwrap();
    let login_token = hidden(&page, "login_token").unwrap_or_default();
    let res = client
        .post(app.url("/fr/login"))
        .form(&[("username", USER), ("password", password), ("next", "/fr/"), ("login_token", &login_token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in through the form");
    assert_eq!(res.headers()["location"], "/fr/");
    let res = client.get(app.url("/fr/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let csrf = hidden(&res.text().await.unwrap(), "csrf").expect("the page's CSRF token");
    (client, csrf)
}

/// An open MLI action.
async fn open_mli_action(app: &TestApp) -> String {
    let list: Vec<Value> = app.client.get(app.url("/api/v1/actions")).send().await.unwrap().json().await.unwrap();
    let action = list.iter().find(|a| a["owner_party"] == "MLI" && a["status"] == "in_progress").expect("open action");
    action["id"].as_str().unwrap().to_string()
}

/// A progress report through the French form: (status, location).
async fn form_progress(app: &TestApp, client: &reqwest::Client, csrf: &str, id: &str, progress: i64) -> (u16, String) {
    let res = client
        .post(app.url(&format!("/fr/actions/{id}/progress")))
        .form(&[("csrf", csrf), ("status", "in_progress"), ("progress", &progress.to_string())])
        .send()
        .await
        .unwrap();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (res.status().as_u16(), location)
}

/// A progress report through the API: (status, content type).
async fn api_progress(app: &TestApp, client: &reqwest::Client, csrf: &str, id: &str, progress: i64) -> (u16, String) {
    let res = client
        .patch(app.url(&format!("/api/v1/actions/{id}")))
        .header("X-CSRF-Token", csrf)
        .json(&json!({"progress": progress}))
        .send()
        .await
        .unwrap();
    let kind = res.headers().get("content-type").map(|c| c.to_str().unwrap().to_string()).unwrap_or_default();
    (res.status().as_u16(), kind)
}

#[tokio::test]
async fn after_each_change_of_password_role_clearance_or_disabling_every_other_session_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let id = open_mli_action(&app).await;
    let mut password = app.password.clone();
    let mut progress = 20;
    for change in ["password", "role", "clearance", "disable"] {
        // Two browsers and the API, each able to write before the change.
        let browsers = [browser_sign_in(&app, &password).await, browser_sign_in(&app, &password).await];
        let (api, api_csrf) = common::login_at(&format!("http://{}", app.addr), USER, &password).await;
        for (client, csrf) in &browsers {
            progress += 1;
            let before = app.snapshot().await;
            let (status, location) = form_progress(&app, client, csrf, &id, progress).await;
            assert_eq!((status, location.as_str()), (303, format!("/fr/actions/{id}?saved=1").as_str()), "{change}");
            assert_eq!(app.snapshot().await.0, before.0 + 1, "{change}: the browser writes before the change");
        }
        progress += 1;
        assert_eq!(api_progress(&app, &api, &api_csrf, &id, progress).await.0, 200, "{change}: the API writes");

        match change {
            "password" => {
                // What `lajna user passwd` does: no session is kept.
                password = "le nouveau mot de passe".into();
                app.node.set_password(USER, &password).await.unwrap();
            }
            "role" => app.node.set_role(USER, "secretary").await.unwrap(),
            "clearance" => app.node.set_clearance(USER, "CONFIDENTIAL").await.unwrap(),
            _ => app.node.disable_user(USER).await.unwrap(),
        }

        let before = app.snapshot().await;
        for (n, (client, csrf)) in browsers.iter().enumerate() {
            let res = client.get(app.url("/fr/")).send().await.unwrap();
            assert_eq!(res.status(), 303, "{change}: browser {n} still sees the dashboard");
            let location = res.headers()["location"].to_str().unwrap();
            assert!(location.starts_with("/fr/login"), "{change}: browser {n} sent to {location}");
            progress += 1;
            let (status, location) = form_progress(&app, client, csrf, &id, progress).await;
            assert_eq!(status, 303, "{change}: browser {n} posted with its old CSRF token");
            assert!(location.starts_with("/fr/login"), "{change}: browser {n}'s post sent to {location}");
            assert_eq!(app.snapshot().await, before, "{change}: browser {n} wrote after the change");
        }
        let res = api.get(app.url("/api/v1/actions")).send().await.unwrap();
        assert_eq!(res.status(), 401, "{change}: the API session lives on");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        progress += 1;
        assert_eq!(
            api_progress(&app, &api, &api_csrf, &id, progress).await,
            (401, "application/problem+json".to_string()),
            "{change}"
        );
        assert_eq!(app.snapshot().await, before, "{change}: the API wrote after the change");
        // Another user's session is not touched.
        let res = app.client.get(app.url("/api/v1/actions")).send().await.unwrap();
        assert_eq!(res.status(), 200, "{change}: mar-secretary's session ended");
    }
    // Disabled: even the right password no longer signs in.
    let res = common::new_client()
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": USER, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn the_old_password_no_longer_signs_in_and_the_new_one_does() {
    let app = TestApp::spawn().await;
    let (api, _) = common::login_at(&format!("http://{}", app.addr), USER, &app.password).await;
    app.node.set_password(USER, "le nouveau mot de passe").await.unwrap();
    assert_eq!(api.get(app.url("/api/v1/actions")).send().await.unwrap().status(), 401);
    let res = common::new_client()
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": USER, "password": app.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let (client, _) = browser_sign_in(&app, "le nouveau mot de passe").await;
    assert_eq!(client.get(app.url("/api/v1/actions")).send().await.unwrap().status(), 200);
}
