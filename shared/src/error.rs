//! The one error body every failing API call answers with.

use serde::{Deserialize, Serialize};

/// A stable, machine-readable error code. The HTTP status follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the request could not be read (malformed JSON, bad query string).
    BadRequest,
    /// 401: no valid session.
    Unauthenticated,
    /// 401: the login or password is wrong.
    InvalidCredentials,
    /// 403: the caller may not do this.
    Forbidden,
    /// 404: no such record, or it is outside the caller's scope.
    NotFound,
    /// 405: the route exists but not with this method.
    MethodNotAllowed,
    /// 409: the change conflicts with existing data.
    Conflict,
    /// 413: the body is too large.
    PayloadTooLarge,
    /// 414: the path and query are too long.
    UriTooLong,
    /// 431: too many or too large request headers.
    HeadersTooLarge,
    /// 422: field-by-field validation failed.
    Invalid,
    /// 429: too many attempts; retry later.
    Throttled,
    /// 408: the request took too long.
    Timeout,
    /// 500: an unexpected failure on the server.
    Internal,
    /// 503: the database does not answer.
    Unavailable,
    /// 503: the server is busy (too many password checks waiting); retry shortly.
    Busy,
}

impl ErrorCode {
    /// The HTTP status code for this error.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Timeout => 408,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UriTooLong => 414,
            ErrorCode::HeadersTooLarge => 431,
            ErrorCode::Invalid => 422,
            ErrorCode::Throttled => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable | ErrorCode::Busy => 503,
        }
    }

    /// The code for an HTTP status (used for errors produced outside the handlers).
    pub fn from_status(status: u16) -> ErrorCode {
        match status {
            400 => ErrorCode::BadRequest,
            401 => ErrorCode::Unauthenticated,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            405 => ErrorCode::MethodNotAllowed,
            408 => ErrorCode::Timeout,
            409 => ErrorCode::Conflict,
            413 => ErrorCode::PayloadTooLarge,
            414 => ErrorCode::UriTooLong,
            431 => ErrorCode::HeadersTooLarge,
            422 => ErrorCode::Invalid,
            429 => ErrorCode::Throttled,
            503 => ErrorCode::Unavailable,
            _ => ErrorCode::Internal,
        }
    }

    /// A human message in the given language.
    pub fn message(self, lang: crate::Lang) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => lang.pick(
                "リクエストを読み取れません。",
                "The request could not be read.",
            ),
            Unauthenticated => lang.pick(
                "ログインが必要です。もう一度ログインしてください。",
                "You need to log in. Please log in again.",
            ),
            InvalidCredentials => lang.pick(
                "ログインIDまたはパスワードが違います。",
                "The login or password is wrong.",
            ),
            Forbidden => lang.pick(
                "この操作は許可されていません。",
                "You are not allowed to do this.",
            ),
            NotFound => lang.pick("見つかりません。", "Not found."),
            MethodNotAllowed => {
                lang.pick("この操作はできません。", "This method is not allowed here.")
            }
            Conflict => lang.pick(
                "既存のデータと矛盾するため変更できません。",
                "This conflicts with existing data.",
            ),
            PayloadTooLarge => lang.pick(
                "送信データが大きすぎます。",
                "The request body is too large.",
            ),
            UriTooLong => lang.pick(
                "URLが長すぎます。検索条件を減らしてください。",
                "The address is too long. Use fewer search conditions.",
            ),
            HeadersTooLarge => lang.pick(
                "リクエストのヘッダーが大きすぎます。",
                "The request headers are too large.",
            ),
            Invalid => lang.pick("入力内容に誤りがあります。", "Some fields are invalid."),
            Throttled => lang.pick(
                "試行回数が多すぎます。しばらくしてから再度お試しください。",
                "Too many attempts. Please wait and try again.",
            ),
            Timeout => lang.pick(
                "処理に時間がかかりすぎました。",
                "The request took too long.",
            ),
            Internal => lang.pick(
                "サーバーで問題が発生しました。時間をおいて再度お試しください。",
                "Something went wrong on the server. Please try again later.",
            ),
            Unavailable => lang.pick(
                "データベースに接続できません。",
                "The database is not available.",
            ),
            Busy => lang.pick(
                "ただいま混み合っています。数秒後に再度お試しください。",
                "The server is busy. Please try again in a few seconds.",
            ),
        }
    }
}

/// One field's problem, as sent to the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as in the request body, e.g. `login` or `professions[1].licence_number`.
    pub field: String,
    /// A stable code for the problem, e.g. `required`, `too_short`.
    pub code: String,
    /// The message in the request's language.
    pub message: String,
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// The message in the language of `Accept-Language` (Japanese by default).
    pub message: String,
    /// Field-by-field problems (for `invalid`); empty otherwise.
    #[serde(default)]
    pub fields: Vec<FieldError>,
    /// The request id, to quote to the operators.
    #[serde(default)]
    pub request_id: Option<String>,
    /// Seconds to wait before retrying (for `throttled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}
