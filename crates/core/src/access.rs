//! Who may do what: the user roles of the command center, their permissions, and the password policy.
//!
//! The roles follow the issue of 2026-11 (管理员, 值班员, 领导, 书记, 网格员). Personal data follows the
//! separation of duties of 等保 2.0: the administrator manages accounts, settings and imports and reads the audit
//! log, but does not reveal residents' data; the duty officer (who calls residents back) may reveal and export
//! it; a grid worker may reveal it inside their own grid only.

use crate::vocabulary::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// A role a user account holds (an account may hold several).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum UserRole as "USER_ROLE" {
        /// 管理员: users, settings, imports, the audit log.
        Admin = ("admin", "管理员"),
        /// 值班员: petitions, mobilisation, duty.
        DutyOfficer = ("duty_officer", "值班员"),
        /// 领导: reads everything, briefings; no edits.
        Leader = ("leader", "领导"),
        /// 书记: alliances, rotation, activities, reviews.
        PartySecretary = ("party_secretary", "书记"),
        /// 网格员: "我要查", read-only, limited to their own grid.
        GridWorker = ("grid_worker", "网格员"),
    }
}

impl UserRole {
    /// What the role may do.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            UserRole::Admin => &[
                ViewTown,
                ViewPeople,
                ViewResidents,
                ManageUsers,
                ManageSettings,
                ImportData,
                ExportGeodata,
                ViewAudit,
                PlanDuty,
                PlanShifts,
            ],
            UserRole::DutyOfficer => &[
                ViewTown,
                ViewPeople,
                ViewResidents,
                RevealPersonal,
                ExportPersonal,
                ExportGeodata,
                EditTown,
                HandlePetitions,
            ],
            UserRole::Leader => &[ViewTown, ViewPeople, ExportGeodata],
            UserRole::PartySecretary => &[ViewTown, ViewPeople, ViewPartyMembers, PlanDuty],
            UserRole::GridWorker => &[ViewOwnGrid, ViewPeople, ViewResidents, RevealPersonal],
        }
    }
}

/// One thing a role may do; every use-case requires exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read the whole town: map, grids, counts.
    ViewTown,
    /// Read one's own grid only (a grid worker); implied by [`Permission::ViewTown`].
    ViewOwnGrid,
    /// Read people lists with personal data masked.
    ViewPeople,
    /// Read the population database (residents and households), masked; a grid worker only in their grid.
    ViewResidents,
    /// Read the residents who are party members (party secretaries); implied by [`Permission::ViewResidents`].
    ViewPartyMembers,
    /// Reveal one masked field (phone, ID number), with a reason; audited.
    RevealPersonal,
    /// Export personal data unmasked, with a reason; audited.
    ExportPersonal,
    /// Export grid boundaries (GeoJSON).
    ExportGeodata,
    /// Edit the town's records (grid names, people's details).
    EditTown,
    /// Import data (grid boundaries, the demo town over existing data).
    ImportData,
    /// Manage user accounts.
    ManageUsers,
    /// Change the workstation's and the town's settings (base map).
    ManageSettings,
    /// Read, verify and export the audit log.
    ViewAudit,
    /// Register petitions and move them through the workflow.
    HandlePetitions,
    /// Plan the alliances' rotation (rules, unavailability, generation, swaps) and log and review their
    /// activities: party secretaries.
    PlanDuty,
    /// Plan the command center's own shifts (the pool, exclusions, generation, edits): the office.
    PlanShifts,
}

/// True if any of `roles` grants `permission` (reading the whole town also covers reading one's own grid).
pub fn grants(roles: &[UserRole], permission: Permission) -> bool {
    roles.iter().any(|r| {
        let p = r.permissions();
        p.contains(&permission)
            || (permission == Permission::ViewOwnGrid && p.contains(&Permission::ViewTown))
            || (permission == Permission::ViewPartyMembers
                && p.contains(&Permission::ViewResidents))
    })
}

/// A user account of the command center (stored in the town's database, so a LAN deployment shares it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserAccount {
    /// Identifier.
    pub id: uuid::Uuid,
    /// Sign-in name, e.g. `zhang.san` (see [`valid_username`]).
    pub username: String,
    /// Name shown, e.g. `张三`.
    pub display_name: String,
    /// The argon2id hash of the password (PHC string); never sent to a front end.
    #[serde(skip)]
    pub password_hash: String,
    /// Roles held, sorted.
    pub roles: Vec<UserRole>,
    /// A grid worker's own grid (code).
    pub grid_code: Option<String>,
    /// A disabled account cannot sign in.
    pub disabled: bool,
    /// Failed sign-ins in a row.
    pub failed_attempts: i64,
    /// Locked until then after [`LOCK_AFTER_FAILURES`] failures.
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    /// The password was set by someone else (reset) and should be changed.
    pub must_change_password: bool,
    /// When the account was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When the password was last set.
    pub password_changed_at: chrono::DateTime<chrono::Utc>,
    /// Row version for optimistic concurrency.
    pub version: i64,
}

/// The shortest password accepted.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// How many of the four classes (lower case, upper case, digits, other characters) a password must mix.
pub const PASSWORD_MIN_CLASSES: usize = 3;
/// Failed sign-ins in a row that lock an account.
pub const LOCK_AFTER_FAILURES: i64 = 5;
/// How long a locked account stays locked, in minutes.
pub const LOCK_MINUTES: i64 = 15;

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Too short.
    #[error("密码至少 {PASSWORD_MIN_CHARS} 个字符（现为 {0} 个）")]
    TooShort(usize),
    /// Too few character classes.
    #[error("密码须包含大写字母、小写字母、数字、其他符号中的至少 {PASSWORD_MIN_CLASSES} 类（现为 {0} 类）")]
    TooFewClasses(usize),
    /// Contains the user name.
    #[error("密码不能包含用户名")]
    ContainsUsername,
}

/// Checks a new password against the policy: at least [`PASSWORD_MIN_CHARS`] characters, at least
/// [`PASSWORD_MIN_CLASSES`] of the classes a–z, A–Z, 0–9 and anything else (symbols, Chinese characters),
/// and not containing the user name.
pub fn check_password_policy(username: &str, password: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(PasswordProblem::TooShort(chars));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .into_iter()
    .filter(|&b| b)
    .count();
    if classes < PASSWORD_MIN_CLASSES {
        return Err(PasswordProblem::TooFewClasses(classes));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(PasswordProblem::ContainsUsername);
    }
    Ok(())
}

/// A user name: 3–32 characters of lower-case ASCII letters, digits, `.`, `_` or `-`, starting with a letter.
pub fn valid_username(name: &str) -> bool {
    let ok_len = (3..=32).contains(&name.len());
    let mut chars = name.chars();
    ok_len
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("short1A!", Err(PasswordProblem::TooShort(8)))]
    #[case("alllowercaseletters", Err(PasswordProblem::TooFewClasses(1)))]
    #[case("lowercase12345", Err(PasswordProblem::TooFewClasses(2)))]
    #[case("Lowercase12345", Ok(()))]
    #[case("城关镇指挥中心2026ab", Ok(()))] // CJK counts as "other", with digits and lower case
    #[case("Zhang.san2026", Err(PasswordProblem::ContainsUsername))]
    fn password_policy(#[case] password: &str, #[case] expected: Result<(), PasswordProblem>) {
        assert_eq!(check_password_policy("zhang.san", password), expected);
    }

    #[test]
    fn usernames() {
        assert!(valid_username("zhang.san"));
        assert!(valid_username("duty1"));
        assert!(!valid_username("Zhang"));
        assert!(!valid_username("1abc"));
        assert!(!valid_username("ab"));
        assert!(!valid_username("张三"));
    }

    #[test]
    fn grid_workers_read_their_grid_only_and_the_admin_reveals_nothing() {
        assert!(grants(&[UserRole::GridWorker], Permission::ViewOwnGrid));
        assert!(!grants(&[UserRole::GridWorker], Permission::ViewTown));
        assert!(grants(&[UserRole::Leader], Permission::ViewOwnGrid));
        assert!(!grants(&[UserRole::Admin], Permission::RevealPersonal));
        assert!(grants(
            &[UserRole::Admin, UserRole::DutyOfficer],
            Permission::RevealPersonal
        ));
        assert!(!grants(&[], Permission::ViewTown));
    }
}

/// An API key of the Open311 intake server: the mini-program's back end or the hotline's system posts petitions
/// with it. Only the SHA-256 hash of the key is stored ([`api_key_hash`]); the key itself is shown once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiKey {
    /// Identifier.
    pub id: uuid::Uuid,
    /// Who uses it, e.g. `惠民高台小程序`; petitions posted with it are registered in this name.
    pub name: String,
    /// The key's first characters, to tell keys apart in lists (`cgk_3f9a…`).
    pub prefix: String,
    /// SHA-256 of the whole key, lowercase hex.
    #[serde(skip)]
    pub key_hash: String,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The administrator who created it.
    pub created_by: String,
    /// When it was revoked (a revoked key is refused).
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// True when the key may also read petitions back (`GET requests`); every key may submit.
    pub can_read: bool,
}

/// The prefix every API key starts with.
pub const API_KEY_PREFIX: &str = "cgk_";

/// The stored form of an API key. A key carries 256 random bits, so one unsalted SHA-256 is enough (a slow
/// password hash would only cost the intake its throughput).
pub fn api_key_hash(key: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod api_key_tests {
    use super::api_key_hash;

    #[test]
    fn the_hash_is_sha256_hex() {
        // FIPS 180-2 test vector for "abc".
        assert_eq!(
            api_key_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
