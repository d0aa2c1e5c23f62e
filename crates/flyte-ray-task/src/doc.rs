//! The config document as a tree of Python values (what `json.loads` would
//! give), read from JSON or YAML text, and a serde `Deserializer` over that
//! tree so the typed config is loaded with `#[derive(Deserialize)]`.
//!
//! Why a tree of our own rather than `serde_json::Value`: documents carry
//! integers wider than 64 bits (in `runtime_env`, printed digit for digit by
//! `json.dumps` and `yaml.dump`), `2` and `2.0` are different Python values,
//! and key order matters. serde_json keeps big integers only with its
//! `arbitrary_precision` feature, which would change number handling for
//! every crate of the workspace (features unify), so the text is read by
//! `yaml-rust2`'s event parser (JSON is read through the same parser, after
//! serde_json has checked that it is JSON) and every scalar is resolved here.
//!
//! Bounds: nesting deeper than [`MAX_DEPTH`] is refused while parsing (the
//! tree is built with an explicit stack, never by recursion), YAML aliases
//! are refused (no alias bombs), duplicate keys are refused.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use crate::error::ConfigError;

/// How deeply lists and mappings may nest in a document (the top-level
/// mapping is depth 1). serde_json stops at 128 as well.
pub const MAX_DEPTH: usize = 128;

/// The most digits an integer may have: Python 3.11's default
/// `sys.get_int_max_str_digits()`, past which `json.loads` refuses it.
pub const MAX_INT_DIGITS: usize = 4300;

/// One value of the document, as Python's `json.loads` represents it.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// `null` (Python `None`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer, exact, as its decimal digits with an optional leading
    /// `-` and no leading zeros (`0` for zero).
    Int(String),
    /// A float: a number whose text has `.`, `e` or `E`.
    Float(f64),
    /// A string.
    Str(String),
    /// A list (Python list; a tuple where the SDK turns it into one).
    List(Vec<Node>),
    /// A mapping with string keys, in document order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The value as an `i128`, when it is an integer that fits.
    pub fn as_i128(&self) -> Option<i128> {
        match self {
            Node::Int(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a float",
            Node::Str(_) => "a string",
            Node::List(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }

    /// The value as JSON (`serde_json::Value`). Integers beyond 64 bits
    /// become floats (only pod specs are converted, and Kubernetes has no
    /// such integers).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Node::Null => J::Null,
            Node::Bool(b) => J::Bool(*b),
            Node::Int(s) => {
                if let Ok(i) = s.parse::<i64>() {
                    J::from(i)
                } else if let Ok(u) = s.parse::<u64>() {
                    J::from(u)
                } else {
                    s.parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map_or(J::Null, J::Number)
                }
            }
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Node::Str(s) => J::String(s.clone()),
            Node::List(l) => J::Array(l.iter().map(Node::to_json).collect()),
            Node::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

/// Reads a document: JSON when the text starts with `{` (after white space),
/// YAML otherwise. The top level must be a mapping.
///
/// # Errors
/// [`ConfigError::Syntax`] for text that is not JSON or YAML, nesting past
/// [`MAX_DEPTH`], aliases, duplicate keys, non-scalar keys, NaN or
/// infinity, more than one document; [`ConfigError::Invalid`] when the top
/// level is not a mapping.
pub fn parse_document(text: &str) -> Result<Node, ConfigError> {
    let trimmed = text.trim_start_matches([' ', '\t', '\r', '\n', '\u{feff}']);
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // serde_json decides what is JSON (and gives JSON's error positions);
        // it also refuses nesting past 128 on its own.
        serde_json::from_str::<de::IgnoredAny>(trimmed)
            .map_err(|e| ConfigError::Syntax(format!("invalid JSON: {e}")))?;
    }
    let node = parse_yaml_events(text)?;
    match node {
        Node::Map(_) => Ok(node),
        Node::Null => Err(ConfigError::Invalid {
            path: ".".to_owned(),
            message: "the document is empty; expected a mapping (a RayJobConfig)".to_owned(),
        }),
        other => Err(ConfigError::Invalid {
            path: ".".to_owned(),
            message: format!(
                "expected a mapping (a RayJobConfig), found {}",
                other.type_name()
            ),
        }),
    }
}

/// A collection being built.
enum Open {
    List(Vec<Node>),
    /// Entries so far and the key waiting for its value.
    Map(Vec<(String, Node)>, Option<String>),
}

fn syntax(marker: &yaml_rust2::scanner::Marker, msg: impl fmt::Display) -> ConfigError {
    ConfigError::Syntax(format!(
        "{msg} at line {} column {}",
        marker.line(),
        marker.col() + 1
    ))
}

fn parse_yaml_events(text: &str) -> Result<Node, ConfigError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    loop {
        let (event, marker) = parser
            .next_token()
            .map_err(|e| ConfigError::Syntax(format!("invalid YAML: {e}")))?;
        let done: Node = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => continue,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(syntax(&marker, "more than one YAML document"));
                }
                continue;
            }
            Event::Alias(_) => return Err(syntax(&marker, "YAML aliases are not supported")),
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)
                if anchor != 0 || tag.is_some() =>
            {
                let _ = (anchor, tag);
                return Err(syntax(&marker, "YAML anchors and tags are not supported"));
            }
            Event::SequenceStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(syntax(
                        &marker,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(Open::List(Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(syntax(
                        &marker,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(Open::Map(Vec::new(), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::List(items)) => Node::List(items),
                Some(Open::Map(entries, None)) => Node::Map(entries),
                Some(Open::Map(_, Some(_))) | None => {
                    return Err(syntax(&marker, "unbalanced YAML collection"));
                }
            },
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return Err(syntax(&marker, "YAML anchors and tags are not supported"));
                }
                // A scalar in key position is a key, whatever it looks like.
                if let Some(Open::Map(_, pending @ None)) = stack.last_mut() {
                    *pending = Some(value);
                    continue;
                }
                resolve_scalar(value, style).map_err(|m| syntax(&marker, m))?
            }
        };
        match stack.last_mut() {
            None => root = Some(done),
            Some(Open::List(items)) => items.push(done),
            Some(Open::Map(entries, pending)) => match pending.take() {
                Some(key) => {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(syntax(&marker, format!("duplicate key {key:?}")));
                    }
                    entries.push((key, done));
                }
                None => {
                    return Err(syntax(
                        &marker,
                        "a mapping key must be a string, not a list or mapping",
                    ));
                }
            },
        }
    }
    Ok(root.unwrap_or(Node::Null))
}

/// YAML 1.2 core schema resolution of a scalar (quoted and block scalars
/// are strings); numbers follow `json.loads`' rule: a float iff the text has
/// `.`, `e` or `E`.
fn resolve_scalar(value: String, style: TScalarStyle) -> Result<Node, String> {
    if style != TScalarStyle::Plain {
        return Ok(Node::Str(value));
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Node::Null),
        "true" | "True" | "TRUE" => return Ok(Node::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Node::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => {
            return Err(format!("{value} is not allowed (no NaN or infinity)"));
        }
        _ => {}
    }
    if let Some(int) = decimal_int(&value) {
        if int.trim_start_matches('-').len() > MAX_INT_DIGITS {
            return Err(format!(
                "an integer of more than {MAX_INT_DIGITS} digits (Python's limit for integer string conversion)"
            ));
        }
        return Ok(Node::Int(int));
    }
    if let Some(hex) = value.strip_prefix("0x")
        && !hex.is_empty()
        && let Ok(v) = u128::from_str_radix(hex, 16)
    {
        return Ok(Node::Int(v.to_string()));
    }
    if let Some(oct) = value.strip_prefix("0o")
        && !oct.is_empty()
        && let Ok(v) = u128::from_str_radix(oct, 8)
    {
        return Ok(Node::Int(v.to_string()));
    }
    if is_float_text(&value) {
        return match value.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Node::Float(f)),
            _ => Err(format!("{value} is out of the range of a float")),
        };
    }
    Ok(Node::Str(value))
}

/// `[-+]?[0-9]+`, normalized (no `+`, no leading zeros, `-0` is `0`).
fn decimal_int(s: &str) -> Option<String> {
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".to_owned());
    }
    Some(if neg {
        format!("-{digits}")
    } else {
        digits.to_owned()
    })
}

/// YAML 1.2 core float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_float_text(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

// ---------------------------------------------------------------------------
// serde over the tree

/// A deserialization error inside the tree (the path is added by
/// `serde_path_to_error`).
#[derive(Debug)]
pub struct TreeError(pub String);

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TreeError {}

impl de::Error for TreeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TreeError(msg.to_string())
    }
}

/// The key under which an integer too wide for `i128`/`u128` is handed to a
/// visitor (as a one-entry map holding its digits); [`Node`]'s own
/// `Deserialize` understands it, every other type refuses it.
const BIG_INT_KEY: &str = "$flyte_ray_task::private::BigInt";

/// The name k8s-openapi's `Quantity` gives itself when it asks a
/// deserializer for its value (`deserialize_newtype_struct("Quantity", ..)`).
/// Every resource quantity of a pod spec read from a document passes here,
/// wherever it sits (container and pod-level resources, overhead,
/// `emptyDir.sizeLimit`, ephemeral volume claims, `resourceFieldRef`
/// divisors), so one check covers them all. No config type of this crate is
/// a newtype of that name.
const K8S_QUANTITY: &str = "Quantity";

/// A quantity as written in a pod spec must be one Kubernetes can parse
/// ([`flyte_ray_k8s::parse_quantity`], the grammar of
/// `resource.ParseQuantity`): the API server refuses to decode a pod with
/// any other string there. Numbers are left to the faithfulness check (a
/// pod spec holds quantities as strings).
fn check_quantity(s: &str) -> Result<(), TreeError> {
    flyte_ray_k8s::parse_quantity(s)
        .map(drop)
        .map_err(|e| TreeError(format!("not a Kubernetes quantity: {e}")))
}

impl<'de> de::Deserializer<'de> for &'de Node {
    type Error = TreeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Int(s) => {
                if let Ok(i) = s.parse::<i64>() {
                    visitor.visit_i64(i)
                } else if let Ok(u) = s.parse::<u64>() {
                    visitor.visit_u64(u)
                } else if let Ok(i) = s.parse::<i128>() {
                    visitor.visit_i128(i)
                } else if let Ok(u) = s.parse::<u128>() {
                    visitor.visit_u128(u)
                } else {
                    visitor.visit_map(BigIntAccess(Some(s)))
                }
            }
            Node::Float(f) => visitor.visit_f64(*f),
            Node::Str(s) => visitor.visit_borrowed_str(s),
            Node::List(items) => visitor.visit_seq(Seq(items.iter())),
            Node::Map(entries) => visitor.visit_map(Map {
                iter: entries.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TreeError> {
        match self {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        if name == K8S_QUANTITY
            && let Node::Str(s) = self
        {
            check_quantity(s)?;
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TreeError> {
        match self {
            Node::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            other => Err(TreeError(format!(
                "invalid type: {}, expected a string",
                other.type_name()
            ))),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct Seq<'de>(std::slice::Iter<'de, Node>);

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = TreeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TreeError> {
        self.0.next().map(|n| seed.deserialize(n)).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'de> {
    iter: std::slice::Iter<'de, (String, Node)>,
    value: Option<&'de Node>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = TreeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TreeError> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(k))
                    .map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TreeError> {
        match self.value.take() {
            Some(v) => seed.deserialize(v),
            None => Err(TreeError("a map value was asked for before its key".into())),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct BigIntAccess<'de>(Option<&'de str>);

impl<'de> MapAccess<'de> for BigIntAccess<'de> {
    type Error = TreeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TreeError> {
        if self.0.is_some() {
            seed.deserialize(de::value::BorrowedStrDeserializer::new(BIG_INT_KEY))
                .map(Some)
        } else {
            Ok(None)
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TreeError> {
        match self.0.take() {
            Some(s) => seed.deserialize(de::value::BorrowedStrDeserializer::new(s)),
            None => Err(TreeError("a map value was asked for before its key".into())),
        }
    }
}

impl<'de> de::Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Int(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Int(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Int(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(n) = seq.next_element()? {
            items.push(n);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            if k == BIG_INT_KEY {
                let digits: String = map.next_value()?;
                return Ok(Node::Int(digits));
            }
            let v: Node = map.next_value()?;
            entries.push((k, v));
        }
        Ok(Node::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_json_loads() {
        let n = parse_document(r#"{"a": 2, "b": 2.0, "c": 1e3, "d": -0, "e": 100000000000000000000000000000000000000000}"#)
            .expect("parses");
        let Node::Map(m) = n else { panic!("not a map") };
        assert_eq!(m[0].1, Node::Int("2".into()));
        assert_eq!(m[1].1, Node::Float(2.0));
        assert_eq!(m[2].1, Node::Float(1000.0));
        assert_eq!(m[3].1, Node::Int("0".into()));
        assert_eq!(
            m[4].1,
            Node::Int("100000000000000000000000000000000000000000".into())
        );
    }

    #[test]
    fn yaml_keeps_order_and_quoting() {
        let n = parse_document("z: 1\na: '1'\nm: yes\n").expect("parses");
        assert_eq!(
            n,
            Node::Map(vec![
                ("z".into(), Node::Int("1".into())),
                ("a".into(), Node::Str("1".into())),
                // YAML 1.2 core: `yes` is a string.
                ("m".into(), Node::Str("yes".into())),
            ])
        );
    }

    #[test]
    fn bombs_and_duplicates_are_refused() {
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert!(
            parse_document(&deep)
                .expect_err("refused")
                .to_string()
                .contains("nesting deeper")
        );
        let alias = "a: &x [1, 2]\nb: *x\n";
        assert!(parse_document(alias).is_err());
        assert!(
            parse_document("a: 1\na: 2\n")
                .expect_err("refused")
                .to_string()
                .contains("duplicate key")
        );
        assert!(parse_document("[1]").is_err());
    }
}
