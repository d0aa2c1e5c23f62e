//! Findings: what a check reports about a rendered resource, with the JSON
//! path it concerns.

use std::fmt;

/// How serious a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Works, but probably not as the user meant.
    Warning,
    /// KubeRay (the API server or the operator) refuses the resource.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found in a resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// JSON path of the value concerned, from the resource root:
    /// `spec.rayClusterSpec.workerGroupSpecs[1].template.spec.containers[0].name`,
    /// map keys that are not plain words as `labels["example.com/a"]`; the
    /// root itself is the empty string.
    pub path: String,
    /// Stable id of the rule (`schema.unknown-field`, `kuberay.name-too-long`, …).
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, in words.
    pub message: String,
}

impl Finding {
    /// An [`Severity::Error`] finding.
    pub fn error(path: impl Into<String>, rule: &'static str, message: impl Into<String>) -> Self {
        Finding {
            path: path.into(),
            rule,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A [`Severity::Warning`] finding.
    pub fn warning(
        path: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(path, rule, message)
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(root)"
        } else {
            &self.path
        };
        write!(
            f,
            "{}: {path}: {} [{}]",
            self.severity, self.message, self.rule
        )
    }
}

/// Appends the path step for object key `key` to `path`: `.key` for plain
/// words, `["key"]` (JSON-quoted) otherwise.
pub fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        // Serializing a &str to JSON cannot fail.
        path.push_str(&serde_json::Value::from(key).to_string());
        path.push(']');
    }
}

/// Appends the path step for array index `i` to `path`: `[i]`.
pub fn push_index(path: &mut String, i: usize) {
    use fmt::Write as _;
    let _ = write!(path, "[{i}]");
}
