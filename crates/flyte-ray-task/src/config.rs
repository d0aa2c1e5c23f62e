//! The config types: the SDKs' `RayJobConfig` dataclasses, loaded from a
//! document (YAML or JSON, snake_case keys) with serde.
//!
//! One set of types serves both SDKs; keys that only one SDK has
//! (`Resources.mem` vs `memory`, the autoscaler's `requests`/`limits` vs
//! `resources`, `reusable`) are checked against the chosen [`Sdk`] after
//! loading. Values the SDKs check themselves (resource values, the reuse
//! policy) are kept as document values ([`Node`]) so that the builder can
//! raise the SDK's own error for them.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::core::v1::PodSpec;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::doc::{Node, parse_document};
use crate::error::ConfigError;

/// Which SDK's behaviour to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sdk {
    /// flytekit 1.16.31 with flytekitplugins-ray 1.16.31 (`get_custom`),
    /// emitting `flyteidl.plugins.RayJob`.
    #[default]
    Flytekit,
    /// Flyte 2 (flyte 2.12.1, flyteplugins-ray 2.12.1, `custom_config`),
    /// emitting `flyteidl2.plugins.RayJob`.
    Flyte2,
}

impl Sdk {
    /// `"flytekit"` or `"flyte2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sdk::Flytekit => "flytekit",
            Sdk::Flyte2 => "flyte2",
        }
    }
}

impl fmt::Display for Sdk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `RayJobConfig`: the task config of a Ray task.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RayJobConfig {
    /// The worker groups (required; may be empty).
    pub worker_node_config: Vec<WorkerNodeConfig>,
    /// The head node; `None` leaves `headGroupSpec` out.
    #[serde(default)]
    pub head_node_config: Option<HeadNodeConfig>,
    /// `enable_autoscaling` (default false).
    #[serde(default)]
    pub enable_autoscaling: bool,
    /// The autoscaler's options (independent of `enable_autoscaling`).
    #[serde(default)]
    pub autoscaler_options: Option<AutoscalerOptionsConfig>,
    /// Ray's runtime environment: any JSON tree, in document order. `{}`
    /// counts as unset.
    #[serde(default)]
    pub runtime_env: Option<RuntimeEnv>,
    /// The address of an existing cluster; used by `ray.init` at run time
    /// only, never serialized.
    #[serde(default)]
    pub address: Option<String>,
    /// `shutdown_after_job_finishes` (default false).
    #[serde(default)]
    pub shutdown_after_job_finishes: bool,
    /// `ttl_seconds_after_finished` (an int32 when serialized).
    #[serde(default)]
    pub ttl_seconds_after_finished: Option<i128>,
    /// Flyte 2 only: the TaskEnvironment's `reusable=` policy.
    #[serde(default)]
    pub reusable: Option<ReusePolicy>,
}

/// `HeadNodeConfig`.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct HeadNodeConfig {
    /// `ray_start_params`.
    #[serde(default)]
    pub ray_start_params: Option<BTreeMap<String, String>>,
    /// The pod template.
    #[serde(default)]
    pub pod_template: Option<PodTemplate>,
    /// Resource requests.
    #[serde(default)]
    pub requests: Option<Resources>,
    /// Resource limits.
    #[serde(default)]
    pub limits: Option<Resources>,
}

/// `WorkerNodeConfig`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerNodeConfig {
    /// The group name (any string).
    pub group_name: String,
    /// Replicas (an int32 when serialized).
    pub replicas: i128,
    /// `min_replicas`.
    #[serde(default)]
    pub min_replicas: Option<i128>,
    /// `max_replicas`.
    #[serde(default)]
    pub max_replicas: Option<i128>,
    /// `ray_start_params`.
    #[serde(default)]
    pub ray_start_params: Option<BTreeMap<String, String>>,
    /// The pod template.
    #[serde(default)]
    pub pod_template: Option<PodTemplate>,
    /// Resource requests.
    #[serde(default)]
    pub requests: Option<Resources>,
    /// Resource limits.
    #[serde(default)]
    pub limits: Option<Resources>,
}

/// `AutoscalerOptionsConfig`.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AutoscalerOptionsConfig {
    /// The upscaling mode: a name or a number.
    #[serde(default)]
    pub upscaling_mode: Option<UpscalingModeConfig>,
    /// `idle_timeout_seconds` (an int32 when serialized).
    #[serde(default)]
    pub idle_timeout_seconds: Option<i128>,
    /// The autoscaler container's environment, in document order.
    #[serde(default)]
    pub env: Option<OrderedStrings>,
    /// The autoscaler image.
    #[serde(default)]
    pub image: Option<String>,
    /// flytekit only: resource requests.
    #[serde(default)]
    pub requests: Option<Resources>,
    /// flytekit only: resource limits.
    #[serde(default)]
    pub limits: Option<Resources>,
    /// Flyte 2 only: one `Resources`, pairs meaning `[request, limit]`.
    #[serde(default)]
    pub resources: Option<Resources>,
}

/// `upscaling_mode`: `AutoscalerOptionsConfig.UpscalingMode.<name>`, or a
/// number passed as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpscalingModeConfig {
    /// A name: `UNSPECIFIED` (0), `DEFAULT` (1), `AGGRESSIVE` (2),
    /// `CONSERVATIVE` (3), as its number.
    Named(i32),
    /// A number.
    Number(i128),
}

impl UpscalingModeConfig {
    /// The enum number.
    pub fn number(self) -> i128 {
        match self {
            UpscalingModeConfig::Named(n) => i128::from(n),
            UpscalingModeConfig::Number(n) => n,
        }
    }
}

impl<'de> Deserialize<'de> for UpscalingModeConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = UpscalingModeConfig;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("UNSPECIFIED, DEFAULT, AGGRESSIVE, CONSERVATIVE or an integer")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                let n = match s {
                    "UNSPECIFIED" => 0,
                    "DEFAULT" => 1,
                    "AGGRESSIVE" => 2,
                    "CONSERVATIVE" => 3,
                    _ => {
                        return Err(E::invalid_value(de::Unexpected::Str(s), &self));
                    }
                };
                Ok(UpscalingModeConfig::Named(n))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(UpscalingModeConfig::Number(i128::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(UpscalingModeConfig::Number(i128::from(v)))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
                Ok(UpscalingModeConfig::Number(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A `{string: string}` mapping kept in document order (autoscaler `env`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderedStrings(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedStrings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedStrings;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of strings to strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(OrderedStrings(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// `runtime_env`: any JSON tree, kept exactly (order, big integers,
/// `2` vs `2.0`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct RuntimeEnv(pub Node);

impl RuntimeEnv {
    /// Python truthiness: `{}` (and any empty collection or falsy scalar) is
    /// unset.
    pub fn is_set(&self) -> bool {
        py_truthy(&self.0)
    }
}

/// Python truthiness of a document value.
pub(crate) fn py_truthy(n: &Node) -> bool {
    match n {
        Node::Null => false,
        Node::Bool(b) => *b,
        Node::Int(s) => s != "0",
        Node::Float(f) => *f != 0.0,
        Node::Str(s) => !s.is_empty(),
        Node::List(l) => !l.is_empty(),
        Node::Map(m) => !m.is_empty(),
    }
}

/// The SDKs' `Resources`: every value as written (the SDK checks the
/// types itself and raises its own errors). `{}` is `Resources()`, which is
/// set, unlike an absent `Resources`.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// CPU (both SDKs).
    #[serde(default, deserialize_with = "some_node")]
    pub cpu: Option<Node>,
    /// GPU (both SDKs; in Flyte 2 also an accelerator string or device).
    #[serde(default, deserialize_with = "some_node")]
    pub gpu: Option<Node>,
    /// flytekit: memory.
    #[serde(default, deserialize_with = "some_node")]
    pub mem: Option<Node>,
    /// flytekit: ephemeral storage.
    #[serde(default, deserialize_with = "some_node")]
    pub ephemeral_storage: Option<Node>,
    /// Flyte 2: memory.
    #[serde(default, deserialize_with = "some_node")]
    pub memory: Option<Node>,
    /// Flyte 2: ephemeral storage.
    #[serde(default, deserialize_with = "some_node")]
    pub disk: Option<Node>,
    /// Flyte 2: shared memory (`"auto"` or a quantity).
    #[serde(default, deserialize_with = "some_node")]
    pub shm: Option<Node>,
}

/// `null` means unset (`None`); anything else is kept.
fn some_node<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Node>, D::Error> {
    let n = Node::deserialize(d)?;
    Ok(match n {
        Node::Null => None,
        n => Some(n),
    })
}

/// The SDKs' `PodTemplate`: a pod spec plus the primary container's name
/// and the pod's labels and annotations.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodTemplate {
    /// The pod spec, in its Kubernetes JSON form (camelCase keys).
    #[serde(default, deserialize_with = "pod_spec")]
    pub pod_spec: Option<PodSpec>,
    /// The primary container's name (default `"primary"`).
    #[serde(default = "primary")]
    pub primary_container_name: String,
    /// Pod labels.
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    /// Pod annotations.
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
}

fn primary() -> String {
    flyte_ray_k8s::PRIMARY_CONTAINER_DEFAULT_NAME.to_owned()
}

/// Reads a pod spec strictly: k8s-openapi's deserializer over the document
/// tree (which refuses a string that is not a Kubernetes quantity wherever
/// the spec has a `Quantity`), then a check that serializing it gives the
/// document back (minus `null`s), so a key k8s-openapi does not know is an
/// error rather than silently dropped.
fn pod_spec<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PodSpec>, D::Error> {
    let node = Node::deserialize(d)?;
    if node == Node::Null {
        return Ok(None);
    }
    let spec: PodSpec = serde_path_to_error::deserialize(&node).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            de::Error::custom(inner)
        } else {
            de::Error::custom(format!("{path}: {inner}"))
        }
    })?;
    let json = node.to_json();
    let back = serde_json::to_value(&spec).map_err(de::Error::custom)?;
    if let Some((path, what)) = first_difference(&strip_nulls(&json), &back, String::new()) {
        return Err(de::Error::custom(format!("{path}: {what}")));
    }
    Ok(Some(spec))
}

/// The JSON with every `null` object member removed (the SDK's
/// deserialize-then-sanitize round trip does the same).
fn strip_nulls(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Object(m) => J::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        J::Array(a) => J::Array(a.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

/// Where the pod spec as written and as k8s-openapi read it first differ.
fn first_difference(
    want: &serde_json::Value,
    got: &serde_json::Value,
    path: String,
) -> Option<(String, String)> {
    use serde_json::Value as J;
    let at = |p: &str| {
        if p.is_empty() {
            ".".to_owned()
        } else {
            p.to_owned()
        }
    };
    match (want, got) {
        (J::Object(w), J::Object(g)) => {
            for (k, wv) in w {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match g.get(k) {
                    None => {
                        return Some((
                            p,
                            "unknown field (not part of a Kubernetes PodSpec)".into(),
                        ));
                    }
                    Some(gv) => {
                        if let Some(d) = first_difference(wv, gv, p) {
                            return Some(d);
                        }
                    }
                }
            }
            for k in g.keys() {
                if !w.contains_key(k) {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    return Some((p, "missing required field".into()));
                }
            }
            None
        }
        (J::Array(w), J::Array(g)) if w.len() == g.len() => w
            .iter()
            .zip(g)
            .enumerate()
            .find_map(|(i, (wv, gv))| first_difference(wv, gv, format!("{path}[{i}]"))),
        (J::Number(w), J::Number(g)) if w.as_f64() == g.as_f64() => None,
        _ if want == got => None,
        _ => Some((
            at(&path),
            format!("not a faithful Kubernetes value: {want} is read as {got}"),
        )),
    }
}

/// flyte's `ReusePolicy` keyword arguments (Flyte 2 only). Values are kept
/// as written; the builder checks them as `ReusePolicy.__post_init__` does.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReusePolicy {
    /// `replicas` (default 2): an int or a `[min, max]` pair.
    #[serde(default, deserialize_with = "some_node")]
    pub replicas: Option<Node>,
    /// `idle_ttl` (default 30).
    #[serde(default, deserialize_with = "some_node")]
    pub idle_ttl: Option<Node>,
    /// `concurrency` (default 1).
    #[serde(default, deserialize_with = "some_node")]
    pub concurrency: Option<Node>,
    /// `scaledown_ttl` (default 30).
    #[serde(default, deserialize_with = "some_node")]
    pub scaledown_ttl: Option<Node>,
    /// `scope` (default `"global"`).
    #[serde(default, deserialize_with = "some_node")]
    pub scope: Option<Node>,
}

impl RayJobConfig {
    /// Reads a config document (YAML or JSON) for `sdk`, strictly.
    ///
    /// # Errors
    /// [`ConfigError`] with the path of the offending key:
    /// `worker_node_config[1].requests.memory: unknown field for flytekit ...`.
    pub fn from_str(text: &str, sdk: Sdk) -> Result<Self, ConfigError> {
        let node = parse_document(text)?;
        Self::from_node(&node, sdk)
    }

    /// Reads a config from a document tree.
    ///
    /// # Errors
    /// As [`from_str`](Self::from_str).
    pub fn from_node(node: &Node, sdk: Sdk) -> Result<Self, ConfigError> {
        let cfg: RayJobConfig = serde_path_to_error::deserialize(node).map_err(|e| {
            let path = e.path().to_string();
            ConfigError::Invalid {
                path,
                message: e.into_inner().to_string(),
            }
        })?;
        cfg.check_keys(sdk)?;
        Ok(cfg)
    }

    /// Refuses the keys the other SDK has.
    fn check_keys(&self, sdk: Sdk) -> Result<(), ConfigError> {
        let wrong = |path: String, key: &str| ConfigError::Invalid {
            path: format!("{path}.{key}"),
            message: format!("unknown field `{key}` for {sdk}"),
        };
        let check_res = |path: String, r: &Option<Resources>| -> Result<(), ConfigError> {
            let Some(r) = r else { return Ok(()) };
            let (a, b, c, names): (_, _, _, [&str; 3]) = match sdk {
                Sdk::Flytekit => (&r.memory, &r.disk, &r.shm, ["memory", "disk", "shm"]),
                Sdk::Flyte2 => (
                    &r.mem,
                    &r.ephemeral_storage,
                    &None,
                    ["mem", "ephemeral_storage", ""],
                ),
            };
            for (v, name) in [a, b, c].into_iter().zip(names) {
                if v.is_some() {
                    return Err(wrong(path.clone(), name));
                }
            }
            Ok(())
        };
        for (i, w) in self.worker_node_config.iter().enumerate() {
            check_res(format!("worker_node_config[{i}].requests"), &w.requests)?;
            check_res(format!("worker_node_config[{i}].limits"), &w.limits)?;
        }
        if let Some(h) = &self.head_node_config {
            check_res("head_node_config.requests".into(), &h.requests)?;
            check_res("head_node_config.limits".into(), &h.limits)?;
        }
        if let Some(a) = &self.autoscaler_options {
            let p = "autoscaler_options".to_owned();
            match sdk {
                Sdk::Flytekit => {
                    if a.resources.is_some() {
                        return Err(wrong(p, "resources"));
                    }
                    check_res(format!("{p}.requests"), &a.requests)?;
                    check_res(format!("{p}.limits"), &a.limits)?;
                }
                Sdk::Flyte2 => {
                    if a.requests.is_some() {
                        return Err(wrong(p, "requests"));
                    }
                    if a.limits.is_some() {
                        return Err(wrong(p, "limits"));
                    }
                    check_res(format!("{p}.resources"), &a.resources)?;
                }
            }
        }
        if sdk == Sdk::Flytekit && self.reusable.is_some() {
            return Err(ConfigError::Invalid {
                path: "reusable".into(),
                message:
                    "unknown field `reusable` for flytekit (a Flyte 2 TaskEnvironment setting)"
                        .into(),
            });
        }
        Ok(())
    }
}
