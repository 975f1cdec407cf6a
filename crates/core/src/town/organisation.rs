use geo::Point;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What kind of organisation takes part in the town's governance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// A member unit of an alliance: 机关、企业、社会组织.
    MemberUnit,
    /// An owners' committee (业主委员会) of a compound.
    OwnersCommittee,
    /// A property-management company (物业公司).
    PropertyCompany,
}

impl OrganisationKind {
    /// Every kind, in a stable order.
    pub const ALL: [OrganisationKind; 3] = [
        Self::MemberUnit,
        Self::OwnersCommittee,
        Self::PropertyCompany,
    ];

    /// The stable code stored in the database and used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::MemberUnit => "member_unit",
            Self::OwnersCommittee => "owners_committee",
            Self::PropertyCompany => "property_company",
        }
    }

    /// The kind with the given [`code`](Self::code).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Chinese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::MemberUnit => "联盟成员单位",
            Self::OwnersCommittee => "业主委员会",
            Self::PropertyCompany => "物业公司",
        }
    }
}

/// An organisation: a member unit, an owners' committee or a property company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// Identifier.
    pub id: Uuid,
    /// Kind.
    pub kind: OrganisationKind,
    /// Name, e.g. `高台县财政局`.
    pub name: String,
    /// The community it is located in or attached to, if any.
    pub community_id: Option<Uuid>,
    /// For an owners' committee: the compound it represents.
    pub compound_id: Option<Uuid>,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// A "1+X" regional party-building alliance (区域化党建联盟): a community's 大党委 plus X member organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alliance {
    /// Identifier.
    pub id: Uuid,
    /// The community whose 大党委 leads it (the "1").
    pub community_id: Uuid,
    /// Name.
    pub name: String,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// Membership of an organisation in an alliance (the "X").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllianceMember {
    /// The alliance.
    pub alliance_id: Uuid,
    /// The member organisation.
    pub organisation_id: Uuid,
}

/// What a service point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServicePointKind {
    /// 综治中心: comprehensive governance center.
    GovernanceCenter,
    /// 调解工作室: mediation studio.
    MediationStudio,
    /// 社区广场: community square.
    CommunitySquare,
    /// 红色业委会示范点: "red owners' committee" demonstration site.
    RedCommitteeSite,
}

impl ServicePointKind {
    /// Every kind, in a stable order.
    pub const ALL: [ServicePointKind; 4] = [
        Self::GovernanceCenter,
        Self::MediationStudio,
        Self::CommunitySquare,
        Self::RedCommitteeSite,
    ];

    /// The stable code stored in the database and used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::GovernanceCenter => "governance_center",
            Self::MediationStudio => "mediation_studio",
            Self::CommunitySquare => "community_square",
            Self::RedCommitteeSite => "red_committee_site",
        }
    }

    /// The kind with the given [`code`](Self::code).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Chinese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::GovernanceCenter => "综治中心",
            Self::MediationStudio => "调解工作室",
            Self::CommunitySquare => "社区广场",
            Self::RedCommitteeSite => "红色业委会示范点",
        }
    }
}

/// A place where the town serves residents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePoint {
    /// Identifier.
    pub id: Uuid,
    /// Kind.
    pub kind: ServicePointKind,
    /// Name.
    pub name: String,
    /// The community it belongs to; `None` for the town's own.
    pub community_id: Option<Uuid>,
    /// Location in WGS-84 longitude/latitude degrees.
    pub location: Point<f64>,
    /// Row version for optimistic concurrency.
    pub version: i64,
}
