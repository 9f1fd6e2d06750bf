//! The resources page (issue 18) over HTTP with the real server, in French: a pledge of 20
//! training seats valued in MAD, two deliveries, the area's figure and the "not honoured" list
//! changing with them; refusals that write nothing; a party's private cost unseen by the other.

use lajna_domain::RecordKind;
use lajna_domain::records::{Action, Area};
use lajna_domain::resources::Pledge;

use crate::common::{TestApp, plain};

/// The text of the page from `from` to the next `to` (a section): tags removed, each cell's
/// text separated by one space, isolation marks and `&#x202F;` read.
fn section(html: &str, from: &str, to: &str) -> String {
    let start = html.find(from).unwrap_or_else(|| panic!("{from} missing"));
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    let (mut text, mut in_tag) = (String::new(), true);
    for c in plain(&html[start..end])
        .replace("&#x202F;", "\u{202F}")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .chars()
    {
        match c {
            '<' => (in_tag, text) = (true, text + " "),
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

async fn post(app: &TestApp, client: &reqwest::Client, csrf: &str, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let mut body = vec![("csrf", csrf)];
    body.extend_from_slice(form);
    let res = client.post(app.url(path)).form(&body).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_pledge_in_kind_and_two_deliveries_move_the_area_figure_and_the_not_honoured_list() {
    let app = TestApp::spawn().await;
    let (c, csrf) = (&app.client, app.csrf.as_str());
    let (action, title, area) = app
        .node
        .with_state(|s| {
            let (id, a) =
                s.all::<Action>(RecordKind::Action).into_iter().find(|(_, a)| a.owner.as_str() == "MAR").unwrap();
            let area: Area = s.get(RecordKind::Area, &a.area).unwrap();
            (id, a.title.show(lajna_domain::Lang::Fr).to_string(), area.title.show(lajna_domain::Lang::Fr).to_string())
        })
        .await;
    let (status, html) = app.get("/fr/resources").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Aucun engagement n’est encore enregistré."), "{html}");
    assert!(section(&html, "id=\"not-honoured\"", "</section>").contains("Aucun engagement échu"));

    // Refused, nothing written: a decimal point in French, a due date before the pledge's date.
    let before = app.snapshot().await;
    let pledge = |amount: &'static str, due: &'static str| {
        [
            ("about", action.as_str()),
            ("date", "01/03/2025"),
            ("due", due),
            ("sort", "in_kind"),
            ("quantity", "20"),
            ("unit", "places de formation"),
            ("amount", amount),
            ("currency", "MAD"),
            ("classification", "UNCLASSIFIED"),
        ]
    };
    let (status, html) = post(&app, c, csrf, "/fr/resources/pledges", &pledge("400000.00", "30/06/2025")).await;
    assert_eq!(status, 422);
    let error = section(&html, "id=\"error-pledge\"", "</p>");
    assert!(error.contains("400000.00") && error.contains("« , »"), "{error}");
    assert!(html.contains("value=\"400000.00\""), "the form keeps what was typed");
    let (status, _) = post(&app, c, csrf, "/fr/resources/pledges", &pledge("400 000,00", "28/02/2025")).await;
    assert_eq!(status, 422);
    assert_eq!(app.snapshot().await, before);

    // The pledge: due 30/06/2025, before the demo's day (01/10/2025), nothing delivered.
    let (status, _) = post(&app, c, csrf, "/fr/resources/pledges", &pledge("400 000,00", "30/06/2025")).await;
    assert_eq!(status, 303);
    let id = app.node.with_state(|s| s.all::<Pledge>(RecordKind::Pledge)[0].0.clone()).await;
    let (_, html) = app.get("/fr/resources").await;
    let by_area = section(&html, "id=\"h-area\"", "</section>");
    assert!(by_area.contains(&format!("{area} MAR 400\u{202F}000,00\u{A0}MAD 0,00\u{A0}MAD 0\u{202F}%")), "{by_area}");
    let (_, dashboard) = app.get("/fr/").await;
    let line = section(&dashboard, "id=\"resources-line\"", "</p>");
    let expected = "400\u{202F}000,00\u{A0}MAD engagés, 0,00\u{A0}MAD livrés (0\u{202F}%) ; 1 engagement non honoré.";
    assert!(line.contains(expected), "{line}");
    let late = section(&html, "id=\"not-honoured\"", "</section>");
    assert!(late.contains(&title) && late.contains("20 places de formation") && late.contains("30/06/2025"), "{late}");

    // A delivery before the pledge's date is refused beside its form; two deliveries count.
    let deliveries = format!("/fr/resources/pledges/{id}/deliveries");
    let before = app.snapshot().await;
    let (status, html) = post(&app, c, csrf, &deliveries, &[("date", "28/02/2025"), ("value", "5")]).await;
    assert_eq!(status, 422);
    assert!(
        section(&html, &format!("id=\"error-{id}\""), "</p>").contains("28/02/2025") || html.contains("2025-02-28")
    );
    assert_eq!(app.snapshot().await, before);
    assert_eq!(post(&app, c, csrf, &deliveries, &[("date", "01/07/2025"), ("value", "5")]).await.0, 303);
    let (_, html) = app.get("/fr/resources").await;
    let by_area = section(&html, "id=\"h-area\"", "</section>");
    assert!(by_area.contains("400\u{202F}000,00\u{A0}MAD 100\u{202F}000,00\u{A0}MAD 25\u{202F}%"), "{by_area}");
    assert!(section(&html, "id=\"not-honoured\"", "</section>").contains("5 places de formation"));
    assert_eq!(post(&app, c, csrf, &deliveries, &[("date", "02/07/2025"), ("value", "15")]).await.0, 303);
    let (_, html) = app.get("/fr/resources").await;
    let by_area = section(&html, "id=\"h-area\"", "</section>");
    assert!(by_area.contains("400\u{202F}000,00\u{A0}MAD 400\u{202F}000,00\u{A0}MAD 100\u{202F}%"), "{by_area}");
    assert!(section(&html, "id=\"not-honoured\"", "</section>").contains("Aucun engagement échu"), "honoured now");
    let line = section(&app.get("/fr/").await.1, "id=\"resources-line\"", "</p>");
    assert!(line.contains("(100\u{202F}%) ; aucun engagement non honoré."), "{line}");

    // A rate of zero is refused; nothing written.
    let before = app.snapshot().await;
    let rate = [("from", "EUR"), ("to", "MAD"), ("date", "01/01/2025"), ("rate", "0")];
    assert_eq!(post(&app, c, csrf, "/fr/resources/rates", &rate).await.0, 422);
    assert_eq!(app.snapshot().await, before);

    // A private cost of MAR: on MAR's page, never on MLI's (page bytes).
    let mut private = pledge("777 777,00", "30/06/2026").to_vec();
    private[3] = ("sort", "money");
    private.push(("private", "on"));
    assert_eq!(post(&app, c, csrf, "/fr/resources/pledges", &private).await.0, 303);
    assert!(app.get("/fr/resources").await.1.contains("777\u{202F}777,00"));
    let (mli, _) = app.login("mli-secretary").await;
    let theirs = mli.get(app.url("/fr/resources")).send().await.unwrap().text().await.unwrap();
    assert!(theirs.contains("places de formation"), "the shared pledge is both parties'");
    // Not a bare "777": a hex id on the page may hold it.
    assert!(!theirs.contains("777\u{202F}777") && !theirs.contains("777 777"), "MAR's private cost on MLI's page");
}

/// Issue 18 must-show: a party-private cost is in no byte the other party's users receive —
/// pages, every GET of the API document (each `{id}` path with every id its list gives),
/// the matrix, the calendar, the search and the periodic report (read by pdftotext) — while its
/// own party sees it (so each search could find it).
#[tokio::test]
async fn a_private_cost_is_in_no_byte_the_other_party_receives() {
    let app = TestApp::spawn().await;
    let action = app.node.with_state(|s| s.all::<Action>(RecordKind::Action)[0].0.clone()).await;
    let marker = "carburant interne XQZ";
    let private = [
        ("about", action.as_str()),
        ("date", "01/03/2025"),
        ("due", "30/06/2026"),
        ("sort", "in_kind"),
        ("quantity", "3"),
        ("unit", marker),
        ("amount", "777 777,00"),
        ("currency", "MAD"),
        ("classification", "UNCLASSIFIED"),
        ("private", "on"),
    ];
    assert_eq!(post(&app, &app.client, &app.csrf, "/fr/resources/pledges", &private).await.0, 303);
    let id = app.node.with_state(|s| s.all::<Pledge>(RecordKind::Pledge)[0].0.clone()).await;
    let mine = app.get("/fr/resources").await.1;
    assert!(mine.contains(marker) && mine.contains("777\u{202F}777,00"), "MAR sees its own cost");
    let own = app.client.get(app.url("/api/v1/pledges")).send().await.unwrap().text().await.unwrap();
    assert!(own.contains(&id) && own.contains(marker), "MAR's API lists its own pledge: {own}");

    let (mli, _) = app.login("mli-secretary").await;
    let bytes = |path: String| {
        let mli = mli.clone();
        let url = app.url(&path);
        async move {
            let res = mli.get(url).send().await.unwrap();
            (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
        }
    };
    let mut paths: Vec<String> = ["/fr/resources", "/ar/resources", "/fr/roadmap/matrix.csv", "/fr/calendar.ics"]
        .iter()
        .map(|p| p.to_string())
        .chain(["/fr/search?q=carburant".to_string(), "/api/v1/openapi.json".into()])
        .collect();
    let doc: serde_json::Value = serde_json::from_slice(&bytes("/api/v1/openapi.json".into()).await.1).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if item.get("get").is_none() || path.contains("{lang}") {
            continue;
        }
        if let Some(list) = path.strip_suffix("/{id}") {
            let rows: Vec<serde_json::Value> = serde_json::from_slice(&bytes(list.into()).await.1).unwrap_or_default();
            paths.extend(rows.iter().filter_map(|r| r["id"].as_str()).map(|i| format!("{list}/{i}")));
        } else if !path.contains('{') {
            paths.push(path.clone());
        }
    }
    assert!(paths.len() > 30, "{paths:?}");
    for path in &paths {
        let (status, body) = bytes(path.clone()).await;
        let text = String::from_utf8_lossy(&body);
        assert!(status < 500, "{path}: {status}");
        // The amount as a page, a JSON body or a CSV writes it; not bare digits, which a hex id may
        // hold by chance.
        for needle in [marker, "XQZ", "777777,00", "777\u{202F}777", "77777700", &id] {
            assert!(!text.contains(needle), "{path} carries MAR's private cost ({needle})");
        }
    }
    // The periodic report as MLI downloads it, read by poppler.
    let (status, pdf) = bytes("/fr/report.pdf?from=2025-01-01&to=2026-12-31".into()).await;
    assert_eq!(status, 200);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.pdf"), &pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(dir.path().join("r.pdf")).arg("-").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Rapport") || text.len() > 200, "the report was read");
    let amount = ["777\u{202F}777", "777 777", "777\u{A0}777", "777777,00"];
    assert!(!text.contains("XQZ") && !amount.iter().any(|a| text.contains(a)), "the report carries MAR's private cost");
}

/// Issue 18 item 2: the totals' currency is the node's setting `reporting_currency` — the
/// resources page's default, the dashboard's line — converted at the rate entered, with the rate
/// and its date shown; `?currency=` still picks another.
#[tokio::test]
async fn the_reporting_currency_of_the_settings_is_the_totals_currency() {
    let (_dir, served, password) =
        crate::common::demo_with(|c| c.reporting_currency = lajna_domain::money::Currency::XOF).await;
    let (client, csrf) = crate::common::login_at(&served.url, "mar-secretary", &password).await;
    let action = served
        .node
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action).into_iter().find(|(_, a)| a.owner.as_str() == "MAR").unwrap().0
        })
        .await;
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let (client, url) = (client.clone(), format!("{}{path}", served.url));
        let mut body = vec![("csrf", csrf.clone())];
        body.extend(form);
        async move { client.post(url).form(&body).send().await.unwrap().status().as_u16() }
    };
    let get = |path: &'static str| {
        let (client, url) = (client.clone(), format!("{}{path}", served.url));
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let rate = vec![("from", "MAD".into()), ("to", "XOF".into()), ("date", "01/01/2025".into()), ("rate", "65".into())];
    assert_eq!(post("/fr/resources/rates", rate).await, 303);
    let pledge = vec![
        ("about", action),
        ("date", "01/03/2025".into()),
        ("due", "30/06/2026".into()),
        ("sort", "money".into()),
        ("amount", "400 000,00".into()),
        ("currency", "MAD".into()),
        ("classification", "UNCLASSIFIED".into()),
    ];
    // A blank amount is refused naming its field, nothing written.
    let mut blank = pledge.clone();
    blank[4].1 = " ".into();
    let res = client
        .post(format!("{}/fr/resources/pledges", served.url))
        .form(&[("csrf", csrf.clone())].into_iter().chain(blank).collect::<Vec<_>>())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert_eq!(
        section(&html, "id=\"error-pledge\"", "</p>"),
        "Montant, ou valeur de l’engagement en nature : Ce champ est obligatoire."
    );
    assert_eq!(post("/fr/resources/pledges", pledge).await, 303);

    let html = get("/fr/resources").await;
    assert_eq!(section(&html, "id=\"h-totals\"", "</h2>"), "Totaux en XOF", "the page's default");
    // The pledge form names each record's kind in French, never a message key.
    let choices = section(&html, "name=\"about\"", "</select>");
    assert!(choices.contains("Action — ") && choices.contains("Offre — ") && !choices.contains("kind-"), "{choices}");
    // A CONFIDENTIAL secretary is offered the classifications up to CONFIDENTIAL only.
    let levels = section(&html, "name=\"classification\"", "</select>");
    assert_eq!(levels, "UNCLASSIFIED RESTRICTED CONFIDENTIAL");
    let by_party = section(&html, "id=\"h-party\"", "</section>");
    assert!(by_party.contains("26\u{202F}000\u{202F}000\u{A0}XOF 0\u{A0}XOF"), "{by_party}");
    assert!(html.contains("65") && html.contains("01/01/2025"), "the rate and its date are shown");
    let line = section(&get("/fr/").await, "id=\"resources-line\"", "</p>");
    assert!(line.contains("26\u{202F}000\u{202F}000\u{A0}XOF engagés, 0\u{A0}XOF livrés (0\u{202F}%)"), "{line}");
    // Another currency on asking: MAD, as entered.
    let html = get("/fr/resources?currency=MAD").await;
    assert_eq!(section(&html, "id=\"h-totals\"", "</h2>"), "Totaux en MAD");
}
