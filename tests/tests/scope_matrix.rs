//! Every route × every role, with the status each must answer. The list of routes comes from
//! the served OpenAPI description, so a new route without an entry here fails the test.

use ouen_tests::{TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The callers, in the order of the status columns below.
const ROLES: [&str; 8] = [
    "anonymous",
    "national",
    "admin",
    "tokyo",
    "hachioji",
    "osaka",
    "institution",
    "partner",
];

/// Ids the matrix refers to, created before it runs.
struct Fixture {
    /// A second 八王子市 account, the target of account management routes.
    victim: i64,
    /// 八王子市保健所, under the 八王子市 organisation.
    centre: i64,
    /// The 東京都 organisation.
    tokyo_org: i64,
}

struct Cell {
    method: Method,
    path: &'static str,
    body: Option<Value>,
    /// Expected statuses for ROLES, in order.
    expect: [u16; 8],
}

fn matrix(f: &Fixture) -> Vec<Cell> {
    let cell = |method: Method, path: &'static str, body: Option<Value>, expect: [u16; 8]| Cell {
        method,
        path,
        body,
        expect,
    };
    let victim = f.victim;
    let centre = f.centre;
    vec![
        // Public.
        cell(Method::GET, "/healthz", None, [200; 8]),
        cell(Method::GET, "/api/v1/prefectures", None, [200; 8]),
        cell(Method::GET, "/api/v1/municipalities", None, [200; 8]),
        // Sessions: a wrong password is wrong for everyone.
        cell(Method::POST, "/api/v1/sessions", Some(json!({ "login": "nobody-{role}", "password": "wrong-password-1" })), [401; 8]),
        cell(Method::DELETE, "/api/v1/sessions/current", None, [401, 204, 204, 204, 204, 204, 204, 204]),
        cell(Method::DELETE, "/api/v1/sessions", None, [401, 200, 200, 200, 200, 200, 200, 200]),
        cell(Method::GET, "/api/v1/me", None, [401, 200, 200, 200, 200, 200, 200, 200]),
        cell(
            Method::PUT,
            "/api/v1/me/password",
            Some(json!({ "current_password": "not-my-password-1", "new_password": "Another-pass-2" })),
            [401, 422, 422, 422, 422, 422, 422, 422],
        ),
        // Accounts.
        cell(Method::GET, "/api/v1/accounts", None, [401, 200, 200, 200, 200, 200, 200, 200]),
        cell(
            Method::POST,
            "/api/v1/accounts",
            Some(json!({ "login": "new-{role}", "display_name": "八王子市 担当", "role": "city", "municipality_code": "132012" })),
            [401, 403, 201, 201, 201, 422, 403, 403],
        ),
        cell(Method::GET, "/api/v1/accounts/{victim}", None, [401, 200, 200, 200, 200, 404, 404, 404]),
        cell(Method::POST, "/api/v1/accounts/{victim}/disable", None, [401, 403, 200, 200, 200, 404, 404, 404]),
        cell(Method::POST, "/api/v1/accounts/{victim}/enable", None, [401, 403, 200, 200, 200, 404, 404, 404]),
        cell(
            Method::POST,
            "/api/v1/accounts/{victim}/password",
            Some(json!({ "new_password": "Reset-pass-3" })),
            [401, 403, 200, 200, 200, 404, 404, 404],
        ),
        // Organisations.
        cell(Method::GET, "/api/v1/organisations", None, [401, 200, 200, 200, 200, 200, 200, 200]),
        cell(
            Method::POST,
            "/api/v1/organisations",
            Some(json!({ "kind": "health_centre", "name": "南多摩保健所", "parent_id": "{tokyo_org}" })),
            [401, 403, 201, 201, 422, 422, 403, 403],
        ),
        cell(Method::GET, "/api/v1/organisations/{centre}", None, [401, 200, 200, 200, 200, 404, 404, 404]),
        cell(
            Method::PATCH,
            "/api/v1/organisations/{centre}",
            Some(json!({ "name": "八王子市保健所（本所）" })),
            [401, 403, 200, 200, 200, 404, 404, 404],
        ),
        // Audit.
        cell(Method::GET, "/api/v1/audit", None, [401, 200, 200, 403, 403, 403, 403, 403]),
        cell(Method::GET, "/api/openapi.json", None, [200; 8]),
    ]
    .into_iter()
    .map(|mut c| {
        c.path = Box::leak(c.path.replace("{victim}", &victim.to_string()).replace("{centre}", &centre.to_string()).into_boxed_str());
        c
    })
    .collect()
}

/// Replaces `{role}` and `{tokyo_org}` in a body.
fn fill(body: &Value, role: &str, f: &Fixture) -> Value {
    let text = body
        .to_string()
        .replace("{role}", role)
        .replace("\"{tokyo_org}\"", &f.tokyo_org.to_string());
    serde_json::from_str(&text).expect("body")
}

/// The template path of a concrete path (ids back to `{id}`), as the OpenAPI description names it.
fn template(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()) {
                "{id}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_route_answers_every_role_as_expected() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let issue = |body: Value| {
        let server = &server;
        let admin = admin.clone();
        async move { server.issue(&admin, body).await.0 }
    };
    issue(json!({ "login": "mhlw", "display_name": "厚生労働省 担当", "role": "national" })).await;
    issue(json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" })).await;
    issue(json!({ "login": "osaka", "display_name": "大阪府 担当", "role": "prefecture", "prefecture_code": "27" })).await;
    issue(json!({ "login": "hachioji", "display_name": "八王子市 担当", "role": "city", "municipality_code": "132012" })).await;
    let victim = issue(json!({ "login": "hachioji2", "display_name": "八王子市 副担当", "role": "city", "municipality_code": "132012" })).await;
    let hospital = server
        .post("/api/v1/organisations", &admin, json!({ "kind": "institution", "name": "八王子中央病院", "institution_kind": "hospital", "prefecture_code": "13" }))
        .await;
    assert_eq!(hospital.status, StatusCode::CREATED, "{:?}", hospital.body);
    issue(json!({ "login": "hospital", "display_name": "病院 人事", "role": "institution", "organisation_id": hospital.body["id"] })).await;
    let bureau = server
        .post(
            "/api/v1/organisations",
            &admin,
            json!({ "kind": "partner", "name": "東京労働局", "partner_kind": "labour_bureau" }),
        )
        .await;
    assert_eq!(bureau.status, StatusCode::CREATED, "{:?}", bureau.body);
    issue(json!({ "login": "bureau", "display_name": "労働局 担当", "role": "partner", "organisation_id": bureau.body["id"] })).await;
    let hachioji = server.login("hachioji", PASSWORD).await;
    let centre = server
        .post(
            "/api/v1/organisations",
            &hachioji,
            json!({ "kind": "health_centre", "name": "八王子市保健所" }),
        )
        .await;
    assert_eq!(centre.status, StatusCode::CREATED, "{:?}", centre.body);
    let fixture = Fixture {
        victim,
        centre: centre.body["id"].as_i64().unwrap(),
        tokyo_org: server.prefecture_org(&admin, "13").await,
    };
    let logins: BTreeMap<&str, &str> = [
        ("national", "mhlw"),
        ("admin", "jimukyoku"),
        ("tokyo", "tokyo"),
        ("hachioji", "hachioji"),
        ("osaka", "osaka"),
        ("institution", "hospital"),
        ("partner", "bureau"),
    ]
    .into();

    let cells = matrix(&fixture);
    let mut failures = Vec::new();
    for cell in &cells {
        for (i, role) in ROLES.iter().enumerate() {
            // A fresh session for every cell, so logouts and resets do not affect the others.
            let token = match logins.get(role) {
                Some(login) => Some(server.login(login, PASSWORD).await),
                None => None,
            };
            let body = cell.body.as_ref().map(|b| fill(b, role, &fixture));
            let answer = server
                .call(cell.method.clone(), cell.path, token.as_deref(), body)
                .await;
            if answer.status.as_u16() != cell.expect[i] {
                failures.push(format!(
                    "{} {} as {role}: expected {}, got {} {}",
                    cell.method, cell.path, cell.expect[i], answer.status, answer.body
                ));
            }
            if answer.status.is_client_error() && cell.path != "/api/openapi.json" {
                // Every error has the standard body.
                assert!(
                    answer.body["code"].is_string() && answer.body["message"].is_string(),
                    "{} {}: {}",
                    cell.method,
                    cell.path,
                    answer.body
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} unexpected statuses:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // The matrix covers exactly the described routes.
    let openapi = server
        .call(Method::GET, "/api/openapi.json", None, None)
        .await
        .body;
    let mut described = BTreeSet::new();
    for (path, item) in openapi["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            described.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let covered: BTreeSet<String> = cells
        .iter()
        .filter(|c| c.path != "/api/openapi.json")
        .map(|c| format!("{} {}", c.method, template(c.path)))
        .collect();
    let missing: Vec<_> = described.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&described).collect();
    assert!(
        missing.is_empty(),
        "routes without a matrix entry: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix entries for routes that do not exist: {stale:?}"
    );
}
