//! `google.protobuf.Struct` ⇄ `serde_json::Value`, both directions, as protobuf's
//! JSON mapping (flytekit's `MessageToDict` / `json_format.Parse`) does it.
//!
//! * Every JSON number becomes a double: `9007199254740993` (2^53+1) comes back
//!   as `9007199254740992.0`, exactly as in flytekit; `-0.0` keeps its sign.
//!   (One known difference: serde_json reads the *integer* literal `-0` as
//!   -0.0, where Python's `json` reads it as 0.)
//! * A NaN or infinite double cannot be written as JSON: [`K8sError::NonFiniteNumber`]
//!   names its path and repeats protobuf's message.
//! * A `Value` with no kind set (possible on the wire) is written as `null`, as
//!   protobuf 7's Python `MessageToDict` does (it does not raise).
//! * Nesting deeper than [`MAX_DEPTH`] is refused with [`K8sError::TooDeep`]
//!   rather than overflowing the stack.

use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value};
use serde_json::{Map, Number};

use crate::K8sError;
use crate::path::{Path, Seg};

/// The deepest nesting of objects and lists this crate walks (the top-level
/// object is depth 0). serde_json's own parser stops at 128 too.
///
/// ```
/// use flyte_ray_k8s::{K8sError, MAX_DEPTH, json_to_struct};
///
/// let mut v = serde_json::json!(1);
/// for _ in 0..=MAX_DEPTH {
///     v = serde_json::json!([v]);
/// }
/// let err = json_to_struct(&serde_json::json!({"a": v})).unwrap_err();
/// assert!(matches!(err, K8sError::TooDeep { limit: MAX_DEPTH, .. }));
/// ```
pub const MAX_DEPTH: usize = 128;

/// Converts a `Struct` to a JSON object (what `MessageToDict` returns).
///
/// Numbers become JSON doubles (`1` is written `1.0`).
///
/// # Errors
/// [`K8sError::NonFiniteNumber`] for a NaN or infinite number,
/// [`K8sError::TooDeep`] past [`MAX_DEPTH`].
///
/// ```
/// use flyte_ray_k8s::{json_to_struct, struct_to_json};
/// use serde_json::json;
///
/// let s = json_to_struct(&json!({"containers": [{"name": "primary", "port": 8080}]})).unwrap();
/// let back = struct_to_json(&s).unwrap();
/// assert_eq!(serde_json::Value::Object(back), json!({"containers": [{"name": "primary", "port": 8080.0}]}));
/// ```
pub fn struct_to_json(s: &Struct) -> Result<Map<String, serde_json::Value>, K8sError> {
    struct_to_json_impl(s, &Path::ROOT, false)
}

/// Converts a `Value` to JSON; see [`struct_to_json`].
///
/// A `Value` with no kind set becomes `null`.
///
/// # Errors
/// As [`struct_to_json`]; the path of a NaN at the top level is empty.
///
/// ```
/// use flyte_ray_k8s::value_to_json;
/// use prost_types::{Value, value::Kind};
///
/// assert_eq!(value_to_json(&Value { kind: None }).unwrap(), serde_json::Value::Null);
/// let nan = Value { kind: Some(Kind::NumberValue(f64::NAN)) };
/// assert!(value_to_json(&nan).unwrap_err().to_string().starts_with("Fail to serialize NaN"));
/// ```
pub fn value_to_json(v: &Value) -> Result<serde_json::Value, K8sError> {
    value_to_json_at(v, &Path::ROOT, false)
}

/// Converts a JSON object to a `Struct` (protobuf's `json_format.Parse`).
///
/// # Errors
/// [`K8sError::NotAnObject`] when `v` is not an object,
/// [`K8sError::TooDeep`] past [`MAX_DEPTH`].
///
/// ```
/// use flyte_ray_k8s::json_to_struct;
/// use prost_types::value::Kind;
///
/// let s = json_to_struct(&serde_json::json!({"n": 9007199254740993_u64})).unwrap();
/// // every JSON number is a double: 2^53+1 becomes 2^53
/// assert_eq!(s.fields["n"].kind, Some(Kind::NumberValue(9007199254740992.0)));
/// assert!(json_to_struct(&serde_json::json!("x")).is_err());
/// ```
pub fn json_to_struct(v: &serde_json::Value) -> Result<Struct, K8sError> {
    match v {
        serde_json::Value::Object(m) => object_to_struct(m, &Path::ROOT),
        other => Err(K8sError::NotAnObject {
            path: String::new(),
            found: json_kind(other),
        }),
    }
}

/// [`json_to_struct`] taking the value: its strings and keys move into the
/// `Struct` instead of being copied (a pod spec built as JSON and then
/// converted, as the task layer does, is a tree of small strings).
///
/// # Errors
/// As [`json_to_struct`].
///
/// ```
/// use flyte_ray_k8s::{json_into_struct, json_to_struct};
///
/// let v = serde_json::json!({"containers": [{"name": "primary", "args": ["a", 1, null]}]});
/// assert_eq!(json_into_struct(v.clone()).unwrap(), json_to_struct(&v).unwrap());
/// ```
pub fn json_into_struct(v: serde_json::Value) -> Result<Struct, K8sError> {
    match v {
        serde_json::Value::Object(m) => object_into_struct(m, &Path::ROOT),
        other => Err(K8sError::NotAnObject {
            path: String::new(),
            found: json_kind(&other),
        }),
    }
}

/// Converts any JSON value to a `Value`. Infallible: a JSON number becomes a
/// double (rounded to the nearest; 2^53+1 becomes 2^53).
///
/// It recurses once per nesting level; a `serde_json::Value` parsed by
/// serde_json is at most 128 levels deep. For untrusted values built some
/// other way, prefer [`json_to_struct`], which enforces [`MAX_DEPTH`].
///
/// ```
/// use flyte_ray_k8s::json_to_value;
/// use prost_types::value::Kind;
///
/// assert_eq!(json_to_value(&serde_json::json!(-0.0)).kind, Some(Kind::NumberValue(-0.0)));
/// assert_eq!(json_to_value(&serde_json::json!(null)).kind, Some(Kind::NullValue(0)));
/// ```
pub fn json_to_value(v: &serde_json::Value) -> Value {
    let kind = match v {
        serde_json::Value::Null => Kind::NullValue(0),
        serde_json::Value::Bool(b) => Kind::BoolValue(*b),
        serde_json::Value::Number(n) => Kind::NumberValue(number_to_f64(n)),
        serde_json::Value::String(s) => Kind::StringValue(s.clone()),
        serde_json::Value::Array(a) => Kind::ListValue(ListValue {
            values: a.iter().map(json_to_value).collect(),
        }),
        serde_json::Value::Object(m) => Kind::StructValue(Struct {
            fields: m
                .iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect(),
        }),
    };
    Value { kind: Some(kind) }
}

/// A JSON number as a double, as protobuf's JSON parser reads it.
pub(crate) fn number_to_f64(n: &Number) -> f64 {
    // Without serde_json's arbitrary_precision every Number is one of these.
    n.as_f64().unwrap_or(f64::NAN)
}

/// "an object", "an array", ... for error messages.
pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// [`K8sError::TooDeep`] when `path` is deeper than [`MAX_DEPTH`].
fn check_depth(path: &Path<'_>) -> Result<(), K8sError> {
    if path.depth() > MAX_DEPTH {
        return Err(K8sError::TooDeep {
            path: path.to_string(),
            limit: MAX_DEPTH,
        });
    }
    Ok(())
}

fn object_to_struct(
    m: &Map<String, serde_json::Value>,
    path: &Path<'_>,
) -> Result<Struct, K8sError> {
    check_depth(path)?;
    // The map iterates in key order, so the tree is built in one pass.
    let fields = m
        .iter()
        .map(|(k, v)| Ok((k.clone(), json_to_value_at(v, &path.child(Seg::Key(k)))?)))
        .collect::<Result<_, K8sError>>()?;
    Ok(Struct { fields })
}

/// [`object_to_struct`] taking the map (see [`json_into_struct`]).
fn object_into_struct(
    m: Map<String, serde_json::Value>,
    path: &Path<'_>,
) -> Result<Struct, K8sError> {
    check_depth(path)?;
    let fields = m
        .into_iter()
        .map(|(k, v)| {
            let value = json_into_value_at(v, &path.child(Seg::Key(&k)))?;
            Ok((k, value))
        })
        .collect::<Result<_, K8sError>>()?;
    Ok(Struct { fields })
}

/// [`json_to_value_at`] taking the value (see [`json_into_struct`]).
fn json_into_value_at(v: serde_json::Value, path: &Path<'_>) -> Result<Value, K8sError> {
    let kind = match v {
        serde_json::Value::Array(a) => {
            check_depth(path)?;
            let values = a
                .into_iter()
                .enumerate()
                .map(|(i, x)| json_into_value_at(x, &path.child(Seg::Index(i))))
                .collect::<Result<_, K8sError>>()?;
            Kind::ListValue(ListValue { values })
        }
        serde_json::Value::Object(m) => Kind::StructValue(object_into_struct(m, path)?),
        serde_json::Value::String(s) => Kind::StringValue(s),
        scalar => return Ok(json_to_value(&scalar)),
    };
    Ok(Value { kind: Some(kind) })
}

fn json_to_value_at(v: &serde_json::Value, path: &Path<'_>) -> Result<Value, K8sError> {
    let kind = match v {
        serde_json::Value::Array(a) => {
            check_depth(path)?;
            let mut values = Vec::with_capacity(a.len());
            for (i, x) in a.iter().enumerate() {
                values.push(json_to_value_at(x, &path.child(Seg::Index(i)))?);
            }
            Kind::ListValue(ListValue { values })
        }
        serde_json::Value::Object(m) => Kind::StructValue(object_to_struct(m, path)?),
        scalar => return Ok(json_to_value(scalar)),
    };
    Ok(Value { kind: Some(kind) })
}

fn struct_to_json_impl(
    s: &Struct,
    path: &Path<'_>,
    integral: bool,
) -> Result<Map<String, serde_json::Value>, K8sError> {
    check_depth(path)?;
    let mut out = Map::new();
    for (k, v) in &s.fields {
        let p = path.child(Seg::Key(k));
        out.insert(k.clone(), value_to_json_at(v, &p, integral)?);
    }
    Ok(out)
}

/// Like [`struct_to_json`], but an integral double in the i64 range becomes a
/// JSON integer (`-0.0` becomes `0`), so typed deserializers expecting
/// `i32`/`i64` accept it.
#[cfg_attr(not(feature = "k8s-openapi"), allow(dead_code))]
pub(crate) fn struct_to_json_integral(
    s: &Struct,
) -> Result<Map<String, serde_json::Value>, K8sError> {
    struct_to_json_impl(s, &Path::ROOT, true)
}

/// The JSON number for a finite double; an integral one as an integer when `integral`.
pub(crate) fn f64_to_number(x: f64, integral: bool) -> Option<Number> {
    // 2^63 as a double: the first value out of the i64 range.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    if integral && x.fract() == 0.0 && (-I64_END..I64_END).contains(&x) {
        #[allow(clippy::cast_possible_truncation)] // integral and in range: exact
        return Some(Number::from(x as i64));
    }
    Number::from_f64(x)
}

fn value_to_json_at(
    v: &Value,
    path: &Path<'_>,
    integral: bool,
) -> Result<serde_json::Value, K8sError> {
    Ok(match &v.kind {
        None | Some(Kind::NullValue(_)) => serde_json::Value::Null,
        Some(Kind::BoolValue(b)) => serde_json::Value::Bool(*b),
        Some(Kind::StringValue(s)) => serde_json::Value::String(s.clone()),
        Some(Kind::NumberValue(x)) => match f64_to_number(*x, integral) {
            Some(n) => serde_json::Value::Number(n),
            None => {
                return Err(K8sError::NonFiniteNumber {
                    path: path.to_string(),
                    value: *x,
                });
            }
        },
        Some(Kind::StructValue(s)) => {
            serde_json::Value::Object(struct_to_json_impl(s, path, integral)?)
        }
        Some(Kind::ListValue(l)) => {
            check_depth(path)?;
            let mut out = Vec::with_capacity(l.values.len());
            for (i, x) in l.values.iter().enumerate() {
                out.push(value_to_json_at(x, &path.child(Seg::Index(i)), integral)?);
            }
            serde_json::Value::Array(out)
        }
    })
}
