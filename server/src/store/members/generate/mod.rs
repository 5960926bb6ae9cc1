//! A realistic synthetic roster for load tests and benchmarks: members spread over the 47
//! prefectures by population, living in real municipalities, with common Japanese names (old
//! character forms included), weighted professions and licences, experience, languages,
//! memberships with their history and availability, trainings and dispatches.
//!
//! The same seed and day give the same roster. Rows are written with multi-row `INSERT`s in a
//! few large transactions; the per-record API paths would take hours for a national roster.

use crate::error::ApiError;
use crate::reference::Reference;
use crate::scope::RequestMeta;
use crate::store::audit::{write_audit, NewEntry};
use crate::store::sql::{bind_args, execute};
use crate::store::{in_write, on_read, BackendKind, Store};
use chrono::NaiveDate;

/// What to generate.
#[derive(Debug, Clone)]
pub struct RosterSpec {
    /// How many members.
    pub members: usize,
    /// The random seed: the same seed and day give the same roster.
    pub seed: u64,
    /// The day the roster is generated "on": histories end before it, availability is around it.
    pub today: NaiveDate,
    /// The version of the member terms applicants accepted.
    pub terms_version: String,
}

/// How many rows a generation wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeneratedRoster {
    pub members: usize,
    pub memberships: usize,
    pub licences: usize,
    pub tags: usize,
    pub events: usize,
    pub availability: usize,
    pub trainings: usize,
}

/// Members written per transaction.
const MEMBERS_PER_TRANSACTION: usize = 10_000;

mod data;
mod plan;
mod rows;

use plan::*;
use rows::*;

impl Store {
    /// Adds `spec.members` generated members to the roster (next to any already there) and
    /// answers how many rows were written. Registration codes and licences never repeat one on record.
    pub async fn generate_roster(
        &self,
        reference: &Reference,
        spec: &RosterSpec,
    ) -> Result<GeneratedRoster, ApiError> {
        let (codes, licences): (Vec<String>, Vec<(String, String)>) = on_read!(self, db => (
            sqlx::query_scalar("SELECT registration_code FROM members WHERE registration_code IS NOT NULL")
                .fetch_all(db)
                .await?,
            sqlx::query_as("SELECT profession, number FROM member_licences WHERE number <> ''")
                .fetch_all(db)
                .await?,
        ));
        let mut planner = Planner::new(
            reference,
            spec,
            codes.into_iter().collect(),
            licences.into_iter().collect(),
        );
        let postgres = self.kind() == BackendKind::Postgres;
        let mut written = GeneratedRoster::default();
        let mut left = spec.members;
        while left > 0 {
            let n = left.min(MEMBERS_PER_TRANSACTION);
            left -= n;
            let planned: Vec<PlannedMember> = (0..n).map(|_| planner.member()).collect();
            let rows = in_write!(self, tx => {
                // Ids are assigned here, so members and memberships can be referenced without
                // reading every id back; on PostgreSQL the lock keeps other writers out until
                // the identity sequences are moved past them.
                if postgres {
                    sqlx::query("LOCK TABLE members, memberships IN EXCLUSIVE MODE")
                        .execute(&mut *tx)
                        .await?;
                }
                let member_base: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM members")
                    .fetch_one(&mut *tx)
                    .await?;
                let membership_base: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM memberships")
                    .fetch_one(&mut *tx)
                    .await?;
                let rows = Rows::of(&planned, member_base, membership_base);
                for statement in rows.statements(self.kind()) {
                    execute!(tx, statement);
                }
                if postgres {
                    for table in ["members", "memberships"] {
                        sqlx::query(&format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                        ))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                rows
            });
            rows.count(&mut written);
        }
        // What autovacuum would do after a bulk load, at once: statistics for the planner,
        // the visibility map for index-only scans, pending GIN entries merged. SQLite keeps no
        // statistics unless asked, and a server never asks, so it is left as it runs.
        if let crate::store::Backend::Postgres(pool) = &self.backend {
            sqlx::raw_sql(
                "VACUUM (ANALYZE) members, member_licences, member_tags, memberships, \
                 membership_events, availability, member_trainings",
            )
            .execute(pool)
            .await?;
        }
        let entry = NewEntry::anonymous(&RequestMeta::default(), "member.generate", "member", None)
            .detail(serde_json::json!({
                "members": written.members,
                "memberships": written.memberships,
                "seed": spec.seed,
                "today": spec.today,
            }));
        in_write!(self, tx => { write_audit!(tx, entry); });
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::super::kana_key;
    use super::*;
    use crate::scope::Actor;
    use crate::store::sql::Sql;
    use chrono::{Duration, Utc};
    use ouen_shared::api::{MemberFilter, PageQuery};
    use ouen_shared::text::fold;
    use ouen_shared::RegistrationCode;
    use ouen_shared::{HelpWay, Role};
    use std::collections::HashSet;

    fn actor(role: Role, prefecture: Option<&str>) -> Actor {
        Actor {
            account_id: 1,
            login: "generator-test".into(),
            display_name: "test".into(),
            role,
            organisation_id: 1,
            organisation_name: "test".into(),
            organisation_kind: role.org_kind(),
            prefecture_code: prefecture.map(str::to_string),
            session_token_hash: String::new(),
            session_expires_at: Utc::now(),
            request: RequestMeta::default(),
        }
    }

    fn spec(members: usize, seed: u64) -> RosterSpec {
        RosterSpec {
            members,
            seed,
            today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            terms_version: "2026-04".into(),
        }
    }

    async fn open_store(dir: &tempfile::TempDir, name: &str) -> Store {
        Store::connect(&format!("sqlite://{}", dir.path().join(name).display()))
            .await
            .expect("store")
    }

    async fn count(store: &Store, sql: &str) -> i64 {
        on_read!(store, db => sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await.expect(sql))
    }

    #[tokio::test]
    async fn a_small_roster_is_realistic_searchable_and_repeatable() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = open_store(&dir, "a.db").await;
        let reference = Reference::load();
        let written = store
            .generate_roster(&reference, &spec(500, 7))
            .await
            .expect("generate");
        assert_eq!(written.members, 500);
        assert!(written.memberships >= 500 && written.memberships <= 1500);
        assert!(written.licences >= 500 && written.events >= written.memberships);
        assert_eq!(count(&store, "SELECT COUNT(*) FROM members").await, 500);
        let memberships = count(&store, "SELECT COUNT(*) FROM memberships").await;
        assert_eq!(memberships as usize, written.memberships);
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM availability").await as usize,
            written.availability
        );
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM member_trainings").await as usize,
            written.trainings
        );
        let tokyo = count(
            &store,
            "SELECT COUNT(*) FROM members WHERE prefecture_code = '13'",
        )
        .await;
        let tottori = count(
            &store,
            "SELECT COUNT(*) FROM members WHERE prefecture_code = '31'",
        )
        .await;
        assert!(
            tokyo > 4 * tottori.max(1),
            "東京都 {tokyo}, 鳥取県 {tottori}"
        );

        let rows: Vec<(String, String, String, Option<String>)> = on_read!(store, db => sqlx::query_as(
            "SELECT prefecture_code, municipality_code, name, registration_code FROM members")
            .fetch_all(db).await.expect("members"));
        let mut codes = HashSet::new();
        for (prefecture, municipality, _, code) in &rows {
            assert_eq!(
                reference
                    .municipality(municipality)
                    .map(|m| m.prefecture_code.as_str()),
                Some(prefecture.as_str())
            );
            if let Some(code) = code {
                assert!(RegistrationCode::parse(code).is_some(), "{code}");
                assert!(codes.insert(code.clone()), "{code} repeated");
            }
        }
        assert!(
            codes.len() > 300,
            "most members were approved once: {}",
            codes.len()
        );

        // A prefecture's search finds its generated members, by katakana too.
        let members_of_tokyo = count(
            &store,
            "SELECT COUNT(DISTINCT member_id) FROM memberships WHERE prefecture_code = '13'",
        )
        .await;
        let tokyo_actor = actor(Role::Prefecture, Some("13"));
        let page = PageQuery {
            per_page: Some(500),
            ..PageQuery::default()
        };
        let all = store
            .list_members(&tokyo_actor, &MemberFilter::default(), &page)
            .await
            .expect("list");
        assert_eq!(all.total, members_of_tokyo);
        assert!(all.total > 0);
        let first = &all.items[0];
        let katakana: String = kana_key(&first.name_kana)
            .chars()
            .take(2)
            .map(|c| char::from_u32(c as u32 + 0x60).unwrap_or(c))
            .collect();
        let found = store
            .list_members(
                &tokyo_actor,
                &MemberFilter {
                    q: Some(katakana),
                    ..MemberFilter::default()
                },
                &page,
            )
            .await
            .expect("search");
        assert!(found.items.iter().any(|m| m.id == first.id));

        // An old character form is found by its everyday form.
        let variant = rows
            .iter()
            .map(|r| &r.2)
            .find(|name| fold(name) != name.replace(' ', ""))
            .expect("some name with an old form");
        let surname = variant.split(' ').next().unwrap_or_default();
        let everyday = fold(surname);
        assert_ne!(surname, everyday);
        let admin = actor(Role::Admin, None);
        let found = store
            .list_members(
                &admin,
                &MemberFilter {
                    q: Some(everyday),
                    ..MemberFilter::default()
                },
                &page,
            )
            .await
            .expect("search");
        assert!(found.items.iter().any(|m| &m.name == variant), "{variant}");

        // The same seed on the same day gives the same roster.
        let again = open_store(&dir, "b.db").await;
        again
            .generate_roster(&reference, &spec(500, 7))
            .await
            .expect("generate again");
        let digest = "SELECT name || name_kana || municipality_code || professions || COALESCE(registration_code, '') FROM members ORDER BY id";
        let first_run: Vec<String> =
            on_read!(store, db => sqlx::query_scalar(digest).fetch_all(db).await.expect("digest"));
        let second_run: Vec<String> =
            on_read!(again, db => sqlx::query_scalar(digest).fetch_all(db).await.expect("digest"));
        assert_eq!(first_run, second_run);
    }

    /// Members the store lists for `filter`, every page in order, with the total.
    async fn listed(
        store: &Store,
        actor: &Actor,
        filter: &MemberFilter,
        sort: Option<&str>,
        descending: bool,
        per_page: u32,
    ) -> (i64, Vec<i64>) {
        let mut ids = Vec::new();
        let mut total = 0;
        for page in 1.. {
            let query = PageQuery {
                page: Some(page),
                per_page: Some(per_page),
                sort: sort.map(str::to_string),
                order: descending.then_some(ouen_shared::api::SortOrder::Desc),
            };
            let answer = store
                .list_members(actor, filter, &query)
                .await
                .expect("list");
            total = answer.total;
            if answer.items.is_empty() {
                break;
            }
            ids.extend(answer.items.iter().map(|m| m.id));
        }
        (total, ids)
    }

    async fn plain(store: &Store, sql: &str) -> Vec<i64> {
        on_read!(store, db => sqlx::query_scalar::<_, i64>(sql).fetch_all(db).await.expect(sql))
    }

    async fn withdraw_long_ago(store: &Store, ids: &[i64]) -> Result<(), ApiError> {
        let mut sql = Sql::new("UPDATE members SET withdrawn_at = ");
        sql.arg(midnight(
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        ))
        .push(" WHERE id IN ")
        .list(ids);
        in_write!(store, tx => { execute!(tx, sql); });
        Ok(())
    }

    /// Every way a list is read (counted from memberships or from members, walked in kana
    /// order or gathered, the first page or a later one) gives what a plain scan gives, old
    /// character forms, anonymised members and every scope included.
    async fn searches_agree_with_a_plain_scan(store: Store) {
        let reference = Reference::load();
        store
            .generate_roster(&reference, &spec(2_600, 11))
            .await
            .expect("generate");
        let live = "m.anonymised_at IS NULL";
        let in_tokyo = "EXISTS (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.prefecture_code = '13')";
        // Some members leave long ago and are anonymised: a Tokyo one and a 高橋.
        let mut gone = plain(
            &store,
            &format!("SELECT m.id FROM members m WHERE {in_tokyo} ORDER BY m.id LIMIT 3"),
        )
        .await;
        gone.extend(plain(&store, "SELECT m.id FROM members m WHERE m.name LIKE '%高橋%' OR m.name LIKE '%髙橋%' ORDER BY m.id LIMIT 2").await);
        withdraw_long_ago(&store, &gone).await.expect("withdraw");
        let anonymised = store
            .anonymise_withdrawn(Duration::days(365), Utc::now())
            .await
            .expect("anonymise");
        assert_eq!(anonymised, gone.len());

        let admin = actor(Role::Admin, None);
        let tokyo = actor(Role::Prefecture, Some("13"));
        let city = actor(Role::City, Some("13"));
        let by_kana = "ORDER BY m.kana_fold, m.id";
        let filter = MemberFilter::default;
        let cases: Vec<(&str, &Actor, MemberFilter, String)> = vec![
            ("national roster", &admin, filter(), format!("{live} {by_kana}")),
            ("東京都 roster", &tokyo, filter(), format!("{live} AND {in_tokyo} {by_kana}")),
            (
                "東京都 vetting queue",
                &tokyo,
                MemberFilter { status: Some("applied".into()), ..filter() },
                format!("{live} AND EXISTS (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.prefecture_code = '13' AND x.status = 'applied') {by_kana}"),
            ),
            (
                "city, available on site",
                &city,
                MemberFilter {
                    available_from: NaiveDate::from_ymd_opt(2026, 12, 1),
                    available_to: NaiveDate::from_ymd_opt(2026, 12, 14),
                    way: Some(HelpWay::OnSite),
                    ..filter()
                },
                format!("{live} AND EXISTS (SELECT 1 FROM memberships x JOIN availability a ON a.membership_id = x.id \
                         WHERE x.member_id = m.id AND x.prefecture_code = '13' AND x.status = 'approved' \
                         AND a.from_date <= '2026-12-01' AND a.to_date >= '2026-12-14' AND a.on_site = TRUE) {by_kana}"),
            ),
            (
                "admin, one prefecture approved",
                &admin,
                MemberFilter { prefecture: Some("13".into()), status: Some("approved".into()), ..filter() },
                format!("{live} AND EXISTS (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.prefecture_code = '13' AND x.status = 'approved') {by_kana}"),
            ),
            (
                "admin, two prefectures",
                &admin,
                MemberFilter { prefecture: Some("13,14".into()), ..filter() },
                format!("{live} AND EXISTS (SELECT 1 FROM memberships x WHERE x.member_id = m.id AND x.prefecture_code IN ('13', '14')) {by_kana}"),
            ),
            (
                // More matches than come back with the count: later pages are read apart.
                "Japanese speakers",
                &admin,
                MemberFilter { language: Some("ja".into()), ..filter() },
                format!("{live} AND EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.kind = 'language' AND t.code = 'ja') {by_kana}"),
            ),
            (
                "surname 高橋",
                &admin,
                MemberFilter { q: Some("高橋".into()), ..filter() },
                format!("{live} AND m.search_fold LIKE '%高橋%' {by_kana}"),
            ),
            (
                "one character",
                &admin,
                MemberFilter { q: Some("林".into()), ..filter() },
                format!("{live} AND m.search_fold LIKE '%林%' {by_kana}"),
            ),
            (
                "katakana",
                &admin,
                MemberFilter { q: Some("タカハシ".into()), ..filter() },
                format!("{live} AND m.search_fold LIKE '%たかはし%' {by_kana}"),
            ),
            (
                "digits of codes",
                &admin,
                MemberFilter { q: Some("１２３".into()), ..filter() },
                format!("{live} AND m.search_fold LIKE '%123%' {by_kana}"),
            ),
            (
                "東京都 nurses ﾀﾅｶ",
                &tokyo,
                MemberFilter { q: Some("ﾀﾅｶ".into()), profession: Some("nurse".into()), ..filter() },
                format!("{live} AND {in_tokyo} AND m.search_fold LIKE '%たなか%' \
                         AND EXISTS (SELECT 1 FROM member_licences l WHERE l.member_id = m.id AND l.profession = 'nurse') {by_kana}"),
            ),
            (
                "PHN, epidemiology, English",
                &admin,
                MemberFilter {
                    profession: Some("public_health_nurse".into()),
                    experience: Some("epidemiology".into()),
                    language: Some("en".into()),
                    ..filter()
                },
                format!("{live} AND EXISTS (SELECT 1 FROM member_licences l WHERE l.member_id = m.id AND l.profession = 'public_health_nurse') \
                         AND EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.kind = 'experience' AND t.code = 'epidemiology') \
                         AND EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.kind = 'language' AND t.code = 'en') {by_kana}"),
            ),
            (
                "東京都 trained, never dispatched",
                &tokyo,
                MemberFilter { training: Some("ＩＨＥＡＴ基礎".into()), never_dispatched: Some(true), ..filter() },
                format!("{live} AND {in_tokyo} AND m.last_dispatch_on IS NULL \
                         AND EXISTS (SELECT 1 FROM member_trainings t WHERE t.member_id = m.id AND t.title_fold LIKE '%iheat基礎%') {by_kana}"),
            ),
        ];
        for (name, actor, filter, condition) in &cases {
            let expected = plain(
                &store,
                &format!("SELECT m.id FROM members m WHERE {condition}"),
            )
            .await;
            assert!(!expected.is_empty(), "{name}: nothing to compare");
            for per_page in [11, 50] {
                let (total, ids) = listed(&store, actor, filter, None, false, per_page).await;
                assert_eq!(
                    total,
                    expected.len() as i64,
                    "{name}, {per_page} a page: total"
                );
                assert_eq!(ids, expected, "{name}, {per_page} a page");
            }
        }
        for (sort, order) in [
            ("name", "m.name DESC, m.id DESC"),
            (
                "code",
                "(m.registration_code IS NULL), m.registration_code DESC, m.id DESC",
            ),
        ] {
            for (name, actor, filter, condition) in &cases[..3] {
                let condition = condition.replace(by_kana, &format!("ORDER BY {order}"));
                let expected = plain(
                    &store,
                    &format!("SELECT m.id FROM members m WHERE {condition}"),
                )
                .await;
                let (_, ids) = listed(&store, actor, filter, Some(sort), true, 50).await;
                assert_eq!(ids, expected, "{name} by {sort}");
            }
        }
    }

    #[tokio::test]
    async fn searches_agree_with_a_plain_scan_on_sqlite() {
        let dir = tempfile::tempdir().expect("temporary directory");
        searches_agree_with_a_plain_scan(open_store(&dir, "c.db").await).await;
    }

    /// Runs on PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server, in a database of its own.
    #[tokio::test]
    async fn searches_agree_with_a_plain_scan_on_postgres() {
        let Some(db) = crate::store::test_db::postgres_store().await else {
            return;
        };
        searches_agree_with_a_plain_scan(db.0.clone()).await;
        crate::store::test_db::drop_postgres(db).await;
    }
}
