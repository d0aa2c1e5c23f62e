//! Go's `runtime_env` → `runtimeEnvYAML` conversion, byte for byte: `encoding/base64`,
//! `encoding/json` into `map[string]interface{}`, and `gopkg.in/yaml.v2` v2.4.0's `Marshal`.
//!
//! Flyte's v1 backend fills a KubeRay RayJob's `spec.runtimeEnvYAML` from the deprecated
//! base64 `runtime_env` with
//! `base64.StdEncoding.DecodeString` → `json.Unmarshal(&map[string]interface{})` →
//! `yaml.Marshal(&obj)` (RENDERING.md §6.10). [`runtime_env_yaml`] does the same three steps;
//! each step is also public ([`decode_base64`], [`unmarshal_json`], [`marshal`]).
//!
//! ```
//! use flyte_ray_fmt::goyaml::runtime_env_yaml;
//!
//! // {"pip": ["numpy"], "env_vars": {"N": "1e3", "on": "y"}, "big": 1000000}
//! let b64 = "eyJwaXAiOiBbIm51bXB5Il0sICJlbnZfdmFycyI6IHsiTiI6ICIxZTMiLCAib24iOiAieSJ9LCAiYmlnIjogMTAwMDAwMH0=";
//! assert_eq!(
//!     runtime_env_yaml(b64)?,
//!     "big: 1e+06\nenv_vars:\n  \"N\": \"1e3\"\n  \"on\": \"y\"\npip:\n- numpy\n"
//! );
//! assert_eq!(runtime_env_yaml("bnVsbA==")?, "{}\n"); // JSON null
//! assert_eq!(
//!     runtime_env_yaml("WzEsIDJd").unwrap_err().to_string(), // [1, 2]
//!     "json: cannot unmarshal array into Go value of type map[string]interface {}"
//! );
//! # Ok::<(), flyte_ray_fmt::goyaml::GoYamlError>(())
//! ```
//!
//! # What is reproduced
//!
//! The contract is the golden cases made by the Go code itself (`tests/data/goyaml/`: the
//! backend's 507 cases from Go 1.27.3, and 3647 more from `scripts/goyaml_oracle` run in
//! Go 1.19.8 with Debian's yaml.v2 2.4.0 over inputs from `scripts/gen_goyaml_cases.py`); the
//! behaviour below was read from the Go and yaml.v2 sources and is checked by those cases.
//!
//! **`encoding/base64` (`StdEncoding`)**: alphabet `+/`, `=` padding required, `\r` and `\n`
//! skipped anywhere, trailing bits of the last quantum ignored (not strict). Errors are
//! `illegal base64 data at input byte N` with Go's offset (the bad byte; the start of an
//! unfinished quantum; the input length for a missing second `=`).
//!
//! **`encoding/json`**: the whole input is first checked for syntax (Go's scanner, and its
//! messages: `invalid character 'x' after object key`, `unexpected end of JSON input`, …; at the
//! end of input inside a token the scanner is fed a space, so `tru` gives
//! `invalid character ' ' in literal true (expecting 'e')`), nesting deeper than 10000 gives
//! `exceeded max depth`. Then: numbers become `float64` (a number out of range is
//! `json: cannot unmarshal number 1e400 into Go struct field .KEY of type float64`, KEY being
//! the top-level key, as Go ≥ 1.24 reports map keys); duplicate keys: the last wins; invalid
//! UTF-8 in strings becomes U+FFFD per bad byte, a lone surrogate escape becomes U+FFFD; only an
//! object or `null` is accepted at the top (`json: cannot unmarshal array into Go value of type
//! map[string]interface {}`); `null` is a nil map. The first such type error is reported, after
//! the syntax check.
//!
//! **yaml.v2 v2.4.0 `Marshal`** (a port of libyaml's emitter with Go's own encoder on top):
//! - Map keys are sorted with yaml.v2's "natural" order: rune by rune; two letters
//!   (`unicode.IsLetter`) compare as runes; a letter sorts after a non-letter; otherwise runs of
//!   digits (`unicode.IsDigit`) compare by numeric value (wrapping `int64`, as Go), a shorter run
//!   first when equal, then the runes.
//! - Block style, 2-space indentation; a sequence that is a mapping value is not indented
//!   (`pip:\n- numpy`); an empty map or sequence is written in flow style, `{}` / `[]`; `nil`
//!   is `null`; the document ends with a line break; no `---`, no `...`.
//! - Numbers are `strconv.FormatFloat(f, 'g', -1, 64)`: the shortest digits that read back,
//!   in `%e` form (`1e+06`, `1.5e-05`, exponent at least two digits) when the decimal exponent
//!   is < -4 or ≥ 6, else in `%f` form (`123456`, `0.0001`, `-0`); of two equally near
//!   shortest forms the even one; see [`format_float_g`].
//! - A string containing `\n` is asked for in literal style (`|`, `|-`, `|+`, with an indent
//!   indicator `2` when it starts with a space or a break); one that would resolve to something
//!   other than a string when plain (yaml.v2's YAML 1.1 resolver: `y`/`n`/`yes`/`on`/`off`/
//!   `true`/`null`/`~`/`""` in their listed spellings, `.inf`/`.nan`, ints of Go's base-0
//!   syntax with `_` removed that fit `int64`/`uint64` (`0x1F`, `0o17`, `0b101`, `1_000`),
//!   floats matching `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` that do not
//!   overflow, `.`-floats Go's `ParseFloat` accepts, timestamps `time.Parse` accepts in
//!   `2006-1-2T15:4:5.999999999Z07:00`, `…t…`, `2006-1-2 15:4:5.999999999` or `2006-1-2`, and
//!   base-60 floats like `1:20`) is asked for double-quoted; any other string plain. Note
//!   `<<` is plain (its first byte has no resolver hint).
//! - The emitter then overrides the asked style as libyaml does: plain is refused for leading
//!   or trailing spaces or breaks, indicators (`- `, `? `, `: `, ` #`, a leading `#,[]{}&*!|>'"%@` or
//!   backquote, `---`, `...`), and falls back to single quotes; single quotes are refused when
//!   a space is next to a break or a character is not printable (tab, controls, DEL, C1
//!   controls, U+FEFF, U+FFFE/U+FFFF, anything above U+FFFF) and fall back to double quotes,
//!   as does a literal block with such characters or a trailing space.
//! - Double-quoted escapes: `\0 \a \b \t \n \v \f \r \e \" \\ \N \L \P`, else `\xXX`,
//!   `\uXXXX` or `\UXXXXXXXX` in upper-case hex; printable non-ASCII is written as is. A
//!   double-quoted string that *starts* with U+FEFF has every character escaped (`"\uFEFF\x61"`
//!   for `"\u{feff}a"`): yaml.v2's `is_bom(value, i)` tests the first bytes of the value, not
//!   position `i`.
//! - Plain, single- and double-quoted scalars are folded at a space once the column passes 80
//!   (never inside a key); a double-quoted continuation line that starts with a space gets a
//!   `\`.
//! - A key longer than 128 bytes, or containing a line break, is written as a complex key:
//!   `? key` on its own, then `: value`.
//!
//! One thing Go itself does not pin down: yaml.v2's key comparison is not transitive on some
//! key sets (`a2aB < a10 < a1xx < a2aB`, digit runs against letters), and `sort.Sort` then
//! returns an order that depends on Go's randomised map iteration: the same input gives
//! different outputs from run to run in Go. Here such keys come out in one of the orders Go
//! can produce (a merge sort over the keys in byte order).
//!
//! Everything is iterative (explicit stacks), so nesting up to Go's 10000 levels works on
//! any thread, and no input makes it panic.

mod base64;
mod emit;
mod float;
mod json;
mod resolve;
mod sort;

use std::collections::BTreeMap;

pub use self::base64::decode_base64;
pub use self::emit::marshal;
pub use self::float::format_float_g;
pub use self::json::unmarshal_json;
pub use self::resolve::resolves_as_non_string;
pub use self::sort::natural_less;

/// The largest nesting Go's `encoding/json` accepts (`maxNestingDepth`).
pub const MAX_DEPTH: usize = 10000;

/// A value as Go's `encoding/json` stores it into an `interface{}`.
///
/// `Map` keys are unique (a later duplicate replaced the earlier one); their order here
/// means nothing, [`marshal`] sorts them as yaml.v2 does.
#[derive(Debug, Clone, PartialEq)]
pub enum GoValue {
    /// JSON `null`: Go's `nil`.
    Nil,
    /// JSON `true` / `false`.
    Bool(bool),
    /// Any JSON number, as Go's `float64`.
    Float(f64),
    /// A JSON string, invalid UTF-8 already replaced by U+FFFD as Go does.
    String(String),
    /// A JSON array: `[]interface{}`.
    Slice(Vec<GoValue>),
    /// A JSON object: `map[string]interface{}`.
    Map(BTreeMap<String, GoValue>),
}

impl Drop for GoValue {
    // Dropping a 10000-deep value recursively could overflow a small thread stack: children
    // are moved to a heap stack and dropped one level at a time.
    fn drop(&mut self) {
        let mut stack: Vec<GoValue> = Vec::new();
        take_children(self, &mut stack);
        while let Some(mut value) = stack.pop() {
            take_children(&mut value, &mut stack);
        }
    }
}

fn take_children(value: &mut GoValue, stack: &mut Vec<GoValue>) {
    match value {
        GoValue::Slice(items) if !items.is_empty() => stack.append(items),
        GoValue::Map(map) if !map.is_empty() => {
            stack.extend(std::mem::take(map).into_values());
        }
        _ => {}
    }
}

/// What Go's backend fails with; `Display` is Go's error text exactly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GoYamlError {
    /// `base64.CorruptInputError`: the text is not standard padded base64.
    #[error("illegal base64 data at input byte {offset}")]
    Base64 {
        /// Byte offset into the base64 text, as Go computes it.
        offset: usize,
    },
    /// `json.SyntaxError` for input that ends too early.
    #[error("unexpected end of JSON input")]
    UnexpectedEnd,
    /// `json.SyntaxError`: `invalid character 'c' <context>`.
    #[error("invalid character {quoted} {context}")]
    Syntax {
        /// The offending byte as Go quotes it (`'x'`, `'\n'`, `'\x01'`, `'Ã'` for 0xC3).
        quoted: String,
        /// What the scanner was doing (`after object key`, `in string literal`, …).
        context: &'static str,
        /// Bytes read when the error was found (Go's `Offset`), counting the bad byte.
        offset: usize,
    },
    /// `json.UnmarshalTypeError` at the top: the JSON is not an object nor `null`.
    #[error("json: cannot unmarshal {found} into Go value of type map[string]interface {{}}")]
    NotAnObject {
        /// `array`, `string`, `number` or `bool`.
        found: &'static str,
    },
    /// `json.UnmarshalTypeError`: a number does not fit a `float64`.
    #[error("json: cannot unmarshal number {number} into Go struct field .{key} of type float64")]
    NumberRange {
        /// The number as written in the JSON.
        number: String,
        /// The top-level key whose value holds it.
        key: String,
    },
}

/// The backend's conversion of a RayJob's base64 `runtime_env` into `runtimeEnvYAML`.
///
/// Base64-decodes (standard alphabet, padding), unmarshals the JSON as Go does into a
/// `map[string]interface{}` and marshals it with yaml.v2 v2.4.0. `null` gives `"{}\n"`.
///
/// ```
/// use flyte_ray_fmt::goyaml::runtime_env_yaml;
/// assert_eq!(runtime_env_yaml("eyJwaXAiOiBbIm51bXB5Il19")?, "pip:\n- numpy\n");
/// assert_eq!(
///     runtime_env_yaml("not base64!").unwrap_err().to_string(),
///     "illegal base64 data at input byte 3"
/// );
/// # Ok::<(), flyte_ray_fmt::goyaml::GoYamlError>(())
/// ```
///
/// # Errors
///
/// Go's error, with Go's text: bad base64, JSON syntax, a top-level value that is not an
/// object nor `null`, a number out of `float64` range.
pub fn runtime_env_yaml(base64_text: &str) -> Result<String, GoYamlError> {
    let json = decode_base64(base64_text.as_bytes())?;
    let map = unmarshal_json(&json)?;
    Ok(marshal(&GoValue::Map(map.unwrap_or_default())))
}
