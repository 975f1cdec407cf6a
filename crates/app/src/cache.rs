//! Copies kept in memory for the intake's hot path: the grids (every posted petition is placed in one, and
//! reading 59 polygons per post would cost more than the post), the handling time limits and the categories.
//! All change rarely (an administrator's import or setting); a copy is dropped when this process changes the data
//! and is read again after [`CACHE_SECONDS`] anyway, so another workstation's change is seen within that time.

use std::future::Future;
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
#[derive(Debug)]
pub(crate) struct Expiring<T>(Arc<RwLock<Option<Snapshot<T>>>>);

impl<T> Default for Expiring<T> {
    fn default() -> Self {
        Self(Arc::new(RwLock::new(None)))
    }
}

impl<T> Clone for Expiring<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Expiring<T> {
    /// The copy if fresh, else what `read` gives (kept for next time).
    pub(crate) async fn get<F, Fut>(&self, read: F) -> Result<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let fresh = Duration::from_secs(CACHE_SECONDS);
        let cached = self
            .0
            .read()
            .expect("cache lock")
            .as_ref()
            .filter(|(at, _)| at.elapsed() < fresh)
            .map(|(_, v)| Arc::clone(v));
        if let Some(v) = cached {
            return Ok(v);
        }
        let v = Arc::new(read().await?);
        *self.0.write().expect("cache lock") = Some((Instant::now(), Arc::clone(&v)));
        Ok(v)
    }

    /// Drops the copy.
    pub(crate) fn forget(&self) {
        *self.0.write().expect("cache lock") = None;
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
