//! Reading the files people import, within limits that keep a hostile or mistaken file from exhausting the
//! workstation; writing files so that a failure never leaves half a file behind.

use std::io::Write;
use std::path::Path;

use crate::{AppError, Result};

/// Largest file an import reads: 100 MB (the town's largest real sheets are a few MB).
pub const IMPORT_MAX_BYTES: u64 = 100 * 1024 * 1024;
/// Most rows (besides the header) a sheet may hold.
pub const IMPORT_MAX_ROWS: usize = 200_000;
/// Most columns a sheet may hold.
pub const IMPORT_MAX_COLUMNS: usize = 100;
/// Largest an xlsx file may unpack to: 500 MB (a zip bomb unpacks to far more).
pub const IMPORT_MAX_UNPACKED: u64 = 500 * 1024 * 1024;

/// Refuses an import of `len` bytes over [`IMPORT_MAX_BYTES`], naming the file.
pub fn check_import_size(name: &str, len: u64) -> Result<()> {
    if len > IMPORT_MAX_BYTES {
        return Err(AppError::Invalid {
            field: "文件",
            problem: format!(
                "{name} 有 {:.1} MB，超过导入上限 {} MB；请拆分后分批导入",
                len as f64 / 1_048_576.0,
                IMPORT_MAX_BYTES / 1_048_576
            ),
        });
    }
    Ok(())
}

/// Reads a file to import: a regular file within [`IMPORT_MAX_BYTES`], checked before a byte is read (a FIFO or
/// a device would never end).
pub fn read_import(path: &Path) -> Result<Vec<u8>> {
    let fail = |source| AppError::File {
        path: path.display().to_string(),
        source,
    };
    let not_regular = || AppError::Invalid {
        field: "文件",
        problem: format!("{} 不是普通文件", path.display()),
    };
    // Checked before opening (opening a FIFO would wait for a writer), then again on the open file, and read
    // no further than the limit whatever the file does meanwhile.
    if !std::fs::metadata(path).map_err(fail)?.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path).map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    check_import_size(&path.display().to_string(), meta.len())?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, IMPORT_MAX_BYTES + 1),
        &mut bytes,
    )
    .map_err(fail)?;
    check_import_size(&path.display().to_string(), bytes.len() as u64)?;
    Ok(bytes)
}

/// Writes `bytes` to `path` through a temporary file in the same folder (created if missing), synced, then
/// renamed over the target. A target that exists and is not a regular file (`/dev/null`, a FIFO, a terminal)
/// is written in place: renaming over it would replace the device for every program on the machine.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |source| AppError::File {
        path: path.display().to_string(),
        source,
    };
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut target = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(fail)?;
        return target.write_all(bytes).map_err(fail);
    }
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

/// The kinds of file an export may be saved as.
const DOWNLOAD_EXTENSIONS: [&str; 6] = ["xlsx", "csv", "geojson", "pdf", "ics", "png"];

/// Saves `download` in `folder` under its own name (its folder part, if any, ignored; a hidden or unknown kind
/// of file refused, since a LAN workstation saves what the server names), never over an existing file
/// (`名称 (2).xlsx` then), and returns the path.
pub fn save_download(folder: &Path, download: &crate::api::Download) -> Result<String> {
    let bad = || AppError::Invalid {
        field: "文件名",
        problem: format!("{:?} 不是可保存的导出文件名", download.file_name),
    };
    let name = Path::new(&download.file_name)
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.starts_with('.'))
        .ok_or_else(bad)?;
    let (stem, ext) = name.rsplit_once('.').ok_or_else(bad)?;
    if !DOWNLOAD_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) || stem.is_empty() {
        return Err(bad());
    }
    std::fs::create_dir_all(folder).map_err(|source| AppError::File {
        path: folder.display().to_string(),
        source,
    })?;
    let mut path = folder.join(name);
    let mut n = 2;
    while path.exists() {
        path = folder.join(format!("{stem} ({n}).{ext}"));
        n += 1;
    }
    write_atomically(&path, &download.bytes)?;
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_saved_by_its_name_never_over_a_file_nor_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let d = |name: &str| crate::api::Download {
            file_name: name.into(),
            bytes: b"x".to_vec(),
        };
        let first = save_download(dir.path(), &d("诉求-1.xlsx")).unwrap();
        let second = save_download(dir.path(), &d("../../诉求-1.xlsx")).unwrap();
        assert!(
            first.ends_with("诉求-1.xlsx") && second.ends_with("诉求-1 (2).xlsx"),
            "{second}"
        );
        assert!(second.starts_with(&dir.path().display().to_string()));
        for bad in [".bashrc", "run.sh", "x", "..", "", ".xlsx"] {
            assert!(save_download(dir.path(), &d(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn r11_writing_to_a_device_leaves_the_device_in_place() {
        use std::os::unix::fs::FileTypeExt;
        write_atomically(Path::new("/dev/null"), b"nothing").expect("write to /dev/null");
        let kind = std::fs::metadata("/dev/null").expect("stat").file_type();
        assert!(
            kind.is_char_device(),
            "/dev/null must stay a character device (a rename over it broke the machine)"
        );
    }

    #[test]
    fn a_regular_file_is_replaced_whole() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sub").join("out.xlsx");
        write_atomically(&path, b"first").expect("write");
        write_atomically(&path, b"second").expect("rewrite");
        assert_eq!(std::fs::read(&path).expect("read"), b"second");
        assert!(
            !path.with_extension("tmp-chengguan").exists(),
            "no temporary file left behind"
        );
    }
}
