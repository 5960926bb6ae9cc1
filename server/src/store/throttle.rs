//! Attempt throttling kept in the database, so it holds across server instances.
//!
//! An attempt (a login, a password change, a registration) is counted — *reserved* — before
//! the work it guards is done, in one atomic upsert per key. Parallel attempts therefore see
//! each other's reservations, on one instance or many, and at most `max_attempts` of them get
//! through within a window. An attempt that turns out well gives its reservation back
//! ([`Store::release_attempt`]) or clears the key ([`Store::clear_attempts`]).

use super::{in_write, Store};
use crate::error::ApiError;
use chrono::{DateTime, Duration, Utc};

/// Limits for one kind of attempt.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleRules {
    /// Attempts counted within the window that may go ahead; the next one locks the key.
    pub max_attempts: i64,
    pub window: Duration,
    pub lockout: Duration,
}

/// The answer to a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Counted; the attempt may go ahead.
    Granted,
    /// Refused: the key is locked for this many more seconds.
    Refused { retry_after_seconds: u64 },
}

/// Counts one attempt against a key; the returned row tells whether it is locked.
const RESERVE: &str = "INSERT INTO login_throttle (key, failures, window_start, locked_until) \
     VALUES ($1, 1, $2, CASE WHEN 1 > $4 THEN $5 ELSE NULL END) \
     ON CONFLICT (key) DO UPDATE SET \
       failures = CASE \
         WHEN login_throttle.locked_until > $2 THEN login_throttle.failures \
         WHEN login_throttle.window_start < $3 OR login_throttle.locked_until IS NOT NULL THEN 1 \
         ELSE login_throttle.failures + 1 END, \
       window_start = CASE \
         WHEN login_throttle.locked_until > $2 THEN login_throttle.window_start \
         WHEN login_throttle.window_start < $3 OR login_throttle.locked_until IS NOT NULL THEN $2 \
         ELSE login_throttle.window_start END, \
       locked_until = CASE \
         WHEN login_throttle.locked_until > $2 THEN login_throttle.locked_until \
         WHEN login_throttle.window_start < $3 OR login_throttle.locked_until IS NOT NULL THEN NULL \
         WHEN login_throttle.failures + 1 > $4 THEN $5 \
         ELSE NULL END \
     RETURNING locked_until";

/// Gives one reservation back.
const RELEASE: &str = "UPDATE login_throttle SET failures = failures - 1 \
     WHERE key = $1 AND failures > 0 AND locked_until IS NULL";

impl Store {
    /// Reserves one attempt against every key, atomically and before the attempt is made.
    /// When any key is locked, nothing stays counted and the answer is the longest wait.
    pub async fn reserve_attempts(
        &self,
        keys: &[(String, ThrottleRules)],
        now: DateTime<Utc>,
    ) -> Result<Reservation, ApiError> {
        let answer = in_write!(self, tx => {
            let mut granted: Vec<&str> = Vec::new();
            let mut refused: Option<u64> = None;
            for (key, rules) in keys {
                let locked_until: Option<DateTime<Utc>> = sqlx::query_scalar(RESERVE)
                    .bind(key.as_str())
                    .bind(now)
                    .bind(now - rules.window)
                    .bind(rules.max_attempts)
                    .bind(now + rules.lockout)
                    .fetch_one(&mut *tx)
                    .await?;
                match locked_until.filter(|until| *until > now) {
                    Some(until) => {
                        let wait = (until - now).num_seconds().max(1) as u64;
                        refused = Some(refused.map_or(wait, |w| w.max(wait)));
                    }
                    None => granted.push(key.as_str()),
                }
            }
            if refused.is_some() {
                for key in granted {
                    sqlx::query(RELEASE).bind(key).execute(&mut *tx).await?;
                }
            }
            refused
        });
        Ok(match answer {
            Some(retry_after_seconds) => Reservation::Refused {
                retry_after_seconds,
            },
            None => Reservation::Granted,
        })
    }

    /// Gives back a reservation whose attempt turned out well or was never made.
    pub async fn release_attempt(&self, key: &str) -> Result<(), ApiError> {
        in_write!(self, tx => {
            sqlx::query(RELEASE).bind(key).execute(&mut *tx).await?;
        });
        Ok(())
    }

    /// Forgets every attempt counted against `key` (after a successful login).
    pub async fn clear_attempts(&self, key: &str) -> Result<(), ApiError> {
        in_write!(self, tx => {
            sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(&mut *tx).await?;
        });
        Ok(())
    }
}
