//! Every golden-task case through the built binary: `flyte-ray build -
//! --sdk S` prints the SDK's `custom` (numbers compared numerically),
//! `--to pb` its bytes (`pb_hex`), and an SDK error exits 1 with the SDK's
//! exception type and message on stderr.

#[path = "../../flyte-ray-task/tests/support/golden.rs"]
mod golden;

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

fn check(case: &golden::Case) -> Result<(), String> {
    let config = case.config.get().as_bytes();
    let sdk = case.sdk.as_str();
    let out = run(&["build", "-", "--sdk", sdk], config);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if let Some((path, message)) = golden::refused_on_purpose(&case.id) {
        let want = format!("{path}: {message}");
        return if out.status.code() == Some(1) && stderr.contains(&want) {
            Ok(())
        } else {
            Err(format!(
                "want exit 1 and {want:?}, got {:?}: {stderr}",
                out.status.code()
            ))
        };
    }
    match &case.error {
        None => {
            if !out.status.success() {
                return Err(format!("exit {:?}: {stderr}", out.status.code()));
            }
            let got: serde_json::Value =
                serde_json::from_slice(&out.stdout).map_err(|e| format!("stdout not JSON: {e}"))?;
            let want = case.custom.as_ref().ok_or("no custom")?;
            if let Some(d) = golden::json_diff(want, &got, "custom") {
                return Err(d);
            }
            let pb = run(&["build", "-", "--sdk", sdk, "--to", "pb"], config);
            if hex::encode(&pb.stdout) != case.pb_hex.clone().unwrap_or_default() {
                return Err("--to pb bytes differ from pb_hex".into());
            }
            Ok(())
        }
        Some(e) => {
            if out.status.code() != Some(1) {
                return Err(format!("want exit 1, got {:?}", out.status.code()));
            }
            // The message may span lines; the CLI prints it on one line
            // with control characters escaped.
            let want = format!("{}: {}", e.kind, e.message.replace('\n', "\\n"));
            if !stderr.contains(&want) {
                return Err(format!("stderr {stderr:?} lacks {want:?}"));
            }
            Ok(())
        }
    }
}

#[test]
fn golden_task_cases_through_the_binary() {
    let cases = golden::cases();
    assert_eq!(cases.len(), 617);
    let only = std::env::var("GOLDEN_SDK").ok();
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|c| only.as_deref().is_none_or(|o| o == c.sdk))
        .collect();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    if let Err(e) = check(case) {
                        failures
                            .lock()
                            .expect("lock")
                            .push(format!("{}: {e}", case.id));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    for f in failures.iter().take(400) {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ",
        failures.len(),
        cases.len()
    );
}

#[test]
fn extra_cases_through_the_binary() {
    // The hand-written documents (the shipped example, one per warning
    // rule, extended resources), also made by the real SDKs.
    let cases = golden::extra_cases();
    assert_eq!(cases.len(), 34);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| check(c).err().map(|e| format!("{}: {e}", c.id)))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}
