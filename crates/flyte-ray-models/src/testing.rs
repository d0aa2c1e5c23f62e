//! Invariant checks shared by the property tests, the fuzz targets and the
//! replay of recorded fuzz failures, plus (with the `proptest` feature) the
//! proptest strategies for every IDL message and model.
//!
//! Every `check_*` function returns `Err` with a description of the broken
//! invariant instead of panicking, so that a property test can report it and
//! a fuzz target (`fuzz/fuzz_targets/*.rs`) can turn it into a crash. Inputs
//! that are merely invalid (bytes that do not decode, text that does not
//! parse) are `Ok(())`: rejecting them with an error is the correct
//! behaviour.
//!
//! The byte-driven entry points ([`check_decode_bytes`],
//! [`check_json_from_str`], [`check_yaml_from_str`], [`check_convert`]) take
//! the fuzzer's raw input: the first byte picks the message ([`Kind`]), the
//! rest is the payload.
//!
//! ```
//! use flyte_ray_models::testing::{Kind, check_decode_bytes, check_model};
//! use flyte_ray_models::{RayCluster, RayJob, WorkerGroupSpec};
//!
//! let job = RayJob::new(RayCluster::new(vec![WorkerGroupSpec::new("w", 2)]));
//! let mut input = vec![Kind::RayJob.tag()];
//! input.extend(flyte_ray_models::FlyteIdlEntity::serialize_to_string(&job));
//! assert_eq!(check_decode_bytes(&input), Ok(()));
//! // Garbage is rejected by the decoder, which is fine.
//! assert_eq!(check_decode_bytes(&[0, 0xff, 0xff]), Ok(()));
//! // Every invariant on one model: IDL, bytes, JSON, YAML, text, rendering.
//! assert_eq!(check_model(&job), Ok(()));
//! ```

use std::fmt::Debug;

use flyte_ray_idl::canonical::CanonicalEncode as _;
use prost::Message as _;

use crate::{
    AutoscalerOptions, DataLoadingConfig, Dialect, DialectError, ExtendedResources, FlyteIdlEntity,
    GPUAccelerator, HeadGroupSpec, IOStrategy, K8sObjectMetadata, K8sPod, RayCluster, RayJob,
    Resources, SharedMemory, WorkerGroupSpec,
};

/// The thirteen models, in the order of `flyte_ray_idl::MODEL_MESSAGES_V1`
/// (the ten of flytekit's Ray plugin, then the flyteidl2 extended resources);
/// the first byte of a fuzz input, modulo 13, picks one (so tags 0–9 pick
/// what they picked when there were ten).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// [`RayJob`].
    RayJob,
    /// [`RayCluster`].
    RayCluster,
    /// [`HeadGroupSpec`].
    HeadGroupSpec,
    /// [`WorkerGroupSpec`].
    WorkerGroupSpec,
    /// [`AutoscalerOptions`].
    AutoscalerOptions,
    /// [`K8sPod`].
    K8sPod,
    /// [`K8sObjectMetadata`].
    K8sObjectMetadata,
    /// [`Resources`].
    Resources,
    /// [`DataLoadingConfig`].
    DataLoadingConfig,
    /// [`IOStrategy`].
    IOStrategy,
    /// [`ExtendedResources`] (flyteidl2's GPU accelerator and shared memory).
    ExtendedResources,
    /// [`GPUAccelerator`].
    GPUAccelerator,
    /// [`SharedMemory`].
    SharedMemory,
}

impl Kind {
    /// Every kind, in tag order.
    pub const ALL: [Kind; 13] = [
        Kind::RayJob,
        Kind::RayCluster,
        Kind::HeadGroupSpec,
        Kind::WorkerGroupSpec,
        Kind::AutoscalerOptions,
        Kind::K8sPod,
        Kind::K8sObjectMetadata,
        Kind::Resources,
        Kind::DataLoadingConfig,
        Kind::IOStrategy,
        Kind::ExtendedResources,
        Kind::GPUAccelerator,
        Kind::SharedMemory,
    ];

    /// The kind a fuzz input's first byte selects (`byte % 13`).
    pub fn from_byte(byte: u8) -> Kind {
        Self::ALL[usize::from(byte) % Self::ALL.len()]
    }

    /// The byte that selects this kind.
    pub fn tag(self) -> u8 {
        // A fieldless enum: the discriminant is the index in `ALL`.
        self as u8
    }

    /// Full protobuf name in flyteidl (`flyteidl.plugins.RayJob`).
    pub fn proto_name(self) -> &'static str {
        flyte_ray_idl::MODEL_MESSAGES_V1[usize::from(self.tag())]
    }

    /// The kind of a full protobuf name, or of a flytekit class name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| {
            let proto = k.proto_name();
            proto == name || proto.rsplit('.').next() == Some(name) || format!("{k:?}") == name
        })
    }
}

/// Runs `$body` with `$t` bound to the model type of `$kind`.
macro_rules! with_kind {
    ($kind:expr, $t:ident => $body:expr) => {
        with_kind!(@each $kind, $t => $body; RayJob RayCluster HeadGroupSpec WorkerGroupSpec
            AutoscalerOptions K8sPod K8sObjectMetadata Resources DataLoadingConfig IOStrategy
            ExtendedResources GPUAccelerator SharedMemory)
    };
    (@each $kind:expr, $t:ident => $body:expr; $($model:ident)+) => {
        match $kind {
            $(Kind::$model => {
                type $t = $model;
                $body
            })+
        }
    };
}

/// A model the checks can run on: a [`FlyteIdlEntity`] whose pod specs (the
/// only place a non-finite number can hide) can be listed.
pub trait Model: FlyteIdlEntity {
    /// Every pod spec `Struct` inside the model, outermost first.
    fn pod_specs(&self) -> Vec<&prost_types::Struct>;

    /// The model's `validate()` findings; empty for the models that have no
    /// validation of their own.
    fn findings(&self) -> Vec<crate::Finding> {
        Vec::new()
    }

    /// Every pod spec `Struct` inside the model, mutably.
    fn pod_specs_mut(&mut self) -> Vec<&mut prost_types::Struct>;

    /// Whether some pod spec holds a NaN or an infinity, which JSON cannot
    /// carry.
    fn has_non_finite(&self) -> bool {
        self.pod_specs().iter().any(|s| struct_has_non_finite(s))
    }
}

/// The model as proto3 JSON can carry it: in pod specs, every
/// `google.protobuf.NullValue` number becomes 0 and every `Value` with no
/// kind set becomes `null_value: 0`. JSON writes both as `null` (so does
/// Python's `MessageToDict`); binary keeps the difference.
pub fn json_form<T: Model>(model: &T) -> T {
    let mut m = model.clone();
    for s in m.pod_specs_mut() {
        for v in s.fields.values_mut() {
            normalize_nulls(v);
        }
    }
    m
}

fn normalize_nulls(v: &mut prost_types::Value) {
    use prost_types::value::Kind as V;
    match &mut v.kind {
        Some(V::NullValue(n)) => *n = 0,
        None => v.kind = Some(V::NullValue(0)),
        Some(V::StructValue(s)) => s.fields.values_mut().for_each(normalize_nulls),
        Some(V::ListValue(l)) => l.values.iter_mut().for_each(normalize_nulls),
        _ => {}
    }
}

fn struct_has_non_finite(s: &prost_types::Struct) -> bool {
    s.fields.values().any(value_has_non_finite)
}

fn value_has_non_finite(v: &prost_types::Value) -> bool {
    use prost_types::value::Kind as V;
    match &v.kind {
        Some(V::NumberValue(n)) => !n.is_finite(),
        Some(V::StructValue(s)) => struct_has_non_finite(s),
        Some(V::ListValue(l)) => l.values.iter().any(value_has_non_finite),
        _ => false,
    }
}

fn pod_of(pod: Option<&K8sPod>) -> Vec<&prost_types::Struct> {
    pod.map(Model::pod_specs).unwrap_or_default()
}

fn pod_of_mut(pod: Option<&mut K8sPod>) -> Vec<&mut prost_types::Struct> {
    pod.map(Model::pod_specs_mut).unwrap_or_default()
}

impl Model for RayJob {
    fn findings(&self) -> Vec<crate::Finding> {
        self.validate()
    }
    fn pod_specs(&self) -> Vec<&prost_types::Struct> {
        self.ray_cluster
            .as_ref()
            .map(Model::pod_specs)
            .unwrap_or_default()
    }
    fn pod_specs_mut(&mut self) -> Vec<&mut prost_types::Struct> {
        self.ray_cluster
            .as_mut()
            .map(Model::pod_specs_mut)
            .unwrap_or_default()
    }
}
impl Model for RayCluster {
    fn findings(&self) -> Vec<crate::Finding> {
        self.validate()
    }
    fn pod_specs(&self) -> Vec<&prost_types::Struct> {
        let mut out = self
            .head_group_spec
            .as_ref()
            .map(Model::pod_specs)
            .unwrap_or_default();
        for w in &self.worker_group_spec {
            out.extend(w.pod_specs());
        }
        out
    }
    fn pod_specs_mut(&mut self) -> Vec<&mut prost_types::Struct> {
        let mut out = self
            .head_group_spec
            .as_mut()
            .map(Model::pod_specs_mut)
            .unwrap_or_default();
        for w in &mut self.worker_group_spec {
            out.extend(w.pod_specs_mut());
        }
        out
    }
}
impl Model for HeadGroupSpec {
    fn findings(&self) -> Vec<crate::Finding> {
        self.validate()
    }
    fn pod_specs(&self) -> Vec<&prost_types::Struct> {
        pod_of(self.k8s_pod.as_ref())
    }
    fn pod_specs_mut(&mut self) -> Vec<&mut prost_types::Struct> {
        pod_of_mut(self.k8s_pod.as_mut())
    }
}
impl Model for WorkerGroupSpec {
    fn findings(&self) -> Vec<crate::Finding> {
        self.validate()
    }
    fn pod_specs(&self) -> Vec<&prost_types::Struct> {
        pod_of(self.k8s_pod.as_ref())
    }
    fn pod_specs_mut(&mut self) -> Vec<&mut prost_types::Struct> {
        pod_of_mut(self.k8s_pod.as_mut())
    }
}
impl Model for K8sPod {
    fn findings(&self) -> Vec<crate::Finding> {
        self.validate()
    }
    fn pod_specs(&self) -> Vec<&prost_types::Struct> {
        self.pod_spec().into_iter().collect()
    }
    fn pod_specs_mut(&mut self) -> Vec<&mut prost_types::Struct> {
        self.pod_spec_mut().into_iter().collect()
    }
}
macro_rules! extended_model {
    ($($t:ty),*) => {$(
        impl Model for $t {
            fn findings(&self) -> Vec<crate::Finding> {
                self.validate()
            }
            fn pod_specs(&self) -> Vec<&prost_types::Struct> {
                Vec::new()
            }
            fn pod_specs_mut(&mut self) -> Vec<&mut prost_types::Struct> {
                Vec::new()
            }
        }
    )*};
}
extended_model!(ExtendedResources, GPUAccelerator, SharedMemory);
macro_rules! no_pod_spec {
    ($($t:ty),*) => {$(
        impl Model for $t {
            fn pod_specs(&self) -> Vec<&prost_types::Struct> {
                Vec::new()
            }
            fn pod_specs_mut(&mut self) -> Vec<&mut prost_types::Struct> {
                Vec::new()
            }
        }
    )*};
}
no_pod_spec!(
    AutoscalerOptions,
    K8sObjectMetadata,
    Resources,
    DataLoadingConfig,
    IOStrategy
);

/// Equality that also holds for NaNs: `a == b`, or the two have the same
/// canonical encoding (which writes every double bit for bit and is
/// injective on messages without unknown fields) and the same `Debug` form.
pub fn same<T: FlyteIdlEntity>(a: &T, b: &T) -> bool {
    a == b
        || (a.serialize_to_string() == b.serialize_to_string()
            && format!("{a:?}") == format!("{b:?}"))
}

/// Equality that treats every NaN as equal to every other NaN, whatever its
/// sign and payload (Rust's `Debug` for doubles is the shortest string that
/// reads back to the same bits, except that every NaN prints as `NaN`).
pub fn same_but_nan_bits<T: FlyteIdlEntity>(a: &T, b: &T) -> bool {
    a == b || format!("{a:?}") == format!("{b:?}")
}

fn differ<T: Debug>(what: &str, a: &T, b: &T) -> String {
    let (a, b) = (format!("{a:?}"), format!("{b:?}"));
    format!("{what}:\n  before: {}\n  after:  {}", clip(&a), clip(&b))
}

fn clip(s: &str) -> String {
    const MAX: usize = 2000;
    if s.len() <= MAX {
        return s.to_owned();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

/// `from_flyte_idl(to_flyte_idl(x)) == x`, the same through
/// `into_flyte_idl`, and the IDL message's canonical encoding equals the
/// model's.
pub fn check_idl_roundtrip<T: Model>(model: &T) -> Result<(), String> {
    // The IDL structs (prost) cannot carry unknown fields.
    let model = &model.clone().without_unknown_fields();
    let idl = model.to_flyte_idl();
    let back = T::from_flyte_idl(idl.clone());
    if !same(&back, model) {
        return Err(differ("from_flyte_idl(to_flyte_idl(x)) != x", model, &back));
    }
    let moved = model.clone().into_flyte_idl();
    if moved.encode_canonical() != idl.encode_canonical() {
        return Err(format!(
            "into_flyte_idl(x) != to_flyte_idl(x) for {model:?}"
        ));
    }
    if idl.encode_canonical() != model.serialize_to_string() {
        return Err("the IDL message and the model encode differently".into());
    }
    Ok(())
}

/// The two IDL generations agree on the model: [`Dialect::Auto`] and
/// [`Dialect::Flyteidl2`] accept it; [`Dialect::Flyteidl`] accepts it
/// exactly when [`to_flyteidl_v1`](FlyteIdlEntity::to_flyteidl_v1) does,
/// with the same error, which names a JSON path; an accepted model's
/// flyteidl message has the model's very bytes and converts back to the
/// model, and a refused one is one that a Flyte 1 reader (prost's flyteidl
/// structs, which drop unknown fields) would indeed lose bytes of.
///
/// A model nested past protobuf's recursion limit (built in code) cannot be
/// re-decoded as either message; only the agreement of the checks is
/// required of it.
pub fn check_dialects<T: Model>(model: &T) -> Result<(), String> {
    // The IDL structs cannot carry unknown fields, and dialects are about
    // known ones: check the known part.
    if model.has_unknown_fields() {
        return check_dialects(&model.clone().without_unknown_fields());
    }
    for d in [Dialect::Auto, Dialect::Flyteidl2] {
        d.check(model)
            .map_err(|e| format!("{d} refused a model: {e}"))?;
    }
    let bytes = model.serialize_to_string();
    let strict = Dialect::Flyteidl.check(model);
    match (model.to_flyteidl_v1(), strict) {
        (Err(DialectError::Reencode { .. }), Ok(()))
            if <T::Idl as prost::Message>::decode(bytes.as_slice()).is_err() =>
        {
            Ok(())
        }
        (Ok(v1), Ok(())) => {
            if v1.encode_canonical() != bytes {
                return Err(format!(
                    "to_flyteidl_v1 accepted {model:?} but its bytes differ"
                ));
            }
            let back = T::from_flyteidl_v1(&v1).map_err(|e| format!("from_flyteidl_v1: {e}"))?;
            if !same(&back, model) {
                return Err(differ(
                    "from_flyteidl_v1(to_flyteidl_v1(x)) != x",
                    model,
                    &back,
                ));
            }
            Ok(())
        }
        (Err(a), Err(b)) => {
            if a.to_string() != b.to_string() {
                return Err(format!(
                    "to_flyteidl_v1 says {a}, Dialect::Flyteidl says {b}"
                ));
            }
            if b.json_path().is_none() {
                return Err(format!("no JSON path in {b}"));
            }
            if let Ok(kept) = <T::IdlV1 as prost::Message>::decode(bytes.as_slice())
                && kept.encode_canonical() == bytes
            {
                return Err(format!(
                    "refused ({b}) although a Flyte 1 reader keeps every byte"
                ));
            }
            Ok(())
        }
        (Ok(_), Err(e)) => Err(format!(
            "to_flyteidl_v1 accepted what Dialect::Flyteidl refuses: {e}"
        )),
        (Err(e), Ok(())) => Err(format!(
            "Dialect::Flyteidl accepted what to_flyteidl_v1 refuses: {e}"
        )),
    }
}

/// serialize → `from_bytes` gives the model back, re-encoding is
/// byte-identical, `is_empty` agrees with the encoding's length, and prost's
/// own (non-canonical) encoding decodes to the same model.
pub fn check_bytes_roundtrip<T: Model>(model: &T) -> Result<(), String> {
    let bytes = model.serialize_to_string();
    if model.canonical_len() != bytes.len() {
        return Err(format!(
            "canonical_len() is {} but the encoding has {} bytes",
            model.canonical_len(),
            bytes.len()
        ));
    }
    if model.is_empty() != bytes.is_empty() {
        return Err(format!(
            "is_empty() is {} for {} bytes",
            model.is_empty(),
            bytes.len()
        ));
    }
    let back = T::from_bytes(&bytes)
        .map_err(|e| format!("our own encoding does not decode: {e}\n  bytes: {bytes:02x?}"))?;
    if !same(&back, model) {
        return Err(differ(
            "from_bytes(serialize_to_string(x)) != x",
            model,
            &back,
        ));
    }
    let again = back.serialize_to_string();
    if again != bytes {
        return Err(format!(
            "re-encoding differs:\n  first:  {bytes:02x?}\n  second: {again:02x?}"
        ));
    }
    let prost_bytes = model.to_flyte_idl().encode_to_vec();
    let via_prost = T::from_bytes(&prost_bytes)
        .map_err(|e| format!("prost's encoding of the model does not decode: {e}"))?;
    if !same(&via_prost, model) {
        return Err(differ(
            "from_bytes(prost encode(x)) != x",
            model,
            &via_prost,
        ));
    }
    Ok(())
}

/// proto3 JSON round trip (compact and pretty) for a model JSON can carry
/// (up to [`json_form`]: `null` carries no `NullValue` number); for one
/// with a NaN or infinity in a pod spec, `to_json` must fail instead.
pub fn check_json_roundtrip<T: Model>(model: &T) -> Result<(), String> {
    let non_finite = model.has_non_finite();
    for pretty in [false, true] {
        let written = if pretty {
            model.to_json_pretty()
        } else {
            model.to_json()
        };
        let json = match (written, non_finite) {
            (Ok(json), false) => json,
            (Err(_), true) => continue,
            (Ok(json), true) => {
                return Err(format!(
                    "to_json accepted a non-finite number: {}\n  model: {model:?}",
                    clip(&json)
                ));
            }
            (Err(e), false) => return Err(format!("to_json failed: {e}\n  model: {model:?}")),
        };
        let back = T::from_json(&json)
            .map_err(|e| format!("from_json(to_json(x)) failed: {e}\n  json: {}", clip(&json)))?;
        if !same(&back, &json_form(model)) {
            return Err(differ(
                &format!("from_json(to_json(x)) != x, json: {}", clip(&json)),
                model,
                &back,
            ));
        }
    }
    Ok(())
}

/// YAML round trip; a model with a non-finite number may be refused by
/// `to_yaml`, but what is written must read back as the same model (up to
/// [`json_form`]).
pub fn check_yaml_roundtrip<T: Model>(model: &T) -> Result<(), String> {
    let yaml = match model.to_yaml() {
        Ok(yaml) => yaml,
        Err(_) if model.has_non_finite() => return Ok(()),
        Err(e) => return Err(format!("to_yaml failed: {e}\n  model: {model:?}")),
    };
    let back = T::from_yaml(&yaml)
        .map_err(|e| format!("from_yaml(to_yaml(x)) failed: {e}\n  yaml: {}", clip(&yaml)))?;
    if !same(&back, &json_form(model)) {
        return Err(differ(
            &format!("from_yaml(to_yaml(x)) != x, yaml: {}", clip(&yaml)),
            model,
            &back,
        ));
    }
    Ok(())
}

/// The text format parses back (with [`FlyteIdlEntity::from_text`])
/// to the same message — up to NaN payloads: the text format, in every
/// protobuf runtime, writes each NaN as `nan`, so only "some NaN" survives,
/// not the sign bit or payload (compared with [`same_but_nan_bits`]).
pub fn check_text_roundtrip<T: Model>(model: &T) -> Result<(), String> {
    // Text format carries the known fields only.
    let model = &model.clone().without_unknown_fields();
    let text = model.text_format();
    let back = T::from_text(&text).map_err(|e| {
        format!(
            "text format does not parse back: {e}\n  text: {}",
            clip(&text)
        )
    })?;
    if !same_but_nan_bits(&back, model) {
        return Err(differ(
            &format!("parse(text_format(x)) != x, text: {}", clip(&text)),
            model,
            &back,
        ));
    }
    Ok(())
}

/// `short_string`, `verbose_string`, `text_format` and `validate` return
/// (a panic inside them propagates to the caller, which is the point),
/// `short_string` starts with flytekit's header, and every finding renders.
pub fn check_render<T: Model>(model: &T) -> Result<(), String> {
    let short = model.short_string();
    let header = format!("Flyte Serialized object ({}):", T::TYPE_NAME);
    if !short.starts_with(&header) {
        return Err(format!(
            "short_string lacks the header {header:?}: {}",
            clip(&short)
        ));
    }
    let _ = model.text_format();
    let _ = model.to_string();
    for finding in model.findings() {
        let _ = finding.to_string();
    }
    Ok(())
}

/// Every invariant above, on one model.
pub fn check_model<T: Model>(model: &T) -> Result<(), String> {
    check_idl_roundtrip(model)?;
    check_dialects(model)?;
    check_bytes_roundtrip(model)?;
    check_render(model)?;
    check_text_roundtrip(model)?;
    check_json_roundtrip(model)?;
    check_yaml_roundtrip(model)
}

/// Decodes `bytes` as the message `kind` on the direct path (see
/// `crate::decode`) and on the general path (prost, then the scan for unknown
/// fields). `Ok(true)` when the direct path took them and gave what the
/// general path gives, `Ok(false)` when it left them to the general path,
/// `Err` when the two disagree.
pub fn check_fast_decode(kind: Kind, bytes: &[u8]) -> Result<bool, String> {
    with_kind!(kind, T => fast_matches_general::<T>(bytes))
}

fn fast_matches_general<T: Model + crate::decode::FastDecode>(
    bytes: &[u8],
) -> Result<bool, String> {
    let Some(fast) = crate::decode::decode_fast::<T>(bytes) else {
        return Ok(false);
    };
    if fast.has_unknown_fields() {
        // The general path (prost) cannot keep unknown fields; what it must
        // agree on is the known part.
        let known = fast.without_unknown_fields();
        if known.has_unknown_fields() {
            return Err(format!("without_unknown_fields kept some: {bytes:02x?}"));
        }
        let kb = known.serialize_to_string();
        let general = crate::decode_general::<T>(&kb).map_err(|e| {
            format!(
                "the known fields of a direct decoding do not decode generally ({e}): {bytes:02x?}"
            )
        })?;
        if !same(&known, &general) || general.serialize_to_string() != kb {
            return Err(differ(
                "the known fields of a direct decoding and their general decoding disagree",
                &general,
                &known,
            ));
        }
        return Ok(true);
    }
    let general = crate::decode_general::<T>(bytes).map_err(|e| {
        format!("the direct path decoded bytes the general path refuses ({e}): {bytes:02x?}")
    })?;
    if !same(&fast, &general) || fast.serialize_to_string() != general.serialize_to_string() {
        return Err(differ(
            "direct and general decoding disagree",
            &general,
            &fast,
        ));
    }
    // The pod spec, asked for as a Struct, is the general path's.
    if format!("{fast:?}") != format!("{general:?}") {
        return Err(differ(
            "direct and general decoding print differently",
            &general,
            &fast,
        ));
    }
    Ok(true)
}

fn decode_invariants<T: Model + crate::decode::FastDecode>(bytes: &[u8]) -> Result<(), String> {
    fast_matches_general::<T>(bytes)?;
    let Ok(first) = T::from_bytes(bytes) else {
        return Ok(());
    };
    let encoded = first.serialize_to_string();
    let second = T::from_bytes(&encoded)
        .map_err(|e| format!("decode → encode → decode failed: {e}\n  encoded: {encoded:02x?}"))?;
    if !same(&first, &second) {
        return Err(differ(
            "decode → encode → decode disagrees",
            &first,
            &second,
        ));
    }
    let reencoded = second.serialize_to_string();
    if reencoded != encoded {
        return Err(format!(
            "encode differs from the re-encode of the re-decoded message:\n  first:  {encoded:02x?}\n  second: {reencoded:02x?}"
        ));
    }
    check_idl_roundtrip(&first)?;
    check_dialects(&first)?;
    check_render(&first)
}

/// `model`'s encoding with each `(i, raw)` of `picks` appended to the
/// `i`-th message (pre-order, counting every message that keeps unknown
/// fields: the models, `KeyValuePair`, and a pod spec's `Struct`, `Value`
/// and `ListValue`; `i` taken modulo their count), length prefixes
/// adjusted: a spec as a newer schema would write it.
pub fn with_unknown_fields<T: FlyteIdlEntity>(
    model: &T,
    picks: &[(usize, Vec<u8>)],
) -> Result<Vec<u8>, String> {
    let bytes = model.serialize_to_string();
    let (_, count) = crate::unknown::append_unknown(T::PROTO2_NAME, &bytes, &[])
        .ok_or("the encoding does not walk")?;
    let picks: Vec<(usize, Vec<u8>)> = picks
        .iter()
        .map(|(i, raw)| (i % count.max(1), raw.clone()))
        .collect();
    crate::unknown::append_unknown(T::PROTO2_NAME, &bytes, &picks)
        .map(|(with, _)| with)
        .ok_or_else(|| "the encoding does not walk".to_owned())
}

/// Unknown fields appended to messages of `model`'s encoding — each
/// `(i, raw)` appends the raw field `raw` (key and value) to the `i`-th
/// model message in pre-order, `i` taken modulo their count — survive decode
/// then encode byte for byte, are listed by `unknown_fields` (one per raw
/// field), are refused by `from_bytes_strict` and by JSON, and leave the
/// known fields as they were.
pub fn check_unknown_fields_kept<T: FlyteIdlEntity>(
    model: &T,
    picks: &[(usize, Vec<u8>)],
) -> Result<(), String> {
    let model = model.clone().without_unknown_fields();
    let bytes = model.serialize_to_string();
    let (_, count) = crate::unknown::append_unknown(T::PROTO2_NAME, &bytes, &[])
        .ok_or("the encoding does not walk")?;
    if count == 0 {
        return Err("no message to append to".into());
    }
    let picks: Vec<(usize, Vec<u8>)> = picks
        .iter()
        .map(|(i, raw)| (i % count, raw.clone()))
        .collect();
    let (with, _) = crate::unknown::append_unknown(T::PROTO2_NAME, &bytes, &picks)
        .ok_or("the encoding does not walk")?;
    let read = T::from_bytes(&with).map_err(|e| format!("{e}: {with:02x?}"))?;
    let out = read.serialize_to_string();
    if out != with {
        return Err(format!(
            "decode → encode changed the bytes:\n  in:  {with:02x?}\n  out: {out:02x?}"
        ));
    }
    let listed = read.unknown_fields();
    if listed.len() != picks.len() {
        return Err(format!(
            "{} unknown fields listed, {} appended: {listed:?}",
            listed.len(),
            picks.len()
        ));
    }
    if !picks.is_empty() && (T::from_bytes_strict(&with).is_ok() || read.to_json().is_ok()) {
        return Err("strict decoding or JSON accepted unknown fields".into());
    }
    let known = read.without_unknown_fields();
    if !same(&known, &model) {
        return Err(differ("the known fields changed", &model, &known));
    }
    Ok(())
}

/// Fuzz target `decode_bytes`: the first byte picks the message, the rest is
/// decoded; when it decodes, decode → encode → decode must agree, the
/// encoding must equal the re-encode of the re-decoded message, and the
/// renderers must not panic.
pub fn check_decode_bytes(data: &[u8]) -> Result<(), String> {
    let Some((&tag, bytes)) = data.split_first() else {
        return Ok(());
    };
    with_kind!(Kind::from_byte(tag), T => decode_invariants::<T>(bytes))
}

fn after_parse<T: Model>(model: &T) -> Result<(), String> {
    check_idl_roundtrip(model)?;
    check_dialects(model)?;
    check_bytes_roundtrip(model)?;
    check_json_roundtrip(model)?;
    check_yaml_roundtrip(model)
}

/// Which text format a `*_from_str` target reads.
#[derive(Clone, Copy)]
enum Text {
    Json,
    Yaml,
}

impl Text {
    fn name(self) -> &'static str {
        match self {
            Text::Json => "JSON",
            Text::Yaml => "YAML",
        }
    }

    fn parse<T: Model>(self, text: &str, options: &crate::JsonOptions) -> Result<T, String> {
        match self {
            Text::Json => T::from_json_with(text, options),
            Text::Yaml => T::from_yaml_with(text, options),
        }
        .map_err(|e| e.to_string())
    }
}

fn text_invariants<T: Model>(format: Text, text: &str) -> Result<(), String> {
    let what = format.name();
    let lenient = format.parse::<T>(text, &crate::JsonOptions::new().ignore_unknown_fields(true));
    let Ok(model) = format.parse::<T>(text, &crate::JsonOptions::new()) else {
        return Ok(());
    };
    match lenient {
        Ok(l) if same(&l, &model) => {}
        Ok(l) => {
            return Err(differ(
                &format!("strict and lenient {what} parsing disagree"),
                &model,
                &l,
            ));
        }
        Err(e) => {
            return Err(format!(
                "strict {what} parsing succeeded but lenient failed: {e}"
            ));
        }
    }
    after_parse(&model)
}

/// The first byte picks the message; the rest, when UTF-8, is read as
/// `format`.
fn check_text_input(format: Text, data: &[u8]) -> Result<(), String> {
    let Some((&tag, rest)) = data.split_first() else {
        return Ok(());
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    check_pod_spec_text(matches!(format, Text::Yaml), text)?;
    with_kind!(Kind::from_byte(tag), T => text_invariants::<T>(format, text))
}

/// Reads `text` as a pod spec both ways the crate can: straight into its
/// canonical encoding (what the models' JSON and YAML readers do) and into a
/// `Struct` with [`flyte_ray_k8s::deserialize_struct`]. Both must refuse
/// alike, with the same message, or give the same bytes and depth; and
/// writing the result back as JSON must give the same text (or the same
/// error) from the bytes as from the `Struct`.
pub fn check_pod_spec_text(yaml: bool, text: &str) -> Result<(), String> {
    let (direct, via_struct) = if yaml {
        (
            crate::pod_spec::deserialize(serde_yaml_ng::Deserializer::from_str(text))
                .map_err(|e| e.to_string()),
            flyte_ray_k8s::deserialize_struct(serde_yaml_ng::Deserializer::from_str(text))
                .map_err(|e| e.to_string()),
        )
    } else {
        let mut a = serde_json::Deserializer::from_str(text);
        let mut b = serde_json::Deserializer::from_str(text);
        (
            crate::pod_spec::deserialize(&mut a)
                .and_then(|p| a.end().map(|()| p))
                .map_err(|e| e.to_string()),
            flyte_ray_k8s::deserialize_struct(&mut b)
                .and_then(|s| b.end().map(|()| s))
                .map_err(|e| e.to_string()),
        )
    };
    let (direct, via_struct) = match (direct, via_struct) {
        (Err(a), Err(b)) if a == b => return Ok(()),
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            return Err(format!(
                "pod spec readers disagree on {text:?}:\n  direct:     {:?}\n  via Struct: {:?}",
                a.map(|p| p.encoding().into_owned()),
                b.map(|s| s.encode_canonical())
            ));
        }
    };
    let expected = via_struct.encode_canonical();
    if direct.encoding().as_ref() != expected.as_slice() {
        return Err(format!(
            "pod spec bytes differ for {text:?}:\n  direct:     {:02x?}\n  via Struct: {expected:02x?}",
            direct.encoding()
        ));
    }
    use crate::wire::WireDepth;
    if direct.wire_depth() != via_struct.wire_depth() {
        return Err(format!(
            "pod spec depth differs for {text:?}: {} direct, {} via Struct",
            direct.wire_depth(),
            via_struct.wire_depth()
        ));
    }
    if direct.as_struct() != &via_struct && !struct_has_non_finite(&via_struct) {
        return Err(format!(
            "the direct pod spec decodes to another Struct for {text:?}"
        ));
    }
    let out_direct =
        serde_json::to_string(&crate::pod_spec::AsJson(&direct)).map_err(|e| e.to_string());
    let out_struct = serde_json::to_string(&flyte_ray_k8s::SerializeStruct(&via_struct))
        .map_err(|e| e.to_string());
    if out_direct != out_struct {
        return Err(format!(
            "pod spec JSON differs for {text:?}:\n  from bytes:  {out_direct:?}\n  from Struct: {out_struct:?}"
        ));
    }
    Ok(())
}

/// Fuzz target `json_from_str`: the first byte picks the message, the rest
/// (when UTF-8) is parsed as proto3 JSON, strictly and leniently; what
/// parses must survive every round trip.
pub fn check_json_from_str(data: &[u8]) -> Result<(), String> {
    check_text_input(Text::Json, data)
}

/// Fuzz target `text_from_str`: the first byte picks the message, the rest
/// (when UTF-8) is read as protobuf text format
/// ([`FlyteIdlEntity::from_text`]). It must not panic or overflow the
/// stack; an error must point into the input (line and column inside it);
/// what reads must print as text format that reads back to the same model
/// (up to NaN bits), and survive the other round trips.
pub fn check_text_from_str(data: &[u8]) -> Result<(), String> {
    let Some((&tag, rest)) = data.split_first() else {
        return Ok(());
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    with_kind!(Kind::from_byte(tag), T => text_format_invariants::<T>(text))
}

fn text_format_invariants<T: Model>(text: &str) -> Result<(), String> {
    let model = match T::from_text(text) {
        Ok(model) => model,
        Err(e) => {
            let lines = text.split('\n').count();
            let line_len = text
                .split('\n')
                .nth(e.line.saturating_sub(1))
                .map(|l| l.chars().count());
            return match line_len {
                Some(len)
                    if e.line >= 1 && e.line <= lines && e.column >= 1 && e.column <= len + 1 =>
                {
                    Ok(())
                }
                _ => Err(format!(
                    "{}: error position {}:{} is outside the input ({lines} lines): {e}",
                    T::TYPE_NAME,
                    e.line,
                    e.column
                )),
            };
        }
    };
    check_text_roundtrip(&model)?;
    let again = T::from_bytes(&model.serialize_to_string()).map_err(|e| {
        format!(
            "{}: read from text, its bytes do not decode: {e}",
            T::TYPE_NAME
        )
    })?;
    if !same_but_nan_bits(&again, &model) {
        return Err(format!(
            "{}: bytes of a model read from text decode to another",
            T::TYPE_NAME
        ));
    }
    Ok(())
}

/// Fuzz target `yaml_from_str`: as [`check_json_from_str`], for YAML.
pub fn check_yaml_from_str(data: &[u8]) -> Result<(), String> {
    check_text_input(Text::Yaml, data)
}

/// Input formats [`sniff`] tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Binary protobuf.
    Binary,
    /// proto3 JSON.
    Json,
    /// YAML with the proto3 JSON mapping.
    Yaml,
}

/// Guesses the format of an input file with a deliberately simple rule:
/// UTF-8 whose first non-blank character is `{` is JSON, other UTF-8 without
/// NUL bytes is YAML, anything else is binary protobuf. This is not the
/// `flyte-ray` tool's detection (`flyte-ray-cli`, which tries JSON and YAML
/// before binary and accepts whole Flyte tasks); the `convert` fuzz target
/// runs that one through `flyte_ray_cli::check_convert_input`.
pub fn sniff(data: &[u8]) -> InputFormat {
    match std::str::from_utf8(data) {
        Ok(s) if s.trim_start().starts_with('{') => InputFormat::Json,
        Ok(s) if !s.contains('\0') => InputFormat::Yaml,
        _ => InputFormat::Binary,
    }
}

fn convert_invariants<T: Model>(data: &[u8]) -> Result<(), String> {
    let parsed = match sniff(data) {
        InputFormat::Binary => T::from_bytes(data).ok(),
        // `sniff` only picks JSON or YAML for UTF-8.
        InputFormat::Json => std::str::from_utf8(data)
            .ok()
            .and_then(|s| T::from_json(s).ok()),
        InputFormat::Yaml => std::str::from_utf8(data)
            .ok()
            .and_then(|s| T::from_yaml(s).ok()),
    };
    // Text that is neither JSON nor YAML of the message may still be binary
    // protobuf (short binary inputs are often valid UTF-8).
    let parsed = parsed.or_else(|| T::from_bytes(data).ok());
    match parsed {
        Some(model) if model.has_unknown_fields() => unknown_invariants(&model),
        Some(model) => check_model(&model),
        None => Ok(()),
    }
}

/// A model holding unknown fields (read from bytes): its encoding reads
/// back to it and re-encodes to itself, JSON, YAML and text refuse it, and
/// its known part passes every model check.
fn unknown_invariants<T: Model>(model: &T) -> Result<(), String> {
    let out = model.serialize_to_string();
    let again = T::from_bytes(&out).map_err(|e| {
        format!("the encoding of a model with unknown fields does not read back ({e}): {out:02x?}")
    })?;
    if !same(&again, model) || again.serialize_to_string() != out {
        return Err(differ(
            "a model with unknown fields does not survive encode → decode",
            model,
            &again,
        ));
    }
    if model.to_json().is_ok() || model.to_yaml().is_ok() || model.to_text_format().is_ok() {
        return Err(format!(
            "JSON, YAML or text written despite unknown fields: {out:02x?}"
        ));
    }
    check_model(&model.clone().without_unknown_fields())
}

/// Fuzz target `convert`: the conversion path of the CLI, through the
/// models — sniff the format, parse, write every output format (binary,
/// JSON, pretty JSON, YAML, text format, `short_string`) and read each back.
pub fn check_convert(data: &[u8]) -> Result<(), String> {
    let Some((&tag, rest)) = data.split_first() else {
        return Ok(());
    };
    with_kind!(Kind::from_byte(tag), T => convert_invariants::<T>(rest))
}

/// Names of the fuzz targets, which are also the directory names under
/// `tests/data/fuzz-failures/` and `fuzz/corpus/`.
pub const FUZZ_TARGETS: [&str; 5] = [
    "decode_bytes",
    "json_from_str",
    "yaml_from_str",
    "convert",
    "text_from_str",
];

/// The check of a fuzz target, by name; `None` for an unknown name.
pub fn check_fuzz_input(target: &str, data: &[u8]) -> Option<Result<(), String>> {
    Some(match target {
        "decode_bytes" => check_decode_bytes(data),
        "json_from_str" => check_json_from_str(data),
        "yaml_from_str" => check_yaml_from_str(data),
        "convert" => check_convert(data),
        "text_from_str" => check_text_from_str(data),
        _ => return None,
    })
}

/// proptest strategies for every IDL message and every model (cargo feature
/// `proptest`). The IDL strategies aim at the hard cases: present-but-empty
/// sub-messages, enum numbers the schema does not define, Unicode and
/// control characters, NaN, infinities, `-0.0` and subnormals in pod specs,
/// repeated environment keys, and `i32::MIN`/`i32::MAX`. Model strategies
/// map the IDL ones through `from_flyte_idl`, which is lossless.
///
/// Strategies take a [`Floats`](strategies::Floats) switch: `Any` includes
/// NaN and infinities, `Finite` keeps to what JSON can carry.
#[cfg(feature = "proptest")]
pub mod strategies {
    use std::collections::BTreeMap;

    use flyte_ray_idl::flyteidl2::{core, plugins};
    use proptest::prelude::*;
    use prost_types::value::Kind as V;

    use crate::{
        AutoscalerOptions, DataLoadingConfig, ExtendedResources, FlyteIdlEntity, GPUAccelerator,
        HeadGroupSpec, IOStrategy, K8sObjectMetadata, K8sPod, PartitionSizeValue, RayCluster,
        RayJob, Resources, SharedMemory, WorkerGroupSpec,
    };

    /// The proptest configuration of this crate's property tests: 64 cases
    /// unless `PROPTEST_CASES` says otherwise, and no failure files
    /// written into the source tree.
    pub fn config() -> proptest::test_runner::Config {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(64);
        proptest::test_runner::Config {
            cases,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        }
    }

    /// One field no model declares (numbers 8 and up: the largest model has
    /// 7 fields), raw (key and value), of every wire type: varint, fixed64,
    /// length-delimited (any bytes), fixed32, and groups holding fields,
    /// nested groups included.
    pub fn unknown_field() -> BoxedStrategy<Vec<u8>> {
        use flyte_ray_idl::canonical::put_varint;
        fn key(n: u32, wt: u32) -> Vec<u8> {
            let mut k = Vec::new();
            put_varint(u64::from(n) << 3 | u64::from(wt), &mut k);
            k
        }
        let number = prop_oneof![8u32..40, 40u32..(1 << 29)];
        let leaf = (
            number.clone(),
            0u8..4,
            any::<u64>(),
            prop::collection::vec(any::<u8>(), 0..12),
        )
            .prop_map(|(n, wt, v, body)| {
                let wire_type = [0, 1, 2, 5][usize::from(wt)];
                let mut out = key(n, wire_type);
                match wire_type {
                    0 => put_varint(v, &mut out),
                    1 => out.extend_from_slice(&v.to_le_bytes()),
                    2 => {
                        put_varint(body.len() as u64, &mut out);
                        out.extend_from_slice(&body);
                    }
                    _ => out.extend_from_slice(&v.to_le_bytes()[..4]),
                }
                out
            });
        leaf.prop_recursive(3, 12, 4, move |inner| {
            (1u32..(1 << 29), prop::collection::vec(inner, 0..4)).prop_map(|(n, fields)| {
                let mut out = key(n, 3);
                out.extend(fields.concat());
                out.extend(key(n, 4));
                out
            })
        })
        .boxed()
    }

    /// Which doubles pod-spec strategies produce.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Floats {
        /// Every double: NaN, ±infinity, `-0.0`, subnormals, extremes.
        Any,
        /// Finite doubles only (still `-0.0`, subnormals and extremes), as
        /// JSON can carry them.
        Finite,
    }

    /// Strings: mostly short identifiers, but also any Unicode (control
    /// characters, NUL, line separators, BOM, astral characters, quotes and
    /// backslashes included).
    pub fn string() -> BoxedStrategy<String> {
        prop_oneof![
            3 => "[a-z0-9._/-]{0,10}",
            1 => Just(String::new()),
            2 => "(?s).{0,8}",
            2 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\"'\\\\ :#{}\\[\\],&*!|>%@`\\u{2028}\\u{feff}é😀-]{0,8}",
            1 => prop::sample::select(vec![
                "null", "true", "no", "~", "1", "-0", "1e3", "0x1f", ".nan", "NaN", "- a", "a: b",
                "\u{0}", " ", "\n", "'", "\"",
            ])
            .prop_map(str::to_owned),
        ]
        .boxed()
    }

    /// int32 values, biased towards 0, ±1 and the extremes.
    pub fn int32() -> BoxedStrategy<i32> {
        prop_oneof![
            2 => -2..10i32,
            1 => prop::sample::select(vec![i32::MIN, i32::MIN + 1, i32::MAX, i32::MAX - 1]),
            2 => any::<i32>(),
        ]
        .boxed()
    }

    /// An enum field's number: a defined one (`0..defined`) or any int32.
    pub fn enum_number(defined: i32) -> BoxedStrategy<i32> {
        prop_oneof![3 => 0..defined, 1 => Just(defined), 1 => int32()].boxed()
    }

    /// A `map<string, string>`.
    pub fn string_map() -> BoxedStrategy<BTreeMap<String, String>> {
        prop::collection::btree_map(string(), string(), 0..4).boxed()
    }

    /// Doubles for pod specs.
    pub fn double(floats: Floats) -> BoxedStrategy<f64> {
        let finite = prop_oneof![
            2 => (-1000i32..1000).prop_map(f64::from),
            1 => prop::sample::select(vec![
                0.0, -0.0, 0.5, 1e-300, 5e-324, -5e-324, f64::MIN_POSITIVE, f64::MAX, f64::MIN,
                9_007_199_254_740_993.0, 1e21, 0.1,
            ]),
            2 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        ];
        match floats {
            Floats::Finite => finite.boxed(),
            Floats::Any => prop_oneof![
                4 => finite,
                1 => prop::sample::select(vec![
                    f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY,
                    f64::from_bits(0x7ff0_0000_0000_0001), f64::from_bits(0xfff8_0000_dead_beef),
                ]),
            ]
            .boxed(),
        }
    }

    /// A `google.protobuf.Value`, nested a few levels (an unset kind and
    /// `NullValue` numbers other than 0 included).
    pub fn value(floats: Floats) -> BoxedStrategy<prost_types::Value> {
        let leaf = prop_oneof![
            Just(Some(V::NullValue(0))),
            Just(None),
            enum_number(1).prop_map(|n| Some(V::NullValue(n))),
            any::<bool>().prop_map(|b| Some(V::BoolValue(b))),
            double(floats).prop_map(|n| Some(V::NumberValue(n))),
            string().prop_map(|s| Some(V::StringValue(s))),
        ];
        leaf.prop_map(|kind| prost_types::Value { kind })
            .prop_recursive(3, 24, 4, move |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(|values| {
                        prost_types::Value {
                            kind: Some(V::ListValue(prost_types::ListValue { values })),
                        }
                    }),
                    prop::collection::btree_map(string(), inner, 0..4).prop_map(|fields| {
                        prost_types::Value {
                            kind: Some(V::StructValue(prost_types::Struct { fields })),
                        }
                    }),
                ]
            })
            .boxed()
    }

    /// A pod spec `Struct` (possibly empty).
    pub fn pod_spec(floats: Floats) -> BoxedStrategy<prost_types::Struct> {
        prop::collection::btree_map(string(), value(floats), 0..4)
            .prop_map(|fields| prost_types::Struct { fields })
            .boxed()
    }

    /// An optional sub-message: absent, present but empty, or arbitrary.
    pub fn sub<T: Default + Clone + std::fmt::Debug + 'static>(
        s: BoxedStrategy<T>,
    ) -> BoxedStrategy<Option<T>> {
        prop_oneof![2 => Just(None), 1 => Just(Some(T::default())), 3 => s.prop_map(Some)].boxed()
    }

    /// `flyteidl2.core.KeyValuePair`, keys from a small pool so repeats are
    /// common.
    pub fn key_value_pair() -> BoxedStrategy<core::KeyValuePair> {
        let key = prop_oneof![
            3 => prop::sample::select(vec!["A", "B", "", "PATH"]).prop_map(str::to_owned),
            1 => string(),
        ];
        (key, string())
            .prop_map(|(key, value)| core::KeyValuePair { key, value })
            .boxed()
    }

    /// `flyteidl2.core.Resources.ResourceEntry`.
    pub fn resource_entry() -> BoxedStrategy<core::resources::ResourceEntry> {
        (enum_number(6), string())
            .prop_map(|(name, value)| core::resources::ResourceEntry { name, value })
            .boxed()
    }

    /// `flyteidl2.core.Resources`.
    pub fn idl_resources() -> BoxedStrategy<core::Resources> {
        (
            prop::collection::vec(resource_entry(), 0..4),
            prop::collection::vec(resource_entry(), 0..4),
        )
            .prop_map(|(requests, limits)| core::Resources { requests, limits })
            .boxed()
    }

    /// `flyteidl2.core.IOStrategy`.
    pub fn idl_io_strategy() -> BoxedStrategy<core::IoStrategy> {
        (enum_number(3), enum_number(3))
            .prop_map(|(download_mode, upload_mode)| core::IoStrategy {
                download_mode,
                upload_mode,
            })
            .boxed()
    }

    /// `flyteidl2.core.DataLoadingConfig`.
    pub fn idl_data_loading_config() -> BoxedStrategy<core::DataLoadingConfig> {
        (
            any::<bool>(),
            string(),
            string(),
            enum_number(3),
            sub(idl_io_strategy()),
            prop_oneof![3 => Just(0), 1 => enum_number(2)],
        )
            .prop_map(
                |(enabled, input_path, output_path, format, io_strategy, file_input_layout)| {
                    core::DataLoadingConfig {
                        enabled,
                        input_path,
                        output_path,
                        format,
                        io_strategy,
                        file_input_layout,
                    }
                },
            )
            .boxed()
    }

    /// `flyteidl2.core.GPUAccelerator`: every state of the oneof, known and
    /// unknown enum numbers.
    pub fn idl_gpu_accelerator() -> BoxedStrategy<core::GpuAccelerator> {
        let partition = prop_oneof![
            1 => Just(None),
            1 => any::<bool>().prop_map(|b| Some(PartitionSizeValue::Unpartitioned(b))),
            1 => string().prop_map(|s| Some(PartitionSizeValue::PartitionSize(s))),
        ];
        let model = prop_oneof![
            2 => prop::sample::select(vec![0, 1, 9, 13, 20, 100, 102, 205, 308, 400, 500]),
            1 => int32(),
        ];
        (string(), partition, enum_number(6), model)
            .prop_map(
                |(device, partition_size_value, device_class, accelerator_model)| {
                    core::GpuAccelerator {
                        device,
                        partition_size_value,
                        device_class,
                        accelerator_model,
                    }
                },
            )
            .boxed()
    }

    /// `flyteidl2.core.SharedMemory`.
    pub fn idl_shared_memory() -> BoxedStrategy<core::SharedMemory> {
        (string(), string(), string())
            .prop_map(|(mount_path, mount_name, size_limit)| core::SharedMemory {
                mount_path,
                mount_name,
                size_limit,
            })
            .boxed()
    }

    /// `flyteidl2.core.ExtendedResources`.
    pub fn idl_extended_resources() -> BoxedStrategy<core::ExtendedResources> {
        (sub(idl_gpu_accelerator()), sub(idl_shared_memory()))
            .prop_map(|(gpu_accelerator, shared_memory)| core::ExtendedResources {
                gpu_accelerator,
                shared_memory,
            })
            .boxed()
    }

    /// `flyteidl2.core.K8sObjectMetadata`.
    pub fn idl_k8s_object_metadata() -> BoxedStrategy<core::K8sObjectMetadata> {
        (string_map(), string_map())
            .prop_map(|(labels, annotations)| core::K8sObjectMetadata {
                labels,
                annotations,
            })
            .boxed()
    }

    /// `flyteidl2.core.K8sPod`.
    pub fn idl_k8s_pod(floats: Floats) -> BoxedStrategy<core::K8sPod> {
        (
            sub(idl_k8s_object_metadata()),
            sub(pod_spec(floats)),
            sub(idl_data_loading_config()),
            string(),
        )
            .prop_map(
                |(metadata, pod_spec, data_config, primary_container_name)| core::K8sPod {
                    metadata,
                    pod_spec,
                    data_config,
                    primary_container_name,
                },
            )
            .boxed()
    }

    /// `flyteidl2.plugins.AutoscalerOptions`.
    pub fn idl_autoscaler_options() -> BoxedStrategy<plugins::AutoscalerOptions> {
        (
            enum_number(3),
            int32(),
            prop::collection::vec(key_value_pair(), 0..5),
            string(),
            sub(idl_resources()),
        )
            .prop_map(
                |(upscaling_mode, idle_timeout_seconds, env, image, resources)| {
                    plugins::AutoscalerOptions {
                        upscaling_mode,
                        idle_timeout_seconds,
                        env,
                        image,
                        resources,
                    }
                },
            )
            .boxed()
    }

    /// `flyteidl2.plugins.HeadGroupSpec`.
    pub fn idl_head_group_spec(floats: Floats) -> BoxedStrategy<plugins::HeadGroupSpec> {
        (
            string_map(),
            sub(idl_k8s_pod(floats)),
            sub(idl_extended_resources()),
        )
            .prop_map(
                |(ray_start_params, k8s_pod, extended_resources)| plugins::HeadGroupSpec {
                    ray_start_params,
                    k8s_pod,
                    extended_resources,
                },
            )
            .boxed()
    }

    /// `flyteidl2.plugins.WorkerGroupSpec`.
    pub fn idl_worker_group_spec(floats: Floats) -> BoxedStrategy<plugins::WorkerGroupSpec> {
        (
            string(),
            int32(),
            int32(),
            int32(),
            string_map(),
            sub(idl_k8s_pod(floats)),
            sub(idl_extended_resources()),
        )
            .prop_map(
                |(
                    group_name,
                    replicas,
                    min_replicas,
                    max_replicas,
                    ray_start_params,
                    k8s_pod,
                    extended_resources,
                )| {
                    plugins::WorkerGroupSpec {
                        group_name,
                        replicas,
                        min_replicas,
                        max_replicas,
                        ray_start_params,
                        k8s_pod,
                        extended_resources,
                    }
                },
            )
            .boxed()
    }

    /// `flyteidl2.plugins.RayCluster`.
    pub fn idl_ray_cluster(floats: Floats) -> BoxedStrategy<plugins::RayCluster> {
        (
            sub(idl_head_group_spec(floats)),
            prop::collection::vec(idl_worker_group_spec(floats), 0..3),
            any::<bool>(),
            sub(idl_autoscaler_options()),
        )
            .prop_map(
                |(head_group_spec, worker_group_spec, enable_autoscaling, autoscaler_options)| {
                    plugins::RayCluster {
                        head_group_spec,
                        worker_group_spec,
                        enable_autoscaling,
                        autoscaler_options,
                    }
                },
            )
            .boxed()
    }

    /// `flyteidl2.plugins.RayJob`.
    #[allow(deprecated)]
    pub fn idl_ray_job(floats: Floats) -> BoxedStrategy<plugins::RayJob> {
        (
            sub(idl_ray_cluster(floats)),
            string(),
            any::<bool>(),
            int32(),
            string(),
        )
            .prop_map(
                |(
                    ray_cluster,
                    runtime_env,
                    shutdown_after_job_finishes,
                    ttl_seconds_after_finished,
                    runtime_env_yaml,
                )| plugins::RayJob {
                    ray_cluster,
                    runtime_env,
                    shutdown_after_job_finishes,
                    ttl_seconds_after_finished,
                    runtime_env_yaml,
                },
            )
            .boxed()
    }

    macro_rules! model_strategy {
        ($(#[$doc:meta] $name:ident -> $model:ty = $idl:expr;)*) => {$(
            #[$doc]
            pub fn $name(floats: Floats) -> BoxedStrategy<$model> {
                let _ = floats;
                ($idl)(floats).prop_map(<$model as FlyteIdlEntity>::from_flyte_idl).boxed()
            }
        )*};
    }

    model_strategy! {
        /// [`RayJob`].
        ray_job -> RayJob = idl_ray_job;
        /// [`RayCluster`].
        ray_cluster -> RayCluster = idl_ray_cluster;
        /// [`HeadGroupSpec`].
        head_group_spec -> HeadGroupSpec = idl_head_group_spec;
        /// [`WorkerGroupSpec`].
        worker_group_spec -> WorkerGroupSpec = idl_worker_group_spec;
        /// [`K8sPod`].
        k8s_pod -> K8sPod = idl_k8s_pod;
        /// [`AutoscalerOptions`] (no pod spec inside; `floats` is unused).
        autoscaler_options -> AutoscalerOptions = |_| idl_autoscaler_options();
        /// [`K8sObjectMetadata`] (`floats` is unused).
        k8s_object_metadata -> K8sObjectMetadata = |_| idl_k8s_object_metadata();
        /// [`Resources`] (`floats` is unused).
        resources -> Resources = |_| idl_resources();
        /// [`DataLoadingConfig`] (`floats` is unused).
        data_loading_config -> DataLoadingConfig = |_| idl_data_loading_config();
        /// [`IOStrategy`] (`floats` is unused).
        io_strategy -> IOStrategy = |_| idl_io_strategy();
        /// [`ExtendedResources`] (`floats` is unused).
        extended_resources -> ExtendedResources = |_| idl_extended_resources();
        /// [`GPUAccelerator`] (`floats` is unused).
        gpu_accelerator -> GPUAccelerator = |_| idl_gpu_accelerator();
        /// [`SharedMemory`] (`floats` is unused).
        shared_memory -> SharedMemory = |_| idl_shared_memory();
    }
}
