//! People and the roles they hold, each tied to the level it serves (town, community, grid, building or unit);
//! the residents of the population database; ID numbers, pinyin, search and coverage.

pub mod coverage;
pub mod id_number;
pub mod pinyin;
pub mod search;

use crate::vocabulary::vocabulary;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A person known to the command center: staff, volunteers, building and unit heads.
///
/// `phone` and `id_number` are personal data: shown masked unless the viewer may reveal them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Identifier.
    pub id: Uuid,
    /// Full name, e.g. `王丽`.
    pub name: String,
    /// Mobile phone number (11 digits).
    pub phone: String,
    /// Resident ID number (GB 11643), when known.
    pub id_number: Option<String>,
    /// True for members of the Communist Party of China.
    pub party_member: bool,
    /// Gender, when known.
    pub gender: Option<Gender>,
    /// Political status (政治面貌), when known.
    pub political_status: Option<PoliticalStatus>,
    /// Employer or organisation (单位), when known.
    pub employer: Option<String>,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

vocabulary! {
    /// Gender, as the ID number's sequence digit states it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Gender as "GENDER" {
        /// 男.
        Male = ("male", "男"),
        /// 女.
        Female = ("female", "女"),
    }
}

vocabulary! {
    /// Political status (政治面貌) as registers list it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PoliticalStatus as "POLITICAL_STATUS" {
        /// 中共党员.
        PartyMember = ("party_member", "中共党员"),
        /// 中共预备党员.
        Probationary = ("probationary", "中共预备党员"),
        /// 共青团员.
        League = ("league", "共青团员"),
        /// 民主党派.
        Democratic = ("democratic", "民主党派"),
        /// 群众.
        Masses = ("masses", "群众"),
    }
}

impl PoliticalStatus {
    /// True for full and probationary members of the Communist Party of China.
    pub fn is_party_member(self) -> bool {
        matches!(self, Self::PartyMember | Self::Probationary)
    }
}

vocabulary! {
    /// A resident's relation to the householder (与户主关系).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Relation as "RELATION" {
        /// 户主.
        Householder = ("householder", "户主"),
        /// 配偶.
        Spouse = ("spouse", "配偶"),
        /// 子女.
        Child = ("child", "子女"),
        /// 父母.
        Parent = ("parent", "父母"),
        /// 孙子女.
        Grandchild = ("grandchild", "孙子女"),
        /// 兄弟姐妹.
        Sibling = ("sibling", "兄弟姐妹"),
        /// 其他.
        Other = ("other", "其他"),
    }
}

/// A household (户) living in a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    /// Identifier.
    pub id: Uuid,
    /// The unit it lives in.
    pub unit_id: Uuid,
    /// Its door (门牌号), e.g. `301`.
    pub door: String,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// The marks a community keeps on a resident.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentFlags {
    /// 党员.
    pub party_member: bool,
    /// 独居老人.
    pub elderly_alone: bool,
    /// 残疾人.
    pub disabled: bool,
    /// 低保.
    pub low_income: bool,
    /// 退役军人.
    pub veteran: bool,
    /// 重点人群.
    pub special_group: bool,
}

/// A resident of the population database, a member of one household.
///
/// `phone` and `id_number` are personal data, masked in lists; the flags are sensitive too (a grid worker sees
/// them only for their own grid).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resident {
    /// Identifier.
    pub id: Uuid,
    /// The household.
    pub household_id: Uuid,
    /// Full name.
    pub name: String,
    /// Gender.
    pub gender: Option<Gender>,
    /// Resident ID number (GB 11643).
    pub id_number: Option<String>,
    /// Phone, possibly empty (children).
    pub phone: String,
    /// Relation to the householder.
    pub relation: Relation,
    /// The community's marks.
    pub flags: ResidentFlags,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

vocabulary! {
    /// The level of the five-level chain at which a role is held.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ScopeLevel as "SCOPE_LEVEL" {
        /// The whole town.
        Town = ("town", "全镇"),
        /// One community.
        Community = ("community", "社区"),
        /// One grid.
        Grid = ("grid", "网格"),
        /// One building.
        Building = ("building", "楼栋"),
        /// One unit of a building.
        Unit = ("unit", "单元"),
    }
}

/// Where a role assignment applies: the level and the row of that level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "level", content = "id", rename_all = "snake_case")]
pub enum Scope {
    /// The whole town.
    Town,
    /// A community.
    Community(Uuid),
    /// A grid.
    Grid(Uuid),
    /// A building.
    Building(Uuid),
    /// A unit.
    Unit(Uuid),
}

impl Scope {
    /// The level of this scope.
    pub fn level(self) -> ScopeLevel {
        match self {
            Self::Town => ScopeLevel::Town,
            Self::Community(_) => ScopeLevel::Community,
            Self::Grid(_) => ScopeLevel::Grid,
            Self::Building(_) => ScopeLevel::Building,
            Self::Unit(_) => ScopeLevel::Unit,
        }
    }

    /// The row the scope names (`None` for the town).
    pub fn target(self) -> Option<Uuid> {
        match self {
            Self::Town => None,
            Self::Community(id) | Self::Grid(id) | Self::Building(id) | Self::Unit(id) => Some(id),
        }
    }

    /// Builds a scope from its level and target; `None` when a target is missing or superfluous.
    pub fn from_parts(level: ScopeLevel, target: Option<Uuid>) -> Option<Self> {
        match (level, target) {
            (ScopeLevel::Town, None) => Some(Self::Town),
            (ScopeLevel::Community, Some(id)) => Some(Self::Community(id)),
            (ScopeLevel::Grid, Some(id)) => Some(Self::Grid(id)),
            (ScopeLevel::Building, Some(id)) => Some(Self::Building(id)),
            (ScopeLevel::Unit, Some(id)) => Some(Self::Unit(id)),
            _ => None,
        }
    }
}

vocabulary! {
    /// A role a person holds in the town's governance.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Role as "PEOPLE_ROLE" {
        /// 网格管理员: one per grid.
        GridManager = ("grid_manager", "网格管理员"),
        /// 片区民警: area police officer, one per community.
        AreaPolice = ("area_police", "片区民警"),
        /// 治安巡逻员: patrol member of a grid.
        Patrol = ("patrol", "治安巡逻员"),
        /// 楼栋长: head of a building.
        BuildingHead = ("building_head", "楼栋长"),
        /// 单元长: head of a unit.
        UnitHead = ("unit_head", "单元长"),
        /// 社区工作者: community worker.
        CommunityWorker = ("community_worker", "社区工作者"),
        /// 调解员: mediator.
        Mediator = ("mediator", "调解员"),
        /// 在职党员: in-service party member registered in a grid.
        PartyMember = ("party_member", "在职党员"),
        /// 志愿者: volunteer.
        Volunteer = ("volunteer", "志愿者"),
        /// 包联干部: a cadre of a county or town office assigned to a grid (mobilised in epidemic control).
        Cadre = ("cadre", "包联干部"),
    }
}

impl Role {
    /// The level at which the role is normally held (a role may be held at another level when a town needs it).
    pub fn usual_level(self) -> ScopeLevel {
        match self {
            Self::GridManager
            | Self::Patrol
            | Self::PartyMember
            | Self::Volunteer
            | Self::Cadre => ScopeLevel::Grid,
            Self::AreaPolice | Self::CommunityWorker | Self::Mediator => ScopeLevel::Community,
            Self::BuildingHead => ScopeLevel::Building,
            Self::UnitHead => ScopeLevel::Unit,
        }
    }
}

/// A person holding a role at a scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleAssignment {
    /// Identifier.
    pub id: Uuid,
    /// The person.
    pub person_id: Uuid,
    /// The role.
    pub role: Role,
    /// Where it applies.
    pub scope: Scope,
    /// First day (None: before the records began).
    pub starts_on: Option<NaiveDate>,
    /// Last day (None: still held). History is kept: an assignment that ends is closed, never deleted.
    pub ends_on: Option<NaiveDate>,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

impl RoleAssignment {
    /// True when the assignment is held on `day`.
    pub fn held_on(&self, day: NaiveDate) -> bool {
        self.starts_on.is_none_or(|s| s <= day) && self.ends_on.is_none_or(|e| e >= day)
    }
}

/// Masks a phone number for lists: `13812345678` → `138******78`, `0936-1234567` → `093*-*****67`.
///
/// Whatever its length or separators, at most the first 3 and the last 2–4 digits show, and never more than
/// half of its digits (so a 7-digit landline shows 1 + 2, an 8-digit one 2 + 2, a mobile 3 + 2); fewer than
/// four digits are masked whole. Separators and other characters keep their place, so the shape stays
/// recognisable. A digit is any Unicode numeric character (full-width `１３８` counts).
pub fn mask_phone(phone: &str) -> String {
    let digits = phone.chars().filter(|c| c.is_numeric()).count();
    let budget = digits / 2;
    let tail = if digits < 4 {
        0
    } else {
        budget.saturating_sub(3).clamp(2, 4)
    };
    let head = if digits < 4 {
        0
    } else {
        (budget - tail).min(3)
    };
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if !c.is_numeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > digits - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Masks a name for lists and exports: the first character stays, `王丽` → `王*`, `欧阳娜娜` → `欧***`.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
    }
}

/// Masks a resident ID number (GB 11643, 18 characters) for lists: the 6-digit area code and the last 4 stay,
/// `620724199001011234` → `620724********1234`. Anything shorter than 11 characters is masked whole.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 11 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_names_keeping_the_first_character() {
        assert_eq!(mask_name("王丽"), "王*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn masks_id_numbers_keeping_area_and_last_four() {
        assert_eq!(mask_id_number("620724199001011234"), "620724********1234");
        assert_eq!(mask_id_number("62072419"), "********");
    }

    #[test]
    fn masks_phone_keeping_at_most_half_of_the_digits() {
        assert_eq!(mask_phone("13812345678"), "138******78");
        assert_eq!(mask_phone("0936-1234567"), "093*-*****67");
        assert_eq!(
            mask_phone("8812345"),
            "8****45",
            "a 7-digit landline shows 3 of 7"
        );
        assert_eq!(
            mask_phone("88123456"),
            "88****56",
            "an 8-digit landline shows 4 of 8"
        );
        assert_eq!(mask_phone("+86 138 1234 5678"), "+86 1** **** *678");
        assert_eq!(mask_phone("123"), "***", "short numbers are masked whole");
        assert_eq!(mask_phone(""), "");
    }

    /// How many of `phone`'s digits `masked` shows in all, at its start and at its end.
    fn shown(phone: &str, masked: &str) -> (usize, usize, usize) {
        assert_eq!(
            phone.chars().count(),
            masked.chars().count(),
            "each character keeps its place"
        );
        let out: Vec<bool> = phone
            .chars()
            .zip(masked.chars())
            .filter(|(p, _)| p.is_numeric())
            .map(|(p, m)| p == m)
            .collect();
        let head = out.iter().take_while(|s| **s).count();
        let tail = out.iter().rev().take_while(|s| **s).count();
        let shown = out.iter().filter(|s| **s).count();
        (shown, head.min(shown), tail.min(shown))
    }

    proptest::proptest! {
        #[test]
        fn r11_short_phone_numbers_are_masked(
            digits in proptest::collection::vec(0u8..10, 0..21),
            dash in proptest::option::of(1usize..8),
        ) {
            let mut phone: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            if let Some(at) = dash.filter(|d| *d < phone.len()) {
                phone.insert(at, '-');
            }
            let masked = mask_phone(&phone);
            let (shown, head, tail) = shown(&phone, &masked);
            let n = digits.len();
            proptest::prop_assert!(shown * 2 <= n, "{phone} → {masked}: more than half of {n} digits shown");
            proptest::prop_assert!(head <= 3, "{phone} → {masked}: more than the first 3 digits");
            proptest::prop_assert!(tail <= 4, "{phone} → {masked}: more than the last 4 digits");
            proptest::prop_assert!(n < 4 || tail >= 2, "{phone} → {masked}: the last 2 digits should show");
            proptest::prop_assert_eq!(masked.replace('*', "0").len(), phone.len(), "shape kept");
        }

        #[test]
        fn r11_any_phone_text_shows_at_most_half_its_digits(phone in "\\PC{0,30}") {
            let masked = mask_phone(&phone);
            let (shown, _, _) = shown(&phone, &masked);
            let n = phone.chars().filter(|c| c.is_numeric()).count();
            proptest::prop_assert!(shown * 2 <= n, "{phone:?} → {masked:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(
                Role::from_code(role.code()),
                Some(role),
                "role code {} must round-trip",
                role.code()
            );
        }
    }
}
