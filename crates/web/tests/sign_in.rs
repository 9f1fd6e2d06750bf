//! Sign-in over HTTP with the real server: the rules of `lajna_web::auth` (same-site `next`,
//! cross-site form posts) and two-factor sign-in (issue 16 item 3, `lajna_node::two_factor`)
//! with the node's clock fixed: enrolment from the profile (QR code drawn by the node, secret
//! as text, recovery codes shown once), a password alone refused, the previous step's code
//! accepted and the next one (clock skew), a code of three steps ago and a used code refused, a
//! recovery code working once, and enrolment led to after the password for a role that
//! requires it.

use axum::http::{HeaderMap, HeaderValue};
use jiff::Timestamp;
use lajna_domain::Lang;
use lajna_node::two_factor::code_at;
use lajna_web::auth::{cross_site, safe_next};
use serde_json::{Value, json};

use crate::common::{self, TestApp, get_as, post_with};

#[test]
fn only_same_site_paths_are_followed() {
    for ok in ["/en/", "/fr/actions/abc?saved=1", "/ar/search?q=%C3%A9", "/en/x%2Fy"] {
        assert_eq!(safe_next(ok, Lang::En), ok, "{ok:?}");
    }
    for bad in [
        "",
        "x",
        "//evil.example",
        "/\\evil.example",
        "\\/evil",
        "/\t/evil.example",
        "/%09/evil.example",
        "%2F%2Fevil",
        "/%2F/evil",
        "/%5Cevil",
        "/en/\r\nSet-Cookie: x=1",
        "/en/%0D%0Ax",
        "/en/\u{7f}",
        "/en/%7F",
        "/en/ x",
        "/en/%20x",
        "http://evil.example/",
        "/en/\u{2028}",
    ] {
        assert_eq!(safe_next(bad, Lang::Fr), "/fr/", "{bad:?}");
    }
}

#[test]
fn cross_site_posts_are_recognised() {
    let headers = |pairs: &[(&'static str, &'static str)]| {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    };
    assert!(!cross_site(&headers(&[("host", "127.0.0.1:8080")])));
    assert!(!cross_site(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")])));
    assert!(!cross_site(&headers(&[("host", "lajna.example"), ("origin", "https://lajna.example")])));
    assert!(!cross_site(&headers(&[("host", "x"), ("sec-fetch-site", "same-origin")])));
    assert!(cross_site(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example")])));
    assert!(cross_site(&headers(&[("host", "127.0.0.1:8080"), ("origin", "null")])));
    // What Chromium sends for our own sign-in form under `Referrer-Policy: no-referrer`.
    assert!(!cross_site(&headers(&[("host", "x"), ("origin", "null"), ("sec-fetch-site", "same-origin")])));
    assert!(cross_site(&headers(&[("host", "x"), ("origin", "null"), ("sec-fetch-site", "cross-site")])));
    assert!(cross_site(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:9090")])));
    assert!(cross_site(&headers(&[("host", "x"), ("sec-fetch-site", "cross-site")])));
    assert!(cross_site(&headers(&[("host", "x"), ("sec-fetch-site", "same-site")])));
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    Some(&html[from..from + html[from..].find(end)?])
}

/// Every recovery code a page shows.
fn recovery_codes(html: &str) -> Vec<String> {
    let list = between(html, r#"<ol class="codes" dir="ltr">"#, "</ol>").expect("the recovery codes");
    list.split("<code>").skip(1).map(|c| c[..c.find('<').unwrap()].to_string()).collect()
}

/// A fixed instant, 5 s into a 30-second step, plus `steps` steps.
fn at(steps: i64) -> Timestamp {
    "2026-03-02T10:00:05Z".parse::<Timestamp>().unwrap() + jiff::SignedDuration::from_secs(30 * steps)
}

fn code(secret: &str, steps: i64) -> String {
    code_at(secret, u64::try_from(at(steps).as_second()).unwrap()).unwrap()
}

/// The web sign-in's first step with a new client: (client, status, page).
async fn password_step(app: &TestApp, user: &str, password: &str) -> (reqwest::Client, u16, String) {
    let client = common::new_client();
    let page = client.get(app.url("/en/login?next=/en/my-work")).send().await.unwrap().text().await.unwrap();
    let token = between(&page, r#"name="login_token" value=""#, "\"").unwrap().to_string();
    let form = [("username", user), ("password", password), ("next", "/en/my-work"), ("login_token", &token)];
    let res = client.post(app.url("/en/login")).form(&form).send().await.unwrap();
    let status = res.status().as_u16();
    (client, status, common::plain(&res.text().await.unwrap()))
}

/// The second step with `code`: (status, location, page).
async fn code_step(app: &TestApp, client: &reqwest::Client, page: &str, code: &str) -> (u16, String, String) {
    let token = between(page, r#"name="login_token" value=""#, "\"").unwrap().to_string();
    let form = [("code", code), ("next", "/en/my-work"), ("login_token", &token)];
    let res = client.post(app.url("/en/login/step")).form(&form).send().await.unwrap();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (res.status().as_u16(), location, common::plain(&res.text().await.unwrap()))
}

/// The API sign-in with an optional code: (status, body).
async fn api_sign_in(app: &TestApp, user: &str, code: Option<&str>) -> (u16, Value) {
    let mut body = json!({"username": user, "password": app.password});
    if let Some(c) = code {
        body["code"] = json!(c);
    }
    let res = common::new_client().post(app.url("/api/v1/login")).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    client.get(app.url("/en/my-work")).send().await.unwrap().status() == 200
}

#[tokio::test]
async fn with_two_factor_on_the_password_alone_is_refused_and_codes_of_the_accepted_steps_work_once() {
    let app = TestApp::spawn().await;
    let node = &app.node;
    node.set_clock(Some(at(0)));
    // Enrolment from the profile: the QR code drawn by the node and the secret as text.
    let (status, _, html) = post_with(&app, &app.client, &app.csrf, "/en/profile/totp", &[]).await;
    assert_eq!(status, 200);
    let svg = between(&html, r#"<figure class="qr""#, "</figure>").expect("the QR code");
    assert!(svg.contains("<svg") && svg.contains("<path") && !svg.contains("href"), "drawn here, no remote image");
    let secret = between(&html, r#"<code id="totp-secret" dir="ltr">"#, "<").unwrap().to_string();
    assert_eq!(secret.len(), 32, "160 bits of base32");
    let (_, _, again) = post_with(&app, &app.client, &app.csrf, "/en/profile/totp", &[]).await;
    assert!(again.contains(&secret), "the same secret until it is confirmed");
    let (_, _, html) = post_with(&app, &app.client, &app.csrf, "/en/profile/totp-confirm", &[("code", "000000")]).await;
    assert!(html.contains("Wrong code") && html.contains(&secret), "a wrong first code: the same enrolment again");
    let (status, _, html) =
        post_with(&app, &app.client, &app.csrf, "/en/profile/totp-confirm", &[("code", &code(&secret, 0))]).await;
    assert_eq!(status, 200);
    let codes = recovery_codes(&html);
    assert_eq!(codes.len(), 10, "{html}");
    let (_, profile) = get_as(&app, &app.client, "/en/profile").await;
    assert!(profile.contains("Two-factor sign-in is on") && profile.contains("10 unused recovery codes."));
    assert!(!profile.contains(&codes[0]) && !profile.contains(&secret), "shown once");
    let rows = node.store().totp("mar-secretary").await.unwrap().unwrap();
    assert!(rows.confirmed && rows.secret == secret, "kept in the store");

    // The password alone: the web asks for the code and opens no session; the API refuses.
    node.set_clock(Some(at(2)));
    let (browser, status, page) = password_step(&app, "mar-secretary", &app.password).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"action="/en/login/step""#) && page.contains("6-digit code"), "{page}");
    assert!(!signed_in(&app, &browser).await, "no session before the code");
    let (status, body) = api_sign_in(&app, "mar-secretary", None).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("code-required")));

    // The previous step's code is accepted (the clock is at step 2, the code of step 1).
    let (status, location, _) = code_step(&app, &browser, &page, &code(&secret, 1)).await;
    assert_eq!((status, location.as_str()), (303, "/en/my-work"));
    assert!(signed_in(&app, &browser).await);
    // Used once: the same code again is refused. (Every refusal counts towards the address's
    // limit of 5 failures in 15 minutes: this test makes 4.)
    let (client, _, page) = password_step(&app, "mar-secretary", &app.password).await;
    let (status, _, html) = code_step(&app, &client, &page, &code(&secret, 1)).await;
    assert_eq!(status, 401);
    assert!(html.contains("Wrong code, or a code already used.") && !signed_in(&app, &client).await);

    // At step 6: a code of three steps ago is refused, the current one and the next (a phone's
    // clock ahead by a step) are accepted.
    node.set_clock(Some(at(6)));
    let window: Vec<String> = (5..=7).map(|s| code(&secret, s)).collect();
    assert!(!window.contains(&code(&secret, 3)), "the secret's codes of steps 3 and 5-7 differ");
    let (status, body) = api_sign_in(&app, "mar-secretary", Some(&code(&secret, 3))).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("wrong-code")));
    let (status, body) = api_sign_in(&app, "mar-secretary", Some(&code(&secret, 6))).await;
    assert_eq!((status, body["username"].as_str()), (200, Some("mar-secretary")));
    assert_eq!(api_sign_in(&app, "mar-secretary", Some(&code(&secret, 7))).await.0, 200, "the next step");

    // A recovery code works once (typed in lower case, without its dash).
    let typed = codes[3].to_lowercase().replace('-', "");
    let (client, _, page) = password_step(&app, "mar-secretary", &app.password).await;
    let (status, location, _) = code_step(&app, &client, &page, &typed).await;
    assert_eq!((status, location.as_str()), (303, "/en/my-work"));
    let (client, _, page) = password_step(&app, "mar-secretary", &app.password).await;
    assert_eq!(code_step(&app, &client, &page, &codes[3]).await.0, 401, "used already");
    assert_eq!(api_sign_in(&app, "mar-secretary", Some(&codes[4])).await.0, 200, "another one, through the API");
    let (_, profile) = get_as(&app, &app.client, "/en/profile").await;
    assert!(profile.contains("8 unused recovery codes."));
    let trail = node.store().audit_trail(60).await.unwrap();
    assert!(trail.iter().any(|l| l.action == "sign-in" && l.detail == "recovery code"));
    assert!(trail.iter().any(|l| l.action == "sign-in-refused" && l.detail == "wrong code"));
    assert!(trail.iter().all(|l| !l.detail.contains(&secret)), "the secret is never written out");

    // Turned off with the password; then the password alone signs in again.
    let password: &str = &app.password;
    post_with(&app, &app.client, &app.csrf, "/en/profile/totp-off", &[("current", password)]).await;
    assert_eq!(api_sign_in(&app, "mar-secretary", None).await.0, 200);
}

#[tokio::test]
async fn a_role_that_requires_two_factor_is_led_to_enrolment_after_the_password_in_arabic() {
    let (_dir, served, password) = common::demo_with(|c| c.totp_required_roles = vec!["co-chair".into()]).await;
    let url = |path: &str| format!("{}{path}", served.url);
    served.node.set_clock(Some(at(0)));
    let res = common::new_client()
        .post(url("/api/v1/login"))
        .json(&json!({"username": "mar-cochair", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "the API refuses until enrolment is done on the web");
    let client = common::new_client();
    let page = client.get(url("/ar/login")).send().await.unwrap().text().await.unwrap();
    let token = between(&page, r#"name="login_token" value=""#, "\"").unwrap().to_string();
    let form =
        [("username", "mar-cochair"), ("password", password.as_str()), ("next", "/ar/"), ("login_token", &token)];
    let page = common::plain(&client.post(url("/ar/login")).form(&form).send().await.unwrap().text().await.unwrap());
    assert!(page.contains("دورك يفرض تسجيل الدخول بعاملين") && page.contains("<svg"), "{page}");
    let secret = between(&page, r#"<code id="totp-secret" dir="ltr">"#, "<").unwrap().to_string();
    assert_eq!(client.get(url("/ar/")).send().await.unwrap().status(), 303, "no session yet");
    let first = code(&secret, 0);
    let form = [("code", first.as_str()), ("next", "/ar/"), ("login_token", &token)];
    let res = client.post(url("/ar/login/step")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let page = common::plain(&res.text().await.unwrap());
    assert!(page.contains("الرموز الاحتياطية") && recovery_codes(&page).len() == 10);
    assert_eq!(client.get(url("/ar/")).send().await.unwrap().status(), 200, "signed in");
    let profile = client.get(url("/ar/profile")).send().await.unwrap().text().await.unwrap();
    assert!(!profile.contains(r#"id="totp-off""#), "a required second factor cannot be turned off");
    let res = common::new_client()
        .post(url("/api/v1/login"))
        .json(&json!({"username": "mar-cochair", "password": password, "code": code(&secret, 1)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "then the API with the code");
}

/// `lajna_door::auth::client_address` walks `X-Forwarded-For` from the right and believes only trusted hops.
#[test]
fn the_client_behind_a_trusted_proxy_is_the_right_most_untrusted_hop() {
    let proxies: Vec<ipnet::IpNet> = vec!["127.0.0.1/32".parse().unwrap(), "10.0.0.0/24".parse().unwrap()];
    let peer: std::net::SocketAddr = "127.0.0.1:40000".parse().unwrap();
    let client = |xff: &[&str], from: std::net::SocketAddr| {
        lajna_door::auth::client_address(from, xff.iter().copied(), &proxies).to_string()
    };
    // The visitor nginx saw; what the visitor wrote before it is not believed.
    assert_eq!(client(&["203.0.113.7"], peer), "203.0.113.7:40000");
    assert_eq!(client(&["1.2.3.4, 203.0.113.7"], peer), "203.0.113.7:40000");
    // Two trusted hops (a balancer on 10.0.0.5, then nginx), over two header lines.
    assert_eq!(client(&["1.2.3.4, 203.0.113.7", "10.0.0.5"], peer), "203.0.113.7:40000");
    assert_eq!(client(&[" 2001:db8::1 "], peer), "[2001:db8::1]:40000");
    // Every hop trusted: the left-most; no header: the proxy itself.
    assert_eq!(client(&["10.0.0.9, 10.0.0.5"], peer), "10.0.0.9:40000");
    assert_eq!(client(&[], peer), "127.0.0.1:40000");
    // An entry that is not an address stops at the last trusted hop.
    assert_eq!(client(&["203.0.113.7, unknown"], peer), "127.0.0.1:40000");
    assert_eq!(client(&["203.0.113.7, unknown, 10.0.0.5"], peer), "10.0.0.5:40000");
    // From an untrusted peer the header is ignored: a visitor cannot choose its address.
    let visitor: std::net::SocketAddr = "198.51.100.2:5000".parse().unwrap();
    assert_eq!(client(&["127.0.0.1"], visitor), "198.51.100.2:5000");
    // An IPv4 peer seen on a dual-stack socket is still the trusted 127.0.0.1.
    assert_eq!(client(&["203.0.113.7"], "[::ffff:127.0.0.1]:1".parse().unwrap()), "203.0.113.7:1");
}

/// Behind a proxy (issue 15 item 2; the server on loopback, nginx's `X-Forwarded-For`): five
/// failures from one visitor throttle that visitor only, the audit trail records each visitor's
/// address, and without `trusted_proxies` the header changes nothing.
#[tokio::test]
async fn behind_a_trusted_proxy_sign_in_throttling_and_the_audit_trail_count_each_visitor() {
    let (dir, served, password) =
        common::demo_with(|c| c.trusted_proxies = vec!["127.0.0.1".into(), "::1".into()]).await;
    let data = dir.path().join("data");
    let sign_in = |visitor: &'static str, user: &'static str, password: String| {
        let url = format!("{}/api/v1/login", served.url);
        async move {
            let res = common::new_client()
                .post(url)
                .header("x-forwarded-for", visitor)
                .json(&json!({"username": user, "password": password}))
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        }
    };
    for _ in 0..5 {
        assert_eq!(sign_in("203.0.113.7", "nobody", "wrong".into()).await, 401);
    }
    assert_eq!(sign_in("203.0.113.7", "mar-viewer", password.clone()).await, 429, "that visitor waits");
    assert_eq!(sign_in("198.51.100.2", "mar-viewer", password.clone()).await, 200, "another visitor signs in");
    let trail = served.node.store().audit_trail(100).await.unwrap();
    let addresses = |user: &str| {
        let mut a: Vec<String> = trail
            .iter()
            .filter(|l| l.username == user && l.action.starts_with("sign-in"))
            .map(|l| l.address.clone())
            .collect();
        a.dedup();
        a
    };
    assert_eq!(addresses("nobody"), ["203.0.113.7"]);
    assert_eq!(addresses("mar-viewer"), ["198.51.100.2", "203.0.113.7"], "newest first");
    drop(served);

    // The same server without trusted proxies: the header is a visitor's word, not believed.
    let node = lajna_node::Node::open(&data).await.unwrap();
    let mut config = node.config.clone();
    config.trusted_proxies.clear();
    config.save(&data.join("config.toml")).unwrap();
    drop(node);
    let served = common::serve(lajna_node::Node::open(&data).await.unwrap()).await;
    // Five failures claiming five addresses, each for another user: all are nginx's own
    // 127.0.0.1, which is throttled, so a sixth visitor claiming a sixth address waits too.
    let sign_in = |visitor: String, user: String| {
        let url = format!("{}/api/v1/login", served.url);
        async move {
            let res = common::new_client()
                .post(url)
                .header("x-forwarded-for", visitor)
                .json(&json!({"username": user, "password": "wrong"}))
                .send()
                .await
                .unwrap();
            res.status().as_u16()
        }
    };
    for i in 1..=5 {
        assert_eq!(sign_in(format!("192.0.2.{i}"), format!("visitor-{i}")).await, 401);
    }
    assert_eq!(sign_in("192.0.2.6".into(), "visitor-6".into()).await, 429, "one address for all: throttled");
    let trail = served.node.store().audit_trail(3).await.unwrap();
    assert!(
        trail.iter().all(|l| l.address == "127.0.0.1"),
        "{:?}",
        trail.iter().map(|l| &l.address).collect::<Vec<_>>()
    );
}
