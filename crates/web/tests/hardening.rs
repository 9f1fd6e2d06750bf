//! The request surface (issue 12, item 3) against the real server: where a sign-in may send
//! the browser, login CSRF, bodies refused before they are read, connections that never finish
//! their headers, caching, and API errors as problem documents.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::TestApp;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The sign-in page's pre-session token, from its hidden field (the client keeps the cookie).
async fn login_token(client: &reqwest::Client, app: &TestApp, lang: &str) -> String {
    let res = client.get(app.url(&format!("/{lang}/login"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let set = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
    assert!(
        set.iter().any(|c| c.starts_with("lajna_login=") && c.contains("HttpOnly") && c.contains("SameSite=Strict")),
        "{set:?}"
    );
    let html = res.text().await.unwrap();
    let at = html.find("name=\"login_token\" value=\"").expect("the token field") + 26;
    html[at..at + 64].to_string()
}

/// Posts the sign-in form of `/en/login` as `mar-secretary` with `next` and extra headers.
async fn sign_in(
    client: &reqwest::Client,
    app: &TestApp,
    token: &str,
    next: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = client.post(app.url("/en/login")).form(&[
        ("login_token", token),
        ("username", "mar-secretary"),
        ("password", app.password.as_str()),
        ("next", next),
    ]);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

fn sets_session(res: &reqwest::Response) -> bool {
    res.headers().get_all("set-cookie").iter().any(|v| v.to_str().unwrap_or("").starts_with("lajna_session="))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_sign_in_only_a_same_site_path_is_followed() {
    let app = TestApp::spawn().await;
    let evil = [
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "%2F%2Fevil.example",
        "/%2F/evil.example",
        "/%09/evil.example",
        "/en/\r\nSet-Cookie: x=1",
        "/en/%0D%0Ax",
        "/en/\u{7f}",
        "https://evil.example/",
        "",
    ];
    for next in evil {
        let client = common::new_client();
        let token = login_token(&client, &app, "en").await;
        let res = sign_in(&client, &app, &token, next, &[]).await;
        assert_eq!(res.status(), 303, "{next:?}");
        assert_eq!(res.headers()["location"], "/en/", "{next:?}");
        assert!(sets_session(&res));
    }
    // A same-site path (with its query) is kept.
    let client = common::new_client();
    let token = login_token(&client, &app, "en").await;
    let res = sign_in(&client, &app, &token, "/en/documents?page=2", &[]).await;
    assert_eq!(res.headers()["location"], "/en/documents?page=2");
    // The page never puts a foreign `next` in its form.
    let html = common::new_client().get(app.url("/en/login?next=//evil.example")).send().await.unwrap();
    let html = html.text().await.unwrap();
    assert!(html.contains(r#"name="next" value="/en/""#), "{html}");
    // A control character in the sign-in address: the 400 page, never a 500.
    let res = common::new_client().get(app.url("/en/login?next=/en/%0D%0Ax")).send().await.unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn a_control_character_in_a_signed_out_path_is_a_translated_400() {
    let app = TestApp::spawn().await;
    let anonymous = common::new_client();
    for path in ["/en/actions/%0A", "/fr/actions/%7F", "/ar/documents/%0D"] {
        let res = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 400, "{path}");
        let lang = &path[1..3];
        assert!(res.text().await.unwrap().contains(&format!("<html lang=\"{lang}\"")), "{path}");
    }
}

#[tokio::test]
async fn a_form_field_that_cannot_be_read_is_named_and_a_form_address_opened_as_a_link_is_explained() {
    let app = TestApp::spawn().await;
    // `id` must be a number: the 400 page names the field, in the page's language, and says
    // nothing of control characters (the message of another refusal).
    for (lang, expected) in [
        ("ar", "لا يمكن قراءة قيمة الحقل «id» في النموذج المرسل"),
        ("fr", "La valeur du champ « id » du formulaire envoyé ne peut pas être lue"),
    ] {
        let path = format!("/{lang}/notifications/read");
        let (status, _, text) = common::post_with(&app, &app.client, &app.csrf, &path, &[("id", "abc")]).await;
        assert_eq!(status, 400, "{text}");
        assert!(text.contains(expected), "{text}");
        assert!(!text.contains("contrôle") && !text.contains("تحكم"), "{text}");
        // The same address opened as a link: a translated 405 that says why, with `Allow`.
        let res = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 405);
        assert_eq!(res.headers()["allow"], "POST");
        let page = common::plain(&res.text().await.unwrap());
        assert!(page.contains(&format!("<html lang=\"{lang}\"")), "{page}");
        let why = if lang == "ar" {
            "هذا العنوان يستقبل نموذجاً فقط"
        } else {
            "Cette adresse reçoit un formulaire"
        };
        assert!(page.contains(why), "{page}");
    }
    // The API keeps its own answer (no HTML page).
    let res = app.client.get(app.url("/api/v1/login")).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert!(!res.headers().get("content-type").is_some_and(|v| v.to_str().unwrap().starts_with("text/html")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_form_from_another_site_signs_nobody_in() {
    let app = TestApp::spawn().await;
    let host = app.addr.to_string();
    let own = format!("http://{host}");
    let refused: [&[(&str, &str)]; 4] = [
        &[("origin", "http://evil.example")],
        &[("origin", "null")],
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site"), ("origin", own.as_str())],
    ];
    for headers in refused {
        let client = common::new_client();
        let token = login_token(&client, &app, "fr").await;
        let res = sign_in(&client, &app, &token, "/fr/", headers).await;
        assert_eq!(res.status(), 403, "{headers:?}");
        assert!(!sets_session(&res), "{headers:?}");
        assert!(res.text().await.unwrap().contains("<html lang=\"en\""), "the page of the form's language");
        let res = client.get(app.url("/en/")).send().await.unwrap();
        assert_eq!(res.status(), 303, "still signed out: {headers:?}");
    }
    // Without the pre-session token (no sign-in page fetched), or with another one.
    let client = common::new_client();
    let res = sign_in(&client, &app, "", "/en/", &[]).await;
    assert_eq!(res.status(), 403);
    assert!(!sets_session(&res));
    let client = common::new_client();
    let _ = login_token(&client, &app, "en").await;
    let res = sign_in(&client, &app, &"0".repeat(64), "/en/", &[]).await;
    assert_eq!(res.status(), 403);
    assert!(!sets_session(&res));
    assert!(res.text().await.unwrap().contains("name=\"login_token\""), "the form again, with a new token");
    // Control: this server's own origin, with the token.
    let client = common::new_client();
    let token = login_token(&client, &app, "en").await;
    let res = sign_in(&client, &app, &token, "/en/", &[("origin", &own), ("sec-fetch-site", "same-origin")]).await;
    assert_eq!(res.status(), 303);
    assert!(sets_session(&res));
}

/// The session cookie of `user` (`lajna_session=…`) and its CSRF token, through the API.
async fn session_of(app: &TestApp, user: &str) -> (String, String) {
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/login"))
        .json(&serde_json::json!({"username": user, "password": app.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let body: Value = res.json().await.unwrap();
    (cookie, body["csrf_token"].as_str().unwrap().to_string())
}

/// Sends a multipart POST of `total` bytes (chunked, generated as it goes, never held) whose
/// first field is `csrf`, reading the answer meanwhile. Returns the status line and how many
/// body bytes had been written when it came.
async fn stream_upload(app: &TestApp, path: &str, cookie: &str, csrf: &str, total: u64) -> (String, u64) {
    let stream = TcpStream::connect(app.addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nTransfer-Encoding: chunked\r\n\r\n",
        app.addr
    );
    write.write_all(head.as_bytes()).await.unwrap();
    let first = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n"
    );
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    let writer = tokio::spawn(async move {
        let chunk = vec![b'a'; 64 * 1024];
        let frame = |data: &[u8]| [format!("{:x}\r\n", data.len()).as_bytes(), data, b"\r\n"].concat();
        if write.write_all(&frame(first.as_bytes())).await.is_err() {
            return;
        }
        let body = frame(&chunk);
        while counter.load(Ordering::Relaxed) < total {
            if write.write_all(&body).await.is_err() {
                return;
            }
            counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        }
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let status = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let n = read.read(&mut buf).await.unwrap_or(0);
            answer.extend_from_slice(&buf[..n]);
            if let Some(end) = answer.windows(2).position(|w| w == b"\r\n") {
                return String::from_utf8_lossy(&answer[..end]).into_owned();
            }
            assert!(n > 0, "closed without an answer after {} bytes", written.load(Ordering::Relaxed));
        }
    })
    .await
    .expect("an answer within 60 s");
    let at_answer = written.load(Ordering::Relaxed);
    drop(read);
    let _ = tokio::time::timeout(Duration::from_secs(60), writer).await;
    (status, at_answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_upload_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    let (cookie, csrf) = session_of(&app, "mar-secretary").await;
    let (viewer_cookie, viewer_csrf) = session_of(&app, "mar-viewer").await;
    const TOTAL: u64 = 300 * 1024 * 1024;
    // A wrong token, a viewer (right token), on the document upload and the matrix import.
    for (path, cookie, csrf) in [
        ("/en/documents", &cookie, "wrong"),
        ("/en/documents", &viewer_cookie, viewer_csrf.as_str()),
        ("/fr/roadmap/import", &cookie, "wrong"),
        ("/fr/roadmap/import", &viewer_cookie, viewer_csrf.as_str()),
    ] {
        let (status, at_answer) = stream_upload(&app, path, cookie, csrf, TOTAL).await;
        assert!(status.starts_with("HTTP/1.1 403"), "{path}: {status}");
        // The answer came before the body was read: the server read at most what the socket
        // buffers hold, not the 300 MB (it never held them, so there is no memory to measure).
        assert!(at_answer < 32 * 1024 * 1024, "{path}: {at_answer} bytes sent before the answer");
    }
    // The right token, a file over the limit sent without a declared size: read up to the
    // limit only, then 413 with the form.
    for path in ["/en/documents", "/fr/roadmap/import"] {
        let (status, _) = stream_upload(&app, path, &cookie, &csrf, 40 * 1024 * 1024).await;
        assert!(status.starts_with("HTTP/1.1 413"), "{path}: {status}");
    }
    // A declared size over the limit is refused from the headers alone, in the page's language.
    let res = app
        .client
        .post(app.url("/fr/documents"))
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .header("content-length", (TOTAL).to_string())
        .body("--XyZ--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("Le fichier est trop volumineux"));
    // The server still answers.
    let (status, _) = app.get("/en/documents").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let app = TestApp::spawn().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(60), async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the stalled connection is still open after 60 s");
    // Others are served meanwhile.
    assert_eq!(app.get("/healthz").await.0, 200);
}

#[tokio::test]
async fn every_api_error_is_a_problem_document() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/events?limit=abc", "/api/v1/events?after=x"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 400, "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["type"], "urn:lajna:problem:bad-request");
        assert!(!body["detail"].as_str().unwrap().is_empty());
    }
    // A JSON body over the limit, and a sign-in that is not JSON.
    let big = serde_json::json!({"username": "x".repeat(300 * 1024), "password": "y"});
    let res = common::new_client().post(app.url("/api/v1/login")).json(&big).send().await.unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let res = common::new_client()
        .post(app.url("/api/v1/login"))
        .form(&[("username", "mar-secretary"), ("password", app.password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    // An HTML form over the limit is the translated page, not plain English.
    let res = common::new_client()
        .post(app.url("/fr/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username={}", "x".repeat(300 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(res.text().await.unwrap().contains("<html lang=\"fr\""));
}

#[tokio::test]
async fn pages_and_api_answers_are_not_cached() {
    let app = TestApp::spawn().await;
    for path in ["/en/", "/en/documents", "/api/v1/actions"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = app.client.get(app.url("/static/lajna.css")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");
}

/// An exported French matrix whose sheet gains one cell at `cell`: the 15 KiB file that stopped
/// the server (issue 12) when the reference is Excel's own last cell or beyond its grid.
fn matrix_with_cell(rows: &[lajna_outputs::matrix::MatrixRow], cell: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let xlsx = lajna_outputs::matrix::to_xlsx(rows, lajna_domain::Lang::Fr).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut crafted = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let xml = String::from_utf8(bytes).unwrap();
            assert!(xml.contains("</row></sheetData>"), "{xml}");
            bytes =
                xml.replace("</row></sheetData>", &format!("<c r=\"{cell}\"><v>1</v></c></row></sheetData>")).into();
            crafted = true;
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    assert!(crafted, "no worksheet in the export");
    out.finish().unwrap().into_inner()
}

/// Issue 12: the crafted matrices that made the spreadsheet reader try to allocate petabytes are
/// refused over HTTP with the cell named in the page's language; nothing is written and the
/// server goes on answering.
#[tokio::test]
async fn a_matrix_naming_excel_s_last_cell_or_beyond_is_refused_and_the_server_keeps_answering() {
    let app = TestApp::spawn().await;
    let before = app.snapshot().await;
    let today = app.node.today();
    let rows = app.node.with_state(|s| lajna_outputs::matrix::rows(s, lajna_domain::Lang::Fr, today)).await;
    for cell in ["XFD1048576", "ZZZZ99999999"] {
        let bytes = matrix_with_cell(&rows, cell);
        assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
        let form = reqwest::multipart::Form::new().text("csrf", app.csrf.clone()).part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("matrice.xlsx")
                .mime_str("application/octet-stream")
                .unwrap(),
        );
        let res = app.client.post(app.url("/fr/roadmap/import")).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 422, "{cell}");
        let html = res.text().await.unwrap();
        assert!(html.contains(cell), "{cell}: the refusal names the cell");
        assert!(html.contains("<html lang=\"fr\""), "{cell}: in the page's language");
        assert!(!html.contains("{ $"), "{cell}: every placeable filled");
        let (status, _) = app.get("/fr/").await;
        assert_eq!(status, 200, "the server still answers after {cell}");
    }
    assert_eq!(app.snapshot().await, before, "nothing written");
}
