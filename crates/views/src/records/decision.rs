//! Read models of the decision pages (moved from the web layer).

use super::sessions::{DecisionRow, decision_row};
use super::txt;
use crate::{ActionRow, Txt, action_row};
use jiff::civil::Date;
use lajna_domain::records::{Action, Decision, Session};
use lajna_domain::state::State as Fold;
use lajna_domain::{RecordKind, reference};
use lajna_door::auth::User;
use lajna_i18n::Tr;

/// What the decision page shows.
pub struct DecisionView {
    /// The decision, its texts and endorsements.
    pub d: DecisionRow,
    /// `D-2025/1-3`.
    pub reference: String,
    /// Session id.
    pub session: String,
    /// Session title.
    pub session_title: Txt,
    /// The actions carrying it out, by due date.
    pub actions: Vec<ActionRow>,
}

/// The page of decision `id`: its texts, endorsements, the session, and the actions that carry
/// it out on `today`; `None` when there is no such decision.
#[must_use]
pub fn decision_view(s: &Fold, tr: Tr<'_>, id: &str, today: Date, viewer: &User) -> Option<DecisionView> {
    let d = s.get::<Decision>(RecordKind::Decision, id)?;
    let session_title = s.get::<Session>(RecordKind::Session, &d.session).map(|x| txt(&x.title, tr.lang));
    let mut actions: Vec<ActionRow> = s
        .all::<Action>(RecordKind::Action)
        .into_iter()
        .filter(|(_, a)| a.decision.as_deref() == Some(id))
        .map(|(aid, a)| action_row(&aid, &a, tr.lang, today))
        .collect();
    actions.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
    Some(DecisionView {
        reference: reference::decision_reference(s, id).unwrap_or_default(),
        session: d.session.clone(),
        session_title: session_title.unwrap_or_default(),
        d: decision_row(s, tr, id, &d, Some(viewer), false),
        actions,
    })
}
