//! The dispatch view's forms: a request written or edited (its slots added in bulk, two
//! series at a time: the same times every day of a date range, working days only or not),
//! the targets chosen with the roster's own filter panel, and a cancellation's reason.

use super::DispatchMsg;
use crate::app::net::Call;
use crate::app::Action;
use crate::i18n::T;
use crate::ui::form::{Field, Form, FormSpec, Submit};
use crate::ui::picker::{CodeList, PickSource};
use crate::views::roster::forms::filter;
use crate::views::roster::forms::reader::{parse_date, Reader};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ouen_shared::api::{
    CancelRequest, DispatchDraft, DispatchRequest, MemberFilter, SlotDraft, SlotSeries,
};
use ouen_shared::dispatch::{parse_time_of_day, Duty};
use ouen_shared::endpoints::{CancelDispatchRequest, CreateDispatchRequest, UpdateDispatchRequest};
use ouen_shared::time::jst;
use ouen_shared::{FieldIssue, Lang, Problem, Profession, Validate};
use std::any::Any;

/// The series a request form offers at once (more are added by editing again).
pub const SERIES: usize = 2;

/// The keys of one series' fields, as the server names its problems (`series.0.from`).
const SERIES_KEYS: [[&str; 7]; SERIES] = [
    [
        "series.0.from",
        "series.0.to",
        "series.0.start",
        "series.0.end",
        "series.0.weekdays_only",
        "series.0.needed",
        "series.0.professions",
    ],
    [
        "series.1.from",
        "series.1.to",
        "series.1.start",
        "series.1.end",
        "series.1.weekdays_only",
        "series.1.needed",
        "series.1.professions",
    ],
];

/// What a dispatch form does.
#[derive(Debug, Clone, PartialEq)]
pub enum DispatchForm {
    /// A new draft; (id, name) of the health centres to choose from.
    New { centres: Vec<(String, String)> },
    /// An open request rewritten: its slots are kept as they are, new series are added.
    Edit {
        id: i64,
        centres: Vec<(String, String)>,
        slots: Vec<SlotDraft>,
    },
    /// The members to ask, chosen with the roster's filters.
    Targets { id: i64, prefecture: Option<String> },
    /// Calls a request off, with the reason everyone asked is told.
    Cancel { id: i64 },
}

fn series_fields(n: usize) -> Vec<Field> {
    let k = SERIES_KEYS[n];
    let group = T::DispatchSeries;
    vec![
        Field::date(k[0], T::DispatchFieldFrom).numbered(group, n + 1),
        Field::date(k[1], T::DispatchFieldTo).numbered(group, n + 1),
        time_field(k[2], T::DispatchFieldStart).numbered(group, n + 1),
        time_field(k[3], T::DispatchFieldEnd).numbered(group, n + 1),
        Field::pick(
            k[4],
            T::DispatchFieldWeekdaysOnly,
            PickSource::Cycle(CodeList::YesOnly),
        )
        .numbered(group, n + 1),
        Field::text(k[5], T::DispatchFieldNeeded).numbered(group, n + 1),
        Field::pick(
            k[6],
            T::DispatchFieldProfessions,
            PickSource::Codes {
                list: CodeList::Professions,
                multi: true,
            },
        )
        .numbered(group, n + 1),
    ]
}

fn time_field(key: &'static str, label: T) -> Field {
    let mut f = Field::text(key, label);
    f.input.set_placeholder("HH:MM");
    f
}

fn request_fields(centres: &[(String, String)]) -> Vec<Field> {
    let mut centre = Field::pick(
        "health_centre_id",
        T::DispatchFieldCentre,
        PickSource::Fixed(centres.to_vec()),
    );
    centre.picked = centres.first().cloned();
    let mut deadline = Field::text("answer_deadline", T::DispatchFieldDeadline);
    deadline.input.set_placeholder("YYYY-MM-DD HH:MM");
    let mut fields = vec![
        Field::text("title", T::DispatchFieldTitle),
        centre,
        Field::pick(
            "duties",
            T::DispatchFieldDuties,
            PickSource::Codes {
                list: CodeList::Duties,
                multi: true,
            },
        ),
        Field::text("other_duty", T::DispatchFieldOtherDuty),
        deadline,
        Field::text("notes", T::DispatchFieldNotes),
    ];
    for n in 0..SERIES {
        fields.extend(series_fields(n));
    }
    fields
}

/// An instant typed as `2026-12-05 17:00` (JST; the date in any spelling the date fields
/// take, the time as `HH:MM` in either width).
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().replace('\u{3000}', " ");
    let (date, time) = text.rsplit_once(' ')?;
    let date: NaiveDate = parse_date(date.trim()).ok()??;
    let time = parse_time_of_day(time)?;
    jst()
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// An instant as the deadline field shows it.
pub fn format_instant(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Reads one series; `None` when all of its fields are empty.
fn read_series(form: &Form, n: usize, read: &mut Reader) -> Option<SlotSeries> {
    let k = SERIES_KEYS[n];
    if k.iter()
        .all(|key| form.value(key).trim().is_empty() || *key == k[4])
    {
        return None;
    }
    let from = read.required_date(form, k[0]);
    let to = read.required_date(form, k[1]);
    let needed = ouen_shared::normalize::number(form.value(k[5]).trim()).parse::<u32>();
    let needed = match needed {
        Ok(n) => n,
        Err(_) => {
            read.issues.push(FieldIssue::new(
                k[5],
                Problem::Format {
                    ja: "人数を数字で入力してください",
                    en: "type a number of people",
                },
            ));
            0
        }
    };
    let professions = read.list(form, k[6], Profession::from_code);
    Some(SlotSeries {
        from: from?,
        to: to?,
        start: form.value(k[2]).trim().to_string(),
        end: form.value(k[3]).trim().to_string(),
        weekdays_only: form.value(k[4]) == "true",
        needed,
        professions,
    })
}

/// The request as typed, with the problems found reading it (the request's own checks come
/// after, from the schema crate, as the server makes them).
fn read_draft(form: &Form, slots: &[SlotDraft]) -> Result<DispatchDraft, Vec<FieldIssue>> {
    let mut read = Reader::default();
    let deadline = parse_instant(&form.value("answer_deadline"));
    if deadline.is_none() {
        read.issues.push(FieldIssue::new(
            "answer_deadline",
            if form.value("answer_deadline").trim().is_empty() {
                Problem::Required
            } else {
                Problem::Format {
                    ja: "例: 2026-12-05 17:00",
                    en: "e.g. 2026-12-05 17:00",
                }
            },
        ));
    }
    let centre = form.value("health_centre_id").parse::<i64>().ok();
    if centre.is_none() {
        read.issues
            .push(FieldIssue::new("health_centre_id", Problem::Required));
    }
    let series: Vec<SlotSeries> = (0..SERIES)
        .filter_map(|n| read_series(form, n, &mut read))
        .collect();
    let duties = read.list(form, "duties", Duty::from_code);
    let unread_series = read.issues.iter().any(|i| i.field.starts_with("series"));
    let mut draft = DispatchDraft {
        title: form.value("title").trim().to_string(),
        health_centre_id: centre.unwrap_or_default(),
        duties,
        other_duty: form.value("other_duty").trim().to_string(),
        // Stands in for a deadline that could not be read; its problems are not reported.
        answer_deadline: deadline.unwrap_or_else(Utc::now),
        notes: form.value("notes"),
        slots: slots.to_vec(),
        series,
    };
    draft.normalize();
    // Every problem at once: what could not be read, then the request's own checks (none
    // twice for a field, none about a value that was not read).
    for p in draft.problems() {
        let known = read.issues.iter().any(|i| i.field == p.field);
        let of_unread = (deadline.is_none() && p.field == "answer_deadline")
            || (unread_series && (p.field.starts_with("series") || p.field.starts_with("slots")));
        if !known && !of_unread {
            read.issues.push(p);
        }
    }
    if read.issues.is_empty() {
        Ok(draft)
    } else {
        Err(read.issues)
    }
}

impl FormSpec for DispatchForm {
    fn title(&self) -> T {
        match self {
            DispatchForm::New { .. } => T::DispatchNew,
            DispatchForm::Edit { .. } => T::DispatchEdit,
            DispatchForm::Targets { .. } => T::DispatchTargetsTitle,
            DispatchForm::Cancel { .. } => T::DispatchCancelTitle,
        }
    }

    fn fields(&self) -> Vec<Field> {
        match self {
            DispatchForm::New { centres } | DispatchForm::Edit { centres, .. } => {
                request_fields(centres)
            }
            DispatchForm::Targets { prefecture, .. } => filter::fields(prefecture).1,
            DispatchForm::Cancel { .. } => vec![Field::text("reason", T::DispatchFieldReason)],
        }
    }

    fn inline(&self) -> bool {
        !matches!(self, DispatchForm::Cancel { .. })
    }

    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>> {
        match self {
            DispatchForm::New { .. } => {
                let draft = read_draft(form, &[])?;
                Ok(Submit::Send(Call::new(CreateDispatchRequest(draft))))
            }
            DispatchForm::Edit { id, slots, .. } => {
                let body = read_draft(form, slots)?;
                Ok(Submit::Send(Call::new(UpdateDispatchRequest {
                    id: *id,
                    body,
                })))
            }
            DispatchForm::Targets { id, .. } => {
                let filter = filter::read_filter(form)?;
                Ok(Submit::Local(vec![
                    Action::ClosePopup,
                    Action::message(DispatchMsg::Targets {
                        id: *id,
                        filter: Box::new(filter),
                    }),
                ]))
            }
            DispatchForm::Cancel { id } => {
                let mut body = CancelRequest {
                    reason: form.value("reason").trim().to_string(),
                };
                body.normalize();
                body.validate()?;
                Ok(Submit::Send(Call::new(CancelDispatchRequest {
                    id: *id,
                    body,
                })))
            }
        }
    }

    fn done(&self, answer: Box<dyn Any + Send>, lang: Lang) -> Vec<Action> {
        let mut actions = vec![Action::ClosePopup, Action::Refresh];
        if let Ok(r) = answer.downcast::<DispatchRequest>() {
            actions.push(Action::Status(format!(
                "{} {}",
                T::Saved.get(lang),
                crate::widgets::text::clean(&r.title)
            )));
            actions.push(Action::message(DispatchMsg::Saved(r)));
        }
        actions
    }

    fn field_for(&self, field: &str) -> String {
        // A problem of a kept slot is shown beside the first series.
        if field.starts_with("slots") {
            return SERIES_KEYS[0][0].to_string();
        }
        if field == "series" {
            return SERIES_KEYS[0][0].to_string();
        }
        field.to_string()
    }
}

/// The form for a new request.
pub fn new_form(centres: Vec<(String, String)>) -> Form {
    Form::new(DispatchForm::New { centres })
}

/// The form of an open request, filled in with what it says; its slots are kept.
pub fn edit_form(r: &DispatchRequest, centres: Vec<(String, String)>, lang: Lang) -> Form {
    let slots: Vec<SlotDraft> = r
        .slots
        .iter()
        .filter(|s| s.cancelled_at.is_none())
        .map(|s| SlotDraft {
            id: Some(s.id),
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            needed: s.needed,
            professions: s.professions.clone(),
        })
        .collect();
    let duties: Vec<&str> = r.duties.iter().map(|d| d.code()).collect();
    let duty_labels: Vec<&str> = r.duties.iter().map(|d| d.label(lang)).collect();
    Form::new(DispatchForm::Edit {
        id: r.id,
        centres,
        slots,
    })
    .with_subject(&r.title)
    .with_value("title", &r.title)
    .with_pick(
        "health_centre_id",
        &r.health_centre_id.to_string(),
        &r.health_centre_name,
    )
    .with_pick(
        "duties",
        &duties.join(","),
        &duty_labels.join(lang.pick("、", ", ")),
    )
    .with_value("other_duty", &r.other_duty)
    .with_value("answer_deadline", &format_instant(r.answer_deadline))
    .with_value("notes", &r.notes)
}

/// The roster's filter panel, choosing whom a request asks.
pub fn targets_form(
    id: i64,
    filter: &MemberFilter,
    prefecture: Option<String>,
    lang: Lang,
) -> Form {
    filter::filled(
        Form::new(DispatchForm::Targets { id, prefecture }),
        filter,
        lang,
    )
}

/// The reason a request is called off.
pub fn cancel_form(r: &DispatchRequest) -> Form {
    Form::new(DispatchForm::Cancel { id: r.id }).with_subject(&r.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_read_in_jst_in_either_width() {
        let t = parse_instant("2026-12-05 17:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-05T08:00:00+00:00");
        assert_eq!(parse_instant("２０２６/１２/５　１７：００"), Some(t));
        assert_eq!(format_instant(t), "2026-12-05 17:00");
        assert_eq!(parse_instant("2026-12-05"), None);
        assert_eq!(parse_instant("2026-12-05 25:00"), None);
    }

    #[test]
    fn a_request_form_reads_its_series_and_names_bad_fields() {
        let centres = vec![("7".to_string(), "多摩府中保健所".to_string())];
        let form = new_form(centres.clone())
            .with_value("title", "積極的疫学調査の応援")
            .with_pick("duties", "active_investigation", "積極的疫学調査")
            .with_value("answer_deadline", "2099-01-01 17:00")
            .with_value("series.0.from", "2099-01-05")
            .with_value("series.0.to", "2099-01-07")
            .with_value("series.0.start", "22:00")
            .with_value("series.0.end", "06:00")
            .with_value("series.0.needed", "２");
        let Ok(Submit::Send(call)) = form.submission() else {
            panic!("a request to send");
        };
        let sent = call.get::<CreateDispatchRequest>().unwrap();
        assert_eq!(sent.0.health_centre_id, 7);
        assert_eq!(sent.0.series.len(), 1);
        assert_eq!(sent.0.series[0].needed, 2);

        let bad = new_form(centres)
            .with_value("title", "x")
            .with_value("answer_deadline", "tomorrow")
            .with_value("series.0.from", "2099-01-05")
            .with_value("series.0.to", "2099-01-07")
            .with_value("series.0.start", "09:00")
            .with_value("series.0.end", "17:00")
            .with_value("series.0.needed", "many");
        let Err(issues) = bad.submission() else {
            panic!("problems expected");
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, vec!["answer_deadline", "series.0.needed", "duties"]);
    }
}
