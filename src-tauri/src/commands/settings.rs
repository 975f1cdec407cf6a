use chengguan_app::config::settings::{self, Basemap, ConnectionCheck, DesktopSettings};
use chengguan_app::config::{ServerConfig, ServerTrust};
use chengguan_app::dto::{ErrorDto, StatusBar};
use chengguan_app::AppError;
use tauri::State;

use super::{to_dto, CommandResult};
use crate::state::{lan_only, AppState, Backend, Held};

/// The saved settings (base map, database).
#[tauri::command]
pub async fn settings_get() -> CommandResult<DesktopSettings> {
    settings::load_desktop_settings().map_err(to_dto)
}

/// Saves (or clears, with `null`) the base map.
#[tauri::command]
pub async fn basemap_save(
    state: State<'_, AppState>,
    basemap: Option<Basemap>,
) -> CommandResult<DesktopSettings> {
    match state.held() {
        Some(Held::Local(session)) => {
            let app = state.app().await?;
            app.save_basemap(&session, basemap).await.map_err(to_dto)
        }
        // The base map is this workstation's own setting: the server said what the user may do.
        Some(held) if held.remote_may_manage_settings() => {
            settings::write_basemap(basemap).map_err(to_dto)
        }
        Some(Held::Remote { .. }) => Err(to_dto(AppError::Forbidden {
            use_case: "设置底图",
            roles: "当前角色".into(),
        })),
        None => Err(to_dto(AppError::SignInRequired("设置底图"))),
    }
}

/// Tests a database URL without switching to it (read-only). The administrator's, or anyone's while this
/// workstation's own database cannot be opened (no one can sign in then).
#[tauri::command]
pub async fn database_test(
    state: State<'_, AppState>,
    url: String,
) -> CommandResult<ConnectionCheck> {
    match state.backend_or_retry().await {
        Err(_) => return Ok(settings::check_connection(&url).await),
        Ok(Backend::Remote(_)) => return Err(lan_only()),
        Ok(Backend::Local(_)) => {}
    }
    let (app, session) = state.signed_in().await?;
    app.test_database(&session, &url).await.map_err(to_dto)
}

/// Switches to another database, saves the choice, and returns the new status bar. The administrator's, or
/// anyone's while this workstation's own database cannot be opened.
#[tauri::command]
pub async fn database_switch(state: State<'_, AppState>, url: String) -> CommandResult<StatusBar> {
    let file = settings::SettingsFile::default_path().map_err(to_dto)?;
    // Before anyone may switch without signing in, the workstation's own database is tried again: an outage
    // at start-up that has passed must not leave the switch open to everyone.
    let (app, status) = match state.backend_or_retry().await {
        Ok(Backend::Remote(_)) => return Err(lan_only()),
        Err(_) if crate::state::server_configured() => return Err(lan_only()),
        Err(_) => {
            let key = chengguan_app::config::Config::resolve(
                &chengguan_app::config::ConfigSources::from_env(None),
            )
            .and_then(|c| c.audit_key())
            .map_err(to_dto)?;
            settings::switch_database_unopened(&url, &file, key).await
        }
        Ok(Backend::Local(app)) => {
            let (_, session) = state.signed_in().await?;
            app.switch_database(&session, &url, &file).await
        }
    }
    .map_err(to_dto)?;
    state.replace(Backend::Local(app)).await;
    Ok(status)
}

/// The fingerprint of the certificate the town server at `url` presents, to be compared with the one its console
/// shows before the workstation trusts it (nothing but a version request is sent).
#[tauri::command]
pub async fn server_probe(url: String) -> CommandResult<String> {
    chengguan_client::probe(&url).await
}

/// Switches this workstation to LAN mode through the town server at `url`, trusted by the town CA file
/// `ca_file` or the confirmed `fingerprint`, and saves it. The administrator's (or, in LAN mode, a user who may
/// manage settings), or anyone's while this workstation cannot open what it is configured for.
#[tauri::command]
pub async fn server_connect(
    state: State<'_, AppState>,
    url: String,
    ca_file: Option<String>,
    fingerprint: Option<String>,
) -> CommandResult<serde_json::Value> {
    match (state.backend_or_retry().await, state.held()) {
        (Err(_), _) if crate::state::server_configured() => {
            // A server that is only unreachable for a while must not let anyone at the workstation point it at
            // another (which would then receive everyone's passwords).
            return Err(ErrorDto {
                code: "server.unreachable".into(),
                message: "本工作站已配置城镇服务器，但暂时连接不上：请稍后重试。更换服务器须在连接正常时由管理员操作，或由系统管理员修改配置文件".into(),
                details: Vec::new(),
            });
        }
        (Err(_), _) => {}
        (Ok(Backend::Local(app)), Some(Held::Local(session))) => {
            app.authorize(
                Some(&session),
                chengguan_app::access::UseCase::SwitchDatabase,
            )
            .await
            .map_err(to_dto)?;
        }
        (Ok(Backend::Remote(_)), Some(held)) if held.remote_may_manage_settings() => {}
        (Ok(_), Some(_)) => {
            return Err(to_dto(AppError::Forbidden {
                use_case: "连接城镇服务器",
                roles: "当前角色".into(),
            }))
        }
        (Ok(_), None) => return Err(to_dto(AppError::SignInRequired("连接城镇服务器"))),
    }
    let ca_file = ca_file
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let fingerprint = fingerprint
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty());
    let trust = match (&ca_file, &fingerprint) {
        (Some(ca), _) => ServerTrust::CaFile(ca.into()),
        (None, Some(f)) => ServerTrust::Fingerprint(f.clone()),
        (None, None) => ServerTrust::Nothing,
    };
    let server = ServerConfig {
        url: url.trim().to_string(),
        trust,
    };
    let backend = crate::state::connect(&server).await?;
    let Backend::Remote(client) = &backend else {
        return Err(ErrorDto::from(&AppError::Internal("not a server".into())));
    };
    let mut status = client
        .call(None, "status_bar", serde_json::json!({}))
        .await?;
    status["database_url"] = serde_json::Value::String(client.base().to_string());
    settings::save_server(settings::ServerSetting {
        url: Some(client.base().to_string()),
        ca_file,
        fingerprint,
    })
    .map_err(to_dto)?;
    state.replace(backend).await;
    Ok(status)
}
