#![doc = include_str!("../README.md")]

mod convert;
mod cursor;
mod decode;
mod dialect;
mod error;
mod extended;
pub mod json;
mod pod_spec;
mod pod_unknown;
mod ray;
mod structs;
mod task;
pub mod testing;
mod unknown;
mod unknown_fields;
pub mod validate;
mod wire;

use std::fmt;

pub use dialect::Dialect;
pub use error::{DecodeError, DialectError, ParseDialectError};
pub use extended::{ExtendedResources, GPUAccelerator, SharedMemory};
pub use flyte_ray_fmt::{MAX_TEXT_DEPTH, TextError};
pub use flyte_ray_idl::canonical::CanonicalEncode;
pub use flyte_ray_idl::flyteidl2::core::AcceleratorModel;
pub use flyte_ray_idl::flyteidl2::core::KeyValuePair;
pub use flyte_ray_idl::flyteidl2::core::data_loading_config::{FileInputLayout, LiteralMapFormat};
pub use flyte_ray_idl::flyteidl2::core::gpu_accelerator::{DeviceClass, PartitionSizeValue};
pub use flyte_ray_idl::flyteidl2::core::io_strategy::{DownloadMode, UploadMode};
pub use flyte_ray_idl::flyteidl2::core::resources::ResourceName;
pub use flyte_ray_idl::flyteidl2::plugins::autoscaler_options::UpscalingMode;
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
pub use unknown_fields::{UnknownField, WireType};
pub use validate::{Finding, Origin, Severity};

/// What every flytekit model can do (flytekit's `FlyteIdlEntity`, plus
/// what flytekit lacks: lossless round trips and errors instead of
/// exceptions).
///
/// One model serves both IDL generations: `flyteidl` (Flyte 1, flytekit)
/// and `flyteidl2` (Flyte 2). Their wire numbers agree and flyteidl2 only
/// adds fields, so the bytes of a model are the same in both; the model's
/// [`Idl`](Self::Idl) is the flyteidl2 message (which holds every field), and
/// [`to_flyteidl_v1`](Self::to_flyteidl_v1) gives the flyteidl one, refusing
/// a model that uses a field flyteidl lacks instead of dropping it.
///
/// ```
/// use flyte_ray_models::{ExtendedResources, FlyteIdlEntity, WorkerGroupSpec};
///
/// let g = WorkerGroupSpec::new("workers", 2);
/// let idl = g.to_flyte_idl();
/// assert_eq!(idl.group_name, "workers");
/// assert_eq!(WorkerGroupSpec::from_flyte_idl(idl), g);
/// assert_eq!(g.to_flyteidl_v1().unwrap().group_name, "workers");
/// assert!(!g.is_empty());
/// assert!(WorkerGroupSpec::default().is_empty());
///
/// // extended_resources exists only in flyteidl2.
/// let g = g.with_extended_resources(ExtendedResources::new());
/// let err = g.to_flyteidl_v1().unwrap_err();
/// assert_eq!(err.to_string(), "WorkerGroupSpec.extended_resources (field 7) exists only in flyteidl2; \
///     flyteidl.plugins.WorkerGroupSpec cannot carry it");
/// ```
pub trait FlyteIdlEntity:
    Sized + Clone + PartialEq + fmt::Debug + fmt::Display + CanonicalEncode
{
    /// The flyteidl2 message of `flyte-ray-idl` this model maps to
    /// (losslessly: it has every field).
    type Idl: prost::Message + Default + Clone + PartialEq + CanonicalEncode;

    /// The flyteidl (Flyte 1) message of the same name.
    type IdlV1: prost::Message + Default + Clone + PartialEq + CanonicalEncode;

    /// flytekit's class name (`"RayJob"`), as `short_string` prints it.
    const TYPE_NAME: &'static str;

    /// Full protobuf name of the flyteidl (Flyte 1) message
    /// (`"flyteidl.plugins.RayJob"`), which names the message in errors.
    const PROTO_NAME: &'static str;

    /// Full protobuf name of the flyteidl2 message, [`Self::Idl`]
    /// (`"flyteidl2.plugins.RayJob"`).
    const PROTO2_NAME: &'static str;

    /// The IDL message (a copy; see [`into_flyte_idl`](Self::into_flyte_idl)
    /// to move instead).
    fn to_flyte_idl(&self) -> Self::Idl;

    /// The IDL message, moving the contents (no copy of strings, maps or the
    /// pod spec).
    fn into_flyte_idl(self) -> Self::Idl;

    /// The model of an IDL message. Infallible and lossless: every message
    /// is representable and `from_flyte_idl(m).to_flyte_idl() == m`.
    fn from_flyte_idl(idl: Self::Idl) -> Self;

    /// The flyteidl (Flyte 1) message, or an error naming the first
    /// flyteidl2-only field the model sets (path and field number): such a
    /// field has no place in the Flyte 1 message, and dropping it silently
    /// would lose data.
    fn to_flyteidl_v1(&self) -> Result<Self::IdlV1, DialectError> {
        // The IDL structs cannot carry unknown fields.
        let bytes = known_bytes(self);
        if let Some(e) = dialect::v2_only_error::<Self>(&bytes) {
            return Err(e);
        }
        <Self::IdlV1 as prost::Message>::decode(bytes.as_slice()).map_err(|source| {
            DialectError::Reencode {
                message: Self::PROTO_NAME,
                source,
            }
        })
    }

    /// The model of a flyteidl (Flyte 1) message. Lossless: every Flyte 1
    /// message is representable, and the flyteidl2-only fields stay unset.
    /// Fails only for a message built in code that nests deeper than
    /// protobuf's recursion limit (100), whose bytes no decoder reads.
    fn from_flyteidl_v1(idl: &Self::IdlV1) -> Result<Self, DialectError> {
        // Same wire numbers: the v1 bytes are valid v2 bytes of the same
        // message.
        let bytes = idl.encode_canonical();
        <Self::Idl as prost::Message>::decode(bytes.as_slice())
            .map(Self::from_flyte_idl)
            .map_err(|source| DialectError::Reencode {
                message: Self::PROTO2_NAME,
                source,
            })
    }

    /// The deterministic binary encoding, byte-identical to flytekit's
    /// `serialize_to_string()` (and to Flyte's Go backend): fields in number
    /// order, map entries sorted by key with key and value always written.
    fn serialize_to_string(&self) -> Vec<u8> {
        self.encode_canonical()
    }

    /// Decodes the binary encoding. Bad bytes — truncated, garbled, invalid
    /// UTF-8, nesting past prost's recursion limit, a length prefix past the
    /// end, an end-group key that closes nothing — are an error naming the
    /// message and, where known, the field; never a panic, and nothing is
    /// allocated for a length the input does not hold.
    ///
    /// A field the schema does not know is kept, as protobuf's C++ and upb
    /// runtimes keep it: any wire type (groups too), and a known field
    /// number arriving with another wire type. [`serialize_to_string`]
    /// writes it back after the known fields, in the order read, so decode
    /// then encode is the identity for canonical input;
    /// [`unknown_fields`](Self::unknown_fields) lists them. That holds at
    /// every depth: inside a pod spec (each `Struct`, `Value` and
    /// `ListValue`; a `Struct.fields` entry holding one is kept whole in the
    /// `Struct`, as upb keeps it) and in `AutoscalerOptions.env` entries.
    ///
    /// [`serialize_to_string`]: Self::serialize_to_string
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError>;

    /// Decodes the binary encoding, refusing a field the schema does not
    /// know ([`DecodeError::UnknownField`], naming the first with its path):
    /// for readers that must understand every field.
    fn from_bytes_strict(bytes: &[u8]) -> Result<Self, DecodeError>;

    /// Decodes the binary encoding, dropping fields the schema does not
    /// know (as prost does; e.g. fields of a newer flyteidl).
    fn from_bytes_ignoring_unknown_fields(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::from_bytes(bytes).map(Self::without_unknown_fields)
    }

    /// Every field of this model and the messages inside it that the schema
    /// does not know (kept from the bytes it was decoded from), in field
    /// order: where (JSON path of the holding message), the field number
    /// and wire type. Empty for a model built in code or read from JSON,
    /// YAML or a `Struct`.
    fn unknown_fields(&self) -> Vec<UnknownField>;

    /// Whether [`unknown_fields`](Self::unknown_fields) is not empty
    /// (without allocating).
    fn has_unknown_fields(&self) -> bool;

    /// The model without its unknown fields: what can be written as JSON,
    /// YAML and text (which cannot carry them).
    #[must_use]
    fn without_unknown_fields(self) -> Self;

    /// flytekit's `is_empty`: the encoding has zero bytes.
    fn is_empty(&self) -> bool {
        self.canonical_len() == 0
    }

    /// flytekit's `short_string()`: `Flyte Serialized object (RayJob):`
    /// followed by a YAML-like rendering, identical to flytekit's output.
    fn short_string(&self) -> String {
        render_short(Self::TYPE_NAME, Self::PROTO2_NAME, &known_bytes(self))
    }

    /// flytekit's `verbose_string()`, which is the same as `short_string()`.
    fn verbose_string(&self) -> String {
        self.short_string()
    }

    /// The protobuf text format (Python's `str(msg)`), of the known fields
    /// only; see [`to_text_format`](Self::to_text_format).
    fn text_format(&self) -> String {
        render_text(Self::PROTO2_NAME, &known_bytes(self))
    }

    /// The protobuf text format, or an error naming the first unknown field
    /// the model holds: text format cannot carry them, and this does not
    /// drop them silently ([`text_format`](Self::text_format) does, as
    /// Python's `str(msg)`).
    fn to_text_format(&self) -> Result<String, JsonError> {
        if self.has_unknown_fields() {
            let mut all = self.unknown_fields();
            all.truncate(1);
            return Err(JsonError::Write(format!(
                "{}: text format cannot carry fields the schema does not know \
                 (drop them on purpose with without_unknown_fields / --ignore-unknown-fields)",
                all.first().map_or_else(String::new, ToString::to_string)
            )));
        }
        Ok(self.text_format())
    }

    /// Parses protobuf text format: what [`text_format`](Self::text_format)
    /// writes (Python's `str(msg)`), with what Python's `text_format.Parse`
    /// also reads — `#` comments, `<`/`>` for braces, `:` left out before a
    /// message, short-form lists (`field: [a, b]`), adjacent strings
    /// joined, octal/hex/Unicode escapes, enums by name or number, fields
    /// in any order, separators `,` and `;`.
    ///
    /// Strict, as the other readers: an unknown field, a singular field
    /// given twice and two fields of one oneof are errors (as in Python);
    /// nesting deeper than [`MAX_TEXT_DEPTH`] is refused before parsing;
    /// a few spellings where protobuf runtimes disagree are refused rather
    /// than guessed (`\?`, `- 5`). Errors carry the line, the column and the field path
    /// ([`TextError`]). prost-reflect's text-format parser does the
    /// parsing, with the descriptor of the flyteidl2 message (which has
    /// every field of the flyteidl one).
    ///
    /// ```
    /// use flyte_ray_models::{FlyteIdlEntity, WorkerGroupSpec};
    ///
    /// let text = "group_name: \"gpu\"\nreplicas: 2\nmin_replicas: 2\nmax_replicas: 2\n";
    /// let g = WorkerGroupSpec::from_text(text).unwrap();
    /// assert_eq!(g, WorkerGroupSpec::new("gpu", 2));
    /// assert_eq!(g.text_format(), text);
    ///
    /// let err = WorkerGroupSpec::from_text("replicas: 2\nreplicaz: 3\n").unwrap_err();
    /// assert_eq!((err.line, err.column, err.path.as_str()), (2, 1, "replicaz"));
    /// ```
    fn from_text(s: &str) -> Result<Self, TextError> {
        let bytes =
            flyte_ray_fmt::text_format_to_bytes(Self::PROTO2_NAME, s).map_err(|e| match e {
                flyte_ray_fmt::FmtError::Parse(e) => e,
                other => TextError::new(Self::PROTO2_NAME, "", 1, 1, other.to_string()),
            })?;
        Self::from_bytes(&bytes)
            .map_err(|e| TextError::new(Self::PROTO2_NAME, "", 1, 1, e.to_string()))
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

    /// [`from_json_with`](Self::from_json_with), also returning every key
    /// that [`JsonOptions::ignore_unknown_fields`] skipped (unknown fields,
    /// unknown enum value names), with its path, in document order: so a
    /// tool can say what it dropped instead of dropping it silently.
    fn from_json_reporting(
        s: &str,
        options: &JsonOptions,
    ) -> Result<(Self, Vec<json::SkippedField>), JsonError>;

    /// The same mapping as [`to_json`](Self::to_json), written as YAML.
    fn to_yaml(&self) -> Result<String, JsonError>;

    /// Parses YAML with the proto3 JSON mapping, strictly.
    fn from_yaml(s: &str) -> Result<Self, JsonError> {
        Self::from_yaml_with(s, &JsonOptions::default())
    }

    /// Parses YAML with options.
    fn from_yaml_with(s: &str, options: &JsonOptions) -> Result<Self, JsonError>;

    /// [`from_yaml_with`](Self::from_yaml_with), also returning every key
    /// skipped under [`JsonOptions::ignore_unknown_fields`]; see
    /// [`from_json_reporting`](Self::from_json_reporting).
    fn from_yaml_reporting(
        s: &str,
        options: &JsonOptions,
    ) -> Result<(Self, Vec<json::SkippedField>), JsonError>;

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

/// The encoding of the known fields only (a copy without the unknown
/// fields, when there are any).
pub(crate) fn known_bytes<T: FlyteIdlEntity>(m: &T) -> Vec<u8> {
    if m.has_unknown_fields() {
        m.clone().without_unknown_fields().serialize_to_string()
    } else {
        m.serialize_to_string()
    }
}

/// The general decoding path, for what the direct decoder leaves: prost,
/// then the scan for unknown fields, which are an error here (prost's IDL
/// structs cannot keep them).
pub(crate) fn decode_general<T: FlyteIdlEntity>(bytes: &[u8]) -> Result<T, DecodeError> {
    let model = decode_prost(bytes)?;
    if let Some(u) = unknown::find_unknown(T::PROTO2_NAME, bytes) {
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
    ($ty:ident, $idl:ident :: $msg:ident, $proto:literal) => {
        impl FlyteIdlEntity for $ty {
            type Idl = flyte_ray_idl::flyteidl2::$idl::$msg;
            type IdlV1 = flyte_ray_idl::flyteidl::$idl::$msg;
            const TYPE_NAME: &'static str = stringify!($ty);
            const PROTO_NAME: &'static str = concat!("flyteidl.", $proto);
            const PROTO2_NAME: &'static str = concat!("flyteidl2.", $proto);

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
            fn from_bytes_strict(bytes: &[u8]) -> Result<Self, DecodeError> {
                let model = match decode::decode_fast::<Self>(bytes) {
                    Some(model) if !model.has_unknown_fields() => return Ok(model),
                    // prost's errors for a wrong wire type, the scan's
                    // (with proto paths) for an unknown field.
                    _ => decode_general::<Self>(bytes)?,
                };
                match model.unknown_fields().into_iter().next() {
                    None => Ok(model),
                    Some(u) => Err(DecodeError::UnknownField {
                        message: Self::PROTO_NAME,
                        path: u.path,
                        holder: u.message.rsplit('.').next().unwrap_or(u.message).to_owned(),
                        number: u.number,
                    }),
                }
            }
            fn from_bytes_ignoring_unknown_fields(bytes: &[u8]) -> Result<Self, DecodeError> {
                match decode::decode_fast(bytes) {
                    Some(model) => Ok(<Self as FlyteIdlEntity>::without_unknown_fields(model)),
                    None => decode_prost(bytes),
                }
            }
            fn unknown_fields(&self) -> Vec<UnknownField> {
                let mut out = Vec::new();
                unknown_fields::Unknowns::collect_unknown(self, "", &mut out);
                out
            }
            fn has_unknown_fields(&self) -> bool {
                unknown_fields::Unknowns::has_unknown(self)
            }
            fn without_unknown_fields(mut self) -> Self {
                unknown_fields::Unknowns::strip_unknown(&mut self);
                self
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
            fn from_json_reporting(
                s: &str,
                options: &JsonOptions,
            ) -> Result<(Self, Vec<json::SkippedField>), JsonError> {
                json::from_json_str_reporting(s, options)
            }
            fn to_yaml(&self) -> Result<String, JsonError> {
                json::to_yaml_string(self)
            }
            fn from_yaml_with(s: &str, options: &JsonOptions) -> Result<Self, JsonError> {
                json::from_yaml_str(s, options)
            }
            fn from_yaml_reporting(
                s: &str,
                options: &JsonOptions,
            ) -> Result<(Self, Vec<json::SkippedField>), JsonError> {
                json::from_yaml_str_reporting(s, options)
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

entity!(RayJob, plugins::RayJob, "plugins.RayJob");
entity!(RayCluster, plugins::RayCluster, "plugins.RayCluster");
entity!(
    HeadGroupSpec,
    plugins::HeadGroupSpec,
    "plugins.HeadGroupSpec"
);
entity!(
    WorkerGroupSpec,
    plugins::WorkerGroupSpec,
    "plugins.WorkerGroupSpec"
);
entity!(
    AutoscalerOptions,
    plugins::AutoscalerOptions,
    "plugins.AutoscalerOptions"
);
entity!(K8sPod, core::K8sPod, "core.K8sPod");
entity!(
    K8sObjectMetadata,
    core::K8sObjectMetadata,
    "core.K8sObjectMetadata"
);
entity!(Resources, core::Resources, "core.Resources");
entity!(
    DataLoadingConfig,
    core::DataLoadingConfig,
    "core.DataLoadingConfig"
);
entity!(IOStrategy, core::IoStrategy, "core.IOStrategy");
entity!(
    ExtendedResources,
    core::ExtendedResources,
    "core.ExtendedResources"
);
entity!(GPUAccelerator, core::GpuAccelerator, "core.GPUAccelerator");
entity!(SharedMemory, core::SharedMemory, "core.SharedMemory");
