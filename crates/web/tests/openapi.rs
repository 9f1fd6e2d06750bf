//! The served OpenAPI document matches what the server does: every documented GET path answers
//! 200 signed in and 401 signed out with the documented statuses, and every collection and
//! record kind is documented; and every API route and method the router registers is in the
//! document, and nothing the router does not serve.

use crate::common;

use common::TestApp;
use serde_json::Value;

#[tokio::test]
async fn every_documented_path_answers_as_documented() {
    let app = TestApp::spawn().await;
    // The demo records no pledge or rate (issue 18): one of each, so that their paths answer.
    {
        use lajna_domain::money::{Currency, Money};
        use lajna_domain::resources::{ExchangeRate, Pledge, Pledged};
        use lajna_domain::{Actor, Command, PartyCode, RecordKind};
        let mar = PartyCode::parse("MAR").unwrap();
        let actor = Actor { party: mar.clone(), member: None };
        let about =
            app.node.with_state(|s| s.all::<lajna_domain::records::Action>(RecordKind::Action)[0].0.clone()).await;
        let day = jiff::civil::date(2025, 3, 1);
        let value = Pledged::Money(Money::new(2_000_000, Currency::MAD).unwrap());
        let pledge =
            Pledge { party: mar, about, date: day, due: day, value, marking: Default::default(), illustrative: false };
        let (from, to) = (Currency::EUR, Currency::MAD);
        let rate = ExchangeRate { from, to, date: day, numerator: 108_523, denominator: 10_000, illustrative: false };
        for command in [Command::MakePledge(pledge), Command::EnterRate(rate)] {
            app.node.execute(&actor, &command).await.unwrap();
        }
    }
    let doc: Value =
        common::new_client().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (name, _) in lajna_views::api::COLLECTIONS {
        assert!(paths.contains_key(&format!("/api/v1/{name}")), "{name} not documented");
    }
    let mut checked = 0;
    for (path, item) in paths {
        let Some(get) = item.get("get") else { continue };
        let concrete = if path.contains("{id}") {
            // Take a real id from the list endpoint of the same collection.
            let list_path = path.trim_end_matches("/{id}");
            let list: Vec<Value> = app.client.get(app.url(list_path)).send().await.unwrap().json().await.unwrap();
            let id = list.first().and_then(|r| r["id"].as_str()).unwrap_or_else(|| panic!("{list_path} is empty"));
            path.replace("{id}", id)
        } else {
            path.clone()
        };
        let res = app.client.get(app.url(&concrete)).send().await.unwrap();
        assert_eq!(res.status(), 200, "GET {concrete}");
        assert!(get["responses"]["200"].is_object(), "{path}: 200 not documented");
        let body: Value = res.json().await.unwrap();
        if let Some(required) =
            get["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"].as_str()
        {
            let schema = required.trim_start_matches("#/components/schemas/");
            let req = doc["components"]["schemas"][schema]["required"].as_array().cloned().unwrap_or_default();
            for item in body.as_array().unwrap() {
                for field in &req {
                    assert!(item.get(field.as_str().unwrap()).is_some(), "{concrete}: {field} missing");
                }
            }
        }
        if get.get("security").is_none() {
            let anon = common::new_client().get(app.url(&concrete)).send().await.unwrap();
            assert_eq!(anon.status(), 401, "GET {concrete} signed out");
            assert!(get["responses"]["401"].is_object(), "{path}: 401 not documented");
        }
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} paths checked");
}

#[tokio::test]
async fn decisions_carry_their_adoption_state() {
    let app = TestApp::spawn().await;
    let list: Vec<Value> = app.client.get(app.url("/api/v1/decisions")).send().await.unwrap().json().await.unwrap();
    let adopted: Vec<bool> = list.iter().map(|d| d["adoption"]["adopted"].as_bool().unwrap()).collect();
    assert_eq!(adopted.iter().filter(|a| **a).count(), 1);
    let pending = list.iter().find(|d| d["adoption"]["adopted"] == false).unwrap();
    assert_eq!(pending["adoption"]["awaiting"], serde_json::json!(["MLI"]));
}

/// Every `.route("/api/…", …)` registered in the web crate's source, with its methods. The
/// router cannot list its routes, so the test reads the code that builds it: a route added
/// anywhere in `src/` is seen here whatever file it is in.
fn registered_api_routes() -> Vec<(String, Vec<String>)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = vec![];
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut routes = vec![];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(".route(\"/api/") {
            let call = &rest[at + ".route(\"".len()..];
            let path_end = call.find('"').unwrap();
            let path = call[..path_end].to_string();
            // The method router: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let end = call[path_end..]
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map(|(i, _)| path_end + i)
                .unwrap();
            let expr = &call[path_end..end];
            let methods: Vec<String> = ["get", "post", "put", "patch", "delete"]
                .iter()
                .filter(|m| {
                    expr.match_indices(&format!("{m}("))
                        .any(|(i, _)| i == 0 || !expr[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
                })
                .map(|m| (*m).to_string())
                .collect();
            assert!(!methods.is_empty(), "{}: no method found for {path}", file.display());
            routes.push((path, methods));
            rest = &call[end..];
        }
    }
    routes
}

/// Whether a documented path is served by a route pattern (`{name}` matches one segment).
fn matches(pattern: &str, documented: &str) -> bool {
    let (p, d): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), documented.split('/').collect());
    p.len() == d.len() && p.iter().zip(&d).all(|(p, d)| p == d || (p.starts_with('{') && p.ends_with('}')))
}

#[test]
fn every_api_route_and_method_of_the_router_is_documented_and_nothing_else() {
    let doc = lajna_views::openapi::document();
    let paths = doc["paths"].as_object().unwrap();
    let routes = registered_api_routes();
    assert!(routes.len() >= 10, "only {} API routes found in the source", routes.len());
    for (pattern, methods) in &routes {
        for method in methods {
            let documented = paths.iter().any(|(p, item)| matches(pattern, p) && item.get(method).is_some());
            assert!(documented, "{} {pattern} is served but not in the OpenAPI document", method.to_uppercase());
        }
    }
    for (path, item) in paths {
        let http = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
        for method in item.as_object().unwrap().keys().filter(|k| http.contains(&k.as_str())) {
            let served = routes.iter().any(|(p, m)| matches(p, path) && m.contains(method));
            assert!(served, "{} {path} is documented but no route serves it", method.to_uppercase());
        }
    }
}
