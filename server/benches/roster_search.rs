//! Search latency of the roster at national scale: generates 100,000 members once per backend,
//! then times typical searches through `Store::list_members` — scope, count, page, memberships
//! and the audit write, everything a user waits for except HTTP.
//!
//! ```sh
//! cargo bench -p ouen-server --bench roster_search
//! OUEN_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench -p ouen-server --bench roster_search
//! ```
//!
//! SQLite runs in a temporary file. PostgreSQL runs when `OUEN_BENCH_DATABASE_URL` names a
//! server: a fresh database is created there (with `random_page_cost = 1.1` and
//! `max_parallel_workers_per_gather = 0`, as for SSD storage and few cores; set
//! `OUEN_BENCH_PG_DEFAULTS=1` to keep the server's settings) and dropped afterwards.
//! `OUEN_BENCH_MEMBERS` (default 100000) and `OUEN_BENCH_ITERATIONS` (default 300) change the
//! size of the run.

use chrono::{NaiveDate, Utc};
use ouen_server::reference::Reference;
use ouen_server::scope::{Actor, RequestMeta};
use ouen_server::store::members::generate::RosterSpec;
use ouen_server::Store;
use ouen_shared::api::{MemberFilter, PageQuery};
use ouen_shared::{HelpWay, RegistrationCode, Role};
use sqlx::Connection;
use std::time::{Duration, Instant};

const WARM_UP: usize = 20;

fn actor(role: Role, prefecture: Option<&str>) -> Actor {
    Actor {
        account_id: 1,
        login: format!("bench-{}", role.code()),
        display_name: "benchmark".into(),
        role,
        organisation_id: 1,
        organisation_name: "benchmark".into(),
        organisation_kind: role.org_kind(),
        prefecture_code: prefecture.map(str::to_string),
        session_token_hash: String::new(),
        session_expires_at: Utc::now(),
        request: RequestMeta::default(),
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

struct Query {
    name: &'static str,
    actor: Actor,
    filter: MemberFilter,
    page: PageQuery,
}

/// The searches operators run every day.
fn queries(code: &str) -> Vec<Query> {
    let admin = actor(Role::Admin, None);
    let tokyo = actor(Role::Prefecture, Some("13"));
    let tottori = actor(Role::Prefecture, Some("31"));
    let city = actor(Role::City, Some("13"));
    let first = PageQuery::default();
    let filter = MemberFilter::default;
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d);
    vec![
        Query {
            name: "東京都: vetting queue (status=applied)",
            actor: tokyo.clone(),
            filter: MemberFilter {
                status: Some("applied".into()),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "東京都: roster, first page by kana",
            actor: tokyo.clone(),
            filter: filter(),
            page: first.clone(),
        },
        Query {
            name: "鳥取県: roster, first page by kana",
            actor: tottori.clone(),
            filter: filter(),
            page: first.clone(),
        },
        Query {
            name: "鳥取県: vetting queue (status=applied)",
            actor: tottori,
            filter: MemberFilter {
                status: Some("applied".into()),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "東京都: nurses named ﾀﾅｶ (half-width)",
            actor: tokyo.clone(),
            filter: MemberFilter {
                profession: Some("nurse".into()),
                q: Some("ﾀﾅｶ".into()),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "東京都: roster, page 20",
            actor: tokyo.clone(),
            filter: filter(),
            page: PageQuery {
                page: Some(20),
                ..first.clone()
            },
        },
        Query {
            name: "東京都 city: available 12/1–12/14 on site",
            actor: city,
            filter: MemberFilter {
                available_from: day(12, 1),
                available_to: day(12, 14),
                way: Some(HelpWay::OnSite),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "national: kana fragment はし",
            actor: admin.clone(),
            filter: MemberFilter {
                q: Some("はし".into()),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "national: kana たかはし",
            actor: admin.clone(),
            filter: MemberFilter {
                q: Some("たかはし".into()),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "national: surname 高橋 (finds 髙橋)",
            actor: admin.clone(),
            filter: MemberFilter {
                q: Some("高橋".into()),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "national: registration code",
            actor: admin.clone(),
            filter: MemberFilter {
                q: Some(code.to_string()),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "national: PHN + epidemiology + English",
            actor: admin.clone(),
            filter: MemberFilter {
                profession: Some("public_health_nurse".into()),
                experience: Some("epidemiology".into()),
                language: Some("en".into()),
                ..filter()
            },
            page: first.clone(),
        },
        Query {
            name: "national: roster, page 20",
            actor: admin,
            filter: filter(),
            page: PageQuery {
                page: Some(20),
                ..first
            },
        },
    ]
}

struct Timing {
    name: &'static str,
    total: i64,
    median: Duration,
    p99: Duration,
    max: Duration,
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

async fn bench(label: &str, url: &str, members: usize, iterations: usize) {
    let store = Store::connect(url).await.expect("connect");
    let reference = Reference::load();
    let spec = RosterSpec {
        members,
        seed: 20261121,
        today: NaiveDate::from_ymd_opt(2026, 11, 21).expect("date"),
        terms_version: "2026-04".into(),
    };
    let started = Instant::now();
    let written = store
        .generate_roster(&reference, &spec)
        .await
        .expect("generate");
    let load = started.elapsed();
    println!(
        "\n## {label}\n\nLoaded {} members, {} memberships, {} licences, {} tags, {} history events, {} availability periods, {} trainings in {:.1} s.\n",
        written.members,
        written.memberships,
        written.licences,
        written.tags,
        written.events,
        written.availability,
        written.trainings,
        load.as_secs_f64()
    );

    // A registration code as an operator reads it out: hyphenated.
    let admin = actor(Role::Admin, None);
    let by_code = store
        .list_members(
            &admin,
            &MemberFilter::default(),
            &PageQuery {
                page: Some(7),
                per_page: Some(1),
                sort: Some("code".into()),
                ..PageQuery::default()
            },
        )
        .await
        .expect("a code");
    let code = by_code.items[0]
        .registration_code
        .as_deref()
        .and_then(RegistrationCode::parse)
        .expect("registration code")
        .display();

    let mut timings = Vec::new();
    for query in queries(&code) {
        for _ in 0..WARM_UP {
            store
                .list_members(&query.actor, &query.filter, &query.page)
                .await
                .expect("search");
        }
        let mut times = Vec::with_capacity(iterations);
        let mut total = 0;
        for _ in 0..iterations {
            let started = Instant::now();
            let page = store
                .list_members(&query.actor, &query.filter, &query.page)
                .await
                .expect("search");
            times.push(started.elapsed());
            total = page.total;
        }
        times.sort();
        let p99 = times[(times.len() * 99).div_ceil(100).max(1) - 1];
        timings.push(Timing {
            name: query.name,
            total,
            median: times[times.len() / 2],
            p99,
            max: times[times.len() - 1],
        });
    }
    println!("{iterations} timed runs per query after {WARM_UP} warm-up runs; milliseconds.\n");
    println!("| query | median | p99 | max | matched |");
    println!("|---|---:|---:|---:|---:|");
    for t in &timings {
        println!(
            "| {} | {} | {} | {} | {} |",
            t.name,
            ms(t.median),
            ms(t.p99),
            ms(t.max),
            t.total
        );
    }
    store.close().await;
}

fn main() {
    // `RUST_LOG=sqlx=debug` shows every statement with its time.
    if let Ok(filter) = std::env::var("RUST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_writer(std::io::stderr)
            .try_init();
    }
    let members = env_number("OUEN_BENCH_MEMBERS", 100_000);
    let iterations = env_number("OUEN_BENCH_ITERATIONS", 300).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        bench("SQLite", &url, members, iterations).await;

        match std::env::var("OUEN_BENCH_DATABASE_URL")
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            None => println!(
                "\nPostgreSQL skipped: set OUEN_BENCH_DATABASE_URL=postgres://USER@HOST:PORT/DB to run it."
            ),
            Some(base) => {
                let mut server = sqlx::PgConnection::connect(&base)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {base}: {e}"));
                let name = format!("ouen_bench_{:08x}", rand::random::<u32>());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut server)
                    .await
                    .expect("create the benchmark database");
                // The settings a production server on SSD storage and few cores runs with:
                // random reads cost about what sequential ones do, and a short query is not
                // split over workers. OUEN_BENCH_PG_DEFAULTS=1 keeps the server's own.
                let label = if std::env::var("OUEN_BENCH_PG_DEFAULTS").is_ok_and(|v| v == "1") {
                    "PostgreSQL (server defaults)"
                } else {
                    for setting in ["random_page_cost = 1.1", "max_parallel_workers_per_gather = 0"] {
                        sqlx::query(&format!("ALTER DATABASE {name} SET {setting}"))
                            .execute(&mut server)
                            .await
                            .expect("database setting");
                    }
                    "PostgreSQL (random_page_cost = 1.1, max_parallel_workers_per_gather = 0)"
                };
                let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
                let url = format!("{prefix}/{name}");
                bench(label, &url, members, iterations).await;
                sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                    .execute(&mut server)
                    .await
                    .expect("drop the benchmark database");
            }
        }
    });
}
