//! A decision's own page (issue 13 item 1): its reference ([`lajna_domain::reference`]), its
//! text in each language, its session, who endorsed it, and the actions carrying it out with
//! their status, progress, due date and days late; a link creates a follow-up action.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;
use lajna_domain::records::{Action, Decision, Session};
use lajna_domain::state::State as Fold;
use lajna_domain::{RecordKind, reference};
use lajna_node::auth::User;

use super::sessions::{DecisionRow, decision_row};
use super::txt;
use crate::WebError;
use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::views::{ActionRow, Txt, action_row};

/// What the decision page shows.
pub struct DecisionView {
    /// The decision, its texts and endorsements.
    pub d: DecisionRow,
    /// `D-2025/1-3`.
    pub reference: String,
    /// Session id.
    pub session: String,
    /// Session title.
    pub session_title: Txt,
    /// The actions carrying it out, by due date.
    pub actions: Vec<ActionRow>,
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    v: DecisionView,
}

fn decision_view(s: &Fold, tr: Tr<'_>, id: &str, today: Date, viewer: &User) -> Option<DecisionView> {
    let d = s.get::<Decision>(RecordKind::Decision, id)?;
    let session_title = s.get::<Session>(RecordKind::Session, &d.session).map(|x| txt(&x.title, tr.lang));
    let mut actions: Vec<ActionRow> = s
        .all::<Action>(RecordKind::Action)
        .into_iter()
        .filter(|(_, a)| a.decision.as_deref() == Some(id))
        .map(|(aid, a)| action_row(&aid, &a, tr.lang, today))
        .collect();
    actions.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
    Some(DecisionView {
        reference: reference::decision_reference(s, id).unwrap_or_default(),
        session: d.session.clone(),
        session_title: session_title.unwrap_or_default(),
        d: decision_row(s, tr, id, &d, Some(viewer), false),
        actions,
    })
}

/// `GET /{lang}/decisions/{id}`.
pub async fn page(page: Page, Path((_, id)): Path<(String, String)>) -> Result<Response, PageError> {
    let (tr, today, user) = (page.tr(), page.state.node.today(), page.user.clone());
    let view = page.state.node.with_state(|s| decision_view(s, tr, &id, today, &user)).await;
    let v = view.ok_or(WebError::NotFound).or_page(&page)?;
    let html = DecisionPage { ctx: page.ctx(format!("/decisions/{id}")), tr, v }.render().or_page(&page)?;
    Ok(Html(html).into_response())
}
