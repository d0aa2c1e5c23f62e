//! The builder: a [`RayJobConfig`] in, the SDK's `RayJob` (and so its
//! `custom`) out, with the [`Warning`]s for whatever the SDK silently drops
//! or changes.

use std::fmt;

use base64::Engine as _;
use flyte_ray_models::{FlyteIdlEntity, RayJob};
use prost_types::Struct;

use crate::config::{RayJobConfig, Sdk};
use crate::error::{BuildError, ConfigError, SdkError};

/// Something the SDK does with the config that the user may not expect:
/// a value dropped, ignored or changed on the way to `custom`.
///
/// Its `Display` is one line, in the style of `flyte-ray validate`:
/// `warning: worker_node_config[0].pod_template: <message> [pod-template-dropped]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Warning {
    /// Stable identifier (`docs/TASK_LAYER.md` lists them all).
    pub rule: &'static str,
    /// Config path (snake_case keys): `worker_node_config[1].min_replicas`.
    pub path: String,
    /// What happens.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: {}: {} [{}]",
            self.path, self.message, self.rule
        )
    }
}

/// The warnings collected while building.
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    pub(crate) list: Vec<Warning>,
    sdk: Sdk,
}

impl Warnings {
    pub(crate) fn push(&mut self, rule: &'static str, path: String, message: impl Into<String>) {
        self.list.push(Warning {
            rule,
            path,
            message: message.into(),
        });
    }

    /// flytekit's pod from resources names its container `ray-head` /
    /// `ray-worker` but keeps the default primary container name.
    pub(crate) fn primary_name_mismatch(&mut self, path: &dyn fmt::Display, container: &str) {
        if self.sdk == Sdk::Flytekit {
            self.push(
                "primary-container-name-mismatch",
                path.to_string(),
                format!(
                    "the pod flytekit builds from requests/limits has one container named \
                     {container:?} but primaryContainerName \"primary\", which names no container"
                ),
            );
        }
    }

    /// `resource-quantity-invalid`: a resource value the SDK writes into the
    /// spec as it is (a string; numbers are printed by the SDK and always
    /// parse) although it is not a Kubernetes quantity. Both SDKs accept any
    /// string there (the golden set has `""` and free text), so this is a
    /// warning, not an error: the pod that carries it is refused by
    /// Kubernetes at run time. Values the SDK does not write as a quantity
    /// are left out: Flyte 2's `gpu` (an accelerator name or a device, whose
    /// quantity the SDK prints itself), `shm` in limits or in the autoscaler
    /// (ignored, with their own warnings) and `shm: "auto"` (no size).
    pub(crate) fn resource_quantities(&mut self, cfg: &RayJobConfig) {
        // The paths are written only for a value that warns: formatting
        // them for every valid quantity was most of this check's cost.
        let sdk = self.sdk;
        if let Some(h) = &cfg.head_node_config {
            for (list, r) in [("requests", &h.requests), ("limits", &h.limits)] {
                if let Some(r) = r {
                    self.quantities_of(
                        &|| format!("head_node_config.{list}"),
                        r,
                        list == "requests",
                    );
                }
            }
        }
        for (i, w) in cfg.worker_node_config.iter().enumerate() {
            for (list, r) in [("requests", &w.requests), ("limits", &w.limits)] {
                if let Some(r) = r {
                    self.quantities_of(
                        &|| format!("worker_node_config[{i}].{list}"),
                        r,
                        list == "requests",
                    );
                }
            }
        }
        if let Some(a) = &cfg.autoscaler_options {
            let lists = match sdk {
                Sdk::Flytekit => [("requests", &a.requests), ("limits", &a.limits)],
                Sdk::Flyte2 => [("resources", &a.resources), ("", &None)],
            };
            for (list, r) in lists {
                if let Some(r) = r {
                    // The autoscaler's shm is ignored (Flyte 2): no size.
                    self.quantities_of(&|| format!("autoscaler_options.{list}"), r, false);
                }
            }
        }
    }

    /// The quantity warnings of one `Resources` at the path `path()` gives;
    /// `shm_used` says whether its `shm` becomes a size (Flyte 2 node
    /// requests only).
    fn quantities_of(
        &mut self,
        path: &dyn Fn() -> String,
        r: &crate::config::Resources,
        shm_used: bool,
    ) {
        use crate::doc::Node;
        let shm = shm_used && !matches!(&r.shm, Some(Node::Str(s)) if s == "auto");
        let fields: [(&str, &Option<Node>); 4] = match self.sdk {
            Sdk::Flytekit => [
                ("cpu", &r.cpu),
                ("mem", &r.mem),
                ("gpu", &r.gpu),
                ("ephemeral_storage", &r.ephemeral_storage),
            ],
            Sdk::Flyte2 => [
                ("cpu", &r.cpu),
                ("memory", &r.memory),
                ("disk", &r.disk),
                ("shm", if shm { &r.shm } else { &None }),
            ],
        };
        for (key, value) in fields {
            match value {
                Some(Node::Str(s)) => self.quantity(s, || format!("{}.{key}", path())),
                Some(Node::List(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Node::Str(s) = item {
                            self.quantity(s, || format!("{}.{key}[{i}]", path()));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// `resource-quantity-invalid` at `path()` when `s` is no quantity.
    fn quantity(&mut self, s: &str, path: impl FnOnce() -> String) {
        if let Err(e) = flyte_ray_k8s::parse_quantity(s) {
            let sdk = self.sdk;
            self.push(
                "resource-quantity-invalid",
                path(),
                format!(
                    "not a Kubernetes quantity ({e}); {sdk} writes it into the spec as it is \
                     and Kubernetes refuses the pod that carries it"
                ),
            );
        }
    }

    /// The warnings about the job as a whole.
    pub(crate) fn job_level(&mut self, cfg: &RayJobConfig) {
        if cfg.address.is_some() {
            self.push(
                "address-not-serialized",
                "address".to_owned(),
                "address is used only by ray.init at run time and never reaches the spec",
            );
        }
        if cfg.ttl_seconds_after_finished.is_some_and(|t| t != 0)
            && !cfg.shutdown_after_job_finishes
        {
            self.push(
                "ttl-without-shutdown",
                "ttl_seconds_after_finished".to_owned(),
                "KubeRay applies ttl_seconds_after_finished only when shutdown_after_job_finishes \
                 is true; it has no effect here",
            );
        }
        if cfg.autoscaler_options.is_some() && !cfg.enable_autoscaling {
            self.push(
                "autoscaler-options-without-autoscaling",
                "autoscaler_options".to_owned(),
                "autoscaler_options are serialized, but enable_autoscaling is false, so KubeRay \
                 runs no autoscaler",
            );
        }
        if let Some(env) = &cfg.runtime_env
            && !env.is_set()
            && env.0 != crate::doc::Node::Null
        {
            self.push(
                "runtime-env-empty",
                "runtime_env".to_owned(),
                "an empty runtime_env is falsy in Python and is left out of the spec",
            );
        }
    }
}

/// What [`build`] gives: the spec and the warnings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Built {
    /// The SDK the spec was built for.
    pub sdk: Sdk,
    /// The `RayJob` the SDK serializes into `custom`.
    pub job: RayJob,
    /// What the SDK dropped or changed, in the order met.
    pub warnings: Vec<Warning>,
}

impl Built {
    /// The `custom` JSON, compact, as `MessageToDict` maps the message.
    ///
    /// # Errors
    /// Only when the spec holds something proto3 JSON cannot (a NaN).
    pub fn custom_json(&self) -> Result<String, flyte_ray_models::JsonError> {
        let json = self.job.to_json()?;
        if !self.has_unnamed_device_class() {
            return Ok(json);
        }
        let value = unnamed_device_class_tree(&json)?;
        serde_json::to_string(&value).map_err(|e| flyte_ray_models::JsonError::Write(e.to_string()))
    }

    /// Whether a group's accelerator has a device class that flyteidl2
    /// 2.0.51 (the version flyte 2.12.1 pins) has no name for, though our
    /// newer flyteidl2 has: `APPLE_SILICON` (5). `MessageToDict` then
    /// prints the number, and so do [`custom_json`](Self::custom_json),
    /// [`to_yaml`](Self::to_yaml) and [`text_format`](Self::text_format).
    fn has_unnamed_device_class(&self) -> bool {
        let Some(cluster) = self.job.ray_cluster() else {
            return false;
        };
        let unnamed = |e: Option<&flyte_ray_models::ExtendedResources>| {
            e.and_then(|e| e.gpu_accelerator())
                .is_some_and(|g| g.device_class() == APPLE_SILICON)
        };
        unnamed(
            cluster
                .head_group_spec()
                .and_then(|h| h.extended_resources()),
        ) || cluster
            .worker_group_spec()
            .iter()
            .any(|w| unnamed(w.extended_resources()))
    }

    /// The deterministic binary encoding of the `RayJob`.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.job.serialize_to_string()
    }

    /// The `custom` mapping written as YAML.
    ///
    /// # Errors
    /// As [`custom_json`](Self::custom_json).
    pub fn to_yaml(&self) -> Result<String, flyte_ray_models::JsonError> {
        if !self.has_unnamed_device_class() {
            return self.job.to_yaml();
        }
        let value = unnamed_device_class_tree(&self.job.to_json()?)?;
        serde_yaml_ng::to_string(&value)
            .map_err(|e| flyte_ray_models::JsonError::Write(e.to_string()))
    }

    /// The protobuf text format of the `RayJob`.
    pub fn text_format(&self) -> String {
        let text = self.job.text_format();
        if !self.has_unnamed_device_class() {
            return text;
        }
        // Every line of the text format is structural (a string's line
        // breaks are escaped), and only an enum value is unquoted, so a line
        // that is exactly this field names the enum.
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            let indent = body.len() - body.trim_start().len();
            if body.trim_start() == "device_class: APPLE_SILICON" {
                out.push_str(&body[..indent]);
                out.push_str("device_class: 5");
                out.push_str(&line[body.len()..]);
            } else {
                out.push_str(line);
            }
        }
        out
    }

    /// flytekit's `short_string()` of the `RayJob`.
    pub fn short_string(&self) -> String {
        self.job.short_string()
    }

    /// The validation layer's findings on the spec (KubeRay's and Flyte's
    /// rules; `docs/VALIDATION.md`).
    pub fn validate(&self) -> Vec<flyte_ray_models::Finding> {
        self.job.validate()
    }
}

/// `flyteidl2.core.GPUAccelerator.DeviceClass.APPLE_SILICON`, which
/// flyteidl2 2.0.51 does not define (flyte 2.12.1 sets the number itself).
const APPLE_SILICON: i32 = 5;

/// The `custom` tree of `json` (our flyteidl2's names) with each group's
/// `extendedResources.gpuAccelerator.deviceClass` `"APPLE_SILICON"` written
/// as the number 5, as `MessageToDict` with flyteidl2 2.0.51 prints it. The
/// tree keeps the key order; only those fields are touched (a label or a
/// ray start parameter of the same name and value stays as it is).
fn unnamed_device_class_tree(
    json: &str,
) -> Result<serde_yaml_ng::Value, flyte_ray_models::JsonError> {
    use serde_yaml_ng::Value as Y;
    let write = |e: String| flyte_ray_models::JsonError::Write(e);
    let mut root: Y = serde_json::from_str(json).map_err(|e| write(e.to_string()))?;
    let fix = |group: &mut Y| {
        if let Some(class) = group
            .get_mut("extendedResources")
            .and_then(|e| e.get_mut("gpuAccelerator"))
            .and_then(|g| g.get_mut("deviceClass"))
            && class.as_str() == Some("APPLE_SILICON")
        {
            *class = Y::Number(APPLE_SILICON.into());
        }
    };
    if let Some(cluster) = root.get_mut("rayCluster") {
        if let Some(head) = cluster.get_mut("headGroupSpec") {
            fix(head);
        }
        if let Some(Y::Sequence(workers)) = cluster.get_mut("workerGroupSpec") {
            workers.iter_mut().for_each(fix);
        }
    }
    Ok(root)
}

/// Builds the spec `sdk` makes of `cfg`.
///
/// # Errors
/// [`BuildError::Sdk`] with the SDK's exception type and message when the
/// SDK raises for this config; [`BuildError::Config`] when `cfg` holds a key
/// of the other SDK (see [`RayJobConfig::from_str`]).
pub fn build(cfg: &RayJobConfig, sdk: Sdk) -> Result<Built, BuildError> {
    let mut warnings = Warnings {
        list: Vec::new(),
        sdk,
    };
    let job = match sdk {
        Sdk::Flytekit => crate::flytekit::build(cfg, &mut warnings)?,
        Sdk::Flyte2 => crate::flyte2::build(cfg, &mut warnings)?,
    };
    warnings.resource_quantities(cfg);
    Ok(Built {
        sdk,
        job,
        warnings: warnings.list,
    })
}

/// Reads a document and builds it: [`RayJobConfig::from_str`] then
/// [`build`].
///
/// # Errors
/// As both.
pub fn build_str(text: &str, sdk: Sdk) -> Result<Built, BuildError> {
    let cfg = RayJobConfig::from_str(text, sdk)?;
    build(&cfg, sdk)
}

/// Protobuf's int32 range check: `ValueError: Value out of range: {n}`.
/// The path is written only when the check fails.
pub(crate) fn int32(v: i128, path: impl fmt::Display) -> Result<i32, SdkError> {
    i32::try_from(v)
        .map_err(|_| SdkError::value(path.to_string(), format!("Value out of range: {v}")))
}

/// A config path that is written only when needed (a warning or an
/// error): `Join(&WorkerPath(1), "requests")` is
/// `worker_node_config[1].requests`. Formatting every path of a valid
/// config eagerly was a large share of `build`.
#[derive(Clone, Copy)]
pub(crate) struct Join<'a>(pub &'a dyn fmt::Display, pub &'static str);

impl fmt::Display for Join<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// `worker_node_config[i]`, written only when needed (see [`Join`]).
#[derive(Clone, Copy)]
pub(crate) struct WorkerPath(pub usize);

impl fmt::Display for WorkerPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "worker_node_config[{}]", self.0)
    }
}

/// The pod spec of a template as the SDK serializes it (`sanitize` then a
/// `Struct`); flytekit's `PodTemplate` fills in `{"containers": []}` when
/// there is none.
pub(crate) fn pod_spec_struct(
    spec: Option<&k8s_openapi::api::core::v1::PodSpec>,
    path: &dyn fmt::Display,
) -> Result<Struct, ConfigError> {
    match spec {
        None => Ok(flyte_ray_k8s::empty_pod_spec()),
        Some(spec) => flyte_ray_k8s::pod_spec_to_struct(spec).map_err(|e| ConfigError::Invalid {
            path: format!("{path}.pod_spec"),
            message: e.to_string(),
        }),
    }
}

/// `runtimeEnv` (base64 of `json.dumps`) and `runtimeEnvYaml`
/// (`yaml.dump`), both only when `runtime_env` is truthy.
pub(crate) fn runtime_env_fields(
    cfg: &RayJobConfig,
) -> Result<Option<(String, String)>, BuildError> {
    let Some(env) = &cfg.runtime_env else {
        return Ok(None);
    };
    if !env.is_set() {
        return Ok(None);
    }
    let (json, yaml) = crate::runtime_env::encode(&env.0)?;
    Ok(Some((
        base64::engine::general_purpose::STANDARD.encode(json.as_bytes()),
        yaml,
    )))
}
