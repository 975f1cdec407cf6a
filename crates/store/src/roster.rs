//! The rosters with their history (`people`, `role_assignments` with `starts_on`/`ends_on`) and the population
//! database (`households`, `residents`): the places they refer to, read whole for coverage and search, and
//! written by the imports in one transaction each.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::people::coverage::{BuildingPlace, GridPlace, UnitPlace};
use chengguan_core::people::{
    Gender, Household, Person, PoliticalStatus, Relation, Resident, ResidentFlags, Role,
    RoleAssignment, Scope, ScopeLevel,
};
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chrono::NaiveDate;
use uuid::Uuid;

use crate::changes::record;
use crate::db::Tx;
use crate::sql::{insert_rows, query};
use crate::{audit, AnyStore, Result, StoreError};

/// Today in Beijing, as the `YYYY-MM-DD` text the assignment dates are stored as.
pub(crate) fn today_text() -> String {
    chrono::Utc::now()
        .with_timezone(&chengguan_core::time::beijing())
        .date_naive()
        .to_string()
}

/// A community, as places need it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityPlace {
    /// Row.
    pub id: Uuid,
    /// Code (`CG-01`).
    pub code: String,
    /// Name (`东关社区`).
    pub name: String,
}

/// A compound (小区), as places need it.
#[derive(Debug, Clone, PartialEq)]
pub struct CompoundPlace {
    /// Row.
    pub id: Uuid,
    /// Its grid.
    pub grid_id: Uuid,
    /// Name.
    pub name: String,
}

/// A building with its compound.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingOf {
    /// Row.
    pub id: Uuid,
    /// Its grid.
    pub grid_id: Uuid,
    /// Its compound.
    pub compound_id: Uuid,
    /// Its name in the compound (`3号楼`).
    pub name: String,
}

/// Every place a roster or a resident can name, down to the unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    /// Communities.
    pub communities: Vec<CommunityPlace>,
    /// Grids.
    pub grids: Vec<GridPlace>,
    /// Compounds.
    pub compounds: Vec<CompoundPlace>,
    /// Buildings.
    pub buildings: Vec<BuildingOf>,
    /// Units.
    pub units: Vec<UnitPlace>,
}

impl Places {
    /// The buildings as coverage wants them (`阳光小区 3号楼`).
    pub fn coverage_buildings(&self) -> Vec<BuildingPlace> {
        let compound: std::collections::HashMap<Uuid, &str> = self
            .compounds
            .iter()
            .map(|c| (c.id, c.name.as_str()))
            .collect();
        self.buildings
            .iter()
            .map(|b| BuildingPlace {
                id: b.id,
                grid_id: b.grid_id,
                name: format!("{} {}", compound.get(&b.compound_id).unwrap_or(&""), b.name),
            })
            .collect()
    }
}

/// An assignment with the name of the person holding it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedAssignment {
    /// The assignment.
    pub assignment: RoleAssignment,
    /// The person's name.
    pub name: String,
}

/// A resident with the unit of their household.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentAt {
    /// The resident.
    pub resident: Resident,
    /// Their household's door.
    pub door: String,
    /// Their household's unit.
    pub unit_id: Uuid,
}

/// Storage of the rosters and the population database.
#[async_trait]
pub trait RosterStore {
    /// Every community, grid, compound, building and unit.
    async fn places(&self) -> Result<Places>;
    /// Every person.
    async fn people(&self) -> Result<Vec<Person>>;
    /// Every assignment, past and present, with the holder's name.
    async fn assignments(&self) -> Result<Vec<NamedAssignment>>;
    /// A person's assignments, past and present, latest first.
    async fn assignments_of(&self, person: Uuid) -> Result<Vec<RoleAssignment>>;
    /// Every resident with their unit.
    async fn residents(&self) -> Result<Vec<ResidentAt>>;
    /// One resident with their unit.
    async fn resident(&self, id: Uuid) -> Result<Option<ResidentAt>>;
    /// A household and its members (householder first).
    async fn household(&self, id: Uuid) -> Result<Option<(Household, Vec<Resident>)>>;
    /// Number of residents.
    async fn resident_count(&self) -> Result<i64>;
    /// Every household.
    async fn households(&self) -> Result<Vec<Household>>;
    /// Adds people and assignments, and closes the assignments `closing` on the given last day, in one
    /// transaction with its audit entry.
    async fn import_roster(
        &self,
        people: &[Person],
        assignments: &[RoleAssignment],
        closing: &[(Uuid, NaiveDate)],
        audit: &AuditDraft,
    ) -> Result<()>;
    /// Adds households and residents in one transaction with its audit entry.
    async fn import_residents(
        &self,
        households: &[Household],
        residents: &[Resident],
        audit: &AuditDraft,
    ) -> Result<()>;
}

const PERSON: &str =
    "id, name, phone, id_number, party_member, gender, political_status, employer, version";
const ASSIGNMENT: &str =
    "a.id, a.person_id, a.role, a.level, a.community_id, a.grid_id, a.building_id, \
                          a.unit_id, a.starts_on, a.ends_on, a.version";
const RESIDENT: &str = "r.id, r.household_id, r.name, r.gender, r.id_number, r.phone, r.relation, \
                        r.party_member, r.elderly_alone, r.disabled, r.low_income, r.veteran, \
                        r.special_group, r.version";

type PersonTuple = (
    Uuid,
    String,
    String,
    Option<String>,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

fn person(t: PersonTuple) -> Person {
    Person {
        id: t.0,
        name: t.1,
        phone: t.2,
        id_number: t.3,
        party_member: t.4,
        gender: t.5.as_deref().and_then(Gender::from_code),
        political_status: t.6.as_deref().and_then(PoliticalStatus::from_code),
        employer: t.7,
        version: t.8,
    }
}

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: Uuid,
    person_id: Uuid,
    role: String,
    level: String,
    community_id: Option<Uuid>,
    grid_id: Option<Uuid>,
    building_id: Option<Uuid>,
    unit_id: Option<Uuid>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    version: i64,
}

fn date(text: Option<String>, id: Uuid) -> Result<Option<NaiveDate>> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt(format!("任职 {id} 的日期 {t} 无效")))
    })
    .transpose()
}

impl TryFrom<AssignmentRow> for RoleAssignment {
    type Error = StoreError;
    fn try_from(r: AssignmentRow) -> Result<Self> {
        let role = Role::from_code(&r.role).ok_or_else(|| {
            StoreError::Corrupt(format!("任职 {} 的角色代码 {} 未知", r.id, r.role))
        })?;
        let level = ScopeLevel::from_code(&r.level).ok_or_else(|| {
            StoreError::Corrupt(format!("任职 {} 的层级代码 {} 未知", r.id, r.level))
        })?;
        let target = r.community_id.or(r.grid_id).or(r.building_id).or(r.unit_id);
        let scope = Scope::from_parts(level, target)
            .ok_or_else(|| StoreError::Corrupt(format!("任职 {} 的范围不完整", r.id)))?;
        Ok(RoleAssignment {
            id: r.id,
            person_id: r.person_id,
            role,
            scope,
            starts_on: date(r.starts_on, r.id)?,
            ends_on: date(r.ends_on, r.id)?,
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ResidentRow {
    id: Uuid,
    household_id: Uuid,
    name: String,
    gender: Option<String>,
    id_number: Option<String>,
    phone: String,
    relation: String,
    party_member: bool,
    elderly_alone: bool,
    disabled: bool,
    low_income: bool,
    veteran: bool,
    special_group: bool,
    version: i64,
}

impl From<ResidentRow> for Resident {
    fn from(r: ResidentRow) -> Self {
        Resident {
            id: r.id,
            household_id: r.household_id,
            name: r.name,
            gender: r.gender.as_deref().and_then(Gender::from_code),
            id_number: r.id_number,
            phone: r.phone,
            relation: Relation::from_code(&r.relation).unwrap_or(Relation::Other),
            flags: ResidentFlags {
                party_member: r.party_member,
                elderly_alone: r.elderly_alone,
                disabled: r.disabled,
                low_income: r.low_income,
                veteran: r.veteran,
                special_group: r.special_group,
            },
            version: r.version,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ResidentAtRow {
    #[sqlx(flatten)]
    resident: ResidentRow,
    door: String,
    unit_id: Uuid,
}

#[async_trait]
impl RosterStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn places(&self) -> Result<Places> {
        let communities: Vec<(Uuid, String, String)> =
            query("SELECT id, code, name FROM communities ORDER BY code")
                .fetch_all(&self.pool)
                .await?;
        let grids: Vec<(Uuid, String, String, Uuid)> =
            query("SELECT id, code, name, community_id FROM grids ORDER BY code")
                .fetch_all(&self.pool)
                .await?;
        let compounds: Vec<(Uuid, Uuid, String)> =
            query("SELECT id, grid_id, name FROM compounds ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        let buildings: Vec<(Uuid, Uuid, Uuid, String)> =
            query("SELECT id, grid_id, compound_id, name FROM buildings")
                .fetch_all(&self.pool)
                .await?;
        let units: Vec<(Uuid, Uuid, i32)> =
            query("SELECT id, building_id, number FROM units ORDER BY number")
                .fetch_all(&self.pool)
                .await?;
        Ok(Places {
            communities: communities
                .into_iter()
                .map(|(id, code, name)| CommunityPlace { id, code, name })
                .collect(),
            grids: grids
                .into_iter()
                .map(|(id, code, name, community_id)| GridPlace {
                    id,
                    code,
                    name,
                    community_id,
                })
                .collect(),
            compounds: compounds
                .into_iter()
                .map(|(id, grid_id, name)| CompoundPlace { id, grid_id, name })
                .collect(),
            buildings: buildings
                .into_iter()
                .map(|(id, grid_id, compound_id, name)| BuildingOf {
                    id,
                    grid_id,
                    compound_id,
                    name,
                })
                .collect(),
            units: units
                .into_iter()
                .map(|(id, building_id, number)| UnitPlace {
                    id,
                    building_id,
                    number,
                })
                .collect(),
        })
    }

    #[tracing::instrument(skip_all, err)]
    async fn people(&self) -> Result<Vec<Person>> {
        let rows: Vec<PersonTuple> = query(format!("SELECT {PERSON} FROM people"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(person).collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn assignments(&self) -> Result<Vec<NamedAssignment>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            a: AssignmentRow,
            name: String,
        }
        let rows: Vec<Row> = query(format!(
            "SELECT {ASSIGNMENT}, p.name FROM role_assignments a JOIN people p ON p.id = a.person_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(NamedAssignment {
                    assignment: r.a.try_into()?,
                    name: r.name,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, err)]
    async fn assignments_of(&self, person: Uuid) -> Result<Vec<RoleAssignment>> {
        let rows: Vec<AssignmentRow> = query(format!(
            "SELECT {ASSIGNMENT} FROM role_assignments a WHERE a.person_id = $1 \
             ORDER BY CASE WHEN a.ends_on IS NULL THEN 0 ELSE 1 END, a.ends_on DESC, a.starts_on DESC"
        ))
        .bind(person)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    #[tracing::instrument(skip_all, err)]
    async fn residents(&self) -> Result<Vec<ResidentAt>> {
        let rows: Vec<ResidentAtRow> = query(format!(
            "SELECT {RESIDENT}, h.door, h.unit_id FROM residents r JOIN households h ON h.id = r.household_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ResidentAt {
                resident: r.resident.into(),
                door: r.door,
                unit_id: r.unit_id,
            })
            .collect())
    }

    #[tracing::instrument(skip_all, err)]
    async fn resident(&self, id: Uuid) -> Result<Option<ResidentAt>> {
        let row: Option<ResidentAtRow> = query(format!(
            "SELECT {RESIDENT}, h.door, h.unit_id FROM residents r JOIN households h ON h.id = r.household_id \
             WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| ResidentAt {
            resident: r.resident.into(),
            door: r.door,
            unit_id: r.unit_id,
        }))
    }

    #[tracing::instrument(skip_all, err)]
    async fn household(&self, id: Uuid) -> Result<Option<(Household, Vec<Resident>)>> {
        let h: Option<(Uuid, Uuid, String, i64)> =
            query("SELECT id, unit_id, door, version FROM households WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((id, unit_id, door, version)) = h else {
            return Ok(None);
        };
        let members: Vec<ResidentRow> = query(format!(
            "SELECT {RESIDENT} FROM residents r WHERE r.household_id = $1 \
             ORDER BY CASE r.relation WHEN 'householder' THEN 0 ELSE 1 END, r.id_number"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some((
            Household {
                id,
                unit_id,
                door,
                version,
            },
            members.into_iter().map(Into::into).collect(),
        )))
    }

    #[tracing::instrument(skip_all, err)]
    async fn resident_count(&self) -> Result<i64> {
        query("SELECT COUNT(*) FROM residents")
            .scalar(&self.pool)
            .await
    }

    #[tracing::instrument(skip_all, err)]
    async fn households(&self) -> Result<Vec<Household>> {
        let rows: Vec<(Uuid, Uuid, String, i64)> =
            query("SELECT id, unit_id, door, version FROM households")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, unit_id, door, version)| Household {
                id,
                unit_id,
                door,
                version,
            })
            .collect())
    }

    #[tracing::instrument(skip_all, err, fields(people = people.len()))]
    async fn import_roster(
        &self,
        people: &[Person],
        assignments: &[RoleAssignment],
        closing: &[(Uuid, NaiveDate)],
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        // The audit entry first: it takes the write lock (SQLite) or the chain's head row (PostgreSQL).
        audit::append(&mut tx, &self.audit_key, audit).await?;
        insert_people(&mut tx, people).await?;
        insert_assignments(&mut tx, assignments).await?;
        for (id, last) in closing {
            query("UPDATE role_assignments SET ends_on = $1, version = version + 1 WHERE id = $2 AND ends_on IS NULL")
                .bind(last.to_string())
                .bind(*id)
                .execute(&mut tx)
                .await?;
        }
        record(&mut tx, Entity::Person, None, Operation::Import, None).await?;
        tx.commit().await
    }

    #[tracing::instrument(skip_all, err, fields(residents = residents.len()))]
    async fn import_residents(
        &self,
        households: &[Household],
        residents: &[Resident],
        audit: &AuditDraft,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        insert_rows(
            &mut tx,
            "INSERT INTO households (id, unit_id, door, version)",
            households,
            |v, h| {
                v.bind(h.id).bind(h.unit_id).bind(&h.door).bind(h.version);
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO residents (id, household_id, name, gender, id_number, phone, relation, party_member, \
             elderly_alone, disabled, low_income, veteran, special_group, version)",
            residents,
            |v, r| {
                v.bind(r.id)
                    .bind(r.household_id)
                    .bind(&r.name)
                    .bind(r.gender.map(Gender::code))
                    .bind(&r.id_number)
                    .bind(&r.phone)
                    .bind(r.relation.code())
                    .bind(r.flags.party_member)
                    .bind(r.flags.elderly_alone)
                    .bind(r.flags.disabled)
                    .bind(r.flags.low_income)
                    .bind(r.flags.veteran)
                    .bind(r.flags.special_group)
                    .bind(r.version);
            },
        )
        .await?;
        record(&mut tx, Entity::Resident, None, Operation::Import, None).await?;
        tx.commit().await
    }
}

/// Writes people inside `tx`.
pub(crate) async fn insert_people(tx: &mut Tx<'_>, people: &[Person]) -> Result<()> {
    insert_rows(
        tx,
        "INSERT INTO people (id, name, phone, id_number, party_member, gender, political_status, employer, version)",
        people,
        |v, p| {
            v.bind(p.id)
                .bind(&p.name)
                .bind(&p.phone)
                .bind(&p.id_number)
                .bind(p.party_member)
                .bind(p.gender.map(Gender::code))
                .bind(p.political_status.map(PoliticalStatus::code))
                .bind(&p.employer)
                .bind(p.version);
        },
    )
    .await
}

/// Writes assignments inside `tx`.
pub(crate) async fn insert_assignments(
    tx: &mut Tx<'_>,
    assignments: &[RoleAssignment],
) -> Result<()> {
    insert_rows(
        tx,
        "INSERT INTO role_assignments (id, person_id, role, level, community_id, grid_id, \
         building_id, unit_id, starts_on, ends_on, version)",
        assignments,
        |v, a| {
            let (community, grid, building, unit) = match a.scope {
                Scope::Town => (None, None, None, None),
                Scope::Community(id) => (Some(id), None, None, None),
                Scope::Grid(id) => (None, Some(id), None, None),
                Scope::Building(id) => (None, None, Some(id), None),
                Scope::Unit(id) => (None, None, None, Some(id)),
            };
            v.bind(a.id)
                .bind(a.person_id)
                .bind(a.role.code())
                .bind(a.scope.level().code())
                .bind(community)
                .bind(grid)
                .bind(building)
                .bind(unit)
                .bind(a.starts_on.map(|d| d.to_string()))
                .bind(a.ends_on.map(|d| d.to_string()))
                .bind(a.version);
        },
    )
    .await
}
