//! The other half of Flyte's v1 Ray plugin: reading a submitted RayJob back.
//!
//! Propeller calls the plugin's `GetTaskPhase` on every round with the
//! RayJob as the cluster returns it (flyteplugins `k8s/ray/ray.go` @89cf9cc7,
//! RENDERING.md §16.3). This module does the same from a [`RayJobState`]
//! (read from KubeRay's generated [`v1::RayJob`] or from the JSON of
//! `kubectl get rayjob -o json`):
//!
//! - [`task_phase`]: `status.jobDeploymentStatus` → the Flyte [`Phase`], its
//!   reason, the failure message, and the phase-version rule
//!   (`MaybeUpdatePhaseVersion`: same phase as the previous round with a new
//!   reason → previous version + 1);
//! - [`event_logs`] (`getEventInfoForRayJob`): the log links, from the
//!   Flyte log templates (`plugins.ray.logs`), the dynamic log links a task
//!   selects with `config.link_type`, and the Ray dashboard template
//!   (`plugins.ray.dashboardURLTemplate`, only while `status.dashboardURL` is
//!   set and `status.jobStatus` is `RUNNING`).
//!
//! Deterministic choices where Go is not (documented in docs/RENDERING.md):
//! the "current time" Go reads from the clock is the `now` argument;
//! `{{ .podRFC3339StartTime }}` and `{{ .podRFC3339FinishTime }}` are
//! written in UTC (Go formats them in propeller's local time zone); dynamic
//! log links (a Go map) are produced sorted by their link type.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use flyte_ray_kuberay_api::v1;
use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::config::RayConfig;
use crate::input::{ExecutionMetadata, Identifier, TaskTemplate};

/// A Flyte plugin phase (`pluginmachinery/core/phase.go`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Phase {
    /// Unknown this round (the zero value, and the phase of an empty plugin state).
    #[default]
    Undefined,
    /// Not ready to submit.
    NotReady,
    /// Waiting for resources.
    WaitingForResources,
    /// Submitted, not started.
    Queued,
    /// Starting (for Ray: the cluster is being created).
    Initializing,
    /// Running.
    Running,
    /// Finished successfully.
    Success,
    /// Failed; retried if retries remain.
    RetryableFailure,
    /// Failed; never retried.
    PermanentFailure,
    /// Waiting for a cache to be populated.
    WaitingForCache,
}

impl Phase {
    /// Success or a failure.
    pub fn is_terminal(self) -> bool {
        self.is_failure() || self == Phase::Success
    }

    /// A retryable or permanent failure.
    pub fn is_failure(self) -> bool {
        matches!(self, Phase::RetryableFailure | Phase::PermanentFailure)
    }
}

/// `flyteidl.core.ExecutionError.ErrorKind`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum ErrorKind {
    /// `UNKNOWN` (0).
    #[default]
    Unknown,
    /// `USER` (1).
    User,
    /// `SYSTEM` (2): the failure counts against the system retries.
    System,
}

/// `flyteidl.core.ExecutionError` (the fields a plugin sets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ExecutionError {
    /// Error code (`TaskFailedWithError` for a failed RayJob).
    pub code: String,
    /// The message.
    pub message: String,
    /// User or system.
    pub kind: ErrorKind,
}

/// `flyteidl.core.TaskLog.MessageFormat`. In configuration it is accepted
/// by name (`UNKNOWN`, `CSV`, `JSON`) or number (0–2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum MessageFormat {
    /// `UNKNOWN` (0), the zero value.
    #[default]
    Unknown,
    /// `CSV` (1).
    Csv,
    /// `JSON` (2): what Flyte's built-in and dynamic log plugins set.
    Json,
}

impl<'de> Deserialize<'de> for MessageFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match &v {
            Value::Null => Ok(MessageFormat::Unknown),
            Value::String(s) => match s.to_ascii_uppercase().as_str() {
                "UNKNOWN" => Ok(MessageFormat::Unknown),
                "CSV" => Ok(MessageFormat::Csv),
                "JSON" => Ok(MessageFormat::Json),
                _ => Err(serde::de::Error::custom(format!(
                    "unknown message format {s:?} (expected UNKNOWN, CSV or JSON)"
                ))),
            },
            Value::Number(n) => match n.as_u64() {
                Some(0) => Ok(MessageFormat::Unknown),
                Some(1) => Ok(MessageFormat::Csv),
                Some(2) => Ok(MessageFormat::Json),
                _ => Err(serde::de::Error::custom(format!(
                    "unknown message format {n} (expected 0, 1 or 2)"
                ))),
            },
            _ => Err(serde::de::Error::custom(format!(
                "message format: expected a name or a number, got {v}"
            ))),
        }
    }
}

/// `flyteidl.core.TaskLog`: one log link of a task event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskLog {
    /// Display name.
    pub name: String,
    /// The link.
    pub uri: String,
    /// Message format.
    pub message_format: MessageFormat,
    /// Shown while the task is pending.
    pub show_while_pending: bool,
    /// Hidden once the task is finished.
    pub hide_once_finished: bool,
}

impl TaskLog {
    /// A link with only a name and a URI (every other field zero).
    pub fn new(name: impl Into<String>, uri: impl Into<String>) -> Self {
        TaskLog {
            name: name.into(),
            uri: uri.into(),
            ..TaskLog::default()
        }
    }
}

/// `tasklog.TemplateLogPlugin`: a log-link template (an entry of
/// `logs.templates`, a `logs.dynamic-log-links` value, or
/// `dashboardURLTemplate`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct TemplateLogPlugin {
    /// Name; a dynamic link's link type (set from its key in `dynamic-log-links`).
    pub name: String,
    /// Display name of the links (templated too, for `templateUris`).
    pub display_name: String,
    /// URI templates, one link each.
    pub template_uris: Vec<String>,
    /// URI templates produced only for a task whose `config.link_type` lists [`name`](Self::name).
    pub dynamic_template_uris: Vec<String>,
    /// Message format of the links.
    pub message_format: MessageFormat,
    /// Show the links while pending.
    pub show_while_pending: bool,
    /// Hide the links once finished.
    pub hide_once_finished: bool,
}

impl TemplateLogPlugin {
    /// A template with a display name and URI templates.
    pub fn new(display_name: impl Into<String>, template_uris: &[&str]) -> Self {
        TemplateLogPlugin {
            display_name: display_name.into(),
            template_uris: template_uris.iter().map(|s| (*s).to_owned()).collect(),
            ..TemplateLogPlugin::default()
        }
    }
}

/// Flyte's log configuration (`flyteplugins/go/tasks/logs.LogConfig`), as
/// the Ray plugin reads it from `plugins.ray.logs` (default: all off).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct LogConfig {
    /// Adds a "Cloudwatch Logs" link.
    #[serde(rename = "cloudwatch-enabled")]
    pub cloudwatch_enabled: bool,
    /// Deprecated: region of the default Cloudwatch template.
    pub cloudwatch_region: String,
    /// Deprecated: log group of the default Cloudwatch template.
    pub cloudwatch_log_group: String,
    /// The Cloudwatch template (default: built from region and group).
    pub cloudwatch_template_uri: String,
    /// Adds a "Kubernetes Logs" link.
    #[serde(rename = "kubernetes-enabled")]
    pub kubernetes_enabled: bool,
    /// Deprecated: dashboard URL of the default Kubernetes template.
    pub kubernetes_url: String,
    /// The Kubernetes template (default: built from `kubernetes-url`).
    pub kubernetes_template_uri: String,
    /// Adds a "Stackdriver Logs" link.
    #[serde(rename = "stackdriver-enabled")]
    pub stackdriver_enabled: bool,
    /// Deprecated: project of the default Stackdriver template.
    pub gcp_project: String,
    /// Deprecated: log resource of the default Stackdriver template.
    #[serde(rename = "stackdriver-logresourcename")]
    pub stackdriver_log_resource_name: String,
    /// The Stackdriver template (default: built from project and resource).
    pub stackdriver_template_uri: String,
    /// Dynamic log links by link type; their `templateUris` are used only
    /// for tasks whose `config.link_type` (comma-separated) names the type.
    pub dynamic_log_links: BTreeMap<String, TemplateLogPlugin>,
    /// Further templates, in order.
    pub templates: Vec<TemplateLogPlugin>,
}

/// The task execution as the log templates see it
/// (`pluginsCore.TaskExecutionID` and the task template's `config`).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct TaskExecution {
    /// `{{ .generatedName }}`.
    pub generated_name: String,
    /// `{{ .nodeID }}` (the unique node id).
    pub unique_node_id: String,
    /// `{{ .taskRetryAttempt }}`.
    pub retry_attempt: u32,
    /// `{{ .taskID }}`, `{{ .taskVersion }}`, `{{ .taskProject }}`,
    /// `{{ .taskDomain }}`; when absent those stay as written.
    pub task_id: Option<Identifier>,
    /// `{{ .executionProject }}`, `{{ .executionDomain }}`,
    /// `{{ .executionName }}` (`version` unused); when absent those stay as written.
    pub execution_id: Option<Identifier>,
    /// The task template's `config`: `link_type` selects dynamic log
    /// links, and `{{ .taskConfig.<key> }}` reads a key.
    pub task_config: BTreeMap<String, String>,
}

impl TaskExecution {
    /// The task execution the renderer's inputs describe: names and ids from
    /// `exec` (the task id, when `exec` has none, from the template's `id`),
    /// the config from `task`.
    pub fn from_inputs(exec: &ExecutionMetadata, task: &TaskTemplate) -> Self {
        TaskExecution {
            generated_name: exec.generated_name(),
            unique_node_id: exec.unique_node_id(),
            retry_attempt: exec.retry_attempt,
            task_id: exec.task_id.clone().or_else(|| task.id.clone()),
            execution_id: Some(Identifier {
                project: exec.project.clone(),
                domain: exec.domain.clone(),
                name: exec.name.clone(),
                version: String::new(),
            }),
            task_config: task.config.clone(),
        }
    }
}

/// What the plugin reads of a RayJob: `metadata.name`, `.namespace`,
/// `.creationTimestamp` and the `status` fields. An absent field is Go's
/// zero value (`""`; no creation timestamp is Go's zero time, year 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RayJobState {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace` (`{{ .namespace }}`).
    pub namespace: String,
    /// `metadata.creationTimestamp` (the start time of the links).
    pub creation_timestamp: Option<jiff::Timestamp>,
    /// `status.jobDeploymentStatus`.
    pub job_deployment_status: String,
    /// `status.jobStatus` (Ray's job status, `RUNNING`, …).
    pub job_status: String,
    /// `status.reason`.
    pub reason: String,
    /// `status.message`.
    pub message: String,
    /// `status.jobId` (`{{ .rayJobID }}`).
    pub job_id: String,
    /// `status.rayClusterName` (`{{ .rayClusterName }}`).
    pub ray_cluster_name: String,
    /// `status.dashboardURL`.
    pub dashboard_url: String,
}

/// Why a RayJob's state cannot be read or mapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusError {
    /// A `status.jobDeploymentStatus` Flyte's v1 plugin does not map
    /// (`ValidationFailed`, `Retrying`, `Waiting`, or anything newer):
    /// upstream's error, word for word (RENDERING.md §14.16).
    #[error("unknown job deployment status: {0}")]
    UnknownDeploymentStatus(String),
    /// A field of the RayJob JSON has the wrong type or form.
    #[error("rayjob: {path}: {message}")]
    Field {
        /// Where (`status.jobId`).
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl RayJobState {
    /// From KubeRay's generated type.
    pub fn from_rayjob(job: &v1::RayJob) -> Self {
        let s = &job.status;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        RayJobState {
            name: job.metadata.name.clone().unwrap_or_default(),
            namespace: job.metadata.namespace.clone().unwrap_or_default(),
            creation_timestamp: job.metadata.creation_timestamp.as_ref().map(|t| t.0),
            job_deployment_status: text(&s.job_deployment_status),
            job_status: text(&s.job_status),
            reason: text(&s.reason),
            message: text(&s.message),
            job_id: text(&s.job_id),
            ray_cluster_name: text(&s.ray_cluster_name),
            dashboard_url: text(&s.dashboard_url),
        }
    }

    /// From a RayJob as JSON (`kubectl get rayjob NAME -o json`). Only the
    /// fields above are read, so a RayJob of a newer KubeRay with more fields
    /// is accepted; `null` is absent, as in Go.
    ///
    /// ```
    /// use flyte_ray_kuberay::status::RayJobState;
    /// use serde_json::json;
    ///
    /// let s = RayJobState::from_json(&json!({
    ///     "metadata": {"name": "j", "creationTimestamp": "2024-05-01T10:00:00Z"},
    ///     "status": {"jobDeploymentStatus": "Running", "jobId": "j-1"}})).unwrap();
    /// assert_eq!(s.job_deployment_status, "Running");
    /// assert_eq!(s.creation_timestamp.unwrap().as_second(), 1_714_557_600);
    /// ```
    pub fn from_json(doc: &Value) -> Result<Self, StatusError> {
        if !doc.is_object() {
            return Err(field("(root)", format!("expected an object, got {doc}")));
        }
        let text = |section: &str, key: &str| -> Result<String, StatusError> {
            let Some(obj) = doc.get(section) else {
                return Ok(String::new());
            };
            if obj.is_null() {
                return Ok(String::new());
            }
            if !obj.is_object() {
                return Err(field(section, format!("expected an object, got {obj}")));
            }
            match obj.get(key) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(v) => Err(field(
                    &format!("{section}.{key}"),
                    format!("expected a string, got {v}"),
                )),
            }
        };
        let created = text("metadata", "creationTimestamp")?;
        let creation_timestamp = if created.is_empty() {
            None
        } else {
            Some(created.parse::<jiff::Timestamp>().map_err(|e| {
                field(
                    "metadata.creationTimestamp",
                    format!("not an RFC 3339 time ({created:?}): {e}"),
                )
            })?)
        };
        Ok(RayJobState {
            name: text("metadata", "name")?,
            namespace: text("metadata", "namespace")?,
            creation_timestamp,
            job_deployment_status: text("status", "jobDeploymentStatus")?,
            job_status: text("status", "jobStatus")?,
            reason: text("status", "reason")?,
            message: text("status", "message")?,
            job_id: text("status", "jobId")?,
            ray_cluster_name: text("status", "rayClusterName")?,
            dashboard_url: text("status", "dashboardURL")?,
        })
    }
}

fn field(path: &str, message: String) -> StatusError {
    StatusError::Field {
        path: path.to_owned(),
        message,
    }
}

/// The plugin state propeller kept from the previous round
/// (`k8s.PluginState`); [`Default`] is the empty state of the first round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PluginState {
    /// The phase reported last.
    pub phase: Phase,
    /// Its version.
    pub phase_version: u32,
    /// Its reason.
    pub reason: String,
}

impl PluginState {
    /// A state with these values.
    pub fn new(phase: Phase, phase_version: u32, reason: impl Into<String>) -> Self {
        PluginState {
            phase,
            phase_version,
            reason: reason.into(),
        }
    }
}

/// `pluginsCore.PhaseInfo`: what `GetTaskPhase` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PhaseInfo {
    /// The phase.
    pub phase: Phase,
    /// Its version.
    pub version: u32,
    /// Why the task is in this phase (`""` for running, success and failure).
    pub reason: String,
    /// The failure, for a failed RayJob.
    pub error: Option<ExecutionError>,
    /// Delete the RayJob even though the phase is a failure.
    pub cleanup_on_failure: bool,
    /// The log links of the event.
    pub logs: Vec<TaskLog>,
}

/// Error code of a failed RayJob (`flyteerr.TaskFailedWithError`).
pub const TASK_FAILED_WITH_ERROR: &str = "TaskFailedWithError";

/// `GetTaskPhase`: the phase of the task whose RayJob is `job`, with the log
/// links of [`event_logs`] (from `ray.logs` and `ray.dashboard_url_template`)
/// and the phase version bumped as `MaybeUpdatePhaseVersion` does against
/// `prior`. `now` stands for Go's `time.Now()` (the links' finish time).
///
/// | `status.jobDeploymentStatus` | phase | reason |
/// |---|---|---|
/// | `""` (New) | Queued | `Scheduling` |
/// | `Initializing` | Initializing | `cluster is creating` |
/// | `Running` | Running | |
/// | `Complete` | Success | |
/// | `Suspended` / `Suspending` | Queued | `Suspended` / `Suspending` |
/// | `Failed` | RetryableFailure, a system error `TaskFailedWithError` `Failed to run Ray job <name> with error: [<reason>] <message>`, cleanup | |
/// | anything else | error `unknown job deployment status: <s>` | |
///
/// ```
/// use flyte_ray_kuberay::RayConfig;
/// use flyte_ray_kuberay::status::{task_phase, Phase, PluginState, RayJobState, TaskExecution};
///
/// let mut job = RayJobState::default();
/// job.job_deployment_status = "Initializing".to_owned();
/// let prior = PluginState::new(Phase::Initializing, 0, "task submitted to K8s");
/// let p = task_phase(&RayConfig::default(), &TaskExecution::default(), &job, &prior,
///                    jiff::Timestamp::UNIX_EPOCH).unwrap();
/// assert_eq!((p.phase, p.version, p.reason.as_str()), (Phase::Initializing, 1, "cluster is creating"));
/// ```
pub fn task_phase(
    ray: &RayConfig,
    exec: &TaskExecution,
    job: &RayJobState,
    prior: &PluginState,
    now: jiff::Timestamp,
) -> Result<PhaseInfo, StatusError> {
    let logs = event_logs(
        &ray.logs,
        ray.dashboard_url_template.as_ref(),
        exec,
        job,
        now,
    );
    let queued = |reason: &str| (Phase::Queued, reason.to_owned(), None, false);
    let (phase, reason, error, cleanup) = match job.job_deployment_status.as_str() {
        "" => queued("Scheduling"),
        "Initializing" => (
            Phase::Initializing,
            "cluster is creating".to_owned(),
            None,
            false,
        ),
        "Running" => (Phase::Running, String::new(), None, false),
        "Complete" => (Phase::Success, String::new(), None, false),
        "Suspended" => queued("Suspended"),
        "Suspending" => queued("Suspending"),
        "Failed" => (
            Phase::RetryableFailure,
            String::new(),
            Some(ExecutionError {
                code: TASK_FAILED_WITH_ERROR.to_owned(),
                message: format!(
                    "Failed to run Ray job {} with error: [{}] {}",
                    job.name, job.reason, job.message
                ),
                kind: ErrorKind::System,
            }),
            true,
        ),
        other => return Err(StatusError::UnknownDeploymentStatus(other.to_owned())),
    };
    let mut info = PhaseInfo {
        phase,
        version: 0,
        reason,
        error,
        cleanup_on_failure: cleanup,
        logs,
    };
    maybe_update_phase_version(&mut info, prior);
    Ok(info)
}

/// `MaybeUpdatePhaseVersion`: a report in the same phase as the previous
/// round, with a version not above it and a different reason, gets the
/// previous version + 1 (otherwise propeller would drop its event as a
/// duplicate).
pub fn maybe_update_phase_version(info: &mut PhaseInfo, prior: &PluginState) {
    if info.phase == prior.phase
        && info.version <= prior.phase_version
        && info.reason != prior.reason
    {
        info.version = prior.phase_version.saturating_add(1);
    }
}

// ---- log templates -----------------------------------------------------------

// Flyte's log templates look like Go text/template (`{{ .namespace }}`) but
// are not run through text/template: flyteplugins' `tasklog` replaces each
// known variable with the regular expression `(?i){{\s*[\.$]<name>\s*}}`,
// one variable after the other, literally, and skips a variable whose value
// is empty. So only that `{{ .var }}` form exists (any case, `.` or `$`,
// optional whitespace; no pipelines, functions or conditionals), an unknown
// or empty variable stays in the link as written, and the order matters
// (a value that itself contains `{{ .x }}` is replaced again by a later
// variable). A full text/template engine would give different results, so
// this is that substitution, not a template engine. Go's `\s` is
// `[\t\n\f\r ]`, spelled out here because Rust's `\s` is wider.

const WS: &str = r"[\t\n\x0C\r ]*";

fn var_regex(name: &str) -> Option<Regex> {
    Regex::new(&format!(
        r"(?i)\{{\{{{WS}[.$]{}{WS}\}}\}}",
        regex::escape(name)
    ))
    .ok()
}

fn dynamic_var_regex(key: &str) -> Option<Regex> {
    // Go: `{{\s*.taskConfig[\.$]<key>\s*}}`, with an unescaped `.` (any character but a newline).
    Regex::new(&format!(
        r"(?i)\{{\{{{WS}.taskConfig[.$]{}{WS}\}}\}}",
        regex::escape(key)
    ))
    .ok()
}

/// The variables in `tasklog`'s order, compiled once.
struct Regexes {
    log_name: Option<Regex>,
    ray_job_id: Option<Regex>,
    ray_cluster_name: Option<Regex>,
    pod_name: Option<Regex>,
    pod_uid: Option<Regex>,
    namespace: Option<Regex>,
    container_name: Option<Regex>,
    container_id: Option<Regex>,
    hostname: Option<Regex>,
    node_name: Option<Regex>,
    node_id: Option<Regex>,
    generated_name: Option<Regex>,
    task_retry_attempt: Option<Regex>,
    task_id: Option<Regex>,
    task_version: Option<Regex>,
    task_project: Option<Regex>,
    task_domain: Option<Regex>,
    execution_name: Option<Regex>,
    execution_project: Option<Regex>,
    execution_domain: Option<Regex>,
    pod_rfc3339_start_time: Option<Regex>,
    pod_rfc3339_finish_time: Option<Regex>,
    pod_unix_start_time: Option<Regex>,
    pod_unix_finish_time: Option<Regex>,
    task_config_any: Option<Regex>,
}

static REGEXES: LazyLock<Regexes> = LazyLock::new(|| Regexes {
    log_name: var_regex("logName"),
    ray_job_id: var_regex("rayJobID"),
    ray_cluster_name: var_regex("rayClusterName"),
    pod_name: var_regex("podName"),
    pod_uid: var_regex("podUID"),
    namespace: var_regex("namespace"),
    container_name: var_regex("containerName"),
    container_id: var_regex("containerID"),
    hostname: var_regex("hostname"),
    node_name: var_regex("nodeName"),
    node_id: var_regex("nodeID"),
    generated_name: var_regex("generatedName"),
    task_retry_attempt: var_regex("taskRetryAttempt"),
    task_id: var_regex("taskID"),
    task_version: var_regex("taskVersion"),
    task_project: var_regex("taskProject"),
    task_domain: var_regex("taskDomain"),
    execution_name: var_regex("executionName"),
    execution_project: var_regex("executionProject"),
    execution_domain: var_regex("executionDomain"),
    pod_rfc3339_start_time: var_regex("podRFC3339StartTime"),
    pod_rfc3339_finish_time: var_regex("podRFC3339FinishTime"),
    pod_unix_start_time: var_regex("podUnixStartTime"),
    pod_unix_finish_time: var_regex("podUnixFinishTime"),
    task_config_any: Regex::new(&format!(
        r"(?i)\{{\{{{WS}.taskConfig[.$]([a-zA-Z_]+){WS}\}}\}}"
    ))
    .ok(),
});

struct Var<'a> {
    regex: std::borrow::Cow<'a, Option<Regex>>,
    value: String,
}

fn var(regex: &Option<Regex>, value: impl Into<String>) -> Var<'_> {
    Var {
        regex: std::borrow::Cow::Borrowed(regex),
        value: value.into(),
    }
}

fn replace_all(template: &str, vars: &[Var<'_>]) -> String {
    let mut out = template.to_owned();
    for v in vars {
        if v.value.is_empty() {
            continue;
        }
        if let Some(re) = v.regex.as_ref() {
            out = re
                .replace_all(&out, regex::NoExpand(v.value.as_str()))
                .into_owned();
        }
    }
    out
}

/// Go's `time.Time.Unix()` (floor) of an optional timestamp; `None` is Go's
/// zero time (0001-01-01T00:00:00Z).
fn unix_seconds(t: Option<jiff::Timestamp>) -> i64 {
    const GO_ZERO_TIME_UNIX: i64 = -62_135_596_800;
    match t {
        None => GO_ZERO_TIME_UNIX,
        Some(t) => {
            let s = t.as_second();
            if t.subsec_nanosecond() < 0 { s - 1 } else { s }
        }
    }
}

/// `time.Unix(s, 0).Format(time.RFC3339)`, in UTC (our deterministic choice).
fn rfc3339_utc(seconds: i64) -> String {
    match jiff::Timestamp::from_second(seconds) {
        Ok(t) => t.to_string(),
        // Outside jiff's range (years beyond ±9999): not a time a cluster reports.
        Err(_) => String::new(),
    }
}

/// The variables of one RayJob, in `tasklog`'s order.
fn template_vars(
    exec: &TaskExecution,
    job: &RayJobState,
    now: jiff::Timestamp,
) -> Vec<Var<'static>> {
    let r = &*REGEXES;
    let mut vars = vec![var(&r.log_name, "")];
    // getEventInfoForRayJob's extra variables.
    if !job.job_id.is_empty() {
        vars.push(var(&r.ray_job_id, job.job_id.clone()));
    }
    if !job.ray_cluster_name.is_empty() {
        vars.push(var(&r.ray_cluster_name, job.ray_cluster_name.clone()));
    }
    // Pod variables: a RayJob has no pod, so only the namespace is known.
    vars.push(var(&r.pod_name, ""));
    vars.push(var(&r.pod_uid, ""));
    vars.push(var(&r.namespace, job.namespace.clone()));
    vars.push(var(&r.container_name, ""));
    vars.push(var(&r.container_id, ""));
    vars.push(var(&r.hostname, ""));
    vars.push(var(&r.node_name, ""));
    vars.push(var(&r.node_id, exec.unique_node_id.clone()));
    vars.push(var(&r.generated_name, exec.generated_name.clone()));
    vars.push(var(&r.task_retry_attempt, exec.retry_attempt.to_string()));
    if let Some(t) = &exec.task_id {
        vars.push(var(&r.task_id, t.name.clone()));
        vars.push(var(&r.task_version, t.version.clone()));
        vars.push(var(&r.task_project, t.project.clone()));
        vars.push(var(&r.task_domain, t.domain.clone()));
    }
    if let Some(e) = &exec.execution_id {
        vars.push(var(&r.execution_name, e.name.clone()));
        vars.push(var(&r.execution_project, e.project.clone()));
        vars.push(var(&r.execution_domain, e.domain.clone()));
    }
    let start = unix_seconds(job.creation_timestamp);
    let finish = unix_seconds(Some(now));
    vars.push(var(&r.pod_rfc3339_start_time, rfc3339_utc(start)));
    vars.push(var(&r.pod_rfc3339_finish_time, rfc3339_utc(finish)));
    vars.push(var(&r.pod_unix_start_time, start.to_string()));
    vars.push(var(&r.pod_unix_finish_time, finish.to_string()));
    vars
}

/// `TemplateLogPlugin.GetTaskLogs` for one template.
fn plugin_logs(
    p: &TemplateLogPlugin,
    exec: &TaskExecution,
    vars: &mut Vec<Var<'static>>,
    out: &mut Vec<TaskLog>,
) {
    for uri in &p.template_uris {
        out.push(TaskLog {
            name: replace_all(&p.display_name, vars),
            uri: replace_all(uri, vars),
            message_format: p.message_format,
            show_while_pending: p.show_while_pending,
            hide_once_finished: p.hide_once_finished,
        });
    }
    let link_types = match exec.task_config.get("link_type") {
        Some(t) if !t.is_empty() => t.split(',').collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    for link_type in link_types {
        for uri in &p.dynamic_template_uris {
            if p.name != link_type {
                continue;
            }
            if let Some(any) = &REGEXES.task_config_any {
                for caps in any.captures_iter(uri) {
                    if let Some(key) = caps.get(1)
                        && let Some(value) = exec.task_config.get(key.as_str())
                    {
                        vars.push(Var {
                            regex: std::borrow::Cow::Owned(dynamic_var_regex(key.as_str())),
                            value: value.clone(),
                        });
                    }
                }
            }
            out.push(TaskLog {
                name: p.display_name.clone(),
                uri: replace_all(uri, vars),
                message_format: p.message_format,
                show_while_pending: p.show_while_pending,
                hide_once_finished: p.hide_once_finished,
            });
        }
    }
}

/// The log plugins `logs.InitializeLogPlugins` builds from `cfg`, in order:
/// Kubernetes, Cloudwatch, Stackdriver (each when enabled), the
/// `templates`, then the dynamic links (sorted by link type; Go: map order).
pub fn log_plugins(cfg: &LogConfig) -> Vec<TemplateLogPlugin> {
    let builtin = |name: &str, uri: String| TemplateLogPlugin {
        display_name: name.to_owned(),
        template_uris: vec![uri],
        message_format: MessageFormat::Json,
        ..TemplateLogPlugin::default()
    };
    let mut out = Vec::new();
    if cfg.kubernetes_enabled {
        let uri = if cfg.kubernetes_template_uri.is_empty() {
            format!(
                "{}/#!/log/{{{{ .namespace }}}}/{{{{ .podName }}}}/pod?namespace={{{{ .namespace }}}}",
                cfg.kubernetes_url
            )
        } else {
            cfg.kubernetes_template_uri.clone()
        };
        out.push(builtin("Kubernetes Logs", uri));
    }
    if cfg.cloudwatch_enabled {
        let uri = if cfg.cloudwatch_template_uri.is_empty() {
            format!(
                "https://console.aws.amazon.com/cloudwatch/home?region={}#logEventViewer:group={};stream=var.log.containers.{{{{ .podName }}}}_{{{{ .namespace }}}}_{{{{ .containerName }}}}-{{{{ .containerId }}}}.log",
                cfg.cloudwatch_region, cfg.cloudwatch_log_group
            )
        } else {
            cfg.cloudwatch_template_uri.clone()
        };
        out.push(builtin("Cloudwatch Logs", uri));
    }
    if cfg.stackdriver_enabled {
        let uri = if cfg.stackdriver_template_uri.is_empty() {
            format!(
                "https://console.cloud.google.com/logs/viewer?project={p}&angularJsUrl=%2Flogs%2Fviewer%3Fproject%3D{p}&resource={r}&advancedFilter=resource.labels.pod_name%3D{{{{ .podName }}}}",
                p = cfg.gcp_project,
                r = cfg.stackdriver_log_resource_name
            )
        } else {
            cfg.stackdriver_template_uri.clone()
        };
        out.push(builtin("Stackdriver Logs", uri));
    }
    out.extend(cfg.templates.iter().cloned());
    for (link_type, link) in &cfg.dynamic_log_links {
        out.push(TemplateLogPlugin {
            name: link_type.clone(),
            display_name: link.display_name.clone(),
            template_uris: Vec::new(),
            dynamic_template_uris: link.template_uris.clone(),
            message_format: MessageFormat::Json,
            show_while_pending: link.show_while_pending,
            hide_once_finished: link.hide_once_finished,
        });
    }
    out
}

/// `getEventInfoForRayJob`: the log links of the task whose RayJob is `job`.
/// The variables a template can use: `namespace` (the RayJob's),
/// `executionProject`, `executionDomain`, `executionName`, `nodeID`,
/// `taskID`, `taskVersion`, `taskProject`, `taskDomain`, `taskRetryAttempt`,
/// `generatedName`, `rayClusterName`, `rayJobID`, `podRFC3339StartTime` /
/// `podUnixStartTime` (the RayJob's creation time), `podRFC3339FinishTime` /
/// `podUnixFinishTime` (`now`), and `taskConfig.<key>` in dynamic links. The
/// `dashboard` template is added only while `status.dashboardURL` is set and
/// `status.jobStatus` is `RUNNING`.
///
/// ```
/// use flyte_ray_kuberay::status::{event_logs, LogConfig, RayJobState, TaskExecution, TaskLog, TemplateLogPlugin};
///
/// let mut logs = LogConfig::default();
/// logs.templates.push(TemplateLogPlugin::new("ray", &["http://logs/{{ .namespace }}/{{ .rayJobID }}"]));
/// let mut job = RayJobState::default();
/// job.namespace = "ns".to_owned();
/// job.job_id = "raysubmit_1".to_owned();
/// let got = event_logs(&logs, None, &TaskExecution::default(), &job, jiff::Timestamp::UNIX_EPOCH);
/// assert_eq!(got, vec![TaskLog::new("ray", "http://logs/ns/raysubmit_1")]);
/// ```
pub fn event_logs(
    logs: &LogConfig,
    dashboard: Option<&TemplateLogPlugin>,
    exec: &TaskExecution,
    job: &RayJobState,
    now: jiff::Timestamp,
) -> Vec<TaskLog> {
    let base_vars = template_vars(exec, job, now);
    let mut out = Vec::new();
    for p in log_plugins(logs) {
        let mut vars = clone_vars(&base_vars);
        plugin_logs(&p, exec, &mut vars, &mut out);
    }
    if let Some(d) = dashboard
        && !job.dashboard_url.is_empty()
        && job.job_status == "RUNNING"
    {
        let mut vars = clone_vars(&base_vars);
        plugin_logs(d, exec, &mut vars, &mut out);
    }
    out
}

fn clone_vars(vars: &[Var<'static>]) -> Vec<Var<'static>> {
    vars.iter()
        .map(|v| Var {
            regex: v.regex.clone(),
            value: v.value.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(template: &str, job: &RayJobState) -> String {
        let mut logs = LogConfig::default();
        logs.templates
            .push(TemplateLogPlugin::new("x", &[template]));
        let exec = TaskExecution {
            generated_name: "gen".to_owned(),
            ..TaskExecution::default()
        };
        event_logs(&logs, None, &exec, job, jiff::Timestamp::UNIX_EPOCH)
            .pop()
            .map(|l| l.uri)
            .unwrap_or_default()
    }

    #[test]
    fn substitution_is_tasklog_regex_replacement() {
        let mut job = RayJobState {
            namespace: "ns".to_owned(),
            ..RayJobState::default()
        };
        // Any case, `.` or `$`, Go's whitespace set.
        assert_eq!(
            one("{{.NAMESPACE}}|{{ $namespace }}|{{\t.namespace\n}}", &job),
            "ns|ns|ns"
        );
        // Empty and unknown variables stay as written.
        assert_eq!(
            one("{{ .rayJobID }}/{{ .podName }}/{{ .nope }}", &job),
            "{{ .rayJobID }}/{{ .podName }}/{{ .nope }}"
        );
        // Not text/template: no pipelines, and `{{.namespace | x}}` is not the variable.
        assert_eq!(
            one("{{ .namespace | upper }}", &job),
            "{{ .namespace | upper }}"
        );
        // Vertical tab is not Go's `\s`.
        assert_eq!(one("{{\u{b}.namespace}}", &job), "{{\u{b}.namespace}}");
        // Literal replacement: `$1` in a value is not expanded.
        job.namespace = "$1".to_owned();
        assert_eq!(one("{{ .namespace }}", &job), "$1");
        // A value containing a later variable is replaced again (Go's order).
        job.namespace = "{{ .generatedName }}".to_owned();
        assert_eq!(one("{{ .namespace }}", &job), "gen");
        // No creation time: Go's zero time.
        assert_eq!(
            one("{{ .podRFC3339StartTime }} {{ .podUnixStartTime }}", &job),
            "0001-01-01T00:00:00Z -62135596800"
        );
    }

    #[test]
    fn unix_seconds_floor_like_go() {
        let t: jiff::Timestamp = "1969-12-31T23:59:59.5Z"
            .parse()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(unix_seconds(Some(t)), -1);
        assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
    }
}
