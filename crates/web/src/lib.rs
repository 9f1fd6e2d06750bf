//! The Lajna web surface: server-rendered pages at `/ar/`, `/fr/`, `/en/` (with `<html lang dir>`),
//! sign-in, forms, and the JSON API under `/api/v1` (RFC 9457 problem documents on errors).
//!
//! No SQL here: pages are built from the store's projections ([`views`]) and rendered with
//! compile-time-checked templates; every write goes through [`lajna_door::Door::execute_as`],
//! which applies the role rules before the domain rules. Every asset is embedded in the binary;
//! nothing is fetched from elsewhere. Security headers: CSP without inline script,
//! `frame-ancestors 'none'`; session cookies HttpOnly + SameSite=Strict; a CSRF token on every
//! state-changing request.

#![allow(clippy::result_large_err, reason = "handlers return axum Responses as early errors; boxing them buys nothing")]

pub mod api;
pub mod auth;
pub mod ctx;
pub mod i18n;
pub mod metrics;
pub mod pages;
pub mod problem;
pub mod sync;
pub use lajna_views as views;

use std::future::Future;
use std::sync::Arc;

use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hyper_util::server::graceful::Watcher;
use lajna_domain::Lang;
use lajna_door::Door;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use ctx::{PageCtx, Viewer};
use i18n::{Catalog, Tr};

/// RFC 3986 unreserved characters: what a query-string value keeps as it is when percent-encoded.
pub(crate) const UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A `Content-Disposition` value of [`lajna_outputs::download`] as a header (printable ASCII by
/// construction; a plain `attachment` otherwise).
pub(crate) fn disposition(value: String) -> HeaderValue {
    HeaderValue::try_from(value).unwrap_or(HeaderValue::from_static("attachment"))
}

/// Why a page could not be served.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page or record. HTTP 404.
    #[error("not found")]
    NotFound,
    /// The node failed (its store, a file). HTTP 500.
    #[error(transparent)]
    Node(#[from] lajna_door::DoorError),
    /// A template failed to render. HTTP 500.
    #[error(transparent)]
    Render(#[from] askama::Error),
    /// A file for download could not be written (the matrix). HTTP 500.
    #[error("export failed: {0}")]
    Export(String),
    /// The periodic report could not be produced. HTTP 500.
    #[error(transparent)]
    Report(#[from] lajna_report::ReportError),
}

pub use views::cache::KeptPage;

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    /// The node.
    pub node: Arc<dyn Door>,
    /// Message catalogues.
    pub catalog: Arc<Catalog>,
    /// Mark cookies `Secure`: on when the server speaks TLS itself ([`serve_tls`]), or with
    /// `LAJNA_SECURE_COOKIES=1` behind a TLS reverse proxy.
    pub secure_cookies: bool,
    /// Rendered page contents (the dashboard by reader class, a roadmap page by reader and
    /// query) and API list pages, kept until the record changes (issue 11).
    pub kept: Arc<views::cache::Caches>,
    /// Taken to make a kept page that is missing: readers who miss the same page at a new
    /// generation wait for the first one's instead of all making it at once (the dashboard's
    /// show its previous page meanwhile, [`ctx::Page::turn_or_stale`]).
    pub making: Arc<tokio::sync::Mutex<()>>,
    /// The dashboards readers lately made, which every write makes again before it answers,
    /// and the writes in flight ([`remake_after_write`]).
    pub hot: Arc<views::cache::Hot<pages::Recipe>>,
    /// Request counts and durations for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

/// Largest request body, bytes, of every route that does not set its own (forms, API JSON):
/// checked before the body is read. The document upload and the matrix import set theirs.
pub const BODY_LIMIT: usize = 256 * 1024;

/// How long a connection may take to send a request's headers before it is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a TLS server gets the acceptor of each new connection: the certificate current at its
/// handshake (`lajna_node::tls::ServerTls::acceptor`, which `lajna serve` reloads on SIGHUP).
pub type TlsAcceptors = Arc<dyn Fn() -> tokio_rustls::TlsAcceptor + Send + Sync>;

/// The compression of every answer (gzip when the client accepts it), at the fastest level —
/// nginx's default `gzip_comp_level 1`: a page is compressed per request, and level 6 spent
/// four times the CPU for 15 % fewer bytes (zlib on the 36 KB dashboard at 2,000 actions:
/// 0.34 ms for 6.4 KB against 0.09 ms for 7.5 KB; issue 11). The baseline example uses it too.
#[must_use]
pub fn compression() -> CompressionLayer {
    CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest)
}

/// Builds the router for `node`.
pub fn router(node: Arc<dyn Door>) -> Router {
    let secure_cookies = std::env::var("LAJNA_SECURE_COOKIES").is_ok_and(|v| v == "1" || v == "true");
    router_with(node, secure_cookies)
}

/// The router for `node` served over TLS: `Secure` cookies, and every answer carries
/// `Strict-Transport-Security: max-age=31536000` (one year; RFC 6797).
pub fn router_tls(node: Arc<dyn Door>) -> Router {
    router_with(node, true).layer(SetResponseHeaderLayer::overriding(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    ))
}

fn router_with(node: Arc<dyn Door>, secure_cookies: bool) -> Router {
    let state = AppState {
        node,
        catalog: Arc::new(Catalog::load()),
        secure_cookies,
        kept: Arc::default(),
        making: Arc::default(),
        hot: Arc::default(),
        metrics: Arc::new(metrics::Metrics::default()),
    };
    let counted = state.metrics.clone();
    Router::new()
        .route("/", get(root))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(metrics::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/static/lajna.css", get(stylesheet))
        .merge(api::routes())
        .route("/{lang}", get(lang_root))
        .route("/{lang}/login", get(auth::login_page).post(auth::login_submit))
        .route("/{lang}/logout", post(auth::logout))
        .merge(pages::routes())
        .merge(sync::routes())
        .route_layer(axum::middleware::from_fn(metrics::mark_route))
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), translate_rejections))
        .layer(axum::middleware::from_fn_with_state(state.clone(), remake_after_write))
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(counted, metrics::track))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(compression())
        // Pages and API answers are per user: no cache keeps them (the stylesheet sets its own).
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
}

/// Every request but a safe one (RFC 9110 §9.2.1) is a write in flight until its answer; one
/// that changed the record makes the hot dashboards again before it answers (issue 11: readers
/// never wait for a write, [`views::cache::Hot`]).
async fn remake_after_write(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    let _writing = state.hot.writing();
    let before = state.node.generation();
    let response = next.run(request).await;
    if state.node.generation() != before {
        pages::remake(&state).await;
    }
    response
}

/// Serves `node` on `listener` over plain HTTP until `shutdown` completes ([`serve_tls`]
/// without TLS).
///
/// # Errors
/// IO errors of the listener.
pub async fn serve(
    node: Arc<dyn Door>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_tls(node, listener, None, shutdown).await
}

/// Serves `node` on `listener` until `shutdown` completes: over HTTPS with `tls` (each new
/// connection takes the acceptor `tls` gives at its handshake, so a reloaded certificate needs
/// no restart; [`router_tls`]), else plain HTTP. Client addresses are kept for sign-in
/// throttling.
///
/// # Errors
/// IO errors of the listener.
pub async fn serve_tls(
    node: Arc<dyn Door>,
    listener: tokio::net::TcpListener,
    tls: Option<TlsAcceptors>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Bring the full-text index up to date in the background; later writes update it in turn.
    let indexed = node.clone();
    tokio::spawn(async move {
        if let Err(e) = indexed.refresh_search().await {
            tracing::warn!(error = %e, "search index not built; searches will retry");
        }
    });
    let proxies: Arc<[ipnet::IpNet]> = node.trusted_proxies().into();
    let app = if tls.is_some() { router_tls(node) } else { router(node) };
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let (app, watcher, proxies) = (app.clone(), graceful.watcher(), proxies.clone());
        match tls.as_ref().map(|acceptors| acceptors()) {
            None => drop(tokio::spawn(serve_connection(stream, app, addr, watcher, proxies))),
            // The handshake runs in the connection's task, under the header-read timeout.
            Some(acceptor) => drop(tokio::spawn(async move {
                match tokio::time::timeout(HEADER_READ_TIMEOUT, acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => serve_connection(stream, app, addr, watcher, proxies).await,
                    Ok(Err(e)) => tracing::debug!(error = %e, client = %addr, "TLS handshake failed"),
                    Err(_) => tracing::debug!(client = %addr, "TLS handshake timed out"),
                }
            })),
        }
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Serves one connection (plain or TLS) with `app` until it closes or the server shuts down.
async fn serve_connection<S>(
    stream: S,
    app: Router,
    addr: std::net::SocketAddr,
    watcher: Watcher,
    proxies: Arc<[ipnet::IpNet]>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    // The client's address, for sign-in throttling and the audit trail (`ConnectInfo`); read
    // here once, so that no handler reads `X-Forwarded-For` itself.
    let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
        let hops = req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        let client = lajna_door::auth::client_address(addr, hops, &proxies);
        req.extensions_mut().insert(ConnectInfo(client));
        tower_service::Service::call(&mut app.clone(), req)
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    if let Err(e) = watcher.watch(connection).await {
        tracing::debug!(error = %e, client = %addr, "connection ended with an error");
    }
}

/// An accept error: a connection that went away is skipped; anything else (too many open
/// files) waits a moment so the loop does not spin.
async fn accept_failed(e: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        tracing::warn!(error = %e, "accept failed");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// axum's own refusals (an unreadable query or form, a body over its limit, a method the route
/// does not take) answer plain English text or nothing; this turns them into a problem document under `/api/` and `/sync/`, else the
/// translated error page of the path's language, with the same status.
async fn translate_rejections(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    let status = res.status();
    // axum's 405 (a GET to a POST-only route, e.g. a form's address opened as a link) has no body.
    let lang = path.split('/').nth(1).and_then(|seg| Lang::parse(seg).ok()).unwrap_or(state.node.default_language());
    if status == StatusCode::METHOD_NOT_ALLOWED && !path.starts_with("/api/") && !path.starts_with("/sync/") {
        let mut page =
            message_page(&state, lang, &Viewer::default(), status, "method-not-allowed", "method-not-allowed-text");
        if let Some(allow) = res.headers().get(header::ALLOW) {
            page.headers_mut().insert(header::ALLOW, allow.clone());
        }
        return page;
    }
    if !status.is_client_error() || !plain {
        return res;
    }
    if path.starts_with("/api/") || path.starts_with("/sync/") {
        let detail = axum::body::to_bytes(res.into_body(), 16 * 1024).await.unwrap_or_default();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "too-large" } else { "bad-request" };
        return problem::Problem::new(status, code, String::from_utf8_lossy(&detail).into_owned()).into_response();
    }
    let (title, text) = if status == StatusCode::PAYLOAD_TOO_LARGE {
        ("request-too-large", "request-too-large-text")
    } else {
        ("bad-request", "request-unreadable-text")
    };
    message_page(&state, lang, &Viewer::default(), status, title, text)
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    title: String,
    text: String,
}

fn message_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    status: StatusCode,
    title: &str,
    text: &str,
) -> Response {
    message_page_text(state, lang, viewer, status, title, ctx::tr(state, lang).t(text))
}

/// [`message_page`] with its text already translated (a message with arguments).
fn message_page_text(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    status: StatusCode,
    title: &str,
    text: String,
) -> Response {
    let tr = ctx::tr(state, lang);
    let page = MessagePage { ctx: PageCtx::new(lang, "/", viewer, state.node.demo()), tr, title: tr.t(title), text };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    }
}

/// The 404 page, in `lang` (the node's default language when `None`).
pub fn not_found(state: &AppState, lang: Option<Lang>) -> Response {
    let lang = lang.unwrap_or(state.node.default_language());
    message_page(state, lang, &Viewer::default(), StatusCode::NOT_FOUND, "not-found", "not-found-text")
}

/// The 403 page with the message `key`.
pub fn forbidden_page(state: &AppState, lang: Lang, viewer: &Viewer, key: &str) -> Response {
    message_page(state, lang, viewer, StatusCode::FORBIDDEN, "forbidden", key)
}

/// The 500 page (details go to the log).
pub fn failure(state: &AppState, lang: Lang, e: WebError) -> Response {
    match e {
        WebError::NotFound => not_found(state, Some(lang)),
        other => {
            tracing::error!(error = %other, "page failed");
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            message_page(state, lang, &Viewer::default(), status, "server-error", "error-unexpected")
        }
    }
}

/// Redirects a signed-out visitor to the sign-in page, coming back to `/{lang}{path}` afterwards.
#[must_use]
pub fn to_login(lang: Lang, path: &str) -> Response {
    login_to(lang, &format!("/{}{}", lang.code(), path))
}

/// Redirects to the sign-in page of `lang`, coming back to the same-site path `next` (with its
/// query) afterwards. `next` is percent-encoded into the query, so no byte of it can end the
/// header or the parameter.
#[must_use]
pub fn login_to(lang: Lang, next: &str) -> Response {
    const PATH: &percent_encoding::AsciiSet = &UNRESERVED.remove(b'/');
    let next = percent_encoding::utf8_percent_encode(next, PATH);
    Redirect::to(&format!("/{}/login?next={next}", lang.code())).into_response()
}

async fn root(State(state): State<AppState>) -> Redirect {
    Redirect::to(&format!("/{}/", state.node.default_language().code()))
}

async fn lang_root(State(state): State<AppState>, axum::extract::Path(lang): axum::extract::Path<String>) -> Response {
    match Lang::parse(&lang) {
        Ok(l) => Redirect::permanent(&format!("/{}/", l.code())).into_response(),
        Err(_) => not_found(&state, None),
    }
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/lajna.css"),
    )
        .into_response()
}

async fn fallback(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return problem::Problem::new(StatusCode::NOT_FOUND, "not-found", "no such endpoint; see /api/v1/openapi.json")
            .into_response();
    }
    let lang = uri.path().split('/').nth(1).and_then(|seg| Lang::parse(seg).ok());
    not_found(&state, lang)
}
