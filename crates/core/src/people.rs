//! People and the roles they hold, each tied to the level it serves (town, community, grid, building or unit).

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
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// The level of the five-level chain at which a role is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeLevel {
    /// The whole town.
    Town,
    /// One community.
    Community,
    /// One grid.
    Grid,
    /// One building.
    Building,
    /// One unit of a building.
    Unit,
}

impl ScopeLevel {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Town => "town",
            Self::Community => "community",
            Self::Grid => "grid",
            Self::Building => "building",
            Self::Unit => "unit",
        }
    }

    /// The level with the given [`code`](Self::code).
    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Town,
            Self::Community,
            Self::Grid,
            Self::Building,
            Self::Unit,
        ]
        .into_iter()
        .find(|l| l.code() == code)
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

/// A role a person holds in the town's governance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 网格管理员: one per grid.
    GridManager,
    /// 片区民警: area police officer, one per community.
    AreaPolice,
    /// 治安巡逻员: patrol member of a grid.
    Patrol,
    /// 楼栋长: head of a building.
    BuildingHead,
    /// 单元长: head of a unit.
    UnitHead,
    /// 社区工作者: community worker.
    CommunityWorker,
    /// 调解员: mediator.
    Mediator,
    /// 在职党员: in-service party member registered in a grid.
    PartyMember,
    /// 志愿者: volunteer.
    Volunteer,
    /// 干部: cadre mobilised to the community (e.g. in epidemic control).
    Cadre,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 10] = [
        Self::GridManager,
        Self::AreaPolice,
        Self::Patrol,
        Self::BuildingHead,
        Self::UnitHead,
        Self::CommunityWorker,
        Self::Mediator,
        Self::PartyMember,
        Self::Volunteer,
        Self::Cadre,
    ];

    /// The stable code stored in the database and used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::GridManager => "grid_manager",
            Self::AreaPolice => "area_police",
            Self::Patrol => "patrol",
            Self::BuildingHead => "building_head",
            Self::UnitHead => "unit_head",
            Self::CommunityWorker => "community_worker",
            Self::Mediator => "mediator",
            Self::PartyMember => "party_member",
            Self::Volunteer => "volunteer",
            Self::Cadre => "cadre",
        }
    }

    /// The role with the given [`code`](Self::code).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Chinese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::GridManager => "网格管理员",
            Self::AreaPolice => "片区民警",
            Self::Patrol => "治安巡逻员",
            Self::BuildingHead => "楼栋长",
            Self::UnitHead => "单元长",
            Self::CommunityWorker => "社区工作者",
            Self::Mediator => "调解员",
            Self::PartyMember => "在职党员",
            Self::Volunteer => "志愿者",
            Self::Cadre => "下沉干部",
        }
    }

    /// The level at which the role is normally held (a role may be held at another level when a town needs it).
    pub fn usual_level(self) -> ScopeLevel {
        match self {
            Self::GridManager | Self::Patrol | Self::PartyMember | Self::Volunteer => {
                ScopeLevel::Grid
            }
            Self::AreaPolice | Self::CommunityWorker | Self::Mediator | Self::Cadre => {
                ScopeLevel::Community
            }
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
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// Masks a phone number for lists: `13812345678` → `138****5678`. Anything too short is masked whole.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
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
    fn masks_id_numbers_keeping_area_and_last_four() {
        assert_eq!(mask_id_number("620724199001011234"), "620724********1234");
        assert_eq!(mask_id_number("62072419"), "********");
    }

    #[test]
    fn masks_phone_keeping_three_and_four_digits() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(
            mask_phone("12345"),
            "*****",
            "short numbers are masked whole"
        );
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
