//! Login throttling kept in the database, so it holds across server instances.

use super::sql::{bind_args, Sql};
use super::{in_write, on_read, Store};
use crate::error::ApiError;
use chrono::{DateTime, Duration, Utc};

/// Limits for failed logins.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleRules {
    /// Failures within the window that lock the key.
    pub max_failures: i64,
    pub window: Duration,
    pub lockout: Duration,
}

impl Store {
    /// Seconds until every one of `keys` that is locked is free again; `None` when none is.
    pub async fn throttle_remaining(
        &self,
        keys: &[String],
        now: DateTime<Utc>,
    ) -> Result<Option<u64>, ApiError> {
        if keys.is_empty() {
            return Ok(None);
        }
        let mut sql =
            Sql::new("SELECT MAX(locked_until) FROM login_throttle WHERE locked_until > ");
        sql.arg(now).push(" AND key IN (");
        for (i, key) in keys.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.arg(key.as_str());
        }
        sql.push(")");
        let until: Option<DateTime<Utc>> = on_read!(self, db => {
            bind_args!(sqlx::query_scalar(&sql.text), sql.args).fetch_one(db).await?
        });
        Ok(until.map(|until| (until - now).num_seconds().max(1) as u64))
    }

    /// Counts one failure against `key`; locks it once the count reaches the limit within the
    /// window. Answers whether the key is now locked.
    pub async fn record_login_failure(
        &self,
        key: &str,
        rules: ThrottleRules,
        now: DateTime<Utc>,
    ) -> Result<bool, ApiError> {
        let window_start = now - rules.window;
        let locked_until = now + rules.lockout;
        let locked: Option<DateTime<Utc>> = in_write!(self, tx => {
            sqlx::query_scalar(
                "INSERT INTO login_throttle (key, failures, window_start, locked_until) \
                 VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $5 ELSE NULL END) \
                 ON CONFLICT (key) DO UPDATE SET \
                   failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
                   window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END, \
                   locked_until = CASE \
                     WHEN (CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END) >= $4 THEN $5 \
                     ELSE login_throttle.locked_until END \
                 RETURNING locked_until",
            )
            .bind(key)
            .bind(now)
            .bind(window_start)
            .bind(rules.max_failures)
            .bind(locked_until)
            .fetch_one(&mut *tx)
            .await?
        });
        Ok(locked.is_some_and(|until| until > now))
    }

    /// Forgets the failures of `key` (after a successful login).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), ApiError> {
        in_write!(self, tx => {
            sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(&mut *tx).await?;
        });
        Ok(())
    }
}
