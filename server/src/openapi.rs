//! Completes the OpenAPI description once the routes are merged in: the schemas that only
//! parameters name, and the error answers every operation can give, derived from its shape so
//! that a new route cannot forget them.

use ouen_shared::api::{CsvEncoding, HonorariumSheet, Interval, OutboxStatus, SortOrder};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

/// The schema of every error answer.
const ERROR_BODY: &str = "ErrorBody";

/// Adds what the route annotations leave out; see the module description.
pub fn complete(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    // utoipa collects the schemas of bodies, not those that query parameters refer to.
    for (name, schema) in [
        (SortOrder::name(), SortOrder::schema()),
        (CsvEncoding::name(), CsvEncoding::schema()),
        (OutboxStatus::name(), OutboxStatus::schema()),
        (HonorariumSheet::name(), HonorariumSheet::schema()),
        (Interval::name(), Interval::schema()),
    ] {
        components
            .schemas
            .entry(name.into_owned())
            .or_insert(schema);
    }
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            add_error_answers(operation);
        }
    }
}

/// The error answers an operation of this shape can give, each with the standard body.
fn add_error_answers(operation: &mut Operation) {
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let in_path = parameters
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let in_query = parameters
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let has_body = operation.request_body.is_some();
    let authenticated = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut statuses = Vec::new();
    if has_body || in_path || in_query {
        statuses.push("400");
    }
    if authenticated {
        statuses.push("401");
    }
    if in_path {
        statuses.push("404");
    }
    if has_body {
        statuses.push("413");
    }
    // Any parameter can hold a control character or a value of the wrong kind.
    if has_body || in_query || in_path {
        statuses.push("422");
    }
    statuses.push("default");
    let responses = &mut operation.responses.responses;
    for status in statuses {
        responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(ResponseBuilder::new().build()));
    }
    for (status, response) in responses.iter_mut() {
        let is_error = status == "default" || status.starts_with('4') || status.starts_with('5');
        if let (true, RefOr::T(response)) = (is_error, response) {
            if response.description.is_empty() {
                response.description = describe(status).to_string();
            }
            if response.content.is_empty() {
                response.content.insert(
                    "application/json".to_string(),
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(ERROR_BODY)))
                        .build(),
                );
            }
        }
    }
}

/// What an error status means, for the description.
fn describe(status: &str) -> &'static str {
    match status {
        "400" => "The request could not be read: malformed JSON or a parameter of the wrong type.",
        "401" => "No valid session (for a login: the login or password is wrong).",
        "403" => "The caller may not do this.",
        "404" => "No such record, or it is outside the caller's scope.",
        "409" => "The change conflicts with existing data.",
        "413" => "The request body is too large.",
        "422" => "Invalid input; `fields` names each problem.",
        "429" => "Too many attempts; `retry_after_seconds` says when to try again.",
        "503" => "The database does not answer.",
        _ => "Any other failure (wrong method, timeout, server error), with the same body.",
    }
}
