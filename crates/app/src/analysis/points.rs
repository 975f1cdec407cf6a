//! The located petitions in memory, for analysis: read in full once, then kept current from the change log, so
//! that a heat map or a hot-spot layer over a million petitions costs a pass over memory, not a database read of
//! a million rows (seconds). Filters are applied here exactly as the store's `petition_conditions` applies them
//! (tested against the store on both databases).
//!
//! The change log's sequence numbers can become visible out of order on PostgreSQL (two transactions commit in
//! the other order than they took their numbers), so each refresh re-reads the last [`LOOKBACK`] changes and
//! handles the ones it has not seen; re-reading a petition is harmless.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::atomic::Ordering;

use chengguan_core::vocabulary::feed::Entity;
use chengguan_store::prelude::*;
use chengguan_store::{PetitionFacts, PetitionFilter};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{App, Result};

/// Changes re-read behind the last one seen.
pub const LOOKBACK: i64 = 1_000;
/// Above this many petitions changed since the last refresh, everything is read again instead.
const RELOAD_ABOVE: usize = 20_000;
/// No grid, no level (the vocabularies' "none").
const NONE: u16 = u16::MAX;

/// One petition, compactly (40 bytes): codes are indices into the table's vocabularies.
#[derive(Debug, Clone, Copy)]
struct Record {
    lon: f64,
    lat: f64,
    received_us: i64,
    deadline_us: i64,
    grid: u16,
    level: u16,
    category: u16,
    status: u8,
    channel: u8,
}

/// Codes seen in one column, each with its index.
#[derive(Debug, Default)]
struct Vocabulary {
    codes: Vec<String>,
    index: HashMap<String, u16>,
}

impl Vocabulary {
    fn intern(&mut self, code: &str) -> u16 {
        if let Some(i) = self.index.get(code) {
            return *i;
        }
        let i = u16::try_from(self.codes.len()).unwrap_or(NONE - 1);
        self.codes.push(code.to_string());
        self.index.insert(code.to_string(), i);
        i
    }

    /// Which indices `codes` allow (none: every one).
    fn allowed(&self, codes: &[String]) -> Option<Vec<bool>> {
        (!codes.is_empty()).then(|| {
            let mut allow = vec![false; self.codes.len()];
            for c in codes {
                if let Some(i) = self.index.get(c) {
                    allow[usize::from(*i)] = true;
                }
            }
            allow
        })
    }
}

/// A petition the filter selected, as analysis uses it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located {
    /// WGS-84 longitude.
    pub lon: f64,
    /// WGS-84 latitude.
    pub lat: f64,
    /// Index of its grid in [`Selection::grids`], if it has one.
    pub grid: Option<u16>,
    /// When it arrived (microseconds since 1970, UTC).
    pub received_us: i64,
}

impl Located {
    /// When it arrived.
    pub fn received_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.received_us).unwrap_or_default()
    }
}

/// The petitions a filter selected, and the grid codes their indices refer to.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The petitions, in no particular order.
    pub points: Vec<Located>,
    /// Grid codes by index.
    pub grids: Vec<String>,
}

impl Selection {
    /// The grid code of `p`.
    pub fn grid_of(&self, p: &Located) -> Option<&str> {
        p.grid.map(|i| self.grids[usize::from(i)].as_str())
    }
}

/// The table and how far down the change log it is.
#[derive(Default)]
pub(crate) struct PointTable {
    loaded: bool,
    /// The highest change sequence handled.
    watermark: i64,
    /// Sequences handled within [`LOOKBACK`] of the watermark.
    seen: BTreeSet<i64>,
    records: Vec<Record>,
    by_id: HashMap<Uuid, u32>,
    grids: Vocabulary,
    levels: Vocabulary,
    categories: Vocabulary,
    statuses: Vocabulary,
    channels: Vocabulary,
}

impl fmt::Debug for PointTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PointTable")
            .field("petitions", &self.records.len())
            .field("watermark", &self.watermark)
            .finish()
    }
}

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

impl PointTable {
    fn record(&mut self, f: &PetitionFacts) -> Record {
        Record {
            lon: f.lon,
            lat: f.lat,
            received_us: micros(f.received_at),
            deadline_us: micros(f.deadline),
            grid: f
                .grid_code
                .as_deref()
                .map_or(NONE, |g| self.grids.intern(g)),
            level: f.level.as_deref().map_or(NONE, |l| self.levels.intern(l)),
            category: self.categories.intern(&f.category),
            status: u8::try_from(self.statuses.intern(&f.status)).unwrap_or(u8::MAX),
            channel: u8::try_from(self.channels.intern(&f.channel)).unwrap_or(u8::MAX),
        }
    }

    fn upsert(&mut self, facts: &[PetitionFacts]) {
        for f in facts {
            let r = self.record(f);
            match self.by_id.get(&f.id) {
                Some(&i) => self.records[i as usize] = r,
                None => {
                    self.by_id.insert(f.id, self.records.len() as u32);
                    self.records.push(r);
                }
            }
        }
    }

    fn clear(&mut self) {
        self.records.clear();
        self.by_id.clear();
    }

    /// The petitions `filter` selects (its paging and order are ignored).
    fn select(&self, filter: &PetitionFilter) -> Selection {
        let statuses = self.statuses.allowed(&filter.statuses);
        let categories = self.categories.allowed(&filter.categories);
        let channels = self.channels.allowed(&filter.channels);
        let levels = self.levels.allowed(&filter.levels);
        let mut grid_codes = filter.grid_codes.clone();
        let grids = match &filter.grid_code {
            // `grid_code = g` and `grid_code IN (…)` both hold: g, if it is in the list.
            Some(g) if grid_codes.is_empty() || grid_codes.contains(g) => {
                grid_codes = vec![g.clone()];
                self.grids.allowed(&grid_codes)
            }
            Some(_) => Some(vec![false; self.grids.codes.len()]),
            None => self.grids.allowed(&grid_codes),
        };
        let from = filter.received_from.map(micros);
        let before = filter.received_before.map(micros);
        let deadline_before = filter.deadline_before.map(micros);
        let admits = |allow: &Option<Vec<bool>>, i: u16| match allow {
            None => true,
            Some(a) => i != NONE && a.get(usize::from(i)).copied().unwrap_or(false),
        };
        let points = self
            .records
            .iter()
            .filter(|r| {
                admits(&statuses, u16::from(r.status))
                    && admits(&categories, r.category)
                    && admits(&channels, u16::from(r.channel))
                    && admits(&levels, r.level)
                    && admits(&grids, r.grid)
                    && from.is_none_or(|t| r.received_us >= t)
                    && before.is_none_or(|t| r.received_us < t)
                    && deadline_before.is_none_or(|t| r.deadline_us < t)
            })
            .map(|r| Located {
                lon: r.lon,
                lat: r.lat,
                grid: (r.grid != NONE).then_some(r.grid),
                received_us: r.received_us,
            })
            .collect();
        Selection {
            points,
            grids: self.grids.codes.clone(),
        }
    }
}

impl App {
    /// The located petitions `filter` selects: from memory once [`App::warm_analysis`] has run (brought up to date
    /// from the change log first), else straight from the database (a one-off command need not read everything).
    pub async fn analysis_points(&self, filter: &PetitionFilter) -> Result<Selection> {
        if self.caches.points_warm.load(Ordering::Acquire) {
            let mut table = self.caches.points.lock().await;
            self.bring_up_to_date(&mut table).await?;
            return Ok(table.select(filter));
        }
        let mut grids = Vocabulary::default();
        let points = self
            .store
            .petition_points(filter)
            .await?
            .into_iter()
            .map(|p| Located {
                lon: p.lon,
                lat: p.lat,
                grid: p.grid_code.as_deref().map(|g| grids.intern(g)),
                received_us: micros(p.received_at),
            })
            .collect();
        Ok(Selection {
            points,
            grids: grids.codes,
        })
    }

    /// Reads every located petition into memory, after which analysis works from memory and follows the change
    /// log (the desktop does this in the background when it opens a database: seconds for a million petitions,
    /// then tens of milliseconds per layer). Returns how many petitions are held.
    pub async fn warm_analysis(&self) -> Result<usize> {
        let mut table = self.caches.points.lock().await;
        self.bring_up_to_date(&mut table).await?;
        self.caches.points_warm.store(true, Ordering::Release);
        Ok(table.records.len())
    }

    async fn bring_up_to_date(&self, table: &mut PointTable) -> Result<()> {
        if table.loaded {
            let mut changed: Vec<Uuid> = Vec::new();
            let mut reload = false;
            let mut after = (table.watermark - LOOKBACK).max(0);
            loop {
                let batch = self.store.changes_since(after, 5_000).await?;
                let Some(last) = batch.last() else { break };
                after = last.seq;
                for c in &batch {
                    if !table.seen.insert(c.seq) {
                        continue;
                    }
                    table.watermark = table.watermark.max(c.seq);
                    match (c.entity, c.entity_id) {
                        (Entity::Petition, Some(id)) => changed.push(id),
                        (Entity::Petition, None) | (Entity::Town, _) => reload = true,
                        _ => {}
                    }
                }
                if reload || changed.len() > RELOAD_ABOVE {
                    reload = true;
                    break;
                }
            }
            let keep_from = table.watermark - LOOKBACK;
            table.seen = table.seen.split_off(&keep_from);
            if !reload {
                if !changed.is_empty() {
                    changed.sort_unstable();
                    changed.dedup();
                    let facts = self.store.petition_facts(Some(&changed)).await?;
                    table.upsert(&facts);
                }
                return Ok(());
            }
        }
        // Everything: note the log's end first, so that what commits during the read is handled next time.
        let latest = self.store.latest_change().await?;
        let recent = self
            .store
            .changes_since((latest - LOOKBACK).max(0), LOOKBACK)
            .await?;
        let facts = self.store.petition_facts(None).await?;
        table.clear();
        table.upsert(&facts);
        table.watermark = recent.iter().map(|c| c.seq).fold(latest, i64::max);
        table.seen = recent.iter().map(|c| c.seq).collect();
        table.loaded = true;
        Ok(())
    }
}
