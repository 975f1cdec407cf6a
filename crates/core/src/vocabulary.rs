//! The domain's closed sets (statuses, steps, channels, levels, roles, kinds, the change feed's entities and
//! operations), each declared once with [`vocabulary!`]: its members, their stable codes and their Chinese labels.
//! Everything else reads them from here: the store writes codes, the app and the command line show labels, and
//! the UI imports `ui/src/bindings/vocabulary.ts`, generated from [`Vocabulary`] by chengguan-app and checked for
//! freshness by its bindings test.
//!
//! A small macro of our own rather than `strum`: each member needs exactly a code and a Chinese label, declared
//! side by side, plus the [`Vocabulary`] trait the generator walks; strum would add a derive per property and the
//! labels would still be written apart from the codes.

/// A closed set: every member, its stable code (stored, sent, never shown) and its Chinese label (shown).
pub trait Vocabulary: Copy + Sized + 'static {
    /// The set's name in generated code, e.g. `STATUS`.
    const NAME: &'static str;
    /// Every member, in display order.
    fn members() -> &'static [Self];
    /// Stable code, e.g. `in_progress`.
    fn code(self) -> &'static str;
    /// Chinese label, e.g. `办理中`.
    fn label(self) -> &'static str;
}

/// Declares a closed set: the enum, `ALL`, `code`, `label`, `from_code` and its [`Vocabulary`] impl.
///
/// ```ignore
/// vocabulary! {
///     /// Where a petition stands.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
///     pub enum Status as "STATUS" {
///         /// Arrived, not yet looked at.
///         Received = ("received", "待受理"),
///     }
/// }
/// ```
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $generated:literal {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal), )+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every member, in display order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// Stable code (stored and sent; never shown).
            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// Chinese label (shown).
            pub fn label(self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )+
                }
            }

            /// The member with this code.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|m| m.code() == code)
            }
        }

        impl $crate::vocabulary::Vocabulary for $name {
            const NAME: &'static str = $generated;
            fn members() -> &'static [Self] {
                &Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }
    };
}

pub(crate) use vocabulary;

/// What the change feed says changed: the kind of row (`changes.entity`).
pub mod feed {
    use serde::{Deserialize, Serialize};

    vocabulary! {
        /// The kind of row a change-feed entry is about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Entity as "CHANGE_ENTITY" {
            /// The town itself, or all of its data at once (a load).
            Town = ("town", "城镇"),
            /// A community.
            Community = ("community", "社区"),
            /// A grid.
            Grid = ("grid", "网格"),
            /// A person of the rosters.
            Person = ("person", "人员"),
            /// A resident or household of the population database.
            Resident = ("resident", "居民"),
            /// A user account.
            User = ("user", "用户"),
            /// A petition.
            Petition = ("petition", "诉求"),
            /// The petition categories.
            Category = ("category", "诉求类别"),
            /// The handling time limits.
            SlaRule = ("sla_rule", "办理时限"),
            /// The holidays and make-up workdays (a year's notice imported).
            Holiday = ("holiday", "放假安排"),
            /// The alliances' rotation: rules, unavailability and turns.
            DutyTurn = ("duty_turn", "联盟轮值"),
            /// The command center's shifts and the handover log.
            Shift = ("shift", "值班班次"),
        }
    }

    vocabulary! {
        /// What happened to the row (`changes.op`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Operation as "CHANGE_OPERATION" {
            /// A new row.
            Insert = ("insert", "新增"),
            /// A changed row.
            Update = ("update", "修改"),
            /// The town's data loaded into an empty database.
            Load = ("load", "载入"),
            /// The town's data replaced.
            Reload = ("reload", "重新载入"),
            /// Many rows at once (a bulk import): read the kind again.
            Import = ("import", "批量导入"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::feed::{Entity, Operation};
    use super::Vocabulary;

    /// Every set: codes unique, labels unique, `from_code` the inverse of `code`, and serde writes the code.
    fn check<V: Vocabulary + serde::Serialize + PartialEq + std::fmt::Debug>() {
        let members = V::members();
        let mut codes: Vec<_> = members.iter().map(|m| m.code()).collect();
        let mut labels: Vec<_> = members.iter().map(|m| m.label()).collect();
        codes.sort_unstable();
        codes.dedup();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(codes.len(), members.len(), "{}: codes unique", V::NAME);
        assert_eq!(labels.len(), members.len(), "{}: labels unique", V::NAME);
        for m in members {
            let json = serde_json::to_string(m).expect("serialise");
            assert_eq!(
                json,
                format!("\"{}\"", m.code()),
                "{}: serde says the code",
                V::NAME
            );
        }
    }

    #[test]
    fn every_vocabulary_is_consistent() {
        use crate::access::UserRole;
        use crate::analysis::hotspots::Confidence;
        use crate::people::{Role, ScopeLevel};
        use crate::petitions::workflow::{Level, Status, StepKind};
        use crate::petitions::Channel;
        use crate::town::{OrganisationKind, ServicePointKind};
        check::<Status>();
        check::<Level>();
        check::<StepKind>();
        check::<Channel>();
        check::<UserRole>();
        check::<Role>();
        check::<ScopeLevel>();
        check::<OrganisationKind>();
        check::<ServicePointKind>();
        check::<Confidence>();
        check::<Entity>();
        check::<Operation>();
        assert_eq!(Entity::from_code("sla_rule"), Some(Entity::SlaRule));
        assert_eq!(Operation::from_code("nonsense"), None);
    }
}
