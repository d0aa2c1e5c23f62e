//! The generated schema checks against the maintained `jsonschema` crate,
//! both run on KubeRay v1.5.1's CRD v1 `openAPIV3Schema`, read from
//! `../shared/kuberay/v1.5.1/crd/rayjob.v1.schema.json` (upstream's file: read
//! there, never copied into the repository).
//!
//! The documents are the worked example of RENDERING.md §17 and hundreds of
//! variants of it, each changing one value or adding one field: both
//! validators must agree on every one (valid or not, and where).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the failure report

use std::collections::BTreeSet;

use flyte_ray_kuberay_api::testing::{schema_locations, strict_json_schema};
use flyte_ray_kuberay_api::{Finding, check_schema};
use serde_json::{Map, Value, json};

const T1A: &str = include_str!("data/rendering_17_t1a.json");

fn t1a() -> Value {
    serde_json::from_str(T1A).unwrap()
}

/// The CRD schema made strict for a generic Draft-7 validator
/// (RENDERING.md §15.2; see `testing::strict_json_schema`).
fn strict_schema() -> Value {
    let path = xtask::workspace_root().join(xtask::kuberay::SCHEMA_PATH);
    let text = std::fs::read_to_string(&path).expect("read the CRD schema from ../shared");
    strict_json_schema(serde_json::from_str(&text).unwrap())
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&strict_schema())
        .expect("the CRD schema compiles")
}

fn our_locations(findings: &[Finding]) -> BTreeSet<String> {
    schema_locations(findings)
}

fn their_locations(v: &jsonschema::Validator, doc: &Value) -> BTreeSet<String> {
    v.iter_errors(doc)
        .map(|e| e.instance_path().as_str().to_owned())
        .collect()
}

/// Every (pointer, value) leaf of `doc`, and every object's pointer.
fn walk(doc: &Value, at: String, leaves: &mut Vec<String>, objects: &mut Vec<String>) {
    match doc {
        Value::Object(o) => {
            objects.push(at.clone());
            for (k, v) in o {
                walk(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    leaves,
                    objects,
                );
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                walk(v, format!("{at}/{i}"), leaves, objects);
            }
        }
        _ => leaves.push(at),
    }
}

fn agree(v: &jsonschema::Validator, doc: &Value, what: &str) -> bool {
    let ours = check_schema(doc);
    let theirs = their_locations(v, doc);
    assert_eq!(
        ours.is_empty(),
        theirs.is_empty(),
        "{what}: ours {ours:#?} vs jsonschema {theirs:?}"
    );
    assert_eq!(our_locations(&ours), theirs, "{what}: ours {ours:#?}");
    ours.is_empty()
}

#[test]
fn the_worked_example_passes_both() {
    let v = validator();
    assert!(agree(&v, &t1a(), "§17"));
    // With stage D's metadata too (RENDERING.md §17).
    let mut doc = t1a();
    doc["metadata"] = json!({"name": "some-acceptable-name", "namespace": "test-namespace",
        "labels": {"label-1": "val1"}, "annotations": {"annotation-1": "val1"},
        "ownerReferences": [{"apiVersion": "", "kind": "node", "name": "blah", "uid": ""}]});
    assert!(agree(&v, &doc, "§17 after stage D"));
}

#[test]
fn every_leaf_replaced_by_every_json_type_agrees() {
    let v = validator();
    let base = t1a();
    let (mut leaves, mut objects) = (Vec::new(), Vec::new());
    walk(&base, String::new(), &mut leaves, &mut objects);
    let replacements = [
        json!(null),
        json!(true),
        json!(7),
        json!(-1),
        json!(1.5),
        json!(3_000_000_000_i64),
        json!("s"),
        json!("250m"),
        json!([]),
        json!({}),
    ];
    let (mut valid, mut invalid) = (0, 0);
    for leaf in &leaves {
        for r in &replacements {
            let mut doc = base.clone();
            *doc.pointer_mut(leaf).unwrap() = r.clone();
            if agree(&v, &doc, &format!("{leaf} = {r}")) {
                valid += 1;
            } else {
                invalid += 1;
            }
        }
    }
    // Both outcomes are exercised, many times.
    assert!(leaves.len() > 100, "{} leaves", leaves.len());
    assert!(
        valid > 200 && invalid > 500,
        "valid {valid}, invalid {invalid}"
    );
}

#[test]
fn an_unknown_field_in_every_object_agrees() {
    let v = validator();
    let base = t1a();
    let (mut leaves, mut objects) = (Vec::new(), Vec::new());
    walk(&base, String::new(), &mut leaves, &mut objects);
    let mut refused = 0;
    for at in &objects {
        for (key, value) in [("bogusField", json!("x")), ("name", json!("x"))] {
            let mut doc = base.clone();
            let obj: &mut Map<String, Value> =
                doc.pointer_mut(at).unwrap().as_object_mut().unwrap();
            if obj.contains_key(key) {
                continue;
            }
            obj.insert(key.into(), value);
            if !agree(&v, &doc, &format!("{at} + {key}")) {
                refused += 1;
            }
        }
    }
    assert!(refused > 40, "{refused} refused");
    // The top-level metadata is free-form in the CRD (the API server checks
    // ObjectMeta itself); string maps take any string key.
    let mut doc = base.clone();
    doc["metadata"]["bogusField"] = json!("x");
    assert!(check_schema(&doc).is_empty());
}

#[test]
fn removing_each_object_field_agrees() {
    let v = validator();
    let base = t1a();
    let (mut leaves, mut objects) = (Vec::new(), Vec::new());
    walk(&base, String::new(), &mut leaves, &mut objects);
    let mut missing = 0;
    for at in &objects {
        let keys: Vec<String> = base
            .pointer(at)
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        for k in keys {
            let mut doc = base.clone();
            doc.pointer_mut(at)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(&k);
            if !agree(&v, &doc, &format!("{at} - {k}")) {
                missing += 1;
            }
        }
    }
    // headGroupSpec, template, groupName, minReplicas, maxReplicas, each
    // container's name, … are required.
    assert!(missing >= 10, "{missing} required fields");
}

#[test]
fn hand_made_cases_agree_and_name_the_path() {
    let v = validator();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/spec/rayClusterSpec/autoscalerOptions",
            json!({"upscalingMode": ""}),
            "spec.rayClusterSpec.autoscalerOptions.upscalingMode",
            "schema.enum",
        ),
        (
            "/spec/rayClusterSpec/autoscalerOptions",
            json!({"version": "v3"}),
            "spec.rayClusterSpec.autoscalerOptions.version",
            "schema.enum",
        ),
        (
            "/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0/resources/limits/cpu",
            json!("1.5 cores"),
            "spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].resources.limits.cpu",
            "schema.pattern",
        ),
        (
            "/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0/resources/limits/nvidia.com~1gpu",
            json!(true),
            "spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].resources.limits[\"nvidia.com/gpu\"]",
            "schema.type",
        ),
        (
            "/spec/rayClusterSpec/workerGroupSpecs/0/replicas",
            json!("3"),
            "spec.rayClusterSpec.workerGroupSpecs[0].replicas",
            "schema.type",
        ),
        (
            "/spec/rayClusterSpec/workerGroupSpecs/0/minReplicas",
            json!(2_147_483_648_i64),
            "spec.rayClusterSpec.workerGroupSpecs[0].minReplicas",
            "schema.format",
        ),
        (
            "/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0/imagePullPolice",
            json!("Always"),
            "spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].imagePullPolice",
            "schema.unknown-field",
        ),
        (
            "/spec/deletionStrategy",
            json!({"deletionRules": []}),
            "spec.deletionStrategy.deletionRules",
            "schema.length",
        ),
        (
            "/spec/deletionStrategy",
            json!({"deletionRules": [{"policy": "DeleteCluster", "condition": {"jobStatus": "SUCCEEDED", "ttlSeconds": -1}}]}),
            "spec.deletionStrategy.deletionRules[0].condition.ttlSeconds",
            "schema.minimum",
        ),
        (
            "/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0/ports/0/containerPort",
            json!(6379.0),
            "",
            "",
        ),
        (
            "/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0/lifecycle",
            json!({"preStop": {"httpGet": {"port": "http"}}}),
            "",
            "",
        ),
        (
            "/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0/lifecycle",
            json!({"preStop": {"httpGet": {"port": 8080.5}}}),
            "spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].lifecycle.preStop.httpGet.port",
            "schema.type",
        ),
        (
            "/status/rayClusterStatus/lastUpdateTime",
            json!(null),
            "",
            "",
        ),
        (
            "/status/rayClusterStatus/lastUpdateTime",
            json!("2025-11-21T10:00:00Z"),
            "",
            "",
        ),
        (
            "/status/rayClusterStatus/lastUpdateTime",
            json!("yesterday"),
            "status.rayClusterStatus.lastUpdateTime",
            "schema.format",
        ),
        (
            "/status/rayClusterStatus/desiredCPU",
            json!(null),
            "status.rayClusterStatus.desiredCPU",
            "schema.type",
        ),
    ];
    for (at, value, path, rule) in cases {
        let mut doc = t1a();
        let (parent, key) = at.rsplit_once('/').unwrap();
        let key = key.replace("~1", "/").replace("~0", "~");
        doc.pointer_mut(parent)
            .unwrap_or_else(|| panic!("{parent}"))
            .as_object_mut()
            .unwrap()
            .insert(key, value.clone());
        let ok = agree(&v, &doc, &format!("{at} = {value}"));
        let findings = check_schema(&doc);
        if rule.is_empty() {
            assert!(ok, "{at} = {value}: {findings:#?}");
        } else {
            assert!(
                findings.iter().any(|f| f.path == path && f.rule == rule),
                "{at} = {value}: expected {rule} at {path}, got {findings:#?}"
            );
        }
    }
}

#[test]
fn list_map_keys_are_unique_as_the_api_server_requires() {
    // jsonschema has no x-kubernetes-list-type; these follow RENDERING.md
    // §15.1: env keyed by name, ports by (containerPort, protocol) with
    // protocol defaulting to TCP, volumes by name; tolerations are atomic.
    let c = "/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0";
    let head = "spec.rayClusterSpec.headGroupSpec.template.spec.containers[0]";
    let mut doc = t1a();
    let env = doc
        .pointer_mut(&format!("{c}/env"))
        .unwrap()
        .as_array_mut()
        .unwrap();
    env.push(json!({"name": "Env_Var", "value": "again"}));
    let n = env.len() - 1;
    let f = check_schema(&doc);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].path, format!("{head}.env[{n}]"));
    assert_eq!(f[0].rule, "schema.duplicate");
    assert!(f[0].message.contains("[0]"), "{}", f[0].message);

    // 6379 without protocol and 6379/TCP are the same key; 6379/UDP is not.
    let mut doc = t1a();
    let ports = doc
        .pointer_mut(&format!("{c}/ports"))
        .unwrap()
        .as_array_mut()
        .unwrap();
    ports.push(json!({"name": "redis-udp", "containerPort": 6379, "protocol": "UDP"}));
    assert!(check_schema(&doc).is_empty());
    let ports = doc
        .pointer_mut(&format!("{c}/ports"))
        .unwrap()
        .as_array_mut()
        .unwrap();
    ports.push(json!({"name": "redis-tcp", "containerPort": 6379, "protocol": "TCP"}));
    let f = check_schema(&doc);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].path, format!("{head}.ports[4]"));

    // Two containers named alike; duplicate tolerations are fine (atomic).
    let mut doc = t1a();
    let s = "/spec/rayClusterSpec/headGroupSpec/template/spec";
    let spec = doc.pointer_mut(s).unwrap();
    let first = spec["containers"][0].clone();
    spec["containers"].as_array_mut().unwrap().push(first);
    let tol = spec["tolerations"][0].clone();
    spec["tolerations"].as_array_mut().unwrap().push(tol);
    let f = check_schema(&doc);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        f[0].path,
        "spec.rayClusterSpec.headGroupSpec.template.spec.containers[1]"
    );
}

#[test]
fn patterns_compile_and_cel_rules_are_listed() {
    assert!(flyte_ray_kuberay_api::schema::broken_patterns().is_empty());
    // NOTICE.md: CEL rules in 3 places (deletionStrategy, managedBy twice),
    // listed as not checked.
    let places: BTreeSet<&str> = flyte_ray_kuberay_api::UNCHECKED_CEL_RULES
        .iter()
        .map(|(p, _)| *p)
        .collect();
    assert_eq!(
        places,
        BTreeSet::from([
            "spec.deletionStrategy",
            "spec.managedBy",
            "spec.rayClusterSpec.managedBy"
        ])
    );
}

#[test]
fn the_vendored_json_schema_is_the_yaml_crds_v1_schema() {
    // The JSON we generate from is the v1 openAPIV3Schema of upstream's YAML.
    let dir = xtask::workspace_root().join("../shared/kuberay/v1.5.1/crd");
    let yaml = std::fs::read_to_string(dir.join("ray.io_rayjobs.yaml")).unwrap();
    let crd: Value = serde_yaml_ng::from_str(&yaml).unwrap();
    let v1 = crd["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "v1")
        .unwrap();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("rayjob.v1.schema.json")).unwrap())
            .unwrap();
    assert_eq!(v1["schema"]["openAPIV3Schema"], json);
}

/// Short lists compare keys pair by pair, long ones (past 64 items) by each
/// item's text: both find the same duplicates with the same message. The
/// env of a container, `n` variables of distinct names, then one more named
/// as the fourth (`V3`), and ports where a missing protocol is its default
/// (`TCP`) in both ways.
#[test]
fn duplicates_are_found_alike_in_short_and_long_lists() {
    let c = "/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0";
    let head = "spec.rayClusterSpec.headGroupSpec.template.spec.containers[0]";
    for n in [10usize, 63, 64, 65, 200] {
        let mut doc = t1a();
        let env: Vec<Value> = (0..n)
            .map(|i| json!({"name": format!("V{i}"), "value": "x"}))
            .chain([json!({"name": "V3", "value": "again"})])
            .collect();
        *doc.pointer_mut(&format!("{c}/env")).unwrap() = Value::Array(env);
        let ports: Vec<Value> = (0..n)
            .map(|i| json!({"containerPort": 1000 + i, "protocol": "TCP"}))
            .chain([json!({"containerPort": 1002})])
            .collect();
        *doc.pointer_mut(&format!("{c}/ports")).unwrap() = Value::Array(ports);
        let f = check_schema(&doc);
        assert_eq!(f.len(), 2, "{n}: {f:#?}");
        assert_eq!(f[0].path, format!("{head}.env[{n}]"), "{n}");
        assert_eq!(f[0].rule, "schema.duplicate");
        assert_eq!(
            f[0].message, "duplicate entry (name=\"V3\"); the same as [3]",
            "{n}"
        );
        assert_eq!(f[1].path, format!("{head}.ports[{n}]"), "{n}");
        assert_eq!(
            f[1].message, "duplicate entry (containerPort=1002, protocol=\"TCP\"); the same as [2]",
            "{n}"
        );
    }
}
