//! Why a call failed, in words an operator can act on.

use crate::i18n::T;
use ouen_shared::{ErrorBody, ErrorCode, Lang};
use std::path::PathBuf;

/// Why a call failed.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The server could not be reached (connection refused, timeout, DNS).
    Offline(String),
    /// The server answered with an error body.
    Server(ErrorBody),
    /// The answer could not be understood.
    Protocol(String),
    /// The server's address is not a URL a request can go to.
    BadServer(String),
    /// A local file could not be read or written.
    File {
        path: PathBuf,
        write: bool,
        reason: String,
    },
}

impl ApiError {
    /// Whether the session is gone (expired or revoked): the login screen takes over.
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, ApiError::Server(b) if b.code == ErrorCode::Unauthenticated)
    }

    /// A one-line message for the status bar.
    /// The message a view shows for a failed read, or `None` for a lost connection or
    /// session, which the application shows itself.
    pub fn for_view(&self, lang: Lang) -> Option<String> {
        match self {
            ApiError::Offline(_) => None,
            e if e.is_unauthenticated() => None,
            e => Some(e.message(lang)),
        }
    }

    /// The message for the status line, where no form shows the problems beside their
    /// fields: the server's message followed by each field's problem.
    pub fn summary(&self, lang: Lang) -> String {
        match self {
            ApiError::Server(b) if !b.fields.is_empty() => {
                let problems: Vec<&str> = b.fields.iter().map(|f| f.message.as_str()).collect();
                format!(
                    "{}: {}",
                    self.message(lang),
                    problems.join(lang.pick("／", "; "))
                )
            }
            _ => self.message(lang),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Offline(_) => T::Offline.get(lang).to_string(),
            ApiError::Server(b) => match &b.request_id {
                Some(id) => format!("{} ({id})", b.message),
                None => b.message.clone(),
            },
            ApiError::Protocol(m) => {
                lang.pick("サーバーの応答を読み取れません: ", "Unexpected answer: ")
                    .to_string()
                    + m
            }
            ApiError::BadServer(url) => format!(
                "{}: {url} — {}",
                T::BadServerUrl.get(lang),
                lang.pick(
                    "設定ファイルの server か --server を直してください",
                    "fix `server` in the configuration or --server"
                )
            ),
            ApiError::File {
                path,
                write,
                reason,
            } => format!(
                "{} {}: {reason}",
                if *write {
                    lang.pick("ファイルに書き込めません:", "Cannot write the file")
                } else {
                    lang.pick("ファイルを読み込めません:", "Cannot read the file")
                },
                path.display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ouen_shared::FieldError;

    #[test]
    fn the_status_line_names_each_fields_problem() {
        let e = ApiError::Server(ErrorBody {
            code: ErrorCode::Invalid,
            message: "入力内容に誤りがあります。".into(),
            fields: vec![FieldError {
                field: "month".into(),
                code: "format".into(),
                message: "例: 2026-11".into(),
            }],
            request_id: Some("r1".into()),
            retry_after_seconds: None,
        });
        assert_eq!(
            e.summary(Lang::Ja),
            "入力内容に誤りがあります。 (r1): 例: 2026-11"
        );
        let plain = ApiError::Offline("x".into());
        assert_eq!(plain.summary(Lang::Ja), plain.message(Lang::Ja));
    }
}
