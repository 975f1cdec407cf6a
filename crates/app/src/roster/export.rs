//! Exporting the roster and the residents' list to `.xlsx`, in the columns the import reads (an export can be
//! edited and imported back), and the blank templates. Personal data is masked unless exported in clear, which
//! needs `ExportPersonal` and a reason, and is audited.

use std::collections::HashMap;

use chengguan_core::audit::AuditDraft;
use chengguan_core::people::{mask_id_number, mask_name, mask_phone, Scope};
use chengguan_store::prelude::*;
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use super::import::header_of;
use super::{resident_scope, PlaceWords, RosterFilter};
use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// The roster's columns, as the import reads them.
const ROSTER_KEYS: [&str; 13] = [
    "name",
    "gender",
    "id",
    "phone",
    "role",
    "community",
    "grid",
    "compound",
    "building",
    "unit",
    "political",
    "employer",
    "starts_on",
];
/// The residents' columns, as the import reads them.
const RESIDENT_KEYS: [&str; 17] = [
    "name",
    "gender",
    "id",
    "phone",
    "relation",
    "grid",
    "compound",
    "building",
    "unit",
    "door",
    "party_member",
    "elderly_alone",
    "disabled",
    "low_income",
    "veteran",
    "special_group",
    "community",
];

/// Which list a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// 人员名册.
    Roster,
    /// 居民名单.
    Residents,
}

/// The names of a unit's places: (community, grid code, compound, building, unit number).
fn unit_parts(
    places: &chengguan_store::Places,
    unit: Uuid,
) -> Option<(String, String, String, String, String)> {
    let u = places.units.iter().find(|u| u.id == unit)?;
    building_parts(places, u.building_id)
        .map(|(c, g, cp, b)| (c, g, cp, b, format!("{}单元", u.number)))
}

fn building_parts(
    places: &chengguan_store::Places,
    building: Uuid,
) -> Option<(String, String, String, String)> {
    let b = places.buildings.iter().find(|b| b.id == building)?;
    let (community, grid) = grid_parts(places, b.grid_id)?;
    let compound = places.compounds.iter().find(|c| c.id == b.compound_id)?;
    Some((community, grid, compound.name.clone(), b.name.clone()))
}

fn grid_parts(places: &chengguan_store::Places, grid: Uuid) -> Option<(String, String)> {
    let g = places.grids.iter().find(|g| g.id == grid)?;
    let c = places.communities.iter().find(|c| c.id == g.community_id)?;
    Some((c.name.clone(), g.code.clone()))
}

impl App {
    /// The roster as filtered, as an xlsx workbook: masked, or in clear with a reason (audited).
    #[tracing::instrument(skip_all, err)]
    pub async fn export_roster(
        &self,
        session: &Session,
        filter: RosterFilter,
        reason: Option<&str>,
    ) -> Result<Vec<u8>> {
        let clear = reason.is_some();
        let actor = self
            .authorize(
                Some(session),
                if clear {
                    UseCase::ExportPeople
                } else {
                    UseCase::ExportRoster
                },
            )
            .await?;
        let reason = reason.map(crate::audit::require_reason).transpose()?;
        let listed = self.roster_rows(&actor, &filter).await?;
        let places = self.store.places().await?;
        let people: HashMap<Uuid, chengguan_core::people::Person> = self
            .store
            .people()
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let scopes: HashMap<String, Scope> = self
            .store
            .assignments()
            .await?
            .into_iter()
            .map(|a| (a.assignment.id.to_string(), a.assignment.scope))
            .collect();
        let mut rows = Vec::new();
        for r in &listed {
            let Ok(id) = Uuid::parse_str(&r.person) else {
                continue;
            };
            let Some(p) = people.get(&id) else { continue };
            let (community, grid, compound, building, unit) = match scopes.get(&r.assignment) {
                Some(Scope::Unit(u)) => unit_parts(&places, *u).unwrap_or_default(),
                Some(Scope::Building(b)) => building_parts(&places, *b)
                    .map(|(c, g, cp, b)| (c, g, cp, b, String::new()))
                    .unwrap_or_default(),
                Some(Scope::Grid(g)) => grid_parts(&places, *g)
                    .map(|(c, g)| (c, g, String::new(), String::new(), String::new()))
                    .unwrap_or_default(),
                Some(Scope::Community(c)) => (
                    places
                        .communities
                        .iter()
                        .find(|x| x.id == *c)
                        .map(|x| x.name.clone())
                        .unwrap_or_default(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ),
                _ => Default::default(),
            };
            let id_number = p.id_number.clone().unwrap_or_default();
            rows.push(vec![
                if clear {
                    p.name.clone()
                } else {
                    mask_name(&p.name)
                },
                p.gender.map(|g| g.label().to_string()).unwrap_or_default(),
                if clear {
                    id_number
                } else {
                    mask_id_number(&id_number)
                },
                if clear {
                    p.phone.clone()
                } else {
                    mask_phone(&p.phone)
                },
                r.role_label.clone(),
                community,
                grid,
                compound,
                building,
                unit,
                p.political_status
                    .map(|s| s.label().to_string())
                    .unwrap_or_default(),
                p.employer.clone().unwrap_or_default(),
                r.starts_on.clone().unwrap_or_default(),
            ]);
        }
        let header: Vec<&str> = ROSTER_KEYS.iter().map(|k| header_of(k)).collect();
        let bytes = crate::xlsx::workbook("人员名册", &header, rows.iter().cloned())?;
        let audit = AuditDraft::new(
            &actor.username,
            if clear {
                "roster.export_clear"
            } else {
                "roster.export"
            },
            "people",
            json!({"rows": rows.len(), "role": filter.role, "community": filter.community, "grid": filter.grid}),
        );
        let audit = match reason {
            Some(r) => audit.with_reason(r),
            None => audit,
        };
        self.store.append_audit(&audit).await?;
        Ok(bytes)
    }

    /// The residents (of one grid, or all the user may see) as an xlsx workbook: masked, or in clear with a
    /// reason (audited).
    #[tracing::instrument(skip_all, err)]
    pub async fn export_residents(
        &self,
        session: &Session,
        grid: Option<&str>,
        reason: Option<&str>,
    ) -> Result<Vec<u8>> {
        let clear = reason.is_some();
        let actor = self
            .authorize(
                Some(session),
                if clear {
                    UseCase::ExportResidentsInClear
                } else {
                    UseCase::ExportResidents
                },
            )
            .await?;
        let reason = reason.map(crate::audit::require_reason).transpose()?;
        let scope = resident_scope(&actor);
        if !scope.any() {
            return Err(AppError::Invalid {
                field: "居民",
                problem: "当前角色不能查看居民信息".into(),
            });
        }
        let places = self.store.places().await?;
        let words = PlaceWords::new(&places);
        let mut rows = Vec::new();
        let yes = |b: bool| if b { "是" } else { "" }.to_string();
        for r in self.store.residents().await? {
            let (_, grids) = words.scope(Scope::Unit(r.unit_id), &places);
            if !scope.sees(&grids, r.resident.flags.party_member)
                || grid.is_some_and(|g| !grids.iter().any(|x| x == g))
            {
                continue;
            }
            let (community, grid_code, compound, building, unit) =
                unit_parts(&places, r.unit_id).unwrap_or_default();
            let p = &r.resident;
            let id_number = p.id_number.clone().unwrap_or_default();
            let f = p.flags;
            rows.push(vec![
                if clear {
                    p.name.clone()
                } else {
                    mask_name(&p.name)
                },
                p.gender.map(|g| g.label().to_string()).unwrap_or_default(),
                if clear {
                    id_number
                } else {
                    mask_id_number(&id_number)
                },
                if clear {
                    p.phone.clone()
                } else {
                    mask_phone(&p.phone)
                },
                p.relation.label().to_string(),
                grid_code,
                compound,
                building,
                unit,
                r.door.clone(),
                yes(f.party_member),
                yes(f.elderly_alone),
                yes(f.disabled),
                yes(f.low_income),
                yes(f.veteran),
                yes(f.special_group),
                community,
            ]);
        }
        rows.sort();
        let header: Vec<&str> = RESIDENT_KEYS.iter().map(|k| header_of(k)).collect();
        let bytes = crate::xlsx::workbook("居民名单", &header, rows.iter().cloned())?;
        let audit = AuditDraft::new(
            &actor.username,
            if clear {
                "resident.export_clear"
            } else {
                "resident.export"
            },
            "residents",
            json!({"rows": rows.len(), "grid": grid}),
        );
        let audit = match reason {
            Some(r) => audit.with_reason(r),
            None => audit,
        };
        self.store.append_audit(&audit).await?;
        Ok(bytes)
    }

    /// A blank workbook with the columns the import reads (ID numbers and phones as text, so Excel keeps every
    /// digit).
    pub async fn list_template(&self, session: &Session, kind: ListKind) -> Result<Vec<u8>> {
        self.authorize(Some(session), UseCase::ListTemplate).await?;
        let (sheet, keys): (&str, &[&str]) = match kind {
            ListKind::Roster => ("人员名册", &ROSTER_KEYS),
            ListKind::Residents => ("居民名单", &RESIDENT_KEYS),
        };
        let header: Vec<&str> = keys.iter().map(|k| header_of(k)).collect();
        crate::xlsx::template(sheet, &header, &[header_of("id"), header_of("phone")])
    }
}
