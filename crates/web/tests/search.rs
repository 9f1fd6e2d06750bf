//! Search over HTTP with the real server: a new record is found at once, results are ranked and
//! highlighted in the user's language with pagination and an empty state, and a SECRET one-party
//! document never shows — not in the count, hits or snippets — to the other party or to a user
//! of lower clearance.

use crate::common;

use common::TestApp;
use lajna_domain::records::{Area, Document, Roadmap};
use lajna_domain::{Actor, Classification, Lang, LocalizedText, Marking, PartyCode, RecordKind, Releasability};
use lajna_node::documents::Upload;
use serde_json::Value;

async fn first_id(app: &TestApp, kind: RecordKind) -> String {
    match kind {
        RecordKind::Roadmap => app.node.with_state(|s| s.all::<Roadmap>(kind)).await.remove(0).0,
        _ => app.node.with_state(|s| s.all::<Area>(kind)).await.remove(0).0,
    }
}

async fn search(client: &reqwest::Client, app: &TestApp, q: &str, lang: &str) -> Value {
    let q: String = q
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    let res = client.get(app.url(&format!("/api/v1/search?q={q}&lang={lang}"))).send().await.unwrap();
    assert_eq!(res.status(), 200, "search {q}");
    res.json().await.unwrap()
}

fn ids(answer: &Value) -> Vec<String> {
    answer["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn an_action_created_through_the_form_is_found_at_once_in_any_spelling() {
    let app = TestApp::spawn().await;
    let roadmap = first_id(&app, RecordKind::Roadmap).await;
    let area = first_id(&app, RecordKind::Area).await;
    let form: Vec<(&str, &str)> = vec![
        ("csrf", &app.csrf),
        ("roadmap", &roadmap),
        ("area", &area),
        ("title.ar", "تدريب فرق الإنقاذ النهري في موبتي"),
        ("title.fr", "Former les équipes de sauvetage fluvial à Mopti"),
        ("owner", "MAR"),
        ("unit.fr", "École de santé"),
        ("start", "2025-11-01"),
        ("due", "2026-02-27"),
        ("status", "planned"),
        ("progress", "0"),
    ];
    let res = app.client.post(app.url("/fr/new/action")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let id = location.strip_prefix("/fr/actions/").and_then(|l| l.strip_suffix("?saved=1")).unwrap().to_string();

    // Without hamza, with the article stripped, with diacritics; French without accents, plural.
    for (q, lang) in [
        ("الانقاذ", "ar"),
        ("إِنْقَاذ النهري", "ar"),
        ("وبالإنقاذ", "ar"),
        ("Sauvetages fluviaux", "fr"),
        ("equipe mopti", "fr"),
    ] {
        let answer = search(&app.client, &app, q, lang).await;
        assert!(ids(&answer).contains(&id), "{q}: {answer}");
    }
    let answer = search(&app.client, &app, "انقاذ", "ar").await;
    assert_eq!(answer["total"], 1);
    let hit = &answer["hits"][0];
    assert_eq!(
        (hit["kind"].as_str(), hit["title"].as_str()),
        (Some("action"), Some("تدريب فرق الإنقاذ النهري في موبتي"))
    );
    assert_eq!(hit["title_lang"], "ar");
    assert!(hit["snippet_html"].as_str().unwrap().contains("<mark>الإنقاذ</mark>"), "{hit}");

    // The results page, in French: the French title, highlighted, linked to the action.
    let (status, html) = app.get("/fr/search?q=sauvetage+fluvial").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"href="/fr/actions/{id}""#)), "{html}");
    assert!(html.contains("Former les équipes de <mark>sauvetage</mark> <mark>fluvial</mark> à Mopti"), "{html}");
    assert!(html.contains(r#"<input type="search" name="q" value="sauvetage fluvial""#));
}

#[tokio::test]
async fn the_page_has_a_search_box_an_empty_state_and_pages() {
    let app = TestApp::spawn().await;
    let (_, dashboard) = app.get("/ar/").await;
    assert!(dashboard.contains(r#"action="/ar/search""#), "search box on every page");
    let (status, html) = app.get("/en/search?q=zzqxv").await;
    assert_eq!(status, 200);
    assert!(html.contains("No record matches this search."), "{html}");
    assert!(html.contains("No results"));
    let (status, html) = app.get("/en/search").await;
    assert_eq!(status, 200);
    assert!(!html.contains("No results"), "no count before a query");

    // 25 actions with the same word: two pages of 20.
    let roadmap = first_id(&app, RecordKind::Roadmap).await;
    let area = first_id(&app, RecordKind::Area).await;
    for i in 0..25 {
        let title = format!("Exercice conjoint numéro {i}");
        let form: Vec<(&str, &str)> = vec![
            ("csrf", &app.csrf),
            ("roadmap", &roadmap),
            ("area", &area),
            ("title.fr", &title),
            ("owner", "MAR"),
            ("unit.fr", "État-major"),
            ("start", "2025-11-01"),
            ("due", "2026-02-27"),
            ("status", "planned"),
            ("progress", "0"),
        ];
        let res = app.client.post(app.url("/fr/new/action")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303);
    }
    let (_, first) = app.get("/fr/search?q=exercices").await;
    let first = first.replace(['\u{2068}', '\u{2069}'], "");
    assert!(first.contains("25 résultats"), "{first}");
    assert_eq!(first.matches(r#"class="card search-hit""#).count(), 20);
    assert!(first.contains(r#"href="/fr/search?q=exercices&#38;page=2" rel="next""#), "{first}");
    let (_, second) = app.get("/fr/search?q=exercices&page=2").await;
    assert_eq!(second.matches(r#"class="card search-hit""#).count(), 5);
    assert!(second.contains(r#"rel="prev""#) && !second.contains(r#"rel="next""#));
    let answer = search(&app.client, &app, "exercice", "fr").await;
    assert_eq!((answer["total"].as_u64(), answer["hits"].as_array().unwrap().len()), (Some(25), 20));

    // Signed out: the page sends to sign-in, the API answers 401 with a problem document.
    let anon = common::new_client();
    let res = anon.get(app.url("/fr/search?q=exercice")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let res = anon.get(app.url("/api/v1/search?q=exercice")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn a_secret_mar_only_document_is_found_only_by_mar_users_cleared_for_secret() {
    let app = TestApp::spawn().await;
    let mar = PartyCode::parse("MAR").unwrap();
    let document = Document {
        title: LocalizedText {
            fr: Some("Évaluation de la menace zéphyrine au Sahel".into()),
            ar: Some("تقييم التهديد الزفيري في الساحل".into()),
            en: None,
        },
        language: Lang::Fr,
        date: Some("2025-02-18".parse().unwrap()),
        marking: Marking { classification: Classification::Secret, releasable_to: Releasability::Only(mar.clone()) },
        blake3: String::new(),
        media_type: String::new(),
        size: 0,
        file_name: String::new(),
        links: Vec::new(),
        illustrative: false,
    };
    let upload =
        Upload { bytes: b"Menace zephyrine: evaluation.\n", file_name: "menace.txt".into(), declared_type: None };
    let id = app.node.register_document(None, &Actor { party: mar, member: None }, &upload, document).await.unwrap();

    // mar-cochair (SECRET, MAR) finds it.
    let (cochair, _) = app.login("mar-cochair").await;
    let answer = search(&cochair, &app, "zéphyrine", "fr").await;
    assert_eq!(ids(&answer), std::slice::from_ref(&id));
    assert_eq!(answer["total"], 1);
    let answer = search(&cochair, &app, "الزفيري", "ar").await;
    assert_eq!(ids(&answer), std::slice::from_ref(&id));
    // Its results page carries the marking at top and bottom, and each hit shown is audited.
    let html = cochair.get(app.url("/fr/search?q=z%C3%A9phyrine")).send().await.unwrap().text().await.unwrap();
    assert_eq!(html.matches(">SECRET — MAR ONLY</bdi>").count(), 2, "{html}");
    let trail = app.node.store().audit_trail(100).await.unwrap();
    let hits: Vec<_> = trail.iter().filter(|l| l.action == "search-hit" && l.record == id).collect();
    assert_eq!(hits.len(), 3, "two API searches and one page: {trail:?}");
    assert!(hits.iter().all(|l| l.username == "mar-cochair" && l.address == "127.0.0.1"));

    // mar-secretary (CONFIDENTIAL), mar-viewer (UNCLASSIFIED), and MLI's co-chair (SECRET, other
    // party; the demo node serves both parties) get nothing — no hit, no count.
    for user in ["mar-secretary", "mar-viewer", "mli-cochair"] {
        let (client, _) = app.login(user).await;
        for (q, lang) in [("zéphyrine", "fr"), ("zephyrine menace", "fr"), ("الزفيري", "ar")] {
            let answer = search(&client, &app, q, lang).await;
            assert_eq!(answer["total"], 0, "{user} {q}");
            assert!(answer["hits"].as_array().unwrap().is_empty(), "{user} {q}");
        }
        // A word the document shares with open records: those are found, the document is not.
        let answer = search(&client, &app, "Sahel", "fr").await;
        assert!(!ids(&answer).contains(&id), "{user}");
        assert!(!answer.to_string().contains("phyrine"), "{user}: nothing of it in snippets");
        let res = client.get(app.url("/fr/search?q=z%C3%A9phyrine")).send().await.unwrap();
        let html = res.text().await.unwrap();
        assert!(!html.contains("phyrine</") && !html.contains(&id), "{user}");
        assert!(html.contains("Aucun résultat"), "{user}");
        assert!(!html.contains("data-marking"), "{user}: no banner when nothing marked is shown");
    }
    let trail = app.node.store().audit_trail(1000).await.unwrap();
    assert!(trail.iter().filter(|l| l.record == id).all(|l| l.username == "mar-cochair"), "{trail:?}");
}

/// Every hit of `q` in `lang`, page after page, through the API.
async fn all_ids(app: &TestApp, q: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    for page in 1..=100 {
        // `search` puts the language last in the query string: the page number follows it.
        let answer = search(&app.client, app, q, &format!("{lang}&page={page}")).await;
        let hits = ids(&answer);
        if hits.is_empty() {
            break;
        }
        out.extend(hits);
    }
    out
}

/// Issue 17 item 8 (must show), over HTTP: actions created through the French form whose
/// titles hold `2025` (Western or Arabic-Indic digits), `2/2025` and `D-3`, in Arabic, French or
/// English, are found by `2025`, `٢٠٢٥`, `2/2025` and `D-3` whatever the language of the search,
/// and near misses (`12/2025`, `D-30`) are not found by the reference they only resemble.
#[tokio::test]
async fn numbers_references_and_arabic_indic_digits_find_their_records_in_every_language() {
    let app = TestApp::spawn().await;
    let roadmap = first_id(&app, RecordKind::Roadmap).await;
    let area = first_id(&app, RecordKind::Area).await;
    let mut created = std::collections::BTreeMap::new();
    for (name, lang, title) in [
        ("year-fr", "fr", "Budget de l’exercice 2025 pour la formation"),
        ("year-ar", "ar", "ميزانية سنة ٢٠٢٥ لتكوين الضباط"),
        ("ref-en", "en", "Follow-up of decision 2/2025 on engineering"),
        ("ref-ar", "ar", "متابعة القرار 2/2025 بشأن الهندسة"),
        ("near-fr", "fr", "Décision 12/2025 prise le 2 mars"),
        ("d3-fr", "fr", "Jalon D-3 avant l’exercice conjoint"),
        ("d3-en", "en", "Milestone D-3 before the joint exercise"),
        ("d30-ar", "ar", "المرحلة D-30 والخطوة 3"),
    ] {
        let input = format!("title.{lang}");
        let form: Vec<(&str, &str)> = vec![
            ("csrf", &app.csrf),
            ("roadmap", &roadmap),
            ("area", &area),
            (&input, title),
            ("owner", "MAR"),
            ("unit.fr", "École du génie"),
            ("start", "01/11/2025"),
            ("due", "27/02/2026"),
            ("status", "planned"),
            ("progress", "0"),
        ];
        let res = app.client.post(app.url("/fr/new/action")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303, "{name}");
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let id = location.strip_prefix("/fr/actions/").and_then(|l| l.strip_suffix("?saved=1")).unwrap();
        created.insert(id.to_string(), name);
    }
    for (q, expected) in [
        ("2025", &["near-fr", "ref-ar", "ref-en", "year-ar", "year-fr"][..]),
        ("٢٠٢٥", &["near-fr", "ref-ar", "ref-en", "year-ar", "year-fr"]),
        ("2/2025", &["ref-ar", "ref-en"]),
        ("D-3", &["d3-en", "d3-fr"]),
    ] {
        for lang in ["ar", "fr", "en"] {
            let mut found: Vec<&str> =
                all_ids(&app, q, lang).await.iter().filter_map(|id| created.get(id).copied()).collect();
            found.sort_unstable();
            assert_eq!(found, expected, "{q} in {lang}");
        }
    }
    // The results page in Arabic shows the reference highlighted as written.
    let (status, html) = app.get("/ar/search?q=2%2F2025").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>2/2025</mark>"), "{html}");
}
