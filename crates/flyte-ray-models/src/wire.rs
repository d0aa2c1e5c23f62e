//! Canonical encoding of the models, straight from their fields.
//!
//! The models encode themselves with the same wire primitives the generated
//! IDL encoder uses, so `serialize_to_string` costs no conversion and no copy
//! of a pod spec. The test `model_encoding_matches_idl_encoding` checks that
//! the two encoders agree on every golden case and on random messages.

use flyte_ray_idl::canonical::{
    CanonicalEncode, bool_len, i32_len, msg_size, put_bool, put_i32, put_msg, put_str,
    put_str_str_entry, str_len, str_str_entry_len,
};

use crate::PartitionSizeValue;

/// One field of a model, as the sizing pass sees it.
macro_rules! field_size {
    (str $tag:literal $v:expr, $sizes:ident) => {
        if $v.is_empty() { 0 } else { str_len($tag, &$v) }
    };
    (i32 $tag:literal $v:expr, $sizes:ident) => {
        if $v == 0 { 0 } else { i32_len($tag, $v) }
    };
    (bool $tag:literal $v:expr, $sizes:ident) => {
        if $v { bool_len($tag) } else { 0 }
    };
    (opt $tag:literal $v:expr, $sizes:ident) => {
        $v.as_ref().map_or(0, |m| msg_size($tag, m, $sizes))
    };
    (pod $tag:literal $v:expr, $sizes:ident) => {
        field_size!(opt $tag $v, $sizes)
    };
    (vec $tag:literal $v:expr, $sizes:ident) => {
        $v.iter().map(|m| msg_size($tag, m, $sizes)).sum::<usize>()
    };
    (map $tag:literal $v:expr, $sizes:ident) => {
        $v.iter()
            .map(|(k, v)| str_str_entry_len($tag, k, v))
            .sum::<usize>()
    };
}

/// One field of a model, as the writing pass sees it.
macro_rules! field_put {
    (str $tag:literal $v:expr, $sizes:ident, $out:ident) => {
        if !$v.is_empty() {
            put_str($tag, &$v, $out)
        }
    };
    (i32 $tag:literal $v:expr, $sizes:ident, $out:ident) => {
        if $v != 0 {
            put_i32($tag, $v, $out)
        }
    };
    (bool $tag:literal $v:expr, $sizes:ident, $out:ident) => {
        if $v {
            put_bool($tag, true, $out)
        }
    };
    (opt $tag:literal $v:expr, $sizes:ident, $out:ident) => {
        if let Some(m) = &$v {
            put_msg($tag, m, $sizes, $out)
        }
    };
    (pod $tag:literal $v:expr, $sizes:ident, $out:ident) => {
        field_put!(opt $tag $v, $sizes, $out)
    };
    (vec $tag:literal $v:expr, $sizes:ident, $out:ident) => {
        for m in &$v {
            put_msg($tag, m, $sizes, $out)
        }
    };
    (map $tag:literal $v:expr, $sizes:ident, $out:ident) => {
        for (k, v) in &$v {
            put_str_str_entry($tag, k, v, $out)
        }
    };
}

/// Implements [`CanonicalEncode`] for a model from its field list, in
/// field-number order: `kind tag field` (`pod`: the pod spec, a message),
/// then the unknown fields as read (as upb and C++ write them).
macro_rules! canonical {
    ($ty:ty { $($kind:ident $tag:literal $field:ident),* $(,)? }) => {
        impl CanonicalEncode for $ty {
            #[allow(unused_variables)] // models without sub-messages
            fn canonical_sizes(&self, sizes: &mut Vec<usize>) -> usize {
                let mut len = 0;
                $(len += field_size!($kind $tag self.$field, sizes);)*
                len + self.unknown.len()
            }
            #[allow(unused_variables)]
            fn canonical_write(
                &self,
                sizes: &mut std::slice::Iter<'_, usize>,
                out: &mut Vec<u8>,
            ) {
                $(field_put!($kind $tag self.$field, sizes, out);)*
                out.extend_from_slice(self.unknown.as_bytes());
            }
        }
    };
}

/// One field list per model, for both the encoder ([`canonical!`]) and the
/// direct decoder (`crate::decode::fast!`), so the two cannot disagree.
macro_rules! wire_fields {
    ($ty:ty { $($kind:ident $tag:literal $field:ident),* $(,)? }) => {
        canonical!($ty { $($kind $tag $field),* });
        crate::decode::fast!($ty { $($kind $tag $field),* });
    };
}

use crate::{
    AutoscalerOptions, DataLoadingConfig, ExtendedResources, GPUAccelerator, HeadGroupSpec,
    IOStrategy, K8sObjectMetadata, K8sPod, RayCluster, RayJob, ResourceEntry, Resources,
    SharedMemory, WorkerGroupSpec,
};

wire_fields!(RayJob {
    opt 1 ray_cluster,
    str 2 runtime_env,
    bool 3 shutdown_after_job_finishes,
    i32 4 ttl_seconds_after_finished,
    str 5 runtime_env_yaml,
});

// AutoscalerOptions writes the unknown fields of each `env` entry after
// the entry's known fields (see `AutoscalerOptions::env_unknown`).
impl CanonicalEncode for AutoscalerOptions {
    fn canonical_sizes(&self, sizes: &mut Vec<usize>) -> usize {
        let mut len = field_size!(i32 1 self.upscaling_mode, sizes)
            + field_size!(i32 2 self.idle_timeout_seconds, sizes);
        for (i, kv) in self.env.iter().enumerate() {
            len += msg_size(
                3,
                &WithUnknown(kv, env_unknown(&self.env_unknown, i)),
                sizes,
            );
        }
        len + field_size!(str 4 self.image, sizes)
            + field_size!(opt 5 self.resources, sizes)
            + self.unknown.len()
    }
    fn canonical_write(&self, sizes: &mut std::slice::Iter<'_, usize>, out: &mut Vec<u8>) {
        field_put!(i32 1 self.upscaling_mode, sizes, out);
        field_put!(i32 2 self.idle_timeout_seconds, sizes, out);
        for (i, kv) in self.env.iter().enumerate() {
            put_msg(
                3,
                &WithUnknown(kv, env_unknown(&self.env_unknown, i)),
                sizes,
                out,
            );
        }
        field_put!(str 4 self.image, sizes, out);
        field_put!(opt 5 self.resources, sizes, out);
        out.extend_from_slice(self.unknown.as_bytes());
    }
}

/// The unknown fields of `env` entry `i`.
fn env_unknown(all: &[(usize, crate::unknown_fields::UnknownFields)], i: usize) -> &[u8] {
    match all.binary_search_by_key(&i, |(j, _)| *j) {
        Ok(k) => all.get(k).map_or(&[], |(_, u)| u.as_bytes()),
        Err(_) => &[],
    }
}

/// A message and unknown fields to write after its known fields.
struct WithUnknown<'a, M>(&'a M, &'a [u8]);

impl<M: CanonicalEncode> CanonicalEncode for WithUnknown<'_, M> {
    fn canonical_sizes(&self, sizes: &mut Vec<usize>) -> usize {
        self.0.canonical_sizes(sizes) + self.1.len()
    }
    fn canonical_write(&self, sizes: &mut std::slice::Iter<'_, usize>, out: &mut Vec<u8>) {
        self.0.canonical_write(sizes, out);
        out.extend_from_slice(self.1);
    }
}

impl crate::decode::FastDecode for AutoscalerOptions {
    fn merge_fast(&mut self, bytes: &[u8], level: usize) -> Option<()> {
        use crate::decode::{as_i32, string};
        if level > crate::decode::MAX_LEVEL {
            return None;
        }
        let mut r = crate::cursor::Cursor::new(bytes);
        while !r.done() {
            let start = r.pos;
            match r.key()? {
                (1, 0) => self.upscaling_mode = as_i32(r.varint()?),
                (2, 0) => self.idle_timeout_seconds = as_i32(r.varint()?),
                (3, 2) => {
                    let body = r.body()?;
                    let mut kv = crate::KeyValuePair::default();
                    let mut unknown = crate::unknown_fields::UnknownFields::default();
                    let mut e = crate::cursor::Cursor::new(body);
                    while !e.done() {
                        let from = e.pos;
                        match e.key()? {
                            (1, 2) => kv.key = string(&mut e)?,
                            (2, 2) => kv.value = string(&mut e)?,
                            (number, wt) => {
                                crate::unknown_fields::skip_field(&mut e, number, wt, level + 1)?;
                                unknown.push(body.get(from..e.pos)?);
                            }
                        }
                    }
                    if !unknown.is_empty() {
                        self.env_unknown.push((self.env.len(), unknown));
                    }
                    self.env.push(kv);
                }
                (4, 2) => self.image = string(&mut r)?,
                (5, 2) => {
                    let body = r.body()?;
                    self.resources
                        .get_or_insert_with(Default::default)
                        .merge_fast(body, level + 1)?;
                }
                (number, wt) => {
                    crate::unknown_fields::skip_field(&mut r, number, wt, level)?;
                    self.unknown.push(bytes.get(start..r.pos)?);
                }
            }
        }
        Some(())
    }
}

wire_fields!(RayCluster {
    opt 1 head_group_spec,
    vec 2 worker_group_spec,
    bool 3 enable_autoscaling,
    opt 4 autoscaler_options,
});

wire_fields!(HeadGroupSpec {
    map 1 ray_start_params,
    opt 2 k8s_pod,
    opt 3 extended_resources,
});

wire_fields!(WorkerGroupSpec {
    str 1 group_name,
    i32 2 replicas,
    i32 3 min_replicas,
    i32 4 max_replicas,
    map 5 ray_start_params,
    opt 6 k8s_pod,
    opt 7 extended_resources,
});

wire_fields!(Resources {
    vec 1 requests,
    vec 2 limits,
});

wire_fields!(ResourceEntry {
    i32 1 name,
    str 2 value,
});

wire_fields!(IOStrategy {
    i32 1 download_mode,
    i32 2 upload_mode,
});

wire_fields!(DataLoadingConfig {
    bool 1 enabled,
    str 2 input_path,
    str 3 output_path,
    i32 4 format,
    opt 5 io_strategy,
    i32 6 file_input_layout,
});

wire_fields!(ExtendedResources {
    opt 1 gpu_accelerator,
    opt 2 shared_memory,
});

wire_fields!(SharedMemory {
    str 1 mount_path,
    str 2 mount_name,
    str 3 size_limit,
});

// GPUAccelerator has a oneof (fields 2 and 3), which the field lists do not
// describe: a set member is written even at its default.
impl CanonicalEncode for GPUAccelerator {
    fn canonical_sizes(&self, _sizes: &mut Vec<usize>) -> usize {
        field_size!(str 1 self.device, _sizes)
            + match &self.partition_size_value {
                Some(PartitionSizeValue::Unpartitioned(_)) => bool_len(2),
                Some(PartitionSizeValue::PartitionSize(v)) => str_len(3, v),
                None => 0,
            }
            + field_size!(i32 4 self.device_class, _sizes)
            + field_size!(i32 5 self.accelerator_model, _sizes)
            + self.unknown.len()
    }
    fn canonical_write(&self, _sizes: &mut std::slice::Iter<'_, usize>, out: &mut Vec<u8>) {
        field_put!(str 1 self.device, _sizes, out);
        match &self.partition_size_value {
            Some(PartitionSizeValue::Unpartitioned(v)) => put_bool(2, *v, out),
            Some(PartitionSizeValue::PartitionSize(v)) => put_str(3, v, out),
            None => {}
        }
        field_put!(i32 4 self.device_class, _sizes, out);
        field_put!(i32 5 self.accelerator_model, _sizes, out);
        out.extend_from_slice(self.unknown.as_bytes());
    }
}

wire_fields!(K8sObjectMetadata {
    map 1 labels,
    map 2 annotations,
});

wire_fields!(K8sPod {
    opt 1 metadata,
    pod 2 pod_spec,
    opt 3 data_config,
    str 4 primary_container_name,
});

/// prost's decoding recursion limit (Python's protobuf has the same, 100).
pub(crate) const RECURSION_LIMIT: usize = 100;

/// How many messages deep the encoding nests below the top-level message,
/// counted as prost's decoder counts them (each sub-message, map entry,
/// `Value`, `Struct` and `ListValue` is one level). Bytes whose depth exceeds
/// [`RECURSION_LIMIT`] cannot be decoded by prost (nor by Python's protobuf):
/// readers that build models from text refuse such input rather than make
/// bytes nobody can read back.
pub(crate) trait WireDepth {
    /// Levels below this message (0 for a message with no sub-messages).
    fn wire_depth(&self) -> usize;
}

fn opt_depth<T: WireDepth>(m: &Option<T>) -> usize {
    m.as_ref().map_or(0, |m| 1 + m.wire_depth())
}

fn vec_depth<T: WireDepth>(v: &[T]) -> usize {
    v.iter().map(|m| 1 + m.wire_depth()).max().unwrap_or(0)
}

fn map_depth<K, V>(m: &std::collections::BTreeMap<K, V>) -> usize {
    // A map entry is a message holding two scalars.
    usize::from(!m.is_empty())
}

impl WireDepth for prost_types::Struct {
    fn wire_depth(&self) -> usize {
        // entry message, then the Value inside it
        self.fields
            .values()
            .map(|v| 2 + v.wire_depth())
            .max()
            .unwrap_or(0)
    }
}

impl WireDepth for prost_types::Value {
    fn wire_depth(&self) -> usize {
        use prost_types::value::Kind;
        match &self.kind {
            Some(Kind::StructValue(s)) => 1 + s.wire_depth(),
            Some(Kind::ListValue(l)) => 1 + vec_depth(&l.values),
            _ => 0,
        }
    }
}

impl WireDepth for RayJob {
    fn wire_depth(&self) -> usize {
        opt_depth(&self.ray_cluster)
    }
}

impl WireDepth for RayCluster {
    fn wire_depth(&self) -> usize {
        opt_depth(&self.head_group_spec)
            .max(vec_depth(&self.worker_group_spec))
            .max(opt_depth(&self.autoscaler_options))
    }
}

impl WireDepth for HeadGroupSpec {
    fn wire_depth(&self) -> usize {
        map_depth(&self.ray_start_params)
            .max(opt_depth(&self.k8s_pod))
            .max(opt_depth(&self.extended_resources))
    }
}

impl WireDepth for WorkerGroupSpec {
    fn wire_depth(&self) -> usize {
        map_depth(&self.ray_start_params)
            .max(opt_depth(&self.k8s_pod))
            .max(opt_depth(&self.extended_resources))
    }
}

impl WireDepth for ExtendedResources {
    fn wire_depth(&self) -> usize {
        opt_depth(&self.gpu_accelerator).max(opt_depth(&self.shared_memory))
    }
}

impl WireDepth for GPUAccelerator {
    fn wire_depth(&self) -> usize {
        0
    }
}

impl WireDepth for SharedMemory {
    fn wire_depth(&self) -> usize {
        0
    }
}

impl WireDepth for AutoscalerOptions {
    fn wire_depth(&self) -> usize {
        usize::from(!self.env.is_empty()).max(opt_depth(&self.resources))
    }
}

impl WireDepth for Resources {
    fn wire_depth(&self) -> usize {
        usize::from(!self.requests.is_empty() || !self.limits.is_empty())
    }
}

impl WireDepth for K8sPod {
    fn wire_depth(&self) -> usize {
        opt_depth(&self.metadata)
            .max(opt_depth(&self.pod_spec))
            .max(opt_depth(&self.data_config))
    }
}

impl WireDepth for K8sObjectMetadata {
    fn wire_depth(&self) -> usize {
        map_depth(&self.labels).max(map_depth(&self.annotations))
    }
}

impl WireDepth for DataLoadingConfig {
    fn wire_depth(&self) -> usize {
        opt_depth(&self.io_strategy)
    }
}

impl WireDepth for IOStrategy {
    fn wire_depth(&self) -> usize {
        0
    }
}

/// Why a model must not be accepted or handed out, if it must not: its
/// binary encoding would nest deeper than protobuf decoders accept (prost and
/// Python's protobuf stop at [`RECURSION_LIMIT`] nested messages, and a pod
/// spec costs up to three levels per JSON object). The text readers refuse
/// such input with this message; validation reports it for models built in
/// code.
pub(crate) fn too_deep<T: WireDepth>(model: &T) -> Option<String> {
    let depth = model.wire_depth();
    (depth > RECURSION_LIMIT).then(|| {
        format!(
            "a podSpec nests too deeply: the binary encoding would be {depth} messages deep, \
             past protobuf's recursion limit of {RECURSION_LIMIT}; flytekit and prost could \
             not decode it"
        )
    })
}
