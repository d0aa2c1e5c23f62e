//! `flyte-ray diff A B`: the semantic differences between two RayJob specs,
//! each in any format (binary, JSON, YAML; a whole Flyte task is accepted
//! as elsewhere), one line per differing field path with both values.
//!
//! Both sides are read through the models and written back as proto3 JSON,
//! so what cannot differ does not: key order, default values written out or
//! left out, `2` against `2.0` in a pod spec (a `Struct` holds doubles),
//! map order.

use std::fmt;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::Args;
use flyte_ray_models::{Dialect, FlyteIdlEntity, JsonOptions, RayJob};
use serde_json::Value;

use crate::input::{InputFormat, read_input};
use crate::{Outcome, one_line, read_model, write_stdout};

/// `flyte-ray diff`.
#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The first spec (`-`: stdin).
    #[arg(value_name = "A")]
    a: PathBuf,
    /// The second spec (`-`: stdin; not both).
    #[arg(value_name = "B")]
    b: PathBuf,
}

/// Help shown after `diff --help`.
pub(crate) const DIFF_HELP: &str = "\
Prints one line per difference, `path: A-value -> B-value` (values as JSON,
`(absent)` for a field one side does not set), sorted by path as met.
Exit codes: 0 equal, 1 different or unreadable input, 2 usage error.

Typical use, moving a Ray task from flytekit to Flyte 2:
  flyte-ray diff <(flyte-ray build cfg.yaml --sdk flytekit) <(flyte-ray build cfg.yaml --sdk flyte2)";

/// One difference between two specs.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The field path in proto3 JSON names:
    /// `rayCluster.workerGroupSpec[0].k8sPod.primaryContainerName`.
    pub path: String,
    /// The first spec's value (`None`: not set).
    pub a: Option<Value>,
    /// The second spec's value.
    pub b: Option<Value>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<Value>| {
            v.as_ref()
                .map_or_else(|| "(absent)".to_owned(), Value::to_string)
        };
        write!(f, "{}: {} -> {}", self.path, show(&self.a), show(&self.b))
    }
}

/// The differences between two RayJob specs given as bytes (any format,
/// detected), in the order of the fields of `a` then of what only `b` has.
///
/// ```
/// let a = br#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 2}]}}"#;
/// let b = b"rayCluster:\n  workerGroupSpec:\n  - groupName: w\n    replicas: 3\n";
/// let d = flyte_ray_cli::diff_specs(a, b).unwrap();
/// assert_eq!(d.len(), 1);
/// assert_eq!(d[0].to_string(), "rayCluster.workerGroupSpec[0].replicas: 2 -> 3");
/// assert!(flyte_ray_cli::diff_specs(a, a).unwrap().is_empty());
/// ```
///
/// # Errors
/// Either side not readable as a RayJob (named `A` or `B`).
pub fn diff_specs(a: &[u8], b: &[u8]) -> Result<Vec<Difference>> {
    let a = normalized(a).context("A")?;
    let b = normalized(b).context("B")?;
    let mut out = Vec::new();
    diff_values(Some(&a), Some(&b), String::new(), &mut out);
    Ok(out)
}

/// A spec read through the model and written back as proto3 JSON.
fn normalized(bytes: &[u8]) -> Result<Value> {
    let job: RayJob = read_model(bytes, InputFormat::Auto, &JsonOptions::new(), Dialect::Auto)?;
    let json = job.to_json().map_err(|e| anyhow!("{e}"))?;
    Ok(serde_json::from_str(&json)?)
}

fn key_path(base: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (base.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{base}.{key}"),
        (_, false) => format!("{base}[{}]", Value::String(key.to_owned())),
    }
}

fn diff_values(a: Option<&Value>, b: Option<&Value>, path: String, out: &mut Vec<Difference>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            for (k, v) in x {
                diff_values(Some(v), y.get(k), key_path(&path, k), out);
            }
            for (k, v) in y {
                if !x.contains_key(k) {
                    diff_values(None, Some(v), key_path(&path, k), out);
                }
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                diff_values(x.get(i), y.get(i), format!("{path}[{i}]"), out);
            }
        }
        (Some(Value::Number(x)), Some(Value::Number(y))) if x.as_f64() == y.as_f64() => {}
        (x, y) if x == y => {}
        (x, y) => out.push(Difference {
            path: if path.is_empty() {
                ".".to_owned()
            } else {
                path
            },
            a: x.cloned(),
            b: y.cloned(),
        }),
    }
}

pub(crate) fn run(args: &DiffArgs) -> Result<Outcome> {
    let a = read_input(Some(&args.a)).with_context(|| format!("A ({})", args.a.display()))?;
    let b = read_input(Some(&args.b)).with_context(|| format!("B ({})", args.b.display()))?;
    let diffs = diff_specs(&a, &b)?;
    let mut text = String::new();
    for d in &diffs {
        text.push_str(&one_line(&d.to_string()));
        text.push('\n');
    }
    write_stdout(text.as_bytes())?;
    Ok(if diffs.is_empty() {
        Outcome::Success
    } else {
        Outcome::Invalid
    })
}
