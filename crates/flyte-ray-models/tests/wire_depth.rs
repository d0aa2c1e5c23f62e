//! Text readers refuse specs whose binary encoding nests deeper than
//! protobuf decoders accept (found by fuzzing `json_from_str`: a pod spec 35
//! objects deep parsed from JSON, and its bytes could not be decoded).
#![allow(clippy::unwrap_used)]

use flyte_ray_models::{FlyteIdlEntity, K8sPod, RayJob};

fn nested_json(levels: usize) -> String {
    let mut s = String::from("1");
    for _ in 0..levels {
        s = format!("{{\"a\":{s}}}");
    }
    s
}

fn nested_list_json(levels: usize) -> String {
    let mut s = String::from("1");
    for _ in 0..levels {
        s = format!("[{s}]");
    }
    s
}

/// For every depth: the JSON reader accepts exactly the specs whose bytes
/// decode again. Whatever the threshold is, reading and decoding agree.
fn agree(make: impl Fn(usize) -> String, root: &str) {
    let mut accepted = 0;
    for levels in 1..60 {
        let json = make(levels);
        let doc = match root {
            "K8sPod" => format!("{{\"podSpec\":{{\"x\":{json}}}}}"),
            _ => format!(
                "{{\"rayCluster\":{{\"workerGroupSpec\":[{{\"k8sPod\":{{\"podSpec\":{{\"x\":{json}}}}}}}]}}}}"
            ),
        };
        let (read_ok, decode_ok) = match root {
            "K8sPod" => {
                let built = K8sPod::new()
                    .with_pod_spec_json(
                        &serde_json::from_str(&format!("{{\"x\":{json}}}")).unwrap(),
                    )
                    .unwrap();
                let decodes = K8sPod::from_bytes(&built.serialize_to_string()).is_ok();
                (K8sPod::from_json(&doc).is_ok(), decodes)
            }
            _ => {
                let r = RayJob::from_json(&doc);
                let decodes = match &r {
                    Ok(job) => RayJob::from_bytes(&job.serialize_to_string()).is_ok(),
                    Err(_) => false,
                };
                (r.is_ok(), decodes || r.is_err())
            }
        };
        if root == "K8sPod" {
            assert_eq!(
                read_ok, decode_ok,
                "{root}: {levels} levels: read {read_ok}, bytes decode {decode_ok}"
            );
        } else {
            assert!(
                decode_ok,
                "{root}: {levels} levels: accepted JSON whose bytes do not decode"
            );
        }
        if read_ok {
            accepted += 1;
        } else {
            let e = match root {
                "K8sPod" => K8sPod::from_json(&doc).unwrap_err().to_string(),
                _ => RayJob::from_json(&doc).unwrap_err().to_string(),
            };
            assert!(e.contains("podSpec"), "{e}");
            assert!(e.contains("recursion limit"), "{e}");
        }
    }
    // Realistic pod specs nest well under 20 levels; those must be accepted.
    assert!(accepted >= 20, "only {accepted} depths accepted");
}

#[test]
fn json_reader_agrees_with_the_decoder_on_objects() {
    agree(nested_json, "K8sPod");
    agree(nested_json, "RayJob");
}

#[test]
fn json_reader_agrees_with_the_decoder_on_lists() {
    agree(nested_list_json, "K8sPod");
    agree(nested_list_json, "RayJob");
}

#[test]
fn yaml_reader_refuses_too_deep_specs_too() {
    let doc = format!("podSpec:\n  x: {}\n", nested_json(60));
    let e = K8sPod::from_yaml(&doc).unwrap_err().to_string();
    assert!(e.contains("recursion limit"), "{e}");
}

#[test]
fn validation_reports_an_encoding_too_deep_to_decode() {
    use flyte_ray_models::{HeadGroupSpec, RayCluster};
    use prost_types::{Struct, Value, value::Kind};
    // Built in code, past what the readers accept: 60 nested objects.
    let mut s = Struct::default();
    for _ in 0..60 {
        let mut outer = Struct::default();
        outer.fields.insert(
            "a".into(),
            Value {
                kind: Some(Kind::StructValue(s)),
            },
        );
        s = outer;
    }
    let job =
        RayJob::new(RayCluster::new(vec![]).with_head_group_spec(
            HeadGroupSpec::new().with_k8s_pod(K8sPod::new().with_pod_spec(s)),
        ));
    // Really undecodable once serialized:
    assert!(RayJob::from_bytes(&job.serialize_to_string()).is_err());
    let findings = job.validate();
    let f = findings
        .iter()
        .find(|f| f.rule == "encoding-too-deep")
        .expect("reported");
    assert!(f.is_error());
    assert_eq!(f.path, "");
    assert!(
        f.message.contains("recursion limit of 100"),
        "{}",
        f.message
    );
    // A shallow job is not reported.
    let ok = RayJob::new(RayCluster::new(vec![]));
    assert!(ok.validate().iter().all(|f| f.rule != "encoding-too-deep"));
}
