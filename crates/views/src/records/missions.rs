//! Read models of the missions pages (moved from the web layer).

use super::{Day, LinkRow, PressRow, day, member_label, opt_txt, party_name, press_rows, txt};
use crate::Txt;
use jiff::civil::{Date, Time};
use lajna_domain::RecordKind;
use lajna_domain::records::{Communique, Mission, ProgrammeItem, Session};
use lajna_domain::state::State as Fold;
use lajna_i18n::Tr;

/// One mission in the list.
#[derive(Clone, Debug)]
pub struct MissionRow {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Txt,
    /// Visiting party code.
    pub visiting: String,
    /// Host party code.
    pub host: String,
    /// City.
    pub city: Txt,
    /// First day.
    pub start: Day,
    /// Last day.
    pub end: Day,
    /// Example data.
    pub illustrative: bool,
}

/// One item of a mission's programme.
#[derive(Clone, Debug)]
pub struct ProgrammeView {
    /// Venue-local date.
    pub date: Day,
    /// Venue-local time span ("09:00–13:00"), empty when not stated.
    pub local: String,
    /// The same span in UTC ("09:00–13:00"), empty when not stated.
    pub utc: String,
    /// RFC 3339 UTC instant of the start, for `<time datetime>`.
    pub utc_start: String,
    /// The UTC date when it differs from the local date, else empty.
    pub utc_date: String,
    /// What happens.
    pub title: Txt,
    /// Where, if not at the venue.
    pub place: Txt,
    /// Example data.
    pub illustrative: bool,
}

/// Everything the mission page shows.
#[derive(Clone, Debug)]
pub struct MissionView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Txt,
    /// Visiting party code.
    pub visiting: String,
    /// Its name.
    pub visiting_name: Txt,
    /// Host party code.
    pub host: String,
    /// Its name.
    pub host_name: Txt,
    /// Venue.
    pub venue: Txt,
    /// City.
    pub city: Txt,
    /// tz database zone of the venue.
    pub zone: String,
    /// First day.
    pub start: Day,
    /// Last day.
    pub end: Day,
    /// Head of delegation: rank and name.
    pub head: Txt,
    /// Purpose.
    pub purpose: Txt,
    /// Programme, by date and time.
    pub programme: Vec<ProgrammeView>,
    /// Communiqués about it.
    pub communiques: Vec<LinkRow>,
    /// Press documents about it.
    pub press: Vec<PressRow>,
    /// Sessions held during it.
    pub sessions: Vec<LinkRow>,
    /// Example data.
    pub illustrative: bool,
}

pub(crate) fn local_span(start: Option<Time>, end: Option<Time>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{}–{}", s.strftime("%H:%M"), e.strftime("%H:%M")),
        (Some(s), None) => s.strftime("%H:%M").to_string(),
        _ => String::new(),
    }
}

pub(crate) fn programme_item(tr: Tr<'_>, zone: Option<&jiff::tz::TimeZone>, p: &ProgrammeItem) -> ProgrammeView {
    let lang = tr.lang;
    let instant = |t: Time| zone.and_then(|z| z.to_timestamp(p.date.to_datetime(t)).ok());
    let (start, end) = (p.start.and_then(instant), p.end.and_then(instant));
    let utc = match (start, end) {
        (Some(s), Some(e)) => format!("{}–{}", s.strftime("%H:%M"), e.strftime("%H:%M")),
        (Some(s), None) => s.strftime("%H:%M").to_string(),
        _ => String::new(),
    };
    let utc_date = start
        .map(|s| s.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
        .filter(|d| *d != p.date)
        .map(|d| d.to_string())
        .unwrap_or_default();
    ProgrammeView {
        date: day(tr, p.date),
        local: local_span(p.start, p.end),
        utc,
        utc_start: start.map(lajna_door::rfc3339).unwrap_or_default(),
        utc_date,
        title: txt(&p.title, lang),
        place: opt_txt(p.place.as_ref(), lang),
        illustrative: p.illustrative,
    }
}

/// Every mission of `s`, newest first, in `tr`'s language.
#[must_use]
pub fn mission_rows(s: &Fold, tr: Tr<'_>) -> Vec<MissionRow> {
    let mut rows: Vec<(Date, MissionRow)> = s
        .all::<Mission>(RecordKind::Mission)
        .into_iter()
        .map(|(id, m)| {
            let row = MissionRow {
                id,
                title: txt(&m.title, tr.lang),
                visiting: m.visiting.to_string(),
                host: m.host.to_string(),
                city: txt(&m.venue.city, tr.lang),
                start: day(tr, m.start),
                end: day(tr, m.end),
                illustrative: m.illustrative,
            };
            (m.start, row)
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    rows.into_iter().map(|(_, r)| r).collect()
}

/// The page of mission `id` (programme in the venue's zone); `None` when there is none.
#[must_use]
pub fn mission_view(s: &Fold, tr: Tr<'_>, id: &str) -> Option<MissionView> {
    let lang = tr.lang;
    let m: Mission = s.get(RecordKind::Mission, id)?;
    let zone = lajna_domain::tzdb().get(&m.venue.zone).ok();
    let mut programme = m.programme.clone();
    programme.sort_by_key(|p| (p.date, p.start));
    let communiques = s
        .all::<Communique>(RecordKind::Communique)
        .into_iter()
        .filter(|(_, c)| c.mission.as_deref() == Some(id))
        .map(|(cid, c)| LinkRow { id: cid, label: txt(&c.title, lang) })
        .collect();
    let mut sessions: Vec<(i64, LinkRow)> = s
        .all::<Session>(RecordKind::Session)
        .into_iter()
        .filter(|(_, x)| x.mission.as_deref() == Some(id))
        .map(|(sid, x)| (x.number, LinkRow { id: sid, label: txt(&x.title, lang) }))
        .collect();
    sessions.sort_by_key(|(n, _)| *n);
    Some(MissionView {
        id: id.to_string(),
        title: txt(&m.title, lang),
        visiting: m.visiting.to_string(),
        visiting_name: party_name(s, m.visiting.as_str(), lang),
        host: m.host.to_string(),
        host_name: party_name(s, m.host.as_str(), lang),
        venue: txt(&m.venue.name, lang),
        city: txt(&m.venue.city, lang),
        zone: m.venue.zone.clone(),
        start: day(tr, m.start),
        end: day(tr, m.end),
        head: member_label(s, m.head.as_ref(), lang),
        purpose: opt_txt(m.purpose.as_ref(), lang),
        programme: programme.iter().map(|p| programme_item(tr, zone.as_ref(), p)).collect(),
        communiques,
        press: press_rows(s, lang, |p| p.mission.as_deref() == Some(id)),
        sessions: sessions.into_iter().map(|(_, l)| l).collect(),
        illustrative: m.illustrative,
    })
}
