//! CSV import and export in the roster: the steps and their requests, the progress gauge,
//! and the refused rows of an import as a readable list ("12行目 生年月日: …").

use super::{RosterConfirm, RosterView};
use crate::api::files::Existing;
use crate::api::ApiError;
use crate::app::jobs::{DownloadTo, ReadFile, Written};
use crate::app::net::{Answer, RequestId};
use crate::app::{Action, Ctx};
use crate::i18n::T;
use crate::theme::Theme;
use crate::ui::confirm::Confirm;
use crate::ui::lines::Lines;
use crate::widgets::spinner;
use crate::widgets::text::{clean, truncate, width};
use ouen_shared::api::{CsvEncoding, ImportReport};
use ouen_shared::endpoints::{ExportMembers, ImportMembers};
use ouen_shared::{ErrorBody, Lang};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Widget};
use std::any::Any;
use std::path::PathBuf;
use std::sync::Arc;

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStep {
    /// Reading the file from disk.
    Reading,
    /// The server checks every row and saves nothing.
    Checking,
    /// The server saves every row (or none).
    Saving,
}

impl ImportStep {
    fn number(self) -> u8 {
        match self {
            ImportStep::Reading => 1,
            ImportStep::Checking => 2,
            ImportStep::Saving => 3,
        }
    }

    fn label(self) -> T {
        match self {
            ImportStep::Reading => T::ImportReading,
            ImportStep::Checking => T::ImportChecking,
            ImportStep::Saving => T::ImportSaving,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Kind {
    Import {
        step: ImportStep,
        prefecture: Option<String>,
        csv: Option<Arc<Vec<u8>>>,
        /// Rows the dry run checked.
        rows: usize,
    },
    /// The current list's filter, as CSV.
    Export { encoding: CsvEncoding },
}

/// An import or export under way.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub kind: Kind,
    pub path: PathBuf,
    /// The request of the current step.
    pub req: RequestId,
    /// Bytes received so far, and the total when known (export).
    pub done: u64,
    pub total: Option<u64>,
}

/// `532 B`, `12.3 KB`, `1.4 MB`.
pub fn human_bytes(n: u64) -> String {
    match n {
        0..=1023 => format!("{n} B"),
        1024..=1_048_575 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

impl Transfer {
    /// How far along, 0.0 to 1.0 (`None` when the size is not known).
    pub fn ratio(&self) -> Option<f64> {
        match &self.kind {
            Kind::Import { step, .. } => Some(f64::from(step.number() - 1) / 3.0),
            Kind::Export { .. } => match self.total {
                Some(0) => Some(0.0),
                Some(t) => Some((self.done as f64 / t as f64).min(1.0)),
                None => None,
            },
        }
    }

    /// The words beside the gauge.
    pub fn label(&self, lang: Lang, tick: u64) -> String {
        let file = self
            .path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        match &self.kind {
            Kind::Import { step, .. } => format!(
                "{} {} {}/3 {} {file}",
                spinner::frame(tick),
                T::Import.get(lang),
                step.number(),
                step.label().get(lang),
            ),
            Kind::Export { .. } => {
                let size = match self.total {
                    Some(t) => format!("{} / {}", human_bytes(self.done), human_bytes(t)),
                    None => human_bytes(self.done),
                };
                format!(
                    "{} {} {size} {file}",
                    spinner::frame(tick),
                    T::Export.get(lang)
                )
            }
        }
    }

    /// One line: the label, then a gauge in what is left.
    pub fn draw(&self, buf: &mut Buffer, area: Rect, lang: Lang, theme: &Theme, tick: u64) {
        if area.height == 0 || area.width < 10 {
            return;
        }
        let label = self.label(lang, tick);
        let gauge_w = (area.width / 3).clamp(10, 30);
        let label_w = area.width.saturating_sub(gauge_w + 1) as usize;
        let label = truncate(&label, label_w);
        buf.set_line(
            area.x,
            area.y,
            &Line::from(Span::styled(label.clone(), theme.key)),
            label_w as u16,
        );
        let x = area.x + width(&label) as u16 + 1;
        let gauge_area = Rect {
            x,
            y: area.y,
            width: area.x + area.width - x,
            height: 1,
        };
        let ratio = self.ratio().unwrap_or(0.0);
        LineGauge::default()
            .filled_style(theme.focus)
            .unfilled_style(theme.dim)
            .ratio(ratio)
            .render(gauge_area, buf);
    }
}

/// The label of a CSV column named in an import error.
fn column_label(name: &str, lang: Lang) -> String {
    let t = match name {
        "name" => T::ColName,
        "name_kana" => T::ColKana,
        "birth_date" => T::FieldBirthDate,
        "email" => T::FieldEmail,
        "phone" => T::FieldPhone,
        "prefecture_code" | "prefecture" => T::FieldHomePrefecture,
        "municipality_code" | "municipality" => T::FilterMunicipality,
        "street" => T::FieldStreet,
        "licences" | "licence" => T::SectionLicences,
        "profession" | "professions" => T::ColProfessions,
        "number" | "licence_number" | "licence_numbers" => T::FieldLicenceNumber,
        "ways" | "way" => T::FilterWay,
        "available_from" => T::FilterAvailableFrom,
        "available_to" => T::FilterAvailableTo,
        "licensed_on" => T::FieldLicensedOn,
        "experience_years" => T::FieldExperienceYears,
        "experience_fields" => T::FieldExperienceFields,
        "languages" => T::FieldLanguages,
        "availability" => T::Availability,
        "notes" => T::SectionNotes,
        "registration_code" => T::ColCode,
        _ => return name.to_string(),
    };
    t.get(lang).to_string()
}

/// `rows.12.birth_date` (or `rows[12].birth_date`) → (12, "birth_date").
fn row_field(field: &str) -> Option<(u64, String)> {
    let rest = field.strip_prefix("rows")?;
    let rest = rest.trim_start_matches(['.', '[']);
    let end = rest.find(|c: char| !c.is_ascii_digit())?;
    let line: u64 = rest[..end].parse().ok()?;
    let name = rest[end..].trim_start_matches([']', '.']);
    Some((line, name.to_string()))
}

/// Each field error as a line: `12行目 生年月日: 入力してください。`
pub fn error_lines(body: &ErrorBody, lang: Lang) -> Vec<String> {
    let mut rows: Vec<(u64, String)> = body
        .fields
        .iter()
        .map(|f| match row_field(&f.field) {
            Some((line, name)) => {
                // The column is the last part of a nested name (`licences[0].number`).
                let column = name
                    .rsplit('.')
                    .next()
                    .map(|c| c.split('[').next().unwrap_or(c))
                    .unwrap_or("");
                let what = if column.is_empty() {
                    String::new()
                } else {
                    format!(" {}", column_label(column, lang))
                };
                let at = match lang {
                    Lang::Ja => format!("{line}行目"),
                    Lang::En => format!("Line {line}"),
                };
                (line, format!("{at}{what}: {}", clean(&f.message)))
            }
            // Not about a row (the file as a whole, its encoding): the message says it all.
            None => (0, clean(&f.message)),
        })
        .collect();
    rows.sort_by_key(|(line, _)| *line);
    rows.into_iter().map(|(_, l)| l).collect()
}

impl RosterView {
    pub(super) fn start_import(
        &mut self,
        path: PathBuf,
        prefecture: Option<String>,
        ctx: &Ctx,
    ) -> Vec<Action> {
        let lang = ctx.lang;
        if !self.may_decide() {
            return vec![Action::Error(T::NotAllowedHere.get(lang).to_string())];
        }
        if self.transfer.is_some() {
            return vec![Action::Error(T::TransferBusy.get(lang).to_string())];
        }
        let req = ctx.net.job(ReadFile { path: path.clone() }).id();
        self.transfer = Some(Transfer {
            kind: Kind::Import {
                step: ImportStep::Reading,
                prefecture,
                csv: None,
                rows: 0,
            },
            path,
            req,
            done: 0,
            total: None,
        });
        Vec::new()
    }

    pub(super) fn start_export(
        &mut self,
        path: PathBuf,
        encoding: CsvEncoding,
        existing: Existing,
        ctx: &Ctx,
    ) -> Vec<Action> {
        if self.transfer.is_some() {
            return vec![Action::Error(T::TransferBusy.get(ctx.lang).to_string())];
        }
        let req = ctx
            .net
            .job(DownloadTo {
                endpoint: ExportMembers {
                    filter: self.filter.clone(),
                    encoding,
                },
                path: path.clone(),
                existing,
            })
            .id();
        self.transfer = Some(Transfer {
            kind: Kind::Export { encoding },
            path,
            req,
            done: 0,
            total: None,
        });
        Vec::new()
    }

    /// Bytes received by the current step; `false` when the request is not its own.
    pub(super) fn transfer_progress(
        &mut self,
        id: RequestId,
        done: u64,
        total: Option<u64>,
    ) -> bool {
        match self.transfer.as_mut() {
            Some(t) if t.req == id => {
                t.done = done;
                t.total = total;
                true
            }
            _ => false,
        }
    }

    /// The answer to the current step of an import or export; `None` when not its own.
    pub(super) fn transfer_answer(
        &mut self,
        answer: &mut Answer,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        if self.transfer.as_ref().is_none_or(|t| t.req != answer.id) {
            return None;
        }
        let result = answer.take_any()?;
        Some(self.next_step(result, ctx))
    }

    fn next_step(
        &mut self,
        result: Result<Box<dyn Any + Send>, ApiError>,
        ctx: &Ctx,
    ) -> Vec<Action> {
        let lang = ctx.lang;
        let Some(t) = self.transfer.as_mut() else {
            return Vec::new();
        };
        let path = t.path.display().to_string();
        // What each step answers: the file read, an import's report, the file written.
        let result = result.map(|v| match v.downcast::<Arc<Vec<u8>>>() {
            Ok(csv) => Done::File(*csv),
            Err(v) => match v.downcast::<ImportReport>() {
                Ok(report) => Done::Imported(*report),
                Err(v) => match v.downcast::<Written>() {
                    Ok(w) => Done::Written(*w),
                    Err(_) => Done::Other,
                },
            },
        });
        match (&result, &mut t.kind) {
            (
                Ok(Done::File(csv)),
                Kind::Import {
                    step, prefecture, ..
                },
            ) => {
                *step = ImportStep::Checking;
                let prefecture = prefecture.clone();
                let csv = csv.clone();
                t.req = ctx
                    .net
                    .call(ImportMembers {
                        csv: csv.clone(),
                        prefecture,
                        dry_run: true,
                    })
                    .id();
                if let Kind::Import { csv: slot, .. } = &mut t.kind {
                    *slot = Some(csv);
                }
                Vec::new()
            }
            (
                Ok(Done::Imported(report)),
                Kind::Import {
                    step,
                    prefecture,
                    csv,
                    rows,
                },
            ) if report.dry_run => {
                *step = ImportStep::Saving;
                *rows = report.rows;
                let Some(csv) = csv.clone() else {
                    self.transfer = None;
                    return Vec::new();
                };
                t.req = ctx
                    .net
                    .call(ImportMembers {
                        csv,
                        prefecture: prefecture.clone(),
                        dry_run: false,
                    })
                    .id();
                Vec::new()
            }
            (Ok(Done::Imported(report)), Kind::Import { .. }) => {
                self.transfer = None;
                self.reload(ctx);
                vec![Action::Status(format!(
                    "{}: {} {} / {} {}",
                    T::ImportDone.get(lang),
                    report.created,
                    T::Rows.get(lang),
                    report.rows,
                    path
                ))]
            }
            (Ok(Done::Written(Written { path, bytes })), Kind::Export { .. }) => {
                let text = format!(
                    "{}: {} ({})",
                    T::ExportDone.get(lang),
                    path.display(),
                    human_bytes(*bytes)
                );
                self.transfer = None;
                vec![Action::Status(text)]
            }
            (Ok(_), _) => {
                self.transfer = None;
                Vec::new()
            }
            (Err(e), Kind::Export { encoding }) if e.is_existing_file() => {
                // Asked before anything is written over.
                let again = RosterConfirm::Overwrite {
                    path: t.path.clone(),
                    encoding: *encoding,
                };
                self.transfer = None;
                vec![Confirm::popup(
                    format!("{}\n{path}", T::ConfirmOverwrite.get(lang)),
                    again,
                )]
            }
            (Err(ApiError::Server(body)), kind) if !body.fields.is_empty() => {
                let (title, nothing) = match kind {
                    Kind::Import { .. } => (T::ImportRefused, T::ImportNothingSaved),
                    Kind::Export { .. } => (T::ExportRefused, T::ExportNothingWritten),
                };
                let mut intro = vec![clean(&body.message), nothing.get(lang).to_string()];
                intro.push(format!("{}: {path}", T::File.get(lang)));
                if let Some(id) = &body.request_id {
                    intro.push(format!("request id: {id}"));
                }
                self.transfer = None;
                vec![Action::PushPopup(Box::new(Lines::new(
                    title.get(lang),
                    intro,
                    error_lines(body, lang),
                )))]
            }
            (Err(e), _) => {
                self.transfer = None;
                vec![Action::Error(e.summary(lang))]
            }
        }
    }
}

/// What a step of a transfer answered.
enum Done {
    File(Arc<Vec<u8>>),
    Imported(ImportReport),
    Written(Written),
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ouen_shared::{ErrorCode, FieldError};

    #[test]
    fn refused_rows_read_as_lines_in_order() {
        let body = ErrorBody {
            code: ErrorCode::Invalid,
            message: "入力内容に誤りがあります。".into(),
            fields: vec![
                FieldError {
                    field: "rows.12.birth_date".into(),
                    code: "format".into(),
                    message: "日付の形式が正しくありません。".into(),
                },
                FieldError {
                    field: "rows[3].licences[0].number".into(),
                    code: "required".into(),
                    message: "入力してください。".into(),
                },
                FieldError {
                    field: "encoding".into(),
                    code: "unknown_value".into(),
                    message: "選択できない値です。".into(),
                },
            ],
            request_id: None,
            retry_after_seconds: None,
        };
        assert_eq!(
            error_lines(&body, Lang::Ja),
            vec![
                "選択できない値です。",
                "3行目 免許番号: 入力してください。",
                "12行目 生年月日: 日付の形式が正しくありません。",
            ]
        );
        assert_eq!(
            error_lines(&body, Lang::En)[2],
            "Line 12 Date of birth: 日付の形式が正しくありません。"
        );
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_bytes(532), "532 B");
        assert_eq!(human_bytes(12_595), "12.3 KB");
        assert_eq!(human_bytes(1_468_006), "1.4 MB");
    }
}
