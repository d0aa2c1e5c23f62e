//! `build_loop <get_custom|build|document_to_custom> <flytekit|flyte2> N`:
//! the work of `benches/build.rs` on `examples/ray_config.yaml`, N + 1 times
//! (the first a warm-up), for
//! counting instructions with callgrind (`scripts/instructions.sh`), which
//! does not depend on the machine's load.

use flyte_ray_task::{RayJobConfig, Sdk, build, build_str};

const CONFIG: &str = include_str!("../../../examples/ray_config.yaml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, sdk, n] = args.as_slice() else {
        return Err(
            "usage: build_loop <get_custom|build|document_to_custom> <flytekit|flyte2> N".into(),
        );
    };
    let sdk = match sdk.as_str() {
        "flytekit" => Sdk::Flytekit,
        "flyte2" => Sdk::Flyte2,
        other => return Err(format!("unknown SDK {other:?}").into()),
    };
    let n: usize = n.parse()?;
    let cfg = RayJobConfig::from_str(CONFIG, sdk)?;
    let mut total = 0usize;
    // One call before the N counted ones, in every run (N = 0 too): what is
    // done once per process (the PyYAML resolver's regex is compiled on
    // first use) then cancels out of (run N - run 0) / N, as it does in a
    // criterion benchmark.
    for _ in 0..=n {
        let cfg = std::hint::black_box(&cfg);
        total += match path.as_str() {
            "get_custom" => build(cfg, sdk)?.custom_json()?.len(),
            "build" => build(cfg, sdk)?.warnings.len() + 1,
            "document_to_custom" => build_str(std::hint::black_box(CONFIG), sdk)?
                .custom_json()?
                .len(),
            other => return Err(format!("unknown path {other:?}").into()),
        };
    }
    println!("{total}");
    Ok(())
}
