//! Fields the schema does not know, kept per message as protobuf's C++ and
//! upb runtimes keep them.
//!
//! Decoding bytes keeps, in every model, the fields its message does not
//! declare — any wire type, groups (wire types 3 and 4, nested) included —
//! and a declared field number arriving with another wire type than its
//! declaration's (upb keeps that as an unknown field too). A map entry that
//! holds such a field is kept whole as an unknown field of the message
//! holding the map, re-encoded as upb does (key and value when not empty,
//! then the entry's unknown fields), and is not a map entry. Encoding writes
//! a message's unknown fields after its known fields, in the order read, so
//! decode then encode is the identity for any canonical input.
//!
//! [`FlyteIdlEntity::unknown_fields`](crate::FlyteIdlEntity::unknown_fields)
//! lists them; JSON, YAML and text cannot carry them, so writing those
//! fails naming the field unless told to drop them.

use std::fmt;

use crate::cursor::Cursor;

/// The unknown fields of one message: their raw bytes (keys and values), in
/// wire order. Empty costs nothing (no allocation) and takes one pointer in
/// the model, so models without unknown fields stay as small as they were.
// Boxed on purpose: `Option<Box<Vec>>` is one pointer, a `Vec` three; the
// extra allocation is paid only by messages that have unknown fields.
#[allow(clippy::box_collection)]
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct UnknownFields(Option<Box<Vec<u8>>>);

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UnknownFields(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

impl UnknownFields {
    /// Whether there are none.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|v| v.is_empty())
    }

    /// Bytes they take on the wire.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |v| v.len())
    }

    /// Their bytes.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Appends one field's bytes (key and value), as read.
    pub(crate) fn push(&mut self, raw: &[u8]) {
        self.0.get_or_insert_default().extend_from_slice(raw);
    }

    /// Drops them all.
    pub(crate) fn clear(&mut self) {
        self.0 = None;
    }

    /// Each field: its number and wire type, in wire order.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (u32, WireType)> + '_ {
        let mut r = Cursor::new(self.as_bytes());
        std::iter::from_fn(move || {
            if r.done() {
                return None;
            }
            let (number, wt) = r.key()?;
            // The bytes were checked when they were kept.
            skip_field(&mut r, number, wt, 0)?;
            Some((number, WireType::from_u32(wt)?))
        })
    }
}

/// Skips the value of field `number` of wire type `wire_type` whose key was
/// just read: a scalar, a length-delimited body, or a whole group up to its
/// matching end (groups nest; `level` counts nesting against the decoders'
/// limit). `None` on malformed bytes: a truncated value, an end-group key
/// that closes nothing or closes another group, nesting past the limit.
pub(crate) fn skip_field(
    r: &mut Cursor<'_>,
    number: u32,
    wire_type: u32,
    level: usize,
) -> Option<()> {
    match wire_type {
        3 => {
            if level >= crate::decode::MAX_LEVEL {
                return None;
            }
            loop {
                let (n, wt) = r.key()?;
                if wt == 4 {
                    return (n == number).then_some(());
                }
                skip_field(r, n, wt, level + 1)?;
            }
        }
        4 => None,
        wt => r.skip_value(wt),
    }
}

/// A protobuf wire type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WireType {
    /// 0: int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    Varint,
    /// 1: fixed64, sfixed64, double.
    Fixed64,
    /// 2: string, bytes, messages, packed repeated fields.
    Len,
    /// 3 (and its end, 4): a group.
    Group,
    /// 5: fixed32, sfixed32, float.
    Fixed32,
}

impl WireType {
    fn from_u32(wt: u32) -> Option<Self> {
        Some(match wt {
            0 => Self::Varint,
            1 => Self::Fixed64,
            2 => Self::Len,
            3 => Self::Group,
            5 => Self::Fixed32,
            _ => return None,
        })
    }

    /// The wire type's number (3 for a group).
    pub fn number(self) -> u32 {
        match self {
            Self::Varint => 0,
            Self::Fixed64 => 1,
            Self::Len => 2,
            Self::Group => 3,
            Self::Fixed32 => 5,
        }
    }
}

impl fmt::Display for WireType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Varint => "varint",
            Self::Fixed64 => "fixed64",
            Self::Len => "length-delimited",
            Self::Group => "group",
            Self::Fixed32 => "fixed32",
        })
    }
}

/// One field a decoded model holds that its schema does not know.
///
/// ```
/// use flyte_ray_models::{FlyteIdlEntity, RayJob, WireType};
///
/// // RayJob { ray_cluster { field 9: varint 1 } }
/// let job = RayJob::from_bytes(&[0x0a, 0x02, 0x48, 0x01]).unwrap();
/// let unknown = job.unknown_fields();
/// assert_eq!(unknown.len(), 1);
/// assert_eq!(unknown[0].path, "rayCluster");
/// assert_eq!(unknown[0].message, "flyteidl.plugins.RayCluster");
/// assert_eq!((unknown[0].number, unknown[0].wire_type), (9, WireType::Varint));
/// assert_eq!(
///     unknown[0].to_string(),
///     "rayCluster: unknown field 9 (varint) of flyteidl.plugins.RayCluster"
/// );
/// // Kept: the bytes come back as they were.
/// assert_eq!(job.serialize_to_string(), [0x0a, 0x02, 0x48, 0x01]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct UnknownField {
    /// JSON path of the message holding the field, from the model
    /// (`rayCluster.workerGroupSpec[1]`); empty for the model itself.
    pub path: String,
    /// Full protobuf name (flyteidl) of the message holding the field.
    pub message: &'static str,
    /// The field's number.
    pub number: u32,
    /// How it was encoded.
    pub wire_type: WireType,
}

impl UnknownField {
    /// Where the field is, as one path: `rayCluster.#9` (`#9` for field 9
    /// of the model itself).
    pub fn field_path(&self) -> String {
        if self.path.is_empty() {
            format!("#{}", self.number)
        } else {
            format!("{}.#{}", self.path, self.number)
        }
    }
}

impl fmt::Display for UnknownField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(
            f,
            "unknown field {} ({}) of {}",
            self.number, self.wire_type, self.message
        )
    }
}

/// Walks a model's messages for their unknown fields.
pub(crate) trait Unknowns {
    /// Whether this message or one inside it holds an unknown field.
    fn has_unknown(&self) -> bool;
    /// Appends the unknown fields of this message (at `path`) and of the
    /// messages inside it, in field order.
    fn collect_unknown(&self, path: &str, out: &mut Vec<UnknownField>);
    /// Drops every unknown field, here and inside.
    fn strip_unknown(&mut self);
}

/// Why a model holding unknown fields cannot be written in `format`
/// (`JSON`, `text`), naming the first of them.
pub(crate) fn cannot_write<T: Unknowns>(model: &T, format: &str) -> String {
    let mut all = Vec::new();
    model.collect_unknown("", &mut all);
    let more = match all.len() {
        0 | 1 => String::new(),
        2 => " and 1 more".to_owned(),
        n => format!(" and {} more", n - 1),
    };
    let first = all.first().map_or_else(String::new, ToString::to_string);
    format!(
        "{first}{more}: {format} cannot carry fields the schema does not know \
         (drop them on purpose with without_unknown_fields / --ignore-unknown-fields)"
    )
}

pub(crate) fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

pub(crate) fn own(
    unknown: &UnknownFields,
    message: &'static str,
    path: &str,
    out: &mut Vec<UnknownField>,
) {
    out.extend(unknown.fields().map(|(number, wire_type)| UnknownField {
        path: path.to_owned(),
        message,
        number,
        wire_type,
    }));
}

/// Implements [`Unknowns`] for a model: its proto name and its sub-message
/// fields (`opt`/`vec`, JSON name, field).
macro_rules! unknowns {
    ($ty:ty, $proto:literal { $($kind:ident $json:literal $field:ident),* $(,)? }) => {
        impl $crate::unknown_fields::Unknowns for $ty {
            fn has_unknown(&self) -> bool {
                !self.unknown.is_empty()
                    $(|| $crate::unknown_fields::unknowns!(@has $kind self.$field))*
            }
            #[allow(unused_variables)]
            fn collect_unknown(&self, path: &str, out: &mut Vec<$crate::unknown_fields::UnknownField>) {
                $crate::unknown_fields::own(&self.unknown, $proto, path, out);
                $($crate::unknown_fields::unknowns!(@collect $kind self.$field, $json, path, out);)*
            }
            fn strip_unknown(&mut self) {
                self.unknown.clear();
                $($crate::unknown_fields::unknowns!(@strip $kind self.$field);)*
            }
        }
    };
    (@has opt $f:expr) => { $f.as_ref().is_some_and($crate::unknown_fields::Unknowns::has_unknown) };
    (@has vec $f:expr) => { $f.iter().any($crate::unknown_fields::Unknowns::has_unknown) };
    (@has pod $f:expr) => { $f.as_ref().is_some_and($crate::pod_spec::PodSpec::has_unknown) };
    (@collect pod $f:expr, $json:literal, $path:ident, $out:ident) => {
        if let Some(spec) = &$f {
            if spec.has_unknown() {
                spec.collect_unknown(&$crate::unknown_fields::join($path, $json), $out);
            }
        }
    };
    (@strip pod $f:expr) => {
        if let Some(spec) = &mut $f {
            spec.strip_unknown();
        }
    };
    (@collect opt $f:expr, $json:literal, $path:ident, $out:ident) => {
        if let Some(m) = &$f {
            if $crate::unknown_fields::Unknowns::has_unknown(m) {
                m.collect_unknown(&$crate::unknown_fields::join($path, $json), $out);
            }
        }
    };
    (@collect vec $f:expr, $json:literal, $path:ident, $out:ident) => {
        for (i, m) in $f.iter().enumerate() {
            if $crate::unknown_fields::Unknowns::has_unknown(m) {
                m.collect_unknown(&format!("{}[{i}]", $crate::unknown_fields::join($path, $json)), $out);
            }
        }
    };
    (@strip opt $f:expr) => {
        if let Some(m) = &mut $f {
            $crate::unknown_fields::Unknowns::strip_unknown(m);
        }
    };
    (@strip vec $f:expr) => {
        for m in &mut $f {
            $crate::unknown_fields::Unknowns::strip_unknown(m);
        }
    };
}

pub(crate) use unknowns;

use crate::{
    AutoscalerOptions, DataLoadingConfig, ExtendedResources, GPUAccelerator, HeadGroupSpec,
    IOStrategy, K8sObjectMetadata, K8sPod, RayCluster, RayJob, ResourceEntry, Resources,
    SharedMemory, WorkerGroupSpec,
};

unknowns!(RayJob, "flyteidl.plugins.RayJob" { opt "rayCluster" ray_cluster });
unknowns!(RayCluster, "flyteidl.plugins.RayCluster" {
    opt "headGroupSpec" head_group_spec,
    vec "workerGroupSpec" worker_group_spec,
    opt "autoscalerOptions" autoscaler_options,
});
unknowns!(HeadGroupSpec, "flyteidl.plugins.HeadGroupSpec" {
    opt "k8sPod" k8s_pod,
    opt "extendedResources" extended_resources,
});
unknowns!(WorkerGroupSpec, "flyteidl.plugins.WorkerGroupSpec" {
    opt "k8sPod" k8s_pod,
    opt "extendedResources" extended_resources,
});
// AutoscalerOptions keeps the unknown fields of its `env` entries
// (KeyValuePair, a prost struct) beside them, by index.
impl Unknowns for AutoscalerOptions {
    fn has_unknown(&self) -> bool {
        !self.unknown.is_empty()
            || self
                .env_unknown
                .iter()
                .any(|(i, u)| *i < self.env.len() && !u.is_empty())
            || self.resources.as_ref().is_some_and(Unknowns::has_unknown)
    }
    fn collect_unknown(&self, path: &str, out: &mut Vec<UnknownField>) {
        own(
            &self.unknown,
            "flyteidl.plugins.AutoscalerOptions",
            path,
            out,
        );
        let env = join(path, "env");
        for (i, u) in self.env_unknown.iter().filter(|(i, _)| *i < self.env.len()) {
            own(u, "flyteidl.core.KeyValuePair", &format!("{env}[{i}]"), out);
        }
        if let Some(r) = &self.resources
            && r.has_unknown()
        {
            r.collect_unknown(&join(path, "resources"), out);
        }
    }
    fn strip_unknown(&mut self) {
        self.unknown.clear();
        self.env_unknown.clear();
        if let Some(r) = &mut self.resources {
            r.strip_unknown();
        }
    }
}
unknowns!(K8sPod, "flyteidl.core.K8sPod" {
    opt "metadata" metadata,
    pod "podSpec" pod_spec,
    opt "dataConfig" data_config,
});
unknowns!(K8sObjectMetadata, "flyteidl.core.K8sObjectMetadata" {});
unknowns!(DataLoadingConfig, "flyteidl.core.DataLoadingConfig" {
    opt "ioStrategy" io_strategy,
});
unknowns!(IOStrategy, "flyteidl.core.IOStrategy" {});
unknowns!(Resources, "flyteidl.core.Resources" {
    vec "requests" requests,
    vec "limits" limits,
});
unknowns!(ResourceEntry, "flyteidl.core.Resources.ResourceEntry" {});
unknowns!(ExtendedResources, "flyteidl2.core.ExtendedResources" {
    opt "gpuAccelerator" gpu_accelerator,
    opt "sharedMemory" shared_memory,
});
unknowns!(GPUAccelerator, "flyteidl2.core.GPUAccelerator" {});
unknowns!(SharedMemory, "flyteidl2.core.SharedMemory" {});
