//! Spatial analysis of petitions (issue 6): heat rasters first; hot spots and spike alerts follow.

pub mod heat;
