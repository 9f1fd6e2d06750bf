//! Read models of the attendance pages (moved from the web layer).

use super::{party_name, txt};
use crate::Txt;
use lajna_domain::attendance::{Delegation, DelegationEntry, HeadStatus, delegations};
use lajna_domain::records::Member;
use lajna_domain::state::State as Fold;
use lajna_domain::{Command, Lang, PartyCode, RecordKind};
use lajna_door::auth::{User, authorize};
use lajna_i18n::{Arg, Tr};

/// One member of a recorded delegation.
#[derive(Clone, Debug)]
pub struct DelegateRow {
    /// Name.
    pub name: Txt,
    /// Rank.
    pub rank: Txt,
    /// Function in the delegation.
    pub function: Txt,
    /// `present`, `absent` or `represented`.
    pub attendance: &'static str,
    /// The representative's name (empty unless represented).
    pub represented_by: String,
    /// Head of delegation.
    pub head: bool,
}

/// A party's delegation as shown.
#[derive(Clone, Debug)]
pub struct DelegationView {
    /// Party code.
    pub party: String,
    /// Party name.
    pub name: Txt,
    /// Its members; empty when not recorded.
    pub rows: Vec<DelegateRow>,
    /// Where its head of delegation stands (translated).
    pub head_line: String,
    /// The head sits, in person or represented.
    pub head_seated: bool,
}

/// A member of the viewer's party, as a row of the delegation form.
#[derive(Clone, Debug)]
pub struct FormRow {
    /// Member id.
    pub member: String,
    /// Name.
    pub name: Txt,
    /// Rank.
    pub rank: Txt,
    /// Current attendance code, empty when not in the delegation.
    pub attendance: &'static str,
    /// Current function in the page's language.
    pub function: String,
    /// Current representative (member id).
    pub represented_by: String,
    /// Head of delegation.
    pub head: bool,
}

/// The delegations block of the session page.
#[derive(Clone, Debug)]
pub struct AttendanceView {
    /// Each party's delegation, in charter order.
    pub parties: Vec<DelegationView>,
    /// The overall line (translated): both heads present, present or represented, or not.
    pub status: String,
    /// Both heads sit.
    pub both_seated: bool,
    /// The viewer's party and its members, when the viewer may record its delegation.
    pub form: Option<(String, Vec<FormRow>)>,
}

pub(crate) fn member_txt(s: &Fold, id: &str, lang: Lang) -> (Txt, Txt) {
    s.get::<Member>(RecordKind::Member, id)
        .map(|m| (txt(&m.name, lang), m.rank.as_ref().map(|r| txt(r, lang)).unwrap_or_default()))
        .unwrap_or_else(|| (Txt { text: id.to_string(), ..Txt::default() }, Txt::default()))
}

pub(crate) fn head_line(s: &Fold, tr: Tr<'_>, party: &str, status: &HeadStatus) -> String {
    let name = |id: &str| Arg::Text(member_txt(s, id, tr.lang).0.text);
    let party = ("party", Arg::Text(party.to_string()));
    let (key, args) = match status {
        HeadStatus::NotRecorded => ("att-head-not-recorded", vec![party]),
        HeadStatus::Present { head } => ("att-head-present", vec![party, ("name", name(head))]),
        HeadStatus::Absent { head } => ("att-head-absent", vec![party, ("name", name(head))]),
        HeadStatus::Represented { head, by } => {
            ("att-head-represented", vec![party, ("name", name(head)), ("by", name(by))])
        }
    };
    tr.catalog.get(tr.lang, key, &args)
}

pub(crate) fn delegation_view(s: &Fold, tr: Tr<'_>, party: &str, d: Option<&Delegation>) -> DelegationView {
    let status = HeadStatus::of(d);
    let rows = d.map_or(&[][..], |d| &d.entries[..]).iter().map(|e| {
        let (name, rank) = member_txt(s, &e.member, tr.lang);
        DelegateRow {
            name,
            rank,
            function: Txt::opt(e.function.as_ref(), tr.lang),
            attendance: e.attendance.code(),
            represented_by: e.represented_by.as_deref().map(|r| member_txt(s, r, tr.lang).0.text).unwrap_or_default(),
            head: e.head,
        }
    });
    DelegationView {
        party: party.to_string(),
        name: party_name(s, party, tr.lang),
        rows: rows.collect(),
        head_line: head_line(s, tr, party, &status),
        head_seated: status.seated(),
    }
}

pub(crate) fn form_rows(s: &Fold, lang: Lang, party: &PartyCode, d: Option<&Delegation>) -> Vec<FormRow> {
    let recorded = |id: &str| d.and_then(|d| d.entries.iter().position(|e| e.member == id));
    let mut members: Vec<(String, Member)> =
        s.all::<Member>(RecordKind::Member).into_iter().filter(|(_, m)| &m.party == party).collect();
    members.sort_by_key(|(id, m)| (recorded(id).unwrap_or(usize::MAX), txt(&m.name, lang).text));
    members
        .into_iter()
        .map(|(id, m)| {
            let e = recorded(&id).and_then(|i| d.map(|d| &d.entries[i]));
            FormRow {
                name: txt(&m.name, lang),
                rank: m.rank.as_ref().map(|r| txt(r, lang)).unwrap_or_default(),
                attendance: e.map_or("", |e| e.attendance.code()),
                function: e.and_then(|e| e.function.as_ref()).and_then(|f| f.get(lang)).unwrap_or_default().into(),
                represented_by: e.and_then(|e| e.represented_by.clone()).unwrap_or_default(),
                head: e.is_some_and(|e| e.head),
                member: id,
            }
        })
        .collect()
}

/// The delegations block of session `id` for `viewer`.
#[must_use]
pub fn attendance_view(s: &Fold, tr: Tr<'_>, id: &str, viewer: Option<&User>) -> AttendanceView {
    let recorded = delegations(s, id);
    let codes: Vec<String> =
        s.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default();
    let find = |p: &str| recorded.iter().find(|d| d.party == p);
    let parties: Vec<DelegationView> = codes.iter().map(|p| delegation_view(s, tr, p, find(p))).collect();
    let both_seated = !parties.is_empty() && parties.iter().all(|p| p.head_seated);
    let in_person = parties.iter().all(|p| matches!(HeadStatus::of(find(&p.party)), HeadStatus::Present { .. }));
    let status = tr.t(match (both_seated, in_person) {
        (true, true) => "att-both-heads",
        (true, false) => "att-both-heads-represented",
        _ => "att-heads-missing",
    });
    let form = viewer
        .filter(|u| authorize(u, s, &record_command(id, &u.party, vec![])).is_ok())
        .map(|u| (u.party.to_string(), form_rows(s, tr.lang, &u.party, find(u.party.as_str()))));
    AttendanceView { parties, status, both_seated, form }
}

/// The command that records `party`'s delegation to `session` (the form's and the probe's).
#[must_use]
pub fn record_command(session: &str, party: &PartyCode, entries: Vec<DelegationEntry>) -> Command {
    Command::RecordDelegation { session: session.to_string(), party: party.clone(), entries }
}
