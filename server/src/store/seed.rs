//! Organisations every installation has: the ministry, the operating association, the holder of
//! member accounts, and the 47 prefectures. Seeding is idempotent and safe when several
//! instances start at once.

use super::{in_write, now, Store};
use crate::error::ApiError;
use ouen_shared::prefecture::PREFECTURES;
use ouen_shared::text::fold;
use ouen_shared::OrgKind;

const INSERT: &str =
    "INSERT INTO organisations (kind, name, name_fold, prefecture_code, seed_key, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seed_key) DO NOTHING";

/// Inserts the reference organisations that are missing.
pub async fn seed_reference_organisations(store: &Store) -> Result<(), ApiError> {
    let mut rows: Vec<(OrgKind, String, Option<String>, String)> = vec![
        (
            OrgKind::National,
            "厚生労働省 健康・生活衛生局".into(),
            None,
            "national".into(),
        ),
        (
            OrgKind::Admin,
            "日本公衆衛生協会 IHEAT事務局".into(),
            None,
            "admin".into(),
        ),
        (
            OrgKind::Members,
            "IHEAT登録者".into(),
            None,
            "members".into(),
        ),
    ];
    for p in PREFECTURES {
        rows.push((
            OrgKind::Prefecture,
            p.name.into(),
            Some(p.code.into()),
            format!("pref:{}", p.code),
        ));
    }
    let at = now();
    in_write!(store, tx => {
        for (kind, name, prefecture, key) in &rows {
            sqlx::query(INSERT)
                .bind(kind.code())
                .bind(name.as_str())
                .bind(fold(name))
                .bind(prefecture.as_deref())
                .bind(key.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
    });
    Ok(())
}
