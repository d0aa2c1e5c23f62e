//! Reading protobuf wire bytes: the one cursor behind the direct decoder
//! (`decode.rs`, which reads as leniently as prost) and the pod spec checks
//! (`pod_spec.rs`, which accept only the canonical encoding).

/// A position in a byte string.
pub(crate) struct Cursor<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    /// Starts at `pos`.
    pub(crate) fn at(bytes: &'a [u8], pos: usize) -> Self {
        Cursor { bytes, pos }
    }

    #[inline]
    pub(crate) fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    #[inline]
    pub(crate) fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// A varint and whether it was written in as few bytes as it can be.
    /// Read as prost reads one: at most ten bytes, the tenth at most 1.
    #[inline]
    fn varint_checked(&mut self) -> Option<(u64, bool)> {
        let first = *self.bytes.get(self.pos)?;
        if first < 0x80 {
            self.pos += 1;
            return Some((u64::from(first), true));
        }
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                // A final zero byte after others is an over-long encoding.
                return (i < 9 || b <= 1).then_some((v, b != 0));
            }
        }
        None
    }

    /// A varint, over-long or not (prost's reading).
    #[inline]
    pub(crate) fn varint(&mut self) -> Option<u64> {
        self.varint_checked().map(|(v, _)| v)
    }

    /// A varint written in as few bytes as it can be.
    #[inline]
    pub(crate) fn minimal_varint(&mut self) -> Option<u64> {
        self.varint_checked()
            .and_then(|(v, minimal)| minimal.then_some(v))
    }

    /// A field key: its number (at least 1) and wire type (0 to 5).
    #[inline]
    pub(crate) fn key(&mut self) -> Option<(u32, u32)> {
        let key = u32::try_from(self.varint()?).ok()?;
        let (number, wire_type) = (key >> 3, key & 7);
        (number >= 1 && wire_type <= 5).then_some((number, wire_type))
    }

    /// `len` bytes from here.
    #[inline]
    fn take(&mut self, len: u64) -> Option<&'a [u8]> {
        let len = usize::try_from(len).ok()?;
        let end = self
            .pos
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())?;
        let body = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(body)
    }

    /// A length-delimited body (any length prefix prost reads).
    #[inline]
    pub(crate) fn body(&mut self) -> Option<&'a [u8]> {
        let len = self.varint()?;
        self.take(len)
    }

    /// A length-delimited body behind a minimal length prefix.
    #[inline]
    pub(crate) fn len_prefixed(&mut self) -> Option<&'a [u8]> {
        let len = self.minimal_varint()?;
        self.take(len)
    }

    /// The rest, which must be one minimal length-delimited body and
    /// nothing more.
    #[inline]
    pub(crate) fn only_len_prefixed(&mut self) -> Option<&'a [u8]> {
        let body = self.len_prefixed()?;
        self.done().then_some(body)
    }

    /// Skips `n` bytes.
    pub(crate) fn skip(&mut self, n: usize) -> Option<()> {
        self.pos = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len())?;
        Some(())
    }

    /// Skips one field's value of `wire_type` (not groups).
    pub(crate) fn skip_value(&mut self, wire_type: u32) -> Option<()> {
        match wire_type {
            0 => self.varint().map(drop),
            1 => self.skip(8),
            2 => self.body().map(drop),
            5 => self.skip(4),
            _ => None,
        }
    }

    /// The bytes not read yet.
    pub(crate) fn unread(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }
}

/// Whether every byte of `bytes` is ASCII, for the short byte strings of
/// keys, strings and pod-spec entries: a few 8-byte loads OR-ed together
/// (the last one overlapping the others) instead of a byte loop over the
/// tail, which is most of a short string.
#[inline]
pub(crate) fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = bytes.len();
    if let Some(last) = bytes.last_chunk::<8>() {
        let (words, _) = bytes.as_chunks::<8>();
        let acc = words.iter().fold(u64::from_le_bytes(*last), |acc, w| {
            acc | u64::from_le_bytes(*w)
        });
        acc & HIGH == 0
    } else if n >= 4 {
        // 4 to 7 bytes: the first four and the last four.
        let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) else {
            return false;
        };
        (u32::from_le_bytes(*first) | u32::from_le_bytes(*last)) & 0x8080_8080 == 0
    } else {
        bytes.iter().all(u8::is_ascii)
    }
}

#[cfg(test)]
mod tests {
    /// Agrees with the standard library's `is_ascii` for every length up to
    /// 40 with one non-ASCII byte at each place, and with none.
    #[test]
    fn is_ascii_agrees_with_std() {
        for n in 0..40 {
            let clean = vec![b'a'; n];
            assert!(super::is_ascii(&clean));
            for i in 0..n {
                for high in [0x80, 0xc3, 0xff] {
                    let mut b = clean.clone();
                    b[i] = high;
                    assert_eq!(
                        super::is_ascii(&b),
                        b.is_ascii(),
                        "{n} bytes, 0x{high:x} at {i}"
                    );
                    assert!(!super::is_ascii(&b));
                }
            }
        }
    }
}
