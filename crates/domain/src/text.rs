//! Per-language text: the one type for every content field (DESIGN.md §1: minutes are signed
//! in Arabic and French originals, "both texts being equally authentic"), and the rule for user
//! text checked at the door (issue 17 item 7, cases C19 and C20).
//!
//! # Text at the door: one rule, [`clean`]
//!
//! Every text a user gives — through a form, the JSON API, the CLI or a matrix import — reaches
//! the record through [`LocalizedText::parse`] or [`crate::decide`], and both apply [`clean`]
//! before anything is signed:
//!
//! 1. **Removed everywhere**: the zero-width space U+200B, the word joiner U+2060 and the
//!    zero-width no-break space (BOM) U+FEFF — invisible, they only split words for search and
//!    duplicates (`Sé\u{200B}gou` → `Ségou`); and the bidi embeddings, overrides and isolates
//!    U+202A–202E, U+2066–2069 — they open a state that a missing or extra terminator spills
//!    onto the rest of the page, and a text can reorder what it shows with them; the UI isolates
//!    each user text itself (`dir="auto"`, `<bdi>`), so they are never needed.
//! 2. **Unicode NFC**: `Défense` typed (`44 C3 A9`) and pasted decomposed (`44 65 CC 81`) become
//!    the same bytes, so both nodes sign identical bodies and a re-typed value is no change.
//! 3. **Trimmed at both edges**: white space together with every invisible mark — the above, the
//!    bidi marks U+200E LRM, U+200F RLM, U+061C ALM and the joiners U+200C ZWNJ, U+200D ZWJ
//!    ([`is_invisible`]): `\u{200F}العقيد (عضو أ)` is stored as `العقيد (عضو أ)`.
//!
//! **Kept inside a text**: ZWNJ U+200C and ZWJ U+200D — they change Arabic and Persian shaping
//! (e.g. `می‌خواهم`) and emoji; and the bidi marks U+200E, U+200F, U+061C — unlike embeddings
//! they open no state that can spill, and authors use them to place punctuation and numbers
//! between runs of the other direction (`(عضو أ)` after Latin text); removing them could change
//! the order a reader sees. Search ignores all of these characters in its keys.
//!
//! A text is **blank** ([`is_blank`]) when it holds nothing but white space, invisible marks and
//! combining marks: a title of spaces and U+200F is refused ([`DomainError::EmptyText`]).
//!
//! **Length** is counted in characters (Unicode scalar values) after [`clean`], per language:
//! at most [`SHORT_TEXT_MAX`] (300) for titles, names, units, places, agenda items, and at most
//! [`LONG_TEXT_MAX`] (20,000) for long text — minutes, decision and communiqué text, quotes, a
//! mission's purpose, a session's expected outcome, notes, evidence
//! ([`DomainError::TooLong`]). 20,000 characters is some ten pages; two languages of it still
//! fit, form-encoded, in the web server's 256 KiB body limit.
//!
//! **Exception**: a press document's `text` is archived byte for byte as published and its
//! BLAKE3 hash is computed over those bytes by the archiving node: it is neither cleaned nor
//! limited here (its headline is).
//!
//! **Received events are not cleaned**: an event from a peer, a bundle or the log is verified
//! over the bytes it was signed with (ARCHITECTURE.md invariant 10) and folded as it is; the
//! lenient [`LocalizedText::check`] used on received bodies is unchanged. Cleaning is a rule of
//! the commands of this version, never a reason to refuse what another node signed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::DomainError;

/// Most characters of a short text (title, name, unit, place, agenda item), per language.
pub const SHORT_TEXT_MAX: usize = 300;

/// Most characters of a long text (minutes, decision and communiqué text, notes), per language.
pub const LONG_TEXT_MAX: usize = 20_000;

/// Whether `c` is an invisible mark trimmed at the edges of a text: the bidi marks U+200E,
/// U+200F, U+061C, the bidi embeddings, overrides and isolates U+202A–202E and U+2066–2069, and
/// the zero-width characters U+200B, U+200C, U+200D, U+2060, U+FEFF.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Whether `c` is removed wherever it is: U+200B, U+2060, U+FEFF and the bidi embeddings,
/// overrides and isolates (see the module documentation for why).
fn is_removed(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The text as it is signed: removed characters dropped, NFC, white space and invisible marks
/// trimmed at both edges (the module's rule). Idempotent.
#[must_use]
pub fn clean(text: &str) -> String {
    let kept: String = text.chars().filter(|c| !is_removed(*c)).collect();
    let nfc: String = kept.nfc().collect();
    nfc.trim_matches(|c: char| c.is_whitespace() || is_invisible(c)).to_string()
}

/// Whether `text` holds nothing but white space, invisible marks and combining marks.
#[must_use]
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c) || is_combining_mark(c))
}

/// Checks that `text` has at most `max` characters (Unicode scalar values).
///
/// # Errors
/// [`DomainError::TooLong`] naming `field`, the limit and the length.
pub fn check_length(field: &str, text: &str, max: usize) -> Result<(), DomainError> {
    let length = text.chars().count();
    if length > max { Err(DomainError::TooLong { field: field.into(), max, length }) } else { Ok(()) }
}

/// Applies [`clean`] to every string of a command's JSON value (a record or a revision's
/// fields), except the top-level fields named in `keep`. In a per-language text (an object whose
/// keys are all `ar`, `fr`, `en`), a language left blank is dropped, as [`LocalizedText::parse`]
/// does.
pub fn clean_value(value: &mut Value, keep: &[&str]) {
    match value {
        Value::String(s) => {
            let cleaned = clean(s);
            if cleaned != *s {
                *s = cleaned;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| clean_value(v, &[])),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if !keep.contains(&k.as_str()) {
                    clean_value(v, &[]);
                }
            }
            let per_language = !map.is_empty() && map.keys().all(|k| Lang::parse(k).is_ok());
            if per_language {
                map.retain(|_, v| !v.as_str().is_some_and(is_blank));
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A language of the committee's record and UI (BCP 47 primary subtags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Arabic, right-to-left.
    Ar,
    /// French.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// All languages, in the order of the committee's originals: Arabic, French, English.
    pub const ALL: [Lang; 3] = [Lang::Ar, Lang::Fr, Lang::En];

    /// The BCP 47 tag: `ar`, `fr`, `en`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Parses `ar`, `fr` or `en`.
    ///
    /// # Errors
    /// [`DomainError::InvalidValue`] for any other tag.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        match text {
            "ar" => Ok(Lang::Ar),
            "fr" => Ok(Lang::Fr),
            "en" => Ok(Lang::En),
            other => Err(DomainError::InvalidValue { field: "language".into(), value: other.into() }),
        }
    }

    /// Writing direction for `<html dir>`: `rtl` for Arabic, else `ltr`.
    #[must_use]
    pub fn dir(self) -> &'static str {
        if self == Lang::Ar { "rtl" } else { "ltr" }
    }
}

/// Text in up to three languages; valid values have at least one non-blank language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    /// Arabic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
    /// French.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    /// English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalizedText {
    /// Builds a text from (language, text) pairs, each [`clean`]ed, blank ones dropped.
    /// Length is checked where the field is known to be short or long ([`Self::check_short`],
    /// [`Self::check_long`], by `decide`).
    ///
    /// # Errors
    /// [`DomainError::EmptyText`] naming `field` when no language has text.
    pub fn parse(field: &str, pairs: &[(Lang, &str)]) -> Result<Self, DomainError> {
        let mut t = LocalizedText::default();
        for (lang, text) in pairs {
            let text = clean(text);
            if !is_blank(&text) {
                *t.slot_mut(*lang) = Some(text);
            }
        }
        t.require_text(field)?;
        Ok(t)
    }

    /// The text with every language [`clean`]ed and blank languages dropped (what commands sign).
    #[must_use]
    pub fn cleaned(&self) -> Self {
        let pick = |s: &Option<String>| s.as_deref().map(clean).filter(|s| !is_blank(s));
        Self { ar: pick(&self.ar), fr: pick(&self.fr), en: pick(&self.en) }
    }

    /// Shorthand for tests and seeds: Arabic, French and English texts (blank ones dropped).
    #[must_use]
    pub fn tri(ar: &str, fr: &str, en: &str) -> Self {
        let pick = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
        Self { ar: pick(ar), fr: pick(fr), en: pick(en) }
    }

    /// Checks that at least one language has text other than white space: the lenient rule
    /// applied to bodies received from other nodes (minutes, evidence, the charter), which are
    /// folded as signed. Commands use [`Self::check_short`] and [`Self::check_long`].
    ///
    /// # Errors
    /// [`DomainError::EmptyText`] naming `field`.
    pub fn check(&self, field: &str) -> Result<(), DomainError> {
        if Lang::ALL.iter().any(|l| self.get(*l).is_some_and(|s| !s.trim().is_empty())) {
            Ok(())
        } else {
            Err(DomainError::EmptyText { field: field.into() })
        }
    }

    /// Checks that some language has text that is not blank ([`is_blank`]: not only white space,
    /// invisible or combining marks).
    fn require_text(&self, field: &str) -> Result<(), DomainError> {
        if Lang::ALL.iter().any(|l| self.get(*l).is_some_and(|s| !is_blank(s))) {
            Ok(())
        } else {
            Err(DomainError::EmptyText { field: field.into() })
        }
    }

    /// A required short text (title, name, unit): some language not blank, each language at
    /// most [`SHORT_TEXT_MAX`] characters.
    ///
    /// # Errors
    /// [`DomainError::EmptyText`] or [`DomainError::TooLong`] naming `field`.
    pub fn check_short(&self, field: &str) -> Result<(), DomainError> {
        self.require_text(field)?;
        self.check_length(field, SHORT_TEXT_MAX)
    }

    /// A required long text (minutes, decision or communiqué text, note): some language not
    /// blank, each language at most [`LONG_TEXT_MAX`] characters.
    ///
    /// # Errors
    /// [`DomainError::EmptyText`] or [`DomainError::TooLong`] naming `field`.
    pub fn check_long(&self, field: &str) -> Result<(), DomainError> {
        self.require_text(field)?;
        self.check_length(field, LONG_TEXT_MAX)
    }

    /// Each language at most `max` characters (for optional texts, which may be blank).
    ///
    /// # Errors
    /// [`DomainError::TooLong`] naming `field`.
    pub fn check_length(&self, field: &str, max: usize) -> Result<(), DomainError> {
        Lang::ALL.iter().filter_map(|l| self.get(*l)).try_for_each(|s| check_length(field, s, max))
    }

    /// The text in `lang`, if present.
    #[must_use]
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Ar => self.ar.as_deref(),
            Lang::Fr => self.fr.as_deref(),
            Lang::En => self.en.as_deref(),
        }
    }

    fn slot_mut(&mut self, lang: Lang) -> &mut Option<String> {
        match lang {
            Lang::Ar => &mut self.ar,
            Lang::Fr => &mut self.fr,
            Lang::En => &mut self.en,
        }
    }

    /// The best text for a reader of `lang`: that language, else French, Arabic, English —
    /// with the language actually used, so the page can mark it (`lang` attribute).
    #[must_use]
    pub fn best(&self, lang: Lang) -> (Lang, &str) {
        let order = [lang, Lang::Fr, Lang::Ar, Lang::En];
        for l in order {
            if let Some(t) = self.get(l) {
                return (l, t);
            }
        }
        (lang, "")
    }

    /// [`LocalizedText::best`] without the language.
    #[must_use]
    pub fn show(&self, lang: Lang) -> &str {
        self.best(lang).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_blank_in_every_language_is_refused() {
        let err = LocalizedText::parse("title", &[(Lang::Ar, "  "), (Lang::Fr, "")]).unwrap_err();
        assert_eq!(err, DomainError::EmptyText { field: "title".into() });
        let ok = LocalizedText::parse("title", &[(Lang::Ar, " تدريب "), (Lang::Fr, "")]).unwrap();
        assert_eq!(ok.ar.as_deref(), Some("تدريب"));
        assert_eq!(ok.fr, None);
    }

    #[test]
    fn cleaning_follows_the_rule_of_the_module() {
        assert_eq!(clean("De\u{301}fense"), "Défense");
        assert_eq!(clean("\u{200F}العقيد (عضو أ)"), "العقيد (عضو أ)");
        assert_eq!(clean("Sé\u{200B}gou"), "Ségou");
        assert_eq!(clean(" \u{FEFF}\u{200E}Bamako\u{200D}\u{00A0}\n"), "Bamako");
        assert_eq!(clean("a\u{202E}b\u{202C}c\u{2066}d\u{2069}"), "abcd");
        assert_eq!(clean("می\u{200C}خواهم"), "می\u{200C}خواهم");
        assert_eq!(clean("Bamako\u{200E} (MLI)"), "Bamako\u{200E} (MLI)");
        // A zero-width space between a letter and a combining mark: removed first, then composed.
        assert_eq!(clean("e\u{200B}\u{301}"), "é");
        assert!(is_blank(" \u{200F}\u{064E}"));
        assert!(!is_blank("2"));
    }

    #[test]
    fn best_falls_back_to_french_then_arabic() {
        let t = LocalizedText::tri("عربي", "", "");
        assert_eq!(t.best(Lang::En), (Lang::Ar, "عربي"));
        let t = LocalizedText::tri("عربي", "français", "");
        assert_eq!(t.best(Lang::En), (Lang::Fr, "français"));
        assert_eq!(t.best(Lang::Ar), (Lang::Ar, "عربي"));
    }
}
