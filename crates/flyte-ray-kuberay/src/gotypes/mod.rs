//! The Kubernetes pod spec as Go sees it: decoding JSON the way Go's
//! `encoding/json` decodes into `k8s.io/api/core/v1.PodSpec`, writing it back
//! the way `encoding/json` marshals it, and `mergo.Merge(dst, src,
//! WithOverride, WithAppendSlice)` (mergo v0.3.13) between two such values.
//!
//! Written by hand because no crate models Go's view of these types:
//! `k8s-openapi` makes every field an `Option`, so it cannot tell a Go
//! pointer (`*bool`, set to `false` by an overlay) from a Go value field
//! (`bool`, where `false` is "unset" to mergo), nor which fields Go always
//! writes (`"resources": {}`, `"containers": null`). Those facts live in the
//! table of [`table`], one entry per Go struct field.
//!
//! A pod spec here is a [`serde_json::Value`] in *Go form*: exactly the JSON
//! Go's `encoding/json` would write for the decoded Go value (fields that
//! `omitempty` drops are absent, fields Go always writes are present,
//! quantities are canonical strings). Every function of this module takes
//! and returns Go form.

mod table;

use serde_json::{Map, Value};

use crate::quantity::canonical_quantity;

/// The Go kind of a struct field (its element kind, for a slice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `string` (or a string enum type).
    Str,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `bool`.
    Bool,
    /// `resource.Quantity`.
    Quantity,
    /// `intstr.IntOrString`.
    IntOrString,
    /// `map[string]string`.
    Map,
    /// `map[ResourceName]resource.Quantity`.
    QuantityMap,
    /// A struct of the table, by index.
    Struct(usize),
}

/// One Go struct field.
#[derive(Debug)]
pub(crate) struct Field {
    /// The JSON name.
    pub(crate) name: &'static str,
    /// The kind (of the elements, for a slice).
    pub(crate) kind: Kind,
    /// A Go pointer (`*T`): present even when zero; `nil` means absent.
    pub(crate) ptr: bool,
    /// A Go slice (`[]T`).
    pub(crate) slice: bool,
    /// Written even when zero (no `omitempty`, or a struct value, for which
    /// `omitempty` has no effect).
    pub(crate) always: bool,
}

impl Field {
    const fn new(name: &'static str, kind: Kind, ptr: bool, slice: bool, always: bool) -> Self {
        Field {
            name,
            kind,
            ptr,
            slice,
            always,
        }
    }

    /// A struct (or quantity / int-or-string, which are Go structs) held by
    /// value: Go writes it whatever its content.
    fn value_struct(&self) -> bool {
        !self.ptr
            && !self.slice
            && matches!(
                self.kind,
                Kind::Struct(_) | Kind::Quantity | Kind::IntOrString
            )
    }
}

/// One Go struct.
#[derive(Debug)]
pub(crate) struct StructDesc {
    /// A name for messages (the Go type name).
    pub(crate) name: &'static str,
    /// Its fields, in the order the table lists them.
    pub(crate) fields: &'static [Field],
}

/// `PodSpec`.
pub(crate) const POD_SPEC: usize = 0;

/// The struct at `index`.
pub(crate) fn desc(index: usize) -> &'static StructDesc {
    &table::STRUCTS[index]
}

/// The index of the struct named `name` (tests and the `Container` lookups).
pub(crate) fn struct_index(name: &str) -> Option<usize> {
    table::STRUCTS.iter().position(|s| s.name == name)
}

/// Why JSON does not decode into a Go `PodSpec` (Go's `encoding/json` refuses
/// the same inputs; its wording differs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DecodeError {
    /// Where, as a JSON path below the pod spec (`containers[0].ports[1].containerPort`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn err(path: &str, message: impl Into<String>) -> DecodeError {
    DecodeError {
        path: if path.is_empty() {
            "(pod spec)".to_owned()
        } else {
            path.to_owned()
        },
        message: message.into(),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes `v` as Go decodes it into a `PodSpec` and returns the Go form.
///
/// As Go's `encoding/json`: keys match case-insensitively (an exact match
/// first), unknown keys are ignored, `null` leaves a field unset, numbers
/// into integer fields must be integers in range, quantities and
/// int-or-string fields accept numbers or strings.
pub(crate) fn decode_pod_spec(v: &Value) -> Result<Value, DecodeError> {
    decode_struct(POD_SPEC, v, "")
}

/// Decodes `v` as the struct `index` (config values: tolerations, affinity, …).
pub(crate) fn decode_struct_at(index: usize, v: &Value) -> Result<Value, DecodeError> {
    decode_struct(index, v, "")
}

/// Keys of a pod spec JSON that Go matches only case-insensitively (quirk
/// 14.17), as `(path, key)` pairs.
pub(crate) fn case_insensitive_keys(v: &Value, out: &mut Vec<(String, String)>) {
    walk_keys(POD_SPEC, v, "", out);
}

fn walk_keys(index: usize, v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    let Value::Object(obj) = v else { return };
    let d = desc(index);
    for (key, value) in obj {
        let field = d.fields.iter().find(|f| f.name == key).or_else(|| {
            let f = d.fields.iter().find(|f| f.name.eq_ignore_ascii_case(key));
            if f.is_some() {
                out.push((format!("{path}.{key}"), key.clone()));
            }
            f
        });
        let Some(f) = field else { continue };
        let Kind::Struct(i) = f.kind else { continue };
        if f.slice {
            for (n, item) in value.as_array().into_iter().flatten().enumerate() {
                walk_keys(i, item, &format!("{path}.{}[{n}]", f.name), out);
            }
        } else {
            walk_keys(i, value, &format!("{path}.{}", f.name), out);
        }
    }
}

pub(crate) fn container_index() -> usize {
    struct_index("Container").unwrap_or(POD_SPEC)
}

fn decode_struct(index: usize, v: &Value, path: &str) -> Result<Value, DecodeError> {
    let obj = match v {
        Value::Object(o) => o,
        Value::Null => &Map::new(),
        other => {
            return Err(err(
                path,
                format!(
                    "expected an object ({}), found {}",
                    desc(index).name,
                    type_name(other)
                ),
            ));
        }
    };
    let d = desc(index);
    // Go's encoding/json: for each key of the input, the field with exactly
    // that name, else the first whose name matches case-insensitively; a
    // later key for the same field decodes over the earlier one.
    let mut values: Vec<Option<&Value>> = vec![None; d.fields.len()];
    for (key, value) in obj {
        let pos = d.fields.iter().position(|f| f.name == key).or_else(|| {
            d.fields
                .iter()
                .position(|f| f.name.eq_ignore_ascii_case(key))
        });
        if let Some(i) = pos {
            values[i] = Some(value);
        }
    }
    let mut out = Map::new();
    for (f, value) in d.fields.iter().zip(values) {
        let fpath = join(path, f.name);
        let decoded = match value {
            None | Some(Value::Null) => None,
            Some(v) => decode_field(f, v, &fpath)?,
        };
        if let Some(v) = decoded {
            out.insert(f.name.to_owned(), v);
        } else if let Some(v) = absent_value(f) {
            out.insert(f.name.to_owned(), v);
        }
    }
    Ok(Value::Object(out))
}

/// What Go writes for a field whose value is the zero value / nil.
fn absent_value(f: &Field) -> Option<Value> {
    if f.value_struct() {
        return Some(zero_struct_value(f.kind));
    }
    if !f.always {
        return None;
    }
    if f.ptr || f.slice {
        return Some(Value::Null);
    }
    Some(match f.kind {
        Kind::Str => Value::String(String::new()),
        Kind::Int32 | Kind::Int64 => Value::from(0),
        Kind::Bool => Value::Bool(false),
        Kind::Map | Kind::QuantityMap => Value::Null,
        Kind::Quantity | Kind::IntOrString | Kind::Struct(_) => zero_struct_value(f.kind),
    })
}

fn zero_struct_value(kind: Kind) -> Value {
    match kind {
        Kind::Quantity => Value::String("0".to_owned()),
        Kind::IntOrString => Value::from(0),
        Kind::Struct(i) => match decode_struct(i, &Value::Null, "") {
            Ok(v) => v,
            Err(_) => Value::Object(Map::new()),
        },
        _ => Value::Null,
    }
}

/// Decodes one present, non-null field value; `None` when Go would not
/// write it (a zero value under `omitempty`, an empty slice or map).
fn decode_field(f: &Field, v: &Value, path: &str) -> Result<Option<Value>, DecodeError> {
    if f.slice {
        let Value::Array(items) = v else {
            return Err(err(
                path,
                format!("expected an array, found {}", type_name(v)),
            ));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let ipath = format!("{path}[{i}]");
            let decoded = match item {
                Value::Null => zero_element(f.kind),
                v => decode_scalar_or_struct(f.kind, v, &ipath)?,
            };
            out.push(decoded);
        }
        if out.is_empty() && !f.always {
            return Ok(None);
        }
        return Ok(Some(Value::Array(out)));
    }
    let decoded = decode_scalar_or_struct(f.kind, v, path)?;
    if !f.ptr && !f.always && is_zero(&decoded) && !f.value_struct() {
        return Ok(None);
    }
    if matches!(f.kind, Kind::Map | Kind::QuantityMap)
        && decoded.as_object().is_some_and(Map::is_empty)
    {
        return Ok(None);
    }
    Ok(Some(decoded))
}

fn zero_element(kind: Kind) -> Value {
    match kind {
        Kind::Str => Value::String(String::new()),
        Kind::Int32 | Kind::Int64 => Value::from(0),
        Kind::Bool => Value::Bool(false),
        Kind::Map | Kind::QuantityMap => Value::Null,
        Kind::Quantity | Kind::IntOrString | Kind::Struct(_) => zero_struct_value(kind),
    }
}

/// A Go zero value (for scalars: `""`, `0`, `false`).
pub(crate) fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

fn decode_int(v: &Value, path: &str, min: i64, max: i64, ty: &str) -> Result<Value, DecodeError> {
    let Value::Number(n) = v else {
        return Err(err(
            path,
            format!("expected an {ty}, found {}", type_name(v)),
        ));
    };
    match n.as_i64() {
        Some(i) if (min..=max).contains(&i) => Ok(Value::from(i)),
        _ => Err(err(path, format!("expected an {ty}, found {n}"))),
    }
}

fn decode_scalar_or_struct(kind: Kind, v: &Value, path: &str) -> Result<Value, DecodeError> {
    match kind {
        Kind::Str => match v {
            Value::String(_) => Ok(v.clone()),
            other => Err(err(
                path,
                format!("expected a string, found {}", type_name(other)),
            )),
        },
        Kind::Bool => match v {
            Value::Bool(_) => Ok(v.clone()),
            other => Err(err(
                path,
                format!("expected a boolean, found {}", type_name(other)),
            )),
        },
        Kind::Int32 => decode_int(v, path, i64::from(i32::MIN), i64::from(i32::MAX), "int32"),
        Kind::Int64 => decode_int(v, path, i64::MIN, i64::MAX, "int64"),
        Kind::Quantity => decode_quantity(v, path),
        Kind::IntOrString => match v {
            Value::String(_) => Ok(v.clone()),
            Value::Number(_) => decode_int(
                v,
                path,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
                "int32 or a string",
            ),
            other => Err(err(
                path,
                format!("expected an int32 or a string, found {}", type_name(other)),
            )),
        },
        Kind::Map | Kind::QuantityMap => {
            let Value::Object(o) = v else {
                return Err(err(
                    path,
                    format!("expected an object, found {}", type_name(v)),
                ));
            };
            let mut out = Map::new();
            for (k, item) in o {
                let kpath = format!("{path}[{k:?}]");
                let decoded = if kind == Kind::Map {
                    match item {
                        Value::Null => Value::String(String::new()),
                        Value::String(_) => item.clone(),
                        other => {
                            return Err(err(
                                &kpath,
                                format!("expected a string, found {}", type_name(other)),
                            ));
                        }
                    }
                } else {
                    match item {
                        Value::Null => Value::String("0".to_owned()),
                        other => decode_quantity(other, &kpath)?,
                    }
                };
                out.insert(k.clone(), decoded);
            }
            Ok(Value::Object(out))
        }
        Kind::Struct(i) => decode_struct(i, v, path),
    }
}

fn decode_quantity(v: &Value, path: &str) -> Result<Value, DecodeError> {
    let text = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(err(
                path,
                format!("expected a quantity, found {}", type_name(other)),
            ));
        }
    };
    canonical_quantity(&text)
        .map(Value::String)
        .map_err(|e| err(path, e.to_string()))
}

/// `mergo.Merge(dst, src, WithOverride, WithAppendSlice)` for two Go-form
/// values of the struct `index`, the rules of RENDERING.md §7:
/// a zero scalar never overrides; a pointer is set when `dst` has none and
/// otherwise merged into; maps merge per key (the `src` value wins, even
/// when zero); slices are appended; int-or-string merges field by field.
pub(crate) fn merge_struct(index: usize, dst: &mut Value, src: &Value) {
    let Value::Object(src) = src else {
        return;
    };
    if !dst.is_object() {
        *dst = Value::Object(Map::new());
    }
    let Value::Object(dmap) = dst else {
        return;
    };
    for f in desc(index).fields {
        let Some(s) = src.get(f.name) else {
            continue;
        };
        if s.is_null() {
            continue;
        }
        let d = dmap.get(f.name).filter(|d| !d.is_null());
        if f.slice {
            let Value::Array(items) = s else {
                continue;
            };
            match dmap.get_mut(f.name) {
                Some(Value::Array(existing)) => existing.extend(items.iter().cloned()),
                _ if !items.is_empty() => {
                    dmap.insert(f.name.to_owned(), s.clone());
                }
                // nil ++ [] stays nil.
                _ => {}
            }
            continue;
        }
        match f.kind {
            Kind::Map | Kind::QuantityMap => {
                let Value::Object(entries) = s else {
                    continue;
                };
                let target = dmap
                    .entry(f.name.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !target.is_object() {
                    *target = Value::Object(Map::new());
                }
                if let Value::Object(t) = target {
                    for (k, v) in entries {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
            Kind::IntOrString => {
                let merged = merge_int_or_string(d, s);
                dmap.insert(f.name.to_owned(), merged);
            }
            // A quantity is a struct whose only exported field is `Format`:
            // mergo keeps dst's value. In a PodSpec no quantity is a direct
            // field reached by a merge (they sit in maps or in appended list
            // entries), so keeping dst is exact here.
            Kind::Quantity => {
                if d.is_none() {
                    dmap.insert(f.name.to_owned(), s.clone());
                }
            }
            Kind::Struct(i) => match dmap.get_mut(f.name) {
                Some(existing) if !existing.is_null() => merge_struct(i, existing, s),
                _ => {
                    dmap.insert(f.name.to_owned(), s.clone());
                }
            },
            Kind::Str | Kind::Int32 | Kind::Int64 | Kind::Bool => {
                if (f.ptr && d.is_none()) || !is_zero(s) {
                    dmap.insert(f.name.to_owned(), s.clone());
                }
            }
        }
    }
}

/// `intstr.IntOrString` is `{Type, IntVal, StrVal}`, merged field by field.
fn merge_int_or_string(dst: Option<&Value>, src: &Value) -> Value {
    fn parts(v: Option<&Value>) -> (i64, i64, String) {
        match v {
            Some(Value::String(s)) => (1, 0, s.clone()),
            Some(Value::Number(n)) => (0, n.as_i64().unwrap_or(0), String::new()),
            _ => (0, 0, String::new()),
        }
    }
    let (mut ty, mut int, mut text) = parts(dst);
    let (sty, sint, stext) = parts(Some(src));
    if sty != 0 {
        ty = sty;
    }
    if sint != 0 {
        int = sint;
    }
    if !stext.is_empty() {
        text = stext;
    }
    if ty == 1 {
        Value::String(text)
    } else {
        Value::from(int)
    }
}

/// Flyte's `MergeOverlayPodSpecOntoBase(base, overlay)` (RENDERING.md §7):
/// the whole overlay merged onto the base, then `containers` and
/// `initContainers` rebuilt from the base's, each merged with every overlay
/// container of the same name, in overlay order. Overlay containers without
/// a same-named base container are dropped; their names are returned (for
/// the warning), init containers prefixed with `initContainers/`.
pub(crate) fn merge_overlay(base: Value, overlay: &Value) -> (Value, Vec<String>) {
    // The base's container lists are taken out before the merge: whatever
    // the merge writes there is replaced below by the lists rebuilt from
    // them (so nothing of the base is cloned).
    let mut merged = base;
    let mut base_lists = [None, None];
    if let Value::Object(m) = &mut merged {
        base_lists = [m.remove("containers"), m.remove("initContainers")];
    }
    merge_struct(POD_SPEC, &mut merged, overlay);
    let mut dropped = Vec::new();
    let container = container_index();
    let fields = [("containers", ""), ("initContainers", "initContainers/")];
    for ((field, prefix), base_list) in fields.into_iter().zip(base_lists) {
        let base_list = match base_list {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        let overlay_list = overlay.get(field).and_then(Value::as_array);
        for oc in overlay_list.into_iter().flatten() {
            let matched = base_list.iter().any(|bc| bc.get("name") == oc.get("name"));
            if !matched {
                let name = oc.get("name").and_then(Value::as_str).unwrap_or_default();
                dropped.push(format!("{prefix}{name}"));
            }
        }
        let mut rebuilt = Vec::with_capacity(base_list.len());
        for mut c in base_list {
            // Matched by the base container's own name (a merge keeps it:
            // only an overlay of the same name merges in).
            let name = c.get("name").cloned();
            for oc in overlay_list.into_iter().flatten() {
                if oc.get("name") == name.as_ref() {
                    merge_struct(container, &mut c, oc);
                }
            }
            rebuilt.push(c);
        }
        if let Value::Object(m) = &mut merged {
            if rebuilt.is_empty() {
                if field == "containers" {
                    m.insert(field.to_owned(), Value::Null);
                } else {
                    m.remove(field);
                }
            } else {
                m.insert(field.to_owned(), Value::Array(rebuilt));
            }
        }
    }
    (merged, dropped)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_struct_reference_is_in_range() {
        for s in table::STRUCTS {
            for f in s.fields {
                if let Kind::Struct(i) = f.kind {
                    assert!(i < table::STRUCTS.len(), "{}.{}", s.name, f.name);
                }
            }
        }
        assert_eq!(desc(POD_SPEC).name, "PodSpec");
        assert_eq!(desc(container_index()).name, "Container");
    }

    #[test]
    fn go_form_of_an_empty_container() {
        // name has no omitempty; resources is a struct value.
        let c = decode_struct_at(container_index(), &serde_json::json!({})).unwrap();
        assert_eq!(c, serde_json::json!({"name": "", "resources": {}}));
    }

    /// The table's field tree against the pod template schema of the KubeRay
    /// v1.5.1 CRD (read from `../shared`, never copied): the same fields per
    /// struct, the same kinds, and every field the CRD requires is one Go
    /// always writes.
    #[test]
    fn descriptor_matches_crd() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/kuberay/v1.5.1/crd/rayjob.v1.schema.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        let pod = schema
            .pointer("/properties/spec/properties/rayClusterSpec/properties/headGroupSpec/properties/template/properties/spec")
            .unwrap();
        let mut checked = 0;
        check_struct(POD_SPEC, pod, "PodSpec", &mut checked);
        assert!(checked > 500, "{checked}");
    }

    fn check_struct(index: usize, schema: &Value, path: &str, checked: &mut usize) {
        let d = desc(index);
        let props = schema["properties"].as_object().unwrap();
        let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut ours: Vec<&str> = d.fields.iter().map(|f| f.name).collect();
        ours.sort_unstable();
        assert_eq!(ours, names, "{path} ({})", d.name);
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for f in d.fields {
            *checked += 1;
            let fpath = format!("{path}.{}", f.name);
            let mut s = &props[f.name];
            if required.contains(&f.name) {
                assert!(
                    f.always,
                    "{fpath} is required by the CRD but omitempty here"
                );
            }
            if f.slice {
                assert_eq!(s["type"], "array", "{fpath}");
                s = &s["items"];
            }
            match f.kind {
                Kind::Str => assert_eq!(s["type"], "string", "{fpath}"),
                Kind::Int32 | Kind::Int64 => assert_eq!(s["type"], "integer", "{fpath}"),
                Kind::Bool => assert_eq!(s["type"], "boolean", "{fpath}"),
                Kind::Quantity => {
                    assert_eq!(s["x-kubernetes-int-or-string"], true, "{fpath}");
                    assert!(s.get("pattern").is_some(), "{fpath}");
                }
                Kind::IntOrString => {
                    assert_eq!(s["x-kubernetes-int-or-string"], true, "{fpath}");
                    assert!(s.get("pattern").is_none(), "{fpath}");
                }
                Kind::Map => assert_eq!(s["additionalProperties"]["type"], "string", "{fpath}"),
                Kind::QuantityMap => assert_eq!(
                    s["additionalProperties"]["x-kubernetes-int-or-string"], true,
                    "{fpath}"
                ),
                Kind::Struct(i) => check_struct(i, s, &fpath, checked),
            }
        }
    }
}
