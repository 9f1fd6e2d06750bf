//! `/metrics` and `/readyz` (issue 15 item 6) against the real server: the exposition text
//! parses, requests are counted by route (never by id) and status, the record's figures match
//! the node's, and a peer's last exchange shows.

use crate::common;

use std::collections::BTreeMap;

use common::TestApp;

/// One sample: metric name, labels, value.
type Sample = (String, BTreeMap<String, String>, f64);

/// Parses Prometheus text (format 0.0.4) strictly enough for these tests: every line is empty,
/// a comment, or `name{label="value",...} value` with a numeric value.
fn parse(text: &str) -> Vec<Sample> {
    let mut samples = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line:?}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("value not numeric: {line:?}"));
        let (name, labels) = match series.split_once('{') {
            Some((name, rest)) => (name, rest.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels: {line:?}"))),
            None => (series, ""),
        };
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name: {line:?}"
        );
        let mut map = BTreeMap::new();
        let mut rest = labels;
        while !rest.is_empty() {
            let (key, after) = rest.split_once("=\"").unwrap_or_else(|| panic!("bad label: {line:?}"));
            // The value ends at the first `"` not escaped by a backslash.
            let mut end = None;
            let mut escaped = false;
            for (i, c) in after.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let end = end.unwrap_or_else(|| panic!("unterminated label value: {line:?}"));
            map.insert(key.to_string(), after[..end].to_string());
            rest = after[end + 1..].strip_prefix(',').unwrap_or(&after[end + 1..]);
        }
        samples.push((name.to_string(), map, value));
    }
    samples
}

/// The value of the sample `name` whose labels include `labels`.
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, l, _)| n == name && labels.iter().all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v)))
        .map(|(_, _, v)| *v)
}

async fn scrape(url: &str) -> Vec<Sample> {
    // Unauthenticated: a client that never signed in.
    let res = common::new_client().get(format!("{url}/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    parse(&res.text().await.unwrap())
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_show_the_record() {
    let app = TestApp::spawn().await;
    // Signed in: the dashboard (200); signed out: sent to sign in (303).
    assert_eq!(app.get("/en/").await.0, 200);
    let anonymous = common::new_client();
    assert_eq!(anonymous.get(app.url("/fr/")).send().await.unwrap().status(), 303);
    // Two different ids under one route; a path no route matches.
    for id in ["no-such-action-1", "no-such-action-2"] {
        app.get(&format!("/api/v1/actions/{id}")).await;
    }
    assert_eq!(app.get("/no/such/page/at/all").await.0, 404);

    let base = format!("http://{}", app.addr);
    let samples = scrape(&base).await;
    let requests = |route: &str, status: &str| {
        value(&samples, "lajna_http_requests_total", &[("route", route), ("status", status)]).unwrap_or(0.0)
    };
    assert!(requests("/{lang}/", "200") >= 1.0, "{samples:?}");
    assert!(requests("/{lang}/", "303") >= 1.0, "{samples:?}");
    assert_eq!(requests("/api/v1/actions/{id}", "404"), 2.0, "{samples:?}");
    assert_eq!(requests("unmatched", "404"), 1.0, "{samples:?}");
    // Routes, never paths: no label carries an id or the unmatched path.
    for (name, labels, _) in &samples {
        for v in labels.values() {
            assert!(!v.contains("no-such") && !v.contains("/no/such"), "{name} {labels:?}");
        }
    }
    // The duration histogram: buckets up to +Inf equal the count.
    let count = value(&samples, "lajna_http_request_duration_seconds_count", &[("route", "/{lang}/")]).unwrap();
    let inf = value(&samples, "lajna_http_request_duration_seconds_bucket", &[("route", "/{lang}/"), ("le", "+Inf")])
        .unwrap();
    assert_eq!(count, inf);
    assert!(count >= 2.0);
    assert!(value(&samples, "lajna_http_request_duration_seconds_sum", &[("route", "/{lang}/")]).unwrap() > 0.0);

    let events = app.node.store().event_count().await.unwrap();
    assert_eq!(value(&samples, "lajna_events_total", &[]), Some(events as f64));
    assert!(value(&samples, "lajna_store_generation", &[]).unwrap() >= 1.0);
    assert!(value(&samples, "lajna_process_resident_memory_bytes", &[]).unwrap() > 1_000_000.0);

    // The scrape itself is counted by the next one.
    let again = scrape(&base).await;
    assert!(value(&again, "lajna_http_requests_total", &[("route", "/metrics"), ("status", "200")]).unwrap() >= 1.0);
}

#[tokio::test]
async fn readyz_answers_ready_and_healthz_stays_the_liveness_check_both_without_sign_in() {
    let app = TestApp::spawn().await;
    let client = common::new_client();
    let res = client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ready");
    let res = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn metrics_show_each_peers_last_exchange() {
    let (_dir, mar, mli) = common::pair().await;
    let now = jiff::Timestamp::now().as_second() as f64;
    for (served, peer) in [(&mar, "MLI"), (&mli, "MAR")] {
        let samples = scrape(&served.url).await;
        let at = value(&samples, "lajna_sync_last_exchange_timestamp_seconds", &[("peer", peer)])
            .unwrap_or_else(|| panic!("no last exchange with {peer}: {samples:?}"));
        assert!((now - 3600.0..=now + 60.0).contains(&at), "{at} vs {now}");
        assert_eq!(value(&samples, "lajna_sync_last_exchange_failed", &[("peer", peer)]), Some(0.0));
        assert!(value(&samples, "lajna_sync_events_received_total", &[("peer", peer)]).is_some());
        // A node writes for its own party only: no series for itself.
        let own = if peer == "MLI" { "MAR" } else { "MLI" };
        assert_eq!(value(&samples, "lajna_sync_last_exchange_failed", &[("peer", own)]), None);
    }
}

/// Issue 11, reads never wait for writes: a write that changed the record makes again, before
/// it answers, the dashboards readers made lately; a reader who comes after the answer finds
/// its page made (no reader makes it, none is shown stale), showing the write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_makes_the_dashboards_readers_made_again_before_it_answers() {
    let app = TestApp::spawn().await;
    let base = format!("http://{}", app.addr);
    let pages = |samples: &[Sample]| {
        let made = |by| value(samples, "lajna_pages_made_total", &[("by", by)]).unwrap();
        (made("reader"), made("write"), value(samples, "lajna_pages_stale_total", &[]).unwrap())
    };
    assert_eq!(pages(&scrape(&base).await), (0.0, 0.0, 0.0), "nothing made yet");
    // Two reader classes: the Moroccan secretary in French, a Malian viewer in Arabic.
    let (viewer, _) = app.login("mli-viewer").await;
    let (status, mali_before) = common::get_as(&app, &viewer, "/ar/").await;
    assert_eq!(status, 200);
    assert_eq!(app.get("/fr/").await.0, 200);
    assert_eq!(app.get("/fr/").await.0, 200, "kept: not made again");
    assert_eq!(pages(&scrape(&base).await), (2.0, 0.0, 0.0));

    // A write that changes nothing (refused) makes nothing.
    let actions: Vec<serde_json::Value> =
        app.client.get(app.url("/api/v1/actions")).send().await.unwrap().json().await.unwrap();
    let action = actions
        .iter()
        .find(|a| a["owner_party"] == "MAR" && a["status"] == "in_progress")
        .expect("an open Moroccan action")
        .clone();
    let url = app.url(&format!("/api/v1/actions/{}", action["id"].as_str().unwrap()));
    let refused = app.client.patch(&url).header("X-CSRF-Token", &app.csrf).json(&serde_json::json!({"progress": 140}));
    assert_eq!(refused.send().await.unwrap().status(), 422);
    assert_eq!(pages(&scrape(&base).await), (2.0, 0.0, 0.0));

    let events = app.node.store().event_count().await.unwrap();
    let report = app.client.patch(&url).header("X-CSRF-Token", &app.csrf).json(&serde_json::json!({"progress": 63}));
    assert_eq!(report.send().await.unwrap().status(), 200);
    assert_eq!(app.node.store().event_count().await.unwrap(), events + 1);
    assert_eq!(pages(&scrape(&base).await), (2.0, 2.0, 0.0), "both dashboards made by the write");
    let (status, mali_after) = common::get_as(&app, &viewer, "/ar/").await;
    assert_eq!(status, 200);
    assert_eq!(app.get("/fr/").await.0, 200);
    assert_eq!(pages(&scrape(&base).await), (2.0, 2.0, 0.0), "the readers found them made");
    // The record's hash on the page is the one after the write.
    let hash = app.node.store().state_hash().await.unwrap();
    assert!(!mali_before.contains(&hash) && mali_after.contains(&hash), "the page after the write shows it");
}
