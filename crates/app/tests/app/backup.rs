//! Backups on both databases: taken while four clients register petitions, the copy verifies and its counts are
//! the manifest's; a flipped byte, a file cut short and a file that is not a backup are refused; only the
//! administrator may.

use std::path::Path;

use chengguan_app::backup::Manifest;

use crate::petitions::call_in;
use crate::support::{backends, demo, sign_in};

/// Flips the bits of one byte of a file.
fn flip_byte(path: &Path, at: u64) {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    let mut b = [0u8];
    f.read_exact(&mut b).unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(&[b[0] ^ 0x5a]).unwrap();
}

#[tokio::test]
async fn a_backup_taken_while_four_clients_write_verifies_and_counts_what_it_holds() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let duty = sign_in(&app, "duty").await;
        let before = app.table_counts(&admin).await.unwrap()["petitions"];
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("备份").join("town.cgbak");

        // Four clients keep registering petitions while the backup runs.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut writers = Vec::new();
        for i in 0..4 {
            let (app, duty, stop) = (app.clone(), duty.clone(), stop.clone());
            let new = call_in(&app, ["CG-01-01", "CG-03-07", "CG-05-02", "CG-08-04"][i]).await;
            writers.push(tokio::spawn(async move {
                let mut n = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) || n < 3 {
                    app.create_petition(&duty, &new).await.expect("a petition");
                    n += 1;
                }
                n
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let manifest: Manifest = app.backup(&admin, &file).await.expect("backup");
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut written = 0;
        for w in writers {
            written += w.await.unwrap();
        }
        let after = app.table_counts(&admin).await.unwrap()["petitions"];
        assert_eq!(after, before + i64::from(written), "{}", b.name);
        let held = manifest.counts["petitions"];
        assert!(
            held > before && held <= after,
            "{}: {before} ≤ {held} ≤ {after}",
            b.name
        );
        assert_eq!(
            manifest.kind,
            b.name.to_lowercase().replace("postgresql", "postgres")
        );

        let v = app.verify_backup(&admin, &file).await.expect("verify");
        assert!(v.ok, "{}: {:#?}", b.name, v.checks);
        // A second backup under the same name never replaces the first (nor, by a typo, the database).
        let e = app.backup(&admin, &file).await.expect_err("no overwrite");
        assert_eq!(e.code(), "input.invalid", "{}", b.name);
        assert!(app.verify_backup(&admin, &file).await.unwrap().ok);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode, 0o600,
                "{}: a backup is readable by its owner only",
                b.name
            );
        }
        // No temporary file is left beside the backup.
        let names: Vec<String> = std::fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["town.cgbak"], "{}", b.name);

        // One byte flipped anywhere: in the payload, and in the manifest at the start.
        let len = std::fs::metadata(&file).unwrap().len();
        for at in [len / 2, 60, len - 10] {
            let copy = dir.path().join(format!("flipped-{at}.cgbak"));
            std::fs::copy(&file, &copy).unwrap();
            flip_byte(&copy, at);
            let v = app.verify_backup(&admin, &copy).await.expect("verify");
            assert!(
                !v.ok,
                "{}: a byte flipped at {at} went unnoticed: {:#?}",
                b.name, v.checks
            );
        }
        // Cut short, as a crash mid-write would leave it; and not a backup at all.
        let cut = dir.path().join("cut.cgbak");
        std::fs::write(&cut, &std::fs::read(&file).unwrap()[..(len / 2) as usize]).unwrap();
        assert!(
            !app.verify_backup(&admin, &cut).await.unwrap().ok,
            "{}",
            b.name
        );
        // A path with a NUL byte, and one that does not exist: refused in words, never a panic.
        for odd in ["备份\0.cgbak", "/nonexistent/备份.cgbak"] {
            let v = app.verify_backup(&admin, Path::new(odd)).await.unwrap();
            assert!(!v.ok, "{}: {odd:?}", b.name);
        }
        assert!(app.backup(&admin, Path::new("备份\0.cgbak")).await.is_err());
        let junk = dir.path().join("junk.cgbak");
        std::fs::write(&junk, "不是备份\0").unwrap();
        let v = app.verify_backup(&admin, &junk).await.unwrap();
        assert!(
            !v.ok && v.checks[0].name == "备份文件结构",
            "{}: {v:?}",
            b.name
        );

        // Only the administrator: a backup holds every resident's data in clear.
        let e = app
            .backup(&duty, &dir.path().join("duty.cgbak"))
            .await
            .expect_err("a duty officer may not");
        assert_eq!(e.code(), "auth.forbidden");
    }
}

#[derive(Debug)]
struct HandClock(std::sync::Mutex<chrono::DateTime<chrono::Utc>>);

impl chengguan_app::access::Clock for HandClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap()
    }
}

/// 02:00 Beijing, `days` after 2026-03-01.
fn night(days: i64) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 3, 1, 2, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
        + chrono::Duration::days(days)
}

fn autos(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn forty_nights_of_automatic_backups_keep_exactly_the_retained_set_in_both_folders() {
    use chengguan_app::backup::Retention;
    for b in backends().await {
        let app = demo(&b).await;
        // Sessions are kept by the database's own clock: sign in now, then set the app's clock back.
        let admin = sign_in(&app, "admin").await;
        let clock = std::sync::Arc::new(HandClock(std::sync::Mutex::new(night(0))));
        let app = app
            .with_idle_minutes(60 * 24 * 3650)
            .with_clock(clock.clone());
        let dir = tempfile::tempdir().unwrap();
        let (main, usb) = (dir.path().join("backups"), dir.path().join("U盘"));
        std::fs::create_dir_all(&main).unwrap();
        // Files that are not automatic backups are never deleted.
        std::fs::write(main.join("说明.txt"), "手工备份放在这里").unwrap();
        std::fs::write(main.join("chengguan-手工.cgbak"), "手工").unwrap();
        let retention = Retention {
            daily: 3,
            weekly: 2,
            monthly: 2,
        };
        for day in 0..40 {
            *clock.0.lock().unwrap() = night(day);
            app.backup_rotated(&admin, &[main.clone(), usb.clone()], retention)
                .await
                .unwrap_or_else(|e| panic!("{}: night {day}: {e}", b.name));
        }
        // The last night is Thursday 2026-04-09: three days (7th–9th); this week's newest (the 9th) and last
        // week's (Sunday the 5th); this month's (the 9th) and March's (the 31st).
        let expected = [
            "chengguan-20260331-020000.cgbak",
            "chengguan-20260405-020000.cgbak",
            "chengguan-20260407-020000.cgbak",
            "chengguan-20260408-020000.cgbak",
            "chengguan-20260409-020000.cgbak",
        ];
        let mut with_manual: Vec<&str> = expected.to_vec();
        with_manual.push("chengguan-手工.cgbak");
        with_manual.push("说明.txt");
        with_manual.sort();
        assert_eq!(autos(&main), with_manual, "{}", b.name);
        assert_eq!(autos(&usb), expected, "{}", b.name);
        // The copies are whole backups.
        let v = app
            .verify_backup(&admin, &usb.join(expected[0]))
            .await
            .unwrap();
        assert!(v.ok, "{}: {:?}", b.name, v.checks);
    }
}
