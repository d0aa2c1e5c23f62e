//! The direct paths — bytes straight into the models with the pod spec kept
//! as its canonical encoding, and pod-spec JSON/YAML straight into that
//! encoding — against the general paths they shortcut (prost then the
//! unknown-field scan; `flyte_ray_k8s::deserialize_struct`).
//!
//! The direct decoder may leave any input to the general path, but where it
//! decodes it must give exactly what the general path gives; and it must
//! take every canonical encoding, or it buys no speed.
#![allow(clippy::unwrap_used)]

#[path = "../../../tests/support/golden.rs"]
mod golden;

use flyte_ray_models::testing::strategies::{self as s, Floats};
use flyte_ray_models::testing::{Kind, check_fast_decode, check_pod_spec_text};
use flyte_ray_models::{FlyteIdlEntity, K8sPod, RayJob};
use proptest::prelude::*;

fn kind(case: &golden::Case) -> Kind {
    Kind::from_name(&case.ty).unwrap_or_else(|| panic!("{}: unknown type {}", case.id, case.ty))
}

/// Every golden case is canonical (Python writes deterministic bytes), so
/// every one must take the direct path, and agree with the general one.
#[test]
fn golden_cases_take_the_direct_path() {
    let cases = golden::cases();
    assert_eq!(cases.len(), golden::EXPECTED_CASES);
    let mut left = Vec::new();
    for case in &cases {
        match check_fast_decode(kind(case), &case.pb) {
            Ok(true) => {}
            Ok(false) => left.push(case.id.clone()),
            Err(e) => panic!("{}: {e}", case.id),
        }
    }
    assert!(left.is_empty(), "left to the general path: {left:?}");
}

/// Damaged golden bytes: every truncation and, at every position, a flipped
/// bit. Whatever the direct path accepts, the general path accepts with the
/// same result. (Many of these are still valid messages: a flipped bit in a
/// string or a number changes the value, not the shape.)
#[test]
fn damaged_golden_bytes_agree_with_the_general_path() {
    let mut direct = 0usize;
    let mut total = 0usize;
    for case in golden::cases().iter().filter(|c| c.pb.len() <= 600) {
        let k = kind(case);
        for cut in 0..case.pb.len() {
            total += 1;
            direct += usize::from(check_fast_decode(k, &case.pb[..cut]).unwrap());
        }
        for pos in 0..case.pb.len() {
            for bit in [0x01u8, 0x80] {
                let mut bytes = case.pb.clone();
                bytes[pos] ^= bit;
                total += 1;
                direct += usize::from(
                    check_fast_decode(k, &bytes)
                        .unwrap_or_else(|e| panic!("{} byte {pos} ^ {bit:#x}: {e}", case.id)),
                );
            }
        }
    }
    // Both outcomes must have been exercised for the check to mean much.
    assert!(
        direct > 1000 && direct < total,
        "{direct} of {total} on the direct path"
    );
}

/// `K8sPod` bytes: field 2 (pod_spec) holding `spec`, a Struct body.
fn k8s_pod_with_spec(spec: &[u8]) -> Vec<u8> {
    let len = u8::try_from(spec.len()).unwrap();
    [&[0x12, len][..], spec].concat()
}

/// A Struct entry `key: value` (value: a Value body).
fn entry(key: &str, value: &[u8]) -> Vec<u8> {
    let body = [
        &[0x0a, u8::try_from(key.len()).unwrap()][..],
        key.as_bytes(),
        &[0x12, u8::try_from(value.len()).unwrap()][..],
        value,
    ]
    .concat();
    [&[0x0a, u8::try_from(body.len()).unwrap()][..], &body].concat()
}

const TRUE: &[u8] = &[0x20, 0x01];
const NULL: &[u8] = &[0x08, 0x00];

/// Encodings that decode to a Struct but are not the canonical encoding of
/// it are decoded as prost decodes a Struct (the direct decoder does that
/// itself, so unknown fields elsewhere in the message are still kept), and
/// re-encoded canonically, as the general path would: entries
/// sorted, the last of a duplicate key kept, varints minimal, bools 0/1,
/// key and value always written.
#[test]
fn non_canonical_pod_specs_come_out_canonical() {
    let a_true = entry("a", TRUE);
    let b_null = entry("b", NULL);
    let canonical = k8s_pod_with_spec(&[a_true.clone(), b_null.clone()].concat());
    assert_eq!(check_fast_decode(Kind::K8sPod, &canonical), Ok(true));

    let cases: Vec<(&str, Vec<u8>)> = vec![
        // b before a: reordered.
        (
            "unsorted",
            k8s_pod_with_spec(&[b_null.clone(), a_true.clone()].concat()),
        ),
        // a twice: the last (true) wins.
        (
            "duplicate key",
            k8s_pod_with_spec(&[entry("a", NULL), a_true.clone(), b_null.clone()].concat()),
        ),
        // bool written as 2: reads as true, written back as 1.
        (
            "bool 2",
            k8s_pod_with_spec(&[entry("a", &[0x20, 0x02]), b_null.clone()].concat()),
        ),
        // null_value 0 as an over-long varint (80 00).
        (
            "over-long varint",
            k8s_pod_with_spec(&[a_true.clone(), entry("b", &[0x08, 0x80, 0x00])].concat()),
        ),
        // The pod spec field twice: the two Structs merge.
        (
            "pod spec twice",
            [k8s_pod_with_spec(&a_true), k8s_pod_with_spec(&b_null)].concat(),
        ),
    ];
    for (what, bytes) in cases {
        assert_eq!(
            check_fast_decode(Kind::K8sPod, &bytes),
            Ok(true),
            "{what}: the direct path decodes it as the general path does"
        );
        let pod = K8sPod::from_bytes(&bytes).unwrap();
        assert_eq!(pod.serialize_to_string(), canonical, "{what}");
    }

    // A map entry with no value: the value reads as a Value with no kind,
    // which is written back as an empty message (`12 00`).
    let no_value = k8s_pod_with_spec(&[0x0a, 0x03, 0x0a, 0x01, b'a']);
    assert_eq!(check_fast_decode(Kind::K8sPod, &no_value), Ok(true));
    let pod = K8sPod::from_bytes(&no_value).unwrap();
    assert_eq!(
        pod.serialize_to_string(),
        k8s_pod_with_spec(&entry("a", &[]))
    );
    assert_eq!(
        check_fast_decode(Kind::K8sPod, &pod.serialize_to_string()),
        Ok(true)
    );
}

/// Equality compares encodings: a pod spec read from bytes equals the same
/// pod spec built as a Struct; `-0.0` and `0.0` differ (bit for bit); a NaN
/// equals itself.
#[test]
fn pod_spec_equality_is_encoding_equality() {
    let built = K8sPod::new()
        .with_pod_spec_json(&serde_json::json!({"a": true, "b": null}))
        .unwrap();
    let read = K8sPod::from_bytes(&built.serialize_to_string()).unwrap();
    assert_eq!(read, built);
    assert_eq!(read.pod_spec(), built.pod_spec());

    let number = |x: f64| K8sPod::new().with_pod_spec_json(&serde_json::json!({ "x": x }));
    assert_ne!(number(0.0).unwrap(), number(-0.0).unwrap());
    let nan = K8sPod::new().with_pod_spec(prost_types::Struct {
        fields: [(
            "x".to_owned(),
            prost_types::Value {
                kind: Some(prost_types::value::Kind::NumberValue(f64::NAN)),
            },
        )]
        .into(),
    });
    let nan_read = K8sPod::from_bytes(&nan.serialize_to_string()).unwrap();
    assert_eq!(nan_read, nan);
}

/// A pod spec read from bytes can be changed through `pod_spec_mut`, and
/// the change is encoded.
#[test]
fn mutating_a_decoded_pod_spec_is_encoded() {
    let built = K8sPod::new()
        .with_pod_spec_json(&serde_json::json!({"a": true}))
        .unwrap();
    let mut read = K8sPod::from_bytes(&built.serialize_to_string()).unwrap();
    read.pod_spec_mut().unwrap().fields.clear();
    let empty = K8sPod::new().with_pod_spec(prost_types::Struct::default());
    assert_eq!(read.serialize_to_string(), empty.serialize_to_string());
    assert_eq!(read, empty);
}

/// JSON text with objects written in any key order and with repeated keys
/// (what `serde_json::Value` cannot produce): `(text, depth)`.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(|x| format!("{x:e}")),
        "[a-c\u{e9}\u{1F600}\"\\\\ ]{0,4}".prop_map(|s| serde_json::to_string(&s).unwrap()),
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[a-d]{0,2}", inner), 0..6).prop_map(|entries| {
                let body: Vec<String> = entries
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(&k).unwrap()))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(s::config())]

    /// Any JSON object, read straight into an encoding, gives the bytes,
    /// depth and JSON output of the Struct path; anything else (or a non-object), the
    /// same error.
    #[test]
    fn pod_spec_json_direct_equals_struct_path(text in json_text()) {
        check_pod_spec_text(false, &text).map_err(TestCaseError::fail)?;
        // JSON is YAML (flow style), so the YAML reader gets it too.
        check_pod_spec_text(true, &text).map_err(TestCaseError::fail)?;
    }

    /// Every model's canonical encoding takes the direct path, and agrees
    /// with the general one.
    #[test]
    fn canonical_encodings_take_the_direct_path(idl in s::idl_ray_job(Floats::Any)) {
        let job = RayJob::from_flyte_idl(idl);
        let bytes = job.serialize_to_string();
        prop_assert_eq!(check_fast_decode(Kind::RayJob, &bytes), Ok(true));
    }

    /// Random pod specs, alone in a K8sPod: the same.
    #[test]
    fn canonical_pod_specs_take_the_direct_path(spec in s::pod_spec(Floats::Any)) {
        let bytes = K8sPod::new().with_pod_spec(spec).serialize_to_string();
        prop_assert_eq!(check_fast_decode(Kind::K8sPod, &bytes), Ok(true));
    }

    /// Canonical pod spec bytes with one byte changed: the direct path takes
    /// them only when the general path gives the same thing.
    #[test]
    fn damaged_pod_specs_agree(spec in s::pod_spec(Floats::Any), pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = K8sPod::new().with_pod_spec(spec).serialize_to_string();
        let at = pos.index(bytes.len().max(1)).min(bytes.len().saturating_sub(1));
        if let Some(b) = bytes.get_mut(at) {
            *b = byte;
        }
        check_fast_decode(Kind::K8sPod, &bytes).map_err(TestCaseError::fail)?;
    }
}
