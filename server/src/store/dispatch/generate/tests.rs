//! A small roster and a year of dispatches on it, on both backends: the history holds
//! together, the utilisation tables count it as a plain recount does, in each caller's scope,
//! and the same seed gives the same history.

use super::*;
use crate::scope::Actor;
use crate::store::members::generate::RosterSpec;
use chrono::Utc;
use ouen_shared::api::{worked_minutes, CapacityQuery, DispatchUtilisation, PeriodQuery};
use ouen_shared::Role;
use std::collections::BTreeSet;

fn actor(role: Role, prefecture: Option<&str>, organisation_id: i64) -> Actor {
    Actor {
        account_id: 1,
        login: "generator-test".into(),
        display_name: "test".into(),
        role,
        organisation_id,
        organisation_name: "test".into(),
        organisation_kind: role.org_kind(),
        prefecture_code: prefecture.map(str::to_string),
        session_token_hash: String::new(),
        session_expires_at: Utc::now(),
        request: RequestMeta::default(),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")
}

fn spec(seed: u64) -> DispatchSpec {
    DispatchSpec {
        seed,
        today: today(),
        requests_per_year: 150,
    }
}

async fn generate(store: &Store) -> GeneratedDispatches {
    let reference = Reference::load();
    let roster = RosterSpec {
        members: 2_500,
        seed: 3,
        today: today(),
        terms_version: "2026-04".into(),
    };
    store
        .generate_roster(&reference, &roster)
        .await
        .expect("roster");
    store
        .generate_dispatches(&reference, &spec(9))
        .await
        .expect("dispatches")
}

async fn count(store: &Store, sql: &str) -> i64 {
    on_read!(store, db => sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await.expect(sql))
}

type Request = (i64, String, i64, String);
type Slot = (i64, i64, DateTime<Utc>, i64, Option<DateTime<Utc>>);
type Ask = (i64, Option<DateTime<Utc>>);
type Seat = (i64, String);
type Report = (i64, i64, DateTime<Utc>, DateTime<Utc>, i64, String);

/// `dispatch_utilisation` for the period, counted row by row in Rust from the tables, for
/// the requests `visible` keeps.
async fn recount(
    store: &Store,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    visible: impl Fn(&Request) -> bool,
) -> Vec<DispatchUtilisation> {
    type Tables = (Vec<Request>, Vec<Slot>, Vec<Ask>, Vec<Seat>, Vec<Report>);
    let (requests, slots, asks, seats, reports): Tables = on_read!(store, db => (
        sqlx::query_as("SELECT id, prefecture_code, organisation_id, status FROM dispatch_requests").fetch_all(db).await.expect("requests"),
        sqlx::query_as("SELECT id, request_id, starts_at, needed, cancelled_at FROM dispatch_slots").fetch_all(db).await.expect("slots"),
        sqlx::query_as("SELECT request_id, answered_at FROM dispatch_asks").fetch_all(db).await.expect("asks"),
        sqlx::query_as("SELECT slot_id, status FROM dispatch_assignments").fetch_all(db).await.expect("seats"),
        sqlx::query_as("SELECT request_id, member_id, starts_at, ends_at, break_minutes, status FROM daily_reports").fetch_all(db).await.expect("reports"),
    ));
    let live_in_period = |s: &&Slot| s.4.is_none() && s.2 >= from && s.2 < until;
    let mut rows: BTreeMap<String, DispatchUtilisation> = BTreeMap::new();
    let mut days: BTreeMap<String, BTreeSet<(i64, NaiveDate)>> = BTreeMap::new();
    for r in requests.iter().filter(|r| visible(r)) {
        let row = rows
            .entry(r.1.clone())
            .or_insert_with(|| DispatchUtilisation {
                prefecture_code: r.1.clone(),
                requests: 0,
                asked: 0,
                answered: 0,
                seats_needed: 0,
                seats_assigned: 0,
                seats_accepted: 0,
                days_worked: 0,
                minutes_worked: 0,
            });
        let in_period: Vec<&Slot> = slots
            .iter()
            .filter(|s| s.1 == r.0)
            .filter(live_in_period)
            .collect();
        if r.3 != "draft" && !in_period.is_empty() {
            row.requests += 1;
            row.asked += asks.iter().filter(|a| a.0 == r.0).count() as i64;
            row.answered += asks.iter().filter(|a| a.0 == r.0 && a.1.is_some()).count() as i64;
            for s in in_period {
                row.seats_needed += s.3;
                let of_slot = || seats.iter().filter(|a| a.0 == s.0);
                row.seats_assigned += of_slot()
                    .filter(|a| ["planned", "requested", "accepted"].contains(&a.1.as_str()))
                    .count() as i64;
                row.seats_accepted += of_slot().filter(|a| a.1 == "accepted").count() as i64;
            }
        }
        for p in reports
            .iter()
            .filter(|p| p.0 == r.0 && p.5 == "approved" && p.2 >= from && p.2 < until)
        {
            row.minutes_worked += worked_minutes(p.2, p.3, p.4);
            days.entry(r.1.clone())
                .or_default()
                .insert((p.1, p.2.with_timezone(&jst()).date_naive()));
        }
    }
    for (code, set) in days {
        if let Some(row) = rows.get_mut(&code) {
            row.days_worked = set.len() as i64;
        }
    }
    rows.into_values()
        .filter(|r| r.requests > 0 || r.minutes_worked > 0 || r.days_worked > 0)
        .collect()
}

async fn a_generated_year_holds_together(store: Store) -> GeneratedDispatches {
    let written = generate(&store).await;
    assert!(written.requests >= 150, "{written:?}");
    for (table, n) in [
        ("dispatch_requests", written.requests),
        ("dispatch_slots", written.slots),
        ("dispatch_asks", written.asks),
        ("dispatch_answers", written.answers),
        ("dispatch_assignments", written.assignments),
        ("daily_reports", written.reports),
        ("daily_report_versions", written.report_versions),
    ] {
        assert_eq!(
            count(&store, &format!("SELECT COUNT(*) FROM {table}")).await as usize,
            n,
            "{table}"
        );
        assert!(n > 0, "{table}: nothing written");
    }
    let none = [
        // Every seat is a slot of its request, with the slot's times.
        "SELECT COUNT(*) FROM dispatch_assignments a JOIN dispatch_slots s ON s.id = a.slot_id \
         WHERE s.request_id <> a.request_id OR s.starts_at <> a.starts_at OR s.ends_at <> a.ends_at",
        // Nobody holds two seats at one time.
        "SELECT COUNT(*) FROM dispatch_assignments a JOIN dispatch_assignments b ON b.member_id = a.member_id \
         AND b.id > a.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at \
         WHERE a.status IN ('planned', 'requested', 'accepted') AND b.status IN ('planned', 'requested', 'accepted')",
        // Reports only for accepted seats, of the seat's member and request, with every version.
        "SELECT COUNT(*) FROM daily_reports r JOIN dispatch_assignments a ON a.id = r.assignment_id \
         WHERE a.status <> 'accepted' OR a.member_id <> r.member_id OR a.request_id <> r.request_id \
         OR r.version <> (SELECT COUNT(*) FROM daily_report_versions v WHERE v.report_id = r.id)",
        // Everyone asked is approved in the request's prefecture; answers only from them.
        "SELECT COUNT(*) FROM dispatch_asks k JOIN dispatch_requests d ON d.id = k.request_id \
         WHERE NOT EXISTS (SELECT 1 FROM memberships ms WHERE ms.member_id = k.member_id \
         AND ms.prefecture_code = d.prefecture_code AND ms.status = 'approved')",
        "SELECT COUNT(*) FROM dispatch_answers n JOIN dispatch_slots s ON s.id = n.slot_id \
         WHERE s.request_id <> n.request_id OR NOT EXISTS (SELECT 1 FROM dispatch_asks k \
         WHERE k.request_id = n.request_id AND k.member_id = n.member_id AND k.answered_at IS NOT NULL)",
        // Seats only for members who said yes to the slot.
        "SELECT COUNT(*) FROM dispatch_assignments a WHERE NOT EXISTS (SELECT 1 FROM dispatch_answers n \
         WHERE n.slot_id = a.slot_id AND n.member_id = a.member_id AND n.available = 1)",
        // A request's health centre is one its requester sends people to.
        "SELECT COUNT(*) FROM dispatch_requests d JOIN organisations h ON h.id = d.health_centre_id \
         JOIN organisations o ON o.id = d.organisation_id WHERE h.kind <> 'health_centre' \
         OR h.prefecture_code <> d.prefecture_code OR o.prefecture_code <> d.prefecture_code \
         OR (o.kind = 'city' AND h.parent_id <> o.id)",
        // The roster's last dispatch is the day of the latest approved report.
        "SELECT COUNT(*) FROM daily_reports r JOIN members m ON m.id = r.member_id \
         WHERE r.status = 'approved' AND m.last_dispatch_on IS NULL",
    ];
    for sql in none {
        assert_eq!(count(&store, sql).await, 0, "{sql}");
    }
    let latest: Vec<(i64, DateTime<Utc>, Option<NaiveDate>)> = on_read!(store, db => sqlx::query_as(
        "SELECT r.member_id, MAX(r.starts_at), MAX(m.last_dispatch_on) FROM daily_reports r \
         JOIN members m ON m.id = r.member_id WHERE r.status = 'approved' GROUP BY r.member_id",
    ).fetch_all(db).await.expect("latest"));
    assert_eq!(latest.len(), written.last_dispatch_set);
    for (member, at, day) in latest {
        assert_eq!(
            day,
            Some(at.with_timezone(&jst()).date_naive()),
            "member {member}"
        );
    }
    // Mostly confirmed or closed, some still ahead, a few called off.
    let statuses: Vec<(String, i64)> = on_read!(store, db => sqlx::query_as(
        "SELECT status, COUNT(*) FROM dispatch_requests GROUP BY status ORDER BY status",
    ).fetch_all(db).await.expect("statuses"));
    let of = |s: &str| statuses.iter().find(|x| x.0 == s).map_or(0, |x| x.1);
    assert!(
        of("closed") + of("confirmed") > 3 * written.requests as i64 / 4,
        "{statuses:?}"
    );
    assert!(of("cancelled") > 0, "{statuses:?}");
    assert!(
        count(
            &store,
            "SELECT COUNT(*) FROM daily_reports WHERE status = 'approved'"
        )
        .await
            > 3 * written.reports as i64 / 4
    );

    // The utilisation tables count what a plain recount counts, in each caller's scope.
    let admin = actor(Role::Admin, None, 1);
    let tokyo = actor(Role::Prefecture, Some("13"), 1);
    let city_id = count(
        &store,
        "SELECT id FROM organisations WHERE kind = 'city' AND prefecture_code = '13' ORDER BY id LIMIT 1",
    )
    .await;
    let city = actor(Role::City, Some("13"), city_id);
    for (first, last) in [
        (today() - Duration::days(365), today()),
        (
            NaiveDate::from_ymd_opt(2026, 4, 1).expect("date"),
            NaiveDate::from_ymd_opt(2027, 3, 31).expect("date"),
        ),
        (
            NaiveDate::from_ymd_opt(2026, 8, 1).expect("date"),
            NaiveDate::from_ymd_opt(2026, 8, 31).expect("date"),
        ),
    ] {
        let period = PeriodQuery {
            from: Some(first),
            to: Some(last),
        };
        let (from, until) = (
            start_of_jst_day(first),
            start_of_jst_day(last + Duration::days(1)),
        );
        let everyone = store
            .dispatch_utilisation(&admin, &period)
            .await
            .expect("admin");
        assert!(!everyone.is_empty());
        assert_eq!(
            everyone,
            recount(&store, from, until, |_| true).await,
            "{first}"
        );
        let own = store
            .dispatch_utilisation(&tokyo, &period)
            .await
            .expect("東京都");
        assert_eq!(
            own,
            everyone
                .iter()
                .filter(|r| r.prefecture_code == "13")
                .cloned()
                .collect::<Vec<_>>()
        );
        let of_city = store
            .dispatch_utilisation(&city, &period)
            .await
            .expect("city");
        assert_eq!(
            of_city,
            recount(&store, from, until, |r| r.2 == city_id).await
        );
    }
    let counts = store.member_counts(&tokyo).await.expect("member counts");
    assert!(!counts.is_empty());
    assert!(counts.iter().all(|c| c.prefecture_code == "13"));
    // Seats ahead are subtracted from the capacity ahead.
    let ahead = store
        .capacity_ahead(
            &admin,
            &CapacityQuery {
                from: Some(today()),
                days: Some(30),
            },
        )
        .await
        .expect("capacity");
    assert!(ahead.rows.iter().any(|r| r.assigned.iter().any(|n| *n > 0)));
    written
}

#[tokio::test]
async fn a_generated_year_holds_together_and_repeats_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let open = |name: &str| {
        let url = format!("sqlite://{}", dir.path().join(name).display());
        async move { Store::connect(&url).await.expect("store") }
    };
    let written = a_generated_year_holds_together(open("a.db").await).await;
    // The same seed, day and roster give the same history.
    let (first, again) = (open("a.db").await, open("b.db").await);
    assert_eq!(generate(&again).await, written);
    let digest = "SELECT d.title || d.status || COALESCE(d.cancel_reason, '') || s.starts_at || \
                  COALESCE((SELECT GROUP_CONCAT(a.member_id || a.status, ',') FROM dispatch_assignments a WHERE a.slot_id = s.id), '') \
                  FROM dispatch_slots s JOIN dispatch_requests d ON d.id = s.request_id ORDER BY s.id";
    let rows = |store: Store| async move {
        on_read!(store, db => sqlx::query_scalar::<_, String>(digest).fetch_all(db).await.expect("digest"))
    };
    assert_eq!(rows(first).await, rows(again).await);
}

/// Runs on PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server, in a database of its own.
#[tokio::test]
async fn a_generated_year_holds_together_on_postgres() {
    let Some(db) = crate::store::test_db::postgres_store().await else {
        return;
    };
    a_generated_year_holds_together(db.0.clone()).await;
    crate::store::test_db::drop_postgres(db).await;
}
