//! Sign-in and sign-out: the HTML forms at `/{lang}/login` and the JSON `POST /api/v1/login`.
//! Cookies are HttpOnly and SameSite=Strict (and Secure when the node is behind TLS).
//!
//! The sign-in form is guarded against login CSRF (another site's form signing the visitor in
//! as someone else): its POST is refused when `Sec-Fetch-Site` says `cross-site` or `same-site`,
//! or, without that header, when `Origin` names another origin (or is `null`), and it must carry the pre-session token the sign-in page
//! set — the `lajna_login` cookie and the `login_token` field, equal. After sign-in, only a
//! same-site path is followed ([`safe_next`]). The JSON sign-in needs `application/json`,
//! which a cross-origin form cannot send.

use std::net::SocketAddr;

use askama::Template;
use axum::Json;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, RawQuery, Request, State};
use axum::http::uri::PathAndQuery;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use lajna_domain::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{CsrfForm, PageCtx, PageError, PageFault, PageLang, SESSION_COOKIE, Viewer, tr};
use crate::i18n::Tr;
use crate::problem::{json_problem, message_of, problem_of, status_of};

/// Name of the pre-session cookie of the sign-in form.
pub const LOGIN_COOKIE: &str = "lajna_login";

/// How long the sign-in page's token lives, minutes.
const LOGIN_TOKEN_MINUTES: i64 = 30;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    username: String,
    next: String,
    error: String,
    login_token: String,
}

/// Query of the login page.
#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
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
    Cookie::build((LOGIN_COOKIE, token))
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
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The sign-in page: the form with `username`, `next` and `error`, and a pre-session token in
/// its hidden field and its cookie (500 page when no random token can be made).
fn login_response(
    state: &AppState,
    (lang, viewer, jar): (Lang, &Viewer, CookieJar),
    status: StatusCode,
    username: String,
    next: String,
    error: String,
) -> Response {
    let Some(login_token) = login_token(&jar) else {
        tracing::error!("no random source for the sign-in token");
        let (title, text) = ("server-error", "error-unexpected");
        return crate::message_page(state, lang, viewer, StatusCode::INTERNAL_SERVER_ERROR, title, text);
    };
    let page = LoginPage {
        ctx: PageCtx::new(lang, "/login", viewer, state.node.config.demo),
        tr: tr(state, lang),
        username,
        next,
        error,
        login_token: login_token.clone(),
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
    login_response(&state, (lang, &viewer, jar), StatusCode::OK, String::new(), next, String::new())
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
            return Err(login_response(state, view, StatusCode::FORBIDDEN, form.username, next, message));
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
    match state.node.sign_in(form.username.trim(), &form.password, &addr.ip().to_string()).await {
        Ok(session) => {
            let jar = jar.remove(Cookie::build(LOGIN_COOKIE).path("/").build());
            (jar.add(session_cookie(&state, session.token)), see_other(&next, lang)).into_response()
        }
        Err(e) => {
            let (_, message) = message_of(&state.catalog, lang, &e);
            login_response(&state, (lang, &viewer, jar), status_of(&e), form.username, next, message)
        }
    }
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
}

/// `POST /api/v1/login` → 200 `{"csrf_token", "username", "party", "role"}` and the session
/// cookie; 401 or 429 problem documents. Only `application/json` bodies are read.
pub async fn api_login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    body: Result<Json<ApiLogin>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let body = match body {
        Ok(Json(body)) => body,
        Err(e) => {
            let hint = "send {\"username\": \"…\", \"password\": \"…\"} as JSON (Content-Type: application/json)";
            return json_problem(&e, hint).into_response();
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths_are_followed() {
        for ok in ["/en/", "/fr/actions/abc?saved=1", "/ar/search?q=%C3%A9", "/en/x%2Fy"] {
            assert_eq!(safe_next(ok, Lang::En), ok, "{ok:?}");
        }
        for bad in [
            "",
            "x",
            "//evil.example",
            "/\\evil.example",
            "\\/evil",
            "/\t/evil.example",
            "/%09/evil.example",
            "%2F%2Fevil",
            "/%2F/evil",
            "/%5Cevil",
            "/en/\r\nSet-Cookie: x=1",
            "/en/%0D%0Ax",
            "/en/\u{7f}",
            "/en/%7F",
            "/en/ x",
            "/en/%20x",
            "http://evil.example/",
            "/en/\u{2028}",
        ] {
            assert_eq!(safe_next(bad, Lang::Fr), "/fr/", "{bad:?}");
        }
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        assert!(!cross_site(&headers(&[("host", "127.0.0.1:8080")])));
        assert!(!cross_site(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")])));
        assert!(!cross_site(&headers(&[("host", "lajna.example"), ("origin", "https://lajna.example")])));
        assert!(!cross_site(&headers(&[("host", "x"), ("sec-fetch-site", "same-origin")])));
        assert!(cross_site(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example")])));
        assert!(cross_site(&headers(&[("host", "127.0.0.1:8080"), ("origin", "null")])));
        // What Chromium sends for our own sign-in form under `Referrer-Policy: no-referrer`.
        assert!(!cross_site(&headers(&[("host", "x"), ("origin", "null"), ("sec-fetch-site", "same-origin")])));
        assert!(cross_site(&headers(&[("host", "x"), ("origin", "null"), ("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:9090")])));
        assert!(cross_site(&headers(&[("host", "x"), ("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&headers(&[("host", "x"), ("sec-fetch-site", "same-site")])));
    }
}
