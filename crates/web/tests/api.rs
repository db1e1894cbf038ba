//! The JSON API, route by route: shapes of answers and of errors.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn health_reports_version_and_database() {
    let app = app().await;
    let a = get(&app, "/healthz").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "database": "sqlite"}));
}

#[tokio::test]
async fn an_entity_is_ftm_json_with_caption_and_provenance() {
    let app = app().await;
    let a = get(&app, &format!("/api/v1/entities/{MARKO}")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.header("content-type").unwrap_or_default().starts_with("application/json"));
    let e = a.json();
    assert_eq!(e["id"], MARKO);
    assert_eq!(e["schema"], "Person");
    assert_eq!(e["caption"], "Marko Petrović");
    assert_eq!(e["properties"]["nationality"], json!(["rs"]));
    assert_eq!(e["datasets"], json!(["manual"]));
    assert!(e["first_seen"].is_string() && e["last_seen"].is_string());
    assert_eq!(e["veza"]["owner"], json!({"agency": "local", "country": "zz"}));
    assert_eq!(e["veza"]["source"]["dataset"], "manual");
    assert_eq!(e["veza"]["handling"]["visibility"], "agency");
    assert!(e["veza"]["retention_review"].as_str().is_some_and(|d| d.len() == 10));
}

#[tokio::test]
async fn unknown_entities_are_404() {
    let app = app().await;
    let a = get(&app, "/api/v1/entities/test.nobody").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.error(), ("not_found".into(), None));
}

#[tokio::test]
async fn restricted_entities_name_whom_to_ask() {
    let app = app_as_outsider().await;
    let a = get(&app, &format!("/api/v1/entities/{SECRET_KNOWN}")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.error().0, "restricted");
    let message = a.json()["error"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains("This installation") && message.contains("local"), "{message}");
    assert!(!message.contains("Known Secret"), "the message leaks data: {message}");
    for path in ["links", "statements"] {
        let a = get(&app, &format!("/api/v1/entities/{SECRET_KNOWN}/{path}")).await;
        assert_eq!((a.status, a.error().0.as_str()), (StatusCode::FORBIDDEN, "restricted"), "{path}");
    }
}

#[tokio::test]
async fn hidden_entities_look_absent() {
    let app = app_as_outsider().await;
    let hidden = get(&app, &format!("/api/v1/entities/{SECRET_HIDDEN}")).await;
    let absent = get(&app, "/api/v1/entities/test.nobody").await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.error(), absent.error());
}

#[tokio::test]
async fn links_show_both_link_schemata_and_references() {
    let app = app().await;
    let a = get(&app, &format!("/api/v1/entities/{MARKO}/links")).await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    assert_eq!(v["entity"], MARKO);
    let links = v["links"].as_array().expect("links is a list");
    let family = links.iter().find(|l| l["via_schema"] == "Family").expect("family link");
    assert_eq!(family["other_id"], ANA);
    assert_eq!(family["other_caption"], "Ana Kovač");
    assert_eq!(family["direction"], "out");
    assert_eq!(family["prop"], Value::Null);
    let passport = links.iter().find(|l| l["via_schema"] == "Passport").expect("passport reference");
    assert_eq!(passport["prop"], "holder");
    assert_eq!(passport["direction"], "in");
    assert_eq!(passport["other_id"], PASSPORT);
    let a = get(&app, "/api/v1/entities/test.nobody/links").await;
    assert_eq!((a.status, a.error().0.as_str()), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn statements_give_value_level_provenance() {
    let app = app().await;
    let a = get(&app, &format!("/api/v1/entities/{MARKO}/statements")).await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    assert_eq!(v["entity"], MARKO);
    let name = v["statements"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["prop"] == "name"))
        .cloned()
        .expect("a name statement");
    assert_eq!(name["value"], "Marko Petrović");
    assert_eq!(name["dataset"], "manual");
    assert_eq!(name["owner_agency"], "local");
    assert_eq!(name["entity_id"], MARKO);
    let a = get(&app, "/api/v1/entities/test.nobody/statements").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    a.error();
}

#[tokio::test]
async fn search_folds_accents_and_pages() {
    let app = app().await;
    let a = get(&app, "/api/v1/search?q=petrovic").await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    assert_eq!((v["limit"].as_u64(), v["offset"].as_u64()), (Some(20), Some(0)));
    assert_eq!(v["total"], 1);
    assert_eq!(v["total_is_exact"], true);
    assert_eq!(v["results"][0]["id"], MARKO);
    assert_eq!(v["results"][0]["caption"], "Marko Petrović");
    assert!(v["results"][0]["veza"]["owner"].is_object());

    let all = get(&app, "/api/v1/search").await.json();
    assert_eq!(all["total"], 7);
    let page = get(&app, "/api/v1/search?limit=2&offset=2").await.json();
    assert_eq!(page["results"].as_array().map(Vec::len), Some(2));
    assert_eq!((page["limit"].as_u64(), page["offset"].as_u64()), (Some(2), Some(2)));
    let passports = get(&app, "/api/v1/search?schema=Passport").await.json();
    assert_eq!(passports["total"], 1);
    assert_eq!(passports["results"][0]["id"], PASSPORT);
    let legal = get(&app, "/api/v1/search?schema=LegalEntity&q=ana").await.json();
    assert_eq!(legal["results"][0]["id"], ANA, "a schema filter keeps descendants");
}

#[tokio::test]
async fn search_parameters_are_checked_by_name() {
    let app = app().await;
    for (query, field) in [
        ("limit=501", "limit"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("schema=Nonsense", "schema"),
    ] {
        let a = get(&app, &format!("/api/v1/search?{query}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(a.error(), ("invalid".into(), Some(field.into())), "{query}");
    }
    let ok = get(&app, "/api/v1/search?limit=500").await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn search_keeps_to_what_the_caller_may_see() {
    let app = app_as_outsider().await;
    let v = get(&app, "/api/v1/search?q=secret").await.json();
    assert_eq!(v["total"], 0, "{v}");
    let v = get(&app, "/api/v1/search?q=ana").await.json();
    assert_eq!(v["results"][0]["id"], ANA, "records shared with all are found");
}

#[tokio::test]
async fn creating_an_entity_answers_201_with_its_location() {
    let app = app().await;
    let body = json!({
        "schema": "Person",
        "properties": {"name": ["Jelena Marković"], "nationality": ["SRB"], "birthDate": ["1990-05"]},
        "handling": {"visibility": "countries", "countries": ["ba", "me"], "existence_visible": true,
                     "caveats": ["  not for judicial use  "]}
    });
    let a = post_json(&app, "/api/v1/entities", &body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let e = a.json();
    let id = e["id"].as_str().expect("an id was made").to_owned();
    assert!(id.starts_with("manual."), "{id}");
    assert_eq!(a.header("location"), Some(format!("/api/v1/entities/{id}").as_str()));
    assert_eq!(e["caption"], "Jelena Marković");
    assert_eq!(e["properties"]["nationality"], json!(["rs"]), "values are normalised");
    assert_eq!(e["veza"]["handling"]["countries"], json!(["ba", "me"]));
    assert_eq!(e["veza"]["handling"]["caveats"], json!(["not for judicial use"]));
    let back = get(&app, &format!("/api/v1/entities/{id}")).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.json()["properties"], e["properties"]);
}

#[tokio::test]
async fn creating_an_existing_id_is_a_conflict() {
    let app = app().await;
    let a = post_json(
        &app,
        "/api/v1/entities",
        &json!({"id": MARKO, "schema": "Person",
        "properties": {"name": ["Someone Else"]}}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.error().0, "conflict");
}

#[tokio::test]
async fn bad_entities_are_400_naming_the_field() {
    let app = app().await;
    for (body, field) in [
        (json!({"properties": {"name": ["A"]}}), "schema"),
        (json!({"schema": "Nonsense", "properties": {"name": ["A"]}}), "schema"),
        (
            json!({"schema": "Person", "properties": {"name": ["A"], "birthDate": ["1987-02-30"]}}),
            "properties.birthDate",
        ),
        (json!({"schema": "Person", "properties": {"name": ["A"], "shoeSize": ["44"]}}), "properties.shoeSize"),
        (json!({"schema": "Person", "properties": {}}), "properties.name"),
        (json!({"schema": "Person", "properties": {"name": "A"}}), "properties.name"),
        (json!({"schema": "Person", "colour": "red"}), "colour"),
        (
            json!({"schema": "Person", "properties": {"name": ["A"]}, "handling": {"visibility": "nobody"}}),
            "handling.visibility",
        ),
        (
            json!({"schema": "Person", "properties": {"name": ["A"]}, "handling": {"visibility": "countries"}}),
            "handling",
        ),
        (json!({"id": "bad id!", "schema": "Person", "properties": {"name": ["A"]}}), "id"),
    ] {
        let a = post_json(&app, "/api/v1/entities", &body).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}: {}", a.text());
        assert_eq!(a.error(), ("invalid".into(), Some(field.into())), "{body}");
    }
}

#[tokio::test]
async fn bodies_that_are_not_json_are_refused() {
    let app = app().await;
    let body = r#"{"schema":"Person","properties":{"name":["A"]}}"#;
    let a = post_raw(&app, "/api/v1/entities", None, body).await;
    assert_eq!((a.status, a.error().0.as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"));
    let a = post_raw(&app, "/api/v1/entities", Some("text/plain"), body).await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let a = post_raw(&app, "/api/v1/entities", Some("application/json"), "{\"schema\": ").await;
    assert_eq!((a.status, a.error().0.as_str()), (StatusCode::BAD_REQUEST, "invalid"));
    let a = post_raw(&app, "/api/v1/entities", Some("application/json"), "[1, 2]").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "never 422");
    let a = post_raw(&app, "/api/v1/entities", Some("application/json; charset=utf-8"), body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
}

#[tokio::test]
async fn bodies_over_2_mib_are_413() {
    let app = app().await;
    let big = format!(r#"{{"schema":"Person","properties":{{"notes":["{}"]}}}}"#, "x".repeat(2 * 1024 * 1024 + 1));
    let a = post_raw(&app, "/api/v1/entities", Some("application/json"), big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.error().0, "payload_too_large");
}

#[tokio::test]
async fn stats_count_by_schema_source_and_owner() {
    let app = app().await;
    let a = get(&app, "/api/v1/stats").await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    assert_eq!(v["entities"], 7);
    assert!(v["by_schema"].as_array().is_some_and(|l| l.contains(&json!(["Person", 4]))), "{v}");
    assert_eq!(v["by_source"], json!([["manual", 7]]));
    assert_eq!(v["by_owner"], json!([["local", 7]]));
}

#[tokio::test]
async fn schemata_list_the_model() {
    let app = app().await;
    let a = get(&app, "/api/v1/schemata").await;
    assert_eq!(a.status, StatusCode::OK);
    let v = a.json();
    let list = v.as_array().expect("a list");
    assert!(list.len() >= 70);
    let person = list.iter().find(|s| s["name"] == "Person").expect("Person");
    assert_eq!((person["label"].as_str(), person["plural"].as_str()), (Some("Person"), Some("People")));
    assert_eq!(person["abstract"], false);
    assert_eq!(person["edge"], Value::Null);
    let name = person["properties"].as_array().and_then(|p| p.iter().find(|p| p["name"] == "name")).expect("name");
    assert_eq!(name["type"], "name");
    assert_eq!(name["stub"], false);
    let family = list.iter().find(|s| s["name"] == "Family").expect("Family");
    assert_eq!(family["edge"]["source"], "person");
    let thing = list.iter().find(|s| s["name"] == "Thing").expect("Thing");
    assert_eq!(thing["abstract"], true);
}

#[tokio::test]
async fn unknown_api_routes_are_json_404() {
    let app = app().await;
    for uri in ["/api/v1/nope", "/api/v1", "/api/v1/entities/", "/api/v2/search", "/api"] {
        let a = get(&app, uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(a.error().0, "not_found", "{uri}");
    }
}

#[tokio::test]
async fn wrong_methods_are_json_405_with_allow() {
    let app = app().await;
    let req = axum::http::Request::delete(format!("/api/v1/entities/{MARKO}"))
        .body(axum::body::Body::empty())
        .expect("request builds");
    let a = send(&app, req).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.error().0, "method_not_allowed");
    assert!(a.header("allow").is_some_and(|m| m.contains("GET")), "{:?}", a.headers);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app().await;
    for uri in [
        "/healthz",
        "/api/v1/search",
        "/api/v1/nope",
        "/",
        &format!("/entities/{MARKO}"),
        "/no/such/page",
        "/assets/veza.css",
        "/assets/htmx-2.0.4.min.js",
    ] {
        let a = get(&app, uri).await;
        assert_eq!(
            a.header("content-security-policy"),
            Some(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
            ),
            "{uri}"
        );
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"), "{uri}");
        assert_eq!(a.header("referrer-policy"), Some("no-referrer"), "{uri}");
        assert_eq!(a.header("x-frame-options"), Some("DENY"), "{uri}");
        assert!(a.header("cache-control").is_some(), "{uri}");
    }
    let post = post_raw(&app, "/api/v1/entities", None, "x").await;
    assert_eq!(post.header("x-frame-options"), Some("DENY"));
}

#[tokio::test]
async fn personal_data_is_not_cached() {
    let app = app().await;
    for uri in ["/api/v1/search", &format!("/api/v1/entities/{MARKO}"), "/", &format!("/entities/{MARKO}")] {
        assert_eq!(get(&app, uri).await.header("cache-control"), Some("no-store"), "{uri}");
    }
    let css = get(&app, "/assets/veza.css").await;
    assert!(css.header("cache-control").is_some_and(|c| c.contains("max-age")));
}

#[tokio::test]
async fn reads_need_a_purpose_which_the_audit_log_keeps() {
    let veza = seeded().await;
    let user = veza_app::Caller::user(BORDER_A, "rs-bp", "rs", &[]);
    let web = veza_web::router(veza.clone(), veza_web::WebOptions::default()).layer(axum::Extension(user));
    let uri = format!("/api/v1/entities/{ANA}");
    let a = get(&web, &uri).await;
    assert_eq!(a.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(a.error().0, "purpose_required");
    assert_eq!(
        a.json()["error"]["message"],
        "state why you need this data in an X-Purpose header (a case reference or a short reason)"
    );
    let bad = get_with(&web, &uri, &[("x-purpose", "\t")]).await;
    assert_eq!((bad.status, bad.error()), (StatusCode::BAD_REQUEST, ("invalid".into(), Some("X-Purpose".into()))));
    let a = get_with(&web, &uri, &[("x-purpose", "case BA-2026-77")]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // What `veza audit search --entity` shows: the refusal, then the read with its purpose.
    let filter = veza_app::AuditFilter { entity: Some(ANA.into()), ..veza_app::AuditFilter::default() };
    let log = veza.search_audit(&filter).await.expect("audit search");
    let mine: Vec<_> = log.iter().filter(|e| e.actor == BORDER_A).collect();
    assert_eq!(mine.len(), 2, "{log:#?}");
    assert_eq!((mine[0].outcome, mine[0].purpose.as_str()), (veza_app::AuditOutcome::Ok, "case BA-2026-77"));
    assert_eq!(mine[1].outcome, veza_app::AuditOutcome::Denied);
}

#[tokio::test]
async fn the_network_of_an_entity_has_figures_and_exports() {
    let app = app().await;
    let a = get(&app, &format!("/api/v1/entities/{MARKO}/network?hops=2")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    let ids: Vec<&str> = v["nodes"].as_array().unwrap().iter().filter_map(|n| n["id"].as_str()).collect();
    assert_eq!(ids[0], MARKO);
    assert!(ids.contains(&ANA) && ids.contains(&PASSPORT), "family and passport: {ids:?}");
    assert!(v["edges"].as_array().unwrap().iter().any(|e| e["via_id"] == FAMILY));
    assert!(v["nodes"][0]["degree"].as_f64().unwrap() >= 2.0);
    for (format, start) in [("anx", "<?xml"), ("graphml", "<?xml"), ("gexf", "<?xml"), ("cytoscape", "{")] {
        let f = get(&app, &format!("/api/v1/entities/{MARKO}/network/export?format={format}")).await;
        assert_eq!(f.status, StatusCode::OK, "{format}: {}", f.text());
        assert!(f.text().trim_start().starts_with(start), "{format}");
        assert!(f.header("content-disposition").is_some_and(|d| d.contains("attachment")));
        assert!(f.text().contains("Ana Kova"), "{format} names the nodes");
    }
}
