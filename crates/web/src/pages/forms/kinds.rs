//! One form per record type: how a stored record fills the form ([`FormKind::fill`]), which
//! inputs the form has ([`FormKind::layout`]) and — in one place per type — how the submitted
//! fields become the domain record ([`FormKind::read`]), with every parse error kept per field.
//! The domain's own rules (references, ranges, dates) run afterwards, in `decide`.

use jiff::civil::Date;
use lajna_domain::records::*;
use lajna_domain::values::{Category, MemberRole, NeedStatus, OfferStatus, Priority, check_zone};
use lajna_domain::{ActionStatus, Command, DomainError, Lang, RecordKind};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::form::{Builder, Errors, FormData, Reader, clean, show_time};

/// Values a new form starts with.
#[derive(Clone, Debug)]
pub struct Defaults {
    /// The user's party.
    pub party: String,
    /// The other party.
    pub other: String,
    /// The page's language.
    pub lang: Lang,
    /// The next free session number.
    pub next_number: i64,
    /// The next area display order.
    pub next_ordinal: i64,
    /// The decision a new action carries out (`?decision=ID`), with the decision's area.
    pub decision: Option<(String, Option<String>)>,
}

/// A record type with a create and edit form.
pub trait FormKind: Validate + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Puts the stored record's values in the form's inputs.
    fn fill(&self, f: &mut FormData);
    /// Starting values of a new form.
    fn defaults(f: &mut FormData, d: &Defaults);
    /// The form's inputs.
    fn layout(b: &mut Builder<'_>);
    /// The record the form describes. `old` is the stored record when editing.
    ///
    /// # Errors
    /// Every input that does not parse, with its name.
    fn read(form: &FormData, old: Option<&Self>) -> Result<Self, Errors>;
    /// The command that creates the record.
    fn create(self) -> Command;
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| code(*t)).collect()
}

fn date_s(d: Date) -> String {
    d.to_string()
}

/// The period of missions, sessions, roadmaps and training: `start` and `end`.
fn period_fill(f: &mut FormData, start: Date, end: Date) {
    f.set("start", date_s(start));
    f.set("end", date_s(end));
}

fn period_layout(b: &mut Builder<'_>) {
    b.date("start", "start", true);
    b.date("end", "forms-end", true);
}

/// Both dates of a period, with an `end` before `start` refused.
fn period_read(r: &mut Reader<'_>) -> (Option<Date>, Option<Date>) {
    let (start, end) = (r.date("start"), r.date("end"));
    r.order("end", start, end, date_s);
    (start, end)
}

fn venue_fill(f: &mut FormData, v: &Venue) {
    f.text("venue.name", &v.name);
    f.text("venue.city", &v.city);
    f.set("zone", v.zone.clone());
}

fn venue_layout(b: &mut Builder<'_>) {
    b.langs("venue.name", "forms-venue-name", false);
    b.langs("venue.city", "forms-city", true);
    b.zone("zone");
}

fn venue_read(r: &mut Reader<'_>) -> Option<Venue> {
    let name = r.any_text("venue.name");
    let city = r.text("venue.city");
    let zone = r.string("zone").and_then(|z| match check_zone(&z) {
        Ok(()) => Some(z),
        Err(e) => {
            r.fail("zone", e);
            None
        }
    });
    Some(Venue { name, city: city?, zone: zone? })
}

impl FormKind for Member {
    fn fill(&self, f: &mut FormData) {
        f.set("party", self.party.to_string());
        f.set("role", self.role.code());
        f.text("name", &self.name);
        f.opt_text("rank", self.rank.as_ref());
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("party", d.party.clone());
        f.preset("role", MemberRole::Expert.code());
    }

    fn layout(b: &mut Builder<'_>) {
        b.party("party", "party");
        let roles: Vec<(String, String)> = MemberRole::ALL
            .iter()
            .map(|r| {
                let key = match r {
                    MemberRole::CoChair => "role-co-chair",
                    MemberRole::Secretary => "role-secretary",
                    MemberRole::Expert => "forms-role-expert",
                    MemberRole::Observer => "forms-role-observer",
                };
                (r.code().to_string(), b.tr().t(key))
            })
            .collect();
        b.select("role", "forms-role", roles, true);
        b.langs("name", "forms-name", true);
        b.langs("rank", "forms-rank", false);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let party = r.party("party");
        let role = r.choice("role", MemberRole::parse);
        let name = r.text("name");
        let rank = r.opt_text("rank");
        let illustrative = r.flag("illustrative");
        r.finish(|| Some(Member { party: party?, role: role?, name: name?, rank, illustrative }))
    }

    fn create(self) -> Command {
        Command::RegisterMember(self)
    }
}

impl FormKind for Area {
    fn fill(&self, f: &mut FormData) {
        f.set("code", self.code.clone());
        f.text("title", &self.title);
        f.set("ordinal", self.ordinal.to_string());
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("ordinal", d.next_ordinal.to_string());
    }

    fn layout(b: &mut Builder<'_>) {
        b.text("code", "forms-code", true);
        b.langs("title", "title", true);
        b.number("ordinal", "forms-ordinal", true);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let code = r.string("code");
        let title = r.text("title");
        let ordinal = r.int("ordinal");
        let illustrative = r.flag("illustrative");
        r.finish(|| Some(Area { code: code?, title: title?, ordinal: ordinal?, illustrative }))
    }

    fn create(self) -> Command {
        Command::DefineArea(self)
    }
}

impl FormKind for Mission {
    fn fill(&self, f: &mut FormData) {
        f.text("title", &self.title);
        f.set("visiting", self.visiting.to_string());
        f.set("host", self.host.to_string());
        venue_fill(f, &self.venue);
        period_fill(f, self.start, self.end);
        f.set("head", self.head.clone().unwrap_or_default());
        f.opt_text("purpose", self.purpose.as_ref());
        for (i, item) in self.programme.iter().enumerate() {
            let p = format!("programme.{i}");
            f.set(format!("{p}.date"), date_s(item.date));
            f.set(format!("{p}.start"), item.start.map(show_time).unwrap_or_default());
            f.set(format!("{p}.end"), item.end.map(show_time).unwrap_or_default());
            f.text(&format!("{p}.title"), &item.title);
            f.opt_text(&format!("{p}.place"), item.place.as_ref());
            f.flag(&format!("{p}.illustrative"), item.illustrative);
        }
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("visiting", d.party.clone());
        f.preset("host", d.other.clone());
    }

    fn layout(b: &mut Builder<'_>) {
        b.langs("title", "title", true);
        b.party("visiting", "visiting-party");
        b.party("host", "host-party");
        venue_layout(b);
        period_layout(b);
        b.reference("head", "head-of-delegation", RecordKind::Member, false);
        b.langs_long("purpose", "purpose", false);
        let zone = b.form().get("zone").to_string();
        b.rows("programme", "programme", 3, |b, p| {
            b.date(&format!("{p}.date"), "forms-date", false);
            b.time(&format!("{p}.start"), "forms-start-time", &zone);
            b.time(&format!("{p}.end"), "forms-end-time", &zone);
            b.langs(&format!("{p}.title"), "title", false);
            b.langs(&format!("{p}.place"), "forms-place", false);
            b.check(&format!("{p}.illustrative"), "forms-illustrative");
        });
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let title = r.text("title");
        let visiting = r.party("visiting");
        let host = r.party("host");
        let venue = venue_read(&mut r);
        let (start, end) = period_read(&mut r);
        let head = r.opt_id("head");
        let purpose = r.opt_text("purpose");
        let mut programme = vec![];
        for p in form.filled_rows("programme") {
            let date = r.date(&format!("{p}.date"));
            let from = r.opt_time(&format!("{p}.start"));
            let to = r.opt_time(&format!("{p}.end"));
            r.order(&format!("{p}.end"), from, to, show_time);
            if let (Some(d), Some(s), Some(e)) = (date, start, end)
                && (d < s || d > e)
            {
                let e = DomainError::OutsideDates { date: d.to_string(), start: s.to_string(), end: e.to_string() };
                r.fail(&format!("{p}.date"), e);
            }
            let item_title = r.text(&format!("{p}.title"));
            let place = r.opt_text(&format!("{p}.place"));
            let illustrative = r.flag(&format!("{p}.illustrative"));
            if let (Some(date), Some(title)) = (date, item_title) {
                programme.push(ProgrammeItem { date, start: from, end: to, title, place, illustrative });
            }
        }
        let illustrative = r.flag("illustrative");
        r.finish(|| {
            Some(Mission {
                title: title?,
                visiting: visiting?,
                host: host?,
                venue: venue?,
                start: start?,
                end: end?,
                head,
                purpose,
                programme,
                illustrative,
            })
        })
    }

    fn create(self) -> Command {
        Command::ScheduleMission(self)
    }
}

impl FormKind for Session {
    fn fill(&self, f: &mut FormData) {
        f.set("number", self.number.to_string());
        f.text("title", &self.title);
        f.set("host", self.host.to_string());
        venue_fill(f, &self.venue);
        period_fill(f, self.start, self.end);
        f.set("opens_at", self.opens_at.map(show_time).unwrap_or_default());
        for (i, item) in self.agenda.iter().enumerate() {
            f.text(&format!("agenda.{i}"), item);
        }
        f.opt_text("minutes", self.minutes.as_ref());
        f.opt_text("expected_outcome", self.expected_outcome.as_ref());
        for (i, g) in self.working_groups.iter().enumerate() {
            f.text(&format!("working_groups.{i}.title"), &g.title);
            for a in &g.areas {
                f.set(format!("working_groups.{i}.areas"), a.clone());
            }
        }
        f.set("mission", self.mission.clone().unwrap_or_default());
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("number", d.next_number.to_string());
        f.preset("host", d.party.clone());
    }

    fn layout(b: &mut Builder<'_>) {
        b.number("number", "forms-number", true);
        b.langs("title", "title", true);
        b.party("host", "host-party");
        venue_layout(b);
        period_layout(b);
        let zone = b.form().get("zone").to_string();
        b.time("opens_at", "forms-start-time", &zone);
        b.rows("agenda", "agenda", 3, |b, p| b.langs(p, "forms-agenda-item", false));
        b.langs_long("minutes", "forms-minutes", false);
        b.langs_long("expected_outcome", "expected-outcome", false);
        b.rows("working_groups", "forms-working-groups", 2, |b, p| {
            b.langs(&format!("{p}.title"), "title", false);
            b.references(&format!("{p}.areas"), "areas", RecordKind::Area);
        });
        b.reference("mission", "mission", RecordKind::Mission, false);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let number = r.int("number");
        let title = r.text("title");
        let host = r.party("host");
        let venue = venue_read(&mut r);
        let (start, end) = period_read(&mut r);
        let opens_at = r.opt_time("opens_at");
        let mut agenda = vec![];
        for i in 0..form.rows("agenda") {
            let p = format!("agenda.{i}");
            if let Some(t) = r.opt_text(&p) {
                agenda.push(t);
            }
        }
        let minutes = r.opt_text("minutes");
        let expected_outcome = r.opt_text("expected_outcome");
        let mut working_groups = vec![];
        for p in form.filled_rows("working_groups") {
            let areas = r.ids(&format!("{p}.areas"));
            if let Some(title) = r.text(&format!("{p}.title")) {
                working_groups.push(WorkingGroup { title, areas });
            }
        }
        let mission = r.opt_id("mission");
        let illustrative = r.flag("illustrative");
        r.finish(|| {
            Some(Session {
                number: number?,
                title: title?,
                host: host?,
                venue: venue?,
                start: start?,
                end: end?,
                opens_at,
                agenda,
                minutes,
                expected_outcome,
                working_groups,
                mission,
                illustrative,
            })
        })
    }

    fn create(self) -> Command {
        Command::ConveneSession(self)
    }
}

impl FormKind for Decision {
    fn fill(&self, f: &mut FormData) {
        f.set("session", self.session.clone());
        f.set("area", self.area.clone().unwrap_or_default());
        f.text("text", &self.text);
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(_f: &mut FormData, _d: &Defaults) {}

    fn layout(b: &mut Builder<'_>) {
        b.reference("session", "forms-session", RecordKind::Session, true);
        b.reference("area", "area", RecordKind::Area, false);
        b.langs_long("text", "forms-text", true);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let session = r.id("session");
        let area = r.opt_id("area");
        let text = r.text("text");
        let illustrative = r.flag("illustrative");
        r.finish(|| Some(Decision { session: session?, area, text: text?, illustrative }))
    }

    fn create(self) -> Command {
        Command::RecordDecision(self)
    }
}

impl FormKind for Communique {
    fn fill(&self, f: &mut FormData) {
        f.set("party", self.party.to_string());
        f.text("issuer", &self.issuer);
        f.set("date", self.date.map(date_s).unwrap_or_default());
        f.text("title", &self.title);
        f.text("text", &self.text);
        for (i, q) in self.quotes.iter().enumerate() {
            f.set(format!("quotes.{i}.speaker"), q.speaker.clone().unwrap_or_default());
            f.text(&format!("quotes.{i}.text"), &q.text);
        }
        f.set("mission", self.mission.clone().unwrap_or_default());
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("party", d.party.clone());
    }

    fn layout(b: &mut Builder<'_>) {
        b.party("party", "party");
        b.langs("issuer", "forms-issuer", true);
        b.date("date", "forms-date", false);
        b.langs("title", "title", true);
        b.langs_long("text", "forms-text", true);
        b.rows("quotes", "forms-quotes", 2, |b, p| {
            b.reference(&format!("{p}.speaker"), "forms-speaker", RecordKind::Member, false);
            b.langs_long(&format!("{p}.text"), "quoted-statement", false);
        });
        b.reference("mission", "mission", RecordKind::Mission, false);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let party = r.party("party");
        let issuer = r.text("issuer");
        let date = r.opt_date("date");
        let title = r.text("title");
        let text = r.text("text");
        let mut quotes = vec![];
        for p in form.filled_rows("quotes") {
            let speaker = r.opt_id(&format!("{p}.speaker"));
            if let Some(text) = r.text(&format!("{p}.text")) {
                quotes.push(Quote { speaker, text });
            }
        }
        let mission = r.opt_id("mission");
        let illustrative = r.flag("illustrative");
        r.finish(|| {
            Some(Communique {
                party: party?,
                issuer: issuer?,
                date,
                title: title?,
                text: text?,
                quotes,
                mission,
                illustrative,
            })
        })
    }

    fn create(self) -> Command {
        Command::IssueCommunique(self)
    }
}

impl FormKind for PressDocument {
    fn fill(&self, f: &mut FormData) {
        f.text("publisher", &self.publisher);
        f.set("language", self.language.code());
        f.set("title", self.title.clone());
        f.set("text", self.text.clone());
        f.set("mission", self.mission.clone().unwrap_or_default());
        f.set("communique", self.communique.clone().unwrap_or_default());
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("language", d.lang.code());
    }

    fn layout(b: &mut Builder<'_>) {
        b.langs("publisher", "publisher", true);
        let langs = vec![
            ("ar".to_string(), "العربية".to_string()),
            ("fr".to_string(), "Français".to_string()),
            ("en".to_string(), "English".to_string()),
        ];
        b.select("language", "forms-language", langs, true);
        b.text("title", "forms-headline", true);
        b.exact("text", "forms-exact-text");
        b.reference("mission", "mission", RecordKind::Mission, false);
        b.reference("communique", "forms-communique", RecordKind::Communique, false);
        b.check("illustrative", "forms-illustrative");
    }

    /// The text is kept as typed (only line ends are normalised, as browsers send CRLF); when it
    /// reads the same as the archived text, the archived bytes are kept. Its BLAKE3 is computed
    /// here, on the node.
    fn read(form: &FormData, old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let publisher = r.text("publisher");
        let language = r.choice("language", Lang::parse);
        let title = clean(form.get("title"));
        if title.trim().is_empty() {
            r.fail("title", DomainError::EmptyText { field: "title".into() });
        }
        let mut text = clean(form.get("text"));
        if text.trim().is_empty() {
            r.fail("text", DomainError::EmptyText { field: "text".into() });
        }
        if let Some(old) = old
            && clean(&old.text) == text
        {
            text.clone_from(&old.text);
        }
        let text_blake3 = blake3::hash(text.as_bytes()).to_hex().to_string();
        let mission = r.opt_id("mission");
        let communique = r.opt_id("communique");
        let illustrative = r.flag("illustrative");
        r.finish(|| {
            Some(PressDocument {
                publisher: publisher?,
                language: language?,
                title,
                text,
                text_blake3,
                mission,
                communique,
                illustrative,
            })
        })
    }

    fn create(self) -> Command {
        Command::ArchivePress(self)
    }
}

impl FormKind for Roadmap {
    fn fill(&self, f: &mut FormData) {
        f.text("title", &self.title);
        f.set("session", self.session.clone().unwrap_or_default());
        period_fill(f, self.start, self.end);
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(_f: &mut FormData, _d: &Defaults) {}

    fn layout(b: &mut Builder<'_>) {
        b.langs("title", "title", true);
        b.reference("session", "forms-session", RecordKind::Session, false);
        period_layout(b);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let title = r.text("title");
        let session = r.opt_id("session");
        let (start, end) = period_read(&mut r);
        let illustrative = r.flag("illustrative");
        r.finish(|| Some(Roadmap { title: title?, session, start: start?, end: end?, illustrative }))
    }

    fn create(self) -> Command {
        Command::DraftRoadmap(self)
    }
}

impl FormKind for Action {
    fn fill(&self, f: &mut FormData) {
        f.set("roadmap", self.roadmap.clone());
        f.set("area", self.area.clone());
        f.text("title", &self.title);
        f.set("owner", self.owner.to_string());
        f.text("unit", &self.unit);
        f.set("lead", self.lead.clone().unwrap_or_default());
        f.set("start", date_s(self.start));
        f.set("due", date_s(self.due));
        f.set("status", self.status.code());
        f.set("progress", self.progress.percent().to_string());
        f.set("weight", self.weight.map(|w| w.to_string()).unwrap_or_default());
        f.set("decision", self.decision.clone().unwrap_or_default());
        f.opt_text("reason", self.reason.as_ref());
        if let Some(i) = &self.indicator {
            f.text("indicator.unit", &i.unit);
            f.set("indicator.baseline", i.baseline.to_string());
            f.set("indicator.target", i.target.to_string());
            f.set("indicator.current", i.current.to_string());
        }
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("owner", d.party.clone());
        f.preset("status", ActionStatus::Planned.code());
        f.preset("progress", "0");
        if let Some((decision, area)) = &d.decision {
            f.preset("decision", decision.clone());
            if let Some(area) = area {
                f.preset("area", area.clone());
            }
        }
    }

    fn layout(b: &mut Builder<'_>) {
        b.reference("roadmap", "roadmap", RecordKind::Roadmap, true);
        b.reference("area", "area", RecordKind::Area, true);
        b.langs("title", "title", true);
        b.party("owner", "owner");
        b.langs("unit", "unit", true);
        b.reference("lead", "lead", RecordKind::Member, false);
        b.reference("decision", "cycle-decision", RecordKind::Decision, false);
        b.date("start", "start", true);
        b.date("due", "due", true);
        b.codes("status", "status", &codes(ActionStatus::ALL, ActionStatus::code), "status-");
        b.number("progress", "forms-progress", true);
        b.langs_long("reason", "cycle-reason", false);
        b.number("weight", "weight", false);
        b.langs("indicator.unit", "forms-indicator-unit", false);
        b.number("indicator.baseline", "forms-baseline", false);
        b.number("indicator.target", "forms-target", false);
        b.number("indicator.current", "forms-current", false);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let roadmap = r.id("roadmap");
        let area = r.id("area");
        let title = r.text("title");
        let owner = r.party("owner");
        let unit = r.text("unit");
        let lead = r.opt_id("lead");
        let decision = r.opt_id("decision");
        let reason = r.opt_text("reason");
        let start = r.date("start");
        let due = r.date("due");
        r.order("due", start, due, date_s);
        let status = r.choice("status", ActionStatus::parse);
        let progress = r.progress("progress");
        let weight = r.opt_int("weight");
        // An indicator is optional; once any of its inputs is filled, all are needed.
        let indicator = if form.blank_row("indicator") {
            None
        } else {
            let unit = r.text("indicator.unit");
            let baseline = r.int("indicator.baseline");
            let target = r.int("indicator.target");
            let current = r.int("indicator.current");
            match (unit, baseline, target, current) {
                (Some(unit), Some(baseline), Some(target), Some(current)) => {
                    Some(Indicator { unit, baseline, target, current })
                }
                _ => None,
            }
        };
        let illustrative = r.flag("illustrative");
        r.finish(|| {
            Some(Action {
                roadmap: roadmap?,
                area: area?,
                title: title?,
                owner: owner?,
                unit: unit?,
                lead,
                start: start?,
                due: due?,
                status: status?,
                progress: progress?,
                weight,
                indicator,
                decision,
                reason,
                illustrative,
            })
        })
    }

    fn create(self) -> Command {
        Command::PlanAction(self)
    }
}

impl FormKind for Need {
    fn fill(&self, f: &mut FormData) {
        f.set("party", self.party.to_string());
        f.set("category", self.category.code());
        f.text("title", &self.title);
        f.set("quantity", self.quantity.to_string());
        f.text("unit", &self.unit);
        f.set("priority", self.priority.code());
        f.set("status", self.status.code());
        f.set("area", self.area.clone().unwrap_or_default());
        f.set("action", self.action.clone().unwrap_or_default());
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("party", d.party.clone());
        f.preset("priority", Priority::Medium.code());
        f.preset("status", NeedStatus::Open.code());
    }

    fn layout(b: &mut Builder<'_>) {
        b.party("party", "party");
        b.codes("category", "forms-category", &codes(Category::ALL, Category::code), "category-");
        b.langs("title", "title", true);
        b.number("quantity", "quantity", true);
        b.langs("unit", "forms-quantity-unit", true);
        b.codes("priority", "priority", &codes(Priority::ALL, Priority::code), "priority-");
        b.codes("status", "status", &codes(NeedStatus::ALL, NeedStatus::code), "need-status-");
        b.reference("area", "area", RecordKind::Area, false);
        b.reference("action", "forms-action", RecordKind::Action, false);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let party = r.party("party");
        let category = r.choice("category", Category::parse);
        let title = r.text("title");
        let quantity = r.int("quantity");
        let unit = r.text("unit");
        let priority = r.choice("priority", Priority::parse);
        let status = r.choice("status", NeedStatus::parse);
        let area = r.opt_id("area");
        let action = r.opt_id("action");
        let illustrative = r.flag("illustrative");
        r.finish(|| {
            Some(Need {
                party: party?,
                category: category?,
                title: title?,
                quantity: quantity?,
                unit: unit?,
                priority: priority?,
                status: status?,
                area,
                action,
                illustrative,
            })
        })
    }

    fn create(self) -> Command {
        Command::RegisterNeed(self)
    }
}

impl FormKind for Offer {
    fn fill(&self, f: &mut FormData) {
        f.set("party", self.party.to_string());
        f.set("category", self.category.code());
        f.text("title", &self.title);
        f.set("quantity", self.quantity.to_string());
        f.text("unit", &self.unit);
        f.set("status", self.status.code());
        f.set("need", self.need.clone().unwrap_or_default());
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("party", d.party.clone());
        f.preset("status", OfferStatus::Proposed.code());
    }

    fn layout(b: &mut Builder<'_>) {
        b.party("party", "party");
        b.codes("category", "forms-category", &codes(Category::ALL, Category::code), "category-");
        b.langs("title", "title", true);
        b.number("quantity", "quantity", true);
        b.langs("unit", "forms-quantity-unit", true);
        b.codes("status", "status", &codes(OfferStatus::ALL, OfferStatus::code), "offer-status-");
        b.reference("need", "forms-need", RecordKind::Need, false);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let party = r.party("party");
        let category = r.choice("category", Category::parse);
        let title = r.text("title");
        let quantity = r.int("quantity");
        let unit = r.text("unit");
        let status = r.choice("status", OfferStatus::parse);
        let need = r.opt_id("need");
        let illustrative = r.flag("illustrative");
        r.finish(|| {
            Some(Offer {
                party: party?,
                category: category?,
                title: title?,
                quantity: quantity?,
                unit: unit?,
                status: status?,
                need,
                illustrative,
            })
        })
    }

    fn create(self) -> Command {
        Command::MakeOffer(self)
    }
}

impl FormKind for Training {
    fn fill(&self, f: &mut FormData) {
        f.set("host", self.host.to_string());
        f.text("institution", &self.institution);
        f.text("course", &self.course);
        f.set("area", self.area.clone().unwrap_or_default());
        f.set("seats_offered", self.seats_offered.to_string());
        f.set("seats_filled", self.seats_filled.to_string());
        period_fill(f, self.start, self.end);
        f.set("action", self.action.clone().unwrap_or_default());
        f.flag("illustrative", self.illustrative);
    }

    fn defaults(f: &mut FormData, d: &Defaults) {
        f.preset("host", d.party.clone());
        f.preset("seats_filled", "0");
    }

    fn layout(b: &mut Builder<'_>) {
        b.party("host", "host-party");
        b.langs("institution", "institution", true);
        b.langs("course", "course", true);
        b.reference("area", "area", RecordKind::Area, false);
        b.number("seats_offered", "forms-seats-offered", true);
        b.number("seats_filled", "forms-seats-filled", true);
        period_layout(b);
        b.reference("action", "forms-action", RecordKind::Action, false);
        b.check("illustrative", "forms-illustrative");
    }

    fn read(form: &FormData, _old: Option<&Self>) -> Result<Self, Errors> {
        let mut r = Reader::new(form);
        let host = r.party("host");
        let institution = r.text("institution");
        let course = r.text("course");
        let area = r.opt_id("area");
        let seats_offered = r.int("seats_offered");
        let seats_filled = r.int("seats_filled");
        let (start, end) = period_read(&mut r);
        let action = r.opt_id("action");
        let illustrative = r.flag("illustrative");
        r.finish(|| {
            Some(Training {
                host: host?,
                institution: institution?,
                course: course?,
                area,
                seats_offered: seats_offered?,
                seats_filled: seats_filled?,
                start: start?,
                end: end?,
                action,
                illustrative,
            })
        })
    }

    fn create(self) -> Command {
        Command::ScheduleTraining(self)
    }
}
