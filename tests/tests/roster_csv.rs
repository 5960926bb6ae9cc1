//! CSV import and export of the roster, as a prefecture uses them with Excel.

use ouen_tests::{registration, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const HEADER: &str = "氏名,ふりがな,生年月日,メールアドレス,電話番号,都道府県コード,市区町村コード,番地等,職種,免許番号,免許年月日,経験年数,経験分野,言語,協力可能開始日,協力可能終了日,協力方法,備考\r\n";

/// A CSV of `rows` professionals living in 八王子市; `bad` maps a data row index to a broken
/// line.
fn roster_csv(rows: usize, bad: &[(usize, &str)]) -> String {
    let mut text = HEADER.to_string();
    for i in 0..rows {
        if let Some((_, line)) = bad.iter().find(|(at, _)| *at == i) {
            text.push_str(line);
        } else {
            text.push_str(&format!(
                "山田 花子{i},やまだ はなこ,1975/4/{day},,042-620-{i:04},13,132012,元本郷町3-24-1,看護師、保健師,N{i};P{i},1998/4/1;2000/4/1,20,感染症対策、在宅医療・訪問看護,日本語,2026/1/1,2026/12/31,現地派遣、電話対応,都の潜在看護職\r\n",
                day = i % 28 + 1
            ));
        }
        text.push_str("");
    }
    text
}

async fn import(
    server: &TestServer,
    token: &str,
    query: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let (status, _, bytes) = server
        .send_bytes(
            Method::POST,
            &format!("/api/v1/members/import{query}"),
            token,
            "text/csv",
            body,
        )
        .await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_thousand_rows_with_three_bad_ones_change_nothing_and_name_the_rows() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(&admin, json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }))
        .await;

    let bad = [
        (
            99,
            "鈴木 一郎,すずき いちろう,1975/2/30,,,13,132012,,看護師,N1,1998/4/1,,,,,,,\r\n",
        ),
        (
            500,
            "佐藤 次郎,さとう じろう,1980-01-01,,,13,132012,,魔法使い,N2,1998/4/1,,,,,,,\r\n",
        ),
        (
            948,
            "高橋 三郎,たかはし さぶろう,1980-01-01,,,13,999999,,看護師,N3,1998/4/1,,,,,,,\r\n",
        ),
    ];
    let file = roster_csv(1000, &bad);
    let (status, body) = import(&server, &tokyo, "", file.into_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec![
            "rows.101.birth_date",
            "rows.502.professions",
            "rows.950.municipality_code"
        ]
    );
    let managed = server.get("/api/v1/members?managed=true", &tokyo).await;
    assert_eq!(managed.body["total"], 0, "nothing was saved");

    // Fixed, in CP932 as older Excel saves it: a dry run checks, then the import saves all.
    let fixed = roster_csv(1000, &[]);
    let (cp932, _, _) = encoding_rs::SHIFT_JIS.encode(&fixed);
    let (status, body) = import(&server, &tokyo, "?dry_run=true", cp932.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({ "created": 0, "rows": 1000, "dry_run": true }));
    let (status, body) = import(&server, &tokyo, "", cp932.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 1000);
    let managed = server
        .get(
            "/api/v1/members?managed=true&profession=public_health_nurse&per_page=1",
            &tokyo,
        )
        .await;
    assert_eq!(managed.body["total"], 1000);
    let one = server
        .get(
            &format!("/api/v1/members/{}", managed.body["items"][0]["id"]),
            &tokyo,
        )
        .await;
    assert_eq!(one.body["licences"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        one.body["memberships"][0]["availability"][0]["ways"],
        json!(["on_site", "phone"])
    );
    assert_eq!(one.body["municipality_name"], "八王子市");
    assert_eq!(server.audit(&admin, "member.import").await.len(), 1);

    // Importing the same file again would duplicate every professional: refused row by row.
    let (status, body) = import(&server, &tokyo, "?dry_run=true", cp932.to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "rows.2.licence_numbers");
    assert_eq!(body["fields"].as_array().map(Vec::len), Some(500), "capped");

    // Cities cannot import; the admin must name the prefecture.
    let (_, hachioji) = server
        .issue(&tokyo, json!({ "login": "hachioji", "display_name": "八王子市 担当", "role": "city", "municipality_code": "132012" }))
        .await;
    let (status, _) = import(&server, &hachioji, "", roster_csv(1, &[]).into_bytes()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = import(&server, &admin, "", roster_csv(1, &[]).into_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "prefecture_code");
}

#[tokio::test]
async fn exports_open_in_excel_and_name_what_cp932_cannot_write() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(&admin, json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }))
        .await;
    for (name, kana, email) in [
        ("髙橋 一郎", "たかはし いちろう", "ichiro@example.jp"),
        ("𠮷田 花子", "よしだ はなこ", "hanako@example.jp"),
    ] {
        let answer = server
            .register(registration(name, kana, email, &["13"]))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    }

    // UTF-8 with a byte-order mark, CRLF lines, Japanese headers.
    let (status, headers, bytes) = server
        .send_bytes(
            Method::GET,
            "/api/v1/members/export",
            &tokyo,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("roster-"));
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("登録コード,氏名,ふりがな,生年月日"),
        "{text}"
    );
    assert!(text.contains("\r\n") && text.contains("𠮷田 花子") && text.contains("13:審査中"));

    // CP932 cannot write 𠮷: the error names the record and the character.
    let (status, _, bytes) = server
        .send_bytes(
            Method::GET,
            "/api/v1/members/export?encoding=cp932",
            &tokyo,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["fields"][0]["field"], "encoding");
    let message = body["fields"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("𠮷") && message.contains("𠮷田 花子") && message.contains("U+20BB7"),
        "{message}"
    );

    // Without that record, CP932 works and keeps 髙 (an IBM extension in CP932).
    let (status, headers, bytes) = server
        .send_bytes(
            Method::GET,
            "/api/v1/members/export?encoding=cp932&q=%E9%AB%98%E6%A9%8B",
            &tokyo,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .contains("shift_jis"));
    let (decoded, _, errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!errors);
    assert!(
        decoded.contains("髙橋 一郎") && !decoded.contains("よしだ"),
        "{decoded}"
    );

    // The exported file reads back as an import (export-only columns are ignored); the only
    // problem is that its person is already on the roster.
    let (status, _, bytes) = server
        .send_bytes(
            Method::POST,
            "/api/v1/members/import?dry_run=true",
            &tokyo,
            "text/csv",
            bytes,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["fields"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body["fields"][0]["field"], "rows.2.licence_numbers");

    let exports = server.audit(&admin, "member.export").await;
    assert_eq!(exports.len(), 3);
}

/// Notes typed with Alt+Enter in Excel, or with line breaks in the client: kept as LF, written
/// back as one quoted cell that reads back as one row; other control characters are refused.
#[tokio::test]
async fn notes_keep_their_line_breaks_through_import_edit_and_export() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(&admin, json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }))
        .await;
    let file = format!(
        "{HEADER}山田 花子,やまだ はなこ,1975/4/1,,,13,132012,,看護師,L1,1998/4/1,,,,,,,\"夜勤可\r\n土日のみ\r\n車あり\"\r\n\
         山田 次郎,やまだ じろう,1976/4/1,,,13,132012,,看護師,L2,1998/4/1,,,,,,,\"一行目\r\n二行目\"\r\n"
    );
    let (status, body) = import(&server, &tokyo, "", file.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 2);
    let list = server
        .get("/api/v1/members?q=%E8%8A%B1%E5%AD%90", &tokyo)
        .await;
    let id = list.body["items"][0]["id"]
        .as_i64()
        .expect("imported member");
    let record = server.get(&format!("/api/v1/members/{id}"), &tokyo).await;
    assert_eq!(record.body["notes"], "夜勤可\n土日のみ\n車あり");

    // Edited through the API with CR LF: stored with LF; a tab or an escape is refused.
    let path = format!("/api/v1/members/{id}");
    let answer = server
        .call(
            Method::PATCH,
            &path,
            Some(&tokyo),
            Some(json!({ "notes": "夜勤可\r\n車あり\r\r土日" })),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    assert_eq!(answer.body["notes"], "夜勤可\n車あり\n\n土日");
    for bad in ["夜勤\t可", "夜勤\u{1b}[2J可", "夜勤\u{0}可"] {
        let answer = server
            .call(
                Method::PATCH,
                &path,
                Some(&tokyo),
                Some(json!({ "notes": bad })),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert_eq!(answer.fields(), vec!["notes".to_string()], "{bad:?}");
    }
    let bad_file = format!("{HEADER}山田 三郎,やまだ さぶろう,1975/4/1,,,13,132012,,看護師,L3,1998/4/1,,,,,,,\"夜勤\t可\"\r\n");
    let (status, body) = import(&server, &tokyo, "?dry_run=true", bad_file.into_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "rows.2.notes");

    // Exported, each note is one quoted cell over several lines, records end in CR LF.
    let (status, _, bytes) = server
        .send_bytes(
            Method::GET,
            "/api/v1/members/export",
            &tokyo,
            "text/plain",
            Vec::new(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    assert!(text.contains("\"夜勤可\n車あり\n\n土日\""), "{text}");
    assert!(text.contains("\"一行目\n二行目\""), "{text}");
    // Read back as Excel would: two records after the header, so the duplicates found are
    // rows 2 and 3 and nothing else.
    let (status, _, bytes) = server
        .send_bytes(
            Method::POST,
            "/api/v1/members/import?dry_run=true",
            &tokyo,
            "text/csv",
            bytes,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_slice(&bytes).expect("JSON");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        vec!["rows.2.licence_numbers", "rows.3.licence_numbers"],
        "{body}"
    );
    server.stop().await;
}

/// Sends an import from a task of its own, so the test can act while it runs.
fn import_in_background(
    server: &TestServer,
    token: &str,
    body: String,
) -> tokio::task::JoinHandle<(StatusCode, Value)> {
    let request = server
        .http
        .post(format!("{}/api/v1/members/import", server.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body);
    tokio::spawn(async move {
        let response = request.send().await.expect("HTTP request");
        let status = response.status();
        let bytes = response.bytes().await.expect("HTTP body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    })
}

/// A guard against a hung test, not a synchronisation: the import signals when it pauses.
async fn within_a_minute<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(60), future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not happen within a minute"))
}

async fn managed_total(server: &TestServer, token: &str, query: &str) -> i64 {
    let answer = server
        .get(
            &format!("/api/v1/members?managed=true&per_page=1{query}"),
            token,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    answer.body["total"].as_i64().expect("total")
}

#[tokio::test]
async fn a_large_import_loads_in_batches_while_other_writes_go_on_and_appears_at_once() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(&admin, json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }))
        .await;
    let rows = 3_000;
    let pause = server.store.pause_next_import(2);
    let running = import_in_background(&server, &tokyo, roster_csv(rows, &[]));
    within_a_minute("the pause after two batches", pause.reached)
        .await
        .expect("the import paused");

    // Two batches are saved and the import waits between batches: other writes go through
    // (an account is issued, which also logs in), and nothing of the import is visible yet —
    // not in a prefecture's roster, the national roster, a search, or a record by id.
    let (_, hachioji) = server
        .issue(&tokyo, json!({ "login": "hachioji", "display_name": "八王子市 担当", "role": "city", "municipality_code": "132012" }))
        .await;
    assert!(!running.is_finished(), "the import waits for the test");
    assert_eq!(managed_total(&server, &tokyo, "").await, 0);
    assert_eq!(managed_total(&server, &admin, "").await, 0);
    let national = server.get("/api/v1/members?per_page=1", &admin).await;
    assert_eq!(national.body["total"], 0, "{:?}", national.body);
    assert_eq!(
        managed_total(&server, &tokyo, "&q=%E5%B1%B1%E7%94%B0").await,
        0
    );
    assert_eq!(managed_total(&server, &hachioji, "").await, 0);
    for id in 1..=5 {
        let record = server.get(&format!("/api/v1/members/{id}"), &admin).await;
        assert_eq!(record.status, StatusCode::NOT_FOUND, "member {id}");
    }
    // A professional entered by hand meanwhile gets an id past the import's block.
    let entered = server
        .post(
            "/api/v1/members",
            &tokyo,
            json!({ "profile": registration("手入力 一人", "てにゅうりょく かずと", "", &["13"])["profile"] }),
        )
        .await;
    assert_eq!(entered.status, StatusCode::CREATED, "{:?}", entered.body);
    assert!(entered.body["id"].as_i64().expect("id") > rows as i64);

    pause.resume.send(()).expect("the import is waiting");
    let (status, body) = within_a_minute("the import", running)
        .await
        .expect("import task");
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], rows);
    assert_eq!(managed_total(&server, &tokyo, "").await, rows as i64 + 1);
    assert_eq!(
        managed_total(&server, &tokyo, "&q=%E5%B1%B1%E7%94%B0").await,
        rows as i64,
        "searchable"
    );
    let one = server.get("/api/v1/members/2999", &tokyo).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["licences"].as_array().map(Vec::len), Some(2));
    assert_eq!(one.body["memberships"][0]["status"], "approved");
    let audit = server.audit(&admin, "member.import").await;
    assert_eq!(audit.len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_large_import_with_a_late_problem_saves_nothing() {
    let server = TestServer::start().await;
    let admin = server.admin("jimukyoku").await;
    let (_, tokyo) = server
        .issue(&admin, json!({ "login": "tokyo", "display_name": "東京都 担当", "role": "prefecture", "prefecture_code": "13" }))
        .await;
    let rows = 3_000;

    // A bad date on the last row, and a licence of row 10 repeated six batches later.
    let late = "山田 遅延,やまだ ちえん,1975/2/30,,,13,132012,,看護師,Z1,1998/4/1,,,,,,,\r\n";
    let repeat = "山田 重複,やまだ ちょうふく,1975/1/1,,,13,132012,,看護師,N10,1998/4/1,,,,,,,\r\n";
    let (status, body) = import(
        &server,
        &tokyo,
        "",
        roster_csv(rows, &[(2_900, repeat), (rows - 1, late)]).into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["rows.3001.birth_date"], "{body}");
    let (status, body) = import(
        &server,
        &tokyo,
        "",
        roster_csv(rows, &[(2_900, repeat)]).into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "rows.2902.licence_numbers");
    assert_eq!(managed_total(&server, &tokyo, "").await, 0);

    // A licence of row 2,500 is registered by someone else while the import loads its first
    // batches: the import fails as a duplicate and what it loaded is removed.
    let pause = server.store.pause_next_import(1);
    let running = import_in_background(&server, &tokyo, roster_csv(rows, &[]));
    within_a_minute("the pause", pause.reached)
        .await
        .expect("the import paused");
    let mut applicant = registration(
        "先客 一人",
        "せんきゃく かずと",
        "senkyaku@example.jp",
        &["13"],
    );
    applicant["profile"]["licences"][0]["number"] = json!("P2500");
    let answer = server.register(applicant).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    pause.resume.send(()).expect("the import is waiting");
    let (status, body) = within_a_minute("the import", running)
        .await
        .expect("import task");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "rows.2502.licence_numbers");
    assert_eq!(managed_total(&server, &tokyo, "").await, 0);
    let national = server.get("/api/v1/members?per_page=1", &admin).await;
    assert_eq!(national.body["total"], 1, "only the applicant");
    // The licences of the first batch are free again: the file without row 2,500 imports.
    let fixed = roster_csv(rows, &[(2_500, "")]);
    let (status, body) = import(&server, &tokyo, "", fixed.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], rows - 1);
    server.stop().await;
}
