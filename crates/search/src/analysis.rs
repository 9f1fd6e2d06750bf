//! Text analysis: words, folding, stop words and the index keys of a word for each analyzer.
//!
//! Only index keys are changed here; the stored and shown text never is. Every token keeps the
//! byte offsets of its word in the original text, so snippets highlight the original spelling.
//!
//! A word goes to the Arabic analyzers when it holds an Arabic-script letter, else to the French
//! and English ones. The rules follow case C01 and C02 (`cases/CASES.md`) and STACK.md "Search":
//!
//! - [`Analyzer::ArabicStem`]: NFKC, then [`fold_arabic`] (آ أ إ ٱ → ا, harakat U+064B–065F,
//!   U+0670, Quranic marks U+06D6–06ED and tatweel U+0640 removed, Arabic-Indic digits → ASCII),
//!   then the Snowball Arabic stemmer on the folded word, then ى→ي and ة→ه on the stem. The
//!   stemmer must see ة: mapping it to ه *before* stemming breaks `اتفاقية` ≡ `الإتفاقية`.
//! - [`Analyzer::ArabicLight`]: the same folding plus ى→ي, ی→ي and ة→ه, no stemmer; instead the
//!   word and its forms without the attached conjunction (و ف), preposition (ب ك ل) and article
//!   (ال, or لل after ل) are all keys at the word's position. Single letters are stripped only
//!   when at least 3 letters remain, the article only when at least 2 remain.
//! - [`Analyzer::French`]: lowercase, accents and ligatures folded (é → e, œ → oe), then the
//!   Snowball French stemmer (plurals and common suffixes).
//! - [`Analyzer::English`]: the same folding, then the Snowball English stemmer.
//!
//! Stop words (a small list per language, [`is_stop_word`]) give no key in any analyzer.
//!
//! Numbers and references (case C24):
//!
//! - A word made of digits — ASCII, Arabic-Indic `٠–٩` or Extended Arabic-Indic `۰–۹` — is a
//!   number: every analyzer gives it one key, its digits in ASCII (`٢٠٢٥` → `2025`), never
//!   stemmed, never a stop word. So `2025` and `٢٠٢٥` find each other whatever the language
//!   around them, and a query with a number (`exemple 1999`) is not emptied by it.
//! - A word mixing digits and letters (`2025م`, `A400M`) keeps its keys and also gives its digit
//!   runs as number keys (`2025`, `400`).
//! - A reference is a run of words joined each by one separator and no space, one of them with
//!   a digit: `2/2025`, `D-3`, `17/02/2025`, `3.2.1` ([`references`]). Its parts are indexed as
//!   words, and the whole gets one more key, the folded parts joined by canonical separators
//!   (slashes → `/`, hyphens and dashes → `-`, dots and U+066B → `.`): `d-3`, `2/2025`. A
//!   reference in a query is matched by that key only, as one token: `2/2025` does not find
//!   `12/2025` nor a text holding `2` and `2025` apart, and `D-3` does not find `D-30`.
//!   Words joined by a separator without a digit (`Sud-Ouest`) are not references.
//! - `PV n° 2` has no separator between its words (`°` and the space are not): it is the words
//!   `PV`, `n` (a French stop word) and `2`, all required.
//!
//! Invisible characters (case C20, [`is_invisible`]: bidi marks and controls, zero-width
//! characters, soft hyphen) never split a word and never reach a key, so `Ségou` finds
//! `Sé\u{200B}gou` even in text signed before the domain removed such characters.

use std::collections::BTreeSet;
use std::ops::Range;

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One way of turning a word into index keys; each has its own indexed fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Analyzer {
    /// Arabic, folded and stemmed with Snowball Arabic.
    ArabicStem,
    /// Arabic, folded (with ى→ي, ة→ه) and without attached prefixes; no stemmer.
    ArabicLight,
    /// French, folded and stemmed with Snowball French.
    French,
    /// English, folded and stemmed with Snowball English.
    English,
}

impl Analyzer {
    /// Every analyzer, in field order.
    pub const ALL: [Analyzer; 4] = [Self::ArabicStem, Self::ArabicLight, Self::French, Self::English];

    /// Short tag used in field and tokenizer names: `ar`, `arl`, `fr`, `en`.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Self::ArabicStem => "ar",
            Self::ArabicLight => "arl",
            Self::French => "fr",
            Self::English => "en",
        }
    }

    /// Whether the analyzer reads Arabic-script words (else Latin-script and digit words).
    #[must_use]
    pub fn is_arabic(self) -> bool {
        matches!(self, Self::ArabicStem | Self::ArabicLight)
    }

    /// The name the analyzer's tokenizer is registered under in the index.
    #[must_use]
    pub fn tokenizer_name(self) -> &'static str {
        match self {
            Self::ArabicStem => "lajna_ar",
            Self::ArabicLight => "lajna_arl",
            Self::French => "lajna_fr",
            Self::English => "lajna_en",
        }
    }
}

/// Whether `c` is part of a word: letters, digits, combining marks (Arabic harakat are marks and
/// must not split a word) and invisible characters ([`is_invisible`]).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || is_invisible(c)
}

/// Whether `c` is an invisible format character: the bidi marks U+200E, U+200F, U+061C, the bidi
/// embeddings, overrides and isolates U+202A–202E and U+2066–2069, the zero-width characters
/// U+200B, U+200C, U+200D, U+2060, U+FEFF, and the soft hyphen U+00AD. Inside a word they do not
/// split it; they are never part of a key.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The ASCII digit of an ASCII, Arabic-Indic (U+0660–0669) or Extended Arabic-Indic
/// (U+06F0–06F9) digit.
#[must_use]
pub fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => return Some(c),
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        _ => return None,
    };
    char::from_digit(c as u32 - zero, 10)
}

/// Whether `c` is an Arabic-script letter (not a digit, mark or invisible character): what sends
/// a word to the Arabic analyzers.
fn is_arabic_letter(c: char) -> bool {
    is_arabic_char(c) && c.is_alphabetic() && ascii_digit(c).is_none() && !is_invisible(c)
}

/// Whether `c` is an Arabic-script character (Arabic, Supplement, Extended-A, presentation forms).
#[must_use]
pub fn is_arabic_char(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

/// The words of `text` with their byte ranges in it, in order.
pub fn words(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = rest.next()?;
            if is_word_char(c) && !is_combining_mark(c) && !is_invisible(c) {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = rest.peek() {
            if !is_word_char(c) {
                end = i;
                break;
            }
            rest.next();
        }
        // Invisible characters at the end are not part of the word.
        let word = text[start..end].trim_end_matches(is_invisible);
        Some((start..start + word.len(), word))
    })
}

/// Arabic folding for keys (case C01): NFKC (so alef + U+0653/0654/0655 composes, and
/// presentation forms become letters), آ أ إ ٱ → ا, marks U+064B–065F, U+0670, U+06D6–06ED,
/// tatweel U+0640 and invisible characters removed, Arabic-Indic digits → ASCII, lowercase.
#[must_use]
pub fn fold_arabic(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfkc() {
        if is_invisible(c) {
            continue;
        }
        if let Some(d) = ascii_digit(c) {
            out.push(d);
            continue;
        }
        match c {
            'آ' | 'أ' | 'إ' | 'ٱ' | '\u{0672}' | '\u{0673}' => out.push('ا'),
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Maps the letters that differ only in spelling habits, for keys only (case C02): ى and ی → ي,
/// ة → ه, ک → ك.
#[must_use]
pub fn unify_arabic_letters(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'ى' | 'ی' => 'ي',
            'ة' => 'ه',
            'ک' => 'ك',
            c => c,
        })
        .collect()
}

/// Latin folding for keys: lowercase, NFD with combining marks and invisible characters removed
/// (é → e), œ → oe, æ → ae, ß → ss, Arabic-Indic digits → ASCII.
#[must_use]
pub fn fold_latin(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        if is_combining_mark(c) || is_invisible(c) {
            continue;
        }
        if let Some(d) = ascii_digit(c) {
            out.push(d);
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The number a word is, in ASCII digits: `Some` when the word holds digits ([`ascii_digit`])
/// and nothing else but marks and invisible characters.
#[must_use]
pub fn number(word: &str) -> Option<String> {
    let mut out = String::new();
    for c in word.chars() {
        match ascii_digit(c) {
            Some(d) => out.push(d),
            None if is_combining_mark(c) || is_invisible(c) => {}
            None => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The runs of digits of a word, in ASCII (`2025م` → `2025`; `A400M` → `400`).
fn digit_runs(word: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in word.chars() {
        match ascii_digit(c) {
            Some(d) => run.push(d),
            None if is_invisible(c) => {}
            None => {
                if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Arabic stop words, folded and unified (ي for ى, ه for ة).
const ARABIC_STOP: &[&str] = &[
    "في",
    "من",
    "الي",
    "عن",
    "مع",
    "ان",
    "او",
    "ثم",
    "قد",
    "لا",
    "ما",
    "لم",
    "لن",
    "هو",
    "هي",
    "هم",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "الذي",
    "التي",
    "الذين",
    "كان",
    "كانت",
    "كما",
    "حيث",
    "بين",
    "عند",
    "منذ",
    "حتي",
    "اذا",
    "لقد",
    "وفي",
    "ومن",
    "والي",
    "فيه",
    "فيها",
    "منه",
    "منها",
    "به",
    "بها",
    "له",
    "لها",
    "عليه",
    "عليها",
    "الا",
    "اي",
    "كل",
    "وقد",
    "ولا",
    "وهو",
    "وهي",
    "هناك",
    "ايضا",
];

/// French stop words, folded.
const FRENCH_STOP: &[&str] = &[
    "le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "en", "au", "aux", "a", "pour", "par", "sur",
    "dans", "avec", "ce", "cet", "cette", "ces", "est", "sont", "il", "elle", "ils", "elles", "ne", "pas", "se", "sa",
    "son", "ses", "leur", "leurs", "qui", "que", "qu", "y", "ou", "entre", "s", "n", "c", "j", "m", "t",
];

/// English stop words, folded.
const ENGLISH_STOP: &[&str] = &[
    "the", "an", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "is", "are", "was", "were", "be",
    "this", "that", "from", "as", "it", "its",
];

/// Whether a folded word is a stop word of any of the three languages (Arabic words are
/// compared after [`unify_arabic_letters`]).
#[must_use]
pub fn is_stop_word(folded: &str) -> bool {
    if folded.chars().any(is_arabic_char) {
        let unified = unify_arabic_letters(folded);
        ARABIC_STOP.contains(&unified.as_str())
    } else {
        FRENCH_STOP.contains(&folded) || ENGLISH_STOP.contains(&folded)
    }
}

/// The light-stemmed forms of a folded, unified Arabic word: the word itself and its forms without
/// an attached conjunction (و ف), then a preposition (ب ك ل), then the article (ال, or لل for
/// ل + ال), in that order. Letters are stripped only when at least 3 remain (2 for the article).
#[must_use]
pub fn arabic_prefix_forms(word: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // (chars of the form, stage reached: 0 none, 1 conjunction, 2 preposition, 3 article)
    let mut todo: Vec<(Vec<char>, u8)> = vec![(word.chars().collect(), 0)];
    while let Some((w, stage)) = todo.pop() {
        let len = w.len();
        if stage == 0 && len >= 4 && matches!(w[0], 'و' | 'ف') {
            todo.push((w[1..].to_vec(), 1));
        }
        if stage <= 1 && len >= 4 && matches!(w[0], 'ب' | 'ك' | 'ل') {
            todo.push((w[1..].to_vec(), 2));
        }
        if stage <= 1 && len >= 4 && w[0] == 'ل' && w[1] == 'ل' {
            todo.push((w[2..].to_vec(), 3));
        }
        if stage <= 2 && len >= 4 && w[0] == 'ا' && w[1] == 'ل' {
            todo.push((w[2..].to_vec(), 3));
        }
        out.insert(w.into_iter().collect());
    }
    out
}

/// The index keys of one word for `analyzer`: a number's ASCII digits in every analyzer; none
/// for stop words and for words of the other script; one key (stemmers); or several keys for
/// [`Analyzer::ArabicLight`]; plus the digit runs of a word mixing digits and letters.
#[must_use]
pub fn keys(analyzer: Analyzer, word: &str) -> Vec<String> {
    if let Some(n) = number(word) {
        return vec![n];
    }
    let arabic = word.chars().any(is_arabic_letter);
    if arabic != analyzer.is_arabic() {
        return Vec::new();
    }
    let folded = if arabic { fold_arabic(word) } else { fold_latin(word) };
    if folded.is_empty() || is_stop_word(&folded) {
        return Vec::new();
    }
    let mut keys = match analyzer {
        Analyzer::ArabicStem => {
            let stem = Stemmer::new(Algorithm::Arabic).stem(&folded).into_owned();
            let stem = if stem.is_empty() { folded } else { stem };
            vec![unify_arabic_letters(&stem)]
        }
        Analyzer::ArabicLight => {
            arabic_prefix_forms(&unify_arabic_letters(&folded)).into_iter().filter(|k| !is_stop_word(k)).collect()
        }
        Analyzer::French => vec![Stemmer::new(Algorithm::French).stem(&folded).into_owned()],
        Analyzer::English => vec![Stemmer::new(Algorithm::English).stem(&folded).into_owned()],
    };
    for run in digit_runs(word) {
        if !keys.contains(&run) {
            keys.push(run);
        }
    }
    keys
}

/// A reference written without spaces: words joined each by one separator, one of them with a
/// digit (`2/2025`, `D-3`, `17/02/2025`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Its words: indices into the words it was found in.
    pub words: Range<usize>,
    /// Its bytes in the text.
    pub range: Range<usize>,
    /// Its one index key, the same in every analyzer: the parts folded, joined by canonical
    /// separators (`D-3` → `d-3`, `٢/٢٠٢٥` → `2/2025`).
    pub key: String,
}

/// The canonical separator of `c` inside a reference: slashes → `/`, hyphens, dashes and minus →
/// `-`, dot and the Arabic decimal separator → `.`.
fn separator(c: char) -> Option<char> {
    match c {
        '/' | '\u{2044}' | '\u{2215}' | '\u{060D}' => Some('/'),
        '-' | '\u{2010}'..='\u{2013}' | '\u{2212}' => Some('-'),
        '.' | '\u{066B}' => Some('.'),
        _ => None,
    }
}

/// A part of a reference as it appears in its key: folded, never stemmed.
fn fold_part(word: &str) -> String {
    if word.chars().any(is_arabic_letter) { unify_arabic_letters(&fold_arabic(word)) } else { fold_latin(word) }
}

/// The references of `text`, whose words ([`words`]) are `words`, in order.
#[must_use]
pub fn references(text: &str, words: &[(Range<usize>, &str)]) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut key = fold_part(words[i].1);
        let mut j = i;
        while j + 1 < words.len() {
            let mut gap = text[words[j].0.end..words[j + 1].0.start].chars().filter(|c| !is_invisible(*c));
            let (Some(sep), None) = (gap.next().and_then(separator), gap.next()) else { break };
            key.push(sep);
            key.push_str(&fold_part(words[j + 1].1));
            j += 1;
        }
        if j > i && words[i..=j].iter().any(|(_, w)| w.chars().any(|c| ascii_digit(c).is_some())) {
            out.push(Reference { words: i..j + 1, range: words[i].0.start..words[j].0.end, key });
        }
        i = j + 1;
    }
    out
}

/// A tantivy tokenizer giving the keys of one analyzer — or, `tagged`, of several analyzers with
/// their keys prefixed `tag:` (for snippets over every analyzer at once). Tokens keep the word's
/// offsets in the original text; the keys of one word share its position.
#[derive(Clone, Debug)]
pub struct KeyTokenizer {
    analyzers: Vec<Analyzer>,
    tagged: bool,
    tokens: Vec<Token>,
}

impl KeyTokenizer {
    /// The tokenizer of one analyzer's indexed fields.
    #[must_use]
    pub fn new(analyzer: Analyzer) -> Self {
        Self { analyzers: vec![analyzer], tagged: false, tokens: Vec::new() }
    }

    /// Every analyzer, keys tagged `ar:`, `arl:`, `fr:`, `en:`.
    #[must_use]
    pub fn tagged() -> Self {
        Self { analyzers: Analyzer::ALL.to_vec(), tagged: true, tokens: Vec::new() }
    }
}

impl Tokenizer for KeyTokenizer {
    type TokenStream<'a> = KeyTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KeyTokenStream<'a> {
        self.tokens.clear();
        let words: Vec<_> = words(text).collect();
        let mut references = references(text, &words).into_iter().peekable();
        for (position, (range, word)) in words.iter().enumerate() {
            // A reference's key comes at its first word's position, spanning all its words.
            let reference = references.next_if(|r| r.words.start == position);
            for &analyzer in &self.analyzers {
                let reference = reference.iter().map(|r| (r.range.clone(), r.key.clone()));
                for (range, key) in keys(analyzer, word).into_iter().map(|k| (range.clone(), k)).chain(reference) {
                    let text = if self.tagged { format!("{}:{key}", analyzer.tag()) } else { key };
                    self.tokens.push(Token {
                        offset_from: range.start,
                        offset_to: range.end,
                        position,
                        text,
                        position_length: 1,
                    });
                }
            }
        }
        KeyTokenStream { tokens: &mut self.tokens, next: 0 }
    }
}

/// The token stream of [`KeyTokenizer`] (tokens computed up front).
#[derive(Debug)]
pub struct KeyTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for KeyTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_do_not_split_words_and_offsets_point_into_the_original() {
        let text = "إِعْدَاد خطة، Comité";
        let w: Vec<_> = words(text).collect();
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].1, "إِعْدَاد");
        assert_eq!(&text[w[2].0.clone()], "Comité");
    }

    #[test]
    fn folding_follows_c01() {
        assert_eq!(fold_arabic("إِعْدَاد"), "اعداد");
        assert_eq!(fold_arabic("آسفي"), "اسفي");
        // Decomposed: alef + U+0654 / U+0655 / U+0653.
        assert_eq!(fold_arabic("\u{0627}\u{0654}\u{0639}\u{062F}\u{0627}\u{062F}"), "اعداد");
        assert_eq!(fold_arabic("\u{0627}\u{0655}\u{0639}\u{062F}\u{0627}\u{062F}"), "اعداد");
        assert_eq!(fold_arabic("\u{0627}\u{0653}\u{0633}\u{0641}\u{064A}"), "اسفي");
        assert_eq!(fold_arabic("مَرَّاكُش"), "مراكش");
        assert_eq!(fold_arabic("تـــدريب"), "تدريب");
        assert_eq!(fold_arabic("٢٠٢٥"), "2025");
        assert_eq!(fold_latin("Comité Œuvre"), "comite oeuvre");
    }

    #[test]
    fn prefixes_are_stripped_into_extra_keys() {
        let f = arabic_prefix_forms("للجنه");
        assert!(f.contains("لجنه") && f.contains("للجنه"), "{f:?}");
        let f = arabic_prefix_forms("وبالتدريب");
        assert!(f.contains("تدريب") && f.contains("التدريب"), "{f:?}");
        assert_eq!(arabic_prefix_forms("بلد"), BTreeSet::from(["بلد".to_string()]));
        assert!(keys(Analyzer::ArabicLight, "في").is_empty());
        assert!(keys(Analyzer::French, "مالي").is_empty());
    }

    #[test]
    fn numbers_are_keys_in_every_analyzer_with_ascii_digits() {
        for a in Analyzer::ALL {
            assert_eq!(keys(a, "2025"), ["2025"], "{a:?}");
            assert_eq!(keys(a, "٢٠٢٥"), ["2025"], "{a:?}");
            assert_eq!(keys(a, "۲۰۲۵"), ["2025"], "{a:?}");
            assert_eq!(keys(a, "1\u{200B}999"), ["1999"], "{a:?}");
        }
        assert!(keys(Analyzer::ArabicLight, "2025م").contains(&"2025".to_string()));
        assert!(keys(Analyzer::French, "2025م").is_empty(), "an Arabic word");
        assert_eq!(keys(Analyzer::English, "A400M"), ["a400m", "400"]);
        assert_eq!(number("٢٠٢٥"), Some("2025".into()));
        assert_eq!(number("D3"), None);
    }

    #[test]
    fn references_are_words_joined_by_one_separator_with_a_digit() {
        let refs = |text: &str| {
            let words: Vec<_> = words(text).collect();
            references(text, &words).into_iter().map(|r| (text[r.range].to_string(), r.key)).collect::<Vec<_>>()
        };
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(refs("Décision 2/2025, phase D-3."), [pair("2/2025", "2/2025"), pair("D-3", "d-3")]);
        assert_eq!(refs("القرار ٢/٢٠٢٥"), [pair("٢/٢٠٢٥", "2/2025")]);
        assert_eq!(refs("le 17/02/2025 à 3.2.1"), [pair("17/02/2025", "17/02/2025"), pair("3.2.1", "3.2.1")]);
        assert_eq!(refs("D\u{2013}3 et D\u{2011}3"), [pair("D\u{2013}3", "d-3"), pair("D\u{2011}3", "d-3")]);
        assert!(refs("Sud-Ouest, PV n° 2, 2 / 2025, en 2025.").is_empty());
    }

    #[test]
    fn invisible_characters_do_not_split_words_nor_reach_keys() {
        let w: Vec<_> = words("\u{200F}العقيد Sé\u{200B}gou\u{200E} ").map(|(_, w)| w).collect();
        assert_eq!(w, ["العقيد", "Sé\u{200B}gou"]);
        assert_eq!(keys(Analyzer::French, "Sé\u{200B}gou"), keys(Analyzer::French, "Ségou"));
        assert_eq!(keys(Analyzer::ArabicLight, "الع\u{200D}قيد"), keys(Analyzer::ArabicLight, "العقيد"));
        assert!(keys(Analyzer::French, "\u{FEFF}").is_empty());
    }
}
