//! Spatial analysis of petitions (issue 6): heat rasters, hot spots (Gi*) and spike alerts. Pure functions; the
//! app feeds them petitions and the front ends draw them.

pub mod classes;
pub mod counts;
pub mod heat;
pub mod hotspots;
pub mod lattice;
pub mod spikes;
