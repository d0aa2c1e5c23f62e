//! flytekit 1.16.31's `RayFunctionTask.get_custom`, step for step: the
//! construction-time checks of the dataclasses (in the order Python builds
//! them), then `get_custom`'s own steps, then the int32 range checks of
//! `to_flyte_idl()`. Each quirk is named where it is reproduced; the crate
//! docs (`docs/TASK_LAYER.md`) list them all.

use std::collections::BTreeMap;

use flyte_ray_models::{
    AutoscalerOptions, HeadGroupSpec, K8sObjectMetadata, K8sPod, KeyValuePair, RayCluster, RayJob,
    ResourceEntry, ResourceName, Resources as ResourcesModel, WorkerGroupSpec,
};
use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value};

use std::fmt::Display;

use crate::build::{Join, Warnings, WorkerPath, int32, pod_spec_struct, runtime_env_fields};
use crate::config::{PodTemplate, RayJobConfig, Resources};
use crate::doc::Node;
use crate::error::{BuildError, SdkError, SdkErrorType};
use crate::pyrepr::py_str;

const HEAD: &str = "ray-head";
const WORKER: &str = "ray-worker";

/// The flytekit `Resources` fields in declaration order, with the type
/// names `_check_value` prints and whether `float` is allowed.
fn fields(r: &Resources) -> [(&'static str, &Option<Node>, bool, &'static str); 4] {
    [
        ("cpu", &r.cpu, true, "cpu"),
        ("mem", &r.mem, false, "memory"),
        ("gpu", &r.gpu, false, "nvidia.com/gpu"),
        (
            "ephemeral_storage",
            &r.ephemeral_storage,
            false,
            "ephemeral-storage",
        ),
    ]
}

/// `isinstance(value, valid_types)`: bool is an int in Python.
fn valid_single(v: &Node, float_ok: bool) -> bool {
    match v {
        Node::Str(_) | Node::Int(_) | Node::Bool(_) => true,
        Node::Float(_) => float_ok,
        _ => false,
    }
}

/// `Resources.__post_init__`.
fn check_resources(r: &Resources, path: &dyn Display) -> Result<(), SdkError> {
    for (name, value, float_ok, _) in fields(r) {
        let Some(value) = value else { continue };
        let single = valid_single(value, float_ok);
        let multiple = match value {
            Node::List(items) => items.iter().all(|v| valid_single(v, float_ok)),
            _ => false,
        };
        if !single && !multiple {
            let types = if float_ok {
                "str, int, float"
            } else {
                "str, int"
            };
            return Err(SdkError::new(
                SdkErrorType::AssertionError,
                format!("{path}.{name}"),
                format!(
                    "{} should be of type {types} or a list/tuple of {types}",
                    py_str(value)
                ),
            ));
        }
        if let Node::List(items) = value
            && multiple
            && items.len() != 2
        {
            return Err(SdkError::value(
                format!("{path}.{name}"),
                format!("{} must be of length 2", py_str(value)),
            ));
        }
    }
    Ok(())
}

/// `PodTemplate.__post_init__`: an empty primary container name.
fn check_pod_template(pt: &PodTemplate, path: &dyn Display) -> Result<(), SdkError> {
    if pt.primary_container_name.is_empty() {
        return Err(SdkError::new(
            SdkErrorType::FlyteValidationException,
            format!("{path}.primary_container_name"),
            "USER:ValidationError: error=A primary container name cannot be undefined",
        ));
    }
    Ok(())
}

/// The construction of one node config: template, requests, limits, then
/// the node's `__post_init__`.
fn construct_node(
    pod_template: &Option<PodTemplate>,
    requests: &Option<Resources>,
    limits: &Option<Resources>,
    path: &dyn Display,
) -> Result<(), SdkError> {
    if let Some(pt) = pod_template {
        check_pod_template(pt, &Join(path, "pod_template"))?;
    }
    if let Some(r) = requests {
        check_resources(r, &Join(path, "requests"))?;
    }
    if let Some(l) = limits {
        check_resources(l, &Join(path, "limits"))?;
    }
    // `if self.pod_template: if self.requests and self.limits:` — a
    // dataclass is always truthy, so `Resources()` counts.
    if pod_template.is_some() && requests.is_some() && limits.is_some() {
        return Err(SdkError::value(
            path.to_string(),
            "Cannot specify both pod_template and requests/limits",
        ));
    }
    Ok(())
}

/// `_check_resource_is_singular`.
fn check_singular(r: &Resources, path: &dyn Display) -> Result<(), SdkError> {
    for (name, value, _, _) in fields(r) {
        if let Some(v @ Node::List(_)) = value {
            return Err(SdkError::value(
                format!("{path}.{name}"),
                format!("{} can not be a list or tuple", py_str(v)),
            ));
        }
    }
    Ok(())
}

/// A document value as the pod spec's JSON gives it: numbers become
/// `Struct` doubles, booleans stay booleans.
pub(crate) fn raw_value(v: &Node) -> Value {
    let kind = match v {
        Node::Null => Kind::NullValue(0),
        Node::Bool(b) => Kind::BoolValue(*b),
        Node::Int(s) => Kind::NumberValue(s.parse::<f64>().unwrap_or(f64::NAN)),
        Node::Float(f) => Kind::NumberValue(*f),
        Node::Str(s) => Kind::StringValue(s.clone()),
        Node::List(items) => Kind::ListValue(ListValue {
            values: items.iter().map(raw_value).collect(),
        }),
        Node::Map(m) => Kind::StructValue(Struct {
            fields: m.iter().map(|(k, v)| (k.clone(), raw_value(v))).collect(),
        }),
    };
    Value { kind: Some(kind) }
}

/// `_construct_k8s_pods_resources`: the Kubernetes resource map.
fn k8s_resources(r: &Option<Resources>, path: &dyn Display) -> Result<Option<Struct>, SdkError> {
    let Some(r) = r else { return Ok(None) };
    check_singular(r, path)?;
    let mut fields_out = BTreeMap::new();
    for (_, value, _, key) in fields(r) {
        if let Some(v) = value {
            fields_out.insert(key.to_owned(), raw_value(v));
        }
    }
    Ok(Some(Struct { fields: fields_out }))
}

/// flytekit's `pod_spec_from_resources(name, requests, limits)`, with the
/// mirroring `requests = requests or limits; limits = limits or requests`.
pub(crate) fn pod_spec_from_resources(
    name: &str,
    requests: Option<Struct>,
    limits: Option<Struct>,
) -> Struct {
    let truthy = |s: &Option<Struct>| s.as_ref().is_some_and(|s| !s.fields.is_empty());
    let requests = if truthy(&requests) {
        requests
    } else {
        limits.clone()
    };
    let limits = if truthy(&limits) {
        limits
    } else {
        requests.clone()
    };
    let mut resources = BTreeMap::new();
    if let Some(r) = requests {
        resources.insert("requests".to_owned(), struct_value(r));
    }
    if let Some(l) = limits {
        resources.insert("limits".to_owned(), struct_value(l));
    }
    let mut container = BTreeMap::new();
    container.insert("name".to_owned(), string_value(name));
    container.insert(
        "resources".to_owned(),
        struct_value(Struct { fields: resources }),
    );
    let mut spec = BTreeMap::new();
    spec.insert(
        "containers".to_owned(),
        Value {
            kind: Some(Kind::ListValue(ListValue {
                values: vec![struct_value(Struct { fields: container })],
            })),
        },
    );
    Struct { fields: spec }
}

pub(crate) fn struct_value(s: Struct) -> Value {
    Value {
        kind: Some(Kind::StructValue(s)),
    }
}

pub(crate) fn string_value(s: &str) -> Value {
    Value {
        kind: Some(Kind::StringValue(s.to_owned())),
    }
}

/// `K8sPod.from_pod_template`: metadata always present.
pub(crate) fn k8s_pod(
    spec: Struct,
    primary: &str,
    labels: Option<&BTreeMap<String, String>>,
    annotations: Option<&BTreeMap<String, String>>,
) -> K8sPod {
    let mut metadata = K8sObjectMetadata::new();
    if let Some(l) = labels {
        metadata
            .labels_mut()
            .extend(l.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if let Some(a) = annotations {
        metadata
            .annotations_mut()
            .extend(a.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    K8sPod::new()
        .with_metadata(metadata)
        .with_pod_spec(spec)
        .with_primary_container_name(primary)
}

/// The pod of a head or worker: from resources (the template dropped), or
/// the template, or none.
fn node_pod(
    name: &str,
    pod_template: &Option<PodTemplate>,
    requests: &Option<Resources>,
    limits: &Option<Resources>,
    path: &dyn Display,
    warnings: &mut Warnings,
) -> Result<Option<K8sPod>, BuildError> {
    if requests.is_some() || limits.is_some() {
        let req = k8s_resources(requests, &Join(path, "requests"))?;
        let lim = k8s_resources(limits, &Join(path, "limits"))?;
        if pod_template.is_some() {
            warnings.push(
                "pod-template-dropped",
                format!("{path}.pod_template"),
                "flytekit ignores the whole pod_template (pod spec, labels, annotations, primary \
                 container name) when requests or limits are set; the pod is built from the \
                 resources alone",
            );
        }
        warnings.primary_name_mismatch(path, name);
        let spec = pod_spec_from_resources(name, req, lim);
        // A `PodTemplate(pod_spec=...)` with the default primary name.
        return Ok(Some(k8s_pod(
            spec,
            flyte_ray_k8s::PRIMARY_CONTAINER_DEFAULT_NAME,
            None,
            None,
        )));
    }
    match pod_template {
        None => Ok(None),
        Some(pt) => {
            let spec = pod_spec_struct(pt.pod_spec.as_ref(), &Join(path, "pod_template"))?;
            Ok(Some(k8s_pod(
                spec,
                &pt.primary_container_name,
                pt.labels.as_ref(),
                pt.annotations.as_ref(),
            )))
        }
    }
}

/// `convert_resources_to_resource_model` for the autoscaler.
fn resource_entries(
    r: &Option<Resources>,
    path: &dyn Display,
) -> Result<Vec<ResourceEntry>, SdkError> {
    let Some(r) = r else { return Ok(Vec::new()) };
    check_singular(r, path)?;
    let names = [
        ResourceName::Cpu,
        ResourceName::Memory,
        ResourceName::Gpu,
        ResourceName::EphemeralStorage,
    ];
    Ok(fields(r)
        .into_iter()
        .zip(names)
        .filter_map(|((_, v, _, _), name)| v.as_ref().map(|v| ResourceEntry::new(name, py_str(v))))
        .collect())
}

/// flytekit's `get_custom` for `cfg`.
pub(crate) fn build(cfg: &RayJobConfig, warnings: &mut Warnings) -> Result<RayJob, BuildError> {
    // 1. Construction, in Python's order: workers, head, autoscaler.
    for (i, w) in cfg.worker_node_config.iter().enumerate() {
        construct_node(&w.pod_template, &w.requests, &w.limits, &WorkerPath(i))?;
    }
    if let Some(h) = &cfg.head_node_config {
        construct_node(&h.pod_template, &h.requests, &h.limits, &"head_node_config")?;
    }
    if let Some(a) = &cfg.autoscaler_options {
        if let Some(r) = &a.requests {
            check_resources(r, &"autoscaler_options.requests")?;
        }
        if let Some(l) = &a.limits {
            check_resources(l, &"autoscaler_options.limits")?;
        }
    }

    // 2. get_custom's Python steps: runtime env, head, workers, autoscaler.
    let runtime_env = runtime_env_fields(cfg)?;
    let head = match &cfg.head_node_config {
        None => None,
        Some(h) => {
            let pod = node_pod(
                HEAD,
                &h.pod_template,
                &h.requests,
                &h.limits,
                &"head_node_config",
                warnings,
            )?;
            let mut spec = HeadGroupSpec::new();
            if let Some(p) = &h.ray_start_params {
                spec.ray_start_params_mut().extend(p.clone());
            }
            spec.set_k8s_pod(pod);
            Some(spec)
        }
    };
    let mut pods = Vec::with_capacity(cfg.worker_node_config.len());
    for (i, w) in cfg.worker_node_config.iter().enumerate() {
        pods.push(node_pod(
            WORKER,
            &w.pod_template,
            &w.requests,
            &w.limits,
            &WorkerPath(i),
            warnings,
        )?);
    }
    let autoscaler = match &cfg.autoscaler_options {
        None => None,
        Some(a) => {
            let requests = resource_entries(&a.requests, &"autoscaler_options.requests")?;
            let limits = resource_entries(&a.limits, &"autoscaler_options.limits")?;
            Some((a, ResourcesModel::new(requests, limits)))
        }
    };

    // 3. to_flyte_idl(): int32 fields, workers first.
    let mut groups = Vec::with_capacity(pods.len());
    for (i, (w, pod)) in cfg.worker_node_config.iter().zip(pods).enumerate() {
        let path = WorkerPath(i);
        // WorkerGroupSpec's clamping, on Python ints (it hides an
        // out-of-range bound that loses the min/max).
        let min = w.min_replicas.map_or(w.replicas, |m| w.replicas.min(m));
        let max = w.max_replicas.map_or(w.replicas, |m| w.replicas.max(m));
        if let Some(m) = w.min_replicas
            && m > w.replicas
        {
            warnings.push(
                "min-replicas-clamped",
                format!("{path}.min_replicas"),
                format!(
                    "flytekit clamps min_replicas to min(replicas, min_replicas): {m} becomes {}",
                    w.replicas
                ),
            );
        }
        if let Some(m) = w.max_replicas
            && m < w.replicas
        {
            warnings.push(
                "max-replicas-clamped",
                format!("{path}.max_replicas"),
                format!(
                    "flytekit clamps max_replicas to max(replicas, max_replicas): {m} becomes {}",
                    w.replicas
                ),
            );
        }
        let replicas = int32(w.replicas, Join(&path, "replicas"))?;
        let min = int32(min, Join(&path, "min_replicas"))?;
        let max = int32(max, Join(&path, "max_replicas"))?;
        let mut g = WorkerGroupSpec::new(w.group_name.clone(), replicas);
        g.set_min_replicas(min);
        g.set_max_replicas(max);
        if let Some(p) = &w.ray_start_params {
            g.ray_start_params_mut().extend(p.clone());
        }
        g.set_k8s_pod(pod);
        groups.push(g);
    }
    let mut cluster = RayCluster::new(groups).with_enable_autoscaling(cfg.enable_autoscaling);
    if let Some(h) = head {
        cluster.set_head_group_spec(Some(h));
    }
    if let Some((a, resources)) = autoscaler {
        cluster.set_autoscaler_options(Some(autoscaler_options(
            a.upscaling_mode.map(|m| m.number()),
            a.idle_timeout_seconds,
            a.image.as_deref(),
            a.env.as_ref().map(|e| e.0.as_slice()),
            Some(resources),
        )?));
    }
    finish_job(cfg, cluster, runtime_env, warnings)
}

/// `AutoscalerOptions(...)` with its int32 checks (mode, then idle timeout).
pub(crate) fn autoscaler_options(
    mode: Option<i128>,
    idle: Option<i128>,
    image: Option<&str>,
    env: Option<&[(String, String)]>,
    resources: Option<ResourcesModel>,
) -> Result<AutoscalerOptions, BuildError> {
    let mut o = AutoscalerOptions::new();
    if let Some(m) = mode {
        o.set_upscaling_mode(int32(m, "autoscaler_options.upscaling_mode")?);
    }
    if let Some(i) = idle {
        o.set_idle_timeout_seconds(int32(i, "autoscaler_options.idle_timeout_seconds")?);
    }
    if let Some(img) = image {
        o = o.with_image(img);
    }
    if let Some(env) = env {
        o.env_mut().extend(env.iter().map(|(k, v)| KeyValuePair {
            key: k.clone(),
            value: v.clone(),
        }));
    }
    if let Some(r) = resources {
        o = o.with_resources(r);
    }
    Ok(o)
}

/// `RayJob(...)`: ttl (int32), shutdown, runtime env; the job-level
/// warnings.
pub(crate) fn finish_job(
    cfg: &RayJobConfig,
    cluster: RayCluster,
    runtime_env: Option<(String, String)>,
    warnings: &mut Warnings,
) -> Result<RayJob, BuildError> {
    let mut job =
        RayJob::new(cluster).with_shutdown_after_job_finishes(cfg.shutdown_after_job_finishes);
    if let Some(ttl) = cfg.ttl_seconds_after_finished {
        job = job.with_ttl_seconds_after_finished(int32(ttl, "ttl_seconds_after_finished")?);
    }
    if let Some((json_b64, yaml)) = runtime_env {
        job = job.with_runtime_env(json_b64).with_runtime_env_yaml(yaml);
    }
    warnings.job_level(cfg);
    Ok(job)
}
