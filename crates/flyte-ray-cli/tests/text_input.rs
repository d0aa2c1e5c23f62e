//! Text format in, through the built `flyte-ray` binary: every golden
//! case's `text` (Python's `str(msg)`, flyteidl and flyteidl2) converts to
//! the golden bytes with `--from text` and with format detection; errors
//! name the line, the column and the field path; `.txtpb` files are read
//! as text format.

#[path = "../../../tests/support/golden.rs"]
mod golden;
#[path = "../../../tests/support/golden_v2.rs"]
mod golden_v2;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `flyte-ray args...` with `stdin`.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flyte-ray"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn flyte-ray");
    let mut pipe = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait flyte-ray");
    let _ = writer.join();
    out
}

/// (id, type, text, golden bytes) of every v1 and v2 golden case.
fn cases() -> Vec<(String, String, String, Vec<u8>)> {
    let v1 = golden::cases();
    assert_eq!(v1.len(), golden::EXPECTED_CASES);
    let v2 = golden_v2::cases();
    assert_eq!(v2.len(), golden_v2::EXPECTED_CASES);
    v1.into_iter()
        .map(|c| (c.id, c.ty, c.text, c.pb))
        .chain(v2.into_iter().map(|c| (c.id, c.ty, c.text, c.pb)))
        .collect()
}

fn pb_of(args: &[&str], text: &str) -> Result<Vec<u8>, String> {
    let out = run(args, text.as_bytes());
    if out.status.code() != Some(0) {
        return Err(format!(
            "{args:?}: exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out.stdout)
}

#[test]
fn every_golden_text_converts_to_the_golden_bytes() {
    let cases = cases();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let detected = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((id, ty, text, pb)) = cases.get(i) else {
                        break;
                    };
                    let check = |args: &[&str]| match pb_of(args, text) {
                        Ok(out) if out == *pb => {}
                        Ok(out) => failures.lock().expect("lock").push(format!(
                            "{id} {args:?}: {} != {}",
                            hex_of(&out),
                            hex_of(pb)
                        )),
                        Err(e) => failures.lock().expect("lock").push(format!("{id}: {e}")),
                    };
                    check(&["convert", "--from", "text", "-t", ty, "-o", "pb"]);
                    // Detection: an empty text is an empty input, which
                    // detection refuses (binary and text alike).
                    if !text.is_empty() {
                        check(&["convert", "-t", ty, "-o", "pb"]);
                        detected.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    assert!(
        failures.is_empty(),
        "{} failures, first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(detected.into_inner() > 1400);
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn text_errors_name_line_column_and_path() {
    let text = "ray_cluster {\n  worker_group_spec {\n    replicas: 1\n  }\n  worker_group_spec {\n    replicaz: 2\n  }\n}\n";
    for args in [
        &["show"][..],
        &["convert", "--from", "text", "-o", "json"][..],
    ] {
        let out = run(args, text.as_bytes());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("ray_cluster.worker_group_spec[1].replicaz: WorkerGroupSpec has no field named \"replicaz\"")
                && err.contains("at line 6 column 5"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
    // validate --output json: the read error as one JSON line, the path
    // in its own key.
    let out = run(&["validate", "--output", "json"], text.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(line["path"], "ray_cluster.worker_group_spec[1].replicaz");
    assert_eq!(line["rule"], "read-error");
}

#[test]
fn flat_text_that_yaml_reads_differently_is_refused_unless_told() {
    // `010` is octal in text format (8), decimal in YAML (10).
    let out = run(
        &["show", "-t", "WorkerGroupSpec", "-o", "json"],
        b"replicas: 010\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from yaml or --from text"));
    let out = run(
        &[
            "convert",
            "--from",
            "text",
            "-t",
            "WorkerGroupSpec",
            "-o",
            "json",
        ],
        b"replicas: 010\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\n  \"replicas\": 8\n}\n"
    );
    let out = run(
        &[
            "convert",
            "--from",
            "yaml",
            "-t",
            "WorkerGroupSpec",
            "-o",
            "json",
        ],
        b"replicas: 010\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\n  \"replicas\": 10\n}\n"
    );
}

#[test]
fn txtpb_files_are_text_format() {
    let dir = std::env::temp_dir().join(format!("flyte-ray-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // Reads as YAML too, differently (`replicas: 010`): the extension
    // settles it without asking.
    std::fs::write(
        dir.join("a.txtpb"),
        "ray_cluster { worker_group_spec { replicas: 010 } }\n",
    )
    .expect("write");
    std::fs::write(dir.join("b.txtpb"), "replicas: 010\n").expect("write");
    let out = run(
        &[
            "show",
            "-t",
            "WorkerGroupSpec",
            "-o",
            "json",
            dir.join("b.txtpb").to_str().expect("utf-8"),
        ],
        b"",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\n  \"replicas\": 8\n}\n"
    );
    std::fs::remove_file(dir.join("b.txtpb")).expect("rm");
    let out = run(&["show", "-o", "json", dir.to_str().expect("utf-8")], b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\n  \"rayCluster\": {\n    \"workerGroupSpec\": [\n      {\n        \"replicas\": 8\n      }\n    ]\n  }\n}\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_subcommand_help_says_inputs_formats_and_exit_codes() {
    for command in ["convert", "show", "validate", "render", "build", "diff"] {
        let out = run(&[command, "--help"], b"");
        assert_eq!(out.status.code(), Some(0), "{command}");
        let help = String::from_utf8_lossy(&out.stdout);
        for needle in ["Exit codes: 0", "2 usage error", "stdin"] {
            assert!(
                help.contains(needle),
                "{command} --help lacks {needle:?}:\n{help}"
            );
        }
    }
    for command in ["convert", "show", "validate"] {
        let help = String::from_utf8_lossy(&run(&[command, "--help"], b"").stdout).into_owned();
        for needle in ["text format", ".txtpb", "Format detection", "line, column"] {
            assert!(
                help.contains(needle),
                "{command} --help lacks {needle:?}:\n{help}"
            );
        }
    }
    let help = String::from_utf8_lossy(&run(&["convert", "--help"], b"").stdout).into_owned();
    assert!(help.contains("- text:"), "{help}");
}
