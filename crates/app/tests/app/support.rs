use std::path::PathBuf;

use chengguan_app::App;
pub use chengguan_store::testing::{backends, Backend};

/// Opens the backend through the app.
pub async fn app(b: &Backend) -> App {
    App::open(&b.url)
        .await
        .unwrap_or_else(|e| panic!("{}: open: {e}", b.name))
}

/// Opens and initialises.
pub async fn initialised(b: &Backend) -> App {
    let app = app(b).await;
    app.init(&Default::default())
        .await
        .unwrap_or_else(|e| panic!("{}: init: {e}", b.name));
    app
}

/// Opens and loads the demo town.
pub async fn demo(b: &Backend) -> App {
    let app = app(b).await;
    app.load_demo(chengguan_core::demo::DEFAULT_SEED, false)
        .await
        .unwrap_or_else(|e| panic!("{}: demo: {e}", b.name));
    app
}

/// A file of `../shared/reference-data/`; it must exist (the tests do not skip).
pub fn reference(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "..",
        "shared",
        "reference-data",
        name,
    ]
    .iter()
    .collect();
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reference file {} is required: {e}", path.display()))
}
