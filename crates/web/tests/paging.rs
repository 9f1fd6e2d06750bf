//! API lists a page at a time (issue 11 item 3): `GET /api/v1/actions` and the record
//! collections answer pages in id order (default 50, at most 500) with a `Link: rel="next"`
//! cursor, and an `ETag` that `If-None-Match` turns into a 304 until the record changes.

use crate::common;

use common::TestApp;
use serde_json::{Value, json};

/// GET `path`; (status, body, ETag, the next page's path from the Link header).
async fn page(app: &TestApp, path: &str, if_none_match: Option<&str>) -> (u16, Value, String, Option<String>) {
    let mut req = app.client.get(app.url(path));
    if let Some(tag) = if_none_match {
        req = req.header("if-none-match", tag);
    }
    let res = req.send().await.unwrap();
    let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (status, tag, link) = (res.status().as_u16(), header("etag").unwrap_or_default(), header("link"));
    let next = link.map(|l| {
        assert!(l.ends_with(">; rel=\"next\""), "{l}");
        l.trim_start_matches('<').split('>').next().unwrap().to_string()
    });
    (status, res.json().await.unwrap_or(Value::Null), tag, next)
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn actions_come_a_page_at_a_time_with_a_cursor_that_walks_the_whole_list_once() {
    let app = TestApp::spawn().await;
    let (status, all, _, next) = page(&app, "/api/v1/actions", None).await;
    assert_eq!((status, next), (200, None), "the demo's actions fit in the default page of 50");
    let all = ids(&all);
    assert_eq!(all.len(), 13);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "id order");

    let (mut walked, mut path, mut sizes) = (Vec::new(), Some("/api/v1/actions?limit=5".to_string()), Vec::new());
    while let Some(p) = path {
        let (status, body, _, next) = page(&app, &p, None).await;
        assert_eq!(status, 200, "{p}");
        sizes.push(body.as_array().unwrap().len());
        walked.extend(ids(&body));
        path = next;
    }
    assert_eq!(sizes, [5, 5, 3]);
    assert_eq!(walked, all);
    // A page size out of range is clamped; one that is not a number is a problem document.
    assert_eq!(ids(&page(&app, "/api/v1/actions?limit=0", None).await.1), all[..1]);
    assert_eq!(ids(&page(&app, "/api/v1/actions?limit=100000", None).await.1), all);
    let (status, problem, _, _) = page(&app, "/api/v1/actions?limit=many", None).await;
    assert_eq!((status, problem["code"].as_str()), (400, Some("bad-request")));
    // A cursor after the last id: an empty page, no next.
    let last = all.last().unwrap();
    assert_eq!(page(&app, &format!("/api/v1/actions?after={last}"), None).await.1, json!([]));
}

#[tokio::test]
async fn an_unchanged_list_answers_304_to_its_etag_and_a_write_changes_the_tag() {
    let app = TestApp::spawn().await;
    let (_, list, tag, _) = page(&app, "/api/v1/actions", None).await;
    assert!(tag.starts_with("W/\"g") && tag.contains("MAR"), "{tag}");
    let (status, body, same, _) = page(&app, "/api/v1/actions", Some(&tag)).await;
    assert_eq!((status, body, same.as_str()), (304, Value::Null, tag.as_str()));
    assert_eq!(page(&app, "/api/v1/actions", Some("\"other\", *")).await.0, 304, "* matches");
    let (status, _, areas_tag, _) = page(&app, "/api/v1/areas?limit=1", None).await;
    assert_eq!(status, 200);
    assert_eq!(page(&app, "/api/v1/areas?limit=1", Some(&areas_tag)).await.0, 304);

    // A write: the list is sent again under a new tag, showing the change.
    let open = list.as_array().unwrap().iter().find(|a| a["owner_party"] == "MAR" && a["status"] == "in_progress");
    let id = open.expect("an open MAR action")["id"].as_str().unwrap();
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/actions/{id}")))
        .header("X-CSRF-Token", &app.csrf)
        .json(&json!({"progress": 61}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (status, body, new_tag, _) = page(&app, "/api/v1/actions", Some(&tag)).await;
    assert_eq!(status, 200);
    assert_ne!(new_tag, tag);
    let changed = body.as_array().unwrap().iter().find(|a| a["id"] == id).unwrap();
    assert_eq!(changed["progress"], 61);
    // Another reader class (the Malian secretary) never shares the Moroccan tag.
    let (mli, _) = app.login("mli-secretary").await;
    let res = mli.get(app.url("/api/v1/actions")).header("if-none-match", &new_tag).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn the_page_size_cursor_and_tags_are_documented_on_every_list() {
    let app = TestApp::spawn().await;
    let doc: Value = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let lists =
        std::iter::once("actions".to_string()).chain(lajna_views::api::COLLECTIONS.iter().map(|(n, _)| n.to_string()));
    for name in lists {
        let get = &doc["paths"][format!("/api/v1/{name}")]["get"];
        let param = |p: &str| get["parameters"].as_array().unwrap().iter().find(|x| x["name"] == p).cloned();
        let limit = param("limit").unwrap_or_else(|| panic!("{name}: no limit"));
        assert_eq!((limit["schema"]["default"].as_u64(), limit["schema"]["maximum"].as_u64()), (Some(50), Some(500)));
        assert!(param("after").is_some(), "{name}: no cursor");
        let headers = &get["responses"]["200"]["headers"];
        assert!(headers["ETag"].is_object() && headers["Link"].is_object(), "{name}");
        assert!(get["responses"]["304"].is_object(), "{name}");
    }
}

#[tokio::test]
async fn a_kept_list_page_is_sent_gzip_encoded_once_and_reads_back_as_the_plain_one() {
    use std::io::Read;
    let app = TestApp::spawn().await;
    for path in ["/api/v1/actions?limit=5", "/api/v1/decisions?limit=3"] {
        let get = |encoding: Option<&'static str>| {
            let req = app.client.get(app.url(path));
            async move {
                let res = match encoding {
                    Some(e) => req.header("accept-encoding", e),
                    None => req,
                }
                .send()
                .await
                .unwrap();
                let header = |n: &str| res.headers().get(n).map(|v| v.to_str().unwrap().to_string());
                let (encoding, link) = (header("content-encoding"), header("link"));
                (encoding, link, res.bytes().await.unwrap().to_vec())
            }
        };
        let (plain_encoding, plain_link, plain) = get(None).await;
        assert_eq!(plain_encoding, None, "{path}");
        let refused = get(Some("gzip;q=0, identity")).await;
        assert_eq!((refused.0, &refused.2), (None, &plain), "{path}: gzip refused");
        // Twice: the second is the kept encoding; both decode (once) to the plain bytes.
        for _ in 0..2 {
            let (encoding, link, gzipped) = get(Some("br, gzip")).await;
            assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
            assert_eq!(link, plain_link);
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gzipped[..]).read_to_end(&mut back).unwrap();
            assert_eq!(back, plain, "{path}: one gzip layer, the same JSON");
            assert!(gzipped.len() < plain.len());
        }
        let items: Value = serde_json::from_slice(&plain).unwrap();
        assert!(!items.as_array().unwrap().is_empty(), "{path}");
    }
}
