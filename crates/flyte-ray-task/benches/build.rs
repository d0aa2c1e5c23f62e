//! `build` on the typical config, `examples/ray_config.yaml` (a head, a CPU
//! group, a GPU group with a pod template, the autoscaler, a runtime env),
//! for both SDKs. `scripts/py_task_bench.py` times the Python SDKs on the
//! same document under the same names (docs/PERFORMANCE.md, *Task layer*):
//!
//! * `get_custom/<sdk>`: from the loaded config to the `custom` JSON — what
//!   flytekit's `get_custom` / Flyte 2's `custom_config` compute from the
//!   config objects (the Python side returns the dict; here the JSON text,
//!   which is a little more work);
//! * `document_to_custom/<sdk>`: from the document text (YAML) to the
//!   `custom` JSON: reading, checking, building, printing;
//! * `build/<sdk>` (Rust only, a breakdown): from the loaded config to the
//!   `RayJob` message, without printing it.

use criterion::{Criterion, criterion_group, criterion_main};
use flyte_ray_task::{RayJobConfig, Sdk, build, build_str};

const CONFIG: &str = include_str!("../../../examples/ray_config.yaml");

fn bench(c: &mut Criterion) {
    for sdk in [Sdk::Flytekit, Sdk::Flyte2] {
        let cfg = RayJobConfig::from_str(CONFIG, sdk).expect("the example config reads");
        // The example must build, and without a document or SDK error: a
        // benchmark of an error path would time the wrong thing.
        let built = build(&cfg, sdk).expect("the example config builds");
        assert!(
            built.custom_json().expect("custom JSON").len() > 1000,
            "the example's custom is the typical size"
        );
        c.bench_function(&format!("get_custom/{sdk}"), |b| {
            b.iter(|| {
                build(std::hint::black_box(&cfg), sdk)
                    .map(|j| j.custom_json())
                    .expect("builds")
            })
        });
        c.bench_function(&format!("document_to_custom/{sdk}"), |b| {
            b.iter(|| {
                build_str(std::hint::black_box(CONFIG), sdk)
                    .map(|j| j.custom_json())
                    .expect("builds")
            })
        });
        c.bench_function(&format!("build/{sdk}"), |b| {
            b.iter(|| build(std::hint::black_box(&cfg), sdk).expect("builds"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
