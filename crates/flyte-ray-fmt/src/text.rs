//! Protobuf text format as the C++/upb printer (and so Python's `str(msg)`)
//! writes it.

use std::fmt::Write as _;
use std::str::FromStr;

use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, MapKey, Value};

use crate::py::push_c_g;
use crate::scalar::Scalar;

/// A double as the upb/C++ text printer writes it: `nan`, `inf`, `-inf`;
/// otherwise C's `%.15g`, or `%.17g` when `%.15g` does not read back as the
/// same double.
///
/// ```
/// use flyte_ray_fmt::format_double;
/// assert_eq!(format_double(1.0), "1");
/// assert_eq!(format_double(0.1), "0.1");
/// assert_eq!(format_double(1.0 / 3.0), "0.33333333333333331");
/// assert_eq!(format_double(-0.0), "-0");
/// assert_eq!(format_double(1e16), "1e+16");
/// assert_eq!(format_double(f64::NAN), "nan");
/// ```
pub fn format_double(v: f64) -> String {
    let mut out = String::new();
    push_double(&mut out, v);
    out
}

/// [`format_double`] appending to `out`.
pub(crate) fn push_double(out: &mut String, v: f64) {
    push_round_trip_g(out, v, 15, 17);
}

/// A float as upb writes it: `%.6g` (`FLT_DIG`), or `%.9g` when that does not
/// read back as the same float.
pub(crate) fn push_float(out: &mut String, v: f32) {
    push_round_trip_g(out, v, 6, 9);
}

/// `nan`, `inf`, `-inf`; otherwise `%.{short}g`, or `%.{long}g` when that
/// does not read back as the same `T`.
fn push_round_trip_g<T>(out: &mut String, v: T, short: usize, long: usize)
where
    T: Copy + PartialEq + FromStr + Into<f64>,
{
    let x: f64 = v.into();
    if x.is_nan() {
        out.push_str("nan");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "inf" } else { "-inf" });
    } else {
        let start = out.len();
        push_c_g(out, x, short);
        if out[start..].parse::<T>().ok() != Some(v) {
            out.truncate(start);
            push_c_g(out, x, long);
        }
    }
}

/// Escapes a string for text format, without the surrounding quotes.
///
/// `\n \r \t \" \' \\` become two characters, other characters below U+0020
/// and U+007F three octal digits (`\001`, `\177`); everything else, UTF-8
/// included, is kept as is.
///
/// ```
/// use flyte_ray_fmt::c_escape;
/// assert_eq!(c_escape("it's \"x\"\n"), r#"it\'s \"x\"\n"#);
/// assert_eq!(c_escape("\u{1}\u{7f}é"), r"\001\177é");
/// ```
pub fn c_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_c_escape(&mut out, s);
    out
}

/// [`c_escape`] appending to `out`.
pub(crate) fn push_c_escape(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&str> = match b {
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            b'"' => Some("\\\""),
            b'\'' => Some("\\'"),
            b'\\' => Some("\\\\"),
            0..=0x1f | 0x7f => None,
            _ => continue,
        };
        // `i` is an ASCII byte, so a char boundary.
        out.push_str(&s[plain..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
}

/// Escapes a `bytes` value for text format: as [`c_escape`], and every byte
/// from 0x80 as three octal digits.
pub(crate) fn push_c_escape_bytes(out: &mut String, b: &[u8]) {
    for &byte in b {
        match byte {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'"' => out.push_str("\\\""),
            b'\'' => out.push_str("\\'"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
}

/// `indent` spaces, copied from a constant a slice at a time (indentation is
/// most of the text format's output).
pub(crate) fn push_indent(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// Writes the text format of `message` with every line indented by `indent`.
pub(crate) fn write_message(out: &mut String, message: &DynamicMessage, indent: usize) {
    for (field, value) in message.fields() {
        write_field(out, &field, value, indent);
    }
}

fn write_field(out: &mut String, field: &FieldDescriptor, value: &Value, indent: usize) {
    match value {
        Value::List(items) => {
            let kind = field.kind();
            for item in items {
                write_single(out, field.name(), &kind, item, indent);
            }
        }
        Value::Map(map) => {
            let Kind::Message(entry) = field.kind() else {
                return;
            };
            let key_kind = entry.map_entry_key_field().kind();
            let value_kind = entry.map_entry_value_field().kind();
            let mut entries: Vec<(&MapKey, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for (key, v) in entries {
                push_indent(out, indent);
                out.push_str(field.name());
                out.push_str(" {\n");
                write_single(out, "key", &key_kind, &map_key_value(key), indent + 2);
                write_single(out, "value", &value_kind, v, indent + 2);
                push_indent(out, indent);
                out.push_str("}\n");
            }
        }
        _ => write_single(out, field.name(), &field.kind(), value, indent),
    }
}

/// A map key as a [`Value`].
pub(crate) fn map_key_value(key: &MapKey) -> Value {
    match key {
        MapKey::Bool(b) => Value::Bool(*b),
        MapKey::I32(v) => Value::I32(*v),
        MapKey::I64(v) => Value::I64(*v),
        MapKey::U32(v) => Value::U32(*v),
        MapKey::U64(v) => Value::U64(*v),
        MapKey::String(s) => Value::String(s.clone()),
    }
}

fn write_single(out: &mut String, name: &str, kind: &Kind, value: &Value, indent: usize) {
    push_indent(out, indent);
    out.push_str(name);
    if let Value::Message(m) = value {
        out.push_str(" {\n");
        write_message(out, m, indent + 2);
        push_indent(out, indent);
        out.push_str("}\n");
        return;
    }
    out.push_str(": ");
    push_scalar(out, kind, value);
    out.push('\n');
}

/// Writes a scalar (non-message, non-list, non-map) value in text format.
pub(crate) fn push_scalar(out: &mut String, kind: &Kind, value: &Value) {
    if let Some(s) = Scalar::from_value(value) {
        let name = match (value, kind) {
            (Value::EnumNumber(n), Kind::Enum(e)) => e.get_value(*n),
            _ => None,
        };
        s.push_text(out, name.as_ref().map(|v| v.name()));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_indent_writes_exactly_that_many_spaces() {
        for n in [0, 1, 63, 64, 65, 129, 300] {
            let mut out = String::from("x");
            super::push_indent(&mut out, n);
            assert_eq!(out, format!("x{}", " ".repeat(n)), "{n}");
        }
    }
}
