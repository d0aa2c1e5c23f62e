//! Unit tests of the building blocks against the reference Python.
//!
//! Table-driven expectations come from `tests/data/curated.json`, written by
//! `scripts/gen_curated.py` with Python 3.11.7 (`repr(s)`, `s.isprintable()`,
//! `textwrap.shorten(...)`) and the golden generator's `upb_double` (the
//! `%.15g`/`%.17g` rule the golden `text` was produced with). The literal
//! asserts below were each checked by running the quoted Python expression
//! with `/tmp/flytekit-ref/bin/python`.

use flyte_ray_fmt::{c_escape, format_double, py_isprintable, py_repr_str, shorten};
use serde_json::Value;

fn curated() -> Value {
    let text = include_str!("data/curated.json");
    serde_json::from_str(text).expect("curated.json is valid JSON")
}

fn rows<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key].as_array().map(Vec::as_slice).unwrap_or_default()
}

#[test]
fn py_repr_str_matches_python() {
    let v = curated();
    let rows = rows(&v, "repr");
    assert!(rows.len() >= 20);
    for row in rows {
        let (input, expected) = (
            row[0].as_str().unwrap_or_default(),
            row[1].as_str().unwrap_or_default(),
        );
        assert_eq!(py_repr_str(input), expected, "repr({input:?})");
    }
    // python: repr("it's") == '"it\'s"'; repr('both \' and "') == '\'both \\\' and "\''
    assert_eq!(py_repr_str("it's"), "\"it's\"");
    assert_eq!(py_repr_str("both ' and \""), "'both \\' and \"'");
    // python: repr("\u2028\U000e0001\x7f") == "'\\u2028\\U000e0001\\x7f'"
    assert_eq!(
        py_repr_str("\u{2028}\u{e0001}\x7f"),
        "'\\u2028\\U000e0001\\x7f'"
    );
    // python: repr("e\u0301\U0001F469\u200d\U0001F4BB") keeps the combining
    // mark and emoji, escapes the ZWJ: "'é👩\\u200d💻'"
    assert_eq!(
        py_repr_str("e\u{301}\u{1f469}\u{200d}\u{1f4bb}"),
        "'e\u{301}\u{1f469}\\u200d\u{1f4bb}'"
    );
}

#[test]
fn py_isprintable_matches_python() {
    let v = curated();
    let rows = rows(&v, "isprintable");
    assert!(rows.len() >= 20);
    for row in rows {
        let s = row[0].as_str().unwrap_or_default();
        let c = s.chars().next().unwrap_or_default();
        assert_eq!(
            py_isprintable(c),
            row[1].as_bool() == Some(true),
            "{c:?}.isprintable()"
        );
    }
    // python: [c.isprintable() for c in " \xa0\u2028\u0301\u200d\ue000"]
    //         == [True, False, False, True, False, False]
    assert!(py_isprintable(' '));
    assert!(!py_isprintable('\u{a0}'));
    assert!(!py_isprintable('\u{2028}'));
    assert!(py_isprintable('\u{301}'));
    assert!(!py_isprintable('\u{200d}'));
    assert!(!py_isprintable('\u{e000}'));
    assert_eq!(flyte_ray_fmt::UNICODE_VERSION, "14.0.0");
}

#[test]
fn format_double_matches_upb_rule() {
    let v = curated();
    let rows = rows(&v, "doubles");
    assert!(rows.len() >= 20);
    for row in rows {
        let repr = row[0].as_str().unwrap_or_default();
        let value: f64 = match repr {
            "nan" => f64::NAN,
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            r => r.parse().unwrap_or(f64::NAN),
        };
        assert_eq!(
            format_double(value),
            row[1].as_str().unwrap_or_default(),
            "double {repr}"
        );
    }
    // python: upb_double(x) for x in (1/3, -0.0, 1e16, 1e15, 5e-324)
    assert_eq!(format_double(1.0 / 3.0), "0.33333333333333331");
    assert_eq!(format_double(-0.0), "-0");
    assert_eq!(format_double(1e16), "1e+16");
    assert_eq!(format_double(1e15), "1e+15");
    assert_eq!(format_double(5e-324), "4.94065645841247e-324");
    assert_eq!(format_double(f64::NAN), "nan");
    assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
}

#[test]
fn shorten_matches_textwrap() {
    let v = curated();
    let rows = rows(&v, "shorten");
    assert!(rows.len() >= 20);
    for row in rows {
        let text = row[0].as_str().unwrap_or_default();
        let width = row[1]
            .as_u64()
            .and_then(|w| usize::try_from(w).ok())
            .unwrap_or(80);
        let placeholder = row[2].as_str().unwrap_or_default();
        assert_eq!(
            shorten(text, width, placeholder),
            row[3].as_str().unwrap_or_default(),
            "shorten({text:?}, {width}, {placeholder:?})"
        );
    }
    // python: textwrap.shorten("ray-worker ray-worker ray-worker", 15) == 'ray-worker [...]'
    // (width 15 with " [...]": "ray-worker" then the placeholder)
    assert_eq!(
        shorten("ray-worker ray-worker ray-worker", 16, " [...]"),
        "ray-worker [...]"
    );
    // python: textwrap.shorten("g1-x " * 30, 80, placeholder=" [...]") keeps g1-x whole
    assert_eq!(
        shorten(&"g1-x ".repeat(30), 80, " [...]"),
        "g1-x g1-x g1-x g1-x g1-x g1-x g1-x g1-x g1-x g1-x g1-x g1-x g1-x g1-x g1-x [...]"
    );
    // python: textwrap.shorten("a" * 100, 80, placeholder=" [...]") == '[...]'
    assert_eq!(shorten(&"a".repeat(100), 80, " [...]"), "[...]");
    // Around the fast path for text that needs no normalisation: whitespace
    // runs collapse to one space and the ends are stripped (`' '.join(
    // text.split())`), tabs, newlines and \x1c-\x1f included; what is already
    // normal comes back as is. (Each expectation checked with CPython 3.11's
    // textwrap.shorten(text, 80, placeholder=" [...]").)
    assert_eq!(shorten("a  b", 80, " [...]"), "a b");
    assert_eq!(shorten(" a", 80, " [...]"), "a");
    assert_eq!(shorten("a ", 80, " [...]"), "a");
    assert_eq!(shorten("a\tb\nc\x1fd", 80, " [...]"), "a b c d");
    assert_eq!(shorten("a b", 80, " [...]"), "a b");
    assert_eq!(shorten("", 80, " [...]"), "");
    // U+00A0 is whitespace to str.split(); U+00E9 is not.
    assert_eq!(shorten("a\u{a0}b", 80, " [...]"), "a b");
    assert_eq!(shorten("\u{e9} x", 80, " [...]"), "\u{e9} x");
    // exactly 80 ASCII characters fit; 81 do not (the last word is dropped)
    let eighty = format!("{} {}", "a".repeat(40), "b".repeat(39));
    assert_eq!(shorten(&eighty, 80, " [...]"), eighty);
    let eighty_one = format!("{} {}", "a".repeat(40), "b".repeat(40));
    assert_eq!(
        shorten(&eighty_one, 80, " [...]"),
        format!("{} [...]", "a".repeat(40))
    );
    // Python raises ValueError for these; we return "".
    assert_eq!(shorten("x", 0, " [...]"), "");
    assert_eq!(shorten("one two", 3, " [...]"), "");
}

#[test]
fn c_escape_matches_text_format() {
    // python: text_encoding.CEscape("it's \"x\"\\\n\r\t\x01\x1b\x7fé", as_utf8=True)
    assert_eq!(
        c_escape("it's \"x\"\\\n\r\t\x01\x1b\x7f\u{e9}"),
        "it\\'s \\\"x\\\"\\\\\\n\\r\\t\\001\\033\\177\u{e9}"
    );
    assert_eq!(c_escape(""), "");
    assert_eq!(c_escape("\u{a0}\u{2028}"), "\u{a0}\u{2028}");
}
