//! Helpers for comparing [`check_schema`](crate::check_schema) with a
//! generic JSON-Schema validator (the tests of this crate and of the
//! renderer run the `jsonschema` crate on the same CRD schema).
//!
//! Nothing here reads files or depends on a validator: the caller loads the
//! schema (from `../shared/kuberay/v1.5.1/crd/rayjob.v1.schema.json`) and
//! compiles [`strict_json_schema`] of it with the validator of its choice.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::finding::Finding;
use crate::schema::{REQUIRED, UNKNOWN_FIELD};

/// The CRD's `openAPIV3Schema` made strict for a generic Draft-7
/// validator, as RENDERING.md §15.2 says: every object schema with
/// `properties` and no `additionalProperties` closed; and, to express what
/// [`check_schema`](crate::check_schema) enforces through OpenAPI keywords a
/// JSON-Schema validator does not know, `format: int32`/`int64` as bounds
/// and `nullable: true` as an added `null` type.
///
/// ```
/// use serde_json::json;
///
/// let s = flyte_ray_kuberay_api::testing::strict_json_schema(json!({
///     "type": "object",
///     "properties": {"n": {"type": "integer", "format": "int32"}}
/// }));
/// assert_eq!(s["additionalProperties"], false);
/// assert_eq!(s["properties"]["n"]["maximum"], i32::MAX);
/// ```
pub fn strict_json_schema(mut schema: Value) -> Value {
    close(&mut schema);
    schema
}

fn close(v: &mut Value) {
    let Some(o) = v.as_object_mut() else { return };
    if o.contains_key("properties") && !o.contains_key("additionalProperties") {
        o.insert("additionalProperties".into(), Value::Bool(false));
    }
    match o.get("format").and_then(Value::as_str) {
        Some("int32") => {
            // Keep a stricter `minimum` of the schema (ttlSeconds: 0).
            if !o.contains_key("minimum") {
                o.insert("minimum".into(), json!(i32::MIN));
            }
            o.insert("maximum".into(), json!(i32::MAX));
        }
        Some("int64") => {
            if !o.contains_key("minimum") {
                o.insert("minimum".into(), json!(i64::MIN));
            }
            o.insert("maximum".into(), json!(i64::MAX));
        }
        _ => {}
    }
    if o.get("nullable") == Some(&Value::Bool(true))
        && let Some(Value::String(t)) = o.get("type").cloned()
    {
        o.insert("type".into(), json!([t, "null"]));
    }
    if let Some(Value::Object(props)) = o.get_mut("properties") {
        for p in props.values_mut() {
            close(p);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(sub) = o.get_mut(key) {
            close(sub);
        }
    }
}

/// A finding path (`a.b[0]["x.y"]`) as a JSON pointer (`/a/b/0/x.y`).
///
/// ```
/// use flyte_ray_kuberay_api::testing::json_pointer;
///
/// assert_eq!(json_pointer(r#"spec.a[0]["x/y"]"#), "/spec/a/0/x~1y");
/// assert_eq!(json_pointer(""), "");
/// ```
pub fn json_pointer(path: &str) -> String {
    let mut out = String::new();
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'[' if b.get(i + 1) == Some(&b'"') => {
                // A JSON string up to the closing `"]`.
                let rest = &path[i + 1..];
                let mut de = serde_json::Deserializer::from_str(rest).into_iter::<String>();
                let Some(Ok(key)) = de.next() else {
                    // Not a path this crate writes: the rest, verbatim.
                    out.push('/');
                    out.push_str(rest);
                    break;
                };
                let used = de.byte_offset();
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
                i += 1 + used + 1;
            }
            b'[' => {
                let end = path[i..].find(']').map_or(path.len(), |e| i + e);
                out.push('/');
                out.push_str(path.get(i + 1..end).unwrap_or_default());
                i = end + 1;
            }
            _ => {
                let end = path[i..].find(['.', '[']).map_or(path.len(), |e| i + e);
                out.push('/');
                out.push_str(&path[i..end]);
                i = end;
            }
        }
    }
    out
}

/// Where schema findings are, as JSON pointers of the value a JSON-Schema
/// validator reports: a missing or unknown field at its parent object,
/// everything else at the value itself. Findings of other rules
/// (`kuberay.*`) are left out.
pub fn schema_locations(findings: &[Finding]) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f.rule.starts_with("schema."))
        .map(|f| {
            let p = json_pointer(&f.path);
            if f.rule == REQUIRED || f.rule == UNKNOWN_FIELD {
                p.rsplit_once('/')
                    .map(|(parent, _)| parent.to_owned())
                    .unwrap_or_default()
            } else {
                p
            }
        })
        .collect()
}
