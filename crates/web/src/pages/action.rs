//! The action page: details, indicator, evidence, history, and the status/progress and
//! evidence forms (for users whose party owns the action).

use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;
use lajna_domain::day::{parse_day, show_iso_day};
use lajna_domain::{ActionStatus, Command, DomainError, Lang, LocalizedText, Progress};
use lajna_door::DoorError;
use lajna_door::auth::authorize;
use serde::Deserialize;

use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::problem::message_of;
use crate::{WebError, views};

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
    form_reason: String,
    /// The completion date typed, or the action's own, or blank.
    form_completed: String,
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
    status: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    reason: String,
    /// `dd/mm/yyyy` or `yyyy-mm-dd` (`parse_day`); blank with status done means today.
    #[serde(default)]
    completed: String,
}

/// The evidence form.
#[derive(Deserialize)]
pub struct EvidenceForm {
    #[serde(default)]
    note: String,
}

#[derive(Default)]
struct Typed {
    status: String,
    progress: String,
    reason: String,
    completed: String,
    note: String,
    errors: Vec<(String, String)>,
}

async fn render(page: &Page, id: &str, typed: Option<Typed>, saved: bool) -> Result<String, WebError> {
    let state = &page.state;
    let snapshot = state.node.read(&page.user).await;
    let history = state.node.events_for_record(id).await?;
    let a = views::action(&snapshot, &history, id, page.lang, state.node.today()).ok_or(WebError::NotFound)?;
    let probe =
        Command::ReportProgress { completed: None, reason: None, action: id.to_string(), status: None, progress: None };
    let can_update = authorize(&page.user, &snapshot, &probe).is_ok();
    let typed = typed.unwrap_or(Typed {
        status: a.row.status.to_string(),
        progress: a.row.progress.to_string(),
        completed: show_iso_day(&a.completed, page.lang),
        ..Typed::default()
    });
    let html = ActionPage {
        ctx: page.record_ctx(format!("/actions/{id}"), id).await,
        tr: page.tr(),
        a,
        can_update,
        statuses: ActionStatus::ALL,
        form_status: typed.status,
        form_progress: typed.progress,
        form_reason: typed.reason,
        form_completed: typed.completed,
        form_note: typed.note,
        errors: typed.errors,
        saved,
    }
    .render()?;
    Ok(html)
}

/// `GET /{lang}/actions/{id}`.
pub async fn page(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let saved = query.as_deref() == Some("saved=1");
    Ok(Html(render(&page, &id, None, saved).await.or_page(&page)?).into_response())
}

/// The action page again with the refusal beside the form (422), or the refusal page.
async fn refuse(page: &Page, id: &str, mut typed: Typed, e: &DoorError) -> Result<Response, PageError> {
    if let Some(refusal) = page.refusal(e) {
        return Err(refusal);
    }
    let (field, message) = message_of(&page.state.catalog, page.lang, e);
    typed.errors.push((field.unwrap_or_else(|| "form".into()), message));
    let html = render(page, id, Some(typed), false).await.or_page(page)?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
}

/// `POST /{lang}/actions/{id}/progress`: status and/or progress. Progress accepts Western,
/// Arabic-Indic and Extended Arabic-Indic digits and a trailing `%` or `٪` (case C03).
pub async fn progress(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ProgressForm>,
) -> Result<Response, PageError> {
    let typed = Typed {
        status: form.status.clone(),
        progress: form.progress.clone(),
        reason: form.reason.clone(),
        completed: form.completed.clone(),
        ..Typed::default()
    };
    let parsed = progress_command(&form, &id, page.lang, page.state.node.today());
    let result = match parsed {
        Ok(command) => page.state.node.execute_as(&page.user, &command).await,
        Err(e) => Err(DoorError::Domain(e)),
    };
    match result {
        Ok(_) => Ok(page.redirect(&format!("/actions/{id}?saved=1"))),
        Err(e) => refuse(&page, &id, typed, &e).await,
    }
}

/// The progress report a form asks for. A done status without a completion date is dated
/// `today` (the committee's date): the "done over time" chart counts that date.
fn progress_command(form: &ProgressForm, id: &str, lang: Lang, today: Date) -> Result<Command, DomainError> {
    let status = Some(form.status.trim()).filter(|s| !s.is_empty()).map(ActionStatus::parse).transpose()?;
    let progress = Some(form.progress.trim()).filter(|p| !p.is_empty()).map(Progress::parse).transpose()?;
    // The reason in the page's language; blank means none (the domain says when one is needed).
    let reason = LocalizedText::parse("reason", &[(lang, &form.reason)]).ok();
    let completed = match form.completed.trim() {
        "" => (status == Some(ActionStatus::Done)).then_some(today),
        day => {
            Some(parse_day(day).ok_or_else(|| DomainError::NotADay { field: "completed".into(), value: day.into() })?)
        }
    };
    Ok(Command::ReportProgress { action: id.to_string(), status, progress, reason, completed })
}

/// `POST /{lang}/actions/{id}/evidence`: a note, stored in the page's language.
pub async fn evidence(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<EvidenceForm>,
) -> Result<Response, PageError> {
    let typed = Typed { note: form.note.clone(), ..Typed::default() };
    let result = match LocalizedText::parse("note", &[(page.lang, &form.note)]) {
        Ok(note) => page.state.node.execute_as(&page.user, &Command::AddEvidence { action: id.clone(), note }).await,
        Err(e) => Err(DoorError::Domain(e)),
    };
    match result {
        Ok(_) => Ok(page.redirect(&format!("/actions/{id}?saved=1"))),
        Err(e) => refuse(&page, &id, typed, &e).await,
    }
}
