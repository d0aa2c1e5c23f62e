//! The rule table: every rule's stable identifier, severity, origin and a
//! one-line summary. `docs/VALIDATION.md` explains each (a test checks that
//! it lists them all).

use super::{Origin, Severity};

/// One validation rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Rule {
    /// Stable identifier, kebab-case (`"worker-group-name-invalid"`); what
    /// [`Finding::rule`](super::Finding::rule) holds.
    pub id: &'static str,
    /// Severity of every finding of this rule.
    pub severity: Severity,
    /// Whose rule it is.
    pub origin: Origin,
    /// What the rule checks, in one line.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $sev:ident, $origin:ident, $summary:literal;)*) => {
        $(
            pub(super) const $name: Rule = Rule {
                id: $id,
                severity: Severity::$sev,
                origin: Origin::$origin,
                summary: $summary,
            };
        )*

        /// Every rule, in the order `docs/VALIDATION.md` lists them.
        ///
        /// ```
        /// use flyte_ray_models::validate::RULES;
        ///
        /// assert!(RULES.iter().any(|r| r.id == "ray-cluster-missing"));
        /// ```
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    RAY_CLUSTER_MISSING = "ray-cluster-missing", Error, FlyteBackend,
        "a RayJob has no rayCluster";
    TTL_NEGATIVE = "ttl-negative", Error, KubeRay,
        "ttlSecondsAfterFinished is negative";
    RUNTIME_ENV_YAML_INVALID = "runtime-env-yaml-invalid", Error, KubeRay,
        "runtimeEnvYaml is not a YAML mapping (empty is fine)";
    RUNTIME_ENV_INVALID = "runtime-env-invalid", Error, FlyteBackend,
        "the deprecated runtimeEnv is not base64 of a JSON object";
    WORKER_GROUP_NAME_EMPTY = "worker-group-name-empty", Error, KubeRay,
        "a worker group's groupName is empty";
    WORKER_GROUP_NAME_DUPLICATE = "worker-group-name-duplicate", Error, KubeRay,
        "two worker groups have the same groupName";
    WORKER_GROUP_NAME_INVALID = "worker-group-name-invalid", Error, Kubernetes,
        "a groupName is not a valid Kubernetes label value (it becomes the ray.io/group label)";
    WORKER_GROUP_NAME_RESERVED = "worker-group-name-reserved", Error, KubeRay,
        "a groupName is `headgroup`, the head pod's ray.io/group value";
    WORKER_REPLICAS_NEGATIVE = "worker-replicas-negative", Error, KubeRay,
        "replicas, minReplicas or maxReplicas is negative";
    WORKER_MIN_REPLICAS_ABOVE_MAX = "worker-min-replicas-above-max", Error, KubeRay,
        "minReplicas is greater than maxReplicas";
    RAY_START_PARAMS_LABELS = "ray-start-params-labels", Error, KubeRay,
        "rayStartParams contains `labels`";
    IDLE_TIMEOUT_NEGATIVE = "idle-timeout-negative", Error, KubeRay,
        "autoscalerOptions.idleTimeoutSeconds is negative";
    UPSCALING_MODE_UNKNOWN = "upscaling-mode-unknown", Error, KubeRay,
        "autoscalerOptions.upscalingMode is a number outside the enum";
    AUTOSCALER_ENV_RESERVED = "autoscaler-env-reserved", Error, KubeRay,
        "autoscalerOptions.env sets KUBERAY_GEN_AUTOSCALER_START_CMD";
    LABEL_KEY_INVALID = "label-key-invalid", Error, Kubernetes,
        "a pod label key is not a qualified name";
    LABEL_VALUE_INVALID = "label-value-invalid", Error, Kubernetes,
        "a pod label value is not a valid label value";
    ANNOTATION_KEY_INVALID = "annotation-key-invalid", Error, Kubernetes,
        "a pod annotation key is not a qualified name";
    POD_SPEC_INVALID = "pod-spec-invalid", Error, Kubernetes,
        "a podSpec does not read as a Kubernetes PodSpec";
    ENCODING_TOO_DEEP = "encoding-too-deep", Error, FlyteBackend,
        "the binary encoding nests past protobuf's recursion limit of 100 messages";
    QUANTITY_INVALID = "quantity-invalid", Error, Kubernetes,
        "a resource quantity does not parse, or is negative";
    GPU_DEVICE_INVALID = "gpu-device-invalid", Error, Kubernetes,
        "a gpuAccelerator.device is not a valid Kubernetes label value";
    GPU_PARTITION_SIZE_INVALID = "gpu-partition-size-invalid", Error, Kubernetes,
        "a gpuAccelerator.partitionSize is not a valid Kubernetes label value";
    SHARED_MEMORY_MOUNT_NAME_EMPTY = "shared-memory-mount-name-empty", Error, FlyteBackend,
        "a sharedMemory has no mountName";
    SHARED_MEMORY_MOUNT_NAME_INVALID = "shared-memory-mount-name-invalid", Error, Kubernetes,
        "a sharedMemory.mountName is not a DNS-1123 label (it names a pod volume)";
    SHARED_MEMORY_MOUNT_PATH_EMPTY = "shared-memory-mount-path-empty", Error, FlyteBackend,
        "a sharedMemory has no mountPath";
    SHARED_MEMORY_SIZE_LIMIT_INVALID = "shared-memory-size-limit-invalid", Error, FlyteBackend,
        "a sharedMemory.sizeLimit is not a Kubernetes quantity, or is negative";
    TTL_WITHOUT_SHUTDOWN = "ttl-without-shutdown", Warning, FlyteBackend,
        "ttlSecondsAfterFinished > 0 while shutdownAfterJobFinishes is false";
    AUTOSCALING_NO_HEADROOM = "autoscaling-no-headroom", Warning, FlyteBackend,
        "autoscaling is on but a group's maxReplicas is unset or not above replicas";
    AUTOSCALER_OPTIONS_IGNORED = "autoscaler-options-ignored", Warning, FlyteBackend,
        "autoscalerOptions are set while enableAutoscaling is false";
    RUNTIME_ENV_CONFLICT = "runtime-env-conflict", Warning, FlyteBackend,
        "runtimeEnv and runtimeEnvYaml describe different environments";
    CONTAINER_DROPPED = "container-dropped", Warning, FlyteBackend,
        "a group pod's container is neither the Ray container nor the primary container";
    RAY_CONTAINER_NOT_FIRST = "ray-container-not-first", Warning, KubeRay,
        "a group pod's Ray container is not containers[0]";
    DATA_CONFIG_IGNORED = "data-config-ignored", Warning, FlyteBackend,
        "a group pod has a dataConfig";
    EXTENDED_RESOURCES_DROPPED = "extended-resources-dropped", Warning, FlyteBackend,
        "a head or worker group has extendedResources (flyteidl2), which a Flyte 1 backend drops";
    GPU_DEVICE_EMPTY = "gpu-device-empty", Warning, FlyteBackend,
        "a gpuAccelerator has an empty device, so no GPU model is selected";
    GPU_PARTITION_SIZE_EMPTY = "gpu-partition-size-empty", Warning, FlyteBackend,
        "a gpuAccelerator.partitionSize is set but empty";
    GPU_DEVICE_CLASS_UNKNOWN = "gpu-device-class-unknown", Warning, FlyteBackend,
        "a gpuAccelerator.deviceClass is a number outside the enum";
    ACCELERATOR_MODEL_UNKNOWN = "accelerator-model-unknown", Warning, FlyteBackend,
        "a gpuAccelerator.acceleratorModel is a number outside the enum";
    UNKNOWN_FIELD = "unknown-field", Warning, FlyteBackend,
        "a field the schema does not know: kept from binary input, or skipped from JSON/YAML under ignore_unknown_fields";
}
