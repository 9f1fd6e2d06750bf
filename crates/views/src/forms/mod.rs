//! The plumbing every record form shares: the submitted fields ([`FormData`]), reading them into
//! domain values with one error per field ([`Reader`]), and the inputs the template renders
//! ([`Builder`], [`Block`], [`Field`]), each carrying what the user typed and its error.
//!
//! Field names follow the record's JSON field names (`title`, `due`, `venue.city`, `zone`,
//! `indicator.baseline`, …) so that a domain refusal, which names its field, lands beside the
//! right input. Per-language texts are three inputs `{name}.ar`, `{name}.fr`, `{name}.en`; the
//! rows of a list are `{list}.{index}.{field}`.

pub mod table;

use std::collections::BTreeMap;

use jiff::civil::{Date, Time};
use lajna_domain::day::{DAY_PATTERN, parse_day, show_iso_day};
use lajna_domain::values::parse_integer;
use lajna_domain::{DomainError, Lang, LocalizedText, PartyCode, Progress, RecordKind};

use lajna_i18n::Tr;

/// Whether records of `kind` have a form here: every shared kind (private notes and documents,
/// which carry a file, have their own pages; so do pledges and exchange rates, whose amounts and
/// rates are typed as decimals in the reader's language, issue 18).
#[must_use]
pub fn has_form(kind: RecordKind) -> bool {
    !kind.is_private() && !kind.is_marked() && kind != RecordKind::Rate
}

/// Most rows a list of a form may have (programme items, agenda items, quotes…).
pub const MAX_ROWS: usize = 200;

/// Errors of a form: (input name, what is wrong).
pub type Errors = Vec<(String, DomainError)>;

/// The fields of a submitted (or prefilled) form, in order, repeated names allowed. Read from
/// an urlencoded body (`CsrfForm<FormData>`), without its CSRF token.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(from = "Vec<(String, String)>")]
pub struct FormData(Vec<(String, String)>);

impl From<Vec<(String, String)>> for FormData {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().filter(|(k, _)| k != "csrf").collect())
    }
}

impl FormData {
    /// The first value of `name`, or `""`.
    #[must_use]
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name` (a multiple select), in order.
    #[must_use]
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()).collect()
    }

    /// Adds a value.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Sets `name` unless the form already has it (defaults of a new form).
    pub fn preset(&mut self, name: &str, value: impl Into<String>) {
        if !self.0.iter().any(|(k, _)| k == name) {
            self.set(name, value);
        }
    }

    /// Sets the three inputs of a per-language text.
    pub fn text(&mut self, name: &str, t: &LocalizedText) {
        for lang in Lang::ALL {
            self.set(format!("{name}.{}", lang.code()), t.get(lang).unwrap_or_default());
        }
    }

    /// Sets a checkbox (present only when checked, as a browser sends it).
    pub fn flag(&mut self, name: &str, on: bool) {
        if on {
            self.set(name, "1");
        }
    }

    /// Number of rows of the list `prefix` (highest `{prefix}.{n}.…` index + 1). Rows from
    /// [`MAX_ROWS`] on are ignored, so a forged index cannot make the server lay out millions.
    #[must_use]
    pub fn rows(&self, prefix: &str) -> usize {
        let head = format!("{prefix}.");
        self.0
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(&head))
            .filter_map(|rest| rest.split('.').next().and_then(|n| n.parse::<usize>().ok()))
            .filter(|n| *n < MAX_ROWS)
            .map(|n| n + 1)
            .max()
            .unwrap_or(0)
    }

    /// The rows of the list `prefix` with something typed in them (see [`FormData::blank_row`]),
    /// as their prefixes `{prefix}.{index}`, in order.
    #[must_use]
    pub fn filled_rows(&self, prefix: &str) -> Vec<String> {
        (0..self.rows(prefix)).map(|i| format!("{prefix}.{i}")).filter(|row| !self.blank_row(row)).collect()
    }

    /// Whether every input of the row `row` (e.g. `programme.2`) is blank; its checkboxes do
    /// not count. A blank row is left out of the record.
    #[must_use]
    pub fn blank_row(&self, row: &str) -> bool {
        let head = format!("{row}.");
        self.0
            .iter()
            .filter(|(k, _)| k.starts_with(&head) && !k.ends_with(".illustrative"))
            .all(|(_, v)| v.trim().is_empty())
    }
}

/// Text as typed, with a browser's CRLF line ends turned back into LF.
#[must_use]
pub fn clean(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Arabic-Indic (U+0660–0669) and Extended Arabic-Indic (U+06F0–06F9) digits as ASCII digits,
/// so a date or time typed with them parses (case C03).
#[must_use]
pub fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10).unwrap_or(c),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A time as the time input shows it: `HH:MM`, with seconds only when there are some.
#[must_use]
pub fn show_time(t: Time) -> String {
    if t.second() == 0 && t.subsec_nanosecond() == 0 {
        format!("{:02}:{:02}", t.hour(), t.minute())
    } else {
        t.to_string()
    }
}

/// The refusal of a required input left blank (shown as "required", not as an invalid value).
#[must_use]
pub fn required(field: &str) -> DomainError {
    DomainError::InvalidValue { field: field.into(), value: String::new() }
}

/// Reads a form into domain values, keeping one error per input.
pub struct Reader<'a> {
    form: &'a FormData,
    errors: Errors,
}

impl<'a> Reader<'a> {
    /// A reader of `form`.
    #[must_use]
    pub fn new(form: &'a FormData) -> Self {
        Self { form, errors: vec![] }
    }

    /// Records an error of the input `field`.
    pub fn fail(&mut self, field: &str, e: DomainError) {
        self.errors.push((field.to_string(), e));
    }

    fn trimmed(&self, name: &str) -> String {
        ascii_digits(self.form.get(name).trim())
    }

    fn local(&self, name: &str) -> LocalizedText {
        let mut t = LocalizedText::default();
        let ar = clean(self.form.get(&format!("{name}.ar")));
        let fr = clean(self.form.get(&format!("{name}.fr")));
        let en = clean(self.form.get(&format!("{name}.en")));
        let pick = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        t.ar = pick(&ar);
        t.fr = pick(&fr);
        t.en = pick(&en);
        t
    }

    /// A per-language text that needs at least one language.
    pub fn text(&mut self, name: &str) -> Option<LocalizedText> {
        let t = self.local(name);
        match t.check(name) {
            Ok(()) => Some(t),
            Err(e) => {
                self.fail(name, e);
                None
            }
        }
    }

    /// A per-language text that may be blank in every language (then `None`).
    #[must_use]
    pub fn opt_text(&self, name: &str) -> Option<LocalizedText> {
        let t = self.local(name);
        t.check(name).is_ok().then_some(t)
    }

    /// A per-language text that may be blank (then empty).
    #[must_use]
    pub fn any_text(&self, name: &str) -> LocalizedText {
        self.local(name)
    }

    /// An optional date: `dd/mm/yyyy` or ISO `yyyy-mm-dd` ([`parse_day`]).
    pub fn opt_date(&mut self, name: &str) -> Option<Date> {
        let v = self.trimmed(name);
        if v.is_empty() {
            return None;
        }
        let day = parse_day(&v);
        if day.is_none() {
            self.fail(name, DomainError::NotADay { field: name.into(), value: v });
        }
        day
    }

    /// An optional local time (`HH:MM` or `HH:MM:SS`).
    pub fn opt_time(&mut self, name: &str) -> Option<Time> {
        let v = self.trimmed(name);
        if v.is_empty() {
            return None;
        }
        match v.parse::<Time>() {
            Ok(t) if v.len() >= 5 => Some(t),
            _ => {
                self.fail(name, DomainError::InvalidValue { field: name.into(), value: v });
                None
            }
        }
    }

    /// An optional integer (Western or Arabic-Indic digits).
    pub fn opt_int(&mut self, name: &str) -> Option<i64> {
        let raw = self.form.get(name).trim();
        if raw.is_empty() {
            return None;
        }
        match parse_integer(raw) {
            Some(n) => Some(n),
            None => {
                self.fail(name, DomainError::InvalidValue { field: name.into(), value: raw.into() });
                None
            }
        }
    }

    /// A progress percent (`75`, `٧٥`, `75 %`).
    pub fn progress(&mut self, name: &str) -> Option<Progress> {
        match Progress::parse(self.form.get(name)) {
            Ok(p) => Some(p),
            Err(e) => {
                self.fail(name, e);
                None
            }
        }
    }

    /// A required choice parsed by `parse` (a party, a status, a category…).
    pub fn choice<T>(&mut self, name: &str, parse: impl Fn(&str) -> Result<T, DomainError>) -> Option<T> {
        let v = self.form.get(name).trim();
        if v.is_empty() {
            self.fail(name, required(name));
            return None;
        }
        match parse(v) {
            Ok(t) => Some(t),
            Err(e) => {
                self.fail(name, e);
                None
            }
        }
    }

    /// A party code.
    pub fn party(&mut self, name: &str) -> Option<PartyCode> {
        self.choice(name, PartyCode::parse)
    }

    /// The references chosen in a multiple select.
    #[must_use]
    pub fn ids(&self, name: &str) -> Vec<String> {
        self.form.all(name).into_iter().map(|v| v.trim().to_string()).collect()
    }

    /// A checkbox.
    #[must_use]
    pub fn flag(&self, name: &str) -> bool {
        !self.form.get(name).is_empty()
    }

    /// Checks that `end` is not before `start`, as the domain will, so that every error of the
    /// form shows at once; `show` writes the values in the message.
    pub fn order<T: PartialOrd + Copy>(
        &mut self,
        field: &str,
        start: Option<T>,
        end: Option<T>,
        show: impl Fn(T) -> String,
    ) {
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            self.fail(field, DomainError::EndBeforeStart { field: field.into(), start: show(s), end: show(e) });
        }
    }

    /// The record built by `build` when no input had an error, else every error.
    ///
    /// # Errors
    /// The errors recorded while reading.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Errors> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        build().ok_or(self.errors)
    }
}

/// One choice of a select.
#[derive(Clone, Debug)]
pub struct Opt {
    /// Submitted value.
    pub value: String,
    /// Shown label.
    pub label: String,
    /// Selected now.
    pub selected: bool,
}

/// One of the three inputs of a per-language text.
#[derive(Clone, Debug)]
pub struct LangInput {
    /// Input name (`title.ar`).
    pub name: String,
    /// Input id.
    pub id: String,
    /// `ar`, `fr`, `en`.
    pub code: &'static str,
    /// `rtl` for Arabic.
    pub dir: &'static str,
    /// The language's name in itself.
    pub label: &'static str,
    /// Current value.
    pub value: String,
}

/// One input (or group of three per-language inputs) of a form.
#[derive(Clone, Debug, Default)]
pub struct Field {
    /// Input name (the prefix for a per-language text).
    pub name: String,
    /// HTML id.
    pub id: String,
    /// Label.
    pub label: String,
    /// `text`, `date`, `time`, `number`, `exact` (archived text), `langs`, `select`, `multi`,
    /// `check`.
    pub kind: &'static str,
    /// Current value.
    pub value: String,
    /// Per-language inputs (`langs`).
    pub langs: Vec<LangInput>,
    /// Per-language inputs are text areas.
    pub multiline: bool,
    /// Choices (`select`, `multi`).
    pub options: Vec<Opt>,
    /// Required.
    pub required: bool,
    /// The error message, if refused.
    pub error: String,
    /// A hint shown beside the input (e.g. the venue's time zone).
    pub hint: String,
    /// Id of a datalist of suggestions.
    pub list: &'static str,
    /// The `pattern` of a typed input (a date's [`lajna_domain::day::DAY_PATTERN`]).
    pub pattern: &'static str,
    /// The first input in error of its form: focused when the page opens, without JavaScript
    /// (issue 17 item 3).
    pub autofocus: bool,
}

/// A list of rows (programme items, agenda items, quotes…).
#[derive(Clone, Debug, Default)]
pub struct Section {
    /// HTML id.
    pub id: String,
    /// Legend.
    pub legend: String,
    /// Error about the list as a whole.
    pub error: String,
    /// Hint.
    pub hint: String,
    /// The rows' inputs.
    pub rows: Vec<Vec<Field>>,
}

/// What the form template renders, in order.
#[derive(Clone, Debug)]
pub enum Block {
    /// One input.
    One(Field),
    /// A list of rows.
    Rows(Section),
}

/// The records a form may refer to, for its selects: (id, label) per kind.
#[derive(Clone, Debug, Default)]
pub struct Choices {
    /// The committee's parties: (code, code and name).
    pub parties: Vec<(String, String)>,
    /// Records per kind.
    pub refs: BTreeMap<RecordKind, Vec<(String, String)>>,
}

/// A language's name in itself (`العربية`, `Français`, `English`).
#[must_use]
pub fn native_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Ar => "العربية",
        Lang::Fr => "Français",
        Lang::En => "English",
    }
}

/// An input name as an HTML id fragment.
#[must_use]
pub fn html_id(name: &str) -> String {
    name.replace('.', "-")
}

/// Lays out a form's inputs with the values of a [`FormData`] and the messages of its errors.
pub struct Builder<'a> {
    form: &'a FormData,
    tr: Tr<'a>,
    choices: &'a Choices,
    errors: Vec<(String, String)>,
    fresh: bool,
    blocks: Vec<Block>,
}

impl<'a> Builder<'a> {
    /// A builder over `form`. `errors` are (input name, message); `fresh` adds empty rows to
    /// lists (a form just opened, not one sent back).
    #[must_use]
    pub fn new(
        form: &'a FormData,
        tr: Tr<'a>,
        choices: &'a Choices,
        errors: Vec<(String, String)>,
        fresh: bool,
    ) -> Self {
        Self { form, tr, choices, errors, fresh, blocks: vec![] }
    }

    /// The form's current values.
    #[must_use]
    pub fn form(&self) -> &'a FormData {
        self.form
    }

    /// The blocks and the errors no input claimed (shown above the form). When every error has
    /// its input, the first input in error in page order (a list's first input when the list as
    /// a whole is refused) gets [`Field::autofocus`]; otherwise the errors above the form come
    /// first and the form template focuses them.
    #[must_use]
    pub fn finish(mut self) -> (Vec<Block>, Vec<String>) {
        let first = self.blocks.iter_mut().find_map(|b| match b {
            Block::One(f) => (!f.error.is_empty()).then_some(f),
            Block::Rows(s) => {
                let whole = !s.error.is_empty();
                s.rows
                    .iter_mut()
                    .flatten()
                    .enumerate()
                    .find(|(i, f)| (whole && *i == 0) || !f.error.is_empty())
                    .map(|(_, f)| f)
            }
        });
        if self.errors.is_empty()
            && let Some(f) = first
        {
            f.autofocus = true;
        }
        (self.blocks, self.errors.into_iter().map(|(_, m)| m).collect())
    }

    /// Takes the messages of errors about `name`.
    fn take(&mut self, name: &str) -> String {
        let mut out: Vec<String> = vec![];
        self.errors.retain(|(f, m)| {
            if f == name {
                if !out.contains(m) {
                    out.push(m.clone());
                }
                false
            } else {
                true
            }
        });
        out.join(" ")
    }

    fn push(&mut self, mut f: Field) {
        f.id = html_id(&f.name);
        let mut errors = self.take(&f.name);
        if f.kind == "langs" {
            // A message about one language's input goes with the group.
            for lang in Lang::ALL {
                let more = self.take(&format!("{}.{}", f.name, lang.code()));
                if !more.is_empty() {
                    errors = if errors.is_empty() { more } else { format!("{errors} {more}") };
                }
            }
        }
        f.error = errors;
        self.blocks.push(Block::One(f));
    }

    fn base(&self, name: &str, label_key: &str, kind: &'static str) -> Field {
        Field {
            name: name.to_string(),
            label: self.tr.t(label_key),
            kind,
            value: self.form.get(name).to_string(),
            ..Field::default()
        }
    }

    fn lang_inputs(&self, name: &str) -> Vec<LangInput> {
        Lang::ALL
            .iter()
            .map(|l| {
                let input = format!("{name}.{}", l.code());
                LangInput {
                    id: html_id(&input),
                    value: self.form.get(&input).to_string(),
                    name: input,
                    code: l.code(),
                    dir: l.dir(),
                    label: native_name(*l),
                }
            })
            .collect()
    }

    /// A one-line per-language text.
    pub fn langs(&mut self, name: &str, label_key: &str, required: bool) {
        let f = Field { langs: self.lang_inputs(name), required, ..self.base(name, label_key, "langs") };
        self.push(f);
    }

    /// A multi-line per-language text.
    pub fn langs_long(&mut self, name: &str, label_key: &str, required: bool) {
        let f =
            Field { langs: self.lang_inputs(name), multiline: true, required, ..self.base(name, label_key, "langs") };
        self.push(f);
    }

    /// A one-line text.
    pub fn text(&mut self, name: &str, label_key: &str, required: bool) {
        let f = Field { required, ..self.base(name, label_key, "text") };
        self.push(f);
    }

    /// A text archived exactly as typed.
    pub fn exact(&mut self, name: &str, label_key: &str) {
        let f = Field { required: true, ..self.base(name, label_key, "exact") };
        self.push(f);
    }

    /// A date, typed as the reader writes it: `dd/mm/yyyy` in French and Arabic, ISO in
    /// English ([`lajna_domain::day`]); the stored ISO value shown that way, the format as its
    /// hint.
    pub fn date(&mut self, name: &str, label_key: &str, required: bool) {
        let mut f = Field { required, pattern: DAY_PATTERN, ..self.base(name, label_key, "date") };
        f.value = show_iso_day(&f.value, self.tr.lang);
        f.hint = self.tr.t("date-format");
        self.push(f);
    }

    /// A venue-local time, with the venue's zone beside it.
    pub fn time(&mut self, name: &str, label_key: &str, zone: &str) {
        let hint = if zone.trim().is_empty() {
            self.tr.t("forms-venue-time")
        } else {
            self.tr.s("forms-local-time", "zone", zone.trim())
        };
        let f = Field { hint, ..self.base(name, label_key, "time") };
        self.push(f);
    }

    /// An integer (Western or Arabic-Indic digits).
    pub fn number(&mut self, name: &str, label_key: &str, required: bool) {
        let f = Field { required, ..self.base(name, label_key, "number") };
        self.push(f);
    }

    /// A tz database zone name, with suggestions.
    pub fn zone(&mut self, name: &str, label_key: &str) {
        let f = Field {
            required: true,
            list: "zones",
            hint: self.tr.t("forms-zone-hint"),
            ..self.base(name, label_key, "text")
        };
        self.push(f);
    }

    /// A checkbox.
    pub fn check(&mut self, name: &str, label_key: &str) {
        let f = self.base(name, label_key, "check");
        self.push(f);
    }

    /// A select among `(value, label)` pairs; an optional one starts with a blank choice. A
    /// current value that is not among the choices is kept as a choice of its own, so saving
    /// the form never changes it unasked.
    pub fn select(&mut self, name: &str, label_key: &str, choices: Vec<(String, String)>, required: bool) {
        let mut f = Field { required, ..self.base(name, label_key, "select") };
        let current = f.value.clone();
        if !required || current.is_empty() {
            f.options.push(Opt { value: String::new(), label: "—".into(), selected: current.is_empty() });
        }
        let known = choices.iter().any(|(v, _)| *v == current);
        for (value, label) in choices {
            f.options.push(Opt { selected: value == current, value, label });
        }
        if !known && !current.is_empty() {
            f.options.push(Opt { value: current.clone(), label: current, selected: true });
        }
        self.push(f);
    }

    /// A select among codes whose labels are the messages `{key_prefix}{code}`.
    pub fn codes(&mut self, name: &str, label_key: &str, codes: &[&str], key_prefix: &str) {
        let choices = codes.iter().map(|c| ((*c).to_string(), self.tr.t(&format!("{key_prefix}{c}")))).collect();
        self.select(name, label_key, choices, true);
    }

    /// A party.
    pub fn party(&mut self, name: &str, label_key: &str) {
        let extra = self.take("@party");
        self.select(name, label_key, self.choices.parties.clone(), true);
        self.add_error(extra);
    }

    /// The records of `kinds` to choose from, kind after kind.
    fn records_of(&self, kinds: &[RecordKind]) -> Vec<(String, String)> {
        kinds.iter().flat_map(|k| self.choices.refs.get(k).cloned().unwrap_or_default()).collect()
    }

    /// A reference to a record of one of `kinds`. A refusal naming those kinds (`@ref:area`,
    /// as [`lajna_domain::records::Reference::check`] names them) is shown beside it.
    pub fn reference(&mut self, name: &str, label_key: &str, kinds: &[RecordKind], required: bool) {
        let codes: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
        let extra = self.take(&format!("@ref:{}", codes.join("|")));
        let choices = self.records_of(kinds);
        self.select(name, label_key, choices, required);
        self.add_error(extra);
    }

    /// Several references to records of `kinds`. The chosen ones come first, in their stored
    /// order, so that a browser sends them back in that order.
    pub fn references(&mut self, name: &str, label_key: &str, kinds: &[RecordKind]) {
        let chosen: Vec<String> = self.form.all(name).into_iter().map(String::from).collect();
        let all = self.records_of(kinds);
        let mut f = self.base(name, label_key, "multi");
        for id in &chosen {
            let label = all.iter().find(|(v, _)| v == id).map_or_else(|| id.clone(), |(_, l)| l.clone());
            f.options.push(Opt { value: id.clone(), label, selected: true });
        }
        for (value, label) in all.into_iter().filter(|(v, _)| !chosen.contains(v)) {
            f.options.push(Opt { value, label, selected: false });
        }
        self.push(f);
    }

    fn add_error(&mut self, extra: String) {
        if extra.is_empty() {
            return;
        }
        if let Some(Block::One(f)) = self.blocks.last_mut() {
            f.error = if f.error.is_empty() { extra } else { format!("{} {extra}", f.error) };
        }
    }

    /// A list `name` of rows laid out by `row` (given the row's prefix `name.{i}`): the rows the
    /// form has, plus `extra` empty ones on a fresh form, at least one.
    pub fn rows(&mut self, name: &str, legend_key: &str, extra: usize, mut row: impl FnMut(&mut Self, &str)) {
        let outer = std::mem::take(&mut self.blocks);
        let have = self.form.rows(name);
        let count = (have + if self.fresh { extra } else { 0 }).max(1);
        let mut rows = Vec::with_capacity(count);
        for i in 0..count {
            row(self, &format!("{name}.{i}"));
            let fields = std::mem::take(&mut self.blocks)
                .into_iter()
                .filter_map(|b| match b {
                    Block::One(f) => Some(f),
                    Block::Rows(_) => None,
                })
                .collect();
            rows.push(fields);
        }
        self.blocks = outer;
        // What is left about the list (a domain rule naming `programme.title`, say) goes on top.
        let head = format!("{name}.");
        let mut messages: Vec<String> = vec![];
        self.errors.retain(|(f, m)| {
            if f == name || f.starts_with(&head) {
                if !messages.contains(m) {
                    messages.push(m.clone());
                }
                false
            } else {
                true
            }
        });
        self.blocks.push(Block::Rows(Section {
            id: html_id(name),
            legend: self.tr.t(legend_key),
            error: messages.join(" "),
            hint: self.tr.t("forms-rows-hint"),
            rows,
        }));
    }
}
