//! The form of every record kind, driven by the kind's field table
//! ([`lajna_domain::records::Record::FIELDS`]): how a stored record fills the form ([`fill`]),
//! what a new form starts with ([`presets`]), which inputs it has ([`layout`]) and how the
//! submitted inputs become the record's JSON ([`read`]), with one error per input. The JSON is
//! then read as the record type ([`Command::create`], [`RecordKind::typed`]) and the domain's
//! own rules (references, ranges, dates) run in `decide`.
//!
//! Input names follow the table: a field's JSON name, `{group}.{field}` inside a group,
//! `{rows}.{index}.{field}` inside rows, `{list}.{index}` for a list's values, three inputs
//! `{name}.ar|fr|en` for a per-language text, and `zone` for the zone wherever it stands.

use std::collections::HashMap;

use jiff::civil::{Date, Time};
use lajna_domain::fields::{Check, Field, Input, Need, Preset};
use lajna_domain::values::check_zone;
use lajna_domain::{DomainError, Lang, LocalizedText, RecordKind, State};
use serde_json::{Map, Value};

use super::{Builder, Errors, FormData, Reader, clean, native_name, required, show_time};

/// The name of the input of `field` inside `prefix` (empty at the top).
fn input_name(prefix: &str, field: &Field) -> String {
    match (field.input, prefix) {
        (Input::Zone, _) => "zone".into(),
        (_, "") => field.name.into(),
        _ => format!("{prefix}.{}", field.name),
    }
}

/// Inputs of the form, in the table's order (computed and file fields are not inputs).
fn inputs(fields: &'static [Field]) -> impl Iterator<Item = &'static Field> {
    fields.iter().filter(|f| f.is_input())
}

/// Puts a stored record's values (its JSON object) in the form's inputs.
pub fn fill(kind: RecordKind, record: &Value, form: &mut FormData) {
    fill_object(kind.fields(), record, "", form);
}

fn fill_object(fields: &'static [Field], object: &Value, prefix: &str, form: &mut FormData) {
    for field in inputs(fields) {
        fill_one(field, &input_name(prefix, field), object.get(field.name).unwrap_or(&Value::Null), form);
    }
}

fn fill_one(field: &Field, name: &str, value: &Value, form: &mut FormData) {
    let items = || value.as_array().into_iter().flatten();
    match field.input {
        Input::Text | Input::LongText => {
            form.text(name, &serde_json::from_value::<LocalizedText>(value.clone()).unwrap_or_default());
        }
        Input::Time => {
            let time = value.as_str().and_then(|t| t.parse::<Time>().ok());
            form.set(name, time.map(show_time).unwrap_or_default());
        }
        Input::Flag => form.flag(name, value.as_bool() == Some(true)),
        Input::References(_) => items().filter_map(Value::as_str).for_each(|id| form.set(name, id)),
        Input::Group(inner) => fill_object(inner, value, name, form),
        Input::Rows { fields, .. } => {
            items().enumerate().for_each(|(i, row)| fill_object(fields, row, &format!("{name}.{i}"), form));
        }
        Input::List { item, .. } => {
            items().enumerate().for_each(|(i, v)| fill_one(item, &format!("{name}.{i}"), v, form))
        }
        Input::Blake3Of(_) | Input::File | Input::Marking | Input::Value => {}
        _ => form.set(
            name,
            match value {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            },
        ),
    }
}

/// What a new form starts from besides the table's fixed values.
pub struct Start<'a> {
    /// The user's party.
    pub party: &'a str,
    /// The page's language.
    pub lang: Lang,
    /// The query of the link that opened the form (`?decision=ID`).
    pub links: &'a HashMap<String, String>,
    /// The catalogues, for presets written in every language.
    pub catalog: &'a lajna_i18n::Catalog,
}

/// Sets the starting values of a new form of `kind` ([`Preset`]), from the state.
pub fn presets(kind: RecordKind, state: &State, start: &Start<'_>, form: &mut FormData) {
    let fields = kind.fields();
    // The id a link gives for a reference field, when it names a record of the field's kinds.
    let linked = |name: &str| {
        let field = fields.iter().find(|f| f.name == name && f.preset == Preset::Linked)?;
        let Input::Reference(kinds) = field.input else { return None };
        let id = start.links.get(name)?;
        state.entry(id).filter(|e| kinds.contains(&e.kind)).map(|e| (id.clone(), e))
    };
    // The last record of the kind by number (a session's predecessor).
    let last = || {
        state
            .entries()
            .filter(|(_, e)| e.kind == kind)
            .max_by_key(|(_, e)| e.content().get("number").and_then(Value::as_i64).unwrap_or(i64::MIN))
            .map(|(_, e)| e.content())
    };
    for field in fields {
        if field.preset == Preset::ReviewOfLast {
            let number = last().and_then(|c| c.get("number").and_then(Value::as_i64));
            for lang in Lang::ALL.into_iter().filter(|_| number.is_some()) {
                let args = [("number", lajna_i18n::Arg::Num(number.unwrap_or_default()))];
                form.preset(
                    &format!("{}.0.{}", field.name, lang.code()),
                    start.catalog.record_text(lang, "agenda-review-last", &args),
                );
            }
            continue;
        }
        let value = match field.preset {
            Preset::None => None,
            Preset::Value(v) => Some(v.to_string()),
            Preset::OwnParty => Some(start.party.to_string()),
            Preset::OtherParty => state
                .charter()
                .and_then(|c| c.parties.iter().find(|p| p.code.as_str() != start.party).map(|p| p.code.to_string())),
            Preset::PageLanguage => Some(start.lang.code().to_string()),
            Preset::Next => {
                let highest = state
                    .entries()
                    .filter(|(_, e)| e.kind == kind)
                    .filter_map(|(_, e)| e.content().get(field.name).and_then(Value::as_i64))
                    .max();
                Some((highest.unwrap_or(0) + 1).to_string())
            }
            Preset::Linked => linked(field.name).map(|(id, _)| id),
            Preset::Alternate => {
                let previous = last().and_then(|c| c.get(field.name).and_then(Value::as_str).map(String::from));
                let parties = state.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect::<Vec<_>>());
                match previous {
                    Some(host) => parties.unwrap_or_default().into_iter().find(|p| *p != host),
                    None => Some(start.party.to_string()),
                }
            }
            Preset::ReviewOfLast => None,
            Preset::FromLinked(other) => {
                linked(other).and_then(|(_, e)| e.content().get(field.name).and_then(Value::as_str).map(String::from))
            }
        };
        if let Some(value) = value {
            form.preset(field.name, value);
        }
    }
}

/// Lays out the inputs of a form of `kind`.
pub fn layout(kind: RecordKind, b: &mut Builder<'_>) {
    layout_object(kind.fields(), "", true, b);
}

/// `shown` is whether the object must be given (a top-level record, a required group): the
/// fields of rows and of optional groups are never marked required, since a blank row or group
/// is left out.
fn layout_object(fields: &'static [Field], prefix: &str, shown: bool, b: &mut Builder<'_>) {
    for field in inputs(fields) {
        layout_one(field, &input_name(prefix, field), shown && field.is_required(), b);
    }
}

fn layout_one(field: &Field, name: &str, required: bool, b: &mut Builder<'_>) {
    let label = field.label;
    match field.input {
        Input::Text => b.langs(name, label, required),
        Input::LongText => b.langs_long(name, label, required),
        Input::Line => b.text(name, label, required),
        Input::Exact => b.exact(name, label),
        Input::Date => b.date(name, label, required),
        Input::Time => {
            let zone = b.form().get("zone").to_string();
            b.time(name, label, &zone);
        }
        Input::Zone => b.zone(name, label),
        Input::Integer | Input::Percent => b.number(name, label, required),
        Input::Choice { codes, labels } => b.codes(name, label, codes, labels),
        Input::Language => {
            let langs = Lang::ALL.iter().map(|l| (l.code().to_string(), native_name(*l).to_string())).collect();
            b.select(name, label, langs, required);
        }
        Input::Party => b.party(name, label),
        Input::Reference(kinds) => b.reference(name, label, kinds, required),
        Input::References(kinds) => b.references(name, label, kinds),
        Input::Flag => b.check(name, label),
        Input::Group(inner) => layout_object(inner, name, required, b),
        Input::Rows { fields, extra } => b.rows(name, label, extra, |b, row| layout_object(fields, row, false, b)),
        Input::List { item, extra } => b.rows(name, label, extra, |b, row| layout_one(item, row, false, b)),
        Input::Blake3Of(_) | Input::File | Input::Marking | Input::Value => {}
    }
}

/// The record a form of `kind` describes, as JSON. `old` is the stored record's JSON when
/// editing (an exact text that reads the same as the stored one keeps the stored bytes).
///
/// # Errors
/// Every input that does not parse, with its name; every [`Check`] broken.
pub fn read(kind: RecordKind, form: &FormData, old: Option<&Value>) -> Result<Value, Errors> {
    let mut r = Reader::new(form);
    let record = read_object(&mut Read { r: &mut r, form }, kind.fields(), "", None, old);
    r.finish(|| Some(Value::Object(record)))
}

struct Read<'r, 'a> {
    r: &'r mut Reader<'a>,
    form: &'a FormData,
}

/// Reads the fields of one object at `prefix`. `top` is the record being read (for
/// [`Check::Within`]), `None` when this object is the record.
fn read_object(
    rd: &mut Read<'_, '_>,
    fields: &'static [Field],
    prefix: &str,
    top: Option<&Map<String, Value>>,
    old: Option<&Value>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for field in inputs(fields) {
        let name = input_name(prefix, field);
        let value = read_one(rd, field, &name, top.unwrap_or(&out), old.and_then(|o| o.get(field.name)));
        if let Some(value) = value {
            out.insert(field.name.to_string(), value);
        }
    }
    for field in fields {
        let name = input_name(prefix, field);
        let value = out.get(field.name);
        match field.check {
            Check::None => {}
            Check::NotBefore(start) => order(rd.r, &name, field.input, out.get(start), value),
            Check::Within(start, end) => {
                let top = top.unwrap_or(&out);
                let day = |v: Option<&Value>| v.and_then(Value::as_str).and_then(|d| d.parse::<Date>().ok());
                if let (Some(d), Some(s), Some(e)) = (day(value), day(top.get(start)), day(top.get(end)))
                    && (d < s || d > e)
                {
                    let e = DomainError::OutsideDates { date: d.to_string(), start: s.to_string(), end: e.to_string() };
                    rd.r.fail(&name, e);
                }
            }
        }
        if let Input::Blake3Of(of) = field.input
            && let Some(text) = out.get(of).and_then(Value::as_str)
        {
            let hash = blake3::hash(text.as_bytes()).to_hex().to_string();
            out.insert(field.name.to_string(), Value::String(hash));
        }
    }
    out
}

/// [`Check::NotBefore`]: an `end` (date or time) before its `start` is refused at `name`.
fn order(r: &mut Reader<'_>, name: &str, input: Input, start: Option<&Value>, end: Option<&Value>) {
    fn parsed<T: std::str::FromStr>(v: Option<&Value>) -> Option<T> {
        v.and_then(Value::as_str).and_then(|s| s.parse().ok())
    }
    match input {
        Input::Date => r.order(name, parsed::<Date>(start), parsed::<Date>(end), |d| d.to_string()),
        Input::Time => r.order(name, parsed::<Time>(start), parsed::<Time>(end), show_time),
        _ => {}
    }
}

fn json<T: serde::Serialize>(value: T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// Reads one field; `None` when it is absent from the record (blank and optional, or refused).
fn read_one(
    rd: &mut Read<'_, '_>,
    field: &Field,
    name: &str,
    top: &Map<String, Value>,
    old: Option<&Value>,
) -> Option<Value> {
    let (form, need) = (rd.form, field.need);
    let given = !form.get(name).trim().is_empty();
    let r = &mut *rd.r;
    match field.input {
        Input::Text | Input::LongText => match need {
            Need::Required => r.text(name).and_then(json),
            Need::Optional => r.opt_text(name).and_then(json),
            Need::Empty => json(r.any_text(name)),
        },
        Input::Exact => {
            // Kept as typed (only line ends normalised, as browsers send CRLF); when it reads
            // the same as the stored text, the stored bytes are kept.
            let text = clean(form.get(name));
            if text.trim().is_empty() {
                if field.is_required() {
                    r.fail(name, DomainError::EmptyText { field: name.into() });
                }
                return None;
            }
            let same = old.and_then(Value::as_str).filter(|o| clean(o) == text);
            Some(Value::String(same.map_or(text, String::from)))
        }
        // A progress is always given: a blank one is out of range, as the domain says.
        Input::Percent => r.progress(name).and_then(json),
        Input::References(_) => json(r.ids(name)),
        Input::Flag => Some(Value::Bool(r.flag(name))),
        Input::Group(inner) => {
            if need != Need::Required && form.blank_row(name) {
                return None;
            }
            Some(Value::Object(read_object(rd, inner, name, Some(top), old)))
        }
        Input::Rows { fields, .. } => {
            let rows = form.filled_rows(name).into_iter().map(|row| read_object(rd, fields, &row, Some(top), None));
            Some(Value::Array(rows.map(Value::Object).collect()))
        }
        Input::List { item, .. } => {
            let values = form.filled_rows(name).into_iter().filter_map(|row| read_one(rd, item, &row, top, None));
            Some(Value::Array(values.collect()))
        }
        Input::Blake3Of(_) | Input::File | Input::Marking | Input::Value => None,
        // The one-value inputs: blank is absent, or refused when required.
        _ if !given => {
            if field.is_required() {
                r.fail(name, required(name));
            }
            None
        }
        Input::Line | Input::Reference(_) => Some(Value::String(form.get(name).trim().to_string())),
        Input::Date => r.opt_date(name).and_then(json),
        Input::Time => r.opt_time(name).and_then(json),
        Input::Integer => r.opt_int(name).and_then(json),
        Input::Zone => {
            let zone = form.get(name).trim().to_string();
            match check_zone(&zone) {
                Ok(()) => Some(Value::String(zone)),
                Err(e) => {
                    r.fail(name, e);
                    None
                }
            }
        }
        Input::Choice { codes, .. } => r
            .choice(name, |v| {
                codes
                    .iter()
                    .find(|c| **c == v)
                    .ok_or_else(|| DomainError::InvalidValue { field: name.into(), value: v.into() })
            })
            .and_then(json),
        Input::Language => r.choice(name, Lang::parse).and_then(json),
        Input::Party => r.party(name).and_then(json),
    }
}

#[cfg(test)]
mod tests {
    use lajna_i18n::Catalog;

    use super::*;

    fn labels(fields: &'static [Field], out: &mut Vec<String>) {
        for f in fields {
            out.push(f.label.to_string());
            match f.input {
                Input::Choice { codes, labels: prefix } => out.extend(codes.iter().map(|c| format!("{prefix}{c}"))),
                Input::Group(inner) | Input::Rows { fields: inner, .. } => labels(inner, out),
                Input::List { item, .. } => out.push(item.label.to_string()),
                _ => {}
            }
        }
    }

    /// Every label of every record's table, and of each choice's codes, is a message in every
    /// language, as are the headings of each kind's forms.
    #[test]
    fn every_label_of_every_table_is_a_message_in_every_language() {
        let catalog = Catalog::load();
        for kind in RecordKind::ALL {
            let mut keys = vec![format!("forms-new-{}", kind.code()), format!("forms-edit-{}", kind.code())];
            if !super::super::has_form(kind) {
                keys.clear();
            }
            labels(kind.fields(), &mut keys);
            for lang in Lang::ALL {
                let known = catalog.keys(lang);
                for key in &keys {
                    assert!(known.contains(key), "{}: no message {key} in {}", kind.code(), lang.code());
                }
            }
        }
    }

    fn form(pairs: &[(&str, &str)]) -> FormData {
        pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect::<Vec<_>>().into()
    }

    /// A mission read from a form: the venue's zone from `zone`, blank rows left out, the
    /// programme's times as the domain stores them, an optional blank text absent.
    #[test]
    fn a_mission_form_reads_into_the_mission_json() {
        let f = form(&[
            ("title.fr", " Mission "),
            ("visiting", "mar"),
            ("host", "MLI"),
            ("venue.city.fr", "Bamako"),
            ("zone", "Africa/Bamako"),
            ("start", "2025-12-08"),
            ("end", "٢٠٢٥-١٢-١٢"),
            ("programme.0.date", "2025-12-09"),
            ("programme.0.start", "09:30"),
            ("programme.0.title.fr", "Visite"),
            ("programme.1.date", ""),
            ("programme.1.title.fr", ""),
            ("programme.1.illustrative", "1"),
            ("illustrative", "1"),
        ]);
        let v = read(RecordKind::Mission, &f, None).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "title": {"fr": "Mission"}, "visiting": "MAR", "host": "MLI",
                "venue": {"name": {}, "city": {"fr": "Bamako"}, "zone": "Africa/Bamako"},
                "start": "2025-12-08", "end": "2025-12-12",
                "programme": [{"date": "2025-12-09", "start": "09:30:00", "title": {"fr": "Visite"}, "illustrative": false}],
                "illustrative": true,
            })
        );
        RecordKind::Mission.typed(v).unwrap();
    }

    /// Issue 17 items 3 and 4: dates typed day first (any digits) read as ISO; laid out again in
    /// French they show day first, in English as ISO; the first input in error (page order)
    /// is the one focused, unless an error no input claims is shown above the form first.
    #[test]
    fn dates_read_day_first_show_in_the_readers_form_and_the_first_error_is_focused() {
        let f = form(&[
            ("title.fr", "Mission"),
            ("visiting", "MAR"),
            ("host", "MLI"),
            ("venue.city.fr", "Bamako"),
            ("zone", "Africa/Bamako"),
            ("start", "08/12/2025"),
            ("end", "١٢/١٢/٢٠٢٥"),
            ("programme.0.date", "9.12.2025"),
            ("programme.0.title.fr", "Visite"),
        ]);
        let v = read(RecordKind::Mission, &f, None).unwrap();
        assert_eq!((v["start"].as_str(), v["end"].as_str()), (Some("2025-12-08"), Some("2025-12-12")));
        assert_eq!(v["programme"][0]["date"], "2025-12-09");

        use super::super::{Block, Choices, Field as Input};
        let catalog = Catalog::load();
        let choices = Choices::default();
        let stored = form(&[("start", "2025-12-08"), ("end", "2025/12/31"), ("programme.0.date", "2025-12-09")]);
        let blocks = |lang: Lang, errors: Vec<(String, String)>| {
            let mut b = Builder::new(&stored, lajna_i18n::Tr { catalog: &catalog, lang }, &choices, errors, false);
            layout(RecordKind::Mission, &mut b);
            b.finish()
        };
        let fields = |blocks: &[Block]| -> Vec<Input> {
            blocks
                .iter()
                .flat_map(|b| match b {
                    Block::One(f) => vec![f.clone()],
                    Block::Rows(s) => s.rows.iter().flatten().cloned().collect(),
                })
                .collect()
        };
        let shown = |lang: Lang, name: &str| {
            let all = fields(&blocks(lang, vec![]).0);
            all.into_iter().find(|f| f.name == name).map(|f| (f.value, f.hint, f.autofocus)).unwrap()
        };
        assert_eq!(shown(Lang::Fr, "start"), ("08/12/2025".into(), "jj/mm/aaaa".into(), false));
        assert_eq!(shown(Lang::Ar, "programme.0.date").0, "09/12/2025");
        assert_eq!(shown(Lang::En, "start"), ("2025-12-08".into(), "yyyy-mm-dd".into(), false));
        assert_eq!(shown(Lang::Fr, "end").0, "2025/12/31", "a value that is not a stored day is shown as typed");

        let e = |name: &str| (name.to_string(), format!("{name} refused"));
        let (b, top) = blocks(Lang::Fr, vec![e("programme.0.date"), e("end")]);
        assert!(top.is_empty());
        let focused: Vec<String> = fields(&b).into_iter().filter(|f| f.autofocus).map(|f| f.name).collect();
        assert_eq!(focused, ["end"], "the first refused input in page order, and only it");
        let (b, top) = blocks(Lang::Fr, vec![e("programme")]);
        assert!(top.is_empty());
        let focused: Vec<String> = fields(&b).into_iter().filter(|f| f.autofocus).map(|f| f.name).collect();
        assert_eq!(focused, ["programme.0.date"], "a list refused as a whole: its first input");
        let (b, top) = blocks(Lang::Fr, vec![e("@nowhere"), e("end")]);
        assert_eq!(top, ["@nowhere refused"]);
        assert!(fields(&b).iter().all(|f| !f.autofocus), "the message above the form comes first");
    }

    /// Every error of the form at once, each at its input's name.
    #[test]
    fn each_input_that_does_not_read_is_refused_by_name() {
        let f = form(&[
            ("visiting", "MAR"),
            ("host", "Mali"),
            ("zone", "Africa/Atlantis"),
            ("start", "2025-12-08"),
            ("end", "2025-12-01"),
            ("programme.0.date", "2025-12-20"),
            ("programme.0.start", "10:00"),
            ("programme.0.end", "09:00"),
        ]);
        let errors = read(RecordKind::Mission, &f, None).unwrap_err();
        let mut fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            ["end", "host", "programme.0.date", "programme.0.end", "programme.0.title", "title", "venue.city", "zone"]
        );
        let end = errors.iter().find(|(f, _)| f == "programme.0.end").map(|(_, e)| e.clone());
        assert_eq!(
            end,
            Some(DomainError::EndBeforeStart {
                field: "programme.0.end".into(),
                start: "10:00".into(),
                end: "09:00".into()
            })
        );
    }

    /// An action's indicator is absent while blank; once one of its inputs is given, all are
    /// needed. A press text keeps its stored bytes when it reads the same, and its BLAKE3 is
    /// computed.
    #[test]
    fn optional_groups_and_exact_texts_read_as_today() {
        let mut pairs = vec![
            ("roadmap", "r"),
            ("area", "a"),
            ("title.fr", "Former"),
            ("owner", "MAR"),
            ("unit.fr", "École"),
            ("start", "2025-11-01"),
            ("due", "2026-02-27"),
            ("status", "planned"),
            ("progress", "٤٠ %"),
            ("indicator.unit.fr", ""),
        ];
        let v = read(RecordKind::Action, &form(&pairs), None).unwrap();
        assert_eq!((v.get("indicator"), &v["progress"]), (None, &Value::from(40)));
        pairs.push(("indicator.target", "12"));
        let errors = read(RecordKind::Action, &form(&pairs), None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["indicator.unit", "indicator.baseline", "indicator.current"]);

        let f = form(&[("publisher.fr", "L’Essor"), ("language", "fr"), ("title", "Titre"), ("text", "a\r\nb ")]);
        let old = serde_json::json!({"text": "a\nb "});
        let v = read(RecordKind::Press, &f, Some(&old)).unwrap();
        assert_eq!(v["text"], "a\nb ");
        assert_eq!(v["text_blake3"], blake3::hash(b"a\nb ").to_hex().as_str());
    }

    /// What a stored record fills is what reads back: the same JSON.
    #[test]
    fn a_filled_form_reads_back_to_the_same_record() {
        let session = serde_json::json!({
            "number": 3, "title": {"ar": "الدورة", "fr": "Session"}, "host": "MAR",
            "venue": {"name": {"fr": "État-major"}, "city": {"fr": "Rabat"}, "zone": "Africa/Casablanca"},
            "start": "2025-11-18", "end": "2025-11-19", "opens_at": "10:00:00",
            "agenda": [{"fr": "Ouverture"}, {"ar": "الختام"}],
            "working_groups": [{"title": {"fr": "Formation"}, "areas": ["a1", "a2"]}],
            "mission": "m1", "illustrative": true,
        });
        let session = RecordKind::Session.typed(session).unwrap();
        let mut f = FormData::default();
        fill(RecordKind::Session, &session, &mut f);
        assert_eq!(f.get("opens_at"), "10:00");
        assert_eq!(f.all("working_groups.0.areas"), ["a1", "a2"]);
        let back = RecordKind::Session.typed(read(RecordKind::Session, &f, Some(&session)).unwrap()).unwrap();
        assert_eq!(back, session);
    }
}
