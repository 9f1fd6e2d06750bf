//! RFC 8785 (JSON Canonicalization Scheme) encoding, and the integer rule of ledger v1.
//!
//! The encoder itself is `serde_json_canonicalizer` (or serde_json's compact writer for the
//! values where the two write the same bytes, see [`is_canonical`]); this module adds the checks that the
//! RFC leaves to the application: integers must stay within ±2^53 (the range where RFC 8785,
//! IEEE 754 and JavaScript agree — DESIGN.md §4 invariant 11), and non-integers are refused in
//! signed bodies because every quantity of the record is an integer (percent, seats, minor units).

use serde::Serialize;
use serde_json::Value;

use crate::LedgerError;

/// The largest magnitude an integer in a signed body may have: 2^53 − 1 (RFC 8785 §3.2.2.3,
/// I-JSON RFC 7493 §2.2).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Encodes any serialisable value as RFC 8785 canonical JSON bytes (UTF-8).
///
/// Numbers follow the ECMAScript rules of RFC 8785 §3.2.2.3 (`1e21` → `1e+21`, `-0.0` → `0`);
/// object keys are sorted by UTF-16 code units (§3.2.3). Floats are *encoded* here as the RFC
/// says; refusing them in signed bodies is [`check_numbers`]'s job.
///
/// # Errors
/// [`LedgerError::Encoding`] when the value cannot be represented (e.g. a map with non-string keys).
pub fn to_canonical_vec<T: Serialize>(value: &T) -> Result<Vec<u8>, LedgerError> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| LedgerError::Encoding(e.to_string()))
}

/// The RFC 8785 canonical bytes of a JSON value: [`to_canonical_vec`]'s answer, by a shorter
/// road when it is the same one (see [`is_canonical`]).
///
/// # Errors
/// As [`to_canonical_vec`].
pub fn canonical_value_vec(value: &Value) -> Result<Vec<u8>, LedgerError> {
    if plain(value) {
        serde_json::to_vec(value).map_err(|e| LedgerError::Encoding(e.to_string()))
    } else {
        to_canonical_vec(value)
    }
}

/// Whether `bytes` are exactly the RFC 8785 canonical form of `value` (the same answer as
/// `to_canonical_vec(value)? == bytes`), comparing as it writes, without building the form.
///
/// Why a shorter road is the same road: for a value whose numbers are all integers within
/// ±[`MAX_SAFE_INTEGER`], whose object keys hold only code points below U+D800 and are met in
/// ascending order, serde_json's compact writer and RFC 8785 write the same bytes: the same
/// string escapes (the canonicalizer writes strings through serde_json's own escaping, §3.2.2.2),
/// integers of that range print as their decimal digits in both (§3.2.2.3), and below U+D800
/// ordering keys by UTF-16 code units (§3.2.3) is ordering them by UTF-8 bytes, the order the
/// map iterates in. Anything else — a float, a larger integer, a key with a surrogate-pair or
/// private-use character — goes through the canonicalizer. The canonicalizer builds and sorts
/// every object's properties as UTF-16: about a fifth of `lajna verify`'s samples on a log of
/// creations before this road (issue 11).
///
/// # Errors
/// As [`to_canonical_vec`], on the canonicalizer's road.
pub fn is_canonical(value: &Value, bytes: &[u8]) -> Result<bool, LedgerError> {
    if !plain(value) {
        return Ok(to_canonical_vec(value)? == bytes);
    }
    /// A writer that only checks that what is written continues `rest`.
    struct Same<'a>(&'a [u8]);
    impl std::io::Write for Same<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            match self.0.strip_prefix(buf) {
                Some(rest) => {
                    self.0 = rest;
                    Ok(buf.len())
                }
                None => Err(std::io::Error::other("differs")),
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut same = Same(bytes);
    Ok(serde_json::to_writer(&mut same, value).is_ok() && same.0.is_empty())
}

/// Whether `n` is an integer of magnitude at most [`MAX_SAFE_INTEGER`].
fn safe_integer(n: &serde_json::Number) -> bool {
    n.as_i64().is_some_and(|i| (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i))
        || n.as_u64().is_some_and(|u| u <= MAX_SAFE_INTEGER.unsigned_abs())
}

/// Whether every number of `value` is a [`safe_integer`] ([`check_numbers`] without the pointer).
fn numbers_in_range(value: &Value) -> bool {
    match value {
        Value::Number(n) => safe_integer(n),
        Value::Array(items) => items.iter().all(numbers_in_range),
        Value::Object(map) => map.values().all(numbers_in_range),
        Value::Null | Value::Bool(_) | Value::String(_) => true,
    }
}

/// Whether serde_json's compact form of `value` is its RFC 8785 form (see [`is_canonical`]).
fn plain(value: &Value) -> bool {
    match value {
        Value::Number(n) => safe_integer(n),
        Value::Array(items) => items.iter().all(plain),
        Value::Object(map) => {
            let mut last: Option<&str> = None;
            map.iter().all(|(k, v)| {
                let ascending = last.is_none_or(|l| l.as_bytes() < k.as_bytes());
                last = Some(k);
                ascending && k.chars().all(|c| u32::from(c) < 0xD800) && plain(v)
            })
        }
        Value::Null | Value::Bool(_) | Value::String(_) => true,
    }
}

/// Parses JSON text and returns its canonical form: the transformation that RFC 8785 defines
/// on JSON text.
///
/// # Errors
/// [`LedgerError::Malformed`] for invalid JSON (NaN and ±Infinity are not JSON and so are refused).
pub fn canonicalize_text(text: &str) -> Result<Vec<u8>, LedgerError> {
    let value: Value = serde_json::from_str(text).map_err(|e| LedgerError::Malformed(e.to_string()))?;
    to_canonical_vec(&value)
}

/// Checks DESIGN.md §4 invariant 11 over a whole value: every number is an integer with
/// magnitude at most [`MAX_SAFE_INTEGER`].
///
/// # Errors
/// [`LedgerError::NumberOutOfRange`] naming the JSON pointer of the first offending number.
pub fn check_numbers(value: &Value) -> Result<(), LedgerError> {
    fn walk(value: &Value, path: &mut String) -> Result<(), LedgerError> {
        match value {
            Value::Number(n) => {
                if safe_integer(n) {
                    Ok(())
                } else {
                    Err(LedgerError::NumberOutOfRange {
                        pointer: if path.is_empty() { "/".into() } else { path.clone() },
                        number: n.to_string(),
                    })
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&i.to_string());
                    walk(item, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let len = path.len();
                    path.push('/');
                    // RFC 6901 escaping keeps the pointer unambiguous.
                    path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    walk(item, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    // The pointer is written only for a value that fails: building it for every key and index
    // of every event was about a tenth of `lajna verify`'s prechecks outside the signatures.
    if numbers_in_range(value) {
        return Ok(());
    }
    walk(value, &mut String::new())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn canon(text: &str) -> String {
        String::from_utf8(canonicalize_text(text).unwrap()).unwrap()
    }

    /// RFC 8785 Appendix B: IEEE 754 doubles and their canonical text.
    #[test]
    fn rfc8785_appendix_b_number_vectors() {
        let vectors: &[(u64, &str)] = &[
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ];
        for (bits, expected) in vectors {
            let f = f64::from_bits(*bits);
            let got = String::from_utf8(to_canonical_vec(&f).unwrap()).unwrap();
            assert_eq!(&got, expected, "bits {bits:#018x}");
        }
    }

    /// RFC 8785 §3.2.2 example: literals, numbers and string escaping.
    #[test]
    fn rfc8785_section_3_2_2_example() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        assert_eq!(
            canon(input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    /// RFC 8785 §3.2.3 example: keys sorted by UTF-16 code units.
    #[test]
    fn rfc8785_section_3_2_3_sorting_example() {
        let input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        assert_eq!(
            canon(input),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        );
    }

    /// Case C11 of shared/cases/CASES.md.
    #[test]
    fn c11_numbers_take_their_ecmascript_form() {
        let input = r#"{"progress":37.5,"budget":1e21,"ratio":0.000001,"tiny":1e-7,"zero":-0.0,"seats":12.0}"#;
        assert_eq!(
            canon(input),
            r#"{"budget":1e+21,"progress":37.5,"ratio":0.000001,"seats":12,"tiny":1e-7,"zero":0}"#
        );
        for bad in ["{\"x\":NaN}", "{\"x\":Infinity}", "{\"x\":-Infinity}"] {
            assert!(canonicalize_text(bad).is_err(), "{bad} must be refused");
        }
    }

    /// Case C12 of shared/cases/CASES.md.
    #[test]
    fn c12_keys_sort_by_utf16_code_units_and_strings_stay_raw() {
        let input = "{\"z\":4,\"é\":3,\"تدريب\":5,\"\\uFB33\":1,\"\\ud83d\\ude00\":2}";
        assert_eq!(canon(input), "{\"z\":4,\"é\":3,\"تدريب\":5,\"😀\":2,\"\u{FB33}\":1}");
        assert_eq!(canon("\"a\\u0001\\u001f\\\"\\\\/é\""), "\"a\\u0001\\u001f\\\"\\\\/é\"");
    }

    #[test]
    fn integers_beyond_two_to_the_53_are_refused_with_their_pointer() {
        let ok: Value = serde_json::from_str(r#"{"a":[9007199254740991,-9007199254740991]}"#).unwrap();
        check_numbers(&ok).unwrap();
        let big: Value = serde_json::from_str(r#"{"a":{"b/c":[1,9007199254740992]}}"#).unwrap();
        match check_numbers(&big) {
            Err(LedgerError::NumberOutOfRange { pointer, .. }) => assert_eq!(pointer, "/a/b~1c/1"),
            other => panic!("expected NumberOutOfRange, got {other:?}"),
        }
        let float: Value = serde_json::from_str(r#"{"progress":37.5}"#).unwrap();
        assert!(check_numbers(&float).is_err());
    }

    /// A JSON value with what separates the two roads of [`is_canonical`]: keys from ASCII,
    /// Arabic, U+E000 and above and surrogate pairs (whose UTF-16 and UTF-8 orders differ),
    /// integers around ±2^53, floats, and strings with escapes.
    fn json() -> impl Strategy<Value = Value> {
        let key = proptest::sample::select(vec![
            "a",
            "b",
            "z",
            "é",
            "تدريب",
            "\u{FB33}",
            "\u{E000}",
            "\u{FFFF}",
            "😀",
            "\u{10000}",
            "a\u{1}",
            "",
        ])
        .prop_map(str::to_string);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            prop_oneof![Just(MAX_SAFE_INTEGER), Just(MAX_SAFE_INTEGER + 1), Just(-MAX_SAFE_INTEGER - 1), -5i64..5]
                .prop_map(Value::from),
            Just(Value::from(u64::MAX)),
            prop_oneof![Just(0.5f64), Just(-0.0), Just(1e21), Just(3.0)].prop_map(Value::from),
            "[a\\\"/\u{1}\u{1f}\u{7f}é😀\n\t]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((key.clone(), inner), 0..5)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The shorter road answers as the canonicalizer does, for the canonical form and for
        /// the compact and pretty forms serde_json writes (which differ from it when a key
        /// sorts differently in UTF-16, a number is a float or large, or there is whitespace).
        #[test]
        fn the_shorter_road_answers_as_the_canonicalizer(value in json()) {
            let canonical = to_canonical_vec(&value).unwrap();
            prop_assert_eq!(&canonical_value_vec(&value).unwrap(), &canonical);
            prop_assert!(is_canonical(&value, &canonical).unwrap());
            for other in [serde_json::to_vec(&value).unwrap(), serde_json::to_vec_pretty(&value).unwrap()] {
                prop_assert_eq!(is_canonical(&value, &other).unwrap(), other == canonical);
            }
            let mut longer = canonical.clone();
            longer.push(b' ');
            prop_assert!(!is_canonical(&value, &longer).unwrap());
            prop_assert!(!is_canonical(&value, &canonical[..canonical.len() - 1]).unwrap());
        }
    }
}
