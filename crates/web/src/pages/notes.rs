//! Internal notes: a party's private log. Only that party's users see them; they are never
//! offered to the other party's node (sync and bundles read the shared log only).

use askama::Template;
use axum::Router;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use lajna_domain::records::Note;
use lajna_domain::{Command, LocalizedText, RecordKind};
use lajna_door::DoorError;
use lajna_door::auth::Role;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::problem::message_of;
use crate::views::Txt;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/notes", get(show).post(create))
}

#[derive(Template)]
#[template(path = "notes.html")]
struct NotesPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    party: String,
    notes: Vec<(String, Txt, Txt, String)>,
    can_write: bool,
    form_title: String,
    form_text: String,
    error: String,
    saved: bool,
}

/// The new-note form (also what a refused form typed, shown again).
#[derive(Default, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

/// The party's notes, newest last, with the form (`typed` and why it was refused).
async fn render(page: &Page, typed: NoteForm, error: String, saved: bool) -> Result<Html<String>, PageError> {
    let (lang, party) = (page.lang, page.user.party.to_string());
    let snapshot = page.state.node.read(&page.user).await;
    let notes = snapshot
        .entries()
        .filter(|(_, e)| e.private_party().as_deref() == Some(party.as_str()) && e.kind == RecordKind::Note)
        .map(|(id, e)| (id.clone(), e.doc(id)))
        .filter_map(|(id, doc)| {
            let at = doc.pointer("/_meta/created_at").and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let n: Note = serde_json::from_value(doc).ok()?;
            Some((id, Txt::of(&n.title, lang), Txt::of(&n.text, lang), at))
        })
        .collect();
    let html = NotesPage {
        ctx: page.ctx("/notes"),
        tr: page.tr(),
        party,
        notes,
        can_write: page.user.can_write() && page.user.role != Role::ActionOwner,
        form_title: typed.title,
        form_text: typed.text,
        error,
        saved,
    }
    .render()
    .or_page(page)?;
    Ok(Html(html))
}

/// `GET /{lang}/notes`.
async fn show(page: Page, RawQuery(query): RawQuery) -> Result<Html<String>, PageError> {
    render(&page, NoteForm::default(), String::new(), query.as_deref() == Some("saved=1")).await
}

/// `POST /{lang}/notes`: a note of the user's party, in the page's language.
async fn create(page: Page, CsrfForm(form): CsrfForm<NoteForm>) -> Result<Response, PageError> {
    let (lang, user) = (page.lang, &page.user);
    let note = LocalizedText::parse("title", &[(lang, &form.title)])
        .and_then(|title| LocalizedText::parse("text", &[(lang, &form.text)]).map(|text| (title, text)));
    let result = match note {
        Ok((title, text)) => {
            let command = Command::RecordNote(Note { party: user.party.clone(), title, text, about: None });
            page.state.node.execute_as(user, &command).await.map(|_| ())
        }
        Err(e) => Err(DoorError::Domain(e)),
    };
    let Err(e) = result else { return Ok(page.redirect("/notes?saved=1")) };
    if let Some(refusal) = page.refusal(&e) {
        return Err(refusal);
    }
    let (_, message) = message_of(&page.state.catalog, lang, &e);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page, form, message, false).await?).into_response())
}
