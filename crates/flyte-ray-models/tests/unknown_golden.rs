//! Unknown fields against Python's protobuf (upb): every case of
//! `tests/data/unknown_golden.jsonl` (made by `scripts/gen_unknown_golden.py`
//! from hand-made wire inputs) gives, through `from_bytes` then
//! `serialize_to_string`, the bytes upb's `ParseFromString` then
//! `SerializeToString` gave — or fails where upb failed.

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
    assert!(cases.len() > 700, "{} cases", cases.len());
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
