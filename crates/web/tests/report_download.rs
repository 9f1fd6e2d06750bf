//! The periodic report from the web: the dashboard button and charts, the PDF download, audited.

use std::sync::Arc;

use lajna_demo as demo;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_offers_the_report_and_shows_the_charts_mirrored_in_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let node = Arc::new(demo::build(&data).await.unwrap());
    let (password, _) = demo::demo_password(&data).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (_stop, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(lajna_web::serve(node.clone(), listener, async move {
        let _ = rx.await;
    }));
    let url = |p: &str| format!("http://{addr}{p}");
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();

    // Signed out: sent to sign in, no PDF.
    let res = client.get(url("/ar/report.pdf")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/ar/login"));

    let res = client
        .post(url("/api/v1/login"))
        .json(&serde_json::json!({"username": "mli-viewer", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // The dashboard: the button, and the two charts inline, mirrored in Arabic.
    let ar = client.get(url("/ar/")).send().await.unwrap().text().await.unwrap();
    assert!(ar.contains(r#"action="/ar/report.pdf""#));
    assert!(ar.contains("التقرير (PDF)"));
    assert!(ar.contains(r#"class="chart chart-progress""#) && ar.contains(r#"class="chart chart-done""#));
    assert!(ar.contains(r#"data-dir="rtl""#) && !ar.contains(r#"data-dir="ltr""#));
    assert!(ar.contains("<title>التقدم حسب المجال</title>"));
    let fr = client.get(url("/fr/")).send().await.unwrap().text().await.unwrap();
    assert!(fr.contains(r#"data-dir="ltr""#) && fr.contains("<title>Avancement par domaine</title>"));
    // The roadmap page: the Gantt of its actions.
    let roadmap = client.get(url("/ar/roadmap")).send().await.unwrap().text().await.unwrap();
    assert!(roadmap.contains(r#"class="chart chart-gantt""#) && roadmap.contains(r#"class="bar overdue""#));

    // The report itself, for a viewer of either party.
    let res = client.get(url("/ar/report.pdf?from=2025-01-01&to=2025-12-31")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("lajna-report-ar.pdf"));
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Every report is audited (issue 6): who, what, from where.
    let trail = node.store().audit_trail(10).await.unwrap();
    let line = trail.iter().find(|l| l.action == "report").expect("the report download is audited");
    assert_eq!(line.username, "mli-viewer");
    assert_eq!(line.party, "MLI");
    assert_eq!(line.address, "127.0.0.1");
    assert_eq!(line.detail, "report-ar.pdf from=2025-01-01&to=2025-12-31");
}

/// The procès-verbal from the session page: a PDF attachment for a signed-in user, the same
/// bytes twice (the same record gives the same PV), the sign-in page for a visitor, the 404
/// page for an unknown session.
#[tokio::test]
async fn the_session_page_offers_its_pv_as_the_same_pdf_every_time() {
    let app = crate::common::TestApp::spawn().await;
    let session = app.node.store().records("session").await.unwrap().into_iter().map(|(id, _)| id).next().unwrap();
    let (status, html) = app.get(&format!("/fr/sessions/{session}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/fr/sessions/{session}/pv.pdf")), "the session page links its PV");
    let get = |path: String| {
        let client = app.client.clone();
        let url = app.url(&path);
        async move { client.get(url).send().await.unwrap() }
    };
    let first = get(format!("/fr/sessions/{session}/pv.pdf")).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "application/pdf");
    assert!(first.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let first = first.bytes().await.unwrap();
    assert!(first.starts_with(b"%PDF-"));
    let second = get(format!("/fr/sessions/{session}/pv.pdf")).await.bytes().await.unwrap();
    assert_eq!(first, second, "two downloads of one record differ");
    let side = get(format!("/ar/sessions/{session}/pv.pdf?edition=ar%2Bfr")).await;
    assert_eq!(side.status(), 200);
    assert!(side.headers()["content-disposition"].to_str().unwrap().contains("ar-fr"));
    // One Content-Disposition for every download (C17): the name in filename* too.
    let cd = side.headers()["content-disposition"].to_str().unwrap();
    assert!(cd.contains("; filename*=UTF-8''lajna-pv-") && cd.contains("-ar-fr"), "{cd}");
    let arabic = get(format!("/ar/sessions/{session}/pv.pdf")).await.bytes().await.unwrap();
    assert_ne!(side.bytes().await.unwrap(), arabic, "the side-by-side edition is its own document");
    assert_eq!(get("/fr/sessions/nope/pv.pdf".into()).await.status(), 404);
    let anon =
        crate::common::new_client().get(app.url(&format!("/fr/sessions/{session}/pv.pdf"))).send().await.unwrap();
    assert_eq!(anon.status(), 303);
}
