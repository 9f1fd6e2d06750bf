//! Calendar feeds over HTTP with the real server: a signed-in user creates a feed URL, a client
//! without any cookie fetches the demo committee's calendar with it, and once revoked (or once
//! its user is disabled) the URL answers a 404 problem.

use crate::common;

use common::{TestApp, new_client};

/// Unfolds iCalendar content lines (RFC 5545 §3.1).
fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "")
}

/// The feed URL shown once on the page after creating a feed.
fn shown_url(html: &str) -> String {
    let start = html.find(r#"id="feed-url""#).expect("the new feed's URL is shown");
    let value = &html[start..];
    let value = &value[value.find(r#"value=""#).unwrap() + 7..];
    value[..value.find('"').unwrap()].replace("&amp;", "&").replace("&#x3d;", "=").replace("&#61;", "=")
}

async fn post_form(client: &reqwest::Client, url: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let res = client.post(url).form(fields).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

async fn fetch(url: &str) -> (u16, String, String) {
    let res = new_client().get(url).send().await.unwrap();
    let status = res.status().as_u16();
    let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, res.text().await.unwrap())
}

#[tokio::test]
async fn a_feed_url_serves_the_calendar_without_a_cookie_until_it_is_revoked() {
    let app = TestApp::spawn().await;
    let before = app.snapshot().await;

    let (status, page) = app.get("/fr/calendar").await;
    assert_eq!(status, 200);
    assert!(page.contains("Flux de calendrier") && page.contains("Vous n&#39;avez encore aucun flux"), "{page}");
    let (_, missions) = app.get("/fr/missions").await;
    assert!(missions.contains(r#"<a href="/fr/calendar" id="calendar-link">S&#39;abonner au calendrier</a>"#));

    // Creating a feed needs the session's CSRF token.
    let (status, _, _) = post_form(&app.client, &app.url("/fr/calendar"), &[("csrf", "wrong")]).await;
    assert_eq!(status, 403);
    let (status, _, html) = post_form(&app.client, &app.url("/fr/calendar"), &[("csrf", &app.csrf)]).await;
    assert_eq!(status, 200, "{html}");
    let url = shown_url(&html);
    let prefix = app.url("/calendar/");
    assert!(url.starts_with(&prefix) && url.ends_with(".ics?lang=fr"), "{url}");
    let token = &url[prefix.len()..url.len() - ".ics?lang=fr".len()];
    assert_eq!(token.len(), 64, "{url}");
    assert!(html.contains(r#"id="feed-1""#), "{html}");
    // The secret is shown once: the page itself no longer holds it.
    let (_, again) = app.get("/fr/calendar").await;
    assert!(!again.contains(token) && again.contains(r#"id="feed-1""#));

    // A calendar client: no cookie.
    let (status, kind, ics) = fetch(&url).await;
    assert_eq!(status, 200, "{ics}");
    assert_eq!(kind, "text/calendar; charset=utf-8");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    let text = unfold(&ics);
    // The demo mission, all day, 17 to 19 February 2025 (DTEND exclusive), in French.
    assert!(text.contains("SUMMARY;LANGUAGE=fr:Visite de la délégation militaire marocaine de haut niveau au Mali"));
    assert!(text.contains("DTSTART;VALUE=DATE:20250217\r\n") && text.contains("DTEND;VALUE=DATE:20250220\r\n"));
    // Its programme item 09:00–13:00 in Bamako (+00), and session 2 at 10:00 in Rabat (+01).
    assert!(text.contains("DTSTART:20250218T090000Z\r\n") && text.contains("DTEND:20250218T130000Z\r\n"));
    assert!(text.contains("DTSTART:20251118T090000Z\r\n"), "{text}");
    assert!(text.contains(r"Séance d'ouverture (heure locale): 2025-11-18 10:00 (Africa/Casablanca)"));
    assert!(!text.contains("TZID"));
    let (_, _, ar) = fetch(&url.replace("lang=fr", "lang=ar")).await;
    assert!(unfold(&ar).contains("SUMMARY;LANGUAGE=ar:زيارة الوفد العسكري المغربي رفيع المستوى إلى مالي"));

    // Another user cannot revoke it.
    let (viewer, viewer_csrf) = app.login("mar-viewer").await;
    let (status, _, _) = post_form(&viewer, &app.url("/fr/calendar/1/revoke"), &[("csrf", &viewer_csrf)]).await;
    assert_eq!(status, 404);
    assert_eq!(fetch(&url).await.0, 200);

    // Its owner revokes it (with the CSRF token): the URL is a 404 problem from then on.
    let (status, _, _) = post_form(&app.client, &app.url("/fr/calendar/1/revoke"), &[("csrf", "")]).await;
    assert_eq!(status, 403);
    let (status, location, _) = post_form(&app.client, &app.url("/fr/calendar/1/revoke"), &[("csrf", &app.csrf)]).await;
    assert_eq!((status, location.as_str()), (303, "/fr/calendar?revoked=1"));
    let (status, kind, body) = fetch(&url).await;
    assert_eq!((status, kind.as_str()), (404, "application/problem+json"), "{body}");
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["code"], "feed-not-found");
    assert_eq!(problem["status"], 404);
    let (_, page) = app.get("/en/calendar").await;
    assert!(page.contains("Revoked") && !page.contains(">Revoke</button>"), "{page}");
    // Revoking twice finds nothing to revoke.
    let (status, _, _) = post_form(&app.client, &app.url("/fr/calendar/1/revoke"), &[("csrf", &app.csrf)]).await;
    assert_eq!(status, 404);

    // Feeds are node-local rows: the record is unchanged.
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn unknown_tokens_disabled_users_and_signed_out_visitors_get_no_calendar() {
    let app = TestApp::spawn().await;
    for path in [
        format!("/calendar/{}.ics", "0".repeat(64)),
        "/calendar/not-a-token.ics".to_string(),
        format!("/calendar/{}", "a".repeat(64)),
    ] {
        let (status, kind, _) = fetch(&app.url(&path)).await;
        assert_eq!((status, kind.as_str()), (404, "application/problem+json"), "{path}");
    }

    let feed = app.node.create_feed("mli-viewer", "test").await.unwrap();
    let url = app.url(&lajna_node::feeds::feed_path(&feed.token));
    let (status, _, ics) = fetch(&url).await;
    assert_eq!(status, 200);
    // The node's default language when none is asked.
    let lang = app.node.config.default_language.code();
    assert!(unfold(&ics).contains(&format!("SUMMARY;LANGUAGE={lang}:")), "{ics}");
    app.node.disable_user("mli-viewer").await.unwrap();
    assert_eq!(fetch(&url).await.0, 404);

    let res = new_client().get(app.url("/fr/calendar")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/fr/login?next=/fr/calendar");
}
