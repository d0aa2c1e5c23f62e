//! flytekit's constructors and defaults. Every expected encoding below was
//! printed by the reference implementation (flytekit 1.16.31) with
//! `model.to_flyte_idl().SerializeToString(deterministic=True).hex()` for the
//! Python call named in the comment; `is_empty` likewise.
#![allow(clippy::unwrap_used)]

use flyte_ray_models::*;

fn hex_of<M: FlyteIdlEntity>(m: &M) -> String {
    hex::encode(m.serialize_to_string())
}

#[test]
fn worker_group_spec_defaults_and_clamping() {
    // WorkerGroupSpec("g", 3)
    assert_eq!(hex_of(&WorkerGroupSpec::new("g", 3)), "0a0167100318032003");
    // WorkerGroupSpec("g", 3, min_replicas=5): min clamped down to replicas
    assert_eq!(
        hex_of(&WorkerGroupSpec::new("g", 3).with_min_replicas(5)),
        "0a0167100318032003"
    );
    // WorkerGroupSpec("g", 3, min_replicas=1)
    assert_eq!(
        hex_of(&WorkerGroupSpec::new("g", 3).with_min_replicas(1)),
        "0a0167100318012003"
    );
    // WorkerGroupSpec("g", 3, max_replicas=1): max clamped up to replicas
    assert_eq!(
        hex_of(&WorkerGroupSpec::new("g", 3).with_max_replicas(1)),
        "0a0167100318032003"
    );
    // WorkerGroupSpec("g", 3, max_replicas=8)
    assert_eq!(
        hex_of(&WorkerGroupSpec::new("g", 3).with_max_replicas(8)),
        "0a0167100318032008"
    );
    // WorkerGroupSpec("g", 2, 1, 4, {"num-gpus": "1"}, K8sPod(primary_container_name="ray-worker"))
    let full = WorkerGroupSpec::with_options(
        "g",
        2,
        Some(1),
        Some(4),
        Some([("num-gpus".to_owned(), "1".to_owned())].into()),
        Some(K8sPod::new().with_primary_container_name("ray-worker")),
    );
    assert_eq!(
        hex_of(&full),
        "0a01671002180120042a0d0a086e756d2d67707573120131320c220a7261792d776f726b6572"
    );
    assert_eq!(full.min_replicas(), 1);
    assert_eq!(full.max_replicas(), 4);
    assert_eq!(full.ray_start_params()["num-gpus"], "1");
}

#[test]
fn ray_defaults() {
    // HeadGroupSpec(): empty, is_empty True
    assert_eq!(hex_of(&HeadGroupSpec::new()), "");
    assert!(HeadGroupSpec::new().is_empty());
    // RayCluster([WorkerGroupSpec("w", 1)])
    let c = RayCluster::new(vec![WorkerGroupSpec::new("w", 1)]);
    assert_eq!(hex_of(&c), "12090a0177100118012001");
    assert!(c.head_group_spec().is_none() && c.autoscaler_options().is_none());
    assert!(!c.enable_autoscaling());
    // RayCluster([], HeadGroupSpec(), True, AutoscalerOptions()): present but
    // empty sub-messages are written (0a00, 2200)
    let c = RayCluster::new(vec![])
        .with_head_group_spec(HeadGroupSpec::new())
        .with_enable_autoscaling(true)
        .with_autoscaler_options(AutoscalerOptions::new());
    assert_eq!(hex_of(&c), "0a0018012200");
    // RayJob(RayCluster([])): the empty cluster is still present
    let j = RayJob::new(RayCluster::new(vec![]));
    assert_eq!(hex_of(&j), "0a00");
    assert!(!j.is_empty());
    assert_eq!(j.ttl_seconds_after_finished(), 0);
    assert!(!j.shutdown_after_job_finishes());
    // RayJob(RayCluster([]), runtime_env="e30=", runtime_env_yaml="{}\n",
    //        ttl_seconds_after_finished=60, shutdown_after_job_finishes=True)
    let j = RayJob::new(RayCluster::new(vec![]))
        .with_runtime_env("e30=")
        .with_runtime_env_yaml("{}\n")
        .with_ttl_seconds_after_finished(60)
        .with_shutdown_after_job_finishes(true);
    assert_eq!(hex_of(&j), "0a0012046533303d1801203c2a037b7d0a");
    // AutoscalerOptions(): empty
    assert!(AutoscalerOptions::new().is_empty());
    // AutoscalerOptions(upscaling_mode=3, idle_timeout_seconds=60, image="img",
    //   env={"B": "2", "A": "1"}, resources=Resources([ResourceEntry(1, "2")],
    //   [ResourceEntry(3, "4Gi")])): env keeps insertion order (B before A)
    let a = AutoscalerOptions::new()
        .with_upscaling_mode(UpscalingMode::Conservative)
        .with_idle_timeout_seconds(60)
        .with_image("img")
        .with_env([("B", "2"), ("A", "1")])
        .with_resources(Resources::new(
            vec![ResourceEntry::new(ResourceName::Cpu, "2")],
            vec![ResourceEntry::new(ResourceName::Memory, "4Gi")],
        ));
    assert_eq!(
        hex_of(&a),
        "0803103c1a060a01421201321a060a01411201312203696d672a100a050801120132120708031203344769"
    );
}

#[test]
fn task_defaults() {
    // K8sPod(), K8sObjectMetadata(), IOStrategy(), Resources([], []): all empty
    assert!(K8sPod::new().is_empty());
    assert!(K8sObjectMetadata::new().is_empty());
    assert!(IOStrategy::new().is_empty());
    assert!(Resources::new(vec![], vec![]).is_empty());
    // DataLoadingConfig("/in", "/out"): enabled=True, format=PROTO (2)
    let d = DataLoadingConfig::new("/in", "/out");
    assert_eq!(hex_of(&d), "080112032f696e1a042f6f75742002");
    assert!(d.enabled());
    assert_eq!(d.format(), 2);
}

#[test]
fn equality_is_equality_of_idl_messages() {
    let a = WorkerGroupSpec::new("g", 3).with_max_replicas(5);
    let b = WorkerGroupSpec::from_flyte_idl(a.to_flyte_idl());
    assert_eq!(a, b);
    assert_eq!(a.to_flyte_idl(), b.to_flyte_idl());
    let c = WorkerGroupSpec::new("g", 3).with_max_replicas(6);
    assert_ne!(a, c);
    assert_ne!(a.to_flyte_idl(), c.to_flyte_idl());
    // Presence matters: an absent head group differs from an empty one.
    let absent = RayCluster::new(vec![]);
    let empty = RayCluster::new(vec![]).with_head_group_spec(HeadGroupSpec::new());
    assert_ne!(absent, empty);
    assert_ne!(absent.serialize_to_string(), empty.serialize_to_string());
}
