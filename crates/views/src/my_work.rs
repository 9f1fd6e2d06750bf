//! "My work" (issue 14 item 1): what a signed-in person has to do, from the reader's snapshot —
//! the open actions they lead (the action's lead is a member; a user may be linked to one),
//! their party's open actions awaiting an update (overdue, or due within the "due soon"
//! window), and what awaits their endorsement (co-chairs: the rule of the `endorse` trigger,
//! [`lajna_door::notify::awaiting_endorsement`], so the page and the reminders agree).

use jiff::civil::Date;
use lajna_domain::{LocalizedText, RecordKind, State};
use lajna_door::auth::{Role, User};
use lajna_door::notify::{Triggers, awaiting_endorsement};

use crate::{ActionRow, Tr, Txt, action_row, record_path};

/// One thing awaiting the reader's endorsement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndorseRow {
    /// What it is, in the reader's language ("Decision", "Minutes of the session"…).
    pub what: String,
    /// Its title (a decision's text), in the best language for the reader.
    pub title: String,
    /// Its page, after `/{lang}`.
    pub href: String,
}

/// The "my work" page of one reader.
#[derive(Clone, Debug)]
pub struct MyWork {
    /// The reader's user is linked to a member of the committee (else no action can be theirs).
    pub member: bool,
    /// Open actions whose lead is the reader's member, by due date.
    pub mine: Vec<ActionRow>,
    /// The reader's party's open actions that are overdue or due within `window` days, by due
    /// date: a progress report is expected.
    pub party: Vec<ActionRow>,
    /// The reader endorses for their party (a co-chair).
    pub endorses: bool,
    /// What awaits the endorsement of the reader's party, when the reader is a co-chair.
    pub endorse: Vec<EndorseRow>,
    /// The "due soon" window of `party`, days.
    pub window: i64,
}

/// The "my work" of `reader` over their snapshot `state` on `today`; the party's list reaches
/// as far as the widest "due soon" reminder of `settings` (`notify.due_days`, default 14 days).
#[must_use]
pub fn my_work(state: &State, reader: &User, tr: Tr<'_>, today: Date, settings: &Triggers) -> MyWork {
    let window = settings.due_days.iter().copied().max().unwrap_or(14);
    let lang = tr.lang;
    let open: Vec<_> = state.actions().iter().filter(|(_, a)| !a.status.is_closed()).cloned().collect();
    let rows = |keep: &dyn Fn(&lajna_domain::records::Action) -> bool| {
        let mut rows: Vec<ActionRow> =
            open.iter().filter(|(_, a)| keep(a)).map(|(id, a)| action_row(id, a, lang, today)).collect();
        rows.sort_by(|a, b| (&a.due, &a.id).cmp(&(&b.due, &b.id)));
        rows
    };
    let member = reader.member.as_ref();
    let mine = member.map(|m| rows(&|a| a.lead.as_ref() == Some(m))).unwrap_or_default();
    let soon = today.checked_add(jiff::Span::new().days(window)).unwrap_or(today);
    let party = rows(&|a| a.owner == reader.party && a.due <= soon);
    let endorses = reader.role == Role::CoChair;
    let endorse = if endorses {
        awaiting_endorsement(state)
            .into_iter()
            .filter(|a| a.parties.iter().any(|p| p == reader.party.as_str()))
            .filter_map(|a| {
                let doc = state.entry(&a.id)?.content();
                let title = ["title", "text"]
                    .iter()
                    .find_map(|f| serde_json::from_value::<LocalizedText>(doc.get(*f)?.clone()).ok())
                    .map(|t| Txt::of(&t, lang).text)
                    .unwrap_or_default();
                let what = match a.kind {
                    RecordKind::Decision => "my-work-decision",
                    RecordKind::Roadmap => "my-work-roadmap",
                    _ => "my-work-minutes",
                };
                Some(EndorseRow { what: tr.t(what), title, href: record_path(a.kind, &a.id) })
            })
            .collect()
    } else {
        vec![]
    };
    MyWork { member: member.is_some(), mine, party, endorses, endorse, window }
}

#[cfg(test)]
mod tests {
    use lajna_domain::{Classification, Lang, Meta, PartyCode};
    use lajna_i18n::Catalog;
    use serde_json::{Value, json};

    use super::*;

    /// A state folded from events signed by nobody (the fold does not check signatures).
    struct Log {
        state: State,
        n: usize,
    }

    impl Log {
        fn push(&mut self, party: &str, kind: &str, body: Value) -> String {
            self.n += 1;
            let mut body =
                if kind == "ledger.genesis" || kind.ends_with(".endorsed") { body } else { json!({"set": body}) };
            if kind != "ledger.genesis" {
                body["v"] = json!(lajna_domain::state::BODY_VERSION);
            }
            let meta = Meta {
                id: format!("{:064x}", self.n),
                lamport: self.n as i64,
                party: party.into(),
                member: None,
                at: "2026-03-01T09:00:00Z".into(),
            };
            self.state.apply(&meta, kind, &body).unwrap();
            meta.id
        }

        fn action(&mut self, owner: &str, lead: Option<&str>, fr: &str, due: &str, status: &str) -> String {
            let mut body = json!({
                "roadmap": "r", "area": "a", "title": {"fr": fr, "ar": format!("{fr} (ar)")},
                "owner": owner, "unit": {"fr": "École"}, "start": "2026-01-05", "due": due,
                "status": status, "progress": 40
            });
            if let Some(lead) = lead {
                body["lead"] = json!(lead);
            }
            self.push(owner, "action.planned", body)
        }
    }

    fn user(role: Role, member: Option<&str>) -> User {
        User {
            username: "u".into(),
            party: PartyCode::parse("MAR").unwrap(),
            role,
            member: member.map(String::from),
            clearance: Classification::Secret,
        }
    }

    #[test]
    fn my_actions_my_party_s_actions_to_update_and_what_awaits_my_endorsement() {
        let mut log = Log { state: State::default(), n: 0 };
        let charter = json!({
            "name": {"fr": "Commission"},
            "parties": [{"code": "MAR", "name": {"fr": "Maroc"}, "forces": {"fr": "FAR"}},
                        {"code": "MLI", "name": {"fr": "Mali"}, "forces": {"fr": "FAMa"}}],
            "languages": ["ar", "fr"]
        });
        log.push("MAR", "ledger.genesis", json!({"parties": [], "charter": charter}));
        let late = log.action("MAR", Some("m1"), "Former 12 officiers", "2026-03-20", "in_progress");
        let later = log.action("MAR", Some("m1"), "Ouvrir 20 places", "2026-09-30", "planned");
        log.action("MAR", Some("m1"), "Action close", "2026-03-01", "done");
        let soon = log.action("MAR", None, "Recenser les besoins", "2026-04-10", "planned");
        log.action("MAR", None, "Plus tard", "2026-06-30", "planned");
        log.action("MLI", Some("m9"), "Action malienne en retard", "2026-02-01", "in_progress");
        let session = log.push(
            "MAR",
            "session.convened",
            json!({"number": 1, "title": {"fr": "Première session"}, "host": "MAR",
                   "venue": {"name": {"fr": "EMG"}, "city": {"fr": "Rabat"}, "zone": "Africa/Casablanca"},
                   "start": "2026-03-02", "end": "2026-03-03"}),
        );
        let d1 = log.push("MAR", "decision.recorded", json!({"session": session, "text": {"fr": "Adopter le plan"}}));
        let d2 = log.push("MAR", "decision.recorded", json!({"session": session, "text": {"fr": "Créer un groupe"}}));
        // MAR endorsed d2 (only MLI awaits it); d1 awaits both.
        log.push("MAR", "decision.endorsed", json!({"record": d2, "version": d2}));

        let catalog = Catalog::load();
        let tr = Tr { catalog: &catalog, lang: Lang::Fr };
        let today: Date = "2026-03-27".parse().unwrap();
        let w = my_work(&log.state, &user(Role::CoChair, Some("m1")), tr, today, &Triggers::default());
        assert!(w.member && w.endorses);
        let ids = |rows: &[ActionRow]| rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        // Mine: open ones I lead, by due date; the done one is not work.
        assert_eq!(ids(&w.mine), vec![late.clone(), later]);
        assert_eq!((w.mine[0].title.text.as_str(), w.mine[0].days_late), ("Former 12 officiers", 7));
        // My party's: overdue or due by 2026-04-10 (14 days); not MLI's.
        assert_eq!(ids(&w.party), vec![late, soon]);
        assert_eq!(
            w.endorse,
            vec![EndorseRow {
                what: "Décision".into(),
                title: "Adopter le plan".into(),
                href: format!("/decisions/{d1}")
            }]
        );

        // A secretary linked to no member: nothing of their own, nothing to endorse.
        let w = my_work(&log.state, &user(Role::Secretary, None), tr, today, &Triggers::default());
        assert!(!w.member && !w.endorses && w.mine.is_empty() && w.endorse.is_empty());
        assert_eq!(w.party.len(), 2);
        // In Arabic the rows carry the Arabic titles.
        let ar = Tr { catalog: &catalog, lang: Lang::Ar };
        let w = my_work(&log.state, &user(Role::CoChair, Some("m1")), ar, today, &Triggers::default());
        assert_eq!(w.mine[0].title.text, "Former 12 officiers (ar)");
        assert_eq!(w.endorse[0].what, "قرار");
    }
}
