use std::collections::{HashMap, HashSet};

use geo::Contains;

use super::*;
use crate::geo::tiling::check_tiling;
use crate::people::Role;

#[test]
fn reproduces_the_seed_numbers() {
    let town = generate(DEFAULT_SEED);
    assert_eq!(town.communities.len(), 8, "communities");
    assert_eq!(town.grids.len(), 59, "grids");
    assert_eq!(town.party_branches.len(), 28, "grid party branches");
    assert_eq!(town.buildings.len(), 528, "buildings");
    assert_eq!(town.units.len(), 1599, "units");
    assert_eq!(town.alliances.len(), 8, "alliances");
    let by_kind = |k| town.organisations.iter().filter(|o| o.kind == k).count();
    assert_eq!(by_kind(OrganisationKind::MemberUnit), 263, "member units");
    assert_eq!(
        by_kind(OrganisationKind::OwnersCommittee),
        166,
        "owners' committees"
    );
    assert_eq!(
        by_kind(OrganisationKind::PropertyCompany),
        22,
        "property companies"
    );
    assert_eq!(
        town.alliance_members.len(),
        263,
        "every member unit belongs to an alliance"
    );
    let by_role = |r| {
        town.assignments
            .iter()
            .filter(|a| a.role == r && a.ends_on.is_none())
            .count()
    };
    assert_eq!(by_role(Role::GridManager), 59);
    assert_eq!(by_role(Role::AreaPolice), 8);
    assert_eq!(by_role(Role::Patrol), 90);
    assert_eq!(by_role(Role::BuildingHead), 528);
    assert_eq!(by_role(Role::UnitHead), 1599);
    assert_eq!(by_role(Role::CommunityWorker), 130);
    assert_eq!(by_role(Role::Cadre), 728);
    let by_point = |k| town.service_points.iter().filter(|p| p.kind == k).count();
    assert_eq!(by_point(ServicePointKind::GovernanceCenter), 9);
    assert_eq!(by_point(ServicePointKind::MediationStudio), 9);
    assert_eq!(by_point(ServicePointKind::CommunitySquare), 5);
    assert_eq!(by_point(ServicePointKind::RedCommitteeSite), 17);
}

#[test]
fn one_head_per_building_and_unit_and_one_manager_per_grid() {
    let town = generate(DEFAULT_SEED);
    let scopes = |role| {
        town.assignments
            .iter()
            .filter(|a| a.role == role)
            .filter_map(|a| a.scope.target())
            .collect::<HashSet<_>>()
    };
    assert_eq!(
        scopes(Role::BuildingHead),
        town.buildings.iter().map(|b| b.id).collect(),
        "every building has its own head"
    );
    assert_eq!(
        scopes(Role::UnitHead),
        town.units.iter().map(|u| u.id).collect(),
        "every unit has its own head"
    );
    assert_eq!(
        scopes(Role::GridManager),
        town.grids.iter().map(|g| g.id).collect(),
        "every grid has its own manager"
    );
    let phones: HashSet<_> = town.people.iter().map(|p| &p.phone).collect();
    assert_eq!(phones.len(), town.people.len(), "phone numbers are unique");
}

#[test]
fn is_deterministic() {
    let (a, b) = (generate(7), generate(7));
    assert_eq!(a.grids, b.grids, "the same seed gives the same grids");
    assert_eq!(a.people, b.people, "the same seed gives the same people");
    assert_ne!(
        generate(8).people,
        a.people,
        "another seed gives another roster"
    );
}

#[test]
fn grids_tile_one_area_near_the_county_seat() {
    let town = generate(DEFAULT_SEED);
    let shapes: Vec<_> = town.grids.iter().map(|g| g.boundary.clone()).collect();
    let report = check_tiling(&shapes, 0.01);
    assert!(
        report.is_clean_tiling(),
        "demo grids must tile cleanly: {report:?}"
    );
    let km2 = report.union_area_m2 / 1e6;
    assert!(
        (2.0..8.0).contains(&km2),
        "the town should cover a few km², got {km2:.2}"
    );
    let centroid =
        geo::Centroid::centroid(&crate::geo::tiling::union_of(&shapes)).expect("non-empty");
    let off = crate::geo::measure::distance_m(centroid.0, TOWN_CENTRE);
    assert!(
        off < 2000.0,
        "the town's centre is {off:.0} m from the county seat"
    );
    for g in &town.grids {
        use geo::Validation;
        assert!(
            g.boundary.is_valid(),
            "grid {} is not a valid polygon",
            g.code
        );
    }
}

#[test]
fn communities_are_contiguous_and_buildings_inside_their_grids() {
    let town = generate(DEFAULT_SEED);
    for c in &town.communities {
        let shapes: Vec<_> = town
            .grids
            .iter()
            .filter(|g| g.community_id == c.id)
            .map(|g| g.boundary.clone())
            .collect();
        let report = check_tiling(&shapes, 0.01);
        assert_eq!(
            report.pieces, 1,
            "community {} must be one contiguous piece",
            c.name
        );
    }
    let grids: HashMap<_, _> = town.grids.iter().map(|g| (g.id, g)).collect();
    for b in &town.buildings {
        assert!(
            grids[&b.grid_id].boundary.contains(&b.location),
            "building {} lies outside grid {}",
            b.name,
            grids[&b.grid_id].code
        );
    }
}
