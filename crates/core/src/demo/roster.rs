//! The demo town's people: "1+1+1+N" per grid (a grid manager, the community's area police officer, patrol
//! members, and N volunteers, in-service party members and cadres), a head for every building and every unit,
//! the 130 community workers and 728 cadres of the seed report, mediators; and some history (building heads
//! replaced in mid-2025), so "who covered this building last year" has an answer.

use std::collections::HashSet;

use chrono::NaiveDate;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::population::identity;
use super::{counts, names, IdSource};
use crate::people::{Person, PoliticalStatus, Role, RoleAssignment, Scope};
use crate::town::{OrganisationKind, TownData};

/// When the current assignments began, and when the replaced building heads handed over.
fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Adds the roster to `data`.
pub(super) fn people(data: &mut TownData, rng: &mut ChaCha8Rng, ids: &mut IdSource) {
    let mut phones = HashSet::new();
    let mut add =
        |data: &mut TownData, rng: &mut ChaCha8Rng, role: Role, scope: Scope, party_share: f64| {
            let person = Person {
                id: ids.next(),
                name: names::person(rng),
                phone: names::phone(rng, &mut phones),
                id_number: None,
                party_member: rng.random_bool(party_share),
                gender: None,
                political_status: None,
                employer: None,
                version: 1,
            };
            data.assignments.push(RoleAssignment {
                id: ids.next(),
                person_id: person.id,
                role,
                scope,
                starts_on: day(2022, 3, 1),
                ends_on: None,
                version: 1,
            });
            data.people.push(person);
        };
    let communities: Vec<_> = data.communities.iter().map(|c| c.id).collect();
    for &c in &communities {
        add(data, rng, Role::AreaPolice, Scope::Community(c), 0.8);
    }
    let grids: Vec<_> = data.grids.iter().map(|g| g.id).collect();
    for &g in &grids {
        add(data, rng, Role::GridManager, Scope::Grid(g), 0.7);
    }
    // 90 patrol members: one per grid, a second in 31 grids.
    let mut second: Vec<_> = grids.clone();
    second.shuffle(rng);
    for &g in grids
        .iter()
        .chain(second.iter().take(counts::PATROL - grids.len()))
    {
        add(data, rng, Role::Patrol, Scope::Grid(g), 0.3);
    }
    let buildings: Vec<_> = data.buildings.iter().map(|b| b.id).collect();
    for &b in &buildings {
        add(data, rng, Role::BuildingHead, Scope::Building(b), 0.5);
    }
    let units: Vec<_> = data.units.iter().map(|u| u.id).collect();
    for u in units {
        add(data, rng, Role::UnitHead, Scope::Unit(u), 0.3);
    }

    // Everything below draws from its own generator, so the people above stay those of earlier releases.
    let mut rng = ChaCha8Rng::seed_from_u64(rng.random());
    let rng = &mut rng;
    // 130 community workers, spread over the 8 communities; a mediator or two in each.
    for i in 0..counts::COMMUNITY_WORKERS {
        let c = communities[i % communities.len()];
        add(data, rng, Role::CommunityWorker, Scope::Community(c), 0.6);
    }
    for (i, &c) in communities.iter().enumerate() {
        for _ in 0..(1 + i % 2) {
            add(data, rng, Role::Mediator, Scope::Community(c), 0.5);
        }
    }
    // 728 cadres assigned to grids (12 or 13 each), volunteers and in-service party members (双报到).
    for i in 0..counts::CADRES {
        add(
            data,
            rng,
            Role::Cadre,
            Scope::Grid(grids[i % grids.len()]),
            0.9,
        );
    }
    for &g in &grids {
        for _ in 0..rng.random_range(2..=6) {
            add(data, rng, Role::Volunteer, Scope::Grid(g), 0.2);
        }
        for _ in 0..rng.random_range(5..=10) {
            add(data, rng, Role::PartyMember, Scope::Grid(g), 1.0);
        }
    }

    // Who they are: gender, ID number, political status, employer.
    let agencies: Vec<String> = data
        .organisations
        .iter()
        .filter(|o| o.kind == OrganisationKind::MemberUnit)
        .map(|o| o.name.clone())
        .collect();
    let community_name = |id| {
        data.communities
            .iter()
            .find(|c| c.id == id)
            .map_or_else(String::new, |c| c.name.clone())
    };
    let roles: std::collections::HashMap<_, _> = data
        .assignments
        .iter()
        .map(|a| (a.person_id, (a.role, a.scope)))
        .collect();
    let grid_community: std::collections::HashMap<_, _> =
        data.grids.iter().map(|g| (g.id, g.community_id)).collect();
    let mut employers = Vec::with_capacity(data.people.len());
    for p in &data.people {
        let (role, scope) = roles[&p.id];
        let employer = match (role, scope) {
            (Role::AreaPolice, _) => Some("高台县公安局城关派出所".to_string()),
            (Role::CommunityWorker | Role::Mediator | Role::GridManager, Scope::Community(c)) => {
                Some(format!("{}居委会", community_name(c)))
            }
            (Role::GridManager, Scope::Grid(g)) => {
                Some(format!("{}居委会", community_name(grid_community[&g])))
            }
            (Role::Cadre | Role::PartyMember, _) => agencies.choose(rng).cloned(),
            _ => None,
        };
        employers.push(employer);
    }
    for (p, employer) in data.people.iter_mut().zip(employers) {
        let (role, _) = roles[&p.id];
        let ages = match role {
            Role::Volunteer => 18..=70,
            Role::BuildingHead | Role::UnitHead => 30..=75,
            _ => 23..=58,
        };
        let (gender, _, id) = identity(rng, ages);
        p.gender = Some(gender);
        p.id_number = Some(id);
        if role == Role::PartyMember {
            p.party_member = true;
        }
        p.political_status = Some(if p.party_member {
            PoliticalStatus::PartyMember
        } else if rng.random_bool(0.1) {
            PoliticalStatus::League
        } else {
            PoliticalStatus::Masses
        });
        p.employer = employer;
    }

    // History: one building in ten changed heads on 2025-07-01.
    let mut replaced: Vec<_> = buildings.clone();
    replaced.shuffle(rng);
    for &b in replaced.iter().take(buildings.len() / 10) {
        add(data, rng, Role::BuildingHead, Scope::Building(b), 0.4);
        let former = data.people.last_mut().expect("just added");
        let (gender, _, id) = identity(rng, 45..=80);
        former.gender = Some(gender);
        former.id_number = Some(id);
        former.political_status = Some(PoliticalStatus::Masses);
        let former_id = former.id;
        let n = data.assignments.len();
        data.assignments[n - 1].starts_on = day(2019, 5, 1);
        data.assignments[n - 1].ends_on = day(2025, 6, 30);
        debug_assert_eq!(data.assignments[n - 1].person_id, former_id);
        if let Some(current) = data
            .assignments
            .iter_mut()
            .find(|a| a.scope == Scope::Building(b) && a.ends_on.is_none())
        {
            current.starts_on = day(2025, 7, 1);
        }
    }
}
