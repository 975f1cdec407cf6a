//! Geography: coordinate systems, GeoJSON in and out, and checks of how grid polygons tile the town.
//!
//! Coordinates are `geo` types in longitude/latitude degrees (x = longitude, y = latitude). Storage is always
//! WGS-84; GCJ-02 and BD-09 appear only at the edges (import, export, display over Chinese base maps).

pub mod crs;
pub mod geojson;
pub mod measure;
pub mod tiling;

pub use crs::Crs;
