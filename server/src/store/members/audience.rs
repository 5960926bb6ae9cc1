//! The members a message to many would reach: the roster's own filter and scope, read as the
//! few columns a send needs.

use super::filter::{push_filter, Mode, Shape};
use crate::error::ApiError;
use crate::scope::RosterScope;
use crate::store::inbox::Recipient;
use crate::store::sql::{bind_args, Sql};
use crate::store::{on_read, Store};
use ouen_shared::api::MemberFilter;
use std::str::FromStr;

/// Who a filter reaches: the members to send to, and those matched but left out.
#[derive(Debug, Default)]
pub struct Audience {
    /// Members with a deliverable address who did not opt out, in id order.
    pub recipients: Vec<Recipient>,
    /// Matched members who opted out of general mail.
    pub opted_out: i64,
    /// Matched members without an address the mail layer accepts (not sent to).
    pub undeliverable: i64,
}

/// `(id, account id, languages, email, opted out)`.
type AudienceRow = (i64, Option<i64>, String, String, i64);

impl Store {
    /// The members `filter` matches in `scope` (the roster list's own conditions), split into
    /// recipients and those left out. Not audited: callers audit what they do with it.
    pub(crate) async fn audience(
        &self,
        scope: &RosterScope,
        filter: &MemberFilter,
    ) -> Result<Audience, ApiError> {
        let mut sql = Sql::new(
            "SELECT m.id, m.account_id, m.languages, m.email, \
             CAST(CASE WHEN m.mail_opt_out_at IS NULL THEN 0 ELSE 1 END AS BIGINT) FROM members m",
        );
        let mut filters = Sql::default();
        push_filter(
            &mut filters,
            scope,
            filter,
            Shape {
                backend: self.kind(),
                mode: Mode::Gather,
            },
        )?;
        sql.push(&filters.text);
        sql.args = filters.args;
        sql.push(" ORDER BY m.id");
        let rows: Vec<AudienceRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        let mut audience = Audience::default();
        for (id, account_id, languages, email, opted_out) in rows {
            if opted_out != 0 {
                audience.opted_out += 1;
            } else if email.trim().is_empty() || lettre::Address::from_str(email.trim()).is_err() {
                audience.undeliverable += 1;
            } else {
                audience.recipients.push(Recipient::member(
                    id,
                    account_id,
                    super::lifecycle::member_lang(&languages),
                ));
            }
        }
        Ok(audience)
    }
}
