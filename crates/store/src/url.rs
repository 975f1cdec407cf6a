use std::fmt;
use std::path::PathBuf;

use crate::StoreError;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// An embedded SQLite file (本地).
    Sqlite,
    /// A PostgreSQL server (局域网).
    Postgres,
}

/// A parsed database URL. Its `Display` and `Debug` hide a PostgreSQL password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    kind: DatabaseKind,
    raw: String,
}

impl DatabaseUrl {
    /// Parses `sqlite://PATH` (also `sqlite:PATH`) or `postgres://…` / `postgresql://…`.
    pub fn parse(raw: &str) -> Result<Self, StoreError> {
        let raw = raw.trim();
        let kind = if raw.starts_with("sqlite:") {
            DatabaseKind::Sqlite
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            DatabaseKind::Postgres
        } else {
            return Err(StoreError::BadUrl(raw.to_string()));
        };
        let url = Self {
            kind,
            raw: raw.to_string(),
        };
        if kind == DatabaseKind::Sqlite && url.sqlite_path().is_none() {
            return Err(StoreError::BadUrl(raw.to_string()));
        }
        Ok(url)
    }

    /// The URL of an SQLite file.
    pub fn sqlite(path: impl Into<PathBuf>) -> Self {
        Self {
            kind: DatabaseKind::Sqlite,
            raw: format!("sqlite://{}", path.into().display()),
        }
    }

    /// Which database it is.
    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    /// The file of an SQLite URL (`sqlite://t.db` → `t.db`, `sqlite:///var/x.db` → `/var/x.db`).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self
            .raw
            .strip_prefix("sqlite://")
            .or_else(|| self.raw.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or_default();
        (!path.is_empty()).then(|| PathBuf::from(path))
    }

    /// The full URL including any password: for connecting only, never for showing.
    pub fn expose(&self) -> &str {
        &self.raw
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_password(&self.raw))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn mask_password(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://").map(|i| i + 3) else {
        return raw.to_string();
    };
    let rest = &raw[scheme_end..];
    let Some(at) = rest.find('@') else {
        return raw.to_string();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &raw[..scheme_end],
            &rest[..colon],
            &rest[at..]
        ),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_masks() {
        let pg = DatabaseUrl::parse("postgres://cg:s3cret@10.0.0.5:5432/chengguan").expect("valid");
        assert_eq!(pg.kind(), DatabaseKind::Postgres);
        assert_eq!(
            pg.to_string(),
            "postgres://cg:***@10.0.0.5:5432/chengguan",
            "password must be masked"
        );
        assert!(
            !format!("{pg:?}").contains("s3cret"),
            "Debug must not show the password"
        );
        let lite = DatabaseUrl::parse("sqlite://t.db").expect("valid");
        assert_eq!(lite.sqlite_path(), Some(PathBuf::from("t.db")));
        assert!(
            DatabaseUrl::parse("mysql://x").is_err(),
            "other schemes are refused"
        );
        assert!(
            DatabaseUrl::parse("sqlite://").is_err(),
            "an SQLite URL needs a path"
        );
    }
}
