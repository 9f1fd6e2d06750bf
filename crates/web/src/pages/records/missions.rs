//! The missions list and a mission's page: its programme in the venue's time zone, with the
//! UTC instant beside each timed item, and what was published about it.

use askama::Template;
use axum::extract::Path;
use axum::response::Html;

use crate::WebError;
use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
#[allow(clippy::wildcard_imports, reason = "the page renders its read model")]
use crate::views::records::missions::*;

#[derive(Template)]
#[template(path = "missions.html")]
struct MissionsPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    rows: Vec<MissionRow>,
}

#[derive(Template)]
#[template(path = "mission.html")]
struct MissionPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    m: MissionView,
}

/// `GET /{lang}/missions`.
pub async fn missions(page: Page) -> Result<Html<String>, PageError> {
    let tr = page.tr();
    let rows = {
        let s = &*page.state.node.read(&page.user).await;
        mission_rows(s, tr)
    };
    let html = MissionsPage { ctx: page.ctx("/missions"), tr, rows }.render().or_page(&page)?;
    Ok(Html(html))
}

/// `GET /{lang}/missions/{id}`.
pub async fn mission(page: Page, Path((_, id)): Path<(String, String)>) -> Result<Html<String>, PageError> {
    let tr = page.tr();
    let m = {
        let s = &*page.state.node.read(&page.user).await;
        mission_view(s, tr, &id)
    }
    .ok_or(WebError::NotFound)
    .or_page(&page)?;
    let html =
        MissionPage { ctx: page.record_ctx(format!("/missions/{id}"), &id).await, tr, m }.render().or_page(&page)?;
    Ok(Html(html))
}
