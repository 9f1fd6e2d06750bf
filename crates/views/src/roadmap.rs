//! Read models of the roadmap (the follow-up matrix: actions grouped by cooperation area, with
//! filters, sorting and pagination), needs and offers, training programmes, and the rows of the
//! record (event log) page. Pure functions of a reader's snapshot, the query string and today.
//!
//! A filter value that names nothing known (a party not in the committee, an unknown status or
//! area) is ignored rather than refused, so an old link still opens.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::civil::Date;
use lajna_domain::records::{Action, Area, Need, Offer, Roadmap, Training};
use lajna_domain::values::Category;
use lajna_domain::{ActionStatus, Lang, RecordKind, State, adoption, summary};
use lajna_door::StoredEvent;
use lajna_door::record::{EventCheck, LogKind, Verification, VisibleEvents};
use lajna_i18n::{Arg, Tr};

use crate::{ActionRow, Txt, action_row, typed};

/// Actions per roadmap page.
pub const ACTIONS_PER_PAGE: usize = 50;
/// Events per record page.
pub const EVENTS_PER_PAGE: usize = 100;

/// The last non-empty value of `name` in the query string (for a repeated name, the last
/// non-empty value wins; an empty value means "all").
#[must_use]
pub fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().rev().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim())
}

/// The `page` of the query string, from 1 (1 when absent or unreadable).
#[must_use]
pub fn page_param(q: &[(String, String)]) -> usize {
    param(q, "page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1)
}

/// Number of pages for `total` items, `per` to a page (at least one page, even when empty).
#[must_use]
pub fn page_count(total: usize, per: usize) -> usize {
    total.div_ceil(per.max(1)).max(1)
}

/// "Page n of m" in the reader's language.
#[must_use]
pub fn page_of(tr: Tr<'_>, page: usize, pages: usize) -> String {
    let num = |n: usize| Arg::Num(i64::try_from(n).unwrap_or(i64::MAX));
    tr.catalog.get(tr.lang, "roadmap-page-of", &[("page", num(page)), ("pages", num(pages))])
}

fn parties(s: &State) -> Vec<String> {
    s.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default()
}

/// How the roadmap's actions are ordered inside each area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// By due date (the default).
    #[default]
    Due,
    /// By progress.
    Progress,
    /// By status, in the order of [`ActionStatus::ALL`].
    Status,
    /// By title, as shown in the page's language.
    Title,
}

impl Sort {
    /// Every sort, in the order of the form.
    pub const ALL: [Sort; 4] = [Sort::Due, Sort::Progress, Sort::Status, Sort::Title];

    /// The query-string code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Sort::Due => "due",
            Sort::Progress => "progress",
            Sort::Status => "status",
            Sort::Title => "title",
        }
    }

    /// Parses a query-string code.
    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The roadmap's filters, sort and page, from the query string. Empty strings mean "all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Owner party code.
    pub party: String,
    /// Status code.
    pub status: String,
    /// Area id.
    pub area: String,
    /// Only overdue actions.
    pub overdue: bool,
    /// Order inside each area.
    pub sort: Sort,
    /// Descending.
    pub desc: bool,
    /// Page, from 1.
    pub page: usize,
}

impl Filter {
    /// Reads the query string, keeping only values that name a known party, status or area.
    #[must_use]
    pub fn parse(q: &[(String, String)], parties: &[String], areas: &[String]) -> Self {
        let party = param(q, "party").map(str::to_ascii_uppercase).filter(|p| parties.contains(p)).unwrap_or_default();
        let status = param(q, "status").and_then(|s| ActionStatus::parse(s).ok()).map(|s| s.code().to_string());
        let area = param(q, "area").filter(|a| areas.iter().any(|x| x == a)).map(String::from);
        Self {
            party,
            status: status.unwrap_or_default(),
            area: area.unwrap_or_default(),
            overdue: matches!(param(q, "overdue"), Some("1" | "true" | "on")),
            sort: param(q, "sort").and_then(Sort::parse).unwrap_or_default(),
            desc: param(q, "dir") == Some("desc"),
            page: page_param(q),
        }
    }

    /// The query string (without `?`) for these filters on `page`; default values are left
    /// out. Every value is a validated code, so nothing needs escaping.
    #[must_use]
    pub fn query(&self, page: usize) -> String {
        let mut parts = Vec::new();
        for (name, value) in [("party", &self.party), ("status", &self.status), ("area", &self.area)] {
            if !value.is_empty() {
                parts.push(format!("{name}={value}"));
            }
        }
        if self.overdue {
            parts.push("overdue=1".into());
        }
        if self.sort != Sort::Due {
            parts.push(format!("sort={}", self.sort.code()));
        }
        if self.desc {
            parts.push("dir=desc".into());
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        parts.join("&")
    }

    /// Whether the action `a` passes the filters on `today`.
    #[must_use]
    pub fn keeps(&self, a: &Action, today: jiff::civil::Date) -> bool {
        (self.party.is_empty() || a.owner.as_str() == self.party)
            && (self.status.is_empty() || a.status.code() == self.status)
            && (self.area.is_empty() || a.area == self.area)
            && (!self.overdue || summary::is_overdue(a, today))
    }
}

fn status_rank(s: ActionStatus) -> usize {
    ActionStatus::ALL.iter().position(|x| *x == s).unwrap_or(usize::MAX)
}

/// One roadmap row: the action's figures and whether the viewer may update it here.
#[derive(Clone, Debug)]
pub struct Row {
    /// Figures.
    pub r: ActionRow,
    /// The viewer may report status and progress.
    pub can_update: bool,
}

/// The rows of one area on the current page.
#[derive(Clone, Debug)]
pub struct Group {
    /// Area title.
    pub title: Txt,
    /// Rows, in the chosen order.
    pub rows: Vec<Row>,
}

/// A roadmap's heading.
#[derive(Clone, Debug)]
pub struct RoadmapHead {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Txt,
    /// Period start, ISO.
    pub start: String,
    /// Period end, ISO.
    pub end: String,
    /// Endorsed by both parties' co-chairs on the current version.
    pub adopted: bool,
    /// Parties still to endorse, joined.
    pub awaiting: String,
    /// Example data.
    pub illustrative: bool,
}

/// Everything the roadmap page shows but its links and chart.
#[derive(Clone, Debug)]
pub struct RoadmapView {
    /// The roadmaps' headings, newest first.
    pub roadmaps: Vec<RoadmapHead>,
    /// The areas of this page, each with its rows in the chosen order.
    pub groups: Vec<Group>,
    /// The viewer may update at least one row shown.
    pub any_update: bool,
    /// The filters as read (unknown values dropped), with the page clamped to the last.
    pub filter: Filter,
    /// The committee's party codes.
    pub parties: Vec<String>,
    /// Areas for the filter: (id, title), by ordinal.
    pub areas: Vec<(String, Txt)>,
    /// Actions matching the filters (all pages).
    pub total: usize,
    /// Pages.
    pub pages: usize,
}

/// The roadmap of `s` for query `q` on `today`, in `tr`'s language. `can_update` says whether
/// the viewer may report on an action: it is asked only for the rows shown (at most
/// [`ACTIONS_PER_PAGE`]).
#[must_use]
pub fn roadmap(
    s: &State,
    q: &[(String, String)],
    tr: Tr<'_>,
    today: Date,
    can_update: impl Fn(&str) -> bool,
) -> RoadmapView {
    let lang = tr.lang;
    let parties = parties(s);
    let mut roadmaps: Vec<(Roadmap, RoadmapHead)> = typed::<Roadmap>(s, RecordKind::Roadmap)
        .into_iter()
        .map(|(id, r, doc)| {
            let a = adoption(&doc, &parties);
            let head = RoadmapHead {
                id,
                title: Txt::of(&r.title, lang),
                start: r.start.to_string(),
                end: r.end.to_string(),
                adopted: a.adopted,
                awaiting: a.awaiting.join(", "),
                illustrative: r.illustrative,
            };
            (r, head)
        })
        .collect();
    roadmaps.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));

    let mut areas: Vec<(String, Area)> = s.all::<Area>(RecordKind::Area);
    areas.sort_by(|(ia, a), (ib, b)| a.ordinal.cmp(&b.ordinal).then_with(|| ia.cmp(ib)));
    let area_ids: Vec<String> = areas.iter().map(|(id, _)| id.clone()).collect();
    let mut filter = Filter::parse(q, &parties, &area_ids);

    // Order: area (by ordinal; an action whose area is unknown comes last), then the chosen
    // key (reversed for `dir=desc`), then due date, then id, so the order is total and stable
    // across pages. Titles are lower-cased only when they are the key.
    let position: BTreeMap<&str, usize> = area_ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    // The typed actions are computed once per snapshot (`State::actions`); a page filters and
    // sorts references to them and reads only the rows it shows.
    let all = s.actions();
    let mut actions: Vec<(usize, String, &str, &Action)> = all
        .iter()
        .filter(|(_, a)| filter.keeps(a, today))
        .map(|(id, a)| {
            let pos = position.get(a.area.as_str()).copied().unwrap_or(usize::MAX);
            let key = if filter.sort == Sort::Title { a.title.show(lang).to_lowercase() } else { String::new() };
            (pos, key, id.as_str(), a)
        })
        .collect();
    actions.sort_by(|(pa, ta, ia, a), (pb, tb, ib, b)| {
        let key = match filter.sort {
            Sort::Due => a.due.cmp(&b.due),
            Sort::Progress => a.progress.cmp(&b.progress),
            Sort::Status => status_rank(a.status).cmp(&status_rank(b.status)),
            Sort::Title => ta.cmp(tb),
        };
        let key = if filter.desc { key.reverse() } else { key };
        pa.cmp(pb)
            .then(key)
            .then_with(|| if filter.sort == Sort::Due { Ordering::Equal } else { a.due.cmp(&b.due) })
            .then_with(|| ia.cmp(ib))
    });

    let total = actions.len();
    let pages = page_count(total, ACTIONS_PER_PAGE);
    filter.page = filter.page.min(pages);
    let mut any_update = false;
    let mut groups: Vec<(usize, Group)> = Vec::new();
    for (pos, _, id, a) in actions.into_iter().skip((filter.page - 1) * ACTIONS_PER_PAGE).take(ACTIONS_PER_PAGE) {
        let row = Row { can_update: can_update(id), r: action_row(id, a, lang, today) };
        any_update |= row.can_update;
        match groups.last_mut() {
            Some((p, g)) if *p == pos => g.rows.push(row),
            _ => {
                let title = match areas.get(pos) {
                    Some((_, area)) => Txt::of(&area.title, lang),
                    None => Txt { lang: "", dir: "auto", text: tr.t("area") },
                };
                groups.push((pos, Group { title, rows: vec![row] }));
            }
        }
    }
    RoadmapView {
        roadmaps: roadmaps.into_iter().map(|(_, h)| h).collect(),
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        any_update,
        filter,
        parties,
        areas: areas.iter().map(|(id, a)| (id.clone(), Txt::of(&a.title, lang))).collect(),
        total,
        pages,
    }
}

// ---------------------------------------------------------------------------------------------
// Needs and offers

/// A need row.
#[derive(Clone, Debug)]
pub struct NeedRow {
    /// Requesting party.
    pub party: String,
    /// Title.
    pub title: Txt,
    /// Category code.
    pub category: &'static str,
    /// Quantity.
    pub quantity: i64,
    /// Unit.
    pub unit: Txt,
    /// Priority code.
    pub priority: &'static str,
    /// Status code.
    pub status: &'static str,
    /// The action that fulfils it: (id, title).
    pub action: Option<(String, Txt)>,
    /// Example data.
    pub illustrative: bool,
}

/// An offer row.
#[derive(Clone, Debug)]
pub struct OfferRow {
    /// Offering party.
    pub party: String,
    /// Title.
    pub title: Txt,
    /// Category code.
    pub category: &'static str,
    /// Quantity.
    pub quantity: i64,
    /// Unit.
    pub unit: Txt,
    /// Status code.
    pub status: &'static str,
    /// The need it answers (title).
    pub need: Option<Txt>,
    /// The action of that need: (id, title).
    pub action: Option<(String, Txt)>,
    /// Example data.
    pub illustrative: bool,
}

/// The needs and offers page: rows, and the filters as read.
#[derive(Clone, Debug)]
pub struct NeedsView {
    /// Needs, by party, priority, title.
    pub needs: Vec<NeedRow>,
    /// Offers, by party, title.
    pub offers: Vec<OfferRow>,
    /// The committee's party codes.
    pub parties: Vec<String>,
    /// Party filter (empty: all).
    pub party: String,
    /// Category filter code (empty: all).
    pub category: String,
}

fn action_titles(s: &State, lang: Lang) -> BTreeMap<String, Txt> {
    s.all::<Action>(RecordKind::Action).into_iter().map(|(id, a)| (id, Txt::of(&a.title, lang))).collect()
}

fn priority_rank(code: &str) -> usize {
    lajna_domain::values::Priority::ALL.iter().position(|p| p.code() == code).unwrap_or(usize::MAX)
}

/// Needs and offers of `s` for query `q` (`party`, `category`), in `lang`.
#[must_use]
pub fn needs(s: &State, q: &[(String, String)], lang: Lang) -> NeedsView {
    let parties = parties(s);
    let party = param(q, "party").map(str::to_ascii_uppercase).filter(|p| parties.contains(p)).unwrap_or_default();
    let category =
        param(q, "category").and_then(|c| Category::parse(c).ok()).map(|c| c.code().to_string()).unwrap_or_default();
    let keep = |p: &str, c: Category| (party.is_empty() || p == party) && (category.is_empty() || c.code() == category);
    let actions = action_titles(s, lang);
    let link = |id: Option<&String>| id.and_then(|id| actions.get(id).map(|t| (id.clone(), t.clone())));

    let all_needs = s.all::<Need>(RecordKind::Need);
    let need_of: BTreeMap<&String, &Need> = all_needs.iter().map(|(id, n)| (id, n)).collect();
    let mut needs: Vec<NeedRow> = all_needs
        .iter()
        .filter(|(_, n)| keep(n.party.as_str(), n.category))
        .map(|(_, n)| NeedRow {
            party: n.party.to_string(),
            title: Txt::of(&n.title, lang),
            category: n.category.code(),
            quantity: n.quantity,
            unit: Txt::of(&n.unit, lang),
            priority: n.priority.code(),
            status: n.status.code(),
            action: link(n.action.as_ref()),
            illustrative: n.illustrative,
        })
        .collect();
    needs.sort_by(|a, b| {
        a.party
            .cmp(&b.party)
            .then_with(|| priority_rank(a.priority).cmp(&priority_rank(b.priority)))
            .then_with(|| a.title.text.cmp(&b.title.text))
    });
    let mut offers: Vec<OfferRow> = s
        .all::<Offer>(RecordKind::Offer)
        .into_iter()
        .filter(|(_, o)| keep(o.party.as_str(), o.category))
        .map(|(_, o)| {
            let need = o.need.as_ref().and_then(|id| need_of.get(id));
            OfferRow {
                party: o.party.to_string(),
                title: Txt::of(&o.title, lang),
                category: o.category.code(),
                quantity: o.quantity,
                unit: Txt::of(&o.unit, lang),
                status: o.status.code(),
                need: need.map(|n| Txt::of(&n.title, lang)),
                action: need.and_then(|n| link(n.action.as_ref())),
                illustrative: o.illustrative,
            }
        })
        .collect();
    offers.sort_by(|a, b| a.party.cmp(&b.party).then_with(|| a.title.text.cmp(&b.title.text)));
    NeedsView { needs, offers, parties, party, category }
}

// ---------------------------------------------------------------------------------------------
// Training

/// A training programme row.
#[derive(Clone, Debug)]
pub struct TrainingRow {
    /// Host party.
    pub host: String,
    /// Host institution.
    pub institution: Txt,
    /// Course.
    pub course: Txt,
    /// Seats filled.
    pub filled: i64,
    /// Seats offered.
    pub offered: i64,
    /// Start, ISO.
    pub start: String,
    /// End, ISO.
    pub end: String,
    /// The action it serves: (id, title).
    pub action: Option<(String, Txt)>,
    /// Example data.
    pub illustrative: bool,
}

/// The training programmes of `s`, by start date, in `lang`.
#[must_use]
pub fn training(s: &State, lang: Lang) -> Vec<TrainingRow> {
    let actions = action_titles(s, lang);
    let mut programmes = s.all::<Training>(RecordKind::Training);
    programmes.sort_by(|(ia, a), (ib, b)| a.start.cmp(&b.start).then_with(|| ia.cmp(ib)));
    programmes
        .into_iter()
        .map(|(_, t)| TrainingRow {
            host: t.host.to_string(),
            institution: Txt::of(&t.institution, lang),
            course: Txt::of(&t.course, lang),
            filled: t.seats_filled,
            offered: t.seats_offered,
            start: t.start.to_string(),
            end: t.end.to_string(),
            action: t.action.as_ref().and_then(|id| actions.get(id).map(|x| (id.clone(), x.clone()))),
            illustrative: t.illustrative,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Record

/// What the node's last full verification (kept, see [`lajna_door::record`]) says of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Checked and sound by the last full verification.
    Verified,
    /// Stored since the last full verification started: checked on the way in.
    OnReceipt,
    /// The first bad event.
    Failed,
    /// After the bad event: verification stopped before it.
    NotChecked,
}

impl Check {
    /// CSS class suffix.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Check::Verified => "verified",
            Check::OnReceipt => "on-receipt",
            Check::Failed => "failed",
            Check::NotChecked => "not-checked",
        }
    }
}

impl From<EventCheck> for Check {
    fn from(c: EventCheck) -> Self {
        match c {
            EventCheck::Verified => Check::Verified,
            EventCheck::OnReceipt => Check::OnReceipt,
            EventCheck::Failed => Check::Failed,
            EventCheck::NotChecked => Check::NotChecked,
        }
    }
}

/// One event of the record page.
#[derive(Clone, Debug)]
pub struct EventRow {
    /// Local sequence number (in its log).
    pub seq: i64,
    /// Lamport clock.
    pub lamport: i64,
    /// Author time, RFC 3339 UTC.
    pub at: String,
    /// Author party.
    pub party: String,
    /// Event kind.
    pub kind: String,
    /// The kind's label in the page's language (empty when the catalogue has none).
    pub label: String,
    /// Full id (hex).
    pub id: String,
    /// First 12 hex digits of the id.
    pub short: String,
    /// Verification state.
    pub check: Check,
    /// Why it failed (only for [`Check::Failed`]).
    pub reason: String,
}

/// The row of event `e` with its verification state, in `tr`'s language.
#[must_use]
pub fn event_row(tr: Tr<'_>, e: StoredEvent, check: Check, verification: &Verification) -> EventRow {
    let key = format!("event-{}", e.kind.replace('.', "-"));
    let label = tr.t(&key);
    let reason = match (&verification.problem, check) {
        (Some((_, why)), Check::Failed) => why.clone(),
        _ => String::new(),
    };
    EventRow {
        label: if label == key { String::new() } else { label },
        seq: e.seq,
        lamport: e.lamport,
        at: e.at,
        party: e.party,
        kind: e.kind,
        short: e.id.chars().take(12).collect(),
        id: e.id,
        reason,
        check,
    }
}

/// Which events of the record page `page` shows: newest first, [`EVENTS_PER_PAGE`] to a page
/// of the shared log; the newest of the private log on the first page only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordWindow {
    /// Page, from 1, clamped to the last.
    pub page: usize,
    /// Pages.
    pub pages: usize,
    shared: (usize, usize),
    private: (usize, usize),
}

impl RecordWindow {
    /// The window of page `page` over `visible`.
    #[must_use]
    pub fn of(visible: &VisibleEvents, page: usize) -> Self {
        let total = visible.shared.len();
        let pages = page_count(total, EVENTS_PER_PAGE);
        let page = page.clamp(1, pages);
        let shared = (total.saturating_sub(page * EVENTS_PER_PAGE), total.saturating_sub((page - 1) * EVENTS_PER_PAGE));
        let n = visible.private.len();
        let private = if page == 1 { (n.saturating_sub(EVENTS_PER_PAGE), n) } else { (n, n) };
        Self { page, pages, shared, private }
    }

    /// The sequence numbers of the shared events shown, ascending.
    #[must_use]
    pub fn shared<'v>(&self, visible: &'v VisibleEvents) -> &'v [i64] {
        &visible.shared[self.shared.0..self.shared.1]
    }

    /// The sequence numbers of the private events shown, ascending.
    #[must_use]
    pub fn private<'v>(&self, visible: &'v VisibleEvents) -> &'v [i64] {
        &visible.private[self.private.0..self.private.1]
    }
}

/// The record (event log) page: the events of one window with their verification state.
#[derive(Clone, Debug)]
pub struct RecordView {
    /// Shared events of this page, newest first.
    pub events: Vec<EventRow>,
    /// Shared events this viewer may see.
    pub count: i64,
    /// When the last full verification ran (RFC 3339 UTC) and how many events it checked.
    pub checked_at: String,
    /// Events the last full verification checked.
    pub checked_events: i64,
    /// Events this viewer may see stored since the last full verification started.
    pub since: i64,
    /// The last full verification found every event sound and the projections matching.
    pub ok: bool,
    /// The first bad event, described.
    pub problem: Option<String>,
    /// The fresh fold's hash, when it differed from the stored projections'.
    pub mismatch: Option<String>,
    /// The viewer's party's private-log events, newest first (first page only).
    pub private: Vec<EventRow>,
    /// How many private events the viewer may see in all.
    pub private_count: i64,
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The record page of `visible` given the kept `verification` and the events of the window
/// (`shared` and `private`, ascending, as read for [`RecordWindow::shared`] and
/// [`RecordWindow::private`]), in `tr`'s language.
#[must_use]
pub fn record(
    tr: Tr<'_>,
    verification: &Verification,
    visible: &VisibleEvents,
    shared: Vec<StoredEvent>,
    private: Vec<StoredEvent>,
) -> RecordView {
    let rows = |log: LogKind, events: Vec<StoredEvent>| -> Vec<EventRow> {
        let row = |e: StoredEvent| {
            let check = verification.check_of(log, e.seq).into();
            event_row(tr, e, check, verification)
        };
        events.into_iter().rev().map(row).collect()
    };
    let since = visible.shared.iter().filter(|s| **s > verification.shared_seq).count()
        + visible.private.iter().filter(|s| **s > verification.private_seq).count();
    let problem = verification.problem.as_ref().map(|(id, why)| {
        tr.catalog.get(tr.lang, "record-problem", &[("id", Arg::Text(id.clone())), ("reason", Arg::Text(why.clone()))])
    });
    RecordView {
        events: rows(LogKind::Shared, shared),
        count: to_i64(visible.shared.len()),
        checked_at: verification.at.clone(),
        checked_events: to_i64(verification.events),
        since: to_i64(since),
        ok: verification.ok(),
        problem,
        mismatch: (verification.rebuilt_hash != verification.stored_hash).then(|| verification.rebuilt_hash.clone()),
        private: rows(LogKind::Private, private),
        private_count: to_i64(visible.private.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
    }

    #[test]
    fn page_count_is_at_least_one() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_count(100, 50), 2);
    }

    #[test]
    fn unknown_filter_values_are_ignored_and_the_query_round_trips() {
        let parties = vec!["MAR".to_string(), "MLI".to_string()];
        let areas = vec!["a1".to_string()];
        let f = Filter::parse(
            &q(&[
                ("party", "mli"),
                ("status", "done"),
                ("area", "a1"),
                ("overdue", "1"),
                ("sort", "title"),
                ("dir", "desc"),
                ("page", "3"),
            ]),
            &parties,
            &areas,
        );
        assert_eq!(f.query(f.page), "party=MLI&status=done&area=a1&overdue=1&sort=title&dir=desc&page=3");
        let g = Filter::parse(
            &q(&[("party", "FRA"), ("status", "finished"), ("area", "zz"), ("page", "x")]),
            &parties,
            &areas,
        );
        assert_eq!(g, Filter { page: 1, ..Filter::default() });
        assert_eq!(g.query(1), "");
        // For a repeated name the last non-empty value wins.
        let h = Filter::parse(&q(&[("party", "MAR"), ("party", "")]), &parties, &areas);
        assert_eq!(h.party, "MAR");
    }
}
