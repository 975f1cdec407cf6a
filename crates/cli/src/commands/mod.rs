//! One module per group of subcommands; each parses its arguments, calls `chengguan-app`, and prints.

pub mod grids;
pub mod town;
