//! Struct <-> JSON speed on the `full` pod spec of `tests/data/pod_specs.json`
//! (a two-container Ray head pod spec with affinity, volumes, tolerations).
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use flyte_ray_k8s::{SerializeStruct, deserialize_struct, json_to_struct, struct_to_json};
use std::hint::black_box;

fn full_pod_spec() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/pod_specs.json"
    ))
    .unwrap();
    let cases: serde_json::Value = serde_json::from_str(&text).unwrap();
    cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "full")
        .unwrap()["pod_spec"]
        .clone()
}

fn bench(c: &mut Criterion) {
    let json = full_pod_spec();
    let s = json_to_struct(&json).unwrap();
    let text = serde_json::to_string(&SerializeStruct(&s)).unwrap();
    c.bench_function("serialize_struct/full", |b| {
        b.iter(|| serde_json::to_string(&SerializeStruct(black_box(&s))).unwrap())
    });
    c.bench_function("deserialize_struct/full", |b| {
        b.iter(|| {
            deserialize_struct(&mut serde_json::Deserializer::from_str(black_box(&text))).unwrap()
        })
    });
    c.bench_function("struct_to_json/full", |b| {
        b.iter(|| struct_to_json(black_box(&s)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
