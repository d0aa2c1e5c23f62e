//! proto3 JSON conformance against the golden cases produced by the real
//! Python flytekit (`MessageToDict` / `ParseDict`), both directions, and the
//! same mapping through YAML.

#![allow(clippy::unwrap_used)]

#[path = "../../../tests/support/golden.rs"]
mod golden;

use flyte_ray_models::{
    AutoscalerOptions, DataLoadingConfig, FlyteIdlEntity, HeadGroupSpec, IOStrategy,
    K8sObjectMetadata, K8sPod, RayCluster, RayJob, Resources, WorkerGroupSpec,
};
use serde_json::Value;

/// Numbers compared as doubles: Python writes every Struct number as a
/// double (`3.0`), we may write `3.0` or `3`; int32 fields are exact in f64.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Checks one case for one model type; `Err` describes the first mismatch.
fn check<T: FlyteIdlEntity + serde::Serialize + serde::de::DeserializeOwned>(
    case: &golden::Case,
) -> Result<(), String> {
    let id = &case.id;
    let model = T::from_bytes(&case.pb).map_err(|e| format!("{id}: from_bytes: {e}"))?;

    // Writing: compact and pretty give the golden JSON.
    let json = model.to_json().map_err(|e| format!("{id}: to_json: {e}"))?;
    let ours: Value =
        serde_json::from_str(&json).map_err(|e| format!("{id}: invalid JSON: {e}"))?;
    if !same(&ours, &case.json) {
        return Err(format!(
            "{id}: to_json\n ours: {ours}\n gold: {}",
            case.json
        ));
    }
    let pretty = model
        .to_json_pretty()
        .map_err(|e| format!("{id}: to_json_pretty: {e}"))?;
    let ours: Value = serde_json::from_str(&pretty).map_err(|e| format!("{id}: {e}"))?;
    if !same(&ours, &case.json) {
        return Err(format!("{id}: to_json_pretty differs"));
    }
    // serde_json through the public Serialize impl writes the same.
    if serde_json::to_string(&model).map_err(|e| e.to_string())? != json {
        return Err(format!("{id}: serde_json::to_string differs from to_json"));
    }

    // Reading: the golden JSON gives the golden bytes.
    let golden_text = serde_json::to_string(&case.json).unwrap();
    let back = T::from_json(&golden_text).map_err(|e| format!("{id}: from_json: {e}"))?;
    if back.serialize_to_string() != case.pb {
        return Err(format!(
            "{id}: from_json(golden).serialize_to_string() != golden pb"
        ));
    }
    // ... and so does our own output, and serde_json's Deserialize path.
    let back = T::from_json(&pretty).map_err(|e| format!("{id}: from_json(ours): {e}"))?;
    if back != model {
        return Err(format!("{id}: from_json(to_json_pretty(x)) != x"));
    }
    let back: T = serde_json::from_str(&golden_text).map_err(|e| format!("{id}: serde: {e}"))?;
    if back.serialize_to_string() != case.pb {
        return Err(format!("{id}: serde_json::from_str(golden) bytes differ"));
    }

    // YAML: the same mapping, lossless.
    let yaml = model.to_yaml().map_err(|e| format!("{id}: to_yaml: {e}"))?;
    let back = T::from_yaml(&yaml).map_err(|e| format!("{id}: from_yaml: {e}\n{yaml}"))?;
    if back.serialize_to_string() != case.pb {
        return Err(format!("{id}: from_yaml(to_yaml(x)) bytes differ\n{yaml}"));
    }
    let as_json: Value =
        serde_yaml_ng::from_str(&yaml).map_err(|e| format!("{id}: yaml as value: {e}"))?;
    if !same(&as_json, &case.json) {
        return Err(format!("{id}: to_yaml is not the golden mapping\n{yaml}"));
    }
    Ok(())
}

#[test]
fn golden_json_both_directions() {
    let cases = golden::cases();
    assert_eq!(cases.len(), golden::EXPECTED_CASES);
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let r = match case.ty.as_str() {
            "RayJob" => check::<RayJob>(case),
            "RayCluster" => check::<RayCluster>(case),
            "HeadGroupSpec" => check::<HeadGroupSpec>(case),
            "WorkerGroupSpec" => check::<WorkerGroupSpec>(case),
            "AutoscalerOptions" => check::<AutoscalerOptions>(case),
            "K8sPod" => check::<K8sPod>(case),
            "K8sObjectMetadata" => check::<K8sObjectMetadata>(case),
            "Resources" => check::<Resources>(case),
            "DataLoadingConfig" => check::<DataLoadingConfig>(case),
            "IOStrategy" => check::<IOStrategy>(case),
            other => Err(format!("{}: unknown type {other}", case.id)),
        };
        match r {
            Ok(()) => passed += 1,
            Err(e) => failures.push(e),
        }
    }
    let shown: Vec<_> = failures.iter().take(5).collect();
    assert!(
        failures.is_empty(),
        "{} failures, first: {shown:#?}",
        failures.len()
    );
    assert_eq!(passed, 900);
}

#[test]
fn pretty_is_indented_by_two_spaces() {
    let g = WorkerGroupSpec::new("w", 2);
    assert_eq!(
        g.to_json_pretty().unwrap(),
        "{\n  \"groupName\": \"w\",\n  \"replicas\": 2,\n  \"minReplicas\": 2,\n  \"maxReplicas\": 2\n}"
    );
    assert_eq!(
        g.to_json().unwrap(),
        r#"{"groupName":"w","replicas":2,"minReplicas":2,"maxReplicas":2}"#
    );
}

#[test]
fn present_empty_submessages_are_written() {
    let job = RayJob::new(RayCluster::new(vec![]).with_head_group_spec(HeadGroupSpec::new()));
    assert_eq!(
        job.to_json().unwrap(),
        r#"{"rayCluster":{"headGroupSpec":{}}}"#
    );
    assert_eq!(RayJob::default().to_json().unwrap(), "{}");
}

#[test]
fn unknown_enum_numbers_are_written_as_numbers() {
    // MessageToDict(AutoscalerOptions(upscaling_mode=7)) == {'upscalingMode': 7}
    let mut a = AutoscalerOptions::new();
    a.set_upscaling_mode(7);
    assert_eq!(a.to_json().unwrap(), r#"{"upscalingMode":7}"#);
    assert_eq!(
        AutoscalerOptions::from_json(r#"{"upscalingMode":7}"#).unwrap(),
        a
    );
}

#[test]
fn typical_bench_fixture_round_trips() {
    let root = golden::root();
    let json = std::fs::read_to_string(root.join("tests/data/bench/ray_job_typical.json")).unwrap();
    let pb = std::fs::read(root.join("tests/data/bench/ray_job_typical.pb")).unwrap();
    let job = RayJob::from_json(&json).unwrap();
    assert_eq!(job.serialize_to_string(), pb);
    let ours: Value = serde_json::from_str(&job.to_json().unwrap()).unwrap();
    let theirs: Value = serde_json::from_str(&json).unwrap();
    assert!(same(&ours, &theirs));
}
