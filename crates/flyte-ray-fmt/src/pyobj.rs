//! Python objects as `json.loads` produces them: [`PyValue`] and its exact,
//! arbitrary-size integer [`PyInt`], plus [`PyValue::from_json_str`], a
//! reader with `json.loads`'s semantics.
//!
//! These are what [`crate::pyjson::dumps`] (`json.dumps`) and
//! [`crate::pyyaml::dump`] (`yaml.dump`) print.
//!
//! # `json.loads` semantics kept by [`PyValue::from_json_str`]
//!
//! - A number is a `float` iff its text has `.`, `e` or `E` (`2.0` is a
//!   float, `2` an int); ints keep every digit (`2**64`, `10**30`).
//! - Floats are read as Python's `float()` reads them (correctly rounded);
//!   `1e400` is `inf`, `1e-400` is `0.0`, `-0.0` keeps its sign.
//! - `NaN`, `Infinity` and `-Infinity` are accepted, as `json.loads` does by
//!   default.
//! - Objects keep insertion order; for a duplicate key the value of the
//!   **last** occurrence is kept at the position of the **first** (a Python
//!   `dict` assigned twice).
//! - Whitespace is only space, tab, `\n` and `\r`; a leading U+FEFF (BOM) is
//!   an error, as is anything after the value; raw control characters
//!   (below U+0020) inside strings are errors (`strict=True`).
//! - Escapes: `\" \\ \/ \b \f \n \r \t \uXXXX` (hex in either case); a
//!   high surrogate escape followed by a low surrogate escape is one
//!   character.
//!
//! # Where it differs, and why
//!
//! - A lone surrogate (`"\ud800"`) is a valid Python `str` but cannot be
//!   held in a Rust `String`: it is an error here (with its position).
//! - An int of more than [`PyInt::MAX_DIGITS`] digits is an error, as it is
//!   in Python 3.11 (`sys.get_int_max_str_digits()` is 4300 by default: both
//!   `int(text)` and `str(n)` refuse longer numbers).
//! - Nesting deeper than [`MAX_DEPTH`] and input longer than
//!   [`MAX_INPUT_LEN`] bytes are errors. Python's limits are its recursion
//!   limit (about 1000 levels for `json.loads`, fewer for `yaml.dump`) and
//!   memory.
//!
//! A `PyValue` is a tree: Python objects shared between two places (which
//! `yaml.dump` would print with `&id001` anchors) cannot be expressed, and
//! `json.loads` never produces them.
//!
//! The printers walk trees of any depth with their own stack. The derived
//! `Clone`, `PartialEq`, `Debug` and drop glue recurse, like those of
//! `serde_json::Value`: trees from [`PyValue::from_json_str`] are at most
//! [`MAX_DEPTH`] deep; a tree built by hand tens of thousands of levels
//! deep must be taken apart iteratively. `==` compares floats as `f64`
//! does (`NaN != NaN`, `-0.0 == 0.0`).

use std::fmt;
use std::str::FromStr;

/// Deepest nesting of lists and dicts that [`PyValue::from_json_str`]
/// accepts (the top-level value is depth 1).
pub const MAX_DEPTH: usize = 512;

/// Longest input, in bytes, that [`PyValue::from_json_str`] accepts.
pub const MAX_INPUT_LEN: usize = 64 << 20;

/// A Python object of the kinds `json.loads` returns.
///
/// ```
/// use flyte_ray_fmt::pyobj::{PyInt, PyValue};
///
/// let v = PyValue::from_json_str(r#"{"pip": ["numpy"], "n": 18446744073709551616, "x": 2.0}"#)?;
/// let PyValue::Dict(entries) = &v else { panic!("a dict") };
/// assert_eq!(entries[0], ("pip".to_owned(), PyValue::List(vec![PyValue::Str("numpy".into())])));
/// assert_eq!(entries[1].1, PyValue::Int("18446744073709551616".parse::<PyInt>()?));
/// assert_eq!(entries[2].1, PyValue::Float(2.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    /// `None` (JSON `null`).
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int`, exact.
    Int(PyInt),
    /// A `float` (IEEE double; NaN and infinities allowed).
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `list`.
    List(Vec<PyValue>),
    /// A `dict` with `str` keys, in insertion order. The printers assume
    /// the keys are distinct, as in a Python `dict`; duplicates are printed
    /// as given (never dropped).
    Dict(Vec<(String, PyValue)>),
}

/// An exact Python `int` of any size, kept as its canonical decimal text
/// (`-?(0|[1-9][0-9]*)`, at most [`PyInt::MAX_DIGITS`] digits).
///
/// ```
/// use flyte_ray_fmt::pyobj::PyInt;
///
/// let big: PyInt = "1000000000000000000000000000000".parse()?;
/// assert_eq!(big.as_str(), "1000000000000000000000000000000");
/// assert_eq!(big.to_i64(), None);
/// assert_eq!("-007".parse::<PyInt>()?.as_str(), "-7");
/// assert_eq!("-0".parse::<PyInt>()?, PyInt::from(0));
/// assert_eq!(PyInt::from(u64::MAX).to_string(), "18446744073709551615");
/// assert!("1.5".parse::<PyInt>().is_err());
/// # Ok::<(), flyte_ray_fmt::pyobj::PyIntError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PyInt(String);

/// Why a text is not a [`PyInt`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PyIntError {
    /// Not an optional sign followed by ASCII digits.
    #[error("invalid int literal {text:?}: expected an optional sign and decimal digits")]
    Syntax {
        /// The text given (at most 40 characters of it).
        text: String,
    },
    /// More digits than Python converts by default.
    #[error(
        "int of {digits} digits exceeds the limit of {} digits for integer string conversion",
        PyInt::MAX_DIGITS
    )]
    TooLong {
        /// How many digits (after leading zeros are dropped).
        digits: usize,
    },
}

impl PyInt {
    /// Python 3.11's default `sys.get_int_max_str_digits()`: longer ints
    /// are refused by `int(str)` and `str(int)` alike.
    pub const MAX_DIGITS: usize = 4300;

    /// The canonical decimal text (`-` for negatives, no leading zeros).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as an `i64`, when it fits.
    pub fn to_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// The value as an `i128`, when it fits.
    pub fn to_i128(&self) -> Option<i128> {
        self.0.parse().ok()
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.0.starts_with('-')
    }
}

impl FromStr for PyInt {
    type Err = PyIntError;

    /// Reads `[+-]?[0-9]+` (leading zeros allowed and dropped; `-0` is 0).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (neg, digits) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PyIntError::Syntax {
                text: s.chars().take(40).collect(),
            });
        }
        let digits = digits.trim_start_matches('0');
        if digits.len() > Self::MAX_DIGITS {
            return Err(PyIntError::TooLong {
                digits: digits.len(),
            });
        }
        Ok(if digits.is_empty() {
            PyInt("0".to_owned())
        } else if neg {
            PyInt(format!("-{digits}"))
        } else {
            PyInt(digits.to_owned())
        })
    }
}

impl fmt::Display for PyInt {
    /// `str(n)`: the canonical decimal text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! py_int_from {
    ($($t:ty),*) => {$(
        impl From<$t> for PyInt {
            fn from(v: $t) -> Self {
                PyInt(v.to_string())
            }
        }
    )*};
}
py_int_from!(
    i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, isize, usize
);

impl PyValue {
    /// Reads `text` as `json.loads(text)` does (see the [module
    /// docs](self) for the rules and the few differences).
    ///
    /// ```
    /// use flyte_ray_fmt::pyobj::PyValue;
    ///
    /// let v = PyValue::from_json_str(r#"{"a": 1, "b": 2, "a": 3}"#)?;
    /// assert_eq!(v, PyValue::Dict(vec![
    ///     ("a".into(), PyValue::Int(3.into())),
    ///     ("b".into(), PyValue::Int(2.into())),
    /// ]));
    /// let err = PyValue::from_json_str("[1, 2,]").unwrap_err();
    /// assert_eq!(err.to_string(), "expecting value: line 1 column 7 (char 6)");
    /// # Ok::<(), flyte_ray_fmt::pyobj::PyJsonError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PyJsonError`], saying what and where (line, column and character
    /// offset, counted in characters as Python does).
    pub fn from_json_str(text: &str) -> Result<PyValue, PyJsonError> {
        crate::json_read::read(text)
    }

    /// The Python type name (`NoneType`, `bool`, `int`, `float`, `str`,
    /// `list`, `dict`).
    pub fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "NoneType",
            PyValue::Bool(_) => "bool",
            PyValue::Int(_) => "int",
            PyValue::Float(_) => "float",
            PyValue::Str(_) => "str",
            PyValue::List(_) => "list",
            PyValue::Dict(_) => "dict",
        }
    }
}

impl From<PyInt> for PyValue {
    fn from(v: PyInt) -> Self {
        PyValue::Int(v)
    }
}

impl From<&str> for PyValue {
    fn from(v: &str) -> Self {
        PyValue::Str(v.to_owned())
    }
}

impl From<String> for PyValue {
    fn from(v: String) -> Self {
        PyValue::Str(v)
    }
}

impl From<bool> for PyValue {
    fn from(v: bool) -> Self {
        PyValue::Bool(v)
    }
}

impl From<f64> for PyValue {
    fn from(v: f64) -> Self {
        PyValue::Float(v)
    }
}

/// Why [`PyValue::from_json_str`] refused its input, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}: line {line} column {column} (char {offset})")]
pub struct PyJsonError {
    /// What is wrong.
    pub kind: PyJsonErrorKind,
    /// 1-based line of the offending character.
    pub line: usize,
    /// 1-based column (in characters) of the offending character.
    pub column: usize,
    /// 0-based offset in characters from the start of the input.
    pub offset: usize,
}

/// What [`PyJsonError`] found wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PyJsonErrorKind {
    /// No value where one must start.
    #[error("expecting value")]
    ExpectingValue,
    /// A `,` or the closing bracket was expected.
    #[error("expecting ',' delimiter")]
    ExpectingDelimiter,
    /// A `:` after an object key was expected.
    #[error("expecting ':' delimiter")]
    ExpectingColon,
    /// An object key (a string in double quotes) was expected.
    #[error("expecting property name enclosed in double quotes")]
    ExpectingKey,
    /// A string runs to the end of the input.
    #[error("unterminated string starting here")]
    UnterminatedString,
    /// A raw control character inside a string.
    #[error("invalid control character {char:?}")]
    ControlCharacter {
        /// The character.
        char: char,
    },
    /// A `\` not followed by a valid escape.
    #[error("invalid \\escape")]
    InvalidEscape,
    /// A `\u` not followed by four hex digits (located at the `u`).
    #[error("invalid \\uXXXX escape")]
    InvalidUnicodeEscape,
    /// A `\u` escape that names a lone surrogate.
    #[error(
        "lone surrogate \\u{code:04x}: a valid Python str, but not representable in a Rust String"
    )]
    LoneSurrogate {
        /// The surrogate code unit.
        code: u16,
    },
    /// An int that Python refuses to convert.
    #[error("{0}")]
    Int(PyIntError),
    /// Text after the value.
    #[error("extra data")]
    ExtraData,
    /// A UTF-8 byte order mark at the start.
    #[error("unexpected UTF-8 BOM (decode using utf-8-sig)")]
    Bom,
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("nesting deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// Input longer than [`MAX_INPUT_LEN`] bytes.
    #[error("input of {len} bytes is longer than the limit of {MAX_INPUT_LEN}")]
    TooLong {
        /// The input's length in bytes.
        len: usize,
    },
}
