//! The delegations block of the session page (issue 13 item 2): each party's delegation
//! (name, rank, function, attendance, head of delegation, "represented by"), whether both heads
//! of delegation sit, and for the viewer's own party the form that records its delegation
//! (`POST /{lang}/sessions/{id}/delegation`). Read from [`lajna_domain::attendance`].

use axum::extract::Path;
use axum::response::Response;
use lajna_domain::attendance::{Attendance, Delegation, DelegationEntry, HeadStatus, delegations};
use lajna_domain::records::Member;
use lajna_domain::state::State as Fold;
use lajna_domain::{Command, DomainError, Lang, LocalizedText, PartyCode, RecordKind};
use lajna_node::NodeError;
use lajna_node::auth::{User, authorize};

use super::sessions::{Typed, render_session};
use super::{party_name, txt};
use crate::ctx::{CsrfForm, Page, PageError};
use crate::i18n::{Arg, Tr};
use crate::problem::{message_of, status_of};
use crate::views::Txt;

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

fn member_txt(s: &Fold, id: &str, lang: Lang) -> (Txt, Txt) {
    s.get::<Member>(RecordKind::Member, id)
        .map(|m| (txt(&m.name, lang), m.rank.as_ref().map(|r| txt(r, lang)).unwrap_or_default()))
        .unwrap_or_else(|| (Txt { text: id.to_string(), ..Txt::default() }, Txt::default()))
}

fn head_line(s: &Fold, tr: Tr<'_>, party: &str, status: &HeadStatus) -> String {
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

fn delegation_view(s: &Fold, tr: Tr<'_>, party: &str, d: Option<&Delegation>) -> DelegationView {
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

fn form_rows(s: &Fold, lang: Lang, party: &PartyCode, d: Option<&Delegation>) -> Vec<FormRow> {
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
pub(super) fn attendance_view(s: &Fold, tr: Tr<'_>, id: &str, viewer: Option<&User>) -> AttendanceView {
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

fn record_command(session: &str, party: &PartyCode, entries: Vec<DelegationEntry>) -> Command {
    Command::RecordDelegation { session: session.to_string(), party: party.clone(), entries }
}

/// The delegation form's fields: `party`, and per member id `M`: `attendance-M` (empty for
/// "not in the delegation"), `function-M`, `represented_by-M`; `head` names the head's id.
/// Repeated, free-named fields, so read as pairs.
fn command_of(
    fields: &[(String, String)],
    session: &str,
    lang: Lang,
    old: &dyn Fn(&str) -> Option<LocalizedText>,
) -> Result<Command, DomainError> {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    let party = PartyCode::parse(get("party").unwrap_or_default())?;
    let mut entries = Vec::new();
    for (key, value) in fields {
        let Some(member) = key.strip_prefix("attendance-") else { continue };
        if value.is_empty() {
            continue;
        }
        // The typed function replaces the page language's text, other languages are kept.
        let mut function = old(member).unwrap_or_default();
        let typed = get(&format!("function-{member}")).filter(|t| !t.is_empty()).map(String::from);
        *match lang {
            Lang::Ar => &mut function.ar,
            Lang::Fr => &mut function.fr,
            Lang::En => &mut function.en,
        } = typed;
        entries.push(DelegationEntry {
            member: member.to_string(),
            function: Lang::ALL.iter().any(|l| function.get(*l).is_some()).then_some(function),
            attendance: Attendance::parse(value)?,
            represented_by: get(&format!("represented_by-{member}")).filter(|r| !r.is_empty()).map(String::from),
            head: get("head") == Some(member),
        });
    }
    Ok(record_command(session, &party, entries))
}

/// `POST /{lang}/sessions/{id}/delegation`: the viewer's party records its delegation. A
/// refusal writes nothing: the 403 page for a missing role; otherwise the session page with the
/// message, answered 403 for another party's delegation (`error-delegation-other-party`).
pub async fn delegation_save(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (lang, party) = (page.lang, page.user.party.to_string());
    let old = page.state.node.with_state(|s| lajna_domain::attendance::delegation(s, &id, &party)).await;
    let function_of = |m: &str| old.as_ref()?.entries.iter().find(|e| e.member == m)?.function.clone();
    let result = match command_of(&fields, &id, lang, &function_of) {
        Ok(command) => page.state.node.execute_as(&page.user, &command).await.map(|_| ()),
        Err(e) => Err(NodeError::Domain(e)),
    };
    let Err(e) = result else { return Ok(page.redirect(&format!("/sessions/{id}?saved=1#attendance"))) };
    if let Some(refusal) = page.refusal(&e) {
        return Err(refusal);
    }
    let (_, message) = message_of(&page.state.catalog, page.lang, &e);
    render_session(&page, &id, status_of(&e), false, Typed::message(message)).await
}
