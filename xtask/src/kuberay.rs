//! Generates `crates/flyte-ray-kuberay-api/src/gen/`: Rust types for
//! KubeRay v1.5.1's `ray.io/v1` `RayJob`, and the tables of the schema
//! checks, both from the CRD's v1 `openAPIV3Schema`.
//!
//! The schema is upstream's file, read from `../shared/kuberay/v1.5.1/crd/`
//! (never copied into the repository). The approach is kopium's (walk the
//! structural schema, one struct per object schema, `Option` for what may be
//! absent, `BTreeMap` for `additionalProperties`, `IntOrString` for
//! `x-kubernetes-int-or-string`, k8s-openapi types where the schema embeds a
//! Kubernetes type). kopium itself is not used as a library: 0.24.1 depends on
//! kube 4, tokio (`full`) and k8s-openapi 0.28 (the workspace is on 0.29), it
//! emits fields in the CRD's alphabetical order, and it has no notion of the
//! Go `encoding/json` presence rules that make our output match Flyte's
//! (RENDERING.md §11). Those rules, the Go declaration order and the Go type
//! names are facts the CRD does not carry; they are the tables below.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{Map, Value};

use crate::{BANNER, GeneratedFile};

/// The extracted v1 `openAPIV3Schema`, relative to the workspace root.
pub const SCHEMA_PATH: &str = "../shared/kuberay/v1.5.1/crd/rayjob.v1.schema.json";

/// Directory (relative to the workspace root) the generated files live in.
pub const GEN_DIR: &str = "crates/flyte-ray-kuberay-api/src/gen";

/// Go type names of the KubeRay structs, by schema path (`[]` = array item).
/// Paths not listed get kopium's name: the parent's name + the field's name.
const GO_NAMES: &[(&str, &str)] = &[
    ("", "RayJob"),
    ("spec", "RayJobSpec"),
    ("status", "RayJobStatus"),
    ("spec.rayClusterSpec", "RayClusterSpec"),
    ("spec.rayClusterSpec.headGroupSpec", "HeadGroupSpec"),
    ("spec.rayClusterSpec.workerGroupSpecs[]", "WorkerGroupSpec"),
    (
        "spec.rayClusterSpec.workerGroupSpecs[].scaleStrategy",
        "ScaleStrategy",
    ),
    ("spec.rayClusterSpec.autoscalerOptions", "AutoscalerOptions"),
    ("spec.rayClusterSpec.authOptions", "AuthOptions"),
    (
        "spec.rayClusterSpec.gcsFaultToleranceOptions",
        "GcsFaultToleranceOptions",
    ),
    (
        "spec.rayClusterSpec.gcsFaultToleranceOptions.redisPassword",
        "RedisCredential",
    ),
    (
        "spec.rayClusterSpec.gcsFaultToleranceOptions.redisUsername",
        "RedisCredential",
    ),
    ("spec.deletionStrategy", "DeletionStrategy"),
    ("spec.deletionStrategy.deletionRules[]", "DeletionRule"),
    (
        "spec.deletionStrategy.deletionRules[].condition",
        "DeletionCondition",
    ),
    ("spec.deletionStrategy.onFailure", "DeletionPolicy"),
    ("spec.deletionStrategy.onSuccess", "DeletionPolicy"),
    ("spec.submitterConfig", "SubmitterConfig"),
    ("status.rayClusterStatus", "RayClusterStatus"),
    ("status.rayClusterStatus.head", "HeadInfo"),
    ("status.rayJobInfo", "RayJobStatusInfo"),
];

/// Where the schema embeds a Kubernetes type: the k8s-openapi type used.
const K8S_TYPES: &[(&str, &str)] = &[
    ("metadata", "meta::ObjectMeta"),
    ("spec.submitterPodTemplate", "core::PodTemplateSpec"),
    (
        "spec.rayClusterSpec.headGroupSpec.template",
        "core::PodTemplateSpec",
    ),
    (
        "spec.rayClusterSpec.workerGroupSpecs[].template",
        "core::PodTemplateSpec",
    ),
    (
        "spec.rayClusterSpec.headGroupSpec.headService",
        "core::Service",
    ),
    (
        "spec.rayClusterSpec.autoscalerOptions.env[]",
        "core::EnvVar",
    ),
    (
        "spec.rayClusterSpec.autoscalerOptions.envFrom[]",
        "core::EnvFromSource",
    ),
    (
        "spec.rayClusterSpec.autoscalerOptions.resources",
        "core::ResourceRequirements",
    ),
    (
        "spec.rayClusterSpec.autoscalerOptions.securityContext",
        "core::SecurityContext",
    ),
    (
        "spec.rayClusterSpec.autoscalerOptions.volumeMounts[]",
        "core::VolumeMount",
    ),
    (
        "spec.rayClusterSpec.gcsFaultToleranceOptions.redisPassword.valueFrom",
        "core::EnvVarSource",
    ),
    (
        "spec.rayClusterSpec.gcsFaultToleranceOptions.redisUsername.valueFrom",
        "core::EnvVarSource",
    ),
    ("status.rayClusterStatus.conditions[]", "meta::Condition"),
];

/// Go declaration order of the fields, per struct (RENDERING.md §11: the
/// fields Flyte sets, and the zero `status`). Fields not listed follow in the
/// CRD's (alphabetical) order: their Go order is not among our sources, and
/// Flyte leaves them unset, so it never shows.
const GO_ORDER: &[(&str, &[&str])] = &[
    ("", &["kind", "apiVersion", "metadata", "spec", "status"]),
    (
        "spec",
        &[
            "rayClusterSpec",
            "submitterPodTemplate",
            "entrypoint",
            "runtimeEnvYAML",
            "ttlSecondsAfterFinished",
            "shutdownAfterJobFinishes",
        ],
    ),
    (
        "spec.rayClusterSpec",
        &[
            "autoscalerOptions",
            "enableInTreeAutoscaling",
            "headGroupSpec",
            "workerGroupSpecs",
        ],
    ),
    (
        "spec.rayClusterSpec.headGroupSpec",
        &["template", "enableIngress", "rayStartParams", "serviceType"],
    ),
    (
        "spec.rayClusterSpec.workerGroupSpecs[]",
        &[
            "groupName",
            "replicas",
            "minReplicas",
            "maxReplicas",
            "rayStartParams",
            "template",
            "scaleStrategy",
        ],
    ),
    ("status", &["rayJobInfo", "rayClusterStatus"]),
    (
        "status.rayClusterStatus",
        &[
            "desiredCPU",
            "desiredMemory",
            "desiredGPU",
            "desiredTPU",
            "head",
        ],
    ),
];

/// How Go's `encoding/json` writes a field (RENDERING.md §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    /// A Go value (struct, map without `omitempty`, required scalar): always
    /// written, even when zero. Rust: the plain type.
    Always,
    /// A Go pointer without `omitempty`: written as `null` when nil.
    /// Rust: `Option<T>`, never skipped.
    Null,
    /// A Go value with `omitempty`: left out when zero/empty.
    /// Rust: the plain type, skipped when zero/empty.
    OmitEmpty,
    /// A Go pointer (or struct-valued field) with `omitempty`: left out when
    /// nil. Rust: `Option<T>`, skipped when `None`.
    OmitNil,
}

/// Presence of the fields §11 names. Defaults for the others: arrays and
/// maps [`Presence::OmitEmpty`] (Go slices and maps with `omitempty`),
/// fields the CRD requires [`Presence::Always`], the rest
/// [`Presence::OmitNil`].
const PRESENCE: &[(&str, Presence)] = &[
    ("kind", Presence::OmitEmpty),
    ("apiVersion", Presence::OmitEmpty),
    ("metadata", Presence::Always),
    ("spec", Presence::Always),
    ("status", Presence::Always),
    ("spec.entrypoint", Presence::OmitEmpty),
    ("spec.runtimeEnvYAML", Presence::OmitEmpty),
    ("spec.ttlSecondsAfterFinished", Presence::OmitEmpty),
    ("spec.shutdownAfterJobFinishes", Presence::OmitEmpty),
    (
        "spec.rayClusterSpec.headGroupSpec.rayStartParams",
        Presence::Always,
    ),
    (
        "spec.rayClusterSpec.headGroupSpec.serviceType",
        Presence::OmitEmpty,
    ),
    (
        "spec.rayClusterSpec.workerGroupSpecs[].rayStartParams",
        Presence::Always,
    ),
    (
        "spec.rayClusterSpec.workerGroupSpecs[].scaleStrategy",
        Presence::Always,
    ),
    (
        "spec.rayClusterSpec.workerGroupSpecs[].minReplicas",
        Presence::Null,
    ),
    (
        "spec.rayClusterSpec.workerGroupSpecs[].maxReplicas",
        Presence::Null,
    ),
    (
        "spec.rayClusterSpec.workerGroupSpecs[].numOfHosts",
        Presence::OmitEmpty,
    ),
    ("status.rayJobInfo", Presence::Always),
    ("status.rayClusterStatus", Presence::Always),
    ("status.rayClusterStatus.desiredCPU", Presence::Always),
    ("status.rayClusterStatus.desiredMemory", Presence::Always),
    ("status.rayClusterStatus.desiredGPU", Presence::Always),
    ("status.rayClusterStatus.desiredTPU", Presence::Always),
    ("status.rayClusterStatus.head", Presence::Always),
];

/// Field values other than `Default::default()` in a zero struct: Go's zero
/// `resource.Quantity` marshals as `"0"`; `kind`/`apiVersion` are fixed.
const DEFAULTS: &[(&str, &str)] = &[
    ("kind", "\"RayJob\".to_owned()"),
    ("apiVersion", "\"ray.io/v1\".to_owned()"),
    (
        "status.rayClusterStatus.desiredCPU",
        "Quantity(\"0\".to_owned())",
    ),
    (
        "status.rayClusterStatus.desiredMemory",
        "Quantity(\"0\".to_owned())",
    ),
    (
        "status.rayClusterStatus.desiredGPU",
        "Quantity(\"0\".to_owned())",
    ),
    (
        "status.rayClusterStatus.desiredTPU",
        "Quantity(\"0\".to_owned())",
    ),
];

/// The quantity pattern of the CRD: an int-or-string with it is a `Quantity`.
const QUANTITY_PATTERN: &str = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

/// Reads the v1 schema from `../shared`.
pub fn read_schema(root: &Path) -> Result<Value> {
    let path = root.join(SCHEMA_PATH);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (KubeRay's CRD schema)", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Every generated file of the KubeRay API crate, in memory.
pub fn generate(root: &Path) -> Result<Vec<GeneratedFile>> {
    let schema = read_schema(root)?;
    let types = generate_types(&schema)?;
    let checks = crate::kuberay_schema::generate(&schema)?;
    let mut files = Vec::new();
    for (name, code) in [("types.rs", types), ("schema.rs", checks)] {
        let file =
            syn::parse_file(&code).with_context(|| format!("generated {name} does not parse"))?;
        let mut contents = String::from(BANNER);
        contents.push_str(&prettyplease::unparse(&file));
        files.push(GeneratedFile {
            path: Path::new(GEN_DIR).join(name),
            contents: contents.into_bytes(),
        });
    }
    Ok(files)
}

struct TypeGen {
    /// Generated struct code by Rust name (BTreeMap: deterministic output).
    structs: BTreeMap<String, String>,
    /// Table entries used, to refuse stale table rows.
    used: BTreeSet<String>,
}

fn lookup<'a, T: Copy>(table: &'a [(&'a str, T)], path: &str) -> Option<T> {
    table.iter().find(|(p, _)| *p == path).map(|(_, v)| *v)
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn obj<'a>(node: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    node.as_object()
        .with_context(|| format!("schema at `{path}` is not an object"))
}

fn generate_types(schema: &Value) -> Result<String> {
    let mut gen_ = TypeGen {
        structs: BTreeMap::new(),
        used: BTreeSet::new(),
    };
    let root = gen_.ty(schema, "", "RayJob")?;
    if root != "RayJob" {
        bail!("the schema root did not become the RayJob struct (got {root})");
    }
    for (table, paths) in [
        ("GO_NAMES", GO_NAMES.iter().map(|r| r.0).collect::<Vec<_>>()),
        ("K8S_TYPES", K8S_TYPES.iter().map(|r| r.0).collect()),
        ("GO_ORDER", GO_ORDER.iter().map(|r| r.0).collect()),
        ("PRESENCE", PRESENCE.iter().map(|r| r.0).collect()),
        ("DEFAULTS", DEFAULTS.iter().map(|r| r.0).collect()),
    ] {
        for p in paths {
            if !gen_.used.contains(&format!("{table}:{p}")) {
                bail!("{table} names `{p}`, which the schema does not have");
            }
        }
    }
    let body: String = gen_.structs.values().map(String::as_str).collect();
    let mut out = String::from("use serde::{Deserialize, Serialize};\n");
    // Imports, each only when used (no unused-import warnings).
    for (used, import) in [
        ("BTreeMap<", "use std::collections::BTreeMap;\n"),
        ("core::", "use k8s_openapi::api::core::v1 as core;\n"),
        (
            "meta::",
            "use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;\n",
        ),
        (
            "Quantity",
            "use k8s_openapi::apimachinery::pkg::api::resource::Quantity;\n",
        ),
        (
            "IntOrString",
            "use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;\n",
        ),
    ] {
        if body.contains(used) {
            out.push_str(import);
        }
    }
    // The emptiness tests `OmitEmpty` fields use, emitted only when used.
    for (name, code) in [
        (
            "is_zero_i32",
            "fn is_zero_i32(v: &i32) -> bool { *v == 0 }\n",
        ),
        (
            "is_zero_i64",
            "fn is_zero_i64(v: &i64) -> bool { *v == 0 }\n",
        ),
        ("is_false", "fn is_false(v: &bool) -> bool { !*v }\n"),
    ] {
        if body.contains(&format!("\"{name}\"")) {
            out.push_str(code);
        }
    }
    out.push_str(&body);
    Ok(out)
}

impl TypeGen {
    fn mark(&mut self, table: &str, path: &str) {
        self.used.insert(format!("{table}:{path}"));
    }

    /// The Rust type for the schema `node` at `path`; `name` is the struct
    /// name to use if it becomes a new struct.
    fn ty(&mut self, node: &Value, path: &str, name: &str) -> Result<String> {
        if let Some(t) = lookup(K8S_TYPES, path) {
            self.mark("K8S_TYPES", path);
            return Ok(t.to_owned());
        }
        let o = obj(node, path)?;
        if o.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
            return Ok(match o.get("pattern").and_then(Value::as_str) {
                Some(QUANTITY_PATTERN) => "Quantity",
                Some(p) => bail!("`{path}`: int-or-string with unknown pattern {p:?}"),
                None => "IntOrString",
            }
            .to_owned());
        }
        let ty = o.get("type").and_then(Value::as_str).unwrap_or("");
        let format = o.get("format").and_then(Value::as_str);
        Ok(match (ty, format) {
            ("object", _) => {
                if let Some(props) = o.get("properties") {
                    let name = match lookup(GO_NAMES, path) {
                        Some(n) => {
                            self.mark("GO_NAMES", path);
                            n.to_owned()
                        }
                        None => name.to_owned(),
                    };
                    let required: Vec<&str> = o
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    self.struct_(obj(props, path)?, &required, path, &name)?;
                    name
                } else if let Some(ap) = o.get("additionalProperties") {
                    let inner = self.ty(ap, &format!("{path}{{}}"), &format!("{name}Value"))?;
                    format!("BTreeMap<String, {inner}>")
                } else {
                    bail!(
                        "`{path}`: an object schema with neither properties nor additionalProperties and no k8s type in K8S_TYPES"
                    )
                }
            }
            ("array", _) => {
                let items = o
                    .get("items")
                    .with_context(|| format!("`{path}`: array without items"))?;
                let inner = self.ty(items, &format!("{path}[]"), name)?;
                format!("Vec<{inner}>")
            }
            ("string", Some("date-time")) => "meta::Time".to_owned(),
            ("string", None) => "String".to_owned(),
            ("integer", Some("int32")) => "i32".to_owned(),
            ("integer", Some("int64")) => "i64".to_owned(),
            ("number", None) => "f64".to_owned(),
            ("boolean", None) => "bool".to_owned(),
            (t, f) => bail!("`{path}`: unsupported type {t:?} with format {f:?}"),
        })
    }

    fn struct_(
        &mut self,
        props: &Map<String, Value>,
        required: &[&str],
        path: &str,
        name: &str,
    ) -> Result<()> {
        // Field order: Go's for the listed fields, then the CRD's.
        let mut order: Vec<&str> = Vec::new();
        if let Some(listed) = lookup(GO_ORDER, path) {
            self.mark("GO_ORDER", path);
            for f in listed {
                if !props.contains_key(*f) {
                    bail!("GO_ORDER lists `{f}` for `{path}`, which the schema lacks");
                }
                order.push(f);
            }
        }
        for f in props.keys() {
            if !order.contains(&f.as_str()) {
                order.push(f);
            }
        }

        let go_name = if path.is_empty() { "RayJob" } else { name };
        let mut fields = String::new();
        let mut defaults = String::new();
        let mut custom_default = false;
        for json in order {
            let node = &props[json];
            let fpath = join(path, json);
            let ty = self.ty(
                node,
                &fpath,
                &format!("{name}{}", json.to_upper_camel_case()),
            )?;
            let presence = match lookup(PRESENCE, &fpath) {
                Some(p) => {
                    self.mark("PRESENCE", &fpath);
                    p
                }
                None if ty.starts_with("Vec<") || ty.starts_with("BTreeMap<") => {
                    Presence::OmitEmpty
                }
                None if required.contains(&json) => Presence::Always,
                None => Presence::OmitNil,
            };
            let (rust_ty, skip, go_rule) = match presence {
                Presence::Always => (ty.clone(), None, "always written, even when empty"),
                Presence::Null => (
                    format!("Option<{ty}>"),
                    None,
                    "always written (`null` when `None`: a Go pointer without `omitempty`)",
                ),
                Presence::OmitNil => (
                    format!("Option<{ty}>"),
                    Some("Option::is_none".to_owned()),
                    "left out when `None`",
                ),
                Presence::OmitEmpty => {
                    let skip = match ty.as_str() {
                        "String" => "String::is_empty".to_owned(),
                        "i32" => "is_zero_i32".to_owned(),
                        "i64" => "is_zero_i64".to_owned(),
                        "bool" => "is_false".to_owned(),
                        t if t.starts_with("Vec<") => "Vec::is_empty".to_owned(),
                        t if t.starts_with("BTreeMap<") => "BTreeMap::is_empty".to_owned(),
                        t => bail!("`{fpath}`: no emptiness test for {t} (OmitEmpty)"),
                    };
                    (
                        ty.clone(),
                        Some(skip),
                        "left out when zero or empty (Go `omitempty`)",
                    )
                }
            };
            let rust = rust_field_name(json);
            let req = if required.contains(&json) {
                " Required by the CRD."
            } else {
                ""
            };
            let _ = writeln!(fields, "/// `{json}` (schema `{fpath}`): {go_rule}.{req}");
            match skip {
                Some(s) => {
                    let _ = writeln!(
                        fields,
                        "#[serde(rename = {json:?}, skip_serializing_if = {s:?})]"
                    );
                }
                None => {
                    let _ = writeln!(fields, "#[serde(rename = {json:?})]");
                }
            }
            let _ = writeln!(fields, "pub {rust}: {rust_ty},");
            match lookup(DEFAULTS, &fpath) {
                Some(d) => {
                    self.mark("DEFAULTS", &fpath);
                    custom_default = true;
                    let _ = writeln!(defaults, "{rust}: {d},");
                }
                None => {
                    let _ = writeln!(defaults, "{rust}: Default::default(),");
                }
            }
        }

        let derives = if custom_default {
            "Clone, Debug, PartialEq, Serialize, Deserialize"
        } else {
            "Clone, Debug, Default, PartialEq, Serialize, Deserialize"
        };
        let what = if path.is_empty() {
            "The `ray.io/v1` `RayJob` custom resource (the schema root).".to_owned()
        } else {
            format!("The object at `{path}` of a `ray.io/v1` `RayJob`.")
        };
        let go = if lookup(GO_NAMES, path).is_some() {
            format!("\n///\n/// KubeRay Go type: `{go_name}`.")
        } else {
            String::new()
        };
        let mut code = format!(
            "/// {what}{go}\n#[derive({derives})]\n#[serde(default, deny_unknown_fields)]\npub struct {name} {{\n{fields}}}\n"
        );
        if custom_default {
            let _ = writeln!(
                code,
                "impl Default for {name} {{ fn default() -> Self {{ Self {{ {defaults} }} }} }}"
            );
        }
        if let Some(existing) = self.structs.get(name) {
            // Two paths with the same Go type (RedisCredential, DeletionPolicy)
            // must have the same schema, up to the path in the doc comments.
            if strip_paths(existing) != strip_paths(&code) {
                bail!("`{path}` would redefine {name} with a different schema");
            }
            return Ok(());
        }
        self.structs.insert(name.to_owned(), code);
        Ok(())
    }
}

/// The code with the `(schema `...`)` / `object at `...`` paths removed.
fn strip_paths(code: &str) -> String {
    code.lines()
        .filter(|l| !l.trim_start().starts_with("///"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rust_field_name(json: &str) -> String {
    let snake = json.to_snake_case();
    match snake.as_str() {
        "type" | "ref" | "match" | "mod" | "use" | "where" | "self" | "crate" | "super"
        | "enum" | "struct" | "fn" | "impl" | "trait" | "loop" | "move" | "box" => {
            format!("r#{snake}")
        }
        _ => snake,
    }
}
