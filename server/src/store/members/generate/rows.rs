//! Generated members turned into multi-row `INSERT` statements.

use super::super::{join_codes, kana_key, search_text};
use super::plan::*;
use super::*;
use crate::store::sql::{multi_row_inserts, Arg, Sql};
use crate::store::BackendKind;
use ouen_shared::text::fold;
use ouen_shared::Profession;

/// The rows of one transaction, ids assigned.
#[derive(Default)]
pub(super) struct Rows {
    pub(super) members: Vec<Vec<Arg>>,
    pub(super) licences: Vec<Vec<Arg>>,
    pub(super) tags: Vec<Vec<Arg>>,
    pub(super) memberships: Vec<Vec<Arg>>,
    pub(super) events: Vec<Vec<Arg>>,
    pub(super) availability: Vec<Vec<Arg>>,
    pub(super) trainings: Vec<Vec<Arg>>,
}

impl Rows {
    pub(super) fn of(planned: &[PlannedMember], member_base: i64, membership_base: i64) -> Rows {
        let mut rows = Rows::default();
        let mut membership_id = membership_base;
        for (i, m) in planned.iter().enumerate() {
            let id = member_base + 1 + i as i64;
            let professions: Vec<Profession> = m.licences.iter().map(|l| l.0).collect();
            rows.members.push(vec![
                id.into(),
                m.registration_code.clone().into(),
                m.managed_by.clone().into(),
                m.name.as_str().into(),
                m.name_kana.as_str().into(),
                kana_key(&m.name_kana).into(),
                Some(m.birth_date).into(),
                m.email.as_str().into(),
                m.phone.as_str().into(),
                m.prefecture_code.as_str().into(),
                m.municipality_code.as_str().into(),
                m.municipality_name.as_str().into(),
                m.street.as_str().into(),
                join_codes(&professions, |x| x.code()).into(),
                m.experience_years.into(),
                join_codes(&m.experience_fields, |x| x.code()).into(),
                join_codes(&m.languages, |x| x.code()).into(),
                m.notes.as_str().into(),
                search_text(
                    &m.name,
                    &m.name_kana,
                    m.registration_code.as_deref(),
                    &m.notes,
                )
                .into(),
                m.last_dispatch_on.into(),
                m.terms.as_ref().map(|t| t.0.clone()).into(),
                m.terms.as_ref().map(|t| t.1).into(),
                m.created_at.into(),
                m.updated_at.into(),
            ]);
            for (profession, number, on) in &m.licences {
                rows.licences.push(vec![
                    id.into(),
                    profession.code().into(),
                    number.as_str().into(),
                    (*on).into(),
                ]);
            }
            for field in &m.experience_fields {
                rows.tags
                    .push(vec![id.into(), "experience".into(), field.code().into()]);
            }
            for language in &m.languages {
                rows.tags
                    .push(vec![id.into(), "language".into(), language.code().into()]);
            }
            for ms in &m.memberships {
                membership_id += 1;
                rows.memberships.push(vec![
                    membership_id.into(),
                    id.into(),
                    ms.prefecture_code.as_str().into(),
                    ms.status.code().into(),
                    ms.managed.into(),
                    ms.recheck_needed.into(),
                    ms.reason.clone().into(),
                    ms.created_at.into(),
                    ms.updated_at.into(),
                ]);
                for (at, status, reason) in &ms.events {
                    rows.events.push(vec![
                        membership_id.into(),
                        (*at).into(),
                        status.code().into(),
                        reason.clone().into(),
                    ]);
                }
                for (from, to, on_site, remote, phone) in &ms.availability {
                    rows.availability.push(vec![
                        membership_id.into(),
                        (*from).into(),
                        (*to).into(),
                        (*on_site).into(),
                        (*remote).into(),
                        (*phone).into(),
                    ]);
                }
            }
            for (title, on, certificate) in &m.trainings {
                rows.trainings.push(vec![
                    id.into(),
                    title.as_str().into(),
                    fold(title).into(),
                    (*on).into(),
                    certificate.clone().into(),
                ]);
            }
        }
        rows
    }

    /// The statements inserting every row, each under the bound-parameter limit.
    pub(super) fn statements(&self, kind: BackendKind) -> Vec<Sql> {
        let tables: [(&str, &[Vec<Arg>]); 7] = [
            (
                "INSERT INTO members (id, registration_code, managed_by, name, name_kana, kana_fold, birth_date, \
                 email, phone, prefecture_code, municipality_code, municipality_name, street, professions, \
                 experience_years, experience_fields, languages, notes, search_fold, last_dispatch_on, \
                 terms_version, terms_accepted_at, created_at, updated_at) VALUES ",
                &self.members,
            ),
            (
                "INSERT INTO member_licences (member_id, profession, number, licensed_on) VALUES ",
                &self.licences,
            ),
            (
                "INSERT INTO member_tags (member_id, kind, code) VALUES ",
                &self.tags,
            ),
            (
                "INSERT INTO memberships (id, member_id, prefecture_code, status, managed, recheck_needed, \
                 reason, created_at, updated_at) VALUES ",
                &self.memberships,
            ),
            (
                "INSERT INTO membership_events (membership_id, at, status, reason) VALUES ",
                &self.events,
            ),
            (
                "INSERT INTO availability (membership_id, from_date, to_date, on_site, remote, phone) VALUES ",
                &self.availability,
            ),
            (
                "INSERT INTO member_trainings (member_id, title, title_fold, completed_on, certificate_number) VALUES ",
                &self.trainings,
            ),
        ];
        tables
            .into_iter()
            .flat_map(|(head, rows)| multi_row_inserts(kind, head, rows, ""))
            .collect()
    }

    pub(super) fn count(&self, into: &mut GeneratedRoster) {
        into.members += self.members.len();
        into.memberships += self.memberships.len();
        into.licences += self.licences.len();
        into.tags += self.tags.len();
        into.events += self.events.len();
        into.availability += self.availability.len();
        into.trainings += self.trainings.len();
    }
}
