//! Every parsing rule of the proto3 JSON mapping, with the path and message of
//! each error, and the serde embedding of models in users' own types.
//!
//! The expected behaviour was settled against the reference Python
//! (`/tmp/flytekit-ref`: protobuf 7.36.2, upb backend, flyteidl 1.16.8) with
//! `json_format.ParseDict(d, ray_pb2.WorkerGroupSpec())` and friends; each
//! test names what ParseDict did.

#![allow(clippy::unwrap_used)]

use flyte_ray_models::json::{JsonError, JsonOptions, JsonSeed};
use flyte_ray_models::{
    AutoscalerOptions, DataLoadingConfig, FlyteIdlEntity, IOStrategy, K8sPod, RayCluster, RayJob,
    Resources, UpscalingMode, WorkerGroupSpec,
};
use serde::de::DeserializeSeed;

fn err<T: FlyteIdlEntity>(s: &str) -> (String, String) {
    match T::from_json(s) {
        Ok(v) => panic!("{s} parsed as {v:?}"),
        Err(JsonError::Read { path, message }) => (path, message),
        Err(e) => panic!("{s}: unexpected {e:?}"),
    }
}

fn replicas(s: &str) -> i32 {
    WorkerGroupSpec::from_json(&format!(r#"{{"replicas": {s}}}"#))
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .replicas()
}

fn replicas_err(s: &str) -> String {
    let (path, message) = err::<WorkerGroupSpec>(&format!(r#"{{"replicas": {s}}}"#));
    assert_eq!(path, "replicas", "{s}");
    message
}

#[test]
fn int32_from_numbers() {
    // ParseDict: 3 -> 3, 3.0 -> 3, 2.0 -> 2, 1e2 -> 100, -0 -> 0,
    // 2147483647.0 -> 2147483647, -2147483648 -> -2147483648.
    assert_eq!(replicas("3"), 3);
    assert_eq!(replicas("3.0"), 3);
    assert_eq!(replicas("2.0"), 2);
    assert_eq!(replicas("1e2"), 100);
    assert_eq!(replicas("1.0e0"), 1);
    assert_eq!(replicas("-0"), 0);
    assert_eq!(replicas("2147483647.0"), i32::MAX);
    assert_eq!(replicas("-2147483648"), i32::MIN);
}

#[test]
fn int32_rejects_fractions_and_out_of_range() {
    // ParseDict: 3.5 -> "Couldn't parse integer: 3.5"; 2147483648 and
    // 1e10 -> "Value out of range"; 1e-05 -> "Couldn't parse integer";
    // 9007199254740993 -> out of range; true -> "Bool value True is not
    // acceptable for integer field"; 1E400 -> "Couldn't parse integer: inf".
    assert!(replicas_err("3.5").starts_with("expected an int32, found 3.5"));
    assert!(replicas_err("1e-5").starts_with("expected an int32, found 0.00001"));
    assert!(replicas_err("2147483648").starts_with("int32 out of range: 2147483648"));
    assert!(replicas_err("-2147483649").starts_with("int32 out of range: -2147483649"));
    assert!(replicas_err("1e10").starts_with("int32 out of range: 10000000000"));
    assert!(replicas_err("9007199254740993").starts_with("int32 out of range"));
    assert!(replicas_err("2147483647.5").starts_with("expected an int32"));
    assert!(replicas_err("true").contains("expected an int32"));
    assert!(replicas_err("[]").contains("expected an int32"));
    assert!(replicas_err("{}").contains("expected an int32"));
    // serde_json itself refuses 1E400 (out of f64 range) as a number.
    let m = replicas_err("1E400");
    assert!(m.contains("number out of range"), "{m}");
}

#[test]
fn int32_from_numeric_strings() {
    // ParseDict: "3" -> 3, "+3" -> 3, "-3" -> -3, "3.0" -> 3, "1e2" -> 100,
    // "1E2" -> 100, ".5e1" -> 5, "5." -> 5, "00012" -> 12, "-0" -> 0.
    assert_eq!(replicas(r#""3""#), 3);
    assert_eq!(replicas(r#""+3""#), 3);
    assert_eq!(replicas(r#""-3""#), -3);
    assert_eq!(replicas(r#""3.0""#), 3);
    assert_eq!(replicas(r#""1e2""#), 100);
    assert_eq!(replicas(r#""1E2""#), 100);
    assert_eq!(replicas(r#"".5e1""#), 5);
    assert_eq!(replicas(r#""5.""#), 5);
    assert_eq!(replicas(r#""00012""#), 12);
    assert_eq!(replicas(r#""-0""#), 0);
}

#[test]
fn int32_rejects_bad_strings() {
    // ParseDict: "abc", "", " 3", "3 ", "0x10", "1.5", "NaN", "Infinity",
    // "1e400" are all errors; "2147483648" is out of range.
    for s in [
        "abc", "", " 3", "3 ", "0x10", "1.5", "NaN", "Infinity", "inf", "1e400",
    ] {
        let m = replicas_err(&format!("{s:?}"));
        assert!(
            m.starts_with(&format!("expected an int32, found {s:?}")),
            "{s}: {m}"
        );
    }
    assert!(replicas_err(r#""2147483648""#).starts_with("int32 out of range: 2147483648"));
    assert!(replicas_err(r#""99999999999999999999999999""#).starts_with("int32 out of range"));
    // Deliberately stricter than ParseDict, whose Python int() accepts
    // "1_000" (-> 1000) and Arabic-Indic digits ("١" -> 1).
    assert!(replicas_err(r#""1_000""#).starts_with("expected an int32"));
    assert!(replicas_err(r#""١""#).starts_with("expected an int32"));
}

#[test]
fn null_means_default() {
    // ParseDict: {"replicas": None} -> {}, {"groupName": None} -> {},
    // {"rayStartParams": None} -> {}, {"k8sPod": None} -> {},
    // {"k8sPod": {"podSpec": None}} -> {"k8sPod": {}}, {"env": None} -> {},
    // {"upscalingMode": None} -> {}, {"enableAutoscaling": None} -> {}.
    let g = WorkerGroupSpec::from_json(
        r#"{"groupName": null, "replicas": null, "rayStartParams": null, "k8sPod": null}"#,
    )
    .unwrap();
    assert_eq!(g, WorkerGroupSpec::default());
    let g = WorkerGroupSpec::from_json(r#"{"k8sPod": {"podSpec": null}}"#).unwrap();
    assert_eq!(g.to_json().unwrap(), r#"{"k8sPod":{}}"#);
    let a = AutoscalerOptions::from_json(r#"{"env": null, "upscalingMode": null}"#).unwrap();
    assert_eq!(a, AutoscalerOptions::default());
    let c =
        RayCluster::from_json(r#"{"enableAutoscaling": null, "workerGroupSpec": null}"#).unwrap();
    assert_eq!(c, RayCluster::default());
    // ParseDict: {"min_replicas": 4, "minReplicas": None} -> {}: a later
    // null clears what the other spelling set.
    let g = WorkerGroupSpec::from_json(r#"{"min_replicas": 4, "minReplicas": null}"#).unwrap();
    assert_eq!(g.min_replicas(), 0);
}

#[test]
fn nulls_inside_maps_and_lists_are_errors() {
    // ParseDict: {"rayStartParams": {"a": None}} -> "expected string or
    // bytes-like object, got 'NoneType'"; {"env": [None]} -> "null is not
    // allowed to be used as an element in a repeated field at
    // AutoscalerOptions.env[0]".
    let (path, m) = err::<WorkerGroupSpec>(r#"{"rayStartParams": {"a": null}}"#);
    assert_eq!(path, "rayStartParams.a");
    assert!(m.contains("expected a string"), "{m}");
    let (path, m) = err::<AutoscalerOptions>(r#"{"env": [{"key": "a"}, null]}"#);
    assert_eq!(path, "env[1]");
    assert!(
        m.starts_with("null is not allowed as an element of a repeated field"),
        "{m}"
    );
}

#[test]
fn field_names_camel_or_proto() {
    // ParseDict: {"primary_container_name": "x"} -> {"primaryContainerName": "x"}.
    let a = WorkerGroupSpec::from_json(
        r#"{"group_name": "g", "min_replicas": 1, "max_replicas": 3, "ray_start_params": {"a": "b"}, "k8s_pod": {"primary_container_name": "x", "pod_spec": {}}}"#,
    )
    .unwrap();
    let b = WorkerGroupSpec::from_json(
        r#"{"groupName": "g", "minReplicas": 1, "maxReplicas": 3, "rayStartParams": {"a": "b"}, "k8sPod": {"primaryContainerName": "x", "podSpec": {}}}"#,
    )
    .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.k8s_pod().unwrap().primary_container_name(), "x");
}

#[test]
fn duplicate_fields_mirror_parse_dict() {
    // ParseDict: {"minReplicas": 4, "min_replicas": 2} -> 2 and
    // {"min_replicas": 2, "minReplicas": 4} -> 4: the later spelling wins.
    assert_eq!(
        WorkerGroupSpec::from_json(r#"{"minReplicas": 4, "min_replicas": 2}"#)
            .unwrap()
            .min_replicas(),
        2
    );
    assert_eq!(
        WorkerGroupSpec::from_json(r#"{"min_replicas": 2, "minReplicas": 4}"#)
            .unwrap()
            .min_replicas(),
        4
    );
    // json_format.Parse('{"replicas": 3, "replicas": 4}') -> "Failed to load
    // JSON: duplicate key replicas"; the same inside maps.
    let (path, m) = err::<WorkerGroupSpec>(r#"{"replicas": 3, "replicas": 4}"#);
    assert_eq!(path, "replicas");
    assert!(m.starts_with(r#"duplicate key "replicas""#), "{m}");
    let (path, m) = err::<WorkerGroupSpec>(r#"{"rayStartParams": {"a": "1", "a": "2"}}"#);
    assert_eq!(path, "rayStartParams.a");
    assert!(m.starts_with(r#"duplicate key "a""#), "{m}");
}

#[test]
fn enums_by_name_or_number() {
    // ParseDict: "UPSCALING_MODE_DEFAULT", 1, 1.0, "1" -> DEFAULT; 7, "7"
    // -> 7; -1 -> -1.
    for s in [r#""UPSCALING_MODE_DEFAULT""#, "1", "1.0", r#""1""#] {
        let a = AutoscalerOptions::from_json(&format!(r#"{{"upscalingMode": {s}}}"#)).unwrap();
        assert_eq!(a.upscaling_mode_enum(), Some(UpscalingMode::Default), "{s}");
    }
    for (s, n) in [("7", 7), (r#""7""#, 7), ("-1", -1)] {
        let a = AutoscalerOptions::from_json(&format!(r#"{{"upscalingMode": {s}}}"#)).unwrap();
        assert_eq!(a.upscaling_mode(), n, "{s}");
    }
    let io =
        IOStrategy::from_json(r#"{"downloadMode": "DOWNLOAD_STREAM", "upload_mode": 2}"#).unwrap();
    assert_eq!(
        io.to_json().unwrap(),
        r#"{"downloadMode":"DOWNLOAD_STREAM","uploadMode":"DO_NOT_UPLOAD"}"#
    );
    let d = DataLoadingConfig::from_json(r#"{"format": "YAML"}"#).unwrap();
    assert_eq!(d.format(), 1);
}

#[test]
fn unknown_enum_names_are_errors_naming_the_valid_names() {
    // ParseDict: "NOPE", "upscaling_mode_default", "1.0", "" -> "Invalid enum
    // value NOPE for enum type flyteidl.plugins.AutoscalerOptions.UpscalingMode";
    // 2147483648 -> "Value out of range".
    let (path, m) = err::<AutoscalerOptions>(r#"{"upscalingMode": "NOPE"}"#);
    assert_eq!(path, "upscalingMode");
    assert!(
        m.starts_with(
            r#"invalid value "NOPE" for enum flyteidl.plugins.AutoscalerOptions.UpscalingMode; expected one of UPSCALING_MODE_UNSPECIFIED, UPSCALING_MODE_DEFAULT, UPSCALING_MODE_AGGRESSIVE, UPSCALING_MODE_CONSERVATIVE, or a number"#
        ),
        "{m}"
    );
    for s in ["upscaling_mode_default", "1.0", ""] {
        let (_, m) = err::<AutoscalerOptions>(&format!(r#"{{"upscalingMode": {s:?}}}"#));
        assert!(m.starts_with("invalid value"), "{s}: {m}");
    }
    let (_, m) = err::<AutoscalerOptions>(r#"{"upscalingMode": 2147483648}"#);
    assert!(m.starts_with("int32 out of range"), "{m}");
    // Deliberately stricter: ParseDict truncates 1.5 and takes True as 1.
    let (_, m) = err::<AutoscalerOptions>(r#"{"upscalingMode": 1.5}"#);
    assert!(
        m.starts_with("expected an enum value name or an int32 number, found 1.5"),
        "{m}"
    );
    err::<AutoscalerOptions>(r#"{"upscalingMode": true}"#);
    // Nested: ParseDict says "... at AutoscalerOptions.resources.requests[0].name".
    let (path, m) = err::<AutoscalerOptions>(
        r#"{"resources": {"requests": [{"name": "CPU", "value": "1"}, {"name": "cpu"}]}}"#,
    );
    assert_eq!(path, "resources.requests[1].name");
    assert!(m.contains("flyteidl.core.Resources.ResourceName; expected one of UNKNOWN, CPU, GPU"));
}

#[test]
fn unknown_enum_names_are_skipped_with_ignore_unknown_fields() {
    // ParseDict(..., ignore_unknown_fields=True) on {"upscalingMode": "NOPE",
    // "image": "x"} -> {"image": "x"}.
    let options = JsonOptions::new().ignore_unknown_fields(true);
    let a =
        AutoscalerOptions::from_json_with(r#"{"upscalingMode": "NOPE", "image": "x"}"#, &options)
            .unwrap();
    assert_eq!(a.upscaling_mode(), 0);
    assert_eq!(a.image(), "x");
}

#[test]
fn unknown_fields() {
    // ParseDict: 'Message type "flyteidl.core.K8sPod" has no field named
    // "foo" at "WorkerGroupSpec.k8sPod". Available Fields(except
    // extensions): "['metadata', 'podSpec', 'dataConfig', 'primaryContainerName']"'.
    let (path, m) = err::<WorkerGroupSpec>(r#"{"k8sPod": {"foo": 1}}"#);
    assert_eq!(path, "k8sPod.foo");
    assert!(
        m.starts_with(
            r#"message flyteidl.core.K8sPod has no field named "foo" (its fields: metadata, podSpec, dataConfig, primaryContainerName)"#
        ),
        "{m}"
    );
    let (path, m) = err::<RayJob>(r#"{"rayCluster": {"workerGroupSpec": [{}, {"replicas2": 3}]}}"#);
    assert_eq!(path, "rayCluster.workerGroupSpec[1].replicas2");
    assert!(m.contains("flyteidl.plugins.WorkerGroupSpec has no field named \"replicas2\""));

    // ParseDict(ignore_unknown_fields=True): {"foo": 1} -> {}, nested too.
    let options = JsonOptions::new().ignore_unknown_fields(true);
    let job = RayJob::from_json_with(
        r#"{"future": {"deep": [1, {"x": null}]}, "rayCluster": {"workerGroupSpec": [{"replicas": 2, "extendedResources": {}}]}, "ttlSecondsAfterFinished": 5}"#,
        &options,
    )
    .unwrap();
    assert_eq!(job.ttl_seconds_after_finished(), 5);
    assert_eq!(
        job.ray_cluster().unwrap().worker_group_spec()[0].replicas(),
        2
    );
    let env =
        AutoscalerOptions::from_json_with(r#"{"env": [{"key": "a", "zz": 1}]}"#, &options).unwrap();
    assert_eq!(env.env()[0].key, "a");
}

#[test]
fn every_error_carries_the_path() {
    // ParseDict: "Couldn't parse integer: 3.5 at
    // RayJob.rayCluster.workerGroupSpec[1].replicas".
    let (path, m) =
        err::<RayJob>(r#"{"rayCluster": {"workerGroupSpec": [{}, {"replicas": 3.5}]}}"#);
    assert_eq!(path, "rayCluster.workerGroupSpec[1].replicas");
    assert!(
        m.starts_with("expected an int32, found 3.5 at line 1 column"),
        "{m}"
    );
    let e = RayJob::from_json(r#"{"rayCluster": {"workerGroupSpec": [{}, {"replicas": 3.5}]}}"#)
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("rayCluster.workerGroupSpec[1].replicas: expected an int32, found 3.5"),
        "{e}"
    );
    assert_eq!(e.path(), Some("rayCluster.workerGroupSpec[1].replicas"));

    let (path, _) = err::<RayJob>(
        r#"{"rayCluster": {"workerGroupSpec": [{}, {"k8sPod": {"metadata": {"labels": {"x": 1}}}}]}}"#,
    );
    assert_eq!(
        path,
        "rayCluster.workerGroupSpec[1].k8sPod.metadata.labels.x"
    );
    let (path, m) = err::<RayJob>(r#"{"rayCluster": {"enableAutoscaling": "true"}}"#);
    assert_eq!(path, "rayCluster.enableAutoscaling");
    assert!(m.contains("expected true, false or null"), "{m}");
    let (path, m) =
        err::<RayJob>(r#"{"rayCluster": {"headGroupSpec": {"k8sPod": {"podSpec": []}}}}"#);
    assert_eq!(path, "rayCluster.headGroupSpec.k8sPod.podSpec");
    assert!(m.contains("google.protobuf.Struct"), "{m}");
    let (path, m) = err::<RayJob>(r#"{"runtimeEnvYaml": 3}"#);
    assert_eq!(path, "runtimeEnvYaml");
    assert!(m.contains("expected a string"), "{m}");
}

#[test]
fn wrong_shapes_are_errors() {
    // ParseDict: {"rayStartParams": []} -> "Map field ray_start_params must be
    // in a dict"; {"env": {"key": "a"}} -> "repeated field env must be in []";
    // {"groupName": 3} -> "expected string or bytes-like object".
    let (path, m) = err::<WorkerGroupSpec>(r#"{"rayStartParams": []}"#);
    assert_eq!(path, "rayStartParams");
    assert!(m.contains("expected a JSON object of strings"), "{m}");
    let (path, m) = err::<AutoscalerOptions>(r#"{"env": {"key": "a"}}"#);
    assert_eq!(path, "env");
    assert!(
        m.contains("expected a JSON array of flyteidl.core.KeyValuePair"),
        "{m}"
    );
    let (path, _) = err::<WorkerGroupSpec>(r#"{"groupName": 3}"#);
    assert_eq!(path, "groupName");
    // Deliberately stricter: ParseDict reads {"k8sPod": []} as {"k8sPod": {}}.
    let (path, m) = err::<WorkerGroupSpec>(r#"{"k8sPod": []}"#);
    assert_eq!(path, "k8sPod");
    assert!(
        m.contains("expected a JSON object (flyteidl.core.K8sPod)"),
        "{m}"
    );
    // The document itself must be an object (ParseDict fails on None).
    for s in ["null", "[]", "3", "\"x\""] {
        let (path, _) = err::<RayJob>(s);
        assert_eq!(path, ".", "{s}");
    }
}

#[test]
fn syntax_errors_and_trailing_data() {
    let (path, m) = err::<RayJob>(r#"{"rayCluster": {"workerGroupSpec": [{"replicas": 1"#);
    assert_eq!(path, "rayCluster.workerGroupSpec[0]");
    assert!(m.contains("EOF while parsing"), "{m}");
    let (path, m) = err::<RayJob>("{} {}");
    assert_eq!(path, ".");
    assert!(m.contains("trailing characters"), "{m}");
    // ParseDict: "Unpaired surrogate"; serde_json refuses it as well.
    let (path, _) = err::<WorkerGroupSpec>(r#"{"groupName": "a\ud800"}"#);
    assert_eq!(path, "groupName");
}

#[test]
fn non_finite_pod_spec_numbers_fail_to_write() {
    // MessageToDict on a pod spec holding NaN raises "Fail to serialize NaN
    // for Value.number_value, which would parse as string_value"; for -inf
    // it says "Infinity" too (checked: Struct x=-inf).
    use prost_types::value::Kind;
    use prost_types::{ListValue, Struct, Value};
    for (x, word) in [
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "Infinity"),
    ] {
        let list = Value {
            kind: Some(Kind::ListValue(ListValue {
                values: vec![
                    Value {
                        kind: Some(Kind::NumberValue(1.0)),
                    },
                    Value {
                        kind: Some(Kind::NumberValue(x)),
                    },
                ],
            })),
        };
        let spec = Struct {
            fields: [("xs".to_owned(), list)].into_iter().collect(),
        };
        let job = RayJob::new(RayCluster::new(vec![
            WorkerGroupSpec::new("a", 1),
            WorkerGroupSpec::new("b", 1).with_k8s_pod(K8sPod::new().with_pod_spec(spec)),
        ]));
        for r in [job.to_json(), job.to_json_pretty(), job.to_yaml()] {
            match r {
                Err(JsonError::Write(m)) => assert_eq!(
                    m,
                    format!(
                        "rayCluster.workerGroupSpec[1].k8sPod.podSpec.xs[1]: Fail to serialize {word} for Value.number_value, which would parse as string_value"
                    )
                ),
                other => panic!("{other:?}"),
            }
        }
        assert!(serde_json::to_string(&job).is_err());
    }
}

#[test]
fn pod_spec_numbers_are_doubles() {
    let pod =
        K8sPod::from_json(r#"{"podSpec": {"n": 3, "big": 9007199254740993, "xs": [1, 2.5]}}"#)
            .unwrap();
    let json = pod.to_json().unwrap();
    assert_eq!(
        json,
        r#"{"podSpec":{"big":9007199254740992.0,"n":3.0,"xs":[1.0,2.5]}}"#
    );
}

#[test]
fn resources_and_entries() {
    // ParseDict: {"requests": [{"name": "CPU", "value": "1"}, {"name": 9}]} keeps 9.
    let r = Resources::from_json(r#"{"requests": [{"name": "CPU", "value": "1"}, {"name": 9}]}"#)
        .unwrap();
    assert_eq!(r.requests()[1].name(), 9);
    assert_eq!(
        r.to_json().unwrap(),
        r#"{"requests":[{"name":"CPU","value":"1"},{"name":9}]}"#
    );
}

// ---- serde embedding ----------------------------------------------------------------

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Deployment {
    name: String,
    job: RayJob,
    #[serde(default)]
    extra: Option<WorkerGroupSpec>,
    pods: Vec<K8sPod>,
}

#[test]
fn models_embed_in_user_serde_types() {
    let d = Deployment {
        name: "nightly".into(),
        job: RayJob::new(RayCluster::new(vec![WorkerGroupSpec::new("w", 2)]))
            .with_ttl_seconds_after_finished(60),
        extra: None,
        pods: vec![K8sPod::new().with_primary_container_name("main")],
    };
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(
        json,
        r#"{"name":"nightly","job":{"rayCluster":{"workerGroupSpec":[{"groupName":"w","replicas":2,"minReplicas":2,"maxReplicas":2}]},"ttlSecondsAfterFinished":60},"extra":null,"pods":[{"primaryContainerName":"main"}]}"#
    );
    let back: Deployment = serde_json::from_str(&json).unwrap();
    assert_eq!(back, d);
    // The same mapping inside: proto names and numeric strings work.
    let back: Deployment = serde_json::from_str(
        r#"{"name":"nightly","job":{"ray_cluster":{"worker_group_spec":[{"group_name":"w","replicas":"2","minReplicas":2,"maxReplicas":2}]},"ttlSecondsAfterFinished":"60"},"pods":[{"primaryContainerName":"main"}]}"#,
    )
    .unwrap();
    assert_eq!(back, d);
    // YAML as well.
    let yaml = serde_yaml_ng::to_string(&d).unwrap();
    let back: Deployment = serde_yaml_ng::from_str(&yaml).unwrap();
    assert_eq!(back, d);
}

#[test]
fn embedded_errors_get_paths_through_serde_path_to_error() {
    let text =
        r#"{"name":"x","job":{"rayCluster":{"workerGroupSpec":[{},{"replicas":3.5}]}},"pods":[]}"#;
    let mut de = serde_json::Deserializer::from_str(text);
    let e = serde_path_to_error::deserialize::<_, Deployment>(&mut de).unwrap_err();
    assert_eq!(
        e.path().to_string(),
        "job.rayCluster.workerGroupSpec[1].replicas"
    );
    assert!(
        e.inner()
            .to_string()
            .starts_with("expected an int32, found 3.5")
    );
    // The plain Deserialize impls are strict.
    let e = serde_json::from_str::<Deployment>(r#"{"name":"x","job":{"nope":1},"pods":[]}"#)
        .unwrap_err();
    assert!(e.to_string().contains(r#"no field named "nope""#), "{e}");
}

#[test]
fn json_seed_carries_options() {
    let options = JsonOptions::new().ignore_unknown_fields(true);
    let mut de = serde_json::Deserializer::from_str(r#"{"rayCluster": {"future": true}}"#);
    let job: RayJob = JsonSeed::new(&options).deserialize(&mut de).unwrap();
    assert!(job.ray_cluster().is_some());
    let strict = JsonOptions::new();
    let mut de = serde_json::Deserializer::from_str(r#"{"rayCluster": {"future": true}}"#);
    assert!(
        JsonSeed::<RayJob>::new(&strict)
            .deserialize(&mut de)
            .is_err()
    );
}

/// `serde_json::from_str::<Model>` (the public `Deserialize`) and
/// [`JsonSeed`] accept and refuse exactly what `from_json` does, with the
/// same message, and read the same model.
#[test]
fn serde_deserialize_behaves_like_from_json() {
    let mut deep = String::from("1");
    for _ in 0..60 {
        deep = format!("{{\"a\":{deep}}}");
    }
    let docs = [
        r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": "2"}]}}"#.to_owned(),
        r#"{"ray_cluster": {"enableAutoscaling": true}, "ttlSecondsAfterFinished": 1e2}"#
            .to_owned(),
        r#"{"rayCluster": {"headGroupSpec": {"k8sPod": {"podSpec": {"x": [1, null]}}}}}"#
            .to_owned(),
        "{}".to_owned(),
        r#"{"rayCluster": {"workerGroupSpec": [{"replicas": 3.5}]}}"#.to_owned(),
        r#"{"rayCluster": {"nope": 1}}"#.to_owned(),
        r#"{"runtimeEnv": "a", "runtimeEnv": "b"}"#.to_owned(),
        r#"{"rayCluster": null} x"#.to_owned(),
        "[]".to_owned(),
        format!(
            r#"{{"rayCluster": {{"headGroupSpec": {{"k8sPod": {{"podSpec": {{"x": {deep}}}}}}}}}}}"#
        ),
    ];
    let strict = JsonOptions::new();
    for doc in &docs {
        let ours = RayJob::from_json(doc);
        let serde = serde_json::from_str::<RayJob>(doc);
        let mut de = serde_json::Deserializer::from_str(doc);
        let seed = JsonSeed::<RayJob>::new(&strict)
            .deserialize(&mut de)
            .and_then(|job| de.end().map(|()| job));
        match (ours, serde, seed) {
            (Ok(a), Ok(b), Ok(c)) => {
                assert_eq!(a, b, "{doc}");
                assert_eq!(a, c, "{doc}");
            }
            (Err(JsonError::Read { message, .. }), Err(b), Err(c)) => {
                assert_eq!(b.to_string(), message, "{doc}");
                assert_eq!(c.to_string(), message, "{doc}");
            }
            (a, b, c) => panic!(
                "{doc}: from_json {:?}, serde {:?}, JsonSeed {:?}",
                a.map(drop),
                b.map(drop),
                c.map(drop)
            ),
        }
    }
    let e = serde_json::from_str::<RayJob>(docs.last().unwrap()).unwrap_err();
    assert!(e.to_string().contains("recursion limit"), "{e}");
}

#[test]
fn no_panic_on_odd_documents() {
    let deep = format!(
        "{{\"podSpec\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(K8sPod::from_json(&deep).is_err());
    let deep_obj = format!(
        "{{\"podSpec\":{}1{}}}",
        "{\"a\":".repeat(5_000),
        "}".repeat(5_000)
    );
    assert!(K8sPod::from_json(&deep_obj).is_err());
    for s in [
        "",
        " ",
        "{",
        "}",
        "{\"",
        "{\"a\"",
        "{\"replicas\":",
        "\u{0}",
        "{\"replicas\":-}",
    ] {
        assert!(WorkerGroupSpec::from_json(s).is_err(), "{s:?}");
    }
}
