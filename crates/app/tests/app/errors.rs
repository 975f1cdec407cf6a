//! docs/errors.md lists every error code a person can see: the codes are read from the sources that make them
//! (the app's and the store's error enums, the desktop shell, the UI, the command line, the GeoJSON and grid
//! checks), so a new code without its row fails here.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The files under `dir` ending in one of `exts`.
fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if !path.ends_with("bindings") && !path.ends_with("node_modules") {
                files(&path, exts, out);
            }
        } else if exts.iter().any(|e| path.to_string_lossy().ends_with(e)) {
            out.push(path);
        }
    }
}

/// Every capture of `pattern` in the files under `dirs`.
fn codes(dirs: &[&str], exts: &[&str], pattern: &str) -> Vec<(String, String)> {
    let re = regex::Regex::new(pattern).expect("pattern");
    let mut found = Vec::new();
    for dir in dirs {
        let mut paths = Vec::new();
        files(&workspace().join(dir), exts, &mut paths);
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("read");
            for c in re.captures_iter(&text) {
                found.push((c[1].to_string(), path.display().to_string()));
            }
        }
    }
    found
}

#[test]
fn every_error_code_is_documented() {
    let doc = std::fs::read_to_string(workspace().join("docs/errors.md")).expect("docs/errors.md");
    let mut all = Vec::new();
    // The enums' `code()` arms.
    all.extend(codes(
        &["crates/app/src", "crates/store/src"],
        &["error.rs"],
        r#"=> "([a-z_]+\.[a-z_]+)""#,
    ));
    // Codes built by hand in the shell, the app and the server.
    all.extend(codes(
        &["src-tauri/src", "crates/app/src", "crates/server/src"],
        &[".rs"],
        r#"code: "([a-z_]+\.[a-z_]+)""#,
    ));
    // A LAN workstation's client of the town server.
    all.extend(codes(
        &["crates/client/src"],
        &[".rs"],
        r#"error\(\s*"([a-z_]+\.[a-z_]+)""#,
    ));
    // The UI's own errors.
    all.extend(codes(
        &["ui/src"],
        &[".ts", ".vue"],
        r#"ApiError\(\s*"([a-z_]+\.[a-z_]+)""#,
    ));
    // The command line's `错误 [code]`.
    all.extend(codes(
        &["crates/cli/src"],
        &[".rs"],
        r"错误 \[([a-z_]+\.[a-z_]+)\]",
    ));
    // GeoJSON and grid problems, which name their feature.
    all.extend(codes(
        &[
            "crates/core/src/geo",
            "crates/core/src/town",
            "crates/app/src/grids",
        ],
        &[".rs"],
        r#""((?:geojson|grid)\.[a-z_]+)""#,
    ));
    assert!(
        all.len() > 60,
        "the sources were read: {} codes found",
        all.len()
    );
    let missing: Vec<_> = all
        .iter()
        .filter(|(code, _)| !doc.contains(&format!("`{code}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from docs/errors.md: {missing:#?}"
    );
}
