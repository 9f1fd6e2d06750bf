//! Sign-in and sign-out: the HTML forms at `/{lang}/login` and the JSON `POST /api/v1/login`.
//! Cookies are HttpOnly and SameSite=Strict (and Secure when the node is behind TLS).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use lajna_domain::Lang;
use serde::Deserialize;

use crate::ctx::{PageCtx, SESSION_COOKIE, Viewer, csrf_ok, lang_of, tr};
use crate::i18n::Tr;
use crate::problem::{Problem, message_of, problem_of, status_of};
use crate::{AppState, not_found};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    username: String,
    next: String,
    error: String,
}

/// Query of the login page.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Only same-site paths are followed after sign-in (no open redirect).
fn safe_next(next: &str, lang: Lang) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        format!("/{}/", lang.code())
    }
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .path("/")
        .build()
}

fn render_login(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    username: String,
    next: String,
    error: String,
) -> String {
    let page = LoginPage {
        ctx: PageCtx::new(lang, "/login", viewer, state.node.config.demo),
        tr: tr(state, lang),
        username,
        next,
        error,
    };
    page.render().unwrap_or_default()
}

/// `GET /{lang}/login`.
pub async fn login_page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<NextQuery>,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let next = safe_next(q.next.as_deref().unwrap_or(""), lang);
    Html(render_login(&state, lang, &viewer, String::new(), next, String::new())).into_response()
}

/// `POST /{lang}/login`: signs in and redirects to `next`, or shows the form again with the
/// reason (401 wrong credentials, 429 throttled), keeping the username typed.
pub async fn login_submit(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    viewer: Viewer,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let next = safe_next(&form.next, lang);
    match state.node.sign_in(form.username.trim(), &form.password, &addr.ip().to_string()).await {
        Ok(session) => (jar.add(session_cookie(&state, session.token)), Redirect::to(&next)).into_response(),
        Err(e) => {
            let (_, message) = message_of(&state.catalog, lang, &e);
            let status = status_of(&e);
            let html = render_login(&state, lang, &viewer, form.username, next, message);
            (status, Html(html)).into_response()
        }
    }
}

/// The sign-out form.
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /{lang}/logout`.
pub async fn logout(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    jar: CookieJar,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Response {
    let lang = lang_of(&lang).unwrap_or(Lang::Ar);
    if !csrf_ok(&viewer, &form.csrf) {
        return crate::forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    if let Some(token) = &viewer.token
        && let Err(e) = state.node.sign_out(token).await
    {
        tracing::error!(error = %e, "sign-out failed");
    }
    (jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()), Redirect::to(&format!("/{}/login", lang.code())))
        .into_response()
}

/// Body of `POST /api/v1/login`.
#[derive(Deserialize)]
pub struct ApiLogin {
    username: String,
    password: String,
}

/// `POST /api/v1/login` → 200 `{"csrf_token", "username", "party", "role"}` and the session
/// cookie; 401 or 429 problem documents.
pub async fn api_login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    body: Result<Json<ApiLogin>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(body)) = body else {
        return Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "send {\"username\": \"…\", \"password\": \"…\"} as JSON",
        )
        .into_response();
    };
    match state.node.sign_in(body.username.trim(), &body.password, &addr.ip().to_string()).await {
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
