//! The rosters and the population database: search as you type, a person's card with their assignments past and
//! present, coverage (who covers which grid, building and unit, and where nobody does), households; the imports
//! and exports are in [`import`] and [`export`].
//!
//! Who sees what: everyone with `ViewPeople` reads the rosters masked; residents are read by roles with
//! `ViewResidents` (a grid worker only in their grid) and, among residents, party secretaries see party members
//! only (`ViewPartyMembers`). Searching by phone digits or an ID tail is audited, as is every reveal.

pub mod export;
pub mod import;

use std::collections::HashMap;
use std::sync::Arc;

use chengguan_core::access::Permission;
use chengguan_core::audit::AuditDraft;
use chengguan_core::people::coverage::{self, Coverage, Held};
use chengguan_core::people::search::{EntryKind, MatchKind, SearchEntry, SearchIndex};
use chengguan_core::people::{mask_id_number, mask_phone, Person, Role, RoleAssignment, Scope};
use chengguan_store::prelude::*;
use chengguan_store::Places;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use crate::access::{Actor, Session, UseCase};
use crate::{App, AppError, Result};

/// Results per group at most.
pub const SEARCH_LIMIT: usize = 30;

/// Words for every place, by row.
#[derive(Debug, Default)]
pub(crate) struct PlaceWords {
    /// Community id → name.
    pub community: HashMap<Uuid, String>,
    /// Grid id → (code, name).
    pub grid: HashMap<Uuid, (String, String)>,
    /// Building id → (grid id, `阳光小区 3号楼`).
    pub building: HashMap<Uuid, (Uuid, String)>,
    /// Unit id → (grid id, building id, `阳光小区 3号楼 2单元`).
    pub unit: HashMap<Uuid, (Uuid, Uuid, String)>,
}

impl PlaceWords {
    pub(crate) fn new(places: &Places) -> Self {
        let mut w = PlaceWords::default();
        for c in &places.communities {
            w.community.insert(c.id, c.name.clone());
        }
        for g in &places.grids {
            w.grid.insert(g.id, (g.code.clone(), g.name.clone()));
        }
        for b in places.coverage_buildings() {
            w.building.insert(b.id, (b.grid_id, b.name));
        }
        for u in &places.units {
            if let Some((grid, name)) = w.building.get(&u.building_id) {
                w.unit.insert(
                    u.id,
                    (*grid, u.building_id, format!("{name} {}单元", u.number)),
                );
            }
        }
        w
    }

    /// The words and the grid codes of a scope (a community's scope covers its grids).
    pub(crate) fn scope(&self, scope: Scope, places: &Places) -> (String, Vec<String>) {
        let grid_words = |g: &Uuid| self.grid.get(g).cloned().unwrap_or_default();
        match scope {
            Scope::Town => ("全镇".into(), Vec::new()),
            Scope::Community(c) => (
                self.community.get(&c).cloned().unwrap_or_default(),
                places
                    .grids
                    .iter()
                    .filter(|g| g.community_id == c)
                    .map(|g| g.code.clone())
                    .collect(),
            ),
            Scope::Grid(g) => {
                let (code, name) = grid_words(&g);
                (format!("{name}（{code}）"), vec![code])
            }
            Scope::Building(b) => match self.building.get(&b) {
                Some((g, name)) => {
                    let (code, grid) = grid_words(g);
                    (format!("{grid} {name}"), vec![code])
                }
                None => (String::new(), Vec::new()),
            },
            Scope::Unit(u) => match self.unit.get(&u) {
                Some((g, _, name)) => {
                    let (code, grid) = grid_words(g);
                    (format!("{grid} {name}"), vec![code])
                }
                None => (String::new(), Vec::new()),
            },
        }
    }
}

/// The rosters and residents in memory: the search index and what the results show.
#[derive(Debug)]
pub(crate) struct RosterIndex {
    pub index: SearchIndex,
    /// Per entry: the current roles' labels (people) or the relation (residents).
    pub roles: Vec<Vec<String>>,
    /// Per resident entry: its household.
    pub household: HashMap<Uuid, Uuid>,
}

impl App {
    /// Builds the index from the database (people with today's assignments, residents with their units).
    pub(crate) async fn build_roster_index(&self) -> Result<RosterIndex> {
        let today = self.today();
        let places = self.store.places().await?;
        let words = PlaceWords::new(&places);
        let mut held: HashMap<Uuid, Vec<RoleAssignment>> = HashMap::new();
        for a in self.store.assignments().await? {
            if a.assignment.held_on(today) {
                held.entry(a.assignment.person_id)
                    .or_default()
                    .push(a.assignment);
            }
        }
        let mut entries = Vec::new();
        let mut roles = Vec::new();
        for p in self.store.people().await? {
            let mine = held.remove(&p.id).unwrap_or_default();
            let mut place = Vec::new();
            let mut grids = Vec::new();
            let mut labels = Vec::new();
            for a in &mine {
                let (w, g) = words.scope(a.scope, &places);
                place.push(w);
                grids.extend(g);
                labels.push(a.role.label().to_string());
            }
            grids.sort();
            grids.dedup();
            let place = place.join("；");
            entries.push(SearchEntry {
                kind: EntryKind::Person,
                id: p.id,
                name: p.name,
                phone: p.phone,
                id_number: p.id_number.unwrap_or_default(),
                area: place.clone(),
                place,
                grids,
                party_member: p.party_member,
            });
            roles.push(labels);
        }
        let mut household = HashMap::new();
        for r in self.store.residents().await? {
            let (area, grids) = words.scope(Scope::Unit(r.unit_id), &places);
            let place = format!("{area} {}室", r.door);
            household.insert(r.resident.id, r.resident.household_id);
            roles.push(vec![r.resident.relation.label().to_string()]);
            entries.push(SearchEntry {
                kind: EntryKind::Resident,
                id: r.resident.id,
                name: r.resident.name,
                phone: r.resident.phone,
                id_number: r.resident.id_number.unwrap_or_default(),
                place,
                area,
                grids,
                party_member: r.resident.flags.party_member,
            });
        }
        Ok(RosterIndex {
            index: SearchIndex::new(entries),
            roles,
            household,
        })
    }

    /// Beijing's today, by the app's clock.
    pub fn today(&self) -> NaiveDate {
        self.clock
            .now()
            .with_timezone(&chengguan_core::time::beijing())
            .date_naive()
    }

    /// Searches people and residents as the user types. Results are ranked (an exact name first), grouped by
    /// kind and masked; a grid worker finds only those of their grid, a party secretary among residents only
    /// party members. A search by phone digits or an ID tail is audited.
    #[tracing::instrument(skip_all, err)]
    pub async fn search_roster(&self, session: &Session, query: &str) -> Result<SearchResults> {
        let actor = self.authorize(Some(session), UseCase::SearchPeople).await?;
        AppError::check_text("查询", query, 50, false)?;
        let index = self.roster_index().await?;
        let residents = resident_scope(&actor);
        let keep = |e: &SearchEntry| match e.kind {
            EntryKind::Person => actor
                .only_grid
                .as_ref()
                .is_none_or(|own| e.grids.iter().any(|g| g == own)),
            EntryKind::Resident => residents.sees(&e.grids, e.party_member),
        };
        // Digits find phones and ID numbers that lists mask: only for roles that may reveal them (otherwise a few
        // searches would spell out a masked number), and every such search is audited, found or not.
        let digits = query.chars().any(|c| c.is_ascii_digit());
        let may_reveal = chengguan_core::access::grants(&actor.roles, Permission::RevealPersonal);
        let mut people = Vec::new();
        let mut found = Vec::new();
        let mut by_digits = false;
        for hit in index.index.search(query, SEARCH_LIMIT * 2, keep) {
            let e = &index.index.entries()[hit.entry as usize];
            if matches!(hit.how, MatchKind::Phone | MatchKind::IdTail) {
                if !may_reveal {
                    continue;
                }
                by_digits = true;
            }
            let dto = SearchHit {
                id: e.id.to_string(),
                kind: match e.kind {
                    EntryKind::Person => "person",
                    EntryKind::Resident => "resident",
                }
                .into(),
                name: e.name.clone(),
                phone: mask_phone(&e.phone),
                id_number: mask_id_number(&e.id_number),
                place: e.place.clone(),
                roles: index.roles[hit.entry as usize].clone(),
                how: how_label(hit.how).into(),
                household: index.household.get(&e.id).map(Uuid::to_string),
            };
            match e.kind {
                EntryKind::Person if people.len() < SEARCH_LIMIT => people.push(dto),
                EntryKind::Resident if found.len() < SEARCH_LIMIT => found.push(dto),
                _ => {}
            }
        }
        if by_digits || (digits && may_reveal && query.trim().chars().count() >= 4) {
            let audit = AuditDraft::new(
                &actor.username,
                "person.search_digits",
                "people",
                json!({"query": query, "people": people.len(), "residents": found.len()}),
            );
            self.store.append_audit(&audit).await?;
        }
        Ok(SearchResults {
            people,
            residents: found,
        })
    }

    /// The index, from memory when fresh (rebuilt after this process changed people or residents, and every
    /// 30 seconds for other workstations' changes).
    pub(crate) async fn roster_index(&self) -> Result<Arc<RosterIndex>> {
        self.caches
            .roster
            .get(|| async { self.build_roster_index().await })
            .await
    }

    /// The roster: people holding a role today, filtered by role, community or grid (a grid worker: their own),
    /// masked; the newest assignments' places.
    #[tracing::instrument(skip_all, err)]
    pub async fn list_roster(
        &self,
        session: &Session,
        filter: RosterFilter,
    ) -> Result<Vec<RosterRow>> {
        let actor = self.authorize(Some(session), UseCase::ListRoster).await?;
        let mut rows = self.roster_rows(&actor, &filter).await?;
        rows.truncate(filter.limit.unwrap_or(5000).min(10_000));
        Ok(rows)
    }

    /// Every assignment held today that `filter` selects and `actor` may see, masked (no limit: exports).
    pub(crate) async fn roster_rows(
        &self,
        actor: &Actor,
        filter: &RosterFilter,
    ) -> Result<Vec<RosterRow>> {
        let today = self.today();
        let places = self.store.places().await?;
        let words = PlaceWords::new(&places);
        let role = match filter.role.as_deref().filter(|r| !r.is_empty()) {
            Some(code) => Some(Role::from_code(code).ok_or_else(|| AppError::Invalid {
                field: "角色",
                problem: format!("「{code}」不是已知的角色"),
            })?),
            None => None,
        };
        let people: HashMap<Uuid, Person> = self
            .store
            .people()
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut rows = Vec::new();
        for a in self.store.assignments().await? {
            let a = a.assignment;
            if !a.held_on(today) || role.is_some_and(|r| r != a.role) {
                continue;
            }
            let (place, grids) = words.scope(a.scope, &places);
            if let Some(own) = &actor.only_grid {
                if !grids.contains(own) {
                    continue;
                }
            }
            if let Some(g) = filter.grid.as_deref().filter(|g| !g.is_empty()) {
                if !grids.iter().any(|x| x == g) {
                    continue;
                }
            }
            if let Some(c) = filter.community.as_deref().filter(|c| !c.is_empty()) {
                let prefix = format!("{c}-");
                if !grids.iter().any(|x| x.starts_with(&prefix)) {
                    continue;
                }
            }
            let Some(p) = people.get(&a.person_id) else {
                continue;
            };
            rows.push(RosterRow {
                assignment: a.id.to_string(),
                person: p.id.to_string(),
                name: p.name.clone(),
                role: a.role.code().into(),
                role_label: a.role.label().into(),
                place,
                grids,
                phone: mask_phone(&p.phone),
                starts_on: a.starts_on.map(|d| d.to_string()),
            });
        }
        // By grid, then the roles in their declared order (the grid manager first), then by name.
        let rank = |code: &str| Role::ALL.iter().position(|r| r.code() == code);
        rows.sort_by(|a, b| {
            (&a.grids, rank(&a.role), &a.name).cmp(&(&b.grids, rank(&b.role), &b.name))
        });
        Ok(rows)
    }

    /// A person's card: details masked, assignments now and before. A grid worker: people of their grid only.
    #[tracing::instrument(skip_all, err)]
    pub async fn person_card(&self, session: &Session, person_id: &str) -> Result<PersonProfile> {
        let actor = self.authorize(Some(session), UseCase::PersonCard).await?;
        let not_found = || AppError::PersonNotFound(person_id.to_string());
        let id = Uuid::parse_str(person_id).map_err(|_| not_found())?;
        let p = self.store.person(id).await?.ok_or_else(not_found)?;
        let places = self.store.places().await?;
        let words = PlaceWords::new(&places);
        let today = self.today();
        let mut current = Vec::new();
        let mut past = Vec::new();
        let mut all_grids = Vec::new();
        for a in self.store.assignments_of(id).await? {
            let (place, grids) = words.scope(a.scope, &places);
            all_grids.extend(grids.clone());
            let dto = AssignmentView {
                role: a.role.code().into(),
                role_label: a.role.label().into(),
                level: a.scope.level().label().into(),
                place,
                grids,
                starts_on: a.starts_on.map(|d| d.to_string()),
                ends_on: a.ends_on.map(|d| d.to_string()),
            };
            if a.held_on(today) {
                current.push(dto);
            } else {
                past.push(dto);
            }
        }
        if let Some(own) = &actor.only_grid {
            if !all_grids.contains(own) {
                return Err(AppError::OutOfScope {
                    own: own.clone(),
                    asked: p.name,
                });
            }
        }
        Ok(PersonProfile {
            id: p.id.to_string(),
            name: p.name,
            gender: p.gender.map(|g| g.label().to_string()),
            phone: mask_phone(&p.phone),
            id_number: p.id_number.as_deref().map(mask_id_number),
            political_status: p.political_status.map(|s| s.label().to_string()),
            employer: p.employer,
            current,
            past,
        })
    }

    /// Who held a role at a building, unit or grid on a day (`阳光小区 3号楼` last year): the roster's history.
    #[tracing::instrument(skip_all, err)]
    pub async fn held_at(
        &self,
        session: &Session,
        place: &str,
        day: NaiveDate,
    ) -> Result<Vec<RosterRow>> {
        let actor = self.authorize(Some(session), UseCase::ListRoster).await?;
        let places = self.store.places().await?;
        let words = PlaceWords::new(&places);
        let people: HashMap<Uuid, Person> = self
            .store
            .people()
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut rows = Vec::new();
        for a in self.store.assignments().await? {
            let a = a.assignment;
            let (words_of, grids) = words.scope(a.scope, &places);
            if !a.held_on(day) || !words_of.contains(place) {
                continue;
            }
            if actor
                .only_grid
                .as_ref()
                .is_some_and(|own| !grids.contains(own))
            {
                continue;
            }
            if let Some(p) = people.get(&a.person_id) {
                rows.push(RosterRow {
                    assignment: a.id.to_string(),
                    person: p.id.to_string(),
                    name: p.name.clone(),
                    role: a.role.code().into(),
                    role_label: a.role.label().into(),
                    place: words_of,
                    grids,
                    phone: mask_phone(&p.phone),
                    starts_on: a.starts_on.map(|d| d.to_string()),
                });
            }
        }
        rows.sort_by(|a, b| (&a.place, &a.role).cmp(&(&b.place, &b.role)));
        Ok(rows)
    }

    /// Coverage of every grid (a grid worker: their own), with the gaps named; `overload` is the most units one
    /// person may cover (default 6).
    #[tracing::instrument(skip_all, err)]
    pub async fn roster_coverage(
        &self,
        session: &Session,
        overload: Option<usize>,
    ) -> Result<Coverage> {
        let actor = self
            .authorize(Some(session), UseCase::RosterCoverage)
            .await?;
        let mut c = self.coverage_now(overload).await?;
        if let Some(own) = &actor.only_grid {
            c.grids.retain(|g| &g.grid == own);
            c.gaps.retain(|g| &g.grid == own);
        }
        Ok(c)
    }

    /// Today's coverage of the whole town (no access check: callers check theirs).
    pub(crate) async fn coverage_now(&self, overload: Option<usize>) -> Result<Coverage> {
        let limit = overload.unwrap_or(coverage::DEFAULT_OVERLOAD);
        if !(1..=1000).contains(&limit) {
            return Err(AppError::Invalid {
                field: "单元上限",
                problem: format!("{limit} 超出范围（1–1000）"),
            });
        }
        let today = self.today();
        let places = self.store.places().await?;
        let held: Vec<Held> = self
            .store
            .assignments()
            .await?
            .into_iter()
            .filter(|a| a.assignment.held_on(today))
            .map(|a| Held {
                person_id: a.assignment.person_id,
                name: a.name,
                role: a.assignment.role,
                scope: a.assignment.scope,
            })
            .collect();
        Ok(coverage::coverage(
            &places.grids,
            &places.coverage_buildings(),
            &places.units,
            &held,
            limit,
        ))
    }

    /// A household and its members, masked. Roles that see residents; a grid worker only in their grid; a
    /// party secretary sees only the household's party members.
    #[tracing::instrument(skip_all, err)]
    pub async fn household(&self, session: &Session, household_id: &str) -> Result<HouseholdView> {
        let actor = self
            .authorize(Some(session), UseCase::ViewHousehold)
            .await?;
        let not_found = || AppError::NotFound {
            entity: "住户",
            key: household_id.to_string(),
        };
        let id = Uuid::parse_str(household_id).map_err(|_| not_found())?;
        let (h, members) = self.store.household(id).await?.ok_or_else(not_found)?;
        let places = self.store.places().await?;
        let words = PlaceWords::new(&places);
        let (place, grids) = words.scope(Scope::Unit(h.unit_id), &places);
        let scope = resident_scope(&actor);
        let members: Vec<_> = members
            .into_iter()
            .filter(|r| scope.sees(&grids, r.flags.party_member))
            .collect();
        if members.is_empty() {
            // Not even the address of a household none of whose members the user may see.
            return Err(not_found());
        }
        let members = members
            .into_iter()
            .map(|r| {
                let f = r.flags;
                let flags = [
                    (f.party_member, "党员"),
                    (f.elderly_alone, "独居老人"),
                    (f.disabled, "残疾人"),
                    (f.low_income, "低保"),
                    (f.veteran, "退役军人"),
                    (f.special_group, "重点人群"),
                ]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, l)| l.to_string())
                .collect();
                ResidentView {
                    id: r.id.to_string(),
                    name: r.name,
                    gender: r.gender.map(|g| g.label().to_string()),
                    relation: r.relation.label().into(),
                    phone: mask_phone(&r.phone),
                    id_number: r.id_number.as_deref().map(mask_id_number),
                    flags,
                }
            })
            .collect();
        Ok(HouseholdView {
            id: h.id.to_string(),
            place: format!("{place} {}室", h.door),
            grids,
            members,
        })
    }

    /// One resident's phone or ID number in clear, for a stated reason; audited. A grid worker: their grid only.
    #[tracing::instrument(skip_all, err)]
    pub async fn reveal_resident_field(
        &self,
        session: &Session,
        resident_id: &str,
        field: crate::people::PersonField,
        reason: &str,
    ) -> Result<String> {
        let actor = self
            .authorize(Some(session), UseCase::RevealResidentField)
            .await?;
        let reason = crate::audit::require_reason(reason)?;
        let not_found = || AppError::NotFound {
            entity: "居民",
            key: resident_id.to_string(),
        };
        let id = Uuid::parse_str(resident_id).map_err(|_| not_found())?;
        let r = self.store.resident(id).await?.ok_or_else(not_found)?;
        let places = self.store.places().await?;
        let (_, grids) = PlaceWords::new(&places).scope(Scope::Unit(r.unit_id), &places);
        if !resident_scope(&actor).sees(&grids, r.resident.flags.party_member) {
            return Err(not_found());
        }
        let value = match field {
            crate::people::PersonField::Phone => r.resident.phone.clone(),
            crate::people::PersonField::IdNumber => {
                r.resident.id_number.clone().unwrap_or_default()
            }
        };
        let audit = AuditDraft::new(
            &actor.username,
            "resident.reveal",
            format!("resident:{id}"),
            json!({"name": r.resident.name, "field": field.label()}),
        )
        .with_reason(reason);
        self.store.append_audit(&audit).await?;
        Ok(value)
    }

    /// Drops the roster index (after this process changed people or residents).
    pub(crate) fn forget_roster(&self) {
        self.caches.roster.forget();
    }
}

/// Which residents a user sees, decided role by role: a role that reads the whole town and the residents
/// (administrator, duty officer) sees all of them; a grid worker's role only those of the account's grid,
/// whatever other roles the account holds; a party secretary's only the party members. A user holding several
/// roles sees the union of what each role sees, never more than one of them alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResidentScope {
    all: bool,
    grid: Option<String>,
    party_members: bool,
}

impl ResidentScope {
    /// True when the user sees any resident.
    pub(crate) fn any(&self) -> bool {
        self.all || self.grid.is_some() || self.party_members
    }

    /// True when the user sees a resident of `grids` who is or is not a party member.
    pub(crate) fn sees(&self, grids: &[String], party_member: bool) -> bool {
        self.all
            || self.grid.as_ref().is_some_and(|own| grids.contains(own))
            || (self.party_members && party_member)
    }
}

pub(crate) fn resident_scope(actor: &Actor) -> ResidentScope {
    let mut scope = ResidentScope {
        all: false,
        grid: None,
        party_members: false,
    };
    for role in &actor.roles {
        let p = role.permissions();
        if p.contains(&Permission::ViewResidents) {
            if p.contains(&Permission::ViewTown) {
                scope.all = true;
            } else {
                scope.grid = Some(actor.grid_code.clone().unwrap_or_default());
            }
        }
        if p.contains(&Permission::ViewPartyMembers) {
            scope.party_members = true;
        }
    }
    scope
}

fn how_label(how: MatchKind) -> &'static str {
    match how {
        MatchKind::ExactName => "姓名",
        MatchKind::NamePrefix | MatchKind::NameContains => "姓名",
        MatchKind::Pinyin => "拼音",
        MatchKind::Phone => "电话",
        MatchKind::IdTail => "身份证尾号",
        MatchKind::Place => "地点",
    }
}

/// One search result, masked.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchHit {
    /// Person or resident id.
    pub id: String,
    /// `person` or `resident`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Phone, masked.
    pub phone: String,
    /// ID number, masked.
    pub id_number: String,
    /// Where they serve or live.
    pub place: String,
    /// Today's roles (people) or the relation to the householder (residents).
    pub roles: Vec<String>,
    /// What matched: 姓名, 拼音, 电话, 身份证尾号, 地点.
    pub how: String,
    /// A resident's household.
    pub household: Option<String>,
}

/// Search results, grouped.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchResults {
    /// People of the rosters.
    pub people: Vec<SearchHit>,
    /// Residents (for roles that see them).
    pub residents: Vec<SearchHit>,
}

/// Which part of the roster to list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct RosterFilter {
    /// A role's code.
    pub role: Option<String>,
    /// A community's code (`CG-04`).
    pub community: Option<String>,
    /// A grid's code.
    pub grid: Option<String>,
    /// Most rows listed (default 5,000, at most 10,000; an export has no limit).
    pub limit: Option<usize>,
}

/// One assignment held today, masked.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RosterRow {
    /// The assignment.
    pub assignment: String,
    /// The person.
    pub person: String,
    /// Name.
    pub name: String,
    /// Role code.
    pub role: String,
    /// Role label.
    pub role_label: String,
    /// Where, in words.
    pub place: String,
    /// The grids it covers.
    pub grids: Vec<String>,
    /// Phone, masked.
    pub phone: String,
    /// Since when.
    pub starts_on: Option<String>,
}

/// An assignment on a person's card.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AssignmentView {
    /// Role code.
    pub role: String,
    /// Role label.
    pub role_label: String,
    /// Level label.
    pub level: String,
    /// Where.
    pub place: String,
    /// The grids it covers.
    pub grids: Vec<String>,
    /// From.
    pub starts_on: Option<String>,
    /// To (none: still held).
    pub ends_on: Option<String>,
}

/// A person's card, masked.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PersonProfile {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// 男 or 女.
    pub gender: Option<String>,
    /// Phone, masked.
    pub phone: String,
    /// ID number, masked.
    pub id_number: Option<String>,
    /// 政治面貌.
    pub political_status: Option<String>,
    /// 单位.
    pub employer: Option<String>,
    /// Assignments held today.
    pub current: Vec<AssignmentView>,
    /// Assignments that ended (or begin later).
    pub past: Vec<AssignmentView>,
}

/// A resident in a household view, masked.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ResidentView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// 男 or 女.
    pub gender: Option<String>,
    /// 与户主关系.
    pub relation: String,
    /// Phone, masked.
    pub phone: String,
    /// ID number, masked.
    pub id_number: Option<String>,
    /// The community's marks, as labels.
    pub flags: Vec<String>,
}

/// A household and its members.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HouseholdView {
    /// Id.
    pub id: String,
    /// `阳光小区 3号楼 2单元 301室`.
    pub place: String,
    /// Its grid.
    pub grids: Vec<String>,
    /// Members, householder first.
    pub members: Vec<ResidentView>,
}

/// One grid's coverage, for the map layer and the grid panel.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GridCoverageView {
    /// Code.
    pub grid: String,
    /// Name.
    pub name: String,
    /// Grid managers.
    pub grid_managers: usize,
    /// Area police of the community.
    pub police: usize,
    /// Patrol members.
    pub patrol: usize,
    /// Volunteers, party members and cadres.
    pub n: usize,
    /// Buildings, and those with a head.
    pub buildings: usize,
    /// Buildings with a head.
    pub buildings_headed: usize,
    /// Units.
    pub units: usize,
    /// Units with a head.
    pub units_headed: usize,
    /// Gaps in the grid.
    pub gaps: usize,
    /// Share of posts filled, 0–1.
    pub filled: f64,
}

/// One gap, named.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GapView {
    /// Code (`no_unit_head`, …).
    pub kind: String,
    /// Label (`单元缺单元长`, …).
    pub label: String,
    /// Grid code.
    pub grid: String,
    /// The place, in words.
    pub place: String,
    /// For an overload: who, and how many units.
    pub person: Option<String>,
    /// For an overload: how many units.
    pub units: Option<usize>,
}

/// The town's coverage.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CoverageView {
    /// Per grid.
    pub grids: Vec<GridCoverageView>,
    /// Every gap.
    pub gaps: Vec<GapView>,
    /// Most units per person before an overload.
    pub overload_limit: usize,
}

impl From<Coverage> for CoverageView {
    fn from(c: Coverage) -> Self {
        CoverageView {
            grids: c
                .grids
                .into_iter()
                .map(|g| GridCoverageView {
                    grid: g.grid,
                    name: g.name,
                    grid_managers: g.grid_managers,
                    police: g.police,
                    patrol: g.patrol,
                    n: g.n,
                    buildings: g.buildings,
                    buildings_headed: g.buildings_headed,
                    units: g.units,
                    units_headed: g.units_headed,
                    gaps: g.gaps,
                    filled: g.filled,
                })
                .collect(),
            gaps: c
                .gaps
                .into_iter()
                .map(|g| GapView {
                    kind: g.kind.code().into(),
                    label: g.kind.label().into(),
                    grid: g.grid,
                    place: g.place,
                    person: g.person_name,
                    units: g.units,
                })
                .collect(),
            overload_limit: c.overload_limit,
        }
    }
}

impl App {
    /// [`App::roster_coverage`] for the wire.
    pub async fn coverage_view(
        &self,
        session: &Session,
        overload: Option<usize>,
    ) -> Result<CoverageView> {
        Ok(self.roster_coverage(session, overload).await?.into())
    }

    /// [`App::export_roster`] as a download.
    pub async fn roster_download(
        &self,
        session: &Session,
        filter: RosterFilter,
        reason: Option<&str>,
    ) -> Result<crate::api::Download> {
        let bytes = self.export_roster(session, filter, reason).await?;
        Ok(crate::api::Download {
            file_name: format!("人员名册-{}.xlsx", self.file_stamp()),
            bytes,
        })
    }

    /// [`App::export_residents`] as a download.
    pub async fn residents_download(
        &self,
        session: &Session,
        grid: Option<&str>,
        reason: Option<&str>,
    ) -> Result<crate::api::Download> {
        let bytes = self.export_residents(session, grid, reason).await?;
        Ok(crate::api::Download {
            file_name: format!("居民名单-{}.xlsx", self.file_stamp()),
            bytes,
        })
    }

    /// [`App::list_template`] as a download.
    pub async fn template_download(
        &self,
        session: &Session,
        kind: export::ListKind,
    ) -> Result<crate::api::Download> {
        let bytes = self.list_template(session, kind).await?;
        Ok(crate::api::Download {
            file_name: match kind {
                export::ListKind::Roster => "人员名册模板.xlsx",
                export::ListKind::Residents => "居民名单模板.xlsx",
            }
            .into(),
            bytes,
        })
    }
}
