//! The honorarium export as CSV (the rules of [`crate::csv_file`]): one row per approved
//! report, or one row per member with its totals and a last row with the grand total. Headers
//! are Japanese, times JST, hours as decimals Excel can sum.

use crate::csv_file;
use crate::error::ApiError;
use crate::store::reports::honoraria::HonorariumRow;
use ouen_shared::api::{CsvEncoding, HonorariumSheet};
use ouen_shared::time::jst;
use ouen_shared::{Lang, RegistrationCode};
use std::collections::{BTreeMap, BTreeSet};

const REPORT_HEADER: &[&str] = &[
    "日報ID",
    "勤務日",
    "登録コード",
    "氏名",
    "要請元都道府県",
    "派遣要請",
    "保健所",
    "開始",
    "終了",
    "休憩（分）",
    "実働（分）",
    "実働（時間）",
    "業務",
    "件数",
    "承認日時",
];

const TOTALS_HEADER: &[&str] = &[
    "登録コード",
    "氏名",
    "日報数",
    "勤務日数",
    "実働（分）",
    "実働（時間）",
];

fn code(row: &HonorariumRow) -> String {
    row.registration_code
        .as_deref()
        .and_then(RegistrationCode::parse)
        .map(|c| c.display())
        .unwrap_or_default()
}

/// Minutes as decimal hours: `450` is `7.50`.
fn hours(minutes: i64) -> String {
    format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60)
}

fn report_cells(row: &HonorariumRow) -> Vec<String> {
    let r = &row.report;
    let lang = Lang::Ja;
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&jst());
    vec![
        r.id.to_string(),
        local(r.starts_at).format("%Y-%m-%d").to_string(),
        code(row),
        r.member_name.clone(),
        ouen_shared::prefecture::prefecture(&row.prefecture_code)
            .map(|p| p.name.to_string())
            .unwrap_or_else(|| row.prefecture_code.clone()),
        r.request_title.clone(),
        r.health_centre_name.clone(),
        local(r.starts_at).format("%Y-%m-%d %H:%M").to_string(),
        local(r.ends_at).format("%Y-%m-%d %H:%M").to_string(),
        r.break_minutes.to_string(),
        r.worked_minutes.to_string(),
        hours(r.worked_minutes),
        ouen_shared::dispatch::duties_label(&r.duties, lang),
        {
            let mut counts = r.counts.clone();
            counts.sort_by_key(|c| c.duty);
            counts
        }
        .iter()
        .map(|c| format!("{} {}", c.duty.label(lang), c.count))
        .collect::<Vec<_>>()
        .join("、"),
        r.decided_at
            .map(|t| local(t).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default(),
    ]
}

/// One member's totals: reports, distinct JST days, minutes.
#[derive(Default)]
struct Totals {
    code: String,
    name: String,
    reports: i64,
    days: BTreeSet<chrono::NaiveDate>,
    minutes: i64,
}

fn totals_cells(rows: &[HonorariumRow]) -> Vec<Vec<String>> {
    let mut by_member: BTreeMap<(String, i64), Totals> = BTreeMap::new();
    let mut all_days = 0;
    let (mut all_reports, mut all_minutes) = (0, 0);
    for row in rows {
        let r = &row.report;
        let t = by_member
            .entry((r.member_name.clone(), r.member_id))
            .or_insert_with(|| Totals {
                code: code(row),
                name: r.member_name.clone(),
                ..Totals::default()
            });
        t.reports += 1;
        t.days
            .insert(r.starts_at.with_timezone(&jst()).date_naive());
        t.minutes += r.worked_minutes;
    }
    let mut cells: Vec<Vec<String>> = by_member
        .into_values()
        .map(|t| {
            all_reports += t.reports;
            all_days += t.days.len();
            all_minutes += t.minutes;
            vec![
                t.code,
                t.name,
                t.reports.to_string(),
                t.days.len().to_string(),
                t.minutes.to_string(),
                hours(t.minutes),
            ]
        })
        .collect();
    cells.push(vec![
        String::new(),
        "合計".into(),
        all_reports.to_string(),
        all_days.to_string(),
        all_minutes.to_string(),
        hours(all_minutes),
    ]);
    cells
}

/// The file of `sheet` for `rows`.
pub fn render(
    rows: &[HonorariumRow],
    sheet: HonorariumSheet,
    encoding: CsvEncoding,
) -> Result<Vec<u8>, ApiError> {
    match sheet {
        HonorariumSheet::Reports => {
            let cells: Vec<Vec<String>> = rows.iter().map(report_cells).collect();
            csv_file::render(REPORT_HEADER, &cells, encoding, |i| {
                let r = &rows[i].report;
                format!("日報 {} {}", r.id, r.member_name)
            })
        }
        HonorariumSheet::Totals => {
            let cells = totals_cells(rows);
            csv_file::render(TOTALS_HEADER, &cells, encoding, |i| {
                cells
                    .get(i)
                    .and_then(|c| c.get(1))
                    .cloned()
                    .unwrap_or_default()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::hours;

    #[test]
    fn minutes_read_as_decimal_hours() {
        assert_eq!(hours(450), "7.50");
        assert_eq!(hours(485), "8.08");
        assert_eq!(hours(0), "0.00");
    }
}
