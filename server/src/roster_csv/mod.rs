//! The roster as CSV: the columns shared by export and import, and the encodings Japanese
//! Excel opens (UTF-8 with a byte-order mark, or CP932 for older versions).

pub mod export;
pub mod import;

/// A column of the roster CSV: the header written (Japanese) and the API field it carries.
pub struct Column {
    pub header: &'static str,
    pub field: &'static str,
    /// Written by exports for reference, ignored by imports.
    pub export_only: bool,
}

const fn column(header: &'static str, field: &'static str) -> Column {
    Column {
        header,
        field,
        export_only: false,
    }
}

const fn info(header: &'static str, field: &'static str) -> Column {
    Column {
        header,
        field,
        export_only: true,
    }
}

/// Every column, in file order.
pub const COLUMNS: &[Column] = &[
    info("登録コード", "registration_code"),
    column("氏名", "name"),
    column("ふりがな", "name_kana"),
    column("生年月日", "birth_date"),
    column("メールアドレス", "email"),
    column("電話番号", "phone"),
    column("都道府県コード", "prefecture_code"),
    column("市区町村コード", "municipality_code"),
    info("市区町村", "municipality_name"),
    column("番地等", "street"),
    column("職種", "professions"),
    column("免許番号", "licence_numbers"),
    column("免許年月日", "licensed_on"),
    column("経験年数", "experience_years"),
    column("経験分野", "experience_fields"),
    column("言語", "languages"),
    column("協力可能開始日", "available_from"),
    column("協力可能終了日", "available_to"),
    column("協力方法", "ways"),
    column("備考", "notes"),
    info("所属状況", "memberships"),
    info("最終派遣日", "last_dispatch_on"),
];

/// The column for a header written in Japanese or as the English field name.
pub fn column_for(header: &str) -> Option<&'static Column> {
    let header = header.trim().trim_start_matches('\u{feff}');
    COLUMNS
        .iter()
        .find(|c| c.header == header || c.field.eq_ignore_ascii_case(header))
}

/// Separator of several values in one cell, as exports write it.
pub const LIST_SEPARATOR: &str = "、";

/// Splits a cell holding several values (`、`, `;` or `,` between them, in either width).
pub fn split_cell(cell: &str) -> Vec<String> {
    cell.split(['、', ';', ',', '，', '；'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}
