//! One scalar value, borrowed, and how each printer writes it.

use std::fmt::Write as _;

use prost_reflect::Value;

use crate::py::{push_py_repr_bytes, push_py_repr_float, push_py_repr_str};
use crate::text::{push_c_escape, push_c_escape_bytes, push_double, push_float};

/// A scalar field value (anything but a message, list or map).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scalar<'a> {
    Bool(bool),
    I32(i32),
    I64(i64),
    U32(u32),
    U64(u64),
    F32(f32),
    F64(f64),
    Str(&'a str),
    Bytes(&'a [u8]),
    /// An enum value: the enum's index in the wire schema (unused by the
    /// reflection path) and the number.
    Enum(usize, i32),
}

impl<'a> Scalar<'a> {
    /// The scalar of a [`Value`], `None` for messages, lists and maps.
    pub(crate) fn from_value(value: &'a Value) -> Option<Self> {
        Some(match value {
            Value::Bool(b) => Scalar::Bool(*b),
            Value::I32(v) => Scalar::I32(*v),
            Value::I64(v) => Scalar::I64(*v),
            Value::U32(v) => Scalar::U32(*v),
            Value::U64(v) => Scalar::U64(*v),
            Value::F32(v) => Scalar::F32(*v),
            Value::F64(v) => Scalar::F64(*v),
            Value::String(s) => Scalar::Str(s),
            Value::Bytes(b) => Scalar::Bytes(b),
            Value::EnumNumber(n) => Scalar::Enum(0, *n),
            Value::Message(_) | Value::List(_) | Value::Map(_) => return None,
        })
    }

    /// Whether this is the type's default (what proto3 leaves unset), as
    /// prost-reflect decides it (`-0.0 == 0.0`).
    pub(crate) fn is_default(&self) -> bool {
        match *self {
            Scalar::Bool(b) => !b,
            Scalar::I32(v) => v == 0,
            Scalar::I64(v) => v == 0,
            Scalar::U32(v) => v == 0,
            Scalar::U64(v) => v == 0,
            Scalar::F32(v) => v == 0.0,
            Scalar::F64(v) => v == 0.0,
            Scalar::Str(s) => s.is_empty(),
            Scalar::Bytes(b) => b.is_empty(),
            Scalar::Enum(_, n) => n == 0,
        }
    }

    /// Map-key order (`None` when the kinds differ or are not key kinds).
    pub(crate) fn key_lt(&self, other: &Self) -> Option<bool> {
        Some(match (self, other) {
            (Scalar::Bool(a), Scalar::Bool(b)) => a < b,
            (Scalar::I32(a), Scalar::I32(b)) => a < b,
            (Scalar::I64(a), Scalar::I64(b)) => a < b,
            (Scalar::U32(a), Scalar::U32(b)) => a < b,
            (Scalar::U64(a), Scalar::U64(b)) => a < b,
            (Scalar::Str(a), Scalar::Str(b)) => a < b,
            _ => return None,
        })
    }

    /// Text format; `enum_name` is the value's name when it has one.
    pub(crate) fn push_text(&self, out: &mut String, enum_name: Option<&str>) {
        match *self {
            Scalar::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Scalar::I32(v) => push_int(out, v),
            Scalar::I64(v) => push_int(out, v),
            Scalar::U32(v) => push_int(out, v),
            Scalar::U64(v) => push_int(out, v),
            Scalar::F32(v) => push_float(out, v),
            Scalar::F64(v) => push_double(out, v),
            Scalar::Str(s) => {
                out.push('"');
                push_c_escape(out, s);
                out.push('"');
            }
            Scalar::Bytes(b) => {
                out.push('"');
                push_c_escape_bytes(out, b);
                out.push('"');
            }
            Scalar::Enum(_, n) => match enum_name {
                Some(name) => out.push_str(name),
                None => push_int(out, n),
            },
        }
    }

    /// Python's `repr()` of the value as the protobuf runtime hands it out
    /// (an enum as its number).
    pub(crate) fn push_py_repr(&self, out: &mut String) {
        match *self {
            Scalar::Bool(b) => out.push_str(if b { "True" } else { "False" }),
            Scalar::I32(v) | Scalar::Enum(_, v) => push_int(out, v),
            Scalar::I64(v) => push_int(out, v),
            Scalar::U32(v) => push_int(out, v),
            Scalar::U64(v) => push_int(out, v),
            Scalar::F32(v) => push_py_repr_float(out, f64::from(v)),
            Scalar::F64(v) => push_py_repr_float(out, v),
            Scalar::Str(s) => push_py_repr_str(out, s),
            Scalar::Bytes(b) => push_py_repr_bytes(out, b),
        }
    }
}

fn push_int(out: &mut String, v: impl std::fmt::Display) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{v}");
}
