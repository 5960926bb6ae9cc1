//! What the benches share: running one on a SQLite file and then, when
//! `OUEN_BENCH_DATABASE_URL` names a PostgreSQL server, on a database made for it and dropped
//! afterwards.

use sqlx::Connection;
use std::future::Future;

/// Runs `bench(label, url)` on SQLite, then on PostgreSQL when `OUEN_BENCH_DATABASE_URL` is set.
pub fn on_each_backend<F, Fut>(bench: F)
where
    F: Fn(&'static str, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        bench("SQLite", url).await;
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
                let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
                bench("PostgreSQL", format!("{prefix}/{name}")).await;
                sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                    .execute(&mut server)
                    .await
                    .expect("drop the benchmark database");
            }
        }
    });
}
