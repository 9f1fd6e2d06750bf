//! RFC 9457 problem documents for the JSON API, and the mapping of node errors to HTTP.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lajna_domain::{DomainError, Lang};
use lajna_door::DoorError;
use lajna_door::auth::AuthError;
use serde::Serialize;

use crate::i18n::Catalog;

/// One field error inside a problem document.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// Field name as in the request.
    pub field: String,
    /// What is wrong and what to do, in the requested language.
    pub message: String,
}

/// An RFC 9457 problem document. `type` is a stable URN per error code.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// `urn:lajna:problem:{code}`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Details for a person.
    pub detail: String,
    /// Stable machine code (the URN's last part).
    pub code: String,
    /// Field errors, for 422.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Seconds until a retry may succeed (429).
    #[serde(skip)]
    pub retry_after: Option<i64>,
}

impl Problem {
    /// A problem with a status, code and detail.
    #[must_use]
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("urn:lajna:problem:{code}"),
            title: status.canonical_reason().unwrap_or("error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_string(),
            errors: vec![],
            retry_after: None,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = self.retry_after;
        let mut res = (status, Json(self)).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = retry
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

/// The query string of an API request, deserialised as `T`; an unreadable one is a 400
/// `bad-request` problem that says which parameter is wrong.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(e) => Err(Problem::new(StatusCode::BAD_REQUEST, "bad-request", e.body_text())),
        }
    }
}

/// The path parameters of an API request, deserialised as `T`; unreadable ones (not UTF-8)
/// are a 400 `bad-request` problem.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(e) => Err(Problem::new(StatusCode::BAD_REQUEST, "bad-request", e.body_text())),
        }
    }
}

/// The problem of a JSON body that could not be read: 413 `too-large` over the body limit,
/// else 400 `bad-request` with `hint` (what to send) and what was wrong.
#[must_use]
pub fn json_problem(e: &JsonRejection, hint: &str) -> Problem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", e.body_text());
    }
    Problem::new(StatusCode::BAD_REQUEST, "bad-request", format!("{hint} ({})", e.body_text()))
}

/// HTTP status of a node error.
#[must_use]
pub fn status_of(e: &DoorError) -> StatusCode {
    match e {
        DoorError::Domain(d) => match d {
            DomainError::NotCoChair { .. } | DomainError::DelegationOtherParty { .. } => StatusCode::FORBIDDEN,
            DomainError::AlreadyEndorsed { .. }
            | DomainError::DuplicateNumber { .. }
            | DomainError::DuplicateCode { .. }
            | DomainError::MinutesLocked
            | DomainError::MinutesNotLocked
            | DomainError::NoMinutes
            | DomainError::StaleVersion { .. }
            | DomainError::TranslationToReview { .. } => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        },
        DoorError::Auth(a) => StatusCode::from_u16(a.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
        DoorError::NoKey { .. } => StatusCode::FORBIDDEN,
        DoorError::Document(d) => match d {
            lajna_door::documents::DocumentError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            lajna_door::documents::DocumentError::Empty => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        },
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The user-facing message of a node error in `lang` (from the catalogues), with its field.
#[must_use]
pub fn message_of(catalog: &Catalog, lang: Lang, e: &DoorError) -> (Option<String>, String) {
    use crate::i18n::Arg;
    match e {
        DoorError::Domain(d) => catalog.domain_message(lang, d),
        DoorError::Auth(AuthError::Throttled { minutes }) => {
            (None, catalog.get(lang, "error-throttled", &[("minutes", Arg::Num(*minutes))]))
        }
        DoorError::Auth(a) => (None, catalog.get(lang, a.key(), &[])),
        DoorError::NoKey { .. } => (None, catalog.get(lang, "error-forbidden", &[])),
        DoorError::Document(d) => {
            let args: Vec<(&str, Arg)> = match d {
                lajna_door::documents::DocumentError::TooLarge { size, max } => vec![
                    ("size", Arg::Num(i64::try_from(*size).unwrap_or(i64::MAX))),
                    ("max", Arg::Num(i64::try_from(*max).unwrap_or(i64::MAX))),
                ],
                lajna_door::documents::DocumentError::TypeMismatch { declared, found } => {
                    vec![("declared", Arg::Text(declared.clone())), ("found", Arg::Text(found.clone()))]
                }
                _ => vec![],
            };
            (Some("file".into()), catalog.get(lang, d.key(), &args))
        }
        other => {
            tracing::error!(error = %other, "unexpected error");
            (None, catalog.get(lang, "error-unexpected", &[]))
        }
    }
}

/// The problem document of a node error, in `lang`.
#[must_use]
pub fn problem_of(catalog: &Catalog, lang: Lang, e: &DoorError) -> Problem {
    let status = status_of(e);
    let (field, message) = message_of(catalog, lang, e);
    let mut p = Problem::new(status, e.code().trim_start_matches("error-"), message.clone());
    if let Some(field) = field {
        p.errors.push(FieldError { field, message });
    }
    if let DoorError::Auth(AuthError::Throttled { minutes }) = e {
        p.retry_after = Some(minutes * 60);
    }
    p
}
