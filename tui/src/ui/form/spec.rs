//! What a form is for: its title and fields, what submitting it sends, and what its answer
//! leads to. Each view writes its own; the form itself knows none of them.

use super::{Field, Form};
use crate::app::net::Call;
use crate::app::Action;
use crate::i18n::T;
use ouen_shared::{FieldIssue, Lang};
use std::any::Any;

/// What a valid form does when submitted.
pub enum Submit {
    /// Sends one call; the form waits for its answer and keeps its input on failure.
    Send(Call),
    /// Acts in the client only (e.g. applies a filter).
    Local(Vec<Action>),
}

/// One kind of form.
pub trait FormSpec: Any + Send {
    fn title(&self) -> T;
    fn fields(&self) -> Vec<Field>;

    /// Label and value on one line (long forms).
    fn inline(&self) -> bool {
        false
    }

    /// What submitting does, or the problems found before sending.
    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>>;

    /// What a successful answer to the call sent leads to.
    fn done(&self, _answer: Box<dyn Any + Send>, _lang: Lang) -> Vec<Action> {
        vec![Action::ClosePopup, Action::Refresh]
    }

    /// Where a problem the server names for `field` is shown (a whole list's problem goes
    /// beside its first field).
    fn field_for(&self, field: &str) -> String {
        field.to_string()
    }
}
