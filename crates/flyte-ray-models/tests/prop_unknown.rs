//! Property: random unknown fields (every wire type, groups nested),
//! appended to any model message at any depth of a random model's canonical
//! encoding, survive decode then encode byte for byte, are listed one by one
//! and leave the known fields as they were (upb's behaviour; the
//! differential cases in `unknown_golden.rs` pin the single cases against
//! Python).
//!
//! 64 cases per property by default; set `PROPTEST_CASES` for more.

#![allow(clippy::unwrap_used)]

use flyte_ray_models::testing::check_unknown_fields_kept;
use flyte_ray_models::testing::strategies::{self as s, Floats};
use proptest::prelude::*;

fn picks() -> impl Strategy<Value = Vec<(usize, Vec<u8>)>> {
    prop::collection::vec((any::<usize>(), s::unknown_field()), 0..6)
}

macro_rules! properties {
    ($($name:ident => $strategy:path;)*) => {
        proptest! {
            #![proptest_config(s::config())]
            $(
                #[test]
                fn $name(m in $strategy(Floats::Any), p in picks()) {
                    check_unknown_fields_kept(&m, &p).map_err(TestCaseError::fail)?;
                }
            )*
        }
    };
}

properties! {
    ray_job => s::ray_job;
    ray_cluster => s::ray_cluster;
    head_group_spec => s::head_group_spec;
    worker_group_spec => s::worker_group_spec;
    autoscaler_options => s::autoscaler_options;
    k8s_pod => s::k8s_pod;
    k8s_object_metadata => s::k8s_object_metadata;
    resources => s::resources;
    data_loading_config => s::data_loading_config;
    io_strategy => s::io_strategy;
    extended_resources => s::extended_resources;
    gpu_accelerator => s::gpu_accelerator;
    shared_memory => s::shared_memory;
}

/// The walk that appends them reaches inside pod specs and `env` entries:
/// one field appended to each message of a K8sPod whose pod spec is
/// `{"a": [{"b": 1}]}` (K8sPod, Struct, Value, ListValue, Value, Struct,
/// Value: 7) and of an AutoscalerOptions with one env entry (2).
#[test]
fn appending_reaches_pod_specs_and_env_entries() {
    use flyte_ray_models::{AutoscalerOptions, FlyteIdlEntity, K8sPod};
    let raw = vec![0x98, 0x06, 0x01]; // field 99, varint 1
    let pod = K8sPod::new()
        .with_pod_spec_json(&serde_json::json!({"a": [{"b": 1}]}))
        .unwrap();
    let picks: Vec<_> = (0..7).map(|i| (i, raw.clone())).collect();
    check_unknown_fields_kept(&pod, &picks).unwrap();
    let bytes = flyte_ray_models::testing::with_unknown_fields(&pod, &picks).unwrap();
    let paths: Vec<_> = K8sPod::from_bytes(&bytes)
        .unwrap()
        .unknown_fields()
        .into_iter()
        .map(|u| format!("{} {}", u.path, u.message))
        .collect();
    assert_eq!(
        paths,
        [
            " flyteidl.core.K8sPod",
            "podSpec google.protobuf.Struct",
            "podSpec.a google.protobuf.Value",
            "podSpec.a google.protobuf.ListValue",
            "podSpec.a[0] google.protobuf.Value",
            "podSpec.a[0] google.protobuf.Struct",
            "podSpec.a[0].b google.protobuf.Value",
        ]
    );
    let a = AutoscalerOptions::new().with_env([("K", "V")]);
    let bytes =
        flyte_ray_models::testing::with_unknown_fields(&a, &[(0, raw.clone()), (1, raw)]).unwrap();
    let listed: Vec<_> = AutoscalerOptions::from_bytes(&bytes)
        .unwrap()
        .unknown_fields()
        .into_iter()
        .map(|u| u.to_string())
        .collect();
    assert_eq!(
        listed,
        [
            "unknown field 99 (varint) of flyteidl.plugins.AutoscalerOptions",
            "env[0]: unknown field 99 (varint) of flyteidl.core.KeyValuePair",
        ]
    );
}
