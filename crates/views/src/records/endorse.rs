//! Read models of the endorse pages (moved from the web layer).

use super::{Column, columns, parties, txt};
use lajna_domain::minutes::minutes_status;
use lajna_domain::records::{Action, Decision, Member, Roadmap, Session};
use lajna_domain::state::State as Fold;
use lajna_domain::{Command, LocalizedText, RecordKind, decide};
use lajna_door::DoorError;
use lajna_door::auth::{User, authorize};
use lajna_i18n::Tr;

/// What a confirmation page is about.
#[derive(Clone, Debug)]
pub enum Target {
    /// A decision (its current version).
    Decision(String),
    /// A session's minutes: the version asked for (draft or amendment), else the draft.
    Minutes(String, Option<String>),
    /// A roadmap (its current version).
    Roadmap(String),
}

impl Target {
    /// The page's path after `/{lang}`.
    /// The page's path after `/{lang}`.
    #[must_use]
    pub fn path(&self) -> String {
        match self {
            Self::Decision(id) => format!("/decisions/{id}/endorse"),
            Self::Minutes(id, _) => format!("/sessions/{id}/minutes/endorse"),
            Self::Roadmap(id) => format!("/roadmaps/{id}/endorse"),
        }
    }

    /// The endorsing command for `version` of the target, for a co-chair (a delegate's is
    /// dated: [`Command::on`]).
    #[must_use]
    pub fn command(&self, version: &str) -> Command {
        match self {
            Self::Decision(id) => Command::Endorse { kind: RecordKind::Decision, id: id.clone(), on: None },
            Self::Minutes(id, _) => Command::EndorseMinutes { session: id.clone(), version: version.into() },
            Self::Roadmap(id) => Command::Endorse { kind: RecordKind::Roadmap, id: id.clone(), on: None },
        }
    }
}

/// Everything the confirmation page shows.
#[derive(Clone, Debug)]
pub struct Confirm {
    /// Message key of the kind (decision, minutes, amendment of the minutes, roadmap).
    pub kind_key: &'static str,
    /// The page's heading and the button's label, translated.
    pub heading: String,
    /// The record's reference: `D-1/2`, `PV 1`, the roadmap's title.
    pub reference: String,
    /// Facts beside the texts: translated label, value.
    pub facts: Vec<(String, String)>,
    /// The texts endorsed, one column per language.
    pub columns: Vec<Column>,
    /// The version the endorsement names.
    pub version: String,
    /// The form's path after `/{lang}`.
    pub action: String,
    /// Where the record is shown, after `/{lang}`.
    pub back: String,
    /// The command the form runs.
    command: Command,
}

pub(crate) fn decision(s: &Fold, tr: Tr<'_>, id: &str) -> Option<Confirm> {
    let d = s.get::<Decision>(RecordKind::Decision, id)?;
    let reference = lajna_domain::reference::decision_reference(s, id)?;
    let session = s.get::<Session>(RecordKind::Session, &d.session)?;
    let target = Target::Decision(id.into());
    Some(Confirm {
        kind_key: "endorse-kind-decision",
        heading: tr.s("endorse-decision", "reference", &reference),
        facts: vec![(tr.t("endorse-session"), format!("{} — {}", session.number, txt(&session.title, tr.lang).text))],
        columns: columns(Some(&d.text), true),
        version: s.entry(id)?.version(),
        action: target.path(),
        back: format!("/sessions/{}#decision-{id}", d.session),
        command: target.command(""),
        reference,
    })
}

pub(crate) fn minutes(s: &Fold, tr: Tr<'_>, id: &str, asked: Option<&str>) -> Option<Confirm> {
    let session = s.get::<Session>(RecordKind::Session, id)?;
    let st = minutes_status(s.entry(id)?, &parties(s));
    let amendment = asked.and_then(|v| st.amendment(v));
    let (version, text, kind_key, anchor): (String, &LocalizedText, _, _) = match (amendment, &st.draft) {
        (Some(a), _) => (a.id.clone(), &a.text, "endorse-kind-amendment", "amendments"),
        (None, Some(d)) if !st.locked() => (d.version.clone(), &d.text, "endorse-kind-minutes", "minutes"),
        _ => st.effective().map(|(v, t)| (v.to_string(), t, "endorse-kind-minutes", "minutes"))?,
    };
    let target = Target::Minutes(id.into(), Some(version.clone()));
    let title = txt(&session.title, tr.lang).text;
    Some(Confirm {
        kind_key,
        heading: tr.n(
            if amendment.is_some() { "endorse-amendment" } else { "endorse-minutes" },
            "number",
            session.number,
        ),
        reference: tr.n("endorse-minutes-ref", "number", session.number),
        facts: vec![(tr.t("endorse-session"), format!("{} — {title}", session.number))],
        columns: columns(Some(text), true),
        action: target.path(),
        back: format!("/sessions/{id}#{anchor}"),
        command: target.command(&version),
        version,
    })
}

pub(crate) fn roadmap(s: &Fold, tr: Tr<'_>, id: &str) -> Option<Confirm> {
    let r = s.get::<Roadmap>(RecordKind::Roadmap, id)?;
    let actions = s.all::<Action>(RecordKind::Action).into_iter().filter(|(_, a)| a.roadmap == id).count();
    let target = Target::Roadmap(id.into());
    Some(Confirm {
        kind_key: "endorse-kind-roadmap",
        heading: tr.t("endorse-roadmap"),
        reference: txt(&r.title, tr.lang).text,
        facts: vec![
            (tr.t("period"), format!("{} – {}", r.start, r.end)),
            (tr.t("endorse-actions"), i64::try_from(actions).unwrap_or(i64::MAX).to_string()),
        ],
        columns: columns(Some(&r.title), true),
        version: s.entry(id)?.version(),
        action: target.path(),
        back: "/roadmap".into(),
        command: target.command(""),
    })
}

/// The confirmation of `target` for `user` on the node's date `today`, and why it cannot be
/// endorsed now (the role and party rules, then the domain's, a signature delegation covering
/// `today` included); `None` for an unknown record.
#[must_use]
pub fn build(
    s: &Fold,
    tr: Tr<'_>,
    target: &Target,
    user: &User,
    today: jiff::civil::Date,
) -> Option<(Confirm, Result<(), DoorError>)> {
    let c = match target {
        Target::Decision(id) => decision(s, tr, id),
        Target::Minutes(id, asked) => minutes(s, tr, id, asked.as_deref()),
        Target::Roadmap(id) => roadmap(s, tr, id),
    }?;
    let command = c.command.clone().on(today);
    let check = authorize(user, s, &command)
        .map_err(DoorError::from)
        .and_then(|()| Ok(decide(s, &user.actor(), &command).map(|_| ())?));
    Some((c, check))
}

/// The endorsements of `version` in `doc` (a decision's or roadmap's) made under a signature
/// delegation, in words: "DELEGATE, P.O. — for the co-chair CO-CHAIR (PARTY)" (issue 16 item 4).
#[must_use]
pub fn signed_for(s: &Fold, tr: Tr<'_>, doc: &serde_json::Value, version: &str) -> Vec<String> {
    let name = |id: Option<&str>| {
        id.and_then(|m| s.get::<Member>(RecordKind::Member, m)).map(|m| txt(&m.name, tr.lang).text).unwrap_or_default()
    };
    let list = doc.get("endorsements").and_then(serde_json::Value::as_array).map(Vec::as_slice).unwrap_or_default();
    list.iter()
        .filter(|e| e.get("version").and_then(serde_json::Value::as_str) == Some(version))
        .filter_map(|e| {
            let text = |k: &str| e.get(k).and_then(serde_json::Value::as_str);
            let args = [
                ("delegate", lajna_i18n::Arg::Text(name(text("member")))),
                ("chair", lajna_i18n::Arg::Text(name(Some(text("for")?)))),
                ("party", lajna_i18n::Arg::Text(text("party").unwrap_or_default().into())),
            ];
            Some(tr.catalog.get(tr.lang, "endorse-signed-for", &args))
        })
        .collect()
}

/// A co-chair's signature delegations as their profile lists them, and the members of their
/// party they may delegate to.
#[derive(Clone, Debug, Default)]
pub struct Delegations {
    /// Members of the party other than the co-chair: (member id, name).
    pub members: Vec<(String, String)>,
    /// The co-chair's delegations, newest first: (event id, delegate's name, from, to, withdrawn).
    pub given: Vec<(String, String, String, String, bool)>,
}

/// The signature delegations `user` (a co-chair with a member) has given, and whom they may
/// give one to; empty for anyone else.
#[must_use]
pub fn delegations(s: &Fold, tr: Tr<'_>, user: &User) -> Delegations {
    let Some(me) = user.member.as_deref().filter(|_| user.role == lajna_door::auth::Role::CoChair) else {
        return Delegations::default();
    };
    let name = |m: &Member| txt(&m.name, tr.lang).text;
    let members: Vec<(String, Member)> = s.all::<Member>(RecordKind::Member);
    let mut given: Vec<_> = lajna_domain::signature::delegations(s, user.party.as_str())
        .into_iter()
        .filter(|d| d.co_chair == me)
        .map(|d| {
            let who = members.iter().find(|(id, _)| *id == d.delegate).map(|(_, m)| name(m)).unwrap_or_default();
            (d.id, who, d.from.to_string(), d.to.to_string(), d.withdrawn)
        })
        .collect();
    given.reverse();
    let members = members
        .iter()
        .filter(|(id, m)| m.party == user.party && id != me)
        .map(|(id, m)| (id.clone(), name(m)))
        .collect();
    Delegations { members, given }
}
