//! Wire conformance for Flyte 2: every flyteidl2 golden case decodes into the
//! `flyteidl2` message its `proto` names and re-encodes to the identical
//! bytes; and, since flyteidl2 only adds fields, every case whose bytes use
//! no flyteidl2-only field also round-trips through the `flyteidl` message.

#[path = "../../../tests/support/golden_v2.rs"]
mod golden_v2;

use flyte_ray_idl::canonical::CanonicalEncode;
use flyte_ray_idl::{flyteidl, flyteidl2};
use prost::Message;

fn reencode<M: Message + Default + CanonicalEncode>(
    bytes: &[u8],
) -> Result<Vec<u8>, prost::DecodeError> {
    let msg = M::decode(bytes)?;
    let out = msg.encode_canonical();
    assert_eq!(out.len(), msg.canonical_len(), "canonical_len disagrees");
    Ok(out)
}

fn roundtrip_v2(proto: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    use flyteidl2::{core, plugins};
    let r = match proto {
        "flyteidl2.plugins.RayJob" => reencode::<plugins::RayJob>(bytes),
        "flyteidl2.plugins.RayCluster" => reencode::<plugins::RayCluster>(bytes),
        "flyteidl2.plugins.HeadGroupSpec" => reencode::<plugins::HeadGroupSpec>(bytes),
        "flyteidl2.plugins.WorkerGroupSpec" => reencode::<plugins::WorkerGroupSpec>(bytes),
        "flyteidl2.plugins.AutoscalerOptions" => reencode::<plugins::AutoscalerOptions>(bytes),
        "flyteidl2.core.K8sPod" => reencode::<core::K8sPod>(bytes),
        "flyteidl2.core.K8sObjectMetadata" => reencode::<core::K8sObjectMetadata>(bytes),
        "flyteidl2.core.Resources" => reencode::<core::Resources>(bytes),
        "flyteidl2.core.DataLoadingConfig" => reencode::<core::DataLoadingConfig>(bytes),
        "flyteidl2.core.IOStrategy" => reencode::<core::IoStrategy>(bytes),
        "flyteidl2.core.ExtendedResources" => reencode::<core::ExtendedResources>(bytes),
        "flyteidl2.core.GPUAccelerator" => reencode::<core::GpuAccelerator>(bytes),
        "flyteidl2.core.SharedMemory" => reencode::<core::SharedMemory>(bytes),
        other => return Err(format!("unknown message {other}")),
    };
    r.map_err(|e| e.to_string())
}

fn roundtrip_v1(proto: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    use flyteidl::{core, plugins};
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
        "flyteidl.core.ExtendedResources" => reencode::<core::ExtendedResources>(bytes),
        "flyteidl.core.GPUAccelerator" => reencode::<core::GpuAccelerator>(bytes),
        "flyteidl.core.SharedMemory" => reencode::<core::SharedMemory>(bytes),
        other => return Err(format!("unknown message {other}")),
    };
    r.map_err(|e| e.to_string())
}

#[test]
fn vendored_v2_golden_files_hold_all_cases() {
    let cases = golden_v2::cases();
    assert_eq!(cases.len(), golden_v2::EXPECTED_CASES);
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), golden_v2::EXPECTED_CASES, "duplicate case ids");
    for (v1, v2) in flyte_ray_idl::MODEL_MESSAGES_V1
        .iter()
        .zip(flyte_ray_idl::MODEL_MESSAGES_V2)
    {
        assert!(
            cases.iter().any(|c| c.proto == v2 && c.v1_proto == *v1),
            "no golden case for {v2} (v1 {v1})"
        );
    }
}

#[test]
fn every_v2_golden_case_reencodes_byte_identically() {
    let cases = golden_v2::cases();
    let mut failures = Vec::new();
    for case in &cases {
        match roundtrip_v2(&case.proto, &case.pb) {
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
    assert_eq!(cases.len(), golden_v2::EXPECTED_CASES);
}

/// The v1 prost structs drop the flyteidl2-only fields; where a case has
/// none, the v1 message re-encodes the same bytes (the wire numbers agree).
/// Where it has some, the v1 encoding is shorter: exactly the dropped fields.
#[test]
fn v1_messages_read_v2_bytes_where_fields_agree() {
    let cases = golden_v2::cases();
    let mut same = 0;
    let mut shorter = 0;
    for case in &cases {
        // Python's v1 class kept the unknown fields: its bytes are the v2 bytes.
        assert_eq!(case.v1_pb, case.pb, "{}: v1_pb_hex differs", case.id);
        let out = roundtrip_v1(&case.v1_proto, &case.pb)
            .unwrap_or_else(|e| panic!("{}: v1 decode: {e}", case.id));
        if out == case.pb {
            same += 1;
        } else {
            assert!(out.len() < case.pb.len(), "{}: v1 bytes grew", case.id);
            shorter += 1;
        }
    }
    assert_eq!(same + shorter, golden_v2::EXPECTED_CASES);
    // Both kinds occur: the set has cases with and without the new fields.
    assert!(same > 0 && shorter > 0, "same {same}, shorter {shorter}");
}
