//! The create and edit forms with the real server and database: records created through the
//! forms, refusals (422 beside the field with what was typed kept, 403 for CSRF, role and
//! party), edits, saves without change (case C04) and Arabic-Indic digits (case C03). Every
//! refusal is checked to write nothing.

use crate::common;

use common::TestApp;
use lajna_domain::day::show_day;
use lajna_domain::records::{Action, Area, Mission, PressDocument, Roadmap, Session, Training};
use lajna_domain::{Lang, RecordKind};
use lajna_web::i18n::{Arg, Catalog};
use serde_json::Value;

type Pairs = Vec<(String, String)>;

fn pairs(list: &[(&str, &str)]) -> Pairs {
    list.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
}

fn set(form: &mut Pairs, name: &str, value: &str) {
    form.retain(|(k, _)| k != name);
    form.push((name.to_string(), value.to_string()));
}

/// A French message as a page shows it: without Fluent's isolation marks, HTML-escaped.
fn fr(key: &str, args: &[(&str, Arg)]) -> String {
    let text = Catalog::load().get(Lang::Fr, key, args).replace(['\u{2068}', '\u{2069}'], "");
    escape(&text)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The attributes of one start tag (`<input name="x" checked>` → [(name, x), (checked, "")]).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let body = tag.trim_start_matches('<');
    let body = body.split_once(char::is_whitespace).map_or("", |(_, rest)| rest);
    let mut rest = body.trim_end_matches('>');
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let name = rest[..end].to_string();
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix("=\"") {
            let close = after.find('"').unwrap();
            out.push((name, unescape(&after[..close])));
            rest = &after[close + 1..];
        } else {
            out.push((name, String::new()));
        }
    }
    out
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// What a browser would send for the form `id` of `html`: inputs (checked boxes only),
/// text areas (less the newline that follows the start tag) and selected options.
fn form_fields(html: &str, id: &str) -> Pairs {
    let start = html.find(&format!(r#"id="{id}""#)).expect("form");
    let html = &html[start..html[start..].find("</form>").unwrap() + start];
    let mut out = vec![];
    let mut pos = 0;
    while let Some(i) = html[pos..].find('<') {
        let at = pos + i;
        let end = at + html[at..].find('>').unwrap() + 1;
        let tag = &html[at..end];
        pos = end;
        let attrs = attributes(tag);
        let name = attr(&attrs, "name").map(String::from);
        if tag.starts_with("<input") {
            let Some(name) = name else { continue };
            if attr(&attrs, "type") == Some("checkbox") && attr(&attrs, "checked").is_none() {
                continue;
            }
            out.push((name, attr(&attrs, "value").unwrap_or_default().to_string()));
        } else if tag.starts_with("<textarea") {
            let close = pos + html[pos..].find("</textarea>").unwrap();
            let text = &html[pos..close];
            out.push((name.unwrap(), unescape(text.strip_prefix('\n').unwrap_or(text))));
            pos = close;
        } else if tag.starts_with("<select") {
            let name = name.unwrap();
            let close = pos + html[pos..].find("</select>").unwrap();
            let mut first = None;
            let mut chosen = vec![];
            for opt in html[pos..close].split("<option").skip(1) {
                let tag = format!("<option{}", &opt[..=opt.find('>').unwrap()]);
                let attrs = attributes(&tag);
                let value = attr(&attrs, "value").unwrap_or_default().to_string();
                first.get_or_insert(value.clone());
                if attr(&attrs, "selected").is_some() {
                    chosen.push(value);
                }
            }
            if chosen.is_empty() && attr(&attrs, "multiple").is_none() {
                chosen.extend(first);
            }
            out.extend(chosen.into_iter().map(|v| (name.clone(), v)));
            pos = close;
        }
    }
    out
}

/// Asserts that the page shows `message` in the error paragraph of `field`, placed right after
/// the input `last_input` (no other input in between), and returns the paragraph.
fn assert_error_beside(html: &str, last_input: &str, field: &str, message: &str) {
    let id = format!(r#"id="err-{}""#, field.replace('.', "-"));
    let input = html.find(&format!(r#"name="{last_input}""#)).unwrap_or_else(|| panic!("no input {last_input}"));
    let err = html.find(&id).unwrap_or_else(|| panic!("no error beside {field}"));
    assert!(err > input, "the error of {field} is not after its input");
    assert!(!html[input + 1..err].contains("name=\""), "another input comes between {last_input} and its error");
    let text = html[err..err + html[err..].find("</p>").unwrap()].replace(['\u{2068}', '\u{2069}'], "");
    assert!(text.contains(message), "error of {field} says {text:?}, not {message:?}");
}

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, form: &Pairs) -> (u16, String, String) {
    let res = client.post(app.url(path)).form(form).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

async fn first<T: serde::de::DeserializeOwned>(app: &TestApp, kind: RecordKind) -> (String, T) {
    app.node.with_state(|s| s.all::<T>(kind)).await.into_iter().next().unwrap()
}

/// A valid French action form for `mar-secretary`.
async fn action_form(app: &TestApp) -> Pairs {
    let (roadmap, _) = first::<Roadmap>(app, RecordKind::Roadmap).await;
    let (area, _) = first::<Area>(app, RecordKind::Area).await;
    let mut f = pairs(&[
        ("csrf", &app.csrf),
        ("roadmap", &roadmap),
        ("area", &area),
        ("title.ar", ""),
        ("title.fr", "Former 12 officiers au déminage"),
        ("title.en", ""),
        ("owner", "MAR"),
        ("unit.ar", ""),
        ("unit.fr", "École du génie"),
        ("unit.en", ""),
        ("lead", ""),
        ("start", "2025-11-01"),
        ("due", "2026-02-27"),
        ("status", "planned"),
        ("progress", "0"),
        ("weight", "2"),
        ("indicator.unit.fr", "officiers formés"),
        ("indicator.baseline", "0"),
        ("indicator.target", "12"),
        ("indicator.current", "0"),
    ]);
    f.retain(|(k, v)| !(k.starts_with("title.") && v.is_empty()));
    f
}

/// A valid French mission form.
fn mission_form(app: &TestApp) -> Pairs {
    pairs(&[
        ("csrf", &app.csrf),
        ("title.fr", "Mission d’évaluation des besoins de formation"),
        ("visiting", "MAR"),
        ("host", "MLI"),
        ("venue.name.fr", "État-major général des armées"),
        ("venue.city.fr", "Bamako"),
        ("zone", "Africa/Bamako"),
        ("start", "2025-12-08"),
        ("end", "2025-12-10"),
        ("programme.0.date", "2025-12-09"),
        ("programme.0.start", "09:30"),
        ("programme.0.end", "12:00"),
        ("programme.0.title.fr", "Visite de l’école de formation"),
        ("programme.1.date", ""),
        ("programme.1.title.fr", ""),
    ])
}

#[tokio::test]
async fn an_action_created_through_the_french_form_is_listed_by_the_api() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get("/fr/new/action").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="fr" dir="ltr">"#));
    for name in ["title.ar", "title.fr", "title.en", "start", "due", "progress", "indicator.target"] {
        assert!(html.contains(&format!(r#"name="{name}""#)), "no input {name}");
    }
    assert!(html.contains(r#"name="title.ar" value="" lang="ar" dir="rtl""#), "the Arabic input is right to left");
    assert!(html.contains(r#"type="text" id="due""#), "a date is typed day first, never the browser's mm/dd/yyyy");
    let before = app.snapshot().await;
    let (status, location, _) = post(&app.client, &app, "/fr/new/action", &action_form(&app).await).await;
    assert_eq!(status, 303);
    let id = location.strip_prefix("/fr/actions/").and_then(|l| l.strip_suffix("?saved=1")).unwrap().to_string();
    assert_eq!(id.len(), 64);
    assert_eq!(app.snapshot().await.0, before.0 + 1, "one event");
    let list: Vec<Value> = app.client.get(app.url("/api/v1/actions")).send().await.unwrap().json().await.unwrap();
    let a = list.iter().find(|a| a["id"] == id.as_str()).expect("the new action is listed");
    assert_eq!(a["title"]["fr"], "Former 12 officiers au déminage");
    assert_eq!((a["owner_party"].as_str(), a["due"].as_str()), (Some("MAR"), Some("2026-02-27")));
    assert_eq!(a["indicator"]["target"], 12);
    let (status, page) = app.get(&location).await;
    assert_eq!(status, 200);
    assert!(page.contains("Former 12 officiers au déminage"));
}

#[tokio::test]
async fn each_refused_form_is_a_422_beside_the_field_keeping_what_was_typed_and_writing_nothing() {
    let app = TestApp::spawn().await;
    let base = action_form(&app).await;
    let cases: Vec<(&str, &str, &str, String)> = vec![
        (
            "due",
            "01/10/2025",
            "due",
            fr(
                "error-end-before-start",
                &[("start", Arg::Text("01/11/2025".into())), ("end", Arg::Text("01/10/2025".into()))],
            ),
        ),
        ("progress", "140", "progress", fr("error-progress-out-of-range", &[("value", Arg::Text("140".into()))])),
        ("progress", "١٤٠", "progress", fr("error-progress-out-of-range", &[("value", Arg::Text("140".into()))])),
        ("weight", "0", "weight", fr("error-out-of-range", &[("min", Arg::Num(1)), ("max", Arg::Num(100))])),
    ];
    for (input, value, field, message) in cases {
        let mut form = base.clone();
        set(&mut form, input, value);
        let before = app.snapshot().await;
        let (status, _, html) = post(&app.client, &app, "/fr/new/action", &form).await;
        assert_eq!(status, 422, "{input}={value}");
        assert_error_beside(&html, input, field, &message);
        assert!(html.contains(&format!(r#"name="{input}" value="{value}""#)), "{input} was not kept");
        assert!(html.contains("Former 12 officiers au déminage"), "the title was not kept");
        assert!(html.contains(r#"value="École du génie""#), "the unit was not kept");
        assert_eq!(app.snapshot().await, before, "{input}={value} wrote something");
    }

    // A title blank in every language.
    let mut form = base.clone();
    for lang in ["ar", "fr", "en"] {
        set(&mut form, &format!("title.{lang}"), "  ");
    }
    let before = app.snapshot().await;
    let (status, _, html) = post(&app.client, &app, "/fr/new/action", &form).await;
    assert_eq!(status, 422);
    assert_error_beside(&html, "title.en", "title", &fr("error-empty-text", &[]));
    assert!(html.contains(r#"value="27/02/2026""#), "the due date was not kept (shown day first in French)");
    assert_eq!(app.snapshot().await, before);

    // A mission in a zone that is not in the tz database.
    let mut form = mission_form(&app);
    set(&mut form, "zone", "Africa/Atlantis");
    let (status, _, html) = post(&app.client, &app, "/fr/new/mission", &form).await;
    assert_eq!(status, 422);
    assert_error_beside(
        &html,
        "zone",
        "zone",
        &fr("error-unknown-zone", &[("value", Arg::Text("Africa/Atlantis".into()))]),
    );
    assert!(html.contains(r#"value="Africa/Atlantis""#));
    assert!(html.contains(r#"value="09:30""#), "the programme item was not kept");
    assert_eq!(app.snapshot().await, before);

    // A mission that ends before it starts.
    let mut form = mission_form(&app);
    set(&mut form, "end", "2025-12-01");
    let (status, _, html) = post(&app.client, &app, "/fr/new/mission", &form).await;
    assert_eq!(status, 422);
    assert_error_beside(
        &html,
        "end",
        "end",
        &fr(
            "error-end-before-start",
            &[("start", Arg::Text("08/12/2025".into())), ("end", Arg::Text("01/12/2025".into()))],
        ),
    );
    assert!(html.contains("Mission d’évaluation des besoins de formation"));
    assert_eq!(app.snapshot().await, before);

    // A required date left blank says so.
    let mut form = base.clone();
    set(&mut form, "start", "");
    let (status, _, html) = post(&app.client, &app, "/fr/new/action", &form).await;
    assert_eq!(status, 422);
    assert_error_beside(&html, "start", "start", &fr("forms-required", &[]));
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let mut form = action_form(&app).await;
    form.retain(|(k, _)| k != "csrf");
    let before = app.snapshot().await;
    let (status, _, html) = post(&app.client, &app, "/fr/new/action", &form).await;
    assert_eq!(status, 403);
    assert!(html.contains(&fr("error-csrf", &[])));
    set(&mut form, "csrf", "forged");
    let (status, _, _) = post(&app.client, &app, "/fr/new/action", &form).await;
    assert_eq!(status, 403);
    let (id, _) = first::<Action>(&app, RecordKind::Action).await;
    let (status, _, _) = post(&app.client, &app, &format!("/fr/edit/action/{id}"), &form).await;
    assert_eq!(status, 403);
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn viewers_may_open_no_form_and_write_nothing() {
    let app = TestApp::spawn().await;
    let (viewer, csrf) = app.login("mar-viewer").await;
    let page = viewer.get(app.url("/fr/new")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"id="forms-none""#) && !page.contains("/fr/new/action"));
    assert_eq!(viewer.get(app.url("/fr/new/action")).send().await.unwrap().status(), 403);
    let (id, _) = first::<Action>(&app, RecordKind::Action).await;
    assert_eq!(viewer.get(app.url(&format!("/fr/edit/action/{id}"))).send().await.unwrap().status(), 403);
    let mut form = action_form(&app).await;
    set(&mut form, "csrf", &csrf);
    let before = app.snapshot().await;
    let (status, _, _) = post(&viewer, &app, "/fr/new/action", &form).await;
    assert_eq!(status, 403);
    let (status, _, _) = post(&viewer, &app, &format!("/fr/edit/action/{id}"), &form).await;
    assert_eq!(status, 403);
    assert_eq!(app.snapshot().await, before);
    // A secretary sees every kind.
    let (_, html) = app.get("/fr/new").await;
    for kind in RecordKind::ALL.into_iter().filter(|k| lajna_views::forms::has_form(*k)) {
        assert!(html.contains(&format!(r#"href="/fr/new/{}""#, kind.code())), "no link to {}", kind.code());
    }
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    let client = common::new_client();
    let res = client.get(app.url("/fr/new/action")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/fr/login?next=/fr/new/action");
    let before = app.snapshot().await;
    let (status, _, _) = post(&client, &app, "/fr/new/action", &action_form(&app).await).await;
    assert_eq!(status, 303);
    assert_eq!(app.snapshot().await, before);
    assert_eq!(app.get("/fr/new/nothing").await.0, 404);
}

#[tokio::test]
async fn a_moroccan_secretary_cannot_plan_an_action_owned_by_mali() {
    let app = TestApp::spawn().await;
    let mut form = action_form(&app).await;
    set(&mut form, "owner", "MLI");
    let before = app.snapshot().await;
    let (status, _, html) = post(&app.client, &app, "/fr/new/action", &form).await;
    assert_eq!(status, 403);
    assert!(html.contains(&fr("error-forbidden", &[])));
    assert_eq!(app.snapshot().await, before);
    // Nor edit one, nor move a Moroccan action to Mali.
    let actions = app.node.with_state(|s| s.all::<Action>(RecordKind::Action)).await;
    let (mli, _) = actions.iter().find(|(_, a)| a.owner.as_str() == "MLI").unwrap();
    assert_eq!(app.client.get(app.url(&format!("/fr/edit/action/{mli}"))).send().await.unwrap().status(), 403);
    let (mar, _) = actions.iter().find(|(_, a)| a.owner.as_str() == "MAR").unwrap();
    let html = app.client.get(app.url(&format!("/fr/edit/action/{mar}"))).send().await.unwrap().text().await.unwrap();
    let mut form = form_fields(&html, "record-form");
    set(&mut form, "owner", "MLI");
    let (status, _, _) = post(&app.client, &app, &format!("/fr/edit/action/{mar}"), &form).await;
    assert_eq!(status, 403);
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn editing_the_due_date_through_the_form_changes_it() {
    let app = TestApp::spawn().await;
    let actions = app.node.with_state(|s| s.all::<Action>(RecordKind::Action)).await;
    let (id, old) = actions.iter().find(|(_, a)| a.owner.as_str() == "MAR" && a.indicator.is_some()).unwrap();
    let (status, html) = app.get(&format!("/fr/edit/action/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"name="due" value="{}""#, show_day(old.due, Lang::Fr))));
    let mut form = form_fields(&html, "record-form");
    let due = old.due.checked_add(jiff::Span::new().days(30)).unwrap().to_string();
    set(&mut form, "due", &due);
    let before = app.snapshot().await;
    let (status, location, _) = post(&app.client, &app, &format!("/fr/edit/action/{id}"), &form).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/fr/actions/{id}?saved=1"));
    assert_eq!(app.snapshot().await.0, before.0 + 1);
    let api: Value =
        app.client.get(app.url(&format!("/api/v1/actions/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(api["due"], due.as_str());
    // Only the due date was revised.
    let new = app.node.with_state(|s| s.get::<Action>(RecordKind::Action, id)).await.unwrap();
    assert_eq!(Action { due: old.due, ..new }, *old);
    // Clearing an optional field clears it.
    let mut form = form_fields(&app.get(&format!("/fr/edit/action/{id}")).await.1, "record-form");
    set(&mut form, "weight", "");
    for name in ["indicator.unit.ar", "indicator.unit.fr", "indicator.unit.en"] {
        set(&mut form, name, "");
    }
    for name in ["indicator.baseline", "indicator.target", "indicator.current"] {
        set(&mut form, name, "");
    }
    let (status, _, _) = post(&app.client, &app, &format!("/fr/edit/action/{id}"), &form).await;
    assert_eq!(status, 303);
    let new = app.node.with_state(|s| s.get::<Action>(RecordKind::Action, id)).await.unwrap();
    assert_eq!((new.weight, new.indicator), (None, None));
}

async fn session(app: &TestApp, id: &str) -> Session {
    app.node.with_state(|s| s.get::<Session>(RecordKind::Session, id)).await.unwrap()
}

/// Case C04: a session in Rabat, 2025-11-18 10:00, zone Africa/Casablanca, created through the
/// form (the browser's own zone plays no part: times are venue-local); its instant is
/// 2025-11-18T09:00:00Z; the edit form shows 10:00 with the zone's name; saved twice without a
/// change it appends no event and the instant stays.
#[tokio::test]
async fn c04_saving_the_edit_form_without_a_change_appends_no_event() {
    let app = TestApp::spawn().await;
    let form = pairs(&[
        ("csrf", &app.csrf),
        ("number", "3"),
        ("title.ar", "الدورة الثالثة للجنة"),
        ("title.fr", "Troisième session de la commission"),
        ("host", "MAR"),
        ("venue.city.ar", "الرباط"),
        ("venue.city.fr", "Rabat"),
        ("zone", "Africa/Casablanca"),
        ("start", "2025-11-18"),
        ("end", "2025-11-19"),
        ("opens_at", "10:00"),
        ("agenda.0.fr", "Ouverture"),
        ("agenda.1.fr", ""),
    ]);
    let (status, location, _) = post(&app.client, &app, "/fr/new/session", &form).await;
    assert_eq!(status, 303);
    let id = location.strip_prefix("/fr/sessions/").unwrap().to_string();
    let created = session(&app, &id).await;
    assert_eq!((created.start.to_string(), created.venue.zone.as_str()), ("2025-11-18".into(), "Africa/Casablanca"));
    assert_eq!(created.agenda.len(), 1);
    let instant = |s: &Session| s.opening_instant().map(|t| t.to_string());
    assert_eq!(instant(&created).as_deref(), Some("2025-11-18T09:00:00Z"));
    let api: Value =
        app.client.get(app.url(&format!("/api/v1/sessions/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(api["opening_utc"], "2025-11-18T09:00:00Z");
    assert_eq!(api["opens_at"], "10:00:00");
    let (_, page) = app.get(&format!("/fr/sessions/{id}")).await;
    assert!(page.contains("2025-11-18T09:00:00Z") && page.contains(">10:00<"), "the session page shows both");
    for _ in 0..2 {
        let (status, html) = app.get(&format!("/fr/edit/session/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"value="Africa/Casablanca""#) && html.contains(r#"value="18/11/2025""#));
        assert!(html.contains(r#"value="10:00""#), "the form shows the venue-local time");
        let before = app.snapshot().await;
        let (status, _, html) =
            post(&app.client, &app, &format!("/fr/edit/session/{id}"), &form_fields(&html, "record-form")).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"id="notice""#) && html.contains(&fr("forms-no-change", &[])));
        assert_eq!(app.snapshot().await, before, "a save without change appended an event");
        assert_eq!(session(&app, &id).await, created);
        assert_eq!(instant(&session(&app, &id).await).as_deref(), Some("2025-11-18T09:00:00Z"));
    }
}

/// Every demo record's edit form, saved as it opens, changes nothing: what the form shows is
/// exactly what is stored (texts, times, programme items, quotes, working groups, flags).
#[tokio::test]
async fn every_record_round_trips_through_its_edit_form_unchanged() {
    let app = TestApp::spawn().await;
    let records: Vec<(String, RecordKind, Value)> = app
        .node
        .with_state(|s| {
            // Documents carry a file and have their own pages (issue 6), not a generic form.
            s.entries()
                .filter(|(_, e)| !e.kind.is_marked())
                .map(|(id, e)| (id.clone(), e.kind, Value::Object(e.content())))
                .collect()
        })
        .await;
    let mar = (app.client.clone(), app.csrf.clone());
    let mli = app.login("mli-secretary").await;
    let mut seen = std::collections::BTreeSet::new();
    for (n, (id, kind, content)) in records.into_iter().enumerate() {
        let party = ["owner", "party", "host"].iter().find_map(|f| content[*f].as_str()).unwrap_or("MAR");
        let (client, _) = if party == "MLI" { &mli } else { &mar };
        let lang = ["ar", "fr", "en"][n % 3];
        let path = format!("/{lang}/edit/{}/{id}", kind.code());
        let res = client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.unwrap();
        let before = app.snapshot().await;
        let (status, _, html) = post(client, &app, &path, &form_fields(&html, "record-form")).await;
        assert_eq!(status, 200, "{path}: {}", &html[html.find("<main").unwrap_or(0)..]);
        assert!(html.contains(r#"id="notice""#), "{path}");
        assert_eq!(app.snapshot().await, before, "{path} changed the record");
        seen.insert(kind);
    }
    assert_eq!(
        seen.len(),
        RecordKind::ALL.iter().filter(|k| lajna_views::forms::has_form(**k)).count(),
        "the demo has every shared kind"
    );
}

/// Case C03: the Arabic form is right to left, and seats typed in Arabic-Indic digits are
/// stored as integers.
#[tokio::test]
async fn c03_arabic_indic_seats_are_stored_as_integers() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get("/ar/new/training").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(html.contains(r#"name="course.ar" value="" lang="ar" dir="rtl""#));
    assert!(html.contains(r#"name="seats_offered" value="" dir="ltr""#) || html.contains(r#"id="seats_offered""#));
    let form = pairs(&[
        ("csrf", &app.csrf),
        ("host", "MAR"),
        ("institution.ar", "المدرسة الملكية لمصلحة الصحة العسكرية"),
        ("course.ar", "دورة الإسعاف في الميدان (اختبار)"),
        ("seats_offered", "١٢"),
        ("seats_filled", "۰"),
        ("start", "٢٠٢٦-٠١-١٠"),
        ("end", "2026-02-10"),
    ]);
    let before = app.snapshot().await;
    let (status, location, html) = post(&app.client, &app, "/ar/new/training", &form).await;
    assert_eq!(status, 303, "{html}");
    // A saved record is shown where it is listed (a decision on its own page).
    assert_eq!(location, "/ar/training");
    assert_eq!(app.snapshot().await.0, before.0 + 1);
    let trainings: Vec<(String, Value)> = app
        .node
        .with_state(|s| {
            s.entries()
                .filter(|(_, e)| e.kind == RecordKind::Training)
                .map(|(id, e)| (id.clone(), Value::Object(e.content())))
                .collect()
        })
        .await;
    let (id, raw) = trainings.iter().find(|(_, t)| t["course"]["ar"] == "دورة الإسعاف في الميدان (اختبار)").unwrap();
    assert!(raw["seats_offered"].is_i64() && raw["seats_offered"] == 12, "{raw}");
    assert_eq!(raw["seats_filled"], 0);
    let t = app.node.with_state(|s| s.get::<Training>(RecordKind::Training, id)).await.unwrap();
    assert_eq!((t.seats_offered, t.start.to_string()), (12, "2026-01-10".to_string()));
    // Seats above the offer are refused beside the field, in Arabic.
    let mut form = form;
    set(&mut form, "seats_filled", "١٣");
    let (status, _, html) = post(&app.client, &app, "/ar/new/training", &form).await;
    assert_eq!(status, 422);
    let msg = Catalog::load()
        .get(Lang::Ar, "error-out-of-range", &[("min", Arg::Num(0)), ("max", Arg::Num(12))])
        .replace(['\u{2068}', '\u{2069}'], "");
    assert_error_beside(&html, "seats_filled", "seats_filled", &msg);
    assert!(html.contains(r#"value="١٣""#));
}

#[tokio::test]
async fn a_mission_programme_shows_venue_times_and_an_item_can_be_added() {
    let app = TestApp::spawn().await;
    let (id, mission) = first::<Mission>(&app, RecordKind::Mission).await;
    let (status, html) = app.get(&format!("/en/edit/mission/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="programme.1.start" value="09:00""#));
    assert!(html.contains("venue time, \u{2068}Africa/Bamako\u{2069}"), "the zone is named beside the times");
    let mut form = form_fields(&html, "record-form");
    let n = mission.programme.len();
    set(&mut form, &format!("programme.{n}.date"), "2025-02-19");
    set(&mut form, &format!("programme.{n}.start"), "15:00");
    set(&mut form, &format!("programme.{n}.title.en"), "Press briefing");
    let (status, location, _) = post(&app.client, &app, &format!("/en/edit/mission/{id}"), &form).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/en/missions/{id}"));
    let after = app.node.with_state(|s| s.get::<Mission>(RecordKind::Mission, &id)).await.unwrap();
    assert_eq!(after.programme.len(), n + 1);
    assert_eq!(after.programme[n].start.map(|t| t.to_string()), Some("15:00:00".into()));
    assert_eq!(after.programme[..n], mission.programme[..]);
    // An item outside the mission's dates is refused beside the list.
    set(&mut form, &format!("programme.{n}.date"), "2025-03-01");
    let before = app.snapshot().await;
    let (status, _, html) = post(&app.client, &app, &format!("/en/edit/mission/{id}"), &form).await;
    assert_eq!(status, 422);
    assert!(html.contains(&format!(r#"id="err-programme-{n}-date""#)));
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn a_press_article_is_archived_exactly_with_its_blake3() {
    let app = TestApp::spawn().await;
    let text = "Bamako, 8 décembre.\r\n\r\n  Les FAMa ont reçu une délégation.  \r\n";
    let form = pairs(&[
        ("csrf", &app.csrf),
        ("publisher.fr", "L’Essor"),
        ("language", "fr"),
        ("title", "Visite d’une délégation marocaine"),
        ("text", text),
    ]);
    let (status, location, _) = post(&app.client, &app, "/fr/new/press", &form).await;
    assert_eq!(status, 303);
    let id = location.strip_prefix("/fr/press/").unwrap();
    let doc = app.node.with_state(|s| s.get::<PressDocument>(RecordKind::Press, id)).await.unwrap();
    let expected = text.replace("\r\n", "\n");
    assert_eq!(doc.text, expected, "kept as typed, line ends as LF");
    assert_eq!(doc.text_blake3, blake3::hash(expected.as_bytes()).to_hex().to_string());
}

/// The attributes of the start tag of the input named `name` (the first one).
fn input_attrs(html: &str, name: &str) -> Vec<(String, String)> {
    let at = html.find(&format!(r#"name="{name}""#)).unwrap_or_else(|| panic!("no input {name}"));
    let start = html[..at].rfind('<').unwrap();
    attributes(&html[start..at + html[at..].find('>').unwrap() + 1])
}

/// The names of the inputs that carry `autofocus` (the input focused when the page opens).
fn autofocused(html: &str) -> Vec<String> {
    html.split('<')
        .filter(|t| {
            t.starts_with("input") || t.starts_with("select") || t.starts_with("textarea") || t.starts_with("div")
        })
        .map(|t| attributes(&format!("<{}", &t[..=t.find('>').unwrap_or(t.len() - 1)])))
        .filter(|a| attr(a, "autofocus").is_some())
        .map(|a| attr(&a, "name").or(attr(&a, "id")).unwrap_or_default().to_string())
        .collect()
}

/// Issue 17 items 3 and 4: a date field is a text input showing `dd/mm/yyyy` in French and
/// Arabic and ISO in English (never the browser's `mm/dd/yyyy`), with the format as its
/// placeholder; day first (Western or Arabic-Indic digits) and ISO are both read; a month-first
/// or impossible day is refused with a translated message beside the field, which is then the
/// one focused input (`autofocus`, no JavaScript) and describes itself by the error.
#[tokio::test]
async fn dates_are_typed_and_shown_as_the_reader_writes_them_and_focus_lands_on_the_first_error() {
    let app = TestApp::spawn().await;
    let actions = app.node.with_state(|s| s.all::<Action>(RecordKind::Action)).await;
    let (id, old) = actions.iter().find(|(_, a)| a.owner.as_str() == "MAR").unwrap();
    let day_first = format!("{:02}/{:02}/{}", old.due.day(), old.due.month(), old.due.year());
    for (lang, value, placeholder) in [
        ("fr", day_first.as_str(), "jj/mm/aaaa"),
        ("ar", &day_first, "يوم/شهر/سنة"),
        ("en", &old.due.to_string(), "yyyy-mm-dd"),
    ] {
        let (status, html) = app.get(&format!("/{lang}/edit/action/{id}")).await;
        assert_eq!(status, 200);
        let due = input_attrs(&html, "due");
        assert_eq!(
            (attr(&due, "type"), attr(&due, "value"), attr(&due, "placeholder"), attr(&due, "dir")),
            (Some("text"), Some(value), Some(placeholder), Some("ltr")),
            "{lang}"
        );
        assert_eq!(attr(&due, "pattern"), Some(lajna_domain::day::DAY_PATTERN));
        assert!(autofocused(&html).is_empty(), "{lang}: nothing focused on a form without error");
        // The form as shown saves back unchanged (day first read back as the same day).
        let before = app.snapshot().await;
        let (status, _, html) =
            post(&app.client, &app, &format!("/{lang}/edit/action/{id}"), &form_fields(&html, "record-form")).await;
        assert_eq!(status, 200, "{lang}: {html}");
        assert_eq!(app.snapshot().await, before, "{lang}: no change, no event");
    }

    // Day first with Arabic-Indic digits, and ISO, are read; stored as ISO.
    let mut form = action_form(&app).await;
    set(&mut form, "start", "٠١/١١/٢٠٢٥");
    set(&mut form, "due", "2026-02-27");
    let (status, location, html) = post(&app.client, &app, "/fr/new/action", &form).await;
    assert_eq!(status, 303, "{html}");
    let new_id = location.strip_prefix("/fr/actions/").and_then(|l| l.strip_suffix("?saved=1")).unwrap();
    let api: Value =
        app.client.get(app.url(&format!("/api/v1/actions/{new_id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!((api["start"].as_str(), api["due"].as_str()), (Some("2025-11-01"), Some("2026-02-27")));

    // Month first and an impossible day are refused, in French, beside the field, focused.
    for bad in ["02/27/2026", "31/02/2026"] {
        let mut form = action_form(&app).await;
        set(&mut form, "due", bad);
        let before = app.snapshot().await;
        let (status, _, html) = post(&app.client, &app, "/fr/new/action", &form).await;
        assert_eq!(status, 422, "{bad}");
        let message = fr("error-not-a-day", &[("value", Arg::Text(bad.into()))]);
        assert!(message.contains("jour, le mois puis l’année"), "{message}");
        assert_error_beside(&html, "due", "due", &message);
        let due = input_attrs(&html, "due");
        assert_eq!((attr(&due, "value"), attr(&due, "aria-invalid")), (Some(bad), Some("true")));
        assert_eq!(attr(&due, "aria-describedby"), Some("err-due hint-due"));
        assert_eq!(autofocused(&html), ["due"], "{bad}: the refused date is the one focused input");
        assert_eq!(app.snapshot().await, before, "{bad}: nothing written");
    }
    // Two errors: the first in page order is focused (the title comes before the due date).
    let mut form = action_form(&app).await;
    set(&mut form, "title.fr", " ");
    set(&mut form, "due", "32/01/2026");
    let (status, _, html) = post(&app.client, &app, "/ar/new/action", &form).await;
    assert_eq!(status, 422);
    assert_eq!(autofocused(&html), ["title.ar"], "the title's first input, not the due date");
    let due = input_attrs(&html, "due");
    assert_eq!(attr(&due, "aria-invalid"), Some("true"));
    let ar = Catalog::load().get(Lang::Ar, "error-not-a-day", &[("value", Arg::Text("32/01/2026".into()))]);
    assert!(common::plain(&html).contains(&ar.replace(['\u{2068}', '\u{2069}'], "")), "the Arabic refusal");
}
