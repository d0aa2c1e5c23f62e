//! Times `short_string_bytes` and `text_format_bytes` on the typical RayJob
//! fixture (`tests/data/bench/ray_job_typical.pb`, 4.4 KB).
//!
//! ```text
//! cargo run --release -p flyte-ray-fmt --example time_short_string
//! ```

use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/bench/ray_job_typical.pb"
    );
    let bytes = std::fs::read(path)?;
    let name = "flyteidl.plugins.RayJob";
    // Warm up (and decode the descriptor pool once).
    for _ in 0..200 {
        std::hint::black_box(flyte_ray_fmt::short_string_bytes("RayJob", name, &bytes)?);
    }
    // The machine is shared: report the best of 20 batches of 500 calls.
    let best = |f: &dyn Fn() -> Result<String, flyte_ray_fmt::FmtError>| -> Result<Duration, flyte_ray_fmt::FmtError> {
        let mut best = Duration::MAX;
        for _ in 0..20 {
            let start = Instant::now();
            for _ in 0..500 {
                std::hint::black_box(f()?);
            }
            best = best.min(start.elapsed() / 500);
        }
        Ok(best)
    };
    let short = best(&|| flyte_ray_fmt::short_string_bytes("RayJob", name, &bytes))?;
    let text = best(&|| flyte_ray_fmt::text_format_bytes(name, &bytes))?;
    println!(
        "{} bytes: short_string_bytes {short:?}/call, text_format_bytes {text:?}/call (best batch)",
        bytes.len()
    );
    Ok(())
}
