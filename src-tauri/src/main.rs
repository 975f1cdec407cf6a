//! The 城关镇智慧治理指挥中心 desktop: a Tauri v2 shell. It holds the open database ([`state::AppState`]) and
//! exposes one thin command per use-case of `chengguan-app` ([`commands`]); everything else is in the UI and
//! in the app crate.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod live;
mod state;

fn main() {
    let _log = init_logging();
    let state = state::AppState::start();
    let result = tauri::Builder::default()
        .manage(state)
        .setup(|app| {
            live::spawn(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::api::api,
            commands::status::ui_ready,
            commands::settings::settings_get,
            commands::settings::basemap_save,
            commands::settings::database_test,
            commands::settings::database_switch,
            commands::settings::server_probe,
            commands::settings::server_connect,
            commands::auth::auth_state,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("the desktop stopped: {e}");
    }
}

/// Warnings and errors to stderr and to a daily log file in the data folder (`logs/desktop.*.log`, 14 days
/// kept; Settings shows the folder). The guard writes out what is buffered when the program ends.
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::prelude::*;
    let filter =
        || tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
    let file = chengguan_app::config::log_file("desktop");
    let (file, guard) = match file.map(tracing_appender::non_blocking) {
        Some((writer, guard)) => (Some(writer), Some(guard)),
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(filter()),
        )
        .with(file.map(|w| {
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(w)
                .with_filter(filter())
        }))
        .init();
    guard
}

#[cfg(test)]
mod tests {
    //! The desktop's own command list is written in four places: the handler list above, `build.rs` (which
    //! generates the permissions), `capabilities/default.json` (which grants them to the window) and the UI's
    //! `api/` modules (which call them with `shell`; every call of the workstation API goes through the one
    //! command `api`, from the generated client). A command missing from one of them fails only at run time, in
    //! the window; this test fails first.

    use std::collections::BTreeSet;

    fn names(text: &str, pattern: &str) -> BTreeSet<String> {
        regex::Regex::new(pattern)
            .expect("pattern")
            .captures_iter(text)
            .map(|c| c[1].to_string())
            .collect()
    }

    #[test]
    fn every_command_is_handled_generated_granted_and_called() {
        let main = include_str!("main.rs");
        let handlers_start = main.find("generate_handler![").expect("the handler list");
        let handlers_end = handlers_start + main[handlers_start..].find(']').expect("its end");
        let handled = names(&main[handlers_start..handlers_end], r"commands::\w+::(\w+)");
        let built = names(include_str!("../build.rs"), r#""(\w+)","#);
        let granted: BTreeSet<String> = names(
            include_str!("../capabilities/default.json"),
            r#""allow-([\w-]+)""#,
        )
        .into_iter()
        .map(|p| p.replace('-', "_"))
        .collect();
        let mut called = BTreeSet::new();
        let api = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api");
        for entry in std::fs::read_dir(&api).expect("ui/src/api") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
            called.extend(names(&text, r#"shell(?:<[^(]*>)?\(\s*"(\w+)""#));
        }
        assert!(handled.len() > 5, "the handler list was read: {handled:?}");
        assert_eq!(
            built, handled,
            "build.rs lists exactly the handled commands"
        );
        assert_eq!(
            granted, handled,
            "capabilities/default.json grants exactly the handled commands"
        );
        assert_eq!(
            called, handled,
            "the UI's api modules call exactly the handled commands"
        );
    }
}
