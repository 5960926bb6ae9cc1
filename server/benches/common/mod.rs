//! What the benches share: running one on a SQLite file and then, when
//! `OUEN_BENCH_DATABASE_URL` names a PostgreSQL server, on a database made for it and dropped
//! afterwards.

#![allow(dead_code)] // each bench uses some of these

use chrono::Utc;
use ouen_server::scope::{Actor, RequestMeta};
use ouen_shared::Role;
use sqlx::Connection;
use std::future::Future;

/// An operator of 東京都 acting through `account_id` (history rows refer to the account).
pub fn tokyo(account_id: i64) -> Actor {
    Actor {
        account_id,
        login: "bench-tokyo".into(),
        display_name: "benchmark".into(),
        role: Role::Prefecture,
        organisation_id: 1,
        organisation_name: "benchmark".into(),
        organisation_kind: Role::Prefecture.org_kind(),
        prefecture_code: Some("13".into()),
        session_token_hash: String::new(),
        session_expires_at: Utc::now(),
        request: RequestMeta::default(),
    }
}

/// A file as a prefecture exports it from Excel: CRLF, two licences, availability, notes.
pub fn csv(rows: usize) -> String {
    let mut text = String::from("氏名,ふりがな,生年月日,メールアドレス,電話番号,都道府県コード,市区町村コード,番地等,職種,免許番号,免許年月日,経験年数,経験分野,言語,協力可能開始日,協力可能終了日,協力方法,備考\r\n");
    for i in 0..rows {
        text.push_str(&format!(
            "山田 花子{i},やまだ はなこ,1975/4/{day},hanako{i}@example.jp,042-620-{n:04},13,132012,元本郷町3-24-1,看護師、保健師,N{i};P{i},1998/4/1;2000/4/1,20,感染症対策、在宅医療・訪問看護,日本語,2026/1/1,2026/12/31,現地派遣、電話対応,\"都の潜在看護職\r\n夜勤可\"\r\n",
            day = i % 28 + 1,
            n = i % 10_000
        ));
    }
    text
}

/// Gives every member an account (one set-based statement each), so each gets an inbox entry.
pub async fn give_accounts(url: &str) {
    let statements = [
        "INSERT INTO accounts (login, display_name, search_fold, role, organisation_id, password_hash, password_changed_at, created_at) \
         SELECT m.email, 'bench', 'bench', 'member', 1, 'not-a-hash', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM members m",
        "UPDATE members SET account_id = (SELECT a.id FROM accounts a WHERE a.login = members.email)",
    ];
    if url.starts_with("postgres") {
        let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
        for s in statements {
            sqlx::query(s).execute(&mut db).await.expect(s);
        }
        let _ = db.close().await;
    } else {
        let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
        for s in statements {
            sqlx::query(s).execute(&mut db).await.expect(s);
        }
        let _ = db.close().await;
    }
}

/// Runs one statement on the benchmark database from outside the store.
pub async fn execute(url: &str, statement: &str) {
    if url.starts_with("postgres") {
        let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::query(statement)
            .execute(&mut db)
            .await
            .expect(statement);
    } else {
        let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::query(statement)
            .execute(&mut db)
            .await
            .expect(statement);
    }
}

/// One count read from the benchmark database.
pub async fn count(url: &str, query: &str) -> i64 {
    if url.starts_with("postgres") {
        let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::query_scalar(query)
            .fetch_one(&mut db)
            .await
            .expect(query)
    } else {
        let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::query_scalar(query)
            .fetch_one(&mut db)
            .await
            .expect(query)
    }
}

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
