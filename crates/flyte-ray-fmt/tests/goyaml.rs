//! Golden tests of `flyte_ray_fmt::goyaml` against cases made by Go itself.
//!
//! `tests/data/goyaml/runtime_env_yaml.jsonl`: the 507 cases of
//! `shared/golden-render/runtime_env_yaml.jsonl`, produced by Flyte's backend sequence
//! (`base64.StdEncoding.DecodeString`, `json.Unmarshal` into `map[string]interface{}`,
//! `yaml.Marshal`) in Go 1.27.3 with `gopkg.in/yaml.v2` v2.4.0.
//!
//! `tests/data/goyaml/go_oracle_cases.jsonl`: inputs from `scripts/gen_goyaml_cases.py`
//! (seed 61: edge base64, raw JSON edge inputs and every prefix of one document, each awkward
//! atom as key and value, key-order sets, 3000 random documents) run through
//! `scripts/goyaml_oracle` (the same sequence in Go 1.19.8, Debian's `gopkg.in/yaml.v2`
//! 2.4.0). Go 1.19 does not name the map key in a number range error (`into Go value of
//! type float64`), Go 1.27 does (`into Go struct field .a of type float64`, see the 507
//! cases): for that one message only the kind of error is compared.

use flyte_ray_fmt::goyaml::{
    GoValue, GoYamlError, decode_base64, natural_less, runtime_env_yaml, unmarshal_json,
};
use serde_json::Value;

struct Case {
    id: String,
    input: String,
    yaml: Option<String>,
    error: Option<String>,
}

fn load(path: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            let v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
            let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
            Case {
                id: s("id").unwrap_or_else(|| format!("line {}", n + 1)),
                input: s("runtime_env").unwrap_or_else(|| panic!("{path}:{}: no input", n + 1)),
                yaml: s("runtime_env_yaml"),
                error: s("error"),
            }
        })
        .collect()
}

/// Whether yaml.v2's key comparison is a strict weak order on the keys of every map of the
/// case. When it is not (`a2aB < a10 < a1xx < a2aB`: digit runs against letters), Go's
/// `sort.Sort` result depends on Go's random map iteration order, so running the oracle
/// twice can give two orders: only the content can be compared.
fn key_order_is_determined(input: &str) -> bool {
    let Ok(json) = decode_base64(input.as_bytes()) else {
        return true;
    };
    let Ok(Some(map)) = unmarshal_json(&json) else {
        return true;
    };
    let root = GoValue::Map(map);
    let mut stack = vec![&root];
    while let Some(v) = stack.pop() {
        match v {
            GoValue::Map(m) => {
                let keys: Vec<&String> = m.keys().collect();
                for a in &keys {
                    for b in &keys {
                        if a != b && natural_less(a, b) == natural_less(b, a) {
                            return false;
                        }
                        for c in &keys {
                            if natural_less(a, b) && natural_less(b, c) && !natural_less(a, c) {
                                return false;
                            }
                        }
                    }
                }
                stack.extend(m.values());
            }
            GoValue::Slice(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    true
}

/// The same YAML content, key order aside (both texts read by the same YAML parser).
fn same_content(a: &str, b: &str) -> bool {
    let read = |s: &str| serde_yaml_ng::from_str::<serde_yaml_ng::Value>(s).ok();
    matches!((read(a), read(b)), (Some(x), Some(y)) if x == y)
}

/// Runs every case; returns the failures as readable lines and how many cases had an
/// undetermined key order.
fn check(cases: &[Case], go119: bool) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut order_free = 0;
    for case in cases {
        let got = runtime_env_yaml(&case.input);
        match (&got, &case.yaml, &case.error) {
            (Ok(y), Some(want), _) if y == want => {}
            (Ok(y), Some(want), _)
                if !key_order_is_determined(&case.input) && same_content(y, want) =>
            {
                order_free += 1;
            }
            (Err(e), None, Some(want)) if e.to_string() == *want => {}
            (Err(GoYamlError::NumberRange { number, .. }), None, Some(want))
                if go119
                    && *want
                        == format!(
                            "json: cannot unmarshal number {number} into Go value of type float64"
                        ) => {}
            _ => failures.push(format!(
                "{}: got {:?}, want {:?}",
                case.id,
                got.as_ref().map_err(ToString::to_string),
                case.yaml.as_ref().ok_or(&case.error)
            )),
        }
    }
    (failures, order_free)
}

#[test]
fn golden_runtime_env_yaml_507() {
    let cases = load("tests/data/goyaml/runtime_env_yaml.jsonl");
    assert_eq!(cases.len(), 507);
    let (failures, order_free) = check(&cases, false);
    assert_eq!(order_free, 0);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn go_oracle_cases() {
    let cases = load("tests/data/goyaml/go_oracle_cases.jsonl");
    assert!(cases.len() > 3000, "{}", cases.len());
    let (failures, order_free) = check(&cases, true);
    // Printed for the record (`cargo test -- --nocapture`).
    println!(
        "{} cases, {order_free} with an undetermined key order",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn b64(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Go accepts 10000 levels of nesting: reading, emitting and dropping them is iterative,
/// so it works on a thread with a small stack. Expected text by the emitter's rules: the
/// sequence under `a` is not indented, each nested sequence starts on the same line
/// (`- - `), and the innermost, empty one is `[]`.
#[test]
fn deepest_nesting_go_accepts_runs_on_a_small_stack() {
    let run = || {
        let ok = format!("{{\"a\":{}{}}}", "[".repeat(9999), "]".repeat(9999));
        let too_deep = format!("{{\"a\":{}{}}}", "[".repeat(10000), "]".repeat(10000));
        (
            runtime_env_yaml(&b64(ok.as_bytes())),
            runtime_env_yaml(&b64(too_deep.as_bytes())),
        )
    };
    let (ok, too_deep) = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(run)
        .expect("spawn")
        .join()
        .expect("no stack overflow");
    assert_eq!(ok, Ok(format!("a:\n{}[]\n", "- ".repeat(9998))));
    assert_eq!(
        too_deep.map_err(|e| e.to_string()),
        Err("invalid character '[' exceeded max depth".to_owned())
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// No input panics: any bytes as JSON, any text as base64.
    #[test]
    fn any_input_gives_yaml_or_an_error(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64), text in ".{0,40}") {
        let _ = runtime_env_yaml(&b64(&bytes));
        let _ = runtime_env_yaml(&text);
        let mut json = b"{\"k\": \"".to_vec();
        json.extend_from_slice(&bytes);
        json.extend_from_slice(b"\"}");
        if let Ok(yaml) = runtime_env_yaml(&b64(&json)) {
            proptest::prop_assert!(yaml.ends_with('\n'));
        }
    }

    /// Any string, as key and as value, gives one document ending with a line break, and
    /// reads back (through a YAML 1.1-agnostic parser) as a one-entry mapping.
    #[test]
    fn any_string_key_and_value(s in "\\PC{0,30}|[ \\t\\n\\r:#'\"a-z0-9-]{0,12}") {
        let json = serde_json::to_vec(&serde_json::json!({ s.clone(): s.clone() })).expect("json");
        let yaml = runtime_env_yaml(&b64(&json)).expect("valid JSON object");
        proptest::prop_assert!(yaml.ends_with('\n'));
        let back: serde_yaml_ng::Value = serde_yaml_ng::from_str(&yaml).expect("YAML");
        proptest::prop_assert_eq!(back.as_mapping().map(|m| m.len()), Some(1));
    }
}
