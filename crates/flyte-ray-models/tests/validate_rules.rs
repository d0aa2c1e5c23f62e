//! One test per validation rule: each builds the smallest spec that breaks
//! the rule and asserts the finding's rule, severity, origin, path and
//! message; plus realistic specs that must have no findings.
#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use flyte_ray_idl::flyteidl2::plugins as idl;
use flyte_ray_models::validate::{RULES, has_errors};
use flyte_ray_models::*;
use serde_json::json;

/// The one finding of `findings`; fails listing them all otherwise.
fn one(findings: &[Finding]) -> &Finding {
    assert_eq!(findings.len(), 1, "expected one finding, got {findings:#?}");
    &findings[0]
}

/// Asserts rule, severity and origin agree with the rule table, the path is
/// `path` and the message contains every one of `words`.
fn check(f: &Finding, rule: &str, path: &str, words: &[&str]) {
    let r = RULES.iter().find(|r| r.id == rule).expect("rule in RULES");
    assert_eq!(f.rule, rule, "{f:#?}");
    assert_eq!(f.severity, r.severity, "{f:#?}");
    assert_eq!(f.origin, r.origin, "{f:#?}");
    assert_eq!(f.path, path, "{f:#?}");
    for w in words {
        assert!(f.message.contains(w), "message {:?} lacks {w:?}", f.message);
    }
}

fn job_with(groups: Vec<WorkerGroupSpec>) -> RayJob {
    RayJob::new(RayCluster::new(groups)).with_shutdown_after_job_finishes(true)
}

fn pod(spec: serde_json::Value) -> K8sPod {
    K8sPod::new().with_pod_spec_json(&spec).unwrap()
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

// ---- the finding itself ------------------------------------------------------

#[test]
fn display_is_one_line_with_severity_path_and_origin() {
    let mut g = WorkerGroupSpec::new("gpu", 2);
    g.set_min_replicas(5);
    let job = job_with(vec![WorkerGroupSpec::new("cpu", 1), g]);
    let f = one(&job.validate()).to_string();
    assert!(
        f.starts_with("error: rayCluster.workerGroupSpec[1].minReplicas: (5) is greater"),
        "{f}"
    );
    assert!(f.ends_with(" [KubeRay]"), "{f}");
    assert!(!f.contains('\n'));
}

#[test]
fn rules_are_unique_and_kebab_case() {
    let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "repeated rule id");
    for id in ids {
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{id}"
        );
    }
}

#[test]
fn docs_list_every_rule() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/VALIDATION.md"),
    )
    .unwrap();
    for r in RULES {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", r.id)))
            .unwrap_or_else(|| panic!("docs/VALIDATION.md has no table row for `{}`", r.id));
        assert!(
            row.contains(&format!("| {} |", r.severity)),
            "severity of {}: {row}",
            r.id
        );
        assert!(
            row.contains(&format!("| {} |", r.origin)),
            "origin of {}: {row}",
            r.id
        );
    }
}

#[test]
fn every_finding_is_reported_not_just_the_first() {
    let mut g = WorkerGroupSpec::new("", -1);
    g.set_max_replicas(-3);
    let job = RayJob::new(RayCluster::new(vec![g])).with_ttl_seconds_after_finished(-1);
    let rules: Vec<_> = job.validate().iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        [
            "worker-group-name-empty",
            "worker-replicas-negative",
            "worker-replicas-negative",
            "worker-replicas-negative",
            "worker-min-replicas-above-max",
            "ttl-negative"
        ]
    );
}

// ---- RayJob ------------------------------------------------------------------

#[test]
fn ray_cluster_missing() {
    let job = RayJob::from_flyte_idl(idl::RayJob::default());
    let findings = job.validate();
    check(
        one(&findings),
        "ray-cluster-missing",
        "rayCluster",
        &["missing", "panics"],
    );
    assert!(has_errors(&findings));
}

#[test]
fn ttl_negative() {
    let job = job_with(vec![]).with_ttl_seconds_after_finished(-5);
    check(
        one(&job.validate()),
        "ttl-negative",
        "ttlSecondsAfterFinished",
        &["-5", "KubeRay rejects"],
    );
}

#[test]
fn ttl_without_shutdown() {
    let job = RayJob::new(RayCluster::new(vec![])).with_ttl_seconds_after_finished(600);
    let findings = job.validate();
    check(
        one(&findings),
        "ttl-without-shutdown",
        "ttlSecondsAfterFinished",
        &["600", "shutdownAfterJobFinishes is false", "ignores"],
    );
    assert!(!has_errors(&findings));
}

#[test]
fn runtime_env_yaml_must_be_a_mapping() {
    for (yaml, word) in [
        ("- pip\n- conda\n", "a list"),
        ("42", "a number"),
        ("hello", "a string"),
    ] {
        let job = job_with(vec![]).with_runtime_env_yaml(yaml);
        check(
            one(&job.validate()),
            "runtime-env-yaml-invalid",
            "runtimeEnvYaml",
            &[word, "mapping"],
        );
    }
    let job = job_with(vec![]).with_runtime_env_yaml("pip: [numpy\n");
    check(
        one(&job.validate()),
        "runtime-env-yaml-invalid",
        "runtimeEnvYaml",
        &["not valid YAML"],
    );
    // Empty, comments only and a mapping are fine.
    for yaml in ["", "# nothing\n", "pip:\n- numpy\nenv_vars: {A: '1'}\n"] {
        assert!(
            job_with(vec![])
                .with_runtime_env_yaml(yaml)
                .validate()
                .is_empty(),
            "{yaml:?}"
        );
    }
}

#[test]
fn runtime_env_yaml_bomb_is_an_error_not_a_hang() {
    let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        yaml.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let job = job_with(vec![]).with_runtime_env_yaml(yaml);
    check(
        one(&job.validate()),
        "runtime-env-yaml-invalid",
        "runtimeEnvYaml",
        &["not valid YAML"],
    );
    let deep = "[".repeat(10_000);
    let job = job_with(vec![]).with_runtime_env_yaml(deep);
    check(
        one(&job.validate()),
        "runtime-env-yaml-invalid",
        "runtimeEnvYaml",
        &["not valid YAML"],
    );
}

#[test]
fn runtime_env_must_be_base64_of_a_json_object() {
    let cases = [
        ("not base64!".to_owned(), "not base64"),
        (b64("{\"pip\": "), "not JSON"),
        (b64("[1, 2]"), "a JSON list, not an object"),
    ];
    for (env, word) in cases {
        let job = job_with(vec![]).with_runtime_env(env);
        check(
            one(&job.validate()),
            "runtime-env-invalid",
            "runtimeEnv",
            &[word, "Flyte's backend"],
        );
    }
    assert!(
        job_with(vec![])
            .with_runtime_env(b64(r#"{"pip": ["numpy"]}"#))
            .validate()
            .is_empty()
    );
}

#[test]
fn runtime_env_conflict() {
    let job = job_with(vec![])
        .with_runtime_env(b64(r#"{"pip": ["numpy"]}"#))
        .with_runtime_env_yaml("pip:\n- pandas\n");
    let findings = job.validate();
    check(
        one(&findings),
        "runtime-env-conflict",
        "runtimeEnv",
        &["different environment", "ignores"],
    );
    assert!(!has_errors(&findings));
    // flytekit writes both from one dict: same environment, no finding
    // (key order and formatting do not matter).
    let job = job_with(vec![])
        .with_runtime_env(b64(
            r#"{"pip": ["numpy", "pandas"], "env_vars": {"A": "1"}}"#,
        ))
        .with_runtime_env_yaml("env_vars:\n  A: '1'\npip:\n- numpy\n- pandas\n");
    assert!(job.validate().is_empty());
}

// ---- worker groups -------------------------------------------------------------

#[test]
fn worker_group_name_empty() {
    let job = job_with(vec![WorkerGroupSpec::new("", 1)]);
    check(
        one(&job.validate()),
        "worker-group-name-empty",
        "rayCluster.workerGroupSpec[0].groupName",
        &["empty"],
    );
}

#[test]
fn worker_group_name_duplicate() {
    let job = job_with(vec![
        WorkerGroupSpec::new("a", 1),
        WorkerGroupSpec::new("b", 1),
        WorkerGroupSpec::new("a", 1),
    ]);
    check(
        one(&job.validate()),
        "worker-group-name-duplicate",
        "rayCluster.workerGroupSpec[2].groupName",
        &["\"a\"", "workerGroupSpec[0]", "unique"],
    );
}

#[test]
fn worker_group_name_invalid() {
    for name in ["gpu group", "-gpu", "gpu.", &"g".repeat(64), "gpu/1"] {
        let job = job_with(vec![WorkerGroupSpec::new(name, 1)]);
        check(
            one(&job.validate()),
            "worker-group-name-invalid",
            "rayCluster.workerGroupSpec[0].groupName",
            &["not a valid Kubernetes label value", "ray.io/group"],
        );
    }
    for name in ["gpu", "GPU_group-1.a", &"g".repeat(63)] {
        assert!(
            WorkerGroupSpec::new(name, 1).validate().is_empty(),
            "{name}"
        );
    }
}

#[test]
fn worker_group_name_reserved() {
    let g = WorkerGroupSpec::new("headgroup", 1);
    check(
        one(&g.validate()),
        "worker-group-name-reserved",
        "groupName",
        &["headgroup", "head"],
    );
}

#[test]
fn worker_replicas_negative() {
    let g = WorkerGroupSpec::from_flyte_idl(idl::WorkerGroupSpec {
        group_name: "g".into(),
        replicas: -1,
        min_replicas: -2,
        max_replicas: -1,
        ..Default::default()
    });
    let findings = g.validate();
    assert_eq!(findings.len(), 3, "{findings:#?}");
    check(
        &findings[0],
        "worker-replicas-negative",
        "replicas",
        &["-1", "negative"],
    );
    check(
        &findings[1],
        "worker-replicas-negative",
        "minReplicas",
        &["-2", "negative"],
    );
    check(
        &findings[2],
        "worker-replicas-negative",
        "maxReplicas",
        &["-1", "negative"],
    );
}

#[test]
fn worker_min_replicas_above_max() {
    let g = WorkerGroupSpec::from_flyte_idl(idl::WorkerGroupSpec {
        group_name: "g".into(),
        replicas: 2,
        min_replicas: 4,
        max_replicas: 3,
        ..Default::default()
    });
    check(
        one(&g.validate()),
        "worker-min-replicas-above-max",
        "minReplicas",
        &["(4) is greater than maxReplicas (3)", "KubeRay ≥ 1.6"],
    );
}

#[test]
fn ray_start_params_labels() {
    let head = HeadGroupSpec::new().with_ray_start_params([("labels", "{\"a\": \"b\"}")]);
    let g =
        WorkerGroupSpec::new("g", 1).with_ray_start_params([("labels", "x"), ("num-cpus", "1")]);
    let job = job_with(vec![g]);
    let mut cluster = job
        .ray_cluster()
        .unwrap()
        .clone()
        .with_head_group_spec(head);
    let job = RayJob::new(cluster.clone()).with_shutdown_after_job_finishes(true);
    let findings = job.validate();
    assert_eq!(findings.len(), 2, "{findings:#?}");
    check(
        &findings[0],
        "ray-start-params-labels",
        "rayCluster.headGroupSpec.rayStartParams.labels",
        &["KubeRay ≥ 1.5"],
    );
    check(
        &findings[1],
        "ray-start-params-labels",
        "rayCluster.workerGroupSpec[0].rayStartParams.labels",
        &["KubeRay ≥ 1.5"],
    );
    cluster.set_head_group_spec(Some(HeadGroupSpec::new()));
    assert_eq!(cluster.validate().len(), 1);
}

// ---- autoscaling -----------------------------------------------------------------

#[test]
fn autoscaling_no_headroom() {
    let cluster = RayCluster::new(vec![
        WorkerGroupSpec::new("a", 2).with_max_replicas(5),
        WorkerGroupSpec::new("b", 2),
        WorkerGroupSpec::from_flyte_idl(idl::WorkerGroupSpec {
            group_name: "c".into(),
            replicas: 1,
            ..Default::default()
        }),
    ])
    .with_enable_autoscaling(true);
    let findings = cluster.validate();
    assert_eq!(findings.len(), 2, "{findings:#?}");
    check(
        &findings[0],
        "autoscaling-no-headroom",
        "workerGroupSpec[1].maxReplicas",
        &["equals replicas (2)", "never add workers"],
    );
    check(
        &findings[1],
        "autoscaling-no-headroom",
        "workerGroupSpec[2].maxReplicas",
        &["is unset", "raises maxReplicas to replicas (1)"],
    );
    assert!(!has_errors(&findings));
    // Without autoscaling the same groups are fine.
    assert!(cluster.with_enable_autoscaling(false).validate().is_empty());
}

#[test]
fn autoscaler_options_ignored() {
    let cluster = RayCluster::new(vec![]).with_autoscaler_options(AutoscalerOptions::new());
    check(
        one(&cluster.validate()),
        "autoscaler-options-ignored",
        "autoscalerOptions",
        &["enableAutoscaling is false", "ignored"],
    );
}

#[test]
fn idle_timeout_negative() {
    let a = AutoscalerOptions::new().with_idle_timeout_seconds(-60);
    check(
        one(&a.validate()),
        "idle-timeout-negative",
        "idleTimeoutSeconds",
        &["-60"],
    );
}

#[test]
fn upscaling_mode_unknown() {
    let a = AutoscalerOptions::from_flyte_idl(idl::AutoscalerOptions {
        upscaling_mode: 7,
        ..Default::default()
    });
    check(
        one(&a.validate()),
        "upscaling-mode-unknown",
        "upscalingMode",
        &["is 7", "Conservative"],
    );
    for m in 0..=3 {
        let a = AutoscalerOptions::from_flyte_idl(idl::AutoscalerOptions {
            upscaling_mode: m,
            ..Default::default()
        });
        assert!(a.validate().is_empty());
    }
}

#[test]
fn autoscaler_env_reserved() {
    let a = AutoscalerOptions::new().with_env([
        ("AUTOSCALER_LOG_LEVEL", "INFO"),
        ("KUBERAY_GEN_AUTOSCALER_START_CMD", "ray"),
    ]);
    let cluster = RayCluster::new(vec![])
        .with_enable_autoscaling(true)
        .with_autoscaler_options(a);
    check(
        one(&cluster.validate()),
        "autoscaler-env-reserved",
        "autoscalerOptions.env[1].key",
        &["KUBERAY_GEN_AUTOSCALER_START_CMD", "reserves"],
    );
}

#[test]
fn autoscaler_resource_quantity_invalid() {
    let a = AutoscalerOptions::new().with_resources(Resources::new(
        vec![ResourceEntry::new(ResourceName::Cpu, "500m")],
        vec![
            ResourceEntry::new(ResourceName::Cpu, "1"),
            ResourceEntry::new(ResourceName::Memory, "2GB"),
        ],
    ));
    check(
        one(&a.validate()),
        "quantity-invalid",
        "resources.limits[1].value",
        &["\"2GB\"", "quantities"],
    );
}

// ---- pods ----------------------------------------------------------------------

#[test]
fn label_key_and_value_invalid_annotation_key_invalid() {
    let p = K8sPod::new().with_metadata(
        K8sObjectMetadata::new()
            .with_labels([("app", "ray"), ("bad key", "ok"), ("team", "ml platform")])
            .with_annotations([("example.com/ok", "anything at all"), ("/x", "v")]),
    );
    let findings = p.validate();
    assert_eq!(findings.len(), 3, "{findings:#?}");
    check(
        &findings[0],
        "label-key-invalid",
        "metadata.labels[\"bad key\"]",
        &["\"bad key\"", "qualified name"],
    );
    check(
        &findings[1],
        "label-value-invalid",
        "metadata.labels.team",
        &["\"ml platform\"", "label value"],
    );
    check(
        &findings[2],
        "annotation-key-invalid",
        "metadata.annotations[\"/x\"]",
        &["prefix part"],
    );
}

#[test]
fn pod_spec_invalid_names_the_field() {
    let head = HeadGroupSpec::new().with_k8s_pod(pod(json!({
        "containers": [{"name": "ray-head", "ports": "8265"}]
    })));
    let findings = head.validate();
    let f = one(&findings);
    assert_eq!(f.rule, "pod-spec-invalid");
    assert!(
        f.path.starts_with("k8sPod.podSpec.containers[0].ports"),
        "{f:#?}"
    );
    assert!(f.message.contains("Kubernetes PodSpec"), "{f:#?}");

    // A standalone pod: paths start at its own fields.
    let p = pod(json!({"containers": [{"name": "main", "image": 3}]}));
    let f = p.validate();
    assert_eq!(one(&f).rule, "pod-spec-invalid");
    assert!(
        one(&f).path.starts_with("podSpec.containers[0].image"),
        "{f:#?}"
    );
}

#[test]
fn pod_spec_nan_is_an_error_not_a_panic() {
    use prost_types::value::Kind;
    let mut s = pod(json!({"terminationGracePeriodSeconds": 1}))
        .pod_spec()
        .unwrap()
        .clone();
    s.fields
        .get_mut("terminationGracePeriodSeconds")
        .unwrap()
        .kind = Some(Kind::NumberValue(f64::NAN));
    let p = K8sPod::new().with_pod_spec(s);
    let f = p.validate();
    assert_eq!(one(&f).rule, "pod-spec-invalid");
    assert!(one(&f).path.starts_with("podSpec"), "{f:#?}");
}

#[test]
fn pod_spec_quantity_invalid() {
    let g = WorkerGroupSpec::new("gpu", 1).with_k8s_pod(pod(json!({
        "containers": [{
            "name": "ray-worker",
            "resources": {
                "limits": {"cpu": "2", "memory": "8GB", "nvidia.com/gpu": "1"},
                "requests": {"cpu": "-1"}
            }
        }],
        "volumes": [{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "lots"}}]
    })));
    let job = job_with(vec![WorkerGroupSpec::new("cpu", 1), g]);
    let findings = job.validate();
    assert_eq!(findings.len(), 3, "{findings:#?}");
    let base = "rayCluster.workerGroupSpec[1].k8sPod.podSpec";
    check(
        &findings[0],
        "quantity-invalid",
        &format!("{base}.containers[0].resources.limits.memory"),
        &["\"8GB\"", "Kubernetes rejects"],
    );
    check(
        &findings[1],
        "quantity-invalid",
        &format!("{base}.containers[0].resources.requests.cpu"),
        &["negative"],
    );
    check(
        &findings[2],
        "quantity-invalid",
        &format!("{base}.volumes[0].emptyDir.sizeLimit"),
        &["\"lots\""],
    );
}

#[test]
fn container_dropped() {
    let g = WorkerGroupSpec::new("g", 1).with_k8s_pod(pod(json!({
        "containers": [{"name": "ray-worker"}, {"name": "sidecar"}]
    })));
    check(
        one(&g.validate()),
        "container-dropped",
        "k8sPod.podSpec.containers[1].name",
        &["\"sidecar\"", "\"ray-worker\"", "drops"],
    );
    // The primary container is kept.
    let g = WorkerGroupSpec::new("g", 1).with_k8s_pod(
        pod(json!({"containers": [{"name": "main"}, {"name": "ray-worker"}]}))
            .with_primary_container_name("main"),
    );
    assert!(g.validate().is_empty(), "{:#?}", g.validate());
    // A standalone K8sPod has no Ray container rules.
    assert!(
        pod(json!({"containers": [{"name": "a"}, {"name": "b"}]}))
            .validate()
            .is_empty()
    );
}

#[test]
fn ray_container_not_first() {
    let head = HeadGroupSpec::new().with_k8s_pod(
        pod(json!({"containers": [{"name": "logs"}, {"name": "ray-head"}]}))
            .with_primary_container_name("logs"),
    );
    // "logs" is the primary container and first: fine.
    assert!(head.validate().is_empty(), "{:#?}", head.validate());
    let head = HeadGroupSpec::new().with_k8s_pod(pod(json!({
        "containers": [{"name": "ray-head-init"}, {"name": "ray-head"}]
    })));
    let findings = head.validate();
    assert_eq!(findings.len(), 2, "{findings:#?}");
    check(
        &findings[0],
        "container-dropped",
        "k8sPod.podSpec.containers[0].name",
        &["\"ray-head-init\""],
    );
    check(
        &findings[1],
        "ray-container-not-first",
        "k8sPod.podSpec.containers[1]",
        &["\"ray-head\" is containers[1]", "containers[0]"],
    );
}

#[test]
fn data_config_ignored() {
    let head = HeadGroupSpec::new()
        .with_k8s_pod(K8sPod::new().with_data_config(DataLoadingConfig::new("/in", "/out")));
    check(
        one(&head.validate()),
        "data-config-ignored",
        "k8sPod.dataConfig",
        &["ignores"],
    );
    assert!(
        K8sPod::new()
            .with_data_config(DataLoadingConfig::new("/in", "/out"))
            .validate()
            .is_empty()
    );
}

// ---- realistic specs -----------------------------------------------------------

fn bench(name: &str) -> RayJob {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/bench")
        .join(name);
    RayJob::from_bytes(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn typical_bench_job_is_valid() {
    let findings = bench("ray_job_typical.pb").validate();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn flytekit_style_job_is_valid() {
    let env = r#"{"pip": ["numpy", "pandas"]}"#;
    let head = HeadGroupSpec::new().with_ray_start_params([("log-color", "True")]).with_k8s_pod(
        pod(json!({
            "containers": [{
                "name": "ray-head",
                "image": "rayproject/ray:2.9.0",
                "resources": {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "1", "memory": "2Gi"}}
            }]
        }))
        .with_metadata(K8sObjectMetadata::new().with_labels([("app.kubernetes.io/name", "ray")])),
    );
    let worker = WorkerGroupSpec::new("ray-group", 1)
        .with_max_replicas(4)
        .with_min_replicas(0);
    let job = RayJob::new(
        RayCluster::new(vec![worker])
            .with_head_group_spec(head)
            .with_enable_autoscaling(true)
            .with_autoscaler_options(AutoscalerOptions::new().with_idle_timeout_seconds(60)),
    )
    .with_runtime_env(b64(env))
    .with_runtime_env_yaml("pip:\n- numpy\n- pandas\n")
    .with_shutdown_after_job_finishes(true)
    .with_ttl_seconds_after_finished(3600);
    let findings = job.validate();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn bench_jobs_validate_without_panicking() {
    for name in ["ray_job_small.pb", "ray_job_typical.pb", "ray_job_large.pb"] {
        let _ = bench(name).validate();
    }
}

#[test]
fn validation_never_panics_on_mangled_specs() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/bench/ray_job_small.pb");
    let bytes = std::fs::read(path).unwrap();
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x10, 0x80] {
            let mut b = bytes.clone();
            b[i] ^= bit;
            if let Ok(job) = RayJob::from_bytes(&b) {
                let _ = job.validate();
            }
        }
        if let Ok(job) = RayJob::from_bytes(&bytes[..i]) {
            let _ = job.validate();
        }
    }
}

#[test]
fn cli_example_job_is_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ray_job.yaml");
    let job = RayJob::from_yaml(&std::fs::read_to_string(path).unwrap()).unwrap();
    let findings = job.validate();
    assert!(findings.is_empty(), "{findings:#?}");
}
