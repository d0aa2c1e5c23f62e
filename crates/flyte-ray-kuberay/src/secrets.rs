//! The labels and annotations the plugin sees (RENDERING.md §3.3): propeller's
//! `newTaskExecutionMetadata` (flytepropeller `nodes/task/k8s/task_exec_context.go`)
//! adds, to the execution's own labels and annotations,
//!
//! - `inject-flyte-secrets: "true"` when the task requests secrets, and one
//!   annotation `flyte.secrets/s<i>` per secret (flyteplugins
//!   `utils/secrets/marshaler.go`): base32 (alphabet
//!   `abcdefghijklmnopqrstuvwxyz123456`, no padding) of the secret's
//!   protobuf text format as golang/protobuf v1.5.4's `proto.MarshalTextString`
//!   writes it (deterministic: one `name: value` line per set field, in
//!   declaration order, strings quoted with `\n \r \t \" \\` escaped and every
//!   byte outside printable ASCII as a 3-digit octal escape, enums by name);
//! - `execution-identity: <SanitizeLabelValue(run_as.execution_identity)>`.
//!
//! Both maps win over the execution's (`UnionMaps(exec, injected)`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::input::{ExecutionMetadata, TaskTemplate};
use crate::name::b32;
use crate::render::RenderError;

/// Kubernetes' total annotation size limit, which Flyte also applies to one
/// encoded secret (`totalAnnotationSizeLimitB`).
const ANNOTATION_SIZE_LIMIT: usize = 256 * (1 << 10);

/// `flyteidl.core.Secret` (flyteidl 1.16.8), as read from proto JSON.
#[derive(Debug, Default, PartialEq, Eq)]
struct Secret {
    group: String,
    group_version: String,
    key: String,
    mount_requirement: i64,
    env_var: String,
}

/// `Secret.MountType` names by number.
fn mount_type_name(n: i64) -> Option<&'static str> {
    match n {
        0 => Some("ANY"),
        1 => Some("ENV_VAR"),
        2 => Some("FILE"),
        _ => None,
    }
}

fn secret_from_json(v: &Value, path: &str) -> Result<Secret, RenderError> {
    let err = |p: &str, m: String| RenderError::Secret {
        path: p.to_owned(),
        message: m,
    };
    let Some(obj) = v.as_object() else {
        return Err(err(path, format!("expected an object, got {v}")));
    };
    let mut s = Secret::default();
    // proto3 JSON: the lowerCamel name or the proto name; unknown keys are
    // ignored, as for the rest of the task template.
    for (k, val) in obj {
        let p = format!("{path}.{k}");
        let text = |val: &Value| match val {
            Value::Null => Ok(String::new()),
            Value::String(x) => Ok(x.clone()),
            other => Err(err(&p, format!("expected a string, got {other}"))),
        };
        match k.as_str() {
            "group" => s.group = text(val)?,
            "groupVersion" | "group_version" => s.group_version = text(val)?,
            "key" => s.key = text(val)?,
            "envVar" | "env_var" => s.env_var = text(val)?,
            "mountRequirement" | "mount_requirement" => {
                s.mount_requirement = match val {
                    Value::Null => 0,
                    Value::String(name) => match name.as_str() {
                        "ANY" => 0,
                        "ENV_VAR" => 1,
                        "FILE" => 2,
                        _ => {
                            return Err(err(
                                &p,
                                format!(
                                    "unknown mount requirement {name:?} (ANY, ENV_VAR or FILE)"
                                ),
                            ));
                        }
                    },
                    Value::Number(n) => match n.as_i64().and_then(|x| i32::try_from(x).ok()) {
                        Some(x) => i64::from(x),
                        None => {
                            return Err(err(&p, format!("not an enum number (int32): {n}")));
                        }
                    },
                    other => {
                        return Err(err(&p, format!("expected a name or a number, got {other}")));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(s)
}

/// golang/protobuf v1.5.4 `writeQuotedString`.
fn quote(out: &mut String, s: &str) {
    out.push('"');
    for &b in s.as_bytes() {
        match b {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push('"');
}

/// `proto.MarshalTextString(secret)`: proto3 fields that are set (non-empty,
/// non-zero), in declaration order.
fn marshal_text(s: &Secret) -> String {
    let mut out = String::new();
    for (name, value) in [
        ("group", &s.group),
        ("group_version", &s.group_version),
        ("key", &s.key),
    ] {
        if !value.is_empty() {
            out.push_str(name);
            out.push_str(": ");
            quote(&mut out, value);
            out.push('\n');
        }
    }
    if s.mount_requirement != 0 {
        out.push_str("mount_requirement: ");
        match mount_type_name(s.mount_requirement) {
            Some(n) => out.push_str(n),
            None => out.push_str(&s.mount_requirement.to_string()),
        }
        out.push('\n');
    }
    if !s.env_var.is_empty() {
        out.push_str("env_var: ");
        quote(&mut out, &s.env_var);
        out.push('\n');
    }
    out
}

/// `secrets.MarshalSecretsToMapStrings`.
fn secret_annotations(secrets: &[Value]) -> Result<BTreeMap<String, String>, RenderError> {
    let mut out = BTreeMap::new();
    for (i, v) in secrets.iter().enumerate() {
        let path = format!("securityContext.secrets[{i}]");
        let s = secret_from_json(v, &path)?;
        if mount_type_name(s.mount_requirement).is_none() {
            return Err(RenderError::Secret {
                path: format!("{path}.mountRequirement"),
                message: format!("invalid mount requirement [{}]", s.mount_requirement),
            });
        }
        let encoded = b32(marshal_text(&s).as_bytes());
        if encoded.len() > ANNOTATION_SIZE_LIMIT {
            return Err(RenderError::Secret {
                path,
                message: format!("secret descriptor cannot exceed [{ANNOTATION_SIZE_LIMIT}]"),
            });
        }
        out.insert(format!("flyte.secrets/s{i}"), encoded);
    }
    Ok(out)
}

/// flytepropeller `utils.SanitizeLabelValue`: Go's `strings.ToLower`, every
/// run of characters outside `[-a-z0-9]` replaced by one `-`, cut at 63
/// bytes, `-` trimmed from both ends.
pub(crate) fn sanitize_label_value(s: &str) -> String {
    let mut out = String::new();
    let mut in_run = false;
    for c in s.chars() {
        // Go lowercases by the simple case mapping; the only characters
        // outside ASCII whose simple lowercase is in `[a-z]` are U+212A
        // KELVIN SIGN (→ k) and U+0130 (→ i; Rust's full mapping adds a
        // combining dot).
        let lower = match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '\u{212A}' => 'k',
            '\u{130}' => 'i',
            _ => c,
        };
        if lower.is_ascii_lowercase() || lower.is_ascii_digit() || lower == '-' {
            out.push(lower);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    out.truncate(63);
    out.trim_matches('-').to_owned()
}

/// Labels and annotations.
pub(crate) type Metadata = (BTreeMap<String, String>, BTreeMap<String, String>);

/// The labels and annotations the plugin sees (`meta.GetLabels()`,
/// `meta.GetAnnotations()`), from the execution's and the task's secrets and
/// execution identity.
pub(crate) fn plugin_metadata(
    task: &TaskTemplate,
    exec: &ExecutionMetadata,
) -> Result<Metadata, RenderError> {
    let mut labels = exec.labels.clone();
    let mut annotations = exec.annotations.clone();
    let secrets = task
        .security_context
        .as_ref()
        .map(|sc| sc.secrets.as_slice())
        .unwrap_or_default();
    if !secrets.is_empty() {
        annotations.extend(secret_annotations(secrets)?);
        labels.insert("inject-flyte-secrets".to_owned(), "true".to_owned());
    }
    let identity = exec.execution_identity.clone().unwrap_or_else(|| {
        task.security_context
            .as_ref()
            .and_then(|sc| sc.run_as.as_ref())
            .map(|r| r.execution_identity.clone())
            .unwrap_or_default()
    });
    if !identity.is_empty() {
        labels.insert(
            "execution-identity".to_owned(),
            sanitize_label_value(&identity),
        );
    }
    Ok((labels, annotations))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(v: Value) -> String {
        marshal_text(&secret_from_json(&v, "s").unwrap_or_default())
    }

    /// The text format, by golang/protobuf v1.5.4's `textWriter` rules
    /// (non-compact: `name: value` lines; `writeQuotedString`).
    #[test]
    fn text_format_of_secrets() {
        assert_eq!(
            text(json!({"group": "g", "key": "k", "mountRequirement": "ENV_VAR"})),
            "group: \"g\"\nkey: \"k\"\nmount_requirement: ENV_VAR\n"
        );
        // Declaration order, not input order; ANY (0) and empty strings are unset.
        assert_eq!(
            text(
                json!({"env_var": "E", "mount_requirement": 0, "group_version": "v1", "group": ""})
            ),
            "group_version: \"v1\"\nenv_var: \"E\"\n"
        );
        // Escapes: \n \r \t \" \\ and octal for every other byte outside 0x20..0x7e (UTF-8 bytes too).
        assert_eq!(
            text(json!({"key": "a\"b\\c\nd\re\tf\u{7f}\u{1}é"})),
            "key: \"a\\\"b\\\\c\\nd\\re\\tf\\177\\001\\303\\251\"\n"
        );
        assert_eq!(
            text(json!({"mountRequirement": 2})),
            "mount_requirement: FILE\n"
        );
    }

    #[test]
    fn invalid_mount_requirement_is_an_error() {
        let e = secret_annotations(&[json!({"key": "k", "mountRequirement": 7})])
            .expect_err("7 is not a MountType");
        assert_eq!(
            e.to_string(),
            "securityContext.secrets[0].mountRequirement: invalid mount requirement [7]"
        );
        assert!(secret_annotations(&[json!({"mountRequirement": "SOMETIMES"})]).is_err());
        assert!(secret_annotations(&[json!({"key": 3})]).is_err());
        assert!(secret_annotations(&[json!("k")]).is_err());
    }

    #[test]
    fn sanitized_label_values() {
        // Reasoned from SanitizeLabelValue: lowercase, runs of invalid characters → one '-', trim '-'.
        assert_eq!(sanitize_label_value("User@Example.COM"), "user-example-com");
        assert_eq!(sanitize_label_value("--a__b--"), "a-b");
        assert_eq!(sanitize_label_value("\u{212A}elvin"), "kelvin");
        assert_eq!(sanitize_label_value("über"), "ber");
        let long = "x".repeat(70);
        assert_eq!(sanitize_label_value(&long).len(), 63);
        // Cut at 63 first, then trimmed: a '-' at the cut is removed.
        let s = format!("{}-{}", "a".repeat(62), "b".repeat(5));
        assert_eq!(sanitize_label_value(&s), "a".repeat(62));
    }
}
