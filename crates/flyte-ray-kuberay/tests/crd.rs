//! Every rendered resource against KubeRay v1.5.1's CRD: the shipped
//! examples, and a property test — any RayJob spec the models accept and
//! validate without errors renders a RayJob that passes the CRD schema, by
//! the generated checks and by `jsonschema` alike.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use flyte_ray_kuberay::{
    ExecutionMetadata, PluginConfig, RenderOptions, Rendered, Severity, TaskTemplate, render,
};
use flyte_ray_models::testing::strategies::{self, Floats};
use flyte_ray_models::{FlyteIdlEntity, RayJob};
use proptest::prelude::*;

mod support;

fn example(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn render_default(task: &TaskTemplate) -> Rendered {
    render(
        task,
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap()
}

#[test]
fn the_example_task_passes_the_crd() {
    let r = render_default(&TaskTemplate::from_text(&example("ray_task.json")).unwrap());
    support::assert_valid(&r, "examples/ray_task.json");
    assert!(!r.has_errors(), "{:#?}", r.findings);
}

#[test]
fn the_example_ray_job_is_refused_for_its_duplicate_ports() {
    // examples/ray_job.yaml's head overlay declares 6379, 8265 and 10001 on
    // `ray-head`; Flyte appends the same three ports (RENDERING.md §6.4) and
    // the overlay's are appended again by the merge (§7: slices append), so
    // the API server's list-map rule on (containerPort, protocol) refuses
    // the RayJob (§14.13). The schema is otherwise met.
    let r = render_default(&TaskTemplate::from_text(&example("ray_job.yaml")).unwrap());
    // Uniqueness is not JSON Schema: `jsonschema` passes it, as do the
    // generated checks apart from the list-map rule.
    support::assert_valid(&r, "examples/ray_job.yaml");
    let dup: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.code, f.path.as_str()))
        .collect();
    assert!(
        dup.iter()
            .all(|(c, _)| *c == "duplicate-port" || *c == "schema.duplicate"),
        "{dup:#?}"
    );
    assert!(dup.iter().any(|(c, _)| *c == "duplicate-port"), "{dup:#?}");
}

/// RayJob specs from the models' strategies, with the leaves that are
/// almost never valid at random (`runtimeEnv` base64, `runtimeEnvYaml`,
/// negative counts, group names) drawn from valid values instead, so that
/// many of them validate without errors; the rest (pod specs, metadata,
/// start parameters, autoscaler options) are the strategies' own.
fn specs() -> impl Strategy<Value = RayJob> {
    (
        strategies::idl_ray_job(Floats::Finite),
        prop::sample::select(vec![
            "",
            // {"pip":["numpy"]}
            "eyJwaXAiOlsibnVtcHkiXX0=",
            // {"env_vars":{"A":"1"},"working_dir":"s3://b/k"}
            "eyJlbnZfdmFycyI6eyJBIjoiMSJ9LCJ3b3JraW5nX2RpciI6InMzOi8vYi9rIn0=",
        ]),
        prop::sample::select(vec![
            "",
            "pip:\n- numpy\n",
            "working_dir: s3://b/k\nenv_vars: {A: '1'}\n",
        ]),
        0..100_000i32,
    )
        .prop_map(|(mut j, env, env_yaml, ttl)| {
            #[allow(deprecated)]
            {
                j.runtime_env = env.to_owned();
            }
            j.runtime_env_yaml = env_yaml.to_owned();
            j.ttl_seconds_after_finished = if j.ttl_seconds_after_finished % 2 == 0 {
                0
            } else {
                ttl
            };
            let c = j.ray_cluster.get_or_insert_with(Default::default);
            for (i, w) in c.worker_group_spec.iter_mut().enumerate() {
                w.group_name = format!("group-{i}");
                w.replicas = w.replicas.rem_euclid(5);
                w.min_replicas = w.min_replicas.rem_euclid(5).min(w.replicas);
                w.max_replicas = w.replicas + w.max_replicas.rem_euclid(5);
            }
            if let Some(a) = c.autoscaler_options.as_mut() {
                a.idle_timeout_seconds = a.idle_timeout_seconds.rem_euclid(3600);
                a.upscaling_mode = a.upscaling_mode.rem_euclid(4);
            }
            RayJob::from_flyte_idl(j)
        })
}

proptest! {
    #![proptest_config(strategies::config())]

    /// A spec the models accept (it converts to proto3 JSON and back) and
    /// validate without an error finding renders, and the result passes
    /// the CRD schema (no `schema.*` finding, `jsonschema` agreeing).
    #[test]
    fn valid_specs_render_valid_resources(job in specs()) {
        prop_assume!(!job.validate().iter().any(flyte_ray_models::Finding::is_error));
        let Ok(text) = job.to_json() else { return Err(TestCaseError::reject("no JSON form")) };
        let Ok(back) = RayJob::from_json(&text) else { return Err(TestCaseError::reject("JSON does not read back")) };
        prop_assume!(back == job);
        let custom: serde_json::Value = serde_json::from_str(&text).unwrap();
        let task = TaskTemplate::for_ray_job(custom);
        let r = render(&task, &ExecutionMetadata::default(), &PluginConfig::default(), &RenderOptions::default());
        let r = match r {
            Ok(r) => r,
            Err(e) => return Err(TestCaseError::fail(format!("does not render: {e}\n{text}"))),
        };
        support::assert_valid(&r, &text);
    }
}

/// [`specs`] with every group's shared memory made buildable (Go's
/// `ApplySharedMemory` refuses an empty mount name or path and an
/// unparsable size, RENDERING.md §5.2): under Flyte 2 each group that sets
/// `extended_resources` rebuilds its pod with them (§18).
fn v2_specs() -> impl Strategy<Value = RayJob> {
    (specs(), prop::sample::select(vec!["", "1Gi", "512Mi"])).prop_map(|(mut job, size)| {
        let fix = |e: Option<&mut flyte_ray_models::ExtendedResources>| {
            let Some(e) = e else { return };
            let Some(s) = e.shared_memory() else { return };
            let name = if s.mount_name().is_empty() {
                "shm"
            } else {
                s.mount_name()
            };
            let path = if s.mount_path().is_empty() {
                "/dev/shm"
            } else {
                s.mount_path()
            };
            let fixed = flyte_ray_models::SharedMemory::new()
                .with_mount_name(name)
                .with_mount_path(path)
                .with_size_limit(size);
            e.set_shared_memory(Some(fixed));
        };
        if let Some(c) = job.ray_cluster_mut() {
            if let Some(h) = c.head_group_spec_mut() {
                fix(h.extended_resources_mut());
            }
            for w in c.worker_group_spec_mut() {
                fix(w.extended_resources_mut());
            }
        }
        job
    })
}

proptest! {
    #![proptest_config(strategies::config())]

    /// The same under `--flyte 2` (§18): group extended resources, the
    /// re-applied scheduling and GPU selectors, the submitter and
    /// `submissionMode` all keep the resource valid for the v1.5.1 CRD.
    #[test]
    fn valid_specs_render_valid_flyte_2_resources(job in v2_specs()) {
        prop_assume!(!job.validate().iter().any(flyte_ray_models::Finding::is_error));
        let Ok(text) = job.to_json() else { return Err(TestCaseError::reject("no JSON form")) };
        let custom: serde_json::Value = serde_json::from_str(&text).unwrap();
        let task = TaskTemplate::for_ray_job(custom);
        let options = RenderOptions::new(flyte_ray_kuberay::FlyteVersion::V2);
        let r = match render(&task, &ExecutionMetadata::default(), &PluginConfig::default(), &options) {
            Ok(r) => r,
            Err(e) => return Err(TestCaseError::fail(format!("does not render: {e}\n{text}"))),
        };
        support::assert_valid(&r, &text);
    }
}
