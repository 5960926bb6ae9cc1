//! Dispatch requests (派遣要請), the members asked, and their answers.
//!
//! A prefecture (or a city, for its own health centres) writes a request with its slots, picks
//! whom to ask with the roster's own [`MemberFilter`], and sends. Each member asked answers per
//! slot until the deadline, in the client, through the API or on the page its e-mail links to.

use crate::api::MemberFilter;
use crate::dispatch::{
    parse_time_of_day, slot_instants, DispatchStatus, Duty, MAX_NOTES_CHARS, MAX_SLOTS,
    MAX_SLOT_NEEDED, MAX_TITLE_CHARS,
};
use crate::validate::{Checker, Problem};
use crate::{FieldIssue, Profession, Validate};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One slot as written: its instants (to the minute), how many people it needs and which
/// professions qualify (any one of them; none listed means anyone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotDraft {
    /// The slot being edited; absent for a new one.
    #[serde(default)]
    pub id: Option<i64>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// People needed, at least 1.
    pub needed: u32,
    #[serde(default)]
    pub professions: Vec<Profession>,
}

/// Slots added in bulk: the same times every day from `from` to `to` (JST), working days only
/// when `weekdays_only` (Monday to Friday, public holidays left out). An `end` at or before
/// `start` ends the next day (22:00–06:00).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotSeries {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `HH:MM`, JST.
    pub start: String,
    /// `HH:MM`, JST.
    pub end: String,
    #[serde(default)]
    pub weekdays_only: bool,
    pub needed: u32,
    #[serde(default)]
    pub professions: Vec<Profession>,
}

/// A field's name under `prefix` (`series.0.start`), or its own name when `prefix` is empty.
fn named(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

/// The most days one series may cover.
pub const MAX_SERIES_DAYS: i64 = 92;

impl SlotSeries {
    /// The slots this series stands for, in date order; field issues (named under `prefix`,
    /// e.g. `series.0`) when its times or dates are not usable.
    pub fn expand(&self, prefix: &str) -> Result<Vec<SlotDraft>, Vec<FieldIssue>> {
        let mut check = Checker::new();
        let start = parse_time_of_day(&self.start);
        let end = parse_time_of_day(&self.end);
        let hh_mm = Problem::Format {
            ja: "時刻は HH:MM（例 09:00）で入力してください",
            en: "type a time as HH:MM (e.g. 09:00)",
        };
        if start.is_none() {
            check.add(&named(prefix, "start"), hh_mm.clone());
        }
        if end.is_none() {
            check.add(&named(prefix, "end"), hh_mm);
        }
        if let (Some(s), Some(e)) = (start, end) {
            if s == e {
                check.add(&named(prefix, "end"), ends_when_it_starts());
            }
        }
        let days = (self.to - self.from).num_days();
        if days < 0 {
            check.add(
                &named(prefix, "to"),
                Problem::NotAllowed {
                    ja: "終了日は開始日以降にしてください",
                    en: "the last day must not be before the first",
                },
            );
        } else if days >= MAX_SERIES_DAYS {
            check.add(
                &named(prefix, "to"),
                Problem::NotAllowed {
                    ja: "一度に追加できるのは92日分までです",
                    en: "a series covers at most 92 days",
                },
            );
        }
        let issues = check.finish();
        let (Some(start), Some(end), true) = (start, end, issues.is_empty()) else {
            return Err(issues);
        };
        let mut slots = Vec::new();
        let mut date = self.from;
        while date <= self.to {
            if !self.weekdays_only || crate::holidays::is_weekday(date) {
                if let Some((starts_at, ends_at)) = slot_instants(date, start, end) {
                    slots.push(SlotDraft {
                        id: None,
                        starts_at,
                        ends_at,
                        needed: self.needed,
                        professions: self.professions.clone(),
                    });
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        Ok(slots)
    }
}

/// A dispatch request as written: what, where, when, until when to answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchDraft {
    pub title: String,
    /// The destination health centre: one of the requester's own.
    pub health_centre_id: i64,
    pub duties: Vec<Duty>,
    /// What `other` means, required when `duties` holds it.
    #[serde(default)]
    pub other_duty: String,
    /// Answers are taken until then; before the first slot starts.
    pub answer_deadline: DateTime<Utc>,
    #[serde(default)]
    pub notes: String,
    /// The slots, each typed to the minute. On an edit, slots given with their `id` are kept
    /// (and changed), those without are added, and those left out are cancelled.
    #[serde(default)]
    pub slots: Vec<SlotDraft>,
    /// Slots added in bulk, expanded into `slots` when stored.
    #[serde(default)]
    pub series: Vec<SlotSeries>,
}

impl DispatchDraft {
    /// Every slot: those written one by one, then each series expanded.
    pub fn all_slots(&self) -> Result<Vec<SlotDraft>, Vec<FieldIssue>> {
        let mut slots = self.slots.clone();
        let mut issues = Vec::new();
        for (i, series) in self.series.iter().enumerate() {
            match series.expand(&format!("series.{i}")) {
                Ok(expanded) => slots.extend(expanded),
                Err(more) => issues.extend(more),
            }
        }
        if issues.is_empty() {
            Ok(slots)
        } else {
            Err(issues)
        }
    }

    /// The problems that need the current time: new slots in the past, a deadline after the
    /// first slot or already over (unless it is `kept_deadline`, the stored one, kept as it
    /// was), besides the rules of [`Validate`].
    pub fn timing_problems(
        &self,
        now: DateTime<Utc>,
        kept_deadline: Option<DateTime<Utc>>,
    ) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        let Ok(slots) = self.all_slots() else {
            return Vec::new();
        };
        for (i, slot) in slots.iter().enumerate() {
            if slot.id.is_none() && slot.starts_at < now {
                check.add(&slot_field(&self.slots, i, "starts_at"), in_the_past());
            }
        }
        if self.answer_deadline < now && kept_deadline != Some(self.answer_deadline) {
            check.add("answer_deadline", in_the_past());
        }
        if let Some(first) = slots.iter().map(|s| s.starts_at).min() {
            if self.answer_deadline > first {
                check.add(
                    "answer_deadline",
                    Problem::NotAllowed {
                        ja: "回答期限は最初の枠の開始より前にしてください",
                        en: "the answer deadline must be before the first slot starts",
                    },
                );
            }
        }
        check.finish()
    }
}

/// The field a slot's problem is named by: `slots.3.starts_at` for a slot written one by one;
/// a slot from a series is named by the series' list position after the single slots.
fn slot_field(single: &[SlotDraft], index: usize, field: &str) -> String {
    if index < single.len() {
        format!("slots.{index}.{field}")
    } else {
        "series".to_string()
    }
}

fn in_the_past() -> Problem {
    Problem::NotAllowed {
        ja: "過去の日時は指定できません",
        en: "this time is in the past",
    }
}

fn ends_when_it_starts() -> Problem {
    Problem::NotAllowed {
        ja: "終了は開始と同じ時刻にできません",
        en: "the end must differ from the start",
    }
}

impl Validate for DispatchDraft {
    fn normalize(&mut self) {
        self.title = self.title.trim().to_string();
        self.other_duty = self.other_duty.trim().to_string();
        self.notes = crate::text::normalize_line_breaks(&self.notes);
        let mut seen = Vec::new();
        self.duties.retain(|d| {
            let new = !seen.contains(d);
            seen.push(*d);
            new
        });
    }

    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check.text("title", &self.title, 1, MAX_TITLE_CHARS);
        if self.duties.is_empty() {
            check.add("duties", Problem::Required);
        }
        if self.duties.contains(&Duty::Other) {
            check.text("other_duty", &self.other_duty, 1, 200);
        } else if !self.other_duty.is_empty() {
            check.text("other_duty", &self.other_duty, 0, 200);
        }
        check.multiline_text("notes", &self.notes, 0, MAX_NOTES_CHARS);
        if !crate::dispatch::on_the_minute(self.answer_deadline) {
            check.add("answer_deadline", to_the_minute());
        }
        let mut issues = check.finish();
        for (i, slot) in self.slots.iter().enumerate() {
            issues.extend(slot_problems(&format!("slots.{i}"), slot));
        }
        for (i, series) in self.series.iter().enumerate() {
            if let Err(more) = series.expand(&format!("series.{i}")) {
                issues.extend(more);
            }
            if series.needed == 0 {
                issues.push(FieldIssue::new(
                    format!("series.{i}.needed"),
                    needs_someone(),
                ));
            } else if series.needed > MAX_SLOT_NEEDED {
                issues.push(FieldIssue::new(
                    format!("series.{i}.needed"),
                    Problem::NotAllowed {
                        ja: "1枠の必要人数は500人までです",
                        en: "a slot needs at most 500 people",
                    },
                ));
            }
        }
        match self.all_slots() {
            Ok(slots) if slots.is_empty() => {
                issues.push(FieldIssue::new("slots", Problem::Required));
            }
            Ok(slots) if slots.len() > MAX_SLOTS => {
                issues.push(FieldIssue::new(
                    "slots",
                    Problem::TooLong { max: MAX_SLOTS },
                ));
            }
            _ => {}
        }
        issues
    }
}

fn to_the_minute() -> Problem {
    Problem::NotAllowed {
        ja: "時刻は分単位で指定してください（秒は 0）",
        en: "give the time to the minute (seconds 0)",
    }
}

fn needs_someone() -> Problem {
    Problem::NotAllowed {
        ja: "必要人数は1人以上にしてください",
        en: "a slot needs at least one person",
    }
}

/// The problems of one slot written one by one, named under `prefix` (`slots.2`), or by
/// their own names when `prefix` is empty.
fn slot_problems(prefix: &str, slot: &SlotDraft) -> Vec<FieldIssue> {
    let mut check = Checker::new();
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}.")
    };
    for (field, at) in [("starts_at", slot.starts_at), ("ends_at", slot.ends_at)] {
        if !crate::dispatch::on_the_minute(at) {
            check.add(&format!("{prefix}{field}"), to_the_minute());
        }
    }
    let length = slot.ends_at - slot.starts_at;
    if length <= chrono::Duration::zero() {
        check.add(
            &format!("{prefix}ends_at"),
            if length.is_zero() {
                ends_when_it_starts()
            } else {
                Problem::NotAllowed {
                    ja: "終了は開始より後にしてください",
                    en: "the end must be after the start",
                }
            },
        );
    } else if length > chrono::Duration::hours(crate::dispatch::MAX_SLOT_HOURS) {
        check.add(
            &format!("{prefix}ends_at"),
            Problem::NotAllowed {
                ja: "1枠は24時間以内にしてください",
                en: "a slot lasts at most 24 hours",
            },
        );
    }
    if let Some(problem) = head_count_problem(slot.needed) {
        check.add(&format!("{prefix}needed"), problem);
    }
    check.finish()
}

/// What is wrong with a slot's head-count, if anything (at least 1, at most 500).
pub fn head_count_problem(needed: u32) -> Option<Problem> {
    if needed == 0 {
        Some(needs_someone())
    } else if needed > MAX_SLOT_NEEDED {
        Some(Problem::NotAllowed {
            ja: "1枠の必要人数は500人までです",
            en: "a slot needs at most 500 people",
        })
    } else {
        None
    }
}

/// One slot of a stored request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub needed: u32,
    pub professions: Vec<Profession>,
    /// Members asked who said they can do this slot.
    pub available: i64,
    /// When the slot was cancelled (an edit left it out); cancelled slots are kept for the
    /// record and take no answers.
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// How far the asking has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AskCounts {
    /// Members asked.
    pub asked: i64,
    /// Of them, those who answered.
    pub answered: i64,
    /// The last reminder round (0: none yet).
    pub reminder_round: i64,
}

/// A stored dispatch request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchRequest {
    pub id: i64,
    /// The requesting prefecture or city.
    pub organisation_id: i64,
    pub organisation_name: String,
    /// The prefecture whose roster is asked.
    pub prefecture_code: String,
    pub health_centre_id: i64,
    pub health_centre_name: String,
    pub title: String,
    pub duties: Vec<Duty>,
    pub other_duty: String,
    pub notes: String,
    pub answer_deadline: DateTime<Utc>,
    pub status: DispatchStatus,
    pub slots: Vec<Slot>,
    pub counts: AskCounts,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
}

/// A row of the request list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchSummary {
    pub id: i64,
    pub title: String,
    pub organisation_name: String,
    pub health_centre_name: String,
    pub status: DispatchStatus,
    pub answer_deadline: DateTime<Utc>,
    /// The first slot's start and the last slot's end (none without live slots).
    pub first_starts_at: Option<DateTime<Utc>>,
    pub last_ends_at: Option<DateTime<Utc>>,
    pub slots: i64,
    pub needed: i64,
    pub counts: AskCounts,
    pub updated_at: DateTime<Utc>,
}

/// Filters of the request list.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DispatchFilter {
    /// Statuses, e.g. `sent,planning`.
    pub status: Option<String>,
    /// Text in the title (width and kana folded).
    pub q: Option<String>,
}

/// Whom to ask: the roster's filter, in the requester's scope (only approved members of the
/// request's prefecture are ever asked).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetQuery {
    #[serde(default)]
    pub filter: MemberFilter,
}

/// How many members a target query reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetCount {
    /// Approved members of the request's prefecture that the filter matches.
    pub matched: i64,
    /// Of them, those asked already.
    pub already_asked: i64,
    /// Those a send would ask now.
    pub new: i64,
}

/// What a send did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendResult {
    /// Members asked by this send.
    pub asked_now: i64,
    /// Members asked in all.
    pub asked: i64,
}

/// A reminder round to the members who have not answered: sending round `n` again reminds
/// nobody twice. The next round is the last one plus one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderRound {
    pub round: i64,
}

/// What a reminder did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderResult {
    pub round: i64,
    /// Members reminded in this round by this call (0 when the round was sent already).
    pub reminded: i64,
}

/// One slot of a sent request moved, resized or given other professions. The members it
/// affects are told; their seats move with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotChange {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// People needed, at least 1.
    pub needed: u32,
    #[serde(default)]
    pub professions: Vec<Profession>,
}

impl SlotChange {
    /// A slot typed as a day (JST) with `HH:MM` times in either width, an end at or before
    /// the start ending the next day; problems named `start` and `end`.
    pub fn typed(
        date: NaiveDate,
        start: &str,
        end: &str,
        needed: u32,
        professions: Vec<Profession>,
    ) -> Result<SlotChange, Vec<FieldIssue>> {
        let series = SlotSeries {
            from: date,
            to: date,
            start: start.to_string(),
            end: end.to_string(),
            weekdays_only: false,
            needed,
            professions,
        };
        let slot = series.expand("")?.into_iter().next().ok_or_else(|| {
            vec![FieldIssue::new(
                "start",
                Problem::NotAllowed {
                    ja: "この日のこの時刻は日本時間にありません",
                    en: "this time does not exist on this day in JST",
                },
            )]
        })?;
        Ok(SlotChange {
            starts_at: slot.starts_at,
            ends_at: slot.ends_at,
            needed: slot.needed,
            professions: slot.professions,
        })
    }

    /// The slot as a draft of slot `id`.
    pub fn draft(&self, id: i64) -> SlotDraft {
        SlotDraft {
            id: Some(id),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            needed: self.needed,
            professions: self.professions.clone(),
        }
    }

    /// The problems of its times against `now` and the request's answer deadline, when it
    /// moves (a slot left where it was is not refused for having begun).
    pub fn timing_problems(
        &self,
        now: DateTime<Utc>,
        deadline: DateTime<Utc>,
        was: (DateTime<Utc>, DateTime<Utc>),
    ) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        if (self.starts_at, self.ends_at) == was {
            return Vec::new();
        }
        if self.starts_at < now {
            check.add("starts_at", in_the_past());
        } else if self.starts_at < deadline {
            check.add(
                "starts_at",
                Problem::NotAllowed {
                    ja: "枠の開始は回答期限より後にしてください",
                    en: "a slot must start after the answer deadline",
                },
            );
        }
        check.finish()
    }
}

impl Validate for SlotChange {
    fn normalize(&mut self) {
        self.professions.sort();
        self.professions.dedup();
    }
    fn problems(&self) -> Vec<FieldIssue> {
        slot_problems("", &self.draft(0))
    }
}

/// Calling a request off: everyone asked is told, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelRequest {
    pub reason: String,
}

impl Validate for CancelRequest {
    fn normalize(&mut self) {
        self.reason = crate::text::normalize_line_breaks(self.reason.trim());
    }
    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check.multiline_text("reason", &self.reason, 1, 500);
        check.finish()
    }
}

/// A member's answer for one slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotAnswer {
    pub slot_id: i64,
    pub available: bool,
    /// The duties it can do in this slot (of the request's), when available.
    #[serde(default)]
    pub duties: Vec<Duty>,
}

/// A member's answer to a request: per slot, with a note. Slots left out count as not
/// answered. It can be changed until the deadline.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerDraft {
    pub slots: Vec<SlotAnswer>,
    #[serde(default)]
    pub note: String,
}

impl Validate for AnswerDraft {
    fn normalize(&mut self) {
        self.note = crate::text::normalize_line_breaks(self.note.trim());
    }
    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        check.multiline_text("note", &self.note, 0, MAX_NOTES_CHARS);
        // An answer says something about at least one slot; an empty one would wipe what the
        // member said before while it thinks it answered.
        if self.slots.is_empty() {
            check.add(
                "slots",
                Problem::NotAllowed {
                    ja: "少なくとも1つの枠に「可」か「不可」で回答してください",
                    en: "answer at least one slot, available or not",
                },
            );
        }
        let mut seen = Vec::new();
        for (i, slot) in self.slots.iter().enumerate() {
            if seen.contains(&slot.slot_id) {
                check.add(
                    &format!("slots.{i}.slot_id"),
                    Problem::NotAllowed {
                        ja: "同じ枠に2回回答しています",
                        en: "this slot is answered twice",
                    },
                );
            }
            seen.push(slot.slot_id);
        }
        check.finish()
    }
}

/// A request as the member asked sees it, with its own answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AskedRequest {
    pub id: i64,
    pub title: String,
    pub organisation_name: String,
    pub health_centre_name: String,
    pub duties: Vec<Duty>,
    pub other_duty: String,
    pub notes: String,
    pub answer_deadline: DateTime<Utc>,
    pub status: DispatchStatus,
    pub slots: Vec<Slot>,
    /// The member's answer, per slot (empty until it answers).
    pub answer: Vec<SlotAnswer>,
    pub note: String,
    pub answered_at: Option<DateTime<Utc>>,
    /// Whether answers are still taken (before the deadline, request open).
    pub open: bool,
    /// The member's assignments in this request once the shifts are confirmed (formal
    /// requests to accept or decline, and those decided).
    #[serde(default)]
    pub assignments: Vec<crate::api::MyAssignment>,
}

/// One member asked, with its answer, as the requesting operator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AskedMember {
    pub member_id: i64,
    pub name: String,
    pub name_kana: String,
    pub professions: Vec<Profession>,
    pub asked_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub reminded_round: i64,
    pub answer: Vec<SlotAnswer>,
    pub note: String,
}

/// Filters of the list of members asked.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AskedFilter {
    /// `true`: only those who answered; `false`: only the silent ones.
    pub answered: Option<bool>,
}

// The filter is checked where it becomes SQL, as the roster list checks it.
impl Validate for TargetQuery {
    fn problems(&self) -> Vec<FieldIssue> {
        Vec::new()
    }
}

impl Validate for ReminderRound {
    fn problems(&self) -> Vec<FieldIssue> {
        let mut check = Checker::new();
        if self.round < 1 {
            check.add(
                "round",
                Problem::NotAllowed {
                    ja: "督促の回数は1以上です",
                    en: "reminder rounds start at 1",
                },
            );
        }
        check.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn draft() -> DispatchDraft {
        DispatchDraft {
            title: "積極的疫学調査の応援".into(),
            health_centre_id: 1,
            duties: vec![Duty::ActiveInvestigation],
            other_duty: String::new(),
            answer_deadline: at("2026-12-03T09:00:00+09:00"),
            notes: String::new(),
            slots: vec![SlotDraft {
                id: None,
                starts_at: at("2026-12-04T09:00:00+09:00"),
                ends_at: at("2026-12-04T17:00:00+09:00"),
                needed: 2,
                professions: vec![Profession::PublicHealthNurse],
            }],
            series: Vec::new(),
        }
    }

    fn fields(issues: &[FieldIssue]) -> Vec<&str> {
        issues.iter().map(|i| i.field.as_str()).collect()
    }

    #[test]
    fn a_sound_request_has_no_problems() {
        assert!(draft().problems().is_empty());
        assert!(draft()
            .timing_problems(at("2026-12-02T09:00:00+09:00"), None)
            .is_empty());
    }

    #[test]
    fn slot_rules_are_named_by_field() {
        let mut d = draft();
        d.slots[0].ends_at = d.slots[0].starts_at;
        d.slots.push(SlotDraft {
            needed: 0,
            ends_at: d.slots[0].starts_at + chrono::Duration::hours(25),
            ..d.slots[0].clone()
        });
        d.duties = vec![Duty::Other];
        assert_eq!(
            fields(&d.problems()),
            [
                "other_duty",
                "slots.0.ends_at",
                "slots.1.ends_at",
                "slots.1.needed"
            ]
        );
    }

    #[test]
    fn a_deadline_after_the_first_slot_and_past_slots_are_refused() {
        let mut d = draft();
        d.answer_deadline = at("2026-12-05T09:00:00+09:00");
        assert_eq!(
            fields(&d.timing_problems(at("2026-12-04T10:00:00+09:00"), None)),
            ["slots.0.starts_at", "answer_deadline"]
        );
    }

    #[test]
    fn a_series_expands_into_working_days_with_overnight_ends() {
        let series = SlotSeries {
            // Friday 2026-11-20 to Tuesday 11-24; Monday 11-23 is 勤労感謝の日.
            from: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            start: "２２：００".into(),
            end: "06:00".into(),
            weekdays_only: true,
            needed: 1,
            professions: Vec::new(),
        };
        let slots = series.expand("series.0").unwrap();
        let starts: Vec<String> = slots
            .iter()
            .map(|s| crate::dispatch::format_slot(s.starts_at, s.ends_at))
            .collect();
        assert_eq!(starts, ["11/20 22:00–06:00", "11/24 22:00–06:00"]);
        let all = SlotSeries {
            weekdays_only: false,
            ..series.clone()
        };
        assert_eq!(all.expand("series.0").unwrap().len(), 5);
        let bad = SlotSeries {
            end: "22:00".into(),
            to: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            ..series
        };
        assert_eq!(
            fields(&bad.expand("series.0").unwrap_err()),
            ["series.0.end", "series.0.to"]
        );
    }
}
