//! Read models of the archive's pages: the list's rows, a document's page, and the records a
//! document may link to. The documents come from [`lajna_door::Door::documents_for`] and
//! [`lajna_door::Door::document_for`], which apply the marking rule; the links from a reader's
//! snapshot.

use lajna_domain::records::{Action, Decision, Document, Mission, Session};
use lajna_domain::{
    Classification, DomainError, Lang, LocalizedText, Marking, PartyCode, RecordKind, Releasability, State,
};
use lajna_door::documents::DocumentView;
use lajna_i18n::{Arg, Tr};

use crate::Txt;

/// One row of the list.
#[derive(Clone, Debug)]
pub struct Row {
    /// Record id.
    pub id: String,
    /// Title in the reader's language (or the best one it has).
    pub title: Txt,
    /// The marking as shown ([`marking_label`]).
    pub marking: String,
    /// Classification code (CSS class).
    pub classification: &'static str,
    /// Media type of the file.
    pub media_type: String,
    /// File size, bytes.
    pub size: i64,
    /// Date of the document, ISO 8601 (empty when unknown).
    pub date: String,
    /// Example data.
    pub illustrative: bool,
}

/// The marking as shown: `SECRET — MAR ONLY`, `UNCLASSIFIED — MAR+MLI`.
#[must_use]
pub fn marking_label(m: &Marking, parties: &[PartyCode]) -> String {
    let rel = match m.releasable_to.only() {
        Some(p) => format!("{p} ONLY"),
        None => parties.iter().map(PartyCode::as_str).collect::<Vec<_>>().join("+"),
    };
    format!("{} — {rel}", m.classification.code())
}

/// The list row of `v` in `lang`.
#[must_use]
pub fn row_of(v: &DocumentView, lang: Lang, parties: &[PartyCode]) -> Row {
    Row {
        id: v.id.clone(),
        title: Txt::of(&v.document.title, lang),
        marking: marking_label(&v.document.marking, parties),
        classification: v.document.marking.classification.code(),
        media_type: v.document.media_type.clone(),
        size: v.document.size,
        date: v.document.date.map(|d| d.to_string()).unwrap_or_default(),
        illustrative: v.document.illustrative,
    }
}

/// A document's page.
#[derive(Clone, Debug)]
pub struct DocumentPage {
    /// Record id.
    pub id: String,
    /// Title in the reader's language.
    pub title: Txt,
    /// Every language of the title: (language tag, direction, text).
    pub titles: Vec<(&'static str, &'static str, String)>,
    /// The marking as shown.
    pub marking: String,
    /// Classification code.
    pub classification: &'static str,
    /// Language of the document (code).
    pub language: &'static str,
    /// Date, ISO 8601 (empty when unknown).
    pub date: String,
    /// Media type.
    pub media_type: String,
    /// Size in the reader's language ("12 345 bytes").
    pub size_label: String,
    /// File name as uploaded.
    pub file_name: String,
    /// Registration time, RFC 3339 UTC.
    pub registered_at: String,
    /// Who registered it (user name).
    pub registered_by: String,
    /// The records it links to that the reader may see: (href, title).
    pub links: Vec<(String, Txt)>,
    /// Example data.
    pub illustrative: bool,
}

/// The page of `v` for a reader of snapshot `s`, in `tr`'s language.
#[must_use]
pub fn document_page(s: &State, v: &DocumentView, parties: &[PartyCode], tr: Tr<'_>) -> DocumentPage {
    let (d, lang) = (&v.document, tr.lang);
    DocumentPage {
        id: v.id.clone(),
        title: Txt::of(&d.title, lang),
        titles: Lang::ALL.iter().filter_map(|l| d.title.get(*l).map(|t| (l.code(), l.dir(), t.to_string()))).collect(),
        marking: marking_label(&d.marking, parties),
        classification: d.marking.classification.code(),
        language: d.language.code(),
        date: d.date.map(|x| x.to_string()).unwrap_or_default(),
        media_type: d.media_type.clone(),
        size_label: tr.catalog.get(lang, "documents-bytes", &[("n", Arg::Num(d.size))]),
        file_name: d.file_name.clone(),
        registered_at: v.registered_at.clone(),
        registered_by: v.registered_by.clone(),
        links: d.links.iter().filter_map(|l| link_of(s, l, lang)).collect(),
        illustrative: d.illustrative,
    }
}

/// The page path and title of record `id` when it is a kind a document may link to.
#[must_use]
pub fn link_of(s: &State, id: &str, lang: Lang) -> Option<(String, Txt)> {
    let entry = s.entry(id)?;
    let title = match entry.kind {
        RecordKind::Mission => s.get::<Mission>(RecordKind::Mission, id)?.title,
        RecordKind::Session => s.get::<Session>(RecordKind::Session, id)?.title,
        RecordKind::Decision => s.get::<Decision>(RecordKind::Decision, id)?.text,
        RecordKind::Action => s.get::<Action>(RecordKind::Action, id)?.title,
        _ => return None,
    };
    Some((format!("/{}{}", lang.code(), crate::record_path(entry.kind, id)), Txt::of(&title, lang)))
}

/// The shared records a new document may link to: (id, title), missions, sessions, decisions
/// then actions.
#[must_use]
pub fn linkable(s: &State, lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![];
    for kind in [RecordKind::Mission, RecordKind::Session, RecordKind::Decision, RecordKind::Action] {
        for (id, _) in s.entries().filter(|(_, e)| e.kind == kind && !e.is_private()) {
            if let Some((_, t)) = link_of(s, id, lang) {
                out.push((id.clone(), t.text));
            }
        }
    }
    out
}

/// The upload form of a document as typed, each field's text (shown again after a refusal).
#[derive(Clone, Debug, Default)]
pub struct Typed {
    /// Titles per language, as typed.
    pub title_ar: String,
    /// French title.
    pub title_fr: String,
    /// English title.
    pub title_en: String,
    /// Language code of the document's text; empty: the page's.
    pub language: String,
    /// Date of the document, dd/mm/yyyy or ISO; empty: none.
    pub date: String,
    /// Classification code; empty: UNCLASSIFIED.
    pub classification: String,
    /// `MAR`, `MLI` or `MAR+MLI`; empty: both parties.
    pub releasable_to: String,
    /// Ids of the records the document is filed with.
    pub links: Vec<String>,
}

impl Typed {
    /// The document record the form describes (the file's fields are filled by the node):
    /// titles checked at the door ([`LocalizedText::parse`]), the page's language when none is
    /// chosen, UNCLASSIFIED and both parties by default.
    ///
    /// # Errors
    /// The [`DomainError`] of the first field that does not read, naming it.
    pub fn document(&self, page_lang: Lang) -> Result<Document, DomainError> {
        let title = LocalizedText::parse(
            "title",
            &[
                (Lang::Ar, self.title_ar.as_str()),
                (Lang::Fr, self.title_fr.as_str()),
                (Lang::En, self.title_en.as_str()),
            ],
        )?;
        let language = if self.language.trim().is_empty() { page_lang } else { Lang::parse(&self.language)? };
        let date = match self.date.trim() {
            "" => None,
            d => Some(
                lajna_domain::day::parse_day(d)
                    .ok_or_else(|| DomainError::NotADay { field: "date".into(), value: d.into() })?,
            ),
        };
        let classification = match self.classification.trim() {
            "" => Classification::Unclassified,
            c => Classification::parse(c)?,
        };
        let releasable_to = match self.releasable_to.trim() {
            "" => Releasability::Both,
            r => Releasability::parse(r)?,
        };
        Ok(Document {
            title,
            language,
            date,
            marking: Marking { classification, releasable_to },
            blake3: String::new(),
            media_type: String::new(),
            size: 0,
            file_name: String::new(),
            links: self.links.clone(),
            illustrative: false,
        })
    }
}

/// The classification codes a user of `clearance` may give a record (a document, a pledge):
/// up to their own, lowest first.
#[must_use]
pub fn levels_up_to(clearance: Classification) -> Vec<&'static str> {
    Classification::ALL.into_iter().filter(|c| *c <= clearance).map(Classification::code).collect()
}

/// The documents of `visible` (those a reader may see) filed with record `id`, as (id, title in
/// `lang`, marking label), and the banner of their highest marking (`None` when they are all
/// unclassified and shared): what a record page lists and prints at its top and bottom.
#[must_use]
pub fn filed_with(
    visible: &[DocumentView],
    id: &str,
    parties: &[PartyCode],
    lang: Lang,
) -> (Vec<(String, String, String)>, Option<String>) {
    let filed: Vec<&DocumentView> = visible.iter().filter(|v| v.document.links.iter().any(|l| l == id)).collect();
    let banner = Marking::banner(filed.iter().map(|v| &v.document.marking), parties);
    let rows = filed
        .iter()
        .map(|v| (v.id.clone(), v.document.title.show(lang).to_string(), marking_label(&v.document.marking, parties)))
        .collect();
    (rows, banner)
}
