//! Resource quantities in a config document.
//!
//! Inside a pod template's pod spec, a string where Kubernetes has a
//! `Quantity` must be one: the API server refuses to decode a pod with any
//! other text there, so the reader refuses it with its path (the SDKs copy
//! it into `custom` unchecked; `extra.jsonl`'s `*-bad-quantity-in-pod-spec`
//! shows them doing so). The SDK-level `requests`/`limits` values are a
//! different matter: both SDKs accept any string there and the golden set
//! depends on it, so those build as the SDK builds them, with a
//! `resource-quantity-invalid` warning.

use flyte_ray_task::{BuildError, ConfigError, Sdk, build_str};

/// A worker whose pod template's pod spec is `spec` (YAML flow text).
fn doc_with_spec(spec: &str) -> String {
    format!(
        "worker_node_config:\n- group_name: w\n  replicas: 1\n  pod_template:\n    pod_spec: {spec}\n"
    )
}

fn refused(doc: &str, sdk: Sdk) -> (String, String) {
    match build_str(doc, sdk) {
        Err(BuildError::Config(ConfigError::Invalid { path, message })) => (path, message),
        other => panic!("want a config error for {doc}, got {other:?}"),
    }
}

const POD_SPEC: &str = "worker_node_config[0].pod_template.pod_spec";

/// Every place of a PodSpec that holds a `Quantity` is checked, whatever
/// struct it sits in (the check is on k8s-openapi's `Quantity` type itself).
#[test]
fn a_bad_quantity_anywhere_in_a_pod_spec_is_an_error_with_its_path() {
    let cases = [
        (
            "{containers: [{name: ray-worker, resources: {limits: {cpu: 2 cores}}}]}",
            "containers[0].resources.limits.cpu",
            "2 cores",
        ),
        (
            "{containers: [{name: a}], initContainers: [{name: i, resources: {requests: {memory: 1GB}}}]}",
            "initContainers[0].resources.requests.memory",
            "1GB",
        ),
        (
            "{containers: [{name: a}], ephemeralContainers: [{name: e, resources: {limits: {nvidia.com/gpu: one}}}]}",
            "ephemeralContainers[0].resources.limits.nvidia.com/gpu",
            "one",
        ),
        (
            "{containers: [{name: a}], overhead: {cpu: 250 m}}",
            "overhead.cpu",
            "250 m",
        ),
        (
            "{containers: [{name: a}], resources: {requests: {cpu: ''}}}",
            "resources.requests.cpu",
            "",
        ),
        (
            "{containers: [{name: a}], volumes: [{name: v, emptyDir: {sizeLimit: 1 Gi}}]}",
            "volumes[0].emptyDir.sizeLimit",
            "1 Gi",
        ),
        (
            "{containers: [{name: a}], volumes: [{name: v, ephemeral: {volumeClaimTemplate: {spec: {resources: {requests: {storage: lots}}}}}}]}",
            "volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests.storage",
            "lots",
        ),
        (
            "{containers: [{name: a, env: [{name: X, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1x}}}]}]}",
            "containers[0].env[0].valueFrom.resourceFieldRef.divisor",
            "1x",
        ),
    ];
    for (spec, inner, value) in cases {
        for sdk in [Sdk::Flytekit, Sdk::Flyte2] {
            let (path, message) = refused(&doc_with_spec(spec), sdk);
            assert_eq!(path, POD_SPEC, "{spec}");
            // Kubernetes' own message (flyte_ray_k8s::parse_quantity).
            let want = format!(
                "{inner}: not a Kubernetes quantity: {value:?}: quantities must match the regular \
                 expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            );
            assert_eq!(message, want, "{spec}");
        }
    }
}

#[test]
fn an_unknown_suffix_is_named_as_such() {
    // `K` matches Kubernetes' split expression but is no suffix (it is `k`).
    let (path, message) = refused(
        &doc_with_spec("{containers: [{name: a, resources: {limits: {memory: 2K}}}]}"),
        Sdk::Flytekit,
    );
    assert_eq!(path, POD_SPEC);
    assert_eq!(
        message,
        "containers[0].resources.limits.memory: not a Kubernetes quantity: \"2K\": unable to parse \
         quantity's suffix"
    );
}

#[test]
fn the_error_names_the_path_through_the_cli_form_too() {
    // `ConfigError`'s Display is what the CLI prints after the file name.
    let doc =
        doc_with_spec("{containers: [{name: ray-worker, resources: {limits: {cpu: 2 cores}}}]}");
    let Err(e) = build_str(&doc, Sdk::Flyte2) else {
        panic!("refused")
    };
    assert!(
        e.to_string().starts_with(
            "worker_node_config[0].pod_template.pod_spec: containers[0].resources.limits.cpu: \
             not a Kubernetes quantity: \"2 cores\""
        ),
        "{e}"
    );
}

#[test]
fn good_quantities_in_a_pod_spec_are_kept_as_written() {
    // Forms of the Kubernetes grammar, none canonical: the SDK keeps the
    // text (the reader must not canonicalize either). Quoted where YAML
    // would read a number (a pod spec holds quantities as strings).
    let spec = "{containers: [{name: ray-worker, resources: {limits: {cpu: 500m, memory: 1.5Gi, \
                nvidia.com/gpu: '1'}, requests: {cpu: '.5', memory: '1e3', ephemeral-storage: +1k}}}], \
                overhead: {cpu: '1E-2'}, volumes: [{name: v, emptyDir: {sizeLimit: '5.'}}]}";
    let built = build_str(&doc_with_spec(spec), Sdk::Flyte2).expect("builds");
    let custom = built.custom_json().expect("json");
    for q in [
        "\"500m\"",
        "\"1.5Gi\"",
        "\".5\"",
        "\"1e3\"",
        "\"+1k\"",
        "\"1E-2\"",
        "\"5.\"",
    ] {
        assert!(custom.contains(q), "{q} in {custom}");
    }
    assert!(
        !built
            .warnings
            .iter()
            .any(|w| w.rule == "resource-quantity-invalid"),
        "{:?}",
        built.warnings
    );
}

/// flytekit and Flyte 2 pass any string in `requests`/`limits` through (the
/// golden set has `""` and free text there, with a `custom`): a bad one
/// builds, as the SDK does, and is a warning with its path.
#[test]
fn a_bad_sdk_level_quantity_is_a_warning_with_its_path() {
    let cases = [
        (
            Sdk::Flytekit,
            "worker_node_config: [{group_name: w, replicas: 1, requests: {cpu: 2 cores}}]",
            "worker_node_config[0].requests.cpu",
            "2 cores",
        ),
        (
            Sdk::Flyte2,
            "worker_node_config: [{group_name: w, replicas: 1, limits: {memory: 1GB}}]",
            "worker_node_config[0].limits.memory",
            "1GB",
        ),
    ];
    for (sdk, doc, path, value) in cases {
        let built = build_str(doc, sdk).expect("the SDK builds it");
        // The value reaches the pod spec as written.
        let custom = built.custom_json().expect("json");
        assert!(custom.contains(&format!("{value:?}")), "{custom}");
        let w: Vec<_> = built
            .warnings
            .iter()
            .filter(|w| w.rule == "resource-quantity-invalid")
            .collect();
        assert_eq!(w.len(), 1, "{:?}", built.warnings);
        assert_eq!(w[0].path, path);
        assert_eq!(
            w[0].to_string(),
            format!(
                "warning: {path}: not a Kubernetes quantity ({value:?}: quantities must match the \
                 regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'); {sdk} writes \
                 it into the spec as it is and Kubernetes refuses the pod that carries it \
                 [resource-quantity-invalid]"
            )
        );
    }
}

#[test]
fn numbers_and_good_strings_give_no_quantity_warning() {
    // Numbers are printed by the SDK (`2` -> 2.0 in flytekit's pod, `str()`
    // in the autoscaler) and always parse; "auto" is Flyte 2's "no size".
    let built = build_str(
        "worker_node_config: [{group_name: w, replicas: 1, requests: {cpu: 2, mem: 1Gi}, limits: {cpu: 0.5}}]",
        Sdk::Flytekit,
    )
    .expect("builds");
    assert!(
        built
            .warnings
            .iter()
            .all(|w| w.rule != "resource-quantity-invalid"),
        "{:?}",
        built.warnings
    );
    let built = build_str(
        "worker_node_config: [{group_name: w, replicas: 1, requests: {cpu: 2, memory: 1Gi, shm: auto, gpu: 'A100:2'}}]",
        Sdk::Flyte2,
    )
    .expect("builds");
    assert!(
        built
            .warnings
            .iter()
            .all(|w| w.rule != "resource-quantity-invalid"),
        "{:?}",
        built.warnings
    );
}
