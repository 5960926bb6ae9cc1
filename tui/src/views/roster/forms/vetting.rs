//! What a prefecture writes on a record: the reason of a rejection, suspension or
//! withdrawal, and the notes.

use crate::app::net::Call;
use crate::i18n::T;
use crate::ui::form::{Field, Form, Submit};
use ouen_shared::api::{Decision, DecisionRequest, UpdateMemberNotesRequest};
use ouen_shared::endpoints::{Decide, UpdateMemberNotes};
use ouen_shared::{FieldIssue, Validate};

/// A decision's reason form.
pub(super) fn reason_fields(decision: Decision) -> (T, Vec<Field>) {
    (
        match decision {
            Decision::Reject => T::RejectTitle,
            Decision::Suspend => T::SuspendTitle,
            _ => T::WithdrawMemberTitle,
        },
        vec![Field::text("reason", T::Reason)],
    )
}

pub(super) fn notes_fields() -> (T, Vec<Field>) {
    (
        T::EditNotesTitle,
        vec![Field::text("notes", T::SectionNotes)],
    )
}

/// The decision with its reason, for the membership in `prefecture`.
pub(super) fn decision_submission(
    form: &Form,
    id: i64,
    prefecture: &str,
    decision: Decision,
) -> Result<Submit, Vec<FieldIssue>> {
    let body = DecisionRequest {
        decision,
        reason: Some(form.value("reason").trim().to_string()),
    };
    body.validate().map(|()| {
        Submit::Send(Call::new(Decide {
            id,
            prefecture: prefecture.to_string(),
            body,
        }))
    })
}

pub(super) fn notes_submission(form: &Form, id: i64) -> Result<Submit, Vec<FieldIssue>> {
    let body = UpdateMemberNotesRequest {
        notes: form.value("notes").trim().to_string(),
    };
    body.validate()
        .map(|()| Submit::Send(Call::new(UpdateMemberNotes { id, body })))
}

#[cfg(test)]
mod tests {
    use crate::ui::form::{Form, Submit};
    use crate::views::roster::forms::RosterForm;
    use ouen_shared::api::Decision;
    use ouen_shared::endpoints::Decide;

    #[test]
    fn a_reason_is_required_for_a_rejection() {
        let form = Form::new(RosterForm::Decide {
            id: 1,
            prefecture: "13".into(),
            decision: Decision::Reject,
        });
        let Err(issues) = form.submission() else {
            panic!("the reason is missing");
        };
        assert_eq!(issues[0].field, "reason");
        let form = form.with_value("reason", "免許の確認が取れません");
        let Ok(Submit::Send(call)) = form.submission() else {
            panic!("a request");
        };
        assert!(call.get::<Decide>().is_some());
    }
}
