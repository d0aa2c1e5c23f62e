//! KubeRay's operator rules (RENDERING.md §15.3), each on an input built to
//! break it, starting from the worked example of §17 with stage D's name.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use flyte_ray_kuberay_api::operator::*;
use flyte_ray_kuberay_api::{Finding, Severity, check_operator};
use serde_json::{Value, json};

const T1A: &str = include_str!("data/rendering_17_t1a.json");

fn base() -> Value {
    let mut doc: Value = serde_json::from_str(T1A).unwrap();
    doc["metadata"] = json!({"name": "some-acceptable-name", "namespace": "test-namespace"});
    doc
}

fn only(findings: &[Finding], rule: &str, path: &str) {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].rule, rule, "{findings:#?}");
    assert_eq!(findings[0].path, path, "{findings:#?}");
    assert_eq!(findings[0].severity, Severity::Error);
}

const HEAD: &str = "spec.rayClusterSpec.headGroupSpec";
const WORKER0: &str = "spec.rayClusterSpec.workerGroupSpecs[0]";

#[test]
fn the_worked_example_passes() {
    assert_eq!(check_operator(&base()), []);
}

#[test]
fn name_length_and_grammar() {
    // 47 characters is the limit; 48 is refused.
    let mut doc = base();
    doc["metadata"]["name"] = json!("a".repeat(47));
    assert_eq!(check_operator(&doc), []);
    doc["metadata"]["name"] = json!("a".repeat(48));
    only(&check_operator(&doc), NAME_TOO_LONG, "metadata.name");
    // DNS-1035: a letter first, no upper case, no underscore, not empty.
    for bad in ["1abc", "Abc", "a_b", "abc-", ""] {
        doc["metadata"]["name"] = json!(bad);
        only(&check_operator(&doc), NAME_NOT_DNS1035, "metadata.name");
    }
    // Before stage D (§17 as printed) there is no name at all.
    let doc: Value = serde_json::from_str(T1A).unwrap();
    only(&check_operator(&doc), NAME_NOT_DNS1035, "metadata.name");
}

#[test]
fn ttl_rules() {
    let mut doc = base();
    doc["spec"]["ttlSecondsAfterFinished"] = json!(-1);
    only(
        &check_operator(&doc),
        TTL_NEGATIVE,
        "spec.ttlSecondsAfterFinished",
    );
    doc["spec"]["ttlSecondsAfterFinished"] = json!(120);
    doc["spec"]
        .as_object_mut()
        .unwrap()
        .remove("shutdownAfterJobFinishes");
    only(
        &check_operator(&doc),
        TTL_WITHOUT_SHUTDOWN,
        "spec.ttlSecondsAfterFinished",
    );
    // TTL 0 (omitted) without shutdown is fine.
    doc["spec"]
        .as_object_mut()
        .unwrap()
        .remove("ttlSecondsAfterFinished");
    assert_eq!(check_operator(&doc), []);
}

#[test]
fn cluster_spec_and_containers() {
    let mut doc = base();
    doc["spec"]
        .as_object_mut()
        .unwrap()
        .remove("rayClusterSpec");
    only(
        &check_operator(&doc),
        NO_CLUSTER_SPEC,
        "spec.rayClusterSpec",
    );

    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"] =
        json!([]);
    only(
        &check_operator(&doc),
        NO_CONTAINERS,
        &format!("{WORKER0}.template.spec.containers"),
    );
    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["headGroupSpec"]["template"] = json!({});
    only(
        &check_operator(&doc),
        NO_CONTAINERS,
        &format!("{HEAD}.template.spec.containers"),
    );
}

#[test]
fn start_params_labels_and_group_labels() {
    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]["rayStartParams"]["labels"] = json!("a=b");
    only(
        &check_operator(&doc),
        START_PARAMS_LABELS,
        &format!("{WORKER0}.rayStartParams.labels"),
    );
    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["headGroupSpec"]["labels"] =
        json!({"example.com/ok": "v", "ray.io/zone": "us-1"});
    assert_eq!(check_operator(&doc), []);
    doc["spec"]["rayClusterSpec"]["headGroupSpec"]["labels"] = json!({"bad key!": "v"});
    only(
        &check_operator(&doc),
        GROUP_LABEL,
        &format!("{HEAD}.labels[\"bad key!\"]"),
    );
    doc["spec"]["rayClusterSpec"]["headGroupSpec"]["labels"] = json!({"k": "-starts-with-dash"});
    only(
        &check_operator(&doc),
        GROUP_LABEL,
        &format!("{HEAD}.labels.k"),
    );
    doc["spec"]["rayClusterSpec"]["headGroupSpec"]["labels"] = json!({"k": "x".repeat(64)});
    only(
        &check_operator(&doc),
        GROUP_LABEL,
        &format!("{HEAD}.labels.k"),
    );
}

#[test]
fn resource_start_params_with_group_resources() {
    let mut doc = base();
    // The head has num-cpus in rayStartParams (§17); a resources map conflicts.
    doc["spec"]["rayClusterSpec"]["headGroupSpec"]["resources"] = json!({"CPU": "1"});
    only(
        &check_operator(&doc),
        RESOURCES_CONFLICT,
        &format!("{HEAD}.rayStartParams.num-cpus"),
    );
    // The workers have no resource start parameters: no conflict.
    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]["resources"] = json!({"CPU": "1"});
    assert_eq!(check_operator(&doc), []);
}

fn set_head_env(doc: &mut Value, value: &str) -> String {
    let env =
        doc["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["containers"][0]["env"]
            .as_array_mut()
            .unwrap();
    env.push(json!({"name": "RAY_enable_autoscaler_v2", "value": value}));
    format!("{HEAD}.template.spec.containers[0].env[{}]", env.len() - 1)
}

#[test]
fn autoscaler_v2_rules() {
    // v2 env on with in-tree autoscaling off.
    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["enableInTreeAutoscaling"] = json!(false);
    let at = set_head_env(&mut doc, "true");
    only(
        &check_operator(&doc),
        AUTOSCALER_V2_WITHOUT_AUTOSCALING,
        &at,
    );
    // ... "0" is off, so fine.
    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["enableInTreeAutoscaling"] = json!(false);
    set_head_env(&mut doc, "0");
    assert_eq!(check_operator(&doc), []);

    // Enabled (§17 has enableInTreeAutoscaling: true): version and the env
    // var together are refused.
    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["autoscalerOptions"] = json!({"version": "v1"});
    set_head_env(&mut doc, "1");
    only(
        &check_operator(&doc),
        AUTOSCALER_VERSION_TWICE,
        "spec.rayClusterSpec.autoscalerOptions.version",
    );

    // v2 needs restartPolicy Never (or unset) in every group.
    let mut doc = base();
    doc["spec"]["rayClusterSpec"]["autoscalerOptions"] = json!({"version": "v2"});
    assert_eq!(check_operator(&doc), []);
    doc["spec"]["rayClusterSpec"]["workerGroupSpecs"][0]["template"]["spec"]["restartPolicy"] =
        json!("Always");
    only(
        &check_operator(&doc),
        AUTOSCALER_V2_RESTART_POLICY,
        &format!("{WORKER0}.template.spec.restartPolicy"),
    );
    // With v1, any restartPolicy is fine.
    doc["spec"]["rayClusterSpec"]["autoscalerOptions"] = json!({"version": "v1"});
    assert_eq!(check_operator(&doc), []);
}

#[test]
fn runtime_env_yaml_must_parse() {
    let mut doc = base();
    doc["spec"]["runtimeEnvYAML"] = json!("pip:\n- numpy\nenv_vars:\n  A: \"1\"\n");
    assert_eq!(check_operator(&doc), []);
    doc["spec"]["runtimeEnvYAML"] = json!("pip: [numpy\n");
    only(
        &check_operator(&doc),
        RUNTIME_ENV_YAML,
        "spec.runtimeEnvYAML",
    );
}

#[test]
fn findings_print_path_message_and_rule() {
    let mut doc = base();
    doc["metadata"]["name"] = json!("a".repeat(48));
    let f = &check_operator(&doc)[0];
    assert_eq!(
        f.to_string(),
        format!(
            "error: metadata.name: {:?} is 48 characters long; KubeRay allows at most 47 [kuberay.name-too-long]",
            "a".repeat(48)
        )
    );
}

#[test]
fn wrong_types_do_not_panic() {
    for doc in [
        json!(null),
        json!([]),
        json!({"spec": 1}),
        json!({"metadata": {"name": 5}, "spec": {"rayClusterSpec": {"headGroupSpec": 1, "workerGroupSpecs": {}}}}),
        json!({"spec": {"rayClusterSpec": {"enableInTreeAutoscaling": true, "autoscalerOptions": {"version": 2},
            "headGroupSpec": {"template": {"spec": {"containers": [{"env": [1, {"name": "RAY_enable_autoscaler_v2"}]}]}}}}}}),
    ] {
        let _ = check_operator(&doc);
        let _ = flyte_ray_kuberay_api::check_schema(&doc);
    }
}
