//! A real Open311 client, the Python `georeport` package (installed in `.venv` by scripts/install-deps.sh), lists
//! services and requests from the server on a real socket, and every JSON answer validates against the GeoReport
//! v2 schemas of `../shared/reference-data/open311-schema/` (tests/open311/client_check.py).

use std::path::PathBuf;

use chengguan_core::demo::TOWN_CODE;

use crate::support::{backends, demo_with_key};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schema_dir() -> PathBuf {
    let data = std::env::var("CHENGGUAN_REFERENCE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("../shared/reference-data"));
    let dir = data.join("open311-schema");
    assert!(
        dir.join("request.json").exists(),
        "the Open311 schemas are required: {}",
        dir.display()
    );
    dir
}

#[tokio::test]
async fn the_georeport_client_lists_services_and_requests_that_validate() {
    let python = workspace().join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/install-deps.sh (make test does)",
        python.display()
    );
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        // The georeport client sends no key on GET: it reads what `[open311] public_read` publishes.
        let app = std::sync::Arc::new((*app).clone().with_open311_public_read(true));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(chengguan_server::serve(app.clone(), listener));
        let out = tokio::process::Command::new(&python)
            .arg(workspace().join("tests/open311/client_check.py"))
            .arg(format!("http://{addr}/open311/v2"))
            .arg(&key)
            .arg(schema_dir())
            .arg(TOWN_CODE)
            .output()
            .await
            .expect("run python");
        server.abort();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("all checks passed"),
            "{}: the client check failed:\n{stdout}\n{}",
            b.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
