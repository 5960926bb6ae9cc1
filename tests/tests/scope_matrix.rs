//! Every route × every role, with the status each must answer. The list of routes comes from
//! the served OpenAPI description, so a new route without an entry here fails the test.

use ouen_tests::{registration, TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The callers, in the order of the status columns below.
const ROLES: [&str; 9] = [
    "anonymous",
    "national",
    "admin",
    "tokyo",
    "hachioji",
    "osaka",
    "institution",
    "partner",
    "member",
];

/// Ids the matrix refers to, created before it runs.
struct Fixture {
    /// A second 八王子市 account, the target of account management routes.
    victim: i64,
    /// 八王子市保健所, under the 八王子市 organisation.
    centre: i64,
    /// The 東京都 organisation.
    tokyo_org: i64,
    /// A member approved by 東京都 (and by nobody else).
    subject: i64,
    /// A professional 東京都 entered itself.
    managed: i64,
}

struct Cell {
    method: Method,
    path: &'static str,
    body: Option<Value>,
    /// Expected statuses for ROLES, in order.
    expect: [u16; 9],
}

fn matrix(f: &Fixture) -> Vec<Cell> {
    let cell = |method: Method, path: &'static str, body: Option<Value>, expect: [u16; 9]| Cell {
        method,
        path,
        body,
        expect,
    };
    let victim = f.victim;
    let centre = f.centre;
    // `{role}` is filled in per caller, so each registers a person of its own.
    let mut applicant = registration(
        "応募 {role}",
        "おうぼ",
        "applicant-{role}@example.jp",
        &["13"],
    );
    applicant["profile"]["licences"][0]["number"] = json!("PHN-{role}");
    let mut managed_profile = registration("都 管理", "と かんり", "", &[])["profile"].clone();
    managed_profile["licences"][0]["number"] = json!("MGD-{role}");
    vec![
        // Public.
        cell(Method::GET, "/healthz", None, [200; 9]),
        cell(Method::GET, "/api/v1/prefectures", None, [200; 9]),
        cell(Method::GET, "/api/v1/municipalities", None, [200; 9]),
        // Sessions: a wrong password is wrong for everyone.
        cell(Method::POST, "/api/v1/sessions", Some(json!({ "login": "nobody-{role}", "password": "wrong-password-1" })), [401; 9]),
        cell(Method::DELETE, "/api/v1/sessions/current", None, [401, 204, 204, 204, 204, 204, 204, 204, 204]),
        cell(Method::DELETE, "/api/v1/sessions", None, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        cell(Method::GET, "/api/v1/me", None, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        cell(
            Method::PUT,
            "/api/v1/me/password",
            Some(json!({ "current_password": "not-my-password-1", "new_password": "Another-pass-2" })),
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        // Accounts.
        cell(Method::GET, "/api/v1/accounts", None, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        cell(
            Method::POST,
            "/api/v1/accounts",
            Some(json!({ "login": "new-{role}", "display_name": "八王子市 担当", "role": "city", "municipality_code": "132012" })),
            [401, 403, 201, 201, 201, 422, 403, 403, 403],
        ),
        cell(Method::GET, "/api/v1/accounts/{victim}", None, [401, 200, 200, 200, 200, 404, 404, 404, 404]),
        cell(Method::POST, "/api/v1/accounts/{victim}/disable", None, [401, 403, 200, 200, 200, 404, 404, 404, 404]),
        cell(Method::POST, "/api/v1/accounts/{victim}/enable", None, [401, 403, 200, 200, 200, 404, 404, 404, 404]),
        cell(
            Method::POST,
            "/api/v1/accounts/{victim}/password",
            Some(json!({ "new_password": "Reset-pass-3" })),
            [401, 403, 200, 200, 200, 404, 404, 404, 404],
        ),
        // Organisations.
        cell(Method::GET, "/api/v1/organisations", None, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        cell(
            Method::POST,
            "/api/v1/organisations",
            Some(json!({ "kind": "health_centre", "name": "南多摩保健所", "parent_id": "{tokyo_org}" })),
            [401, 403, 201, 201, 422, 422, 403, 403, 403],
        ),
        cell(Method::GET, "/api/v1/organisations/{centre}", None, [401, 200, 200, 200, 200, 404, 404, 404, 404]),
        cell(
            Method::PATCH,
            "/api/v1/organisations/{centre}",
            Some(json!({ "name": "八王子市保健所（本所）" })),
            [401, 403, 200, 200, 200, 404, 404, 404, 404],
        ),
        // Audit.
        cell(Method::GET, "/api/v1/audit", None, [401, 200, 200, 403, 403, 403, 403, 403, 403]),
        // Registration (public).
        cell(Method::GET, "/api/v1/registration-terms", None, [200; 9]),
        cell(Method::POST, "/api/v1/registrations", Some(applicant), [201; 9]),
        cell(
            Method::POST,
            "/api/v1/registrations/claim",
            Some(json!({ "token": "ouen_not-a-token", "email": "claim-{role}@example.jp", "password": PASSWORD, "terms_version": "2026-04" })),
            [422; 9],
        ),
        // The roster. {subject} is approved by 東京都 only; {managed} is 東京都's own professional.
        cell(Method::GET, "/api/v1/members", None, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        cell(
            Method::POST,
            "/api/v1/members",
            Some(json!({ "profile": managed_profile, "prefecture_code": "13" })),
            [401, 403, 201, 201, 403, 422, 403, 403, 403],
        ),
        cell(Method::GET, "/api/v1/members/export", None, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        cell(Method::POST, "/api/v1/members/import", None, [401, 403, 422, 422, 403, 422, 403, 403, 403]),
        cell(Method::GET, "/api/v1/members/{subject}", None, [401, 200, 200, 200, 200, 404, 404, 404, 404]),
        cell(
            Method::PATCH,
            "/api/v1/members/{subject}",
            Some(json!({ "notes": "電話連絡は平日午後" })),
            [401, 403, 200, 200, 403, 404, 404, 404, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/members/{subject}/memberships/13",
            Some(json!({ "decision": "confirm_recheck" })),
            [401, 403, 409, 409, 403, 404, 404, 404, 404],
        ),
        cell(Method::POST, "/api/v1/members/{managed}/invitation", None, [401, 403, 201, 201, 403, 404, 404, 404, 404]),
        // A member's own record.
        cell(Method::GET, "/api/v1/me/member", None, [401, 404, 404, 404, 404, 404, 404, 404, 200]),
        cell(
            Method::PUT,
            "/api/v1/me/member",
            Some(json!({ "profile": registration("会員 本人", "かいいん ほんにん", "member@example.jp", &[])["profile"] })),
            [401, 404, 404, 404, 404, 404, 404, 404, 200],
        ),
        cell(
            Method::PUT,
            "/api/v1/me/member/offers/14",
            Some(json!({ "availability": [{ "from": "2026-04-01", "to": "2026-09-30", "ways": ["remote"] }] })),
            [401, 404, 404, 404, 404, 404, 404, 404, 200],
        ),
        cell(
            Method::POST,
            "/api/v1/me/member/withdrawal",
            Some(json!({ "prefecture_code": "47" })),
            [401, 404, 404, 404, 404, 404, 404, 404, 422],
        ),
        cell(Method::GET, "/api/openapi.json", None, [200; 9]),
    ]
    .into_iter()
    .map(|mut c| {
        c.path = Box::leak(
            c.path
                .replace("{victim}", &victim.to_string())
                .replace("{centre}", &centre.to_string())
                .replace("{subject}", &f.subject.to_string())
                .replace("{managed}", &f.managed.to_string())
                .into_boxed_str(),
        );
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

/// The described route template a concrete path belongs to: same number of segments, every
/// literal segment equal, and the most literal segments when several fit (so
/// `/members/export` is not taken for `/members/{id}`).
fn template<'a>(templates: &'a BTreeSet<String>, method: &Method, path: &str) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    templates
        .iter()
        .filter_map(|t| {
            let (m, template) = t.split_once(' ')?;
            if m != method.as_str() {
                return None;
            }
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
            Some((literal, t.as_str()))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, t)| t)
}

#[tokio::test]
async fn every_route_answers_every_role_as_expected() {
    let server =
        TestServer::start_with(|c| c.roster.registrations_per_address_per_hour = 1000).await;
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
    let tokyo = server.login("tokyo", PASSWORD).await;
    let subject = server
        .register(registration(
            "対象 花子",
            "たいしょう はなこ",
            "subject@example.jp",
            &["13"],
        ))
        .await;
    assert_eq!(subject.status, StatusCode::CREATED, "{:?}", subject.body);
    let subject = subject.body["member_id"].as_i64().unwrap();
    let approved = server
        .post(
            &format!("/api/v1/members/{subject}/memberships/13"),
            &tokyo,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let managed = server
        .post(
            "/api/v1/members",
            &tokyo,
            json!({ "profile": registration("都 職員", "と しょくいん", "", &[])["profile"] }),
        )
        .await;
    assert_eq!(managed.status, StatusCode::CREATED, "{:?}", managed.body);
    let member = server
        .register(registration(
            "会員 本人",
            "かいいん ほんにん",
            "member@example.jp",
            &["27"],
        ))
        .await;
    assert_eq!(member.status, StatusCode::CREATED, "{:?}", member.body);
    let fixture = Fixture {
        victim,
        centre: centre.body["id"].as_i64().unwrap(),
        tokyo_org: server.prefecture_org(&admin, "13").await,
        subject,
        managed: managed.body["id"].as_i64().unwrap(),
    };
    let logins: BTreeMap<&str, &str> = [
        ("national", "mhlw"),
        ("admin", "jimukyoku"),
        ("tokyo", "tokyo"),
        ("hachioji", "hachioji"),
        ("osaka", "osaka"),
        ("institution", "hospital"),
        ("partner", "bureau"),
        ("member", "member@example.jp"),
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
    let mut covered = BTreeSet::new();
    let mut stale = Vec::new();
    for c in cells.iter().filter(|c| c.path != "/api/openapi.json") {
        match template(&described, &c.method, c.path) {
            Some(t) => {
                covered.insert(t.to_string());
            }
            None => stale.push(format!("{} {}", c.method, c.path)),
        }
    }
    let missing: Vec<_> = described.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a matrix entry: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix entries for routes that do not exist: {stale:?}"
    );
}
