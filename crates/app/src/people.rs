//! Personal data beyond the masked lists: revealing one field and exporting the grid rosters, each with a
//! reason and an audit entry naming who, when, whose data and why.

use chengguan_core::audit::AuditDraft;
use chengguan_store::prelude::*;
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use crate::access::{Actor, Session, UseCase};
use crate::audit::require_reason;
use crate::{App, AppError, Result};

/// A field of a person that lists mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    /// Mobile phone.
    Phone,
    /// Resident ID number (GB 11643).
    IdNumber,
}

impl PersonField {
    pub(crate) fn label(self) -> &'static str {
        match self {
            PersonField::Phone => "电话",
            PersonField::IdNumber => "身份证号",
        }
    }
}

impl App {
    /// One field of one person in clear, for a stated reason; recorded in the audit log. A grid worker may
    /// reveal only the people serving their own grid.
    #[tracing::instrument(skip_all, err)]
    pub async fn reveal_person_field(
        &self,
        session: &Session,
        person_id: &str,
        field: PersonField,
        reason: &str,
    ) -> Result<String> {
        let actor = self
            .authorize(Some(session), UseCase::RevealPersonField)
            .await?;
        let reason = require_reason(reason)?;
        let not_found = || AppError::PersonNotFound(person_id.to_string());
        let id = Uuid::parse_str(person_id).map_err(|_| not_found())?;
        let person = self.store.person(id).await?.ok_or_else(not_found)?;
        self.require_person_in_scope(&actor, id, &person.name)
            .await?;
        let value = match field {
            PersonField::Phone => person.phone.clone(),
            PersonField::IdNumber => person.id_number.clone().unwrap_or_default(),
        };
        let audit = AuditDraft::new(
            &actor.username,
            "person.reveal",
            format!("person:{id}"),
            json!({"name": person.name, "field": field.label()}),
        )
        .with_reason(reason);
        self.store.append_audit(&audit).await?;
        Ok(value)
    }

    /// The people serving every grid (grid and community roles) with phones and ID numbers in clear, as an
    /// xlsx workbook, for a stated reason; recorded in the audit log.
    #[tracing::instrument(skip_all, err)]
    pub async fn export_people(&self, session: &Session, reason: &str) -> Result<Vec<u8>> {
        let actor = self.authorize(Some(session), UseCase::ExportPeople).await?;
        let reason = require_reason(reason)?;
        let mut rows = Vec::new();
        for grid in self.store.grids().await? {
            for p in self.store.grid_people(grid.id).await? {
                rows.push(vec![
                    grid.code.clone(),
                    grid.name.clone(),
                    p.role.label().to_string(),
                    p.person.name,
                    p.person.phone,
                    p.person.id_number.unwrap_or_default(),
                ]);
            }
        }
        let bytes = crate::xlsx::workbook(
            "网格人员名册",
            &["网格编码", "网格名称", "职责", "姓名", "电话", "身份证号"],
            rows.iter().cloned(),
        )?;
        let audit = AuditDraft::new(
            &actor.username,
            "person.export",
            "people:grid_roster",
            json!({"rows": rows.len()}),
        )
        .with_reason(reason);
        self.store.append_audit(&audit).await?;
        Ok(bytes)
    }

    async fn require_person_in_scope(&self, actor: &Actor, person: Uuid, name: &str) -> Result<()> {
        let Some(own) = &actor.only_grid else {
            return Ok(());
        };
        let grid = self
            .store
            .grids()
            .await?
            .into_iter()
            .find(|g| &g.code == own);
        let serves = match grid {
            Some(g) => self
                .store
                .grid_people(g.id)
                .await?
                .iter()
                .any(|p| p.person.id == person),
            None => false,
        };
        if serves {
            Ok(())
        } else {
            Err(AppError::OutOfScope {
                own: own.clone(),
                asked: name.to_string(),
            })
        }
    }
}
