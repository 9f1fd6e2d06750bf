//! The declaration of a record's fields (issue 10 item 3): one table per record kind
//! ([`crate::records::Record::FIELDS`]), next to the record's struct, so that a field is listed
//! once. The table gives, for each field, its JSON name (as the struct serialises it), the
//! message key of its label, how it is given ([`Input`]), whether it may be left blank
//! ([`Need`]), what a new form starts with ([`Preset`]) and how it is checked against another
//! field ([`Check`]).
//!
//! What reads it: the web forms (fill from a record's JSON, lay out, read a submitted form back
//! into JSON), the references a record holds ([`references`], checked by `decide` and on
//! receipt), the fields signed as given ([`exact_fields`]), and the owner rule of
//! `lajna_node::auth::authorize` ([`crate::records::Record::OWNER`]). A test compares each table
//! with the names serde reads for the struct, so a field added to one and not the other fails.

use serde_json::Value;

use crate::records::{RecordKind, Reference};

/// How a field is given in a form, and what its JSON value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A per-language text on one line ([`crate::LocalizedText`], JSON `{"ar": …, "fr": …}`):
    /// three inputs `{name}.ar`, `{name}.fr`, `{name}.en`; a required one needs one language.
    Text,
    /// A per-language text of several lines (minutes, a decision's text).
    LongText,
    /// One line of plain text (a code, a headline), trimmed; a JSON string.
    Line,
    /// A text of several lines kept exactly as typed, only a browser's CRLF line ends turned
    /// into LF (a press article): not cleaned when signed ([`exact_fields`]).
    Exact,
    /// A calendar date, JSON `"YYYY-MM-DD"`.
    Date,
    /// A local time, JSON `"HH:MM:SS"`, in the zone of the form's [`Input::Zone`].
    Time,
    /// A tz database zone name (`Africa/Bamako`). Its input is named `zone` wherever the field
    /// stands: a form has one zone, and its [`Input::Time`] inputs name it in their hint.
    Zone,
    /// A whole number (Western or Arabic-Indic digits, case C03), within ±2^53.
    Integer,
    /// A percent, a whole number 0–100 ([`crate::Progress`]; `75`, `٧٥`, `75 %`).
    Percent,
    /// One of `codes` (a JSON string); the label of code `c` is the message `{labels}{c}`.
    Choice {
        /// The codes, in the order offered.
        codes: &'static [&'static str],
        /// Prefix of the message key of each code's label.
        labels: &'static str,
    },
    /// A language of the committee (`ar`, `fr`, `en`), each shown by its own name.
    Language,
    /// A party of the committee, by its code (`MAR`).
    Party,
    /// The id of a record of one of the kinds (a JSON string).
    Reference(&'static [RecordKind]),
    /// The ids of records of the kinds, in order (a JSON array).
    References(&'static [RecordKind]),
    /// Yes or no (a checkbox), JSON `true`/`false`.
    Flag,
    /// A nested object with its own fields, inputs `{name}.{field}`.
    Group(&'static [Field]),
    /// A list of objects with these fields, inputs `{name}.{index}.{field}`; a new form opens
    /// with `extra` empty rows. A row left blank is left out.
    Rows {
        /// The fields of a row.
        fields: &'static [Field],
        /// Empty rows offered on a form just opened.
        extra: usize,
    },
    /// A list of values, each given as `item` at `{name}.{index}` (`item`'s name is unused).
    List {
        /// How each value is given.
        item: &'static Field,
        /// Empty rows offered on a form just opened.
        extra: usize,
    },
    /// Not an input: the BLAKE3 hash of the UTF-8 bytes of the named field of the same record,
    /// 64 lowercase hex digits, computed by the node that writes the record.
    Blake3Of(&'static str),
    /// Not an input of a record form: set by the node from an uploaded file (a document's hash,
    /// media type, size, file name), on the document's own page.
    File,
    /// A marking (classification and releasability, [`crate::Marking`]), given on a document's
    /// own page.
    Marking,
    /// A value pledged, money or in kind ([`crate::resources::Pledged`]), given on the
    /// resources pages (an amount typed in the reader's language with its currency).
    Value,
}

/// Whether a field may be left blank, and what a blank field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// May be left blank; it is then absent from the record (an `Option` field). Flags, lists
    /// and rows always have a value (`false`, `[]`).
    Optional,
    /// Must be given: a blank input is refused. Inside a row or an optional group, once
    /// something of it is given.
    Required,
    /// May be left blank, and is then kept as an empty value (a venue's name, `{}`).
    Empty,
}

/// What a new form starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Blank.
    None,
    /// This value (a code, a number).
    Value(&'static str),
    /// The party of the user filling the form.
    OwnParty,
    /// The committee's other party.
    OtherParty,
    /// The language of the page.
    PageLanguage,
    /// One more than the highest value of this field among the kind's records (1 for the
    /// first): a session's number, an area's display order.
    Next,
    /// The id given for this field by the link that opened the form (`?decision=ID`), when it
    /// names a record of the field's [`Input::Reference`] kinds.
    Linked,
    /// The value of this same field in the record that the named field (a [`Preset::Linked`]
    /// reference) names: a follow-up action takes the area of the decision it carries out.
    FromLinked(&'static str),
    /// The party that did not hold this field in the last record of the kind (highest
    /// `number`): joint committees alternate their host from one session to the next; the
    /// user's party for the first.
    Alternate,
    /// A list whose first item is the review of the execution of the last session's decisions
    /// (DESIGN.md §8: a session opens on the execution of the previous one), in every language,
    /// when there is a last session.
    ReviewOfLast,
}

/// A rule between two fields, checked by the form so that every error shows at once (the
/// domain checks the same rules, and reports the first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// None.
    None,
    /// Not before the named field of the same object (an end date, a due date, an end time):
    /// else [`crate::DomainError::EndBeforeStart`].
    NotBefore(&'static str),
    /// A date between the record's (top-level) fields `start` and `end`, inclusive: else
    /// [`crate::DomainError::OutsideDates`] (a mission's programme item).
    Within(&'static str, &'static str),
}

/// One field of a record: its line of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// JSON name, as the record's struct serialises it (`title`, `seats_offered`).
    pub name: &'static str,
    /// Message key of its label (or, for rows, of their legend) in the Fluent catalogues.
    pub label: &'static str,
    /// How it is given.
    pub input: Input,
    /// Whether it may be blank.
    pub need: Need,
    /// What a new form starts with.
    pub preset: Preset,
    /// A rule against another field.
    pub check: Check,
}

impl Field {
    const fn new(name: &'static str, label: &'static str, input: Input) -> Self {
        Self { name, label, input, need: Need::Optional, preset: Preset::None, check: Check::None }
    }

    /// [`Input::Choice`] among `codes`, labelled by the messages `{labels}{code}`.
    #[must_use]
    pub const fn choice(
        name: &'static str,
        label: &'static str,
        codes: &'static [&'static str],
        labels: &'static str,
    ) -> Self {
        Self::new(name, label, Input::Choice { codes, labels })
    }

    /// [`Input::Reference`] to a record of one of `kinds`.
    #[must_use]
    pub const fn reference(name: &'static str, label: &'static str, kinds: &'static [RecordKind]) -> Self {
        Self::new(name, label, Input::Reference(kinds))
    }

    /// [`Input::References`] to records of `kinds`.
    #[must_use]
    pub const fn references(name: &'static str, label: &'static str, kinds: &'static [RecordKind]) -> Self {
        Self::new(name, label, Input::References(kinds))
    }

    /// [`Input::Group`] of `fields`.
    #[must_use]
    pub const fn group(name: &'static str, label: &'static str, fields: &'static [Field]) -> Self {
        Self::new(name, label, Input::Group(fields))
    }

    /// [`Input::Rows`] of `fields`, with `extra` empty rows on a new form; `legend` is the
    /// message key of the list's legend.
    #[must_use]
    pub const fn rows(name: &'static str, legend: &'static str, fields: &'static [Field], extra: usize) -> Self {
        Self::new(name, legend, Input::Rows { fields, extra })
    }

    /// [`Input::List`] of values given as `item`.
    #[must_use]
    pub const fn list(name: &'static str, legend: &'static str, item: &'static Field, extra: usize) -> Self {
        Self::new(name, legend, Input::List { item, extra })
    }

    /// [`Input::Blake3Of`] the field `of`.
    #[must_use]
    pub const fn blake3_of(name: &'static str, label: &'static str, of: &'static str) -> Self {
        Self::new(name, label, Input::Blake3Of(of))
    }

    /// The field, required ([`Need::Required`]).
    #[must_use]
    pub const fn required(self) -> Self {
        Self { need: Need::Required, ..self }
    }

    /// The field, kept empty when blank ([`Need::Empty`]).
    #[must_use]
    pub const fn empty(self) -> Self {
        Self { need: Need::Empty, ..self }
    }

    /// The field with what a new form starts with.
    #[must_use]
    pub const fn preset(self, preset: Preset) -> Self {
        Self { preset, ..self }
    }

    /// The field, not before `sibling` ([`Check::NotBefore`]).
    #[must_use]
    pub const fn not_before(self, sibling: &'static str) -> Self {
        Self { check: Check::NotBefore(sibling), ..self }
    }

    /// The field, a date between the record's `start` and `end` ([`Check::Within`]).
    #[must_use]
    pub const fn within(self, start: &'static str, end: &'static str) -> Self {
        Self { check: Check::Within(start, end), ..self }
    }

    /// Whether the field is given in a record form (not computed, not set from a file).
    #[must_use]
    pub const fn is_input(&self) -> bool {
        !matches!(self.input, Input::Blake3Of(_) | Input::File | Input::Marking | Input::Value)
    }

    /// Whether a blank value is refused.
    #[must_use]
    pub const fn is_required(&self) -> bool {
        matches!(self.need, Need::Required)
    }
}

/// The constructors of the inputs that take no more than a name and a label: `Field::text`
/// for [`Input::Text`], and so on.
macro_rules! plain_inputs {
    ($($constructor:ident => $input:ident),+ $(,)?) => {
        impl Field {
            $(
                #[doc = concat!("A field given as [`Input::", stringify!($input), "`].")]
                #[must_use]
                pub const fn $constructor(name: &'static str, label: &'static str) -> Self {
                    Self::new(name, label, Input::$input)
                }
            )+
        }
    };
}

plain_inputs!(
    text => Text,
    long_text => LongText,
    line => Line,
    exact => Exact,
    date => Date,
    time => Time,
    zone => Zone,
    integer => Integer,
    percent => Percent,
    language => Language,
    party => Party,
    flag => Flag,
    file => File,
    marking => Marking,
    value => Value,
);

/// The flag every shared record has: example data, not a fact of the record.
pub const ILLUSTRATIVE: Field = Field::flag("illustrative", "forms-illustrative");

/// The field of `fields` named `name`.
#[must_use]
pub fn find(fields: &'static [Field], name: &str) -> Option<&'static Field> {
    fields.iter().find(|f| f.name == name)
}

/// The top-level fields of `fields` signed as given, not cleaned ([`Input::Exact`]).
#[must_use]
pub fn exact_fields(fields: &'static [Field]) -> Vec<&'static str> {
    fields.iter().filter(|f| f.input == Input::Exact).map(|f| f.name).collect()
}

/// Every reference that `record` (a record's JSON, as its struct serialises it) holds,
/// according to `fields`, in the table's order: the field (dotted for nested values, e.g.
/// `working_groups.areas`), the kinds it may name and the id. A value that is not a string
/// is no reference (the record's type is checked before its references).
#[must_use]
pub fn references(fields: &'static [Field], record: &Value) -> Vec<Reference> {
    let mut out = vec![];
    collect_references(fields, record, "", &mut out);
    out
}

fn collect_references(fields: &'static [Field], object: &Value, prefix: &str, out: &mut Vec<Reference>) {
    for f in fields {
        let Some(value) = object.get(f.name) else { continue };
        let path = || if prefix.is_empty() { f.name.to_string() } else { format!("{prefix}.{}", f.name) };
        match f.input {
            Input::Reference(kinds) => {
                if let Some(id) = value.as_str() {
                    out.push(Reference { field: path(), kinds, id: id.to_string() });
                }
            }
            Input::References(kinds) => {
                let ids = value.as_array().into_iter().flatten().filter_map(Value::as_str);
                out.extend(ids.map(|id| Reference { field: path(), kinds, id: id.to_string() }));
            }
            Input::Group(inner) => collect_references(inner, value, &path(), out),
            Input::Rows { fields: inner, .. } => {
                for row in value.as_array().into_iter().flatten() {
                    collect_references(inner, row, &path(), out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::de::{DeserializeOwned, Error as _, Visitor};

    use super::*;
    use crate::records::{Indicator, ProgrammeItem, Quote, Venue, WorkingGroup, with_record_type};

    /// The field names serde reads for the struct `T` (what its derive passes to
    /// `deserialize_struct`), whether or not a value would serialise them.
    fn struct_names<T: DeserializeOwned>() -> Vec<&'static str> {
        struct Names(Option<&'static [&'static str]>);
        impl<'de> serde::Deserializer<'de> for &mut Names {
            type Error = serde::de::value::Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
                Err(Self::Error::custom("not a struct"))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Self::Error> {
                self.0 = Some(fields);
                Err(Self::Error::custom("names read"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
                option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
                ignored_any
            }
        }
        let mut names = Names(None);
        let _ = T::deserialize(&mut names);
        let mut names = names.0.expect("a struct with named fields").to_vec();
        names.sort_unstable();
        names
    }

    fn table_names(fields: &[Field]) -> Vec<&'static str> {
        let mut names: Vec<_> = fields.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names
    }

    /// Every nested table (groups and rows) of `fields`, with the path that leads to it.
    fn nested(fields: &'static [Field], path: &str, out: &mut Vec<(String, &'static [Field])>) {
        for f in fields {
            if let Input::Group(inner) | Input::Rows { fields: inner, .. } = f.input {
                let path = format!("{path}.{}", f.name);
                nested(inner, &path, out);
                out.push((path, inner));
            }
        }
    }

    /// A field added to a record's struct and not to its table (or the other way round) fails
    /// here, for every kind and every nested object.
    #[test]
    fn every_table_lists_exactly_the_fields_of_its_struct() {
        for kind in RecordKind::ALL {
            let names = with_record_type!(kind, T => struct_names::<T>());
            assert_eq!(table_names(kind.fields()), names, "{}", kind.code());
        }
        let structs: [(&[Field], Vec<&str>); 5] = [
            (Venue::FIELDS, struct_names::<Venue>()),
            (ProgrammeItem::FIELDS, struct_names::<ProgrammeItem>()),
            (WorkingGroup::FIELDS, struct_names::<WorkingGroup>()),
            (Quote::FIELDS, struct_names::<Quote>()),
            (Indicator::FIELDS, struct_names::<Indicator>()),
        ];
        for (table, names) in &structs {
            assert_eq!(&table_names(table), names);
        }
        let mut found = vec![];
        for kind in RecordKind::ALL {
            nested(kind.fields(), kind.code(), &mut found);
        }
        assert_eq!(found.len(), 6, "{found:?}");
        for (path, table) in found {
            assert!(structs.iter().any(|(t, _)| *t == table), "{path} is a nested table no test compares");
        }
    }

    #[test]
    fn names_are_unique_and_labels_and_presets_are_given() {
        fn check(fields: &'static [Field], path: &str) {
            let names = table_names(fields);
            let mut unique = names.clone();
            unique.dedup();
            assert_eq!(names, unique, "{path}: a name twice");
            for f in fields {
                assert!(!f.label.is_empty(), "{path}.{}: no label", f.name);
                if let (Input::Choice { codes, .. }, Preset::Value(v)) = (f.input, f.preset) {
                    assert!(codes.contains(&v), "{path}.{}: preset {v} is not a code", f.name);
                }
                if let Check::NotBefore(other) = f.check {
                    assert!(find(fields, other).is_some_and(|o| o.input == f.input), "{path}.{}", f.name);
                }
                match f.input {
                    Input::Group(inner) | Input::Rows { fields: inner, .. } => {
                        check(inner, &format!("{path}.{}", f.name))
                    }
                    Input::Blake3Of(of) => assert!(find(fields, of).is_some(), "{path}.{}", f.name),
                    _ => {}
                }
            }
        }
        for kind in RecordKind::ALL {
            check(kind.fields(), kind.code());
        }
    }

    #[test]
    fn the_press_text_is_the_only_field_signed_as_given() {
        let exact: Vec<_> = RecordKind::ALL
            .into_iter()
            .flat_map(|k| exact_fields(k.fields()).into_iter().map(move |f| (k, f)))
            .collect();
        assert_eq!(exact, vec![(RecordKind::Press, "text")]);
    }

    #[test]
    fn the_owner_is_a_party_field_of_its_table() {
        let owners: Vec<_> = RecordKind::ALL.into_iter().filter_map(|k| k.owner().map(|o| (k.code(), o))).collect();
        assert_eq!(
            owners,
            [
                ("member", "party"),
                ("communique", "party"),
                ("action", "owner"),
                ("need", "party"),
                ("offer", "party"),
                ("training", "host"),
                ("note", "party"),
                ("pledge", "party"),
            ]
        );
        for (code, owner) in owners {
            let kind = RecordKind::parse(code).unwrap();
            assert_eq!(find(kind.fields(), owner).map(|f| f.input), Some(Input::Party), "{code}");
        }
    }

    /// References are read from the record's JSON by its table, nested ones with a dotted name.
    #[test]
    fn references_are_found_through_groups_and_rows() {
        let session = serde_json::json!({
            "working_groups": [{"title": {"fr": "A"}, "areas": ["a1", "a2"]}, {"title": {"fr": "B"}}],
            "mission": "m1",
            "host": "MAR",
        });
        let refs: Vec<_> =
            references(RecordKind::Session.fields(), &session).into_iter().map(|r| (r.field, r.kinds, r.id)).collect();
        let area: &[RecordKind] = &[RecordKind::Area];
        let mission: &[RecordKind] = &[RecordKind::Mission];
        assert_eq!(
            refs,
            vec![
                ("working_groups.areas".to_string(), area, "a1".to_string()),
                ("working_groups.areas".to_string(), area, "a2".to_string()),
                ("mission".to_string(), mission, "m1".to_string()),
            ]
        );
    }
}
