//! Backups of the town's database that can be trusted: taken while the desktop and the intake keep working, and
//! checked before anyone relies on them.
//!
//! A backup is one file, a ZIP archive (stored, not compressed: the payload is read back byte for byte) holding
//! `manifest.json` ([`Manifest`]: the town, the database kind, the schema version, the time, the row counts per
//! table and the audit head, and the SHA-256 of the payload) and the payload: the SQLite copy (`VACUUM INTO`) or a
//! PostgreSQL dump (`pg_dump --format=custom` of an exported snapshot, so that the counts are of the same
//! state). ZIP is used for its per-entry CRC and its central directory at the end: a file cut short by a crash
//! or a disk is refused at once, a flipped byte by the CRC or the SHA-256.
//!
//! The file is written under a temporary name beside the target and renamed when complete, so a `kill -9` or a
//! power cut never leaves a file under the backup's name.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chengguan_core::audit::{verify_chain, AuditDraft};
pub use chengguan_core::backup::Retention;
use chengguan_store::prelude::*;
use chengguan_store::DatabaseKind;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// The format written into every manifest.
pub const FORMAT: &str = "chengguan-backup/1";
const MANIFEST: &str = "manifest.json";
const SQLITE_PAYLOAD: &str = "database.sqlite";
const POSTGRES_PAYLOAD: &str = "database.pgdump";

/// What a backup says of itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The town's name and code.
    pub town: String,
    /// `sqlite` or `postgres`.
    pub kind: String,
    /// The latest migration applied.
    pub schema_version: i64,
    /// When it was taken (RFC 3339, UTC).
    pub taken_at: String,
    /// Who took it.
    pub taken_by: String,
    /// Rows per table in the copy.
    pub counts: BTreeMap<String, i64>,
    /// The audit chain's head in the copy: sequence number and hash.
    pub audit_head: (i64, String),
    /// The payload's name in the archive.
    pub payload: String,
    /// Its size in bytes.
    pub payload_bytes: u64,
    /// Its SHA-256, hexadecimal.
    pub payload_sha256: String,
}

/// What an automatic backup did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rotation {
    /// The new backup.
    pub file: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// Its copies in the other folders.
    pub copies: Vec<PathBuf>,
    /// Older automatic backups deleted by the retention.
    pub removed: Vec<PathBuf>,
}

/// Where automatic backups go by default: `backups/` beside a SQLite file (none for PostgreSQL: the server's
/// backups need a folder named by its administrator).
pub fn default_folder(url: &chengguan_store::DatabaseUrl) -> Option<PathBuf> {
    let path = url.sqlite_path()?;
    Some(path.parent().unwrap_or(Path::new(".")).join("backups"))
}

/// The file name of an automatic backup taken at `at`: `chengguan-20261207-020000.cgbak` (Beijing time).
pub fn auto_name(at: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "chengguan-{}.cgbak",
        at.with_timezone(&chengguan_core::time::beijing())
            .format("%Y%m%d-%H%M%S")
    )
}

/// When an automatic backup was taken, from its name; none for any other file.
pub fn parse_auto_name(name: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let stamp = name.strip_prefix("chengguan-")?.strip_suffix(".cgbak")?;
    let local = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    use chrono::TimeZone;
    chengguan_core::time::beijing()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&chrono::Utc))
        // Only the exact form this program writes (chrono would also read `2026127-20000`).
        .filter(|t| auto_name(*t) == name)
}

/// One check of `backup verify`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// What was checked, in Chinese.
    pub name: String,
    /// Whether it held.
    pub ok: bool,
    /// What was found.
    pub detail: String,
}

/// The outcome of `backup verify`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// Every check held.
    pub ok: bool,
    /// The checks, in order; the first failure ends them.
    pub checks: Vec<Check>,
    /// The manifest, when it could be read.
    pub manifest: Option<Manifest>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> AppError + '_ {
    move |e| AppError::File {
        path: path.display().to_string(),
        source: e,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a file, read in blocks.
fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(io(path))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex(&h.finalize()), n))
}

/// A new file readable by its owner only: a backup holds every resident's data in clear.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Puts a complete file under its final name without ever replacing one there (a hard link, then the temporary
/// name removed): a typo naming the live database cannot overwrite it.
fn place(from: &Path, to: &Path) -> Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => {
            let _ = std::fs::remove_file(from);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(AppError::Invalid {
            field: "备份文件",
            problem: format!("{} 已存在，不会覆盖", to.display()),
        }),
        Err(e) => Err(io(to)(e)),
    }
}

/// The SHA-256 of a backup file with its last 64 bytes (where the digest is kept) read as ASCII zeros.
fn file_digest(path: &Path) -> Result<String> {
    let len = std::fs::metadata(path).map_err(io(path))?.len();
    if len < 64 {
        return Err(AppError::Invalid {
            field: "备份文件",
            problem: "文件过短，不是完整的备份".into(),
        });
    }
    let mut f = std::fs::File::open(path).map_err(io(path))?.take(len - 64);
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let k = f.read(&mut buf).map_err(io(path))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
    }
    h.update([b'0'; 64]);
    Ok(hex(&h.finalize()))
}

/// The digest kept in a backup file's last 64 bytes.
fn kept_digest(path: &Path) -> Result<String> {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    f.seek(SeekFrom::End(-64)).map_err(io(path))?;
    let mut tail = String::new();
    f.read_to_string(&mut tail).map_err(|_| AppError::Invalid {
        field: "备份文件",
        problem: "文件末尾没有校验值".into(),
    })?;
    Ok(tail)
}

/// `pg_dump` or `pg_restore` of this machine: on the PATH, else in Debian's versioned folders.
fn pg_tool(name: &str) -> Result<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.flatten()
                .map(|e| e.path().join("bin").join(name))
                .collect()
        })
        .unwrap_or_default();
    // The newest server version first (16 before 9.6: by number, not by text).
    let version = |p: &PathBuf| {
        p.components()
            .rev()
            .nth(2)
            .and_then(|c| {
                c.as_os_str()
                    .to_str()?
                    .split('.')
                    .next()?
                    .parse::<u32>()
                    .ok()
            })
            .unwrap_or(0)
    };
    debian.sort_by_key(|p| std::cmp::Reverse(version(p)));
    on_path
        .into_iter()
        .chain(debian)
        .find(|p| p.is_file())
        .ok_or_else(|| AppError::Invalid {
            field: "备份",
            problem: format!(
                "找不到 {name}：请安装 PostgreSQL 客户端（sudo apt-get install postgresql-client），版本不低于服务器"
            ),
        })
}

/// The URL without its password, and the password (for `PGPASSWORD`: never on a command line others can read).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((a, h)) => (a, h),
        None => return (url.to_string(), None),
    };
    match auth.split_once(':') {
        Some((user, password)) => (
            format!("{scheme}://{user}@{host}"),
            Some(percent_decode(password)),
        ),
        None => (url.to_string(), None),
    }
}

/// `%40` → `@`: a URL's password as the server knows it.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn run(tool: &Path, args: &[&str], password: Option<&str>) -> Result<()> {
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().map_err(io(tool))?;
    if !out.status.success() {
        return Err(AppError::Invalid {
            field: "备份",
            problem: format!(
                "{} 失败：{}",
                tool.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        });
    }
    Ok(())
}

impl App {
    /// An automatic backup into the first of `folders`, copied into the others (a USB disk, a network share);
    /// then, in each folder, the automatic backups `retention` does not keep are deleted (other files never
    /// are). The administrator, or the desktop's daily run.
    pub async fn backup_rotated(
        &self,
        session: &Session,
        folders: &[PathBuf],
        retention: Retention,
    ) -> Result<Rotation> {
        let actor = self.authorize(Some(session), UseCase::Backup).await?;
        let first = folders.first().ok_or_else(|| AppError::Invalid {
            field: "备份目录",
            problem: "至少需要一个目录".into(),
        })?;
        let now = self.clock.now();
        let name = auto_name(now);
        let file = first.join(&name);
        let manifest = self.backup_as(&actor.username, &file).await?;
        let mut copies = Vec::new();
        for folder in &folders[1..] {
            std::fs::create_dir_all(folder).map_err(io(folder))?;
            let target = folder.join(&name);
            let partial = tempfile::Builder::new()
                .prefix(".chengguan-copy-")
                .tempfile_in(folder)
                .map_err(io(folder))?;
            {
                let mut src = std::fs::File::open(&file).map_err(io(&file))?;
                let mut dst = partial.as_file();
                std::io::copy(&mut src, &mut dst).map_err(io(partial.path()))?;
                dst.sync_all().map_err(io(partial.path()))?;
            }
            place(partial.path(), &target)?;
            copies.push(target);
        }
        let mut removed = Vec::new();
        for folder in folders {
            let entries = std::fs::read_dir(folder).map_err(io(folder))?;
            let autos: Vec<(PathBuf, chrono::DateTime<chrono::Utc>)> = entries
                .flatten()
                .filter_map(|e| {
                    let taken = parse_auto_name(&e.file_name().to_string_lossy())?;
                    Some((e.path(), taken))
                })
                .collect();
            let kept = chengguan_core::backup::keep(
                &autos.iter().map(|(_, t)| *t).collect::<Vec<_>>(),
                retention,
            );
            for (path, taken) in autos {
                // The backup just taken stays whatever the rule says (a retention of 0, a clock set back).
                if !kept.contains(&taken) && path.file_name() != Some(std::ffi::OsStr::new(&name)) {
                    std::fs::remove_file(&path).map_err(io(&path))?;
                    removed.push(path);
                }
            }
        }
        let copied: Vec<String> = copies.iter().map(|c| c.display().to_string()).collect();
        self.audit_backup(
            &actor.username,
            &file,
            &manifest,
            json!({ "copies": copied, "removed": removed.len() }),
        )
        .await?;
        Ok(Rotation {
            file,
            manifest,
            copies,
            removed,
        })
    }

    /// Rows per table of the database now, as a manifest counts them (the administrator).
    pub async fn table_counts(&self, session: &Session) -> Result<BTreeMap<String, i64>> {
        self.authorize(Some(session), UseCase::Backup).await?;
        Ok(self.store.table_counts().await?)
    }

    /// Takes a consistent backup of the database into `out` while everyone keeps working (the administrator).
    pub async fn backup(&self, session: &Session, out: &Path) -> Result<Manifest> {
        let actor = self.authorize(Some(session), UseCase::Backup).await?;
        let manifest = self.backup_as(&actor.username, out).await?;
        self.audit_backup(&actor.username, out, &manifest, json!({}))
            .await?;
        Ok(manifest)
    }

    /// `backup.create` in the audit log: the file, its size and digest, the audit head it holds, and `more`.
    async fn audit_backup(
        &self,
        username: &str,
        file: &Path,
        manifest: &Manifest,
        mut more: serde_json::Value,
    ) -> Result<()> {
        more["file"] = json!(file.display().to_string());
        more["bytes"] = json!(manifest.payload_bytes);
        more["sha256"] = json!(manifest.payload_sha256);
        more["audit_head"] = json!(manifest.audit_head.0);
        self.store
            .append_audit(&AuditDraft::new(
                username,
                "backup.create",
                "database",
                more,
            ))
            .await?;
        Ok(())
    }

    async fn backup_as(&self, username: &str, out: &Path) -> Result<Manifest> {
        if out.as_os_str().to_string_lossy().contains('\0') {
            return Err(AppError::Invalid {
                field: "备份文件",
                problem: "文件名中有空字符".into(),
            });
        }
        if out.exists() {
            return Err(AppError::Invalid {
                field: "备份文件",
                problem: format!("{} 已存在，不会覆盖：请换一个文件名", out.display()),
            });
        }
        let folder = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder).map_err(io(folder))?;
        let work = tempfile::Builder::new()
            .prefix(".chengguan-backup-")
            .tempdir_in(folder)
            .map_err(io(folder))?;
        // The counts and the audit head are those of the copy itself (the live database may have moved on).
        let (kind, payload_name, payload, counts, head) = match self.store.kind() {
            DatabaseKind::Sqlite => {
                let copy = work.path().join(SQLITE_PAYLOAD);
                self.store.snapshot_sqlite(&copy).await?;
                let inspected = chengguan_store::inspect_sqlite(&copy).await?;
                let head = inspected.audit_head;
                ("sqlite", SQLITE_PAYLOAD, copy, inspected.counts, head)
            }
            DatabaseKind::Postgres => {
                let dump = work.path().join(POSTGRES_PAYLOAD);
                let tool = pg_tool("pg_dump")?;
                let snapshot = self.store.pg_snapshot().await?;
                let (url, password) = split_password(self.store.url().expose());
                let dump_arg = dump.display().to_string();
                let done = tokio::task::spawn_blocking({
                    let id = snapshot.id.clone();
                    move || {
                        run(
                            &tool,
                            &[
                                "--no-password",
                                "--format=custom",
                                "--no-owner",
                                &format!("--snapshot={id}"),
                                "--file",
                                &dump_arg,
                                "--dbname",
                                &url,
                            ],
                            password.as_deref(),
                        )
                    }
                })
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
                let (counts, head) = (snapshot.counts.clone(), snapshot.audit_head.clone());
                snapshot.release().await?;
                done?;
                ("postgres", POSTGRES_PAYLOAD, dump, counts, head)
            }
        };
        let (sha, bytes) = sha256_file(&payload)?;
        let town = match self.store.town().await? {
            Some(t) => format!("{}（{}）", t.name, t.code),
            None => "未初始化".into(),
        };
        let manifest = Manifest {
            format: FORMAT.into(),
            town,
            kind: kind.into(),
            schema_version: self.store.schema_version().await?,
            taken_at: self.clock.now().to_rfc3339(),
            taken_by: username.into(),
            counts,
            audit_head: head,
            payload: payload_name.into(),
            payload_bytes: bytes,
            payload_sha256: sha,
        };
        let partial = work.path().join("backup.zip");
        {
            let file = create_private(&partial).map_err(io(&partial))?;
            let mut zip = zip::ZipWriter::new(file);
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .large_file(true);
            let zerr = |e: zip::result::ZipError| AppError::Internal(format!("无法写入备份：{e}"));
            zip.start_file(MANIFEST, stored).map_err(zerr)?;
            zip.write_all(
                &serde_json::to_vec_pretty(&manifest)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            )
            .map_err(io(&partial))?;
            zip.start_file(payload_name, stored).map_err(zerr)?;
            let mut src = std::fs::File::open(&payload).map_err(io(&payload))?;
            std::io::copy(&mut src, &mut zip).map_err(io(&partial))?;
            // The archive's comment, its last 64 bytes, becomes the SHA-256 of the whole file (with those bytes
            // taken as zeros): a byte flipped anywhere, even where a ZIP reader does not look, is then noticed.
            zip.set_comment("0".repeat(64));
            let file = zip.finish().map_err(zerr)?;
            drop(file);
            let digest = file_digest(&partial)?;
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(&partial)
                .map_err(io(&partial))?;
            use std::io::{Seek, SeekFrom};
            file.seek(SeekFrom::End(-64)).map_err(io(&partial))?;
            file.write_all(digest.as_bytes()).map_err(io(&partial))?;
            file.sync_all().map_err(io(&partial))?;
        }
        place(&partial, out)?;
        if let Ok(dir) = std::fs::File::open(folder) {
            let _ = dir.sync_all();
        }
        Ok(manifest)
    }

    /// The audit chain of a SQLite copy, read from a scratch copy of it (opening runs the migrations).
    async fn chain_of_sqlite(&self, path: &Path) -> Result<chengguan_store::AuditChain> {
        let scratch = tempfile::tempdir().map_err(io(path))?;
        let copy = scratch.path().join("copy.sqlite");
        std::fs::copy(path, &copy).map_err(io(path))?;
        let url = chengguan_store::DatabaseUrl::parse(&format!("sqlite://{}", copy.display()))?;
        let store = chengguan_store::open(&url, self.store.audit_key().clone()).await?;
        let chain = store.audit_chain().await?;
        drop(store);
        Ok(chain)
    }

    /// Checks a backup file: the archive, the payload's SHA-256, the database's integrity, the counts against the
    /// manifest and the audit chain (the administrator; audited).
    pub async fn verify_backup(&self, session: &Session, file: &Path) -> Result<Verification> {
        let actor = self.authorize(Some(session), UseCase::Backup).await?;
        let v = self.verify_file(file).await;
        self.store
            .append_audit(&AuditDraft::new(
                &actor.username,
                "backup.verify",
                "database",
                json!({ "file": file.display().to_string(), "ok": v.ok }),
            ))
            .await?;
        Ok(v)
    }

    async fn verify_file(&self, file: &Path) -> Verification {
        let mut v = Verification {
            ok: false,
            checks: Vec::new(),
            manifest: None,
        };
        let check = |v: &mut Verification, name: &str, ok: bool, detail: String| {
            v.checks.push(Check {
                name: name.into(),
                ok,
                detail,
            });
            ok
        };
        let scratch = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => {
                check(&mut v, "临时目录", false, e.to_string());
                return v;
            }
        };
        // The whole file against the digest it carries.
        match (file_digest(file), kept_digest(file)) {
            (Ok(d), Ok(k)) if d == k => {
                check(&mut v, "文件校验值", true, d);
            }
            (Ok(d), Ok(k)) => {
                check(
                    &mut v,
                    "文件校验值",
                    false,
                    format!("文件已损坏：计算得 {d}，文件中记为 {k}"),
                );
                return v;
            }
            (Err(e), _) | (_, Err(e)) => {
                check(
                    &mut v,
                    "备份文件结构",
                    false,
                    format!("不是完整的备份文件：{e}"),
                );
                return v;
            }
        }
        // The archive and its manifest.
        let opened = std::fs::File::open(file)
            .map_err(|e| e.to_string())
            .and_then(|f| zip::ZipArchive::new(f).map_err(|e| e.to_string()));
        let mut archive = match opened {
            Ok(a) => a,
            Err(e) => {
                check(
                    &mut v,
                    "备份文件结构",
                    false,
                    format!("不是完整的备份文件：{e}"),
                );
                return v;
            }
        };
        let manifest: std::result::Result<Manifest, String> = archive
            .by_name(MANIFEST)
            .map_err(|e| e.to_string())
            .and_then(|m| {
                let mut text = String::new();
                m.take(1 << 20)
                    .read_to_string(&mut text)
                    .map_err(|e| e.to_string())?;
                serde_json::from_str(&text).map_err(|e| e.to_string())
            });
        let manifest = match manifest {
            Ok(m) if m.format == FORMAT => m,
            Ok(m) => {
                check(
                    &mut v,
                    "备份清单",
                    false,
                    format!("未知的格式「{}」", m.format),
                );
                return v;
            }
            Err(e) => {
                check(&mut v, "备份清单", false, format!("无法读取：{e}"));
                return v;
            }
        };
        check(
            &mut v,
            "备份清单",
            true,
            format!(
                "{}，{} 库，结构版本 {}，{} 备份",
                manifest.town, manifest.kind, manifest.schema_version, manifest.taken_at
            ),
        );
        v.manifest = Some(manifest.clone());
        // The payload's name is fixed by the kind, never taken from the file as a path (a crafted manifest naming
        // `../../x` or an absolute path must not write outside the scratch folder).
        let payload_name = match manifest.kind.as_str() {
            "sqlite" if manifest.payload == SQLITE_PAYLOAD => SQLITE_PAYLOAD,
            "postgres" if manifest.payload == POSTGRES_PAYLOAD => POSTGRES_PAYLOAD,
            _ => {
                check(
                    &mut v,
                    "备份清单",
                    false,
                    format!("未知的数据「{}」（{}）", manifest.payload, manifest.kind),
                );
                return v;
            }
        };
        // The payload, extracted while hashing (the ZIP reader also checks each entry's CRC).
        let payload = scratch.path().join(payload_name);
        let extracted = archive
            .by_name(payload_name)
            .map_err(|e| e.to_string())
            .and_then(|mut entry| {
                let mut out = std::fs::File::create(&payload).map_err(|e| e.to_string())?;
                std::io::copy(&mut entry, &mut out).map_err(|e| e.to_string())?;
                Ok(())
            })
            .and_then(|()| sha256_file(&payload).map_err(|e| e.to_string()));
        match extracted {
            Ok((sha, bytes))
                if sha == manifest.payload_sha256 && bytes == manifest.payload_bytes =>
            {
                check(&mut v, "SHA-256", true, format!("{bytes} 字节，{sha}"));
            }
            Ok((sha, _)) => {
                check(
                    &mut v,
                    "SHA-256",
                    false,
                    format!("与清单不符：{sha}，清单为 {}", manifest.payload_sha256),
                );
                return v;
            }
            Err(e) => {
                check(&mut v, "SHA-256", false, format!("数据无法读出：{e}"));
                return v;
            }
        }
        if manifest.kind != "sqlite" {
            // A PostgreSQL dump: its table of contents must read back.
            let listed = pg_tool("pg_restore")
                .and_then(|t| run(&t, &["--list", &payload.display().to_string()], None));
            let ok = listed.is_ok();
            check(
                &mut v,
                "转储目录",
                ok,
                listed
                    .err()
                    .map_or("pg_restore --list 可读".into(), |e| e.to_string()),
            );
            v.ok = ok;
            return v;
        }
        let inspected = match chengguan_store::inspect_sqlite(&payload).await {
            Ok(i) => i,
            Err(e) => {
                check(&mut v, "完整性检查", false, e.to_string());
                return v;
            }
        };
        let sound = inspected.integrity == ["ok"];
        if !check(&mut v, "完整性检查", sound, inspected.integrity.join("；")) {
            return v;
        }
        let same = inspected.counts == manifest.counts;
        let detail = if same {
            format!(
                "{} 张表，诉求 {} 件",
                inspected.counts.len(),
                inspected.counts.get("petitions").copied().unwrap_or(0)
            )
        } else {
            let differ: Vec<String> = manifest
                .counts
                .iter()
                .filter(|(t, n)| inspected.counts.get(*t) != Some(n))
                .map(|(t, n)| format!("{t}：清单 {n}，实际 {:?}", inspected.counts.get(t)))
                .collect();
            differ.join("；")
        };
        if !check(&mut v, "各表行数", same, detail) {
            return v;
        }
        let chain = match self.chain_of_sqlite(&payload).await {
            Ok(c) => c,
            Err(e) => {
                check(&mut v, "审计日志", false, e.to_string());
                return v;
            }
        };
        let verified = verify_chain(
            self.store.audit_key(),
            &chain.entries,
            Some((chain.head.0, &chain.head.1)),
            chain.keyed_from,
        );
        let ok = verified.is_ok() && chain.head == manifest.audit_head;
        let detail = match &verified {
            Ok(n) if chain.head == manifest.audit_head => {
                format!("{n} 条，签名链完整，末条与清单相符")
            }
            Ok(_) => format!(
                "末条 {} 与清单 {} 不符",
                chain.head.0, manifest.audit_head.0
            ),
            Err(b) => format!("签名链断裂：{b}"),
        };
        check(&mut v, "审计日志", ok, detail);
        v.ok = ok;
        v
    }
}
