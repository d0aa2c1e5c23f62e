//! Runs the `render` bench's work N times on the typical task,
//! `examples/ray_task.json`, for instruction counts with callgrind (which,
//! unlike wall time, do not depend on what else the machine is doing):
//!
//! ```sh
//! cargo build --release -p flyte-ray-kuberay --example render_loop
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/render_loop render 200
//! ```
//!
//! Paths: `render` (the parsed task to the checked RayJob, as
//! `render/typical`) and `text_to_yaml` (the task text to the YAML
//! `flyte-ray render` prints, as `render_text_to_yaml/typical`). Run it from
//! the workspace root. Subtract a run with N = 0 to remove the set-up.

use std::hint::black_box;
use std::process::ExitCode;

use flyte_ray_kuberay::{ExecutionMetadata, PluginConfig, RenderOptions, TaskTemplate, render};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, n] = args.as_slice() else {
        eprintln!("usage: render_loop <render|text_to_yaml> <N>");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a number, not {n:?}");
        return ExitCode::from(2);
    };
    let Ok(text) = std::fs::read_to_string("examples/ray_task.json") else {
        eprintln!("cannot read examples/ray_task.json (run from the workspace root)");
        return ExitCode::FAILURE;
    };
    let Ok(task) = TaskTemplate::from_text(&text) else {
        eprintln!("examples/ray_task.json does not read");
        return ExitCode::FAILURE;
    };
    let (exec, config, options) = (
        ExecutionMetadata::default(),
        PluginConfig::default(),
        RenderOptions::default(),
    );
    match render(&task, &exec, &config, &options) {
        Ok(r) if !r.has_errors() => {}
        _ => {
            eprintln!("examples/ray_task.json does not render cleanly");
            return ExitCode::FAILURE;
        }
    }
    for _ in 0..n {
        let ok = match path.as_str() {
            "render" => black_box(render(black_box(&task), &exec, &config, &options)).is_ok(),
            "text_to_yaml" => {
                let yaml = TaskTemplate::from_text(black_box(&text))
                    .ok()
                    .and_then(|task| render(&task, &exec, &config, &options).ok())
                    .and_then(|r| r.to_yaml().ok());
                black_box(yaml).is_some()
            }
            other => {
                eprintln!("unknown path {other:?}");
                return ExitCode::from(2);
            }
        };
        if !ok {
            eprintln!("{path} failed on examples/ray_task.json");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
