//! A licence (profession and number) belongs to one person: finding licences already on the
//! roster, for registrations, entries, profile changes and imports.

use crate::error::ApiError;
use crate::roster_csv::import::{ImportRow, MAX_ISSUES};
use crate::store::sql::{bind_args, Sql};
use crate::store::{on_read, Store};
use ouen_shared::api::Licence;
use ouen_shared::{FieldIssue, Problem};
use std::collections::{HashMap, HashSet};

/// Licence numbers looked up per statement.
const NUMBERS_PER_QUERY: usize = 500;

impl Store {
    /// The `(profession code, number)` pairs of `licences` that a member other than `except`
    /// holds. One query per 500 numbers.
    async fn taken_licences<'a>(
        &self,
        except: Option<i64>,
        licences: impl Iterator<Item = &'a Licence>,
    ) -> Result<HashSet<(String, String)>, ApiError> {
        let wanted: HashSet<(String, String)> = licences
            .map(|l| (l.profession.code().to_string(), l.number.trim().to_string()))
            .collect();
        let numbers: Vec<String> = wanted
            .iter()
            .map(|(_, n)| n.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut taken = HashSet::new();
        for chunk in numbers.chunks(NUMBERS_PER_QUERY) {
            let mut sql = Sql::with(
                "SELECT profession, number FROM member_licences WHERE member_id <> $1 AND number IN ",
                [except.unwrap_or(-1).into()],
            );
            sql.list(chunk);
            let rows: Vec<(String, String)> = on_read!(self, db => bind_args!(sqlx::query_as(&sql.text), sql.args).fetch_all(db).await?);
            taken.extend(rows.into_iter().filter(|pair| wanted.contains(pair)));
        }
        Ok(taken)
    }

    /// Refuses (409) licences another member already holds, naming
    /// `{prefix}licences[i].number`.
    pub(crate) async fn ensure_licences_free(
        &self,
        member_id: Option<i64>,
        licences: &[Licence],
        prefix: &str,
    ) -> Result<(), ApiError> {
        let taken = self.taken_licences(member_id, licences.iter()).await?;
        let issues: Vec<FieldIssue> = licences
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                taken.contains(&(l.profession.code().to_string(), l.number.trim().to_string()))
            })
            .map(|(i, _)| {
                FieldIssue::new(
                    format!("{prefix}licences[{i}].number"),
                    Problem::NotAllowed {
                        ja: "この免許番号は既に名簿に登録されています。重複登録の場合は都道府県にお問い合わせください。",
                        en: "This licence is already on the roster; if this is a duplicate, contact the prefecture.",
                    },
                )
            })
            .collect();
        if issues.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Conflict(issues))
        }
    }

    /// Refuses (422) import rows whose licence is on the roster or on an earlier row of the
    /// file, naming `rows.<line>.licence_numbers`.
    pub(crate) async fn ensure_import_licences_free(
        &self,
        rows: &[ImportRow],
    ) -> Result<(), ApiError> {
        let taken = self
            .taken_licences(None, rows.iter().flat_map(|r| &r.request.profile.licences))
            .await?;
        let mut first_line: HashMap<(String, String), usize> = HashMap::new();
        let mut issues = Vec::new();
        for row in rows {
            // Every licence of the row is remembered, so later rows are compared with all.
            let duplicate = row.request.profile.licences.iter().fold(false, |found, l| {
                let key = (l.profession.code().to_string(), l.number.trim().to_string());
                let on_roster = taken.contains(&key);
                let earlier = *first_line.entry(key).or_insert(row.line) != row.line;
                found || on_roster || earlier
            });
            if duplicate {
                issues.push(FieldIssue::new(
                    format!("rows.{}.licence_numbers", row.line),
                    Problem::NotAllowed {
                        ja: "この免許番号は既に名簿またはファイル内の別の行にあります（重複登録）。",
                        en: "This licence is already on the roster or on another row of the file (a duplicate).",
                    },
                ));
            }
        }
        issues.truncate(MAX_ISSUES);
        if issues.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(issues))
        }
    }
}
