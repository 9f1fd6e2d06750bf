//! Operations endpoints (DESIGN.md §9): `/metrics` in the Prometheus text exposition format
//! (0.0.4, written by hand) and `/readyz`. Both are unauthenticated: they show counts, times and
//! peer party codes, never a record's content.
//!
//! Requests are counted by route, never by path: [`mark_route`] runs after routing and notes
//! axum's [`MatchedPath`] (`/{lang}/actions/{id}`, so ids do not multiply the series) in a slot
//! that [`track`], the outer layer, reads once the response is made; a request no route
//! matched is counted as `unmatched`.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use lajna_door::metrics::{DURATION_BUCKETS, Metrics, UNMATCHED};

use crate::AppState;

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
    metrics.observe(route, res.status().as_u16(), started.elapsed().as_secs_f64());
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
    lajna_door::metrics::write_pages(&mut out, state.hot.counts());
    out.push_str(&state.node.metrics_text().await);
    let mut res = out.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
    res
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
