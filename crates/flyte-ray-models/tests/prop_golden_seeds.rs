//! The fuzz targets' checks on the golden cases — the same inputs
//! `cargo xtask fuzz-corpus` seeds the fuzzer with — and every model-level
//! invariant (`testing::check_model`) on each decoded golden case.

#![allow(clippy::unwrap_used)]

#[path = "../../../tests/support/golden.rs"]
mod golden;

use flyte_ray_models::testing::{Kind, check_convert, check_decode_bytes, check_json_from_str};

#[test]
fn golden_cases_pass_the_fuzz_checks() {
    let mut broken = Vec::new();
    for case in golden::cases() {
        let tag = Kind::from_name(&case.proto).unwrap().tag();
        let json = serde_json::to_string(&case.json).unwrap();
        let inputs = [
            ("decode_bytes", [&[tag][..], &case.pb].concat()),
            ("json_from_str", [&[tag][..], json.as_bytes()].concat()),
            ("convert", [&[tag][..], &case.pb].concat()),
        ];
        for (target, data) in inputs {
            let result = match target {
                "decode_bytes" => check_decode_bytes(&data),
                "json_from_str" => check_json_from_str(&data),
                _ => check_convert(&data),
            };
            if let Err(e) = result {
                broken.push(format!("{} ({target}): {e}", case.id));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} failures:\n{}",
        broken.len(),
        broken.join("\n\n")
    );
}

#[test]
fn kinds_follow_the_idl_list() {
    let names = [
        "RayJob",
        "RayCluster",
        "HeadGroupSpec",
        "WorkerGroupSpec",
        "AutoscalerOptions",
        "K8sPod",
        "K8sObjectMetadata",
        "Resources",
        "DataLoadingConfig",
        "IOStrategy",
    ];
    for (i, kind) in Kind::ALL.into_iter().enumerate() {
        assert_eq!(kind.tag() as usize, i);
        assert_eq!(Kind::from_byte(kind.tag() + 10), kind);
        assert_eq!(Kind::from_name(names[i]), Some(kind));
        assert!(kind.proto_name().ends_with(names[i]));
    }
}
