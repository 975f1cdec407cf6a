//! Rows as the database returns them, and their conversion to domain types.

use chengguan_core::access::{UserAccount, UserRole};
use chengguan_core::audit::{AuditDraft, AuditEntry};
use chengguan_core::geo::geojson::{multipolygon_to_geometry, read_multipolygon};
use chengguan_core::geo::Crs;
use chengguan_core::people::{Gender, Person, PoliticalStatus, Role, ScopeLevel};
use chengguan_core::petitions::workflow::{Level, Status};
use chengguan_core::petitions::{Channel, Petition, PetitionEvent, PetitionNumber};
use chengguan_core::town::{Community, Grid, PartyBranch, Town};
use chrono::{DateTime, Utc};
use geo::{BoundingRect, MultiPolygon};
use uuid::Uuid;

use crate::{Change, GridPerson, StoreError};
use chengguan_core::vocabulary::feed::{Entity, Operation};

#[derive(sqlx::FromRow)]
pub(crate) struct TownRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub synthetic: bool,
    pub created_at: DateTime<Utc>,
}

impl From<TownRow> for Town {
    fn from(r: TownRow) -> Self {
        Town {
            id: r.id,
            code: r.code,
            name: r.name,
            synthetic: r.synthetic,
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CommunityRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub version: i64,
}

impl From<CommunityRow> for Community {
    fn from(r: CommunityRow) -> Self {
        Community {
            id: r.id,
            code: r.code,
            name: r.name,
            version: r.version,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PartyBranchRow {
    pub id: Uuid,
    pub community_id: Uuid,
    pub name: String,
    pub version: i64,
}

impl From<PartyBranchRow> for PartyBranch {
    fn from(r: PartyBranchRow) -> Self {
        PartyBranch {
            id: r.id,
            community_id: r.community_id,
            name: r.name,
            version: r.version,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct GridRow {
    pub id: Uuid,
    pub community_id: Uuid,
    pub party_branch_id: Option<Uuid>,
    pub code: String,
    pub name: String,
    pub boundary: String,
    pub boundary_version: i64,
    pub version: i64,
}

impl TryFrom<GridRow> for Grid {
    type Error = StoreError;
    fn try_from(r: GridRow) -> Result<Self, StoreError> {
        let boundary = decode_boundary(&r.boundary)
            .map_err(|e| StoreError::Corrupt(format!("网格 {} 的边界无法读取：{e}", r.code)))?;
        Ok(Grid {
            id: r.id,
            community_id: r.community_id,
            party_branch_id: r.party_branch_id,
            code: r.code,
            name: r.name,
            boundary,
            boundary_version: r.boundary_version,
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PersonRow {
    pub id: Uuid,
    pub name: String,
    pub phone: String,
    pub id_number: Option<String>,
    pub party_member: bool,
    pub gender: Option<String>,
    pub political_status: Option<String>,
    pub employer: Option<String>,
    pub version: i64,
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Self {
        Person {
            id: r.id,
            name: r.name,
            phone: r.phone,
            id_number: r.id_number,
            party_member: r.party_member,
            gender: r.gender.as_deref().and_then(Gender::from_code),
            political_status: r
                .political_status
                .as_deref()
                .and_then(PoliticalStatus::from_code),
            employer: r.employer,
            version: r.version,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct GridPersonRow {
    #[sqlx(flatten)]
    pub person: PersonRow,
    pub role: String,
    pub level: String,
}

impl TryFrom<GridPersonRow> for GridPerson {
    type Error = StoreError;
    fn try_from(r: GridPersonRow) -> Result<Self, StoreError> {
        let role = Role::from_code(&r.role).ok_or_else(|| {
            StoreError::Corrupt(format!("人员 {} 的角色代码 {} 未知", r.person.id, r.role))
        })?;
        let level = ScopeLevel::from_code(&r.level).ok_or_else(|| {
            StoreError::Corrupt(format!("人员 {} 的层级代码 {} 未知", r.person.id, r.level))
        })?;
        Ok(GridPerson {
            person: r.person.into(),
            role,
            level,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ChangeRow {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub op: String,
    pub version: Option<i64>,
}

impl From<ChangeRow> for Change {
    /// A code this build does not know (written by a newer build sharing the server) is read as "the town
    /// changed, re-read everything": the safe answer for every watcher, and the feed still moves past it.
    fn from(r: ChangeRow) -> Self {
        let known = Entity::from_code(&r.entity).zip(Operation::from_code(&r.op));
        let (entity, op) = known.unwrap_or_else(|| {
            tracing::warn!(seq = r.seq, entity = %r.entity, op = %r.op, "unknown change-feed entry, read as a reload");
            (Entity::Town, Operation::Reload)
        });
        Change {
            seq: r.seq,
            at: r.at,
            entity,
            entity_id: if known.is_some() { r.entity_id } else { None },
            op,
            version: r.version,
        }
    }
}

/// Boundaries are stored as GeoJSON geometry objects in WGS-84 (readable by any GIS tool pointed at the database),
/// with coordinates rounded to 7 decimals (≈ 1 cm).
pub(crate) fn encode_boundary(mp: &MultiPolygon<f64>) -> String {
    multipolygon_to_geometry(mp, Crs::Wgs84).to_string()
}

pub(crate) fn decode_boundary(text: &str) -> Result<MultiPolygon<f64>, String> {
    read_multipolygon(text)
}

/// The bounding box (min lon, min lat, max lon, max lat) stored beside a boundary for quick spatial filters.
pub(crate) fn bbox(mp: &MultiPolygon<f64>) -> (f64, f64, f64, f64) {
    mp.bounding_rect()
        .map(|r| (r.min().x, r.min().y, r.max().x, r.max().y))
        .unwrap_or_default()
}

/// The columns of `users`, in the order [`UserRow`] reads them.
pub(crate) const USER_COLUMNS: &str =
    "id, username, display_name, password_hash, roles, grid_code, disabled, \
     failed_attempts, locked_until, must_change_password, created_at, password_changed_at, version";

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: String,
    pub grid_code: Option<String>,
    pub disabled: bool,
    pub failed_attempts: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    pub password_changed_at: DateTime<Utc>,
    pub version: i64,
}

/// Roles as stored: sorted codes joined by commas.
pub(crate) fn encode_roles(roles: &[UserRole]) -> String {
    let mut codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(",")
}

impl TryFrom<UserRow> for UserAccount {
    type Error = StoreError;

    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        let mut roles = r
            .roles
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| {
                UserRole::from_code(c).ok_or_else(|| {
                    StoreError::Corrupt(format!("用户 {} 的角色代码「{c}」未知", r.username))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        roles.sort();
        Ok(UserAccount {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            password_hash: r.password_hash,
            roles,
            grid_code: r.grid_code,
            disabled: r.disabled,
            failed_attempts: r.failed_attempts,
            locked_until: r.locked_until,
            must_change_password: r.must_change_password,
            created_at: r.created_at,
            password_changed_at: r.password_changed_at,
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub reason: Option<String>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            seq: r.seq,
            at: r.at,
            draft: AuditDraft {
                actor: r.actor,
                action: r.action,
                target: r.target,
                reason: r.reason,
                detail: r.detail,
            },
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// The columns of `petitions`, in the order [`PetitionRow`] reads them.
pub(crate) const PETITION_COLUMNS: &str = "id, year, seq, channel, category, description, lon, lat, arrived_crs, \
     address, grid_code, grid_override_reason, reporter_name, reporter_phone, status, level, assignee, deadline, \
     rating, rating_comment, merged_into, received_at, closed_at, version, media_url, updated_at, reporter_email, \
     reporter_device";

#[derive(sqlx::FromRow)]
pub(crate) struct PetitionRow {
    pub id: Uuid,
    pub year: i64,
    pub seq: i64,
    pub channel: String,
    pub category: String,
    pub description: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub arrived_crs: String,
    pub address: String,
    pub grid_code: Option<String>,
    pub grid_override_reason: Option<String>,
    pub reporter_name: String,
    pub reporter_phone: String,
    pub status: String,
    pub level: Option<String>,
    pub assignee: Option<String>,
    pub deadline: DateTime<Utc>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub merged_into: Option<Uuid>,
    pub received_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub media_url: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub reporter_email: String,
    pub reporter_device: String,
}

impl TryFrom<PetitionRow> for Petition {
    type Error = StoreError;

    fn try_from(r: PetitionRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str, value: &str| {
            StoreError::Corrupt(format!(
                "诉求 GT-{}-{:06} 的{what}「{value}」未知",
                r.year, r.seq
            ))
        };
        let channel = Channel::from_code(&r.channel).ok_or_else(|| corrupt("渠道", &r.channel))?;
        let status = Status::from_code(&r.status).ok_or_else(|| corrupt("状态", &r.status))?;
        let level = match &r.level {
            Some(l) => Some(Level::from_code(l).ok_or_else(|| corrupt("办理层级", l))?),
            None => None,
        };
        Ok(Petition {
            id: r.id,
            number: PetitionNumber {
                year: r.year as i32,
                sequence: r.seq as u32,
            },
            channel,
            category: r.category,
            description: r.description,
            location: r.lon.zip(r.lat).map(|(x, y)| [x, y]),
            arrived_crs: r.arrived_crs,
            address: r.address,
            grid_code: r.grid_code,
            grid_override_reason: r.grid_override_reason,
            reporter_name: r.reporter_name,
            reporter_phone: r.reporter_phone,
            status,
            level,
            assignee: r.assignee,
            deadline: r.deadline,
            rating: r.rating.map(|x| x as u8),
            rating_comment: r.rating_comment,
            merged_into: r.merged_into,
            received_at: r.received_at,
            closed_at: r.closed_at,
            version: r.version,
            media_url: r.media_url,
            updated_at: r.updated_at,
            reporter_email: r.reporter_email,
            reporter_device: r.reporter_device,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PetitionEventRow {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub status_after: String,
    pub note: String,
}

impl From<PetitionEventRow> for PetitionEvent {
    fn from(r: PetitionEventRow) -> Self {
        PetitionEvent {
            at: r.at,
            actor: r.actor,
            action: r.action,
            status_after: r.status_after,
            note: r.note,
        }
    }
}
