//! The served OpenAPI document matches what the server does: every documented GET path answers
//! 200 signed in and 401 signed out with the documented statuses, and every collection and
//! record kind is documented.

use crate::common;

use common::TestApp;
use serde_json::Value;

#[tokio::test]
async fn every_documented_path_answers_as_documented() {
    let app = TestApp::spawn().await;
    let doc: Value =
        common::new_client().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (name, _) in lajna_web::api::COLLECTIONS {
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
