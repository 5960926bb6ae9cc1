//! The served OpenAPI description as a checker of real answers: an answer to a described
//! operation must have a declared status, the declared media type, and a body its schema
//! admits. Covers the subset of JSON Schema the server's description uses: `$ref`, `type`
//! (with `"null"`), `properties`, `required`, `additionalProperties`, `items`, `enum`,
//! `oneOf`/`anyOf`/`allOf`, `nullable`, bounds and the `date`, `date-time` and integer
//! formats. An object property its schema does not name is a problem too, so the
//! description must list everything the server sends.

use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Statuses a handler gives on purpose: they must be declared by the operation itself, not
/// left to its `default` answer (which covers the HTTP layer's 405, 408, 5xx).
const DECLARED_ERRORS: [u16; 8] = [400, 401, 403, 404, 409, 413, 422, 429];

/// A served OpenAPI description.
pub struct Description {
    doc: Value,
    /// `(method, path template)` of every operation.
    operations: Vec<(String, String)>,
}

impl Description {
    /// Reads the description from its JSON.
    pub fn new(doc: Value) -> Description {
        let mut operations = Vec::new();
        if let Some(paths) = doc["paths"].as_object() {
            for (path, item) in paths {
                for method in item.as_object().into_iter().flat_map(|o| o.keys()) {
                    operations.push((method.to_ascii_uppercase(), path.clone()));
                }
            }
        }
        Description { doc, operations }
    }

    /// The JSON of the description.
    pub fn doc(&self) -> &Value {
        &self.doc
    }

    /// The path template of the operation a concrete path belongs to (the query is ignored):
    /// same number of segments, every literal segment equal, the most literal segments when
    /// several fit (so `/members/export` is not taken for `/members/{id}`).
    pub fn template(&self, method: &Method, path: &str) -> Option<&str> {
        self.operations
            .iter()
            .filter(|(m, _)| m == method.as_str())
            .filter_map(|(_, template)| {
                literal_segments(template, path).map(|literal| (literal, template.as_str()))
            })
            .max_by_key(|(literal, _)| *literal)
            .map(|(_, t)| t)
    }

    /// Checks one answer against the description; `Ok` as well when no operation describes
    /// the request (an unknown route, the description itself).
    pub fn check(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), String> {
        let Some(template) = self.template(method, path) else {
            return Ok(());
        };
        let operation = &self.doc["paths"][template][method.as_str().to_ascii_lowercase()];
        let responses = &operation["responses"];
        let code = status.as_u16();
        let response = match &responses[code.to_string()] {
            Value::Null if code < 400 || DECLARED_ERRORS.contains(&code) => {
                return Err(format!("status {code} is not declared"));
            }
            Value::Null => match &responses["default"] {
                Value::Null => return Err(format!("status {code} is not declared")),
                default => default,
            },
            declared => declared,
        };
        let response = self.resolve(response);
        let content = response["content"].as_object().filter(|c| !c.is_empty());
        let Some(content) = content else {
            return if body.is_empty() {
                Ok(())
            } else {
                Err(format!("status {code} declares no body, but one came"))
            };
        };
        let media = content_type
            .and_then(|c| c.split(';').next())
            .map(|c| c.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let Some(declared) = content.get(&media) else {
            let declared: Vec<&String> = content.keys().collect();
            return Err(format!(
                "status {code} answered {media:?}, declared {declared:?}"
            ));
        };
        if media != "application/json" {
            return Ok(());
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| format!("status {code}: the body is not JSON: {e}"))?;
        let problems = self.problems(&declared["schema"], &value);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("status {code}: {}", problems.join("; ")))
        }
    }

    /// What is wrong with `value` under `schema`; empty when it conforms.
    pub fn problems(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(schema, value, "$", &mut out);
        out
    }

    /// Follows a local `$ref` (`#/components/...`), or answers the value itself.
    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        let mut current = value;
        for _ in 0..32 {
            let Some(reference) = current["$ref"].as_str() else {
                return current;
            };
            let pointer = reference.strip_prefix('#').unwrap_or(reference);
            current = self.doc.pointer(pointer).unwrap_or(&Value::Null);
        }
        current
    }

    fn walk(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
        if let Some(reference) = schema["$ref"].as_str() {
            let target = self.resolve(schema);
            if target.is_null() {
                out.push(format!("{at}: unresolved reference {reference}"));
            } else {
                self.walk(target, value, at, out);
            }
            return;
        }
        if !schema.is_object() {
            return;
        }
        if value.is_null() && schema["nullable"] == Value::Bool(true) {
            return;
        }
        for part in schema["allOf"].as_array().into_iter().flatten() {
            self.walk(part, value, at, out);
        }
        if let Some(alternatives) = schema["oneOf"].as_array() {
            let fits = alternatives
                .iter()
                .filter(|s| self.problems(s, value).is_empty())
                .count();
            if fits != 1 {
                out.push(format!(
                    "{at}: {value} fits {fits} of the {} oneOf alternatives",
                    alternatives.len()
                ));
            }
        }
        if let Some(alternatives) = schema["anyOf"].as_array() {
            if !alternatives
                .iter()
                .any(|s| self.problems(s, value).is_empty())
            {
                out.push(format!("{at}: {value} fits none of the anyOf alternatives"));
            }
        }
        if let Some(allowed) = schema["enum"].as_array() {
            if !allowed.contains(value) {
                out.push(format!("{at}: {value} is not one of {allowed:?}"));
            }
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.is_empty() && !types.iter().any(|t| has_type(t, value)) {
            out.push(format!("{at}: {value} is not of type {types:?}"));
            return;
        }
        match value {
            Value::String(text) => check_string(schema, text, at, out),
            Value::Number(number) => check_number(schema, number, at, out),
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.walk(item_schema, item, &format!("{at}[{i}]"), out);
                    }
                }
            }
            Value::Object(fields) => {
                for name in schema["required"].as_array().into_iter().flatten() {
                    if let Some(name) = name.as_str() {
                        if !fields.contains_key(name) {
                            out.push(format!("{at}: required property {name:?} is missing"));
                        }
                    }
                }
                let properties = schema["properties"].as_object();
                for (name, field) in fields {
                    let at = format!("{at}.{name}");
                    match (
                        properties.and_then(|p| p.get(name)),
                        &schema["additionalProperties"],
                    ) {
                        (Some(property), _) => self.walk(property, field, &at, out),
                        (None, Value::Bool(false)) => {
                            out.push(format!("{at}: property not allowed"))
                        }
                        (None, Value::Null) if properties.is_some() => {
                            out.push(format!("{at}: property not in the description"))
                        }
                        (None, extra) if extra.is_object() => self.walk(extra, field, &at, out),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn has_type(name: &str, value: &Value) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

fn check_string(schema: &Value, text: &str, at: &str, out: &mut Vec<String>) {
    let fits = match schema["format"].as_str() {
        Some("date") => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        _ => true,
    };
    if !fits {
        out.push(format!("{at}: {text:?} is not a {}", schema["format"]));
    }
    let length = text.chars().count() as u64;
    if schema["minLength"].as_u64().is_some_and(|min| length < min)
        || schema["maxLength"].as_u64().is_some_and(|max| length > max)
    {
        out.push(format!("{at}: {text:?} has a length out of bounds"));
    }
}

fn check_number(schema: &Value, number: &serde_json::Number, at: &str, out: &mut Vec<String>) {
    let Some(n) = number.as_f64() else { return };
    let (low, high) = match schema["format"].as_str() {
        Some("int8") => (f64::from(i8::MIN), f64::from(i8::MAX)),
        Some("int16") => (f64::from(i16::MIN), f64::from(i16::MAX)),
        Some("int32") => (f64::from(i32::MIN), f64::from(i32::MAX)),
        Some("int64") => (i64::MIN as f64, i64::MAX as f64),
        Some("uint8") => (0.0, f64::from(u8::MAX)),
        Some("uint16") => (0.0, f64::from(u16::MAX)),
        Some("uint32") => (0.0, f64::from(u32::MAX)),
        Some("uint64") => (0.0, u64::MAX as f64),
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    };
    let below = schema["minimum"].as_f64().is_some_and(|m| n < m);
    let above = schema["maximum"].as_f64().is_some_and(|m| n > m);
    if below || above || n < low || n > high {
        out.push(format!("{at}: {n} is out of bounds"));
    }
}

/// How many literal segments of `template` a concrete `path` (its query ignored) matches, when
/// it fits at all: same number of segments, every literal equal, every `{parameter}` filled.
pub fn literal_segments(template: &str, path: &str) -> Option<usize> {
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    let parts: Vec<&str> = template.split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut literal = 0;
    for (part, segment) in parts.iter().zip(&segments) {
        if part.starts_with('{') && part.ends_with('}') {
            if segment.is_empty() {
                return None;
            }
        } else if part == segment {
            literal += 1;
        } else {
            return None;
        }
    }
    Some(literal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn description() -> Description {
        Description::new(json!({
            "paths": { "/things/{id}": { "get": { "responses": {
                "200": { "description": "", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } },
                "404": { "description": "", "content": { "application/json": { "schema": { "type": "object" } } } },
                "default": { "description": "", "content": { "application/json": { "schema": { "type": "object" } } } }
            } } } },
            "components": { "schemas": {
                "Kind": { "type": "string", "enum": ["small", "large"] },
                "Thing": {
                    "type": "object",
                    "required": ["id", "kind"],
                    "properties": {
                        "id": { "type": "integer", "format": "int64" },
                        "kind": { "$ref": "#/components/schemas/Kind" },
                        "on": { "type": ["string", "null"], "format": "date" },
                        "parent": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Kind" }] }
                    }
                }
            } }
        }))
    }

    fn check(d: &Description, status: u16, body: Value) -> Result<(), String> {
        d.check(
            &Method::GET,
            "/things/7?x=1",
            StatusCode::from_u16(status).unwrap(),
            Some("application/json; charset=utf-8"),
            body.to_string().as_bytes(),
        )
    }

    #[test]
    fn a_conforming_answer_passes() {
        let d = description();
        let ok = json!({ "id": 7, "kind": "small", "on": null, "parent": "large" });
        assert_eq!(check(&d, 200, ok), Ok(()));
        assert_eq!(check(&d, 503, json!({})), Ok(()), "503 falls to default");
    }

    #[test]
    fn every_kind_of_deviation_is_flagged() {
        let d = description();
        for wrong in [
            json!({ "id": 7, "kind": "Small" }),
            json!({ "id": "7", "kind": "small" }),
            json!({ "kind": "small" }),
            json!({ "id": 7, "kind": "small", "on": "2026-02-30" }),
            json!({ "id": 7, "kind": "small", "parent": "medium" }),
            json!({ "id": 7, "kind": "small", "colour": "red" }),
        ] {
            assert!(check(&d, 200, wrong.clone()).is_err(), "{wrong} passed");
        }
        assert!(
            check(&d, 401, json!({})).is_err(),
            "an undeclared 401 passed"
        );
        assert!(
            check(&d, 201, json!({})).is_err(),
            "an undeclared 201 passed"
        );
        let csv = d.check(
            &Method::GET,
            "/things/7",
            StatusCode::OK,
            Some("text/csv"),
            b"a,b",
        );
        assert!(csv.is_err(), "an undeclared media type passed");
        assert_eq!(
            d.check(&Method::GET, "/other", StatusCode::OK, None, b"x"),
            Ok(())
        );
    }
}
