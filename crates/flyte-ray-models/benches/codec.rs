//! Codec benchmarks on the vendored fixtures
//! `tests/data/bench/ray_job_{small,typical,large}.{pb,json}` (a
//! `flyteidl.plugins.RayJob` each). Ids: `ray_job/<function>/<size>`.
//!
//! - `encode`: model → bytes (`serialize_to_string`, the canonical encoder)
//! - `decode`: bytes → model (`from_bytes`)
//! - `to_json` / `from_json`: model ⇄ proto3 JSON string
//! - `short_string`: flytekit's rendering
//! - `prost_encode` / `prost_decode`: the floor — a prebuilt IDL message ⇄
//!   bytes with prost's derived `encode_to_vec` / `decode`.
//! - `json_parse_floor`: serde_json reading the JSON and keeping nothing
//!   (`IgnoredAny`), what any `from_json` costs at least.
//!
//! Run: `cargo bench -p flyte-ray-models --bench codec -- --warm-up-time 1 --measurement-time 3`.

#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use flyte_ray_idl::flyteidl2::plugins::RayJob as IdlRayJob;
use flyte_ray_models::{FlyteIdlEntity, RayJob};
use prost::Message;

const SIZES: [&str; 3] = ["small", "typical", "large"];

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/bench")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("ray_job");
    for size in SIZES {
        let pb = fixture(&format!("ray_job_{size}.pb"));
        let json = String::from_utf8(fixture(&format!("ray_job_{size}.json"))).unwrap();
        let model = RayJob::from_bytes(&pb).unwrap();
        let idl: IdlRayJob = model.to_flyte_idl();
        // The fixtures are canonical: decode then encode gives them back.
        assert_eq!(
            model.serialize_to_string(),
            pb,
            "ray_job_{size}.pb is not canonical"
        );
        let json_ok = model.to_json().is_ok() && RayJob::from_json(&json).is_ok();
        group.throughput(Throughput::Bytes(pb.len() as u64));

        group.bench_with_input(BenchmarkId::new("encode", size), &model, |b, m| {
            b.iter(|| black_box(m).serialize_to_string());
        });
        group.bench_with_input(BenchmarkId::new("decode", size), &pb, |b, pb| {
            b.iter(|| RayJob::from_bytes(black_box(pb)).unwrap());
        });
        if json_ok {
            group.bench_with_input(BenchmarkId::new("to_json", size), &model, |b, m| {
                b.iter(|| black_box(m).to_json().unwrap());
            });
            group.bench_with_input(BenchmarkId::new("from_json", size), &json, |b, j| {
                b.iter(|| RayJob::from_json(black_box(j)).unwrap());
            });
        } else {
            eprintln!("ray_job/{{to_json,from_json}}/{size}: skipped, JSON is not available");
        }
        // Not a target: serde_json reading the same text and keeping
        // nothing, the floor under `from_json`.
        group.bench_with_input(BenchmarkId::new("json_parse_floor", size), &json, |b, j| {
            b.iter(|| serde_json::from_str::<serde::de::IgnoredAny>(black_box(j)).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("short_string", size), &model, |b, m| {
            b.iter(|| black_box(m).short_string());
        });
        group.bench_with_input(BenchmarkId::new("prost_encode", size), &idl, |b, m| {
            b.iter(|| black_box(m).encode_to_vec());
        });
        group.bench_with_input(BenchmarkId::new("prost_decode", size), &pb, |b, pb| {
            b.iter(|| IdlRayJob::decode(black_box(pb.as_slice())).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
