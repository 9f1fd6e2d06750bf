//! Operations endpoints (DESIGN.md §9): `/metrics` in the Prometheus text exposition format
//! (0.0.4, written by hand) and `/readyz`. Both are unauthenticated: they show counts, times and
//! peer party codes, never a record's content.
//!
//! Requests are counted by route, never by path: [`mark_route`] runs after routing and notes
//! axum's [`MatchedPath`] (`/{lang}/actions/{id}`, so ids do not multiply the series) in a slot
//! that [`track`], the outer layer, reads once the response is made; a request no route
//! matched is counted as `unmatched`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use lajna_door::metrics::{escape, family};

use crate::AppState;

/// Upper bounds of the request-duration histogram's buckets, seconds.
pub const DURATION_BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The route of a request not matched by any route (404 pages, the fallback).
pub const UNMATCHED: &str = "unmatched";

/// Request counts and durations since the server started.
#[derive(Default)]
pub struct Metrics {
    /// Requests by (route, status).
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Durations by route.
    durations: Mutex<BTreeMap<String, Histogram>>,
}

/// One route's request durations.
#[derive(Default)]
struct Histogram {
    /// Requests at or under each bound of [`DURATION_BUCKETS`] (cumulative).
    buckets: [u64; DURATION_BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, route: &str, status: StatusCode, seconds: f64) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route.to_string(), status.as_u16())).or_default() += 1;
        }
        if let Ok(mut durations) = self.durations.lock() {
            let h = durations.entry(route.to_string()).or_default();
            for (bucket, bound) in h.buckets.iter_mut().zip(DURATION_BUCKETS) {
                if seconds <= bound {
                    *bucket += 1;
                }
            }
            h.sum += seconds;
            h.count += 1;
        }
    }

    /// The request counters and duration histograms, as exposition text.
    fn write_requests(&self, out: &mut String) {
        family(out, "lajna_http_requests_total", "counter", "HTTP requests answered, by matched route and status.");
        if let Ok(requests) = self.requests.lock() {
            for ((route, status), n) in requests.iter() {
                let _ =
                    writeln!(out, "lajna_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}", escape(route));
            }
        }
        family(
            out,
            "lajna_http_request_duration_seconds",
            "histogram",
            "Time from a request's arrival to its response's headers, by matched route, seconds.",
        );
        if let Ok(durations) = self.durations.lock() {
            for (route, h) in durations.iter() {
                let route = escape(route);
                for (n, bound) in h.buckets.iter().zip(DURATION_BUCKETS) {
                    let _ = writeln!(
                        out,
                        "lajna_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "lajna_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(out, "lajna_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(out, "lajna_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
            }
        }
    }
}

/// Where [`mark_route`] leaves the matched route for [`track`].
#[derive(Clone, Default)]
struct RouteSlot(Arc<OnceLock<String>>);

/// The outer layer: times the request and counts it under the route [`mark_route`] noted (or
/// [`UNMATCHED`]) with the response's status.
pub async fn track(State(metrics): State<Arc<Metrics>>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let slot = RouteSlot::default();
    req.extensions_mut().insert(slot.clone());
    let res = next.run(req).await;
    let route = slot.0.get().map_or(UNMATCHED, String::as_str);
    metrics.observe(route, res.status(), started.elapsed().as_secs_f64());
    res
}

/// The route layer (runs once a route matched): notes the route's pattern for [`track`].
pub async fn mark_route(req: Request, next: Next) -> Response {
    if let (Some(slot), Some(path)) = (req.extensions().get::<RouteSlot>(), req.extensions().get::<MatchedPath>()) {
        let _ = slot.0.set(path.as_str().to_string());
    }
    next.run(req).await
}

/// `GET /metrics`: requests, the record's size, the peers' last exchanges and the resident
/// memory, in the Prometheus text format. A store read that fails leaves its lines out (and
/// `/readyz` answers 503).
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    state.metrics.write_requests(&mut out);
    write_pages(&mut out, state.hot.counts());
    out.push_str(&state.node.metrics_text().await);
    let mut res = out.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    res
}

/// The dashboards made by readers, made again by writes, and shown stale while a write made
/// them (`counts` in [`lajna_views::cache::Hot::counts`]'s order).
fn write_pages(out: &mut String, counts: [u64; 3]) {
    family(
        out,
        "lajna_pages_made_total",
        "counter",
        "Dashboards made, by who made them: a reader who waited, or a write before it answered.",
    );
    let _ = writeln!(out, "lajna_pages_made_total{{by=\"reader\"}} {}", counts[0]);
    let _ = writeln!(out, "lajna_pages_made_total{{by=\"write\"}} {}", counts[1]);
    family(
        out,
        "lajna_pages_stale_total",
        "counter",
        "Dashboards shown from the generation before while a write or a reader made the current one.",
    );
    let _ = writeln!(out, "lajna_pages_stale_total {}", counts[2]);
}

/// `GET /readyz`: 200 `ready` when the store answers a read, else 503. `/healthz` stays the
/// liveness check (the process answers at all).
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.node.event_count().await {
        Ok(_) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: the store did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_counts_in_every_bucket_at_or_above_it() {
        let m = Metrics::default();
        m.observe("/x", StatusCode::OK, 0.03);
        let mut out = String::new();
        m.write_requests(&mut out);
        assert!(out.contains("lajna_http_requests_total{route=\"/x\",status=\"200\"} 1\n"), "{out}");
        assert!(out.contains("_bucket{route=\"/x\",le=\"0.025\"} 0\n"), "{out}");
        assert!(out.contains("_bucket{route=\"/x\",le=\"0.05\"} 1\n"), "{out}");
        assert!(out.contains("_bucket{route=\"/x\",le=\"+Inf\"} 1\n"), "{out}");
        assert!(out.contains("_count{route=\"/x\"} 1\n"), "{out}");
    }
}
