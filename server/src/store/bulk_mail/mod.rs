//! Messages to many members: bulk mails chosen with the roster's filter, and each
//! organisation's newsletter. Every send writes its record and all its notices (inbox entries
//! and queued e-mails, through [`notify_in_tx!`](super::inbox::notify_in_tx)) in one transaction.

mod newsletter;
mod sends;
mod text;

use crate::error::ApiError;
use crate::scope::Actor;
use crate::store::sql::Sql;
use ouen_shared::Role;

/// Whether the actor may send to many at all (prefecture for its roster, admin and national
/// for everyone); `Forbidden` otherwise.
fn may_send(actor: &Actor) -> Result<(), ApiError> {
    match actor.role {
        Role::Admin | Role::National | Role::Prefecture => Ok(()),
        _ => Err(ApiError::Forbidden),
    }
}

/// Appends ` WHERE …` limiting alias `alias` to the records of the caller's scope: a
/// prefecture its own organisation's, admin and national everyone's.
fn push_history_scope(sql: &mut Sql, actor: &Actor, alias: &str) -> Result<(), ApiError> {
    may_send(actor)?;
    if actor.role == Role::Prefecture {
        sql.push(&format!(" WHERE {alias}.organisation_id = "))
            .arg(actor.organisation_id);
    } else {
        sql.push(" WHERE 1 = 1");
    }
    Ok(())
}
