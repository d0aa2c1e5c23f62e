//! The `Struct` bridge (`to_struct` / `from_struct`) against what Python's
//! protobuf makes of every golden case's `MessageToDict` output
//! (`tests/data/struct_golden.jsonl`, written by
//! `scripts/gen_struct_golden.py` with flytekit 1.16.31's protobuf), and
//! whole `TaskTemplate`s holding a RayJob in `custom`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../tests/support/golden.rs"]
mod golden;

use std::collections::HashMap;

use flyte_ray_models::prost::Message as _;
use flyte_ray_models::prost_types::{Struct, Value, value::Kind};
use flyte_ray_models::{
    AutoscalerOptions, DataLoadingConfig, FlyteIdlEntity, HeadGroupSpec, IOStrategy, JsonError,
    JsonOptions, K8sObjectMetadata, K8sPod, RayCluster, RayJob, Resources, WorkerGroupSpec,
};

/// The two fields of `flyteidl.core.TaskTemplate` a reader of Ray tasks
/// needs (numbers from flyteidl's tasks.proto: `type = 2`, `custom = 5`);
/// prost skips the others.
#[derive(Clone, PartialEq, flyte_ray_models::prost::Message)]
struct TaskTemplate {
    #[prost(string, tag = "2")]
    r#type: String,
    #[prost(message, optional, tag = "5")]
    custom: Option<Struct>,
}

struct Row {
    structure: Vec<u8>,
    task_template: Option<Vec<u8>>,
}

fn rows() -> HashMap<String, Row> {
    let text = include_str!("data/struct_golden.jsonl");
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let hex_of = |k: &str| v[k].as_str().map(|h| hex::decode(h).unwrap());
            (
                v["id"].as_str().unwrap().to_owned(),
                Row {
                    structure: hex_of("struct_pb_hex").unwrap(),
                    task_template: hex_of("task_template_pb_hex"),
                },
            )
        })
        .collect()
}

fn check<T: FlyteIdlEntity>(case: &golden::Case, row: &Row) -> Result<(), String> {
    let id = &case.id;
    let model = T::from_bytes(&case.pb).map_err(|e| format!("{id}: from_bytes: {e}"))?;
    // Writing: exactly the Struct Python builds from MessageToDict's output.
    // Compared as values, not bytes: Python's upb orders map keys that are
    // prefixes of each other (`runtimeEnv`, `runtimeEnvYaml`) differently
    // from C++/Go/prost (see tests/data/golden/CONTRACTS.md).
    let ours = model
        .to_struct()
        .map_err(|e| format!("{id}: to_struct: {e}"))?;
    let theirs = Struct::decode(row.structure.as_slice()).map_err(|e| format!("{id}: {e}"))?;
    if ours != theirs {
        return Err(format!(
            "{id}: to_struct\n ours: {ours:?}\n gold: {theirs:?}"
        ));
    }
    // Reading: Python's Struct gives the golden bytes back.
    let back = T::from_struct(&theirs).map_err(|e| format!("{id}: from_struct: {e}"))?;
    if back.serialize_to_string() != case.pb {
        return Err(format!("{id}: from_struct(golden) bytes differ"));
    }
    Ok(())
}

#[test]
fn golden_structs_both_directions() {
    let rows = rows();
    let cases = golden::cases();
    assert_eq!(cases.len(), golden::EXPECTED_CASES);
    assert_eq!(rows.len(), golden::EXPECTED_CASES);
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &cases {
        let row = &rows[&case.id];
        let r = match case.ty.as_str() {
            "RayJob" => check::<RayJob>(case, row),
            "RayCluster" => check::<RayCluster>(case, row),
            "HeadGroupSpec" => check::<HeadGroupSpec>(case, row),
            "WorkerGroupSpec" => check::<WorkerGroupSpec>(case, row),
            "AutoscalerOptions" => check::<AutoscalerOptions>(case, row),
            "K8sPod" => check::<K8sPod>(case, row),
            "K8sObjectMetadata" => check::<K8sObjectMetadata>(case, row),
            "Resources" => check::<Resources>(case, row),
            "DataLoadingConfig" => check::<DataLoadingConfig>(case, row),
            "IOStrategy" => check::<IOStrategy>(case, row),
            other => Err(format!("{}: unknown type {other}", case.id)),
        };
        match r {
            Ok(()) => passed += 1,
            Err(e) => failures.push(e),
        }
    }
    let shown: Vec<_> = failures.iter().take(3).collect();
    assert!(
        failures.is_empty(),
        "{} failures: {shown:#?}",
        failures.len()
    );
    assert_eq!(passed, 900);
}

#[test]
fn whole_task_templates() {
    let rows = rows();
    let mut read = 0;
    for case in golden::cases().iter().filter(|c| c.ty == "RayJob") {
        let bytes = rows[&case.id]
            .task_template
            .as_ref()
            .expect("RayJob rows have one");
        let template = TaskTemplate::decode(bytes.as_slice()).unwrap();
        assert_eq!(template.r#type, "ray");
        let job = match &template.custom {
            Some(custom) => RayJob::from_struct(custom).unwrap(),
            // flytekit leaves `custom` out when MessageToDict gave `{}`.
            None => RayJob::default(),
        };
        assert_eq!(job.serialize_to_string(), case.pb, "{}", case.id);
        read += 1;
    }
    // 353 of the 900 golden cases are RayJobs.
    assert_eq!(read, 353);
}

fn number(n: f64) -> Value {
    Value {
        kind: Some(Kind::NumberValue(n)),
    }
}

fn strukt(fields: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value {
        kind: Some(Kind::StructValue(Struct {
            fields: fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        })),
    }
}

fn list(values: Vec<Value>) -> Value {
    Value {
        kind: Some(Kind::ListValue(flyte_ray_models::prost_types::ListValue {
            values,
        })),
    }
}

/// `{"rayCluster": {"workerGroupSpec": [{}, {"replicas": <n>}]}}`
fn job_with_replicas(n: Value) -> Struct {
    let Some(Kind::StructValue(s)) = strukt([(
        "rayCluster",
        strukt([(
            "workerGroupSpec",
            list(vec![strukt([]), strukt([("replicas", n)])]),
        )]),
    )])
    .kind
    else {
        unreachable!()
    };
    s
}

#[test]
fn errors_are_the_json_mappings_with_the_same_paths() {
    // Struct numbers are doubles: 3.0 is an int32, 3.5 is not (ParseDict
    // says the same of the JSON `3.5`).
    let job = RayJob::from_struct(&job_with_replicas(number(3.0))).unwrap();
    assert_eq!(
        job.ray_cluster().unwrap().worker_group_spec()[1].replicas(),
        3
    );

    let json = r#"{"rayCluster": {"workerGroupSpec": [{}, {"replicas": 3.5}]}}"#;
    let from_json = RayJob::from_json(json).unwrap_err();
    let from_struct = RayJob::from_struct(&job_with_replicas(number(3.5))).unwrap_err();
    assert_eq!(
        from_struct.path(),
        Some("rayCluster.workerGroupSpec[1].replicas")
    );
    assert_eq!(from_struct.path(), from_json.path());
    // The same message, without the JSON text's line and column.
    let (JsonError::Read { message: a, .. }, JsonError::Read { message: b, .. }) =
        (&from_struct, &from_json)
    else {
        panic!("read errors expected")
    };
    assert!(b.starts_with(a.as_str()), "{a:?} vs {b:?}");

    // Unknown fields: refused, unless asked to skip them.
    let mut s = job_with_replicas(number(1.0));
    s.fields.insert("newField".into(), number(1.0));
    let e = RayJob::from_struct(&s).unwrap_err();
    assert!(e.to_string().starts_with("newField: "), "{e}");
    let lenient = JsonOptions::new().ignore_unknown_fields(true);
    assert!(RayJob::from_struct_with(&s, &lenient).is_ok());
}

#[test]
fn non_finite_numbers_fail_with_their_path() {
    // Struct holds NaN, JSON (and so flytekit's MessageToDict) cannot.
    let e = RayJob::from_struct(&job_with_replicas(number(f64::NAN))).unwrap_err();
    assert_eq!(e.path(), Some("rayCluster.workerGroupSpec[1].replicas"));
    assert!(e.to_string().contains("NaN"), "{e}");

    let mut pod = K8sPod::new();
    let Some(Kind::StructValue(spec)) = strukt([("x", number(f64::INFINITY))]).kind else {
        unreachable!()
    };
    pod.set_pod_spec(Some(spec));
    let e = pod.to_struct().unwrap_err();
    assert!(e.to_string().contains("podSpec.x"), "{e}");
    assert!(e.to_string().contains("Infinity"), "{e}");
}
