//! The honorarium export (謝金・経理用): the approved daily reports of a period (a JST month or
//! a fiscal year from April), in the caller's scope, one row per report, or one row per member
//! with its totals. The reports are personal data: every export is audited.

use super::{ReportRow, REPORT_COLUMNS, REPORT_FROM};
use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::dispatch::push_request_visibility;
use crate::store::sql::{bind_args, Sql};
use crate::store::{in_write, on_read, Store};
use ouen_shared::api::{DailyReport, HonorariumQuery};
use ouen_shared::time::start_of_jst_day;
use ouen_shared::Role;

/// One approved report as the export writes it.
#[derive(Debug, Clone)]
pub struct HonorariumRow {
    pub report: DailyReport,
    pub registration_code: Option<String>,
    pub prefecture_code: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    report: ReportRow,
    registration_code: Option<String>,
    prefecture_code: String,
}

impl Store {
    /// The approved reports of the period `query` names, oldest first, in `actor`'s scope
    /// (operators only). Audited with the reports' ids.
    pub async fn honorarium_rows(
        &self,
        actor: &Actor,
        query: &HonorariumQuery,
    ) -> Result<Vec<HonorariumRow>, ApiError> {
        if actor.role == Role::Member {
            return Err(ApiError::Forbidden);
        }
        crate::store::dispatch::may_read(actor)?;
        let (first, next) = query.period().map_err(ApiError::Invalid)?;
        let (from, until) = (start_of_jst_day(first), start_of_jst_day(next));
        let mut sql = Sql::new(&format!(
            "SELECT {REPORT_COLUMNS}, m.registration_code, d.prefecture_code {REPORT_FROM} \
             WHERE r.status = 'approved' AND r.starts_at >= "
        ));
        sql.arg(from)
            .push(" AND r.starts_at < ")
            .arg(until)
            .push(" AND ");
        push_request_visibility(&mut sql, actor, "d");
        if let Some(member) = query.member_id {
            sql.push(" AND r.member_id = ").arg(member);
        }
        sql.push(" ORDER BY r.starts_at, r.id");
        let rows: Vec<Row> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        let rows: Vec<HonorariumRow> = rows
            .into_iter()
            .map(|r| HonorariumRow {
                report: r.report.report(),
                registration_code: r.registration_code,
                prefecture_code: r.prefecture_code,
            })
            .collect();
        let ids: Vec<i64> = rows.iter().map(|r| r.report.id).collect();
        let entry = NewEntry::by(actor, "report.export", "daily_report", 0).detail(
            serde_json::json!({ "from": first, "until": next, "member": query.member_id, "ids": ids }),
        );
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(rows)
    }
}
