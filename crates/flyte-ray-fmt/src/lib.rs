#![doc = include_str!("../README.md")]

pub mod goyaml;
mod json_read;
mod py;
pub mod pyjson;
pub mod pyobj;
pub mod pyyaml;
mod scalar;
mod short;
mod text;
mod text_read;
#[rustfmt::skip]
mod unicode_tables;
mod wire;
mod wrap;

use std::sync::OnceLock;

use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};

pub use crate::py::{py_isprintable, py_repr_str};
pub use crate::text::{c_escape, format_double};
pub use crate::text_read::{MAX_TEXT_DEPTH, TextError};
pub use crate::wrap::shorten;

/// Version of the Unicode data behind [`py_isprintable`] and [`shorten`]'s
/// character classes: that of Python 3.11, which produced the golden cases.
///
/// ```
/// assert_eq!(flyte_ray_fmt::UNICODE_VERSION, "14.0.0");
/// ```
pub const UNICODE_VERSION: &str = unicode_tables::UNICODE_VERSION;

/// What went wrong, and with which message.
///
/// ```
/// use flyte_ray_fmt::{FmtError, text_format_bytes};
///
/// let err = text_format_bytes("no.Such", b"").unwrap_err();
/// assert!(matches!(err, FmtError::UnknownMessage { ref name } if name == "no.Such"));
/// let err = text_format_bytes("flyteidl.core.IOStrategy", b"\x08").unwrap_err();
/// assert!(matches!(err, FmtError::Decode { len: 1, .. }));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FmtError {
    /// The message name is not in [`flyte_ray_idl::FILE_DESCRIPTOR_SET`].
    #[error("unknown message `{name}`: not in the flyte-ray descriptor set")]
    UnknownMessage {
        /// The full protobuf name asked for.
        name: String,
    },
    /// The bytes are not a valid protobuf encoding of the message.
    #[error("cannot decode `{message}` from {len} bytes: {source}")]
    Decode {
        /// Full protobuf name of the message.
        message: String,
        /// Length of the input.
        len: usize,
        /// The decoder's error.
        #[source]
        source: prost_reflect::prost::DecodeError,
    },
    /// The text is not valid protobuf text format for the message: where
    /// (line, column, field path) and what is wrong.
    #[error("cannot parse `{message}` from text format: {0}", message = .0.message)]
    Parse(TextError),
}

/// The descriptor pool of [`flyte_ray_idl::FILE_DESCRIPTOR_SET`], decoded once.
///
/// ```
/// let ray_job = flyte_ray_fmt::pool().get_message_by_name("flyteidl.plugins.RayJob");
/// assert!(ray_job.is_some());
/// ```
///
/// # Panics
///
/// Never in practice: the descriptor set is compiled in, and the crate's
/// tests decode it.
pub fn pool() -> &'static DescriptorPool {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    POOL.get_or_init(|| {
        DescriptorPool::decode(flyte_ray_idl::FILE_DESCRIPTOR_SET)
            .expect("flyte_ray_idl::FILE_DESCRIPTOR_SET is a valid FileDescriptorSet")
    })
}

/// The descriptor of a message by its full protobuf name.
fn descriptor(message_name: &str) -> Result<MessageDescriptor, FmtError> {
    pool()
        .get_message_by_name(message_name)
        .ok_or_else(|| FmtError::UnknownMessage {
            name: message_name.to_owned(),
        })
}

/// Decodes `bytes` as the message `message_name`.
fn decode(message_name: &str, bytes: &[u8]) -> Result<DynamicMessage, FmtError> {
    let desc = descriptor(message_name)?;
    DynamicMessage::decode(desc, bytes).map_err(|source| FmtError::Decode {
        message: message_name.to_owned(),
        len: bytes.len(),
        source,
    })
}

/// Protobuf text format of `message`, exactly as Python's `str(msg)` (the
/// upb/C++ printer) writes it.
///
/// Set fields in field-number order, two spaces of indent per level, map
/// entries sorted by key with both `key` and `value`, doubles as
/// [`format_double`], strings escaped as [`c_escape`]. An empty message is
/// `""`. Unknown fields are not printed.
///
/// ```
/// use flyte_ray_fmt::{pool, text_format};
/// use prost_reflect::{DynamicMessage, Value};
///
/// let desc = pool().get_message_by_name("flyteidl.plugins.WorkerGroupSpec").unwrap();
/// let mut msg = DynamicMessage::new(desc);
/// msg.set_field_by_name("group_name", Value::String("gpu".into()));
/// msg.set_field_by_name("replicas", Value::I32(2));
/// assert_eq!(text_format(&msg), "group_name: \"gpu\"\nreplicas: 2\n");
/// ```
pub fn text_format(message: &DynamicMessage) -> String {
    let mut out = String::new();
    text::write_message(&mut out, message, 0);
    out
}

/// flytekit's `short_string()` (and `verbose_string()`) of a model whose
/// `to_flyte_idl()` is `message`; `type_name` is the flytekit class name
/// (`RayJob`, `K8sPod`, ...).
///
/// ```
/// use flyte_ray_fmt::{pool, short_string};
/// use prost_reflect::{DynamicMessage, Value};
///
/// let desc = pool().get_message_by_name("flyteidl.plugins.WorkerGroupSpec").unwrap();
/// let mut msg = DynamicMessage::new(desc);
/// msg.set_field_by_name("group_name", Value::String("gpu".into()));
/// msg.set_field_by_name("replicas", Value::I32(2));
/// assert_eq!(
///     short_string("WorkerGroupSpec", &msg),
///     "Flyte Serialized object (WorkerGroupSpec):\n  group_name: gpu\n  replicas: 2"
/// );
/// ```
pub fn short_string(type_name: &str, message: &DynamicMessage) -> String {
    short::short_string(type_name, message)
}

/// [`text_format`] of `bytes` decoded as the message `message_name` (full
/// protobuf name, e.g. `flyteidl.plugins.RayJob`).
///
/// ```
/// let text = flyte_ray_fmt::text_format_bytes("flyteidl.core.IOStrategy", b"\x08\x01").unwrap();
/// assert_eq!(text, "download_mode: DOWNLOAD_STREAM\n");
/// assert!(flyte_ray_fmt::text_format_bytes("no.Such", b"").is_err());
/// ```
///
/// # Errors
///
/// [`FmtError::UnknownMessage`] when the name is not in the descriptor set,
/// [`FmtError::Decode`] when the bytes do not decode.
pub fn text_format_bytes(message_name: &str, bytes: &[u8]) -> Result<String, FmtError> {
    if let Some(out) = fast_path(message_name, bytes, Input::Any, |printer, out, index| {
        printer.text(out, bytes, index, 0)
    }) {
        return Ok(out);
    }
    Ok(text_format(&decode(message_name, bytes)?))
}

/// What the caller knows of the bytes it hands to [`fast_path`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    /// Anything: [`wire::validate`] checks it before printing.
    Any,
    /// Written by [`flyte_ray_idl::canonical::CanonicalEncode`] from valid
    /// Rust values: known fields in number order, each singular field and
    /// oneof once, map keys sorted, strings valid UTF-8. That is what
    /// [`wire::validate`] would check, so the pass is skipped; the printer
    /// still refuses malformed records, bad UTF-8 and nesting past its limit.
    Canonical,
}

/// Prints straight from the wire bytes when [`wire::validate`] accepts them
/// (or, for [`Input::Canonical`], without that pass); `None` sends the
/// caller to the reflection path.
fn fast_path(
    message_name: &str,
    bytes: &[u8],
    input: Input,
    print: impl FnOnce(&wire::Printer<'_>, &mut String, usize) -> Result<(), wire::Halt>,
) -> Option<String> {
    let schema = wire::schema();
    let index = schema.message_index(message_name)?;
    if input == Input::Any && !wire::validate(schema, bytes, index, 0) {
        return None;
    }
    let printer = wire::Printer {
        schema,
        limit: usize::MAX,
        depth: std::cell::Cell::new(0),
    };
    let mut out = String::with_capacity(bytes.len() * 2);
    print(&printer, &mut out, index).ok()?;
    Some(out)
}

/// [`short_string`] of `bytes` decoded as the message `message_name`.
///
/// ```
/// let s = flyte_ray_fmt::short_string_bytes("IOStrategy", "flyteidl.core.IOStrategy", b"\x08\x01")
///     .unwrap();
/// assert_eq!(s, "Flyte Serialized object (IOStrategy):\n  download_mode: 1");
/// ```
///
/// # Errors
///
/// As [`text_format_bytes`].
pub fn short_string_bytes(
    type_name: &str,
    message_name: &str,
    bytes: &[u8],
) -> Result<String, FmtError> {
    short_string_of(type_name, message_name, bytes, Input::Any)
}

/// [`short_string_bytes`] of bytes that
/// [`CanonicalEncode`](flyte_ray_idl::canonical::CanonicalEncode) wrote (what
/// every model's `serialize_to_string` returns): the same string, one pass
/// over the bytes fewer.
///
/// The up-front check of [`short_string_bytes`] (fields in number order,
/// no field set twice, map keys sorted) is skipped, because the canonical
/// encoder guarantees it. Bytes that are not canonical may then print
/// differently from flytekit (a repeated singular field printed twice, say),
/// so hand this function only what the canonical encoder wrote; malformed
/// bytes, bad UTF-8 and deep nesting still go to the reference path.
///
/// ```
/// let s = flyte_ray_fmt::short_string_canonical("IOStrategy", "flyteidl.core.IOStrategy", b"\x08\x01")
///     .unwrap();
/// assert_eq!(s, "Flyte Serialized object (IOStrategy):\n  download_mode: 1");
/// ```
///
/// # Errors
///
/// As [`text_format_bytes`].
pub fn short_string_canonical(
    type_name: &str,
    message_name: &str,
    bytes: &[u8],
) -> Result<String, FmtError> {
    short_string_of(type_name, message_name, bytes, Input::Canonical)
}

fn short_string_of(
    type_name: &str,
    message_name: &str,
    bytes: &[u8],
    input: Input,
) -> Result<String, FmtError> {
    if let Some(out) = fast_path(message_name, bytes, input, |printer, out, index| {
        short::header(out, type_name);
        let start = out.len();
        printer.yaml(out, bytes, index, 2)?;
        short::trim_trailing_newlines(out, start);
        Ok(())
    }) {
        return Ok(out);
    }
    Ok(short_string(type_name, &decode(message_name, bytes)?))
}

/// Parses protobuf text format as the message `message_name`; reads back
/// what [`text_format`] writes, and what Python's `text_format.Parse`
/// reads, strictly: an unknown field, a singular field given twice, two
/// fields of one oneof are errors; nesting is bounded by
/// [`MAX_TEXT_DEPTH`]; errors carry line, column and field path
/// ([`TextError`]). prost-reflect's parser does the parsing.
///
/// ```
/// let msg = flyte_ray_fmt::parse_text_format("flyteidl.core.IOStrategy", "upload_mode: UPLOAD_EAGER\n")
///     .unwrap();
/// assert_eq!(flyte_ray_fmt::text_format(&msg), "upload_mode: UPLOAD_EAGER\n");
/// ```
///
/// # Errors
///
/// [`FmtError::UnknownMessage`] when the name is not in the descriptor set,
/// [`FmtError::Parse`] when the text does not parse.
pub fn parse_text_format(message_name: &str, text: &str) -> Result<DynamicMessage, FmtError> {
    let desc = descriptor(message_name)?;
    text_read::parse_then(desc, text, |m| m).map_err(FmtError::Parse)
}

/// [`parse_text_format`], then the message's binary encoding (what a model
/// decodes from). Deeply nested text is parsed, encoded and dropped on a
/// thread with a large stack, so this works on any thread up to
/// [`MAX_TEXT_DEPTH`] levels.
///
/// ```
/// let pb = flyte_ray_fmt::text_format_to_bytes("flyteidl.core.IOStrategy", "upload_mode: 1").unwrap();
/// assert_eq!(pb, b"\x10\x01");
/// ```
///
/// # Errors
/// As [`parse_text_format`].
pub fn text_format_to_bytes(message_name: &str, text: &str) -> Result<Vec<u8>, FmtError> {
    use prost_reflect::prost::Message as _;
    let desc = descriptor(message_name)?;
    text_read::parse_then(desc, text, |m| m.encode_to_vec()).map_err(FmtError::Parse)
}
