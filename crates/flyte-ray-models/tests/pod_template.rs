//! `K8sPod::from_pod_template` / `to_pod_template` against the cases the
//! reference produced (`crates/flyte-ray-k8s/tests/data/pod_templates.json`,
//! made by that folder's `gen_fixtures.py` with flytekit 1.16.31:
//! `K8sPod.from_pod_template(pt)` serialized, and flytekit's
//! `to_pod_template()` of the result).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use flyte_ray_k8s::PodTemplate;
use flyte_ray_models::{FlyteIdlEntity, K8sPod};
use serde_json::Value;

fn map(v: &Value) -> BTreeMap<String, String> {
    match v {
        Value::Null => BTreeMap::new(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect(),
        other => panic!("not a map: {other}"),
    }
}

fn template(v: &Value) -> PodTemplate {
    PodTemplate {
        pod_spec: flyte_ray_k8s::json_to_struct(&v["pod_spec"]).unwrap(),
        labels: map(&v["labels"]),
        annotations: map(&v["annotations"]),
        primary_container_name: v["primary_container_name"].as_str().unwrap().to_owned(),
    }
}

#[test]
fn pod_templates_match_the_reference() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../flyte-ray-k8s/tests/data/pod_templates.json"
    );
    let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 3, "too few pod template cases");
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let pt = template(&case["pod_template"]);
        let pod = K8sPod::from_pod_template(&pt);
        assert_eq!(
            hex::encode(pod.serialize_to_string()),
            case["k8s_pod_pb_hex"].as_str().unwrap(),
            "{id}: from_pod_template bytes"
        );
        // Back: flytekit's to_pod_template, except that ours keeps the
        // primary container name where flytekit resets it to "primary".
        let back = pod.to_pod_template();
        let flytekit = template(&case["flytekit_to_pod_template"]);
        assert_eq!(back.pod_spec, flytekit.pod_spec, "{id}: pod spec");
        assert_eq!(back.labels, flytekit.labels, "{id}: labels");
        assert_eq!(back.annotations, flytekit.annotations, "{id}: annotations");
        assert_eq!(
            back.primary_container_name, pt.primary_container_name,
            "{id}: kept name"
        );
    }
}

#[test]
fn to_pod_template_does_not_crash_without_metadata() {
    // flytekit raises AttributeError here; we treat it as no labels.
    let pod = K8sPod::new().with_primary_container_name("ray-head");
    let pt = pod.to_pod_template();
    assert!(pt.labels.is_empty() && pt.annotations.is_empty());
    assert_eq!(pt.primary_container_name, "ray-head");
    assert_eq!(pt.pod_spec, flyte_ray_k8s::empty_pod_spec());
    // No name at all: flytekit's default.
    assert_eq!(
        K8sPod::new().to_pod_template().primary_container_name,
        "primary"
    );
}
