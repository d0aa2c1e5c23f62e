//! YAML merge keys (`<<: *anchor`, YAML 1.1) against PyYAML: each case of
//! `tests/data/yaml_merge.jsonl` was read by PyYAML 6.0.4 (`safe_load`,
//! which applies merge keys) and protobuf's `ParseDict` as a RayJob
//! (`scripts/gen_yaml_merge_golden.py`); `from_yaml` must give the same
//! bytes, or refuse what they refused. Every accepted case is also checked
//! against `serde_yaml_ng`'s own `apply_merge`, which follows YAML 1.1; for
//! documents with a merge list (`<<: [*a, *b]`, earlier mappings win) that
//! is the only reference, as PyYAML 6.0.4 orders those inconsistently (see
//! the script).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flyte_ray_models::{FlyteIdlEntity, JsonOptions, RayJob};

#[test]
fn merge_keys_as_pyyaml_applies_them() {
    let mut checked = 0;
    for line in include_str!("data/yaml_merge.jsonl").lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_str().unwrap();
        let yaml = case["yaml"].as_str().unwrap();
        let ours = RayJob::from_yaml(yaml);
        match case["pb_hex"].as_str() {
            Some(hex) => {
                let job = ours.unwrap_or_else(|e| panic!("{id}: {e}"));
                if case["merge_list"] == false {
                    assert_eq!(hex::encode(job.serialize_to_string()), hex, "{id}");
                }
                // apply_merge merges keys, not fields, and puts merged keys
                // after the mapping's own: with the proto spelling in the
                // base, JSON's "later spelling wins" would then pick the
                // base's value. PyYAML puts merged keys first, and agrees
                // with us (checked above).
                if id == "merge-proto-name-in-base" {
                    checked += 1;
                    continue;
                }
                let mut v: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml).unwrap();
                // apply_merge leaves a `<<` that came in through a merge
                // (an anchored mapping with a merge key of its own) for the
                // next pass.
                for _ in 0..4 {
                    v.apply_merge().unwrap();
                }
                let json = serde_json::to_string(&v).unwrap();
                assert_eq!(RayJob::from_json(&json).unwrap(), job, "{id}: apply_merge");
            }
            None => assert!(
                ours.is_err(),
                "{id}: accepted, Python said {}",
                case["error"]
            ),
        }
        checked += 1;
    }
    assert_eq!(checked, 12);
}

#[test]
fn errors_inside_merged_mappings_point_into_the_anchor() {
    let doc =
        "rayCluster:\n  workerGroupSpec:\n    - &a {groupName: a, replicas: x}\n    - <<: *a\n";
    // The first item already fails; the path and line are its own.
    let e = RayJob::from_yaml(doc).unwrap_err().to_string();
    assert!(
        e.starts_with("rayCluster.workerGroupSpec[0].replicas: "),
        "{e}"
    );
    let column = doc.lines().nth(2).unwrap().find("replicas").unwrap() + 1;
    assert!(e.ends_with(&format!("at line 3 column {column}")), "{e}");

    let doc = "rayCluster:\n  workerGroupSpec:\n    - <<: [{groupName: a}, {replicaz: 1}]\n";
    let e = RayJob::from_yaml(doc).unwrap_err().to_string();
    assert!(
        e.starts_with("rayCluster.workerGroupSpec[0].<<[1].replicaz: "),
        "{e}"
    );
    let column = doc.lines().nth(2).unwrap().find("replicaz").unwrap() + 1;
    assert!(e.ends_with(&format!("at line 3 column {column}")), "{e}");
}

#[test]
fn merge_keys_are_yaml_only() {
    // In JSON `<<` is just a field name, and no RayJob field is called that.
    let e = RayJob::from_json(r#"{"<<": {"rayCluster": {}}}"#).unwrap_err();
    assert_eq!(e.path(), Some("<<"));
}

#[test]
fn alias_bombs_stay_refused_through_merge_keys() {
    // Each level merges the one before twice: 2^30 copies if expanded.
    let mut doc = String::from("a0: &a0 {groupName: x}\n");
    for i in 1..=30 {
        doc.push_str(&format!("a{i}: &a{i} {{<<: [*a{}, *a{}]}}\n", i - 1, i - 1));
    }
    doc.push_str("rayCluster:\n  workerGroupSpec:\n    - <<: *a30\n");
    let start = std::time::Instant::now();
    // The anchors sit in unknown top-level fields: skip those.
    let lenient = JsonOptions::new().ignore_unknown_fields(true);
    let e = RayJob::from_yaml_with(&doc, &lenient)
        .unwrap_err()
        .to_string();
    assert!(e.contains("repetition limit"), "{e}");
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}
