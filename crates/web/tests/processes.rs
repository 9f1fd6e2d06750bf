//! One store, many processes (issue 15 item 5): what another process writes to the data
//! directory a server is serving is seen by the server's next request — pages, API, search,
//! sign-in and the (cached) dashboard — without a restart.
//!
//! The other process is a second `Node` opened on the served directory inside the test, as
//! `lajna doc add`, `lajna user add`, `lajna import --apply` and `lajna bundle import` open it:
//! its own SQLite connections and its own memory fold, sharing nothing with the server but the
//! files (the CLI binary is not built for lajna-web's tests; `crates/cli/tests/cli.rs` runs the
//! real binary against a store the test keeps open).

use crate::common;

use common::TestApp;
use lajna_domain::records::{Action, Document};
use lajna_domain::{Actor, Classification, Lang, LocalizedText, Marking, PartyCode, Releasability};
use lajna_node::Node;
use lajna_node::documents::Upload;
use lajna_node::import::Importer;
use lajna_outputs::matrix::{rows, to_csv};

async fn search(client: &reqwest::Client, app: &TestApp, q: &str) -> String {
    let res = client.get(app.url(&format!("/api/v1/search?q={q}&lang=fr"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_a_user_and_an_import_written_by_another_process_are_served_at_once() {
    let app = TestApp::spawn().await;
    // Warm every cache first: dashboard, search index, state hash.
    let (status, dashboard_before) = app.get("/fr/").await;
    assert_eq!(status, 200);
    assert!(!search(&app.client, &app, "quokkarium").await.contains("\"id\""));
    let other = Node::open(&app.node.dir.0).await.unwrap();

    // `lajna doc add`: a shared, unclassified document.
    let mar = PartyCode::parse("MAR").unwrap();
    let document = Document {
        title: LocalizedText { fr: Some("Note quokkarium sur la logistique".into()), ar: None, en: None },
        language: Lang::Fr,
        date: Some("2025-03-01".parse().unwrap()),
        marking: Marking { classification: Classification::Unclassified, releasable_to: Releasability::Both },
        blake3: String::new(),
        media_type: String::new(),
        size: 0,
        file_name: String::new(),
        links: Vec::new(),
        illustrative: false,
    };
    let upload = Upload { bytes: b"Quokkarium: plan logistique.\n", file_name: "note.txt".into(), declared_type: None };
    let doc = other.register_document(None, &Actor { party: mar, member: None }, &upload, document).await.unwrap();
    let (status, page) = app.get(&format!("/fr/documents/{doc}")).await;
    assert_eq!(status, 200, "the document page answers at once");
    assert!(page.contains("Note quokkarium"));
    let (status, _) = app.get(&format!("/fr/documents/{doc}/file")).await;
    assert_eq!(status, 200, "and its file");
    assert!(search(&app.client, &app, "quokkarium").await.contains(&doc), "the search finds it");

    // `lajna user add`: the new user signs in on the server.
    other.put_user("mar-newcomer", "MAR", "viewer", None, "a long enough password 1").await.unwrap();
    let (client, _) = common::login_at(&app.url(""), "mar-newcomer", "a long enough password 1").await;
    let res = client.get(app.url("/api/v1/actions")).send().await.unwrap();
    assert_eq!(res.status(), 200, "signed in as the user another process added");

    // `lajna import --apply`: a new action by CSV.
    let today = app.node.today();
    let mut matrix = app.node.with_state(|s| rows(s, Lang::Fr, today)).await;
    let mut new = matrix.iter().find(|r| r.owner == "MAR").unwrap().clone();
    new.id = String::new();
    new.title_fr = "Exercice zorblaxien importé".into();
    new.title_ar = "تمرين مستورد".into();
    matrix.push(new);
    let parsed = lajna_outputs::import::read(&to_csv(&matrix, Lang::Fr).unwrap()).unwrap();
    let outcome = other.import_matrix(&Importer::Operator, &parsed, true).await.unwrap();
    assert!(!outcome.written.is_empty());
    let (status, roadmap) = app.get("/fr/roadmap").await;
    assert_eq!(status, 200);
    assert!(roadmap.contains("Exercice zorblaxien importé"), "the roadmap shows the imported action");
    let actions: serde_json::Value =
        app.client.get(app.url("/api/v1/actions")).send().await.unwrap().json().await.unwrap();
    assert!(actions.to_string().contains("Exercice zorblaxien"), "the API lists it");
    assert!(search(&app.client, &app, "zorblaxien").await.contains("\"id\""), "the search finds it");
    let (_, dashboard_after) = app.get("/fr/").await;
    assert_ne!(dashboard_before, dashboard_after, "the cached dashboard was recomputed");

    // The server's fold and the other's agree with the disk.
    let report = app.node.store().verify().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(app.node.store().state_hash().await.unwrap(), report.rebuilt_hash);
    let action = app.node.with_state(|s| {
        s.all::<Action>(lajna_domain::RecordKind::Action)
            .into_iter()
            .any(|(_, a)| a.title.fr.as_deref() == Some("Exercice zorblaxien importé"))
    });
    assert!(action.await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_imported_by_another_process_is_served_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli) = lajna_demo::build_pair(dir.path()).await.unwrap();
    let (password, _) = lajna_demo::demo_password(&dir.path().join("mar")).unwrap();
    let mar = common::serve(mar).await;
    let (client, _) = common::login_at(&mar.url, "mar-secretary", &password).await;
    // The MLI node writes an action the MAR server has never seen.
    let today = mli.today();
    let mut matrix = mli.with_state(|s| rows(s, Lang::Fr, today)).await;
    let mut new = matrix.iter().find(|r| r.owner == "MLI").unwrap().clone();
    new.id = String::new();
    new.title_fr = "Patrouille vorpalienne".into();
    new.title_ar = "دورية".into();
    matrix.push(new);
    let parsed = lajna_outputs::import::read(&to_csv(&matrix, Lang::Fr).unwrap()).unwrap();
    mli.import_matrix(&Importer::Operator, &parsed, true).await.unwrap();
    let (bundle, n) = mli.bundle_export(Some("MAR"), true).await.unwrap();
    assert!(n > 0);
    let before: serde_json::Value =
        client.get(format!("{}/api/v1/actions", mar.url)).send().await.unwrap().json().await.unwrap();
    assert!(!before.to_string().contains("vorpalienne"));

    // `lajna bundle import` on the MAR directory while it is served.
    let other = Node::open(&mar.node.dir.0).await.unwrap();
    other.bundle_import(&bundle).await.unwrap();
    let after: serde_json::Value =
        client.get(format!("{}/api/v1/actions", mar.url)).send().await.unwrap().json().await.unwrap();
    assert!(after.to_string().contains("Patrouille vorpalienne"), "the API lists the received action");
    let res = client.get(format!("{}/api/v1/search?q=vorpalienne&lang=fr", mar.url)).send().await.unwrap();
    assert!(res.text().await.unwrap().contains("\"id\""), "the search finds it");
    assert_eq!(mar.node.store().state_hash().await.unwrap(), mli.store().state_hash().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_kept_in_memory_ends_when_another_process_or_this_one_ends_it() {
    let app = TestApp::spawn().await;
    let status = |res: reqwest::Response| res.status().as_u16();
    let get = |client: &reqwest::Client| client.get(app.url("/api/v1/actions?limit=1")).send();
    // Served twice: the second from memory (nothing it was read from changed).
    assert_eq!(status(get(&app.client).await.unwrap()), 200);
    assert_eq!(status(get(&app.client).await.unwrap()), 200);

    // `lajna user disable` in another process: the next request is signed out.
    let other = Node::open(&app.node.dir.0).await.unwrap();
    other.disable_user("mar-secretary").await.unwrap();
    assert_eq!(status(get(&app.client).await.unwrap()), 401, "disabled by another process");

    // This process: a sign-out ends the kept session for the very next request, the same
    // cookie sent again (as a copy of it would be).
    let login = reqwest::Client::new()
        .post(app.url("/api/v1/login"))
        .json(&serde_json::json!({"username": "mli-viewer", "password": app.password}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf2 = login.json::<serde_json::Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_string();
    let with_cookie = |path: &str| reqwest::Client::new().get(app.url(path)).header("cookie", &cookie).send();
    assert_eq!(status(with_cookie("/api/v1/actions?limit=1").await.unwrap()), 200);
    assert_eq!(status(with_cookie("/api/v1/actions?limit=1").await.unwrap()), 200);
    let out = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let out = out.post(app.url("/fr/logout")).header("cookie", &cookie).form(&[("csrf", csrf2.as_str())]);
    assert_eq!(out.send().await.unwrap().status(), 303);
    assert_eq!(status(with_cookie("/api/v1/actions?limit=1").await.unwrap()), 401, "signed out at once");

    // Another process ends a session's every sign-in (`lajna user sessions --end`).
    let (client, _) = app.login("mli-cochair").await;
    assert_eq!(status(get(&client).await.unwrap()), 200);
    other.put_user("mli-cochair", "MLI", "co-chair", None, "another long password 2").await.unwrap();
    assert_eq!(status(get(&client).await.unwrap()), 401, "a new password from another process ends it");
}
