//! Finds fields the schema does not know in bytes that decoded.
//!
//! prost skips unknown fields silently; flytekit (and every runtime that
//! keeps unknown fields) would write them back. Rather than drop data without
//! a word, [`FlyteIdlEntity::from_bytes`](crate::FlyteIdlEntity::from_bytes)
//! reports the first unknown field with its path, and
//! [`from_bytes_ignoring_unknown_fields`](crate::FlyteIdlEntity::from_bytes_ignoring_unknown_fields)
//! is the explicit opt-out. The scan runs over bytes prost has already
//! accepted, walks them with the descriptors of `flyte-ray-fmt`'s pool, and
//! allocates only for the error.

use prost_reflect::{Kind, MessageDescriptor};

/// An unknown field: where, and its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unknown {
    /// Path of proto field names to the message holding the field, as
    /// prost writes paths (`RayJob.ray_cluster: RayCluster.head_group_spec`);
    /// empty at the top level.
    pub(crate) path: String,
    /// Name of the message holding the field.
    pub(crate) holder: String,
    /// The field number.
    pub(crate) number: u32,
}

fn varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..70).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        v |= u64::from(b & 0x7f) << shift.min(63);
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if bytes.len() < n {
        return None;
    }
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Some(head)
}

/// Returns the first unknown field in `bytes` (a valid encoding of `desc`),
/// or `None`. Malformed bytes end the scan quietly: prost has judged them.
pub(crate) fn find_unknown(desc: &MessageDescriptor, bytes: &[u8]) -> Option<Unknown> {
    scan(desc, bytes, 0).err()
}

fn scan(desc: &MessageDescriptor, mut bytes: &[u8], depth: u32) -> Result<(), Unknown> {
    if depth > 128 {
        return Ok(());
    }
    let mut counts: Vec<(u32, usize)> = Vec::new();
    while !bytes.is_empty() {
        let Some(key) = varint(&mut bytes) else {
            return Ok(());
        };
        let number = u32::try_from(key >> 3).unwrap_or(u32::MAX);
        let wire = key & 7;
        let field = desc.get_field(number);
        let Some(field) = field else {
            return Err(Unknown {
                path: String::new(),
                holder: desc.name().to_owned(),
                number,
            });
        };
        match wire {
            0 => {
                if varint(&mut bytes).is_none() {
                    return Ok(());
                }
            }
            1 => {
                if take(&mut bytes, 8).is_none() {
                    return Ok(());
                }
            }
            5 => {
                if take(&mut bytes, 4).is_none() {
                    return Ok(());
                }
            }
            2 => {
                let Some(len) = varint(&mut bytes) else {
                    return Ok(());
                };
                let Some(body) = usize::try_from(len).ok().and_then(|n| take(&mut bytes, n)) else {
                    return Ok(());
                };
                if let Kind::Message(child) = field.kind() {
                    let index = match counts.iter_mut().find(|(n, _)| *n == number) {
                        Some((_, c)) => {
                            *c += 1;
                            *c - 1
                        }
                        None => {
                            counts.push((number, 1));
                            0
                        }
                    };
                    if let Err(mut inner) = scan(&child, body, depth + 1) {
                        let step = if field.is_list() || field.is_map() {
                            format!("{}.{}[{index}]", desc.name(), field.name())
                        } else {
                            format!("{}.{}", desc.name(), field.name())
                        };
                        inner.path = if inner.path.is_empty() {
                            step
                        } else {
                            format!("{step}: {}", inner.path)
                        };
                        return Err(inner);
                    }
                }
            }
            _ => return Ok(()),
        }
    }
    Ok(())
}
