//! Every case of `golden-render/pod_merge.jsonl` (vendored in `tests/data/`):
//! 300 runs of Flyte's `MergeOverlayPodSpecOntoBase` in Go on the real
//! `k8s.io/api` v0.34.1 types with mergo v0.3.13, compared as JSON values.

#![allow(clippy::unwrap_used)]

use serde_json::Value;

#[test]
fn pod_merge_goldens() {
    let data = include_str!("data/pod_merge.jsonl");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("golden line is JSON");
        let id = case["id"].as_str().unwrap_or("?").to_owned();
        count += 1;
        let got = flyte_ray_kuberay::merge_pod_specs(&case["base"], &case["overlay"]);
        match (case.get("merged"), got) {
            (Some(want), Ok(got)) if *want == got => {}
            (None, Err(_)) => {}
            (Some(want), got) => failures.push(format!(
                "{id} ({}):\n  want {want}\n  got  {got:?}",
                case["scenario"]
            )),
            (None, Ok(got)) => {
                failures.push(format!("{id}: Go fails ({}), we gave {got}", case["error"]))
            }
        }
    }
    assert_eq!(count, 300);
    assert!(
        failures.is_empty(),
        "{} of {count} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
