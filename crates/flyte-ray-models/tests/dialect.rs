//! The dialect choice ([`Dialect`]) on the 600 flyteidl2 golden cases, read
//! from bytes and from JSON: `Auto` and `Flyteidl2` accept every case;
//! `Flyteidl` (strict Flyte 1) refuses exactly the cases whose golden JSON
//! (Python's `MessageToDict`) holds a flyteidl2-only field, and the error's
//! JSON path leads, in that golden JSON, to such a field.

#![allow(clippy::unwrap_used)]

#[path = "../../../tests/support/golden_v2.rs"]
#[macro_use]
mod golden_v2;

use flyte_ray_models::*;
use prost::Message;
use serde_json::Value;

/// The JSON names of the fields flyteidl2 adds (docs: golden-v2 CONTRACTS.md).
const V2_ONLY: [&str; 4] = [
    "extendedResources",
    "fileInputLayout",
    "deviceClass",
    "acceleratorModel",
];

/// Map-typed fields: their keys are data, not field names.
const MAPS: [&str; 4] = ["podSpec", "rayStartParams", "labels", "annotations"];

/// Whether the golden JSON sets a flyteidl2-only field anywhere.
fn has_v2_field(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| {
            V2_ONLY.contains(&k.as_str()) || (!MAPS.contains(&k.as_str()) && has_v2_field(v))
        }),
        Value::Array(a) => a.iter().any(has_v2_field),
        _ => false,
    }
}

/// The value at a JSON path (`rayCluster.workerGroupSpec[1].extendedResources`).
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, step| {
        let (name, rest) = step.split_once('[').unwrap_or((step, ""));
        let mut v = v.get(name)?;
        if !rest.is_empty() {
            let i: usize = rest.trim_end_matches(']').parse().ok()?;
            v = v.get(i)?;
        }
        Some(v)
    })
}

fn check<M: FlyteIdlEntity>(case: &golden_v2::Case) -> Result<(), String> {
    let mut models = vec![("pb", M::from_bytes(&case.pb).map_err(|e| e.to_string())?)];
    if case.json_error().is_none() {
        let json = serde_json::to_string(&case.json).unwrap();
        models.push(("json", M::from_json(&json).map_err(|e| e.to_string())?));
    }
    // The oracle: the golden JSON sets a flyteidl2-only field; where Python
    // could not write JSON (a NaN in a pod spec), what a Flyte 1 reader that
    // drops unknown fields (prost's flyteidl structs) loses.
    let v2 = if case.json_error().is_some() {
        M::IdlV1::decode(&case.pb[..])
            .map_err(|e| e.to_string())?
            .encode_canonical()
            != case.pb
    } else {
        has_v2_field(&case.json)
    };
    for (from, model) in models {
        for d in [Dialect::Auto, Dialect::Flyteidl2] {
            d.check(&model)
                .map_err(|e| format!("{d} refused ({from}): {e}"))?;
        }
        match Dialect::Flyteidl.check(&model) {
            Ok(()) if v2 => return Err(format!("flyteidl accepted a flyteidl2 field ({from})")),
            Ok(()) => {}
            Err(e) if !v2 => return Err(format!("flyteidl refused ({from}): {e}")),
            Err(e) => {
                let path = e.json_path().ok_or("no JSON path")?;
                let last = path.rsplit('.').next().unwrap_or_default();
                let leads = case.json_error().is_some() || at(&case.json, &path).is_some();
                if !V2_ONLY.contains(&last) || !leads {
                    return Err(format!(
                        "path {path} does not lead to a flyteidl2 field ({from}): {e}"
                    ));
                }
                // The same refusal as to_flyteidl_v1's.
                let v1 = model
                    .to_flyteidl_v1()
                    .err()
                    .ok_or("to_flyteidl_v1 accepted it")?;
                if v1.to_string() != e.to_string() {
                    return Err(format!("{v1} != {e}"));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn dialects_on_every_v2_golden_case() {
    let cases = golden_v2::cases();
    assert_eq!(cases.len(), golden_v2::EXPECTED_CASES);
    let mut refused = 0;
    let mut failures = Vec::new();
    for case in &cases {
        refused += usize::from(case.json_error().is_none() && has_v2_field(&case.json));
        if let Err(e) = dispatch!(case.ty.as_str(), check, case) {
            failures.push(format!("{}: {e}", case.id));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed: {:#?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    // Both kinds occur, so both branches were exercised.
    assert!(
        refused > 50 && refused < cases.len() - 50,
        "{refused} v2 cases"
    );
}

#[test]
fn the_error_names_path_and_field() {
    let job = RayJob::from_yaml(
        "rayCluster:\n  workerGroupSpec:\n  - groupName: a\n  - groupName: b\n    k8sPod:\n      dataConfig:\n        fileInputLayout: NAMED_DIR\n",
    )
    .unwrap();
    let e = Dialect::Flyteidl.check(&job).unwrap_err();
    assert_eq!(
        e.json_path().as_deref(),
        Some("rayCluster.workerGroupSpec[1].k8sPod.dataConfig.fileInputLayout")
    );
    assert_eq!(
        e.to_string(),
        "RayJob.ray_cluster: RayCluster.worker_group_spec[1]: WorkerGroupSpec.k8s_pod: \
         K8sPod.data_config: DataLoadingConfig.file_input_layout (field 6) exists only in \
         flyteidl2; flyteidl.plugins.RayJob cannot carry it"
    );
    // A Flyte 1 field at its default is not on the wire: nothing to refuse.
    let job = RayJob::from_json(r#"{"rayCluster": {"workerGroupSpec": [{"k8sPod": {"dataConfig": {"fileInputLayout": "DIRECT"}}}]}}"#).unwrap();
    assert!(Dialect::Flyteidl.check(&job).is_ok());
    let gpu = GPUAccelerator::new("a100").with_accelerator_model(AcceleratorModel::NvidiaA100);
    let e = Dialect::Flyteidl.check(&gpu).unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("acceleratorModel"));
    assert!(
        Dialect::Flyteidl
            .check(&GPUAccelerator::new("a100").with_unpartitioned(true))
            .is_ok()
    );
}
