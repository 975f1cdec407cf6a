//! The shared test databases (see `chengguan_store::testing`).
pub use chengguan_store::testing::*;
