//! GeoJSON (RFC 7946) in and out.
//!
//! The reader walks the JSON itself rather than deserialising into fixed types, so that every problem is reported
//! with the feature it is in (`features[3]` and its name when it has one) and a plain statement of what is
//! wrong, in Chinese, with a stable English code. It collects all problems of a file, not only the first.

mod read;
mod write;

pub use read::{
    read_feature_collection, read_multipolygon, Feature, FeatureCollection, FeatureRef, Problem,
    ReadOptions,
};
pub use write::{multipolygon_to_geometry, write_feature_collection, OutFeature};
