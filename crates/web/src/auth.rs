//! Sign-in and sign-out: the HTML forms at `/{lang}/login` and the JSON `POST /api/v1/login`.
//! Cookies are HttpOnly and SameSite=Strict (and Secure when the node is behind TLS).
//!
//! The sign-in form is guarded against login CSRF (another site's form signing the visitor in
//! as someone else): its POST is refused when `Sec-Fetch-Site` says `cross-site` or `same-site`,
//! or, without that header, when `Origin` names another origin (or is `null`), and it must carry the pre-session token the sign-in page
//! set — the `lajna_login` cookie and the `login_token` field, equal. After sign-in, only a
//! same-site path is followed ([`safe_next`]). The JSON sign-in needs `application/json`,
//! which a cross-origin form cannot send.
//!
//! Two-factor sign-in (issue 16 item 3, `lajna_door::two_factor`): when the password is right
//! and a code (or, for a role that requires it, enrolment) is still due, the answer is the
//! second step's page with a half-done sign-in token in the `lajna_step` cookie (HttpOnly,
//! SameSite=Strict); `POST /{lang}/login/code` or `/{lang}/login/enrol` finishes it. The JSON
//! sign-in takes the code in the same request (`"code"`).

use std::net::SocketAddr;

use askama::Template;
use axum::Json;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, RawQuery, Request, State};
use axum::http::uri::PathAndQuery;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use lajna_domain::Lang;
use lajna_door::two_factor::{Enrolment, SignInStep};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{CsrfForm, PageCtx, PageError, PageFault, PageLang, SESSION_COOKIE, Viewer, tr};
use crate::i18n::Tr;
use crate::problem::{json_problem, message_of, problem_of, status_of};

/// Name of the pre-session cookie of the sign-in form.
pub const LOGIN_COOKIE: &str = "lajna_login";

/// Name of the cookie of a half-done sign-in (password right, code or enrolment due).
pub const STEP_COOKIE: &str = "lajna_step";

/// How long the sign-in page's token lives, minutes.
const LOGIN_TOKEN_MINUTES: i64 = 30;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    username: String,
    login_token: String,
    s: Step,
}

/// The sign-in page's step: the password (`stage` empty), the code or enrolment after it,
/// or the recovery codes.
#[derive(Default)]
struct Step {
    /// `code`, `enrol` or `codes` (the recovery codes, shown once).
    stage: &'static str,
    next: String,
    error: String,
    enrol: Option<Enrolment>,
    codes: Vec<String>,
}

/// Query of the login page.
#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// The sign-in form, and the second step's (`code`, with `next` and `login_token`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    /// The TOTP or recovery code of the second step.
    code: String,
    next: String,
    login_token: String,
}

/// Where to go after signing in: `next` when it is a same-site path, else the dashboard of
/// `lang`. Same-site means, raw and percent-decoded: one leading `/` followed by neither `/` nor
/// `\`, no backslash, no control character or whitespace; and it parses as a path and query
/// that is a valid `Location` value. (`/\t/x`, `//x`, `/\x`, `%2F%2Fx`, CR/LF or DEL all give
/// the dashboard.)
#[must_use]
pub fn safe_next(next: &str, lang: Lang) -> String {
    if same_site_path(next) { next.to_string() } else { format!("/{}/", lang.code()) }
}

fn same_site_path(next: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    let one_slash = |s: &str| s.strip_prefix('/').is_some_and(|rest| !rest.starts_with(['/', '\\']));
    let clean = |s: &str| !s.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    one_slash(next)
        && one_slash(&decoded)
        && clean(next)
        && clean(&decoded)
        && next.parse::<PathAndQuery>().is_ok()
        && HeaderValue::from_str(next).is_ok()
}

/// A 303 to `location`, which [`safe_next`] made a valid header value (the dashboard if not).
fn see_other(location: &str, lang: Lang) -> Response {
    let value = HeaderValue::from_str(location).unwrap_or_else(|_| {
        HeaderValue::from_str(&format!("/{}/", lang.code())).unwrap_or(HeaderValue::from_static("/"))
    });
    (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response()
}

/// Whether a form POST comes from another site: `Sec-Fetch-Site` is `cross-site` or
/// `same-site`, or `Origin` is present and is not this server (`http(s)://` + `Host`).
#[must_use]
pub fn cross_site(headers: &HeaderMap) -> bool {
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        Some(b"cross-site" | b"same-site") => return true,
        // Fetch metadata is set by the browser, never by a page. It decides when present: under
        // our `Referrer-Policy: no-referrer` a browser sends `Origin: null` even on a
        // same-origin form POST (Fetch, "serializing a request origin").
        Some(b"same-origin") => return false,
        _ => {}
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return false };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = origin.to_str().ok().and_then(|o| o.strip_prefix("http://").or_else(|| o.strip_prefix("https://")));
    !matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .path("/")
        .build()
}

fn login_cookie(state: &AppState, token: String) -> Cookie<'static> {
    short_cookie(state, LOGIN_COOKIE, token)
}

fn short_cookie(state: &AppState, name: &'static str, token: String) -> Cookie<'static> {
    Cookie::build((name, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .path("/")
        .max_age(cookie::time::Duration::minutes(LOGIN_TOKEN_MINUTES))
        .build()
}

/// The pre-session token of the visitor's cookie when it is one of ours (so that two open
/// sign-in tabs share it), else a new random one.
fn login_token(jar: &CookieJar) -> Option<String> {
    if let Some(c) = jar.get(LOGIN_COOKIE)
        && c.value().len() == 64
        && c.value().bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Some(c.value().to_string());
    }
    lajna_door::auth::random_hex().ok()
}

/// The sign-in page: the form with `username` and the step `s` (`next`, `error`; after the
/// password, the code or enrolment form, or the recovery codes), and a pre-session token in its
/// hidden field and its cookie (500 page when no random token can be made).
fn login_response(
    state: &AppState,
    (lang, viewer, jar): (Lang, &Viewer, CookieJar),
    status: StatusCode,
    username: String,
    s: Step,
) -> Response {
    let Some(login_token) = login_token(&jar) else {
        tracing::error!("no random source for the sign-in token");
        let (title, text) = ("server-error", "error-unexpected");
        return crate::message_page(state, lang, viewer, StatusCode::INTERNAL_SERVER_ERROR, title, text);
    };
    let page = LoginPage {
        ctx: PageCtx::new(lang, "/login", viewer, state.node.demo()),
        tr: tr(state, lang),
        username,
        login_token: login_token.clone(),
        s,
    };
    match page.render() {
        Ok(html) => (status, jar.add(login_cookie(state, login_token)), Html(html)).into_response(),
        Err(e) => crate::failure(state, lang, e.into()),
    }
}

/// `GET /{lang}/login?next=PATH`.
pub async fn login_page(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    viewer: Viewer,
    jar: CookieJar,
) -> Response {
    let q: NextQuery = serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let next = safe_next(&q.next, lang);
    login_response(&state, (lang, &viewer, jar), StatusCode::OK, String::new(), Step { next, ..Step::default() })
}

/// The sign-in form as posted from this server's own sign-in page: not from another site, and
/// with the pre-session token of its cookie. Refuses a cross-site POST with the 403 page, a
/// missing or different token with the sign-in form again (403, a fresh token), a body that is
/// not a form with the 400 page.
pub struct SignInForm(pub LoginForm);

impl FromRequest<AppState> for SignInForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let lang = PageLang::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?.0;
        let refuse = |fault| PageError::new(state, lang, fault).into_response();
        if cross_site(&parts.headers) {
            return Err(refuse(PageFault::Forbidden("error-cross-site")));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let form: LoginForm = serde_urlencoded::from_bytes(&bytes).map_err(|_| refuse(PageFault::BadRequest))?;
        let cookie = jar.get(LOGIN_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
        if cookie.is_empty() || blake3::hash(cookie.as_bytes()) != blake3::hash(form.login_token.as_bytes()) {
            let message = tr(state, lang).t("error-csrf");
            let next = safe_next(&form.next, lang);
            let jar = jar.remove(Cookie::build(LOGIN_COOKIE).path("/").build());
            let view = (lang, &Viewer::default(), jar);
            let step = Step { next, error: message, ..Step::default() };
            return Err(login_response(state, view, StatusCode::FORBIDDEN, form.username, step));
        }
        Ok(Self(form))
    }
}

/// `POST /{lang}/login`: signs in and redirects to `next`, or shows the form again with the
/// reason (401 wrong credentials, 429 throttled), keeping the username typed.
pub async fn login_submit(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    viewer: Viewer,
    SignInForm(form): SignInForm,
) -> Response {
    let next = safe_next(&form.next, lang);
    let (node, ip) = (&state.node, addr.ip().to_string());
    match node.begin_sign_in(form.username.trim(), &form.password, &ip).await {
        Ok(SignInStep::Done(session)) => {
            let jar = jar.remove(Cookie::build(LOGIN_COOKIE).path("/").build());
            (jar.add(session_cookie(&state, session.token)), see_other(&next, lang)).into_response()
        }
        Ok(SignInStep::Due { stage, token, enrol }) => {
            let (jar, step) =
                (jar.add(short_cookie(&state, STEP_COOKIE, token)), Step { stage, next, enrol, ..Step::default() });
            login_response(&state, (lang, &viewer, jar), StatusCode::OK, form.username, step)
        }
        Err(e) => {
            let (_, message) = message_of(&state.catalog, lang, &e);
            let step = Step { next, error: message, ..Step::default() };
            login_response(&state, (lang, &viewer, jar), status_of(&e), form.username, step)
        }
    }
}

/// `POST /{lang}/login/step`: the code of the half-done sign-in of the `lajna_step` cookie
/// (`Node::finish_step`), posted as the sign-in form is ([`SignInForm`]); after enrolment, the
/// recovery codes are shown once. Without a half-done sign-in that still works: back to the
/// sign-in page.
pub async fn login_step(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    mut jar: CookieJar,
    SignInForm(f): SignInForm,
) -> Response {
    let (next, node) = (safe_next(&f.next, lang), &state.node);
    let token = jar.get(STEP_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    let (status, step) = match node.finish_step(&token, &f.code, &addr.ip().to_string()).await {
        Ok((session, codes)) => {
            jar = jar.add(session_cookie(&state, session.token));
            if codes.is_empty() {
                return (jar, see_other(&next, lang)).into_response();
            }
            (StatusCode::OK, Step { stage: "codes", next, codes, ..Step::default() })
        }
        Err(e) if e.code() == "error-signed-out" => return see_other(&format!("/{}/login", lang.code()), lang),
        Err(e) => {
            let enrol = node.step_enrolment(&token).await.ok();
            let (stage, error) =
                (if enrol.is_some() { "enrol" } else { "code" }, message_of(&state.catalog, lang, &e).1);
            (status_of(&e), Step { stage, next, error, enrol, codes: vec![] })
        }
    };
    login_response(&state, (lang, &Viewer::default(), jar), status, String::new(), step)
}

/// The sign-out form (its CSRF token only).
#[derive(Deserialize)]
pub struct SignOut {}

/// `POST /{lang}/logout` (the session's CSRF token).
pub async fn logout(
    PageLang(lang): PageLang,
    State(state): State<AppState>,
    jar: CookieJar,
    viewer: Viewer,
    CsrfForm(SignOut {}): CsrfForm<SignOut>,
) -> Response {
    if let Some(token) = &viewer.token
        && let Err(e) = state.node.sign_out(token).await
    {
        tracing::error!(error = %e, "sign-out failed");
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/").build());
    (jar, see_other(&format!("/{}/login", lang.code()), lang)).into_response()
}

/// Body of `POST /api/v1/login`.
#[derive(Deserialize)]
pub struct ApiLogin {
    username: String,
    password: String,
    /// The TOTP or recovery code, for a user with two-factor sign-in on.
    code: Option<String>,
}

/// `POST /api/v1/login` → 200 `{"csrf_token", "username", "party", "role"}` and the session
/// cookie; 401 or 429 problem documents. Only `application/json` bodies are read.
pub async fn api_login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    body: Result<Json<ApiLogin>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let hint = "send {\"username\": \"…\", \"password\": \"…\", \"code\": \"123456\" if two-factor is on} as JSON";
    let body = match body {
        Ok(Json(body)) => body,
        Err(e) => return json_problem(&e, hint).into_response(),
    };
    let ip = addr.ip().to_string();
    match state.node.sign_in_with_code(body.username.trim(), &body.password, body.code.as_deref(), &ip).await {
        Ok(s) => {
            let reply = serde_json::json!({
                "csrf_token": s.csrf,
                "username": s.user.username,
                "party": s.user.party.as_str(),
                "role": s.user.role.code(),
            });
            (jar.add(session_cookie(&state, s.token)), Json(reply)).into_response()
        }
        Err(e) => problem_of(&state.catalog, Lang::En, &e).into_response(),
    }
}
