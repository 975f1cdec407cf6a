//! The town and its structure (`town`, `communities`, `party_branches`, `organisations`, `compounds`,
//! `buildings`, `units`, `alliances`, `service_points`, `people`, `role_assignments`): initialised once, loaded
//! whole (the demo, an import), counted. The grids themselves are in [`crate::grids`].

use std::collections::BTreeMap;

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::census::TownCensus;
use chengguan_core::people::Role;
use chengguan_core::town::{
    Community, OrganisationKind, PartyBranch, ServicePointKind, Town, TownData,
};
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::Utc;
use uuid::Uuid;

use crate::changes::record;
use crate::db::Tx;
use crate::grids::{insert_communities, insert_grids};
use crate::rows::{CommunityRow, PartyBranchRow, TownRow};
use crate::sql::{insert_rows, query};
use crate::{audit, AnyStore, Result, StoreError};

/// Storage of the town and its structure.
#[async_trait]
pub trait TownStore {
    /// The town, if the database has been initialised.
    async fn town(&self) -> Result<Option<Town>>;

    /// Initialises the database with its town. Fails with `AlreadyInitialised` if it has one.
    async fn init_town(&self, town: &Town) -> Result<()>;

    /// True when the town has any communities, grids, organisations or people.
    async fn has_town_data(&self) -> Result<bool>;

    /// Loads a whole town in one transaction and marks the town synthetic or not. With `replace`, everything
    /// loaded before is deleted first (in the same transaction); without it the database must hold no town data.
    async fn load_town_data(
        &self,
        data: &TownData,
        synthetic: bool,
        replace: bool,
        audit: &AuditDraft,
    ) -> Result<()>;

    /// The counts of the town.
    async fn census(&self) -> Result<TownCensus>;

    /// All communities, by code.
    async fn communities(&self) -> Result<Vec<Community>>;

    /// All party branches, by name.
    async fn party_branches(&self) -> Result<Vec<PartyBranch>>;
}

/// Tables holding town data, children before parents (the order to delete them in).
const TABLES_CHILD_FIRST: [&str; 25] = [
    "shift_handovers",
    "shift_officers",
    "shifts",
    "shift_exclusions",
    "shift_pool",
    "duty_activity_petitions",
    "duty_activities",
    "duty_turns",
    "duty_rules",
    "duty_unavailable",
    "residents",
    "households",
    "role_assignments",
    "people",
    "alliance_members",
    "alliances",
    "service_points",
    "units",
    "buildings",
    "compounds",
    "organisations",
    "grid_boundary_history",
    "grids",
    "party_branches",
    "communities",
];

const TOWN_DATA_COUNT: &str =
    "SELECT (SELECT COUNT(*) FROM communities) + (SELECT COUNT(*) FROM grids) \
     + (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM people)";

#[async_trait]
impl TownStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn town(&self) -> Result<Option<Town>> {
        let row: Option<TownRow> =
            query("SELECT id, code, name, synthetic, created_at FROM town LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(Into::into))
    }

    #[tracing::instrument(skip_all, err)]
    async fn init_town(&self, town: &Town) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let existing: i64 = query("SELECT COUNT(*) FROM town").scalar(&mut tx).await?;
        if existing > 0 {
            return Err(StoreError::AlreadyInitialised);
        }
        query(
            "INSERT INTO town (id, code, name, synthetic, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(town.id)
        .bind(&town.code)
        .bind(&town.name)
        .bind(town.synthetic)
        .bind(town.created_at)
        .execute(&mut tx)
        .await?;
        record(
            &mut tx,
            Entity::Town,
            Some(town.id),
            Operation::Insert,
            Some(1),
        )
        .await?;
        tx.commit().await
    }

    #[tracing::instrument(skip_all, err)]
    async fn has_town_data(&self) -> Result<bool> {
        let n: i64 = query(TOWN_DATA_COUNT).scalar(&self.pool).await?;
        Ok(n > 0)
    }

    #[tracing::instrument(skip_all, err, fields(replace))]
    async fn load_town_data(
        &self,
        data: &TownData,
        synthetic: bool,
        replace: bool,
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let town_id: Option<Uuid> = query("SELECT id FROM town LIMIT 1")
            .fetch_optional::<(Uuid,)>(&mut tx)
            .await?
            .map(|(id,)| id);
        let Some(town_id) = town_id else {
            return Err(StoreError::NotInitialised);
        };
        if replace {
            for table in TABLES_CHILD_FIRST {
                query(format!("DELETE FROM {table}"))
                    .execute(&mut tx)
                    .await?;
            }
        } else {
            let n: i64 = query(TOWN_DATA_COUNT).scalar(&mut tx).await?;
            if n > 0 {
                return Err(StoreError::NotEmpty);
            }
        }
        insert_town_data(&mut tx, data).await?;
        query("UPDATE town SET synthetic = $1, version = version + 1 WHERE id = $2")
            .bind(synthetic)
            .bind(town_id)
            .execute(&mut tx)
            .await?;
        let op = if replace {
            Operation::Reload
        } else {
            Operation::Load
        };
        record(&mut tx, Entity::Town, Some(town_id), op, None).await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        tx.commit().await
    }

    #[tracing::instrument(skip_all, err)]
    async fn census(&self) -> Result<TownCensus> {
        type Counts = (i64, i64, i64, i64, i64, i64, i64, i64);
        let counts: Counts = query(
            "SELECT (SELECT COUNT(*) FROM communities), (SELECT COUNT(*) FROM grids), \
             (SELECT COUNT(*) FROM party_branches), (SELECT COUNT(*) FROM compounds), \
             (SELECT COUNT(*) FROM buildings), (SELECT COUNT(*) FROM units), \
             (SELECT COALESCE(SUM(households), 0) FROM units), (SELECT COUNT(*) FROM alliances)",
        )
        .fetch_one(&self.pool)
        .await?;
        let organisations: Vec<(String, i64)> =
            query("SELECT kind, COUNT(*) FROM organisations GROUP BY kind")
                .fetch_all(&self.pool)
                .await?;
        let roles: Vec<(String, i64)> = query(
            "SELECT role, COUNT(DISTINCT person_id) FROM role_assignments \
             WHERE ends_on IS NULL OR ends_on >= $1 GROUP BY role",
        )
        .bind(crate::roster::today_text())
        .fetch_all(&self.pool)
        .await?;
        let points: Vec<(String, i64)> =
            query("SELECT kind, COUNT(*) FROM service_points GROUP BY kind")
                .fetch_all(&self.pool)
                .await?;
        Ok(census(counts, organisations, roles, points))
    }

    #[tracing::instrument(skip_all, err)]
    async fn communities(&self) -> Result<Vec<Community>> {
        let rows: Vec<CommunityRow> =
            query("SELECT id, code, name, version FROM communities ORDER BY code")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn party_branches(&self) -> Result<Vec<PartyBranch>> {
        let rows: Vec<PartyBranchRow> =
            query("SELECT id, community_id, name, version FROM party_branches ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

/// Writes every row of `data` inside `tx`, parents before children.
async fn insert_town_data(tx: &mut Tx<'_>, data: &TownData) -> Result<()> {
    let now = Utc::now();
    insert_communities(tx, &data.communities).await?;
    insert_rows(
        tx,
        "INSERT INTO party_branches (id, community_id, name, version)",
        &data.party_branches,
        |v, p| {
            v.bind(p.id)
                .bind(p.community_id)
                .bind(&p.name)
                .bind(p.version);
        },
    )
    .await?;
    insert_grids(tx, &data.grids, now).await?;
    insert_rows(
        tx,
        "INSERT INTO organisations (id, kind, name, community_id, compound_id, version)",
        &data.organisations,
        |v, o| {
            v.bind(o.id)
                .bind(o.kind.code())
                .bind(&o.name)
                .bind(o.community_id)
                .bind(o.compound_id)
                .bind(o.version);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO compounds (id, grid_id, name, property_company_id, version)",
        &data.compounds,
        |v, c| {
            v.bind(c.id)
                .bind(c.grid_id)
                .bind(&c.name)
                .bind(c.property_company_id)
                .bind(c.version);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO buildings (id, compound_id, grid_id, name, lon, lat, floors, version)",
        &data.buildings,
        |v, b| {
            v.bind(b.id)
                .bind(b.compound_id)
                .bind(b.grid_id)
                .bind(&b.name)
                .bind(b.location.x())
                .bind(b.location.y())
                .bind(b.floors)
                .bind(b.version);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO units (id, building_id, number, households, version)",
        &data.units,
        |v, u| {
            v.bind(u.id)
                .bind(u.building_id)
                .bind(u.number)
                .bind(u.households)
                .bind(u.version);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO alliances (id, community_id, name, version)",
        &data.alliances,
        |v, a| {
            v.bind(a.id)
                .bind(a.community_id)
                .bind(&a.name)
                .bind(a.version);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO alliance_members (alliance_id, organisation_id)",
        &data.alliance_members,
        |v, m| {
            v.bind(m.alliance_id).bind(m.organisation_id);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO service_points (id, kind, name, community_id, lon, lat, version)",
        &data.service_points,
        |v, p| {
            v.bind(p.id)
                .bind(p.kind.code())
                .bind(&p.name)
                .bind(p.community_id)
                .bind(p.location.x())
                .bind(p.location.y())
                .bind(p.version);
        },
    )
    .await?;
    crate::roster::insert_people(tx, &data.people).await?;
    crate::roster::insert_assignments(tx, &data.assignments).await?;
    Ok(())
}

/// Assembles a census from the raw counts, with every known code present.
fn census(
    counts: (i64, i64, i64, i64, i64, i64, i64, i64),
    organisations: Vec<(String, i64)>,
    roles: Vec<(String, i64)>,
    points: Vec<(String, i64)>,
) -> TownCensus {
    let fill = |codes: Vec<&'static str>, found: Vec<(String, i64)>| {
        let mut map: BTreeMap<String, i64> =
            codes.into_iter().map(|c| (c.to_string(), 0)).collect();
        map.extend(found);
        map
    };
    let (communities, grids, party_branches, compounds, buildings, units, households, alliances) =
        counts;
    TownCensus {
        communities,
        grids,
        party_branches,
        compounds,
        buildings,
        units,
        households,
        alliances,
        organisations: fill(
            OrganisationKind::ALL.iter().map(|k| k.code()).collect(),
            organisations,
        ),
        people_by_role: fill(Role::ALL.iter().map(|r| r.code()).collect(), roles),
        service_points: fill(
            ServicePointKind::ALL.iter().map(|k| k.code()).collect(),
            points,
        ),
    }
}
