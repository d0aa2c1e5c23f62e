//! Reading protobuf text format (`FlyteIdlEntity::from_text`): every golden
//! case's `text` (written by Python's protobuf) reads back to the golden
//! bytes, and a table of hand-written inputs reads as Python's
//! `text_format.Parse` reads it (`tests/data/text-format/`, recorded by
//! `gen_differential.py` with protobuf 7.36.2), except where this reader is
//! deliberately stricter (listed below, each with its reason).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../../tests/support/golden.rs"]
mod golden;
#[path = "../../../tests/support/golden_v2.rs"]
mod golden_v2;

use flyte_ray_models::*;
use serde_json::Value;

/// Runs `f` with the model type the case names.
macro_rules! dispatch {
    ($ty:expr, $f:ident $(, $arg:expr)*) => {
        match $ty {
            "RayJob" => $f::<RayJob>($($arg),*),
            "RayCluster" => $f::<RayCluster>($($arg),*),
            "HeadGroupSpec" => $f::<HeadGroupSpec>($($arg),*),
            "WorkerGroupSpec" => $f::<WorkerGroupSpec>($($arg),*),
            "AutoscalerOptions" => $f::<AutoscalerOptions>($($arg),*),
            "K8sPod" => $f::<K8sPod>($($arg),*),
            "K8sObjectMetadata" => $f::<K8sObjectMetadata>($($arg),*),
            "Resources" => $f::<Resources>($($arg),*),
            "DataLoadingConfig" => $f::<DataLoadingConfig>($($arg),*),
            "IOStrategy" => $f::<IOStrategy>($($arg),*),
            "ExtendedResources" => $f::<ExtendedResources>($($arg),*),
            "GPUAccelerator" => $f::<GPUAccelerator>($($arg),*),
            "SharedMemory" => $f::<SharedMemory>($($arg),*),
            other => panic!("unknown model type {other}"),
        }
    };
}

fn read<M: FlyteIdlEntity>(text: &str) -> Result<Vec<u8>, TextError> {
    M::from_text(text).map(|m| m.serialize_to_string())
}

#[test]
fn every_golden_text_reads_back_to_the_golden_bytes() {
    let mut failures = Vec::new();
    let v1 = golden::cases();
    assert_eq!(v1.len(), golden::EXPECTED_CASES);
    for case in &v1 {
        match dispatch!(case.ty.as_str(), read, &case.text) {
            Ok(pb) if pb == case.pb => {}
            Ok(pb) => failures.push(format!("{}: other bytes {}", case.id, hex::encode(pb))),
            Err(e) => failures.push(format!("{}: {e}", case.id)),
        }
    }
    let v2 = golden_v2::cases();
    assert_eq!(v2.len(), golden_v2::EXPECTED_CASES);
    for case in &v2 {
        match dispatch!(case.ty.as_str(), read, &case.text) {
            Ok(pb) if pb == case.pb => {}
            Ok(pb) => failures.push(format!("{}: other bytes {}", case.id, hex::encode(pb))),
            Err(e) => failures.push(format!("{}: {e}", case.id)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases: {:#?}",
        failures.len(),
        v1.len() + v2.len(),
        &failures[..failures.len().min(5)]
    );
}

/// One row of `differential-*.jsonl`.
struct Row {
    id: String,
    ty: String,
    text: String,
    /// Python's bytes, or its error line and message.
    python: Result<Vec<u8>, (Option<usize>, String)>,
}

fn rows(file: &str) -> Vec<Row> {
    let path = golden::root().join("tests/data/text-format").join(file);
    let text = std::fs::read_to_string(&path).expect("the differential table");
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON line");
            let s = |k: &str| v[k].as_str().expect(k).to_owned();
            let p = &v["python"];
            let python = if p["ok"].as_bool().expect("ok") {
                Ok(hex::decode(p["pb_hex"].as_str().expect("pb_hex")).expect("hex"))
            } else {
                Err((
                    p["line"].as_u64().map(|l| l as usize),
                    p["error"].as_str().expect("error").to_owned(),
                ))
            };
            Row {
                id: s("id"),
                ty: s("type"),
                text: s("text"),
                python,
            }
        })
        .collect()
}

/// Inputs Python reads and this reader refuses, on purpose: each refusal
/// names the problem, where reading on would guess (runtimes disagree) or
/// follow a Python quirk the text-format specification does not have.
const STRICTER: [(&str, &str); 11] = [
    (
        "list-of-messages-no-colon",
        "the short list form is `field: [...]`; prost-reflect wants the `:`",
    ),
    (
        "escape-hex-upper-x",
        "`\\X41`: C++ reads a hex escape, Python the four characters; refused rather than guessed",
    ),
    (
        "escape-question",
        "`\\?`: C++ reads `?`, Python the two characters; refused rather than guessed",
    ),
    (
        "escape-unknown",
        "Python keeps an unknown escape with its backslash (with a DeprecationWarning); the specification and C++ refuse it",
    ),
    ("nul-raw", "a raw NUL byte inside quotes; write `\\0`"),
    (
        "int-underscore",
        "`1_000` is Python's int() syntax, not text format",
    ),
    ("int-plus", "`+5` is Python's int() syntax, not text format"),
    (
        "struct-number-inff",
        "`inff`: a float suffix on an identifier, a Python quirk",
    ),
    (
        "whitespace-nbsp",
        "Python's `\\s` counts U+00A0 as whitespace; text format's whitespace is ASCII",
    ),
    (
        "depth-101",
        "nesting past the protobuf recursion limit: Python's own binary decoder refuses these bytes (binary_reads_back: false)",
    ),
    ("depth-150", "as depth-101"),
];

/// Errors both readers report, on different lines.
const OTHER_LINE: [(&str, &str); 1] = [(
    "unclosed",
    "the input ends inside a message: we point at the end of the input (line 3), Python at the last token (line 2)",
)];

#[test]
fn hand_written_inputs_read_as_python_reads_them() {
    let mut problems = Vec::new();
    let mut compared = 0;
    for file in ["differential-v1.jsonl", "differential-v2.jsonl"] {
        for row in rows(file) {
            compared += 1;
            let ours = dispatch!(row.ty.as_str(), read, &row.text);
            let stricter = STRICTER.iter().any(|(id, _)| *id == row.id);
            let other_line = OTHER_LINE.iter().any(|(id, _)| *id == row.id);
            let ok = match (&ours, &row.python) {
                (Ok(a), Ok(b)) => !stricter && a == b,
                (Err(_), Ok(_)) => stricter,
                (Err(e), Err((line, _))) => !stricter && (other_line || *line == Some(e.line)),
                (Ok(_), Err(_)) => false,
            };
            if !ok {
                problems.push(format!(
                    "{file} {}: ours {:?}, python {:?}",
                    row.id,
                    ours.map(hex::encode).map_err(|e| e.to_string()),
                    row.python.as_ref().map(hex::encode)
                ));
            }
        }
    }
    assert!(compared > 300, "only {compared} rows");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn errors_name_line_column_and_path() {
    let text = "ray_cluster {\n  worker_group_spec {\n    replicas: 1\n  }\n  worker_group_spec {\n    replicaz: 2\n  }\n}\n";
    let e = RayJob::from_text(text).unwrap_err();
    assert_eq!((e.line, e.column), (6, 5));
    assert_eq!(e.path, "ray_cluster.worker_group_spec[1].replicaz");
    assert!(
        e.reason.starts_with(
            "WorkerGroupSpec has no field named \"replicaz\" (its fields: group_name, replicas,"
        ),
        "{e}"
    );
    let e = K8sPod::from_text("pod_spec {\n  fields { key: \"a\" value { number_value: x } }\n}")
        .unwrap_err();
    assert_eq!(e.line, 2);
    assert_eq!(e.path, "pod_spec.fields[0].value.number_value");
    let e = IOStrategy::from_text("download_mode: DOWNLOAD_LATER").unwrap_err();
    assert_eq!(
        (e.line, e.column, e.path.as_str()),
        (1, 16, "download_mode")
    );
    assert!(e.to_string().contains("DOWNLOAD_LATER"), "{e}");
}

/// 100 levels of `{` (the deepest golden case, and the deepest Python's
/// decoder reads back) read on a thread with a small stack; the 101st
/// level is refused before parsing, with its position.
#[test]
fn nesting_is_bounded_and_deep_text_reads_on_small_stacks() {
    fn nested(n: usize) -> String {
        let cycle = [
            ("fields", "key: \"a\" "),
            ("value", ""),
            ("struct_value", ""),
        ];
        let mut text = String::from("pod_spec { ");
        for i in 0..n - 1 {
            let (name, head) = cycle[i % 3];
            text.push_str(&format!("{name} {{ {head}"));
        }
        text + &"}".repeat(n)
    }
    assert_eq!(MAX_TEXT_DEPTH, 100);
    let ok = std::thread::Builder::new()
        .stack_size(512 << 10)
        .spawn(|| K8sPod::from_text(&nested(100)).map(|p| p.serialize_to_string().len()))
        .unwrap()
        .join()
        .unwrap();
    assert!(ok.is_ok(), "{ok:?}");
    let e = K8sPod::from_text(&nested(101)).unwrap_err();
    assert!(e.reason.contains("deeper than 100"), "{e}");
    assert_eq!(e.line, 1);
    // Far deeper input is refused as fast, without recursing.
    let e = K8sPod::from_text(&"pod_spec {".repeat(1_000_000)).unwrap_err();
    assert!(e.reason.contains("deeper than 100"), "{e}");
}

/// The fuzz target's check (`testing::check_text_from_str`) on every golden
/// text, and on random mutations of them: no panic, errors inside the
/// input, what reads round-trips.
#[test]
fn golden_texts_and_mutations_pass_the_fuzz_check() {
    use flyte_ray_models::testing::{Kind, check_text_from_str};
    use proptest::prelude::*;
    let cases = golden::cases();
    let mut seeds = Vec::new();
    for case in &cases {
        let kind = Kind::from_name(&case.ty).expect("a kind");
        let data = [&[kind.tag()][..], case.text.as_bytes()].concat();
        check_text_from_str(&data).unwrap_or_else(|e| panic!("{}: {e}", case.id));
        seeds.push(data);
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "<",
        ">",
        "[",
        "]",
        ":",
        ",",
        ";",
        "-",
        "\"",
        "'",
        "\\",
        "\\?",
        "\\X1",
        "\\x4",
        "\\u00e9",
        "\\777",
        "#",
        "\n",
        " ",
        "0x",
        "017",
        "1e5",
        "nan",
        "-inf",
        "true",
        "t",
        "fields",
        "value",
        "key",
        "struct_value",
        "list_value",
        "values",
        "pod_spec",
        "ray_cluster",
        "worker_group_spec",
        "replicas",
        "é",
        "\u{a0}",
        "\0",
    ]);
    runner
        .run(
            &(
                prop::sample::select(seeds),
                any::<prop::sample::Index>(),
                prop::collection::vec(pieces, 0..8),
                0usize..4,
            ),
            |(seed, at, insert, cut)| {
                let mut data = seed;
                let mut pos = at.index(data.len().max(1)).max(1).min(data.len());
                while std::str::from_utf8(&data[1..pos]).is_err() {
                    pos -= 1;
                }
                let end = (pos + cut).min(data.len());
                let tail = data.split_off(end);
                data.truncate(pos);
                data.extend(insert.concat().into_bytes());
                data.extend(tail);
                if let Err(e) = check_text_from_str(&data) {
                    return Err(TestCaseError::fail(format!(
                        "{e}\n input: {:?}",
                        String::from_utf8_lossy(&data)
                    )));
                }
                Ok(())
            },
        )
        .unwrap();
}
