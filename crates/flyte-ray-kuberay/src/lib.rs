#![doc = include_str!("../README.md")]

mod checks;
mod config;
mod finding;
mod gotypes;
mod input;
mod name;
mod pod;
mod quantity;
mod render;
mod runtime_env;
mod same;
mod secrets;
pub mod status;
pub mod testing;
mod v2;

pub use config::{ConfigError, K8sConfig, NodeDefaults, PluginConfig, RayConfig, RayDefaults};
pub use finding::{Finding, Severity};
pub use gotypes::DecodeError as PodSpecDecodeError;
pub use input::{
    Container, DEFAULT_ARGS, DEFAULT_IMAGE, ExecutionMetadata, ExtendedResources, GpuAccelerator,
    Identifier, InputError, K8sPodTarget, KeyValue, ObjectMetadata, ResourceEntry, Resources,
    RunAs, SecurityContext, SharedMemory, TaskMetadata, TaskTemplate,
};
pub use name::fixed_length_unique_id_for_parts;
pub use quantity::{QuantityError, canonical_quantity};
pub use render::{FlyteVersion, OutputError, RenderError, RenderOptions, Rendered, render};

/// Flyte's `MergeOverlayPodSpecOntoBase(base, overlay)` on two pod specs
/// given as JSON (RENDERING.md §7): both decoded as Go decodes them into a
/// `k8s.io/api/core/v1.PodSpec`, merged with mergo's rules, and returned as
/// Go's `encoding/json` writes the result.
///
/// ```
/// use serde_json::json;
///
/// let base = json!({"containers": [{"name": "ray-head", "image": "a"}], "hostNetwork": true});
/// let overlay = json!({"containers": [{"name": "ray-head", "image": "b"}, {"name": "sidecar"}],
///                      "hostNetwork": false});
/// let merged = flyte_ray_kuberay::merge_pod_specs(&base, &overlay).unwrap();
/// // The overlay image wins, `false` never overrides, `sidecar` is dropped.
/// assert_eq!(merged, json!({"containers": [{"name": "ray-head", "image": "b", "resources": {}}],
///                           "hostNetwork": true}));
/// ```
pub fn merge_pod_specs(
    base: &serde_json::Value,
    overlay: &serde_json::Value,
) -> Result<serde_json::Value, MergeError> {
    let base = gotypes::decode_pod_spec(base).map_err(MergeError::Base)?;
    let overlay = gotypes::decode_pod_spec(overlay).map_err(MergeError::Overlay)?;
    Ok(gotypes::merge_overlay(base, &overlay).0)
}

/// Why [`merge_pod_specs`] failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// The base does not decode as a pod spec.
    #[error("decoding base: {0}")]
    Base(#[source] PodSpecDecodeError),
    /// The overlay does not decode as a pod spec.
    #[error("decoding overlay: {0}")]
    Overlay(#[source] PodSpecDecodeError),
}
