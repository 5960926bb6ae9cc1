//! Planned requests turned into multi-row `INSERT` statements, ids assigned.

use super::plan::PlannedRequest;
use super::GeneratedDispatches;
use crate::store::sql::{multi_row_inserts, Arg, Sql};
use crate::store::BackendKind;
use ouen_shared::text::fold;

/// The first id to use in each table, less one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bases {
    pub(super) requests: i64,
    pub(super) slots: i64,
    pub(super) assignments: i64,
    pub(super) reports: i64,
}

/// The rows of one transaction.
#[derive(Default)]
pub(super) struct Rows {
    requests: Vec<Vec<Arg>>,
    slots: Vec<Vec<Arg>>,
    asks: Vec<Vec<Arg>>,
    answers: Vec<Vec<Arg>>,
    assignments: Vec<Vec<Arg>>,
    reports: Vec<Vec<Arg>>,
    versions: Vec<Vec<Arg>>,
}

impl Rows {
    pub(super) fn of(planned: &[PlannedRequest], bases: Bases) -> Rows {
        let mut rows = Rows::default();
        let (mut slot_id, mut assignment_id, mut report_id) =
            (bases.slots, bases.assignments, bases.reports);
        for (i, r) in planned.iter().enumerate() {
            let id = bases.requests + 1 + i as i64;
            rows.requests.push(vec![
                id.into(),
                r.organisation_id.into(),
                r.prefecture_code.as_str().into(),
                r.health_centre_id.into(),
                r.title.as_str().into(),
                fold(&r.title).into(),
                r.duties.as_str().into(),
                r.other_duty.as_str().into(),
                r.notes.as_str().into(),
                r.answer_deadline.into(),
                r.status.code().into(),
                Some(r.created_by).into(),
                r.created_at.into(),
                r.updated_at.into(),
                Some(r.sent_at).into(),
                r.cancelled_at.into(),
                r.cancel_reason.clone().into(),
            ]);
            let first_slot = slot_id + 1;
            for slot in &r.slots {
                slot_id += 1;
                rows.slots.push(vec![
                    slot_id.into(),
                    id.into(),
                    slot.starts_at.into(),
                    slot.ends_at.into(),
                    slot.needed.into(),
                    slot.professions.as_str().into(),
                    slot.cancelled_at.into(),
                ]);
                for a in &slot.assignments {
                    assignment_id += 1;
                    rows.assignments.push(vec![
                        assignment_id.into(),
                        slot_id.into(),
                        id.into(),
                        a.member_id.into(),
                        slot.starts_at.into(),
                        slot.ends_at.into(),
                        a.status.into(),
                        a.decline_reason.clone().into(),
                        a.created_at.into(),
                        a.decided_at.into(),
                        a.report_reminded_at.into(),
                    ]);
                    let Some(report) = &a.report else { continue };
                    report_id += 1;
                    rows.reports.push(vec![
                        report_id.into(),
                        assignment_id.into(),
                        id.into(),
                        a.member_id.into(),
                        report.starts_at.into(),
                        report.ends_at.into(),
                        report.break_minutes.into(),
                        report.duties.as_str().into(),
                        report.counts.as_str().into(),
                        report.notes.as_str().into(),
                        report.status.code().into(),
                        (report.versions.len() as i64).into(),
                        report.comment.clone().into(),
                        report.submitted_at.into(),
                        report.decided_at.into(),
                    ]);
                    for (n, v) in report.versions.iter().enumerate() {
                        rows.versions.push(vec![
                            report_id.into(),
                            (n as i64 + 1).into(),
                            v.status.code().into(),
                            report.starts_at.into(),
                            report.ends_at.into(),
                            report.break_minutes.into(),
                            report.duties.as_str().into(),
                            report.counts.as_str().into(),
                            report.notes.as_str().into(),
                            v.comment.clone().into(),
                            v.changed_by.into(),
                            v.changed_at.into(),
                        ]);
                    }
                }
            }
            for ask in &r.asks {
                rows.asks.push(vec![
                    id.into(),
                    ask.member_id.into(),
                    ask.token.as_str().into(),
                    r.sent_at.into(),
                    Some(r.created_by).into(),
                    ask.answered_at.into(),
                ]);
                let Some(answered_at) = ask.answered_at else {
                    continue;
                };
                for (s, (available, duties)) in ask.answers.iter().enumerate() {
                    rows.answers.push(vec![
                        (first_slot + s as i64).into(),
                        ask.member_id.into(),
                        id.into(),
                        i64::from(*available).into(),
                        duties.as_str().into(),
                        answered_at.into(),
                    ]);
                }
            }
        }
        rows
    }

    /// The statements inserting every row, parents first, each under the parameter limit.
    pub(super) fn statements(&self, kind: BackendKind) -> Vec<Sql> {
        let tables: [(&str, &[Vec<Arg>]); 7] = [
            (
                "INSERT INTO dispatch_requests (id, organisation_id, prefecture_code, health_centre_id, title, title_fold, \
                 duties, other_duty, notes, answer_deadline, status, created_by, created_at, updated_at, sent_at, \
                 cancelled_at, cancel_reason) VALUES ",
                &self.requests,
            ),
            (
                "INSERT INTO dispatch_slots (id, request_id, starts_at, ends_at, needed, professions, cancelled_at) VALUES ",
                &self.slots,
            ),
            (
                "INSERT INTO dispatch_asks (request_id, member_id, answer_token, asked_at, asked_by, answered_at) VALUES ",
                &self.asks,
            ),
            (
                "INSERT INTO dispatch_answers (slot_id, member_id, request_id, available, duties, answered_at) VALUES ",
                &self.answers,
            ),
            (
                "INSERT INTO dispatch_assignments (id, slot_id, request_id, member_id, starts_at, ends_at, status, \
                 decline_reason, created_at, decided_at, report_reminded_at) VALUES ",
                &self.assignments,
            ),
            (
                "INSERT INTO daily_reports (id, assignment_id, request_id, member_id, starts_at, ends_at, break_minutes, \
                 duties, counts, notes, status, version, comment, submitted_at, decided_at) VALUES ",
                &self.reports,
            ),
            (
                "INSERT INTO daily_report_versions (report_id, version, status, starts_at, ends_at, break_minutes, \
                 duties, counts, notes, comment, changed_by, changed_at) VALUES ",
                &self.versions,
            ),
        ];
        tables
            .into_iter()
            .flat_map(|(head, rows)| multi_row_inserts(kind, head, rows, ""))
            .collect()
    }

    pub(super) fn count(&self, into: &mut GeneratedDispatches) {
        into.requests += self.requests.len();
        into.slots += self.slots.len();
        into.asks += self.asks.len();
        into.answers += self.answers.len();
        into.assignments += self.assignments.len();
        into.reports += self.reports.len();
        into.report_versions += self.versions.len();
    }
}
