//! Any `Serialize` value straight into a protobuf `Value`, exactly as
//! `serde_json::to_value` followed by [`json_to_value`](crate::json_to_value)
//! gives it, without the `serde_json::Value` tree in between.
//!
//! A typed pod spec becomes the `Struct` of `K8sPod.podSpec` on every
//! `build` of a task with a pod template; through serde_json it was built
//! twice (once as JSON, once as a `Struct`) and the first tree dropped.
//! serde_json has a serializer into its own `Value` only and prost-types
//! none into `Value`, so this one is written here, following serde_json's
//! choices wherever it makes one:
//!
//! - every integer and float is a double (`NumberValue`); a non-finite float
//!   is `null`, as serde_json makes it; a 128-bit integer outside the 64-bit
//!   ranges is an error, as in serde_json;
//! - `None`, `()` and unit structs are `null`; a unit variant is its name; a
//!   newtype struct is its content;
//! - bytes are a list of numbers;
//! - an enum variant with content is `{variant: content}`;
//! - map keys must be strings (booleans, integers, floats, `char`s and
//!   unit variants are written as strings, as serde_json's map keys are);
//!   later keys replace earlier ones.

use std::collections::BTreeMap;
use std::fmt;

use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value};
use serde::ser::{self, Serialize};

/// Why a value could not become a `Value` ([`to_value`]).
#[derive(Debug)]
pub struct ToValueError(String);

impl fmt::Display for ToValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ToValueError {}

impl ser::Error for ToValueError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ToValueError(msg.to_string())
    }
}

/// `value` as a protobuf `Value` (see the module docs).
///
/// # Errors
/// What the value's `Serialize` reports, a map key that is not a string, or
/// a 128-bit integer out of range.
///
/// ```
/// use flyte_ray_k8s::{json_to_value, to_value};
///
/// let v = serde_json::json!({"name": "primary", "args": ["a", 1, null, 2.5]});
/// assert_eq!(to_value(&v).unwrap(), json_to_value(&v));
/// ```
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, ToValueError> {
    value.serialize(ValueSerializer)
}

fn kind(kind: Kind) -> Value {
    Value { kind: Some(kind) }
}

fn null() -> Value {
    kind(Kind::NullValue(0))
}

fn number(x: f64) -> Value {
    kind(Kind::NumberValue(x))
}

fn string(s: impl Into<String>) -> Value {
    kind(Kind::StringValue(s.into()))
}

/// `{variant: content}`.
fn variant(name: &str, content: Value) -> Value {
    let mut fields = BTreeMap::new();
    fields.insert(name.to_owned(), content);
    kind(Kind::StructValue(Struct { fields }))
}

/// serde_json's float rule: a finite float is a number, any other `null`.
fn float(x: f64) -> Value {
    if x.is_finite() { number(x) } else { null() }
}

/// The serializer of [`to_value`].
struct ValueSerializer;

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ToValueError;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Seq;
    type SerializeMap = Fields;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Fields;

    fn serialize_bool(self, v: bool) -> Result<Value, ToValueError> {
        Ok(kind(Kind::BoolValue(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ToValueError> {
        Ok(number(f64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ToValueError> {
        Ok(number(f64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ToValueError> {
        Ok(number(f64::from(v)))
    }
    #[allow(clippy::cast_precision_loss)] // a JSON number read as a double
    fn serialize_i64(self, v: i64) -> Result<Value, ToValueError> {
        Ok(number(v as f64))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, ToValueError> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(v), _) => self.serialize_i64(v),
            (_, Ok(v)) => self.serialize_u64(v),
            _ => Err(ToValueError("number out of range".into())),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ToValueError> {
        Ok(number(f64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ToValueError> {
        Ok(number(f64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ToValueError> {
        Ok(number(f64::from(v)))
    }
    #[allow(clippy::cast_precision_loss)] // a JSON number read as a double
    fn serialize_u64(self, v: u64) -> Result<Value, ToValueError> {
        Ok(number(v as f64))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, ToValueError> {
        match u64::try_from(v) {
            Ok(v) => self.serialize_u64(v),
            Err(_) => Err(ToValueError("number out of range".into())),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ToValueError> {
        Ok(float(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ToValueError> {
        Ok(float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ToValueError> {
        Ok(string(v))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ToValueError> {
        Ok(string(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, ToValueError> {
        Ok(kind(Kind::ListValue(ListValue {
            values: v.iter().map(|&b| number(f64::from(b))).collect(),
        })))
    }
    fn serialize_none(self) -> Result<Value, ToValueError> {
        Ok(null())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, ToValueError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ToValueError> {
        Ok(null())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, ToValueError> {
        Ok(null())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, ToValueError> {
        Ok(string(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, ToValueError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        value: &T,
    ) -> Result<Value, ToValueError> {
        Ok(variant(name, value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, ToValueError> {
        Ok(Seq {
            variant: None,
            values: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, ToValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq, ToValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Seq, ToValueError> {
        Ok(Seq {
            variant: Some(name),
            values: Vec::with_capacity(len),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Fields, ToValueError> {
        Ok(Fields::new(None))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Fields, ToValueError> {
        Ok(Fields::new(None))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        _len: usize,
    ) -> Result<Fields, ToValueError> {
        Ok(Fields::new(Some(name)))
    }
}

/// A list being written (a sequence, tuple or tuple variant).
struct Seq {
    variant: Option<&'static str>,
    values: Vec<Value>,
}

impl Seq {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        self.values.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn finish(self) -> Value {
        let list = kind(Kind::ListValue(ListValue {
            values: self.values,
        }));
        match self.variant {
            Some(name) => variant(name, list),
            None => list,
        }
    }
}

/// The four list-like serializer traits, which differ only in their names.
macro_rules! seq_impl {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Seq {
            type Ok = Value;
            type Error = ToValueError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
                self.push(value)
            }
            fn end(self) -> Result<Value, ToValueError> {
                Ok(self.finish())
            }
        }
    )*};
}

seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// An object being written (a map, struct or struct variant).
struct Fields {
    variant: Option<&'static str>,
    fields: BTreeMap<String, Value>,
    /// The key of a map entry whose value comes next.
    key: Option<String>,
}

impl Fields {
    fn new(variant: Option<&'static str>) -> Self {
        Fields {
            variant,
            fields: BTreeMap::new(),
            key: None,
        }
    }
    fn finish(self) -> Value {
        let object = kind(Kind::StructValue(Struct {
            fields: self.fields,
        }));
        match self.variant {
            Some(name) => variant(name, object),
            None => object,
        }
    }
}

impl ser::SerializeMap for Fields {
    type Ok = Value;
    type Error = ToValueError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ToValueError> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ToValueError("a map value came before its key".into()))?;
        self.fields.insert(key, value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, ToValueError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Fields {
    type Ok = Value;
    type Error = ToValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ToValueError> {
        self.fields
            .insert(key.to_owned(), value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, ToValueError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for Fields {
    type Ok = Value;
    type Error = ToValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ToValueError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<Value, ToValueError> {
        Ok(self.finish())
    }
}

/// Map keys: strings, and what serde_json writes as strings.
struct KeySerializer;

/// The key serde_json makes of `key` (a float: its own float formatting, an
/// error for a non-finite one), asked of serde_json itself so the text is
/// the same; floats as map keys are rare enough for the detour.
fn serde_json_key<T: Serialize>(key: &T) -> Result<String, ToValueError> {
    struct One<'a, T>(&'a T);
    impl<T: Serialize> Serialize for One<'_, T> {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use ser::SerializeMap;
            let mut map = s.serialize_map(Some(1))?;
            map.serialize_entry(self.0, &())?;
            map.end()
        }
    }
    match serde_json::to_value(One(key)) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .next()
            .map(|(k, _)| k)
            .ok_or_else(key_must_be_a_string),
        Ok(_) => Err(key_must_be_a_string()),
        Err(e) => Err(ToValueError(e.to_string())),
    }
}

fn key_must_be_a_string() -> ToValueError {
    ToValueError("key must be a string".into())
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = ToValueError;
    type SerializeSeq = ser::Impossible<String, ToValueError>;
    type SerializeTuple = ser::Impossible<String, ToValueError>;
    type SerializeTupleStruct = ser::Impossible<String, ToValueError>;
    type SerializeTupleVariant = ser::Impossible<String, ToValueError>;
    type SerializeMap = ser::Impossible<String, ToValueError>;
    type SerializeStruct = ser::Impossible<String, ToValueError>;
    type SerializeStructVariant = ser::Impossible<String, ToValueError>;

    fn serialize_bool(self, v: bool) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<String, ToValueError> {
        serde_json_key(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<String, ToValueError> {
        serde_json_key(&v)
    }
    fn serialize_char(self, v: char) -> Result<String, ToValueError> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, ToValueError> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<String, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<String, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, ToValueError> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, ToValueError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, ToValueError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ToValueError> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::json_to_value;
    use serde::Serialize;

    /// The reference: serde_json's `Value`, then `json_to_value`.
    fn through_json<T: Serialize>(v: &T) -> Value {
        json_to_value(&serde_json::to_value(v).unwrap())
    }

    #[test]
    fn every_serde_shape_as_through_serde_json() {
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Newtype(u8);
        #[derive(Serialize)]
        struct Tuple(i8, &'static str);
        #[derive(Serialize)]
        enum E {
            A,
            B(u16),
            C(i32, bool),
            D { x: f32 },
        }
        #[derive(Serialize)]
        struct All {
            b: bool,
            i: [i64; 3],
            u: u64,
            big: u128,
            neg: i128,
            f: [f64; 4],
            c: char,
            s: String,
            #[serde(with = "serde_bytes_as_slice")]
            bytes: Vec<u8>,
            none: Option<u8>,
            some: Option<&'static str>,
            unit: (),
            unit_struct: Unit,
            newtype: Newtype,
            tuple: Tuple,
            variants: Vec<E>,
            int_keys: BTreeMap<i32, u8>,
            variant_keys: BTreeMap<K, u8>,
            nested: Vec<Vec<BTreeMap<String, Option<f32>>>>,
        }
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        enum K {
            First,
            Second,
        }
        mod serde_bytes_as_slice {
            pub(super) fn serialize<S: serde::Serializer>(
                v: &[u8],
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(v)
            }
        }
        let all = All {
            b: true,
            i: [i64::MIN, -1, (1 << 53) + 1],
            u: u64::MAX,
            big: u128::from(u64::MAX),
            neg: i128::from(i64::MIN),
            f: [1.5, f64::NAN, f64::INFINITY, -0.0],
            c: 'é',
            s: "ray-head".into(),
            bytes: vec![0, 255],
            none: None,
            some: Some("x"),
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(7),
            tuple: Tuple(-3, "t"),
            variants: vec![E::A, E::B(2), E::C(-1, false), E::D { x: 0.5 }],
            int_keys: [(-1, 1), (10, 2)].into_iter().collect(),
            variant_keys: [(K::First, 1), (K::Second, 2)].into_iter().collect(),
            nested: vec![vec![
                [("a".to_owned(), None), ("b".to_owned(), Some(f32::NAN))]
                    .into_iter()
                    .collect(),
            ]],
        };
        assert_eq!(to_value(&all).unwrap(), through_json(&all));
    }

    #[test]
    fn keys_that_serde_json_refuses_are_refused() {
        let mut m = std::collections::HashMap::new();
        m.insert(vec![1u8], 1u8);
        assert!(serde_json::to_value(&m).is_err());
        assert_eq!(
            to_value(&m).unwrap_err().to_string(),
            "key must be a string"
        );
        // Float keys: serde_json's text for a finite one, its error for NaN.
        struct FloatKey(f64);
        impl Serialize for FloatKey {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(&self.0, &1u8)?;
                map.end()
            }
        }
        for x in [1.5, 1e20, -0.0, 3.0] {
            assert_eq!(
                to_value(&FloatKey(x)).unwrap(),
                through_json(&FloatKey(x)),
                "{x}"
            );
        }
        let nan = serde_json::to_value(FloatKey(f64::NAN))
            .unwrap_err()
            .to_string();
        assert_eq!(to_value(&FloatKey(f64::NAN)).unwrap_err().to_string(), nan);
        let big: u128 = u128::MAX;
        assert!(serde_json::to_value(big).is_err());
        assert!(to_value(&big).is_err());
    }

    /// Random JSON trees.
    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value as J;
        let leaf = prop_oneof![
            Just(J::Null),
            any::<bool>().prop_map(J::Bool),
            any::<i64>().prop_map(J::from),
            any::<u64>().prop_map(J::from),
            any::<f64>().prop_map(J::from),
            ".{0,6}".prop_map(J::String),
        ];
        leaf.prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(J::Array),
                prop::collection::btree_map(".{0,4}", inner, 0..5)
                    .prop_map(|m| J::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Random JSON trees (`serde_json::Value` is `Serialize`).
        #[test]
        fn json_trees_as_through_serde_json(v in json_value()) {
            proptest::prop_assert_eq!(to_value(&v).unwrap(), json_to_value(&v));
        }
    }
}
