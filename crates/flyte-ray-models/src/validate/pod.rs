//! Rules for a `K8sPod`: metadata, the pod spec (typed reading, quantities)
//! and, inside a Ray group, the Ray container.

use serde_json::{Map, Value};

use super::{Sink, field, index, key, rules};
use crate::K8sPod;

/// Which Ray group a pod belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Head,
    Worker,
}

impl Role {
    /// The name Flyte's backend gives the Ray container.
    fn container_name(self) -> &'static str {
        match self {
            Role::Head => "ray-head",
            Role::Worker => "ray-worker",
        }
    }
}

pub(super) fn pod(k: &K8sPod, p: &str, role: Option<Role>, sink: &mut Sink) {
    if let Some(m) = &k.metadata {
        let mp = field(p, "metadata");
        let lp = field(&mp, "labels");
        for (k, v) in &m.labels {
            if let Err(e) = flyte_ray_k8s::is_qualified_name(k) {
                sink.push(
                    &rules::LABEL_KEY_INVALID,
                    key(&lp, k),
                    format!("key {k:?} is not a qualified name ({e}); Kubernetes rejects the pod"),
                );
            }
            if let Err(e) = flyte_ray_k8s::is_valid_label_value(v) {
                sink.push(
                    &rules::LABEL_VALUE_INVALID,
                    key(&lp, k),
                    format!(
                        "value {v:?} is not a valid label value ({e}); Kubernetes rejects the pod"
                    ),
                );
            }
        }
        let ap = field(&mp, "annotations");
        for k in m.annotations.keys() {
            if let Err(e) = flyte_ray_k8s::is_qualified_name(k) {
                sink.push(
                    &rules::ANNOTATION_KEY_INVALID,
                    key(&ap, k),
                    format!("key {k:?} is not a qualified name ({e}); Kubernetes rejects the pod"),
                );
            }
        }
    }
    if let Some(spec) = k.pod_spec() {
        let sp = field(p, "podSpec");
        if let Err(e) = flyte_ray_k8s::struct_to_pod_spec(spec) {
            let full = e.to_string();
            let at = e.path();
            let message = full.strip_prefix(&format!("{at}: ")).unwrap_or(&full);
            sink.push(
                &rules::POD_SPEC_INVALID,
                join_path(&sp, at),
                format!(
                    "{message}; the pod spec does not read as a Kubernetes PodSpec, so Flyte's \
                     backend fails the task"
                ),
            );
        }
        // A NaN or a nesting too deep is reported above; nothing more to walk.
        if let Ok(json) = flyte_ray_k8s::struct_to_json(spec) {
            quantities(&json, &sp, sink);
            if let Some(role) = role {
                containers(k, spec, &json, role, &sp, sink);
            }
        }
    }
    if role.is_some() && k.data_config.is_some() {
        sink.push(
            &rules::DATA_CONFIG_IGNORED,
            field(p, "dataConfig"),
            "is set on a Ray group's pod; Flyte's backend ignores it (Ray pods get no \
             data loading sidecar)"
                .to_owned(),
        );
    }
}

/// Appends a path the k8s crate rendered (`containers[0].name`, or empty) to
/// `prefix`.
fn join_path(prefix: &str, rest: &str) -> String {
    if rest.is_empty() || rest == "." {
        prefix.to_owned()
    } else if rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        field(prefix, rest.trim_start_matches('.'))
    }
}

/// Checks every resource quantity a pod spec holds: containers' (and init and
/// ephemeral containers') requests and limits, pod-level resources, overhead
/// and `emptyDir.sizeLimit`. Values that are not strings are left to the
/// typed reading.
fn quantities(spec: &Map<String, Value>, p: &str, sink: &mut Sink) {
    fn resource_maps(resources: &Value, p: &str, sink: &mut Sink) {
        for list in ["limits", "requests"] {
            if let Some(Value::Object(m)) = resources.get(list) {
                quantity_map(m, &field(p, list), sink);
            }
        }
    }
    fn quantity_map(m: &Map<String, Value>, p: &str, sink: &mut Sink) {
        for (k, v) in m {
            if let Value::String(s) = v {
                quantity(s, key(p, k), sink);
            }
        }
    }
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        if let Some(Value::Array(cs)) = spec.get(list) {
            let lp = field(p, list);
            for (i, c) in cs.iter().enumerate() {
                if let Some(r) = c.get("resources") {
                    resource_maps(r, &field(&index(&lp, i), "resources"), sink);
                }
            }
        }
    }
    if let Some(r) = spec.get("resources") {
        resource_maps(r, &field(p, "resources"), sink);
    }
    if let Some(Value::Object(m)) = spec.get("overhead") {
        quantity_map(m, &field(p, "overhead"), sink);
    }
    if let Some(Value::Array(vs)) = spec.get("volumes") {
        let vp = field(p, "volumes");
        for (i, v) in vs.iter().enumerate() {
            if let Some(Value::String(s)) = v.get("emptyDir").and_then(|e| e.get("sizeLimit")) {
                quantity(
                    s,
                    field(&field(&index(&vp, i), "emptyDir"), "sizeLimit"),
                    sink,
                );
            }
        }
    }
}

/// Checks one quantity: it parses, and is not negative.
pub(super) fn quantity(s: &str, path: String, sink: &mut Sink) {
    match flyte_ray_k8s::parse_quantity(s) {
        Err(e) => sink.push(
            &rules::QUANTITY_INVALID,
            path,
            format!("{e}; Kubernetes rejects the pod"),
        ),
        Ok(q) if q.is_negative() => sink.push(
            &rules::QUANTITY_INVALID,
            path,
            format!("{s:?} is negative; Kubernetes rejects a negative resource quantity"),
        ),
        Ok(_) => {}
    }
}

/// The Ray-container rules of a head or worker group's pod.
fn containers(
    k: &K8sPod,
    spec: &prost_types::Struct,
    json: &Map<String, Value>,
    role: Role,
    p: &str,
    sink: &mut Sink,
) {
    let Some(Value::Array(cs)) = json.get("containers") else {
        return;
    };
    let ray = role.container_name();
    let primary = k.primary_container_name.as_str();
    let cp = field(p, "containers");
    for (i, c) in cs.iter().enumerate() {
        let Some(Value::String(name)) = c.get("name") else {
            continue; // a missing name is a pod-spec-invalid error already
        };
        if name != ray && name != primary {
            let also = if primary.is_empty() || primary == ray {
                String::new()
            } else {
                format!(" nor the primary container {primary:?}")
            };
            sink.push(
                &rules::CONTAINER_DROPPED,
                field(&index(&cp, i), "name"),
                format!(
                    "container {name:?} is neither the Ray container {ray:?}{also}; Flyte's \
                     backend merges containers by name and silently drops this one"
                ),
            );
        }
    }
    let found = [primary, ray]
        .into_iter()
        .filter(|n| !n.is_empty())
        .find_map(|n| flyte_ray_k8s::find_container(spec, n).map(|(i, _)| (n, i)));
    if let Some((name, i)) = found
        && i > 0
    {
        sink.push(
            &rules::RAY_CONTAINER_NOT_FIRST,
            index(&cp, i),
            format!(
                "the Ray container {name:?} is containers[{i}]; KubeRay runs Ray in \
                 containers[0], so it would start Ray in the wrong container"
            ),
        );
    }
}
