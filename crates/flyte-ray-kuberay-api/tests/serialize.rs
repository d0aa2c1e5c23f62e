//! Serialization of the generated types as Go's `encoding/json` writes
//! KubeRay's Go types (RENDERING.md §11): field order, `omitempty`, the
//! always-present fields and the zero `status`.
//!
//! `tests/data/rendering_17_t1a.json` is the worked example of RENDERING.md
//! §17 (the RayJob Flyte's Go plugin builds for upstream test T1(a)), copied
//! with its key order: it is the reference for what a rendered RayJob looks
//! like, derived there from KubeRay's Go types.
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::fmt;

use flyte_ray_kuberay_api::v1::{
    HeadGroupSpec, RayClusterSpec, RayJob, RayJobSpec, RayJobStatus, ScaleStrategy, WorkerGroupSpec,
};
use flyte_ray_kuberay_api::{to_json, to_json_pretty, to_yaml};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Value, json};

const T1A: &str = include_str!("data/rendering_17_t1a.json");

/// A JSON value that keeps the order of object keys (serde_json's `Value`
/// sorts them in this workspace).
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Other,
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = m.next_entry::<String, Ordered>()? {
                    entries.push(entry);
                }
                Ok(Ordered::Object(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = s.next_element::<Ordered>()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// The keys, in written order, of the object at `pointer` in `json`
/// (a step is a key, or an index into an array).
fn key_order_at(json: &str, pointer: &[&str]) -> Vec<String> {
    let mut node: Ordered = serde_json::from_str(json).expect("JSON");
    for step in pointer {
        node = match node {
            Ordered::Object(entries) => entries
                .into_iter()
                .find(|(k, _)| k == step)
                .map(|(_, v)| v)
                .unwrap_or_else(|| panic!("no key {step}")),
            Ordered::Array(items) => items
                .into_iter()
                .nth(step.parse().expect("an index"))
                .expect("index in range"),
            Ordered::Other => panic!("cannot step into a scalar at {step}"),
        };
    }
    match node {
        Ordered::Object(entries) => entries.into_iter().map(|(k, _)| k).collect(),
        _ => panic!("not an object at {pointer:?}"),
    }
}

fn key_order(json: &str) -> Vec<String> {
    key_order_at(json, &[])
}

#[test]
fn zero_status_is_the_go_zero_form() {
    // §11: `status` is a non-pointer struct; its non-pointer members
    // (rayJobInfo, rayClusterStatus and its Quantities and head) are always
    // written, a zero Quantity as "0".
    assert_eq!(
        to_json(&RayJobStatus::default()).unwrap(),
        r#"{"rayJobInfo":{},"rayClusterStatus":{"desiredCPU":"0","desiredMemory":"0","desiredGPU":"0","desiredTPU":"0","head":{}}}"#
    );
}

#[test]
fn empty_rayjob_keeps_the_always_present_fields() {
    // TypeMeta is set by Default; metadata, spec and status are Go structs.
    let job = RayJob::default();
    let text = to_json(&job).unwrap();
    assert_eq!(
        key_order(&text),
        ["kind", "apiVersion", "metadata", "spec", "status"]
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["kind"], "RayJob");
    assert_eq!(v["apiVersion"], "ray.io/v1");
    assert_eq!(v["metadata"], json!({}));
    // Every RayJobSpec field Flyte sets is omitempty or a nil pointer here.
    assert_eq!(v["spec"], json!({}));
}

#[test]
fn worker_group_order_and_presence() {
    // §11: groupName, replicas, minReplicas, maxReplicas, rayStartParams,
    // template, scaleStrategy; rayStartParams and scaleStrategy always written;
    // min/maxReplicas are pointers without omitempty (null when nil);
    // numOfHosts 0 is omitted.
    let group = WorkerGroupSpec {
        group_name: "g".into(),
        replicas: Some(2),
        min_replicas: Some(1),
        max_replicas: Some(3),
        ..Default::default()
    };
    assert_eq!(
        to_json(&group).unwrap(),
        r#"{"groupName":"g","replicas":2,"minReplicas":1,"maxReplicas":3,"rayStartParams":{},"template":{},"scaleStrategy":{}}"#
    );
    let nil = WorkerGroupSpec::default();
    assert_eq!(
        to_json(&nil).unwrap(),
        r#"{"groupName":"","minReplicas":null,"maxReplicas":null,"rayStartParams":{},"template":{},"scaleStrategy":{}}"#
    );
    assert_eq!(to_json(&ScaleStrategy::default()).unwrap(), "{}");
}

#[test]
fn head_group_order_and_presence() {
    // §11: template, enableIngress, rayStartParams, serviceType; serviceType ""
    // omitted, rayStartParams always written.
    let head = HeadGroupSpec {
        enable_ingress: Some(false),
        service_type: "NodePort".into(),
        ray_start_params: [("num-cpus".to_owned(), "1".to_owned())].into(),
        ..Default::default()
    };
    assert_eq!(
        to_json(&head).unwrap(),
        r#"{"template":{},"enableIngress":false,"rayStartParams":{"num-cpus":"1"},"serviceType":"NodePort"}"#
    );
    assert_eq!(
        to_json(&HeadGroupSpec::default()).unwrap(),
        r#"{"template":{},"rayStartParams":{}}"#
    );
}

#[test]
fn spec_scalars_are_omitempty() {
    // §11: entrypoint "", runtimeEnvYAML "", ttlSecondsAfterFinished 0 and
    // shutdownAfterJobFinishes false are omitted; set, they follow Go's order.
    let spec = RayJobSpec {
        ray_cluster_spec: Some(RayClusterSpec {
            enable_in_tree_autoscaling: Some(false),
            ..Default::default()
        }),
        entrypoint: "python x.py".into(),
        runtime_env_yaml: "pip: []\n".into(),
        ttl_seconds_after_finished: 60,
        shutdown_after_job_finishes: true,
        ..Default::default()
    };
    let text = to_json(&spec).unwrap();
    assert_eq!(
        key_order(&text),
        [
            "rayClusterSpec",
            "entrypoint",
            "runtimeEnvYAML",
            "ttlSecondsAfterFinished",
            "shutdownAfterJobFinishes"
        ]
    );
    // An empty workerGroupSpecs is omitted, enableInTreeAutoscaling (a set
    // pointer) is written, headGroupSpec (a struct) always is.
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["rayClusterSpec"],
        json!({"enableInTreeAutoscaling": false, "headGroupSpec": {"template": {}, "rayStartParams": {}}})
    );
    assert_eq!(
        key_order_at(&text, &["rayClusterSpec"]),
        ["enableInTreeAutoscaling", "headGroupSpec"]
    );
}

#[test]
fn worked_example_round_trips() {
    // Parsing §17 into the types and writing it again gives the same JSON
    // (semantically: §11 says to compare parsed JSON) ...
    let job: RayJob = serde_json::from_str(T1A).expect("§17 parses into RayJob");
    let back = to_json(&job).unwrap();
    let expected: Value = serde_json::from_str(T1A).unwrap();
    let got: Value = serde_json::from_str(&back).unwrap();
    assert_eq!(got, expected);
    // ... and every KubeRay-typed object in the same key order as §17 (the
    // embedded Kubernetes objects are k8s-openapi's, in its order).
    for pointer in [
        &[][..],
        &["spec"],
        &["spec", "rayClusterSpec"],
        &["spec", "rayClusterSpec", "headGroupSpec"],
        &["spec", "rayClusterSpec", "workerGroupSpecs", "0"],
        &["status"],
        &["status", "rayClusterStatus"],
    ] {
        assert_eq!(
            key_order_at(&back, pointer),
            key_order_at(T1A, pointer),
            "key order at {pointer:?}"
        );
    }
}

#[test]
fn pretty_json_and_yaml_carry_the_same_object() {
    let job: RayJob = serde_json::from_str(T1A).unwrap();
    let expected: Value = serde_json::from_str(T1A).unwrap();
    let pretty = to_json_pretty(&job).unwrap();
    assert!(pretty.starts_with("{\n  \"kind\": \"RayJob\",\n  \"apiVersion\": \"ray.io/v1\",\n"));
    assert_eq!(serde_json::from_str::<Value>(&pretty).unwrap(), expected);
    let yaml = to_yaml(&job).unwrap();
    assert!(
        yaml.starts_with("kind: RayJob\napiVersion: ray.io/v1\n"),
        "{yaml}"
    );
    let from_yaml: Value = serde_yaml_ng::from_str(&yaml).unwrap();
    assert_eq!(from_yaml, expected);
    assert_eq!(serde_yaml_ng::from_str::<RayJob>(&yaml).unwrap(), job);
}

#[test]
fn strings_are_escaped_as_go_does() {
    // Go's encoding/json escapes <, >, & and U+2028/U+2029 (HTML-safe);
    // serde_json alone would not.
    let spec = RayJobSpec {
        entrypoint: "a<b>&c\u{2028}\u{2029}\"\n".into(),
        ..Default::default()
    };
    let text = to_json(&spec).unwrap();
    assert_eq!(
        text,
        r#"{"entrypoint":"a\u003cb\u003e\u0026c\u2028\u2029\"\n"}"#
    );
    let pretty = to_json_pretty(&spec).unwrap();
    assert!(pretty.contains(r#""a\u003cb\u003e\u0026c\u2028\u2029\"\n""#));
    let back: RayJobSpec = serde_json::from_str(&text).unwrap();
    assert_eq!(back, spec);
}

#[test]
fn unknown_kuberay_fields_are_refused_on_parse() {
    // Nothing silently dropped: a field the CRD does not have is an error.
    let err = serde_json::from_str::<RayJobSpec>(r#"{"entrypoint":"x","entryPoint":"y"}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `entryPoint`"), "{err}");
}
