//! Issue 12 item 4 with the real server: the record page is cheap (it shows the node's kept
//! verification and runs no full verification per request) and discreet (no page or API answer
//! that lists events or records names a record, or an event of a record, the user may not see).

use crate::common::plain;
use crate::common::{self, TestApp};

use lajna_domain::records::Document;
use lajna_domain::{Actor, Classification, Command, Lang, Marking, PartyCode, RecordKind, Releasability};
use lajna_node::Node;
use lajna_node::documents::Upload;
use lajna_node::record::record_of;

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// (status, body) of a GET.
async fn get(client: &reqwest::Client, url: &str) -> (u16, Vec<u8>) {
    let res = client.get(url).send().await.unwrap();
    (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
}

/// A page's text without the Unicode isolation marks Fluent puts around placeables.
fn mar() -> PartyCode {
    PartyCode::parse("MAR").unwrap()
}

/// The first document of the node's state with this marking: (id, document).
async fn document_marked(node: &Node, classification: Classification, to: &Releasability) -> (String, Document) {
    node.with_state(|s| {
        s.all::<Document>(RecordKind::Document)
            .into_iter()
            .find(|(_, d)| d.marking.classification == classification && &d.marking.releasable_to == to)
            .expect("a document with this marking")
    })
    .await
}

/// The ids of every event, in both logs, that concerns the record `id`: its creation (whose id
/// is the record's) and every event naming it in `record`.
async fn events_of(node: &Node, id: &str) -> Vec<String> {
    let mut all = node.store().events_after(0, i64::MAX).await.unwrap();
    all.extend(node.store().private_events().await.unwrap());
    all.iter().filter(|e| record_of(e) == id).map(|e| e.id.clone()).collect()
}

/// Every answer `client` gets from the pages and API calls that list events or records: the
/// record page in French and Arabic (all its pages), the events API (following `after` to the
/// end), the state export, the documents API, the dashboard, and a search for each word of
/// `words` — as (path, body).
async fn every_listing(app: &TestApp, client: &reqwest::Client, words: &[String]) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![];
    let mut fetch = async |path: String| {
        let (status, body) = get(client, &app.url(&path)).await;
        assert_eq!(status, 200, "{path}");
        out.push((path, body.clone()));
        body
    };
    for lang in ["fr", "ar"] {
        let first = fetch(format!("/{lang}/record")).await;
        let html = String::from_utf8(first).unwrap();
        let pages: usize =
            html.split(r#"data-pages=""#).nth(1).map_or(1, |rest| rest.split('"').next().unwrap().parse().unwrap());
        for p in 2..=pages {
            fetch(format!("/{lang}/record?page={p}")).await;
        }
        fetch(format!("/{lang}/")).await;
    }
    let mut after = 0;
    loop {
        let body = fetch(format!("/api/v1/events?after={after}&limit=50")).await;
        let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
        let Some(last) = list.last() else { break };
        after = last["seq"].as_i64().unwrap();
    }
    fetch("/api/v1/state".into()).await;
    fetch("/api/v1/documents".into()).await;
    for word in words {
        let q = percent_encoding::utf8_percent_encode(word, percent_encoding::NON_ALPHANUMERIC).to_string();
        fetch(format!("/fr/search?q={q}")).await;
        fetch(format!("/api/v1/search?q={q}")).await;
    }
    out
}

/// The words of a document's titles worth searching for (five letters or more).
fn title_words(doc: &Document) -> Vec<String> {
    Lang::ALL
        .iter()
        .filter_map(|l| doc.title.get(*l))
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 5).map(String::from))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_mar_only_document_and_its_events_are_on_no_list_of_a_user_who_may_not_see_it() {
    let app = TestApp::spawn().await;
    let (id, doc) = document_marked(&app.node, Classification::Secret, &Releasability::Only(mar())).await;
    let events = events_of(&app.node, &id).await;
    assert!(events.contains(&id), "the creation event has the document's id");
    let words = title_words(&doc);
    let titles: Vec<&str> = Lang::ALL.iter().filter_map(|l| doc.title.get(*l)).collect();
    assert_eq!(titles.len(), 3);

    // The co-chair of Morocco may see it: the record page lists its events (control).
    let (chair, _) = app.login("mar-cochair").await;
    let (status, html) = get(&chair, &app.url("/fr/record")).await;
    assert_eq!(status, 200);
    for e in &events {
        assert!(contains(&html, e), "mar-cochair: the record page lists event {e}");
    }
    assert!(contains(&html, r#"id="private-log""#));

    for user in ["mli-viewer", "mar-viewer"] {
        let (client, _) = app.login(user).await;
        let answers = every_listing(&app, &client, &words).await;
        assert!(answers.len() > 8);
        for (path, body) in &answers {
            for e in &events {
                assert!(!contains(body, e), "{user}: {path} names {e}");
            }
            for t in &titles {
                assert!(!contains(body, t), "{user}: {path} shows the title {t}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_secret_document_is_left_out_of_the_shared_record_for_users_below_secret() {
    let app = TestApp::spawn().await;
    // A SECRET document releasable to both parties lives in the shared log.
    let document = Document {
        title: lajna_domain::LocalizedText::tri(
            "خطة الإمداد المشتركة (مثال)",
            "Plan logistique conjoint confidentiel (exemple)",
            "Confidential joint logistics plan (example)",
        ),
        language: Lang::En,
        date: None,
        marking: Marking { classification: Classification::Secret, releasable_to: Releasability::Both },
        blake3: String::new(),
        media_type: String::new(),
        size: 0,
        file_name: String::new(),
        links: vec![],
        illustrative: true,
    };
    let upload = Upload { bytes: b"joint plan (example)\n", file_name: "plan.txt".into(), declared_type: None };
    let actor = Actor { party: mar(), member: None };
    let id = app.node.register_document(None, &actor, &upload, document.clone()).await.unwrap();
    let mut set = serde_json::Map::new();
    set.insert("date".into(), serde_json::json!("2025-03-01"));
    let revised = app.node.execute(&actor, &Command::Revise { kind: RecordKind::Document, id: id.clone(), set }).await;
    revised.unwrap();
    let events = events_of(&app.node, &id).await;
    assert_eq!(events.len(), 2, "registration and revision");
    let shared: Vec<String> =
        app.node.store().events_after(0, i64::MAX).await.unwrap().into_iter().map(|e| e.id).collect();
    assert!(events.iter().all(|e| shared.contains(e)), "both events are in the shared log");

    // The Malian co-chair (SECRET) sees both events on the record page and in the API.
    let (chair, _) = app.login("mli-cochair").await;
    let (_, html) = get(&chair, &app.url("/en/record")).await;
    let (_, api) = get(&chair, &app.url("/api/v1/events?limit=1000")).await;
    for e in &events {
        assert!(contains(&html, e) && contains(&api, e), "mli-cochair: {e} missing");
    }

    for user in ["mli-viewer", "mar-viewer", "mli-secretary"] {
        let (client, _) = app.login(user).await;
        for (path, body) in every_listing(&app, &client, &title_words(&document)).await {
            for e in &events {
                assert!(!contains(&body, e), "{user}: {path} names {e}");
            }
        }
        // The page's count is of the events the user may see.
        let (_, html) = get(&client, &app.url("/en/record")).await;
        let html = String::from_utf8(html).unwrap();
        let count = i64::try_from(shared.len() - events.len()).unwrap();
        assert!(html.contains(&format!(r#"data-count="{count}""#)), "{user}: count");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_record_page_shows_the_kept_verification_and_runs_no_full_verification_per_request() {
    let app = TestApp::spawn().await;
    assert_eq!(app.node.full_verifications(), 0, "nothing has asked yet (the test server spawns no schedule)");
    // Four first requests at once: one full verification, run lazily, once.
    let urls = ["/en/record", "/fr/record", "/ar/record", "/en/record?page=2"];
    let loads = urls.map(|u| {
        let (client, url) = (app.client.clone(), app.url(u));
        tokio::spawn(async move { get(&client, &url).await.0 })
    });
    for load in loads {
        assert_eq!(load.await.unwrap(), 200);
    }
    assert_eq!(app.node.full_verifications(), 1);
    let first = app.node.last_verification().unwrap();
    assert!(first.ok());

    for u in urls {
        let (status, _) = app.get(u).await;
        assert_eq!(status, 200);
    }
    assert_eq!(app.node.full_verifications(), 1, "page loads run no full verification");

    // A write: the new event is shown verified on receipt, still without a full run.
    let action = app
        .node
        .with_state(|s| {
            s.all::<lajna_domain::records::Action>(RecordKind::Action)
                .into_iter()
                .find(|(_, a)| a.owner == mar() && a.status == lajna_domain::ActionStatus::InProgress)
                .unwrap()
                .0
        })
        .await;
    let progress = Some(lajna_domain::Progress::new(42).unwrap());
    let cmd = Command::ReportProgress { completed: None, reason: None, action, status: None, progress };
    let new = app.node.execute(&Actor { party: mar(), member: None }, &cmd).await.unwrap();
    let (count, hash) = app.snapshot().await;
    let (_, html) = app.get("/en/record").await;
    assert_eq!(app.node.full_verifications(), 1, "a write runs no full verification");
    let text = plain(&html);
    assert!(text.contains("Every event verified"), "the last full verification was ok");
    assert!(text.contains("One event stored since the last full verification, verified on receipt."));
    assert!(html.contains(r#"id="since-check" data-count="1""#));
    assert!(html.contains(&format!(r#"data-count="{count}""#)) && html.contains(&hash));
    assert!(html.contains(&format!(r#"<time datetime="{}""#, first.at)), "the time of the last full check");
    assert!(html.contains(&format!(r#"data-events="{}""#, first.events)));
    assert_eq!(html.matches(r#"class="event check-on-receipt""#).count(), 1);
    let row = html.split(r#"class="event check-on-receipt""#).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains(&new[0].to_hex()) && row.contains("verified on receipt"), "{row}");
    assert!(row.contains(&format!(r#"data-seq="{count}""#)));

    // The scheduled run (called here directly) covers it.
    app.node.verify_now().await.unwrap();
    assert_eq!(app.node.full_verifications(), 2);
    let (_, html) = app.get("/en/record").await;
    assert!(!html.contains("check-on-receipt") && !html.contains("since-check"));
    assert_eq!(app.node.full_verifications(), 2);
    // Signed-out visitors do not start one either.
    let (status, _) = get(&common::new_client(), &app.url("/en/record")).await;
    assert_eq!(status, 303);
    assert_eq!(app.node.full_verifications(), 2);
}
