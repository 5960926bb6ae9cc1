//! Reading a CSV of a prefecture's own professionals: every row is checked before anything is
//! saved, and each problem names its line and column.

use super::{column_for, split_cell, Column};
use crate::error::ApiError;
use crate::reference::Reference;
use chrono::NaiveDate;
use ouen_shared::api::{Availability, CreateMemberRequest, Licence, Profile};
use ouen_shared::text::fold;
use ouen_shared::validate::Checker;
use ouen_shared::{ExperienceField, FieldIssue, HelpWay, Language, Problem, Profession};
use unicode_normalization::UnicodeNormalization;

/// At most this many problems are reported (the first ones, in file order).
pub const MAX_ISSUES: usize = 500;

/// A row ready to be saved, with its line in the file.
pub struct ImportRow {
    pub line: usize,
    pub request: CreateMemberRequest,
    pub municipality_name: String,
}

/// Decodes the file: UTF-8 (with or without a byte-order mark), else CP932 as older Excel
/// saves it.
pub fn decode(bytes: &[u8]) -> Result<String, ApiError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(ApiError::invalid(
            "file",
            Problem::Format {
                ja: "UTF-8またはShift_JIS（CP932）のCSV",
                en: "a CSV file in UTF-8 or Shift_JIS (CP932)",
            },
        ));
    }
    Ok(text.into_owned())
}

/// Parses and checks every row. `Err` holds every problem found (up to [`MAX_ISSUES`]), each
/// named `rows.<line>.<column>`.
pub fn parse(text: &str, reference: &Reference) -> Result<Vec<ImportRow>, ApiError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records_after_header = reader.records();
    let header = match records_after_header.next() {
        Some(Ok(h)) => h,
        _ => return Err(ApiError::invalid("file", Problem::Required)),
    };
    let mut issues = Vec::new();
    let mut columns: Vec<Option<&'static Column>> = Vec::new();
    for name in header.iter() {
        match column_for(name) {
            Some(c) => columns.push(Some(c)),
            None if name.trim().is_empty() => columns.push(None),
            None => {
                issues.push(FieldIssue::new(
                    format!("rows.1.{}", name.trim()),
                    Problem::UnknownField,
                ));
                columns.push(None);
            }
        }
    }
    for required in [
        "name",
        "name_kana",
        "birth_date",
        "prefecture_code",
        "municipality_code",
        "professions",
        "licence_numbers",
        "licensed_on",
    ] {
        if !columns.iter().flatten().any(|c| c.field == required) {
            issues.push(FieldIssue::new(
                format!("rows.1.{required}"),
                Problem::NotAllowed {
                    ja: "この列がファイルにありません。見出し行に追加してください。",
                    en: "This column is missing from the file; add it to the header row.",
                },
            ));
        }
    }
    if !issues.is_empty() {
        return Err(ApiError::Invalid(issues));
    }
    // The records are split sequentially (quotes decide where one ends), then checked on
    // every core: checking is most of the time, and rows are independent.
    let mut records = Vec::new();
    let mut lines = RowCounter::default();
    if let Some(position) = header.position() {
        lines.row_at(text, position.byte());
    }
    for record in records_after_header {
        match record {
            Ok(record) => {
                let line = record
                    .position()
                    .map(|p| lines.row_at(text, p.byte()))
                    .unwrap_or(0);
                if !record.iter().all(|c| c.trim().is_empty()) {
                    records.push((line, Some(record)));
                }
            }
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| lines.row_at(text, p.byte()))
                    .unwrap_or(0);
                records.push((line, None));
            }
        }
    }
    let field_index = |field: &str| {
        columns
            .iter()
            .position(|c| c.is_some_and(|c| c.field == field))
    };
    let vocabulary = Vocabulary::new();
    let checked = map_in_parallel(&records, |(line, record)| {
        let Some(record) = record else {
            return Err(vec![FieldIssue::new(
                format!("rows.{line}"),
                Problem::Format {
                    ja: "CSVとして読めません（引用符の対応を確認）",
                    en: "not readable as CSV (check the quotes)",
                },
            )]);
        };
        let cell = |field: &str| -> String {
            field_index(field)
                .and_then(|i| record.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        match parse_row(&cell, reference, &vocabulary) {
            Ok((request, municipality_name)) => Ok(ImportRow {
                line: *line,
                request,
                municipality_name,
            }),
            Err(row_issues) => Err(row_issues
                .into_iter()
                .map(|i| FieldIssue {
                    field: format!("rows.{line}.{}", i.field),
                    problem: i.problem,
                })
                .collect()),
        }
    });
    let mut rows = Vec::with_capacity(checked.len());
    for result in checked {
        match result {
            Ok(row) if issues.is_empty() => rows.push(row),
            Ok(_) => {}
            Err(row_issues) => {
                issues.extend(row_issues);
                if issues.len() >= MAX_ISSUES {
                    break;
                }
            }
        }
    }
    issues.truncate(MAX_ISSUES);
    if issues.is_empty() {
        Ok(rows)
    } else {
        Err(ApiError::Invalid(issues))
    }
}

/// Rows per thread below which checking stays on one thread.
const ROWS_PER_THREAD: usize = 1_000;

/// `f` of every item, in order, on up to one thread per core.
fn map_in_parallel<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len() / ROWS_PER_THREAD).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<U>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for part in parts {
            match part.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// Row numbers as Excel shows them: the header is row 1 and each record one row, however many
/// line breaks its quoted cells hold (Alt+Enter); blank lines between records count as rows.
#[derive(Default)]
struct RowCounter {
    row: usize,
}

impl RowCounter {
    /// The row of the record starting at `byte` (records met in file order).
    fn row_at(&mut self, text: &str, byte: u64) -> usize {
        let bytes = text.as_bytes();
        let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        // After a CR LF the reader's position is between the two; the record starts after them.
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        // The line breaks between the previous record and this one: its own terminator and
        // any blank lines. Line breaks inside quoted cells never reach here, as a quoted cell
        // ends with a quote.
        let mut run = start;
        while run > 0 && matches!(bytes[run - 1], b'\r' | b'\n') {
            run -= 1;
        }
        let run = &bytes[run..start];
        let breaks = run
            .iter()
            .enumerate()
            .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && run.get(i + 1) != Some(&b'\n')))
            .count();
        self.row = if self.row == 0 {
            1 + breaks
        } else {
            self.row + breaks.max(1)
        };
        self.row
    }
}

/// One row as a request; problems are named by column field.
fn parse_row(
    cell: &dyn Fn(&str) -> String,
    reference: &Reference,
    vocabulary: &Vocabulary,
) -> Result<(CreateMemberRequest, String), Vec<FieldIssue>> {
    let mut c = Checker::new();
    let birth_date = optional_date(&mut c, "birth_date", &cell("birth_date"));
    let professions: Vec<Option<Profession>> = split_cell(&cell("professions"))
        .iter()
        .map(|p| {
            let found = vocabulary.professions.find(p);
            if found.is_none() {
                c.add("professions", Problem::UnknownValue);
            }
            found
        })
        .collect();
    let numbers = split_cell(&cell("licence_numbers"));
    let dates: Vec<Option<NaiveDate>> = split_cell(&cell("licensed_on"))
        .iter()
        .map(|d| optional_date(&mut c, "licensed_on", d))
        .collect();
    if !c.has("professions")
        && (numbers.len() != professions.len() || dates.len() != professions.len())
    {
        c.add(
            "licence_numbers",
            Problem::NotAllowed {
                ja: "職種・免許番号・免許年月日は同じ数だけ「、」で区切って入力してください。",
                en: "Give as many licence numbers and dates as professions, separated by 、 or ;.",
            },
        );
    }
    let licences: Vec<Licence> = professions
        .iter()
        .zip(numbers.iter())
        .zip(dates.iter())
        .filter_map(|((p, n), d)| {
            Some(Licence {
                profession: (*p)?,
                number: n.clone(),
                licensed_on: (*d)?,
            })
        })
        .collect();
    let years_text: String = cell("experience_years").nfkc().collect();
    let experience_years = if years_text.trim().is_empty() {
        0
    } else {
        years_text.trim().parse::<u16>().unwrap_or_else(|_| {
            c.add(
                "experience_years",
                Problem::Format {
                    ja: "半角数字（年数）",
                    en: "a whole number of years",
                },
            );
            0
        })
    };
    let experience_fields = list(
        &mut c,
        "experience_fields",
        &cell("experience_fields"),
        &vocabulary.fields,
    );
    let languages = list(
        &mut c,
        "languages",
        &cell("languages"),
        &vocabulary.languages,
    );
    let ways = list(&mut c, "ways", &cell("ways"), &vocabulary.ways);
    let from = optional_date(&mut c, "available_from", &cell("available_from"));
    let to = optional_date(&mut c, "available_to", &cell("available_to"));
    let availability = match (from, to) {
        (Some(from), Some(to)) => vec![Availability {
            from,
            to,
            ways: ways.clone(),
        }],
        (None, None) if !c.has("available_from") && !c.has("available_to") => {
            if !ways.is_empty() {
                c.add("available_from", Problem::Required);
            }
            Vec::new()
        }
        (Some(_), None) if !c.has("available_to") => {
            c.add("available_to", Problem::Required);
            Vec::new()
        }
        (None, Some(_)) if !c.has("available_from") => {
            c.add("available_from", Problem::Required);
            Vec::new()
        }
        _ => Vec::new(),
    };
    let mut request = CreateMemberRequest {
        profile: Profile {
            name: cell("name"),
            name_kana: cell("name_kana"),
            birth_date,
            email: cell("email"),
            phone: cell("phone"),
            prefecture_code: zero_pad(&cell("prefecture_code"), 2),
            municipality_code: zero_pad(&cell("municipality_code"), 6),
            street: cell("street"),
            licences,
            experience_years,
            experience_fields,
            languages,
        },
        prefecture_code: None,
        availability,
        notes: ouen_shared::text::normalize_line_breaks(&cell("notes")),
    };
    // Identifiers typed in full width (licence numbers, codes, e-mail) as the API stores them.
    ouen_shared::Validate::normalize(&mut request);
    let mut problems = c.finish();
    let parsed_fields: Vec<String> = problems.iter().map(|i| i.field.clone()).collect();
    let mut checker = Checker::new();
    request.profile.check(&mut checker, "", false);
    if !request.availability.is_empty() {
        for (i, a) in request.availability.iter().enumerate() {
            if a.to < a.from {
                checker.add(
                    "availability.to",
                    Problem::NotAllowed {
                        ja: "終了日は開始日以降にしてください。",
                        en: "The end date must not be before the start date.",
                    },
                );
            }
            if a.ways.is_empty() && i == 0 {
                checker.add("ways", Problem::Required);
            }
        }
    }
    checker.multiline_text("notes", &request.notes, 0, 2000);
    for issue in checker.finish() {
        let field = column_of(&issue.field);
        // A value that could not be read is reported once, by the reader.
        if !parsed_fields.contains(&field)
            && !problems
                .iter()
                .any(|p| p.field == field && p.problem == issue.problem)
        {
            problems.push(FieldIssue::new(field, issue.problem));
        }
    }
    let municipality_name = reference
        .municipality(&request.profile.municipality_code)
        .map(|m| m.name.clone());
    if municipality_name.is_none() && !problems.iter().any(|p| p.field == "municipality_code") {
        problems.push(FieldIssue::new(
            "municipality_code",
            Problem::UnknownMunicipality,
        ));
    }
    if problems.is_empty() {
        Ok((request, municipality_name.unwrap_or_default()))
    } else {
        Err(problems)
    }
}

/// The CSV column of a profile field (`licences[0].number` → `licence_numbers`).
fn column_of(field: &str) -> String {
    let base = field.split(['[', '.']).next().unwrap_or(field);
    match (base, field.rsplit('.').next()) {
        ("licences", Some("number")) => "licence_numbers".into(),
        ("licences", Some("licensed_on")) => "licensed_on".into(),
        ("licences", _) => "professions".into(),
        ("availability", Some("to")) => "available_to".into(),
        ("availability", _) => "available_from".into(),
        _ => base.to_string(),
    }
}

/// Codes written with leading zeros dropped by Excel (`1` → `01`, `11002` → `011002`).
fn zero_pad(text: &str, width: usize) -> String {
    let text: String = text.nfkc().collect();
    if !text.is_empty() && text.len() < width && text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{text:0>width$}")
    } else {
        text
    }
}

/// Reads `2026-04-01`, `2026/4/1` or `2026年4月1日`, in either width; empty is `None`.
fn optional_date(c: &mut Checker, field: &str, text: &str) -> Option<NaiveDate> {
    let text: String = text.nfkc().collect();
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let parts: Vec<&str> = text
        .split(['-', '/', '年', '月', '日', '.'])
        .filter(|s| !s.is_empty())
        .collect();
    let date = match parts.as_slice() {
        [y, m, d] => match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d),
            _ => None,
        },
        _ => None,
    };
    if date.is_none() {
        c.add(
            field,
            Problem::Format {
                ja: "日付。例: 1980-04-01 または 1980/4/1",
                en: "a date, e.g. 1980-04-01 or 1980/4/1",
            },
        );
    }
    date
}

/// The codes and labels of one kind of value, folded once for a whole file (folding them
/// again for every cell of every row was most of the time spent checking a file).
struct Labels<T> {
    entries: Vec<(T, [String; 3])>,
}

impl<T: Copy> Labels<T> {
    fn new(
        all: &[T],
        code: impl Fn(T) -> &'static str,
        label: impl Fn(T, ouen_shared::Lang) -> &'static str,
    ) -> Self {
        let entries = all
            .iter()
            .map(|&x| {
                let folded = [
                    fold(code(x)),
                    fold(label(x, ouen_shared::Lang::Ja)),
                    fold(label(x, ouen_shared::Lang::En)),
                ];
                (x, folded)
            })
            .collect();
        Labels { entries }
    }

    /// The value given by code or by its Japanese or English label (folded); the first in
    /// order when several match.
    fn find(&self, text: &str) -> Option<T> {
        let wanted = fold(text);
        self.entries
            .iter()
            .find(|(_, folded)| folded.contains(&wanted))
            .map(|(x, _)| *x)
    }
}

/// The values a file may name in its list columns.
struct Vocabulary {
    professions: Labels<Profession>,
    fields: Labels<ExperienceField>,
    languages: Labels<Language>,
    ways: Labels<HelpWay>,
}

impl Vocabulary {
    fn new() -> Self {
        Vocabulary {
            professions: Labels::new(Profession::ALL, |x| x.code(), |x, l| x.label(l)),
            fields: Labels::new(ExperienceField::ALL, |x| x.code(), |x, l| x.label(l)),
            languages: Labels::new(Language::ALL, |x| x.code(), |x, l| x.label(l)),
            ways: Labels::new(HelpWay::ALL, |x| x.code(), |x, l| x.label(l)),
        }
    }
}

fn list<T: Copy>(c: &mut Checker, field: &str, text: &str, labels: &Labels<T>) -> Vec<T> {
    let mut out = Vec::new();
    for item in split_cell(text) {
        match labels.find(&item) {
            Some(x) => out.push(x),
            None => {
                if !c.has(field) {
                    c.add(field, Problem::UnknownValue);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日,経験分野,協力可能開始日,協力可能終了日,協力方法\n";

    #[test]
    fn good_rows_parse_with_labels_and_excel_dates() {
        let reference = Reference::load();
        let text = format!("{HEADER}田中 花子,ﾀﾅｶ ﾊﾅｺ,1980/4/1,13,131016,看護師、保健師,A1;B2,2002/5/1;2004/4/1,感染症対策,2026-01-01,2026-12-31,現地派遣\n");
        let rows = parse(&text, &reference).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        let p = &rows[0].request.profile;
        assert_eq!(p.licences.len(), 2);
        assert_eq!(p.licences[1].profession, Profession::PublicHealthNurse);
        assert_eq!(p.experience_fields, vec![ExperienceField::InfectionControl]);
        assert_eq!(rows[0].request.availability[0].ways, vec![HelpWay::OnSite]);
        assert_eq!(rows[0].municipality_name, "千代田区");
    }

    #[test]
    fn identifiers_typed_in_full_width_are_read_as_the_api_stores_them() {
        let reference = Reference::load();
        let text = format!("{HEADER}田中 花子,たなか はなこ,1980/4/1,１３,１３１０１６,看護師,ａ－１２３,2002/5/1,,,,\n");
        let rows = parse(&text, &reference).unwrap_or_else(|e| panic!("{e:?}"));
        let p = &rows[0].request.profile;
        assert_eq!(p.licences[0].number, "A-123");
        assert_eq!(p.prefecture_code, "13");
        assert_eq!(p.municipality_code, "131016");
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_column() {
        let reference = Reference::load();
        let good = "田中 花子,たなか はなこ,1980-04-01,13,131016,看護師,A1,2002-05-01,,,,\n";
        let text = format!(
            "{HEADER}{good}鈴木 一郎,すずき いちろう,1980-02-30,13,131016,看護師,A1,2002-05-01,,,,\n{good}佐藤,さとう,1970-01-01,13,999999,魔法使い,A1,2002-05-01,,,,\n"
        );
        let Err(ApiError::Invalid(issues)) = parse(&text, &reference) else {
            panic!("expected problems");
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "rows.3.birth_date",
                "rows.5.professions",
                "rows.5.municipality_code"
            ]
        );
    }

    #[test]
    fn rows_are_numbered_as_excel_shows_them() {
        let reference = Reference::load();
        let header = "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日,経験分野,協力可能開始日,協力可能終了日,協力方法,備考\n";
        let good =
            |n: usize| format!("佐藤 三郎,さとう,1980/4/1,13,131016,看護師,G{n},2002/5/1,,,,,\n");
        // Notes typed with Alt+Enter: one cell over two and three lines, one row each.
        let multi = |n: usize| {
            format!("田中 花子,たなか,1980/4/1,13,131016,看護師,M{n},2002/5/1,,,,,\"夜勤可\n土日のみ\n車あり\"\n")
        };
        let bad_date = "佐藤,さとう,1980/4/31,13,131016,看護師,B1,2002/5/1,,,,,\n";
        let bad_name = "\"鈴木\n一郎\",すずき,1980/4/1,13,131016,看護師,B2,2002/5/1,,,,,\n";
        // Rows: 1 header, 2 good, 3–4 multi-line notes, 5 bad date, 6 blank, 7 multi-line
        // name (refused), 8 multi-line notes, 9 bad date.
        let lf = format!(
            "{header}{}{}{}{bad_date}\n{bad_name}{}{bad_date}",
            good(1),
            multi(1),
            multi(2),
            multi(3)
        );
        let expected = vec!["rows.5.birth_date", "rows.7.name", "rows.9.birth_date"];
        for (ending, text) in [("LF", lf.clone()), ("CRLF", lf.replace('\n', "\r\n"))] {
            let Err(ApiError::Invalid(issues)) = parse(&text, &reference) else {
                panic!("{ending}: expected problems");
            };
            let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
            assert_eq!(fields, expected, "{ending}");
        }
        // Without the bad rows, every row is read with its Excel row number and the notes keep
        // their line breaks.
        let text = format!("{header}{}{}{}", good(1), multi(1), multi(2)).replace('\n', "\r\n");
        let rows = parse(&text, &reference).unwrap_or_else(|e| panic!("{e:?}"));
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        assert_eq!(rows[1].request.notes, "夜勤可\n土日のみ\n車あり");
    }

    #[test]
    fn cp932_files_are_read() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("氏名,ふりがな\n");
        assert_eq!(decode(&bytes).unwrap(), "氏名,ふりがな\n");
        assert_eq!(decode("\u{feff}a".as_bytes()).unwrap(), "a");
    }

    #[test]
    fn unknown_headers_are_refused() {
        let reference = Reference::load();
        let Err(ApiError::Invalid(issues)) = parse("氏名,好きな色\n", &reference) else {
            panic!("expected problems");
        };
        assert_eq!(issues[0].field, "rows.1.好きな色");
    }

    #[test]
    fn missing_columns_are_named_as_missing() {
        let reference = Reference::load();
        let Err(ApiError::Invalid(issues)) = parse("氏名,ふりがな\n", &reference) else {
            panic!("expected problems");
        };
        assert_eq!(issues[0].field, "rows.1.birth_date");
        assert!(issues[0]
            .problem
            .message(ouen_shared::Lang::Ja)
            .contains("列がファイルにありません"));
    }
}
