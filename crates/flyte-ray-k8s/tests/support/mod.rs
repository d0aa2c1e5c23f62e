//! Shared test helpers: fixture loading and exact JSON comparison.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

/// Reads `tests/data/<name>` as JSON.
pub(crate) fn fixture(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// JSON equality where numbers compare as doubles (Python writes `3.0`,
/// `1` and `1.0` are the same Struct number) and `-0.0` differs from `0.0`.
pub(crate) fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x.to_bits() == y.to_bits()
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Asserts [`same`], printing both sides.
#[track_caller]
pub(crate) fn assert_same(id: &str, got: &serde_json::Value, want: &serde_json::Value) {
    assert!(same(got, want), "{id}:\n got: {got}\nwant: {want}");
}
