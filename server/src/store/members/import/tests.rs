use super::checkpoints::DEFAULT_CHECKPOINT_PAGES;
use super::*;
use crate::reference::Reference;
use ouen_shared::Role;

/// An operator of 東京都 whose account exists (history rows refer to it).
async fn tokyo(store: &Store) -> Actor {
    let account_id = store
        .create_admin_from_cli("import-test", "test", "not-a-hash".into())
        .await
        .expect("account");
    Actor {
        account_id,
        login: "import-test".into(),
        display_name: "test".into(),
        role: Role::Prefecture,
        organisation_id: 1,
        organisation_name: "test".into(),
        organisation_kind: Role::Prefecture.org_kind(),
        prefecture_code: Some("13".into()),
        session_token_hash: String::new(),
        session_expires_at: Utc::now(),
        request: crate::scope::RequestMeta::default(),
    }
}

async fn count(store: &Store, sql: &str) -> i64 {
    on_read!(store, db => sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await.expect(sql))
}

/// The grams of a member as the index holds them, in byte order.
async fn indexed_grams(store: &Store, member_id: i64) -> Vec<String> {
    match &store.backend {
        Backend::Sqlite { read, .. } => sqlx::query_scalar(
            "SELECT gram FROM member_search_grams WHERE member_id = $1 ORDER BY CAST(gram AS BLOB)",
        )
        .bind(member_id)
        .fetch_all(read)
        .await
        .expect("grams"),
        Backend::Postgres(pool) => {
            sqlx::query_scalar("SELECT search_grams FROM members WHERE id = $1")
                .bind(member_id)
                .fetch_one(pool)
                .await
                .expect("grams")
        }
    }
}

/// A copy of member `id` written as any other insert writes it; answers the copy's id.
async fn copy_member(store: &Store, id: i64) -> Result<i64, ApiError> {
    let copy: i64 = in_write!(store, tx => sqlx::query_scalar(
        "INSERT INTO members (name, name_kana, kana_fold, email, phone, prefecture_code, \
         municipality_code, municipality_name, street, professions, experience_years, \
         experience_fields, languages, notes, search_fold, created_at, updated_at) \
         SELECT name, name_kana, kana_fold, email, phone, prefecture_code, municipality_code, \
         municipality_name, street, professions, experience_years, experience_fields, \
         languages, notes, search_fold, created_at, updated_at FROM members WHERE id = $1 \
         RETURNING id")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?);
    Ok(copy)
}

/// Imported members get the grams that the database computes for the same search text
/// (SQLite's trigger, PostgreSQL's `member_search_grams`), so searches find them alike.
async fn imported_grams_are_those_the_database_computes(store: Store) {
    let reference = Reference::load();
    let mut text = String::from(
        "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日,備考\n",
    );
    let notes = [
        "",
        "夜勤可",
        "\"都の潜在看護職\r\n夜勤可\r\n\r\n英語可\"",
        "aaa bbb ａａａ",
        "𠮷野家の①②とﬁとß、İstanbul",
        "ｱｲｳｴｵ ｶﾞｷﾞ ヴ",
        "\"a\"\"b\\c%_'\"",
        "1\n",
    ];
    for (i, note) in notes.iter().enumerate() {
        text.push_str(&format!(
            "髙橋 𠮷子{i},たかはし よしこ,1980/4/1,13,131016,看護師,G{i},2002/5/1,{note}\n"
        ));
    }
    let rows = crate::roster_csv::import::parse(&text, &reference).expect("rows");
    let operator = tokyo(&store).await;
    store
        .import_managed_members(&operator, None, &rows, false)
        .await
        .expect("import");
    let imported: Vec<i64> = on_read!(store, db => sqlx::query_scalar::<_, i64>(
        "SELECT id FROM members ORDER BY id").fetch_all(db).await.expect("ids"));
    assert_eq!(imported.len(), notes.len());
    for id in imported {
        let copy = copy_member(&store, id).await.expect("copy");
        let grams = indexed_grams(&store, id).await;
        assert!(grams.len() > 20, "{grams:?}");
        assert_eq!(grams, indexed_grams(&store, copy).await, "member {id}");
    }
}

#[tokio::test]
async fn imported_grams_are_those_the_database_computes_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let store = Store::connect(&url).await.expect("store");
    imported_grams_are_those_the_database_computes(store).await;
}

#[tokio::test]
async fn imported_grams_are_those_the_database_computes_on_postgres() {
    let Some(db) = crate::store::test_db::postgres_store().await else {
        return;
    };
    imported_grams_are_those_the_database_computes(db.0.clone()).await;
    crate::store::test_db::drop_postgres(db).await;
}

/// Every row an import writes refers to rows that exist (on PostgreSQL the load may skip the
/// per-row foreign-key triggers, the keys holding by construction).
async fn imported_rows_refer_to_what_exists(store: Store) {
    let reference = Reference::load();
    let mut text = String::from(
        "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日,経験分野,言語,協力可能開始日,協力可能終了日,協力方法\n",
    );
    for i in 0..(BATCH_ROWS + 3) {
        text.push_str(&format!(
            "山田 {i},やまだ,1980/4/1,13,131016,看護師;保健師,K{i};H{i},2002/5/1;2003/5/1,感染症対策,日本語,2026/1/1,2026/12/31,現地派遣\n"
        ));
    }
    let rows = crate::roster_csv::import::parse(&text, &reference).expect("rows");
    let operator = tokyo(&store).await;
    store
        .import_managed_members(&operator, None, &rows, false)
        .await
        .expect("import");
    let n = rows.len() as i64;
    for (sql, expected) in [
        ("SELECT COUNT(*) FROM member_licences l JOIN members m ON m.id = l.member_id", 2 * n),
        ("SELECT COUNT(*) FROM member_tags t JOIN members m ON m.id = t.member_id", 2 * n),
        ("SELECT COUNT(*) FROM memberships ms JOIN members m ON m.id = ms.member_id", n),
        (
            "SELECT COUNT(*) FROM membership_events e JOIN memberships ms ON ms.id = e.membership_id \
             JOIN accounts a ON a.id = e.actor_id",
            n,
        ),
        ("SELECT COUNT(*) FROM availability a JOIN memberships ms ON ms.id = a.membership_id", n),
        ("SELECT COUNT(*) FROM member_licences", 2 * n),
        ("SELECT COUNT(*) FROM member_tags", 2 * n),
        ("SELECT COUNT(*) FROM membership_events", n),
        ("SELECT COUNT(*) FROM availability", n),
    ] {
        assert_eq!(count(&store, sql).await, expected, "{sql}");
    }
    let codes = count(
        &store,
        "SELECT COUNT(DISTINCT registration_code) FROM members",
    )
    .await;
    assert_eq!(codes, n, "a registration code each");
}

#[tokio::test]
async fn imported_rows_refer_to_what_exists_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    let store = Store::connect(&url).await.expect("store");
    imported_rows_refer_to_what_exists(store).await;
}

#[tokio::test]
async fn imported_rows_refer_to_what_exists_on_postgres() {
    let Some(db) = crate::store::test_db::postgres_store().await else {
        return;
    };
    imported_rows_refer_to_what_exists(db.0.clone()).await;
    crate::store::test_db::drop_postgres(db).await;
}

async fn writer_checkpoint_pages(store: &Store) -> i64 {
    let Backend::Sqlite { write, .. } = &store.backend else {
        panic!("SQLite only");
    };
    sqlx::query_scalar("PRAGMA wal_autocheckpoint")
        .fetch_one(write)
        .await
        .expect("pragma")
}

/// An import whose future is dropped half-way (a client gone, the request timeout) does
/// not leave SQLite's writer without checkpoints: after the next import it has SQLite's
/// threshold again.
#[tokio::test]
async fn a_dropped_import_leaves_the_writer_checkpointing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("w.db").display());
    let store = Store::connect(&url).await.expect("store");
    let reference = Reference::load();
    let file = |licence: &str| {
        let mut text = String::from(
            "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日\n",
        );
        for i in 0..(BATCH_ROWS + 10) {
            text.push_str(&format!(
                "山田 {i},やまだ,1980/4/1,13,131016,看護師,{licence}{i},2002/5/1\n"
            ));
        }
        crate::roster_csv::import::parse(&text, &reference).expect("rows")
    };
    let operator = tokyo(&store).await;
    assert_eq!(
        writer_checkpoint_pages(&store).await,
        DEFAULT_CHECKPOINT_PAGES
    );
    let pause = store.pause_next_import(1);
    let dropped = tokio::spawn({
        let (store, operator, rows) = (store.clone(), operator.clone(), file("A"));
        async move {
            let _ = store
                .import_managed_members(&operator, None, &rows, false)
                .await;
        }
    });
    pause.reached.await.expect("paused after a batch");
    assert_eq!(writer_checkpoint_pages(&store).await, 0, "while it loads");
    dropped.abort();
    assert!(dropped.await.expect_err("dropped").is_cancelled());
    store
        .import_managed_members(&operator, None, &file("B"), false)
        .await
        .expect("the next import");
    assert_eq!(
        writer_checkpoint_pages(&store).await,
        DEFAULT_CHECKPOINT_PAGES
    );
    drop(pause.resume);
}

/// A server that dies half-way leaves its batches invisible; once the heartbeat is old,
/// they are deleted and their licences are free again.
#[tokio::test]
async fn an_abandoned_import_is_invisible_and_then_deleted() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("a.db").display());
    let store = Store::connect(&url).await.expect("store");
    let reference = Reference::load();
    let mut text = String::from(
        "氏名,ふりがな,生年月日,都道府県コード,市区町村コード,職種,免許番号,免許年月日\n",
    );
    for i in 0..(BATCH_ROWS + 10) {
        text.push_str(&format!(
            "山田 {i},やまだ,1980/4/1,13,131016,看護師,A{i},2002/5/1\n"
        ));
    }
    let rows = crate::roster_csv::import::parse(&text, &reference).expect("rows");
    let operator = tokyo(&store).await;
    let at = now();
    let staged = store
        .reserve_members(rows.len(), at)
        .await
        .expect("reserve");
    // Loaded but never published: the server "died" here.
    store
        .load(&operator, "13", &rows, &staged, at)
        .await
        .expect("load");
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM members").await,
        rows.len() as i64
    );
    let listed = store
        .list_members(&operator, &Default::default(), &Default::default())
        .await
        .expect("list");
    assert_eq!(listed.total, 0, "nothing of it is visible");
    store.close().await;

    let store = Store::connect(&url).await.expect("restart");
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM member_imports").await,
        1,
        "still beating"
    );
    let later = now() + ABANDONED_AFTER + Duration::seconds(1);
    assert_eq!(
        store
            .discard_abandoned_imports(later)
            .await
            .expect("discard"),
        1
    );
    for table in [
        "members",
        "memberships",
        "member_licences",
        "membership_events",
        "member_search_grams",
        "member_imports",
    ] {
        assert_eq!(
            count(&store, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    let created = store
        .import_managed_members(&operator, None, &rows, false)
        .await
        .expect("the same file imports");
    assert_eq!(created, rows.len());
}
