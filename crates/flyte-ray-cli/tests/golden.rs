//! Every golden case through the built `flyte-ray` binary: `convert` pb→pb,
//! pb→json, json→pb, pb→text, pb→short, and `show` (format detection) on
//! the binary encoding and on the JSON, and pb→yaml→pb on a sample.
//!
//! Each case is one process per conversion; the cases run on a small pool of
//! threads so the ~6000 spawns take seconds
//! to a minute, depending on the machine.

#[path = "../../../tests/support/golden.rs"]
mod golden;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use golden::Case;
use serde_json::Value;

/// Runs `flyte-ray args...` with `stdin`, returning its output.
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
    // Write on another thread so a child that stops reading cannot block us.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait flyte-ray");
    let _ = writer.join();
    out
}

/// Runs `check` on every golden case on a thread pool; fails listing the
/// first failures.
fn for_every_case(check: impl Fn(&Case) -> Result<(), String> + Sync) {
    let cases = golden::cases();
    assert_eq!(cases.len(), golden::EXPECTED_CASES);
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .min(16);
    std::thread::scope(|s| {
        for _ in 0..threads {
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
    assert!(
        failures.is_empty(),
        "{} of {} cases failed; first ones:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// stdout of a successful run, or why it failed.
fn success(args: &[&str], stdin: &[u8]) -> Result<Vec<u8>, String> {
    let out = run(args, stdin);
    if out.status.code() == Some(0) {
        Ok(out.stdout)
    } else {
        Err(format!(
            "`flyte-ray {}` exited with {:?}: {}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim_end()
        ))
    }
}

fn convert(case: &Case, from: &str, to: &str, stdin: &[u8]) -> Result<Vec<u8>, String> {
    success(
        &["convert", "--type", &case.ty, "--from", from, "--to", to],
        stdin,
    )
}

/// JSON values equal, numbers compared as f64 (Python writes `3.0`).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// `Ok` when the bytes are equal; both in hex otherwise.
fn same_pb(out: &[u8], want: &[u8]) -> Result<(), String> {
    if out == want {
        Ok(())
    } else {
        Err(format!(
            "got {}, want {}",
            hex::encode(out),
            hex::encode(want)
        ))
    }
}

fn text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| format!("output is not UTF-8: {e}"))
}

#[test]
fn pb_to_pb_is_byte_identical() {
    for_every_case(|case| {
        let out = convert(case, "pb", "pb", &case.pb)?;
        same_pb(&out, &case.pb)
    });
}

#[test]
fn pb_to_json_matches() {
    for_every_case(|case| {
        let out = text(convert(case, "pb", "json", &case.pb)?)?;
        let got: Value = serde_json::from_str(&out).map_err(|e| format!("invalid JSON: {e}"))?;
        if same_json(&got, &case.json) {
            Ok(())
        } else {
            Err(format!("got {got}, want {}", case.json))
        }
    });
}

#[test]
fn json_to_pb_matches() {
    for_every_case(|case| {
        let json = case.json.to_string();
        let out = convert(case, "json", "pb", json.as_bytes())?;
        same_pb(&out, &case.pb)
    });
}

#[test]
fn pb_to_text_matches() {
    for_every_case(|case| {
        let out = text(convert(case, "pb", "text", &case.pb)?)?;
        if out == case.text {
            Ok(())
        } else {
            Err(format!("got {out:?}, want {:?}", case.text))
        }
    });
}

#[test]
fn pb_to_short_matches_with_one_newline() {
    for_every_case(|case| {
        let out = text(convert(case, "pb", "short", &case.pb)?)?;
        let want = format!("{}\n", case.short_string);
        if out == want {
            Ok(())
        } else {
            Err(format!("got {out:?}, want {want:?}"))
        }
    });
}

/// `show` detects the golden binary encodings as binary, even the many that
/// are valid UTF-8 (an empty encoding is refused by design).
#[test]
fn show_detects_golden_pb() {
    for_every_case(|case| {
        if case.pb.is_empty() {
            return Ok(());
        }
        let out = text(success(
            &["show", "-o", "short", "--type", &case.ty],
            &case.pb,
        )?)?;
        let want = format!("{}\n", case.short_string);
        if out == want {
            Ok(())
        } else {
            Err(format!("got {out:?}, want {want:?}"))
        }
    });
}

/// `show` reads the golden JSON too.
#[test]
fn show_detects_golden_json() {
    for_every_case(|case| {
        let json = serde_json::to_string_pretty(&case.json).map_err(|e| e.to_string())?;
        let out = text(success(
            &["show", "-o", "short", "--type", &case.ty],
            json.as_bytes(),
        )?)?;
        let want = format!("{}\n", case.short_string);
        if out == want {
            Ok(())
        } else {
            Err(format!("got {out:?}, want {want:?}"))
        }
    });
}

/// The round trip through YAML: pb → yaml → pb gives the bytes back (on a
/// quarter of the cases: the YAML mapping itself is tested in the models).
#[test]
fn pb_to_yaml_and_back() {
    for_every_case(|case| {
        if case.id.bytes().map(usize::from).sum::<usize>() % 4 != 0 {
            return Ok(());
        }
        let yaml = convert(case, "pb", "yaml", &case.pb)?;
        let out = convert(case, "yaml", "pb", &yaml)?;
        same_pb(&out, &case.pb).map_err(|e| format!("{e} via {}", String::from_utf8_lossy(&yaml)))
    });
}
