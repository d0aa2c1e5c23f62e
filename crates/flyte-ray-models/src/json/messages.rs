//! The JSON shape of every message (names from `idl-schema.md`, field-number
//! order) and the public serde impls of the models.

use serde::de::{DeserializeSeed as _, MapAccess};
use serde::ser::SerializeStruct;

use super::codec::{
    Bool, BoolMember, Codec, Ctx, Enum, EnumDesc, I32, Message, Msg, MsgSer, OneofBool, OneofStr,
    PodSpec, Rep, SeedInto, Str, StrMap, StrMember, ser_field,
};
use super::{JsonOptions, JsonSeed};
use crate::{
    AutoscalerOptions, DataLoadingConfig, ExtendedResources, GPUAccelerator, HeadGroupSpec,
    IOStrategy, K8sObjectMetadata, K8sPod, KeyValuePair, PartitionSizeValue, RayCluster, RayJob,
    ResourceEntry, Resources, SharedMemory, WorkerGroupSpec,
};

/// Implements [`Message`] from a field table:
/// `field: Codec = "jsonName" / "proto_name"`, in field-number order.
macro_rules! message {
    ($ty:ty, $proto:literal, [$($field:ident : $codec:ty = $json:literal / $pname:literal),+ $(,)?]) => {
        impl Message for $ty {
            const PROTO: &'static str = $proto;
            const FIELDS: &'static [(&'static str, &'static str)] = &[$(($json, $pname)),+];

            fn count(&self) -> usize {
                0 $(+ usize::from(!<$codec as Codec>::is_default(&self.$field)))+
            }

            fn ser_fields<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
                $(ser_field::<S, $codec>(s, $json, &self.$field)?;)+
                Ok(())
            }

            #[allow(unused_assignments)]
            fn de_field<'de, A: MapAccess<'de>>(
                &mut self,
                i: usize,
                ctx: &Ctx,
                map: &mut A,
            ) -> Result<(), A::Error> {
                let mut k = 0usize;
                $(
                    if i == k {
                        return map.next_value_seed(SeedInto::<$codec>::new(ctx, &mut self.$field));
                    }
                    k += 1;
                )+
                // `i` always indexes FIELDS; skip the value if it ever did not.
                map.next_value::<serde::de::IgnoredAny>().map(|_| ())
            }

            #[allow(unused_assignments)]
            fn take_field(&mut self, i: usize, from: &mut Self) {
                let mut k = 0usize;
                $(
                    if i == k {
                        self.$field = std::mem::take(&mut from.$field);
                        return;
                    }
                    k += 1;
                )+
            }
        }
    };
}

/// The public serde impls of a model: the mapping above, strict options.
macro_rules! serde_model {
    ($($ty:ty),+ $(,)?) => {$(
        impl serde::Serialize for $ty {
            /// proto3 JSON, as `MessageToDict` writes it.
            ///
            /// Fails for a model holding fields the schema does not know
            /// (read from bytes): JSON cannot carry them, and dropping them
            /// silently would lose data. Drop them on purpose with
            /// [`without_unknown_fields`](crate::FlyteIdlEntity::without_unknown_fields).
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if crate::unknown_fields::Unknowns::has_unknown(self) {
                    return Err(serde::ser::Error::custom(
                        crate::unknown_fields::cannot_write(self, "JSON"),
                    ));
                }
                serde::Serialize::serialize(&MsgSer(self), s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            /// proto3 JSON, as `ParseDict` reads it, strictly (see
            /// [`JsonSeed`](crate::json::JsonSeed) for other options).
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                JsonSeed::new(&JsonOptions::default()).deserialize(d)
            }
        }
    )+};
}

/// Implements [`EnumDesc`] for a prost enum.
macro_rules! enum_desc {
    ($ty:ty, $proto:literal, [$($n:literal = $name:literal),+ $(,)?]) => {
        impl EnumDesc for $ty {
            const PROTO: &'static str = $proto;
            const VALUES: &'static [(i32, &'static str)] = &[$(($n, $name)),+];
        }
    };
}

enum_desc!(
    crate::UpscalingMode,
    "flyteidl.plugins.AutoscalerOptions.UpscalingMode",
    [
        0 = "UPSCALING_MODE_UNSPECIFIED",
        1 = "UPSCALING_MODE_DEFAULT",
        2 = "UPSCALING_MODE_AGGRESSIVE",
        3 = "UPSCALING_MODE_CONSERVATIVE",
    ]
);
enum_desc!(
    crate::ResourceName,
    "flyteidl.core.Resources.ResourceName",
    [
        0 = "UNKNOWN",
        1 = "CPU",
        2 = "GPU",
        3 = "MEMORY",
        4 = "STORAGE",
        5 = "EPHEMERAL_STORAGE",
    ]
);
enum_desc!(
    crate::LiteralMapFormat,
    "flyteidl.core.DataLoadingConfig.LiteralMapFormat",
    [0 = "JSON", 1 = "YAML", 2 = "PROTO",]
);
enum_desc!(
    crate::DownloadMode,
    "flyteidl.core.IOStrategy.DownloadMode",
    [
        0 = "DOWNLOAD_EAGER",
        1 = "DOWNLOAD_STREAM",
        2 = "DO_NOT_DOWNLOAD",
    ]
);
enum_desc!(
    crate::UploadMode,
    "flyteidl.core.IOStrategy.UploadMode",
    [
        0 = "UPLOAD_ON_EXIT",
        1 = "UPLOAD_EAGER",
        2 = "DO_NOT_UPLOAD",
    ]
);

enum_desc!(
    crate::FileInputLayout,
    "flyteidl2.core.DataLoadingConfig.FileInputLayout",
    [0 = "DIRECT", 1 = "NAMED_DIR"]
);
enum_desc!(
    crate::DeviceClass,
    "flyteidl2.core.GPUAccelerator.DeviceClass",
    [
        0 = "NVIDIA_GPU",
        1 = "GOOGLE_TPU",
        2 = "AMAZON_NEURON",
        3 = "AMD_GPU",
        4 = "HABANA_GAUDI",
        5 = "APPLE_SILICON",
    ]
);
enum_desc!(
    crate::AcceleratorModel,
    "flyteidl2.core.AcceleratorModel",
    [
        0 = "ACCELERATOR_MODEL_UNSPECIFIED",
        1 = "NVIDIA_K80",
        2 = "NVIDIA_M60",
        3 = "NVIDIA_P4",
        4 = "NVIDIA_P100",
        5 = "NVIDIA_V100",
        6 = "NVIDIA_T4",
        7 = "NVIDIA_A10",
        8 = "NVIDIA_A10G",
        9 = "NVIDIA_A100",
        10 = "NVIDIA_A100_80GB",
        11 = "NVIDIA_L4",
        12 = "NVIDIA_L40S",
        13 = "NVIDIA_H100",
        14 = "NVIDIA_H100_MEGA_80GB",
        15 = "NVIDIA_H200",
        16 = "NVIDIA_B200",
        17 = "NVIDIA_GB200",
        18 = "NVIDIA_GB10",
        19 = "NVIDIA_RTX_PRO_6000",
        20 = "NVIDIA_RTX_PRO_4500",
        100 = "GOOGLE_TPU_V5E",
        101 = "GOOGLE_TPU_V5P",
        102 = "GOOGLE_TPU_V6E",
        200 = "AMAZON_INF1",
        201 = "AMAZON_INF2",
        202 = "AMAZON_TRN1",
        203 = "AMAZON_TRN1N",
        204 = "AMAZON_TRN2",
        205 = "AMAZON_TRN2U",
        300 = "AMD_MI100",
        301 = "AMD_MI210",
        302 = "AMD_MI250",
        303 = "AMD_MI250X",
        304 = "AMD_MI300A",
        305 = "AMD_MI300X",
        306 = "AMD_MI325X",
        307 = "AMD_MI350X",
        308 = "AMD_MI355X",
        400 = "HABANA_GAUDI1",
        500 = "APPLE_SILICON_GPU",
    ]
);

/// `GPUAccelerator.unpartitioned`, a member of the oneof
/// `partition_size_value`.
pub(crate) struct Unpartitioned;

impl OneofBool for Unpartitioned {
    type T = PartitionSizeValue;
    const ONEOF: &'static str = "partition_size_value";
    const PROTO: &'static str = "flyteidl.core.GPUAccelerator";
    fn get(v: &PartitionSizeValue) -> Option<bool> {
        match v {
            PartitionSizeValue::Unpartitioned(b) => Some(*b),
            PartitionSizeValue::PartitionSize(_) => None,
        }
    }
    fn make(v: bool) -> PartitionSizeValue {
        PartitionSizeValue::Unpartitioned(v)
    }
}

/// `GPUAccelerator.partition_size`, a member of the oneof
/// `partition_size_value`.
pub(crate) struct PartitionSize;

impl OneofStr for PartitionSize {
    type T = PartitionSizeValue;
    const ONEOF: &'static str = "partition_size_value";
    const PROTO: &'static str = "flyteidl.core.GPUAccelerator";
    fn get(v: &PartitionSizeValue) -> Option<&str> {
        match v {
            PartitionSizeValue::PartitionSize(s) => Some(s),
            PartitionSizeValue::Unpartitioned(_) => None,
        }
    }
    fn make(v: String) -> PartitionSizeValue {
        PartitionSizeValue::PartitionSize(v)
    }
}

message!(RayJob, "flyteidl.plugins.RayJob", [
    ray_cluster: Msg<RayCluster> = "rayCluster" / "ray_cluster",
    runtime_env: Str = "runtimeEnv" / "runtime_env",
    shutdown_after_job_finishes: Bool = "shutdownAfterJobFinishes" / "shutdown_after_job_finishes",
    ttl_seconds_after_finished: I32 = "ttlSecondsAfterFinished" / "ttl_seconds_after_finished",
    runtime_env_yaml: Str = "runtimeEnvYaml" / "runtime_env_yaml",
]);

message!(RayCluster, "flyteidl.plugins.RayCluster", [
    head_group_spec: Msg<HeadGroupSpec> = "headGroupSpec" / "head_group_spec",
    worker_group_spec: Rep<WorkerGroupSpec> = "workerGroupSpec" / "worker_group_spec",
    enable_autoscaling: Bool = "enableAutoscaling" / "enable_autoscaling",
    autoscaler_options: Msg<AutoscalerOptions> = "autoscalerOptions" / "autoscaler_options",
]);

message!(HeadGroupSpec, "flyteidl.plugins.HeadGroupSpec", [
    ray_start_params: StrMap = "rayStartParams" / "ray_start_params",
    k8s_pod: Msg<K8sPod> = "k8sPod" / "k8s_pod",
    extended_resources: Msg<ExtendedResources> = "extendedResources" / "extended_resources",
]);

message!(WorkerGroupSpec, "flyteidl.plugins.WorkerGroupSpec", [
    group_name: Str = "groupName" / "group_name",
    replicas: I32 = "replicas" / "replicas",
    min_replicas: I32 = "minReplicas" / "min_replicas",
    max_replicas: I32 = "maxReplicas" / "max_replicas",
    ray_start_params: StrMap = "rayStartParams" / "ray_start_params",
    k8s_pod: Msg<K8sPod> = "k8sPod" / "k8s_pod",
    extended_resources: Msg<ExtendedResources> = "extendedResources" / "extended_resources",
]);

message!(AutoscalerOptions, "flyteidl.plugins.AutoscalerOptions", [
    upscaling_mode: Enum<crate::UpscalingMode> = "upscalingMode" / "upscaling_mode",
    idle_timeout_seconds: I32 = "idleTimeoutSeconds" / "idle_timeout_seconds",
    env: Rep<KeyValuePair> = "env" / "env",
    image: Str = "image" / "image",
    resources: Msg<Resources> = "resources" / "resources",
]);

message!(KeyValuePair, "flyteidl.core.KeyValuePair", [
    key: Str = "key" / "key",
    value: Str = "value" / "value",
]);

message!(K8sPod, "flyteidl.core.K8sPod", [
    metadata: Msg<K8sObjectMetadata> = "metadata" / "metadata",
    pod_spec: PodSpec = "podSpec" / "pod_spec",
    data_config: Msg<DataLoadingConfig> = "dataConfig" / "data_config",
    primary_container_name: Str = "primaryContainerName" / "primary_container_name",
]);

message!(K8sObjectMetadata, "flyteidl.core.K8sObjectMetadata", [
    labels: StrMap = "labels" / "labels",
    annotations: StrMap = "annotations" / "annotations",
]);

message!(DataLoadingConfig, "flyteidl.core.DataLoadingConfig", [
    enabled: Bool = "enabled" / "enabled",
    input_path: Str = "inputPath" / "input_path",
    output_path: Str = "outputPath" / "output_path",
    format: Enum<crate::LiteralMapFormat> = "format" / "format",
    io_strategy: Msg<IOStrategy> = "ioStrategy" / "io_strategy",
    file_input_layout: Enum<crate::FileInputLayout> = "fileInputLayout" / "file_input_layout",
]);

message!(ExtendedResources, "flyteidl.core.ExtendedResources", [
    gpu_accelerator: Msg<GPUAccelerator> = "gpuAccelerator" / "gpu_accelerator",
    shared_memory: Msg<SharedMemory> = "sharedMemory" / "shared_memory",
]);

message!(GPUAccelerator, "flyteidl.core.GPUAccelerator", [
    device: Str = "device" / "device",
    partition_size_value: BoolMember<Unpartitioned> = "unpartitioned" / "unpartitioned",
    partition_size_value: StrMember<PartitionSize> = "partitionSize" / "partition_size",
    device_class: Enum<crate::DeviceClass> = "deviceClass" / "device_class",
    accelerator_model: Enum<crate::AcceleratorModel> = "acceleratorModel" / "accelerator_model",
]);

message!(SharedMemory, "flyteidl.core.SharedMemory", [
    mount_path: Str = "mountPath" / "mount_path",
    mount_name: Str = "mountName" / "mount_name",
    size_limit: Str = "sizeLimit" / "size_limit",
]);

message!(IOStrategy, "flyteidl.core.IOStrategy", [
    download_mode: Enum<crate::DownloadMode> = "downloadMode" / "download_mode",
    upload_mode: Enum<crate::UploadMode> = "uploadMode" / "upload_mode",
]);

message!(Resources, "flyteidl.core.Resources", [
    requests: Rep<ResourceEntry> = "requests" / "requests",
    limits: Rep<ResourceEntry> = "limits" / "limits",
]);

message!(ResourceEntry, "flyteidl.core.Resources.ResourceEntry", [
    name: Enum<crate::ResourceName> = "name" / "name",
    value: Str = "value" / "value",
]);

serde_model!(
    RayJob,
    RayCluster,
    HeadGroupSpec,
    WorkerGroupSpec,
    AutoscalerOptions,
    K8sPod,
    K8sObjectMetadata,
    Resources,
    ResourceEntry,
    DataLoadingConfig,
    IOStrategy,
    ExtendedResources,
    GPUAccelerator,
    SharedMemory,
);
