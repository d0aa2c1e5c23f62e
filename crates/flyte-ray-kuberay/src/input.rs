//! The renderer's inputs: the Flyte `TaskTemplate` (as `flytectl get task -o
//! json` prints it, or bare, or just a RayJob spec) and the task execution's
//! metadata, with documented defaults (RENDERING.md §2.1–§2.3, §3).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::name::fixed_length_unique_id_for_parts;

/// Why the task input cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Not JSON or YAML.
    #[error("task: {0}")]
    Syntax(String),
    /// A field has the wrong type.
    #[error("task: {path}: {message}")]
    Field {
        /// Where.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A list of tasks, or nothing that looks like a task.
    #[error("task: {0}")]
    Shape(String),
}

/// `flyteidl.core.Identifier` (the parts that matter).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Identifier {
    /// Project.
    pub project: String,
    /// Domain.
    pub domain: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// `flyteidl.core.KeyValuePair`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct KeyValue {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
}

/// One `flyteidl.core.Resources.ResourceEntry`: `name` by enum name or number.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ResourceEntry {
    /// `CPU`, `MEMORY`, `GPU`, `EPHEMERAL_STORAGE`, `STORAGE`, `UNKNOWN` (or 0–5).
    pub name: Value,
    /// The quantity.
    pub value: String,
}

/// `flyteidl.core.Resources`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Resources {
    /// Requests.
    pub requests: Vec<ResourceEntry>,
    /// Limits.
    pub limits: Vec<ResourceEntry>,
}

/// `flyteidl.core.Container` (the fields stage B reads).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Container {
    /// Image.
    pub image: String,
    /// Command.
    pub command: Vec<String>,
    /// Args.
    pub args: Vec<String>,
    /// Env.
    pub env: Vec<KeyValue>,
    /// Resources.
    pub resources: Option<Resources>,
    /// Copilot data config (not supported: an error).
    #[serde(alias = "data_config")]
    pub data_config: Option<Value>,
}

/// `flyteidl.core.K8sObjectMetadata`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ObjectMetadata {
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    pub annotations: BTreeMap<String, String>,
}

/// `flyteidl.core.K8sPod`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct K8sPodTarget {
    /// Metadata.
    pub metadata: Option<ObjectMetadata>,
    /// The pod spec, as JSON.
    #[serde(alias = "pod_spec")]
    pub pod_spec: Option<Value>,
    /// Copilot data config (not supported: an error).
    #[serde(alias = "data_config")]
    pub data_config: Option<Value>,
    /// Read only for a pod-template override.
    #[serde(alias = "primary_container_name")]
    pub primary_container_name: String,
}

/// `flyteidl.core.TaskMetadata` (the fields that matter).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskMetadata {
    /// Base PodTemplate name.
    #[serde(alias = "pod_template_name")]
    pub pod_template_name: String,
    /// Labels and annotations for the CR only.
    pub metadata: Option<ObjectMetadata>,
    /// The task's interruptible flag (default of the execution's).
    pub interruptible: Option<bool>,
}

/// `flyteidl.core.Identity` run-as (the fields that matter).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct RunAs {
    /// Service account (preferred over the execution's).
    #[serde(alias = "k8s_service_account")]
    pub k8s_service_account: String,
    /// Label `execution-identity`.
    #[serde(alias = "execution_identity")]
    pub execution_identity: String,
}

/// `flyteidl.core.SecurityContext`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct SecurityContext {
    /// Run-as identity.
    #[serde(alias = "run_as")]
    pub run_as: Option<RunAs>,
    /// Secrets (`flyteidl.core.Secret` as proto JSON): each becomes a
    /// `flyte.secrets/s<i>` annotation.
    pub secrets: Vec<Value>,
}

/// `flyteidl.core.GPUAccelerator`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct GpuAccelerator {
    /// Device.
    pub device: String,
    /// Partition size (one of the oneof).
    #[serde(alias = "partition_size")]
    pub partition_size: Option<String>,
    /// Unpartitioned (the other).
    pub unpartitioned: Option<bool>,
}

/// `flyteidl.core.SharedMemory`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct SharedMemory {
    /// Mount path.
    #[serde(alias = "mount_path")]
    pub mount_path: String,
    /// Mount (volume) name.
    #[serde(alias = "mount_name")]
    pub mount_name: String,
    /// Size limit (a quantity, may be empty).
    #[serde(alias = "size_limit")]
    pub size_limit: String,
}

/// `flyteidl.core.ExtendedResources`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExtendedResources {
    /// GPU accelerator.
    #[serde(alias = "gpu_accelerator")]
    pub gpu_accelerator: Option<GpuAccelerator>,
    /// Shared memory.
    #[serde(alias = "shared_memory")]
    pub shared_memory: Option<SharedMemory>,
}

/// `flyteidl.core.TaskTemplate`: what the renderer reads of it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskTemplate {
    /// Task id (the task env vars `FLYTE_INTERNAL_TASK_*`).
    pub id: Option<Identifier>,
    /// Task type (`ray`); not used for rendering.
    #[serde(rename = "type")]
    pub task_type: String,
    /// Metadata.
    pub metadata: Option<TaskMetadata>,
    /// The RayJob as proto3 JSON.
    pub custom: Option<Value>,
    /// Container target.
    pub container: Option<Container>,
    /// K8sPod target.
    #[serde(alias = "k8s_pod")]
    pub k8s_pod: Option<K8sPodTarget>,
    /// Config (`primary_container_name`, `link_type`).
    pub config: BTreeMap<String, String>,
    /// Security context.
    #[serde(alias = "security_context")]
    pub security_context: Option<SecurityContext>,
    /// Extended resources.
    #[serde(alias = "extended_resources")]
    pub extended_resources: Option<ExtendedResources>,
}

/// The image of the default container a bare RayJob spec gets.
pub const DEFAULT_IMAGE: &str = "cr.flyte.org/flyteorg/flytekit:py3.12-latest";

/// The args of the default container a bare RayJob spec gets: flytekit's
/// `pyflyte-execute` line for a task `main.ray_task`.
pub const DEFAULT_ARGS: &[&str] = &[
    "pyflyte-execute",
    "--inputs",
    "{{.input}}",
    "--output-prefix",
    "{{.outputPrefix}}",
    "--raw-output-data-prefix",
    "{{.rawOutputDataPrefix}}",
    "--checkpoint-path",
    "{{.checkpointOutputPrefix}}",
    "--prev-checkpoint",
    "{{.prevCheckpointPrefix}}",
    "--resolver",
    "flytekit.core.python_auto_container.default_task_resolver",
    "--",
    "task-module",
    "main",
    "task-name",
    "ray_task",
];

impl TaskTemplate {
    /// Reads a task from JSON or YAML text. Accepted shapes: what
    /// `flytectl get task -o json` prints (the template under `template`,
    /// `spec.template` or `closure.compiledTask.template`), a bare
    /// `TaskTemplate`, or a bare RayJob spec (an object with `rayCluster`),
    /// which gets the default container ([`DEFAULT_IMAGE`], [`DEFAULT_ARGS`],
    /// 1 CPU and 1Gi requested and as limits).
    ///
    /// ```
    /// use flyte_ray_kuberay::TaskTemplate;
    ///
    /// let t = TaskTemplate::from_text(r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}]}}"#).unwrap();
    /// assert_eq!(t.task_type, "ray");
    /// assert!(t.container.is_some());
    /// ```
    pub fn from_text(text: &str) -> Result<Self, InputError> {
        let doc: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(json_err) => serde_yaml_ng::from_str(text).map_err(|e| {
                InputError::Syntax(format!("neither JSON ({json_err}) nor YAML ({e})"))
            })?,
        };
        Self::from_value(&doc)
    }

    /// As [`from_text`](Self::from_text), from a parsed document.
    pub fn from_value(doc: &Value) -> Result<Self, InputError> {
        if doc.is_array() {
            return Err(InputError::Shape(
                "a list of tasks; give one task".to_owned(),
            ));
        }
        let Some(obj) = doc.as_object() else {
            return Err(InputError::Shape("expected a JSON/YAML object".to_owned()));
        };
        if obj.contains_key("rayCluster") || obj.contains_key("ray_cluster") {
            return Ok(Self::for_ray_job(doc.clone()));
        }
        let candidates: [&[&str]; 4] = [
            &["template"],
            &["spec", "template"],
            &["closure", "compiledTask", "template"],
            &[],
        ];
        for path in candidates {
            let mut v = doc;
            let mut found = true;
            for key in path {
                match v.get(*key) {
                    Some(next) => v = next,
                    None => {
                        found = false;
                        break;
                    }
                }
            }
            if found
                && v.is_object()
                && ["custom", "container", "k8sPod", "k8s_pod", "type"]
                    .iter()
                    .any(|k| v.get(*k).is_some())
            {
                let prefix = path.join(".");
                return serde_json::from_value(v.clone()).map_err(|e| InputError::Field {
                    path: if prefix.is_empty() {
                        "(template)".to_owned()
                    } else {
                        prefix
                    },
                    message: e.to_string(),
                });
            }
        }
        Err(InputError::Shape(
            "no task template found (expected `custom`/`container`/`k8sPod`, a `template`, or a RayJob with `rayCluster`)".to_owned(),
        ))
    }

    /// A task template around a bare RayJob spec, with the default container.
    pub fn for_ray_job(ray_job: Value) -> Self {
        let entry = |name: &str, value: &str| ResourceEntry {
            name: Value::String(name.to_owned()),
            value: value.to_owned(),
        };
        TaskTemplate {
            task_type: "ray".to_owned(),
            custom: Some(ray_job),
            container: Some(Container {
                image: DEFAULT_IMAGE.to_owned(),
                args: DEFAULT_ARGS.iter().map(|s| (*s).to_owned()).collect(),
                resources: Some(Resources {
                    requests: vec![entry("CPU", "1"), entry("MEMORY", "1Gi")],
                    limits: vec![entry("CPU", "1"), entry("MEMORY", "1Gi")],
                }),
                ..Container::default()
            }),
            ..TaskTemplate::default()
        }
    }
}

/// The task execution's metadata, as the plugin sees it (RENDERING.md §2.2,
/// §3). [`ExecutionMetadata::default`] documents every default.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ExecutionMetadata {
    /// Execution project (default `flytesnacks`).
    pub project: String,
    /// Execution domain (default `development`).
    pub domain: String,
    /// Execution name (default `a1b2c3d4e5f6g7h8i9j0`).
    pub name: String,
    /// Node id (default `n0`).
    pub node_id: String,
    /// Retry attempt (default 0).
    pub retry_attempt: u32,
    /// The generated name; default: `FixedLengthUniqueIDForParts(47, [name, uniqueNodeID, retry])`.
    pub generated_name: Option<String>,
    /// The unique node id; default `FixedLengthUniqueIDForParts(20, ["", "", node_id])` (event version 1, top-level node).
    pub unique_node_id: Option<String>,
    /// Namespace; default `<project>-<domain>` (Flyte's default namespace template).
    pub namespace: Option<String>,
    /// The execution's labels (§3.3); the renderer adds `inject-flyte-secrets`
    /// and `execution-identity` as propeller does; default none.
    pub labels: BTreeMap<String, String>,
    /// The execution's annotations; the renderer adds the task's
    /// `flyte.secrets/s<i>` as propeller does (§3.3); default none.
    pub annotations: BTreeMap<String, String>,
    /// `GetK8sServiceAccount()`; default `""`.
    pub k8s_service_account: String,
    /// `security_context.run_as.k8s_service_account`; default: the task template's.
    pub run_as_service_account: Option<String>,
    /// `GetSecurityContext().run_as.execution_identity` (label
    /// `execution-identity`, sanitized); default: the task template's.
    pub execution_identity: Option<String>,
    /// Interruptible; default: the task metadata's flag, else false.
    pub interruptible: Option<bool>,
    /// The owner reference (JSON); default the FlyteWorkflow controller reference for `name`.
    pub owner_reference: Option<Value>,
    /// `overrides.resources` (a k8s `ResourceRequirements` as JSON). Default:
    /// the task container's resources (what propeller derives when nothing
    /// overrides them).
    pub override_resources: Option<Value>,
    /// `overrides.extended_resources`.
    pub override_extended_resources: Option<ExtendedResources>,
    /// `overrides.container_image`; default `""`.
    pub override_container_image: String,
    /// `overrides.pod_template`.
    pub override_pod_template: Option<K8sPodTarget>,
    /// Platform resources (a k8s `ResourceRequirements` as JSON); default `{}`.
    pub platform_resources: Option<Value>,
    /// Execution-config env vars (rendered sorted by name).
    pub environment_variables: BTreeMap<String, String>,
    /// Console URL; default `""`.
    pub console_url: String,
    /// `FLYTE_INTERNAL_EXECUTION_WORKFLOW`; default none (as in the upstream tests).
    pub workflow_id: Option<String>,
    /// Task id (`FLYTE_INTERNAL_TASK_*` env); default none (`flyte-ray render` sets the template's `id`).
    pub task_id: Option<Identifier>,
    /// `{{.Input}}`; default `<input_prefix>/inputs.pb`.
    pub input_path: Option<String>,
    /// `{{.InputPrefix}}`; default `s3://flyte/metadata/<project>/<domain>/<name>/<node>/data/inputs`.
    pub input_prefix: Option<String>,
    /// `{{.OutputPrefix}}`; default `s3://flyte/metadata/<project>/<domain>/<name>/<node>/data/<retry>`.
    pub output_prefix: Option<String>,
    /// `{{.RawOutputDataPrefix}}`; default `s3://flyte/data/<generated name>`.
    pub raw_output_prefix: Option<String>,
    /// `{{.CheckpointOutputPrefix}}`; default `<raw output>/_flytecheckpoints`.
    pub checkpoint_prefix: Option<String>,
    /// `{{.PrevCheckpointPrefix}}`; default `""` (rendered `""`, as Go does).
    pub prev_checkpoint_prefix: String,
    /// `{{.TaskTemplatePath}}`; default `s3://flyte/metadata/<project>/<domain>/<name>/<node>/task.pb`.
    pub task_template_path: Option<String>,
    /// Propeller's process environment, for `default-env-vars-from-env`; default empty.
    pub propeller_env: BTreeMap<String, String>,
    /// The cluster's PodTemplates by name (each `{metadata, template: {metadata, spec}}`); default none.
    pub pod_templates: BTreeMap<String, Value>,
    /// The container name used when the generated name is not a DNS-1123
    /// label (Go: `rand.String(4)`); default the first 4 characters of the
    /// generated name's hash.
    pub fallback_container_name: Option<String>,
}

impl Default for ExecutionMetadata {
    fn default() -> Self {
        ExecutionMetadata {
            project: "flytesnacks".to_owned(),
            domain: "development".to_owned(),
            name: "a1b2c3d4e5f6g7h8i9j0".to_owned(),
            node_id: "n0".to_owned(),
            retry_attempt: 0,
            generated_name: None,
            unique_node_id: None,
            namespace: None,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            k8s_service_account: String::new(),
            run_as_service_account: None,
            execution_identity: None,
            interruptible: None,
            owner_reference: None,
            override_resources: None,
            override_extended_resources: None,
            override_container_image: String::new(),
            override_pod_template: None,
            platform_resources: None,
            environment_variables: BTreeMap::new(),
            console_url: String::new(),
            workflow_id: None,
            task_id: None,
            input_path: None,
            input_prefix: None,
            output_prefix: None,
            raw_output_prefix: None,
            checkpoint_prefix: None,
            prev_checkpoint_prefix: String::new(),
            task_template_path: None,
            propeller_env: BTreeMap::new(),
            pod_templates: BTreeMap::new(),
            fallback_container_name: None,
        }
    }
}

impl ExecutionMetadata {
    /// The unique node id (§3.1).
    pub fn unique_node_id(&self) -> String {
        self.unique_node_id
            .clone()
            .unwrap_or_else(|| fixed_length_unique_id_for_parts(20, &["", "", &self.node_id]))
    }

    /// The generated name (§3.1), at most 47 characters.
    ///
    /// ```
    /// use flyte_ray_kuberay::ExecutionMetadata;
    ///
    /// let m = ExecutionMetadata::default();
    /// assert_eq!(m.generated_name(), "a1b2c3d4e5f6g7h8i9j0-n0-0");
    /// ```
    pub fn generated_name(&self) -> String {
        self.generated_name.clone().unwrap_or_else(|| {
            let retry = self.retry_attempt.to_string();
            fixed_length_unique_id_for_parts(47, &[&self.name, &self.unique_node_id(), &retry])
        })
    }

    /// The joined parts before hashing, when they are longer than 47 characters.
    pub(crate) fn unhashed_name(&self) -> Option<String> {
        if self.generated_name.is_some() {
            return None;
        }
        let joined = format!(
            "{}-{}-{}",
            self.name,
            self.unique_node_id(),
            self.retry_attempt
        );
        (joined.len() > 47).then_some(joined)
    }

    /// The namespace.
    pub fn namespace(&self) -> String {
        self.namespace
            .clone()
            .unwrap_or_else(|| format!("{}-{}", self.project, self.domain))
    }

    pub(crate) fn metadata_prefix(&self) -> String {
        format!(
            "s3://flyte/metadata/{}/{}/{}/{}",
            self.project, self.domain, self.name, self.node_id
        )
    }
}
