//! Typed pod specs: `Struct` ⇄ [`k8s_openapi::api::core::v1::PodSpec`]
//! (feature `k8s-openapi`).
//!
//! **Kubernetes version.** Like every library built on k8s-openapi, this crate
//! does not choose the Kubernetes API version in its own dependency: the final
//! binary enables exactly one `k8s-openapi/v1_*` feature, or this crate's
//! `v1_33` feature. Our tests and docs use **v1_33**, k8s-openapi 0.29's
//! earliest supported version, so nothing here relies on a field that only
//! newer clusters know. A field the chosen version does not know is dropped by
//! [`struct_to_pod_spec`] (k8s-openapi ignores unknown fields); keep the
//! `Struct` when you must not lose anything.

use k8s_openapi::api::core::v1::{Container, PodSpec};
use prost_types::Struct;

use crate::K8sError;
use crate::json::struct_to_json_integral;

/// Converts a typed pod spec to the `Struct` flytekit stores: the JSON
/// `ApiClient().sanitize_for_serialization(V1PodSpec)` writes (camelCase
/// keys, unset fields omitted, quantities as strings).
///
/// # Errors
/// Only if the pod spec holds something JSON cannot (not expected from
/// k8s-openapi types).
///
/// ```
/// use flyte_ray_k8s::{pod_spec_to_struct, struct_to_json};
/// use k8s_openapi::api::core::v1::{Container, PodSpec};
///
/// let spec = PodSpec {
///     containers: vec![Container { name: "primary".into(), ..Default::default() }],
///     termination_grace_period_seconds: Some(30),
///     ..Default::default()
/// };
/// let s = pod_spec_to_struct(&spec).unwrap();
/// assert_eq!(
///     serde_json::Value::Object(struct_to_json(&s).unwrap()),
///     serde_json::json!({"containers": [{"name": "primary"}], "terminationGracePeriodSeconds": 30.0})
/// );
/// ```
pub fn pod_spec_to_struct(spec: &PodSpec) -> Result<Struct, K8sError> {
    // Straight into the Struct: what serde_json::to_value then
    // json_to_struct gives, without the JSON tree (see `to_value`).
    let err = |message: String| K8sError::PodSpec {
        path: String::new(),
        message,
    };
    match crate::to_value(spec).map_err(|e| err(e.to_string()))?.kind {
        Some(prost_types::value::Kind::StructValue(s)) => Ok(s),
        _ => Err(err("the pod spec did not serialize to an object".into())),
    }
}

/// Converts a pod spec kept as a `Struct` to the typed `PodSpec`.
///
/// Integral numbers are read as integers (a `Struct` has only doubles, so
/// `containerPort: 8080.0` is accepted as `8080`; `-0.0` as `0`); numeric
/// quantities (`"cpu": 1.0`) become quantity strings (`"1"`). Unknown fields
/// are dropped and a missing required string (a container's `name`) becomes
/// `""`: that is k8s-openapi's deserializer; the validation must catch it.
///
/// # Errors
/// [`K8sError::PodSpec`] with the JSON path of the offending field, e.g.
/// `containers[0].resources.limits.cpu: invalid type: map, expected Quantity`;
/// [`K8sError::NonFiniteNumber`] for a NaN or infinite number.
///
/// ```
/// use flyte_ray_k8s::{json_to_struct, struct_to_pod_spec};
///
/// let s = json_to_struct(&serde_json::json!({
///     "containers": [{"name": "primary", "ports": [{"containerPort": 8080}],
///                     "resources": {"limits": {"cpu": 1}}}]
/// })).unwrap();
/// let spec = struct_to_pod_spec(&s).unwrap();
/// assert_eq!(spec.containers[0].ports.as_ref().unwrap()[0].container_port, 8080);
///
/// let bad = json_to_struct(&serde_json::json!({"containers": [{"name": 1}]})).unwrap();
/// assert!(struct_to_pod_spec(&bad).unwrap_err().to_string().starts_with("containers[0].name: "));
/// ```
pub fn struct_to_pod_spec(s: &Struct) -> Result<PodSpec, K8sError> {
    let json = serde_json::Value::Object(struct_to_json_integral(s)?);
    serde_path_to_error::deserialize(json).map_err(|e| K8sError::PodSpec {
        path: path_string(e.path()),
        message: e.into_inner().to_string(),
    })
}

/// serde_path_to_error's path, with `.` for the top level rendered as empty.
fn path_string(p: &serde_path_to_error::Path) -> String {
    let s = p.to_string();
    if s == "." { String::new() } else { s }
}

/// Finds the first container named `name` in a typed pod spec's
/// `containers`; returns its index and the container.
///
/// ```
/// use flyte_ray_k8s::find_container_typed;
/// use k8s_openapi::api::core::v1::{Container, PodSpec};
///
/// let spec = PodSpec {
///     containers: vec![Container { name: "a".into(), ..Default::default() },
///                      Container { name: "primary".into(), ..Default::default() }],
///     ..Default::default()
/// };
/// assert_eq!(find_container_typed(&spec, "primary").map(|(i, _)| i), Some(1));
/// ```
pub fn find_container_typed<'a>(
    pod_spec: &'a PodSpec,
    name: &str,
) -> Option<(usize, &'a Container)> {
    pod_spec
        .containers
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name)
}
