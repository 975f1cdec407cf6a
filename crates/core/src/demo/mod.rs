//! The synthetic demo town: a deterministic (seeded) 城关镇 that reproduces every number of the seed report —
//! 8 communities, 59 grids, 28 grid party branches, 528 buildings and 1,599 units with one head each, 59 grid
//! managers, 8 area police, 90 patrol members, 8 alliances of 263 member units, 166 owners' committees,
//! 22 property companies and the service points. Real grid boundaries are not public: the geography is invented
//! (see [`layout`]) around the county seat at 39.376° N, 99.815° E, and the data is marked synthetic.

pub mod duty;
pub mod layout;
pub mod names;
pub mod petitions;
pub mod population;
mod roster;

use geo::{Coord, Point};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::geo::measure::LocalFrame;
use crate::town::{
    Alliance, AllianceMember, Building, Community, Compound, Grid, Organisation, OrganisationKind,
    PartyBranch, ServicePoint, ServicePointKind, TownData, Unit,
};

/// Administrative code of 高台县城关镇.
pub const TOWN_CODE: &str = "620724100";
/// The town's name.
pub const TOWN_NAME: &str = "城关镇";
/// The county seat (WGS-84 longitude, latitude), the centre of the demo town.
pub const TOWN_CENTRE: Coord<f64> = Coord {
    x: 99.815,
    y: 39.376,
};
/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 2022;

/// The seed report's numbers, which the demo reproduces exactly.
pub mod counts {
    /// Grid party branches (网格党支部).
    pub const PARTY_BRANCHES: usize = 28;
    /// Residential compounds (not in the report; enough for its owners' committees).
    pub const COMPOUNDS: usize = 180;
    /// Buildings (楼栋), one building head each.
    pub const BUILDINGS: usize = 528;
    /// Units (单元), one unit head each.
    pub const UNITS: usize = 1599;
    /// Patrol members (治安巡逻员).
    pub const PATROL: usize = 90;
    /// Community workers (社区工作者).
    pub const COMMUNITY_WORKERS: usize = 130;
    /// Cadres assigned to grids (包联干部).
    pub const CADRES: usize = 728;
    /// Alliance member units (机关、企业、社会组织).
    pub const MEMBER_UNITS: usize = 263;
    /// Owners' committees (业主委员会).
    pub const OWNERS_COMMITTEES: usize = 166;
    /// Property-management companies (物业公司).
    pub const PROPERTY_COMPANIES: usize = 22;
    /// Compounds served by a property company (the rest manage themselves).
    pub const MANAGED_COMPOUNDS: usize = 150;
    /// Community squares (社区广场).
    pub const COMMUNITY_SQUARES: usize = 5;
    /// Red owners' committee demonstration sites (红色业委会示范点).
    pub const RED_COMMITTEE_SITES: usize = 17;
}

/// Generates the demo town. The same seed always gives the same town (identifiers included).
pub fn generate(seed: u64) -> TownData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ids = IdSource(ChaCha8Rng::seed_from_u64(seed ^ 0x05ee_d1d5));
    let frame = LocalFrame::new(TOWN_CENTRE);
    let shapes = layout::grids(&mut rng, &frame);
    let communities = names::COMMUNITIES
        .iter()
        .enumerate()
        .map(|(k, name)| Community {
            id: ids.next(),
            code: format!("CG-{:02}", k + 1),
            name: name.to_string(),
            version: 1,
        })
        .collect();
    let mut data = TownData {
        communities,
        ..TownData::default()
    };

    // Grids, and the 28 party branches: four in the first four communities, three in the others.
    for (k, community) in data.communities.iter().enumerate() {
        let community_shapes: Vec<_> = shapes.iter().filter(|s| s.community == k).collect();
        let branch_count = if k < 4 { 4 } else { 3 };
        let per_branch = community_shapes.len().div_ceil(branch_count);
        let mut branch_id = None;
        for (i, shape) in community_shapes.iter().enumerate() {
            if i % per_branch == 0 {
                let b = PartyBranch {
                    id: ids.next(),
                    community_id: community.id,
                    name: format!(
                        "{}第{}网格党支部",
                        community.name,
                        names::chinese_numeral(i / per_branch + 1)
                    ),
                    version: 1,
                };
                branch_id = Some(b.id);
                data.party_branches.push(b);
            }
            data.grids.push(Grid {
                id: ids.next(),
                community_id: community.id,
                party_branch_id: branch_id,
                code: format!("CG-{:02}-{:02}", k + 1, shape.number),
                name: format!("{}第{}网格", community.name, shape.number),
                boundary: shape.boundary.clone(),
                boundary_version: 1,
                version: 1,
            });
        }
    }

    // Property companies first: compounds refer to them.
    let companies: Vec<Organisation> = names::property_companies(counts::PROPERTY_COMPANIES)
        .into_iter()
        .map(|name| {
            organisation(
                &mut ids,
                OrganisationKind::PropertyCompany,
                name,
                None,
                None,
            )
        })
        .collect();
    let compound_grid = spread(&mut rng, counts::COMPOUNDS, data.grids.len(), 3);
    let compound_names = names::compounds(&mut rng, counts::COMPOUNDS);
    let mut managed: Vec<bool> = (0..counts::COMPOUNDS)
        .map(|i| i < counts::MANAGED_COMPOUNDS)
        .collect();
    managed.shuffle(&mut rng);
    let mut compound_sites = Vec::with_capacity(counts::COMPOUNDS);
    for (i, name) in compound_names.into_iter().enumerate() {
        let grid = &data.grids[compound_grid[i]];
        let shape = &shapes[compound_grid[i]];
        compound_sites.push(shape.random_point(&mut rng, &frame, 0.2));
        data.compounds.push(Compound {
            id: ids.next(),
            grid_id: grid.id,
            name,
            property_company_id: managed[i]
                .then(|| companies[rng.random_range(0..companies.len())].id),
            version: 1,
        });
    }
    data.organisations.extend(companies);

    // Buildings: at least two per compound, near its site and inside its grid; units: about three per building.
    let building_compound = spread(&mut rng, counts::BUILDINGS, counts::COMPOUNDS, 2);
    let mut per_compound = vec![0; counts::COMPOUNDS];
    for &c in &building_compound {
        per_compound[c] += 1;
        let grid_index = compound_grid[c];
        let location = near(&mut rng, &frame, compound_sites[c], &shapes[grid_index]);
        data.buildings.push(Building {
            id: ids.next(),
            compound_id: data.compounds[c].id,
            grid_id: data.grids[grid_index].id,
            name: format!("{}号楼", per_compound[c]),
            location,
            floors: *[6, 6, 7, 11, 18].get(rng.random_range(0..5)).unwrap_or(&6),
            version: 1,
        });
    }
    let unit_building = spread(&mut rng, counts::UNITS, counts::BUILDINGS, 3);
    let mut per_building = vec![0; counts::BUILDINGS];
    for &b in &unit_building {
        per_building[b] += 1;
        data.units.push(Unit {
            id: ids.next(),
            building_id: data.buildings[b].id,
            number: per_building[b],
            households: data.buildings[b].floors * 2,
            version: 1,
        });
    }
    data.units.sort_by_key(|u| (u.building_id, u.number));

    organisations_and_alliances(&mut data, &mut rng, &mut ids);
    service_points(&mut data, &mut rng, &mut ids, &compound_sites);
    roster::people(&mut data, &mut rng, &mut ids);
    data
}

/// Deterministic UUIDs (v7 layout, random bits from the seed) so that the same seed gives the same rows.
pub(crate) struct IdSource(ChaCha8Rng);

impl IdSource {
    pub(crate) fn next(&mut self) -> Uuid {
        let bytes: [u8; 16] = self.0.random();
        // A fixed timestamp (2022-07-29, the seed report's date) keeps v7 ordering meaningful but deterministic.
        let millis: u64 = 1_659_052_800_000;
        let mut b = bytes;
        b[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
        b[6] = 0x70 | (b[6] & 0x0f);
        b[8] = 0x80 | (b[8] & 0x3f);
        Uuid::from_bytes(b)
    }
}

fn organisation(
    ids: &mut IdSource,
    kind: OrganisationKind,
    name: String,
    community_id: Option<Uuid>,
    compound_id: Option<Uuid>,
) -> Organisation {
    Organisation {
        id: ids.next(),
        kind,
        name,
        community_id,
        compound_id,
        version: 1,
    }
}

/// Assigns `items` things to `bins` bins: every bin gets `minimum`, the rest go to random bins. Returns the bin
/// of each item, grouped by bin.
fn spread(rng: &mut ChaCha8Rng, items: usize, bins: usize, minimum: usize) -> Vec<usize> {
    let mut out: Vec<usize> = (0..bins)
        .flat_map(|b| std::iter::repeat_n(b, minimum))
        .take(items)
        .collect();
    while out.len() < items {
        out.push(rng.random_range(0..bins));
    }
    out.sort_unstable();
    out
}

/// A point within about 40 m of `site`, inside the grid.
fn near(
    rng: &mut ChaCha8Rng,
    frame: &LocalFrame,
    site: Point<f64>,
    shape: &layout::GridShape,
) -> Point<f64> {
    use geo::Contains;
    let (e, n) = frame.to_metres(site.0);
    for _ in 0..50 {
        let p = Point(layout::round7(frame.to_lon_lat(
            e + rng.random_range(-40.0..40.0),
            n + rng.random_range(-40.0..40.0),
        )));
        if shape.boundary.contains(&p) {
            return p;
        }
    }
    site
}

fn organisations_and_alliances(data: &mut TownData, rng: &mut ChaCha8Rng, ids: &mut IdSource) {
    // Owners' committees for 166 of the 180 compounds.
    let mut with_committee: Vec<usize> = (0..data.compounds.len()).collect();
    with_committee.shuffle(rng);
    with_committee.truncate(counts::OWNERS_COMMITTEES);
    with_committee.sort_unstable();
    for &c in &with_committee {
        let compound = &data.compounds[c];
        let community = community_of_grid(data, compound.grid_id);
        let name = format!("{}业主委员会", compound.name);
        let org = organisation(
            ids,
            OrganisationKind::OwnersCommittee,
            name,
            Some(community),
            Some(compound.id),
        );
        data.organisations.push(org);
    }
    // Eight alliances, one per community; 263 member units shared out 33 × 7 + 32.
    let units = names::member_units(rng, counts::MEMBER_UNITS);
    let communities = data.communities.clone();
    for (k, community) in communities.iter().enumerate() {
        let alliance = Alliance {
            id: ids.next(),
            community_id: community.id,
            name: format!(
                "{}“1+X”区域化党建联盟",
                community.name.trim_end_matches("社区")
            ),
            version: 1,
        };
        for name in units.iter().skip(k).step_by(communities.len()) {
            let org = organisation(
                ids,
                OrganisationKind::MemberUnit,
                name.clone(),
                Some(community.id),
                None,
            );
            data.alliance_members.push(AllianceMember {
                alliance_id: alliance.id,
                organisation_id: org.id,
            });
            data.organisations.push(org);
        }
        data.alliances.push(alliance);
    }
}

fn community_of_grid(data: &TownData, grid_id: Uuid) -> Uuid {
    data.grids
        .iter()
        .find(|g| g.id == grid_id)
        .map(|g| g.community_id)
        .unwrap_or_default()
}

fn service_points(
    data: &mut TownData,
    rng: &mut ChaCha8Rng,
    ids: &mut IdSource,
    compound_sites: &[Point<f64>],
) {
    let mut point = |kind: ServicePointKind,
                     name: String,
                     community_id: Option<Uuid>,
                     location: Point<f64>| ServicePoint {
        id: ids.next(),
        kind,
        name,
        community_id,
        location,
        version: 1,
    };
    let site_in = |data: &TownData, rng: &mut ChaCha8Rng, community: Uuid| -> Point<f64> {
        let candidates: Vec<&Building> = data
            .buildings
            .iter()
            .filter(|b| community_of_grid(data, b.grid_id) == community)
            .collect();
        candidates[rng.random_range(0..candidates.len())].location
    };
    // The town's own governance center and mediation studio sit at the building nearest the centre.
    let centre = data
        .buildings
        .iter()
        .min_by(|a, b| {
            dist2(a.location.0, TOWN_CENTRE).total_cmp(&dist2(b.location.0, TOWN_CENTRE))
        })
        .map(|b| b.location)
        .unwrap_or(Point(TOWN_CENTRE));
    let mut points = vec![
        point(
            ServicePointKind::GovernanceCenter,
            format!("{TOWN_NAME}综治中心"),
            None,
            centre,
        ),
        point(
            ServicePointKind::MediationStudio,
            format!("{TOWN_NAME}矛盾纠纷调解工作室"),
            None,
            centre,
        ),
    ];
    let communities = data.communities.clone();
    for (k, c) in communities.iter().enumerate() {
        let site = site_in(data, rng, c.id);
        points.push(point(
            ServicePointKind::GovernanceCenter,
            format!("{}综治中心", c.name),
            Some(c.id),
            site,
        ));
        points.push(point(
            ServicePointKind::MediationStudio,
            format!("{}调解工作室", c.name),
            Some(c.id),
            site,
        ));
        if k < counts::COMMUNITY_SQUARES {
            let square = site_in(data, rng, c.id);
            points.push(point(
                ServicePointKind::CommunitySquare,
                format!("{}广场", c.name.trim_end_matches("社区")),
                Some(c.id),
                square,
            ));
        }
    }
    // Red owners' committee sites: compounds with both a committee and a property company.
    let committees: Vec<(Uuid, Uuid)> = data
        .organisations
        .iter()
        .filter(|o| o.kind == OrganisationKind::OwnersCommittee)
        .filter_map(|o| Some((o.compound_id?, o.community_id?)))
        .collect();
    let mut eligible: Vec<usize> = (0..data.compounds.len())
        .filter(|&i| {
            data.compounds[i].property_company_id.is_some()
                && committees.iter().any(|(c, _)| *c == data.compounds[i].id)
        })
        .collect();
    eligible.shuffle(rng);
    for &i in eligible.iter().take(counts::RED_COMMITTEE_SITES) {
        let compound = &data.compounds[i];
        let community = community_of_grid(data, compound.grid_id);
        points.push(point(
            ServicePointKind::RedCommitteeSite,
            format!("{}红色业委会示范点", compound.name),
            Some(community),
            compound_sites[i],
        ));
    }
    data.service_points = points;
}

fn dist2(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).powi(2) + (a.y - b.y).powi(2)
}

#[cfg(test)]
mod tests;
