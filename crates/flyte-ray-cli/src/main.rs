//! The `flyte-ray` binary: everything lives in the `flyte_ray_cli` library.

use std::process::ExitCode;

fn main() -> ExitCode {
    flyte_ray_cli::main_entry()
}
