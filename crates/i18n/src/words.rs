//! The words of the committee's closed lists — action status, need category, priority, need and
//! offer status — in each language, and the reverse: a word typed in a spreadsheet read back as
//! its code (issue 17 item 5).
//!
//! One source: the words are the catalogues' own messages (`status-in_progress = En cours` in
//! `locales/fr/main.ftl`), the ones every page shows; nothing here repeats them. A spreadsheet
//! is written with the words of its language ([`Catalog::word`]) and read back with
//! [`WordTable::parse`], which takes the word of ANY of the three languages or the stored code,
//! compared after [`fold`]: `En cours`, `en  cours`, `EN COURS`, `In progress`, `in-progress`,
//! `in_progress` and `قيد الإنجاز` are all `in_progress`; `Realisee` is `Réalisée`.

use lajna_domain::Lang;
use lajna_domain::values::{ActionStatus, Category, NeedStatus, OfferStatus, Priority};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::Catalog;

/// A closed list of stored codes whose words are messages `{PREFIX}{code}` of the catalogues.
pub trait Worded: Copy + Eq + 'static {
    /// The message-key prefix (`status-`: `status-in_progress`).
    const PREFIX: &'static str;
    /// Every value, in declaration order.
    fn values() -> &'static [Self];
    /// The stored code (`in_progress`).
    fn code(self) -> &'static str;
}

macro_rules! worded {
    ($($t:ty => $prefix:literal),+ $(,)?) => {$(
        impl Worded for $t {
            const PREFIX: &'static str = $prefix;
            fn values() -> &'static [Self] {
                <$t>::ALL
            }
            fn code(self) -> &'static str {
                <$t>::code(self)
            }
        }
    )+};
}

worded!(
    ActionStatus => "status-",
    Category => "category-",
    Priority => "priority-",
    NeedStatus => "need-status-",
    OfferStatus => "offer-status-",
);

/// The key under which a typed word is compared: NFD with every combining mark dropped (accents,
/// Arabic short vowels), lower case; Arabic alef forms `آ أ إ ٱ` as `ا`, `ى` as `ي`, `ة` as `ه`,
/// tatweel dropped; invisible marks (bidi marks and isolates, zero-width characters, BOM)
/// dropped; `_`, `-` and runs of white space as one space; trimmed. So any normalisation form
/// (NFC or NFD) of a word gives the same key.
#[must_use]
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd() {
        if is_combining_mark(c) || lajna_domain::text::is_invisible(c) || c == '\u{0640}' {
            continue;
        }
        if c.is_whitespace() || c == '_' || c == '-' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            'آ' | 'أ' | 'إ' | 'ٱ' => out.push('ا'),
            'ى' => out.push('ي'),
            'ة' => out.push('ه'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

impl Catalog {
    /// The word of `value` in `lang`, as pages show it (`En cours` for `in_progress` in French),
    /// without the Unicode isolates Fluent puts around placeables (a spreadsheet cell keeps
    /// every character).
    #[must_use]
    pub fn word<T: Worded>(&self, lang: Lang, value: T) -> String {
        self.get(lang, &format!("{}{}", T::PREFIX, value.code()), &[]).replace(['\u{2068}', '\u{2069}'], "")
    }

    /// Every word of `T` in `lang`, in declaration order (for a drop-down list, or a message
    /// listing what is accepted).
    #[must_use]
    pub fn words<T: Worded>(&self, lang: Lang) -> Vec<String> {
        T::values().iter().map(|v| self.word(lang, *v)).collect()
    }
}

/// The folded codes and words of `T` in the three languages, built once for reading many cells.
#[derive(Clone, Debug)]
pub struct WordTable<T> {
    keys: Vec<(String, T)>,
}

impl<T: Worded> WordTable<T> {
    /// The table of `T`: for every value its code and its word in Arabic, French and English.
    #[must_use]
    pub fn new(catalog: &Catalog) -> Self {
        let mut keys = Vec::new();
        for value in T::values() {
            keys.push((fold(value.code()), *value));
            for lang in Lang::ALL {
                keys.push((fold(&catalog.word(lang, *value)), *value));
            }
        }
        Self { keys }
    }

    /// The value whose code or word (in any language) `text` is, compared after [`fold`]; `None`
    /// for anything else (an empty text included).
    #[must_use]
    pub fn parse(&self, text: &str) -> Option<T> {
        let key = fold(text);
        if key.is_empty() {
            return None;
        }
        self.keys.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_read_from_its_word_in_any_language_its_code_and_loose_spellings() {
        let table = WordTable::<ActionStatus>::new(&Catalog::load());
        for text in ["En cours", " en  cours ", "EN COURS", "In progress", "in-progress", "in_progress", "قيد الإنجاز"]
        {
            assert_eq!(table.parse(text), Some(ActionStatus::InProgress), "{text:?}");
        }
        // Accents, decomposed forms, Arabic marks and invisible characters do not matter.
        assert_eq!(table.parse("Realisee"), Some(ActionStatus::Done));
        assert_eq!(table.parse("Re\u{301}alise\u{301}e"), Some(ActionStatus::Done));
        assert_eq!(table.parse("ANNULÉE"), Some(ActionStatus::Cancelled));
        assert_eq!(table.parse("\u{200F}قَيد الانجاز"), Some(ActionStatus::InProgress));
        assert_eq!(table.parse("ملغي"), Some(ActionStatus::Cancelled), "ى and ي are one letter here");
        assert_eq!(table.parse("Retardée"), Some(ActionStatus::Delayed));
        assert_eq!(table.parse("en attente"), None);
        assert_eq!(table.parse("  "), None);
    }

    /// No word names two values of one list in any pair of languages: reading back is never a
    /// guess.
    #[test]
    fn no_folded_word_names_two_values_of_a_list() {
        fn distinct<T: Worded + std::fmt::Debug>(catalog: &Catalog) {
            let table = WordTable::<T>::new(catalog);
            for (key, value) in &table.keys {
                assert!(!key.is_empty(), "{}{:?} has no word", T::PREFIX, value);
                let others: Vec<_> = table.keys.iter().filter(|(k, v)| k == key && v != value).collect();
                assert!(others.is_empty(), "{key:?} is {value:?} and {others:?}");
            }
        }
        let c = Catalog::load();
        distinct::<ActionStatus>(&c);
        distinct::<Category>(&c);
        distinct::<Priority>(&c);
        distinct::<NeedStatus>(&c);
        distinct::<OfferStatus>(&c);
    }

    #[test]
    fn words_are_the_catalogue_s_own_in_each_language() {
        let c = Catalog::load();
        assert_eq!(c.word(Lang::Fr, ActionStatus::InProgress), "En cours");
        assert_eq!(c.word(Lang::Ar, ActionStatus::Cancelled), "ملغى");
        assert_eq!(c.word(Lang::En, Priority::High), "High");
        assert_eq!(
            c.words::<ActionStatus>(Lang::Fr),
            ["Prévue", "En cours", "Réalisée", "Retardée", "Bloquée", "Annulée"]
        );
        assert_eq!(c.words::<Category>(Lang::Fr)[1], "Équipement");
    }
}
