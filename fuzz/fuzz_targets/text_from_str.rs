//! Fuzz target `text_from_str`: a thin call into
//! `flyte_ray_models::testing::check_text_from_str` (protobuf text format
//! in), which describes a broken invariant as an `Err`; this target turns
//! it into a crash. See docs/FUZZING.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = flyte_ray_models::testing::check_text_from_str(data) {
        panic!("text_from_str: {broken}");
    }
});
