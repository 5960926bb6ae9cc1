//! Database rows of the roster and their conversion to API types.

use super::split_codes;
use crate::error::ApiError;
use chrono::{DateTime, NaiveDate, Utc};
use ouen_shared::api::{Availability, Licence, MembershipBrief, MembershipEvent, TrainingRecord};
use ouen_shared::{ExperienceField, HelpWay, Language, MembershipStatus, Profession};

/// The columns of [`MemberRow`], for `SELECT … FROM members m`.
pub const MEMBER_COLUMNS: &str = "m.id, m.account_id, m.registration_code, m.managed_by, m.name, m.name_kana, \
     m.birth_date, m.email, m.phone, m.prefecture_code, m.municipality_code, m.municipality_name, m.street, m.professions, \
     m.experience_years, m.experience_fields, m.languages, m.notes, m.last_dispatch_on, m.terms_version, \
     m.terms_accepted_at, m.withdrawn_at, m.anonymised_at, m.mail_opt_out_at, m.created_at, m.updated_at";

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct MemberRow {
    pub id: i64,
    pub account_id: Option<i64>,
    pub registration_code: Option<String>,
    pub managed_by: Option<String>,
    pub name: String,
    pub name_kana: String,
    pub birth_date: Option<NaiveDate>,
    pub email: String,
    pub phone: String,
    pub prefecture_code: String,
    pub municipality_code: String,
    pub municipality_name: String,
    pub street: String,
    pub professions: String,
    pub experience_years: i64,
    pub experience_fields: String,
    pub languages: String,
    pub notes: String,
    pub last_dispatch_on: Option<NaiveDate>,
    pub terms_version: Option<String>,
    pub terms_accepted_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub anonymised_at: Option<DateTime<Utc>>,
    pub mail_opt_out_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MemberRow {
    pub fn professions(&self) -> Vec<Profession> {
        split_codes(&self.professions, Profession::from_code)
    }
    pub fn experience_fields(&self) -> Vec<ExperienceField> {
        split_codes(&self.experience_fields, ExperienceField::from_code)
    }
    pub fn languages(&self) -> Vec<Language> {
        split_codes(&self.languages, Language::from_code)
    }
    pub fn experience_years(&self) -> u16 {
        u16::try_from(self.experience_years).unwrap_or(0)
    }
}

/// The columns of [`MembershipRow`], for `… FROM memberships ms`.
pub const MEMBERSHIP_COLUMNS: &str =
    "ms.id, ms.member_id, ms.prefecture_code, ms.status, ms.managed, ms.recheck_needed, ms.reason, ms.updated_at";

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct MembershipRow {
    pub id: i64,
    pub member_id: i64,
    pub prefecture_code: String,
    pub status: String,
    pub managed: bool,
    pub recheck_needed: bool,
    pub reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl MembershipRow {
    pub fn status(&self) -> Result<MembershipStatus, ApiError> {
        MembershipStatus::from_code(&self.status)
            .ok_or_else(|| ApiError::Internal(format!("unknown membership status {}", self.status)))
    }

    pub fn brief(&self) -> Result<MembershipBrief, ApiError> {
        Ok(MembershipBrief {
            prefecture_code: self.prefecture_code.clone(),
            status: self.status()?,
            managed: self.managed,
            recheck_needed: self.recheck_needed,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct EventRow {
    pub membership_id: i64,
    pub at: DateTime<Utc>,
    pub status: String,
    pub reason: Option<String>,
    pub actor_login: Option<String>,
}

impl EventRow {
    pub fn event(&self) -> Result<MembershipEvent, ApiError> {
        Ok(MembershipEvent {
            at: self.at,
            status: MembershipStatus::from_code(&self.status)
                .ok_or_else(|| ApiError::Internal(format!("unknown status {}", self.status)))?,
            reason: self.reason.clone(),
            actor_login: self.actor_login.clone(),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AvailabilityRow {
    pub membership_id: i64,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub on_site: bool,
    pub remote: bool,
    pub phone: bool,
}

impl AvailabilityRow {
    pub fn availability(&self) -> Availability {
        let mut ways = Vec::new();
        if self.on_site {
            ways.push(HelpWay::OnSite);
        }
        if self.remote {
            ways.push(HelpWay::Remote);
        }
        if self.phone {
            ways.push(HelpWay::Phone);
        }
        Availability {
            from: self.from_date,
            to: self.to_date,
            ways,
        }
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct LicenceRow {
    pub profession: String,
    pub number: String,
    pub licensed_on: NaiveDate,
}

impl LicenceRow {
    pub fn licence(&self) -> Option<Licence> {
        Some(Licence {
            profession: Profession::from_code(&self.profession)?,
            number: self.number.clone(),
            licensed_on: self.licensed_on,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TrainingRow {
    pub title: String,
    pub completed_on: NaiveDate,
    pub certificate_number: Option<String>,
}

impl TrainingRow {
    pub fn record(&self) -> TrainingRecord {
        TrainingRecord {
            title: self.title.clone(),
            completed_on: self.completed_on,
            certificate_number: self.certificate_number.clone(),
        }
    }
}
