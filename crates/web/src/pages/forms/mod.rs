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

mod form;
mod kinds;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use lajna_domain::records::*;
use lajna_domain::{Command, DomainError, Lang, RecordKind};
use lajna_node::NodeError;
use lajna_node::auth::{AuthError, Role, User, authorize};
use serde_json::{Map, Value};

use self::form::{Block, Builder, Choices, Errors, FormData};
use self::kinds::{Defaults, FormKind};
use crate::ctx::{PageCtx, Viewer, csrf_ok, lang_of, tr};
use crate::i18n::Tr;
use crate::problem::{message_of, status_of};
use crate::{AppState, failure, forbidden_page, not_found, to_login};

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

/// A request to one form: who, in which language, for which record.
struct Req<'a> {
    state: &'a AppState,
    lang: Lang,
    viewer: &'a Viewer,
    user: &'a User,
    /// The record edited (`None` for a new one).
    id: Option<&'a str>,
}

impl Req<'_> {
    fn path(&self, kind: RecordKind) -> String {
        match self.id {
            Some(id) => format!("/edit/{}/{id}", kind.code()),
            None => format!("/new/{}", kind.code()),
        }
    }
}

/// The record kind of a form URL: every shared kind (private notes and documents, which carry
/// a file, have their own pages).
fn form_kind(code: &str) -> Option<RecordKind> {
    RecordKind::parse(code).filter(|k| !k.is_private() && !k.is_marked())
}

/// Runs the generic function `$f::<RecordType>` for a [`RecordKind`].
macro_rules! dispatch {
    ($kind:expr, $f:ident($($arg:expr),*)) => {
        match $kind {
            RecordKind::Member => $f::<Member>($($arg),*).await,
            RecordKind::Area => $f::<Area>($($arg),*).await,
            RecordKind::Mission => $f::<Mission>($($arg),*).await,
            RecordKind::Session => $f::<Session>($($arg),*).await,
            RecordKind::Decision => $f::<Decision>($($arg),*).await,
            RecordKind::Communique => $f::<Communique>($($arg),*).await,
            RecordKind::Press => $f::<PressDocument>($($arg),*).await,
            RecordKind::Roadmap => $f::<Roadmap>($($arg),*).await,
            RecordKind::Action => $f::<Action>($($arg),*).await,
            RecordKind::Need => $f::<Need>($($arg),*).await,
            RecordKind::Offer => $f::<Offer>($($arg),*).await,
            RecordKind::Training => $f::<Training>($($arg),*).await,
            // Notes have their own page (/{lang}/notes); `form_kind` never returns them.
            RecordKind::Note | RecordKind::Document => {
                unreachable!("private kinds and documents are filtered out before dispatch")
            }
        }
    };
}

/// `GET /{lang}/new`: links to the forms the user may open.
pub async fn index(State(state): State<AppState>, Path(lang): Path<String>, viewer: Viewer) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, "/new") };
    let tr = tr(&state, lang);
    let links = if may_write(&user) {
        RecordKind::ALL
            .iter()
            .filter(|k| !k.is_private() && !k.is_marked())
            .map(|k| (format!("/{}/new/{}", lang.code(), k.code()), tr.t(&format!("forms-new-{}", k.code()))))
            .collect()
    } else {
        vec![]
    };
    let page = IndexPage { ctx: PageCtx::new(lang, "/new", &viewer, state.node.config.demo), tr, links };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e.into()),
    }
}

/// `GET /{lang}/new/{kind}`.
pub async fn new_page(
    State(state): State<AppState>,
    Path((lang, kind)): Path<(String, String)>,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(kind) = form_kind(&kind) else { return not_found(&state, Some(lang)) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, &format!("/new/{}", kind.code())) };
    if !may_write(&user) {
        return forbidden_page(&state, lang, &viewer, "error-forbidden");
    }
    let req = Req { state: &state, lang, viewer: &viewer, user: &user, id: None };
    dispatch!(kind, new_get(&req))
}

/// `POST /{lang}/new/{kind}`.
pub async fn create(
    State(state): State<AppState>,
    Path((lang, kind)): Path<(String, String)>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(kind) = form_kind(&kind) else { return not_found(&state, Some(lang)) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, &format!("/new/{}", kind.code())) };
    if !csrf_ok(&viewer, pairs.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str())) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    if !may_write(&user) {
        return forbidden_page(&state, lang, &viewer, "error-forbidden");
    }
    let req = Req { state: &state, lang, viewer: &viewer, user: &user, id: None };
    let form = FormData::new(pairs);
    dispatch!(kind, new_post(&req, form))
}

/// `GET /{lang}/edit/{kind}/{id}`.
pub async fn edit_page(
    State(state): State<AppState>,
    Path((lang, kind, id)): Path<(String, String, String)>,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(kind) = form_kind(&kind) else { return not_found(&state, Some(lang)) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, &format!("/edit/{}/{id}", kind.code())) };
    let req = Req { state: &state, lang, viewer: &viewer, user: &user, id: Some(&id) };
    dispatch!(kind, edit_get(&req))
}

/// `POST /{lang}/edit/{kind}/{id}`.
pub async fn save(
    State(state): State<AppState>,
    Path((lang, kind, id)): Path<(String, String, String)>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(kind) = form_kind(&kind) else { return not_found(&state, Some(lang)) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, &format!("/edit/{}/{id}", kind.code())) };
    if !csrf_ok(&viewer, pairs.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str())) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    let req = Req { state: &state, lang, viewer: &viewer, user: &user, id: Some(&id) };
    let form = FormData::new(pairs);
    dispatch!(kind, edit_post(&req, form))
}

async fn new_get<T: FormKind>(req: &Req<'_>) -> Response {
    let party = req.user.party.to_string();
    let defaults = req
        .state
        .node
        .with_state(|s| Defaults {
            other: s
                .charter()
                .and_then(|c| c.parties.iter().find(|p| p.code.as_str() != party).map(|p| p.code.to_string()))
                .unwrap_or_default(),
            party: party.clone(),
            lang: req.lang,
            next_number: s.all::<Session>(RecordKind::Session).iter().map(|(_, x)| x.number).max().unwrap_or(0) + 1,
            next_ordinal: s.all::<Area>(RecordKind::Area).iter().map(|(_, x)| x.ordinal).max().unwrap_or(0) + 1,
        })
        .await;
    let mut form = FormData::default();
    T::defaults(&mut form, &defaults);
    show::<T>(req, StatusCode::OK, &form, vec![], true, "").await
}

async fn new_post<T: FormKind>(req: &Req<'_>, form: FormData) -> Response {
    let record = match T::read(&form, None) {
        Ok(r) => r,
        Err(errors) => return invalid::<T>(req, &form, errors).await,
    };
    match req.state.node.execute_as(req.user, &record.create()).await {
        Ok(ids) => match ids.last() {
            Some(id) => Redirect::to(&target(req.lang, T::KIND, &id.to_hex())).into_response(),
            None => show::<T>(req, StatusCode::OK, &form, vec![], false, "forms-no-change").await,
        },
        Err(e) => refused::<T>(req, &form, &e).await,
    }
}

/// The stored record, after checking that the user may revise it.
async fn stored<T: FormKind>(req: &Req<'_>, id: &str) -> Result<T, Response> {
    let probe = Command::Revise { kind: T::KIND, id: id.to_string(), set: Map::new() };
    let (allowed, old) = req.state.node.with_state(|s| (authorize(req.user, s, &probe), s.get::<T>(T::KIND, id))).await;
    let Some(old) = old else { return Err(not_found(req.state, Some(req.lang))) };
    if allowed.is_err() || !may_write(req.user) {
        return Err(forbidden_page(req.state, req.lang, req.viewer, "error-forbidden"));
    }
    Ok(old)
}

async fn edit_get<T: FormKind>(req: &Req<'_>) -> Response {
    let Some(id) = req.id else { return not_found(req.state, Some(req.lang)) };
    let old = match stored::<T>(req, id).await {
        Ok(old) => old,
        Err(response) => return response,
    };
    let mut form = FormData::default();
    old.fill(&mut form);
    show::<T>(req, StatusCode::OK, &form, vec![], true, "").await
}

async fn edit_post<T: FormKind>(req: &Req<'_>, form: FormData) -> Response {
    let Some(id) = req.id else { return not_found(req.state, Some(req.lang)) };
    let old = match stored::<T>(req, id).await {
        Ok(old) => old,
        Err(response) => return response,
    };
    let record = match T::read(&form, Some(&old)) {
        Ok(r) => r,
        Err(errors) => return invalid::<T>(req, &form, errors).await,
    };
    let set = match revision(&old, &record) {
        Ok(set) => set,
        Err(e) => {
            tracing::error!(error = %e, "a record did not serialise");
            let text = req.state.catalog.get(req.lang, "error-unexpected", &[]);
            return show::<T>(req, StatusCode::INTERNAL_SERVER_ERROR, &form, vec![("form".into(), text)], false, "")
                .await;
        }
    };
    let command = Command::Revise { kind: T::KIND, id: id.to_string(), set };
    match req.state.node.execute_as(req.user, &command).await {
        Ok(ids) if ids.is_empty() => show::<T>(req, StatusCode::OK, &form, vec![], false, "forms-no-change").await,
        Ok(_) => Redirect::to(&target(req.lang, T::KIND, id)).into_response(),
        Err(e) => refused::<T>(req, &form, &e).await,
    }
}

/// The `set` of a revision: the fields whose value read from the form differs from the stored
/// record as the form showed it. A field the stored record has and the new one lacks (an
/// optional field cleared) is set to `null`, or to `false` for a flag, since an absent field
/// means "unchanged". The domain would drop unchanged fields anyway; leaving them out here also
/// keeps the role rules about the fields actually changed (an unchanged `host` of a joint
/// mission is not a move to that party), and leaves concurrent edits of other fields alone.
fn revision<T: serde::Serialize>(old: &T, new: &T) -> Result<Map<String, Value>, serde_json::Error> {
    let Value::Object(old) = serde_json::to_value(old)? else { return Ok(Map::new()) };
    let Value::Object(new) = serde_json::to_value(new)? else { return Ok(Map::new()) };
    let cleared: Vec<(String, Value)> = old
        .iter()
        .filter(|(k, _)| !new.contains_key(*k))
        .map(|(k, v)| (k.clone(), if v.is_boolean() { Value::Bool(false) } else { Value::Null }))
        .collect();
    let mut set: Map<String, Value> = new.into_iter().filter(|(k, v)| old.get(k) != Some(v)).collect();
    set.extend(cleared);
    Ok(set)
}

/// Where a saved record is shown.
fn target(lang: Lang, kind: RecordKind, id: &str) -> String {
    let l = lang.code();
    match kind {
        RecordKind::Action => format!("/{l}/actions/{id}?saved=1"),
        RecordKind::Mission => format!("/{l}/missions/{id}"),
        RecordKind::Session => format!("/{l}/sessions/{id}"),
        RecordKind::Press => format!("/{l}/press/{id}"),
        _ => format!("/{l}/"),
    }
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

/// The message of a refusal in `lang`; a required input left blank says so.
fn message(state: &AppState, lang: Lang, e: &DomainError) -> String {
    match e {
        DomainError::InvalidValue { value, .. } if value.trim().is_empty() => {
            state.catalog.get(lang, "forms-required", &[])
        }
        _ => message_of(&state.catalog, lang, &NodeError::Domain(e.clone())).1,
    }
}

/// The form again with its parse errors: HTTP 422.
async fn invalid<T: FormKind>(req: &Req<'_>, form: &FormData, errors: Errors) -> Response {
    let messages = errors.into_iter().map(|(field, e)| (field, message(req.state, req.lang, &e))).collect();
    show::<T>(req, StatusCode::UNPROCESSABLE_ENTITY, form, messages, false, "").await
}

/// A command refused by the node: the 403 page for role and party rules, else the form again
/// with the message beside its input (422 for the domain's rules).
async fn refused<T: FormKind>(req: &Req<'_>, form: &FormData, e: &NodeError) -> Response {
    match e {
        NodeError::Auth(AuthError::Forbidden(_)) | NodeError::NoKey { .. } => {
            forbidden_page(req.state, req.lang, req.viewer, "error-forbidden")
        }
        NodeError::Domain(d) => {
            let errors = vec![(field_of(d), message(req.state, req.lang, d))];
            show::<T>(req, StatusCode::UNPROCESSABLE_ENTITY, form, errors, false, "").await
        }
        other => {
            let (_, text) = message_of(&req.state.catalog, req.lang, other);
            show::<T>(req, status_of(other), form, vec![("form".into(), text)], false, "").await
        }
    }
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
    c
}

/// Renders the form of `T` with `form`'s values and `errors` beside their inputs.
async fn show<T: FormKind>(
    req: &Req<'_>,
    status: StatusCode,
    form: &FormData,
    errors: Vec<(String, String)>,
    fresh: bool,
    notice: &str,
) -> Response {
    let (state, lang) = (req.state, req.lang);
    let tr = tr(state, lang);
    let choices = state.node.with_state(|s| choices(s, lang)).await;
    let mut b = Builder::new(form, tr, &choices, errors, fresh);
    T::layout(&mut b);
    let (blocks, top_errors) = b.finish();
    let kind = T::KIND.code();
    let path = req.path(T::KIND);
    let page = RecordPage {
        ctx: PageCtx::new(lang, path.clone(), req.viewer, state.node.config.demo),
        tr,
        heading: tr.t(&format!("forms-{}-{kind}", if req.id.is_some() { "edit" } else { "new" })),
        action: format!("/{}{path}", lang.code()),
        record_id: req.id.unwrap_or_default().to_string(),
        blocks,
        top_errors,
        notice: if notice.is_empty() { String::new() } else { tr.t(notice) },
        zones: &ZONES,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => failure(state, lang, e.into()),
    }
}
