//! The honorarium export over HTTP on either backend: after members report their seats and
//! 東京都 approves them, the export of the month (and of the fiscal year from April) holds one
//! row per approved report, the totals sheet one row per member and the grand total, in UTF-8
//! with a byte-order mark or CP932 (which refuses a character it cannot write, naming the
//! record); another prefecture exports nothing, a member may not export, a period that cannot
//! be read is refused beside its field, and each export is audited.

use ouen_tests::dispatch::{planned_request, world_of};
use ouen_tests::reports::{report, worked};
use ouen_tests::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn export(server: &TestServer, token: &str, query: &str) -> (StatusCode, Vec<u8>) {
    let (status, _, bytes) = server
        .send_bytes(
            Method::GET,
            &format!("/api/v1/daily-reports/export?{query}"),
            token,
            "text/plain",
            Vec::new(),
        )
        .await;
    (status, bytes)
}

/// The lines of a UTF-8 export after its byte-order mark.
fn lines(bytes: &[u8]) -> Vec<String> {
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "CRLF lines");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn approved_reports_export_per_report_and_per_member_for_accounting() {
    let server = TestServer::start().await;
    let w = world_of(&server, 3).await;
    let (id, slots) = planned_request(&server, &w).await;
    let seats = worked(&server, &w, id, &slots).await;

    // Every member reports its day seats; 東京都 approves all but one.
    let mut filed = Vec::new();
    for (member, (_, token)) in seats.iter().zip(&w.approved) {
        for (assignment, slot) in member.iter().filter(|(_, i)| i % 2 == 0) {
            let day = 2 + *slot as u32 / 2;
            let r = server
                .post("/api/v1/me/daily-reports", token, report(*assignment, day))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            filed.push(r.body["id"].as_i64().expect("report id"));
        }
    }
    assert!(filed.len() >= 3, "reports filed: {filed:?}");
    let (waiting, approved) = filed.split_last().expect("reports");
    for report in approved {
        let a = server
            .post(
                &format!("/api/v1/daily-reports/{report}/approve"),
                &w.tokyo,
                json!(null),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    }

    // One row per approved report, oldest first; the one still waiting is not there.
    let (status, bytes) = export(&server, &w.tokyo, "month=2026-11").await;
    assert_eq!(status, StatusCode::OK);
    let rows = lines(&bytes);
    assert!(
        rows[0].starts_with("日報ID,勤務日,登録コード,氏名"),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 1 + approved.len(), "{rows:?}");
    assert!(!rows.iter().any(|r| r.starts_with(&format!("{waiting},"))));
    // 09:00–17:30 less a 45-minute break.
    assert!(rows[1].contains(",45,465,7.75,"), "{}", rows[1]);
    assert!(rows[1].contains("健康観察 32"), "{}", rows[1]);

    // The same in the fiscal year from April; nothing in the one before, nor in another month.
    let (_, fiscal) = export(&server, &w.tokyo, "fiscal_year=2026").await;
    assert_eq!(lines(&fiscal), rows);
    for query in ["fiscal_year=2025", "month=2026-10", "month=２０２６／１２"] {
        let (status, bytes) = export(&server, &w.tokyo, query).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(lines(&bytes).len(), 1, "{query}: the header only");
    }

    // The totals sheet: one row per member, then the grand total.
    let (status, bytes) = export(&server, &w.tokyo, "month=2026-11&sheet=totals").await;
    assert_eq!(status, StatusCode::OK);
    let totals = lines(&bytes);
    assert_eq!(
        totals[0],
        "登録コード,氏名,日報数,勤務日数,実働（分）,実働（時間）"
    );
    let grand = totals.last().expect("the grand total");
    let minutes = 465 * approved.len();
    assert!(
        grand.starts_with(&format!(",合計,{},", approved.len()))
            && grand.ends_with(&format!(
                ",{minutes},{}.{:02}",
                minutes / 60,
                minutes % 60 * 100 / 60
            )),
        "{grand}"
    );
    let members: i64 = totals[1..totals.len() - 1]
        .iter()
        .map(|l| {
            l.split(',')
                .nth(2)
                .and_then(|n| n.parse::<i64>().ok())
                .expect("a count")
        })
        .sum();
    assert_eq!(members as usize, approved.len());

    // CP932 for older Excel.
    let (status, bytes) = export(&server, &w.tokyo, "month=2026-11&encoding=cp932").await;
    assert_eq!(status, StatusCode::OK);
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    assert!(text.starts_with("日報ID,勤務日"), "{text}");

    // 神奈川県 sees none of 東京都's reports; a member may not export.
    let (status, bytes) = export(&server, &w.kanagawa, "month=2026-11").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(lines(&bytes).len(), 1);
    let (status, bytes) = export(&server, &w.kanagawa, "month=2026-11&sheet=totals").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        lines(&bytes),
        [
            "登録コード,氏名,日報数,勤務日数,実働（分）,実働（時間）",
            ",合計,0,0,0,0.00"
        ]
    );
    let (status, _) = export(&server, &w.approved[0].1, "month=2026-11").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A period that cannot be read is refused beside its field.
    for (query, field) in [
        ("month=2026-13", "month"),
        ("", "month"),
        ("month=2026-11&fiscal_year=2026", "month"),
        ("fiscal_year=12345", "fiscal_year"),
    ] {
        let (status, bytes) = export(&server, &w.tokyo, query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let body: Value = serde_json::from_slice(&bytes).expect("an error body");
        assert_eq!(body["fields"][0]["field"], field, "{query}");
    }

    // CP932 cannot write 𠮷: the refusal names the record and the character.
    server
        .db_execute(&format!(
            "UPDATE members SET name = '𠮷田 花子' WHERE id = {}",
            w.approved[0].0
        ))
        .await;
    let (status, bytes) = export(&server, &w.tokyo, "month=2026-11&encoding=cp932").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_slice(&bytes).expect("an error body");
    assert_eq!(body["fields"][0]["field"], "encoding");
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("𠮷田 花子")),
        "{body}"
    );

    // Every export is audited, with the reports it held.
    let admin = server.admin("kansa").await;
    let audited = server.audit(&admin, "report.export").await;
    assert!(audited.len() >= 8, "{audited:?}");
}
