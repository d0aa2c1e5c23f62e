#![doc = include_str!("../README.md")]

use std::io;

use serde::Serialize;

/// KubeRay v1.5.1's `ray.io/v1` types, generated from the CRD's v1
/// `openAPIV3Schema` (`src/gen/types.rs`).
#[allow(missing_docs, unreachable_pub, clippy::all, clippy::pedantic)]
pub mod v1 {
    include!("gen/types.rs");
}

pub mod finding;
pub mod operator;
pub mod schema;
pub mod testing;

pub use finding::{Finding, Severity};
pub use operator::check_operator;
pub use schema::{UNCHECKED_CEL_RULES, check_schema};

/// Both checks on a rendered RayJob as JSON: the CRD schema
/// ([`check_schema`]) and then KubeRay's operator rules
/// ([`check_operator`]), findings in that order.
pub fn check(doc: &serde_json::Value) -> Vec<Finding> {
    let mut out = check_schema(doc);
    out.extend(check_operator(doc));
    out
}

/// [`check`] on a typed RayJob (serialized as [`to_json`] writes it).
pub fn check_rayjob(job: &v1::RayJob) -> Result<Vec<Finding>, Error> {
    let doc = serde_json::to_value(job).map_err(Error::Json)?;
    Ok(check(&doc))
}

/// `apiVersion` of the resources in [`v1`].
pub const API_VERSION: &str = "ray.io/v1";

/// `kind` of [`v1::RayJob`].
pub const KIND: &str = "RayJob";

/// Why a resource could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// JSON serialization failed.
    #[error("writing JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// YAML serialization failed.
    #[error("writing YAML: {0}")]
    Yaml(#[source] serde_yaml_ng::Error),
}

/// The resource as compact JSON, escaped as Go's `encoding/json` does
/// (`<`, `>`, `&`, U+2028 and U+2029 as `\u003c`, `\u003e`, `\u0026`,
/// `\u2028`, `\u2029`), with fields in the generated (Go) order.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    write_json(value, GoEscape(serde_json::ser::CompactFormatter))
}

/// The resource as JSON indented by two spaces (Go's
/// `json.MarshalIndent(v, "", "  ")`), escaped as [`to_json`].
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    write_json(
        value,
        GoEscape(serde_json::ser::PrettyFormatter::with_indent(b"  ")),
    )
}

/// The resource as YAML (what `kubectl apply -f -` reads), fields in the
/// generated (Go) order.
pub fn to_yaml<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_yaml_ng::to_string(value).map_err(Error::Yaml)
}

fn write_json<T: Serialize + ?Sized, F: serde_json::ser::Formatter>(
    value: &T,
    formatter: F,
) -> Result<String, Error> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut ser).map_err(Error::Json)?;
    // serde_json writes UTF-8 only; a failure here would be a serde_json bug,
    // reported rather than unwrapped.
    String::from_utf8(out).map_err(|e| {
        Error::Json(serde_json::Error::io(io::Error::new(
            io::ErrorKind::InvalidData,
            e,
        )))
    })
}

/// A serde_json formatter that adds Go's HTML-safe string escapes to `F`.
///
/// Hand-written: serde_json has no option for Go's escaping and no crate
/// offers it as a formatter; the rest of the output is `F`'s.
struct GoEscape<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for GoEscape<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let esc: &[u8] = match c {
                '<' => b"\\u003c",
                '>' => b"\\u003e",
                '&' => b"\\u0026",
                '\u{2028}' => b"\\u2028",
                '\u{2029}' => b"\\u2029",
                _ => continue,
            };
            writer.write_all(&fragment.as_bytes()[start..i])?;
            writer.write_all(esc)?;
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}
