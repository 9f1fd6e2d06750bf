//! Endorsing is deliberate (issue 13 item 8): a co-chair's endorsement goes through a
//! confirmation page that shows what is endorsed (kind, reference, texts in each language, the
//! version named) and asks for the password again; a missing or wrong password, or a version
//! changed since the page was opened, is refused with nothing written.

use crate::common;
use crate::common::{get_as, post_with};

use common::TestApp;
use lajna_domain::records::{Decision, Session};
use lajna_domain::{Actor, Command, LocalizedText, PartyCode, RecordKind};
use serde_json::{Map, json};

/// Fluent wraps arguments in FSI/PDI isolation marks; the tests read the text without them.
async fn session_1(app: &TestApp) -> String {
    let sessions = app.node.with_state(|s| s.all::<Session>(RecordKind::Session)).await;
    sessions.into_iter().find(|(_, x)| x.number == 1).unwrap().0
}

/// The demo decision endorsed by Morocco only, and its text.
async fn pending_decision(app: &TestApp) -> (String, Decision) {
    let decisions = app.node.with_state(|s| s.all::<Decision>(RecordKind::Decision)).await;
    decisions.into_iter().find(|(_, d)| d.text.fr.as_deref().is_some_and(|t| t.contains("deuxième session"))).unwrap()
}

async fn version(app: &TestApp, id: &str) -> String {
    app.node.with_state(|s| s.entry(id).unwrap().version()).await
}

async fn adopted(app: &TestApp, id: &str) -> bool {
    let doc = app.node.with_state(|s| s.entry(id).unwrap().doc(id)).await;
    lajna_domain::adoption(&doc, &["MAR".to_string(), "MLI".to_string()]).adopted
}

/// Revises the decision's text in every language (so no language is left "to review").
async fn revise(app: &TestApp, id: &str, text: &LocalizedText, suffix: &str) {
    let with = |t: &Option<String>| t.as_deref().map(|t| format!("{t} {suffix}")).unwrap_or_default();
    let new = LocalizedText::tri(&with(&text.ar), &with(&text.fr), &with(&text.en));
    let set = Map::from_iter([("text".to_string(), json!(new))]);
    let mar = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    app.node.execute(&mar, &Command::Revise { kind: RecordKind::Decision, id: id.into(), set }).await.unwrap();
}

#[tokio::test]
async fn a_decision_is_endorsed_only_with_the_password_on_a_page_showing_its_texts_and_version() {
    let app = TestApp::spawn().await;
    let s1 = session_1(&app).await;
    let (id, d) = pending_decision(&app).await;
    let v = version(&app, &id).await;
    let path = format!("/fr/decisions/{id}/endorse");
    let (mli, csrf) = app.login("mli-cochair").await;

    let (status, html) = get_as(&app, &mli, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<dd id="endorse-kind">Décision</dd>"#), "{html}");
    assert!(html.contains("Approuver la décision D-2025/1-"));
    assert!(
        html.contains(&format!(r#"<div class="text" lang="ar" dir="rtl">{}</div>"#, d.text.ar.as_deref().unwrap()))
    );
    assert!(
        html.contains(&format!(r#"<div class="text" lang="fr" dir="ltr">{}</div>"#, d.text.fr.as_deref().unwrap()))
    );
    assert!(html.contains(&format!(r#"<code dir="ltr" id="endorse-version">{v}</code>"#)));
    assert!(html.contains(&format!(r#"name="version" value="{v}""#)) && html.contains(r#"type="password""#));

    let before = app.snapshot().await;
    let (status, _, body) = post_with(&app, &mli, &csrf, &path, &[("version", &v)]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Saisissez votre mot de passe pour approuver"), "{body}");
    assert!(body.contains(r#"id="endorse-form""#), "the page again");
    assert_eq!(app.snapshot().await, before, "no password, nothing written");
    let (status, _, body) =
        post_with(&app, &mli, &csrf, &path, &[("version", &v), ("password", "not the password")]).await;
    assert_eq!(status, 403);
    assert!(body.contains("Mot de passe incorrect"), "{body}");
    assert_eq!(app.snapshot().await, before, "a wrong password, nothing written");
    assert!(!adopted(&app, &id).await);

    let (status, location, _) =
        post_with(&app, &mli, &csrf, &path, &[("version", &v), ("password", &app.password)]).await;
    assert_eq!((status, location), (303, format!("/fr/sessions/{s1}?saved=1#decision-{id}")));
    assert_eq!(app.snapshot().await.0, before.0 + 1, "exactly one event");
    assert!(adopted(&app, &id).await, "Morocco had endorsed; Mali's endorsement adopts it");
    let trail = app.node.store().audit_trail(100).await.unwrap();
    let by = |action: &str| trail.iter().any(|l| l.username == "mli-cochair" && l.action == action);
    assert!(by("password-refused") && by("password-confirmed"), "password checks are audited");
}

#[tokio::test]
async fn only_co_chairs_open_the_confirmation_and_the_decision_and_minutes_buttons_are_distinct() {
    let app = TestApp::spawn().await;
    let s1 = session_1(&app).await;
    let (id, _) = pending_decision(&app).await;
    // A secretary may not open the page, nor endorse with the right password.
    let (status, _) = app.get(&format!("/fr/decisions/{id}/endorse")).await;
    assert_eq!(status, 403);
    let before = app.snapshot().await;
    let fields = [("version", version(&app, &id).await), ("password", app.password.clone())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, ..) = post_with(&app, &app.client, &app.csrf, &format!("/fr/decisions/{id}/endorse"), &fields).await;
    assert_eq!(status, 403);
    assert_eq!(app.snapshot().await, before);

    // Minutes to endorse, then the Malian co-chair's session page.
    let minutes = [("ar", "محضر الاجتماع الأول"), ("fr", "Procès-verbal de la première réunion")];
    let (status, ..) = post_with(&app, &app.client, &app.csrf, &format!("/fr/sessions/{s1}/minutes"), &minutes).await;
    assert_eq!(status, 303);
    let (mli, _) = app.login("mli-cochair").await;
    let (_, html) = get_as(&app, &mli, &format!("/fr/sessions/{s1}")).await;
    let decision = html.find(&format!(r#"id="decision-{id}""#)).unwrap();
    let decision_button = html.find(&format!(r#"action="/fr/decisions/{id}/endorse""#)).unwrap();
    let minutes_button = html.find(r#"id="minutes-endorse""#).unwrap();
    assert!(decision < decision_button && decision_button < minutes_button, "the decision's own button comes first");
    let next_endorse = html[decision..].find("/endorse\"").unwrap() + decision;
    assert!(html[..next_endorse].ends_with(&format!("/fr/decisions/{id}")), "the first endorse button after the link");
    assert!(html.contains("Approuver la décision D-2025/1-"));
    assert!(html[minutes_button..].contains("Approuver le procès-verbal (PV n° 1)"));
    assert!(!html.contains("Approuver pour ma partie"), "no button without saying what it endorses");
    // Morocco already endorsed the decision: its co-chair sees no decision button, and the
    // confirmation page says why, with no form.
    let (mar, _) = app.login("mar-cochair").await;
    let (_, html) = get_as(&app, &mar, &format!("/fr/sessions/{s1}")).await;
    assert!(!html.contains(&format!("/fr/decisions/{id}/endorse")));
    let (status, html) = get_as(&app, &mar, &format!("/fr/decisions/{id}/endorse")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Votre partie a déjà approuvé cette version") && !html.contains(r#"id="endorse-form""#));
}

#[tokio::test]
async fn minutes_are_endorsed_through_the_confirmation_page_with_the_password() {
    let app = TestApp::spawn().await;
    let s1 = session_1(&app).await;
    let (ar, fr) = ("محضر الاجتماع الأول للجنة", "Procès-verbal de la première réunion de la commission");
    let (status, ..) =
        post_with(&app, &app.client, &app.csrf, &format!("/fr/sessions/{s1}/minutes"), &[("ar", ar), ("fr", fr)]).await;
    assert_eq!(status, 303);
    let v = app.node.with_state(|s| s.entry(&s1).unwrap().fields["minutes"].0.id.clone()).await;
    let path = format!("/fr/sessions/{s1}/minutes/endorse");

    for (user, last) in [("mar-cochair", false), ("mli-cochair", true)] {
        let (client, csrf) = app.login(user).await;
        let (status, html) = get_as(&app, &client, &format!("{path}?version={v}")).await;
        assert_eq!(status, 200, "{user}");
        assert!(html.contains(r#"<dd id="endorse-kind">Procès-verbal (PV)</dd>"#), "{html}");
        assert!(html.contains("Approuver le procès-verbal (PV n° 1)") && html.contains("PV n° 1"));
        assert!(html.contains(&format!(r#"<div class="text" lang="ar" dir="rtl">{ar}</div>"#)));
        assert!(html.contains(&format!(r#"<div class="text" lang="fr" dir="ltr">{fr}</div>"#)));
        assert!(html.contains(&format!(r#"<code dir="ltr" id="endorse-version">{v}</code>"#)));

        let before = app.snapshot().await;
        let (status, _, body) = post_with(&app, &client, &csrf, &path, &[("version", &v)]).await;
        assert_eq!(status, 422, "{user}");
        assert!(body.contains("Saisissez votre mot de passe pour approuver"));
        let (status, _, body) =
            post_with(&app, &client, &csrf, &path, &[("version", &v), ("password", "wrong-password")]).await;
        assert_eq!(status, 403, "{user}");
        assert!(body.contains("Mot de passe incorrect"));
        assert_eq!(app.snapshot().await, before, "{user}: nothing written without the password");

        let (status, location, _) =
            post_with(&app, &client, &csrf, &path, &[("version", &v), ("password", &app.password)]).await;
        assert_eq!((status, location), (303, format!("/fr/sessions/{s1}?saved=1#minutes")), "{user}");
        assert_eq!(app.snapshot().await.0, before.0 + 1);
        let (_, html) = get_as(&app, &client, &format!("/fr/sessions/{s1}")).await;
        assert_eq!(html.contains(r#"id="minutes-state">Approuvé par les deux parties</span>"#), last, "{user}");
    }
}

#[tokio::test]
async fn both_co_chairs_adopt_a_revised_decision_and_a_version_changed_after_the_page_opened_is_refused() {
    let app = TestApp::spawn().await;
    let (id, d) = pending_decision(&app).await;
    // A new version: Morocco's earlier endorsement no longer counts.
    revise(&app, &id, &d.text, "(1)").await;
    assert!(!adopted(&app, &id).await);
    let path = format!("/fr/decisions/{id}/endorse");
    let (mar, mar_csrf) = app.login("mar-cochair").await;
    let (_, html) = get_as(&app, &mar, &path).await;
    let v1 = version(&app, &id).await;
    assert!(html.contains(&format!(r#"id="endorse-version">{v1}</code>"#)));

    // The text changes while the page is open: the version shown is refused, nothing written.
    revise(&app, &id, &d.text, "(2)").await;
    let v2 = version(&app, &id).await;
    let before = app.snapshot().await;
    let (status, _, body) =
        post_with(&app, &mar, &mar_csrf, &path, &[("version", &v1), ("password", &app.password)]).await;
    assert_eq!(status, 409);
    assert!(body.contains("Le texte a changé depuis l’ouverture de la page"), "{body}");
    assert!(body.contains(&format!(r#"id="endorse-version">{v2}</code>"#)), "the page shows the current version");
    assert_eq!(app.snapshot().await, before);

    for user in ["mar-cochair", "mli-cochair"] {
        let (client, csrf) = app.login(user).await;
        let (status, ..) =
            post_with(&app, &client, &csrf, &path, &[("version", &v2), ("password", &app.password)]).await;
        assert_eq!(status, 303, "{user}");
    }
    assert!(adopted(&app, &id).await, "both co-chairs endorsed the same version");
}

#[tokio::test]
async fn wrong_passwords_on_the_confirmation_page_are_throttled_like_sign_in() {
    let app = TestApp::spawn().await;
    let (id, _) = pending_decision(&app).await;
    let v = version(&app, &id).await;
    let path = format!("/fr/decisions/{id}/endorse");
    let (mli, csrf) = app.login("mli-cochair").await;
    for _ in 0..lajna_node::auth::MAX_FAILURES {
        let (status, ..) = post_with(&app, &mli, &csrf, &path, &[("version", &v), ("password", "guess-guess")]).await;
        assert_eq!(status, 403);
    }
    let before = app.snapshot().await;
    let (status, _, body) = post_with(&app, &mli, &csrf, &path, &[("version", &v), ("password", &app.password)]).await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains(r#"id="endorse-form""#), "the page again");
    assert_eq!(app.snapshot().await, before, "nothing written while throttled");
    assert!(!adopted(&app, &id).await);
}

#[tokio::test]
async fn the_roadmap_confirmation_shows_its_title_period_and_action_count() {
    let app = TestApp::spawn().await;
    let (rid, r) = app
        .node
        .with_state(|s| s.all::<lajna_domain::records::Roadmap>(RecordKind::Roadmap))
        .await
        .into_iter()
        .next()
        .unwrap();
    let count = app
        .node
        .with_state(|s| s.all::<lajna_domain::records::Action>(RecordKind::Action))
        .await
        .into_iter()
        .filter(|(_, a)| a.roadmap == rid)
        .count();
    let (mar, _) = app.login("mar-cochair").await;
    let (status, html) = get_as(&app, &mar, &format!("/en/roadmaps/{rid}/endorse")).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<dd id="endorse-kind">Roadmap</dd>"#), "{html}");
    assert!(html.contains(&format!("{} – {}", r.start, r.end)));
    assert!(html.contains(&format!("<dt>Number of actions</dt><dd><bdi>{count}</bdi></dd>")));
    assert!(
        html.contains(&format!(r#"<div class="text" lang="fr" dir="ltr">{}</div>"#, r.title.fr.as_deref().unwrap()))
    );
    // The demo roadmap is adopted: the page says why there is nothing to endorse.
    assert!(html.contains(r#"id="endorse-blocked""#) && !html.contains(r#"id="endorse-form""#));
    let (status, _) = app.get(&format!("/en/roadmaps/{rid}/endorse")).await;
    assert_eq!(status, 403, "a secretary");
}
