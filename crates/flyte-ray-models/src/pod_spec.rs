//! The pod spec of a [`K8sPod`](crate::K8sPod): a `google.protobuf.Struct`,
//! kept either as a `Struct` or as its canonical encoding.
//!
//! A pod spec is most of a Ray job's bytes, and a `Struct` costs an
//! allocation per node (a `BTreeMap` per object, a `String` per key, a `Vec`
//! per list). Decoding bytes or reading JSON into that tree is what made both
//! slow. So a pod spec that arrives as bytes or as JSON is kept as the bytes
//! [`CanonicalEncode`] would write for it — checked, not trusted — and turned
//! into a `Struct` only when someone asks for one ([`PodSpec::as_struct`],
//! cached). Encoding it is then a copy, and JSON is written straight from the
//! bytes.
//!
//! *Canonical* means exactly the encoding of the decoded `Struct`: entries
//! sorted by key with no duplicate, key and value always written, every
//! `Value` holding at most one field, minimal varints, bools as 0 or 1.
//! [`scan`] accepts a byte string only if it is canonical, so for the bytes
//! kept `encode(decode(bytes)) == bytes` holds, and two pod specs are equal
//! exactly when their encodings are (numbers compare bit for bit: `-0.0` is
//! not `0.0`, and a NaN equals the same NaN).

use std::fmt;
use std::sync::OnceLock;

use flyte_ray_idl::canonical::{CanonicalEncode, put_varint};
use prost_types::Struct;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq};

use crate::cursor::Cursor;
use crate::pod_unknown::{self, SNode, Seen};
use crate::wire::WireDepth;

/// What a scan learns about an encoded `Struct`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    /// [`WireDepth`] of the `Struct`.
    pub(crate) wire_depth: usize,
    /// Deepest JSON path (keys and indexes from the root) of an object or
    /// array, as `flyte_ray_k8s`'s serializer counts it against
    /// [`flyte_ray_k8s::MAX_DEPTH`].
    pub(crate) json_depth: usize,
    /// Some number is NaN or infinite (JSON cannot carry it).
    pub(crate) non_finite: bool,
}

/// A pod spec kept as its canonical encoding.
#[derive(Clone)]
pub(crate) struct Encoded {
    bytes: Vec<u8>,
    shape: Shape,
    decoded: OnceLock<Struct>,
    /// The bytes hold unknown fields ([`crate::pod_unknown`]): canonical
    /// but for them.
    unknown: bool,
}

/// A pod spec: a `Struct`, or its canonical encoding.
#[derive(Clone)]
pub(crate) enum PodSpec {
    /// Built in code, or decoded by the general (prost) path.
    Struct(Struct),
    /// Read from bytes or text; checked canonical.
    Encoded(Encoded),
}

impl PodSpec {
    /// Checked canonical bytes with their shape, or `None` when `bytes` are
    /// not the canonical encoding of a `Struct` nesting at most
    /// `max_level` JSON levels.
    pub(crate) fn from_canonical(bytes: &[u8], max_level: usize) -> Option<Self> {
        let shape = scan(bytes, max_level)?;
        Some(PodSpec::Encoded(Encoded {
            bytes: bytes.to_vec(),
            shape,
            decoded: OnceLock::new(),
            unknown: false,
        }))
    }

    /// A pod spec whose bytes are not canonical, decoded as prost decodes
    /// a `Struct` — or, when they hold a field `Struct`, `Value` or
    /// `ListValue` does not know, as upb decodes them, unknown fields kept
    /// (see [`crate::pod_unknown`]). `level`: how deep the `Struct` nests
    /// in the whole message. `None` when they are malformed or nest too
    /// deeply (the general path then decides).
    pub(crate) fn from_noncanonical(bytes: &[u8], level: usize) -> Option<Self> {
        let mut tree = SNode::default();
        let mut seen = Seen::default();
        pod_unknown::merge_struct(&mut tree, bytes, level, &mut seen)?;
        if seen.unknown {
            return Some(Self::from_tree(&tree));
        }
        <Struct as prost::Message>::decode(bytes)
            .ok()
            .map(PodSpec::Struct)
    }

    /// The pod spec of a tree holding unknown fields: its upb encoding.
    fn from_tree(tree: &SNode) -> Self {
        let (mut json_depth, mut non_finite) = (0, false);
        pod_unknown::json_shape(tree, 0, &mut json_depth, &mut non_finite);
        PodSpec::Encoded(Encoded {
            bytes: pod_unknown::write_struct(tree, true),
            shape: Shape {
                wire_depth: pod_unknown::struct_depth(tree),
                json_depth,
                non_finite,
            },
            decoded: OnceLock::new(),
            unknown: true,
        })
    }

    /// Merges a second occurrence of the pod spec field into this one, as
    /// prost and upb do (later entries replace earlier ones, unknown fields
    /// append); `None` as for [`from_noncanonical`](Self::from_noncanonical).
    pub(crate) fn merge_noncanonical(&mut self, bytes: &[u8], level: usize) -> Option<()> {
        let mut probe = SNode::default();
        let mut seen = Seen::default();
        pod_unknown::merge_struct(&mut probe, bytes, level, &mut seen)?;
        if !seen.unknown && !self.has_unknown() {
            return prost::Message::merge(self.make_struct()?, bytes).ok();
        }
        let mut tree = SNode::default();
        let mut seen = Seen::default();
        pod_unknown::merge_struct(&mut tree, &self.encoding(), level, &mut seen)?;
        pod_unknown::merge_struct(&mut tree, bytes, level, &mut seen)?;
        *self = Self::from_tree(&tree);
        Some(())
    }

    /// Whether the pod spec holds fields `Struct`, `Value` or `ListValue`
    /// do not know (read from bytes).
    pub(crate) fn has_unknown(&self) -> bool {
        matches!(self, PodSpec::Encoded(e) if e.unknown)
    }

    /// Appends the unknown fields inside the pod spec, which is at `path`.
    pub(crate) fn collect_unknown(&self, path: &str, out: &mut Vec<crate::UnknownField>) {
        if let PodSpec::Encoded(e) = self
            && e.unknown
            && let Some(tree) = pod_unknown::parse(&e.bytes)
        {
            pod_unknown::collect_struct(&tree, path, out);
        }
    }

    /// Drops the unknown fields inside the pod spec (and the map entries
    /// kept as unknown fields, as upb's `DiscardUnknownFields` does).
    pub(crate) fn strip_unknown(&mut self) {
        if let PodSpec::Encoded(e) = self
            && e.unknown
        {
            let s = pod_unknown::parse(&e.bytes).map(pod_unknown::to_struct);
            debug_assert!(s.is_some(), "kept pod spec bytes do not decode");
            *self = PodSpec::Struct(s.unwrap_or_default());
        }
    }

    /// The pod spec as a `Struct` (decoded on first use, then cached).
    pub(crate) fn as_struct(&self) -> &Struct {
        match self {
            PodSpec::Struct(s) => s,
            PodSpec::Encoded(e) => e.decoded.get_or_init(|| e.decode()),
        }
    }

    /// The pod spec as a `Struct`, mutably; an encoded pod spec becomes a
    /// `Struct` for good (its bytes would go stale).
    pub(crate) fn make_struct(&mut self) -> Option<&mut Struct> {
        if let PodSpec::Encoded(e) = self {
            let s = e.decoded.take().unwrap_or_else(|| e.decode());
            *self = PodSpec::Struct(s);
        }
        match self {
            PodSpec::Struct(s) => Some(s),
            PodSpec::Encoded(_) => None, // replaced just above
        }
    }

    /// The pod spec as a `Struct`, moved out (or decoded).
    pub(crate) fn into_struct(self) -> Struct {
        match self {
            PodSpec::Struct(s) => s,
            PodSpec::Encoded(e) => match e.decoded.into_inner() {
                Some(s) => s,
                None if e.unknown => known_part(&e.bytes),
                None => decode(&e.bytes),
            },
        }
    }

    /// The canonical encoding (borrowed when kept encoded).
    pub(crate) fn encoding(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            PodSpec::Struct(s) => std::borrow::Cow::Owned(s.encode_canonical()),
            PodSpec::Encoded(e) => std::borrow::Cow::Borrowed(&e.bytes),
        }
    }
}

impl Encoded {
    fn decode(&self) -> Struct {
        if self.unknown {
            known_part(&self.bytes)
        } else {
            decode(&self.bytes)
        }
    }
}

/// The known part of pod spec bytes holding unknown fields.
fn known_part(bytes: &[u8]) -> Struct {
    let s = pod_unknown::parse(bytes).map(pod_unknown::to_struct);
    debug_assert!(s.is_some(), "kept pod spec bytes do not decode");
    s.unwrap_or_default()
}

/// Decodes checked canonical bytes into a `Struct`. Unlike prost's decoder
/// this has no recursion limit: a pod spec read from text may nest deeper
/// than protobuf allows (the readers refuse such a model, but only after
/// reading it), and must still be shown and compared.
fn decode(bytes: &[u8]) -> Struct {
    let decoded = decode_struct(bytes);
    debug_assert!(decoded.is_some(), "kept pod spec bytes do not decode");
    decoded.unwrap_or_default()
}

fn decode_struct(bytes: &[u8]) -> Option<Struct> {
    let mut fields = std::collections::BTreeMap::new();
    let mut c = Cursor::new(bytes);
    while !c.done() {
        let (key, value) = c.entry()?;
        fields.insert(
            std::str::from_utf8(key).ok()?.to_owned(),
            decode_value(value)?,
        );
    }
    Some(Struct { fields })
}

fn decode_value(bytes: &[u8]) -> Option<prost_types::Value> {
    use prost_types::value::Kind;
    let mut c = Cursor::new(bytes);
    let kind = match c.byte() {
        None => None,
        #[allow(clippy::cast_possible_truncation)] // an enum, as prost reads it
        Some(0x08) => Some(Kind::NullValue(c.minimal_varint()? as i32)),
        Some(0x11) => Some(Kind::NumberValue(f64::from_le_bytes(
            bytes.get(1..)?.try_into().ok()?,
        ))),
        Some(0x1a) => Some(Kind::StringValue(
            std::str::from_utf8(c.only_len_prefixed()?).ok()?.to_owned(),
        )),
        Some(0x20) => Some(Kind::BoolValue(c.byte()? != 0)),
        Some(0x2a) => Some(Kind::StructValue(decode_struct(c.only_len_prefixed()?)?)),
        Some(0x32) => {
            let mut l = Cursor::new(c.only_len_prefixed()?);
            let mut values = Vec::new();
            while !l.done() {
                values.push(decode_value(l.element()?)?);
            }
            Some(Kind::ListValue(prost_types::ListValue { values }))
        }
        Some(_) => return None,
    };
    Some(prost_types::Value { kind })
}

impl PartialEq for PodSpec {
    /// Equal when the canonical encodings are (numbers bit for bit).
    fn eq(&self, other: &Self) -> bool {
        self.encoding() == other.encoding()
    }
}

impl fmt::Debug for PodSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_struct().fmt(f)
    }
}

impl WireDepth for PodSpec {
    fn wire_depth(&self) -> usize {
        match self {
            PodSpec::Struct(s) => s.wire_depth(),
            PodSpec::Encoded(e) => e.shape.wire_depth,
        }
    }
}

impl CanonicalEncode for PodSpec {
    fn canonical_sizes(&self, sizes: &mut Vec<usize>) -> usize {
        match self {
            PodSpec::Struct(s) => s.canonical_sizes(sizes),
            PodSpec::Encoded(e) => e.bytes.len(),
        }
    }

    fn canonical_write(&self, sizes: &mut std::slice::Iter<'_, usize>, out: &mut Vec<u8>) {
        match self {
            PodSpec::Struct(s) => s.canonical_write(sizes, out),
            PodSpec::Encoded(e) => out.extend_from_slice(&e.bytes),
        }
    }
}

// ---- reading canonical bytes ----------------------------------------------------

impl<'a> Cursor<'a> {
    /// One canonical `Struct` entry ([`entry_at`]): its key and value.
    #[inline]
    fn entry(&mut self) -> Option<(&'a [u8], &'a [u8])> {
        let (key, value) = entry_at(self.bytes, self.pos, self.bytes.len())?;
        self.pos = value.end;
        Some((self.bytes.get(key)?, self.bytes.get(value)?))
    }

    /// One canonical `ListValue` element ([`element_at`]).
    #[inline]
    fn element(&mut self) -> Option<&'a [u8]> {
        let value = element_at(self.bytes, self.pos, self.bytes.len())?;
        self.pos = value.end;
        self.bytes.get(value)
    }
}

/// Whether `bytes` are UTF-8 (ASCII checked first: it is most keys and
/// strings, and much cheaper).
#[inline]
fn utf8(bytes: &[u8]) -> bool {
    crate::cursor::is_ascii(bytes) || std::str::from_utf8(bytes).is_ok()
}

/// The shape of `bytes` if they are the canonical encoding of a `Struct`
/// whose objects and arrays nest at most `max_level` JSON levels; `None`
/// otherwise (not canonical, malformed, invalid UTF-8, or too deep).
///
/// One pass, recursing into each object and list: the depth of the
/// recursion is bounded by `max_level` (two calls per level), which every
/// caller keeps small ([`crate::decode::MAX_LEVEL`],
/// [`flyte_ray_k8s::MAX_DEPTH`] + 1), so no frame stack is allocated.
pub(crate) fn scan(bytes: &[u8], max_level: usize) -> Option<Shape> {
    let mut s = Scan {
        bytes,
        max_level,
        shape: Shape::default(),
    };
    s.shape.wire_depth = s.object(0, bytes.len(), 0)?;
    Some(s.shape)
}

/// The state of one [`scan`].
struct Scan<'a> {
    bytes: &'a [u8],
    max_level: usize,
    shape: Shape,
}

impl Scan<'_> {
    /// The entries of the `Struct` body `bytes[pos..end]`, an object at JSON
    /// level `level`: its wire depth (an entry adds an entry message and a
    /// `Value` to the depth of what it holds).
    fn object(&mut self, mut pos: usize, end: usize, level: usize) -> Option<usize> {
        let bytes = self.bytes;
        let mut depth = 0;
        let mut prev: Option<&[u8]> = None;
        while pos < end {
            let (key, value) = entry_at(bytes, pos, end)?;
            let key = bytes.get(key)?;
            // Keys strictly ascending, as a BTreeMap<String, _> orders
            // them: sorted, no duplicate.
            if prev.is_some_and(|prev| !less(prev, key)) {
                return None;
            }
            prev = Some(key);
            let next = value.end;
            let d = self.value(pos, value, Some(key), level + 1)?;
            depth = depth.max(d + 2);
            pos = next;
        }
        Some(depth)
    }

    /// The elements of the `ListValue` body `bytes[pos..end]`, a list at
    /// JSON level `level`: its wire depth (an element adds a `Value`).
    fn list(&mut self, mut pos: usize, end: usize, level: usize) -> Option<usize> {
        let mut depth = 0;
        while pos < end {
            let value = element_at(self.bytes, pos, end)?;
            let next = value.end;
            let d = self.value(pos, value, None, level + 1)?;
            depth = depth.max(d + 1);
            pos = next;
        }
        Some(depth)
    }

    /// The `Value` body `bytes[value]`, at JSON level `level`, of the entry
    /// (with its `key`) or element starting at `start`: its wire depth.
    #[inline(always)] // once per node, from `object` and from `list`
    fn value(
        &mut self,
        start: usize,
        value: std::ops::Range<usize>,
        key: Option<&[u8]>,
        level: usize,
    ) -> Option<usize> {
        let bytes = self.bytes;
        let whole = bytes.get(start..value.end)?;
        let body = whole.get(value.start - start..)?;
        match body.first() {
            // An object or a list.
            Some(&tag @ (0x2a | 0x32)) => {
                if level > self.max_level || key.is_some_and(|k| !utf8(k)) {
                    return None;
                }
                self.shape.json_depth = self.shape.json_depth.max(level);
                let inner = Cursor::at(body, 1).only_len_prefixed()?;
                let inner_start = value.end - inner.len();
                let d = if tag == 0x2a {
                    self.object(inner_start, value.end, level)?
                } else {
                    self.list(inner_start, value.end, level)?
                };
                Some(1 + d)
            }
            _ => {
                // The entry (or element) is short: one ASCII check over all
                // of it covers the key and a string value (its other bytes,
                // tags and one-byte lengths, are ASCII whenever it passes).
                let ascii = crate::cursor::is_ascii(whole);
                if !ascii && key.is_some_and(|k| !utf8(k)) {
                    return None;
                }
                scalar(body, ascii, &mut self.shape)?;
                Some(0)
            }
        }
    }
}
/// The value of the `ListValue` element at `pos` (`0a <len> value`), which
/// must end by `end`.
#[inline(always)] // the scan's inner loop: called once per element
fn element_at(bytes: &[u8], pos: usize, end: usize) -> Option<std::ops::Range<usize>> {
    if bytes.get(pos) != Some(&0x0a) {
        return None;
    }
    let (len, start) = len_at(bytes, pos + 1)?;
    let value_end = start
        .checked_add(len)
        .filter(|&e| e <= end && e <= bytes.len())?;
    Some(start..value_end)
}

/// The key and value of the `Struct` entry at `pos` (`0a <len> (0a <len>
/// key 12 <len> value)`), which must end by `end`.
#[inline(always)] // the scan's inner loop: called once per entry
fn entry_at(
    bytes: &[u8],
    pos: usize,
    end: usize,
) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    // Most entries are short: every length one byte.
    if let Some(&[0x0a, entry_len, 0x0a, key_len]) = bytes.get(pos..pos + 4)
        && entry_len < 0x80
        && key_len < 0x80
    {
        let key_end = pos + 4 + usize::from(key_len);
        if let Some(&[0x12, value_len]) = bytes.get(key_end..key_end + 2)
            && value_len < 0x80
            && usize::from(entry_len) == usize::from(key_len) + usize::from(value_len) + 4
        {
            let entry_end = pos + 2 + usize::from(entry_len);
            return (entry_end <= end && entry_end <= bytes.len())
                .then_some((pos + 4..key_end, key_end + 2..entry_end));
        }
    }
    if bytes.get(pos) != Some(&0x0a) {
        return None;
    }
    let (len, start) = len_at(bytes, pos + 1)?;
    let entry_end = start.checked_add(len).filter(|&e| e <= end)?;
    if bytes.get(start) != Some(&0x0a) {
        return None;
    }
    let (key_len, key_start) = len_at(bytes, start + 1)?;
    let key_end = key_start.checked_add(key_len).filter(|&e| e < entry_end)?;
    if bytes.get(key_end) != Some(&0x12) {
        return None;
    }
    let (value_len, value_start) = len_at(bytes, key_end + 1)?;
    if value_start.checked_add(value_len)? != entry_end || entry_end > bytes.len() {
        return None;
    }
    Some((key_start..key_end, value_start..entry_end))
}

/// Checks a scalar `Value` body (or an empty one: no kind set); `ascii`
/// when the bytes are known to be ASCII.
#[inline(always)] // once per scalar node, from `Scan::value`
fn scalar(bytes: &[u8], ascii: bool, shape: &mut Shape) -> Option<()> {
    let Some(&tag) = bytes.first() else {
        return Some(());
    };
    match tag {
        // string_value
        0x1a => {
            let s = match bytes {
                // Most strings are short: a one-byte length.
                [_, len, s @ ..] if *len < 0x80 => (usize::from(*len) == s.len()).then_some(s)?,
                _ => Cursor::at(bytes, 1).only_len_prefixed()?,
            };
            (ascii || utf8(s)).then_some(())
        }
        // number_value
        0x11 => {
            let raw: [u8; 8] = bytes.get(1..)?.try_into().ok()?;
            shape.non_finite |= !f64::from_le_bytes(raw).is_finite();
            Some(())
        }
        // bool_value: 0 or 1
        0x20 => matches!(bytes, [_, 0 | 1]).then_some(()),
        // null_value: an enum, written as its int32 sign-extended
        0x08 => {
            let mut c = Cursor::at(bytes, 1);
            let v = c.minimal_varint()?;
            #[allow(clippy::cast_possible_truncation)] // prost reads enums this way
            let canonical = i64::from(v as i32) as u64 == v;
            (canonical && c.done()).then_some(())
        }
        _ => None,
    }
}

/// `a < b`, bytewise (as `String`s compare); inline, as keys are short.
#[inline]
fn less(a: &[u8], b: &[u8]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x < y;
        }
    }
    a.len() < b.len()
}

/// A minimal varint length at `pos`, and the position after it.
#[inline]
fn len_at(bytes: &[u8], pos: usize) -> Option<(usize, usize)> {
    let mut c = Cursor::at(bytes, pos);
    let len = usize::try_from(c.minimal_varint()?).ok()?;
    Some((len, c.pos))
}

// ---- JSON out ----------------------------------------------------------------------

impl PodSpec {
    /// Writes the pod spec as a JSON object, as
    /// [`flyte_ray_k8s::SerializeStruct`] writes the `Struct` (same output,
    /// same errors): straight from the bytes when they hold nothing that
    /// fails, through the `Struct` otherwise.
    pub(crate) fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PodSpec::Encoded(e)
                if !e.unknown
                    && !e.shape.non_finite
                    && e.shape.json_depth <= flyte_ray_k8s::MAX_DEPTH =>
            {
                ser::Serialize::serialize(&StructBytes(&e.bytes), s)
            }
            _ => ser::Serialize::serialize(&flyte_ray_k8s::SerializeStruct(self.as_struct()), s),
        }
    }
}

/// A pod spec as `serde::Serialize`, through [`PodSpec::serialize`].
pub(crate) struct AsJson<'a>(pub(crate) &'a PodSpec);

impl ser::Serialize for AsJson<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Checked canonical bytes that cannot be read (a broken invariant).
fn garbled<E: ser::Error>() -> E {
    E::custom("internal error: kept pod spec bytes are not a canonical Struct")
}

/// How many length-delimited fields (entries, elements) a canonical body
/// holds, skipping over each: the length hint serializers get.
fn count_fields(bytes: &[u8]) -> Option<usize> {
    let mut pos = 0;
    let mut n = 0;
    while pos < bytes.len() {
        let (len, start) = len_at(bytes, pos + 1)?;
        pos = start.checked_add(len)?;
        n += 1;
    }
    Some(n)
}

/// A canonical `Struct` body, serialized as a JSON object.
struct StructBytes<'a>(&'a [u8]);

/// A canonical `Value` body, serialized as JSON.
struct ValueBytes<'a>(&'a [u8]);

impl ser::Serialize for StructBytes<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = count_fields(self.0).ok_or_else(garbled::<S::Error>)?;
        let mut map = s.serialize_map(Some(n))?;
        let mut c = Cursor::new(self.0);
        while !c.done() {
            let (key, value) = c.entry().ok_or_else(garbled::<S::Error>)?;
            let key = std::str::from_utf8(key).map_err(|_| garbled::<S::Error>())?;
            map.serialize_entry(key, &ValueBytes(value))?;
        }
        map.end()
    }
}

impl ser::Serialize for ValueBytes<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut c = Cursor::new(self.0);
        match c.byte() {
            None | Some(0x08) => s.serialize_unit(),
            Some(0x11) => {
                let raw: [u8; 8] = self
                    .0
                    .get(1..)
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(garbled::<S::Error>)?;
                s.serialize_f64(f64::from_le_bytes(raw))
            }
            Some(0x1a) => {
                let body = c.only_len_prefixed().ok_or_else(garbled::<S::Error>)?;
                s.serialize_str(std::str::from_utf8(body).map_err(|_| garbled::<S::Error>())?)
            }
            Some(0x20) => s.serialize_bool(c.byte() == Some(1)),
            Some(0x2a) => {
                let body = c.only_len_prefixed().ok_or_else(garbled::<S::Error>)?;
                StructBytes(body).serialize(s)
            }
            Some(0x32) => {
                let body = c.only_len_prefixed().ok_or_else(garbled::<S::Error>)?;
                let n = count_fields(body).ok_or_else(garbled::<S::Error>)?;
                let mut seq = s.serialize_seq(Some(n))?;
                let mut l = Cursor::new(body);
                while !l.done() {
                    let v = l.element().ok_or_else(garbled::<S::Error>)?;
                    seq.serialize_element(&ValueBytes(v))?;
                }
                seq.end()
            }
            Some(_) => Err(garbled()),
        }
    }
}

// ---- JSON in -----------------------------------------------------------------------

/// Reads a pod spec from a JSON object (or a YAML mapping, or any serde
/// map) straight into its canonical encoding. Accepts and refuses exactly
/// what [`flyte_ray_k8s::deserialize_struct`] does, with the same messages:
/// every number becomes a double, a duplicate key keeps its last value,
/// nesting past [`flyte_ray_k8s::MAX_DEPTH`] is an error.
pub(crate) fn deserialize<'de, D: de::Deserializer<'de>>(d: D) -> Result<PodSpec, D::Error> {
    let mut b = Builder {
        out: Vec::with_capacity(1024),
        ..Builder::default()
    };
    let wire_depth = d.deserialize_map(StructSeed {
        level: 0,
        b: &mut b,
    })?;
    let shape = if b.dropped_duplicate {
        // The depths and flags counted values that a later duplicate key
        // replaced: count again over what was kept.
        scan(&b.out, flyte_ray_k8s::MAX_DEPTH + 1).ok_or_else(|| {
            de::Error::custom("internal error: a pod spec built from text is not canonical")
        })?
    } else {
        Shape {
            wire_depth,
            json_depth: b.json_depth,
            non_finite: b.non_finite,
        }
    };
    Ok(PodSpec::Encoded(Encoded {
        bytes: b.out,
        shape,
        decoded: OnceLock::new(),
        unknown: false,
    }))
}

/// The encoding being written, and what is learnt on the way.
#[derive(Default)]
struct Builder {
    out: Vec<u8>,
    json_depth: usize,
    non_finite: bool,
    dropped_duplicate: bool,
}

impl Builder {
    /// Reserves one byte for a length prefix; see [`Builder::close`].
    fn open(&mut self, tag: u8) -> usize {
        self.out.push(tag);
        self.out.push(0);
        self.out.len() - 1
    }

    /// Writes the length of everything after the byte at `at` there,
    /// making room when it takes more than one byte. Returns the length and
    /// how many bytes were inserted.
    #[inline]
    fn close(&mut self, at: usize) -> (usize, usize) {
        let len = self.out.len() - at - 1;
        if let Some(slot) = self.out.get_mut(at)
            && len < 0x80
        {
            *slot = len as u8; // below 0x80: one varint byte
            return (len, 0);
        }
        (len, self.close_long(at, len))
    }

    #[cold]
    fn close_long(&mut self, at: usize, len: usize) -> usize {
        // Append the varint, put its first byte in the slot at `at`, and
        // rotate the others in after it.
        let end = self.out.len();
        put_varint(len as u64, &mut self.out);
        let extra = self.out.len() - end - 1;
        self.out[at] = self.out[end];
        self.out.remove(end);
        self.out[at + 1..].rotate_right(extra);
        extra
    }

    fn number(&mut self, x: f64) -> usize {
        self.non_finite |= !x.is_finite();
        self.out.push(0x11);
        self.out.extend_from_slice(&x.to_le_bytes());
        0
    }

    /// Sorts the entries written since `start` by key and keeps the last of
    /// each key; they were written in input order, not sorted.
    fn sort_entries(&mut self, start: usize) {
        let region = &self.out[start..];
        let mut entries = Vec::new();
        let mut c = Cursor::new(region);
        while !c.done() {
            let from = c.pos;
            let Some((key, _)) = c.entry() else {
                return; // written by us just now: cannot happen
            };
            entries.push((key, from..c.pos));
        }
        // Stable: among equal keys, input order is kept, and the last wins.
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut sorted = Vec::with_capacity(region.len());
        for (i, (key, range)) in entries.iter().enumerate() {
            if entries.get(i + 1).is_some_and(|next| next.0 == *key) {
                self.dropped_duplicate = true;
                continue;
            }
            sorted.extend_from_slice(&region[range.clone()]);
        }
        self.out.truncate(start);
        self.out.extend_from_slice(&sorted);
    }
}

fn check_level<E: de::Error>(level: usize) -> Result<(), E> {
    // The message of `flyte_ray_k8s::deserialize_struct`.
    if level > flyte_ray_k8s::MAX_DEPTH {
        return Err(E::custom(format_args!(
            "nesting deeper than {} levels",
            flyte_ray_k8s::MAX_DEPTH
        )));
    }
    Ok(())
}

/// A `Struct` body at JSON level `level`; yields its wire depth.
struct StructSeed<'b> {
    level: usize,
    b: &'b mut Builder,
}

impl<'de> Visitor<'de> for StructSeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (google.protobuf.Struct)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        check_level(self.level)?;
        let b = self.b;
        b.json_depth = b.json_depth.max(self.level);
        let start = b.out.len();
        let mut depth = 0;
        let mut sorted = true;
        let mut prev_key: Option<std::ops::Range<usize>> = None;
        loop {
            let entry_at = b.out.len();
            let entry = b.open(0x0a);
            let key_len = b.open(0x0a);
            if map.next_key_seed(KeySeed(&mut b.out))?.is_none() {
                b.out.truncate(entry_at);
                break;
            }
            let (key_bytes, key_extra) = b.close(key_len);
            let value_len = b.open(0x12);
            let value_depth = map.next_value_seed(ValueSeed {
                level: self.level + 1,
                b: &mut *b,
            })?;
            b.close(value_len);
            let (_, entry_extra) = b.close(entry);
            depth = depth.max(2 + value_depth);
            // The key, after the length prefixes in front of it took their
            // room.
            let key_start = key_len + 1 + key_extra + entry_extra;
            let key = key_start..key_start + key_bytes;
            if let Some(p) = &prev_key
                && !less(&b.out[p.clone()], &b.out[key.clone()])
            {
                sorted = false;
            }
            prev_key = Some(key);
        }
        if !sorted {
            b.sort_entries(start);
        }
        Ok(depth)
    }
}

/// A `Struct` key: its UTF-8 bytes appended as they are (length written by
/// the caller). Accepts what `String`'s `Deserialize` accepts.
struct KeySeed<'b>(&'b mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_string(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.extend_from_slice(v.as_bytes());
        Ok(())
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }
}

/// A `Value` body at JSON level `level`; yields its wire depth.
struct ValueSeed<'b> {
    level: usize,
    b: &'b mut Builder,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = usize;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value (google.protobuf.Value)")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<usize, E> {
        self.b.out.extend_from_slice(&[0x20, u8::from(v)]);
        Ok(0)
    }

    #[allow(clippy::cast_precision_loss)] // protobuf's JSON mapping: every number is a double
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<usize, E> {
        Ok(self.b.number(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        Ok(self.b.number(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<usize, E> {
        Ok(self.b.number(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<usize, E> {
        Ok(self.b.number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<usize, E> {
        Ok(self.b.number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        let out = &mut self.b.out;
        out.push(0x1a);
        put_varint(v.len() as u64, out);
        out.extend_from_slice(v.as_bytes());
        Ok(0)
    }

    fn visit_unit<E: de::Error>(self) -> Result<usize, E> {
        self.b.out.extend_from_slice(&[0x08, 0x00]);
        Ok(0)
    }

    fn visit_none<E: de::Error>(self) -> Result<usize, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        check_level(self.level)?;
        let b = self.b;
        b.json_depth = b.json_depth.max(self.level);
        let list = b.open(0x32);
        let mut depth = 0;
        loop {
            let element = b.open(0x0a);
            let Some(d) = seq.next_element_seed(ValueSeed {
                level: self.level + 1,
                b: &mut *b,
            })?
            else {
                b.out.truncate(element - 1);
                break;
            };
            b.close(element);
            depth = depth.max(1 + d);
        }
        b.close(list);
        Ok(1 + depth)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<usize, A::Error> {
        let at = self.b.open(0x2a);
        let depth = StructSeed {
            level: self.level,
            b: &mut *self.b,
        }
        .visit_map(map)?;
        self.b.close(at);
        Ok(1 + depth)
    }
}

impl From<Struct> for PodSpec {
    fn from(s: Struct) -> Self {
        PodSpec::Struct(s)
    }
}

impl From<PodSpec> for Struct {
    fn from(p: PodSpec) -> Self {
        p.into_struct()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan as it was before the recursive one (commit 2475c2b): an explicit
    /// stack of frames. Kept as the oracle the recursive scan must agree with.
    fn scan_with_stack(bytes: &[u8], max_level: usize) -> Option<Shape> {
        // One pass, no recursion: a stack of the objects and lists being read.
        let mut shape = Shape::default();
        let mut stack: Vec<Frame> = Vec::with_capacity(16);
        stack.push(Frame {
            end: bytes.len(),
            list: false,
            level: 0,
            depth: 0,
            prev_key: None,
        });
        let mut pos = 0;
        loop {
            let top = stack.last_mut()?;
            if pos >= top.end {
                // This object or list is complete: its depth goes to the value
                // holding it (one more level), and from there to its parent.
                let done = stack.pop()?;
                let Some(parent) = stack.last_mut() else {
                    shape.wire_depth = done.depth;
                    return Some(shape);
                };
                parent.take(1 + done.depth);
                continue;
            }
            // The next value of `top`: a list element (0a <len> value) or an
            // object entry (0a <len> (0a <len> key 12 <len> value)).
            let start = pos;
            let (value, next, key) = if top.list {
                let value = element_at(bytes, pos, top.end)?;
                let end = value.end;
                (value, end, None)
            } else {
                let (key, value) = entry_at(bytes, pos, top.end)?;
                // Keys strictly ascending, as a BTreeMap<String, _> orders
                // them: sorted, no duplicate.
                if let Some(prev) = top.prev_key.clone()
                    && !less(bytes.get(prev)?, bytes.get(key.clone())?)
                {
                    return None;
                }
                top.prev_key = Some(key.clone());
                let end = value.end;
                (value, end, Some(key))
            };
            let level = top.level + 1;
            let body = bytes.get(value.clone())?;
            pos = next;
            match body.first() {
                // An object or a list: read its body next, as a new frame.
                Some(&tag @ (0x2a | 0x32)) => {
                    if level > max_level
                        || key.is_some_and(|k| bytes.get(k).is_none_or(|k| !utf8(k)))
                    {
                        return None;
                    }
                    shape.json_depth = shape.json_depth.max(level);
                    let inner = Cursor::at(body, 1).only_len_prefixed()?;
                    pos = value.end - inner.len();
                    stack.push(Frame {
                        end: value.end,
                        list: tag == 0x32,
                        level,
                        depth: 0,
                        prev_key: None,
                    });
                }
                _ => {
                    // The entry (or element) is short: one ASCII check over all
                    // of it covers the key and a string value (its other bytes,
                    // tags and one-byte lengths, are ASCII whenever it passes).
                    let ascii = bytes.get(start..next)?.is_ascii();
                    if !ascii && key.is_some_and(|k| bytes.get(k).is_none_or(|k| !utf8(k))) {
                        return None;
                    }
                    scalar(body, ascii, &mut shape)?;
                    top.take(0);
                }
            }
        }
    }

    /// An object or a list being read by [`scan`].
    struct Frame {
        /// Where its body ends.
        end: usize,
        /// A `ListValue` (else a `Struct`).
        list: bool,
        /// JSON level of the object or list.
        level: usize,
        /// Wire depth so far.
        depth: usize,
        /// The last key read (objects).
        prev_key: Option<std::ops::Range<usize>>,
    }

    impl Frame {
        /// Counts a value of wire depth `value_depth`: an object entry adds an
        /// entry message and the `Value`, a list element the `Value`.
        #[inline]
        fn take(&mut self, value_depth: usize) {
            let d = value_depth + if self.list { 1 } else { 2 };
            self.depth = self.depth.max(d);
        }
    }

    /// The pod specs (`google.protobuf.Struct` encodings written by the
    /// Python reference) of the golden file.
    fn golden_structs() -> Vec<Vec<u8>> {
        let text = include_str!("../tests/data/struct_golden.jsonl");
        text.lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).expect("golden line");
                hex::decode(v["struct_pb_hex"].as_str().expect("hex")).expect("hex")
            })
            .collect()
    }

    /// Both scans on `bytes` at a few nesting limits: the same answer.
    fn agree(bytes: &[u8]) -> usize {
        let mut accepted = 0;
        for max_level in [
            0,
            1,
            2,
            3,
            crate::decode::MAX_LEVEL,
            flyte_ray_k8s::MAX_DEPTH + 1,
        ] {
            let (new, old) = (scan(bytes, max_level), scan_with_stack(bytes, max_level));
            assert_eq!(
                new,
                old,
                "max_level {max_level}, bytes {}",
                hex::encode(bytes)
            );
            accepted += usize::from(new.is_some());
        }
        accepted
    }

    /// The recursive scan accepts exactly what the stack scan accepted,
    /// with the same shape: on the reference's encodings, on their
    /// canonical re-encodings (which both must accept: canonical by
    /// construction, and nesting within the limit), and on every one-byte
    /// change and every truncation of the first of them.
    #[test]
    fn recursive_scan_agrees_with_the_stack_scan() {
        let structs = golden_structs();
        assert!(structs.len() > 100, "the golden file holds the pod specs");
        let mut canonical_accepted = 0;
        for bytes in &structs {
            agree(bytes);
            let s = <Struct as prost::Message>::decode(bytes.as_slice()).expect("reference bytes");
            let canonical = s.encode_canonical();
            assert!(scan(&canonical, flyte_ray_k8s::MAX_DEPTH + 1).is_some());
            canonical_accepted += usize::from(agree(&canonical) > 0);
        }
        assert_eq!(canonical_accepted, structs.len());
        let (mut mutated, mut mutated_accepted) = (0, 0);
        for bytes in structs.iter().take(12) {
            for i in 0..bytes.len() {
                for change in [0x01, 0x02, 0x08, 0x40, 0x80, 0xff] {
                    let mut m = bytes.clone();
                    m[i] ^= change;
                    mutated += 1;
                    mutated_accepted += usize::from(agree(&m) > 0);
                }
                agree(&bytes[..i]);
            }
        }
        // Some changes keep the bytes canonical (a letter of a key or a
        // string, a digit of a number), most do not: both cases were met.
        assert!(mutated_accepted > 0 && mutated_accepted < mutated);
    }
}
