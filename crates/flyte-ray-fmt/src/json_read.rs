//! The reader behind [`PyValue::from_json_str`]: `json.loads` semantics.
//!
//! Hand-written rather than serde_json because `json.loads` differs from
//! serde_json in ways that decide the output: ints must keep every digit
//! (serde_json needs `arbitrary_precision` for that, a feature that would
//! change number handling in every crate of the workspace), `NaN` and
//! `Infinity` are values, and the int/float choice follows the number's
//! text. The grammar is small and each rule is `json.loads`'s
//! (CPython's `_json.c` scanner).

use std::collections::HashMap;

use crate::pyobj::{MAX_DEPTH, MAX_INPUT_LEN, PyInt, PyJsonError, PyJsonErrorKind, PyValue};

/// Objects this long switch from a linear key search to a hash index.
const INDEX_FROM: usize = 16;

pub(crate) fn read(text: &str) -> Result<PyValue, PyJsonError> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    if text.len() > MAX_INPUT_LEN {
        return Err(r.error(0, PyJsonErrorKind::TooLong { len: text.len() }));
    }
    if text.starts_with('\u{feff}') {
        return Err(r.error(0, PyJsonErrorKind::Bom));
    }
    r.skip_ws();
    let value = r.value(1)?;
    r.skip_ws();
    if r.pos < r.bytes.len() {
        return Err(r.error(r.pos, PyJsonErrorKind::ExtraData));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    /// An error at byte offset `at`, located in characters as Python does.
    fn error(&self, at: usize, kind: PyJsonErrorKind) -> PyJsonError {
        let at = at.min(self.text.len());
        let before = self.text.get(..at).unwrap_or(self.text);
        let offset = before.chars().count();
        let line = before.matches('\n').count() + 1;
        let column = match before.rfind('\n') {
            Some(nl) => before[nl + 1..].chars().count() + 1,
            None => offset + 1,
        };
        PyJsonError {
            kind,
            line,
            column,
            offset,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.bytes[self.pos..].starts_with(lit.as_bytes()) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    /// A value starting at `self.pos` (whitespace already skipped); `depth`
    /// is the nesting level a list or dict starting here would have.
    fn value(&mut self, depth: usize) -> Result<PyValue, PyJsonError> {
        let start = self.pos;
        match self.peek() {
            Some(b'"') => Ok(PyValue::Str(self.string()?)),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'n') if self.eat("null") => Ok(PyValue::None),
            Some(b't') if self.eat("true") => Ok(PyValue::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(PyValue::Bool(false)),
            Some(b'N') if self.eat("NaN") => Ok(PyValue::Float(f64::NAN)),
            Some(b'I') if self.eat("Infinity") => Ok(PyValue::Float(f64::INFINITY)),
            Some(b'-') if self.bytes[start + 1..].starts_with(b"Infinity") => {
                self.pos += "-Infinity".len();
                Ok(PyValue::Float(f64::NEG_INFINITY))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error(start, PyJsonErrorKind::ExpectingValue)),
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - from
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`; a `.` or exponent
    /// without digits ends the number before it (what follows is then an
    /// error of the enclosing rule), as in CPython's scanner.
    fn number(&mut self) -> Result<PyValue, PyJsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error(start, PyJsonErrorKind::ExpectingValue)),
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') && matches!(self.bytes.get(self.pos + 1), Some(b'0'..=b'9')) {
            self.pos += 1;
            self.digits();
            is_float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            let before = self.pos;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                self.pos = before;
            } else {
                is_float = true;
            }
        }
        let text = &self.text[start..self.pos];
        if is_float {
            // Rust's parser is correctly rounded, like Python's float();
            // overflow gives an infinity and underflow zero in both.
            match text.parse::<f64>() {
                Ok(v) => Ok(PyValue::Float(v)),
                Err(_) => Err(self.error(start, PyJsonErrorKind::ExpectingValue)),
            }
        } else {
            text.parse::<PyInt>()
                .map(PyValue::Int)
                .map_err(|e| self.error(start, PyJsonErrorKind::Int(e)))
        }
    }

    fn hex4(&self, at: usize) -> Option<u16> {
        let h = self.text.get(at..at + 4)?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u16::from_str_radix(h, 16).ok()
    }

    /// A string; `self.pos` is at the opening quote.
    fn string(&mut self) -> Result<String, PyJsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy the run of ordinary characters in one go.
            let run = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run..self.pos]);
            match self.peek() {
                None => return Err(self.error(open, PyJsonErrorKind::UnterminatedString)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out, open)?,
                Some(b) => {
                    return Err(self.error(
                        self.pos,
                        PyJsonErrorKind::ControlCharacter {
                            char: char::from(b),
                        },
                    ));
                }
            }
        }
    }

    /// One escape; `self.pos` is at the backslash, `open` at the string's
    /// opening quote.
    fn escape(&mut self, out: &mut String, open: usize) -> Result<(), PyJsonError> {
        let at = self.pos;
        let Some(&kind) = self.bytes.get(at + 1) else {
            return Err(self.error(open, PyJsonErrorKind::UnterminatedString));
        };
        let simple = match kind {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            self.pos += 2;
            return Ok(());
        }
        if kind != b'u' {
            return Err(self.error(at, PyJsonErrorKind::InvalidEscape));
        }
        let Some(unit) = self.hex4(at + 2) else {
            return Err(self.error(at + 1, PyJsonErrorKind::InvalidUnicodeEscape));
        };
        self.pos = at + 6;
        let code = match unit {
            0xd800..=0xdbff => {
                let low = if self.bytes[self.pos..].starts_with(b"\\u") {
                    self.hex4(self.pos + 2)
                } else {
                    None
                };
                match low {
                    Some(low @ 0xdc00..=0xdfff) => {
                        self.pos += 6;
                        0x10000 + ((u32::from(unit) - 0xd800) << 10) + (u32::from(low) - 0xdc00)
                    }
                    _ => {
                        return Err(self.error(at, PyJsonErrorKind::LoneSurrogate { code: unit }));
                    }
                }
            }
            0xdc00..=0xdfff => {
                return Err(self.error(at, PyJsonErrorKind::LoneSurrogate { code: unit }));
            }
            _ => u32::from(unit),
        };
        match char::from_u32(code) {
            Some(c) => {
                out.push(c);
                Ok(())
            }
            None => Err(self.error(at, PyJsonErrorKind::InvalidEscape)),
        }
    }

    fn object(&mut self, depth: usize) -> Result<PyValue, PyJsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error(self.pos, PyJsonErrorKind::TooDeep));
        }
        self.pos += 1;
        self.skip_ws();
        let mut entries: Vec<(String, PyValue)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(PyValue::Dict(entries));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.error(self.pos, PyJsonErrorKind::ExpectingKey));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error(self.pos, PyJsonErrorKind::ExpectingColon));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            // A dict assigned twice: the first position, the last value.
            let existing = if entries.len() < INDEX_FROM {
                entries.iter().position(|(k, _)| *k == key)
            } else {
                if index.is_empty() {
                    index = entries
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.clone(), i))
                        .collect();
                }
                index.get(&key).copied()
            };
            match existing {
                Some(i) => entries[i].1 = value,
                None => {
                    if !index.is_empty() {
                        index.insert(key.clone(), entries.len());
                    }
                    entries.push((key, value));
                }
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(PyValue::Dict(entries));
                }
                _ => return Err(self.error(self.pos, PyJsonErrorKind::ExpectingDelimiter)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<PyValue, PyJsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error(self.pos, PyJsonErrorKind::TooDeep));
        }
        self.pos += 1;
        self.skip_ws();
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(PyValue::List(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(PyValue::List(items));
                }
                _ => return Err(self.error(self.pos, PyJsonErrorKind::ExpectingDelimiter)),
            }
        }
    }
}
