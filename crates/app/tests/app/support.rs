use std::path::PathBuf;

use chengguan_app::access::Session;
use chengguan_app::users::DEMO_PASSWORD;
use chengguan_app::App;
pub use chengguan_store::testing::{backends, Backend};

/// Opens the backend through the app.
pub async fn app(b: &Backend) -> App {
    App::open(&b.url, chengguan_store::testing::audit_key())
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
    app.load_demo(None, chengguan_core::demo::DEFAULT_SEED, false)
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

/// Signs in as `username` of the demo accounts (password [`DEMO_PASSWORD`]); on a database without accounts,
/// first creates the administrator `admin` with that password.
pub async fn sign_in(app: &App, username: &str) -> Session {
    if app.needs_administrator().await.expect("user count") {
        app.setup_administrator("admin", "测试管理员", DEMO_PASSWORD)
            .await
            .expect("first administrator");
    }
    app.sign_in(username, DEMO_PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("sign in as {username}: {e}"))
        .0
}

/// Signs in as the administrator.
pub async fn admin(app: &App) -> Session {
    sign_in(app, "admin").await
}
