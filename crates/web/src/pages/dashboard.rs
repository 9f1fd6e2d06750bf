//! The dashboard and the press article page.

use std::sync::Arc;

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};

use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::views;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    d: Arc<views::Dashboard>,
    charts: Arc<super::report::DashboardCharts>,
}

#[derive(Template)]
#[template(path = "press.html")]
struct PressPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    doc: lajna_domain::records::PressDocument,
    doc_lang: &'static str,
    doc_dir: &'static str,
    publisher: views::Txt,
}

/// `GET /{lang}/`.
pub async fn dashboard(page: Page) -> Result<Response, PageError> {
    let (state, lang, tr) = (&page.state, page.lang, page.tr());
    let key = (lang, state.node.store.generation(), state.node.today());
    let cached = state.dashboards.lock().ok().and_then(|c| {
        c.iter().find(|(l, g, t, _, _)| (*l, *g, *t) == key).map(|(_, _, _, d, charts)| (d.clone(), charts.clone()))
    });
    let (d, charts) = match cached {
        Some(hit) => hit,
        None => {
            let d = Arc::new(views::dashboard(&state.node, tr).await.or_page(&page)?);
            let charts = Arc::new(super::report::dashboard_charts(&state.node, tr).await);
            if let Ok(mut c) = state.dashboards.lock() {
                // Keep only the current generation, one entry per language.
                c.retain(|(l, g, t, _, _)| (*g, *t) == (key.1, key.2) && *l != lang);
                c.push((lang, key.1, key.2, d.clone(), charts.clone()));
            }
            (d, charts)
        }
    };
    let html = DashboardPage { ctx: page.ctx("/"), tr, d, charts }.render().or_page(&page)?;
    Ok(Html(html).into_response())
}

/// `GET /{lang}/press/{id}`: the article as published.
pub async fn press(page: Page, Path((_, id)): Path<(String, String)>) -> Result<Response, PageError> {
    let doc = views::press(&page.state.node, &id).await.or_page(&page)?;
    let (pl, pt) = doc.publisher.best(page.lang);
    let publisher = views::Txt { lang: pl.code(), dir: pl.dir(), text: pt.to_string() };
    let html = PressPage {
        ctx: page.ctx(format!("/press/{id}")),
        tr: page.tr(),
        doc_lang: doc.language.code(),
        doc_dir: doc.language.dir(),
        publisher,
        doc,
    }
    .render()
    .or_page(&page)?;
    Ok(Html(html).into_response())
}
