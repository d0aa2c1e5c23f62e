//! Round trips of the Python emitters through independent readers:
//!
//! - `pyyaml::dump` output read by serde_yaml_ng (libyaml) gives the same
//!   tree: same nesting, same keys in sorted order, same strings after
//!   unquoting, unescaping and unfolding, same numbers;
//! - `pyjson::dumps` output read back by `PyValue::from_json_str` gives the
//!   same value, and serde_json reads it as the same tree.

use std::fmt;

use flyte_ray_fmt::pyjson::dumps;
use flyte_ray_fmt::pyobj::{PyInt, PyValue};
use flyte_ray_fmt::pyyaml::dump;
use proptest::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Characters the emitters treat specially, and some ordinary ones.
const CHARS: &[char] = &[
    'a',
    'b',
    'z',
    '0',
    '1',
    '9',
    ' ',
    ' ',
    ' ',
    '-',
    '?',
    ':',
    '#',
    ',',
    '[',
    ']',
    '{',
    '}',
    '&',
    '*',
    '!',
    '|',
    '>',
    '\'',
    '"',
    '%',
    '@',
    '`',
    '.',
    '~',
    '=',
    '<',
    '_',
    '+',
    'e',
    'x',
    '\\',
    '/',
    '\t',
    '\n',
    '\r',
    '\0',
    '\u{7}',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    'é',
    'ÿ',
    '\u{2028}',
    '\u{2029}',
    '\u{feff}',
    '日',
    '\u{fffd}',
    '😀',
    '\u{10ffff}',
];

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(CHARS), 0..12)
            .prop_map(|c| c.into_iter().collect::<String>()),
        // Long texts that fold at width 80.
        proptest::collection::vec(
            prop_oneof![
                Just("word".to_owned()),
                Just(" ".to_owned()),
                Just("  ".to_owned()),
                Just("é".to_owned()),
                Just("\n".to_owned()),
                Just("'".to_owned()),
                "[a-z]{1,9}",
            ],
            20..60
        )
        .prop_map(|parts| parts.concat()),
        proptest::sample::select(vec![
            "yes",
            "no",
            "on",
            "~",
            "null",
            "",
            "0x1f",
            "1_000",
            "1:30",
            "2001-12-14",
            ".inf",
            "<<",
            "=",
            "1e3",
            "1.0",
            "---",
            "...",
            "- a",
            "a: b",
            "a #b",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

fn int() -> impl Strategy<Value = PyInt> {
    prop_oneof![
        any::<i64>().prop_map(PyInt::from),
        "-?[1-9][0-9]{18,60}".prop_map(|s| s.parse::<PyInt>().expect("digits")),
    ]
}

fn scalar() -> impl Strategy<Value = PyValue> {
    prop_oneof![
        Just(PyValue::None),
        any::<bool>().prop_map(PyValue::Bool),
        int().prop_map(PyValue::Int),
        any::<f64>().prop_map(PyValue::Float),
        string().prop_map(PyValue::Str),
    ]
}

/// Random trees; dict keys are distinct, as in a Python dict.
fn tree() -> impl Strategy<Value = PyValue> {
    scalar().prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(PyValue::List),
            proptest::collection::vec((string(), inner), 0..5).prop_map(|entries| {
                let mut seen = std::collections::HashSet::new();
                PyValue::Dict(
                    entries
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect(),
                )
            }),
        ]
    })
}

/// Equality with floats compared by value and sign (`NaN` equal to
/// itself, `-0.0` different from `0.0`).
fn same(a: &PyValue, b: &PyValue) -> bool {
    match (a, b) {
        (PyValue::Float(x), PyValue::Float(y)) => {
            (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()
        }
        (PyValue::List(x), PyValue::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (PyValue::Dict(x), PyValue::Dict(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, a), (kb, b))| ka == kb && same(a, b))
        }
        _ => a == b,
    }
}

/// Reads a YAML node with the shape `expected` has, failing on any
/// difference: an independent check of what `dump` wrote.
struct Expect<'a>(&'a PyValue);

/// The text of one scalar as the YAML reader decoded it.
struct ScalarText;

impl Visitor<'_> for ScalarText {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
}

/// The YAML 1.1 reading of a float scalar written by PyYAML.
fn yaml_float(text: &str) -> Option<f64> {
    match text {
        ".nan" => Some(f64::NAN),
        ".inf" => Some(f64::INFINITY),
        "-.inf" => Some(f64::NEG_INFINITY),
        _ => text.parse().ok(),
    }
}

impl<'de> DeserializeSeed<'de> for Expect<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let mismatch =
            |got: &str| de::Error::custom(format!("expected {:?}, read {got:?}", self.0));
        match self.0 {
            PyValue::List(items) => d.deserialize_seq(ExpectSeq(items)),
            PyValue::Dict(entries) => d.deserialize_map(ExpectMap(entries)),
            scalar => {
                let text = d.deserialize_str(ScalarText)?;
                let ok = match scalar {
                    PyValue::None => text == "null",
                    PyValue::Bool(b) => text == if *b { "true" } else { "false" },
                    PyValue::Int(i) => text == i.as_str(),
                    PyValue::Float(f) => yaml_float(&text)
                        .is_some_and(|g| (g.is_nan() && f.is_nan()) || g.to_bits() == f.to_bits()),
                    PyValue::Str(s) => text == *s,
                    PyValue::List(_) | PyValue::Dict(_) => false,
                };
                if ok { Ok(()) } else { Err(mismatch(&text)) }
            }
        }
    }
}

struct ExpectSeq<'a>(&'a [PyValue]);

impl<'de> Visitor<'de> for ExpectSeq<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a sequence of {}", self.0.len())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for item in self.0 {
            if seq.next_element_seed(Expect(item))?.is_none() {
                return Err(de::Error::custom("sequence too short"));
            }
        }
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("sequence too long"));
        }
        Ok(())
    }
}

struct ExpectMap<'a>(&'a [(String, PyValue)]);

impl<'de> Visitor<'de> for ExpectMap<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a mapping of {}", self.0.len())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // yaml.dump sorts the keys by code point.
        let mut sorted: Vec<&(String, PyValue)> = self.0.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, value) in sorted {
            let Some(got) = map.next_key_seed(KeyText)? else {
                return Err(de::Error::custom("mapping too short"));
            };
            if got != *key {
                return Err(de::Error::custom(format!("key {key:?}, read {got:?}")));
            }
            map.next_value_seed(Expect(value))?;
        }
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("mapping too long"));
        }
        Ok(())
    }
}

struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(ScalarText)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn yaml_dump_reads_back_as_the_same_tree(v in tree()) {
        let yaml = dump(&v);
        let d = serde_yaml_ng::Deserializer::from_str(&yaml);
        if let Err(e) = Expect(&v).deserialize(d) {
            prop_assert!(false, "{e}\n{yaml}");
        }
    }

    #[test]
    fn json_dumps_reads_back_as_the_same_value(v in tree()) {
        let json = dumps(&v);
        let back = PyValue::from_json_str(&json);
        prop_assert!(back.as_ref().is_ok_and(|b| same(b, &v)), "{json}\n{back:?}");
        prop_assert!(json.is_ascii());
    }
}

/// JSON-ish token soup: `from_json_str` either reads it or says where it
/// fails, and never panics; what it reads prints and reads back the same.
fn json_soup() -> impl Strategy<Value = String> {
    let token = proptest::sample::select(vec![
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        " ",
        "\n",
        "\"",
        "\"a\"",
        "\\",
        "\\u",
        "\\ud83d",
        "\\ude00",
        "\\u00e9",
        "\\n",
        "0",
        "-",
        "1",
        "9",
        ".",
        "e",
        "E",
        "+",
        "null",
        "true",
        "false",
        "NaN",
        "Infinity",
        "-Infinity",
        "é",
        "😀",
        "\u{1}",
        "\u{feff}",
        "x",
    ]);
    proptest::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn from_json_str_never_panics(text in prop_oneof![json_soup(), any::<String>()]) {
        match PyValue::from_json_str(&text) {
            Ok(v) => {
                let again = PyValue::from_json_str(&dumps(&v));
                prop_assert!(again.as_ref().is_ok_and(|a| same(a, &v)), "{text:?}: {again:?}");
                let _ = dump(&v);
            }
            Err(e) => prop_assert!(e.offset <= text.chars().count(), "{text:?}: {e}"),
        }
    }
}

/// serde_json agrees on the structure of what `dumps` writes for a finite
/// tree (it has no NaN or Infinity).
#[test]
fn serde_json_reads_dumps_output() {
    let v = PyValue::from_json_str(r#"{"b": [1, 2.5, "é😀\u0000", null, true], "a": {"": -0.0}}"#)
        .expect("valid");
    let json = dumps(&v);
    let back: serde_json::Value = serde_json::from_str(&json).expect("serde_json reads it");
    assert_eq!(back["b"][2], "é😀\u{0}");
    assert_eq!(
        back["a"][""].as_f64().map(f64::to_bits),
        Some((-0.0f64).to_bits())
    );
}

/// Trees far deeper than any recursion limit print without overflowing
/// the stack (YAML indentation grows with depth, so its tree is smaller).
#[test]
fn very_deep_trees_print() {
    let v = deep(100_000);
    let json = dumps(&v);
    assert!(json.starts_with("{\"k\": [{\"k\": [") && json.ends_with("]}]}"));
    teardown(v);
    let v = deep(6_000);
    let yaml = dump(&v);
    assert!(yaml.starts_with("k:\n- k:\n  - k:\n"), "{}", &yaml[..40]);
    // The innermost value sits under 3,000 dict levels, each in a list item
    // indented 2 more than the last: `- 1` at column 2 * 2,999.
    assert!(yaml.ends_with(&format!("\n{}- 1\n", " ".repeat(2 * 2_999))));
    teardown(v);
}

/// `depth` levels, alternately a one-item list and a one-key dict.
fn deep(depth: usize) -> PyValue {
    let mut v = PyValue::Int(1.into());
    for i in 0..depth {
        v = if i % 2 == 0 {
            PyValue::List(vec![v])
        } else {
            PyValue::Dict(vec![("k".to_owned(), v)])
        };
    }
    v
}

/// Drops a deep tree without recursing (the derived drop would).
fn teardown(v: PyValue) {
    let mut stack = vec![v];
    while let Some(node) = stack.pop() {
        match node {
            PyValue::List(items) => stack.extend(items),
            PyValue::Dict(entries) => stack.extend(entries.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}
