//! The desktop's commands: [`api::api`], behind which is every call of the workstation API
//! (`chengguan_app::api`), and the few that concern this workstation alone (its settings, its database, the
//! start-up report). Each maps the error to the UI's `{code, message, details}`.

pub mod api;
pub mod auth;
pub mod settings;
pub mod status;

use chengguan_app::dto::ErrorDto;
use chengguan_app::AppError;

/// The error shape every command returns.
pub type CommandResult<T> = Result<T, ErrorDto>;

/// Maps an app error for the UI.
pub fn to_dto(e: AppError) -> ErrorDto {
    ErrorDto::from(&e)
}
