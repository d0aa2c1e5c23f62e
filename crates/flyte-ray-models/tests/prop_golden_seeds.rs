//! The fuzz targets' checks on the golden cases of both generations (900
//! flyteidl, 600 flyteidl2) — the same inputs `cargo xtask fuzz-corpus`
//! seeds the fuzzer with — and every model-level invariant
//! (`testing::check_model`) on each decoded golden case.

#![allow(clippy::unwrap_used)]

#[path = "../../../tests/support/golden.rs"]
mod golden;
#[path = "../../../tests/support/golden_v2.rs"]
mod golden_v2;

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

/// The flyteidl2 cases as seeds: the tag is the kind of the flyteidl name
/// (`v1_proto`), the payload the bytes, the JSON and the YAML.
#[test]
fn v2_golden_cases_pass_the_fuzz_checks() {
    // The adversarial cases nest pod specs to protobuf's limit (100 levels);
    // the checks' recursive readers and writers, unoptimised, need more than
    // a test thread's 2 MiB for them (a fuzz target runs on the main thread,
    // 8 MiB, optimised).
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(v2_golden_cases)
        .unwrap()
        .join()
        .unwrap();
}

fn v2_golden_cases() {
    let cases = golden_v2::cases();
    assert_eq!(cases.len(), golden_v2::EXPECTED_CASES);
    let mut broken = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    for case in cases {
        let kind = Kind::from_name(&case.v1_proto).unwrap();
        kinds.insert(kind.tag());
        let tag = kind.tag();
        let mut inputs = vec![
            ("decode_bytes", [&[tag][..], &case.pb].concat()),
            ("convert", [&[tag][..], &case.pb].concat()),
        ];
        if case.json_error().is_none() {
            let json = serde_json::to_string(&case.json).unwrap();
            let yaml = serde_yaml_ng::to_string(&case.json).unwrap();
            inputs.push(("json_from_str", [&[tag][..], json.as_bytes()].concat()));
            inputs.push(("yaml_from_str", [&[tag][..], yaml.as_bytes()].concat()));
            inputs.push(("convert", [&[tag][..], json.as_bytes()].concat()));
        }
        for (target, data) in inputs {
            let result = match target {
                "decode_bytes" => check_decode_bytes(&data),
                "json_from_str" => check_json_from_str(&data),
                "yaml_from_str" => flyte_ray_models::testing::check_yaml_from_str(&data),
                _ => check_convert(&data),
            };
            if let Err(e) = result {
                broken.push(format!("{} ({target}): {e}", case.id));
            }
        }
    }
    // Every one of the thirteen kinds is seeded.
    assert_eq!(kinds.len(), Kind::ALL.len());
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
        "ExtendedResources",
        "GPUAccelerator",
        "SharedMemory",
    ];
    assert_eq!(Kind::ALL.len(), names.len());
    for (i, kind) in Kind::ALL.into_iter().enumerate() {
        assert_eq!(kind.tag() as usize, i);
        assert_eq!(Kind::from_byte(kind.tag() + 13), kind);
        assert_eq!(Kind::from_name(names[i]), Some(kind));
        assert!(kind.proto_name().ends_with(names[i]));
    }
}

/// The unknown-field cases (`tests/data/unknown_golden.jsonl`, recorded
/// from Python's upb) as `cargo xtask fuzz-corpus` seeds them: tag of the
/// case's message, then its input bytes, for `decode_bytes` and `convert`.
#[test]
fn unknown_field_cases_pass_the_fuzz_checks() {
    #[derive(serde::Deserialize)]
    struct Case {
        id: String,
        #[serde(rename = "type")]
        ty: String,
        in_hex: String,
    }
    let mut broken = Vec::new();
    let mut n = 0;
    for line in include_str!("data/unknown_golden.jsonl").lines() {
        let case: Case = serde_json::from_str(line).unwrap();
        let tag = Kind::from_name(&case.ty)
            .unwrap_or_else(|| panic!("{}: no kind {}", case.id, case.ty))
            .tag();
        let data = [&[tag][..], &hex::decode(&case.in_hex).unwrap()].concat();
        for (target, result) in [
            ("decode_bytes", check_decode_bytes(&data)),
            ("convert", check_convert(&data)),
        ] {
            if let Err(e) = result {
                broken.push(format!("{} ({target}): {e}", case.id));
            }
        }
        n += 1;
    }
    assert!(n > 870, "{n} cases");
    assert!(
        broken.is_empty(),
        "{} failures:\n{}",
        broken.len(),
        broken.join("\n\n")
    );
}
