//! A decision's own page (issue 13 item 1): its reference ([`lajna_domain::reference`]), its
//! text in each language, its session, who endorsed it, and the actions carrying it out with
//! their status, progress, due date and days late; a link creates a follow-up action.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};

use crate::WebError;
use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
#[allow(clippy::wildcard_imports, reason = "the page renders its read model")]
use crate::views::records::decision::*;
#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    v: DecisionView,
}
/// `GET /{lang}/decisions/{id}`.
pub async fn page(page: Page, Path((_, id)): Path<(String, String)>) -> Result<Response, PageError> {
    let (tr, today, user) = (page.tr(), page.state.node.today(), page.user.clone());
    let view = {
        let s = &*page.state.node.read(&page.user).await;
        decision_view(s, tr, &id, today, &user)
    };
    let v = view.ok_or(WebError::NotFound).or_page(&page)?;
    let html =
        DecisionPage { ctx: page.record_ctx(format!("/decisions/{id}"), &id).await, tr, v }.render().or_page(&page)?;
    Ok(Html(html).into_response())
}
