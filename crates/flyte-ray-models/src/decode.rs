//! Decoding straight from bytes into the models, for the common case.
//!
//! The general path decodes with prost into the IDL structs, converts them
//! and then scans the bytes again for fields the schema does not know; a pod
//! spec becomes a `prost_types::Struct` tree on the way, one allocation per
//! node. This path reads the bytes once, into the models, and keeps a pod
//! spec that is canonical as its bytes (see [`crate::pod_spec`]).
//!
//! It is deliberately partial: on anything unusual — a field the schema does
//! not know, a wrong wire type, a malformed or over-long varint, invalid
//! UTF-8, a pod spec that is not canonical or that repeats, nesting past
//! [`MAX_LEVEL`] — it gives up (`None`) and the general path decides, with
//! its errors and messages. Where it does succeed it gives what the general
//! path gives: prost's rules (last scalar wins, a repeated sub-message
//! merges, a map entry's missing key or value is empty, a later map entry
//! replaces an earlier one). The tests and the `decode_bytes` fuzz target
//! check that equality.

use crate::cursor::Cursor;
use crate::{GPUAccelerator, KeyValuePair, PartitionSizeValue};

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

/// A `map<string, string>` entry.
pub(crate) fn str_entry(bytes: &[u8]) -> Option<(String, String)> {
    let mut r = Cursor::new(bytes);
    let (mut key, mut value) = (String::new(), String::new());
    while !r.done() {
        match r.key()? {
            (1, 2) => key = string(&mut r)?,
            (2, 2) => value = string(&mut r)?,
            _ => return None,
        }
    }
    Some((key, value))
}

/// An int32 or enum field's varint, truncated as prost truncates it.
#[allow(clippy::cast_possible_truncation)]
pub(crate) fn as_i32(v: u64) -> i32 {
    v as i32
}

/// One known field: checks its wire type and reads it.
macro_rules! fast_field {
    (str $f:expr, $r:ident, $wt:ident, $level:ident, $number:ident) => {{
        if $wt != 2 {
            return None;
        }
        $f = $crate::decode::string(&mut $r)?;
    }};
    (i32 $f:expr, $r:ident, $wt:ident, $level:ident, $number:ident) => {{
        if $wt != 0 {
            return None;
        }
        $f = $crate::decode::as_i32($r.varint()?);
    }};
    (bool $f:expr, $r:ident, $wt:ident, $level:ident, $number:ident) => {{
        if $wt != 0 {
            return None;
        }
        $f = $r.varint()? != 0;
    }};
    (opt $f:expr, $r:ident, $wt:ident, $level:ident, $number:ident) => {{
        if $wt != 2 {
            return None;
        }
        let body = $r.body()?;
        $f.get_or_insert_with(Default::default)
            .merge_fast(body, $level + 1)?;
    }};
    (vec $f:expr, $r:ident, $wt:ident, $level:ident, $number:ident) => {{
        if $wt != 2 {
            return None;
        }
        if $f.is_empty() {
            // Room for every occurrence at once, rather than growing (and
            // copying) a vector of large elements such as worker groups.
            $f.reserve($crate::decode::count_occurrences($r.unread(), $number));
        }
        let body = $r.body()?;
        $f.push(Default::default());
        $f.last_mut()?.merge_fast(body, $level + 1)?;
    }};
    (map $f:expr, $r:ident, $wt:ident, $level:ident, $number:ident) => {{
        if $wt != 2 {
            return None;
        }
        let (k, v) = $crate::decode::str_entry($r.body()?)?;
        $f.insert(k, v);
    }};
    (pod $f:expr, $r:ident, $wt:ident, $level:ident, $number:ident) => {{
        // A second occurrence merges into the first: the general path.
        if $wt != 2 || $f.is_some() {
            return None;
        }
        let spec =
            $crate::pod_spec::PodSpec::from_canonical($r.body()?, $crate::decode::MAX_LEVEL)?;
        if $level + 1 + $crate::wire::WireDepth::wire_depth(&spec) > $crate::decode::MAX_LEVEL {
            return None;
        }
        $f = Some(spec);
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
                    let (number, wire_type) = r.key()?;
                    match number {
                        $($tag => $crate::decode::fast_field!($kind self.$field, r, wire_type, level, number),)*
                        _ => return None,
                    }
                }
                Some(())
            }
        }
    };
}

pub(crate) use fast;
pub(crate) use fast_field;

// The models' field lists are in `wire.rs` (`wire_fields!`), shared with the
// encoder; KeyValuePair's encoder is generated in `flyte-ray-idl`.
fast!(KeyValuePair {
    str 1 key,
    str 2 value,
});

// GPUAccelerator's oneof: the later member replaces the earlier, as in prost.
impl FastDecode for GPUAccelerator {
    fn merge_fast(&mut self, bytes: &[u8], level: usize) -> Option<()> {
        if level > MAX_LEVEL {
            return None;
        }
        let mut r = Cursor::new(bytes);
        while !r.done() {
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
                _ => return None,
            }
        }
        Some(())
    }
}
