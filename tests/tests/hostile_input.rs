//! Hostile text through every parameter of every route: a NUL, a lone CR, full-width digits,
//! letters, space and half-width kana, and a 10,000-character
//! string in each path parameter, each query parameter and each string in each request body of
//! every operation the served OpenAPI description lists, as an anonymous caller and as each
//! kind of signed-in caller. None may answer 5xx, and every error has the standard body.
//!
//! The routes, their parameters and their body shapes come from `/api/openapi.json`, so a new
//! route is covered the day it is described.

use ouen_tests::{registration, TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Map, Value};

/// The hostile values: a NUL, a lone CR, full-width text, and 10,000 characters (ASCII in a URL, which the
/// HTTP client could not otherwise send; kanji in a body).
fn hostile_values() -> Vec<(String, String)> {
    ["a\u{0}b", "a\rb", "０１２ＡＢＣ　ｶﾀｶﾅ－"]
        .iter()
        .map(|v| (v.to_string(), v.to_string()))
        .chain([("a".repeat(10_000), "長".repeat(10_000))])
        .collect()
}

/// Resolves `#/components/schemas/…` references.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap_or("");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// A plausible value for `schema` (the first variant, the first enum value, one item).
fn sample(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if depth > 8 {
        return Value::Null;
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(variants) = schema[key].as_array() {
            let chosen = variants
                .iter()
                .find(|v| v["type"] != "null")
                .unwrap_or(&Value::Null);
            return sample(doc, chosen, depth + 1);
        }
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let kind = match &schema["type"] {
        Value::String(s) => s.as_str(),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        _ if schema["properties"].is_object() => "object",
        _ => "string",
    };
    match kind {
        "object" => {
            let mut map = Map::new();
            if let Some(properties) = schema["properties"].as_object() {
                for (name, property) in properties {
                    map.insert(name.clone(), sample(doc, property, depth + 1));
                }
            }
            Value::Object(map)
        }
        "array" => json!([sample(doc, &schema["items"], depth + 1)]),
        "integer" | "number" => json!(1),
        "boolean" => json!(false),
        "null" => Value::Null,
        _ => match schema["format"].as_str() {
            Some("date") => json!("2026-04-01"),
            Some("date-time") => json!("2026-04-01T09:00:00Z"),
            _ => json!("x"),
        },
    }
}

/// Every path to a string inside `value`, as JSON pointers.
fn string_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(pointer),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_pointers(item, format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                string_pointers(item, format!("{pointer}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// Percent-encodes a path segment or query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One request to send.
struct Probe {
    method: Method,
    path: String,
    body: Option<Value>,
    what: String,
}

/// Every probe for one operation: each path parameter, each query parameter and each body
/// string in turn set to each hostile value, the rest plausible.
fn probes(doc: &Value, template: &str, method: &str, operation: &Value) -> Vec<Probe> {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
    let parameters: Vec<&Value> = operation["parameters"]
        .as_array()
        .map(|p| p.iter().collect())
        .unwrap_or_default();
    let path_with = |name: Option<&str>, value: &str| {
        let mut path = template.to_string();
        for p in parameters.iter().filter(|p| p["in"] == "path") {
            let key = p["name"].as_str().unwrap_or("");
            let filled = if Some(key) == name {
                encode(value)
            } else if key.contains("prefecture") {
                "13".into()
            } else {
                "1".into()
            };
            path = path.replace(&format!("{{{key}}}"), &filled);
        }
        path
    };
    let body = operation["requestBody"]["content"]["application/json"]["schema"]
        .as_object()
        .map(|_| {
            sample(
                doc,
                &operation["requestBody"]["content"]["application/json"]["schema"],
                0,
            )
        });
    let mut out = Vec::new();
    for (in_url, value) in hostile_values() {
        let short = value
            .chars()
            .take(3)
            .collect::<String>()
            .escape_debug()
            .to_string();
        for p in &parameters {
            let name = p["name"].as_str().unwrap_or("");
            let path = match p["in"].as_str() {
                Some("path") => path_with(Some(name), &in_url),
                Some("query") => format!("{}?{name}={}", path_with(None, ""), encode(&in_url)),
                _ => continue,
            };
            out.push(Probe {
                method: method.clone(),
                path,
                body: body.clone(),
                what: format!("{method} {template} {name}={short}…"),
            });
        }
        if let Some(body) = &body {
            let mut pointers = Vec::new();
            string_pointers(body, String::new(), &mut pointers);
            for pointer in pointers {
                let mut hostile = body.clone();
                if let Some(slot) = hostile.pointer_mut(&pointer) {
                    *slot = Value::String(value.clone());
                }
                out.push(Probe {
                    method: method.clone(),
                    path: path_with(None, ""),
                    body: Some(hostile),
                    what: format!("{method} {template} body{pointer}={short}…"),
                });
            }
        }
        // The login itself, which anonymous callers reach.
        if template == "/api/v1/sessions" && method == Method::POST {
            out.push(Probe {
                method: method.clone(),
                path: template.into(),
                body: Some(json!({ "login": value, "password": value })),
                what: format!("login {short}…"),
            });
        }
    }
    out
}

#[tokio::test]
async fn no_hostile_text_in_any_parameter_answers_5xx() {
    let server = TestServer::start_with(|c| {
        c.roster.registrations_per_address_per_hour = 1_000_000;
        c.security.login_max_failures = 1_000_000;
        c.security.address_max_failures = 1_000_000;
    })
    .await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(
            &admin,
            json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }),
        )
        .await;
    let (_, city) = server
        .issue(
            &admin,
            json!({ "login": "hachioji", "display_name": "八王子市 担当", "role": "city", "municipality_code": "132012" }),
        )
        .await;
    let registered = server
        .register(registration(
            "会員 本人",
            "かいいん ほんにん",
            "member@example.jp",
            &["13"],
        ))
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{:?}",
        registered.body
    );
    let member = server.login("member@example.jp", PASSWORD).await;
    let callers: [(&str, Option<&str>); 5] = [
        ("anonymous", None),
        ("admin", Some(&admin)),
        ("tokyo", Some(&tokyo)),
        ("hachioji", Some(&city)),
        ("member", Some(&member)),
    ];

    let doc = server
        .call(Method::GET, "/api/openapi.json", None, None)
        .await
        .body;
    let mut all = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            all.extend(probes(&doc, template, method, operation));
        }
    }
    assert!(all.len() > 100, "only {} probes were built", all.len());
    let mut failures = Vec::new();
    let mut sent = 0;
    for probe in &all {
        // Ending the caller's sessions would sign out the rest of the sweep.
        if probe.method == Method::DELETE && probe.path.starts_with("/api/v1/sessions") {
            continue;
        }
        for (role, token) in &callers {
            let answer = server
                .call(
                    probe.method.clone(),
                    &probe.path,
                    *token,
                    probe.body.clone(),
                )
                .await;
            sent += 1;
            if answer.status.is_server_error() {
                failures.push(format!(
                    "{} as {role}: {} {}",
                    probe.what, answer.status, answer.body
                ));
            } else if answer.status.is_client_error()
                && !(answer.body["code"].is_string() && answer.body["message"].is_string())
            {
                failures.push(format!(
                    "{} as {role}: {} without the error body",
                    probe.what, answer.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {sent} hostile requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn a_nul_is_refused_naming_the_parameter_alike_on_both_backends() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let cases = [
        (
            Method::GET,
            "/api/v1/members?q=a%00b".to_string(),
            None,
            "q",
        ),
        (Method::GET, "/api/v1/accounts?q=%00".to_string(), None, "q"),
        (
            Method::PUT,
            "/api/v1/me/member/offers/1%003".to_string(),
            Some(json!({ "availability": [] })),
            "prefecture_code",
        ),
        (
            Method::POST,
            "/api/v1/sessions".to_string(),
            Some(json!({ "login": "jimu\u{0}kyoku", "password": "x" })),
            "login",
        ),
    ];
    for (method, path, body, field) in cases {
        let answer = server
            .call_lang(method, &path, Some(&admin), body, Some("en"))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            answer.body
        );
        assert_eq!(answer.fields(), [field], "{path}");
        assert_eq!(answer.body["fields"][0]["code"], "control_character");
        assert!(
            answer.body["fields"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("U+0000"),
            "{}",
            answer.body
        );
    }
    // An impossible date in a filter names the parameter, in the caller's language.
    let ja = server
        .get("/api/v1/members?available_from=2026-13-45", &admin)
        .await;
    assert_eq!(ja.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ja.fields(), ["available_from"]);
    let message = ja.body["fields"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("日付"), "{message}");
    assert!(!message.contains("input"), "{message}");
}

#[tokio::test]
async fn identifiers_typed_in_full_width_are_one_value() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(
            &admin,
            json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "１３" }),
        )
        .await;
    let mut wide = registration("全角 花子", "ぜんかく はなこ", "", &["13"]);
    wide["profile"]["email"] = json!("Ｈａｎａｋｏ．Ｚ＠Ｅｘａｍｐｌｅ．ＪＰ");
    wide["profile"]["phone"] = json!("０３ー１２３４ー５６７８");
    wide["profile"]["licences"][0]["number"] = json!("ｐｈｎ－００１２３４");
    wide["offers"][0]["prefecture_code"] = json!("１３");
    let registered = server.register(wide).await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.body
    );
    let id = registered.body["member_id"].as_i64().expect("member id");

    // The same licence typed in ASCII is the same licence.
    let mut ascii = registration(
        "半角 花子",
        "はんかく はなこ",
        "hanako.h@example.jp",
        &["13"],
    );
    ascii["profile"]["licences"][0]["number"] = json!("PHN-001234");
    let again = server.register(ascii).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.fields(), ["profile.licences[0].number"]);

    let approved = server
        .post(
            &format!("/api/v1/members/{id}/memberships/13"),
            &tokyo,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let record = &approved.body["member"];
    assert_eq!(record["email"], "Hanako.Z@example.jp");
    assert_eq!(record["phone"], "03-1234-5678");
    assert_eq!(record["licences"][0]["number"], "PHN-001234");
    // The member logs in with its address typed either way.
    server.login("hanako.z@example.jp", PASSWORD).await;

    // The registration code found with any dash people type.
    let code = approved.body["issued_registration_code"]
        .as_str()
        .expect("code")
        .to_string();
    let wide_digits: String = code
        .chars()
        .map(|c| match c {
            '-' => 'ー',
            d => char::from_u32(u32::from(d) - 0x30 + 0xFF10).unwrap_or(d),
        })
        .collect();
    for typed in [code.replace('-', "−"), code.replace('-', "‐"), wide_digits] {
        let found = server
            .get(&format!("/api/v1/members?q={}", encode(&typed)), &tokyo)
            .await;
        assert_eq!(found.body["total"], 1, "{typed}: {}", found.body);
    }
}
