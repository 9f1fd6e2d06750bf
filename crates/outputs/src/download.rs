//! The `Content-Disposition` value of every download (the web layer sends it) (RFC 6266 with RFC 8187 `filename*`): a file
//! keeps its name, in any script, and no name can break the header.
//!
//! The value is `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`.
//! Browsers that read `filename*` (all current ones) save the exact name; the quoted `filename`
//! is for the others. In both, control characters (CR, LF, NUL, DEL, C1) are dropped; in the
//! fallback, `"`, `\`, `;`, `%`, `/` and every non-ASCII run become one `_` (the extension is
//! kept), so the quoted string can neither end early nor carry an escape; in `filename*`, every
//! byte outside RFC 8187 `attr-char` is percent-encoded, so it holds no space, quote or `;`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The bytes left as they are in `filename*`: RFC 8187 `attr-char` (ALPHA / DIGIT / `!#$&+-.^_`|~`).
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// The name given when nothing of the name is left (an empty name, or one of control characters).
const DEFAULT_NAME: &str = "download";

/// `Content-Disposition: attachment` for a file named `name` (any Unicode): see the module.
#[must_use]
pub fn content_disposition(name: &str) -> String {
    disposition("attachment", name)
}

/// The same with `inline` (a calendar feed, which calendar clients read rather than save).
#[must_use]
pub fn inline_disposition(name: &str) -> String {
    disposition("inline", name)
}

fn disposition(kind: &str, name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    let name = if name.is_empty() { DEFAULT_NAME } else { name };
    // Printable ASCII only by construction: a valid header value.
    format!("{kind}; filename=\"{}\"; filename*=UTF-8''{}", ascii_fallback(name), utf8_percent_encode(name, ATTR_CHAR))
}

/// `name` in printable ASCII for the quoted `filename`: runs of anything else (with the spaces
/// around them) become one `_`, edges trimmed; the extension is kept; a stem with no ASCII letter
/// or digit left becomes `download`.
fn ascii_fallback(name: &str) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 16
                && ext.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            (stem, Some(ext))
        }
        _ => (name, None),
    };
    let mut out = String::with_capacity(stem.len());
    let (mut spaces, mut replaced) = (0usize, false);
    for c in stem.chars() {
        if c.is_whitespace() {
            spaces += 1;
        } else if !c.is_ascii_graphic() || matches!(c, '"' | '\\' | ';' | '%' | '/') {
            replaced = true;
        } else {
            if !out.is_empty() {
                if replaced {
                    out.push('_');
                } else {
                    out.extend(std::iter::repeat_n(' ', spaces));
                }
            }
            (spaces, replaced) = (0, false);
            out.push(c);
        }
    }
    if !out.bytes().any(|b| b.is_ascii_alphanumeric()) {
        out = DEFAULT_NAME.to_string();
    }
    if let Some(ext) = ext {
        out.push('.');
        out.push_str(ext);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(name: &str) -> String {
        content_disposition(name)
    }

    /// The `filename*` of a header value, percent-decoded.
    fn decoded(value: &str) -> String {
        let star = value.split_once("filename*=UTF-8''").unwrap().1;
        percent_encoding::percent_decode_str(star).decode_utf8().unwrap().into_owned()
    }

    /// The header has exactly its three parts, the quoted string closes where it should, and
    /// nothing but printable ASCII is in it.
    fn well_formed(value: &str) {
        assert!(value.bytes().all(|b| (b' '..=b'~').contains(&b)), "{value:?}");
        let rest = value.strip_prefix("attachment; filename=\"").unwrap();
        let (fallback, star) = rest.split_once("\"; filename*=UTF-8''").unwrap();
        assert!(!fallback.contains(['"', '\\', ';']), "{fallback:?}");
        assert!(star.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~%".contains(&b)), "{star:?}");
    }

    #[test]
    fn an_arabic_name_keeps_its_name_and_extension() {
        let name = "محضر الدورة 3 — Bamako.pdf";
        let v = value(name);
        assert_eq!(
            v,
            "attachment; filename=\"3_Bamako.pdf\"; filename*=UTF-8''%D9%85%D8%AD%D8%B6%D8%B1%20%D8%A7%D9%84%D8%AF%D9%88%D8%B1%D8%A9%203%20%E2%80%94%20Bamako.pdf"
        );
        well_formed(&v);
        assert_eq!(decoded(&v), name);
        // Nothing ASCII in the stem: the fallback still has a name and the extension.
        assert_eq!(ascii_fallback("محضر.pdf"), "download.pdf");
        assert_eq!(ascii_fallback("Défense nationale.docx"), "D_fense nationale.docx");
    }

    #[test]
    fn quotes_semicolons_and_line_breaks_cannot_inject() {
        let name = "a\"; filename=\"evil.exe\r\nSet-Cookie: x=1;\\b.txt";
        let v = value(name);
        well_formed(&v);
        assert_eq!(
            v,
            "attachment; filename=\"a_filename=_evil.exeSet-Cookie: x=1_b.txt\"; \
             filename*=UTF-8''a%22%3B%20filename%3D%22evil.exeSet-Cookie%3A%20x%3D1%3B%5Cb.txt"
        );
        // Control characters are dropped; the rest of the name is kept, in filename*.
        assert_eq!(decoded(&v), "a\"; filename=\"evil.exeSet-Cookie: x=1;\\b.txt");
        for name in ["\"", "\\", ";", "\r\n", "x\u{0}y\u{7f}z\u{85}.csv", "%41.pdf", "../../etc/passwd"] {
            well_formed(&value(name));
        }
        assert_eq!(decoded(&value("%41.pdf")), "%41.pdf");
    }

    #[test]
    fn an_empty_name_gets_a_default() {
        for name in ["", "  ", "\r\n\t"] {
            let v = value(name);
            well_formed(&v);
            assert_eq!(v, "attachment; filename=\"download\"; filename*=UTF-8''download");
        }
        assert_eq!(
            inline_disposition("lajna-ar.ics"),
            "inline; filename=\"lajna-ar.ics\"; filename*=UTF-8''lajna-ar.ics"
        );
    }
}
