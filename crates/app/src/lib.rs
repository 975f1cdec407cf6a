//! # chengguan-app
//!
//! The one surface every front end (the `chengguan` CLI, the desktop, the server) calls. Front ends parse their
//! input, call one function here, and show the result; the rules live here and in `chengguan-core`, the data
//! behind `chengguan-store`.
//!
//! - [`config`]: where the database is (flag → environment → config file → default file in the data folder).
//! - [`App`]: an open database; the use-cases are its methods, grouped by domain in [`town`] and [`grids`].
//! - [`AppError`]: one error type with a stable English [`code`](AppError::code) and a message for people.

pub mod config;
mod error;
pub mod grids;
pub mod town;

pub use chengguan_store::{DatabaseKind, DatabaseUrl};
pub use error::AppError;

use chengguan_store::AnyStore;

/// Result of a use-case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The application over one open database.
#[derive(Debug, Clone)]
pub struct App {
    store: AnyStore,
    url: DatabaseUrl,
}

impl App {
    /// Opens (and migrates) the database at `url`.
    #[tracing::instrument(skip_all, err, fields(url = %url))]
    pub async fn open(url: &DatabaseUrl) -> Result<Self> {
        let store = chengguan_store::open(url).await?;
        Ok(Self {
            store,
            url: url.clone(),
        })
    }

    /// The database URL (its `Display` hides any password).
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }
}
