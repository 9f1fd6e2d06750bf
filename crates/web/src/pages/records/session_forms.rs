//! The forms of the session page: the draft minutes, amendments of locked minutes and the
//! confirmation of a translation (minutes or decision). Each runs one command for the
//! signed-in user, then shows the session page again. Endorsements have their own
//! confirmation page ([`super::endorse`]).

use axum::extract::Path;
use axum::response::Response;
use lajna_domain::minutes::{MINUTES, minutes_status};
use lajna_domain::records::Session;
use lajna_domain::{Command, DomainError, Lang, LocalizedText, RecordKind};
use lajna_door::DoorError;
use serde::Deserialize;
use serde_json::{Map, json};

use super::sessions::{Typed, render_session, session_of};
use crate::ctx::{CsrfForm, Page, PageError};
use crate::problem::{message_of, status_of};
use crate::views::records::parties;

/// The minutes and amendment forms: Arabic and French texts.
#[derive(Deserialize)]
pub struct TextsForm {
    #[serde(default)]
    ar: String,
    #[serde(default)]
    fr: String,
}

impl TextsForm {
    /// The texts as minutes, keeping `en` (an English text is not edited here).
    fn minutes(&self, en: Option<String>) -> Result<LocalizedText, DomainError> {
        let mut t = LocalizedText::tri(self.ar.trim(), self.fr.trim(), "");
        t.en = en;
        t.check(MINUTES)?;
        Ok(t)
    }

    /// The texts shown again beside the refusal.
    fn typed(&self) -> (String, String) {
        (self.ar.clone(), self.fr.clone())
    }
}

/// Confirming one language of a text.
#[derive(Deserialize)]
pub struct ConfirmForm {
    /// Language code confirmed.
    #[serde(default)]
    language: String,
}

impl ConfirmForm {
    /// The command confirming the form's language of `field` of record `id`.
    fn command(&self, kind: RecordKind, id: &str, field: &str) -> Result<Command, DomainError> {
        let lang = Lang::parse(&self.language)?;
        Ok(Command::ConfirmTranslation { kind, id: id.to_string(), field: field.into(), lang })
    }
}

/// Runs `command` for the signed-in user, then shows the session page (`?saved=1#{anchor}`) or
/// the refusal: the 403 page for a missing permission or node key, or a co-chair's act by
/// someone else; otherwise the session page with the translated message and what was typed.
async fn submit(
    page: &Page,
    session: &str,
    command: Result<Command, DomainError>,
    anchor: &str,
    typed: impl FnOnce(String) -> Typed,
) -> Result<Response, PageError> {
    let result = match command {
        Ok(command) => page.state.node.execute_as(&page.user, &command).await.map(|_| ()),
        Err(e) => Err(DoorError::Domain(e)),
    };
    let Err(e) = result else { return Ok(page.redirect(&format!("/sessions/{session}?saved=1#{anchor}"))) };
    if let Some(refusal) = page.refusal(&e) {
        return Err(refusal);
    }
    if let DoorError::Domain(d @ DomainError::NotCoChair { .. }) = &e {
        return Err(page.forbidden(d.key()));
    }
    let (_, message) = message_of(&page.state.catalog, page.lang, &e);
    render_session(page, session, status_of(&e), false, typed(message)).await
}

/// `POST /{lang}/sessions/{id}/minutes`: edit the draft minutes (Arabic and French; an English
/// text, if any, is kept).
pub async fn minutes_save(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<TextsForm>,
) -> Result<Response, PageError> {
    let snapshot = page.state.node.read(&page.user).await;
    let en = snapshot.get::<Session>(RecordKind::Session, &id).and_then(|x| x.minutes).and_then(|m| m.en);
    let command = form.minutes(en).map(|minutes| {
        let set = Map::from_iter([(MINUTES.to_string(), json!(minutes))]);
        Command::Revise { kind: RecordKind::Session, id: id.clone(), set }
    });
    let typed = |error| Typed { error, minutes: Some(form.typed()), amendment: None };
    submit(&page, &id, command, "minutes", typed).await
}

/// `POST /{lang}/sessions/{id}/amendments`: propose a correction of locked minutes.
pub async fn amendment(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<TextsForm>,
) -> Result<Response, PageError> {
    let snapshot = page.state.node.read(&page.user).await;
    let en = snapshot
        .entry(&id)
        .and_then(|e| minutes_status(e, &parties(&snapshot)).effective().and_then(|(_, t)| t.en.clone()));
    let command = form.minutes(en).map(|minutes| Command::AmendMinutes { session: id.clone(), minutes });
    let typed = |error| Typed { error, minutes: None, amendment: Some(form.typed()) };
    submit(&page, &id, command, "amendments", typed).await
}

/// `POST /{lang}/sessions/{id}/minutes/confirm`: confirm one language of the draft minutes.
pub async fn minutes_confirm(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, PageError> {
    let command = form.command(RecordKind::Session, &id, MINUTES);
    submit(&page, &id, command, "minutes", Typed::message).await
}

/// `POST /{lang}/decisions/{id}/confirm`: confirm one language of a decision's text.
pub async fn decision_confirm(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ConfirmForm>,
) -> Result<Response, PageError> {
    let session = session_of(&page, &id).await?;
    let command = form.command(RecordKind::Decision, &id, "text");
    submit(&page, &session, command, &format!("decision-{id}"), Typed::message).await
}
