//! Changing one slot of the grid's request: moved or resized (`m`: its day, start and end to
//! the minute in JST, an end at or before the start ending the next day, and the people it
//! needs), or cancelled with the reason its people are told (`X`). The server answers with the
//! grid, which the view takes in place of its own.

use super::ShiftsMsg;
use crate::app::net::Call;
use crate::app::Action;
use crate::i18n::T;
use crate::ui::form::{Field, Form, FormSpec, Submit};
use crate::views::roster::forms::reader::Reader;
use chrono::{DateTime, Utc};
use ouen_shared::api::{head_count_problem, CancelRequest, GridSlot, ShiftGrid, SlotChange};
use ouen_shared::dispatch::parse_time_of_day;
use ouen_shared::endpoints::{CancelDispatchSlot, MoveDispatchSlot};
use ouen_shared::time::jst;
use ouen_shared::{FieldIssue, Lang, Problem, Profession, Validate};
use std::any::Any;

/// What a slot form does.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotForm {
    /// Moves or resizes slot `id`; its professions stay.
    Move {
        id: i64,
        professions: Vec<Profession>,
    },
    /// Cancels slot `id`, with the reason its people are told.
    Cancel { id: i64 },
}

fn hh_mm(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst()).format("%H:%M").to_string()
}

impl SlotForm {
    /// The move form, filled with the slot as it is.
    pub fn moving(slot: &GridSlot, when: &str) -> Form {
        Form::new(SlotForm::Move {
            id: slot.id,
            professions: slot.professions.clone(),
        })
        .with_subject(when)
        .with_value(
            "date",
            &slot
                .starts_at
                .with_timezone(&jst())
                .format("%Y-%m-%d")
                .to_string(),
        )
        .with_value("start", &hh_mm(slot.starts_at))
        .with_value("end", &hh_mm(slot.ends_at))
        .with_value("needed", &slot.needed.to_string())
    }

    /// The cancel form, naming the slot and the seats it frees.
    pub fn cancelling(slot: &GridSlot, when: &str, lang: Lang) -> Form {
        let note = match lang {
            Lang::Ja => format!(
                "割当 {} 人と、この枠に対応可と答えた人に理由を知らせます。",
                slot.assigned
            ),
            Lang::En => format!(
                "The {} assigned and everyone who said they could come are told the reason.",
                slot.assigned
            ),
        };
        Form::new(SlotForm::Cancel { id: slot.id })
            .with_subject(when)
            .with_note(&note)
    }
}

/// The slot as typed, with every problem found reading it and the slot's own checks.
fn read_move(form: &Form, professions: &[Profession]) -> Result<SlotChange, Vec<FieldIssue>> {
    let mut read = Reader::default();
    let date = read.required_date(form, "date");
    let needed = ouen_shared::normalize::number(form.value("needed").trim()).parse::<u32>();
    if needed.is_err() {
        read.issues.push(FieldIssue::new(
            "needed",
            Problem::Format {
                ja: "人数を数字で入力してください",
                en: "type a number of people",
            },
        ));
    }
    let typed = date.map(|date| {
        SlotChange::typed(
            date,
            form.value("start").trim(),
            form.value("end").trim(),
            needed.clone().unwrap_or(1),
            professions.to_vec(),
        )
    });
    match typed {
        Some(Ok(mut change)) if read.issues.is_empty() => {
            change.normalize();
            change.validate()?;
            Ok(change)
        }
        Some(Ok(change)) => Err(merged(read.issues, change.problems())),
        Some(Err(issues)) => {
            read.issues.extend(issues);
            Err(merged(read.issues, head_count_problems(needed)))
        }
        // The day could not be read: the times are still named when they cannot be either.
        None => {
            for key in ["start", "end"] {
                if parse_time_of_day(form.value(key).trim()).is_none() {
                    read.issues.push(FieldIssue::new(
                        key,
                        Problem::Format {
                            ja: "時刻は HH:MM（例 09:00）で入力してください",
                            en: "type a time as HH:MM (e.g. 09:00)",
                        },
                    ));
                }
            }
            Err(merged(read.issues, head_count_problems(needed)))
        }
    }
}

/// The head-count's own problem, for when the times could not be read.
fn head_count_problems(needed: Result<u32, std::num::ParseIntError>) -> Vec<FieldIssue> {
    needed
        .ok()
        .and_then(head_count_problem)
        .map(|p| FieldIssue::new("needed", p))
        .into_iter()
        .collect()
}

/// `found`, then those of `more` about a field not named yet.
fn merged(mut found: Vec<FieldIssue>, more: Vec<FieldIssue>) -> Vec<FieldIssue> {
    for issue in more {
        if !found.iter().any(|i| i.field == issue.field) {
            found.push(issue);
        }
    }
    found
}

impl FormSpec for SlotForm {
    fn title(&self) -> T {
        match self {
            SlotForm::Move { .. } => T::ShiftsMoveSlotTitle,
            SlotForm::Cancel { .. } => T::ShiftsCancelSlotTitle,
        }
    }

    fn fields(&self) -> Vec<Field> {
        match self {
            SlotForm::Move { .. } => {
                let mut start = Field::text("start", T::DispatchFieldStart);
                start.input.set_placeholder("HH:MM");
                let mut end = Field::text("end", T::DispatchFieldEnd);
                end.input.set_placeholder("HH:MM");
                vec![
                    Field::date("date", T::ShiftsFieldDay),
                    start,
                    end,
                    Field::text("needed", T::DispatchFieldNeeded),
                ]
            }
            SlotForm::Cancel { .. } => vec![Field::text("reason", T::DispatchFieldReason)],
        }
    }

    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>> {
        match self {
            SlotForm::Move { id, professions } => {
                let body = read_move(form, professions)?;
                Ok(Submit::Send(Call::new(MoveDispatchSlot { id: *id, body })))
            }
            SlotForm::Cancel { id } => {
                let mut body = CancelRequest {
                    reason: form.value("reason"),
                };
                body.normalize();
                body.validate()?;
                Ok(Submit::Send(Call::new(CancelDispatchSlot {
                    id: *id,
                    body,
                })))
            }
        }
    }

    fn done(&self, answer: Box<dyn Any + Send>, lang: Lang) -> Vec<Action> {
        let mut actions = vec![Action::ClosePopup];
        if let Ok(grid) = answer.downcast::<ShiftGrid>() {
            actions.push(Action::Status(
                match self {
                    SlotForm::Move { .. } => T::ShiftsSlotMoved,
                    SlotForm::Cancel { .. } => T::ShiftsSlotCancelled,
                }
                .get(lang)
                .to_string(),
            ));
            actions.push(Action::message(ShiftsMsg::Changed(grid)));
        }
        actions
    }

    fn field_for(&self, field: &str) -> String {
        // The server names the instants; the form shows them as a day and two times.
        match field {
            "starts_at" => "start".to_string(),
            "ends_at" => "end".to_string(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn slot() -> GridSlot {
        GridSlot {
            id: 7,
            starts_at: Utc.with_ymd_and_hms(2099, 3, 2, 13, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2099, 3, 2, 21, 0, 0).unwrap(),
            needed: 2,
            professions: vec![Profession::Nurse],
            assigned: 1,
            accepted: 0,
            gap: 1,
            unfilled: None,
        }
    }

    #[test]
    fn a_move_is_read_in_jst_overnight_and_in_either_width() {
        let form = SlotForm::moving(&slot(), "3/2")
            .with_value("date", "２０９９/３/４")
            .with_value("start", "２２：００")
            .with_value("end", "06:00")
            .with_value("needed", "３");
        let Ok(Submit::Send(call)) = form.submission() else {
            panic!("a move to send");
        };
        let sent = call.get::<MoveDispatchSlot>().unwrap();
        assert_eq!(sent.id, 7);
        assert_eq!(
            sent.body.starts_at.to_rfc3339(),
            "2099-03-04T13:00:00+00:00"
        );
        assert_eq!(sent.body.ends_at.to_rfc3339(), "2099-03-04T21:00:00+00:00");
        assert_eq!(sent.body.needed, 3);
        assert_eq!(sent.body.professions, vec![Profession::Nurse]);
    }

    #[test]
    fn a_bad_move_names_every_field_and_sends_nothing() {
        let form = SlotForm::moving(&slot(), "3/2")
            .with_value("date", "someday")
            .with_value("needed", "many");
        let Err(issues) = form.submission() else {
            panic!("problems expected");
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["date", "needed"]);
        let form = SlotForm::moving(&slot(), "3/2")
            .with_value("date", "あした")
            .with_value("start", "25:99");
        let Err(issues) = form.submission() else {
            panic!("problems expected");
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["date", "start"]);
        let form = SlotForm::moving(&slot(), "3/2")
            .with_value("start", "9時")
            .with_value("end", "09:00")
            .with_value("needed", "0");
        let Err(issues) = form.submission() else {
            panic!("problems expected");
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["start", "needed"]);
        let form = SlotForm::moving(&slot(), "3/2").with_value("needed", "0");
        let Err(issues) = form.submission() else {
            panic!("problems expected");
        };
        assert_eq!(issues[0].field, "needed");
    }

    #[test]
    fn a_cancel_needs_a_reason() {
        let form = SlotForm::cancelling(&slot(), "3/2", Lang::Ja).with_value("reason", "　");
        assert!(form.submission().is_err());
        let form =
            SlotForm::cancelling(&slot(), "3/2", Lang::Ja).with_value("reason", "収束のため");
        let Ok(Submit::Send(call)) = form.submission() else {
            panic!("a cancel to send");
        };
        assert_eq!(
            call.get::<CancelDispatchSlot>().unwrap().body.reason,
            "収束のため"
        );
    }
}
