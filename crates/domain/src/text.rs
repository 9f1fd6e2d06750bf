//! Per-language text: the one type for every content field (DESIGN.md §1: minutes are signed
//! in Arabic and French originals, "both texts being equally authentic").

use serde::{Deserialize, Serialize};

use crate::DomainError;

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
    /// Builds a text from (language, text) pairs, trimming each and dropping blank ones.
    ///
    /// # Errors
    /// [`DomainError::EmptyText`] naming `field` when no language has text.
    pub fn parse(field: &str, pairs: &[(Lang, &str)]) -> Result<Self, DomainError> {
        let mut t = LocalizedText::default();
        for (lang, text) in pairs {
            let text = text.trim();
            if !text.is_empty() {
                *t.slot_mut(*lang) = Some(text.to_string());
            }
        }
        t.check(field)?;
        Ok(t)
    }

    /// Shorthand for tests and seeds: Arabic, French and English texts (blank ones dropped).
    #[must_use]
    pub fn tri(ar: &str, fr: &str, en: &str) -> Self {
        let pick = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
        Self { ar: pick(ar), fr: pick(fr), en: pick(en) }
    }

    /// Checks that at least one language has non-blank text.
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
    fn best_falls_back_to_french_then_arabic() {
        let t = LocalizedText::tri("عربي", "", "");
        assert_eq!(t.best(Lang::En), (Lang::Ar, "عربي"));
        let t = LocalizedText::tri("عربي", "français", "");
        assert_eq!(t.best(Lang::En), (Lang::Fr, "français"));
        assert_eq!(t.best(Lang::Ar), (Lang::Ar, "عربي"));
    }
}
