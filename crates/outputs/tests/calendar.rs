//! The committee calendar (iCalendar) against cases C05 (all-day dates whatever the process `TZ`)
//! and C06 (folding at 75 octets without splitting a character), TEXT escaping, and an
//! independent parser (Python's `icalendar`, Debian's `/usr/bin/python3`) reading the right UTC
//! instants for sessions in Africa/Casablanca before and during Ramadan 2025 and in Africa/Bamako.

use jiff::civil::{Date, Time, date, time};
use lajna_domain::records::{Mission, ProgrammeItem, Session, Venue};
use lajna_domain::state::Change;
use lajna_domain::{Actor, Charter, Command, Lang, LocalizedText as T, Meta, PartyCode, PartyInfo, State, decide};
use lajna_outputs::calendar::committee_calendar;

/// Case C06's summary.
const C06_SUMMARY: &str = "اجتماع اللجنة العسكرية المشتركة المغربية المالية - الدورة الثالثة";

/// A tiny log: applies the bodies `decide` emits, with synthetic ids and author times.
struct Log {
    state: State,
    n: usize,
}

impl Log {
    fn new(name: T) -> Self {
        let mut log = Log { state: State::default(), n: 0 };
        let party = |code: &str, fr: &str| PartyInfo {
            code: PartyCode::parse(code).unwrap(),
            name: T::tri("", fr, ""),
            forces: T::tri("", "Forces", ""),
        };
        let charter = Charter {
            name,
            parties: vec![party("MAR", "Maroc"), party("MLI", "Mali")],
            languages: vec![Lang::Ar, Lang::Fr],
            founded: None,
            purpose: None,
        };
        let meta = log.meta();
        log.state.apply_change(&meta, Change::Genesis(Box::new(charter)));
        log
    }

    fn meta(&mut self) -> Meta {
        self.n += 1;
        Meta {
            id: format!("{:064x}", self.n),
            lamport: self.n as i64,
            party: "MAR".into(),
            member: None,
            at: format!("2025-01-{:02}T08:30:00Z", self.n),
        }
    }

    /// Runs a command; the id of the record it created.
    fn run(&mut self, command: Command) -> String {
        let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
        let mut last = String::new();
        for emit in decide(&self.state, &actor, &command).unwrap() {
            let meta = self.meta();
            self.state.apply(&meta, &emit.kind, &emit.body).unwrap();
            last = meta.id;
        }
        last
    }
}

fn venue(city: &str, zone: &str) -> Venue {
    Venue {
        name: T::tri("", "Ministère de la Défense", "Ministry of Defence"),
        city: T::tri("", city, city),
        zone: zone.into(),
    }
}

fn mission(title: T, purpose: Option<T>, start: Date, end: Date, programme: Vec<ProgrammeItem>) -> Command {
    Command::ScheduleMission(Mission {
        title,
        visiting: PartyCode::parse("MAR").unwrap(),
        host: PartyCode::parse("MLI").unwrap(),
        venue: venue("Bamako", "Africa/Bamako"),
        start,
        end,
        head: None,
        purpose,
        programme,
        illustrative: false,
    })
}

fn session(number: i64, fr: &str, city: &str, zone: &str, day: Date, opens: Option<Time>) -> Command {
    Command::ConveneSession(Session {
        number,
        title: T::tri("", fr, ""),
        host: PartyCode::parse(if zone == "Africa/Bamako" { "MLI" } else { "MAR" }).unwrap(),
        venue: venue(city, zone),
        start: day,
        end: day.tomorrow().unwrap(),
        opens_at: opens,
        agenda: vec![T::tri("", "Revue; suivi, et \\ divers", "")],
        minutes: None,
        expected_outcome: None,
        working_groups: vec![],
        mission: None,
        illustrative: false,
    })
}

/// 500 characters of Arabic and French with `é`, `📌`, and the TEXT specials `, ; \` and a newline.
fn c06_description() -> String {
    let mut text = String::from(
        "📌 الهدف: تعزيز التعاون العسكري الثنائي، وخاصة تدريب الأفراد؛ Objectif : échanges d'expérience, \\ formation\n",
    );
    let filler = "Délégation é 📌 وفد عسكري رفيع المستوى ";
    while text.chars().count() < 500 {
        text.push_str(filler);
    }
    // Text is trimmed at the door (domain `text.rs`): end on a full stop, not on a space, so
    // the stored text is exactly these 500 characters.
    let mut text = text.chars().take(499).collect::<String>().trim_end().to_string();
    while text.chars().count() < 500 {
        text.push('.');
    }
    text
}

/// The fixture: the C05 mission, the C06 mission, and three sessions with an opening time.
/// Returns the state and the ids (c05 mission, c06 mission, casablanca-before, casablanca-ramadan, bamako).
fn fixture() -> (State, [String; 5]) {
    let mut log = Log::new(T::tri("اللجنة العسكرية المشتركة", "Commission mixte, Maroc; Mali", ""));
    let c05 = log.run(mission(
        T::tri("", "Mission d'experts à Bamako", "Experts' mission to Bamako"),
        None,
        date(2025, 11, 18),
        date(2025, 11, 20),
        vec![
            ProgrammeItem {
                date: date(2025, 11, 18),
                start: None,
                end: None,
                title: T::tri("", "Accueil", ""),
                place: None,
                illustrative: false,
            },
            ProgrammeItem {
                date: date(2025, 11, 19),
                start: Some(time(9, 0, 0, 0)),
                end: Some(time(13, 0, 0, 0)),
                title: T::tri("", "Séances de travail", ""),
                place: None,
                illustrative: false,
            },
        ],
    ));
    let c06 = log.run(mission(
        T::tri(C06_SUMMARY, "Troisième session", ""),
        Some(T::tri(&c06_description(), "", "")),
        date(2026, 1, 12),
        date(2026, 1, 12),
        vec![],
    ));
    let before = log.run(session(
        3,
        "Session de Rabat",
        "Rabat",
        "Africa/Casablanca",
        date(2025, 2, 20),
        Some(time(10, 0, 0, 0)),
    ));
    let ramadan = log.run(session(
        4,
        "Session de Casablanca",
        "Casablanca",
        "Africa/Casablanca",
        date(2025, 3, 10),
        Some(time(10, 0, 0, 0)),
    ));
    let bamako =
        log.run(session(5, "Session de Bamako", "Bamako", "Africa/Bamako", date(2025, 6, 12), Some(time(9, 30, 0, 0))));
    (log.state, [c05, c06, before, ramadan, bamako])
}

/// Unfolds content lines (RFC 5545 §3.1): CRLF followed by one space or tab is removed.
fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "").replace("\r\n\t", "")
}

/// The unfolded lines of the event with `uid`.
fn event_lines(ics: &str, uid: &str) -> Vec<String> {
    let unfolded = unfold(ics);
    let events: Vec<&str> = unfolded.split("BEGIN:VEVENT\r\n").skip(1).collect();
    let event = events.iter().find(|e| e.contains(&format!("\r\nUID:{uid}\r\n"))).unwrap_or_else(|| panic!("no {uid}"));
    event.split("\r\n").take_while(|l| *l != "END:VEVENT").map(String::from).collect()
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn c05_an_all_day_mission_has_exclusive_civil_dates() {
    let (state, [c05, ..]) = fixture();
    let ics = committee_calendar(&state, Lang::Fr);
    let lines = event_lines(&ics, &format!("{c05}@lajna"));
    assert!(lines.contains(&"DTSTART;VALUE=DATE:20251118".to_string()), "{lines:?}");
    assert!(lines.contains(&"DTEND;VALUE=DATE:20251121".to_string()), "{lines:?}");
    assert!(lines.contains(&"DTSTAMP:20250102T083000Z".to_string()), "DTSTAMP is the record's last change: {lines:?}");
    // The timed programme item: 09:00–13:00 in Bamako (UTC+0) is 09:00Z–13:00Z, its own UID.
    let item = event_lines(&ics, &format!("{c05}-programme-2@lajna"));
    assert!(item.contains(&"DTSTART:20251119T090000Z".to_string()), "{item:?}");
    assert!(item.contains(&"DTEND:20251119T130000Z".to_string()), "{item:?}");
    assert!(item.contains(&"SUMMARY;LANGUAGE=fr:Séances de travail".to_string()), "{item:?}");
    // The untimed item is no event of its own; it is listed in the mission's description.
    assert!(!ics.contains(&format!("{c05}-programme-1@lajna")));
    assert!(unfold(&ics).contains(r"- 2025-11-18 — Accueil\n- 2025-11-19 09:00–13:00 — Séances de travail"));
    assert!(!ics.contains("TZID"), "no TZID without its VTIMEZONE: every time is UTC");
}

/// Run by `c05_the_output_is_byte_identical_whatever_the_process_tz` in a child process with
/// another `TZ`; does nothing when run on its own.
#[test]
#[ignore = "child of the C05 test"]
fn c05_child_writes_the_calendar() {
    if let Ok(path) = std::env::var("LAJNA_C05_OUT") {
        let (state, _) = fixture();
        std::fs::write(path, committee_calendar(&state, Lang::Ar)).unwrap();
    }
}

#[test]
fn c05_the_output_is_byte_identical_whatever_the_process_tz() {
    let (state, [c05, ..]) = fixture();
    let expected = committee_calendar(&state, Lang::Ar);
    assert!(event_lines(&expected, &format!("{c05}@lajna")).contains(&"DTEND;VALUE=DATE:20251121".to_string()));
    let dir = tempfile::tempdir().unwrap();
    for tz in ["America/New_York", "UTC", "Africa/Casablanca", "Asia/Tokyo"] {
        let out = dir.path().join(tz.replace('/', "-"));
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "c05_child_writes_the_calendar", "--ignored", "--test-threads=1", "--quiet"])
            .env("TZ", tz)
            .env("LAJNA_C05_OUT", &out)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "child under TZ={tz}");
        let got = std::fs::read_to_string(&out).unwrap();
        assert_eq!(got.as_bytes(), expected.as_bytes(), "TZ={tz}");
        assert!(got.contains("\r\nDTEND;VALUE=DATE:20251121\r\n"), "TZ={tz}");
        assert!(got.contains("\r\nDTSTART;VALUE=DATE:20251118\r\n"), "TZ={tz}");
    }
}

#[test]
fn c06_lines_are_folded_at_75_octets_on_character_boundaries_and_unfold_to_the_exact_text() {
    let (state, [_, c06, ..]) = fixture();
    let ics = committee_calendar(&state, Lang::Ar);
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    let bytes = ics.as_bytes();
    for line in bytes[..bytes.len() - 1].split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").expect("every line ends with CRLF");
        assert!(line.len() <= 75, "{} octets: {:?}", line.len(), String::from_utf8_lossy(line));
        assert!(!line.contains(&b'\r'), "a bare CR");
        // Each physical line is valid UTF-8 by itself: no fold inside a character.
        std::str::from_utf8(line).unwrap_or_else(|e| panic!("fold inside a UTF-8 sequence: {e}"));
        // A line starts a property (a name) or continues one (the fold's single space, which
        // unfolding removes; a second space would be content).
        assert!(line.first().is_some_and(|b| *b == b' ' || b.is_ascii_uppercase()), "{line:?}");
    }
    // The summary's physical lines, as written: 75 octets (20 of name, 55 of Arabic letters and
    // spaces), then one space and the rest.
    let start = ics.find("SUMMARY;LANGUAGE=ar:").unwrap();
    let physical: Vec<&str> = ics[start..].split("\r\n").take(3).collect();
    assert_eq!(physical[0], "SUMMARY;LANGUAGE=ar:اجتماع اللجنة العسكرية المشتر");
    assert_eq!(physical[0].len(), 75);
    assert_eq!(physical[1], " كة المغربية المالية - الدورة الثالثة");
    assert!(physical[2].starts_with("TRANSP:"), "{physical:?}");

    let lines = event_lines(&ics, &format!("{c06}@lajna"));
    let value = |key: &str| {
        let line = lines.iter().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("no {key}"));
        unescape(line.split_once(':').unwrap().1)
    };
    assert_eq!(value("SUMMARY;LANGUAGE=ar:"), C06_SUMMARY);
    let description = value("DESCRIPTION;LANGUAGE=ar:");
    assert!(description.starts_with(&format!("{}\n", c06_description())), "{description}");
    assert_eq!(c06_description().chars().count(), 500);
}

#[test]
fn text_values_escape_commas_semicolons_backslashes_and_newlines() {
    let mut log = Log::new(T::tri("", "Commission mixte, Maroc; Mali \\ 2025", ""));
    let id = log.run(mission(
        T::tri("", "Réunion, phase 1; lot \\ 2\r\nsuite\u{7}", ""),
        None,
        date(2025, 5, 5),
        date(2025, 5, 6),
        vec![],
    ));
    let ics = committee_calendar(&log.state, Lang::Fr);
    let lines = event_lines(&ics, &format!("{id}@lajna"));
    assert!(lines.contains(&r"SUMMARY;LANGUAGE=fr:Réunion\, phase 1\; lot \\ 2\nsuite".to_string()), "{lines:?}");
    assert!(lines.contains(&r"LOCATION;LANGUAGE=fr:Ministère de la Défense\, Bamako (Africa/Bamako)".to_string()));
    assert!(unfold(&ics).contains("\r\nX-WR-CALNAME:Commission mixte\\, Maroc\\; Mali \\\\ 2025\r\n"), "{ics}");
    assert!(unfold(&ics).contains("\r\nNAME:Commission mixte\\, Maroc\\; Mali \\\\ 2025\r\n"));
    // English asked, no English title: the French one, marked as French.
    let en = committee_calendar(&log.state, Lang::En);
    assert!(unfold(&en).contains(r"SUMMARY;LANGUAGE=fr:Réunion\, phase 1"), "{en}");
    assert!(unfold(&en).contains("DESCRIPTION;LANGUAGE=en:Delegation: MAR → MLI\\nVenue time zone: Africa/Bamako"));
}

#[test]
fn sessions_open_at_venue_time_in_utc_and_run_to_the_end_of_their_last_day() {
    let (state, [_, _, before, ramadan, bamako]) = fixture();
    let ics = committee_calendar(&state, Lang::Fr);
    let check = |id: &str, start: &str, end: &str| {
        let lines = event_lines(&ics, &format!("{id}@lajna"));
        assert!(lines.contains(&format!("DTSTART:{start}")), "{lines:?}");
        assert!(lines.contains(&format!("DTEND:{end}")), "{lines:?}");
        lines
    };
    // Casablanca is +01 before Ramadan 2025, +00 from 2025-02-23 to 2025-04-06 (bundled tzdb).
    let lines = check(&before, "20250220T090000Z", "20250221T230000Z");
    assert!(
        lines.iter().any(|l| l.contains(r"Séance d'ouverture (heure locale): 2025-02-20 10:00 (Africa/Casablanca)"))
    );
    assert!(lines.contains(&r"LOCATION;LANGUAGE=fr:Ministère de la Défense\, Rabat (Africa/Casablanca)".to_string()));
    assert!(lines.iter().any(|l| l.contains(r"1. Revue\; suivi\, et \\ divers")), "{lines:?}");
    check(&ramadan, "20250310T100000Z", "20250312T000000Z");
    check(&bamako, "20250612T093000Z", "20250614T000000Z");
}

#[test]
fn python_icalendar_reads_the_same_events_and_utc_instants() {
    let python = "/usr/bin/python3";
    let (state, [c05, c06, before, ramadan, bamako]) = fixture();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lajna.ics");
    std::fs::write(&file, committee_calendar(&state, Lang::Ar)).unwrap();
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for e in cal.walk('VEVENT'):
    s = e.decoded('DTSTART')
    end = e.decoded('DTEND') if 'DTEND' in e else None
    z = lambda d: d.isoformat() if d is None or not hasattr(d, 'utcoffset') or d.utcoffset() is None else d.astimezone(__import__('datetime').timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    print('\t'.join([str(e['UID']), z(s), z(end) if end else '-', str(e['SUMMARY']).replace('\n', '|')]))
"#;
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{python}: {e} (scripts/test installs python3-icalendar)"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let row = |uid: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.starts_with(&format!("{uid}@lajna\t")))
            .unwrap_or_else(|| panic!("python did not see {uid}: {text}"))
            .split('\t')
            .map(String::from)
            .collect()
    };
    assert_eq!(row(&c05)[1..3], ["2025-11-18", "2025-11-21"]);
    assert_eq!(row(&c06)[3], C06_SUMMARY);
    // 10:00 in Casablanca: 09:00Z before Ramadan (+01), 10:00Z during it (+00); Bamako is +00.
    assert_eq!(row(&before)[1..3], ["2025-02-20T09:00:00Z", "2025-02-21T23:00:00Z"]);
    assert_eq!(row(&ramadan)[1..3], ["2025-03-10T10:00:00Z", "2025-03-12T00:00:00Z"]);
    assert_eq!(row(&bamako)[1..3], ["2025-06-12T09:30:00Z", "2025-06-14T00:00:00Z"]);
    assert_eq!(row(&format!("{c05}-programme-2"))[1..3], ["2025-11-19T09:00:00Z", "2025-11-19T13:00:00Z"]);
    assert_eq!(text.lines().count(), 6, "{text}");
}
