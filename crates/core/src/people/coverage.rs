//! Coverage: does every grid have its "1+1+1+N" (a grid manager, the community's area police officer, a patrol
//! member, and N volunteers, in-service party members or cadres), every building a head and every unit a head;
//! and does anyone cover more units than one person can (default 6)?
//!
//! A person's units are the units they head plus the units of the buildings they head, counted once.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Role, Scope};
use crate::vocabulary::vocabulary;

/// The default most units one person may cover before it is called an overload.
pub const DEFAULT_OVERLOAD: usize = 6;

/// A grid, as coverage needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct GridPlace {
    /// Row.
    pub id: Uuid,
    /// Code, e.g. `CG-01-01`.
    pub code: String,
    /// Name, e.g. `东关社区第1网格`.
    pub name: String,
    /// Its community.
    pub community_id: Uuid,
}

/// A building, as coverage needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingPlace {
    /// Row.
    pub id: Uuid,
    /// Its grid.
    pub grid_id: Uuid,
    /// Compound and building, e.g. `阳光小区 3号楼`.
    pub name: String,
}

/// A unit, as coverage needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPlace {
    /// Row.
    pub id: Uuid,
    /// Its building.
    pub building_id: Uuid,
    /// Its number in the building.
    pub number: i32,
}

/// An assignment held today, with the person's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// The person.
    pub person_id: Uuid,
    /// Their name.
    pub name: String,
    /// The role.
    pub role: Role,
    /// Where.
    pub scope: Scope,
}

vocabulary! {
    /// What is missing or too much.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum GapKind as "GAP_KIND" {
        /// No grid manager.
        NoGridManager = ("no_grid_manager", "缺网格管理员"),
        /// The grid's community has no area police officer.
        NoPolice = ("no_police", "缺片区民警"),
        /// No patrol member.
        NoPatrol = ("no_patrol", "缺治安巡逻员"),
        /// No volunteer, party member or cadre (the N of 1+1+1+N).
        NoVolunteers = ("no_volunteers", "缺志愿者与党员"),
        /// A building without a head.
        NoBuildingHead = ("no_building_head", "楼栋缺楼栋长"),
        /// A unit without a head.
        NoUnitHead = ("no_unit_head", "单元缺单元长"),
        /// One person covers more units than the limit.
        Overload = ("overload", "一人包联单元过多"),
    }
}

/// One gap, named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// What is missing.
    pub kind: GapKind,
    /// The grid's code.
    pub grid: String,
    /// The place, in words (`东关社区第1网格`, `阳光小区 3号楼 2单元`).
    pub place: String,
    /// For an overload: the person.
    pub person: Option<Uuid>,
    /// For an overload: their name.
    pub person_name: Option<String>,
    /// For an overload: how many units they cover.
    pub units: Option<usize>,
}

/// One grid's team and gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCoverage {
    /// Code.
    pub grid: String,
    /// Name.
    pub name: String,
    /// Grid managers.
    pub grid_managers: usize,
    /// Area police officers of the grid's community.
    pub police: usize,
    /// Patrol members.
    pub patrol: usize,
    /// Volunteers, in-service party members and cadres (the N).
    pub n: usize,
    /// Buildings.
    pub buildings: usize,
    /// Buildings with a head.
    pub buildings_headed: usize,
    /// Units.
    pub units: usize,
    /// Units with a head.
    pub units_headed: usize,
    /// Gaps in this grid (overloads included).
    pub gaps: usize,
    /// Share of the posts filled, 0–1: the four posts of 1+1+1+N, every building head and every unit head.
    pub filled: f64,
}

/// The town's coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Per grid, by code.
    pub grids: Vec<GridCoverage>,
    /// Every gap, by grid then kind.
    pub gaps: Vec<Gap>,
    /// The overload limit used.
    pub overload_limit: usize,
}

/// Computes coverage from the town's places and today's assignments.
pub fn coverage(
    grids: &[GridPlace],
    buildings: &[BuildingPlace],
    units: &[UnitPlace],
    held: &[Held],
    overload_limit: usize,
) -> Coverage {
    let building_of: HashMap<Uuid, &BuildingPlace> = buildings.iter().map(|b| (b.id, b)).collect();
    let mut units_of: HashMap<Uuid, Vec<&UnitPlace>> = HashMap::new();
    for u in units {
        units_of.entry(u.building_id).or_default().push(u);
    }
    let mut by_grid: HashMap<Uuid, [usize; 4]> = HashMap::new();
    let mut police: HashMap<Uuid, usize> = HashMap::new();
    let mut headed_buildings = HashSet::new();
    let mut headed_units = HashSet::new();
    let mut covers: BTreeMap<(String, Uuid), HashSet<Uuid>> = BTreeMap::new();
    for h in held {
        match (h.role, h.scope) {
            (Role::GridManager, Scope::Grid(g)) => by_grid.entry(g).or_default()[0] += 1,
            (Role::Patrol, Scope::Grid(g)) => by_grid.entry(g).or_default()[2] += 1,
            (Role::Volunteer | Role::PartyMember | Role::Cadre, Scope::Grid(g)) => {
                by_grid.entry(g).or_default()[3] += 1
            }
            (Role::AreaPolice, Scope::Community(c)) => *police.entry(c).or_default() += 1,
            (Role::BuildingHead, Scope::Building(b)) => {
                headed_buildings.insert(b);
                let set = covers.entry((h.name.clone(), h.person_id)).or_default();
                set.extend(units_of.get(&b).into_iter().flatten().map(|u| u.id));
            }
            (Role::UnitHead, Scope::Unit(u)) => {
                headed_units.insert(u);
                covers
                    .entry((h.name.clone(), h.person_id))
                    .or_default()
                    .insert(u);
            }
            _ => {}
        }
    }
    let grid_of_unit = |u: &UnitPlace| building_of.get(&u.building_id).map(|b| b.grid_id);
    let mut gaps: Vec<Gap> = Vec::new();
    let code_of: HashMap<Uuid, &GridPlace> = grids.iter().map(|g| (g.id, g)).collect();
    let gap = |kind, grid: &GridPlace, place: String| Gap {
        kind,
        grid: grid.code.clone(),
        place,
        person: None,
        person_name: None,
        units: None,
    };
    for g in grids {
        let [managers, _, patrol, n] = by_grid.get(&g.id).copied().unwrap_or_default();
        if managers == 0 {
            gaps.push(gap(GapKind::NoGridManager, g, g.name.clone()));
        }
        if police.get(&g.community_id).copied().unwrap_or(0) == 0 {
            gaps.push(gap(GapKind::NoPolice, g, g.name.clone()));
        }
        if patrol == 0 {
            gaps.push(gap(GapKind::NoPatrol, g, g.name.clone()));
        }
        if n == 0 {
            gaps.push(gap(GapKind::NoVolunteers, g, g.name.clone()));
        }
    }
    for b in buildings {
        if !headed_buildings.contains(&b.id) {
            if let Some(g) = code_of.get(&b.grid_id) {
                gaps.push(gap(GapKind::NoBuildingHead, g, b.name.clone()));
            }
        }
    }
    for u in units {
        if !headed_units.contains(&u.id) {
            let b = building_of.get(&u.building_id);
            if let Some(g) = b.and_then(|b| code_of.get(&b.grid_id)) {
                let place = format!("{} {}单元", b.map_or("", |b| b.name.as_str()), u.number);
                gaps.push(gap(GapKind::NoUnitHead, g, place));
            }
        }
    }
    let unit_by_id: HashMap<Uuid, &UnitPlace> = units.iter().map(|u| (u.id, u)).collect();
    for ((name, person), set) in &covers {
        if set.len() > overload_limit {
            // The grid where most of their units are.
            let mut count: HashMap<Uuid, usize> = HashMap::new();
            for u in set.iter().filter_map(|u| unit_by_id.get(u)) {
                if let Some(g) = grid_of_unit(u) {
                    *count.entry(g).or_default() += 1;
                }
            }
            let grid = count
                .into_iter()
                .max_by_key(|(g, n)| (*n, *g))
                .and_then(|(g, _)| code_of.get(&g));
            if let Some(g) = grid {
                gaps.push(Gap {
                    kind: GapKind::Overload,
                    grid: g.code.clone(),
                    place: g.name.clone(),
                    person: Some(*person),
                    person_name: Some(name.clone()),
                    units: Some(set.len()),
                });
            }
        }
    }
    gaps.sort_by(|a, b| (&a.grid, a.kind, &a.place).cmp(&(&b.grid, b.kind, &b.place)));
    let mut per_grid: Vec<GridCoverage> = grids
        .iter()
        .map(|g| {
            let [grid_managers, _, patrol, n] = by_grid.get(&g.id).copied().unwrap_or_default();
            let bs: Vec<&BuildingPlace> = buildings.iter().filter(|b| b.grid_id == g.id).collect();
            let us: Vec<&UnitPlace> = bs
                .iter()
                .flat_map(|b| units_of.get(&b.id).into_iter().flatten().copied())
                .collect();
            let buildings_headed = bs
                .iter()
                .filter(|b| headed_buildings.contains(&b.id))
                .count();
            let units_headed = us.iter().filter(|u| headed_units.contains(&u.id)).count();
            let police = police.get(&g.community_id).copied().unwrap_or(0);
            let posts = 4 + bs.len() + us.len();
            let filled_posts = [grid_managers, police, patrol, n]
                .iter()
                .filter(|c| **c > 0)
                .count()
                + buildings_headed
                + units_headed;
            GridCoverage {
                grid: g.code.clone(),
                name: g.name.clone(),
                grid_managers,
                police,
                patrol,
                n,
                buildings: bs.len(),
                buildings_headed,
                units: us.len(),
                units_headed,
                gaps: gaps.iter().filter(|x| x.grid == g.code).count(),
                filled: filled_posts as f64 / posts as f64,
            }
        })
        .collect();
    per_grid.sort_by(|a, b| a.grid.cmp(&b.grid));
    Coverage {
        grids: per_grid,
        gaps,
        overload_limit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_vacancies_and_overloads() {
        let c = Uuid::now_v7();
        let g = GridPlace {
            id: Uuid::now_v7(),
            code: "CG-01-01".into(),
            name: "第1网格".into(),
            community_id: c,
        };
        let b = BuildingPlace {
            id: Uuid::now_v7(),
            grid_id: g.id,
            name: "阳光小区 3号楼".into(),
        };
        let b2 = BuildingPlace {
            id: Uuid::now_v7(),
            grid_id: g.id,
            name: "阳光小区 4号楼".into(),
        };
        let units: Vec<UnitPlace> = (1..=8)
            .map(|n| UnitPlace {
                id: Uuid::now_v7(),
                building_id: if n <= 4 { b.id } else { b2.id },
                number: n,
            })
            .collect();
        let busy = Uuid::now_v7();
        let mut held = vec![
            Held {
                person_id: Uuid::now_v7(),
                name: "甲".into(),
                role: Role::GridManager,
                scope: Scope::Grid(g.id),
            },
            Held {
                person_id: Uuid::now_v7(),
                name: "乙".into(),
                role: Role::AreaPolice,
                scope: Scope::Community(c),
            },
            Held {
                person_id: busy,
                name: "丙".into(),
                role: Role::BuildingHead,
                scope: Scope::Building(b.id),
            },
        ];
        // 丙 heads building 3 (units 1–4) and units 1–3 of building 4 as well: 7 units.
        for u in &units[..7] {
            held.push(Held {
                person_id: busy,
                name: "丙".into(),
                role: Role::UnitHead,
                scope: Scope::Unit(u.id),
            });
        }
        let cov = coverage(
            std::slice::from_ref(&g),
            &[b, b2],
            &units,
            &held,
            DEFAULT_OVERLOAD,
        );
        let kinds: Vec<GapKind> = cov.gaps.iter().map(|x| x.kind).collect();
        assert_eq!(
            kinds,
            vec![
                GapKind::NoPatrol,
                GapKind::NoVolunteers,
                GapKind::NoBuildingHead,
                GapKind::NoUnitHead,
                GapKind::Overload
            ]
        );
        assert_eq!(cov.gaps[3].place, "阳光小区 4号楼 8单元");
        assert_eq!(cov.gaps[4].units, Some(7));
        let gc = &cov.grids[0];
        assert_eq!((gc.buildings_headed, gc.units_headed, gc.gaps), (1, 7, 5));
        assert!((gc.filled - 10.0 / 14.0).abs() < 1e-9);
    }
}
