//! The delegations block of the session page (issue 13 item 2): each party's delegation
//! (name, rank, function, attendance, head of delegation, "represented by"), whether both heads
//! of delegation sit, and for the viewer's own party the form that records its delegation
//! (`POST /{lang}/sessions/{id}/delegation`). Read from [`lajna_domain::attendance`].

use axum::extract::Path;
use axum::response::Response;
use lajna_domain::attendance::{Attendance, DelegationEntry};
use lajna_domain::{Command, DomainError, Lang, LocalizedText, PartyCode};
use lajna_door::DoorError;

use super::sessions::{Typed, render_session};
use crate::ctx::{CsrfForm, Page, PageError};
use crate::problem::{message_of, status_of};
#[allow(clippy::wildcard_imports, reason = "the page renders its read model")]
use crate::views::records::attendance::*;

/// The delegation form's fields: `party`, and per member id `M`: `attendance-M` (empty for
/// "not in the delegation"), `function-M`, `represented_by-M`; `head` names the head's id.
/// Repeated, free-named fields, so read as pairs.
fn command_of(
    fields: &[(String, String)],
    session: &str,
    lang: Lang,
    old: &dyn Fn(&str) -> Option<LocalizedText>,
) -> Result<Command, DomainError> {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    let party = PartyCode::parse(get("party").unwrap_or_default())?;
    let mut entries = Vec::new();
    for (key, value) in fields {
        let Some(member) = key.strip_prefix("attendance-") else { continue };
        if value.is_empty() {
            continue;
        }
        // The typed function replaces the page language's text, other languages are kept.
        let mut function = old(member).unwrap_or_default();
        let typed = get(&format!("function-{member}")).filter(|t| !t.is_empty()).map(String::from);
        *match lang {
            Lang::Ar => &mut function.ar,
            Lang::Fr => &mut function.fr,
            Lang::En => &mut function.en,
        } = typed;
        entries.push(DelegationEntry {
            member: member.to_string(),
            function: Lang::ALL.iter().any(|l| function.get(*l).is_some()).then_some(function),
            attendance: Attendance::parse(value)?,
            represented_by: get(&format!("represented_by-{member}")).filter(|r| !r.is_empty()).map(String::from),
            head: get("head") == Some(member),
        });
    }
    Ok(record_command(session, &party, entries))
}

/// `POST /{lang}/sessions/{id}/delegation`: the viewer's party records its delegation. A
/// refusal writes nothing: the 403 page for a missing role; otherwise the session page with the
/// message, answered 403 for another party's delegation (`error-delegation-other-party`).
pub async fn delegation_save(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (lang, party) = (page.lang, page.user.party.to_string());
    let old = {
        let s = &*page.state.node.read(&page.user).await;
        lajna_domain::attendance::delegation(s, &id, &party)
    };
    let function_of = |m: &str| old.as_ref()?.entries.iter().find(|e| e.member == m)?.function.clone();
    let result = match command_of(&fields, &id, lang, &function_of) {
        Ok(command) => page.state.node.execute_as(&page.user, &command).await.map(|_| ()),
        Err(e) => Err(DoorError::Domain(e)),
    };
    let Err(e) = result else { return Ok(page.redirect(&format!("/sessions/{id}?saved=1#attendance"))) };
    if let Some(refusal) = page.refusal(&e) {
        return Err(refusal);
    }
    let (_, message) = message_of(&page.state.catalog, page.lang, &e);
    render_session(&page, &id, status_of(&e), false, Typed::message(message)).await
}
