//! `flyte-ray render` end to end: the shipped example task, output formats,
//! findings on stderr and exit codes.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/ray_task.json")
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("flyte-ray").expect("binary built");
    c.timeout(Duration::from_secs(30));
    c
}

#[test]
fn renders_the_example_task_as_json() {
    let out = cmd()
        .args([
            "render",
            "-o",
            "json",
            "--execution-id",
            "p/d/f3e9c2a1b0d4",
            "--namespace",
            "ns",
        ])
        .arg(example())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let job: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(job["apiVersion"], "ray.io/v1");
    assert_eq!(job["kind"], "RayJob");
    // §3.1: name = execution name - node id - retry.
    assert_eq!(job["metadata"]["name"], "f3e9c2a1b0d4-n0-0");
    assert_eq!(job["metadata"]["namespace"], "ns");
    let head = &job["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["containers"][0];
    assert_eq!(head["name"], "ray-head");
    // The overlay's resources win per key (§7).
    assert_eq!(head["resources"]["limits"]["memory"], "4Gi");
    let worker = &job["spec"]["rayClusterSpec"]["workerGroupSpecs"][0];
    assert_eq!(worker["minReplicas"], 1);
    assert_eq!(worker["maxReplicas"], 4);
    assert_eq!(job["spec"]["runtimeEnvYAML"], "pip:\n- numpy\n- pandas\n");
    // The worker MEMORY_* quirk is always reported.
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning[memory-env-reads-cpu]"));
}

#[test]
fn yaml_is_the_default_output() {
    let out = cmd().arg("render").arg(example()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let job: Value = serde_yaml_ng::from_slice(&out.stdout).unwrap();
    assert_eq!(job["kind"], "RayJob");
}

#[test]
fn no_ray_cluster_is_an_error_not_a_panic() {
    let out = cmd()
        .arg("render")
        .write_stdin(
            r#"{"custom": {"shutdownAfterJobFinishes": true}, "container": {"image": "x"}}"#,
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rayCluster"));
}

#[test]
fn an_error_finding_exits_1() {
    // Config shutdown false with the default TTL 3600: KubeRay rejects it (§6.8).
    let dir = std::env::temp_dir().join(format!("flyte-ray-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("flyte.yaml");
    std::fs::write(
        &cfg,
        "plugins:\n  ray:\n    shutdownAfterJobFinishes: false\n",
    )
    .unwrap();
    let out = cmd()
        .arg("render")
        .arg("--plugin-config")
        .arg(&cfg)
        .write_stdin(r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}]}}"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[ttl-without-shutdown]"));
    assert!(!out.stdout.is_empty());
}

#[test]
fn crd_findings_are_reported_and_exit_1() {
    // An unknown upscalingMode number: Flyte writes "", which the CRD's enum
    // {Default, Aggressive, Conservative} refuses (RENDERING.md §14.10,
    // §15.1). The renderer names the cause; the CRD schema check names
    // the field in the resource.
    let out = cmd()
        .arg("render")
        .write_stdin(
            r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}],
                "autoscalerOptions": {"upscalingMode": 7}}}"#,
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[autoscaler-upscaling-mode-empty]: custom.rayCluster.autoscalerOptions.upscalingMode"), "{stderr}");
    assert!(
        stderr.contains("error[schema.enum]: spec.rayClusterSpec.autoscalerOptions.upscalingMode"),
        "{stderr}"
    );
    // The resource is still printed, for inspection.
    let job: Value = serde_yaml_ng::from_slice(&out.stdout).unwrap();
    assert_eq!(
        job["spec"]["rayClusterSpec"]["autoscalerOptions"]["upscalingMode"],
        ""
    );
}

#[test]
fn the_example_task_has_no_crd_findings() {
    let out = cmd().arg("render").arg(example()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("[schema.") && !stderr.contains("[kuberay."),
        "{stderr}"
    );
}

#[test]
fn renders_the_flyteidl2_example_with_group_extended_resources_as_flyte_2() {
    // examples/ray_task_v2.json: the worker group carries flyteidl2's
    // extended_resources (an A100 with a 1g.5gb partition, 2Gi of shared
    // memory) and requests its GPU in the group overlay. With `--flyte 2`
    // (RENDERING.md §18) the group's pod is rebuilt with them and the GPU
    // selectors are applied after the overlay merge, so the worker (only)
    // gets both requirements, both tolerations and the Memory volume; the
    // head keeps the task's pod. Flyte 1 cannot read the field and says so.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/ray_task_v2.json");
    let out = cmd()
        .args(["render", "--flyte", "2", "-o", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error["), "{stderr}");
    let job: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(job["spec"]["submissionMode"], "K8sJobMode");
    let cluster = &job["spec"]["rayClusterSpec"];
    let worker = &cluster["workerGroupSpecs"][0]["template"]["spec"];
    assert_eq!(
        worker["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"],
        serde_json::json!([{"matchExpressions": [
            {"key": "k8s.amazonaws.com/accelerator", "operator": "In", "values": ["nvidia-tesla-a100"]},
            {"key": "k8s.amazonaws.com/gpu-partition-size", "operator": "In", "values": ["1g.5gb"]}
        ]}])
    );
    assert_eq!(worker["tolerations"].as_array().unwrap().len(), 2);
    assert_eq!(
        worker["volumes"],
        serde_json::json!([{"name": "flyte-shared-memory", "emptyDir": {"medium": "Memory", "sizeLimit": "2Gi"}}])
    );
    assert_eq!(
        worker["containers"][0]["volumeMounts"][0]["mountPath"],
        "/dev/shm"
    );
    let head = &cluster["headGroupSpec"]["template"]["spec"];
    assert_eq!(head["affinity"], serde_json::json!({}));
    assert!(head.get("volumes").is_none());

    let v1 = cmd()
        .args(["render", "-o", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(v1.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&v1.stderr).contains(
            "warning[group-extended-resources-ignored]: custom.rayCluster.workerGroupSpec[0].extendedResources"
        ),
        "{}",
        String::from_utf8_lossy(&v1.stderr)
    );
}
