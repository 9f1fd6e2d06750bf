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
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use lajna_door::{DoorError, PeerRow, RequestAuth};

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

/// A node error as the peer reads it: 401 for a signature or key the ledger refuses, 400 for a
/// body that cannot be read, else a logged 500; an RFC 9457 problem with the error's stable
/// code either way.
fn refused(e: &DoorError) -> Response {
    let status = match e {
        DoorError::Ledger { .. } => StatusCode::UNAUTHORIZED,
        DoorError::BadRequest(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %e, "sync failed");
    }
    Problem::new(status, e.code(), e.to_string()).into_response()
}

/// Checks the request's signature (method, path, body) by a node key a party root of the
/// committee certified; returns the peer's party and its clock skew, seconds.
async fn authenticate(
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

/// A signed peer request: the extractor refuses an unsigned or badly signed request (401) as a
/// problem document; a handler gets the peer's party, its clock skew (seconds) and the body,
/// which the node reads (an unreadable one is a 400 problem, [`DoorError::BadRequest`]).
pub struct Peer {
    /// The party whose certified node key signed the request.
    pub party: String,
    /// Our clock minus the request's, seconds.
    pub skew: i64,
    /// The request body (JSON).
    pub body: Bytes,
}

impl FromRequest<AppState> for Peer {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let (party, skew) = authenticate(state, &parts.headers, parts.method.as_str(), parts.uri.path(), &body).await?;
        Ok(Self { party, skew, body })
    }
}

/// The node's JSON answer, or its refusal.
fn answer(result: Result<Vec<u8>, DoorError>) -> Response {
    match result {
        Ok(reply) => ([(axum::http::header::CONTENT_TYPE, "application/json")], reply).into_response(),
        Err(e) => refused(&e),
    }
}

/// `POST /sync/v1/heads` ([`lajna_door::Door::answer_heads`]); a refused checkpoint is a 400
/// naming why.
async fn heads(State(state): State<AppState>, peer: Peer) -> Response {
    match state.node.answer_heads(&peer.party, peer.skew, &peer.body).await {
        Err(e @ DoorError::Ledger { .. }) => {
            Problem::new(StatusCode::BAD_REQUEST, e.code(), format!("the checkpoint is refused: {e}")).into_response()
        }
        other => answer(other),
    }
}

/// `POST /sync/v1/pull` ([`lajna_door::Door::answer_pull`]).
async fn pull(State(state): State<AppState>, peer: Peer) -> Response {
    answer(state.node.answer_pull(&peer.party, peer.skew, &peer.body).await)
}

/// `POST /sync/v1/push` ([`lajna_door::Door::answer_push`]).
async fn push(State(state): State<AppState>, peer: Peer) -> Response {
    answer(state.node.answer_push(&peer.party, peer.skew, &peer.body).await)
}

/// The file of a shared document, for a signed peer (signature over `GET`, the path and an
/// empty body). The same 404 for an unknown hash, a malformed one, one that only one-party
/// documents reference, and a shared file this node does not hold (yet).
async fn blob(State(state): State<AppState>, Path(hash): Path<String>, headers: HeaderMap) -> Response {
    let path = format!("/sync/v1/blobs/{hash}");
    if let Err(r) = authenticate(&state, &headers, "GET", &path, b"").await {
        return r;
    }
    match state.node.shared_blob(&hash).await {
        Some(bytes) => {
            let headers = [
                (axum::http::header::CONTENT_TYPE, "application/octet-stream"),
                (axum::http::header::CACHE_CONTROL, "no-store"),
            ];
            (headers, bytes).into_response()
        }
        None => Problem::new(StatusCode::NOT_FOUND, "not-found", "no such file").into_response(),
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
    let status = page.state.node.sync_status().await.or_page(&page)?;
    let view = SyncPage {
        ctx: page.ctx("/sync"),
        tr: page.tr(),
        peers: status.peers,
        heads: status.heads.iter().map(|h| h.short()).collect(),
        events: status.events,
        pending: status.pending,
    };
    Ok(Html(view.render().or_page(&page)?).into_response())
}
