//! Flyte 2 only (RENDERING.md §18): the submission mode, per-group extended
//! resources, the scheduling constraints and GPU selectors re-applied after
//! the overlay merge, and the CR name. Flyte v1 never calls these.

use serde_json::{Value, json};

use crate::finding::Finding;
use crate::gotypes::{self, POD_SPEC};
use crate::input::{ExtendedResources, GpuAccelerator, SharedMemory};
use crate::pod::At;
use crate::pod::{Base, arr_mut, get_str, obj_mut, set};
use crate::render::{Ctx, RenderError, bad_spec};

/// The submission modes Flyte 2 accepts (`submissionMode`, §18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubmissionMode {
    /// A submitter Kubernetes Job runs `ray job submit` (the default).
    K8sJob,
    /// The operator submits over the dashboard's HTTP API: no submitter pod.
    Http,
    /// A sidecar of the head submits: no submitter pod.
    Sidecar,
}

impl SubmissionMode {
    /// The KubeRay `spec.submissionMode` value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SubmissionMode::K8sJob => "K8sJobMode",
            SubmissionMode::Http => "HTTPMode",
            SubmissionMode::Sidecar => "SidecarMode",
        }
    }
}

/// The models' group `extended_resources` (flyteidl2 `HeadGroupSpec` field
/// 3, `WorkerGroupSpec` field 7) as the renderer's task-level type.
/// `device_class` and `accelerator_model` are not carried (see
/// [`Ctx::v2_group_base`]).
pub(crate) fn group_extended(m: &flyte_ray_models::ExtendedResources) -> ExtendedResources {
    ExtendedResources {
        gpu_accelerator: m.gpu_accelerator().map(|g| GpuAccelerator {
            device: g.device().to_owned(),
            partition_size: g.partition_size().map(str::to_owned),
            unpartitioned: g.unpartitioned(),
        }),
        shared_memory: m.shared_memory().map(|s| SharedMemory {
            mount_path: s.mount_path().to_owned(),
            mount_name: s.mount_name().to_owned(),
            size_limit: s.size_limit().to_owned(),
        }),
    }
}

/// Adds `req` to every required node selector term that does not hold it
/// yet, or creates the one term (`AddRequiredNodeSelectorRequirements`
/// made idempotent, as §18 says the re-applications are).
fn add_requirement_once(pod: &mut Value, req: &Value) {
    let terms = pod
        .at_mut(
            "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
        )
        .and_then(Value::as_array_mut);
    match terms {
        Some(terms) if !terms.is_empty() => {
            for t in terms.iter_mut() {
                let exprs = arr_mut(t, "matchExpressions");
                if !exprs.contains(req) {
                    exprs.push(req.clone());
                }
            }
        }
        _ => crate::pod::add_node_selector_requirement(pod, req.clone()),
    }
}

/// Appends `t` to the pod's tolerations unless an equal one is there.
fn add_toleration_once(pod: &mut Value, t: Value) {
    let list = arr_mut(pod, "tolerations");
    if !list.contains(&t) {
        list.push(t);
    }
}

fn decode(name: &str, v: &Value, path: &str) -> Result<Value, RenderError> {
    gotypes::decode_struct_at(gotypes::struct_index(name).unwrap_or(POD_SPEC), v)
        .map_err(|e| bad_spec(format!("{path}: {e}")))
}

impl Ctx<'_> {
    /// `plugins.ray.submissionMode` (§18): unset and `""` are `K8sJobMode`.
    pub(crate) fn v2_submission_mode(&self) -> Result<SubmissionMode, RenderError> {
        match self.ray.submission_mode.as_deref() {
            None | Some("" | "K8sJobMode") => Ok(SubmissionMode::K8sJob),
            Some("HTTPMode") => Ok(SubmissionMode::Http),
            Some("SidecarMode") => Ok(SubmissionMode::Sidecar),
            Some(other) => Err(bad_spec(format!(
                "invalid ray submission mode {}: must be K8sJobMode, HTTPMode or SidecarMode",
                go_quote(other)
            ))),
        }
    }

    /// A group that sets `extended_resources` gets its own base pod: stage
    /// B (`ToK8sPodSpec`) again with the group's parts over the overrides'
    /// and the task's (§18). `self.group_extended` must already hold them
    /// (it also drives the GPU selectors after the overlay). Findings the
    /// rebuild repeats are dropped; a shared-memory warning it adds is
    /// moved to the group's path.
    pub(crate) fn v2_group_base(
        &mut self,
        base: &Base,
        group: &flyte_ray_models::ExtendedResources,
        path: &str,
    ) -> Result<Base, RenderError> {
        if let Some(g) = group.gpu_accelerator()
            && (g.device_class() != 0 || g.accelerator_model() != 0)
        {
            self.findings.push(Finding::warning(
                "device-class-not-modelled",
                format!("{path}.extendedResources.gpuAccelerator"),
                "Flyte 2 selects nodes by the accelerator's device class and model too (pod_helper.go, not analysed): rendered with gpu-device-node-label / gpu-partition-size-node-label only",
            ));
        }
        let before = self.findings.len();
        let mut rebuilt = self.build_base()?;
        let added: Vec<Finding> = self.findings.drain(before..).collect();
        for mut f in added {
            if f.code == "shared-memory-size-zero" && group.shared_memory().is_some() {
                f.path = format!("{path}.extendedResources.sharedMemory.sizeLimit");
            }
            if !self.findings.contains(&f) {
                self.findings.push(f);
            }
        }
        match base.pod.get("serviceAccountName") {
            Some(sa) => set(&mut rebuilt.pod, "serviceAccountName", sa.clone()),
            None => {
                if let Value::Object(m) = &mut rebuilt.pod {
                    m.remove("serviceAccountName");
                }
            }
        }
        Ok(rebuilt)
    }

    /// After the overlay merge (§18): `ApplyPlatformSchedulingConstraints`
    /// (the `default-affinity` required expressions and the
    /// (non-)interruptible requirement on every term; when interruptible,
    /// `interruptible-node-selector` merged and `interruptible-tolerations`
    /// added), then `ApplyGPUNodeSelectors` for the group's accelerator.
    /// Everything is added only where it is missing.
    pub(crate) fn v2_reapply_scheduling(&self, pod: &mut Value) -> Result<(), RenderError> {
        let mut reqs = Vec::new();
        if let Some(a) = &self.k8s.default_affinity {
            let a = decode("Affinity", a, "plugins.k8s.default-affinity")?;
            for t in a
                .at("/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for e in t
                    .get("matchExpressions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if !reqs.contains(e) {
                        reqs.push(e.clone());
                    }
                }
            }
        }
        let (req, key) = if self.interruptible {
            (
                self.k8s.interruptible_node_selector_requirement.as_ref(),
                "plugins.k8s.interruptible-node-selector-requirement",
            )
        } else {
            (
                self.k8s
                    .non_interruptible_node_selector_requirement
                    .as_ref(),
                "plugins.k8s.non-interruptible-node-selector-requirement",
            )
        };
        if let Some(r) = req {
            let r = decode("SelectorRequirement", r, key)?;
            if !reqs.contains(&r) {
                reqs.push(r);
            }
        }
        if pod.get("affinity").is_none() {
            set(pod, "affinity", json!({}));
        }
        for r in &reqs {
            add_requirement_once(pod, r);
        }
        if self.interruptible {
            if !self.k8s.interruptible_node_selector.is_empty() {
                let sel = obj_mut(pod, "nodeSelector");
                for (k, v) in &self.k8s.interruptible_node_selector {
                    sel.insert(k.clone(), json!(v));
                }
            }
            for t in &self.k8s.interruptible_tolerations {
                let t = decode("Toleration", t, "plugins.k8s.interruptible-tolerations")?;
                add_toleration_once(pod, t);
            }
        }
        if let Some(gpu) = self.extended_resources().gpu_accelerator {
            self.v2_gpu_selectors(pod, &gpu)?;
        }
        Ok(())
    }

    /// `ApplyGPUNodeSelectors`, idempotent: only when a container's limits
    /// hold `gpu-resource-name` (the overlay's included).
    fn v2_gpu_selectors(&self, pod: &mut Value, gpu: &GpuAccelerator) -> Result<(), RenderError> {
        let name = &self.k8s.gpu_resource_name;
        let wants_gpu = pod
            .get("containers")
            .and_then(Value::as_array)
            .is_some_and(|l| {
                l.iter().any(|c| {
                    c.at("/resources/limits")
                        .and_then(|m| m.get(name))
                        .is_some()
                })
            });
        if !wants_gpu {
            return Ok(());
        }
        if pod.get("affinity").is_none() {
            set(pod, "affinity", json!({}));
        }
        let device_label = &self.k8s.gpu_device_node_label;
        let partition_label = &self.k8s.gpu_partition_size_node_label;
        if !gpu.device.is_empty() {
            add_requirement_once(
                pod,
                &json!({"key": device_label, "operator": "In", "values": [gpu.device]}),
            );
            add_toleration_once(
                pod,
                json!({"key": device_label, "operator": "Equal", "value": gpu.device, "effect": "NoSchedule"}),
            );
        }
        if let Some(size) = &gpu.partition_size {
            add_requirement_once(
                pod,
                &json!({"key": partition_label, "operator": "In", "values": [size]}),
            );
            add_toleration_once(
                pod,
                json!({"key": partition_label, "operator": "Equal", "value": size, "effect": "NoSchedule"}),
            );
        }
        if gpu.unpartitioned == Some(true) {
            let req = match &self.k8s.gpu_unpartitioned_node_selector_requirement {
                Some(r) => decode(
                    "SelectorRequirement",
                    r,
                    "plugins.k8s.gpu-unpartitioned-node-selector-requirement",
                )?,
                None => json!({"key": partition_label, "operator": "DoesNotExist"}),
            };
            add_requirement_once(pod, &req);
            if let Some(t) = &self.k8s.gpu_unpartitioned_toleration {
                let t = decode("Toleration", t, "plugins.k8s.gpu-unpartitioned-toleration")?;
                add_toleration_once(pod, t);
            }
        }
        Ok(())
    }

    /// The CR name: `FixedLengthUniqueID(generatedName, 47)` (§18), hashed
    /// past 47 bytes (with a `name-hashed` warning when the given generated
    /// name was longer; a derived one is at most 47 already).
    pub(crate) fn v2_name(&mut self) -> String {
        let name = crate::name::fixed_length_unique_id_for_parts(47, &[&self.generated_name]);
        if name != self.generated_name {
            self.findings.push(Finding::warning(
                "name-hashed",
                "execution.generatedName",
                format!(
                    "{:?} is {} characters, past the 47 Ray allows: Flyte 2 names the RayJob {name:?}, which no longer shows the execution",
                    self.generated_name,
                    self.generated_name.len()
                ),
            ));
        }
        name
    }
}

/// Go's `%q` for the strings a config holds (printable: `"` and `\` escaped;
/// other characters as Rust escapes them, which agrees for ASCII controls).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if c.is_control() && u32::from(c) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", u32::from(c)));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether the pod's containers named `primary` exist (used to find the
/// Ray container in a rebuilt base).
pub(crate) fn primary_index(pod: &Value, primary: &str) -> Option<usize> {
    pod.get("containers")
        .and_then(Value::as_array)
        .and_then(|l| l.iter().position(|c| get_str(c, "name") == primary))
}
