//! Communiqués (newest first) and press documents.

use askama::Template;
use axum::response::Html;

use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
#[allow(clippy::wildcard_imports, reason = "the page renders its read model")]
use crate::views::records::communiques::*;
use crate::views::records::{PressRow, press_rows};

#[derive(Template)]
#[template(path = "communiques.html")]
struct CommuniquesPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    rows: Vec<CommuniqueRow>,
    press: Vec<PressRow>,
}

/// `GET /{lang}/communiques`.
pub async fn communiques(page: Page) -> Result<Html<String>, PageError> {
    let (tr, lang) = (page.tr(), page.lang);
    let (rows, press) = {
        let s = &*page.state.node.read(&page.user).await;
        (communique_rows(s, tr), press_rows(s, lang, |_| true))
    };
    let html = CommuniquesPage { ctx: page.ctx("/communiques"), tr, rows, press }.render().or_page(&page)?;
    Ok(Html(html))
}
