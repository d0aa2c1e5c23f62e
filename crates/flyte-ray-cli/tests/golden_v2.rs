//! Every flyteidl2 (Flyte 2) golden case through the built `flyte-ray`
//! binary with `--idl flyteidl2`: `convert` pb→pb, pb→json, json→pb,
//! pb→text, pb→short (flytekit's algorithm,
//! `tests/data/golden-v2/short-strings-v2.jsonl`), pb→yaml→pb and
//! yaml→json; and `--idl flyteidl` on each case, which must refuse exactly
//! the cases whose golden JSON sets a flyteidl2-only field, naming a path
//! that leads to it.
//!
//! One process per conversion, on a small pool of threads.

#[path = "../../../tests/support/golden_v2.rs"]
mod golden_v2;

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use golden_v2::Case;
use serde_json::Value;

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

fn for_every_case(check: impl Fn(&Case) -> Result<(), String> + Sync) {
    let cases = golden_v2::cases();
    assert_eq!(cases.len(), golden_v2::EXPECTED_CASES);
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
        &[
            "convert",
            "--idl",
            "flyteidl2",
            "--type",
            &case.ty,
            "--from",
            from,
            "--to",
            to,
        ],
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

fn short_strings() -> HashMap<String, String> {
    let path = golden_v2::root().join("tests/data/golden-v2/short-strings-v2.jsonl");
    let text = std::fs::read_to_string(&path).expect("short-strings-v2.jsonl");
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON line");
            (
                v["id"].as_str().expect("id").to_owned(),
                v["short_string"].as_str().expect("short_string").to_owned(),
            )
        })
        .collect()
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
        if let Some(python) = case.json_error() {
            // A NaN or infinity in a pod spec: JSON cannot carry it; the
            // tool fails (exit 1) with a clear error, as Python raises.
            let out = run(
                &[
                    "convert",
                    "--idl",
                    "flyteidl2",
                    "--type",
                    &case.ty,
                    "--from",
                    "pb",
                    "--to",
                    "json",
                ],
                &case.pb,
            );
            let err = String::from_utf8_lossy(&out.stderr);
            if out.status.code() != Some(1)
                || !out.stdout.is_empty()
                || !err.contains("Fail to serialize")
            {
                return Err(format!(
                    "Python: {python}; we: {:?} {err}",
                    out.status.code()
                ));
            }
            return Ok(());
        }
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
        if case.json_error().is_some() {
            return Ok(());
        }
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
    let short = short_strings();
    assert_eq!(short.len(), golden_v2::EXPECTED_CASES);
    for_every_case(|case| {
        let want = short.get(&case.id).ok_or("no short_string")?;
        let out = text(convert(case, "pb", "short", &case.pb)?)?;
        let want = format!("{want}\n");
        if out == want {
            Ok(())
        } else {
            Err(format!("got {out:?}, want {want:?}"))
        }
    });
}

/// pb → yaml → pb gives the bytes back, and yaml → json is the golden JSON.
#[test]
fn pb_to_yaml_and_back() {
    for_every_case(|case| {
        if case.json_error().is_some() {
            return Ok(());
        }
        let yaml = convert(case, "pb", "yaml", &case.pb)?;
        let out = convert(case, "yaml", "pb", &yaml)?;
        same_pb(&out, &case.pb)
            .map_err(|e| format!("{e} via {}", String::from_utf8_lossy(&yaml)))?;
        let json = text(convert(case, "yaml", "json", &yaml)?)?;
        let got: Value = serde_json::from_str(&json).map_err(|e| format!("invalid JSON: {e}"))?;
        if same_json(&got, &case.json) {
            Ok(())
        } else {
            Err(format!("yaml→json got {got}, want {}", case.json))
        }
    });
}

/// The JSON names of the fields flyteidl2 adds.
const V2_ONLY: [&str; 4] = [
    "extendedResources",
    "fileInputLayout",
    "deviceClass",
    "acceleratorModel",
];

/// Map-typed fields, whose keys are data.
const MAPS: [&str; 4] = ["podSpec", "rayStartParams", "labels", "annotations"];

fn has_v2_field(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| {
            V2_ONLY.contains(&k.as_str()) || (!MAPS.contains(&k.as_str()) && has_v2_field(v))
        }),
        Value::Array(a) => a.iter().any(has_v2_field),
        _ => false,
    }
}

fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, step| {
        let (name, rest) = step.split_once('[').unwrap_or((step, ""));
        let mut v = v.get(name)?;
        if !rest.is_empty() {
            let i: usize = rest.trim_end_matches(']').parse().ok()?;
            v = v.get(i)?;
        }
        Some(v)
    })
}

/// `--idl flyteidl` (strict Flyte 1) on the binary encoding and on the JSON:
/// a case without flyteidl2 fields converts byte-identically; a case with
/// one fails (exit 1, nothing on stdout) with an error whose path leads, in
/// the golden JSON, to a flyteidl2-only field.
#[test]
fn strict_flyteidl_refuses_exactly_the_v2_cases() {
    let refused = AtomicUsize::new(0);
    for_every_case(|case| {
        if case.json_error().is_some() {
            // No golden JSON to judge by (a NaN in a pod spec; 4 cases): the
            // library's tests/dialect.rs covers them.
            return Ok(());
        }
        let v2 = has_v2_field(&case.json);
        let json = case.json.to_string();
        let mut inputs = vec![("pb", case.pb.as_slice())];
        if case.json_error().is_none() {
            inputs.push(("json", json.as_bytes()));
        }
        for (from, input) in inputs {
            let args = [
                "convert", "--idl", "flyteidl", "--type", &case.ty, "--from", from, "--to", "pb",
            ];
            let out = run(&args, input);
            let err = String::from_utf8_lossy(&out.stderr);
            if !v2 {
                if out.status.code() != Some(0) {
                    return Err(format!("{from}: refused a Flyte 1 case: {err}"));
                }
                same_pb(&out.stdout, &case.pb)?;
                continue;
            }
            if out.status.code() != Some(1) || !out.stdout.is_empty() {
                return Err(format!(
                    "{from}: accepted a flyteidl2 field: {:?}",
                    out.status.code()
                ));
            }
            refused.fetch_add(1, Ordering::Relaxed);
            let line = err
                .strip_prefix("flyte-ray: error: ")
                .ok_or_else(|| format!("{from}: {err}"))?;
            let (path, rest) = line
                .split_once(": ")
                .ok_or_else(|| format!("{from}: {err}"))?;
            let last = path.rsplit('.').next().unwrap_or_default();
            if !V2_ONLY.contains(&last) || at(&case.json, path).is_none() {
                return Err(format!(
                    "{from}: path {path} leads to no flyteidl2 field: {err}"
                ));
            }
            if !rest.contains("exists only in flyteidl2") || !rest.contains("--idl flyteidl") {
                return Err(format!("{from}: unclear: {err}"));
            }
        }
        Ok(())
    });
    // Both outcomes occur.
    assert!(refused.load(Ordering::Relaxed) > 100);
}
