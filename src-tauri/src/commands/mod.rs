//! Commands by domain. Each deserialises its arguments, calls one `chengguan-app` function and maps the error
//! to the UI's `{code, message, details}`.

pub mod analysis;
pub mod audit;
pub mod auth;
pub mod map;
pub mod petitions;
pub mod settings;
pub mod status;
pub mod users;

use chengguan_app::dto::ErrorDto;
use chengguan_app::AppError;

/// The error shape every command returns.
pub type CommandResult<T> = Result<T, ErrorDto>;

/// Maps an app error for the UI.
pub fn to_dto(e: AppError) -> ErrorDto {
    ErrorDto::from(&e)
}
