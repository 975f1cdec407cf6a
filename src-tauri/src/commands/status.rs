/// The UI reports that a stage of start-up is on screen (e.g. `map`: the first map painted). Logged under the
/// `startup` target, which `bench/startup.py` reads to measure time to first map.
#[tauri::command]
pub fn ui_ready(stage: String) {
    tracing::info!(target: "startup", stage = %stage, "ui ready");
}
