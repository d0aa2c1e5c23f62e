//! The models of `flytekitplugins.ray.models`: [`RayJob`], [`RayCluster`],
//! [`HeadGroupSpec`], [`WorkerGroupSpec`] and [`AutoscalerOptions`].

use std::collections::BTreeMap;

use flyte_ray_idl::flyteidl2::plugins as idl;

use crate::{ExtendedResources, K8sPod, KeyValuePair, Resources, UpscalingMode};

/// A Ray job: the cluster it runs on and how it is run
/// (`flyteidl.plugins.RayJob`, flytekit's `RayJob`).
///
/// This is what a Flyte Ray task stores in `TaskTemplate.custom`.
///
/// ```
/// use flyte_ray_models::{FlyteIdlEntity, RayCluster, RayJob, WorkerGroupSpec};
///
/// let job = RayJob::new(RayCluster::new(vec![WorkerGroupSpec::new("workers", 2)]))
///     .with_shutdown_after_job_finishes(true);
/// let bytes = job.serialize_to_string();
/// assert_eq!(RayJob::from_bytes(&bytes).unwrap(), job);
/// assert_eq!(job.ray_cluster().unwrap().worker_group_spec()[0].replicas(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RayJob {
    pub(crate) ray_cluster: Option<RayCluster>,
    pub(crate) runtime_env: String,
    pub(crate) shutdown_after_job_finishes: bool,
    pub(crate) ttl_seconds_after_finished: i32,
    pub(crate) runtime_env_yaml: String,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl RayJob {
    /// flytekit's `RayJob(ray_cluster)`: no runtime environment, no TTL,
    /// `shutdown_after_job_finishes=False`.
    pub fn new(ray_cluster: RayCluster) -> Self {
        Self {
            ray_cluster: Some(ray_cluster),
            ..Self::default()
        }
    }

    /// Sets the deprecated `runtime_env` (base64 of the environment's JSON;
    /// KubeRay ≥ 1.1 ignores it in favour of `runtime_env_yaml`).
    #[must_use]
    pub fn with_runtime_env(mut self, runtime_env: impl Into<String>) -> Self {
        self.runtime_env = runtime_env.into();
        self
    }

    /// Sets the runtime environment as YAML.
    #[must_use]
    pub fn with_runtime_env_yaml(mut self, runtime_env_yaml: impl Into<String>) -> Self {
        self.runtime_env_yaml = runtime_env_yaml.into();
        self
    }

    /// Sets the seconds the cluster is kept after the job finishes.
    #[must_use]
    pub fn with_ttl_seconds_after_finished(mut self, seconds: i32) -> Self {
        self.ttl_seconds_after_finished = seconds;
        self
    }

    /// Sets whether the cluster is deleted when the job finishes.
    #[must_use]
    pub fn with_shutdown_after_job_finishes(mut self, shutdown: bool) -> Self {
        self.shutdown_after_job_finishes = shutdown;
        self
    }

    /// The cluster; `None` when the message has none (Flyte's backend
    /// rejects such a job: see validation).
    pub fn ray_cluster(&self) -> Option<&RayCluster> {
        self.ray_cluster.as_ref()
    }

    /// The cluster, mutably.
    pub fn ray_cluster_mut(&mut self) -> Option<&mut RayCluster> {
        self.ray_cluster.as_mut()
    }

    /// Replaces (or removes) the cluster.
    pub fn set_ray_cluster(&mut self, ray_cluster: Option<RayCluster>) {
        self.ray_cluster = ray_cluster;
    }

    /// The deprecated base64-of-JSON runtime environment; empty when unset.
    pub fn runtime_env(&self) -> &str {
        &self.runtime_env
    }

    /// The runtime environment as YAML; empty when unset.
    pub fn runtime_env_yaml(&self) -> &str {
        &self.runtime_env_yaml
    }

    /// Seconds the cluster is kept after the job finishes; 0 when unset.
    pub fn ttl_seconds_after_finished(&self) -> i32 {
        self.ttl_seconds_after_finished
    }

    /// Whether the cluster is deleted when the job finishes.
    pub fn shutdown_after_job_finishes(&self) -> bool {
        self.shutdown_after_job_finishes
    }
}

/// A Ray cluster: one head group and any number of worker groups
/// (`flyteidl.plugins.RayCluster`, flytekit's `RayCluster`).
///
/// ```
/// use flyte_ray_models::{AutoscalerOptions, HeadGroupSpec, RayCluster, WorkerGroupSpec};
///
/// let cluster = RayCluster::new(vec![WorkerGroupSpec::new("gpu", 1).with_max_replicas(4)])
///     .with_head_group_spec(HeadGroupSpec::new())
///     .with_enable_autoscaling(true)
///     .with_autoscaler_options(AutoscalerOptions::new().with_idle_timeout_seconds(60));
/// assert!(cluster.enable_autoscaling());
/// assert_eq!(cluster.autoscaler_options().unwrap().idle_timeout_seconds(), 60);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RayCluster {
    pub(crate) head_group_spec: Option<HeadGroupSpec>,
    pub(crate) worker_group_spec: Vec<WorkerGroupSpec>,
    pub(crate) enable_autoscaling: bool,
    pub(crate) autoscaler_options: Option<AutoscalerOptions>,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl RayCluster {
    /// flytekit's `RayCluster(worker_group_spec)`: no head group spec,
    /// autoscaling off, no autoscaler options.
    pub fn new(worker_group_spec: Vec<WorkerGroupSpec>) -> Self {
        Self {
            worker_group_spec,
            ..Self::default()
        }
    }

    /// Sets the head group.
    #[must_use]
    pub fn with_head_group_spec(mut self, head: HeadGroupSpec) -> Self {
        self.head_group_spec = Some(head);
        self
    }

    /// Turns the in-tree autoscaler on or off.
    #[must_use]
    pub fn with_enable_autoscaling(mut self, enable: bool) -> Self {
        self.enable_autoscaling = enable;
        self
    }

    /// Sets the autoscaler options.
    #[must_use]
    pub fn with_autoscaler_options(mut self, options: AutoscalerOptions) -> Self {
        self.autoscaler_options = Some(options);
        self
    }

    /// The head group; `None` when absent (a present but empty one is
    /// `Some`, and stays so through every round trip).
    pub fn head_group_spec(&self) -> Option<&HeadGroupSpec> {
        self.head_group_spec.as_ref()
    }

    /// The head group, mutably.
    pub fn head_group_spec_mut(&mut self) -> Option<&mut HeadGroupSpec> {
        self.head_group_spec.as_mut()
    }

    /// Replaces (or removes) the head group.
    pub fn set_head_group_spec(&mut self, head: Option<HeadGroupSpec>) {
        self.head_group_spec = head;
    }

    /// The worker groups, in order.
    pub fn worker_group_spec(&self) -> &[WorkerGroupSpec] {
        &self.worker_group_spec
    }

    /// The worker groups, mutably.
    pub fn worker_group_spec_mut(&mut self) -> &mut Vec<WorkerGroupSpec> {
        &mut self.worker_group_spec
    }

    /// Whether the in-tree autoscaler runs.
    pub fn enable_autoscaling(&self) -> bool {
        self.enable_autoscaling
    }

    /// The autoscaler options; `None` when absent.
    pub fn autoscaler_options(&self) -> Option<&AutoscalerOptions> {
        self.autoscaler_options.as_ref()
    }

    /// Replaces (or removes) the autoscaler options.
    pub fn set_autoscaler_options(&mut self, options: Option<AutoscalerOptions>) {
        self.autoscaler_options = options;
    }
}

/// The head node group (`flyteidl.plugins.HeadGroupSpec`, flytekit's
/// `HeadGroupSpec`).
///
/// ```
/// use flyte_ray_models::HeadGroupSpec;
///
/// let head = HeadGroupSpec::new().with_ray_start_params([("num-cpus", "0")]);
/// assert_eq!(head.ray_start_params()["num-cpus"], "0");
/// assert!(head.k8s_pod().is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadGroupSpec {
    pub(crate) ray_start_params: BTreeMap<String, String>,
    pub(crate) k8s_pod: Option<K8sPod>,
    pub(crate) extended_resources: Option<ExtendedResources>,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl HeadGroupSpec {
    /// flytekit's `HeadGroupSpec()`: no start parameters, no pod.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the `ray start` parameters.
    #[must_use]
    pub fn with_ray_start_params<K: Into<String>, V: Into<String>>(
        mut self,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.ray_start_params = collect_map(params);
        self
    }

    /// Sets the pod template.
    #[must_use]
    pub fn with_k8s_pod(mut self, pod: K8sPod) -> Self {
        self.k8s_pod = Some(pod);
        self
    }

    /// The `ray start` parameters, sorted by key.
    pub fn ray_start_params(&self) -> &BTreeMap<String, String> {
        &self.ray_start_params
    }

    /// The `ray start` parameters, mutably.
    pub fn ray_start_params_mut(&mut self) -> &mut BTreeMap<String, String> {
        &mut self.ray_start_params
    }

    /// The pod template; `None` when absent.
    pub fn k8s_pod(&self) -> Option<&K8sPod> {
        self.k8s_pod.as_ref()
    }

    /// Replaces (or removes) the pod template.
    pub fn set_k8s_pod(&mut self, pod: Option<K8sPod>) {
        self.k8s_pod = pod;
    }

    /// Sets the extended resources (GPU accelerator, shared memory): a
    /// flyteidl2 field, which a Flyte 1 backend does not know.
    #[must_use]
    pub fn with_extended_resources(mut self, extended_resources: ExtendedResources) -> Self {
        self.extended_resources = Some(extended_resources);
        self
    }

    /// The extended resources; `None` when absent.
    pub fn extended_resources(&self) -> Option<&ExtendedResources> {
        self.extended_resources.as_ref()
    }

    /// The extended resources, mutably.
    pub fn extended_resources_mut(&mut self) -> Option<&mut ExtendedResources> {
        self.extended_resources.as_mut()
    }

    /// Replaces (or removes) the extended resources.
    pub fn set_extended_resources(&mut self, extended_resources: Option<ExtendedResources>) {
        self.extended_resources = extended_resources;
    }
}

/// One worker node group (`flyteidl.plugins.WorkerGroupSpec`, flytekit's
/// `WorkerGroupSpec`).
///
/// Construction follows flytekit: `min_replicas` and `max_replicas` start at
/// `replicas`; [`with_min_replicas`](Self::with_min_replicas) and
/// [`with_max_replicas`](Self::with_max_replicas) clamp silently, as flytekit
/// does (`min = min(replicas, min_replicas)`, `max = max(replicas,
/// max_replicas)`), so a constructed group always has `min <= replicas <=
/// max`. Decoding keeps whatever the message says (use
/// [`set_min_replicas`](Self::set_min_replicas) and friends to set raw values).
///
/// ```
/// use flyte_ray_models::WorkerGroupSpec;
///
/// let g = WorkerGroupSpec::new("gpu", 3);
/// assert_eq!((g.min_replicas(), g.max_replicas()), (3, 3));
/// // flytekit clamps: a minimum above replicas falls to replicas,
/// // a maximum below replicas rises to replicas.
/// let g = WorkerGroupSpec::new("gpu", 3).with_min_replicas(5).with_max_replicas(1);
/// assert_eq!((g.min_replicas(), g.max_replicas()), (3, 3));
/// let g = WorkerGroupSpec::new("gpu", 3).with_min_replicas(1).with_max_replicas(8);
/// assert_eq!((g.min_replicas(), g.max_replicas()), (1, 8));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkerGroupSpec {
    pub(crate) group_name: String,
    pub(crate) replicas: i32,
    pub(crate) min_replicas: i32,
    pub(crate) max_replicas: i32,
    pub(crate) ray_start_params: BTreeMap<String, String>,
    pub(crate) k8s_pod: Option<K8sPod>,
    pub(crate) extended_resources: Option<ExtendedResources>,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl WorkerGroupSpec {
    /// flytekit's `WorkerGroupSpec(group_name, replicas)`: minimum and
    /// maximum equal to `replicas`, no start parameters, no pod.
    pub fn new(group_name: impl Into<String>, replicas: i32) -> Self {
        Self {
            group_name: group_name.into(),
            replicas,
            min_replicas: replicas,
            max_replicas: replicas,
            ..Self::default()
        }
    }

    /// flytekit's full constructor, `WorkerGroupSpec(group_name, replicas,
    /// min_replicas, max_replicas, ray_start_params, k8s_pod)`, with its
    /// clamping of `min_replicas` and `max_replicas`.
    pub fn with_options(
        group_name: impl Into<String>,
        replicas: i32,
        min_replicas: Option<i32>,
        max_replicas: Option<i32>,
        ray_start_params: Option<BTreeMap<String, String>>,
        k8s_pod: Option<K8sPod>,
    ) -> Self {
        let mut g = Self::new(group_name, replicas);
        if let Some(min) = min_replicas {
            g = g.with_min_replicas(min);
        }
        if let Some(max) = max_replicas {
            g = g.with_max_replicas(max);
        }
        g.ray_start_params = ray_start_params.unwrap_or_default();
        g.k8s_pod = k8s_pod;
        g
    }

    /// Sets the minimum as flytekit does: `min(replicas, min_replicas)`.
    #[must_use]
    pub fn with_min_replicas(mut self, min_replicas: i32) -> Self {
        self.min_replicas = self.replicas.min(min_replicas);
        self
    }

    /// Sets the maximum as flytekit does: `max(replicas, max_replicas)`.
    #[must_use]
    pub fn with_max_replicas(mut self, max_replicas: i32) -> Self {
        self.max_replicas = self.replicas.max(max_replicas);
        self
    }

    /// Sets the `ray start` parameters.
    #[must_use]
    pub fn with_ray_start_params<K: Into<String>, V: Into<String>>(
        mut self,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.ray_start_params = collect_map(params);
        self
    }

    /// Sets the pod template.
    #[must_use]
    pub fn with_k8s_pod(mut self, pod: K8sPod) -> Self {
        self.k8s_pod = Some(pod);
        self
    }

    /// The group's name.
    pub fn group_name(&self) -> &str {
        &self.group_name
    }

    /// Number of workers to start.
    pub fn replicas(&self) -> i32 {
        self.replicas
    }

    /// Fewest workers the autoscaler keeps.
    pub fn min_replicas(&self) -> i32 {
        self.min_replicas
    }

    /// Most workers the autoscaler adds.
    pub fn max_replicas(&self) -> i32 {
        self.max_replicas
    }

    /// Sets the name.
    pub fn set_group_name(&mut self, name: impl Into<String>) {
        self.group_name = name.into();
    }

    /// Sets `replicas` as is (no clamping of minimum or maximum).
    pub fn set_replicas(&mut self, replicas: i32) {
        self.replicas = replicas;
    }

    /// Sets `min_replicas` as is (no clamping).
    pub fn set_min_replicas(&mut self, min_replicas: i32) {
        self.min_replicas = min_replicas;
    }

    /// Sets `max_replicas` as is (no clamping).
    pub fn set_max_replicas(&mut self, max_replicas: i32) {
        self.max_replicas = max_replicas;
    }

    /// The `ray start` parameters, sorted by key.
    pub fn ray_start_params(&self) -> &BTreeMap<String, String> {
        &self.ray_start_params
    }

    /// The `ray start` parameters, mutably.
    pub fn ray_start_params_mut(&mut self) -> &mut BTreeMap<String, String> {
        &mut self.ray_start_params
    }

    /// The pod template; `None` when absent.
    pub fn k8s_pod(&self) -> Option<&K8sPod> {
        self.k8s_pod.as_ref()
    }

    /// Replaces (or removes) the pod template.
    pub fn set_k8s_pod(&mut self, pod: Option<K8sPod>) {
        self.k8s_pod = pod;
    }

    /// Sets the extended resources (GPU accelerator, shared memory): a
    /// flyteidl2 field, which a Flyte 1 backend does not know.
    #[must_use]
    pub fn with_extended_resources(mut self, extended_resources: ExtendedResources) -> Self {
        self.extended_resources = Some(extended_resources);
        self
    }

    /// The extended resources; `None` when absent.
    pub fn extended_resources(&self) -> Option<&ExtendedResources> {
        self.extended_resources.as_ref()
    }

    /// The extended resources, mutably.
    pub fn extended_resources_mut(&mut self) -> Option<&mut ExtendedResources> {
        self.extended_resources.as_mut()
    }

    /// Replaces (or removes) the extended resources.
    pub fn set_extended_resources(&mut self, extended_resources: Option<ExtendedResources>) {
        self.extended_resources = extended_resources;
    }
}

/// Settings of the Ray autoscaler (`flyteidl.plugins.AutoscalerOptions`,
/// flytekit's `AutoscalerOptions`). Every field is optional.
///
/// Unlike flytekit, which keeps `env` in a dict, the environment is a list of
/// pairs: order and repeated keys survive every round trip.
///
/// ```
/// use flyte_ray_models::{AutoscalerOptions, UpscalingMode};
///
/// let a = AutoscalerOptions::new()
///     .with_upscaling_mode(UpscalingMode::Conservative)
///     .with_env([("AUTOSCALER_LOG_LEVEL", "INFO")]);
/// assert_eq!(a.upscaling_mode(), UpscalingMode::Conservative as i32);
/// assert_eq!(a.upscaling_mode_enum(), Some(UpscalingMode::Conservative));
/// assert_eq!(a.env()[0].key, "AUTOSCALER_LOG_LEVEL");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AutoscalerOptions {
    pub(crate) upscaling_mode: i32,
    pub(crate) idle_timeout_seconds: i32,
    pub(crate) env: Vec<KeyValuePair>,
    pub(crate) image: String,
    pub(crate) resources: Option<Resources>,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
    /// The unknown fields of `env` entries (`KeyValuePair` is a prost
    /// struct, which cannot hold them): entry index and fields, ascending.
    /// Written back after that entry's known fields; editing `env` through
    /// [`env_mut`](Self::env_mut) leaves them at their index.
    pub(crate) env_unknown: Vec<(usize, crate::unknown_fields::UnknownFields)>,
}

impl AutoscalerOptions {
    /// flytekit's `AutoscalerOptions()`: nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the upscaling mode.
    #[must_use]
    pub fn with_upscaling_mode(mut self, mode: UpscalingMode) -> Self {
        self.upscaling_mode = mode as i32;
        self
    }

    /// Sets the idle timeout.
    #[must_use]
    pub fn with_idle_timeout_seconds(mut self, seconds: i32) -> Self {
        self.idle_timeout_seconds = seconds;
        self
    }

    /// Sets the autoscaler image.
    #[must_use]
    pub fn with_image(mut self, image: impl Into<String>) -> Self {
        self.image = image.into();
        self
    }

    /// Sets the environment variables, in the order given.
    #[must_use]
    pub fn with_env<K: Into<String>, V: Into<String>>(
        mut self,
        env: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.env = env
            .into_iter()
            .map(|(k, v)| KeyValuePair {
                key: k.into(),
                value: v.into(),
            })
            .collect();
        self
    }

    /// Sets the autoscaler container's resources.
    #[must_use]
    pub fn with_resources(mut self, resources: Resources) -> Self {
        self.resources = Some(resources);
        self
    }

    /// The upscaling mode as its number (any number the message carries,
    /// known or not; 0 when unset).
    pub fn upscaling_mode(&self) -> i32 {
        self.upscaling_mode
    }

    /// The upscaling mode, or `None` for a number the enum does not define.
    pub fn upscaling_mode_enum(&self) -> Option<UpscalingMode> {
        UpscalingMode::try_from(self.upscaling_mode).ok()
    }

    /// Sets the upscaling mode to any number, known or not.
    pub fn set_upscaling_mode(&mut self, mode: i32) {
        self.upscaling_mode = mode;
    }

    /// Seconds an idle node lives; 0 when unset.
    pub fn idle_timeout_seconds(&self) -> i32 {
        self.idle_timeout_seconds
    }

    /// Sets the idle timeout.
    pub fn set_idle_timeout_seconds(&mut self, seconds: i32) {
        self.idle_timeout_seconds = seconds;
    }

    /// The autoscaler image; empty when unset.
    pub fn image(&self) -> &str {
        &self.image
    }

    /// The environment variables, in order, repeated keys kept.
    pub fn env(&self) -> &[KeyValuePair] {
        &self.env
    }

    /// The environment variables, mutably.
    pub fn env_mut(&mut self) -> &mut Vec<KeyValuePair> {
        &mut self.env
    }

    /// The autoscaler container's resources; `None` when absent.
    pub fn resources(&self) -> Option<&Resources> {
        self.resources.as_ref()
    }
}

/// A string map from any pairs of string-likes (the `with_*` builders).
pub(crate) fn collect_map<K: Into<String>, V: Into<String>>(
    items: impl IntoIterator<Item = (K, V)>,
) -> BTreeMap<String, String> {
    items
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

// ---- conversions to and from the IDL: moves, no copies -------------------

crate::convert::mirror!(
    RayJob,
    idl::RayJob {
        ray_cluster: opt,
        runtime_env: same,
        shutdown_after_job_finishes: same,
        ttl_seconds_after_finished: same,
        runtime_env_yaml: same,
    }
);
crate::convert::mirror!(
    RayCluster,
    idl::RayCluster {
        head_group_spec: opt,
        worker_group_spec: vec,
        enable_autoscaling: same,
        autoscaler_options: opt,
    }
);
crate::convert::mirror!(
    HeadGroupSpec,
    idl::HeadGroupSpec {
        ray_start_params: same,
        k8s_pod: opt,
        extended_resources: opt,
    }
);
crate::convert::mirror!(
    WorkerGroupSpec,
    idl::WorkerGroupSpec {
        group_name: same,
        replicas: same,
        min_replicas: same,
        max_replicas: same,
        ray_start_params: same,
        k8s_pod: opt,
        extended_resources: opt,
    }
);
crate::convert::mirror!(
    AutoscalerOptions,
    idl::AutoscalerOptions {
        upscaling_mode: same,
        idle_timeout_seconds: same,
        env: same,
        image: same,
        resources: opt,
    }
);
