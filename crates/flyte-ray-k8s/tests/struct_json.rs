//! Part 1: Struct <-> JSON against fixtures produced by protobuf's Python
//! json_format (flytekit's MessageToDict / Parse), plus serde streaming.
#![allow(clippy::unwrap_used)]

mod support;

use flyte_ray_k8s::{
    K8sError, MAX_DEPTH, SerializeStruct, SerializeValue, deserialize_struct, deserialize_value,
    json_to_struct, json_to_value, struct_to_json, value_to_json,
};
use prost::Message;
use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value};
use serde_json::json;
use support::{assert_same, fixture};

/// Replaces the fixture markers ("__NaN__", ...) by the values JSON cannot hold.
fn apply_markers(v: &mut Value) {
    match &mut v.kind {
        Some(Kind::StringValue(s)) => match s.as_str() {
            "__NaN__" => v.kind = Some(Kind::NumberValue(f64::NAN)),
            "__Inf__" => v.kind = Some(Kind::NumberValue(f64::INFINITY)),
            "__-Inf__" => v.kind = Some(Kind::NumberValue(f64::NEG_INFINITY)),
            "__NoKind__" => v.kind = None,
            _ => {}
        },
        Some(Kind::StructValue(s)) => s.fields.values_mut().for_each(apply_markers),
        Some(Kind::ListValue(l)) => l.values.iter_mut().for_each(apply_markers),
        _ => {}
    }
}

fn build(input: &str) -> Result<Struct, K8sError> {
    let v: serde_json::Value = serde_json::from_str(input).unwrap();
    let mut s = json_to_struct(&v)?;
    s.fields.values_mut().for_each(apply_markers);
    Ok(s)
}

/// The path our error should name, for the fixture's error cases.
fn expected_path(id: &str) -> &'static str {
    match id {
        "nan-top" => "x",
        "nan-nested" => "containers[0].resources.limits.cpu",
        "inf-in-list" => "a.b[2]",
        "neg-inf" => "a",
        _ => "",
    }
}

#[test]
fn reference_cases() {
    let cases = fixture("struct_json.json");
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        if let Some(err) = case.get("error").and_then(|e| e.as_str()) {
            if err.starts_with("ParseError") {
                // not an object at the top
                let e = build(input).unwrap_err();
                assert!(matches!(e, K8sError::NotAnObject { .. }), "{id}: {e}");
                let e =
                    deserialize_struct(&mut serde_json::Deserializer::from_str(input)).unwrap_err();
                assert!(
                    e.to_string().contains("google.protobuf.Struct"),
                    "{id}: {e}"
                );
                continue;
            }
            // NaN / Infinity: flytekit's message, with our path in front.
            let python = err.trim_start_matches("ValueError: ");
            let s = build(input).unwrap();
            let e = struct_to_json(&s).unwrap_err();
            assert_eq!(e.path(), expected_path(id), "{id}");
            assert_eq!(
                e.to_string(),
                format!("{}: {python}", expected_path(id)),
                "{id}"
            );
            let e = serde_json::to_string(&SerializeStruct(&s)).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with(&format!("{}: {python}", expected_path(id))),
                "{id}: {e}"
            );
            continue;
        }
        let want: serde_json::Value =
            serde_json::from_str(case["expected"].as_str().unwrap()).unwrap();
        let s = build(input).unwrap();
        // The Struct equals what Python built, byte for byte (prost's encoder
        // and Python's deterministic one agree on a Struct: sorted map keys).
        // (Python's upb orders a key before its prefixes, "zi" before "z";
        // re-encoding its bytes with prost gives the sorted order.)
        let python = Struct::decode(
            hex::decode(case["pb_hex"].as_str().unwrap())
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        assert_eq!(
            hex::encode(s.encode_to_vec()),
            hex::encode(python.encode_to_vec()),
            "{id}: binary"
        );
        let got = serde_json::Value::Object(struct_to_json(&s).unwrap());
        assert_same(id, &got, &want);
        // Streaming serializer: same JSON.
        let text = serde_json::to_string(&SerializeStruct(&s)).unwrap();
        assert_same(id, &serde_json::from_str(&text).unwrap(), &want);
        // Streaming deserializer from the raw input: same Struct (markers aside).
        if !input.contains("__") {
            let streamed =
                deserialize_struct(&mut serde_json::Deserializer::from_str(input)).unwrap();
            assert_eq!(streamed, s, "{id}: streamed");
        }
        // And JSON -> Struct -> JSON is stable on the expected output.
        let again = json_to_struct(&want).unwrap();
        assert_same(
            id,
            &serde_json::Value::Object(struct_to_json(&again).unwrap()),
            &want,
        );
    }
}

#[test]
fn two_pow_53_plus_one_becomes_two_pow_53() {
    let s = json_to_struct(&json!({"n": 9_007_199_254_740_993_u64})).unwrap();
    assert_eq!(
        s.fields["n"].kind,
        Some(Kind::NumberValue(9_007_199_254_740_992.0))
    );
    let text = serde_json::to_string(&SerializeStruct(&s)).unwrap();
    assert_eq!(text, r#"{"n":9007199254740992.0}"#);
}

#[test]
fn negative_zero_keeps_its_sign() {
    let s = deserialize_struct(&mut serde_json::Deserializer::from_str(r#"{"z": -0.0}"#)).unwrap();
    let Some(Kind::NumberValue(z)) = s.fields["z"].kind else {
        panic!()
    };
    assert!(z == 0.0 && z.is_sign_negative());
    assert_eq!(
        serde_json::to_string(&SerializeStruct(&s)).unwrap(),
        r#"{"z":-0.0}"#
    );
}

#[test]
fn integer_minus_zero_is_negative_zero() {
    // Known difference: Python's json reads the integer `-0` as 0, serde (and
    // so this crate) as the double -0.0; `-0.0` is -0.0 in both.
    let s = deserialize_struct(&mut serde_json::Deserializer::from_str(r#"{"z": -0}"#)).unwrap();
    let Some(Kind::NumberValue(z)) = s.fields["z"].kind else {
        panic!()
    };
    assert!(z.is_sign_negative());
}

#[test]
fn no_kind_is_null_like_message_to_dict() {
    let v = Value { kind: None };
    assert_eq!(value_to_json(&v).unwrap(), serde_json::Value::Null);
    assert_eq!(serde_json::to_string(&SerializeValue(&v)).unwrap(), "null");
}

#[test]
fn top_level_value_nan_has_no_path_prefix() {
    let v = Value {
        kind: Some(Kind::NumberValue(f64::NAN)),
    };
    let e = value_to_json(&v).unwrap_err();
    assert_eq!(e.path(), "");
    assert_eq!(
        e.to_string(),
        "Fail to serialize NaN for Value.number_value, which would parse as string_value"
    );
}

#[test]
fn not_an_object_errors() {
    for (v, found) in [
        (json!([1]), "an array"),
        (json!(1), "a number"),
        (json!(null), "null"),
        (json!("s"), "a string"),
    ] {
        match json_to_struct(&v) {
            Err(K8sError::NotAnObject { path, found: f }) => {
                assert_eq!(path, "");
                assert_eq!(f, found);
            }
            other => panic!("{v}: {other:?}"),
        }
    }
}

fn deep_list(depth: usize) -> Value {
    let mut v = Value {
        kind: Some(Kind::NumberValue(1.0)),
    };
    for _ in 0..depth {
        v = Value {
            kind: Some(Kind::ListValue(ListValue { values: vec![v] })),
        };
    }
    v
}

/// Drops a deep value iteratively (prost's derived Drop recurses).
fn drop_deep(mut v: Value) {
    while let Some(Kind::ListValue(mut l)) = v.kind.take() {
        match l.values.pop() {
            Some(inner) => v = inner,
            None => break,
        }
    }
}

#[test]
fn deep_struct_is_an_error_not_a_stack_overflow() {
    let v = deep_list(100_000);
    let mut s = Struct::default();
    s.fields.insert("a".into(), v);
    let e = struct_to_json(&s).unwrap_err();
    assert!(
        matches!(
            e,
            K8sError::TooDeep {
                limit: MAX_DEPTH,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.path().starts_with("a[0][0]"));
    let e = serde_json::to_string(&SerializeStruct(&s)).unwrap_err();
    assert!(
        e.to_string().contains("nesting deeper than 128 levels"),
        "{e}"
    );
    if let Some(v) = s.fields.remove("a") {
        drop_deep(v);
    }
}

#[test]
fn nesting_up_to_the_limit_is_fine() {
    let mut s = Struct::default();
    s.fields.insert("a".into(), deep_list(MAX_DEPTH));
    assert!(struct_to_json(&s).is_ok());
    assert!(serde_json::to_string(&SerializeStruct(&s)).is_ok());
    s.fields.insert("a".into(), deep_list(MAX_DEPTH + 1));
    assert!(struct_to_json(&s).is_err());
    assert!(serde_json::to_string(&SerializeStruct(&s)).is_err());
    // serde_json's parser stops at 128 open brackets; stay below it for the round trip.
    s.fields.insert("a".into(), deep_list(100));
    let text = serde_json::to_string(&SerializeStruct(&s)).unwrap();
    assert_eq!(
        deserialize_struct(&mut serde_json::Deserializer::from_str(&text)).unwrap(),
        s
    );
}

#[test]
fn deep_json_input_is_an_error() {
    // serde_json::Value is a Deserializer without serde_json's parser limit.
    let mut v = json!(1);
    for _ in 0..200 {
        v = json!([v]);
    }
    let e = deserialize_struct(json!({"a": v})).unwrap_err();
    assert!(e.to_string().contains("nesting deeper than"), "{e}");
}

#[test]
fn yaml_numbers_become_doubles() {
    let yaml = "a: 1\nb: 2.5\nc: [x, ~, true]\nd: {e: -3}\n";
    let s = deserialize_struct(serde_yaml_ng::Deserializer::from_str(yaml)).unwrap();
    let want = json!({"a": 1.0, "b": 2.5, "c": ["x", null, true], "d": {"e": -3.0}});
    assert_same(
        "yaml",
        &serde_json::Value::Object(struct_to_json(&s).unwrap()),
        &want,
    );
    assert!(deserialize_struct(serde_yaml_ng::Deserializer::from_str("- 1\n")).is_err());
    // and back out as YAML
    let out = serde_yaml_ng::to_string(&SerializeStruct(&s)).unwrap();
    assert_eq!(
        deserialize_struct(serde_yaml_ng::Deserializer::from_str(&out)).unwrap(),
        s
    );
}

#[test]
fn deserialize_value_any_kind() {
    let v = deserialize_value(&mut serde_json::Deserializer::from_str(
        r#"[1, "a", null, {"k": false}]"#,
    ))
    .unwrap();
    assert_eq!(v, json_to_value(&json!([1.0, "a", null, {"k": false}])));
}

#[test]
fn duplicate_keys_keep_the_last_value() {
    let s = deserialize_struct(&mut serde_json::Deserializer::from_str(
        r#"{"a": 1, "a": 2}"#,
    ))
    .unwrap();
    assert_eq!(s.fields["a"].kind, Some(Kind::NumberValue(2.0)));
}

#[test]
fn serialize_struct_embeds_in_a_larger_document() {
    #[derive(serde::Serialize)]
    struct Pod<'a> {
        #[serde(rename = "podSpec")]
        pod_spec: SerializeStruct<'a>,
    }
    let s = json_to_struct(&json!({"containers": []})).unwrap();
    assert_eq!(
        serde_json::to_string(&Pod {
            pod_spec: SerializeStruct(&s)
        })
        .unwrap(),
        r#"{"podSpec":{"containers":[]}}"#
    );
}
