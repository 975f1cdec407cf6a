//! A bare Tauri v2 window: the baseline the command center's start-up time and memory are compared with.

/// Logs that the page is painted, under the same target as the command center.
#[tauri::command]
fn ui_ready(stage: String) {
    tracing::info!(target: "startup", stage = %stage, "ui ready");
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!())
    {
        tracing::error!("bare window stopped: {e}");
    }
}
