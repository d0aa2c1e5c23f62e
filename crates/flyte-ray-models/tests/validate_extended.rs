//! One test per rule on the Flyte 2 extended resources (GPU accelerator,
//! shared memory) and the warning that a Flyte 1 backend drops them: each
//! builds the smallest spec that breaks the rule and asserts the finding's
//! rule, severity, origin, path and message; plus Flyte 2 specs as
//! flyteplugins-ray writes them, which must have no finding but the drop
//! warning.
#![allow(clippy::unwrap_used)]

use flyte_ray_models::validate::{RULES, has_errors};
use flyte_ray_models::*;

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

/// flytekit's `A100` and its shared memory default, valid everywhere.
fn good_resources() -> ExtendedResources {
    ExtendedResources::new()
        .with_gpu_accelerator(
            GPUAccelerator::new("nvidia-tesla-a100").with_partition_size("1g.5gb"),
        )
        .with_shared_memory(SharedMemory::flytekit_default("2Gi"))
}

fn gpu(g: GPUAccelerator) -> ExtendedResources {
    ExtendedResources::new().with_gpu_accelerator(g)
}

fn shm(s: SharedMemory) -> ExtendedResources {
    ExtendedResources::new().with_shared_memory(s)
}

// ---- the Flyte 1 backend drops them ------------------------------------------

#[test]
fn extended_resources_dropped_on_the_head_and_each_worker() {
    let job = RayJob::new(
        RayCluster::new(vec![
            WorkerGroupSpec::new("cpu", 1),
            WorkerGroupSpec::new("gpu", 2).with_extended_resources(good_resources()),
        ])
        .with_head_group_spec(
            HeadGroupSpec::new().with_extended_resources(ExtendedResources::new()),
        ),
    )
    .with_shutdown_after_job_finishes(true);
    let findings = job.validate();
    assert_eq!(findings.len(), 2, "{findings:#?}");
    check(
        &findings[0],
        "extended-resources-dropped",
        "rayCluster.headGroupSpec.extendedResources",
        &["flyteidl2", "Flyte 1 backend", "silently"],
    );
    check(
        &findings[1],
        "extended-resources-dropped",
        "rayCluster.workerGroupSpec[1].extendedResources",
        &["Flyte 1 backend"],
    );
    // A warning: the spec is still accepted.
    assert!(!has_errors(&findings));
    // Alone, the message has no group to be dropped from.
    assert!(good_resources().validate().is_empty());
}

#[test]
fn groups_validated_alone_warn_too() {
    let g = WorkerGroupSpec::new("gpu", 1).with_extended_resources(good_resources());
    check(
        one(&g.validate()),
        "extended-resources-dropped",
        "extendedResources",
        &[],
    );
    let h = HeadGroupSpec::new().with_extended_resources(good_resources());
    check(
        one(&h.validate()),
        "extended-resources-dropped",
        "extendedResources",
        &[],
    );
}

#[test]
fn rules_inside_a_group_have_full_paths() {
    let g = WorkerGroupSpec::new("gpu", 1).with_extended_resources(shm(SharedMemory::new()
        .with_mount_name("shm")
        .with_mount_path("/dev/shm")
        .with_size_limit("-1Gi")));
    let job = RayJob::new(RayCluster::new(vec![g])).with_shutdown_after_job_finishes(true);
    let rules: Vec<_> = job
        .validate()
        .iter()
        .map(|f| (f.rule, f.path.clone()))
        .collect();
    assert_eq!(
        rules,
        [
            (
                "extended-resources-dropped",
                "rayCluster.workerGroupSpec[0].extendedResources".to_owned()
            ),
            (
                "shared-memory-size-limit-invalid",
                "rayCluster.workerGroupSpec[0].extendedResources.sharedMemory.sizeLimit".to_owned()
            ),
        ]
    );
}

// ---- GPU accelerator -----------------------------------------------------------

#[test]
fn gpu_device_empty() {
    let r = gpu(GPUAccelerator::new(""));
    check(
        one(&r.validate()),
        "gpu-device-empty",
        "gpuAccelerator.device",
        &["empty", "k8s.amazonaws.com/accelerator", "any GPU node"],
    );
    check(
        one(&GPUAccelerator::new("").validate()),
        "gpu-device-empty",
        "device",
        &[],
    );
}

#[test]
fn gpu_device_invalid() {
    // A space, and a leading dash: not label values (Kubernetes' regex
    // `(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`).
    for device in ["nvidia tesla", "-a100", &"a".repeat(64)] {
        let f = GPUAccelerator::new(device).validate();
        check(
            one(&f),
            "gpu-device-invalid",
            "device",
            &["not a valid Kubernetes label value", "toleration"],
        );
    }
    // 63 characters is still fine.
    assert!(GPUAccelerator::new("a".repeat(63)).validate().is_empty());
}

#[test]
fn gpu_partition_size_empty() {
    let g = GPUAccelerator::new("nvidia-tesla-a100").with_partition_size("");
    check(
        one(&g.validate()),
        "gpu-partition-size-empty",
        "partitionSize",
        &["set but empty", "unpartitioned"],
    );
    // The other states of the oneof are fine.
    assert!(
        GPUAccelerator::new("a100")
            .with_unpartitioned(true)
            .validate()
            .is_empty()
    );
    assert!(
        GPUAccelerator::new("a100")
            .with_unpartitioned(false)
            .validate()
            .is_empty()
    );
    assert!(GPUAccelerator::new("a100").validate().is_empty());
}

#[test]
fn gpu_partition_size_invalid() {
    let g = GPUAccelerator::new("nvidia-tesla-a100").with_partition_size("1g 5gb");
    check(
        one(&gpu(g).validate()),
        "gpu-partition-size-invalid",
        "gpuAccelerator.partitionSize",
        &["\"1g 5gb\"", "k8s.amazonaws.com/gpu-partition-size"],
    );
}

#[test]
fn gpu_device_class_unknown() {
    let mut g = GPUAccelerator::new("tpu");
    g.set_device_class(6); // DeviceClass ends at 5 (APPLE_SILICON)
    check(
        one(&g.validate()),
        "gpu-device-class-unknown",
        "deviceClass",
        &["is 6"],
    );
    g.set_device_class(-1);
    check(
        one(&g.validate()),
        "gpu-device-class-unknown",
        "deviceClass",
        &["is -1"],
    );
    g.set_device_class(5);
    assert!(g.validate().is_empty());
}

#[test]
fn accelerator_model_unknown() {
    let mut g = GPUAccelerator::new("a100");
    g.set_accelerator_model(21); // a gap: 20 is NVIDIA_RTX_PRO_4500, 100 GOOGLE_TPU_V5E
    check(
        one(&g.validate()),
        "accelerator-model-unknown",
        "acceleratorModel",
        &["is 21"],
    );
    g.set_accelerator_model(100);
    assert!(g.validate().is_empty());
    g.set_accelerator_model(500); // APPLE_SILICON_GPU, the last one
    assert!(g.validate().is_empty());
}

// ---- shared memory -------------------------------------------------------------

#[test]
fn shared_memory_mount_name_empty() {
    let s = SharedMemory::new().with_mount_path("/dev/shm");
    check(
        one(&s.validate()),
        "shared-memory-mount-name-empty",
        "mountName",
        &["mount name is not set"],
    );
}

#[test]
fn shared_memory_mount_name_invalid() {
    // Upper case and dots are not DNS-1123 labels; volume names must be.
    for name in ["Flyte-SHM", "flyte.shm"] {
        let s = SharedMemory::new()
            .with_mount_path("/dev/shm")
            .with_mount_name(name);
        check(
            one(&shm(s).validate()),
            "shared-memory-mount-name-invalid",
            "sharedMemory.mountName",
            &["DNS-1123", "volume"],
        );
    }
}

#[test]
fn shared_memory_mount_path_empty() {
    let s = SharedMemory::new().with_mount_name("flyte-shared-memory");
    check(
        one(&s.validate()),
        "shared-memory-mount-path-empty",
        "mountPath",
        &["mount path is not set"],
    );
}

#[test]
fn shared_memory_size_limit_invalid() {
    // `2GB` is not a quantity (the suffix is `G`), `lots` is not a number.
    for size in ["2GB", "lots"] {
        let s = SharedMemory::flytekit_default(size);
        check(
            one(&s.validate()),
            "shared-memory-size-limit-invalid",
            "sizeLimit",
            &["Unable to parse size limit"],
        );
    }
    let s = SharedMemory::flytekit_default("-2Gi");
    check(
        one(&s.validate()),
        "shared-memory-size-limit-invalid",
        "sizeLimit",
        &["negative", "emptyDir.sizeLimit"],
    );
    // Empty is no limit (flytekit's default), and these are quantities.
    for size in ["", "2Gi", "512M", "1e9", "0"] {
        assert!(
            SharedMemory::flytekit_default(size).validate().is_empty(),
            "{size}"
        );
    }
}

#[test]
fn empty_shared_memory_reports_both_missing_fields() {
    let rules: Vec<_> = SharedMemory::new()
        .validate()
        .iter()
        .map(|f| f.rule)
        .collect();
    assert_eq!(
        rules,
        [
            "shared-memory-mount-name-empty",
            "shared-memory-mount-path-empty"
        ]
    );
}

#[test]
fn flyte2_sdk_json_has_only_the_drop_warning() {
    // As flyteplugins-ray 2.12.1 writes a GPU worker group
    // (tests/data/golden-v2 has such cases; written out here).
    let job = RayJob::from_json(
        r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "gpu", "replicas": 1,
            "minReplicas": 1, "maxReplicas": 1,
            "extendedResources": {
              "gpuAccelerator": {"device": "nvidia-h100", "deviceClass": "NVIDIA_GPU",
                                 "acceleratorModel": "NVIDIA_H100", "unpartitioned": true},
              "sharedMemory": {"mountPath": "/dev/shm", "mountName": "flyte-shared-memory",
                               "sizeLimit": "16Gi"}}}]},
          "shutdownAfterJobFinishes": true}"#,
    )
    .unwrap();
    let rules: Vec<_> = job.validate().iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["extended-resources-dropped"]);
}
