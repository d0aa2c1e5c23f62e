//! Fuzz target `convert`: a thin call into
//! `flyte_ray_models::testing::check_convert`, which describes a broken invariant
//! as an `Err`; this target turns it into a crash. See docs/FUZZING.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = flyte_ray_models::testing::check_convert(data) {
        panic!("convert: {broken}");
    }
});
