//! The real server on a free port, with a temp data directory holding the demo committee:
//! pages in three languages, direction, content, 404s, headers and the asset budget.

use crate::common;

use common::TestApp;

#[tokio::test]
async fn the_arabic_dashboard_is_right_to_left_and_shows_the_committee() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get("/ar/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
    for expected in [
        "اللجنة العسكرية المشتركة من الخبراء المغربية المالية",
        "زيارة الوفد العسكري المغربي رفيع المستوى إلى مالي",
        "العميد عبد الغني محب",
        "Africa/Bamako",
        "2025-02-17",
        "تدريب الأفراد العسكريين",
        "التعاون الاستخباراتي",
        "خارطة الطريق",
        "الإجراءات المتأخرة",
        "مثال",
        "المغرب يؤكد التزامه الثابت بدعم منطقة الساحل",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
}

#[tokio::test]
async fn french_and_english_dashboards_are_left_to_right() {
    let app = TestApp::spawn().await;
    let (_, fr) = app.get("/fr/").await;
    assert!(fr.contains(r#"<html lang="fr" dir="ltr">"#));
    assert!(
        fr.contains("Commission militaire mixte d&#39;experts maroco-malienne")
            || fr.contains("Commission militaire mixte d'experts maroco-malienne")
    );
    assert!(fr.contains("Général de brigade Abdelghani Mouhib"));
    assert!(fr.contains("Actions en retard"));
    // The next session on the reference date is the second one, in Rabat (illustrative).
    let next = &fr[fr.find("h-next").unwrap()..fr.find("h-recent").unwrap()];
    assert!(next.contains("Deuxième session de la commission (exemple)") && next.contains("2025-11-18"), "{next}");
    assert!(next.contains("Africa/Casablanca"));
    // Recent events: the ten newest, labelled in French.
    let recent = &fr[fr.find("h-recent").unwrap()..fr.find("h-missions").unwrap()];
    assert_eq!(recent.matches("<li>").count(), 10);
    assert!(recent.contains("Formation programmée"), "{recent}");
    let (_, en) = app.get("/en/").await;
    assert!(en.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(en.contains("Malian Ministry of Defence"));
}

#[tokio::test]
async fn overdue_actions_are_counted_against_the_demo_reference_date() {
    let app = TestApp::spawn().await;
    let (_, en) = app.get("/en/").await;
    assert!(en.contains("Reference date: \u{2068}2025-10-01\u{2069}"), "reference date not shown");
    // Due 2025-08-31, in progress on 2025-10-01: 31 days late.
    assert!(en.contains("\u{2068}31\u{2069} days late"), "days late not shown");
    // Due 2025-09-30 and delayed: one day late, singular.
    assert!(en.contains("\u{2068}1\u{2069} day late"));
}

#[tokio::test]
async fn the_press_article_reads_exactly_as_published() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get("/fr/").await;
    let start = html.find("/fr/press/").expect("no press link");
    let link = &html[start..start + "/fr/press/".len() + 64];
    let (status, page) = app.get(link).await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"<html lang="fr" dir="ltr">"#));
    assert!(page.contains(r#"<article class="press" lang="ar" dir="rtl">"#));
    assert!(page.contains("أفريكا فور بريس - هيئة التحرير"));
    assert!(page.contains("اترك تعليقاً"));
}

#[tokio::test]
async fn unknown_pages_get_a_404_in_the_language_of_the_url() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get("/fr/nulle-part").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page introuvable"));
    let (status, html) = app.get("/ar/press/0000").await;
    assert_eq!(status, 404);
    assert!(html.contains("الصفحة غير موجودة") && html.contains(r#"dir="rtl""#));
    let (status, _) = app.get("/de/").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_the_sign_in_page_in_their_language() {
    let app = TestApp::spawn().await;
    let anonymous = common::new_client();
    let res = anonymous.get(app.url("/ar/")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/ar/login?next=/ar/");
    let res = anonymous.get(app.url("/ar/login?next=/ar/")).send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#) && html.contains("تسجيل الدخول"));
    assert!(!html.contains("عبد الغني محب"), "the sign-in page shows no record");
    let res = anonymous.get(app.url("/api/v1/actions")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn the_root_redirects_and_security_headers_are_set() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/ar/");
    let res = app.client.get(app.url("/ar/")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline")
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn the_dashboard_uses_only_local_assets_within_the_page_budget() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get("/ar/").await;
    assert!(!html.contains("http://") && !html.contains("https://"), "a remote reference in the page");
    assert!(!html.contains("<script"), "no script yet");
    let (status, css) = app.get("/static/lajna.css").await;
    assert_eq!(status, 200);
    assert!(css.contains("margin-inline-start"));
    assert!(!css.contains("margin-left") && !css.contains("padding-right"), "physical properties in the stylesheet");
    // Two requests (page + stylesheet), well under the 40 KB budget even uncompressed.
    assert!(html.len() + css.len() < 60_000, "{} bytes", html.len() + css.len());
}

#[tokio::test]
async fn the_state_endpoint_matches_the_cli_export() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/api/v1/state")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["state_hash"].as_str().unwrap(), app.node.store().state_hash().await.unwrap());
    assert_eq!(v["records"]["mission"][0]["start"], "2025-02-17");
}

#[tokio::test]
async fn past_a_hundred_actions_the_dashboard_keeps_to_figures_and_stays_light() {
    let app = TestApp::spawn().await;
    lajna_demo::add_actions(&app.node, 200).await.unwrap();
    let (status, html) = app.get("/fr/").await;
    assert_eq!(status, 200);
    assert!(!html.contains(r#"id="action-"#), "per-area action tables are left out");
    assert!(html.contains("Les \u{2068}213\u{2069} actions : voir la feuille de route"));
    let overdue = &html[html.find("h-overdue").unwrap()..html.find("h-soon").unwrap()];
    assert_eq!(overdue.matches("<li>").count(), lajna_web::views::DASHBOARD_LIST);
    assert!(overdue.contains("/fr/roadmap?overdue=1"));
    assert!(html.len() < 60_000, "{} bytes", html.len());
}

#[tokio::test]
async fn internal_notes_are_seen_only_by_their_party() {
    let app = TestApp::spawn().await;
    // The demo's private log already holds its MAR-only document (issue 6).
    let demo_private = app.node.store().private_events().await.unwrap().len();
    let res = app
        .client
        .post(app.url("/fr/notes"))
        .form(&[("csrf", app.csrf.as_str()), ("title", "Liste des stagiaires"), ("text", "Capitaine X, lieutenant Y")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, mine) = app.get("/fr/notes").await;
    assert!(mine.contains("Capitaine X, lieutenant Y"));
    let (mli, _) = app.login("mli-secretary").await;
    let theirs = mli.get(app.url("/fr/notes")).send().await.unwrap().text().await.unwrap();
    assert!(!theirs.contains("Capitaine X"), "another party's note was shown");
    // Not in the shared record, the API or the export either.
    let state = app.client.get(app.url("/api/v1/state")).send().await.unwrap().text().await.unwrap();
    assert!(!state.contains("Capitaine X"));
    // A note with no text is refused, nothing written (in either log).
    let before = (app.snapshot().await, app.node.store().private_events().await.unwrap().len());
    assert_eq!(before.1, demo_private + 1);
    let res = app
        .client
        .post(app.url("/fr/notes"))
        .form(&[("csrf", app.csrf.as_str()), ("title", "x"), ("text", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!((app.snapshot().await, app.node.store().private_events().await.unwrap().len()), before);
}

#[tokio::test]
async fn the_follow_up_matrix_downloads_as_xlsx_and_csv() {
    let app = TestApp::spawn().await;
    let (_, page) = app.get("/fr/roadmap").await;
    assert!(page.contains("/fr/roadmap/matrix.xlsx") && page.contains("/fr/roadmap/matrix.csv"));
    let res = app.client.get(app.url("/fr/roadmap/matrix.csv")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let csv = res.bytes().await.unwrap();
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF], "case C07: a BOM for Excel");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    // One header line and one line per action (13 in the demo), in French.
    assert_eq!(text.lines().count(), 14, "{text}");
    // Case C18: French Excel reads `;` (a comma-separated file opens there as one column).
    assert!(text.starts_with("Identifiant;Domaine;Action (arabe);Action (français)"), "{text}");
    assert!(text.contains("Former 12 officiers maliens aux premiers secours au combat"));
    let xlsx = app.client.get(app.url("/ar/roadmap/matrix.xlsx")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&xlsx[..2], b"PK", "an XLSX file is a zip");
    let anonymous = common::new_client().get(app.url("/fr/roadmap/matrix.csv")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303, "signed-out visitors are sent to sign in");
}
