//! Writing the roster as CSV.

use super::{COLUMNS, LIST_SEPARATOR};
use crate::error::ApiError;
use crate::store::members::ExportRow;
use ouen_shared::api::CsvEncoding;
use ouen_shared::{Lang, RegistrationCode};

/// The cells of one row, in [`COLUMNS`] order.
fn cells(row: &ExportRow) -> Vec<String> {
    let m = &row.member;
    let lang = Lang::Ja;
    let join = |items: Vec<String>| items.join(LIST_SEPARATOR);
    COLUMNS
        .iter()
        .map(|c| match c.field {
            "registration_code" => m
                .registration_code
                .as_deref()
                .and_then(RegistrationCode::parse)
                .map(|c| c.display())
                .unwrap_or_default(),
            "name" => m.name.clone(),
            "name_kana" => m.name_kana.clone(),
            "birth_date" => m.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            "email" => m.email.clone(),
            "phone" => m.phone.clone(),
            "prefecture_code" => m.prefecture_code.clone(),
            "municipality_code" => m.municipality_code.clone(),
            "municipality_name" => m.municipality_name.clone(),
            "street" => m.street.clone(),
            "professions" => join(
                row.licences
                    .iter()
                    .map(|l| l.profession.label(lang).to_string())
                    .collect(),
            ),
            "licence_numbers" => join(row.licences.iter().map(|l| l.number.clone()).collect()),
            "licensed_on" => join(
                row.licences
                    .iter()
                    .map(|l| l.licensed_on.to_string())
                    .collect(),
            ),
            "experience_years" => m.experience_years.to_string(),
            "experience_fields" => join(
                m.experience_fields()
                    .iter()
                    .map(|f| f.label(lang).to_string())
                    .collect(),
            ),
            "languages" => join(
                m.languages()
                    .iter()
                    .map(|l| l.label(lang).to_string())
                    .collect(),
            ),
            "notes" => m.notes.clone(),
            "memberships" => join(
                row.memberships
                    .iter()
                    .map(|(p, s)| format!("{p}:{}", s.label(lang)))
                    .collect(),
            ),
            "last_dispatch_on" => m
                .last_dispatch_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            // Availability belongs to memberships; exports leave the import-only columns empty.
            _ => String::new(),
        })
        .collect()
}

/// The CSV file for `rows` in the requested encoding. CP932 fails with the first record and
/// character it cannot write.
pub fn render(rows: &[ExportRow], encoding: CsvEncoding) -> Result<Vec<u8>, ApiError> {
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
    let cells: Vec<Vec<String>> = rows.iter().map(cells).collect();
    crate::csv_file::render(&header, &cells, encoding, |i| {
        let m = &rows[i].member;
        let code = m
            .registration_code
            .as_deref()
            .and_then(RegistrationCode::parse)
            .map(|c| format!(" {}", c.display()))
            .unwrap_or_default();
        format!("ID {}{code} {}", m.id, m.name)
    })
}
