//! Small types that cross to the desktop UI and have no better home.

use serde::Serialize;
use ts_rs::TS;

use crate::AppError;

/// The one error shape the UI receives: it switches on `code`, shows `message`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorDto {
    /// Stable English code, e.g. `store.conflict`.
    pub code: String,
    /// For people, in Chinese.
    pub message: String,
    /// Details (e.g. each refused feature of a file).
    pub details: Vec<String>,
}

impl From<&AppError> for ErrorDto {
    fn from(e: &AppError) -> Self {
        Self {
            code: e.code().into(),
            message: e.to_string(),
            details: e.problems().iter().map(ToString::to_string).collect(),
        }
    }
}

/// What the status bar shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StatusBar {
    /// The town's name.
    pub town_name: String,
    /// True for the synthetic demo town.
    pub synthetic: bool,
    /// `sqlite` (本地), `postgres` (the server's own tools) or `server` (a LAN workstation, through the town's
    /// server).
    pub database_kind: String,
    /// The database URL, password masked; on a LAN workstation, the server's address.
    pub database_url: String,
}

/// What the sign-in screen needs to know.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuthState {
    /// The database has no accounts: ask for the first administrator.
    pub needs_administrator: bool,
    /// Who is signed in on this workstation.
    pub signed_in: Option<String>,
}
