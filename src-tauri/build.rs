//! Declares the app's commands so that capabilities can grant exactly the ones the UI uses.

fn main() {
    let commands = &[
        "api",
        "ui_ready",
        "settings_get",
        "basemap_save",
        "database_test",
        "database_switch",
        "server_probe",
        "server_connect",
        "auth_state",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}
