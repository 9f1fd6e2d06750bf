//! "What changed since" and the dashboard "as of" a past date (issue 13 item 6), over the real
//! server and the demo committee. The comparison itself is pinned against a hand-computed
//! fixture in `lajna-views` (`changes::tests`); here: the pages, their defaults, the viewer's
//! markings and the translated texts.

use crate::common::TestApp;

/// The `data-id`s of the list `id` of the changes page, in page order.
fn list_ids(html: &str, id: &str) -> Vec<String> {
    let Some(start) = html.find(&format!(r#"id="{id}""#)) else { return vec![] };
    let list = &html[start..html[start..].find("</ul>").map_or(html.len(), |end| start + end)];
    list.split(r#"data-id=""#).skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_changes_page_compares_the_last_session_with_today_and_any_two_dates() {
    let app = TestApp::spawn().await;
    let actions =
        app.node.read_all().await.all::<lajna_domain::records::Action>(lajna_domain::RecordKind::Action).len();
    // By default: from the end of the last session held before the reference date (2025-10-01)
    // to today. The demo's events were written now (after its fixed reference date), so at
    // the last session's end the log held nothing yet: every action is new since.
    let (status, html) = app.get("/fr/changes").await;
    assert_eq!(status, 200);
    assert!(html.contains("Ce qui a changé"), "{html}");
    assert!(html.contains(r#"data-to="2025-10-01""#), "to is the reference date");
    assert_eq!(list_ids(&html, "changes-created").len(), actions);
    // The same day on both sides: nothing changed.
    let (_, same) = app.get("/fr/changes?from=2025-10-01&to=2025-10-01").await;
    assert!(list_ids(&same, "changes-created").is_empty());
    assert!(same.contains("Aucun changement."));
    // A date that does not read is the default; a `to` after today is today.
    let (status, odd) = app.get("/ar/changes?from=yesterday&to=2999-01-01").await;
    assert_eq!(status, 200);
    assert!(odd.contains(r#"data-to="2025-10-01""#));
    assert!(odd.contains("ما الذي تغيّر"));
}

#[tokio::test]
async fn the_dashboard_as_of_a_past_date_is_rebuilt_from_the_log() {
    let app = TestApp::spawn().await;
    let (_, now) = app.get("/fr/").await;
    assert!(!now.contains(r#"id="as-of""#));
    // Before any event was written the record was empty: no action, and the page says which
    // date it shows with a way back.
    let (status, past) = app.get("/fr/?as_of=2025-01-01").await;
    assert_eq!(status, 200);
    assert!(past.contains(r#"id="as-of" data-date="2025-01-01""#), "{past}");
    assert!(past.contains("Revenir à aujourd&#39;hui") || past.contains("Revenir à aujourd'hui"));
    let rows = |html: &str| html.matches(r#"<tr id="action-"#).count();
    assert_eq!(
        rows(&now),
        app.node.read_all().await.all::<lajna_domain::records::Action>(lajna_domain::RecordKind::Action).len()
    );
    assert_eq!(rows(&past), 0, "no action existed then");
    // An unreadable or future date is today's dashboard.
    let (_, odd) = app.get("/fr/?as_of=demain").await;
    assert!(!odd.contains(r#"id="as-of""#));
}
