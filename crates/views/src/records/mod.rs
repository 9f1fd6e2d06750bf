//! Read models of the committee's formal record: missions, sessions (minutes, decisions,
//! execution of the previous session, attendance), communiqués, and the endorsement
//! confirmations. Each is a pure function of a reader's snapshot (`&State`), a translator and,
//! where "overdue" matters, today's date.
//!
//! Formal dates show the Gregorian date (ISO 8601, Western digits) with the Hijri date beside
//! it, computed with the tabular calendar ([`lajna_domain::hijri`]).

pub mod attendance;
pub mod communiques;
pub mod decision;
pub mod endorse;
pub mod missions;
pub mod sessions;

use crate::Txt;
use jiff::civil::Date;
use lajna_domain::records::{Member, PressDocument};
use lajna_domain::state::State as Fold;
use lajna_domain::{HijriDate, Lang, LocalizedText, RecordKind};
use lajna_i18n::{Arg, Tr};

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

/// [`Txt::of`].
#[must_use]
pub fn txt(t: &LocalizedText, lang: Lang) -> Txt {
    Txt::of(t, lang)
}

/// [`Txt::opt`].
#[must_use]
pub fn opt_txt(t: Option<&LocalizedText>, lang: Lang) -> Txt {
    Txt::opt(t, lang)
}

/// The columns of a per-language text, in Arabic, French, English order: with
/// `originals_always`, the Arabic and French columns (the committee's two authentic originals)
/// even when empty, so a missing original shows; otherwise only the languages present.
#[must_use]
pub fn columns(t: Option<&LocalizedText>, originals_always: bool) -> Vec<Column> {
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

pub(crate) fn hijri(tr: Tr<'_>, date: Date) -> String {
    let Some(h) = HijriDate::from_gregorian(date) else { return String::new() };
    let month = tr.t(&format!("rec-hijri-m{}", h.month));
    tr.catalog.get(
        tr.lang,
        "rec-hijri-date",
        &[("day", Arg::Text(h.day.to_string())), ("month", Arg::Text(month)), ("year", Arg::Text(h.year.to_string()))],
    )
}

/// A formal date: ISO 8601 and the tabular Hijri date in `tr`'s language.
#[must_use]
pub fn day(tr: Tr<'_>, date: Date) -> Day {
    Day { iso: date.to_string(), hijri: hijri(tr, date) }
}

/// The committee's party codes, sorted.
#[must_use]
pub fn parties(s: &Fold) -> Vec<String> {
    let mut p: Vec<String> =
        s.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default();
    p.sort();
    p
}

/// The name of party `code` in `lang` (empty when unknown).
#[must_use]
pub fn party_name(s: &Fold, code: &str, lang: Lang) -> Txt {
    s.charter()
        .and_then(|c| c.parties.iter().find(|p| p.code.as_str() == code))
        .map(|p| txt(&p.name, lang))
        .unwrap_or_default()
}

/// "Rank Name" of member `id` in `lang` (empty when unknown).
#[must_use]
pub fn member_label(s: &Fold, id: Option<&String>, lang: Lang) -> Txt {
    let Some(m) = id.and_then(|i| s.get::<Member>(RecordKind::Member, i)) else { return Txt::default() };
    let name = txt(&m.name, lang);
    match &m.rank {
        Some(rank) => Txt { text: format!("{} {}", txt(rank, lang).text, name.text), ..name },
        None => name,
    }
}

/// The press documents of `s` that `keep` accepts.
#[must_use]
pub fn press_rows(s: &Fold, lang: Lang, keep: impl Fn(&PressDocument) -> bool) -> Vec<PressRow> {
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
