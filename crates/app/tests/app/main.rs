//! Use-case tests of chengguan-app, each against SQLite and a real PostgreSQL server (`CHENGGUAN_TEST_PG`).

mod support;

mod access;
mod analysis;
mod analysis_points;
mod audit;
mod backup;
mod bindings;
mod briefing;
mod categories;
mod demo;
mod duty;
mod errors;
mod grid_export;
mod grid_import;
mod hardening;
mod live;
mod map;
mod petition_import;
mod petitions;
mod roster;
mod workflow_table;
