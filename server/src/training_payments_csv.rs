//! Training honorarium payments as CSV for accounting (the rules of [`crate::csv_file`]): a
//! row a payment, then a total per status.

use crate::csv_file;
use crate::error::ApiError;
use ouen_shared::api::{CsvEncoding, TrainingPayment};
use ouen_shared::trainings::PaymentStatus;
use ouen_shared::{Lang, RegistrationCode};

const HEADER: &[&str] = &[
    "研修",
    "登録コード",
    "氏名",
    "修了証番号",
    "金額（円）",
    "状態",
    "支払方法",
    "支払日",
    "備考",
];

/// The payments with their training's title, then a total row per status.
pub fn payments(
    rows: &[(String, TrainingPayment)],
    encoding: CsvEncoding,
) -> Result<Vec<u8>, ApiError> {
    let lang = Lang::Ja;
    let mut cells: Vec<Vec<String>> = rows
        .iter()
        .map(|(title, p)| {
            vec![
                title.clone(),
                p.registration_code
                    .as_deref()
                    .and_then(RegistrationCode::parse)
                    .map(|c| c.display())
                    .unwrap_or_default(),
                p.member_name.clone(),
                p.certificate_number.clone().unwrap_or_default(),
                p.amount_yen.to_string(),
                p.status.label(lang).to_string(),
                p.method
                    .map(|m| m.label(lang).to_string())
                    .unwrap_or_default(),
                p.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                p.note.clone(),
            ]
        })
        .collect();
    for status in PaymentStatus::ALL {
        let total: i64 = rows
            .iter()
            .filter(|(_, p)| p.status == *status)
            .map(|(_, p)| p.amount_yen)
            .sum();
        let mut row = vec![String::new(); HEADER.len()];
        row[0] = format!("合計（{}）", status.label(lang));
        row[4] = total.to_string();
        cells.push(row);
    }
    csv_file::render(HEADER, &cells, encoding, |i| {
        cells
            .get(i)
            .map(|c| format!("{} {}", c[0], c[2]))
            .unwrap_or_default()
    })
}
