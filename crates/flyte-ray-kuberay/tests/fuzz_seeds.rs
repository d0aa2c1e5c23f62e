//! The fuzz target `render`'s check (`testing::check_render_input`) on the
//! seeds `cargo xtask fuzz-corpus` writes for it: the shipped examples and
//! RayJob specs (here the 507 `runtime_env` goldens as bare specs), for
//! both backends, and on a few inputs that must fail cleanly.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use flyte_ray_kuberay::testing::check_render_input;
use serde_json::{Value, json};

fn seeds(payload: &[u8]) -> [Vec<u8>; 2] {
    [
        [&[0u8][..], payload].concat(),
        [&[1u8][..], payload].concat(),
    ]
}

#[test]
fn examples_pass_the_fuzz_check() {
    for name in ["ray_task.json", "ray_task_v2.json", "ray_job.yaml"] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples")
            .join(name);
        let text = std::fs::read(&path).unwrap();
        for s in seeds(&text) {
            check_render_input(&s).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn golden_specs_pass_the_fuzz_check() {
    for line in include_str!("data/runtime_env_yaml.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let case: Value = serde_json::from_str(line).unwrap();
        let spec = json!({
            "rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}]},
            "runtimeEnv": case["runtime_env"],
        });
        for s in seeds(spec.to_string().as_bytes()) {
            check_render_input(&s).unwrap_or_else(|e| panic!("{}: {e}", case["id"]));
        }
    }
}

#[test]
fn broken_inputs_are_errors_not_crashes() {
    for input in [
        &b""[..],
        b"\x00",
        b"\x00\xff\xfe",
        b"\x00{",
        b"\x01[]",
        b"\x00{\"rayCluster\": 3}",
        b"\x00{\"custom\": {}}",
        b"\x01{\"rayCluster\": {\"headGroupSpec\": {\"k8sPod\": {\"podSpec\": {\"containers\": 7}}}}}",
    ] {
        check_render_input(input).unwrap();
    }
}
