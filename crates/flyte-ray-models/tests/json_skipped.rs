//! `from_json_reporting` / `from_yaml_reporting`: every key
//! `ignore_unknown_fields` skips, with the path of the message holding it,
//! in document order; the model is exactly what `from_json_with` reads.

use flyte_ray_models::json::{JsonOptions, SkipReason, SkippedField};
use flyte_ray_models::{FlyteIdlEntity, RayJob};

fn lenient() -> JsonOptions {
    JsonOptions::new().ignore_unknown_fields(true)
}

fn keys(skipped: &[SkippedField]) -> Vec<String> {
    skipped.iter().map(SkippedField::key_path).collect()
}

const JSON: &str = r#"{
  "rayCluster": {
    "headGroupSpec": {"k8sPod": {"metadata": {"labelz": {}}, "podSpec": {"unknownToK8s": 1}}},
    "worker_group_spec": [{"groupName": "a", "x": 1}, {"groupName": "b", "y": [1, {"z": 2}]}],
    "autoscalerOptions": {"upscalingMode": "Sideways", "idleTimeoutSeconds": 5}
  },
  "top": null
}"#;

#[test]
fn json_skipped_keys_in_document_order_with_paths() {
    let (job, skipped) = RayJob::from_json_reporting(JSON, &lenient()).expect("reads");
    assert_eq!(
        job,
        RayJob::from_json_with(JSON, &lenient()).expect("reads")
    );
    // The pod spec is a free-form Struct: `unknownToK8s` is kept, not
    // skipped. A list index is in the path; the proto spelling of a field
    // (`worker_group_spec`) is the path as written.
    assert_eq!(
        keys(&skipped),
        [
            "rayCluster.headGroupSpec.k8sPod.metadata.labelz",
            "rayCluster.worker_group_spec[0].x",
            "rayCluster.worker_group_spec[1].y",
            "rayCluster.autoscalerOptions.upscalingMode",
            "top",
        ]
    );
    assert_eq!(
        skipped[0].reason,
        SkipReason::UnknownField {
            message: "flyteidl.core.K8sObjectMetadata"
        }
    );
    assert_eq!(skipped[1].path, "rayCluster.worker_group_spec[0]");
    assert_eq!(skipped[1].key, "x");
    assert_eq!(
        skipped[3].reason,
        SkipReason::UnknownEnumValue {
            enum_name: "flyteidl.plugins.AutoscalerOptions.UpscalingMode",
            value: "Sideways".to_owned()
        }
    );
    // The enum left unset, its sibling read.
    let options = job
        .ray_cluster()
        .and_then(|c| c.autoscaler_options())
        .expect("autoscalerOptions");
    assert_eq!(options.idle_timeout_seconds(), 5);
}

#[test]
fn strict_reading_reports_nothing_and_fails_as_before() {
    let strict = JsonOptions::new();
    let e = RayJob::from_json_reporting(JSON, &strict).expect_err("unknown key");
    let before = RayJob::from_json_with(JSON, &strict).expect_err("unknown key");
    assert_eq!(e.to_string(), before.to_string());
    let (_, skipped) =
        RayJob::from_json_reporting(r#"{"rayCluster": {}}"#, &strict).expect("reads");
    assert!(skipped.is_empty());
}

#[test]
fn yaml_skipped_keys_through_merge_keys() {
    let yaml = "\
base: &base
  groupName: base
  extra: 1
rayCluster:
  workerGroupSpec:
  - <<: *base
    replicas: 2
    replicaz: 3
";
    let (job, skipped) = RayJob::from_yaml_reporting(yaml, &lenient()).expect("reads");
    assert_eq!(
        job,
        RayJob::from_yaml_with(yaml, &lenient()).expect("reads")
    );
    let group = &job.ray_cluster().expect("cluster").worker_group_spec()[0];
    assert_eq!((group.group_name(), group.replicas()), ("base", 2));
    // `base` at the top; `extra` merged in from the anchor (its path says
    // `<<`); `replicaz` in the group itself.
    assert_eq!(
        keys(&skipped),
        [
            "base",
            "rayCluster.workerGroupSpec[0].<<.extra",
            "rayCluster.workerGroupSpec[0].replicaz"
        ]
    );
}
