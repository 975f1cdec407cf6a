//! The demo town's population database: households in every unit (nine in ten doors occupied), their members
//! with relations, ages that fit them, ID numbers valid by GB 11643-1999 whose region codes were in use when
//! each could have been issued (高台县's 622225 for most born before 2003, 620724 since, some neighbouring
//! counties'), phones for adults, and the marks communities keep.
//!
//! Generated apart from the town ([`super::generate`]): tens of thousands of rows are loaded by `chengguan demo`
//! and the desktop's first start, not by every test that needs a town.

use std::collections::HashSet;
use std::ops::RangeInclusive;

use chrono::{Datelike, Days, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{names, IdSource};
use crate::people::id_number::compose;
use crate::people::{Gender, Household, Relation, Resident, ResidentFlags};
use crate::town::TownData;

/// The day ages are counted to: the demo is the same whenever it is generated.
pub fn reference_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).expect("a date")
}

/// Neighbouring counties of 张掖 (codes since 2002): 甘州区, 民乐县, 临泽县, 山丹县.
const NEIGHBOURS: [&str; 4] = ["620702", "620722", "620723", "620725"];

/// A gender, birth date and valid ID number for someone whose age (on [`reference_day`]) is in `ages`.
pub fn identity(rng: &mut ChaCha8Rng, ages: RangeInclusive<u32>) -> (Gender, NaiveDate, String) {
    let male = rng.random_bool(0.5);
    let birth = birth(rng, ages);
    (
        if male { Gender::Male } else { Gender::Female },
        birth,
        id_for(rng, birth, male),
    )
}

fn birth(rng: &mut ChaCha8Rng, ages: RangeInclusive<u32>) -> NaiveDate {
    let age = rng.random_range(ages);
    let year = reference_day().year() - age as i32 - 1;
    NaiveDate::from_ymd_opt(year, 1, 1)
        .expect("a year")
        .checked_add_days(Days::new(rng.random_range(0..365)))
        .expect("a day")
}

fn id_for(rng: &mut ChaCha8Rng, birth: NaiveDate, male: bool) -> String {
    let region = if rng.random_bool(0.15) {
        *NEIGHBOURS.choose(rng).unwrap_or(&"620723")
    } else if birth.year() <= 2002 && rng.random_bool(0.9) {
        "622225"
    } else {
        "620724"
    };
    compose(region, birth, rng.random_range(0..1000), male)
}

/// [`id_for`], never one in `used` (two people born the same day in the same county differ in sequence).
fn unique_id(
    rng: &mut ChaCha8Rng,
    used: &mut HashSet<String>,
    birth: NaiveDate,
    male: bool,
) -> String {
    loop {
        let id = id_for(rng, birth, male);
        if used.insert(id.clone()) {
            return id;
        }
    }
}

/// The households and residents of the demo town.
#[derive(Debug, Clone, Default)]
pub struct Population {
    /// Households.
    pub households: Vec<Household>,
    /// Residents.
    pub residents: Vec<Resident>,
}

/// The demo town's population. The same town and seed always give the same people.
pub fn population(data: &TownData, seed: u64) -> Population {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0b0b_1a7e);
    let mut ids = IdSource(ChaCha8Rng::seed_from_u64(seed ^ 0x1d5_0b0b));
    let mut phones = HashSet::new();
    let mut ids_used = HashSet::new();
    let mut out = Population::default();
    let floors_of: std::collections::HashMap<_, _> =
        data.buildings.iter().map(|b| (b.id, b.floors)).collect();
    for unit in &data.units {
        let floors = floors_of
            .get(&unit.building_id)
            .copied()
            .unwrap_or(6)
            .max(1);
        let per_floor = (unit.households / floors).max(1);
        for door in 0..unit.households {
            if !rng.random_bool(0.9) {
                continue;
            }
            let household = Household {
                id: ids.next(),
                unit_id: unit.id,
                door: format!("{}{:02}", door / per_floor + 1, door % per_floor + 1),
                version: 1,
            };
            let low_income = rng.random_bool(0.03);
            members(
                &mut rng,
                &mut ids,
                (&mut phones, &mut ids_used),
                household.id,
                low_income,
                &mut out.residents,
            );
            out.households.push(household);
        }
    }
    out
}

/// The members of one household: a householder, often a spouse, children, sometimes a parent.
fn members(
    rng: &mut ChaCha8Rng,
    ids: &mut IdSource,
    (phones, used): (&mut HashSet<String>, &mut HashSet<String>),
    household: uuid::Uuid,
    low_income: bool,
    out: &mut Vec<Resident>,
) {
    let surname = names::person(rng).chars().next().unwrap_or('王');
    let head_male = rng.random_bool(0.7);
    let head_birth = birth(rng, 24..=88);
    let head_age = age(head_birth);
    let alone = head_age >= 70 && rng.random_bool(0.3);
    let mut people: Vec<(Relation, bool, NaiveDate, bool)> =
        vec![(Relation::Householder, head_male, head_birth, true)];
    if !alone && rng.random_bool(0.8) {
        let spouse_age = (head_age as i64 + rng.random_range(-4..=4)).clamp(20, 95) as u32;
        people.push((
            Relation::Spouse,
            !head_male,
            birth(rng, spouse_age..=spouse_age),
            false,
        ));
    }
    if !alone && head_age < 65 {
        for _ in 0..rng.random_range(0..=2) {
            let oldest = head_age.saturating_sub(21).max(1);
            people.push((
                Relation::Child,
                rng.random_bool(0.5),
                birth(rng, 0..=oldest.min(30)),
                true,
            ));
        }
        if head_age < 55 && rng.random_bool(0.15) {
            let parent_age = (head_age + rng.random_range(24..=30)).min(95);
            people.push((
                Relation::Parent,
                rng.random_bool(0.5),
                birth(rng, parent_age..=parent_age),
                false,
            ));
        }
    }
    for (relation, male, born, same_surname) in people {
        let a = age(born);
        let full = names::person(rng);
        let name = if same_surname {
            format!("{surname}{}", full.chars().skip(1).collect::<String>())
        } else {
            full
        };
        let party_member = a >= 18 && rng.random_bool(0.09);
        out.push(Resident {
            id: ids.next(),
            household_id: household,
            name,
            gender: Some(if male { Gender::Male } else { Gender::Female }),
            id_number: Some(unique_id(rng, used, born, male)),
            phone: if a >= 16 && rng.random_bool(0.85) {
                names::phone(rng, phones)
            } else {
                String::new()
            },
            relation,
            flags: ResidentFlags {
                party_member,
                elderly_alone: alone,
                disabled: rng.random_bool(0.02),
                low_income,
                veteran: male && a >= 40 && rng.random_bool(0.04),
                special_group: a >= 18 && rng.random_bool(0.005),
            },
            version: 1,
        });
    }
}

fn age(birth: NaiveDate) -> u32 {
    reference_day().years_since(birth).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::id_number::parse;

    #[test]
    fn tens_of_thousands_with_valid_ids_that_fit_their_ages() {
        let town = super::super::generate(super::super::DEFAULT_SEED);
        let pop = population(&town, super::super::DEFAULT_SEED);
        assert!(
            (40_000..100_000).contains(&pop.residents.len()),
            "{} residents",
            pop.residents.len()
        );
        let today = reference_day();
        let mut old_code = 0;
        let distinct: HashSet<_> = pop.residents.iter().map(|r| r.id_number.clone()).collect();
        assert_eq!(distinct.len(), pop.residents.len(), "ID numbers are unique");
        for r in &pop.residents {
            let id = r.id_number.as_deref().unwrap();
            let parsed = parse(id, today).unwrap_or_else(|e| panic!("{} {id}: {e}", r.name));
            assert_eq!(parsed.male, r.gender == Some(Gender::Male), "{id}");
            if parsed.region == "622225" {
                old_code += 1;
                assert!(parsed.birth.year() <= 2002, "{id}");
            }
        }
        assert!(
            old_code > pop.residents.len() / 3,
            "most adults carry 622225"
        );
        let again = population(&town, super::super::DEFAULT_SEED);
        assert_eq!(again.residents[..10], pop.residents[..10], "deterministic");
    }
}
