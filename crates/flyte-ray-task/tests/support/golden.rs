//! The vendored golden-task cases (`tests/data/golden-task/`, made by the
//! real SDKs with `gen_task_golden.py`) and the comparisons every test uses.

#![allow(dead_code, unreachable_pub)]

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// One line of a golden file.
#[derive(Deserialize)]
pub struct Case {
    pub id: String,
    pub sdk: String,
    #[serde(default)]
    pub kind: Option<String>,
    /// The document, as the exact JSON text of the line (order, big ints).
    pub config: Box<RawValue>,
    #[serde(default)]
    pub custom: Option<Value>,
    #[serde(default)]
    pub pb_hex: Option<String>,
    #[serde(default)]
    pub error: Option<GoldenError>,
}

#[derive(Deserialize)]
pub struct GoldenError {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub code: Option<String>,
}

pub fn cases() -> Vec<Case> {
    // Both this crate and the CLI include this file; the data lives here.
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../flyte-ray-task/tests/data/golden-task"
    );
    let mut out = Vec::new();
    for f in ["flytekit.jsonl", "flyte2.jsonl", "upstream.jsonl"] {
        let text = std::fs::read_to_string(format!("{dir}/{f}")).expect("golden file");
        for line in text.lines() {
            out.push(serde_json::from_str(line).expect("golden line"));
        }
    }
    out
}

/// The hand-written documents of `extra.jsonl` (made by the real SDKs with
/// `scripts/gen_extra_golden.py`): the shipped example and one document per
/// warning rule.
pub fn extra_cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../flyte-ray-task/tests/data/golden-task/extra.jsonl"
    );
    std::fs::read_to_string(path)
        .expect("extra.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("extra line"))
        .collect()
}

/// The hand-written documents the real SDKs build but our reader refuses
/// on purpose, with the error it must give (path, then the start of the
/// message). `*-bad-quantity-in-pod-spec`: both SDKs copy `"2 cores"` from
/// the pod spec into `custom` (their `custom` in `extra.jsonl` shows it),
/// but no Kubernetes API server decodes a pod with that quantity, and the
/// issue asks the document reader to refuse a bad quantity with its path.
pub fn refused_on_purpose(id: &str) -> Option<(&'static str, &'static str)> {
    match id {
        "extra-flytekit-bad-quantity-in-pod-spec" | "extra-flyte2-bad-quantity-in-pod-spec" => {
            Some((
                "worker_node_config[0].pod_template.pod_spec",
                "containers[0].resources.limits.cpu: not a Kubernetes quantity: \"2 cores\": \
                 quantities must match the regular expression",
            ))
        }
        _ => None,
    }
}

/// JSON equality with numbers compared numerically (`2` == `2.0`), as the
/// golden README asks; returns the first differing path.
pub fn json_diff(want: &Value, got: &Value, path: &str) -> Option<String> {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => {
            (a.as_f64() != b.as_f64()).then(|| format!("{path}: {a} != {b}"))
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    None => return Some(format!("{path}.{k}: missing")),
                    Some(bv) => {
                        if let Some(d) = json_diff(v, bv, &format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                }
            }
            b.keys()
                .find(|k| !a.contains_key(*k))
                .map(|k| format!("{path}.{k}: unexpected"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{path}: length {} != {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| json_diff(x, y, &format!("{path}[{i}]")))
        }
        _ => (want != got).then(|| format!("{path}: {want} != {got}")),
    }
}
