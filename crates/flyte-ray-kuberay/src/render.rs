//! Stages A, C and D (RENDERING.md §4, §6, §8): the RayJob decoded from
//! `custom`, the `ray.io/v1` RayJob built on the base pod, and the CR
//! metadata propeller adds.

use std::collections::BTreeMap;

use flyte_ray_kuberay_api::v1;
use flyte_ray_models::{FlyteIdlEntity, JsonOptions, K8sPod, RayJob};
use serde_json::{Map, Value, json};

use crate::config::{K8sConfig, PluginConfig, RayConfig};
use crate::finding::{Finding, Severity};
use crate::gotypes::{self, POD_SPEC};
use crate::input::{ExecutionMetadata, TaskTemplate};
use crate::pod::At;
use crate::pod::{
    Base, add_tolerations_for_extended_resources, arr_mut, decode_named, get_str, set,
    to_k8s_resources_model,
};

/// Why a rendered resource could not be written as JSON or YAML.
pub use flyte_ray_kuberay_api::Error as OutputError;

/// Which Flyte backend to render as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlyteVersion {
    /// Flyte v1's Go plugin (flyte master @89cf9cc7), the default.
    #[default]
    V1,
    /// Flyte 2's plugin (main @6fadb90d), RENDERING.md §18: differences listed in docs/RENDERING.md.
    V2,
}

/// Options of [`render`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderOptions {
    /// The backend.
    pub flyte: FlyteVersion,
}

impl RenderOptions {
    /// Options for `flyte`.
    pub fn new(flyte: FlyteVersion) -> Self {
        RenderOptions { flyte }
    }
}

/// Why a task cannot be rendered (where Go's `BuildResource` fails, or panics).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A `[BadTaskSpecification]` error, worded as Go words it (RENDERING.md §13).
    #[error("[BadTaskSpecification] {0}")]
    BadTaskSpecification(String),
    /// `rayCluster` is absent: Go panics (nil pointer); we refuse.
    #[error(
        "custom.rayCluster: the RayJob has no rayCluster (Flyte's Go plugin panics on this task)"
    )]
    NoRayCluster,
    /// `runtimeEnv` does not convert (Go returns this error unwrapped).
    #[error("custom.runtimeEnv: {0}")]
    RuntimeEnv(String),
    /// The rendered document does not fit KubeRay's generated types (a
    /// renderer bug: the document is built from those types' fields).
    #[error("writing the typed RayJob at {path:?}: {message}")]
    Typed {
        /// Where in the resource.
        path: String,
        /// What does not fit.
        message: String,
    },
    /// A secret of `securityContext.secrets` cannot be turned into its
    /// `flyte.secrets/s<i>` annotation (propeller fails the same way before
    /// the plugin runs, RENDERING.md §3.3).
    #[error("{path}: {message}")]
    Secret {
        /// Where (`securityContext.secrets[0].mountRequirement`).
        path: String,
        /// What is wrong (`invalid mount requirement [7]`).
        message: String,
    },
    /// A configuration value is not the Kubernetes object it should be.
    #[error("{path}: {message}")]
    Config {
        /// Where.
        path: String,
        /// What is wrong.
        message: String,
    },
}

pub(crate) fn bad_spec(message: impl Into<String>) -> RenderError {
    let m = message.into();
    RenderError::BadTaskSpecification(m)
}

/// A rendered RayJob.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rendered {
    /// The `ray.io/v1` `RayJob` as KubeRay v1.5.1's generated types
    /// (`flyte_ray_kuberay_api::v1`; pod templates are k8s-openapi's),
    /// `status` included, as Go sends it. Serialized with Go's field order
    /// for KubeRay's types and `omitempty` rules (RENDERING.md §11).
    pub resource: v1::RayJob,
    /// Warnings and errors about it, in the order found: the renderer's
    /// (input paths), then the CRD checks' (resource paths).
    pub findings: Vec<Finding>,
    /// `resource` as JSON: what the CRD checks saw and `-o json` prints.
    json: Value,
}

impl Rendered {
    /// The resource as a JSON value (the serialization of
    /// [`Rendered::resource`]: what the CRD checks saw and `-o json` prints).
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The resource as YAML (what `flyte-ray render` prints, for
    /// `kubectl apply -f -`).
    pub fn to_yaml(&self) -> Result<String, OutputError> {
        flyte_ray_kuberay_api::to_yaml(&self.resource)
    }

    /// The resource as JSON indented by two spaces, escaped as Go's
    /// `encoding/json` escapes (`<`, `>`, `&` as `\u003c`, …).
    pub fn to_json_pretty(&self) -> Result<String, OutputError> {
        flyte_ray_kuberay_api::to_json_pretty(&self.resource)
    }

    /// Whether a finding is an error (KubeRay or the API server would refuse).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// The renderer's working state.
pub(crate) struct Ctx<'a> {
    pub(crate) task: &'a TaskTemplate,
    pub(crate) exec: &'a ExecutionMetadata,
    pub(crate) ray: &'a RayConfig,
    pub(crate) k8s: &'a K8sConfig,
    pub(crate) findings: Vec<Finding>,
    pub(crate) generated_name: String,
    pub(crate) interruptible: bool,
    pub(crate) v2: bool,
    /// Flyte 2: the extended resources of the Ray group being built, which
    /// replace the task's and the overrides' part by part (§18).
    pub(crate) group_extended: Option<crate::input::ExtendedResources>,
    /// The labels the plugin sees (`meta.GetLabels()`, §3.3).
    pub(crate) exec_labels: BTreeMap<String, String>,
    /// The annotations the plugin sees (`meta.GetAnnotations()`, §3.3).
    pub(crate) exec_annotations: BTreeMap<String, String>,
}

const HEAD: &str = "ray-head";
const WORKER: &str = "ray-worker";

fn ports() -> Vec<Value> {
    vec![
        json!({"name": "redis", "containerPort": 6379}),
        json!({"name": "head", "containerPort": 10001}),
        json!({"name": "dashboard", "containerPort": 8265}),
    ]
}

fn union(maps: &[&BTreeMap<String, String>]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for m in maps {
        out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    out
}

fn map_value(m: &BTreeMap<String, String>) -> Value {
    Value::Object(m.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

/// Renders the RayJob Flyte submits for `task`.
///
/// ```
/// use flyte_ray_kuberay::{render, ExecutionMetadata, PluginConfig, RenderOptions, TaskTemplate};
///
/// let task = TaskTemplate::from_text(r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 2}]}}"#).unwrap();
/// let out = render(&task, &ExecutionMetadata::default(), &PluginConfig::default(), &RenderOptions::default()).unwrap();
/// let spec = &out.json()["spec"];
/// assert_eq!(out.resource.kind, "RayJob");
/// assert_eq!(spec["rayClusterSpec"]["workerGroupSpecs"][0]["maxReplicas"], 2);
/// assert_eq!(spec["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["containers"][0]["name"], "ray-head");
/// ```
pub fn render(
    task: &TaskTemplate,
    exec: &ExecutionMetadata,
    config: &PluginConfig,
    options: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let interruptible = exec
        .interruptible
        .or_else(|| task.metadata.as_ref().and_then(|m| m.interruptible))
        .unwrap_or(false);
    let (exec_labels, exec_annotations) = crate::secrets::plugin_metadata(task, exec)?;
    let mut ctx = Ctx {
        task,
        exec,
        ray: &config.ray,
        k8s: &config.k8s,
        findings: Vec::new(),
        generated_name: exec.generated_name(),
        interruptible,
        v2: options.flyte == FlyteVersion::V2,
        group_extended: None,
        exec_labels,
        exec_annotations,
    };
    for k in &config.ignored_keys {
        ctx.findings.push(Finding::warning(
            "config-key-ignored",
            k.clone(),
            "this key does not change the rendered resource (or is unknown); ignored",
        ));
    }
    if ctx.v2 && config.enable_ingress_set {
        ctx.findings.push(Finding::warning(
            "config-key-ignored",
            "plugins.ray.enableIngress",
            "Flyte 2 has no such key: the head's enableIngress is always true",
        ));
    }
    if !ctx.v2 && config.k8s.disable_inject_owner_references {
        ctx.findings.push(Finding::warning(
            "config-key-ignored",
            "plugins.k8s.disable-inject-owner-references",
            "Flyte v1's Ray plugin always sets the owner reference (Flyte 2 reads this key): ignored",
        ));
    }
    if !ctx.v2 && config.ray.submission_mode.is_some() {
        ctx.findings.push(Finding::warning(
            "config-key-ignored",
            "plugins.ray.submissionMode",
            "Flyte v1 has no submission mode (Flyte 2's key): ignored; KubeRay's default K8sJobMode applies",
        ));
    }
    let mut doc = ctx.build_resource()?;
    ctx.add_object_metadata(&mut doc);
    crate::checks::check(&doc, &mut ctx);
    let (resource, json) = typed(doc, &mut ctx)?;
    crate::checks::crd(&json, &mut ctx);
    Ok(Rendered {
        resource,
        findings: ctx.findings,
        json,
    })
}

/// The Go-form document as the generated KubeRay type, and that type's
/// JSON.
///
/// The typed form must write what Go writes. Where it cannot, the
/// difference is an error finding `typed-output-differs` with the path
/// (never a silent change): k8s-openapi's types are Kubernetes 1.33's (the
/// version the workspace compiles against), while Flyte's Go types and
/// KubeRay 1.5.1's CRD are 1.34's, so a 1.34-only pod field
/// (`hostnameOverride`, an env `fileKeyRef`, a container's
/// `restartPolicyRules`) is dropped by k8s-openapi's deserializer; and a few
/// Go `omitempty` strings k8s-openapi types as required (a
/// `LocalObjectReference` without `name`) are written as `""`.
fn typed(go: Value, ctx: &mut Ctx<'_>) -> Result<(v1::RayJob, Value), RenderError> {
    use serde::Deserialize as _;
    // Without path tracking first (it costs on every field); only a
    // failure is read again with it, for the path.
    let job = match v1::RayJob::deserialize(&go) {
        Ok(job) => job,
        Err(plain) => {
            let (path, message) = match serde_path_to_error::deserialize::<_, v1::RayJob>(&go) {
                Err(e) => (e.path().to_string(), e.inner().to_string()),
                Ok(_) => (String::new(), plain.to_string()),
            };
            return Err(RenderError::Typed { path, message });
        }
    };
    // The usual case, checked without building the typed form's tree: it
    // writes the Go form exactly, which is then the JSON.
    if crate::same::writes(&job, &go) {
        return Ok((job, go));
    }
    let json = serde_json::to_value(&job).map_err(|e| RenderError::Typed {
        path: String::new(),
        message: e.to_string(),
    })?;
    // `writes` is `to_value(..) == go`, so they differ here; the check stays
    // so that a mismatch `writes` reported wrongly costs time, not findings.
    if json != go {
        let mut diffs = Vec::new();
        diff(&go, &json, &mut String::new(), &mut diffs);
        for (path, want, got) in diffs {
            ctx.findings.push(Finding::error(
                "typed-output-differs",
                path,
                format!(
                    "Go writes {want}, the generated types (k8s-openapi, Kubernetes 1.33) write {got}: this field cannot be rendered exactly"
                ),
            ));
        }
    }
    Ok((job, json))
}

/// Where `got` differs from `want` (at most 20 places), with both values
/// (`absent` for a missing key).
fn diff(want: &Value, got: &Value, path: &mut String, out: &mut Vec<(String, String, String)>) {
    const MAX: usize = 20;
    if out.len() >= MAX || want == got {
        return;
    }
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            let keys: std::collections::BTreeSet<&String> = w.keys().chain(g.keys()).collect();
            for k in keys {
                let len = path.len();
                flyte_ray_kuberay_api::finding::push_key(path, k);
                match (w.get(k), g.get(k)) {
                    (Some(a), Some(b)) => diff(a, b, path, out),
                    (a, b) => {
                        if out.len() < MAX {
                            let show = |v: Option<&Value>| {
                                v.map_or_else(|| "absent".to_owned(), Value::to_string)
                            };
                            out.push((path.clone(), show(a), show(b)));
                        }
                    }
                }
                path.truncate(len);
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                let len = path.len();
                flyte_ray_kuberay_api::finding::push_index(path, i);
                diff(a, b, path, out);
                path.truncate(len);
            }
        }
        _ => out.push((path.clone(), want.to_string(), got.to_string())),
    }
}

impl Ctx<'_> {
    /// Stage A: `custom` → RayJob.
    fn decode_custom(&self) -> Result<RayJob, RenderError> {
        let Some(custom) = &self.task.custom else {
            // Flyte 2 decodes with flyteplugins' utils.UnmarshalStruct,
            // whose text capitalizes "Object" (§18 row "Decode").
            return Err(bad_spec(if self.v2 {
                "invalid TaskSpecification [<nil>], Err: [nil Struct Object passed]"
            } else {
                "invalid TaskSpecification [<nil>], Err: [nil Struct object passed]"
            }));
        };
        RayJob::from_json_with(
            &custom.to_string(),
            &JsonOptions::new().ignore_unknown_fields(true),
        )
        .map_err(|e| {
            bad_spec(format!(
                "invalid TaskSpecification [{custom}], Err: [Failed to unmarshal json obj into proto: custom.{e}]"
            ))
        })
    }

    fn service_account(&self) -> String {
        let run_as = self.exec.run_as_service_account.clone().unwrap_or_else(|| {
            self.task
                .security_context
                .as_ref()
                .and_then(|s| s.run_as.as_ref())
                .map(|r| r.k8s_service_account.clone())
                .unwrap_or_default()
        });
        let mut sa = if run_as.is_empty() {
            self.exec.k8s_service_account.clone()
        } else {
            run_as
        };
        if sa.is_empty() || !self.ray.service_account.is_empty() {
            sa.clone_from(&self.ray.service_account);
        }
        sa
    }

    /// The labels the plugin sees (`meta.GetLabels()`, §3.3).
    fn exec_labels(&self) -> BTreeMap<String, String> {
        self.exec_labels.clone()
    }

    fn group_pod(
        &mut self,
        base: &Base,
        idx: usize,
        k8s_pod: Option<&K8sPod>,
        head: bool,
        path: &str,
    ) -> Result<Value, RenderError> {
        let mut pod = base.pod.clone();
        let container_name = if head { HEAD } else { WORKER };
        if let Some(Value::Array(list)) = pod.get_mut("containers")
            && let Some(c) = list.get_mut(idx)
        {
            set(c, "name", json!(container_name));
            let env = arr_mut(c, "env");
            if head {
                env.push(json!({"name": "MY_POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}));
            } else {
                let field_ref = |r: &str| json!({"resourceFieldRef": {"containerName": WORKER, "resource": r, "divisor": "0"}});
                env.push(json!({"name": "RAY_DISABLE_DOCKER_CPU_WARNING", "value": "1"}));
                env.push(json!({"name": "TYPE", "value": "worker"}));
                env.push(json!({"name": "CPU_REQUEST", "valueFrom": field_ref("requests.cpu")}));
                env.push(json!({"name": "CPU_LIMITS", "valueFrom": field_ref("limits.cpu")}));
                // Upstream bug (RENDERING.md §14.1): the memory variables read cpu.
                env.push(
                    json!({"name": "MEMORY_REQUESTS", "valueFrom": field_ref("requests.cpu")}),
                );
                env.push(json!({"name": "MEMORY_LIMITS", "valueFrom": field_ref("limits.cpu")}));
                env.push(json!({"name": "MY_POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}));
                env.push(json!({"name": "MY_POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}));
            }
            env.push(json!({"name": "RAY_COLOR_PREFIX", "value": "0"}));
            env.push(json!({"name": "RAY_DATA_DISABLE_PROGRESS_BARS", "value": "1"}));
            if let Value::Object(m) = c {
                m.remove("args");
            }
            if !head {
                set(
                    c,
                    "lifecycle",
                    json!({"preStop": {"exec": {"command": ["/bin/sh", "-c", "ray stop"]}}}),
                );
            }
            arr_mut(c, "ports").extend(ports());
        }
        if head && let Some(sidecar) = &self.ray.logs_sidecar {
            self.add_logs_sidecar(&mut pod, idx, sidecar)?;
        }
        let mut group_labels = BTreeMap::new();
        let mut group_annotations = BTreeMap::new();
        if let Some(k) = k8s_pod {
            if let Some(m) = k.metadata() {
                group_labels.clone_from(m.labels());
                group_annotations.clone_from(m.annotations());
            }
            if !k.primary_container_name().is_empty() {
                self.findings.push(Finding::warning(
                    "primary-container-name-ignored",
                    format!("{path}.k8sPod.primaryContainerName"),
                    format!(
                        "ignored: the overlay is matched to the Ray container by the name {container_name:?} only"
                    ),
                ));
            }
            let overlay_json = k.pod_spec_json().map_err(|e| {
                bad_spec(format!(
                    "Unable to unmarshal pod spec [{path}.k8sPod.podSpec], Err: [{e}]"
                ))
            })?;
            if let Some(mut spec) = overlay_json {
                protojson_numbers(&mut spec);
                let overlay = gotypes::decode_pod_spec(&spec).map_err(|e| {
                    bad_spec(format!("Unable to unmarshal pod spec [{spec}], Err: [{e}]"))
                })?;
                self.note_case_insensitive(&spec, &format!("{path}.k8sPod.podSpec"));
                self.overlay_warnings(&pod, &overlay, container_name, path, head);
                let (merged, dropped) = gotypes::merge_overlay(std::mem::take(&mut pod), &overlay);
                for name in dropped {
                    let (list, name) = match name.strip_prefix("initContainers/") {
                        Some(n) => ("initContainers", n.to_owned()),
                        None => ("containers", name),
                    };
                    let pos = overlay
                        .get(list)
                        .and_then(Value::as_array)
                        .and_then(|l| l.iter().position(|c| get_str(c, "name") == name))
                        .unwrap_or(0);
                    self.findings.push(Finding::warning(
                        "overlay-container-dropped",
                        format!("{path}.k8sPod.podSpec.{list}[{pos}]"),
                        format!(
                            "overlay {} {name:?} matches no base container by name and is dropped (the Ray container must be named {container_name:?}); its volumes are kept",
                            if list == "containers" { "container" } else { "init container" }
                        ),
                    ));
                }
                pod = merged;
            }
        }
        add_tolerations_for_extended_resources(
            &mut pod,
            &self.k8s.add_tolerations_for_extended_resources,
        );
        if self.v2 {
            self.v2_after_overlay(&mut pod)?;
        }
        let exec_labels = self.exec_labels();
        let mut labels = union(&[
            &self.k8s.default_labels,
            &base.labels,
            &exec_labels,
            &group_labels,
        ]);
        if self.v2 {
            labels.insert("flyte.org/managed".to_owned(), "true".to_owned());
        }
        let annotations = union(&[
            &self.k8s.default_annotations,
            &base.annotations,
            &self.exec_annotations,
            &group_annotations,
        ]);
        Ok(template(&labels, &annotations, &base.extra_meta, pod))
    }

    /// The base pod of a group that sets `extended_resources` (Flyte 2:
    /// rebuilt, with the Ray container's index; `self.group_extended` is
    /// left set for the group's pod and cleared by the caller), `None`
    /// otherwise. Flyte v1 cannot read the field: a warning.
    fn group_base(
        &mut self,
        base: &Base,
        ext: Option<&flyte_ray_models::ExtendedResources>,
        path: &str,
    ) -> Result<Option<(Base, usize)>, RenderError> {
        let Some(ext) = ext else {
            return Ok(None);
        };
        if !self.v2 {
            self.findings.push(Finding::warning(
                "group-extended-resources-ignored",
                format!("{path}.extendedResources"),
                "flyteidl (Flyte v1) has no per-group extended resources: its decoder skips the field, so this group gets the task's GPU selectors and shared memory only",
            ));
            return Ok(None);
        }
        self.group_extended = Some(crate::v2::group_extended(ext));
        let rebuilt = self.v2_group_base(base, ext, path)?;
        let Some(idx) = crate::v2::primary_index(&rebuilt.pod, &rebuilt.primary) else {
            return Err(bad_spec(format!(
                "Unable to get primary container {} from the pod spec",
                rebuilt.primary
            )));
        };
        Ok(Some((rebuilt, idx)))
    }

    fn add_logs_sidecar(
        &mut self,
        pod: &mut Value,
        idx: usize,
        sidecar: &Value,
    ) -> Result<(), RenderError> {
        let sidecar = decode_named("Container", sidecar, "plugins.ray.logsSidecar")?;
        let Some(Value::Array(list)) = pod.get_mut("containers") else {
            return Ok(());
        };
        let Some(c) = list.get_mut(idx) else {
            return Ok(());
        };
        let existing = c
            .get("volumeMounts")
            .and_then(Value::as_array)
            .and_then(|m| {
                m.iter()
                    .find(|m| get_str(m, "mountPath") == "/tmp/ray")
                    .cloned()
            });
        let mount = match existing {
            Some(m) => m,
            None => {
                let m = json!({"name": "system-ray-state", "mountPath": "/tmp/ray"});
                arr_mut(c, "volumeMounts").push(m.clone());
                arr_mut(pod, "volumes").push(json!({"name": "system-ray-state", "emptyDir": {}}));
                m
            }
        };
        let mut ro = mount;
        set(&mut ro, "readOnly", json!(true));
        let mut s = sidecar;
        let mounts = arr_mut(&mut s, "volumeMounts");
        let mut replaced = false;
        for m in mounts.iter_mut() {
            if get_str(m, "mountPath") == "/tmp/ray" {
                *m = ro.clone();
                replaced = true;
            }
        }
        if !replaced {
            mounts.push(ro);
        }
        arr_mut(pod, "containers").push(s);
        Ok(())
    }

    /// Stage C: `BuildResource` (§6).
    pub(crate) fn build_resource(&mut self) -> Result<Value, RenderError> {
        let rj = self.decode_custom()?;
        let mode = if self.v2 {
            Some(self.v2_submission_mode()?)
        } else {
            None
        };
        let mut base = self.build_base()?;
        let primary = base.primary.clone();
        let containers = base
            .pod
            .get("containers")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let Some(idx) = containers
            .iter()
            .position(|c| get_str(c, "name") == primary)
        else {
            return Err(bad_spec(format!(
                "Unable to get primary container {primary} from the pod spec"
            )));
        };
        let primary_container = containers[idx].clone();
        if idx != 0 {
            self.findings.push(Finding::warning(
                "ray-container-not-first",
                format!("k8sPod.podSpec.containers[{idx}]"),
                format!("the primary container {primary:?} is not containers[0]: KubeRay configures containers[0] as the Ray container, and the submitter runs containers[0]"),
            ));
        }
        if primary_container.get("command").is_some() {
            self.findings.push(Finding::warning(
                "ray-command-kept",
                "container.command",
                "the task container has a command: Flyte clears only args for the head and workers, so KubeRay runs `<command> && ulimit -n 65536; ray start …`, and the submitter runs this command instead of `ray job submit`",
            ));
        }
        let cluster = rj.ray_cluster();
        let head_spec = cluster.and_then(|c| c.head_group_spec());

        // 6.2 head start params.
        let mut head_params: BTreeMap<String, String> = match head_spec {
            Some(h) if !h.ray_start_params().is_empty() => h.ray_start_params().clone(),
            _ => self.ray.defaults.head_node.start_parameters.clone(),
        };
        let params_path = "custom.rayCluster.headGroupSpec.rayStartParams";
        head_params
            .entry("include-dashboard".to_owned())
            .or_insert_with(|| self.ray.include_dashboard.to_string());
        self.add_param(
            &mut head_params,
            "node-ip-address",
            &self.ray.defaults.head_node.ip_address.clone(),
            params_path,
            "plugins.ray.defaults.headNode.ipAddress",
        );
        self.add_param(
            &mut head_params,
            "dashboard-host",
            &self.ray.dashboard_host.clone(),
            params_path,
            "plugins.ray.dashboardHost",
        );
        self.usage_stats(
            &mut head_params,
            "plugins.ray.defaults.headNode.startParameters",
        );

        // 6.3 service account.
        let sa = self.service_account();
        if sa.is_empty() {
            if let Value::Object(m) = &mut base.pod {
                m.remove("serviceAccountName");
            }
        } else {
            set(&mut base.pod, "serviceAccountName", json!(sa));
        }

        let head_path = "custom.rayCluster.headGroupSpec";
        let head_ext = head_spec.and_then(|h| h.extended_resources());
        let head_base = self.group_base(&base, head_ext, head_path)?;
        let head_template = self.group_pod(
            head_base.as_ref().map_or(&base, |b| &b.0),
            head_base.as_ref().map_or(idx, |b| b.1),
            head_spec.and_then(|h| h.k8s_pod()),
            true,
            head_path,
        )?;
        self.group_extended = None;
        let Some(cluster) = cluster else {
            return Err(RenderError::NoRayCluster);
        };
        // Built by moving the pod template in (`json!` would copy it).
        let mut head_group = json!({
            "enableIngress": if self.v2 { true } else { self.ray.enable_ingress },
            "rayStartParams": map_value(&head_params),
        });
        set(&mut head_group, "template", head_template);
        if !self.ray.service_type.is_empty() {
            set(&mut head_group, "serviceType", json!(self.ray.service_type));
        }

        let mut workers = Vec::new();
        for (i, spec) in cluster.worker_group_spec().iter().enumerate() {
            let path = format!("custom.rayCluster.workerGroupSpec[{i}]");
            let group_base = self.group_base(&base, spec.extended_resources(), &path)?;
            let template = self.group_pod(
                group_base.as_ref().map_or(&base, |b| &b.0),
                group_base.as_ref().map_or(idx, |b| b.1),
                spec.k8s_pod(),
                false,
                &path,
            )?;
            self.group_extended = None;
            self.findings.push(Finding::warning(
                "memory-env-reads-cpu",
                path.clone(),
                "the worker env MEMORY_REQUESTS/MEMORY_LIMITS read requests.cpu/limits.cpu (upstream bug): they hold the CPU amount",
            ));
            let mut params: BTreeMap<String, String> = if spec.ray_start_params().is_empty() {
                self.ray.defaults.worker_node.start_parameters.clone()
            } else {
                spec.ray_start_params().clone()
            };
            let ppath = format!("{path}.rayStartParams");
            self.add_param(
                &mut params,
                "node-ip-address",
                &self.ray.defaults.worker_node.ip_address.clone(),
                &ppath,
                "plugins.ray.defaults.workerNode.ipAddress",
            );
            self.usage_stats(
                &mut params,
                "plugins.ray.defaults.workerNode.startParameters",
            );
            let replicas = spec.replicas();
            let min = spec.min_replicas().min(replicas);
            let max = spec.max_replicas().max(replicas);
            if spec.min_replicas() > replicas
                || (spec.max_replicas() != 0 && spec.max_replicas() < replicas)
            {
                self.findings.push(Finding::warning(
                    "replicas-clamped",
                    path.clone(),
                    format!(
                        "minReplicas/maxReplicas {}/{} clamped around replicas {replicas} to {min}/{max}",
                        spec.min_replicas(),
                        spec.max_replicas()
                    ),
                ));
            }
            let mut worker = json!({
                "groupName": spec.group_name(),
                "replicas": replicas,
                "minReplicas": min,
                "maxReplicas": max,
                "rayStartParams": map_value(&params),
                "scaleStrategy": {},
            });
            set(&mut worker, "template", template);
            workers.push(worker);
        }
        // The head group goes in once the submitter is made (Flyte 2's
        // reads it), moved, not copied.
        let mut cluster_spec = json!({
            "enableInTreeAutoscaling": cluster.enable_autoscaling(),
        });
        if !workers.is_empty() {
            set(&mut cluster_spec, "workerGroupSpecs", Value::Array(workers));
        }
        if let Some(a) = self.autoscaler_options(cluster.autoscaler_options()) {
            set(&mut cluster_spec, "autoscalerOptions", a);
        }

        // 6.8 shutdown and TTL.
        let mut shutdown = self.ray.shutdown_after_job_finishes;
        let mut ttl = self.ray.ttl_seconds_after_finished;
        if rj.shutdown_after_job_finishes() {
            shutdown = true;
            ttl = rj.ttl_seconds_after_finished();
        } else if rj.ttl_seconds_after_finished() != 0 {
            self.findings.push(Finding::warning(
                "ttl-ignored",
                "custom.ttlSecondsAfterFinished",
                format!(
                    "ignored: the task's TTL is used only with shutdownAfterJobFinishes: true; the config's {ttl} applies"
                ),
            ));
        }

        // 6.9 submitter.
        let exec_labels = self.exec_labels();
        let sub_labels = union(&[&self.k8s.default_labels, &base.labels, &exec_labels]);
        let sub_annotations = union(&[
            &self.k8s.default_annotations,
            &base.annotations,
            &self.exec_annotations,
        ]);
        let submitter = match mode {
            Some(crate::v2::SubmissionMode::K8sJob) => Some(self.v2_submitter(&head_group)),
            Some(_) => None,
            None => Some(template(
                &sub_labels,
                &sub_annotations,
                &base.extra_meta,
                std::mem::take(&mut base.pod),
            )),
        };
        if !self.v2 {
            let gpu = &self.k8s.gpu_resource_name;
            let sub_gpu = primary_container
                .at("/resources/limits")
                .and_then(Value::as_object)
                .is_some_and(|l| l.contains_key(gpu) || l.contains_key("nvidia.com/gpu"));
            if sub_gpu {
                self.findings.push(Finding::warning(
                    "submitter-inherits-gpu",
                    "container.resources",
                    "the submitter pod is a copy of the task pod: it requests the task's GPUs too, only to run `ray job submit`",
                ));
            }
        }

        // 6.11 entrypoint.
        let args: Vec<String> = primary_container
            .get("args")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|a| {
                let s = a.as_str().unwrap_or_default();
                if s.is_empty() && !self.v2 {
                    "''".to_owned()
                } else {
                    s.to_owned()
                }
            })
            .collect();
        let entrypoint = args.join(" ");

        // 6.10 runtimeEnvYAML.
        let mut runtime_env_yaml = rj.runtime_env_yaml().to_owned();
        if !rj.runtime_env().is_empty() && runtime_env_yaml.is_empty() {
            runtime_env_yaml = crate::runtime_env::convert(rj.runtime_env())?;
        }

        set(&mut cluster_spec, "headGroupSpec", head_group);
        let mut spec = json!({});
        set(&mut spec, "rayClusterSpec", cluster_spec);
        if let Some(submitter) = submitter {
            set(&mut spec, "submitterPodTemplate", submitter);
        }
        if let Some(mode) = mode {
            set(&mut spec, "submissionMode", json!(mode.as_str()));
        }
        if !entrypoint.is_empty() {
            set(&mut spec, "entrypoint", Value::String(entrypoint));
        }
        if !runtime_env_yaml.is_empty() {
            set(&mut spec, "runtimeEnvYAML", Value::String(runtime_env_yaml));
        }
        if ttl != 0 {
            set(&mut spec, "ttlSecondsAfterFinished", json!(ttl));
        }
        if shutdown {
            set(&mut spec, "shutdownAfterJobFinishes", json!(true));
        }
        if !shutdown && ttl > 0 {
            self.findings.push(Finding::error(
                "ttl-without-shutdown",
                if rj.shutdown_after_job_finishes() { "custom.ttlSecondsAfterFinished" } else { "plugins.ray.shutdownAfterJobFinishes" },
                format!("shutdownAfterJobFinishes is false with ttlSecondsAfterFinished {ttl}: KubeRay rejects the RayJob (ValidationFailed)"),
            ));
        }
        // The spec moved in, not copied (as `json!` would).
        let mut cr = json!({
            "kind": "RayJob",
            "apiVersion": "ray.io/v1",
            "metadata": {},
            "status": {
                "rayJobInfo": {},
                "rayClusterStatus": {"desiredCPU": "0", "desiredMemory": "0", "desiredGPU": "0", "desiredTPU": "0", "head": {}}
            }
        });
        set(&mut cr, "spec", spec);
        Ok(cr)
    }

    fn add_param(
        &mut self,
        params: &mut BTreeMap<String, String>,
        key: &str,
        value: &str,
        path: &str,
        config_path: &str,
    ) {
        if params.contains_key(key) {
            return;
        }
        if value.is_empty() {
            self.findings.push(Finding::warning(
                "empty-start-param",
                config_path.to_owned(),
                format!("{path}: {key:?} is added with the configured empty value \"\" (Flyte adds it even when empty)"),
            ));
        }
        params.insert(key.to_owned(), value.to_owned());
    }

    fn usage_stats(&mut self, params: &mut BTreeMap<String, String>, defaults_path: &str) {
        if !self.ray.enable_usage_stats {
            params
                .entry("disable-usage-stats".to_owned())
                .or_insert_with(|| "true".to_owned());
        } else if params.get("disable-usage-stats").map(String::as_str) == Some("true") {
            self.findings.push(Finding::warning(
                "usage-stats-still-disabled",
                defaults_path.to_owned(),
                "enableUsageStats is true, but the start parameters still hold disable-usage-stats: \"true\" (the default startParameters contain it)",
            ));
        }
    }

    /// `buildAutoscalerOptions` (§6.7).
    fn autoscaler_options(
        &mut self,
        a: Option<&flyte_ray_models::AutoscalerOptions>,
    ) -> Option<Value> {
        let a = a?;
        let path = "custom.rayCluster.autoscalerOptions";
        let mut out = Map::new();
        if a.idle_timeout_seconds() > 0 {
            out.insert(
                "idleTimeoutSeconds".to_owned(),
                json!(a.idle_timeout_seconds()),
            );
        }
        match a.upscaling_mode() {
            0 => {}
            1 => {
                out.insert("upscalingMode".to_owned(), json!("Default"));
            }
            2 => {
                out.insert("upscalingMode".to_owned(), json!("Aggressive"));
            }
            3 => {
                out.insert("upscalingMode".to_owned(), json!("Conservative"));
            }
            n => {
                out.insert("upscalingMode".to_owned(), json!(""));
                self.findings.push(Finding::error(
                    "autoscaler-upscaling-mode-empty",
                    format!("{path}.upscalingMode"),
                    format!(
                        "unknown upscaling mode {n}: Flyte writes \"\", which the CRD enum rejects"
                    ),
                ));
            }
        }
        if !a.image().is_empty() {
            out.insert("image".to_owned(), json!(a.image()));
        }
        match a.resources() {
            None => {
                out.insert("resources".to_owned(), json!({}));
                self.findings.push(Finding::warning(
                    "autoscaler-resources-empty",
                    format!("{path}.resources"),
                    "no resources given: Flyte still writes resources: {}, which replaces KubeRay's default autoscaler resources (500m CPU, 512Mi)",
                ));
            }
            Some(r) => match to_k8s_resources_model(r) {
                Ok(v) => {
                    let has_gpu = r.requests().iter().chain(r.limits()).any(|e| e.name() == 2);
                    if has_gpu && self.k8s.gpu_resource_name != "nvidia.com/gpu" {
                        self.findings.push(Finding::warning(
                            "autoscaler-gpu-name-hardcoded",
                            format!("{path}.resources"),
                            format!("GPU is written as nvidia.com/gpu whatever gpu-resource-name is ({:?})", self.k8s.gpu_resource_name),
                        ));
                    }
                    out.insert("resources".to_owned(), v);
                }
                Err(e) => self.findings.push(Finding::warning(
                    "autoscaler-resources-swallowed",
                    format!("{path}.resources"),
                    format!("{e}: Flyte swallows this error and leaves resources unset"),
                )),
            },
        }
        let env: Vec<Value> = a
            .env()
            .iter()
            .map(|kv| {
                if kv.value.is_empty() {
                    json!({"name": kv.key})
                } else {
                    json!({"name": kv.key, "value": kv.value})
                }
            })
            .collect();
        if !env.is_empty() {
            out.insert("env".to_owned(), Value::Array(env));
        }
        Some(Value::Object(out))
    }

    /// Stage D: `addObjectMetadata` (§8).
    fn add_object_metadata(&mut self, cr: &mut Value) {
        let tmeta = self
            .task
            .metadata
            .as_ref()
            .and_then(|m| m.metadata.clone())
            .unwrap_or_default();
        let empty = BTreeMap::new();
        let (t_labels, t_annotations) = if self.v2 {
            (&empty, &empty)
        } else {
            (&tmeta.labels, &tmeta.annotations)
        };
        let exec_labels = self.exec_labels();
        let annotations = union(&[
            &self.k8s.default_annotations,
            t_annotations,
            &self.exec_annotations,
        ]);
        let labels = union(&[&self.k8s.default_labels, t_labels, &exec_labels]);
        let name = if self.v2 {
            self.v2_name()
        } else {
            crate::name::cr_name(&self.generated_name)
        };
        if let Some(unhashed) = self.exec.unhashed_name() {
            self.findings.push(Finding::warning(
                "name-hashed",
                "execution.name",
                format!(
                    "{unhashed:?} is {} characters, past the 47 Ray allows: the name is hashed to {:?}, which no longer shows the execution",
                    unhashed.len(),
                    self.generated_name
                ),
            ));
        }
        let owner = self.exec.owner_reference.clone().unwrap_or_else(|| {
            json!({
                "apiVersion": "flyte.lyft.com/v1alpha1",
                "kind": "FlyteWorkflow",
                "name": self.exec.name,
                "uid": "",
                "controller": true,
                "blockOwnerDeletion": true
            })
        });
        let mut meta = json!({"name": name, "namespace": self.exec.namespace()});
        if !labels.is_empty() {
            set(&mut meta, "labels", map_value(&labels));
        }
        if !annotations.is_empty() {
            set(&mut meta, "annotations", map_value(&annotations));
        }
        if !(self.v2 && self.k8s.disable_inject_owner_references) {
            set(&mut meta, "ownerReferences", json!([owner]));
        }
        if self.v2 {
            set(&mut meta, "finalizers", json!(["flyte/flytek8s"]));
        } else if self.k8s.inject_finalizer {
            set(&mut meta, "finalizers", json!(["flyte.org/finalizer-k8s"]));
        }
        set(cr, "metadata", meta);
    }

    /// Flyte 2, after the overlay (§18): the service account (task, else
    /// config, else `default`), then the platform scheduling constraints and
    /// GPU selectors re-applied (`v2.rs`). The managed label is the caller's.
    fn v2_after_overlay(&mut self, pod: &mut Value) -> Result<(), RenderError> {
        let sa = {
            let run_as = self
                .task
                .security_context
                .as_ref()
                .and_then(|s| s.run_as.as_ref())
                .map(|r| r.k8s_service_account.clone())
                .unwrap_or_default();
            let task_sa = if run_as.is_empty() {
                self.exec.k8s_service_account.clone()
            } else {
                run_as
            };
            if task_sa.is_empty() {
                if self.ray.service_account.is_empty() {
                    "default".to_owned()
                } else {
                    self.ray.service_account.clone()
                }
            } else {
                task_sa
            }
        };
        set(pod, "serviceAccountName", json!(sa));
        self.v2_reapply_scheduling(pod)
    }

    fn v2_submitter(&self, head_group: &Value) -> Value {
        let image = head_group
            .at("/template/spec/containers/0/image")
            .cloned()
            .unwrap_or(Value::Null);
        let tolerations: Vec<Value> = self
            .k8s
            .default_tolerations
            .iter()
            .filter_map(|t| {
                gotypes::decode_struct_at(
                    gotypes::struct_index("Toleration").unwrap_or(POD_SPEC),
                    t,
                )
                .ok()
            })
            .collect();
        let mut spec = json!({
            "containers": [{
                "name": "ray-job-submitter",
                "image": image,
                "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "200Mi"}}
            }],
            "restartPolicy": "Never",
            "enableServiceLinks": false,
        });
        if !tolerations.is_empty() {
            set(&mut spec, "tolerations", Value::Array(tolerations));
        }
        if let Some(a) = &self.k8s.default_affinity
            && let Ok(a) =
                gotypes::decode_struct_at(gotypes::struct_index("Affinity").unwrap_or(POD_SPEC), a)
        {
            set(&mut spec, "affinity", a);
        }
        let exec_labels = self.exec_labels();
        let labels = union(&[&self.k8s.default_labels, &exec_labels]);
        let annotations = union(&[&self.k8s.default_annotations, &self.exec_annotations]);
        template(&labels, &annotations, &Map::new(), spec)
    }

    fn overlay_warnings(
        &mut self,
        base: &Value,
        overlay: &Value,
        container: &str,
        path: &str,
        head: bool,
    ) {
        let ppath = format!("{path}.k8sPod.podSpec");
        // Zero values that cannot override (quirk 14.4): pointer fields given as false/0 over a set base.
        if let Value::Object(o) = overlay {
            for f in gotypes::desc(POD_SPEC).fields {
                if let (Some(s), Some(d)) = (o.get(f.name), base.get(f.name))
                    && f.ptr
                    && !f.slice
                    && gotypes::is_zero(s)
                    && !s.is_null()
                    && !gotypes::is_zero(d)
                {
                    self.findings.push(Finding::warning(
                        "overlay-zero-ignored",
                        format!("{ppath}.{}", f.name),
                        format!(
                            "{s} cannot override the base's {d}: mergo never sets a zero value"
                        ),
                    ));
                }
            }
        }
        for (i, c) in overlay
            .get("containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if get_str(c, "name") != container {
                continue;
            }
            if c.get("command").is_some() {
                self.findings.push(Finding::warning(
                    "overlay-command-appended",
                    format!("{ppath}.containers[{i}].command"),
                    "appended to the task container's command, not replacing it (mergo appends slices)",
                ));
            }
            if !head && c.at("/lifecycle/preStop/exec/command").is_some() {
                self.findings.push(Finding::warning(
                    "overlay-prestop-appended",
                    format!("{ppath}.containers[{i}].lifecycle.preStop.exec.command"),
                    "appended to [\"/bin/sh\", \"-c\", \"ray stop\"], not replacing it",
                ));
            }
            let gpu = &self.k8s.gpu_resource_name;
            let overlay_gpu = c.at("/resources/limits").and_then(|l| l.get(gpu)).is_some();
            let base_gpu = base
                .get("containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|b| b.at("/resources/limits").and_then(|l| l.get(gpu)).is_some());
            if !self.v2
                && overlay_gpu
                && !base_gpu
                && self.extended_resources().gpu_accelerator.is_some()
            {
                self.findings.push(Finding::warning(
                    "overlay-gpu-no-selector",
                    format!("{ppath}.containers[{i}].resources.limits"),
                    "a GPU requested only in the group overlay gets no accelerator node selector or toleration (Flyte applies them only for GPUs in the task's limits)",
                ));
            }
        }
        let constrained = if self.interruptible {
            self.k8s.interruptible_node_selector_requirement.is_some()
        } else {
            self.k8s
                .non_interruptible_node_selector_requirement
                .is_some()
        } || self.extended_resources().gpu_accelerator.is_some();
        if !self.v2
            && constrained
            && overlay
                .at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
                .and_then(Value::as_array)
                .is_some_and(|t| !t.is_empty())
        {
            self.findings.push(Finding::warning(
                "overlay-affinity-escapes",
                format!("{ppath}.affinity.nodeAffinity"),
                "the overlay's node selector terms are appended (OR'd) after the (non-)interruptible / GPU requirement was added, so a pod matching them escapes that constraint",
            ));
        }
    }
}

fn template(
    labels: &BTreeMap<String, String>,
    annotations: &BTreeMap<String, String>,
    extra: &Map<String, Value>,
    spec: Value,
) -> Value {
    let mut meta = Value::Object(extra.clone());
    if !labels.is_empty() {
        set(&mut meta, "labels", map_value(labels));
    }
    if !annotations.is_empty() {
        set(&mut meta, "annotations", map_value(annotations));
    }
    // Moved in: `json!` would copy the pod spec.
    let mut template = Map::new();
    template.insert("metadata".to_owned(), meta);
    template.insert("spec".to_owned(), spec);
    Value::Object(template)
}

/// A `google.protobuf.Struct` holds every number as a double; Go sees the
/// Struct through protojson, which writes an integral double below 1e21
/// without a fraction (`8265`, not `8265.0`), so Go's integer fields accept
/// it. The same here.
fn protojson_numbers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(f) = n
                .as_f64()
                .filter(|f| n.is_f64() && f.fract() == 0.0 && f.abs() < 1e21)
            {
                // Only values that convert exactly become integers.
                #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
                let i = f as i64;
                #[allow(clippy::cast_precision_loss)]
                if (i as f64) == f {
                    *v = Value::from(i);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(protojson_numbers),
        Value::Object(o) => o.values_mut().for_each(protojson_numbers),
        _ => {}
    }
}
