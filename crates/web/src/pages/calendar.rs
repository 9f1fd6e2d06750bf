//! Calendar feeds (issue 4, "Calendar"): `GET /calendar/{token}.ics` serves the committee's
//! missions and sessions as iCalendar to a calendar client, which cannot sign in, so the URL
//! carries a secret token (revocable, stored hashed: [`lajna_door::feeds`]); `/{lang}/calendar`
//! lets a signed-in user create, see and revoke their feed URLs (CSRF token on every post).

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Path, Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use lajna_door::DoorError;
use lajna_door::feeds::feed_path;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError, lang_of};
use crate::i18n::Tr;
use crate::problem::Problem;
use crate::{AppState, WebError};
use lajna_outputs::download::inline_disposition;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calendar/{file}", get(feed))
        .route("/{lang}/calendar", get(show).post(create))
        .route("/{lang}/calendar/{id}/revoke", post(revoke))
}

/// Query of a feed: `?lang=ar|fr|en` (the node's default language otherwise).
#[derive(Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    lang: Option<String>,
}

fn unknown_feed(state: &AppState) -> Response {
    let lang = state.node.default_language();
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
    let user = match state.node.feed_user(token).await {
        Ok(Some(user)) => user,
        Ok(None) => return unknown_feed(&state),
        Err(e) => {
            tracing::error!(error = %e, "feed lookup failed");
            return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "database", "the feed could not be read")
                .into_response();
        }
    };
    let lang = query.lang.as_deref().and_then(lang_of).unwrap_or(state.node.default_language());
    // The feed user's snapshot: the calendar holds what they may see, nothing else.
    let ics = lajna_outputs::committee_calendar(&*state.node.read(&user).await, lang);
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
            (
                header::CONTENT_DISPOSITION,
                crate::disposition(inline_disposition(&format!("lajna-{}.ics", lang.code()))),
            ),
        ],
        ics,
    )
        .into_response()
}

/// A failed feed change or listing, as the error of a page (500, details in the log).
fn feed_error(e: DoorError) -> WebError {
    WebError::Node(e)
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

/// The user's feeds, newest first, with the URL of a feed just created (shown once).
async fn render(page: &Page, new_url: String, revoked: bool) -> Result<Html<String>, PageError> {
    let feeds = page.state.node.feeds(&page.user.username).await.map_err(feed_error).or_page(page)?;
    let feeds = feeds
        .into_iter()
        .rev()
        .map(|f| FeedLine { id: f.id, created_at: f.created_at, revoked_at: f.revoked_at.unwrap_or_default() })
        .collect();
    let html =
        CalendarPage { ctx: page.ctx("/calendar"), tr: page.tr(), feeds, new_url, revoked }.render().or_page(page)?;
    Ok(Html(html))
}

/// `GET /{lang}/calendar`.
async fn show(page: Page, RawQuery(query): RawQuery) -> Result<Html<String>, PageError> {
    render(&page, String::new(), query.as_deref() == Some("revoked=1")).await
}

/// `POST /{lang}/calendar`: a new feed; the page shows its URL once (it is not stored).
async fn create(
    page: Page,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let new = page.state.node.create_feed(&page.user.username, &addr.ip().to_string()).await;
    let new = new.map_err(feed_error).or_page(&page)?;
    let url = format!("{}{}?lang={}", origin(&page.state, &headers), feed_path(&new.token), page.lang.code());
    // Not cached anywhere: the secret is on this page only.
    Ok(([(header::CACHE_CONTROL, "no-store")], render(&page, url, false).await?).into_response())
}

/// `POST /{lang}/calendar/{id}/revoke`: the feed stops working at once.
async fn revoke(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let id = id.parse::<i64>().map_err(|_| WebError::NotFound).or_page(&page)?;
    let revoked = page.state.node.revoke_feed(&page.user.username, id, &addr.ip().to_string()).await;
    if !revoked.map_err(feed_error).or_page(&page)? {
        return Err(page.fail(WebError::NotFound));
    }
    Ok(page.redirect("/calendar?revoked=1"))
}
