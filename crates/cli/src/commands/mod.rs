//! One module per group of subcommands; each parses its arguments, calls `chengguan-app`, and prints.

pub mod analysis;
pub mod audit;
pub mod backup;
pub mod categories;
pub mod duty;
pub mod grids;
pub mod intake;
pub mod people;
pub mod petitions;
pub mod report;
pub mod roster;
pub mod shifts;
pub mod sla;
pub mod town;
pub mod users;
