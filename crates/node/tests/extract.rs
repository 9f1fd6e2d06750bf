//! The text of attachments in full-text search (issue 6): DOCX, ODT and PDF files uploaded to
//! the demo committee are found by words of their text, in Arabic and French, under the
//! marking rule; the text is extracted once and cached beside the index.

use std::io::Write as _;
use std::path::Path;

use jiff::civil::date;
use lajna_demo as demo;
use lajna_domain::records::Document;
use lajna_domain::values::PartyCode;
use lajna_domain::{Actor, Classification, Lang, LocalizedText as T, Marking, Releasability};
use lajna_node::Node;
use lajna_node::documents::{Upload, sniff};
use lajna_node::extract::{DOCX, ODT, extract_text};
use lajna_search::Access;

fn party(p: &str) -> PartyCode {
    PartyCode::parse(p).unwrap()
}

/// A ZIP package holding `parts` (name, content), as office suites write them.
fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in parts {
        // ODF: the `mimetype` entry first and stored (uncompressed), as the standard asks.
        let method =
            if *name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        zip.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A DOCX whose paragraphs are `paragraphs` (each split in two runs, as Word does).
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| {
            let cut = p.char_indices().nth(p.chars().count() / 2).map_or(0, |(i, _)| i);
            let (a, b) = p.split_at(cut);
            let (a, b) = (quick_xml::escape::escape(a), quick_xml::escape::escape(b));
            format!(r#"<w:p><w:r><w:t xml:space="preserve">{a}</w:t></w:r><w:r><w:t xml:space="preserve">{b}</w:t></w:r></w:p>"#)
        })
        .collect();
    package(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        (
            "word/document.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
            ),
        ),
        // The upload check (the `infer` crate) looks for `word/` in the third and fourth entries.
        (
            "word/styles.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>"#,
        ),
    ])
}

/// An ODT whose paragraphs are `paragraphs` (the first one a heading).
fn odt(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let p = quick_xml::escape::escape(*p);
            if i == 0 {
                format!("<text:h text:outline-level=\"1\">{p}</text:h>")
            } else {
                format!("<text:p>{p}</text:p>")
            }
        })
        .collect();
    package(&[
        ("mimetype", ODT),
        (
            "content.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
            ),
        ),
    ])
}

fn document(title: &str, language: Lang, marking: Marking) -> Document {
    Document {
        title: T::tri(title, title, title),
        language,
        date: Some(date(2025, 3, 1)),
        marking,
        blake3: String::new(),
        media_type: String::new(),
        size: 0,
        file_name: String::new(),
        links: vec![],
        illustrative: true,
    }
}

async fn upload(node: &Node, bytes: &[u8], file_name: &str, doc: Document) -> String {
    let mar = Actor { party: party("MAR"), member: None };
    let up = Upload { bytes, file_name: file_name.into(), declared_type: None };
    node.register_document(None, &mar, &up, doc).await.unwrap()
}

async fn ids(node: &Node, query: &str, party_code: &str, clearance: Classification) -> Vec<String> {
    let access = Access { party: party(party_code), clearance };
    node.search(query, &access, Lang::Fr, 50, 0).await.unwrap().hits.into_iter().map(|h| h.id).collect()
}

/// A node of the small committee: these tests upload their own documents and need no more.
async fn small_node(dir: &Path) -> Node {
    demo::build_from(&dir.join("demo"), &demo::small().unwrap()).await.unwrap()
}

#[test]
fn each_format_gives_its_text() {
    let words = ["تمرين مشترك على الإنقاذ", "exercice conjoint & secours"];
    assert_eq!(sniff(&docx(&words)), Some(DOCX));
    assert_eq!(sniff(&odt(&words)), Some(ODT));
    assert_eq!(extract_text(DOCX, &docx(&words)).unwrap(), words.join("\n"));
    assert_eq!(extract_text(ODT, &odt(&words)).unwrap(), words.join("\n"));
    let pdf = demo::tiny_pdf(&["Threat assessment (Tessalit)", "second line"]);
    assert_eq!(extract_text("application/pdf", &pdf).unwrap(), "Threat assessment (Tessalit)\nsecond line");
    assert_eq!(extract_text("text/plain", "سطر\nligne".as_bytes()).unwrap(), "سطر\nligne");
}

#[tokio::test]
async fn the_text_of_an_uploaded_docx_and_odt_is_found_in_arabic_and_french() {
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    // Open the index first, so the uploads below are indexed by the write path.
    assert!(ids(&node, "الانقاذ", "MLI", Classification::Unclassified).await.is_empty());
    let docx_id = upload(
        &node,
        &docx(&["تمرين مشترك على الإنقاذ في منطقة الساحل", "Compte rendu : exercice conjoint de secours"]),
        "exercice.docx",
        document("Compte rendu 7", Lang::Fr, Marking::default()),
    )
    .await;
    let odt_id = upload(
        &node,
        &odt(&["Plan de formation", "Formation des brancardiers à Kati"]),
        "formation.odt",
        document("Plan 8", Lang::Fr, Marking::default()),
    )
    .await;
    // Arabic without the hamza, French plural: the analyzers fold and stem the file's text.
    assert_eq!(ids(&node, "الانقاذ", "MLI", Classification::Unclassified).await, vec![docx_id.clone()]);
    assert_eq!(ids(&node, "exercices", "MLI", Classification::Unclassified).await, vec![docx_id.clone()]);
    assert_eq!(ids(&node, "brancardiers Kati", "MAR", Classification::Unclassified).await, vec![odt_id.clone()]);

    // Cached beside the index by BLAKE3; a full reindex finds the same without the cache in
    // memory (a new process reads the files).
    let hash =
        blake3::hash(&docx(&["تمرين مشترك على الإنقاذ في منطقة الساحل", "Compte rendu : exercice conjoint de secours"]))
            .to_hex()
            .to_string();
    let cached = std::fs::read_to_string(node.dir.extracted_text(&hash)).unwrap();
    assert_eq!(cached, "تمرين مشترك على الإنقاذ في منطقة الساحل\nCompte rendu : exercice conjoint de secours");
    let data = node.dir.0.clone();
    drop(node);
    let node = Node::open(&data).await.unwrap();
    assert!(node.reindex().await.unwrap() > 2);
    assert_eq!(ids(&node, "الانقاذ", "MLI", Classification::Unclassified).await, vec![docx_id]);
}

#[tokio::test]
async fn a_secret_mar_only_pdf_is_found_by_its_text_only_by_cleared_mar_users() {
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    let secret = Marking { classification: Classification::Secret, releasable_to: Releasability::Only(party("MAR")) };
    let pdf = demo::tiny_pdf(&["SECRET - MAR ONLY (illustrative)", "Convoy escort plan via Tessalit and Aguelhok"]);
    let id = upload(&node, &pdf, "convoy.pdf", document("Note 12", Lang::En, secret)).await;
    assert_eq!(ids(&node, "Aguelhok", "MAR", Classification::Secret).await, vec![id.clone()]);
    assert_eq!(ids(&node, "convoy escort", "MAR", Classification::Secret).await, vec![id]);
    // Not releasable to Mali, whatever the clearance; not above a MAR user's clearance.
    assert!(ids(&node, "Aguelhok", "MLI", Classification::Secret).await.is_empty());
    assert!(ids(&node, "Aguelhok", "MAR", Classification::Confidential).await.is_empty());
}

#[tokio::test]
async fn a_file_whose_text_cannot_be_read_is_registered_and_found_by_its_title() {
    let dir = tempfile::tempdir().unwrap();
    let node = small_node(dir.path()).await;
    // Passes the upload check (PDF signature) but is no PDF lopdf can read.
    let broken = b"%PDF-1.7\nnot really a PDF: Zorblatt\n%%EOF\n";
    let id = upload(&node, broken, "broken.pdf", document("Zanzibarique", Lang::Fr, Marking::default())).await;
    assert_eq!(ids(&node, "Zanzibarique", "MLI", Classification::Unclassified).await, vec![id]);
    assert!(ids(&node, "Zorblatt", "MLI", Classification::Unclassified).await.is_empty());
}
