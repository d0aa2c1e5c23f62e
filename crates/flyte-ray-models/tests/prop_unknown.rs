//! Property: random unknown fields (every wire type, groups nested),
//! appended to any model message at any depth of a random model's canonical
//! encoding, survive decode then encode byte for byte, are listed one by one
//! and leave the known fields as they were (upb's behaviour; the
//! differential cases in `unknown_golden.rs` pin the single cases against
//! Python).
//!
//! 64 cases per property by default; set `PROPTEST_CASES` for more.

#![allow(clippy::unwrap_used)]

use flyte_ray_models::testing::check_unknown_fields_kept;
use flyte_ray_models::testing::strategies::{self as s, Floats};
use proptest::prelude::*;

fn picks() -> impl Strategy<Value = Vec<(usize, Vec<u8>)>> {
    prop::collection::vec((any::<usize>(), s::unknown_field()), 0..6)
}

macro_rules! properties {
    ($($name:ident => $strategy:path;)*) => {
        proptest! {
            #![proptest_config(s::config())]
            $(
                #[test]
                fn $name(m in $strategy(Floats::Any), p in picks()) {
                    check_unknown_fields_kept(&m, &p).map_err(TestCaseError::fail)?;
                }
            )*
        }
    };
}

properties! {
    ray_job => s::ray_job;
    ray_cluster => s::ray_cluster;
    head_group_spec => s::head_group_spec;
    worker_group_spec => s::worker_group_spec;
    autoscaler_options => s::autoscaler_options;
    k8s_pod => s::k8s_pod;
    k8s_object_metadata => s::k8s_object_metadata;
    resources => s::resources;
    data_loading_config => s::data_loading_config;
    io_strategy => s::io_strategy;
    extended_resources => s::extended_resources;
    gpu_accelerator => s::gpu_accelerator;
    shared_memory => s::shared_memory;
}
