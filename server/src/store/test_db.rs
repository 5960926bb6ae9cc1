//! PostgreSQL databases of their own for the store's unit tests, when
//! `OUEN_TEST_DATABASE_URL` names a server.

use super::Store;

/// A store on PostgreSQL when `OUEN_TEST_DATABASE_URL` names a server, in a database of its
/// own: `(store, server connection, database name)`, for [`drop_postgres`].
pub(crate) async fn postgres_store() -> Option<(Store, sqlx::PgConnection, String)> {
    use sqlx::Connection;
    let base = std::env::var("OUEN_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())?;
    let name = format!("ouen_t_{:016x}", rand::random::<u64>());
    let mut server = sqlx::PgConnection::connect(&base).await.expect("server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut server)
        .await
        .expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
    let store = Store::connect(&format!("{prefix}/{name}"))
        .await
        .expect("store");
    Some((store, server, name))
}

pub(crate) async fn drop_postgres((store, mut server, name): (Store, sqlx::PgConnection, String)) {
    store.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut server)
        .await
        .expect("drop database");
}
