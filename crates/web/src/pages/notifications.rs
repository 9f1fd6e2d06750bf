//! `GET /{lang}/notifications`: the signed-in user's notifications, newest first, 20 a page
//! (issue 14 item 2); `POST /{lang}/notifications/read` marks one (`id`) or all of them read.
//! Plain links and forms: works without JavaScript. The words are [`lajna_views::notifications`].

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::{Html, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError};
use crate::i18n::{Arg, Tr};
use crate::views::notifications::{Notice, notice};

/// Notifications on one page.
const PER_PAGE: i64 = 20;

/// The routes of this page.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/notifications", get(list)).route("/{lang}/notifications/read", post(mark_read))
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    items: Vec<Notice>,
    page: i64,
    pages: i64,
    /// "Page 2 of 5".
    pager: String,
}

/// `?page=N`, from 1.
#[derive(Deserialize)]
struct PageNo {
    page: Option<i64>,
}

async fn list(page: Page, Query(q): Query<PageNo>) -> Result<Html<String>, PageError> {
    let node = &page.state.node;
    let n = q.page.unwrap_or(1).max(1);
    let (rows, total) = node.notifications(&page.user, (n - 1) * PER_PAGE, PER_PAGE).await.or_page(&page)?;
    let snapshot = node.read(&page.user).await;
    let (tr, today) = (page.tr(), node.today());
    let items = rows.iter().map(|r| notice(&snapshot, r, &page.user, tr, today)).collect();
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let pager = tr.catalog.get(tr.lang, "notify-page", &[("page", Arg::Num(n)), ("pages", Arg::Num(pages))]);
    let ctx = page.ctx(format!("/notifications?page={n}"));
    Ok(Html(NotificationsPage { ctx, tr, items, page: n, pages, pager }.render().or_page(&page)?))
}

/// The "mark as read" form: one notification by `id`, or all when there is none.
#[derive(Deserialize)]
struct MarkRead {
    id: Option<i64>,
    page: Option<i64>,
}

async fn mark_read(page: Page, CsrfForm(f): CsrfForm<MarkRead>) -> Result<Response, PageError> {
    page.state.node.mark_notifications_read(&page.user, f.id).await.or_page(&page)?;
    Ok(page.redirect(&format!("/notifications?page={}", f.page.unwrap_or(1).max(1))))
}
