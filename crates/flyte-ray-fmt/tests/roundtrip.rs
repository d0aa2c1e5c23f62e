//! Property: the text format reads back. For generated messages, printing
//! with `text_format_bytes` and parsing with `parse_text_format` gives the
//! identical message (same canonical bytes); both printing paths agree.

use flyte_ray_fmt::{
    parse_text_format, pool, short_string, short_string_bytes, text_format, text_format_bytes,
};
use flyte_ray_idl::canonical::CanonicalEncode;
use flyte_ray_idl::flyteidl::core::{K8sObjectMetadata, K8sPod};
use flyte_ray_idl::flyteidl::plugins::{HeadGroupSpec, RayCluster, RayJob, WorkerGroupSpec};
use proptest::prelude::*;
use prost_reflect::DynamicMessage;
use prost_types::value::Kind;

/// Strings with the characters the printers treat specially.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[a-z0-9 -]{1,8}",
            1 => prop::sample::select(vec![
                "\n", "\t", "\r", "\u{1}", "\u{7f}", "\\", "\"", "'", "é", "\u{a0}", "\u{2028}",
                "e\u{301}", "\u{1f469}\u{200d}\u{1f4bb}", "中文", "--", "ray-worker",
            ])
            .prop_map(str::to_owned),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        prop::sample::select(vec![
            f64::NAN,
            f64::INFINITY,
            -0.0,
            1e16,
            1.0 / 3.0,
            0.1,
            5e-324
        ]),
    ]
}

fn value() -> impl Strategy<Value = prost_types::Value> {
    let leaf = prop_oneof![
        number().prop_map(Kind::NumberValue),
        text().prop_map(Kind::StringValue),
        any::<bool>().prop_map(Kind::BoolValue),
        Just(Kind::NullValue(0)),
    ];
    leaf.prop_map(|k| prost_types::Value { kind: Some(k) })
        .prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3)
                    .prop_map(|values| Kind::ListValue(prost_types::ListValue { values })),
                prop::collection::btree_map("[a-z]{1,5}", inner, 0..3)
                    .prop_map(|fields| Kind::StructValue(prost_types::Struct { fields })),
            ]
            .prop_map(|k| prost_types::Value { kind: Some(k) })
        })
}

fn pod() -> impl Strategy<Value = K8sPod> {
    (
        prop::option::of(prop::collection::btree_map(text(), text(), 0..3)),
        prop::option::of(prop::collection::btree_map("[a-z]{1,6}", value(), 0..3)),
        text(),
    )
        .prop_map(|(labels, spec, primary)| K8sPod {
            metadata: labels.map(|labels| K8sObjectMetadata {
                labels,
                ..Default::default()
            }),
            pod_spec: spec.map(|fields| prost_types::Struct { fields }),
            primary_container_name: primary,
            ..Default::default()
        })
}

fn worker() -> impl Strategy<Value = WorkerGroupSpec> {
    (
        text(),
        any::<i32>(),
        any::<i32>(),
        prop::collection::btree_map(text(), text(), 0..3),
        prop::option::of(pod()),
    )
        .prop_map(
            |(group_name, replicas, max_replicas, ray_start_params, k8s_pod)| WorkerGroupSpec {
                group_name,
                replicas,
                max_replicas,
                ray_start_params,
                k8s_pod,
                ..Default::default()
            },
        )
}

fn ray_job() -> impl Strategy<Value = RayJob> {
    (
        prop::collection::vec(worker(), 0..3),
        prop::option::of(prop::collection::btree_map(text(), text(), 0..3)),
        any::<bool>(),
        text(),
        any::<i32>(),
    )
        .prop_map(|(workers, head, autoscaling, yaml, ttl)| RayJob {
            ray_cluster: Some(RayCluster {
                head_group_spec: head.map(|ray_start_params| HeadGroupSpec {
                    ray_start_params,
                    ..Default::default()
                }),
                worker_group_spec: workers,
                enable_autoscaling: autoscaling,
                ..Default::default()
            }),
            runtime_env_yaml: yaml,
            ttl_seconds_after_finished: ttl,
            shutdown_after_job_finishes: autoscaling,
            ..Default::default()
        })
}

/// Canonical bytes of a parsed message, with NaN compared by bits.
fn reencode(msg: &DynamicMessage) -> Vec<u8> {
    let job: RayJob = msg.transcode_to().expect("parsed message transcodes");
    job.encode_canonical()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn text_format_reads_back(job in ray_job()) {
        let name = "flyteidl.plugins.RayJob";
        let bytes = job.encode_canonical();
        let text = text_format_bytes(name, &bytes).expect("prints");
        let parsed = parse_text_format(name, &text).expect("reads back");
        prop_assert_eq!(reencode(&parsed), bytes.clone());

        // The wire path and the reflection path agree.
        let desc = pool().get_message_by_name(name).expect("known");
        let msg = DynamicMessage::decode(desc, bytes.as_slice()).expect("decodes");
        prop_assert_eq!(text_format(&msg), text);
        prop_assert_eq!(
            short_string("RayJob", &msg),
            short_string_bytes("RayJob", name, &bytes).expect("prints")
        );
    }
}

/// Non-canonical input (fields out of order, a singular field twice, map
/// keys unsorted, an unknown field) takes the reflection path and prints as
/// the decoded message would.
#[test]
fn non_canonical_input_prints_like_the_decoded_message() {
    let name = "flyteidl.plugins.WorkerGroupSpec";
    let cases: [&[u8]; 4] = [
        // replicas: 3, group_name: "g" (out of order)
        b"\x10\x03\x0a\x01g",
        // replicas twice: the last wins
        b"\x10\x03\x10\x05",
        // ray_start_params {b: 1} then {a: 2}: unsorted
        b"\x2a\x06\x0a\x01b\x12\x011\x2a\x06\x0a\x01a\x12\x012",
        // unknown field 99 (varint) between known fields
        b"\x0a\x01g\x98\x06\x01\x10\x02",
    ];
    let desc = pool().get_message_by_name(name).expect("known");
    for bytes in cases {
        let msg = DynamicMessage::decode(desc.clone(), bytes).expect("decodes");
        assert_eq!(
            text_format_bytes(name, bytes).expect("prints"),
            text_format(&msg)
        );
        assert_eq!(
            short_string_bytes("WorkerGroupSpec", name, bytes).expect("prints"),
            short_string("WorkerGroupSpec", &msg)
        );
    }
}

/// A 10-byte varint whose last byte overflows 64 bits is invalid for prost
/// (and upb); the wire fast path must not print it where decoding fails.
#[test]
fn overflowing_varint_is_a_decode_error_on_both_paths() {
    let name = "flyteidl.plugins.WorkerGroupSpec";
    // replicas (field 2, varint) = ff ff ff ff ff ff ff ff ff 7f
    let bytes = b"\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f";
    let desc = pool().get_message_by_name(name).expect("known");
    assert!(DynamicMessage::decode(desc, &bytes[..]).is_err());
    assert!(text_format_bytes(name, bytes).is_err());
    assert!(short_string_bytes("WorkerGroupSpec", name, bytes).is_err());
    // The largest valid 10-byte varint (last byte 0x01) still prints.
    let ok = b"\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
    assert_eq!(
        text_format_bytes(name, ok).expect("prints"),
        "replicas: -1\n"
    );
}
