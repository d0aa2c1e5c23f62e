//! Flyte 2's `RayFunctionTask.custom_config` (flyte 2.12.1,
//! flyteplugins-ray 2.12.1), step for step: `flyte.Resources` (and
//! `flyte.GPU`/`flyte.TPU`) construction checks, `ReusePolicy` checks, the
//! task's reuse checks, then `custom_config` node by node. Each quirk is
//! named where it is reproduced; `docs/TASK_LAYER.md` lists them all.

use std::fmt;

use flyte_ray_models::{
    ExtendedResources, GPUAccelerator, HeadGroupSpec, RayCluster, RayJob, ResourceEntry,
    ResourceName, Resources as ResourcesModel, SharedMemory, WorkerGroupSpec,
};
use prost_types::Struct;
use serde_json::{Map, Value as J};

use crate::accelerators as acc;
use crate::build::{Join, Warnings, WorkerPath, int32, runtime_env_fields};
use crate::config::{PodTemplate, RayJobConfig, Resources, ReusePolicy};
use crate::doc::Node;
use crate::error::{BuildError, ConfigError, SdkError, SdkErrorType};
use crate::flytekit::{autoscaler_options, finish_job, k8s_pod, pod_spec_from_resources};
use crate::pyrepr::{py_repr, py_repr_inner, py_str, py_type_name};

const HEAD: &str = "ray-head";
const WORKER: &str = "ray-worker";

/// A `flyte.Device`: what `Resources.get_device()` returns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Device {
    /// `quantity`, as Python's `str()` prints it.
    quantity: String,
    /// `device_class`: GPU, TPU, NEURON, AMD_GPU, HABANA_GAUDI, APPLE_SILICON.
    class: &'static str,
    /// `device` (None for a bare count).
    device: Option<String>,
    /// `partition`.
    partition: Option<String>,
}

/// The `gpu` of a checked `flyte.Resources`.
#[derive(Debug, Clone, PartialEq)]
enum Gpu {
    /// An int (a bool is one in Python): a count.
    Count(Node),
    /// An accelerator string, aliases rewritten.
    Accel(String),
    /// A `GPU()`/`TPU()` device.
    Device(Device),
}

/// A checked `flyte.Resources`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Res<'a> {
    cpu: Option<&'a Node>,
    memory: Option<&'a Node>,
    gpu: Option<Gpu>,
    disk: Option<&'a Node>,
    shm: Option<&'a Node>,
}

fn is_negative(n: &Node) -> bool {
    match n {
        Node::Int(s) => s.starts_with('-'),
        Node::Float(f) => *f < 0.0,
        _ => false,
    }
}

fn tuple_repr(items: &[&str]) -> String {
    py_repr(&Node::List(
        items.iter().map(|s| Node::Str((*s).to_owned())).collect(),
    ))
}

/// The device object's argument, or a config error (the document shape).
fn arg<'a>(args: &'a [(String, Node)], key: &str) -> Option<&'a Node> {
    args.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .filter(|v| **v != Node::Null)
}

/// `flyte.GPU(**args)` / `flyte.TPU(**args)`.
fn device_object(
    entries: &[(String, Node)],
    path: &dyn fmt::Display,
) -> Result<Option<Device>, BuildError> {
    let [(kind, Node::Map(args))] = entries else {
        return Ok(None);
    };
    let bad = |m: String| {
        BuildError::Config(ConfigError::Invalid {
            path: path.to_string(),
            message: m,
        })
    };
    for (k, _) in args {
        let known: &[&str] = if kind == "GPU" {
            &["device", "quantity", "partition"]
        } else {
            &["device", "partition"]
        };
        if !known.contains(&k.as_str()) {
            return Err(bad(format!("unknown argument `{k}` of flyte.{kind}()")));
        }
    }
    let device = match arg(args, "device") {
        Some(Node::Str(s)) => s.clone(),
        _ => return Err(bad(format!("flyte.{kind}() needs a string `device`"))),
    };
    let partition = match arg(args, "partition") {
        None => None,
        Some(Node::Str(s)) => Some(s.clone()),
        Some(other) => {
            return Err(bad(format!(
                "`partition` must be a string, found {}",
                other.type_name()
            )));
        }
    };
    let sdk = |m: String| BuildError::Sdk(SdkError::value(path.to_string(), m));
    let check_part = |dev: &str, parts: &[&str]| -> Result<(), BuildError> {
        match &partition {
            Some(p) if !parts.contains(&p.as_str()) => Err(sdk(format!(
                "Invalid partition for {dev}: {p}. Must be one of {}",
                tuple_repr(parts)
            ))),
            _ => Ok(()),
        }
    };
    match kind.as_str() {
        "GPU" => {
            let quantity = match arg(args, "quantity") {
                Some(q @ Node::Int(_)) => q.clone(),
                _ => return Err(bad("flyte.GPU() needs an integer `quantity`".into())),
            };
            if quantity.as_i128().is_none_or(|q| q < 1) {
                return Err(sdk("GPU quantity must be at least 1".into()));
            }
            let device = match device.as_str() {
                "A100 80G" => "A100_80G".to_owned(),
                "RTX PRO 6000" => "RTX_PRO_6000".to_owned(),
                _ => device,
            };
            if !acc::GPU_TYPES.contains(&device.as_str()) {
                return Err(sdk(format!(
                    "Invalid GPU type: {device}. Must be one of {}",
                    tuple_repr(acc::GPU_TYPES)
                )));
            }
            if let Some(p) = &partition
                && acc::SHARED_GPU_TYPES.contains(&device.as_str())
            {
                return Err(sdk(format!(
                    "A shared GPU takes no partition, got {} for {device}. Request a plain device to use a MIG partition.",
                    flyte_ray_fmt::py_repr_str(p)
                )));
            }
            match device.as_str() {
                "A100" => check_part("A100", acc::A100_PARTS)?,
                "A100_80G" => check_part("A100_80G", acc::A100_80G_PARTS)?,
                "H100" => check_part("H100", acc::H100_PARTS)?,
                "H200" => check_part("H200", acc::H200_PARTS)?,
                "RTX_PRO_6000" => check_part("RTX_PRO_6000", acc::RTX_PRO_6000_PARTS)?,
                _ => {}
            }
            Ok(Some(Device {
                quantity: py_str(&quantity),
                class: "GPU",
                device: Some(device),
                partition,
            }))
        }
        "TPU" => {
            if !acc::TPU_TYPES.contains(&device.as_str()) {
                return Err(sdk(format!(
                    "Invalid TPU type: {device}. Must be one of {}",
                    tuple_repr(acc::TPU_TYPES)
                )));
            }
            match device.as_str() {
                "V5P" => check_part("V5P", acc::V5P_PARTS)?,
                "V6E" => check_part("V6E", acc::V6E_PARTS)?,
                _ => check_part("V5E", acc::V5E_PARTS)?,
            }
            Ok(Some(Device {
                quantity: "1".into(),
                class: "TPU",
                device: Some(device),
                partition,
            }))
        }
        _ => Ok(None),
    }
}

/// `_check_cpu_quantity(value, allow_pair=...)`.
/// `top`: `v` is the argument itself (a list is a tuple), not a pair element.
fn check_cpu(
    v: &Node,
    allow_pair: bool,
    allow_none: bool,
    path: &dyn fmt::Display,
) -> Result<(), SdkError> {
    let top = allow_none;
    match v {
        Node::Null if allow_none => Ok(()),
        Node::Null => Err(SdkError::value(
            path.to_string(),
            "cpu pair elements must both be set, got None",
        )),
        Node::List(items) if allow_pair => items
            .iter()
            .try_for_each(|e| check_cpu(e, false, false, path)),
        Node::Int(_) | Node::Float(_) | Node::Bool(_) | Node::Str(_) => {
            if is_negative(v) {
                Err(SdkError::value(
                    path.to_string(),
                    "cpu must be greater than or equal to 0",
                ))
            } else {
                Ok(())
            }
        }
        other => Err(SdkError::value(
            path.to_string(),
            format!(
                "cpu must be a core count or a Kubernetes quantity string such as 1, 0.5 or '100m', got {}: {}",
                py_type_name(other, top),
                if top {
                    py_repr(other)
                } else {
                    py_repr_inner(other)
                }
            ),
        )),
    }
}

/// `_check_quantity_string(name, value, allow_pair=...)`.
fn check_quantity_string(
    name: &str,
    v: &Node,
    allow_pair: bool,
    allow_none: bool,
    path: &dyn fmt::Display,
) -> Result<(), SdkError> {
    // Pair elements are checked with allow_none false; the argument itself
    // with allow_none true.
    let top = allow_none;
    match v {
        Node::Null if allow_none => Ok(()),
        Node::Null => Err(SdkError::value(
            path.to_string(),
            format!("{name} pair elements must both be set, got None"),
        )),
        Node::List(items) if allow_pair => items
            .iter()
            .try_for_each(|e| check_quantity_string(name, e, false, false, path)),
        Node::Str(_) => Ok(()),
        other => Err(SdkError::value(
            path.to_string(),
            format!(
                "{name} must be a Kubernetes quantity string such as '1Gi', '512Mi' or '2G', got {}: {}",
                py_type_name(other, top),
                if top {
                    py_repr(other)
                } else {
                    py_repr_inner(other)
                }
            ),
        )),
    }
}

/// `flyte.Resources(**doc)`: device objects first, then `__post_init__`.
fn construct_resources<'a>(
    r: &'a Resources,
    path: &dyn fmt::Display,
) -> Result<Res<'a>, BuildError> {
    let device = match &r.gpu {
        Some(Node::Map(entries)) => device_object(entries, &Join(path, "gpu"))?,
        _ => None,
    };
    let p = |k: &'static str| Join(path, k);
    if let Some(Node::List(items)) = &r.cpu
        && items.len() != 2
    {
        return Err(SdkError::value(
            p("cpu").to_string(),
            "cpu tuple must have exactly two elements",
        )
        .into());
    }
    if let Some(Node::List(items)) = &r.memory
        && items.len() != 2
    {
        return Err(SdkError::value(
            p("memory").to_string(),
            "memory tuple must have exactly two elements",
        )
        .into());
    }
    if let Some(cpu) = &r.cpu {
        check_cpu(cpu, true, true, &p("cpu"))?;
    }
    if let Some(m) = &r.memory {
        check_quantity_string("memory", m, true, true, &p("memory"))?;
    }
    if let Some(d) = &r.disk {
        check_quantity_string("disk", d, false, true, &p("disk"))?;
    }
    if let Some(s) = &r.shm {
        check_quantity_string("shm", s, false, true, &p("shm"))?;
    }
    let gpu = match (&r.gpu, device) {
        (None, _) => None,
        (Some(_), Some(d)) => Some(Gpu::Device(d)),
        (Some(n @ (Node::Int(_) | Node::Bool(_))), None) => {
            if is_negative(n) {
                return Err(SdkError::value(
                    p("gpu").to_string(),
                    "gpu must be greater than or equal to 0",
                )
                .into());
            }
            Some(Gpu::Count(n.clone()))
        }
        (Some(Node::Str(s)), None) => {
            let (dev, rest) = match s.split_once(':') {
                Some((d, r)) => (d, Some(r)),
                None => (s.as_str(), None),
            };
            let dev = match dev {
                "A100 80G" => "A100_80G",
                "RTX PRO 6000" => "RTX_PRO_6000",
                d => d,
            };
            let normalized = match rest {
                Some(r) => format!("{dev}:{r}"),
                None => dev.to_owned(),
            };
            if !acc::ACCELERATORS.contains(&normalized.as_str()) {
                return Err(SdkError::value(
                    p("gpu").to_string(),
                    format!(
                        "gpu must be one of typing.Literal[{}], got {normalized}",
                        acc::ACCELERATORS
                            .iter()
                            .map(|a| flyte_ray_fmt::py_repr_str(a))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .into());
            }
            Some(Gpu::Accel(normalized))
        }
        (Some(other), None) => {
            return Err(SdkError::value(
                p("gpu").to_string(),
                format!(
                    "gpu must be an accelerator string such as 'A100:4', a device count, or a GPU()/TPU()/Device() instance, got {}: {}",
                    py_type_name(other, true),
                    py_repr(other)
                ),
            )
            .into());
        }
    };
    Ok(Res {
        cpu: r.cpu.as_ref(),
        memory: r.memory.as_ref(),
        gpu,
        disk: r.disk.as_ref(),
        shm: r.shm.as_ref(),
    })
}

impl Res<'_> {
    /// `Resources.get_device()`.
    fn device(&self) -> Option<Device> {
        match self.gpu.as_ref()? {
            Gpu::Count(n) => {
                if n.as_i128() == Some(0) || *n == Node::Bool(false) {
                    None
                } else {
                    Some(Device {
                        quantity: py_str(n),
                        class: "GPU",
                        device: None,
                        partition: None,
                    })
                }
            }
            Gpu::Device(d) => Some(d.clone()),
            Gpu::Accel(s) => {
                let (dev, portion) = s.split_once(':').unwrap_or((s.as_str(), ""));
                if dev == "AppleSilicon" {
                    let q = if portion.is_empty() { "1" } else { portion };
                    return Some(Device {
                        quantity: q.to_owned(),
                        class: "APPLE_SILICON",
                        device: Some(dev.into()),
                        partition: None,
                    });
                }
                let class = [
                    (acc::GPU_TYPES, "GPU"),
                    (acc::TPU_TYPES, "TPU"),
                    (acc::NEURON_TYPES, "NEURON"),
                    (acc::AMD_GPU_TYPES, "AMD_GPU"),
                    (acc::HABANA_GAUDI_TYPES, "HABANA_GAUDI"),
                ]
                .into_iter()
                .find(|(list, _)| list.contains(&dev))
                .map_or("GPU", |(_, c)| c);
                Some(Device {
                    quantity: portion.to_owned(),
                    class,
                    device: Some(dev.into()),
                    partition: None,
                })
            }
        }
    }

    /// The fields as `dataclasses.fields` lists them, for
    /// `_check_resource_is_singular`.
    fn singular(&self, path: &dyn fmt::Display) -> Result<(), SdkError> {
        for (name, v) in [
            ("cpu", self.cpu),
            ("memory", self.memory),
            ("disk", self.disk),
            ("shm", self.shm),
        ] {
            if let Some(v @ Node::List(_)) = v {
                return Err(SdkError::value(
                    format!("{path}.{name}"),
                    format!("{} can not be a list or tuple", py_str(v)),
                ));
            }
        }
        Ok(())
    }

    /// flyte's `_construct_k8s_pods_resources`: cpu/memory/disk raw, gpu as
    /// `str(device.quantity)` (raw when there is no device), shm skipped.
    fn k8s(&self) -> Map<String, J> {
        let mut m = Map::new();
        if let Some(c) = self.cpu {
            m.insert("cpu".into(), c.to_json());
        }
        if let Some(mem) = self.memory {
            m.insert("memory".into(), mem.to_json());
        }
        if let Some(g) = &self.gpu {
            let v = match self.device() {
                Some(d) => J::String(d.quantity),
                None => match g {
                    Gpu::Count(n) => n.to_json(),
                    Gpu::Accel(s) => J::String(s.clone()),
                    Gpu::Device(d) => J::String(d.quantity.clone()),
                },
            };
            m.insert("nvidia.com/gpu".into(), v);
        }
        if let Some(d) = self.disk {
            m.insert("ephemeral-storage".into(), d.to_json());
        }
        m
    }
}

/// `get_proto_extended_resources(requests)`: the accelerator and shared
/// memory of a node's requests (never its limits), or `None` when neither
/// applies.
///
/// * The accelerator (`_get_gpu_extended_resource_entry`) comes only from a
///   `gpu` string or device object; an int (a bool is one) gives none. Its
///   `device` goes through `ACCELERATOR_DEVICE_MAP` (unlisted names pass
///   through raw), `partition_size` is the device's partition or unset
///   (`partition or None`), and `device_class` is the proto number of the
///   device's class: `NVIDIA_GPU` 0 (omitted), `GOOGLE_TPU` 1,
///   `AMAZON_NEURON` 2, `AMD_GPU` 3, `HABANA_GAUDI` 4, and 5 for
///   `APPLE_SILICON`, which flyteidl2 2.0.51 has no name for.
/// * Shared memory (`get_shared_memory`) is
///   `SharedMemory(mount_path="/dev/shm", mount_name="flyte-shm",
///   size_limit=shm)` with `"auto"` as `""`.
fn extended(requests: Option<&Res<'_>>) -> Option<ExtendedResources> {
    let r = requests?;
    let accelerator = match &r.gpu {
        None | Some(Gpu::Count(_)) => None,
        Some(_) => r.device().map(|d| {
            let name = d.device.unwrap_or_default();
            let mapped = acc::DEVICE_MAP
                .iter()
                .find(|(k, _)| *k == name)
                .map_or(name.clone(), |(_, v)| (*v).to_owned());
            let class = match d.class {
                "TPU" => 1,
                "NEURON" => 2,
                "AMD_GPU" => 3,
                "HABANA_GAUDI" => 4,
                "APPLE_SILICON" => 5,
                _ => 0,
            };
            let mut gpu = GPUAccelerator::new(mapped);
            if let Some(p) = d.partition.filter(|p| !p.is_empty()) {
                gpu = gpu.with_partition_size(p);
            }
            gpu.set_device_class(class);
            gpu
        }),
    };
    let shm = r.shm.map(|s| {
        let size = match s {
            Node::Str(s) if s == "auto" => String::new(),
            other => py_str(other),
        };
        SharedMemory::new()
            .with_mount_path("/dev/shm")
            .with_mount_name("flyte-shm")
            .with_size_limit(size)
    });
    if accelerator.is_none() && shm.is_none() {
        return None;
    }
    let mut ext = ExtendedResources::new();
    ext.set_gpu_accelerator(accelerator);
    ext.set_shared_memory(shm);
    Some(ext)
}

/// `_build_node_pod_template` then `to_k8s_pod()`.
fn node_pod(
    name: &str,
    pt: &Option<PodTemplate>,
    requests: Option<&Res<'_>>,
    limits: Option<&Res<'_>>,
    path: &dyn fmt::Display,
    warnings: &mut Warnings,
) -> Result<Option<flyte_ray_models::K8sPod>, BuildError> {
    if requests.is_none() && limits.is_none() {
        let Some(pt) = pt else { return Ok(None) };
        let Some(spec) = &pt.pod_spec else {
            return Err(SdkError::value(
                format!("{path}.pod_template"),
                "Invalid value for `containers`, must not be `None`",
            )
            .into());
        };
        let spec = crate::build::pod_spec_struct(Some(spec), &Join(path, "pod_template"))?;
        return Ok(Some(k8s_pod(
            spec,
            &pt.primary_container_name,
            pt.labels.as_ref(),
            pt.annotations.as_ref(),
        )));
    }
    let req = match requests {
        Some(r) => {
            r.singular(&Join(path, "requests"))?;
            Some(r.k8s())
        }
        None => None,
    };
    let lim = match limits {
        Some(l) => {
            l.singular(&Join(path, "limits"))?;
            Some(l.k8s())
        }
        None => None,
    };
    let to_struct = |m: Option<Map<String, J>>| -> Result<Option<Struct>, BuildError> {
        m.map(|m| json_struct(J::Object(m), path)).transpose()
    };
    match pt {
        Some(PodTemplate {
            pod_spec: Some(spec),
            primary_container_name,
            labels,
            annotations,
        }) => {
            // Merge into a deep copy of the template.
            let mut spec = crate::build::pod_spec_struct(Some(spec), &Join(path, "pod_template"))?;
            let (req, lim) = mirrored(req, lim);
            merge_resources(&mut spec, name, req, lim, path, warnings);
            warnings.push(
                "resources-merged-into-template",
                format!("{path}.pod_template"),
                format!(
                    "Flyte 2 merges requests/limits into the template's container {name:?} (or its \
                     only container, or a new one), replacing the keys it sets and keeping the others"
                ),
            );
            Ok(Some(k8s_pod(
                spec,
                primary_container_name,
                labels.as_ref(),
                annotations.as_ref(),
            )))
        }
        _ => {
            let spec = pod_spec_from_resources(name, to_struct(req)?, to_struct(lim)?);
            let (primary, labels, annotations) = match pt {
                Some(pt) => (
                    pt.primary_container_name.as_str(),
                    pt.labels.as_ref(),
                    pt.annotations.as_ref(),
                ),
                None => (name, None, None),
            };
            Ok(Some(k8s_pod(spec, primary, labels, annotations)))
        }
    }
}

/// A Kubernetes resource map (`{"cpu": ..., "memory": ...}`).
type K8sMap = Map<String, J>;

/// `requests = requests or limits; limits = limits or requests`.
fn mirrored(req: Option<K8sMap>, lim: Option<K8sMap>) -> (Option<K8sMap>, Option<K8sMap>) {
    let truthy = |m: &Option<Map<String, J>>| m.as_ref().is_some_and(|m| !m.is_empty());
    let req = if truthy(&req) { req } else { lim.clone() };
    let lim = if truthy(&lim) { lim } else { req.clone() };
    (req, lim)
}

fn json_struct(v: J, path: &dyn fmt::Display) -> Result<Struct, BuildError> {
    flyte_ray_k8s::json_into_struct(v).map_err(|e| {
        BuildError::Config(ConfigError::Invalid {
            path: path.to_string(),
            message: e.to_string(),
        })
    })
}

/// The merge of `_build_node_pod_template`: the target container's
/// resources become `{**old, **derived} or None` for requests and limits;
/// `claims` is dropped. On the template's `Struct` (the pod spec as the SDK
/// serializes it), so the spec is not built as JSON first.
fn merge_resources(
    spec: &mut Struct,
    name: &str,
    req: Option<Map<String, J>>,
    lim: Option<Map<String, J>>,
    path: &dyn fmt::Display,
    warnings: &mut Warnings,
) {
    use prost_types::value::Kind;
    use prost_types::{ListValue, Value};
    let object = |fields| Value {
        kind: Some(Kind::StructValue(Struct { fields })),
    };
    // The container named `name` (the list's lookup, before the list is
    // made if it is missing).
    let found = flyte_ray_k8s::find_container(spec, name).map(|(i, _)| i);
    let containers = spec
        .fields
        .entry("containers".into())
        .or_insert_with(|| Value {
            kind: Some(Kind::ListValue(ListValue::default())),
        });
    let Some(Kind::ListValue(ListValue { values: list })) = &mut containers.kind else {
        return;
    };
    let idx = found.or_else(|| (list.len() == 1).then_some(0));
    let idx = match idx {
        Some(i) => i,
        None => {
            let mut c = std::collections::BTreeMap::new();
            c.insert(
                "name".into(),
                Value {
                    kind: Some(Kind::StringValue(name.to_owned())),
                },
            );
            list.push(object(c));
            list.len() - 1
        }
    };
    let Some(Value {
        kind: Some(Kind::StructValue(container)),
    }) = list.get_mut(idx)
    else {
        return;
    };
    let old = container.fields.remove("resources");
    let old = match old.and_then(|v| v.kind) {
        Some(Kind::StructValue(s)) => s.fields,
        _ => std::collections::BTreeMap::new(),
    };
    if old.contains_key("claims") {
        warnings.push(
            "resource-claims-dropped",
            format!("{path}.pod_template.pod_spec.containers[{idx}].resources.claims"),
            "Flyte 2 rebuilds the container's resources from requests and limits only; its claims are dropped",
        );
    }
    let merge = |key: &str, new: Option<Map<String, J>>| -> Option<Value> {
        let mut m = match old.get(key).and_then(|v| v.kind.as_ref()) {
            Some(Kind::StructValue(s)) => s.fields.clone(),
            _ => std::collections::BTreeMap::new(),
        };
        if let Some(n) = new {
            for (k, v) in n {
                m.insert(k, flyte_ray_k8s::json_to_value(&v));
            }
        }
        (!m.is_empty()).then(|| object(m))
    };
    let mut res = std::collections::BTreeMap::new();
    if let Some(l) = merge("limits", lim) {
        res.insert("limits".into(), l);
    }
    if let Some(r) = merge("requests", req) {
        res.insert("requests".into(), r);
    }
    container.fields.insert("resources".into(), object(res));
}

/// `ReusePolicy.__post_init__`: the `(min, max)` replicas and concurrency.
fn reuse_policy(p: &ReusePolicy) -> Result<((Node, Node), Node), SdkError> {
    let path = "reusable";
    let v = |s: String| SdkError::value(path, s);
    if let Some(scope) = &p.scope
        && !matches!(scope, Node::Str(s) if s == "global" || s == "run")
    {
        return Err(v("scope must be \"global\" or \"run\"".into()));
    }
    let two = Node::Int("2".into());
    let replicas = p.replicas.clone().unwrap_or(two);
    let (min, max) = match &replicas {
        Node::Int(_) | Node::Bool(_) => (replicas.clone(), replicas.clone()),
        Node::List(items) if items.len() == 2 => (items[0].clone(), items[1].clone()),
        _ => return Err(v("replicas must be an int or a tuple of two ints".into())),
    };
    let int_of = |n: &Node| -> Option<i128> {
        match n {
            Node::Int(_) => n.as_i128(),
            Node::Bool(b) => Some(i128::from(*b)),
            _ => None,
        }
    };
    for (label, value) in [("min", &min), ("max", &max)] {
        let Some(i) = int_of(value) else {
            return Err(v(format!(
                "replicas {label} must be an int, got {}",
                py_repr_inner(value)
            )));
        };
        if i < 0 {
            return Err(v(format!(
                "replicas {label} must be greater than or equal to 0, got {}",
                py_str(value)
            )));
        }
    }
    if int_of(&min) > int_of(&max) {
        return Err(v(format!(
            "replicas min ({}) must be less than or equal to max ({})",
            py_str(&min),
            py_str(&max)
        )));
    }
    let concurrency = p.concurrency.clone().unwrap_or(Node::Int("1".into()));
    let Some(c) = int_of(&concurrency) else {
        return Err(v(format!(
            "concurrency must be an int, got {}",
            py_repr(&concurrency)
        )));
    };
    if c < 1 {
        return Err(v(format!(
            "concurrency must be at least 1, got {}",
            py_str(&concurrency)
        )));
    }
    for (name, value) in [
        ("idle_ttl", &p.idle_ttl),
        ("scaledown_ttl", &p.scaledown_ttl),
    ] {
        let Some(value) = value else { continue };
        let Some(secs) = int_of(value) else {
            return Err(v(format!("{name} must be an int (seconds) or a timedelta")));
        };
        if secs < 30 {
            return Err(v(format!("{name} must be at least 30 seconds")));
        }
    }
    Ok(((min, max), concurrency))
}

/// The task's `__post_init__` reuse checks.
fn reuse_checks(cfg: &RayJobConfig) -> Result<(), SdkError> {
    let Some(p) = &cfg.reusable else {
        return Ok(());
    };
    let ((min, max), concurrency) = reuse_policy(p)?;
    let user = |m: String| SdkError::new(SdkErrorType::RuntimeUserError, "reusable", m);
    let as_int = |n: &Node| match n {
        Node::Bool(b) => Some(i128::from(*b)),
        _ => n.as_i128(),
    };
    if as_int(&max) != Some(1) {
        return Err(user(format!(
            "Reusable Ray tasks currently support exactly 1 replica (one shared RayCluster); got replicas={}. Use ReusePolicy(replicas=1).",
            py_repr(&Node::List(vec![min, max]))
        )));
    }
    if as_int(&concurrency) != Some(1) {
        return Err(user(format!(
            "Reusable Ray tasks currently doesn't support setting concurrency; got concurrency={}.",
            py_str(&concurrency)
        )));
    }
    if cfg.shutdown_after_job_finishes {
        return Err(user(
            "shutdown_after_job_finishes cannot be used with a reuse policy: the shared RayCluster must outlive individual jobs. Remove shutdown_after_job_finishes; the cluster is shut down after ReusePolicy(idle_ttl=...) of inactivity.".into(),
        ));
    }
    if cfg.ttl_seconds_after_finished.is_some() {
        return Err(user(
            "ttl_seconds_after_finished is ignored when a reuse policy is set; use ReusePolicy(idle_ttl=...) to control when the shared RayCluster is shut down.".into(),
        ));
    }
    Ok(())
}

/// `get_proto_resources(resources)` for the autoscaler.
fn autoscaler_resources(r: &Res<'_>) -> Option<ResourcesModel> {
    let mut req = Vec::new();
    let mut lim = Vec::new();
    let pair = |name: ResourceName,
                v: &Node,
                req: &mut Vec<ResourceEntry>,
                lim: &mut Vec<ResourceEntry>| match v {
        Node::List(items) if items.len() == 2 => {
            req.push(ResourceEntry::new(name, py_str(&items[0])));
            lim.push(ResourceEntry::new(name, py_str(&items[1])));
        }
        other => req.push(ResourceEntry::new(name, py_str(other))),
    };
    if let Some(c) = r.cpu {
        pair(ResourceName::Cpu, c, &mut req, &mut lim);
    }
    if let Some(m) = r.memory {
        pair(ResourceName::Memory, m, &mut req, &mut lim);
    }
    if r.gpu.is_some()
        && let Some(d) = r.device()
    {
        req.push(ResourceEntry::new(ResourceName::Gpu, d.quantity));
    }
    if let Some(d) = r.disk {
        req.push(ResourceEntry::new(
            ResourceName::EphemeralStorage,
            py_str(d),
        ));
    }
    if req.is_empty() && lim.is_empty() {
        return None;
    }
    Some(ResourcesModel::new(req, lim))
}

/// The warnings about requests/limits Flyte 2 reads only partly.
fn resource_warnings(
    limits: Option<&Res<'_>>,
    requests: Option<&Res<'_>>,
    path: &dyn fmt::Display,
    w: &mut Warnings,
) {
    let Some(l) = limits else { return };
    if matches!(l.gpu, Some(Gpu::Accel(_) | Gpu::Device(_)))
        && !matches!(
            requests.and_then(|r| r.gpu.as_ref()),
            Some(Gpu::Accel(_) | Gpu::Device(_))
        )
    {
        w.push(
            "accelerator-in-limits-ignored",
            format!("{path}.limits.gpu"),
            "Flyte 2 takes the accelerator (extendedResources.gpuAccelerator) from requests only; \
             the device named in limits selects no accelerator",
        );
    }
    if l.shm.is_some() {
        w.push(
            "shm-in-limits-ignored",
            format!("{path}.limits.shm"),
            "Flyte 2 takes shared memory from requests only; shm in limits has no effect",
        );
    }
}

/// Flyte 2's `custom_config` for `cfg`.
pub(crate) fn build(cfg: &RayJobConfig, warnings: &mut Warnings) -> Result<RayJob, BuildError> {
    // 1. Construction: workers (template, requests, limits), head, autoscaler.
    let mut workers = Vec::with_capacity(cfg.worker_node_config.len());
    for (i, w) in cfg.worker_node_config.iter().enumerate() {
        let path = WorkerPath(i);
        let req = w
            .requests
            .as_ref()
            .map(|r| construct_resources(r, &Join(&path, "requests")))
            .transpose()?;
        let lim = w
            .limits
            .as_ref()
            .map(|r| construct_resources(r, &Join(&path, "limits")))
            .transpose()?;
        workers.push((req, lim));
    }
    let head = match &cfg.head_node_config {
        Some(h) => {
            let req = h
                .requests
                .as_ref()
                .map(|r| construct_resources(r, &"head_node_config.requests"))
                .transpose()?;
            let lim = h
                .limits
                .as_ref()
                .map(|r| construct_resources(r, &"head_node_config.limits"))
                .transpose()?;
            Some((h, req, lim))
        }
        None => None,
    };
    let autoscaler_res = match cfg
        .autoscaler_options
        .as_ref()
        .and_then(|a| a.resources.as_ref())
    {
        Some(r) => Some(construct_resources(r, &"autoscaler_options.resources")?),
        None => None,
    };
    // 2. ReusePolicy and the task's reuse checks.
    reuse_checks(cfg)?;

    // 3. custom_config: runtime env, head, workers, autoscaler, job.
    let runtime_env = runtime_env_fields(cfg)?;
    let head_spec = match &head {
        None => None,
        Some((h, req, lim)) => {
            let pod = node_pod(
                HEAD,
                &h.pod_template,
                req.as_ref(),
                lim.as_ref(),
                &"head_node_config",
                warnings,
            )?;
            resource_warnings(lim.as_ref(), req.as_ref(), &"head_node_config", warnings);
            let mut spec = HeadGroupSpec::new();
            if let Some(p) = &h.ray_start_params {
                spec.ray_start_params_mut().extend(p.clone());
            }
            spec.set_k8s_pod(pod);
            spec.set_extended_resources(extended(req.as_ref()));
            Some(spec)
        }
    };
    let mut groups = Vec::with_capacity(workers.len());
    for (i, (w, (req, lim))) in cfg.worker_node_config.iter().zip(&workers).enumerate() {
        let path = WorkerPath(i);
        let pod = node_pod(
            WORKER,
            &w.pod_template,
            req.as_ref(),
            lim.as_ref(),
            &path,
            warnings,
        )?;
        resource_warnings(lim.as_ref(), req.as_ref(), &path, warnings);
        let replicas = int32(w.replicas, format_args!("{path}.replicas"))?;
        let min = w
            .min_replicas
            .map(|m| int32(m, format_args!("{path}.min_replicas")))
            .transpose()?;
        let max = w
            .max_replicas
            .map(|m| int32(m, format_args!("{path}.max_replicas")))
            .transpose()?;
        let mut g = WorkerGroupSpec::new(w.group_name.clone(), replicas);
        // No clamping in Flyte 2: unset bounds are 0.
        g.set_min_replicas(min.unwrap_or(0));
        g.set_max_replicas(max.unwrap_or(0));
        if let Some(p) = &w.ray_start_params {
            g.ray_start_params_mut().extend(p.clone());
        }
        g.set_k8s_pod(pod);
        g.set_extended_resources(extended(req.as_ref()));
        groups.push(g);
    }
    let mut cluster = RayCluster::new(groups).with_enable_autoscaling(cfg.enable_autoscaling);
    if let Some(h) = head_spec {
        cluster.set_head_group_spec(Some(h));
    }
    if let Some(a) = &cfg.autoscaler_options {
        if let Some(r) = &autoscaler_res
            && r.shm.is_some()
        {
            warnings.push(
                "autoscaler-shm-ignored",
                "autoscaler_options.resources.shm".to_owned(),
                "Flyte 2 ignores shm in the autoscaler's resources",
            );
        }
        let env: Option<Vec<(String, String)>> = a.env.as_ref().map(|e| e.0.clone());
        let opts = autoscaler_options(
            a.upscaling_mode.map(|m| m.number()),
            a.idle_timeout_seconds,
            a.image.as_deref(),
            env.as_deref(),
            autoscaler_res.as_ref().and_then(autoscaler_resources),
        )?;
        cluster.set_autoscaler_options(Some(opts));
    }
    let job = finish_job(cfg, cluster, runtime_env, warnings)?;
    Ok(job)
}
