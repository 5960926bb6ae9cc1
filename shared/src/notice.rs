//! Vocabulary of the inbox: the kinds of message an account receives.

use crate::role::labelled_enum;
use crate::Lang;

labelled_enum! {
    /// What an inbox message is about.
    NoticeKind {
        /// A prefecture asks whether the member can be dispatched.
        DispatchRequest = "dispatch_request", "派遣依頼", "Dispatch request";
        /// A formal request to work, to be accepted.
        FormalRequest = "formal_request", "正式依頼", "Formal request";
        /// A prefecture decided about a registration (approved, rejected, suspended, …).
        RegistrationResult = "registration_result", "登録審査結果", "Registration result";
        /// Trainings: invitations, participation decisions.
        Training = "training", "研修", "Training";
        /// A new posting in the recipient's scope.
        PostingAlert = "posting_alert", "求人のお知らせ", "Posting alert";
        /// A message sent to many recipients at once.
        BulkMail = "bulk_mail", "一斉連絡", "Bulk mail";
        /// The newsletter.
        Newsletter = "newsletter", "ニュースレター", "Newsletter";
        /// From the system itself.
        System = "system", "システム", "System";
    }
}

impl NoticeKind {
    /// Whether a member may opt out of this kind of message: newsletters and general bulk mail
    /// only, never dispatch or formal requests, training decisions or the system's messages.
    /// The one place this rule lives; the notification path and the e-mail follow it.
    pub fn can_opt_out(self) -> bool {
        matches!(self, NoticeKind::BulkMail | NoticeKind::Newsletter)
    }
}

#[cfg(test)]
mod tests {
    use super::NoticeKind;

    #[test]
    fn only_newsletters_and_bulk_mail_can_be_opted_out_of() {
        let optional: Vec<NoticeKind> = NoticeKind::ALL
            .iter()
            .copied()
            .filter(|k| k.can_opt_out())
            .collect();
        assert_eq!(optional, [NoticeKind::BulkMail, NoticeKind::Newsletter]);
    }
}
