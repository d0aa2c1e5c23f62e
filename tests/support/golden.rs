//! Loader for the vendored golden cases (`tests/data/golden/*.jsonl`), shared
//! by the test suites of every crate through `#[path]`.
//!
//! The cases were produced by the real Python flytekit; see
//! `tests/data/golden/CONTRACTS.md` for what each field means.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;

/// Number of cases in `golden.jsonl` plus `golden-adversarial.jsonl`, as
/// shipped by the reference generator (600 + 300).
pub const EXPECTED_CASES: usize = 900;

/// The golden files, relative to the workspace root.
pub const FILES: [&str; 2] = [
    "tests/data/golden/golden.jsonl",
    "tests/data/golden/golden-adversarial.jsonl",
];

/// One golden case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable case name.
    pub id: String,
    /// flytekit class name (`RayJob`, `K8sPod`, ...).
    pub ty: String,
    /// Full protobuf message name.
    pub proto: String,
    /// Deterministic binary encoding.
    pub pb: Vec<u8>,
    /// `MessageToDict(msg)`.
    pub json: serde_json::Value,
    /// Text format.
    pub text: String,
    /// flytekit's `short_string()`.
    pub short_string: String,
    /// flytekit's `is_empty`.
    pub is_empty: bool,
    /// Bytes after flytekit's own lossy round trip.
    pub python_roundtrip_pb: Vec<u8>,
}

/// The workspace root.
pub fn root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("tests/data/golden").is_dir() {
        if !dir.pop() {
            panic!("no tests/data/golden above {}", env!("CARGO_MANIFEST_DIR"));
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
                pb: bytes(&v, "pb_hex", &id),
                json: field(&v, "json", &id).clone(),
                text: string(&v, "text", &id),
                short_string: string(&v, "short_string", &id),
                is_empty: field(&v, "is_empty", &id)
                    .as_bool()
                    .unwrap_or_else(|| panic!("case {id}: `is_empty` is not a bool")),
                python_roundtrip_pb: bytes(&v, "python_roundtrip_pb_hex", &id),
                id,
            });
        }
    }
    out
}
