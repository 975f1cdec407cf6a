//! Declares the app's commands so that capabilities can grant exactly the ones the UI uses.

fn main() {
    let commands = &[
        "status_bar",
        "ping",
        "ui_ready",
        "town_map",
        "grid_detail",
        "settings_get",
        "basemap_save",
        "database_test",
        "database_switch",
        "auth_state",
        "sign_in",
        "resume",
        "session_activity",
        "sign_out",
        "setup_administrator",
        "reveal_person_field",
        "audit_list",
        "audit_verify",
        "audit_export",
        "change_own_password",
        "users_list",
        "user_add",
        "user_set_disabled",
        "user_reset_password",
        "petitions_list",
        "petition_create",
        "petition_timeline",
        "petition_act",
        "petitions_export",
        "petition_regrid",
        "petitions_import",
        "sla_list",
        "sla_set",
        "categories_list",
        "category_save",
        "analysis_heat",
        "analysis_choropleth",
        "analysis_hotspots",
        "analysis_alerts",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}
