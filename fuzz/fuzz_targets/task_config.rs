//! Fuzz target `task_config`: the RayJobConfig document reader and the
//! builder of both SDKs, a thin call into
//! `flyte_ray_task::testing::check_config_input` (which describes a broken
//! invariant as an `Err`); this target turns it into a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = flyte_ray_task::testing::check_config_input(data) {
        panic!("task_config: {broken}");
    }
});
