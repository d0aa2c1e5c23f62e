//! Fuzz target `render`: the whole render path (task text → RayJob →
//! CRD checks → JSON and YAML), a thin call into
//! `flyte_ray_kuberay::testing::check_render_input` (which describes a
//! broken invariant as an `Err`); this target turns it into a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = flyte_ray_kuberay::testing::check_render_input(data) {
        panic!("render: {broken}");
    }
});
