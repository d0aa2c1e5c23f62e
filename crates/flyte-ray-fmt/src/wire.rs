//! The fast path: text format and `short_string` printed straight from the
//! protobuf wire bytes with a schema derived once from the descriptors.
//!
//! It only takes input whose printing cannot depend on decoding subtleties:
//! known fields in field-number order, no singular field or oneof set twice,
//! map entries `key` then `value` with strictly increasing keys, valid UTF-8,
//! expected wire types. [`validate`] checks that up front; anything else
//! (and any error) goes to the [`prost_reflect::DynamicMessage`] path, which
//! is the reference. The canonical bytes the workspace hands out, and the
//! golden cases, always take the fast path.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::OnceLock;

use prost_reflect::{DescriptorPool, Kind};

use crate::scalar::Scalar;
use crate::text::push_indent;

/// Nesting depth beyond which the fast path gives up (prost's limit is 100).
const MAX_DEPTH: u32 = 64;

/// A field's type, as needed to read and print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Double,
    Float,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Sint32,
    Sint64,
    Fixed32,
    Fixed64,
    Sfixed32,
    Sfixed64,
    Bool,
    String,
    Bytes,
    /// Index into [`Schema::enums`].
    Enum(usize),
    /// Index into [`Schema::messages`].
    Message(usize),
}

impl Ty {
    /// The wire type an unpacked value of this type has.
    fn wire_type(self) -> u8 {
        match self {
            Ty::Double | Ty::Fixed64 | Ty::Sfixed64 => 1,
            Ty::Float | Ty::Fixed32 | Ty::Sfixed32 => 5,
            Ty::String | Ty::Bytes | Ty::Message(_) => 2,
            _ => 0,
        }
    }
}

/// How a field holds values.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Card {
    Single,
    List,
    Map { key: Ty, value: Ty },
}

#[derive(Debug)]
pub(crate) struct FieldInfo {
    number: u32,
    name: Box<str>,
    ty: Ty,
    card: Card,
    /// Explicit presence: printed even at its default value.
    presence: bool,
    /// Index of the containing oneof within the message.
    oneof: Option<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct MsgInfo {
    /// Sorted by number.
    fields: Vec<FieldInfo>,
}

impl MsgInfo {
    fn field(&self, number: u32) -> Option<&FieldInfo> {
        self.fields
            .binary_search_by_key(&number, |f| f.number)
            .ok()
            .and_then(|i| self.fields.get(i))
    }
}

/// Every message and enum of the pool, by index.
#[derive(Debug, Default)]
pub(crate) struct Schema {
    messages: Vec<MsgInfo>,
    by_name: HashMap<String, usize>,
    /// Per enum: (number, name) sorted by number, first name per number.
    enums: Vec<Vec<(i32, Box<str>)>>,
}

impl Schema {
    fn build(pool: &DescriptorPool) -> Schema {
        let by_name: HashMap<String, usize> = pool
            .all_messages()
            .enumerate()
            .map(|(i, m)| (m.full_name().to_owned(), i))
            .collect();
        let enum_index: HashMap<String, usize> = pool
            .all_enums()
            .enumerate()
            .map(|(i, e)| (e.full_name().to_owned(), i))
            .collect();
        let enums = pool
            .all_enums()
            .map(|e| {
                let mut values: Vec<(i32, Box<str>)> = Vec::new();
                for v in e.values() {
                    let n = v.number();
                    if values.iter().all(|(m, _)| *m != n) {
                        let name = e
                            .get_value(n)
                            .map_or_else(|| v.name().into(), |d| d.name().into());
                        values.push((n, name));
                    }
                }
                values.sort_by_key(|(n, _)| *n);
                values
            })
            .collect();
        let ty_of = |kind: &Kind| -> Option<Ty> {
            Some(match kind {
                Kind::Double => Ty::Double,
                Kind::Float => Ty::Float,
                Kind::Int32 => Ty::Int32,
                Kind::Int64 => Ty::Int64,
                Kind::Uint32 => Ty::Uint32,
                Kind::Uint64 => Ty::Uint64,
                Kind::Sint32 => Ty::Sint32,
                Kind::Sint64 => Ty::Sint64,
                Kind::Fixed32 => Ty::Fixed32,
                Kind::Fixed64 => Ty::Fixed64,
                Kind::Sfixed32 => Ty::Sfixed32,
                Kind::Sfixed64 => Ty::Sfixed64,
                Kind::Bool => Ty::Bool,
                Kind::String => Ty::String,
                Kind::Bytes => Ty::Bytes,
                Kind::Enum(e) => Ty::Enum(*enum_index.get(e.full_name())?),
                Kind::Message(m) => Ty::Message(*by_name.get(m.full_name())?),
            })
        };
        let messages = pool
            .all_messages()
            .map(|m| {
                let oneofs: Vec<String> = m.oneofs().map(|o| o.full_name().to_owned()).collect();
                let mut fields = Vec::new();
                for f in m.fields() {
                    // Groups take the slow path (they never reach `fields`).
                    if f.is_group() {
                        continue;
                    }
                    let kind = f.kind();
                    let card = if f.is_map() {
                        let Kind::Message(entry) = &kind else {
                            continue;
                        };
                        let (Some(key), Some(value)) = (
                            ty_of(&entry.map_entry_key_field().kind()),
                            ty_of(&entry.map_entry_value_field().kind()),
                        ) else {
                            continue;
                        };
                        Card::Map { key, value }
                    } else if f.is_list() {
                        Card::List
                    } else {
                        Card::Single
                    };
                    let Some(ty) = ty_of(&kind) else { continue };
                    fields.push(FieldInfo {
                        number: f.number(),
                        name: f.name().into(),
                        ty,
                        card,
                        presence: f.supports_presence(),
                        oneof: f
                            .containing_oneof()
                            .and_then(|o| oneofs.iter().position(|n| n == o.full_name())),
                    });
                }
                fields.sort_by_key(|f| f.number);
                MsgInfo { fields }
            })
            .collect();
        Schema {
            messages,
            by_name,
            enums,
        }
    }

    /// Index of a message by full name.
    pub(crate) fn message_index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    fn msg(&self, index: usize) -> Option<&MsgInfo> {
        self.messages.get(index)
    }

    fn enum_name(&self, index: usize, number: i32) -> Option<&str> {
        let values = self.enums.get(index)?;
        let i = values.binary_search_by_key(&number, |(n, _)| *n).ok()?;
        values.get(i).map(|(_, name)| &**name)
    }
}

/// The schema of [`crate::pool`], built once.
pub(crate) fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::build(crate::pool()))
}

/// One field's payload on the wire.
#[derive(Debug, Clone, Copy)]
enum Payload<'a> {
    Varint(u64),
    Fixed64(u64),
    Fixed32(u32),
    Len(&'a [u8]),
}

/// A cursor over wire records.
#[derive(Debug, Clone, Copy)]
struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A varint of at most 10 bytes; like prost (and upb), a tenth byte
    /// above 1 overflows 64 bits and is invalid.
    fn varint(&mut self) -> Option<u64> {
        // Most keys and lengths take one byte.
        if let [b, rest @ ..] = self.buf
            && *b < 0x80
        {
            self.buf = rest;
            return Some(u64::from(*b));
        }
        let mut v: u64 = 0;
        for (i, &b) in self.buf.iter().enumerate().take(10) {
            v |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                if i == 9 && b > 1 {
                    return None;
                }
                self.buf = &self.buf[i + 1..];
                return Some(v);
            }
        }
        None
    }

    fn fixed64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn fixed32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.buf.len() {
            return None;
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Some(head)
    }

    /// The next record, `None` at the end, `Some(Err)` when malformed.
    fn record(&mut self) -> Option<Result<(u32, u8, Payload<'a>), ()>> {
        if self.buf.is_empty() {
            return None;
        }
        Some(self.record_inner().ok_or(()))
    }

    fn record_inner(&mut self) -> Option<(u32, u8, Payload<'a>)> {
        let key = self.varint()?;
        let wt = u8::try_from(key & 7).ok()?;
        let number = u32::try_from(key >> 3).ok()?;
        if number == 0 || number > 0x1fff_ffff {
            return None;
        }
        let payload = match wt {
            0 => Payload::Varint(self.varint()?),
            1 => Payload::Fixed64(self.fixed64()?),
            5 => Payload::Fixed32(self.fixed32()?),
            2 => {
                let len = usize::try_from(self.varint()?).ok()?;
                Payload::Len(self.take(len)?)
            }
            _ => return None,
        };
        Some((number, wt, payload))
    }
}

/// Reads one scalar of type `ty` from `payload` (`None` for messages or a
/// wire-type mismatch, or invalid UTF-8).
fn scalar(ty: Ty, payload: Payload<'_>) -> Option<Scalar<'_>> {
    Some(match (ty, payload) {
        (Ty::Double, Payload::Fixed64(v)) => Scalar::F64(f64::from_bits(v)),
        (Ty::Float, Payload::Fixed32(v)) => Scalar::F32(f32::from_bits(v)),
        (Ty::Fixed64, Payload::Fixed64(v)) => Scalar::U64(v),
        (Ty::Sfixed64, Payload::Fixed64(v)) => Scalar::I64(v as i64),
        (Ty::Fixed32, Payload::Fixed32(v)) => Scalar::U32(v),
        (Ty::Sfixed32, Payload::Fixed32(v)) => Scalar::I32(v as i32),
        (Ty::Int32, Payload::Varint(v)) => Scalar::I32(v as i32),
        (Ty::Int64, Payload::Varint(v)) => Scalar::I64(v as i64),
        (Ty::Uint32, Payload::Varint(v)) => Scalar::U32(v as u32),
        (Ty::Uint64, Payload::Varint(v)) => Scalar::U64(v),
        (Ty::Sint32, Payload::Varint(v)) => {
            let v = v as u32;
            Scalar::I32(((v >> 1) as i32) ^ -((v & 1) as i32))
        }
        (Ty::Sint64, Payload::Varint(v)) => Scalar::I64(((v >> 1) as i64) ^ -((v & 1) as i64)),
        (Ty::Bool, Payload::Varint(v)) => Scalar::Bool(v != 0),
        (Ty::Enum(e), Payload::Varint(v)) => Scalar::Enum(e, v as i32),
        (Ty::String, Payload::Len(b)) => Scalar::Str(std::str::from_utf8(b).ok()?),
        (Ty::Bytes, Payload::Len(b)) => Scalar::Bytes(b),
        _ => return None,
    })
}

/// Whether `ty` may be packed in a repeated field.
fn packable(ty: Ty) -> bool {
    !matches!(ty, Ty::String | Ty::Bytes | Ty::Message(_))
}

/// Calls `each` for every element of a list record (packed or not).
fn list_elements<'a>(
    ty: Ty,
    wt: u8,
    payload: Payload<'a>,
    mut each: impl FnMut(Element<'a>) -> Result<(), Halt>,
) -> Result<(), Halt> {
    if wt == 2 && packable(ty) {
        let Payload::Len(mut b) = payload else {
            return Err(Halt::Invalid);
        };
        while !b.is_empty() {
            let mut r = Reader { buf: b };
            let p = match ty.wire_type() {
                0 => Payload::Varint(r.varint().ok_or(Halt::Invalid)?),
                1 => Payload::Fixed64(r.fixed64().ok_or(Halt::Invalid)?),
                _ => Payload::Fixed32(r.fixed32().ok_or(Halt::Invalid)?),
            };
            b = r.buf;
            each(Element::Scalar(scalar(ty, p).ok_or(Halt::Invalid)?))?;
        }
        return Ok(());
    }
    each(element(ty, wt, payload)?)
}

/// A value of a singular field, a list element or a map key/value.
#[derive(Debug, Clone, Copy)]
enum Element<'a> {
    Scalar(Scalar<'a>),
    /// Encoded message and its schema index.
    Message(&'a [u8], usize),
}

fn element(ty: Ty, wt: u8, payload: Payload<'_>) -> Result<Element<'_>, Halt> {
    if wt != ty.wire_type() {
        return Err(Halt::Invalid);
    }
    match (ty, payload) {
        (Ty::Message(m), Payload::Len(b)) => Ok(Element::Message(b, m)),
        _ => scalar(ty, payload)
            .map(Element::Scalar)
            .ok_or(Halt::Invalid),
    }
}

/// The default value of a map key or value missing from its entry.
fn default_element(ty: Ty) -> Element<'static> {
    Element::Scalar(match ty {
        Ty::Double => Scalar::F64(0.0),
        Ty::Float => Scalar::F32(0.0),
        Ty::Int32 | Ty::Sint32 | Ty::Sfixed32 => Scalar::I32(0),
        Ty::Int64 | Ty::Sint64 | Ty::Sfixed64 => Scalar::I64(0),
        Ty::Uint32 | Ty::Fixed32 => Scalar::U32(0),
        Ty::Uint64 | Ty::Fixed64 => Scalar::U64(0),
        Ty::Bool => Scalar::Bool(false),
        Ty::String => Scalar::Str(""),
        Ty::Bytes => Scalar::Bytes(&[]),
        Ty::Enum(e) => Scalar::Enum(e, 0),
        Ty::Message(m) => return Element::Message(&[], m),
    })
}

/// Reads a map entry: key then value, each at most once, nothing else.
fn map_entry(key_ty: Ty, value_ty: Ty, buf: &[u8]) -> Result<(Element<'_>, Element<'_>), Halt> {
    let mut r = Reader { buf };
    let mut key = None;
    let mut value = None;
    while let Some(rec) = r.record() {
        let (number, wt, payload) = rec.map_err(|()| Halt::Invalid)?;
        match number {
            1 if key.is_none() && value.is_none() => key = Some(element(key_ty, wt, payload)?),
            2 if value.is_none() => value = Some(element(value_ty, wt, payload)?),
            _ => return Err(Halt::Invalid),
        }
    }
    Ok((
        key.unwrap_or_else(|| default_element(key_ty)),
        value.unwrap_or_else(|| default_element(value_ty)),
    ))
}

/// Why printing stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Halt {
    /// The input is outside what the fast path takes: use the slow path.
    Invalid,
    /// The output reached its limit (see [`Printer::limit`]).
    Capped,
}

/// Checks that `buf` is a message `index` the fast path prints exactly as the
/// reference path would.
pub(crate) fn validate(schema: &Schema, buf: &[u8], index: usize, depth: u32) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let Some(info) = schema.msg(index) else {
        return false;
    };
    let mut r = Reader { buf };
    let mut last = 0u32;
    let mut prev_any = 0u32;
    let mut oneofs = 0u64;
    let mut last_key: Option<Scalar<'_>> = None;
    while let Some(rec) = r.record() {
        let Ok((number, wt, payload)) = rec else {
            return false;
        };
        let prev = std::mem::replace(&mut prev_any, number);
        let Some(field) = info.field(number) else {
            // Unknown fields are not printed.
            continue;
        };
        // Known fields in number order, a list or map in one run of records.
        if number < last
            || (number == last && (matches!(field.card, Card::Single) || prev != number))
        {
            return false;
        }
        if number != last {
            last_key = None;
        }
        last = number;
        if let Some(o) = field.oneof {
            if o >= 64 || oneofs & (1 << o) != 0 {
                return false;
            }
            oneofs |= 1 << o;
        }
        let ok = match field.card {
            Card::Single => match element(field.ty, wt, payload) {
                Ok(Element::Message(b, m)) => validate(schema, b, m, depth + 1),
                Ok(Element::Scalar(_)) => true,
                Err(_) => false,
            },
            Card::List => list_elements(field.ty, wt, payload, |e| match e {
                Element::Message(b, m) if !validate(schema, b, m, depth + 1) => Err(Halt::Invalid),
                _ => Ok(()),
            })
            .is_ok(),
            Card::Map { key, value } => {
                let Payload::Len(b) = payload else {
                    return false;
                };
                match map_entry(key, value, b) {
                    Ok((Element::Scalar(k), v)) => {
                        let increasing = last_key.is_none_or(|prev| prev.key_lt(&k) == Some(true));
                        last_key = Some(k);
                        increasing
                            && match v {
                                Element::Message(b, m) => validate(schema, b, m, depth + 1),
                                Element::Scalar(_) => true,
                            }
                    }
                    _ => false,
                }
            }
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Prints validated wire bytes (or canonical ones: see
/// `crate::short_string_canonical`).
pub(crate) struct Printer<'s> {
    pub(crate) schema: &'s Schema,
    /// Stop with [`Halt::Capped`] once the output is longer than this.
    pub(crate) limit: usize,
    /// Messages being printed, outermost included: past [`MAX_DEPTH`] the
    /// printer gives up with [`Halt::Invalid`], as [`validate`] does, so
    /// unvalidated input cannot recurse without bound.
    pub(crate) depth: Cell<u32>,
}

/// Leaves one level of [`Printer::depth`] when dropped.
struct Level<'p>(&'p Cell<u32>);

impl Drop for Level<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

impl Printer<'_> {
    /// Enters one more level of nesting.
    fn enter(&self) -> Result<Level<'_>, Halt> {
        let depth = self.depth.get() + 1;
        if depth > MAX_DEPTH + 1 {
            return Err(Halt::Invalid);
        }
        self.depth.set(depth);
        Ok(Level(&self.depth))
    }

    fn check(&self, out: &str) -> Result<(), Halt> {
        if out.len() > self.limit {
            Err(Halt::Capped)
        } else {
            Ok(())
        }
    }

    fn info(&self, index: usize) -> Result<&MsgInfo, Halt> {
        self.schema.msg(index).ok_or(Halt::Invalid)
    }

    fn enum_name(&self, s: &Scalar<'_>) -> Option<&str> {
        match s {
            Scalar::Enum(e, n) => self.schema.enum_name(*e, *n),
            _ => None,
        }
    }

    /// Text format of a message.
    pub(crate) fn text(
        &self,
        out: &mut String,
        buf: &[u8],
        index: usize,
        indent: usize,
    ) -> Result<(), Halt> {
        let _level = self.enter()?;
        let info = self.info(index)?;
        let mut r = Reader { buf };
        while let Some(rec) = r.record() {
            self.check(out)?;
            let (number, wt, payload) = rec.map_err(|()| Halt::Invalid)?;
            let Some(field) = info.field(number) else {
                continue;
            };
            match field.card {
                Card::Single => {
                    let e = element(field.ty, wt, payload)?;
                    if let Element::Scalar(s) = e
                        && !field.presence
                        && s.is_default()
                    {
                        continue;
                    }
                    self.text_line(out, &field.name, e, indent)?;
                }
                Card::List => list_elements(field.ty, wt, payload, |e| {
                    self.text_line(out, &field.name, e, indent)
                })?,
                Card::Map { key, value } => {
                    let Payload::Len(b) = payload else {
                        return Err(Halt::Invalid);
                    };
                    let (k, v) = map_entry(key, value, b)?;
                    push_indent(out, indent);
                    out.push_str(&field.name);
                    out.push_str(" {\n");
                    self.text_line(out, "key", k, indent + 2)?;
                    self.text_line(out, "value", v, indent + 2)?;
                    push_indent(out, indent);
                    out.push_str("}\n");
                }
            }
        }
        Ok(())
    }

    fn text_line(
        &self,
        out: &mut String,
        name: &str,
        e: Element<'_>,
        indent: usize,
    ) -> Result<(), Halt> {
        push_indent(out, indent);
        out.push_str(name);
        match e {
            Element::Message(b, m) => {
                out.push_str(" {\n");
                self.text(out, b, m, indent + 2)?;
                push_indent(out, indent);
                out.push_str("}\n");
            }
            Element::Scalar(s) => {
                out.push_str(": ");
                s.push_text(out, self.enum_name(&s));
                out.push('\n');
            }
        }
        Ok(())
    }

    /// Whether a message has a field `ListFields()` would return.
    fn has_set_field(&self, buf: &[u8], index: usize) -> Result<bool, Halt> {
        let info = self.info(index)?;
        let mut r = Reader { buf };
        while let Some(rec) = r.record() {
            let (number, wt, payload) = rec.map_err(|()| Halt::Invalid)?;
            let Some(field) = info.field(number) else {
                continue;
            };
            let set = match field.card {
                Card::Single => match element(field.ty, wt, payload)? {
                    Element::Message(..) => true,
                    Element::Scalar(s) => field.presence || !s.is_default(),
                },
                Card::List => {
                    !matches!(payload, Payload::Len(b) if b.is_empty() && wt == 2 && packable(field.ty))
                }
                Card::Map { .. } => true,
            };
            if set {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `_repr_idl_yaml_like(msg, indent)`; `scratch` is reused for values.
    pub(crate) fn yaml(
        &self,
        out: &mut String,
        buf: &[u8],
        index: usize,
        indent: usize,
    ) -> Result<(), Halt> {
        let _level = self.enter()?;
        let info = self.info(index)?;
        let mut r = Reader { buf };
        let mut scratch = String::new();
        while let Some(rec) = r.record() {
            let (number, wt, payload) = rec.map_err(|()| Halt::Invalid)?;
            let Some(field) = info.field(number) else {
                continue;
            };
            let value = match field.card {
                Card::Single => {
                    let e = element(field.ty, wt, payload)?;
                    match e {
                        Element::Message(b, m) => {
                            if self.has_set_field(b, m)? {
                                push_indent(out, indent);
                                out.push_str(&field.name);
                                out.push_str(":\n");
                                self.yaml(out, b, m, indent + 2)?;
                            }
                            continue;
                        }
                        Element::Scalar(s) => {
                            if !field.presence && s.is_default() {
                                continue;
                            }
                            scratch.clear();
                            match s {
                                Scalar::Str(text) => scratch.push_str(text),
                                s => s.push_py_repr(&mut scratch),
                            }
                            crate::wrap::shorten(
                                &scratch,
                                crate::short::WIDTH,
                                crate::short::PLACEHOLDER,
                            )
                        }
                    }
                }
                Card::List | Card::Map { .. } => {
                    // The group: this record and the following ones of the same number.
                    let start = Reader { buf: r.buf };
                    let mut end = start;
                    loop {
                        let mut probe = end;
                        match probe.record() {
                            Some(Ok((n, _, _))) if n == number => end = probe,
                            _ => break,
                        }
                    }
                    r = end;
                    let first = (wt, payload);
                    let rest = RecordsUntil {
                        r: start,
                        end: end.buf.len(),
                    };
                    self.container_str(&mut scratch, field, first, rest)?
                }
            };
            if !value.is_empty() {
                push_indent(out, indent);
                out.push_str(&field.name);
                out.push_str(": ");
                out.push_str(&value);
                out.push('\n');
            }
        }
        Ok(())
    }

    /// `shorten(str(container))` for a list or map field.
    fn container_str<'a>(
        &self,
        scratch: &mut String,
        field: &FieldInfo,
        first: (u8, Payload<'a>),
        rest: RecordsUntil<'a>,
    ) -> Result<String, Halt> {
        // Build a prefix first; most values are cut at 80 characters.
        for limit in [PREFIX_LIMIT, usize::MAX] {
            scratch.clear();
            let capped = Printer {
                schema: self.schema,
                limit,
                depth: Cell::new(self.depth.get()),
            };
            match capped.container(scratch, field, first, rest) {
                Ok(()) => {
                    return Ok(crate::wrap::shorten(
                        scratch,
                        crate::short::WIDTH,
                        crate::short::PLACEHOLDER,
                    ));
                }
                Err(Halt::Capped) => {
                    if let Some(s) = crate::wrap::shorten_prefix(
                        scratch,
                        crate::short::WIDTH,
                        crate::short::PLACEHOLDER,
                    ) {
                        return Ok(s);
                    }
                }
                Err(Halt::Invalid) => return Err(Halt::Invalid),
            }
        }
        Err(Halt::Invalid)
    }

    fn container<'a>(
        &self,
        out: &mut String,
        field: &FieldInfo,
        first: (u8, Payload<'a>),
        mut rest: RecordsUntil<'a>,
    ) -> Result<(), Halt> {
        let mut next = Some(first);
        let mut count = 0usize;
        let map = matches!(field.card, Card::Map { .. });
        out.push(if map { '{' } else { '[' });
        while let Some((wt, payload)) = next {
            match field.card {
                Card::Map { key, value } => {
                    let Payload::Len(b) = payload else {
                        return Err(Halt::Invalid);
                    };
                    let (k, v) = map_entry(key, value, b)?;
                    if count > 0 {
                        out.push_str(", ");
                    }
                    count += 1;
                    self.repr(out, k)?;
                    out.push_str(": ");
                    self.repr(out, v)?;
                }
                _ => list_elements(field.ty, wt, payload, |e| {
                    if count > 0 {
                        out.push_str(", ");
                    }
                    count += 1;
                    self.repr(out, e)
                })?,
            }
            self.check(out)?;
            next = rest.next_payload()?;
        }
        out.push(if map { '}' } else { ']' });
        Ok(())
    }

    fn repr(&self, out: &mut String, e: Element<'_>) -> Result<(), Halt> {
        match e {
            Element::Message(b, m) => self.text(out, b, m, 0),
            Element::Scalar(s) => {
                s.push_py_repr(out);
                Ok(())
            }
        }
    }
}

/// Bytes of a container's value built before trying to shorten a prefix.
const PREFIX_LIMIT: usize = 400;

/// The records after the first of a group, up to a stop offset (counted as
/// bytes left in the buffer).
#[derive(Debug, Clone, Copy)]
struct RecordsUntil<'a> {
    r: Reader<'a>,
    end: usize,
}

impl<'a> RecordsUntil<'a> {
    fn next_payload(&mut self) -> Result<Option<(u8, Payload<'a>)>, Halt> {
        if self.r.buf.len() <= self.end {
            return Ok(None);
        }
        match self.r.record() {
            Some(Ok((_, wt, payload))) => Ok(Some((wt, payload))),
            Some(Err(())) => Err(Halt::Invalid),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Value { list_value { values { ... } } }` nested `levels` times.
    fn nested_lists(levels: usize) -> Vec<u8> {
        let mut value: Vec<u8> = vec![0x1a, 0x01, b'x'];
        for _ in 0..levels {
            let mut list = vec![0x0a];
            push_len(&mut list, value.len());
            list.extend_from_slice(&value);
            let mut outer = vec![0x32];
            push_len(&mut outer, list.len());
            outer.extend_from_slice(&list);
            value = outer;
        }
        value
    }

    fn push_len(out: &mut Vec<u8>, mut n: usize) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    /// Without a cap the printer recurses once per message: it stops with
    /// `Invalid` past `MAX_DEPTH` (65 messages, as `validate` allows), so
    /// unchecked input cannot exhaust the stack. 32 list levels are 65
    /// messages (each level a ListValue and a Value, plus the innermost
    /// Value); 33 are 67.
    #[test]
    fn printer_depth_is_bounded() {
        let schema = schema();
        let Some(index) = schema.message_index("google.protobuf.Value") else {
            panic!("Value is in the schema");
        };
        let print = |bytes: &[u8]| {
            let printer = Printer {
                schema,
                limit: usize::MAX,
                depth: Cell::new(0),
            };
            let mut out = String::new();
            printer.text(&mut out, bytes, index, 0)
        };
        assert_eq!(print(&nested_lists(32)), Ok(()));
        assert_eq!(print(&nested_lists(33)), Err(Halt::Invalid));
        assert_eq!(print(&nested_lists(100_000)), Err(Halt::Invalid));
        // validate draws the line at the same place.
        assert!(validate(schema, &nested_lists(32), index, 0));
        assert!(!validate(schema, &nested_lists(33), index, 0));
    }
}
