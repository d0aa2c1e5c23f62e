#![doc = include_str!("../README.md")]

mod convert;
mod cursor;
mod decode;
mod error;
pub mod json;
mod pod_spec;
mod ray;
mod structs;
mod task;
pub mod testing;
mod unknown;
pub mod validate;
mod wire;

use std::fmt;

pub use error::DecodeError;
pub use flyte_ray_idl::canonical::CanonicalEncode;
pub use flyte_ray_idl::flyteidl::core::KeyValuePair;
pub use flyte_ray_idl::flyteidl::core::data_loading_config::LiteralMapFormat;
pub use flyte_ray_idl::flyteidl::core::io_strategy::{DownloadMode, UploadMode};
pub use flyte_ray_idl::flyteidl::core::resources::ResourceName;
pub use flyte_ray_idl::flyteidl::plugins::autoscaler_options::UpscalingMode;
pub use flyte_ray_k8s::K8sError;
/// The typed Kubernetes API (`PodSpec`, `Container`) of
/// [`K8sPod::with_typed_pod_spec`] and [`K8sPod::typed_pod_spec`].
pub use flyte_ray_k8s::k8s_openapi;
pub use json::{JsonError, JsonOptions};
/// The protobuf runtime of the wire types ([`prost::DecodeError`] is the
/// source of [`DecodeError::Malformed`]).
pub use prost;
/// `google.protobuf.Struct` and `Value`: pod specs and `TaskTemplate.custom`.
pub use prost_types;
pub use ray::{AutoscalerOptions, HeadGroupSpec, RayCluster, RayJob, WorkerGroupSpec};
pub use task::{
    DataLoadingConfig, IOStrategy, K8sObjectMetadata, K8sPod, ResourceEntry, Resources,
};
pub use validate::{Finding, Origin, Severity};

/// What every flytekit model can do (flytekit's `FlyteIdlEntity`, plus
/// what flytekit lacks: lossless round trips and errors instead of
/// exceptions).
///
/// ```
/// use flyte_ray_models::{FlyteIdlEntity, WorkerGroupSpec};
///
/// let g = WorkerGroupSpec::new("workers", 2);
/// let idl = g.to_flyte_idl();
/// assert_eq!(idl.group_name, "workers");
/// assert_eq!(WorkerGroupSpec::from_flyte_idl(idl), g);
/// assert!(!g.is_empty());
/// assert!(WorkerGroupSpec::default().is_empty());
/// ```
pub trait FlyteIdlEntity:
    Sized + Clone + PartialEq + fmt::Debug + fmt::Display + CanonicalEncode
{
    /// The message of `flyte-ray-idl` this model maps to.
    type Idl: prost::Message + Default + Clone + PartialEq + CanonicalEncode;

    /// flytekit's class name (`"RayJob"`), as `short_string` prints it.
    const TYPE_NAME: &'static str;

    /// Full protobuf name of [`Self::Idl`] (`"flyteidl.plugins.RayJob"`).
    const PROTO_NAME: &'static str;

    /// The IDL message (a copy; see [`into_flyte_idl`](Self::into_flyte_idl)
    /// to move instead).
    fn to_flyte_idl(&self) -> Self::Idl;

    /// The IDL message, moving the contents (no copy of strings, maps or the
    /// pod spec).
    fn into_flyte_idl(self) -> Self::Idl;

    /// The model of an IDL message. Infallible and lossless: every message
    /// is representable and `from_flyte_idl(m).to_flyte_idl() == m`.
    fn from_flyte_idl(idl: Self::Idl) -> Self;

    /// The deterministic binary encoding, byte-identical to flytekit's
    /// `serialize_to_string()` (and to Flyte's Go backend): fields in number
    /// order, map entries sorted by key with key and value always written.
    fn serialize_to_string(&self) -> Vec<u8> {
        self.encode_canonical()
    }

    /// Decodes the binary encoding. Bad bytes — truncated, garbled, invalid
    /// UTF-8, a wrong wire type, nesting past prost's recursion limit, a
    /// length prefix past the end — are an error naming the message and,
    /// where known, the field; never a panic, and nothing is allocated for
    /// a length the input does not hold. A field the schema does not know is
    /// an error too ([`DecodeError::UnknownField`]): nothing is dropped
    /// silently.
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        decode_general(bytes)
    }

    /// Decodes the binary encoding, dropping fields the schema does not
    /// know (as prost does; e.g. fields of a newer flyteidl).
    fn from_bytes_ignoring_unknown_fields(bytes: &[u8]) -> Result<Self, DecodeError> {
        decode_prost(bytes)
    }

    /// flytekit's `is_empty`: the encoding has zero bytes.
    fn is_empty(&self) -> bool {
        self.canonical_len() == 0
    }

    /// flytekit's `short_string()`: `Flyte Serialized object (RayJob):`
    /// followed by a YAML-like rendering, identical to flytekit's output.
    fn short_string(&self) -> String {
        render_short(
            Self::TYPE_NAME,
            Self::PROTO_NAME,
            &self.serialize_to_string(),
        )
    }

    /// flytekit's `verbose_string()`, which is the same as `short_string()`.
    fn verbose_string(&self) -> String {
        self.short_string()
    }

    /// The protobuf text format (Python's `str(msg)`).
    fn text_format(&self) -> String {
        render_text(Self::PROTO_NAME, &self.serialize_to_string())
    }

    /// proto3 JSON, compact, as flytekit's `MessageToDict` maps it.
    fn to_json(&self) -> Result<String, JsonError>;

    /// proto3 JSON, indented.
    fn to_json_pretty(&self) -> Result<String, JsonError>;

    /// Parses proto3 JSON strictly (unknown fields are errors).
    fn from_json(s: &str) -> Result<Self, JsonError> {
        Self::from_json_with(s, &JsonOptions::default())
    }

    /// Parses proto3 JSON with options (e.g. ignoring unknown fields, as
    /// Flyte's Go backend does).
    fn from_json_with(s: &str, options: &JsonOptions) -> Result<Self, JsonError>;

    /// The same mapping as [`to_json`](Self::to_json), written as YAML.
    fn to_yaml(&self) -> Result<String, JsonError>;

    /// Parses YAML with the proto3 JSON mapping, strictly.
    fn from_yaml(s: &str) -> Result<Self, JsonError> {
        Self::from_yaml_with(s, &JsonOptions::default())
    }

    /// Parses YAML with options.
    fn from_yaml_with(s: &str, options: &JsonOptions) -> Result<Self, JsonError>;

    /// The model as the `google.protobuf.Struct` a Flyte `TaskTemplate`
    /// keeps in `custom`: the [`to_json`](Self::to_json) mapping, as
    /// flytekit stores it (`json_format.Parse(json.dumps(MessageToDict(m)),
    /// Struct())`). Fails as `to_json` does (a NaN in a pod spec).
    fn to_struct(&self) -> Result<prost_types::Struct, JsonError>;

    /// Reads the model from a `Struct` (`TaskTemplate.custom`), strictly:
    /// accepts and refuses what [`from_json`](Self::from_json) does with the
    /// same JSON.
    fn from_struct(s: &prost_types::Struct) -> Result<Self, JsonError> {
        Self::from_struct_with(s, &JsonOptions::default())
    }

    /// Reads the model from a `Struct` with options.
    fn from_struct_with(s: &prost_types::Struct, options: &JsonOptions) -> Result<Self, JsonError>;
}

/// The general decoding path: prost, then the scan for unknown fields.
pub(crate) fn decode_general<T: FlyteIdlEntity>(bytes: &[u8]) -> Result<T, DecodeError> {
    let model = decode_prost(bytes)?;
    if let Some(u) = unknown::find_unknown(T::PROTO_NAME, bytes) {
        return Err(DecodeError::UnknownField {
            message: T::PROTO_NAME,
            path: u.path,
            holder: u.holder,
            number: u.number,
        });
    }
    Ok(model)
}

/// prost's decoding, unknown fields dropped.
fn decode_prost<T: FlyteIdlEntity>(bytes: &[u8]) -> Result<T, DecodeError> {
    let idl =
        <T::Idl as prost::Message>::decode(bytes).map_err(|source| DecodeError::Malformed {
            message: T::PROTO_NAME,
            len: bytes.len(),
            source,
        })?;
    Ok(T::from_flyte_idl(idl))
}

fn render_short(type_name: &str, proto_name: &str, bytes: &[u8]) -> String {
    // `bytes` is always what `CanonicalEncode` wrote, so the printer may skip
    // its up-front check. Our own canonical bytes always decode; the
    // fallback only guards the no-panic promise.
    flyte_ray_fmt::short_string_canonical(type_name, proto_name, bytes)
        .unwrap_or_else(|e| format!("Flyte Serialized object ({type_name}): <{e}>"))
}

fn render_text(proto_name: &str, bytes: &[u8]) -> String {
    flyte_ray_fmt::text_format_bytes(proto_name, bytes).unwrap_or_else(|e| format!("<{e}>"))
}

macro_rules! entity {
    ($ty:ident, $idl:ty, $proto:literal) => {
        impl FlyteIdlEntity for $ty {
            type Idl = $idl;
            const TYPE_NAME: &'static str = stringify!($ty);
            const PROTO_NAME: &'static str = $proto;

            fn to_flyte_idl(&self) -> Self::Idl {
                self.clone().into()
            }
            fn into_flyte_idl(self) -> Self::Idl {
                self.into()
            }
            fn from_flyte_idl(idl: Self::Idl) -> Self {
                idl.into()
            }
            fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
                match decode::decode_fast(bytes) {
                    Some(model) => Ok(model),
                    None => decode_general(bytes),
                }
            }
            fn from_bytes_ignoring_unknown_fields(bytes: &[u8]) -> Result<Self, DecodeError> {
                match decode::decode_fast(bytes) {
                    Some(model) => Ok(model),
                    None => decode_prost(bytes),
                }
            }
            fn to_json(&self) -> Result<String, JsonError> {
                json::to_json_string(self, false)
            }
            fn to_json_pretty(&self) -> Result<String, JsonError> {
                json::to_json_string(self, true)
            }
            fn from_json_with(s: &str, options: &JsonOptions) -> Result<Self, JsonError> {
                json::from_json_str(s, options)
            }
            fn to_yaml(&self) -> Result<String, JsonError> {
                json::to_yaml_string(self)
            }
            fn from_yaml_with(s: &str, options: &JsonOptions) -> Result<Self, JsonError> {
                json::from_yaml_str(s, options)
            }
            fn to_struct(&self) -> Result<prost_types::Struct, JsonError> {
                structs::to_struct(self)
            }
            fn from_struct_with(
                s: &prost_types::Struct,
                options: &JsonOptions,
            ) -> Result<Self, JsonError> {
                structs::from_struct(s, options)
            }
        }

        impl fmt::Display for $ty {
            /// flytekit's `short_string()`.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.short_string())
            }
        }
    };
}

use flyte_ray_idl::flyteidl::{core as core_idl, plugins as ray_idl};

entity!(RayJob, ray_idl::RayJob, "flyteidl.plugins.RayJob");
entity!(
    RayCluster,
    ray_idl::RayCluster,
    "flyteidl.plugins.RayCluster"
);
entity!(
    HeadGroupSpec,
    ray_idl::HeadGroupSpec,
    "flyteidl.plugins.HeadGroupSpec"
);
entity!(
    WorkerGroupSpec,
    ray_idl::WorkerGroupSpec,
    "flyteidl.plugins.WorkerGroupSpec"
);
entity!(
    AutoscalerOptions,
    ray_idl::AutoscalerOptions,
    "flyteidl.plugins.AutoscalerOptions"
);
entity!(K8sPod, core_idl::K8sPod, "flyteidl.core.K8sPod");
entity!(
    K8sObjectMetadata,
    core_idl::K8sObjectMetadata,
    "flyteidl.core.K8sObjectMetadata"
);
entity!(Resources, core_idl::Resources, "flyteidl.core.Resources");
entity!(
    DataLoadingConfig,
    core_idl::DataLoadingConfig,
    "flyteidl.core.DataLoadingConfig"
);
entity!(IOStrategy, core_idl::IoStrategy, "flyteidl.core.IOStrategy");
