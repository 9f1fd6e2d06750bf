//! Calendar feeds (issue 4, "Calendar"): `GET /calendar/{token}.ics` serves the committee's
//! missions and sessions as iCalendar to a calendar client, which cannot sign in, so the URL
//! carries a secret token (revocable, stored hashed: [`lajna_node::feeds`]); `/{lang}/calendar`
//! lets a signed-in user create, see and revoke their feed URLs (CSRF token on every post).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lajna_domain::Lang;
use lajna_node::NodeError;
use lajna_node::feeds::feed_path;
use serde::Deserialize;

use crate::ctx::{PageCtx, Viewer, csrf_ok, lang_of, tr};
use crate::i18n::Tr;
use crate::problem::Problem;
use crate::{AppState, WebError, failure, forbidden_page, not_found, to_login};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calendar/{file}", get(feed))
        .route("/{lang}/calendar", get(page).post(create))
        .route("/{lang}/calendar/{id}/revoke", post(revoke))
}

/// Query of a feed: `?lang=ar|fr|en` (the node's default language otherwise).
#[derive(Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    lang: Option<String>,
}

fn unknown_feed(state: &AppState) -> Response {
    let lang = state.node.config.default_language;
    Problem::new(StatusCode::NOT_FOUND, "feed-not-found", state.catalog.get(lang, "calendar-feed-unknown", &[]))
        .into_response()
}

/// `GET /calendar/{token}.ics`: the committee's calendar for the token's user, or a 404 problem
/// for an unknown or revoked token (or a disabled user). No cookie needed.
async fn feed(State(state): State<AppState>, Path(file): Path<String>, Query(query): Query<FeedQuery>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else { return unknown_feed(&state) };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return unknown_feed(&state);
    }
    match state.node.feed_user(token).await {
        Ok(Some(_user)) => {}
        Ok(None) => return unknown_feed(&state),
        Err(e) => {
            tracing::error!(error = %e, "feed lookup failed");
            return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "database", "the feed could not be read")
                .into_response();
        }
    }
    let lang = query.lang.as_deref().and_then(lang_of).unwrap_or(state.node.config.default_language);
    // Missions and sessions carry no marking: every user of the node may see all of them. When
    // they do, filter here with `committee_calendar_for` and the feed user's clearance.
    let ics = state.node.with_state(|s| lajna_outputs::committee_calendar(s, lang)).await;
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CACHE_CONTROL, "private, no-cache".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"lajna-{}.ics\"", lang.code())),
        ],
        ics,
    )
        .into_response()
}

/// The 500 page for a node error (details go to the log).
fn node_failure(state: &AppState, lang: Lang, viewer: &Viewer, e: &NodeError) -> Response {
    tracing::error!(error = %e, "calendar feed change failed");
    crate::message_page(state, lang, viewer, StatusCode::INTERNAL_SERVER_ERROR, "server-error", "error-unexpected")
}

/// One feed as the page lists it.
struct FeedLine {
    id: i64,
    created_at: String,
    revoked_at: String,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    feeds: Vec<FeedLine>,
    /// The URL of a feed just created, shown once.
    new_url: String,
    revoked: bool,
}

/// The server's own origin as the browser reached it (`http://HOST`), for the feed URL to copy.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:8080");
    let scheme = if state.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

async fn render(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    new_url: String,
    revoked: bool,
) -> Result<String, WebError> {
    let Some(user) = &viewer.user else { return Err(WebError::NotFound) };
    let feeds = state.node.feeds(&user.username).await.map_err(|e| match e {
        NodeError::Store(s) => WebError::Store(s),
        other => WebError::Store(lajna_store::StoreError::Corrupt(other.to_string())),
    })?;
    let feeds = feeds
        .into_iter()
        .rev()
        .map(|f| FeedLine { id: f.id, created_at: f.created_at, revoked_at: f.revoked_at.unwrap_or_default() })
        .collect();
    let page = CalendarPage {
        ctx: PageCtx::new(lang, "/calendar", viewer, state.node.config.demo),
        tr: tr(state, lang),
        feeds,
        new_url,
        revoked,
    };
    Ok(page.render()?)
}

async fn page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    if viewer.user.is_none() {
        return to_login(lang, "/calendar");
    }
    match render(&state, lang, &viewer, String::new(), query.as_deref() == Some("revoked=1")).await {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e),
    }
}

/// A form that only carries the CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /{lang}/calendar`: a new feed; the page shows its URL once (it is not stored).
async fn create(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, "/calendar") };
    if !csrf_ok(&viewer, &form.csrf) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    let new = match state.node.create_feed(&user.username, &addr.ip().to_string()).await {
        Ok(new) => new,
        Err(e) => return node_failure(&state, lang, &viewer, &e),
    };
    let url = format!("{}{}?lang={}", origin(&state, &headers), feed_path(&new.token), lang.code());
    match render(&state, lang, &viewer, url, false).await {
        // Not cached anywhere: the secret is on this page only.
        Ok(html) => ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => failure(&state, lang, e),
    }
}

/// `POST /{lang}/calendar/{id}/revoke`: the feed stops working at once.
async fn revoke(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, "/calendar") };
    if !csrf_ok(&viewer, &form.csrf) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    let Ok(id) = id.parse::<i64>() else { return not_found(&state, Some(lang)) };
    match state.node.revoke_feed(&user.username, id, &addr.ip().to_string()).await {
        Ok(true) => Redirect::to(&format!("/{}/calendar?revoked=1", lang.code())).into_response(),
        Ok(false) => not_found(&state, Some(lang)),
        Err(e) => node_failure(&state, lang, &viewer, &e),
    }
}
