//! Bad bytes are error values naming the message and, where known, the
//! field — never panics, never large allocations.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use flyte_ray_models::*;

fn err<M: FlyteIdlEntity>(bytes: &[u8]) -> String {
    let start = Instant::now();
    let e = M::from_bytes(bytes).expect_err("bad bytes must not decode");
    assert!(
        M::from_bytes_strict(bytes).is_err(),
        "strict accepts what the default refuses"
    );
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "decoding an error took {:?}",
        start.elapsed()
    );
    e.to_string()
}

fn typical() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/bench/ray_job_typical.pb"
    ))
    .unwrap()
}

#[test]
fn invalid_utf8_names_the_field() {
    // field 5 (runtime_env_yaml), length 1, byte 0xff
    let e = err::<RayJob>(&[0x2a, 0x01, 0xff]);
    assert!(e.contains("flyteidl.plugins.RayJob"), "{e}");
    assert!(e.contains("RayJob.runtime_env_yaml"), "{e}");
    assert!(e.contains("UTF-8"), "{e}");
}

#[test]
fn invalid_utf8_deep_inside_names_the_path() {
    // RayJob.ray_cluster(1) { worker_group_spec(2) { group_name(1) = "\xff" } }
    let bytes = [0x0a, 0x05, 0x12, 0x03, 0x0a, 0x01, 0xff];
    let e = err::<RayJob>(&bytes);
    assert!(e.contains("RayJob.ray_cluster"), "{e}");
    assert!(e.contains("RayCluster.worker_group_spec"), "{e}");
    assert!(e.contains("WorkerGroupSpec.group_name"), "{e}");
}

#[test]
fn wrong_wire_type_is_an_error_when_strict() {
    // field 4 (ttl_seconds_after_finished, int32) sent length-delimited
    let bytes = [0x22, 0x01, 0x00];
    let e = RayJob::from_bytes_strict(&bytes).unwrap_err().to_string();
    assert!(e.contains("RayJob.ttl_seconds_after_finished"), "{e}");
    assert!(e.contains("wire type"), "{e}");
    // By default upb's way: kept as an unknown field, written back as read.
    let job = RayJob::from_bytes(&bytes).unwrap();
    assert_eq!(job.ttl_seconds_after_finished(), 0);
    assert_eq!(job.unknown_fields()[0].number, 4);
    assert_eq!(job.unknown_fields()[0].wire_type, WireType::Len);
    assert_eq!(job.serialize_to_string(), bytes);
}

#[test]
fn every_truncation_of_a_real_job_fails_cleanly() {
    let pb = typical();
    assert!(RayJob::from_bytes(&pb).is_ok());
    let mut failed = 0;
    for cut in 1..pb.len() {
        // A cut can land on a field boundary and still decode; it must
        // never panic, and most cuts must fail.
        if RayJob::from_bytes(&pb[..cut]).is_err() {
            failed += 1;
        }
    }
    assert!(
        failed > pb.len() / 2,
        "only {failed} of {} truncations failed",
        pb.len()
    );
    // Cutting inside the first (outermost) field always fails: its length
    // prefix promises more than is left.
    let e = err::<RayJob>(&pb[..pb.len() - 1]);
    assert!(e.contains("flyteidl.plugins.RayJob"), "{e}");
}

#[test]
fn huge_length_prefix_fails_fast_without_allocating() {
    // field 1 (ray_cluster) claiming 2^35 - 1 bytes, with 3 bytes present.
    let mut bytes = vec![0x0a, 0xff, 0xff, 0xff, 0xff, 0x7f];
    bytes.extend_from_slice(&[0, 0, 0]);
    let e = err::<RayJob>(&bytes);
    assert!(e.contains("RayJob"), "{e}");
    // A string claiming 4 GiB.
    let e = err::<WorkerGroupSpec>(&[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, b'a']);
    assert!(e.contains("WorkerGroupSpec"), "{e}");
}

#[test]
fn garbage_is_an_error() {
    for bytes in [&[0xff_u8, 0xff, 0xff][..], &[0x00], &[0x0f, 0x01], &[0x80]] {
        let e = err::<RayJob>(bytes);
        assert!(e.contains("flyteidl.plugins.RayJob"), "{e}");
    }
}

#[test]
fn nesting_past_the_recursion_limit_is_an_error() {
    // A pod spec Struct nested 200 deep: {"a": {"a": {...}}}. prost's
    // recursion limit is 100 levels.
    use prost_types::{Struct, Value, value::Kind};
    let mut s = Struct::default();
    for _ in 0..200 {
        let mut outer = Struct::default();
        outer.fields.insert(
            "a".into(),
            Value {
                kind: Some(Kind::StructValue(s)),
            },
        );
        s = outer;
    }
    let pod = K8sPod::new().with_pod_spec(s);
    let bytes = pod.serialize_to_string();
    let e = err::<K8sPod>(&bytes);
    assert!(e.contains("recursion limit"), "{e}");
    assert!(e.contains("K8sPod"), "{e}");
}

#[test]
fn unknown_fields_are_kept_or_refused_when_strict() {
    // HeadGroupSpec field 3 is flyteidl2's extended_resources, which both
    // generations read: RayJob { ray_cluster { head_group_spec { 3: {} } } }
    let job = RayJob::from_bytes(&[0x0a, 0x04, 0x0a, 0x02, 0x1a, 0x00]).unwrap();
    let head = job.ray_cluster().unwrap().head_group_spec().unwrap();
    assert_eq!(head.extended_resources(), Some(&ExtendedResources::new()));
    // Field 9 is in neither schema.
    // RayJob { ray_cluster { head_group_spec { 9: "" } } }
    let bytes = [0x0a, 0x04, 0x0a, 0x02, 0x4a, 0x00];
    let e = RayJob::from_bytes_strict(&bytes).unwrap_err().to_string();
    assert!(e.contains("unknown field number 9"), "{e}");
    assert!(
        e.contains("in HeadGroupSpec at RayJob.ray_cluster: RayCluster.head_group_spec"),
        "{e}"
    );
    // By default it is kept, and listed.
    let job = RayJob::from_bytes(&bytes).unwrap();
    assert_eq!(job.serialize_to_string(), bytes);
    let u = job.unknown_fields();
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].path, "rayCluster.headGroupSpec");
    assert_eq!(u[0].message, "flyteidl.plugins.HeadGroupSpec");
    assert_eq!((u[0].number, u[0].wire_type), (9, WireType::Len));
    // The explicit opt-out drops it and keeps the rest.
    let job = RayJob::from_bytes_ignoring_unknown_fields(&bytes).unwrap();
    assert!(job.ray_cluster().unwrap().head_group_spec().is_some());
    // Unknown fields inside a pod spec Struct and at the top level too.
    let e = WorkerGroupSpec::from_bytes_strict(&[0x40, 0x01])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown field number 8 in WorkerGroupSpec"),
        "{e}"
    );
    // K8sPod { pod_spec(2) { fields(1) { key "a" value(2) { 9: 1 } } } }
    let bytes = [
        0x12, 0x09, 0x0a, 0x07, 0x0a, 0x01, b'a', 0x12, 0x02, 0x48, 0x01,
    ];
    // Kept inside a pod spec too (upb keeps it in the Value), listed with
    // its path into the pod spec; strict refuses it with the proto path.
    let pod = K8sPod::from_bytes(&bytes).unwrap();
    assert_eq!(pod.serialize_to_string(), bytes);
    let u = pod.unknown_fields();
    assert_eq!(u.len(), 1);
    assert_eq!(
        u[0].to_string(),
        "podSpec.a: unknown field 9 (varint) of google.protobuf.Value"
    );
    let e = K8sPod::from_bytes_strict(&bytes).unwrap_err().to_string();
    assert!(e.contains("unknown field number 9 in Value"), "{e}");
    assert!(
        e.contains("at K8sPod.pod_spec: Struct.fields[0]: FieldsEntry.value"),
        "{e}"
    );
}
