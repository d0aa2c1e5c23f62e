//! `render` on the typical task, `examples/ray_task.json` (a container task
//! with a head overlay, two worker groups, the autoscaler and a runtime
//! env): from the parsed task to the checked RayJob (`render`, including
//! the CRD checks), and from the task text to the YAML `flyte-ray render`
//! prints. Goal (issue 14): `render` ≤ 50 µs; docs/PERFORMANCE.md has the
//! figures.

use criterion::{Criterion, criterion_group, criterion_main};
use flyte_ray_kuberay::{ExecutionMetadata, PluginConfig, RenderOptions, TaskTemplate, render};

const TASK: &str = include_str!("../../../examples/ray_task.json");

fn bench(c: &mut Criterion) {
    let task = TaskTemplate::from_text(TASK).expect("the example task reads");
    let (exec, config, options) = (
        ExecutionMetadata::default(),
        PluginConfig::default(),
        RenderOptions::default(),
    );
    let r = render(&task, &exec, &config, &options).expect("the example task renders");
    assert!(!r.has_errors(), "{:#?}", r.findings);
    c.bench_function("render/typical", |b| {
        b.iter(|| render(std::hint::black_box(&task), &exec, &config, &options))
    });
    c.bench_function("render_text_to_yaml/typical", |b| {
        b.iter(|| {
            let task = TaskTemplate::from_text(std::hint::black_box(TASK)).ok()?;
            let r = render(&task, &exec, &config, &options).ok()?;
            r.to_yaml().ok()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
