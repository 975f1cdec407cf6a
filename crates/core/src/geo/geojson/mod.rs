//! GeoJSON (RFC 7946) in and out.
//!
//! Read and written with the georust `geojson` crate. The reader checks the file's outline itself (a
//! FeatureCollection, each feature's `type`, `properties` and `geometry` members, each geometry's `type`) and
//! lets the crate read each geometry; then it checks every position and ring the crate read (ranges, closed
//! rings of four positions, winding, validity). So every problem is reported with the feature it is in
//! (`features[3]` and its name when it has one) and a plain statement of what is wrong, in Chinese, with a stable
//! English code, and all problems of a file are collected, not only the first (the crate alone stops at the
//! first, without naming the feature).

mod read;
mod write;

pub use read::{
    read_feature_collection, read_multipolygon, Feature, FeatureCollection, FeatureRef, Problem,
    ReadOptions,
};
pub use write::{multipolygon_to_geometry, write_feature_collection, OutFeature};
