//! Stage B (RENDERING.md §5): the base pod spec `ToK8sPodSpec` builds from
//! the task's target — `BuildRawPod`, `ApplyFlytePodConfiguration` and
//! `AddTolerationsForExtendedResources` — in Go form (see [`crate::gotypes`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value, json};

use crate::finding::Finding;
use crate::gotypes::{self, POD_SPEC};
use crate::input::{ExtendedResources, Resources};
use crate::name::{dns1123_label, hashed, per_retry_unique_key};
use crate::quantity::canonical_quantity;
use crate::render::{Ctx, RenderError, bad_spec};

/// The base pod: spec, objectMeta labels/annotations, primary container name.
pub(crate) struct Base {
    pub(crate) pod: Value,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) annotations: BTreeMap<String, String>,
    /// Other objectMeta fields (from a base PodTemplate's metadata).
    pub(crate) extra_meta: Map<String, Value>,
    pub(crate) primary: String,
}

/// Makes `v` an object (if it is not one) and returns its map.
pub(crate) fn as_map(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        // `v` was made an object just above.
        _ => unreachable!(),
    }
}

/// A map field of a Go-form object, created when missing.
pub(crate) fn obj_mut<'a>(v: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    let entry = as_map(v)
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    as_map(entry)
}

/// A list field of a Go-form object, created when missing.
pub(crate) fn arr_mut<'a>(v: &'a mut Value, key: &str) -> &'a mut Vec<Value> {
    let entry = as_map(v)
        .entry(key.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !entry.is_array() {
        *entry = Value::Array(Vec::new());
    }
    match entry {
        Value::Array(a) => a,
        // `entry` was made an array just above.
        _ => unreachable!(),
    }
}

/// `Value::pointer` without its cost: serde_json's unescapes every token
/// of the pointer into a new `String` (`~1`, `~0`), which on the render
/// path's many lookups was a tenth of the checks. The pointers here are
/// literals (or built from field names) without `~`, so each token is
/// used as it is: a key of an object, an index of a list.
pub(crate) trait At {
    /// The value at `pointer` (`/a/0/b`; `""` is the value itself).
    fn at(&self, pointer: &str) -> Option<&Value>;
    /// The value at `pointer`, mutable.
    fn at_mut(&mut self, pointer: &str) -> Option<&mut Value>;
}

impl At for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut v = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            v = match v {
                Value::Object(m) => m.get(token)?,
                Value::Array(a) => a.get(list_index(token)?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    fn at_mut(&mut self, pointer: &str) -> Option<&mut Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut v = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            v = match v {
                Value::Object(m) => m.get_mut(token)?,
                Value::Array(a) => a.get_mut(list_index(token)?)?,
                _ => return None,
            };
        }
        Some(v)
    }
}

/// A JSON pointer token as a list index, as RFC 6901 reads it: digits
/// without a leading zero (`0` itself aside).
fn list_index(token: &str) -> Option<usize> {
    if token.is_empty()
        || !token.bytes().all(|b| b.is_ascii_digit())
        || (token.len() > 1 && token.starts_with('0'))
    {
        return None;
    }
    token.parse().ok()
}

pub(crate) fn set(v: &mut Value, key: &str, value: Value) {
    if let Value::Object(m) = v {
        m.insert(key.to_owned(), value);
    }
}

pub(crate) fn get_str<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Decodes a Kubernetes object of the Go struct `name` (config values).
pub(crate) fn decode_named(name: &str, v: &Value, path: &str) -> Result<Value, RenderError> {
    let index = gotypes::struct_index(name).unwrap_or(POD_SPEC);
    gotypes::decode_struct_at(index, v).map_err(|e| RenderError::Config {
        path: format!("{path}.{}", e.path),
        message: e.message,
    })
}

/// A resource map: name -> canonical quantity.
pub(crate) type ResourceList = BTreeMap<String, String>;

fn resource_name(name: &Value) -> Option<&'static str> {
    // flyteidl.core.Resources.ResourceName: UNKNOWN 0, CPU 1, GPU 2, MEMORY 3, STORAGE 4, EPHEMERAL_STORAGE 5.
    let n = match name {
        Value::String(s) => match s.as_str() {
            "CPU" => 1,
            "GPU" => 2,
            "MEMORY" => 3,
            "STORAGE" => 4,
            "EPHEMERAL_STORAGE" => 5,
            _ => 0,
        },
        Value::Number(n) => n.as_i64().unwrap_or(0),
        _ => 0,
    };
    match n {
        1 => Some("cpu"),
        2 => Some("nvidia.com/gpu"),
        3 => Some("memory"),
        5 => Some("ephemeral-storage"),
        _ => None,
    }
}

fn is_zero_quantity(q: &str) -> bool {
    q == "0"
}

/// `ToK8sResourceRequirements(core.Resources)` as a Go-form
/// `ResourceRequirements` (§5.3.3): quantities parsed (an error for any
/// entry, even one whose name is then ignored), `GPU` → `nvidia.com/gpu`,
/// zero quantities dropped.
pub(crate) fn to_k8s_resources(res: Option<&Resources>) -> Result<Value, String> {
    let mut out = json!({});
    let Some(res) = res else { return Ok(out) };
    for (key, entries) in [("requests", &res.requests), ("limits", &res.limits)] {
        let mut list = Map::new();
        for e in entries {
            let q = canonical_quantity(&e.value)
                .map_err(|err| format!("Failed to parse resource as a valid quantity.: {err}"))?;
            if let Some(name) = resource_name(&e.name) {
                if is_zero_quantity(&q) {
                    list.remove(name);
                } else {
                    list.insert(name.to_owned(), Value::String(q));
                }
            }
        }
        if !list.is_empty() {
            set(&mut out, key, Value::Object(list));
        }
    }
    Ok(out)
}

/// The same for the models' `Resources` (autoscaler options).
pub(crate) fn to_k8s_resources_model(res: &flyte_ray_models::Resources) -> Result<Value, String> {
    let conv = |entries: &[flyte_ray_models::ResourceEntry]| {
        entries
            .iter()
            .map(|e| crate::input::ResourceEntry {
                name: Value::from(e.name()),
                value: e.value().to_owned(),
            })
            .collect::<Vec<_>>()
    };
    let r = Resources {
        requests: conv(res.requests()),
        limits: conv(res.limits()),
    };
    to_k8s_resources(Some(&r))
}

fn list_of(v: Option<&Value>) -> ResourceList {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("0").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn qval(q: &str) -> f64 {
    flyte_ray_k8s::parse_quantity(q)
        .map(|q| q.to_f64())
        .unwrap_or(0.0)
}

/// `clamp(v, cap)`: `v` if either is zero, else the smaller.
fn clamp(v: &str, cap: &str) -> String {
    if is_zero_quantity(v) || is_zero_quantity(cap) {
        return v.to_owned();
    }
    if qval(cap) < qval(v) {
        cap.to_owned()
    } else {
        v.to_owned()
    }
}

/// Templating of command/args (§5.3.1).
static TEMPLATES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        "Input",
        "OutputPrefix",
        "InputPrefix",
        "RawOutputDataPrefix",
        "PrevCheckpointPrefix",
        "CheckpointOutputPrefix",
        "PerRetryUniqueKey",
        "TaskTemplatePath",
        "Namespace",
    ]
    .into_iter()
    .filter_map(|name| {
        Regex::new(&format!(r"(?i)\{{\{{\s*[\.$]{name}\s*\}}\}}"))
            .ok()
            .map(|r| (name, r))
    })
    .collect()
});

impl Ctx<'_> {
    fn template_value(&self, name: &str) -> String {
        let e = self.exec;
        let meta = e.metadata_prefix();
        match name {
            "Input" => e.input_path.clone().unwrap_or_else(|| {
                format!(
                    "{}/inputs.pb",
                    e.input_prefix
                        .clone()
                        .unwrap_or_else(|| format!("{meta}/data/inputs"))
                )
            }),
            "OutputPrefix" => e
                .output_prefix
                .clone()
                .unwrap_or_else(|| format!("{meta}/data/{}", e.retry_attempt)),
            "InputPrefix" => e
                .input_prefix
                .clone()
                .unwrap_or_else(|| format!("{meta}/data/inputs")),
            "RawOutputDataPrefix" => self.raw_output_prefix(),
            "PrevCheckpointPrefix" => {
                if e.prev_checkpoint_prefix.is_empty() {
                    "\"\"".to_owned()
                } else {
                    e.prev_checkpoint_prefix.clone()
                }
            }
            "CheckpointOutputPrefix" => e
                .checkpoint_prefix
                .clone()
                .unwrap_or_else(|| format!("{}/_flytecheckpoints", self.raw_output_prefix())),
            "PerRetryUniqueKey" => per_retry_unique_key(&self.generated_name),
            "TaskTemplatePath" => e
                .task_template_path
                .clone()
                .unwrap_or_else(|| format!("{meta}/task.pb")),
            "Namespace" => e.namespace(),
            _ => String::new(),
        }
    }

    fn raw_output_prefix(&self) -> String {
        self.exec
            .raw_output_prefix
            .clone()
            .unwrap_or_else(|| format!("s3://flyte/data/{}", self.generated_name))
    }

    fn render_template(&self, s: &str) -> String {
        let mut out = s.to_owned();
        // Every template starts with `{{`: without one nothing can match
        // (and a replacement only happens after a match).
        if !s.contains("{{") {
            return out;
        }
        for (name, re) in TEMPLATES.iter() {
            if re.is_match(&out) {
                let value = self.template_value(name);
                out = re.replace_all(&out, regex::NoExpand(&value)).into_owned();
            }
        }
        // `{{.Inputs.<name>}}`: the renderer has no input literals (a nil
        // literal map), so these stay as they are, as Go leaves them.
        out
    }

    /// `DecorateEnvVars` (§5.3.2), the env appended to every container.
    fn decorated_env(&self) -> Vec<Value> {
        let e = self.exec;
        let kv = |n: &str, v: &str| json!({"name": n, "value": v});
        let mut env = Vec::new();
        if let Some(wf) = &e.workflow_id {
            env.push(kv("FLYTE_INTERNAL_EXECUTION_WORKFLOW", wf));
        }
        env.push(kv("FLYTE_INTERNAL_EXECUTION_ID", &e.name));
        env.push(kv("FLYTE_INTERNAL_EXECUTION_PROJECT", &e.project));
        env.push(kv("FLYTE_INTERNAL_EXECUTION_DOMAIN", &e.domain));
        env.push(kv("FLYTE_ATTEMPT_NUMBER", &e.retry_attempt.to_string()));
        if self.task.config.contains_key("link_type") && !e.console_url.is_empty() {
            let url = format!(
                "{}/projects/{}/domains/{}/executions/{}/nodeId/{}/nodes",
                e.console_url.trim_end_matches('/'),
                e.project,
                e.domain,
                e.name,
                e.unique_node_id()
            );
            env.push(kv("FLYTE_EXECUTION_URL", &url));
        }
        if let Some(t) = self.task_id() {
            env.push(kv("FLYTE_INTERNAL_TASK_PROJECT", &t.project));
            env.push(kv("FLYTE_INTERNAL_TASK_DOMAIN", &t.domain));
            env.push(kv("FLYTE_INTERNAL_TASK_NAME", &t.name));
            env.push(kv("FLYTE_INTERNAL_TASK_VERSION", &t.version));
        }
        // Go iterates these three maps in random order; we keep the block
        // order and sort within each block (RENDERING.md §12.2).
        for (k, v) in &e.environment_variables {
            env.push(kv(k, v));
        }
        for (k, v) in &self.k8s.default_env_vars {
            env.push(kv(k, v));
        }
        for (k, v) in &self.k8s.default_env_vars_from_env {
            let value = e.propeller_env.get(v).cloned().unwrap_or_default();
            env.push(kv(k, &value));
        }
        env
    }

    fn task_id(&self) -> Option<crate::input::Identifier> {
        self.exec.task_id.clone()
    }

    fn platform(&self) -> (ResourceList, ResourceList) {
        let p = self.exec.platform_resources.as_ref();
        let mut req = list_of(p.and_then(|p| p.get("requests")));
        let lim = list_of(p.and_then(|p| p.get("limits")));
        let cfg_default = |s: &str| canonical_quantity(s).unwrap_or_else(|_| "0".to_owned());
        req.entry("cpu".to_owned())
            .or_insert_with(|| cfg_default(&self.k8s.default_cpus));
        req.entry("memory".to_owned())
            .or_insert_with(|| cfg_default(&self.k8s.default_memory));
        (req, lim)
    }

    /// `ApplyResourceOverrides(res, platform, assignIfUnset)`.
    fn apply_resource_overrides(&self, res: &mut Value, assign: bool) {
        let (p_req, p_lim) = self.platform();
        let mut requests = list_of(res.get("requests"));
        let mut limits = list_of(res.get("limits"));
        let mut names = vec!["cpu".to_owned(), "memory".to_owned()];
        for extra in ["ephemeral-storage", self.k8s.gpu_resource_name.as_str()] {
            if requests.contains_key(extra) || limits.contains_key(extra) {
                names.push(extra.to_owned());
            }
        }
        for r in names {
            let zero = "0".to_owned();
            let mut req = requests.get(&r).cloned().unwrap_or_else(|| zero.clone());
            let mut lim = limits.get(&r).cloned().unwrap_or_else(|| zero.clone());
            let p_def = p_req.get(&r).cloned().unwrap_or_else(|| zero.clone());
            let p_limit = p_lim.get(&r).cloned().unwrap_or_else(|| zero.clone());
            if assign {
                if is_zero_quantity(&req) {
                    req = if is_zero_quantity(&lim) {
                        p_def
                    } else {
                        lim.clone()
                    };
                }
                if is_zero_quantity(&lim) {
                    lim.clone_from(&req);
                }
            }
            req = clamp(&req, &p_limit);
            lim = clamp(&lim, &p_limit);
            req = clamp(&req, &lim);
            requests.insert(r.clone(), req);
            limits.insert(r, lim);
        }
        let to_obj = |l: ResourceList| {
            Value::Object(l.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
        };
        set(res, "requests", to_obj(requests));
        set(res, "limits", to_obj(limits));
    }

    /// Per-container customization (§5.3).
    fn customize(
        &self,
        c: &mut Value,
        primary_mode: bool,
        template_res: Option<&Value>,
        override_res: &Value,
    ) {
        for key in ["command", "args"] {
            if let Some(Value::Array(items)) = c.get(key) {
                let rendered: Vec<Value> = items
                    .iter()
                    .map(|s| Value::String(self.render_template(s.as_str().unwrap_or_default())))
                    .collect();
                if rendered.is_empty() {
                    if let Value::Object(m) = c {
                        m.remove(key);
                    }
                } else {
                    set(c, key, Value::Array(rendered));
                }
            }
        }
        arr_mut(c, "env").extend(self.decorated_env());
        let env_from = arr_mut(c, "envFrom");
        for s in &self.k8s.default_env_from_secrets {
            env_from.push(json!({"secretRef": {"name": s, "optional": true}}));
        }
        for s in &self.k8s.default_env_from_configmaps {
            env_from.push(json!({"configMapRef": {"name": s, "optional": true}}));
        }
        for key in ["env", "envFrom"] {
            if c.get(key)
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty)
                && let Value::Object(m) = c
            {
                m.remove(key);
            }
        }
        let mut res = c.get("resources").cloned().unwrap_or_else(|| json!({}));
        // Rename the literal `gpu` key to the configured GPU name (before the merge).
        for key in ["requests", "limits"] {
            if let Some(Value::Object(m)) = res.get_mut(key)
                && let Some(v) = m.remove("gpu")
            {
                m.insert(self.k8s.gpu_resource_name.clone(), v);
            }
        }
        let fill_missing = |res: &mut Value, from: Option<&Value>| {
            let Some(from) = from else { return };
            for key in ["requests", "limits"] {
                if let Some(Value::Object(src)) = from.get(key) {
                    let dst = obj_mut(res, key);
                    for (k, v) in src {
                        dst.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
        };
        if primary_mode {
            for key in ["requests", "limits"] {
                if let Some(Value::Object(src)) = override_res.get(key) {
                    let dst = obj_mut(&mut res, key);
                    for (k, v) in src {
                        dst.insert(k.clone(), v.clone());
                    }
                }
            }
            fill_missing(&mut res, template_res);
            self.apply_resource_overrides(&mut res, true);
        } else {
            fill_missing(&mut res, template_res);
            self.apply_resource_overrides(&mut res, false);
        }
        set(c, "resources", res);
    }

    /// `ToK8sPodSpec` (§5): the base pod.
    pub(crate) fn build_base(&mut self) -> Result<Base, RenderError> {
        self.build_base_inner()
            .map_err(|e| bad_spec(format!("Unable to create pod spec: [{e}]")))
    }

    fn build_base_inner(&mut self) -> Result<Base, String> {
        let task = self.task;
        let mut labels = BTreeMap::new();
        let mut annotations = BTreeMap::new();
        let (mut pod, mut primary) = if let Some(c) = &task.container {
            let Some(override_res) = self.override_resources()? else {
                return Err("[BadTaskSpecification] resource requirements not found for container task, required!".to_owned());
            };
            let _ = override_res;
            if c.data_config.is_some() {
                return Err("[BadTaskSpecification] copilot (`container.dataConfig`) is not supported by flyte-ray render".to_owned());
            }
            let name = if dns1123_label(&self.generated_name) {
                self.generated_name.clone()
            } else {
                let fallback = self
                    .exec
                    .fallback_container_name
                    .clone()
                    .unwrap_or_else(|| {
                        hashed(&self.generated_name)
                            .chars()
                            .skip(1)
                            .take(4)
                            .collect()
                    });
                self.findings.push(Finding::warning(
                    "random-container-name",
                    "execution.generatedName",
                    format!(
                        "the generated name {:?} is not a DNS-1123 label: Go names the primary (submitter) container rand.String(4); rendered as {fallback:?}",
                        self.generated_name
                    ),
                ));
                fallback
            };
            let resources = to_k8s_resources(c.resources.as_ref())?;
            let mut container = json!({
                "name": name,
                "image": c.image,
                "terminationMessagePolicy": "FallbackToLogsOnError",
            });
            set(&mut container, "resources", resources);
            if !c.command.is_empty() {
                set(&mut container, "command", json!(c.command));
            }
            if !c.args.is_empty() {
                set(&mut container, "args", json!(c.args));
            }
            if !c.env.is_empty() {
                let env: Vec<Value> = c
                    .env
                    .iter()
                    .map(|kv| {
                        if kv.value.is_empty() {
                            json!({"name": kv.key})
                        } else {
                            json!({"name": kv.key, "value": kv.value})
                        }
                    })
                    .collect();
                set(&mut container, "env", Value::Array(env));
            }
            if !self.k8s.image_pull_policy.is_empty() {
                set(
                    &mut container,
                    "imagePullPolicy",
                    json!(self.k8s.image_pull_policy),
                );
            }
            let mut pod = Map::new();
            pod.insert("containers".to_owned(), Value::Array(vec![container]));
            (Value::Object(pod), name)
        } else if let Some(k) = &task.k8s_pod {
            let Some(spec) = &k.pod_spec else {
                return Err("[BadTaskSpecification] Pod tasks with task type version > 1 should specify their target as a K8sPod with a defined pod spec".to_owned());
            };
            let pod = gotypes::decode_pod_spec(spec).map_err(|e| {
                format!(
                    "[BadTaskSpecification] Unable to unmarshal task k8s pod [{spec}], Err: [{e}]"
                )
            })?;
            self.note_case_insensitive(spec, "k8sPod.podSpec");
            let Some(primary) = task.config.get("primary_container_name") else {
                return Err(format!(
                    "[BadTaskSpecification] invalid TaskSpecification, config missing [primary_container_name] key in [{}]",
                    go_map(&task.config)
                ));
            };
            if !k.primary_container_name.is_empty() && &k.primary_container_name != primary {
                self.findings.push(Finding::warning(
                    "primary-container-name-ignored",
                    "k8sPod.primaryContainerName",
                    format!(
                        "Flyte reads the primary container from config[\"primary_container_name\"] ({primary:?}); k8sPod.primaryContainerName {:?} is ignored",
                        k.primary_container_name
                    ),
                ));
            }
            if k.data_config.is_some() {
                return Err("[BadTaskSpecification] copilot (`k8sPod.dataConfig`) is not supported by flyte-ray render".to_owned());
            }
            if let Some(m) = &k.metadata {
                annotations.extend(m.annotations.clone());
                labels.extend(m.labels.clone());
            }
            (pod, primary.clone())
        } else {
            return Err("[BadTaskSpecification] invalid TaskSpecification, unable to determine Pod configuration".to_owned());
        };
        if let Some(t) = &self.exec.override_pod_template
            && let Some(spec) = &t.pod_spec
        {
            if let Some(m) = &t.metadata {
                annotations.extend(m.annotations.clone());
                labels.extend(m.labels.clone());
            }
            pod = gotypes::decode_pod_spec(spec).map_err(|e| e.to_string())?;
            primary.clone_from(&t.primary_container_name);
        }
        let mut base = Base {
            pod,
            labels,
            annotations,
            extra_meta: Map::new(),
            primary,
        };
        self.apply_flyte_pod_configuration(&mut base)?;
        add_tolerations_for_extended_resources(
            &mut base.pod,
            &self.k8s.add_tolerations_for_extended_resources,
        );
        Ok(base)
    }

    /// `overrides.resources`, Go form; default: the task container's resources.
    pub(crate) fn override_resources(&self) -> Result<Option<Value>, String> {
        match &self.exec.override_resources {
            Some(v) => decode_named_str("ResourceRequirements", v).map(Some),
            None => match &self.task.container {
                Some(c) => to_k8s_resources(c.resources.as_ref()).map(Some),
                None => Ok(Some(json!({}))),
            },
        }
    }

    fn base_pod_template(&self) -> Result<Option<Value>, String> {
        let named = self
            .task
            .metadata
            .as_ref()
            .map(|m| m.pod_template_name.clone())
            .unwrap_or_default();
        if !named.is_empty() {
            return match self.exec.pod_templates.get(&named) {
                Some(t) => Ok(Some(t.clone())),
                None => Err(format!(
                    "[BadTaskSpecification] PodTemplate '{named}' does not exist"
                )),
            };
        }
        Ok(self
            .exec
            .pod_templates
            .get(&self.k8s.default_pod_template_name)
            .filter(|_| !self.k8s.default_pod_template_name.is_empty())
            .cloned())
    }

    fn apply_flyte_pod_configuration(&mut self, base: &mut Base) -> Result<(), String> {
        let template = self.base_pod_template()?;
        let template_spec = match &template {
            Some(t) => Some(
                gotypes::decode_pod_spec(t.at("/template/spec").unwrap_or(&Value::Null))
                    .map_err(|e| format!("PodTemplate spec: {e}"))?,
            ),
            None => None,
        };
        let find_template_res = |names: &[&str], init: bool| -> Option<Value> {
            let spec = template_spec.as_ref()?;
            let list = spec
                .get(if init { "initContainers" } else { "containers" })?
                .as_array()?;
            for n in names {
                if let Some(c) = list.iter().find(|c| get_str(c, "name") == *n) {
                    return Some(c.get("resources").cloned().unwrap_or_else(|| json!({})));
                }
            }
            Some(json!({}))
        };
        let override_res = self.override_resources()?.unwrap_or_else(|| json!({}));
        let primary = base.primary.clone();
        let mut collected = Vec::new();
        for (key, init) in [("initContainers", true), ("containers", false)] {
            // Taken out, changed, put back (not copied).
            let mut list = match base.pod.get_mut(key) {
                Some(Value::Array(list)) => std::mem::take(list),
                _ => continue,
            };
            for c in &mut list {
                let name = get_str(c, "name").to_owned();
                let res = if init {
                    find_template_res(&[&name, "primary-init", "default-init"], true)
                } else {
                    find_template_res(&[&name, "primary", "default"], false)
                };
                let mode = init || name == primary;
                self.customize(c, mode, res.as_ref(), &override_res);
                if !init {
                    collected.push(c.get("resources").cloned().unwrap_or_else(|| json!({})));
                }
            }
            set(&mut base.pod, key, Value::Array(list));
        }
        let has_primary = base
            .pod
            .get("containers")
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(|c| get_str(c, "name") == primary));
        if !has_primary {
            return Err(format!(
                "[BadTaskSpecification] invalid TaskSpecification, primary container [{primary}] not defined"
            ));
        }
        self.update_pod(&mut base.pod, &collected)?;
        if let Some(sc) = &self.k8s.default_security_context {
            let sc = decode_named_str("SecurityContext", sc)?;
            if let Some(Value::Array(list)) = base.pod.get_mut("containers") {
                for c in list.iter_mut().filter(|c| get_str(c, "name") == primary) {
                    if c.get("securityContext").is_none() {
                        set(c, "securityContext", sc.clone());
                    }
                }
            }
        }
        if let (Some(t), Some(spec)) = (&template, &template_spec) {
            self.merge_with_base_template(base, t, spec);
        }
        let ext = self.extended_resources();
        if let Some(gpu) = &ext.gpu_accelerator {
            let gpu_name = &self.k8s.gpu_resource_name;
            let has_gpu = base
                .pod
                .get("containers")
                .and_then(Value::as_array)
                .is_some_and(|l| {
                    l.iter().any(|c| {
                        c.at("/resources/limits")
                            .and_then(|m| m.get(gpu_name))
                            .is_some()
                    })
                });
            if has_gpu {
                self.apply_gpu_node_selectors(&mut base.pod, gpu)?;
            }
        }
        if let Some(shm) = &ext.shared_memory {
            apply_shared_memory(&mut base.pod, &primary, shm, &mut self.findings)?;
        }
        if !self.exec.override_container_image.is_empty()
            && let Some(Value::Array(list)) = base.pod.get_mut("containers")
        {
            for c in list.iter_mut().filter(|c| get_str(c, "name") == primary) {
                set(c, "image", json!(self.exec.override_container_image));
            }
        }
        Ok(())
    }

    /// The merged extended resources: task, with overrides replacing each part wholesale
    /// (and, in Flyte 2, the group being built over both).
    pub(crate) fn extended_resources(&self) -> ExtendedResources {
        let mut ext = self.task.extended_resources.clone().unwrap_or_default();
        if let Some(o) = &self.exec.override_extended_resources {
            if o.gpu_accelerator.is_some() {
                ext.gpu_accelerator.clone_from(&o.gpu_accelerator);
            }
            if o.shared_memory.is_some() {
                ext.shared_memory.clone_from(&o.shared_memory);
            }
        }
        // Flyte 2: the Ray group's own, over both (RENDERING.md §18).
        if let Some(g) = &self.group_extended {
            if g.gpu_accelerator.is_some() {
                ext.gpu_accelerator.clone_from(&g.gpu_accelerator);
            }
            if g.shared_memory.is_some() {
                ext.shared_memory.clone_from(&g.shared_memory);
            }
        }
        ext
    }

    fn update_pod(&self, pod: &mut Value, collected: &[Value]) -> Result<(), String> {
        if get_str(pod, "restartPolicy").is_empty() {
            set(pod, "restartPolicy", json!("Never"));
        }
        let mut tolerations = Vec::new();
        // Go iterates the resource names in set order (random); sorted here (§12.2).
        let mut names = BTreeSet::new();
        for r in collected {
            for key in ["limits", "requests"] {
                if let Some(Value::Object(m)) = r.get(key) {
                    names.extend(m.keys().cloned());
                }
            }
        }
        for n in &names {
            if let Some(list) = self.k8s.resource_tolerations.get(n) {
                for (i, t) in list.iter().enumerate() {
                    tolerations.push(
                        decode_named_str("Toleration", t).map_err(|e| {
                            format!("plugins.k8s.resource-tolerations[{n}][{i}]: {e}")
                        })?,
                    );
                }
            }
        }
        if self.interruptible {
            for t in &self.k8s.interruptible_tolerations {
                tolerations.push(decode_named_str("Toleration", t)?);
            }
        }
        for t in &self.k8s.default_tolerations {
            tolerations.push(decode_named_str("Toleration", t)?);
        }
        if let Some(Value::Array(existing)) = pod.get("tolerations") {
            tolerations.extend(existing.iter().cloned());
        }
        set_list(pod, "tolerations", tolerations);
        if get_str(pod, "serviceAccountName").is_empty()
            && !self.exec.k8s_service_account.is_empty()
        {
            set(
                pod,
                "serviceAccountName",
                json!(self.exec.k8s_service_account),
            );
        }
        if get_str(pod, "schedulerName").is_empty() && !self.k8s.scheduler_name.is_empty() {
            set(pod, "schedulerName", json!(self.k8s.scheduler_name));
        }
        let mut selector: Map<String, Value> = self
            .k8s
            .default_node_selector
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        if let Some(Value::Object(own)) = pod.get("nodeSelector") {
            selector.extend(own.clone());
        }
        if self.interruptible {
            for (k, v) in &self.k8s.interruptible_node_selector {
                selector.insert(k.clone(), json!(v));
            }
        }
        if selector.is_empty() {
            if let Value::Object(m) = pod {
                m.remove("nodeSelector");
            }
        } else {
            set(pod, "nodeSelector", Value::Object(selector));
        }
        if pod.get("affinity").is_none()
            && let Some(a) = &self.k8s.default_affinity
        {
            set(pod, "affinity", decode_named_str("Affinity", a)?);
        }
        if pod.get("securityContext").is_none()
            && let Some(sc) = &self.k8s.default_pod_security_context
        {
            set(
                pod,
                "securityContext",
                decode_named_str("PodSecurityContext", sc)?,
            );
        }
        if let Some(h) = self.k8s.enable_host_networking_pod {
            if h {
                set(pod, "hostNetwork", json!(true));
            } else if let Value::Object(m) = pod {
                m.remove("hostNetwork");
            }
        }
        if pod.get("dnsConfig").is_none()
            && let Some(d) = &self.k8s.default_pod_dns_config
        {
            set(pod, "dnsConfig", decode_named_str("PodDNSConfig", d)?);
        }
        // ApplyInterruptibleNodeAffinity: affinity is at least {}.
        if pod.get("affinity").is_none() {
            set(pod, "affinity", json!({}));
        }
        let req = if self.interruptible {
            self.k8s.interruptible_node_selector_requirement.as_ref()
        } else {
            self.k8s
                .non_interruptible_node_selector_requirement
                .as_ref()
        };
        if let Some(r) = req {
            let r = decode_named_str("SelectorRequirement", r)?;
            add_node_selector_requirement(pod, r);
        }
        Ok(())
    }

    fn apply_gpu_node_selectors(
        &self,
        pod: &mut Value,
        gpu: &crate::input::GpuAccelerator,
    ) -> Result<(), String> {
        if pod.get("affinity").is_none() {
            set(pod, "affinity", json!({}));
        }
        let device_label = &self.k8s.gpu_device_node_label;
        let partition_label = &self.k8s.gpu_partition_size_node_label;
        if !gpu.device.is_empty() {
            add_node_selector_requirement(
                pod,
                json!({"key": device_label, "operator": "In", "values": [gpu.device]}),
            );
            arr_mut(pod, "tolerations").push(json!({"key": device_label, "operator": "Equal", "value": gpu.device, "effect": "NoSchedule"}));
        }
        if let Some(size) = &gpu.partition_size {
            add_node_selector_requirement(
                pod,
                json!({"key": partition_label, "operator": "In", "values": [size]}),
            );
            arr_mut(pod, "tolerations").push(json!({"key": partition_label, "operator": "Equal", "value": size, "effect": "NoSchedule"}));
        }
        if gpu.unpartitioned == Some(true) {
            let req = match &self.k8s.gpu_unpartitioned_node_selector_requirement {
                Some(r) => decode_named_str("SelectorRequirement", r)?,
                None => json!({"key": partition_label, "operator": "DoesNotExist"}),
            };
            add_node_selector_requirement(pod, req);
            if let Some(t) = &self.k8s.gpu_unpartitioned_toleration {
                arr_mut(pod, "tolerations").push(decode_named_str("Toleration", t)?);
            }
        }
        Ok(())
    }

    /// `MergeWithBasePodTemplate` (§5.2 step 8), with mergo's rules of §7.
    fn merge_with_base_template(&mut self, base: &mut Base, template: &Value, spec: &Value) {
        let container_index = gotypes::container_index();
        let mut merged = spec.clone();
        gotypes::merge_struct(POD_SPEC, &mut merged, &base.pod);
        for (key, default, primary_name) in [
            ("containers", "default", "primary"),
            ("initContainers", "default-init", "primary-init"),
        ] {
            let tlist = spec
                .get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let find = |n: &str| tlist.iter().find(|c| get_str(c, "name") == n).cloned();
            let mut rebuilt = Vec::new();
            for c in base
                .pod
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let name = get_str(c, "name");
                let mut out = find(default).unwrap_or_else(|| json!({}));
                let is_primary = key == "containers" && name == base.primary;
                if is_primary {
                    if let Some(p) = find(primary_name) {
                        gotypes::merge_struct(container_index, &mut out, &p);
                    }
                } else if name != default
                    && let Some(p) = find(name)
                {
                    gotypes::merge_struct(container_index, &mut out, &p);
                }
                gotypes::merge_struct(container_index, &mut out, c);
                rebuilt.push(out);
            }
            if rebuilt.is_empty() {
                if let Value::Object(m) = &mut merged {
                    m.remove(key);
                }
            } else {
                set(&mut merged, key, Value::Array(rebuilt));
            }
        }
        base.pod = merged;
        // objectMeta = mergo(template.template.metadata, objectMeta): template keys kept unless objectMeta has them.
        if let Some(Value::Object(meta)) = template.at("/template/metadata") {
            for (k, v) in meta {
                match k.as_str() {
                    "labels" | "annotations" => {
                        let target = if k == "labels" {
                            &mut base.labels
                        } else {
                            &mut base.annotations
                        };
                        if let Value::Object(m) = v {
                            for (mk, mv) in m {
                                target
                                    .entry(mk.clone())
                                    .or_insert_with(|| mv.as_str().unwrap_or_default().to_owned());
                            }
                        }
                    }
                    "creationTimestamp" => {}
                    _ => {
                        base.extra_meta.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        self.findings.push(Finding::warning(
            "base-pod-template",
            "plugins.k8s.default-pod-template-name",
            "a base PodTemplate was merged (RENDERING.md §5.2 step 8: read, not executed upstream; its env comes first, template-only containers are dropped)",
        ));
    }

    /// Records keys of a pod spec that Go matched case-insensitively (quirk 14.17).
    pub(crate) fn note_case_insensitive(&mut self, spec: &Value, path: &str) {
        let mut hits = Vec::new();
        gotypes::case_insensitive_keys(spec, &mut hits);
        for (p, key) in hits {
            self.findings.push(Finding::warning(
                "case-insensitive-key",
                format!("{path}{p}"),
                format!("key {key:?} is not a pod spec field name; Go's encoding/json matches it case-insensitively"),
            ));
        }
    }
}

pub(crate) fn set_list(v: &mut Value, key: &str, list: Vec<Value>) {
    if list.is_empty() {
        if let Value::Object(m) = v {
            m.remove(key);
        }
    } else {
        set(v, key, Value::Array(list));
    }
}

fn decode_named_str(name: &str, v: &Value) -> Result<Value, String> {
    let index = gotypes::struct_index(name).unwrap_or(POD_SPEC);
    gotypes::decode_struct_at(index, v).map_err(|e| e.to_string())
}

/// Go's `%v` of a `map[string]string`: `map[k1:v1 k2:v2]`, keys sorted.
fn go_map(m: &BTreeMap<String, String>) -> String {
    let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("map[{}]", inner.join(" "))
}

/// Adds `req` to every `nodeSelectorTerms[].matchExpressions`, or creates one term.
pub(crate) fn add_node_selector_requirement(pod: &mut Value, req: Value) {
    let affinity = obj_mut(pod, "affinity");
    let mut aff = Value::Object(std::mem::take(affinity));
    let node = obj_mut(&mut aff, "nodeAffinity");
    let mut node_v = Value::Object(std::mem::take(node));
    let required = obj_mut(
        &mut node_v,
        "requiredDuringSchedulingIgnoredDuringExecution",
    );
    let mut required_v = Value::Object(std::mem::take(required));
    let terms = arr_mut(&mut required_v, "nodeSelectorTerms");
    if terms.is_empty() {
        terms.push(json!({"matchExpressions": [req]}));
    } else {
        for t in terms.iter_mut() {
            arr_mut(t, "matchExpressions").push(req.clone());
        }
    }
    set(
        &mut node_v,
        "requiredDuringSchedulingIgnoredDuringExecution",
        required_v,
    );
    set(&mut aff, "nodeAffinity", node_v);
    set(pod, "affinity", aff);
}

/// `AddTolerationsForExtendedResources` (§5.4).
pub(crate) fn add_tolerations_for_extended_resources(pod: &mut Value, names: &[String]) {
    if names.is_empty() {
        return;
    }
    let mut found = BTreeSet::new();
    for key in ["containers", "initContainers"] {
        for c in pod.get(key).and_then(Value::as_array).into_iter().flatten() {
            if let Some(Value::Object(req)) = c.at("/resources/requests") {
                for n in names {
                    if req.contains_key(n) {
                        found.insert(n.clone());
                    }
                }
            }
        }
    }
    for n in found {
        let t = json!({"key": n, "operator": "Exists", "effect": "NoSchedule"});
        let list = arr_mut(pod, "tolerations");
        if !list.iter().any(|e| e == &t) {
            list.push(t);
        }
    }
}

fn apply_shared_memory(
    pod: &mut Value,
    primary: &str,
    shm: &crate::input::SharedMemory,
    findings: &mut Vec<Finding>,
) -> Result<(), String> {
    if shm.mount_name.is_empty() {
        return Err("[BadTaskSpecification] mount name is not set".to_owned());
    }
    if shm.mount_path.is_empty() {
        return Err("[BadTaskSpecification] mount path is not set".to_owned());
    }
    let containers = pod
        .get("containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(idx) = containers
        .iter()
        .position(|c| get_str(c, "name") == primary)
    else {
        return Err("[BadTaskSpecification] Unable to find primary container".to_owned());
    };
    if pod
        .get("volumes")
        .and_then(Value::as_array)
        .is_some_and(|v| v.iter().any(|v| get_str(v, "name") == shm.mount_name))
    {
        return Err(format!(
            "[BadTaskSpecification] A volume is already named {} in pod spec",
            shm.mount_name
        ));
    }
    let mounts = containers[idx]
        .get("volumeMounts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if mounts.iter().any(|m| get_str(m, "name") == shm.mount_name) {
        return Err(format!(
            "[BadTaskSpecification] A volume is already named {} in container",
            shm.mount_name
        ));
    }
    if mounts
        .iter()
        .any(|m| get_str(m, "mountPath") == shm.mount_path)
    {
        return Err(format!(
            "[BadTaskSpecification] {} is already mounted in container",
            shm.mount_path
        ));
    }
    let size = if shm.size_limit.is_empty() {
        findings.push(Finding::warning(
            "shared-memory-size-zero",
            "extendedResources.sharedMemory.sizeLimit",
            "no size limit: Go still sets the pointer to a zero quantity, so the volume gets sizeLimit \"0\"",
        ));
        "0".to_owned()
    } else {
        canonical_quantity(&shm.size_limit)
            .map_err(|e| format!("[BadTaskSpecification] Unable to parse size limit: {e}"))?
    };
    arr_mut(pod, "volumes")
        .push(json!({"name": shm.mount_name, "emptyDir": {"medium": "Memory", "sizeLimit": size}}));
    if let Some(Value::Array(list)) = pod.get_mut("containers")
        && let Some(c) = list.get_mut(idx)
    {
        arr_mut(c, "volumeMounts")
            .push(json!({"name": shm.mount_name, "mountPath": shm.mount_path}));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// `At` finds what serde_json's `Value::pointer` finds, for every
    /// pointer without `~` (the only ones the renderer uses): keys, indexes,
    /// indexes that are not (leading zeros, signs, past the end), the empty
    /// pointer, pointers without the leading `/`, empty tokens.
    #[test]
    fn at_agrees_with_serde_json_pointer() {
        let doc = json!({
            "a": {"b": [10, {"c": "x"}, [true]], "": {"": 1}, "0": "zero"},
            "list": [{"name": "n"}],
            "n": null
        });
        let pointers = [
            "",
            "/",
            "/a",
            "/a/b",
            "/a/b/0",
            "/a/b/1/c",
            "/a/b/2/0",
            "/a/b/3",
            "/a/b/01",
            "/a/b/-1",
            "/a/b/+1",
            "/a/b/",
            "/a//",
            "/a/0",
            "/list/0/name",
            "/list/00",
            "/n",
            "/n/x",
            "a",
            "/missing",
            "/a/b/1/c/d",
            "/a/b/99999999999999999999999",
        ];
        for p in pointers {
            assert_eq!(doc.at(p), doc.pointer(p), "{p:?}");
            let mut mine = doc.clone();
            let mut theirs = doc.clone();
            assert_eq!(
                mine.at_mut(p).map(|v| v.clone()),
                theirs.pointer_mut(p).map(|v| v.clone()),
                "{p:?}"
            );
        }
    }
}
