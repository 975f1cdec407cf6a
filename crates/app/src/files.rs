//! Writing files so that a failure never leaves half a file behind.

use std::io::Write;
use std::path::Path;

use crate::{AppError, Result};

/// Writes `bytes` to `path` through a temporary file in the same folder (created if missing), synced, then
/// renamed over the target.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |source| AppError::File {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let tmp = path.with_extension("tmp-chengguan");
    let mut file = std::fs::File::create(&tmp).map_err(fail)?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}
