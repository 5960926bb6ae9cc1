//! The rows of one batch of an import, built in Rust from the checked file: the same values
//! for both backends, which write them each in their own way.

use super::Staged;
use crate::error::ApiError;
use crate::roster_csv::import::ImportRow;
use crate::scope::Actor;
use crate::store::members::grams::{search_grams, Gram};
use crate::store::members::lifecycle::NewMembership;
use crate::store::members::profile::{detail_rows, NewMember};
use crate::store::sql::{bind_args, Arg, Sql};
use crate::store::{on_read, BackendKind, Store};
use chrono::{DateTime, Utc};
use ouen_shared::{HelpWay, MembershipStatus};
use std::collections::HashSet;
use std::sync::Mutex;

/// Rows of one table, each every value of one row.
pub(super) type Rows = Vec<Vec<Arg>>;

/// What every row of an import shares.
#[derive(Clone, Copy)]
pub(super) struct Import<'a> {
    pub kind: BackendKind,
    pub actor: &'a Actor,
    pub prefecture: &'a str,
    pub staged: &'a Staged,
    pub at: DateTime<Utc>,
    /// The registration codes drawn so far: the next batch is drawn while the one before is
    /// being saved, so the roster does not hold them yet.
    pub codes: &'a Mutex<HashSet<String>>,
}

/// The members of one batch with their licences, tags and memberships, each row every value
/// of one row of its table.
pub(super) struct Batch<'a> {
    pub rows: &'a [ImportRow],
    pub first_id: i64,
    /// `id`, [`crate::store::members::profile::NEW_MEMBER_COLUMNS`], and on PostgreSQL the
    /// search grams as an array literal.
    pub members: Rows,
    /// `member_id, profession, number, licensed_on`.
    pub licences: Rows,
    /// `member_id, kind, code`.
    pub tags: Rows,
    /// `member_id, prefecture_code, status, managed, recheck_needed, created_at, updated_at`.
    pub memberships: Rows,
    /// SQLite: the search grams of the batch's members (written apart, sorted).
    pub grams: Vec<(Gram, i64)>,
}

/// Members built between two turns given to the runtime (a millisecond or two).
const BUILD_STEP: usize = 50;

/// The columns of [`Batch::memberships`].
pub(super) const MEMBERSHIP_COLUMNS: &str =
    "member_id, prefecture_code, status, managed, recheck_needed, created_at, updated_at";

/// The columns of [`Import::history`]'s events.
pub(super) const EVENT_COLUMNS: &str = "membership_id, at, status, reason, actor_id";

/// The columns of [`Import::history`]'s availability.
pub(super) const AVAILABILITY_COLUMNS: &str =
    "membership_id, from_date, to_date, on_site, remote, phone";

impl Import<'_> {
    /// The rows of `chunk`, whose first member is `first_id`, with fresh registration codes.
    /// Gives way to the runtime every [`BUILD_STEP`] members, so that a batch being saved
    /// meanwhile goes on (the database works while this one is built).
    pub async fn batch<'r>(
        &self,
        store: &Store,
        chunk: &'r [ImportRow],
        first_id: i64,
    ) -> Result<Batch<'r>, ApiError> {
        let codes = store
            .free_registration_codes(chunk.len(), self.codes)
            .await?;
        let mut batch = Batch {
            rows: chunk,
            first_id,
            members: Vec::with_capacity(chunk.len()),
            licences: Vec::with_capacity(2 * chunk.len()),
            tags: Vec::with_capacity(3 * chunk.len()),
            memberships: Vec::with_capacity(chunk.len()),
            grams: Vec::new(),
        };
        for (i, (row, code)) in chunk.iter().zip(codes).enumerate() {
            if i > 0 && i % BUILD_STEP == 0 {
                tokio::task::yield_now().await;
            }
            self.push_member(&mut batch, row, first_id + i as i64, code);
        }
        Ok(batch)
    }

    fn push_member(&self, batch: &mut Batch<'_>, row: &ImportRow, id: i64, code: String) {
        let new = NewMember {
            account_id: None,
            managed_by: Some(self.prefecture.to_string()),
            profile: &row.request.profile,
            municipality_name: row.municipality_name.clone(),
            notes: row.request.notes.clone(),
            terms: None,
            registration_code: Some(code),
            at: self.at,
        };
        let search_fold = new.search_fold();
        let grams = search_grams(&search_fold);
        let mut values = Vec::with_capacity(25);
        values.push(Arg::from(id));
        values.extend(new.values_with(search_fold));
        match self.kind {
            BackendKind::Sqlite => batch.grams.extend(grams.into_iter().map(|g| (g, id))),
            BackendKind::Postgres => values.push(text_array(&grams).into()),
        }
        batch.members.push(values);
        let (licences, tags) = detail_rows(id, &row.request.profile);
        batch.licences.extend(licences);
        batch.tags.extend(tags);
        batch.memberships.push(vec![
            id.into(),
            self.prefecture.into(),
            MembershipStatus::Approved.code().into(),
            true.into(),
            false.into(),
            self.at.into(),
            self.at.into(),
        ]);
    }

    /// The first history event and the availability rows of each member of `batch`, whose
    /// membership ids `membership_of` answers: `(events, availability)`.
    pub fn history(
        &self,
        batch: &Batch<'_>,
        membership_of: impl Fn(i64) -> Option<i64>,
    ) -> Result<(Rows, Rows), ApiError> {
        let mut events = Vec::with_capacity(batch.rows.len());
        let mut availability = Vec::new();
        for (i, row) in batch.rows.iter().enumerate() {
            let member_id = batch.first_id + i as i64;
            let membership_id = membership_of(member_id).ok_or_else(|| {
                ApiError::Internal(format!("import: no membership for member {member_id}"))
            })?;
            let membership = NewMembership {
                member_id,
                prefecture_code: self.prefecture.to_string(),
                status: MembershipStatus::Approved,
                managed: true,
                availability: row.request.availability.clone(),
                actor_id: Some(self.actor.account_id),
                reason: None,
                at: self.at,
            };
            events.push(vec![
                membership_id.into(),
                self.at.into(),
                membership.status.code().into(),
                membership.reason.clone().into(),
                membership.actor_id.into(),
            ]);
            for a in &membership.availability {
                availability.push(vec![
                    membership_id.into(),
                    a.from.into(),
                    a.to.into(),
                    a.ways.contains(&HelpWay::OnSite).into(),
                    a.ways.contains(&HelpWay::Remote).into(),
                    a.ways.contains(&HelpWay::Phone).into(),
                ]);
            }
        }
        Ok((events, availability))
    }
}

/// `grams` as a PostgreSQL array literal, every element quoted (`{"a","ab"}`).
fn text_array(grams: &[Gram]) -> String {
    let mut out = String::with_capacity(8 * grams.len() + 2);
    out.push('{');
    for (i, gram) in grams.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in gram.to_string().chars() {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

impl Store {
    /// `n` registration codes, none on record nor among those in `seen` (which gets them). A
    /// code taken by an approval in the meantime fails the batch on the unique index, and
    /// with it the import.
    pub(super) async fn free_registration_codes(
        &self,
        n: usize,
        seen: &Mutex<HashSet<String>>,
    ) -> Result<Vec<String>, ApiError> {
        let mut codes: Vec<String> = Vec::with_capacity(n);
        while codes.len() < n {
            let drawn: Vec<String> = {
                let mut seen = seen
                    .lock()
                    .map_err(|_| ApiError::Internal("import: registration codes".into()))?;
                (0..n - codes.len())
                    .map(|_| {
                        ouen_shared::RegistrationCode::from_seed(rand::random::<u64>())
                            .digits()
                            .to_string()
                    })
                    .filter(|c| seen.insert(c.clone()))
                    .collect()
            };
            if drawn.is_empty() {
                continue;
            }
            let mut sql =
                Sql::new("SELECT registration_code FROM members WHERE registration_code IN ");
            sql.list(&drawn);
            let taken: HashSet<String> = on_read!(self, db => bind_args!(sqlx::query_scalar(&sql.text), sql.args).fetch_all(db).await?)
                .into_iter()
                .collect();
            codes.extend(drawn.into_iter().filter(|c| !taken.contains(c)));
        }
        Ok(codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_literals_quote_every_element() {
        let grams = search_grams("a\"\\{");
        assert_eq!(
            text_array(&grams),
            r#"{"\"","\"\\","\\","\\{","a","a\"","{"}"#
        );
        assert_eq!(text_array(&[]), "{}");
    }
}
