//! Writing CSV files for Excel, the one rule every export follows: a header line, CRLF line
//! ends, and either UTF-8 with a byte-order mark (current Excel) or CP932 (older Japanese
//! Excel), which refuses the first record and character it cannot write instead of writing a
//! `?` for it.

use crate::error::ApiError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ouen_shared::api::CsvEncoding;
use ouen_shared::Problem;

/// The file for `header` and `rows`; `name_row(i)` names record `i` in a CP932 refusal.
pub fn render(
    header: &[&str],
    rows: &[Vec<String>],
    encoding: CsvEncoding,
    name_row: impl Fn(usize) -> String,
) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let write_error = |e: csv::Error| ApiError::Internal(format!("csv: {e}"));
    writer.write_record(header).map_err(write_error)?;
    for (i, cells) in rows.iter().enumerate() {
        if encoding == CsvEncoding::Cp932 {
            check_cp932(cells, i + 2, || name_row(i))?;
        }
        writer.write_record(cells).map_err(write_error)?;
    }
    let text = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(format!("csv: {e}")))?;
    Ok(match encoding {
        CsvEncoding::Utf8 => {
            let mut out = Vec::with_capacity(text.len() + 3);
            out.extend_from_slice("\u{feff}".as_bytes());
            out.extend_from_slice(&text);
            out
        }
        CsvEncoding::Cp932 => {
            let text = String::from_utf8_lossy(&text);
            encoding_rs::SHIFT_JIS.encode(&text).0.into_owned()
        }
    })
}

fn check_cp932(cells: &[String], line: usize, name: impl Fn() -> String) -> Result<(), ApiError> {
    for cell in cells {
        let (_, _, had_errors) = encoding_rs::SHIFT_JIS.encode(cell);
        if !had_errors {
            continue;
        }
        let character = cell
            .chars()
            .find(|c| encoding_rs::SHIFT_JIS.encode(&c.to_string()).2)
            .unwrap_or('?');
        return Err(ApiError::invalid(
            "encoding",
            Problem::Unencodable {
                record: format!("{line}行目 / line {line} ({})", name()),
                character,
                encoding: "CP932 (Shift_JIS)",
            },
        ));
    }
    Ok(())
}

/// The HTTP answer carrying a CSV file as a download named `{stem}-{JST date}.csv`.
pub fn download(bytes: Vec<u8>, encoding: CsvEncoding, stem: &str) -> Response {
    let charset = match encoding {
        CsvEncoding::Utf8 => "utf-8",
        CsvEncoding::Cp932 => "shift_jis",
    };
    let file = format!(
        "attachment; filename=\"{stem}-{}.csv\"",
        ouen_shared::time::today_jst().format("%Y%m%d")
    );
    (
        [
            (header::CONTENT_TYPE, format!("text/csv; charset={charset}")),
            (header::CONTENT_DISPOSITION, file),
        ],
        bytes,
    )
        .into_response()
}
