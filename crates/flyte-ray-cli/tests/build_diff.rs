//! `flyte-ray build` and `flyte-ray diff` on the shipped example config and
//! on hand-made documents; each expectation is reasoned in its comment from
//! the SDKs' behaviour (docs/TASK_LAYER.md), the golden cases cover the rest.

#[path = "../../flyte-ray-task/tests/support/golden.rs"]
mod golden;

use std::process::Output;

use assert_cmd::Command;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/ray_config.yaml"
);

fn flyte_ray(args: &[&str], stdin: &str) -> Output {
    Command::cargo_bin("flyte-ray")
        .expect("binary")
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn example_builds_for_both_sdks_in_every_format() {
    for sdk in ["flytekit", "flyte2"] {
        for to in ["json", "yaml", "text", "short"] {
            let out = flyte_ray(&["build", EXAMPLE, "--sdk", sdk, "--to", to], "");
            assert!(out.status.success(), "{sdk} {to}: {}", text(&out.stderr));
            assert!(!out.stdout.is_empty());
        }
    }
    // The YAML is the custom mapping: the worker groups by their JSON names.
    let out = flyte_ray(&["build", EXAMPLE, "--sdk", "flyte2", "--to", "yaml"], "");
    let yaml = text(&out.stdout);
    assert!(yaml.contains("workerGroupSpec:"), "{yaml}");
    assert!(yaml.contains("groupName: gpu-workers"), "{yaml}");
    // ...and it is Flyte 2's own custom of the example (extra.jsonl, made
    // by flyteplugins-ray 2.12.1), numbers compared numerically.
    let got: serde_json::Value = serde_yaml_ng::from_str(&yaml).expect("the output is YAML");
    let cases = golden::extra_cases();
    let want = cases
        .iter()
        .find(|c| c.id == "extra-flyte2-example")
        .and_then(|c| c.custom.as_ref())
        .expect("the example's reference custom");
    assert_eq!(golden::json_diff(want, &got, "custom"), None);
}

#[test]
fn warnings_go_to_stderr() {
    let out = flyte_ray(&["build", EXAMPLE], "");
    let err = text(&out.stderr);
    // gpu-workers has requests and a pod_template: flytekit drops the template.
    assert!(
        err.contains("warning: worker_node_config[1].pod_template: ")
            && err.contains("[pod-template-dropped]"),
        "{err}"
    );
    let out = flyte_ray(&["build", EXAMPLE, "--sdk", "flyte2"], "");
    let err = text(&out.stderr);
    // Flyte 2 merges them into the template instead.
    assert!(err.contains("[resources-merged-into-template]"), "{err}");
    assert!(!err.contains("[pod-template-dropped]"), "{err}");
}

#[test]
fn diff_of_the_two_sdks_on_the_example() {
    let a = flyte_ray(&["build", EXAMPLE, "--sdk", "flytekit"], "");
    let b = flyte_ray(&["build", EXAMPLE, "--sdk", "flyte2"], "");
    let dir = std::env::temp_dir().join(format!("flyte-ray-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (pa, pb) = (dir.join("a.json"), dir.join("b.json"));
    std::fs::write(&pa, &a.stdout).expect("write");
    std::fs::write(&pb, &b.stdout).expect("write");
    let out = flyte_ray(
        &[
            "diff",
            pa.to_str().expect("path"),
            pb.to_str().expect("path"),
        ],
        "",
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1));
    let lines = text(&out.stdout);
    // The head's pod from resources: flytekit keeps the default primary
    // name, Flyte 2 names the head container.
    assert!(
        lines.contains(
            "rayCluster.headGroupSpec.k8sPod.primaryContainerName: \"primary\" -> \"ray-head\"\n"
        ),
        "{lines}"
    );
    // flytekit always writes the autoscaler's resources; Flyte 2 omits them
    // when there are none.
    assert!(
        lines.contains("rayCluster.autoscalerOptions.resources: {} -> (absent)\n"),
        "{lines}"
    );
    // gpu-workers: flytekit dropped the template (no image), Flyte 2 kept it.
    assert!(
        lines.contains("rayCluster.workerGroupSpec[1].k8sPod.podSpec.containers[0].image: (absent) -> \"rayproject/ray-ml:2.9.0-gpu\"\n"),
        "{lines}"
    );
}

#[test]
fn diff_is_semantic_across_formats() {
    // The same job as JSON (defaults written out, keys reordered) and as
    // binary: equal. Replicas 2 vs 3: one line.
    let json = r#"{"shutdownAfterJobFinishes": false, "rayCluster": {"workerGroupSpec": [{"replicas": 2, "groupName": "w", "minReplicas": 0}]}}"#;
    let dir = std::env::temp_dir().join(format!("flyte-ray-diff2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pa = dir.join("a.json");
    std::fs::write(&pa, json).expect("write");
    let pb = flyte_ray(
        &[
            "convert",
            "--from",
            "json",
            "--to",
            "pb",
            pa.to_str().expect("p"),
        ],
        "",
    );
    let pbp = dir.join("b.pb");
    std::fs::write(&pbp, &pb.stdout).expect("write");
    let same = flyte_ray(
        &["diff", pa.to_str().expect("p"), pbp.to_str().expect("p")],
        "",
    );
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stdout));
    assert!(same.stdout.is_empty());
    let pc = dir.join("c.yaml");
    std::fs::write(
        &pc,
        "rayCluster:\n  workerGroupSpec:\n  - groupName: w\n    replicas: 3\n",
    )
    .expect("write");
    let d = flyte_ray(
        &["diff", pa.to_str().expect("p"), pc.to_str().expect("p")],
        "",
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(d.status.code(), Some(1));
    assert_eq!(
        text(&d.stdout),
        "rayCluster.workerGroupSpec[0].replicas: 2 -> 3\n"
    );
}

#[test]
fn sdk_errors_exit_1_with_the_sdk_message() {
    // flytekit's Resources.__post_init__: a 3-list has valid element types
    // but not length 2.
    let doc = "worker_node_config: [{group_name: w, replicas: 1, requests: {cpu: [1, 2, 3]}}]";
    let out = flyte_ray(&["build", "-"], doc);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "worker_node_config[0].requests.cpu: ValueError: (1, 2, 3) must be of length 2"
        ),
        "{}",
        text(&out.stderr)
    );
    // Flyte 2 refuses a reuse policy with more than one replica.
    let doc = "worker_node_config: []\nreusable: {replicas: 2}\n";
    let out = flyte_ray(&["build", "-", "--sdk", "flyte2"], doc);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("RuntimeUserError: Reusable Ray tasks currently support exactly 1 replica (one shared RayCluster); got replicas=(2, 2)."),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn document_errors_name_the_path() {
    let out = flyte_ray(
        &["build", "-"],
        "worker_node_config: [{group_name: w, replicas: 1}, {group_name: x, replicas: two}]",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("worker_node_config[1].replicas: invalid type"),
        "{}",
        text(&out.stderr)
    );
    // A Flyte 2 key in a flytekit document.
    let out = flyte_ray(
        &["build", "-"],
        "worker_node_config: [{group_name: w, replicas: 1, limits: {memory: 1Gi}}]",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .contains("worker_node_config[0].limits.memory: unknown field `memory` for flytekit"),
        "{}",
        text(&out.stderr)
    );
    // A pod spec key Kubernetes does not know.
    let out = flyte_ray(
        &["build", "-"],
        "worker_node_config: [{group_name: w, replicas: 1, pod_template: {pod_spec: {containers: [{name: a, imagee: x}]}}}]",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "worker_node_config[0].pod_template.pod_spec: containers[0].imagee: unknown field"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn validate_flag_runs_the_spec_rules() {
    // Replicas -1 is accepted by both SDKs but KubeRay refuses it.
    let out = flyte_ray(
        &["build", "-", "--validate"],
        "worker_node_config: [{group_name: w, replicas: -1}]",
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("error: rayCluster.workerGroupSpec[0]"),
        "{}",
        text(&out.stderr)
    );
    let ok = flyte_ray(
        &["build", "-", "--validate"],
        "worker_node_config: [{group_name: w, replicas: 1}]",
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
}

#[test]
fn diff_of_our_builds_is_the_diff_of_the_real_sdks() {
    // extra.jsonl holds the custom the real flytekit and Flyte 2 made of
    // the shipped example; `diff` of our two builds must print exactly what
    // `diff` of those two prints, and it is not empty.
    let cases = golden::extra_cases();
    let reference = |id: &str| {
        let c = cases.iter().find(|c| c.id == id).expect("example case");
        serde_json::to_vec(c.custom.as_ref().expect("custom")).expect("json")
    };
    let dir = std::env::temp_dir().join(format!("flyte-ray-diff3-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).expect("write");
        p.to_str().expect("path").to_owned()
    };
    let ra = write("ref-a.json", &reference("extra-flytekit-example"));
    let rb = write("ref-b.json", &reference("extra-flyte2-example"));
    let oa = write(
        "our-a.json",
        &flyte_ray(&["build", EXAMPLE, "--sdk", "flytekit"], "").stdout,
    );
    let ob = write(
        "our-b.json",
        &flyte_ray(&["build", EXAMPLE, "--sdk", "flyte2"], "").stdout,
    );
    let want = flyte_ray(&["diff", &ra, &rb], "");
    let got = flyte_ray(&["diff", &oa, &ob], "");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(want.status.code(), Some(1));
    assert_eq!(got.status.code(), Some(1));
    assert_eq!(text(&got.stdout), text(&want.stdout));
    // They are the lines the README shows.
    let readme = include_str!("../../../README.md");
    let shown = readme
        .split("On the shipped\nexample it gives the lines below")
        .nth(1)
        .and_then(|s| s.split("```text\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("README shows the diff");
    assert_eq!(text(&got.stdout), shown);
}
