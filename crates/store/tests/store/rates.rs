//! The shared rate-limit buckets: one statement per request, the same arithmetic on both databases.

use chengguan_store::prelude::*;
use chengguan_store::testing::backends;

#[tokio::test]
async fn a_bucket_allows_its_burst_then_its_rate_and_refills() {
    for b in backends().await {
        let store = b.open().await;
        let t0 = 1_800_000_000.0;
        // One a second, bursts to two.
        assert_eq!(
            store.take_token("key:a", 1.0, 2.0, t0).await.unwrap(),
            None,
            "{}",
            b.name
        );
        assert_eq!(
            store.take_token("key:a", 1.0, 2.0, t0).await.unwrap(),
            None,
            "{}",
            b.name
        );
        let wait = store.take_token("key:a", 1.0, 2.0, t0).await.unwrap();
        assert!(
            wait.is_some_and(|w| (w - 1.0).abs() < 1e-9),
            "{}: {wait:?}",
            b.name
        );
        // Another bucket is its own.
        assert_eq!(
            store
                .take_token("addr:10.0.0.1", 1.0, 2.0, t0)
                .await
                .unwrap(),
            None
        );
        // Half a second later half a token is back: still refused, and it says how long.
        let wait = store.take_token("key:a", 1.0, 2.0, t0 + 0.5).await.unwrap();
        assert!(
            wait.is_some_and(|w| (w - 0.5).abs() < 1e-6),
            "{}: {wait:?}",
            b.name
        );
        assert_eq!(
            store.take_token("key:a", 1.0, 2.0, t0 + 1.0).await.unwrap(),
            None,
            "{}",
            b.name
        );
        // An hour idle: full again (capped at the burst), and forgotten by the clean-up.
        assert_eq!(
            store
                .take_token("key:a", 1.0, 2.0, t0 + 3600.0)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .take_token("key:a", 1.0, 2.0, t0 + 3600.0)
                .await
                .unwrap(),
            None
        );
        assert!(store
            .take_token("key:a", 1.0, 2.0, t0 + 3600.0)
            .await
            .unwrap()
            .is_some());
        assert_eq!(
            store.forget_idle_buckets(t0 + 1.0).await.unwrap(),
            1,
            "{}",
            b.name
        );
    }
}
