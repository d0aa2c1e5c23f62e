//! Property: any config the builder accepts, for either SDK, yields a spec
//! whose bytes decode back to it, whose `custom` JSON reads back to it and
//! which validates without a panic (`flyte_ray_task::testing::check_built`);
//! documents the reader or the SDK refuse are refused without a panic.
//!
//! The documents mix both SDKs' keys, valid and invalid resource values,
//! accelerators, device objects, pod templates, reuse policies and the
//! int32 edges. 256 cases by default; set `PROPTEST_CASES` for more.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use flyte_ray_task::{RayJobConfig, Sdk, build, testing};

fn obj(entries: Vec<(&str, Option<Value>)>) -> Value {
    let mut m = Map::new();
    for (k, v) in entries {
        if let Some(v) = v {
            m.insert(k.to_owned(), v);
        }
    }
    Value::Object(m)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec!["1", "500m", "2Gi", "", "abc", "1e3", "auto", "-1"])
            .prop_map(|s| json!(s)),
        (-5i64..(1i64 << 41)).prop_map(|i| json!(i)),
        prop::sample::select(vec![0.5, -0.0, 1e16, 1e-7, 2.0, -1.5]).prop_map(|f| json!(f)),
        any::<bool>().prop_map(|b| json!(b)),
    ]
}

fn resource_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => scalar(),
        1 => prop::collection::vec(prop_oneof![scalar(), Just(Value::Null)], 0..4).prop_map(Value::Array),
        1 => Just(json!({})),
        1 => prop::sample::select(vec!["T4:1", "A100:8", "A100 80G:2", "V5E:1", "Trn1:4", "AppleSilicon", "K80:1", "MI300X:1"])
            .prop_map(|s| json!(s)),
        1 => (prop::sample::select(vec!["A100", "T4 shared", "K80", "H100"]), -1i64..4, prop::option::of(prop::sample::select(vec!["1g.5gb", "7g.80gb", "bad"])))
            .prop_map(|(d, q, p)| json!({"GPU": obj(vec![("device", Some(json!(d))), ("quantity", Some(json!(q))), ("partition", p.map(|p| json!(p)))])})),
        1 => (prop::sample::select(vec!["V5E", "V5P", "X"]), prop::option::of(prop::sample::select(vec!["1x1", "2x2x1"])))
            .prop_map(|(d, p)| json!({"TPU": obj(vec![("device", Some(json!(d))), ("partition", p.map(|p| json!(p)))])})),
    ]
}

fn resources() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "cpu",
        "mem",
        "gpu",
        "ephemeral_storage",
        "memory",
        "disk",
        "shm",
    ]);
    prop::collection::vec((key, resource_value()), 0..4).prop_map(|kv| {
        let mut m = Map::new();
        for (k, v) in kv {
            m.insert(k.to_owned(), v);
        }
        Value::Object(m)
    })
}

fn pod_spec() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!({"containers": []}),
        json!({"containers": [{"name": "primary", "image": "img"}]}),
        json!({"containers": [{"name": "ray-worker", "resources": {"limits": {"cpu": "1"}, "claims": [{"name": "c"}]}}]}),
        json!({"containers": [{"name": "a"}, {"name": "b", "env": [{"name": "X", "value": "1"}]}], "tolerations": [{"key": "k", "operator": "Exists", "tolerationSeconds": 9223372036854775807i64}]}),
        json!({"containers": [{"name": "ray-head", "ports": [{"containerPort": 8265}]}], "terminationGracePeriodSeconds": 30}),
    ])
}

fn pod_template() -> impl Strategy<Value = Value> {
    (
        prop::option::of(pod_spec()),
        prop::option::of(prop::sample::select(vec![
            "primary",
            "ray-worker",
            "ray-head",
            "",
        ])),
        prop::option::of(Just(json!({"team": "ml"}))),
        prop::option::of(Just(json!({"a/b": "c"}))),
    )
        .prop_map(|(s, p, l, a)| {
            obj(vec![
                ("pod_spec", s),
                ("primary_container_name", p.map(|p| json!(p))),
                ("labels", l),
                ("annotations", a),
            ])
        })
}

fn int32ish() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (-3i64..12).prop_map(|i| json!(i)),
        1 => prop::sample::select(vec![i64::from(i32::MIN), i64::from(i32::MAX), 1i64 << 40, -(1i64 << 40)]).prop_map(|i| json!(i)),
    ]
}

fn node(worker: bool) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["g", "", "gpu-workers"]),
        int32ish(),
        prop::option::of(int32ish()),
        prop::option::of(int32ish()),
        prop::option::of(Just(json!({"num-cpus": "2"}))),
        prop::option::of(pod_template()),
        prop::option::of(resources()),
        prop::option::of(resources()),
    )
        .prop_map(move |(name, r, min, max, params, pt, req, lim)| {
            let mut entries = vec![
                ("ray_start_params", params),
                ("pod_template", pt),
                ("requests", req),
                ("limits", lim),
            ];
            if worker {
                entries.extend([
                    ("group_name", Some(json!(name))),
                    ("replicas", Some(r)),
                    ("min_replicas", min),
                    ("max_replicas", max),
                ]);
            }
            obj(entries)
        })
}

fn document() -> impl Strategy<Value = Value> {
    let autoscaler = (
        prop::option::of(prop_oneof![
            Just(json!("CONSERVATIVE")),
            Just(json!(7)),
            Just(json!(-1))
        ]),
        prop::option::of(int32ish()),
        prop::option::of(Just(json!({"B": "1", "A": ""}))),
        prop::option::of(resources()),
        prop::option::of(resources()),
        prop::option::of(resources()),
    )
        .prop_map(|(m, idle, env, req, lim, res)| {
            obj(vec![
                ("upscaling_mode", m),
                ("idle_timeout_seconds", idle),
                ("env", env),
                ("requests", req),
                ("limits", lim),
                ("resources", res),
            ])
        });
    let reuse = (
        prop::option::of(prop_oneof![
            Just(json!(1)),
            Just(json!([0, 1])),
            Just(json!(2)),
            Just(json!("2"))
        ]),
        prop::option::of(prop_oneof![
            Just(json!(1)),
            Just(json!(0)),
            Just(json!(1.5))
        ]),
        prop::option::of(prop_oneof![Just(json!(30)), Just(json!(10))]),
    )
        .prop_map(|(r, c, t)| obj(vec![("replicas", r), ("concurrency", c), ("idle_ttl", t)]));
    (
        prop::collection::vec(node(true), 0..3),
        prop::option::of(node(false)),
        any::<bool>(),
        prop::option::of(autoscaler),
        prop::option::of(prop::sample::select(vec!["localhost:8265", "auto"])),
        any::<bool>(),
        prop::option::of(int32ish()),
        prop::option::of(reuse),
    )
        .prop_map(|(w, h, auto, a, addr, shut, ttl, reuse)| {
            obj(vec![
                ("worker_node_config", Some(Value::Array(w))),
                ("head_node_config", h),
                ("enable_autoscaling", Some(json!(auto))),
                ("autoscaler_options", a),
                ("address", addr.map(|a| json!(a))),
                ("shutdown_after_job_finishes", Some(json!(shut))),
                ("ttl_seconds_after_finished", ttl),
                ("reusable", reuse),
            ])
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn accepted_configs_yield_valid_specs(doc in document()) {
        let text = doc.to_string();
        for sdk in [Sdk::Flytekit, Sdk::Flyte2] {
            let Ok(cfg) = RayJobConfig::from_str(&text, sdk) else { continue };
            if let Ok(built) = build(&cfg, sdk) {
                prop_assert_eq!(testing::check_built(&built), Ok(()), "{} {}", sdk, text);
            }
        }
    }

    /// The fuzz target's entry point on arbitrary text never panics.
    #[test]
    fn any_text_is_read_without_panic(tag in any::<u8>(), text in ".{0,200}") {
        let mut data = vec![tag];
        data.extend_from_slice(text.as_bytes());
        prop_assert_eq!(testing::check_config_input(&data), Ok(()));
    }
}

/// How often the generated documents get through each SDK, so that the
/// property above is known to test something (not only refusals).
#[test]
fn the_strategy_reaches_the_builder() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut built = [0usize; 2];
    for _ in 0..300 {
        let doc = document().new_tree(&mut runner).expect("tree").current();
        let text = doc.to_string();
        for (i, sdk) in [Sdk::Flytekit, Sdk::Flyte2].into_iter().enumerate() {
            if RayJobConfig::from_str(&text, sdk)
                .ok()
                .and_then(|c| build(&c, sdk).ok())
                .is_some()
            {
                built[i] += 1;
            }
        }
    }
    assert!(built[0] >= 20 && built[1] >= 20, "built {built:?} of 300");
}
