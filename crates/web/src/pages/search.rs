//! Full-text search (issue 6): the results page `/{lang}/search?q=&page=` and the JSON
//! `GET /api/v1/search?q=&page=&lang=`. Both search as the signed-in user — their party and
//! clearance filter the records inside the query, before ranking (`lajna_search`), so a record
//! the user may not see is never counted, ranked or shown in a snippet.

use askama::Template;
use axum::Router;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use lajna_domain::{Lang, Marking};
use lajna_door::auth::User;
use lajna_search::{Access, Hit, SearchError, SearchPage};
use percent_encoding::utf8_percent_encode;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::ctx::{OrPage, Page, PageCtx, PageError, Viewer};
use crate::i18n::Tr;
use crate::problem::Problem;
use crate::views::search::Row;

/// Results per page, on the page and in the API.
pub const PER_PAGE: usize = 20;
/// Longest query accepted, in characters (longer ones are cut).
const MAX_QUERY_CHARS: usize = 200;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/search", get(page)).route("/api/v1/search", get(api))
}

/// Query string of both endpoints.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    /// The words to find.
    #[serde(default)]
    q: String,
    /// Page number, from 1.
    #[serde(default)]
    page: Option<String>,
    /// Language of titles and snippets (API only; the page uses its own).
    #[serde(default)]
    lang: Option<String>,
}

impl SearchQuery {
    fn text(&self) -> String {
        self.q.trim().chars().take(MAX_QUERY_CHARS).collect()
    }

    /// The page number (1 when absent or not a positive number; Arabic-Indic digits accepted).
    fn page(&self) -> usize {
        let digits: String = self
            .page
            .as_deref()
            .unwrap_or("1")
            .trim()
            .chars()
            .map(|c| match c {
                '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
                '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
                c => c,
            })
            .collect();
        digits.parse::<usize>().ok().filter(|p| *p >= 1 && *p <= 10_000).unwrap_or(1)
    }
}

fn access(user: &User) -> Access {
    Access { party: user.party.clone(), clearance: user.clearance }
}

/// Runs the query for `user`, then audits every hit marked RESTRICTED or above that the results
/// show (a title and snippet are a view of the record, issue 6). Returns the page and the hits'
/// markings, for the banner.
async fn run(
    state: &AppState,
    user: &User,
    q: &SearchQuery,
    lang: Lang,
    address: &str,
) -> Result<(SearchPage, Vec<Marking>), SearchError> {
    let text = q.text();
    if text.is_empty() {
        return Ok((SearchPage { total: 0, hits: Vec::new() }, Vec::new()));
    }
    let mut page = state.node.search(&text, &access(user), lang, PER_PAGE, (q.page() - 1) * PER_PAGE).await?;
    let ids: Vec<String> = page.hits.iter().map(|h| h.id.clone()).collect();
    let snapshot = state.node.read(user).await;
    let mut markings: Vec<(String, Marking)> =
        ids.into_iter().filter_map(|id| snapshot.entry(&id).map(|e| (id, e.marking()))).collect();
    let mut unaudited = Vec::new();
    for (id, marking) in &markings {
        if let Err(e) = state.node.audit_view(user, "search-hit", id, marking, address).await {
            // Fail closed: a protected record whose view cannot be audited is not shown.
            tracing::error!(error = %e, record = %id, "audit failed; hit withheld");
            unaudited.push(id.clone());
        }
    }
    page.hits.retain(|h| !unaudited.contains(&h.id));
    markings.retain(|(id, _)| !unaudited.contains(id));
    Ok((page, markings.into_iter().map(|(_, m)| m).collect()))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchHtml<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    query: String,
    total: i64,
    rows: Vec<Row>,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    failed: bool,
}

fn page_href(lang: Lang, query: &str, page: usize) -> String {
    let mut s = url_escape(query);
    s.insert_str(0, &format!("/{}/search?q=", lang.code()));
    s.push_str(&format!("&page={page}"));
    s
}

/// Percent-encodes a query-string value (UTF-8 bytes outside unreserved characters).
fn url_escape(value: &str) -> String {
    utf8_percent_encode(value, crate::UNRESERVED).to_string()
}

/// `GET /{lang}/search?q=&page=`: a failed search is a page that says so, not an error page.
async fn page(
    page: Page,
    Query(q): Query<SearchQuery>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
) -> Result<Html<String>, PageError> {
    let (state, lang, query) = (&page.state, page.lang, q.text());
    let (result, markings, failed) = match run(state, &page.user, &q, lang, &addr.ip().to_string()).await {
        Ok((r, m)) => (r, m, false),
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            (SearchPage { total: 0, hits: Vec::new() }, Vec::new(), true)
        }
    };
    let banner = Marking::banner(&markings, &state.node.parties_of_committee().await);
    let (number, pages) = (q.page(), result.total.div_ceil(PER_PAGE));
    let path = if query.is_empty() { "/search".to_string() } else { page_href(lang, &query, number)[3..].to_string() };
    let html = SearchHtml {
        ctx: page.ctx(path).with_banner(banner),
        tr: page.tr(),
        rows: result.hits.iter().map(|h| Row::of(h, lang)).collect(),
        total: i64::try_from(result.total).unwrap_or(i64::MAX),
        page: number,
        pages,
        prev: (number > 1).then(|| page_href(lang, &query, number - 1)),
        next: (number < pages).then(|| page_href(lang, &query, number + 1)),
        query,
        failed,
    }
    .render()
    .or_page(&page)?;
    Ok(Html(html))
}

/// The JSON answer of `GET /api/v1/search`.
#[derive(Serialize)]
struct ApiAnswer {
    query: String,
    total: usize,
    page: usize,
    per_page: usize,
    hits: Vec<Hit>,
}

async fn api(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    viewer: Viewer,
) -> Response {
    let Some(user) = viewer.user.clone() else {
        return Problem::new(StatusCode::UNAUTHORIZED, "signed-out", "sign in with POST /api/v1/login first")
            .into_response();
    };
    let lang = q.lang.as_deref().and_then(|l| Lang::parse(l).ok()).unwrap_or(Lang::Fr);
    match run(&state, &user, &q, lang, &addr.ip().to_string()).await {
        Ok((r, _)) => {
            Json(ApiAnswer { query: q.text(), total: r.total, page: q.page(), per_page: PER_PAGE, hits: r.hits })
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            Problem::new(StatusCode::SERVICE_UNAVAILABLE, "search-unavailable", "the search index cannot be read now")
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_links() {
        let q = SearchQuery { page: Some("٣".into()), ..Default::default() };
        assert_eq!(q.page(), 3);
        let q = SearchQuery { page: Some("0".into()), ..Default::default() };
        assert_eq!(q.page(), 1);
        assert_eq!(page_href(Lang::Fr, "état & co", 2), "/fr/search?q=%C3%A9tat%20%26%20co&page=2");
    }
}
