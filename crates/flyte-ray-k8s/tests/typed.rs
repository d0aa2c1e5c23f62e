//! Part 2: typed PodSpec <-> Struct against `ApiClient().sanitize_for_serialization`.
#![allow(clippy::unwrap_used)]

mod support;

use flyte_ray_k8s::{
    K8sError, find_container, find_container_typed, json_to_struct, pod_spec_to_struct,
    struct_to_json, struct_to_pod_spec,
};
use k8s_openapi::api::core::v1::PodSpec;
use prost_types::value::Kind;
use serde_json::json;
use support::{assert_same, fixture};

#[test]
fn reference_pod_specs_round_trip() {
    let cases = fixture("pod_specs.json");
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 6);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let want = &case["pod_spec"];
        // Python's JSON as a Struct (every number a double) -> typed -> Struct
        let s = json_to_struct(want).unwrap();
        let typed: PodSpec = struct_to_pod_spec(&s).unwrap_or_else(|e| panic!("{id}: {e}"));
        let back = pod_spec_to_struct(&typed).unwrap();
        assert_same(
            id,
            &serde_json::Value::Object(struct_to_json(&back).unwrap()),
            want,
        );
        assert_eq!(back, s, "{id}");
    }
}

#[test]
fn typed_to_struct_is_what_flytekit_writes() {
    let cases = fixture("pod_specs.json");
    let full = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "full")
        .unwrap();
    let typed: PodSpec = serde_json::from_value(full["pod_spec"].clone()).unwrap();
    assert_eq!(
        typed.containers[0].ports.as_ref().unwrap()[0].container_port,
        6379
    );
    assert_eq!(typed.termination_grace_period_seconds, Some(30));
    let s = pod_spec_to_struct(&typed).unwrap();
    assert_same(
        "full",
        &serde_json::Value::Object(struct_to_json(&s).unwrap()),
        &full["pod_spec"],
    );
    // unset fields are omitted, keys are camelCase
    assert!(s.fields.contains_key("serviceAccountName"));
    assert!(!s.fields.contains_key("hostname"));
}

#[test]
fn errors_name_the_json_path() {
    let s = json_to_struct(
        &json!({"containers": [{"name": "p", "resources": {"limits": {"cpu": {"x": 1}}}}]}),
    )
    .unwrap();
    let e = struct_to_pod_spec(&s).unwrap_err();
    assert!(matches!(e, K8sError::PodSpec { .. }));
    assert_eq!(e.path(), "containers[0].resources.limits.cpu");
    assert!(
        e.to_string()
            .starts_with("containers[0].resources.limits.cpu: "),
        "{e}"
    );

    let s =
        json_to_struct(&json!({"containers": [{"name": "p", "ports": [{"containerPort": 80.5}]}]}))
            .unwrap();
    let e = struct_to_pod_spec(&s).unwrap_err();
    assert_eq!(e.path(), "containers[0].ports[0].containerPort", "{e}");

    // k8s-openapi fills a missing required string (a container's name) with "".
    let s = json_to_struct(&json!({"containers": [{"image": "x"}]})).unwrap();
    assert_eq!(struct_to_pod_spec(&s).unwrap().containers[0].name, "");

    let s = json_to_struct(&json!({"containers": "nope"})).unwrap();
    assert_eq!(struct_to_pod_spec(&s).unwrap_err().path(), "containers");

    // 2^31 does not fit an i32
    let s = json_to_struct(
        &json!({"containers": [{"name": "p", "ports": [{"containerPort": 2_147_483_648_u64}]}]}),
    )
    .unwrap();
    assert_eq!(
        struct_to_pod_spec(&s).unwrap_err().path(),
        "containers[0].ports[0].containerPort"
    );
}

#[test]
fn nan_in_struct_is_reported_before_typing() {
    let mut s =
        json_to_struct(&json!({"terminationGracePeriodSeconds": 0, "containers": []})).unwrap();
    s.fields
        .get_mut("terminationGracePeriodSeconds")
        .unwrap()
        .kind = Some(Kind::NumberValue(f64::NAN));
    let e = struct_to_pod_spec(&s).unwrap_err();
    assert!(matches!(e, K8sError::NonFiniteNumber { .. }));
    assert_eq!(e.path(), "terminationGracePeriodSeconds");
}

#[test]
fn numeric_quantities_and_negative_zero() {
    let s = json_to_struct(
        &json!({"containers": [{"name": "p", "resources": {"limits": {"cpu": 1, "memory": 0.5}}}],
                                    "terminationGracePeriodSeconds": -0.0}),
    )
    .unwrap();
    let typed = struct_to_pod_spec(&s).unwrap();
    let limits = typed.containers[0]
        .resources
        .as_ref()
        .unwrap()
        .limits
        .as_ref()
        .unwrap();
    assert_eq!(limits["cpu"].0, "1");
    assert_eq!(limits["memory"].0, "0.5");
    // an integral double, -0.0 included, is read as an integer
    assert_eq!(typed.termination_grace_period_seconds, Some(0));
}

#[test]
fn find_container_struct_and_typed_agree() {
    let cases = fixture("pod_specs.json");
    for case in cases.as_array().unwrap() {
        let s = json_to_struct(&case["pod_spec"]).unwrap();
        let typed = struct_to_pod_spec(&s).unwrap();
        for name in ["primary", "ray-head", "sidecar", "c", "missing", ""] {
            assert_eq!(
                find_container(&s, name).map(|(i, _)| i),
                find_container_typed(&typed, name).map(|(i, _)| i),
                "{} {name}",
                case["id"]
            );
        }
    }
}

/// `pod_spec_to_struct` serializes straight into the `Struct`; the reference
/// pod specs (every field kind k8s-openapi has in them: quantities,
/// int-or-strings, nested lists and maps) give what the route through
/// serde_json's `Value` gives.
#[test]
fn straight_to_struct_is_the_serde_json_route() {
    for case in fixture("pod_specs.json").as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let s = json_to_struct(&case["pod_spec"]).unwrap();
        let typed: PodSpec = struct_to_pod_spec(&s).unwrap();
        let via_json = json_to_struct(&serde_json::to_value(&typed).unwrap()).unwrap();
        assert_eq!(pod_spec_to_struct(&typed).unwrap(), via_json, "{id}");
    }
}
