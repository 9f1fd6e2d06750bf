//! Users in the web (issue 16 item 1): `/{lang}/users` (a party's co-chair or secretary lists,
//! adds and administers its party's users: `lajna_door::admin` holds the rules), the one-time
//! activation and reset link `/{lang}/activate/{token}` (no session: the link's token is the
//! credential, so a cross-site form cannot use it without knowing it), and `/{lang}/profile`
//! (one's own password, language, time zone and e-mail). A link is shown once, in the answer to
//! the POST that made it. Disabling asks first (`?confirm=disable`, then a POST with
//! `confirm=yes`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lajna_domain::Lang;
use lajna_door::DoorError;
use lajna_door::admin::{SessionInfo, UserChange, UserSummary};
use lajna_door::auth::AuthError;
use lajna_door::two_factor::{Enrolment, TwoFactorStatus};
use serde::Deserialize;

use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError, PageLang, Viewer};
use crate::i18n::{Arg, Tr};
use crate::{AppState, WebError};

/// The routes of these pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/users", get(list).post(add))
        .route("/{lang}/users/{name}", get(detail))
        .route("/{lang}/users/{name}/{what}", post(change))
        .route("/{lang}/activate/{token}", get(activate).post(activate))
        .route("/{lang}/profile", get(profile))
        .route("/{lang}/profile/{what}", post(profile_change))
        .route("/{lang}/login/step", post(crate::auth::login_step))
}

/// A node refusal as a page: 403 for a rule, 404 for an unknown user, else 500.
fn refuse(page: &Page, e: DoorError) -> PageError {
    match e {
        DoorError::Auth(AuthError::NoSuchUser(_)) => page.fail(WebError::NotFound),
        e => page.refusal(&e).unwrap_or_else(|| page.fail(e)),
    }
}

/// The words of a refusal that belongs beside the form (a bad name, a weak password), or the
/// refusal page.
fn beside(page: &Page, e: DoorError) -> Result<String, PageError> {
    match &e {
        DoorError::Auth(AuthError::Forbidden(_) | AuthError::NoSuchUser(_)) => Err(refuse(page, e)),
        DoorError::Auth(_) | DoorError::Domain(_) => {
            Ok(crate::problem::message_of(&page.state.catalog, page.lang, &e).1)
        }
        _ => Err(refuse(page, e)),
    }
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    users: Vec<UserSummary>,
    /// The activation link just made, with its sentence (shown once).
    link: Option<(String, String)>,
    error: Option<String>,
}

async fn render_list(
    page: &Page,
    link: Option<(String, String)>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let users = page.state.node.party_users(&page.user).await.map_err(|e| refuse(page, e))?;
    let (ctx, tr) = (page.ctx("/users"), page.tr());
    Ok(Html(UsersPage { ctx, tr, users, link, error }.render().or_page(page)?).into_response())
}

async fn list(page: Page) -> Result<Response, PageError> {
    render_list(&page, None, None).await
}

/// The "add a user" form.
#[derive(Deserialize)]
struct AddForm {
    username: String,
    role: String,
}

async fn add(page: Page, CsrfForm(f): CsrfForm<AddForm>) -> Result<Response, PageError> {
    let username = f.username.trim();
    match page.state.node.add_user_with_link(&page.user, username, &f.role, None, &page.address).await {
        Ok(token) => render_list(&page, Some(link(&page, username, "users-link-activate", &token)), None).await,
        Err(e) => render_list(&page, None, Some(beside(&page, e)?)).await,
    }
}

/// The path of a link and the sentence that shows it.
fn link(page: &Page, user: &str, key: &str, token: &str) -> (String, String) {
    let text = page.state.catalog.get(page.lang, key, &[("user", Arg::Text(user.into()))]);
    (format!("/{}/activate/{token}", page.lang.code()), text)
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    user: UserSummary,
    sessions: Vec<SessionInfo>,
    confirm: bool,
    link: Option<(String, String)>,
    error: Option<String>,
}

async fn render_user(
    page: &Page,
    name: &str,
    confirm: bool,
    link: Option<(String, String)>,
) -> Result<Response, PageError> {
    let node = &page.state.node;
    let sessions = node.user_sessions(&page.user, name).await.map_err(|e| refuse(page, e))?;
    let users = node.party_users(&page.user).await.map_err(|e| refuse(page, e))?;
    let user = users.into_iter().find(|u| u.username == name).ok_or_else(|| page.fail(WebError::NotFound))?;
    let (ctx, tr) = (page.ctx(format!("/users/{name}")), page.tr());
    let view = UserPage { ctx, tr, user, sessions, confirm, link, error: None };
    Ok(Html(view.render().or_page(page)?).into_response())
}

async fn detail(
    page: Page,
    Path((_, name)): Path<(String, String)>,
    Query(q): Query<ChangeForm>,
) -> Result<Response, PageError> {
    render_user(&page, &name, q.confirm == "disable", None).await
}

/// Every administrator's form on a user's page: `value` (role, clearance), `confirm`
/// (disable), `id` (the session to end; all when absent). Also the user page's query
/// (`?confirm=disable`: the confirmation step before disabling).
#[derive(Deserialize, Default)]
#[serde(default)]
struct ChangeForm {
    value: String,
    confirm: String,
    id: Option<String>,
}

async fn change(
    page: Page,
    Path((_, name, what)): Path<(String, String, String)>,
    CsrfForm(f): CsrfForm<ChangeForm>,
) -> Result<Response, PageError> {
    let node = &page.state.node;
    let done = match what.as_str() {
        "role" => node.change_user(&page.user, &name, UserChange::Role(&f.value), &page.address).await,
        "clearance" => node.change_user(&page.user, &name, UserChange::Clearance(&f.value), &page.address).await,
        "disable" if f.confirm != "yes" => return Ok(page.redirect(&format!("/users/{name}?confirm=disable"))),
        "disable" => node.change_user(&page.user, &name, UserChange::Disabled(true), &page.address).await,
        "enable" => node.change_user(&page.user, &name, UserChange::Disabled(false), &page.address).await,
        "sessions" => node.end_sessions(&page.user, &name, f.id.as_deref(), &page.address).await.map(|_| ()),
        "reset" => {
            let token = node.reset_link(&page.user, &name, &page.address).await.map_err(|e| refuse(&page, e))?;
            return render_user(&page, &name, false, Some(link(&page, &name, "users-link-reset", &token))).await;
        }
        _ => return Err(page.fail(WebError::NotFound)),
    };
    done.map_err(|e| refuse(&page, e))?;
    Ok(page.redirect(&format!("/users/{name}")))
}

#[derive(Template)]
#[template(path = "activate.html")]
struct ActivatePage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    intro: String,
    error: Option<String>,
}

/// The activation page of a link that works, or the refusal page (404) of one that does not.
fn render_activate(state: &AppState, lang: Lang, token: &str, user: &str, error: Option<String>) -> Response {
    let tr = crate::ctx::tr(state, lang);
    let intro = state.catalog.get(lang, "activate-intro", &[("user", Arg::Text(user.into()))]);
    let ctx = PageCtx::new(lang, format!("/activate/{token}"), &Viewer::default(), state.node.demo());
    match (ActivatePage { ctx, tr, intro, error }).render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => crate::failure(state, lang, e.into()),
    }
}

fn bad_link(state: &AppState, lang: Lang) -> Response {
    let viewer = Viewer::default();
    let status = axum::http::StatusCode::NOT_FOUND;
    crate::message_page(state, lang, &viewer, status, "activate-title", AuthError::BadLink.key())
}

/// The new password, twice.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NewPassword {
    password: String,
    repeat: String,
}

/// `GET` (the form) and `POST /{lang}/activate/{token}` (the new password, twice).
async fn activate(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    Path((_, token)): Path<(String, String)>,
    method: axum::http::Method,
    Form(f): Form<NewPassword>,
) -> Response {
    let Ok((user, _)) = state.node.link_at(&token, jiff::Timestamp::now()).await else { return bad_link(&state, lang) };
    if method == axum::http::Method::GET {
        return render_activate(&state, lang, &token, &user, None);
    }
    if f.password != f.repeat {
        let error = state.catalog.get(lang, "password-mismatch", &[]);
        return render_activate(&state, lang, &token, &user, Some(error));
    }
    match state.node.use_link_at(&token, &f.password, jiff::Timestamp::now()).await {
        Ok(_) => axum::response::Redirect::to(&format!("/{}/login", lang.code())).into_response(),
        Err(e @ DoorError::Auth(AuthError::WeakPassword | AuthError::CommonPassword)) => {
            let error = crate::problem::message_of(&state.catalog, lang, &e).1;
            render_activate(&state, lang, &token, &user, Some(error))
        }
        Err(_) => bad_link(&state, lang),
    }
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    lang: &'static str,
    tz: String,
    email: String,
    triggers: Vec<(&'static str, bool)>,
    /// Two-factor sign-in: on or not, the enrolment under way, the recovery codes just made.
    tf: TwoFactorStatus,
    enrol: Option<Enrolment>,
    codes: Vec<String>,
    /// A co-chair's signature delegations.
    sig: crate::views::records::endorse::Delegations,
    /// A message after a change, or the refusal of one.
    notice: Option<String>,
    error: Option<String>,
}

type Shown = (Option<String>, Option<String>, Option<Enrolment>, Vec<String>);

/// The profile with `(notice, error, enrolment, recovery codes)`.
async fn render_profile(page: &Page, (notice, error, enrol, codes): Shown) -> Result<Response, PageError> {
    let (node, user) = (&page.state.node, &page.user);
    let (contact, tf) = (node.contact(&user.username).await.or_page(page)?, node.two_factor(user).await.or_page(page)?);
    let triggers = lajna_door::notify::triggers_on(&contact.as_ref().map(|c| c.off.clone()).unwrap_or_default());
    let (lang, tz, email) =
        contact.map_or((page.lang.code(), "UTC".into(), String::new()), |c| (c.lang.code(), c.tz, c.email));
    let (ctx, tr) = (page.ctx("/profile"), page.tr());
    let sig = crate::views::records::endorse::delegations(&*node.read(user).await, tr, user);
    let view = ProfilePage { ctx, tr, lang, tz, email, triggers, tf, enrol, codes, sig, notice, error };
    Ok(Html(view.render().or_page(page)?).into_response())
}

async fn profile(page: Page) -> Result<Response, PageError> {
    render_profile(&page, Shown::default()).await
}

/// The profile's forms: the password change (`current`, `password`, `repeat`), the
/// preferences (`lang`, `tz`, `email`, a checkbox `on-{trigger}` per trigger kept on), and
/// two-factor sign-in (`totp`: start; `totp-confirm`: the first `code`; `totp-off`: `current`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct ProfileForm {
    current: String,
    password: String,
    repeat: String,
    code: String,
    delegate: String,
    from: String,
    to: String,
    delegation: String,
    lang: String,
    tz: String,
    email: String,
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, String>,
}

/// The user's own password, changed: this session kept, every other one ended.
async fn change_password(page: &Page, f: &ProfileForm) -> Result<(), DoorError> {
    let keep = page.viewer.token.clone().unwrap_or_default();
    page.state.node.change_own_password(&page.user, &f.current, &f.password, &keep, &page.address).await
}

/// The profile's preferences: language, time zone, e-mail and the notifications turned off.
async fn save_prefs(page: &Page, f: &ProfileForm) -> Result<(), DoorError> {
    let off = lajna_door::notify::triggers_off(|t| f.rest.contains_key(&format!("on-{t}")));
    let lang = Lang::parse(&f.lang)?;
    page.state.node.set_contact(&page.user.username, lang, f.tz.trim(), f.email.trim(), &off).await.map(|_| ())
}

async fn profile_change(
    page: Page,
    Path((_, what)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<ProfileForm>,
) -> Result<Response, PageError> {
    let (node, tr) = (&page.state.node, page.tr());
    let done = match what.as_str() {
        "password" if f.password != f.repeat => {
            return render_profile(&page, (None, Some(tr.t("password-mismatch")), None, vec![])).await;
        }
        "password" => change_password(&page, &f).await.map(|()| "profile-password-done"),
        "prefs" => save_prefs(&page, &f).await.map(|()| "profile-saved"),
        "totp" => return render_profile(&page, (None, None, node.enrolment(&page.user).await.ok(), vec![])).await,
        "totp-confirm" => match node.confirm_enrolment(&page.user, &f.code, &page.address).await {
            Ok(codes) => return render_profile(&page, (Some(tr.t("totp-on-done")), None, None, codes)).await,
            Err(e) => Err(e),
        },
        "totp-off" => node.turn_off_two_factor(&page.user, &f.current, &page.address).await.map(|()| "totp-off-done"),
        "delegate" => node.delegate_signature(&page.user, &f.delegate, &f.from, &f.to).await.map(|_| "sig-done"),
        "withdraw" => {
            let command = lajna_domain::Command::WithdrawSignatureDelegation { delegation: f.delegation };
            node.execute_as(&page.user, &command).await.map(|_| "sig-withdrawn-done")
        }
        _ => return Err(page.fail(WebError::NotFound)),
    };
    match done {
        Ok(key) => render_profile(&page, (Some(tr.t(key)), None, None, vec![])).await,
        Err(e) => {
            // A wrong first code shows the same enrolment again, to try once more.
            let enrol = if what == "totp-confirm" { node.enrolment(&page.user).await.ok() } else { None };
            render_profile(&page, (None, Some(beside(&page, e)?), enrol, vec![])).await
        }
    }
}
