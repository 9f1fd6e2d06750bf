//! `GET /{lang}/notifications`: the signed-in user's notifications, newest first, 20 a page
//! (issue 14 item 2); `POST /{lang}/notifications/read` marks one (`id`) or all of them read;
//! `GET /{lang}/my-work` (item 1). Plain links and forms: works without JavaScript. The read
//! models are [`lajna_views::notifications`] and [`lajna_views::my_work`].

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::{Html, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::views::my_work::MyWork;
use crate::views::notifications::{NoticePage, PER_PAGE, notice_page};

/// The routes of these pages.
pub fn routes() -> Router<AppState> {
    let r = Router::new().route("/{lang}/my-work", get(my_work));
    r.route("/{lang}/notifications", get(list)).route("/{lang}/notifications/read", post(mark_read))
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    p: NoticePage,
}

/// `?page=N`, from 1.
#[derive(Deserialize)]
struct PageNo {
    page: Option<i64>,
}

async fn list(page: Page, Query(q): Query<PageNo>) -> Result<Html<String>, PageError> {
    let (node, n) = (&page.state.node, q.page.unwrap_or(1).max(1));
    let rows = node.notifications(&page.user, (n - 1) * PER_PAGE, PER_PAGE).await.or_page(&page)?;
    let (snapshot, ctx) = (node.read(&page.user).await, page.ctx(format!("/notifications?page={n}")));
    let p = notice_page(&snapshot, &rows, n, &page.user, page.tr(), node.today());
    Ok(Html(NotificationsPage { ctx, tr: page.tr(), p }.render().or_page(&page)?))
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

#[derive(Template)]
#[template(path = "my_work.html")]
struct MyWorkPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    w: MyWork,
}

async fn my_work(page: Page) -> Result<Html<String>, PageError> {
    let (node, snapshot) = (&page.state.node, page.state.node.read(&page.user).await);
    let w = crate::views::my_work::my_work(&snapshot, &page.user, page.tr(), node.today(), &node.notify_settings());
    Ok(Html(MyWorkPage { ctx: page.ctx("/my-work"), tr: page.tr(), w }.render().or_page(&page)?))
}
