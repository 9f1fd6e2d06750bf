//! The dashboard and the press article page.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};

use crate::ctx::{PageCtx, Viewer, lang_of, tr};
use crate::i18n::Tr;
use crate::{AppState, WebError, failure, not_found, to_login, views};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    d: views::Dashboard,
    charts: super::report::DashboardCharts,
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
pub async fn dashboard(State(state): State<AppState>, Path(lang): Path<String>, viewer: Viewer) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    if viewer.user.is_none() {
        return to_login(lang, "/");
    }
    let tr = tr(&state, lang);
    let result = async {
        let key = (lang, state.node.store.generation(), state.node.today());
        let cached = state
            .dashboards
            .lock()
            .ok()
            .and_then(|c| c.iter().find(|(l, g, t, _)| (*l, *g, *t) == key).map(|(_, _, _, d)| d.clone()));
        let d = match cached {
            Some(d) => d,
            None => {
                let d = views::dashboard(&state.node, tr).await?;
                if let Ok(mut c) = state.dashboards.lock() {
                    // Keep only the current generation, one entry per language.
                    c.retain(|(l, g, t, _)| (*g, *t) == (key.1, key.2) && *l != lang);
                    c.push((lang, key.1, key.2, d.clone()));
                }
                d
            }
        };
        let charts = super::report::dashboard_charts(&state.node, tr).await;
        Ok::<_, WebError>(
            DashboardPage { ctx: PageCtx::new(lang, "/", &viewer, state.node.config.demo), tr, d, charts }.render()?,
        )
    }
    .await;
    match result {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e),
    }
}

/// `GET /{lang}/press/{id}`: the article as published.
pub async fn press(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let path = format!("/press/{id}");
    if viewer.user.is_none() {
        return to_login(lang, &path);
    }
    let result = async {
        let doc = views::press(&state.node, &id).await?;
        let (pl, pt) = doc.publisher.best(lang);
        let publisher = views::Txt { lang: pl.code(), dir: pl.dir(), text: pt.to_string() };
        let page = PressPage {
            ctx: PageCtx::new(lang, path, &viewer, state.node.config.demo),
            tr: tr(&state, lang),
            doc_lang: doc.language.code(),
            doc_dir: doc.language.dir(),
            publisher,
            doc,
        };
        Ok::<_, WebError>(page.render()?)
    }
    .await;
    match result {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e),
    }
}
