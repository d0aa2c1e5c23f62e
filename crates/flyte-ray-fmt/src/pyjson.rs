//! Python's `json.dumps(obj)` with its defaults, byte for byte.
//!
//! - Separators `", "` and `": "`, everything on one line, keys in the
//!   dict's order (`sort_keys=False`), no indent.
//! - `ensure_ascii=True`: `"` and `\` are escaped with a backslash; `\n`,
//!   `\r`, `\t`, `\b` (U+0008) and `\f` (U+000C) use their short forms;
//!   every other character outside U+0020..=U+007E (U+007F included)
//!   becomes `\u` and four lowercase hex digits, characters above U+FFFF a
//!   UTF-16 surrogate pair (`😀` is `\ud83d\ude00`).
//! - `null`, `true`, `false`; ints in full (`PyInt` keeps every digit).
//! - Floats as `float.__repr__` (shortest round-trip digits, fixed notation
//!   for decimal exponents -4..=15 with at least one digit after the
//!   point, else `1e+16`-style; `-0.0` keeps its sign), except the three
//!   non-finite values, which `json.dumps` writes as `NaN`, `Infinity` and
//!   `-Infinity` (`allow_nan=True`).
//! - Empty containers are `[]` and `{}`.
//!
//! Any depth is printed (the walk keeps its own stack); Python would raise
//! `RecursionError` at around a thousand levels.

use std::fmt::Write as _;

use crate::py::push_py_repr_float;
use crate::pyobj::PyValue;

/// `json.dumps(value)` with every argument at its default.
///
/// ```
/// use flyte_ray_fmt::pyjson::dumps;
/// use flyte_ray_fmt::pyobj::PyValue;
///
/// let v = PyValue::from_json_str(r#"{"pip": ["numpy==1.26"], "env": {"A": "é😀"}, "x": 1e16, "n": 100000000000000000000}"#)?;
/// assert_eq!(
///     dumps(&v),
///     r#"{"pip": ["numpy==1.26"], "env": {"A": "\u00e9\ud83d\ude00"}, "x": 1e+16, "n": 100000000000000000000}"#
/// );
/// # Ok::<(), flyte_ray_fmt::pyobj::PyJsonError>(())
/// ```
pub fn dumps(value: &PyValue) -> String {
    // Room for a typical runtime_env: fewer reallocations on the way.
    let mut out = String::with_capacity(256);
    // What remains to be written, last first.
    enum Todo<'a> {
        Value(&'a PyValue),
        Key(&'a str),
        Text(&'static str),
    }
    let mut todo = vec![Todo::Value(value)];
    while let Some(item) = todo.pop() {
        match item {
            Todo::Text(t) => out.push_str(t),
            Todo::Key(k) => {
                push_str(&mut out, k);
                out.push_str(": ");
            }
            Todo::Value(v) => match v {
                PyValue::None => out.push_str("null"),
                PyValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                PyValue::Int(i) => out.push_str(i.as_str()),
                PyValue::Float(f) => push_float(&mut out, *f),
                PyValue::Str(s) => push_str(&mut out, s),
                PyValue::List(items) => {
                    out.push('[');
                    todo.push(Todo::Text("]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        todo.push(Todo::Value(item));
                        if i > 0 {
                            todo.push(Todo::Text(", "));
                        }
                    }
                }
                PyValue::Dict(entries) => {
                    out.push('{');
                    todo.push(Todo::Text("}"));
                    for (i, (k, item)) in entries.iter().enumerate().rev() {
                        todo.push(Todo::Value(item));
                        todo.push(Todo::Key(k));
                        if i > 0 {
                            todo.push(Todo::Text(", "));
                        }
                    }
                }
            },
        }
    }
    out
}

/// `float.__repr__`, with `json`'s names for the non-finite values.
fn push_float(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v == f64::INFINITY {
        out.push_str("Infinity");
    } else if v == f64::NEG_INFINITY {
        out.push_str("-Infinity");
    } else {
        push_py_repr_float(out, v);
    }
}

/// A string in double quotes, escaped as `ensure_ascii=True` does.
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    // Runs of printable ASCII other than `"` and `\\` are written as they
    // are, at once; a byte outside them starts a character (every byte
    // before it is ASCII) that is escaped on its own.
    while let Some(at) = rest
        .bytes()
        .position(|b| !(b' '..=b'~').contains(&b) || b == b'"' || b == b'\\')
    {
        let (run, tail) = rest.split_at(at);
        out.push_str(run);
        let mut chars = tail.chars();
        let Some(c) = chars.next() else {
            rest = tail;
            break;
        };
        push_escaped(out, c);
        rest = chars.as_str();
    }
    out.push_str(rest);
    out.push('"');
}

/// One character of a string as `json.dumps` writes it (`ensure_ascii`).
fn push_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        ' '..='~' => out.push(c),
        _ => {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
}
