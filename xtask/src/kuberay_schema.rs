//! Generates `crates/flyte-ray-kuberay-api/src/gen/schema.rs`: the CRD's v1
//! `openAPIV3Schema` as a table of nodes that the crate's schema checker
//! (`src/schema.rs`) walks a rendered RayJob with.
//!
//! Every keyword of the schema is either turned into a check or named here
//! as not checked, with the reason; an unknown keyword fails generation, so
//! a new KubeRay CRD cannot silently lose a check.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

/// Keywords that carry no check: `description` (documentation),
/// `x-kubernetes-map-type` (how server-side apply merges a map; no
/// validation). `default` is kept only where a list-map key needs it.
const NOT_CHECKED: &[&str] = &["description", "x-kubernetes-map-type"];

/// The only `anyOf` the CRD uses: the int-or-string union.
fn is_int_or_string_any_of(v: &Value) -> bool {
    *v == serde_json::json!([{"type": "integer"}, {"type": "string"}])
}

struct Table {
    /// Canonical JSON of a node -> its index.
    index: BTreeMap<String, usize>,
    /// Rust expressions of the nodes, by index.
    nodes: Vec<String>,
    patterns: Vec<String>,
    /// `(path, rule)` of every CEL rule (`x-kubernetes-validations`).
    cel: Vec<(String, String)>,
}

/// The generated `schema.rs`, as unformatted Rust.
pub(crate) fn generate(schema: &Value) -> Result<String> {
    let mut t = Table {
        index: BTreeMap::new(),
        nodes: Vec::new(),
        patterns: Vec::new(),
        cel: Vec::new(),
    };
    let root = t.node(schema, "")?;
    if t.nodes.len() > usize::from(u16::MAX) {
        bail!("{} schema nodes do not fit u16 indices", t.nodes.len());
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "use super::{{Format, List, Node, Ty}};\n\
         /// Index in [`NODES`] of the schema root (the RayJob).\n\
         pub(crate) const ROOT: u16 = {root};"
    );
    let _ = writeln!(
        out,
        "/// The `pattern`s of the schema, by index.\npub(crate) static PATTERNS: [&str; {}] = [",
        t.patterns.len()
    );
    for p in &t.patterns {
        let _ = writeln!(out, "{p:?},");
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "/// The distinct schema nodes (identical subschemas share one entry).\npub(crate) static NODES: [Node; {}] = [",
        t.nodes.len()
    );
    for n in &t.nodes {
        out.push_str(n);
        out.push_str(",\n");
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "/// The CEL rules (`x-kubernetes-validations`) of the schema, as\n\
         /// `(path, rule)`: not evaluated (RENDERING.md §15.2: they concern\n\
         /// fields Flyte never sets).\n\
         pub const UNCHECKED_CEL_RULES: [(&str, &str); {}] = [",
        t.cel.len()
    );
    for (p, r) in &t.cel {
        let _ = writeln!(out, "({p:?}, {r:?}),");
    }
    out.push_str("];\n");
    Ok(out)
}

fn str_list(v: Option<&Value>, what: &str, path: &str) -> Result<Vec<String>> {
    let Some(v) = v else { return Ok(Vec::new()) };
    v.as_array()
        .with_context(|| format!("`{path}`: {what} is not an array"))?
        .iter()
        .map(|s| {
            s.as_str()
                .map(str::to_owned)
                .with_context(|| format!("`{path}`: {what} has a non-string entry"))
        })
        .collect()
}

fn uint(o: &Map<String, Value>, key: &str, path: &str) -> Result<String> {
    Ok(match o.get(key) {
        None => "None".to_owned(),
        Some(v) => format!(
            "Some({})",
            v.as_u64()
                .with_context(|| format!("`{path}`: {key} is not a non-negative integer"))?
        ),
    })
}

fn slice(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", inner.join(", "))
}

impl Table {
    /// Interns `node` (and its children); returns its index.
    fn node(&mut self, node: &Value, path: &str) -> Result<usize> {
        let o = node
            .as_object()
            .with_context(|| format!("schema at `{path}` is not an object"))?;
        for k in o.keys() {
            let known = matches!(
                k.as_str(),
                "type"
                    | "properties"
                    | "required"
                    | "items"
                    | "additionalProperties"
                    | "format"
                    | "anyOf"
                    | "x-kubernetes-int-or-string"
                    | "pattern"
                    | "enum"
                    | "maxLength"
                    | "minLength"
                    | "minItems"
                    | "minimum"
                    | "nullable"
                    | "default"
                    | "x-kubernetes-list-type"
                    | "x-kubernetes-list-map-keys"
                    | "x-kubernetes-validations"
                    | "x-kubernetes-preserve-unknown-fields"
            ) || NOT_CHECKED.contains(&k.as_str());
            if !known {
                bail!("`{path}`: schema keyword {k:?} has no check; add one to the generator");
            }
        }
        if let Some(rules) = o.get("x-kubernetes-validations") {
            for r in rules
                .as_array()
                .with_context(|| format!("`{path}`: x-kubernetes-validations"))?
            {
                let rule = r
                    .get("rule")
                    .and_then(Value::as_str)
                    .with_context(|| format!("`{path}`: CEL rule without `rule`"))?;
                self.cel.push((path.to_owned(), rule.to_owned()));
            }
        }

        // Children first: their indices go into this node.
        let mut properties = Vec::new();
        if let Some(props) = o.get("properties") {
            let props = props
                .as_object()
                .with_context(|| format!("`{path}`: properties"))?;
            for (name, sub) in props {
                let child = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                properties.push((name.clone(), self.node(sub, &child)?));
            }
        }
        let additional = match o.get("additionalProperties") {
            None => "None".to_owned(),
            Some(v @ Value::Object(_)) => {
                format!("Some({})", self.node(v, &format!("{path}{{}}"))?)
            }
            Some(other) => bail!("`{path}`: additionalProperties {other} is not a schema"),
        };
        let items = match o.get("items") {
            None => "None".to_owned(),
            Some(v) => format!("Some({})", self.node(v, &format!("{path}[]"))?),
        };

        let int_or_string = o.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true));
        let ty = match (o.get("type").and_then(Value::as_str), int_or_string) {
            (None, true) => {
                match o.get("anyOf") {
                    Some(a) if is_int_or_string_any_of(a) => {}
                    _ => bail!("`{path}`: int-or-string without the integer/string anyOf"),
                }
                "IntOrString"
            }
            (Some(_), true) => bail!("`{path}`: int-or-string with a type"),
            (Some("object"), false) => "Object",
            (Some("array"), false) => "Array",
            (Some("string"), false) => "String",
            (Some("integer"), false) => "Integer",
            (Some("number"), false) => "Number",
            (Some("boolean"), false) => "Boolean",
            (t, _) => bail!("`{path}`: unsupported type {t:?}"),
        };
        if o.contains_key("anyOf") && !int_or_string {
            bail!("`{path}`: anyOf outside int-or-string");
        }
        let format = match o.get("format").and_then(Value::as_str) {
            None => "None",
            Some("int32") => "Int32",
            Some("int64") => "Int64",
            Some("date-time") => "DateTime",
            Some(f) => bail!("`{path}`: format {f:?} has no check"),
        };
        let pattern = match o.get("pattern") {
            None => "None".to_owned(),
            Some(p) => {
                let p = p
                    .as_str()
                    .with_context(|| format!("`{path}`: pattern is not a string"))?;
                let i = match self.patterns.iter().position(|q| q == p) {
                    Some(i) => i,
                    None => {
                        self.patterns.push(p.to_owned());
                        self.patterns.len() - 1
                    }
                };
                format!("Some({i})")
            }
        };
        let enumeration = str_list(o.get("enum"), "enum", path)?;
        let required = str_list(o.get("required"), "required", path)?;
        for r in &required {
            if !properties.iter().any(|(n, _)| n == r) {
                bail!("`{path}`: required `{r}` is not a property");
            }
        }
        let minimum = match o.get("minimum") {
            None => "None".to_owned(),
            Some(v) => format!(
                "Some({})",
                v.as_i64()
                    .with_context(|| format!("`{path}`: minimum is not an integer"))?
            ),
        };
        let preserve = o.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
        let list = match o.get("x-kubernetes-list-type").and_then(Value::as_str) {
            None | Some("atomic") => "List::Atomic".to_owned(),
            Some("set") => "List::Set".to_owned(),
            Some("map") => {
                let keys = str_list(o.get("x-kubernetes-list-map-keys"), "list-map-keys", path)?;
                if keys.is_empty() {
                    bail!("`{path}`: list-type map without keys");
                }
                format!("List::Map({})", slice(&keys))
            }
            Some(other) => bail!("`{path}`: list-type {other:?}"),
        };
        if o.contains_key("x-kubernetes-list-map-keys") && !list.starts_with("List::Map") {
            bail!("`{path}`: list-map-keys without list-type map");
        }
        let default = match o.get("default") {
            None => "None".to_owned(),
            Some(v) => format!("Some({:?})", v.to_string()),
        };
        let nullable = o.get("nullable") == Some(&Value::Bool(true));
        // Closed: an object with properties and no additionalProperties
        // refuses other fields (kubectl's strict field validation).
        let closed =
            o.contains_key("properties") && !o.contains_key("additionalProperties") && !preserve;

        let props: Vec<String> = properties
            .iter()
            .map(|(n, i)| format!("({n:?}, {i})"))
            .collect();
        let code = format!(
            "Node {{ ty: Ty::{ty}, format: Format::{format}, properties: &[{}], closed: {closed}, \
             additional: {additional}, items: {items}, required: {}, enumeration: {}, \
             pattern: {pattern}, min_length: {}, max_length: {}, min_items: {}, minimum: {minimum}, \
             nullable: {nullable}, list: {list}, default: {default} }}",
            props.join(", "),
            slice(&required),
            slice(&enumeration),
            uint(o, "minLength", path)?,
            uint(o, "maxLength", path)?,
            uint(o, "minItems", path)?,
        );
        if let Some(&i) = self.index.get(&code) {
            return Ok(i);
        }
        self.nodes.push(code.clone());
        let i = self.nodes.len() - 1;
        self.index.insert(code, i);
        Ok(i)
    }
}
