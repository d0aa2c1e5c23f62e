//! Part 4: PodTemplate defaults and the fixtures of K8sPod.from_pod_template
//! (the models crate tests its conversion against the same file).
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;

use flyte_ray_k8s::{K8sError, PodTemplate, empty_pod_spec, json_to_struct, struct_to_json};
use support::{assert_same, fixture};

fn map(v: &serde_json::Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// The fixture's pod template as ours.
fn template(v: &serde_json::Value) -> PodTemplate {
    PodTemplate {
        pod_spec: json_to_struct(&v["pod_spec"]).unwrap(),
        labels: map(&v["labels"]),
        annotations: map(&v["annotations"]),
        primary_container_name: v["primary_container_name"].as_str().unwrap().to_owned(),
    }
}

/// What `K8sPod.from_pod_template` gives, written here from the documented
/// semantics, so the fixture proves the documentation right.
fn from_pod_template_json(pt: &PodTemplate) -> serde_json::Value {
    let mut metadata = serde_json::Map::new();
    if !pt.labels.is_empty() {
        metadata.insert("labels".into(), serde_json::to_value(&pt.labels).unwrap());
    }
    if !pt.annotations.is_empty() {
        metadata.insert(
            "annotations".into(),
            serde_json::to_value(&pt.annotations).unwrap(),
        );
    }
    serde_json::json!({
        "metadata": metadata,
        "podSpec": serde_json::Value::Object(struct_to_json(&pt.pod_spec).unwrap()),
        "primaryContainerName": pt.primary_container_name,
    })
}

#[test]
fn reference_from_pod_template() {
    let data = fixture("pod_templates.json");
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let pt = template(&case["pod_template"]);
        pt.check().unwrap();
        assert_same(id, &from_pod_template_json(&pt), &case["k8s_pod_json"]);
        // flytekit's to_pod_template loses the primary container name; ours keeps it.
        let back = &case["flytekit_to_pod_template"];
        assert_eq!(back["primary_container_name"], "primary", "{id}");
        let back = template(back);
        assert_eq!(back.pod_spec, pt.pod_spec, "{id}");
        assert_eq!(back.labels, pt.labels, "{id}");
        assert_eq!(back.annotations, pt.annotations, "{id}");
    }
    assert_eq!(
        data["to_pod_template_without_metadata"],
        "AttributeError: 'NoneType' object has no attribute 'labels'"
    );
}

#[test]
fn defaults_match_flytekit() {
    let data = fixture("pod_templates.json");
    let defaults = data["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "defaults")
        .unwrap();
    assert_eq!(template(&defaults["pod_template"]), PodTemplate::default());
    assert_eq!(PodTemplate::default().pod_spec, empty_pod_spec());
}

#[test]
fn empty_primary_container_name_is_refused() {
    let pt = PodTemplate {
        primary_container_name: String::new(),
        ..PodTemplate::default()
    };
    assert!(matches!(
        pt.check(),
        Err(K8sError::EmptyPrimaryContainerName)
    ));
}

#[test]
fn primary_container_lookup() {
    let data = fixture("pod_templates.json");
    let full = data["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "full")
        .unwrap();
    let pt = template(&full["pod_template"]);
    assert_eq!(pt.primary_container().map(|(i, _)| i), Some(0));
}
