//! The building blocks of the mapping: one codec per kind of field (string,
//! bool, int32, enum, string map, message, repeated message, pod spec), the
//! generic message visitor, and the error-path bookkeeping.
//!
//! Paths cost nothing on success: each level records its step only while an
//! error unwinds through it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeSeq, SerializeStruct, Serializer};

use super::{JsonError, JsonOptions, SkipReason, SkippedField};

// ---- reading context and paths ----------------------------------------------

/// One step of a JSON path.
enum Seg {
    Field(&'static str),
    Index(usize),
    Key(String),
}

/// What every nested reader needs: the options, and the path recorded while
/// an error unwinds (innermost step first).
pub(crate) struct Ctx {
    ignore_unknown: bool,
    /// Reading YAML: `<<` is a merge key (YAML 1.1), not a field name.
    yaml: bool,
    path: RefCell<Vec<Seg>>,
    /// When reporting what `ignore_unknown_fields` skips: the path being
    /// read (outermost first, kept on success too) and what was skipped.
    report: Option<RefCell<Report>>,
}

/// See [`Ctx::report`].
#[derive(Default)]
struct Report {
    live: Vec<Seg>,
    skipped: Vec<SkippedField>,
}

impl Ctx {
    pub(crate) fn new(options: &JsonOptions) -> Self {
        Self {
            ignore_unknown: options.ignore_unknown_fields,
            yaml: false,
            path: RefCell::new(Vec::new()),
            report: None,
        }
    }

    /// This context, also recording every key `ignore_unknown_fields`
    /// skips (see [`take_skipped`](Self::take_skipped)).
    pub(crate) fn reporting(mut self) -> Self {
        self.report = Some(RefCell::new(Report::default()));
        self
    }

    /// What was skipped so far, in document order.
    pub(crate) fn take_skipped(&self) -> Vec<SkippedField> {
        self.report
            .as_ref()
            .map(|r| std::mem::take(&mut r.borrow_mut().skipped))
            .unwrap_or_default()
    }

    /// Enters a step of the path (only when reporting).
    fn enter(&self, seg: impl FnOnce() -> Seg) {
        if let Some(r) = &self.report {
            r.borrow_mut().live.push(seg());
        }
    }

    /// Leaves the step [`enter`](Self::enter) entered.
    fn leave(&self) {
        if let Some(r) = &self.report {
            r.borrow_mut().live.pop();
        }
    }

    /// Records a skipped key (only when reporting): `key` of the message
    /// at the current path.
    fn skipped(&self, key: &str, reason: impl FnOnce() -> SkipReason) {
        if let Some(r) = &self.report {
            let mut r = r.borrow_mut();
            let path = segs_to_path(r.live.iter());
            r.skipped.push(SkippedField {
                path,
                key: key.to_owned(),
                reason: reason(),
            });
        }
    }

    /// Records an enum field left unset (only when reporting): the current
    /// path ends in the field.
    fn skipped_enum(&self, enum_name: &'static str, value: &str) {
        if let Some(r) = &self.report {
            let mut r = r.borrow_mut();
            let (key, path) = match r.live.split_last() {
                Some((Seg::Field(name), rest)) => ((*name).to_owned(), segs_to_path(rest.iter())),
                _ => (String::new(), segs_to_path(r.live.iter())),
            };
            r.skipped.push(SkippedField {
                path,
                key,
                reason: SkipReason::UnknownEnumValue {
                    enum_name,
                    value: value.to_owned(),
                },
            });
        }
    }

    /// A context for reading YAML, where `<<` merges mappings in.
    pub(crate) fn yaml(options: &JsonOptions) -> Self {
        Self {
            yaml: true,
            ..Self::new(options)
        }
    }

    fn push(&self, seg: Seg) {
        self.path.borrow_mut().push(seg);
    }

    /// The path recorded so far, outermost first; `.` when empty.
    pub(crate) fn path_string(&self) -> String {
        let path = self.path.borrow();
        if path.is_empty() {
            return ".".to_owned();
        }
        segs_to_path(path.iter().rev())
    }

    /// The path recorded so far as steps, outermost first (for
    /// [`locate`](super::locate::locate)).
    pub(crate) fn steps(&self) -> Vec<super::locate::Step> {
        use super::locate::Step;
        self.path
            .borrow()
            .iter()
            .rev()
            .map(|seg| match seg {
                Seg::Field(name) => Step::Key((*name).to_owned()),
                Seg::Key(name) => Step::Key(name.clone()),
                Seg::Index(n) => Step::Index(*n),
            })
            .collect()
    }

    pub(crate) fn read_error(&self, e: &dyn fmt::Display) -> JsonError {
        JsonError::Read {
            path: self.path_string(),
            message: e.to_string(),
        }
    }
}

/// A JSON path of steps, outermost first (empty for none).
fn segs_to_path<'a>(segs: impl Iterator<Item = &'a Seg>) -> String {
    let mut s = String::new();
    for seg in segs {
        let name = match seg {
            Seg::Field(name) => name,
            Seg::Key(name) => name.as_str(),
            Seg::Index(n) => {
                // Writing to a String cannot fail.
                let _ = write!(s, "[{n}]");
                continue;
            }
        };
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str(name);
    }
    s
}

/// Prefixes a write error with the step it unwound through.
fn ser_prefix<E: ser::Error>(step: fmt::Arguments<'_>, e: &E) -> E {
    let inner = e.to_string();
    if inner.starts_with('[') {
        E::custom(format_args!("{step}{inner}"))
    } else {
        E::custom(format_args!("{step}.{inner}"))
    }
}

/// `a, b, c`: the names an error lists.
fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

// ---- codecs -------------------------------------------------------------------

/// How one kind of field is written and read.
pub(crate) trait Codec {
    /// The Rust type of the field.
    type T;
    /// Whether the field is at its default (and so left out).
    fn is_default(v: &Self::T) -> bool;
    /// Writes a field that is not at its default.
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error>;
    /// Reads the field into `slot` (`null` resets it to the default).
    fn de<'de, D: Deserializer<'de>>(ctx: &Ctx, d: D, slot: &mut Self::T) -> Result<(), D::Error>;
}

/// `Serialize` through a codec.
pub(crate) struct SerWith<'a, C: Codec>(pub(crate) &'a C::T, PhantomData<C>);

impl<'a, C: Codec> SerWith<'a, C> {
    pub(crate) fn new(v: &'a C::T) -> Self {
        Self(v, PhantomData)
    }
}

impl<C: Codec> ser::Serialize for SerWith<'_, C> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        C::ser(self.0, s)
    }
}

/// `DeserializeSeed` through a codec, into a slot.
pub(crate) struct SeedInto<'a, 'c, C: Codec> {
    ctx: &'c Ctx,
    slot: &'a mut C::T,
}

impl<'a, 'c, C: Codec> SeedInto<'a, 'c, C> {
    pub(crate) fn new(ctx: &'c Ctx, slot: &'a mut C::T) -> Self {
        Self { ctx, slot }
    }
}

impl<'de, C: Codec> DeserializeSeed<'de> for SeedInto<'_, '_, C> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        C::de(self.ctx, d, self.slot)
    }
}

// -- string

/// `string`.
pub(crate) struct Str;

struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

struct OptString;

impl<'de> Visitor<'de> for OptString {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_string(StringVisitor).map(Some)
    }
}

impl Codec for Str {
    type T = String;
    fn is_default(v: &String) -> bool {
        v.is_empty()
    }
    fn ser<S: Serializer>(v: &String, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }
    fn de<'de, D: Deserializer<'de>>(_: &Ctx, d: D, slot: &mut String) -> Result<(), D::Error> {
        *slot = d.deserialize_option(OptString)?.unwrap_or_default();
        Ok(())
    }
}

// -- bool

/// `bool`: only `true` and `false` (`"true"` and `1` are errors, as in
/// `ParseDict`: "Expected true or false without quotes").
pub(crate) struct Bool;

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("true, false or null")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_bool(self)
    }
}

impl Codec for Bool {
    type T = bool;
    fn is_default(v: &bool) -> bool {
        !*v
    }
    fn ser<S: Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*v)
    }
    fn de<'de, D: Deserializer<'de>>(_: &Ctx, d: D, slot: &mut bool) -> Result<(), D::Error> {
        *slot = d.deserialize_option(BoolVisitor)?;
        Ok(())
    }
}

// -- int32

/// `int32`: a JSON number that is an integer, or a string holding one.
pub(crate) struct I32;

fn out_of_range<E: de::Error>(v: impl fmt::Display) -> E {
    E::custom(format_args!("int32 out of range: {v}"))
}

/// An integer of any width as an int32.
fn i32_from_int<E: de::Error, V: Copy + fmt::Display>(v: V) -> Result<i32, E>
where
    i32: TryFrom<V>,
{
    i32::try_from(v).map_err(|_| out_of_range(v))
}

#[allow(clippy::cast_possible_truncation)] // checked: integral and in range
fn i32_from_f64<E: de::Error>(v: f64, what: &str) -> Result<i32, E> {
    if !v.is_finite() || v.fract() != 0.0 {
        return Err(E::custom(format_args!("expected {what}, found {v}")));
    }
    if v < f64::from(i32::MIN) || v > f64::from(i32::MAX) {
        return Err(out_of_range(v));
    }
    Ok(v as i32)
}

/// `[+-]?[0-9]+` (what Python's `int()` takes, minus whitespace, `_` and
/// non-ASCII digits).
fn is_decimal_int(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn i32_from_decimal<E: de::Error>(s: &str) -> Result<i32, E> {
    // Overflow of i128 needs 39+ digits: out of range either way.
    match s.parse::<i128>() {
        Ok(n) => i32_from_int(n),
        Err(_) => Err(out_of_range(s)),
    }
}

/// A numeric string for an int32: a decimal integer, or a float literal with
/// an integral value (`"1e2"`, `"3.0"`), as `ParseDict` does.
fn i32_from_str<E: de::Error>(s: &str) -> Result<i32, E> {
    if is_decimal_int(s) {
        return i32_from_decimal(s);
    }
    let float_like = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    match s.parse::<f64>() {
        Ok(v) if float_like && v.is_finite() && v.fract() == 0.0 => i32_from_f64(v, "an int32"),
        _ => Err(E::custom(format_args!("expected an int32, found {s:?}"))),
    }
}

struct I32Visitor;

impl<'de> Visitor<'de> for I32Visitor {
    type Value = i32;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an int32 (a JSON number or a numeric string)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i32, E> {
        i32_from_int(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i32, E> {
        i32_from_int(v)
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<i32, E> {
        i32_from_int(v)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<i32, E> {
        i32_from_int(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i32, E> {
        i32_from_f64(v, "an int32")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i32, E> {
        i32_from_str(v)
    }
    fn visit_none<E: de::Error>(self) -> Result<i32, E> {
        Ok(0)
    }
    fn visit_unit<E: de::Error>(self) -> Result<i32, E> {
        Ok(0)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<i32, D::Error> {
        d.deserialize_any(self)
    }
}

impl Codec for I32 {
    type T = i32;
    fn is_default(v: &i32) -> bool {
        *v == 0
    }
    fn ser<S: Serializer>(v: &i32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(*v)
    }
    fn de<'de, D: Deserializer<'de>>(_: &Ctx, d: D, slot: &mut i32) -> Result<(), D::Error> {
        *slot = d.deserialize_any(I32Visitor)?;
        Ok(())
    }
}

// -- enums

/// A protobuf enum: its full name and its values.
pub(crate) trait EnumDesc {
    /// Full protobuf name (`flyteidl.core.Resources.ResourceName`).
    const PROTO: &'static str;
    /// `(number, name)` of every value.
    const VALUES: &'static [(i32, &'static str)];
}

/// An enum field kept as its raw number.
pub(crate) struct Enum<E>(PhantomData<E>);

struct EnumVisitor<E> {
    ignore_unknown: bool,
    _e: PhantomData<E>,
}

const ENUM_WHAT: &str = "an enum value name or an int32 number";

impl<'de, E: EnumDesc> Visitor<'de> for EnumVisitor<E> {
    /// `None`: an unknown name (the second value), skipped under
    /// `ignore_unknown_fields`.
    type Value = Result<i32, String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value of {} (a name or a number)", E::PROTO)
    }
    fn visit_i64<Er: de::Error>(self, v: i64) -> Result<Result<i32, String>, Er> {
        i32_from_int(v).map(Ok)
    }
    fn visit_u64<Er: de::Error>(self, v: u64) -> Result<Result<i32, String>, Er> {
        i32_from_int(v).map(Ok)
    }
    fn visit_f64<Er: de::Error>(self, v: f64) -> Result<Result<i32, String>, Er> {
        i32_from_f64(v, ENUM_WHAT).map(Ok)
    }
    fn visit_str<Er: de::Error>(self, v: &str) -> Result<Result<i32, String>, Er> {
        if let Some(&(n, _)) = E::VALUES.iter().find(|(_, name)| *name == v) {
            return Ok(Ok(n));
        }
        if is_decimal_int(v) {
            return i32_from_decimal(v).map(Ok);
        }
        if self.ignore_unknown {
            return Ok(Err(v.to_owned()));
        }
        Err(Er::custom(format_args!(
            "invalid value {v:?} for enum {}; expected one of {}, or a number",
            E::PROTO,
            join(E::VALUES.iter().map(|(_, name)| *name)),
        )))
    }
    fn visit_none<Er: de::Error>(self) -> Result<Result<i32, String>, Er> {
        Ok(Ok(0))
    }
    fn visit_unit<Er: de::Error>(self) -> Result<Result<i32, String>, Er> {
        Ok(Ok(0))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Result<i32, String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<E: EnumDesc> Codec for Enum<E> {
    type T = i32;
    fn is_default(v: &i32) -> bool {
        *v == 0
    }
    fn ser<S: Serializer>(v: &i32, s: S) -> Result<S::Ok, S::Error> {
        match E::VALUES.iter().find(|(n, _)| n == v) {
            Some((_, name)) => s.serialize_str(name),
            None => s.serialize_i32(*v),
        }
    }
    fn de<'de, D: Deserializer<'de>>(ctx: &Ctx, d: D, slot: &mut i32) -> Result<(), D::Error> {
        let visitor = EnumVisitor::<E> {
            ignore_unknown: ctx.ignore_unknown,
            _e: PhantomData,
        };
        match d.deserialize_any(visitor)? {
            Ok(n) => *slot = n,
            Err(name) => ctx.skipped_enum(E::PROTO, &name),
        }
        Ok(())
    }
}

// -- map<string, string>

/// `map<string, string>`.
pub(crate) struct StrMap;

struct StrMapVisitor<'c>(&'c Ctx);

struct StrSeed;

impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_string(StringVisitor)
    }
}

impl<'de> Visitor<'de> for StrMapVisitor<'_> {
    type Value = Option<BTreeMap<String, String>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of strings")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        let mut merged = Vec::new();
        while let Some(k) = map.next_key_seed(StrSeed)? {
            let value = if self.0.yaml && k == "<<" {
                // A YAML merge key: mappings whose entries the map's own win
                // over. A `<<` holding a string is an ordinary entry: it
                // cannot be a merge, and it is what our own YAML writer
                // prints for a map that has the key `<<` (serde_yaml_ng
                // writes it plain), so that output reads back.
                match map.next_value_seed(StrMergeSeed(self.0)) {
                    Ok(MergeValue::Merge(m)) => {
                        merged.push(m);
                        continue;
                    }
                    Ok(MergeValue::Plain(v)) => Ok(v),
                    Err(e) => Err(e),
                }
            } else {
                map.next_value_seed(StrSeed)
            };
            match value {
                Ok(v) => {
                    if out.contains_key(&k) {
                        let e = de::Error::custom(format_args!("duplicate key {k:?}"));
                        self.0.push(Seg::Key(k));
                        return Err(e);
                    }
                    out.insert(k, v);
                }
                Err(e) => {
                    self.0.push(Seg::Key(k));
                    return Err(e);
                }
            }
        }
        for m in merged {
            for (k, v) in m {
                out.entry(k).or_insert(v);
            }
        }
        Ok(Some(out))
    }
}

/// The value of a merge key in a string map: a mapping or a list of
/// mappings, earlier ones winning.
struct StrMergeSeed<'c>(&'c Ctx);

/// What a `<<` key of a string map holds: mappings to merge, or a plain
/// string (then `<<` is an ordinary key).
enum MergeValue {
    Merge(BTreeMap<String, String>),
    Plain(String),
}

impl<'de> DeserializeSeed<'de> for StrMergeSeed<'_> {
    type Value = MergeValue;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrMergeSeed<'_> {
    type Value = MergeValue;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping or a list of mappings of strings to merge")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(MergeValue::Plain(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(MergeValue::Plain(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        StrMapVisitor(self.0)
            .visit_map(map)
            .map(|m| MergeValue::Merge(m.unwrap_or_default()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        let mut i = 0;
        loop {
            match seq.next_element_seed(StrMergeMapSeed(self.0)) {
                Ok(Some(m)) => {
                    for (k, v) in m {
                        out.entry(k).or_insert(v);
                    }
                }
                Ok(None) => return Ok(MergeValue::Merge(out)),
                Err(e) => {
                    self.0.push(Seg::Index(i));
                    return Err(e);
                }
            }
            i += 1;
        }
    }
}

/// One mapping of a string map's merge list.
struct StrMergeMapSeed<'c>(&'c Ctx);

impl<'de> DeserializeSeed<'de> for StrMergeMapSeed<'_> {
    type Value = BTreeMap<String, String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(StrMapVisitor(self.0))
            .map(Option::unwrap_or_default)
    }
}

impl Codec for StrMap {
    type T = BTreeMap<String, String>;
    fn is_default(v: &Self::T) -> bool {
        v.is_empty()
    }
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(v)
    }
    fn de<'de, D: Deserializer<'de>>(ctx: &Ctx, d: D, slot: &mut Self::T) -> Result<(), D::Error> {
        *slot = d
            .deserialize_option(StrMapVisitor(ctx))?
            .unwrap_or_default();
        Ok(())
    }
}

// -- pod spec

/// `google.protobuf.Struct`, read into and written from its canonical
/// encoding (`crate::pod_spec`), with `flyte_ray_k8s`'s JSON mapping.
pub(crate) struct PodSpec;

struct PodSpecVisitor;

impl<'de> Visitor<'de> for PodSpecVisitor {
    type Value = Option<crate::pod_spec::PodSpec>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (google.protobuf.Struct)")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        crate::pod_spec::deserialize(d).map(Some)
    }
}

impl Codec for PodSpec {
    type T = Option<crate::pod_spec::PodSpec>;
    fn is_default(v: &Self::T) -> bool {
        v.is_none()
    }
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(spec) => spec.serialize(s),
            None => s.serialize_none(),
        }
    }
    fn de<'de, D: Deserializer<'de>>(_: &Ctx, d: D, slot: &mut Self::T) -> Result<(), D::Error> {
        *slot = d.deserialize_option(PodSpecVisitor)?;
        Ok(())
    }
}

// -- oneof members

/// A `bool` member of a oneof held as `Option<T>` (the oneof's enum): what
/// the member reads and makes.
pub(crate) trait OneofBool {
    /// The oneof's enum.
    type T;
    /// The oneof's name, for errors.
    const ONEOF: &'static str;
    /// The message holding it, for errors.
    const PROTO: &'static str;
    /// The member's value when it is the one set.
    fn get(v: &Self::T) -> Option<bool>;
    /// The oneof set to this member.
    fn make(v: bool) -> Self::T;
}

/// A `string` member of a oneof; see [`OneofBool`].
pub(crate) trait OneofStr {
    /// The oneof's enum.
    type T;
    /// The oneof's name, for errors.
    const ONEOF: &'static str;
    /// The message holding it, for errors.
    const PROTO: &'static str;
    /// The member's value when it is the one set.
    fn get(v: &Self::T) -> Option<&str>;
    /// The oneof set to this member.
    fn make(v: String) -> Self::T;
}

/// `ParseDict`'s rule for a oneof: a second member with a value (not
/// `null`) in the same object is an error.
fn oneof_twice<E: de::Error>(proto: &str, oneof: &str) -> E {
    E::custom(format_args!(
        "message {proto} has more than one member of the oneof {oneof:?} set"
    ))
}

/// A [`OneofBool`] member as a [`Codec`]: written whenever it is the one
/// set, even at its default (`"unpartitioned": false`); `null` clears it if
/// it is the one set.
pub(crate) struct BoolMember<O>(PhantomData<O>);

impl<O: OneofBool> Codec for BoolMember<O> {
    type T = Option<O::T>;
    fn is_default(v: &Self::T) -> bool {
        v.as_ref().and_then(O::get).is_none()
    }
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(v.as_ref().and_then(O::get).unwrap_or_default())
    }
    fn de<'de, D: Deserializer<'de>>(_: &Ctx, d: D, slot: &mut Self::T) -> Result<(), D::Error> {
        match d.deserialize_option(OptBool)? {
            None => {
                if slot.as_ref().and_then(O::get).is_some() {
                    *slot = None;
                }
            }
            Some(_) if slot.is_some() => return Err(oneof_twice(O::PROTO, O::ONEOF)),
            Some(b) => *slot = Some(O::make(b)),
        }
        Ok(())
    }
}

/// A `bool` or `null`.
struct OptBool;

impl<'de> Visitor<'de> for OptBool {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("true, false or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_bool(BoolVisitor).map(Some)
    }
}

/// A [`OneofStr`] member as a [`Codec`], as [`BoolMember`].
pub(crate) struct StrMember<O>(PhantomData<O>);

impl<O: OneofStr> Codec for StrMember<O> {
    type T = Option<O::T>;
    fn is_default(v: &Self::T) -> bool {
        v.as_ref().and_then(O::get).is_none()
    }
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.as_ref().and_then(O::get).unwrap_or_default())
    }
    fn de<'de, D: Deserializer<'de>>(_: &Ctx, d: D, slot: &mut Self::T) -> Result<(), D::Error> {
        match d.deserialize_option(OptString)? {
            None => {
                if slot.as_ref().and_then(O::get).is_some() {
                    *slot = None;
                }
            }
            Some(_) if slot.is_some() => return Err(oneof_twice(O::PROTO, O::ONEOF)),
            Some(v) => *slot = Some(O::make(v)),
        }
        Ok(())
    }
}

// ---- messages -------------------------------------------------------------------

/// A protobuf message: its fields, how to write them and how to read one.
pub(crate) trait Message: Default + Sized {
    /// Full protobuf name (`flyteidl.plugins.RayJob`).
    const PROTO: &'static str;
    /// `(json name, proto name)` of every field, in field-number order.
    const FIELDS: &'static [(&'static str, &'static str)];
    /// How many fields are not at their default.
    fn count(&self) -> usize;
    /// Writes the fields that are not at their default.
    fn ser_fields<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error>;
    /// Reads the value of field `i` (an index into `FIELDS`).
    fn de_field<'de, A: MapAccess<'de>>(
        &mut self,
        i: usize,
        ctx: &Ctx,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// Moves field `i` of `from` into `self` (a YAML merge key).
    fn take_field(&mut self, i: usize, from: &mut Self);
}

/// Writes one field, prefixing its name to the path of an error.
pub(crate) fn ser_field<S: SerializeStruct, C: Codec>(
    s: &mut S,
    name: &'static str,
    v: &C::T,
) -> Result<(), S::Error> {
    if C::is_default(v) {
        return Ok(());
    }
    s.serialize_field(name, &SerWith::<C>::new(v))
        .map_err(|e| ser_prefix(format_args!("{name}"), &e))
}

/// `Serialize` of a message.
pub(crate) struct MsgSer<'a, M>(pub(crate) &'a M);

impl<M: Message> ser::Serialize for MsgSer<'_, M> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct(short_name(M::PROTO), self.0.count())?;
        self.0.ser_fields(&mut st)?;
        st.end()
    }
}

fn short_name(proto: &'static str) -> &'static str {
    proto.rsplit('.').next().unwrap_or(proto)
}

/// A message key: a known field (index, and whether the proto spelling was
/// used), or an unknown name.
enum Key {
    Field(usize, bool),
    Unknown(String),
}

struct KeySeed(&'static [(&'static str, &'static str)]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        for (i, (json, proto)) in self.0.iter().enumerate() {
            if *json == v {
                return Ok(Key::Field(i, false));
            }
            if *proto == v {
                return Ok(Key::Field(i, true));
            }
        }
        Ok(Key::Unknown(v.to_owned()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
        Ok(Key::Unknown(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
        Ok(Key::Unknown(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
        Ok(Key::Unknown(v.to_string()))
    }
}

/// Reads a message from a map.
pub(crate) struct MsgVisitor<'c, M> {
    ctx: &'c Ctx,
    _m: PhantomData<M>,
}

impl<'c, M> MsgVisitor<'c, M> {
    pub(crate) fn new(ctx: &'c Ctx) -> Self {
        Self {
            ctx,
            _m: PhantomData,
        }
    }
}

impl<'de, M: Message> Visitor<'de> for MsgVisitor<'_, M> {
    type Value = M;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", M::PROTO)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<M, A::Error> {
        read_fields(self.ctx, map).map(|(m, _)| m)
    }
}

/// Which fields a mask of seen spellings (two bits per field) has set.
fn fields_seen(seen: u64) -> u64 {
    let mut fields = 0;
    for i in 0..32 {
        if (seen >> (2 * i)) & 3 != 0 {
            fields |= 1 << i;
        }
    }
    fields
}

/// Moves the fields set in `from_fields` but not in `*fields` from `from`
/// into `m`: a merge, where what is already there wins.
fn merge_into<M: Message>(m: &mut M, fields: &mut u64, from: &mut M, from_fields: u64) {
    for i in 0..M::FIELDS.len().min(32) {
        let bit = 1u64 << i;
        if from_fields & bit != 0 && *fields & bit == 0 {
            m.take_field(i, from);
            *fields |= bit;
        }
    }
}

/// Reads a message's fields from a map; also returns which fields it set
/// (one bit per field). In YAML, `<<` merges in a mapping or a list of
/// mappings (YAML 1.1 merge keys): the map's own keys win over merged ones,
/// and of the merged mappings, earlier ones win over later ones.
fn read_fields<'de, M: Message, A: MapAccess<'de>>(
    ctx: &Ctx,
    mut map: A,
) -> Result<(M, u64), A::Error> {
    let mut m = M::default();
    // Two bits per field (json spelling, proto spelling): 32 fields max.
    let mut seen: u64 = 0;
    let mut merged: Vec<(M, u64)> = Vec::new();
    while let Some(key) = map.next_key_seed(KeySeed(M::FIELDS))? {
        match key {
            Key::Field(i, proto) => {
                let (json_name, proto_name) = M::FIELDS[i];
                let name = if proto { proto_name } else { json_name };
                let bit = 1u64 << (2 * i + usize::from(proto));
                if seen & bit != 0 {
                    ctx.push(Seg::Field(name));
                    return Err(de::Error::custom(format_args!("duplicate key {name:?}")));
                }
                seen |= bit;
                ctx.enter(|| Seg::Field(name));
                let r = m.de_field(i, ctx, &mut map);
                ctx.leave();
                if let Err(e) = r {
                    ctx.push(Seg::Field(name));
                    return Err(e);
                }
            }
            Key::Unknown(name) if ctx.yaml && name == "<<" => {
                ctx.enter(|| Seg::Key(name.clone()));
                let r = map.next_value_seed(MergeSeed::<M>(ctx, PhantomData));
                ctx.leave();
                match r {
                    Ok(base) => merged.push(base),
                    Err(e) => {
                        ctx.push(Seg::Key(name));
                        return Err(e);
                    }
                }
            }
            Key::Unknown(name) => {
                if ctx.ignore_unknown {
                    map.next_value::<IgnoredAny>()?;
                    ctx.skipped(&name, || SkipReason::UnknownField { message: M::PROTO });
                    continue;
                }
                let e = de::Error::custom(format_args!(
                    "message {} has no field named {name:?} (its fields: {})",
                    M::PROTO,
                    join(M::FIELDS.iter().map(|(json, _)| *json)),
                ));
                ctx.push(Seg::Key(name));
                return Err(e);
            }
        }
    }
    let mut fields = fields_seen(seen);
    for (mut base, base_fields) in merged {
        merge_into(&mut m, &mut fields, &mut base, base_fields);
    }
    Ok((m, fields))
}

/// The value of a YAML merge key `<<`: a mapping, or a list of mappings,
/// read as message `M`.
struct MergeSeed<'c, M>(&'c Ctx, PhantomData<M>);

impl<'de, M: Message> DeserializeSeed<'de> for MergeSeed<'_, M> {
    type Value = (M, u64);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(M, u64), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, M: Message> Visitor<'de> for MergeSeed<'_, M> {
    type Value = (M, u64);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a mapping or a list of mappings to merge ({})", M::PROTO)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(M, u64), A::Error> {
        read_fields(self.0, map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(M, u64), A::Error> {
        let (mut m, mut fields) = (M::default(), 0);
        let mut i = 0;
        loop {
            self.0.enter(|| Seg::Index(i));
            let r = seq.next_element_seed(MergeMapSeed::<M>(self.0, PhantomData));
            self.0.leave();
            match r {
                Ok(Some((mut next, next_fields))) => {
                    merge_into(&mut m, &mut fields, &mut next, next_fields);
                }
                Ok(None) => return Ok((m, fields)),
                Err(e) => {
                    self.0.push(Seg::Index(i));
                    return Err(e);
                }
            }
            i += 1;
        }
    }
}

/// One mapping of a merge key's list.
struct MergeMapSeed<'c, M>(&'c Ctx, PhantomData<M>);

impl<'de, M: Message> DeserializeSeed<'de> for MergeMapSeed<'_, M> {
    type Value = (M, u64);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(M, u64), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, M: Message> Visitor<'de> for MergeMapSeed<'_, M> {
    type Value = (M, u64);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a mapping to merge ({})", M::PROTO)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(M, u64), A::Error> {
        read_fields(self.0, map)
    }
}

/// An optional (singular) message field.
pub(crate) struct Msg<M>(PhantomData<M>);

struct OptMsgVisitor<'c, M>(MsgVisitor<'c, M>);

impl<'de, M: Message> Visitor<'de> for OptMsgVisitor<'_, M> {
    type Value = Option<M>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self.0).map(Some)
    }
}

impl<M: Message> Codec for Msg<M> {
    type T = Option<M>;
    fn is_default(v: &Self::T) -> bool {
        v.is_none()
    }
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(m) => ser::Serialize::serialize(&MsgSer(m), s),
            None => s.serialize_none(),
        }
    }
    fn de<'de, D: Deserializer<'de>>(ctx: &Ctx, d: D, slot: &mut Self::T) -> Result<(), D::Error> {
        *slot = d.deserialize_option(OptMsgVisitor(MsgVisitor::<M>::new(ctx)))?;
        Ok(())
    }
}

/// A repeated message field.
pub(crate) struct Rep<M>(PhantomData<M>);

struct RepVisitor<'c, M>(&'c Ctx, PhantomData<M>);

struct ElemSeed<'c, M>(&'c Ctx, PhantomData<M>);

impl<'de, M: Message> DeserializeSeed<'de> for ElemSeed<'_, M> {
    type Value = M;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<M, D::Error> {
        match d.deserialize_option(OptMsgVisitor(MsgVisitor::<M>::new(self.0)))? {
            Some(m) => Ok(m),
            None => Err(de::Error::custom(
                "null is not allowed as an element of a repeated field",
            )),
        }
    }
}

impl<'de, M: Message> Visitor<'de> for RepVisitor<'_, M> {
    type Value = Option<Vec<M>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON array of {}", M::PROTO)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        loop {
            self.0.enter(|| Seg::Index(out.len()));
            let r = seq.next_element_seed(ElemSeed::<M>(self.0, PhantomData));
            self.0.leave();
            match r {
                Ok(Some(m)) => out.push(m),
                Ok(None) => return Ok(Some(out)),
                Err(e) => {
                    self.0.push(Seg::Index(out.len()));
                    return Err(e);
                }
            }
        }
    }
}

struct SeqSer<'a, M>(&'a [M]);

impl<M: Message> ser::Serialize for SeqSer<'_, M> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for (i, m) in self.0.iter().enumerate() {
            seq.serialize_element(&MsgSer(m))
                .map_err(|e| ser_prefix(format_args!("[{i}]"), &e))?;
        }
        seq.end()
    }
}

impl<M: Message> Codec for Rep<M> {
    type T = Vec<M>;
    fn is_default(v: &Self::T) -> bool {
        v.is_empty()
    }
    fn ser<S: Serializer>(v: &Self::T, s: S) -> Result<S::Ok, S::Error> {
        ser::Serialize::serialize(&SeqSer(v), s)
    }
    fn de<'de, D: Deserializer<'de>>(ctx: &Ctx, d: D, slot: &mut Self::T) -> Result<(), D::Error> {
        *slot = d
            .deserialize_option(RepVisitor::<M>(ctx, PhantomData))?
            .unwrap_or_default();
        Ok(())
    }
}
