//! The committee's cycle (issue 13): a decision's page and the follow-up actions carrying it
//! out (form prefilled from the decision, shown on the decision page, the action page and in
//! the follow-up matrix with the decision's reference); actions kept inside their roadmap's
//! period; a stated reason for delayed, blocked and cancelled actions.

use lajna_domain::records::{Action, Area, Roadmap};
use lajna_domain::{Lang, RecordKind, reference};
use lajna_web::i18n::{Arg, Catalog};
use serde_json::{Value, json};

use crate::common::{self, TestApp};

type Pairs = Vec<(String, String)>;

fn pairs(items: &[(&str, &str)]) -> Pairs {
    items.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
}

async fn post(app: &TestApp, path: &str, form: &Pairs) -> (u16, String, String) {
    let res = app.client.post(app.url(path)).form(form).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

/// The demo decision with reference `D-2025/1-1` (adopted by both parties).
async fn first_decision(app: &TestApp) -> String {
    app.node.with_state(|s| reference::decision_by_reference(s, "D-2025/1-1")).await.expect("a demo decision")
}

async fn roadmap_and_area(app: &TestApp) -> (String, String) {
    app.node
        .with_state(|s| {
            let roadmap = s.all::<Roadmap>(RecordKind::Roadmap)[0].0.clone();
            let mut areas = s.all::<Area>(RecordKind::Area);
            areas.sort_by_key(|(_, a)| a.ordinal);
            (roadmap, areas[0].0.clone())
        })
        .await
}

fn action_form(app: &TestApp, roadmap: &str, area: &str, decision: &str, start: &str, due: &str) -> Pairs {
    pairs(&[
        ("csrf", &app.csrf),
        ("roadmap", roadmap),
        ("area", area),
        ("title.fr", "Suivre la feuille de route adoptée"),
        ("owner", "MAR"),
        ("unit.fr", "Secrétariat permanent"),
        ("lead", ""),
        ("decision", decision),
        ("start", start),
        ("due", due),
        ("status", "planned"),
        ("progress", "0"),
    ])
}

#[tokio::test]
async fn a_secretary_follows_a_decision_to_a_new_action_shown_on_the_decision_page_and_in_the_matrix() {
    let app = TestApp::spawn().await;
    let decision = first_decision(&app).await;
    let (status, html) = app.get(&format!("/en/decisions/{decision}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"id="decision-reference">D-2025/1-1<"#), "the reference is the title");
    assert!(html.contains("Adopt the 2025–2026 roadmap"), "its English text");
    assert!(html.contains("Adopter la feuille de route 2025-2026"), "its French text");
    assert!(html.contains(r#"id="decision-session""#), "a link to its session");
    assert!(html.contains("both co-chairs endorsed"), "its adoption");
    assert!(html.contains("No action carries out this decision yet."));
    let link = format!("/en/new/action?decision={decision}");
    assert!(html.contains(&format!(r#"href="{link}""#)), "the follow-up link");

    // The form comes prefilled with the decision.
    let (status, form_html) = app.get(&link).await;
    assert_eq!(status, 200);
    assert!(form_html.contains(&format!(r#"<option value="{decision}" selected>D-2025/1-1"#)), "decision preselected");
    let (roadmap, area) = roadmap_and_area(&app).await;
    let before = app.snapshot().await.0;
    let form = action_form(&app, &roadmap, &area, &decision, "2025-04-01", "2025-12-31");
    let (status, location, body) = post(&app, "/en/new/action", &form).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(app.snapshot().await.0, before + 1);
    let id = location.strip_prefix("/en/actions/").and_then(|l| l.strip_suffix("?saved=1")).unwrap().to_string();
    let a: Action = app.node.with_state(|s| s.get(RecordKind::Action, &id)).await.unwrap();
    assert_eq!(a.decision.as_deref(), Some(decision.as_str()));
    // The API shows the link and the reference too.
    let api: serde_json::Value =
        app.client.get(app.url(&format!("/api/v1/actions/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(api["decision"], decision.as_str());
    assert_eq!(api["decision_reference"], "D-2025/1-1");

    // The action page links its decision; the decision page lists the action.
    let (_, page) = app.get(&location).await;
    assert!(page.contains(&format!(r#"href="/en/decisions/{decision}" id="action-decision" dir="ltr">D-2025/1-1<"#)));
    let (_, html) = app.get(&format!("/en/decisions/{decision}")).await;
    let row = html
        .split(&format!(r#"id="action-{id}""#))
        .nth(1)
        .expect("the action is listed")
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        row.contains("Suivre la feuille de route adoptée") && row.contains("Planned") && row.contains("2025-12-31")
    );

    // The matrix carries the decision's reference in its own column, in each language (fields
    // separated as the language's spreadsheets expect: `;` in French and Arabic).
    for (lang, header, sep) in [("en", "Decision", ','), ("fr", "Décision", ';'), ("ar", "القرار", ';')] {
        let res = app.client.get(app.url(&format!("/{lang}/roadmap/matrix.csv"))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let text = String::from_utf8(res.bytes().await.unwrap()[3..].to_vec()).unwrap();
        let column = text.lines().next().unwrap().split(sep).position(|h| h == header);
        assert_eq!(column, Some(15), "{lang}: {}", text.lines().next().unwrap());
        let line = text.lines().find(|l| l.starts_with(&id)).expect("the action's row");
        assert_eq!(line.split(sep).nth(15), Some("D-2025/1-1"), "{lang}: {line}");
    }
}

#[tokio::test]
async fn an_action_outside_its_roadmap_period_is_refused_over_the_form_and_the_api_naming_the_period() {
    let app = TestApp::spawn().await;
    let decision = first_decision(&app).await;
    let (roadmap, area) = roadmap_and_area(&app).await;
    let before = app.snapshot().await;
    let form = action_form(&app, &roadmap, &area, &decision, "2025-04-01", "2026-06-30");
    let (status, _, html) = post(&app, "/en/new/action", &form).await;
    assert_eq!(status, 422);
    assert!(html.contains("outside its roadmap"), "the refusal is shown");
    for date in ["2025-04-01", "2026-06-30", "2025-03-01", "2026-02-28"] {
        assert!(html.contains(date), "{date} is named");
    }
    assert_eq!(app.snapshot().await, before, "nothing written");

    // Over the API: the roadmap's period was shortened; an action now past its end cannot be
    // reported on until its dates are brought inside.
    let (roadmap_id, _) = roadmap_and_area(&app).await;
    let mut set = serde_json::Map::new();
    set.insert("end".into(), json!("2025-11-30"));
    let revise = lajna_domain::Command::Revise { kind: RecordKind::Roadmap, id: roadmap_id, set };
    let mar = lajna_domain::Actor { party: lajna_domain::PartyCode::parse("MAR").unwrap(), member: None };
    app.node.execute(&mar, &revise).await.unwrap();
    let actions: Vec<Value> = app.client.get(app.url("/api/v1/actions")).send().await.unwrap().json().await.unwrap();
    let late = actions
        .iter()
        .find(|a| a["owner_party"] == "MAR" && a["due"].as_str().unwrap() > "2025-11-30")
        .expect("a MAR action due after November");
    let before = app.snapshot().await;
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/actions/{}", late["id"].as_str().unwrap())))
        .header("X-CSRF-Token", &app.csrf)
        .json(&json!({"progress": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let problem: Value = res.json().await.unwrap();
    let text = problem.to_string();
    assert!(
        text.contains("outside its roadmap") && text.contains("2025-03-01") && text.contains("2025-11-30"),
        "{text}"
    );
    assert_eq!(app.snapshot().await, before, "nothing written");
}

#[tokio::test]
async fn a_delayed_status_without_a_reason_is_refused_and_accepted_with_one() {
    let app = TestApp::spawn().await;
    let actions: Vec<Value> = app.client.get(app.url("/api/v1/actions")).send().await.unwrap().json().await.unwrap();
    let open: Vec<&str> = actions
        .iter()
        .filter(|a| a["owner_party"] == "MAR" && a["status"] == "in_progress")
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    let (web_id, api_id) = (open[0], open[1]);

    // The form on the action page.
    let before = app.snapshot().await;
    let form = pairs(&[("csrf", &app.csrf), ("status", "delayed"), ("progress", "40"), ("reason", " ")]);
    let (status, _, html) = post(&app, &format!("/en/actions/{web_id}/progress"), &form).await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="reason-error""#) && html.contains("State why the action is"), "beside the reason");
    assert_eq!(app.snapshot().await, before, "nothing written");
    let form =
        pairs(&[("csrf", &app.csrf), ("status", "delayed"), ("progress", "40"), ("reason", "Trainers unavailable")]);
    let (status, _, _) = post(&app, &format!("/en/actions/{web_id}/progress"), &form).await;
    assert_eq!(status, 303);
    assert_eq!(app.snapshot().await.0, before.0 + 1);
    let (_, page) = app.get(&format!("/en/actions/{web_id}")).await;
    assert!(page.contains(r#"id="action-reason""#) && page.contains("Trainers unavailable"));

    // The API.
    let before = app.snapshot().await;
    let patch = |body: Value| {
        app.client
            .patch(app.url(&format!("/api/v1/actions/{api_id}")))
            .header("X-CSRF-Token", &app.csrf)
            .json(&body)
            .send()
    };
    let res = patch(json!({"status": "blocked"})).await.unwrap();
    assert_eq!(res.status(), 422);
    let problem: Value = res.json().await.unwrap();
    assert!(problem.to_string().contains("reason"), "{problem}");
    assert_eq!(app.snapshot().await, before, "nothing written");
    let res = patch(json!({"status": "blocked", "reason": {"fr": "Matériel non livré"}})).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(app.snapshot().await.0, before.0 + 1);
    let a: Action = app.node.with_state(|s| s.get(RecordKind::Action, api_id)).await.unwrap();
    assert_eq!(a.reason.and_then(|r| r.fr).as_deref(), Some("Matériel non livré"));
}

/// Issue 13 item 7: a done report carries the date the action was completed (the form's
/// default: the node's today), the "done over time" chart counts that date, and times on the
/// pages are the viewer's wall-clock time in their own zone.
#[tokio::test]
async fn a_done_report_is_dated_by_its_completion_date_and_times_show_in_the_viewers_zone() {
    let app = TestApp::spawn().await;
    let actions: Vec<Value> = app.client.get(app.url("/api/v1/actions")).send().await.unwrap().json().await.unwrap();
    let open: Vec<&str> = actions
        .iter()
        .filter(|a| a["owner_party"] == "MAR" && a["status"] == "in_progress")
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    let (web_id, api_id) = (open[0], open[1]);
    let action = |id: &str| {
        let id = id.to_string();
        let node = app.node.clone();
        async move { node.with_state(move |s| s.get::<Action>(RecordKind::Action, &id)).await.unwrap() }
    };

    // A completion date with another status: refused beside the field, nothing written.
    let before = app.snapshot().await;
    let form =
        pairs(&[("csrf", &app.csrf), ("status", "in_progress"), ("progress", "60"), ("completed", "2025-09-01")]);
    let (status, _, html) = post(&app, &format!("/fr/actions/{web_id}/progress"), &form).await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="completed-error""#), "the refusal is beside the date");
    assert_eq!(app.snapshot().await, before, "nothing written");

    // Done with the date left blank: dated today (the node's date).
    let form = pairs(&[("csrf", &app.csrf), ("status", "done"), ("progress", ""), ("completed", "")]);
    let (status, _, _) = post(&app, &format!("/fr/actions/{web_id}/progress"), &form).await;
    assert_eq!(status, 303);
    let today = app.node.today();
    assert_eq!(action(web_id).await.completed, Some(today));

    // The API with a stated date; it is returned with the action.
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/actions/{api_id}")))
        .header("X-CSRF-Token", &app.csrf)
        .json(&json!({"status": "done", "completed": "2025-09-15"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["status"].as_str(), body["completed"].as_str()), (Some("done"), Some("2025-09-15")));
    let stated = action(api_id).await;
    assert_eq!(stated.completed, Some(jiff::civil::date(2025, 9, 15)));

    // The chart's dates are the declared ones, not the days the reports were recorded.
    let dates = app
        .node
        .with_state(|s| {
            let done: Vec<(String, Action)> = [web_id, api_id]
                .iter()
                .map(|id| ((*id).to_string(), s.get::<Action>(RecordKind::Action, id).unwrap()))
                .collect();
            lajna_outputs::charts::done_dates(s, &done)
        })
        .await;
    assert_eq!(dates, vec![today, jiff::civil::date(2025, 9, 15)]);

    // Times in the viewer's zone: the action's history shows the report's instant in
    // Africa/Casablanca once the user's zone says so, with the UTC instant kept in `datetime`.
    let (_, page) = app.get(&format!("/fr/actions/{api_id}")).await;
    // The last instant shown (history runs oldest first): the report just made.
    let end = page.rfind(r#"" dir="ltr" title="UTC">"#).expect("an instant shown in UTC");
    let at = page[..end].rsplit('"').next().unwrap().to_string();
    let instant: jiff::Timestamp = at.parse().expect("the newest history line's instant");
    let utc = instant.to_zoned_datetime(jiff::tz::TimeZone::UTC).strftime("%Y-%m-%d %H:%M").to_string();
    assert!(page.contains(&format!(r#"title="UTC">{utc}</time>"#)), "UTC before a zone is set");
    // Riyadh: UTC+3 all year (no daylight saving), so the test tells the two apart any day.
    let zone = "Asia/Riyadh";
    assert!(
        app.node.set_contact("mar-secretary", lajna_domain::Lang::Fr, zone, "", &Default::default()).await.unwrap()
    );
    let local =
        instant.to_zoned_datetime(lajna_domain::tzdb().get(zone).unwrap()).strftime("%Y-%m-%d %H:%M").to_string();
    assert_eq!(instant.to_zoned_datetime(lajna_domain::tzdb().get(zone).unwrap()).offset().seconds(), 3 * 3600);
    let (_, page) = app.get(&format!("/fr/actions/{api_id}")).await;
    assert!(page.contains(&format!(r#"<time datetime="{at}" dir="ltr" title="{zone}">{local}</time>"#)), "{local}");
    // Casablanca: pages read the bundled tz database, as the scheduler does, never the host's
    // zoneinfo (which, on a machine whose copy predates Morocco's 2026 change, is an hour off).
    let zone = "Africa/Casablanca";
    assert!(
        app.node.set_contact("mar-secretary", lajna_domain::Lang::Fr, zone, "", &Default::default()).await.unwrap()
    );
    let session = app.node.sign_in("mar-secretary", &app.password, "127.0.0.1").await.unwrap();
    let signed_in = app.node.signed_in(&session.token).await.unwrap().unwrap();
    let bundled = lajna_domain::tzdb().get(zone).unwrap();
    let instants = ["2026-03-01T12:00:00Z", "2026-06-01T12:00:00Z", "2026-12-01T12:00:00Z", "2027-06-01T12:00:00Z"];
    for t in instants.map(|t| t.parse::<jiff::Timestamp>().unwrap()) {
        assert_eq!(signed_in.zone.to_offset(t), bundled.to_offset(t), "{t}");
    }
    let local = instant.to_zoned_datetime(bundled).strftime("%Y-%m-%d %H:%M").to_string();
    let (_, page) = app.get(&format!("/fr/actions/{api_id}")).await;
    assert!(page.contains(&format!(r#"<time datetime="{at}" dir="ltr" title="{zone}">{local}</time>"#)), "{local}");
}

/// Issue 17 items 3 and 4: the progress form's completion date is typed day first in French
/// and Arabic (a text input with the format as placeholder, never the browser's date picker),
/// ISO in English; an impossible day is refused in the page's language beside the field, which
/// is the one input focused when the page opens; the date as typed is the one stored.
#[tokio::test]
async fn the_completion_date_is_typed_as_the_reader_writes_it_and_a_refused_one_is_focused() {
    let app = TestApp::spawn().await;
    let actions: Vec<Value> = app.client.get(app.url("/api/v1/actions")).send().await.unwrap().json().await.unwrap();
    let id = actions.iter().find(|a| a["owner_party"] == "MAR" && a["status"] == "in_progress").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, html) = app.get(&format!("/fr/actions/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"<input type="text" name="completed" value="" dir="ltr" size="12" placeholder="jj/mm/aaaa""#),
        "{html}"
    );
    assert!(!html.contains("autofocus"), "nothing focused on a page without error");

    let before = app.snapshot().await;
    let form = pairs(&[("csrf", &app.csrf), ("status", "done"), ("progress", "100"), ("completed", "31/02/2026")]);
    let (status, _, html) = post(&app, &format!("/fr/actions/{id}/progress"), &form).await;
    assert_eq!(status, 422);
    let message = Catalog::load()
        .get(Lang::Fr, "error-not-a-day", &[("value", Arg::Text("31/02/2026".into()))])
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(common::plain(&html).contains(&message), "{html}");
    assert_eq!(html.matches("autofocus").count(), 1);
    assert!(
        html.contains(r#"value="31/02/2026" dir="ltr" size="12" placeholder="jj/mm/aaaa""#)
            && html.contains(r#"aria-invalid="true" aria-describedby="completed-error" autofocus>"#),
        "the refused date is kept, described by its error and focused: {html}"
    );
    assert_eq!(app.snapshot().await, before, "nothing written");

    let form = pairs(&[("csrf", &app.csrf), ("status", "done"), ("progress", "100"), ("completed", "١٥/٠٩/٢٠٢٥")]);
    let (status, _, _) = post(&app, &format!("/fr/actions/{id}/progress"), &form).await;
    assert_eq!(status, 303);
    let key = id.clone();
    let a: Action = app.node.with_state(move |s| s.get(RecordKind::Action, &key)).await.unwrap();
    assert_eq!(a.completed, Some(jiff::civil::date(2025, 9, 15)));
    for (lang, shown) in [("fr", "15/09/2025"), ("ar", "15/09/2025"), ("en", "2025-09-15")] {
        let (_, html) = app.get(&format!("/{lang}/actions/{id}")).await;
        assert!(html.contains(&format!(r#"name="completed" value="{shown}""#)), "{lang}");
    }
}
