//! The upstream Go tests of flyteplugins' Ray plugin (flyte @89cf9cc7,
//! `ray_test.go`, `sharedconfig_repro_test.go`, `config_test.go`) as a peer
//! suite, with the fixtures and global state RENDERING.md §16.0 lists and
//! every expectation §16.1, §16.2, §16.3 and §16.4 give. The phase and
//! log-link tests (T17–T25, §16.3) go through `flyte_ray_kuberay::status`
//! (module `phase_and_logs` at the end).
//!
//! Tests T2, T3, T4, T12–T14 also check the values §16 marks "derived".

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use flyte_ray_kuberay::{
    ExecutionMetadata, ExtendedResources, GpuAccelerator, K8sConfig, PluginConfig, RayConfig,
    RenderOptions, Rendered, TaskTemplate,
};
use serde_json::{Value, json};

mod support;

/// `flyte_ray_kuberay::render`, with every rendered resource also checked
/// against the CRD by `jsonschema` and the renderer's schema checks: every
/// case of the peer suite passes it.
fn render(
    t: &TaskTemplate,
    m: &ExecutionMetadata,
    c: &PluginConfig,
    o: &RenderOptions,
) -> Result<flyte_ray_kuberay::Rendered, flyte_ray_kuberay::RenderError> {
    let r = flyte_ray_kuberay::render(t, m, c, o)?;
    support::assert_valid(&r, "peer case");
    Ok(r)
}

// ---- fixtures (§16.0) -------------------------------------------------------

fn resource_requirements() -> Value {
    json!({"limits": {"cpu": "1000m", "memory": "1Gi", "nvidia.com/gpu": "1"},
           "requests": {"cpu": "100m", "memory": "512Mi", "nvidia.com/gpu": "1"}})
}

fn dummy_ray_custom() -> Value {
    json!({"rayCluster": {"headGroupSpec": {"rayStartParams": {"num-cpus": "1"}},
                          "workerGroupSpec": [{"groupName": "worker-group", "replicas": 3, "minReplicas": 3, "maxReplicas": 3}],
                          "enableAutoscaling": true},
           "shutdownAfterJobFinishes": true, "ttlSecondsAfterFinished": 120})
}

fn dummy_template(custom: Value) -> TaskTemplate {
    TaskTemplate::from_value(&json!({
        "id": {"name": "ray-id"}, "type": "container",
        "container": {"image": "image://", "args": ["test-args"], "env": [{"key": "Env_Var", "value": "Env_Val"}]},
        "custom": custom,
    }))
    .unwrap()
}

fn ctx(
    resources: Value,
    ext: Option<ExtendedResources>,
    image: &str,
    sa: &str,
) -> ExecutionMetadata {
    let mut m = ExecutionMetadata::default();
    m.generated_name = Some("some-acceptable-name".to_owned());
    m.name = "my_name".to_owned();
    m.project = "my_project".to_owned();
    m.domain = "my_domain".to_owned();
    m.namespace = Some("test-namespace".to_owned());
    m.labels = BTreeMap::from([("label-1".to_owned(), "val1".to_owned())]);
    m.annotations = BTreeMap::from([("annotation-1".to_owned(), "val1".to_owned())]);
    m.owner_reference = Some(json!({"apiVersion": "", "kind": "node", "name": "blah", "uid": ""}));
    m.interruptible = Some(true);
    m.override_resources = Some(resources);
    m.override_extended_resources = ext;
    m.override_container_image = image.to_owned();
    m.k8s_service_account = sa.to_owned();
    m.run_as_service_account = Some(sa.to_owned());
    m.platform_resources = Some(json!({}));
    m.input_path = Some("/input".to_owned());
    m.input_prefix = Some("/input/prefix".to_owned());
    m.output_prefix = Some("/data/".to_owned());
    m.raw_output_prefix = Some(String::new());
    m.checkpoint_prefix = Some("/checkpoint".to_owned());
    m.prev_checkpoint_prefix = "/prev".to_owned();
    m
}

fn storage_toleration() -> Value {
    json!({"key": "storage", "value": "dedicated", "operator": "Exists", "effect": "NoSchedule"})
}

fn k8s_with_tolerations() -> K8sConfig {
    let mut k = K8sConfig::zero();
    k.default_tolerations = vec![storage_toleration()];
    k
}

fn config(ray: RayConfig, k8s: K8sConfig) -> PluginConfig {
    let mut c = PluginConfig::default();
    c.ray = ray;
    c.k8s = k8s;
    c
}

fn run(t: &TaskTemplate, m: &ExecutionMetadata, c: &PluginConfig) -> Rendered {
    render(t, m, c, &RenderOptions::default()).expect("renders")
}

fn head(r: &Rendered) -> &Value {
    &r.json()["spec"]["rayClusterSpec"]["headGroupSpec"]
}

fn worker(r: &Rendered, i: usize) -> &Value {
    &r.json()["spec"]["rayClusterSpec"]["workerGroupSpecs"][i]
}

fn container<'a>(group: &'a Value, name: &str) -> &'a Value {
    group["template"]["spec"]["containers"]
        .as_array()
        .and_then(|l| l.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no container {name} in {group}"))
}

fn env_map(c: &Value) -> BTreeMap<String, Value> {
    c["env"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["name"].as_str().unwrap_or_default().to_owned(),
                e.get("value").cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

// ---- §16.1 -----------------------------------------------------------------

#[test]
fn t1_build_resource_ray() {
    let c = config(RayConfig::default(), k8s_with_tolerations());
    let r = run(
        &dummy_template(dummy_ray_custom()),
        &ctx(resource_requirements(), None, "", "ray_sa"),
        &c,
    );
    let spec = &r.json()["spec"];
    assert_eq!(spec["rayClusterSpec"]["enableInTreeAutoscaling"], true);
    assert_eq!(spec["shutdownAfterJobFinishes"], true);
    assert_eq!(spec["ttlSecondsAfterFinished"], 120);
    let h = head(&r);
    assert_eq!(h["template"]["spec"]["serviceAccountName"], "ray_sa");
    assert_eq!(
        h["rayStartParams"],
        json!({"dashboard-host": "0.0.0.0", "disable-usage-stats": "true", "include-dashboard": "true", "node-ip-address": "$MY_POD_IP", "num-cpus": "1"})
    );
    assert_eq!(
        h["template"]["metadata"]["annotations"],
        json!({"annotation-1": "val1"})
    );
    assert_eq!(
        h["template"]["metadata"]["labels"],
        json!({"label-1": "val1"})
    );
    assert_eq!(
        h["template"]["spec"]["tolerations"],
        json!([storage_toleration()])
    );
    let w = worker(&r, 0);
    assert_eq!(
        (
            w["replicas"].clone(),
            w["minReplicas"].clone(),
            w["maxReplicas"].clone()
        ),
        (json!(3), json!(3), json!(3))
    );
    assert_eq!(w["groupName"], "worker-group");
    assert_eq!(w["template"]["spec"]["serviceAccountName"], "ray_sa");
    assert_eq!(
        w["rayStartParams"],
        json!({"disable-usage-stats": "true", "node-ip-address": "$MY_POD_IP"})
    );
    assert_eq!(
        w["template"]["metadata"]["annotations"],
        json!({"annotation-1": "val1"})
    );
    assert_eq!(
        w["template"]["metadata"]["labels"],
        json!({"label-1": "val1"})
    );
    assert_eq!(
        w["template"]["spec"]["tolerations"],
        json!([storage_toleration()])
    );

    // (b) sa "" -> the config's service account "" (omitted).
    let r = run(
        &dummy_template(dummy_ray_custom()),
        &ctx(resource_requirements(), None, "", ""),
        &c,
    );
    assert_eq!(head(&r)["template"]["spec"].get("serviceAccountName"), None);
}

#[test]
fn t2_enable_ingress() {
    for x in [true, false] {
        let mut ray = RayConfig::zero();
        ray.enable_ingress = x;
        let c = config(ray, K8sConfig::zero());
        let r = run(
            &dummy_template(dummy_ray_custom()),
            &ctx(resource_requirements(), None, "", "ray_sa"),
            &c,
        );
        assert_eq!(head(&r)["enableIngress"], x);
        // Derived (§16.1 T2).
        assert_eq!(
            head(&r)["rayStartParams"],
            json!({"num-cpus": "1", "include-dashboard": "false", "node-ip-address": "", "dashboard-host": "", "disable-usage-stats": "true"})
        );
        assert_eq!(
            worker(&r, 0)["rayStartParams"],
            json!({"node-ip-address": "", "disable-usage-stats": "true"})
        );
        assert_eq!(head(&r).get("serviceType"), None);
        assert_eq!(r.json()["spec"]["ttlSecondsAfterFinished"], 120);
        assert_eq!(r.json()["spec"]["shutdownAfterJobFinishes"], true);
    }
}

#[test]
fn t3_container_image() {
    let c = config(RayConfig::default(), K8sConfig::zero());
    let res = json!({"limits": {"nvidia.com/gpu": "1"}});
    for (image, want) in [
        ("", "image://"),
        ("container-image-override", "container-image-override"),
    ] {
        let r = run(
            &dummy_template(dummy_ray_custom()),
            &ctx(res.clone(), None, image, "ray_sa"),
            &c,
        );
        let h = container(head(&r), "ray-head");
        let w = container(worker(&r, 0), "ray-worker");
        assert_eq!(h["image"], want);
        assert_eq!(w["image"], want);
        // Derived: zero defaults written; the GPU request is not filled (gpu-resource-name is "").
        assert_eq!(
            h["resources"],
            json!({"limits": {"cpu": "0", "memory": "0", "nvidia.com/gpu": "1"}, "requests": {"cpu": "0", "memory": "0"}})
        );
    }
}

#[test]
fn t4_entrypoint_preserves_empty_args() {
    let c = config(RayConfig::default(), K8sConfig::zero());
    let args = [
        "pyflyte-map-execute",
        "--resolver",
        "ArrayNodeMapTaskResolver",
        "--",
        "vars",
        "",
        "resolver",
        "default_task_resolver",
        "task-module",
        "some_module",
        "task-name",
        "some_task",
    ];
    let mut t = dummy_template(dummy_ray_custom());
    if let Some(cn) = t.container.as_mut() {
        cn.args = args.iter().map(|s| (*s).to_owned()).collect();
    }
    let r = run(&t, &ctx(resource_requirements(), None, "", "ray_sa"), &c);
    let ep = r.json()["spec"]["entrypoint"].as_str().unwrap();
    assert!(ep.contains("vars '' resolver"), "{ep}");
    assert_eq!(
        ep,
        "pyflyte-map-execute --resolver ArrayNodeMapTaskResolver -- vars '' resolver default_task_resolver task-module some_module task-name some_task"
    );
    // The submitter keeps "".
    assert_eq!(
        r.json()["spec"]["submitterPodTemplate"]["spec"]["containers"][0]["args"][5],
        ""
    );
}

#[test]
fn t5_disables_log_noise() {
    let c = config(RayConfig::default(), K8sConfig::zero());
    let r = run(
        &dummy_template(dummy_ray_custom()),
        &ctx(resource_requirements(), None, "", "ray_sa"),
        &c,
    );
    assert!(
        !r.json()["spec"]["rayClusterSpec"]["workerGroupSpecs"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for (var, val) in [
        ("RAY_COLOR_PREFIX", "0"),
        ("RAY_DATA_DISABLE_PROGRESS_BARS", "1"),
    ] {
        assert_eq!(env_map(container(head(&r), "ray-head"))[var], val);
        assert_eq!(env_map(container(worker(&r, 0), "ray-worker"))[var], val);
    }
}

#[test]
fn t6_build_pod_template_overlay() {
    // T6 calls the builders directly; the same overlay through the whole
    // render gives the four asserted values on head and worker.
    let c = config(RayConfig::default(), K8sConfig::zero());
    let overlay = json!({"podSpec": {"tolerations": [{"key": "gpu-node-label", "value": "nvidia-tesla-t4", "operator": "Equal", "effect": "NoSchedule"}], "serviceAccountName": "custom-sa"},
                         "metadata": {"labels": {"new-label-1": "val1"}, "annotations": {"new-annotation-1": "val1"}}});
    let mut custom = dummy_ray_custom();
    custom["rayCluster"]["headGroupSpec"]["k8sPod"] = overlay.clone();
    custom["rayCluster"]["workerGroupSpec"][0]["k8sPod"] = overlay;
    let r = run(
        &dummy_template(custom),
        &ctx(
            json!({"limits": {"nvidia.com/gpu": "1"}}),
            None,
            "container-imag",
            "ray_sa",
        ),
        &c,
    );
    for g in [head(&r), worker(&r, 0)] {
        assert_eq!(
            g["template"]["spec"]["tolerations"],
            json!([{"key": "gpu-node-label", "value": "nvidia-tesla-t4", "operator": "Equal", "effect": "NoSchedule"}])
        );
        assert_eq!(
            g["template"]["metadata"]["labels"],
            json!({"label-1": "val1", "new-label-1": "val1"})
        );
        assert_eq!(
            g["template"]["metadata"]["annotations"],
            json!({"annotation-1": "val1", "new-annotation-1": "val1"})
        );
        assert_eq!(g["template"]["spec"]["serviceAccountName"], "custom-sa");
    }
}

#[test]
fn t7_extended_resources() {
    let mut k = K8sConfig::zero();
    k.gpu_device_node_label = "gpu-node-label".to_owned();
    k.gpu_partition_size_node_label = "gpu-partition-size".to_owned();
    k.gpu_resource_name = "nvidia.com/gpu".to_owned();
    k.add_tolerations_for_extended_resources = vec!["nvidia.com/gpu".to_owned()];
    let c = config(RayConfig::default(), k);
    let gpu_tol = json!({"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"});
    let mut t = dummy_template(dummy_ray_custom());
    let mut base_ext = ExtendedResources::default();
    let mut acc = GpuAccelerator::default();
    acc.device = "nvidia-tesla-t4".to_owned();
    base_ext.gpu_accelerator = Some(acc);
    t.extended_resources = Some(base_ext);
    let res = json!({"limits": {"nvidia.com/gpu": "1"}});

    let r = run(&t, &ctx(res.clone(), None, "", "ray_sa"), &c);
    for g in [head(&r), worker(&r, 0)] {
        let spec = &g["template"]["spec"];
        assert_eq!(
            spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"],
            json!([{"matchExpressions": [{"key": "gpu-node-label", "operator": "In", "values": ["nvidia-tesla-t4"]}]}])
        );
        assert_eq!(
            spec["tolerations"],
            json!([{"key": "gpu-node-label", "value": "nvidia-tesla-t4", "operator": "Equal", "effect": "NoSchedule"}, gpu_tol])
        );
        // Derived.
        assert_eq!(
            container(
                g,
                if g == head(&r) {
                    "ray-head"
                } else {
                    "ray-worker"
                }
            )["resources"],
            json!({"limits": {"cpu": "0", "memory": "0", "nvidia.com/gpu": "1"}, "requests": {"cpu": "0", "memory": "0", "nvidia.com/gpu": "1"}})
        );
    }

    let mut over = ExtendedResources::default();
    let mut acc = GpuAccelerator::default();
    acc.device = "nvidia-tesla-a100".to_owned();
    acc.partition_size = Some("1g.5gb".to_owned());
    over.gpu_accelerator = Some(acc);
    let r = run(&t, &ctx(res, Some(over), "", "ray_sa"), &c);
    for g in [head(&r), worker(&r, 0)] {
        let spec = &g["template"]["spec"];
        assert_eq!(
            spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"],
            json!([{"matchExpressions": [
                {"key": "gpu-node-label", "operator": "In", "values": ["nvidia-tesla-a100"]},
                {"key": "gpu-partition-size", "operator": "In", "values": ["1g.5gb"]}]}])
        );
        assert_eq!(
            spec["tolerations"],
            json!([
            {"key": "gpu-node-label", "value": "nvidia-tesla-a100", "operator": "Equal", "effect": "NoSchedule"},
            {"key": "gpu-partition-size", "value": "1g.5gb", "operator": "Equal", "effect": "NoSchedule"},
            gpu_tol])
        );
    }
}

#[test]
fn t8_custom_k8s_pod() {
    let c = config(RayConfig::default(), K8sConfig::zero());
    let rr = {
        // resourceRequirements as the API writes it (1000m -> 1).
        json!({"limits": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"}, "requests": {"cpu": "100m", "memory": "512Mi", "nvidia.com/gpu": "1"}})
    };
    let res = |n: u32| {
        json!({"requests": {"cpu": n.to_string(), "memory": format!("{n}Gi"), "nvidia.com/gpu": n.to_string()},
                               "limits": {"cpu": n.to_string(), "memory": format!("{n}Gi"), "nvidia.com/gpu": n.to_string()}})
    };
    let aff = |v: &str| json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "node-type", "operator": "In", "values": [v]}]}]}}});
    let tol =
        |k: &str| json!({"key": k, "operator": "Equal", "value": "true", "effect": "NoSchedule"});
    // (name, head k8sPod, worker k8sPod, head expectation, worker expectation):
    // expectation = (resources, runtimeClassName, tolerations, affinity); None = absent (nil).
    type Exp = (Value, Option<Value>, Option<Value>, Value);
    let cases: Vec<(&str, Value, Value, Exp, Exp)> = vec![
        (
            "no customizations",
            json!({}),
            json!({}),
            (rr.clone(), None, None, json!({})),
            (rr.clone(), None, None, json!({})),
        ),
        (
            "custom worker and head resources",
            json!({"podSpec": {"containers": [{"name": "ray-head", "resources": res(10)}]}}),
            json!({"podSpec": {"containers": [{"name": "ray-worker", "resources": res(20)}]}}),
            (res(10), None, None, json!({})),
            (res(20), None, None, json!({})),
        ),
        (
            "custom runtime class name",
            json!({"podSpec": {"runtimeClassName": "nvidia-cdi"}}),
            json!({"podSpec": {"runtimeClassName": "nvidia-cdi"}}),
            (rr.clone(), Some(json!("nvidia-cdi")), None, json!({})),
            (rr.clone(), Some(json!("nvidia-cdi")), None, json!({})),
        ),
        (
            "custom tolerations",
            json!({"podSpec": {"tolerations": [tol("head")]}}),
            json!({"podSpec": {"tolerations": [tol("worker")]}}),
            (rr.clone(), None, Some(json!([tol("head")])), json!({})),
            (rr.clone(), None, Some(json!([tol("worker")])), json!({})),
        ),
        (
            "custom affinity",
            json!({"podSpec": {"affinity": aff("head-node")}}),
            json!({"podSpec": {"affinity": aff("worker-node")}}),
            (rr.clone(), None, None, aff("head-node")),
            (rr.clone(), None, None, aff("worker-node")),
        ),
    ];
    for (name, hp, wp, he, we) in cases {
        let mut custom = dummy_ray_custom();
        custom["rayCluster"]["headGroupSpec"]["k8sPod"] = hp;
        custom["rayCluster"]["workerGroupSpec"][0]["k8sPod"] = wp;
        let r = run(
            &dummy_template(custom),
            &ctx(resource_requirements(), None, "", "ray_sa"),
            &c,
        );
        for (g, exp) in [(head(&r), he), (worker(&r, 0), we)] {
            let spec = &g["template"]["spec"];
            assert_eq!(spec["containers"][0]["resources"], exp.0, "{name}");
            assert_eq!(spec.get("runtimeClassName").cloned(), exp.1, "{name}");
            assert_eq!(spec.get("tolerations").cloned(), exp.2, "{name}");
            assert_eq!(spec["affinity"], exp.3, "{name}");
        }
    }
}

#[test]
fn t9_default_start_parameters() {
    let c = config(RayConfig::default(), k8s_with_tolerations());
    let custom = json!({"rayCluster": {"headGroupSpec": {}, "workerGroupSpec": [{"groupName": "worker-group", "replicas": 3, "minReplicas": 3, "maxReplicas": 3}], "enableAutoscaling": true},
                        "shutdownAfterJobFinishes": true, "ttlSecondsAfterFinished": 120});
    let r = run(
        &dummy_template(custom),
        &ctx(resource_requirements(), None, "", "ray_sa"),
        &c,
    );
    assert_eq!(
        head(&r)["rayStartParams"],
        json!({"dashboard-host": "0.0.0.0", "disable-usage-stats": "true", "include-dashboard": "true", "node-ip-address": "$MY_POD_IP"})
    );
    assert_eq!(
        worker(&r, 0)["rayStartParams"],
        json!({"disable-usage-stats": "true", "node-ip-address": "$MY_POD_IP"})
    );
    assert_eq!(
        r.json()["spec"]["rayClusterSpec"]["enableInTreeAutoscaling"],
        true
    );
    assert_eq!(r.json()["spec"]["ttlSecondsAfterFinished"], 120);
    assert_eq!(
        head(&r)["template"]["spec"]["tolerations"],
        json!([storage_toleration()])
    );
    assert_eq!(head(&r)["template"]["spec"]["serviceAccountName"], "ray_sa");
}

#[test]
fn t10_inject_logs_sidecar() {
    let sidecar = json!({"name": "logs-sidecar", "image": "test-image"});
    let container_target = json!({"id": {"name": "ray-id"}, "container": {"image": "image://", "args": ["test-args"]}, "custom": dummy_ray_custom()});
    let pod_target = |extra_mounts: Value, volumes: Value| {
        let mut spec = json!({"containers": [{"name": "main", "image": "primary-image"}]});
        if !extra_mounts.is_null() {
            spec["containers"][0]["volumeMounts"] = extra_mounts;
            spec["volumes"] = volumes;
        }
        json!({"id": {"name": "ray-id"}, "k8sPod": {"podSpec": spec}, "config": {"primary_container_name": "main"}, "custom": dummy_ray_custom()})
    };
    let state_vol = json!([{"name": "system-ray-state", "emptyDir": {}}]);
    let state_mount = json!([{"name": "system-ray-state", "mountPath": "/tmp/ray"}]);
    let state_ro = json!([{"name": "system-ray-state", "mountPath": "/tmp/ray", "readOnly": true}]);
    let cases = vec![
        (
            "container target",
            container_target.clone(),
            Some(sidecar.clone()),
            Some(state_vol.clone()),
            Some(state_mount.clone()),
            Some(state_ro.clone()),
        ),
        (
            "container target with no sidecar",
            container_target,
            None,
            None,
            None,
            None,
        ),
        (
            "pod target",
            pod_target(Value::Null, Value::Null),
            Some(sidecar.clone()),
            Some(state_vol),
            Some(state_mount),
            Some(state_ro),
        ),
        (
            "pod target with existing ray state volume",
            pod_target(
                json!([{"name": "test-vol", "mountPath": "/tmp/ray"}]),
                json!([{"name": "test-vol", "emptyDir": {}}]),
            ),
            Some(sidecar),
            Some(json!([{"name": "test-vol", "emptyDir": {}}])),
            Some(json!([{"name": "test-vol", "mountPath": "/tmp/ray"}])),
            Some(json!([{"name": "test-vol", "mountPath": "/tmp/ray", "readOnly": true}])),
        ),
    ];
    for (name, task, cfg, volumes, head_mounts, sidecar_mounts) in cases {
        let mut ray = RayConfig::zero();
        ray.logs_sidecar = cfg.clone();
        let c = config(ray, k8s_with_tolerations());
        let t = TaskTemplate::from_value(&task).unwrap();
        let r = run(&t, &ctx(resource_requirements(), None, "", "ray_sa"), &c);
        let spec = &head(&r)["template"]["spec"];
        assert_eq!(spec.get("volumes").cloned(), volumes, "{name}");
        assert_eq!(
            container(head(&r), "ray-head").get("volumeMounts").cloned(),
            head_mounts,
            "{name}"
        );
        let side = spec["containers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "logs-sidecar");
        assert_eq!(side.is_some(), cfg.is_some(), "{name}");
        if let Some(s) = side {
            assert_eq!(s.get("volumeMounts").cloned(), sidecar_mounts, "{name}");
        }
    }
}

#[test]
fn t11_missing_primary_container() {
    let mut ray = RayConfig::zero();
    ray.logs_sidecar = Some(json!({"name": "logs-sidecar", "image": "test-image"}));
    let c = config(ray, K8sConfig::zero());
    let t = TaskTemplate::from_value(&json!({"id": {"name": "ray-id"}, "k8sPod": {"podSpec": {"containers": [{"name": "not-the-primary", "image": "image://"}]}},
        "config": {"primary_container_name": "my-primary"}, "custom": dummy_ray_custom()})).unwrap();
    let e = render(
        &t,
        &ctx(resource_requirements(), None, "", "ray_sa"),
        &c,
        &RenderOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("my-primary"));
    assert_eq!(
        e.to_string(),
        "[BadTaskSpecification] Unable to create pod spec: [[BadTaskSpecification] invalid TaskSpecification, primary container [my-primary] not defined]"
    );
}

fn pinned_ray() -> RayConfig {
    let mut ray = RayConfig::zero();
    for n in [&mut ray.defaults.head_node, &mut ray.defaults.worker_node] {
        n.start_parameters =
            BTreeMap::from([("disable-usage-stats".to_owned(), "true".to_owned())]);
        n.ip_address = "$MY_POD_IP".to_owned();
    }
    ray
}

fn job_without_start_params() -> Value {
    json!({"rayCluster": {"headGroupSpec": {}, "workerGroupSpec": [{"groupName": "worker-group", "replicas": 1, "minReplicas": 1, "maxReplicas": 1}]},
           "shutdownAfterJobFinishes": true, "ttlSecondsAfterFinished": 120})
}

#[test]
fn t12_t13_config_not_mutated_and_maps_not_shared() {
    let c = config(pinned_ray(), K8sConfig::zero());
    let before = c.clone();
    let t = dummy_template(job_without_start_params());
    let m = ctx(resource_requirements(), None, "", "ray_sa");
    let first = run(&t, &m, &c);
    let mut first_res = first.resource.clone();
    let second = run(&t, &m, &c);
    assert_eq!(c, before);
    assert_eq!(
        c.ray.defaults.head_node.start_parameters,
        BTreeMap::from([("disable-usage-stats".to_owned(), "true".to_owned())])
    );
    assert_eq!(
        c.ray.defaults.worker_node.start_parameters,
        BTreeMap::from([("disable-usage-stats".to_owned(), "true".to_owned())])
    );
    first_res
        .spec
        .ray_cluster_spec
        .as_mut()
        .unwrap()
        .head_group_spec
        .ray_start_params
        .insert("num-cpus".to_owned(), "tainted-by-first-rayjob".to_owned());
    assert!(
        !second
            .resource
            .spec
            .ray_cluster_spec
            .as_ref()
            .unwrap()
            .head_group_spec
            .ray_start_params
            .contains_key("num-cpus")
    );
    assert_eq!(head(&second)["rayStartParams"].get("num-cpus"), None);
    assert!(
        !c.ray
            .defaults
            .head_node
            .start_parameters
            .contains_key("num-cpus")
    );
    assert_eq!(
        second.json()["spec"]["rayClusterSpec"]["enableInTreeAutoscaling"],
        false
    );
}

#[test]
fn t14_keeps_task_supplied_start_params() {
    let c = config(pinned_ray(), K8sConfig::zero());
    let mut custom = job_without_start_params();
    custom["rayCluster"]["headGroupSpec"]["rayStartParams"] = json!({"num-cpus": "1"});
    custom["rayCluster"]["workerGroupSpec"][0]["rayStartParams"] = json!({"num-cpus": "2"});
    let r = run(
        &dummy_template(custom),
        &ctx(resource_requirements(), None, "", "ray_sa"),
        &c,
    );
    assert_eq!(head(&r)["rayStartParams"]["num-cpus"], "1");
    assert!(head(&r)["rayStartParams"].get("node-ip-address").is_some());
    assert_eq!(worker(&r, 0)["rayStartParams"]["num-cpus"], "2");
    assert!(
        worker(&r, 0)["rayStartParams"]
            .get("node-ip-address")
            .is_some()
    );
    // Derived.
    assert_eq!(
        head(&r)["rayStartParams"],
        json!({"num-cpus": "1", "include-dashboard": "false", "node-ip-address": "$MY_POD_IP", "dashboard-host": "", "disable-usage-stats": "true"})
    );
    assert_eq!(
        worker(&r, 0)["rayStartParams"],
        json!({"num-cpus": "2", "node-ip-address": "$MY_POD_IP", "disable-usage-stats": "true"})
    );
}

// ---- §16.2 -----------------------------------------------------------------

#[test]
fn t15_build_autoscaler_options() {
    let c = config(RayConfig::default(), K8sConfig::zero());
    // (input autoscalerOptions or None, expected output or None)
    let cases: Vec<(Option<Value>, Option<Value>)> = vec![
        (None, None),
        (
            Some(json!({"idleTimeoutSeconds": 30})),
            Some(json!({"idleTimeoutSeconds": 30, "resources": {}})),
        ),
        (
            Some(json!({"upscalingMode": "UPSCALING_MODE_CONSERVATIVE"})),
            Some(json!({"upscalingMode": "Conservative", "resources": {}})),
        ),
        (
            Some(json!({"upscalingMode": "UPSCALING_MODE_UNSPECIFIED"})),
            Some(json!({"resources": {}})),
        ),
        (
            Some(json!({"image": "my-image:latest"})),
            Some(json!({"image": "my-image:latest", "resources": {}})),
        ),
        (Some(json!({})), Some(json!({"resources": {}}))),
        (Some(json!({"image": ""})), Some(json!({"resources": {}}))),
        (
            Some(
                json!({"resources": {"requests": [{"name": "CPU", "value": "250m"}, {"name": "MEMORY", "value": "512Mi"}],
                                   "limits": [{"name": "CPU", "value": "1"}, {"name": "MEMORY", "value": "1Gi"}]}}),
            ),
            Some(
                json!({"resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}}}),
            ),
        ),
        (
            Some(json!({"env": [{"key": "FOO", "value": "bar"}]})),
            Some(json!({"env": [{"name": "FOO", "value": "bar"}], "resources": {}})),
        ),
    ];
    for (input, want) in cases {
        let mut custom = dummy_ray_custom();
        if let Some(a) = &input {
            custom["rayCluster"]["autoscalerOptions"] = a.clone();
        }
        let r = run(
            &dummy_template(custom),
            &ctx(resource_requirements(), None, "", "ray_sa"),
            &c,
        );
        assert_eq!(
            r.json()["spec"]["rayClusterSpec"]
                .get("autoscalerOptions")
                .cloned(),
            want,
            "{input:?}"
        );
    }
}

#[test]
fn t16_generated_name_max_length_is_47() {
    // GetProperties() == {GeneratedNameMaxLength: 47}: a 48-byte name is hashed, 47 is kept.
    let mut m = ExecutionMetadata::default();
    m.name = "a".repeat(47 - "-n0-0".len());
    assert_eq!(m.generated_name().len(), 47);
    m.name.push('a');
    assert_eq!(m.generated_name().len(), 8);
    assert!(m.generated_name().starts_with('f'));
}

// ---- §16.4 -----------------------------------------------------------------

#[test]
fn t26_t27_load_config_defaults() {
    let c = PluginConfig::from_yaml(
        "plugins:\n  ray:\n    remoteClusterConfig:\n      enabled: false\n",
    )
    .unwrap();
    // remoteClusterConfig has no effect on the resource; serviceAccount defaults to "".
    assert_eq!(c.ray, RayConfig::default());
    assert_eq!(c.ray.service_account, "");
    assert!(c.ignored_keys.is_empty());
}

// ---- §17 -------------------------------------------------------------------

#[test]
fn worked_example_t1a() {
    let data: Value = serde_json::from_str(include_str!("data/worked_example_t1a.json")).unwrap();
    let c = config(RayConfig::default(), k8s_with_tolerations());
    let r = run(
        &dummy_template(dummy_ray_custom()),
        &ctx(resource_requirements(), None, "", "ray_sa"),
        &c,
    );
    let mut got = r.json().clone();
    assert_eq!(got["metadata"], data["metadata"]);
    got["metadata"] = json!({});
    assert_eq!(
        got,
        data["build_resource"],
        "\n got: {}",
        serde_json::to_string_pretty(&got).unwrap()
    );
}

// ---- §16.3: phase and log links (`flyte_ray_kuberay::status`) ---------------

mod phase_and_logs {
    use flyte_ray_kuberay::status::{
        ErrorKind, LogConfig, Phase, PluginState, RayJobState, StatusError, TaskExecution, TaskLog,
        TemplateLogPlugin, event_logs, task_phase,
    };
    use flyte_ray_kuberay::{Identifier, PluginConfig, RayConfig};
    use serde_json::json;

    use super::{dummy_ray_custom, dummy_template};

    /// The global Ray config T17–T22 run under (§16.0): left by T10, only a
    /// logs sidecar, so `logs` and `dashboardURLTemplate` are zero.
    fn t10_leftover() -> RayConfig {
        let mut ray = RayConfig::zero();
        ray.logs_sidecar = Some(json!({"name": "logs-sidecar", "image": "test-image"}));
        ray
    }

    /// Go's `time.Now()` in the tests; only the finish-time variables read it.
    fn now() -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_700_000_000).unwrap()
    }

    fn job(status: serde_json::Value) -> RayJobState {
        RayJobState::from_json(&json!({"metadata": {"name": "test-ray-job"}, "status": status}))
            .unwrap()
    }

    /// T17 `TestGetTaskPhase`: every case with `status.startTime` set and an
    /// empty plugin state. The phases are §16.3's; the reasons are the ones
    /// `GetTaskPhase` @89cf9cc7 passes (T20 asserts only the phase of New).
    #[test]
    fn t17_get_task_phase() {
        let cases = [
            ("", Phase::Queued, "Scheduling"),
            ("Initializing", Phase::Initializing, "cluster is creating"),
            ("Running", Phase::Running, ""),
            ("Complete", Phase::Success, ""),
            ("Failed", Phase::RetryableFailure, ""),
            ("Suspended", Phase::Queued, "Suspended"),
            ("Suspending", Phase::Queued, "Suspending"),
        ];
        for (status, phase, reason) in cases {
            let j =
                job(json!({"jobDeploymentStatus": status, "startTime": "2024-01-01T00:00:00Z"}));
            let got = task_phase(
                &t10_leftover(),
                &TaskExecution::default(),
                &j,
                &PluginState::default(),
                now(),
            )
            .unwrap_or_else(|e| panic!("{status:?}: {e}"));
            assert_eq!(got.phase, phase, "{status:?}");
            assert_eq!(got.reason, reason, "{status:?}");
            // Different phase from the empty state: no version bump.
            assert_eq!(got.version, 0, "{status:?}");
            // Failed is system-retryable with cleanup; nothing else carries an error.
            assert_eq!(got.cleanup_on_failure, status == "Failed", "{status:?}");
            assert_eq!(
                got.error.as_ref().map(|e| e.kind),
                (status == "Failed").then_some(ErrorKind::System),
                "{status:?}"
            );
            assert!(got.logs.is_empty(), "{status:?}: no log config");
        }
    }

    /// Statuses the v1 plugin does not map (§14.16), and anything else: the
    /// error `unknown job deployment status: <s>` (not tested upstream).
    #[test]
    fn unknown_job_deployment_status_is_an_error() {
        for status in ["ValidationFailed", "Retrying", "Waiting", "running"] {
            let err = task_phase(
                &t10_leftover(),
                &TaskExecution::default(),
                &job(json!({"jobDeploymentStatus": status})),
                &PluginState::default(),
                now(),
            )
            .unwrap_err();
            assert_eq!(err, StatusError::UnknownDeploymentStatus(status.to_owned()));
            assert_eq!(
                err.to_string(),
                format!("unknown job deployment status: {status}")
            );
        }
    }

    /// T18 `TestGetTaskPhaseFailedRetryable`.
    #[test]
    fn t18_failed_retryable_message() {
        let j = job(
            json!({"jobDeploymentStatus": "Failed", "reason": "OOMKilled",
                           "message": "head node ran out of memory"}),
        );
        let got = task_phase(
            &t10_leftover(),
            &TaskExecution::default(),
            &j,
            &PluginState::default(),
            now(),
        )
        .unwrap();
        assert_eq!(got.phase, Phase::RetryableFailure);
        let err = got.error.unwrap();
        for part in ["test-ray-job", "OOMKilled", "head node ran out of memory"] {
            assert!(err.message.contains(part), "{part} in {}", err.message);
        }
        // Derived full message (§16.3) and the code flyteerr.TaskFailedWithError.
        assert_eq!(
            err.message,
            "Failed to run Ray job test-ray-job with error: [OOMKilled] head node ran out of memory"
        );
        assert_eq!(err.code, "TaskFailedWithError");
    }

    /// T19 and T20: same phase as the prior state, a different reason →
    /// version 1; plus the rule's other branches (same reason, or a phase
    /// change, keeps version 0).
    #[test]
    fn t19_t20_phase_version_increments() {
        let cases = [
            // T19
            (
                "Initializing",
                PluginState::new(Phase::Initializing, 0, "task submitted to K8s"),
                Phase::Initializing,
                1,
            ),
            // T20 (New)
            (
                "",
                PluginState::new(Phase::Queued, 0, "task submitted to K8s"),
                Phase::Queued,
                1,
            ),
            // previous version 4 → 5
            (
                "Suspended",
                PluginState::new(Phase::Queued, 4, "Scheduling"),
                Phase::Queued,
                5,
            ),
            // same reason: no new event needed
            (
                "Initializing",
                PluginState::new(Phase::Initializing, 3, "cluster is creating"),
                Phase::Initializing,
                0,
            ),
            // another phase
            (
                "Running",
                PluginState::new(Phase::Initializing, 3, "cluster is creating"),
                Phase::Running,
                0,
            ),
        ];
        for (status, prior, phase, version) in cases {
            let got = task_phase(
                &t10_leftover(),
                &TaskExecution::default(),
                &job(json!({"jobDeploymentStatus": status})),
                &prior,
                now(),
            )
            .unwrap();
            assert_eq!(
                (got.phase, got.version),
                (phase, version),
                "{status:?} after {prior:?}"
            );
        }
    }

    /// The plugin context of T21/T22 (§16.3).
    fn t21_exec() -> TaskExecution {
        let mut e = TaskExecution::default();
        e.task_id = Some(id("my-task-project", "my-task-domain", "my-task-name", "1"));
        e.execution_id = Some(id(
            "my-execution-project",
            "my-execution-domain",
            "my-execution-name",
            "",
        ));
        e.retry_attempt = 1;
        e.unique_node_id = "unique-node".to_owned();
        e.generated_name = "generated-name".to_owned();
        e
    }

    fn id(project: &str, domain: &str, name: &str, version: &str) -> Identifier {
        serde_json::from_value(
            json!({"project": project, "domain": domain, "name": name, "version": version}),
        )
        .unwrap()
    }

    /// T21 `TestGetEventInfo_LogTemplates` and T22 (`…_V1`, the same cases
    /// without the start-time one): each case's template alone gives exactly
    /// one link. The RFC 3339 start time is written in UTC: Go formats it in
    /// the local time zone; UTC is our documented deterministic choice, and
    /// the Unix form (`0`) is zone-free.
    #[test]
    fn t21_t22_log_templates() {
        let cases: &[(&str, &str, serde_json::Value, &str, bool)] = &[
            (
                "namespace",
                "http://test/{{ .namespace }}",
                json!({"metadata": {"namespace": "test-namespace"}}),
                "http://test/test-namespace",
                false,
            ),
            (
                "taskExecID",
                "http://test/projects/{{ .executionProject }}/domains/{{ .executionDomain }}/executions/{{ .executionName }}/nodeId/{{ .nodeID }}/taskId/{{ .taskID }}/attempt/{{ .taskRetryAttempt }}",
                json!({}),
                "http://test/projects/my-execution-project/domains/my-execution-domain/executions/my-execution-name/nodeId/unique-node/taskId/my-task-name/attempt/1",
                false,
            ),
            (
                "ray cluster name",
                "http://test/{{ .namespace }}/{{ .rayClusterName }}",
                json!({"metadata": {"namespace": "test-namespace"}, "status": {"rayClusterName": "ray-cluster"}}),
                "http://test/test-namespace/ray-cluster",
                false,
            ),
            (
                "ray job ID",
                "http://test/{{ .namespace }}/{{ .rayJobID }}",
                json!({"metadata": {"namespace": "test-namespace"}, "status": {"jobId": "ray-job-1"}}),
                "http://test/test-namespace/ray-job-1",
                false,
            ),
            // T21 only.
            (
                "ray job ID",
                "http://test/{{ .PodRFC3339StartTime }}/{{ .PodUnixStartTime }}",
                json!({"metadata": {"namespace": "test-namespace", "creationTimestamp": "1970-01-01T00:00:00Z"},
                    "status": {"jobId": "ray-job-1"}}),
                "http://test/1970-01-01T00:00:00Z/0",
                true,
            ),
        ];
        let task = dummy_template(dummy_ray_custom());
        assert!(task.config.is_empty(), "no link_type: no dynamic links");
        let mut exec = t21_exec();
        exec.task_config = task.config.clone();
        for (name, template, rayjob, uri, t21_only) in cases {
            let mut logs = LogConfig::default();
            logs.templates
                .push(TemplateLogPlugin::new(*name, &[template]));
            let j = RayJobState::from_json(rayjob).unwrap();
            let ray = t10_leftover();
            // T21 and T22 call getEventInfoForRayJob with the global Ray
            // config's dashboard template, which T10 left nil.
            assert!(ray.dashboard_url_template.is_none());
            let got = event_logs(&logs, ray.dashboard_url_template.as_ref(), &exec, &j, now());
            assert_eq!(
                got,
                vec![TaskLog::new(*name, *uri)],
                "{name} ({}T22)",
                if *t21_only { "not " } else { "" }
            );
        }
    }

    /// T23 `TestGetEventInfo_DashboardURL` and T24 (`…_V1`, identical):
    /// the dashboard link only while the dashboard URL is set (and Ray's
    /// job is RUNNING); an empty log config otherwise gives no links.
    #[test]
    fn t23_t24_dashboard_url() {
        let cases: &[(TemplateLogPlugin, serde_json::Value, Vec<TaskLog>)] = &[
            (
                TemplateLogPlugin::new("Ray Dashboard", &["http://test/{{.generatedName}}"]),
                json!({"dashboardURL": "exists", "jobStatus": "RUNNING"}),
                vec![TaskLog::new("Ray Dashboard", "http://test/generated-name")],
            ),
            (
                TemplateLogPlugin::new("dummy", &["http://dummy"]),
                json!({"jobStatus": "PENDING"}),
                vec![],
            ),
            // Not asserted upstream, from the code: a dashboard URL while Ray's job is not running.
            (
                TemplateLogPlugin::new("Ray Dashboard", &["http://test/{{.generatedName}}"]),
                json!({"dashboardURL": "exists", "jobStatus": "SUCCEEDED"}),
                vec![],
            ),
        ];
        for (template, status, want) in cases {
            let mut ray = t10_leftover();
            ray.dashboard_url_template = Some(template.clone());
            let j = RayJobState::from_json(&json!({"status": status})).unwrap();
            let got = event_logs(
                &LogConfig::default(),
                ray.dashboard_url_template.as_ref(),
                &t21_exec(),
                &j,
                now(),
            );
            assert_eq!(&got, want, "{status}");
            // And through GetTaskPhase, which reads both from the Ray config.
            let mut j = j;
            j.job_deployment_status = "Running".to_owned();
            let p = task_phase(&ray, &t21_exec(), &j, &PluginState::default(), now()).unwrap();
            assert_eq!(&p.logs, want, "{status} via task_phase");
        }
    }

    /// T25 `TestGetEventInfo_DynamicLogLinks`.
    #[test]
    fn t25_dynamic_log_links() {
        let mut task = dummy_template(dummy_ray_custom());
        task.config
            .insert("link_type".to_owned(), "test-dynamic-link".to_owned());
        task.config
            .insert("dynamicParam".to_owned(), "dynamic-value".to_owned());
        let mut logs = LogConfig::default();
        let mut link = TemplateLogPlugin::default();
        link.template_uris =
            vec!["https://some-service.com/{{.taskConfig.dynamicParam}}".to_owned()];
        logs.dynamic_log_links
            .insert("test-dynamic-link".to_owned(), link);
        let mut exec = t21_exec();
        exec.task_config = task.config.clone();
        let j =
            RayJobState::from_json(&json!({"metadata": {"namespace": "test-namespace"}})).unwrap();
        // The Ray config T24 left: a dashboard template, but no dashboard URL.
        let dummy = TemplateLogPlugin::new("dummy", &["http://dummy"]);
        let got = event_logs(&logs, Some(&dummy), &exec, &j, now());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].uri, "https://some-service.com/dynamic-value");
        // A task that does not name the link type gets none.
        exec.task_config.remove("link_type");
        assert!(event_logs(&logs, Some(&dummy), &exec, &j, now()).is_empty());
    }

    /// The typed RayJob and its JSON give the same state: a rendered T1(a)
    /// resource with a status KubeRay would write.
    #[test]
    fn state_from_typed_rayjob_and_json_agree() {
        let c = super::config(RayConfig::default(), super::k8s_with_tolerations());
        let r = super::run(
            &dummy_template(dummy_ray_custom()),
            &super::ctx(super::resource_requirements(), None, "", "ray_sa"),
            &c,
        );
        let mut doc = r.json().clone();
        doc["metadata"]["creationTimestamp"] = json!("2024-05-01T10:00:00Z");
        doc["status"] = json!({"jobDeploymentStatus": "Failed", "jobStatus": "FAILED", "reason": "AppFailed",
                               "message": "boom", "jobId": "j-1", "rayClusterName": "rc", "dashboardURL": "d"});
        let typed: flyte_ray_kuberay_api::v1::RayJob = serde_json::from_value(doc.clone()).unwrap();
        let a = RayJobState::from_rayjob(&typed);
        let b = RayJobState::from_json(&doc).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.name, "some-acceptable-name");
        assert_eq!(a.namespace, "test-namespace");
        assert_eq!(a.creation_timestamp.unwrap().as_second(), 1_714_557_600);
        assert_eq!(
            (a.reason.as_str(), a.ray_cluster_name.as_str()),
            ("AppFailed", "rc")
        );
        // Wrong types are errors with their path.
        let err = RayJobState::from_json(&json!({"status": {"jobId": 7}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "rayjob: status.jobId: expected a string, got 7"
        );
        let err = RayJobState::from_json(&json!({"metadata": {"creationTimestamp": "yesterday"}}))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("rayjob: metadata.creationTimestamp: not an RFC 3339 time"),
            "{err}"
        );
    }

    /// The log configuration as Flyte's YAML (`plugins.ray.logs`,
    /// `plugins.ray.dashboardURLTemplate`): the keys are Go's json tags.
    #[test]
    fn log_config_from_plugin_yaml() {
        let c = PluginConfig::from_yaml(
            "plugins:\n  ray:\n    logs:\n      kubernetes-enabled: true\n      kubernetes-url: http://k8s\n      templates:\n        - displayName: ray\n          templateUris: ['http://t/{{ .rayJobID }}']\n          messageFormat: JSON\n      dynamic-log-links:\n        wandb:\n          displayName: W&B\n          templateUris: ['http://wandb/{{ .taskConfig.run }}']\n    dashboardURLTemplate:\n      displayName: Ray Dashboard\n      templateUris: ['http://dash/{{ .generatedName }}']\n",
        )
        .unwrap();
        assert!(c.ignored_keys.is_empty(), "{:?}", c.ignored_keys);
        let mut exec = t21_exec();
        exec.task_config
            .insert("link_type".to_owned(), "wandb".to_owned());
        exec.task_config.insert("run".to_owned(), "r1".to_owned());
        let j = RayJobState::from_json(&json!({"metadata": {"namespace": "ns"},
            "status": {"jobId": "j1", "dashboardURL": "x", "jobStatus": "RUNNING", "jobDeploymentStatus": "Running"}})).unwrap();
        let p = task_phase(&c.ray, &exec, &j, &PluginState::default(), now()).unwrap();
        let got: Vec<(&str, &str)> = p
            .logs
            .iter()
            .map(|l| (l.name.as_str(), l.uri.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                // The built-in Kubernetes link: a RayJob has no pod, so `podName` stays.
                (
                    "Kubernetes Logs",
                    "http://k8s/#!/log/ns/{{ .podName }}/pod?namespace=ns"
                ),
                ("ray", "http://t/j1"),
                ("W&B", "http://wandb/r1"),
                ("Ray Dashboard", "http://dash/generated-name"),
            ]
        );
    }
}
