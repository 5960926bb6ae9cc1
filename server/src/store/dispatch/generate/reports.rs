//! The daily report of a seat worked: filed by the member some hours after the slot ended,
//! mostly approved by the requester, now and then returned with a comment (and corrected and
//! approved after), the latest ones still waiting.

use super::data::*;
use super::plan::*;
use chrono::{DateTime, Utc};
use ouen_shared::api::ReportStatus;
use ouen_shared::dispatch::Duty;
use rand::Rng;

impl Planner<'_> {
    /// The report of an accepted seat of `slot` that has ended, if the member filed one;
    /// `member` is the member's account, `operator` the requester's.
    pub(super) fn report(
        &mut self,
        slot: &PlannedSlot,
        duties: &[Duty],
        member: Option<i64>,
        operator: i64,
    ) -> Option<PlannedReport> {
        let now = self.now;
        let recent = now - slot.ends_at < chrono::Duration::days(1);
        if self.chance(if recent { 0.5 } else { 0.04 }) {
            return None;
        }
        let submitted_at = self.after(slot.ends_at, 15, 48 * 60, now)?;
        let starts_at = slot.starts_at + minutes(self.rng.gen_range(-10..=10));
        let ends_at = slot.ends_at + minutes(self.rng.gen_range(-15..=30));
        let break_minutes = if self.chance(0.7) { 60 } else { 45 };
        let mut done: Vec<Duty> = duties
            .iter()
            .copied()
            .filter(|_| self.rng.gen_bool(0.75))
            .collect();
        if done.is_empty() {
            done.extend(duties.first().copied());
        }
        let counts: Vec<String> = done
            .iter()
            .map(|d| {
                let (lo, hi) = duty_counts(*d);
                format!("{}:{}", d.code(), self.rng.gen_range(lo..=hi))
            })
            .collect();
        let notes = if self.chance(0.1) {
            self.pick(REPORT_NOTES).unwrap_or_default().to_string()
        } else {
            String::new()
        };
        let filed = |at: DateTime<Utc>| PlannedVersion {
            status: ReportStatus::Submitted,
            comment: None,
            changed_by: member,
            changed_at: at,
        };
        let approval = |at: DateTime<Utc>| PlannedVersion {
            status: ReportStatus::Approved,
            comment: None,
            changed_by: Some(operator),
            changed_at: at,
        };
        let mut versions = vec![filed(submitted_at)];
        let mut comment = None;
        // Old reports are decided; those of the last week are still being read.
        let waiting = if now - submitted_at < chrono::Duration::days(7) {
            0.4
        } else {
            0.02
        };
        let decided = self
            .after(submitted_at, 30, 72 * 60, now)
            .filter(|_| !self.chance(waiting));
        if let Some(at) = decided {
            // Most are approved as filed; a few are returned with a comment, most of those
            // corrected and approved after (when there was time).
            let roll = self.rng.gen_range(0..100);
            if roll < 94 {
                versions.push(approval(at));
            } else {
                let text = self.pick(RETURN_COMMENTS).unwrap_or_default().to_string();
                versions.push(PlannedVersion {
                    status: ReportStatus::Returned,
                    comment: Some(text.clone()),
                    changed_by: Some(operator),
                    changed_at: at,
                });
                comment = Some(text);
                if roll >= 96 {
                    if let Some(again) = self.after(at, 60, 48 * 60, now) {
                        versions.push(filed(again));
                        if let Some(approved) = self.after(again, 30, 48 * 60, now) {
                            versions.push(approval(approved));
                        }
                    }
                }
            }
        }
        // The row as the last change left it: a correction clears the decision, a decision
        // without a comment keeps the one before.
        let last = versions.last().map(|v| (v.status, v.changed_at));
        let status = last.map_or(ReportStatus::Submitted, |l| l.0);
        let decided_at = last.filter(|l| l.0 != ReportStatus::Submitted).map(|l| l.1);
        let submitted_at = versions
            .iter()
            .rev()
            .find(|v| v.status == ReportStatus::Submitted)
            .map_or(submitted_at, |v| v.changed_at);
        Some(PlannedReport {
            starts_at,
            ends_at,
            break_minutes,
            duties: done.iter().map(|d| d.code()).collect::<Vec<_>>().join(","),
            counts: counts.join(","),
            notes,
            status,
            comment,
            submitted_at,
            decided_at,
            versions,
        })
    }
}
