//! What a prefecture writes on a record: the reason of a rejection, suspension or
//! withdrawal, and the notes.

use crate::api::Request;
use crate::components::form::{Field, Form, Submit};
use crate::i18n::T;
use ouen_shared::api::{Decision, DecisionRequest, UpdateMemberNotesRequest};
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
        Submit::Send(Box::new(Request::Decide {
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
        .map(|()| Submit::Send(Box::new(Request::UpdateNotes { id, body })))
}

#[cfg(test)]
mod tests {
    use crate::api::Request;
    use crate::components::form::{Form, Purpose, Submit};
    use crate::components::roster::forms::submission;
    use ouen_shared::api::Decision;

    #[test]
    fn a_reason_is_required_for_a_rejection() {
        let form = Form::new(Purpose::Decide {
            id: 1,
            prefecture: "13".into(),
            decision: Decision::Reject,
        });
        let Some(Err(issues)) = submission(&form) else {
            panic!("the reason is missing");
        };
        assert_eq!(issues[0].field, "reason");
        let form = form.with_value("reason", "免許の確認が取れません");
        let Some(Ok(Submit::Send(req))) = submission(&form) else {
            panic!("a request");
        };
        assert!(matches!(*req, Request::Decide { .. }));
    }
}
