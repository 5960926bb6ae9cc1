//! The text of a message to many: checked and normalised once, rendered with its footer.

use crate::error::ApiError;
use crate::store::inbox::{Notice, Text};
use crate::store::opt_out::opt_out_footer;
use ouen_shared::api::{MAX_MAIL_BODY_CHARS, MAX_MAIL_SUBJECT_CHARS};
use ouen_shared::validate::Problem;
use ouen_shared::{FieldIssue, Lang, NoticeKind};

/// Where a preview shows the opt-out link: each e-mail carries its recipient's own.
fn preview_link(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "(受信者ごとの配信停止リンク)",
        Lang::En => "(each recipient's own opt-out link)",
    }
}

/// A subject and body as sent: the subject trimmed, the body's line endings `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Checked {
    pub subject: String,
    pub body: String,
}

impl Checked {
    /// Checks a subject and body; every problem is a field issue.
    pub fn of(subject: &str, body: &str) -> Result<Checked, ApiError> {
        let mut issues = Vec::new();
        let subject = subject.trim().to_string();
        if subject.is_empty() {
            issues.push(FieldIssue::new("subject", Problem::Required));
        } else if let Some(c) = subject.chars().find(|c| c.is_control()) {
            // A line break here would start a new mail header.
            issues.push(FieldIssue::new(
                "subject",
                Problem::ControlCharacter { character: c },
            ));
        } else if subject.chars().count() > MAX_MAIL_SUBJECT_CHARS {
            issues.push(FieldIssue::new(
                "subject",
                Problem::TooLong {
                    max: MAX_MAIL_SUBJECT_CHARS,
                },
            ));
        }
        let body = body.replace("\r\n", "\n").replace('\r', "\n");
        if body.trim().is_empty() {
            issues.push(FieldIssue::new("body", Problem::Required));
        } else if let Some(c) = body
            .chars()
            .find(|c| c.is_control() && *c != '\n' && *c != '\t')
        {
            issues.push(FieldIssue::new(
                "body",
                Problem::ControlCharacter { character: c },
            ));
        } else if body.chars().count() > MAX_MAIL_BODY_CHARS {
            issues.push(FieldIssue::new(
                "body",
                Problem::TooLong {
                    max: MAX_MAIL_BODY_CHARS,
                },
            ));
        }
        if issues.is_empty() {
            Ok(Checked { subject, body })
        } else {
            Err(ApiError::Invalid(issues))
        }
    }

    /// The body as a recipient reading `lang` gets it by e-mail: the text, then the opt-out
    /// footer the mail worker adds to every such message (here with a stand-in for the link).
    pub fn rendered(&self, lang: Lang) -> String {
        self.body.clone() + &opt_out_footer(lang, preview_link(lang))
    }

    /// The notice delivering this text, for `origin`'s history.
    pub fn notice(&self, kind: NoticeKind, origin: Option<i64>) -> Notice {
        let text = || Text {
            subject: self.subject.clone(),
            body: self.body.clone(),
        };
        Notice {
            kind,
            ja: text(),
            en: text(),
            link: None,
            origin_organisation_id: origin,
        }
    }
}

/// The field issue of a send that would reach nobody.
pub(super) fn no_recipients(field: &str) -> ApiError {
    ApiError::Invalid(vec![FieldIssue::new(
        field,
        Problem::NotAllowed {
            ja: "宛先が0件です。条件に合う配信可能な会員がいません。",
            en: "0 recipients: no member who can receive mail matches.",
        },
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_with_line_breaks_and_empty_bodies_are_refused() {
        assert!(Checked::of("a\r\nBcc: x@example.com", "body").is_err());
        assert!(Checked::of("  ", "body").is_err());
        assert!(Checked::of("s", " \n ").is_err());
        assert!(Checked::of("s", "a\u{7}b").is_err());
        let long = "あ".repeat(MAX_MAIL_BODY_CHARS + 1);
        assert!(Checked::of("s", &long).is_err());
        let ok = Checked::of("  件名 ", "一行目\r\n二行目\t").unwrap();
        assert_eq!(ok.subject, "件名");
        assert_eq!(ok.body, "一行目\n二行目\t");
        assert!(ok
            .rendered(Lang::Ja)
            .ends_with(&opt_out_footer(Lang::Ja, preview_link(Lang::Ja))));
    }
}
