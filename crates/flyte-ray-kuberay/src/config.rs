//! The plugin configuration the renderer reads: Flyte's `plugins.ray`
//! (flyteplugins `k8s/ray/config.go`) and the `plugins.k8s` keys that
//! change the rendered resource (`flytek8s/config/config.go`), with
//! upstream's defaults (RENDERING.md §2.4, §2.5).
//!
//! Kubernetes objects in the configuration (tolerations, affinity, the logs
//! sidecar, …) are kept as JSON and decoded as Go decodes them when a
//! resource is rendered.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// Why the plugin configuration cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Not YAML (or JSON).
    #[error("plugin config: {0}")]
    Yaml(#[from] serde_yaml_ng::Error),
    /// A key has a value of the wrong type.
    #[error("plugin config: {path}: {message}")]
    Value {
        /// Where (`plugins.ray.ttlSecondsAfterFinished`).
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// `plugins.ray`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct RayConfig {
    /// Default `true`.
    pub shutdown_after_job_finishes: bool,
    /// Default `3600`.
    pub ttl_seconds_after_finished: i32,
    /// Default `"NodePort"`.
    pub service_type: String,
    /// Default `false`.
    pub enable_ingress: bool,
    /// Default `true`.
    pub include_dashboard: bool,
    /// Default `"0.0.0.0"`.
    pub dashboard_host: String,
    /// Deprecated; copied into an empty `defaults.*.ipAddress`.
    #[serde(rename = "nodeIPAddress")]
    pub node_ip_address: String,
    /// Per-node-type defaults.
    pub defaults: RayDefaults,
    /// Default `false`.
    pub enable_usage_stats: bool,
    /// Default `""`; a non-empty value overrides the task's service account.
    /// Flyte 2: the fallback when the task has none, `"default"` when empty.
    pub service_account: String,
    /// Flyte 2 only (`submissionMode`, RENDERING.md §18): `K8sJobMode`
    /// (unset or `""`), `HTTPMode` or `SidecarMode`; anything else fails
    /// the render. Flyte v1 has no such key (reported as ignored).
    pub submission_mode: Option<String>,
    /// The logs sidecar container (a Kubernetes `Container`), default none.
    pub logs_sidecar: Option<Value>,
    /// Log links of the task events (no effect on the resource; read by
    /// [`status::task_phase`](crate::status::task_phase)); default: none.
    pub logs: crate::status::LogConfig,
    /// The Ray dashboard link, added while the dashboard is up; default none.
    #[serde(rename = "dashboardURLTemplate")]
    pub dashboard_url_template: Option<crate::status::TemplateLogPlugin>,
}

/// `plugins.ray.defaults`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct RayDefaults {
    /// Head node defaults.
    pub head_node: NodeDefaults,
    /// Worker node defaults.
    pub worker_node: NodeDefaults,
}

/// `plugins.ray.defaults.headNode` / `.workerNode`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct NodeDefaults {
    /// Default `{"disable-usage-stats": "true"}`.
    pub start_parameters: BTreeMap<String, String>,
    /// Default `"$MY_POD_IP"`.
    #[serde(rename = "ipAddress")]
    pub ip_address: String,
}

impl Default for NodeDefaults {
    fn default() -> Self {
        NodeDefaults {
            start_parameters: BTreeMap::from([(
                "disable-usage-stats".to_owned(),
                "true".to_owned(),
            )]),
            ip_address: "$MY_POD_IP".to_owned(),
        }
    }
}

impl Default for RayConfig {
    fn default() -> Self {
        RayConfig {
            shutdown_after_job_finishes: true,
            ttl_seconds_after_finished: 3600,
            service_type: "NodePort".to_owned(),
            enable_ingress: false,
            include_dashboard: true,
            dashboard_host: "0.0.0.0".to_owned(),
            node_ip_address: String::new(),
            defaults: RayDefaults::default(),
            enable_usage_stats: false,
            service_account: String::new(),
            submission_mode: None,
            logs_sidecar: None,
            logs: crate::status::LogConfig::default(),
            dashboard_url_template: None,
        }
    }
}

impl RayConfig {
    /// Every field at its Go zero value (what a Go struct literal gives, as
    /// the upstream tests use it).
    pub fn zero() -> Self {
        RayConfig {
            shutdown_after_job_finishes: false,
            ttl_seconds_after_finished: 0,
            service_type: String::new(),
            enable_ingress: false,
            include_dashboard: false,
            dashboard_host: String::new(),
            node_ip_address: String::new(),
            defaults: RayDefaults {
                head_node: NodeDefaults {
                    start_parameters: BTreeMap::new(),
                    ip_address: String::new(),
                },
                worker_node: NodeDefaults {
                    start_parameters: BTreeMap::new(),
                    ip_address: String::new(),
                },
            },
            enable_usage_stats: false,
            service_account: String::new(),
            submission_mode: None,
            logs_sidecar: None,
            logs: crate::status::LogConfig::default(),
            dashboard_url_template: None,
        }
    }
}

/// The `plugins.k8s` keys that change the rendered resource.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct K8sConfig {
    /// Default `{"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"}`.
    pub default_annotations: BTreeMap<String, String>,
    /// Default none.
    pub default_labels: BTreeMap<String, String>,
    /// Env added to every container (rendered sorted by name; Go: map order).
    pub default_env_vars: BTreeMap<String, String>,
    /// Env whose values come from propeller's environment (see
    /// [`ExecutionMetadata::propeller_env`](crate::ExecutionMetadata::propeller_env)).
    pub default_env_vars_from_env: BTreeMap<String, String>,
    /// `envFrom` secret names.
    pub default_env_from_secrets: Vec<String>,
    /// `envFrom` config map names.
    pub default_env_from_configmaps: Vec<String>,
    /// Default `1000m`.
    pub default_cpus: String,
    /// Default `1024Mi`.
    pub default_memory: String,
    /// Tolerations added to every pod.
    pub default_tolerations: Vec<Value>,
    /// Node selector of every pod.
    pub default_node_selector: BTreeMap<String, String>,
    /// Affinity of pods without one.
    pub default_affinity: Option<Value>,
    /// `schedulerName` when unset.
    pub scheduler_name: String,
    /// Tolerations of interruptible pods.
    pub interruptible_tolerations: Vec<Value>,
    /// Node selector of interruptible pods (deprecated upstream).
    pub interruptible_node_selector: BTreeMap<String, String>,
    /// Node selector requirement of interruptible pods.
    pub interruptible_node_selector_requirement: Option<Value>,
    /// Node selector requirement of non-interruptible pods.
    pub non_interruptible_node_selector_requirement: Option<Value>,
    /// Tolerations per resource name.
    pub resource_tolerations: BTreeMap<String, Vec<Value>>,
    /// Container-target `imagePullPolicy`.
    pub image_pull_policy: String,
    /// Default `nvidia.com/gpu`.
    pub gpu_resource_name: String,
    /// Default `k8s.amazonaws.com/accelerator`.
    pub gpu_device_node_label: String,
    /// Default `k8s.amazonaws.com/gpu-partition-size`.
    pub gpu_partition_size_node_label: String,
    /// Requirement for unpartitioned GPUs.
    pub gpu_unpartitioned_node_selector_requirement: Option<Value>,
    /// Toleration for unpartitioned GPUs.
    pub gpu_unpartitioned_toleration: Option<Value>,
    /// Pod `securityContext` when unset.
    pub default_pod_security_context: Option<Value>,
    /// Primary container `securityContext` when unset.
    pub default_security_context: Option<Value>,
    /// `hostNetwork`, when set (overwrites).
    pub enable_host_networking_pod: Option<bool>,
    /// Pod `dnsConfig` when unset.
    pub default_pod_dns_config: Option<Value>,
    /// Base PodTemplate name.
    pub default_pod_template_name: String,
    /// Extended resources that get a toleration.
    pub add_tolerations_for_extended_resources: Vec<String>,
    /// Adds the finalizer `flyte.org/finalizer-k8s`.
    pub inject_finalizer: bool,
    /// Flyte 2 only (`disable-inject-owner-references`, §18): no
    /// `ownerReferences` on the CR. Default `false`; Flyte v1 always sets
    /// them (reported as ignored).
    pub disable_inject_owner_references: bool,
}

impl Default for K8sConfig {
    fn default() -> Self {
        K8sConfig {
            default_annotations: BTreeMap::from([(
                "cluster-autoscaler.kubernetes.io/safe-to-evict".to_owned(),
                "false".to_owned(),
            )]),
            default_cpus: "1000m".to_owned(),
            default_memory: "1024Mi".to_owned(),
            gpu_resource_name: "nvidia.com/gpu".to_owned(),
            gpu_device_node_label: "k8s.amazonaws.com/accelerator".to_owned(),
            gpu_partition_size_node_label: "k8s.amazonaws.com/gpu-partition-size".to_owned(),
            ..K8sConfig::zero()
        }
    }
}

impl K8sConfig {
    /// Every key at its Go zero value (`SetK8sPluginConfig(&K8sPluginConfig{})`).
    pub fn zero() -> Self {
        K8sConfig {
            default_annotations: BTreeMap::new(),
            default_labels: BTreeMap::new(),
            default_env_vars: BTreeMap::new(),
            default_env_vars_from_env: BTreeMap::new(),
            default_env_from_secrets: Vec::new(),
            default_env_from_configmaps: Vec::new(),
            default_cpus: String::new(),
            default_memory: String::new(),
            default_tolerations: Vec::new(),
            default_node_selector: BTreeMap::new(),
            default_affinity: None,
            scheduler_name: String::new(),
            interruptible_tolerations: Vec::new(),
            interruptible_node_selector: BTreeMap::new(),
            interruptible_node_selector_requirement: None,
            non_interruptible_node_selector_requirement: None,
            resource_tolerations: BTreeMap::new(),
            image_pull_policy: String::new(),
            gpu_resource_name: String::new(),
            gpu_device_node_label: String::new(),
            gpu_partition_size_node_label: String::new(),
            gpu_unpartitioned_node_selector_requirement: None,
            gpu_unpartitioned_toleration: None,
            default_pod_security_context: None,
            default_security_context: None,
            enable_host_networking_pod: None,
            default_pod_dns_config: None,
            default_pod_template_name: String::new(),
            add_tolerations_for_extended_resources: Vec::new(),
            inject_finalizer: false,
            disable_inject_owner_references: false,
        }
    }
}

/// Both configurations.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PluginConfig {
    /// `plugins.ray`.
    pub ray: RayConfig,
    /// `plugins.k8s`.
    pub k8s: K8sConfig,
    /// Keys the renderer does not read (reported as warnings by `render`).
    pub ignored_keys: Vec<String>,
    /// Whether the YAML set `plugins.ray.enableIngress`, a key Flyte 2 no
    /// longer has (it hard-codes `true`, §18): reported by a v2 render.
    pub(crate) enable_ingress_set: bool,
}

const RAY_KEYS: &[&str] = &[
    "shutdownAfterJobFinishes",
    "ttlSecondsAfterFinished",
    "serviceType",
    "enableIngress",
    "includeDashboard",
    "dashboardHost",
    "nodeIPAddress",
    "defaults",
    "enableUsageStats",
    "serviceAccount",
    "submissionMode",
    "logsSidecar",
    "logs",
    "dashboardURLTemplate",
];
/// Keys of `plugins.ray` that exist upstream but do not change the resource.
const RAY_NO_EFFECT: &[&str] = &["remoteClusterConfig"];

impl PluginConfig {
    /// Both configurations from Flyte's YAML: a document with
    /// `plugins: {ray: …, k8s: …}` (either may be missing: defaults), or one
    /// with `ray:`/`k8s:` at the top.
    ///
    /// ```
    /// use flyte_ray_kuberay::PluginConfig;
    ///
    /// let c = PluginConfig::from_yaml("plugins:\n  ray:\n    ttlSecondsAfterFinished: 60\n").unwrap();
    /// assert_eq!(c.ray.ttl_seconds_after_finished, 60);
    /// assert!(c.ray.shutdown_after_job_finishes); // default
    /// assert_eq!(c.k8s.default_cpus, "1000m"); // default
    /// ```
    pub fn from_yaml(text: &str) -> Result<Self, ConfigError> {
        let doc: Value = serde_yaml_ng::from_str(text)?;
        let root = doc.get("plugins").unwrap_or(&doc);
        let mut ignored = Vec::new();
        let enable_ingress_set = root
            .get("ray")
            .and_then(|r| r.get("enableIngress"))
            .is_some();
        let ray = match root.get("ray") {
            None | Some(Value::Null) => RayConfig::default(),
            Some(v) => {
                if let Some(o) = v.as_object() {
                    for k in o.keys() {
                        if !RAY_KEYS.contains(&k.as_str()) {
                            ignored.push(format!("plugins.ray.{k}"));
                        }
                    }
                }
                let mut ray: RayConfig = from_value(v, "plugins.ray")?;
                // config.go's update callback: the deprecated key fills empty addresses.
                if !ray.node_ip_address.is_empty() {
                    for node in [&mut ray.defaults.head_node, &mut ray.defaults.worker_node] {
                        if node.ip_address.is_empty() {
                            node.ip_address.clone_from(&ray.node_ip_address);
                        }
                    }
                }
                ray
            }
        };
        ignored.retain(|k| {
            !RAY_NO_EFFECT
                .iter()
                .any(|n| k == &format!("plugins.ray.{n}"))
        });
        let k8s = match root.get("k8s") {
            None | Some(Value::Null) => K8sConfig::default(),
            Some(v) => {
                if let Some(o) = v.as_object() {
                    for k in o.keys() {
                        if !K8S_KEYS.contains(&k.as_str()) {
                            ignored.push(format!("plugins.k8s.{k}"));
                        }
                    }
                }
                from_value(v, "plugins.k8s")?
            }
        };
        Ok(PluginConfig {
            ray,
            k8s,
            ignored_keys: ignored,
            enable_ingress_set,
        })
    }
}

/// The keys of [`K8sConfig`].
const K8S_KEYS: &[&str] = &[
    "default-annotations",
    "default-labels",
    "default-env-vars",
    "default-env-vars-from-env",
    "default-env-from-secrets",
    "default-env-from-configmaps",
    "default-cpus",
    "default-memory",
    "default-tolerations",
    "default-node-selector",
    "default-affinity",
    "scheduler-name",
    "interruptible-tolerations",
    "interruptible-node-selector",
    "interruptible-node-selector-requirement",
    "non-interruptible-node-selector-requirement",
    "resource-tolerations",
    "image-pull-policy",
    "gpu-resource-name",
    "gpu-device-node-label",
    "gpu-partition-size-node-label",
    "gpu-unpartitioned-node-selector-requirement",
    "gpu-unpartitioned-toleration",
    "default-pod-security-context",
    "default-security-context",
    "enable-host-networking-pod",
    "default-pod-dns-config",
    "default-pod-template-name",
    "add-tolerations-for-extended-resources",
    "inject-finalizer",
    "disable-inject-owner-references",
];

fn from_value<T: serde::de::DeserializeOwned>(v: &Value, path: &str) -> Result<T, ConfigError> {
    serde_json::from_value(v.clone()).map_err(|e| ConfigError::Value {
        path: path.to_owned(),
        message: e.to_string(),
    })
}
