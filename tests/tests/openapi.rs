//! The served OpenAPI description describes the wire: enums list exactly the values serde
//! writes and reads, every reference resolves, every operation declares the error answers it
//! can give with the standard body, and a wrong answer is caught by the harness's check (which
//! every end-to-end test runs on everything it receives).

use ouen_shared::api::{CsvEncoding, Decision, SortOrder};
use ouen_shared::{
    ErrorCode, ExperienceField, HelpWay, InstitutionKind, Language, MembershipStatus, NoticeKind,
    OrgKind, PartnerKind, Profession, Role,
};
use ouen_tests::TestServer;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The problems of an enum schema's listed values against the Rust type's serde form: each
/// listed value reads and writes back as itself, and every variant writes a listed value.
fn wire_problems<T>(variants: &[T], listed: &[Value]) -> Vec<String>
where
    T: Serialize + DeserializeOwned + std::fmt::Debug,
{
    let mut problems = Vec::new();
    for value in listed {
        match serde_json::from_value::<T>(value.clone()) {
            Ok(v) if serde_json::to_value(&v).ok().as_ref() == Some(value) => {}
            Ok(v) => problems.push(format!("{value} reads as {v:?}, which writes otherwise")),
            Err(e) => problems.push(format!("{value} does not read: {e}")),
        }
    }
    for variant in variants {
        let written = serde_json::to_value(variant).expect("serialise");
        if !listed.contains(&written) {
            problems.push(format!("{variant:?} writes {written}, which is not listed"));
        }
    }
    problems
}

/// Every schema anywhere in the document that lists values, with where it is.
fn enums_in(value: &Value, at: &str, out: &mut Vec<(String, Vec<Value>)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(listed)) = map.get("enum") {
                out.push((at.to_string(), listed.clone()));
            }
            for (k, v) in map {
                enums_in(v, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                enums_in(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_enum_lists_exactly_its_wire_values() {
    let server = TestServer::start().await;
    let doc = server.description.doc().clone();
    let mut found = Vec::new();
    enums_in(&doc, "", &mut found);
    assert!(found.len() >= 13, "{found:?}");
    let mut problems = Vec::new();
    for (at, listed) in &found {
        let name = at
            .strip_prefix("/components/schemas/")
            .unwrap_or_else(|| panic!("an enum outside the named schemas, at {at}"));
        let found = match name {
            "Role" => wire_problems(Role::ALL, listed),
            "Duty" => wire_problems(ouen_shared::dispatch::Duty::ALL, listed),
            "AssignmentStatus" => wire_problems(ouen_shared::api::AssignmentStatus::ALL, listed),
            "SlotReply" => wire_problems(ouen_shared::api::SlotReply::ALL, listed),
            "ConflictKind" => wire_problems(ouen_shared::api::ConflictKind::ALL, listed),
            "UnfilledReason" => wire_problems(ouen_shared::api::UnfilledReason::ALL, listed),
            "DispatchStatus" => wire_problems(ouen_shared::dispatch::DispatchStatus::ALL, listed),
            "ReportStatus" => wire_problems(ouen_shared::api::ReportStatus::ALL, listed),
            "HonorariumSheet" => wire_problems(ouen_shared::api::HonorariumSheet::ALL, listed),
            "Interval" => wire_problems(ouen_shared::api::Interval::ALL, listed),
            "PaymentMethod" => wire_problems(ouen_shared::trainings::PaymentMethod::ALL, listed),
            "PaymentStatus" => wire_problems(ouen_shared::trainings::PaymentStatus::ALL, listed),
            "ApplicationDecision" => {
                wire_problems(ouen_shared::api::ApplicationDecision::ALL, listed)
            }
            "ApplicationStatus" => {
                wire_problems(ouen_shared::trainings::ApplicationStatus::ALL, listed)
            }
            "CompletionRule" => wire_problems(ouen_shared::trainings::CompletionRule::ALL, listed),
            "Delivery" => wire_problems(ouen_shared::trainings::Delivery::ALL, listed),
            "HonorariumRule" => wire_problems(ouen_shared::trainings::HonorariumRule::ALL, listed),
            "TrainingKind" => wire_problems(ouen_shared::trainings::TrainingKind::ALL, listed),
            "TrainingStatus" => wire_problems(ouen_shared::trainings::TrainingStatus::ALL, listed),
            "OrgKind" => wire_problems(OrgKind::ALL, listed),
            "InstitutionKind" => wire_problems(InstitutionKind::ALL, listed),
            "PartnerKind" => wire_problems(PartnerKind::ALL, listed),
            "Profession" => wire_problems(Profession::ALL, listed),
            "MembershipStatus" => wire_problems(MembershipStatus::ALL, listed),
            "HelpWay" => wire_problems(HelpWay::ALL, listed),
            "ExperienceField" => wire_problems(ExperienceField::ALL, listed),
            "Language" => wire_problems(Language::ALL, listed),
            "NoticeKind" => wire_problems(NoticeKind::ALL, listed),
            "OutboxStatus" => wire_problems(ouen_shared::api::OutboxStatus::ALL, listed),
            "SortOrder" => wire_problems(&[SortOrder::Asc, SortOrder::Desc], listed),
            "IssueStatus" => wire_problems(
                &[
                    ouen_shared::api::IssueStatus::Draft,
                    ouen_shared::api::IssueStatus::Sent,
                ],
                listed,
            ),
            "CsvEncoding" => wire_problems(&[CsvEncoding::Utf8, CsvEncoding::Cp932], listed),
            "Decision" => wire_problems(
                &[
                    Decision::Approve,
                    Decision::Reject,
                    Decision::Suspend,
                    Decision::Reinstate,
                    Decision::Withdraw,
                    Decision::ConfirmRecheck,
                ],
                listed,
            ),
            "ErrorCode" => {
                let codes: Vec<ErrorCode> = [
                    400, 401, 403, 404, 405, 408, 409, 413, 414, 422, 429, 431, 500,
                ]
                .into_iter()
                .map(ErrorCode::from_status)
                .chain([
                    ErrorCode::InvalidCredentials,
                    ErrorCode::Unavailable,
                    ErrorCode::Busy,
                ])
                .collect();
                wire_problems(&codes, listed)
            }
            other => vec![format!(
                "no wire check for the enum {other}: add it to this test"
            )],
        };
        problems.extend(found.into_iter().map(|p| format!("{name}: {p}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    server.stop().await;
}

#[tokio::test]
async fn every_reference_resolves_and_every_operation_declares_its_errors() {
    let server = TestServer::start().await;
    let doc = server.description.doc().clone();
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut problems = Vec::new();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap_or("");
        let resolved = target
            .strip_prefix("#/components/schemas/")
            .is_some_and(|name| schemas.contains_key(name));
        if !resolved {
            problems.push(format!("unresolved reference {target}"));
        }
    }
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let name = format!("{} {path}", method.to_uppercase());
            let responses = operation["responses"].as_object().expect("responses");
            let params = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let has = |place: &str| params.iter().any(|p| p["in"] == place);
            let body = operation.get("requestBody").is_some();
            let secured = operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty());
            let mut expected = vec!["default"];
            if body || has("path") || has("query") {
                expected.push("400");
            }
            if secured {
                expected.push("401");
            }
            if has("path") {
                expected.push("404");
            }
            if body {
                expected.extend(["413", "422"]);
            }
            if has("query") {
                expected.push("422");
            }
            for status in expected {
                if !responses.contains_key(status) {
                    problems.push(format!("{name} does not declare {status}"));
                }
            }
            if !responses.keys().any(|s| s.starts_with('2')) {
                problems.push(format!("{name} declares no success"));
            }
            for (status, response) in responses {
                if status.starts_with('2') {
                    continue;
                }
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                if schema != "#/components/schemas/ErrorBody" {
                    problems.push(format!("{name} {status} is not an ErrorBody"));
                }
                if response["description"].as_str().is_none_or(str::is_empty) {
                    problems.push(format!("{name} {status} has no description"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    server.stop().await;
}

#[tokio::test]
async fn wrong_answers_are_flagged_against_the_served_description() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    // Real answers pass (the harness has checked them already).
    let me = server.get("/api/v1/me", &admin).await;
    assert_eq!(me.status, StatusCode::OK);
    let listed = server.get("/api/v1/accounts?per_page=5", &admin).await;
    assert_eq!(listed.status, StatusCode::OK);
    let d = &server.description;
    let check = |path: &str, status: StatusCode, body: &Value| {
        d.check(
            &Method::GET,
            path,
            status,
            Some("application/json"),
            body.to_string().as_bytes(),
        )
    };
    assert_eq!(check("/api/v1/me", StatusCode::OK, &me.body), Ok(()));

    let mut wrong = Vec::new();
    let mut rust_name = me.body.clone();
    rust_name["role"] = json!("Admin");
    wrong.push(("/api/v1/me", StatusCode::OK, rust_name));
    let mut missing = me.body.clone();
    missing.as_object_mut().unwrap().remove("login");
    wrong.push(("/api/v1/me", StatusCode::OK, missing));
    let mut extra = me.body.clone();
    extra["password_hash"] = json!("x");
    wrong.push(("/api/v1/me", StatusCode::OK, extra));
    let mut bad_date = me.body.clone();
    bad_date["session_expires_at"] = json!("tomorrow");
    wrong.push(("/api/v1/me", StatusCode::OK, bad_date));
    let mut nested = listed.body.clone();
    nested["items"][0]["organisation_kind"] = json!("Admin");
    wrong.push(("/api/v1/accounts", StatusCode::OK, nested));
    // A success body as an error, and an error status the operation does not declare.
    wrong.push(("/api/v1/me", StatusCode::UNAUTHORIZED, me.body.clone()));
    wrong.push((
        "/api/v1/me",
        StatusCode::CONFLICT,
        json!({ "code": "conflict", "message": "x" }),
    ));
    for (path, status, body) in wrong {
        assert!(
            check(path, status, &body).is_err(),
            "{path} {status} passed with {body}"
        );
    }
    // The statuses seen are declared: an unknown route and the description are not operations.
    let routes: BTreeSet<_> = ["/api/v1/nowhere", "/api/openapi.json"]
        .into_iter()
        .filter(|p| d.template(&Method::GET, p).is_some())
        .collect();
    assert!(routes.is_empty(), "{routes:?}");
    server.stop().await;
}

/// The schema crate's endpoint table (what the terminal client calls) and the server's routes
/// are the same set: no route the client calls is missing, and none is left undescribed.
#[tokio::test]
async fn the_endpoint_table_matches_the_served_routes() {
    let server = TestServer::start().await;
    let doc = server.description.doc().clone();
    let mut served = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            served.insert((method.to_uppercase(), path.clone()));
        }
    }
    let table: BTreeSet<(String, String)> = ouen_shared::endpoints::ROUTES
        .iter()
        .map(|(m, r)| (m.as_str().to_string(), (*r).to_string()))
        .collect();
    let missing: Vec<_> = table.difference(&served).collect();
    let unlisted: Vec<_> = served.difference(&table).collect();
    assert!(
        missing.is_empty() && unlisted.is_empty(),
        "in the table but not served: {missing:?}; served but not in the table: {unlisted:?}"
    );
}
