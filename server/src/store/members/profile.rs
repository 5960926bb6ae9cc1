//! A member's personal details: writing them (new records, own edits, notes) and entering a
//! prefecture's own professionals.

use super::{join_codes, kana_key, search_text};
use crate::error::ApiError;
use crate::policy::{roster_keeper, RosterKeeper};
use crate::reference::Reference;
use crate::scope::Actor;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute, fetch_scalar, Arg, Sql};
use crate::store::{in_write, now, Store};
use chrono::{DateTime, Utc};
use ouen_shared::api::{CreateMemberRequest, Member, Profile};
use ouen_shared::text::normalize_line_breaks;
use ouen_shared::Problem;

/// Checks the home municipality against the reference list and answers its name.
pub fn municipality_name(
    reference: &Reference,
    profile: &Profile,
    field: &str,
) -> Result<String, ApiError> {
    reference
        .municipality(&profile.municipality_code)
        .map(|m| m.name.clone())
        .ok_or_else(|| ApiError::invalid(field, Problem::UnknownMunicipality))
}

/// A member row about to be inserted.
pub struct NewMember<'a> {
    pub account_id: Option<i64>,
    pub managed_by: Option<String>,
    pub profile: &'a Profile,
    pub municipality_name: String,
    pub notes: String,
    pub terms: Option<(String, DateTime<Utc>)>,
    pub registration_code: Option<String>,
    pub at: DateTime<Utc>,
}

/// The columns [`NewMember::values`] fills, in order.
pub const NEW_MEMBER_COLUMNS: &str = "account_id, registration_code, managed_by, name, name_kana, kana_fold, \
     birth_date, email, phone, prefecture_code, municipality_code, municipality_name, street, professions, \
     experience_years, experience_fields, languages, notes, search_fold, terms_version, terms_accepted_at, \
     created_at, updated_at";

impl NewMember<'_> {
    /// `INSERT … RETURNING id`.
    pub fn insert(&self) -> Sql {
        let mut sql = Sql::new(&format!(
            "INSERT INTO members ({NEW_MEMBER_COLUMNS}) VALUES "
        ));
        sql.list(&self.values()).push(" RETURNING id");
        sql
    }

    /// The values of [`NEW_MEMBER_COLUMNS`], as stored (trimmed, phone and line breaks
    /// normalised, search text folded).
    pub fn values(&self) -> Vec<Arg> {
        self.values_with(self.search_fold())
    }

    /// The member's search text (`search_fold`).
    pub fn search_fold(&self) -> String {
        search_text(
            &self.profile.name,
            &self.profile.name_kana,
            self.registration_code.as_deref(),
            &self.notes,
        )
    }

    /// [`NewMember::values`] with the search text already computed by
    /// [`NewMember::search_fold`].
    pub fn values_with(&self, search_fold: String) -> Vec<Arg> {
        let p = self.profile;
        let professions: Vec<_> = p.licences.iter().map(|l| l.profession).collect();
        vec![
            self.account_id.into(),
            self.registration_code.clone().into(),
            self.managed_by.clone().into(),
            p.name.trim().into(),
            p.name_kana.trim().into(),
            kana_key(&p.name_kana).into(),
            p.birth_date.into(),
            p.email.trim().into(),
            ouen_shared::validate::normalize_phone(&p.phone).into(),
            p.prefecture_code.as_str().into(),
            p.municipality_code.as_str().into(),
            self.municipality_name.clone().into(),
            p.street.trim().into(),
            join_codes(&professions, |x| x.code()).into(),
            i64::from(p.experience_years).into(),
            join_codes(&p.experience_fields, |x| x.code()).into(),
            join_codes(&p.languages, |x| x.code()).into(),
            normalize_line_breaks(self.notes.trim()).into(),
            search_fold.into(),
            self.terms.as_ref().map(|t| t.0.clone()).into(),
            self.terms.as_ref().map(|t| t.1).into(),
            self.at.into(),
            self.at.into(),
        ]
    }
}

/// The licence and tag rows of a member: `(member_id, profession, number, licensed_on)` and
/// `(member_id, kind, code)`, tags once each.
pub fn detail_rows(member_id: i64, profile: &Profile) -> (Vec<Vec<Arg>>, Vec<Vec<Arg>>) {
    let licences = profile
        .licences
        .iter()
        .map(|l| {
            vec![
                member_id.into(),
                l.profession.code().into(),
                l.number.trim().into(),
                l.licensed_on.into(),
            ]
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let tags = profile
        .experience_fields
        .iter()
        .map(|f| ("experience", f.code()))
        .chain(profile.languages.iter().map(|l| ("language", l.code())))
        .filter(|tag| seen.insert(*tag))
        .map(|(kind, code)| vec![member_id.into(), kind.into(), code.into()])
        .collect();
    (licences, tags)
}

/// Statements that replace a member's licences and tags with those of `profile`.
pub fn detail_statements(member_id: i64, profile: &Profile) -> Vec<Sql> {
    let (licences, tags) = detail_rows(member_id, profile);
    let mut out = vec![
        Sql::with(
            "DELETE FROM member_licences WHERE member_id = $1",
            [member_id.into()],
        ),
        Sql::with(
            "DELETE FROM member_tags WHERE member_id = $1",
            [member_id.into()],
        ),
    ];
    for row in licences {
        let mut sql = Sql::new(
            "INSERT INTO member_licences (member_id, profession, number, licensed_on) VALUES ",
        );
        sql.list(&row);
        out.push(sql);
    }
    for row in tags {
        let mut sql = Sql::new("INSERT INTO member_tags (member_id, kind, code) VALUES ");
        sql.list(&row);
        out.push(sql);
    }
    out
}

/// Inserts a prefecture's own professional in transaction `$tx`, on its roster with a new
/// registration code; answers `(member id, code)`.
macro_rules! insert_managed_member {
    ($tx:expr, $actor:expr, $prefecture:expr, $request:expr, $municipality_name:expr, $at:expr) => {{
        let request: &ouen_shared::api::CreateMemberRequest = $request;
        let prefecture: &str = $prefecture;
        let code = $crate::store::members::lifecycle::issue_registration_code!($tx);
        let new = $crate::store::members::profile::NewMember {
            account_id: None,
            managed_by: Some(prefecture.to_string()),
            profile: &request.profile,
            municipality_name: $municipality_name,
            notes: request.notes.clone(),
            terms: None,
            registration_code: Some(code.clone()),
            at: $at,
        };
        let id: i64 = fetch_scalar!($tx, new.insert());
        for statement in $crate::store::members::profile::detail_statements(id, &request.profile) {
            execute!($tx, statement);
        }
        let membership = $crate::store::members::lifecycle::NewMembership {
            member_id: id,
            prefecture_code: prefecture.to_string(),
            status: ouen_shared::MembershipStatus::Approved,
            managed: true,
            availability: request.availability.clone(),
            actor_id: Some($actor.account_id),
            reason: None,
            at: $at,
        };
        let membership_id: i64 = fetch_scalar!($tx, membership.insert());
        for statement in
            $crate::store::members::lifecycle::membership_statements(membership_id, &membership)
        {
            execute!($tx, statement);
        }
        (id, code)
    }};
}

impl Store {
    /// A prefecture (or the admin, naming one) enters a professional it manages itself: on its
    /// roster at once, marked as managed, with a registration code.
    pub async fn create_managed_member(
        &self,
        actor: &Actor,
        request: &CreateMemberRequest,
        reference: &Reference,
    ) -> Result<Member, ApiError> {
        let prefecture = managing_prefecture(actor, request.prefecture_code.as_deref())?;
        let municipality_name =
            municipality_name(reference, &request.profile, "profile.municipality_code")?;
        self.ensure_licences_free(None, &request.profile.licences, "profile.")
            .await?;
        let at = now();
        let id = in_write!(self, tx => {
            let (id, _) = insert_managed_member!(tx, actor, &prefecture, request, municipality_name, at);
            let entry = NewEntry::by(actor, "member.create_managed", "member", id)
                .detail(serde_json::json!({ "prefecture_code": prefecture, "code_issued": true }));
            execute!(tx, self.member_event(id, at));
            write_audit!(tx, entry);
            id
        });
        self.member_record(actor, id).await
    }

    /// A member changes its own details. A changed licence marks every active membership for
    /// re-check by its prefecture.
    pub async fn update_own_profile(
        &self,
        actor: &Actor,
        profile: &Profile,
        reference: &Reference,
    ) -> Result<Member, ApiError> {
        let id = self.own_member_id(actor).await?;
        let before = self.member_record(actor, id).await?;
        if before.anonymised {
            return Err(ApiError::NotFound);
        }
        let municipality_name = municipality_name(reference, profile, "profile.municipality_code")?;
        self.ensure_licences_free(Some(id), &profile.licences, "profile.")
            .await?;
        let mut old_licences = before.licences.clone();
        let mut new_licences = profile.licences.clone();
        old_licences.sort_by_key(|l| l.profession);
        new_licences.sort_by_key(|l| l.profession);
        let licences_changed = old_licences
            != new_licences
                .iter()
                .map(|l| ouen_shared::api::Licence {
                    number: l.number.trim().to_string(),
                    ..l.clone()
                })
                .collect::<Vec<_>>();
        let at = now();
        let professions: Vec<_> = profile.licences.iter().map(|l| l.profession).collect();
        let update = Sql::with(
            "UPDATE members SET name = $1, name_kana = $2, kana_fold = $3, birth_date = $4, email = $5, phone = $6, \
             email_bouncing_at = CASE WHEN email = $5 THEN email_bouncing_at ELSE NULL END, \
             prefecture_code = $7, municipality_code = $8, municipality_name = $9, street = $10, professions = $11, \
             experience_years = $12, experience_fields = $13, languages = $14, search_fold = $15, updated_at = $16 \
             WHERE id = $17",
            [
                profile.name.trim().into(),
                profile.name_kana.trim().into(),
                kana_key(&profile.name_kana).into(),
                profile.birth_date.into(),
                profile.email.trim().into(),
                ouen_shared::validate::normalize_phone(&profile.phone).into(),
                profile.prefecture_code.as_str().into(),
                profile.municipality_code.as_str().into(),
                municipality_name.into(),
                profile.street.trim().into(),
                join_codes(&professions, |x| x.code()).into(),
                i64::from(profile.experience_years).into(),
                join_codes(&profile.experience_fields, |x| x.code()).into(),
                join_codes(&profile.languages, |x| x.code()).into(),
                search_text(
                    &profile.name,
                    &profile.name_kana,
                    before.registration_code.as_deref(),
                    &before.notes,
                )
                .into(),
                at.into(),
                id.into(),
            ],
        );
        in_write!(self, tx => {
            execute!(tx, update);
            for statement in detail_statements(id, profile) {
                execute!(tx, statement);
            }
            if licences_changed {
                execute!(tx, Sql::with(
                    "UPDATE memberships SET recheck_needed = TRUE, updated_at = $1 \
                     WHERE member_id = $2 AND status IN ('applied', 'approved', 'suspended')",
                    [at.into(), id.into()],
                ));
            }
            let entry = NewEntry::by(actor, "member.update_profile", "member", id)
                .detail(serde_json::json!({ "licences_changed": licences_changed }));
            execute!(tx, self.member_event(id, at));
            write_audit!(tx, entry);
        });
        self.member_record(actor, id).await
    }

    /// Prefecture or operators replace a member's notes.
    pub async fn update_member_notes(
        &self,
        actor: &Actor,
        id: i64,
        notes: &str,
    ) -> Result<Member, ApiError> {
        let scope = actor.roster_scope();
        let row = self.visible_member_row(&scope, id).await?;
        let allowed = roster_keeper(actor).is_some();
        if !allowed {
            return Err(ApiError::Forbidden);
        }
        let at = now();
        // Line breaks are kept, as LF; CR LF and CR are what Windows and Excel send.
        let notes = normalize_line_breaks(notes.trim());
        let notes = notes.as_str();
        let update = Sql::with(
            "UPDATE members SET notes = $1, search_fold = $2, updated_at = $3 WHERE id = $4",
            [
                notes.into(),
                search_text(
                    &row.name,
                    &row.name_kana,
                    row.registration_code.as_deref(),
                    notes,
                )
                .into(),
                at.into(),
                id.into(),
            ],
        );
        in_write!(self, tx => {
            execute!(tx, update);
            execute!(tx, self.member_event(id, at));
            // Notes are the member's values: the log keeps that they changed, not what they say.
            let entry = NewEntry::by(actor, "member.update_notes", "member", id).detail(serde_json::json!({
                "notes": { "from_chars": row.notes.chars().count(), "to_chars": notes.chars().count() }
            }));
            write_audit!(tx, entry);
        });
        self.member_record(actor, id).await
    }
}

/// The prefecture whose roster a managed professional joins: the caller's own, or the one the
/// admin names. Others may not enter professionals.
pub fn managing_prefecture(actor: &Actor, named: Option<&str>) -> Result<String, ApiError> {
    match roster_keeper(actor) {
        Some(RosterKeeper::Prefecture(code)) => match named {
            Some(other) if other != code => {
                Err(ApiError::invalid("prefecture_code", Problem::OutsideScope))
            }
            _ => Ok(code),
        },
        Some(RosterKeeper::Operators) => named
            .map(str::to_string)
            .ok_or_else(|| ApiError::invalid("prefecture_code", Problem::Required)),
        None => Err(ApiError::Forbidden),
    }
}
