//! proto3 JSON and YAML for every model, exactly as flytekit's
//! `MessageToDict` / `ParseDict` (protobuf's `json_format`) map them.
//!
//! # Writing
//! camelCase names in field-number order; a field at its default value is
//! left out; a present sub-message is always written (`{}` when empty); enums
//! by name (a number the enum does not define as the number); int32 as JSON
//! numbers; the pod spec (`google.protobuf.Struct`) as plain JSON, every
//! number a double. A NaN or infinite pod-spec number cannot be written in
//! JSON: writing fails with protobuf's own words and the path of the number
//! (`rayCluster.headGroupSpec.k8sPod.podSpec.x: Fail to serialize NaN for
//! Value.number_value, which would parse as string_value`), never with
//! invalid JSON. Pretty output is indented by 2 spaces.
//!
//! # Reading
//! What `ParseDict` accepts, checked against protobuf 7.36.2 (upb), with the
//! deviations listed below:
//! - a field by its camelCase (`minReplicas`) or proto (`min_replicas`) name;
//!   when both spellings are present the later one wins, as in `ParseDict`;
//!   the same key twice is an error (`json_format.Parse` rejects it too);
//! - `null` for any field means "unset" (the default);
//! - int32 from a JSON number that is an integer (`2.0` and `1e2` are fine,
//!   `3.5` is not) or from a string holding one (`"3"`, `"-3"`, `"+3"`,
//!   `"1e2"`, `"3.0"`); anything else, or a value outside the int32 range, is
//!   an error;
//! - enums by value name or number (a JSON number or a decimal string); an
//!   unknown number is kept, an unknown name is an error listing the names
//!   (skipped, like an unknown field, with
//!   [`ignore_unknown_fields`](JsonOptions::ignore_unknown_fields));
//! - bools only as `true`/`false`, strings only as strings, maps only as
//!   objects of strings, repeated fields only as arrays without `null`s;
//! - an unknown field is an error naming the message, the field and the
//!   known fields, unless [`JsonOptions::ignore_unknown_fields`];
//!   [`from_json_reporting`](crate::FlyteIdlEntity::from_json_reporting)
//!   and [`from_yaml_reporting`](crate::FlyteIdlEntity::from_yaml_reporting)
//!   then list every key skipped ([`SkippedField`]: path and key).
//!
//! Deliberately stricter than Python, whose leniency there comes from
//! Python's own `int()` rather than from the proto3 JSON specification: we
//! reject `1.5` and `true` for an enum (Python truncates them), `"1_000"` and
//! non-ASCII digits (`"١"`) in numeric strings, and `[]` where a message is
//! expected (Python reads it as `{}`).
//!
//! Every read error carries the JSON path of the offending value, e.g.
//! `rayCluster.workerGroupSpec[1].replicas: expected an int32, found 3.5 at
//! line 1 column 52`.
//!
//! # serde
//! Every model implements [`serde::Serialize`] and [`serde::Deserialize`]
//! with this same mapping (strict options), hand-written and streaming (no
//! intermediate `serde_json::Value`), so a model embeds in your own serde
//! types. `serde_json::from_str::<RayJob>` accepts and refuses exactly what
//! [`from_json`](crate::FlyteIdlEntity::from_json) does, with the same
//! message (only the path is left out). To read with other options inside your own types, use
//! [`JsonSeed`]. Wrap your deserializer with `serde_path_to_error` to get
//! paths for embedded models.
//!
//! # YAML
//! [`to_yaml`](crate::FlyteIdlEntity::to_yaml) and
//! [`from_yaml`](crate::FlyteIdlEntity::from_yaml) use the same mapping through
//! [`serde_yaml_ng`]. Not `serde_yaml`: that crate is archived and
//! unmaintained; `serde_yaml_ng` is its maintained fork on the same
//! libyaml-derived parser (`unsafe-libyaml`), and keeps its defences against
//! hostile input: a limit on how often aliases may be repeated (a
//! "billion laughs" alias bomb fails fast, in bounded memory) and a recursion
//! limit (128 levels). On top of those, a linear pre-scan refuses documents
//! nesting `[`/`{` deeper than [`MAX_YAML_FLOW_DEPTH`]: libyaml's scanner is
//! quadratic in that depth, so 100 000 nested `[` would otherwise take tens
//! of seconds before the recursion limit is reached.
//! YAML integers and floats inside a pod spec become doubles, as in JSON. A
//! plain YAML scalar where a string is expected is read as that string
//! (`num-cpus: 0` in `rayStartParams` is the string `"0"`).
//!
//! Merge keys work as YAML 1.1 defines them: `<<: *anchor` (or a list of
//! mappings, `<<: [*a, *b]`) in a message or a string map brings in the
//! anchored mapping's fields; the mapping's own keys win wherever they are
//! written, and in a list earlier mappings win over later ones. Aliases are
//! replayed by `serde_yaml_ng`, so its alias-repetition limit holds through
//! merges too. Inside a pod spec (a free-form `Struct`) `<<` stays an
//! ordinary key. Errors inside merged content have `<<` in their path
//! (`workerGroupSpec[0].<<[1].replicaz`).
//!
//! A read error gives the line and column of the offending key itself
//! (`rayCluster.workerGroupSpec[3].replicaz: message ... has no field named
//! "replicaz" ... at line 86 column 7`), the second occurrence for a
//! duplicate key, found after the failure by walking the document's events
//! again with `yaml-rust2` (see `locate.rs`).

mod codec;
mod locate;
mod messages;

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeSeed;

use crate::wire::{WireDepth, too_deep};
pub(crate) use codec::Message;
use codec::{Ctx, MsgVisitor};

/// Options for reading JSON and YAML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsonOptions {
    /// Skip fields the schema does not know instead of failing, as Flyte's
    /// Go backend does. Off by default: an unknown field is an error. Like
    /// `ParseDict(ignore_unknown_fields=True)`, this also leaves an enum
    /// field unset when its value is an unknown name.
    pub ignore_unknown_fields: bool,
}

impl JsonOptions {
    /// Strict options: unknown fields are errors.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets whether unknown fields are skipped.
    #[must_use]
    pub fn ignore_unknown_fields(mut self, ignore: bool) -> Self {
        self.ignore_unknown_fields = ignore;
        self
    }
}

/// A key [`JsonOptions::ignore_unknown_fields`] skipped while reading
/// JSON or YAML: what
/// [`from_json_reporting`](crate::FlyteIdlEntity::from_json_reporting) and
/// [`from_yaml_reporting`](crate::FlyteIdlEntity::from_yaml_reporting)
/// list, in document order.
///
/// ```
/// use flyte_ray_models::json::{JsonOptions, SkipReason};
/// use flyte_ray_models::{FlyteIdlEntity, RayJob};
///
/// let options = JsonOptions::new().ignore_unknown_fields(true);
/// let json = r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicaz": 2}]}}"#;
/// let (job, skipped) = RayJob::from_json_reporting(json, &options).unwrap();
/// assert_eq!(job.ray_cluster().unwrap().worker_group_spec()[0].group_name(), "w");
/// assert_eq!(skipped.len(), 1);
/// assert_eq!(skipped[0].path, "rayCluster.workerGroupSpec[0]");
/// assert_eq!(skipped[0].key, "replicaz");
/// assert_eq!(skipped[0].reason, SkipReason::UnknownField { message: "flyteidl.plugins.WorkerGroupSpec" });
/// assert_eq!(
///     skipped[0].to_string(),
///     "rayCluster.workerGroupSpec[0].replicaz: skipped: flyteidl.plugins.WorkerGroupSpec has no field named \"replicaz\""
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedField {
    /// JSON path of the message holding the key, from the model
    /// (`rayCluster.workerGroupSpec[0]`, `<<` for content merged in by a
    /// YAML merge key); empty for the model itself.
    pub path: String,
    /// The key as written in the input (`replicaz`; for an enum value, the
    /// field's key).
    pub key: String,
    /// Why it was skipped.
    pub reason: SkipReason,
}

impl SkippedField {
    /// The full JSON path of the skipped key (`rayCluster.replicaz`).
    pub fn key_path(&self) -> String {
        if self.path.is_empty() {
            self.key.clone()
        } else {
            format!("{}.{}", self.path, self.key)
        }
    }
}

impl fmt::Display for SkippedField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: skipped: ", self.key_path())?;
        match &self.reason {
            SkipReason::UnknownField { message } => {
                write!(f, "{message} has no field named {:?}", self.key)
            }
            SkipReason::UnknownEnumValue { enum_name, value } => {
                write!(
                    f,
                    "{value:?} is no value of {enum_name}; the field is left unset"
                )
            }
        }
    }
}

/// Why a [`SkippedField`] was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// The message has no field of that name.
    UnknownField {
        /// Full protobuf name of the message (`flyteidl.plugins.RayCluster`).
        message: &'static str,
    },
    /// An enum field holds a name the enum does not define (`ParseDict`
    /// with `ignore_unknown_fields` leaves it unset too).
    UnknownEnumValue {
        /// Full protobuf name of the enum.
        enum_name: &'static str,
        /// The name as written.
        value: String,
    },
}

/// A JSON or YAML document that does not map to the model, or a model that
/// cannot be written (a NaN in a pod spec).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// Reading failed at `path` (`rayCluster.workerGroupSpec[1].replicas`).
    #[error("{path}: {message}")]
    Read {
        /// JSON path of the offending value; `.` for the document itself.
        path: String,
        /// What is wrong (with the line and column when the parser knows
        /// them).
        message: String,
    },
    /// Writing failed; the message starts with the JSON path of the value
    /// that cannot be written (`rayCluster.headGroupSpec.k8sPod.podSpec.x:
    /// Fail to serialize NaN ...`).
    #[error("cannot write JSON: {0}")]
    Write(String),
}

impl JsonError {
    /// The JSON path of a read error (`.` for the document itself); `None`
    /// for a write error.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Read { path, .. } => Some(path),
            Self::Write(_) => None,
        }
    }
}

/// A [`DeserializeSeed`] that reads a model with [`JsonOptions`], for models
/// embedded in your own serde types (the plain [`serde::Deserialize`] impls
/// are strict).
///
/// ```
/// use flyte_ray_models::json::{JsonOptions, JsonSeed};
/// use flyte_ray_models::WorkerGroupSpec;
/// use serde::de::DeserializeSeed;
///
/// let options = JsonOptions::new().ignore_unknown_fields(true);
/// let mut de = serde_json::Deserializer::from_str(r#"{"replicas": "2", "future": 1}"#);
/// let g: WorkerGroupSpec = JsonSeed::new(&options).deserialize(&mut de).unwrap();
/// assert_eq!(g.replicas(), 2);
/// ```
pub struct JsonSeed<'o, T> {
    options: &'o JsonOptions,
    _model: PhantomData<fn() -> T>,
}

impl<'o, T> JsonSeed<'o, T> {
    /// A seed reading `T` with `options`.
    pub fn new(options: &'o JsonOptions) -> Self {
        Self {
            options,
            _model: PhantomData,
        }
    }
}

impl<T> fmt::Debug for JsonSeed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonSeed")
            .field("options", self.options)
            .finish()
    }
}

/// Implemented by every model; see [`JsonSeed`]. Reads as
/// [`from_json_with`](crate::FlyteIdlEntity::from_json_with) does, without
/// the path in the error (wrap with `serde_path_to_error` for it).
#[allow(private_bounds)]
impl<'de, T: Message + WireDepth> DeserializeSeed<'de> for JsonSeed<'_, T> {
    type Value = T;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        let ctx = Ctx::new(self.options);
        let model = d.deserialize_map(MsgVisitor::<T>::new(&ctx))?;
        match too_deep(&model) {
            None => Ok(model),
            Some(message) => Err(serde::de::Error::custom(message)),
        }
    }
}

pub(crate) fn to_json_string<T: serde::Serialize>(
    model: &T,
    pretty: bool,
) -> Result<String, JsonError> {
    let r = if pretty {
        serde_json::to_string_pretty(model)
    } else {
        serde_json::to_string(model)
    };
    r.map_err(|e| JsonError::Write(e.to_string()))
}

pub(crate) fn from_json_str<T: Message + WireDepth>(
    s: &str,
    options: &JsonOptions,
) -> Result<T, JsonError> {
    json_in_ctx(s, &Ctx::new(options))
}

/// [`from_json_str`], also returning every key skipped under
/// `ignore_unknown_fields`.
pub(crate) fn from_json_str_reporting<T: Message + WireDepth>(
    s: &str,
    options: &JsonOptions,
) -> Result<(T, Vec<SkippedField>), JsonError> {
    let ctx = Ctx::new(options).reporting();
    json_in_ctx(s, &ctx).map(|m| (m, ctx.take_skipped()))
}

fn json_in_ctx<T: Message + WireDepth>(s: &str, ctx: &Ctx) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_str(s);
    let r = serde::Deserializer::deserialize_map(&mut de, MsgVisitor::<T>::new(ctx))
        .and_then(|v| de.end().map(|()| v));
    r.map_err(|e| ctx.read_error(&e)).and_then(decodable)
}

/// Reads a model from a JSON value (the `Struct` bridge, `structs.rs`),
/// exactly as [`from_json_str`] reads the same JSON text.
pub(crate) fn read_value<T: Message + WireDepth>(
    value: serde_json::Value,
    options: &JsonOptions,
) -> Result<T, JsonError> {
    let ctx = Ctx::new(options);
    serde::Deserializer::deserialize_map(value, MsgVisitor::<T>::new(&ctx))
        .map_err(|e| ctx.read_error(&e))
        .and_then(decodable)
}

/// `ResourceEntry` is read from text on its own (serde, [`JsonSeed`]) but
/// is not a `FlyteIdlEntity`, so `wire.rs` has no depth for it: it holds
/// only scalars.
impl WireDepth for crate::ResourceEntry {
    fn wire_depth(&self) -> usize {
        0
    }
}

/// [`too_deep`](crate::wire::too_deep) as a [`JsonError`] at the document's root.
fn decodable<T: WireDepth>(model: T) -> Result<T, JsonError> {
    match too_deep(&model) {
        None => Ok(model),
        Some(message) => Err(JsonError::Read {
            path: ".".to_owned(),
            message,
        }),
    }
}

pub(crate) fn to_yaml_string<T: serde::Serialize>(model: &T) -> Result<String, JsonError> {
    serde_yaml_ng::to_string(model).map_err(|e| JsonError::Write(e.to_string()))
}

/// How deep collections may nest in a YAML document before it is refused
/// unparsed. libyaml's scanner spends time proportional to the flow depth on
/// every token, so 100 000 nested `[` would take tens of seconds before
/// `serde_yaml_ng`'s recursion limit (128) could refuse them. The limit is
/// above that recursion limit, so it never refuses a document
/// `serde_yaml_ng` would read.
pub const MAX_YAML_FLOW_DEPTH: usize = 256;

pub(crate) fn from_yaml_str<T: Message + WireDepth>(
    s: &str,
    options: &JsonOptions,
) -> Result<T, JsonError> {
    yaml_in_ctx(s, &Ctx::yaml(options))
}

/// [`from_yaml_str`], also returning every key skipped under
/// `ignore_unknown_fields`.
pub(crate) fn from_yaml_str_reporting<T: Message + WireDepth>(
    s: &str,
    options: &JsonOptions,
) -> Result<(T, Vec<SkippedField>), JsonError> {
    let ctx = Ctx::yaml(options).reporting();
    yaml_in_ctx(s, &ctx).map(|m| (m, ctx.take_skipped()))
}

fn yaml_in_ctx<T: Message + WireDepth>(s: &str, ctx: &Ctx) -> Result<T, JsonError> {
    check_yaml_flow_depth(s)?;
    let de = serde_yaml_ng::Deserializer::from_str(s);
    serde::Deserializer::deserialize_map(de, MsgVisitor::<T>::new(ctx))
        .map_err(|e| yaml_read_error(s, ctx, &e))
        .and_then(decodable)
}

/// A YAML read error with the path once and the line and column of the
/// offending key itself (`serde_yaml_ng` gives the enclosing mapping's for
/// errors our visitors raise, and puts its own copy of the path in front).
fn yaml_read_error(s: &str, ctx: &Ctx, e: &serde_yaml_ng::Error) -> JsonError {
    let path = ctx.path_string();
    let mut message = e.to_string();
    // serde_yaml_ng's path (of the mapping being read) in front: drop it.
    if let Some((theirs, rest)) = message.split_once(": ")
        && path != "."
        && (path == theirs
            || path.starts_with(&format!("{theirs}."))
            || path.starts_with(&format!("{theirs}[")))
    {
        message = rest.to_owned();
    }
    let duplicate = message.starts_with("duplicate key ");
    if let Some((line, column)) = locate::locate(s, &ctx.steps(), duplicate) {
        if let Some(loc) = e.location() {
            let theirs = format!(" at line {} column {}", loc.line(), loc.column());
            if let Some(rest) = message.strip_suffix(&theirs) {
                message = rest.to_owned();
            }
        }
        message = format!("{message} at line {line} column {column}");
    }
    JsonError::Read { path, message }
}

/// Refuses a document whose nesting exceeds [`MAX_YAML_FLOW_DEPTH`].
///
/// First a linear count of every `[` and `{`, which settles nearly every
/// document. Brackets inside strings count there too (to_yaml writes keys
/// and strings full of braces as plain or quoted scalars), so when that
/// count passes the limit a YAML parser (`yaml-rust2`, pure Rust) reads the
/// document's events and stops at the first collection nested past the
/// limit: the verdict then rests on the real nesting, and deep input is
/// refused after at most that many levels. A document that parser cannot
/// read keeps the first verdict.
fn check_yaml_flow_depth(s: &str) -> Result<(), JsonError> {
    let Some(at) = first_bracket_past_limit(s) else {
        return Ok(());
    };
    if yaml_nesting_past_limit(s) == Some(false) {
        return Ok(());
    }
    let before = &s.as_bytes()[..at];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let column = at
        - before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    Err(JsonError::Read {
        path: ".".to_owned(),
        message: format!(
            "YAML nesting deeper than {MAX_YAML_FLOW_DEPTH} levels of `[` and `{{` at line {line} column {column}"
        ),
    })
}

/// Byte offset of the first `[`/`{` that, counting every bracket in the
/// text, opens a level past [`MAX_YAML_FLOW_DEPTH`].
fn first_bracket_past_limit(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_YAML_FLOW_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Whether the document's sequences and mappings nest past
/// [`MAX_YAML_FLOW_DEPTH`], read by a YAML parser that stops there; `None`
/// when the parser fails first.
fn yaml_nesting_past_limit(s: &str) -> Option<bool> {
    use yaml_rust2::parser::{Event, Parser};
    let mut parser = Parser::new_from_str(s);
    let mut depth = 0usize;
    loop {
        match parser.next_token().ok()?.0 {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_YAML_FLOW_DEPTH {
                    return Some(true);
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            Event::StreamEnd => return Some(false),
            _ => {}
        }
    }
}
