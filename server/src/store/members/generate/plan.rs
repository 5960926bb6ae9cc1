//! Planning members one by one: who they are, their licences, memberships and history.

use super::data::*;
use super::RosterSpec;
use crate::reference::Reference;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use ouen_shared::{ExperienceField, Language, MembershipStatus, Profession, RegistrationCode};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;

/// A membership before its ids are known.
pub(super) struct PlannedMembership {
    pub(super) prefecture_code: String,
    pub(super) status: MembershipStatus,
    pub(super) managed: bool,
    pub(super) recheck_needed: bool,
    pub(super) reason: Option<String>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
    pub(super) events: Vec<Event>,
    pub(super) availability: Vec<(NaiveDate, NaiveDate, bool, bool, bool)>,
}

/// A member before its id is known.
pub(super) struct PlannedMember {
    pub(super) registration_code: Option<String>,
    pub(super) managed_by: Option<String>,
    pub(super) name: String,
    pub(super) name_kana: String,
    pub(super) birth_date: NaiveDate,
    pub(super) email: String,
    pub(super) phone: String,
    pub(super) prefecture_code: String,
    pub(super) municipality_code: String,
    pub(super) municipality_name: String,
    pub(super) street: String,
    pub(super) licences: Vec<(Profession, String, NaiveDate)>,
    pub(super) experience_years: i64,
    pub(super) experience_fields: Vec<ExperienceField>,
    pub(super) languages: Vec<Language>,
    pub(super) notes: String,
    pub(super) last_dispatch_on: Option<NaiveDate>,
    pub(super) terms: Option<(String, DateTime<Utc>)>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
    pub(super) memberships: Vec<PlannedMembership>,
    pub(super) trainings: Vec<(String, NaiveDate, Option<String>)>,
}

/// Draws members one after another from one seeded generator.
pub(super) struct Planner<'a> {
    pub(super) rng: StdRng,
    pub(super) spec: &'a RosterSpec,
    /// The end of the generated history: midnight UTC of `today`.
    pub(super) now: DateTime<Utc>,
    pub(super) prefectures: WeightedIndex<u32>,
    /// Per prefecture (index = code - 1): municipalities `(code, name)` and their weights.
    pub(super) municipalities: Vec<Places>,
    pub(super) surnames: WeightedIndex<u32>,
    pub(super) women: WeightedIndex<u32>,
    pub(super) men: WeightedIndex<u32>,
    pub(super) professions: WeightedIndex<u32>,
    pub(super) codes: HashSet<String>,
    /// `(profession code, number)` of every licence on record: a licence belongs to one person.
    pub(super) licences: HashSet<(String, String)>,
    pub(super) serial: usize,
}

pub(super) fn weights<T>(items: &[T], weight: impl Fn(&T) -> u32) -> WeightedIndex<u32> {
    WeightedIndex::new(items.iter().map(weight)).expect("non-empty positive weights")
}

pub(super) fn midnight(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

impl<'a> Planner<'a> {
    pub(super) fn new(
        reference: &Reference,
        spec: &'a RosterSpec,
        taken_codes: HashSet<String>,
        taken_licences: HashSet<(String, String)>,
    ) -> Self {
        let municipalities = ouen_shared::prefecture::PREFECTURES
            .iter()
            .map(|p| {
                let list: Vec<(String, String, u32)> = reference
                    .search(Some(p.code), None, None)
                    .into_iter()
                    .map(|m| {
                        // Cities and Tokyo's wards hold most people; towns more than villages.
                        let weight = if m.city_or_ward {
                            6
                        } else if m.name.ends_with('町') {
                            2
                        } else {
                            1
                        };
                        (m.code, m.name, weight)
                    })
                    .collect();
                let index = weights(&list, |m| m.2);
                (list.into_iter().map(|(c, n, _)| (c, n)).collect(), index)
            })
            .collect();
        Planner {
            rng: StdRng::seed_from_u64(spec.seed),
            spec,
            now: midnight(spec.today),
            prefectures: weights(&POPULATION, |p| *p),
            municipalities,
            surnames: weights(SURNAMES, |s| s.3),
            women: weights(WOMEN, |s| s.3),
            men: weights(MEN, |s| s.3),
            professions: weights(PROFESSIONS, |p| p.1),
            codes: taken_codes,
            licences: taken_licences,
            serial: 0,
        }
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// An instant `min_days..=max_days` after `from`, during office hours, never after `now`.
    pub(super) fn later(
        &mut self,
        from: DateTime<Utc>,
        min_days: i64,
        max_days: i64,
    ) -> DateTime<Utc> {
        let days = self.rng.gen_range(min_days..=max_days.max(min_days));
        let seconds = self.rng.gen_range(0..8 * 3600);
        let at = from + Duration::days(days) + Duration::seconds(seconds);
        if at >= self.now {
            let room = (self.now - from).num_seconds().max(2);
            from + Duration::seconds(self.rng.gen_range(1..room))
        } else {
            at
        }
    }

    pub(super) fn registration_code(&mut self) -> String {
        loop {
            let code = RegistrationCode::from_seed(self.rng.gen::<u64>())
                .digits()
                .to_string();
            if self.codes.insert(code.clone()) {
                return code;
            }
        }
    }

    /// A licence number not on record for the profession: seven digits for nurses, six for
    /// the others.
    pub(super) fn licence_number(&mut self, profession: Profession) -> String {
        loop {
            let number = match profession {
                Profession::Nurse | Profession::AssistantNurse => {
                    format!("{:07}", self.rng.gen_range(1..10_000_000))
                }
                _ => format!("{:06}", self.rng.gen_range(1..1_000_000)),
            };
            if self
                .licences
                .insert((profession.code().to_string(), number.clone()))
            {
                return number;
            }
        }
    }

    pub(super) fn neighbour(&mut self, code: &str, not: &[String]) -> Option<String> {
        let index = code.parse::<usize>().ok()?.checked_sub(1)?;
        let options: Vec<String> = NEIGHBOURS
            .get(index)?
            .iter()
            .map(|n| format!("{n:02}"))
            .filter(|n| !not.contains(n))
            .collect();
        if options.is_empty() {
            None
        } else {
            Some(options[self.rng.gen_range(0..options.len())].clone())
        }
    }

    pub(super) fn member(&mut self) -> PlannedMember {
        self.serial += 1;
        let today = self.spec.today;
        let home = self.prefectures.sample(&mut self.rng);
        let prefecture_code = format!("{:02}", home + 1);
        let (list, index) = &self.municipalities[home];
        let (municipality_code, municipality_name) = list[index.sample(&mut self.rng)].clone();

        // Profession first: it decides sex, age at licence and experience.
        let (profession, _, women_share) = PROFESSIONS[self.professions.sample(&mut self.rng)];
        let woman = self.chance(women_share);
        let surname = SURNAMES[self.surnames.sample(&mut self.rng)];
        let given = if woman {
            WOMEN[self.women.sample(&mut self.rng)]
        } else {
            MEN[self.men.sample(&mut self.rng)]
        };
        let name = format!("{} {}", surname.0, given.0);
        let hiragana = format!("{} {}", surname.1, given.1);
        // Most write the reading in hiragana, some in katakana as on paper forms.
        let name_kana = if self.chance(0.3) {
            hiragana
                .chars()
                .map(|c| match c {
                    'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
                    _ => c,
                })
                .collect()
        } else {
            hiragana
        };
        let age: i64 = match self.rng.gen_range(0..100) {
            0..=14 => self.rng.gen_range(23..30),
            15..=64 => self.rng.gen_range(30..55),
            65..=89 => self.rng.gen_range(55..66),
            _ => self.rng.gen_range(66..76),
        };
        let birth_date = today - Duration::days(age * 365 + self.rng.gen_range(0..365));
        let licence_age = match profession {
            Profession::Doctor | Profession::Dentist => self.rng.gen_range(24..28),
            Profession::Clerical => self.rng.gen_range(20..30),
            _ => self.rng.gen_range(21..25),
        };
        let licensed_year = birth_date.year() + licence_age;
        let licensed_on = NaiveDate::from_ymd_opt(
            licensed_year,
            self.rng.gen_range(3..6),
            self.rng.gen_range(1..29),
        )
        .filter(|d| *d < today)
        .unwrap_or(today - Duration::days(30));
        let mut licences = vec![(profession, self.licence_number(profession), licensed_on)];
        // Public-health nurses and midwives are registered nurses as well.
        if matches!(
            profession,
            Profession::PublicHealthNurse | Profession::Midwife
        ) && self.chance(0.95)
        {
            licences.push((
                Profession::Nurse,
                self.licence_number(Profession::Nurse),
                licensed_on,
            ));
        } else if profession == Profession::Nurse && self.chance(0.03) {
            licences.push((
                Profession::PublicHealthNurse,
                self.licence_number(Profession::PublicHealthNurse),
                licensed_on + Duration::days(self.rng.gen_range(365..3650)),
            ));
        }
        licences.retain(|l| l.2 < today);
        let career = i64::from(today.year() - licensed_on.year()).max(0);
        let experience_years = (career - self.rng.gen_range(0..=(career / 4).max(0))).clamp(0, 80);

        let choices = experience_choices(profession);
        let field_index = weights(choices, |c| c.1);
        let mut experience_fields = Vec::new();
        for _ in 0..self.rng.gen_range(1..=3) {
            let field = choices[field_index.sample(&mut self.rng)].0;
            if !experience_fields.contains(&field) {
                experience_fields.push(field);
            }
        }
        let mut languages = Vec::new();
        if self.chance(0.995) {
            languages.push(Language::Japanese);
        }
        for (language, share) in OTHER_LANGUAGES {
            if self.chance(*share) {
                languages.push(*language);
            }
        }
        if languages.is_empty() {
            languages.push(Language::English);
        }

        let managed = self.chance(0.08);
        let email = if managed && self.chance(0.3) {
            String::new()
        } else {
            let domain = ["example.jp", "example.com", "example.ne.jp"][self.rng.gen_range(0..3)];
            format!("{}.{}.{}@{domain}", given.2, surname.2, self.serial)
        };
        let phone = if managed && email.is_empty() && self.chance(0.5) {
            String::new()
        } else {
            format!(
                "{}-{:04}-{:04}",
                ["090", "080", "070"][self.rng.gen_range(0..3)],
                self.rng.gen_range(0..10_000),
                self.rng.gen_range(0..10_000)
            )
        };
        let street = format!(
            "{}{}丁目{}番{}号",
            TOWNS[self.rng.gen_range(0..TOWNS.len())],
            self.rng.gen_range(1..=6),
            self.rng.gen_range(1..=30),
            self.rng.gen_range(1..=20)
        );
        let notes = if self.chance(0.05) {
            NOTES[self.rng.gen_range(0..NOTES.len())].to_string()
        } else {
            String::new()
        };

        // Memberships: the home prefecture first (a few live across a border), then
        // neighbours. Applicants still waiting registered recently.
        let history_days = 6 * 365 + 180;
        let mut codes: Vec<String> = Vec::new();
        let count = if managed {
            1
        } else {
            match self.rng.gen_range(0..100) {
                0..=74 => 1,
                75..=94 => 2,
                _ => 3,
            }
        };
        let first = if !managed && self.chance(0.05) {
            self.neighbour(&prefecture_code, &[])
                .unwrap_or_else(|| prefecture_code.clone())
        } else {
            prefecture_code.clone()
        };
        codes.push(first);
        while codes.len() < count {
            let last = codes[codes.len() - 1].clone();
            match self.neighbour(&last, &codes) {
                Some(n) => codes.push(n),
                None => break,
            }
        }
        let statuses: Vec<MembershipStatus> = codes
            .iter()
            .enumerate()
            .map(|(i, _)| {
                use MembershipStatus as S;
                if managed {
                    return S::Approved;
                }
                let roll = self.rng.gen_range(0..100);
                if i == 0 {
                    match roll {
                        0..=75 => S::Approved,
                        76..=87 => S::Applied,
                        88..=90 => S::Rejected,
                        91..=93 => S::Suspended,
                        _ => S::Withdrawn,
                    }
                } else {
                    match roll {
                        0..=54 => S::Approved,
                        55..=84 => S::Applied,
                        85..=89 => S::Rejected,
                        _ => S::Withdrawn,
                    }
                }
            })
            .collect();
        let created_at = if statuses[0] == MembershipStatus::Applied {
            self.later(self.now - Duration::days(120), 0, 119)
        } else {
            self.later(self.now - Duration::days(history_days), 0, history_days - 3)
        };
        let mut memberships = Vec::new();
        let mut registration_code = None;
        let mut first_approval: Option<DateTime<Utc>> = None;
        for (i, (code, status)) in codes.iter().zip(statuses).enumerate() {
            let since = if i == 0 {
                created_at
            } else if status == MembershipStatus::Applied {
                let days_ago = (self.now - created_at).num_days().clamp(1, 120);
                self.later(self.now - Duration::days(days_ago), 0, days_ago - 1)
            } else {
                self.later(created_at, 0, 900)
            };
            let mut events = Vec::new();
            let mut reason = None;
            if managed {
                events.push((since, status, None));
                first_approval = Some(since);
            } else {
                use MembershipStatus as S;
                events.push((since, S::Applied, None));
                let decided = self.later(since, 2, 45);
                match status {
                    S::Applied => {}
                    S::Approved | S::Suspended => {
                        events.push((decided, S::Approved, None));
                        first_approval = Some(first_approval.map_or(decided, |f| f.min(decided)));
                        if status == S::Suspended {
                            let r = SUSPENSIONS[self.rng.gen_range(0..SUSPENSIONS.len())];
                            let at = self.later(decided, 30, 700);
                            events.push((at, status, Some(r.into())));
                            reason = Some(r.to_string());
                        }
                    }
                    S::Rejected => {
                        let r = REJECTIONS[self.rng.gen_range(0..REJECTIONS.len())];
                        events.push((decided, status, Some(r.into())));
                        reason = Some(r.to_string());
                    }
                    S::Withdrawn => {
                        let mut at = decided;
                        if self.chance(0.7) {
                            events.push((at, S::Approved, None));
                            first_approval = Some(first_approval.map_or(at, |f| f.min(at)));
                            at = self.later(at, 30, 900);
                        }
                        let r = if self.chance(0.8) {
                            Some(WITHDRAWALS[self.rng.gen_range(0..WITHDRAWALS.len())].to_string())
                        } else {
                            None
                        };
                        // The member withdraws; the prefecture records it on the member's word.
                        events.push((at, status, r.clone()));
                        reason = r;
                    }
                }
            }
            let updated_at = events.last().map_or(since, |e| e.0);
            let periods = if managed && self.chance(0.2) {
                0
            } else {
                match self.rng.gen_range(0..100) {
                    0..=69 => 1,
                    70..=94 => 2,
                    _ => 3,
                }
            };
            let availability = (0..periods).map(|_| self.period()).collect();
            let recheck_needed = matches!(
                status,
                MembershipStatus::Applied
                    | MembershipStatus::Approved
                    | MembershipStatus::Suspended
            ) && self.chance(0.015);
            memberships.push(PlannedMembership {
                prefecture_code: code.clone(),
                status,
                managed,
                recheck_needed,
                reason,
                created_at: since,
                updated_at,
                events,
                availability,
            });
        }
        if first_approval.is_some() {
            registration_code = Some(self.registration_code());
        }
        let updated_at = memberships
            .iter()
            .map(|m| m.updated_at)
            .max()
            .unwrap_or(created_at)
            .max(created_at);
        let last_dispatch_on = match first_approval {
            Some(approved) if self.chance(0.12) => {
                let from = approved.date_naive();
                let span = (today - from).num_days().max(1);
                Some(from + Duration::days(self.rng.gen_range(0..span)))
            }
            _ => None,
        };
        let trainings = self.trainings(created_at, first_approval.is_some());
        PlannedMember {
            registration_code,
            managed_by: managed.then(|| prefecture_code.clone()),
            name,
            name_kana,
            birth_date,
            email,
            phone,
            prefecture_code,
            municipality_code,
            municipality_name,
            street,
            licences,
            experience_years,
            experience_fields,
            languages,
            notes,
            last_dispatch_on,
            terms: (!managed).then(|| (self.spec.terms_version.clone(), created_at)),
            created_at,
            updated_at,
            memberships,
            trainings,
        }
    }

    /// A period of availability with at least one way of helping: the fiscal year, a window
    /// around today, or one already over.
    pub(super) fn period(&mut self) -> (NaiveDate, NaiveDate, bool, bool, bool) {
        let today = self.spec.today;
        let fiscal_year = if today.month() >= 4 {
            today.year()
        } else {
            today.year() - 1
        };
        let (from, to) = match self.rng.gen_range(0..100) {
            0..=44 => (
                NaiveDate::from_ymd_opt(fiscal_year, 4, 1).unwrap_or(today),
                NaiveDate::from_ymd_opt(fiscal_year + 1, 3, 31).unwrap_or(today),
            ),
            45..=89 => {
                let from = today - Duration::days(self.rng.gen_range(-60..180));
                (from, from + Duration::days(self.rng.gen_range(14..365)))
            }
            _ => {
                let to = today - Duration::days(self.rng.gen_range(1..400));
                (to - Duration::days(self.rng.gen_range(7..180)), to)
            }
        };
        let mut ways = (self.chance(0.65), self.chance(0.45), self.chance(0.55));
        if !(ways.0 || ways.1 || ways.2) {
            ways.0 = true;
        }
        (from, to, ways.0, ways.1, ways.2)
    }

    pub(super) fn trainings(
        &mut self,
        created_at: DateTime<Utc>,
        approved: bool,
    ) -> Vec<(String, NaiveDate, Option<String>)> {
        let share = if approved { 0.55 } else { 0.15 };
        if !self.chance(share) {
            return Vec::new();
        }
        let mut out: Vec<(String, NaiveDate, Option<String>)> = Vec::new();
        for _ in 0..self.rng.gen_range(1..=3) {
            let on = self.later(created_at, 1, 1500).date_naive();
            let fiscal_year = if on.month() >= 4 {
                on.year()
            } else {
                on.year() - 1
            };
            let title = TRAININGS[self.rng.gen_range(0..TRAININGS.len())]
                .replace("{}", &(fiscal_year - 2018).to_string());
            if out.iter().any(|t| t.0 == title) {
                continue;
            }
            let certificate = self
                .chance(0.7)
                .then(|| format!("IH-{fiscal_year}-{:05}", self.rng.gen_range(1..100_000)));
            out.push((title, on, certificate));
        }
        out
    }
}
