//! Copies kept in memory for the intake's hot path: the grids (every posted petition is placed in one, and
//! reading 59 polygons per post would cost more than the post), the handling time limits and the categories.
//! All change rarely (an administrator's import or setting); a copy is dropped when this process changes the data
//! and is read again after [`CACHE_SECONDS`] anyway, so another workstation's change is seen within that time.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chengguan_core::petitions::sla::SlaTable;
use chengguan_core::petitions::taxonomy::{CategoryDef, Taxonomy};
use chengguan_core::town::Grid;
use chengguan_store::prelude::*;

use crate::{App, Result};

/// How long a copy is used before it is read again.
pub const CACHE_SECONDS: u64 = 30;

/// A value as read at an instant.
type Snapshot<T> = (Instant, Arc<T>);

/// A shared copy that expires.
///
/// One caller reads at a time (the others wait for its copy rather than each reading the database), and a copy
/// whose read began before a [`Expiring::forget`] is handed to its caller but not kept: it may miss the change
/// that the forget announced.
#[derive(Debug)]
pub(crate) struct Expiring<T>(Arc<Inner<T>>);

#[derive(Debug)]
struct Inner<T> {
    snapshot: RwLock<Option<Snapshot<T>>>,
    /// Bumped by every forget.
    generation: AtomicU64,
    /// Held while reading.
    reading: tokio::sync::Mutex<()>,
}

impl<T> Default for Expiring<T> {
    fn default() -> Self {
        Self(Arc::new(Inner {
            snapshot: RwLock::new(None),
            generation: AtomicU64::new(0),
            reading: tokio::sync::Mutex::new(()),
        }))
    }
}

impl<T> Clone for Expiring<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Expiring<T> {
    fn fresh(&self) -> Option<Arc<T>> {
        let fresh = Duration::from_secs(CACHE_SECONDS);
        self.0
            .snapshot
            .read()
            .expect("cache lock")
            .as_ref()
            .filter(|(at, _)| at.elapsed() < fresh)
            .map(|(_, v)| Arc::clone(v))
    }

    /// The copy if fresh, else what `read` gives (kept for next time unless forgotten meanwhile).
    pub(crate) async fn get<F, Fut>(&self, read: F) -> Result<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        if let Some(v) = self.fresh() {
            return Ok(v);
        }
        let _one = self.0.reading.lock().await;
        if let Some(v) = self.fresh() {
            return Ok(v);
        }
        let generation = self.0.generation.load(Ordering::SeqCst);
        let v = Arc::new(read().await?);
        if self.0.generation.load(Ordering::SeqCst) == generation {
            *self.0.snapshot.write().expect("cache lock") = Some((Instant::now(), Arc::clone(&v)));
        }
        Ok(v)
    }

    /// Drops the copy, and any copy being read now.
    pub(crate) fn forget(&self) {
        self.0.generation.fetch_add(1, Ordering::SeqCst);
        *self.0.snapshot.write().expect("cache lock") = None;
    }
}

impl App {
    /// The grids, from memory when the copy is fresh.
    pub(crate) async fn cached_grids(&self) -> Result<Arc<Vec<Grid>>> {
        self.caches
            .grids
            .get(|| async { Ok(self.store.grids().await?) })
            .await
    }

    /// Drops the grids' copy (after this process changed grids).
    pub(crate) fn forget_grids(&self) {
        self.caches.grids.forget();
    }

    /// The handling time limits: the built-in defaults with the administrator's settings over them.
    pub(crate) async fn sla_table(&self) -> Result<Arc<SlaTable>> {
        self.caches
            .sla
            .get(|| async {
                let mut table = SlaTable::default();
                for (category, level, days) in self.store.sla_rules().await? {
                    if let Some(level) =
                        chengguan_core::petitions::workflow::Level::from_code(&level)
                    {
                        table.set(&category, level, days.clamp(1, 60) as u32);
                    }
                }
                Ok(table)
            })
            .await
    }

    /// Drops the limits' copy (after this process changed them).
    pub(crate) fn forget_sla(&self) {
        self.caches.sla.forget();
    }

    /// The town's petition categories.
    pub(crate) async fn taxonomy(&self) -> Result<Arc<Taxonomy>> {
        self.caches
            .taxonomy
            .get(|| async {
                Ok(Taxonomy::new(
                    self.store
                        .categories()
                        .await?
                        .into_iter()
                        .map(|c| CategoryDef {
                            code: c.code,
                            name: c.name,
                            description: c.description,
                            active: c.active,
                        })
                        .collect(),
                ))
            })
            .await
    }

    /// Drops the categories' copy (after this process changed them).
    pub(crate) fn forget_taxonomy(&self) {
        self.caches.taxonomy.forget();
    }
}

/// The copies an [`App`] keeps.
#[derive(Debug, Clone, Default)]
pub(crate) struct Caches {
    grids: Expiring<Vec<Grid>>,
    sla: Expiring<SlaTable>,
    taxonomy: Expiring<Taxonomy>,
    /// The working calendar (built-in notices with the imported ones over them).
    pub(crate) holidays: Expiring<chengguan_core::calendar::HolidayCalendar>,
    /// The rosters' and residents' search index.
    pub(crate) roster: Expiring<crate::roster::RosterIndex>,
    /// The located petitions for analysis, kept current from the change log (not expiring).
    pub(crate) points: Arc<tokio::sync::Mutex<crate::analysis::points::PointTable>>,
    /// Whether `points` has been read (until then analysis reads the database).
    pub(crate) points_warm: Arc<std::sync::atomic::AtomicBool>,
    /// The group-commit writer of new petitions, started by the first registration.
    writer: Arc<std::sync::OnceLock<crate::petitions::PetitionWriter>>,
}

impl Caches {
    /// The writer of new petitions into `store` (this database's; started on first use, on the caller's runtime).
    pub(crate) fn petition_writer(
        &self,
        store: &chengguan_store::AnyStore,
    ) -> &crate::petitions::PetitionWriter {
        self.writer
            .get_or_init(|| crate::petitions::PetitionWriter::start(store.clone()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    #[tokio::test]
    async fn one_read_at_a_time_and_a_read_overtaken_by_a_forget_is_not_kept() {
        let cache: Expiring<usize> = Expiring::default();
        let reads = Arc::new(AtomicUsize::new(0));
        let read = |n: usize| {
            let reads = Arc::clone(&reads);
            move || async move {
                reads.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(n)
            }
        };
        let (a, b) = tokio::join!(cache.get(read(1)), cache.get(read(2)));
        assert_eq!(
            (*a.unwrap(), *b.unwrap()),
            (1, 1),
            "the second caller waits for the first read"
        );
        assert_eq!(reads.load(Ordering::SeqCst), 1);

        cache.forget();
        let forget_meanwhile = {
            let cache = cache.clone();
            move || async move {
                cache.forget();
                Ok(3)
            }
        };
        assert_eq!(
            *cache.get(forget_meanwhile).await.unwrap(),
            3,
            "its caller gets the read"
        );
        assert_eq!(*cache.get(read(4)).await.unwrap(), 4, "but it was not kept");
    }
}
