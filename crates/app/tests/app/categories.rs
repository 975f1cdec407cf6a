//! The town's petition categories kept by the administrator, on both databases: a new category is offered at the
//! desk, over Open311 and in imports; a renamed one shows its new name on old petitions; a retired one is no
//! longer offered but stays on its petitions and in filters; codes are checked and names unique; every change is
//! in the audit log and only the administrator may make one.

use chengguan_app::audit::AuditQuery;
use chengguan_app::petitions::{CategoryInput, PetitionQuery};

use crate::petitions::call_in;
use crate::support::{admin, backends, demo, sign_in};

fn input(code: &str, name: &str, active: bool) -> CategoryInput {
    CategoryInput {
        code: code.into(),
        name: name.into(),
        description: "冬季供暖不热、管网漏水".into(),
        active,
    }
}

#[tokio::test]
async fn categories_are_added_renamed_and_retired_without_losing_a_petition() {
    for b in backends().await {
        let app = demo(&b).await;
        let admin = admin(&app).await;
        let duty = sign_in(&app, "duty").await;
        let listed = app.list_categories(&duty).await.expect("list");
        assert_eq!(listed.len(), 9, "{}", b.name);

        // Added: offered at the desk, over Open311 and in an import by its name.
        let after = app
            .save_category(&admin, &input("heating", "供暖", true))
            .await
            .expect("add");
        assert_eq!(after.last().map(|c| c.code.as_str()), Some("heating"));
        let mut call = call_in(&app, "CG-02-02").await;
        call.category = "heating".into();
        let p = app
            .create_petition(&duty, &call)
            .await
            .expect("a heating petition");
        assert_eq!(p.category_label, "供暖", "{}", b.name);
        let services = app.open311_services().await.expect("services");
        assert!(
            services.iter().any(|s| s.service_code == "heating"),
            "{}",
            b.name
        );
        let csv = "lon,lat,reported_at,category\n99.812,39.377,2026-10-01T09:00:00+08:00,供暖\n";
        let imported = app
            .import_petitions(&admin, "heating.csv", csv.as_bytes(), false)
            .await
            .expect("import by name");
        assert_eq!(imported.imported, 1, "{}: {:?}", b.name, imported.problems);

        // Renamed: old petitions show the new name.
        app.save_category(&admin, &input("heating", "供暖供热", true))
            .await
            .expect("rename");
        let again = app.find_petition(&duty, &p.number).await.expect("find");
        assert_eq!(again.category_label, "供暖供热", "{}", b.name);

        // Retired: refused for new petitions and no longer an Open311 service, still on its petitions and in filters.
        app.save_category(&admin, &input("heating", "供暖供热", false))
            .await
            .expect("retire");
        let refused = app.create_petition(&duty, &call).await.unwrap_err();
        assert_eq!(refused.code(), "input.invalid", "{}", b.name);
        assert!(refused.to_string().contains("已停用"), "{refused}");
        assert!(app
            .open311_services()
            .await
            .unwrap()
            .iter()
            .all(|s| s.service_code != "heating"));
        let heating = PetitionQuery {
            categories: vec!["heating".into()],
            ..Default::default()
        };
        assert_eq!(
            app.list_petitions(&duty, &heating)
                .await
                .expect("filter")
                .total,
            2,
            "{}",
            b.name
        );
        let listed = app.list_categories(&duty).await.unwrap();
        assert!(listed.iter().any(|c| c.code == "heating" && !c.active));

        // Checked: codes, unique names, a new category starts active; only the administrator.
        for (bad, field) in [
            (input("Heating!", "暖气", true), "类别编码"),
            (input("warmth", "环境卫生", true), "类别名称"),
            (input("warmth", "", true), "类别名称"),
            (input("warmth", "暖气", false), "类别"),
        ] {
            let e = app.save_category(&admin, &bad).await.unwrap_err();
            assert!(e.to_string().contains(field), "{}: {bad:?}: {e}", b.name);
        }
        assert_eq!(
            app.save_category(&duty, &input("warmth", "暖气", true))
                .await
                .unwrap_err()
                .code(),
            "auth.forbidden"
        );
        let audit = app
            .audit_list(
                &admin,
                &AuditQuery {
                    action: Some("category.update".into()),
                    ..Default::default()
                }
                .to_filter(50)
                .unwrap(),
            )
            .await
            .expect("audit");
        assert_eq!(audit.len(), 2, "{}: rename and retire", b.name);
        assert_eq!(app.list_categories(&duty).await.unwrap().len(), 10);
    }
}
