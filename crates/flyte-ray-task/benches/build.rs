//! `build` on the typical config, `examples/ray_config.yaml` (a head, a CPU
//! group, a GPU group with a pod template, the autoscaler, a runtime env),
//! for both SDKs: from the loaded config to the `RayJob` (what `get_custom`
//! / `custom_config` compute), to the `custom` JSON, and from the document
//! text to the `custom` JSON. `scripts/py_task_bench.py` times the Python
//! SDKs on the same document; docs/PERFORMANCE.md has both.

use criterion::{Criterion, criterion_group, criterion_main};
use flyte_ray_task::{RayJobConfig, Sdk, build, build_str};

const CONFIG: &str = include_str!("../../../examples/ray_config.yaml");

fn bench(c: &mut Criterion) {
    for sdk in [Sdk::Flytekit, Sdk::Flyte2] {
        let cfg = RayJobConfig::from_str(CONFIG, sdk).expect("the example config reads");
        build(&cfg, sdk).expect("the example config builds");
        c.bench_function(&format!("build/{sdk}"), |b| {
            b.iter(|| build(std::hint::black_box(&cfg), sdk))
        });
        c.bench_function(&format!("build_custom_json/{sdk}"), |b| {
            b.iter(|| build(std::hint::black_box(&cfg), sdk).map(|j| j.custom_json()))
        });
        c.bench_function(&format!("document_to_custom_json/{sdk}"), |b| {
            b.iter(|| build_str(std::hint::black_box(CONFIG), sdk).map(|j| j.custom_json()))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
