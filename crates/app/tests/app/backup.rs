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
