//! Wire conformance: every golden case decodes into the IDL message its
//! `proto` names and re-encodes to the identical bytes.

#[path = "../../../tests/support/golden.rs"]
mod golden;

use flyte_ray_idl::canonical::CanonicalEncode;
use flyte_ray_idl::flyteidl::{core, plugins};
use prost::Message;

fn reencode<M: Message + Default + CanonicalEncode>(
    bytes: &[u8],
) -> Result<Vec<u8>, prost::DecodeError> {
    let msg = M::decode(bytes)?;
    let out = msg.encode_canonical();
    assert_eq!(
        out.len(),
        msg.canonical_len(),
        "canonical_len disagrees with the encoding"
    );
    Ok(out)
}

fn roundtrip(proto: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let r = match proto {
        "flyteidl.plugins.RayJob" => reencode::<plugins::RayJob>(bytes),
        "flyteidl.plugins.RayCluster" => reencode::<plugins::RayCluster>(bytes),
        "flyteidl.plugins.HeadGroupSpec" => reencode::<plugins::HeadGroupSpec>(bytes),
        "flyteidl.plugins.WorkerGroupSpec" => reencode::<plugins::WorkerGroupSpec>(bytes),
        "flyteidl.plugins.AutoscalerOptions" => reencode::<plugins::AutoscalerOptions>(bytes),
        "flyteidl.core.K8sPod" => reencode::<core::K8sPod>(bytes),
        "flyteidl.core.K8sObjectMetadata" => reencode::<core::K8sObjectMetadata>(bytes),
        "flyteidl.core.Resources" => reencode::<core::Resources>(bytes),
        "flyteidl.core.DataLoadingConfig" => reencode::<core::DataLoadingConfig>(bytes),
        "flyteidl.core.IOStrategy" => reencode::<core::IoStrategy>(bytes),
        other => return Err(format!("unknown message {other}")),
    };
    r.map_err(|e| e.to_string())
}

#[test]
fn vendored_golden_files_hold_all_cases() {
    let cases = golden::cases();
    assert_eq!(
        cases.len(),
        golden::EXPECTED_CASES,
        "a golden file is truncated or missing"
    );
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), golden::EXPECTED_CASES, "duplicate case ids");
    // Every one of the ten message types is exercised.
    for name in flyte_ray_idl::MODEL_MESSAGES {
        assert!(
            cases.iter().any(|c| c.proto == name),
            "no golden case for {name}"
        );
    }
}

#[test]
fn every_golden_case_reencodes_byte_identically() {
    let cases = golden::cases();
    let mut failures = Vec::new();
    for case in &cases {
        match roundtrip(&case.proto, &case.pb) {
            Ok(out) if out == case.pb => {}
            Ok(out) => failures.push(format!(
                "{}: re-encoded {} differs from {}",
                case.id,
                hex::encode(&out),
                hex::encode(&case.pb)
            )),
            Err(e) => failures.push(format!("{}: {e}", case.id)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert_eq!(cases.len(), golden::EXPECTED_CASES);
}
