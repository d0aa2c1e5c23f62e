//! Fuzz target `convert`: the command line tool's conversion path, a thin
//! call into `flyte_ray_cli::check_convert_input` (format detection, reading,
//! writing every output format, reading our own output back), which
//! describes a broken invariant as an `Err`; this target turns it into a
//! crash. See docs/FUZZING.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = flyte_ray_cli::check_convert_input(data) {
        panic!("convert: {broken}");
    }
});
