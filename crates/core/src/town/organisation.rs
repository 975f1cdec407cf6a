use crate::vocabulary::vocabulary;
use geo::Point;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

vocabulary! {
    /// What kind of organisation takes part in the town's governance.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum OrganisationKind as "ORGANISATION_KIND" {
        /// A member unit of an alliance: 机关、企业、社会组织.
        MemberUnit = ("member_unit", "联盟成员单位"),
        /// An owners' committee (业主委员会) of a compound.
        OwnersCommittee = ("owners_committee", "业主委员会"),
        /// A property-management company (物业公司).
        PropertyCompany = ("property_company", "物业公司"),
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

vocabulary! {
    /// What a service point is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ServicePointKind as "SERVICE_POINT_KIND" {
        /// 综治中心: comprehensive governance center.
        GovernanceCenter = ("governance_center", "综治中心"),
        /// 调解工作室: mediation studio.
        MediationStudio = ("mediation_studio", "调解工作室"),
        /// 社区广场: community square.
        CommunitySquare = ("community_square", "社区广场"),
        /// 红色业委会示范点: "red owners' committee" demonstration site.
        RedCommitteeSite = ("red_committee_site", "红色业委会示范点"),
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
