//! The utilisation tables as CSV for Excel (the rules of [`crate::csv_file`]): Japanese
//! headers, prefectures by name beside their code.

use crate::csv_file;
use crate::error::ApiError;
use ouen_shared::api::{CsvEncoding, DispatchUtilisation, MemberCount};
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
