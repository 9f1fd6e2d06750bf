//! Matrix import through the real server: upload (multipart + CSRF) → preview → confirm
//! (CSRF) → written; refusals and the role rules (issue 4).

use crate::common;

use common::TestApp;
use lajna_domain::records::Action;
use lajna_domain::{Lang, RecordKind};
use lajna_outputs::matrix::{MatrixRow, rows, to_csv};

async fn matrix(app: &TestApp) -> Vec<MatrixRow> {
    let today = app.node.today();
    app.node.with_state(|s| rows(s, Lang::Fr, today)).await
}

async fn upload(client: &reqwest::Client, app: &TestApp, csrf: &str, bytes: Vec<u8>) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("matrice.csv").mime_str("text/csv").unwrap());
    let res = client.post(app.url("/fr/roadmap/import")).multipart(form).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn digest_of(html: &str) -> String {
    let at = html.find("name=\"digest\" value=\"").expect("a confirm form") + 21;
    html[at..at + 64].to_string()
}

#[tokio::test]
async fn a_csv_is_previewed_then_applied_by_a_secretary() {
    let app = TestApp::spawn().await;
    let (status, roadmap) = app.get("/fr/roadmap").await;
    assert_eq!(status, 200);
    assert!(roadmap.contains("id=\"import-upload\"") && roadmap.contains("enctype=\"multipart/form-data\""));

    let mut rows = matrix(&app).await;
    // A Moroccan action not done (ids are random per run: pick by property).
    let i = rows.iter().position(|r| r.owner == "MAR" && r.status != "done").unwrap();
    let progress = if rows[i].progress == 35 { 36 } else { 35 };
    rows[i].progress = progress;
    rows[i].status = "in_progress";
    let mut new = rows[i].clone();
    new.id = String::new();
    new.title_fr = "Exercice conjoint importé".into();
    new.title_ar = "تمرين مشترك مستورد".into();
    rows.push(new);
    let bytes = to_csv(&rows, Lang::Fr).unwrap();
    let before = app.snapshot().await;

    // Without the CSRF token: refused, nothing held.
    let (status, _) = upload(&app.client, &app, "", bytes.clone()).await;
    assert_eq!(status, 403);

    let (status, html) = upload(&app.client, &app, &app.csrf, bytes).await;
    assert_eq!(status, 200, "{html}");
    let sheet_row = i + 2;
    assert!(
        html.contains(&format!("id=\"import-row-{sheet_row}\" data-row=\"{sheet_row}\" data-outcome=\"update\"")),
        "{html}"
    );
    assert!(html.contains("data-outcome=\"create\""));
    assert_eq!(html.matches("data-outcome=\"unchanged\"").count(), rows.len() - 2);
    assert!(html.contains("À créer : \u{2068}1\u{2069} · à modifier : \u{2068}1\u{2069}"), "{html}");
    assert!(html.contains("Modifications : \u{2068}") && html.contains("Avancement %"), "{html}");
    assert_eq!(app.snapshot().await, before, "a preview writes nothing");
    let digest = digest_of(&html);

    // Another session cannot apply what this one uploaded.
    let (other, other_csrf) = app.login("mar-cochair").await;
    let res = other
        .post(app.url("/fr/roadmap/import/apply"))
        .form(&[("csrf", other_csrf.as_str()), ("digest", digest.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(app.snapshot().await, before);

    let res = app
        .client
        .post(app.url("/fr/roadmap/import/apply"))
        .form(&[("csrf", app.csrf.as_str()), ("digest", digest.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"import-notice\""), "{html}");
    assert!(html.contains("2\u{2069} événements écrits et signés"), "{html}");
    assert_eq!(app.snapshot().await.0, before.0 + 2);
    let a: Action = app.node.with_state(|s| s.get(RecordKind::Action, &rows[i].id).unwrap()).await;
    assert_eq!(a.progress.percent(), progress);
    let titles: Vec<String> = app
        .node
        .with_state(|s| s.all::<Action>(RecordKind::Action))
        .await
        .into_iter()
        .filter_map(|(_, a)| a.title.fr)
        .collect();
    assert!(titles.iter().any(|t| t == "Exercice conjoint importé"));

    // Applied once: the held file is gone.
    let res = app
        .client
        .post(app.url("/fr/roadmap/import/apply"))
        .form(&[("csrf", app.csrf.as_str()), ("digest", digest.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(app.snapshot().await.0, before.0 + 2);
}

#[tokio::test]
async fn another_partys_rows_are_refused_nothing_is_written_and_viewers_cannot_import() {
    let app = TestApp::spawn().await;
    let mut rows = matrix(&app).await;
    // A Malian action changed by a Moroccan secretary: refused by the role rules.
    let m = rows.iter().position(|r| r.owner == "MLI" && r.status != "done").unwrap();
    rows[m].progress = if rows[m].progress == 12 { 13 } else { 12 };
    rows[m].status = "in_progress";
    let bytes = to_csv(&rows, Lang::Fr).unwrap();
    let before = app.snapshot().await;
    let (status, html) = upload(&app.client, &app, &app.csrf, bytes).await;
    assert_eq!(status, 422, "{html}");
    let sheet_row = m + 2;
    assert!(html.contains(&format!("data-row=\"{sheet_row}\" data-outcome=\"refused\"")), "{html}");
    assert!(html.contains("Votre partie et votre rôle ne vous permettent pas"), "{html}");
    assert!(html.contains("id=\"import-error\""));
    assert!(!html.contains("id=\"import-confirm\""), "no confirm form for a refused file");
    assert_eq!(app.snapshot().await, before);

    // A file that is not a matrix.
    let (status, html) = upload(&app.client, &app, &app.csrf, b"just,some\ntext,here\n".to_vec()).await;
    assert_eq!(status, 422);
    assert!(html.contains("Aucune ligne d’en-tête"), "{html}");

    let (viewer, viewer_csrf) = app.login("mar-viewer").await;
    let res = viewer.get(app.url("/fr/roadmap/import")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let (status, _) = upload(&viewer, &app, &viewer_csrf, to_csv(&rows, Lang::Fr).unwrap()).await;
    assert_eq!(status, 403);
    let (_, roadmap) = {
        let res = viewer.get(app.url("/fr/roadmap")).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    };
    assert!(!roadmap.contains("id=\"import-upload\""), "no upload form for viewers");
    assert_eq!(app.snapshot().await, before);
}

/// Issue 17 item 5 over HTTP: the French matrix downloaded from the roadmap page (`;`, status
/// words) uploads back with every row unchanged; a status word of no language is refused listing
/// the French words, a delayed action without its reason is refused naming the column, and a
/// CSV saved as Windows-1256 is refused naming its row (case C21); nothing is written.
#[tokio::test]
async fn the_french_matrix_round_trips_over_http_and_its_refusals_are_french() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/fr/roadmap/matrix.csv")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with("\u{FEFF}Identifiant;Domaine;".as_bytes()), "{}", String::from_utf8_lossy(&bytes));
    assert!(String::from_utf8_lossy(&bytes).contains(";En cours;"), "French status words");
    let before = app.snapshot().await;
    let rows = matrix(&app).await;
    let (status, html) = upload(&app.client, &app, &app.csrf, bytes).await;
    assert_eq!(status, 200, "{html}");
    let summary = format!("À créer : 0 · à modifier : 0 · inchangées : {} · refusées : 0", rows.len());
    assert!(common::plain(&html).contains(&summary), "{html}");

    let mut rows = rows;
    let i = rows.iter().position(|r| r.owner == "MAR" && r.status == "in_progress").unwrap();
    let j = rows.iter().position(|r| r.owner == "MAR" && r.status != "in_progress").unwrap();
    rows[i].status = "delayed";
    rows[i].reason = String::new();
    rows[j].status = "en attente";
    let (status, html) = upload(&app.client, &app, &app.csrf, to_csv(&rows, Lang::Fr).unwrap()).await;
    assert_eq!(status, 422, "{html}");
    let html = common::plain(&html);
    for row in [i + 2, j + 2] {
        assert!(html.contains(&format!("data-row=\"{row}\" data-outcome=\"refused\"")), "row {row}: {html}");
    }
    assert!(
        html.contains("Une action « Retardée » doit en indiquer le motif : remplissez la colonne « Motif »."),
        "{html}"
    );
    assert!(
        html.contains(
            "Colonne « Statut » : Statut inconnu « en attente ». Écrivez l’un de ceux-ci : Prévue, En cours, Réalisée, Retardée, Bloquée, Annulée."
        ),
        "{html}"
    );
    // Each refused row names the party owning its action, first among its details.
    for row in [i + 2, j + 2] {
        let at = html.find(&format!("data-row=\"{row}\" data-outcome=\"refused\"")).unwrap();
        let details = &html[at..at + html[at..].find("</tr>").unwrap()];
        assert!(details.contains(r#"<p class="import-detail">Partie propriétaire : MAR</p>"#), "row {row}: {details}");
    }

    let mut cp1256 = b"Identifiant;Domaine;Action (fran\xC3\xA7ais);Statut\r\n".to_vec();
    cp1256.extend_from_slice(b";Formation;\xC7\xE1\xE1\xCC\xE4\xC9;planned\r\n");
    let (status, html) = upload(&app.client, &app, &app.csrf, cp1256).await;
    assert_eq!(status, 422, "{html}");
    assert!(common::plain(&html).contains("Ligne 2 : le fichier CSV n’est pas en UTF-8"), "{html}");
    assert_eq!(app.snapshot().await, before, "nothing written");
}

/// Issue 17 item 7 (must show) over the form, the API and the matrix upload: a title pasted in
/// NFD is stored as the NFC bytes typed elsewhere (and imports as unchanged); a title of spaces
/// and invisible marks, and a 301-character one, are refused with the French message and
/// nothing written; the API refuses a reason of invisible marks and stores an NFD one as NFC.
#[tokio::test]
async fn text_is_checked_at_the_door_over_the_form_the_api_and_the_upload() {
    let app = TestApp::spawn().await;
    let nfc = "D\u{e9}fense c\u{f4}ti\u{e8}re \u{e0} Mopti";
    let nfd = "De\u{301}fense co\u{302}tie\u{300}re a\u{300} Mopti";
    assert_ne!(nfc.as_bytes(), nfd.as_bytes());
    let rows = matrix(&app).await;
    let mar = rows.iter().find(|r| r.owner == "MAR" && r.status == "in_progress").unwrap().id.clone();
    let action = |id: String| {
        let node = app.node.clone();
        async move { node.with_state(move |s| s.get::<Action>(RecordKind::Action, &id)).await.unwrap() }
    };
    let (roadmap, area) = {
        let a = action(mar.clone()).await;
        (a.roadmap, a.area)
    };
    let form = |title: &str| {
        vec![
            ("csrf", app.csrf.clone()),
            ("roadmap", roadmap.clone()),
            ("area", area.clone()),
            ("title.fr", title.to_string()),
            ("owner", "MAR".into()),
            ("unit.fr", "École du génie".into()),
            ("start", "01/11/2025".into()),
            ("due", "27/02/2026".into()),
            ("status", "planned".into()),
            ("progress", "0".into()),
        ]
    };
    let fr = |key: &str, args: &[(&str, lajna_web::i18n::Arg)]| {
        lajna_web::i18n::Catalog::load().get(Lang::Fr, key, args).replace(['\u{2068}', '\u{2069}'], "")
    };

    // The form: NFD in, NFC stored.
    let res = app.client.post(app.url("/fr/new/action")).form(&form(nfd)).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let id = res.headers()["location"].to_str().unwrap().trim_start_matches("/fr/actions/").replace("?saved=1", "");
    assert_eq!(action(id.clone()).await.title.fr.as_deref().map(str::as_bytes), Some(nfc.as_bytes()));

    // Refused at the form, in French, nothing written.
    let before = app.snapshot().await;
    let long = "a".repeat(301);
    for (title, message) in [
        (" \u{200B}\u{200F}\u{FEFF}\u{2066} ", fr("error-empty-text", &[])),
        (
            long.as_str(),
            fr(
                "error-too-long",
                &[("length", lajna_web::i18n::Arg::Num(301)), ("max", lajna_web::i18n::Arg::Num(300))],
            ),
        ),
    ] {
        let res = app.client.post(app.url("/fr/new/action")).form(&form(title)).send().await.unwrap();
        assert_eq!(res.status(), 422, "{title:?}");
        let html = common::plain(&res.text().await.unwrap());
        assert!(html.contains(&message.replace('\'', "&#39;")) || html.contains(&message), "{message}: {html}");
        assert_eq!(app.snapshot().await, before, "{title:?}: nothing written");
    }
    assert!(fr("error-too-long", &[("length", lajna_web::i18n::Arg::Num(301))]).contains("301 caractères"));

    // The API: a reason of invisible marks is none (refused for a delayed action); NFD stored NFC.
    let patch = |body: serde_json::Value| {
        app.client
            .patch(app.url(&format!("/api/v1/actions/{mar}")))
            .header("X-CSRF-Token", &app.csrf)
            .json(&body)
            .send()
    };
    let res = patch(serde_json::json!({"status": "delayed", "reason": "\u{200B} \u{200F}\u{2069}"})).await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(app.snapshot().await, before, "nothing written");
    let res = patch(serde_json::json!({"status": "delayed", "reason": nfd})).await.unwrap();
    assert_eq!(res.status(), 200);
    let reason = action(mar.clone()).await.reason.and_then(|r| r.get(Lang::En).or(r.get(Lang::Fr)).map(String::from));
    assert_eq!(reason.as_deref().map(str::as_bytes), Some(nfc.as_bytes()));

    // The upload: the NFD spelling of the stored title is the same title (unchanged); an
    // invisible-only title and a 301-character one are refused, naming their column.
    let before = app.snapshot().await;
    let mut rows = matrix(&app).await;
    let i = rows.iter().position(|r| r.id == id).unwrap();
    rows[i].title_fr = nfd.to_string();
    let (status, html) = upload(&app.client, &app, &app.csrf, to_csv(&rows, Lang::Fr).unwrap()).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(&format!("data-row=\"{}\" data-outcome=\"unchanged\"", i + 2)), "{html}");
    for (title, said) in [
        (
            "\u{200B} \u{FEFF}",
            "Colonne « Action (arabe) / Action (français) » : L’action n’a pas de titre, ni en arabe ni en français.",
        ),
        (long.as_str(), " : Ce texte est trop long : 301 caractères, 300 au plus."),
    ] {
        let mut rows = matrix(&app).await;
        rows[i].title_fr = title.to_string();
        let (status, html) = upload(&app.client, &app, &app.csrf, to_csv(&rows, Lang::Fr).unwrap()).await;
        assert_eq!(status, 422, "{title:?}: {html}");
        assert!(html.contains(&format!("data-row=\"{}\" data-outcome=\"refused\"", i + 2)), "{title:?}: {html}");
        assert!(common::plain(&html).contains(said), "{said}: {html}");
    }
    assert_eq!(app.snapshot().await, before, "nothing written by the uploads");
}
