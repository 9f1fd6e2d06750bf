//! Missions, sessions and communiqués: the pages of the committee's formal record.
//!
//! - `GET /{lang}/missions`, `GET /{lang}/missions/{id}` ([`missions`]): a delegation visit, its
//!   programme in the venue's time zone (stored as venue-local civil times, shown as such with
//!   the zone name and the UTC instant beside each timed item), and what was published about it.
//! - `GET /{lang}/sessions`, `GET /{lang}/sessions/{id}` ([`sessions`]): a session, its minutes
//!   (Arabic and French side by side) with their workflow (draft → agreed → locked →
//!   amendments, see [`lajna_domain::minutes`]), its decisions with each party's endorsement,
//!   the language-parity flags ([`lajna_domain::parity`]) and, from the second session on, the
//!   état d'exécution of the previous session's decisions and actions.
//! - `GET /{lang}/communiques` ([`communiques`]): communiqués and press documents.
//! - Endorsements ([`endorse`]): `GET` and `POST /{lang}/decisions/{id}/endorse`,
//!   `/{lang}/sessions/{id}/minutes/endorse`, `/{lang}/roadmaps/{id}/endorse` — a confirmation
//!   page showing what is endorsed and its version, then the password again.
//! - The forms of the session page ([`session_forms`]): `POST /{lang}/decisions/{id}/confirm`,
//!   `/{lang}/sessions/{id}/minutes`, `/minutes/confirm`, `/amendments`; the delegations
//!   ([`attendance`]): `/{lang}/sessions/{id}/delegation`. Every write goes through
//!   [`lajna_node::Node::execute_as`] after the CSRF check; a refusal writes nothing and shows
//!   why (a 403 page when the role or party does not allow it).
//!
//! Formal dates show the Gregorian date (ISO 8601, Western digits) with the Hijri date beside
//! it, computed with the tabular calendar ([`lajna_domain::hijri`]); the pages say so.

mod attendance;
mod communiques;
mod decision;
pub mod endorse;
mod missions;
mod session_forms;
mod sessions;

use axum::Router;
use axum::routing::{get, post};
use jiff::civil::Date;
use lajna_domain::records::{Member, PressDocument};
use lajna_domain::state::State as Fold;
use lajna_domain::{HijriDate, Lang, LocalizedText, RecordKind};

use crate::AppState;
use crate::i18n::{Arg, Tr};
use crate::views::Txt;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    use session_forms as forms;
    Router::new()
        .route("/{lang}/missions", get(missions::missions))
        .route("/{lang}/missions/{id}", get(missions::mission))
        .route("/{lang}/sessions", get(sessions::sessions))
        .route("/{lang}/sessions/{id}", get(sessions::session))
        .route("/{lang}/sessions/{id}/minutes", post(forms::minutes_save))
        .route("/{lang}/sessions/{id}/minutes/endorse", get(endorse::minutes_page).post(endorse::minutes_endorse))
        .route("/{lang}/sessions/{id}/minutes/confirm", post(forms::minutes_confirm))
        .route("/{lang}/sessions/{id}/amendments", post(forms::amendment))
        .route("/{lang}/sessions/{id}/delegation", post(attendance::delegation_save))
        .route("/{lang}/decisions/{id}", get(decision::page))
        .route("/{lang}/decisions/{id}/endorse", get(endorse::decision_page).post(endorse::decision_endorse))
        .route("/{lang}/decisions/{id}/confirm", post(forms::decision_confirm))
        .route("/{lang}/roadmaps/{id}/endorse", get(endorse::roadmap_page).post(endorse::roadmap_endorse))
        .route("/{lang}/communiques", get(communiques::communiques))
}

// ---- Shared read models ------------------------------------------------------------------

/// A formal date: the Gregorian date (ISO 8601) and the computed Hijri date in the page's
/// language (empty before 1 AH).
#[derive(Clone, Debug, Default)]
pub struct Day {
    /// ISO 8601 date.
    pub iso: String,
    /// Tabular Hijri date, e.g. "18 Sha'ban 1446 AH".
    pub hijri: String,
}

/// A text in one language, for the side-by-side columns.
#[derive(Clone, Debug)]
pub struct Column {
    /// BCP 47 tag.
    pub lang: &'static str,
    /// Writing direction.
    pub dir: &'static str,
    /// Message key of the language's name.
    pub name_key: String,
    /// The text (empty when not written in this language).
    pub text: String,
}

/// A link to a record: id and label.
#[derive(Clone, Debug)]
pub struct LinkRow {
    /// Record id.
    pub id: String,
    /// Label.
    pub label: Txt,
}

/// A press document, linked to its article page.
#[derive(Clone, Debug)]
pub struct PressRow {
    /// Id.
    pub id: String,
    /// Headline as published.
    pub title: String,
    /// Language of the article.
    pub lang: &'static str,
    /// Its direction.
    pub dir: &'static str,
    /// Publisher.
    pub publisher: Txt,
    /// Example data.
    pub illustrative: bool,
}

fn txt(t: &LocalizedText, lang: Lang) -> Txt {
    Txt::of(t, lang)
}

fn opt_txt(t: Option<&LocalizedText>, lang: Lang) -> Txt {
    Txt::opt(t, lang)
}

/// The columns of a per-language text, in Arabic, French, English order: with
/// `originals_always`, the Arabic and French columns (the committee's two authentic originals)
/// even when empty, so a missing original shows; otherwise only the languages present.
fn columns(t: Option<&LocalizedText>, originals_always: bool) -> Vec<Column> {
    Lang::ALL
        .into_iter()
        .map(|l| Column {
            lang: l.code(),
            dir: l.dir(),
            name_key: format!("rec-lang-{}", l.code()),
            text: t.and_then(|t| t.get(l)).unwrap_or_default().to_string(),
        })
        .filter(|c| !c.text.trim().is_empty() || (originals_always && c.lang != "en"))
        .collect()
}

fn hijri(tr: Tr<'_>, date: Date) -> String {
    let Some(h) = HijriDate::from_gregorian(date) else { return String::new() };
    let month = tr.t(&format!("rec-hijri-m{}", h.month));
    tr.catalog.get(
        tr.lang,
        "rec-hijri-date",
        &[("day", Arg::Text(h.day.to_string())), ("month", Arg::Text(month)), ("year", Arg::Text(h.year.to_string()))],
    )
}

fn day(tr: Tr<'_>, date: Date) -> Day {
    Day { iso: date.to_string(), hijri: hijri(tr, date) }
}

fn parties(s: &Fold) -> Vec<String> {
    let mut p: Vec<String> =
        s.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default();
    p.sort();
    p
}

fn party_name(s: &Fold, code: &str, lang: Lang) -> Txt {
    s.charter()
        .and_then(|c| c.parties.iter().find(|p| p.code.as_str() == code))
        .map(|p| txt(&p.name, lang))
        .unwrap_or_default()
}

fn member_label(s: &Fold, id: Option<&String>, lang: Lang) -> Txt {
    let Some(m) = id.and_then(|i| s.get::<Member>(RecordKind::Member, i)) else { return Txt::default() };
    let name = txt(&m.name, lang);
    match &m.rank {
        Some(rank) => Txt { text: format!("{} {}", txt(rank, lang).text, name.text), ..name },
        None => name,
    }
}

fn press_rows(s: &Fold, lang: Lang, keep: impl Fn(&PressDocument) -> bool) -> Vec<PressRow> {
    s.all::<PressDocument>(RecordKind::Press)
        .into_iter()
        .filter(|(_, p)| keep(p))
        .map(|(id, p)| PressRow {
            id,
            lang: p.language.code(),
            dir: p.language.dir(),
            publisher: txt(&p.publisher, lang),
            illustrative: p.illustrative,
            title: p.title,
        })
        .collect()
}
