//! Python's `str()`/`repr()` of the values flytekit prints, and the character
//! classes (`str.isprintable`, `str.isspace`, `re`'s `\w` and `\d`) they rely on.

use std::fmt::Write as _;

use crate::unicode_tables::{DIGIT, NOT_PRINTABLE, SPACE, WORD};

/// Whether `c` lies in one of the sorted inclusive ranges of `table`.
fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let cp = u32::from(c);
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Python's `str.isprintable()` for one character (Python 3.11, Unicode 14.0).
///
/// False for the categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs, except the
/// ASCII space.
///
/// ```
/// use flyte_ray_fmt::py_isprintable;
/// assert!(py_isprintable(' '));
/// assert!(py_isprintable('é'));
/// assert!(!py_isprintable('\u{a0}')); // NO-BREAK SPACE, Zs
/// assert!(!py_isprintable('\u{2028}')); // LINE SEPARATOR, Zl
/// assert!(!py_isprintable('\u{200d}')); // ZERO WIDTH JOINER, Cf
/// ```
pub fn py_isprintable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !in_table(NOT_PRINTABLE, c)
}

/// Python's `str.isspace()` for one character: what `str.split()` and
/// `str.strip()` treat as whitespace.
pub(crate) fn py_isspace(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1c'..='\x1f' | ' '
        );
    }
    in_table(SPACE, c)
}

/// `re`'s `\w` on a `str` pattern: `c.isalnum()` or `_`.
pub(crate) fn py_is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    in_table(WORD, c)
}

/// `re`'s `\d` on a `str` pattern: a decimal digit (category Nd).
pub(crate) fn py_is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_table(DIGIT, c)
}

/// Python's `repr()` of a `str`.
///
/// Single quotes unless the text contains `'` and no `"`; the chosen quote
/// and `\` are escaped, `\t`, `\n`, `\r` written as such, and every other
/// character that is not [printable](py_isprintable) as `\xNN`, `\uNNNN` or
/// `\UNNNNNNNN` (lowercase hex).
///
/// ```
/// use flyte_ray_fmt::py_repr_str;
/// assert_eq!(py_repr_str("it's"), r#""it's""#);
/// assert_eq!(py_repr_str("both ' and \""), r#"'both \' and "'"#);
/// assert_eq!(py_repr_str("a\u{a0}b\u{1}"), r"'a\xa0b\x01'");
/// ```
pub fn py_repr_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_py_repr_str(&mut out, s);
    out
}

/// [`py_repr_str`] appending to `out`.
pub(crate) fn push_py_repr_str(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if py_isprintable(c) => out.push(c),
            c => {
                let cp = u32::from(c);
                // Writing to a String cannot fail.
                let _ = if cp <= 0xff {
                    write!(out, "\\x{cp:02x}")
                } else if cp <= 0xffff {
                    write!(out, "\\u{cp:04x}")
                } else {
                    write!(out, "\\U{cp:08x}")
                };
            }
        }
    }
    out.push(quote);
}

/// Python's `repr()` of a `bytes` value (`b'...'`).
pub(crate) fn push_py_repr_bytes(out: &mut String, b: &[u8]) {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    out.push('b');
    out.push(char::from(quote));
    for &byte in b {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            q if q == quote => {
                out.push('\\');
                out.push(char::from(q));
            }
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out.push(char::from(quote));
}

/// Python's `repr()` of a `float` (shortest round-trip digits; scientific
/// notation below `1e-4` and from `1e16`; `nan`, `inf`, `-0.0`).
pub(crate) fn push_py_repr_float(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("nan");
        return;
    }
    if v.is_infinite() {
        out.push_str(if v > 0.0 { "inf" } else { "-inf" });
        return;
    }
    // Rust's `{:e}` gives the shortest digits that read back, like Python's
    // repr. When two strings of that length read back and `v` lies exactly
    // halfway between them, Rust takes the upper one and Python (David
    // Gay's dtoa) the even one (`-689523386215485.25` is `...485.2` in
    // Python); the correctly rounded string of the same length (`{:.*e}`
    // rounds the exact value half to even) is Python's whenever it reads
    // back.
    let shortest = format!("{v:e}");
    let (_, short_digits, _) = sci_parts(&shortest);
    let precision = short_digits.len().saturating_sub(1);
    let rounded = format!("{v:.precision$e}");
    let chosen = if rounded != shortest && rounded.parse::<f64>().ok() == Some(v) {
        rounded
    } else {
        shortest
    };
    let (neg, digits, exp) = sci_parts(&chosen);
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        push_fixed(out, &digits, exp, true);
    } else {
        push_sci(out, &digits, exp);
    }
}

/// The sign, the mantissa's digits (point dropped) and the exponent of
/// Rust's `{:e}` form of a finite number: `-1.25e3` gives `(true, "125", 3)`.
fn sci_parts(sci: &str) -> (bool, String, i32) {
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).collect();
    (neg, digits, exp)
}

/// Writes `0.d1d2...` scaled so the first digit has decimal exponent `exp`
/// (`-4 <= exp`); with `point_zero`, an integral value gets `.0`.
fn push_fixed(out: &mut String, digits: &str, exp: i32, point_zero: bool) {
    let n = digits.len();
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits);
        return;
    }
    let int_len = usize::try_from(exp).unwrap_or(0) + 1;
    if n <= int_len {
        out.push_str(digits);
        for _ in n..int_len {
            out.push('0');
        }
        if point_zero {
            out.push_str(".0");
        }
    } else {
        out.push_str(&digits[..int_len]);
        out.push('.');
        out.push_str(&digits[int_len..]);
    }
}

/// Writes `d1.d2d3...e±XX` (no point when there is one digit).
fn push_sci(out: &mut String, digits: &str, exp: i32) {
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
}

/// C's `printf("%.{precision}g", v)` for a finite `v`.
pub(crate) fn push_c_g(out: &mut String, v: f64, precision: usize) {
    let p = precision.max(1);
    let (neg, digits, exp) = sci_parts(&format!("{:.*e}", p - 1, v));
    // %g drops trailing zeros of the fraction (no `#` flag).
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    if neg {
        out.push('-');
    }
    let p_i32 = i32::try_from(p).unwrap_or(i32::MAX);
    if exp >= -4 && exp < p_i32 {
        push_fixed(out, digits, exp, false);
    } else {
        push_sci(out, digits, exp);
    }
}
