//! The 600 Flyte 2 (`flyteidl2` 2.0.53) golden cases through the models:
//! bytes (lossless), proto3 JSON both ways, YAML, text format, `is_empty`,
//! and flytekit's `short_string` algorithm over the flyteidl2 message
//! (`tests/data/golden-v2/short-strings-v2.jsonl`, printed by flytekit's own
//! `_repr_idl_yaml_like`); and the Flyte 1 dialect of the same models.

#![allow(clippy::unwrap_used)]

#[path = "../../../tests/support/golden_v2.rs"]
#[macro_use]
mod golden_v2;

use std::collections::HashMap;

use flyte_ray_models::*;
use prost::Message;
use serde_json::Value;

/// Numbers compared as doubles: Python writes every Struct number as a
/// double (`3.0`), we may write `3`; int32 fields are exact in f64.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn short_strings() -> HashMap<String, String> {
    let path = golden_v2::root().join("tests/data/golden-v2/short-strings-v2.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            (
                v["id"].as_str().unwrap().to_owned(),
                v["short_string"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn check_bytes<M: FlyteIdlEntity>(case: &golden_v2::Case) -> Result<(), String> {
    if M::PROTO2_NAME != case.proto || M::PROTO_NAME != case.v1_proto {
        return Err(format!(
            "model {} maps to {} / {}, case says {} / {}",
            M::TYPE_NAME,
            M::PROTO2_NAME,
            M::PROTO_NAME,
            case.proto,
            case.v1_proto
        ));
    }
    let model = M::from_bytes(&case.pb).map_err(|e| format!("from_bytes: {e}"))?;
    let out = model.serialize_to_string();
    if out != case.pb {
        return Err(format!(
            "model bytes {} != golden {}",
            hex::encode(&out),
            hex::encode(&case.pb)
        ));
    }
    if model.canonical_len() != case.pb.len() {
        return Err("canonical_len disagrees".into());
    }
    // The flyteidl2 IDL struct, both directions, and its generated encoder.
    let idl = M::Idl::decode(&case.pb[..]).map_err(|e| e.to_string())?;
    if idl.encode_canonical() != case.pb {
        return Err("IDL canonical encoding differs".into());
    }
    // (Compared by encoding: a NaN in a pod spec is not equal to itself as
    // a prost `Struct`; the models compare pod specs by their encoding.)
    if M::from_flyte_idl(idl.clone()) != model || model.to_flyte_idl().encode_canonical() != case.pb
    {
        return Err("model and flyteidl2 IDL disagree".into());
    }
    if model.is_empty() != case.is_empty {
        return Err(format!(
            "is_empty {} != {}",
            model.is_empty(),
            case.is_empty
        ));
    }
    // The general decoding path (prost + unknown-field scan) agrees with
    // the direct one.
    let general = M::from_bytes_ignoring_unknown_fields(&case.pb).map_err(|e| e.to_string())?;
    if general != model {
        return Err("from_bytes_ignoring_unknown_fields differs".into());
    }
    Ok(())
}

fn check_v1<M: FlyteIdlEntity>(case: &golden_v2::Case) -> Result<bool, String> {
    let model = M::from_bytes(&case.pb).map_err(|e| format!("from_bytes: {e}"))?;
    // What a Flyte 1 reader that drops unknown fields (prost) keeps.
    let v1_kept = M::IdlV1::decode(&case.pb[..])
        .map_err(|e| e.to_string())?
        .encode_canonical();
    match model.to_flyteidl_v1() {
        Ok(v1) => {
            // Nothing flyteidl2-only: the v1 message carries every byte.
            if v1.encode_canonical() != case.pb || v1_kept != case.pb {
                return Err("to_flyteidl_v1 succeeded but lost bytes".into());
            }
            let back = M::from_flyteidl_v1(&v1).map_err(|e| e.to_string())?;
            if back != model {
                return Err("from_flyteidl_v1(to_flyteidl_v1(x)) != x".into());
            }
            Ok(true)
        }
        Err(e) => {
            // Refused: a v1 reader would indeed have lost something, and
            // the error names a flyteidl2-only field.
            if v1_kept == case.pb {
                return Err(format!("to_flyteidl_v1 refused a v1-clean message: {e}"));
            }
            let msg = e.to_string();
            let named = [
                "extended_resources",
                "file_input_layout",
                "device_class",
                "accelerator_model",
            ]
            .iter()
            .any(|f| msg.contains(&format!(".{f} (field ")));
            if !named || !msg.contains("exists only in flyteidl2") {
                return Err(format!("error does not name the field: {msg}"));
            }
            Ok(false)
        }
    }
}

fn check_json<M: FlyteIdlEntity + serde::Serialize>(case: &golden_v2::Case) -> Result<(), String> {
    let model = M::from_bytes(&case.pb).map_err(|e| format!("from_bytes: {e}"))?;
    if let Some(python_error) = case.json_error() {
        // A NaN or infinity in a pod spec: JSON and YAML cannot carry it,
        // and writing fails rather than produce invalid JSON.
        let e = model
            .to_json()
            .err()
            .ok_or_else(|| format!("to_json succeeded where Python failed: {python_error}"))?;
        if !e.to_string().contains("Fail to serialize") {
            return Err(format!("unclear error: {e}"));
        }
        if model.to_yaml().is_ok() {
            return Err("to_yaml succeeded on a non-finite number".into());
        }
        return Ok(());
    }
    let json = model.to_json().map_err(|e| format!("to_json: {e}"))?;
    let ours: Value = serde_json::from_str(&json).map_err(|e| format!("invalid JSON: {e}"))?;
    if !same(&ours, &case.json) {
        return Err(format!("to_json\n ours: {ours}\n gold: {}", case.json));
    }
    let golden_text = serde_json::to_string(&case.json).unwrap();
    let back = M::from_json(&golden_text).map_err(|e| format!("from_json: {e}"))?;
    if back.serialize_to_string() != case.pb {
        return Err(format!(
            "from_json(golden) bytes {} != golden",
            hex::encode(back.serialize_to_string())
        ));
    }
    let pretty = model.to_json_pretty().map_err(|e| e.to_string())?;
    if M::from_json(&pretty).map_err(|e| e.to_string())? != model {
        return Err("from_json(to_json_pretty(x)) != x".into());
    }
    let yaml = model.to_yaml().map_err(|e| format!("to_yaml: {e}"))?;
    let back = M::from_yaml(&yaml).map_err(|e| format!("from_yaml: {e}\n{yaml}"))?;
    if back.serialize_to_string() != case.pb {
        return Err(format!("from_yaml(to_yaml(x)) bytes differ\n{yaml}"));
    }
    let as_json: Value = serde_yaml_ng::from_str(&yaml).map_err(|e| e.to_string())?;
    if !same(&as_json, &case.json) {
        return Err(format!("to_yaml is not the golden mapping\n{yaml}"));
    }
    Ok(())
}

fn check_text<M: FlyteIdlEntity>(
    case: &golden_v2::Case,
    short: &HashMap<String, String>,
) -> Result<(), String> {
    let model = M::from_bytes(&case.pb).map_err(|e| format!("from_bytes: {e}"))?;
    let text = model.text_format();
    if text != case.text {
        return Err(format!("text\n ours: {text:?}\n gold: {:?}", case.text));
    }
    let parsed = flyte_ray_fmt::parse_text_format(M::PROTO2_NAME, &text)
        .map_err(|e| format!("text does not parse back: {e}"))?;
    if M::Idl::decode(parsed.encode_to_vec().as_slice())
        .map_err(|e| e.to_string())?
        .encode_canonical()
        != case.pb
    {
        return Err("text parses back to other bytes".into());
    }
    let want = short
        .get(&case.id)
        .ok_or_else(|| "no short_string".to_owned())?;
    let got = model.short_string();
    if &got != want {
        return Err(format!("short_string\n ours: {got:?}\n gold: {want:?}"));
    }
    Ok(())
}

fn run(name: &str, f: impl Fn(&golden_v2::Case) -> Result<(), String>) -> usize {
    let cases = golden_v2::cases();
    assert_eq!(cases.len(), golden_v2::EXPECTED_CASES);
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(e) = f(case) {
            failures.push(format!("{}: {e}", case.id));
        }
    }
    let shown: Vec<_> = failures.iter().take(5).collect();
    assert!(
        failures.is_empty(),
        "{name}: {} of {} cases failed, first: {shown:#?}",
        failures.len(),
        cases.len()
    );
    cases.len()
}

#[test]
fn all_v2_golden_cases_round_trip_losslessly_through_the_models() {
    let n = run("bytes", |case| {
        dispatch!(case.ty.as_str(), check_bytes, case)
    });
    assert_eq!(n, 600);
}

#[test]
fn all_v2_golden_cases_json_and_yaml_both_ways() {
    let n = run("json", |case| dispatch!(case.ty.as_str(), check_json, case));
    assert_eq!(n, 600);
    // The four cases Python cannot write as JSON are among them.
    let errors = golden_v2::cases()
        .iter()
        .filter(|c| c.json_error().is_some())
        .count();
    assert_eq!(errors, 4);
}

#[test]
fn all_v2_golden_cases_print_text_and_short_string_like_the_reference() {
    let short = short_strings();
    assert_eq!(short.len(), 600);
    // Six adversarial cases nest 97 to 100 messages deep; the reflection
    // text parser recurses per level, more than a test thread's default
    // stack holds in a debug build.
    let n = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            run("text", |case| {
                dispatch!(case.ty.as_str(), check_text, case, &short)
            })
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(n, 600);
}

#[test]
fn flyte1_dialect_refuses_exactly_the_cases_with_flyteidl2_only_fields() {
    let cases = golden_v2::cases();
    let mut clean = 0;
    let mut refused = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let r: Result<bool, String> = dispatch!(case.ty.as_str(), check_v1, case);
        match r {
            Ok(true) => clean += 1,
            Ok(false) => refused += 1,
            Err(e) => failures.push(format!("{}: {e}", case.id)),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(clean + refused, 600);
    assert!(clean > 0 && refused > 0, "clean {clean}, refused {refused}");
}

#[test]
fn flyte1_dialect_error_names_the_path() {
    // RayJob { ray_cluster { worker_group_spec[1] { extended_resources {} } } }
    let job = RayJob::new(RayCluster::new(vec![
        WorkerGroupSpec::new("a", 1),
        WorkerGroupSpec::new("b", 1).with_extended_resources(
            ExtendedResources::new().with_gpu_accelerator(GPUAccelerator::new("nvidia-l4")),
        ),
    ]));
    let e = job.to_flyteidl_v1().unwrap_err().to_string();
    assert_eq!(
        e,
        "RayJob.ray_cluster: RayCluster.worker_group_spec[1]: WorkerGroupSpec.extended_resources \
         (field 7) exists only in flyteidl2; flyteidl.plugins.RayJob cannot carry it"
    );
    // A flyteidl2-only field inside a message both generations have.
    let gpu = GPUAccelerator::new("tpu").with_device_class(DeviceClass::GoogleTpu);
    let e = gpu.to_flyteidl_v1().unwrap_err().to_string();
    assert!(
        e.starts_with("GPUAccelerator.device_class (field 4)"),
        "{e}"
    );
    // Without it, the Flyte 1 message is the same bytes.
    let gpu = GPUAccelerator::new("nvidia-tesla-a100").with_partition_size("1g.5gb");
    let v1 = gpu.to_flyteidl_v1().unwrap();
    assert_eq!(v1.encode_canonical(), gpu.serialize_to_string());
    assert_eq!(v1.device, "nvidia-tesla-a100");
}
