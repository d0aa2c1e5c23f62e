//! Pod specs from resource requests and limits: flytekit's
//! `flytekit.core.resources.pod_spec_from_resources`.

use std::collections::BTreeMap;

use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value};

/// The GPU resource name used when none is given (flytekit's default).
pub const DEFAULT_GPU_RESOURCE_KEY: &str = "nvidia.com/gpu";

/// One set of resources (requests or limits), flytekit's `Resources` fields.
///
/// Each value is a Kubernetes quantity string (`"500m"`, `"2Gi"`); `None`
/// leaves that resource out. An empty string is kept as it is (flytekit only
/// drops `None`). flytekit also accepts Python ints and floats
/// (`Resources(cpu=1)`), which end up as JSON numbers in the pod spec;
/// here every value is a string, so write `"1"`.
///
/// ```
/// use flyte_ray_k8s::ResourceSpec;
///
/// let r = ResourceSpec { cpu: Some("500m".into()), mem: Some("1Gi".into()), ..Default::default() };
/// assert!(!r.is_empty());
/// assert!(ResourceSpec::default().is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResourceSpec {
    /// CPU, written as `cpu`.
    pub cpu: Option<String>,
    /// Memory, written as `memory`.
    pub mem: Option<String>,
    /// GPUs, written under the GPU resource key (default `nvidia.com/gpu`).
    pub gpu: Option<String>,
    /// Ephemeral storage, written as `ephemeral-storage`.
    pub ephemeral_storage: Option<String>,
}

impl ResourceSpec {
    /// True when no resource is set (flytekit's empty, hence falsy, dict).
    pub fn is_empty(&self) -> bool {
        self.cpu.is_none()
            && self.mem.is_none()
            && self.gpu.is_none()
            && self.ephemeral_storage.is_none()
    }

    /// The Kubernetes resource map: `cpu`, `memory`, the GPU key, `ephemeral-storage`.
    fn to_k8s(&self, gpu_key: &str) -> Struct {
        let mut fields = BTreeMap::new();
        let entries = [
            ("cpu", &self.cpu),
            ("memory", &self.mem),
            (gpu_key, &self.gpu),
            ("ephemeral-storage", &self.ephemeral_storage),
        ];
        for (k, v) in entries {
            if let Some(v) = v {
                fields.insert(k.to_owned(), string(v));
            }
        }
        Struct { fields }
    }
}

fn string(s: &str) -> Value {
    Value {
        kind: Some(Kind::StringValue(s.to_owned())),
    }
}

fn object(fields: BTreeMap<String, Value>) -> Value {
    Value {
        kind: Some(Kind::StructValue(Struct { fields })),
    }
}

/// Builds the pod spec flytekit's `pod_spec_from_resources` builds, as the
/// JSON `ApiClient().sanitize_for_serialization` writes for it.
///
/// * one container, named `primary_container_name`, with only `name` and
///   `resources`;
/// * resource names: `cpu` → `cpu`, `mem` → `memory`, `gpu` →
///   `gpu_resource_key` (default [`DEFAULT_GPU_RESOURCE_KEY`]),
///   `ephemeral_storage` → `ephemeral-storage`;
/// * when only one of requests and limits is non-empty, it serves as both
///   (flytekit's `requests = requests or limits; limits = limits or
///   requests`, where `None` and an empty map are falsy); when both are
///   falsy, `resources` gets `limits` for both: `{}` twice when `limits`
///   is given and empty, nothing (`resources: {}`) when `limits` is `None`.
///
/// ```
/// use flyte_ray_k8s::{ResourceSpec, pod_spec_from_resources, struct_to_json};
/// use serde_json::json;
///
/// let req = ResourceSpec { cpu: Some("1".into()), gpu: Some("1".into()), ..Default::default() };
/// let spec = pod_spec_from_resources("primary", Some(&req), None, None);
/// assert_eq!(serde_json::Value::Object(struct_to_json(&spec).unwrap()), json!({
///     "containers": [{
///         "name": "primary",
///         "resources": {
///             "requests": {"cpu": "1", "nvidia.com/gpu": "1"},
///             "limits": {"cpu": "1", "nvidia.com/gpu": "1"}
///         }
///     }]
/// }));
/// ```
pub fn pod_spec_from_resources(
    primary_container_name: &str,
    requests: Option<&ResourceSpec>,
    limits: Option<&ResourceSpec>,
    gpu_resource_key: Option<&str>,
) -> Struct {
    let key = gpu_resource_key.unwrap_or(DEFAULT_GPU_RESOURCE_KEY);
    let requests = requests.map(|r| r.to_k8s(key));
    let limits = limits.map(|r| r.to_k8s(key));
    // Python truthiness: None and {} are both falsy.
    let truthy = |s: &Option<Struct>| s.as_ref().is_some_and(|s| !s.fields.is_empty());
    let (requests, limits) = match (truthy(&requests), truthy(&limits)) {
        (true, true) => (requests, limits),
        (true, false) => (requests.clone(), requests),
        (false, true) => (limits.clone(), limits),
        // `requests = requests or limits` gives `limits` (None or {}), then
        // `limits = limits or requests` gives `limits` again.
        (false, false) => (limits.clone(), limits),
    };
    let mut resources = BTreeMap::new();
    if let Some(r) = requests {
        resources.insert("requests".to_owned(), object(r.fields));
    }
    if let Some(l) = limits {
        resources.insert("limits".to_owned(), object(l.fields));
    }
    let mut container = BTreeMap::new();
    container.insert("name".to_owned(), string(primary_container_name));
    container.insert("resources".to_owned(), object(resources));
    let mut fields = BTreeMap::new();
    fields.insert(
        "containers".to_owned(),
        Value {
            kind: Some(Kind::ListValue(ListValue {
                values: vec![object(container)],
            })),
        },
    );
    Struct { fields }
}
