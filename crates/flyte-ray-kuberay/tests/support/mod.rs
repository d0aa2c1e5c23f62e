//! Shared by the test files: every rendered resource is also checked by the
//! maintained `jsonschema` crate against KubeRay v1.5.1's CRD schema, read
//! from `../shared/kuberay/v1.5.1/crd/rayjob.v1.schema.json` (upstream's
//! file: read there, never copied into the repository) and closed as
//! RENDERING.md §15.2 says (`flyte_ray_kuberay_api::testing`). Both it and
//! the renderer's own schema findings (`schema.*`, from the generated
//! checks) must agree.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use flyte_ray_kuberay::{Finding, Rendered};
use flyte_ray_kuberay_api::testing::{json_pointer, strict_json_schema};
use serde_json::Value;

/// The CRD schema file in `../shared`.
pub(crate) fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/kuberay/v1.5.1/crd/rayjob.v1.schema.json")
}

/// `jsonschema` compiled once per test binary on the strict CRD schema.
pub(crate) fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let path = schema_path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&strict_json_schema(serde_json::from_str(&text).unwrap()))
            .expect("the CRD schema compiles")
    })
}

/// Where `jsonschema` finds errors in `doc`, as JSON pointers.
pub(crate) fn jsonschema_errors(doc: &Value) -> BTreeSet<String> {
    validator()
        .iter_errors(doc)
        .map(|e| e.instance_path().as_str().to_owned())
        .collect()
}

/// Where the renderer's `schema.*` findings are, as the JSON pointers
/// `jsonschema` reports (a missing or unknown field at its parent); not
/// `schema.duplicate`, the list-map/set uniqueness of
/// `x-kubernetes-list-type`, which is not JSON Schema.
fn our_schema_errors(findings: &[Finding]) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f.code.starts_with("schema.") && f.code != "schema.duplicate")
        .map(|f| {
            let p = json_pointer(&f.path);
            if f.code == "schema.required" || f.code == "schema.unknown-field" {
                p.rsplit_once('/')
                    .map(|(parent, _)| parent.to_owned())
                    .unwrap_or_default()
            } else {
                p
            }
        })
        .collect()
}

/// Asserts that `jsonschema` and the renderer's schema findings agree on
/// `r` (valid or not, and where); returns whether it is valid.
pub(crate) fn assert_agree(r: &Rendered, what: &str) -> bool {
    let doc = r.json();
    let theirs = jsonschema_errors(doc);
    let ours = our_schema_errors(&r.findings);
    assert_eq!(
        ours, theirs,
        "{what}: renderer schema findings vs jsonschema on\n{doc:#}\nfindings {:#?}",
        r.findings
    );
    theirs.is_empty()
}

/// Asserts that `r` passes the CRD schema, by both validators.
pub(crate) fn assert_valid(r: &Rendered, what: &str) {
    assert!(
        assert_agree(r, what),
        "{what}: does not pass the CRD schema: {:#?}",
        r.findings
    );
}
