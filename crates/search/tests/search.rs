//! Search: the variant table (issue 6 "Must show"), cases C01 and C02, the founding article and
//! the access filter.

use lajna_domain::{Classification, Lang, LocalizedText, Marking, PartyCode, Releasability};
use lajna_search::{Access, SearchDoc, SearchIndex};

/// The variant table, shared with `scripts/bench-search-pg`.
const VARIANTS: &str = include_str!("variants.tsv");
/// The founding article of the demo committee (Arabic).
const ARTICLE: &str = include_str!("../../demo/000_fac40ccd7e41eb5b.txt");

struct Pair {
    lang: String,
    normalisation: String,
    query: String,
    text: String,
}

fn pairs() -> Vec<Pair> {
    VARIANTS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 4, "row {l:?}");
            Pair { lang: c[0].into(), normalisation: c[1].into(), query: c[2].into(), text: c[3].into() }
        })
        .collect()
}

fn party(code: &str) -> PartyCode {
    PartyCode::parse(code).unwrap()
}

fn user(code: &str, clearance: Classification) -> Access {
    Access { party: party(code), clearance }
}

fn text_in(lang: &str, text: &str) -> LocalizedText {
    match lang {
        "ar" => LocalizedText { ar: Some(text.into()), ..Default::default() },
        "fr" => LocalizedText { fr: Some(text.into()), ..Default::default() },
        _ => LocalizedText { en: Some(text.into()), ..Default::default() },
    }
}

fn doc(id: &str, kind: &str, title: LocalizedText, body: LocalizedText) -> SearchDoc {
    SearchDoc { id: id.into(), kind: kind.into(), title, body, marking: Marking::default(), date: None }
}

fn ids(index: &SearchIndex, query: &str, access: &Access) -> Vec<String> {
    index.search(query, access, Lang::Fr, 100, 0).unwrap().hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn every_variant_pair_is_found_in_both_title_and_body() {
    let pairs = pairs();
    assert!(pairs.len() >= 30, "issue 6 asks for at least 30 pairs, the table has {}", pairs.len());
    assert!(pairs.iter().filter(|p| p.lang == "ar").count() >= 20);
    assert!(pairs.iter().filter(|p| p.lang == "fr").count() >= 10);
    let index = SearchIndex::in_memory().unwrap();
    for (i, p) in pairs.iter().enumerate() {
        index.upsert(&doc(&format!("t{i}"), "action", text_in(&p.lang, &p.text), LocalizedText::default())).unwrap();
        index
            .upsert(&doc(&format!("b{i}"), "minutes", text_in("fr", "Procès-verbal"), text_in(&p.lang, &p.text)))
            .unwrap();
    }
    index.commit().unwrap();
    let everyone = user("MLI", Classification::Unclassified);
    let mut missing = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        let found = ids(&index, &p.query, &everyone);
        for id in [format!("t{i}"), format!("b{i}")] {
            if !found.contains(&id) {
                missing.push(format!("{} [{}] {:?} → {:?} ({id})", p.lang, p.normalisation, p.query, p.text));
            }
        }
    }
    assert!(missing.is_empty(), "not found:\n{}", missing.join("\n"));
}

#[test]
fn c01_each_query_finds_its_record_and_shows_the_original_spelling() {
    let index = SearchIndex::in_memory().unwrap();
    let titles = [("safi", "آسفي"), ("plan", "إعداد خطة التدريب المشترك"), ("marrakech", "مراكش")];
    for (id, title) in titles {
        index.upsert(&doc(id, "mission", text_in("ar", title), LocalizedText::default())).unwrap();
    }
    index.commit().unwrap();
    let u = user("MAR", Classification::Unclassified);
    for (query, id) in [
        ("اسفي", "safi"),
        ("اعداد", "plan"),
        ("أعداد", "plan"),
        ("إِعْدَاد", "plan"),
        ("مَرَّاكُش", "marrakech"),
        // Decomposed input (NFD): alef + U+0653 madda, alef + U+0655 hamza below.
        ("\u{0627}\u{0653}\u{0633}\u{0641}\u{064A}", "safi"),
        ("\u{0627}\u{0655}\u{0639}\u{062F}\u{0627}\u{062F}", "plan"),
    ] {
        let page = index.search(query, &u, Lang::Ar, 10, 0).unwrap();
        assert_eq!(page.total, 1, "{query}");
        assert_eq!(page.hits[0].id, id, "{query}");
    }
    // The reverse: hamza in the text, none in the query, and a decomposed text.
    let page = index.search("اسفي", &u, Lang::Ar, 10, 0).unwrap();
    assert_eq!(page.hits[0].title, "آسفي", "stored and shown text is never changed");
    let index = SearchIndex::in_memory().unwrap();
    index
        .upsert(&doc(
            "nfd",
            "mission",
            text_in("ar", "\u{0627}\u{0655}\u{0639}\u{062F}\u{0627}\u{062F}"),
            Default::default(),
        ))
        .unwrap();
    index.commit().unwrap();
    let page = index.search("إعداد", &u, Lang::Ar, 10, 0).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.hits[0].title, "\u{0627}\u{0655}\u{0639}\u{062F}\u{0627}\u{062F}");
}

#[test]
fn c02_taa_marbuta_and_alif_maqsura_match_and_results_keep_the_spelling() {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(&doc("s2", "session", text_in("ar", "الدورة الثانية للجنة"), Default::default())).unwrap();
    index.upsert(&doc("n1", "need", text_in("ar", "مستشفى ميداني"), Default::default())).unwrap();
    index.commit().unwrap();
    let u = user("MLI", Classification::Unclassified);
    let page = index.search("الدوره الثانيه", &u, Lang::Ar, 10, 0).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!((page.hits[0].id.as_str(), page.hits[0].title.as_str()), ("s2", "الدورة الثانية للجنة"));
    let page = index.search("مستشفي ميداني", &u, Lang::Ar, 10, 0).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!((page.hits[0].id.as_str(), page.hits[0].title.as_str()), ("n1", "مستشفى ميداني"));
}

/// Whether `text` occurs in `haystack` as a whole word (between non-letters).
fn has_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = haystack[i + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

#[test]
fn the_founding_article_is_found_by_each_variant_of_a_word_it_contains() {
    let index = SearchIndex::in_memory().unwrap();
    let (title, body) = ARTICLE.split_once('\n').unwrap();
    index.upsert(&doc("article", "press", text_in("ar", title.trim()), text_in("ar", body))).unwrap();
    index.upsert(&doc("other", "action", text_in("fr", "Autre chose"), Default::default())).unwrap();
    index.commit().unwrap();
    let u = user("MAR", Classification::Unclassified);
    // Pairs of the table whose text words all occur in the article, as written there.
    let mut checked = 0;
    for p in pairs().iter().filter(|p| p.lang == "ar") {
        if p.text.split(' ').all(|w| has_word(ARTICLE, w)) {
            checked += 1;
            assert_eq!(ids(&index, &p.query, &u), ["article"], "{:?} ({})", p.query, p.normalisation);
        }
    }
    assert!(checked >= 8, "only {checked} pairs have their text in the article");
    // Variants of words of the article, one per normalisation, checked against the text above.
    for (query, word_in_article) in [
        ("الإستخباراتي", "والاستخباراتي"),
        ("مالى", "مالي"),
        ("اللجنه", "اللجنة"),
        ("الدِّفَاع", "الدفاع"),
        ("وزاره الدفاع", "وزارة"),
        ("الرباط", "والرباط"),
        ("باماكو", "باماكو"),
        ("ساحل", "الساحل"),
        ("شراكه", "شراكة"),
        ("الأمنيه", "الأمنية"),
        ("القوات المسلحه", "المسلحة"),
        ("أنشاء", "إنشاء"),
        ("إجراءات", "إجراءات"),
        ("اكد", "أكد"),
        ("الـــتدريب", "التدريب"),
        ("الهدف", "فالهدف"),
        ("تدريب", "بتدريب"),
        ("للتعاون", "التعاون"),
        ("المشتركه", "المشتركة"),
    ] {
        assert!(has_word(ARTICLE, word_in_article), "the article should contain {word_in_article}");
        assert_eq!(ids(&index, query, &u), ["article"], "{query}");
    }
    // A snippet of the article highlights the original spelling.
    let page = index.search("الإستخباراتي", &u, Lang::Ar, 10, 0).unwrap();
    assert!(page.hits[0].snippet_html.contains("<mark>والاستخباراتي</mark>"), "{}", page.hits[0].snippet_html);
}

fn secret_mar_only() -> SearchDoc {
    SearchDoc {
        id: "secret".into(),
        kind: "document".into(),
        title: LocalizedText { fr: Some("Évaluation de la menace au Sahel".into()), ..Default::default() },
        body: LocalizedText { fr: Some("Menace terroriste : évaluation détaillée.".into()), ..Default::default() },
        marking: Marking { classification: Classification::Secret, releasable_to: Releasability::Only(party("MAR")) },
        date: Some("2025-02-17".into()),
    }
}

#[test]
fn a_secret_one_party_record_is_found_only_by_that_party_with_enough_clearance() {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(&secret_mar_only()).unwrap();
    index
        .upsert(&doc("open", "action", text_in("fr", "Évaluation des besoins de formation"), Default::default()))
        .unwrap();
    let confidential_both = SearchDoc {
        id: "conf".into(),
        marking: Marking { classification: Classification::Confidential, releasable_to: Releasability::Both },
        ..doc("conf", "document", text_in("fr", "Évaluation logistique"), Default::default())
    };
    index.upsert(&confidential_both).unwrap();
    index.commit().unwrap();

    let search = |access: &Access| index.search("évaluation", access, Lang::Fr, 10, 0).unwrap();
    let mar_secret = search(&user("MAR", Classification::Secret));
    assert_eq!(mar_secret.total, 3);
    assert!(mar_secret.hits.iter().any(|h| h.id == "secret"));

    for (who, access, expected) in [
        ("MLI, SECRET", user("MLI", Classification::Secret), vec!["conf", "open"]),
        ("MAR, CONFIDENTIAL", user("MAR", Classification::Confidential), vec!["conf", "open"]),
        ("MAR, UNCLASSIFIED", user("MAR", Classification::Unclassified), vec!["open"]),
    ] {
        let page = search(&access);
        let mut got: Vec<_> = page.hits.iter().map(|h| h.id.as_str()).collect();
        got.sort_unstable();
        assert_eq!(got, expected, "{who}");
        assert_eq!(page.total, expected.len(), "{who}: total must not count hidden records");
        assert!(page.hits.iter().all(|h| !h.snippet_html.contains("terroriste")), "{who}");
    }
    // A word only the secret record holds: nothing at all for the others, not even a count.
    assert_eq!(index.search("terroriste", &user("MLI", Classification::Secret), Lang::Fr, 10, 0).unwrap().total, 0);
    assert_eq!(
        index.search("terroriste", &user("MAR", Classification::Confidential), Lang::Fr, 10, 0).unwrap().total,
        0
    );
    let page = index.search("terroriste", &user("MAR", Classification::Secret), Lang::Fr, 10, 0).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.hits[0].snippet_html, "Menace <mark>terroriste</mark> : évaluation détaillée");
}

#[test]
fn titles_rank_first_pages_split_and_records_are_replaced_and_deleted() {
    let index = SearchIndex::in_memory().unwrap();
    for i in 0..25 {
        index
            .upsert(&doc(
                &format!("body{i}"),
                "action",
                text_in("fr", &format!("Action {i}")),
                text_in("fr", "Formation des officiers"),
            ))
            .unwrap();
    }
    index.upsert(&doc("title", "training", text_in("fr", "Formation"), text_in("fr", "Stage à Rabat"))).unwrap();
    index.commit().unwrap();
    let u = user("MLI", Classification::Unclassified);
    let first = index.search("formations", &u, Lang::Fr, 10, 0).unwrap();
    assert_eq!(first.total, 26);
    assert_eq!(first.hits.len(), 10);
    assert_eq!(first.hits[0].id, "title", "a title match ranks above body matches");
    let third = index.search("formations", &u, Lang::Fr, 10, 20).unwrap();
    assert_eq!(third.hits.len(), 6);
    // Replace by id: the old words are gone, the new ones found.
    index.upsert(&doc("title", "training", text_in("fr", "Exercice"), Default::default())).unwrap();
    index.commit().unwrap();
    assert_eq!(index.search("formation", &u, Lang::Fr, 10, 0).unwrap().total, 25);
    assert_eq!(ids(&index, "exercices", &u), ["title"]);
    index.delete("title").unwrap();
    index.commit().unwrap();
    assert_eq!(index.search("exercice", &u, Lang::Fr, 10, 0).unwrap().total, 0);
    // Only stop words: no query, no hit.
    assert_eq!(index.search("de la", &u, Lang::Fr, 10, 0).unwrap().total, 0);
}

#[test]
fn snippets_are_escaped_and_prefer_the_readers_language() {
    let index = SearchIndex::in_memory().unwrap();
    let body = LocalizedText {
        ar: Some("تدريب الضباط على الإسعافات الأولية".into()),
        fr: Some("Formation <script>alert(1)</script> des officiers aux premiers secours".into()),
        en: None,
    };
    index.upsert(&doc("tr", "training", LocalizedText::tri("تدريب", "Formation", "Training"), body)).unwrap();
    index.commit().unwrap();
    let u = user("MAR", Classification::Unclassified);
    let page = index.search("formation", &u, Lang::Fr, 10, 0).unwrap();
    let hit = &page.hits[0];
    assert_eq!((hit.title.as_str(), hit.title_lang), ("Formation", Lang::Fr));
    assert_eq!(hit.snippet_lang, Lang::Fr);
    assert!(hit.snippet_html.starts_with("<mark>Formation</mark> &lt;script&gt;"), "{}", hit.snippet_html);
    // An Arabic query by a French reader: the snippet comes from the Arabic text that matched.
    let page = index.search("التدريب", &u, Lang::Fr, 10, 0).unwrap();
    assert_eq!(page.hits[0].snippet_lang, Lang::Ar);
    assert!(page.hits[0].snippet_html.starts_with("<mark>تدريب</mark>"), "{}", page.hits[0].snippet_html);
}

#[test]
fn an_index_on_disk_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index.upsert(&doc("a", "action", text_in("ar", "تدريب الضباط"), Default::default())).unwrap();
        index.commit().unwrap();
    }
    let reader = SearchIndex::open_read_only(dir.path()).unwrap();
    assert_eq!(ids(&reader, "التدريب", &user("MLI", Classification::Unclassified)), ["a"]);
    assert!(reader.upsert(&doc("b", "action", Default::default(), Default::default())).is_err());
}

/// Case C24: per language, records holding `2025`, `2/2025`, `D-3`, `PV n° 2` and a word with
/// `1999`, and near misses (`12/2025` with a `2` elsewhere, `D-30` with a `3` elsewhere,
/// `PV n° 12`, the word without `1999`).
fn c24_records() -> Vec<(String, &'static str, LocalizedText)> {
    let mut records = Vec::new();
    for (lang, texts) in [
        (
            "fr",
            [
                ("year", "Budget de l’exercice 2025"),
                ("ref", "Décision 2/2025 sur la formation"),
                ("near", "Décision 12/2025 prise le 2 mars"),
                ("d3", "Jalon D-3 avant l’exercice"),
                ("d30", "Jalon D-30, étape 3"),
                ("pv", "PV n° 2 de la session"),
                ("pv12", "PV n° 12 de la session"),
                ("example", "Un exemple de 1999"),
                ("word", "Un autre exemple"),
            ],
        ),
        (
            "en",
            [
                ("year", "Budget for 2025"),
                ("ref", "Decision 2/2025 on training"),
                ("near", "Decision 12/2025 taken on 2 March"),
                ("d3", "Milestone D-3 before the exercise"),
                ("d30", "Milestone D-30, step 3"),
                ("pv", "PV n° 2 of the session"),
                ("pv12", "PV n° 12 of the session"),
                ("example", "An example from 1999"),
                ("word", "Another example"),
            ],
        ),
        (
            "ar",
            [
                // Arabic-Indic digits in the text: found by `2025` too.
                ("year", "ميزانية سنة ٢٠٢٥"),
                ("ref", "القرار 2/2025 بشأن التدريب"),
                ("near", "القرار 12/2025 بتاريخ 2 مارس"),
                ("d3", "المرحلة D-3 قبل التمرين"),
                ("d30", "المرحلة D-30 والخطوة 3"),
                ("pv", "المحضر PV n° 2 للدورة"),
                ("pv12", "المحضر PV n° 12 للدورة"),
                ("example", "مثال من عام ۱۹۹۹"),
                ("word", "مثال آخر"),
            ],
        ),
    ] {
        for (name, text) in texts {
            records.push((format!("{lang}-{name}"), lang, text_in(lang, text)));
        }
    }
    records
}

#[test]
fn c24_numbers_references_and_arabic_indic_digits_are_found_in_every_language() {
    let index = SearchIndex::in_memory().unwrap();
    for (id, _, text) in c24_records() {
        // Once as a title, once as a body.
        index.upsert(&doc(&format!("{id}-t"), "decision", text.clone(), LocalizedText::default())).unwrap();
        index.upsert(&doc(&format!("{id}-b"), "session", text_in("fr", "Procès-verbal"), text)).unwrap();
    }
    index.commit().unwrap();
    let u = user("MLI", Classification::Unclassified);
    let expect = |names: &[&str], langs: &[&str]| {
        let mut ids: Vec<String> = langs
            .iter()
            .flat_map(|l| names.iter().flat_map(move |n| [format!("{l}-{n}-t"), format!("{l}-{n}-b")]))
            .collect();
        ids.sort();
        ids
    };
    let all = ["fr", "en", "ar"];
    for (query, names, langs) in [
        ("2025", &["year", "ref", "near"][..], &all[..]),
        ("٢٠٢٥", &["year", "ref", "near"], &all),
        ("۲۰۲۵", &["year", "ref", "near"], &all),
        ("2/2025", &["ref"], &all),
        ("٢/٢٠٢٥", &["ref"], &all),
        ("D-3", &["d3"], &all),
        ("d-3", &["d3"], &all),
        ("PV n° 2", &["pv"], &all),
        ("1999", &["example"], &all),
        ("exemple 1999", &["example"], &["fr"]),
        ("example 1999", &["example"], &["en"]),
        ("مثال 1999", &["example"], &["ar"]),
        ("مثال ١٩٩٩", &["example"], &["ar"]),
        ("exemple", &["example", "word"], &["fr"]),
    ] {
        let mut got = ids(&index, query, &u);
        got.sort();
        assert_eq!(got, expect(names, langs), "{query}");
    }
    // The snippet highlights the reference as written.
    let page = index.search("2/2025", &u, Lang::Fr, 100, 0).unwrap();
    let hit = page.hits.iter().find(|h| h.id == "fr-ref-b").unwrap();
    assert!(hit.snippet_html.contains("<mark>2/2025</mark>"), "{}", hit.snippet_html);
    let page = index.search("2025", &u, Lang::Ar, 100, 0).unwrap();
    let hit = page.hits.iter().find(|h| h.id == "ar-year-b").unwrap();
    assert!(hit.snippet_html.contains("<mark>٢٠٢٥</mark>"), "{}", hit.snippet_html);
}

#[test]
fn c20_invisible_characters_neither_split_nor_hide_a_word() {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(&doc("segou", "mission", text_in("fr", "Mission à Sé\u{200B}gou"), Default::default())).unwrap();
    index.upsert(&doc("colonel", "member", text_in("ar", "\u{200F}العقيد (عضو أ)"), Default::default())).unwrap();
    index.upsert(&doc("bom", "action", text_in("fr", "\u{FEFF}Formation\u{2060}s"), Default::default())).unwrap();
    index.commit().unwrap();
    let u = user("MLI", Classification::Unclassified);
    assert_eq!(ids(&index, "Ségou", &u), ["segou"]);
    assert_eq!(ids(&index, "segou", &u), ["segou"]);
    assert!(ids(&index, "gou", &u).is_empty(), "U+200B does not split the word");
    assert_eq!(ids(&index, "العقيد", &u), ["colonel"]);
    assert_eq!(ids(&index, "\u{200F}العقيد\u{200E}", &u), ["colonel"]);
    assert_eq!(ids(&index, "formations", &u), ["bom"]);
    // Shown as stored.
    let page = index.search("Ségou", &u, Lang::Fr, 10, 0).unwrap();
    assert_eq!(page.hits[0].title, "Mission à Sé\u{200B}gou");
}
