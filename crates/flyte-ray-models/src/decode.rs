//! Decoding straight from bytes into the models, for the common case.
//!
//! The general path decodes with prost into the IDL structs, converts them
//! and then scans the bytes again for fields the schema does not know; a pod
//! spec becomes a `prost_types::Struct` tree on the way, one allocation per
//! node. This path reads the bytes once, into the models, and keeps a pod
//! spec that is canonical as its bytes (see [`crate::pod_spec`]).
//!
//! It keeps fields the schema does not know in the models (see
//! `crate::unknown_fields`), inside pod specs too (`crate::pod_unknown`) and
//! in `AutoscalerOptions.env` entries, and leaves the rest of anything
//! unusual — bad bytes, invalid UTF-8, nesting past [`MAX_LEVEL`] — to the
//! general path (`None`), with its errors and messages. Where it does succeed it gives what the general path
//! gives on the known fields: prost's rules (last scalar wins, a repeated
//! sub-message merges, a map entry's missing key or value is empty, a later
//! map entry replaces an earlier one). The tests and the `decode_bytes` fuzz
//! target check that equality.

use crate::cursor::Cursor;
use crate::{GPUAccelerator, PartitionSizeValue};

/// Deepest message nesting this path handles (prost allows 100 levels;
/// near that, the general path decides).
pub(crate) const MAX_LEVEL: usize = 90;

/// Decoding of one message, straight into its model.
pub(crate) trait FastDecode: Default {
    /// Merges the message encoded in `bytes`, nested `level` messages deep,
    /// into `self`; `None` to leave the bytes to the general path.
    fn merge_fast(&mut self, bytes: &[u8], level: usize) -> Option<()>;
}

/// The model encoded in `bytes`, or `None` to take the general path.
pub(crate) fn decode_fast<T: FastDecode>(bytes: &[u8]) -> Option<T> {
    let mut m = T::default();
    m.merge_fast(bytes, 0)?;
    Some(m)
}

/// A string field: UTF-8, copied.
pub(crate) fn string(r: &mut Cursor<'_>) -> Option<String> {
    std::str::from_utf8(r.body()?).ok().map(str::to_owned)
}

/// How many more length-delimited fields numbered `number` follow in
/// `bytes`, counting the one about to be read (a capacity hint: counting
/// stops at anything malformed, where decoding will stop too).
pub(crate) fn count_occurrences(bytes: &[u8], number: u32) -> usize {
    let mut r = Cursor::new(bytes);
    let mut n = 1;
    // The field about to be read.
    if r.body().is_none() {
        return n;
    }
    while !r.done() {
        let Some((k, wire_type)) = r.key() else { break };
        if r.skip_value(wire_type).is_none() {
            break;
        }
        n += usize::from(k == number && wire_type == 2);
    }
    n
}

/// A `map<string, string>` entry: the pair, or — when the entry holds a
/// field the entry message does not know (or a known one with another wire
/// type) — the entry as upb keeps it, as an unknown field of the message
/// holding the map: re-encoded with its key and value when not empty (the
/// last of each), then its unknown fields in the order read.
pub(crate) enum Entry {
    Pair(String, String),
    Unknown(Vec<u8>),
}

pub(crate) fn str_entry(bytes: &[u8], level: usize) -> Option<Entry> {
    let mut r = Cursor::new(bytes);
    let (mut key, mut value) = (String::new(), String::new());
    let mut unknown = Vec::new();
    while !r.done() {
        let start = r.pos;
        match r.key()? {
            (1, 2) => key = string(&mut r)?,
            (2, 2) => value = string(&mut r)?,
            (number, wt) => {
                crate::unknown_fields::skip_field(&mut r, number, wt, level + 1)?;
                unknown.extend_from_slice(bytes.get(start..r.pos)?);
            }
        }
    }
    if unknown.is_empty() {
        return Some(Entry::Pair(key, value));
    }
    let mut body = Vec::with_capacity(key.len() + value.len() + unknown.len() + 10);
    if !key.is_empty() {
        flyte_ray_idl::canonical::put_str(1, &key, &mut body);
    }
    if !value.is_empty() {
        flyte_ray_idl::canonical::put_str(2, &value, &mut body);
    }
    body.extend_from_slice(&unknown);
    Some(Entry::Unknown(body))
}

/// Where a message keeps the raw bytes of a field it does not know.
pub(crate) trait KeepUnknown {
    /// Keeps `raw` (key and value, as read); `None` when this message
    /// cannot keep unknown fields (a plain IDL struct), which sends the
    /// bytes to the general path.
    fn keep_unknown(&mut self, raw: &[u8]) -> Option<()>;
}

macro_rules! keep_unknown {
    ($($ty:ty),*) => {$(
        impl KeepUnknown for $ty {
            #[inline]
            fn keep_unknown(&mut self, raw: &[u8]) -> Option<()> {
                self.unknown.push(raw);
                Some(())
            }
        }
    )*};
}

keep_unknown!(
    crate::RayJob,
    crate::RayCluster,
    crate::HeadGroupSpec,
    crate::WorkerGroupSpec,
    crate::AutoscalerOptions,
    crate::K8sPod,
    crate::K8sObjectMetadata,
    crate::DataLoadingConfig,
    crate::IOStrategy,
    crate::Resources,
    crate::ResourceEntry,
    crate::ExtendedResources,
    crate::GPUAccelerator,
    crate::SharedMemory
);

/// The wire type a field of this kind is declared with.
macro_rules! fast_wt {
    (str) => {
        2
    };
    (i32) => {
        0
    };
    (bool) => {
        0
    };
    (opt) => {
        2
    };
    (vec) => {
        2
    };
    (map) => {
        2
    };
    (pod) => {
        2
    };
}

/// An int32 or enum field's varint, truncated as prost truncates it.
#[allow(clippy::cast_possible_truncation)]
pub(crate) fn as_i32(v: u64) -> i32 {
    v as i32
}

/// One known field: checks its wire type and reads it.
macro_rules! fast_field {
    (str $f:expr, $r:ident, $level:ident, $number:ident, $this:ident) => {{
        $f = $crate::decode::string(&mut $r)?;
    }};
    (i32 $f:expr, $r:ident, $level:ident, $number:ident, $this:ident) => {{
        $f = $crate::decode::as_i32($r.varint()?);
    }};
    (bool $f:expr, $r:ident, $level:ident, $number:ident, $this:ident) => {{
        $f = $r.varint()? != 0;
    }};
    (opt $f:expr, $r:ident, $level:ident, $number:ident, $this:ident) => {{
        let body = $r.body()?;
        $f.get_or_insert_with(Default::default)
            .merge_fast(body, $level + 1)?;
    }};
    (vec $f:expr, $r:ident, $level:ident, $number:ident, $this:ident) => {{
        if $f.is_empty() {
            // Room for every occurrence at once, rather than growing (and
            // copying) a vector of large elements such as worker groups.
            $f.reserve($crate::decode::count_occurrences($r.unread(), $number));
        }
        let body = $r.body()?;
        $f.push(Default::default());
        $f.last_mut()?.merge_fast(body, $level + 1)?;
    }};
    (map $f:expr, $r:ident, $level:ident, $number:ident, $this:ident) => {{
        match $crate::decode::str_entry($r.body()?, $level)? {
            $crate::decode::Entry::Pair(k, v) => {
                $f.insert(k, v);
            }
            $crate::decode::Entry::Unknown(body) => {
                let mut raw = Vec::with_capacity(body.len() + 10);
                flyte_ray_idl::canonical::put_varint(u64::from($number) << 3 | 2, &mut raw);
                flyte_ray_idl::canonical::put_varint(body.len() as u64, &mut raw);
                raw.extend_from_slice(&body);
                $crate::decode::KeepUnknown::keep_unknown($this, &raw)?;
            }
        }
    }};
    (pod $f:expr, $r:ident, $level:ident, $number:ident, $this:ident) => {{
        let body = $r.body()?;
        match &mut $f {
            None => {
                let spec = match $crate::pod_spec::PodSpec::from_canonical(
                    body,
                    $crate::decode::MAX_LEVEL,
                ) {
                    Some(spec) => spec,
                    None => $crate::pod_spec::PodSpec::from_noncanonical(body, $level + 1)?,
                };
                $f = Some(spec);
            }
            // A second occurrence merges into the first, as in prost.
            Some(spec) => spec.merge_noncanonical(body, $level + 1)?,
        }
        let depth = $f.as_ref().map_or(0, $crate::wire::WireDepth::wire_depth);
        if $level + 1 + depth > $crate::decode::MAX_LEVEL {
            return None;
        }
    }};
}

/// Implements [`FastDecode`] from a field list: `kind number field`.
macro_rules! fast {
    ($ty:ty { $($kind:ident $tag:literal $field:ident),* $(,)? }) => {
        impl $crate::decode::FastDecode for $ty {
            #[allow(deprecated)] // RayJob.runtime_env is deprecated upstream
            fn merge_fast(&mut self, bytes: &[u8], level: usize) -> Option<()> {
                if level > $crate::decode::MAX_LEVEL {
                    return None;
                }
                let mut r = $crate::cursor::Cursor::new(bytes);
                while !r.done() {
                    let start = r.pos;
                    let (number, wire_type) = r.key()?;
                    match number {
                        $($tag if wire_type == $crate::decode::fast_wt!($kind) => {
                            $crate::decode::fast_field!($kind self.$field, r, level, number, self)
                        })*
                        // Not in the schema, or with another wire type:
                        // kept as read.
                        _ => {
                            $crate::unknown_fields::skip_field(&mut r, number, wire_type, level)?;
                            let raw = bytes.get(start..r.pos)?;
                            $crate::decode::KeepUnknown::keep_unknown(self, raw)?;
                        }
                    }
                }
                Some(())
            }
        }
    };
}

pub(crate) use fast;
pub(crate) use fast_field;
pub(crate) use fast_wt;

// The models' field lists are in `wire.rs` (`wire_fields!`), shared with the
// encoder (AutoscalerOptions, with its `env` entries, is written out there).

// GPUAccelerator's oneof: the later member replaces the earlier, as in prost.
impl FastDecode for GPUAccelerator {
    fn merge_fast(&mut self, bytes: &[u8], level: usize) -> Option<()> {
        if level > MAX_LEVEL {
            return None;
        }
        let mut r = Cursor::new(bytes);
        while !r.done() {
            let start = r.pos;
            match r.key()? {
                (1, 2) => self.device = string(&mut r)?,
                (2, 0) => {
                    self.partition_size_value =
                        Some(PartitionSizeValue::Unpartitioned(r.varint()? != 0));
                }
                (3, 2) => {
                    self.partition_size_value =
                        Some(PartitionSizeValue::PartitionSize(string(&mut r)?));
                }
                (4, 0) => self.device_class = as_i32(r.varint()?),
                (5, 0) => self.accelerator_model = as_i32(r.varint()?),
                (number, wire_type) => {
                    crate::unknown_fields::skip_field(&mut r, number, wire_type, level)?;
                    self.unknown.push(bytes.get(start..r.pos)?);
                }
            }
        }
        Some(())
    }
}
