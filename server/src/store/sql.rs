//! A small builder for SQL text with numbered `$n` parameters, portable between SQLite and
//! PostgreSQL, and a macro that binds its arguments on either backend.

use chrono::{DateTime, NaiveDate, Utc};

/// One bound argument.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
    Bool(bool),
    Time(DateTime<Utc>),
    Date(NaiveDate),
    /// Nullable values keep their type, so PostgreSQL knows the parameter's type.
    OptText(Option<String>),
    OptInt(Option<i64>),
    OptDate(Option<NaiveDate>),
    OptTime(Option<DateTime<Utc>>),
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::OptText(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::OptText(v.map(str::to_string))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::OptInt(v)
    }
}
impl From<Option<NaiveDate>> for Arg {
    fn from(v: Option<NaiveDate>) -> Self {
        Arg::OptDate(v)
    }
}
impl From<Option<DateTime<Utc>>> for Arg {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Arg::OptTime(v)
    }
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
impl From<NaiveDate> for Arg {
    fn from(v: NaiveDate) -> Self {
        Arg::Date(v)
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
    /// SQL text with its arguments numbered from `$1` in order, e.g.
    /// `Sql::with("UPDATE t SET a = $1 WHERE id = $2", [a.into(), id.into()])`.
    pub fn with<const N: usize>(text: &str, args: [Arg; N]) -> Self {
        Sql {
            text: text.to_string(),
            args: args.into(),
        }
    }

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

    /// Appends `(…, …)`: a placeholder for each of `items`, for `IN` lists. Callers make sure
    /// the list is not empty.
    pub fn list<T: Into<Arg> + Clone>(&mut self, items: &[T]) -> &mut Self {
        self.push("(");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.arg(item.clone());
        }
        self.push(")")
    }

    /// Appends `LIMIT … OFFSET …`.
    pub fn limit(&mut self, limit: i64, offset: i64) -> &mut Self {
        self.push(" LIMIT ").arg(limit).push(" OFFSET ").arg(offset)
    }
}

/// Bound parameters per statement of a bulk load. PostgreSQL allows 65535 and plans a long
/// `VALUES` list quickly. SQLite allows 32766; its statements number their parameters with
/// plain `?` (see [`multi_row_inserts`]), so a long one costs no more per value than a short
/// one.
pub fn max_args(kind: super::BackendKind) -> usize {
    match kind {
        super::BackendKind::Sqlite => 8_000,
        super::BackendKind::Postgres => 30_000,
    }
}

/// Multi-row `INSERT`s: `head` (`INSERT INTO t (a, b) VALUES `) with as many of `rows` (each
/// every value of one row) as fit under [`max_args`] parameters, then `tail` (e.g.
/// ` RETURNING id`). Nothing for no rows.
///
/// On SQLite the placeholders are plain `?` (the arguments are bound in order): SQLite keeps
/// named ones (`$1`) in a list that it searches for each one, when preparing and again when
/// sqlx binds, which makes a statement of n parameters cost n² (with 1000 parameters, more
/// than the insert itself).
pub fn multi_row_inserts(
    kind: super::BackendKind,
    head: &str,
    rows: &[Vec<Arg>],
    tail: &str,
) -> Vec<Sql> {
    multi_row_inserts_owned(kind, head, rows.to_vec(), tail)
}

/// [`multi_row_inserts`] taking the rows, whose values move into the statements instead of
/// being copied (bulk loads: an import's millions of values).
pub fn multi_row_inserts_owned(
    kind: super::BackendKind,
    head: &str,
    rows: Vec<Vec<Arg>>,
    tail: &str,
) -> Vec<Sql> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Vec::new();
    };
    let per_statement = (max_args(kind) / width.max(1)).max(1);
    let mut out = Vec::with_capacity(rows.len().div_ceil(per_statement));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = Sql::new(head);
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            sql.push(if i > 0 { ", (" } else { "(" });
            for (j, value) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                match kind {
                    super::BackendKind::Sqlite => {
                        sql.args.push(value);
                        sql.push("?");
                    }
                    super::BackendKind::Postgres => {
                        sql.arg(value);
                    }
                }
            }
            sql.push(")");
        }
        sql.push(tail);
        out.push(sql);
    }
    out
}

/// The two statements behind one page of a filtered list: the total count in scope, and the
/// rows of the page.
pub struct PagedSql {
    pub count: Sql,
    pub select: Sql,
}

impl PagedSql {
    /// `from` is the `FROM …` clause with its joins, `filters` the `WHERE …` part (scope
    /// included), `order_by` the sort expression with a unique tie-breaker.
    pub fn new(
        columns: &str,
        from: &str,
        filters: Sql,
        order_by: &str,
        page: &ouen_shared::api::PageQuery,
    ) -> Self {
        let mut count = Sql::new(&format!("SELECT COUNT(*) {from}"));
        count.push(&filters.text);
        count.args = filters.args.clone();
        let mut select = Sql::new(&format!("SELECT {columns} {from}"));
        select.push(&filters.text);
        select.args = filters.args;
        select.push(" ORDER BY ").push(order_by);
        select.limit(i64::from(page.per_page()), page.offset());
        PagedSql { count, select }
    }
}

/// Runs a [`PagedSql`] on the store's read pool: `(total, rows)`.
macro_rules! fetch_page {
    ($store:expr, $paged:expr) => {{
        let paged: &$crate::store::sql::PagedSql = &$paged;
        $crate::store::on_read!($store, db => {
            let total: i64 = bind_args!(sqlx::query_scalar(&paged.count.text), paged.count.args)
                .fetch_one(db)
                .await?;
            let rows = bind_args!(sqlx::query_as(&paged.select.text), paged.select.args)
                .fetch_all(db)
                .await?;
            (total, rows)
        })
    }};
}
pub(crate) use fetch_page;

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
                $crate::store::sql::Arg::Date(v) => query.bind(*v),
                $crate::store::sql::Arg::OptText(v) => query.bind(v.clone()),
                $crate::store::sql::Arg::OptInt(v) => query.bind(*v),
                $crate::store::sql::Arg::OptDate(v) => query.bind(*v),
                $crate::store::sql::Arg::OptTime(v) => query.bind(*v),
            };
        }
        query
    }};
}
pub(crate) use bind_args;

/// [`bind_args!`] taking the arguments (a `Vec<Arg>`): texts move into the query instead of
/// being copied when it is sent.
macro_rules! bind_owned_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                $crate::store::sql::Arg::Int(v) => query.bind(v),
                $crate::store::sql::Arg::Text(v) => query.bind(v),
                $crate::store::sql::Arg::Bool(v) => query.bind(v),
                $crate::store::sql::Arg::Time(v) => query.bind(v),
                $crate::store::sql::Arg::Date(v) => query.bind(v),
                $crate::store::sql::Arg::OptText(v) => query.bind(v),
                $crate::store::sql::Arg::OptInt(v) => query.bind(v),
                $crate::store::sql::Arg::OptDate(v) => query.bind(v),
                $crate::store::sql::Arg::OptTime(v) => query.bind(v),
            };
        }
        query
    }};
}
pub(crate) use bind_owned_args;

/// Executes a [`Sql`] statement in transaction `$tx`; answers the rows affected.
macro_rules! execute {
    ($tx:expr, $sql:expr) => {{
        let sql: &$crate::store::sql::Sql = &$sql;
        bind_args!(sqlx::query(&sql.text), sql.args)
            .execute(&mut *$tx)
            .await?
            .rows_affected()
    }};
}
pub(crate) use execute;

/// Runs a [`Sql`] query returning one value (e.g. `RETURNING id`) in transaction `$tx`.
macro_rules! fetch_scalar {
    ($tx:expr, $sql:expr) => {{
        let sql: &$crate::store::sql::Sql = &$sql;
        bind_args!(sqlx::query_scalar(&sql.text), sql.args)
            .fetch_one(&mut *$tx)
            .await?
    }};
}
pub(crate) use fetch_scalar;
