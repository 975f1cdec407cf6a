//! The UI's copy of the domain's closed sets: `ui/src/bindings/vocabulary.ts`, generated from chengguan-core's
//! [`Vocabulary`] declarations (codes, labels, and the groups the UI offers, such as the open statuses and the
//! desk's channels). The bindings test writes it beside the ts-rs bindings and fails when it is stale, so a label
//! changed in Rust reaches the UI or fails the build; the UI writes no code or label of these sets by hand.

use std::fmt::Write;

use chengguan_core::access::UserRole;
use chengguan_core::analysis::hotspots::Confidence;
use chengguan_core::people::{Role, ScopeLevel};
use chengguan_core::petitions::workflow::{Level, Status, StepKind};
use chengguan_core::petitions::Channel;
use chengguan_core::town::{OrganisationKind, ServicePointKind};
use chengguan_core::vocabulary::feed::{Entity, Operation};
use chengguan_core::vocabulary::Vocabulary;

/// The text of `vocabulary.ts`.
pub fn typescript() -> String {
    let mut out = String::from(
        "// Generated from chengguan-core's vocabularies by chengguan-app (crates/app/src/vocabulary.rs); do not\n\
         // edit: change the Rust declaration and run UPDATE_BINDINGS=1 cargo test -p chengguan-app --test app bindings.\n",
    );
    set::<Status>(&mut out);
    group(
        &mut out,
        "OPEN_STATUSES",
        "StatusCode",
        "Statuses in which someone still has to act (the deadline runs).",
        Status::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(Status::code),
    );
    set::<StepKind>(&mut out);
    set::<Level>(&mut out);
    set::<Channel>(&mut out);
    group(
        &mut out,
        "DESK_CHANNELS",
        "ChannelCode",
        "The channels a duty officer registers at the desk.",
        Channel::AT_THE_DESK.into_iter().map(Channel::code),
    );
    set::<UserRole>(&mut out);
    set::<Role>(&mut out);
    set::<ScopeLevel>(&mut out);
    set::<chengguan_core::people::Gender>(&mut out);
    set::<chengguan_core::people::PoliticalStatus>(&mut out);
    set::<chengguan_core::people::Relation>(&mut out);
    set::<chengguan_core::people::coverage::GapKind>(&mut out);
    set::<OrganisationKind>(&mut out);
    set::<ServicePointKind>(&mut out);
    set::<chengguan_core::calendar::NoticeKind>(&mut out);
    set::<chengguan_core::calendar::rotation::Period>(&mut out);
    set::<chengguan_core::calendar::rotation::ConflictKind>(&mut out);
    set::<chengguan_core::calendar::review::ActivityKind>(&mut out);
    set::<chengguan_core::calendar::shifts::ShiftKind>(&mut out);
    set::<Confidence>(&mut out);
    set::<Entity>(&mut out);
    set::<Operation>(&mut out);
    out
}

/// `STATUS` → `StatusCode`.
fn type_name(name: &str) -> String {
    let mut out = String::new();
    for word in name.split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first);
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out + "Code"
}

/// The members with their labels, the union of the codes, and a code → label map.
fn set<V: Vocabulary>(out: &mut String) {
    let name = V::NAME;
    let ty = type_name(name);
    // Writing to a String cannot fail.
    let _ = writeln!(out, "\nexport const {name} = [");
    for m in V::members() {
        let _ = writeln!(out, "  {{ code: {:?}, label: {:?} }},", m.code(), m.label());
    }
    let _ = writeln!(out, "] as const;");
    let _ = writeln!(out, "export type {ty} = (typeof {name})[number][\"code\"];");
    // Indexable by any code string (DTOs carry codes as strings); `satisfies` checks that every code has a label.
    let _ = writeln!(
        out,
        "export const {name}_LABEL: Readonly<Record<string, string>> = {{"
    );
    for m in V::members() {
        let _ = writeln!(out, "  {}: {:?},", m.code(), m.label());
    }
    let _ = writeln!(out, "}} satisfies Record<{ty}, string>;");
}

/// A named subset of a set's codes.
fn group<'a>(
    out: &mut String,
    name: &str,
    ty: &str,
    doc: &str,
    codes: impl Iterator<Item = &'a str>,
) {
    let list: Vec<String> = codes.map(|c| format!("{c:?}")).collect();
    let _ = writeln!(out, "/** {doc} */");
    let _ = writeln!(
        out,
        "export const {name}: readonly {ty}[] = [{}];",
        list.join(", ")
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_its_types_after_the_set() {
        assert_eq!(super::type_name("STATUS"), "StatusCode");
        assert_eq!(super::type_name("CHANGE_ENTITY"), "ChangeEntityCode");
    }
}
