//! Dispatch requests (派遣要請): the requests of a prefecture or city with their slots
//! ([`requests`]), whom they ask and the reminders ([`asking`]), the members' answers
//! ([`answers`]), the shift grid and its planning ([`shifts`]), and the formal requests that
//! confirm it ([`formal`]).
//!
//! Who sees a request: national and admin every one (reading only); a prefecture those asking
//! its roster (its own and its cities'); a city its own. A member sees only the requests it was
//! asked, through its own routes. Every query here applies that rule in its SQL, so a request
//! outside it is absent from lists and counts and answers 404.

pub mod answers;
pub mod asking;
pub mod formal;
pub mod generate;
pub mod planning;
pub mod requests;
pub mod shifts;
pub mod slots;

use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::members::{join_codes, split_codes};
use crate::store::sql::Sql;
use ouen_shared::dispatch::Duty;
use ouen_shared::{FieldIssue, Problem, Profession, Role};

/// Whether the actor may read dispatch requests at all.
pub(crate) fn may_read(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::National | Role::Admin | Role::Prefecture | Role::City => Ok(()),
        _ => Err(ApiError::Forbidden),
    }
}

/// Whether the actor may write, send and plan requests: prefectures and cities.
pub(crate) fn may_plan(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::Prefecture | Role::City if actor.may_write() => Ok(()),
        _ => Err(ApiError::Forbidden),
    }
}

/// Appends the condition that request alias `d` is visible to `actor` (see the module doc).
pub(crate) fn push_request_visibility(sql: &mut Sql, actor: &Actor, d: &str) {
    match (actor.role, &actor.prefecture_code) {
        (Role::National | Role::Admin, _) => {
            sql.push("TRUE");
        }
        (Role::Prefecture, Some(code)) => {
            sql.push(&format!("{d}.prefecture_code = "))
                .arg(code.as_str());
        }
        (Role::City, _) => {
            sql.push(&format!("{d}.organisation_id = "))
                .arg(actor.organisation_id);
        }
        _ => {
            sql.push("FALSE");
        }
    }
}

/// Whether a database error is the refusal of a double booking (PostgreSQL's exclusion
/// constraint, SQLite's trigger).
pub(crate) fn is_double_booking(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("23P01")
                || db.message().contains("dispatch_assignments_no_overlap")
        }
        _ => false,
    }
}

pub(crate) fn double_booked(field: &str) -> ApiError {
    ApiError::Conflict(vec![FieldIssue::new(
        field,
        Problem::NotAllowed {
            ja: "同じ時間帯に別の派遣が確定している人がいます。シフトを確認してください。",
            en: "Someone is already committed at an overlapping time. Check the shifts.",
        },
    )])
}

/// Moves the seats of slot `$slot` to `$starts`–`$ends` in transaction `$tx`; a move that
/// would commit someone twice at one time returns the double-booking refusal named `$field`.
macro_rules! move_seats {
    ($tx:expr, $slot:expr, $starts:expr, $ends:expr, $field:expr) => {
        match sqlx::query(
            "UPDATE dispatch_assignments SET starts_at = $1, ends_at = $2 WHERE slot_id = $3",
        )
        .bind($starts)
        .bind($ends)
        .bind($slot)
        .execute(&mut *$tx)
        .await
        {
            Ok(_) => {}
            Err(e) if $crate::store::dispatch::is_double_booking(&e) => {
                return Err($crate::store::dispatch::double_booked($field))
            }
            Err(e) => return Err(e.into()),
        }
    };
}
pub(crate) use move_seats;

pub(crate) fn duty_codes(duties: &[Duty]) -> String {
    join_codes(duties, Duty::code)
}

pub(crate) fn duties_of(text: &str) -> Vec<Duty> {
    split_codes(text, Duty::from_code)
}

pub(crate) fn profession_codes(professions: &[Profession]) -> String {
    join_codes(professions, Profession::code)
}

pub(crate) fn professions_of(text: &str) -> Vec<Profession> {
    split_codes(text, Profession::from_code)
}
