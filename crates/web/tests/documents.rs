//! Issue 6 over HTTP with the real server: documents with markings, the access rule, the audit
//! trail, and refused uploads that store nothing.

use crate::common::plain;
use crate::common::{self, Served, serve};

use std::path::Path;

use lajna_demo as demo;
use lajna_domain::records::Document;
use lajna_domain::{Classification, Lang, PartyCode, RecordKind, Releasability};
use lajna_ledger::sign_request;
use lajna_node::Node;

/// (status, headers, body) of a GET.
async fn get(client: &reqwest::Client, url: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = client.get(url).send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.unwrap().to_vec())
}

/// The text of a PDF as poppler's `pdftotext` reads it (an independent reader; Debian's
/// `poppler-utils`, installed by scripts/test).
fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The demo's SECRET, MAR-only document, picked by property (ids are random per run).
async fn secret_document(node: &Node) -> (String, Document) {
    node.with_state(|s| {
        s.all::<Document>(RecordKind::Document)
            .into_iter()
            .find(|(_, d)| {
                d.marking.classification == Classification::Secret
                    && d.marking.releasable_to == Releasability::Only(PartyCode::parse("MAR").unwrap())
            })
            .expect("the demo has a SECRET MAR-only document")
    })
    .await
}

/// The demo's shared document: (id, BLAKE3 of its file).
async fn shared_document(node: &Node) -> (String, String) {
    node.with_state(|s| {
        s.all::<Document>(RecordKind::Document)
            .into_iter()
            .find(|(_, d)| d.marking.releasable_to == Releasability::Both)
            .map(|(id, d)| (id, d.blake3))
            .expect("the demo has a shared document")
    })
    .await
}

/// A page's text without the Unicode isolation marks Fluent puts around placeables.
/// Every file under `DATA/blobs`.
fn blob_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    let mut stack = vec![dir.join("blobs")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_mar_only_document_never_reaches_a_user_who_may_not_see_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli) = demo::build_pair(dir.path()).await.unwrap();
    let (password, _) = demo::demo_password(&dir.path().join("mar")).unwrap();
    // An MLI reader with the highest clearance, on the MAR node: the party alone keeps it out.
    mar.put_user("mli-reader", "MLI", "co-chair", None, &password).await.unwrap();
    let mar = serve(mar).await;
    let mli = serve(mli).await;
    let (id, doc) = secret_document(&mar.node).await;
    let (shared, shared_blake3) = shared_document(&mar.node).await;
    let titles: Vec<String> = Lang::ALL.iter().filter_map(|l| doc.title.get(*l).map(String::from)).collect();
    assert_eq!(titles.len(), 3);

    // Refused: another party with SECRET clearance, and MAR users below SECRET.
    for (server, user) in [(&mar, "mli-reader"), (&mar, "mar-secretary"), (&mar, "mar-viewer"), (&mli, "mli-cochair")] {
        let (client, _) = common::login_at(&server.url, user, &password).await;
        let u = &server.url;
        for lang in ["ar", "fr", "en"] {
            let (status, _, body) = get(&client, &format!("{u}/{lang}/documents")).await;
            assert_eq!(status, 200, "{user}: list");
            assert!(!contains(&body, &id), "{user}: the list names the document");
            for t in &titles {
                assert!(!contains(&body, t), "{user}: the list shows the title {t}");
            }
            let (status, _, body) = get(&client, &format!("{u}/{lang}/documents/{id}")).await;
            assert_eq!(status, 404, "{user}: document page");
            for t in &titles {
                assert!(!contains(&body, t), "{user}: the 404 shows the title");
            }
            assert!(!contains(&body, "SECRET"), "{user}: the 404 shows a banner");
        }
        let (status, _, body) = get(&client, &format!("{u}/en/documents/{id}/file")).await;
        assert_eq!(status, 404, "{user}: file");
        assert!(!contains(&body, "%PDF"));
        let (status, _, body) = get(&client, &format!("{u}/api/v1/documents")).await;
        assert_eq!(status, 200);
        assert!(!contains(&body, &id), "{user}: API list");
        let (status, _, body) = get(&client, &format!("{u}/api/v1/documents/{id}")).await;
        assert_eq!(status, 404, "{user}: API document");
        assert!(!contains(&body, &titles[2]));
        for path in ["/api/v1/state", "/api/v1/events?limit=1000"] {
            let (status, _, body) = get(&client, &format!("{u}{path}")).await;
            assert_eq!(status, 200);
            assert!(!contains(&body, &id) && !contains(&body, &titles[1]), "{user}: {path}");
        }
        // The shared, UNCLASSIFIED one is there for everyone (control).
        let (_, _, body) = get(&client, &format!("{u}/api/v1/documents")).await;
        assert!(contains(&body, &shared), "{user}: the shared document is missing");

        // Nor in search results and snippets: each word of its titles, in every language.
        for t in &titles {
            for word in t.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 5) {
                let (status, _, body) = get(&client, &format!("{u}/api/v1/search?q={word}")).await;
                assert_eq!(status, 200, "{user}: search {word}");
                assert!(!contains(&body, &id), "{user}: search {word} finds it");
                for t in &titles {
                    assert!(!contains(&body, t), "{user}: search {word} shows its title");
                }
            }
        }
        // Nor in the matrix export, the calendar feed, or the report.
        for file in ["matrix.csv", "matrix.xlsx"] {
            let (status, _, body) = get(&client, &format!("{u}/en/roadmap/{file}")).await;
            assert_eq!(status, 200, "{user}: {file}");
            assert!(!contains(&body, &id) && titles.iter().all(|t| !contains(&body, t)), "{user}: {file}");
        }
        let feed = server.node.create_feed(user, "127.0.0.1").await.unwrap();
        let (status, _, body) = get(&reqwest::Client::new(), &format!("{u}/calendar/{}.ics", feed.token)).await;
        assert_eq!(status, 200, "{user}: calendar");
        assert!(!contains(&body, &id) && titles.iter().all(|t| !contains(&body, t)), "{user}: calendar");
        let (status, _, pdf) = get(&client, &format!("{u}/fr/report.pdf")).await;
        assert_eq!(status, 200, "{user}: report");
        let text = pdftotext(&pdf);
        assert!(text.contains("Commission militaire mixte"), "{user}: the report could not be read: {text}");
        assert!(!text.contains(&id) && titles.iter().all(|t| !text.contains(t.as_str())), "{user}: report");
    }
    // Nobody refused left a line naming the document.
    let trail = mar.node.store().audit_trail(1000).await.unwrap();
    assert!(!trail.iter().any(|l| l.record == id), "{trail:?}");

    // The MAR co-chair (SECRET, MAR) sees it, with the banner at top and bottom.
    let (chair, _) = common::login_at(&mar.url, "mar-cochair", &password).await;
    let (status, _, body) = get(&chair, &format!("{}/en/documents", mar.url)).await;
    assert_eq!(status, 200);
    assert!(contains(&body, &titles[2]) && contains(&body, &id));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(r#"data-marking="top"><bdi dir="ltr">SECRET — MAR ONLY</bdi>"#), "{html}");
    assert!(html.contains(r#"data-marking="bottom"><bdi dir="ltr">SECRET — MAR ONLY</bdi>"#));
    let (status, _, body) = get(&chair, &format!("{}/fr/documents/{id}", mar.url)).await;
    assert_eq!(status, 200);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(&titles[1]));
    assert_eq!(html.matches("SECRET — MAR ONLY</bdi></p>").count(), 2, "banner at top and bottom");
    let (status, headers, body) = get(&chair, &format!("{}/en/documents/{id}/file", mar.url)).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"threat-assessment.pdf\"; filename*=UTF-8''threat-assessment.pdf"
    );
    assert!(body.starts_with(b"%PDF-"));
    assert_eq!(blake3::hash(&body).to_hex().as_str(), doc.blake3);
    let (status, _, body) = get(&chair, &format!("{}/api/v1/documents/{id}", mar.url)).await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["marking_label"], "SECRET — MAR ONLY");
    assert_eq!(json["id"], id.as_str());

    // Each view by the allowed user is in the audit trail: who, what, which record, from where.
    let trail = mar.node.store().audit_trail(1000).await.unwrap();
    let mut seen: Vec<&str> = trail.iter().filter(|l| l.record == id).map(|l| l.action.as_str()).collect::<Vec<_>>();
    seen.sort_unstable();
    assert_eq!(seen, ["api-document-view", "document-download", "document-view"]);
    for line in trail.iter().filter(|l| l.record == id) {
        assert_eq!(line.username, "mar-cochair");
        assert_eq!(line.address, "127.0.0.1");
        assert_eq!(line.party, "MAR");
        assert_eq!(line.detail, "SECRET — MAR ONLY");
    }
    // The audit page shows it to the MAR co-chair; a viewer gets 404; the CSV has a BOM.
    let (status, _, body) = get(&chair, &format!("{}/en/audit", mar.url)).await;
    assert_eq!(status, 200);
    assert!(contains(&body, &id) && contains(&body, "document-download"));
    assert!(contains(&body, "Document downloaded"), "the action in words");
    // In Arabic and French, the action is in the page's language (the code stays as a title).
    let (_, _, ar) = get(&chair, &format!("{}/ar/audit", mar.url)).await;
    assert!(contains(&ar, "تنزيل وثيقة") && contains(&ar, "تسجيل الدخول"));
    let (_, _, fr) = get(&chair, &format!("{}/fr/audit", mar.url)).await;
    assert!(contains(&fr, "Document téléchargé") && contains(&fr, "Connexion"));
    let (status, _, body) = get(&chair, &format!("{}/en/audit.csv", mar.url)).await;
    assert_eq!(status, 200);
    assert!(body.starts_with("\u{feff}at,username,action".as_bytes()));
    assert!(contains(&body, &id));
    let (viewer, _) = common::login_at(&mar.url, "mar-viewer", &password).await;
    assert_eq!(get(&viewer, &format!("{}/en/audit", mar.url)).await.0, 404);
    assert_eq!(get(&viewer, &format!("{}/en/audit.csv", mar.url)).await.0, 404);
    // The audit table is append-only.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("mar/lajna.sqlite").display()))
        .await
        .unwrap();
    assert!(sqlx::query("UPDATE audit SET username = 'x'").execute(&pool).await.is_err());
    assert!(sqlx::query("DELETE FROM audit").execute(&pool).await.is_err());
    pool.close().await;

    // It lives in the MAR private log only.
    let private = mar.node.store().private_records("MAR").await.unwrap();
    assert!(private.iter().any(|(i, kind, _)| i == &id && kind == "document"));
    assert!(mar.node.store().private_records("MLI").await.unwrap().iter().all(|(i, _, _)| i != &id));
    assert!(mar.node.store().records("document").await.unwrap().iter().all(|(i, _)| i != &id));
    assert!(mar.node.store().private_events().await.unwrap().iter().any(|e| e.id == id));
    assert!(mar.node.store().events_after(0, i64::MAX).await.unwrap().iter().all(|e| e.id != id));
    assert!(mli.node.with_state(|s| s.entry(&id).is_none()).await, "the MLI node holds it");

    // Absent from what the MLI node pulls over HTTP (signed by the MLI node key) …
    let key = lajna_node::read_key(&dir.path().join("mli/keys/node-MLI.key")).unwrap();
    let mut pulled = Vec::new();
    let mut after = 0i64;
    loop {
        let body = serde_json::to_vec(&serde_json::json!({"heads": [], "after": after})).unwrap();
        let auth = sign_request(&key, "POST", "/sync/v1/pull", &lajna_node::now_rfc3339(), &body).unwrap();
        let res = reqwest::Client::new()
            .post(format!("{}/sync/v1/pull", mar.url))
            .header("x-lajna-node", &auth.node)
            .header("x-lajna-time", &auth.time)
            .header("x-lajna-nonce", &auth.nonce)
            .header("x-lajna-signature", &auth.signature)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap().to_vec();
        let reply: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        pulled.extend(bytes);
        match reply["next"].as_i64() {
            Some(n) => after = n,
            None => break,
        }
    }
    assert!(contains(&pulled, &shared_blake3), "the pull carries the shared document (control)");
    assert!(!contains(&pulled, &id) && !contains(&pulled, &doc.blake3), "the pull carries the secret one");
    for t in &titles {
        assert!(!contains(&pulled, &t.replace('"', "\\\"")), "the pull carries its title");
    }
    // … and from every bundle.
    for all in [false, true] {
        let (bundle, _) = mar.node.bundle_export(Some("MLI"), all).await.unwrap();
        let text = zstd::bulk::decompress(&bundle, 1 << 26).unwrap();
        assert!(!contains(&text, &id) && !contains(&text, &titles[2]), "bundle (all={all})");
    }
    // The record verifies and rebuilds with the private document in place.
    assert!(mar.node.store().verify().await.unwrap().ok());
    let hash = mar.node.store().state_hash().await.unwrap();
    assert_eq!(mar.node.store().rebuild().await.unwrap(), hash);
    assert_eq!(mar.node.store().state_hash().await.unwrap(), mli.node.store().state_hash().await.unwrap());
}

/// A node with the demo and a document limit of `max` bytes, served.
async fn small_limit_app(max: u64) -> (tempfile::TempDir, Served, String) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut node = demo::build(&data).await.unwrap();
    node.config.max_document_bytes = max;
    let (password, _) = demo::demo_password(&data).unwrap();
    let served = serve(node).await;
    (dir, served, password)
}

async fn upload(
    client: &reqwest::Client,
    url: &str,
    csrf: &str,
    bytes: Vec<u8>,
    file_name: &str,
    media_type: &str,
    classification: &str,
) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()).mime_str(media_type).unwrap();
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("title_fr", "Rapport d'essai")
        .text("title_en", "Test report")
        .text("language", "fr")
        .text("classification", classification.to_string())
        .text("releasable_to", "both")
        .part("file", part);
    let res = client.post(url).multipart(form).send().await.unwrap();
    (res.status().as_u16(), plain(&res.text().await.unwrap()))
}

/// What "nothing stored" compares: shared and private events, state hash, blob files.
async fn stored(app: &Served, data: &Path) -> (i64, usize, String, Vec<std::path::PathBuf>) {
    (
        app.node.store().event_count().await.unwrap(),
        app.node.store().private_events().await.unwrap().len(),
        app.node.store().state_hash().await.unwrap(),
        blob_files(data),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_store_nothing_and_say_why() {
    let (dir, app, password) = small_limit_app(64).await;
    let data = dir.path().join("data");
    let (client, csrf) = common::login_at(&app.url, "mar-secretary", &password).await;
    let en = format!("{}/en/documents", app.url);
    let fr = format!("{}/fr/documents", app.url);
    let before = stored(&app, &data).await;
    assert_eq!(before.3.len(), 2, "the demo's two files");

    // Larger than the limit (64 bytes here).
    let (status, body) = upload(&client, &en, &csrf, vec![b'a'; 65], "big.txt", "text/plain", "UNCLASSIFIED").await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("The file is too large") && body.contains("the limit is"), "{body}");
    assert_eq!(stored(&app, &data).await, before);
    let (status, body) = upload(&client, &fr, &csrf, vec![b'a'; 65], "big.txt", "text/plain", "UNCLASSIFIED").await;
    assert_eq!(status, 413);
    assert!(body.contains("Le fichier est trop volumineux"), "{body}");

    // A text file named and declared as a PDF.
    let text = b"not a pdf at all".to_vec();
    let (status, body) =
        upload(&client, &en, &csrf, text.clone(), "report.pdf", "application/pdf", "UNCLASSIFIED").await;
    assert_eq!(status, 415, "{body}");
    assert!(body.contains("declared as application/pdf but its content is text/plain"), "{body}");
    assert_eq!(stored(&app, &data).await, before);
    // Declared as plain text but named .pdf: the name is checked too.
    let (status, body) = upload(&client, &en, &csrf, text.clone(), "report.pdf", "text/plain", "UNCLASSIFIED").await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(stored(&app, &data).await, before);

    // An empty file.
    let (status, body) = upload(&client, &en, &csrf, vec![], "empty.txt", "text/plain", "UNCLASSIFIED").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("The file is empty"), "{body}");
    assert_eq!(stored(&app, &data).await, before);

    // Above the secretary's clearance (CONFIDENTIAL), and without the CSRF token.
    let (status, _) = upload(&client, &en, &csrf, b"fine".to_vec(), "a.txt", "text/plain", "SECRET").await;
    assert_eq!(status, 403);
    let (status, _) = upload(&client, &en, "wrong", b"fine".to_vec(), "a.txt", "text/plain", "UNCLASSIFIED").await;
    assert_eq!(status, 403);
    assert_eq!(stored(&app, &data).await, before);

    // Control: a good file is stored once, however often it is uploaded.
    let (status, _) = upload(&client, &en, &csrf, text.clone(), "note.txt", "text/plain", "RESTRICTED").await;
    assert_eq!(status, 303);
    let after = stored(&app, &data).await;
    assert_eq!(after.0, before.0 + 1);
    assert_eq!(after.3.len(), 3);
    let (status, _) = upload(&client, &en, &csrf, text.clone(), "again.txt", "text/plain", "UNCLASSIFIED").await;
    assert_eq!(status, 303);
    let again = stored(&app, &data).await;
    assert_eq!(again.0, before.0 + 2, "a second document");
    assert_eq!(again.3, after.3, "the same bytes are stored once");
    let hash = blake3::hash(&text).to_hex().to_string();
    assert!(again.3.contains(&data.join("blobs").join(&hash[..2]).join(&hash[2..])));
    // The viewer (UNCLASSIFIED) sees the second but not the RESTRICTED first.
    let (viewer, _) = common::login_at(&app.url, "mar-viewer", &password).await;
    let (_, _, body) = get(&viewer, &format!("{}/api/v1/documents", app.url)).await;
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    let names: Vec<&str> = list.iter().filter_map(|d| d["file_name"].as_str()).collect();
    assert!(names.contains(&"again.txt") && !names.contains(&"note.txt"), "{names:?}");
}

/// The name a `Content-Disposition` value gives with `filename*` (RFC 8187), percent-decoded,
/// after checking the value's shape: `attachment; filename="<ASCII>"; filename*=UTF-8''<encoded>`.
fn saved_name(value: &reqwest::header::HeaderValue) -> String {
    let value = value.to_str().expect("the header is ASCII");
    let rest = value.strip_prefix("attachment; filename=\"").unwrap_or_else(|| panic!("{value}"));
    let (fallback, star) = rest.split_once("\"; filename*=UTF-8''").unwrap_or_else(|| panic!("{value}"));
    assert!(fallback.bytes().all(|b| (b' '..=b'~').contains(&b) && !b"\"\\;".contains(&b)), "{value}");
    assert!(!star.contains([' ', '"', ';', '\'']), "{value}");
    percent_encoding::percent_decode_str(star).decode_utf8().unwrap().into_owned()
}

/// C17: a document named in Arabic downloads under its exact name (`filename*`), with an ASCII
/// fallback that keeps the extension; a name with quotes and `;` cannot break the header; the
/// Arabic matrix and report carry `filename*` too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_keep_their_names() {
    let (_dir, app, password) = small_limit_app(1 << 20).await;
    let (client, csrf) = common::login_at(&app.url, "mar-secretary", &password).await;
    let en = format!("{}/en/documents", app.url);
    let name = "محضر الدورة 3 — Bamako.pdf";
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let (status, body) = upload(&client, &en, &csrf, pdf.clone(), name, "application/pdf", "UNCLASSIFIED").await;
    assert_eq!(status, 303, "{body}");
    let hostile = "rapport \"final\"; v2.txt";
    let (status, body) = upload(&client, &en, &csrf, b"quoted".to_vec(), hostile, "text/plain", "UNCLASSIFIED").await;
    assert_eq!(status, 303, "{body}");

    let (_, _, body) = get(&client, &format!("{}/api/v1/documents", app.url)).await;
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    let id_of = |file: &str| -> String {
        let d = list.iter().find(|d| d["file_name"] == file).unwrap_or_else(|| panic!("{file} in {list:?}"));
        d["id"].as_str().unwrap().to_string()
    };
    let (status, headers, body) = get(&client, &format!("{en}/{}/file", id_of(name))).await;
    assert_eq!(status, 200);
    assert_eq!(body, pdf);
    let cd = &headers["content-disposition"];
    assert_eq!(saved_name(cd), name);
    assert!(cd.to_str().unwrap().starts_with("attachment; filename=\"3_Bamako.pdf\"; "), "{cd:?}");
    assert_eq!(headers.get_all("content-disposition").iter().count(), 1);

    let (status, headers, _) = get(&client, &format!("{en}/{}/file", id_of(hostile))).await;
    assert_eq!(status, 200);
    assert_eq!(saved_name(&headers["content-disposition"]), hostile);
    assert_eq!(headers.get_all("content-disposition").iter().count(), 1);

    // The Arabic matrix and report.
    for (path, file) in [
        ("/ar/roadmap/matrix.csv", "lajna-ar-matrix.csv"),
        ("/ar/roadmap/matrix.xlsx", "lajna-ar-matrix.xlsx"),
        ("/ar/report.pdf", "lajna-report-ar.pdf"),
    ] {
        let (status, headers, _) = get(&client, &format!("{}{path}", app.url)).await;
        assert_eq!(status, 200, "{path}");
        let cd = &headers["content-disposition"];
        assert!(cd.to_str().unwrap().contains("filename*=UTF-8''"), "{path}: {cd:?}");
        assert_eq!(saved_name(cd), file, "{path}");
    }
}

/// Issue 17 item 2, the kind: a record page (here the mission the demo's SECRET MAR-only
/// threat assessment is filed with) lists the documents linked to it that the reader may see,
/// and carries their highest marking at its top and bottom; a reader not cleared, or of the
/// other party, sees neither the document nor the banner.
#[tokio::test]
async fn a_record_page_carries_the_marking_of_the_documents_filed_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = serve(demo::build(&data).await.unwrap()).await;
    let (password, _) = demo::demo_password(&data).unwrap();
    let (id, secret) = secret_document(&served.node).await;
    let mission = secret.links.first().expect("the SECRET document is filed with the mission").clone();
    let title = secret.title.show(Lang::Fr).to_string();
    let banners = |html: &str| {
        html.match_indices("class=\"marking-banner\"")
            .map(|(at, _)| plain(&html[at..at + html[at..].find("</p>").unwrap()]))
            .collect::<Vec<_>>()
    };
    let (cochair, _) = common::login_at(&served.url, "mar-cochair", &password).await;
    let (_, _, html) = get(&cochair, &format!("{}/fr/missions/{mission}", served.url)).await;
    let html = String::from_utf8(html).unwrap();
    let b = banners(&html);
    assert_eq!(b.len(), 2, "top and bottom: {b:?}");
    assert!(b.iter().all(|b| b.contains("SECRET — MAR ONLY")), "{b:?}");
    let linked = &html[html.find("id=\"linked-documents\"").expect("the linked documents")..];
    assert!(linked.contains(&format!("href=\"/fr/documents/{id}\"")) && plain(linked).contains(&title));
    for user in ["mar-secretary", "mli-cochair"] {
        let (client, _) = common::login_at(&served.url, user, &password).await;
        let (status, _, html) = get(&client, &format!("{}/fr/missions/{mission}", served.url)).await;
        let html = String::from_utf8(html).unwrap();
        assert_eq!(status, 200);
        assert!(banners(&html).is_empty() && !html.contains(&id) && !plain(&html).contains(&title), "{user}");
    }
}
