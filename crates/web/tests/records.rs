//! Missions, sessions, minutes, decisions and communiqués over HTTP, with the real server over
//! the demo committee: pages in Arabic (right to left) and French, the programme in the venue's
//! time zone, Hijri dates, endorsements, the minutes workflow, language parity and the état
//! d'exécution; every refusal writes nothing.

use crate::common;
use crate::common::{get_as, plain, post_with};

use common::TestApp;
use lajna_domain::records::{Decision, Mission, Session};
use lajna_domain::{Command, LocalizedText, RecordKind};
use serde_json::{Map, json};

/// Fluent wraps arguments in FSI/PDI isolation marks; the tests read the text without them.
async fn page(app: &TestApp, path: &str) -> String {
    let (status, html) = app.get(path).await;
    assert_eq!(status, 200, "{path}");
    plain(&html)
}

/// Posts a form as `user` (signed in afresh) and returns (status, location, body).
async fn post_as(app: &TestApp, user: &str, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let (client, csrf) = app.login(user).await;
    post_with(app, &client, &csrf, path, fields).await
}

async fn mission_id(app: &TestApp) -> String {
    app.node.with_state(|s| s.all::<Mission>(RecordKind::Mission)).await.into_iter().next().unwrap().0
}

async fn session_id(app: &TestApp, number: i64) -> String {
    app.node
        .with_state(|s| s.all::<Session>(RecordKind::Session))
        .await
        .into_iter()
        .find(|(_, x)| x.number == number)
        .unwrap()
        .0
}

/// The demo decision of session 1 whose French text contains `words`.
async fn decision_id(app: &TestApp, words: &str) -> String {
    app.node
        .with_state(|s| s.all::<Decision>(RecordKind::Decision))
        .await
        .into_iter()
        .find(|(_, d)| d.text.fr.as_deref().is_some_and(|t| t.contains(words)))
        .unwrap()
        .0
}

#[tokio::test]
async fn the_mission_page_shows_the_programme_in_bamako_time_with_the_utc_instant_beside_it() {
    let app = TestApp::spawn().await;
    let id = mission_id(&app).await;

    let list = page(&app, "/ar/missions").await;
    assert!(list.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(list.contains("زيارة الوفد العسكري المغربي رفيع المستوى إلى مالي"));
    assert!(list.contains(&format!("/ar/missions/{id}")));
    assert!(list.contains("18 شعبان 1446 هـ"), "Hijri date of 2025-02-17 in Arabic");

    let fr = page(&app, &format!("/fr/missions/{id}")).await;
    assert!(fr.contains(r#"<html lang="fr" dir="ltr">"#));
    for expected in [
        "Visite de la délégation militaire marocaine de haut niveau au Mali",
        "Général de brigade Abdelghani Mouhib",
        "Ministère de la Défense du Mali",
        "Bamako",
        "Africa/Bamako",
        "Heure du lieu (Africa/Bamako)",
        "Réception officielle au ministère de la Défense du Mali",
        "heure non précisée",
        "Identifier les domaines de renforcement de la coopération militaire bilatérale",
        "2025-02-17",
        "18 chaabane 1446 H",
        "20 chaabane 1446 H",
        "calendrier musulman tabulaire",
    ] {
        assert!(fr.contains(expected), "missing {expected}");
    }
    // 09:00–13:00 venue time in Bamako (UTC+0 all year) is 09:00–13:00 UTC, shown beside it.
    assert!(fr.contains(r#"<span class="time" dir="ltr">09:00–13:00</span>"#));
    assert!(fr.contains(r#"<time datetime="2025-02-18T09:00:00Z" dir="ltr">09:00–13:00 UTC</time>"#));
    assert!(fr.contains(r#"<time datetime="2025-02-19T10:00:00Z" dir="ltr">10:00–12:00 UTC</time>"#));
    // The communiqué and the archived article about it.
    assert!(fr.contains("Communiqué des FAMa sur la visite de la délégation militaire marocaine"));
    assert!(fr.contains("/fr/press/"));
    assert!(fr.contains("Première réunion de la commission militaire mixte"));

    let en = page(&app, &format!("/en/missions/{id}")).await;
    assert!(en.contains("Brigadier General Abdelghani Mouhib"));
    assert!(en.contains("18 Sha’ban 1446 AH"));

    let ar = page(&app, &format!("/ar/missions/{id}")).await;
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(ar.contains("العميد عبد الغني محب") && ar.contains("استقبال رسمي في وزارة الدفاع المالية"));
    assert!(ar.contains(r#"<bdi lang="ar" dir="rtl">باماكو</bdi>"#));
}

#[tokio::test]
async fn the_communiques_page_quotes_the_fama_statement_with_its_speaker() {
    let app = TestApp::spawn().await;
    let fr = page(&app, "/fr/communiques").await;
    assert!(fr.contains("Forces armées maliennes (FAMa)"));
    assert!(fr.contains("Communiqué des FAMa sur la visite de la délégation militaire marocaine"));
    assert!(fr.contains("Le Maroc affirme son engagement ferme à soutenir la région du Sahel"));
    assert!(fr.contains("— <bdi lang=\"fr\" dir=\"ltr\">Général de brigade Abdelghani Mouhib</bdi>"));
    assert!(fr.contains("date non précisée"), "the article gives no date");
    let start = fr.find("/fr/press/").expect("a press link");
    let link = &fr[start..start + "/fr/press/".len() + 64];
    let (status, _) = app.get(link).await;
    assert_eq!(status, 200, "the press link opens the article page");

    let ar = page(&app, "/ar/communiques").await;
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(ar.contains("المغرب يؤكد التزامه الثابت بدعم منطقة الساحل"));
    assert!(ar.contains("القوات المسلحة المالية"));
}

#[tokio::test]
async fn sessions_show_venue_dates_with_hijri_agenda_and_the_decisions_endorsement_state() {
    let app = TestApp::spawn().await;
    let s1 = session_id(&app, 1).await;
    let s2 = session_id(&app, 2).await;

    let list = page(&app, "/fr/sessions").await;
    assert!(list.contains("Première réunion de la commission militaire mixte"));
    assert!(list.contains("Deuxième session de la commission (exemple)"));
    assert!(list.contains("Pas de procès-verbal"));

    let ar = page(&app, &format!("/ar/sessions/{s1}")).await;
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(ar.contains("الدورة 1") && ar.contains("باماكو") && ar.contains("Africa/Bamako"));
    assert!(ar.contains("18 شعبان 1446 هـ"));
    assert!(ar.contains("تحديد مجالات تعزيز التعاون العسكري الثنائي"));
    assert!(ar.contains("معتمدة من الطرفين"), "the adopted decision");
    assert!(ar.contains("في انتظار مصادقة MLI"), "the decision awaiting Mali");
    assert!(!ar.contains("حالة تنفيذ الدورة السابقة"), "no previous session for session 1");

    let fr = page(&app, &format!("/fr/sessions/{s1}")).await;
    assert!(fr.contains("En attente de l’approbation de MLI"));
    assert!(fr.contains("Adopter la feuille de route 2025-2026"));
    assert!(fr.contains("Tenir la deuxième session de la commission à Rabat"));
    // Decision texts in every language, each marked with its language and direction.
    assert!(fr.contains(r#"<div class="text" lang="ar" dir="rtl">عقد الدورة الثانية للجنة بالرباط (مثال)</div>"#));
    // mar-secretary is not a co-chair: no endorse button, but the minutes form.
    assert!(!fr.contains("/endorse\""));
    assert!(fr.contains(&format!("/fr/sessions/{s1}/minutes\"")));
    assert!(fr.contains(r#"<textarea name="ar" rows="8" lang="ar" dir="rtl">"#));

    let s2fr = page(&app, &format!("/fr/sessions/{s2}")).await;
    for expected in [
        "Rabat",
        "Africa/Casablanca",
        "2025-11-18",
        "27 joumada al-oula 1447 H",
        "Groupe de travail formation (exemple)",
        "exécution des décisions et actions de la session précédente",
        "État d’exécution de la session précédente",
        "Tenir la deuxième session de la commission à Rabat",
        "Former 12 officiers maliens aux premiers secours au combat",
        "31 jours de retard",
        "Date de référence : 2025-10-01",
    ] {
        assert!(s2fr.contains(expected), "session 2 misses {expected}");
    }
    let s2ar = page(&app, &format!("/ar/sessions/{s2}")).await;
    assert!(s2ar.contains("حالة تنفيذ الدورة السابقة") && s2ar.contains("الرباط"));
}

#[tokio::test]
async fn a_co_chair_endorses_the_pending_decision_and_a_secretary_cannot() {
    let app = TestApp::spawn().await;
    let s1 = session_id(&app, 1).await;
    let pending = decision_id(&app, "deuxième session").await;
    let endorse = format!("/fr/decisions/{pending}/endorse");

    // A secretary's endorsement is refused with a 403 page, and nothing is written.
    let before = app.snapshot().await;
    let (status, _, body) = post_as(&app, "mar-secretary", &endorse, &[]).await;
    assert_eq!(status, 403);
    // The refusal names the rule (a co-chair, or a delegate, endorses for the party).
    assert!(body.contains("Seul un coprésident de votre partie peut approuver"), "{body}");
    assert_eq!(app.snapshot().await, before, "a refused endorsement wrote something");
    // Morocco already endorsed: its co-chair sees no button, and a second endorsement is refused.
    let (mar, mar_csrf) = app.login("mar-cochair").await;
    let (_, html) = get_as(&app, &mar, &format!("/fr/sessions/{s1}")).await;
    assert!(!html.contains(&endorse));
    let version = app.node.with_state(|s| s.entry(&pending).unwrap().version()).await;
    let confirmed = [("version", version.as_str()), ("password", app.password.as_str())];
    let (status, _, body) = post_with(&app, &mar, &mar_csrf, &endorse, &confirmed).await;
    assert_eq!(status, 409);
    assert!(body.contains("Votre partie a déjà approuvé cette version"), "{body}");
    assert_eq!(app.snapshot().await, before);
    // Without the CSRF token: refused.
    let res = mar.post(app.url(&endorse)).form(&[("csrf", "forged")]).send().await.unwrap();
    assert_eq!(res.status(), 403);

    // The Malian co-chair sees the button and endorses: the decision is adopted.
    let (mli, csrf) = app.login("mli-cochair").await;
    let (_, html) = get_as(&app, &mli, &format!("/ar/sessions/{s1}")).await;
    assert!(html.contains(&format!("/ar/decisions/{pending}/endorse")));
    let (status, location, _) =
        post_with(&app, &mli, &csrf, &format!("/ar/decisions/{pending}/endorse"), &confirmed).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/ar/sessions/{s1}?saved=1#decision-{pending}"));
    assert_eq!(app.snapshot().await.0, before.0 + 1, "exactly one event");
    let (_, html) = get_as(&app, &mli, &format!("/fr/sessions/{s1}")).await;
    assert!(!html.contains("En attente de l’approbation de MLI"), "still awaiting Mali");
    assert!(!html.contains(&format!("/fr/decisions/{pending}/endorse")), "the button is gone");
    assert!(html.contains(r#"Prise lors de la session 1, <time datetime="2025-02-17" dir="ltr">2025-02-17</time> <bdi class="hijri">18 chaabane 1446 H</bdi>"#));
    let a = app
        .node
        .with_state(|s| {
            let doc = s.entry(&pending).unwrap().doc(&pending);
            lajna_domain::adoption(&doc, &["MAR".to_string(), "MLI".to_string()])
        })
        .await;
    assert!(a.adopted);
    // The decision has its own page, which links its session's page.
    let (status, html) = app.get(&format!("/fr/decisions/{pending}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"href="/fr/sessions/{s1}""#)), "a link to its session");
}

#[tokio::test]
async fn minutes_go_from_draft_to_agreed_and_locked_then_change_only_by_an_endorsed_amendment() {
    let app = TestApp::spawn().await;
    let s1 = session_id(&app, 1).await;
    let path = format!("/fr/sessions/{s1}");
    let (ar1, fr1) = ("محضر الاجتماع الأول للجنة", "Procès-verbal de la première réunion de la commission");

    // Draft, written by the Moroccan secretary.
    let (status, location, _) =
        post_as(&app, "mar-secretary", &format!("{path}/minutes"), &[("ar", ar1), ("fr", fr1)]).await;
    assert_eq!((status, location.as_str()), (303, format!("{path}?saved=1#minutes").as_str()));
    let html = page(&app, &path).await;
    assert!(html.contains(r#"id="minutes-state">Projet</span>"#));
    assert!(html.contains(&format!(r#"<div class="text" lang="ar" dir="rtl">{ar1}</div>"#)));
    assert!(html.contains(&format!(r#"<div class="text" lang="fr" dir="ltr">{fr1}</div>"#)));
    assert!(html.contains("En attente de l’approbation de MAR, MLI"));

    // Each co-chair endorses the version they read.
    let version = app.node.with_state(|s| s.entry(&s1).unwrap().fields["minutes"].0.id.clone()).await;
    let (mar, mar_csrf) = app.login("mar-cochair").await;
    let (_, html) = get_as(&app, &mar, &path).await;
    assert!(html.contains(&format!(r#"name="version" value="{version}""#)));
    let confirmed = [("version", version.as_str()), ("password", app.password.as_str())];
    let (status, ..) = post_with(&app, &mar, &mar_csrf, &format!("{path}/minutes/endorse"), &confirmed).await;
    assert_eq!(status, 303);
    let html = page(&app, &path).await;
    assert!(html.contains("Approuvé par MAR") && html.contains("En attente de l’approbation de MLI"));
    // A secretary cannot endorse minutes: 403, nothing written.
    let before = app.snapshot().await;
    let (status, ..) =
        post_as(&app, "mli-secretary", &format!("{path}/minutes/endorse"), &[("version", &version)]).await;
    assert_eq!(status, 403);
    assert_eq!(app.snapshot().await, before);
    let (status, ..) = post_as(&app, "mli-cochair", &format!("{path}/minutes/endorse"), &confirmed).await;
    assert_eq!(status, 303);
    let html = page(&app, &path).await;
    assert!(html.contains(r#"id="minutes-state">Approuvé par les deux parties</span>"#));
    assert!(html.contains(r#"id="minutes-locked">Verrouillé</span>"#));
    assert!(!html.contains(r#"id="minutes-form""#), "no edit form once locked");
    assert!(html.contains(r#"id="amendment-form""#));
    let list = page(&app, "/fr/sessions").await;
    assert!(list.contains("Approuvé par les deux parties"));

    // A plain edit is refused with the reason, and nothing is written.
    let before = app.snapshot().await;
    let (status, _, body) =
        post_as(&app, "mar-secretary", &format!("{path}/minutes"), &[("ar", ar1), ("fr", "Réécrit")]).await;
    assert!(matches!(status, 409 | 422), "{status}: a conflict with the state of the minutes");
    assert!(body.contains("Ce procès-verbal a été approuvé par les deux parties et il est verrouillé"), "{body}");
    assert_eq!(app.snapshot().await, before);

    // An amendment: not in force until both co-chairs endorse it.
    let fr2 = "Procès-verbal de la première réunion de la commission, corrigé";
    let (status, location, _) =
        post_as(&app, "mli-secretary", &format!("{path}/amendments"), &[("ar", ar1), ("fr", fr2)]).await;
    assert_eq!((status, location.as_str()), (303, format!("{path}?saved=1#amendments").as_str()));
    let amendment = app
        .node
        .with_state(|s| {
            lajna_domain::minutes_status(s.entry(&s1).unwrap(), &["MAR".to_string(), "MLI".to_string()]).amendments
        })
        .await
        .remove(0)
        .id;
    let html = page(&app, &path).await;
    assert!(html.contains(&format!(r#"<div class="text" lang="fr" dir="ltr">{fr1}</div>"#)), "still the agreed text");
    assert!(html.contains(&format!(r#"id="amendment-{amendment}""#)));
    for user in ["mli-cochair", "mar-cochair"] {
        let confirmed = [("version", amendment.as_str()), ("password", app.password.as_str())];
        let (status, ..) = post_as(&app, user, &format!("{path}/minutes/endorse"), &confirmed).await;
        assert_eq!(status, 303, "{user}");
    }
    let html = page(&app, &path).await;
    assert!(
        html.contains(&format!(r#"<div class="text" lang="fr" dir="ltr">{fr2}</div>"#)),
        "the amendment is in force"
    );
    assert!(html.contains("En vigueur"));
    assert!(html.contains(&format!("<code dir=\"ltr\">{amendment}</code>")));
}

#[tokio::test]
async fn changing_only_the_french_minutes_flags_the_arabic_until_it_is_confirmed_or_updated() {
    let app = TestApp::spawn().await;
    let s2 = session_id(&app, 2).await;
    let path = format!("/fr/sessions/{s2}");
    let minutes = format!("{path}/minutes");
    let (client, csrf) = app.login("mli-secretary").await;
    post_with(
        &app,
        &client,
        &csrf,
        &minutes,
        &[("ar", "محضر الدورة الثانية"), ("fr", "Procès-verbal de la deuxième session")],
    )
    .await;
    let html = page(&app, &path).await;
    assert!(!html.contains("à revoir"), "a new text is in step");

    // Only the French changes: the Arabic is to review, and the minutes cannot be endorsed.
    post_with(&app, &client, &csrf, &minutes, &[("ar", "محضر الدورة الثانية"), ("fr", "Procès-verbal complété")]).await;
    let html = page(&app, &path).await;
    assert!(html.contains(r#"id="minutes-review-ar""#) && html.contains("Arabe : à revoir"));
    let ar = page(&app, &format!("/ar/sessions/{s2}")).await;
    assert!(ar.contains("العربية: للمراجعة"));
    let (mar, mar_csrf) = app.login("mar-cochair").await;
    let (_, html) = get_as(&app, &mar, &path).await;
    assert!(!html.contains(r#"id="minutes-endorse""#), "no endorse button while a language is to review");
    let version = app.node.with_state(|s| s.entry(&s2).unwrap().fields["minutes"].0.id.clone()).await;
    let before = app.snapshot().await;
    let (status, _, body) =
        post_with(&app, &mar, &mar_csrf, &format!("{minutes}/endorse"), &[("version", &version)]).await;
    assert!(matches!(status, 409 | 422), "{status}: a conflict with the state of the minutes");
    assert!(body.contains("marquée « à revoir »"), "{body}");
    assert_eq!(app.snapshot().await, before);

    // Confirming the Arabic clears the flag without changing the text's version.
    let (status, ..) = post_with(&app, &client, &csrf, &format!("{minutes}/confirm"), &[("language", "ar")]).await;
    assert_eq!(status, 303);
    let html = page(&app, &path).await;
    assert!(!html.contains("à revoir"));
    assert!(html.contains(&format!("<code dir=\"ltr\">{version}</code>")));

    // Again; this time the Arabic is updated, which clears the flag too.
    post_with(&app, &client, &csrf, &minutes, &[("ar", "محضر الدورة الثانية"), ("fr", "Procès-verbal revu")]).await;
    assert!(page(&app, &path).await.contains("Arabe : à revoir"));
    post_with(&app, &client, &csrf, &minutes, &[("ar", "محضر الدورة الثانية المراجع"), ("fr", "Procès-verbal revu")])
        .await;
    let html = page(&app, &path).await;
    assert!(!html.contains("à revoir"), "updating the Arabic brings it up to date");
}

#[tokio::test]
async fn a_decision_text_changed_in_french_only_is_flagged_until_its_other_languages_are_confirmed() {
    let app = TestApp::spawn().await;
    let s1 = session_id(&app, 1).await;
    let pending = decision_id(&app, "deuxième session").await;
    let mut set = Map::new();
    set.insert(
        "text".into(),
        json!(LocalizedText::tri(
            "عقد الدورة الثانية للجنة بالرباط (مثال)",
            "Tenir la deuxième session de la commission à Rabat en novembre (exemple)",
            "Hold the committee's second session in Rabat (example)",
        )),
    );
    let mar = lajna_domain::Actor { party: lajna_domain::PartyCode::parse("MAR").unwrap(), member: None };
    app.node.execute(&mar, &Command::Revise { kind: RecordKind::Decision, id: pending.clone(), set }).await.unwrap();
    let path = format!("/fr/sessions/{s1}");
    let html = page(&app, &path).await;
    assert!(html.contains("Arabe : à revoir") && html.contains("Anglais : à revoir"));
    let (mli, mli_csrf) = app.login("mli-cochair").await;
    let (_, html) = get_as(&app, &mli, &path).await;
    assert!(!html.contains(&format!("/fr/decisions/{pending}/endorse")), "no endorse button while to review");
    for lang in ["ar", "en"] {
        let (status, ..) =
            post_with(&app, &mli, &mli_csrf, &format!("/fr/decisions/{pending}/confirm"), &[("language", lang)]).await;
        assert_eq!(status, 303);
    }
    let (_, html) = get_as(&app, &mli, &path).await;
    assert!(!html.contains("à revoir"));
    assert!(html.contains(&format!("/fr/decisions/{pending}/endorse")));
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_unknown_records_are_404() {
    let app = TestApp::spawn().await;
    let anonymous = common::new_client();
    for path in ["/fr/missions", "/ar/sessions", "/en/communiques"] {
        let res = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        let lang = &path[1..3];
        assert_eq!(res.headers()["location"], format!("/{lang}/login?next={path}"));
    }
    let s1 = session_id(&app, 1).await;
    let res = anonymous.post(app.url(&format!("/fr/sessions/{s1}/minutes"))).form(&[("fr", "x")]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    for path in ["/fr/missions/nope", "/fr/sessions/nope", "/fr/decisions/nope"] {
        let (status, _) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
    }
    // A mission id is not a session.
    let (status, _) = app.get(&format!("/fr/sessions/{}", mission_id(&app).await)).await;
    assert_eq!(status, 404);
    // A viewer sees the session but no form.
    let (viewer, _) = app.login("mli-viewer").await;
    let (status, html) = get_as(&app, &viewer, &format!("/fr/sessions/{s1}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<form method=\"post\" action=\"/fr/sessions/"));
}
