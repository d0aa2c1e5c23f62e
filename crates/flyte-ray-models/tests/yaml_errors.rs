//! YAML read errors point at the offending key itself (its own line and
//! column, as JSON errors do), print the path once, and give duplicate keys
//! their line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use flyte_ray_models::{FlyteIdlEntity, RayJob};

/// `at line L column C` of the first `needle` on line `line` (1-based) of `doc`.
fn at(doc: &str, line: usize, needle: &str) -> String {
    let column = doc.lines().nth(line - 1).unwrap().find(needle).unwrap() + 1;
    format!("at line {line} column {column}")
}

#[test]
fn a_typo_deep_in_the_example_is_reported_at_its_own_line() {
    let example = include_str!("../../../examples/ray_job.yaml");
    // Put a typo in the last worker group's block, far below where the
    // enclosing mappings start.
    let lines: Vec<&str> = example.lines().collect();
    let n = lines
        .iter()
        .rposition(|l| l.trim_start().starts_with("replicas:"))
        .unwrap();
    let indent = &lines[n][..lines[n].find('r').unwrap()];
    let mut doc: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    doc.insert(n + 1, format!("{indent}replicaz: 3"));
    let doc = doc.join("\n");
    let e = RayJob::from_yaml(&doc).unwrap_err().to_string();
    let path = e.split(": ").next().unwrap();
    assert!(path.ends_with("].replicaz"), "{e}");
    assert_eq!(e.matches(path).count(), 1, "path printed once: {e}");
    assert!(e.ends_with(&at(&doc, n + 2, "replicaz")), "{e}");
}

#[test]
fn type_errors_point_at_the_key() {
    let doc = "rayCluster:\n  workerGroupSpec:\n    - groupName: a\n    - groupName: b\n      replicas: x\n";
    let e = RayJob::from_yaml(doc).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "rayCluster.workerGroupSpec[1].replicas: expected an int32, found \"x\" {}",
            at(doc, 5, "replicas")
        )
    );
}

#[test]
fn duplicate_keys_name_the_second_one() {
    let doc = "rayCluster:\n  workerGroupSpec:\n    - groupName: a\n      replicas: 1\n      groupName: b\n";
    let e = RayJob::from_yaml(doc).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "rayCluster.workerGroupSpec[0].groupName: duplicate key \"groupName\" {}",
            at(doc, 5, "groupName")
        )
    );
    let doc =
        "rayCluster:\n  headGroupSpec:\n    rayStartParams:\n      a: \"1\"\n      a: \"2\"\n";
    let e = RayJob::from_yaml(doc).unwrap_err().to_string();
    assert!(
        e.starts_with("rayCluster.headGroupSpec.rayStartParams.a: duplicate key"),
        "{e}"
    );
    assert!(e.ends_with(&at(doc, 5, "a:")), "{e}");
}

#[test]
fn unknown_fields_in_flow_style() {
    let doc = "{rayCluster: {workerGroupSpec: [{groupName: a}, {replicaz: 2}]}}";
    let e = RayJob::from_yaml(doc).unwrap_err().to_string();
    assert!(e.starts_with("rayCluster.workerGroupSpec[1].replicaz: message flyteidl.plugins.WorkerGroupSpec has no field named \"replicaz\""), "{e}");
    assert!(e.ends_with(&at(doc, 1, "replicaz")), "{e}");
}

#[test]
fn syntax_errors_keep_the_parsers_position() {
    let e = RayJob::from_yaml("rayCluster:\n  workerGroupSpec: [}\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2 column"), "{e}");
    assert_eq!(e.matches(" at line ").count(), 1, "{e}");
}

/// A string map with the key `<<` (found by a proptest: label `<<` with
/// value `""`): our YAML writer prints it as a plain `<<:` entry, and reading
/// it back must give the same map, not fail as a merge key holding a string.
/// A `<<` holding a mapping is still a merge.
#[test]
fn a_merge_key_holding_a_string_is_an_ordinary_entry() {
    use flyte_ray_models::{RayCluster, WorkerGroupSpec};
    let mut group = WorkerGroupSpec::new("g", 1);
    group
        .ray_start_params_mut()
        .insert("<<".to_owned(), String::new());
    group
        .ray_start_params_mut()
        .insert("a".to_owned(), "1".to_owned());
    let job = RayJob::new(RayCluster::new(vec![group]));
    let yaml = job.to_yaml().unwrap_or_else(|e| panic!("{e}"));
    let back = RayJob::from_yaml(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(back, job, "{yaml}");

    // `<<: *m` still merges: the map's own `a` wins over the merged one.
    let doc = "rayCluster:\n  workerGroupSpec:\n  - groupName: g\n    rayStartParams:\n      <<: {a: \"0\", b: \"2\"}\n      a: \"1\"\n";
    let merged = RayJob::from_yaml(doc).unwrap_or_else(|e| panic!("{e}"));
    let params = merged
        .ray_cluster()
        .map(|c| c.worker_group_spec()[0].ray_start_params().clone());
    let want: std::collections::BTreeMap<String, String> = [("a", "1"), ("b", "2")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(params, Some(want));
}
