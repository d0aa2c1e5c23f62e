//! Pod specs holding fields `google.protobuf.Struct`, `Value` or
//! `ListValue` do not know, kept as upb keeps them.
//!
//! A pod spec is a `Struct` tree. Bytes that are not its canonical encoding
//! and hold an unknown field somewhere (or a known field number with another
//! wire type) are decoded here into a tree that keeps, per message, the
//! unknown fields in the order read, with upb's rules for the known ones:
//! a later map entry replaces an earlier one of the same key, a later
//! `Value` member replaces another member, the same message member merges,
//! list elements append. A `Struct.fields` map entry holding an unknown
//! field is not a map entry: it becomes an unknown field (number 1) of the
//! `Struct`, re-encoded as upb does — its key when not empty, its value when
//! present (itself re-encoded, unknown fields included), then its unknown
//! fields. The tree is written back canonically with the unknown fields of
//! each message after its known fields, which is what
//! `SerializeToString(deterministic=True)` writes; the pod spec keeps those
//! bytes, so decoding them again gives them back.

use std::collections::BTreeMap;

use flyte_ray_idl::canonical::{put_i32, put_varint};
use prost_types::value::Kind;

use crate::cursor::Cursor;
use crate::unknown_fields::{UnknownField, UnknownFields, skip_field};

const STRUCT: &str = "google.protobuf.Struct";
const VALUE: &str = "google.protobuf.Value";
const LIST: &str = "google.protobuf.ListValue";

/// A `Struct` with its unknown fields.
#[derive(Default)]
pub(crate) struct SNode {
    fields: BTreeMap<String, VNode>,
    unknown: UnknownFields,
}

/// A `Value` with its unknown fields.
#[derive(Default)]
struct VNode {
    kind: Option<VKind>,
    unknown: UnknownFields,
}

enum VKind {
    Null(i32),
    Number(f64),
    Str(String),
    Bool(bool),
    Struct(SNode),
    List(LNode),
}

/// A `ListValue` with its unknown fields.
#[derive(Default)]
struct LNode {
    values: Vec<VNode>,
    unknown: UnknownFields,
}

/// What a parse learns besides the tree.
#[derive(Default)]
pub(crate) struct Seen {
    /// Some message holds an unknown field.
    pub(crate) unknown: bool,
}

fn utf8(bytes: &[u8]) -> Option<String> {
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

/// Parses (merges) `bytes`, a `Struct` nested `level` messages deep in the
/// whole message, into `s`; `None` on malformed bytes or nesting past the
/// decoders' limit. Returns the wire depth below the `Struct`.
pub(crate) fn merge_struct(
    s: &mut SNode,
    bytes: &[u8],
    level: usize,
    seen: &mut Seen,
) -> Option<usize> {
    if level > crate::decode::MAX_LEVEL {
        return None;
    }
    let mut depth = 0;
    let mut r = Cursor::new(bytes);
    while !r.done() {
        let start = r.pos;
        match r.key()? {
            (1, 2) => {
                let entry = r.body()?;
                depth = depth.max(merge_entry(s, entry, level + 1, seen)?);
            }
            (number, wt) => {
                skip_field(&mut r, number, wt, level)?;
                s.unknown.push(bytes.get(start..r.pos)?);
                seen.unknown = true;
            }
        }
    }
    Some(depth)
}

/// One `Struct.fields` entry: into the map, or — holding an unknown field —
/// re-encoded into the `Struct`'s unknown fields. Returns the wire depth
/// (entry and below).
fn merge_entry(s: &mut SNode, bytes: &[u8], level: usize, seen: &mut Seen) -> Option<usize> {
    if level > crate::decode::MAX_LEVEL {
        return None;
    }
    let mut key = String::new();
    let mut value: Option<VNode> = None;
    let mut depth = 0;
    let mut unknown = UnknownFields::default();
    let mut r = Cursor::new(bytes);
    while !r.done() {
        let start = r.pos;
        match r.key()? {
            (1, 2) => key = utf8(r.body()?)?,
            (2, 2) => {
                let body = r.body()?;
                let v = value.get_or_insert_with(VNode::default);
                depth = depth.max(1 + merge_value(v, body, level + 1, seen)?);
            }
            (number, wt) => {
                skip_field(&mut r, number, wt, level)?;
                unknown.push(bytes.get(start..r.pos)?);
            }
        }
    }
    if unknown.is_empty() {
        s.fields.insert(key, value.unwrap_or_default());
        return Some(1 + depth);
    }
    seen.unknown = true;
    let mut body = Vec::new();
    if !key.is_empty() {
        flyte_ray_idl::canonical::put_str(1, &key, &mut body);
    }
    if let Some(v) = &value {
        put_len(2, &write_value(v, true), &mut body);
    }
    body.extend_from_slice(unknown.as_bytes());
    let mut raw = Vec::with_capacity(body.len() + 6);
    put_len(1, &body, &mut raw);
    s.unknown.push(&raw);
    Some(1 + depth)
}

fn merge_value(v: &mut VNode, bytes: &[u8], level: usize, seen: &mut Seen) -> Option<usize> {
    if level > crate::decode::MAX_LEVEL {
        return None;
    }
    let mut r = Cursor::new(bytes);
    while !r.done() {
        let start = r.pos;
        match r.key()? {
            (1, 0) => v.kind = Some(VKind::Null(crate::decode::as_i32(r.varint()?))),
            (2, 1) => {
                let raw: [u8; 8] = r.unread().get(..8)?.try_into().ok()?;
                r.skip(8)?;
                v.kind = Some(VKind::Number(f64::from_le_bytes(raw)));
            }
            (3, 2) => v.kind = Some(VKind::Str(utf8(r.body()?)?)),
            (4, 0) => v.kind = Some(VKind::Bool(r.varint()? != 0)),
            (5, 2) => {
                let body = r.body()?;
                if !matches!(v.kind, Some(VKind::Struct(_))) {
                    v.kind = Some(VKind::Struct(SNode::default()));
                }
                let Some(VKind::Struct(s)) = &mut v.kind else {
                    return None;
                };
                merge_struct(s, body, level + 1, seen)?;
            }
            (6, 2) => {
                let body = r.body()?;
                if !matches!(v.kind, Some(VKind::List(_))) {
                    v.kind = Some(VKind::List(LNode::default()));
                }
                let Some(VKind::List(l)) = &mut v.kind else {
                    return None;
                };
                merge_list(l, body, level + 1, seen)?;
            }
            (number, wt) => {
                skip_field(&mut r, number, wt, level)?;
                v.unknown.push(bytes.get(start..r.pos)?);
                seen.unknown = true;
            }
        }
    }
    Some(value_depth(v))
}

fn merge_list(l: &mut LNode, bytes: &[u8], level: usize, seen: &mut Seen) -> Option<()> {
    if level > crate::decode::MAX_LEVEL {
        return None;
    }
    let mut r = Cursor::new(bytes);
    while !r.done() {
        let start = r.pos;
        match r.key()? {
            (1, 2) => {
                let body = r.body()?;
                let mut v = VNode::default();
                merge_value(&mut v, body, level + 1, seen)?;
                l.values.push(v);
            }
            (number, wt) => {
                skip_field(&mut r, number, wt, level)?;
                l.unknown.push(bytes.get(start..r.pos)?);
                seen.unknown = true;
            }
        }
    }
    Some(())
}

// ---- what the tree tells -----------------------------------------------------------

/// [`crate::wire::WireDepth`] of the known part below a `Struct`.
pub(crate) fn struct_depth(s: &SNode) -> usize {
    s.fields
        .values()
        .map(|v| 2 + value_depth(v))
        .max()
        .unwrap_or(0)
}

fn value_depth(v: &VNode) -> usize {
    match &v.kind {
        Some(VKind::Struct(s)) => 1 + struct_depth(s),
        Some(VKind::List(l)) => {
            1 + l
                .values
                .iter()
                .map(|e| 1 + value_depth(e))
                .max()
                .unwrap_or(0)
        }
        _ => 0,
    }
}

/// Deepest JSON level of an object or array (as `pod_spec::Shape` counts)
/// and whether a number is not finite, over the known part.
pub(crate) fn json_shape(s: &SNode, level: usize, depth: &mut usize, non_finite: &mut bool) {
    *depth = (*depth).max(level);
    for v in s.fields.values() {
        value_shape(v, level + 1, depth, non_finite);
    }
}

fn value_shape(v: &VNode, level: usize, depth: &mut usize, non_finite: &mut bool) {
    match &v.kind {
        Some(VKind::Number(x)) => *non_finite |= !x.is_finite(),
        Some(VKind::Struct(s)) => json_shape(s, level, depth, non_finite),
        Some(VKind::List(l)) => {
            *depth = (*depth).max(level);
            for e in &l.values {
                value_shape(e, level + 1, depth, non_finite);
            }
        }
        _ => {}
    }
}

// ---- writing -----------------------------------------------------------------------

fn put_len(tag: u32, body: &[u8], out: &mut Vec<u8>) {
    put_varint(u64::from(tag) << 3 | 2, out);
    put_varint(body.len() as u64, out);
    out.extend_from_slice(body);
}

/// The encoding of a `Struct`: entries sorted by key (key and value always
/// written), then its unknown fields when `unknown`.
pub(crate) fn write_struct(s: &SNode, unknown: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in &s.fields {
        let mut entry = Vec::with_capacity(k.len() + 16);
        put_len(1, k.as_bytes(), &mut entry);
        put_len(2, &write_value(v, unknown), &mut entry);
        put_len(1, &entry, &mut out);
    }
    if unknown {
        out.extend_from_slice(s.unknown.as_bytes());
    }
    out
}

fn write_value(v: &VNode, unknown: bool) -> Vec<u8> {
    let mut out = Vec::new();
    match &v.kind {
        None => {}
        Some(VKind::Null(n)) => put_i32(1, *n, &mut out),
        Some(VKind::Number(x)) => {
            out.push(0x11);
            out.extend_from_slice(&x.to_le_bytes());
        }
        Some(VKind::Str(t)) => put_len(3, t.as_bytes(), &mut out),
        Some(VKind::Bool(b)) => out.extend_from_slice(&[0x20, u8::from(*b)]),
        Some(VKind::Struct(s)) => put_len(5, &write_struct(s, unknown), &mut out),
        Some(VKind::List(l)) => {
            let mut body = Vec::new();
            for e in &l.values {
                put_len(1, &write_value(e, unknown), &mut body);
            }
            if unknown {
                body.extend_from_slice(l.unknown.as_bytes());
            }
            put_len(6, &body, &mut out);
        }
    }
    if unknown {
        out.extend_from_slice(v.unknown.as_bytes());
    }
    out
}

/// The known part as a `Struct`.
pub(crate) fn to_struct(s: SNode) -> prost_types::Struct {
    prost_types::Struct {
        fields: s
            .fields
            .into_iter()
            .map(|(k, v)| (k, to_value(v)))
            .collect(),
    }
}

fn to_value(v: VNode) -> prost_types::Value {
    prost_types::Value {
        kind: v.kind.map(|k| match k {
            VKind::Null(n) => Kind::NullValue(n),
            VKind::Number(x) => Kind::NumberValue(x),
            VKind::Str(t) => Kind::StringValue(t),
            VKind::Bool(b) => Kind::BoolValue(b),
            VKind::Struct(s) => Kind::StructValue(to_struct(s)),
            VKind::List(l) => Kind::ListValue(prost_types::ListValue {
                values: l.values.into_iter().map(to_value).collect(),
            }),
        }),
    }
}

// ---- listing -----------------------------------------------------------------------

/// A `Struct` key as a path step: `.key` for a plain name, `["key"]` (a JSON
/// string) otherwise.
fn step(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        crate::unknown_fields::join(path, key)
    } else {
        let quoted = serde_json::to_string(key).unwrap_or_default();
        format!("{path}[{quoted}]")
    }
}

/// Appends the unknown fields of the `Struct` at `path` and inside it, in
/// field order.
pub(crate) fn collect_struct(s: &SNode, path: &str, out: &mut Vec<UnknownField>) {
    crate::unknown_fields::own(&s.unknown, STRUCT, path, out);
    for (k, v) in &s.fields {
        collect_value(v, &step(path, k), out);
    }
}

fn collect_value(v: &VNode, path: &str, out: &mut Vec<UnknownField>) {
    crate::unknown_fields::own(&v.unknown, VALUE, path, out);
    match &v.kind {
        Some(VKind::Struct(s)) => collect_struct(s, path, out),
        Some(VKind::List(l)) => {
            crate::unknown_fields::own(&l.unknown, LIST, path, out);
            for (i, e) in l.values.iter().enumerate() {
                collect_value(e, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Parses bytes this module wrote (or any the decoders accept).
pub(crate) fn parse(bytes: &[u8]) -> Option<SNode> {
    let mut s = SNode::default();
    merge_struct(&mut s, bytes, 0, &mut Seen::default())?;
    Some(s)
}
