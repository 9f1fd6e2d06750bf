//! Language parity of the texts that are authentic in several languages (the session's
//! minutes, a decision's text): when one language changes, the others are "to review" until
//! someone updates them or confirms that they still say the same.
//!
//! Model, convergent by construction: each write of such a field declares, in its
//! `*.revised` body, either the languages it **changed** (`"changed": {"minutes": ["fr"]}`: a
//! change of the source, which puts every other language to review) or the languages it
//! brought up to date (`"current": {"minutes": ["ar"]}`: a catch-up or an added language, which
//! puts nothing to review). A `*.translation_confirmed` event declares a reviewed language
//! current. Each declaration is an element of the record's add-only set [`TRANSLATIONS`], keyed
//! by the event's stamp. A present language is to review when a change of the source that did
//! not include it is newer than the newest declaration naming it. Maxima over an add-only set
//! do not depend on the order events arrive in.
//!
//! What a write declares ([`declare`]): changing the content of a language that was in step is
//! a change of the source (`changed`: the changed and added languages); updating only languages
//! that were to review, or adding a language, is a catch-up (`current`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::records::RecordKind;
use crate::state::{Entry, Stamp};
use crate::text::{Lang, LocalizedText};

/// Name of the add-only set holding the parity declarations of a record.
pub const TRANSLATIONS: &str = "translations";

/// The per-language fields of `kind` whose languages are kept in step.
#[must_use]
pub fn tracked_fields(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Session => &["minutes"],
        RecordKind::Decision => &["text"],
        _ => &[],
    }
}

/// The languages of `text` that hold a non-blank text, in [`Lang::ALL`] order.
#[must_use]
pub fn present(text: Option<&LocalizedText>) -> Vec<Lang> {
    let Some(text) = text else { return vec![] };
    Lang::ALL.into_iter().filter(|l| text.get(*l).is_some_and(|t| !t.trim().is_empty())).collect()
}

/// The current value of a per-language field of a record.
#[must_use]
pub fn text_of(entry: &Entry, field: &str) -> Option<LocalizedText> {
    entry.fields.get(field).and_then(|(_, v)| serde_json::from_value(v.clone()).ok())
}

/// What a write or a confirmation declares about the languages of its record's texts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    /// Field → languages whose content changed: the others of that field are now to review.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub changed: BTreeMap<String, Vec<Lang>>,
    /// Field → languages brought up to date (updated, added or confirmed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub current: BTreeMap<String, Vec<Lang>>,
}

impl Declaration {
    /// Declares nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.current.is_empty()
    }
}

/// The present languages of `field` that are to review, in [`Lang::ALL`] order (empty when the
/// languages are in step).
#[must_use]
pub fn to_review(entry: &Entry, field: &str) -> Vec<Lang> {
    let langs = present(text_of(entry, field).as_ref());
    // Per language: the newest declaration naming it, and the newest change of the source
    // that did not include it.
    let mut named: BTreeMap<Lang, &Stamp> = BTreeMap::new();
    let mut passed_over: BTreeMap<Lang, &Stamp> = BTreeMap::new();
    let langs_in = |element: &Value, key: &str| -> Vec<Lang> {
        element
            .pointer(&format!("/{key}/{field}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|l| Lang::parse(l).ok())
            .collect()
    };
    // The set iterates in stamp order, so the last stamp recorded is the maximum.
    for (stamp, element) in entry.sets.get(TRANSLATIONS).into_iter().flatten() {
        let changed = langs_in(element, "changed");
        for lang in changed.iter().chain(&langs_in(element, "current")) {
            named.insert(*lang, stamp);
        }
        if !changed.is_empty() {
            for lang in Lang::ALL.into_iter().filter(|l| !changed.contains(l)) {
                passed_over.insert(lang, stamp);
            }
        }
    }
    langs.into_iter().filter(|l| passed_over.get(l).is_some_and(|s| named.get(l) < Some(s))).collect()
}

/// What a write of `field` from `old` to `new` declares (see the module documentation):
/// `Some((true, langs))` for a change of the source, `Some((false, langs))` for a catch-up,
/// `None` when it declares nothing (no language left, or only a language removed).
#[must_use]
pub fn declare(
    entry: &Entry,
    field: &str,
    old: Option<&LocalizedText>,
    new: Option<&LocalizedText>,
) -> Option<(bool, Vec<Lang>)> {
    let after = present(new);
    let before = present(old);
    if before.is_empty() {
        return (!after.is_empty()).then_some((false, after));
    }
    let flagged = to_review(entry, field);
    let changed: Vec<Lang> = after
        .iter()
        .copied()
        .filter(|l| before.contains(l) && old.and_then(|t| t.get(*l)) != new.and_then(|t| t.get(*l)))
        .collect();
    let source = changed.iter().any(|l| !flagged.contains(l));
    let langs: Vec<Lang> = after.into_iter().filter(|l| changed.contains(l) || !before.contains(l)).collect();
    (!langs.is_empty()).then_some((source, langs))
}
