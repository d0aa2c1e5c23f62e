//! Whether a value serializes to a given JSON tree, without building the
//! tree: `writes(&job, &go)` is `serde_json::to_value(&job) == Ok(go)`.
//!
//! The renderer checks that the generated KubeRay type writes exactly the
//! Go-form document it was read from (the typed-output check). Building the
//! typed form's tree only to compare it and drop it was a tenth of a render
//! (a `BTreeMap` and a `String` per key); this serializer walks the expected
//! tree instead, as serde hands it the typed value. No crate does this
//! (serde_json's serializer only builds), so it is written here.
//!
//! Exactness: every primitive is turned into the `Value` serde_json's own
//! serializer makes of it (`Value::from`, `serde_json::to_value` for the
//! rare shapes) and compared with `==`; structs and maps must write exactly
//! the expected object's keys (each found, their count equal), sequences
//! exactly its items. Keys are counted, not remembered: this relies on the
//! value writing each key of an object once, as every map type and every
//! derived or k8s-openapi `Serialize` without `#[serde(flatten)]` does (the
//! generated KubeRay types have none). Anything it is not sure of is a mismatch, and a
//! mismatch only sends the caller down the slow path (build the tree, find
//! the differences), so a mismatch that is not one costs time, never a
//! wrong answer.

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::{Map, Value};

/// Whether `value` serializes (as serde_json writes it) to `expected`.
pub(crate) fn writes<T: Serialize + ?Sized>(value: &T, expected: &Value) -> bool {
    value.serialize(Same(expected)).is_ok()
}

/// The one error: the value does not write `expected`.
#[derive(Debug)]
pub(crate) struct Differs;

impl std::fmt::Display for Differs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value does not write the expected JSON")
    }
}

impl std::error::Error for Differs {}

impl ser::Error for Differs {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Differs
    }
}

fn check(ok: bool) -> Result<(), Differs> {
    if ok { Ok(()) } else { Err(Differs) }
}

/// Compares whatever is serialized into it with `.0`.
#[derive(Clone, Copy)]
struct Same<'a>(&'a Value);

impl<'a> Same<'a> {
    fn is(self, v: Value) -> Result<(), Differs> {
        check(*self.0 == v)
    }

    /// The expected value as an object of `len` keys (when serde knows the
    /// length, it must be the object's).
    fn object(self, len: Option<usize>) -> Result<&'a Map<String, Value>, Differs> {
        match self.0 {
            Value::Object(m) if len.is_none_or(|n| n == m.len()) => Ok(m),
            _ => Err(Differs),
        }
    }

    /// An object of one key `variant` (serde_json's externally tagged
    /// enum), its value.
    fn variant(self, variant: &str) -> Result<&'a Value, Differs> {
        match self.0 {
            Value::Object(m) if m.len() == 1 => m.get(variant).ok_or(Differs),
            _ => Err(Differs),
        }
    }

    fn seq(self, len: Option<usize>) -> Result<Items<'a>, Differs> {
        match self.0 {
            Value::Array(a) if len.is_none_or(|n| n == a.len()) => Ok(Items { items: a, next: 0 }),
            _ => Err(Differs),
        }
    }
}

/// A list being compared item by item.
struct Items<'a> {
    items: &'a [Value],
    next: usize,
}

impl Items<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Differs> {
        let expected = self.items.get(self.next).ok_or(Differs)?;
        self.next += 1;
        value.serialize(Same(expected))
    }

    fn end(self) -> Result<(), Differs> {
        check(self.next == self.items.len())
    }
}

/// An object being compared key by key: each key written must be there with
/// the same value, and as many keys written as there are.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    seen: usize,
    /// The key of `serialize_key`, waiting for its value.
    key: Option<String>,
}

impl Fields<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Differs> {
        let expected = self.map.get(key).ok_or(Differs)?;
        self.seen += 1;
        value.serialize(Same(expected))
    }

    fn end(self) -> Result<(), Differs> {
        check(self.seen == self.map.len() && self.key.is_none())
    }
}

macro_rules! primitives {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), Differs> {
            self.is(Value::from(v))
        })*
    };
}

impl<'a> ser::Serializer for Same<'a> {
    type Ok = ();
    type Error = Differs;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Items<'a>;
    type SerializeTupleStruct = Items<'a>;
    type SerializeTupleVariant = Items<'a>;
    type SerializeMap = Fields<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Fields<'a>;

    primitives!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_f32: f32,
        serialize_f64: f64,
    );

    fn serialize_i128(self, v: i128) -> Result<(), Differs> {
        self.is(serde_json::to_value(v).map_err(|_| Differs)?)
    }

    fn serialize_u128(self, v: u128) -> Result<(), Differs> {
        self.is(serde_json::to_value(v).map_err(|_| Differs)?)
    }

    fn serialize_char(self, v: char) -> Result<(), Differs> {
        self.is(Value::String(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<(), Differs> {
        check(self.0.as_str() == Some(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Differs> {
        self.is(serde_json::to_value(v).map_err(|_| Differs)?)
    }

    fn serialize_none(self) -> Result<(), Differs> {
        check(self.0.is_null())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Differs> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Differs> {
        check(self.0.is_null())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Differs> {
        check(self.0.is_null())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Differs> {
        check(self.0.as_str() == Some(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Differs> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Differs> {
        value.serialize(Same(self.variant(variant)?))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Items<'a>, Differs> {
        self.seq(len)
    }

    fn serialize_tuple(self, len: usize) -> Result<Items<'a>, Differs> {
        self.seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Items<'a>, Differs> {
        self.seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Items<'a>, Differs> {
        Same(self.variant(variant)?).seq(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Fields<'a>, Differs> {
        Ok(Fields {
            map: self.object(len)?,
            seen: 0,
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'a>, Differs> {
        // A struct's length counts the fields it may skip: not checked
        // here, the keys are (`Fields::end`).
        self.serialize_map(None)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Fields<'a>, Differs> {
        Same(self.variant(variant)?).serialize_map(None)
    }
}

macro_rules! seq_impl {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Items<'_> {
            type Ok = ();
            type Error = Differs;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Differs> {
                self.item(value)
            }
            fn end(self) -> Result<(), Differs> {
                Items::end(self)
            }
        })*
    };
}

seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Fields<'_> {
    type Ok = ();
    type Error = Differs;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Differs> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Differs> {
        let key = self.key.take().ok_or(Differs)?;
        self.field(&key, value)
    }

    fn end(self) -> Result<(), Differs> {
        Fields::end(self)
    }
}

macro_rules! struct_impl {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Fields<'_> {
            type Ok = ();
            type Error = Differs;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Differs> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Differs> {
                Fields::end(self)
            }
        })*
    };
}

struct_impl!(SerializeStruct, SerializeStructVariant);

/// A map key as serde_json's `to_value` writes it: strings as they are,
/// integers and booleans as their text; anything else is not compared (a
/// mismatch, the slow path decides).
struct KeyText;

macro_rules! key_numbers {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<String, Differs> {
            Ok(v.to_string())
        })*
    };
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Differs;
    type SerializeSeq = Impossible<String, Differs>;
    type SerializeTuple = Impossible<String, Differs>;
    type SerializeTupleStruct = Impossible<String, Differs>;
    type SerializeTupleVariant = Impossible<String, Differs>;
    type SerializeMap = Impossible<String, Differs>;
    type SerializeStruct = Impossible<String, Differs>;
    type SerializeStructVariant = Impossible<String, Differs>;

    key_numbers!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
        serialize_char: char,
    );

    fn serialize_str(self, v: &str) -> Result<String, Differs> {
        Ok(v.to_owned())
    }

    fn serialize_f32(self, _: f32) -> Result<String, Differs> {
        Err(Differs)
    }

    fn serialize_f64(self, _: f64) -> Result<String, Differs> {
        Err(Differs)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Differs> {
        Err(Differs)
    }

    fn serialize_none(self) -> Result<String, Differs> {
        Err(Differs)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Differs> {
        Err(Differs)
    }

    fn serialize_unit(self) -> Result<String, Differs> {
        Err(Differs)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Differs> {
        Err(Differs)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Differs> {
        Ok(variant.to_owned())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Differs> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Differs> {
        Err(Differs)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Differs> {
        Err(Differs)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Differs> {
        Err(Differs)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Differs> {
        Err(Differs)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Differs> {
        Err(Differs)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Differs> {
        Err(Differs)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Differs> {
        Err(Differs)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Differs> {
        Err(Differs)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct S {
        a: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<String>,
        c: Option<f64>,
        d: Vec<E>,
        m: BTreeMap<String, i64>,
        k: BTreeMap<u8, bool>,
        t: (i8, char),
        n: N,
        u: (),
    }

    #[derive(Serialize)]
    struct N(String);

    #[derive(Serialize)]
    enum E {
        Unit,
        New(i32),
        Tuple(u8, u8),
        Struct { x: bool },
    }

    fn sample() -> S {
        S {
            a: 7,
            b: None,
            c: Some(-0.0),
            d: vec![E::Unit, E::New(-3), E::Tuple(1, 2), E::Struct { x: true }],
            m: BTreeMap::from([("one".to_owned(), 1), ("two".to_owned(), i64::MIN)]),
            k: BTreeMap::from([(3, false)]),
            t: (-1, 'é'),
            n: N("newtype".to_owned()),
            u: (),
        }
    }

    /// The reference: serde_json's own tree of the value.
    fn agrees<T: Serialize>(value: &T, expected: &Value) {
        let reference = serde_json::to_value(value).unwrap() == *expected;
        assert_eq!(writes(value, expected), reference, "{expected}");
    }

    /// On the value's own tree it says yes; on every tree one change away
    /// (a value changed, a key added or removed, an item added or removed,
    /// `1.0` for `1`), no, as `to_value(..) ==` says.
    #[test]
    fn writes_is_to_value_equality() {
        let s = sample();
        let tree = serde_json::to_value(&s).unwrap();
        assert!(writes(&s, &tree));
        let mut variants = Vec::new();
        let mut push = |f: &dyn Fn(&mut Value)| {
            let mut t = tree.clone();
            f(&mut t);
            variants.push(t);
        };
        push(&|t| t["a"] = json!(8));
        push(&|t| t["a"] = json!(7.0));
        push(&|t| t["b"] = json!(null));
        push(&|t| t["c"] = json!(null));
        push(&|t| {
            t.as_object_mut().unwrap().remove("u");
        });
        push(&|t| t["extra"] = json!(1));
        push(&|t| t["d"].as_array_mut().unwrap().push(json!("Unit")));
        push(&|t| {
            t["d"].as_array_mut().unwrap().pop();
        });
        push(&|t| t["d"][0] = json!("New"));
        push(&|t| t["d"][1] = json!({"New": -3, "Other": 1}));
        push(&|t| t["d"][2]["Tuple"] = json!([1, 2, 3]));
        push(&|t| t["d"][3]["Struct"]["x"] = json!(false));
        push(&|t| t["m"]["one"] = json!("1"));
        push(&|t| t["k"] = json!({"4": false}));
        push(&|t| t["t"] = json!([-1, "e"]));
        push(&|t| t["n"] = json!(["newtype"]));
        push(&|t| *t = json!([]));
        for v in &variants {
            agrees(&s, v);
            assert!(!writes(&s, v), "{v}");
        }
        // `0.0` for `-0.0`: `Value`'s `==` holds them equal, and so does
        // this (it is that equality, which the typed-output check used).
        let mut zero = tree.clone();
        zero["c"] = json!(0.0);
        agrees(&s, &zero);
        assert!(writes(&s, &zero));
    }

    /// The renderer's own type on its own output: the typical task renders
    /// to a tree the generated RayJob writes exactly, and a changed field
    /// (the typed-output check's reason to exist) is seen.
    #[test]
    fn the_generated_rayjob_writes_its_tree() {
        let text = include_str!("../../../examples/ray_task.json");
        let task = crate::TaskTemplate::from_text(text).unwrap();
        let out = crate::render(
            &task,
            &crate::ExecutionMetadata::default(),
            &crate::PluginConfig::default(),
            &crate::RenderOptions::default(),
        )
        .unwrap();
        assert!(writes(&out.resource, out.json()));
        let mut changed = out.json().clone();
        changed["spec"]["rayClusterSpec"]["headGroupSpec"]["template"]["spec"]["hostnameOverride"] =
            json!("h");
        assert!(!writes(&out.resource, &changed));
    }
}
