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

use flyte_ray_idl::flyteidl::core::KeyValuePair;

use crate::pod_spec::PodSpec;
use crate::wire::WireDepth;
use crate::{
    AutoscalerOptions, DataLoadingConfig, HeadGroupSpec, IOStrategy, K8sObjectMetadata, K8sPod,
    RayCluster, RayJob, ResourceEntry, Resources, WorkerGroupSpec,
};

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

/// A position in a message's bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    last_number: u32,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            pos: 0,
            last_number: 0,
        }
    }

    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// A varint as prost reads one: at most ten bytes, the tenth at most 1.
    #[inline]
    fn varint(&mut self) -> Option<u64> {
        let b = *self.bytes.get(self.pos)?;
        if b < 0x80 {
            self.pos += 1;
            return Some(u64::from(b));
        }
        let mut v = 0u64;
        for i in 0..10 {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                return (i < 9 || b <= 1).then_some(v);
            }
        }
        None
    }

    /// A field key: its number (at least 1) and wire type (0 to 5).
    #[inline]
    fn key(&mut self) -> Option<(u32, u32)> {
        let key = u32::try_from(self.varint()?).ok()?;
        let (number, wire_type) = (key >> 3, key & 7);
        self.last_number = number;
        (number >= 1 && wire_type <= 5).then_some((number, wire_type))
    }

    /// A length-delimited body.
    #[inline]
    fn body(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.varint()?).ok()?;
        let end = self
            .pos
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())?;
        let body = &self.bytes[self.pos..end];
        self.pos = end;
        Some(body)
    }

    /// The bytes not read yet.
    fn unread(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// The number of the field whose key was read last.
    fn last_number(&self) -> u32 {
        self.last_number
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        self.pos = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len())?;
        Some(())
    }

    fn string(&mut self) -> Option<String> {
        std::str::from_utf8(self.body()?).ok().map(str::to_owned)
    }
}

/// How many more length-delimited fields numbered `number` follow in
/// `bytes`, counting the one about to be read (a capacity hint: counting
/// stops at anything malformed, where decoding will stop too).
fn count_occurrences(bytes: &[u8], number: u32) -> usize {
    let mut r = Reader::new(bytes);
    let mut n = 1;
    // The field about to be read.
    if r.body().is_none() {
        return n;
    }
    while !r.done() {
        let Some((k, wire_type)) = r.key() else { break };
        let skipped = match wire_type {
            0 => r.varint().map(drop),
            1 => r.skip(8),
            2 => r.body().map(drop),
            5 => r.skip(4),
            _ => None,
        };
        if skipped.is_none() {
            break;
        }
        n += usize::from(k == number && wire_type == 2);
    }
    n
}

/// A `map<string, string>` entry.
fn str_entry(bytes: &[u8]) -> Option<(String, String)> {
    let mut r = Reader::new(bytes);
    let (mut key, mut value) = (String::new(), String::new());
    while !r.done() {
        match r.key()? {
            (1, 2) => key = r.string()?,
            (2, 2) => value = r.string()?,
            _ => return None,
        }
    }
    Some((key, value))
}

/// An int32 or enum field's varint, truncated as prost truncates it.
#[allow(clippy::cast_possible_truncation)]
fn as_i32(v: u64) -> i32 {
    v as i32
}

/// One known field: checks its wire type and reads it.
macro_rules! fast_field {
    (str $f:expr, $r:ident, $wt:ident, $level:ident) => {{
        if $wt != 2 {
            return None;
        }
        $f = $r.string()?;
    }};
    (i32 $f:expr, $r:ident, $wt:ident, $level:ident) => {{
        if $wt != 0 {
            return None;
        }
        $f = as_i32($r.varint()?);
    }};
    (bool $f:expr, $r:ident, $wt:ident, $level:ident) => {{
        if $wt != 0 {
            return None;
        }
        $f = $r.varint()? != 0;
    }};
    (opt $f:expr, $r:ident, $wt:ident, $level:ident) => {{
        if $wt != 2 {
            return None;
        }
        let body = $r.body()?;
        $f.get_or_insert_with(Default::default)
            .merge_fast(body, $level + 1)?;
    }};
    (vec $f:expr, $r:ident, $wt:ident, $level:ident) => {{
        if $wt != 2 {
            return None;
        }
        if $f.is_empty() {
            // Room for every occurrence at once, rather than growing (and
            // copying) a vector of large elements such as worker groups.
            $f.reserve(count_occurrences($r.unread(), $r.last_number()));
        }
        let body = $r.body()?;
        $f.push(Default::default());
        $f.last_mut()?.merge_fast(body, $level + 1)?;
    }};
    (map $f:expr, $r:ident, $wt:ident, $level:ident) => {{
        if $wt != 2 {
            return None;
        }
        let (k, v) = str_entry($r.body()?)?;
        $f.insert(k, v);
    }};
    (pod $f:expr, $r:ident, $wt:ident, $level:ident) => {{
        // A second occurrence merges into the first: the general path.
        if $wt != 2 || $f.is_some() {
            return None;
        }
        let spec = PodSpec::from_canonical($r.body()?, MAX_LEVEL)?;
        if $level + 1 + spec.wire_depth() > MAX_LEVEL {
            return None;
        }
        $f = Some(spec);
    }};
}

/// Implements [`FastDecode`] from a field list: `kind number field`.
macro_rules! fast {
    ($ty:ty { $($kind:ident $tag:literal $field:ident),* $(,)? }) => {
        impl FastDecode for $ty {
            #[allow(deprecated)] // RayJob.runtime_env is deprecated upstream
            fn merge_fast(&mut self, bytes: &[u8], level: usize) -> Option<()> {
                if level > MAX_LEVEL {
                    return None;
                }
                let mut r = Reader::new(bytes);
                while !r.done() {
                    let (number, wire_type) = r.key()?;
                    match number {
                        $($tag => fast_field!($kind self.$field, r, wire_type, level),)*
                        _ => return None,
                    }
                }
                Some(())
            }
        }
    };
}

// The same field lists as the encoder's (`wire.rs`).
fast!(RayJob {
    opt 1 ray_cluster,
    str 2 runtime_env,
    bool 3 shutdown_after_job_finishes,
    i32 4 ttl_seconds_after_finished,
    str 5 runtime_env_yaml,
});

fast!(AutoscalerOptions {
    i32 1 upscaling_mode,
    i32 2 idle_timeout_seconds,
    vec 3 env,
    str 4 image,
    opt 5 resources,
});

fast!(RayCluster {
    opt 1 head_group_spec,
    vec 2 worker_group_spec,
    bool 3 enable_autoscaling,
    opt 4 autoscaler_options,
});

fast!(HeadGroupSpec {
    map 1 ray_start_params,
    opt 2 k8s_pod,
});

fast!(WorkerGroupSpec {
    str 1 group_name,
    i32 2 replicas,
    i32 3 min_replicas,
    i32 4 max_replicas,
    map 5 ray_start_params,
    opt 6 k8s_pod,
});

fast!(Resources {
    vec 1 requests,
    vec 2 limits,
});

fast!(ResourceEntry {
    i32 1 name,
    str 2 value,
});

fast!(IOStrategy {
    i32 1 download_mode,
    i32 2 upload_mode,
});

fast!(DataLoadingConfig {
    bool 1 enabled,
    str 2 input_path,
    str 3 output_path,
    i32 4 format,
    opt 5 io_strategy,
});

fast!(K8sObjectMetadata {
    map 1 labels,
    map 2 annotations,
});

fast!(K8sPod {
    opt 1 metadata,
    pod 2 pod_spec,
    opt 3 data_config,
    str 4 primary_container_name,
});

fast!(KeyValuePair {
    str 1 key,
    str 2 value,
});
