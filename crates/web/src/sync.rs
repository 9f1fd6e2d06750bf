//! The node-to-node sync endpoints (`/sync/v1/*`, see `lajna_node::sync`) and the sync status
//! page. Peers authenticate every request with a signature by a node key that a party root of
//! the committee certified; browsers' sessions have no access here.
//!
//! `POST /sync/v1/heads` also exchanges checkpoints (issue 12 item 5): the caller's, of our
//! heads, is checked and kept (a bad signature or uncertified key: 400 naming why, nothing
//! kept); when the caller tells its heads, the reply carries ours of those we hold.
//!
//! `GET /sync/v1/blobs/{blake3}` serves the file of a document only when a SHARED document
//! record (in the shared log, releasable to both parties) references it; for any other hash —
//! unknown, malformed, or the file of a one-party document — it answers the same 404.

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use lajna_ledger::RequestAuth;
use lajna_node::NodeError;
use lajna_node::sync::{HeadsReply, HeadsRequest, PullReply, PullRequest, PushRequest, WARN_SKEW_SECONDS};
use lajna_store::PeerRow;

use crate::AppState;
use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::problem::Problem;

/// Largest body of a sync request, bytes (a page of events; axum's former default, kept).
pub const SYNC_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The sync routes.
pub fn routes() -> Router<AppState> {
    let signed = Router::new()
        .route("/sync/v1/heads", post(heads))
        .route("/sync/v1/pull", post(pull))
        .route("/sync/v1/push", post(push))
        .layer(DefaultBodyLimit::max(SYNC_BODY_LIMIT));
    signed.route("/sync/v1/blobs/{hash}", get(blob)).route("/{lang}/sync", get(status_page))
}

fn auth_of(headers: &HeaderMap) -> Option<RequestAuth> {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(String::from);
    Some(RequestAuth {
        node: h("x-lajna-node")?,
        time: h("x-lajna-time")?,
        nonce: h("x-lajna-nonce")?,
        signature: h("x-lajna-signature")?,
    })
}

fn refused(e: &NodeError) -> Response {
    let status = match e {
        NodeError::Ledger(_) => StatusCode::UNAUTHORIZED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %e, "sync failed");
    }
    Problem::new(status, e.code(), e.to_string()).into_response()
}

async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    body: &[u8],
) -> Result<(String, i64), Response> {
    authenticate_as(state, headers, "POST", path, body).await
}

async fn authenticate_as(
    state: &AppState,
    headers: &HeaderMap,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<(String, i64), Response> {
    let Some(auth) = auth_of(headers) else {
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "bad-sync-request",
            "sign the request: X-Lajna-Node, X-Lajna-Time, X-Lajna-Nonce and X-Lajna-Signature are required",
        )
        .into_response());
    };
    state.node.authenticate_peer(&auth, method, path, body).await.map_err(|e| refused(&e))
}

fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request", format!("unreadable body: {e}")).into_response()
    })
}

async fn heads(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (party, skew) = match authenticate(&state, &headers, "/sync/v1/heads", &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let req: HeadsRequest = match json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    // The caller's checkpoint of our heads: checked (signature, key certified for the caller's
    // party) and kept; a bad one refuses the request, naming why.
    if let Some(cp) = &req.checkpoint
        && let Err(e) = state.node.accept_checkpoint(cp, Some(&party), "http").await
    {
        let why = format!("the checkpoint is refused: {e}");
        let _ = state.node.store.record_exchange(&party, None, "http", 0, 1, Some(&why), Some(skew)).await;
        return match e {
            NodeError::Ledger(_) => Problem::new(StatusCode::BAD_REQUEST, e.code(), why).into_response(),
            e => refused(&e),
        };
    }
    let Some(committee) = state.node.store.committee().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let mut checkpoint = None;
    if let Some(theirs) = req.heads {
        let _ = state.node.store.record_exchange(&party, Some(&theirs), "http", 0, 0, None, Some(skew)).await;
        // Our checkpoint of the caller's heads we hold.
        match state.node.checkpoint_for(&theirs, Some(&party)).await {
            Ok(cp) => checkpoint = cp,
            Err(e) => return refused(&e),
        }
    }
    axum::Json(HeadsReply {
        committee,
        parties: state.node.parties(),
        heads: state.node.store.heads().await,
        checkpoint,
    })
    .into_response()
}

async fn pull(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (party, skew) = match authenticate(&state, &headers, "/sync/v1/pull", &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let req: PullRequest = match json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    match state.node.store.missing_for(&req.heads, req.after, lajna_node::sync::PAGE).await {
        Ok((events, next)) => {
            let _ =
                state.node.store.record_exchange(&party, Some(&req.heads), "http-pull", 0, 0, None, Some(skew)).await;
            axum::Json(PullReply { events: events.into_iter().map(|e| e.raw).collect(), next }).into_response()
        }
        Err(e) => refused(&NodeError::Store(e)),
    }
}

async fn push(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (party, skew) = match authenticate(&state, &headers, "/sync/v1/push", &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let req: PushRequest = match json(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    match state.node.receive_batch(&req.events).await {
        Ok(reply) => {
            let error = reply.refused.first().map(|(id, why)| format!("{id}: {why}"));
            let _ = state
                .node
                .store
                .record_exchange(
                    &party,
                    None,
                    "http-push",
                    reply.applied as i64,
                    reply.refused.len() as i64,
                    error.as_deref(),
                    Some(skew),
                )
                .await;
            axum::Json(reply).into_response()
        }
        Err(e) => refused(&e),
    }
}

/// The file of a shared document, for a signed peer (signature over `GET`, the path and an
/// empty body). The same 404 for an unknown hash, a malformed one, one that only one-party
/// documents reference, and a shared file this node does not hold (yet).
async fn blob(State(state): State<AppState>, Path(hash): Path<String>, headers: HeaderMap) -> Response {
    let path = format!("/sync/v1/blobs/{hash}");
    if let Err(r) = authenticate_as(&state, &headers, "GET", &path, b"").await {
        return r;
    }
    let absent = || Problem::new(StatusCode::NOT_FOUND, "not-found", "no such file").into_response();
    let Some(size) = state.node.shared_blob_size(&hash).await else { return absent() };
    if !state.node.has_blob(&hash) {
        return absent();
    }
    let node = state.node.clone();
    let read = {
        let hash = hash.clone();
        tokio::task::spawn_blocking(move || node.read_blob(&hash)).await
    };
    match read {
        Ok(Ok(bytes)) if bytes.len() as u64 == size => (
            [
                (axum::http::header::CONTENT_TYPE, "application/octet-stream"),
                (axum::http::header::CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response(),
        Ok(Ok(_)) => absent(),
        Ok(Err(e)) => {
            tracing::error!(error = %e, blob = %hash, "blob unreadable");
            absent()
        }
        Err(e) => {
            tracing::error!(error = %e, "blob read task failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "sync.html")]
struct SyncPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    peers: Vec<(PeerRow, bool)>,
    heads: Vec<String>,
    events: i64,
    pending: i64,
}

/// `GET /{lang}/sync`: each peer's last exchange, this node's heads and counts.
async fn status_page(page: Page) -> Result<Response, PageError> {
    let store = &page.state.node.store;
    let result = async {
        let committee = store.charter().await?.map(|(_, c)| c);
        let mut peers = vec![];
        for p in committee.iter().flat_map(|c| c.parties.iter()) {
            if page.state.node.parties().contains(&p.code.to_string()) {
                continue;
            }
            let row = store.peer(p.code.as_str()).await?;
            let warn = row.clock_skew_seconds.is_some_and(|s| s.abs() > WARN_SKEW_SECONDS);
            peers.push((row, warn));
        }
        let view = SyncPage {
            ctx: page.ctx("/sync"),
            tr: page.tr(),
            peers,
            heads: store.heads().await.iter().map(|h| h.short()).collect(),
            events: store.event_count().await?,
            pending: store.pending_count().await?,
        };
        Ok::<_, crate::WebError>(view.render()?)
    }
    .await;
    Ok(Html(result.or_page(&page)?).into_response())
}
