//! insta snapshots of what `flyte-ray render` prints for the shipped
//! examples (default execution metadata and plugin config): the YAML
//! RayJob and the findings. The snapshots were reviewed against
//! RENDERING.md (§6 layout, §10 env order, §11 field order and omissions)
//! when written; the facts they rest on are asserted on their own in
//! `peer.rs`, `crd.rs` and the CLI tests, so a snapshot change is a change
//! of output to review, not the only check.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use flyte_ray_kuberay::{ExecutionMetadata, PluginConfig, RenderOptions, TaskTemplate, render};

fn rendered(name: &str) -> (String, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let r = render(
        &TaskTemplate::from_text(&text).unwrap(),
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    let findings: Vec<String> = r.findings.iter().map(ToString::to_string).collect();
    (r.to_yaml().unwrap(), findings.join("\n"))
}

#[test]
fn ray_task_json() {
    let (yaml, findings) = rendered("ray_task.json");
    insta::assert_snapshot!("ray_task_json", yaml);
    insta::assert_snapshot!("ray_task_json_findings", findings);
}

#[test]
fn ray_job_yaml() {
    let (yaml, findings) = rendered("ray_job.yaml");
    insta::assert_snapshot!("ray_job_yaml", yaml);
    insta::assert_snapshot!("ray_job_yaml_findings", findings);
}
