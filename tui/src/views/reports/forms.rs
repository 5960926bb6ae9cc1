//! The forms of the reports tab: the member files a daily report for a seat it worked, or
//! corrects one (the same fields, filled with the report); the requester returns or reopens a
//! report with a comment. Typed values are read by the schema crate's [`TypedReport`], the
//! rule the e-mail link's page reads them by too.

use super::ReportsMsg;
use crate::app::net::Call;
use crate::app::Action;
use crate::i18n::T;
use crate::ui::form::{Field, Form, FormSpec, Submit};
use crate::ui::picker::PickSource;
use chrono::{DateTime, Utc};
use ouen_shared::api::{
    count_field, form_field, DailyReport, DailyReportDraft, ReportComment, ReportDue, TypedReport,
};
use ouen_shared::dispatch::{duties_label, Duty};
use ouen_shared::endpoints::{
    CorrectDailyReport, FileDailyReport, ReopenDailyReport, ReturnDailyReport,
};
use ouen_shared::time::jst;
use ouen_shared::{FieldIssue, Lang, Validate};
use std::any::Any;

/// The label of a duty's count field.
fn count_label(duty: Duty) -> T {
    match duty {
        Duty::ActiveInvestigation => T::ReportsCountActiveInvestigation,
        Duty::HealthObservation => T::ReportsCountHealthObservation,
        Duty::PhoneConsultation => T::ReportsCountPhoneConsultation,
        Duty::SpecimenCollection => T::ReportsCountSpecimenCollection,
        Duty::DataEntry => T::ReportsCountDataEntry,
        Duty::Other => T::ReportsCountOther,
    }
}

fn day(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst()).format("%Y-%m-%d").to_string()
}

fn hh_mm(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst()).format("%H:%M").to_string()
}

/// A daily report being filed (`report: None`) or corrected.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportForm {
    pub assignment_id: i64,
    /// The report corrected, if it is a correction.
    pub report: Option<i64>,
    /// The request's duties, to choose from, labelled in `lang`.
    pub offered: Vec<Duty>,
    pub lang: Lang,
}

impl ReportForm {
    /// The form for a seat still to report, filled with its slot's day and times and every
    /// duty of the request (the member narrows them).
    pub fn filing(due: &ReportDue, subject: &str, lang: Lang) -> Form {
        let spec = ReportForm {
            assignment_id: due.assignment_id,
            report: None,
            offered: due.duties.clone(),
            lang,
        };
        let codes: Vec<&str> = due.duties.iter().map(|d| d.code()).collect();
        Form::new(spec)
            .with_subject(subject)
            .with_value("date", &day(due.slot_starts_at))
            .with_value("start", &hh_mm(due.slot_starts_at))
            .with_value("end", &hh_mm(due.slot_ends_at))
            .with_value("break_minutes", "0")
            .with_pick("duties", &codes.join(","), &duties_label(&due.duties, lang))
    }

    /// The form for a correction, filled with the report as it stands.
    pub fn correcting(r: &DailyReport, subject: &str, lang: Lang) -> Form {
        let mut offered = r.request_duties.clone();
        for d in &r.duties {
            if !offered.contains(d) {
                offered.push(*d);
            }
        }
        let spec = ReportForm {
            assignment_id: r.assignment_id,
            report: Some(r.id),
            offered,
            lang,
        };
        let codes: Vec<&str> = r.duties.iter().map(|d| d.code()).collect();
        let mut form = Form::new(spec)
            .with_subject(subject)
            .with_value("date", &day(r.starts_at))
            .with_value("start", &hh_mm(r.starts_at))
            .with_value("end", &hh_mm(r.ends_at))
            .with_value("break_minutes", &r.break_minutes.to_string())
            .with_pick("duties", &codes.join(","), &duties_label(&r.duties, lang))
            .with_value("notes", &r.notes);
        for c in &r.counts {
            form = form.with_value(count_field(c.duty), &c.count.to_string());
        }
        if let Some(comment) = &r.comment {
            form = form.with_note(&format!("{}: {comment}", T::ReportsColComment.get(lang)));
        }
        form
    }

    /// The report as typed, or every problem beside its field.
    pub fn read(&self, form: &Form) -> Result<DailyReportDraft, Vec<FieldIssue>> {
        let chosen = form.value("duties");
        let duties: Vec<Duty> = self
            .offered
            .iter()
            .copied()
            .filter(|d| chosen.split(',').any(|c| c.trim() == d.code()))
            .collect();
        let counts: Vec<(Duty, String)> = self
            .offered
            .iter()
            .map(|d| (*d, form.value(count_field(*d))))
            .collect();
        let (date, start, end) = (form.value("date"), form.value("start"), form.value("end"));
        let (break_minutes, notes) = (form.value("break_minutes"), form.value("notes"));
        TypedReport {
            assignment_id: self.assignment_id,
            date: &date,
            start: &start,
            end: &end,
            break_minutes: &break_minutes,
            duties,
            counts: counts.iter().map(|(d, c)| (*d, c.as_str())).collect(),
            notes: &notes,
        }
        .read()
    }
}

impl FormSpec for ReportForm {
    fn title(&self) -> T {
        match self.report {
            None => T::ReportsFileTitle,
            Some(_) => T::ReportsCorrectTitle,
        }
    }

    fn inline(&self) -> bool {
        true
    }

    fn fields(&self) -> Vec<Field> {
        let mut start = Field::text("start", T::ReportsFieldStart);
        start.input.set_placeholder("HH:MM");
        let mut end = Field::text("end", T::ReportsFieldEnd);
        end.input.set_placeholder("HH:MM");
        let mut fields = vec![
            Field::date("date", T::ReportsFieldDate),
            start,
            end,
            Field::text("break_minutes", T::ReportsFieldBreak),
            Field::pick(
                "duties",
                T::ReportsFieldDuties,
                PickSource::Multi(
                    self.offered
                        .iter()
                        .map(|d| (d.code().to_string(), d.label(self.lang).to_string()))
                        .collect(),
                ),
            ),
        ];
        fields.extend(
            self.offered
                .iter()
                .map(|d| Field::text(count_field(*d), count_label(*d))),
        );
        fields.push(Field::text("notes", T::ReportsFieldNotes));
        fields
    }

    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>> {
        let body = self.read(form)?;
        Ok(Submit::Send(match self.report {
            None => Call::new(FileDailyReport(body)),
            Some(id) => Call::new(CorrectDailyReport { id, body }),
        }))
    }

    fn field_for(&self, field: &str) -> String {
        // A count's problem from the server names a position among the counts sent (the
        // client checks counts before sending, so this is rare): the first count field
        // stands for them.
        form_field(field, &[]).unwrap_or_else(|| {
            self.offered
                .first()
                .map_or_else(|| "duties".to_string(), |d| count_field(*d).to_string())
        })
    }

    fn done(&self, answer: Box<dyn Any + Send>, lang: Lang) -> Vec<Action> {
        let mut actions = vec![Action::ClosePopup];
        if let Ok(r) = answer.downcast::<DailyReport>() {
            actions.push(Action::Status(T::ReportsFiled.get(lang).to_string()));
            actions.push(Action::message(ReportsMsg::Changed(r)));
        }
        actions
    }
}

/// A requester's return or reopening of report `id`, with the comment the member reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentForm {
    Return { id: i64 },
    Reopen { id: i64 },
}

impl FormSpec for CommentForm {
    fn title(&self) -> T {
        match self {
            CommentForm::Return { .. } => T::ReportsReturnTitle,
            CommentForm::Reopen { .. } => T::ReportsReopenTitle,
        }
    }

    fn fields(&self) -> Vec<Field> {
        vec![Field::text("comment", T::ReportsFieldComment)]
    }

    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>> {
        let mut body = ReportComment {
            comment: form.value("comment"),
        };
        body.normalize();
        body.validate()?;
        Ok(Submit::Send(match *self {
            CommentForm::Return { id } => Call::new(ReturnDailyReport { id, body }),
            CommentForm::Reopen { id } => Call::new(ReopenDailyReport { id, body }),
        }))
    }

    fn done(&self, answer: Box<dyn Any + Send>, lang: Lang) -> Vec<Action> {
        let mut actions = vec![Action::ClosePopup];
        if let Ok(r) = answer.downcast::<DailyReport>() {
            actions.push(Action::Status(
                match self {
                    CommentForm::Return { .. } => T::ReportsReturned,
                    CommentForm::Reopen { .. } => T::ReportsReopened,
                }
                .get(lang)
                .to_string(),
            ));
            actions.push(Action::message(ReportsMsg::Changed(r)));
        }
        actions
    }
}
