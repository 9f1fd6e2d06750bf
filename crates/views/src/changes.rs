//! "What changed since" (DESIGN.md §8; issue 13 item 6): two states of the record — folded from
//! the log at two moments ([`lajna_door::Door::read_as_of`]) — compared: actions created, done,
//! cancelled and slipped (due date moved later), progress per area, decisions adopted, needs
//! and offers opened or closed. Pure: the same two states give the same answer.

use std::collections::BTreeMap;

use jiff::civil::Date;
use lajna_domain::records::{Action, Area, Decision, Need, Offer};
use lajna_domain::values::{NeedStatus, OfferStatus};
use lajna_domain::{ActionStatus, Lang, RecordKind, State, adoption, summary};

use crate::{ActionRow, Txt, action_row, typed};

/// An action whose due date moved later: its row (as of the later moment) and the two dates.
#[derive(Clone, Debug)]
pub struct Slipped {
    /// The action as it is at the later moment.
    pub row: ActionRow,
    /// Due date before, ISO 8601.
    pub was: String,
    /// Due date after, ISO 8601.
    pub now: String,
}

/// The progress of one area at both moments, percent.
#[derive(Clone, Debug)]
pub struct AreaChange {
    /// Area title.
    pub title: Txt,
    /// Progress at the earlier moment.
    pub before: u8,
    /// Progress at the later moment.
    pub after: u8,
}

/// Everything that changed between two moments.
#[derive(Clone, Debug)]
pub struct Changes {
    /// The earlier moment, ISO 8601 date.
    pub from: String,
    /// The later moment.
    pub to: String,
    /// Actions that did not exist at the earlier moment.
    pub created: Vec<ActionRow>,
    /// Actions done at the later moment and not at the earlier one.
    pub done: Vec<ActionRow>,
    /// Actions cancelled at the later moment and not at the earlier one.
    pub cancelled: Vec<ActionRow>,
    /// Actions whose due date moved later.
    pub slipped: Vec<Slipped>,
    /// Each area's progress at both moments (areas of the later moment, by display order).
    pub areas: Vec<AreaChange>,
    /// Decisions adopted (both co-chairs on the current version) at the later moment and not
    /// at the earlier: (reference, text).
    pub decisions: Vec<(String, Txt)>,
    /// Needs that did not exist at the earlier moment.
    pub needs_opened: Vec<Txt>,
    /// Needs met or withdrawn since.
    pub needs_closed: Vec<Txt>,
    /// Offers that did not exist at the earlier moment.
    pub offers_opened: Vec<Txt>,
    /// Offers delivered or declined since.
    pub offers_closed: Vec<Txt>,
}

impl Changes {
    /// Whether nothing changed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.created.is_empty()
            && self.done.is_empty()
            && self.cancelled.is_empty()
            && self.slipped.is_empty()
            && self.areas.iter().all(|a| a.before == a.after)
            && self.decisions.is_empty()
            && self.needs_opened.is_empty()
            && self.needs_closed.is_empty()
            && self.offers_opened.is_empty()
            && self.offers_closed.is_empty()
    }
}

/// The two dates of the query (`from`, `to`: `dd/mm/yyyy` or ISO 8601); by default the end of the last session
/// held before `today`, and `today`. A date that does not read is the default; a `to` after
/// `today` is today, and `from` is never after `to`.
#[must_use]
pub fn period(s: &State, q: &[(String, String)], today: Date) -> (Date, Date) {
    let date = |name: &str| crate::roadmap::param(q, name).and_then(lajna_domain::day::parse_day);
    let last_session = s
        .all::<lajna_domain::records::Session>(RecordKind::Session)
        .into_iter()
        .map(|(_, x)| x.end)
        .filter(|end| *end < today)
        .max();
    let to = date("to").unwrap_or(today).min(today);
    let from = date("from").or(last_session).unwrap_or(to).min(to);
    (from, to)
}

/// The last instant of civil date `d` in UTC: "as of a date" counts that whole day.
#[must_use]
pub fn end_of_day(d: Date) -> jiff::Timestamp {
    d.tomorrow()
        .ok()
        .and_then(|t| jiff::tz::TimeZone::UTC.to_timestamp(t.to_datetime(jiff::civil::Time::midnight())).ok())
        .map_or(jiff::Timestamp::MAX, |t| t - jiff::SignedDuration::from_nanos(1))
}

fn by_due(mut rows: Vec<ActionRow>) -> Vec<ActionRow> {
    rows.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
    rows
}

/// Ids of the records of `kind` in `s` that are adopted (endorsed by every party's co-chair on
/// their current version).
fn adopted(s: &State, kind: RecordKind) -> Vec<String> {
    let parties: Vec<String> =
        s.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default();
    s.entries()
        .filter(|(_, e)| e.kind == kind)
        .filter(|(id, e)| adoption(&e.doc(id), &parties).adopted)
        .map(|(id, _)| id.clone())
        .collect()
}

/// What changed from `before` (the record at `from`) to `after` (at `to`), in `lang`. "Overdue"
/// figures of each side are taken at its own date.
#[must_use]
pub fn what_changed(before: &State, after: &State, from: Date, to: Date, lang: Lang) -> Changes {
    let old: BTreeMap<String, Action> = before.all::<Action>(RecordKind::Action).into_iter().collect();
    let new = after.all::<Action>(RecordKind::Action);
    let row = |id: &str, a: &Action| action_row(id, a, lang, to);
    let became = |status: ActionStatus| -> Vec<ActionRow> {
        by_due(
            new.iter()
                .filter(|(id, a)| a.status == status && old.get(id).is_none_or(|o| o.status != status))
                .map(|(id, a)| row(id, a))
                .collect(),
        )
    };
    let mut slipped: Vec<Slipped> = new
        .iter()
        .filter_map(|(id, a)| {
            let o = old.get(id)?;
            (a.due > o.due).then(|| Slipped { row: row(id, a), was: o.due.to_string(), now: a.due.to_string() })
        })
        .collect();
    slipped.sort_by(|a, b| a.row.due.cmp(&b.row.due).then_with(|| a.row.id.cmp(&b.row.id)));

    let mut areas: Vec<(String, Area)> = after.all::<Area>(RecordKind::Area);
    areas.sort_by(|(ia, a), (ib, b)| a.ordinal.cmp(&b.ordinal).then_with(|| ia.cmp(ib)));
    let ids: Vec<String> = areas.iter().map(|(id, _)| id.clone()).collect();
    let old_actions: Vec<(String, Action)> = old.iter().map(|(id, a)| (id.clone(), a.clone())).collect();
    let progress_before = summary::area_progress(&ids, &old_actions, from);
    let progress_after = summary::area_progress(&ids, &new, to);

    let was_adopted = adopted(before, RecordKind::Decision);
    let references = lajna_domain::reference::decision_references(after);
    let decisions = adopted(after, RecordKind::Decision)
        .into_iter()
        .filter(|id| !was_adopted.contains(id))
        .filter_map(|id| {
            let d = after.get::<Decision>(RecordKind::Decision, &id)?;
            Some((references.get(&id).cloned().unwrap_or(id), Txt::of(&d.text, lang)))
        })
        .collect();

    let needs_before: BTreeMap<String, Need> = before.all::<Need>(RecordKind::Need).into_iter().collect();
    let needs_after = typed::<Need>(after, RecordKind::Need);
    let closed_need = |s: NeedStatus| matches!(s, NeedStatus::Met | NeedStatus::Withdrawn);
    let offers_before: BTreeMap<String, Offer> = before.all::<Offer>(RecordKind::Offer).into_iter().collect();
    let offers_after = typed::<Offer>(after, RecordKind::Offer);
    let closed_offer = |s: OfferStatus| matches!(s, OfferStatus::Delivered | OfferStatus::Declined);

    Changes {
        from: from.to_string(),
        to: to.to_string(),
        // A map lookup: a list search here made the comparison quadratic (13 s at 50,000 actions).
        created: by_due(new.iter().filter(|(id, _)| !old.contains_key(id)).map(|(id, a)| row(id, a)).collect()),
        done: became(ActionStatus::Done),
        cancelled: became(ActionStatus::Cancelled),
        slipped,
        areas: areas
            .iter()
            .zip(progress_before.iter().zip(&progress_after))
            .map(|((_, area), (b, a))| AreaChange {
                title: Txt::of(&area.title, lang),
                before: b.progress,
                after: a.progress,
            })
            .collect(),
        decisions,
        needs_opened: needs_after
            .iter()
            .filter(|(id, _, _)| !needs_before.contains_key(id))
            .map(|(_, n, _)| Txt::of(&n.title, lang))
            .collect(),
        needs_closed: needs_after
            .iter()
            .filter(|(id, n, _)| closed_need(n.status) && needs_before.get(id).is_none_or(|o| !closed_need(o.status)))
            .map(|(_, n, _)| Txt::of(&n.title, lang))
            .collect(),
        offers_opened: offers_after
            .iter()
            .filter(|(id, _, _)| !offers_before.contains_key(id))
            .map(|(_, o, _)| Txt::of(&o.title, lang))
            .collect(),
        offers_closed: offers_after
            .iter()
            .filter(|(id, o, _)| {
                closed_offer(o.status) && offers_before.get(id).is_none_or(|x| !closed_offer(x.status))
            })
            .map(|(_, o, _)| Txt::of(&o.title, lang))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use lajna_door::history::{LoggedEvent, fold};

    use super::*;

    /// The store's log fixture (signed events with fixed ids), in arrival order.
    fn fixture() -> Vec<LoggedEvent> {
        include_str!("../../store/tests/fixtures/demo-log.jsonl")
            .lines()
            .map(|line| {
                let line: serde_json::Value = serde_json::from_str(line).unwrap();
                let envelope = line["envelope"].as_str().unwrap();
                LoggedEvent::parse(&blake3::hash(envelope.as_bytes()).to_hex(), envelope).unwrap()
            })
            .collect()
    }

    /// Before the fixture's last progress report (event 47) and after all of it. Expected by
    /// hand from the fixture's bodies: the field hospital ("Déployer un hôpital de campagne")
    /// goes from cancelled, due 2025-10-31, in the logistics area, to in progress at 40 %,
    /// due 2026-06-30, weight 3, in the equipment area. Equipment: (100 + 30 + 10) / 3 = 46.67
    /// → 47 before, (100 + 30 + 10 + 3 × 40) / 6 = 43.33 → 43 after; logistics: (45 + 20) / 2
    /// = 32.5 → 33 on both sides (a cancelled action does not count); the others unchanged.
    #[test]
    fn what_changed_between_two_moments_of_the_fixture_is_as_computed_by_hand() {
        let log = fixture();
        let (before, after) = (fold(&log[..47]), fold(&log));
        let day = jiff::civil::date(2025, 6, 15);
        let c = what_changed(&before, &after, day, day, Lang::Fr);
        assert!(c.created.is_empty() && c.done.is_empty() && c.cancelled.is_empty());
        assert_eq!(c.slipped.len(), 1);
        let s = &c.slipped[0];
        assert_eq!(
            (s.row.title.text.as_str(), s.was.as_str(), s.now.as_str(), s.row.status, s.row.progress),
            ("Déployer un hôpital de campagne", "2025-10-31", "2026-06-30", "in_progress", 40)
        );
        let areas: Vec<(&str, u8, u8)> = c.areas.iter().map(|a| (a.title.text.as_str(), a.before, a.after)).collect();
        assert_eq!(
            areas,
            [
                ("Formation du personnel militaire", 53, 53),
                ("Équipements adaptés aux besoins des FAMa", 47, 43),
                ("Soutien logistique", 33, 33),
                ("Échange d'expertise sur les stratégies contre les menaces sécuritaires régionales", 50, 50),
                ("Coopération en matière de renseignement", 35, 35),
            ]
        );
        assert!(c.decisions.is_empty() && c.needs_opened.is_empty() && c.offers_closed.is_empty());
        assert!(!c.is_empty());
        assert!(what_changed(&after, &after, day, day, Lang::Fr).is_empty());
    }

    /// From nothing to the whole fixture: every action is created; the decisions both parties
    /// endorsed are adopted; every need and offer is opened.
    #[test]
    fn from_an_empty_record_everything_is_new() {
        let log = fixture();
        let (before, after) = (fold(&log[..0]), fold(&log));
        let day = jiff::civil::date(2025, 6, 15);
        let c = what_changed(&before, &after, day, day, Lang::Fr);
        assert_eq!(c.created.len(), after.all::<Action>(RecordKind::Action).len());
        assert_eq!(c.created.len(), 13);
        assert_eq!(c.done.len(), 3, "three actions are done in the fixture");
        assert_eq!(c.needs_opened.len(), after.all::<Need>(RecordKind::Need).len());
        assert!(c.slipped.is_empty());
    }
}
