//! Loader for the vendored Flyte 2 golden cases
//! (`tests/data/golden-v2/*.jsonl`), shared by the test suites of every crate
//! through `#[path]`.
//!
//! The cases were produced by the real Python `flyteidl2` 2.0.53 package
//! with protobuf as the oracle; see `tests/data/golden-v2/CONTRACTS.md`.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

/// Number of cases in `golden-v2.jsonl` plus `golden-v2-adversarial.jsonl`
/// (400 + 200).
pub const EXPECTED_CASES: usize = 600;

/// The golden files, relative to the workspace root.
pub const FILES: [&str; 2] = [
    "tests/data/golden-v2/golden-v2.jsonl",
    "tests/data/golden-v2/golden-v2-adversarial.jsonl",
];

/// One golden case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable case name.
    pub id: String,
    /// The message's short name (`RayJob`, `GPUAccelerator`, ...).
    pub ty: String,
    /// Full protobuf name (`flyteidl2.plugins.RayJob`).
    pub proto: String,
    /// The flyteidl (v1) message of the same name (`flyteidl.plugins.RayJob`).
    pub v1_proto: String,
    /// Deterministic binary encoding.
    pub pb: Vec<u8>,
    /// `MessageToDict(msg)`, or `{"__error__": ...}` when it cannot be
    /// written as JSON.
    pub json: serde_json::Value,
    /// Text format.
    pub text: String,
    /// `msg.ByteSize() == 0`.
    pub is_empty: bool,
    /// The bytes decoded and re-encoded by the v1 Python class (which keeps
    /// unknown fields).
    pub v1_pb: Vec<u8>,
}

impl Case {
    /// The error Python raised instead of writing JSON, if it did.
    pub fn json_error(&self) -> Option<&str> {
        self.json.get("__error__").and_then(|e| e.as_str())
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("tests/data/golden-v2").is_dir() {
        if !dir.pop() {
            panic!(
                "no tests/data/golden-v2 above {}",
                env!("CARGO_MANIFEST_DIR")
            );
        }
    }
    dir
}

fn field<'a>(v: &'a serde_json::Value, key: &str, id: &str) -> &'a serde_json::Value {
    v.get(key)
        .unwrap_or_else(|| panic!("case {id}: no `{key}`"))
}

fn string(v: &serde_json::Value, key: &str, id: &str) -> String {
    field(v, key, id)
        .as_str()
        .unwrap_or_else(|| panic!("case {id}: `{key}` is not a string"))
        .to_owned()
}

fn bytes(v: &serde_json::Value, key: &str, id: &str) -> Vec<u8> {
    hex::decode(string(v, key, id)).unwrap_or_else(|e| panic!("case {id}: `{key}`: {e}"))
}

/// Every golden case, in file order. Panics with the line on a malformed file.
pub fn cases() -> Vec<Case> {
    let root = root();
    let mut out = Vec::new();
    for file in FILES {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
            let id = v["id"].as_str().unwrap_or("?").to_owned();
            out.push(Case {
                ty: string(&v, "type", &id),
                proto: string(&v, "proto", &id),
                v1_proto: string(&v, "v1_proto", &id),
                pb: bytes(&v, "pb_hex", &id),
                json: field(&v, "json", &id).clone(),
                text: string(&v, "text", &id),
                is_empty: field(&v, "is_empty", &id)
                    .as_bool()
                    .unwrap_or_else(|| panic!("case {id}: `is_empty` is not a bool")),
                v1_pb: bytes(&v, "v1_pb_hex", &id),
                id,
            });
        }
    }
    out
}

/// Runs `f` with the model type a case names (all 13 models of both
/// generations); shared by the models' flyteidl2 golden tests.
#[allow(unused_macros)]
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
            other => Err(format!("unknown model type {other}")),
        }
    };
}
