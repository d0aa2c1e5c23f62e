//! Unknown fields against Python's protobuf (upb): every case of
//! `tests/data/unknown_golden.jsonl` (made by `scripts/gen_unknown_golden.py`
//! from hand-made wire inputs) gives, through `from_bytes` then
//! `serialize_to_string`, the bytes upb's `ParseFromString` then
//! `SerializeToString` gave — or fails where upb failed.

#![allow(clippy::unwrap_used)]

use flyte_ray_models::{
    AutoscalerOptions, DataLoadingConfig, ExtendedResources, FlyteIdlEntity, GPUAccelerator,
    HeadGroupSpec, IOStrategy, K8sObjectMetadata, K8sPod, RayCluster, RayJob, Resources,
    SharedMemory, WorkerGroupSpec,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    id: String,
    #[serde(rename = "type")]
    ty: String,
    in_hex: String,
    out_hex: Option<String>,
    error: Option<String>,
}

fn cases() -> Vec<Case> {
    include_str!("data/unknown_golden.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("golden line"))
        .collect()
}

/// What ours gives: re-encoded bytes, or the error; plus the model's
/// checks (strict refuses exactly the inputs with unknown fields, the
/// lenient decoder gives the known fields only, JSON refuses unknowns).
fn run<M: FlyteIdlEntity>(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let m = M::from_bytes(bytes).map_err(|e| e.to_string())?;
    let out = m.serialize_to_string();
    let has = !m.unknown_fields().is_empty();
    assert_eq!(has, m.has_unknown_fields());
    assert_eq!(M::from_bytes_strict(bytes).is_ok(), !has, "strict");
    let known = M::from_bytes_ignoring_unknown_fields(bytes).map_err(|e| e.to_string())?;
    assert!(known.unknown_fields().is_empty());
    assert_eq!(known, m.clone().without_unknown_fields());
    if has {
        let e = m
            .to_json()
            .expect_err("JSON of a model with unknown fields");
        let first = m.unknown_fields()[0].to_string();
        assert!(e.to_string().contains(&first), "{e} should name {first}");
        assert!(m.to_yaml().is_err() && m.to_struct().is_err() && m.to_text_format().is_err());
    }
    // Decoding our output again changes nothing (upb's output is canonical).
    let again = M::from_bytes(&out).map_err(|e| e.to_string())?;
    assert_eq!(again, m, "decode(encode(m)) != m");
    Ok(out)
}

fn dispatch(ty: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    match ty {
        "RayJob" => run::<RayJob>(bytes),
        "RayCluster" => run::<RayCluster>(bytes),
        "HeadGroupSpec" => run::<HeadGroupSpec>(bytes),
        "WorkerGroupSpec" => run::<WorkerGroupSpec>(bytes),
        "AutoscalerOptions" => run::<AutoscalerOptions>(bytes),
        "K8sPod" => run::<K8sPod>(bytes),
        "K8sObjectMetadata" => run::<K8sObjectMetadata>(bytes),
        "Resources" => run::<Resources>(bytes),
        "DataLoadingConfig" => run::<DataLoadingConfig>(bytes),
        "IOStrategy" => run::<IOStrategy>(bytes),
        "ExtendedResources" => run::<ExtendedResources>(bytes),
        "GPUAccelerator" => run::<GPUAccelerator>(bytes),
        "SharedMemory" => run::<SharedMemory>(bytes),
        other => panic!("unknown type {other}"),
    }
}

#[test]
fn every_case_matches_upb() {
    let cases = cases();
    assert!(cases.len() > 870, "{} cases", cases.len());
    let mut bad = Vec::new();
    for c in &cases {
        let input = hex::decode(&c.in_hex).expect("hex");
        let ours = dispatch(&c.ty, &input);
        match (&c.out_hex, &c.error, ours) {
            (Some(want), None, Ok(got)) if hex::encode(&got) == *want => {}
            (None, Some(_), Err(_)) => {}
            (want, err, got) => bad.push(format!(
                "{}: upb {:?} / {:?}, ours {:?}",
                c.id,
                want,
                err,
                got.map(hex::encode)
            )),
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        cases.len(),
        bad.join("\n")
    );
}

/// Canonical input stays byte for byte (upb's output for every case is
/// canonical, so feeding it back must give it back).
#[test]
fn canonical_inputs_are_kept_byte_exact() {
    for c in cases() {
        let Some(out) = c.out_hex else { continue };
        let bytes = hex::decode(&out).expect("hex");
        assert_eq!(
            dispatch(&c.ty, &bytes).map(hex::encode),
            Ok(out),
            "{}",
            c.id
        );
    }
}

fn case_input(id: &str) -> Vec<u8> {
    let c = cases()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no case {id}"));
    hex::decode(c.in_hex).expect("hex")
}

fn listed<M: FlyteIdlEntity>(bytes: &[u8]) -> Vec<String> {
    M::from_bytes(bytes)
        .expect("decodes")
        .unknown_fields()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Inside a pod spec, each unknown field is listed with its JSON path into
/// the pod spec and the message holding it (`Struct`, `Value`,
/// `ListValue`), the holder's own first, then inside it in key order. The
/// case (see the script) puts one in every message of
/// `{"containers": [{"name": "main"}], "k": true}` plus a `k` entry holding
/// field 3, which upb keeps whole as field 1 of the `Struct`.
#[test]
fn unknown_fields_inside_pod_specs_are_listed_with_their_path() {
    let p = "rayCluster.headGroupSpec.k8sPod.podSpec";
    assert_eq!(
        listed::<RayJob>(&case_input("RayJob/pod_spec/everywhere")),
        [
            format!("{p}: unknown field 1 (length-delimited) of google.protobuf.Struct"),
            format!("{p}: unknown field 99 (varint) of google.protobuf.Struct"),
            format!("{p}.containers: unknown field 93 (varint) of google.protobuf.Value"),
            format!("{p}.containers: unknown field 94 (varint) of google.protobuf.ListValue"),
            format!("{p}.containers[0]: unknown field 95 (varint) of google.protobuf.Value"),
            format!("{p}.containers[0]: unknown field 96 (varint) of google.protobuf.Struct"),
            format!("{p}.containers[0].name: unknown field 97 (varint) of google.protobuf.Value"),
        ]
    );
    // A key that is not a plain name is quoted.
    assert_eq!(
        listed::<K8sPod>(&case_input("K8sPod/pod_spec/odd_keys")),
        [r#"podSpec["a.b"][""]: unknown field 99 (varint) of google.protobuf.Value"#]
    );
    // Strict decoding refuses, naming one with its proto path; JSON refuses
    // naming the first.
    let bytes = case_input("RayJob/pod_spec/everywhere");
    let e = RayJob::from_bytes_strict(&bytes).unwrap_err().to_string();
    assert!(
        e.contains("K8sPod.pod_spec") && e.contains("unknown field number"),
        "{e}"
    );
    let job = RayJob::from_bytes(&bytes).unwrap();
    let e = job.to_json().unwrap_err().to_string();
    assert!(
        e.contains(&format!(
            "{p}: unknown field 1 (length-delimited) of google.protobuf.Struct and 6 more"
        )),
        "{e}"
    );
    // Dropped on purpose: the known part, without the entry upb kept as an
    // unknown field.
    let known = job.without_unknown_fields();
    let spec = known
        .ray_cluster()
        .unwrap()
        .head_group_spec()
        .unwrap()
        .k8s_pod()
        .unwrap();
    assert_eq!(
        spec.pod_spec_json().unwrap().unwrap(),
        serde_json::json!({"containers": [{"name": "main"}]})
    );
}

/// `AutoscalerOptions.env` entries (`KeyValuePair`) keep theirs, listed by
/// entry index.
#[test]
fn unknown_fields_of_env_entries_are_listed_by_index() {
    assert_eq!(
        listed::<AutoscalerOptions>(&case_input("AutoscalerOptions/env_entries")),
        [
            "env[0]: unknown field 99 (varint) of flyteidl.core.KeyValuePair",
            "env[2]: unknown field 95 (group) of flyteidl.core.KeyValuePair",
        ]
    );
    let a = AutoscalerOptions::from_bytes(&case_input("AutoscalerOptions/env_entries")).unwrap();
    let keys: Vec<_> = a
        .env()
        .iter()
        .map(|kv| (kv.key.as_str(), kv.value.as_str()))
        .collect();
    assert_eq!(keys, [("A", ""), ("B", ""), ("C", "v")]);
}
