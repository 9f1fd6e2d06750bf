//! Create and edit forms for every record type.
//!
//! - `GET /{lang}/new`: what the user may create (nothing for viewers and action owners).
//! - `GET|POST /{lang}/new/{kind}`: a new record; the creating command (`PlanAction`, …).
//! - `GET|POST /{lang}/edit/{kind}/{id}`: an edit; `Command::Revise` with every field of the
//!   record read from the form. The domain drops unchanged fields, so a save without a change
//!   appends no event (case C04) and the page says so.
//!
//! `kind` is a [`RecordKind`] code. A POST needs the session's CSRF token (else 403); a refusal
//! by role or party is the 403 page; a form the domain refuses comes back with HTTP 422, the
//! message beside its input and everything typed kept. Nothing is written on any refusal.
//!
//! No code here is written per kind: each form is laid out, filled and read from the kind's
//! field table ([`table`], `lajna_domain::fields`), as JSON that the domain reads as the record.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use lajna_domain::records::*;
use lajna_domain::{Command, DomainError, Lang, RecordKind};
use lajna_door::DoorError;
use lajna_door::auth::{Role, User, authorize};
use serde_json::{Map, Value};

use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError, PageFault, PageLang};
use crate::i18n::Tr;
use crate::problem::{message_of, status_of};
use crate::views::forms::table::{self, Start};
use crate::views::forms::{Block, Builder, Choices, Errors, FormData, has_form};
use crate::{AppState, WebError};

/// Zones offered as suggestions beside a venue's zone input (any tz database name is accepted).
const ZONES: [&str; 10] = [
    "Africa/Bamako",
    "Africa/Casablanca",
    "Africa/Abidjan",
    "Africa/Algiers",
    "Africa/Dakar",
    "Africa/Niamey",
    "Africa/Nouakchott",
    "Africa/Ouagadougou",
    "Europe/Paris",
    "UTC",
];

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/new", get(index))
        .route("/{lang}/new/{kind}", get(new_page).post(create))
        .route("/{lang}/edit/{kind}/{id}", get(edit_page).post(save))
}

#[derive(Template)]
#[template(path = "forms/index.html")]
struct IndexPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    /// (href, label) of each form the user may open.
    links: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "forms/record.html")]
struct RecordPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    heading: String,
    /// Where the form posts.
    action: String,
    /// Id of the record edited (empty for a new one).
    record_id: String,
    blocks: Vec<Block>,
    /// Messages no input claimed.
    top_errors: Vec<String>,
    /// A status line (a save that changed nothing).
    notice: String,
    zones: &'static [&'static str],
}

/// Whether `user` may create or edit records at all: secretaries and co-chairs. Which party's
/// records they may touch is decided by [`authorize`] on the command itself.
fn may_write(user: &User) -> bool {
    matches!(user.role, Role::CoChair | Role::Secretary)
}

/// A request to one form: the page, the kind, and the record edited (`None` for a new one).
struct Req<'a> {
    page: &'a Page,
    kind: RecordKind,
    id: Option<&'a str>,
}

impl Req<'_> {
    fn path(&self) -> String {
        match self.id {
            Some(id) => format!("/edit/{}/{id}", self.kind.code()),
            None => format!("/new/{}", self.kind.code()),
        }
    }
}

/// The record kind of a form URL (its `{kind}` segment), one that [`has_form`]. Anything else
/// is the 404 page, for signed-in and signed-out visitors alike (put it before [`Page`]).
struct FormKindOf(RecordKind);

impl FromRequestParts<AppState> for FormKindOf {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = PageLang::from_request_parts(parts, state).await?.0;
        let params = Path::<HashMap<String, String>>::from_request_parts(parts, state).await.ok();
        params
            .and_then(|p| RecordKind::parse(p.get("kind")?))
            .filter(|k| has_form(*k))
            .map(Self)
            .ok_or_else(|| PageError::new(state, lang, PageFault::Failed(WebError::NotFound)))
    }
}

/// `GET /{lang}/new`: links to the forms the user may open.
async fn index(page: Page) -> Result<Html<String>, PageError> {
    let (lang, tr) = (page.lang.code(), page.tr());
    let links = RecordKind::ALL
        .iter()
        .filter(|k| may_write(&page.user) && has_form(**k))
        .map(|k| (format!("/{lang}/new/{}", k.code()), tr.t(&format!("forms-new-{}", k.code()))))
        .collect();
    let html = IndexPage { ctx: page.ctx("/new"), tr, links }.render().or_page(&page)?;
    Ok(Html(html))
}

/// `GET /{lang}/new/{kind}`; a link may prefill a reference its table presets as linked:
/// `?decision=ID` gives a new action the decision it carries out (and the decision's area).
async fn new_page(
    FormKindOf(kind): FormKindOf,
    page: Page,
    Query(links): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    if !may_write(&page.user) {
        return Err(page.forbidden("error-forbidden"));
    }
    let party = page.user.party.to_string();
    let start = Start { party: &party, lang: page.lang, links: &links, catalog: &page.state.catalog };
    let mut form = FormData::default();
    table::presets(kind, &*page.state.node.read(&page.user).await, &start, &mut form);
    show(&Req { page: &page, kind, id: None }, StatusCode::OK, &form, vec![], true, "").await
}

/// `POST /{lang}/new/{kind}`.
async fn create(
    FormKindOf(kind): FormKindOf,
    page: Page,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, PageError> {
    if !may_write(&page.user) {
        return Err(page.forbidden("error-forbidden"));
    }
    new_post(&Req { page: &page, kind, id: None }, form).await
}

/// `GET /{lang}/edit/{kind}/{id}`.
async fn edit_page(
    FormKindOf(kind): FormKindOf,
    page: Page,
    Path((_, _, id)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    edit_get(&Req { page: &page, kind, id: Some(&id) }).await
}

/// `POST /{lang}/edit/{kind}/{id}`.
async fn save(
    FormKindOf(kind): FormKindOf,
    page: Page,
    Path((_, _, id)): Path<(String, String, String)>,
    CsrfForm(form): CsrfForm<FormData>,
) -> Result<Response, PageError> {
    edit_post(&Req { page: &page, kind, id: Some(&id) }, form).await
}

async fn new_post(req: &Req<'_>, form: FormData) -> Result<Response, PageError> {
    let record = match table::read(req.kind, &form, None) {
        Ok(r) => r,
        Err(errors) => return invalid(req, &form, errors).await,
    };
    let command = match Command::create(req.kind, record) {
        Ok(c) => c,
        Err(e) => return unexpected(req, &form, &e).await,
    };
    match req.page.state.node.execute_as(&req.page.user, &command).await {
        Ok(ids) => match ids.last() {
            Some(id) => Ok(Redirect::to(&target(req.page.lang, req.kind, &id.to_hex())).into_response()),
            None => show(req, StatusCode::OK, &form, vec![], false, "forms-no-change").await,
        },
        Err(e) => refused(req, &form, &e).await,
    }
}

/// The record edited and its stored JSON ([`RecordKind::typed`]), after checking that the user
/// may revise it: the 404 page when there is no such record of the kind (or it no longer reads
/// as its type), the 403 page when the user may not revise it.
async fn stored<'a>(req: &Req<'a>) -> Result<(&'a str, Value), PageError> {
    let (page, kind) = (req.page, req.kind);
    let id = req.id.ok_or_else(|| page.fail(WebError::NotFound))?;
    let probe = Command::Revise { kind, id: id.to_string(), set: Map::new() };
    let s = page.state.node.read(&page.user).await;
    let old = s.entry(id).filter(|e| e.kind == kind).map(|e| Value::Object(e.content()));
    let allowed = authorize(&page.user, &s, &probe);
    let old = old.and_then(|o| kind.typed(o).ok()).ok_or_else(|| page.fail(WebError::NotFound))?;
    if allowed.is_err() || !may_write(&page.user) {
        return Err(page.forbidden("error-forbidden"));
    }
    Ok((id, old))
}

async fn edit_get(req: &Req<'_>) -> Result<Response, PageError> {
    let (_, old) = stored(req).await?;
    let mut form = FormData::default();
    table::fill(req.kind, &old, &mut form);
    show(req, StatusCode::OK, &form, vec![], true, "").await
}

async fn edit_post(req: &Req<'_>, form: FormData) -> Result<Response, PageError> {
    let (id, old) = stored(req).await?;
    let record = match table::read(req.kind, &form, Some(&old)) {
        Ok(r) => r,
        Err(errors) => return invalid(req, &form, errors).await,
    };
    let set = match req.kind.typed(record) {
        Ok(new) => revision(&old, &new),
        Err(e) => return unexpected(req, &form, &e).await,
    };
    let command = Command::Revise { kind: req.kind, id: id.to_string(), set };
    match req.page.state.node.execute_as(&req.page.user, &command).await {
        Ok(ids) if ids.is_empty() => show(req, StatusCode::OK, &form, vec![], false, "forms-no-change").await,
        Ok(_) => Ok(Redirect::to(&target(req.page.lang, req.kind, id)).into_response()),
        Err(e) => refused(req, &form, &e).await,
    }
}

/// A form read into JSON that does not read as its record: a table that disagrees with its
/// type, never a user's input (each input is parsed by its own kind first). The form again
/// with a 500 and the unexpected-error message.
async fn unexpected(req: &Req<'_>, form: &FormData, e: &DomainError) -> Result<Response, PageError> {
    tracing::error!(error = %e, kind = req.kind.code(), "a form did not read as its record");
    let text = req.page.tr().t("error-unexpected");
    show(req, StatusCode::INTERNAL_SERVER_ERROR, form, vec![("form".into(), text)], false, "").await
}

/// The `set` of a revision: the fields whose value read from the form differs from the stored
/// record as the form showed it. A field the stored record has and the new one lacks (an
/// optional field cleared) is set to `null`, or to `false` for a flag, since an absent field
/// means "unchanged". The domain would drop unchanged fields anyway; leaving them out here also
/// keeps the role rules about the fields actually changed (an unchanged `host` of a joint
/// mission is not a move to that party), and leaves concurrent edits of other fields alone.
fn revision(old: &Value, new: &Value) -> Map<String, Value> {
    let (Value::Object(old), Value::Object(new)) = (old, new) else { return Map::new() };
    let cleared: Vec<(String, Value)> = old
        .iter()
        .filter(|(k, _)| !new.contains_key(*k))
        .map(|(k, v)| (k.clone(), if v.is_boolean() { Value::Bool(false) } else { Value::Null }))
        .collect();
    let mut set: Map<String, Value> =
        new.iter().filter(|(k, v)| old.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect();
    set.extend(cleared);
    set
}

/// Where a saved record is shown.
fn target(lang: Lang, kind: RecordKind, id: &str) -> String {
    let saved = if kind == RecordKind::Action { "?saved=1" } else { "" };
    format!("/{}{}{saved}", lang.code(), crate::views::record_path(kind, id))
}

/// The input a domain refusal is about: its own field, or, for refusals without one, the
/// input that holds the value refused (`@ref:{kind}` and `@party` are claimed by the first
/// select of that kind).
fn field_of(e: &DomainError) -> String {
    match e {
        DomainError::UnknownRecord { kind, .. } => format!("@ref:{kind}"),
        DomainError::UnknownParty { .. } => "@party".into(),
        DomainError::DuplicateNumber { .. } => "number".into(),
        DomainError::DuplicateCode { .. } => "code".into(),
        DomainError::OutsideDates { .. } => "programme".into(),
        other => other.field().unwrap_or("form").to_string(),
    }
}

/// The message of a refusal in the page's language; a required input left blank says so.
fn message(page: &Page, e: &DomainError) -> String {
    match e {
        DomainError::InvalidValue { value, .. } if value.trim().is_empty() => page.tr().t("forms-required"),
        _ => message_of(&page.state.catalog, page.lang, &DoorError::Domain(e.clone())).1,
    }
}

/// The form again with its parse errors: HTTP 422.
async fn invalid(req: &Req<'_>, form: &FormData, errors: Errors) -> Result<Response, PageError> {
    let messages = errors.into_iter().map(|(field, e)| (field, message(req.page, &e))).collect();
    show(req, StatusCode::UNPROCESSABLE_ENTITY, form, messages, false, "").await
}

/// A command refused by the node: the refusal page for a missing permission or node key
/// ([`Page::refusal`]), else the form again with the message beside its input (422 for the
/// domain's rules).
async fn refused(req: &Req<'_>, form: &FormData, e: &DoorError) -> Result<Response, PageError> {
    if let Some(refusal) = req.page.refusal(e) {
        return Err(refusal);
    }
    let (status, errors) = match e {
        DoorError::Domain(d) => (StatusCode::UNPROCESSABLE_ENTITY, vec![(field_of(d), message(req.page, d))]),
        other => (status_of(other), vec![("form".into(), message_of(&req.page.state.catalog, req.page.lang, other).1)]),
    };
    show(req, status, form, errors, false, "").await
}

/// The records a form may refer to, labelled in `lang`.
fn choices(s: &lajna_domain::State, lang: Lang) -> Choices {
    let mut c = Choices::default();
    if let Some(charter) = s.charter() {
        c.parties = charter
            .parties
            .iter()
            .map(|p| (p.code.to_string(), format!("{} — {}", p.code, p.name.show(lang))))
            .collect();
    }
    let sorted = |mut v: Vec<(String, String)>| {
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    };
    let members = s
        .all::<Member>(RecordKind::Member)
        .into_iter()
        .map(|(id, m)| (id, format!("{} ({})", m.name.show(lang), m.party)))
        .collect();
    c.refs.insert(RecordKind::Member, sorted(members));
    let mut areas = s.all::<Area>(RecordKind::Area);
    areas.sort_by_key(|(_, a)| a.ordinal);
    c.refs.insert(RecordKind::Area, areas.into_iter().map(|(id, a)| (id, a.title.show(lang).to_string())).collect());
    let mut missions = s.all::<Mission>(RecordKind::Mission);
    missions.sort_by_key(|(_, m)| m.start);
    c.refs.insert(
        RecordKind::Mission,
        missions.into_iter().map(|(id, m)| (id, format!("{} — {}", m.start, m.title.show(lang)))).collect(),
    );
    let mut sessions = s.all::<Session>(RecordKind::Session);
    sessions.sort_by_key(|(_, x)| x.number);
    c.refs.insert(
        RecordKind::Session,
        sessions.into_iter().map(|(id, x)| (id, format!("{} — {}", x.number, x.title.show(lang)))).collect(),
    );
    let titled = |kind: RecordKind, title: fn(&Value) -> Option<&Value>| {
        let v = s
            .entries()
            .filter(|(_, e)| e.kind == kind)
            .map(|(id, e)| {
                let content = Value::Object(e.content());
                let text = title(&content)
                    .and_then(|t| serde_json::from_value::<lajna_domain::LocalizedText>(t.clone()).ok())
                    .map(|t| t.show(lang).to_string())
                    .unwrap_or_else(|| id.clone());
                (id.clone(), text)
            })
            .collect();
        sorted(v)
    };
    for kind in [RecordKind::Communique, RecordKind::Roadmap, RecordKind::Action, RecordKind::Need] {
        c.refs.insert(kind, titled(kind, |v| v.get("title")));
    }
    let references = lajna_domain::reference::decision_references(s);
    let mut decisions: Vec<(String, String)> = s
        .all::<Decision>(RecordKind::Decision)
        .into_iter()
        .map(|(id, d)| {
            let text: String = d.text.show(lang).chars().take(80).collect();
            (id.clone(), format!("{} — {text}", references.get(&id).unwrap_or(&id)))
        })
        .collect();
    decisions.sort_by(|a, b| a.1.cmp(&b.1));
    c.refs.insert(RecordKind::Decision, decisions);
    c
}

/// Renders the form of the request's kind with `form`'s values and `errors` beside their inputs.
async fn show(
    req: &Req<'_>,
    status: StatusCode,
    form: &FormData,
    errors: Vec<(String, String)>,
    fresh: bool,
    notice: &str,
) -> Result<Response, PageError> {
    let (page, tr) = (req.page, req.page.tr());
    let choices = choices(&*page.state.node.read(&page.user).await, page.lang);
    let mut b = Builder::new(form, tr, &choices, errors, fresh);
    table::layout(req.kind, &mut b);
    let (blocks, top_errors) = b.finish();
    let path = req.path();
    let html = RecordPage {
        ctx: page.ctx(path.clone()),
        tr,
        heading: tr.t(&format!("forms-{}-{}", if req.id.is_some() { "edit" } else { "new" }, req.kind.code())),
        action: format!("/{}{path}", page.lang.code()),
        record_id: req.id.unwrap_or_default().to_string(),
        blocks,
        top_errors,
        notice: if notice.is_empty() { String::new() } else { tr.t(notice) },
        zones: &ZONES,
    }
    .render()
    .or_page(page)?;
    Ok((status, Html(html)).into_response())
}
