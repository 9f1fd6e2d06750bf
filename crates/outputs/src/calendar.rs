//! The committee's calendar as iCalendar (RFC 5545): missions and sessions, for calendar clients
//! that subscribe to a feed URL (issue 4, "Calendar").
//!
//! Rules kept here:
//! - Missions are all-day events: `DTSTART;VALUE=DATE` is the first day and `DTEND;VALUE=DATE`
//!   the day after the last (RFC 5545 §3.6.1: DTEND is exclusive). Civil dates only, so the
//!   output never depends on the process's `TZ` (case C05).
//! - Timed events (programme items with a time, a session's opening sitting) are written in UTC
//!   (`…Z`): the venue-local time is turned into an instant with the tz database bundled in the
//!   binary ([`lajna_domain::tzdb`], case C04), never the host's. No `TZID` is ever written, so
//!   no `VTIMEZONE` is needed; the venue's zone is named in `LOCATION` and `DESCRIPTION`.
//! - `DTSTAMP` is the record's last change (author time of its newest write), not "now", and
//!   `UID` is the record id + `@lajna`: the same state gives the same bytes.
//! - TEXT values (`SUMMARY`, `DESCRIPTION`, `LOCATION`) are escaped (`\\`, `\;`, `\,`, `\n`,
//!   RFC 5545 §3.3.11) and content lines folded at 75 octets, never inside a UTF-8 sequence
//!   (§3.1, case C06) by the `icalendar` crate; `tests/calendar.rs` pins both. CR and the other
//!   control characters that §3.3.11 forbids in TEXT are removed here first (the crate does not),
//!   and the calendar-level `NAME` (RFC 7986), which the crate writes unescaped, is escaped here.
//! - Text is in the requested language, falling back to French, Arabic, then English
//!   ([`LocalizedText::best`]); each text property carries the `LANGUAGE` actually used.

use icalendar::{Calendar, Component, Event, Property};
use jiff::Timestamp;
use jiff::civil::{Date, Time};
use lajna_domain::records::{Mission, ProgrammeItem, Session, Venue};
use lajna_domain::{Lang, LocalizedText, RecordKind, State};

/// `PRODID` of every calendar Lajna writes.
pub const PRODID: &str = "-//Lajna//Committee calendar 1.0//EN";

/// `DTSTAMP` of a record whose last-change time is unknown (never "now": output stays
/// deterministic).
const EPOCH_STAMP: &str = "19700101T000000Z";

/// The whole committee's calendar in `lang`: every mission, every timed programme item and every
/// session, as the text of an iCalendar object (CRLF line ends, UTF-8).
#[must_use]
pub fn committee_calendar(state: &State, lang: Lang) -> String {
    committee_calendar_for(state, lang, |_, _| true)
}

/// [`committee_calendar`] with only the records for which `visible(kind, id)` holds: the hook by
/// which a feed leaves out what its user may not see (DESIGN.md §6 markings).
#[must_use]
pub fn committee_calendar_for(state: &State, lang: Lang, visible: impl Fn(RecordKind, &str) -> bool) -> String {
    let labels = Labels::of(lang);
    let mut events: Vec<(String, Event)> = Vec::new();
    for (id, mission) in state.all::<Mission>(RecordKind::Mission) {
        if !visible(RecordKind::Mission, &id) {
            continue;
        }
        let stamp = dtstamp(state, &id);
        events.push((sort_key(mission.start, None, &id), mission_event(&id, &mission, &stamp, lang, &labels)));
        for (n, item) in mission.programme.iter().enumerate() {
            if let Some((key, event)) = programme_event(&id, n + 1, &mission, item, &stamp, lang, &labels) {
                events.push((key, event));
            }
        }
    }
    for (id, session) in state.all::<Session>(RecordKind::Session) {
        if !visible(RecordKind::Session, &id) {
            continue;
        }
        let stamp = dtstamp(state, &id);
        events.push((
            sort_key(session.start, session.opens_at, &id),
            session_event(&id, &session, &stamp, lang, &labels),
        ));
    }
    events.sort_by(|a, b| a.0.cmp(&b.0));

    let name = state.charter().map(|c| clean(c.name.show(lang))).unwrap_or_else(|| "Lajna".to_string());
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        // RFC 7986 NAME, which the crate writes verbatim, and its common predecessor
        // X-WR-CALNAME, which the crate escapes as it does every `X-` property.
        .append_property(Property::new("NAME", escape_text(&name)))
        .append_property(Property::new("X-WR-CALNAME", name.as_str()))
        .append_property(Property::new("REFRESH-INTERVAL", "PT1H").add_parameter("VALUE", "DURATION").done())
        .append_property(("X-PUBLISHED-TTL", "PT1H"));
    for (_, event) in events {
        calendar.push(event);
    }
    calendar.to_string()
}

/// Events sort by their first day, all-day ones first, then timed ones by venue time, then UID.
fn sort_key(day: Date, time: Option<Time>, id: &str) -> String {
    let time = time.map_or_else(|| "-----".to_string(), |t| t.strftime("%H:%M").to_string());
    format!("{} {time} {id}", ical_date(day))
}

/// A civil date as an iCalendar DATE: `20251118`.
#[must_use]
pub fn ical_date(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// An instant as an iCalendar UTC DATE-TIME: `20251118T090000Z`.
#[must_use]
pub fn ical_utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The instant of a venue-local date and time in tz-database zone `zone`, from the bundled
/// database (a time in a DST gap moves forward, as [`jiff`]'s "compatible" rule says). `None`
/// for a zone the database does not know.
#[must_use]
pub fn venue_instant(day: Date, time: Time, zone: &str) -> Option<Timestamp> {
    let tz = lajna_domain::tzdb().get(zone).ok()?;
    day.to_datetime(time).to_zoned_datetime(tz).ok().map(|z| z.timestamp())
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline. Used for
/// the properties the `icalendar` crate writes verbatim; [`clean`] runs first.
#[must_use]
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Text as TEXT may carry it: CRLF and CR become LF (written `\n`), and the other control
/// characters, which RFC 5545 §3.3.11 excludes, are dropped (HTAB is kept).
#[must_use]
pub fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// `DTSTAMP` of a record: its last change (author time, RFC 3339), else its creation.
fn dtstamp(state: &State, id: &str) -> String {
    let Some(entry) = state.entry(id) else { return EPOCH_STAMP.into() };
    let created = entry.created.as_ref().map(|(_, m)| m.at.as_str());
    [Some(entry.updated_at.as_str()), created]
        .into_iter()
        .flatten()
        .find_map(|at| at.parse::<Timestamp>().ok())
        .map_or_else(|| EPOCH_STAMP.into(), ical_utc)
}

/// A TEXT property in the best language for `lang`, with its `LANGUAGE` parameter.
fn text_prop(key: &str, text: &LocalizedText, lang: Lang) -> Property {
    let (used, value) = text.best(lang);
    Property::new(key, clean(value)).add_parameter("LANGUAGE", used.code()).done()
}

/// A TEXT property of composed text (already in `lang`).
fn plain_prop(key: &str, value: &str, lang: Lang) -> Property {
    Property::new(key, clean(value)).add_parameter("LANGUAGE", lang.code()).done()
}

fn date_prop(key: &str, d: Date) -> Property {
    Property::new(key, ical_date(d)).add_parameter("VALUE", "DATE").done()
}

/// "Name, City (Zone)" in `lang`.
fn location(venue: &Venue, place: Option<&LocalizedText>, lang: Lang) -> String {
    let name = place.unwrap_or(&venue.name).show(lang);
    format!("{name}, {} ({})", venue.city.show(lang), venue.zone)
}

fn base_event(uid: &str, stamp: &str, summary: Property, location: String, lang: Lang) -> Event {
    let mut e = Event::new();
    e.uid(uid)
        .append_property(("DTSTAMP", stamp))
        .append_property(("LAST-MODIFIED", stamp))
        .append_property(summary)
        .append_property(plain_prop("LOCATION", &location, lang));
    e
}

fn hhmm(t: Time) -> String {
    t.strftime("%H:%M").to_string()
}

fn mission_event(id: &str, m: &Mission, stamp: &str, lang: Lang, l: &Labels) -> Event {
    let mut lines = Vec::new();
    if let Some(purpose) = &m.purpose {
        lines.push(purpose.show(lang).to_string());
    }
    lines.push(format!("{}: {} → {}", l.delegation, m.visiting, m.host));
    lines.push(format!("{}: {}", l.zone, m.venue.zone));
    if !m.programme.is_empty() {
        lines.push(format!("{}:", l.programme));
        for item in &m.programme {
            let time = match (item.start, item.end) {
                (Some(s), Some(e)) => format!(" {}–{}", hhmm(s), hhmm(e)),
                (Some(s), None) => format!(" {}", hhmm(s)),
                _ => String::new(),
            };
            lines.push(format!("- {}{time} — {}", item.date, item.title.show(lang)));
        }
    }
    if m.illustrative {
        lines.push(l.example.to_string());
    }
    let mut e = base_event(
        &format!("{id}@lajna"),
        stamp,
        text_prop("SUMMARY", &m.title, lang),
        location(&m.venue, None, lang),
        lang,
    );
    e.append_property(date_prop("DTSTART", m.start))
        .append_property(date_prop("DTEND", m.end.tomorrow().unwrap_or(m.end)))
        .append_property(plain_prop("DESCRIPTION", &lines.join("\n"), lang))
        .append_property(("TRANSP", "TRANSPARENT"));
    e.done()
}

fn programme_event(
    id: &str,
    n: usize,
    m: &Mission,
    item: &ProgrammeItem,
    stamp: &str,
    lang: Lang,
    l: &Labels,
) -> Option<(String, Event)> {
    let start_time = item.start?;
    let start = venue_instant(item.date, start_time, &m.venue.zone)?;
    let local = match item.end {
        Some(end) => format!("{} {}–{}", item.date, hhmm(start_time), hhmm(end)),
        None => format!("{} {}", item.date, hhmm(start_time)),
    };
    let mut lines = vec![m.title.show(lang).to_string(), format!("{}: {local} ({})", l.local_time, m.venue.zone)];
    if item.illustrative || m.illustrative {
        lines.push(l.example.to_string());
    }
    let mut e = base_event(
        &format!("{id}-programme-{n}@lajna"),
        stamp,
        text_prop("SUMMARY", &item.title, lang),
        location(&m.venue, item.place.as_ref(), lang),
        lang,
    );
    e.append_property(("DTSTART", ical_utc(start).as_str()));
    if let Some(end) = item.end.and_then(|t| venue_instant(item.date, t, &m.venue.zone)) {
        e.append_property(("DTEND", ical_utc(end).as_str()));
    }
    e.append_property(plain_prop("DESCRIPTION", &lines.join("\n"), lang));
    Some((sort_key(item.date, Some(start_time), id), e.done()))
}

fn session_event(id: &str, s: &Session, stamp: &str, lang: Lang, l: &Labels) -> Event {
    let mut lines = vec![format!("{} {} — {}: {}", l.session, s.number, l.host, s.host)];
    // The domain's rule for the opening instant (case C04), the same one the pages show.
    let opening = s.opens_at.zip(s.opening_instant());
    if let Some((t, _)) = opening {
        lines.push(format!("{}: {} {} ({})", l.opening, s.start, hhmm(t), s.venue.zone));
    } else {
        lines.push(format!("{}: {}", l.zone, s.venue.zone));
    }
    if !s.agenda.is_empty() {
        lines.push(format!("{}:", l.agenda));
        for (n, item) in s.agenda.iter().enumerate() {
            lines.push(format!("{}. {}", n + 1, item.show(lang)));
        }
    }
    if let Some(outcome) = &s.expected_outcome {
        lines.push(format!("{}: {}", l.outcome, outcome.show(lang)));
    }
    if s.illustrative {
        lines.push(l.example.to_string());
    }
    let mut e = base_event(
        &format!("{id}@lajna"),
        stamp,
        text_prop("SUMMARY", &s.title, lang),
        location(&s.venue, None, lang),
        lang,
    );
    let after = s.end.tomorrow().unwrap_or(s.end);
    match opening {
        // From the opening sitting to the end of the last day, venue time, both in UTC.
        Some((_, start)) => {
            e.append_property(("DTSTART", ical_utc(start).as_str()));
            if let Some(end) = venue_instant(after, Time::midnight(), &s.venue.zone) {
                e.append_property(("DTEND", ical_utc(end).as_str()));
            }
        }
        None => {
            e.append_property(date_prop("DTSTART", s.start)).append_property(date_prop("DTEND", after));
        }
    }
    e.append_property(plain_prop("DESCRIPTION", &lines.join("\n"), lang));
    e.done()
}

/// The few words the calendar writes itself, per language.
struct Labels {
    zone: &'static str,
    local_time: &'static str,
    delegation: &'static str,
    programme: &'static str,
    session: &'static str,
    host: &'static str,
    opening: &'static str,
    agenda: &'static str,
    outcome: &'static str,
    example: &'static str,
}

impl Labels {
    fn of(lang: Lang) -> Self {
        match lang {
            Lang::Ar => Self {
                zone: "المنطقة الزمنية لمكان الانعقاد",
                local_time: "التوقيت المحلي",
                delegation: "الوفد",
                programme: "البرنامج",
                session: "الدورة",
                host: "البلد المضيف",
                opening: "الجلسة الافتتاحية (بالتوقيت المحلي)",
                agenda: "جدول الأعمال",
                outcome: "النتيجة المتوقعة",
                example: "بيانات توضيحية (مثال)، وليست من وقائع السجل.",
            },
            Lang::Fr => Self {
                zone: "Fuseau horaire du lieu",
                local_time: "Heure locale",
                delegation: "Délégation",
                programme: "Programme",
                session: "Session",
                host: "Hôte",
                opening: "Séance d'ouverture (heure locale)",
                agenda: "Ordre du jour",
                outcome: "Résultat attendu",
                example: "Données d'exemple, pas un fait du registre.",
            },
            Lang::En => Self {
                zone: "Venue time zone",
                local_time: "Local time",
                delegation: "Delegation",
                programme: "Programme",
                session: "Session",
                host: "Host",
                opening: "Opening sitting (local time)",
                agenda: "Agenda",
                outcome: "Expected outcome",
                example: "Example data, not a fact of the record.",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};

    use super::*;

    #[test]
    fn escape_and_clean_follow_rfc_5545_text() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("l1\nl2"), r"l1\nl2");
        assert_eq!(clean("a\r\nb\rc\u{0007}d\te"), "a\nb\ncd\te");
    }

    #[test]
    fn venue_time_becomes_utc_with_the_bundled_database() {
        let at = |d, t, z| venue_instant(d, t, z).map(ical_utc);
        assert_eq!(at(date(2025, 11, 18), time(10, 0, 0, 0), "Africa/Casablanca").as_deref(), Some("20251118T090000Z"));
        assert_eq!(at(date(2025, 2, 18), time(9, 0, 0, 0), "Africa/Bamako").as_deref(), Some("20250218T090000Z"));
        assert_eq!(at(date(2025, 2, 18), time(9, 0, 0, 0), "Mars/Olympus"), None);
        // Ramadan 2025 in jiff's bundled tzdb: Morocco on +00 from 2025-02-23 03:00 local
        // (02:00Z) to 2025-04-06 02:00 local (02:00Z), +01 on either side.
        let casa = |d| at(d, time(10, 0, 0, 0), "Africa/Casablanca");
        assert_eq!(casa(date(2025, 2, 22)).as_deref(), Some("20250222T090000Z"));
        assert_eq!(casa(date(2025, 2, 23)).as_deref(), Some("20250223T100000Z"));
        assert_eq!(casa(date(2025, 4, 5)).as_deref(), Some("20250405T100000Z"));
        assert_eq!(casa(date(2025, 4, 6)).as_deref(), Some("20250406T090000Z"));
    }
}
