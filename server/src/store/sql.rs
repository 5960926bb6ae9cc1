//! A small builder for SQL text with numbered `$n` parameters, portable between SQLite and
//! PostgreSQL, and a macro that binds its arguments on either backend.

use chrono::{DateTime, Utc};

/// One bound argument.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
    Bool(bool),
    Time(DateTime<Utc>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_string())
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl From<DateTime<Utc>> for Arg {
    fn from(v: DateTime<Utc>) -> Self {
        Arg::Time(v)
    }
}

/// SQL text under construction with its arguments.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    /// Appends literal SQL.
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `arg`.
    pub fn arg(&mut self, arg: impl Into<Arg>) -> &mut Self {
        self.args.push(arg.into());
        let n = self.args.len();
        self.text.push('$');
        self.text.push_str(&n.to_string());
        self
    }

    /// Appends `LIMIT … OFFSET …`.
    pub fn limit(&mut self, limit: i64, offset: i64) -> &mut Self {
        self.push(" LIMIT ").arg(limit).push(" OFFSET ").arg(offset)
    }
}

/// Binds every argument of a [`Sql`] to a sqlx query (of either backend).
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args.iter() {
            query = match arg {
                $crate::store::sql::Arg::Int(v) => query.bind(*v),
                $crate::store::sql::Arg::Text(v) => query.bind(v.as_str()),
                $crate::store::sql::Arg::Bool(v) => query.bind(*v),
                $crate::store::sql::Arg::Time(v) => query.bind(*v),
            };
        }
        query
    }};
}
pub(crate) use bind_args;
