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

/// The value of the input `name` of a form page.
fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!(r#"name="{name}""#))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..at + html[at..].find('>')?];
    if tag.starts_with("<textarea") {
        let body = &html[at..];
        let open = body.find('>')? + 1;
        return Some(body[open..open + body[open..].find("</textarea>")?].to_string());
    }
    tag.split(r#"value=""#).nth(1).map(|v| v.split('"').next().unwrap_or_default().to_string())
}

/// Continuity (issue 13 item 5): a new session's form opens with the next number, the host
/// that did not host the last session, and an agenda whose first item, in each language, is
/// the review of the execution of the last session's decisions.
#[tokio::test]
async fn a_new_session_opens_on_the_execution_of_the_last_one_hosted_by_the_other_party() {
    use lajna_domain::RecordKind;
    use lajna_domain::records::Session;
    let app = TestApp::spawn().await;
    let sessions = app.node.read_all().await.all::<Session>(RecordKind::Session);
    let last = sessions.iter().map(|(_, s)| s).max_by_key(|s| s.number).unwrap();
    let other = if last.host.as_str() == "MAR" { "MLI" } else { "MAR" };
    let (status, html) = app.get("/fr/new/session").await;
    assert_eq!(status, 200);
    assert_eq!(input_value(&html, "number"), Some((last.number + 1).to_string()));
    let host = html.split(r#"name="host""#).nth(1).unwrap();
    let selected = host.split("</select>").next().unwrap();
    assert!(selected.contains(&format!(r#"value="{other}" selected"#)), "{selected}");
    let item = |lang: &str| input_value(&html, &format!("agenda.0.{lang}")).unwrap_or_default();
    assert_eq!(item("fr"), format!("Examen de l&#39;état d&#39;exécution des décisions de la session {}", last.number));
    assert_eq!(item("en"), format!("Review of the execution of the decisions of session {}", last.number));
    assert!(item("ar").starts_with("دراسة حصيلة تنفيذ قرارات الدورة"), "{}", item("ar"));
}
