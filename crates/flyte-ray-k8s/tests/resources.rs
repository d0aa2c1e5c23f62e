//! Part 3: pod_spec_from_resources against flytekit's own function.
#![allow(clippy::unwrap_used)]

mod support;

use flyte_ray_k8s::{ResourceSpec, pod_spec_from_resources, struct_to_json};
use support::{assert_same, fixture};

fn spec(v: &serde_json::Value) -> Option<ResourceSpec> {
    if v.is_null() {
        return None;
    }
    let field = |k: &str| v[k].as_str().map(str::to_owned);
    Some(ResourceSpec {
        cpu: field("cpu"),
        mem: field("mem"),
        gpu: field("gpu"),
        ephemeral_storage: field("ephemeral_storage"),
    })
}

#[test]
fn reference_cases() {
    let cases = fixture("pod_spec_from_resources.json");
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 12);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let requests = spec(&case["requests"]);
        let limits = spec(&case["limits"]);
        let got = pod_spec_from_resources(
            case["primary_container_name"].as_str().unwrap(),
            requests.as_ref(),
            limits.as_ref(),
            case["gpu_resource_key"].as_str(),
        );
        assert_same(
            id,
            &serde_json::Value::Object(struct_to_json(&got).unwrap()),
            &case["expected"],
        );
    }
}

#[test]
fn gpu_key_equal_to_cpu_overwrites_like_a_python_dict() {
    let r = ResourceSpec {
        cpu: Some("1".into()),
        gpu: Some("2".into()),
        ..Default::default()
    };
    let got = pod_spec_from_resources("p", Some(&r), None, Some("cpu"));
    let j = serde_json::Value::Object(struct_to_json(&got).unwrap());
    assert_eq!(
        j["containers"][0]["resources"]["requests"],
        serde_json::json!({"cpu": "2"})
    );
}
