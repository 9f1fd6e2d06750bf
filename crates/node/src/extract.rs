//! The text of a document file, for the full-text index (issue 6: "the text of attachments,
//! extracted from PDF, DOCX and ODT by libraries").
//!
//! | media type | how |
//! |---|---|
//! | `text/plain` | the bytes as they are (UTF-8, checked on upload) |
//! | DOCX | `word/document.xml` of the ZIP package (`zip`), its `w:t` runs read with `quick-xml`; a paragraph (`w:p`) ends a line, `w:tab` is a tab, `w:br`/`w:cr` a line break; deleted text and field codes are skipped |
//! | ODT | `content.xml` of the package; the text inside paragraphs and headings (`text:p`, `text:h`) ends a line; `text:s` is `text:c` spaces, `text:tab` a tab, `text:line-break` a line break |
//! | PDF | the text operators of every page decoded through the fonts' encodings and `ToUnicode` maps (`lopdf`); a scanned PDF (images only) has no text |
//! | PNG, JPEG | no text: there is no optical character recognition |
//!
//! The text is cut at [`MAX_TEXT_BYTES`] (on a character boundary). Unpacked parts are read
//! through bounds ([`MAX_PART_BYTES`]; [`MAX_PDF_CONTENT_BYTES`] for each stream a PDF inflates,
//! while it loads and per page), so a small file that
//! inflates hugely (a "ZIP bomb") costs at most that much. Extraction never decides whether
//! an upload is accepted: callers index the title alone when it fails.

use std::borrow::Cow;
use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

/// The most text kept from one file: 1 MiB of UTF-8; the rest is not indexed.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// The most bytes read from the XML part of a DOCX or ODT package once unpacked: 64 MiB.
pub const MAX_PART_BYTES: u64 = 64 << 20;

/// The most bytes of content streams decompressed for one PDF page, and of any one stream
/// (object stream, cross-reference stream) inflated while the PDF loads: 16 MiB.
pub const MAX_PDF_CONTENT_BYTES: usize = 16 << 20;

/// Media type of DOCX files.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// Media type of ODT files.
pub const ODT: &str = "application/vnd.oasis.opendocument.text";

/// Why no text could be taken from a file. The upload stands either way; only its text is not
/// indexed.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// A media type Lajna extracts nothing from (not one of the document types).
    #[error("no text extraction for media type {0}")]
    Unsupported(String),
    /// A plain-text file that is not UTF-8.
    #[error("the text is not UTF-8")]
    NotUtf8,
    /// A DOCX or ODT file that is not a readable ZIP package, or lacks its text part.
    #[error("the package cannot be read: {0}")]
    Package(String),
    /// The XML text part is malformed.
    #[error("the text part is not well-formed XML: {0}")]
    Xml(String),
    /// A PDF that lopdf cannot read (damaged, encrypted, …).
    #[error("the PDF cannot be read: {0}")]
    Pdf(String),
}

impl ExtractError {
    /// A stable code for logs.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unsupported(_) => "extract_unsupported",
            Self::NotUtf8 => "extract_not_utf8",
            Self::Package(_) => "extract_package",
            Self::Xml(_) => "extract_xml",
            Self::Pdf(_) => "extract_pdf",
        }
    }
}

/// The text of a file of `media_type` (one of [`lajna_domain::records::DOCUMENT_MEDIA_TYPES`];
/// parameters such as `; charset=utf-8` are ignored), at most [`MAX_TEXT_BYTES`] long, lines
/// separated by `\n`. Images give an empty text (no OCR).
///
/// # Errors
/// [`ExtractError`] when the type has no extractor or the file cannot be read as its type.
pub fn extract_text(media_type: &str, bytes: &[u8]) -> Result<String, ExtractError> {
    let media_type = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let text = match media_type.as_str() {
        "text/plain" => {
            let s = std::str::from_utf8(bytes).map_err(|_| ExtractError::NotUtf8)?;
            let s = s.strip_prefix('\u{feff}').unwrap_or(s);
            truncate(s).replace("\r\n", "\n")
        }
        DOCX => xml_text(&part(bytes, "word/document.xml")?, &DOCX_RULES)?,
        ODT => xml_text(&part(bytes, "content.xml")?, &ODT_RULES)?,
        "application/pdf" => pdf_text(bytes)?,
        "image/png" | "image/jpeg" => String::new(),
        other => return Err(ExtractError::Unsupported(other.to_string())),
    };
    Ok(tidy(&text))
}

/// `s` cut to at most [`MAX_TEXT_BYTES`], on a character boundary.
fn truncate(s: &str) -> &str {
    if s.len() <= MAX_TEXT_BYTES {
        return s;
    }
    let mut end = MAX_TEXT_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Trims each line's trailing blanks, keeps at most one blank line in a row (none at the start
/// or end), drops NULs, cuts to the limit.
fn tidy(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim_end) {
        if !line.is_empty() || lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push(line);
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut out = lines.join("\n");
    out.retain(|c| c != '\0');
    let end = truncate(&out).len();
    out.truncate(end);
    out
}

/// The XML part `name` of the ZIP package `bytes`, read up to [`MAX_PART_BYTES`].
fn part(bytes: &[u8], name: &str) -> Result<Vec<u8>, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::Package(e.to_string()))?;
    let file = archive.by_name(name).map_err(|e| ExtractError::Package(format!("{name}: {e}")))?;
    let mut out = Vec::new();
    file.take(MAX_PART_BYTES).read_to_end(&mut out).map_err(|e| ExtractError::Package(format!("{name}: {e}")))?;
    Ok(out)
}

/// What the elements of a word-processing format mean for its text, by local name.
struct Rules {
    /// Elements that end a line (paragraphs, headings).
    paragraph: &'static [&'static str],
    /// Elements whose text is kept; empty: any text inside a paragraph is.
    text: &'static [&'static str],
    /// Elements whose content is skipped.
    skip: &'static [&'static str],
    /// Empty elements standing for a tab.
    tab: &'static [&'static str],
    /// Empty elements standing for a line break.
    line_break: &'static [&'static str],
    /// Empty element standing for spaces, with the attribute (local name) giving their count.
    spaces: Option<(&'static str, &'static str)>,
}

/// WordprocessingML (ECMA-376 part 1, §17.3): text runs `w:t`; deleted runs `w:delText` and
/// field instructions `w:instrText` are other elements and so not read; paragraph, run and
/// section properties (tab stops `w:tabs/w:tab` among them) are skipped.
const DOCX_RULES: Rules = Rules {
    paragraph: &["p"],
    text: &["t"],
    skip: &["pPr", "rPr", "sectPr"],
    tab: &["tab"],
    line_break: &["br", "cr"],
    spaces: None,
};

/// OpenDocument (ODF 1.3 part 3, §5.1): text of `text:p`/`text:h`; `text:s` with `text:c`; the
/// change-tracking region (`text:tracked-changes`, deleted text) and annotations are skipped.
const ODT_RULES: Rules = Rules {
    paragraph: &["p", "h"],
    text: &[],
    skip: &["tracked-changes", "annotation", "sequence-decls"],
    tab: &["tab"],
    line_break: &["line-break"],
    spaces: Some(("s", "c")),
};

fn local(e: &BytesStart<'_>) -> String {
    e.local_name().into_inner().to_string()
}

/// The text of an XML part under `rules`, stopping once [`MAX_TEXT_BYTES`] are gathered.
fn xml_text(xml: &[u8], rules: &Rules) -> Result<String, ExtractError> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(xml));
    let mut buf = Vec::new();
    let mut out = String::new();
    // Depths: inside paragraphs, inside kept-text elements, inside skipped elements.
    let (mut para, mut keep, mut skip) = (0usize, 0usize, 0usize);
    let keeping =
        |para: usize, keep: usize, skip: usize| skip == 0 && if rules.text.is_empty() { para > 0 } else { keep > 0 };
    loop {
        if out.len() > MAX_TEXT_BYTES {
            break;
        }
        let event = reader.read_event_into(&mut buf).map_err(|e| ExtractError::Xml(e.to_string()))?;
        match event {
            Event::Start(e) => {
                let name = local(&e);
                if rules.skip.contains(&name.as_str()) {
                    skip += 1;
                } else if rules.paragraph.contains(&name.as_str()) {
                    para += 1;
                } else if rules.text.contains(&name.as_str()) {
                    keep += 1;
                } else if skip == 0 && para > 0 {
                    empty_element(&e, &name, rules, &mut out);
                }
            }
            Event::Empty(e) => {
                let name = local(&e);
                if skip > 0 {
                    // Inside a skipped element.
                } else if rules.paragraph.contains(&name.as_str()) {
                    out.push('\n');
                } else if para > 0 {
                    empty_element(&e, &name, rules, &mut out);
                }
            }
            Event::End(e) => {
                let name = e.local_name().into_inner().to_string();
                if rules.skip.contains(&name.as_str()) {
                    skip = skip.saturating_sub(1);
                } else if rules.paragraph.contains(&name.as_str()) {
                    para = para.saturating_sub(1);
                    if skip == 0 {
                        out.push('\n');
                    }
                } else if rules.text.contains(&name.as_str()) {
                    keep = keep.saturating_sub(1);
                }
            }
            Event::Text(t) if keeping(para, keep, skip) => out.push_str(&t.xml10_content()),
            Event::CData(t) if keeping(para, keep, skip) => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if keeping(para, keep, skip) => {
                let resolved: Option<Cow<'_, str>> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r).map(Cow::Borrowed),
                    Err(_) => None,
                };
                out.push_str(resolved.as_deref().unwrap_or(""));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Tabs, line breaks and spaces written as elements (empty, or with content that is ignored).
fn empty_element(e: &BytesStart<'_>, name: &str, rules: &Rules, out: &mut String) {
    if rules.tab.contains(&name) {
        out.push('\t');
    } else if rules.line_break.contains(&name) {
        out.push('\n');
    } else if let Some((element, count)) = rules.spaces
        && name == element
    {
        let n = e
            .attributes()
            .flatten()
            .find(|a| a.key.local_name().into_inner() == count)
            .and_then(|a| a.value.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .min(1000);
        out.extend(std::iter::repeat_n(' ', n));
    }
}

/// The text of every page of a PDF, in page order; a page whose text cannot be decoded is
/// skipped (logged), the others are kept.
fn pdf_text(bytes: &[u8]) -> Result<String, ExtractError> {
    // lopdf inflates object and cross-reference streams while it loads, each up to 256 MiB by
    // default: bounded here like the page content (issue 12: a crafted PDF run through fuzz/'s
    // extract target passed its allocation limit).
    let options = lopdf::LoadOptions::with_max_decompressed_size(MAX_PDF_CONTENT_BYTES);
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| ExtractError::Pdf(e.to_string()))?;
    let mut out = String::new();
    for page in doc.get_pages().into_keys() {
        for chunk in doc.extract_text_chunks_with_limit(&[page], MAX_PDF_CONTENT_BYTES) {
            match chunk {
                Ok(text) => out.push_str(&text),
                Err(err) => tracing::debug!(page, error = %err, "PDF text not decoded"),
            }
        }
        out.push('\n');
        if out.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    Ok(out.lines().map(logical_order).collect::<Vec<_>>().join("\n"))
}

/// Whether `c` is written right to left (Hebrew, Arabic, Syriac, Thaana, NKo… and the Arabic
/// presentation forms).
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A PDF line in reading order. PDF writers (typst among them) place right-to-left glyphs in
/// visual order, so a line holding right-to-left letters is read back reversed: its runs are
/// put in reverse order and each right-to-left run is reversed, left-to-right runs (Latin words,
/// digits such as dates) keep theirs; punctuation joins the run before it. A
/// heuristic, as in every PDF text extractor (poppler's does the like with glyph positions):
/// a lam-alef ligature or a kerning gap may still break a word.
fn logical_order(line: &str) -> Cow<'_, str> {
    if !line.chars().any(is_rtl) {
        return Cow::Borrowed(line);
    }
    // Runs: Some(true) right to left, Some(false) left to right, None blanks.
    let mut runs: Vec<(Option<bool>, String)> = Vec::new();
    for c in line.chars() {
        let dir = if c.is_whitespace() {
            None
        } else if is_rtl(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            Some(runs.last().is_none_or(|(d, _)| *d != Some(false)))
        };
        match runs.last_mut() {
            Some((d, run)) if *d == dir => run.push(c),
            _ => runs.push((dir, c.to_string())),
        }
    }
    Cow::Owned(
        runs.iter()
            .rev()
            .map(|(dir, run)| if *dir == Some(true) { run.chars().rev().collect() } else { run.clone() })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_kept_as_is_and_cut_on_a_character_boundary() {
        assert_eq!(
            extract_text("text/plain; charset=utf-8", "\u{feff}سطر\r\nligne 2\n".as_bytes()).unwrap(),
            "سطر\nligne 2"
        );
        assert!(matches!(extract_text("text/plain", &[0xff, 0xfe]), Err(ExtractError::NotUtf8)));
        let long = "é".repeat(MAX_TEXT_BYTES); // 2 bytes each
        let text = extract_text("text/plain", long.as_bytes()).unwrap();
        assert_eq!(text.len(), MAX_TEXT_BYTES);
        assert!(text.chars().all(|c| c == 'é'));
    }

    #[test]
    fn images_have_no_text_and_other_types_none_either() {
        assert_eq!(extract_text("image/png", b"\x89PNG").unwrap(), "");
        assert_eq!(extract_text("image/jpeg", b"\xff\xd8\xff").unwrap(), "");
        assert!(
            matches!(extract_text("application/zip", b"PK"), Err(ExtractError::Unsupported(t)) if t == "application/zip")
        );
    }

    #[test]
    fn docx_xml_keeps_runs_tabs_and_paragraphs_but_not_deleted_text() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Exercice</w:t></w:r><w:r><w:t xml:space="preserve"> conjoint &amp; </w:t></w:r><w:r><w:tab/><w:t>Tessalit</w:t></w:r></w:p>
<w:p><w:r><w:delText>supprimé</w:delText><w:instrText>PAGE</w:instrText><w:t>ligne&#160;2</w:t><w:br/><w:t>3</w:t></w:r></w:p>
<w:p/><w:p><w:r><w:t>fin</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            xml_text(xml.as_bytes(), &DOCX_RULES).unwrap(),
            "Exercice conjoint & \tTessalit\nligne\u{a0}2\n3\n\nfin\n"
        );
    }

    #[test]
    fn odt_xml_keeps_paragraphs_headings_and_spaces_but_not_annotations() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
<text:sequence-decls><text:sequence-decl text:name="Figure"/></text:sequence-decls>
<text:h text:outline-level="1">Titre</text:h>
<text:p>a<text:s text:c="3"/>b<text:tab/>c<text:line-break/><text:span>d</text:span><office:annotation><text:p>note</text:p></office:annotation></text:p>
</office:text></office:body></office:document-content>"#;
        assert_eq!(xml_text(xml.as_bytes(), &ODT_RULES).unwrap(), "Titre\na   b\tc\nd\n");
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        assert!(matches!(extract_text(DOCX, b"PK\x03\x04 not a zip"), Err(ExtractError::Package(_))));
        assert!(matches!(extract_text(ODT, b"nothing"), Err(ExtractError::Package(_))));
        assert!(matches!(extract_text("application/pdf", b"%PDF-1.4\n garbage"), Err(ExtractError::Pdf(_))));
        assert!(matches!(xml_text(b"<w:p><w:t>a</w:x>", &DOCX_RULES), Err(ExtractError::Xml(_))));
    }

    /// Regression (issue 12, fuzz/ extract target's allocation limit): an object stream inflating far past
    /// [`MAX_PDF_CONTENT_BYTES`] (24 MiB of spaces in a 24 KiB file; lopdf's own default
    /// allows 256 MiB per stream, and a 600 KiB file made it allocate 150 MiB) is refused
    /// while the PDF loads.
    #[test]
    fn a_pdf_whose_object_stream_inflates_past_the_bound_is_refused_while_loading() {
        let bomb = include_bytes!("../../../fuzz/corpus/extract/regression-objstm-bomb.pdf");
        assert!(bomb.len() < 32 << 10);
        // Without the bound lopdf inflated the 24 MiB, skipped the unparsable object stream
        // and read the page: an empty text, not an error.
        assert!(matches!(extract_text("application/pdf", bomb), Err(ExtractError::Pdf(_))));
    }

    #[test]
    fn right_to_left_pdf_lines_are_read_back_in_logical_order() {
        // As lopdf reads typst's Arabic report: glyphs in visual order.
        assert_eq!(logical_order("يرودلا ريرقتلا"), "التقرير الدوري");
        assert_eq!(logical_order("يعجرملا خيراتلا 2025-10-01"), "2025-10-01 التاريخ المرجعي");
        assert_eq!(logical_order("MAR ةيبرغملا"), "المغربية MAR");
        assert_eq!(logical_order("Comité mixte"), "Comité mixte");
    }

    #[test]
    fn tidy_drops_blank_runs_and_trailing_blanks() {
        assert_eq!(tidy("a  \n\n\n\nb\t\n\nc\n\n"), "a\n\nb\n\nc");
        assert_eq!(tidy("\n\n a"), " a");
    }
}
