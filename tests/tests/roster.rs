//! The roster as its users meet it: an applicant applies to two prefectures, one approves and
//! one rejects; the approving prefecture finds the member by half-width kana; a city of that
//! prefecture sees it without private fields; a city of another prefecture cannot find it by
//! any route.

use ouen_shared::RegistrationCode;
use ouen_tests::{registration, TestServer, PASSWORD};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

struct Cast {
    server: TestServer,
    admin: String,
    tokyo: String,
    osaka: String,
    hachioji: String,
    sakai: String,
}

async fn cast() -> Cast {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(&admin, json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }))
        .await;
    let (_, osaka) = server
        .issue(&admin, json!({ "login": "osaka", "display_name": "大阪府 担当", "role": "prefecture", "prefecture_code": "27" }))
        .await;
    let (_, hachioji) = server
        .issue(&tokyo, json!({ "login": "hachioji", "display_name": "八王子市 担当", "role": "city", "municipality_code": "132012" }))
        .await;
    let (_, sakai) = server
        .issue(&osaka, json!({ "login": "sakai", "display_name": "堺市 担当", "role": "city", "municipality_code": "271403" }))
        .await;
    Cast {
        server,
        admin,
        tokyo,
        osaka,
        hachioji,
        sakai,
    }
}

fn statuses(member: &Value) -> Vec<(String, String)> {
    member["memberships"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    (
                        m["prefecture_code"].as_str().unwrap_or("").to_string(),
                        m["status"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn apply_to_two_prefectures_approve_reject_and_scope() {
    let Cast {
        server,
        admin,
        tokyo,
        osaka,
        hachioji,
        sakai,
    } = cast().await;

    // An applicant applies to 東京都 and 大阪府.
    let answer = server
        .register(registration(
            "鈴木 花子",
            "すずき はなこ",
            "hanako.suzuki@example.jp",
            &["13", "27"],
        ))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    let id = answer.body["member_id"].as_i64().unwrap();
    assert_eq!(answer.body["login"], "hanako.suzuki@example.jp");

    // Both prefectures see it in their vetting queue, each only with its own membership.
    for (token, code) in [(&tokyo, "13"), (&osaka, "27")] {
        let queue = server.get("/api/v1/members?status=applied", token).await;
        assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
        assert_eq!(queue.body["total"], 1);
        assert_eq!(queue.body["items"][0]["id"], id);
        assert_eq!(
            queue.body["items"][0]["birth_year"], 1982,
            "to tell namesakes apart"
        );
        let detail = server.get(&format!("/api/v1/members/{id}"), token).await;
        assert_eq!(
            statuses(&detail.body),
            vec![(code.to_string(), "applied".to_string())]
        );
        assert_eq!(detail.body["birth_date"], "1982-06-15");
    }

    // 東京都 approves: a registration code with a valid check digit is issued.
    let approved = server
        .post(
            &format!("/api/v1/members/{id}/memberships/13"),
            &tokyo,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let shown = approved.body["issued_registration_code"]
        .as_str()
        .expect("a code")
        .to_string();
    let code = RegistrationCode::parse(&shown).expect("check digit holds");
    assert_eq!(code.display(), shown);
    assert_eq!(approved.body["member"]["registration_code"], shown.as_str());

    // 大阪府 rejects; a reason is required.
    let no_reason = server
        .post(
            &format!("/api/v1/members/{id}/memberships/27"),
            &osaka,
            json!({ "decision": "reject" }),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.fields(), vec!["reason"]);
    let rejected = server
        .post(
            &format!("/api/v1/members/{id}/memberships/27"),
            &osaka,
            json!({ "decision": "reject", "reason": "府内での活動実績の確認が取れないため" }),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{:?}", rejected.body);
    assert_eq!(rejected.body["issued_registration_code"], Value::Null);
    let history = &rejected.body["member"]["memberships"][0]["history"];
    assert_eq!(history.as_array().map(Vec::len), Some(2), "{history}");
    assert_eq!(history[1]["status"], "rejected");
    assert_eq!(history[1]["actor_login"], "osaka");
    // Deciding again from the wrong state is a conflict, and 大阪府 cannot decide for 東京都.
    let again = server
        .post(
            &format!("/api/v1/members/{id}/memberships/27"),
            &osaka,
            json!({ "decision": "reject", "reason": "x" }),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let foreign = server
        .post(
            &format!("/api/v1/members/{id}/memberships/13"),
            &osaka,
            json!({ "decision": "suspend", "reason": "x" }),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    // 東京都 finds the member by half-width kana, by hiragana, by katakana and by its code.
    for q in ["ｽｽﾞｷ", "すずき はなこ", "スズキ", &shown, "鈴木花子"] {
        let found = server
            .get(&format!("/api/v1/members?q={}", urlencode(q)), &tokyo)
            .await;
        assert_eq!(found.status, StatusCode::OK, "{q}: {:?}", found.body);
        assert_eq!(found.body["total"], 1, "{q}: {:?}", found.body);
        assert_eq!(found.body["items"][0]["name"], "鈴木 花子");
    }

    // 八王子市 (東京都) sees the approved member without date of birth and street.
    let list = server
        .get(
            "/api/v1/members?q=%EF%BD%BD%EF%BD%BD%EF%BE%9E%EF%BD%B7",
            &hachioji,
        )
        .await;
    assert_eq!(list.body["total"], 1, "{:?}", list.body);
    assert_eq!(
        list.body["items"][0]["birth_year"],
        Value::Null,
        "not even the year"
    );
    let seen = server
        .get(&format!("/api/v1/members/{id}"), &hachioji)
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.body["birth_date"], Value::Null);
    assert_eq!(seen.body["street"], Value::Null);
    assert_eq!(seen.body["private_hidden"], true);
    assert_eq!(seen.body["phone"], "03-1234-5678");
    assert_eq!(
        statuses(&seen.body),
        vec![("13".to_string(), "approved".to_string())]
    );
    let csv = server
        .send_bytes(
            Method::GET,
            "/api/v1/members/export",
            &hachioji,
            "text/plain",
            Vec::new(),
        )
        .await;
    let text = String::from_utf8(csv.2).unwrap();
    assert!(
        text.contains("鈴木 花子") && !text.contains("1982-06-15") && !text.contains("千代田1-1-1"),
        "{text}"
    );
    // A city cannot decide.
    let city_decides = server
        .post(
            &format!("/api/v1/members/{id}/memberships/13"),
            &hachioji,
            json!({ "decision": "suspend", "reason": "x" }),
        )
        .await;
    assert_eq!(city_decides.status, StatusCode::FORBIDDEN);

    // 堺市 (大阪府, which rejected) cannot find it by any route.
    for path in [
        "/api/v1/members".to_string(),
        "/api/v1/members?q=%E3%81%99%E3%81%9A%E3%81%8D".to_string(),
        format!("/api/v1/members?q={}", code.digits()),
        "/api/v1/members?status=rejected".to_string(),
        "/api/v1/members?prefecture=13".to_string(),
    ] {
        let answer = server.get(&path, &sakai).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.body["total"], 0, "{path}: {:?}", answer.body);
        assert_eq!(answer.body["items"], json!([]));
    }
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/members/{id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/members/{id}"),
            Some(json!({ "notes": "x" })),
        ),
        (
            Method::POST,
            format!("/api/v1/members/{id}/memberships/27"),
            Some(json!({ "decision": "approve" })),
        ),
        (
            Method::POST,
            format!("/api/v1/members/{id}/memberships/13"),
            Some(json!({ "decision": "approve" })),
        ),
        (
            Method::POST,
            format!("/api/v1/members/{id}/invitation"),
            None,
        ),
    ] {
        let answer = server.call(method.clone(), &path, Some(&sakai), body).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {:?}",
            answer.body
        );
        assert!(
            !answer.body.to_string().contains("鈴木"),
            "{:?}",
            answer.body
        );
    }
    let export = server
        .send_bytes(
            Method::GET,
            "/api/v1/members/export",
            &sakai,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(export.0, StatusCode::OK);
    let text = String::from_utf8(export.2).unwrap();
    assert_eq!(text.lines().count(), 1, "only the header: {text}");

    // The member sees itself with both memberships, and nobody else.
    let member = server.login("hanako.suzuki@example.jp", PASSWORD).await;
    let own = server.get("/api/v1/me/member", &member).await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    assert_eq!(
        statuses(&own.body),
        vec![
            ("13".to_string(), "approved".to_string()),
            ("27".to_string(), "rejected".to_string())
        ]
    );
    let listed = server.get("/api/v1/members", &member).await;
    assert_eq!(listed.body["total"], 1);
    let accounts = server.get("/api/v1/accounts", &member).await;
    assert_eq!(
        accounts.body["total"], 1,
        "a member sees only its own account"
    );

    // The admin sees everything; each read of a record is in the audit log.
    let all = server.get(&format!("/api/v1/members/{id}"), &admin).await;
    assert_eq!(statuses(&all.body).len(), 2);
    let reads = server.audit(&admin, "member.read").await;
    assert!(reads.iter().any(|e| e["actor_login"] == "hachioji"
        && e["target_id"].as_str() == Some(id.to_string().as_str())));
    let decisions = server.audit(&admin, "membership.decide").await;
    assert_eq!(decisions.len(), 2);
}

#[tokio::test]
async fn profile_changes_ask_for_recheck_and_withdrawal_anonymises_later() {
    let Cast {
        server,
        admin,
        tokyo,
        ..
    } = cast().await;
    let answer = server
        .register(registration(
            "髙橋 一郎",
            "たかはし いちろう",
            "ichiro@example.jp",
            &["13", "14"],
        ))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    let id = answer.body["member_id"].as_i64().unwrap();
    let approved = server
        .post(
            &format!("/api/v1/members/{id}/memberships/13"),
            &tokyo,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK);
    // 高橋 finds 髙橋.
    let found = server
        .get("/api/v1/members?q=%E9%AB%98%E6%A9%8B", &tokyo)
        .await;
    assert_eq!(found.body["total"], 1);

    // The member changes its licence number: 東京都 sees a re-check flag.
    let member = server.login("ichiro@example.jp", PASSWORD).await;
    let mut profile =
        registration("髙橋 一郎", "たかはし いちろう", "ichiro@example.jp", &[])["profile"].clone();
    profile["licences"][0]["number"] = json!("PHN-999999");
    // A phone typed in full width with an input method is stored in ASCII.
    profile["phone"] = json!("０９０ー１１１１ー２２２２");
    let updated = server
        .call(
            Method::PUT,
            "/api/v1/me/member",
            Some(&member),
            Some(json!({ "profile": profile })),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["phone"], "090-1111-2222");
    let recheck = server.get("/api/v1/members?recheck=true", &tokyo).await;
    assert_eq!(recheck.body["total"], 1);
    assert_eq!(
        recheck.body["items"][0]["memberships"][0]["recheck_needed"],
        true
    );
    let confirmed = server
        .post(
            &format!("/api/v1/members/{id}/memberships/13"),
            &tokyo,
            json!({ "decision": "confirm_recheck" }),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    assert_eq!(
        confirmed.body["member"]["memberships"][0]["recheck_needed"],
        false
    );
    assert_eq!(
        confirmed.body["member"]["memberships"][0]["status"],
        "approved"
    );

    // Bad input changes nothing and names each field.
    let mut bad = profile.clone();
    bad["name_kana"] = json!("Takahashi");
    bad["municipality_code"] = json!("271403");
    let refused = server
        .call(
            Method::PUT,
            "/api/v1/me/member",
            Some(&member),
            Some(json!({ "profile": bad })),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.fields(),
        vec!["profile.name_kana", "profile.municipality_code"]
    );

    // Withdraw from 神奈川県 only, then from the bank.
    let one = server
        .post(
            "/api/v1/me/member/withdrawal",
            &member,
            json!({ "prefecture_code": "14", "reason": "転居のため" }),
        )
        .await;
    assert_eq!(one.status, StatusCode::OK, "{:?}", one.body);
    assert_eq!(
        statuses(&one.body),
        vec![
            ("13".to_string(), "approved".to_string()),
            ("14".to_string(), "withdrawn".to_string())
        ]
    );
    assert_eq!(one.body["withdrawn_at"], Value::Null);
    let all = server
        .post("/api/v1/me/member/withdrawal", &member, json!({}))
        .await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body["withdrawn_at"].is_string());

    // Before the retention period nothing is anonymised; after it, personal data is gone,
    // the account is closed, and the audit log keeps its entries.
    let retention = chrono::Duration::days(server.config.roster.retention_days);
    let now = ouen_server::store::now();
    assert_eq!(
        server
            .store
            .anonymise_withdrawn(retention, now)
            .await
            .unwrap(),
        0
    );
    let later = now + retention + chrono::Duration::days(1);
    assert_eq!(
        server
            .store
            .anonymise_withdrawn(retention, later)
            .await
            .unwrap(),
        1
    );
    let gone = server.get(&format!("/api/v1/members/{id}"), &admin).await;
    assert_eq!(gone.body["anonymised"], true);
    assert_eq!(gone.body["name"], "（匿名化済み）");
    assert_eq!(gone.body["birth_date"], Value::Null);
    assert_eq!(gone.body["email"], "");
    assert_eq!(gone.body["licences"][0]["number"], "");
    let search = server
        .get("/api/v1/members?q=%E9%AB%98%E6%A9%8B", &admin)
        .await;
    assert_eq!(search.body["total"], 0);
    let login = server
        .call(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({ "login": "ichiro@example.jp", "password": PASSWORD })),
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
    assert!(!server.audit(&admin, "member.register").await.is_empty());
    assert_eq!(server.audit(&admin, "member.anonymise").await.len(), 1);
}

#[tokio::test]
async fn registration_is_validated_throttled_and_needs_current_terms() {
    let server = TestServer::start_with(|c| c.roster.registrations_per_address_per_hour = 3).await;
    let mut old_terms = registration("佐藤 健", "さとう けん", "ken@example.jp", &["13"]);
    old_terms["terms_version"] = json!("2020-01");
    let answer = server.register(old_terms).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.fields(), vec!["terms_version"]);

    let mut bad = registration("", "Sato", "not-an-address", &[]);
    bad["profile"]["licences"][0]["profession"] = json!("wizard");
    let answer = server.register(bad).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.fields(), vec!["profile.licences[0].profession"]);
    let mut bad = registration("", "Sato", "not-an-address", &[]);
    bad["password"] = json!("short");
    let answer = server.register(bad).await;
    assert_eq!(
        answer.fields(),
        vec![
            "profile.name",
            "profile.name_kana",
            "profile.email",
            "password",
            "offers"
        ]
    );

    let first = registration("佐藤 健", "さとう けん", "ken@example.jp", &["13"]);
    let ok = server.register(first.clone()).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{:?}", ok.body);
    // The same licence again is a duplicate record: refused, naming the licence.
    let mut twin = registration("佐藤 健", "さとう けん", "ken.sato@example.jp", &["13"]);
    twin["profile"]["licences"] = first["profile"]["licences"].clone();
    let answer = server.register(twin).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{:?}", answer.body);
    assert_eq!(answer.fields(), vec!["profile.licences[0].number"]);
    // Every attempt that reached the server counted: the next one is throttled.
    let third = server
        .register(registration(
            "佐藤 健二",
            "さとう けんじ",
            "kenji@example.jp",
            &["13"],
        ))
        .await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{:?}",
        third.body
    );
    assert!(third.headers.get("retry-after").is_some());

    let terms = server
        .call(Method::GET, "/api/v1/registration-terms", None, None)
        .await;
    assert_eq!(terms.body["version"], "2026-04");
}

#[tokio::test]
async fn a_prefecture_enters_its_own_professional_who_later_claims_an_account() {
    let Cast {
        server,
        tokyo,
        osaka,
        hachioji,
        ..
    } = cast().await;
    let profile = registration("山﨑 次郎", "やまざき じろう", "", &[])["profile"].clone();
    let created = server
        .post(
            "/api/v1/members",
            &tokyo,
            json!({ "profile": profile, "notes": "都の潜在保健師名簿より" }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(
        statuses(&created.body),
        vec![("13".to_string(), "approved".to_string())]
    );
    assert_eq!(created.body["memberships"][0]["managed"], true);
    assert!(RegistrationCode::parse(created.body["registration_code"].as_str().unwrap()).is_some());
    // 山崎 finds 山﨑; notes are searchable.
    for q in ["%E5%B1%B1%E5%B4%8E", "%E6%BD%9C%E5%9C%A8"] {
        let found = server
            .get(&format!("/api/v1/members?q={q}&managed=true"), &tokyo)
            .await;
        assert_eq!(found.body["total"], 1, "{q}");
    }
    // Cities and other prefectures cannot enter professionals for 東京都.
    let city = server
        .post("/api/v1/members", &hachioji, json!({ "profile": profile }))
        .await;
    assert_eq!(city.status, StatusCode::FORBIDDEN);
    let other = server
        .post(
            "/api/v1/members",
            &osaka,
            json!({ "profile": profile, "prefecture_code": "13" }),
        )
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);

    let invitation = server
        .post(
            &format!("/api/v1/members/{id}/invitation"),
            &tokyo,
            json!({}),
        )
        .await;
    assert_eq!(
        invitation.status,
        StatusCode::CREATED,
        "{:?}",
        invitation.body
    );
    let token = invitation.body["token"].as_str().unwrap();
    let claim = |t: &str| json!({ "token": t, "email": "jiro@example.jp", "password": PASSWORD, "terms_version": "2026-04" });
    let wrong = server
        .call(
            Method::POST,
            "/api/v1/registrations/claim",
            None,
            Some(claim("ouen_nope")),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.fields(), vec!["token"]);
    let claimed = server
        .call(
            Method::POST,
            "/api/v1/registrations/claim",
            None,
            Some(claim(token)),
        )
        .await;
    assert_eq!(claimed.status, StatusCode::CREATED, "{:?}", claimed.body);
    let member = server.login("jiro@example.jp", PASSWORD).await;
    let own = server.get("/api/v1/me/member", &member).await;
    assert_eq!(own.body["id"], id);
    assert_eq!(own.body["login"], "jiro@example.jp");
    let reused = server
        .call(
            Method::POST,
            "/api/v1/registrations/claim",
            None,
            Some(claim(token)),
        )
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
