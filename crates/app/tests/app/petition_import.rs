//! Bulk import of petitions from CSV and xlsx on both databases: rows checked first with problems named by row
//! and column, nothing stored when any row is wrong, dry runs, and the analysts' `lon,lat,reported_at,category`.

use chengguan_app::petitions::PetitionQuery;

use crate::support::{backends, demo, sign_in};

const HOTLINE: &str = "\u{feff}受理时间,渠道,类别,诉求内容,地址,经度,纬度,坐标系,反映人,联系电话,状态,办结时间,评价
2026-03-02 09:15,12345热线,环境卫生,小区垃圾未清运,解放街 8 号,99.817423356,39.377669566,gcj02,张某,13800001111,已办结,2026-03-03 16:00,5
2026-03-05 14:40,hotline,infrastructure,路灯不亮,,99.816,39.377,,李某,13800002222,,,
2026/3/9 10:05,来访,政策咨询,咨询老旧小区改造,城关镇政府,,,,王某,,待受理,,
";

#[tokio::test]
async fn a_hotline_export_imports_with_numbers_grids_and_outcomes() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let duty = sign_in(&app, "duty").await;
        let before = app
            .list_petitions(&duty, &PetitionQuery::default())
            .await
            .unwrap()
            .total;

        let dry = app
            .import_petitions(&admin, "热线.csv", HOTLINE.as_bytes(), true)
            .await
            .expect("dry run");
        assert_eq!(
            (dry.rows, dry.imported, dry.problem_count),
            (3, 0, 0),
            "{}: {dry:?}",
            b.name
        );
        assert_eq!(
            app.list_petitions(&duty, &PetitionQuery::default())
                .await
                .unwrap()
                .total,
            before
        );

        let done = app
            .import_petitions(&admin, "热线.csv", HOTLINE.as_bytes(), false)
            .await
            .expect("import");
        assert_eq!(done.imported, 3, "{}: {done:?}", b.name);
        let (first, last) = done.numbers.clone().expect("numbers");
        assert!(
            first.starts_with("GT-2026-") && last.starts_with("GT-2026-"),
            "{first} {last}"
        );
        assert_eq!(
            app.list_petitions(&duty, &PetitionQuery::default())
                .await
                .unwrap()
                .total,
            before + 3
        );

        let one = app.find_petition(&duty, &first).await.expect("first");
        assert_eq!(
            (one.status.as_str(), one.rating),
            ("rated", Some(5)),
            "{}",
            b.name
        );
        assert!(
            one.grid_code.is_some(),
            "{}: a GCJ-02 point is placed",
            b.name
        );
        let [lon, lat] = one.location.unwrap();
        assert!(
            (lon - 99.816).abs() < 1e-6 && (lat - 39.377).abs() < 1e-6,
            "{}: converted to WGS-84",
            b.name
        );
        assert_eq!(
            one.received_at, "2026-03-02T01:15:00+00:00",
            "{}: Beijing time",
            b.name
        );
        let last_one = app.find_petition(&duty, &last).await.expect("last");
        assert_eq!(
            (last_one.status.as_str(), last_one.channel.as_str()),
            ("received", "walk_in")
        );
        assert_eq!(last_one.grid_code, None, "{}: an address only", b.name);
    }
}

#[tokio::test]
async fn wrong_rows_are_all_reported_and_nothing_is_stored() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let duty = sign_in(&app, "duty").await;
        let before = app
            .list_petitions(&duty, &PetitionQuery::default())
            .await
            .unwrap()
            .total;
        let bad = "受理时间,类别,诉求内容,经度,纬度,评价,渠道
2026-03-02 09:15,环境卫生,好的一行,99.816,39.377,,
昨天,环境卫生,时间不对,99.816,39.377,,
2026-03-02 09:15,飞碟,类别不对,99.816,39.377,,
2026-03-02 09:15,环境卫生,经纬度写反,39.377,99.816,,
2026-03-02 09:15,环境卫生,评价不对,99.816,39.377,9,
2026-03-02 09:15,环境卫生,渠道不对,99.816,39.377,,信鸽
2099-01-01 00:00,环境卫生,将来,99.816,39.377,,
";
        let report = app
            .import_petitions(&admin, "bad.csv", bad.as_bytes(), false)
            .await
            .expect("report");
        assert_eq!(report.imported, 0, "{}", b.name);
        let found: Vec<(usize, &str)> = report
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "受理时间"),
                (4, "类别"),
                (5, "经度"),
                (6, "评价"),
                (7, "渠道"),
                (8, "受理时间")
            ],
            "{}: {:?}",
            b.name,
            report.problems
        );
        assert_eq!(
            app.list_petitions(&duty, &PetitionQuery::default())
                .await
                .unwrap()
                .total,
            before
        );

        let e = app
            .import_petitions(
                &admin,
                "x.csv",
                "时间,内容\n2026-01-01,无类别\n".as_bytes(),
                false,
            )
            .await
            .expect_err("no category column");
        assert!(e.to_string().contains("类别"), "{e}");
        let e = app
            .import_petitions(&admin, "x.txt", b"a", false)
            .await
            .expect_err("format");
        assert!(e.to_string().contains(".xlsx"), "{e}");
        let e = app
            .import_petitions(&admin, "x.xlsx", b"not a zip", false)
            .await
            .expect_err("xlsx");
        assert!(e.to_string().contains("xlsx"), "{e}");
        let duty_try = app
            .import_petitions(&duty, "热线.csv", b"", true)
            .await
            .expect_err("duty");
        assert_eq!(duty_try.code(), "auth.forbidden");
    }
}

#[tokio::test]
async fn an_xlsx_export_and_the_analysts_csv_import() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = sign_in(&app, "admin").await;
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for (c, h) in ["受理时间", "类别", "诉求内容", "经度", "纬度"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "2026-04-01 08:00").unwrap();
        ws.write_string(1, 1, "safety_hazard").unwrap();
        ws.write_string(1, 2, "电动车楼道充电").unwrap();
        ws.write_number(1, 3, 99.816).unwrap();
        ws.write_number(1, 4, 39.377).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let report = app
            .import_petitions(&admin, "导出.xlsx", &bytes, false)
            .await
            .expect("xlsx");
        assert_eq!(report.imported, 1, "{}: {report:?}", b.name);

        let analysts = "lon,lat,reported_at,category\n99.816,39.377,2026-05-01T08:00:00+08:00,sanitation\n99.8161,39.3771,2026-05-02T09:00:00+08:00,dispute\n";
        let report = app
            .import_petitions(&admin, "points.csv", analysts.as_bytes(), false)
            .await
            .expect("csv");
        assert_eq!(report.imported, 2, "{}: {report:?}", b.name);
    }
}
