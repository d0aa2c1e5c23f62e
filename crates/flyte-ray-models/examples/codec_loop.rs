//! Runs one codec path on a bench fixture N times, for instruction counts
//! with callgrind (which, unlike wall time, do not depend on what else the
//! machine is doing):
//!
//! ```sh
//! cargo build --release -p flyte-ray-models --example codec_loop
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/codec_loop decode typical 1000
//! ```
//!
//! Paths: `decode`, `encode`, `from_json`, `to_json`, `short_string`, `json_parse_floor`
//! (serde_json reading the JSON and keeping nothing). Sizes: `small`,
//! `typical`, `large` (`tests/data/bench/ray_job_<size>.{pb,json}`). Run it
//! from the workspace root. Subtract a run with N = 0 to remove the set-up.

use std::hint::black_box;
use std::process::ExitCode;

use flyte_ray_models::{FlyteIdlEntity, RayJob};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, size, n] = args.as_slice() else {
        eprintln!(
            "usage: codec_loop <decode|encode|from_json|to_json|short_string|json_parse_floor> <small|typical|large> <N>"
        );
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a number, not {n:?}");
        return ExitCode::from(2);
    };
    let read = |ext: &str| std::fs::read(format!("tests/data/bench/ray_job_{size}.{ext}"));
    let (Ok(pb), Ok(json)) = (read("pb"), read("json")) else {
        eprintln!(
            "cannot read tests/data/bench/ray_job_{size}.{{pb,json}} (run from the workspace root)"
        );
        return ExitCode::FAILURE;
    };
    let (Ok(json), Ok(model)) = (String::from_utf8(json), RayJob::from_bytes(&pb)) else {
        eprintln!("the {size} fixture does not read");
        return ExitCode::FAILURE;
    };
    for _ in 0..n {
        let ok = match path.as_str() {
            "decode" => black_box(RayJob::from_bytes(black_box(&pb))).is_ok(),
            "encode" => !black_box(black_box(&model).serialize_to_string()).is_empty(),
            "from_json" => black_box(RayJob::from_json(black_box(&json))).is_ok(),
            "to_json" => black_box(black_box(&model).to_json()).is_ok(),
            "short_string" => !black_box(black_box(&model).short_string()).is_empty(),
            "json_parse_floor" => black_box(serde_json::from_str::<serde::de::IgnoredAny>(
                black_box(&json),
            ))
            .is_ok(),
            other => {
                eprintln!("unknown path {other:?}");
                return ExitCode::from(2);
            }
        };
        if !ok {
            eprintln!("{path} failed on the {size} fixture");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
