//! Finds fields the schema does not know in bytes that decoded.
//!
//! prost skips unknown fields silently; flytekit (and every runtime that
//! keeps unknown fields) would write them back. Rather than drop data without
//! a word, [`FlyteIdlEntity::from_bytes`](crate::FlyteIdlEntity::from_bytes)
//! reports the first unknown field with its path, and
//! [`from_bytes_ignoring_unknown_fields`](crate::FlyteIdlEntity::from_bytes_ignoring_unknown_fields)
//! is the explicit opt-out.
//!
//! The scan runs over bytes prost has already accepted. It is driven by the
//! descriptors of `flyte-ray-fmt`'s pool, flattened once into a table of
//! field numbers per message, so the walk itself is table lookups and
//! allocates nothing unless it finds something.

use std::sync::OnceLock;

use prost_reflect::{DescriptorPool, Kind};

/// An unknown field: where, and its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unknown {
    /// Path of proto field names to the message holding the field, as
    /// prost writes paths (`RayJob.ray_cluster: RayCluster.head_group_spec`);
    /// empty at the top level.
    pub(crate) path: String,
    /// Name of the message holding the field.
    pub(crate) holder: String,
    /// Full protobuf name of the message holding the field.
    pub(crate) holder_full: String,
    /// The field number.
    pub(crate) number: u32,
}

struct Field {
    number: u32,
    /// The wire types it may arrive with (bit `1 << wire type`).
    wire_types: u8,
    name: String,
    /// Index of the field's message type in [`Table::messages`].
    child: Option<usize>,
    /// Repeated or map: occurrences are numbered in paths.
    many: bool,
}

struct Msg {
    /// The decoded model keeps its unknown fields: every message of ours,
    /// `KeyValuePair` and the pod spec's `Struct`, `Value` and `ListValue`
    /// too; not a map entry (upb keeps an entry holding one as an unknown
    /// field of the map's message instead).
    keeps: bool,
    /// A map entry: walked into, for the messages inside it.
    entry: bool,
    full_name: String,
    name: String,
    fields: Vec<Field>,
}

struct Table {
    messages: Vec<Msg>,
}

impl Table {
    fn build(pool: &DescriptorPool) -> Self {
        let descs: Vec<_> = pool.all_messages().collect();
        let index = |full: &str| descs.iter().position(|d| d.full_name() == full);
        let messages = descs
            .iter()
            .map(|d| Msg {
                keeps: !d.is_map_entry()
                    && (d.full_name().starts_with("flyteidl")
                        || matches!(
                            d.full_name(),
                            "google.protobuf.Struct"
                                | "google.protobuf.Value"
                                | "google.protobuf.ListValue"
                        )),
                entry: d.is_map_entry(),
                full_name: d.full_name().to_owned(),
                name: d.name().to_owned(),
                fields: d
                    .fields()
                    .map(|f| Field {
                        number: f.number(),
                        wire_types: wire_types(&f),
                        name: f.name().to_owned(),
                        child: match f.kind() {
                            Kind::Message(m) => index(m.full_name()),
                            _ => None,
                        },
                        many: f.is_list() || f.is_map(),
                    })
                    .collect(),
            })
            .collect();
        Table { messages }
    }

    fn get() -> &'static Table {
        static TABLE: OnceLock<Table> = OnceLock::new();
        TABLE.get_or_init(|| Table::build(flyte_ray_fmt::pool()))
    }
}

/// The wire types a field may arrive with: its kind's, and for a repeated
/// scalar both packed and not.
fn wire_types(f: &prost_reflect::FieldDescriptor) -> u8 {
    let wt = match f.kind() {
        Kind::Double | Kind::Fixed64 | Kind::Sfixed64 => 1,
        Kind::Float | Kind::Fixed32 | Kind::Sfixed32 => 5,
        Kind::String | Kind::Bytes | Kind::Message(_) => 2,
        _ => 0,
    };
    let packable = f.is_list() && wt != 2;
    (1 << wt) | if packable { 1 << 2 } else { 0 }
}

fn varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..70).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift.min(63);
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// One field of the wire: its number and, when length-delimited, its body.
struct WireField<'a> {
    number: u32,
    wire_type: u32,
    start: usize,
    body: Option<&'a [u8]>,
}

/// The next field at `pos`, or `None` at the end or on malformed bytes
/// (prost has judged those already).
fn next<'a>(bytes: &'a [u8], pos: &mut usize) -> Option<WireField<'a>> {
    let start = *pos;
    let key = varint(bytes, pos)?;
    let number = u32::try_from(key >> 3).ok()?;
    let body = match key & 7 {
        0 => {
            varint(bytes, pos)?;
            None
        }
        1 | 5 => {
            *pos += if key & 7 == 1 { 8 } else { 4 };
            if *pos > bytes.len() {
                return None;
            }
            None
        }
        2 => {
            let len = usize::try_from(varint(bytes, pos)?).ok()?;
            let end = pos.checked_add(len).filter(|&e| e <= bytes.len())?;
            let body = &bytes[*pos..end];
            *pos = end;
            Some(body)
        }
        3 => {
            skip_group(bytes, pos, number, 0)?;
            None
        }
        _ => return None,
    };
    Some(WireField {
        number,
        wire_type: u32::try_from(key & 7).ok()?,
        start,
        body,
    })
}

/// Skips a group up to its end (groups nest), after its start key.
fn skip_group(bytes: &[u8], pos: &mut usize, number: u32, level: usize) -> Option<()> {
    if level > 128 {
        return None;
    }
    loop {
        let start = *pos;
        let key = varint(bytes, pos)?;
        let n = u32::try_from(key >> 3).ok()?;
        match key & 7 {
            4 => return (n == number).then_some(()),
            3 => skip_group(bytes, pos, n, level + 1)?,
            _ => {
                *pos = start;
                next(bytes, pos)?;
            }
        }
    }
}

/// Returns the first unknown field in `bytes` (a valid encoding of the
/// message `full_name`), or `None`.
pub(crate) fn find_unknown(full_name: &str, bytes: &[u8]) -> Option<Unknown> {
    find_unknown_where(full_name, bytes, &|_, _| true)
}

/// Like [`find_unknown`], but reports only the unknown fields for which
/// `report(full name of the holding message, field number)` is true; the
/// others are passed over.
pub(crate) fn find_unknown_where(
    full_name: &str,
    bytes: &[u8],
    report: &dyn Fn(&str, u32) -> bool,
) -> Option<Unknown> {
    let table = Table::get();
    let root = table
        .messages
        .iter()
        .position(|m| m.full_name == full_name)?;
    scan(table, root, bytes, 0, report).err()
}

/// The name of field `number` of the message `full_name`, if it has one.
pub(crate) fn field_name(full_name: &str, number: u32) -> Option<&'static str> {
    let table = Table::get();
    let m = table.messages.iter().find(|m| m.full_name == full_name)?;
    m.fields
        .iter()
        .find(|f| f.number == number)
        .map(|f| f.name.as_str())
}

fn scan(
    table: &Table,
    msg: usize,
    bytes: &[u8],
    depth: u32,
    report: &dyn Fn(&str, u32) -> bool,
) -> Result<(), Unknown> {
    let Some(m) = table.messages.get(msg) else {
        return Ok(());
    };
    if depth > 128 {
        return Ok(());
    }
    let mut pos = 0;
    while let Some(wf) = next(bytes, &mut pos) {
        // A known number with another wire type is unknown, as in upb.
        let known = m
            .fields
            .iter()
            .find(|f| f.number == wf.number && f.wire_types & (1 << wf.wire_type) != 0);
        let Some(field) = known else {
            if !report(&m.full_name, wf.number) {
                continue;
            }
            return Err(Unknown {
                path: String::new(),
                holder: m.name.clone(),
                holder_full: m.full_name.clone(),
                number: wf.number,
            });
        };
        let (Some(child), Some(body)) = (field.child, wf.body) else {
            continue;
        };
        if let Err(mut inner) = scan(table, child, body, depth + 1, report) {
            let step = if field.many {
                // Which occurrence: count the earlier ones (error path only).
                let mut n = 0;
                let mut p = 0;
                while let Some(earlier) = next(bytes, &mut p) {
                    if earlier.start >= wf.start {
                        break;
                    }
                    n += usize::from(earlier.number == wf.number);
                }
                format!("{}.{}[{n}]", m.name, field.name)
            } else {
                format!("{}.{}", m.name, field.name)
            };
            inner.path = if inner.path.is_empty() {
                step
            } else {
                format!("{step}: {}", inner.path)
            };
            return Err(inner);
        }
    }
    Ok(())
}

/// For the property tests: `bytes` (an encoding of `full_name`) with each
/// `(i, raw)` of `picks` appended to the body of the `i`-th message (in
/// pre-order, counting only the messages that keep unknown fields: the
/// models, `KeyValuePair` and inside pod specs), length prefixes adjusted;
/// and how many such messages there are.
pub(crate) fn append_unknown(
    full_name: &str,
    bytes: &[u8],
    picks: &[(usize, Vec<u8>)],
) -> Option<(Vec<u8>, usize)> {
    let table = Table::get();
    let root = table
        .messages
        .iter()
        .position(|m| m.full_name == full_name)?;
    let mut counter = 0;
    let out = rebuild(table, root, bytes, &mut counter, picks, 0)?;
    Some((out, counter))
}

fn rebuild(
    table: &Table,
    msg: usize,
    bytes: &[u8],
    counter: &mut usize,
    picks: &[(usize, Vec<u8>)],
    depth: usize,
) -> Option<Vec<u8>> {
    let m = table.messages.get(msg)?;
    if depth > 128 {
        return None;
    }
    let mine = m.keeps.then(|| {
        *counter += 1;
        *counter - 1
    });
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while pos < bytes.len() {
        let wf = next(bytes, &mut pos)?;
        let known = m
            .fields
            .iter()
            .find(|f| f.number == wf.number && f.wire_types & (1 << wf.wire_type) != 0);
        let child = known
            .and_then(|f| f.child)
            .filter(|&c| table.messages.get(c).is_some_and(|c| c.keeps || c.entry));
        match (child, wf.body) {
            (Some(child), Some(body)) => {
                let inner = rebuild(table, child, body, counter, picks, depth + 1)?;
                flyte_ray_idl::canonical::put_varint(u64::from(wf.number) << 3 | 2, &mut out);
                flyte_ray_idl::canonical::put_varint(inner.len() as u64, &mut out);
                out.extend_from_slice(&inner);
            }
            _ => out.extend_from_slice(bytes.get(wf.start..pos)?),
        }
    }
    if let Some(i) = mine {
        for (at, raw) in picks {
            if *at == i {
                out.extend_from_slice(raw);
            }
        }
    }
    Some(out)
}
