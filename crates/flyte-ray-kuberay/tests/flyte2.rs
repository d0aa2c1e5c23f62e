//! `render` with `FlyteVersion::V2`: one data-driven test per row of
//! RENDERING.md §18 the renderer implements, each on an input built to
//! trigger it. Flyte 2's Go (flyteorg/flyte main @6fadb90d) was not at
//! hand: every expectation is reasoned from §18 (and, for the functions v2
//! shares with v1, §5 and §7), and the reasoning is written next to it.
//! Every rendered resource also passes KubeRay v1.5.1's CRD (v2 targets
//! 1.6.2, whose schema is not vendored) by both validators.

#![allow(clippy::unwrap_used)]

use flyte_ray_kuberay::{
    ExecutionMetadata, ExtendedResources, FlyteVersion, PluginConfig, RenderError, RenderOptions,
    Rendered, Severity, TaskTemplate,
};
use serde_json::{Value, json};

mod support;

const ACCEL: &str = "k8s.amazonaws.com/accelerator";
const PART: &str = "k8s.amazonaws.com/gpu-partition-size";

fn v2() -> RenderOptions {
    RenderOptions::new(FlyteVersion::V2)
}

fn render_with(
    t: &TaskTemplate,
    m: &ExecutionMetadata,
    c: &PluginConfig,
    o: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let r = flyte_ray_kuberay::render(t, m, c, o)?;
    support::assert_valid(&r, "rendered");
    assert!(!r.has_errors(), "{:#?}", r.findings);
    Ok(r)
}

fn render2(t: &TaskTemplate, m: &ExecutionMetadata, c: &PluginConfig) -> Rendered {
    render_with(t, m, c, &v2()).unwrap()
}

/// A container task; `gpu` adds one GPU to its requests and limits.
fn task_with(custom: Value, gpu: bool, extra: Value) -> TaskTemplate {
    let mut res = vec![json!({"name": "CPU", "value": "1"})];
    if gpu {
        res.push(json!({"name": "GPU", "value": "1"}));
    }
    let mut t = json!({
        "container": {"image": "img", "args": ["a"],
                      "resources": {"requests": res, "limits": res}},
        "custom": custom,
    });
    if let (Value::Object(t), Value::Object(extra)) = (&mut t, extra) {
        t.extend(extra);
    }
    TaskTemplate::from_value(&t).unwrap()
}

fn gpu(device: &str) -> Value {
    json!({"gpuAccelerator": {"device": device}})
}

fn head_spec(r: &Rendered) -> &Value {
    &r.json()["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]
}

fn worker_spec(r: &Rendered, i: usize) -> &Value {
    &r.json()["spec"]["rayClusterSpec"]["workerGroupSpecs"][i]["template"]["spec"]
}

/// The required node selector terms, each as its match expressions.
fn terms(pod: &Value) -> Vec<Vec<Value>> {
    pod.pointer(
        "/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
    )
    .and_then(Value::as_array)
    .map(|ts| {
        ts.iter()
            .map(|t| {
                t["matchExpressions"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    })
    .unwrap_or_default()
}

fn tolerations(pod: &Value) -> Vec<Value> {
    pod["tolerations"].as_array().cloned().unwrap_or_default()
}

fn in_req(key: &str, value: &str) -> Value {
    json!({"key": key, "operator": "In", "values": [value]})
}

fn gpu_tol(key: &str, value: &str) -> Value {
    json!({"key": key, "operator": "Equal", "value": value, "effect": "NoSchedule"})
}

fn volume_names(pod: &Value) -> Vec<String> {
    pod["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect()
}

fn config(yaml: &str) -> PluginConfig {
    PluginConfig::from_yaml(yaml).unwrap()
}

// ---- Per-group extended resources (§18 row "Per-group extended resources") ----

#[test]
fn a_worker_group_accelerator_selects_its_nodes_and_the_head_keeps_none() {
    // The task asks for a GPU but names no accelerator, so stage B adds no
    // selector (§5.2: ApplyGPUNodeSelectors runs only for an accelerator).
    // The worker group sets one: its pod is rebuilt by ToK8sPodSpec with it,
    // so the device and partition requirements go into the one term and
    // the two Equal/NoSchedule tolerations are added (§5.2 step 9 shape).
    // The head sets none and keeps the task's pod: affinity `{}` only.
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
            "extendedResources": {"gpuAccelerator": {"device": "nvidia-tesla-a100", "partitionSize": "1g.5gb"}}}]}}),
        true,
        json!({}),
    );
    let r = render2(&t, &ExecutionMetadata::default(), &PluginConfig::default());
    let w = worker_spec(&r, 0);
    assert_eq!(
        terms(w),
        vec![vec![
            in_req(ACCEL, "nvidia-tesla-a100"),
            in_req(PART, "1g.5gb")
        ]]
    );
    assert_eq!(
        tolerations(w),
        vec![gpu_tol(ACCEL, "nvidia-tesla-a100"), gpu_tol(PART, "1g.5gb")]
    );
    assert_eq!(head_spec(&r)["affinity"], json!({}));
    assert!(tolerations(head_spec(&r)).is_empty());
}

#[test]
fn group_beats_overrides_beats_task_part_by_part() {
    // Task: accelerator t4 and shared memory; overrides: accelerator v100;
    // the worker group: accelerator a100 only. Each part is replaced
    // wholesale by the highest level that sets it: the worker runs on a100
    // (no t4 or v100 requirement anywhere in it) and keeps the task's
    // shared memory (neither the overrides nor the group set one); the
    // head has no group resources, so overrides > task: v100, and the
    // task's shared memory.
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
            "extendedResources": gpu("nvidia-tesla-a100")}]}}),
        true,
        json!({"extendedResources": {
            "gpuAccelerator": {"device": "nvidia-tesla-t4"},
            "sharedMemory": {"mountName": "task-shm", "mountPath": "/dev/shm", "sizeLimit": "1Gi"}}}),
    );
    let mut m = ExecutionMetadata::default();
    m.override_extended_resources =
        Some(serde_json::from_value::<ExtendedResources>(gpu("nvidia-tesla-v100")).unwrap());
    let r = render2(&t, &m, &PluginConfig::default());
    let w = worker_spec(&r, 0);
    assert_eq!(terms(w), vec![vec![in_req(ACCEL, "nvidia-tesla-a100")]]);
    assert_eq!(tolerations(w), vec![gpu_tol(ACCEL, "nvidia-tesla-a100")]);
    assert_eq!(volume_names(w), vec!["task-shm"]);
    let h = head_spec(&r);
    assert_eq!(terms(h), vec![vec![in_req(ACCEL, "nvidia-tesla-v100")]]);
    assert_eq!(tolerations(h), vec![gpu_tol(ACCEL, "nvidia-tesla-v100")]);
    assert_eq!(volume_names(h), vec!["task-shm"]);
}

#[test]
fn a_group_shared_memory_mounts_in_its_ray_container_only() {
    // ApplySharedMemory on the rebuilt pod (§5.2): a Memory emptyDir with
    // the size limit, mounted in the primary container, which the group
    // template then renames ray-head. The worker group has none, so it has
    // no volume at all.
    let t = task_with(
        json!({"rayCluster": {
            "headGroupSpec": {"extendedResources": {"sharedMemory":
                {"mountName": "dshm", "mountPath": "/dev/shm", "sizeLimit": "2Gi"}}},
            "workerGroupSpec": [{"groupName": "w", "replicas": 1}]}}),
        false,
        json!({}),
    );
    let r = render2(&t, &ExecutionMetadata::default(), &PluginConfig::default());
    let h = head_spec(&r);
    assert_eq!(
        h["volumes"],
        json!([{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "2Gi"}}])
    );
    assert_eq!(h["containers"][0]["name"], "ray-head");
    assert_eq!(
        h["containers"][0]["volumeMounts"],
        json!([{"name": "dshm", "mountPath": "/dev/shm"}])
    );
    assert!(worker_spec(&r, 0).get("volumes").is_none());
}

#[test]
fn a_group_shared_memory_without_a_size_is_warned_at_the_group() {
    // §14: Go sets a zero quantity for an empty size limit; the warning
    // names where the shared memory came from, the group.
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
            "extendedResources": {"sharedMemory": {"mountName": "dshm", "mountPath": "/dev/shm"}}}]}}),
        false,
        json!({}),
    );
    let r = render2(&t, &ExecutionMetadata::default(), &PluginConfig::default());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "shared-memory-size-zero")
        .unwrap();
    assert_eq!(
        f.path,
        "custom.rayCluster.workerGroupSpec[0].extendedResources.sharedMemory.sizeLimit"
    );
    assert_eq!(
        worker_spec(&r, 0)["volumes"][0]["emptyDir"]["sizeLimit"],
        "0"
    );
}

#[test]
fn a_group_shared_memory_without_a_mount_name_fails_the_pod_build() {
    // The rebuild is ToK8sPodSpec, whose ApplySharedMemory refuses an empty
    // mount name (§5.2), wrapped as every stage-B error is (§13).
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
            "extendedResources": {"sharedMemory": {"mountPath": "/dev/shm", "sizeLimit": "1Gi"}}}]}}),
        false,
        json!({}),
    );
    let err = flyte_ray_kuberay::render(
        &t,
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &v2(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "[BadTaskSpecification] Unable to create pod spec: [[BadTaskSpecification] mount name is not set]"
    );
}

#[test]
fn flyte_1_cannot_read_group_extended_resources() {
    // flyteidl.plugins.WorkerGroupSpec has no field 7: v1's decoder (unknown
    // fields allowed, §4) skips it, so the worker gets no selector and no
    // volume; the renderer says so.
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
            "extendedResources": {"gpuAccelerator": {"device": "nvidia-tesla-a100"},
                "sharedMemory": {"mountName": "dshm", "mountPath": "/dev/shm", "sizeLimit": "1Gi"}}}]}}),
        true,
        json!({}),
    );
    let r = render_with(
        &t,
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "group-extended-resources-ignored")
        .unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.path,
        "custom.rayCluster.workerGroupSpec[0].extendedResources"
    );
    let w = worker_spec(&r, 0);
    assert!(terms(w).is_empty());
    assert!(w.get("volumes").is_none());
}

#[test]
fn a_device_class_is_reported_as_not_modelled() {
    // v2 also selects by device class (pod_helper.go, not analysed): a
    // group accelerator with a non-default class is rendered by the device
    // label only, and said so.
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
            "extendedResources": {"gpuAccelerator": {"device": "tpu-v5-lite-podslice", "deviceClass": "GOOGLE_TPU"}}}]}}),
        true,
        json!({}),
    );
    let r = render2(&t, &ExecutionMetadata::default(), &PluginConfig::default());
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "device-class-not-modelled"
                && f.path
                    == "custom.rayCluster.workerGroupSpec[0].extendedResources.gpuAccelerator"),
        "{:#?}",
        r.findings
    );
}

// ---- GPU selectors after the overlay (§18 row "GPU selectors") ----

#[test]
fn a_gpu_from_the_overlay_gets_selectors_in_flyte_2_only() {
    // The task names an accelerator but requests no GPU, so stage B adds no
    // selector. The worker overlay requests one: v1 stops there (quirk,
    // `overlay-gpu-no-selector`); v2 re-runs ApplyGPUNodeSelectors on the
    // merged pod, whose limits now hold nvidia.com/gpu.
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
            "k8sPod": {"podSpec": {"containers": [{"name": "ray-worker",
                "resources": {"limits": {"nvidia.com/gpu": "1"}}}]}}}]}}),
        false,
        json!({"extendedResources": gpu("nvidia-tesla-a100")}),
    );
    let m = ExecutionMetadata::default();
    let c = PluginConfig::default();
    let r1 = render_with(&t, &m, &c, &RenderOptions::default()).unwrap();
    assert!(terms(worker_spec(&r1, 0)).is_empty());
    assert!(
        r1.findings
            .iter()
            .any(|f| f.code == "overlay-gpu-no-selector")
    );
    let r2 = render2(&t, &m, &c);
    let w = worker_spec(&r2, 0);
    assert_eq!(terms(w), vec![vec![in_req(ACCEL, "nvidia-tesla-a100")]]);
    assert_eq!(tolerations(w), vec![gpu_tol(ACCEL, "nvidia-tesla-a100")]);
    assert!(
        r2.findings
            .iter()
            .all(|f| f.code != "overlay-gpu-no-selector")
    );
    // The head requests no GPU: nothing.
    assert!(terms(head_spec(&r2)).is_empty());
}

#[test]
fn re_applying_gpu_selectors_is_idempotent() {
    // The task requests a GPU on an unpartitioned a100: stage B adds the
    // device requirement, `DoesNotExist` on the partition label and the
    // device toleration. Re-applying after the (empty) overlay adds nothing
    // twice.
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}]}}),
        true,
        json!({"extendedResources": {"gpuAccelerator": {"device": "nvidia-tesla-a100", "unpartitioned": true}}}),
    );
    let r = render2(&t, &ExecutionMetadata::default(), &PluginConfig::default());
    for pod in [head_spec(&r), worker_spec(&r, 0)] {
        assert_eq!(
            terms(pod),
            vec![vec![
                in_req(ACCEL, "nvidia-tesla-a100"),
                json!({"key": PART, "operator": "DoesNotExist"})
            ]]
        );
        assert_eq!(tolerations(pod), vec![gpu_tol(ACCEL, "nvidia-tesla-a100")]);
    }
}

// ---- ApplyPlatformSchedulingConstraints after the overlay (§18 row "Scheduling after overlay") ----

fn zone_overlay() -> Value {
    json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
        "k8sPod": {"podSpec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
            {"nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["z1"]}]}]}}}}}}]}})
}

const SCHEDULING: &str = r#"
plugins:
  k8s:
    default-affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions:
            - {key: pool, operator: In, values: [ray]}
    non-interruptible-node-selector-requirement: {key: spot, operator: DoesNotExist}
    interruptible-node-selector-requirement: {key: spot, operator: In, values: ["true"]}
    interruptible-node-selector: {lifecycle: spot}
    interruptible-tolerations:
    - {key: spot, operator: Exists, effect: NoSchedule}
"#;

#[test]
fn the_default_affinity_and_non_interruptible_requirement_reach_an_overlay_term() {
    // Stage B: the default affinity's one term, plus the non-interruptible
    // requirement added to it (§5.2 UpdatePod). The overlay's term is
    // appended by mergo (§7: slices append), OR'd with it, so in v1 a pod
    // on any zone-z1 node escapes both (quirk 14.11). v2 re-adds the
    // default-affinity expressions and then the requirement to every term
    // where they are missing: the base term is unchanged, the overlay's
    // term gets both, in that order (the order of stage B).
    let t = task_with(zone_overlay(), false, json!({}));
    let c = config(SCHEDULING);
    let m = ExecutionMetadata::default();
    let pool = in_req("pool", "ray");
    let spot = json!({"key": "spot", "operator": "DoesNotExist"});
    let zone = in_req("zone", "z1");
    let r1 = render_with(&t, &m, &c, &RenderOptions::default()).unwrap();
    assert_eq!(
        terms(worker_spec(&r1, 0)),
        vec![vec![pool.clone(), spot.clone()], vec![zone.clone()]]
    );
    let r2 = render2(&t, &m, &c);
    assert_eq!(
        terms(worker_spec(&r2, 0)),
        vec![
            vec![pool.clone(), spot.clone()],
            vec![zone, pool.clone(), spot.clone()]
        ]
    );
    // The head has no overlay: stage B's term, not doubled.
    assert_eq!(terms(head_spec(&r2)), vec![vec![pool, spot]]);
}

#[test]
fn interruptible_selector_and_tolerations_are_re_applied_once() {
    // Interruptible: stage B merges interruptible-node-selector, adds the
    // interruptible toleration and requirement. The overlay sets the same
    // node-selector key to another value (mergo overrides map keys, §7) and
    // adds a toleration of its own. v2 merges interruptible-node-selector
    // again (so `spot` wins back) and adds the interruptible toleration only
    // if missing: it is there once, the overlay's after it.
    let t = task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1,
            "k8sPod": {"podSpec": {"nodeSelector": {"lifecycle": "ondemand"},
                "tolerations": [{"key": "team", "operator": "Exists"}]}}}]}}),
        false,
        json!({}),
    );
    let c = config(SCHEDULING);
    let mut m = ExecutionMetadata::default();
    m.interruptible = Some(true);
    let spot_tol = json!({"key": "spot", "operator": "Exists", "effect": "NoSchedule"});
    let team_tol = json!({"key": "team", "operator": "Exists"});
    let r1 = render_with(&t, &m, &c, &RenderOptions::default()).unwrap();
    assert_eq!(
        worker_spec(&r1, 0)["nodeSelector"],
        json!({"lifecycle": "ondemand"})
    );
    let r2 = render2(&t, &m, &c);
    let w = worker_spec(&r2, 0);
    assert_eq!(w["nodeSelector"], json!({"lifecycle": "spot"}));
    assert_eq!(tolerations(w), vec![spot_tol.clone(), team_tol]);
    assert_eq!(
        terms(w),
        vec![vec![
            in_req("pool", "ray"),
            json!({"key": "spot", "operator": "In", "values": ["true"]})
        ]]
    );
    assert_eq!(tolerations(head_spec(&r2)), vec![spot_tol]);
}

// ---- Config rows: submissionMode, serviceAccount (§18 rows "Config", "spec.submissionMode", "Submitter") ----

fn plain() -> TaskTemplate {
    task_with(
        json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}]}}),
        false,
        json!({}),
    )
}

#[test]
fn submission_modes_and_the_submitter() {
    // Unset and "" are K8sJobMode, which alone gets the one-container
    // submitter; HTTPMode and SidecarMode have none; spec.submissionMode is
    // always written.
    for (yaml, mode, submitter) in [
        ("{}", "K8sJobMode", true),
        ("plugins: {ray: {submissionMode: ''}}", "K8sJobMode", true),
        (
            "plugins: {ray: {submissionMode: K8sJobMode}}",
            "K8sJobMode",
            true,
        ),
        (
            "plugins: {ray: {submissionMode: HTTPMode}}",
            "HTTPMode",
            false,
        ),
        (
            "plugins: {ray: {submissionMode: SidecarMode}}",
            "SidecarMode",
            false,
        ),
    ] {
        let r = render2(&plain(), &ExecutionMetadata::default(), &config(yaml));
        let spec = &r.json()["spec"];
        assert_eq!(spec["submissionMode"], mode, "{yaml}");
        assert_eq!(
            spec.get("submitterPodTemplate").is_some(),
            submitter,
            "{yaml}"
        );
        if submitter {
            let c = &spec["submitterPodTemplate"]["spec"]["containers"];
            assert_eq!(c.as_array().unwrap().len(), 1);
            assert_eq!(c[0]["name"], "ray-job-submitter");
        }
        assert!(r.findings.iter().all(|f| f.code != "config-key-ignored"));
    }
}

#[test]
fn an_unknown_submission_mode_is_refused_with_go_s_text() {
    // §18: `[BadTaskSpecification] invalid ray submission mode "<x>": must
    // be K8sJobMode, HTTPMode or SidecarMode` (%q of the value). The match
    // is exact: "HttpMode" is not "HTTPMode".
    for (given, quoted) in [("HttpMode", "\"HttpMode\""), ("a\"b", "\"a\\\"b\"")] {
        let mut c = PluginConfig::default();
        c.ray.submission_mode = Some(given.to_owned());
        let err = flyte_ray_kuberay::render(&plain(), &ExecutionMetadata::default(), &c, &v2())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "[BadTaskSpecification] invalid ray submission mode {quoted}: must be K8sJobMode, HTTPMode or SidecarMode"
            )
        );
    }
}

#[test]
fn flyte_1_ignores_the_submission_mode() {
    // v1's config has no such key: the resource keeps KubeRay's default (no
    // spec.submissionMode) and its submitter, and the key is reported.
    let c = config("plugins: {ray: {submissionMode: HTTPMode}}");
    let r = render_with(
        &plain(),
        &ExecutionMetadata::default(),
        &c,
        &RenderOptions::default(),
    )
    .unwrap();
    assert!(r.json()["spec"].get("submissionMode").is_none());
    assert!(r.json()["spec"].get("submitterPodTemplate").is_some());
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "config-key-ignored" && f.path == "plugins.ray.submissionMode")
    );
}

#[test]
fn service_account_task_then_config_then_default() {
    // After the overlay: head and worker SA = the task's if non-empty, else
    // plugins.ray.serviceAccount, whose v2 default is "default"; an overlay
    // SA is overwritten. The submitter has none.
    let overlay = json!({"rayCluster": {
        "headGroupSpec": {"k8sPod": {"podSpec": {"serviceAccountName": "overlay-sa"}}},
        "workerGroupSpec": [{"groupName": "w", "replicas": 1}]}});
    let t = task_with(overlay.clone(), false, json!({}));
    let with_task_sa = task_with(
        overlay,
        false,
        json!({"securityContext": {"runAs": {"k8sServiceAccount": "task-sa"}}}),
    );
    let cfg = config("plugins: {ray: {serviceAccount: ray-sa}}");
    let m = ExecutionMetadata::default();
    for (task, c, want) in [
        (&t, PluginConfig::default(), "default"),
        (&t, cfg.clone(), "ray-sa"),
        (&with_task_sa, cfg, "task-sa"),
    ] {
        let r = render2(task, &m, &c);
        assert_eq!(head_spec(&r)["serviceAccountName"], want);
        assert_eq!(worker_spec(&r, 0)["serviceAccountName"], want);
        assert!(
            r.json()
                .pointer("/spec/submitterPodTemplate/spec/serviceAccountName")
                .is_none()
        );
    }
}

// ---- CR name (§18 row "CR metadata") ----

/// §3.1's hash, written from its description: `f` + RFC 4648 base32
/// (alphabet `a-z1-6`, no padding) of the big-endian 32-bit FNV-1a.
fn hashed(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let alphabet = b"abcdefghijklmnopqrstuvwxyz123456";
    // 4 bytes = 32 bits, padded with 3 zero bits to 7 symbols of 5 bits.
    let bits = u64::from(h) << 3;
    let mut out = String::from("f");
    for i in (0..7).rev() {
        out.push(char::from(alphabet[((bits >> (5 * i)) & 31) as usize]));
    }
    out
}

#[test]
fn the_hash_helper_matches_the_spec_vectors() {
    // §3.1's table: "xx" -> flfryc2i, 24 x -> fuaa3aji.
    assert_eq!(hashed("xx"), "flfryc2i");
    assert_eq!(hashed(&"x".repeat(24)), "fuaa3aji");
}

#[test]
fn the_name_is_the_generated_name_hashed_past_47() {
    // name = FixedLengthUniqueID(generatedName, 47): kept up to 47 bytes,
    // else `f` + 7 base32 symbols. v1 uses a given generated name as is.
    let mut m = ExecutionMetadata::default();
    let kept = "a".repeat(47);
    m.generated_name = Some(kept.clone());
    let r = render2(&plain(), &m, &PluginConfig::default());
    assert_eq!(r.json()["metadata"]["name"], kept.as_str());
    assert!(r.findings.iter().all(|f| f.code != "name-hashed"));

    let long = format!("{}-n0-0", "e".repeat(50));
    m.generated_name = Some(long.clone());
    let r = render2(&plain(), &m, &PluginConfig::default());
    assert_eq!(r.json()["metadata"]["name"], hashed(&long).as_str());
    let f = r.findings.iter().find(|f| f.code == "name-hashed").unwrap();
    assert_eq!(f.path, "execution.generatedName");
    let r1 = flyte_ray_kuberay::render(
        &plain(),
        &m,
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(r1.json()["metadata"]["name"], long.as_str());
}

// ---- The shipped example ----

#[test]
fn the_v2_example_renders_and_passes_the_crd() {
    // examples/ray_task_v2.json: a GPU worker group (the GPU in its
    // overlay, the accelerator and shared memory in its
    // extended_resources). Both the selectors (applied after the overlay
    // because the GPU is the overlay's) and the shared memory land on the
    // worker only.
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/ray_task_v2.json");
    let t = TaskTemplate::from_text(&std::fs::read_to_string(path).unwrap()).unwrap();
    let r = render2(&t, &ExecutionMetadata::default(), &PluginConfig::default());
    let w = worker_spec(&r, 0);
    assert_eq!(
        terms(w),
        vec![vec![
            in_req(ACCEL, "nvidia-tesla-a100"),
            in_req(PART, "1g.5gb")
        ]]
    );
    assert_eq!(volume_names(w), vec!["flyte-shared-memory"]);
    assert!(terms(head_spec(&r)).is_empty());
    assert!(head_spec(&r).get("volumes").is_none());
}

#[test]
fn owner_references_can_be_disabled_in_flyte_2_only() {
    // §18: owner refs skippable with k8sCfg.DisableInjectOwnerReferences
    // (`disable-inject-owner-references`, flytek8s config.go); the finalizer
    // `flyte/flytek8s` stays. v1's plugin always injects the owner reference
    // (§8 step 5) and reports the key as ignored.
    let c = config("plugins: {k8s: {disable-inject-owner-references: true}}");
    let m = ExecutionMetadata::default();
    let r = render2(&plain(), &m, &c);
    let meta = &r.json()["metadata"];
    assert!(meta.get("ownerReferences").is_none(), "{meta:#}");
    assert_eq!(meta["finalizers"], json!(["flyte/flytek8s"]));
    let on = render2(&plain(), &m, &PluginConfig::default());
    assert_eq!(
        on.json()["metadata"]["ownerReferences"][0]["kind"],
        "FlyteWorkflow"
    );
    let r1 = render_with(&plain(), &m, &c, &RenderOptions::default()).unwrap();
    assert_eq!(
        r1.json()["metadata"]["ownerReferences"][0]["kind"],
        "FlyteWorkflow"
    );
    assert!(r1.findings.iter().any(|f| f.code == "config-key-ignored"
        && f.path == "plugins.k8s.disable-inject-owner-references"));
}

#[test]
fn a_task_without_custom_fails_with_each_decoder_s_text() {
    // §18 row "Decode": v2's utils.UnmarshalStruct says `nil Struct Object
    // passed`; v1's UnmarshalStructToPb `nil Struct object passed` (§13).
    let t = TaskTemplate::from_value(&json!({"container": {"image": "img"}})).unwrap();
    let m = ExecutionMetadata::default();
    let c = PluginConfig::default();
    let e2 = flyte_ray_kuberay::render(&t, &m, &c, &v2()).unwrap_err();
    assert_eq!(
        e2.to_string(),
        "[BadTaskSpecification] invalid TaskSpecification [<nil>], Err: [nil Struct Object passed]"
    );
    let e1 = flyte_ray_kuberay::render(&t, &m, &c, &RenderOptions::default()).unwrap_err();
    assert_eq!(
        e1.to_string(),
        "[BadTaskSpecification] invalid TaskSpecification [<nil>], Err: [nil Struct object passed]"
    );
}

#[test]
fn enable_ingress_is_always_true_in_flyte_2() {
    // §18: hard-coded `true`, the config key is gone (reported); v1 reads it.
    let c = config("plugins: {ray: {enableIngress: false}}");
    let m = ExecutionMetadata::default();
    let r = render2(&plain(), &m, &c);
    assert_eq!(
        r.json()["spec"]["rayClusterSpec"]["headGroupSpec"]["enableIngress"],
        true
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "config-key-ignored" && f.path == "plugins.ray.enableIngress")
    );
    let r1 = render_with(
        &plain(),
        &m,
        &config("plugins: {ray: {enableIngress: true}}"),
        &RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(
        r1.json()["spec"]["rayClusterSpec"]["headGroupSpec"]["enableIngress"],
        true
    );
    assert!(r1.findings.iter().all(|f| f.code != "config-key-ignored"));
    let r1 = render_with(&plain(), &m, &c, &RenderOptions::default()).unwrap();
    assert_eq!(
        r1.json()["spec"]["rayClusterSpec"]["headGroupSpec"]["enableIngress"],
        false
    );
}
