//! Generates `canonical.rs`: an encoder that writes exactly the bytes the
//! C++, Go and Python protobuf runtimes write for our messages.
//!
//! prost's derived `Message::encode` leaves out a map entry's key or value
//! when it equals its default (`ray_start_params {"a": ""}` becomes
//! `0a 03 0a 01 61`), where every other runtime — and so flytekit and Flyte's
//! backend — writes both (`0a 05 0a 01 61 12 00`). The derived decoders are
//! fine; only encoding needs this. The encoder is generated from the same
//! descriptors as the prost structs, so it cannot drift from them.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorSet};

/// Fixed part of the generated file: the trait and wire primitives.
const PRELUDE: &str = r#"// Canonical encoding: the bytes C++, Go and Python protobuf write.
//
// Fields in field-number order, map entries sorted by key (the maps are
// `BTreeMap`s) and, unlike prost's derived encoder, both the key and the
// value of every map entry written even when empty.

/// Encoding that is byte-identical to the C++, Go and Python runtimes'
/// deterministic serialization.
///
/// Encoding takes two passes, so that its cost grows with the size of the
/// message and not with size times depth (prost's derived encoder recomputes
/// every nested length at every level above it): [`canonical_sizes`]
/// computes each nested message's length once, bottom-up, recording them in
/// pre-order; [`canonical_write`] then writes the bytes, taking the lengths
/// from that record in the same order.
///
/// [`canonical_sizes`]: CanonicalEncode::canonical_sizes
/// [`canonical_write`]: CanonicalEncode::canonical_write
pub trait CanonicalEncode {
    /// Length of this message's encoding, in bytes; pushes the length of
    /// every nested message onto `sizes`, in pre-order.
    fn canonical_sizes(&self, sizes: &mut Vec<usize>) -> usize;
    /// Appends this message's encoding (without a length prefix) to `out`,
    /// taking nested lengths from `sizes` in the order
    /// [`canonical_sizes`](CanonicalEncode::canonical_sizes) recorded them.
    fn canonical_write(&self, sizes: &mut std::slice::Iter<'_, usize>, out: &mut Vec<u8>);
    /// Length of the canonical encoding, in bytes.
    fn canonical_len(&self) -> usize {
        self.canonical_sizes(&mut Vec::new())
    }
    /// Appends the canonical encoding (without a length prefix) to `out`.
    fn canonical_encode_raw(&self, out: &mut Vec<u8>) {
        let mut sizes = Vec::new();
        self.canonical_sizes(&mut sizes);
        self.canonical_write(&mut sizes.iter(), out);
    }
    /// The canonical encoding in a new vector of exactly the right capacity.
    fn encode_canonical(&self) -> Vec<u8> {
        let mut sizes = Vec::new();
        let len = self.canonical_sizes(&mut sizes);
        let mut out = Vec::with_capacity(len);
        self.canonical_write(&mut sizes.iter(), &mut out);
        out
    }
}

/// Bytes a varint of `v` takes.
#[inline]
pub fn varint_len(v: u64) -> usize {
    // Each byte carries 7 bits; zero still takes one byte.
    ((64 - (v | 1).leading_zeros() as usize) + 6) / 7
}

/// Appends `v` as a varint.
#[inline]
pub fn put_varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Bytes a field key with number `tag` takes.
#[inline]
pub fn key_len(tag: u32) -> usize {
    varint_len(u64::from(tag << 3))
}

/// Appends a field key.
#[inline]
pub fn put_key(tag: u32, wire_type: u32, out: &mut Vec<u8>) {
    put_varint(u64::from((tag << 3) | wire_type), out);
}

/// Bytes a string field takes, key included.
#[inline]
pub fn str_len(tag: u32, v: &str) -> usize {
    key_len(tag) + varint_len(v.len() as u64) + v.len()
}

/// Appends a string field (the caller skips empty proto3 strings).
#[inline]
pub fn put_str(tag: u32, v: &str, out: &mut Vec<u8>) {
    put_key(tag, 2, out);
    put_varint(v.len() as u64, out);
    out.extend_from_slice(v.as_bytes());
}

/// Bytes an int32 or enum field takes, key included.
#[inline]
pub fn i32_len(tag: u32, v: i32) -> usize {
    // int32 and enums are sign-extended to 64 bits on the wire.
    key_len(tag) + varint_len(i64::from(v) as u64)
}

/// Appends an int32 or enum field, sign-extended.
#[inline]
pub fn put_i32(tag: u32, v: i32, out: &mut Vec<u8>) {
    put_key(tag, 0, out);
    put_varint(i64::from(v) as u64, out);
}

/// Bytes a bool field takes, key included.
#[inline]
pub fn bool_len(tag: u32) -> usize {
    key_len(tag) + 1
}

/// Appends a bool field.
#[inline]
pub fn put_bool(tag: u32, v: bool, out: &mut Vec<u8>) {
    put_key(tag, 0, out);
    out.push(u8::from(v));
}

/// Bytes a double field takes, key included.
#[inline]
pub fn f64_len(tag: u32) -> usize {
    key_len(tag) + 8
}

/// Appends a double field.
#[inline]
pub fn put_f64(tag: u32, v: f64, out: &mut Vec<u8>) {
    put_key(tag, 1, out);
    out.extend_from_slice(&v.to_le_bytes());
}

/// Bytes a length-delimited sub-message takes, key and length included;
/// records the sub-message's length (and its own nested lengths).
#[inline]
pub fn msg_size<M: CanonicalEncode + ?Sized>(tag: u32, m: &M, sizes: &mut Vec<usize>) -> usize {
    let slot = sizes.len();
    sizes.push(0);
    let len = m.canonical_sizes(sizes);
    sizes[slot] = len;
    key_len(tag) + varint_len(len as u64) + len
}

/// Appends a length-delimited sub-message whose length
/// [`msg_size`] recorded.
#[inline]
pub fn put_msg<M: CanonicalEncode + ?Sized>(
    tag: u32,
    m: &M,
    sizes: &mut std::slice::Iter<'_, usize>,
    out: &mut Vec<u8>,
) {
    let len = sizes.next().copied().unwrap_or(0);
    put_key(tag, 2, out);
    put_varint(len as u64, out);
    m.canonical_write(sizes, out);
}

/// Bytes a `map<string, string>` entry takes.
#[inline]
pub fn str_str_entry_len(tag: u32, k: &str, v: &str) -> usize {
    let len = str_len(1, k) + str_len(2, v);
    key_len(tag) + varint_len(len as u64) + len
}

/// Appends a `map<string, string>` entry, key and value always written.
#[inline]
pub fn put_str_str_entry(tag: u32, k: &str, v: &str, out: &mut Vec<u8>) {
    put_key(tag, 2, out);
    put_varint((str_len(1, k) + str_len(2, v)) as u64, out);
    put_str(1, k, out);
    put_str(2, v, out);
}

/// Bytes a `map<string, Message>` entry takes; records the value's length.
#[inline]
pub fn str_msg_entry_size<M: CanonicalEncode + ?Sized>(
    tag: u32,
    k: &str,
    v: &M,
    sizes: &mut Vec<usize>,
) -> usize {
    let len = str_len(1, k) + msg_size(2, v, sizes);
    key_len(tag) + varint_len(len as u64) + len
}

/// Appends a `map<string, Message>` entry, key and value always written.
#[inline]
pub fn put_str_msg_entry<M: CanonicalEncode + ?Sized>(
    tag: u32,
    k: &str,
    v: &M,
    sizes: &mut std::slice::Iter<'_, usize>,
    out: &mut Vec<u8>,
) {
    let value_len = sizes.as_slice().first().copied().unwrap_or(0);
    let len = str_len(1, k) + key_len(2) + varint_len(value_len as u64) + value_len;
    put_key(tag, 2, out);
    put_varint(len as u64, out);
    put_str(1, k, out);
    put_msg(2, v, sizes, out);
}
"#;

struct Ctx<'a> {
    fds: &'a FileDescriptorSet,
}

impl Ctx<'_> {
    /// Finds a message by full name (`.pkg.Msg.Nested`).
    fn message(&self, full: &str) -> Option<(&str, Vec<&DescriptorProto>)> {
        for file in &self.fds.file {
            let pkg = file.package();
            let prefix = format!(".{pkg}.");
            let Some(rest) = full.strip_prefix(&prefix) else {
                continue;
            };
            let mut chain = Vec::new();
            let mut candidates = &file.message_type;
            for part in rest.split('.') {
                let Some(found) = candidates.iter().find(|m| m.name() == part) else {
                    break;
                };
                chain.push(found);
                candidates = &found.nested_type;
            }
            if chain.len() == rest.split('.').count() {
                return Some((pkg, chain));
            }
        }
        None
    }

    /// The Rust path of a message type, as prost-build names it.
    fn rust_path(&self, full: &str) -> Result<String> {
        let Some((pkg, chain)) = self.message(full) else {
            bail!("unknown type {full}")
        };
        let root = match pkg {
            "google.protobuf" => "::prost_types".to_owned(),
            other => format!("crate::{}", other.replace('.', "::")),
        };
        let mut path = root;
        for (i, m) in chain.iter().enumerate() {
            if i + 1 == chain.len() {
                write!(path, "::{}", m.name().to_upper_camel_case())?;
            } else {
                write!(path, "::{}", m.name().to_snake_case())?;
            }
        }
        Ok(path)
    }

    fn map_entry(&self, field: &FieldDescriptorProto) -> Option<&DescriptorProto> {
        if field.label() != Label::Repeated || field.r#type() != Type::Message {
            return None;
        }
        let (_, chain) = self.message(field.type_name())?;
        let entry = *chain.last()?;
        entry
            .options
            .as_ref()
            .and_then(|o| o.map_entry)
            .unwrap_or(false)
            .then_some(entry)
    }
}

/// One field's contribution: code for the sizing pass and for the writer.
fn field_code(
    ctx: &Ctx<'_>,
    msg: &DescriptorProto,
    f: &FieldDescriptorProto,
) -> Result<(String, String)> {
    let tag = f.number();
    let name = f.name().to_snake_case();
    if f.oneof_index.is_some() {
        bail!(
            "oneof fields are generated per oneof, not per field ({})",
            f.name()
        );
    }
    if let Some(entry) = ctx.map_entry(f) {
        let key = &entry.field[0];
        let value = &entry.field[1];
        if key.r#type() != Type::String {
            bail!(
                "{}.{}: only string map keys are supported",
                msg.name(),
                f.name()
            );
        }
        return Ok(match value.r#type() {
            Type::String => (
                format!(
                    "self.{name}.iter().map(|(k, v)| str_str_entry_len({tag}, k, v)).sum::<usize>()"
                ),
                format!("for (k, v) in &self.{name} {{ put_str_str_entry({tag}, k, v, out); }}"),
            ),
            Type::Message => (
                format!(
                    "self.{name}.iter().map(|(k, v)| str_msg_entry_size({tag}, k, v, sizes)).sum::<usize>()"
                ),
                format!(
                    "for (k, v) in &self.{name} {{ put_str_msg_entry({tag}, k, v, sizes, out); }}"
                ),
            ),
            other => bail!(
                "{}.{}: map value type {other:?} not supported",
                msg.name(),
                f.name()
            ),
        });
    }
    let repeated = f.label() == Label::Repeated;
    Ok(match (f.r#type(), repeated) {
        (Type::Message, true) => (
            format!("self.{name}.iter().map(|m| msg_size({tag}, m, sizes)).sum::<usize>()"),
            format!("for m in &self.{name} {{ put_msg({tag}, m, sizes, out); }}"),
        ),
        (Type::Message, false) => (
            format!("self.{name}.as_ref().map_or(0, |m| msg_size({tag}, m, sizes))"),
            format!("if let Some(m) = &self.{name} {{ put_msg({tag}, m, sizes, out); }}"),
        ),
        (Type::String, false) => (
            format!("if self.{name}.is_empty() {{ 0 }} else {{ str_len({tag}, &self.{name}) }}"),
            format!("if !self.{name}.is_empty() {{ put_str({tag}, &self.{name}, out); }}"),
        ),
        (Type::Int32 | Type::Enum, false) => (
            format!("if self.{name} == 0 {{ 0 }} else {{ i32_len({tag}, self.{name}) }}"),
            format!("if self.{name} != 0 {{ put_i32({tag}, self.{name}, out); }}"),
        ),
        (Type::Bool, false) => (
            format!("if self.{name} {{ bool_len({tag}) }} else {{ 0 }}"),
            format!("if self.{name} {{ put_bool({tag}, true, out); }}"),
        ),
        (Type::Double, false) => (
            // proto3 implicit presence compares bits: -0.0 is written.
            format!("if self.{name}.to_bits() == 0 {{ 0 }} else {{ f64_len({tag}) }}"),
            format!("if self.{name}.to_bits() != 0 {{ put_f64({tag}, self.{name}, out); }}"),
        ),
        (t, r) => bail!(
            "{}.{}: type {t:?} (repeated: {r}) not supported by the generator",
            msg.name(),
            f.name()
        ),
    })
}

/// Code for one oneof: every set variant is written, default or not.
fn oneof_code(
    ctx: &Ctx<'_>,
    msg_path: &str,
    msg: &DescriptorProto,
    index: i32,
) -> Result<(String, String)> {
    let decl = &msg.oneof_decl[index as usize];
    let oneof = decl.name().to_snake_case();
    let enum_path = format!(
        "{}::{}",
        msg_path
            .rsplit_once("::")
            .map(|(m, s)| format!("{m}::{}", s.to_snake_case()))
            .unwrap_or_default(),
        decl.name().to_upper_camel_case()
    );
    let mut len_arms = String::new();
    let mut put_arms = String::new();
    for f in msg.field.iter().filter(|f| f.oneof_index == Some(index)) {
        let tag = f.number();
        let variant = f.name().to_upper_camel_case();
        let (len, put) = match f.r#type() {
            Type::String => (
                format!("str_len({tag}, v)"),
                format!("put_str({tag}, v, out)"),
            ),
            Type::Int32 | Type::Enum => (
                format!("i32_len({tag}, *v)"),
                format!("put_i32({tag}, *v, out)"),
            ),
            Type::Bool => (
                format!("bool_len({tag})"),
                format!("put_bool({tag}, *v, out)"),
            ),
            Type::Double => (
                format!("f64_len({tag})"),
                format!("put_f64({tag}, *v, out)"),
            ),
            Type::Message => {
                ctx.rust_path(f.type_name())?;
                (
                    format!("msg_size({tag}, v, sizes)"),
                    format!("put_msg({tag}, v, sizes, out)"),
                )
            }
            t => bail!(
                "{}.{}: oneof member type {t:?} not supported",
                msg.name(),
                f.name()
            ),
        };
        let bind = if len.contains('v') { "v" } else { "_" };
        writeln!(
            len_arms,
            "            Some({enum_path}::{variant}({bind})) => {len},"
        )?;
        writeln!(
            put_arms,
            "            Some({enum_path}::{variant}(v)) => {put},"
        )?;
    }
    let len = format!("match &self.{oneof} {{\n{len_arms}            None => 0,\n        }}");
    let put = format!("match &self.{oneof} {{\n{put_arms}            None => {{}}\n        }}");
    Ok((len, put))
}

fn message_impl(ctx: &Ctx<'_>, full: &str, out: &mut String) -> Result<()> {
    let path = ctx.rust_path(full)?;
    let Some((_, chain)) = ctx.message(full) else {
        bail!("unknown type {full}")
    };
    let Some(msg) = chain.last().copied() else {
        bail!("unknown type {full}")
    };
    let mut fields: Vec<&FieldDescriptorProto> = msg.field.iter().collect();
    fields.sort_by_key(|f| f.number());
    let mut lens = Vec::new();
    let mut puts = Vec::new();
    let mut done_oneofs = Vec::new();
    for f in fields {
        if let Some(i) = f.oneof_index {
            if f.proto3_optional() {
                bail!("{}.{}: proto3 optional not supported", msg.name(), f.name());
            }
            if !done_oneofs.contains(&i) {
                done_oneofs.push(i);
                let (l, p) = oneof_code(ctx, &path, msg, i)?;
                lens.push(l);
                puts.push(p);
            }
            continue;
        }
        let (l, p) = field_code(ctx, msg, f)?;
        lens.push(l);
        puts.push(p);
    }
    writeln!(out, "\nimpl CanonicalEncode for {path} {{")?;
    let sizes_name = if lens.iter().any(|l| l.contains("sizes")) {
        "sizes"
    } else {
        "_sizes"
    };
    writeln!(
        out,
        "    fn canonical_sizes(&self, {sizes_name}: &mut Vec<usize>) -> usize {{"
    )?;
    if lens.is_empty() {
        writeln!(out, "        0")?;
    } else {
        writeln!(out, "        let mut len = 0;")?;
        for l in &lens {
            writeln!(out, "        len += {l};")?;
        }
        writeln!(out, "        len")?;
    }
    writeln!(out, "    }}")?;
    let out_name = if puts.is_empty() { "_out" } else { "out" };
    let sizes_name = if puts.iter().any(|p| p.contains("sizes")) {
        "sizes"
    } else {
        "_sizes"
    };
    writeln!(
        out,
        "    fn canonical_write(&self, {sizes_name}: &mut std::slice::Iter<'_, usize>, {out_name}: &mut Vec<u8>) {{"
    )?;
    for p in &puts {
        writeln!(out, "        {p}")?;
    }
    writeln!(out, "    }}\n}}")?;
    Ok(())
}

fn collect(prefix: &str, msgs: &[DescriptorProto], names: &mut Vec<String>) {
    for m in msgs {
        let full = format!("{prefix}.{}", m.name());
        let is_entry = m
            .options
            .as_ref()
            .and_then(|o| o.map_entry)
            .unwrap_or(false);
        if !is_entry {
            names.push(full.clone());
        }
        collect(&full, &m.nested_type, names);
    }
}

/// Generates the canonical encoder for every message of every file in the
/// set (map entry messages are inlined into their maps).
pub(crate) fn generate(fds: &FileDescriptorSet) -> Result<String> {
    let ctx = Ctx { fds };
    let mut names = Vec::new();
    for file in &fds.file {
        collect(
            &format!(".{}", file.package()),
            &file.message_type,
            &mut names,
        );
    }
    let mut out = String::from(PRELUDE);
    for name in &names {
        message_impl(&ctx, name, &mut out)?;
    }
    Ok(out)
}
