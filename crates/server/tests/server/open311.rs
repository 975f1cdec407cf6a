//! GeoReport v2 through the real router on both databases: services, posting (GCJ-02 point, key checks), lookups,
//! searches and the errors of the spec; a malformed request stores nothing.

use axum::http::Method;
use chengguan_core::demo::TOWN_CODE;

use crate::support::{backends, call, demo_with_key, get, petition_count, post, read};

/// Form fields.
type Form = Vec<(&'static str, String)>;

/// A good post from the mini-program: a GCJ-02 point (the reference vector of WGS-84 (99.816, 39.377)).
fn good(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("api_key", key.to_string()),
        ("jurisdiction_id", TOWN_CODE.to_string()),
        ("service_code", "sanitation".into()),
        ("lat", "39.377669566".into()),
        ("long", "99.817423356".into()),
        ("coord_system", "gcj02".into()),
        ("description", "小区门口垃圾桶满溢".into()),
        ("last_name", "李".into()),
        ("first_name", "某".into()),
        ("phone", "13900001111".into()),
        ("media_url", "https://example.org/p/1.jpg".into()),
    ]
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn services_are_the_categories_in_json_and_xml() {
    for b in backends().await {
        let (app, _) = demo_with_key(&b).await;
        let json = get(&app, "/open311/v2/services.json").await;
        assert_eq!(json.status, 200, "{}", b.name);
        assert!(json.content_type.starts_with("application/json"));
        let list = json.json();
        assert_eq!(list.as_array().expect("array").len(), 9, "{}", b.name);
        assert_eq!(list[0]["metadata"], false);
        assert_eq!(list[0]["type"], "realtime");

        let xml = get(&app, "/open311/v2/services.xml").await;
        assert!(xml.content_type.starts_with("text/xml"));
        assert_eq!(xml.body.matches("<service>").count(), 9, "{}", xml.body);
        assert!(xml.body.contains("<service_name>环境卫生</service_name>"));

        let def = get(&app, "/open311/v2/services/sanitation.json").await;
        assert_eq!(def.json()["service_code"], "sanitation");
        let unknown = get(&app, "/open311/v2/services/ufo.json").await;
        assert_eq!(unknown.status, 404);
        assert_eq!(unknown.json()[0]["code"], 404);

        let wrong_town = get(&app, "/open311/v2/services.json?jurisdiction_id=110000").await;
        assert_eq!(wrong_town.status, 404, "{}", b.name);
        let discovery = get(&app, "/open311/v2/discovery.json").await;
        assert_eq!(
            discovery.json()["endpoints"][0]["specification"],
            "http://wiki.open311.org/GeoReport_v2"
        );
    }
}

#[tokio::test]
async fn a_post_is_numbered_converted_to_wgs84_placed_and_found_again() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let answer = post(&app, &fields(&good(&key))).await;
        assert_eq!(answer.status, 201, "{}: {}", b.name, answer.body);
        let created = answer.json();
        let number = created[0]["service_request_id"]
            .as_str()
            .expect("id")
            .to_string();
        assert!(
            number.starts_with("GT-2026-") || number.starts_with("GT-20"),
            "{number}"
        );
        let token = created[0]["token"].as_str().expect("token").to_string();

        let one = read(
            &app,
            &key,
            &format!("/open311/v2/requests/{number}.json?extensions=true"),
        )
        .await;
        assert_eq!(one.status, 200, "{}", one.body);
        let r = &one.json()[0];
        assert!((r["lat"].as_f64().unwrap() - 39.377).abs() < 1e-6, "{r}");
        assert!((r["long"].as_f64().unwrap() - 99.816).abs() < 1e-6, "{r}");
        assert_eq!(r["status"], "open");
        assert_eq!(r["media_url"], "https://example.org/p/1.jpg");
        assert_eq!(r["extended_attributes"]["status_code"], "received");
        assert_eq!(r["extended_attributes"]["channel"], "miniprogram_photo");
        assert!(
            r.get("first_name").is_none() && !one.body.contains("13900001111"),
            "no personal data"
        );

        let plain = read(&app, &key, &format!("/open311/v2/requests/{number}.json"))
            .await
            .json();
        assert!(plain[0].get("extended_attributes").is_none());

        let t = get(&app, &format!("/open311/v2/tokens/{token}.json"))
            .await
            .json();
        assert_eq!(t[0]["service_request_id"], number.as_str());

        let listed = read(
            &app,
            &key,
            "/open311/v2/requests.json?service_code=sanitation&status=open",
        )
        .await
        .json();
        assert!(listed
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["service_request_id"] == number.as_str()));
        let closed = read(&app, &key, "/open311/v2/requests.json?status=closed")
            .await
            .json();
        assert!(!closed
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["service_request_id"] == number.as_str()));
        let by_id = read(
            &app,
            &key,
            &format!("/open311/v2/requests.json?service_request_id={number},GT-1999-000001"),
        )
        .await;
        assert_eq!(by_id.json().as_array().unwrap().len(), 1);

        // Registered in the key's name, in the timeline and the audit log.
        let (duty, _) = app
            .sign_in("duty", chengguan_app::users::DEMO_PASSWORD)
            .await
            .unwrap();
        let view = app.find_petition(&duty, &number).await.expect("find");
        assert!(view.grid_code.is_some(), "placed in a grid");
        let timeline = app
            .petition_timeline(&duty, &view.id)
            .await
            .expect("timeline");
        assert_eq!(timeline[0].actor, "apikey:惠民高台小程序");
    }
}

#[tokio::test]
async fn every_malformed_post_is_a_400_or_403_and_stores_nothing() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        let before = petition_count(&app).await;
        let without = |name: &str| -> Vec<(&'static str, String)> {
            good(&key).into_iter().filter(|(k, _)| *k != name).collect()
        };
        let with = |name: &'static str, value: &str| -> Vec<(&'static str, String)> {
            let mut v = without(name);
            v.push((name, value.to_string()));
            v
        };
        let cases: Vec<(Form, u16, &str)> = vec![
            (without("api_key"), 403, "api_key"),
            (with("api_key", "cgk_wrong"), 403, "api_key"),
            (without("service_code"), 400, "service_code"),
            (with("service_code", "ufo"), 404, "ufo"),
            (with("lat", "north"), 400, "lat"),
            (with("long", "NaN"), 400, "long"),
            (with("lat", "99.817423356"), 400, "位置"),
            (with("coord_system", "mercator"), 400, "坐标系"),
            (
                without("lat")
                    .into_iter()
                    .filter(|(k, _)| *k != "long")
                    .collect(),
                400,
                "位置",
            ),
            (without("description"), 400, "诉求内容"),
            (with("description", &"长".repeat(5001)), 400, "description"),
            (with("phone", "call me"), 400, "联系电话"),
            (with("media_url", "javascript:alert(1)"), 400, "media_url"),
            (with("channel", "pigeon"), 400, "渠道"),
            (with("jurisdiction_id", "110000"), 404, "110000"),
        ];
        for (case, status, mentions) in cases {
            let a = post(&app, &fields(&case)).await;
            assert_eq!(a.status, status, "{}: {mentions}: {}", b.name, a.body);
            let e = a.json();
            assert_eq!(e[0]["code"], status, "{}", a.body);
            assert!(
                e[0]["description"].as_str().unwrap().contains(mentions),
                "{}: the message names {mentions}: {}",
                b.name,
                a.body
            );
        }
        // Not a form, not UTF-8, too big, wrong method, wrong format, wrong path.
        let raw = |ct: Option<&'static str>, body: Vec<u8>| {
            let app = app.clone();
            async move { call(&app, Method::POST, "/open311/v2/requests.json", ct, body).await }
        };
        assert_eq!(
            raw(Some("application/json"), b"{}".to_vec()).await.status,
            400
        );
        assert_eq!(raw(None, b"a=b".to_vec()).await.status, 400);
        assert_eq!(
            raw(
                Some("application/x-www-form-urlencoded"),
                vec![0xff, 0xfe, b'=', 0x80]
            )
            .await
            .status,
            400
        );
        let huge = raw(
            Some("application/x-www-form-urlencoded"),
            vec![b'a'; 200_000],
        )
        .await;
        assert_eq!(huge.status, 400, "{}", huge.body);
        assert_eq!(
            call(
                &app,
                Method::DELETE,
                "/open311/v2/requests.json",
                None,
                vec![]
            )
            .await
            .status,
            405
        );
        assert_eq!(
            read(&app, &key, "/open311/v2/requests.csv").await.status,
            400
        );
        assert_eq!(get(&app, "/nothing/here").await.json()[0]["code"], 404);
        assert_eq!(
            petition_count(&app).await,
            before,
            "{}: nothing stored",
            b.name
        );

        // A revoked key is refused from then on.
        let (admin, _) = app
            .sign_in("admin", chengguan_app::users::DEMO_PASSWORD)
            .await
            .unwrap();
        app.revoke_api_key(&admin, "惠民高台小程序")
            .await
            .expect("revoke");
        assert_eq!(
            post(&app, &fields(&good(&key))).await.status,
            403,
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn searches_keep_to_the_spec_s_limits() {
    for b in backends().await {
        let (app, key) = demo_with_key(&b).await;
        for _ in 0..3 {
            assert_eq!(post(&app, &fields(&good(&key))).await.status, 201);
        }
        for (query, status) in [
            (
                "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
                400,
            ),
            ("start_date=yesterday", 400),
            (
                "end_date=2020-01-01T00:00:00Z&start_date=2020-02-01T00:00:00Z",
                400,
            ),
            ("status=pending", 400),
            ("service_code=ufo", 400),
            ("page=0", 400),
            ("page_size=1001", 400),
            ("extensions=maybe", 400),
            ("page=1&page_size=2", 200),
        ] {
            let a = read(&app, &key, &format!("/open311/v2/requests.json?{query}")).await;
            assert_eq!(a.status, status, "{}: {query}: {}", b.name, a.body);
        }
        let page1 = read(&app, &key, "/open311/v2/requests.json?page=1&page_size=2")
            .await
            .json();
        let page2 = read(&app, &key, "/open311/v2/requests.json?page=2&page_size=2")
            .await
            .json();
        assert_eq!(page1.as_array().unwrap().len(), 2);
        assert_ne!(
            page1[0]["service_request_id"],
            page2[0]["service_request_id"]
        );
        let xml = read(&app, &key, "/open311/v2/requests.xml?page_size=1").await;
        assert!(
            xml.body.starts_with("<?xml") && xml.body.contains("<service_requests><request>"),
            "{}",
            xml.body
        );
        let xml_error = read(&app, &key, "/open311/v2/requests.xml?status=pending").await;
        assert!(
            xml_error.body.contains("<errors><error><code>400</code>"),
            "{}",
            xml_error.body
        );
    }
}
