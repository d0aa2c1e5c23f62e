//! The `flyte-ray` binary end to end: exit codes, error messages on bad
//! input, usage errors, the example spec and Flyte task documents.

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;

/// The workspace root (for `examples/`).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> PathBuf {
    root().join("examples/ray_job.yaml")
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("flyte-ray").expect("binary built");
    c.timeout(Duration::from_secs(30));
    c
}

/// Output of `flyte-ray args` with `stdin`.
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(args: &[&str], stdin: impl Into<Vec<u8>>) -> Run {
    let out = cmd()
        .args(args)
        .write_stdin(stdin.into())
        .output()
        .expect("run flyte-ray");
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// `flyte-ray args` with `stdin` fails with exit code 1 and one stderr line
/// `flyte-ray: error: ...` containing every one of `needles`.
#[track_caller]
fn bad_input(args: &[&str], stdin: impl Into<Vec<u8>>, needles: &[&str]) {
    let r = run(args, stdin);
    assert_eq!(r.code, Some(1), "args {args:?}: stderr {}", r.stderr);
    assert!(
        r.stdout.is_empty(),
        "args {args:?}: stdout {:?}",
        r.stdout()
    );
    assert!(
        r.stderr.starts_with("flyte-ray: error: "),
        "stderr {:?}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "one line: {:?}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    for n in needles {
        assert!(r.stderr.contains(n), "stderr {:?} lacks {n:?}", r.stderr);
    }
}

const JSON_TO_PB: [&str; 5] = ["convert", "--from", "json", "--to", "pb"];
const YAML_TO_PB: [&str; 5] = ["convert", "--from", "yaml", "--to", "pb"];
const PB_TO_JSON: [&str; 5] = ["convert", "--from", "pb", "--to", "json"];

// ---- bad input: exit 1, one line naming the problem ----

#[test]
fn garbage_bytes() {
    bad_input(&PB_TO_JSON, vec![0xff, 0xff, 0xff, 0xff, 0x0f], &["RayJob"]);
    bad_input(&["show"], vec![0xff, 0xfe, 0x00, 0x01, 0x80], &["RayJob"]);
}

#[test]
fn truncated_pb() {
    // rayCluster (field 1) claims 10 bytes, only 2 follow.
    bad_input(&PB_TO_JSON, vec![0x0a, 0x0a, 0x12, 0x00], &["RayJob"]);
    bad_input(&["show"], vec![0x0a, 0x0a, 0x12, 0x00], &["RayJob"]);
}

#[test]
fn invalid_utf8_json() {
    bad_input(
        &JSON_TO_PB,
        b"{\"runtimeEnv\": \"\xff\xfe\"}".to_vec(),
        &["UTF-8"],
    );
}

#[test]
fn unknown_json_field() {
    bad_input(
        &JSON_TO_PB,
        r#"{"rayCluster": {"bogusField": 1}}"#,
        &["bogusField"],
    );
    bad_input(
        &YAML_TO_PB,
        "rayCluster:\n  bogusField: 1\n",
        &["bogusField"],
    );
}

#[test]
fn ignore_unknown_fields_skips_them() {
    let r = run(
        &[
            "convert",
            "--from",
            "json",
            "--to",
            "json",
            "--ignore-unknown-fields",
        ],
        r#"{"rayCluster": {"bogusField": 1, "enableAutoscaling": true}}"#,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).expect("JSON out");
    assert_eq!(
        v,
        serde_json::json!({"rayCluster": {"enableAutoscaling": true}})
    );
}

#[test]
fn fractional_replicas_names_the_path() {
    let doc = r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "a"}, {"groupName": "b", "replicas": 3.5}]}}"#;
    bad_input(
        &JSON_TO_PB,
        doc,
        &["rayCluster.workerGroupSpec[1].replicas", "3.5"],
    );
    let yaml = "rayCluster:\n  workerGroupSpec:\n    - groupName: a\n    - groupName: b\n      replicas: 3.5\n";
    bad_input(
        &YAML_TO_PB,
        yaml,
        &["rayCluster.workerGroupSpec[1].replicas", "3.5"],
    );
    bad_input(&["show"], doc, &["rayCluster.workerGroupSpec[1].replicas"]);
}

#[test]
fn out_of_range_int() {
    bad_input(
        &JSON_TO_PB,
        r#"{"ttlSecondsAfterFinished": 4294967296}"#,
        &["ttlSecondsAfterFinished"],
    );
    bad_input(
        &JSON_TO_PB,
        r#"{"ttlSecondsAfterFinished": 1e300}"#,
        &["ttlSecondsAfterFinished"],
    );
}

#[test]
fn unknown_enum_name() {
    bad_input(
        &JSON_TO_PB,
        r#"{"rayCluster": {"autoscalerOptions": {"upscalingMode": "SIDEWAYS"}}}"#,
        &["rayCluster.autoscalerOptions.upscalingMode", "SIDEWAYS"],
    );
}

#[test]
fn deep_nesting() {
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    bad_input(&JSON_TO_PB, deep_json.clone(), &[]);
    bad_input(&["show"], deep_json, &[]);
    let deep_struct = format!(
        r#"{{"rayCluster": {{"headGroupSpec": {{"k8sPod": {{"podSpec": {{"a": {}1{}}}}}}}}}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    bad_input(&JSON_TO_PB, deep_struct, &[]);
    let deep_yaml = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    bad_input(&YAML_TO_PB, deep_yaml, &[]);
    // Nested messages past prost's recursion limit: rayCluster -> ... ->
    // Struct values nested 200 deep.
    let mut pb: Vec<u8> = Vec::new();
    for _ in 0..200 {
        // google.protobuf.Value.list_value (6) { ListValue.values (1) { ... } }
        let mut inner = vec![0x0a];
        push_len(&mut inner, pb.len());
        inner.extend_from_slice(&pb);
        let mut value = vec![0x32];
        push_len(&mut value, inner.len());
        value.extend_from_slice(&inner);
        pb = value;
    }
    let r = run(
        &[
            "convert", "--type", "K8sPod", "--from", "pb", "--to", "text",
        ],
        deep_pb_pod(&pb),
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.starts_with("flyte-ray: error: "), "{}", r.stderr);
}

fn push_len(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A K8sPod whose pod_spec Struct has field `a` holding `value`.
fn deep_pb_pod(value: &[u8]) -> Vec<u8> {
    // Struct.fields (1): map entry { key (1) = "a", value (2) = value }
    let mut entry = vec![0x0a, 0x01, b'a', 0x12];
    push_len(&mut entry, value.len());
    entry.extend_from_slice(value);
    let mut st = vec![0x0a];
    push_len(&mut st, entry.len());
    st.extend_from_slice(&entry);
    let mut pod = vec![0x12];
    push_len(&mut pod, st.len());
    pod.extend_from_slice(&st);
    pod
}

#[test]
fn empty_input() {
    bad_input(&JSON_TO_PB, "", &["empty"]);
    bad_input(&YAML_TO_PB, "  \n", &["empty"]);
    bad_input(&["show"], "", &["empty"]);
    bad_input(&["validate"], "\n", &["empty"]);
}

#[test]
fn empty_pb_is_the_empty_message() {
    let r = run(&["convert", "--from", "pb", "--to", "json"], "");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout(), "{}\n");
}

#[test]
fn yaml_bomb() {
    let bomb = "\
a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
";
    bad_input(&YAML_TO_PB, bomb, &[]);
    bad_input(&["show"], bomb, &[]);
    let pod_bomb = format!(
        "rayCluster:\n  headGroupSpec:\n    k8sPod:\n      podSpec:\n{}",
        indent(bomb, 8)
    );
    bad_input(&YAML_TO_PB, pod_bomb, &[]);
}

fn indent(s: &str, n: usize) -> String {
    s.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(n)))
        .collect()
}

#[test]
fn text_that_is_no_format() {
    bad_input(&["show"], "hello world\n", &["neither JSON nor YAML"]);
    bad_input(&["show"], "{\"rayCluster\": ", &["JSON"]);
}

#[test]
fn multi_document_yaml() {
    bad_input(
        &YAML_TO_PB,
        "runtimeEnvYaml: a\n---\nruntimeEnvYaml: b\n",
        &[],
    );
}

#[test]
fn missing_file() {
    bad_input(
        &["show", "/nonexistent/ray_job.yaml"],
        "",
        &["/nonexistent/ray_job.yaml"],
    );
}

#[test]
fn terminal_escapes_are_escaped_in_errors() {
    let r = run(&JSON_TO_PB, "{\"\\u001b[31mred\": 1}");
    assert_eq!(r.code, Some(1));
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
}

// ---- usage errors: exit 2 ----

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["frobnicate"],
        // `--from` defaults to auto; `--to` (or `-o`) is required.
        &["convert", "--from", "json"],
        &["convert", "--from", "xml", "--to", "json"],
        &[
            "convert", "--from", "json", "--to", "json", "--type", "Nope",
        ],
        &["show", "--bogus"],
        &["show", "--text", "-o", "json"],
    ] {
        let r = run(args, "{}");
        assert_eq!(r.code, Some(2), "args {args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "args {args:?}");
    }
}

#[test]
fn help_mentions_tasks_and_the_limit() {
    for args in [
        &["--help"][..],
        &["show", "--help"],
        &["convert", "--help"],
        &["validate", "--help"],
    ] {
        let r = run(args, "");
        assert_eq!(r.code, Some(0));
        let out = r.stdout();
        assert!(out.contains("64 MiB"), "{out}");
        assert!(
            out.contains("closure.compiledTask.template.custom"),
            "{out}"
        );
    }
}

#[test]
fn type_is_case_insensitive() {
    let r = run(
        &[
            "convert",
            "--type",
            "workergroupspec",
            "--from",
            "json",
            "--to",
            "short",
        ],
        r#"{"groupName": "g"}"#,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.stdout(),
        "Flyte Serialized object (WorkerGroupSpec):\n  group_name: g\n"
    );
}

// ---- the example ----

#[test]
fn show_example() {
    let path = example();
    let r = run(
        &["show", "-o", "short", path.to_str().expect("utf-8 path")],
        "",
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = r.stdout();
    assert!(
        out.starts_with("Flyte Serialized object (RayJob):\n"),
        "{out}"
    );
    assert!(out.contains("ray_cluster:"), "{out}");
    assert!(out.contains("shutdown_after_job_finishes: True"), "{out}");
    assert!(out.ends_with('\n') && !out.ends_with("\n\n"));

    let r = run(&["show", "--text", path.to_str().expect("utf-8 path")], "");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout().contains("group_name: \"gpu-workers\"\n"),
        "{}",
        r.stdout()
    );
}

#[test]
fn validate_example_is_clean() {
    let path = example();
    let r = run(&["validate", path.to_str().expect("utf-8 path")], "");
    assert_eq!(r.code, Some(0), "{}{}", r.stdout(), r.stderr);
    assert_eq!(r.stdout(), "", "findings: {}", r.stdout());
}

#[test]
fn example_round_trips_through_pb() {
    let path = example();
    let pb = run(
        &[
            "convert",
            "--from",
            "yaml",
            "--to",
            "pb",
            path.to_str().expect("utf-8 path"),
        ],
        "",
    );
    assert_eq!(pb.code, Some(0), "{}", pb.stderr);
    let show = run(&["show"], pb.stdout.clone());
    assert_eq!(show.code, Some(0), "{}", show.stderr);
    let direct = run(&["show", path.to_str().expect("utf-8 path")], "");
    assert_eq!(show.stdout, direct.stdout);
    let again = run(
        &["convert", "--from", "auto", "--to", "pb"],
        pb.stdout.clone(),
    );
    assert_eq!(again.stdout, pb.stdout);
}

// ---- validation ----

#[test]
fn validate_reports_errors_with_exit_1() {
    let doc = r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "headgroup", "replicas": 5, "maxReplicas": 2}]}, "ttlSecondsAfterFinished": 60}"#;
    let r = run(&["validate"], doc);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout(), r.stderr);
    let out = r.stdout();
    assert!(out.contains("rayCluster.workerGroupSpec[0]"), "{out}");
    assert!(r.stderr.contains("error"), "{}", r.stderr);
}

#[test]
fn validate_warnings_alone_exit_0() {
    let doc = r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1, "maxReplicas": 1}]}, "ttlSecondsAfterFinished": 60}"#;
    let r = run(&["validate"], doc);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout(), r.stderr);
    assert!(
        r.stdout()
            .starts_with("warning [ttl-without-shutdown] ttlSecondsAfterFinished: "),
        "{}",
        r.stdout()
    );
    assert!(r.stderr.contains("1 warning"), "{}", r.stderr);
}

#[test]
fn validate_types_without_rules() {
    let r = run(
        &["validate", "--type", "IOStrategy"],
        r#"{"downloadMode": "DOWNLOAD_EAGER"}"#,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("no rules"), "{}", r.stderr);
    let r = run(
        &["validate", "--type", "WorkerGroupSpec"],
        r#"{"groupName": "headgroup", "replicas": 1}"#,
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stdout().contains("groupName"), "{}", r.stdout());
}

// ---- Flyte tasks ----

fn example_json() -> serde_json::Value {
    let path = example();
    let r = run(
        &[
            "convert",
            "--from",
            "yaml",
            "--to",
            "json",
            path.to_str().expect("utf-8 path"),
        ],
        "",
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    serde_json::from_slice(&r.stdout).expect("JSON")
}

#[test]
fn task_template_custom_is_accepted() {
    let job = example_json();
    let direct = run(&JSON_TO_PB, job.to_string());
    assert_eq!(direct.code, Some(0), "{}", direct.stderr);
    let docs = [
        serde_json::json!({"id": {"name": "t"}, "type": "ray", "custom": job}),
        serde_json::json!({"template": {"type": "ray", "custom": job}}),
        serde_json::json!({"id": {"name": "t"}, "spec": {"template": {"type": "ray", "custom": job}}}),
        serde_json::json!({
            "id": {"resourceType": "TASK", "project": "p", "domain": "d", "name": "t", "version": "v1"},
            "closure": {"compiledTask": {"template": {"type": "ray", "taskTypeVersion": 1, "custom": job}},
                        "createdAt": "2024-01-01T00:00:00Z"}
        }),
    ];
    for doc in docs {
        let r = run(&JSON_TO_PB, doc.to_string());
        assert_eq!(r.code, Some(0), "{doc}: {}", r.stderr);
        assert_eq!(r.stdout, direct.stdout, "{doc}");
        let r = run(&["show"], doc.to_string());
        assert_eq!(r.code, Some(0), "{doc}: {}", r.stderr);
        let r = run(&["validate"], doc.to_string());
        assert_eq!(r.code, Some(0), "{doc}: {}", r.stderr);
    }
}

#[test]
fn task_custom_to_yaml_and_back_gives_the_same_json() {
    let job = example_json();
    let task = serde_json::json!({"template": {"type": "ray", "custom": job}});
    let yaml = run(
        &["convert", "--from", "json", "--to", "yaml"],
        task.to_string(),
    );
    assert_eq!(yaml.code, Some(0), "{}", yaml.stderr);
    let json = run(&["convert", "--from", "yaml", "--to", "json"], yaml.stdout);
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let back: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(back, job);
}

#[test]
fn task_errors_name_the_path_inside_the_task() {
    let task = r#"{"template": {"type": "ray", "custom": {"rayCluster": {"workerGroupSpec": [{"replicas": 3.5}]}}}}"#;
    bad_input(
        &JSON_TO_PB,
        task,
        &[
            "rayCluster.workerGroupSpec[0].replicas: ",
            "(RayJob at template.custom)",
        ],
    );
}

#[test]
fn a_list_inside_a_list_or_a_non_ray_task_is_an_error() {
    let job = example_json();
    // A list of tasks is several specs (tests/many.rs); a list in a list is not one.
    let list = serde_json::json!([[{"custom": job}, {"custom": job}]]);
    bad_input(
        &JSON_TO_PB,
        list.to_string(),
        &["stdin[0]: ", "list of 2 items inside a list"],
    );
    let python = serde_json::json!({"template": {"type": "python-task", "custom": null}});
    bad_input(&JSON_TO_PB, python.to_string(), &["python-task"]);
}

#[test]
fn task_yaml_is_accepted() {
    let job = example_json();
    let r = run(&JSON_TO_PB, job.to_string());
    let yaml_task = format!("template:\n  type: ray\n  custom: {}\n", job);
    let t = run(&YAML_TO_PB, yaml_task);
    assert_eq!(t.code, Some(0), "{}", t.stderr);
    assert_eq!(t.stdout, r.stdout);
}

#[test]
fn yaml_task_keeps_what_json_cannot_hold() {
    let task = "template:\n  type: ray\n  custom:\n    rayCluster:\n      headGroupSpec:\n        k8sPod:\n          podSpec:\n            x: .nan\n";
    let r = run(&["convert", "--from", "yaml", "--to", "text"], task);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout().contains("number_value: nan"), "{}", r.stdout());
}

#[test]
fn yaml_task_errors_name_the_path_inside_the_task() {
    let task = "spec:\n  template:\n    custom:\n      rayCluster:\n        workerGroupSpec:\n          - replicas: 3.5\n";
    bad_input(
        &YAML_TO_PB,
        task,
        &[
            "rayCluster.workerGroupSpec[0].replicas: ",
            "(RayJob at spec.template.custom)",
        ],
    );
}

// ---- size bound ----

#[test]
fn input_over_64_mib_is_refused() {
    let big = vec![b' '; (64 << 20) + 10];
    bad_input(&["show"], big, &["64 MiB"]);
}
