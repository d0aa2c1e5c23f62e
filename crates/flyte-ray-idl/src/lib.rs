#![doc = include_str!("../README.md")]

/// The `flyteidl` protobuf packages.
#[allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]
pub mod flyteidl {
    /// Package `flyteidl.core`: the messages of `core/tasks.proto` and
    /// `core/literals.proto` that Ray task specs carry.
    pub mod core {
        include!("gen/flyteidl.core.rs");
    }
    /// Package `flyteidl.plugins`: the Ray plugin's messages.
    pub mod plugins {
        include!("gen/flyteidl.plugins.rs");
    }
}

/// The `flyteidl2` protobuf packages (Flyte 2): the same messages as
/// [`flyteidl`] plus the fields flyteidl2 adds (`extended_resources` on the
/// Ray groups, `file_input_layout`, `device_class`, `accelerator_model`).
/// Every added field has the highest number in its message, so the two
/// generations' encodings agree wherever both have a field.
#[allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]
pub mod flyteidl2 {
    /// Package `flyteidl2.core`: the messages of `core/tasks.proto` and
    /// `core/literals.proto` that Ray task specs carry.
    pub mod core {
        include!("gen/flyteidl2.core.rs");
    }
    /// Package `flyteidl2.plugins`: the Ray plugin's messages.
    pub mod plugins {
        include!("gen/flyteidl2.plugins.rs");
    }
}

/// Canonical encoding: the exact bytes the C++, Go and Python protobuf
/// runtimes (and so flytekit and Flyte's backend) write.
///
/// prost's derived encoder leaves out a map entry's key or value when it is
/// empty; every other runtime writes both. Decode with prost's
/// [`prost::Message::decode`], encode with [`canonical::CanonicalEncode`]
/// when the bytes must match the rest of Flyte.
///
/// ```
/// use flyte_ray_idl::canonical::CanonicalEncode;
/// use flyte_ray_idl::flyteidl::plugins::HeadGroupSpec;
/// use prost::Message;
///
/// let head = HeadGroupSpec {
///     ray_start_params: [("block".to_owned(), String::new())].into(),
///     ..Default::default()
/// };
/// // entry {key: "block", value: ""}: both fields written, as in flytekit.
/// assert_eq!(head.encode_canonical(), b"\x0a\x09\x0a\x05block\x12\x00");
/// // prost's own encoder drops the empty value.
/// assert_eq!(head.encode_to_vec(), b"\x0a\x07\x0a\x05block");
/// ```
#[allow(missing_docs, deprecated, clippy::all, clippy::pedantic)]
pub mod canonical {
    include!("gen/canonical.rs");
}

/// The encoded `google.protobuf.FileDescriptorSet` of every `.proto` file
/// compiled (with its imports, `google/protobuf/struct.proto` included), for
/// reflection. Source info is stripped.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!("gen/flyteidl.bin");

/// Full protobuf names of the ten `flyteidl` messages flytekit's models map
/// to, in the order flyte-ray lists them everywhere.
pub const MODEL_MESSAGES: [&str; 10] = [
    "flyteidl.plugins.RayJob",
    "flyteidl.plugins.RayCluster",
    "flyteidl.plugins.HeadGroupSpec",
    "flyteidl.plugins.WorkerGroupSpec",
    "flyteidl.plugins.AutoscalerOptions",
    "flyteidl.core.K8sPod",
    "flyteidl.core.K8sObjectMetadata",
    "flyteidl.core.Resources",
    "flyteidl.core.DataLoadingConfig",
    "flyteidl.core.IOStrategy",
];

/// Full protobuf names of the thirteen `flyteidl` messages the models map to
/// (the ten of [`MODEL_MESSAGES`], then `ExtendedResources`,
/// `GPUAccelerator` and `SharedMemory`), in the order flyte-ray lists them.
pub const MODEL_MESSAGES_V1: [&str; 13] = [
    "flyteidl.plugins.RayJob",
    "flyteidl.plugins.RayCluster",
    "flyteidl.plugins.HeadGroupSpec",
    "flyteidl.plugins.WorkerGroupSpec",
    "flyteidl.plugins.AutoscalerOptions",
    "flyteidl.core.K8sPod",
    "flyteidl.core.K8sObjectMetadata",
    "flyteidl.core.Resources",
    "flyteidl.core.DataLoadingConfig",
    "flyteidl.core.IOStrategy",
    "flyteidl.core.ExtendedResources",
    "flyteidl.core.GPUAccelerator",
    "flyteidl.core.SharedMemory",
];

/// Full protobuf names of the thirteen `flyteidl2` messages the models map
/// to, in the order of [`MODEL_MESSAGES_V1`].
pub const MODEL_MESSAGES_V2: [&str; 13] = [
    "flyteidl2.plugins.RayJob",
    "flyteidl2.plugins.RayCluster",
    "flyteidl2.plugins.HeadGroupSpec",
    "flyteidl2.plugins.WorkerGroupSpec",
    "flyteidl2.plugins.AutoscalerOptions",
    "flyteidl2.core.K8sPod",
    "flyteidl2.core.K8sObjectMetadata",
    "flyteidl2.core.Resources",
    "flyteidl2.core.DataLoadingConfig",
    "flyteidl2.core.IOStrategy",
    "flyteidl2.core.ExtendedResources",
    "flyteidl2.core.GPUAccelerator",
    "flyteidl2.core.SharedMemory",
];
