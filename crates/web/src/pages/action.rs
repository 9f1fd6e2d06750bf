//! The action page: details, indicator, evidence, history, and the status/progress and
//! evidence forms (for users whose party owns the action).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use lajna_domain::{ActionStatus, Command, Lang, LocalizedText, Progress};
use lajna_node::NodeError;
use lajna_node::auth::{AuthError, authorize};
use serde::Deserialize;

use crate::ctx::{PageCtx, Viewer, csrf_ok, lang_of, tr};
use crate::i18n::Tr;
use crate::problem::message_of;
use crate::{AppState, WebError, failure, forbidden_page, not_found, to_login, views};

#[derive(Template)]
#[template(path = "action.html")]
struct ActionPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    a: views::ActionView,
    can_update: bool,
    statuses: &'static [ActionStatus],
    /// Values typed in the form (kept when it is refused).
    form_status: String,
    form_progress: String,
    form_note: String,
    /// Field → message, for a refused form.
    errors: Vec<(String, String)>,
    saved: bool,
}

impl ActionPage<'_> {
    fn error(&self, field: &str) -> String {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()).unwrap_or_default()
    }
}

/// The status/progress form.
#[derive(Deserialize)]
pub struct ProgressForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    progress: String,
}

/// The evidence form.
#[derive(Deserialize)]
pub struct EvidenceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

struct Typed {
    status: String,
    progress: String,
    note: String,
    errors: Vec<(String, String)>,
}

async fn render(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: &str,
    typed: Option<Typed>,
    saved: bool,
) -> Result<(String, bool), WebError> {
    let a = views::action(&state.node, id, lang).await?;
    let can_update = match &viewer.user {
        Some(user) => {
            let probe = Command::ReportProgress { action: id.to_string(), status: None, progress: None };
            state.node.with_state(|s| authorize(user, s, &probe).is_ok()).await
        }
        None => false,
    };
    let typed = typed.unwrap_or(Typed {
        status: a.row.status.to_string(),
        progress: a.row.progress.to_string(),
        note: String::new(),
        errors: vec![],
    });
    let page = ActionPage {
        ctx: PageCtx::new(lang, format!("/actions/{id}"), viewer, state.node.config.demo),
        tr: tr(state, lang),
        a,
        can_update,
        statuses: ActionStatus::ALL,
        form_status: typed.status,
        form_progress: typed.progress,
        form_note: typed.note,
        errors: typed.errors,
        saved,
    };
    Ok((page.render()?, can_update))
}

/// `GET /{lang}/actions/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    if viewer.user.is_none() {
        return to_login(lang, &format!("/actions/{id}"));
    }
    let saved = query.as_deref() == Some("saved=1");
    match render(&state, lang, &viewer, &id, None, saved).await {
        Ok((html, _)) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e),
    }
}

async fn refuse(state: &AppState, lang: Lang, viewer: &Viewer, id: &str, typed: Typed, e: &NodeError) -> Response {
    if matches!(e, NodeError::Auth(AuthError::Forbidden(_)) | NodeError::NoKey { .. }) {
        return forbidden_page(state, lang, viewer, "error-forbidden");
    }
    let (field, message) = message_of(&state.catalog, lang, e);
    let mut typed = typed;
    typed.errors.push((field.unwrap_or_else(|| "form".into()), message));
    match render(state, lang, viewer, id, Some(typed), false).await {
        Ok((html, _)) => (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response(),
        Err(e) => failure(state, lang, e),
    }
}

/// `POST /{lang}/actions/{id}/progress`: status and/or progress. Progress accepts Western,
/// Arabic-Indic and Extended Arabic-Indic digits and a trailing `%` or `٪` (case C03).
pub async fn progress(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
    Form(form): Form<ProgressForm>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, &format!("/actions/{id}")) };
    if !csrf_ok(&viewer, &form.csrf) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    let typed =
        Typed { status: form.status.clone(), progress: form.progress.clone(), note: String::new(), errors: vec![] };
    let status = match form.status.trim() {
        "" => None,
        s => match ActionStatus::parse(s) {
            Ok(s) => Some(s),
            Err(e) => return refuse(&state, lang, &viewer, &id, typed, &NodeError::Domain(e)).await,
        },
    };
    let progress = match form.progress.trim() {
        "" => None,
        p => match Progress::parse(p) {
            Ok(p) => Some(p),
            Err(e) => return refuse(&state, lang, &viewer, &id, typed, &NodeError::Domain(e)).await,
        },
    };
    let command = Command::ReportProgress { action: id.clone(), status, progress };
    match state.node.execute_as(&user, &command).await {
        Ok(_) => Redirect::to(&format!("/{}/actions/{id}?saved=1", lang.code())).into_response(),
        Err(e) => refuse(&state, lang, &viewer, &id, typed, &e).await,
    }
}

/// `POST /{lang}/actions/{id}/evidence`: a note, stored in the page's language.
pub async fn evidence(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
    Form(form): Form<EvidenceForm>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, &format!("/actions/{id}")) };
    if !csrf_ok(&viewer, &form.csrf) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    let typed = Typed { status: String::new(), progress: String::new(), note: form.note.clone(), errors: vec![] };
    let note = match LocalizedText::parse("note", &[(lang, &form.note)]) {
        Ok(n) => n,
        Err(e) => return refuse(&state, lang, &viewer, &id, typed, &NodeError::Domain(e)).await,
    };
    match state.node.execute_as(&user, &Command::AddEvidence { action: id.clone(), note }).await {
        Ok(_) => Redirect::to(&format!("/{}/actions/{id}?saved=1", lang.code())).into_response(),
        Err(e) => refuse(&state, lang, &viewer, &id, typed, &e).await,
    }
}
