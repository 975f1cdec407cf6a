//! The one place where SQL meets a backend: a statement is written once, as text with `$1` placeholders (which
//! SQLite and PostgreSQL both accept), its values are bound as [`Arg`]s, and it runs on whichever database the
//! store was opened on.
//!
//! Hand-written rather than sqlx's own `Any` driver because that driver knows neither UUIDs nor time stamps,
//! which every table here holds; and rather than generic functions over `sqlx::Database` because those repeat
//! a dozen trait bounds on every function. Here the bounds are written once ([`arguments`]), the rows are
//! decoded by each backend's own driver ([`Record`]), and the store's modules read as plain Rust.

use std::borrow::Cow;
use std::fmt::Write;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Arguments, Encode, FromRow, PgConnection, Postgres, Sqlite, SqliteConnection, Type};
use uuid::Uuid;

use crate::db::{Pool, Tx};
use crate::{Result, StoreError};

/// Rows per multi-row INSERT (keeps well under SQLite's and PostgreSQL's limits on bound parameters).
pub(crate) const INSERT_CHUNK: usize = 1000;

/// A value bound to a placeholder. `None` is a NULL of the column's type (PostgreSQL wants to know which).
#[derive(Debug, Clone)]
pub(crate) enum Arg<'a> {
    Int(Option<i64>),
    Int32(Option<i32>),
    Float(Option<f64>),
    Bool(Option<bool>),
    /// Borrowed texts are not copied on their way to SQLite (the bulk import binds millions of them).
    Text(Option<Cow<'a, str>>),
    Uuid(Option<Uuid>),
    Time(Option<DateTime<Utc>>),
}

/// A Rust value that can be bound: the scalars the schema uses, texts, and `Option`s of them.
pub(crate) trait Bind<'a> {
    /// The NULL of this type.
    const NULL: Arg<'static>;
    /// The value to bind.
    fn arg(self) -> Arg<'a>;
}

impl<'a> Bind<'a> for i64 {
    const NULL: Arg<'static> = Arg::Int(None);
    fn arg(self) -> Arg<'a> {
        Arg::Int(Some(self))
    }
}

impl<'a> Bind<'a> for i32 {
    const NULL: Arg<'static> = Arg::Int32(None);
    fn arg(self) -> Arg<'a> {
        Arg::Int32(Some(self))
    }
}

impl<'a> Bind<'a> for f64 {
    const NULL: Arg<'static> = Arg::Float(None);
    fn arg(self) -> Arg<'a> {
        Arg::Float(Some(self))
    }
}

impl<'a> Bind<'a> for bool {
    const NULL: Arg<'static> = Arg::Bool(None);
    fn arg(self) -> Arg<'a> {
        Arg::Bool(Some(self))
    }
}

impl<'a> Bind<'a> for Uuid {
    const NULL: Arg<'static> = Arg::Uuid(None);
    fn arg(self) -> Arg<'a> {
        Arg::Uuid(Some(self))
    }
}

impl<'a> Bind<'a> for DateTime<Utc> {
    const NULL: Arg<'static> = Arg::Time(None);
    fn arg(self) -> Arg<'a> {
        Arg::Time(Some(self))
    }
}

impl<'a> Bind<'a> for &'a str {
    const NULL: Arg<'static> = Arg::Text(None);
    fn arg(self) -> Arg<'a> {
        Arg::Text(Some(Cow::Borrowed(self)))
    }
}

impl<'a> Bind<'a> for &'a String {
    const NULL: Arg<'static> = Arg::Text(None);
    fn arg(self) -> Arg<'a> {
        Arg::Text(Some(Cow::Borrowed(self.as_str())))
    }
}

impl<'a> Bind<'a> for String {
    const NULL: Arg<'static> = Arg::Text(None);
    fn arg(self) -> Arg<'a> {
        Arg::Text(Some(Cow::Owned(self)))
    }
}

impl<'a, T: Bind<'a>> Bind<'a> for Option<T> {
    const NULL: Arg<'static> = T::NULL;
    fn arg(self) -> Arg<'a> {
        match self {
            Some(v) => v.arg(),
            None => T::NULL,
        }
    }
}

impl<'a, T> Bind<'a> for &'a Option<T>
where
    &'a T: Bind<'a>,
{
    const NULL: Arg<'static> = <&'a T as Bind<'a>>::NULL;
    fn arg(self) -> Arg<'a> {
        match self {
            Some(v) => v.arg(),
            None => Self::NULL,
        }
    }
}

/// A row type both drivers can decode (derive `sqlx::FromRow`, or a tuple of decodable values).
pub(crate) trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// Where a statement runs: on the pool (a connection of its own), or on a connection or transaction held.
pub(crate) enum On<'c> {
    Pool(&'c Pool),
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl<'c> From<&'c Pool> for On<'c> {
    fn from(pool: &'c Pool) -> Self {
        On::Pool(pool)
    }
}

impl<'c> From<&'c mut Tx<'_>> for On<'c> {
    fn from(tx: &'c mut Tx<'_>) -> Self {
        match tx {
            Tx::Sqlite(t) => On::Sqlite(t),
            Tx::Postgres(t) => On::Postgres(t),
        }
    }
}

/// A statement and its values.
#[derive(Debug, Clone)]
pub(crate) struct Query<'a> {
    sql: String,
    args: Vec<Arg<'a>>,
    /// The placeholders are SQLite's anonymous `?`, in the order of `args` (written so by [`insert_rows`] for a
    /// SQLite transaction, which then needs no rewriting).
    anonymous: bool,
}

/// A statement with `$1`, `$2`, … placeholders; bind their values in order with [`Query::bind`].
pub(crate) fn query<'a>(sql: impl Into<String>) -> Query<'a> {
    Query {
        sql: sql.into(),
        args: Vec::new(),
        anonymous: false,
    }
}

impl<'a> Query<'a> {
    /// Binds the next placeholder's value.
    pub(crate) fn bind(mut self, value: impl Bind<'a>) -> Self {
        self.args.push(value.arg());
        self
    }

    /// Appends SQL text (for statements built from a filter).
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder and binds `value` to it.
    pub(crate) fn push_bind(&mut self, value: impl Bind<'a>) -> &mut Self {
        self.args.push(value.arg());
        if self.anonymous {
            self.sql.push('?');
        } else {
            // Writing to a String cannot fail.
            let _ = write!(self.sql, "${}", self.args.len());
        }
        self
    }

    /// Appends `(…)` with a placeholder for each of `values`.
    pub(crate) fn push_list<B: Bind<'a>>(
        &mut self,
        values: impl IntoIterator<Item = B>,
    ) -> &mut Self {
        self.sql.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.push_bind(v);
        }
        self.sql.push(')');
        self
    }

    /// Runs the statement; returns the number of rows it changed.
    pub(crate) async fn execute<'c>(self, on: impl Into<On<'c>>) -> Result<u64> {
        let Self {
            sql,
            args,
            anonymous,
        } = self;
        let done = match on.into() {
            On::Pool(Pool::Sqlite(p)) => {
                let (sql, args) = sqlite_statement(&sql, args, anonymous)?;
                sqlite(&sql, args)?.execute(p).await?.rows_affected()
            }
            On::Pool(Pool::Postgres(p)) => postgres(&sql, args)?.execute(p).await?.rows_affected(),
            On::Sqlite(c) => {
                let (sql, args) = sqlite_statement(&sql, args, anonymous)?;
                sqlite(&sql, args)?.execute(c).await?.rows_affected()
            }
            On::Postgres(c) => postgres(&sql, args)?.execute(c).await?.rows_affected(),
        };
        Ok(done)
    }

    /// Every row, decoded as `T`.
    pub(crate) async fn fetch_all<'c, T: Record>(self, on: impl Into<On<'c>>) -> Result<Vec<T>> {
        let Self {
            sql,
            args,
            anonymous,
        } = self;
        let rows = match on.into() {
            On::Pool(Pool::Sqlite(p)) => {
                let (sql, args) = sqlite_statement(&sql, args, anonymous)?;
                sqlite_as(&sql, args)?.fetch_all(p).await?
            }
            On::Pool(Pool::Postgres(p)) => postgres_as(&sql, args)?.fetch_all(p).await?,
            On::Sqlite(c) => {
                let (sql, args) = sqlite_statement(&sql, args, anonymous)?;
                sqlite_as(&sql, args)?.fetch_all(c).await?
            }
            On::Postgres(c) => postgres_as(&sql, args)?.fetch_all(c).await?,
        };
        Ok(rows)
    }

    /// The first row, if any.
    pub(crate) async fn fetch_optional<'c, T: Record>(
        self,
        on: impl Into<On<'c>>,
    ) -> Result<Option<T>> {
        let Self {
            sql,
            args,
            anonymous,
        } = self;
        let row = match on.into() {
            On::Pool(Pool::Sqlite(p)) => {
                let (sql, args) = sqlite_statement(&sql, args, anonymous)?;
                sqlite_as(&sql, args)?.fetch_optional(p).await?
            }
            On::Pool(Pool::Postgres(p)) => postgres_as(&sql, args)?.fetch_optional(p).await?,
            On::Sqlite(c) => {
                let (sql, args) = sqlite_statement(&sql, args, anonymous)?;
                sqlite_as(&sql, args)?.fetch_optional(c).await?
            }
            On::Postgres(c) => postgres_as(&sql, args)?.fetch_optional(c).await?,
        };
        Ok(row)
    }

    /// The first row; none is [`sqlx::Error::RowNotFound`].
    pub(crate) async fn fetch_one<'c, T: Record>(self, on: impl Into<On<'c>>) -> Result<T> {
        self.fetch_optional(on)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// The first column of the first row.
    pub(crate) async fn scalar<'c, T>(self, on: impl Into<On<'c>>) -> Result<T>
    where
        (T,): Record,
    {
        Ok(self.fetch_one::<(T,)>(on).await?.0)
    }
}

/// The statement for SQLite with anonymous `?` placeholders, its values in the order they appear. SQLite takes
/// `$N` (and `?N`) as a parameter *name*, and finding a parameter's name is a search through all of them: sqlx
/// asks for each one's, so a multi-row INSERT of 28,000 values cost SQLite seconds (quadratic). Anonymous
/// placeholders have no name to look up.
fn sqlite_statement<'s, 'q>(
    sql: &'s str,
    args: Vec<Arg<'q>>,
    anonymous: bool,
) -> Result<(Cow<'s, str>, Vec<Arg<'q>>)> {
    if anonymous || !sql.contains('$') {
        return Ok((Cow::Borrowed(sql), args));
    }
    let mut text = String::with_capacity(sql.len());
    let mut order = Vec::with_capacity(args.len());
    let mut quoted = false;
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '$' && !quoted && chars.peek().is_some_and(|(_, d)| d.is_ascii_digit()) {
            let mut end = i + 1;
            while let Some((j, d)) = chars.peek().copied().filter(|(_, d)| d.is_ascii_digit()) {
                end = j + d.len_utf8();
                chars.next();
            }
            let n: usize = sql[i + 1..end].parse().unwrap_or(0);
            if n == 0 || n > args.len() {
                let what = format!("placeholder ${n} without a value ({} bound)", args.len());
                return Err(StoreError::Database(sqlx::Error::Encode(what.into())));
            }
            order.push(n - 1);
            text.push('?');
        } else {
            text.push(c);
        }
    }
    let in_order = order.len() == args.len() && order.iter().enumerate().all(|(i, n)| i == *n);
    let args = if in_order {
        args
    } else {
        order.into_iter().map(|n| args[n].clone()).collect()
    };
    Ok((Cow::Owned(text), args))
}

/// The statement for SQLite.
fn sqlite<'q>(
    sql: &'q str,
    args: Vec<Arg<'q>>,
) -> Result<sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>> {
    Ok(sqlx::query_with(sql, arguments::<Sqlite>(args)?))
}

/// The statement for PostgreSQL.
fn postgres<'q>(
    sql: &'q str,
    args: Vec<Arg<'q>>,
) -> Result<sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>> {
    Ok(sqlx::query_with(sql, arguments::<Postgres>(args)?))
}

/// The statement for SQLite, its rows decoded as `T`.
fn sqlite_as<'q, T: Record>(
    sql: &'q str,
    args: Vec<Arg<'q>>,
) -> Result<sqlx::query::QueryAs<'q, Sqlite, T, sqlx::sqlite::SqliteArguments<'q>>> {
    Ok(sqlx::query_as_with(sql, arguments::<Sqlite>(args)?))
}

/// The statement for PostgreSQL, its rows decoded as `T`.
fn postgres_as<'q, T: Record>(
    sql: &'q str,
    args: Vec<Arg<'q>>,
) -> Result<sqlx::query::QueryAs<'q, Postgres, T, sqlx::postgres::PgArguments>> {
    Ok(sqlx::query_as_with(sql, arguments::<Postgres>(args)?))
}

/// The values in the backend's own encoding.
fn arguments<'q, DB>(args: Vec<Arg<'q>>) -> Result<DB::Arguments<'q>>
where
    DB: sqlx::Database,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    Option<i32>: Encode<'q, DB> + Type<DB>,
    Option<f64>: Encode<'q, DB> + Type<DB>,
    Option<bool>: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
    Option<Uuid>: Encode<'q, DB> + Type<DB>,
    Option<DateTime<Utc>>: Encode<'q, DB> + Type<DB>,
{
    let mut out = DB::Arguments::<'q>::default();
    for arg in args {
        match arg {
            Arg::Int(v) => out.add(v),
            Arg::Int32(v) => out.add(v),
            Arg::Float(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
            Arg::Text(Some(Cow::Borrowed(s))) => out.add(Some(s)),
            Arg::Text(Some(Cow::Owned(s))) => out.add(Some(s)),
            Arg::Text(None) => out.add(None::<&str>),
            Arg::Uuid(v) => out.add(v),
            Arg::Time(v) => out.add(v),
        }
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(e)))?;
    }
    Ok(out)
}

/// The values of one row of a multi-row INSERT.
pub(crate) struct Values<'q, 'a> {
    query: &'q mut Query<'a>,
}

impl<'a> Values<'_, 'a> {
    /// Binds the row's next column.
    pub(crate) fn bind(&mut self, value: impl Bind<'a>) -> &mut Self {
        if !self.query.sql.ends_with('(') {
            self.query.sql.push_str(", ");
        }
        self.query.push_bind(value);
        self
    }
}

/// Inserts `rows` with `head` (`INSERT INTO t (a, b)`), [`INSERT_CHUNK`] rows per statement, each row's values
/// bound by `bind` in the order of the columns.
pub(crate) async fn insert_rows<'a, R: Sync + 'a>(
    tx: &mut Tx<'_>,
    head: &str,
    rows: &'a [R],
    bind: impl Fn(&mut Values<'_, 'a>, &'a R) + Sync,
) -> Result<()> {
    let anonymous = matches!(tx, Tx::Sqlite(_));
    let build = |chunk: &'a [R]| {
        let mut q = query(format!("{head} VALUES "));
        q.anonymous = anonymous;
        q.args.reserve(chunk.len() * 16);
        for (i, row) in chunk.iter().enumerate() {
            q.sql.push_str(if i == 0 { "(" } else { ", (" });
            bind(&mut Values { query: &mut q }, row);
            q.sql.push(')');
        }
        q
    };
    // The next statement's values are bound while the database runs the current one (SQLite's driver works on
    // a thread of its own): the two overlap on two cores.
    let mut chunks = rows.chunks(INSERT_CHUNK);
    let mut current = chunks.next().map(build);
    while let Some(q) = current.take() {
        let (done, next) = tokio::join!(q.execute(&mut *tx), async { chunks.next().map(build) });
        done?;
        current = next;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{query, sqlite_statement, Arg};

    fn ints(args: &[Arg<'_>]) -> Vec<i64> {
        args.iter()
            .map(|a| match a {
                Arg::Int(Some(v)) => *v,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn sqlite_gets_anonymous_placeholders_with_the_values_in_their_order() {
        let q = query("SELECT '$1', $2, $1, $12 FROM t WHERE a = $2");
        let q = (1..=12_i64).fold(q, |q, v| q.bind(v));
        let (text, args) = sqlite_statement(&q.sql, q.args.clone(), false).expect("statement");
        assert_eq!(text, "SELECT '$1', ?, ?, ? FROM t WHERE a = ?");
        assert_eq!(ints(&args), [2, 1, 12, 2]);
        let q = query("INSERT INTO t VALUES ($1, $2)")
            .bind(7_i64)
            .bind(8_i64);
        let (text, args) = sqlite_statement(&q.sql, q.args.clone(), false).expect("statement");
        assert_eq!(
            (text.as_ref(), ints(&args)),
            ("INSERT INTO t VALUES (?, ?)", vec![7, 8])
        );
        assert!(
            sqlite_statement("SELECT $3", q.args, false).is_err(),
            "a placeholder without a value"
        );
    }
}
