//! The intake server through its real router, on SQLite and PostgreSQL; and a real Open311 client against it.

mod client;
mod hardening;
mod load;
mod open311;
mod support;
mod workstation;
