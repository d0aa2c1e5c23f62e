//! Every finding `render` reports, each fired by an input built to trigger
//! it, with the input path it names (RENDERING.md §14 quirks as warnings,
//! §15 KubeRay/API-server refusals as errors).

#![allow(clippy::unwrap_used)]

use flyte_ray_kuberay::{
    ExecutionMetadata, ExtendedResources, Finding, GpuAccelerator, PluginConfig, RenderOptions,
    Severity, SharedMemory, TaskTemplate,
};
use serde_json::{Value, json};

mod support;

/// `flyte_ray_kuberay::render`, with every rendered resource also checked
/// by `jsonschema` against the CRD: it must agree with the renderer's
/// `schema.*` findings.
fn render(
    t: &TaskTemplate,
    m: &ExecutionMetadata,
    c: &PluginConfig,
    o: &RenderOptions,
) -> Result<flyte_ray_kuberay::Rendered, flyte_ray_kuberay::RenderError> {
    let r = flyte_ray_kuberay::render(t, m, c, o)?;
    support::assert_agree(&r, "rendered");
    Ok(r)
}

fn task(custom: Value) -> TaskTemplate {
    TaskTemplate::from_value(&json!({
        "container": {"image": "img", "args": ["a"],
                      "resources": {"requests": [{"name": "CPU", "value": "1"}], "limits": [{"name": "CPU", "value": "1"}]}},
        "custom": custom,
    }))
    .unwrap()
}

fn cluster() -> Value {
    json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}]}})
}

fn findings_with(t: &TaskTemplate, m: &ExecutionMetadata, c: &PluginConfig) -> Vec<Finding> {
    render(t, m, c, &RenderOptions::default()).unwrap().findings
}

fn findings(t: &TaskTemplate) -> Vec<Finding> {
    findings_with(t, &ExecutionMetadata::default(), &PluginConfig::default())
}

/// The finding with `code`, asserting its severity and path.
fn expect(fs: &[Finding], code: &str, severity: Severity, path: &str) {
    let f = fs
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {fs:#?}"));
    assert_eq!(f.severity, severity, "{f}");
    assert_eq!(f.path, path, "{f}");
}

fn absent(fs: &[Finding], code: &str) {
    assert!(
        fs.iter().all(|f| f.code != code),
        "unexpected {code}: {fs:#?}"
    );
}

#[test]
fn overlay_container_not_named_ray_head_is_dropped() {
    let mut c = cluster();
    c["rayCluster"]["headGroupSpec"] = json!({"k8sPod": {"podSpec": {"containers": [{"name": "ray-head", "image": "x"}, {"name": "sidecar", "image": "y"}]}}});
    let fs = findings(&task(c));
    expect(
        &fs,
        "overlay-container-dropped",
        Severity::Warning,
        "custom.rayCluster.headGroupSpec.k8sPod.podSpec.containers[1]",
    );
    assert!(fs.iter().any(|f| f.message.contains("\"sidecar\"")));
}

#[test]
fn overlay_init_container_without_base_init_containers_is_dropped() {
    let mut c = cluster();
    c["rayCluster"]["workerGroupSpec"][0]["k8sPod"] =
        json!({"podSpec": {"initContainers": [{"name": "init", "image": "y"}]}});
    expect(
        &findings(&task(c)),
        "overlay-container-dropped",
        Severity::Warning,
        "custom.rayCluster.workerGroupSpec[0].k8sPod.podSpec.initContainers[0]",
    );
}

#[test]
fn primary_container_name_of_an_overlay_is_ignored() {
    let mut c = cluster();
    c["rayCluster"]["headGroupSpec"] = json!({"k8sPod": {"primaryContainerName": "main", "podSpec": {"containers": [{"name": "main"}]}}});
    expect(
        &findings(&task(c)),
        "primary-container-name-ignored",
        Severity::Warning,
        "custom.rayCluster.headGroupSpec.k8sPod.primaryContainerName",
    );
}

#[test]
fn memory_env_reads_cpu() {
    expect(
        &findings(&task(cluster())),
        "memory-env-reads-cpu",
        Severity::Warning,
        "custom.rayCluster.workerGroupSpec[0]",
    );
}

#[test]
fn ttl_without_shutdown_is_ignored() {
    let mut c = cluster();
    c["ttlSecondsAfterFinished"] = json!(60);
    let fs = findings(&task(c));
    expect(
        &fs,
        "ttl-ignored",
        Severity::Warning,
        "custom.ttlSecondsAfterFinished",
    );
    let mut c = cluster();
    c["ttlSecondsAfterFinished"] = json!(60);
    c["shutdownAfterJobFinishes"] = json!(true);
    absent(&findings(&task(c)), "ttl-ignored");
}

#[test]
fn config_shutdown_false_with_ttl_is_refused_by_kuberay() {
    let cfg =
        PluginConfig::from_yaml("plugins:\n  ray:\n    shutdownAfterJobFinishes: false\n").unwrap();
    let fs = findings_with(&task(cluster()), &ExecutionMetadata::default(), &cfg);
    expect(
        &fs,
        "ttl-without-shutdown",
        Severity::Error,
        "plugins.ray.shutdownAfterJobFinishes",
    );
}

#[test]
fn long_names_are_hashed() {
    let mut m = ExecutionMetadata::default();
    m.name = "x".repeat(45);
    let fs = findings_with(&task(cluster()), &m, &PluginConfig::default());
    expect(&fs, "name-hashed", Severity::Warning, "execution.name");
    absent(&fs, "name-too-long");
    absent(&fs, "kuberay.name-too-long");
}

#[test]
fn operator_rules_the_renderer_reports_are_reported_once() {
    // 48 characters, not hashed (the execution name is given as the
    // generated name): the renderer's name-too-long, and not KubeRay's
    // operator rule on top.
    let mut m = ExecutionMetadata::default();
    m.generated_name = Some("a".repeat(48));
    let fs = findings_with(&task(cluster()), &m, &PluginConfig::default());
    expect(&fs, "name-too-long", Severity::Error, "metadata.name");
    absent(&fs, "kuberay.name-too-long");
    assert_eq!(
        fs.iter().filter(|f| f.path == "metadata.name").count(),
        1,
        "{fs:#?}"
    );
}

#[test]
fn duplicate_volume_names_are_refused_by_the_crd_check() {
    // A K8sPod task with volume `data`, and a head overlay adding `data`
    // again: mergo appends the volumes (RENDERING.md §7), and the CRD's
    // list-map on volumes (keyed by name, §15.1) makes the API server
    // refuse the second. Only the CRD check sees this.
    let t = TaskTemplate::from_value(&json!({
        "k8sPod": {"podSpec": {
            "containers": [{"name": "main", "image": "img", "args": ["a"]}],
            "volumes": [{"name": "data", "emptyDir": {}}]}},
        "config": {"primary_container_name": "main"},
        "custom": {"rayCluster": {"headGroupSpec": {"k8sPod": {"podSpec": {
            "volumes": [{"name": "data", "emptyDir": {"medium": "Memory"}}]}}}}},
    }))
    .unwrap();
    let fs = findings(&t);
    expect(
        &fs,
        "schema.duplicate",
        Severity::Error,
        "spec.rayClusterSpec.headGroupSpec.template.spec.volumes[1]",
    );
}

#[test]
fn names_starting_with_a_digit_are_refused_by_kuberay() {
    let mut m = ExecutionMetadata::default();
    m.name = "1abc".to_owned();
    expect(
        &findings_with(&task(cluster()), &m, &PluginConfig::default()),
        "name-not-dns1035",
        Severity::Error,
        "metadata.name",
    );
}

#[test]
fn submitter_inherits_gpus() {
    let t = TaskTemplate::from_value(&json!({
        "container": {"image": "img", "resources": {"limits": [{"name": "GPU", "value": "1"}]}},
        "custom": cluster(),
    }))
    .unwrap();
    expect(
        &findings(&t),
        "submitter-inherits-gpu",
        Severity::Warning,
        "container.resources",
    );
    absent(&findings(&task(cluster())), "submitter-inherits-gpu");
}

#[test]
fn autoscaler_without_resources_gets_empty_resources() {
    let mut c = cluster();
    c["rayCluster"]["autoscalerOptions"] = json!({"idleTimeoutSeconds": 30});
    expect(
        &findings(&task(c)),
        "autoscaler-resources-empty",
        Severity::Warning,
        "custom.rayCluster.autoscalerOptions.resources",
    );
}

#[test]
fn bad_autoscaler_resource_is_swallowed() {
    let mut c = cluster();
    c["rayCluster"]["autoscalerOptions"] =
        json!({"resources": {"limits": [{"name": "CPU", "value": "lots"}]}});
    let out = render(
        &task(c),
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    expect(
        &out.findings,
        "autoscaler-resources-swallowed",
        Severity::Warning,
        "custom.rayCluster.autoscalerOptions.resources",
    );
    assert_eq!(
        out.json()["spec"]["rayClusterSpec"]["autoscalerOptions"],
        json!({})
    );
}

#[test]
fn unknown_upscaling_mode_gives_an_empty_mode() {
    let mut c = cluster();
    c["rayCluster"]["autoscalerOptions"] = json!({"upscalingMode": 7});
    let out = render(
        &task(c),
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    expect(
        &out.findings,
        "autoscaler-upscaling-mode-empty",
        Severity::Error,
        "custom.rayCluster.autoscalerOptions.upscalingMode",
    );
    assert_eq!(
        out.json()["spec"]["rayClusterSpec"]["autoscalerOptions"]["upscalingMode"],
        ""
    );
    // And the CRD check names it in the resource: "" is not in the enum
    // {Default, Aggressive, Conservative} (RENDERING.md §15.1).
    expect(
        &out.findings,
        "schema.enum",
        Severity::Error,
        "spec.rayClusterSpec.autoscalerOptions.upscalingMode",
    );
}

#[test]
fn autoscaler_gpu_name_is_hard_coded() {
    let mut c = cluster();
    c["rayCluster"]["autoscalerOptions"] =
        json!({"resources": {"limits": [{"name": "GPU", "value": "1"}]}});
    let cfg =
        PluginConfig::from_yaml("plugins:\n  k8s:\n    gpu-resource-name: amd.com/gpu\n").unwrap();
    expect(
        &findings_with(&task(c), &ExecutionMetadata::default(), &cfg),
        "autoscaler-gpu-name-hardcoded",
        Severity::Warning,
        "custom.rayCluster.autoscalerOptions.resources",
    );
}

#[test]
fn a_task_command_is_kept_for_ray_containers() {
    let t = TaskTemplate::from_value(&json!({"container": {"image": "img", "command": ["python"], "args": ["x.py"]}, "custom": cluster()})).unwrap();
    expect(
        &findings(&t),
        "ray-command-kept",
        Severity::Warning,
        "container.command",
    );
}

#[test]
fn primary_container_not_first() {
    let t = TaskTemplate::from_value(&json!({
        "k8sPod": {"podSpec": {"containers": [{"name": "side", "image": "s"}, {"name": "main", "image": "m"}]}},
        "config": {"primary_container_name": "main"},
        "custom": cluster(),
    }))
    .unwrap();
    expect(
        &findings(&t),
        "ray-container-not-first",
        Severity::Warning,
        "k8sPod.podSpec.containers[1]",
    );
}

#[test]
fn usage_stats_enabled_but_still_disabled() {
    let cfg = PluginConfig::from_yaml("plugins:\n  ray:\n    enableUsageStats: true\n").unwrap();
    expect(
        &findings_with(&task(cluster()), &ExecutionMetadata::default(), &cfg),
        "usage-stats-still-disabled",
        Severity::Warning,
        "plugins.ray.defaults.headNode.startParameters",
    );
}

#[test]
fn empty_start_params_are_still_added() {
    let cfg = PluginConfig::from_yaml("plugins:\n  ray:\n    dashboardHost: \"\"\n").unwrap();
    expect(
        &findings_with(&task(cluster()), &ExecutionMetadata::default(), &cfg),
        "empty-start-param",
        Severity::Warning,
        "plugins.ray.dashboardHost",
    );
}

#[test]
fn zero_pointer_in_overlay_cannot_override() {
    let t = TaskTemplate::from_value(&json!({
        "k8sPod": {"podSpec": {"containers": [{"name": "main", "image": "m"}], "automountServiceAccountToken": true}},
        "config": {"primary_container_name": "main"},
        "custom": {"rayCluster": {"headGroupSpec": {"k8sPod": {"podSpec": {"automountServiceAccountToken": false}}}}},
    }))
    .unwrap();
    expect(
        &findings(&t),
        "overlay-zero-ignored",
        Severity::Warning,
        "custom.rayCluster.headGroupSpec.k8sPod.podSpec.automountServiceAccountToken",
    );
}

#[test]
fn overlay_command_and_prestop_are_appended() {
    let mut c = cluster();
    c["rayCluster"]["workerGroupSpec"][0]["k8sPod"] = json!({"podSpec": {"containers": [{"name": "ray-worker", "command": ["bash"], "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}}}]}});
    let fs = findings(&task(c));
    expect(
        &fs,
        "overlay-command-appended",
        Severity::Warning,
        "custom.rayCluster.workerGroupSpec[0].k8sPod.podSpec.containers[0].command",
    );
    expect(
        &fs,
        "overlay-prestop-appended",
        Severity::Warning,
        "custom.rayCluster.workerGroupSpec[0].k8sPod.podSpec.containers[0].lifecycle.preStop.exec.command",
    );
}

#[test]
fn overlay_affinity_escapes_the_interruptible_requirement() {
    let cfg = PluginConfig::from_yaml("plugins:\n  k8s:\n    non-interruptible-node-selector-requirement: {key: pool, operator: In, values: [on-demand]}\n").unwrap();
    let mut c = cluster();
    c["rayCluster"]["headGroupSpec"] = json!({"k8sPod": {"podSpec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]}}}}}});
    let out = render(
        &task(c),
        &ExecutionMetadata::default(),
        &cfg,
        &RenderOptions::default(),
    )
    .unwrap();
    expect(
        &out.findings,
        "overlay-affinity-escapes",
        Severity::Warning,
        "custom.rayCluster.headGroupSpec.k8sPod.podSpec.affinity.nodeAffinity",
    );
    // The terms are OR'd: the overlay's term has no `pool` requirement.
    let terms = &out.json()["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["affinity"]
        ["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
    assert_eq!(terms.as_array().unwrap().len(), 2);
}

#[test]
fn gpu_only_in_overlay_gets_no_selector() {
    let mut c = cluster();
    c["rayCluster"]["headGroupSpec"] = json!({"k8sPod": {"podSpec": {"containers": [{"name": "ray-head", "resources": {"limits": {"nvidia.com/gpu": 1}}}]}}});
    let mut t = task(c);
    let mut ext = ExtendedResources::default();
    let mut acc = GpuAccelerator::default();
    acc.device = "nvidia-tesla-t4".to_owned();
    ext.gpu_accelerator = Some(acc);
    t.extended_resources = Some(ext);
    expect(
        &findings(&t),
        "overlay-gpu-no-selector",
        Severity::Warning,
        "custom.rayCluster.headGroupSpec.k8sPod.podSpec.containers[0].resources.limits",
    );
}

#[test]
fn shared_memory_without_size_limit() {
    let mut t = task(cluster());
    let mut ext = ExtendedResources::default();
    let mut shm = SharedMemory::default();
    shm.mount_name = "shm".to_owned();
    shm.mount_path = "/dev/shm".to_owned();
    ext.shared_memory = Some(shm);
    t.extended_resources = Some(ext);
    let out = render(
        &t,
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    expect(
        &out.findings,
        "shared-memory-size-zero",
        Severity::Warning,
        "extendedResources.sharedMemory.sizeLimit",
    );
    assert_eq!(
        out.json()["spec"]["submitterPodTemplate"]["spec"]["volumes"],
        json!([{"name": "shm", "emptyDir": {"medium": "Memory", "sizeLimit": "0"}}])
    );
}

#[test]
fn case_insensitive_pod_spec_keys() {
    let mut c = cluster();
    c["rayCluster"]["headGroupSpec"] = json!({"k8sPod": {"podSpec": {"ServiceAccountName": "sa"}}});
    let out = render(
        &task(c),
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    expect(
        &out.findings,
        "case-insensitive-key",
        Severity::Warning,
        "custom.rayCluster.headGroupSpec.k8sPod.podSpec.ServiceAccountName",
    );
    assert_eq!(
        out.json()["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["serviceAccountName"],
        "sa"
    );
}

#[test]
fn replicas_are_clamped() {
    let c = json!({"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 3, "minReplicas": 5, "maxReplicas": 1}]}});
    let out = render(
        &task(c),
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    expect(
        &out.findings,
        "replicas-clamped",
        Severity::Warning,
        "custom.rayCluster.workerGroupSpec[0]",
    );
    let w = &out.json()["spec"]["rayClusterSpec"]["workerGroupSpecs"][0];
    assert_eq!(
        (w["minReplicas"].clone(), w["maxReplicas"].clone()),
        (json!(3), json!(3))
    );
}

#[test]
fn random_container_name_fallback() {
    let mut m = ExecutionMetadata::default();
    m.generated_name = Some("Not_A_Label".to_owned());
    expect(
        &findings_with(&task(cluster()), &m, &PluginConfig::default()),
        "random-container-name",
        Severity::Warning,
        "execution.generatedName",
    );
}

#[test]
fn duplicate_env_is_refused() {
    let t = TaskTemplate::from_value(&json!({"container": {"image": "img", "env": [{"key": "MY_POD_IP", "value": "x"}]}, "custom": cluster()})).unwrap();
    expect(
        &findings(&t),
        "duplicate-env",
        Severity::Error,
        "spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].env",
    );
    // The CRD's list-map rule on env (keyed by name) names the second one:
    // the container's own MY_POD_IP is first, Flyte's appended one later.
    let fs = findings(&t);
    let dup = fs
        .iter()
        .find(|f| f.code == "schema.duplicate")
        .unwrap_or_else(|| panic!("no schema.duplicate in {fs:#?}"));
    assert!(
        dup.path
            .starts_with("spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].env["),
        "{dup}"
    );
}

#[test]
fn duplicate_port_is_refused() {
    let mut c = cluster();
    c["rayCluster"]["headGroupSpec"] = json!({"k8sPod": {"podSpec": {"containers": [{"name": "ray-head", "ports": [{"containerPort": 8265}]}]}}});
    expect(
        &findings(&task(c)),
        "duplicate-port",
        Severity::Error,
        "spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].ports",
    );
}

#[test]
fn labels_start_param_is_refused() {
    let c = json!({"rayCluster": {"headGroupSpec": {"rayStartParams": {"labels": "a=b"}}}});
    expect(
        &findings(&task(c)),
        "ray-start-param-labels",
        Severity::Error,
        "custom.rayCluster.headGroupSpec.rayStartParams.labels",
    );
}

#[test]
fn autoscaler_v2_env_without_autoscaling_is_refused() {
    let t = TaskTemplate::from_value(&json!({"container": {"image": "img", "env": [{"key": "RAY_enable_autoscaler_v2", "value": "1"}]}, "custom": cluster()})).unwrap();
    expect(
        &findings(&t),
        "autoscaler-v2-without-autoscaling",
        Severity::Error,
        "custom.rayCluster.enableAutoscaling",
    );
}

#[test]
fn runtime_env_yaml_must_parse() {
    let mut c = cluster();
    c["runtimeEnvYaml"] = json!("pip: [unclosed");
    expect(
        &findings(&task(c)),
        "runtime-env-yaml-invalid",
        Severity::Error,
        "custom.runtimeEnvYaml",
    );
}

#[test]
fn ignored_config_keys_are_reported() {
    let cfg = PluginConfig::from_yaml("plugins:\n  k8s:\n    delete-resource-on-finalize: true\n")
        .unwrap();
    expect(
        &findings_with(&task(cluster()), &ExecutionMetadata::default(), &cfg),
        "config-key-ignored",
        Severity::Warning,
        "plugins.k8s.delete-resource-on-finalize",
    );
}

#[test]
fn kubernetes_1_34_pod_fields_are_reported_not_dropped_silently() {
    // `hostnameOverride` is a PodSpec field of Kubernetes 1.34 (Flyte's Go
    // types and KubeRay 1.5.1's CRD have it); k8s-openapi's 1.33 types, the
    // typed output's, do not, so the typed RayJob cannot write it: an error
    // naming the field, with what Go would write.
    let mut c = cluster();
    c["rayCluster"]["headGroupSpec"] =
        json!({"k8sPod": {"podSpec": {"hostnameOverride": "my-host"}}});
    let fs = findings(&task(c));
    expect(
        &fs,
        "typed-output-differs",
        Severity::Error,
        "spec.rayClusterSpec.headGroupSpec.template.spec.hostnameOverride",
    );
    let f = fs
        .iter()
        .find(|f| f.code == "typed-output-differs")
        .unwrap();
    assert!(f.message.contains("\"my-host\""), "{f}");
}
