//! The `flyte-ray` binary for people and pipelines: readable `show`, `-o`,
//! lists of tasks, several files and directories, per-spec names, `--jobs`,
//! and `validate`'s CI switches (rule ids, `--output json`, `--strict`,
//! `--allow`/`--deny`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> String {
    root().join("examples/ray_job.yaml").display().to_string()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_in(dir: Option<&Path>, args: &[&str], stdin: &str) -> Run {
    let mut c = Command::cargo_bin("flyte-ray").expect("binary built");
    c.timeout(Duration::from_secs(60));
    if let Some(dir) = dir {
        c.current_dir(dir);
    }
    let out = c
        .args(args)
        .write_stdin(stdin.as_bytes().to_vec())
        .output()
        .expect("run flyte-ray");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[&str], stdin: &str) -> Run {
    run_in(None, args, stdin)
}

/// The example as proto3 JSON (through the tool itself, checked against
/// the YAML's own reading by serde below).
fn example_json() -> serde_json::Value {
    let r = run(&["convert", "-o", "json", &example()], "");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON")
}

/// An admin `Task` as `flytectl get task -o json` prints it.
fn task(version: &str, custom: &serde_json::Value) -> serde_json::Value {
    let id = serde_json::json!({"resourceType": "TASK", "project": "flytesnacks",
        "domain": "development", "name": "ray_example.ray_task", "version": version});
    serde_json::json!({"id": id, "closure": {"compiledTask": {"template": {
        "id": id, "type": "ray", "custom": custom}}}})
}

/// A scratch directory under the target dir, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

// ---- show ----

#[test]
fn show_prints_the_whole_spec_as_yaml() {
    let r = run(&["show", &example()], "");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // Every worker group and every pod spec is there (short_string cuts
    // lists and pod specs to `[...]`).
    for needle in [
        "groupName: cpu-workers",
        "groupName: gpu-workers",
        "image: rayproject/ray:2.40.0-py311",
        "podSpec:",
    ] {
        assert!(r.stdout.contains(needle), "{needle}: {}", r.stdout);
    }
    assert_eq!(r.stdout.matches("podSpec:").count(), 3, "{}", r.stdout);
    // It is the YAML mapping: it reads back as the same spec.
    let back = run(&["convert", "--from", "yaml", "-o", "json"], &r.stdout);
    assert_eq!(back.code, Some(0), "{}", back.stderr);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&back.stdout).expect("JSON"),
        example_json()
    );
}

#[test]
fn show_o_short_is_flytekits_string_and_every_o_works() {
    let short = run(&["show", "-o", "short", &example()], "");
    assert_eq!(short.code, Some(0), "{}", short.stderr);
    assert!(
        short
            .stdout
            .starts_with("Flyte Serialized object (RayJob):\n")
    );
    let conv = run(&["convert", "--to", "short", &example()], "");
    assert_eq!(short.stdout, conv.stdout);
    for o in ["text", "json", "yaml"] {
        let a = run(&["show", "-o", o, &example()], "");
        let b = run(&["convert", "-o", o, &example()], "");
        assert_eq!(a.code, Some(0), "{o}: {}", a.stderr);
        assert_eq!(a.stdout, b.stdout, "{o}");
    }
    // --text stays as a spelling of -o text.
    let text = run(&["show", "--text", &example()], "");
    assert_eq!(
        text.stdout,
        run(&["show", "-o", "text", &example()], "").stdout
    );
    assert!(text.stdout.contains("group_name: \"gpu-workers\"\n"));
}

#[test]
fn convert_from_defaults_to_auto() {
    let json = example_json();
    let pb = Command::cargo_bin("flyte-ray")
        .expect("binary")
        .args(["convert", "-o", "pb"])
        .write_stdin(json.to_string())
        .output()
        .expect("run");
    assert!(pb.status.success());
    let back = Command::cargo_bin("flyte-ray")
        .expect("binary")
        .args(["convert", "-o", "json"])
        .write_stdin(pb.stdout)
        .output()
        .expect("run");
    assert!(back.status.success());
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&back.stdout).expect("JSON"),
        json
    );
}

// ---- task lists and many inputs ----

#[test]
fn a_flytectl_list_is_shown_spec_by_spec_under_task_ids() {
    let job = example_json();
    let list = serde_json::json!([task("v1", &job), task("v2", &job)]);
    let r = run(&["show"], &list.to_string());
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("--- # flytesnacks/development/ray_example.ray_task@v1\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("--- # flytesnacks/development/ray_example.ray_task@v2\n")
    );
    assert_eq!(r.stdout.matches("groupName: gpu-workers").count(), 2);

    // JSON lines, one per spec.
    let r = run(&["show", "-o", "json"], &list.to_string());
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[1]["input"],
        "flytesnacks/development/ray_example.ray_task@v2"
    );
    assert_eq!(lines[1]["spec"], job);

    // Binary protobuf holds one message.
    let r = run(&["convert", "-o", "pb"], &list.to_string());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("2 specs"), "{}", r.stderr);
}

#[test]
fn a_yaml_list_of_ray_jobs_is_named_by_index() {
    let doc = "- rayCluster: {workerGroupSpec: [{groupName: a, replicas: 1}]}\n- rayCluster: {workerGroupSpec: [{groupName: b, replicas: 2}]}\n";
    let r = run(&["show", "-o", "short"], doc);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("# stdin[0]\nFlyte Serialized object (RayJob):"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("# stdin[1]\n"), "{}", r.stdout);
}

#[test]
fn one_bad_spec_never_stops_the_others() {
    let job = example_json();
    let mut bad = job.clone();
    bad["rayCluster"]["workerGroupSpec"][0]["replicas"] = serde_json::json!(2.5);
    let list = serde_json::json!([task("v1", &job), task("v2", &bad), task("v3", &job)]);
    let r = run(&["show", "-o", "short"], &list.to_string());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(
        r.stdout.matches("Flyte Serialized object (RayJob)").count(),
        2
    );
    assert!(
        r.stdout.contains("@v1\n") && r.stdout.contains("@v3\n"),
        "{}",
        r.stdout
    );
    // The failing task by name, the path from the RayJob, where the RayJob
    // sits said once.
    assert!(
        r.stderr.contains(
            "flyte-ray: error: flytesnacks/development/ray_example.ray_task@v2: \
             rayCluster.workerGroupSpec[0].replicas: expected an int32, found 2.5 \
             (RayJob at closure.compiledTask.template.custom)"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 of 3 specs did not read"),
        "{}",
        r.stderr
    );
}

#[test]
fn several_files_and_directories() {
    let dir = scratch("several_files");
    let job = example_json();
    std::fs::write(dir.join("b.json"), job.to_string()).expect("write");
    std::fs::write(
        dir.join("a.yaml"),
        "rayCluster: {workerGroupSpec: [{groupName: first, replicas: 1}]}\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("c.yml"),
        "rayCluster: {workerGroupSpec: [{replicas: nope}]}\n",
    )
    .expect("write");
    std::fs::write(dir.join("notes.txt"), "not a spec").expect("write");
    let pb = run(&["convert", "-o", "json", &example()], "");
    assert_eq!(pb.code, Some(0));
    let r = run_in(Some(&dir), &["show", "-o", "short", "."], "");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    // Sorted by name, the .txt left out, the bad one named with its line.
    let headers: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(headers, ["# ./a.yaml", "# ./b.json"], "{}", r.stdout);
    assert!(
        r.stderr.contains("flyte-ray: error: ./c.yml: rayCluster.workerGroupSpec[0].replicas: expected an int32, found \"nope\" at line 1 column 33"),
        "{}",
        r.stderr
    );
    // Files given one by one, in the order given.
    let r = run_in(Some(&dir), &["show", "-o", "short", "b.json", "a.yaml"], "");
    let headers: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(headers, ["# b.json", "# a.yaml"]);
    // A missing file is one more failed spec.
    let r = run_in(
        Some(&dir),
        &["show", "-o", "short", "a.yaml", "missing.json"],
        "",
    );
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.contains("# a.yaml"));
    assert!(r.stderr.contains("missing.json"), "{}", r.stderr);
}

#[test]
fn jobs_does_not_change_the_output() {
    let job = example_json();
    let list: Vec<_> = (0..300).map(|i| task(&format!("v{i}"), &job)).collect();
    let list = serde_json::Value::Array(list).to_string();
    let one = run(
        &["validate", "--jobs", "1", "--output", "json", "--strict"],
        &list,
    );
    let two = run(
        &["validate", "--jobs", "2", "--output", "json", "--strict"],
        &list,
    );
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    assert!(
        one.stderr.contains("300 specs: 300 valid"),
        "{}",
        one.stderr
    );
    let r = run(&["validate", "--jobs", "0"], &list);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

// ---- validate for CI ----

/// A job with one error (a worker group named `headgroup`) and one warning
/// (a TTL without shutdownAfterJobFinishes), as in the validation docs.
fn flawed() -> serde_json::Value {
    serde_json::json!({"rayCluster": {"workerGroupSpec": [
        {"groupName": "headgroup", "replicas": 1, "maxReplicas": 1}]},
        "ttlSecondsAfterFinished": 60})
}

#[test]
fn validate_names_each_failing_task_with_rule_ids() {
    let job = example_json();
    let list = serde_json::json!([task("v1", &job), task("v2", &flawed()), task("v3", &job)]);
    let r = run(&["validate"], &list.to_string());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    for line in &lines {
        assert!(
            line.starts_with("flytesnacks/development/ray_example.ray_task@v2: "),
            "{line}"
        );
        // `SEVERITY [RULE] PATH: ...`
        let rest = &line["flytesnacks/development/ray_example.ray_task@v2: ".len()..];
        assert!(
            rest.starts_with("error [") || rest.starts_with("warning ["),
            "{line}"
        );
    }
    assert!(
        r.stdout
            .contains("] rayCluster.workerGroupSpec[0].groupName: "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("warning [") && r.stdout.contains("] ttlSecondsAfterFinished: "),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("3 specs: 2 valid, 1 invalid, 0 unreadable"),
        "{}",
        r.stderr
    );
}

#[test]
fn validate_output_json_prints_only_json_lines() {
    let job = example_json();
    let mut bad = job.clone();
    bad["rayCluster"]["workerGroupSpec"][0]["replicas"] = serde_json::json!("two");
    let list = serde_json::json!([task("v1", &flawed()), task("v2", &bad)]);
    let r = run(&["validate", "--output", "json"], &list.to_string());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    for l in &lines {
        for key in [
            "input", "severity", "rule", "path", "message", "origin", "root",
        ] {
            assert!(l.get(key).is_some(), "{key} in {l}");
        }
        assert_eq!(l["root"], "closure.compiledTask.template.custom");
    }
    let read = &lines[2];
    assert_eq!(
        read["input"],
        "flytesnacks/development/ray_example.ray_task@v2"
    );
    assert_eq!(read["rule"], "read-error");
    assert_eq!(read["path"], "rayCluster.workerGroupSpec[0].replicas");
    assert_eq!(read["severity"], "error");
    assert!(lines.iter().any(
        |l| l["path"] == "rayCluster.workerGroupSpec[0].groupName" && l["severity"] == "error"
    ));
}

/// The rule ids of a validate run's findings, from `--output json`.
fn rules(args: &[&str], doc: &str) -> (Option<i32>, Vec<(String, String)>) {
    let mut all = vec!["validate", "--output", "json"];
    all.extend_from_slice(args);
    let r = run(&all, doc);
    let found = r
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            (
                v["rule"].as_str().expect("rule").to_owned(),
                v["severity"].as_str().expect("severity").to_owned(),
            )
        })
        .collect();
    (r.code, found)
}

#[test]
fn strict_allow_and_deny() {
    let warning_only = serde_json::json!({"rayCluster": {"workerGroupSpec": [
        {"groupName": "w", "replicas": 1, "maxReplicas": 1}]}, "ttlSecondsAfterFinished": 60})
    .to_string();
    let (code, found) = rules(&[], &warning_only);
    assert_eq!(code, Some(0));
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, severity) = found[0].clone();
    assert_eq!(severity, "warning");
    // --strict: warnings fail.
    assert_eq!(rules(&["--strict"], &warning_only).0, Some(1));
    // --allow: the finding neither prints nor fails, even with --strict.
    let (code, found) = rules(&["--strict", "--allow", &rule], &warning_only);
    assert_eq!((code, found.len()), (Some(0), 0));
    // --deny: the warning is an error.
    let (code, found) = rules(&["--deny", &rule], &warning_only);
    assert_eq!(code, Some(1));
    assert_eq!(found, [(rule.clone(), "error".to_owned())]);
    // An error can be allowed too.
    let (code, found) = rules(&[], &flawed().to_string());
    assert_eq!(code, Some(1));
    let errors: Vec<_> = found
        .iter()
        .filter(|(_, s)| s == "error")
        .map(|(r, _)| r.as_str())
        .collect();
    let mut args = vec!["--allow"];
    args.push(errors[0]);
    for e in &errors[1..] {
        args.extend(["--allow", e]);
    }
    assert_eq!(rules(&args, &flawed().to_string()).0, Some(0));
    // Unknown rule ids are usage errors listing the rules.
    let r = run(&["validate", "--allow", "no-such-rule"], &warning_only);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("ray-cluster-missing"), "{}", r.stderr);
}

#[test]
fn a_yaml_typo_is_reported_at_its_own_line() {
    let example = std::fs::read_to_string(example()).expect("example");
    let mut lines: Vec<&str> = example.lines().collect();
    let n = lines
        .iter()
        .rposition(|l| l.trim_start().starts_with("replicas:"))
        .expect("replicas");
    lines.insert(n + 1, "      replicaz: 3");
    let doc = lines.join("\n");
    let r = run(&["validate"], &doc);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("has no field named \"replicaz\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("at line {} column 7", n + 2)),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr.matches("workerGroupSpec[1].replicaz").count(),
        1,
        "{}",
        r.stderr
    );
    // In JSON lines, the same, as a read error.
    let r = run(&["validate", "--output", "json"], &doc);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("one JSON line");
    assert_eq!(v["rule"], "read-error");
    assert_eq!(v["path"], "rayCluster.workerGroupSpec[1].replicaz");
    assert!(
        v["message"]
            .as_str()
            .expect("message")
            .ends_with(&format!("at line {} column 7", n + 2))
    );
}

#[test]
fn duplicate_yaml_keys_are_yaml_with_a_line() {
    let doc = "rayCluster:\n  workerGroupSpec:\n    - groupName: a\n      groupName: b\n";
    let r = run(&["show"], doc);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("rayCluster.workerGroupSpec[0].groupName: duplicate key \"groupName\" at line 4 column 7"),
        "{}",
        r.stderr
    );
}

#[test]
fn help_says_it_all() {
    let r = run(&["show", "--help"], "");
    for needle in [
        "-o, --output",
        "short",
        "--jobs",
        "directory",
        "project/domain/name@version",
    ] {
        assert!(r.stdout.contains(needle), "{needle}: {}", r.stdout);
    }
    let r = run(&["validate", "--help"], "");
    for needle in ["--strict", "--allow", "--deny", "--output", "JSON lines"] {
        assert!(r.stdout.contains(needle), "{needle}: {}", r.stdout);
    }
    let r = run(&["convert", "--help"], "");
    assert!(r.stdout.contains("-o, --to"), "{}", r.stdout);
    assert!(r.stdout.contains("[default: auto]"), "{}", r.stdout);
}

// ---- size limits of lists ----

/// A JSON list past the 64 MiB of one spec reads (up to 512 MiB), each
/// item still bounded: 66 items of 1 MiB each (a label value), 66 MiB in
/// all. A single document of that size stays refused (input_over_64_mib_is_refused
/// in cli.rs), and so does one item past 64 MiB.
#[test]
fn a_json_list_may_be_larger_than_one_spec() {
    let dir = scratch("big_list");
    let value = "x".repeat(1 << 20);
    let item = serde_json::json!({"labels": {"team": value}}).to_string();
    let list = format!("[{}]", vec![item.as_str(); 66].join(","));
    assert!(list.len() > 66 << 20);
    let path = dir.join("big.json");
    std::fs::write(&path, &list).expect("write");
    let path = path.display().to_string();
    let r = run(&["validate", "--type", "K8sObjectMetadata", &path], "");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("66 specs: 66 valid, 0 invalid, 0 unreadable"),
        "{}",
        r.stderr
    );

    // One item of 65 MiB in a list: that item fails, named; the other reads.
    let huge = serde_json::json!({"labels": {"team": "x".repeat(65 << 20)}}).to_string();
    let list = format!("[{item},{huge}]");
    let path = dir.join("huge_item.json");
    std::fs::write(&path, &list).expect("write");
    let path = path.display().to_string();
    let r = run(&["validate", "--type", "K8sObjectMetadata", &path], "");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("huge_item.json[1]: the list item is larger than the limit of 64 MiB"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("2 specs: 1 valid, 0 invalid, 1 unreadable"),
        "{}",
        r.stderr
    );

    // A YAML list past 64 MiB is not parsed into a tree at all.
    let yaml = format!("- labels: {{team: {value}}}\n").repeat(66);
    let path = dir.join("big.yaml");
    std::fs::write(&path, &yaml).expect("write");
    let path = path.display().to_string();
    let r = run(&["validate", "--type", "K8sObjectMetadata", &path], "");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("input is larger than the limit of 64 MiB (only a JSON list"),
        "{}",
        r.stderr
    );
}

/// A list of more than 1,000,000 items is refused without building them
/// (each item costs memory of its own: `[{},{},...]` must not take
/// gigabytes), naming the limit.
#[test]
fn a_list_has_at_most_a_million_items() {
    let list = format!("[{}]", vec!["{}"; 1_000_001].join(","));
    let r = run(&["validate", "--type", "IOStrategy", "-"], &list);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the list has more than 1000000 items, the limit"),
        "{}",
        r.stderr
    );
    // Exactly the limit is fine (and reads every item).
    let list = format!("[{}]", vec!["{}"; 1_000_000].join(","));
    let r = run(
        &["validate", "--type", "IOStrategy", "--jobs", "2", "-"],
        &list,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("1000000 specs: 1000000 valid"),
        "{}",
        r.stderr
    );
}

/// A JSON list with one damaged item (brackets balanced, the item itself not
/// JSON) and one item that is not UTF-8: the list is still sliced (json_list's
/// guarantee), those two items fail under their own names, the others read.
/// serde_json refuses the whole list, so before the slicer every item failed.
#[test]
fn a_damaged_item_fails_alone() {
    let dir = scratch("damaged_item");
    let good = r#"{"labels": {"team": "ray"}}"#;
    let mut list = format!(
        "[{good}, {{\"labels\": {{\"team\": \"ray\"]}}, {good},\n{{\"labels\": {{\"team\": \""
    )
    .into_bytes();
    list.extend_from_slice(b"\xff\"}}, ");
    list.extend_from_slice(good.as_bytes());
    list.extend_from_slice(b"]");
    assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&list).is_err());
    let path = dir.join("damaged.json");
    std::fs::write(&path, &list).expect("write");
    let path = path.display().to_string();
    let r = run(&["validate", "--type", "K8sObjectMetadata", &path], "");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("5 specs: 3 valid, 0 invalid, 2 unreadable"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("damaged.json[1]: "), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("damaged.json[3]: JSON input is not valid UTF-8: invalid byte at offset 21"),
        "{}",
        r.stderr
    );
    for ok in ["[0]", "[2]", "[4]"] {
        assert!(
            !r.stderr.contains(&format!("damaged.json{ok}")),
            "{}",
            r.stderr
        );
    }
}

/// A list whose damage shows only after its last item (here: text after
/// the closing `]`) is not a list: the whole file fails as one spec, as
/// when the list was sliced before any item was read. Its items are read
/// while it is sliced and then dropped, so no item may be reported: the
/// outcome, and the output, are the same on 1 and 2 threads.
#[test]
fn a_list_damaged_after_its_items_fails_whole() {
    let dir = scratch("damaged_after");
    let job = example_json();
    let items: Vec<_> = (0..300).map(|i| task(&format!("v{i}"), &job)).collect();
    let list = format!("{} x", serde_json::Value::Array(items));
    let path = dir.join("tasks.json");
    std::fs::write(&path, &list).expect("write");
    let path = path.display().to_string();
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let r = run(&["validate", "--jobs", jobs, &path], "");
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        // One spec, the file, unreadable (so no summary of many); none of
        // its 300 items.
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(!r.stderr.contains("tasks.json["), "{}", r.stderr);
        assert!(r.stderr.contains("trailing characters"), "{}", r.stderr);
        let shown = run(&["show", "-o", "json", "--jobs", jobs, &path], "");
        assert_eq!(shown.code, Some(1), "{}", shown.stderr);
        assert!(shown.stdout.is_empty(), "{}", shown.stdout);
        outputs.push((r.stdout, r.stderr, shown.stderr));
    }
    assert_eq!(outputs[0], outputs[1]);
}
