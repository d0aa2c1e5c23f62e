//! Validation of Ray specs: every problem KubeRay, Kubernetes or Flyte's
//! backend would have with a spec, found before the job is submitted.
//!
//! `validate()` on [`RayJob`], [`RayCluster`], [`HeadGroupSpec`],
//! [`WorkerGroupSpec`], [`AutoscalerOptions`], [`K8sPod`] and the extended
//! resources ([`ExtendedResources`], [`GPUAccelerator`], [`SharedMemory`])
//! returns every
//! [`Finding`], not just the first. A finding has a [`Severity`] (an error is
//! rejected or crashes somewhere; a warning is accepted but ignored or dropped
//! somewhere), the JSON path of the offending field relative to the validated
//! object, a message saying what is wrong and what would happen, the rule's
//! stable identifier and its [`Origin`]. [`RULES`] lists every rule;
//! `docs/VALIDATION.md` explains each.
//!
//! Validation never panics, whatever the input (decoded from any bytes).
//!
//! ```
//! use flyte_ray_models::{RayCluster, RayJob, Severity, WorkerGroupSpec};
//!
//! let mut group = WorkerGroupSpec::new("gpu", 2);
//! group.set_min_replicas(3); // possible on the wire: min above max
//! let job = RayJob::new(RayCluster::new(vec![WorkerGroupSpec::new("cpu", 1), group]));
//! let findings = job.validate();
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].severity, Severity::Error);
//! assert_eq!(findings[0].rule, "worker-min-replicas-above-max");
//! assert_eq!(findings[0].path, "rayCluster.workerGroupSpec[1].minReplicas");
//! assert!(findings[0].to_string().starts_with("error: rayCluster.workerGroupSpec[1].minReplicas: "));
//! assert!(findings[0].to_string().ends_with(" [KubeRay]"));
//! ```

mod extended;
mod pod;
mod rules;

use std::collections::BTreeMap;
use std::fmt;

use crate::{
    AutoscalerOptions, ExtendedResources, GPUAccelerator, HeadGroupSpec, K8sPod, RayCluster,
    RayJob, SharedMemory, WorkerGroupSpec,
};

pub use rules::{RULES, Rule};

/// How bad a finding is.
///
/// Ordered: `Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Accepted, but ignored, dropped or misbehaving somewhere on the way to
    /// the cluster.
    Warning,
    /// KubeRay, Kubernetes or Flyte's backend would reject the spec, or crash.
    Error,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whose rule a finding enforces: who would reject (or ignore) the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Origin {
    /// The KubeRay operator (its CRD schema or its webhook/validation code).
    KubeRay,
    /// Flyte's backend (the Ray plugin of flytepropeller).
    FlyteBackend,
    /// Kubernetes itself (the API server's object validation).
    Kubernetes,
}

impl Origin {
    /// `"KubeRay"`, `"Flyte backend"` or `"Kubernetes"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::KubeRay => "KubeRay",
            Origin::FlyteBackend => "Flyte backend",
            Origin::Kubernetes => "Kubernetes",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a spec.
///
/// Its `Display` is one line:
/// `error: rayCluster.workerGroupSpec[1].minReplicas: <message> [KubeRay]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The rule's stable identifier, e.g. `"worker-group-name-invalid"` (see
    /// [`RULES`]).
    pub rule: &'static str,
    /// JSON path (proto3 JSON field names) of the offending field, from the
    /// validated object: `rayCluster.workerGroupSpec[1].minReplicas`. Map
    /// keys that are not plain words are quoted: `labels["example.com/x"]`.
    pub path: String,
    /// What is wrong and what would happen.
    pub message: String,
    /// Whose rule it is.
    pub origin: Origin,
}

impl Finding {
    /// Whether the finding is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {} [{}]", self.severity, self.message, self.origin)
        } else {
            write!(
                f,
                "{}: {}: {} [{}]",
                self.severity, self.path, self.message, self.origin
            )
        }
    }
}

/// Whether any finding is an error (what `flyte-ray validate` exits 1 on).
///
/// ```
/// use flyte_ray_models::{RayJob, validate::has_errors};
///
/// assert!(has_errors(&RayJob::default().validate())); // no ray_cluster
/// ```
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

// ---- paths ----------------------------------------------------------------

/// `prefix.field`, or `field` at the top.
fn field(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `prefix[i]`.
fn index(prefix: &str, i: usize) -> String {
    format!("{prefix}[{i}]")
}

/// `prefix.key` for a plain word, `prefix["the key"]` (JSON-quoted) otherwise.
fn key(prefix: &str, k: &str) -> String {
    let plain = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        field(prefix, k)
    } else {
        // Serializing a &str cannot fail; the fallback keeps the no-panic promise.
        let quoted = serde_json::to_string(k).unwrap_or_else(|_| format!("{k:?}"));
        format!("{prefix}[{quoted}]")
    }
}

/// Where findings go while walking a spec.
struct Sink {
    findings: Vec<Finding>,
}

impl Sink {
    fn new() -> Self {
        Self {
            findings: Vec::new(),
        }
    }

    fn push(&mut self, rule: &Rule, path: String, message: String) {
        self.findings.push(Finding {
            severity: rule.severity,
            rule: rule.id,
            path,
            message,
            origin: rule.origin,
        });
    }
}

// ---- the public entry points ----------------------------------------------

impl RayJob {
    /// Every problem of this job, in document order: errors (KubeRay,
    /// Kubernetes or Flyte's backend would reject the job, or crash) and
    /// warnings (accepted, but something is ignored or dropped). Paths start
    /// at the job's fields (`rayCluster.workerGroupSpec[0].replicas`).
    ///
    /// ```
    /// use flyte_ray_models::{RayCluster, RayJob, WorkerGroupSpec};
    ///
    /// let job = RayJob::new(RayCluster::new(vec![WorkerGroupSpec::new("workers", 2)]));
    /// assert!(job.validate().is_empty());
    /// ```
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| job(self, "", sink))
    }
}

impl RayCluster {
    /// Every problem of this cluster; paths start at its fields
    /// (`workerGroupSpec[1].groupName`). See [`RayJob::validate`].
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| cluster(self, "", sink))
    }
}

impl HeadGroupSpec {
    /// Every problem of this head group; paths start at its fields
    /// (`rayStartParams.labels`). See [`RayJob::validate`].
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| head(self, "", sink))
    }
}

impl WorkerGroupSpec {
    /// Every problem of this worker group taken alone; paths start at its
    /// fields (`minReplicas`). Rules that need the whole cluster (repeated
    /// names, room for the autoscaler) run in [`RayCluster::validate`].
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| worker(self, "", sink))
    }
}

impl AutoscalerOptions {
    /// Every problem of these options; paths start at their fields
    /// (`idleTimeoutSeconds`). See [`RayJob::validate`].
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| autoscaler(self, "", sink))
    }
}

impl K8sPod {
    /// Every problem of this pod taken alone (metadata, pod spec,
    /// quantities); paths start at its fields (`podSpec.containers[0].name`).
    /// Rules about the Ray container run when the pod is validated as part of
    /// a head or worker group.
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| pod::pod(self, "", None, sink))
    }
}

impl ExtendedResources {
    /// Every problem of these extended resources (GPU accelerator, shared
    /// memory) taken alone; paths start at their fields
    /// (`sharedMemory.sizeLimit`). Inside a head or worker group,
    /// [`RayJob::validate`] also warns that a Flyte 1 backend drops them.
    ///
    /// ```
    /// use flyte_ray_models::{ExtendedResources, SharedMemory};
    ///
    /// let r = ExtendedResources::new().with_shared_memory(SharedMemory::flytekit_default("2Gi"));
    /// assert!(r.validate().is_empty());
    /// let r = ExtendedResources::new().with_shared_memory(SharedMemory::flytekit_default("lots"));
    /// assert_eq!(r.validate()[0].rule, "shared-memory-size-limit-invalid");
    /// assert_eq!(r.validate()[0].path, "sharedMemory.sizeLimit");
    /// ```
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| extended::extended(self, "", sink))
    }
}

impl GPUAccelerator {
    /// Every problem of this accelerator; paths start at its fields
    /// (`device`). See [`ExtendedResources::validate`].
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| extended::gpu(self, "", sink))
    }
}

impl SharedMemory {
    /// Every problem of this shared memory; paths start at its fields
    /// (`mountPath`). See [`ExtendedResources::validate`].
    pub fn validate(&self) -> Vec<Finding> {
        run(self, |sink| extended::shared_memory(self, "", sink))
    }
}

/// A group's `extendedResources`: its own rules, and the warning that a
/// Flyte 1 backend (flyteidl 1.16, whose groups have no such field) drops it:
/// it reads `TaskTemplate.custom` as JSON ignoring unknown keys.
fn group_extended(r: Option<&ExtendedResources>, p: &str, sink: &mut Sink) {
    let Some(r) = r else { return };
    let ep = field(p, "extendedResources");
    sink.push(
        &rules::EXTENDED_RESOURCES_DROPPED,
        ep.clone(),
        "is a flyteidl2 (Flyte 2) field; a Flyte 1 backend ignores unknown fields of the task's \
         custom and drops it silently, so the group gets no GPU accelerator or shared memory \
         from it"
            .to_owned(),
    );
    extended::extended(r, &ep, sink);
}

/// Walks `m` with `walk`, then checks its encoding depth: the body of every
/// `validate()`.
fn run<T: crate::wire::WireDepth + crate::FlyteIdlEntity>(
    m: &T,
    walk: impl FnOnce(&mut Sink),
) -> Vec<Finding> {
    let mut sink = Sink::new();
    walk(&mut sink);
    encoding_depth(m, &mut sink);
    if m.has_unknown_fields() {
        sink.findings
            .extend(m.unknown_fields().iter().map(unknown_field_finding));
    }
    sink.findings
}

/// The warning (rule `unknown-field`) for a field the schema does not know,
/// kept from the binary input: what `validate()` reports for each of
/// [`unknown_fields`](crate::FlyteIdlEntity::unknown_fields), public for
/// the models without validation rules. The path is the field's
/// ([`UnknownField::field_path`](crate::UnknownField::field_path):
/// `rayCluster.#9`).
///
/// ```
/// use flyte_ray_models::{FlyteIdlEntity, RayJob, RayCluster, WorkerGroupSpec};
///
/// // A valid job, plus field 15 (varint 1) of the RayJob, a field no
/// // flyteidl generation has.
/// let job = RayJob::new(RayCluster::new(vec![WorkerGroupSpec::new("w", 1)]));
/// let mut bytes = job.serialize_to_string();
/// bytes.extend([0x78, 0x01]);
/// let job = RayJob::from_bytes(&bytes).unwrap();
/// let findings = job.validate();
/// assert_eq!(findings.len(), 1);
/// assert_eq!(findings[0].rule, "unknown-field");
/// assert_eq!(findings[0].path, "#15");
/// assert!(findings[0].message.starts_with("field 15 (varint) of flyteidl.plugins.RayJob is not in the schema"));
/// ```
pub fn unknown_field_finding(f: &crate::UnknownField) -> Finding {
    let rule = &rules::UNKNOWN_FIELD;
    Finding {
        severity: rule.severity,
        rule: rule.id,
        path: f.field_path(),
        message: format!(
            "field {} ({}) of {} is not in the schema (flyteidl or flyteidl2): kept in the \
             binary encoding, but JSON, YAML, text format and a task's `custom` (a Struct) \
             cannot carry it, so Flyte's backend never sees it",
            f.number, f.wire_type, f.message
        ),
        origin: rule.origin,
    }
}

/// The warning (rule `unknown-field`) for a key skipped while reading JSON
/// or YAML under [`ignore_unknown_fields`](crate::JsonOptions::ignore_unknown_fields)
/// (see [`from_json_reporting`](crate::FlyteIdlEntity::from_json_reporting)).
/// The path is the key's (`rayCluster.workerGroupSpec[0].replicaz`).
///
/// ```
/// use flyte_ray_models::json::JsonOptions;
/// use flyte_ray_models::validate::skipped_field_finding;
/// use flyte_ray_models::{FlyteIdlEntity, RayJob};
///
/// let options = JsonOptions::new().ignore_unknown_fields(true);
/// let json = r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicaz": 2}]}}"#;
/// let (_, skipped) = RayJob::from_json_reporting(json, &options).unwrap();
/// let finding = skipped_field_finding(&skipped[0]);
/// assert_eq!(finding.rule, "unknown-field");
/// assert_eq!(finding.path, "rayCluster.workerGroupSpec[0].replicaz");
/// ```
pub fn skipped_field_finding(f: &crate::json::SkippedField) -> Finding {
    use crate::json::SkipReason;
    let rule = &rules::UNKNOWN_FIELD;
    let message = match &f.reason {
        SkipReason::UnknownField { message } => format!(
            "{message} has no field named {:?}: skipped (ignore_unknown_fields), as Flyte's \
             backend skips it; a typo here loses the setting silently",
            f.key
        ),
        SkipReason::UnknownEnumValue { enum_name, value } => format!(
            "{value:?} is no value of {enum_name}: the field is left unset \
             (ignore_unknown_fields), as Flyte's backend leaves it"
        ),
    };
    Finding {
        severity: rule.severity,
        rule: rule.id,
        path: f.key_path(),
        message,
        origin: rule.origin,
    }
}

// ---- the walk ---------------------------------------------------------------

/// Bytes nested deeper than protobuf's recursion limit cannot be decoded by
/// flytekit, prost or Flyte's Python tooling; only a pod spec built in code
/// can get there (the JSON and YAML readers refuse such input).
fn encoding_depth<T: crate::wire::WireDepth>(m: &T, sink: &mut Sink) {
    if let Some(message) = crate::wire::too_deep(m) {
        sink.push(&rules::ENCODING_TOO_DEEP, String::new(), message);
    }
}

fn job(j: &RayJob, p: &str, sink: &mut Sink) {
    match &j.ray_cluster {
        None => sink.push(
            &rules::RAY_CLUSTER_MISSING,
            field(p, "rayCluster"),
            "is missing; Flyte's backend dereferences it and panics, failing the task without \
             a useful message"
                .to_owned(),
        ),
        Some(c) => cluster(c, &field(p, "rayCluster"), sink),
    }
    let yaml_env = runtime_env_yaml(&j.runtime_env_yaml, &field(p, "runtimeEnvYaml"), sink);
    let b64_env = runtime_env_b64(&j.runtime_env, &field(p, "runtimeEnv"), sink);
    if let (Some(Some(yaml)), Some(Some(json))) = (&yaml_env, &b64_env)
        && yaml != json
    {
        sink.push(
            &rules::RUNTIME_ENV_CONFLICT,
            field(p, "runtimeEnv"),
            "describes a different environment than runtimeEnvYaml; Flyte's backend uses \
             runtimeEnvYaml and ignores this deprecated field"
                .to_owned(),
        );
    }
    let ttl = j.ttl_seconds_after_finished;
    if ttl < 0 {
        sink.push(
            &rules::TTL_NEGATIVE,
            field(p, "ttlSecondsAfterFinished"),
            format!("is {ttl}; KubeRay rejects a negative TTL"),
        );
    } else if ttl > 0 && !j.shutdown_after_job_finishes {
        sink.push(
            &rules::TTL_WITHOUT_SHUTDOWN,
            field(p, "ttlSecondsAfterFinished"),
            format!(
                "is {ttl} while shutdownAfterJobFinishes is false; Flyte's backend ignores the \
                 TTL (KubeRay would reject the pair) and the cluster is kept until the job is deleted"
            ),
        );
    }
}

/// The JSON name of a JSON value's kind, for messages.
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "list",
        serde_json::Value::Object(_) => "mapping",
    }
}

/// Checks `runtime_env_yaml`. `None` when unset or invalid (nothing to
/// compare), `Some(None)` when valid but not comparable as JSON,
/// `Some(Some(env))` otherwise.
fn runtime_env_yaml(
    yaml: &str,
    path: &str,
    sink: &mut Sink,
) -> Option<Option<serde_json::Map<String, serde_json::Value>>> {
    if yaml.is_empty() {
        return None;
    }
    // serde_yaml_ng bounds recursion and alias expansion ("billion laughs"):
    // a hostile document is an error, not a hang.
    let value: serde_yaml_ng::Value = match serde_yaml_ng::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            sink.push(
                &rules::RUNTIME_ENV_YAML_INVALID,
                path.to_owned(),
                format!("is not valid YAML ({e}); KubeRay rejects the RayJob"),
            );
            return None;
        }
    };
    let value = match value {
        // A document of only comments or `null`: no environment.
        serde_yaml_ng::Value::Null => return Some(Some(serde_json::Map::new())),
        serde_yaml_ng::Value::Tagged(t) => t.value,
        v => v,
    };
    if !value.is_mapping() {
        let kind = match &value {
            serde_yaml_ng::Value::Sequence(_) => "a list",
            serde_yaml_ng::Value::Bool(_) => "a boolean",
            serde_yaml_ng::Value::Number(_) => "a number",
            serde_yaml_ng::Value::String(_) => "a string",
            _ => "not a mapping",
        };
        sink.push(
            &rules::RUNTIME_ENV_YAML_INVALID,
            path.to_owned(),
            format!(
                "is {kind}, not a YAML mapping (such as `pip: [numpy]`); KubeRay rejects the RayJob"
            ),
        );
        return None;
    }
    // Non-string keys or tags make the document incomparable with JSON.
    Some(match serde_json::to_value(&value) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        _ => None,
    })
}

/// Checks the deprecated `runtime_env`; same return convention as
/// [`runtime_env_yaml`].
fn runtime_env_b64(
    b64: &str,
    path: &str,
    sink: &mut Sink,
) -> Option<Option<serde_json::Map<String, serde_json::Value>>> {
    use base64::Engine as _;
    if b64.is_empty() {
        return None;
    }
    let what = "Flyte's backend fails to convert it to runtimeEnvYaml and the task fails";
    let bytes = match base64::engine::general_purpose::STANDARD.decode(b64) {
        Ok(b) => b,
        Err(e) => {
            sink.push(
                &rules::RUNTIME_ENV_INVALID,
                path.to_owned(),
                format!("is not base64 ({e}); {what}"),
            );
            return None;
        }
    };
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(m)) => Some(Some(m)),
        Ok(v) => {
            sink.push(
                &rules::RUNTIME_ENV_INVALID,
                path.to_owned(),
                format!("decodes to a JSON {}, not an object; {what}", json_kind(&v)),
            );
            None
        }
        Err(e) => {
            sink.push(
                &rules::RUNTIME_ENV_INVALID,
                path.to_owned(),
                format!("decodes to bytes that are not JSON ({e}); {what}"),
            );
            None
        }
    }
}

fn cluster(c: &RayCluster, p: &str, sink: &mut Sink) {
    if let Some(h) = &c.head_group_spec {
        head(h, &field(p, "headGroupSpec"), sink);
    }
    let groups = field(p, "workerGroupSpec");
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, g) in c.worker_group_spec.iter().enumerate() {
        let gp = index(&groups, i);
        worker(g, &gp, sink);
        if !g.group_name.is_empty() {
            if let Some(first) = seen.get(g.group_name.as_str()) {
                sink.push(
                    &rules::WORKER_GROUP_NAME_DUPLICATE,
                    field(&gp, "groupName"),
                    format!(
                        "{:?} is also the name of workerGroupSpec[{first}]; KubeRay requires \
                         unique worker group names and rejects the RayCluster",
                        g.group_name
                    ),
                );
            } else {
                seen.insert(&g.group_name, i);
            }
        }
        if c.enable_autoscaling && g.replicas >= 0 && g.max_replicas <= g.replicas {
            let what = if g.max_replicas == 0 {
                "is unset".to_owned()
            } else if g.max_replicas == g.replicas {
                format!("equals replicas ({})", g.replicas)
            } else {
                format!("is {}, below replicas ({})", g.max_replicas, g.replicas)
            };
            sink.push(
                &rules::AUTOSCALING_NO_HEADROOM,
                field(&gp, "maxReplicas"),
                format!(
                    "{what} while enableAutoscaling is true; Flyte's backend raises maxReplicas to \
                     replicas ({}), so the autoscaler can never add workers to this group",
                    g.replicas
                ),
            );
        }
    }
    if let Some(a) = &c.autoscaler_options {
        let ap = field(p, "autoscalerOptions");
        autoscaler(a, &ap, sink);
        if !c.enable_autoscaling {
            sink.push(
                &rules::AUTOSCALER_OPTIONS_IGNORED,
                ap,
                "are set while enableAutoscaling is false; Flyte's backend passes them on only \
                 with autoscaling, so they are ignored"
                    .to_owned(),
            );
        }
    }
}

fn ray_start_params(params: &BTreeMap<String, String>, p: &str, sink: &mut Sink) {
    if params.contains_key("labels") {
        sink.push(
            &rules::RAY_START_PARAMS_LABELS,
            key(&field(p, "rayStartParams"), "labels"),
            "is set; KubeRay ≥ 1.5 rejects `labels` in rayStartParams (set Ray node labels \
             through the group's labels instead)"
                .to_owned(),
        );
    }
}

fn head(h: &HeadGroupSpec, p: &str, sink: &mut Sink) {
    ray_start_params(&h.ray_start_params, p, sink);
    if let Some(k) = &h.k8s_pod {
        pod::pod(k, &field(p, "k8sPod"), Some(pod::Role::Head), sink);
    }
    group_extended(h.extended_resources.as_ref(), p, sink);
}

fn worker(g: &WorkerGroupSpec, p: &str, sink: &mut Sink) {
    let name = &g.group_name;
    let np = field(p, "groupName");
    if name.is_empty() {
        sink.push(
            &rules::WORKER_GROUP_NAME_EMPTY,
            np,
            "is empty; KubeRay requires a name for every worker group and rejects the RayCluster"
                .to_owned(),
        );
    } else if name == "headgroup" {
        sink.push(
            &rules::WORKER_GROUP_NAME_RESERVED,
            np,
            "is \"headgroup\", the ray.io/group label value of the head pod; KubeRay would \
             mistake this group's pods for the head, so it rejects the name"
                .to_owned(),
        );
    } else if let Err(e) = flyte_ray_k8s::is_valid_label_value(name) {
        sink.push(
            &rules::WORKER_GROUP_NAME_INVALID,
            np,
            format!(
                "{name:?} is not a valid Kubernetes label value ({e}); KubeRay puts it in the \
                 ray.io/group label, so the worker pods would be rejected"
            ),
        );
    }
    for (json, n) in [
        ("replicas", g.replicas),
        ("minReplicas", g.min_replicas),
        ("maxReplicas", g.max_replicas),
    ] {
        if n < 0 {
            sink.push(
                &rules::WORKER_REPLICAS_NEGATIVE,
                field(p, json),
                format!("is {n}; KubeRay rejects a negative replica count"),
            );
        }
    }
    if g.min_replicas > g.max_replicas {
        sink.push(
            &rules::WORKER_MIN_REPLICAS_ABOVE_MAX,
            field(p, "minReplicas"),
            format!(
                "({}) is greater than maxReplicas ({}); KubeRay ≥ 1.6 rejects the worker group \
                 (older versions scale it unpredictably)",
                g.min_replicas, g.max_replicas
            ),
        );
    }
    ray_start_params(&g.ray_start_params, p, sink);
    if let Some(k) = &g.k8s_pod {
        pod::pod(k, &field(p, "k8sPod"), Some(pod::Role::Worker), sink);
    }
    group_extended(g.extended_resources.as_ref(), p, sink);
}

fn autoscaler(a: &AutoscalerOptions, p: &str, sink: &mut Sink) {
    if crate::UpscalingMode::try_from(a.upscaling_mode).is_err() {
        sink.push(
            &rules::UPSCALING_MODE_UNKNOWN,
            field(p, "upscalingMode"),
            format!(
                "is {}, not an UpscalingMode (0 UNSPECIFIED, 1 DEFAULT, 2 AGGRESSIVE, \
                 3 CONSERVATIVE); KubeRay accepts only Default, Aggressive or Conservative",
                a.upscaling_mode
            ),
        );
    }
    if a.idle_timeout_seconds < 0 {
        sink.push(
            &rules::IDLE_TIMEOUT_NEGATIVE,
            field(p, "idleTimeoutSeconds"),
            format!(
                "is {}; KubeRay rejects a negative idle timeout",
                a.idle_timeout_seconds
            ),
        );
    }
    let env = field(p, "env");
    for (i, kv) in a.env.iter().enumerate() {
        if kv.key == "KUBERAY_GEN_AUTOSCALER_START_CMD" {
            sink.push(
                &rules::AUTOSCALER_ENV_RESERVED,
                field(&index(&env, i), "key"),
                "is KUBERAY_GEN_AUTOSCALER_START_CMD, which KubeRay reserves for the autoscaler \
                 command it generates; KubeRay rejects the RayCluster"
                    .to_owned(),
            );
        }
    }
    if let Some(r) = &a.resources {
        let rp = field(p, "resources");
        for (list, entries) in [("requests", &r.requests), ("limits", &r.limits)] {
            let lp = field(&rp, list);
            for (i, e) in entries.iter().enumerate() {
                pod::quantity(&e.value, field(&index(&lp, i), "value"), sink);
            }
        }
    }
}
