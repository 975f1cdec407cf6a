//! The demo town's people: "1+1+1+N" per grid (a grid manager, the community's area police officer, patrol
//! members) plus a head for every building and every unit.

use std::collections::HashSet;

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{counts, names, IdSource};
use crate::people::{Person, Role, RoleAssignment, Scope};
use crate::town::TownData;

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
                version: 1,
            };
            data.assignments.push(RoleAssignment {
                id: ids.next(),
                person_id: person.id,
                role,
                scope,
                version: 1,
            });
            data.people.push(person);
        };
    let communities: Vec<_> = data.communities.iter().map(|c| c.id).collect();
    for c in communities {
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
    for b in buildings {
        add(data, rng, Role::BuildingHead, Scope::Building(b), 0.5);
    }
    let units: Vec<_> = data.units.iter().map(|u| u.id).collect();
    for u in units {
        add(data, rng, Role::UnitHead, Scope::Unit(u), 0.3);
    }
}
