//! Endorsing is deliberate (issue 13 item 8, DESIGN.md §4 invariant 7): a co-chair's
//! endorsement button opens a confirmation page that shows exactly what the endorsement will
//! name, and asks for the password again.
//!
//! - `GET /{lang}/decisions/{id}/endorse`, `GET /{lang}/sessions/{id}/minutes/endorse?version=`
//!   (the draft's version, or an amendment's id; the draft when absent) and
//!   `GET /{lang}/roadmaps/{id}/endorse`: the kind (decision, minutes, roadmap), the reference
//!   (`D-{session}/{k}`, the PV's number, the roadmap's title), the texts in each language (the
//!   decision's text; the minutes' version; the roadmap's title, period and action count) and
//!   the version the endorsement names, then the password field. Only co-chairs may open it
//!   (the 403 page otherwise); when the record cannot be endorsed now (already endorsed by the
//!   viewer's party, a language to review) the page says why and holds no form.
//! - `POST` to the same paths: `version` (the one shown) and `password`. The role and party
//!   rules first, then the password ([`lajna_door::Door::confirm_password`]: throttled like
//!   sign-in, audited), then the command on the version shown — a decision or roadmap edited
//!   since the page was opened is refused as stale under the write lock
//!   ([`lajna_door::Door::execute_as_read`]), minutes name their version in the command. A
//!   missing (422) or wrong (403) password, a throttled one (429) or a refused command shows
//!   the page again with the translated reason; nothing is written.
//!
//! The JSON API has no endorsement route; the command exists only behind these pages.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use lajna_door::DoorError;
use lajna_door::auth::{AuthError, authorize};
use serde::Deserialize;

use crate::WebError;
use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::problem::{message_of, status_of};
#[allow(clippy::wildcard_imports, reason = "the page renders its read model")]
use crate::views::records::endorse::*;
#[derive(Template)]
#[template(path = "endorse.html")]
struct EndorsePage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    c: Confirm,
    /// Why the last attempt was refused (translated).
    error: String,
    /// Why it cannot be endorsed now (translated); empty when the form is shown.
    blocked: String,
}

/// The confirmation page of `target` with `status` and the refusal `error`; the 403 page for a
/// viewer who may not endorse, the 404 page for an unknown record.
async fn show(page: &Page, target: &Target, status: StatusCode, error: String) -> Result<Response, PageError> {
    let tr = page.tr();
    let built = {
        let s = &*page.state.node.read(&page.user).await;
        build(s, tr, target, &page.user, page.state.node.today())
    };
    let (c, check) = built.ok_or(WebError::NotFound).or_page(page)?;
    let blocked = match check {
        Ok(()) => String::new(),
        Err(e) => {
            if let Some(refusal) = page.refusal(&e) {
                return Err(refusal);
            }
            if let DoorError::Domain(d @ lajna_domain::DomainError::NotCoChair { .. }) = &e {
                return Err(page.forbidden(d.key()));
            }
            message_of(&page.state.catalog, page.lang, &e).1
        }
    };
    let ctx = page.ctx(target.path());
    let html = EndorsePage { ctx, tr, c, error, blocked }.render().or_page(page)?;
    Ok((status, Html(html)).into_response())
}

/// The confirmation form: the version shown and the password.
#[derive(Deserialize)]
pub struct EndorseForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    password: String,
}

/// Endorses `target` at the form's version once the password is confirmed, then shows the
/// record (`?saved=1`); otherwise the page again with the reason, nothing written. The role and
/// party rules come first: a secretary is refused (403) whatever the password.
async fn endorse(page: &Page, addr: SocketAddr, target: Target, form: EndorseForm) -> Result<Response, PageError> {
    let node = &page.state.node;
    let command = target.command(&form.version).on(node.today());
    if let Err(e) = {
        let s = &*node.read(&page.user).await;
        authorize(&page.user, s, &command).map_err(DoorError::from)
    } {
        return Err(page.refusal(&e).unwrap_or_else(|| page.forbidden("error-forbidden")));
    }
    if let Some((status, error)) = password_refusal(page, addr, &form.password).await {
        return show(page, &target, status, error).await;
    }
    let result = match &target {
        Target::Minutes(..) => node.execute_as(&page.user, &command).await,
        Target::Decision(id) | Target::Roadmap(id) => {
            node.execute_as_read(&page.user, &command, id, &form.version).await
        }
    };
    let e = match result {
        Ok(_) => return Ok(page.redirect(&saved(page, &target).await)),
        Err(e) => e,
    };
    if let Some(refusal) = page.refusal(&e) {
        return Err(refusal);
    }
    show(page, &target, status_of(&e), message_of(&page.state.catalog, page.lang, &e).1).await
}

/// Why `password` does not confirm the signed-in user: missing (422), wrong (403), too many
/// failures (429, as sign-in); `None` when confirmed.
async fn password_refusal(page: &Page, addr: SocketAddr, password: &str) -> Option<(StatusCode, String)> {
    if password.is_empty() {
        return Some((StatusCode::UNPROCESSABLE_ENTITY, page.tr().t("endorse-password-missing")));
    }
    match page.state.node.confirm_password(&page.user, password, &addr.ip().to_string()).await {
        Ok(()) => None,
        Err(DoorError::Auth(AuthError::InvalidCredentials)) => {
            Some((StatusCode::FORBIDDEN, page.tr().t("endorse-password-wrong")))
        }
        Err(e) => Some((status_of(&e), message_of(&page.state.catalog, page.lang, &e).1)),
    }
}

/// Where the record is shown once endorsed, with `?saved=1`.
async fn saved(page: &Page, target: &Target) -> String {
    let tr = page.tr();
    let back = {
        let s = &*page.state.node.read(&page.user).await;
        build(s, tr, target, &page.user, page.state.node.today()).map(|(c, _)| c.back)
    };
    let back = back.unwrap_or_else(|| "/".into());
    match back.split_once('#') {
        Some((path, anchor)) => format!("{path}?saved=1#{anchor}"),
        None => format!("{back}?saved=1"),
    }
}

/// The minutes version asked for in the query (`?version=`).
#[derive(Deserialize)]
pub struct VersionQuery {
    #[serde(default)]
    version: Option<String>,
}

/// `GET /{lang}/decisions/{id}/endorse`.
pub async fn decision_page(page: Page, Path((_, id)): Path<(String, String)>) -> Result<Response, PageError> {
    show(&page, &Target::Decision(id), StatusCode::OK, String::new()).await
}

/// `POST /{lang}/decisions/{id}/endorse`: `version`, `password`.
pub async fn decision_endorse(
    page: Page,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<EndorseForm>,
) -> Result<Response, PageError> {
    endorse(&page, addr, Target::Decision(id), form).await
}

/// `GET /{lang}/sessions/{id}/minutes/endorse?version=`.
pub async fn minutes_page(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, PageError> {
    show(&page, &Target::Minutes(id, q.version), StatusCode::OK, String::new()).await
}

/// `POST /{lang}/sessions/{id}/minutes/endorse`: `version` (the draft's or an amendment's),
/// `password`.
pub async fn minutes_endorse(
    page: Page,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<EndorseForm>,
) -> Result<Response, PageError> {
    let target = Target::Minutes(id, Some(form.version.clone()));
    endorse(&page, addr, target, form).await
}

/// `GET /{lang}/roadmaps/{id}/endorse`.
pub async fn roadmap_page(page: Page, Path((_, id)): Path<(String, String)>) -> Result<Response, PageError> {
    show(&page, &Target::Roadmap(id), StatusCode::OK, String::new()).await
}

/// `POST /{lang}/roadmaps/{id}/endorse`: `version`, `password`.
pub async fn roadmap_endorse(
    page: Page,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<EndorseForm>,
) -> Result<Response, PageError> {
    endorse(&page, addr, Target::Roadmap(id), form).await
}
