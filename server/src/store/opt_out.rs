//! Opting out of optional mail (newsletters and bulk mail) through a member's one-click token.
//! The token is the only credential: it names one member and allows only this choice. Unknown,
//! malformed and erased tokens all answer `NotFound` alike, so nothing hints at which exist.

use super::audit::{write_audit, NewEntry};
use super::sql::{bind_args, execute, Sql};
use super::{in_write, now, Store};
use crate::error::ApiError;
use crate::scope::{Actor, RequestMeta};
use chrono::{DateTime, Utc};
use ouen_shared::Lang;
use rand::RngCore;

/// Where a token's member stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptOutState {
    /// When the member opted out; none while it receives optional mail.
    pub opted_out_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    mail_opt_out_at: Option<DateTime<Utc>>,
}

impl Store {
    /// The caller's own choice about optional mail (`NotFound` for accounts that are not
    /// members); the first opt-out time is kept. Audited.
    pub async fn set_own_opt_out(&self, actor: &Actor, out: bool) -> Result<(), ApiError> {
        let member_id = self.own_member_id(actor).await?;
        let at = now();
        in_write!(self, tx => {
            let changed = if out {
                execute!(tx, Sql::with(
                    "UPDATE members SET mail_opt_out_at = $1 WHERE id = $2 AND account_id = $3 AND mail_opt_out_at IS NULL",
                    [at.into(), member_id.into(), actor.account_id.into()],
                ))
            } else {
                execute!(tx, Sql::with(
                    "UPDATE members SET mail_opt_out_at = NULL WHERE id = $1 AND account_id = $2 AND mail_opt_out_at IS NOT NULL",
                    [member_id.into(), actor.account_id.into()],
                ))
            };
            let action = if out { "member.mail_opt_out" } else { "member.mail_opt_in" };
            let entry = NewEntry::by(actor, action, "member", member_id)
                .detail(serde_json::json!({ "via": "api", "changed": changed == 1 }));
            write_audit!(tx, entry);
        });
        Ok(())
    }

    /// The opt-out token of member `member_id`, issued now if it has none (as queuing its first
    /// optional message does); none for an anonymised or unknown member.
    pub async fn opt_out_token(&self, member_id: i64) -> Result<Option<String>, ApiError> {
        let token = new_opt_out_token();
        let issued: Option<Option<String>> = in_write!(self, tx => {
            execute!(tx, Sql::with(
                "UPDATE members SET mail_opt_out_token = $1 WHERE id = $2 AND mail_opt_out_token IS NULL AND anonymised_at IS NULL",
                [token.into(), member_id.into()],
            ));
            sqlx::query_scalar("SELECT mail_opt_out_token FROM members WHERE id = $1 AND anonymised_at IS NULL")
                .bind(member_id)
                .fetch_optional(&mut *tx)
                .await?
        });
        Ok(issued.flatten())
    }

    /// The state of the member holding `token` (not anonymised); `NotFound` otherwise.
    pub async fn opt_out_state(&self, token: &str) -> Result<OptOutState, ApiError> {
        if !is_opt_out_token(token) {
            return Err(ApiError::NotFound);
        }
        let row: Option<Row> = super::on_read!(self, db => sqlx::query_as(
            "SELECT id, mail_opt_out_at FROM members WHERE mail_opt_out_token = $1 AND anonymised_at IS NULL",
        ).bind(token).fetch_optional(db).await?);
        let row = row.ok_or(ApiError::NotFound)?;
        Ok(OptOutState {
            opted_out_at: row.mail_opt_out_at,
        })
    }

    /// Records the choice of the member holding `token`: `out` opts out of optional mail (the
    /// first time is kept), otherwise it receives it again. Audited as the token's use.
    pub async fn set_opt_out_by_token(
        &self,
        meta: &RequestMeta,
        token: &str,
        out: bool,
    ) -> Result<OptOutState, ApiError> {
        if !is_opt_out_token(token) {
            return Err(ApiError::NotFound);
        }
        let at = now();
        let state = in_write!(self, tx => {
            let row: Option<Row> = sqlx::query_as(
                "SELECT id, mail_opt_out_at FROM members WHERE mail_opt_out_token = $1 AND anonymised_at IS NULL",
            )
            .bind(token)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                return Err(ApiError::NotFound);
            };
            let changed = if out {
                execute!(tx, Sql::with(
                    "UPDATE members SET mail_opt_out_at = $1 WHERE id = $2 AND mail_opt_out_at IS NULL",
                    [at.into(), row.id.into()],
                ))
            } else {
                execute!(tx, Sql::with(
                    "UPDATE members SET mail_opt_out_at = NULL WHERE id = $1 AND mail_opt_out_at IS NOT NULL",
                    [row.id.into()],
                ))
            };
            let action = if out { "member.mail_opt_out" } else { "member.mail_opt_in" };
            let entry = NewEntry::anonymous(meta, action, "member", Some(row.id.to_string()))
                .detail(serde_json::json!({ "via": "token", "changed": changed == 1 }));
            write_audit!(tx, entry);
            OptOutState {
                opted_out_at: if out { row.mail_opt_out_at.or(Some(at)) } else { None },
            }
        });
        Ok(state)
    }
}

/// The link of a member's one-click opt-out page.
pub fn opt_out_link(public_url: &str, token: &str) -> String {
    format!("{}/unsubscribe/{token}", public_url.trim_end_matches('/'))
}

/// The footer every message of a kind a member can opt out of ends with, in `lang`.
pub fn opt_out_footer(lang: Lang, link: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "\n\n--\nこのお知らせ(一斉連絡・ニュースレター)の配信停止はこちら:\n{link}\n派遣依頼・正式依頼・研修の連絡は引き続き届きます。"
        ),
        Lang::En => format!(
            "\n\n--\nTo stop receiving bulk mail and newsletters, open:\n{link}\nDispatch requests, formal requests and training decisions still reach you."
        ),
    }
}

/// Whether `token` is one the store issues (64 lowercase hex digits), so a link made of it
/// cannot carry anything else into a header or a page.
pub fn is_opt_out_token(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `NOT EXISTS (…)`: true unless the member whose id is the SQL `member_id` opted out of
/// optional mail (true for none, e.g. an operator's NULL).
pub(crate) fn not_opted_out(member_id: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM members om WHERE om.id = {member_id} AND om.mail_opt_out_at IS NOT NULL)"
    )
}

/// A new opt-out token: 32 random bytes, hex.
pub(crate) fn new_opt_out_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
