//! yaml.v2's decision to quote a string: would it, written plain, read back as something
//! other than a string (`resolve("", s)` is not `!!str`, or `isBase60Float(s)`)?
//!
//! yaml.v2 decides with Go's `strconv.ParseInt`/`ParseUint`/`ParseFloat`, `regexp` and
//! `time.Parse`; their acceptance rules are restated here (by hand: no crate parses with Go's
//! grammars, and the quoting has to match Go's exactly).

/// The spellings yaml.v2 maps to booleans, null, infinities, NaN and merge.
const RESOLVE_MAP: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No",
    "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan",
    ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    "<<",
];

/// Whether yaml.v2 double-quotes `s` (when it has no line break): a plain `s` would not read
/// back as the same string.
///
/// ```
/// use flyte_ray_fmt::goyaml::resolves_as_non_string;
/// for s in ["", "y", "No", "~", "1", "0x1F", "1_000", "-1.5e3", ".5", "2001-02-03", "1:20", ".inf"] {
///     assert!(resolves_as_non_string(s), "{s}");
/// }
/// for s in ["yep", "<<", "0x", "1e5000", ".5e999", "2001-02-30", "1:60", "nan", "1.2.3", "abc"] {
///     assert!(!resolves_as_non_string(s), "{s}");
/// }
/// ```
pub fn resolves_as_non_string(s: &str) -> bool {
    !resolves_as_str(s) || is_base60_float(s)
}

fn resolves_as_str(s: &str) -> bool {
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        // No hint: always a string (this is why `<<` is never quoted).
        Some(_) => return true,
    };
    if RESOLVE_MAP.contains(&s) {
        return false;
    }
    match hint {
        b'.' => !go_parse_float_ok(s),
        b'D' | b'S' => {
            if is_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int(&plain, 0).is_some() || go_parse_uint(&plain, 0).is_some() {
                return false;
            }
            if is_yaml_style_float(&plain) && go_parse_float_ok(&plain) {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if go_parse_int(rest, 2).is_some() || go_parse_uint(rest, 2).is_some() {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b")
                && go_parse_int(&format!("-{rest}"), 2).is_some()
            {
                return false;
            }
            true
        }
        _ => true,
    }
}

/// `strconv.ParseUint(s, base, 64)` for base 0 (prefixes `0x`, `0o`, `0b`, `0`) or 2; `s`
/// has no underscores.
fn go_parse_uint(s: &str, base: u32) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (radix, digits) = if base == 0 {
        if b[0] == b'0' {
            match b.get(1).map(u8::to_ascii_lowercase) {
                Some(b'b') if b.len() >= 3 => (2, &b[2..]),
                Some(b'o') if b.len() >= 3 => (8, &b[2..]),
                Some(b'x') if b.len() >= 3 => (16, &b[2..]),
                _ => (8, &b[1..]),
            }
        } else {
            (10, b)
        }
    } else {
        (base, b)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = char::from(c).to_digit(36)?;
        if d >= radix {
            return None;
        }
        n = n.checked_mul(u64::from(radix))?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// `strconv.ParseInt(s, base, 64)`: an optional sign, then [`go_parse_uint`] within `i64`.
fn go_parse_int(s: &str, base: u32) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = go_parse_uint(rest, base)?;
    if neg {
        if u > 1 << 63 {
            None
        } else {
            Some((u as i64).wrapping_neg())
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// yaml.v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if let Some(b'+' | b'-') = b.first() {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat(s, 64)` succeeds: Go's decimal float syntax (underscores only between
/// digits), and no overflow. Hex floats and `inf`/`nan` never reach here (the first byte is a
/// `.`, or `s` matched [`is_yaml_style_float`]).
fn go_parse_float_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    match b.first() {
        Some(b'+') => i += 1,
        Some(b'-') => {
            neg = true;
            i += 1;
        }
        _ => {}
    }
    let mut int = String::new();
    let mut frac = String::new();
    let mut sawdot = false;
    let mut sawdigits = false;
    let mut underscores = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'_' => underscores = true,
            b'.' if !sawdot => sawdot = true,
            b'0'..=b'9' => {
                sawdigits = true;
                if sawdot { &mut frac } else { &mut int }.push(char::from(c));
            }
            _ => break,
        }
        i += 1;
    }
    if !sawdigits {
        return false;
    }
    let mut exp = String::new();
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(&c @ (b'+' | b'-')) = b.get(i) {
            exp.push(char::from(c));
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while let Some(&c @ (b'0'..=b'9' | b'_')) = b.get(i) {
            if c == b'_' {
                underscores = true;
            } else {
                exp.push(char::from(c));
            }
            i += 1;
        }
    }
    if i != b.len() || (underscores && !underscore_ok(s)) {
        return false;
    }
    let canonical = format!(
        "{}{}.{}e{}",
        if neg { "-" } else { "" },
        if int.is_empty() { "0" } else { &int },
        if frac.is_empty() { "0" } else { &frac },
        if exp.is_empty() || exp == "+" || exp == "-" {
            "0"
        } else {
            &exp
        }
    );
    // An exponent too long for i32 is still a valid Go float (0 or ±Inf): Rust's parser
    // handles long exponents too.
    canonical.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Go's `underscoreOK` for a decimal number: each `_` between two digits.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let b = match b.first() {
        Some(b'+' | b'-') => &b[1..],
        _ => b,
    };
    let mut saw = b'^';
    for &c in b {
        if c.is_ascii_digit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// yaml.v2's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if let Some(b'+' | b'-') = b.first() {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut segments = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let Some(&d1) = b.get(i).filter(|c| c.is_ascii_digit()) else {
            return false;
        };
        i += 1;
        // A digit cannot follow a segment, so a second digit belongs to it (if allowed).
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            if d1 > b'5' {
                return false;
            }
            i += 1;
        }
        segments += 1;
    }
    if segments == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// One element of a `time.Parse` layout used by yaml.v2.
#[derive(Clone, Copy)]
enum Tok {
    Lit(&'static str),
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Frac9,
    /// `Z07:00`.
    Zone,
}

use Tok::{Day, Frac9, Hour, Lit, Minute, Month, Second, Year, Zone};

/// yaml.v2's `allowedTimestampFormats`, as token lists.
const LAYOUTS: &[&[Tok]] = &[
    // 2006-1-2T15:4:5.999999999Z07:00
    &[
        Year,
        Lit("-"),
        Month,
        Lit("-"),
        Day,
        Lit("T"),
        Hour,
        Lit(":"),
        Minute,
        Lit(":"),
        Second,
        Frac9,
        Zone,
    ],
    // 2006-1-2t15:4:5.999999999Z07:00
    &[
        Year,
        Lit("-"),
        Month,
        Lit("-"),
        Day,
        Lit("t"),
        Hour,
        Lit(":"),
        Minute,
        Lit(":"),
        Second,
        Frac9,
        Zone,
    ],
    // 2006-1-2 15:4:5.999999999
    &[
        Year,
        Lit("-"),
        Month,
        Lit("-"),
        Day,
        Lit(" "),
        Hour,
        Lit(":"),
        Minute,
        Lit(":"),
        Second,
        Frac9,
    ],
    // 2006-1-2
    &[Year, Lit("-"), Month, Lit("-"), Day],
];

/// yaml.v2's `parseTimestamp`: four digits and a `-`, then one of the layouts parses.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if lead != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    LAYOUTS.iter().any(|layout| time_parse(layout, b))
}

/// Go's `getnum(s, fixed)`: one or two digits (two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(u32, &[u8])> {
    let d0 = s.first().filter(|c| c.is_ascii_digit())?;
    match s.get(1).filter(|c| c.is_ascii_digit()) {
        Some(d1) => Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &s[2..])),
        None if fixed => None,
        None => Some((u32::from(d0 - b'0'), &s[1..])),
    }
}

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether Go's `time.Parse(layout, value)` succeeds, for the tokens yaml.v2's layouts use.
fn time_parse(layout: &[Tok], value: &[u8]) -> bool {
    let mut v = value;
    let (mut year, mut month, mut day) = (0i64, 1u32, 1u32);
    let is_digit = |s: &[u8], i: usize| s.get(i).is_some_and(u8::is_ascii_digit);
    for tok in layout {
        match *tok {
            Lit(lit) => {
                // Go's `skip`: a space in the layout matches any run of spaces, even none.
                let mut p = lit.as_bytes();
                while let Some(&c) = p.first() {
                    if c == b' ' {
                        if v.first().is_some_and(|&x| x != b' ') {
                            return false;
                        }
                        p = trim_spaces(p);
                        v = trim_spaces(v);
                        continue;
                    }
                    if v.first() != Some(&c) {
                        return false;
                    }
                    p = &p[1..];
                    v = &v[1..];
                }
            }
            Year => {
                if v.len() < 4 || !is_digit(v, 0) {
                    return false;
                }
                let digits = &v[..4];
                if !digits.iter().all(u8::is_ascii_digit) {
                    return false;
                }
                year = digits.iter().fold(0, |n, c| n * 10 + i64::from(c - b'0'));
                v = &v[4..];
            }
            Month | Day | Hour | Minute | Second => {
                let Some((n, rest)) = getnum(v, false) else {
                    return false;
                };
                v = rest;
                let ok = match *tok {
                    Month => {
                        month = n;
                        (1..=12).contains(&n)
                    }
                    Day => {
                        day = n;
                        true
                    }
                    Hour => n < 24,
                    _ => n < 60,
                };
                if !ok {
                    return false;
                }
            }
            Frac9 => {
                if v.len() >= 2 && (v[0] == b'.' || v[0] == b',') && v[1].is_ascii_digit() {
                    let mut i = 0;
                    while i < 9 && is_digit(v, i + 1) {
                        i += 1;
                    }
                    v = &v[1 + i..];
                }
            }
            Zone => {
                if v.first() == Some(&b'Z') {
                    v = &v[1..];
                    continue;
                }
                if v.len() < 6 || v[3] != b':' {
                    return false;
                }
                let (Some((hr, _)), Some((mm, _))) =
                    (getnum(&v[1..3], true), getnum(&v[4..6], true))
                else {
                    return false;
                };
                if v[0] != b'+' && v[0] != b'-' {
                    return false;
                }
                // Go ≥ 1.23 rejects offsets beyond 24 hours or 60 minutes.
                if hr > 24 || mm > 60 {
                    return false;
                }
                v = &v[6..];
            }
        }
    }
    v.is_empty() && day >= 1 && day <= days_in(month, year)
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b' ').count();
    &s[n..]
}
