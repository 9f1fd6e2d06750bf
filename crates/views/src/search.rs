//! Read model of the search page: one row per hit, linked to the record's page.

use lajna_domain::{Lang, RecordKind};
use lajna_search::Hit;

/// The page of a record of `kind` (the list page for kinds without their own page).
#[must_use]
pub fn record_href(lang: Lang, kind: &str, id: &str) -> String {
    let l = lang.code();
    let path = RecordKind::parse(kind).map_or_else(|| "/record".to_string(), |k| crate::record_path(k, id));
    format!("/{l}{path}")
}

/// One result as the template shows it.
pub struct Row {
    /// Link to the record's page.
    pub href: String,
    /// Kind code.
    pub kind: String,
    /// Title as indexed.
    pub title: String,
    /// Language of the title.
    pub title_lang: &'static str,
    /// Its direction.
    pub title_dir: &'static str,
    /// Escaped by the search library, with `<mark>` around matches.
    pub snippet_html: String,
    /// Language of the snippet.
    pub snippet_lang: &'static str,
    /// Its direction.
    pub snippet_dir: &'static str,
    /// Date of the record, ISO 8601 (empty when none).
    pub date: String,
}

impl Row {
    /// The row of `hit` for a reader of `lang`.
    #[must_use]
    pub fn of(hit: &Hit, lang: Lang) -> Self {
        Self {
            href: record_href(lang, &hit.kind, &hit.id),
            kind: hit.kind.clone(),
            title: hit.title.clone(),
            title_lang: hit.title_lang.code(),
            title_dir: hit.title_lang.dir(),
            snippet_html: hit.snippet_html.clone(),
            snippet_lang: hit.snippet_lang.code(),
            snippet_dir: hit.snippet_lang.dir(),
            date: hit.date.clone().unwrap_or_default(),
        }
    }
}
