//! Days as people type and read them (issue 17 item 4): a date field shows `dd/mm/yyyy` in
//! French and Arabic and ISO `yyyy-mm-dd` in English, never the browser's `mm/dd/yyyy`, and
//! accepts both spellings in every language, with Western, Arabic-Indic (U+0660–0669) or
//! Extended Arabic-Indic (U+06F0–06F9) digits. One rule for every date field of the web
//! forms; what is stored and signed stays ISO 8601 (`jiff::civil::Date`).

use jiff::civil::Date;

use crate::Lang;

/// Parses a day typed by a person: year first `YYYY-MM-DD` (ISO; also with `/` or `.`), or day first `DD/MM/YYYY` (separators
/// `/`, `.` or `-`, one or two digits for day and month), digits of any of the three Arabic
/// and Western sets, blanks at the edges ignored. `None` for anything else, including a day
/// that does not exist (`31/02/2025`) and a month-first spelling whose "month" is past 12.
/// Never guesses `MM/DD/YYYY`.
#[must_use]
pub fn parse_day(text: &str) -> Option<Date> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10).unwrap_or(c),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10).unwrap_or(c),
            _ => c,
        })
        .collect();
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let num = |s: &str, max_len: usize| -> Option<i16> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a, 4)?, num(b, 2)?, num(c, 2)?)
    } else if c.len() == 4 {
        (num(c, 4)?, num(b, 2)?, num(a, 2)?)
    } else {
        return None;
    };
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// A day as a date field of `lang` shows it: `31/12/2025` in French and Arabic (Western
/// digits, as the committee's papers write them), `2025-12-31` in English.
#[must_use]
pub fn show_day(date: Date, lang: Lang) -> String {
    match lang {
        Lang::En => date.to_string(),
        Lang::Fr | Lang::Ar => format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year()),
    }
}

/// A stored ISO day (`2025-12-31`) as [`show_day`] shows it in `lang`; any other text is
/// returned as it is (a value typed and refused is shown back unchanged).
#[must_use]
pub fn show_iso_day(text: &str, lang: Lang) -> String {
    match text.parse::<Date>() {
        Ok(d) if text.len() == 10 => show_day(d, lang),
        _ => text.to_string(),
    }
}

/// The `pattern` attribute of a date input: the shapes [`parse_day`] reads (day first or year
/// first, `/`, `.` or `-`), in any of the accepted digit sets. Written for the `v` flag that
/// browsers compile `pattern` with: `/` and `-` escaped inside a class, no escape outside one
/// (`\-` there is a syntax error, and a pattern that does not compile is silently ignored —
/// tests/browser/own-tools.test.mjs checks that Chromium applies it).
pub const DAY_PATTERN: &str = r"[0-9٠-٩۰-۹]{1,2}[\/.\-][0-9٠-٩۰-۹]{1,2}[\/.\-][0-9٠-٩۰-۹]{4}|[0-9٠-٩۰-۹]{4}[\/.\-][0-9٠-٩۰-۹]{1,2}[\/.\-][0-9٠-٩۰-۹]{1,2}";

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> Option<Date> {
        Some(Date::new(y, m, d).unwrap())
    }

    #[test]
    fn both_spellings_and_every_digit_set_read_the_same_day() {
        for text in [
            "2025-12-31",
            "31/12/2025",
            " 31/12/2025 ",
            "31.12.2025",
            "31-12-2025",
            "٣١/١٢/٢٠٢٥",
            "۳۱/۱۲/۲۰۲۵",
            "٢٠٢٥-١٢-٣١",
            "2025/12/31",
        ] {
            assert_eq!(parse_day(text), day(2025, 12, 31), "{text}");
        }
        assert_eq!(parse_day("1/2/2026"), day(2026, 2, 1), "day first, never month first");
        assert_eq!(parse_day("2026-2-1"), day(2026, 2, 1));
    }

    #[test]
    fn no_day_that_does_not_exist_and_no_month_first_guess() {
        for text in ["", "31/02/2025", "12/31/2025", "31/12/25", "2025-12-31T10:00", "31/12/2025/1", "abc", "١٢٣"] {
            assert_eq!(parse_day(text), None, "{text}");
        }
    }

    #[test]
    fn french_and_arabic_show_day_first_english_iso() {
        let d = Date::new(2026, 3, 7).unwrap();
        assert_eq!(show_day(d, Lang::Fr), "07/03/2026");
        assert_eq!(show_day(d, Lang::Ar), "07/03/2026");
        assert_eq!(show_day(d, Lang::En), "2026-03-07");
        assert_eq!(show_iso_day("2026-03-07", Lang::Fr), "07/03/2026");
        assert_eq!(show_iso_day("7/3/26", Lang::Fr), "7/3/26", "a refused value is shown back as typed");
        for lang in Lang::ALL {
            assert_eq!(parse_day(&show_day(d, lang)), Some(d), "{lang:?} reads back");
        }
    }
}
