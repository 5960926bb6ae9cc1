//! Reading the roster: the scoped list, one member's record, and the rows of an export.

use super::filter::{cheap_count, order_by, push_filter, search_terms, Mode, Shape, SORTS};
use super::rows::*;
use crate::error::ApiError;
use crate::scope::{Actor, RosterScope};
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, Sql};
use crate::store::{in_write, on_read, Store};
use chrono::Datelike;
use chrono::NaiveDate;
use ouen_shared::api::{Licence, Member, MemberFilter, MemberSummary, Membership, Page, PageQuery};
use ouen_shared::MembershipStatus;
use std::collections::HashMap;

/// One member flattened for a CSV export (private fields already removed for cities).
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub member: super::rows::MemberRow,
    pub licences: Vec<Licence>,
    /// `(prefecture code, status)` of the memberships the caller sees.
    pub memberships: Vec<(String, MembershipStatus)>,
}

const FROM: &str = "FROM members m";

/// A stored code in its display form `123-456-7890`.
fn display_code(digits: Option<&str>) -> Option<String> {
    digits.map(|d| {
        ouen_shared::RegistrationCode::parse(d)
            .map(|c| c.display())
            .unwrap_or_else(|| d.to_string())
    })
}

/// A filter as the audit log keeps it: free text searched for may be a person's name, kana or
/// code, so only its length is kept; the ids logged beside it name whom the search reached.
fn audited_filter(filter: &MemberFilter) -> (MemberFilter, Option<usize>) {
    let without_text = MemberFilter {
        q: None,
        ..filter.clone()
    };
    (without_text, filter.q.as_ref().map(|q| q.chars().count()))
}

/// What a member's record is assembled from, besides its row and memberships.
type RecordParts = (
    Vec<LicenceRow>,
    Vec<EventRow>,
    Vec<AvailabilityRow>,
    Vec<TrainingRow>,
    Option<String>,
);

/// `(member id, profession, number, licensed on)`.
type MemberLicence = (i64, String, String, NaiveDate);

/// When every match has to be read to count it, the ids of up to this many come back with the
/// count, in order; a page further on is read on its own.
const GATHER_AT_ONCE: i64 = 2_000;

impl Store {
    /// One page of the members the actor may see, filtered and sorted. The read is audited.
    ///
    /// Only ids are gathered and sorted; whole rows are read for the page alone. A roster, a
    /// vetting queue or the like is counted from its memberships, and its page found by
    /// reading members in kana order until it is full when matches are many, or by gathering
    /// and sorting them when they are few. Any other filter has its matches read to count
    /// them, and the same pass answers their first ids in order.
    pub async fn list_members(
        &self,
        actor: &Actor,
        filter: &MemberFilter,
        page: &PageQuery,
    ) -> Result<Page<MemberSummary>, ApiError> {
        let scope = actor.roster_scope();
        let sort = page
            .sort_column(SORTS)
            .map_err(|i| ApiError::Invalid(vec![i]))?;
        let backend = self.kind();
        let where_clause = |mode: Mode| -> Result<Sql, ApiError> {
            let mut sql = Sql::default();
            push_filter(&mut sql, &scope, filter, Shape { backend, mode })?;
            Ok(sql)
        };
        let gathered = where_clause(Mode::Gather)?;
        let order = order_by(sort, page.order.unwrap_or_default().sql());
        let per_page = i64::from(page.per_page());
        let offset = page.offset();
        let text = !search_terms(filter.q.as_deref().unwrap_or_default()).is_empty();

        let may_walk = sort == "kana" && !text;
        let (total, first_ids) = match cheap_count(&scope, filter)? {
            Some(count) => {
                let total: i64 = on_read!(self, db => bind_args!(sqlx::query_scalar(&count.text), count.args).fetch_one(db).await?);
                (total, Vec::new())
            }
            None => {
                // Every match is read anyway to count it: the same pass sorts them and answers
                // the first ids in order, as one text value (rows cost more than their bytes).
                let mut sql = Sql::new(&format!(
                    "SELECT CAST(COUNT(*) AS BIGINT), string_agg(CASE WHEN x.n <= {GATHER_AT_ONCE} \
                     THEN CAST(x.id AS TEXT) END, ',' ORDER BY x.n) FROM \
                     (SELECT m.id, ROW_NUMBER() OVER (ORDER BY {order}) AS n {FROM}"
                ));
                sql.push(&gathered.text);
                sql.args = gathered.args.clone();
                sql.push(") x");
                let (total, joined): (i64, Option<String>) = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_one(db).await?);
                let ids = joined
                    .as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .filter(|id| !id.is_empty())
                    .map(|id| {
                        id.parse::<i64>()
                            .map_err(|e| ApiError::Internal(format!("member id {id}: {e}")))
                    })
                    .collect::<Result<Vec<i64>, _>>()?;
                (total, ids)
            }
        };
        let page_ids: Vec<i64> = if total <= offset {
            Vec::new()
        } else if offset + per_page <= first_ids.len() as i64 || first_ids.len() as i64 == total {
            let from = usize::try_from(offset)
                .unwrap_or(usize::MAX)
                .min(first_ids.len());
            let to = usize::try_from(offset + per_page)
                .unwrap_or(usize::MAX)
                .min(first_ids.len());
            first_ids[from..to].to_vec()
        } else {
            // Reading in kana order visits about (offset + per_page) × members / total
            // entries when matches are spread evenly over the order, as they are for every
            // filter but free text (names matching a text sit together); gathering visits
            // every match.
            let walk = may_walk && {
                let on_record = self.highest_member_id().await?;
                ((offset + per_page) as f64) * (on_record as f64) < (total as f64) * (total as f64)
            };
            let filters = if walk {
                where_clause(Mode::Walk)?
            } else {
                gathered
            };
            let mut sql = Sql::new(&format!("SELECT m.id {FROM}"));
            sql.push(&filters.text);
            sql.args = filters.args;
            sql.push(" ORDER BY ").push(&order).limit(per_page, offset);
            on_read!(self, db => bind_args!(sqlx::query_scalar(&sql.text), sql.args).fetch_all(db).await?)
        };
        let rows: Vec<MemberRow> = if page_ids.is_empty() {
            Vec::new()
        } else {
            // The filter holds again for the rows read, as they are read.
            let checked = where_clause(Mode::Recheck)?;
            let mut select = Sql::new(&format!("SELECT {MEMBER_COLUMNS} {FROM}"));
            select.push(&checked.text);
            select.args = checked.args;
            select.push(" AND m.id IN ").list(&page_ids);
            select.push(" ORDER BY ").push(&order);
            on_read!(self, db => bind_args!(sqlx::query_as(&select.text), select.args).fetch_all(db).await?)
        };
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut memberships = self.memberships_of(&scope, &ids).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let briefs = memberships
                .remove(&row.id)
                .unwrap_or_default()
                .iter()
                .map(MembershipRow::brief)
                .collect::<Result<_, _>>()?;
            items.push(MemberSummary {
                id: row.id,
                registration_code: display_code(row.registration_code.as_deref()),
                professions: row.professions(),
                experience_years: row.experience_years(),
                birth_year: if scope.hides_private_fields() {
                    None
                } else {
                    row.birth_date.map(|d| d.year())
                },
                name: row.name,
                name_kana: row.name_kana,
                prefecture_code: row.prefecture_code,
                municipality_code: row.municipality_code,
                memberships: briefs,
                last_dispatch_on: row.last_dispatch_on,
                updated_at: row.updated_at,
            });
        }
        let (audited, q_chars) = audited_filter(filter);
        let entry = NewEntry::by(actor, "member.list", "member", "").listed(
            serde_json::json!({ "filter": audited, "q_chars": q_chars }),
            page,
            total,
            &ids,
        );
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(Page::of(items, total, page))
    }

    /// The highest member id: about how many members there are, at no cost.
    async fn highest_member_id(&self) -> Result<i64, ApiError> {
        Ok(
            on_read!(self, db => sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM members")
            .fetch_one(db)
            .await?),
        )
    }

    /// One member as the actor may see it; `NotFound` outside its scope. The read is audited.
    pub async fn get_member(&self, actor: &Actor, id: i64) -> Result<Member, ApiError> {
        let member = self.member_record(actor, id).await?;
        let entry = NewEntry::by(actor, "member.read", "member", id);
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(member)
    }

    /// The member record of a member account.
    pub async fn own_member(&self, actor: &Actor) -> Result<Member, ApiError> {
        let id = self.own_member_id(actor).await?;
        self.member_record(actor, id).await
    }

    /// The id of the actor's own member record (`NotFound` for other accounts).
    pub(crate) async fn own_member_id(&self, actor: &Actor) -> Result<i64, ApiError> {
        let id: Option<i64> = on_read!(self, db => sqlx::query_scalar("SELECT id FROM members WHERE account_id = $1")
            .bind(actor.account_id)
            .fetch_optional(db)
            .await?);
        id.ok_or(ApiError::NotFound)
    }

    /// The member row if the scope sees it (anonymised records included).
    pub(crate) async fn visible_member_row(
        &self,
        scope: &RosterScope,
        id: i64,
    ) -> Result<MemberRow, ApiError> {
        let mut sql = Sql::new(&format!("SELECT {MEMBER_COLUMNS} {FROM} WHERE m.id = "));
        sql.arg(id).push(&super::not_staged("m.id")).push(" AND ");
        scope.push_member_visibility(&mut sql, "m");
        let row: Option<MemberRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_optional(db).await?);
        row.ok_or(ApiError::NotFound)
    }

    /// Assembles the full record of a visible member (not audited; callers audit).
    pub(crate) async fn member_record(&self, actor: &Actor, id: i64) -> Result<Member, ApiError> {
        let scope = actor.roster_scope();
        let row = self.visible_member_row(&scope, id).await?;
        let mut memberships = self
            .memberships_of(&scope, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        memberships.sort_by(|a, b| a.prefecture_code.cmp(&b.prefecture_code));
        let membership_ids: Vec<i64> = memberships.iter().map(|m| m.id).collect();
        let (licences, events, availability, trainings, login): RecordParts = on_read!(self, db => {
            let licences = sqlx::query_as("SELECT profession, number, licensed_on FROM member_licences WHERE member_id = $1 ORDER BY licensed_on, profession")
                .bind(id).fetch_all(db).await?;
            // Who took each step is the account's current login: anonymised with the account.
            let mut events_sql = Sql::new("SELECT e.membership_id, e.at, e.status, e.reason, a.login AS actor_login \
                 FROM membership_events e LEFT JOIN accounts a ON a.id = e.actor_id WHERE e.membership_id IN ");
            let mut availability_sql = Sql::new("SELECT membership_id, from_date, to_date, on_site, remote, phone FROM availability WHERE membership_id IN ");
            let (events, availability) = if membership_ids.is_empty() {
                (Vec::new(), Vec::new())
            } else {
                events_sql.list(&membership_ids).push(" ORDER BY e.at, e.id");
                availability_sql.list(&membership_ids).push(" ORDER BY from_date, id");
                (
                    bind_args!(sqlx::query_as(&events_sql.text), events_sql.args).fetch_all(db).await?,
                    bind_args!(sqlx::query_as(&availability_sql.text), availability_sql.args).fetch_all(db).await?,
                )
            };
            let trainings = sqlx::query_as("SELECT title, completed_on, certificate_number FROM member_trainings WHERE member_id = $1 ORDER BY completed_on DESC, id")
                .bind(id).fetch_all(db).await?;
            let login = sqlx::query_scalar("SELECT login FROM accounts WHERE id = $1")
                .bind(row.account_id).fetch_optional(db).await?;
            (licences, events, availability, trainings, login)
        });
        let hide = scope.hides_private_fields();
        let memberships = memberships
            .iter()
            .map(|ms| {
                Ok(Membership {
                    prefecture_code: ms.prefecture_code.clone(),
                    status: ms.status()?,
                    managed: ms.managed,
                    recheck_needed: ms.recheck_needed,
                    reason: ms.reason.clone(),
                    availability: availability
                        .iter()
                        .filter(|a| a.membership_id == ms.id)
                        .map(AvailabilityRow::availability)
                        .collect(),
                    history: events
                        .iter()
                        .filter(|e| e.membership_id == ms.id)
                        .map(EventRow::event)
                        .collect::<Result<_, ApiError>>()?,
                    updated_at: ms.updated_at,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let member = Member {
            id: row.id,
            registration_code: display_code(row.registration_code.as_deref()),
            login,
            experience_fields: row.experience_fields(),
            languages: row.languages(),
            experience_years: row.experience_years(),
            name: row.name,
            name_kana: row.name_kana,
            birth_date: if hide { None } else { row.birth_date },
            email: row.email,
            phone: row.phone,
            prefecture_code: row.prefecture_code,
            municipality_code: row.municipality_code,
            municipality_name: row.municipality_name,
            street: if hide { None } else { Some(row.street) },
            licences: licences.iter().filter_map(LicenceRow::licence).collect(),
            notes: row.notes,
            memberships,
            trainings: trainings.iter().map(TrainingRow::record).collect(),
            last_dispatch_on: row.last_dispatch_on,
            terms_version: row.terms_version,
            terms_accepted_at: row.terms_accepted_at,
            withdrawn_at: row.withdrawn_at,
            anonymised: row.anonymised_at.is_some(),
            mail_opt_out: row.mail_opt_out_at.is_some(),
            private_hidden: hide,
            created_at: row.created_at,
            updated_at: row.updated_at,
        };
        Ok(member)
    }

    /// The memberships of `ids` the scope sees, by member.
    pub(crate) async fn memberships_of(
        &self,
        scope: &RosterScope,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<MembershipRow>>, ApiError> {
        let mut by_member: HashMap<i64, Vec<MembershipRow>> = HashMap::new();
        if ids.is_empty() {
            return Ok(by_member);
        }
        let mut sql = Sql::new(&format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM memberships ms WHERE ms.member_id IN "
        ));
        sql.list(ids);
        scope.push_membership_conditions(&mut sql, "ms");
        sql.push(" ORDER BY ms.prefecture_code");
        let rows: Vec<MembershipRow> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
        for row in rows {
            by_member.entry(row.member_id).or_default().push(row);
        }
        Ok(by_member)
    }

    /// Every member matching the filter, for a CSV export. The export is audited.
    pub async fn export_members(
        &self,
        actor: &Actor,
        filter: &MemberFilter,
    ) -> Result<Vec<ExportRow>, ApiError> {
        let scope = actor.roster_scope();
        let mut filters = Sql::default();
        push_filter(
            &mut filters,
            &scope,
            filter,
            Shape {
                backend: self.kind(),
                mode: Mode::Gather,
            },
        )?;
        let mut select = Sql::new(&format!("SELECT {MEMBER_COLUMNS} {FROM}"));
        select.push(&filters.text);
        select.args = filters.args.clone();
        select.push(" ORDER BY m.kana_fold, m.id");
        let ids_sql = format!("SELECT m.id {FROM}{}", filters.text);
        let mut licences_sql = Sql::new(&format!(
            "SELECT ml.member_id, ml.profession, ml.number, ml.licensed_on FROM member_licences ml WHERE ml.member_id IN ({ids_sql}) ORDER BY ml.licensed_on"
        ));
        licences_sql.args = filters.args.clone();
        let mut memberships_sql = Sql::new(&format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM memberships ms WHERE ms.member_id IN ({ids_sql})"
        ));
        memberships_sql.args = filters.args;
        scope.push_membership_conditions(&mut memberships_sql, "ms");
        memberships_sql.push(" ORDER BY ms.prefecture_code");
        let (rows, licences, memberships): (
            Vec<MemberRow>,
            Vec<MemberLicence>,
            Vec<MembershipRow>,
        ) = on_read!(self, db => (
            bind_args!(sqlx::query_as(&select.text), select.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&licences_sql.text), licences_sql.args).fetch_all(db).await?,
            bind_args!(sqlx::query_as(&memberships_sql.text), memberships_sql.args).fetch_all(db).await?,
        ));
        let mut licences_by: HashMap<i64, Vec<Licence>> = HashMap::new();
        for (member_id, profession, number, licensed_on) in licences {
            if let Some(licence) = (LicenceRow {
                profession,
                number,
                licensed_on,
            })
            .licence()
            {
                licences_by.entry(member_id).or_default().push(licence);
            }
        }
        let mut memberships_by: HashMap<i64, Vec<(String, MembershipStatus)>> = HashMap::new();
        for ms in memberships {
            let status = ms.status()?;
            memberships_by
                .entry(ms.member_id)
                .or_default()
                .push((ms.prefecture_code, status));
        }
        let hide = scope.hides_private_fields();
        let out: Vec<ExportRow> = rows
            .into_iter()
            .map(|mut member| {
                if hide {
                    member.birth_date = None;
                    member.street = String::new();
                }
                ExportRow {
                    licences: licences_by.remove(&member.id).unwrap_or_default(),
                    memberships: memberships_by.remove(&member.id).unwrap_or_default(),
                    member,
                }
            })
            .collect();
        let (audited, q_chars) = audited_filter(filter);
        let entry = NewEntry::by(actor, "member.export", "member", "").detail(serde_json::json!({
            "filter": audited,
            "q_chars": q_chars,
            "count": out.len(),
            "ids": out.iter().map(|r| r.member.id).collect::<Vec<_>>(),
        }));
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(out)
    }
}
