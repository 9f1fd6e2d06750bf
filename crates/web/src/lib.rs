//! The Lajna web surface: server-rendered pages at `/ar/`, `/fr/`, `/en/` (with `<html lang dir>`),
//! one stylesheet served by the node, and a read-only JSON view under `/api/v1`.
//!
//! No SQL here: pages are built from the store's projections ([`views`]) and rendered with
//! compile-time-checked templates. Every asset is embedded in the binary; nothing is fetched
//! from elsewhere. Security headers: CSP without inline script, `frame-ancestors 'none'`.

pub mod i18n;
pub mod views;

use std::future::Future;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use lajna_domain::Lang;
use lajna_node::Node;
use tower_http::set_header::SetResponseHeaderLayer;

use i18n::{Catalog, Tr};

/// Why a page could not be served.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page or record. HTTP 404.
    #[error("not found")]
    NotFound,
    /// The store failed. HTTP 500.
    #[error(transparent)]
    Store(#[from] lajna_store::StoreError),
    /// A template failed to render. HTTP 500.
    #[error(transparent)]
    Render(#[from] askama::Error),
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    node: Arc<Node>,
    catalog: Arc<Catalog>,
}

/// Builds the router for `node`.
pub fn router(node: Arc<Node>) -> Router {
    let state = AppState { node, catalog: Arc::new(Catalog::load()) };
    Router::new()
        .route("/", get(root))
        .route("/healthz", get(|| async { "ok" }))
        .route("/static/lajna.css", get(stylesheet))
        .route("/api/v1/state", get(api_state))
        .route("/{lang}", get(lang_root))
        .route("/{lang}/", get(dashboard))
        .route("/{lang}/press/{id}", get(press))
        .fallback(fallback)
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
}

/// Serves `node` on `listener` until `shutdown` completes.
///
/// # Errors
/// IO errors of the listener.
pub async fn serve(
    node: Arc<Node>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(node)).with_graceful_shutdown(shutdown).await
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    lang: &'static str,
    dir: &'static str,
    path: &'static str,
    tr: Tr<'a>,
    d: views::Dashboard,
}

#[derive(Template)]
#[template(path = "press.html")]
struct PressPage<'a> {
    lang: &'static str,
    dir: &'static str,
    path: String,
    tr: Tr<'a>,
    doc: lajna_domain::records::PressDocument,
    doc_lang: &'static str,
    doc_dir: &'static str,
    publisher: views::Txt,
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage<'a> {
    lang: &'static str,
    dir: &'static str,
    path: &'static str,
    tr: Tr<'a>,
}

fn not_found(state: &AppState, lang: Lang) -> Response {
    let page = NotFoundPage { lang: lang.code(), dir: lang.dir(), path: "/", tr: Tr { catalog: &state.catalog, lang } };
    match page.render() {
        Ok(html) => (StatusCode::NOT_FOUND, Html(html)).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn failure(state: &AppState, lang: Lang, e: WebError) -> Response {
    match e {
        WebError::NotFound => not_found(state, lang),
        other => {
            tracing::error!(error = %other, "page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error; see the server log").into_response()
        }
    }
}

async fn root(State(state): State<AppState>) -> Redirect {
    Redirect::to(&format!("/{}/", state.node.config.default_language.code()))
}

async fn lang_root(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    match Lang::parse(&lang) {
        Ok(l) => Redirect::permanent(&format!("/{}/", l.code())).into_response(),
        Err(_) => not_found(&state, state.node.config.default_language),
    }
}

async fn dashboard(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let Ok(lang) = Lang::parse(&lang) else { return not_found(&state, state.node.config.default_language) };
    let tr = Tr { catalog: &state.catalog, lang };
    let result = async {
        let d = views::dashboard(&state.node, tr).await?;
        Ok::<_, WebError>(DashboardPage { lang: lang.code(), dir: lang.dir(), path: "/", tr, d }.render()?)
    }
    .await;
    match result {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e),
    }
}

async fn press(State(state): State<AppState>, Path((lang, id)): Path<(String, String)>) -> Response {
    let Ok(lang) = Lang::parse(&lang) else { return not_found(&state, state.node.config.default_language) };
    let tr = Tr { catalog: &state.catalog, lang };
    let result = async {
        let doc = views::press(&state.node, &id).await?;
        let (pl, pt) = doc.publisher.best(lang);
        let publisher = views::Txt { lang: pl.code(), dir: pl.dir(), text: pt.to_string() };
        let page = PressPage {
            lang: lang.code(),
            dir: lang.dir(),
            path: format!("/press/{id}"),
            tr,
            doc_lang: doc.language.code(),
            doc_dir: doc.language.dir(),
            publisher,
            doc,
        };
        Ok::<_, WebError>(page.render()?)
    }
    .await;
    match result {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e),
    }
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/lajna.css"),
    )
        .into_response()
}

async fn api_state(State(state): State<AppState>) -> Response {
    match state.node.store.export().await {
        Ok(v) => Json(v).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "export failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "application/problem+json")],
                r#"{"type":"urn:lajna:problem:internal","title":"Internal error","status":500}"#,
            )
                .into_response()
        }
    }
}

async fn fallback(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    let lang = uri
        .path()
        .split('/')
        .nth(1)
        .and_then(|seg| Lang::parse(seg).ok())
        .unwrap_or(state.node.config.default_language);
    not_found(&state, lang)
}
