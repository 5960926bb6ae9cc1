//! The own-password form: the current password, and the new one typed twice.

use crate::app::net::Call;
use crate::app::Action;
use crate::i18n::T;
use crate::ui::form::{Field, Form, FormSpec, Submit};
use ouen_shared::api::ChangePasswordRequest;
use ouen_shared::endpoints::ChangeOwnPassword;
use ouen_shared::{FieldIssue, Lang, Problem, Validate};
use std::any::Any;

/// Changes the signed-in account's password.
pub struct OwnPassword;

impl FormSpec for OwnPassword {
    fn title(&self) -> T {
        T::ChangeOwnPassword
    }

    fn fields(&self) -> Vec<Field> {
        vec![
            Field::secret("current_password", T::FieldCurrentPassword),
            Field::secret("new_password", T::FieldNewPassword),
            Field::secret("new_password_again", T::FieldNewPasswordAgain),
        ]
    }

    fn submit(&self, form: &Form) -> Result<Submit, Vec<FieldIssue>> {
        let body = ChangePasswordRequest {
            current_password: form.value("current_password"),
            new_password: form.value("new_password"),
        };
        let mut issues = body.validate().err().unwrap_or_default();
        if form.value("new_password_again") != body.new_password {
            issues.push(FieldIssue::new(
                "new_password_again",
                Problem::NotAllowed {
                    ja: "新しいパスワードが一致しません。もう一度入力してください。",
                    en: "The new passwords differ. Type the new password again.",
                },
            ));
        }
        if issues.is_empty() {
            Ok(Submit::Send(Call::new(ChangeOwnPassword(body))))
        } else {
            Err(issues)
        }
    }

    fn done(&self, _answer: Box<dyn Any + Send>, lang: Lang) -> Vec<Action> {
        vec![
            Action::ClosePopup,
            Action::Status(T::PasswordChanged.get(lang).to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_password_must_be_typed_twice_alike() {
        let form = Form::new(OwnPassword)
            .with_value("current_password", "old-secret-1")
            .with_value("new_password", "a-much-longer-secret-2026")
            .with_value("new_password_again", "a-much-longer-secret-2025");
        let Err(issues) = form.submission() else {
            panic!("the two differ");
        };
        assert!(issues.iter().any(|i| i.field == "new_password_again"));
        let form = form.with_value("new_password_again", "a-much-longer-secret-2026");
        let Ok(Submit::Send(call)) = form.submission() else {
            panic!("a call");
        };
        assert!(call.get::<ChangeOwnPassword>().is_some());
    }
}
