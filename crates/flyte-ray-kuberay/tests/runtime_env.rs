//! Every case of `golden-render/runtime_env_yaml.jsonl` (vendored in
//! `tests/data/`; 507 runs of Go's base64 → `encoding/json` → yaml.v2
//! v2.4.0 conversion) through the whole `render`: a RayJob with that
//! `runtimeEnv` and no `runtimeEnvYaml` gets exactly that
//! `spec.runtimeEnvYAML`, or fails with Go's error.

#![allow(clippy::unwrap_used)]

use flyte_ray_kuberay::{ExecutionMetadata, PluginConfig, RenderOptions, TaskTemplate};
use serde_json::{Value, json};

mod support;

/// `flyte_ray_kuberay::render`, with every rendered resource also checked
/// against the CRD by `jsonschema` and the renderer's schema checks: every
/// golden case passes it.
fn render(
    t: &TaskTemplate,
    m: &ExecutionMetadata,
    c: &PluginConfig,
    o: &RenderOptions,
) -> Result<flyte_ray_kuberay::Rendered, flyte_ray_kuberay::RenderError> {
    let r = flyte_ray_kuberay::render(t, m, c, o)?;
    support::assert_valid(&r, "runtime_env golden");
    Ok(r)
}

#[test]
fn runtime_env_goldens_through_render() {
    let (mut count, mut failures) = (0, Vec::new());
    for line in include_str!("data/runtime_env_yaml.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let case: Value = serde_json::from_str(line).unwrap();
        count += 1;
        let task = TaskTemplate::for_ray_job(json!({
            "rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}]},
            "runtimeEnv": case["runtime_env"],
        }));
        let got = render(
            &task,
            &ExecutionMetadata::default(),
            &PluginConfig::default(),
            &RenderOptions::default(),
        );
        if case["runtime_env"] == "" {
            // §6.10: Go converts only a non-empty runtimeEnv, so this case
            // (the conversion of "" fails) renders with no runtimeEnvYAML.
            let r = got.unwrap();
            assert_eq!(r.json()["spec"].get("runtimeEnvYAML"), None);
            continue;
        }
        match (case.get("runtime_env_yaml"), got) {
            (Some(want), Ok(r)) => {
                // An empty YAML is omitted, as Go's omitempty does.
                let got = r.json()["spec"]
                    .get("runtimeEnvYAML")
                    .cloned()
                    .unwrap_or(json!(""));
                if &got != want {
                    failures.push(format!("{}: want {want} got {got}", case["id"]));
                }
            }
            (None, Err(e)) => {
                let want = case["error"].as_str().unwrap();
                if !e.to_string().contains(want) {
                    failures.push(format!("{}: want error {want:?} got {e}", case["id"]));
                }
            }
            (_, got) => failures.push(format!("{}: {got:?}", case["id"])),
        }
    }
    assert_eq!(count, 507);
    assert!(
        failures.is_empty(),
        "{} of {count}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
