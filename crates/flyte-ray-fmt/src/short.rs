//! flytekit's `FlyteIdlEntity.short_string()` (and `verbose_string()`, which
//! returns the same): `_repr_idl_yaml_like` over the message's set fields.

use prost_reflect::{DynamicMessage, MapKey, Value};

use crate::scalar::Scalar;
use crate::text::{map_key_value, push_indent, write_message};
use crate::wrap::shorten;

/// Width `_repr_idl_yaml_like` gives `textwrap.shorten`.
pub(crate) const WIDTH: usize = 80;
/// `textwrap.shorten`'s default placeholder.
pub(crate) const PLACEHOLDER: &str = " [...]";

/// `"Flyte Serialized object (" + type + "):\n" + yaml_like(msg, 2)` with the
/// trailing newlines removed.
pub(crate) fn short_string(type_name: &str, message: &DynamicMessage) -> String {
    let mut out = String::with_capacity(256);
    header(&mut out, type_name);
    let start = out.len();
    yaml_like(&mut out, message, 2);
    trim_trailing_newlines(&mut out, start);
    out
}

/// `"Flyte Serialized object (" + type + "):\n"`.
pub(crate) fn header(out: &mut String, type_name: &str) {
    out.push_str("Flyte Serialized object (");
    out.push_str(type_name);
    out.push_str("):\n");
}

/// `str.rstrip(os.linesep)` of the part of `out` from `start`.
pub(crate) fn trim_trailing_newlines(out: &mut String, start: usize) {
    let kept = out[start..].trim_end_matches('\n').len();
    out.truncate(start + kept);
}

/// `_repr_idl_yaml_like(msg, indent)`.
fn yaml_like(out: &mut String, message: &DynamicMessage, indent: usize) {
    let mut scratch = String::new();
    for (field, value) in message.fields() {
        if let Value::Message(sub) = value {
            // A present but empty sub-message prints nothing.
            if sub.fields().next().is_some() {
                push_indent(out, indent);
                out.push_str(field.name());
                out.push_str(":\n");
                yaml_like(out, sub, indent + 2);
            }
            continue;
        }
        scratch.clear();
        py_str(&mut scratch, value);
        let short = shorten(&scratch, WIDTH, PLACEHOLDER);
        if !short.is_empty() {
            push_indent(out, indent);
            out.push_str(field.name());
            out.push_str(": ");
            out.push_str(&short);
            out.push('\n');
        }
    }
}

/// Python's `str()` of a field value as the protobuf runtime hands it out.
fn py_str(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_repr(out, item);
            }
            out.push(']');
        }
        Value::Map(map) => {
            let mut entries: Vec<(&MapKey, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_repr(out, &map_key_value(key));
                out.push_str(": ");
                py_repr(out, v);
            }
            out.push('}');
        }
        other => py_repr(out, other),
    }
}

/// Python's `repr()` of a value inside a container (a list or dict repr): a
/// message as its text format, a string or bytes quoted, an enum as its number.
fn py_repr(out: &mut String, value: &Value) {
    match value {
        Value::Message(m) => write_message(out, m, 0),
        other => {
            if let Some(s) = Scalar::from_value(other) {
                s.push_py_repr(out);
            }
        }
    }
}
