//! The store suite. Every test runs against SQLite and against a real PostgreSQL server
//! (`CHENGGUAN_TEST_PG`, an admin URL able to create databases; `make test` starts one via scripts/pg-start.sh).

mod support;

mod concurrency;
mod connect;
mod feed;
mod grid_import;
mod lan;
mod petition_import;
mod rates;
mod town;
