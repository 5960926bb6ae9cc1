//! The utilisation tables as CSV for Excel (the rules of [`crate::csv_file`]): Japanese
//! headers, prefectures by name beside their code.

use crate::csv_file;
use crate::error::ApiError;
use ouen_shared::api::{
    CapacityAhead, CsvEncoding, DispatchUtilisation, MemberCount, UtilisationStep,
};
use ouen_shared::Lang;

fn prefecture(code: &str) -> String {
    ouen_shared::prefecture::prefecture(code)
        .map(|p| p.name.to_string())
        .unwrap_or_default()
}

/// Members by prefecture, profession and status.
pub fn members(rows: &[MemberCount], encoding: CsvEncoding) -> Result<Vec<u8>, ApiError> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.prefecture_code.clone(),
                prefecture(&r.prefecture_code),
                r.profession.label(Lang::Ja).to_string(),
                r.status.label(Lang::Ja).to_string(),
                r.members.to_string(),
            ]
        })
        .collect();
    csv_file::render(
        &["都道府県コード", "都道府県", "職種", "状態", "人数"],
        &cells,
        encoding,
        |i| cells[i][1].clone(),
    )
}

/// Each prefecture's requests, seats and approved work in a period.
pub fn dispatch(rows: &[DispatchUtilisation], encoding: CsvEncoding) -> Result<Vec<u8>, ApiError> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.prefecture_code.clone(),
                prefecture(&r.prefecture_code),
                r.requests.to_string(),
                r.asked.to_string(),
                r.answered.to_string(),
                r.seats_needed.to_string(),
                r.seats_assigned.to_string(),
                r.seats_accepted.to_string(),
                r.days_worked.to_string(),
                r.minutes_worked.to_string(),
            ]
        })
        .collect();
    csv_file::render(
        &[
            "都道府県コード",
            "都道府県",
            "派遣要請数",
            "依頼人数",
            "回答人数",
            "必要枠数",
            "割当数",
            "承諾数",
            "派遣人日",
            "実働（分）",
        ],
        &cells,
        encoding,
        |i| cells[i][1].clone(),
    )
}

/// The series, a row per week or month.
pub fn series(steps: &[UtilisationStep], encoding: CsvEncoding) -> Result<Vec<u8>, ApiError> {
    let cells: Vec<Vec<String>> = steps
        .iter()
        .map(|s| {
            vec![
                s.starts_on.to_string(),
                s.ends_on.to_string(),
                s.registrations.to_string(),
                s.approvals.to_string(),
                s.requests_sent.to_string(),
                s.asked.to_string(),
                s.answered.to_string(),
                s.median_answer_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                s.seats_needed.to_string(),
                s.seats_assigned.to_string(),
                s.seats_accepted.to_string(),
                s.days_worked.to_string(),
                s.minutes_worked.to_string(),
            ]
        })
        .collect();
    csv_file::render(
        &[
            "開始日",
            "終了日",
            "登録申請数",
            "承認数",
            "派遣要請送信数",
            "依頼人数",
            "回答人数",
            "回答までの時間（中央値・分）",
            "必要枠数",
            "割当数",
            "承諾数",
            "派遣人日",
            "実働（分）",
        ],
        &cells,
        encoding,
        |i| cells[i][0].clone(),
    )
}

/// Capacity ahead, a row per day, prefecture, profession and way of helping.
pub fn capacity(capacity: &CapacityAhead, encoding: CsvEncoding) -> Result<Vec<u8>, ApiError> {
    let mut cells: Vec<Vec<String>> = Vec::new();
    for day in 0..capacity.days as usize {
        for r in &capacity.rows {
            cells.push(vec![
                capacity.day(day).to_string(),
                r.prefecture_code.clone(),
                prefecture(&r.prefecture_code),
                r.profession.label(Lang::Ja).to_string(),
                r.way.label(Lang::Ja).to_string(),
                r.available.get(day).copied().unwrap_or(0).to_string(),
                r.assigned.get(day).copied().unwrap_or(0).to_string(),
                r.free.get(day).copied().unwrap_or(0).to_string(),
            ]);
        }
    }
    csv_file::render(
        &[
            "日付",
            "都道府県コード",
            "都道府県",
            "職種",
            "協力方法",
            "可能人数",
            "割当済",
            "空き",
        ],
        &cells,
        encoding,
        |i| cells[i][2].clone(),
    )
}
