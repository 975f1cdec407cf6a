//! The grids for locating petitions, kept in memory: the intake places every posted petition in a grid, and
//! reading 59 polygons from the database for each post would cost more than the post itself. Boundaries change
//! rarely (an import by the administrator); the copy is dropped after this process changes grids and is read
//! again after [`GRID_CACHE_SECONDS`] anyway, so another workstation's import is seen within that time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chengguan_core::town::Grid;
use chengguan_store::Store;
use std::sync::RwLock;

use crate::{App, Result};

/// How long a copy of the grids is used before it is read again.
pub const GRID_CACHE_SECONDS: u64 = 30;

/// The grids as read at an instant.
type Snapshot = (Instant, Arc<Vec<Grid>>);

/// A shared, expiring copy of the grids.
#[derive(Debug, Clone, Default)]
pub(crate) struct GridCache(Arc<RwLock<Option<Snapshot>>>);

impl App {
    /// The grids, from memory when the copy is fresh.
    pub(crate) async fn cached_grids(&self) -> Result<Arc<Vec<Grid>>> {
        let fresh = Duration::from_secs(GRID_CACHE_SECONDS);
        let cached = self
            .grid_cache
            .0
            .read()
            .expect("grid cache lock")
            .as_ref()
            .filter(|(at, _)| at.elapsed() < fresh)
            .map(|(_, grids)| Arc::clone(grids));
        if let Some(grids) = cached {
            return Ok(grids);
        }
        let grids = Arc::new(self.store.grids().await?);
        *self.grid_cache.0.write().expect("grid cache lock") =
            Some((Instant::now(), Arc::clone(&grids)));
        Ok(grids)
    }

    /// Drops the copy (after this process changed grids).
    pub(crate) fn forget_grids(&self) {
        *self.grid_cache.0.write().expect("grid cache lock") = None;
    }
}
