//! `--idl auto|flyteidl|flyteidl2` on `show`, `convert` and `validate`:
//! strict Flyte 1 refuses flyteidl2-only fields in every input format,
//! naming the path and field; the default and `flyteidl2` accept them;
//! `validate` warns that a Flyte 1 backend drops `extendedResources`
//! (not under `--idl flyteidl2`); `--help` says so.

use std::time::Duration;

use assert_cmd::Command;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: &[u8]) -> Run {
    let out = Command::cargo_bin("flyte-ray")
        .expect("binary built")
        .timeout(Duration::from_secs(30))
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .expect("run flyte-ray");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A Flyte 2 RayJob as flyteplugins-ray writes it: the second worker group
/// has a GPU accelerator and shared memory.
const V2_JSON: &str = r#"{"rayCluster": {"workerGroupSpec": [
  {"groupName": "cpu", "replicas": 1, "minReplicas": 1, "maxReplicas": 1},
  {"groupName": "gpu", "replicas": 2, "minReplicas": 2, "maxReplicas": 2,
   "extendedResources": {"gpuAccelerator": {"device": "nvidia-h100"},
                         "sharedMemory": {"mountPath": "/dev/shm", "mountName": "flyte-shared-memory"}}}]},
 "shutdownAfterJobFinishes": true}"#;

const V2_YAML: &str = "rayCluster:
  workerGroupSpec:
  - groupName: cpu
    replicas: 1
  - groupName: gpu
    replicas: 2
    extendedResources:
      gpuAccelerator:
        device: nvidia-h100
shutdownAfterJobFinishes: true
";

/// The same job as a Flyte task (`flytectl get task -o json`).
fn v2_task() -> String {
    format!(
        r#"{{"id": {{"project": "p", "domain": "d", "name": "t", "version": "v1"}},
            "closure": {{"compiledTask": {{"template": {{"type": "ray", "custom": {V2_JSON}}}}}}}}}"#
    )
}

const V1_JSON: &str = r#"{"rayCluster": {"workerGroupSpec": [{"groupName": "cpu", "replicas": 1, "minReplicas": 1, "maxReplicas": 1}]}, "shutdownAfterJobFinishes": true}"#;

const PATH: &str = "rayCluster.workerGroupSpec[1].extendedResources";

fn pb(json: &str) -> Vec<u8> {
    let out = Command::cargo_bin("flyte-ray")
        .expect("binary built")
        .args(["convert", "--from", "json", "--to", "pb"])
        .write_stdin(json.as_bytes().to_vec())
        .output()
        .expect("run flyte-ray");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[track_caller]
fn refused(args: &[&str], stdin: &[u8], path: &str) {
    let r = run(args, stdin);
    assert_eq!(r.code, Some(1), "{args:?}: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{args:?}: stdout {}", r.stdout);
    let want = format!(
        "flyte-ray: error: {path}: WorkerGroupSpec.extended_resources (field 7) exists only in flyteidl2; --idl flyteidl (flyteidl.plugins.RayJob) cannot carry it"
    );
    assert!(
        r.stderr.starts_with(&want),
        "{args:?}:\n{}\nwant {want}",
        r.stderr
    );
}

#[test]
fn strict_flyteidl_refuses_extended_resources_in_every_format() {
    let bytes = pb(V2_JSON);
    assert!(!bytes.is_empty());
    let task = v2_task();
    for to in ["pb", "json", "yaml", "text", "short"] {
        let convert =
            |from: &'static str| ["convert", "--idl", "flyteidl", "--from", from, "--to", to];
        refused(&convert("pb"), &bytes, PATH);
        refused(&convert("json"), V2_JSON.as_bytes(), PATH);
        refused(&convert("yaml"), V2_YAML.as_bytes(), PATH);
        refused(&convert("auto"), &bytes, PATH);
    }
    // A whole task: the path is from the RayJob, and where it sits is said.
    let r = run(
        &["convert", "--idl", "flyteidl", "-o", "json"],
        task.as_bytes(),
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("p/d/t@v1: {PATH}: ")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("(RayJob at closure.compiledTask.template.custom)"),
        "{}",
        r.stderr
    );
    // show, on each format.
    for input in [&bytes[..], V2_JSON.as_bytes(), V2_YAML.as_bytes()] {
        refused(&["show", "--idl", "flyteidl"], input, PATH);
    }
    // Below the RayJob: the path starts at the type given.
    let group = r#"{"groupName": "gpu", "extendedResources": {}}"#;
    let r = run(
        &["show", "--idl", "flyteidl", "--type", "WorkerGroupSpec"],
        group.as_bytes(),
    );
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr
            .starts_with("flyte-ray: error: extendedResources: "),
        "{}",
        r.stderr
    );
}

#[test]
fn strict_flyteidl_names_each_v2_only_field() {
    let cases = [
        (
            "HeadGroupSpec",
            r#"{"k8sPod": {"dataConfig": {"enabled": true, "fileInputLayout": "NAMED_DIR"}}}"#,
            "k8sPod.dataConfig.fileInputLayout",
            "DataLoadingConfig.file_input_layout (field 6)",
        ),
        (
            "GPUAccelerator",
            r#"{"device": "tpu", "deviceClass": "GOOGLE_TPU"}"#,
            "deviceClass",
            "GPUAccelerator.device_class (field 4)",
        ),
        (
            "ExtendedResources",
            r#"{"gpuAccelerator": {"device": "a100", "acceleratorModel": "NVIDIA_A100"}}"#,
            "gpuAccelerator.acceleratorModel",
            "GPUAccelerator.accelerator_model (field 5)",
        ),
        (
            "RayCluster",
            r#"{"headGroupSpec": {"extendedResources": {"sharedMemory": {}}}}"#,
            "headGroupSpec.extendedResources",
            "HeadGroupSpec.extended_resources (field 3)",
        ),
    ];
    for (ty, json, path, field) in cases {
        let r = run(
            &["convert", "--idl", "flyteidl", "--type", ty, "-o", "json"],
            json.as_bytes(),
        );
        assert_eq!(r.code, Some(1), "{ty}: {}", r.stderr);
        let want = format!("flyte-ray: error: {path}: {field} exists only in flyteidl2");
        assert!(
            r.stderr.starts_with(&want),
            "{ty}: {}\nwant {want}",
            r.stderr
        );
        // The default and flyteidl2 read them.
        for idl in ["auto", "flyteidl2"] {
            let r = run(
                &["convert", "--idl", idl, "--type", ty, "-o", "json"],
                json.as_bytes(),
            );
            assert_eq!(r.code, Some(0), "{ty} {idl}: {}", r.stderr);
        }
    }
}

#[test]
fn flyte1_specs_are_the_same_in_every_dialect() {
    let mut outputs = Vec::new();
    for idl in ["auto", "flyteidl", "flyteidl2"] {
        let r = run(
            &["convert", "--idl", idl, "--from", "json", "--to", "text"],
            V1_JSON.as_bytes(),
        );
        assert_eq!(r.code, Some(0), "{idl}: {}", r.stderr);
        outputs.push(r.stdout);
    }
    assert!(outputs[0].contains("group_name: \"cpu\""), "{}", outputs[0]);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn default_and_flyteidl2_read_flyte2_specs() {
    for idl in [None, Some("auto"), Some("flyteidl2")] {
        let mut args = vec!["convert", "--from", "json", "--to", "json"];
        if let Some(idl) = idl {
            args.extend(["--idl", idl]);
        }
        let r = run(&args, V2_JSON.as_bytes());
        assert_eq!(r.code, Some(0), "{idl:?}: {}", r.stderr);
        assert!(r.stdout.contains("\"extendedResources\""), "{}", r.stdout);
        assert!(
            r.stdout.contains("\"device\": \"nvidia-h100\""),
            "{}",
            r.stdout
        );
    }
}

#[test]
fn validate_warns_of_the_flyte1_drop_unless_flyteidl2() {
    let r = run(&["validate"], V2_JSON.as_bytes());
    assert_eq!(r.code, Some(0), "a warning does not fail: {}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(
        r.stdout
            .starts_with(&format!("warning [extended-resources-dropped] {PATH}: ")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Flyte 1 backend"), "{}", r.stdout);
    let r = run(&["validate", "--strict"], V2_JSON.as_bytes());
    assert_eq!(r.code, Some(1));
    let r = run(
        &["validate", "--idl", "flyteidl2", "--strict"],
        V2_JSON.as_bytes(),
    );
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    // Strict Flyte 1: a read error naming the path, in JSON lines too.
    let r = run(
        &["validate", "--idl", "flyteidl", "-o", "json"],
        V2_JSON.as_bytes(),
    );
    assert_eq!(r.code, Some(1));
    let line: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("one JSON line");
    assert_eq!(line["rule"], "read-error");
    assert_eq!(line["path"], PATH);
    assert!(
        line["message"]
            .as_str()
            .unwrap_or_default()
            .contains("exists only in flyteidl2")
    );
}

#[test]
fn validate_checks_the_new_types() {
    let r = run(
        &["validate", "--type", "SharedMemory"],
        br#"{"mountPath": "/dev/shm", "mountName": "shm", "sizeLimit": "2GB"}"#,
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("error [shared-memory-size-limit-invalid] sizeLimit: "),
        "{}",
        r.stdout
    );
    let r = run(
        &["validate", "--type", "GPUAccelerator"],
        br#"{"device": ""}"#,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("warning [gpu-device-empty] device: "),
        "{}",
        r.stdout
    );
}

#[test]
fn bad_idl_is_a_usage_error() {
    let r = run(&["show", "--idl", "flyteidl3"], V1_JSON.as_bytes());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("flyteidl2"), "{}", r.stderr);
}

#[test]
fn help_explains_idl_and_the_new_types() {
    for cmd in ["show", "convert", "validate"] {
        let r = run(&[cmd, "--help"], b"");
        assert_eq!(r.code, Some(0));
        for needle in [
            "--idl <IDL>",
            "auto",
            "flyteidl2",
            "extendedResources",
            "ExtendedResources",
            "GPUAccelerator",
            "SharedMemory",
            "extended-resources-dropped",
        ] {
            assert!(
                r.stdout.contains(needle),
                "{cmd} --help lacks {needle}:\n{}",
                r.stdout
            );
        }
    }
}
