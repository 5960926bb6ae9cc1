//! The route × role matrix: every route the server describes, called as every kind of caller,
//! with the status each must answer. The fixture and the cells live here so that other tests
//! can send the same requests (`scope_matrix` checks the statuses; `erasure` searches the
//! answers for a person's erased values; hostile inputs can go through every route).
//!
//! ```ignore
//! let server = TestServer::start_with(matrix::configure).await;
//! let fixture = matrix::set_up(&server).await;
//! for cell in matrix::cells(&fixture) {
//!     for (i, role) in matrix::ROLES.iter().enumerate() {
//!         let token = matrix::token(&server, role).await;
//!         let answer = matrix::send(&server, &cell, role, token.as_deref(), &fixture).await;
//!         assert_eq!(answer.status.as_u16(), cell.expect[i]);
//!     }
//! }
//! ```

use crate::{registration, TestServer, PASSWORD};
use ouen_server::Config;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The callers, in the order of [`Cell::expect`].
pub const ROLES: [&str; 9] = [
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

/// The login of each role's account ([`PASSWORD`] for all); the anonymous caller has none.
pub fn login_of(role: &str) -> Option<&'static str> {
    Some(match role {
        "national" => "mhlw",
        "admin" => "jimukyoku",
        "tokyo" => "tokyo",
        "hachioji" => "hachioji",
        "osaka" => "osaka",
        "institution" => "hospital",
        "partner" => "bureau",
        "member" => "member@example.jp",
        _ => return None,
    })
}

/// A fresh session for `role` (`None` for the anonymous caller). Cells end sessions and
/// reset passwords, so a caller logs in again for each cell.
pub async fn token(server: &TestServer, role: &str) -> Option<String> {
    match login_of(role) {
        Some(login) => Some(server.login(login, PASSWORD).await),
        None => None,
    }
}

/// One session per role, kept across cells: faster than [`token`] for tests that do not check
/// statuses. A session is dropped (and the role logs in again) after a cell that may end it.
#[derive(Debug, Default)]
pub struct Sessions {
    tokens: std::collections::HashMap<&'static str, String>,
}

impl Sessions {
    /// The role's session, logging in when it has none (`None` for the anonymous caller).
    pub async fn token(&mut self, server: &TestServer, role: &str) -> Option<String> {
        let login = login_of(role)?;
        if let Some(token) = self.tokens.get(login) {
            return Some(token.clone());
        }
        let token = server.login(login, PASSWORD).await;
        self.tokens.insert(login, token.clone());
        Some(token)
    }

    /// Forgets the role's session if `cell` may have ended it (logging out, revoking, or
    /// changing the password).
    pub fn after(&mut self, cell: &Cell, role: &str) {
        let ends = (cell.method == Method::DELETE && cell.path.starts_with("/api/v1/sessions"))
            || cell.path == "/api/v1/me/password";
        if let (true, Some(login)) = (ends, login_of(role)) {
            self.tokens.remove(login);
        }
    }
}

/// The settings the matrix needs: every role registers an applicant from one address.
pub fn configure(config: &mut Config) {
    config.roster.registrations_per_address_per_hour = 1000;
}

/// Ids the cells refer to, created by [`set_up`].
#[derive(Debug, Clone)]
pub struct Fixture {
    /// A session of the admin account (`jimukyoku`), for setting up; cells that end sessions
    /// end it too.
    pub admin: String,
    /// A second 八王子市 account, the target of account management routes.
    pub victim: i64,
    /// 八王子市保健所, under the 八王子市 organisation.
    pub centre: i64,
    /// The 東京都 organisation.
    pub tokyo_org: i64,
    /// A member approved by 東京都 (and by nobody else).
    pub subject: i64,
    /// A professional 東京都 entered itself.
    pub managed: i64,
    /// The message in `subject`'s inbox telling it of 東京都's approval: nobody else's.
    pub message: i64,
    /// The e-mail telling `subject` of 東京都's approval (queued: the in-process server has no
    /// mail worker), in 東京都's and the admin's outbox view only.
    pub mail: i64,
    /// A dispatch request of 東京都 to 八王子市保健所, sent to its roster (`subject`, `managed`).
    pub request: i64,
    /// A training of 東京都's own, published; and another still a draft.
    pub training: i64,
    pub draft_training: i64,
    /// `subject`'s application to `training`.
    pub application: i64,
}

/// A dispatch request to health centre `centre` (`"{centre}"` in a cell's body), far ahead.
/// A training of the caller's own, for nurses, far ahead.
pub fn training_draft() -> Value {
    json!({
        "title": "感染症対応研修",
        "target_professions": ["nurse", "public_health_nurse"],
        "delivery": "online_live",
        "sessions": [{ "starts_at": "2099-01-20T10:00:00+09:00", "ends_at": "2099-01-20T12:00:00+09:00", "url": "https://meet.example.jp/iheat" }],
        "capacity": 30,
        "applications_open": "2026-12-01T09:00:00+09:00",
        "applications_close": "2099-01-10T17:00:00+09:00",
        "completion": "all_sessions",
        "certificate_scheme": "R8-{seq:4}",
        "honorarium": "none",
    })
}

pub fn dispatch_draft() -> Value {
    json!({
        "title": "積極的疫学調査の応援",
        "health_centre_id": "{centre}",
        "duties": ["active_investigation", "phone_consultation"],
        "answer_deadline": "2099-01-01T09:00:00+09:00",
        "notes": "",
        "series": [{ "from": "2099-01-05", "to": "2099-01-06", "start": "09:00", "end": "17:00", "needed": 2, "professions": ["public_health_nurse"] }],
    })
}

/// One route called with one request; `path` has the fixture's ids filled in, `body` may hold
/// `{role}` and `"{tokyo_org}"`, filled in per caller by [`Cell::body_for`].
#[derive(Debug, Clone)]
pub struct Cell {
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
    /// Expected statuses for [`ROLES`], in order.
    pub expect: [u16; 9],
}

impl Cell {
    /// The body as `role` sends it: `{role}` replaced (so each caller registers a person of its
    /// own) and `"{tokyo_org}"` replaced by the organisation id.
    pub fn body_for(&self, role: &str, f: &Fixture) -> Option<Value> {
        self.body.as_ref().map(|body| {
            let text = body
                .to_string()
                .replace("{role}", role)
                .replace("\"{tokyo_org}\"", &f.tokyo_org.to_string())
                .replace("\"{centre}\"", &f.centre.to_string())
                .replace("\"{application}\"", &f.application.to_string());
            serde_json::from_str(&text).expect("body")
        })
    }
}

/// Creates the accounts, organisations and members the cells refer to, on a server started
/// with [`configure`]: one account per role (see [`login_of`]), a second city account, a
/// hospital, a labour bureau, a health centre, a member approved by 東京都, a professional
/// 東京都 manages, and a member applying to 大阪府.
pub async fn set_up(server: &TestServer) -> Fixture {
    let admin = server.admin("jimukyoku").await;
    let issue = |body: Value| {
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
    let subject_login = subject.body["login"].as_str().expect("login").to_string();
    let subject = subject.body["member_id"].as_i64().expect("member id");
    let approved = server
        .post(
            &format!("/api/v1/members/{subject}/memberships/13"),
            &tokyo,
            json!({ "decision": "approve" }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
    let own = server.login(&subject_login, PASSWORD).await;
    let inbox = server.get("/api/v1/inbox", &own).await;
    assert_eq!(inbox.status, StatusCode::OK, "{:?}", inbox.body);
    let message = inbox.body["items"][0]["id"].as_i64().expect("message id");
    let (mails, _) = server.store.mail_of_member(subject).await.expect("outbox");
    let mail = mails.first().expect("the approval e-mail").id;
    let managed = server
        .post(
            "/api/v1/members",
            &tokyo,
            json!({ "profile": registration("都 職員", "と しょくいん", "", &[])["profile"] }),
        )
        .await;
    assert_eq!(managed.status, StatusCode::CREATED, "{:?}", managed.body);
    let body = dispatch_draft()
        .to_string()
        .replace("\"{centre}\"", &centre.body["id"].to_string());
    let body: Value = serde_json::from_str(&body).expect("draft");
    let request = server.post("/api/v1/dispatch-requests", &tokyo, body).await;
    assert_eq!(request.status, StatusCode::CREATED, "{:?}", request.body);
    let request = request.body["id"].as_i64().expect("request id");
    let sent = server
        .post(
            &format!("/api/v1/dispatch-requests/{request}/send"),
            &tokyo,
            json!({ "filter": {} }),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    assert_eq!(sent.body["asked_now"], 2, "{:?}", sent.body);
    let training = server
        .post("/api/v1/trainings", &tokyo, training_draft())
        .await;
    assert_eq!(training.status, StatusCode::CREATED, "{:?}", training.body);
    let training = training.body["id"].as_i64().expect("training id");
    let published = server
        .post(
            &format!("/api/v1/trainings/{training}/publish"),
            &tokyo,
            json!(null),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    let draft_training = server
        .post("/api/v1/trainings", &tokyo, training_draft())
        .await;
    assert_eq!(draft_training.status, StatusCode::CREATED);
    let draft_training = draft_training.body["id"].as_i64().expect("training id");
    let applied = server
        .post(
            &format!("/api/v1/me/trainings/{training}/apply"),
            &own,
            json!(null),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{:?}", applied.body);
    let application = applied.body["application"]["id"]
        .as_i64()
        .expect("application id");
    let member = server
        .register(registration(
            "会員 本人",
            "かいいん ほんにん",
            "member@example.jp",
            &["27"],
        ))
        .await;
    assert_eq!(member.status, StatusCode::CREATED, "{:?}", member.body);
    Fixture {
        victim,
        centre: centre.body["id"].as_i64().expect("centre id"),
        tokyo_org: server.prefecture_org(&admin, "13").await,
        subject,
        managed: managed.body["id"].as_i64().expect("managed id"),
        message,
        mail,
        admin,
        request,
        training,
        draft_training,
        application,
    }
}

/// Every cell: each described route at least once, with the status each role must answer.
pub fn cells(f: &Fixture) -> Vec<Cell> {
    let cell = |method: Method, path: &str, body: Option<Value>, expect: [u16; 9]| Cell {
        method,
        path: path
            .replace("{victim}", &f.victim.to_string())
            .replace("{centre}", &f.centre.to_string())
            .replace("{subject}", &f.subject.to_string())
            .replace("{managed}", &f.managed.to_string())
            .replace("{message}", &f.message.to_string())
            .replace("{mail}", &f.mail.to_string())
            .replace("{request}", &f.request.to_string())
            .replace("{draft_training}", &f.draft_training.to_string())
            .replace("{application}", &f.application.to_string())
            .replace("{training}", &f.training.to_string()),
        body,
        expect,
    };
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
        cell(
            Method::POST,
            "/api/v1/sessions",
            Some(json!({ "login": "nobody-{role}", "password": "wrong-password-1" })),
            [401; 9],
        ),
        cell(
            Method::DELETE,
            "/api/v1/sessions/current",
            None,
            [401, 204, 204, 204, 204, 204, 204, 204, 204],
        ),
        cell(
            Method::DELETE,
            "/api/v1/sessions",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::GET,
            "/api/v1/me",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::PUT,
            "/api/v1/me/password",
            Some(
                json!({ "current_password": "not-my-password-1", "new_password": "Another-pass-2" }),
            ),
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        // Accounts.
        cell(
            Method::GET,
            "/api/v1/accounts",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::POST,
            "/api/v1/accounts",
            Some(
                json!({ "login": "new-{role}", "display_name": "八王子市 担当", "role": "city", "municipality_code": "132012" }),
            ),
            [401, 403, 201, 201, 201, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/accounts/{victim}",
            None,
            [401, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/accounts/{victim}/disable",
            None,
            [401, 403, 200, 200, 200, 404, 404, 404, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/accounts/{victim}/enable",
            None,
            [401, 403, 200, 200, 200, 404, 404, 404, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/accounts/{victim}/password",
            Some(json!({ "new_password": "Reset-pass-3" })),
            [401, 403, 200, 200, 200, 404, 404, 404, 404],
        ),
        // Organisations.
        cell(
            Method::GET,
            "/api/v1/organisations",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::POST,
            "/api/v1/organisations",
            Some(
                json!({ "kind": "health_centre", "name": "南多摩保健所", "parent_id": "{tokyo_org}" }),
            ),
            [401, 403, 201, 201, 422, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/organisations/{centre}",
            None,
            [401, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
        cell(
            Method::PATCH,
            "/api/v1/organisations/{centre}",
            Some(json!({ "name": "八王子市保健所（本所）" })),
            [401, 403, 200, 200, 200, 404, 404, 404, 404],
        ),
        // Audit.
        cell(
            Method::GET,
            "/api/v1/audit",
            None,
            [401, 200, 200, 403, 403, 403, 403, 403, 403],
        ),
        // Registration (public).
        cell(Method::GET, "/api/v1/registration-terms", None, [200; 9]),
        cell(
            Method::POST,
            "/api/v1/registrations",
            Some(applicant),
            [201; 9],
        ),
        cell(
            Method::POST,
            "/api/v1/registrations/claim",
            Some(
                json!({ "token": "ouen_not-a-token", "email": "claim-{role}@example.jp", "password": PASSWORD, "terms_version": "2026-04" }),
            ),
            [422; 9],
        ),
        // The roster. {subject} is approved by 東京都 only; {managed} is 東京都's own professional.
        cell(
            Method::GET,
            "/api/v1/members",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::POST,
            "/api/v1/members",
            Some(json!({ "profile": managed_profile, "prefecture_code": "13" })),
            [401, 403, 201, 201, 403, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/members/export",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::POST,
            "/api/v1/members/import",
            None,
            [401, 403, 422, 422, 403, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/members/{subject}",
            None,
            [401, 200, 200, 200, 200, 404, 404, 404, 404],
        ),
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
        cell(
            Method::POST,
            "/api/v1/members/{managed}/invitation",
            None,
            [401, 403, 201, 201, 403, 404, 404, 404, 404],
        ),
        // A member's own record.
        cell(
            Method::GET,
            "/api/v1/me/member",
            None,
            [401, 404, 404, 404, 404, 404, 404, 404, 200],
        ),
        cell(
            Method::PUT,
            "/api/v1/me/member",
            Some(
                json!({ "profile": registration("会員 本人", "かいいん ほんにん", "member@example.jp", &[])["profile"] }),
            ),
            [401, 404, 404, 404, 404, 404, 404, 404, 200],
        ),
        cell(
            Method::PUT,
            "/api/v1/me/member/offers/14",
            Some(
                json!({ "availability": [{ "from": "2026-04-01", "to": "2026-09-30", "ways": ["remote"] }] }),
            ),
            [401, 404, 404, 404, 404, 404, 404, 404, 200],
        ),
        cell(
            Method::POST,
            "/api/v1/me/member/withdrawal",
            Some(json!({ "prefecture_code": "47" })),
            [401, 404, 404, 404, 404, 404, 404, 404, 422],
        ),
        cell(
            Method::PUT,
            "/api/v1/me/member/mail-preferences",
            Some(json!({ "mail_opt_out": true })),
            [401, 404, 404, 404, 404, 404, 404, 404, 200],
        ),
        // The inbox: every account has its own; {message} is another account's.
        cell(
            Method::GET,
            "/api/v1/inbox",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::GET,
            "/api/v1/inbox?kind=telegram&unread=true",
            None,
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        cell(
            Method::GET,
            "/api/v1/inbox/unread",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::POST,
            "/api/v1/inbox/{message}/read",
            None,
            [401, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/inbox/9223372036854775807/read",
            None,
            [401, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/inbox/read-all?kind=registration_result",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // The outbox: the admin's every message, a prefecture's those it caused ({mail}
        // is 東京都's, and still queued); nobody else's.
        cell(
            Method::GET,
            "/api/v1/outbox",
            None,
            [401, 403, 200, 200, 403, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/outbox?status=lost&kind=telegram",
            None,
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        cell(
            Method::GET,
            "/api/v1/outbox?status=queued&kind=registration_result&per_page=5",
            None,
            [401, 403, 200, 200, 403, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/outbox/counts",
            None,
            [401, 403, 200, 200, 403, 200, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/outbox/{mail}/retry",
            None,
            [401, 403, 409, 409, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/outbox/9223372036854775807/retry",
            None,
            [401, 403, 404, 404, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/outbox/abc/retry",
            None,
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        // The live-update stream: every signed-in caller has one, of its own scope.
        cell(
            Method::GET,
            "/api/v1/events",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        cell(
            Method::GET,
            "/api/v1/events?last_event_id=abc",
            None,
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        // Bulk mail: prefectures for their roster, admin and national for everyone. A filter
        // naming 東京都 reaches {subject} for 東京都 and everyone, nobody in 大阪府's scope (422).
        cell(
            Method::POST,
            "/api/v1/bulk-mails/preview",
            Some(
                json!({ "filter": { "prefecture": "13" }, "subject": "研修のご案内", "body": "本文" }),
            ),
            [401, 200, 200, 200, 403, 200, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/bulk-mails",
            Some(
                json!({ "idempotency_key": "matrix-send-{role}-0001", "filter": { "prefecture": "13" }, "subject": "研修のご案内", "body": "本文" }),
            ),
            [401, 200, 200, 200, 403, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/bulk-mails",
            None,
            [401, 200, 200, 200, 403, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/bulk-mails/9223372036854775807",
            None,
            [401, 404, 404, 404, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/bulk-mails/abc",
            None,
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        // The newsletter: each organisation's own issues.
        cell(
            Method::GET,
            "/api/v1/newsletter/issues",
            None,
            [401, 200, 200, 200, 403, 200, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/newsletter/issues",
            Some(json!({ "subject": "ouen通信 第1号", "body": "本文" })),
            [401, 200, 200, 200, 403, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/newsletter/issues/9223372036854775807",
            None,
            [401, 404, 404, 404, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::PUT,
            "/api/v1/newsletter/issues/9223372036854775807",
            Some(json!({ "subject": "件名", "body": "本文" })),
            [401, 404, 404, 404, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/newsletter/issues/9223372036854775807/preview",
            None,
            [401, 404, 404, 404, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/newsletter/issues/9223372036854775807/send",
            None,
            [401, 404, 404, 404, 403, 404, 403, 403, 403],
        ),
        // Trainings: the admin organises national ones, prefectures their own; the ministry
        // and cities read (a city those of its prefecture once published); nobody else any.
        cell(
            Method::GET,
            "/api/v1/trainings",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/trainings?status=nonsense",
            None,
            // A query that cannot be read is refused before the role is looked at.
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        cell(
            Method::POST,
            "/api/v1/trainings",
            Some(training_draft()),
            [401, 403, 201, 201, 403, 201, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/trainings/{training}",
            None,
            [401, 200, 200, 200, 200, 404, 403, 403, 403],
        ),
        cell(
            Method::PUT,
            "/api/v1/trainings/{training}",
            Some(training_draft()),
            [401, 403, 403, 200, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/trainings/{training}/notify",
            None,
            [401, 403, 403, 200, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/trainings/{draft_training}/publish",
            None,
            [401, 403, 403, 200, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/trainings/9223372036854775807/cancel",
            Some(json!({ "reason": "会場の都合" })),
            [401, 403, 404, 404, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/trainings/{training}/applications",
            None,
            [401, 200, 200, 200, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/trainings/{training}/applications/{application}/decide",
            Some(json!({ "decision": "waitlist" })),
            [401, 403, 403, 200, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/me/trainings",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        // The member of the matrix applies to 大阪府 only: 東京都's training is not its to see.
        cell(
            Method::POST,
            "/api/v1/me/trainings/{training}/apply",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/me/trainings/{training}/withdraw",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
        // A published training is not yet held: its organiser is told so (nothing changes).
        cell(
            Method::POST,
            "/api/v1/trainings/{training}/status",
            Some(json!({ "status": "completed" })),
            [401, 403, 403, 409, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/trainings/{training}/attendance",
            Some(
                json!({ "session_id": 1, "application_ids": ["{application}"], "attended": true }),
            ),
            [401, 403, 403, 409, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/trainings/{training}/completions",
            Some(json!({ "application_ids": ["{application}"] })),
            [401, 403, 403, 409, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/trainings/{training}/payments",
            None,
            [401, 200, 200, 200, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/trainings/{training}/payments",
            None,
            [401, 403, 403, 409, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::PUT,
            "/api/v1/trainings/{training}/payments/9223372036854775807",
            Some(json!({ "status": "waived", "note": "辞退" })),
            [401, 403, 403, 404, 403, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/training-payments/export?month=2026-11&encoding=cp932",
            None,
            [401, 200, 200, 200, 403, 200, 403, 403, 403],
        ),
        // Dispatch: prefectures and cities plan their own requests, national and admin read
        // every one, nobody else any; a member reads and answers only what it was asked.
        cell(
            Method::GET,
            "/api/v1/dispatch-requests",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/dispatch-requests?status=nonsense",
            None,
            [401, 422, 422, 422, 422, 422, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests",
            Some(dispatch_draft()),
            [401, 403, 403, 201, 201, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/dispatch-requests/{request}",
            None,
            [401, 200, 200, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::PUT,
            "/api/v1/dispatch-requests/{request}",
            Some(dispatch_draft()),
            [401, 403, 403, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests/{request}/targets",
            Some(json!({ "filter": { "profession": "public_health_nurse" } })),
            [401, 403, 403, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests/{request}/send",
            Some(json!({ "filter": {} })),
            [401, 403, 403, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/dispatch-requests/{request}/asks",
            None,
            [401, 200, 200, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests/{request}/reminders",
            Some(json!({ "round": 1 })),
            [401, 403, 403, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests/9223372036854775807/cancel",
            Some(json!({ "reason": "収束のため" })),
            [401, 403, 403, 404, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/me/dispatch-requests",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        cell(
            Method::GET,
            "/api/v1/me/dispatch-requests/{request}",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
        cell(
            Method::PUT,
            "/api/v1/me/dispatch-requests/{request}/answer",
            Some(json!({ "slots": [{ "slot_id": 1, "available": false }], "note": "" })),
            [401, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
        // The shift grid: the requester plans, national and admin read.
        cell(
            Method::GET,
            "/api/v1/dispatch-requests/{request}/grid",
            None,
            [401, 200, 200, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests/{request}/assignments",
            Some(json!({ "changes": [] })),
            [401, 403, 403, 200, 404, 404, 403, 403, 403],
        ),
        // A slot of a request outside reach is not found for planners, refused for others.
        cell(
            Method::PUT,
            "/api/v1/dispatch-slots/9223372036854775807",
            Some(
                json!({ "starts_at": "2099-01-05T10:00:00+09:00", "ends_at": "2099-01-05T18:00:00+09:00", "needed": 1 }),
            ),
            [401, 403, 403, 404, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-slots/9223372036854775807/cancel",
            Some(json!({ "reason": "収束のため" })),
            [401, 403, 403, 404, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests/{request}/auto-fill",
            None,
            [401, 403, 403, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests/{request}/replan",
            None,
            [401, 403, 403, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/dispatch-requests/9223372036854775807/confirm",
            None,
            [401, 403, 403, 404, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/me/assignments/9223372036854775807/accept",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/me/assignments/9223372036854775807/decline",
            Some(json!({ "reason": "体調不良" })),
            [401, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
        // Daily reports: a member files its own; the requester reviews, national and admin read.
        cell(
            Method::GET,
            "/api/v1/me/daily-reports",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        cell(
            Method::GET,
            "/api/v1/me/daily-reports/due",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        cell(
            Method::POST,
            "/api/v1/me/daily-reports",
            Some(
                json!({ "assignment_id": 9223372036854775807_i64, "starts_at": "2026-11-02T09:00:00+09:00", "ends_at": "2026-11-02T17:00:00+09:00", "duties": ["health_observation"] }),
            ),
            [401, 403, 403, 403, 403, 403, 403, 403, 422],
        ),
        cell(
            Method::PUT,
            "/api/v1/me/daily-reports/9223372036854775807",
            Some(
                json!({ "assignment_id": 1, "starts_at": "2026-11-02T09:00:00+09:00", "ends_at": "2026-11-02T17:00:00+09:00", "duties": ["health_observation"] }),
            ),
            [401, 403, 403, 403, 403, 403, 403, 403, 404],
        ),
        cell(
            Method::GET,
            "/api/v1/daily-reports",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/daily-reports/export?month=2026-11&sheet=totals&encoding=cp932",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/members",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/dispatch?from=2026-11-01&to=2026-11-30",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/members/export?encoding=cp932",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/dispatch/export?from=2026-11-01&to=2026-11-30",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/series?from=2026-11-01&to=2026-11-30&interval=month",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/series/export?from=2026-11-01&to=2026-11-30&encoding=cp932",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/capacity?days=30",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/capacity/export?from=2026-11-02&days=14",
            None,
            [401, 200, 200, 200, 200, 200, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/series?from=2026-11-01&to=2026-11-30&interval=%EF%BC%B7",
            None,
            // A query that cannot be read is refused before the role is looked at.
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/capacity?days=%EF%BC%91%EF%BC%94%E6%97%A5",
            None,
            // A query that cannot be read is refused before the role is looked at.
            [401, 422, 422, 422, 422, 422, 422, 422, 422],
        ),
        cell(
            Method::GET,
            "/api/v1/utilisation/dispatch",
            None,
            [401, 422, 422, 422, 422, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/daily-reports/export",
            None,
            [401, 422, 422, 422, 422, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/daily-reports?status=nonsense",
            None,
            [401, 422, 422, 422, 422, 422, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/daily-reports/9223372036854775807",
            None,
            [401, 404, 404, 404, 404, 404, 403, 403, 404],
        ),
        cell(
            Method::POST,
            "/api/v1/daily-reports/9223372036854775807/approve",
            None,
            [401, 403, 403, 404, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/daily-reports/9223372036854775807/return",
            Some(json!({ "comment": "確認してください" })),
            [401, 403, 403, 404, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::POST,
            "/api/v1/daily-reports/9223372036854775807/reopen",
            Some(json!({ "comment": "確認してください" })),
            [401, 403, 403, 404, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/dispatch-requests/{request}/totals",
            None,
            [401, 200, 200, 200, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/members/9223372036854775807/dispatch-history",
            None,
            [401, 404, 404, 404, 404, 404, 403, 403, 403],
        ),
        cell(
            Method::GET,
            "/api/v1/me/dispatch-history",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        cell(Method::GET, "/api/openapi.json", None, [200; 9]),
    ]
}

/// An answer with its body as text (JSON or CSV, decoded by its charset).
#[derive(Debug)]
pub struct RawAnswer {
    pub status: StatusCode,
    pub content_type: String,
    pub text: String,
}

impl RawAnswer {
    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

/// Sends `cell` as `role` (with `token`, if any) and answers the body as text.
pub async fn send(
    server: &TestServer,
    cell: &Cell,
    role: &str,
    token: Option<&str>,
    f: &Fixture,
) -> RawAnswer {
    request(
        server,
        cell.method.clone(),
        &cell.path,
        token,
        cell.body_for(role, f),
    )
    .await
}

/// Sends one request and answers the body as text, CP932 bodies decoded.
pub async fn request(
    server: &TestServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> RawAnswer {
    let mut request = server
        .http
        .request(method, format!("{}{path}", server.base));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    if let Some(b) = body {
        request = request.json(&b);
    }
    let response = request.send().await.expect("HTTP request");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    // A stream never ends: its status and type are the answer; dropping it hangs up.
    if content_type.starts_with("text/event-stream") {
        return RawAnswer {
            status,
            content_type,
            text: String::new(),
        };
    }
    let bytes = response.bytes().await.expect("HTTP body");
    let text = if content_type.contains("shift_jis") {
        encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned()
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    RawAnswer {
        status,
        content_type,
        text,
    }
}

/// The routes the server describes, as `METHOD /template`.
pub async fn described_routes(server: &TestServer) -> BTreeSet<String> {
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
    described
}

/// The described route template (`METHOD /template`) a concrete path belongs to: same number
/// of segments, every literal segment equal, and the most literal segments when several fit
/// (so `/members/export` is not taken for `/members/{id}`).
pub fn template<'a>(
    templates: &'a BTreeSet<String>,
    method: &Method,
    path: &str,
) -> Option<&'a str> {
    templates
        .iter()
        .filter_map(|t| {
            let (m, template) = t.split_once(' ')?;
            if m != method.as_str() {
                return None;
            }
            crate::described::literal_segments(template, path).map(|literal| (literal, t.as_str()))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, t)| t)
}
