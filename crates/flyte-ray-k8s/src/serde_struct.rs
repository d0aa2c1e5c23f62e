//! Streaming serde for `Struct` and `Value`: write and read them as plain JSON
//! (or YAML, or any serde format) without an intermediate `serde_json::Value`.
//!
//! This is what the models use inside their own `Serialize`/`Deserialize`
//! impls (`#[serde(serialize_with, deserialize_with)]`), so a `K8sPod.podSpec`
//! costs one pass.

use std::collections::BTreeMap;
use std::fmt;

use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq};

use crate::error::non_finite_name;
use crate::json::MAX_DEPTH;
use crate::path::{Path, Seg};

/// Serializes a `Struct` as a plain JSON object (protobuf's JSON mapping).
///
/// Numbers are written as doubles; a `Value` with no kind as `null`. A NaN or
/// infinite number makes serialization fail with a message holding its path
/// and protobuf's words: `a.b[1]: Fail to serialize NaN for
/// Value.number_value, which would parse as string_value`. Nesting deeper than
/// [`MAX_DEPTH`] fails too.
///
/// ```
/// use flyte_ray_k8s::{SerializeStruct, json_to_struct};
///
/// let s = json_to_struct(&serde_json::json!({"b": [1, "x"], "a": null})).unwrap();
/// assert_eq!(serde_json::to_string(&SerializeStruct(&s)).unwrap(), r#"{"a":null,"b":[1.0,"x"]}"#);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SerializeStruct<'a>(pub &'a Struct);

/// Serializes a `Value` as plain JSON; see [`SerializeStruct`].
///
/// ```
/// use flyte_ray_k8s::SerializeValue;
/// use prost_types::{Value, value::Kind};
///
/// let v = Value { kind: Some(Kind::NumberValue(f64::INFINITY)) };
/// let err = serde_json::to_string(&SerializeValue(&v)).unwrap_err();
/// assert!(err.to_string().contains("Fail to serialize Infinity for Value.number_value"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SerializeValue<'a>(pub &'a Value);

impl ser::Serialize for SerializeStruct<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StructAt(self.0, &Path::ROOT).serialize(serializer)
    }
}

impl ser::Serialize for SerializeValue<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ValueAt(self.0, &Path::ROOT).serialize(serializer)
    }
}

struct StructAt<'a, 'p>(&'a Struct, &'p Path<'p>);
struct ValueAt<'a, 'p>(&'a Value, &'p Path<'p>);

fn prefixed(path: &Path<'_>, msg: fmt::Arguments<'_>) -> String {
    if path.depth() == 0 {
        msg.to_string()
    } else {
        format!("{path}: {msg}")
    }
}

/// Fails at `path` when it is deeper than [`MAX_DEPTH`] (serializing).
fn check_depth_ser<E: ser::Error>(path: &Path<'_>) -> Result<(), E> {
    if path.depth() > MAX_DEPTH {
        return Err(E::custom(prefixed(
            path,
            format_args!("nesting deeper than {MAX_DEPTH} levels"),
        )));
    }
    Ok(())
}

/// Fails when `depth` is deeper than [`MAX_DEPTH`] (deserializing; the
/// format adds the position).
fn check_depth_de<E: de::Error>(depth: usize) -> Result<(), E> {
    if depth > MAX_DEPTH {
        return Err(E::custom(format_args!(
            "nesting deeper than {MAX_DEPTH} levels"
        )));
    }
    Ok(())
}

impl ser::Serialize for StructAt<'_, '_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let path = self.1;
        check_depth_ser(path)?;
        let mut map = serializer.serialize_map(Some(self.0.fields.len()))?;
        for (k, v) in &self.0.fields {
            let p = path.child(Seg::Key(k));
            map.serialize_entry(k, &ValueAt(v, &p))?;
        }
        map.end()
    }
}

impl ser::Serialize for ValueAt<'_, '_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let path = self.1;
        match &self.0.kind {
            None | Some(Kind::NullValue(_)) => serializer.serialize_unit(),
            Some(Kind::BoolValue(b)) => serializer.serialize_bool(*b),
            Some(Kind::StringValue(s)) => serializer.serialize_str(s),
            Some(Kind::NumberValue(x)) if x.is_finite() => serializer.serialize_f64(*x),
            Some(Kind::NumberValue(x)) => Err(ser::Error::custom(prefixed(
                path,
                format_args!(
                    "Fail to serialize {} for Value.number_value, which would parse as string_value",
                    non_finite_name(*x)
                ),
            ))),
            Some(Kind::StructValue(s)) => StructAt(s, path).serialize(serializer),
            Some(Kind::ListValue(l)) => {
                check_depth_ser(path)?;
                let mut seq = serializer.serialize_seq(Some(l.values.len()))?;
                for (i, x) in l.values.iter().enumerate() {
                    let p = path.child(Seg::Index(i));
                    seq.serialize_element(&ValueAt(x, &p))?;
                }
                seq.end()
            }
        }
    }
}

/// Deserializes a `Struct` from a JSON object (or a YAML mapping, or any serde
/// map), streaming, with no intermediate `serde_json::Value`.
///
/// Every number (JSON or YAML integer or float) becomes a double, as in
/// protobuf's `json_format.Parse`; a duplicate key keeps its last value.
///
/// # Errors
/// When the top level is not a map (`google.protobuf.Struct must be a JSON
/// object`), or past [`MAX_DEPTH`] levels, or whatever the format reports.
///
/// ```
/// use flyte_ray_k8s::deserialize_struct;
/// use prost_types::value::Kind;
///
/// let mut de = serde_json::Deserializer::from_str(r#"{"replicas": 3, "tags": ["a"]}"#);
/// let s = deserialize_struct(&mut de).unwrap();
/// assert_eq!(s.fields["replicas"].kind, Some(Kind::NumberValue(3.0)));
///
/// let s = deserialize_struct(serde_yaml_ng::Deserializer::from_str("replicas: 3\n")).unwrap();
/// assert_eq!(s.fields["replicas"].kind, Some(Kind::NumberValue(3.0)));
///
/// let mut de = serde_json::Deserializer::from_str("[1]");
/// assert!(deserialize_struct(&mut de).is_err());
/// ```
pub fn deserialize_struct<'de, D: de::Deserializer<'de>>(d: D) -> Result<Struct, D::Error> {
    d.deserialize_map(StructVisitor { depth: 0 })
}

/// Deserializes any JSON (or YAML, ...) value as a `Value`, streaming; see
/// [`deserialize_struct`].
///
/// ```
/// use flyte_ray_k8s::deserialize_value;
/// use prost_types::value::Kind;
///
/// let mut de = serde_json::Deserializer::from_str("9007199254740993");
/// assert_eq!(deserialize_value(&mut de).unwrap().kind, Some(Kind::NumberValue(9007199254740992.0)));
/// ```
pub fn deserialize_value<'de, D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    ValueSeed { depth: 0 }.deserialize(d)
}

struct StructVisitor {
    depth: usize,
}

impl<'de> Visitor<'de> for StructVisitor {
    type Value = Struct;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (google.protobuf.Struct)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Struct, A::Error> {
        check_depth_de(self.depth)?;
        let mut fields = BTreeMap::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(ValueSeed {
                depth: self.depth + 1,
            })?;
            fields.insert(k, v);
        }
        Ok(Struct { fields })
    }
}

#[derive(Clone, Copy)]
struct ValueSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

fn number(x: f64) -> Value {
    Value {
        kind: Some(Kind::NumberValue(x)),
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value (google.protobuf.Value)")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value {
            kind: Some(Kind::BoolValue(v)),
        })
    }

    #[allow(clippy::cast_precision_loss)] // protobuf's JSON mapping: every number is a double
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(number(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(number(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(number(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value {
            kind: Some(Kind::StringValue(v.to_owned())),
        })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value {
            kind: Some(Kind::StringValue(v)),
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value {
            kind: Some(Kind::NullValue(0)),
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        check_depth_de(self.depth)?;
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        let child = ValueSeed {
            depth: self.depth + 1,
        };
        while let Some(v) = seq.next_element_seed(child)? {
            values.push(v);
        }
        Ok(Value {
            kind: Some(Kind::ListValue(ListValue { values })),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        let s = StructVisitor { depth: self.depth }.visit_map(map)?;
        Ok(Value {
            kind: Some(Kind::StructValue(s)),
        })
    }
}
