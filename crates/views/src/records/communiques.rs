//! Read models of the communiques pages (moved from the web layer).

use super::{Day, LinkRow, day, member_label, txt};
use crate::Txt;
use jiff::civil::Date;
use lajna_domain::RecordKind;
use lajna_domain::records::{Communique, Mission};
use lajna_domain::state::State as Fold;
use lajna_i18n::Tr;

/// A communiqué.
#[derive(Clone, Debug)]
pub struct CommuniqueRow {
    /// Id.
    pub id: String,
    /// Issuing party.
    pub party: String,
    /// Issuer.
    pub issuer: Txt,
    /// Date issued.
    pub date: Option<Day>,
    /// Title.
    pub title: Txt,
    /// Text.
    pub text: Txt,
    /// Quotes: (speaker, words).
    pub quotes: Vec<(Txt, Txt)>,
    /// Mission it reports on.
    pub mission: Option<LinkRow>,
    /// Example data.
    pub illustrative: bool,
}

/// Every communiqué of `s`, newest first, in `tr`'s language.
#[must_use]
pub fn communique_rows(s: &Fold, tr: Tr<'_>) -> Vec<CommuniqueRow> {
    let lang = tr.lang;
    let mut rows: Vec<(Option<Date>, CommuniqueRow)> = s
        .all::<Communique>(RecordKind::Communique)
        .into_iter()
        .map(|(id, c)| {
            let mission = c.mission.as_ref().and_then(|mid| {
                s.get::<Mission>(RecordKind::Mission, mid)
                    .map(|m| LinkRow { id: mid.clone(), label: txt(&m.title, lang) })
            });
            let row = CommuniqueRow {
                id,
                party: c.party.to_string(),
                issuer: txt(&c.issuer, lang),
                date: c.date.map(|d| day(tr, d)),
                title: txt(&c.title, lang),
                text: txt(&c.text, lang),
                quotes: c
                    .quotes
                    .iter()
                    .map(|q| (member_label(s, q.speaker.as_ref(), lang), txt(&q.text, lang)))
                    .collect(),
                mission,
                illustrative: c.illustrative,
            };
            (c.date, row)
        })
        .collect();
    // Newest first; undated ones last.
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    rows.into_iter().map(|(_, r)| r).collect()
}
