//! Go's `json.Unmarshal(data, &m)` with `m` a `map[string]interface{}`: the syntax check of
//! Go's scanner (same messages), then the decoding (`float64` numbers, last duplicate key
//! wins, U+FFFD for invalid UTF-8 and lone surrogates, first type error kept).
//!
//! Hand-written because Go's exact error texts and its UTF-8 repair (one U+FFFD per bad
//! byte) are part of the contract; `serde_json` reports neither the same way.

use std::collections::BTreeMap;

use super::{GoValue, GoYamlError, MAX_DEPTH};

/// Go's `quoteChar`: how a byte is shown in a `SyntaxError`.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_owned(),
        b'"' => "'\"'".to_owned(),
        // `strconv.Quote(string(rune(c)))` without its double quotes.
        _ => {
            let r = char::from(c);
            let inner = match r {
                '\u{7}' => "\\a".to_owned(),
                '\u{8}' => "\\b".to_owned(),
                '\u{c}' => "\\f".to_owned(),
                '\n' => "\\n".to_owned(),
                '\r' => "\\r".to_owned(),
                '\t' => "\\t".to_owned(),
                '\u{b}' => "\\v".to_owned(),
                '\\' => "\\\\".to_owned(),
                // Go's `IsPrint`: no C0/C1 controls, DEL or U+00AD below U+0100.
                c if (c as u32) < 0x20 || c as u32 == 0x7f => format!("\\x{:02x}", c as u32),
                c if (0x80..0xa0).contains(&(c as u32)) || c as u32 == 0xad => {
                    format!("\\u{:04x}", c as u32)
                }
                c => c.to_string(),
            };
            format!("'{inner}'")
        }
    }
}

/// A value being built: the containers still open.
enum Frame {
    Object {
        map: BTreeMap<String, GoValue>,
        key: String,
    },
    Array(Vec<GoValue>),
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    /// First type error met (Go's `savedError`), reported only if the syntax is valid.
    type_error: Option<GoYamlError>,
    /// The top-level key whose value is being decoded (Go's error context).
    top_key: Option<String>,
}

type Res<T> = Result<T, GoYamlError>;

impl<'a> Parser<'a> {
    fn syntax(&self, c: u8, context: &'static str) -> GoYamlError {
        GoYamlError::Syntax {
            quoted: quote_char(c),
            context,
            offset: self.pos + 1,
        }
    }

    /// An error at byte `c` at the current position, or — at the end of the input — what
    /// Go's scanner says when fed the space it uses at EOF.
    fn fail(&self, context: &'static str) -> GoYamlError {
        match self.data.get(self.pos) {
            Some(&c) => self.syntax(c, context),
            None => GoYamlError::Syntax {
                quoted: quote_char(b' '),
                context,
                offset: self.pos,
            },
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.data.get(self.pos) {
            self.pos += 1;
        }
    }

    fn expect_lit(&mut self, rest: &[u8], contexts: &[&'static str]) -> Res<()> {
        for (i, &want) in rest.iter().enumerate() {
            if self.data.get(self.pos) != Some(&want) {
                return Err(self.fail(contexts[i]));
            }
            self.pos += 1;
        }
        Ok(())
    }

    fn save(&mut self, err: GoYamlError) {
        if self.type_error.is_none() {
            self.type_error = Some(err);
        }
    }

    /// A number literal starting at `pos` (Go's scanner states), as `float64`.
    fn number(&mut self) -> Res<GoValue> {
        let start = self.pos;
        let d = self.data;
        let digit = |p: usize| d.get(p).is_some_and(u8::is_ascii_digit);
        if d.get(self.pos) == Some(&b'-') {
            self.pos += 1;
            if !digit(self.pos) {
                return Err(self.fail("in numeric literal"));
            }
        }
        if d.get(self.pos) == Some(&b'0') {
            self.pos += 1;
        } else {
            while digit(self.pos) {
                self.pos += 1;
            }
        }
        if d.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digit(self.pos) {
                return Err(self.fail("after decimal point in numeric literal"));
            }
            while digit(self.pos) {
                self.pos += 1;
            }
        }
        if let Some(b'e' | b'E') = d.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = d.get(self.pos) {
                self.pos += 1;
            }
            if !digit(self.pos) {
                return Err(self.fail("in exponent of numeric literal"));
            }
            while digit(self.pos) {
                self.pos += 1;
            }
        }
        let text = std::str::from_utf8(&d[start..self.pos]).unwrap_or("0");
        // The JSON number grammar is a subset of Rust's float grammar; both round correctly,
        // and Go's `ParseFloat` range error is exactly an infinite result.
        let f: f64 = text.parse().unwrap_or(0.0);
        if f.is_infinite() {
            let key = self.top_key.clone().unwrap_or_default();
            self.save(GoYamlError::NumberRange {
                number: text.to_owned(),
                key,
            });
        }
        Ok(GoValue::Float(f))
    }

    /// A string literal; `pos` is at the opening quote.
    fn string(&mut self) -> Res<String> {
        self.pos += 1;
        let mut raw: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.data.get(self.pos) else {
                return Err(GoYamlError::UnexpectedEnd);
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(go_utf8(&raw));
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(&e) = self.data.get(self.pos) else {
                        return Err(self.fail("in string escape code"));
                    };
                    let simple = match e {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(8),
                        b'f' => Some(12),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        _ => return Err(self.fail("in string escape code")),
                    };
                    self.pos += 1;
                    match simple {
                        Some(b) => raw.push(b),
                        None => {
                            let r = self.hex4()?;
                            self.unicode_escape(r, &mut raw)?;
                        }
                    }
                }
                0..=0x1f => return Err(self.fail("in string literal")),
                _ => {
                    raw.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Res<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            let h = self
                .data
                .get(self.pos)
                .and_then(|&c| char::from(c).to_digit(16));
            let Some(h) = h else {
                return Err(self.fail("in \\u hexadecimal character escape"));
            };
            v = v * 16 + h;
            self.pos += 1;
        }
        Ok(v)
    }

    /// Go's `unquote` for `\uXXXX`: a surrogate pair is joined only when a `\uXXXX` low
    /// surrogate follows at once; otherwise U+FFFD and the next escape is read on its own.
    fn unicode_escape(&mut self, r: u32, raw: &mut Vec<u8>) -> Res<()> {
        let mut ch = char::from_u32(r);
        if (0xd800..0xe000).contains(&r) {
            ch = None;
            if r < 0xdc00 && self.data.get(self.pos..self.pos + 2) == Some(b"\\u") {
                // Peek the next escape without consuming it unless it pairs.
                let save = self.pos;
                self.pos += 2;
                let low = self.hex4()?;
                if (0xdc00..0xe000).contains(&low) {
                    ch = char::from_u32(0x10000 + ((r - 0xd800) << 10) + (low - 0xdc00));
                } else {
                    self.pos = save;
                }
            }
        }
        let ch = ch.unwrap_or('\u{fffd}');
        let mut buf = [0u8; 4];
        raw.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }
}

/// Go's conversion of bytes to a valid string: every byte that does not start a valid UTF-8
/// sequence becomes U+FFFD on its own.
fn go_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{fffd}');
                rest = bad.get(1..).unwrap_or_default();
            }
        }
    }
}

/// `json.Unmarshal` into a `map[string]interface{}`: `Ok(None)` for `null` (a nil map).
///
/// ```
/// use flyte_ray_fmt::goyaml::{unmarshal_json, GoValue};
/// let m = unmarshal_json(br#"{"a": 1, "a": [true, null, "\ud800x"]}"#).unwrap().unwrap();
/// assert_eq!(
///     m["a"],
///     GoValue::Slice(vec![GoValue::Bool(true), GoValue::Nil, GoValue::String("\u{fffd}x".into())])
/// );
/// assert_eq!(unmarshal_json(b" null ").unwrap(), None);
/// assert_eq!(
///     unmarshal_json(b"{\"a\" 1}").unwrap_err().to_string(),
///     "invalid character '1' after object key"
/// );
/// assert_eq!(
///     unmarshal_json(b"[tru").unwrap_err().to_string(),
///     "invalid character ' ' in literal true (expecting 'e')"
/// );
/// ```
///
/// # Errors
///
/// Go's syntax error for the first bad byte, else the first type error: a top-level value
/// that is not an object nor `null`, or a number beyond `float64`.
pub fn unmarshal_json(data: &[u8]) -> Result<Option<BTreeMap<String, GoValue>>, GoYamlError> {
    let mut p = Parser {
        data,
        pos: 0,
        type_error: None,
        top_key: None,
    };
    let mut stack: Vec<Frame> = Vec::new();
    p.skip_space();
    let mut top: GoValue;
    // The top-level kind decides the type error before anything inside is decoded.
    'value: loop {
        // At the start of a value.
        let Some(&c) = p.data.get(p.pos) else {
            return Err(GoYamlError::UnexpectedEnd);
        };
        let depth = stack.len();
        let mut value = match c {
            b'{' | b'[' => {
                if depth + 1 > MAX_DEPTH {
                    return Err(p.syntax(c, "exceeded max depth"));
                }
                if depth == 0 && c == b'[' {
                    p.save(GoYamlError::NotAnObject { found: "array" });
                }
                p.pos += 1;
                p.skip_space();
                if c == b'[' {
                    if p.data.get(p.pos) == Some(&b']') {
                        p.pos += 1;
                        GoValue::Slice(Vec::new())
                    } else {
                        stack.push(Frame::Array(Vec::new()));
                        continue 'value;
                    }
                } else {
                    match p.data.get(p.pos) {
                        Some(b'}') => {
                            p.pos += 1;
                            GoValue::Map(BTreeMap::new())
                        }
                        Some(b'"') => {
                            let key = p.string()?;
                            if depth == 0 {
                                p.top_key = Some(key.clone());
                            }
                            p.skip_space();
                            if p.data.get(p.pos) != Some(&b':') {
                                return Err(match p.data.get(p.pos) {
                                    None => GoYamlError::UnexpectedEnd,
                                    Some(_) => p.fail("after object key"),
                                });
                            }
                            p.pos += 1;
                            p.skip_space();
                            stack.push(Frame::Object {
                                map: BTreeMap::new(),
                                key,
                            });
                            continue 'value;
                        }
                        None => return Err(GoYamlError::UnexpectedEnd),
                        Some(_) => return Err(p.fail("looking for beginning of object key string")),
                    }
                }
            }
            b'"' => {
                if depth == 0 {
                    p.save(GoYamlError::NotAnObject { found: "string" });
                }
                GoValue::String(p.string()?)
            }
            b'-' | b'0'..=b'9' => {
                if depth == 0 {
                    p.save(GoYamlError::NotAnObject { found: "number" });
                }
                p.number()?
            }
            b't' => {
                p.pos += 1;
                p.expect_lit(
                    b"rue",
                    &[
                        "in literal true (expecting 'r')",
                        "in literal true (expecting 'u')",
                        "in literal true (expecting 'e')",
                    ],
                )?;
                if depth == 0 {
                    p.save(GoYamlError::NotAnObject { found: "bool" });
                }
                GoValue::Bool(true)
            }
            b'f' => {
                p.pos += 1;
                p.expect_lit(
                    b"alse",
                    &[
                        "in literal false (expecting 'a')",
                        "in literal false (expecting 'l')",
                        "in literal false (expecting 's')",
                        "in literal false (expecting 'e')",
                    ],
                )?;
                if depth == 0 {
                    p.save(GoYamlError::NotAnObject { found: "bool" });
                }
                GoValue::Bool(false)
            }
            b'n' => {
                p.pos += 1;
                p.expect_lit(
                    b"ull",
                    &[
                        "in literal null (expecting 'u')",
                        "in literal null (expecting 'l')",
                        "in literal null (expecting 'l')",
                    ],
                )?;
                GoValue::Nil
            }
            _ => return Err(p.fail("looking for beginning of value")),
        };
        // A value is complete: hand it to its container, then read what follows it.
        loop {
            p.skip_space();
            let Some(frame) = stack.last_mut() else {
                top = value;
                break 'value;
            };
            let next = p.data.get(p.pos).copied();
            match frame {
                Frame::Array(items) => {
                    items.push(value);
                    match next {
                        Some(b',') => {
                            p.pos += 1;
                            p.skip_space();
                            continue 'value;
                        }
                        Some(b']') => {
                            p.pos += 1;
                        }
                        None => return Err(GoYamlError::UnexpectedEnd),
                        Some(_) => return Err(p.fail("after array element")),
                    }
                }
                Frame::Object { map, key } => {
                    map.insert(std::mem::take(key), value);
                    match next {
                        Some(b',') => {
                            p.pos += 1;
                            p.skip_space();
                            match p.data.get(p.pos) {
                                Some(b'"') => {}
                                None => return Err(GoYamlError::UnexpectedEnd),
                                Some(_) => {
                                    return Err(
                                        p.fail("looking for beginning of object key string")
                                    );
                                }
                            }
                            let k = p.string()?;
                            if stack.len() == 1 {
                                p.top_key = Some(k.clone());
                            }
                            p.skip_space();
                            match p.data.get(p.pos) {
                                Some(b':') => {}
                                None => return Err(GoYamlError::UnexpectedEnd),
                                Some(_) => return Err(p.fail("after object key")),
                            }
                            p.pos += 1;
                            p.skip_space();
                            if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                                *key = k;
                            }
                            continue 'value;
                        }
                        Some(b'}') => {
                            p.pos += 1;
                        }
                        None => return Err(GoYamlError::UnexpectedEnd),
                        Some(_) => return Err(p.fail("after object key:value pair")),
                    }
                }
            }
            // The container closed: it is the value now.
            value = match stack.pop() {
                Some(Frame::Array(items)) => GoValue::Slice(items),
                Some(Frame::Object { map, .. }) => GoValue::Map(map),
                None => GoValue::Nil,
            };
        }
    }
    // After the top-level value only spaces may follow.
    p.skip_space();
    if let Some(&c) = p.data.get(p.pos) {
        return Err(p.syntax(c, "after top-level value"));
    }
    if let Some(err) = p.type_error {
        return Err(err);
    }
    match &mut top {
        GoValue::Map(map) => Ok(Some(std::mem::take(map))),
        _ => Ok(None),
    }
}
