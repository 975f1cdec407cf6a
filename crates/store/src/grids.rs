//! The grids (`grids`, `grid_boundary_history`): their boundaries with every earlier version kept, imports
//! applied all or nothing, edits against the version read, and what each grid holds.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::geo::measure::multipolygon_area_m2;
use chengguan_core::town::{Community, Grid};
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::{DateTime, Utc};
use geo::MultiPolygon;
use serde::Serialize;
use uuid::Uuid;

use crate::changes::{record, stale, versioned_update};
use crate::db::Tx;
use crate::rows::{bbox, decode_boundary, encode_boundary, GridRow};
use crate::sql::{insert_rows, query};
use crate::{audit, AnyStore, Result, StoreError};

/// An edit of a grid's name and party branch, made against the version that was read.
#[derive(Debug, Clone, PartialEq)]
pub struct GridEdit {
    /// The grid.
    pub id: Uuid,
    /// The version the editor read; the edit is refused if the stored version differs.
    pub expected_version: i64,
    /// New name.
    pub name: String,
    /// New party branch.
    pub party_branch_id: Option<Uuid>,
}

/// A new boundary (and name, community) for an existing grid, from an import.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryUpdate {
    /// The grid.
    pub grid_id: Uuid,
    /// The version read when the import was planned.
    pub expected_version: i64,
    /// Name from the file.
    pub name: String,
    /// Community from the file.
    pub community_id: Uuid,
    /// New boundary in WGS-84.
    pub boundary: MultiPolygon<f64>,
}

/// Everything one grid import writes, applied in one transaction or not at all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GridImportPlan {
    /// Communities named in the file that do not exist yet.
    pub new_communities: Vec<Community>,
    /// Grids whose codes are new.
    pub new_grids: Vec<Grid>,
    /// Existing grids (matched by code) that get a new boundary.
    pub updates: Vec<BoundaryUpdate>,
}

/// What an applied grid import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GridImportSummary {
    /// Communities created.
    pub communities_created: usize,
    /// Grids created.
    pub grids_created: usize,
    /// Grids whose boundary was replaced (the old one kept in the history).
    pub grids_updated: usize,
}

/// How much a grid holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GridCounts {
    /// Residential compounds.
    pub compounds: i64,
    /// Buildings.
    pub buildings: i64,
    /// Units.
    pub units: i64,
    /// Households.
    pub households: i64,
}

/// Storage of the grids.
#[async_trait]
pub trait GridStore {
    /// All grids, by code.
    async fn grids(&self) -> Result<Vec<Grid>>;

    /// Earlier boundaries of a grid, oldest first: (boundary version, boundary, replaced at).
    async fn grid_boundary_history(
        &self,
        grid_id: Uuid,
    ) -> Result<Vec<(i64, MultiPolygon<f64>, DateTime<Utc>)>>;

    /// Applies a grid import atomically; a stale `expected_version` fails the whole import with a conflict.
    async fn apply_grid_import(
        &self,
        plan: &GridImportPlan,
        audit: &AuditDraft,
    ) -> Result<GridImportSummary>;

    /// Renames a grid or changes its party branch; returns the grid as stored.
    async fn update_grid(&self, edit: &GridEdit, audit: &AuditDraft) -> Result<Grid>;

    /// What a grid holds: compounds, buildings, units and households.
    async fn grid_counts(&self, grid_id: Uuid) -> Result<GridCounts>;
}

const GRID_COLUMNS: &str =
    "id, community_id, party_branch_id, code, name, boundary, boundary_version, version";

#[async_trait]
impl GridStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn grids(&self) -> Result<Vec<Grid>> {
        let rows: Vec<GridRow> = query(format!("SELECT {GRID_COLUMNS} FROM grids ORDER BY code"))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    #[tracing::instrument(skip_all, err)]
    async fn grid_boundary_history(
        &self,
        grid_id: Uuid,
    ) -> Result<Vec<(i64, MultiPolygon<f64>, DateTime<Utc>)>> {
        let rows: Vec<(i64, String, DateTime<Utc>)> = query(
            "SELECT boundary_version, boundary, valid_until FROM grid_boundary_history \
             WHERE grid_id = $1 ORDER BY boundary_version",
        )
        .bind(grid_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(v, text, until)| {
                decode_boundary(&text)
                    .map(|b| (v, b, until))
                    .map_err(|e| StoreError::Corrupt(format!("网格 {grid_id} 第 {v} 版边界：{e}")))
            })
            .collect()
    }

    #[tracing::instrument(skip_all, err)]
    async fn apply_grid_import(
        &self,
        plan: &GridImportPlan,
        audit: &AuditDraft,
    ) -> Result<GridImportSummary> {
        let mut tx = self.pool.begin().await?;
        let now = Utc::now();
        insert_communities(&mut tx, &plan.new_communities).await?;
        for c in &plan.new_communities {
            let version = Some(c.version);
            record(
                &mut tx,
                Entity::Community,
                Some(c.id),
                Operation::Insert,
                version,
            )
            .await?;
        }
        insert_grids(&mut tx, &plan.new_grids, now).await?;
        for g in &plan.new_grids {
            record(
                &mut tx,
                Entity::Grid,
                Some(g.id),
                Operation::Insert,
                Some(g.version),
            )
            .await?;
        }
        for u in &plan.updates {
            let old: Option<(String, i64)> = query(
                "SELECT boundary, boundary_version FROM grids WHERE id = $1 AND version = $2",
            )
            .bind(u.grid_id)
            .bind(u.expected_version)
            .fetch_optional(&mut tx)
            .await?;
            let Some((old_boundary, old_boundary_version)) = old else {
                return Err(stale(
                    &mut tx,
                    Entity::Grid,
                    "grids",
                    u.grid_id,
                    u.expected_version,
                )
                .await);
            };
            query(
                "INSERT INTO grid_boundary_history (grid_id, boundary_version, boundary, valid_until) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(u.grid_id)
            .bind(old_boundary_version)
            .bind(old_boundary)
            .bind(now)
            .execute(&mut tx)
            .await?;
            let (x0, y0, x1, y1) = bbox(&u.boundary);
            query(
                "UPDATE grids SET name = $1, community_id = $2, boundary = $3, min_lon = $4, \
                 min_lat = $5, max_lon = $6, max_lat = $7, area_m2 = $8, \
                 boundary_version = boundary_version + 1, version = version + 1, updated_at = $9 \
                 WHERE id = $10",
            )
            .bind(&u.name)
            .bind(u.community_id)
            .bind(encode_boundary(&u.boundary))
            .bind(x0)
            .bind(y0)
            .bind(x1)
            .bind(y1)
            .bind(multipolygon_area_m2(&u.boundary))
            .bind(now)
            .bind(u.grid_id)
            .execute(&mut tx)
            .await?;
            let version = Some(u.expected_version + 1);
            record(
                &mut tx,
                Entity::Grid,
                Some(u.grid_id),
                Operation::Update,
                version,
            )
            .await?;
        }
        audit::append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await?;
        Ok(GridImportSummary {
            communities_created: plan.new_communities.len(),
            grids_created: plan.new_grids.len(),
            grids_updated: plan.updates.len(),
        })
    }

    #[tracing::instrument(skip_all, err)]
    async fn update_grid(&self, edit: &GridEdit, audit: &AuditDraft) -> Result<Grid> {
        let mut tx = self.pool.begin().await?;
        let done = query(
            "UPDATE grids SET name = $1, party_branch_id = $2, version = version + 1, \
             updated_at = $3 WHERE id = $4 AND version = $5",
        )
        .bind(&edit.name)
        .bind(edit.party_branch_id)
        .bind(Utc::now())
        .bind(edit.id)
        .bind(edit.expected_version)
        .execute(&mut tx)
        .await?;
        versioned_update(
            &mut tx,
            Entity::Grid,
            "grids",
            edit.id,
            edit.expected_version,
            done,
        )
        .await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let row: GridRow = query(format!("SELECT {GRID_COLUMNS} FROM grids WHERE id = $1"))
            .bind(edit.id)
            .fetch_one(&mut tx)
            .await?;
        tx.commit().await?;
        row.try_into()
    }

    #[tracing::instrument(skip_all, err)]
    async fn grid_counts(&self, grid_id: Uuid) -> Result<GridCounts> {
        let (compounds, buildings, units, households): (i64, i64, i64, i64) = query(
            "SELECT (SELECT COUNT(*) FROM compounds WHERE grid_id = $1), \
             (SELECT COUNT(*) FROM buildings WHERE grid_id = $1), \
             (SELECT COUNT(*) FROM units u JOIN buildings b ON b.id = u.building_id \
              WHERE b.grid_id = $1), \
             (SELECT COALESCE(SUM(u.households), 0) FROM units u \
              JOIN buildings b ON b.id = u.building_id WHERE b.grid_id = $1)",
        )
        .bind(grid_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(GridCounts {
            compounds,
            buildings,
            units,
            households,
        })
    }
}

/// Writes new communities inside `tx` (the town's load and a grid import).
pub(crate) async fn insert_communities(tx: &mut Tx<'_>, communities: &[Community]) -> Result<()> {
    insert_rows(
        tx,
        "INSERT INTO communities (id, code, name, version)",
        communities,
        |v, c| {
            v.bind(c.id).bind(&c.code).bind(&c.name).bind(c.version);
        },
    )
    .await
}

/// Writes new grids inside `tx`, with their bounding boxes and areas (the town's load and a grid import).
pub(crate) async fn insert_grids(
    tx: &mut Tx<'_>,
    grids: &[Grid],
    now: DateTime<Utc>,
) -> Result<()> {
    insert_rows(
        tx,
        "INSERT INTO grids (id, community_id, party_branch_id, code, name, boundary, \
         min_lon, min_lat, max_lon, max_lat, area_m2, boundary_version, version, updated_at)",
        grids,
        |v, g| {
            let (x0, y0, x1, y1) = bbox(&g.boundary);
            v.bind(g.id)
                .bind(g.community_id)
                .bind(g.party_branch_id)
                .bind(&g.code)
                .bind(&g.name)
                .bind(encode_boundary(&g.boundary))
                .bind(x0)
                .bind(y0)
                .bind(x1)
                .bind(y1)
                .bind(multipolygon_area_m2(&g.boundary))
                .bind(g.boundary_version)
                .bind(g.version)
                .bind(now);
        },
    )
    .await
}
