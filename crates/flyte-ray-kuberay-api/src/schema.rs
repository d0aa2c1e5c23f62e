//! Checks a rendered RayJob (as JSON) against KubeRay v1.5.1's CRD v1
//! `openAPIV3Schema`, as the API server would with strict field validation
//! (`kubectl apply --validate=strict`).
//!
//! The schema itself is generated (`src/gen/schema.rs`, by `cargo xtask
//! codegen` from `../shared/kuberay/v1.5.1/crd/rayjob.v1.schema.json`): a
//! table of its distinct nodes. This module is the small walker over it.
//! Checked: unknown fields (every object schema with `properties` is
//! closed; the top-level `metadata` is free-form), `type` (null only where
//! `nullable`), `required`, `enum`, `pattern`, `minimum`, `minLength`,
//! `maxLength`, `minItems`, `format` (`int32`/`int64` ranges, `date-time` as
//! RFC 3339), `x-kubernetes-int-or-string` (an integer or a string; the
//! pattern applies to strings), and the list types: `set` items unique, `map`
//! items unique by their `x-kubernetes-list-map-keys` (a missing key taking
//! its schema default, so `ports` without `protocol` are keyed as `TCP`).
//! Not checked: the CEL rules, listed in [`UNCHECKED_CEL_RULES`], and
//! `x-kubernetes-map-type`, which only affects server-side apply.
//!
//! Two places are stricter than the API server, on purpose: an unknown field
//! is an error (the server prunes it silently), and an out-of-range `int32`
//! is an error (the server stores it; KubeRay's Go types cannot decode it).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::finding::{Finding, push_index, push_key};

/// The generated tables.
#[allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]
mod tables {
    include!("gen/schema.rs");
}

pub use tables::UNCHECKED_CEL_RULES;

/// Rule id: a field the schema does not have.
pub const UNKNOWN_FIELD: &str = "schema.unknown-field";
/// Rule id: a value of the wrong JSON type.
pub const TYPE: &str = "schema.type";
/// Rule id: a required field missing.
pub const REQUIRED: &str = "schema.required";
/// Rule id: a string not among the `enum` values.
pub const ENUM: &str = "schema.enum";
/// Rule id: a string not matching the `pattern`.
pub const PATTERN: &str = "schema.pattern";
/// Rule id: a number below `minimum`.
pub const MINIMUM: &str = "schema.minimum";
/// Rule id: a string or list too short or too long.
pub const LENGTH: &str = "schema.length";
/// Rule id: a value outside its `format` (`int32`, `int64`, `date-time`).
pub const FORMAT: &str = "schema.format";
/// Rule id: two items of a `set` or `map` list with the same value or key.
pub const DUPLICATE: &str = "schema.duplicate";

/// JSON type of a schema node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    IntOrString,
}

/// `format` of a schema node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    None,
    Int32,
    Int64,
    DateTime,
}

/// `x-kubernetes-list-type` of an array node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum List {
    Atomic,
    Set,
    Map(&'static [&'static str]),
}

/// One node of the schema (see the generator, `xtask/src/kuberay_schema.rs`).
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) ty: Ty,
    pub(crate) format: Format,
    /// Sorted by name.
    pub(crate) properties: &'static [(&'static str, u16)],
    pub(crate) closed: bool,
    pub(crate) additional: Option<u16>,
    pub(crate) items: Option<u16>,
    pub(crate) required: &'static [&'static str],
    pub(crate) enumeration: &'static [&'static str],
    pub(crate) pattern: Option<u16>,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) min_items: Option<u64>,
    pub(crate) minimum: Option<i64>,
    pub(crate) nullable: bool,
    pub(crate) list: List,
    /// JSON text of the `default`.
    pub(crate) default: Option<&'static str>,
}

static PATTERNS: LazyLock<Vec<Result<Regex, regex::Error>>> =
    LazyLock::new(|| tables::PATTERNS.iter().map(|p| Regex::new(p)).collect());

/// RFC 3339 `date-time` shape; the date and time ranges are then checked by
/// parsing with k8s-openapi's `Time`.
static DATE_TIME: LazyLock<Result<Regex, regex::Error>> = LazyLock::new(|| {
    Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
});

/// Checks `doc` (a whole RayJob, `kind` to `status`) against the CRD schema;
/// returns every finding (all [`Severity::Error`](crate::Severity::Error)),
/// in document order. Empty means the API server accepts it.
pub fn check_schema(doc: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut path = String::new();
    walk(tables::ROOT, doc, &mut path, &mut out);
    out
}

/// The indices of every pattern that does not compile (none; a test says so).
#[doc(hidden)]
pub fn broken_patterns() -> Vec<usize> {
    PATTERNS
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_err())
        .map(|(i, _)| i)
        .collect()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The value as an integer, if it is one (JSON Schema and the API server
/// count `2.0` as the integer 2). `None` if not integral; `i128` covers u64.
fn integer(v: &Value) -> Option<i128> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    let f = n.as_f64()?;
    // Integral and in the range where f64 -> i128 is exact enough to compare.
    if f.fract() == 0.0 && f.abs() < 1e30 {
        #[allow(clippy::cast_possible_truncation)]
        return Some(f as i128);
    }
    None
}

fn node(i: u16) -> Option<&'static Node> {
    tables::NODES.get(usize::from(i))
}

fn walk(ni: u16, v: &Value, path: &mut String, out: &mut Vec<Finding>) {
    let Some(n) = node(ni) else {
        out.push(Finding::error(
            path.clone(),
            TYPE,
            format!("internal: schema node {ni} missing"),
        ));
        return;
    };
    if v.is_null() {
        if !n.nullable {
            out.push(Finding::error(
                path.clone(),
                TYPE,
                format!("expected {}, found null", expected(n.ty)),
            ));
        }
        return;
    }
    match n.ty {
        Ty::Object => {
            let Some(o) = v.as_object() else {
                return type_error(n, v, path, out);
            };
            for r in n.required {
                if !o.contains_key(*r) {
                    let len = path.len();
                    push_key(path, r);
                    out.push(Finding::error(
                        path.clone(),
                        REQUIRED,
                        format!("required field `{r}` is missing"),
                    ));
                    path.truncate(len);
                }
            }
            for (k, x) in o {
                let child = match n.properties.binary_search_by(|(name, _)| (*name).cmp(k)) {
                    Ok(i) => n.properties.get(i).map(|p| p.1),
                    Err(_) => n.additional,
                };
                let len = path.len();
                push_key(path, k);
                match child {
                    Some(c) => walk(c, x, path, out),
                    None if n.closed => out.push(Finding::error(
                        path.clone(),
                        UNKNOWN_FIELD,
                        format!("unknown field `{k}`"),
                    )),
                    None => {}
                }
                path.truncate(len);
            }
        }
        Ty::Array => {
            let Some(a) = v.as_array() else {
                return type_error(n, v, path, out);
            };
            if let Some(min) = n.min_items
                && (a.len() as u64) < min
            {
                out.push(Finding::error(
                    path.clone(),
                    LENGTH,
                    format!("needs at least {min} item(s), has {}", a.len()),
                ));
            }
            if let Some(items) = n.items {
                for (i, x) in a.iter().enumerate() {
                    let len = path.len();
                    push_index(path, i);
                    walk(items, x, path, out);
                    path.truncate(len);
                }
                list_uniqueness(n, items, a, path, out);
            }
        }
        Ty::String => {
            let Some(s) = v.as_str() else {
                return type_error(n, v, path, out);
            };
            string_checks(n, s, path, out);
        }
        Ty::IntOrString => match v {
            Value::String(s) => string_checks(n, s, path, out),
            _ if integer(v).is_some() => {}
            _ => out.push(Finding::error(
                path.clone(),
                TYPE,
                format!("expected an integer or a string, found {}", kind(v)),
            )),
        },
        Ty::Integer => {
            let Some(i) = integer(v) else {
                return type_error(n, v, path, out);
            };
            let range = match n.format {
                Format::Int32 => Some((i128::from(i32::MIN), i128::from(i32::MAX), "an int32")),
                Format::Int64 => Some((i128::from(i64::MIN), i128::from(i64::MAX), "an int64")),
                Format::None | Format::DateTime => None,
            };
            if let Some((lo, hi, what)) = range
                && (i < lo || i > hi)
            {
                out.push(Finding::error(
                    path.clone(),
                    FORMAT,
                    format!("{i} is out of range for {what}"),
                ));
            }
            if let Some(min) = n.minimum
                && i < i128::from(min)
            {
                out.push(Finding::error(
                    path.clone(),
                    MINIMUM,
                    format!("{i} is below the minimum {min}"),
                ));
            }
        }
        Ty::Number => {
            if !v.is_number() {
                type_error(n, v, path, out);
            }
        }
        Ty::Boolean => {
            if !v.is_boolean() {
                type_error(n, v, path, out);
            }
        }
    }
}

fn expected(ty: Ty) -> &'static str {
    match ty {
        Ty::Object => "an object",
        Ty::Array => "an array",
        Ty::String => "a string",
        Ty::Integer => "an integer",
        Ty::Number => "a number",
        Ty::Boolean => "a boolean",
        Ty::IntOrString => "an integer or a string",
    }
}

fn type_error(n: &Node, v: &Value, path: &str, out: &mut Vec<Finding>) {
    out.push(Finding::error(
        path,
        TYPE,
        format!("expected {}, found {}", expected(n.ty), kind(v)),
    ));
}

fn string_checks(n: &Node, s: &str, path: &str, out: &mut Vec<Finding>) {
    if !n.enumeration.is_empty() && !n.enumeration.contains(&s) {
        out.push(Finding::error(
            path,
            ENUM,
            format!("{s:?} is not one of {:?}", n.enumeration),
        ));
    }
    if let Some(p) = n.pattern {
        match PATTERNS.get(usize::from(p)) {
            Some(Ok(re)) => {
                if !re.is_match(s) {
                    out.push(Finding::error(
                        path,
                        PATTERN,
                        format!("{s:?} does not match {:?}", re.as_str()),
                    ));
                }
            }
            _ => out.push(Finding::error(
                path,
                PATTERN,
                format!("internal: schema pattern {p} does not compile"),
            )),
        }
    }
    // JSON Schema and the API server count characters (code points).
    let chars = s.chars().count() as u64;
    if let Some(min) = n.min_length
        && chars < min
    {
        out.push(Finding::error(
            path,
            LENGTH,
            format!("is {chars} character(s) long, the minimum is {min}"),
        ));
    }
    if let Some(max) = n.max_length
        && chars > max
    {
        out.push(Finding::error(
            path,
            LENGTH,
            format!("is {chars} character(s) long, the maximum is {max}"),
        ));
    }
    if n.format == Format::DateTime {
        let shape = matches!(&*DATE_TIME, Ok(re) if re.is_match(s));
        let parses = shape
            && serde_json::from_value::<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>(
                Value::from(s),
            )
            .is_ok();
        if !parses {
            out.push(Finding::error(
                path,
                FORMAT,
                format!("{s:?} is not an RFC 3339 date-time"),
            ));
        }
    }
}

/// Up to how many items a list's keys are compared pair by pair (no text
/// made for any item); longer lists key a hash map by each item's text.
const PAIRWISE_UP_TO: usize = 64;

/// One part of a list item's key: a value of the item, or the JSON text of
/// the default standing for a missing one (`null` where there is none).
#[derive(Clone, Copy)]
enum Part<'a> {
    Value(&'a Value),
    Text(&'static str),
}

impl Part<'_> {
    /// The part as JSON text (what duplicates are told by).
    fn text(self) -> String {
        match self {
            Part::Value(v) => v.to_string(),
            Part::Text(t) => t.to_owned(),
        }
    }

    /// Whether both parts have the same JSON text, without writing it
    /// where it can be helped.
    fn same(self, other: Part<'_>) -> bool {
        match (self, other) {
            (Part::Value(a), Part::Value(b)) => same_text(a, b),
            (Part::Text(a), Part::Text(b)) => a == b,
            (Part::Value(v), Part::Text(t)) | (Part::Text(t), Part::Value(v)) => {
                // The text, not the value: `0.0` and `-0.0` differ.
                let text = v.to_string();
                text == t
            }
        }
    }
}

/// Whether `a` and `b` are written as the same JSON text: `==`, but for
/// floats by their bits (serde_json writes `0.0` and `-0.0` apart, `==`
/// holds them equal; every other float's shortest text is its own).
fn same_text(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.is_f64(), y.is_f64()) {
            (true, true) => x.as_f64().map(f64::to_bits) == y.as_f64().map(f64::to_bits),
            (false, false) => x == y,
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_text(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same_text(va, vb))
        }
        _ => a == b,
    }
}

/// The key of a list item (`None` for an item a list map skips: not an
/// object).
fn item_key<'a>(n: &Node, items: u16, x: &'a Value) -> Option<Vec<Part<'a>>> {
    match n.list {
        List::Atomic => None,
        List::Set => Some(vec![Part::Value(x)]),
        List::Map(keys) => {
            let o = x.as_object()?;
            Some(
                keys.iter()
                    .map(|k| match o.get(*k) {
                        Some(v) => Part::Value(v),
                        // A missing key takes its default; with none, the
                        // `required` check has reported it.
                        None => Part::Text(key_default(items, k).unwrap_or("null")),
                    })
                    .collect(),
            )
        }
    }
}

/// A key as the duplicate finding tells it: the item's JSON text for a set,
/// `name=value, …` for a list map.
fn key_text(n: &Node, key: &[Part<'_>]) -> String {
    match n.list {
        List::Map(keys) => keys
            .iter()
            .zip(key)
            .map(|(k, p)| format!("{k}={}", p.text()))
            .collect::<Vec<_>>()
            .join(", "),
        _ => key.iter().map(|p| p.text()).collect::<Vec<_>>().join(", "),
    }
}

fn list_uniqueness(n: &Node, items: u16, a: &[Value], path: &mut String, out: &mut Vec<Finding>) {
    if matches!(n.list, List::Atomic) {
        return;
    }
    let keys: Vec<Option<Vec<Part<'_>>>> = a.iter().map(|x| item_key(n, items, x)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        let first = if a.len() <= PAIRWISE_UP_TO {
            keys.get(..i).unwrap_or_default().iter().position(|other| {
                other
                    .as_ref()
                    .is_some_and(|o| o.iter().zip(key).all(|(p, q)| p.same(*q)))
            })
        } else {
            let text = key_text(n, key);
            match seen.get(&text) {
                Some(&first) => Some(first),
                None => {
                    seen.insert(text, i);
                    None
                }
            }
        };
        if let Some(first) = first {
            let len = path.len();
            push_index(path, i);
            out.push(Finding::error(
                path.clone(),
                DUPLICATE,
                format!(
                    "duplicate entry ({}); the same as [{first}]",
                    key_text(n, key)
                ),
            ));
            path.truncate(len);
        }
    }
}

fn key_default(items: u16, key: &str) -> Option<&'static str> {
    let n = node(items)?;
    let i = n
        .properties
        .binary_search_by(|(name, _)| (*name).cmp(key))
        .ok()?;
    node(n.properties.get(i)?.1)?.default
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// `same_text` is equality of serde_json's text, which the duplicate
    /// check was (and for long lists still is) keyed by: so the pairwise
    /// comparison finds exactly the duplicates the text finds.
    #[test]
    fn same_text_is_equal_text() {
        let values = [
            json!(0.0),
            json!(-0.0),
            json!(0),
            json!(1),
            json!(1.0),
            json!(-1),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!("1"),
            json!(""),
            json!(null),
            json!(true),
            json!([]),
            json!({}),
            json!([0.0]),
            json!([-0.0]),
            json!({"a": 1}),
            json!({"a": 1.0}),
            json!({"a": 1, "b": 2}),
            json!({"b": 2, "a": 1}),
            json!({"a": [1, {"c": -0.0}]}),
            json!({"a": [1, {"c": 0.0}]}),
            json!(["x", "y"]),
            json!(["y", "x"]),
        ];
        for a in &values {
            for b in &values {
                let (ta, tb) = (a.to_string(), b.to_string());
                assert_eq!(same_text(a, b), ta == tb, "{a} {b}");
            }
        }
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (-3i64..3).prop_map(Value::from),
            prop::sample::select(vec![0.0, -0.0, 1.0, 0.5, -2.5]).prop_map(Value::from),
            prop::sample::select(vec!["", "a", "1"]).prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::btree_map(prop::sample::select(vec!["a", "b"]), inner, 0..3)
                    .prop_map(|m| Value::Object(
                        m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                    )),
            ]
        })
    }

    proptest! {
        #[test]
        fn same_text_is_equal_text_on_random_values(a in json_value(), b in json_value()) {
            let (ta, tb) = (a.to_string(), b.to_string());
            prop_assert_eq!(same_text(&a, &b), ta == tb);
            prop_assert!(same_text(&a, &a));
        }
    }
}
