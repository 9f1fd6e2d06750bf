//! Internal notes: a party's private log. Only that party's users see them; they are never
//! offered to the other party's node (sync and bundles read the shared log only).

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use lajna_domain::records::Note;
use lajna_domain::{Command, Lang, LocalizedText};
use lajna_node::NodeError;
use lajna_node::auth::AuthError;
use serde::Deserialize;

use crate::ctx::{PageCtx, Viewer, csrf_ok, lang_of, tr};
use crate::i18n::Tr;
use crate::problem::message_of;
use crate::views::Txt;
use crate::{AppState, WebError, failure, forbidden_page, not_found, to_login};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/notes", get(page).post(create))
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

/// The new-note form.
#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

async fn render(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    typed: (String, String, String),
    saved: bool,
) -> Result<String, WebError> {
    let Some(user) = &viewer.user else { return Err(WebError::NotFound) };
    let party = user.party.to_string();
    let notes = state
        .node
        .store
        .private_records(&party)
        .await?
        .into_iter()
        .filter_map(|(id, _, doc)| {
            let at = doc.pointer("/_meta/created_at").and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let n: Note = serde_json::from_value(doc).ok()?;
            Some((id, Txt::of(&n.title, lang), Txt::of(&n.text, lang), at))
        })
        .collect();
    let page = NotesPage {
        ctx: PageCtx::new(lang, "/notes", viewer, state.node.config.demo),
        tr: tr(state, lang),
        party,
        notes,
        can_write: user.can_write() && user.role != lajna_node::auth::Role::ActionOwner,
        form_title: typed.0,
        form_text: typed.1,
        error: typed.2,
        saved,
    };
    Ok(page.render()?)
}

async fn page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    if viewer.user.is_none() {
        return to_login(lang, "/notes");
    }
    match render(&state, lang, &viewer, Default::default(), query.as_deref() == Some("saved=1")).await {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e),
    }
}

async fn create(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    viewer: Viewer,
    Form(form): Form<NoteForm>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, "/notes") };
    if !csrf_ok(&viewer, &form.csrf) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    let note = LocalizedText::parse("title", &[(lang, &form.title)])
        .and_then(|title| LocalizedText::parse("text", &[(lang, &form.text)]).map(|text| (title, text)));
    let result = match note {
        Ok((title, text)) => {
            let command = Command::RecordNote(Note { party: user.party.clone(), title, text, about: None });
            state.node.execute_as(&user, &command).await.map(|_| ())
        }
        Err(e) => Err(NodeError::Domain(e)),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/{}/notes?saved=1", lang.code())).into_response(),
        Err(NodeError::Auth(AuthError::Forbidden(_))) => forbidden_page(&state, lang, &viewer, "error-forbidden"),
        Err(e) => {
            let (_, message) = message_of(&state.catalog, lang, &e);
            match render(&state, lang, &viewer, (form.title, form.text, message), false).await {
                Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response(),
                Err(e) => failure(&state, lang, e),
            }
        }
    }
}
