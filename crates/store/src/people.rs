//! The people the command center calls on (`people`, `role_assignments`): who serves a grid, and their details.

use async_trait::async_trait;
use chengguan_core::audit::AuditDraft;
use chengguan_core::people::{Person, Role, ScopeLevel};
use chengguan_core::vocabulary::feed::Entity;
use uuid::Uuid;

use crate::changes::versioned_update;
use crate::rows::{GridPersonRow, PersonRow};
use crate::sql::query;
use crate::{audit, AnyStore, Result};

/// An edit of a person's details, made against the version that was read.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonEdit {
    /// The person.
    pub id: Uuid,
    /// The version the editor read.
    pub expected_version: i64,
    /// New name.
    pub name: String,
    /// New phone.
    pub phone: String,
    /// New party membership.
    pub party_member: bool,
}

/// A person serving a grid: assigned to the grid itself or to its community (e.g. the area police officer).
#[derive(Debug, Clone, PartialEq)]
pub struct GridPerson {
    /// The person.
    pub person: Person,
    /// The role held.
    pub role: Role,
    /// The level it is held at (`Grid` or `Community`).
    pub level: ScopeLevel,
}

/// Storage of the people and their assignments.
#[async_trait]
pub trait PeopleStore {
    /// The people serving a grid: its own assignments and those of its community, grid roles first.
    async fn grid_people(&self, grid_id: Uuid) -> Result<Vec<GridPerson>>;

    /// A person by identifier.
    async fn person(&self, id: Uuid) -> Result<Option<Person>>;

    /// Changes a person's details; returns the person as stored.
    async fn update_person(&self, edit: &PersonEdit, audit: &AuditDraft) -> Result<Person>;
}

const PERSON_COLUMNS: &str =
    "id, name, phone, id_number, party_member, gender, political_status, employer, version";

#[async_trait]
impl PeopleStore for AnyStore {
    #[tracing::instrument(skip_all, err)]
    async fn grid_people(&self, grid_id: Uuid) -> Result<Vec<GridPerson>> {
        // The 1+1+1 first (manager, police, patrol), then the roles in their declared order, then by name.
        let by_role: String = Role::ALL
            .iter()
            .enumerate()
            .map(|(i, r)| format!(" WHEN '{}' THEN {i}", r.code()))
            .collect();
        let rows: Vec<GridPersonRow> = query(format!(
            "SELECT p.id, p.name, p.phone, p.id_number, p.party_member, p.gender, p.political_status, \
             p.employer, p.version, a.role, a.level \
             FROM role_assignments a JOIN people p ON p.id = a.person_id \
             WHERE (a.grid_id = $1 \
                OR a.community_id = (SELECT community_id FROM grids WHERE id = $1)) \
               AND (a.ends_on IS NULL OR a.ends_on >= $2) \
             ORDER BY CASE a.role{by_role} ELSE 99 END, p.name"
        ))
        .bind(grid_id)
        .bind(crate::roster::today_text())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    #[tracing::instrument(skip_all, err)]
    async fn person(&self, id: Uuid) -> Result<Option<Person>> {
        let row: Option<PersonRow> =
            query(format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(Into::into))
    }

    #[tracing::instrument(skip_all, err)]
    async fn update_person(&self, edit: &PersonEdit, audit: &AuditDraft) -> Result<Person> {
        let mut tx = self.pool.begin().await?;
        let done = query(
            "UPDATE people SET name = $1, phone = $2, party_member = $3, version = version + 1 \
             WHERE id = $4 AND version = $5",
        )
        .bind(&edit.name)
        .bind(&edit.phone)
        .bind(edit.party_member)
        .bind(edit.id)
        .bind(edit.expected_version)
        .execute(&mut tx)
        .await?;
        versioned_update(
            &mut tx,
            Entity::Person,
            "people",
            edit.id,
            edit.expected_version,
            done,
        )
        .await?;
        audit::append(&mut tx, &self.audit_key, audit).await?;
        let row: PersonRow = query(format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"))
            .bind(edit.id)
            .fetch_one(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(row.into())
    }
}
