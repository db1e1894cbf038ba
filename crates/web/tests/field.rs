//! Field mode end to end: a snapshot exported from the platform, a field
//! node answering checks offline over its local API, `sync` sending them
//! over HTTP to a server that re-screens and records them once (a resend is
//! answered from the store), and uploads refused when forged.

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::sync::Arc;
use std::time::Duration;
use veza_app::{AuditKey, Caller, FieldCheckInput, FieldNode, FieldPerson, SnapshotRequest, Veza};
use veza_model::{Entity, Handling, Owner, SourceRef, Visibility};
use veza_store::operations::*;
use veza_store::{Agency, Source};

const PASS: &str = "a long field passphrase";

async fn platform(dir: &std::path::Path) -> (Veza, AuditKey) {
    let veza = Veza::open(&format!("sqlite://{}", dir.join("veza.db").display())).await.unwrap();
    let store = veza.store();
    for (code, country) in [("mk-mvr", "mk"), ("int-gs", "fr")] {
        let agency = Agency { code: code.into(), name: code.into(), country: country.into(), kind: "police".into() };
        store.put_agency(&agency).await.unwrap();
    }
    store
        .put_source(&Source {
            dataset: "notices".into(),
            title: "notices".into(),
            kind: "import".into(),
            owner_agency: "int-gs".into(),
            created_at: "2026-11-01T00:00:00Z".into(),
            updated_at: "2026-11-01T00:00:00Z".into(),
        })
        .await
        .unwrap();
    let model = veza_model::Model::builtin();
    let mut e = Entity::new("n-dragan", "Person");
    e.add(model, "name", "Драган Стојановић").unwrap();
    e.add(model, "birthDate", "1974-03-02").unwrap();
    e.provenance.owner = Owner { agency: "int-gs".into(), country: "fr".into() };
    e.provenance.source = SourceRef { dataset: "notices".into(), record: None };
    e.handling = Handling { visibility: Visibility::All, ..Handling::default() };
    store.write_entities(&Caller::system("test"), &[e]).await.unwrap();
    store
        .put_operation(&Operation {
            id: "op-1".into(),
            code: "GATE".into(),
            name: "Gate".into(),
            mode: OperationMode::Live,
            status: OperationStatus::Running,
            start_date: "2026-11-28".into(),
            end_date: "2026-12-30".into(),
            lead_agency: "mk-mvr".into(),
            objectives: String::new(),
            created_by: "ana".into(),
            created_at: 1,
            changed_at: 1,
            countries: vec![OperationCountry { country: "fr".into(), contact_ncb: "IPSG Lyon".into() }],
            agencies: vec![OperationAgency { agency: "mk-mvr".into(), coordinator: true }],
            watchlists: vec![OperationWatchlist {
                dataset: "notices".into(),
                instruction: "do not arrest; contact {ncb}".into(),
            }],
        })
        .await
        .unwrap();
    store
        .put_checkpoint(&Checkpoint {
            id: 0,
            operation_id: "op-1".into(),
            code: "MK-TAB".into(),
            name: "Tabanovce".into(),
            kind: CheckpointKind::BorderCrossing,
            country: "mk".into(),
            agency: "mk-mvr".into(),
            latitude: None,
            longitude: None,
            shifts: vec![],
        })
        .await
        .unwrap();
    let key_path = dir.join("audit-signing.key");
    let key = AuditKey::create(&key_path).unwrap();
    veza.set_field_issuer(AuditKey::load(&key_path).unwrap());
    (veza, key)
}

/// The server's side, as the operation's check route hands an upload over.
async fn receive(State(veza): State<Veza>, UrlPath(op): UrlPath<String>, body: Bytes) -> axum::response::Response {
    let upload = match veza_web::field::parse_upload(&body) {
        Ok(u) => u,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    match veza.record_field_upload(&Caller::system("terminal"), None, &op, &upload).await {
        Ok(answers) => axum::Json(veza_web::field::upload_answer(&answers)).into_response(),
        Err(e) => (StatusCode::FORBIDDEN, e.to_string()).into_response(),
    }
}

async fn listen(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

fn person(name: &str) -> FieldCheckInput {
    FieldCheckInput {
        checkpoint: "MK-TAB".into(),
        person: Some(FieldPerson { name: name.into(), birth_date: "1974".into(), ..Default::default() }),
        ..Default::default()
    }
}

#[tokio::test]
async fn offline_checks_reach_the_server_once() {
    let dir = tempfile::tempdir().unwrap();
    let (veza, key) = platform(dir.path()).await;
    let request = SnapshotRequest {
        operation: "op-1".into(),
        checkpoint: "MK-TAB".into(),
        valid_for: Duration::from_secs(3600),
        passphrase: PASS.into(),
        kdf: veza_snapshot::KdfParams::insecure_for_tests(),
    };
    let access = veza_app::Access::operator("test", None).unwrap();
    let export = veza.export_snapshot(&access, &key, &request).await.unwrap();
    let now = chrono::Utc::now().timestamp();
    let node =
        Arc::new(FieldNode::open(&export.bytes, &key.public_key(), PASS, &dir.path().join("queue"), now).unwrap());

    // the node's local API, as a terminal uses it
    let local = listen(veza_web::field::router(Arc::clone(&node))).await;
    let client = reqwest_free_post(
        &format!("{local}/api/v1/operations/op-1/checks"),
        &serde_json::json!({
            "checkpoint": "MK-TAB", "person": {"name": "DRAGAN STOJANOVIC", "birth_date": "1974"}
        }),
    )
    .await;
    assert_eq!(client["result"], "hit", "{client}");
    assert_eq!(client["hits"][0]["instruction"], "do not arrest; contact IPSG Lyon");
    node.check(&[person("Ana Kovač")], now).unwrap();

    // the link returns
    let server = listen(
        axum::Router::new()
            .route("/api/v1/operations/{id}/checks", axum::routing::post(receive))
            .with_state(veza.clone()),
    )
    .await;
    let summary = veza_web::field::sync(&node, &server, "vzt_test").await.unwrap();
    assert_eq!((summary.sent, summary.duplicates, summary.left), (2, 0, 0));
    let stored = veza.store().checks("op-1", &CheckFilter::default()).await.unwrap();
    assert_eq!(stored.len(), 2, "both checks are on the server");
    assert_eq!(stored.iter().filter(|c| c.result == CheckResult::Hit).count(), 1, "re-screened there");

    // the answer was lost: the same batch again is recorded once
    let pending = node.pending().unwrap();
    assert!(pending.is_empty());
    let all = {
        let log = std::fs::read_to_string(dir.path().join("queue/queue.log")).unwrap();
        assert_eq!(log.lines().count(), 2);
        std::fs::write(dir.path().join("queue/sent"), "0\n").unwrap();
        node.pending().unwrap()
    };
    let upload = veza_web::field::upload_of(&node, &all);
    let again = veza_web::field::parse_upload(&serde_json::to_vec(&upload).unwrap()).unwrap();
    let answers = veza.record_field_upload(&Caller::system("terminal"), None, "op-1", &again).await.unwrap();
    assert!(answers.iter().all(|a| a.duplicate), "answered from the store");
    assert_eq!(veza.store().checks("op-1", &CheckFilter::default()).await.unwrap().len(), 2, "no second record");

    // a forged upload: a check added after the code was computed
    let mut forged = again.clone();
    forged.checks.push(("field-x-9".into(), now, person("Someone Else")));
    let err = veza.record_field_upload(&Caller::system("terminal"), None, "op-1", &forged).await.unwrap_err();
    assert!(err.to_string().contains("authentication code"), "{err}");
    // a header altered (another checkpoint named): the signature fails
    let mut altered = again.clone();
    let at = altered.signed_header.windows(6).position(|w| w == b"MK-TAB").unwrap();
    altered.signed_header[at] = b'R';
    let err = veza.record_field_upload(&Caller::system("terminal"), None, "op-1", &altered).await.unwrap_err();
    assert!(err.to_string().contains("bad signature"), "{err}");
    // a check dated after the snapshot expired
    let mut late = again.clone();
    late.checks[0].1 = export.header.expires_at + 10;
    late.mac = node.upload_code(&late.checks);
    let err = veza.record_field_upload(&Caller::system("terminal"), None, "op-1", &late).await.unwrap_err();
    assert!(err.to_string().contains("outside the snapshot's validity"), "{err}");
}

/// A JSON POST with the crate's own HTTP client stack (hyper-util).
async fn reqwest_free_post(url: &str, body: &serde_json::Value) -> serde_json::Value {
    use http_body_util::{BodyExt, Full};
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let request = axum::http::Request::post(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(serde_json::to_vec(body).unwrap())))
        .unwrap();
    let answer = client.request(request).await.unwrap();
    let bytes = answer.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}
