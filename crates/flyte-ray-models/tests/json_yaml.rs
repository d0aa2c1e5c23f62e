//! YAML: the proto3 JSON mapping through `serde_yaml_ng`, and its defences
//! against hostile documents (alias bombs, absurd nesting).

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use flyte_ray_models::json::{JsonError, JsonOptions};
use flyte_ray_models::{FlyteIdlEntity, K8sPod, RayCluster, RayJob, WorkerGroupSpec};
use prost_types::value::Kind;

/// Generous bound: both attacks take milliseconds; an unbounded expansion
/// would take minutes and gigabytes.
const QUICK: Duration = Duration::from_secs(5);

#[test]
fn yaml_round_trip_and_shape() {
    let job = RayJob::new(RayCluster::new(vec![WorkerGroupSpec::new("w", 2)]))
        .with_runtime_env_yaml("pip:\n- numpy\n");
    let yaml = job.to_yaml().unwrap();
    assert_eq!(
        yaml,
        "rayCluster:\n  workerGroupSpec:\n  - groupName: w\n    replicas: 2\n    minReplicas: 2\n    maxReplicas: 2\nruntimeEnvYaml: |\n  pip:\n  - numpy\n"
    );
    assert_eq!(RayJob::from_yaml(&yaml).unwrap(), job);
}

#[test]
fn yaml_reads_the_same_mapping() {
    let yaml = r#"
ray_cluster:
  workerGroupSpec:
    - groupName: gpu
      replicas: "3"
      minReplicas: 1
      rayStartParams:
        num-cpus: 0
        block: true
      k8sPod:
        podSpec:
          terminationGracePeriodSeconds: 60
          containers:
            - name: ray-worker
              resources: {limits: {cpu: 2.5}}
  autoscalerOptions:
    upscalingMode: UPSCALING_MODE_AGGRESSIVE
shutdownAfterJobFinishes: true
ttlSecondsAfterFinished: ~
"#;
    let job = RayJob::from_yaml(yaml).unwrap();
    let g = &job.ray_cluster().unwrap().worker_group_spec()[0];
    assert_eq!((g.replicas(), g.min_replicas()), (3, 1));
    // A plain scalar where a string is expected is that string.
    assert_eq!(g.ray_start_params()["num-cpus"], "0");
    assert_eq!(g.ray_start_params()["block"], "true");
    // YAML ints in the pod spec become doubles.
    let spec = g.k8s_pod().unwrap().pod_spec().unwrap();
    assert_eq!(
        spec.fields["terminationGracePeriodSeconds"].kind,
        Some(Kind::NumberValue(60.0))
    );
    assert!(job.shutdown_after_job_finishes());
    assert_eq!(job.ttl_seconds_after_finished(), 0);
    let json = job.to_json().unwrap();
    assert!(
        json.contains(r#""terminationGracePeriodSeconds":60.0"#),
        "{json}"
    );
    assert!(json.contains(r#""cpu":2.5"#), "{json}");
}

#[test]
fn yaml_errors_carry_the_path() {
    let yaml = "rayCluster:\n  workerGroupSpec:\n  - {}\n  - replicas: 3.5\n";
    match RayJob::from_yaml(yaml) {
        Err(JsonError::Read { path, message }) => {
            assert_eq!(path, "rayCluster.workerGroupSpec[1].replicas");
            assert!(
                message.starts_with("expected an int32, found 3.5"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    let e = RayJob::from_yaml("nope: 1\n").unwrap_err();
    assert_eq!(e.path(), Some("nope"));
    let options = JsonOptions::new().ignore_unknown_fields(true);
    assert_eq!(
        RayJob::from_yaml_with("nope: [1, {a: b}]\n", &options).unwrap(),
        RayJob::default()
    );
}

#[test]
fn yaml_non_finite_numbers_fail_to_write() {
    let pod = K8sPod::from_yaml("podSpec:\n  x: .nan\n").unwrap();
    assert!(
        matches!(pod.pod_spec().unwrap().fields["x"].kind, Some(Kind::NumberValue(x)) if x.is_nan())
    );
    let e = pod.to_yaml().unwrap_err();
    assert!(
        e.to_string().contains("podSpec.x: Fail to serialize NaN"),
        "{e}"
    );
    assert!(pod.to_json().is_err());
}

#[test]
fn yaml_alias_bomb_fails_fast() {
    // "Billion laughs": 9 levels of 9 aliases each, 9^9 strings if expanded.
    let mut doc = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        doc.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    // Inside a pod spec (a Struct keeps everything) ...
    let in_pod = format!(
        "podSpec:\n{}",
        doc.lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    let start = Instant::now();
    let e = K8sPod::from_yaml(&in_pod).unwrap_err();
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
    assert!(e.to_string().contains("repetition limit exceeded"), "{e}");
    // ... and as ignored unknown fields: skipped without expanding the
    // aliases (serde_yaml_ng ignores an alias without replaying it).
    let start = Instant::now();
    let options = JsonOptions::new().ignore_unknown_fields(true);
    let r = K8sPod::from_yaml_with(&doc, &options);
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
    assert_eq!(r.unwrap(), K8sPod::default());
    // ... and as a string map, strictly.
    let in_map = format!(
        "metadata:\n  labels:\n{}",
        doc.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    );
    let start = Instant::now();
    assert!(K8sPod::from_yaml(&in_map).is_err());
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
}

#[test]
fn yaml_absurd_nesting_fails_fast() {
    for doc in [
        format!("podSpec: {}", "[".repeat(100_000)),
        format!(
            "podSpec:\n  a: {}1{}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
        format!("podSpec: {}", "{a: ".repeat(100_000)),
        "[".repeat(100_000),
    ] {
        let start = Instant::now();
        let e = K8sPod::from_yaml(&doc).unwrap_err();
        assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
        assert!(
            e.to_string()
                .contains("YAML nesting deeper than 256 levels"),
            "{e}"
        );
    }
}

/// Brackets inside strings are not nesting: a pod spec whose keys and values
/// hold hundreds of `{` and `[` (found by the `json_from_str` fuzz target:
/// `to_yaml` wrote such a spec, `from_yaml` refused it) reads back, quoted or
/// plain, and quickly.
#[test]
fn yaml_brackets_inside_strings_are_not_nesting() {
    let braces = "{".repeat(300);
    let brackets = "[".repeat(300);
    let spec = serde_json::json!({
        format!("key {braces}"): format!("value {brackets}"),
        "plain": format!("a {braces} b"),
    });
    let pod = K8sPod::new().with_pod_spec_json(&spec).unwrap();
    let yaml = pod.to_yaml().unwrap();
    let start = Instant::now();
    let back = K8sPod::from_yaml(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
    assert_eq!(back, pod);
    // Written by hand, in the three scalar styles.
    for doc in [
        format!("podSpec:\n  k: 'x{braces}'\n"),
        format!("podSpec:\n  k: \"x{brackets}\"\n"),
        format!("podSpec:\n  k: x {braces}\n"),
    ] {
        let pod = K8sPod::from_yaml(&doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
        assert_eq!(pod.pod_spec().unwrap().fields.len(), 1);
    }
}

#[test]
fn yaml_nesting_below_the_pre_scan_limit_meets_the_recursion_limit() {
    let doc = format!("podSpec:\n  a: {}1{}", "[".repeat(200), "]".repeat(200));
    let e = K8sPod::from_yaml(&doc).unwrap_err();
    assert_eq!(e.path(), Some("podSpec"));
    assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
    // Block nesting (no brackets) is bounded by the recursion limit alone.
    let doc = format!(
        "podSpec:\n  a:\n{}",
        (0..400)
            .map(|i| format!("{}- \n", "  ".repeat(i + 2)))
            .collect::<String>()
    );
    let start = Instant::now();
    assert!(K8sPod::from_yaml(&doc).is_err());
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
}

#[test]
fn json_absurd_nesting_fails_fast() {
    let doc = format!("{{\"podSpec\": {{\"a\": {}}}}}", "[".repeat(100_000));
    let start = Instant::now();
    let e = K8sPod::from_json(&doc).unwrap_err();
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
    assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
}
