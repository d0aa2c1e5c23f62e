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

/// Full protobuf names of the ten messages flytekit's models map to, in the
/// order flyte-ray lists them everywhere.
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
