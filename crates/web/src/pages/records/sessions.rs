//! The sessions list and a session's page: minutes with their workflow, decisions with each
//! party's endorsement, language-parity flags and the état d'exécution of the previous session.

use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use lajna_domain::RecordKind;
use lajna_domain::records::Decision;

use crate::WebError;
use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
#[allow(clippy::wildcard_imports, reason = "the page renders its read model")]
use crate::views::records::sessions::*;

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    rows: Vec<SessionRow>,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    s: SessionView,
    /// A change was just recorded.
    saved: bool,
    /// Why the last form was refused (translated).
    error: String,
    /// Minutes form values (Arabic, French).
    form_ar: String,
    form_fr: String,
    /// Amendment form values (Arabic, French).
    amend_ar: String,
    amend_fr: String,
}

/// `GET /{lang}/sessions`.
pub async fn sessions(page: Page) -> Result<Html<String>, PageError> {
    let tr = page.tr();
    let rows = {
        let s = &*page.state.node.read(&page.user).await;
        session_rows(s, tr)
    };
    let html = SessionsPage { ctx: page.ctx("/sessions"), tr, rows }.render().or_page(&page)?;
    Ok(Html(html))
}

/// What a refused form typed, shown again with the message.
#[derive(Default)]
pub(super) struct Typed {
    /// Why the form was refused (translated).
    pub error: String,
    /// The minutes form's Arabic and French texts.
    pub minutes: Option<(String, String)>,
    /// The amendment form's Arabic and French texts.
    pub amendment: Option<(String, String)>,
}

impl Typed {
    /// Only the message (forms whose values are not shown again).
    pub fn message(error: String) -> Self {
        Self { error, ..Self::default() }
    }
}

/// The session page with `status`, what a refused form typed, and whether a change was just
/// recorded; the 404 page for an unknown session.
pub(super) async fn render_session(
    page: &Page,
    id: &str,
    status: StatusCode,
    saved: bool,
    typed: Typed,
) -> Result<Response, PageError> {
    let (tr, today) = (page.tr(), page.state.node.today());
    let view = {
        let f = &*page.state.node.read(&page.user).await;
        session_view(f, tr, id, today, Some(&page.user))
    };
    let s = view.ok_or(WebError::NotFound).or_page(page)?;
    let current = |l: &str| s.minutes.columns.iter().find(|c| c.lang == l).map(|c| c.text.clone()).unwrap_or_default();
    let (form_ar, form_fr) = typed.minutes.unwrap_or_else(|| (current("ar"), current("fr")));
    let (amend_ar, amend_fr) = typed.amendment.unwrap_or_else(|| (current("ar"), current("fr")));
    let ctx = page.record_ctx(format!("/sessions/{id}"), id).await;
    let html = SessionPage { ctx, tr, s, saved, error: typed.error, form_ar, form_fr, amend_ar, amend_fr }
        .render()
        .or_page(page)?;
    Ok((status, Html(html)).into_response())
}

/// `GET /{lang}/sessions/{id}`.
pub async fn session(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let saved = query.as_deref() == Some("saved=1");
    render_session(&page, &id, StatusCode::OK, saved, Typed::default()).await
}

/// The session that took decision `id`; the 404 page for an unknown decision.
pub(super) async fn session_of(page: &Page, id: &str) -> Result<String, PageError> {
    let session = {
        let s = &*page.state.node.read(&page.user).await;
        s.get::<Decision>(RecordKind::Decision, id).map(|d| d.session)
    };
    session.ok_or(WebError::NotFound).or_page(page)
}
