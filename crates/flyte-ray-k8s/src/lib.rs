#![doc = include_str!("../README.md")]

mod container;
mod error;
mod json;
mod names;
mod path;
mod pod_template;
mod quantity;
mod resources;
mod serde_struct;
mod to_value;
#[cfg(feature = "k8s-openapi")]
mod typed;

pub use container::find_container;
pub use error::K8sError;
pub use json::{
    MAX_DEPTH, json_into_struct, json_to_struct, json_to_value, struct_to_json, value_to_json,
};
pub use names::{
    DNS1035_LABEL_MAX_LENGTH, DNS1123_LABEL_MAX_LENGTH, DNS1123_SUBDOMAIN_MAX_LENGTH,
    LABEL_VALUE_MAX_LENGTH, is_dns1035_label, is_dns1123_label, is_dns1123_subdomain,
    is_qualified_name, is_valid_label_value,
};
pub use pod_template::{PRIMARY_CONTAINER_DEFAULT_NAME, PodTemplate, empty_pod_spec};
pub use quantity::{Quantity, QuantityError, Suffix, parse_quantity};
pub use resources::{DEFAULT_GPU_RESOURCE_KEY, ResourceSpec, pod_spec_from_resources};
pub use serde_struct::{SerializeStruct, SerializeValue, deserialize_struct, deserialize_value};
pub use to_value::{ToValueError, to_value};
#[cfg(feature = "k8s-openapi")]
pub use typed::{find_container_typed, pod_spec_to_struct, struct_to_pod_spec};

/// Re-exported so users name the same `Struct` and `Value` types as this crate.
pub use prost_types;

/// Re-exported so users name the same typed `PodSpec` as this crate.
#[cfg(feature = "k8s-openapi")]
pub use k8s_openapi;
