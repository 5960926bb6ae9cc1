//! Planning the requests of a year one by one, in the order their first slots start: who
//! sends them and where to, their slots, whom they ask and what those members answer, who is
//! planned, asked formally and accepts, and the reports of the seats worked.

use super::data::*;
use super::places::{Places, Requester};
use super::DispatchSpec;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ouen_shared::api::ReportStatus;
use ouen_shared::dispatch::{DispatchStatus, Duty};
use ouen_shared::time::start_of_jst_day;
use ouen_shared::{Lang, Profession};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashSet};

/// An approved member of a prefecture's roster, as the generator asks it.
pub(super) struct PoolMember {
    pub(super) id: i64,
    pub(super) professions: Vec<Profession>,
    /// When the membership was approved: nobody is asked before.
    pub(super) approved_at: DateTime<Utc>,
    pub(super) account_id: Option<i64>,
}

/// One version of a report as it stood after a change.
pub(super) struct PlannedVersion {
    pub(super) status: ReportStatus,
    pub(super) comment: Option<String>,
    pub(super) changed_by: Option<i64>,
    pub(super) changed_at: DateTime<Utc>,
}

/// A daily report of an accepted seat; its times, duties and counts stay as first filed.
pub(super) struct PlannedReport {
    pub(super) starts_at: DateTime<Utc>,
    pub(super) ends_at: DateTime<Utc>,
    pub(super) break_minutes: i64,
    pub(super) duties: String,
    pub(super) counts: String,
    pub(super) notes: String,
    pub(super) status: ReportStatus,
    pub(super) comment: Option<String>,
    pub(super) submitted_at: DateTime<Utc>,
    pub(super) decided_at: Option<DateTime<Utc>>,
    pub(super) versions: Vec<PlannedVersion>,
}

pub(super) struct PlannedAssignment {
    pub(super) member_id: i64,
    /// `planned`, `requested`, `accepted` or `declined`.
    pub(super) status: &'static str,
    pub(super) decline_reason: Option<String>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) decided_at: Option<DateTime<Utc>>,
    pub(super) report_reminded_at: Option<DateTime<Utc>>,
    pub(super) report: Option<PlannedReport>,
}

pub(super) struct PlannedSlot {
    pub(super) starts_at: DateTime<Utc>,
    pub(super) ends_at: DateTime<Utc>,
    pub(super) needed: i64,
    pub(super) professions: String,
    pub(super) cancelled_at: Option<DateTime<Utc>>,
    pub(super) assignments: Vec<PlannedAssignment>,
}

pub(super) struct PlannedAsk {
    pub(super) member_id: i64,
    pub(super) token: String,
    pub(super) answered_at: Option<DateTime<Utc>>,
    /// Per slot, in slot order: whether available, and the duties offered.
    pub(super) answers: Vec<(bool, String)>,
}

pub(super) struct PlannedRequest {
    pub(super) organisation_id: i64,
    pub(super) prefecture_code: String,
    pub(super) health_centre_id: i64,
    pub(super) title: String,
    pub(super) duties: String,
    pub(super) other_duty: String,
    pub(super) notes: String,
    pub(super) answer_deadline: DateTime<Utc>,
    pub(super) status: DispatchStatus,
    pub(super) created_by: i64,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
    pub(super) sent_at: DateTime<Utc>,
    pub(super) cancelled_at: Option<DateTime<Utc>>,
    pub(super) cancel_reason: Option<String>,
    pub(super) slots: Vec<PlannedSlot>,
    pub(super) asks: Vec<PlannedAsk>,
}

/// When the seats of a slot were filled, and by whom.
#[derive(Clone, Copy)]
struct Seating {
    /// The slot's day in Japan.
    day: NaiveDate,
    planned_at: DateTime<Utc>,
    /// When formal requests went out; none while the request is still being planned.
    confirmed_at: Option<DateTime<Utc>>,
    /// The requester's operator account.
    operator: i64,
}

/// Draws requests one after another from one seeded generator.
pub(super) struct Planner<'a> {
    pub(super) rng: StdRng,
    pub(super) spec: &'a DispatchSpec,
    /// The end of the generated history: midnight of `today` in Japan.
    pub(super) now: DateTime<Utc>,
    pools: &'a BTreeMap<String, Vec<PoolMember>>,
    places: &'a BTreeMap<String, Places>,
    /// `(member, JST day)` of every seat held: one day shift a day, so nobody is booked twice.
    busy: HashSet<(i64, NaiveDate)>,
    duties: WeightedIndex<u32>,
}

/// A minute's duration.
pub(super) fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

impl<'a> Planner<'a> {
    pub(super) fn new(
        spec: &'a DispatchSpec,
        pools: &'a BTreeMap<String, Vec<PoolMember>>,
        places: &'a BTreeMap<String, Places>,
        busy: HashSet<(i64, NaiveDate)>,
    ) -> Self {
        Planner {
            rng: StdRng::seed_from_u64(spec.seed),
            spec,
            now: start_of_jst_day(spec.today),
            pools,
            places,
            busy,
            duties: WeightedIndex::new(DUTIES.iter().map(|d| d.1)).expect("positive weights"),
        }
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    pub(super) fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        items.choose(&mut self.rng).cloned()
    }

    /// An instant from `from` to `until` (exclusive), at random; `None` when there is no room.
    pub(super) fn between(
        &mut self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let room = (until - from).num_seconds();
        (room > 1).then(|| from + Duration::seconds(self.rng.gen_range(1..room)))
    }

    /// An instant `lo..=hi` minutes after `from`, or the latest second before `until` when
    /// that is later; `None` when `until` leaves no room after `from`.
    pub(super) fn after(
        &mut self,
        from: DateTime<Utc>,
        lo: i64,
        hi: i64,
        until: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let at = from + minutes(self.rng.gen_range(lo..=hi.max(lo)));
        if at < until {
            Some(at)
        } else {
            self.between(from, until)
        }
    }

    /// The first day of each request: over the year before `today` (two waves on top of a
    /// steady load), and about a twelfth more in the next 30 days.
    fn first_days(&mut self) -> Vec<NaiveDate> {
        let today = self.spec.today;
        let past = self.spec.requests_per_year;
        let ahead = (past * 30).div_ceil(365);
        let mut days = Vec::with_capacity(past + ahead);
        for _ in 0..past {
            let back = if self.chance(0.4) {
                let centre = if self.chance(0.5) { 290 } else { 100 };
                centre + self.rng.gen_range(-21..=21) + self.rng.gen_range(-21..=21)
            } else {
                self.rng.gen_range(1..=365)
            };
            days.push(today - Duration::days(back));
        }
        for _ in 0..ahead {
            days.push(today + Duration::days(self.rng.gen_range(0..30)));
        }
        days.sort();
        days
    }

    /// Every request, in the order their first slots start.
    pub(super) fn requests(&mut self) -> Vec<PlannedRequest> {
        let codes: Vec<String> = self
            .pools
            .iter()
            .filter(|(code, pool)| !pool.is_empty() && self.places.contains_key(*code))
            .map(|(code, _)| code.clone())
            .collect();
        let Ok(prefectures) = WeightedIndex::new(codes.iter().map(|c| self.pools[c].len())) else {
            return Vec::new();
        };
        let days = self.first_days();
        let mut out = Vec::with_capacity(days.len());
        for day in days {
            let code = codes[prefectures.sample(&mut self.rng)].clone();
            if let Some(request) = self.request(&code, day) {
                out.push(request);
            }
        }
        out
    }

    fn duties(&mut self) -> Vec<Duty> {
        let mut duties = Vec::new();
        for _ in 0..self.rng.gen_range(1..=3) {
            let duty = DUTIES[self.duties.sample(&mut self.rng)].0;
            if !duties.contains(&duty) {
                duties.push(duty);
            }
        }
        if self.chance(0.05) {
            duties.push(Duty::Other);
        }
        duties
    }

    fn request(&mut self, code: &str, first_day: NaiveDate) -> Option<PlannedRequest> {
        let places = self.places.get(code)?;
        let requester: Requester = if !places.cities.is_empty() && self.chance(0.25) {
            self.pick(&places.cities)?
        } else {
            places.prefecture.clone()
        };
        let (centre_id, centre_name) = self.pick(&requester.centres)?;
        let duties = self.duties();
        let other_duty = if duties.contains(&Duty::Other) {
            self.pick(OTHER_DUTIES).unwrap_or_default().to_string()
        } else {
            String::new()
        };
        let title = format!("{centre_name} {}の応援", duties[0].label(Lang::Ja));
        let notes = if self.chance(0.3) {
            self.pick(REQUEST_NOTES).unwrap_or_default().to_string()
        } else {
            String::new()
        };
        let professions = self.pick(SLOT_PROFESSIONS).unwrap_or_default();
        let operator = requester.account_id;
        let (start, end) = if self.chance(0.75) {
            (8 * 60 + 30, 17 * 60 + 15)
        } else {
            (9 * 60, 17 * 60)
        };
        let base_needed = self.rng.gen_range(1..=4);
        let mut slots = Vec::new();
        for i in 0..self.rng.gen_range(1..=5) {
            let day = start_of_jst_day(first_day + Duration::days(i));
            let needed = (base_needed + self.rng.gen_range(-1..=1)).clamp(1, 4);
            slots.push(PlannedSlot {
                starts_at: day + minutes(start),
                ends_at: day + minutes(end),
                needed,
                professions: professions
                    .iter()
                    .map(|p| p.code())
                    .collect::<Vec<_>>()
                    .join(","),
                cancelled_at: None,
                assignments: Vec::new(),
            });
        }
        let first_start = slots.first()?.starts_at;
        let last_end = slots.last()?.ends_at;
        let now = self.now;

        // Written some days before, sent soon after, answered within a few days.
        let lead = Duration::days(self.rng.gen_range(3..=14));
        let mut created_at = start_of_jst_day((first_start - lead).date_naive())
            + minutes(self.rng.gen_range(9 * 60..18 * 60));
        if created_at >= now - Duration::hours(1) {
            created_at = now - minutes(self.rng.gen_range(120..=10 * 24 * 60));
        }
        let sent_at = self
            .after(
                created_at,
                10,
                600,
                now.min(first_start - Duration::hours(2)),
            )
            .unwrap_or(created_at);
        let answer_deadline = (sent_at + Duration::hours(self.rng.gen_range(24..=72)))
            .min(first_start - Duration::hours(6))
            .max(sent_at + Duration::hours(1));

        let roll = self.rng.gen_range(0..100);
        let status = if last_end < now {
            match roll {
                0..=4 => DispatchStatus::Cancelled,
                5..=24 => DispatchStatus::Confirmed,
                _ => DispatchStatus::Closed,
            }
        } else if first_start <= now {
            DispatchStatus::Confirmed
        } else if answer_deadline > now {
            match roll {
                0..=4 => DispatchStatus::Cancelled,
                _ => DispatchStatus::Sent,
            }
        } else {
            match roll {
                0..=4 => DispatchStatus::Cancelled,
                5..=9 => DispatchStatus::Sent,
                10..=44 => DispatchStatus::Planning,
                _ => DispatchStatus::Confirmed,
            }
        };
        let cancelled_at = (status == DispatchStatus::Cancelled)
            .then(|| self.between(sent_at, now.min(first_start)))
            .flatten();
        let cancel_reason = cancelled_at.and_then(|_| self.pick(CANCEL_REASONS).map(String::from));
        // A slot called off now and then, before anyone was planned for it.
        if status != DispatchStatus::Cancelled && slots.len() > 1 && self.chance(0.05) {
            let i = self.rng.gen_range(0..slots.len());
            slots[i].cancelled_at = self.between(sent_at, now.min(slots[i].starts_at));
        }

        // Whom it asks, and what they answer until the deadline (or the call-off).
        let answers_until = answer_deadline.min(now).min(cancelled_at.unwrap_or(now));
        let pools = self.pools;
        let pool = pools.get(code)?;
        let eligible = pool.partition_point(|m| m.approved_at < sent_at);
        let asked = self.rng.gen_range(20..=60).min(eligible);
        let mut chosen = rand::seq::index::sample(&mut self.rng, eligible, asked).into_vec();
        chosen.sort_unstable();
        let answering = self.rng.gen_range(0.75..0.95);
        let mut asks = Vec::with_capacity(chosen.len());
        for i in chosen {
            let member = &pool[i];
            let token = format!(
                "{:016x}{:016x}{:016x}{:016x}",
                self.rng.gen::<u64>(),
                self.rng.gen::<u64>(),
                self.rng.gen::<u64>(),
                self.rng.gen::<u64>()
            );
            let delay = match self.rng.gen_range(0..10) {
                0..=3 => self.rng.gen_range(5..120),
                4..=7 => self.rng.gen_range(120..24 * 60),
                _ => self.rng.gen_range(24 * 60..72 * 60),
            };
            let answered_at = (self.chance(answering) && sent_at + minutes(delay) < answers_until)
                .then(|| sent_at + minutes(delay));
            let mut answers = Vec::new();
            if answered_at.is_some() {
                let yes = self.rng.gen_range(0.3..0.9);
                for _ in &slots {
                    if self.chance(yes) {
                        let mut offered: Vec<&str> = duties
                            .iter()
                            .filter(|_| self.rng.gen_bool(0.8))
                            .map(|d| d.code())
                            .collect();
                        if offered.is_empty() {
                            offered.push(duties[0].code());
                        }
                        answers.push((true, offered.join(",")));
                    } else {
                        answers.push((false, String::new()));
                    }
                }
            }
            asks.push((
                member,
                PlannedAsk {
                    member_id: member.id,
                    token,
                    answered_at,
                    answers,
                },
            ));
        }

        let mut updated_at = cancelled_at.unwrap_or(sent_at);
        if matches!(
            status,
            DispatchStatus::Planning | DispatchStatus::Confirmed | DispatchStatus::Closed
        ) {
            let planned_at = self
                .after(
                    answers_until,
                    30,
                    24 * 60,
                    now.min(first_start - Duration::hours(2)),
                )
                .unwrap_or(answers_until);
            let confirmed_at = (status != DispatchStatus::Planning)
                .then(|| {
                    self.after(
                        planned_at,
                        10,
                        240,
                        now.min(first_start - Duration::hours(1)),
                    )
                })
                .map(|at| at.unwrap_or(planned_at));
            updated_at = confirmed_at.unwrap_or(planned_at);
            for (s, slot) in slots.iter_mut().enumerate() {
                if slot.cancelled_at.is_some() {
                    continue;
                }
                let day = (slot.starts_at + Duration::hours(9)).date_naive();
                let mut candidates: Vec<(i64, Option<i64>)> = asks
                    .iter()
                    .filter(|(m, a)| {
                        a.answered_at.is_some_and(|at| at < planned_at)
                            && a.answers.get(s).is_some_and(|x| x.0)
                            && (professions.is_empty()
                                || m.professions.iter().any(|p| professions.contains(p)))
                            && !self.busy.contains(&(m.id, day))
                    })
                    .map(|(m, _)| (m.id, m.account_id))
                    .collect();
                candidates.shuffle(&mut self.rng);
                let times = Seating {
                    day,
                    planned_at,
                    confirmed_at,
                    operator,
                };
                self.seat(slot, candidates, &times, &duties);
            }
            if status == DispatchStatus::Closed {
                updated_at = self
                    .after(last_end, 24 * 60, 7 * 24 * 60, now)
                    .unwrap_or(updated_at)
                    .max(updated_at);
            }
        }
        for slot in &slots {
            updated_at = updated_at.max(slot.cancelled_at.unwrap_or(updated_at));
        }
        Some(PlannedRequest {
            organisation_id: requester.organisation_id,
            prefecture_code: code.to_string(),
            health_centre_id: centre_id,
            title,
            duties: duties
                .iter()
                .map(|d| d.code())
                .collect::<Vec<_>>()
                .join(","),
            other_duty,
            notes,
            answer_deadline,
            status,
            created_by: requester.account_id,
            created_at,
            updated_at,
            sent_at,
            cancelled_at,
            cancel_reason,
            slots,
            asks: asks.into_iter().map(|(_, a)| a).collect(),
        })
    }

    /// Fills the seats of `slot` from `candidates` (shuffled): planned, or asked formally at
    /// `confirmed_at` and then mostly accepted; a member who declines is replaced by the next.
    fn seat(
        &mut self,
        slot: &mut PlannedSlot,
        candidates: Vec<(i64, Option<i64>)>,
        times: &Seating,
        duties: &[Duty],
    ) {
        let Seating {
            day,
            planned_at,
            confirmed_at,
            operator,
        } = *times;
        let now = self.now;
        let decide_by = now.min(slot.starts_at - minutes(30));
        let mut held = 0;
        let mut asked_at = confirmed_at;
        for (member, account) in candidates {
            if held >= slot.needed {
                break;
            }
            let (status, decided_at, reason) = match asked_at {
                None => ("planned", None, None),
                Some(at) => {
                    let upcoming = slot.starts_at > now;
                    match self.after(at, 5, 48 * 60, decide_by) {
                        Some(decided) if !(upcoming && self.chance(0.3)) => {
                            if self.chance(if upcoming { 0.05 } else { 0.07 }) {
                                let reason = self.pick(DECLINE_REASONS).map(String::from);
                                ("declined", Some(decided), reason)
                            } else {
                                ("accepted", Some(decided), None)
                            }
                        }
                        _ => ("requested", None, None),
                    }
                }
            };
            let created_at = match (asked_at, confirmed_at) {
                // A replacement is planned and asked when the one before it declined.
                (Some(at), Some(first)) if at > first => at,
                _ => planned_at,
            };
            let mut assignment = PlannedAssignment {
                member_id: member,
                status,
                decline_reason: reason,
                created_at,
                decided_at,
                report_reminded_at: None,
                report: None,
            };
            if status == "declined" {
                asked_at = decided_at;
            } else {
                held += 1;
                self.busy.insert((member, day));
                if status == "accepted" && slot.ends_at < now {
                    assignment.report = self.report(slot, duties, account, operator);
                    if assignment.report.is_none() {
                        assignment.report_reminded_at = self.after(slot.ends_at, 120, 180, now);
                    }
                }
            }
            slot.assignments.push(assignment);
        }
    }
}
