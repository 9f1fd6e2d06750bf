//! The OpenAPI 3.1 document of `/api/v1`, written out by hand from the handlers in
//! `lajna-web`'s `api.rs` (a web test walks it and calls every path, so it cannot drift from
//! what the server does). Data, not HTTP: it lives beside the API's read models.

use serde_json::{Value, json};

use crate::api::{COLLECTIONS, PAGE_DEFAULT, PAGE_MAX};

fn problem(description: &str) -> Value {
    json!({"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

fn ok_json(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// The query parameters, answers and headers of a paginated list (`lajna-web`'s `PageQuery`).
fn paged_list(summary: &str, item: &str) -> Value {
    let (default, max) = (PAGE_DEFAULT, PAGE_MAX);
    let mut ok = ok_json(
        "A page, in id order; the next one is named by the Link header (absent on the last page)",
        json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}),
    );
    ok["headers"] = json!({
        "ETag": {"description": "Weak tag of (store generation, reader class, date): send it back in If-None-Match", "schema": {"type": "string"}},
        "Link": {"description": "RFC 8288 link to the next page: <…?after=CURSOR&limit=N>; rel=\"next\"", "schema": {"type": "string"}}});
    json!({"get": {"summary": summary,
        "parameters": [
            {"name": "after", "in": "query", "schema": {"type": "string"}, "description": "Cursor: the id of the last item of the previous page (from the Link header)"},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": max, "default": default},
                "description": format!("Page size: default {default}, at most {max} (larger values are clamped)")},
            {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}, "description": "An ETag of an earlier answer"}],
        "responses": {
            "200": ok,
            "304": {"description": "Not modified since the answer tagged with If-None-Match"},
            "400": problem("A limit that is not a non-negative integer"),
            "401": problem("Not signed in")}}})
}

/// The document.
#[must_use]
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/login".into(),
        json!({"post": {
            "summary": "Sign in; sets the session cookie and returns the CSRF token for writes",
            "security": [],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"}, "password": {"type": "string"},
                    "code": {"type": "string", "description": "TOTP or recovery code, when two-factor sign-in is on"}}}}}},
            "responses": {
                "200": ok_json("Signed in", json!({"type": "object", "required": ["csrf_token"], "properties": {
                    "csrf_token": {"type": "string"}, "username": {"type": "string"},
                    "party": {"type": "string"}, "role": {"type": "string"}}})),
                "400": problem("Not a JSON body with username and password"),
                "413": problem("A body larger than the limit (256 KiB)"),
                "401": problem("Wrong username or password; two-factor code missing (code-required) or wrong (wrong-code)"),
                "403": problem("The role requires two-factor sign-in, not set up yet: sign in once on the web page"),
                "429": problem("Too many failures for this user or address; see Retry-After")
            }
        }}),
    );
    paths.insert("/api/v1/actions".into(), paged_list("The actions the user may see, a page at a time", "Action"));
    paths.insert(
        "/api/v1/actions/{id}".into(),
        json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"summary": "One action", "responses": {
                "200": ok_json("The action", json!({"$ref": "#/components/schemas/Action"})),
                "401": problem("Not signed in"), "404": problem("No such action")}},
            "patch": {
                "summary": "Report progress and/or status (owner party's secretaries, co-chairs and action owners)",
                "parameters": [{"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": false, "properties": {
                        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "reason": {"$ref": "#/components/schemas/LocalizedText", "description": "required when the status becomes delayed, blocked or cancelled"},
                        "completed": {"type": "string", "format": "date", "description": "the date a done action was completed (only with status done)"}}}}}},
                "responses": {
                    "200": ok_json("The updated action", json!({"$ref": "#/components/schemas/Action"})),
                    "400": problem("Not a JSON object"),
                    "413": problem("A body larger than the limit (256 KiB)"),
                    "401": problem("Not signed in"),
                    "403": problem("Missing CSRF token (type urn:lajna:problem:csrf) or not allowed (urn:lajna:problem:forbidden)"),
                    "404": problem("No such action"),
                    "422": problem("Invalid value; `errors` lists the fields")
                }
            }
        }),
    );
    paths.insert(
        "/api/v1/events".into(),
        json!({"get": {"summary": "The signed events in local order",
            "parameters": [
                {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
            "responses": {"200": ok_json("Events", json!({"type": "array", "items": {"$ref": "#/components/schemas/Event"}})),
                "400": problem("A query parameter that is not an integer"),
                "401": problem("Not signed in")}}}),
    );
    paths.insert(
        "/api/v1/state".into(),
        json!({"get": {"summary": "The whole state (same as `lajna export --format json`)", "responses": {
            "200": ok_json("State", json!({"type": "object", "required": ["state_hash", "records"]})),
            "401": problem("Not signed in")}}}),
    );
    paths.insert(
        "/api/v1/documents".into(),
        json!({"get": {"summary": "The documents the user may see (clearance and party, DESIGN.md §6), newest first",
            "responses": {
                "200": ok_json("Documents", json!({"type": "array", "items": {"$ref": "#/components/schemas/Document"}})),
                "401": problem("Not signed in")}}}),
    );
    paths.insert(
        "/api/v1/documents/{id}".into(),
        json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"summary": "One document; a view of a RESTRICTED or higher document is written to the audit trail",
                "responses": {
                    "200": ok_json("The document", json!({"$ref": "#/components/schemas/Document"})),
                    "401": problem("Not signed in"),
                    "404": problem("No such document, or one the user may not see")}}}),
    );
    paths.insert(
        "/api/v1/search".into(),
        json!({"get": {"summary": "Full-text search in Arabic, French and English, ranked; only records the user may see (clearance and party, DESIGN.md §6) are counted, ranked and shown",
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200}, "description": "The words to find, in any form (hamza, diacritics, article, accents, plurals)"},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}, "description": "Page of 20 hits"},
                {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["ar", "fr", "en"], "default": "fr"}, "description": "Language of titles and snippets"}],
            "responses": {
                "200": ok_json("A page of hits", json!({"type": "object", "required": ["query", "total", "page", "per_page", "hits"],
                    "properties": {"query": {"type": "string"}, "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
                        "hits": {"type": "array", "items": {"type": "object", "required": ["id", "kind", "score", "title", "title_lang", "snippet_html", "snippet_lang"],
                            "properties": {"id": {"type": "string"}, "kind": {"type": "string"}, "score": {"type": "number"},
                                "title": {"type": "string"}, "title_lang": {"type": "string"},
                                "snippet_html": {"type": "string", "description": "HTML-escaped fragment, matches in <mark>"},
                                "snippet_lang": {"type": "string"}, "date": {"type": ["string", "null"]}}}}}})),
                "401": problem("Not signed in"),
                "503": problem("The search index cannot be read")}}}),
    );
    paths.insert(
        "/api/v1/openapi.json".into(),
        json!({"get": {"summary": "This document", "security": [], "responses": {"200": ok_json("OpenAPI document", json!({"type": "object"}))}}}),
    );
    for (name, kind) in COLLECTIONS {
        paths.insert(
            format!("/api/v1/{name}"),
            paged_list(&format!("The {} records the user may see, a page at a time", kind.code()), "Record"),
        );
        paths.insert(
            format!("/api/v1/{name}/{{id}}"),
            json!({
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {"summary": format!("One {} record", kind.code()), "responses": {
                    "200": ok_json("The record", json!({"$ref": "#/components/schemas/Record"})),
                    "401": problem("Not signed in"), "404": problem("No such record")}}}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Lajna API", "version": "1",
            "description": "The system of record of a joint defence-cooperation committee. Errors are RFC 9457 problem documents."},
        "servers": [{"url": "/"}],
        "security": [{"session": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "lajna_session"}},
            "schemas": {
                "Status": {"type": "string", "enum": ["planned", "in_progress", "done", "delayed", "blocked", "cancelled"]},
                "LocalizedText": {"type": "object", "properties": {
                    "ar": {"type": "string"}, "fr": {"type": "string"}, "en": {"type": "string"}}},
                "Action": {"type": "object",
                    "required": ["id", "title", "owner_party", "status", "progress", "due", "start", "area", "roadmap", "overdue", "days_late"],
                    "properties": {
                        "id": {"type": "string"}, "title": {"$ref": "#/components/schemas/LocalizedText"},
                        "owner_party": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        "unit": {"$ref": "#/components/schemas/LocalizedText"},
                        "area": {"type": "string"}, "roadmap": {"type": "string"},
                        "start": {"type": "string", "format": "date"}, "due": {"type": "string", "format": "date"},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
                        "overdue": {"type": "boolean"}, "days_late": {"type": "integer"},
                        "indicator": {"type": "object"}, "illustrative": {"type": "boolean"},
                        "decision": {"type": "string", "description": "id of the decision the action carries out"},
                        "decision_reference": {"type": "string", "description": "its reference, e.g. D-2025/1-3"},
                        "reason": {"$ref": "#/components/schemas/LocalizedText", "description": "why it is delayed, blocked or cancelled"},
                        "completed": {"type": "string", "format": "date", "description": "the date a done action was completed, as reported"}}},
                "Record": {"type": "object", "required": ["id", "_meta"], "properties": {
                    "id": {"type": "string"}, "_meta": {"type": "object"}, "adoption": {"type": "object"}}},
                "Event": {"type": "object", "required": ["seq", "id", "lamport", "party", "kind", "envelope", "sigs"]},
                "Marking": {"type": "object", "required": ["classification", "releasable_to"], "properties": {
                    "classification": {"type": "string", "enum": ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"]},
                    "releasable_to": {"description": "\"both\" or {\"only\": PARTY}"}}},
                "Document": {"type": "object",
                    "required": ["id", "title", "language", "marking", "marking_label", "blake3", "media_type", "size", "file_name", "file"],
                    "properties": {
                        "id": {"type": "string"}, "title": {"$ref": "#/components/schemas/LocalizedText"},
                        "language": {"type": "string", "enum": ["ar", "fr", "en"]},
                        "date": {"type": "string", "format": "date"},
                        "marking": {"$ref": "#/components/schemas/Marking"},
                        "marking_label": {"type": "string"},
                        "blake3": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "media_type": {"type": "string"}, "size": {"type": "integer", "minimum": 1},
                        "file_name": {"type": "string"}, "file": {"type": "string"},
                        "links": {"type": "array", "items": {"type": "string"}},
                        "registered_at": {"type": "string"}, "registered_by": {"type": "string"},
                        "illustrative": {"type": "boolean"}}},
                "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"}, "code": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object", "properties": {
                        "field": {"type": "string"}, "message": {"type": "string"}}}}}}
            }
        }
    })
}
