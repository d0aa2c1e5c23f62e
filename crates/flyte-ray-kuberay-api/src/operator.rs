//! KubeRay's operator-side validation of a RayJob (RENDERING.md §15.3:
//! ray-project/kuberay v1.5.1 `ray-operator/controllers/ray/utils/validation.go`),
//! the checks the CRD schema cannot express. A RayJob failing them gets
//! `status.jobDeploymentStatus: ValidationFailed` (or is refused by KubeRay's
//! optional webhook). Every finding is a [`Severity::Error`](crate::Severity::Error).
//!
//! Not checked, as §15.3 says they cannot apply to what Flyte renders: the
//! GCS fault-tolerance and auth rules (Flyte never sets those fields).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use crate::finding::{Finding, push_key};

/// Rule id: `metadata.name` longer than 47 characters.
pub const NAME_TOO_LONG: &str = "kuberay.name-too-long";
/// Rule id: `metadata.name` not a DNS-1035 label.
pub const NAME_NOT_DNS1035: &str = "kuberay.name-not-dns1035";
/// Rule id: `ttlSecondsAfterFinished` negative.
pub const TTL_NEGATIVE: &str = "kuberay.ttl-negative";
/// Rule id: `ttlSecondsAfterFinished > 0` without `shutdownAfterJobFinishes`.
pub const TTL_WITHOUT_SHUTDOWN: &str = "kuberay.ttl-without-shutdown";
/// Rule id: no `rayClusterSpec`.
pub const NO_CLUSTER_SPEC: &str = "kuberay.no-cluster-spec";
/// Rule id: a group template without containers.
pub const NO_CONTAINERS: &str = "kuberay.no-containers";
/// Rule id: `rayStartParams["labels"]` set.
pub const START_PARAMS_LABELS: &str = "kuberay.start-params-labels";
/// Rule id: a group `labels` key or value that is not a valid label.
pub const GROUP_LABEL: &str = "kuberay.group-label";
/// Rule id: resource start parameters combined with the group `resources` map.
pub const RESOURCES_CONFLICT: &str = "kuberay.resources-conflict";
/// Rule id: `RAY_enable_autoscaler_v2` on with in-tree autoscaling off.
pub const AUTOSCALER_V2_WITHOUT_AUTOSCALING: &str = "kuberay.autoscaler-v2-without-autoscaling";
/// Rule id: both `autoscalerOptions.version` and `RAY_enable_autoscaler_v2` set.
pub const AUTOSCALER_VERSION_TWICE: &str = "kuberay.autoscaler-version-twice";
/// Rule id: autoscaler v2 with a `restartPolicy` other than `Never`.
pub const AUTOSCALER_V2_RESTART_POLICY: &str = "kuberay.autoscaler-v2-restart-policy";
/// Rule id: `runtimeEnvYAML` that does not parse as YAML.
pub const RUNTIME_ENV_YAML: &str = "kuberay.runtime-env-yaml";

/// KubeRay's limit on a RayJob name (it derives longer names from it).
pub const MAX_RAYJOB_NAME_LENGTH: usize = 47;

/// The env var that turns on autoscaler v2 in the head container.
const AUTOSCALER_V2_ENV: &str = "RAY_enable_autoscaler_v2";

/// Start parameters that conflict with the group `resources` map.
const RESOURCE_START_PARAMS: [&str; 4] = ["num-cpus", "num-gpus", "memory", "resources"];

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

// The Kubernetes grammars (k8s.io/apimachinery validation): DNS-1035 label,
// DNS-1123 subdomain, qualified name (also the label value grammar).
static DNS1035: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"^[a-z]([-a-z0-9]*[a-z0-9])?$"));
static DNS1123_SUBDOMAIN: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
static QUALIFIED_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"));

fn matches(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(s))
}

fn valid_label_key(key: &str) -> bool {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let prefix_ok = prefix.is_none_or(|p| p.len() <= 253 && matches(&DNS1123_SUBDOMAIN, p));
    prefix_ok && name.len() <= 63 && matches(&QUALIFIED_NAME, name)
}

fn valid_label_value(value: &str) -> bool {
    value.is_empty() || (value.len() <= 63 && matches(&QUALIFIED_NAME, value))
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object()?.get(key)
}

/// A group of the cluster: its path and object.
struct Group<'a> {
    path: String,
    value: &'a Value,
    head: bool,
}

/// Checks `doc` (a whole RayJob as JSON) against KubeRay's operator rules;
/// returns every finding. Values of the wrong JSON type are skipped here:
/// [`check_schema`](crate::check_schema) reports them.
pub fn check_operator(doc: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    check_name(doc, &mut out);
    let spec = get(doc, "spec");
    let ttl = spec
        .and_then(|s| get(s, "ttlSecondsAfterFinished"))
        .and_then(Value::as_i64);
    let shutdown = spec
        .and_then(|s| get(s, "shutdownAfterJobFinishes"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if let Some(ttl) = ttl {
        if ttl < 0 {
            out.push(Finding::error(
                "spec.ttlSecondsAfterFinished",
                TTL_NEGATIVE,
                format!("must be >= 0, is {ttl}"),
            ));
        } else if ttl > 0 && !shutdown {
            out.push(Finding::error(
                "spec.ttlSecondsAfterFinished",
                TTL_WITHOUT_SHUTDOWN,
                format!(
                    "is {ttl} while shutdownAfterJobFinishes is false; KubeRay refuses a TTL without shutdown"
                ),
            ));
        }
    }
    if let Some(text) = spec
        .and_then(|s| get(s, "runtimeEnvYAML"))
        .and_then(Value::as_str)
        && let Err(e) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
    {
        out.push(Finding::error(
            "spec.runtimeEnvYAML",
            RUNTIME_ENV_YAML,
            format!("does not parse as YAML: {e}"),
        ));
    }
    let Some(cluster) = spec
        .and_then(|s| get(s, "rayClusterSpec"))
        .filter(|c| c.is_object())
    else {
        out.push(Finding::error(
            "spec.rayClusterSpec",
            NO_CLUSTER_SPEC,
            "is missing; KubeRay needs a cluster spec to run the job on",
        ));
        return out;
    };
    let mut groups = Vec::new();
    if let Some(head) = get(cluster, "headGroupSpec") {
        groups.push(Group {
            path: "spec.rayClusterSpec.headGroupSpec".to_owned(),
            value: head,
            head: true,
        });
    }
    if let Some(workers) = get(cluster, "workerGroupSpecs").and_then(Value::as_array) {
        for (i, w) in workers.iter().enumerate() {
            groups.push(Group {
                path: format!("spec.rayClusterSpec.workerGroupSpecs[{i}]"),
                value: w,
                head: false,
            });
        }
    }
    for g in &groups {
        check_group(g, &mut out);
    }
    check_autoscaler(cluster, &groups, &mut out);
    out
}

fn check_name(doc: &Value, out: &mut Vec<Finding>) {
    let name = get(doc, "metadata")
        .and_then(|m| get(m, "name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let len = name.chars().count();
    if len > MAX_RAYJOB_NAME_LENGTH {
        out.push(Finding::error(
            "metadata.name",
            NAME_TOO_LONG,
            format!(
                "{name:?} is {len} characters long; KubeRay allows at most {MAX_RAYJOB_NAME_LENGTH}"
            ),
        ));
    }
    if name.len() > 63 || !matches(&DNS1035, name) {
        out.push(Finding::error(
            "metadata.name",
            NAME_NOT_DNS1035,
            format!(
                "{name:?} is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters)"
            ),
        ));
    }
}

fn containers(group: &Value) -> Option<&Vec<Value>> {
    get(group, "template")
        .and_then(|t| get(t, "spec"))
        .and_then(|s| get(s, "containers"))
        .and_then(Value::as_array)
}

fn check_group(g: &Group<'_>, out: &mut Vec<Finding>) {
    if containers(g.value).is_none_or(Vec::is_empty) {
        out.push(Finding::error(
            format!("{}.template.spec.containers", g.path),
            NO_CONTAINERS,
            "the pod template has no containers",
        ));
    }
    let params = get(g.value, "rayStartParams").and_then(Value::as_object);
    if params.is_some_and(|p| p.contains_key("labels")) {
        out.push(Finding::error(
            format!("{}.rayStartParams.labels", g.path),
            START_PARAMS_LABELS,
            "KubeRay refuses rayStartParams[\"labels\"]; use the group's `labels` field",
        ));
    }
    if let Some(labels) = get(g.value, "labels").and_then(Value::as_object) {
        for (k, v) in labels {
            let mut path = format!("{}.labels", g.path);
            push_key(&mut path, k);
            if !valid_label_key(k) {
                out.push(Finding::error(
                    path.clone(),
                    GROUP_LABEL,
                    format!("{k:?} is not a valid label key"),
                ));
            }
            if let Some(v) = v.as_str()
                && !valid_label_value(v)
            {
                out.push(Finding::error(
                    path,
                    GROUP_LABEL,
                    format!("{v:?} is not a valid label value"),
                ));
            }
        }
    }
    let has_resources = get(g.value, "resources")
        .and_then(Value::as_object)
        .is_some_and(|r| !r.is_empty());
    if has_resources {
        for p in RESOURCE_START_PARAMS {
            if params.is_some_and(|m| m.contains_key(p)) {
                out.push(Finding::error(
                    format!("{}.rayStartParams.{p}", g.path),
                    RESOURCES_CONFLICT,
                    format!(
                        "rayStartParams[{p:?}] cannot be combined with the group's `resources`"
                    ),
                ));
            }
        }
    }
}

/// The value and path of env var `name` in the head's first container.
fn head_env(groups: &[Group<'_>], name: &str) -> Option<(String, String)> {
    let head = groups.iter().find(|g| g.head)?;
    let env = containers(head.value)?
        .first()
        .and_then(|c| get(c, "env"))?
        .as_array()?;
    env.iter().enumerate().find_map(|(i, e)| {
        (get(e, "name").and_then(Value::as_str) == Some(name)).then(|| {
            (
                get(e, "value")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                format!("{}.template.spec.containers[0].env[{i}]", head.path),
            )
        })
    })
}

fn truthy(s: &str) -> bool {
    matches!(s.to_ascii_lowercase().as_str(), "1" | "true")
}

fn check_autoscaler(cluster: &Value, groups: &[Group<'_>], out: &mut Vec<Finding>) {
    let enabled = get(cluster, "enableInTreeAutoscaling")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let env_v2 = head_env(groups, AUTOSCALER_V2_ENV);
    let options: Option<&Map<String, Value>> =
        get(cluster, "autoscalerOptions").and_then(Value::as_object);
    let version = options
        .and_then(|o| o.get("version"))
        .and_then(Value::as_str);
    if !enabled {
        if let Some((value, path)) = &env_v2
            && truthy(value)
        {
            out.push(Finding::error(
                path.clone(),
                AUTOSCALER_V2_WITHOUT_AUTOSCALING,
                format!("{AUTOSCALER_V2_ENV}={value:?} while enableInTreeAutoscaling is not true"),
            ));
        }
        return;
    }
    if let (Some(_), Some((_, path))) = (version, &env_v2) {
        out.push(Finding::error(
            "spec.rayClusterSpec.autoscalerOptions.version",
            AUTOSCALER_VERSION_TWICE,
            format!("set together with {AUTOSCALER_V2_ENV} ({path}); set only one"),
        ));
    }
    let v2 = version == Some("v2") || env_v2.as_ref().is_some_and(|(v, _)| truthy(v));
    if v2 {
        for g in groups {
            let policy = get(g.value, "template")
                .and_then(|t| get(t, "spec"))
                .and_then(|s| get(s, "restartPolicy"))
                .and_then(Value::as_str);
            if let Some(p) = policy.filter(|p| !p.is_empty() && *p != "Never") {
                out.push(Finding::error(
                    format!("{}.template.spec.restartPolicy", g.path),
                    AUTOSCALER_V2_RESTART_POLICY,
                    format!("is {p:?}; with autoscaler v2 it must be \"Never\" or unset"),
                ));
            }
        }
    }
}
