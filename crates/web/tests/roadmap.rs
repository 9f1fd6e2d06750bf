//! The roadmap, needs and offers, training and record pages over the real server and the demo
//! committee: filters, sorting, pagination, the inline progress form by role and party, the
//! demo rows, and the record's verification states.

use crate::common;
use crate::common::plain;

use std::collections::BTreeSet;

use common::TestApp;
use lajna_domain::records::Action;
use lajna_domain::{Actor, Command, PartyCode, RecordKind};
use serde_json::{Value, json};

/// `/api/v1/actions` as JSON values.
async fn api_actions(app: &TestApp) -> Vec<Value> {
    // One page of up to 500 (the API's largest; its default is 50).
    let res = app.client.get(app.url("/api/v1/actions?limit=500")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Ids of the API actions that satisfy `keep`.
fn ids_where(actions: &[Value], keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    actions.iter().filter(|a| keep(a)).map(|a| a["id"].as_str().unwrap().to_string()).collect()
}

/// The value of every `name="…"` attribute occurrence starting with `prefix`, in page order.
fn attr_values(html: &str, prefix: &str) -> Vec<String> {
    html.split(prefix).skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

/// Action ids of the roadmap rows, in page order.
fn row_ids(html: &str) -> Vec<String> {
    attr_values(html, r#"<tr id="action-"#)
}

fn row_set(html: &str) -> BTreeSet<String> {
    row_ids(html).into_iter().collect()
}

/// Fluent isolates placeables with U+2068 … U+2069; tests compare the plain text.
async fn get_ok(app: &TestApp, path: &str) -> String {
    let (status, html) = app.get(path).await;
    assert_eq!(status, 200, "GET {path}");
    html
}

#[tokio::test]
async fn the_roadmap_lists_every_action_grouped_by_area_with_the_roadmap_state() {
    let app = TestApp::spawn().await;
    let actions = api_actions(&app).await;
    assert_eq!(actions.len(), 13, "the demo has 13 actions");
    let html = get_ok(&app, "/en/roadmap").await;
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#));
    assert_eq!(row_set(&html), ids_where(&actions, |_| true));
    for a in &actions {
        let id = a["id"].as_str().unwrap();
        assert!(html.contains(&format!(r#"href="/en/actions/{id}""#)), "no link to {id}");
    }
    // Every row of one area sits in one table: as many tables as areas holding actions.
    let areas: BTreeSet<&str> = actions.iter().map(|a| a["area"].as_str().unwrap()).collect();
    assert_eq!(html.matches(r#"<table class="roadmap">"#).count(), areas.len());
    assert!(areas.len() <= 5);
    // The roadmap heading: period, adoption state, the illustrative label; dates are LTR.
    assert!(html.contains("Period"), "no period");
    assert!(html.contains("Adopted by both parties") || html.contains("Awaiting endorsement"));
    assert!(html.contains(r#"<span class="ex">example</span>"#));
    assert!(html.contains(r#"<time datetime="2025-08-31" dir="ltr">2025-08-31</time>"#));
    // Days late against the reference date 2025-10-01.
    assert!(plain(&html).contains("31 days late"));
    assert!(plain(&html).contains("13 actions"));
}

#[tokio::test]
async fn filters_by_status_party_overdue_and_area_give_exactly_the_matching_actions() {
    let app = TestApp::spawn().await;
    let actions = api_actions(&app).await;

    let overdue = ids_where(&actions, |a| a["overdue"] == true);
    assert!(!overdue.is_empty(), "the demo has overdue actions");
    let html = get_ok(&app, "/en/roadmap?overdue=1").await;
    assert_eq!(row_set(&html), overdue);
    assert!(html.contains(r#"name="overdue" value="1" checked"#), "the form keeps the filter");

    let statuses: BTreeSet<&str> = actions.iter().map(|a| a["status"].as_str().unwrap()).collect();
    assert!(statuses.len() >= 5, "the demo has every status");
    for status in statuses {
        let html = get_ok(&app, &format!("/en/roadmap?status={status}")).await;
        assert_eq!(row_set(&html), ids_where(&actions, |a| a["status"] == status), "status={status}");
        assert!(html.contains(&format!(r#"<option value="{status}" selected>"#)));
    }

    for party in ["MAR", "MLI"] {
        let html = get_ok(&app, &format!("/en/roadmap?party={party}")).await;
        let expected = ids_where(&actions, |a| a["owner_party"] == party);
        assert!(!expected.is_empty());
        assert_eq!(row_set(&html), expected, "party={party}");
    }

    // Combined filters, and the lower-case party code typed by hand.
    let html = get_ok(&app, "/en/roadmap?party=mar&overdue=1").await;
    assert_eq!(row_set(&html), ids_where(&actions, |a| a["owner_party"] == "MAR" && a["overdue"] == true));

    let area = actions[0]["area"].as_str().unwrap();
    let html = get_ok(&app, &format!("/en/roadmap?area={area}")).await;
    assert_eq!(row_set(&html), ids_where(&actions, |a| a["area"] == area));
    assert_eq!(html.matches(r#"<table class="roadmap">"#).count(), 1);

    // Nothing matches: the empty state, no table.
    let done_and_overdue = get_ok(&app, "/en/roadmap?status=done&overdue=1").await;
    assert!(row_ids(&done_and_overdue).is_empty());
    assert!(done_and_overdue.contains("No action matches these filters."));

    // An unknown value is ignored rather than refused.
    let html = get_ok(&app, "/en/roadmap?party=FRA&status=finished&area=nowhere").await;
    assert_eq!(row_set(&html).len(), actions.len());
}

/// The `data-{name}` values of the rows of each area table, in page order.
fn per_table(html: &str, name: &str) -> Vec<Vec<String>> {
    html.split(r#"<table class="roadmap">"#)
        .skip(1)
        .map(|table| attr_values(table.split("</table>").next().unwrap(), &format!(r#" data-{name}=""#)))
        .collect()
}

#[tokio::test]
async fn sorting_by_due_orders_each_area_ascending_or_descending() {
    let app = TestApp::spawn().await;
    let asc = get_ok(&app, "/en/roadmap?sort=due").await;
    let desc = get_ok(&app, "/en/roadmap?sort=due&dir=desc").await;
    let (asc_tables, desc_tables) = (per_table(&asc, "due"), per_table(&desc, "due"));
    assert_eq!(asc_tables.len(), desc_tables.len());
    assert!(asc_tables.iter().any(|t| t.len() > 1 && t.first() != t.last()), "nothing to sort");
    for (a, d) in asc_tables.iter().zip(&desc_tables) {
        assert!(a.is_sorted(), "ascending: {a:?}");
        let mut reversed = d.clone();
        reversed.reverse();
        assert!(reversed.is_sorted(), "descending: {d:?}");
    }
    // Sorting by status follows the order of the statuses (planned … cancelled).
    let order = ["planned", "in_progress", "done", "delayed", "blocked", "cancelled"];
    let by_status = get_ok(&app, "/en/roadmap?sort=status").await;
    for table in per_table(&by_status, "status") {
        let ranks: Vec<usize> = table.iter().map(|s| order.iter().position(|o| o == s).unwrap()).collect();
        assert!(ranks.is_sorted(), "{table:?}");
    }
    assert!(by_status.contains(r#"<option value="status" selected>"#));
}

#[tokio::test]
async fn past_fifty_actions_the_roadmap_pages_keeping_the_filters() {
    let app = TestApp::spawn().await;
    // 45 copies of a MAR action: 13 + 45 = 58 actions, more than one page.
    let (id, original) = app
        .node
        .store()
        .records(RecordKind::Action.code())
        .await
        .unwrap()
        .into_iter()
        .map(|(id, doc)| (id, serde_json::from_value::<Action>(doc).unwrap()))
        .find(|(_, a)| a.owner.as_str() == "MAR")
        .unwrap();
    let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    for n in 0..45 {
        let mut copy = original.clone();
        copy.title.en = Some(format!("Copy {n:02} of {id}"));
        let ids = app.node.execute(&actor, &Command::PlanAction(copy)).await.unwrap();
        assert_eq!(ids.len(), 1);
    }
    let actions = api_actions(&app).await;
    assert_eq!(actions.len(), 58);

    let first = get_ok(&app, "/en/roadmap").await;
    let second = get_ok(&app, "/en/roadmap?page=2").await;
    assert_eq!(row_ids(&first).len(), 50);
    assert_eq!(row_ids(&second).len(), 8);
    let all: BTreeSet<String> = row_ids(&first).into_iter().chain(row_ids(&second)).collect();
    assert_eq!(all, ids_where(&actions, |_| true), "every action on exactly one page");
    assert!(plain(&first).contains("Page 1 of 2"));
    assert!(plain(&second).contains("Page 2 of 2"));
    assert!(first.contains(r#"<a href="/en/roadmap?page=2" rel="next">"#));
    assert!(second.contains(r#"<a href="/en/roadmap" rel="prev">"#));
    // A page past the end shows the last one.
    assert_eq!(row_ids(&get_ok(&app, "/en/roadmap?page=9").await).len(), 8);

    // With filters, the links keep them (and the language switcher too); askama writes `&` as `&#38;`.
    let mar = ids_where(&actions, |a| a["owner_party"] == "MAR");
    assert!(mar.len() > 50);
    let p1 = get_ok(&app, "/fr/roadmap?party=MAR&sort=due&dir=desc").await;
    assert!(p1.contains(r#"<a href="/fr/roadmap?party=MAR&#38;dir=desc&#38;page=2" rel="next">"#), "next link");
    assert!(p1.contains(r#"href="/ar/roadmap?party=MAR&#38;dir=desc""#), "language switcher keeps filters");
    let p2 = get_ok(&app, "/fr/roadmap?party=MAR&dir=desc&page=2").await;
    assert!(p2.contains(r#"<a href="/fr/roadmap?party=MAR&#38;dir=desc" rel="prev">"#), "prev link");
    assert!(plain(&p2).contains("Page 2 sur 2"));
    let both: BTreeSet<String> = row_ids(&p1).into_iter().chain(row_ids(&p2)).collect();
    assert_eq!(both, mar);
    assert_eq!(row_ids(&p1).len() + row_ids(&p2).len(), mar.len(), "no row on both pages");
}

#[tokio::test]
async fn the_arabic_roadmap_is_right_to_left() {
    let app = TestApp::spawn().await;
    let html = get_ok(&app, "/ar/roadmap").await;
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(html.contains("خارطة الطريق"));
    assert!(html.contains("عوامل التصفية"));
    assert!(html.contains("مثال"));
    assert!(html.contains(r#"<time datetime="2025-08-31" dir="ltr">"#));
    assert!(html.contains("<bdi lang=\"ar\" dir=\"rtl\">"));
}

#[tokio::test]
async fn the_inline_form_appears_only_where_the_user_may_report_progress() {
    let app = TestApp::spawn().await;
    let actions = api_actions(&app).await;
    let html = get_ok(&app, "/en/roadmap").await;
    let forms: BTreeSet<String> = attr_values(&html, r#"id="quick-"#).into_iter().collect();
    assert_eq!(forms, ids_where(&actions, |a| a["owner_party"] == "MAR"), "mar-secretary: MAR actions only");
    for a in actions.iter().filter(|a| a["owner_party"] == "MLI") {
        let id = a["id"].as_str().unwrap();
        assert!(!html.contains(&format!("/en/actions/{id}/progress")), "a form on MLI action {id}");
    }
    assert!(html.contains(&format!(r#"name="csrf" value="{}""#, app.csrf)));

    let (viewer, _) = app.login("mar-viewer").await;
    let seen = viewer.get(app.url("/en/roadmap")).send().await.unwrap().text().await.unwrap();
    assert_eq!(row_ids(&seen).len(), actions.len(), "the viewer reads everything");
    assert!(!seen.contains(r#"class="quick""#), "no form for a viewer");
    assert!(!seen.contains("/progress\""));

    let (mli, _) = app.login("mli-secretary").await;
    let seen = mli.get(app.url("/en/roadmap")).send().await.unwrap().text().await.unwrap();
    let forms: BTreeSet<String> = attr_values(&seen, r#"id="quick-"#).into_iter().collect();
    assert_eq!(forms, ids_where(&actions, |a| a["owner_party"] == "MLI"));
}

#[tokio::test]
async fn the_inline_form_posts_to_the_action_handler_and_is_recorded() {
    let app = TestApp::spawn().await;
    let actions = api_actions(&app).await;
    let a = actions.iter().find(|a| a["owner_party"] == "MAR" && a["status"] == "in_progress").unwrap();
    let id = a["id"].as_str().unwrap();
    let html = get_ok(&app, "/en/roadmap").await;
    let form = html.split(&format!(r#"id="quick-{id}""#)).nth(1).unwrap().split("</form>").next().unwrap();
    assert!(form.contains(r#"<option value="in_progress" selected>"#));
    assert!(html.contains(&format!(r#"action="/en/actions/{id}/progress""#)));
    let before = app.snapshot().await.0;
    let res = app
        .client
        .post(app.url(&format!("/en/actions/{id}/progress")))
        .form(&[
            ("csrf", app.csrf.as_str()),
            ("status", "delayed"),
            ("progress", "65"),
            ("reason", "Trainers unavailable"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(app.snapshot().await.0, before + 1);
    let html = get_ok(&app, "/en/roadmap?status=delayed").await;
    assert!(row_set(&html).contains(id));
    assert!(html.contains(r#"<progress max="100" value="65">"#));
}

#[tokio::test]
async fn the_needs_page_shows_needs_and_offers_and_filters_them() {
    let app = TestApp::spawn().await;
    let html = get_ok(&app, "/en/needs").await;
    for expected in [
        "Officer training seats",
        "Field hospital",
        "Light tactical vehicles",
        "20 seats in Moroccan military schools",
        "Counter-IED experts",
        "High",
        "Partly met",
        "Accepted",
        "Proposed",
        r#"<span class="ex">example</span>"#,
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert_eq!(html.matches(r#"<tr class="need""#).count(), 3);
    assert_eq!(html.matches(r#"<tr class="offer""#).count(), 2);
    // The officer-seats need links to the action that fulfils it.
    let actions = api_actions(&app).await;
    let seats = actions.iter().find(|a| a["title"]["en"] == "Open 20 seats in Moroccan military schools").unwrap();
    assert!(html.contains(&format!(r#"href="/en/actions/{}""#, seats["id"].as_str().unwrap())));

    let mar = get_ok(&app, "/en/needs?party=MAR").await;
    assert_eq!(mar.matches(r#"<tr class="need""#).count(), 0);
    assert!(mar.contains("No need matches these filters."));
    assert_eq!(mar.matches(r#"<tr class="offer" data-party="MAR""#).count(), 2);

    let equipment = get_ok(&app, "/en/needs?category=equipment").await;
    assert_eq!(equipment.matches(r#"<tr class="need" data-party="MLI" data-category="equipment">"#).count(), 2);
    assert!(equipment.contains("No offer matches these filters."));
    assert!(equipment.contains(r#"<option value="equipment" selected>"#));

    let ar = get_ok(&app, "/ar/needs").await;
    assert!(ar.contains(r#"dir="rtl""#) && ar.contains("مستشفى ميداني"));
}

#[tokio::test]
async fn the_training_page_shows_the_programmes_with_seats_dates_and_actions() {
    let app = TestApp::spawn().await;
    let html = get_ok(&app, "/en/training").await;
    for expected in [
        "Officer training course",
        "Royal Military Academy (example)",
        "Combat first aid",
        "Military health service (example)",
        "12 / 20",
        "12 / 12",
        r#"<time datetime="2025-09-15" dir="ltr">2025-09-15</time>"#,
        r#"<time datetime="2026-06-30" dir="ltr">2026-06-30</time>"#,
        "Train 12 Malian officers in combat first aid",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert_eq!(html.matches(r#"<tr class="programme-row" data-host="MAR">"#).count(), 2);
    // Oldest first: the first-aid course (April) before the officer course (September).
    assert!(html.find("Combat first aid").unwrap() < html.find("Officer training course").unwrap());
    let fr = get_ok(&app, "/fr/training").await;
    assert!(fr.contains("Cycle de formation des officiers"));
}

#[tokio::test]
async fn the_record_shows_every_event_verified_newest_first_with_the_count_and_hash() {
    let app = TestApp::spawn().await;
    let (count, hash) = app.snapshot().await;
    let html = get_ok(&app, "/en/record").await;
    assert!(html.contains(&format!(r#"data-count="{count}""#)));
    assert!(plain(&html).contains(&format!("{count} signed events")));
    assert!(html.contains(&hash), "state hash shown");
    assert!(html.contains("Every event verified"));
    let seqs: Vec<i64> = attr_values(&html, r#" data-seq=""#).iter().map(|s| s.parse().unwrap()).collect();
    let shown = usize::try_from(count).unwrap().min(100);
    assert_eq!(seqs.len(), shown);
    assert_eq!(seqs.first(), Some(&count), "newest first");
    assert!(seqs.is_sorted_by(|a, b| a > b));
    assert_eq!(html.matches(r#"class="event check-verified""#).count(), shown);
    assert_eq!(html.matches(">verified</span>").count(), shown);
    assert!(!html.contains("check-failed") && !html.contains("check-not-checked"));
    assert!(html.contains("ledger.genesis") || count > 100);
    let ar = get_ok(&app, "/ar/record").await;
    assert!(ar.contains(r#"dir="rtl""#) && ar.contains("تم التحقق"));
}

#[tokio::test]
async fn the_record_pages_by_a_hundred_events() {
    let app = TestApp::spawn().await;
    let actions = api_actions(&app).await;
    let open = actions.iter().find(|a| a["owner_party"] == "MAR" && a["status"] == "in_progress").unwrap();
    let id = open["id"].as_str().unwrap().to_string();
    // Progress reports until the log holds more than 100 events.
    let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    let mut n = 0;
    while app.snapshot().await.0 <= 100 {
        let progress = lajna_domain::Progress::new(n % 100).unwrap();
        let cmd = Command::ReportProgress {
            completed: None,
            reason: None,
            action: id.clone(),
            status: None,
            progress: Some(progress),
        };
        app.node.execute(&actor, &cmd).await.unwrap();
        n += 1;
    }
    let count = app.snapshot().await.0;
    let first = get_ok(&app, "/en/record").await;
    let second = get_ok(&app, "/en/record?page=2").await;
    let seqs =
        |html: &str| -> Vec<i64> { attr_values(html, r#" data-seq=""#).iter().map(|s| s.parse().unwrap()).collect() };
    assert_eq!(seqs(&first).len(), 100);
    assert_eq!(seqs(&second), (1..=count - 100).rev().collect::<Vec<_>>());
    assert!(first.contains(r#"<a href="/en/record?page=2" rel="next">"#));
    assert!(plain(&second).contains("Page 2 of 2"));
    assert!(!second.contains("check-failed"));
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_unknown_languages_are_404() {
    let app = TestApp::spawn().await;
    let anonymous = common::new_client();
    for page in ["roadmap", "needs", "training", "record"] {
        let res = anonymous.get(app.url(&format!("/fr/{page}"))).send().await.unwrap();
        assert_eq!(res.status(), 303, "{page}");
        assert_eq!(res.headers()["location"], format!("/fr/login?next=/fr/{page}").as_str());
        let (status, _) = app.get(&format!("/xx/{page}")).await;
        assert_eq!(status, 404, "{page}");
    }
}

#[tokio::test]
async fn empty_lists_say_so() {
    let app = TestApp::spawn().await;
    // No need or offer of the demo is in the logistics category.
    let html = get_ok(&app, "/en/needs?party=MLI&category=logistics").await;
    assert!(html.contains(r#"<p class="empty">No need matches these filters.</p>"#));
    assert!(html.contains(r#"<p class="empty">No offer matches these filters.</p>"#));
}

#[tokio::test]
async fn an_altered_event_is_named_failed_with_earlier_events_verified_and_later_ones_not_checked() {
    let app = TestApp::spawn().await;
    let db = app.node.dir.database();
    // The attacker removes the guard, then changes one character of a stored event.
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER events_no_update").execute(&pool).await.unwrap();
    sqlx::query(
        "UPDATE events SET envelope = CAST(replace(CAST(envelope AS TEXT), '\"Bamako\"', '\"Bamaka\"') AS BLOB) \
         WHERE kind = 'mission.scheduled'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let row =
        sqlx::query("SELECT seq, id FROM events WHERE kind = 'mission.scheduled'").fetch_one(&pool).await.unwrap();
    let (seq, victim): (i64, String) = (sqlx::Row::get(&row, 0), sqlx::Row::get(&row, 1));
    pool.close().await;

    let html = get_ok(&app, "/en/record").await;
    assert!(!html.contains("Every event verified"));
    assert!(plain(&html).contains(&format!("Event {victim} failed verification")), "the verdict names the event");
    let count = app.snapshot().await.0;
    for row in html.split("<tr class=\"event ").skip(1) {
        let n: i64 = row.split("data-seq=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let expected = match n.cmp(&seq) {
            std::cmp::Ordering::Less => "check-verified",
            std::cmp::Ordering::Equal => "check-failed",
            std::cmp::Ordering::Greater => "check-not-checked",
        };
        assert!(row.starts_with(expected), "event {n}: expected {expected}");
    }
    let failed = html.split("check-failed").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(failed.contains(victim.as_str()) && failed.contains("altered"), "{failed}");
    assert_eq!(html.matches("check-not-checked").count(), usize::try_from(count - seq).unwrap());
}

#[tokio::test]
async fn a_kept_roadmap_page_carries_each_sessions_own_token_and_shows_the_next_write() {
    let app = TestApp::spawn().await;
    let (second, csrf2) = app.login("mar-secretary").await;
    assert_ne!(csrf2, app.csrf);
    let first = get_ok(&app, "/en/roadmap").await;
    let (_, again) = common::get_as(&app, &second, "/en/roadmap").await;
    let forms = first.matches(r#"name="csrf""#).count();
    assert!(forms > 2, "the import form and the quick forms");
    assert_eq!(first.matches(&format!(r#"name="csrf" value="{}""#, app.csrf)).count(), forms);
    assert_eq!(again.matches(&format!(r#"name="csrf" value="{csrf2}""#)).count(), forms);
    assert!(!first.contains(&csrf2) && !again.contains(&app.csrf), "each session its own token");
    assert_eq!(plain(&first).replace(&app.csrf, "T"), again.replace(&csrf2, "T"), "the same page otherwise");

    // A title holding the mark where the token goes shows as typed, with no token.
    let actions = api_actions(&app).await;
    let a = actions.iter().find(|a| a["owner_party"] == "MAR").unwrap();
    let id = a["id"].as_str().unwrap();
    let title = json!({"en": "Seats <!--csrf--> end", "fr": "Places <!--csrf--> fin", "ar": "مقاعد <!--csrf-->"});
    let set = serde_json::Map::from_iter([("title".to_string(), title)]);
    let mar = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    app.node.execute(&mar, &Command::Revise { kind: RecordKind::Action, id: id.into(), set }).await.unwrap();
    // The next request shows the write (a new generation), for either session.
    for (client, csrf) in [(&app.client, &app.csrf), (&second, &csrf2)] {
        let (_, html) = common::get_as(&app, client, "/en/roadmap").await;
        assert!(html.contains("Seats &lt;!--csrf--&gt; end"), "{html}");
        assert!(!html.contains("<!--csrf-->"));
        assert_eq!(html.matches(&format!(r#"name="csrf" value="{csrf}""#)).count(), forms);
    }
    // And the API list, kept per page, too.
    let listed = api_actions(&app).await;
    let revised = listed.iter().find(|a| a["id"] == id).unwrap();
    assert_eq!(revised["title"]["en"], "Seats <!--csrf--> end");
}
